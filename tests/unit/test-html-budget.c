/* test-html-budget.c — no message may hold trawl up: the render budget for
 * HTML parts, the cache of rendered parts, and the interrupt the UI's q uses.
 *
 * Work is counted, never timed: the dumper is a shell script that appends a
 * line to a count file for every run (so the file says how many times it
 * really ran, beside TrawlRenderStats), and the messages are generated here
 * (many small HTML parts; a few parts whose dumper never finishes). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "trawl/mime.h"

static char *dir;

/* A message of N text/html parts, part K saying "html part K". */
static GString *
many_parts (guint n)
{
	GString *m = g_string_new ("From: a@example.org\nTo: b@example.org\nSubject: many\n"
				   "Date: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <many@example.org>\n"
				   "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n");
	for (guint k = 0; k < n; k++)
		g_string_append_printf (m, "--B\nContent-Type: text/html\n\n<p>html part %u</p>\n", k);
	g_string_append (m, "--B--\n");
	return m;
}

/* A dumper command that counts its runs in a file and prints its input
 * (after sleeping SLEEP seconds: 0 for none). */
static char *
counting_dumper (const char *name, guint sleep_s, char **count_file)
{
	*count_file = g_build_filename (dir, name, NULL);
	g_remove (*count_file);
	char *script = g_build_filename (dir, "dumper.sh", NULL);
	g_file_set_contents (script, "#!/bin/sh\necho run >> \"$1\"\n[ \"$2\" -gt 0 ] && sleep \"$2\"\nexec cat\n",
			     -1, NULL);
	char *cmd = g_strdup_printf ("sh '%s' '%s' %u", script, *count_file, sleep_s);
	g_free (script);
	return cmd;
}

static guint
runs_in (const char *count_file)
{
	char *text = NULL;
	if (!g_file_get_contents (count_file, &text, NULL, NULL))
		return 0;
	guint n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	g_free (text);
	return n;
}

/* The HELD lines of R: their count, their texts in *TEXTS (joined). */
static guint
held_lines (const TrawlRendered *r, GString *texts)
{
	guint n = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = r->lines->pdata[i];
		if (l->type == TRAWL_LINE_HELD) {
			n++;
			if (texts)
				g_string_append_printf (texts, "%s\n", l->text);
		}
	}
	return n;
}

static guint
lines_containing (const TrawlRendered *r, const char *needle)
{
	guint n = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = r->lines->pdata[i];
		if (l->text && strstr (l->text, needle))
			n++;
	}
	return n;
}

/* 200 HTML parts: the dumper runs 16 times (the default), the other 184
 * parts go to the built-in renderer, and one HELD line says so.  Every part
 * is still shown. */
static void
test_run_budget (void)
{
	char *count = NULL;
	char *cmd = counting_dumper ("runs-budget", 0, &count);
	GString *m = many_parts (200);
	TrawlRenderOptions o = { 0 };
	o.html_command = cmd;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 16);
	g_assert_cmpuint (runs_in (count), ==, 16);
	g_assert_cmpuint (r->stats.html_builtin, ==, 184);
	g_assert_cmpuint (r->html_held, ==, 184);
	g_assert_cmpuint (r->stats.html_held, ==, 0);
	g_assert_false (r->interrupted);
	GString *held = g_string_new (NULL);
	g_assert_cmpuint (held_lines (r, held), ==, 1);
	g_assert_nonnull (strstr (held->str, "184 more HTML parts shown by the built-in renderer"));
	g_assert_nonnull (strstr (held->str, "16 runs of sh"));
	/* Every part shown: the first (dumper) and the last (built-in). */
	g_assert_cmpuint (lines_containing (r, "html part 0"), ==, 1);
	g_assert_cmpuint (lines_containing (r, "html part 199"), ==, 1);
	g_string_free (held, TRUE);
	trawl_rendered_free (r);

	/* No budget: all 200 by the dumper, no HELD line. */
	g_remove (count);
	o.no_budget = TRUE;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 200);
	g_assert_cmpuint (runs_in (count), ==, 200);
	g_assert_cmpuint (held_lines (r, NULL), ==, 0);
	g_assert_cmpuint (r->html_held, ==, 0);
	trawl_rendered_free (r);

	g_string_free (m, TRUE);
	g_free (cmd);
	g_free (count);
}

/* The cache: the same message again (as H, a, or coming back to it do)
 * runs no dumper and gives the same lines; so does a render with other
 * options. */
static void
test_cache (void)
{
	char *count = NULL;
	char *cmd = counting_dumper ("runs-cache", 0, &count);
	GString *m = many_parts (40);
	g_autoptr (TrawlHtmlCache) cache = trawl_html_cache_new (16 << 20);
	TrawlRenderOptions o = { 0 };
	o.html_command = cmd;
	o.html_cache = cache;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 16);
	g_assert_cmpuint (r->stats.html_builtin, ==, 24);
	char *first = trawl_rendered_dump (r);
	trawl_rendered_free (r);

	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 0);
	g_assert_cmpuint (r->stats.html_builtin, ==, 0);
	g_assert_cmpuint (r->stats.html_cache_hits, ==, 40);
	char *second = trawl_rendered_dump (r);
	g_assert_cmpstr (first, ==, second);
	trawl_rendered_free (r);

	o.all_headers = TRUE;	/* H */
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 0);
	g_assert_cmpuint (r->stats.html_cache_hits, ==, 40);
	trawl_rendered_free (r);
	g_assert_cmpuint (runs_in (count), ==, 16);

	/* render-all after that: only the 24 parts not yet dumped run. */
	o.no_budget = TRUE;
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 24);
	g_assert_cmpuint (r->stats.html_cache_hits, ==, 16);
	trawl_rendered_free (r);
	g_assert_cmpuint (runs_in (count), ==, 40);

	/* A cache too small for a text keeps nothing, and is still correct. */
	g_autoptr (TrawlHtmlCache) tiny = trawl_html_cache_new (16);
	o.html_cache = tiny;
	o.no_budget = FALSE;
	g_remove (count);
	for (int k = 0; k < 2; k++) {
		r = trawl_mime_render_bytes (m->str, m->len, &o);
		g_assert_cmpuint (r->stats.html_dumper_runs, ==, 16);
		g_assert_cmpuint (r->stats.html_cache_hits, ==, 0);
		trawl_rendered_free (r);
	}

	g_free (first);
	g_free (second);
	g_string_free (m, TRUE);
	g_free (cmd);
	g_free (count);
}

/* A dumper that never finishes is cut when the time budget ends, once: the
 * parts after it go to the built-in renderer without another run, and a
 * render again does not run it to find out again. */
static void
test_time_budget (void)
{
	char *count = NULL;
	char *cmd = counting_dumper ("runs-slow", 60, &count);
	GString *m = many_parts (3);
	g_autoptr (TrawlHtmlCache) cache = trawl_html_cache_new (16 << 20);
	TrawlRenderOptions o = { 0 };
	o.html_command = cmd;
	o.html_cache = cache;
	o.html_budget_us = 200 * 1000;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 1);
	g_assert_cmpuint (r->stats.html_builtin, ==, 3);
	g_assert_cmpuint (r->html_held, ==, 3);
	g_assert_cmpuint (lines_containing (r, "html part 2"), ==, 1);
	GString *held = g_string_new (NULL);
	g_assert_cmpuint (held_lines (r, held), ==, 1);
	g_assert_nonnull (strstr (held->str, "3 more HTML parts shown by the built-in renderer"));
	trawl_rendered_free (r);

	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 0);
	g_assert_cmpuint (r->html_held, ==, 3);
	trawl_rendered_free (r);
	g_assert_cmpuint (runs_in (count), ==, 1);

	g_string_free (held, TRUE);
	g_string_free (m, TRUE);
	g_free (cmd);
	g_free (count);
}

typedef struct {
	guint calls;
	guint stop_at;		/* TRUE from this call on */
} Interrupt;

static gboolean
interrupt_cb (gpointer data)
{
	Interrupt *in = data;
	return ++in->calls >= in->stop_at;
}

/* The UI's q: asked while the dumper runs, it kills the dumper at once (the
 * dumper here would sleep a minute), and no other part is rendered; a HELD
 * line counts them.  Asked before each part, it stops a render of many
 * quick parts too. */
static void
test_interrupt (void)
{
	char *count = NULL;
	char *cmd = counting_dumper ("runs-interrupt", 60, &count);
	GString *m = many_parts (8);
	TrawlRenderOptions o = { 0 };
	o.html_command = cmd;
	Interrupt in = { 0, 3 };
	o.interrupt = interrupt_cb;
	o.interrupt_data = &in;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->interrupted);
	g_assert_cmpuint (r->stats.html_dumper_runs, ==, 1);
	g_assert_cmpuint (in.calls, ==, 3);	/* before part 0, twice while it ran */
	g_assert_cmpuint (r->stats.html_held, ==, 8);
	g_assert_cmpuint (r->stats.html_builtin, ==, 0);
	GString *held = g_string_new (NULL);
	g_assert_cmpuint (held_lines (r, held), ==, 1);
	g_assert_nonnull (strstr (held->str, "8 HTML parts not rendered: rendering was interrupted"));
	g_assert_cmpuint (lines_containing (r, "html part"), ==, 0);
	trawl_rendered_free (r);
	g_string_free (held, TRUE);
	g_string_free (m, TRUE);
	g_free (cmd);

	/* Quick parts: the 11th question stops the render, whether it comes
	 * before a part or while one runs. */
	cmd = counting_dumper ("runs-interrupt2", 0, &count);
	m = many_parts (100);
	o.html_command = cmd;
	o.no_budget = TRUE;
	in = (Interrupt) { 0, 11 };
	r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->interrupted);
	/* Each part either shown or counted as held (a run interrupted
	 * half-way is both a run and a held part). */
	g_assert_cmpuint (lines_containing (r, "html part") + r->stats.html_held, ==, 100);
	g_assert_cmpuint (r->stats.html_dumper_runs, <=, 11);
	g_assert_cmpuint (runs_in (count), <=, r->stats.html_dumper_runs);	/* the last may die before it counts */
	g_assert_cmpuint (lines_containing (r, "html part 99"), ==, 0);
	trawl_rendered_free (r);
	g_string_free (m, TRUE);
	g_free (cmd);
	g_free (count);
}

/* Past the line cap no dumper runs: the lines would not be shown. */
static void
test_line_cap (void)
{
	char *count = NULL;
	char *cmd = counting_dumper ("runs-cap", 0, &count);
	GString *m = many_parts (100);
	TrawlRenderOptions o = { 0 };
	o.html_command = cmd;
	o.no_budget = TRUE;
	o.max_lines = 40;
	TrawlRendered *r = trawl_mime_render_bytes (m->str, m->len, &o);
	g_assert_true (r->truncated);
	g_assert_cmpuint (r->lines->len, <=, 40);
	g_assert_cmpuint (r->stats.html_dumper_runs, <, 20);
	g_assert_cmpuint (runs_in (count), ==, r->stats.html_dumper_runs);
	trawl_rendered_free (r);
	g_string_free (m, TRUE);
	g_free (cmd);
	g_free (count);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	dir = g_dir_make_tmp ("trawl-html-budget-XXXXXX", NULL);
	g_assert_nonnull (dir);
	g_test_add_func ("/html-budget/runs", test_run_budget);
	g_test_add_func ("/html-budget/cache", test_cache);
	g_test_add_func ("/html-budget/time", test_time_budget);
	g_test_add_func ("/html-budget/interrupt", test_interrupt);
	g_test_add_func ("/html-budget/line-cap", test_line_cap);
	int rc = g_test_run ();
	char *rm = g_strdup_printf ("rm -rf '%s'", dir);
	if (system (rm) != 0)
		rc = rc ? rc : 1;
	g_free (rm);
	g_free (dir);
	return rc;
}
