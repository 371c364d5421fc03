/* test-threadtree.c — the thread view's tree model (folds, reveal, visible
 * rows, navigation) against real notmuch databases: the basic fixture's
 * kickoff chain, a branched thread written here, and a generated archive's
 * largest thread checked against the definition, fold by fold. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "trawl/threadtree.h"
#include "trawl/msgid.h"
#include "testdb.h"

/* The tree of thread TID, opened from QUERY. */
static TrawlThreadTree *
thread_tree (TrawlDb *db, const char *tid, const char *query)
{
	g_autoptr (GError) e = NULL;
	TrawlThread *th = trawl_thread_open (db, tid, query, &e);
	g_assert_no_error (e);
	return trawl_thread_tree_new (th);
}

/* The same for the thread of the message MESSAGE_ID. */
static TrawlThreadTree *
open_tree (TrawlDb *db, const char *message_id, const char *query)
{
	g_autoptr (GError) e = NULL;
	g_autofree char *id = trawl_query_term ("id", message_id);
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, id, TRAWL_SORT_OLDEST_FIRST, &e);
	g_assert_no_error (e);
	TrawlPos first;
	g_assert_true (trawl_thread_list_first (tl, &first));
	return thread_tree (db, trawl_thread_list_get (tl, first)->thread_id, query);
}

/* The visible rows as "0 1 2": what the assertions compare. */
static char *
rows_text (const TrawlThreadTree *tt)
{
	GString *s = g_string_new (NULL);
	for (guint r = 0; r < trawl_thread_tree_rows (tt); r++) {
		int m = trawl_thread_tree_row_message (tt, r);
		g_string_append_printf (s, "%s%d", r ? " " : "", m);
		/* Each row knows its message and each message its row. */
		g_assert_cmpint (trawl_thread_tree_message_row (tt, m), ==, (int) r);
	}
	return g_string_free (s, FALSE);
}

#define assert_rows(tt, want) \
	G_STMT_START { \
		g_autofree char *got_ = rows_text (tt); \
		g_assert_cmpstr (got_, ==, want); \
	} G_STMT_END

/* ---- the basic fixture's kickoff thread: a chain of four, Carol's (2)
 * the only match ---- */

static TestDb *
fixture (const char *name)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", name, NULL);
	return testdb_new (src);
}

static void
test_chain_folds (void)
{
	g_autoptr (TestDb) t = fixture ("basic");
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "kickoff-1@example.org", "from:carol");
	g_assert_cmpuint (trawl_thread_tree_len (tt), ==, 4);
	g_assert_cmpstr (trawl_thread_tree_thread (tt)->query, ==, "from:carol");

	/* Everything shows at first. */
	assert_rows (tt, "0 1 2 3");
	for (int i = 0; i < 4; i++) {
		g_assert_false (trawl_thread_tree_is_collapsed (tt, i));
		g_assert_cmpuint (trawl_thread_tree_hidden (tt, i), ==, 0);
	}

	/* Collapse at 2 folds its one reply. */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 2), ==, 2);
	assert_rows (tt, "0 1 2");
	g_assert_true (trawl_thread_tree_is_collapsed (tt, 2));
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 2), ==, 1);
	g_assert_cmpint (trawl_thread_tree_message_row (tt, 3), ==, -1);

	/* Again at 2 (folded already): its parent folds, and is where the
	 * cursor goes. */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 2), ==, 1);
	assert_rows (tt, "0 1");
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 1), ==, 2);
	/* The fold at 2 stays under the fold at 1. */
	g_assert_true (trawl_thread_tree_is_collapsed (tt, 2));

	/* Reveal 3: its folded ancestors open; nothing more to open after. */
	g_assert_true (trawl_thread_tree_reveal (tt, 3));
	assert_rows (tt, "0 1 2 3");
	g_assert_false (trawl_thread_tree_reveal (tt, 3));
	g_assert_false (trawl_thread_tree_reveal (tt, 0));

	/* Collapse at a leaf folds its parent. */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 3), ==, 2);
	assert_rows (tt, "0 1 2");
	/* Expand at 2 opens it again. */
	trawl_thread_tree_expand (tt, 2);
	assert_rows (tt, "0 1 2 3");

	/* The root folds everything; at the root with nothing left to fold,
	 * collapse changes nothing. */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 0), ==, 0);
	assert_rows (tt, "0");
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 0), ==, 3);
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 0), ==, 0);
	assert_rows (tt, "0");

	/* What leads to no match folds: only 2, whose reply is not Carol's. */
	trawl_thread_tree_collapse_nonmatching (tt);
	assert_rows (tt, "0 1 2");
	g_assert_false (trawl_thread_tree_is_collapsed (tt, 0));
	g_assert_true (trawl_thread_tree_is_collapsed (tt, 2));
	g_assert_false (trawl_thread_tree_is_collapsed (tt, 3));	/* a leaf never folds */

	trawl_thread_tree_expand_all (tt);
	assert_rows (tt, "0 1 2 3");
	for (int i = 0; i < 4; i++)
		g_assert_false (trawl_thread_tree_is_collapsed (tt, i));

	/* Subjects: only the root's shows ("Re: Project kickoff" is the same). */
	g_assert_true (trawl_thread_tree_shows_subject (tt, 0));
	for (int i = 1; i < 4; i++)
		g_assert_false (trawl_thread_tree_shows_subject (tt, i));
}

static void
test_chain_navigation_and_patch (void)
{
	g_autoptr (TestDb) t = fixture ("basic");
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "kickoff-1@example.org", "from:carol");

	/* Every message is unread; Carol's (2) is the only match. */
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_UNREAD), ==, 1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, 1, TRAWL_TREE_UNREAD), ==, -1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_MATCH), ==, 2);
	g_assert_cmpint (trawl_thread_tree_find (tt, 2, 1, TRAWL_TREE_MATCH), ==, -1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, -1, TRAWL_TREE_MATCH), ==, 2);
	g_assert_cmpint (trawl_thread_tree_find (tt, 2, -1, TRAWL_TREE_MATCH), ==, -1);
	/* Navigation goes through folds: a folded message is found too. */
	trawl_thread_tree_collapse (tt, 1);
	assert_rows (tt, "0 1");
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_MATCH), ==, 2);

	/* Marking 1 and 2 read patches their tags in place: rows, folds and
	 * messages stay (no rebuild), next-unread sees the new tags. */
	TrawlMessage *before = trawl_thread_tree_message (tt, 1);
	g_autoptr (GPtrArray) ids = g_ptr_array_new ();
	g_ptr_array_add (ids, (gpointer) "kickoff-2@example.org");
	g_ptr_array_add (ids, (gpointer) "kickoff-3@example.org");
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("-unread", NULL);
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_cmpuint (trawl_tag_change_count (c), ==, 2);
	g_assert_true (trawl_thread_tree_patch (tt, c));
	g_assert_true (trawl_thread_tree_message (tt, 1) == before);
	g_assert_false (before->unread);
	g_assert_null (strstr (before->tags, "unread"));
	g_assert_false (trawl_thread_tree_message (tt, 2)->unread);
	g_assert_true (trawl_thread_tree_message (tt, 3)->unread);
	assert_rows (tt, "0 1");
	g_assert_true (trawl_thread_tree_is_collapsed (tt, 1));
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_UNREAD), ==, 3);
	/* No change, or a change to no message of this thread: nothing. */
	g_assert_false (trawl_thread_tree_patch (tt, NULL));
	g_autoptr (GPtrArray) ids2 = g_ptr_array_new ();
	g_ptr_array_add (ids2, (gpointer) "koeln-1@example.de");
	g_autoptr (TrawlTagChange) c2 = trawl_db_apply_tags (db, ids2, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_false (trawl_thread_tree_patch (tt, c2));
}

/* ---- a branched thread, written here (dates give the display order):
 *
 *   0 root
 *   1 ├─a1
 *   2 │ └─a2
 *   3 │   └─a3        match
 *   4 ├─b1
 *   5 │ ├─b2        match
 *   6 │ └─b3        "Re: another topic"
 *   7 │   └─b4
 *   8 └─c1
 *   9   └─c2
 */

static const struct {
	const char *id, *parent, *from, *subject;
} branched[] = {
	{ "root", NULL, "Root <r@x>", "Tree" },
	{ "a1", "root", "Other <o@x>", "Re: Tree" },
	{ "a2", "a1", "Other <o@x>", "Re: Re: Tree" },
	{ "a3", "a2", "Match <m@x>", "RE: tree" },
	{ "b1", "root", "Other <o@x>", "Fwd: Tree" },
	{ "b2", "b1", "Match <m@x>", "Re: Tree" },
	{ "b3", "b1", "Other <o@x>", "Re: another topic" },
	{ "b4", "b3", "Other <o@x>", "Re: another topic" },
	{ "c1", "root", "Other <o@x>", "AW: Tree" },
	{ "c2", "c1", "Other <o@x>", "Re: Tree" },
};

static TestDb *
branched_db (void)
{
	TestDb *t = testdb_new (NULL);
	if (!t)
		return NULL;
	g_autofree char *cur = g_build_filename (t->mail, "cur", NULL);
	g_mkdir_with_parents (cur, 0700);
	for (guint i = 0; i < G_N_ELEMENTS (branched); i++) {
		g_autofree char *f = g_strdup_printf ("%s/branch-%02u:2,", cur, i);
		g_autofree char *irt = branched[i].parent
			? g_strdup_printf ("In-Reply-To: <%s@tree>\n", branched[i].parent) : g_strdup ("");
		g_autofree char *msg = g_strdup_printf (
			"From: %s\nSubject: %s\nMessage-ID: <%s@tree>\n%s"
			"Date: Mon, 01 Jan 2024 10:%02u:00 +0000\n\nbody %u\n",
			branched[i].from, branched[i].subject, branched[i].id, irt, i, i);
		g_assert_true (g_file_set_contents (f, msg, -1, NULL));
	}
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
	/* Read: the root, a2 and b2. */
	const char *tag[] = { "tag", "-unread", "--", "id:root@tree", "or", "id:a2@tree", "or", "id:b2@tree", NULL };
	g_free (testdb_notmuch (t, tag));
	return t;
}

static void
test_branched (void)
{
	g_autoptr (TestDb) t = branched_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "root@tree", "from:match");
	g_assert_cmpuint (trawl_thread_tree_len (tt), ==, G_N_ELEMENTS (branched));
	for (guint i = 0; i < G_N_ELEMENTS (branched); i++) {
		g_autofree char *id = g_strdup_printf ("%s@tree", branched[i].id);
		g_assert_cmpstr (trawl_thread_tree_message (tt, i)->message_id, ==, id);
	}
	assert_rows (tt, "0 1 2 3 4 5 6 7 8 9");

	/* What leads to no match: b3 (over b4) and c1 (over c2). */
	trawl_thread_tree_collapse_nonmatching (tt);
	assert_rows (tt, "0 1 2 3 4 5 6 8");
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 6), ==, 1);
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 8), ==, 1);
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 4), ==, 0);
	g_assert_cmpint (trawl_thread_tree_message_row (tt, 8), ==, 7);
	g_assert_cmpint (trawl_thread_tree_message_row (tt, 9), ==, -1);

	/* Folding b1 hides b2..b4 (the fold at b3 inside it stays). */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 4), ==, 4);
	assert_rows (tt, "0 1 2 3 4 8");
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 4), ==, 3);
	/* Reveal b4: b1 and b3 open. */
	g_assert_true (trawl_thread_tree_reveal (tt, 7));
	assert_rows (tt, "0 1 2 3 4 5 6 7 8");
	g_assert_false (trawl_thread_tree_is_collapsed (tt, 4));
	g_assert_false (trawl_thread_tree_is_collapsed (tt, 6));
	g_assert_true (trawl_thread_tree_is_collapsed (tt, 8));

	/* Collapse at the leaf b2 folds b1; expand b1 shows its replies as
	 * they were. */
	g_assert_cmpint (trawl_thread_tree_collapse (tt, 5), ==, 4);
	assert_rows (tt, "0 1 2 3 4 8");
	trawl_thread_tree_expand (tt, 4);
	assert_rows (tt, "0 1 2 3 4 5 6 7 8");

	/* Folding the root: one row, nine hidden; then everything opens. */
	trawl_thread_tree_collapse (tt, 0);
	assert_rows (tt, "0");
	g_assert_cmpuint (trawl_thread_tree_hidden (tt, 0), ==, 9);
	trawl_thread_tree_expand_all (tt);
	assert_rows (tt, "0 1 2 3 4 5 6 7 8 9");

	/* Next unread skips root, a2 and b2 (read); next/previous match. */
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_UNREAD), ==, 1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 1, 1, TRAWL_TREE_UNREAD), ==, 3);
	g_assert_cmpint (trawl_thread_tree_find (tt, 4, 1, TRAWL_TREE_UNREAD), ==, 6);
	g_assert_cmpint (trawl_thread_tree_find (tt, 9, 1, TRAWL_TREE_UNREAD), ==, -1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_MATCH), ==, 3);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, 1, TRAWL_TREE_MATCH), ==, 5);
	g_assert_cmpint (trawl_thread_tree_find (tt, 5, 1, TRAWL_TREE_MATCH), ==, -1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 9, -1, TRAWL_TREE_MATCH), ==, 5);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, -1, TRAWL_TREE_MATCH), ==, -1);

	/* Subjects show where they change: the root, b3 (another topic);
	 * Re:, RE:, Fwd: and AW: prefixes do not count, nor does case... */
	gboolean shows[] = { TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE };
	for (guint i = 0; i < G_N_ELEMENTS (shows); i++)
		g_assert_cmpint (trawl_thread_tree_shows_subject (tt, i), ==, shows[i]);
}

/* Covered messages: hidden without their replies, a folded one keeps its
 * row, the revealed one too; navigation to the next one not covered. */
/* Parent, first reply and siblings of every message of the branched
 * thread, the root and the leaves included; folds change none of them. */
static void
test_branched_moves (void)
{
	g_autoptr (TestDb) t = branched_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "root@tree", "*");
	/*                        root a1 a2 a3 b1 b2 b3 b4 c1 c2 */
	static const int parent[] = { -1, 0, 1, 2, 0, 4, 4, 6, 0, 8 };
	static const int child[] = { 1, 2, 3, -1, 5, -1, 7, -1, 9, -1 };
	static const int next[] = { -1, 4, -1, -1, 8, 6, -1, -1, -1, -1 };
	static const int prev[] = { -1, -1, -1, -1, 1, -1, 5, -1, 4, -1 };
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < (int) G_N_ELEMENTS (branched); i++) {
			g_assert_cmpint (trawl_thread_tree_parent (tt, i), ==, parent[i]);
			g_assert_cmpint (trawl_thread_tree_first_child (tt, i), ==, child[i]);
			g_assert_cmpint (trawl_thread_tree_next_sibling (tt, i), ==, next[i]);
			g_assert_cmpint (trawl_thread_tree_prev_sibling (tt, i), ==, prev[i]);
		}
		/* Everything folded: the same moves (the view reveals). */
		trawl_thread_tree_collapse (tt, 4);
		trawl_thread_tree_collapse (tt, 0);
		assert_rows (tt, "0");
	}
	/* Out of range: none. */
	g_assert_cmpint (trawl_thread_tree_parent (tt, -1), ==, -1);
	g_assert_cmpint (trawl_thread_tree_first_child (tt, 10), ==, -1);
	g_assert_cmpint (trawl_thread_tree_next_sibling (tt, 10), ==, -1);
	g_assert_cmpint (trawl_thread_tree_prev_sibling (tt, -3), ==, -1);
	/* Moving to a folded message: reveal puts it on a row. */
	g_assert_true (trawl_thread_tree_reveal (tt, 7));
	assert_rows (tt, "0 1 2 3 4 5 6 7 8 9");
}

/* A Message-ID as typed, and its thread (open-message-id). */
static void
test_message_id (void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "<a1@tree>", "a1@tree" },
		{ "id:a1@tree", "a1@tree" },
		{ "ID:\"a1@tree\"", "a1@tree" },
		{ "  a1@tree\n", "a1@tree" },
		{ "id:<a1@tree>", "a1@tree" },
		{ "", NULL },
		{ "<>", NULL },
		{ "id:", NULL },
		{ "a b@tree", NULL },
		{ "a\033[2J@tree", NULL },
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *got = trawl_message_id_parse (cases[i].in);
		g_assert_cmpstr (got, ==, cases[i].want);
	}
	g_assert_null (trawl_message_id_parse (NULL));

	g_autoptr (TestDb) t = branched_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "root@tree", "*");
	g_autoptr (GError) e = NULL;
	g_autofree char *tid = trawl_db_message_thread (db, "b4@tree", &e);
	g_assert_no_error (e);
	g_assert_cmpstr (tid, ==, trawl_thread_tree_thread (tt)->thread_id);
	g_autofree char *none = trawl_db_message_thread (db, "nowhere@tree", &e);
	g_assert_no_error (e);
	g_assert_null (none);
}

static void
test_branched_covered (void)
{
	g_autoptr (TestDb) t = branched_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (TrawlThreadTree) tt = open_tree (db, "root@tree", "from:match");
	/* root, a1, a2, b1 and c1 covered. */
	int cov[] = { 0, 1, 2, 4, 8 };
	for (guint i = 0; i < G_N_ELEMENTS (cov); i++)
		trawl_thread_tree_set_covered (tt, cov[i], TRUE);
	trawl_thread_tree_set_covered (tt, 8, TRUE);	/* twice: counted once */
	g_assert_cmpuint (trawl_thread_tree_covered (tt), ==, 5);
	g_assert_true (trawl_thread_tree_is_covered (tt, 4));
	g_assert_false (trawl_thread_tree_is_covered (tt, 5));
	/* Marks alone change no row. */
	assert_rows (tt, "0 1 2 3 4 5 6 7 8 9");
	g_assert_false (trawl_thread_tree_hiding_covered (tt));

	trawl_thread_tree_hide_covered (tt, TRUE);
	g_assert_true (trawl_thread_tree_hiding_covered (tt));
	assert_rows (tt, "3 5 6 7 9");
	g_assert_cmpint (trawl_thread_tree_message_row (tt, 0), ==, -1);

	/* Next/previous not covered, over every message. */
	g_assert_cmpint (trawl_thread_tree_find (tt, 0, 1, TRAWL_TREE_INCLUSIVE), ==, 3);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, 1, TRAWL_TREE_INCLUSIVE), ==, 5);
	g_assert_cmpint (trawl_thread_tree_find (tt, 7, 1, TRAWL_TREE_INCLUSIVE), ==, 9);
	g_assert_cmpint (trawl_thread_tree_find (tt, 9, 1, TRAWL_TREE_INCLUSIVE), ==, -1);
	g_assert_cmpint (trawl_thread_tree_find (tt, 5, -1, TRAWL_TREE_INCLUSIVE), ==, 3);
	g_assert_cmpint (trawl_thread_tree_find (tt, 3, -1, TRAWL_TREE_INCLUSIVE), ==, -1);

	/* Revealing a hidden covered message gives it a row; revealing
	 * another takes it back. */
	g_assert_true (trawl_thread_tree_reveal (tt, 4));
	assert_rows (tt, "3 4 5 6 7 9");
	g_assert_true (trawl_thread_tree_reveal (tt, 0));
	assert_rows (tt, "0 3 5 6 7 9");
	g_assert_false (trawl_thread_tree_reveal (tt, 0));

	/* A folded covered message keeps its row: its fold says what is
	 * below it (collapsing reveals it, too). */
	trawl_thread_tree_collapse (tt, 8);
	assert_rows (tt, "3 5 6 7 8");
	trawl_thread_tree_expand (tt, 8);
	assert_rows (tt, "3 5 6 7 8 9");
	/* New marks, rows rebuilt: the revealed one (the cursor's) stays. */
	trawl_thread_tree_hide_covered (tt, TRUE);
	assert_rows (tt, "3 5 6 7 8 9");
	trawl_thread_tree_collapse (tt, 6);
	assert_rows (tt, "3 5 6 8 9");

	/* Unmarked: it comes back.  Shown again: every row.  Hidden again:
	 * the revealed one is forgotten. */
	trawl_thread_tree_set_covered (tt, 1, FALSE);
	g_assert_cmpuint (trawl_thread_tree_covered (tt), ==, 4);
	trawl_thread_tree_hide_covered (tt, TRUE);
	assert_rows (tt, "1 3 5 6 8 9");
	trawl_thread_tree_hide_covered (tt, FALSE);
	assert_rows (tt, "0 1 2 3 4 5 6 8 9");
	trawl_thread_tree_hide_covered (tt, TRUE);
	assert_rows (tt, "1 3 5 6 9");
}

/* ---- a generated archive's largest thread, against the definitions ---- */

/* Visible: no ancestor folded. */
static void
check_against_definition (const TrawlThreadTree *tt)
{
	guint n = trawl_thread_tree_len (tt);
	GString *want = g_string_new (NULL);
	guint rows = 0, hidden = 0;
	for (guint i = 0; i < n; i++) {
		gboolean shown = TRUE;
		for (int a = trawl_thread_tree_message (tt, i)->parent; a >= 0;
		     a = trawl_thread_tree_message (tt, a)->parent)
			if (trawl_thread_tree_is_collapsed (tt, a))
				shown = FALSE;
		if (!shown) {
			g_assert_cmpint (trawl_thread_tree_message_row (tt, i), ==, -1);
			continue;
		}
		g_string_append_printf (want, "%s%u", rows ? " " : "", i);
		rows++;
		hidden += trawl_thread_tree_hidden (tt, i);
	}
	g_autofree char *w = g_string_free (want, FALSE);
	assert_rows (tt, w);
	/* The [+N] of the rows account for every message not on one. */
	g_assert_cmpuint (rows + hidden, ==, n);
}

static void
test_generated (void)
{
	g_autoptr (TestDb) t = testdb_generated (600, 7);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	/* The thread with the most messages. */
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, &e);
	g_assert_no_error (e);
	TrawlPos pos;
	g_autofree char *tid = NULL;
	int most = 0;
	for (gboolean ok = trawl_thread_list_first (tl, &pos); ok; ok = trawl_thread_list_step (tl, &pos, 1) == 1) {
		const TrawlThreadRow *row = trawl_thread_list_get (tl, pos);
		if (row->total > most) {
			most = row->total;
			g_free (tid);
			tid = g_strdup (row->thread_id);
		}
	}
	g_assert_cmpint (most, >=, 8);

	/* Two deep messages are the matches. */
	g_autoptr (TrawlThreadTree) all = thread_tree (db, tid, "*");
	guint n = trawl_thread_tree_len (all);
	int deepest = 0;
	for (guint i = 0; i < n; i++)
		if (trawl_thread_tree_message (all, i)->depth > trawl_thread_tree_message (all, deepest)->depth)
			deepest = i;
	g_assert_cmpuint (trawl_thread_tree_message (all, deepest)->depth, >=, 2);
	g_autofree char *q1 = trawl_query_term ("id", trawl_thread_tree_message (all, deepest)->message_id);
	g_autofree char *q2 = trawl_query_term ("id", trawl_thread_tree_message (all, n - 1)->message_id);
	g_autofree char *query = g_strdup_printf ("%s or %s", q1, q2);
	g_autoptr (TrawlThreadTree) tt = thread_tree (db, tid, query);
	g_assert_cmpuint (trawl_thread_tree_len (tt), ==, n);
	check_against_definition (tt);

	/* Collapse-nonmatching: folded exactly where replies lead to no match. */
	trawl_thread_tree_collapse_nonmatching (tt);
	for (guint i = 0; i < n; i++) {
		TrawlMessage *m = trawl_thread_tree_message (tt, i);
		gboolean match_below = FALSE;
		for (guint k = i + 1; k <= i + m->descendants; k++)
			match_below |= trawl_thread_tree_message (tt, k)->matched;
		g_assert_cmpint (trawl_thread_tree_is_collapsed (tt, i), ==, m->n_children && !match_below);
	}
	check_against_definition (tt);
	/* Both matches and their ancestors are on rows. */
	g_assert_cmpint (trawl_thread_tree_message_row (tt, deepest), >=, 0);
	g_assert_cmpint (trawl_thread_tree_message_row (tt, n - 1), >=, 0);

	/* Random folds, expands and reveals, each checked. */
	GRand *rand = g_rand_new_with_seed (7);
	for (int step = 0; step < 300; step++) {
		int i = g_rand_int_range (rand, 0, n);
		switch (g_rand_int_range (rand, 0, 4)) {
		case 0: {
			int to = trawl_thread_tree_collapse (tt, i);
			TrawlMessage *m = trawl_thread_tree_message (tt, i);
			g_assert_true (to == i || to == m->parent);
			g_assert_cmpint (trawl_thread_tree_message_row (tt, to), >=, 0);
			break;
		}
		case 1:
			trawl_thread_tree_expand (tt, i);
			g_assert_false (trawl_thread_tree_is_collapsed (tt, i));
			break;
		case 2:
			trawl_thread_tree_reveal (tt, i);
			g_assert_cmpint (trawl_thread_tree_message_row (tt, i), >=, 0);
			break;
		default:
			if (step % 50 == 3)
				trawl_thread_tree_expand_all (tt);
			break;
		}
		check_against_definition (tt);
	}
	g_rand_free (rand);
	trawl_thread_tree_expand_all (tt);
	g_assert_cmpuint (trawl_thread_tree_rows (tt), ==, n);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/threadtree/chain-folds", test_chain_folds);
	g_test_add_func ("/threadtree/chain-navigation-patch", test_chain_navigation_and_patch);
	g_test_add_func ("/threadtree/branched", test_branched);
	g_test_add_func ("/threadtree/branched-covered", test_branched_covered);
	g_test_add_func ("/threadtree/branched-moves", test_branched_moves);
	g_test_add_func ("/threadtree/message-id", test_message_id);
	g_test_add_func ("/threadtree/generated", test_generated);
	return g_test_run ();
}
