/* lineedit.h — the line editor behind the prompts, without curses: a line of
 * Unicode characters, a cursor, the keys that edit them, history recall and
 * Tab completion.  src/ui/prompt.c draws it and reads the keys (mapping
 * curses' KEY_* codes to TRAWL_LINE_KEY_*); the unit test and the fuzz
 * harness (tests/fuzz/fuzz-lineedit.c) drive it directly.
 *
 * Every operation costs time in proportion to what it changes or moves
 * (typing, or pasting, at any place in the line is linear), never to the
 * length of the line, except Home/End, history recall, _set_text and _text. */
#ifndef TRAWL_LINEEDIT_H
#define TRAWL_LINEEDIT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TrawlLineEdit TrawlLineEdit;

/* The editing keys that are not characters, above the last code point.
 * The emacs control characters do the same when fed as keys: C-b Left, C-f
 * Right, C-a Home, C-e End, C-d Delete, C-k KillEnd, C-u KillStart, C-w
 * KillWord, C-p Prev, C-n Next. */
enum {
	TRAWL_LINE_KEY_LEFT = 0x200000,
	TRAWL_LINE_KEY_RIGHT,
	TRAWL_LINE_KEY_HOME,
	TRAWL_LINE_KEY_END,
	TRAWL_LINE_KEY_BACKSPACE,	/* the character before the cursor */
	TRAWL_LINE_KEY_DELETE,		/* the character under the cursor */
	TRAWL_LINE_KEY_KILL_END,	/* from the cursor to the end */
	TRAWL_LINE_KEY_KILL_START,	/* from the start to the cursor */
	TRAWL_LINE_KEY_KILL_WORD,	/* the word before the cursor (and what
					 * separates it from the cursor) */
	TRAWL_LINE_KEY_PREV,		/* the older history entry */
	TRAWL_LINE_KEY_NEXT,		/* the newer one, then the line edited */
	TRAWL_LINE_KEY_LAST = TRAWL_LINE_KEY_NEXT
};

/* A line holding INITIAL (UTF-8; NULL is ""), the cursor at its end.  Bytes
 * of INITIAL that are not UTF-8 become U+FFFD, one for each byte. */
TrawlLineEdit *trawl_line_edit_new (const char *initial);
void trawl_line_edit_free (TrawlLineEdit *le);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlLineEdit, trawl_line_edit_free)

/* Replaces the whole line by TEXT (as _new reads it), the cursor at its end. */
void trawl_line_edit_set_text (TrawlLineEdit *le, const char *text);

/* PREV and NEXT walk HISTORY (char *, newest last; NULL: none), which is
 * borrowed and must not change while it is set.  The position starts after
 * the newest entry, at the line being edited, which PREV keeps and NEXT
 * past the newest entry brings back. */
void trawl_line_edit_set_history (TrawlLineEdit *le, GPtrArray *history);

/* Feeds KEY: a character (a Unicode code point from U+0020, not DEL, not a
 * surrogate) is inserted at the cursor; a TRAWL_LINE_KEY_* or its emacs
 * control character edits.  Returns FALSE for anything else (Tab, Enter,
 * Esc, other control characters, invalid code points), which changes
 * nothing. */
gboolean trawl_line_edit_key (TrawlLineEdit *le, int key);

/* The line as UTF-8 (always valid), newly allocated. */
char *trawl_line_edit_text (const TrawlLineEdit *le);
/* Its length in characters, the cursor (0 ... length, in characters), and
 * its character I (I < length). */
gsize trawl_line_edit_length (const TrawlLineEdit *le);
gsize trawl_line_edit_cursor (const TrawlLineEdit *le);
gunichar trawl_line_edit_char (const TrawlLineEdit *le, gsize i);

/* The word Tab completes: the characters before the cursor back to a space,
 * without a leading + or - (tag operations) or leading '(' (a query's
 * group).  Newly allocated. */
char *trawl_line_edit_word (const TrawlLineEdit *le);

/* Tab: completes that word from CANDIDATES (char *, UTF-8; one that is not
 * is used up to its first invalid byte): when one candidate starts with it,
 * the word becomes that candidate followed by a space; when several do, it
 * is extended to the longest prefix they share (never half a character) and
 * the candidates are returned, space-separated (about 2,000 bytes at most;
 * newly allocated), for the caller to show.  Otherwise, and when none fits,
 * returns NULL. */
char *trawl_line_edit_complete (TrawlLineEdit *le, GPtrArray *candidates);

G_END_DECLS

#endif
