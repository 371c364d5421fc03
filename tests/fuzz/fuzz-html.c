/* fuzz-html.c — the built-in HTML renderer (trawl_html_to_text, html.c),
 * given what the MIME layer gives it: UTF-8 (the input is made valid first,
 * cut at a NUL).  Checked: it returns text, valid UTF-8, and every line of
 * it sanitises clean. */
#include "config.h"

#include "trawl/mime.h"
#include "trawl/sanitize.h"
#include "mime-private.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static gboolean done;
	if (!done) {
		done = TRUE;
		trawl_locale_init ();
		trawl_mime_init ();	/* trawl_html_init () among others */
		fuzz_fatal_criticals ();
	}
	char *html = g_utf8_make_valid ((const char *) data, size);
	gsize len = strlen (html);
	char *text = trawl_html_to_text (html, len);
	FUZZ_CHECK (text != NULL, "trawl_html_to_text gave NULL");
	FUZZ_CHECK (g_utf8_validate (text, -1, NULL), "text is not valid UTF-8");
	char **lines = g_strsplit (text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *clean = trawl_sanitize (*l, -1);
		fuzz_assert_clean (clean, "html line");
		g_free (clean);
	}
	g_strfreev (lines);
	g_free (text);
	g_free (html);
	return 0;
}
