/* test-shape.c — the shape index (trawl/shape.h) and the correspondents of a
 * query, against real notmuch databases built by the notmuch CLI.  Counts
 * are checked against `notmuch address`; file reads against the index's own
 * counter. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "trawl/mime.h"
#include "trawl/shape.h"
#include "testdb.h"

static TestDb *
corr_db (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "corr", NULL);
	TestDb *t = testdb_new (src);
	if (t) {
		g_autofree char *cache = g_build_filename (t->dir, "shape.idx", NULL);
		g_setenv ("TRAWL_SHAPE_CACHE", cache, TRUE);
	}
	return t;
}

static char *
cache_of (TestDb *t)
{
	return g_build_filename (t->dir, "shape.idx", NULL);
}

static guint64
files_read (void)
{
	TrawlShapeStats s;
	trawl_shape_stats (&s);
	return s.files_read;
}

/* address (lower case) -> count, from `notmuch address --output=OUT --output=count`. */
static GHashTable *
notmuch_counts (TestDb *t, const char *out, const char *query)
{
	g_autofree char *o = g_strdup_printf ("--output=%s", out);
	const char *args[] = { "address", o, "--output=count", "--deduplicate=mailbox", query, NULL };
	g_autofree char *text = testdb_notmuch (t, args);
	GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (!**l)
			continue;
		char *tab = strchr (*l, '\t');
		g_assert_nonnull (tab);
		guint n = atoi (*l);
		g_autoptr (GPtrArray) addrs = g_ptr_array_new_with_free_func (g_free);
		trawl_mime_addresses (tab + 1, addrs);
		if (addrs->len != 1)
			continue;	/* something notmuch prints that is no address */
		guint old = GPOINTER_TO_UINT (g_hash_table_lookup (h, addrs->pdata[0]));
		g_hash_table_insert (h, g_strdup (addrs->pdata[0]), GUINT_TO_POINTER (old + n));
	}
	return h;
}

static TrawlCorr *
corr_done (TrawlDb *db, const char *query)
{
	TrawlCorr *c = trawl_corr_new (db, query);
	trawl_corr_wait (c);
	g_assert_cmpint (trawl_corr_phase (c, NULL, NULL), ==, TRAWL_CORR_DONE);
	g_assert_null (trawl_corr_error (c));
	return c;
}

static guint
row_count (GPtrArray *rows, const char *key, const char *key2)
{
	for (guint i = 0; i < rows->len; i++) {
		const TrawlCorrRow *r = rows->pdata[i];
		if (strcmp (r->key, key) == 0 && g_strcmp0 (r->key2, key2) == 0)
			return r->count;
	}
	return 0;
}

static const TrawlCorrRow *
row_of (GPtrArray *rows, const char *key)
{
	for (guint i = 0; i < rows->len; i++)
		if (strcmp (((TrawlCorrRow *) rows->pdata[i])->key, key) == 0)
			return rows->pdata[i];
	return NULL;
}

static void
test_counts (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlCorr) c = corr_done (db, "*");
	g_assert_cmpuint (trawl_corr_messages (c), ==, 8);
	g_assert_cmpuint (trawl_corr_unreadable (c), ==, 0);

	/* Senders: as notmuch counts them (its From), merged per address. */
	g_autoptr (GHashTable) senders = notmuch_counts (t, "sender", "*");
	g_autoptr (GPtrArray) sent = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_assert_cmpuint (sent->len, ==, g_hash_table_size (senders));
	for (guint i = 0; i < sent->len; i++) {
		const TrawlCorrRow *r = sent->pdata[i];
		g_assert_cmpuint (r->count, ==, GPOINTER_TO_UINT (g_hash_table_lookup (senders, r->key)));
	}
	g_assert_cmpstr (((TrawlCorrRow *) sent->pdata[0])->key, ==, "alice@a.example");
	g_assert_cmpuint (((TrawlCorrRow *) sent->pdata[0])->count, ==, 3);
	/* Names of one address, most frequent first. */
	g_assert_cmpstr (((TrawlCorrRow *) sent->pdata[0])->names, ==, "Alice Smith / A. Smith");
	/* Other charsets decoded: RFC 2047 in UTF-8 and Latin-1, raw Latin-1. */
	g_assert_cmpstr (row_of (sent, "li@c.example")->names, ==, "李明");
	g_assert_cmpstr (row_of (sent, "rene@d.example")->names, ==, "René Dupont");

	/* Recipients: notmuch reads them from the files too. */
	g_autoptr (GHashTable) rcpts = notmuch_counts (t, "recipients", "*");
	g_autoptr (GPtrArray) recv = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (recv, "bob@b.example", NULL), ==, 4);
	g_assert_cmpuint (row_count (recv, "bob@b.example", NULL), ==,
			  GPOINTER_TO_UINT (g_hash_table_lookup (rcpts, "bob@b.example")));
	g_assert_cmpuint (row_count (recv, "carol@c.example", NULL), ==, 2);
	/* Bcc only. */
	g_assert_cmpuint (row_count (recv, "secret@hidden.example", NULL), ==, 1);
	g_assert_cmpstr (row_of (recv, "joerg@b.example")->names, ==, "Jörg Müller");
	/* No row with an empty address; nothing on a row that is not UTF-8. */
	for (guint i = 0; i < recv->len; i++) {
		const TrawlCorrRow *r = recv->pdata[i];
		g_assert_cmpstr (r->key, !=, "");
		g_assert_true (g_utf8_validate (r->key, -1, NULL));
		g_assert_true (g_utf8_validate (r->names, -1, NULL));
	}

	/* Pairs, and one person's. */
	g_autoptr (GPtrArray) pairs = trawl_corr_rows (c, TRAWL_CORR_PAIRS, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (pairs, "alice@a.example", "bob@b.example"), ==, 2);
	g_assert_cmpuint (row_count (pairs, "carol@c.example", "secret@hidden.example"), ==, 1);
	g_autoptr (GPtrArray) alice = trawl_corr_rows (c, TRAWL_CORR_PAIRS, FALSE, "alice@a.example", TRUE);
	g_assert_cmpuint (alice->len, ==, 3);	/* bob, carol, joerg */
	g_autoptr (GPtrArray) to_bob = trawl_corr_rows (c, TRAWL_CORR_PAIRS, FALSE, "bob@b.example", FALSE);
	g_assert_cmpuint (row_count (to_bob, "alice@a.example", "bob@b.example"), ==, 2);
	for (guint i = 0; i < to_bob->len; i++)
		g_assert_cmpstr (((TrawlCorrRow *) to_bob->pdata[i])->key2, ==, "bob@b.example");

	/* By domain. */
	g_autoptr (GPtrArray) dom = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, TRUE, NULL, FALSE);
	g_assert_cmpuint (row_count (dom, "b.example", NULL), ==, 5);	/* bob 4, joerg 1 */

	/* Narrowing queries find what was counted. */
	g_autofree char *q = trawl_corr_row_query (TRAWL_CORR_PAIRS, FALSE, pairs->pdata[0]);
	g_assert_cmpstr (q, ==, "from:\"alice@a.example\" and to:\"bob@b.example\"");
	const char *args[] = { "count", q, NULL };
	g_autofree char *n = testdb_notmuch (t, args);
	g_assert_cmpint (atoi (n), ==, 2);
}

static void
test_query (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlCorr) c = corr_done (db, "from:bob");
	g_assert_cmpuint (trawl_corr_messages (c), ==, 1);
	g_autoptr (GPtrArray) recv = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	g_assert_cmpuint (recv->len, ==, 3);
	g_autoptr (TrawlCorr) none = corr_done (db, "from:nobody-at-all");
	g_assert_cmpuint (trawl_corr_messages (none), ==, 0);
	g_autoptr (GPtrArray) empty = trawl_corr_rows (none, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_reopen_and_update (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	TrawlShapeResult r;
	g_autoptr (GError) e = NULL;
	guint64 before = files_read ();
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_no_error (e);
	g_assert_true (r.built);
	g_assert_cmpuint (r.messages, ==, 8);
	g_assert_cmpuint (r.read, ==, 8);
	g_assert_cmpuint (files_read () - before, ==, 8);
	g_free (r.notice);

	/* Again: nothing read. */
	before = files_read ();
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_false (r.built);
	g_assert_null (r.notice);
	g_assert_cmpuint (r.messages, ==, 8);
	g_assert_cmpuint (files_read () - before, ==, 0);

	/* A tag change: lastmod finds the message, its file is not read again. */
	const char *tag[] = { "tag", "+x", "--", "id:corr1@test", NULL };
	g_free (testdb_notmuch (t, tag));
	before = files_read ();
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_cmpuint (files_read () - before, ==, 0);

	/* New messages: only they are read. */
	for (int i = 0; i < 3; i++) {
		g_autofree char *name = g_strdup_printf ("new%d:2,", i);
		g_autofree char *path = g_build_filename (t->mail, "cur", name, NULL);
		g_autofree char *text = g_strdup_printf ("From: New <new@n.example>\nTo: Zed <zed@z.example>\n"
							 "Subject: n%d\nMessage-ID: <new%d@test>\n\nx\n", i, i);
		g_assert_true (g_file_set_contents (path, text, -1, NULL));
	}
	const char *nw[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, nw));
	before = files_read ();
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_false (r.built);
	g_assert_cmpuint (r.read, ==, 3);
	g_assert_cmpuint (files_read () - before, ==, 3);
	g_assert_cmpuint (r.messages, ==, 11);

	g_assert_true (trawl_db_reopen (db, &e));
	before = files_read ();
	g_autoptr (TrawlCorr) c = corr_done (db, "*");
	g_assert_cmpuint (files_read () - before, ==, 0);
	g_autoptr (GPtrArray) recv = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (recv, "zed@z.example", NULL), ==, 3);
}

static void
test_corrupt (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	TrawlShapeResult r;
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_free (r.notice);
	g_autofree char *cache = cache_of (t);
	g_autofree char *data = NULL;
	gsize len = 0;
	g_assert_true (g_file_get_contents (cache, &data, &len, NULL));

	/* Truncated: rebuilt, said. */
	g_assert_true (g_file_set_contents (cache, data, len / 2, NULL));
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_true (r.built);
	g_assert_nonnull (r.notice);
	g_assert_nonnull (strstr (r.notice, "truncated or corrupt"));
	g_assert_cmpuint (r.messages, ==, 8);
	g_free (r.notice);

	/* One byte flipped in the middle: the checksum says so. */
	data[len / 2] ^= 0x5a;
	g_assert_true (g_file_set_contents (cache, data, len, NULL));
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_true (r.built);
	g_assert_nonnull (strstr (r.notice, "corrupt"));
	g_free (r.notice);

	/* Garbage, and empty. */
	g_assert_true (g_file_set_contents (cache, "hello", -1, NULL));
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_true (r.built);
	g_assert_nonnull (strstr (r.notice, "not a shape index"));
	g_free (r.notice);
	g_assert_true (g_file_set_contents (cache, "", 0, NULL));
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_true (r.built);
	g_free (r.notice);

	/* And fine again. */
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_false (r.built);
	g_assert_null (r.notice);
}

static void
test_vanished (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autofree char *f = g_build_filename (t->mail, "cur", "1720000002.02.corr:2,", NULL);
	g_assert_cmpint (g_unlink (f), ==, 0);
	g_autoptr (TrawlDb) db = testdb_open (t);
	TrawlShapeResult r;
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_no_error (e);
	g_assert_cmpuint (r.messages, ==, 8);
	g_assert_cmpuint (r.unreadable, ==, 1);
	g_free (r.notice);

	g_autoptr (TrawlCorr) c = corr_done (db, "*");
	g_assert_cmpuint (trawl_corr_unreadable (c), ==, 1);
	/* Its sender still counts, from notmuch's From. */
	g_autoptr (GPtrArray) sent = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (sent, "alice@a.example", NULL), ==, 3);
	g_autoptr (GPtrArray) recv = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (recv, "bob@b.example", NULL), ==, 3);
}

static void
test_cancel (void)
{
	g_autoptr (TestDb) t = testdb_generated (2000, 7);
	if (!t)
		return;
	g_autofree char *cache = g_build_filename (t->dir, "shape.idx", NULL);
	g_setenv ("TRAWL_SHAPE_CACHE", cache, TRUE);
	g_autoptr (TrawlDb) db = testdb_open (t);
	/* Freed at once: the worker stops, nothing half-written is left. */
	TrawlCorr *c = trawl_corr_new (db, "*");
	trawl_corr_free (c);
	g_usleep (200000);
	TrawlShapeResult r;
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_cmpuint (r.messages, ==, 2000);
	g_assert_null (r.notice);
	/* Progress reaches the total. */
	g_autoptr (TrawlCorr) d = corr_done (db, "*");
	guint64 done = 0, total = 0;
	trawl_corr_phase (d, &done, &total);
	g_assert_cmpuint (trawl_corr_messages (d), ==, 2000);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/shape/counts", test_counts);
	g_test_add_func ("/shape/query", test_query);
	g_test_add_func ("/shape/reopen-and-update", test_reopen_and_update);
	g_test_add_func ("/shape/corrupt", test_corrupt);
	g_test_add_func ("/shape/vanished", test_vanished);
	g_test_add_func ("/shape/cancel", test_cancel);
	return g_test_run ();
}
