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
#include "trawl/tags.h"
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

/* search.exclude_tags hides messages from the counts as it hides them from
 * the thread list and notmuch count: bob's message tagged spam is not
 * counted, and is again once the tag goes. */
static void
test_excluded (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	const char *spam[] = { "tag", "+spam", "--", "from:bob", NULL };
	g_free (testdb_notmuch (t, spam));
	const char *count[] = { "count", "from:bob", NULL };
	g_autofree char *n = testdb_notmuch (t, count);
	g_assert_cmpint (atoi (n), ==, 0);	/* notmuch count leaves it out too */
	{
		g_autoptr (TrawlDb) db = testdb_open (t);
		g_autoptr (TrawlCorr) c = corr_done (db, "from:bob");
		g_assert_cmpuint (trawl_corr_messages (c), ==, 0);
		g_autoptr (TrawlCorr) all = corr_done (db, "*");
		g_assert_cmpuint (trawl_corr_messages (all), ==, 7);
		g_autoptr (GPtrArray) sent = trawl_corr_rows (all, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
		g_assert_null (row_of (sent, "bob@b.example"));
	}
	const char *ham[] = { "tag", "-spam", "--", "from:bob", NULL };
	g_free (testdb_notmuch (t, ham));
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlCorr) c = corr_done (db, "from:bob");
	g_assert_cmpuint (trawl_corr_messages (c), ==, 1);
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

/* ---- attachments ---- */

static TestDb *
att_db (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "att", NULL);
	TestDb *t = testdb_new (src);
	if (t) {
		g_autofree char *cache = g_build_filename (t->dir, "shape.idx", NULL);
		g_setenv ("TRAWL_SHAPE_CACHE", cache, TRUE);
	}
	return t;
}

static TrawlAtts *
atts_done (TrawlDb *db, const char *query)
{
	TrawlAtts *a = trawl_atts_new (db, query);
	trawl_atts_wait (a);
	g_assert_cmpint (trawl_atts_phase (a, NULL, NULL), ==, TRAWL_CORR_DONE);
	g_assert_null (trawl_atts_error (a));
	return a;
}

/* What python3's email module says of the fixture's attachments (decoded
 * with get_payload(decode=True), hashed with hashlib; leaf parts numbered
 * in walk() order, as trawl_mime_save_part numbers them). */
typedef struct {
	const char *mid, *name, *type;
	guint64 size;
	const char *sha256;
	int part;
	const char *sender;
} Expect;

#define SHA_X "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9"
static const Expect expected[] = {
	{ "att1@test", "report.pdf", "application/pdf", 695,
	  "8265da5a53187643f53155bcf0cf53c909904684b520c7a2e47f1c302baf59e3", 1, "alice@a.example" },
	{ "att1@test", "budget.bin", "application/octet-stream", 1024, SHA_X, 2, "alice@a.example" },
	{ "att2@test", "報告.bin", "application/octet-stream", 1024, SHA_X, 1, "bob@b.example" },	/* RFC 2231 */
	{ "att3@test", "résumé.bin", "application/octet-stream", 1024, SHA_X, 1, "carol@c.example" },	/* RFC 2047 in a quoted filename */
	{ "att3@test", "menu.txt", "text/plain", 32,
	  "57ba9d2655e5ffa6ada8168d6f4bb4f30001436e1efe904839358cf1f6d31ebc", 2, "carol@c.example" },
	{ "att4@test", "../../\x1b[31mevil\u202egpj.exe", "application/x-msdownload", 13,
	  "73c681558faf8e5426e8eca5c28310eaa102290c724d27fc70a7958d0267d994", 1, "mallory@evil.example" },
	{ "att6@test", "inner.csv", "text/csv", 12,	/* in a forwarded message/rfc822 */
	  "9284ed4fd7fe1346904656f329db6cc49c0e7ae5b8279bff37f96bc6eb59baad", 2, "erin@e.example" },
};

static const TrawlAttRow *
att_row (GPtrArray *rows, const char *mid, int part)
{
	for (guint i = 0; i < rows->len; i++) {
		const TrawlAttRow *r = rows->pdata[i];
		if (strcmp (r->message_id, mid) == 0 && r->part == part)
			return r;
	}
	return NULL;
}

static void
test_attachments (void)
{
	g_autoptr (TestDb) t = att_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	guint64 before = files_read ();
	g_autoptr (TrawlAtts) a = atts_done (db, "*");
	/* 6 messages read, 5 of them whole (tagged attachment), the other's head. */
	g_assert_cmpuint (files_read () - before, ==, 6);
	g_assert_cmpuint (trawl_atts_messages (a), ==, 6);
	g_assert_cmpuint (trawl_atts_unreadable (a), ==, 0);
	g_autoptr (GPtrArray) rows = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));
	for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
		const Expect *x = &expected[i];
		const TrawlAttRow *r = att_row (rows, x->mid, x->part);
		g_assert_nonnull (r);
		g_assert_cmpstr (r->name, ==, x->name);
		g_assert_cmpstr (r->type, ==, x->type);
		g_assert_cmpuint (r->size, ==, x->size);
		g_assert_cmpstr (r->sha256, ==, x->sha256);
		g_assert_cmpstr (r->sender, ==, x->sender);
		g_autofree char *safe = trawl_mime_safe_filename (x->name, x->part);
		g_assert_cmpstr (r->safe_name, ==, safe);

		/* The message view numbers it the same, and saving it writes
		 * those bytes. */
		g_autoptr (GError) e = NULL;
		g_autoptr (TrawlRendered) rd = trawl_mime_render_file (r->file, NULL, &e);
		g_assert_no_error (e);
		g_assert_cmpint (r->part, <, (int) rd->parts->len);
		const TrawlPart *p = rd->parts->pdata[r->part];
		g_assert_true (p->is_attachment);
		g_assert_cmpstr (p->filename, ==, x->name);
		g_assert_cmpuint (p->size, ==, x->size);
		g_autofree char *out = g_build_filename (t->dir, safe, NULL);
		g_unlink (out);
		g_assert_true (trawl_mime_save_part (r->file, r->part, out, &e));
		g_autofree char *bytes = NULL;
		gsize len = 0;
		g_assert_true (g_file_get_contents (out, &bytes, &len, NULL));
		g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, len);
		g_assert_cmpstr (sum, ==, x->sha256);
		g_unlink (out);
	}
	/* Newest first; the hostile name kept as given, the safe one plain. */
	g_assert_cmpstr (((TrawlAttRow *) rows->pdata[0])->name, ==, "inner.csv");
	g_assert_cmpstr (att_row (rows, "att4@test", 1)->safe_name, ==, "[31mevilgpj.exe");

	/* Grouped: the same bytes sent 3 times by 3 people; the first sent
	 * stands for them. */
	g_autoptr (GPtrArray) groups = trawl_atts_rows (a, TRUE, NULL, TRAWL_ATT_SORT_COUNT, FALSE);
	g_assert_cmpuint (groups->len, ==, 5);
	const TrawlAttRow *g = groups->pdata[0];
	g_assert_cmpstr (g->sha256, ==, SHA_X);
	g_assert_cmpuint (g->count, ==, 3);
	g_assert_cmpuint (g->senders, ==, 3);
	g_assert_cmpstr (g->name, ==, "budget.bin");
	g_assert_cmpstr (g->message_id, ==, "att1@test");
	for (guint i = 1; i < groups->len; i++)
		g_assert_cmpuint (((TrawlAttRow *) groups->pdata[i])->count, ==, 1);

	/* Sorts. */
	g_autoptr (GPtrArray) by_size = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_SIZE, FALSE);
	g_assert_cmpuint (((TrawlAttRow *) by_size->pdata[0])->size, ==, 1024);
	g_assert_cmpuint (((TrawlAttRow *) by_size->pdata[by_size->len - 1])->size, ==, 12);
	g_autoptr (GPtrArray) small = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_SIZE, TRUE);
	g_assert_cmpuint (((TrawlAttRow *) small->pdata[0])->size, ==, 12);
	g_autoptr (GPtrArray) by_name = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_NAME, FALSE);
	g_assert_cmpstr (((TrawlAttRow *) by_name->pdata[0])->name, ==, "../../\x1b[31mevil\u202egpj.exe");
	g_assert_cmpstr (((TrawlAttRow *) by_name->pdata[1])->name, ==, "budget.bin");
	g_autoptr (GPtrArray) by_sender = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_SENDER, TRUE);
	g_assert_cmpstr (((TrawlAttRow *) by_sender->pdata[0])->sender, ==, "mallory@evil.example");

	/* Filters: name or type, case folded. */
	g_autoptr (GPtrArray) bin = trawl_atts_rows (a, FALSE, "BIN", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (bin->len, ==, 3);
	g_autoptr (GPtrArray) text = trawl_atts_rows (a, FALSE, "text/", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (text->len, ==, 2);
	g_autoptr (GPtrArray) res = trawl_atts_rows (a, TRUE, "RÉSUMÉ", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (res->len, ==, 1);
	g_assert_cmpuint (((TrawlAttRow *) res->pdata[0])->count, ==, 1);
	g_autoptr (GPtrArray) none = trawl_atts_rows (a, FALSE, "zzz", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (none->len, ==, 0);

	/* The second open reads no file. */
	before = files_read ();
	g_autoptr (TrawlAtts) b = atts_done (db, "from:bob or from:dave");
	g_assert_cmpuint (files_read () - before, ==, 0);
	g_assert_cmpuint (trawl_atts_messages (b), ==, 2);
	g_autoptr (GPtrArray) brows = trawl_atts_rows (b, FALSE, NULL, TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (brows->len, ==, 1);

	/* A query matching nothing. */
	g_autoptr (TrawlAtts) n = atts_done (db, "from:nobody-at-all");
	g_assert_cmpuint (trawl_atts_messages (n), ==, 0);
	/* A bad query fails, saying so. */
	TrawlAtts *bad = trawl_atts_new (db, "(((");
	trawl_atts_wait (bad);
	g_assert_cmpint (trawl_atts_phase (bad, NULL, NULL), ==, TRAWL_CORR_FAILED);
	g_assert_nonnull (trawl_atts_error (bad));
	trawl_atts_free (bad);
}

static void
test_attachments_update (void)
{
	g_autoptr (TestDb) t = att_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	TrawlShapeResult r;
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_cmpuint (r.attachments, ==, G_N_ELEMENTS (expected));
	g_free (r.notice);

	/* A version 1 file (the shape index before attachments): rebuilt, said. */
	g_autofree char *cache = cache_of (t);
	g_autofree char *data = NULL;
	gsize len = 0;
	g_assert_true (g_file_get_contents (cache, &data, &len, NULL));
	guint32 one = 1;
	memcpy (data + 8, &one, 4);
	g_assert_true (g_file_set_contents (cache, data, len, NULL));
	g_assert_true (trawl_shape_update (db, &r, &e));
	g_assert_true (r.built);
	g_assert_nonnull (strstr (r.notice, "another version (1)"));
	g_assert_cmpuint (r.attachments, ==, G_N_ELEMENTS (expected));
	g_free (r.notice);

	/* A new message with an attachment: read, and listed. */
	g_autofree char *path = g_build_filename (t->mail, "cur", "new7:2,", NULL);
	const char *text = "From: Zed <zed@z.example>\nTo: list@att.example\nSubject: new\n"
		"Date: Sun, 07 Jan 2024 10:00:00 +0000\nMessage-ID: <att7@test>\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=Z\n\n--Z\nContent-Type: text/plain\n\nhi\n"
		"--Z\nContent-Type: image/png\nContent-Disposition: attachment; filename=dot.png\n"
		"Content-Transfer-Encoding: base64\n\naGVsbG8=\n--Z--\n";
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	const char *nw[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, nw));
	g_assert_true (trawl_db_reopen (db, &e));
	guint64 before = files_read ();
	g_autoptr (TrawlAtts) a = atts_done (db, "*");
	g_assert_cmpuint (files_read () - before, ==, 1);
	g_autoptr (GPtrArray) rows = trawl_atts_rows (a, FALSE, "png", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (rows->len, ==, 1);
	const TrawlAttRow *row = rows->pdata[0];
	g_assert_cmpstr (row->name, ==, "dot.png");
	g_assert_cmpuint (row->size, ==, 5);
	g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "hello", -1);
	g_assert_cmpstr (row->sha256, ==, sum);
	g_assert_cmpstr (row->sender, ==, "zed@z.example");

	/* A file gone: counted unreadable, its attachments not listed. */
	g_assert_cmpint (g_unlink (path), ==, 0);
	g_autoptr (TrawlAtts) b = atts_done (db, "*");
	g_assert_cmpuint (trawl_atts_unreadable (b), ==, 1);
	g_autoptr (GPtrArray) brows = trawl_atts_rows (b, FALSE, "png", TRAWL_ATT_SORT_DATE, FALSE);
	g_assert_cmpuint (brows->len, ==, 0);
}

static void
test_attachments_vanished_first (void)
{
	g_autoptr (TestDb) t = att_db ();
	if (!t)
		return;
	g_autofree char *f = g_build_filename (t->mail, "cur", "1720000003.03.att:2,", NULL);
	g_assert_cmpint (g_unlink (f), ==, 0);
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlAtts) a = atts_done (db, "*");
	g_assert_cmpuint (trawl_atts_unreadable (a), ==, 1);
	g_autoptr (GPtrArray) groups = trawl_atts_rows (a, TRUE, NULL, TRAWL_ATT_SORT_COUNT, FALSE);
	g_assert_cmpuint (((TrawlAttRow *) groups->pdata[0])->count, ==, 2);
	g_assert_cmpuint (((TrawlAttRow *) groups->pdata[0])->senders, ==, 2);
}

/* ---- a tag change patches what was counted ---- */

static TrawlTagChange *
apply (TrawlDb *db, const char *mid, const char *ops_text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (ops_text, &e);
	g_assert_no_error (e);
	g_autoptr (GPtrArray) ids = g_ptr_array_new ();
	g_ptr_array_add (ids, (gpointer) mid);
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_nonnull (c);
	return c;
}

/* The rows of A and B are the same, in the same order. */
static void
assert_corr_same (TrawlCorr *a, TrawlCorr *b)
{
	for (int mode = TRAWL_CORR_SENT; mode <= TRAWL_CORR_PAIRS; mode++)
		for (int dom = 0; dom < 2; dom++) {
			g_autoptr (GPtrArray) x = trawl_corr_rows (a, mode, dom, NULL, FALSE);
			g_autoptr (GPtrArray) y = trawl_corr_rows (b, mode, dom, NULL, FALSE);
			g_assert_cmpuint (x->len, ==, y->len);
			for (guint i = 0; i < x->len; i++) {
				const TrawlCorrRow *r = x->pdata[i], *q = y->pdata[i];
				g_assert_cmpstr (r->key, ==, q->key);
				g_assert_cmpstr (r->key2, ==, q->key2);
				g_assert_cmpstr (r->names, ==, q->names);
				g_assert_cmpuint (r->count, ==, q->count);
			}
		}
	g_assert_cmpuint (trawl_corr_messages (a), ==, trawl_corr_messages (b));
	g_assert_cmpuint (trawl_corr_unreadable (a), ==, trawl_corr_unreadable (b));
}

static void
test_patch_corr (void)
{
	g_autoptr (TestDb) t = corr_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (TrawlCorr) c = corr_done (db, "tag:inbox");
	g_assert_cmpuint (trawl_corr_messages (c), ==, 8);
	g_autoptr (GPtrArray) sent0 = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_autoptr (GPtrArray) recv0 = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	TrawlShapeStats s0, s1;
	trawl_shape_stats (&s0);

	/* A tag the query does not name: nothing to do, no query run. */
	g_autoptr (TrawlTagChange) other = apply (db, "corr1@test", "+unrelated");
	g_assert_cmpint (trawl_corr_patch (c, db, other), ==, TRAWL_SHAPE_PATCH_SKIPPED);
	trawl_shape_stats (&s1);
	g_assert_cmpuint (s1.patch_skips - s0.patch_skips, ==, 1);
	g_assert_cmpuint (s1.patch_queries, ==, s0.patch_queries);
	g_autoptr (GPtrArray) sent1 = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (sent1, "alice@a.example", NULL), ==, 3);

	/* -inbox on corr1 (Alice Smith to bob, cc carol): exactly its
	 * sender and recipients go, with one count query. */
	g_autoptr (TrawlTagChange) out = apply (db, "corr1@test", "-inbox");
	g_assert_cmpint (trawl_corr_patch (c, db, out), ==, TRAWL_SHAPE_PATCH_PATCHED);
	trawl_shape_stats (&s1);
	g_assert_cmpuint (s1.patch_queries - s0.patch_queries, ==, 1);
	g_assert_cmpuint (trawl_corr_messages (c), ==, 7);
	g_autoptr (GPtrArray) sent2 = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_autoptr (GPtrArray) recv2 = trawl_corr_rows (c, TRAWL_CORR_RECEIVED, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (sent2, "alice@a.example", NULL), ==, row_count (sent0, "alice@a.example", NULL) - 1);
	g_assert_cmpuint (row_count (recv2, "bob@b.example", NULL), ==, row_count (recv0, "bob@b.example", NULL) - 1);
	g_assert_cmpuint (row_count (recv2, "carol@c.example", NULL), ==, row_count (recv0, "carol@c.example", NULL) - 1);
	/* As notmuch counts them now, and as a fresh count does. */
	g_autoptr (GHashTable) senders = notmuch_counts (t, "sender", "tag:inbox");
	for (guint i = 0; i < sent2->len; i++) {
		const TrawlCorrRow *r = sent2->pdata[i];
		g_assert_cmpuint (r->count, ==, GPOINTER_TO_UINT (g_hash_table_lookup (senders, r->key)));
	}
	g_assert_cmpuint (sent2->len, ==, g_hash_table_size (senders));
	{
		g_autoptr (TrawlCorr) fresh = corr_done (db, "tag:inbox");
		assert_corr_same (c, fresh);
	}
	/* The same change again (nothing moves) runs its query, changes nothing. */
	g_assert_cmpint (trawl_corr_patch (c, db, out), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (trawl_corr_messages (c), ==, 7);

	/* +inbox brings them back. */
	g_autoptr (TrawlTagChange) back = apply (db, "corr1@test", "+inbox");
	g_assert_cmpint (trawl_corr_patch (c, db, back), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (trawl_corr_messages (c), ==, 8);
	g_autoptr (GPtrArray) sent3 = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
	g_assert_cmpuint (row_count (sent3, "alice@a.example", NULL), ==, 3);
	g_assert_cmpstr (row_of (sent3, "alice@a.example")->names, ==, "Alice Smith / A. Smith");
	{
		g_autoptr (TrawlCorr) fresh = corr_done (db, "tag:inbox");
		assert_corr_same (c, fresh);
	}
	/* An excluded tag (search.exclude_tags has deleted and spam) counts too. */
	g_autoptr (TrawlTagChange) spam = apply (db, "corr1@test", "+spam");
	g_assert_cmpint (trawl_corr_patch (c, db, spam), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (trawl_corr_messages (c), ==, 7);
	trawl_shape_stats (&s1);
	/* Patches read no file; only the fresh counts passed over the query. */
	g_assert_cmpuint (s1.files_read, ==, s0.files_read);
	g_assert_cmpuint (s1.counts - s0.counts, ==, 2);
	g_assert_cmpuint (s1.recounts, ==, s0.recounts);
}

static guint
live_rows (TrawlAtts *a)
{
	g_autoptr (GPtrArray) rows = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_DATE, FALSE);
	return rows->len;
}

static void
assert_atts_same (TrawlAtts *a, TrawlAtts *b)
{
	for (int grouped = 0; grouped < 2; grouped++) {
		g_autoptr (GPtrArray) x = trawl_atts_rows (a, grouped, NULL, TRAWL_ATT_SORT_DATE, FALSE);
		g_autoptr (GPtrArray) y = trawl_atts_rows (b, grouped, NULL, TRAWL_ATT_SORT_DATE, FALSE);
		g_assert_cmpuint (x->len, ==, y->len);
		for (guint i = 0; i < x->len; i++) {
			const TrawlAttRow *r = x->pdata[i], *q = y->pdata[i];
			g_assert_cmpstr (r->message_id, ==, q->message_id);
			g_assert_cmpint (r->part, ==, q->part);
			g_assert_cmpstr (r->sha256, ==, q->sha256);
			g_assert_cmpuint (r->count, ==, q->count);
			g_assert_cmpuint (r->senders, ==, q->senders);
		}
	}
	g_assert_cmpuint (trawl_atts_messages (a), ==, trawl_atts_messages (b));
	g_assert_cmpuint (trawl_atts_unreadable (a), ==, trawl_atts_unreadable (b));
}

static void
test_patch_atts (void)
{
	g_autoptr (TestDb) t = att_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (TrawlAtts) a = atts_done (db, "tag:inbox");
	guint n0 = live_rows (a);
	g_assert_cmpuint (n0, ==, G_N_ELEMENTS (expected));
	g_assert_cmpuint (trawl_atts_messages (a), ==, 6);
	TrawlShapeStats s0, s1;
	trawl_shape_stats (&s0);

	g_autoptr (TrawlTagChange) other = apply (db, "att1@test", "+unrelated");
	g_assert_cmpint (trawl_atts_patch (a, db, other), ==, TRAWL_SHAPE_PATCH_SKIPPED);
	trawl_shape_stats (&s1);
	g_assert_cmpuint (s1.patch_queries, ==, s0.patch_queries);
	g_assert_cmpuint (live_rows (a), ==, n0);

	/* -inbox on att1: its two attachments go, nothing else. */
	g_autoptr (TrawlTagChange) out = apply (db, "att1@test", "-inbox");
	g_assert_cmpint (trawl_atts_patch (a, db, out), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (live_rows (a), ==, n0 - 2);
	g_assert_cmpuint (trawl_atts_messages (a), ==, 5);
	{
		g_autoptr (GPtrArray) rows = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_DATE, FALSE);
		g_assert_null (att_row (rows, "att1@test", 1));
		g_assert_null (att_row (rows, "att1@test", 2));
		g_assert_nonnull (att_row (rows, "att2@test", 1));
		/* Grouped: budget.bin's sha256 was sent 3 times, now twice. */
		g_autoptr (GPtrArray) g = trawl_atts_rows (a, TRUE, "bin", TRAWL_ATT_SORT_DATE, FALSE);
		g_assert_cmpuint (g->len, ==, 1);
		g_assert_cmpuint (((TrawlAttRow *) g->pdata[0])->count, ==, 2);
		g_autoptr (TrawlAtts) fresh = atts_done (db, "tag:inbox");
		assert_atts_same (a, fresh);
	}
	/* +inbox: back. */
	g_autoptr (TrawlTagChange) back = apply (db, "att1@test", "+inbox");
	g_assert_cmpint (trawl_atts_patch (a, db, back), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (live_rows (a), ==, n0);
	g_assert_cmpuint (trawl_atts_messages (a), ==, 6);
	{
		g_autoptr (TrawlAtts) fresh = atts_done (db, "tag:inbox");
		assert_atts_same (a, fresh);
	}
	/* -attachment: still in the query, no longer listed (as a fresh
	 * listing, which looks at tag:attachment only). */
	g_autoptr (TrawlTagChange) noatt = apply (db, "att3@test", "-attachment");
	g_assert_cmpint (trawl_atts_patch (a, db, noatt), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (live_rows (a), ==, n0 - 2);
	g_assert_cmpuint (trawl_atts_messages (a), ==, 6);
	{
		g_autoptr (TrawlAtts) fresh = atts_done (db, "tag:inbox");
		assert_atts_same (a, fresh);
	}
	g_autoptr (TrawlTagChange) att = apply (db, "att3@test", "+attachment");
	g_assert_cmpint (trawl_atts_patch (a, db, att), ==, TRAWL_SHAPE_PATCH_PATCHED);
	g_assert_cmpuint (live_rows (a), ==, n0);
	trawl_shape_stats (&s1);
	g_assert_cmpuint (s1.files_read, ==, s0.files_read);
	g_assert_cmpuint (s1.counts - s0.counts, ==, 3);	/* the fresh ones only */
	g_assert_cmpuint (s1.patch_queries - s0.patch_queries, ==, 4);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/shape/counts", test_counts);
	g_test_add_func ("/shape/query", test_query);
	g_test_add_func ("/shape/excluded", test_excluded);
	g_test_add_func ("/shape/reopen-and-update", test_reopen_and_update);
	g_test_add_func ("/shape/corrupt", test_corrupt);
	g_test_add_func ("/shape/vanished", test_vanished);
	g_test_add_func ("/shape/cancel", test_cancel);
	g_test_add_func ("/shape/attachments", test_attachments);
	g_test_add_func ("/shape/attachments-update", test_attachments_update);
	g_test_add_func ("/shape/attachments-vanished", test_attachments_vanished_first);
	g_test_add_func ("/shape/patch-correspondents", test_patch_corr);
	g_test_add_func ("/shape/patch-attachments", test_patch_atts);
	return g_test_run ();
}
