/* test-window.c — the windowed first screen and G give exactly notmuch's
 * order (`notmuch search --output=threads`) on archives whose dates are
 * uniform, clustered, all equal, and far in the future and the past, for
 * queries matching 1, 50, half and all messages; and the first screen of a
 * big archive touches a screen's worth of messages, not the archive, with
 * no count query; a sparse query that gives up widening stays exact. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "testdb.h"

typedef enum { UNIFORM, CLUSTERED, EQUAL, FAR } Shape;

/* Messages per shape's archive: small enough for the suite (run three
 * times by CI), big enough that a first band is a tenth of it. */
#define SHAPE_N 600
#define COST_N 3000

static gint64
shape_date (Shape shape, int i, GRand *r)
{
	switch (shape) {
	case UNIFORM:
		return 1420070400 + g_rand_int_range (r, 0, 8 * 365 * 86400);
	case CLUSTERED:	/* three bursts, many messages in the same second */
		return 1500000000 + (i % 3) * 40000000 + g_rand_int_range (r, 0, 30);
	case EQUAL:
		return 1600000000;
	default:	/* far past (before 1970), far future, and ordinary */
		return i % 5 == 0 ? -2000000000 + g_rand_int_range (r, 0, 1000)
		     : i % 5 == 1 ? G_GINT64_CONSTANT (7258118400) + g_rand_int_range (r, 0, 1000000)
		     : 1600000000 + g_rand_int_range (r, 0, 86400 * 30);
	}
}

/* N messages in threads (a reply names an earlier message), subjects that
 * the queries pick: "one" (message 7), "fifty" (50), "half" (even ones). */
static TestDb *
make_db (Shape shape, int n)
{
	g_autofree char *dir = g_dir_make_tmp ("trawl-window-XXXXXX", NULL);
	g_autofree char *mail = g_build_filename (dir, "mail", NULL);
	for (const char *sub = "cur"; sub; sub = strcmp (sub, "cur") == 0 ? "new" : strcmp (sub, "new") == 0 ? "tmp" : NULL) {
		g_autofree char *d = g_build_filename (mail, sub, NULL);
		g_mkdir_with_parents (d, 0700);
	}
	GRand *r = g_rand_new_with_seed (42 + shape);
	for (int i = 0; i < n; i++) {
		gint64 date = shape_date (shape, i, r);
		g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (date);
		g_autofree char *ds = dt ? g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S +0000") : g_strdup ("Thu, 01 Jan 1970 00:00:00 +0000");
		int parent = i > 0 && g_rand_int_range (r, 0, 10) < 6 ? g_rand_int_range (r, MAX (0, i - 40), i) : -1;
		GString *words = g_string_new ("");
		if (i == 7)
			g_string_append (words, " one");
		if (i % (n / 50) == 3 && i / (n / 50) < 50)
			g_string_append (words, " fifty");
		if (i % 2 == 0)
			g_string_append (words, " half");
		g_autofree char *inr = parent >= 0 ? g_strdup_printf ("In-Reply-To: <m%d@window.test>\n", parent) : g_strdup ("");
		g_autofree char *text = g_strdup_printf ("From: P%d <p%d@window.test>\nTo: x@window.test\n"
						 "Subject: message %d%s\nDate: %s\nMessage-ID: <m%d@window.test>\n%s\nbody %d\n",
						 i % 17, i % 17, i, words->str, ds, i, inr, i);
		g_string_free (words, TRUE);
		g_autofree char *path = g_strdup_printf ("%s/cur/%06d:2,", mail, i);
		g_assert_true (g_file_set_contents (path, text, -1, NULL));
	}
	g_rand_free (r);
	TestDb *t = testdb_new (mail);
	char *argv[] = { (char *) "rm", (char *) "-rf", dir, NULL };
	g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	return t;
}

/* notmuch search's threads for QUERY in SORT; SUBJECTS (if not NULL) gets
 * each thread's subject as notmuch shows it (from its oldest matching
 * message when the sort is oldest first, else from its newest). */
static GPtrArray *
cli_threads (TestDb *t, const char *sort, const char *query, GPtrArray **subjects)
{
	g_autofree char *s = g_strdup_printf ("--sort=%s", sort);
	const char *args[] = { "search", "--format=text", "--output=summary", s, query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	if (subjects)
		*subjects = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (!g_str_has_prefix (*l, "thread:"))
			continue;
		const char *id = *l + strlen ("thread:");
		g_ptr_array_add (ids, g_strndup (id, strcspn (id, " ")));
		if (subjects) {
			/* "thread:ID   DATE [m/t] AUTHORS; SUBJECT (TAGS)" */
			const char *semi = strstr (*l, "; ");
			const char *paren = strrchr (*l, '(');
			g_assert_nonnull (semi);
			g_assert_nonnull (paren);
			g_ptr_array_add (*subjects, g_strstrip (g_strndup (semi + 2, paren - semi - 2)));
		}
	}
	return ids;
}

/* The first FIRST rows, and (on a fresh list, G first) the last LAST rows,
 * equal notmuch's. */
static void
check_order (TestDb *t, TrawlDb *db, const char *query, TrawlSort sort, guint first, guint last)
{
	GPtrArray *subj = NULL;
	g_autoptr (GPtrArray) want = cli_threads (t, trawl_sort_name (sort), query, &subj);
	g_autoptr (GPtrArray) subjects = subj;
	g_assert_cmpuint (want->len, >, 0);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, query, sort, NULL);
	g_assert_nonnull (tl);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	guint n = MIN (first, want->len);
	for (guint i = 0; i < n; i++) {
		const TrawlThreadRow *row = trawl_thread_list_get (tl, p);
		g_assert_nonnull (row);
		if (strcmp (row->thread_id, want->pdata[i]) != 0)
			g_error ("%s %s row %u: %s, notmuch has %s", query, trawl_sort_name (sort), i,
				 row->thread_id, (char *) want->pdata[i]);
		if (strcmp (row->subject, subjects->pdata[i]) != 0)
			g_error ("%s %s row %u: subject '%s', notmuch shows '%s'", query, trawl_sort_name (sort), i,
				 row->subject, (char *) subjects->pdata[i]);
		if (i + 1 < n)
			g_assert_cmpuint (trawl_thread_list_step (tl, &p, 1), ==, 1);
	}
	g_autoptr (TrawlThreadList) tg = trawl_thread_list_new (db, query, sort, NULL);
	g_assert_true (trawl_thread_list_last (tg, &p));
	n = MIN (last, want->len);
	for (guint i = 0; i < n; i++) {
		const TrawlThreadRow *row = trawl_thread_list_get (tg, p);
		g_assert_nonnull (row);
		const char *w = want->pdata[want->len - 1 - i];
		if (strcmp (row->thread_id, w) != 0)
			g_error ("%s %s row %u from the end: %s, notmuch has %s", query, trawl_sort_name (sort), i,
				 row->thread_id, w);
		if (strcmp (row->subject, subjects->pdata[want->len - 1 - i]) != 0)
			g_error ("%s %s row %u from the end: subject '%s', notmuch shows '%s'", query,
				 trawl_sort_name (sort), i, row->subject, (char *) subjects->pdata[want->len - 1 - i]);
		if (i + 1 < n)
			g_assert_cmpuint (trawl_thread_list_step (tg, &p, -1), ==, 1);
	}
	/* ...and the row count agrees once the two ends are joined. */
	trawl_thread_list_wait_count (tg);
	g_assert_cmpint (trawl_thread_list_count (tg), ==, want->len);
}

static void
test_shape (gconstpointer data)
{
	Shape shape = GPOINTER_TO_INT (data);
	g_autoptr (TestDb) t = make_db (shape, SHAPE_N);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *queries[] = { "subject:one", "subject:fifty", "subject:half", "*", "tag:inbox", NULL };
	for (const char **q = queries; *q; q++)
		for (TrawlSort s = TRAWL_SORT_NEWEST_FIRST; s <= TRAWL_SORT_OLDEST_FIRST; s++) {
			check_order (t, db, *q, s, 100, 50);
		}
	/* "*" and "tag:inbox" start from Xapian's matcher (xrows.cc); with
	 * its first messages cut to 9, 40 and 150, the walk goes on in bands
	 * from the last one's date, still in notmuch's order. */
	g_assert_cmpuint (trawl_db_stats (db)->xwalks, >=, 4);
	/* Every list was windowed, its bands sized without a count. */
	g_assert_cmpuint (trawl_db_stats (db)->window_fallbacks, ==, 0);
	g_assert_cmpuint (trawl_db_stats (db)->window_probes, ==, 0);
	g_assert_cmpuint (trawl_db_stats (db)->window_bands, >, 0);
	for (const char *const *k = (const char *const[]) { "9", "40", "150", NULL }; *k; k++) {
		g_setenv ("TRAWL_XWALK_K", *k, TRUE);
		for (TrawlSort s = TRAWL_SORT_NEWEST_FIRST; s <= TRAWL_SORT_OLDEST_FIRST; s++) {
			check_order (t, db, "*", s, 100, 50);
			check_order (t, db, "tag:inbox", s, 100, 50);
		}
		g_unsetenv ("TRAWL_XWALK_K");
	}
	g_assert_cmpuint (trawl_db_stats (db)->window_probes, ==, 0);
	/* A head walked past its K goes on with 4K, 16K... from the last
	 * date: Xapian's passes, no band (SHAPE_N / 9 needs several). */
	g_assert_cmpuint (trawl_db_stats (db)->xwalk_chunks, >, 0);
}

/* A sparse query gives up widening bands after TRAWL_WINDOW_WIDEN_MAX in a
 * row and takes the rest as notmuch sorts it: still exactly notmuch's order
 * at both ends (here after the first short band). */
static void
test_fallback (void)
{
	g_autoptr (TestDb) t = make_db (UNIFORM, SHAPE_N);
	if (!t)
		return;
	g_setenv ("TRAWL_WINDOW_WIDEN_MAX", "0", TRUE);
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *queries[] = { "subject:one", "subject:fifty", NULL };
	for (const char **q = queries; *q; q++)
		for (TrawlSort s = TRAWL_SORT_NEWEST_FIRST; s <= TRAWL_SORT_OLDEST_FIRST; s++)
			check_order (t, db, *q, s, 100, 50);
	g_unsetenv ("TRAWL_WINDOW_WIDEN_MAX");
	g_assert_cmpuint (trawl_db_stats (db)->window_fallbacks, >=, 4);
	g_assert_cmpuint (trawl_db_stats (db)->window_probes, ==, 0);
}

/* On a uniform archive of COST_N messages, the first screen and G each touch
 * a band or two (EDGE_TARGET 300 messages at the mean density), with no
 * count probe, and build exactly the rows shown. */
static void
test_cost (void)
{
	g_autoptr (TestDb) t = make_db (UNIFORM, COST_N);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const TrawlDbStats *st = trawl_db_stats (db);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_assert_cmpuint (trawl_thread_list_step (tl, &p, 49), ==, 49);
	g_assert_cmpuint (st->rows_built, ==, 50);
	/* From Xapian's matcher: no band, no message walked by notmuch, and a
	 * thread id read per thread met, never per message (xrows.cc). */
	g_assert_cmpuint (st->xwalks, ==, 1);
	g_assert_cmpuint (st->window_bands, ==, 0);
	g_assert_cmpuint (st->window_messages, ==, 0);
	g_assert_cmpuint (st->xwalk_termlists, ==, 50);
	g_assert_cmpuint (st->rows_xapian, ==, 50);
	g_assert_cmpuint (st->window_probes, ==, 0);
	g_test_message ("first screen: %" G_GUINT64_FORMAT " thread ids read, %" G_GUINT64_FORMAT " bands, %"
			G_GUINT64_FORMAT " probes", st->xwalk_termlists, st->window_bands, st->window_probes);
	guint64 m0 = st->window_messages, b0 = st->window_bands, r0 = st->rows_built, x0 = st->xwalk_termlists;
	g_autoptr (TrawlThreadList) tg = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_true (trawl_thread_list_last (tg, &p));
	g_assert_cmpuint (trawl_thread_list_step (tg, &p, -49), ==, 49);
	/* G from Xapian's matcher too: the threads of the far end read once
	 * each, no band, no message walked by notmuch, and only the rows shown
	 * built (the tail holds ids; rows are built when shown). */
	g_assert_cmpuint (st->window_messages - m0, ==, 0);
	g_assert_cmpuint (st->window_bands - b0, ==, 0);
	g_assert_cmpuint (st->xwalks, ==, 3);
	g_assert_cmpuint (st->rows_built - r0, <=, 50 + 50);
	g_assert_cmpuint (st->window_probes, ==, 0);
	g_test_message ("G: %" G_GUINT64_FORMAT " thread ids read, %" G_GUINT64_FORMAT " rows built",
			st->xwalk_termlists - x0, st->rows_built - r0);
	/* The same with notmuch's bands (TRAWL_NO_XROWS): a band or two. */
	g_setenv ("TRAWL_NO_XROWS", "1", TRUE);
	g_autoptr (TrawlDb) dn = testdb_open (t);
	g_unsetenv ("TRAWL_NO_XROWS");
	const TrawlDbStats *sn = trawl_db_stats (dn);
	g_autoptr (TrawlThreadList) ln = trawl_thread_list_new (dn, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_true (trawl_thread_list_first (ln, &p));
	g_assert_cmpuint (trawl_thread_list_step (ln, &p, 49), ==, 49);
	g_assert_cmpuint (sn->window_messages, >, 0);
	g_assert_cmpuint (sn->window_messages, <=, 1200);
	g_assert_cmpuint (sn->window_bands, <=, 2);
	m0 = sn->window_messages;
	b0 = sn->window_bands;
	r0 = sn->rows_built;
	g_autoptr (TrawlThreadList) gn = trawl_thread_list_new (dn, "*", TRAWL_SORT_NEWEST_FIRST, NULL);
	g_assert_true (trawl_thread_list_last (gn, &p));
	g_assert_cmpuint (trawl_thread_list_step (gn, &p, -49), ==, 49);
	/* (a band's threads that go on later are walked too, to place them) */
	g_assert_cmpuint (sn->window_messages - m0, <=, COST_N / 2);
	g_assert_cmpuint (sn->window_bands - b0, <=, 3);
	g_assert_cmpuint (sn->rows_built - r0, <=, 64 + 50);
	g_assert_cmpuint (sn->window_probes, ==, 0);
	g_assert_cmpuint (sn->xwalks, ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* First: it sets the environment before any thread runs. */
	g_test_add_func ("/window/fallback", test_fallback);
	g_test_add_data_func ("/window/uniform", GINT_TO_POINTER (UNIFORM), test_shape);
	g_test_add_data_func ("/window/clustered", GINT_TO_POINTER (CLUSTERED), test_shape);
	g_test_add_data_func ("/window/equal", GINT_TO_POINTER (EQUAL), test_shape);
	g_test_add_data_func ("/window/far", GINT_TO_POINTER (FAR), test_shape);
	g_test_add_func ("/window/cost", test_cost);
	return g_test_run ();
}
