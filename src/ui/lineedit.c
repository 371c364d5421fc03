/* lineedit.c — the prompts' line editor (trawl/lineedit.h), without curses.
 *
 * The line is a gap buffer of characters (gunichar): the characters before
 * the cursor are buf[0 .. gap), the ones after it buf[gap_end .. size), the
 * gap between them is free.  Typing fills the gap at the cursor, deleting
 * widens it, moving the cursor moves characters across it: each costs what
 * it changes, however long the line (a paste into the middle of a long line
 * is as linear as one at its end). */
#include "config.h"

#include <string.h>

#include "trawl/lineedit.h"

struct _TrawlLineEdit {
	gunichar *buf;
	gsize size;		/* characters allocated */
	gsize gap;		/* the cursor: characters before it */
	gsize gap_end;		/* where the characters after it start */
	GPtrArray *history;	/* borrowed; NULL: none */
	gsize hpos;		/* history->len: the line being edited */
	char *edited;		/* that line, while history is shown */
};

static gsize
line_len (const TrawlLineEdit *le)
{
	return le->size - (le->gap_end - le->gap);
}

/* Room for N more characters in the gap. */
static void
reserve (TrawlLineEdit *le, gsize n)
{
	if (le->gap_end - le->gap >= n)
		return;
	gsize len = line_len (le), after = le->size - le->gap_end;
	gsize size = MAX (le->size, 16);
	while (size - len < n) {
		if (size > G_MAXSIZE / 2 / sizeof (gunichar))
			g_error ("line editor: a line of %zu characters is too long", len);
		size *= 2;
	}
	le->buf = g_renew (gunichar, le->buf, size);
	memmove (le->buf + size - after, le->buf + le->gap_end, after * sizeof (gunichar));
	le->gap_end = size - after;
	le->size = size;
}

static void
insert_char (TrawlLineEdit *le, gunichar c)
{
	reserve (le, 1);
	le->buf[le->gap++] = c;
}

/* Moves the cursor to character POS (<= the length). */
static void
move_to (TrawlLineEdit *le, gsize pos)
{
	if (pos < le->gap) {
		gsize n = le->gap - pos;
		memmove (le->buf + le->gap_end - n, le->buf + pos, n * sizeof (gunichar));
		le->gap = pos;
		le->gap_end -= n;
	} else if (pos > le->gap) {
		gsize n = pos - le->gap;
		memmove (le->buf + le->gap, le->buf + le->gap_end, n * sizeof (gunichar));
		le->gap += n;
		le->gap_end += n;
	}
}

gunichar
trawl_line_edit_char (const TrawlLineEdit *le, gsize i)
{
	g_return_val_if_fail (i < line_len (le), 0);
	return i < le->gap ? le->buf[i] : le->buf[i + (le->gap_end - le->gap)];
}

gsize
trawl_line_edit_length (const TrawlLineEdit *le)
{
	return line_len (le);
}

gsize
trawl_line_edit_cursor (const TrawlLineEdit *le)
{
	return le->gap;
}

/* Characters FROM .. TO as UTF-8 (a code point that is not a character,
 * which no key can insert, would be U+FFFD). */
static char *
text_range (const TrawlLineEdit *le, gsize from, gsize to)
{
	GString *s = g_string_sized_new (to > from ? to - from : 1);
	for (gsize i = from; i < to; i++) {
		gunichar c = trawl_line_edit_char (le, i);
		g_string_append_unichar (s, g_unichar_validate (c) ? c : 0xFFFD);
	}
	return g_string_free (s, FALSE);
}

char *
trawl_line_edit_text (const TrawlLineEdit *le)
{
	return text_range (le, 0, line_len (le));
}

void
trawl_line_edit_set_text (TrawlLineEdit *le, const char *text)
{
	le->gap = 0;
	le->gap_end = le->size;
	const char *p = text ? text : "";
	const char *end = p + strlen (p);
	while (p < end) {
		gunichar c = g_utf8_get_char_validated (p, end - p);
		if (c & 0x80000000u) {
			/* Not UTF-8 (a path in a legacy encoding, say): never
			 * stepped over by its lead byte's length, which could
			 * jump past the end. */
			c = 0xFFFD;
			p++;
		} else {
			p = g_utf8_next_char (p);
		}
		insert_char (le, c);
	}
}

TrawlLineEdit *
trawl_line_edit_new (const char *initial)
{
	TrawlLineEdit *le = g_new0 (TrawlLineEdit, 1);
	trawl_line_edit_set_text (le, initial);
	return le;
}

void
trawl_line_edit_free (TrawlLineEdit *le)
{
	if (!le)
		return;
	g_free (le->buf);
	g_free (le->edited);
	g_free (le);
}

void
trawl_line_edit_set_history (TrawlLineEdit *le, GPtrArray *history)
{
	le->history = history;
	le->hpos = history ? history->len : 0;
	g_clear_pointer (&le->edited, g_free);
}

static gboolean
is_word (gunichar c)
{
	return g_unichar_isalnum (c) || c == '_';
}

/* The emacs control characters, as the keys they stand for. */
static int
control_key (int key)
{
	switch (key) {
	case 1: return TRAWL_LINE_KEY_HOME;		/* C-a */
	case 2: return TRAWL_LINE_KEY_LEFT;		/* C-b */
	case 4: return TRAWL_LINE_KEY_DELETE;		/* C-d */
	case 5: return TRAWL_LINE_KEY_END;		/* C-e */
	case 6: return TRAWL_LINE_KEY_RIGHT;		/* C-f */
	case 11: return TRAWL_LINE_KEY_KILL_END;	/* C-k */
	case 14: return TRAWL_LINE_KEY_NEXT;		/* C-n */
	case 16: return TRAWL_LINE_KEY_PREV;		/* C-p */
	case 21: return TRAWL_LINE_KEY_KILL_START;	/* C-u */
	case 23: return TRAWL_LINE_KEY_KILL_WORD;	/* C-w */
	default: return key;
	}
}

gboolean
trawl_line_edit_key (TrawlLineEdit *le, int key)
{
	gsize len = line_len (le);
	switch (control_key (key)) {
	case TRAWL_LINE_KEY_LEFT:
		if (le->gap > 0)
			move_to (le, le->gap - 1);
		return TRUE;
	case TRAWL_LINE_KEY_RIGHT:
		if (le->gap < len)
			move_to (le, le->gap + 1);
		return TRUE;
	case TRAWL_LINE_KEY_HOME:
		move_to (le, 0);
		return TRUE;
	case TRAWL_LINE_KEY_END:
		move_to (le, len);
		return TRUE;
	case TRAWL_LINE_KEY_BACKSPACE:
		if (le->gap > 0)
			le->gap--;
		return TRUE;
	case TRAWL_LINE_KEY_DELETE:
		if (le->gap_end < le->size)
			le->gap_end++;
		return TRUE;
	case TRAWL_LINE_KEY_KILL_END:
		le->gap_end = le->size;
		return TRUE;
	case TRAWL_LINE_KEY_KILL_START:
		le->gap = 0;
		return TRUE;
	case TRAWL_LINE_KEY_KILL_WORD:
		while (le->gap > 0 && !is_word (le->buf[le->gap - 1]))
			le->gap--;
		while (le->gap > 0 && is_word (le->buf[le->gap - 1]))
			le->gap--;
		return TRUE;
	case TRAWL_LINE_KEY_PREV:
		if (le->history && le->hpos > 0) {
			if (le->hpos >= le->history->len) {
				g_free (le->edited);
				le->edited = trawl_line_edit_text (le);
			}
			le->hpos = MIN (le->hpos, le->history->len) - 1;
			trawl_line_edit_set_text (le, le->history->pdata[le->hpos]);
		}
		return TRUE;
	case TRAWL_LINE_KEY_NEXT:
		if (le->history && le->hpos < le->history->len) {
			le->hpos++;
			trawl_line_edit_set_text (le, le->hpos == le->history->len ? le->edited
								: le->history->pdata[le->hpos]);
		}
		return TRUE;
	default:
		if (key >= 0x20 && key != 0x7f && g_unichar_validate ((gunichar) key)) {
			insert_char (le, (gunichar) key);
			return TRUE;
		}
		return FALSE;
	}
}

/* Where the word Tab completes starts: back to a space, after a + or -. */
static gsize
word_start (const TrawlLineEdit *le)
{
	gsize start = le->gap;
	while (start > 0 && !g_unichar_isspace (le->buf[start - 1]))
		start--;
	if (start < le->gap && (le->buf[start] == '+' || le->buf[start] == '-'))
		start++;
	return start;
}

char *
trawl_line_edit_word (const TrawlLineEdit *le)
{
	char *word = text_range (le, word_start (le), le->gap);
	/* In a search, "(tag:fo" completes after the parenthesis. */
	gsize k = strspn (word, "(");
	if (k)
		memmove (word, word + k, strlen (word + k) + 1);
	return word;
}

char *
trawl_line_edit_complete (TrawlLineEdit *le, GPtrArray *candidates)
{
	if (!candidates)
		return NULL;
	g_autofree char *word = trawl_line_edit_word (le);
	g_autoptr (GPtrArray) fit = g_ptr_array_new ();
	for (guint i = 0; i < candidates->len; i++)
		if (candidates->pdata[i] && g_str_has_prefix (candidates->pdata[i], word))
			g_ptr_array_add (fit, candidates->pdata[i]);
	if (!fit->len)
		return NULL;
	/* The longest prefix they share. */
	g_autofree char *common = g_strdup (fit->pdata[0]);
	for (guint i = 1; i < fit->len; i++) {
		const char *o = fit->pdata[i];
		gsize k = 0;
		while (common[k] && common[k] == o[k])
			k++;
		/* Never half a character: "привет" and "пример" share "при"
		 * and the first byte of в and м. */
		while (k > 0 && ((guchar) common[k] & 0xC0) == 0x80)
			k--;
		common[k] = '\0';
	}
	const char *add = common + MIN (strlen (word), strlen (common));
	for (const char *p = add; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char_validated (p, -1);
		if (c & 0x80000000u)
			break;	/* not UTF-8: stop rather than read past its end */
		insert_char (le, c);
	}
	if (fit->len == 1) {
		insert_char (le, ' ');
		return NULL;
	}
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < fit->len && s->len < 2000; i++)
		g_string_append_printf (s, "%s%s", i ? " " : "", (char *) fit->pdata[i]);
	return g_string_free (s, FALSE);
}
