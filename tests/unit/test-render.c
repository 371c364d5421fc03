/* test-render.c — the MIME layer against goldens, plus targeted checks.
 *
 * Every tests/render/NAME.eml is rendered with fixed options (quote_fold_min
 * 10, the built-in HTML renderer, TZ=UTC) and trawl_rendered_dump() compared
 * with NAME.lines; a fixture named *-allheaders.eml is rendered a second time
 * with all_headers and compared with NAME.all.lines.
 *
 *   TRAWL_UPDATE_GOLDENS=1 tests/unit/test-render     rewrites the goldens
 *   (review every change by eye before keeping it).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "trawl/mime.h"
#include "trawl/process.h"
#include "trawl/sanitize.h"

static char *render_dir;

static TrawlRenderOptions
golden_opts (gboolean all_headers)
{
	TrawlRenderOptions o = { 0 };
	o.quote_fold_min = 10;
	o.html_command = "";
	o.all_headers = all_headers;
	return o;
}

static char *
dump_file (const char *path, const TrawlRenderOptions *o)
{
	GError *err = NULL;
	TrawlRendered *r = trawl_mime_render_file (path, o, &err);
	g_assert_no_error (err);
	g_assert_nonnull (r);
	char *d = trawl_rendered_dump (r);
	trawl_rendered_free (r);
	return d;
}

/* No byte below 0x20 but '\n', no DEL, valid UTF-8, no C1 or bidi control. */
static void
assert_clean_dump (const char *d)
{
	g_assert_true (g_utf8_validate (d, -1, NULL));
	for (const char *p = d; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (c == '\n')
			continue;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
		    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
		    c == 0x200E || c == 0x200F || c == 0x061C) {
			g_test_message ("control U+%04X in dump:\n%s", c, d);
			g_assert_not_reached ();
		}
	}
}

static void
report_diff (const char *name, const char *want, const char *got)
{
	char **a = g_strsplit (want, "\n", -1);
	char **b = g_strsplit (got, "\n", -1);
	guint na = g_strv_length (a), nb = g_strv_length (b);
	GString *s = g_string_new (NULL);
	g_string_append_printf (s, "--- %s (golden)\n+++ %s (rendered)\n", name, name);
	guint i = 0, shown = 0;
	while ((i < na || i < nb) && shown < 60) {
		const char *x = i < na ? a[i] : NULL;
		const char *y = i < nb ? b[i] : NULL;
		if (g_strcmp0 (x, y) != 0) {
			g_string_append_printf (s, "@@ line %u @@\n", i + 1);
			if (i > 0 && i - 1 < na)
				g_string_append_printf (s, " %s\n", a[i - 1]);
			if (x)
				g_string_append_printf (s, "-%s\n", x);
			if (y)
				g_string_append_printf (s, "+%s\n", y);
			shown++;
		}
		i++;
	}
	g_printerr ("%s", s->str);
	g_test_message ("%s", s->str);
	g_string_free (s, TRUE);
	g_strfreev (a);
	g_strfreev (b);
}

static void
check_golden (const char *eml, const char *golden, gboolean all_headers)
{
	TrawlRenderOptions o = golden_opts (all_headers);
	char *got = dump_file (eml, &o);
	assert_clean_dump (got);

	if (g_getenv ("TRAWL_UPDATE_GOLDENS") && *g_getenv ("TRAWL_UPDATE_GOLDENS")) {
		GError *err = NULL;
		g_file_set_contents (golden, got, -1, &err);
		g_assert_no_error (err);
		g_free (got);
		return;
	}
	char *want = NULL;
	GError *err = NULL;
	if (!g_file_get_contents (golden, &want, NULL, &err)) {
		g_printerr ("missing golden %s (run with TRAWL_UPDATE_GOLDENS=1); rendered:\n%s", golden, got);
		g_assert_no_error (err);
	}
	if (strcmp (want, got) != 0) {
		report_diff (golden, want, got);
		g_test_fail ();
	}
	g_free (want);
	g_free (got);
}

static void
test_golden (gconstpointer data)
{
	const char *eml = data;
	char *stem = g_strndup (eml, strlen (eml) - 4);
	char *golden = g_strconcat (stem, ".lines", NULL);
	check_golden (eml, golden, FALSE);
	if (g_str_has_suffix (stem, "-allheaders")) {
		char *all = g_strconcat (stem, ".all.lines", NULL);
		check_golden (eml, all, TRUE);
		g_free (all);
	}
	g_free (golden);
	g_free (stem);
}

static char *
fixture (const char *name)
{
	return g_build_filename (render_dir, name, NULL);
}

static TrawlRendered *
render_fixture (const char *name, const TrawlRenderOptions *o)
{
	char *p = fixture (name);
	GError *err = NULL;
	TrawlRendered *r = trawl_mime_render_file (p, o, &err);
	g_assert_no_error (err);
	g_assert_nonnull (r);
	g_free (p);
	return r;
}

static guint
count_type (const TrawlRendered *r, TrawlLineType t)
{
	guint n = 0;
	for (guint i = 0; i < r->lines->len; i++)
		if (((TrawlLine *) g_ptr_array_index (r->lines, i))->type == t)
			n++;
	return n;
}

static gboolean
has_line (const TrawlRendered *r, TrawlLineType t, const char *needle)
{
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type == t && strstr (l->text, needle))
			return TRUE;
	}
	return FALSE;
}

/* ------------------------------------------------------------- targeted */

static void
test_missing_file (void)
{
	GError *err = NULL;
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_file ("/nonexistent/trawl/none.eml", &o, &err);
	g_assert_null (r);
	g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_clear_error (&err);
}

static void
test_empty (void)
{
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_bytes ("", 0, &o);
	g_assert_nonnull (r);
	g_assert_cmpuint (count_type (r, TRAWL_LINE_WARNING), ==, 1);
	trawl_rendered_free (r);
	r = trawl_mime_render_bytes (NULL, 0, NULL);
	g_assert_nonnull (r);
	trawl_rendered_free (r);
}

static void
test_headers_all_decoded (void)
{
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = render_fixture ("plain-utf8.eml", &o);
	/* Five shown, every one kept in ->headers, decoded. */
	g_assert_cmpuint (count_type (r, TRAWL_LINE_HEADER), ==, 5);
	g_assert_cmpuint (r->headers->len, >=, 9);
	gboolean seen_subject = FALSE;
	for (guint i = 0; i < r->headers->len; i++) {
		TrawlLine *h = g_ptr_array_index (r->headers, i);
		g_assert_cmpint (h->type, ==, TRAWL_LINE_HEADER);
		if (strcmp (h->label, "Subject") == 0) {
			g_assert_cmpstr (h->text, ==, "Café meeting ☕ on Monday");
			seen_subject = TRUE;
		}
		if (strcmp (h->label, "Date") == 0)
			g_assert_cmpstr (h->text, ==, "Sat, 15 Jun 2024 11:45:00 +0200");
	}
	g_assert_true (seen_subject);
	g_assert_true (has_line (r, TRAWL_LINE_HEADER, "Sat, 15 Jun 2024 09:45 (sent 15 Jun 2024 11:45 +0200)"));
	g_assert_true (has_line (r, TRAWL_LINE_HEADER, "Zoë Ng <zoe@example.org>"));
	trawl_rendered_free (r);

	o.all_headers = TRUE;
	r = render_fixture ("plain-utf8.eml", &o);
	/* every header as in the file (test-faithful.c tests them) */
	g_assert_cmpuint (count_type (r, TRAWL_LINE_RAW_HEADER), ==, r->headers->len);
	trawl_rendered_free (r);
}

static void
test_quote_fold (void)
{
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = render_fixture ("quotes.eml", &o);
	guint folds = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type != TRAWL_LINE_QUOTE_FOLD)
			continue;
		folds++;
		g_assert_cmpuint (l->fold_id, >, 0);
		g_assert_cmpuint (l->count, ==, 14);
		g_assert_cmpuint (l->depth, ==, 1);
		/* The hidden lines follow, sharing the id. */
		for (guint k = 1; k <= l->count; k++) {
			TrawlLine *q = g_ptr_array_index (r->lines, i + k);
			g_assert_cmpint (q->type, ==, TRAWL_LINE_QUOTE);
			g_assert_cmpuint (q->fold_id, ==, l->fold_id);
		}
		TrawlLine *after = g_ptr_array_index (r->lines, i + l->count + 1);
		g_assert_cmpuint (after->fold_id, ==, 0);
	}
	g_assert_cmpuint (folds, ==, 1);
	/* Depths, text without markers. */
	gboolean d3 = FALSE;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type == TRAWL_LINE_QUOTE && strcmp (l->text, "Third level") == 0) {
			g_assert_cmpuint (l->depth, ==, 3);
			d3 = TRUE;
		}
	}
	g_assert_true (d3);
	trawl_rendered_free (r);

	/* quote_fold_min 0: never fold. */
	o.quote_fold_min = 0;
	r = render_fixture ("quotes.eml", &o);
	g_assert_cmpuint (count_type (r, TRAWL_LINE_QUOTE_FOLD), ==, 0);
	trawl_rendered_free (r);
}

static void
test_alternative_choice (void)
{
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = render_fixture ("alternative.eml", &o);
	g_assert_cmpuint (r->alternatives, ==, 2);
	g_assert_true (r->has_html);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "The plain text version."));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "HTML"));
	g_assert_cmpuint (r->parts->len, ==, 2);
	trawl_rendered_free (r);

	o.alternative = 2;
	r = render_fixture ("alternative.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "The HTML version."));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "plain text version"));
	trawl_rendered_free (r);

	o.alternative = 3;	/* cycles back to the first */
	r = render_fixture ("alternative.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "The plain text version."));
	trawl_rendered_free (r);
}

static void
test_w3m (void)
{
	char *w3m = g_find_program_in_path ("w3m");
	if (!w3m) {
		g_test_skip ("w3m not installed");
		return;
	}
	g_free (w3m);
	TrawlRenderOptions o = golden_opts (FALSE);
	o.html_command = NULL;	/* auto: w3m first */
	TrawlRendered *r = render_fixture ("html-only.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_PART, "shown as text by w3m"));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "Heading & more"));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "alert"));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "color: red"));
	g_assert_cmpuint (count_type (r, TRAWL_LINE_WARNING), ==, 0);
	trawl_rendered_free (r);

	/* An explicit command line works too. */
	o.html_command = "w3m -dump -T text/html -I UTF-8 -O UTF-8";
	r = render_fixture ("alternative.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "The plain text version."));
	trawl_rendered_free (r);
	o.alternative = 2;
	r = render_fixture ("alternative.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_PART, "by w3m"));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "The HTML version."));
	trawl_rendered_free (r);
}

/* One message for the real dumpers: a bordered table, a link and an image,
 * which each of w3m, lynx and elinks lays out in a way of its own. */
static const char dumper_msg[] =
	"From: a@example.com\n"
	"To: b@example.com\n"
	"Subject: dumper\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/html; charset=utf-8\n"
	"\n"
	"<html><body><h1>Dumper check</h1>\n"
	"<p>Some <b>bold</b> text from the HTML.</p>\n"
	"<table border=1><tr><td>alpha</td><td>beta</td></tr></table>\n"
	"<p><a href=\"https://example.com/x\">link</a></p>\n"
	"</body></html>\n";

/* Whether a line of type T is NEEDLE once its surrounding blanks are gone. */
static gboolean
has_exact_line (const TrawlRendered *r, TrawlLineType t, const char *needle)
{
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type != t)
			continue;
		char *s = g_strstrip (g_strdup (l->text));
		gboolean same = strcmp (s, needle) == 0;
		g_free (s);
		if (same)
			return TRUE;
	}
	return FALSE;
}

/* Renders dumper_msg with NAME as the only dumper html-dumper.c can find
 * (PATH holds just it and unshare), so that the command line it runs is the
 * one html-dumper.c builds for it; NULL (test skipped) when NAME is not
 * installed. */
static TrawlRendered *
render_with_dumper (const char *name, const char *package)
{
	char *path = g_find_program_in_path (name);
	if (!path) {
		char *why = g_strdup_printf ("%s not installed (Debian package %s)", name, package);
		g_test_skip (why);
		g_free (why);
		return NULL;
	}
	GError *err = NULL;
	char *dir = g_dir_make_tmp ("trawl-dumper-XXXXXX", &err);
	g_assert_no_error (err);
	char *link = g_build_filename (dir, name, NULL);
	g_assert_cmpint (symlink (path, link), ==, 0);
	char *unshare = g_find_program_in_path ("unshare");
	char *ulink = g_build_filename (dir, "unshare", NULL);
	if (unshare)
		g_assert_cmpint (symlink (unshare, ulink), ==, 0);

	char *old_path = g_strdup (g_getenv ("PATH"));
	g_setenv ("PATH", dir, TRUE);
	TrawlRenderOptions o = golden_opts (FALSE);
	o.html_command = NULL;	/* auto: the first of w3m, lynx, elinks in PATH */
	TrawlRendered *r = trawl_mime_render_bytes (dumper_msg, sizeof dumper_msg - 1, &o);
	if (old_path)
		g_setenv ("PATH", old_path, TRUE);
	else
		g_unsetenv ("PATH");
	g_assert_nonnull (r);

	char *d = trawl_rendered_dump (r);
	g_test_message ("%s:\n%s", name, d);
	g_free (d);
	/* The dumper's output, not the fallback. */
	char *by = g_strdup_printf ("shown as text by %s", name);
	g_assert_true (has_line (r, TRAWL_LINE_PART, by));
	g_free (by);
	g_assert_false (has_line (r, TRAWL_LINE_PART, "built-in renderer"));
	g_assert_cmpuint (count_type (r, TRAWL_LINE_WARNING), ==, 0);
	/* The text from the HTML. */
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "Dumper check"));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "Some bold text from the HTML."));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "alpha"));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "beta"));
	/* Never the built-in renderer's way with a link. */
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "link [https://example.com/x]"));

	g_unlink (link);
	g_unlink (ulink);
	g_rmdir (dir);
	g_free (ulink);
	g_free (unshare);
	g_free (old_path);
	g_free (link);
	g_free (dir);
	g_free (path);
	return r;
}

static void
test_dumper_w3m (void)
{
	TrawlRendered *r = render_with_dumper ("w3m", "w3m");
	if (!r)
		return;
	/* w3m: a boxed table hugging its cells, "References:", "[1] URL". */
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "│alpha │beta│"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "[1]link"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "References:"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "[1] https://example.com/x"));
	trawl_rendered_free (r);
}

static void
test_dumper_lynx (void)
{
	TrawlRendered *r = render_with_dumper ("lynx", "lynx");
	if (!r)
		return;
	/* lynx: no table borders, "References", "1. URL". */
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "alpha beta"));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "│"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "[1]link"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "References"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "1. https://example.com/x"));
	trawl_rendered_free (r);
}

static void
test_dumper_elinks (void)
{
	TrawlRendered *r = render_with_dumper ("elinks", "elinks");
	if (!r)
		return;
	/* elinks: a boxed table padded inside, "Visible links", "1. URL". */
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "│ alpha │ beta │"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "[1]link"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "Visible links"));
	g_assert_true (has_exact_line (r, TRAWL_LINE_BODY, "1. https://example.com/x"));
	trawl_rendered_free (r);
}

static void
test_html_command_fails (void)
{
	/* A dumper that fails or hangs falls back to the built-in renderer. */
	TrawlRenderOptions o = golden_opts (FALSE);
	o.html_command = "false";
	TrawlRendered *r = render_fixture ("html-only.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "HTML renderer false failed"));
	g_assert_true (has_line (r, TRAWL_LINE_PART, "built-in renderer"));
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "Heading & more"));
	trawl_rendered_free (r);

	o.html_command = "/nonexistent/dumper";
	r = render_fixture ("html-only.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_PART, "built-in renderer"));
	trawl_rendered_free (r);

	{
		/* A hung dumper (and its children) is killed after ~5 s (with
		 * a render budget above that: test-html-budget has the budget). */
		o.html_command = "sh -c 'sleep 30; sleep 30'";
		o.html_budget_us = 20 * G_USEC_PER_SEC;
		gint64 t0 = g_get_monotonic_time ();
		r = render_fixture ("html-only.eml", &o);
		g_assert_cmpint (g_get_monotonic_time () - t0, <, 8 * G_USEC_PER_SEC);
		g_assert_true (has_line (r, TRAWL_LINE_WARNING, "timed out"));
		trawl_rendered_free (r);
	}
}

static void
test_dumper_no_network (void)
{
	/* The dumper sees the proxy variables pointed at a dead address. */
	TrawlRenderOptions o = golden_opts (FALSE);
	o.html_command = "sh -c 'cat >/dev/null; echo \"proxy=$http_proxy\"'";
	TrawlRendered *r = render_fixture ("html-only.eml", &o);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "proxy=http://127.0.0.1:9"));
	trawl_rendered_free (r);
}

static void
test_safe_filename (void)
{
	struct { const char *in; const char *out; } cases[] = {
		{ "../../etc/passwd", "passwd" },
		{ "-rf", "rf" },
		{ ".bashrc", "bashrc" },
		{ "..", "attachment-3" },
		{ "", "attachment-3" },
		{ "dir/", "attachment-3" },
		{ "C:\\Windows\\evil.exe", "evil.exe" },
		{ "\x1b[31mred\x1b[0m.txt", "[31mred[0m.txt" },
		{ "line\nbreak\r.txt", "linebreak.txt" },
		{ "inv\u202egpj.exe", "invgpj.exe" },
		{ " - .hidden", "hidden" },
		{ "Übersicht — Q1.xlsx", "Übersicht — Q1.xlsx" },
		{ "bad\xff\xfeutf8.bin", "bad\xef\xbf\xbd\xef\xbf\xbdutf8.bin" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		char *s = trawl_mime_safe_filename (cases[i].in, 3);
		g_assert_cmpstr (s, ==, cases[i].out);
		g_free (s);
	}
	char *n = trawl_mime_safe_filename (NULL, 7);
	g_assert_cmpstr (n, ==, "attachment-7");
	g_free (n);

	/* Very long: at most 200 bytes, valid UTF-8, extension kept. */
	GString *lng = g_string_new (NULL);
	for (int i = 0; i < 300; i++)
		g_string_append (lng, "é");
	g_string_append (lng, ".pdf");
	char *s = trawl_mime_safe_filename (lng->str, 0);
	g_assert_cmpuint (strlen (s), <=, 200);
	g_assert_true (g_utf8_validate (s, -1, NULL));
	g_assert_true (g_str_has_suffix (s, ".pdf"));
	g_free (s);
	g_string_free (lng, TRUE);
}

static void
test_parts (void)
{
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = render_fixture ("attachments.eml", &o);
	g_assert_cmpuint (r->parts->len, ==, 8);
	TrawlPart *pdf = g_ptr_array_index (r->parts, 1);
	g_assert_cmpstr (pdf->content_type, ==, "application/pdf");
	g_assert_cmpstr (pdf->filename, ==, "report.pdf");
	g_assert_cmpuint (pdf->size, ==, 50);
	g_assert_true (pdf->is_attachment);
	TrawlPart *xl = g_ptr_array_index (r->parts, 3);
	g_assert_cmpstr (xl->filename, ==, "Übersicht — Q1.xlsx");
	TrawlPart *hostile = g_ptr_array_index (r->parts, 4);
	g_assert_cmpstr (hostile->filename, ==, "../../x");
	g_assert_cmpstr (hostile->safe_filename, ==, "x");
	TrawlPart *esc = g_ptr_array_index (r->parts, 5);
	g_assert_null (strchr (esc->safe_filename, 0x1b));
	TrawlPart *text = g_ptr_array_index (r->parts, 0);
	g_assert_false (text->is_attachment);
	/* An ATTACHMENT line per non-inline part, pointing at it. */
	guint n = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type == TRAWL_LINE_ATTACHMENT) {
			g_assert_cmpint (l->part, >=, 0);
			g_assert_cmpint (l->part, <, (int) r->parts->len);
			g_assert_true (((TrawlPart *) g_ptr_array_index (r->parts, l->part))->is_attachment);
			n++;
		}
	}
	g_assert_cmpuint (n, ==, 7);
	trawl_rendered_free (r);
}

static void
test_save_part (void)
{
	char *dir = g_dir_make_tmp ("trawl-save-XXXXXX", NULL);
	g_assert_nonnull (dir);
	char *eml = fixture ("attachments.eml");
	char *out = g_build_filename (dir, "report.pdf", NULL);
	GError *err = NULL;

	g_assert_true (trawl_mime_save_part (eml, 1, out, &err));
	g_assert_no_error (err);
	char *data = NULL;
	gsize len = 0;
	g_assert_true (g_file_get_contents (out, &data, &len, NULL));
	g_assert_cmpuint (len, ==, 50);
	g_assert_true (memcmp (data, "%PDF-1.4\n", 9) == 0);
	g_assert_true (g_str_has_suffix (data, "%%EOF\n"));
	g_free (data);

	/* Never overwrites: the second save fails and the file is unchanged. */
	g_assert_false (trawl_mime_save_part (eml, 2, out, &err));
	g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_EXIST);
	g_clear_error (&err);
	g_assert_true (g_file_get_contents (out, &data, &len, NULL));
	g_assert_cmpuint (len, ==, 50);
	g_free (data);

	/* Never follows a symlink (even a dangling one). */
	char *link = g_build_filename (dir, "link", NULL);
	char *target = g_build_filename (dir, "target", NULL);
	g_assert_cmpint (symlink (target, link), ==, 0);
	g_assert_false (trawl_mime_save_part (eml, 1, link, &err));
	g_assert_nonnull (err);
	g_clear_error (&err);
	g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

	/* The PNG decodes to its 70 bytes; a part index out of range fails. */
	char *png = g_build_filename (dir, "x.png", NULL);
	g_assert_true (trawl_mime_save_part (eml, 2, png, &err));
	g_assert_true (g_file_get_contents (png, &data, &len, NULL));
	g_assert_cmpuint (len, ==, 70);
	g_assert_true (memcmp (data, "\x89PNG", 4) == 0);
	g_free (data);
	char *none = g_build_filename (dir, "none", NULL);
	g_assert_false (trawl_mime_save_part (eml, 99, none, &err));
	g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_clear_error (&err);
	g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));

	/* A part of a forwarded message, by the same numbering as ->parts. */
	char *fwd = fixture ("forwarded.eml");
	char *zip = g_build_filename (dir, "inner.zip", NULL);
	g_assert_true (trawl_mime_save_part (fwd, 2, zip, &err));
	g_assert_true (g_file_get_contents (zip, &data, &len, NULL));
	g_assert_cmpuint (len, ==, 22);
	g_assert_true (memcmp (data, "PK\x05\x06", 4) == 0);
	g_free (data);

	/* A missing message fails with an error. */
	g_assert_false (trawl_mime_save_part ("/nonexistent/x.eml", 0, none, &err));
	g_assert_nonnull (err);
	g_clear_error (&err);

	const char *names[] = { "report.pdf", "link", "x.png", "inner.zip", NULL };
	for (int i = 0; names[i]; i++) {
		char *p = g_build_filename (dir, names[i], NULL);
		g_unlink (p);
		g_free (p);
	}
	g_rmdir (dir);
	g_free (fwd);
	g_free (zip);
	g_free (none);
	g_free (png);
	g_free (link);
	g_free (target);
	g_free (out);
	g_free (eml);
	g_free (dir);
}

static void
test_deep_nesting (void)
{
	/* 300 levels of multipart/mixed: capped, warned, no crash. */
	GString *m = g_string_new ("From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
	for (int i = 0; i < 300; i++)
		g_string_append_printf (m, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1);
	g_string_append_printf (m, "--b300\nContent-Type: text/plain\n\nthe bottom\n--b300--\n");
	for (int i = 299; i >= 0; i--)
		g_string_append_printf (m, "--b%d--\n", i);

	TrawlRenderOptions o = golden_opts (FALSE);
	gint64 t0 = g_get_monotonic_time ();
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpint (g_get_monotonic_time () - t0, <, 2 * G_USEC_PER_SEC);
	g_assert_true (r->truncated);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "nesting"));
	char *d = trawl_rendered_dump (r);
	assert_clean_dump (d);
	g_free (d);
	trawl_rendered_free (r);

	/* And 300 forwarded messages inside each other. */
	GString *f = g_string_new (NULL);
	for (int i = 0; i < 300; i++)
		g_string_append_printf (f, "From: l%d@example.com\nSubject: level %d\nMIME-Version: 1.0\n"
					"Content-Type: message/rfc822\n\n", i, i);
	g_string_append (f, "From: bottom@example.com\nSubject: bottom\n\nbottom text\n");
	r = trawl_mime_render_bytes (f->str, f->len, &o);
	g_assert_true (r->truncated);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "nesting"));
	trawl_rendered_free (r);

	/* A lower explicit cap. */
	o.max_depth = 3;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->truncated);
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "the bottom"));
	trawl_rendered_free (r);
	g_string_free (f, TRUE);
	g_string_free (m, TRUE);
}

static void
test_deep_parts_marker (void)
{
	/* 40 levels of multipart/mixed, with the text at the bottom and an
	 * attachment at level 35: both cut off by the cap of 32, counted and
	 * marked at their place; deep_parts shows them. */
	GString *m = g_string_new ("From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
	for (int i = 0; i < 40; i++)
		g_string_append_printf (m, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1);
	g_string_append (m, "--b40\nContent-Type: text/plain\n\nthe innermost text\n--b40--\n");
	for (int i = 39; i >= 0; i--) {
		if (i == 35)
			g_string_append (m, "--b35\nContent-Type: application/octet-stream\n"
					 "Content-Disposition: attachment; filename=deep.bin\n\nxyz\n");
		g_string_append_printf (m, "--b%d--\n", i);
	}

	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->truncated);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "nesting"));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "the innermost text"));
	g_assert_true (has_line (r, TRAWL_LINE_PART, "2 parts nested deeper than 32 levels not shown"));
	g_assert_cmpuint (r->parts_too_deep, ==, 2);
	/* One marker, standing for both, after the warning. */
	guint markers = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = r->lines->pdata[i];
		if (l->type == TRAWL_LINE_PART && l->count > 0) {
			markers++;
			g_assert_cmpuint (l->count, ==, 2);
		}
	}
	g_assert_cmpuint (markers, ==, 1);
	/* The parts are still numbered, as a deep render numbers them. */
	g_assert_cmpuint (r->parts->len, ==, 2);
	g_assert_cmpstr (((TrawlPart *) r->parts->pdata[0])->content_type, ==, "text/plain");
	g_assert_cmpstr (((TrawlPart *) r->parts->pdata[1])->filename, ==, "deep.bin");
	g_assert_cmpuint (r->stats.parts_decoded, ==, 0);
	trawl_rendered_free (r);

	/* With deep_parts: everything shown, no marker, no warning. */
	o.deep_parts = TRUE;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_false (r->truncated);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "the innermost text"));
	g_assert_true (has_line (r, TRAWL_LINE_ATTACHMENT, "deep.bin"));
	g_assert_false (has_line (r, TRAWL_LINE_PART, "nested deeper"));
	g_assert_false (has_line (r, TRAWL_LINE_WARNING, "nesting"));
	g_assert_cmpuint (r->parts_too_deep, ==, 0);
	g_assert_cmpuint (r->parts->len, ==, 2);
	trawl_rendered_free (r);

	/* A cap asked for above 1024 is 1024 (GMime's parser stops near
	 * there too, dropping what is deeper). */
	o.deep_parts = FALSE;
	o.max_depth = G_MAXUINT;
	GString *d = g_string_new ("From: a@example.com\nSubject: deeper\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
	for (int i = 0; i < 1030; i++)
		g_string_append_printf (d, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1);
	g_string_append (d, "--b1030\nContent-Type: text/plain\n\nvery deep\n--b1030--\n");
	for (int i = 1029; i >= 0; i--)
		g_string_append_printf (d, "--b%d--\n", i);
	r = trawl_mime_render_bytes (d->str, d->len, &o);
	g_assert_true (r->truncated);
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "very deep"));
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "nesting deeper than 1024 levels"));
	trawl_rendered_free (r);
	g_string_free (d, TRUE);
	g_string_free (m, TRUE);
}

static void
test_huge_header (void)
{
	GString *m = g_string_new ("From: a@example.com\nSubject: ");
	for (int i = 0; i < 20000; i++)
		g_string_append_c (m, "abcdefghij "[i % 11]);
	g_string_append (m, "\nX-Long: ");
	for (int i = 0; i < 20000; i++)
		g_string_append_c (m, 'x');
	g_string_append (m, "\n\nbody\n");
	TrawlRenderOptions o = golden_opts (TRUE);
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	gboolean found = FALSE;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		if (l->type == TRAWL_LINE_RAW_HEADER && strcmp (l->label, "X-Long") == 0) {
			g_assert_cmpuint (strlen (l->text), ==, strlen ("X-Long: ") + 20000);
			found = TRUE;
		}
	}
	g_assert_true (found);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "body"));
	trawl_rendered_free (r);
	g_string_free (m, TRUE);
}

static void
test_caps (void)
{
	/* max_part_bytes cuts a text part; max_lines cuts the message. */
	GString *m = g_string_new ("From: a@example.com\nSubject: big\n\n");
	for (int i = 0; i < 5000; i++)
		g_string_append_printf (m, "line %d\n", i);
	TrawlRenderOptions o = golden_opts (FALSE);
	o.max_part_bytes = 1000;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->truncated);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "larger than 1000 bytes"));
	g_assert_false (has_line (r, TRAWL_LINE_BODY, "line 999"));
	trawl_rendered_free (r);

	o.max_part_bytes = 0;
	o.max_lines = 100;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->truncated);
	g_assert_cmpuint (r->lines->len, <=, 100);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "more than 100 lines"));
	trawl_rendered_free (r);
	g_string_free (m, TRUE);
}

static void
test_garbage_never_crashes (void)
{
	/* Random bytes and mangled fixtures: always a result, always clean. */
	GRand *rand = g_rand_new_with_seed (42);
	TrawlRenderOptions o = golden_opts (FALSE);
	char *base = NULL;
	gsize blen = 0;
	char *p = fixture ("attachments.eml");
	g_assert_true (g_file_get_contents (p, &base, &blen, NULL));
	g_free (p);
	for (int i = 0; i < 200; i++) {
		char *buf = g_memdup2 (base, blen);
		gsize len = g_rand_int_range (rand, 0, (gint32) blen + 1);
		for (int k = 0; k < 20; k++)
			buf[g_rand_int_range (rand, 0, (gint32) blen)] = (char) g_rand_int (rand);
		TrawlRendered *r = trawl_mime_render_bytes (buf, len, &o);
		g_assert_nonnull (r);
		char *d = trawl_rendered_dump (r);
		assert_clean_dump (d);
		g_free (d);
		trawl_rendered_free (r);
		g_free (buf);
	}
	g_free (base);
	g_rand_free (rand);
}

static void
test_performance (void)
{
	/* ~100 KB of quoted, flowed-ish text with an attachment. */
	GString *m = g_string_new ("From: a@example.com\nSubject: perf\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=\"p\"\n\n--p\n"
				   "Content-Type: text/plain; charset=utf-8\n\n");
	while (m->len < 90000)
		g_string_append (m, "> Quoted text with some words in it, and ümlauts, for a while.\n"
				 "Reply text that goes on for a bit to make the line long enough.\n");
	g_string_append (m, "--p\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n");
	for (int i = 0; i < 150; i++)
		g_string_append (m, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5\n");
	g_string_append (m, "--p--\n");
	TrawlRenderOptions o = golden_opts (FALSE);
	/* Warm up, then take the best of a few runs. */
	trawl_rendered_free (trawl_mime_render_bytes (m->str, m->len, &o));
	gint64 best = G_MAXINT64;
	for (int i = 0; i < 5; i++) {
		gint64 t0 = g_get_monotonic_time ();
		TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
		best = MIN (best, g_get_monotonic_time () - t0);
		g_assert_cmpuint (r->lines->len, >, 1000);
		trawl_rendered_free (r);
	}
	g_test_message ("100 KB message rendered in %" G_GINT64_FORMAT " us", best);
	g_string_free (m, TRUE);
	/* A time limit fails on a slow or loaded build machine: it is a
	 * benchmark, asked for by TRAWL_PERF_TESTS=1 (10 ms; sanitizers 50). */
	if (!g_getenv ("TRAWL_PERF_TESTS")) {
		g_test_skip ("timing: set TRAWL_PERF_TESTS=1 to check the 10 ms render budget");
		return;
	}
#if defined(__SANITIZE_ADDRESS__)
	const gint64 limit = 50000;
#else
	const gint64 limit = 10000;
#endif
	g_assert_cmpint (best, <, limit);
}

static void
test_dump_clean_everywhere (void)
{
	/* Raw text keeps what the message says; the dump never has a control. */
	TrawlRenderOptions o = golden_opts (TRUE);
	TrawlRendered *r = render_fixture ("hostile-headers-allheaders.eml", &o);
	gboolean raw_esc = FALSE;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = g_ptr_array_index (r->lines, i);
		g_assert_true (g_utf8_validate (l->text, -1, NULL));
		if (strchr (l->text, 0x1b))
			raw_esc = TRUE;
	}
	g_assert_true (raw_esc);	/* not sanitised in the lines... */
	char *d = trawl_rendered_dump (r);
	assert_clean_dump (d);		/* ...but in the dump */
	g_assert_nonnull (strstr (d, "^[]0;pwned^G"));
	g_assert_nonnull (strstr (d, "<U+202E>"));
	g_free (d);
	trawl_rendered_free (r);
}

static void
test_nul_bytes (void)
{
	static const char msg[] = "From: a@example.com\nSubject: nul\n\nab\0cd\n";
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_bytes (msg, sizeof msg - 1, &o);
	g_assert_true (has_line (r, TRAWL_LINE_BODY, "ab\xef\xbf\xbd" "cd"));
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "NUL"));
	trawl_rendered_free (r);
}


/* ------------------------------------------------------- decoded once */

/* A message: a text part, then an attachment of ENCODED (its
 * Content-Transfer-Encoding ENC). */
static GString *
message_with (const char *text, const char *enc, const char *encoded)
{
	GString *m = g_string_new ("From: a@example.com\nSubject: once\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/mixed; boundary=\"p\"\n\n--p\n"
				   "Content-Type: text/plain; charset=utf-8\n\n");
	g_string_append (m, text);
	g_string_append_printf (m, "\n--p\nContent-Type: application/octet-stream\n"
				"Content-Disposition: attachment; filename=big.bin\n"
				"Content-Transfer-Encoding: %s\n\n", enc);
	g_string_append (m, encoded);
	g_string_append (m, "\n--p--\n");
	return m;
}

static void
test_decoded_once (void)
{
	/* 8 MiB in base64 lines: its size is counted, never decoded. */
	gsize raw = (gsize) 8 << 20;
	guchar *bin = g_malloc (raw);
	for (gsize i = 0; i < raw; i++)
		bin[i] = (guchar) ((i * 2654435761u) >> 13);
	char *b64 = g_base64_encode (bin, raw);
	g_free (bin);
	GString *enc = g_string_new (NULL);
	for (gsize i = 0, n = strlen (b64); i < n; i += 76) {
		g_string_append_len (enc, b64 + i, (gssize) MIN (76, n - i));
		g_string_append (enc, "\r\n");
	}
	g_free (b64);
	const char *text = "Hello,\n\n> quoted\n\nthe report is attached.\n-- \nA\n";
	GString *m = message_with (text, "base64", enc->str);
	g_string_free (enc, TRUE);

	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->parts->len, ==, 2);
	TrawlPart *att = g_ptr_array_index (r->parts, 1);
	g_assert_cmpuint (att->size, ==, raw);
	g_assert_true (has_line (r, TRAWL_LINE_ATTACHMENT, "big.bin, application/octet-stream, 8.4"));
	g_assert_true (has_line (r, TRAWL_LINE_SIGNATURE, "A"));
	/* One part decoded (the text, once: its bytes and no more), one counted. */
	g_assert_cmpuint (r->stats.parts_decoded, ==, 1);
	g_assert_cmpuint (r->stats.bytes_decoded, ==, strlen (text));
	g_assert_cmpuint (r->stats.parts_counted, ==, 1);
	g_assert_cmpuint (((TrawlPart *) g_ptr_array_index (r->parts, 0))->size, ==, strlen (text));
	trawl_rendered_free (r);
	g_string_free (m, TRUE);

	/* An alternative not shown is counted, not decoded; the one shown is
	 * decoded once. */
	o.alternative = 0;
	r = render_fixture ("alternative.eml", &o);
	g_assert_cmpuint (r->parts->len, ==, 2);
	g_assert_cmpuint (r->stats.parts_decoded, ==, 1);
	g_assert_cmpuint (r->stats.parts_counted, ==, 1);
	trawl_rendered_free (r);

	/* A text part over the cap: decoded up to the cap, its size whole. */
	GString *big = g_string_new (NULL);
	for (int i = 0; i < 2000; i++)
		g_string_append_printf (big, "line %d\n", i);
	m = message_with (big->str, "7bit", "x");
	o.max_part_bytes = 1000;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (has_line (r, TRAWL_LINE_WARNING, "larger than 1000 bytes"));
	g_assert_cmpuint (((TrawlPart *) g_ptr_array_index (r->parts, 0))->size, ==, big->len);
	g_assert_cmpuint (r->stats.parts_decoded, ==, 1);
	g_assert_cmpuint (r->stats.bytes_decoded, <=, 1000 + 65536);
	trawl_rendered_free (r);
	g_string_free (m, TRUE);
	g_string_free (big, TRUE);
}

/* The size of part INDEX as the renderer counts it and as
 * trawl_mime_save_part() (GMime's decoder) writes it must agree. */
static void
assert_size_as_saved (const GString *m, int index, const char *dir, guint seq)
{
	char *eml = g_strdup_printf ("%s/m%u.eml", dir, seq);
	char *out = g_strdup_printf ("%s/p%u", dir, seq);
	g_assert_true (g_file_set_contents (eml, m->str, (gssize) m->len, NULL));
	TrawlRenderOptions o = golden_opts (FALSE);
	o.max_part_bytes = 64;	/* text parts cut: their size is counted past the cap */
	GError *err = NULL;
	TrawlRendered *r = trawl_mime_render_file (eml, &o, &err);
	g_assert_no_error (err);
	g_assert_cmpuint (r->parts->len, >, (guint) index);
	gsize counted = ((TrawlPart *) g_ptr_array_index (r->parts, index))->size;
	trawl_rendered_free (r);
	g_assert_true (trawl_mime_save_part (eml, index, out, &err));
	g_assert_no_error (err);
	GStatBuf st;
	g_assert_cmpint (g_stat (out, &st), ==, 0);
	if ((gsize) st.st_size != counted) {
		g_test_message ("part %d counted %" G_GSIZE_FORMAT ", saved %" G_GINT64_FORMAT " bytes:\n%s",
				index, counted, (gint64) st.st_size, m->str);
		g_assert_cmpuint ((gsize) st.st_size, ==, counted);
	}
	g_unlink (out);
	g_unlink (eml);
	g_free (out);
	g_free (eml);
}

static void
test_counted_sizes (void)
{
	/* Hostile base64 and quoted-printable: junk, padding in odd places,
	 * cut quartets, broken escapes, soft breaks of both kinds. */
	static const char b64_bits[] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY+/09azAZ \t\r\n\r\n=*!\xff~-_.:,";
	static const char qp_bits[] = "abc =3D=3d=4=\n=\r\n=G1=zz\r\n\t \xe9=C3=A9=\r=";
	char *dir = g_dir_make_tmp ("trawl-size-XXXXXX", NULL);
	g_assert_nonnull (dir);
	GRand *rand = g_rand_new_with_seed (7);
	guint seq = 0;
	for (int round = 0; round < 300; round++) {
		gboolean qp = round % 2 == 1;
		const char *bits = qp ? qp_bits : b64_bits;
		gsize nbits = strlen (bits);
		GString *body = g_string_new (NULL);
		int len = g_rand_int_range (rand, 0, round < 280 ? 400 : 200000);
		for (int i = 0; i < len; i++) {
			/* Mostly clean text, now and then a hostile byte. */
			if (g_rand_int_range (rand, 0, 10) == 0)
				g_string_append_c (body, bits[g_rand_int_range (rand, 0, (gint32) nbits)]);
			else
				g_string_append_c (body, qp ? "abcdefgh  xyz\n"[g_rand_int_range (rand, 0, 14)]
							    : b64_bits[g_rand_int_range (rand, 0, 30)]);
		}
		if (strstr (body->str, "--p"))
			g_string_assign (body, "QUJD");
		const char *enc = qp ? "quoted-printable" : "base64";
		GString *m = message_with ("text", enc, body->str);
		assert_size_as_saved (m, 1, dir, seq++);
		g_string_free (m, TRUE);
		/* The same as a text part shown (decoded, cut at the cap). */
		m = g_string_new (NULL);
		g_string_append_printf (m, "From: a@example.com\nSubject: t\nMIME-Version: 1.0\n"
					"Content-Type: text/plain; charset=utf-8\n"
					"Content-Transfer-Encoding: %s\n\n%s", enc, body->str);
		assert_size_as_saved (m, 0, dir, seq++);
		g_string_free (m, TRUE);
		g_string_free (body, TRUE);
	}
	g_rand_free (rand);
	g_rmdir (dir);
	g_free (dir);
}

/* ----------------------------------------------------- process runner */

static void
test_capture_output (void)
{
	char *argv[] = { (char *) "sh", (char *) "-c", (char *) "cat; printf 'x\\000y'; exit 3", NULL };
	TrawlCaptureOptions o = { 0 };
	o.input = "hello ";
	o.input_len = 6;
	o.timeout_us = 20 * G_USEC_PER_SEC;
	TrawlCaptureResult res;
	GError *err = NULL;
	g_assert_true (trawl_process_capture (argv, &o, &res, &err));
	g_assert_no_error (err);
	g_assert_cmpuint (res.output_len, ==, 9);
	g_assert_true (memcmp (res.output, "hello x\0y", 9) == 0);
	g_assert_cmpint (res.status, ==, 3);
	g_assert_false (res.timed_out);
	g_assert_false (res.output_cut);
	trawl_capture_result_clear (&res);

	/* A program that never reads a big input: no SIGPIPE, no hang, even
	 * with SIGPIPE at its default (trawl ignores it, and so may a library
	 * here, GIO does), and no SIGPIPE left pending or blocked afterwards. */
	struct sigaction dfl = { 0 }, pipe_act;
	dfl.sa_handler = SIG_DFL;
	sigemptyset (&dfl.sa_mask);
	sigaction (SIGPIPE, &dfl, &pipe_act);
	gsize big = (gsize) 4 << 20;
	char *input = g_malloc0 (big);
	char *quit[] = { (char *) "true", NULL };
	o.input = input;
	o.input_len = big;
	g_assert_true (trawl_process_capture (quit, &o, &res, &err));
	g_assert_cmpint (res.status, ==, 0);
	g_assert_false (res.timed_out);
	trawl_capture_result_clear (&res);
	g_free (input);
	sigset_t set;
	sigemptyset (&set);
	sigpending (&set);
	g_assert_false (sigismember (&set, SIGPIPE));
	sigemptyset (&set);
	sigprocmask (SIG_BLOCK, NULL, &set);
	g_assert_false (sigismember (&set, SIGPIPE));
	sigaction (SIGPIPE, &pipe_act, NULL);

	/* stdin is something every dumper can read (elinks cannot read a
	 * socket): a pipe. */
	char *kind[] = { (char *) "sh", (char *) "-c", (char *) "test -p /dev/stdin && cat", NULL };
	o.input = "piped";
	o.input_len = 5;
	g_assert_true (trawl_process_capture (kind, &o, &res, &err));
	g_assert_cmpint (res.status, ==, 0);
	g_assert_cmpstr (res.output, ==, "piped");
	trawl_capture_result_clear (&res);

	/* Output past the cap ends the program; the first bytes are kept. */
	char *yes[] = { (char *) "yes", NULL };
	TrawlCaptureOptions oc = { 0 };
	oc.output_cap = 1000;
	oc.timeout_us = 20 * G_USEC_PER_SEC;
	g_assert_true (trawl_process_capture (yes, &oc, &res, &err));
	g_assert_true (res.output_cut);
	g_assert_false (res.timed_out);
	g_assert_cmpuint (res.output_len, ==, 1000);
	g_assert_true (g_str_has_prefix (res.output, "y\ny\n"));
	g_assert_cmpint (res.status, ==, 128 + SIGKILL);
	trawl_capture_result_clear (&res);

	/* A program that cannot start: FALSE, an error, nothing to free. */
	char *none[] = { (char *) "/nonexistent/trawl-dumper", NULL };
	g_assert_false (trawl_process_capture (none, &oc, &res, &err));
	g_assert_nonnull (err);
	g_assert_null (res.output);
	g_clear_error (&err);
}

/* Whether a process of process group PGID is alive (zombies are dead). */
static gboolean
group_alive (int pgid)
{
	GDir *d = g_dir_open ("/proc", 0, NULL);
	g_assert_nonnull (d);
	gboolean alive = FALSE;
	const char *n;
	while (!alive && (n = g_dir_read_name (d))) {
		if (!g_ascii_isdigit (n[0]))
			continue;
		char *path = g_strdup_printf ("/proc/%s/stat", n);
		char *stat = NULL;
		if (g_file_get_contents (path, &stat, NULL, NULL)) {
			/* pid (comm) state ppid pgrp ...: comm may hold spaces. */
			const char *rp = strrchr (stat, ')');
			char state = 0;
			int ppid = 0, pgrp = 0;
			if (rp && sscanf (rp + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
			    pgrp == pgid && state != 'Z' && state != 'X')
				alive = TRUE;
			g_free (stat);
		}
		g_free (path);
	}
	g_dir_close (d);
	return alive;
}

static void
test_capture_timeout (void)
{
	/* The shell says its pid (its process group's id) and sleeps in a
	 * child: the time limit kills both. */
	char *argv[] = { (char *) "sh", (char *) "-c", (char *) "echo $$; sleep 30; sleep 30", NULL };
	TrawlCaptureOptions o = { 0 };
	o.timeout_us = G_USEC_PER_SEC / 2;
	TrawlCaptureResult res;
	GError *err = NULL;
	gint64 t0 = g_get_monotonic_time ();
	g_assert_true (trawl_process_capture (argv, &o, &res, &err));
	g_assert_no_error (err);
	/* Far less than the 30 s the script would take. */
	g_assert_cmpint (g_get_monotonic_time () - t0, <, 20 * G_USEC_PER_SEC);
	g_assert_true (res.timed_out);
	g_assert_cmpint (res.status, ==, 128 + SIGKILL);
	int pgid = atoi (res.output);
	g_assert_cmpint (pgid, >, 1);
	trawl_capture_result_clear (&res);
	/* No process of its group is left (the sleep is gone with the shell);
	 * whoever reaps the orphan may take a moment. */
	gboolean alive = TRUE;
	for (int i = 0; i < 200 && (alive = group_alive (pgid)); i++)
		g_usleep (25000);
	g_assert_false (alive);
}

static void
test_capture_signals (void)
{
	struct sigaction before;
	sigaction (SIGINT, NULL, &before);

	/* Ctrl-C and Ctrl-\ sent to trawl while the program runs: trawl
	 * ignores them, the program goes on. */
	char *argv[] = { (char *) "sh", (char *) "-c", (char *) "kill -INT $PPID; kill -QUIT $PPID; echo alive", NULL };
	TrawlCaptureOptions o = { 0 };
	o.timeout_us = 20 * G_USEC_PER_SEC;
	TrawlCaptureResult res;
	GError *err = NULL;
	g_assert_true (trawl_process_capture (argv, &o, &res, &err));
	g_assert_cmpstr (res.output, ==, "alive\n");
	g_assert_cmpint (res.status, ==, 0);
	trawl_capture_result_clear (&res);

	/* The program starts with SIGINT at its default (an ignored signal
	 * would stay ignored across exec): it dies of one. */
	char *self[] = { (char *) "sh", (char *) "-c", (char *) "kill -INT $$; echo not reached", NULL };
	g_assert_true (trawl_process_capture (self, &o, &res, &err));
	g_assert_cmpstr (res.output, ==, "");
	g_assert_cmpint (res.status, ==, 128 + SIGINT);
	trawl_capture_result_clear (&res);

	/* And trawl's own disposition is back as it was. */
	struct sigaction after;
	sigaction (SIGINT, NULL, &after);
	g_assert_true (after.sa_handler == before.sa_handler);
}

/* ------------------------------------------------------- long lines */
/* A body that is one enormous line renders as that one line, whole and
 * valid, and the screen's path (tabs, sanitise, wrap: as the UI's pager
 * does) turns it into exactly the rows its width needs, each fitting, none
 * holding a control or bidi character, nothing lost. */

#include "trawl/wrap.h"

/* A text/plain (8bit) message in CHARSET: "before", BODY, "after". */
static GString *
long_line_message (const GString *body, const char *charset)
{
	GString *m = g_string_new (NULL);
	g_string_printf (m, "From: a@example.com\nSubject: long\nMIME-Version: 1.0\n"
			 "Content-Type: text/plain; charset=%s\n"
			 "Content-Transfer-Encoding: 8bit\n\nbefore\n", charset);
	g_string_append_len (m, body->str, (gssize) body->len);
	g_string_append (m, "\nafter\n");
	return m;
}

static GString *
repeated (const char *unit, gsize unit_len, gsize times)
{
	GString *s = g_string_sized_new (unit_len * times + 1);
	for (gsize i = 0; i < times; i++)
		g_string_append_len (s, unit, (gssize) unit_len);
	return s;
}

/* Renders BODY's message (in CHARSET) and checks it: a handful of lines,
 * every one valid UTF-8, the longest a BODY line of at least MIN_BYTES
 * (nothing cut) between "before" and "after".  Returns that line's text,
 * sanitised (tabs expanded first), checked clean; its width in *COLS. */
static char *
render_long_line (const GString *body, const char *charset, gsize min_bytes, int *cols)
{
	g_autoptr (GString) m = long_line_message (body, charset);
	TrawlRenderOptions o = golden_opts (FALSE);
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_nonnull (r);
	/* Headers, before, the line, after, and at most a warning or two. */
	g_assert_cmpuint (r->lines->len, <=, 12);
	g_assert_cmpuint (r->stats.parts_decoded, ==, 1);
	g_assert_cmpuint (r->stats.bytes_decoded, <=, m->len);
	guint longest = 0, before = G_MAXUINT, after = G_MAXUINT;
	gsize longest_len = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = r->lines->pdata[i];
		g_assert_nonnull (l->text);
		g_assert_true (g_utf8_validate (l->text, -1, NULL));
		if (l->type == TRAWL_LINE_BODY && strcmp (l->text, "before") == 0)
			before = i;
		if (l->type == TRAWL_LINE_BODY && strcmp (l->text, "after") == 0)
			after = i;
		if (strlen (l->text) > longest_len) {
			longest = i;
			longest_len = strlen (l->text);
		}
	}
	const TrawlLine *line = r->lines->pdata[longest];
	g_assert_cmpint (line->type, ==, TRAWL_LINE_BODY);
	g_assert_cmpuint (longest_len, >=, min_bytes);
	g_assert_cmpuint (before + 1, ==, longest);
	g_assert_cmpuint (longest + 1, ==, after);

	g_autofree char *expanded = trawl_expand_tabs (line->text);
	char *safe = trawl_sanitize (expanded, -1);
	trawl_rendered_free (r);
	assert_clean_dump (safe);
	for (const char *p = safe; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		g_assert_true (c >= 0x20 && c != 0x2028 && c != 0x2029 && c != 0xFEFF);
	}
	*cols = trawl_text_width (safe);
	return safe;
}

/* Wraps SAFE (a text without spaces, COLS columns, no character wider than
 * 1) at WIDTH: exactly ceil(COLS / WIDTH) rows, each at most WIDTH columns
 * (all but the last exactly WIDTH), valid UTF-8, none starting with a
 * combining mark (a character is never split from its marks), and together
 * SAFE again. */
static void
check_long_wrap (const char *safe, int cols, int width)
{
	GPtrArray *rows = trawl_text_wrap (safe, width);
	g_assert_cmpuint (rows->len, ==, (guint) ((cols + width - 1) / width));
	gsize at = 0;
	for (guint i = 0; i < rows->len; i++) {
		const char *row = rows->pdata[i];
		g_assert_true (g_utf8_validate (row, -1, NULL));
		int w = trawl_text_width (row);
		g_assert_cmpint (w, <=, width);
		if (i + 1 < rows->len)
			g_assert_cmpint (w, ==, width);
		g_assert_false (g_unichar_ismark (g_utf8_get_char (row)));
		gsize n = strlen (row);
		g_assert_true (strncmp (safe + at, row, n) == 0);
		at += n;
	}
	g_assert_cmpuint (at, ==, strlen (safe));
	g_ptr_array_unref (rows);
}

static void
test_long_line_no_spaces (void)
{
	/* 3 MB of letters and digits, no space anywhere. */
	static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	g_autoptr (GString) body = repeated (alnum, sizeof alnum - 1, 3000000 / (sizeof alnum - 1) + 1);
	int cols = 0;
	g_autofree char *safe = render_long_line (body, "utf-8", body->len, &cols);
	g_assert_cmpint (cols, ==, (int) body->len);
	g_assert_cmpstr (safe, ==, body->str);
	check_long_wrap (safe, cols, 99);	/* the message pane's, at 100 columns */
}

static void
test_long_line_combining (void)
{
	/* 1 MB of 'e' + U+0301: one column each. */
	g_autoptr (GString) body = repeated ("e\xcc\x81", 3, 1000000 / 3 + 1);
	int cols = 0;
	g_autofree char *safe = render_long_line (body, "utf-8", body->len, &cols);
	g_assert_cmpint (cols, ==, (int) (body->len / 3));
	g_assert_cmpstr (safe, ==, body->str);
	check_long_wrap (safe, cols, 77);

	/* One base character and 1 MB of marks after it: one column, so one
	 * row at any width, the marks kept with it. */
	g_autoptr (GString) marks = repeated ("\xcc\x81", 2, 500000);
	g_string_prepend_c (marks, 'x');
	g_autofree char *safe2 = render_long_line (marks, "utf-8", marks->len, &cols);
	g_assert_cmpint (cols, ==, 1);
	g_assert_cmpstr (safe2, ==, marks->str);
	check_long_wrap (safe2, cols, 1);
	check_long_wrap (safe2, cols, 80);

	/* Marks with no base at all. */
	g_autoptr (GString) bare = repeated ("\xcc\x81", 2, 500000);
	g_autofree char *safe3 = render_long_line (bare, "utf-8", bare->len, &cols);
	g_assert_cmpint (cols, ==, 0);
	GPtrArray *rows = trawl_text_wrap (safe3, 80);
	g_assert_cmpuint (rows->len, ==, 1);
	g_assert_cmpstr (rows->pdata[0], ==, safe3);
	g_ptr_array_unref (rows);
}

static void
test_long_line_controls (void)
{
	/* 1 MB of what a terminal would obey: OSC title and clipboard, clear
	 * screen, a C1 CSI and NEL, bidi overrides and isolates, NUL, DEL,
	 * backspace, bell, vertical tab, form feed. */
	static const char unit[] =
		"\x1b]0;PWNED\x07" "\x1b]52;c;cHduZWQ=\x07" "\x1b[2J\x1b[H" "\xc2\x9b" "31m"
		"\xc2\x85" "\xe2\x80\xae" "evil" "\xe2\x81\xa6" "\xe2\x80\xac" "\0" "\x7f\x08\x0b\x0c" "Z";
	g_autoptr (GString) body = repeated (unit, sizeof unit - 1, 1000000 / (sizeof unit - 1) + 1);
	int cols = 0;
	/* The decoded text grows (U+FFFD for each NUL). */
	g_autofree char *safe = render_long_line (body, "utf-8", body->len, &cols);
	/* Every unit made visible, in order. */
	g_assert_nonnull (strstr (safe, "^[]0;PWNED^G^[]52;c;cHduZWQ=^G^[[2J^[[H<U+009B>31m<U+0085>"));
	g_assert_nonnull (strstr (safe, "<U+202E>evil<U+2066><U+202C>"));
	g_assert_nonnull (strstr (safe, "<U+202C>\xef\xbf\xbd^?^H^K^LZ^[]0;"));
	g_assert_cmpint (cols, >, (int) body->len);
	check_long_wrap (safe, cols, 99);

	/* 300 KB of raw high bytes labelled ISO-8859-1, read as windows-1252:
	 * 0x9B is a quote there, but its five undefined bytes (OSC 0x9D among
	 * them) stay the C1 controls of that value. */
	static const char latin1[] = "\x9d" "0;T" "\x81\x8d\x8f\x90" "\x9b" "2J" "\xe9";
	g_autoptr (GString) body1 = repeated (latin1, sizeof latin1 - 1, 300000 / (sizeof latin1 - 1) + 1);
	g_autofree char *safe1 = render_long_line (body1, "iso-8859-1", body1->len, &cols);
	g_assert_nonnull (strstr (safe1, "\xc3\xa9<U+009D>0;T<U+0081><U+008D><U+008F><U+0090>\xe2\x80\xba" "2J"));
	check_long_wrap (safe1, cols, 80);
}

int
main (int argc, char **argv)
{
	g_setenv ("TZ", "UTC", TRUE);
	tzset ();
	trawl_locale_init ();
	trawl_mime_init ();
	g_test_init (&argc, &argv, NULL);

	const char *top = g_getenv ("abs_top_srcdir");
	if (!top)
		top = g_getenv ("top_srcdir");
	if (!top)
		top = g_getenv ("srcdir");
	if (!top)
		top = ".";
	render_dir = g_build_filename (top, "tests", "render", NULL);

	GDir *dir = g_dir_open (render_dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	if (dir) {
		const char *n;
		while ((n = g_dir_read_name (dir)))
			if (g_str_has_suffix (n, ".eml"))
				g_ptr_array_add (names, g_strdup (n));
		g_dir_close (dir);
	}
	if (names->len < 20) {
		g_printerr ("test-render: only %u fixtures in %s\n", names->len, render_dir);
		return 1;
	}
	g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
	GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index (names, i);
		char *path = g_build_filename (render_dir, n, NULL);
		char *tname = g_strdup_printf ("/render/golden/%.*s", (int) strlen (n) - 4, n);
		g_ptr_array_add (paths, path);
		g_test_add_data_func (tname, path, test_golden);
		g_free (tname);
	}

	g_test_add_func ("/render/missing-file", test_missing_file);
	g_test_add_func ("/render/empty", test_empty);
	g_test_add_func ("/render/headers", test_headers_all_decoded);
	g_test_add_func ("/render/quote-fold", test_quote_fold);
	g_test_add_func ("/render/alternative", test_alternative_choice);
	g_test_add_func ("/render/html/w3m", test_w3m);
	g_test_add_func ("/render/html/dumper/w3m", test_dumper_w3m);
	g_test_add_func ("/render/html/dumper/lynx", test_dumper_lynx);
	g_test_add_func ("/render/html/dumper/elinks", test_dumper_elinks);
	g_test_add_func ("/render/html/command-fails", test_html_command_fails);
	g_test_add_func ("/render/html/no-network-env", test_dumper_no_network);
	g_test_add_func ("/render/safe-filename", test_safe_filename);
	g_test_add_func ("/render/parts", test_parts);
	g_test_add_func ("/render/save-part", test_save_part);
	g_test_add_func ("/render/deep-nesting", test_deep_nesting);
	g_test_add_func ("/render/deep-parts-marker", test_deep_parts_marker);
	g_test_add_func ("/render/huge-header", test_huge_header);
	g_test_add_func ("/render/caps", test_caps);
	g_test_add_func ("/render/garbage", test_garbage_never_crashes);
	g_test_add_func ("/render/performance", test_performance);
	g_test_add_func ("/render/dump-clean", test_dump_clean_everywhere);
	g_test_add_func ("/render/nul-bytes", test_nul_bytes);
	g_test_add_func ("/render/decoded-once", test_decoded_once);
	g_test_add_func ("/render/counted-sizes", test_counted_sizes);
	g_test_add_func ("/process/capture/output", test_capture_output);
	g_test_add_func ("/process/capture/timeout-kills-group", test_capture_timeout);
	g_test_add_func ("/process/capture/signals", test_capture_signals);
	g_test_add_func ("/render/long-line/no-spaces", test_long_line_no_spaces);
	g_test_add_func ("/render/long-line/combining", test_long_line_combining);
	g_test_add_func ("/render/long-line/controls", test_long_line_controls);

	int rc = g_test_run ();
	g_ptr_array_unref (paths);
	g_ptr_array_unref (names);
	g_free (render_dir);
	return rc;
}
