/* sanitize.c — make text from mail safe to put on a terminal, and measure it.
 *
 * One classifier, classify(), decides for each unit of input (a valid UTF-8
 * character, or one byte that is not part of one) what it becomes on screen:
 *
 *   KEEP   the character itself.  Its width is wcwidth(), always >= 0 here.
 *   SPACE  TAB, CR and LF: one space each (all text here is single-line).
 *   CARET  other C0 controls and DEL: "^@".."^_", "^?".
 *   HEX    a byte that does not start a valid UTF-8 sequence (malformed,
 *          overlong, truncated, surrogate or > U+10FFFF): "\xNN", upper-case
 *          hex, one escape per byte; decoding resumes at the next byte.
 *   UPLUS  a code point made visible as "<U+XXXX>" (at least 4 upper-case hex
 *          digits):
 *            - C1 controls U+0080..U+009F (U+009B is CSI, U+009D is OSC on
 *              terminals that honour 8-bit controls);
 *            - bidi controls U+061C, U+200E, U+200F, U+202A..U+202E,
 *              U+2066..U+2069 (they reorder what follows: "Trojan Source");
 *            - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (glibc
 *              already gives them wcwidth -1; listed so the decision does not
 *              hang on the C library's tables);
 *            - U+FEFF ZERO WIDTH NO-BREAK SPACE / BOM (wcwidth 0 in glibc,
 *              but invisible and never meaningful inside a header or line);
 *            - U+FFF9..U+FFFB interlinear annotation controls (can hide text
 *              in renderers that honour them);
 *            - anything else wcwidth() calls unprintable: unassigned code
 *              points, noncharacters (U+FFFE, U+FFFF, ...), and — when the
 *              C library's CTYPE is not UTF-8 — every non-ASCII character.
 *
 * Kept on purpose although invisible: combining marks, variation selectors,
 * ZWSP U+200B, ZWNJ U+200C and ZWJ U+200D (needed by Persian, Indic scripts
 * and emoji sequences), WORD JOINER U+2060, tag characters U+E0020..U+E007F
 * (flag sequences).  They can be used to make two strings look alike, but
 * cannot move the cursor, reorder text or talk to the terminal.
 *
 * trawl_text_width() and trawl_text_fit() use the same classifier, so they
 * measure any input the way trawl_sanitize() would render it: for sanitized
 * text that is plain wcwidth(), and width (raw) == width (sanitize (raw)).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth(), nl_langinfo() */
#endif
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>

#include "trawl/sanitize.h"

typedef enum {
	UNIT_KEEP,
	UNIT_SPACE,
	UNIT_CARET,
	UNIT_HEX,
	UNIT_UPLUS
} UnitKind;

static gboolean
is_bidi_control (gunichar c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Code points shown as <U+XXXX> whatever wcwidth() says about them. */
static gboolean
is_always_visible (gunichar c)
{
	return (c >= 0x80 && c <= 0x9F) ||
	       is_bidi_control (c) ||
	       c == 0x2028 || c == 0x2029 ||
	       c == 0xFEFF ||
	       (c >= 0xFFF9 && c <= 0xFFFB);
}

/* Classifies the unit starting at P (P < END).  Sets *CLEN to its length in
 * bytes (>= 1), *CH to the byte or code point, and *WIDTH to its width in
 * columns once rendered. */
static UnitKind
classify (const char *p, const char *end, gunichar *ch, gsize *clen, int *width)
{
	guchar b = (guchar) *p;

	if (b < 0x80) {
		*ch = b;
		*clen = 1;
		if (b == '\t' || b == '\n' || b == '\r') {
			*width = 1;
			return UNIT_SPACE;
		}
		if (b < 0x20 || b == 0x7F) {
			*width = 2;
			return UNIT_CARET;
		}
		*width = 1;
		return UNIT_KEEP;
	}

	gunichar c = g_utf8_get_char_validated (p, end - p);
	if (c == (gunichar) -1 || c == (gunichar) -2) {
		/* Not the start of a complete, valid sequence (GLib also rejects
		 * overlong forms, surrogates and values above U+10FFFF). */
		*ch = b;
		*clen = 1;
		*width = 4;
		return UNIT_HEX;
	}
	*ch = c;
	/* Overlong forms are rejected, so the canonical length is the length
	 * consumed. */
	*clen = (gsize) g_unichar_to_utf8 (c, NULL);

	int w = is_always_visible (c) ? -1 : wcwidth ((wchar_t) c);
	if (w < 0) {
		int digits = c > 0xFFFFF ? 6 : c > 0xFFFF ? 5 : 4;
		*width = 4 + digits;
		return UNIT_UPLUS;
	}
	*width = w;
	return UNIT_KEEP;
}

static void
append_hex (GString *out, guint32 value, int min_digits)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[8];
	int n = 0;

	do {
		buf[n++] = hex[value & 0xF];
		value >>= 4;
	} while (value != 0 && n < (int) sizeof buf);
	while (n < min_digits)
		buf[n++] = '0';
	while (n > 0)
		g_string_append_c (out, buf[--n]);
}

char *
trawl_sanitize (const char *text, gssize len)
{
	if (text == NULL)
		return g_strdup ("");

	gsize n = len < 0 ? strlen (text) : (gsize) len;
	const char *p = text;
	const char *end = text + n;
	GString *out = g_string_sized_new (n);

	while (p < end) {
		/* Fast path: a run of printable ASCII is copied as is. */
		const char *run = p;
		while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x7F)
			p++;
		if (p > run)
			g_string_append_len (out, run, p - run);
		if (p >= end)
			break;

		gunichar c;
		gsize clen;
		int width;
		switch (classify (p, end, &c, &clen, &width)) {
		case UNIT_KEEP:
			g_string_append_len (out, p, clen);
			break;
		case UNIT_SPACE:
			g_string_append_c (out, ' ');
			break;
		case UNIT_CARET:
			g_string_append_c (out, '^');
			g_string_append_c (out, c == 0x7F ? '?' : (char) (c + 0x40));
			break;
		case UNIT_HEX:
			g_string_append (out, "\\x");
			append_hex (out, c, 2);
			break;
		case UNIT_UPLUS:
			g_string_append (out, "<U+");
			append_hex (out, c, 4);
			g_string_append_c (out, '>');
			break;
		}
		p += clen;
	}

	return g_string_free (out, FALSE);
}

int
trawl_text_width (const char *text)
{
	if (text == NULL)
		return 0;

	const char *end = text + strlen (text);
	int total = 0;

	for (const char *p = text; p < end;) {
		gunichar c;
		gsize clen;
		int width;
		classify (p, end, &c, &clen, &width);
		if (total > G_MAXINT - width)
			return G_MAXINT;
		total += width;
		p += clen;
	}
	return total;
}

gsize
trawl_text_fit (const char *text, int cols, int *used)
{
	int total = 0;
	const char *p = text;

	if (text != NULL && cols > 0) {
		/* Never strlen(text): wrapping a long word asks for one row's
		 * prefix at a time, and a scan to the end of the rest each time
		 * would make that quadratic in the word's length.  A unit is at
		 * most 4 bytes; classify() needs to see no further. */
		while (*p) {
			gunichar c;
			gsize clen;
			int width;
			classify (p, p + strnlen (p, 4), &c, &clen, &width);
			/* A unit wider than what is left (a CJK character at the
			 * last column) ends the prefix; zero-width units that follow
			 * the last one that fits (combining marks) stay with it. */
			if (width > cols - total)
				break;
			total += width;
			p += clen;
		}
	}
	if (used != NULL)
		*used = total;
	return text != NULL ? (gsize) (p - text) : 0;
}

static gboolean
ctype_is_utf8 (void)
{
	const char *codeset = nl_langinfo (CODESET);

	return codeset != NULL &&
	       (g_ascii_strcasecmp (codeset, "UTF-8") == 0 ||
	        g_ascii_strcasecmp (codeset, "UTF8") == 0);
}

gboolean
trawl_locale_init (void)
{
	static const char *const fallbacks[] = { "C.UTF-8", "en_US.UTF-8" };

	setlocale (LC_ALL, "");
	if (ctype_is_utf8 ())
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS (fallbacks); i++)
		if (setlocale (LC_CTYPE, fallbacks[i]) != NULL && ctype_is_utf8 ())
			return TRUE;
	return FALSE;
}
