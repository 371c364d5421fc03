/* wrap.c — breaking text into screen lines.
 *
 * Widths are the ones trawl_text_width() / trawl_text_fit() measure (wcwidth
 * of each character, with the same classifier trawl_sanitize() uses), so a
 * CJK ideograph or an emoji counts 2 columns and is never cut in half.
 *
 * trawl_text_wrap() rules:
 *   - only ASCII space breaks a line; the run of spaces at a break is dropped;
 *     runs of spaces between words that stay on one line are kept as written;
 *   - leading spaces (indentation) are kept on the first line (clipped to
 *     WIDTH); trailing spaces at the end of the text are dropped;
 *   - a word wider than WIDTH is hard-broken at character boundaries; a single
 *     character wider than WIDTH (a CJK ideograph at WIDTH 1) gets a line of
 *     its own rather than being split;
 *   - WIDTH < 1 is treated as 1; an empty TEXT gives one empty line.
 */
#include "config.h"

#include <string.h>

#include "trawl/sanitize.h"
#include "trawl/wrap.h"

/* Width of the LEN bytes at P. */
static int
span_width (const char *p, gsize len)
{
	char small[64];
	if (len < sizeof small) {
		memcpy (small, p, len);
		small[len] = '\0';
		return trawl_text_width (small);
	}
	char *tmp = g_strndup (p, len);
	int w = trawl_text_width (tmp);
	g_free (tmp);
	return w;
}

char *
trawl_expand_tabs (const char *text)
{
	if (text == NULL)
		return g_strdup ("");

	GString *out = g_string_sized_new (strlen (text) + 8);
	int col = 0;
	const char *p = text;

	while (*p) {
		if (*p == '\t') {
			int n = 8 - (col % 8);
			for (int i = 0; i < n; i++)
				g_string_append_c (out, ' ');
			col += n;
			p++;
			continue;
		}
		if (*p == '\n') {
			g_string_append_c (out, '\n');
			col = 0;
			p++;
			continue;
		}
		/* One unit: a valid UTF-8 character, or a single byte. */
		gsize clen = 1;
		if ((guchar) *p >= 0x80) {
			gunichar c = g_utf8_get_char_validated (p, -1);
			if (c != (gunichar) -1 && c != (gunichar) -2)
				clen = (gsize) g_unichar_to_utf8 (c, NULL);
		}
		col += span_width (p, clen);
		g_string_append_len (out, p, (gssize) clen);
		p += clen;
	}
	return g_string_free (out, FALSE);
}

/* Length of the first character at P (>= 1), or 0 at the end. */
static gsize
char_len (const char *p)
{
	if (*p == '\0')
		return 0;
	if ((guchar) *p < 0x80)
		return 1;
	gunichar c = g_utf8_get_char_validated (p, -1);
	if (c == (gunichar) -1 || c == (gunichar) -2)
		return 1;
	return (gsize) g_unichar_to_utf8 (c, NULL);
}

GPtrArray *
trawl_text_wrap (const char *text, int width)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
	if (width < 1)
		width = 1;
	if (text == NULL || *text == '\0') {
		g_ptr_array_add (lines, g_strdup (""));
		return lines;
	}

	GString *line = g_string_new (NULL);
	int line_w = 0;
	const char *p = text;

	/* Leading indentation, clipped to WIDTH. */
	while (*p == ' ') {
		if (line_w < width) {
			g_string_append_c (line, ' ');
			line_w++;
		}
		p++;
	}
	gboolean line_has_word = FALSE;

	while (*p) {
		/* The run of spaces before the next word. */
		const char *sp = p;
		while (*p == ' ')
			p++;
		gsize nspaces = (gsize) (p - sp);
		if (*p == '\0')
			break;	/* trailing spaces: dropped */

		const char *word = p;
		while (*p && *p != ' ')
			p++;
		gsize wlen = (gsize) (p - word);
		int ww = span_width (word, wlen);

		if (line_has_word || line_w > 0) {
			if (line_w + (int) nspaces + ww <= width) {
				g_string_append_len (line, sp, (gssize) nspaces);
				g_string_append_len (line, word, (gssize) wlen);
				line_w += (int) nspaces + ww;
				line_has_word = TRUE;
				continue;
			}
			if (line_has_word || line_w + ww > width) {
				/* Break here (a line of indentation alone is kept
				 * only when the word cannot share it). */
				if (line_has_word) {
					g_ptr_array_add (lines, g_string_free (line, FALSE));
					line = g_string_new (NULL);
					line_w = 0;
				} else if (line_w + ww > width && line_w > 0) {
					g_string_truncate (line, 0);
					line_w = 0;
				}
			}
		}

		if (line_w + ww <= width) {
			g_string_append_len (line, word, (gssize) wlen);
			line_w += ww;
			line_has_word = TRUE;
			continue;
		}

		/* Hard-break a word wider than the line. */
		char *w = g_strndup (word, wlen);
		const char *q = w;
		while (*q) {
			int used = 0;
			gsize fit = trawl_text_fit (q, width - line_w, &used);
			if (fit == 0) {
				if (line_w > 0) {
					g_ptr_array_add (lines, g_string_free (line, FALSE));
					line = g_string_new (NULL);
					line_w = 0;
					continue;
				}
				/* One character wider than WIDTH: alone on its line. */
				fit = char_len (q);
				used = span_width (q, fit);
			}
			g_string_append_len (line, q, (gssize) fit);
			line_w += used;
			q += fit;
			if (*q) {
				g_ptr_array_add (lines, g_string_free (line, FALSE));
				line = g_string_new (NULL);
				line_w = 0;
			}
		}
		g_free (w);
		line_has_word = TRUE;
	}

	g_ptr_array_add (lines, g_string_free (line, FALSE));
	return lines;
}
