/* test-model.c — the model layer against real notmuch databases.
 *
 * The reference for every ordering and count is the notmuch CLI on the same
 * database: trawl must list exactly what `notmuch search` lists. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "trawl/model.h"
#include "trawl/commands.h"
#include "trawl/tags.h"
#include "trawl/searches.h"
#include "testdb.h"


/* Thread ids as `notmuch search --output=threads` orders them. */
static GPtrArray *
cli_threads (TestDb *t, const char *sort, const char *query)
{
	g_autofree char *s = g_strdup_printf ("--sort=%s", sort);
	const char *args[] = { "search", "--output=threads", s, query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	for (char **l = lines; *l; l++)
		if (g_str_has_prefix (*l, "thread:"))
			g_ptr_array_add (ids, g_strdup (*l + strlen ("thread:")));
	return ids;
}

/* Walks the whole list from the first row. */
static GPtrArray *
walk_forward (TrawlThreadList *tl)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	TrawlPos p;
	if (!trawl_thread_list_first (tl, &p))
		return ids;
	do {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		g_assert_nonnull (r);
		g_ptr_array_add (ids, g_strdup (r->thread_id));
	} while (trawl_thread_list_step (tl, &p, 1) == 1);
	return ids;
}

/* Walks the whole list from the last row back to the first, then reverses. */
static GPtrArray *
walk_backward (TrawlThreadList *tl)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	TrawlPos p;
	if (!trawl_thread_list_last (tl, &p))
		return ids;
	do {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		g_assert_nonnull (r);
		g_ptr_array_insert (ids, 0, g_strdup (r->thread_id));
	} while (trawl_thread_list_step (tl, &p, -1) == 1);
	return ids;
}

static void
assert_same_ids (GPtrArray *a, GPtrArray *b)
{
	g_assert_cmpuint (a->len, ==, b->len);
	for (guint i = 0; i < a->len; i++)
		g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
}

/* ---- opening ---- */

static void
test_open_missing_config (void)
{
	TrawlDbOptions o = { "/nonexistent/trawl/notmuch-config", NULL, FALSE };
	g_autoptr (GError) e = NULL;
	g_assert_null (trawl_db_open (&o, &e));
	g_assert_error (e, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_CONFIG);
	g_assert_nonnull (strstr (e->message, "/nonexistent/trawl/notmuch-config"));
}

static void
test_open_missing_database (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *db = g_build_filename (t->dir, "db", NULL);
	char *argv[] = { (char *) "rm", (char *) "-rf", db, NULL };
	g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
	TrawlDbOptions o = { t->config, NULL, FALSE };
	g_autoptr (GError) e = NULL;
	g_assert_null (trawl_db_open (&o, &e));
	g_assert_error (e, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_DATABASE);
	g_assert_nonnull (strstr (e->message, db));
	g_assert_nonnull (strstr (e->message, "notmuch new"));
}

static void
test_open_corrupt_database (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *db = g_build_filename (t->dir, "db", NULL);
	g_autofree char *xdir = g_build_filename (db, "xapian", NULL);
	g_autoptr (GDir) d = g_dir_open (xdir, 0, NULL);
	g_assert_nonnull (d);
	const char *name;
	while ((name = g_dir_read_name (d))) {
		g_autofree char *f = g_build_filename (xdir, name, NULL);
		g_assert_true (g_file_set_contents (f, "garbage, not a xapian table\n", -1, NULL));
	}
	TrawlDbOptions o = { t->config, NULL, FALSE };
	g_autoptr (GError) e = NULL;
	g_assert_null (trawl_db_open (&o, &e));
	g_assert_error (e, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_OPEN);
	/* The message names the database, not only the config. */
	g_assert_nonnull (strstr (e->message, db));
	g_assert_null (strchr (e->message, '\n'));
}

static void
test_default_query (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	{
		g_autoptr (TrawlDb) db = testdb_open (t);
		g_autofree char *q = trawl_db_default_query (db);
		g_assert_cmpstr (q, ==, "tag:inbox");
	}
	const char *args[] = { "tag", "-inbox", "--", "*", NULL };
	g_free (testdb_notmuch (t, args));
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autofree char *q = trawl_db_default_query (db);
	g_assert_cmpstr (q, ==, "*");
}

/* ---- queries ---- */

static void
test_bad_queries (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
	g_assert_null (trawl_thread_list_new (db, "tag:inbox AND AND", TRAWL_SORT_NEWEST_FIRST, &e1));
	g_assert_error (e1, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_QUERY);
	g_assert_nonnull (strstr (e1->message, "AND"));
	/* A second, different mistake gets its own message, not the first one's. */
	g_assert_null (trawl_thread_list_new (db, "date:foo..bar", TRAWL_SORT_NEWEST_FIRST, &e2));
	g_assert_error (e2, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_QUERY);
	g_test_message ("second error: %s", e2->message);
	g_assert_nonnull (strstr (e2->message, "foo"));
	g_assert_null (strstr (e2->message, "AND"));
	/* And a good query afterwards works. */
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, &e3);
	g_assert_no_error (e3);
	g_assert_nonnull (tl);
}

static void
test_empty_result (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "tag:no-such-tag", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_nonnull (tl);
	TrawlPos p;
	g_assert_false (trawl_thread_list_first (tl, &p));
	g_assert_false (trawl_thread_list_last (tl, &p));
	trawl_thread_list_wait_count (tl);
	g_assert_cmpint (trawl_thread_list_count (tl), ==, 0);
	g_assert_cmpint (trawl_thread_list_message_count (tl), ==, 0);
}

static void
test_fixture_rows (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_autoptr (GPtrArray) got = walk_forward (tl);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	assert_same_ids (got, want);
	/* Subjects arrive decoded (RFC 2047), and every row has its counts. */
	TrawlPos p = { FALSE, 0 };
	gboolean found = FALSE;
	do {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		g_assert_cmpint (r->matched, >=, 1);
		g_assert_cmpint (r->total, >=, r->matched);
		g_assert_nonnull (strstr (r->tags, "inbox"));
		if (strstr (r->subject, "Grüße"))
			found = TRUE;
		g_assert_null (strstr (r->subject, "=?"));
	} while (trawl_thread_list_step (tl, &p, 1) == 1);
	g_assert_true (found);
}

/* ---- the streamed list on a generated archive ---- */

static TestDb *gen_db;

static TestDb *
generated (void)
{
	if (!gen_db)
		gen_db = testdb_generated (3000, 7);
	return gen_db;
}

static void
check_order (TrawlSort sort, const char *cli_sort, const char *query)
{
	TestDb *t = generated ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) want = cli_threads (t, cli_sort, query);
	g_assert_cmpuint (want->len, >, 100);

	/* From the first row to the last. */
	g_autoptr (TrawlThreadList) a = trawl_thread_list_new (db, query, sort, NULL);
	g_autoptr (GPtrArray) fwd = walk_forward (a);
	assert_same_ids (fwd, want);
	trawl_thread_list_wait_count (a);
	g_assert_cmpint (trawl_thread_list_count (a), ==, want->len);

	/* From the last row back to the first, through the tail walk alone. */
	g_autoptr (TrawlThreadList) b = trawl_thread_list_new (db, query, sort, NULL);
	g_autoptr (GPtrArray) bwd = walk_backward (b);
	assert_same_ids (bwd, want);
}

static void
test_order_newest (void)
{
	check_order (TRAWL_SORT_NEWEST_FIRST, "newest-first", "*");
}

static void
test_order_oldest (void)
{
	check_order (TRAWL_SORT_OLDEST_FIRST, "oldest-first", "*");
}

static void
test_order_subquery (void)
{
	/* A query whose threads match only in part: the tail walk must order by
	 * the matching messages, as notmuch does. */
	check_order (TRAWL_SORT_NEWEST_FIRST, "newest-first", "not tag:none and date:2018..2022");
}

static void
test_last_is_cheap (void)
{
	TestDb *t = generated ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_last (tl, &p));
	const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
	g_assert_cmpstr (r->thread_id, ==, want->pdata[want->len - 1]);
	/* A screenful up from the end. */
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, -49), ==, 49);
	r = trawl_thread_list_get (tl, p);
	g_assert_cmpstr (r->thread_id, ==, want->pdata[want->len - 50]);
	/* The point of the tail walk: far fewer summaries than the list has. */
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), <, want->len / 3);
}

static void
test_first_screen_is_cheap (void)
{
	TestDb *t = generated ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, 49), ==, 49);
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), ==, 50);
}

static void
test_meet_in_the_middle (void)
{
	TestDb *t = generated ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	/* Load the end first, then walk down from the top until the two meet:
	 * the list must then know its length without the background count. */
	TrawlPos end;
	g_assert_true (trawl_thread_list_last (tl, &end));
	g_assert_cmpuint (trawl_thread_list_step (tl, &end, -20), ==, 20);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	guint i = 0;
	do {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		g_assert_cmpstr (r->thread_id, ==, want->pdata[i]);
		g_assert_cmpint (trawl_thread_list_index (tl, p), ==, i);
		i++;
	} while (trawl_thread_list_step (tl, &p, 1) == 1);
	g_assert_cmpuint (i, ==, want->len);
	g_assert_cmpint (trawl_thread_list_count (tl), ==, want->len);
	/* The end position, once relative to the end, now has an index. */
	g_assert_cmpint (trawl_thread_list_index (tl, end), ==, want->len - 21);
}

static void
test_memory_bounded (void)
{
	TestDb *t = generated ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	trawl_thread_list_set_window (tl, 64);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	gsize max_held = 0;
	do {
		g_assert_nonnull (trawl_thread_list_get (tl, p));
		max_held = MAX (max_held, trawl_thread_list_rows_held (tl));
	} while (trawl_thread_list_step (tl, &p, 1) == 1);
	g_assert_cmpuint (want->len, >, 4 * 64);
	g_assert_cmpuint (max_held, <=, 2 * 64 + 1);
	/* Back at the top, evicted rows come back, right and in order. */
	g_assert_true (trawl_thread_list_first (tl, &p));
	for (guint i = 0; i < 100; i++) {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		g_assert_nonnull (r);
		g_assert_cmpstr (r->thread_id, ==, want->pdata[i]);
		trawl_thread_list_step (tl, &p, 1);
	}
	g_assert_cmpuint (trawl_thread_list_rows_held (tl), <=, 2 * 64 + 64);
}

static void
test_reopen_sees_new_mail (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadList) before = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	trawl_thread_list_wait_count (before);
	gint64 n = trawl_thread_list_count (before);

	g_autofree char *f = g_build_filename (t->mail, "cur", "new-one:2,", NULL);
	g_assert_true (g_file_set_contents (f,
		"From: Late Sender <late@example.org>\nTo: test@example.org\n"
		"Subject: arrived while trawl was open\nDate: Mon, 01 Jul 2024 10:00:00 +0000\n"
		"Message-ID: <late-1@example.org>\n\nhello\n", -1, NULL));
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));

	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_db_reopen (db, &e));
	g_assert_no_error (e);
	g_autoptr (TrawlThreadList) after = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	trawl_thread_list_wait_count (after);
	g_assert_cmpint (trawl_thread_list_count (after), ==, n + 1);
	g_autoptr (GPtrArray) ids = walk_forward (after);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	assert_same_ids (ids, want);
}


/* ---- tag changes patch the list, never rebuild it (a db of their own: they write) ---- */

static TestDb *change_db;

static TestDb *
changing (void)
{
	if (!change_db)
		change_db = testdb_generated (2000, 11);
	return change_db;
}

static GPtrArray *
ids_of_thread (TrawlDb *db, const char *tid)
{
	g_autoptr (GError) e = NULL;
	GPtrArray *ids = trawl_db_thread_message_ids (db, tid, &e);
	g_assert_no_error (e);
	return ids;
}

/* The thread ids from position P on, N of them (fewer at the end). */
static GPtrArray *
walk_from (TrawlThreadList *tl, TrawlPos p, guint n)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < n; i++) {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		if (!r)
			break;
		g_ptr_array_add (ids, g_strdup (r->thread_id));
		if (trawl_thread_list_step (tl, &p, 1) != 1)
			break;
	}
	return ids;
}

static void
assert_slice (GPtrArray *got, GPtrArray *want, guint from)
{
	for (guint i = 0; i < got->len; i++) {
		g_assert_cmpuint (from + i, <, want->len);
		g_assert_cmpstr (got->pdata[i], ==, want->pdata[from + i]);
	}
}

static TrawlTagChange *
tag_thread (TrawlDb *db, const char *tid, const char *ops_text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (ops_text, &e);
	g_autoptr (GPtrArray) ids = ids_of_thread (db, tid);
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_nonnull (c);
	return c;
}

/* A write is refused while a list holds a notmuch stream, allowed once it
 * is suspended, and the suspended list goes on exactly as notmuch orders. */
static void
test_write_needs_suspend (void)
{
	TestDb *t = changing ();
	if (!t)
		return;
	/* A list read from Xapian directly (xrows.cc) holds no notmuch stream
	 * at all: a write is never refused there. */
	{
		g_autoptr (TrawlDb) dx = testdb_open_mode (t, TRUE);
		g_autoptr (TrawlThreadList) lx = trawl_thread_list_new (dx, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
		TrawlPos px;
		g_assert_true (trawl_thread_list_first (lx, &px));
		g_assert_cmpuint (trawl_db_stats (dx)->xwalks, ==, 1);
		g_assert_cmpuint (trawl_db_live_iterators (dx), ==, 0);
	}
	/* notmuch's own walk holds a stream: the rest of this test. */
	g_setenv ("TRAWL_NO_XROWS", "1", TRUE);
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_unsetenv ("TRAWL_NO_XROWS");
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_assert_cmpuint (trawl_db_live_iterators (db), >, 0);
	const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
	g_autoptr (GPtrArray) ids = ids_of_thread (db, r->thread_id);
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+refused", NULL);
	g_autoptr (GError) e = NULL;
	g_assert_null (trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e));
	g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED);
	g_assert_nonnull (strstr (e->message, "still open"));
	const char *count_args[] = { "count", "tag:refused", NULL };
	g_autofree char *n = testdb_notmuch (t, count_args);
	g_assert_cmpint (atoi (n), ==, 0);
	trawl_thread_list_suspend (tl);
	g_assert_cmpuint (trawl_db_live_iterators (db), ==, 0);
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, NULL);
	g_assert_nonnull (c);
	trawl_thread_list_patch (tl, c);
	g_assert_nonnull (strstr (trawl_thread_list_get (tl, p)->tags, "refused"));
	/* Resumed: the whole list is still exactly notmuch's. */
	g_autoptr (GPtrArray) got = walk_forward (tl);
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", "*");
	assert_same_ids (got, want);
}

/* Tagging a thread far down the list builds no summary (counted by the
 * model), and going on from there costs what is stepped over, in notmuch's
 * order (newest first and oldest first). */
static void
check_patch_far_down (TrawlSort sort, const char *cli_sort, gboolean notmuch_walk)
{
	TestDb *t = changing ();
	if (!t)
		return;
	if (notmuch_walk)
		g_setenv ("TRAWL_NO_XROWS", "1", TRUE);
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_unsetenv ("TRAWL_NO_XROWS");
	g_autoptr (GPtrArray) want = cli_threads (t, cli_sort, "*");
	guint row = want->len * 2 / 3;
	g_assert_cmpuint (row, >, 150);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", sort, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, row), ==, row);
	g_autofree char *tid = g_strdup (trawl_thread_list_get (tl, p)->thread_id);
	g_assert_cmpstr (tid, ==, want->pdata[row]);

	gsize built = trawl_thread_list_rows_built (tl);
	trawl_thread_list_suspend (tl);
	g_autoptr (TrawlTagChange) c = tag_thread (db, tid, "+far -unread");
	trawl_thread_list_patch (tl, c);
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), ==, built);
	const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
	g_assert_cmpstr (r->thread_id, ==, tid);
	g_assert_true (trawl_words_contain (r->tags, "far"));
	g_assert_false (trawl_words_contain (r->tags, "unread"));
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), ==, built);

	/* Onwards: 60 rows cost about 60 summaries, in notmuch's order. */
	g_autoptr (GPtrArray) next = walk_from (tl, p, 60);
	g_assert_cmpuint (next->len, ==, MIN (60, want->len - row));
	assert_slice (next, want, row);
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), <=, built + 60 + 5);
	/* ...and the walk that resumed the head started at its boundary: it
	 * stepped over far fewer messages than lie above the row.  Xapian's
	 * walk (xrows.cc) holds no notmuch object: it is kept across the
	 * write and just goes on, walking nothing again. */
	const char *count_args[] = { "count", "*", NULL };
	g_autofree char *total = testdb_notmuch (t, count_args);
	if (notmuch_walk) {
		g_assert_cmpuint (trawl_thread_list_messages_walked (tl), >, 0);
		g_assert_cmpuint (trawl_thread_list_messages_walked (tl), <, (guint) atoi (total) / 2);
	} else {
		g_assert_cmpuint (trawl_db_stats (db)->xwalks, ==, 1);
		g_assert_cmpuint (trawl_thread_list_messages_walked (tl), ==, 0);
	}

	/* Undo puts the tags back, again by patching. */
	trawl_thread_list_suspend (tl);
	g_assert_true (trawl_db_undo_tags (db, c, NULL));
	trawl_thread_list_patch (tl, c);	/* patching with the change itself is harmless */
	g_autoptr (GPtrArray) all = walk_forward (tl);
	assert_same_ids (all, want);
}

static void
test_patch_far_down_newest (void)
{
	check_patch_far_down (TRAWL_SORT_NEWEST_FIRST, "newest-first", FALSE);
	check_patch_far_down (TRAWL_SORT_NEWEST_FIRST, "newest-first", TRUE);
}

static void
test_patch_far_down_oldest (void)
{
	check_patch_far_down (TRAWL_SORT_OLDEST_FIRST, "oldest-first", FALSE);
	check_patch_far_down (TRAWL_SORT_OLDEST_FIRST, "oldest-first", TRUE);
}

/* When the changed tag is in the query, the thread leaves the list (and
 * comes back on undo) where notmuch would put it: checked against notmuch
 * after each step, from both ends. */
static void
test_patch_membership (void)
{
	TestDb *t = changing ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	const char *q = "tag:inbox";
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", q);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, q, TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, 5), ==, 5);
	g_autofree char *tid = g_strdup (trawl_thread_list_get (tl, p)->thread_id);
	/* and the tail has been looked at too */
	TrawlPos last;
	g_assert_true (trawl_thread_list_last (tl, &last));
	g_autofree char *last_tid = g_strdup (trawl_thread_list_get (tl, last)->thread_id);

	trawl_thread_list_suspend (tl);
	g_autoptr (TrawlTagChange) c1 = tag_thread (db, tid, "-inbox");
	g_autoptr (TrawlTagChange) c2 = tag_thread (db, last_tid, "-inbox");
	trawl_thread_list_patch (tl, c1);
	trawl_thread_list_patch (tl, c2);
	TrawlPos gone;
	g_assert_false (trawl_thread_list_find (tl, tid, &gone));
	g_assert_false (trawl_thread_list_find (tl, last_tid, &gone));
	g_autoptr (GPtrArray) after = cli_threads (t, "newest-first", q);
	g_assert_cmpuint (after->len, ==, want->len - 2);
	g_autoptr (GPtrArray) got = walk_forward (tl);
	assert_same_ids (got, after);
	trawl_thread_list_wait_count (tl);
	g_assert_cmpint (trawl_thread_list_count (tl), ==, after->len);

	/* Undo both: back in their places. */
	TrawlJournal *j = trawl_journal_new ();
	trawl_journal_push (j, g_steal_pointer (&c1));
	trawl_journal_push (j, g_steal_pointer (&c2));
	for (int k = 0; k < 2; k++) {
		trawl_thread_list_suspend (tl);
		g_autoptr (GError) e = NULL;
		g_autoptr (TrawlTagChange) inv = trawl_journal_undo (j, db, &e);
		g_assert_no_error (e);
		trawl_thread_list_patch (tl, inv);
	}
	g_assert_cmpuint (trawl_journal_len (j), ==, 0);
	g_assert_null (trawl_journal_undo (j, db, NULL));
	trawl_journal_free (j);
	g_autoptr (GPtrArray) back = walk_forward (tl);
	assert_same_ids (back, want);
	g_autoptr (GPtrArray) back2 = walk_backward (tl);
	assert_same_ids (back2, want);
}

/* Marking a message read in a big thread patches the open thread in place
 * (no database read: the function has no database) and the list's row with
 * one count, no summary. */
static void
test_mark_read_patches (void)
{
	TestDb *t = changing ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	/* the biggest thread among the first 100 rows */
	TrawlPos p, best = { FALSE, 0 };
	int most = 0;
	g_assert_true (trawl_thread_list_first (tl, &p));
	for (int i = 0; i < 100; i++) {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		if (r->total > most) {
			most = r->total;
			best = p;
		}
		if (trawl_thread_list_step (tl, &p, 1) != 1)
			break;
	}
	g_assert_cmpint (most, >, 3);
	g_autofree char *tid = g_strdup (trawl_thread_list_get (tl, best)->thread_id);
	g_autoptr (TrawlThread) th = trawl_thread_open (db, tid, "*", NULL);
	TrawlMessage *m = th->messages->pdata[th->messages->len / 2];
	g_assert_true (m->unread);
	gsize built = trawl_thread_list_rows_built (tl);

	trawl_thread_list_suspend (tl);
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (m->message_id));
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("-unread", NULL);
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, NULL);
	g_assert_nonnull (c);
	g_assert_true (trawl_thread_patch (th, c));
	g_assert_false (m->unread);
	g_assert_false (trawl_words_contain (m->tags, "unread"));
	trawl_thread_list_patch (tl, c);
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), ==, built);
	/* the other messages are unread: the thread keeps the tag */
	g_assert_true (trawl_words_contain (trawl_thread_list_get (tl, best)->tags, "unread"));
	g_assert_true (trawl_db_undo_tags (db, c, NULL));
}

/* Counts of a query at a revision are kept: a second list has them at once. */
static void
test_counts_cached (void)
{
	TestDb *t = changing ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadList) a = trawl_thread_list_new (db, "date:2019..", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_cmpint (trawl_thread_list_wake_fd (a), >=, 0);
	trawl_thread_list_wait_count (a);
	gint64 n = trawl_thread_list_count (a);
	g_assert_cmpint (n, >, 0);
	g_autoptr (TrawlThreadList) b = trawl_thread_list_new (db, "date:2019..", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_cmpint (trawl_thread_list_wake_fd (b), ==, -1);	/* no job started */
	g_assert_cmpint (trawl_thread_list_count (b), ==, n);
	g_assert_cmpint (trawl_thread_list_message_count (b), ==, trawl_thread_list_message_count (a));

	/* Two lists of a query not counted yet share one count. */
	guint64 jobs = trawl_db_stats (db)->count_jobs;
	g_autoptr (TrawlThreadList) c = trawl_thread_list_new (db, "date:..2019", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_autoptr (TrawlThreadList) d = trawl_thread_list_new (db, "date:..2019", TRAWL_SORT_OLDEST_FIRST, NULL);
	/* (started when the caller first waits: its screen is drawn) */
	g_assert_cmpuint (trawl_db_stats (db)->count_jobs, ==, jobs);
	g_assert_cmpint (trawl_thread_list_wake_fd (c), >=, 0);
	g_assert_cmpint (trawl_thread_list_wake_fd (d), >=, 0);
	g_assert_cmpuint (trawl_db_stats (db)->count_jobs, ==, jobs + 1);
	g_assert_cmpint (trawl_thread_list_wake_fd (c), !=, trawl_thread_list_wake_fd (d));
	trawl_thread_list_wait_count (d);
	trawl_thread_list_wait_count (c);
	g_assert_cmpint (trawl_thread_list_count (c), >, 0);
	g_assert_cmpint (trawl_thread_list_count (c), ==, trawl_thread_list_count (d));
	/* A list that goes away before its count is read lets it go: the next
	 * list of that query at that revision starts afresh, once. */
	TrawlThreadList *e = trawl_thread_list_new (db, "date:2021..", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_cmpint (trawl_thread_list_wake_fd (e), >=, 0);
	trawl_thread_list_free (e);
	g_autoptr (TrawlThreadList) f = trawl_thread_list_new (db, "date:2021..", TRAWL_SORT_NEWEST_FIRST, NULL);
	trawl_thread_list_wait_count (f);
	g_assert_cmpint (trawl_thread_list_count (f), >=, 0);
	g_assert_cmpuint (trawl_db_stats (db)->count_jobs, ==, jobs + 3);
}

/* Another process retags threads (one far down, one leaving the query):
 * after a reopen, refresh places exactly the changed threads anew (counted)
 * and the list is notmuch's again. */
static void
test_refresh_external (void)
{
	TestDb *t = changing ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *q = "tag:inbox";
	g_autoptr (GPtrArray) want = cli_threads (t, "newest-first", q);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, q, TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	guint row = want->len / 2;
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, row), ==, row);
	g_autofree char *far = g_strdup (want->pdata[row]);
	g_autofree char *gone = g_strdup (want->pdata[3]);
	g_autofree char *tq1 = g_strdup_printf ("thread:%s", far);
	g_autofree char *tq2 = g_strdup_printf ("thread:%s", gone);
	const char *a1[] = { "tag", "+external", "--", tq1, NULL };
	const char *a2[] = { "tag", "-inbox", "--", tq2, NULL };
	g_free (testdb_notmuch (t, a1));
	g_free (testdb_notmuch (t, a2));
	gsize built = trawl_thread_list_rows_built (tl);
	trawl_thread_list_suspend (tl);
	g_assert_true (trawl_db_reopen (db, NULL));
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_thread_list_refresh (tl, &e));
	g_assert_no_error (e);
	/* two threads changed: two summaries asked for, no more */
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), <=, built + 2);
	TrawlPos at;
	g_assert_false (trawl_thread_list_find (tl, gone, &at));
	g_assert_true (trawl_thread_list_find (tl, far, &at));
	g_assert_true (trawl_words_contain (trawl_thread_list_get (tl, at)->tags, "external"));
	g_autoptr (GPtrArray) after = cli_threads (t, "newest-first", q);
	g_autoptr (GPtrArray) got = walk_forward (tl);
	assert_same_ids (got, after);
	const char *b1[] = { "tag", "-external", "--", tq1, NULL };
	const char *b2[] = { "tag", "+inbox", "--", tq2, NULL };
	g_free (testdb_notmuch (t, b1));
	g_free (testdb_notmuch (t, b2));
}

/* Saved searches, one store: notmuch's query.NAME, the config's
 * [searches], the searches saved from trawl, in that order, each with where
 * it is kept. */
static void
test_searches_store (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	const char *set[] = { "config", "set", "query.mine", "from:alice", NULL };
	g_free (testdb_notmuch (t, set));
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "t.conf", "[searches]\nunread = tag:unread\n");
	g_autofree char *xdg = g_build_filename (t->dir, "xdg", NULL);
	g_setenv ("XDG_CONFIG_HOME", xdg, TRUE);
	g_assert_true (trawl_searches_add ("bobs", "from:bob", NULL));
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) all = trawl_searches_all (db, c, &e);
	g_assert_no_error (e);
	g_assert_cmpuint (all->len, ==, 3);
	const char *want[][3] = { { "mine", "from:alice", "notmuch" }, { "unread", "tag:unread", "config" },
				  { "bobs", "from:bob", "saved" } };
	for (guint i = 0; i < 3; i++) {
		const TrawlNamedQuery *q = all->pdata[i];
		g_assert_cmpstr (q->name, ==, want[i][0]);
		g_assert_cmpstr (q->query, ==, want[i][1]);
		g_assert_cmpstr (q->origin, ==, want[i][2]);
	}
	g_autoptr (TrawlTagCounts) tc = trawl_query_counts_new (db, all);
	trawl_tag_counts_wait (tc);
	g_assert_cmpstr (trawl_tag_counts_name (tc, 2), ==, "bobs");
	g_assert_cmpint (trawl_tag_counts_total (tc, 1), >, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/model/open/missing-config", test_open_missing_config);
	g_test_add_func ("/model/open/missing-database", test_open_missing_database);
	g_test_add_func ("/model/open/corrupt-database", test_open_corrupt_database);
	g_test_add_func ("/model/default-query", test_default_query);
	g_test_add_func ("/model/query/bad", test_bad_queries);
	g_test_add_func ("/model/query/empty", test_empty_result);
	g_test_add_func ("/model/list/fixture-rows", test_fixture_rows);
	g_test_add_func ("/model/list/order-newest", test_order_newest);
	g_test_add_func ("/model/list/order-oldest", test_order_oldest);
	g_test_add_func ("/model/list/order-subquery", test_order_subquery);
	g_test_add_func ("/model/list/first-screen-cheap", test_first_screen_is_cheap);
	g_test_add_func ("/model/list/last-cheap", test_last_is_cheap);
	g_test_add_func ("/model/list/meet-in-the-middle", test_meet_in_the_middle);
	g_test_add_func ("/model/list/memory-bounded", test_memory_bounded);
	g_test_add_func ("/model/reopen", test_reopen_sees_new_mail);
	g_test_add_func ("/model/change/write-needs-suspend", test_write_needs_suspend);
	g_test_add_func ("/model/change/patch-far-down-newest", test_patch_far_down_newest);
	g_test_add_func ("/model/change/patch-far-down-oldest", test_patch_far_down_oldest);
	g_test_add_func ("/model/change/patch-membership", test_patch_membership);
	g_test_add_func ("/model/change/mark-read", test_mark_read_patches);
	g_test_add_func ("/model/change/counts-cached", test_counts_cached);
	g_test_add_func ("/model/change/refresh-external", test_refresh_external);
	g_test_add_func ("/model/searches-store", test_searches_store);
	int rc = g_test_run ();
	testdb_free (gen_db);
	testdb_free (change_db);
	return rc;
}
