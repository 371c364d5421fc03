/* test-thread.c — one thread as a reply tree, against real notmuch databases. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "testdb.h"


static char *
thread_of (TestDb *t, const char *query)
{
	const char *args[] = { "search", "--output=threads", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_strstrip (out);
	g_assert_true (g_str_has_prefix (out, "thread:"));
	g_assert_null (strchr (out, '\n'));
	return g_strdup (out + strlen ("thread:"));
}

static TestDb *
basic (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	return testdb_new (src);
}

static void
test_chain (void)
{
	g_autoptr (TestDb) t = basic ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autofree char *tid = thread_of (t, "id:kickoff-1@example.org");
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlThread) th = trawl_thread_open (db, tid, "from:carol", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (th->messages->len, ==, 4);
	const char *ids[] = { "kickoff-1@example.org", "kickoff-2@example.org",
			      "kickoff-3@example.org", "kickoff-4@example.org" };
	for (guint i = 0; i < 4; i++) {
		TrawlMessage *m = th->messages->pdata[i];
		g_assert_cmpstr (m->message_id, ==, ids[i]);
		g_assert_cmpuint (m->depth, ==, i);
		g_assert_cmpint (m->parent, ==, (int) i - 1);
		g_assert_true (g_file_test (m->filename, G_FILE_TEST_EXISTS));
		g_assert_cmpuint (m->descendants, ==, 3 - i);
	}
	/* Only Carol's message matches, and it is where the thread opens. */
	g_assert_cmpuint (th->matched, ==, 1);
	g_assert_false (((TrawlMessage *) th->messages->pdata[0])->matched);
	g_assert_true (((TrawlMessage *) th->messages->pdata[2])->matched);
	g_assert_cmpint (th->first_focus, ==, 2);
	/* Glyphs: a chain of only children. */
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[0])->prefix, ==, "");
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[1])->prefix, ==, "└─");
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[3])->prefix, ==, "    └─");
	g_assert_nonnull (strstr (((TrawlMessage *) th->messages->pdata[2])->from, "Carol"));
}

static void
test_focus_prefers_unread (void)
{
	g_autoptr (TestDb) t = basic ();
	if (!t)
		return;
	/* Mark the first two read: the first unread match is then the third. */
	const char *args[] = { "tag", "-unread", "--", "id:kickoff-1@example.org", "or", "id:kickoff-2@example.org", NULL };
	g_free (testdb_notmuch (t, args));
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autofree char *tid = thread_of (t, "id:kickoff-1@example.org");
	g_autoptr (TrawlThread) th = trawl_thread_open (db, tid, "*", NULL);
	g_assert_cmpuint (th->matched, ==, 4);
	g_assert_cmpint (th->first_focus, ==, 2);
	g_assert_false (((TrawlMessage *) th->messages->pdata[0])->unread);
	g_assert_true (((TrawlMessage *) th->messages->pdata[2])->unread);
}

static void
test_decoded_headers (void)
{
	g_autoptr (TestDb) t = basic ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autofree char *tid = thread_of (t, "id:lunch-1@example.se");
	g_autoptr (TrawlThread) th = trawl_thread_open (db, tid, "*", NULL);
	TrawlMessage *m = th->messages->pdata[0];
	g_assert_nonnull (strstr (m->from, "Zoë Ångström"));
	g_assert_cmpstr (m->subject, ==, "Lunch on Friday");
}

static void
test_missing_thread (void)
{
	g_autoptr (TestDb) t = basic ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GError) e = NULL;
	g_assert_null (trawl_thread_open (db, "ffffffffffffffff", "*", &e));
	g_assert_error (e, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED);
}

/* A reply chain 400 deep and a fan of 50 siblings: no recursion limits, the
 * indentation is capped, and the glyphs of siblings are right. */
static void
test_deep_and_wide (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *cur = g_build_filename (t->mail, "cur", NULL);
	g_mkdir_with_parents (cur, 0700);
	for (int i = 0; i < 400; i++) {
		g_autofree char *f = g_strdup_printf ("%s/deep-%04d:2,", cur, i);
		g_autofree char *irt = i ? g_strdup_printf ("In-Reply-To: <deep-%d@x>\n", i - 1) : g_strdup ("");
		g_autofree char *msg = g_strdup_printf (
			"From: D <d@x>\nSubject: deep\nMessage-ID: <deep-%d@x>\n%s"
			"Date: Mon, 01 Jan 2024 00:%02d:%02d +0000\n\nx\n", i, irt, i / 60, i % 60);
		g_assert_true (g_file_set_contents (f, msg, -1, NULL));
	}
	for (int i = 0; i < 50; i++) {
		g_autofree char *f = g_strdup_printf ("%s/wide-%04d:2,", cur, i);
		g_autofree char *irt = i ? g_strdup ("In-Reply-To: <wide-0@x>\n") : g_strdup ("");
		g_autofree char *msg = g_strdup_printf (
			"From: W <w@x>\nSubject: wide\nMessage-ID: <wide-%d@x>\n%s"
			"Date: Tue, 02 Jan 2024 00:00:%02d +0000\n\nx\n", i, irt, i);
		g_assert_true (g_file_set_contents (f, msg, -1, NULL));
	}
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
	g_autoptr (TrawlDb) db = testdb_open (t);

	g_autofree char *deep = thread_of (t, "id:deep-0@x");
	g_autoptr (TrawlThread) d = trawl_thread_open (db, deep, "*", NULL);
	g_assert_cmpuint (d->messages->len, ==, 400);
	TrawlMessage *bottom = d->messages->pdata[399];
	g_assert_cmpuint (bottom->depth, ==, 399);
	/* Capped: the connector in the cap column, then the depth. */
	g_autofree char *gaps = g_strnfill (2 * (TRAWL_TREE_MAX_INDENT - 1), ' ');
	g_autofree char *want = g_strconcat (gaps, "└─[399] ", NULL);
	g_assert_cmpstr (bottom->prefix, ==, want);

	g_autofree char *wide = thread_of (t, "id:wide-0@x");
	g_autoptr (TrawlThread) w = trawl_thread_open (db, wide, "*", NULL);
	g_assert_cmpuint (w->messages->len, ==, 50);
	g_assert_cmpuint (((TrawlMessage *) w->messages->pdata[0])->n_children, ==, 49);
	g_assert_cmpstr (((TrawlMessage *) w->messages->pdata[1])->prefix, ==, "├─");
	g_assert_cmpstr (((TrawlMessage *) w->messages->pdata[49])->prefix, ==, "└─");
}

/* The glyphs as the tree defines them, walking every ancestor: the reference
 * the one-pass prefixes must equal (used on a few rows only: it is O(depth)).
 * LAST[k]: is message k the last reply of its parent? */
static char *
reference_prefix (TrawlThread *th, const gboolean *last, guint i)
{
	TrawlMessage *m = th->messages->pdata[i];
	if (m->depth == 0)
		return g_strdup ("");
	g_autoptr (GPtrArray) parts = g_ptr_array_new ();
	for (int a = m->parent; a >= 0 && ((TrawlMessage *) th->messages->pdata[a])->depth > 0;
	     a = ((TrawlMessage *) th->messages->pdata[a])->parent)
		g_ptr_array_insert (parts, 0, (gpointer) (last[a] ? "  " : "│ "));
	GString *p = g_string_new (NULL);
	guint keep = TRAWL_TREE_MAX_INDENT - 1;
	for (guint k = 0; k < MIN (parts->len, keep); k++)
		g_string_append (p, parts->pdata[k]);
	g_string_append (p, last[i] ? "└─" : "├─");
	if (parts->len > keep)
		g_string_append_printf (p, "[%u] ", m->depth);
	return g_string_free (p, FALSE);
}

static char *
repeat (const char *s, guint times)
{
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < times; i++)
		g_string_append (out, s);
	return g_string_free (out, FALSE);
}

/* An In-Reply-To chain 8,000 deep (the case), plus a second reply to
 * its root and one to its message 7,990, so that bars show: opening it costs
 * O(n) steps of ours (operations counted, not time: the old code walked
 * every ancestor of every row, some 32 million steps here), and the capped
 * glyphs keep every level in its column, the depth shown past the cap. */
#define CHAIN 8000
static void
test_deep_chain_linear (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *cur = g_build_filename (t->mail, "cur", NULL);
	g_mkdir_with_parents (cur, 0700);
	for (int i = 0; i < CHAIN + 2; i++) {
		g_autofree char *f = g_strdup_printf ("%s/chain-%05d:2,", cur, i);
		g_autofree char *id = NULL, *irt = NULL, *date = NULL;
		if (i < CHAIN) {
			id = g_strdup_printf ("c%d@x", i);
			irt = i ? g_strdup_printf ("In-Reply-To: <c%d@x>\n", i - 1) : g_strdup ("");
			date = g_strdup_printf ("Mon, 01 Jan 2024 %02d:%02d:%02d +0000",
						i / 3600, i / 60 % 60, i % 60);
		} else {
			/* Later than the whole chain: last among their siblings. */
			id = g_strdup_printf ("fork-%d@x", i - CHAIN);
			irt = g_strdup_printf ("In-Reply-To: <c%d@x>\n", i == CHAIN ? 7990 : 0);
			date = g_strdup_printf ("Tue, 02 Jan 2024 00:00:%02d +0000", i - CHAIN);
		}
		g_autofree char *msg = g_strdup_printf (
			"From: C <c@x>\nSubject: chain\nMessage-ID: <%s>\n%sDate: %s\n\nx\n", id, irt, date);
		g_assert_true (g_file_set_contents (f, msg, -1, NULL));
	}
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autofree char *tid = thread_of (t, "id:c0@x");

	gint64 t0 = g_get_monotonic_time ();
	g_autoptr (TrawlThread) th = trawl_thread_open (db, tid, "*", NULL);
	g_test_message ("opened %u messages in %.3f s, %" G_GUINT64_FORMAT " steps",
			th->messages->len, (g_get_monotonic_time () - t0) / 1e6, th->steps);
	guint n = th->messages->len;
	g_assert_cmpuint (n, ==, CHAIN + 2);
	g_assert_cmpuint (th->steps, <=, 20 * (guint64) n);

	/* Display order: the chain, the reply to c7990 after c7991's block,
	 * then the second reply to the root. */
	TrawlMessage *bottom = th->messages->pdata[CHAIN - 1];
	g_assert_cmpstr (bottom->message_id, ==, "c7999@x");
	g_assert_cmpuint (bottom->depth, ==, CHAIN - 1);
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[CHAIN])->message_id, ==, "fork-0@x");
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[CHAIN + 1])->message_id, ==, "fork-1@x");
	g_assert_cmpuint (((TrawlMessage *) th->messages->pdata[0])->descendants, ==, n - 1);

	g_autofree char *gap9 = repeat ("  ", 9), *gap10 = repeat ("  ", 10);
	struct { guint i; char *want; } rows[] = {
		{ 0, g_strdup ("") },
		{ 1, g_strdup ("├─") },
		/* Depth 11 and 12: every level shown, the root's first reply's bar first. */
		{ 11, g_strconcat ("│ ", gap9, "└─", NULL) },
		{ 12, g_strconcat ("│ ", gap10, "└─", NULL) },
		/* Depth 13: past the cap, the first 11 levels in their
		 * columns, the connector in the cap column, the depth. */
		{ 13, g_strconcat ("│ ", gap10, "└─[13] ", NULL) },
		{ 7991, g_strconcat ("│ ", gap10, "├─[7991] ", NULL) },
		/* Depth 7,999: the same columns (the root's first reply's bar
		 * still first), whatever the depth. */
		{ CHAIN - 1, g_strconcat ("│ ", gap10, "└─[7999] ", NULL) },
		{ CHAIN, g_strconcat ("│ ", gap10, "└─[7991] ", NULL) },
		{ CHAIN + 1, g_strdup ("└─") },
	};
	for (guint k = 0; k < G_N_ELEMENTS (rows); k++) {
		TrawlMessage *m = th->messages->pdata[rows[k].i];
		g_assert_cmpstr (m->prefix, ==, rows[k].want);
		g_free (rows[k].want);
	}
	/* And, around every change of shape, what walking the ancestors gives. */
	g_autofree gboolean *last = g_new0 (gboolean, n);
	g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);	/* parents met, walking backwards */
	for (guint i = n; i-- > 0;) {
		int p = ((TrawlMessage *) th->messages->pdata[i])->parent;
		last[i] = !g_hash_table_contains (seen, GINT_TO_POINTER (p + 1));
		g_hash_table_add (seen, GINT_TO_POINTER (p + 1));
	}
	guint from[] = { 0, 4000, 7975, CHAIN - 2 };
	for (guint r = 0; r < G_N_ELEMENTS (from); r++)
		for (guint i = from[r]; i < MIN (n, from[r] + 30); i++) {
			g_autofree char *want = reference_prefix (th, last, i);
			g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[i])->prefix, ==, want);
		}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/thread/chain", test_chain);
	g_test_add_func ("/thread/focus-unread", test_focus_prefers_unread);
	g_test_add_func ("/thread/decoded-headers", test_decoded_headers);
	g_test_add_func ("/thread/missing", test_missing_thread);
	g_test_add_func ("/thread/deep-and-wide", test_deep_and_wide);
	g_test_add_func ("/thread/deep-chain-linear", test_deep_chain_linear);
	return g_test_run ();
}
