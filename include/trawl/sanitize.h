/* sanitize.h — make text from mail safe to put on a terminal, and measure it.
 *
 * Every string that came from a message (subject, names, tags, file names,
 * body lines) passes through trawl_sanitize() before it reaches curses.  No
 * curses here: this is plain text in, plain text out, so it is unit-tested
 * directly.
 */
#ifndef TRAWL_SANITIZE_H
#define TRAWL_SANITIZE_H

#include <glib.h>

G_BEGIN_DECLS

/* Returns a new, valid UTF-8 string holding TEXT (LEN bytes, or up to NUL when
 * LEN < 0) with everything a terminal could interpret made visible:
 *  - C0 controls and DEL as caret notation: ESC -> "^[", BEL -> "^G", DEL -> "^?";
 *    except that TAB, CR and LF become one space each (single-line text);
 *  - C1 controls (U+0080..U+009F) as "<U+009B>";
 *  - bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069)
 *    as "<U+202E>";
 *  - other characters the C library calls unprintable (wcwidth < 0) and
 *    U+FFFD-worthy bytes: an invalid UTF-8 byte as "\xNN";
 *  - everything else kept as it is.
 * The result (newly allocated) contains no byte below 0x20, no 0x7f and no
 * C1 or bidi code point. */
char *trawl_sanitize (const char *text, gssize len);

/* Width in terminal columns of sanitized UTF-8 text (wcwidth of each
 * character; combining marks count 0, CJK and emoji 2). */
int trawl_text_width (const char *text);

/* The byte length of the longest prefix of TEXT that fits in COLS columns,
 * never splitting a character.  *USED (if not NULL) receives its width. */
gsize trawl_text_fit (const char *text, int cols, int *used);

/* Makes sure the C library's character functions speak UTF-8 (setlocale from
 * the environment, falling back to C.UTF-8).  Returns FALSE when no UTF-8
 * locale is available. */
gboolean trawl_locale_init (void);

G_END_DECLS

#endif
