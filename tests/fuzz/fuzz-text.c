/* fuzz-text.c — the sanitiser, tab expansion, wrapping and width
 * (trawl/sanitize.h, trawl/wrap.h).  The first byte picks a width (1..128);
 * the rest is the text, any bytes (NULs too).  Checked:
 *   - trawl_sanitize: valid UTF-8, no C0, DEL, C1 or bidi control;
 *   - trawl_text_width of it is >= 0;
 *   - trawl_text_fit: a prefix on a character boundary whose width is the
 *     *used it reports, at most the width asked;
 *   - trawl_expand_tabs (of the input made valid UTF-8): no TAB left, valid;
 *   - trawl_text_wrap: at least one line; every line valid UTF-8, at most
 *     WIDTH columns (or a single character wider than WIDTH), and the lines
 *     hold the text's characters in order, only spaces dropped. */
#include "config.h"

#include "trawl/sanitize.h"
#include "trawl/wrap.h"

#include "fuzz.h"

static char *
without_spaces (const char *s)
{
	GString *o = g_string_new (NULL);
	for (; *s; s++)
		if (*s != ' ')
			g_string_append_c (o, *s);
	return g_string_free (o, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static gboolean done;
	if (!done) {
		done = TRUE;
		trawl_locale_init ();
		fuzz_fatal_criticals ();
	}
	if (size == 0)
		return 0;
	int width = (data[0] & 0x7f) + 1;
	const char *text = (const char *) data + 1;
	gssize len = (gssize) size - 1;

	char *s = trawl_sanitize (text, len);
	fuzz_assert_clean (s, "sanitised text");
	int w = trawl_text_width (s);
	FUZZ_CHECK (w >= 0, "width %d", w);

	int used = -1;
	gsize fit = trawl_text_fit (s, width, &used);
	FUZZ_CHECK (fit <= strlen (s), "fit %zu past the end (%zu)", fit, strlen (s));
	FUZZ_CHECK (used >= 0 && used <= width, "fit used %d of %d", used, width);
	char *prefix = g_strndup (s, fit);
	FUZZ_CHECK (g_utf8_validate (prefix, -1, NULL), "fit splits a character at %zu", fit);
	FUZZ_CHECK (trawl_text_width (prefix) == used, "fit says %d columns, the prefix has %d",
		    used, trawl_text_width (prefix));
	g_free (prefix);

	char *valid = g_utf8_make_valid (text, len);
	char *expanded = trawl_expand_tabs (valid);
	FUZZ_CHECK (expanded && g_utf8_validate (expanded, -1, NULL), "expand_tabs gave invalid UTF-8");
	FUZZ_CHECK (strchr (expanded, '\t') == NULL, "expand_tabs left a TAB");
	g_free (expanded);
	g_free (valid);

	GPtrArray *lines = trawl_text_wrap (s, width);
	FUZZ_CHECK (lines && lines->len >= 1, "wrap gave no line");
	GString *joined = g_string_new (NULL);
	for (guint i = 0; i < lines->len; i++) {
		const char *l = lines->pdata[i];
		FUZZ_CHECK (l && g_utf8_validate (l, -1, NULL), "wrapped line %u is not UTF-8", i);
		int lw = trawl_text_width (l);
		FUZZ_CHECK (lw <= width || g_utf8_strlen (l, -1) == 1 ||
			    /* one wide character and the marks combining with it */
			    trawl_text_width (g_utf8_next_char (l)) == 0,
			    "wrapped line %u is %d columns wide, more than %d: '%s'", i, lw, width, l);
		g_string_append (joined, l);
	}
	char *a = without_spaces (s), *b = without_spaces (joined->str);
	FUZZ_CHECK (strcmp (a, b) == 0, "wrap lost or changed text:\n  in:  '%s'\n  out: '%s'", a, b);
	g_free (a);
	g_free (b);
	g_string_free (joined, TRUE);
	g_ptr_array_unref (lines);
	g_free (s);
	return 0;
}
