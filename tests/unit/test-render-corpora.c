/* test-render-corpora.c — render every message of the real corpora.
 *
 * With TRAWL_CORPORA set (make check exports it when ../shared/corpora
 * exists), every regular file under odd/, notmuch-test/ and spamassassin/
 * (except *.MANIFEST* and README*) is rendered twice (default options with
 * the built-in HTML renderer, then all_headers and the second alternative):
 * none may return NULL, and every dump must be valid UTF-8 without a control
 * byte.  Skipped, saying so, when TRAWL_CORPORA is unset.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "trawl/mime.h"
#include "trawl/sanitize.h"

static const char *const corpus_dirs[] = { "odd", "notmuch-test", "spamassassin", NULL };

typedef struct {
	guint files;
	guint warned;
	guint truncated;
	guint failed;
	gint64 slowest_us;
	char *slowest;
} Stats;

static gboolean
dump_is_clean (const char *d, const char **why)
{
	if (!g_utf8_validate (d, -1, NULL)) {
		*why = "invalid UTF-8";
		return FALSE;
	}
	for (const char *p = d; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (c == '\n')
			continue;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
		    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
		    c == 0x200E || c == 0x200F || c == 0x061C) {
			*why = "control character";
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
skipped_name (const char *name)
{
	return strstr (name, ".MANIFEST") != NULL || g_str_has_prefix (name, "README") ||
	       strcmp (name, ".gitignore") == 0;
}

static void
render_one (const char *path, Stats *st)
{
	static const TrawlRenderOptions base = { .quote_fold_min = 10, .html_command = "" };
	TrawlRenderOptions o2 = base;
	o2.all_headers = TRUE;
	o2.alternative = 2;
	const TrawlRenderOptions *opts[] = { &base, &o2 };

	for (int k = 0; k < 2; k++) {
		GError *err = NULL;
		gint64 t0 = g_get_monotonic_time ();
		TrawlRendered *r = trawl_mime_render_file (path, opts[k], &err);
		gint64 dt = g_get_monotonic_time () - t0;
		if (r == NULL) {
			g_printerr ("NULL for %s: %s\n", path, err ? err->message : "?");
			g_clear_error (&err);
			st->failed++;
			continue;
		}
		char *d = trawl_rendered_dump (r);
		const char *why = NULL;
		if (!dump_is_clean (d, &why)) {
			g_printerr ("%s: %s in dump\n", path, why);
			st->failed++;
		}
		if (k == 0) {
			gboolean warned = FALSE;
			for (guint i = 0; i < r->lines->len && !warned; i++)
				warned = ((TrawlLine *) g_ptr_array_index (r->lines, i))->type == TRAWL_LINE_WARNING;
			if (warned)
				st->warned++;
			if (r->truncated)
				st->truncated++;
			if (dt > st->slowest_us) {
				st->slowest_us = dt;
				g_free (st->slowest);
				st->slowest = g_strdup (path);
			}
		}
		g_free (d);
		trawl_rendered_free (r);
	}
	st->files++;
}

static void
walk_dir (const char *dir, Stats *st)
{
	GDir *d = g_dir_open (dir, 0, NULL);
	if (!d)
		return;
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	const char *n;
	while ((n = g_dir_read_name (d)))
		g_ptr_array_add (names, g_strdup (n));
	g_dir_close (d);
	g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index (names, i);
		if (skipped_name (name))
			continue;
		char *path = g_build_filename (dir, name, NULL);
		if (g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
			/* not followed */
		} else if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
			walk_dir (path, st);
		} else if (g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
			render_one (path, st);
		}
		g_free (path);
	}
	g_ptr_array_unref (names);
}

static void
test_corpora (void)
{
	const char *root = g_getenv ("TRAWL_CORPORA");
	if (root == NULL || *root == '\0') {
		g_test_skip ("TRAWL_CORPORA is not set: no real corpora to render "
			     "(make check sets it when ../shared/corpora exists)");
		return;
	}
	if (!g_file_test (root, G_FILE_TEST_IS_DIR)) {
		g_test_skip ("TRAWL_CORPORA is not a directory");
		return;
	}
	Stats st = { 0 };
	gint64 t0 = g_get_monotonic_time ();
	guint dirs = 0;
	for (int i = 0; corpus_dirs[i]; i++) {
		char *d = g_build_filename (root, corpus_dirs[i], NULL);
		if (g_file_test (d, G_FILE_TEST_IS_DIR)) {
			dirs++;
			walk_dir (d, &st);
		}
		g_free (d);
	}
	double secs = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
	if (dirs == 0) {
		g_test_skip ("none of odd/, notmuch-test/, spamassassin/ under TRAWL_CORPORA");
		return;
	}
	printf ("# rendered %u files, %u with warnings, %u truncated, in %.1f s (x2 passes); slowest %.1f ms: %s\n",
		st.files, st.warned, st.truncated, secs, (double) st.slowest_us / 1000.0,
		st.slowest ? st.slowest : "-");
	g_free (st.slowest);
	g_assert_cmpuint (st.failed, ==, 0);
	g_assert_cmpuint (st.files, >, 0);
	g_assert_cmpfloat (secs, <, 60.0);
}

int
main (int argc, char **argv)
{
	g_setenv ("TZ", "UTC", TRUE);
	tzset ();
	trawl_locale_init ();
	trawl_mime_init ();
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/render/corpora", test_corpora);
	return g_test_run ();
}
