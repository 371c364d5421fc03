/* test-xrows.c — thread rows read straight from Xapian (src/model/xrows.cc)
 * are notmuch's own rows, field by field: thread id, newest and oldest
 * matched date, matched and total counts, authors (matched, then "| " and
 * the rest; "Last, First" turned round), subject (the newest or oldest
 * matched one, one "Re:" off) and tags, for every thread of generated and
 * real archives, for "*" and single-tag queries, in both orders, with
 * excluded messages (search.exclude_tags: deleted, spam) in the threads.
 * The same lists are built twice, once with TRAWL_NO_XROWS (notmuch builds
 * every row) and once without; the counters prove which path built them.
 * TRAWL_XROWS_CONFIG=FILE adds an existing database (read-only), e.g. the
 * benchmark's 1M archive, for a check by hand. */
#include "config.h"

#include <stdlib.h>
#include <time.h>
#include <utime.h>
#include <string.h>

#include "trawl/model.h"
#include "testdb.h"

static TrawlDb *
open_config (const char *config, gboolean xrows)
{
	if (xrows)
		g_unsetenv ("TRAWL_NO_XROWS");
	else
		g_setenv ("TRAWL_NO_XROWS", "1", TRUE);
	TrawlDbOptions o = { .config_path = config };
	g_autoptr (GError) e = NULL;
	TrawlDb *db = trawl_db_open (&o, &e);
	g_assert_no_error (e);
	return db;
}

/* The last compare_query's counts made from Xapian's postings. */
static guint64 last_xcounts;

/* Every row of QUERY in SORT from both paths, compared; returns the rows. */
static guint64
compare_query (const char *config, const char *query, TrawlSort sort, gboolean expect_xapian)
{
	g_autoptr (TrawlDb) dx = open_config (config, TRUE);
	g_autoptr (TrawlDb) dn = open_config (config, FALSE);
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlThreadList) lx = trawl_thread_list_new (dx, query, sort, &e);
	g_assert_no_error (e);
	g_autoptr (TrawlThreadList) ln = trawl_thread_list_new (dn, query, sort, &e);
	g_assert_no_error (e);
	TrawlPos px, pn;
	guint64 rows = 0;
	gboolean hx = trawl_thread_list_first (lx, &px), hn = trawl_thread_list_first (ln, &pn);
	g_assert_cmpint (hx, ==, hn);
	while (hx && hn) {
		const TrawlThreadRow *a = trawl_thread_list_get (lx, px);
		const TrawlThreadRow *b = trawl_thread_list_get (ln, pn);
		g_assert_nonnull (a);
		g_assert_nonnull (b);
		g_assert_cmpstr (a->thread_id, ==, b->thread_id);
		g_assert_cmpstr (a->authors, ==, b->authors);
		g_assert_cmpstr (a->subject, ==, b->subject);
		g_assert_cmpstr (a->tags, ==, b->tags);
		g_assert_cmpint (a->matched, ==, b->matched);
		g_assert_cmpint (a->total, ==, b->total);
		g_assert_cmpint (a->newest, ==, b->newest);
		g_assert_cmpint (a->oldest, ==, b->oldest);
		rows++;
		hx = trawl_thread_list_step (lx, &px, 1) == 1;
		hn = trawl_thread_list_step (ln, &pn, 1) == 1;
		g_assert_cmpint (hx, ==, hn);
	}
	/* The counts: from Xapian's postings (xrows.cc) or notmuch's, both
	 * equal to notmuch count's (search.exclude_tags applied). */
	trawl_thread_list_wait_count (lx);
	trawl_thread_list_wait_count (ln);
	g_autofree char *cfg = g_strdup_printf ("--config=%s", config);
	const char *bin = g_getenv ("NOTMUCH");
	for (int k = 0; k < 2; k++) {
		char *argv[] = { (char *) (bin && *bin ? bin : "notmuch"), cfg, (char *) "count",
				 (char *) (k ? "--output=threads" : "--output=messages"), (char *) "--", (char *) query, NULL };
		g_autofree char *out = NULL;
		g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
					     &out, NULL, NULL, NULL));
		gint64 want = g_ascii_strtoll (out, NULL, 10);
		g_assert_cmpint (k ? trawl_thread_list_count (lx) : trawl_thread_list_message_count (lx), ==, want);
		g_assert_cmpint (k ? trawl_thread_list_count (ln) : trawl_thread_list_message_count (ln), ==, want);
	}
	const TrawlDbStats *sx = trawl_db_stats (dx), *sn = trawl_db_stats (dn);
	g_assert_cmpuint (sn->rows_xapian, ==, 0);
	g_assert_cmpuint (sn->xcounts, ==, 0);
	if (expect_xapian && rows)
		g_assert_cmpuint (sx->rows_xapian, >, 0);
	if (!expect_xapian)
		g_assert_cmpuint (sx->rows_xapian, ==, 0);
	/* (counted by one of them, the other reading the list cache) */
	if (!expect_xapian)
		g_assert_cmpuint (sx->xcounts, ==, 0);
	last_xcounts = sx->xcounts;
	return rows;
}

static void
compare_all (const char *config)
{
	/* Every message in both orders; a common and a rare tag. */
	guint64 n = compare_query (config, "*", TRAWL_SORT_NEWEST_FIRST, TRUE);
	guint64 o = compare_query (config, "*", TRAWL_SORT_OLDEST_FIRST, TRUE);
	g_assert_cmpuint (n, ==, o);
	g_assert_cmpuint (n, >, 50);
	compare_query (config, "tag:inbox", TRAWL_SORT_NEWEST_FIRST, TRUE);
	g_assert_cmpuint (compare_query (config, "tag:replied", TRAWL_SORT_OLDEST_FIRST, TRUE), >, 0);
	/* Queries notmuch must answer: an excluded tag named in the query, a
	 * field xrows.cc cannot read. */
	compare_query (config, "tag:spam", TRAWL_SORT_NEWEST_FIRST, FALSE);
	compare_query (config, "from:a*", TRAWL_SORT_NEWEST_FIRST, FALSE);
}

/* Tags some messages excluded (their threads keep them in total, never in
 * matched) and some with a rare tag. */
static void
tag_some (TestDb *t)
{
	g_autofree char *ids = NULL;
	const char *const a[] = { "search", "--output=messages", "--sort=oldest-first", "*", NULL };
	ids = testdb_notmuch (t, a);
	g_auto (GStrv) lines = g_strsplit (ids, "\n", -1);
	for (guint i = 0; lines[i] && *lines[i]; i++) {
		const char *tag = i % 11 == 3 ? "+spam" : i % 13 == 5 ? "+deleted" : i % 7 == 1 ? "+replied" : NULL;
		/* ids notmuch's query parser would need quoted are left alone */
		if (!tag || strspn (lines[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:@._+-=$") != strlen (lines[i]))
			continue;
		const char *const b[] = { "tag", tag, "--", lines[i], NULL };
		g_free (testdb_notmuch (t, b));
	}
}

static void
test_generated (void)
{
	g_autoptr (TestDb) t = testdb_generated (1000, 7);
	if (!t)
		return;
	tag_some (t);
	/* A query counted for the first time: from Xapian's postings. */
	compare_query (t->config, "tag:attachment", TRAWL_SORT_NEWEST_FIRST, TRUE);
	g_assert_cmpuint (last_xcounts, ==, 1);
	compare_all (t->config);
}

/* Real mail: notmuch's own test corpus (odd From headers, "Last, First"
 * names, empty subjects), the malformed messages of odd/, and a list. */
static void
test_corpus (gconstpointer data)
{
	const char *corpora = g_getenv ("TRAWL_CORPORA");
	g_autofree char *src = corpora && *corpora ? g_build_filename (corpora, (const char *) data, NULL) : NULL;
	if (!src || !g_file_test (src, G_FILE_TEST_IS_DIR)) {
		g_autofree char *msg = g_strdup_printf ("TRAWL_CORPORA/%s is not here (make check sets TRAWL_CORPORA "
							"when ../shared/corpora exists)", (const char *) data);
		g_test_skip (msg);
		return;
	}
	/* notmuch new exits 1 on a corpus's non-mail files: indexed here,
	 * with the exit status left aside and the messages counted instead. */
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *from = g_strdup_printf ("%s/.", src);
	char *cp[] = { (char *) "cp", (char *) "-R", from, t->mail, NULL };
	g_assert_true (g_spawn_sync (NULL, cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
	/* notmuch skips a directory whose mtime it has seen: the copy may
	 * land in the second the empty one was indexed. */
	struct utimbuf later = { time (NULL) + 5, time (NULL) + 5 };
	g_assert_cmpint (utime (t->mail, &later), ==, 0);
	g_autofree char *cfg = g_strdup_printf ("--config=%s", t->config);
	const char *bin = g_getenv ("NOTMUCH");
	char *nm[] = { (char *) (bin && *bin ? bin : "notmuch"), cfg, (char *) "new", (char *) "--quiet", NULL };
	/* (notmuch's GMime complains of the broken messages: not fatal to it) */
	g_auto (GStrv) env = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
	g_assert_true (g_spawn_sync (NULL, nm, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
				     NULL, NULL, NULL, NULL));
	const char *const count[] = { "count", "*", NULL };
	g_autofree char *n = testdb_notmuch (t, count);
	g_assert_cmpint (atoi (n), >, 100);
	tag_some (t);
	compare_all (t->config);
}

static void
test_extra (void)
{
	const char *config = g_getenv ("TRAWL_XROWS_CONFIG");
	if (!config || !*config) {
		g_test_skip ("TRAWL_XROWS_CONFIG is not set");
		return;
	}
	compare_query (config, "*", TRAWL_SORT_NEWEST_FIRST, TRUE);
	compare_query (config, "*", TRAWL_SORT_OLDEST_FIRST, TRUE);
	compare_query (config, "tag:inbox", TRAWL_SORT_NEWEST_FIRST, TRUE);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/xrows/generated", test_generated);
	g_test_add_data_func ("/xrows/notmuch-test", "notmuch-test", test_corpus);
	g_test_add_data_func ("/xrows/odd", "odd", test_corpus);
	g_test_add_func ("/xrows/extra", test_extra);
	return g_test_run ();
}
