/* test-batch.c — a batch of terms counted within a query (trawl/batch.h):
 * the terms of a file or a typed line, the query each is counted as, the
 * counts against notmuch count's (exclude tags honoured), a bad term's
 * message on its own, the order by count, and freeing while it counts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "trawl/batch.h"
#include "trawl/tags.h"
#include "testdb.h"

static void
assert_terms (GPtrArray *terms, const char *const *want)
{
	guint n = 0;
	for (; want[n]; n++) {
		g_assert_cmpuint (n, <, terms->len);
		g_assert_cmpstr (terms->pdata[n], ==, want[n]);
	}
	g_assert_cmpuint (terms->len, ==, n);
}

static void
test_parse (void)
{
	g_autoptr (GPtrArray) a = trawl_batch_parse ("# comment\nfrom:alice\n\n  to:bob  \r\n   # indented\n"
						     "a;b\nlast", FALSE);
	assert_terms (a, (const char *const[]) { "from:alice", "to:bob", "a;b", "last", NULL });
	g_autoptr (GPtrArray) b = trawl_batch_parse (" from:alice ; ;subject:\"x y\";#no\n tag:a", TRUE);
	assert_terms (b, (const char *const[]) { "from:alice", "subject:\"x y\"", "tag:a", NULL });
	g_autoptr (GPtrArray) c = trawl_batch_parse ("", TRUE);
	g_assert_cmpuint (c->len, ==, 0);
	g_autoptr (GPtrArray) d = trawl_batch_parse (NULL, FALSE);
	g_assert_cmpuint (d->len, ==, 0);
}

static void
test_read_file (void)
{
	g_autofree char *dir = g_dir_make_tmp ("trawl-batch-XXXXXX", NULL);
	g_autofree char *path = g_build_filename (dir, "terms", NULL);
	/* A NUL ends a line's text; bytes that are not UTF-8 stay. */
	g_assert_true (g_file_set_contents (path, "one\n#two\nthree\0four\n\xff\xfe\n", 22, NULL));
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) t = trawl_batch_read_file (path, &e);
	g_assert_no_error (e);
	assert_terms (t, (const char *const[]) { "one", "three", "four", "\xff\xfe", NULL });
	g_autofree char *missing = g_build_filename (dir, "none", NULL);
	g_autoptr (GPtrArray) none = trawl_batch_read_file (missing, &e);
	g_assert_null (none);
	g_assert_nonnull (e);
	g_assert_nonnull (strstr (e->message, "none"));
	g_unlink (path);
	g_rmdir (dir);
}

static void
test_query_and (void)
{
	g_autofree char *a = trawl_query_and ("*", "from:alice");
	g_assert_cmpstr (a, ==, "from:alice");
	g_autofree char *b = trawl_query_and (" * ", "from:alice");
	g_assert_cmpstr (b, ==, "from:alice");
	g_autofree char *c = trawl_query_and ("", "x");
	g_assert_cmpstr (c, ==, "x");
	g_autofree char *d = trawl_query_and ("tag:inbox or tag:x", "from:a or from:b");
	g_assert_cmpstr (d, ==, "(tag:inbox or tag:x) and (from:a or from:b)");
}

static gint64
nm_count (TestDb *t, const char *what, const char *query)
{
	const char *args[] = { "count", what, query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	return g_ascii_strtoll (out, NULL, 10);
}

static void
test_counts (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	/* A spam message: excluded as notmuch count excludes it, unless the
	 * term asks for spam. */
	const char *spam[] = { "tag", "+spam", "--", "from:bob", NULL };
	g_free (testdb_notmuch (t, spam));
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *cur = "not subject:lunch";
	g_autoptr (GPtrArray) terms = trawl_batch_parse ("from:alice\nto:test@example.org\nfrom:alice and (\n"
							 "tag:spam\nfrom:nobody\ndate:foo..bar\ntag:inbox\n", FALSE);
	g_autoptr (TrawlBatch) b = trawl_batch_new (db, cur, terms);
	g_assert_cmpuint (trawl_batch_len (b), ==, 7);
	trawl_batch_wait (b);
	g_assert_null (trawl_batch_error (b));
	g_assert_cmpuint (trawl_batch_done (b), ==, 7);
	for (guint i = 0; i < trawl_batch_len (b); i++) {
		const char *term = trawl_batch_term (b, i);
		g_autofree char *q = g_strdup_printf ("(%s) and (%s)", cur, term);
		g_assert_cmpstr (trawl_batch_query (b, i), ==, q);
		if (strcmp (term, "from:alice and (") == 0 || strcmp (term, "date:foo..bar") == 0) {
			/* notmuch's own words, for this term, on one line. */
			const char *err = trawl_batch_term_error (b, i);
			g_assert_nonnull (err);
			g_assert_null (strchr (err, '\n'));
			g_assert_cmpint (trawl_batch_messages (b, i), ==, -1);
			g_assert_cmpint (trawl_batch_threads (b, i), ==, -1);
			if (term[0] == 'f')
				g_assert_cmpstr (err, ==, "Syntax: <expression> AND <expression>");
			else
				g_assert_cmpstr (err, ==, "Didn't understand date specification 'foo'");
			continue;
		}
		g_assert_null (trawl_batch_term_error (b, i));
		g_assert_cmpint (trawl_batch_messages (b, i), ==, nm_count (t, "--output=messages", q));
		g_assert_cmpint (trawl_batch_threads (b, i), ==, nm_count (t, "--output=threads", q));
	}
	/* the spam term counts the spam */
	g_assert_cmpint (trawl_batch_messages (b, 3), ==, 1);

	/* By count: most messages first, ties in file order, failures last. */
	g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
	trawl_batch_sort_by_count (b, order);
	g_assert_cmpuint (order->len, ==, 7);
	guint want[] = { 1, 6, 0, 3, 4, 2, 5 };
	g_assert_cmpint (trawl_batch_messages (b, 1), ==, trawl_batch_messages (b, 6));
	for (guint i = 0; i < 7; i++)
		g_assert_cmpuint (g_array_index (order, guint, i), ==, want[i]);
}

static void
test_everything (void)
{
	/* Within '*' the term is the whole query (notmuch takes '*' only so). */
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) terms = trawl_batch_parse ("from:alice", FALSE);
	g_autoptr (TrawlBatch) b = trawl_batch_new (db, "*", terms);
	trawl_batch_wait (b);
	g_assert_cmpstr (trawl_batch_query (b, 0), ==, "from:alice");
	g_assert_cmpint (trawl_batch_messages (b, 0), ==, nm_count (t, "--output=messages", "from:alice"));
	g_assert_cmpint (trawl_batch_threads (b, 0), ==, nm_count (t, "--output=threads", "from:alice"));
}

static void
test_cancel (void)
{
	/* Freed at once, with a thousand terms to count: nothing waits for
	 * the worker, and the worker stops (no crash, no leak under ASan). */
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
	for (int i = 0; i < 1000; i++)
		g_ptr_array_add (terms, g_strdup_printf ("from:person%d", i));
	gint64 t0 = g_get_monotonic_time ();
	TrawlBatch *b = trawl_batch_new (db, "tag:inbox", terms);
	g_assert_cmpuint (trawl_batch_len (b), ==, 1000);
	g_assert_cmpstr (trawl_batch_term (b, 999), ==, "from:person999");
	trawl_batch_free (b);
	g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC);
	/* An empty batch is done at once. */
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	g_autoptr (TrawlBatch) e = trawl_batch_new (db, "*", none);
	trawl_batch_wait (e);
	g_assert_cmpuint (trawl_batch_len (e), ==, 0);
	g_assert_cmpuint (trawl_batch_done (e), ==, 0);
	g_usleep (200000);	/* the cancelled worker ends before the database goes */
}

static TrawlTagChange *
apply_tags (TrawlDb *db, TestDb *t, const char *query, const char *text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (text, &e);
	g_assert_no_error (e);
	(void) t;
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, query, &e);
	g_assert_no_error (e);
	g_assert_cmpuint (ids->len, >, 0);
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_nonnull (c);
	return c;
}

static void
check_terms (TestDb *t, TrawlBatch *b)
{
	for (guint i = 0; i < trawl_batch_len (b); i++) {
		if (trawl_batch_term_error (b, i))
			continue;
		g_assert_false (trawl_batch_updating (b, i));
		g_assert_cmpint (trawl_batch_messages (b, i), ==, nm_count (t, "--output=messages", trawl_batch_query (b, i)));
		g_assert_cmpint (trawl_batch_threads (b, i), ==, nm_count (t, "--output=threads", trawl_batch_query (b, i)));
	}
}

/* After a tag change: tags no term names (nor the query, nor the excluded
 * ones) recount nothing; a term naming one is recounted alone; the query
 * naming one, or an excluded tag, recounts every term.  The counts are
 * notmuch count's again. */
static void
test_patch (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (GPtrArray) terms = trawl_batch_parse ("from:alice\ntag:todo\nfrom:alice and (\nsubject:lunch\n", FALSE);
	g_autoptr (TrawlBatch) b = trawl_batch_new (db, "not tag:archived", terms);
	g_autoptr (TrawlBatch) inbox = trawl_batch_new (db, "tag:inbox", terms);
	trawl_batch_wait (b);
	trawl_batch_wait (inbox);
	check_terms (t, b);
	guint skipped0 = trawl_batch_patches_skipped_all ();
	gboolean every = TRUE;

	/* +flagged: named nowhere: nothing. */
	g_autoptr (TrawlTagChange) c1 = apply_tags (db, t, "from:alice", "+flagged");
	g_assert_cmpuint (trawl_batch_patch (b, c1, &every), ==, 0);
	g_assert_false (every);
	g_assert_cmpuint (trawl_batch_patch (inbox, c1, &every), ==, 0);
	g_assert_cmpuint (trawl_batch_patches_skipped_all (), ==, skipped0 + 2);
	g_assert_cmpuint (trawl_batch_recounts (b), ==, 0);

	/* +todo: the term tag:todo alone (the bad term never). */
	g_autoptr (TrawlTagChange) c2 = apply_tags (db, t, "from:alice", "+todo");
	g_assert_cmpuint (trawl_batch_patch (b, c2, &every), ==, 1);
	g_assert_false (every);
	g_assert_true (trawl_batch_updating (b, 1));
	g_assert_false (trawl_batch_updating (b, 0));
	g_assert_cmpint (trawl_batch_messages (b, 1), ==, 0);	/* the old count, until the new one */
	trawl_batch_wait_patched (b);
	g_assert_cmpuint (trawl_batch_recounts (b), ==, 1);
	g_assert_cmpint (trawl_batch_messages (b, 1), ==, 3);
	check_terms (t, b);
	g_assert_cmpuint (trawl_batch_patch (inbox, c2, &every), ==, 1);
	trawl_batch_wait_patched (inbox);

	/* -inbox: the query of INBOX names it: its every valid term. */
	g_autoptr (TrawlTagChange) c3 = apply_tags (db, t, "subject:lunch", "-inbox");
	g_assert_cmpuint (trawl_batch_patch (b, c3, &every), ==, 0);
	g_assert_cmpuint (trawl_batch_patch (inbox, c3, &every), ==, 3);
	g_assert_true (every);
	trawl_batch_wait_patched (inbox);
	g_assert_cmpuint (trawl_batch_recounts (inbox), ==, 1 + 3);
	g_assert_cmpint (trawl_batch_messages (inbox, 3), ==, 0);
	check_terms (t, inbox);

	/* +spam is excluded: every valid term of both. */
	g_autoptr (TrawlTagChange) c4 = apply_tags (db, t, "from:alice", "+spam");
	g_assert_cmpuint (trawl_batch_patch (b, c4, &every), ==, 3);
	g_assert_true (every);
	trawl_batch_wait_patched (b);
	g_assert_cmpint (trawl_batch_messages (b, 0), ==, 0);
	check_terms (t, b);
	g_assert_cmpuint (trawl_batch_recounts (b), ==, 1 + 3);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/batch/parse", test_parse);
	g_test_add_func ("/batch/read-file", test_read_file);
	g_test_add_func ("/batch/query-and", test_query_and);
	g_test_add_func ("/batch/counts", test_counts);
	g_test_add_func ("/batch/everything", test_everything);
	g_test_add_func ("/batch/cancel", test_cancel);
	g_test_add_func ("/batch/patch", test_patch);
	return g_test_run ();
}
