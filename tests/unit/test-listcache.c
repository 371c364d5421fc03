/* test-listcache.c — the list cache (src/model/listcache.c) on a real
 * notmuch database: what a second run is spared, and what an archive change
 * makes it pay again.  Laziness is pinned by TRAWL_STATS counters. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "listcache.h"
#include "testdb.h"

static TestDb *
fixture (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	return testdb_new (src);
}

static gint64
cli_count (TestDb *t, const char *output, const char *query)
{
	g_autofree char *opt = g_strdup_printf ("--output=%s", output);
	const char *args[] = { "count", opt, "--", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	return g_ascii_strtoll (out, NULL, 10);
}

typedef struct {
	gint64 threads, messages;
	TrawlDbStats stats;
	int wake_fd_at_once;	/* the wake descriptor asked for after the first screen */
	guint64 jobs_before_wait;	/* count workers started while the first screen was built */
} Run;

/* A run as the UI does it: the list, its first screen, then the wait for
 * the counts, on a database handle of its own. */
static Run
run_list (TestDb *t, const char *query)
{
	Run r = { 0 };
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, query, TRAWL_SORT_NEWEST_FIRST, &e);
	g_assert_no_error (e);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	for (int i = 0; i < 5; i++) {
		g_assert_nonnull (trawl_thread_list_get (tl, p));
		if (!trawl_thread_list_step (tl, &p, 1))
			break;
	}
	r.jobs_before_wait = trawl_db_stats (db)->count_jobs;
	r.wake_fd_at_once = trawl_thread_list_wake_fd (tl);
	trawl_thread_list_wait_count (tl);
	r.threads = trawl_thread_list_count (tl);
	r.messages = trawl_thread_list_message_count (tl);
	r.stats = *trawl_db_stats (db);
	return r;
}

static void
assert_counts (TestDb *t, const Run *r, const char *query)
{
	g_assert_cmpint (r->threads, ==, cli_count (t, "threads", query));
	g_assert_cmpint (r->messages, ==, cli_count (t, "messages", query));
}

static void
add_message (TestDb *t, const char *name, const char *id, const char *date)
{
	g_autofree char *path = g_build_filename (t->mail, "cur", name, NULL);
	g_autofree char *text = g_strdup_printf (
		"From: Zed <zed@example.org>\nTo: Test User <test@example.org>\n"
		"Subject: later\nDate: %s\nMessage-ID: <%s>\n\nbody\n", date, id);
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
}

static void
test_runs (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;

	/* First run: one pass for the bounds, one count worker, started only
	 * once the first screen is built. */
	Run r = run_list (t, "*");
	g_assert_cmpuint (r.jobs_before_wait, ==, 0);
	g_assert_cmpint (r.wake_fd_at_once, >=, 0);
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	g_assert_cmpuint (r.stats.count_cache_hits, ==, 0);
	g_assert_cmpuint (r.stats.bounds_passes, ==, 1);
	g_assert_cmpuint (r.stats.bounds_cache_hits, ==, 0);
	assert_counts (t, &r, "*");
	g_assert_cmpint (r.threads, >, 0);
	gint64 threads1 = r.threads, messages1 = r.messages;

	/* Second run, nothing changed: no pass, no worker, the same counts. */
	r = run_list (t, "*");
	g_assert_cmpint (r.wake_fd_at_once, ==, -1);
	g_assert_cmpuint (r.stats.count_jobs, ==, 0);
	g_assert_cmpuint (r.stats.count_cache_hits, ==, 1);
	g_assert_cmpuint (r.stats.bounds_passes, ==, 0);
	g_assert_cmpuint (r.stats.bounds_cache_hits, ==, 1);
	g_assert_cmpint (r.threads, ==, threads1);
	g_assert_cmpint (r.messages, ==, messages1);
	assert_counts (t, &r, "*");

	/* Another query: counted (once), the bounds still from the cache. */
	r = run_list (t, "tag:inbox");
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	g_assert_cmpuint (r.stats.bounds_passes, ==, 0);
	assert_counts (t, &r, "tag:inbox");

	/* A tag change (another process): the revision moved, so the counts
	 * are counted again — and they differ, spam being excluded — but the
	 * messages are the same, so the bounds are still cached. */
	const char *tag[] = { "tag", "+spam", "--", "id:kickoff-1@example.org", NULL };
	g_free (testdb_notmuch (t, tag));
	r = run_list (t, "*");
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	g_assert_cmpuint (r.stats.count_cache_hits, ==, 0);
	g_assert_cmpuint (r.stats.bounds_passes, ==, 0);
	g_assert_cmpuint (r.stats.bounds_cache_hits, ==, 1);
	assert_counts (t, &r, "*");
	g_assert_cmpint (r.messages, ==, messages1 - 1);
	r = run_list (t, "*");
	g_assert_cmpuint (r.stats.count_jobs, ==, 0);
	g_assert_cmpint (r.messages, ==, messages1 - 1);

	/* A new message (notmuch new): the bounds are read again, and right. */
	add_message (t, "1893456000.99.new:2,", "later-1@example.org", "Tue, 01 Jan 2030 00:00:00 +0000");
	r = run_list (t, "*");
	g_assert_cmpuint (r.stats.bounds_passes, ==, 1);
	g_assert_cmpuint (r.stats.bounds_cache_hits, ==, 0);
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	assert_counts (t, &r, "*");
	g_assert_cmpint (r.messages, ==, messages1);
	g_autoptr (TrawlDb) db = testdb_open (t);
	gint64 lo = 0, hi = 0;
	guint64 n = 0;
	g_assert_true (trawl_list_cache_date_bounds (db, &lo, &hi, &n));
	g_assert_cmpuint (trawl_db_stats (db)->bounds_cache_hits, ==, 1);
	g_assert_cmpint (hi, ==, 1893456000);
	g_assert_cmpuint (n, ==, 13);	/* the fixture's 12 and the new one */
	/* The process keeps them: asked again, nothing is read. */
	g_assert_true (trawl_list_cache_date_bounds (db, &lo, &hi, &n));
	g_assert_cmpuint (trawl_db_stats (db)->bounds_cache_hits, ==, 1);
	g_assert_cmpuint (trawl_db_stats (db)->bounds_passes, ==, 0);
	g_assert_cmpint (hi, ==, 1893456000);
}

/* Two lists in one process: the bounds are asked of Xapian once. */
static void
test_process (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *queries[] = { "*", "tag:inbox", "from:alice" };
	for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
		g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, queries[i], TRAWL_SORT_NEWEST_FIRST, NULL);
		TrawlPos p;
		g_assert_true (trawl_thread_list_first (tl, &p));
		g_assert_nonnull (trawl_thread_list_get (tl, p));
	}
	g_assert_cmpuint (trawl_db_stats (db)->bounds_passes, ==, 1);
	/* No list waited: no count was started. */
	g_assert_cmpuint (trawl_db_stats (db)->count_jobs, ==, 0);
}

/* A corrupt cache file is a miss: the right answers, and a good file after. */
static void
test_corrupt (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	Run r = run_list (t, "*");
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	g_autofree char *file = NULL;
	{
		g_autoptr (TrawlDb) db = testdb_open (t);
		file = trawl_list_cache_file (db);
	}
	g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
	const char *bad[] = {
		"[cache\nversion=1\n\x01\xff garbage",
		"[cache]\nversion=1\n[bounds]\nuuid=x\nlo=banana\n[counts]\nabc=1;2\n",
		"[cache]\nversion=99\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_assert_true (g_file_set_contents (file, bad[i], -1, NULL));
		r = run_list (t, "*");
		g_assert_cmpuint (r.stats.count_jobs, ==, 1);
		g_assert_cmpuint (r.stats.count_cache_hits, ==, 0);
		g_assert_cmpuint (r.stats.bounds_passes, ==, 1);
		assert_counts (t, &r, "*");
		r = run_list (t, "*");	/* rewritten whole */
		g_assert_cmpuint (r.stats.count_jobs, ==, 0);
		g_assert_cmpuint (r.stats.bounds_passes, ==, 0);
		assert_counts (t, &r, "*");
	}
	/* A cache that cannot be written (a file where its directory should
	 * be) costs the work, never an error. */
	g_autofree char *dir = g_path_get_dirname (file);
	g_autofree char *aside = g_strconcat (dir, ".aside", NULL);
	g_assert_cmpint (g_rename (dir, aside), ==, 0);
	g_assert_true (g_file_set_contents (dir, "not a directory", -1, NULL));
	r = run_list (t, "*");
	assert_counts (t, &r, "*");
	r = run_list (t, "*");
	g_assert_cmpuint (r.stats.count_jobs, ==, 1);
	assert_counts (t, &r, "*");
	g_assert_cmpint (g_remove (dir), ==, 0);
	g_assert_cmpint (g_rename (aside, dir), ==, 0);
}

/* The file keeps the newest 64 counts; relative dates are never stored. */
static void
test_bounded (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const TrawlDbStamp *s;
	g_assert_true (trawl_list_cache_stamp (db, &s));
	g_autofree char *uuid = g_strdup (s->uuid);
	unsigned long rev = s->revision;
	for (int i = 0; i < 70; i++) {
		g_autofree char *q = g_strdup_printf ("subject:q%d", i);
		trawl_list_cache_put_counts (db, uuid, rev, q, i, i + 1);
	}
	/* at another revision: not stored */
	trawl_list_cache_put_counts (db, uuid, rev + 1, "subject:other", 1, 1);
	trawl_list_cache_put_counts (db, uuid, rev, "date:today", 1, 1);
	g_autofree char *file = trawl_list_cache_file (db);
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	g_assert_true (g_key_file_load_from_file (kf, file, G_KEY_FILE_NONE, NULL));
	gsize n = 0;
	g_auto (GStrv) keys = g_key_file_get_keys (kf, "counts", &n, NULL);
	g_assert_cmpuint (n, ==, 64);
	g_autoptr (TrawlDb) db2 = testdb_open (t);
	gint64 th, msg;
	g_assert_false (trawl_list_cache_get_counts (db2, "subject:q5", &th, &msg));
	g_assert_true (trawl_list_cache_get_counts (db2, "subject:q6", &th, &msg));
	g_assert_cmpint (th, ==, 6);
	g_assert_cmpint (msg, ==, 7);
	g_assert_true (trawl_list_cache_get_counts (db2, "subject:q69", &th, &msg));
	g_assert_cmpint (th, ==, 69);
	g_assert_false (trawl_list_cache_get_counts (db2, "subject:other", &th, &msg));
	g_assert_false (trawl_list_cache_get_counts (db2, "date:today", &th, &msg));
}

int
main (int argc, char **argv)
{
	/* A cache of the test's own, before anything asks GLib where it is. */
	g_autofree char *cache = g_dir_make_tmp ("trawl-listcache-XXXXXX", NULL);
	g_assert_nonnull (cache);
	g_setenv ("XDG_CACHE_HOME", cache, TRUE);
	g_test_init (&argc, &argv, NULL);
	/* The date bounds size the first band of notmuch's band walk; "*" read
	 * from Xapian's matcher (xrows.cc) needs none: the band walk here. */
	g_setenv ("TRAWL_NO_XROWS", "1", TRUE);
	g_test_add_func ("/listcache/runs", test_runs);
	g_test_add_func ("/listcache/process", test_process);
	g_test_add_func ("/listcache/corrupt", test_corrupt);
	g_test_add_func ("/listcache/bounded", test_bounded);
	int rc = g_test_run ();
	g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", cache);
	if (system (rm) != 0)
		rc = rc ? rc : 1;
	return rc;
}
