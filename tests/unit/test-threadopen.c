/* test-threadopen.c — opening a big thread reads its dates, From and Subject
 * in one pass over the value streams (threadvalues.cc), never one notmuch
 * lookup per message and header, and gets exactly what notmuch gives. */
#include "config.h"

#include <string.h>
#include <notmuch.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "testdb.h"

#define CHAIN 2500

static char *
thread_of (TestDb *t, const char *query)
{
	const char *args[] = { "search", "--output=threads", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_strstrip (out);
	g_assert_true (g_str_has_prefix (out, "thread:"));
	return g_strdup (out + strlen ("thread:"));
}

/* A reply chain of CHAIN messages, 50 authors (some with encoded names),
 * subjects that vary; message 7 has an empty Subject (notmuch keeps no
 * value for it: that one is asked of notmuch). */
static TestDb *
chain (void)
{
	TestDb *t = testdb_new (NULL);
	if (!t)
		return NULL;
	g_autofree char *cur = g_build_filename (t->mail, "cur", NULL);
	g_mkdir_with_parents (cur, 0700);
	for (int i = 0; i < CHAIN; i++) {
		g_autofree char *f = g_strdup_printf ("%s/c%05d:2,", cur, i);
		g_autofree char *irt = i ? g_strdup_printf ("In-Reply-To: <c%d@chain.example>\n", i - 1) : g_strdup ("");
		g_autofree char *from = i % 5 == 0 ? g_strdup_printf ("=?UTF-8?Q?Jos=C3=A9_M=C3=BCller_%d?= <p%d@chain.example>", i % 50, i % 50)
					       : g_strdup_printf ("Person %d <p%d@chain.example>", i % 50, i % 50);
		g_autofree char *subject = i == 7 ? g_strdup ("") : i % 3 ? g_strdup ("Re: the long chain")
										: g_strdup_printf ("=?UTF-8?B?Q2Fmw6k=?= %d", i);
		g_autofree char *msg = g_strdup_printf (
			"From: %s\nTo: list@chain.example\nSubject: %s\nDate: Mon, 1 Jan 2024 %02d:%02d:%02d +0000\n"
			"Message-ID: <c%d@chain.example>\n%s\nreply %d\n",
			from, subject, (i / 3600) % 24, (i / 60) % 60, i % 60, i, irt, i);
		g_assert_true (g_file_set_contents (f, msg, -1, NULL));
	}
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
	return t;
}

/* Every message's date, From and Subject as notmuch gives them, message by
 * message, through a handle of the test's own. */
static void
assert_as_notmuch (TestDb *t, TrawlThread *th)
{
	notmuch_database_t *nm = NULL;
	g_assert_cmpint (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_ONLY, t->config,
							    NULL, &nm, NULL), ==, NOTMUCH_STATUS_SUCCESS);
	for (guint i = 0; i < th->messages->len; i++) {
		TrawlMessage *m = th->messages->pdata[i];
		notmuch_message_t *nmm = NULL;
		g_assert_cmpint (notmuch_database_find_message (nm, m->message_id, &nmm), ==, NOTMUCH_STATUS_SUCCESS);
		g_assert_nonnull (nmm);
		g_assert_cmpint (m->date, ==, (gint64) notmuch_message_get_date (nmm));
		g_assert_cmpstr (m->from, ==, notmuch_message_get_header (nmm, "from"));
		g_assert_cmpstr (m->subject, ==, notmuch_message_get_header (nmm, "subject"));
		notmuch_message_destroy (nmm);
	}
	notmuch_database_destroy (nm);
}

static void
test_chain_values (void)
{
	g_autoptr (TestDb) t = chain ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autofree char *tid = thread_of (t, "id:c0@chain.example");
	const TrawlDbStats *s = trawl_db_stats (db);

	guint64 b0 = s->thread_values_batched, s0 = s->thread_values_single;
	g_autoptr (GError) e = NULL;
	TrawlThread *th = trawl_thread_open (db, tid, "*", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (th->messages->len, ==, CHAIN);
	/* One pass: every message but the one without a Subject value. */
	g_assert_cmpuint (s->thread_values_batched - b0, ==, CHAIN - 1);
	g_assert_cmpuint (s->thread_values_single - s0, ==, 1);
	/* The tree as before: the chain, in order. */
	for (guint i = 0; i < CHAIN; i += 499) {
		TrawlMessage *m = th->messages->pdata[i];
		g_autofree char *id = g_strdup_printf ("c%u@chain.example", i);
		g_assert_cmpstr (m->message_id, ==, id);
		g_assert_cmpuint (m->depth, ==, i);
	}
	TrawlMessage *m5 = th->messages->pdata[5];
	g_assert_cmpstr (m5->from, ==, "José Müller 5 <p5@chain.example>");
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[6])->subject, ==, "Café 6");
	g_assert_cmpstr (((TrawlMessage *) th->messages->pdata[7])->subject, ==, "");
	g_assert_cmpint (((TrawlMessage *) th->messages->pdata[61])->date, ==, 1704067200 + 61);
	assert_as_notmuch (t, th);
	trawl_thread_free (th);

	/* Another process tags: trawl's handle, not reopened, is at the old
	 * revision, the value streams at the new one; every message is then
	 * asked of notmuch (the same values). */
	const char *tag[] = { "tag", "+elsewhere", "id:c3@chain.example", NULL };
	g_free (testdb_notmuch (t, tag));
	b0 = s->thread_values_batched, s0 = s->thread_values_single;
	th = trawl_thread_open (db, tid, "*", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (s->thread_values_batched - b0, ==, 0);
	g_assert_cmpuint (s->thread_values_single - s0, ==, CHAIN);
	assert_as_notmuch (t, th);
	trawl_thread_free (th);

	/* Reopened: one pass again. */
	g_assert_true (trawl_db_reopen (db, &e));
	b0 = s->thread_values_batched, s0 = s->thread_values_single;
	th = trawl_thread_open (db, tid, "*", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (s->thread_values_batched - b0, ==, CHAIN - 1);
	g_assert_cmpuint (s->thread_values_single - s0, ==, 1);
	assert_as_notmuch (t, th);
	trawl_thread_free (th);
}

/* Every thread of a generated archive (duplicates, ghosts, encoded words):
 * what the value streams give is what notmuch gives. */
static void
test_generated_values (void)
{
	g_autoptr (TestDb) t = testdb_generated (600, 11);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const char *args[] = { "search", "--output=threads", "*", NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
	const TrawlDbStats *s = trawl_db_stats (db);
	guint64 b0 = s->thread_values_batched, s0 = s->thread_values_single, total = 0;
	for (guint k = 0; lines[k]; k++) {
		g_assert_true (g_str_has_prefix (lines[k], "thread:"));
		g_autoptr (GError) e = NULL;
		g_autoptr (TrawlThread) th = trawl_thread_open (db, lines[k] + strlen ("thread:"), "*", &e);
		g_assert_no_error (e);
		total += th->messages->len;
		assert_as_notmuch (t, th);
	}
	g_assert_cmpuint (total, >=, 600);
	g_assert_cmpuint ((s->thread_values_batched - b0) + (s->thread_values_single - s0), ==, total);
	/* Only messages without a From or Subject value are asked one by one. */
	g_assert_cmpuint (s->thread_values_single - s0, <, total / 20);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/threadopen/chain-values", test_chain_values);
	g_test_add_func ("/threadopen/generated-values", test_generated_values);
	return g_test_run ();
}
