/* test-timeline.c — the timeline's bucket maths (local time, run in UTC and
 * in a zone with summer time), and its counts on a real notmuch database,
 * checked bucket by bucket against `notmuch count` of the same date terms. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "trawl/timeline.h"
#include "trawl/tags.h"
#include "testdb.h"

static gint64
utc (int y, int m, int d, int hh, int mm, int ss)
{
	g_autoptr (GDateTime) dt = g_date_time_new_utc (y, m, d, hh, mm, ss);
	return g_date_time_to_unix (dt);
}

static void
set_tz (const char *tz)
{
	g_setenv ("TZ", tz, TRUE);
	tzset ();
}

static void
test_maths (void)
{
	set_tz ("UTC");
	gint64 t = utc (2022, 3, 17, 13, 5, 0);	/* a Thursday */
	g_assert_cmpint (trawl_timeline_floor (t, TRAWL_TIMELINE_YEAR), ==, utc (2022, 1, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_floor (t, TRAWL_TIMELINE_MONTH), ==, utc (2022, 3, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_floor (t, TRAWL_TIMELINE_WEEK), ==, utc (2022, 3, 14, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_floor (t, TRAWL_TIMELINE_DAY), ==, utc (2022, 3, 17, 0, 0, 0));
	/* The week of 2022-01-01 (a Saturday) starts in 2021. */
	g_assert_cmpint (trawl_timeline_floor (utc (2022, 1, 1, 5, 0, 0), TRAWL_TIMELINE_WEEK), ==,
			 utc (2021, 12, 27, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2022, 1, 1, 0, 0, 0), TRAWL_TIMELINE_YEAR), ==, utc (2023, 1, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2022, 12, 1, 0, 0, 0), TRAWL_TIMELINE_MONTH), ==, utc (2023, 1, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2024, 2, 1, 0, 0, 0), TRAWL_TIMELINE_MONTH), ==, utc (2024, 3, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2021, 12, 27, 0, 0, 0), TRAWL_TIMELINE_WEEK), ==, utc (2022, 1, 3, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2024, 2, 28, 0, 0, 0), TRAWL_TIMELINE_DAY), ==, utc (2024, 2, 29, 0, 0, 0));
	/* Both ends inside: 2022-01-31 23:59:59 .. 2022-04-01 00:00:00 is 4 months. */
	g_assert_cmpuint (trawl_timeline_span (utc (2022, 1, 31, 23, 59, 59), utc (2022, 4, 1, 0, 0, 0),
					       TRAWL_TIMELINE_MONTH, 100), ==, 4);
	g_assert_cmpuint (trawl_timeline_span (t, t, TRAWL_TIMELINE_DAY, 100), ==, 1);
	/* 1970 to 2024 in days is past the cap: the count stops there. */
	g_assert_cmpuint (trawl_timeline_span (0, utc (2024, 6, 1, 0, 0, 0), TRAWL_TIMELINE_DAY,
					       TRAWL_TIMELINE_MAX_BUCKETS), ==, TRAWL_TIMELINE_MAX_BUCKETS + 1);
	g_assert_cmpuint (trawl_timeline_span (0, utc (2024, 6, 1, 0, 0, 0), TRAWL_TIMELINE_YEAR, 10000), ==, 55);
	/* The far future stays finite. */
	g_assert_cmpuint (trawl_timeline_span (utc (9990, 1, 1, 0, 0, 0), G_MAXINT64 / 2, TRAWL_TIMELINE_YEAR,
					       10000), ==, 10);

	g_autofree char *l1 = trawl_timeline_label (t, TRAWL_TIMELINE_YEAR);
	g_autofree char *l2 = trawl_timeline_label (trawl_timeline_floor (t, TRAWL_TIMELINE_MONTH), TRAWL_TIMELINE_MONTH);
	g_autofree char *l3 = trawl_timeline_label (trawl_timeline_floor (t, TRAWL_TIMELINE_WEEK), TRAWL_TIMELINE_WEEK);
	g_autofree char *l4 = trawl_timeline_label (t, TRAWL_TIMELINE_DAY);
	g_assert_cmpstr (l1, ==, "2022");
	g_assert_cmpstr (l2, ==, "2022-03");
	g_assert_cmpstr (l3, ==, "2022-03-14 W11");
	g_assert_cmpstr (l4, ==, "2022-03-17");

	g_autofree char *term = trawl_timeline_term (100, 200);
	g_assert_cmpstr (term, ==, "date:@100..@199");
	/* The week of 1970-01-01 starts in 1969: notmuch parses no @-N (and
	 * keeps 0 for every date before 1970). */
	g_autofree char *t1970 = trawl_timeline_term (utc (1969, 12, 29, 0, 0, 0), utc (1970, 1, 5, 0, 0, 0));
	g_assert_cmpstr (t1970, ==, "date:@0..@345599");
	g_autofree char *n1 = trawl_timeline_narrow ("*", 100, 200);
	g_autofree char *n2 = trawl_timeline_narrow (" * ", 100, 200);
	g_autofree char *n3 = trawl_timeline_narrow ("from:alice or tag:x", 100, 200);
	g_assert_cmpstr (n1, ==, "date:@100..@199");
	g_assert_cmpstr (n2, ==, "date:@100..@199");
	g_assert_cmpstr (n3, ==, "(from:alice or tag:x) and (date:@100..@199)");
}

/* Local time: months start at local midnight, across a summer-time change. */
static void
test_maths_zone (void)
{
	set_tz ("Europe/Berlin");
	g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
	if (!zone) {
		set_tz ("UTC");
		g_test_skip ("no zone Europe/Berlin (tzdata)");
		return;
	}
	/* 2022-03-27 is the change to CEST (UTC+2); April starts at 22:00 UTC. */
	gint64 t = utc (2022, 3, 31, 23, 30, 0);	/* 2022-04-01 01:30 local */
	g_assert_cmpint (trawl_timeline_floor (t, TRAWL_TIMELINE_MONTH), ==, utc (2022, 3, 31, 22, 0, 0));
	g_assert_cmpint (trawl_timeline_next (utc (2022, 3, 26, 23, 0, 0), TRAWL_TIMELINE_DAY), ==,
			 utc (2022, 3, 27, 23, 0, 0) - 3600);
	g_assert_cmpint (trawl_timeline_next (utc (2022, 2, 28, 23, 0, 0), TRAWL_TIMELINE_MONTH), ==,
			 utc (2022, 3, 31, 22, 0, 0));
	g_autofree char *l = trawl_timeline_label (t, TRAWL_TIMELINE_DAY);
	g_assert_cmpstr (l, ==, "2022-04-01");
	set_tz ("UTC");
}

/* A maildir of one message per date in DATES (RFC 2822 dates). */
static char *
write_maildir (const char *const *dates)
{
	g_autoptr (GError) e = NULL;
	char *dir = g_dir_make_tmp ("trawl-tl-src-XXXXXX", &e);
	g_assert_no_error (e);
	g_autofree char *cur = g_build_filename (dir, "cur", NULL);
	g_mkdir_with_parents (cur, 0700);
	for (int i = 0; dates[i]; i++) {
		g_autofree char *name = g_strdup_printf ("%d.tl:2,", i);
		g_autofree char *path = g_build_filename (cur, name, NULL);
		g_autofree char *text = g_strdup_printf (
			"From: Sender %d <s%d@example.org>\nTo: test@example.org\n"
			"Subject: message %d\nDate: %s\nMessage-ID: <tl-%d@example.org>\n\nbody %d\n",
			i, i % 3, i, dates[i], i, i);
		g_assert_true (g_file_set_contents (path, text, -1, NULL));
	}
	return dir;
}

static void
remove_tree (const char *dir)
{
	g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
	g_assert_cmpint (system (cmd), ==, 0);
}

static gint64
cli_count (TestDb *t, const char *query)
{
	const char *args[] = { "count", "--", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	return g_ascii_strtoll (out, NULL, 10);
}

/* Every bucket of TL against notmuch count of its narrowed query; the
 * buckets tile the range without gaps; their sum is the total. */
static void
check_against_cli (TestDb *t, TrawlTimeline *tl)
{
	trawl_timeline_wait (tl);
	guint n = trawl_timeline_len (tl);
	g_assert_cmpuint (n, >, 0);
	g_assert_cmpuint (trawl_timeline_counted (tl), ==, n);
	gint64 sum = 0;
	gboolean newest = trawl_timeline_newest_first (tl);
	for (guint i = 0; i < n; i++) {
		gint64 s = trawl_timeline_start (tl, i), e = trawl_timeline_end (tl, i);
		g_assert_cmpint (s, <, e);
		g_assert_cmpint (trawl_timeline_next (s, trawl_timeline_unit (tl)), ==, e);
		if (i > 0)
			g_assert_cmpint (newest ? trawl_timeline_start (tl, i - 1) : trawl_timeline_end (tl, i - 1), ==,
					 newest ? e : s);
		g_autofree char *q = trawl_timeline_narrow (trawl_timeline_query (tl), s, e);
		g_assert_cmpint (trawl_timeline_count (tl, i), ==, cli_count (t, q));
		sum += trawl_timeline_count (tl, i);
	}
	g_assert_cmpint (sum, ==, trawl_timeline_total (tl));
	g_assert_cmpint (sum, ==, cli_count (t, trawl_timeline_query (tl)));
}

static const char *const dates[] = {
	"Fri, 31 Dec 2021 23:59:59 +0000",
	"Sat, 01 Jan 2022 00:00:00 +0000",
	"Sat, 15 Jan 2022 10:00:00 +0000",
	"Mon, 31 Jan 2022 23:59:59 +0000",
	"Tue, 01 Feb 2022 00:00:00 +0000",
	"Tue, 01 Feb 2022 12:00:00 +0200",	/* 10:00 UTC */
	/* March: nothing (a gap) */
	"Sun, 10 Apr 2022 08:00:00 +0000",
	"Sun, 10 Apr 2022 09:00:00 +0000",
	"Sun, 10 Apr 2022 10:00:00 +0000",
	NULL,
};

static void
test_counts (void)
{
	g_autofree char *src = write_maildir (dates);
	g_autoptr (TestDb) t = testdb_new (src);
	remove_tree (src);
	if (!t)
		return;
	/* An excluded message (search.exclude_tags has spam) is not counted,
	 * as notmuch count does not count it. */
	const char *tag_args[] = { "tag", "+spam", "--", "id:tl-2@example.org", NULL };
	g_free (testdb_notmuch (t, tag_args));
	g_autoptr (TrawlDb) db = testdb_open (t);

	g_autoptr (TrawlTimeline) tl = trawl_timeline_new (db, "*", TRAWL_TIMELINE_MONTH, FALSE);
	trawl_timeline_wait (tl);
	g_assert_null (trawl_timeline_error (tl));
	g_assert_false (trawl_timeline_empty (tl));
	g_assert_cmpint (trawl_timeline_total (tl), ==, 8);
	g_assert_cmpint (trawl_timeline_first (tl), ==, utc (2021, 12, 31, 23, 59, 59));
	g_assert_cmpint (trawl_timeline_last (tl), ==, utc (2022, 4, 10, 10, 0, 0));
	g_assert_cmpuint (trawl_timeline_unit (tl), ==, TRAWL_TIMELINE_MONTH);
	/* 2021-12, 2022-01, 2022-02, 2022-03 (empty), 2022-04 */
	g_assert_cmpuint (trawl_timeline_len (tl), ==, 5);
	gint64 want[] = { 1, 2, 2, 0, 3 };
	for (guint i = 0; i < 5; i++)
		g_assert_cmpint (trawl_timeline_count (tl, i), ==, want[i]);
	g_assert_cmpint (trawl_timeline_start (tl, 3), ==, utc (2022, 3, 1, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_end (tl, 3), ==, utc (2022, 4, 1, 0, 0, 0));
	check_against_cli (t, tl);
	guint queries;

	/* Each unit, against the CLI; zooming back to a unit counts nothing. */
	for (TrawlTimelineUnit u = TRAWL_TIMELINE_YEAR; u <= TRAWL_TIMELINE_DAY; u++) {
		g_autoptr (GError) e = NULL;
		g_assert_true (trawl_timeline_set_unit (tl, u, &e));
		g_assert_no_error (e);
		check_against_cli (t, tl);
	}
	queries = trawl_timeline_queries (tl);
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_MONTH, NULL));
	trawl_timeline_wait (tl);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, queries);
	g_assert_cmpuint (trawl_timeline_find (tl, utc (2022, 3, 9, 0, 0, 0)), ==, 3);
	g_assert_cmpuint (trawl_timeline_find (tl, 0), ==, 0);
	g_assert_cmpuint (trawl_timeline_find (tl, utc (2030, 1, 1, 0, 0, 0)), ==, 4);

	/* Newest first: the same buckets the other way round. */
	g_autoptr (TrawlTimeline) rev = trawl_timeline_new (db, "*", TRAWL_TIMELINE_MONTH, TRUE);
	trawl_timeline_wait (rev);
	g_assert_cmpuint (trawl_timeline_len (rev), ==, 5);
	for (guint i = 0; i < 5; i++)
		g_assert_cmpint (trawl_timeline_count (rev, i), ==, want[4 - i]);
	g_assert_cmpuint (trawl_timeline_find (rev, utc (2022, 4, 30, 0, 0, 0)), ==, 0);
	check_against_cli (t, rev);

	/* A query, narrowed per bucket as the view narrows. */
	g_autoptr (TrawlTimeline) some = trawl_timeline_new (db, "from:s1@example.org or from:s0@example.org",
							      TRAWL_TIMELINE_DAY, FALSE);
	check_against_cli (t, some);

	/* Nothing matches. */
	g_autoptr (TrawlTimeline) none = trawl_timeline_new (db, "from:nobody@example.org", TRAWL_TIMELINE_MONTH, TRUE);
	trawl_timeline_wait (none);
	g_assert_true (trawl_timeline_empty (none));
	g_assert_cmpuint (trawl_timeline_len (none), ==, 0);
	g_assert_false (trawl_timeline_set_unit (none, TRAWL_TIMELINE_DAY, NULL));

	/* Freed while counting: the worker stops on its own. */
	TrawlTimeline *gone = trawl_timeline_new (db, "*", TRAWL_TIMELINE_DAY, TRUE);
	trawl_timeline_free (gone);
}

/* 1970 beside 2024: days refused, months allowed; a day timeline asked for
 * at the start falls back to the finest unit that fits. */
static void
test_outliers (void)
{
	static const char *const odd[] = {
		"Thu, 01 Jan 1970 00:00:00 +0000",
		"Sat, 15 Jun 2024 10:00:00 +0000",
		"Sat, 15 Jun 2024 11:00:00 +0000",
		NULL,
	};
	g_autofree char *src = write_maildir (odd);
	g_autoptr (TestDb) t = testdb_new (src);
	remove_tree (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlTimeline) tl = trawl_timeline_new (db, "*", TRAWL_TIMELINE_DAY, FALSE);
	trawl_timeline_wait (tl);
	g_assert_cmpuint (trawl_timeline_unit (tl), ==, TRAWL_TIMELINE_WEEK);
	g_assert_cmpuint (trawl_timeline_len (tl), <=, TRAWL_TIMELINE_MAX_BUCKETS);
	/* The week of 1970-01-01 (from Monday 1969-12-29) holds its message. */
	g_assert_cmpint (trawl_timeline_start (tl, 0), ==, utc (1969, 12, 29, 0, 0, 0));
	g_assert_cmpint (trawl_timeline_count (tl, 0), ==, 1);
	g_assert_null (trawl_timeline_count_error (tl));
	g_autoptr (GError) e = NULL;
	g_assert_false (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_DAY, &e));
	g_assert_nonnull (strstr (e->message, "more than"));
	g_assert_cmpuint (trawl_timeline_unit (tl), ==, TRAWL_TIMELINE_WEEK);
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_MONTH, NULL));
	trawl_timeline_wait (tl);
	g_assert_cmpuint (trawl_timeline_len (tl), ==, 54 * 12 + 6);
	g_assert_cmpint (trawl_timeline_count (tl, 0), ==, 1);
	g_assert_cmpint (trawl_timeline_count (tl, trawl_timeline_len (tl) - 1), ==, 2);
	/* Once both ends are counted every message is in a bucket: the
	 * empty months between cost no query.  (Oldest first: the first
	 * bucket, then up to the last.) */
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_YEAR, NULL));
	check_against_cli (t, tl);

	/* Freed while counting (about 2,850 weeks): its workers stop at the
	 * next bucket, and no more queries run. */
	TrawlTimeline *busy = trawl_timeline_new (db, "*", TRAWL_TIMELINE_WEEK, FALSE);
	while (!trawl_timeline_counted (busy)) {
		g_usleep (200);
		trawl_timeline_collect (busy);
	}
	guint weeks = trawl_timeline_len (busy);
	g_assert_cmpuint (weeks, >, 2800);
	g_assert_cmpuint (trawl_timeline_counted (busy), <, weeks);
	guint before = trawl_timeline_queries_all ();
	trawl_timeline_free (busy);
	for (int i = 0; i < 10000 && trawl_timeline_workers_alive (); i++)
		g_usleep (1000);
	g_assert_cmpuint (trawl_timeline_workers_alive (), ==, 0);
	/* At most the bucket each worker was counting. */
	g_assert_cmpuint (trawl_timeline_queries_all () - before, <=, 2);

	/* A database the worker cannot open: said, not "finding" for ever. */
	g_autofree char *dbdir = g_build_filename (t->dir, "db", NULL);
	g_autofree char *moved = g_build_filename (t->dir, "db.moved", NULL);
	g_assert_cmpint (g_rename (dbdir, moved), ==, 0);
	g_autoptr (TrawlTimeline) lost = trawl_timeline_new (db, "*", TRAWL_TIMELINE_MONTH, TRUE);
	trawl_timeline_wait (lost);
	g_assert_nonnull (trawl_timeline_error (lost));
	g_assert_nonnull (strstr (trawl_timeline_error (lost), "cannot open the notmuch database"));
	g_assert_cmpuint (trawl_timeline_len (lost), ==, 0);
	g_assert_false (trawl_timeline_empty (lost));
	g_assert_cmpint (g_rename (moved, dbdir), ==, 0);
}

static TrawlTagChange *
apply_tags (TrawlDb *db, const char *id, const char *text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (text, &e);
	g_assert_no_error (e);
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (id));
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_nonnull (c);
	return c;
}

/* After a tag change: a change of tags the query does not name recounts
 * nothing; one that does recounts only the touched messages' buckets (in
 * every unit laid out), and the counts are notmuch count's again. */
static void
test_patch (void)
{
	set_tz ("UTC");
	g_autofree char *src = write_maildir (dates);
	g_autoptr (TestDb) t = testdb_new (src);
	remove_tree (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (TrawlTimeline) tl = trawl_timeline_new (db, "tag:inbox", TRAWL_TIMELINE_MONTH, FALSE);
	check_against_cli (t, tl);
	g_assert_cmpint (trawl_timeline_total (tl), ==, 9);
	guint q0 = trawl_timeline_queries (tl), skipped0 = trawl_timeline_patches_skipped_all ();

	/* +todo: not in the query, not excluded: nothing recounted. */
	g_autoptr (TrawlTagChange) c1 = apply_tags (db, "tl-7@example.org", "+todo");
	g_assert_false (trawl_timeline_patch (tl, c1));
	trawl_timeline_wait_patched (tl);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, q0);
	g_assert_cmpuint (trawl_timeline_recounts (tl), ==, 0);
	g_assert_cmpuint (trawl_timeline_patches_skipped_all (), ==, skipped0 + 1);

	/* -inbox on an April message: April alone is recounted (one query:
	 * the total moves by its difference). */
	g_autoptr (TrawlTagChange) c2 = apply_tags (db, "tl-7@example.org", "-inbox");
	g_assert_true (trawl_timeline_patch (tl, c2));
	trawl_timeline_wait_patched (tl);
	g_assert_cmpuint (trawl_timeline_recounts (tl), ==, 1);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, q0 + 1);
	g_assert_cmpint (trawl_timeline_count (tl, 4), ==, 2);
	g_assert_false (trawl_timeline_updating (tl, 4));
	g_assert_cmpuint (trawl_timeline_patching (tl), ==, 0);
	g_assert_cmpint (trawl_timeline_total (tl), ==, 8);
	check_against_cli (t, tl);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, q0 + 1);

	/* Weeks laid out too: a change recounts its bucket in both units. */
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_WEEK, NULL));
	check_against_cli (t, tl);
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_MONTH, NULL));
	guint q1 = trawl_timeline_queries (tl);
	/* +spam is excluded (search.exclude_tags): it moves counts too. */
	g_autoptr (TrawlTagChange) c3 = apply_tags (db, "tl-2@example.org", "+spam");
	g_assert_true (trawl_timeline_patch (tl, c3));
	trawl_timeline_wait_patched (tl);
	g_assert_cmpuint (trawl_timeline_recounts (tl), ==, 3);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, q1 + 2);
	g_assert_cmpint (trawl_timeline_count (tl, 1), ==, 2);
	g_assert_cmpint (trawl_timeline_total (tl), ==, 7);
	check_against_cli (t, tl);
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_WEEK, NULL));
	check_against_cli (t, tl);
	g_assert_cmpuint (trawl_timeline_queries (tl), ==, q1 + 2);

	/* Undo puts them back, the same way. */
	g_autoptr (TrawlTagChange) c4 = apply_tags (db, "tl-2@example.org", "-spam");
	g_autoptr (TrawlTagChange) c5 = apply_tags (db, "tl-7@example.org", "+inbox");
	g_assert_true (trawl_timeline_patch (tl, c4));
	g_assert_true (trawl_timeline_patch (tl, c5));
	trawl_timeline_wait_patched (tl);
	g_assert_cmpint (trawl_timeline_total (tl), ==, 9);
	check_against_cli (t, tl);
	g_assert_true (trawl_timeline_set_unit (tl, TRAWL_TIMELINE_MONTH, NULL));
	check_against_cli (t, tl);
	/* Freed while nothing runs: no worker left behind. */
}

int
main (int argc, char **argv)
{
	/* Buckets are local time: the tests pin it (the zone test changes
	 * it before any thread is started). */
	set_tz ("UTC");
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/timeline/maths", test_maths);
	g_test_add_func ("/timeline/maths-zone", test_maths_zone);
	g_test_add_func ("/timeline/counts", test_counts);
	g_test_add_func ("/timeline/outliers", test_outliers);
	g_test_add_func ("/timeline/patch", test_patch);
	return g_test_run ();
}
