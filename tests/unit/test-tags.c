/* test-tags.c — changing tags (trawl/tags.h) against real notmuch databases.
 *
 * Every result is checked with the notmuch CLI on the same database, never
 * only through trawl's own reads. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "testdb.h"

/* ---- helpers ---- */

/* Writes message N (Message-Id <mN@test>) into mail/SUB/NAME; when REPLY_TO
 * is not 0 it answers <mREPLY_TO@test>. */
static void
write_message (TestDb *t, const char *sub, const char *name, int n, int reply_to)
{
	g_autofree char *dir = g_build_filename (t->mail, sub, NULL);
	g_mkdir_with_parents (dir, 0700);
	for (const char *const *d = (const char *const[]) { "cur", "new", "tmp", NULL }; *d; d++) {
		g_autofree char *sd = g_build_filename (t->mail, *d, NULL);
		g_mkdir_with_parents (sd, 0700);
	}
	g_autofree char *file = g_build_filename (dir, name, NULL);
	g_autofree char *reply = reply_to
		? g_strdup_printf ("In-Reply-To: <m%d@test>\nReferences: <m%d@test>\n", reply_to, reply_to)
		: g_strdup ("");
	g_autofree char *text = g_strdup_printf (
		"From: Sender %d <s%d@example.org>\n"
		"To: test@example.org\n"
		"Subject: message %d\n"
		"Date: Mon, 01 Jan 2024 10:%02d:00 +0000\n"
		"Message-Id: <m%d@test>\n"
		"%s"
		"\n"
		"Body of message %d.\n", n, n, n, n % 60, n, reply, n);
	g_assert_true (g_file_set_contents (file, text, -1, NULL));
}

static void
notmuch_new (TestDb *t)
{
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
}

/* A database of N messages m1..mN in cur/ ("mK:2,"); m2 answers m1. */
static TestDb *
small_db (int n)
{
	TestDb *t = testdb_new (NULL);
	if (!t)
		return NULL;
	for (int i = 1; i <= n; i++) {
		g_autofree char *name = g_strdup_printf ("m%d:2,", i);
		write_message (t, "cur", name, i, i == 2 ? 1 : 0);
	}
	notmuch_new (t);
	return t;
}

static void
cli_tag (TestDb *t, const char *ops, const char *query)
{
	g_auto (GStrv) words = g_strsplit (ops, " ", -1);
	GPtrArray *args = g_ptr_array_new ();
	g_ptr_array_add (args, (gpointer) "tag");
	for (char **w = words; *w; w++)
		g_ptr_array_add (args, *w);
	g_ptr_array_add (args, (gpointer) "--");
	g_ptr_array_add (args, (gpointer) query);
	g_ptr_array_add (args, NULL);
	g_free (testdb_notmuch (t, (const char *const *) args->pdata));
	g_ptr_array_free (args, TRUE);
}

/* The tags of message mN, as notmuch lists them: sorted, space-separated. */
static char *
cli_tags (TestDb *t, int n)
{
	g_autofree char *q = g_strdup_printf ("id:m%d@test", n);
	const char *args[] = { "search", "--exclude=false", "--output=tags", q, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	GPtrArray *tags = g_ptr_array_new ();
	for (char **l = lines; *l; l++)
		if (**l)
			g_ptr_array_add (tags, *l);
	g_ptr_array_add (tags, NULL);
	char *joined = g_strjoinv (" ", (char **) tags->pdata);
	g_ptr_array_free (tags, TRUE);
	return joined;
}

static gint64
cli_count (TestDb *t, const char *query)
{
	const char *args[] = { "count", "--exclude=false", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	return g_ascii_strtoll (out, NULL, 10);
}

/* Every message's tags, one line per message m1..mN. */
static char *
snapshot (TestDb *t, int n)
{
	GString *s = g_string_new (NULL);
	for (int i = 1; i <= n; i++) {
		g_autofree char *tags = cli_tags (t, i);
		g_string_append_printf (s, "m%d: %s\n", i, tags);
	}
	return g_string_free (s, FALSE);
}

static TrawlDb *
open_writable (TestDb *t)
{
	return testdb_open_mode (t, TRUE);
}

static GPtrArray *
ids_of (const int *ns, int count)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	for (int i = 0; i < count; i++)
		g_ptr_array_add (ids, g_strdup_printf ("m%d@test", ns[i]));
	return ids;
}

static TrawlTagChange *
apply (TrawlDb *db, GPtrArray *ids, const char *text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (text, &e);
	g_assert_no_error (e);
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_nonnull (c);
	return c;
}

static void
undo (TrawlDb *db, TrawlTagChange *c)
{
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_db_undo_tags (db, c, &e));
	g_assert_no_error (e);
}

static char *
ops_string (const TrawlTagOps *ops)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < ops->add->len; i++)
		g_string_append_printf (s, "%s+%s", s->len ? " " : "", (char *) ops->add->pdata[i]);
	for (guint i = 0; i < ops->remove->len; i++)
		g_string_append_printf (s, "%s-%s", s->len ? " " : "", (char *) ops->remove->pdata[i]);
	return g_string_free (s, FALSE);
}

/* A generated archive shared by the bulk tests (generating it is the slow
 * part); each test leaves it as it found it. */
static TestDb *shared_big;

static TestDb *
big_db (void)
{
	if (!shared_big)
		shared_big = testdb_generated (3000, 3);
	return shared_big;
}

/* ---- parsing ---- */

static void
test_parse (void)
{
	struct {
		const char *text;
		const char *parsed;	/* NULL: a syntax error */
	} cases[] = {
		{ "+a -b c", "+a +c -b" },
		{ "  +todo\t-inbox  ", "+todo -inbox" },
		{ "+a +a", "+a" },
		{ "+a -a", "-a" },
		{ "-a +a", "+a" },
		{ "+ä/ü.x_1", "+ä/ü.x_1" },
		{ "", NULL },
		{ "   ", NULL },
		{ "+", NULL },
		{ "-", NULL },
		{ "+a +", NULL },
		{ "+-a", NULL },
		{ "--a", NULL },
		{ "-+a", NULL },
		{ "+a\001b", NULL },
		{ "+a\302\240b", NULL },	/* no-break space */
		{ "+\377", NULL },		/* not UTF-8 */
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) e = NULL;
		g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (cases[i].text, &e);
		if (cases[i].parsed) {
			g_assert_no_error (e);
			g_assert_nonnull (ops);
			g_autofree char *s = ops_string (ops);
			g_assert_cmpstr (s, ==, cases[i].parsed);
		} else {
			g_assert_null (ops);
			g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX);
			g_assert_null (strchr (e->message, '\n'));
		}
	}
	g_autoptr (GError) e = NULL;
	g_autofree char *longtag = g_strnfill (NOTMUCH_TAG_MAX + 1, 'x');
	g_autofree char *longop = g_strdup_printf ("+%s", longtag);
	g_assert_null (trawl_tag_ops_parse (longop, &e));
	g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX);
}

/* ---- message ids ---- */

static void
test_ids (void)
{
	g_autoptr (TestDb) t = small_db (4);
	if (!t)
		return;
	cli_tag (t, "+deleted", "id:m4@test");
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GError) e = NULL;
	/* Exclude tags do not apply: m4 (deleted) is matched. */
	g_autoptr (GPtrArray) all = trawl_db_query_message_ids (db, "*", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (all->len, ==, 4);
	g_autoptr (GPtrArray) del = trawl_db_query_message_ids (db, "tag:deleted", &e);
	g_assert_no_error (e);
	g_assert_cmpuint (del->len, ==, 1);
	g_assert_cmpstr (del->pdata[0], ==, "m4@test");

	const char *args[] = { "search", "--output=threads", "id:m2@test", NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_strstrip (out);
	g_assert_true (g_str_has_prefix (out, "thread:"));
	g_autoptr (GPtrArray) th = trawl_db_thread_message_ids (db, out + strlen ("thread:"), &e);
	g_assert_no_error (e);
	g_assert_cmpuint (th->len, ==, 2);
	g_assert_true (g_ptr_array_find_with_equal_func (th, "m1@test", g_str_equal, NULL));
	g_assert_true (g_ptr_array_find_with_equal_func (th, "m2@test", g_str_equal, NULL));

	g_autoptr (GPtrArray) bad = trawl_db_query_message_ids (db, "date:garbage..", &e);
	g_assert_null (bad);
	g_assert_nonnull (e);
}

/* ---- applying and undoing ---- */

static void
test_apply_undo (void)
{
	g_autoptr (TestDb) t = small_db (4);
	if (!t)
		return;
	cli_tag (t, "+b +keep", "id:m2@test");
	cli_tag (t, "+a", "id:m3@test");
	g_autofree char *orig = snapshot (t, 4);
	g_autoptr (TrawlDb) db = open_writable (t);
	g_assert_true (trawl_db_writable (db));
	g_assert_false (trawl_db_synchronize_flags (db));

	int ns[] = { 1, 2, 3 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 3);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "+a -b");
	/* m3 had +a and no b already: untouched. */
	g_assert_cmpuint (trawl_tag_change_count (c), ==, 2);
	g_assert_cmpstr (trawl_tag_change_describe (c), ==, "+a -b on 2 messages");
	g_autofree char *m1 = cli_tags (t, 1);
	g_autofree char *m2 = cli_tags (t, 2);
	g_autofree char *m3 = cli_tags (t, 3);
	g_autofree char *m4 = cli_tags (t, 4);
	g_assert_cmpstr (m1, ==, "a inbox unread");
	g_assert_cmpstr (m2, ==, "a inbox keep unread");
	g_assert_cmpstr (m3, ==, "a inbox unread");
	g_assert_cmpstr (m4, ==, "inbox unread");
	g_assert_cmpint (cli_count (t, "tag:a"), ==, 3);
	/* The read handle was reopened: trawl's own reads see the change. */
	g_autoptr (GError) e = NULL;
	g_assert_cmpint (trawl_db_count_messages (db, "tag:a", &e), ==, 3);
	g_assert_false (trawl_db_changed (db));

	/* Nothing left to do: succeeds, touches nothing. */
	g_autoptr (TrawlTagChange) noop = apply (db, ids, "+a -b");
	g_assert_cmpuint (trawl_tag_change_count (noop), ==, 0);
	g_assert_cmpstr (trawl_tag_change_describe (noop), ==, "+a -b on 0 messages");

	/* One message: singular; unknown ids are skipped. */
	g_autoptr (GPtrArray) one = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (one, g_strdup ("m4@test"));
	g_ptr_array_add (one, g_strdup ("no-such-message@test"));
	g_autoptr (TrawlTagChange) c1 = apply (db, one, "+z");
	g_assert_cmpstr (trawl_tag_change_describe (c1), ==, "+z on 1 message");
	undo (db, c1);

	/* Undo restores exactly: m3 keeps its a, m2 gets b back, keep stays. */
	undo (db, c);
	g_autofree char *after = snapshot (t, 4);
	g_assert_cmpstr (after, ==, orig);
	g_assert_cmpint (trawl_db_count_messages (db, "tag:a", &e), ==, 1);

	/* An empty id list is a change of nothing. */
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	g_autoptr (TrawlTagChange) c0 = apply (db, none, "+a");
	g_assert_cmpuint (trawl_tag_change_count (c0), ==, 0);
}

static void
test_undo_two_levels (void)
{
	g_autoptr (TestDb) t = small_db (4);
	if (!t)
		return;
	cli_tag (t, "+x", "id:m1@test");
	cli_tag (t, "-unread", "id:m3@test");
	g_autofree char *orig = snapshot (t, 4);
	g_autoptr (TrawlDb) db = open_writable (t);
	int ns[] = { 1, 2, 3, 4 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 4);

	g_autoptr (TrawlTagChange) a = apply (db, ids, "+x -inbox");
	g_assert_cmpuint (trawl_tag_change_count (a), ==, 4);
	g_autofree char *after_a = snapshot (t, 4);
	g_autoptr (TrawlTagChange) b = apply (db, ids, "+y -x -unread");
	g_assert_cmpuint (trawl_tag_change_count (b), ==, 4);
	g_autofree char *after_b = snapshot (t, 4);
	g_assert_cmpstr (after_b, ==, "m1: y\nm2: y\nm3: y\nm4: y\n");

	undo (db, b);
	g_autofree char *undone_b = snapshot (t, 4);
	g_assert_cmpstr (undone_b, ==, after_a);
	undo (db, a);
	g_autofree char *undone_a = snapshot (t, 4);
	g_assert_cmpstr (undone_a, ==, orig);
}

/* ---- bulk ---- */

typedef struct {
	guint calls;
	guint last_done;
	guint total;
} Progress;

static void
on_progress (guint done, guint total, gpointer data)
{
	Progress *p = data;
	g_assert_cmpuint (done, >=, p->last_done);
	g_assert_cmpuint (done, <=, total);
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static void
test_bulk (void)
{
	TestDb *t = big_db ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = open_writable (t);
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, "*", &e);
	g_assert_no_error (e);
	gint64 total = cli_count (t, "*");
	g_assert_cmpint (total, >=, 2500);
	g_assert_cmpuint (ids->len, ==, total);

	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+bulk", &e);
	Progress p = { 0, 0, 0 };
	gint64 t0 = g_get_monotonic_time ();
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, ops, on_progress, &p, &e);
	gint64 t1 = g_get_monotonic_time ();
	g_assert_no_error (e);
	g_assert_nonnull (c);
	g_test_message ("tagged %u messages in %.0f ms (%.3f ms/message)", ids->len,
			(t1 - t0) / 1000.0, (t1 - t0) / 1000.0 / ids->len);
	g_assert_cmpuint (trawl_tag_change_count (c), ==, total);
	g_assert_cmpint (cli_count (t, "tag:bulk"), ==, total);
	g_assert_cmpuint (p.calls, >=, total / 500);
	g_assert_cmpuint (p.last_done, ==, total);
	g_assert_cmpuint (p.total, ==, total);
	g_autofree char *want = g_strdup_printf ("+bulk on %" G_GINT64_FORMAT " messages", total);
	g_assert_cmpstr (trawl_tag_change_describe (c), ==, want);

	t0 = g_get_monotonic_time ();
	undo (db, c);
	t1 = g_get_monotonic_time ();
	g_test_message ("undid it in %.0f ms", (t1 - t0) / 1000.0);
	g_assert_cmpint (cli_count (t, "tag:bulk"), ==, 0);
}

/* ---- atomicity ---- */

static void
die_midway (guint done, guint total, gpointer data)
{
	(void) total;
	(void) data;
	if (done >= 1000)
		raise (SIGKILL);
}

static void
test_killed_midway (void)
{
	TestDb *t = big_db ();
	if (!t)
		return;
	gint64 total = cli_count (t, "*");
	pid_t pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0) {
		/* Xapian flushes uncommitted changes to disk every N documents
		 * outside a transaction: with a small N, a change made without
		 * begin_atomic would be half-applied by now (checked: 1000 of
		 * 3000 tagged); inside one, nothing is. */
		g_setenv ("XAPIAN_FLUSH_THRESHOLD", "200", TRUE);
		TrawlDbOptions o = { t->config, NULL, TRUE };
		TrawlDb *db = trawl_db_open (&o, NULL);
		if (!db)
			_exit (2);
		GPtrArray *ids = trawl_db_query_message_ids (db, "*", NULL);
		TrawlTagOps *ops = trawl_tag_ops_parse ("+killed", NULL);
		if (!ids || !ops || ids->len < 2000)
			_exit (3);
		trawl_db_apply_tags (db, ids, ops, die_midway, NULL, NULL);
		_exit (4);	/* not reached: killed in the progress callback */
	}
	int status = 0;
	while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
		;
	g_assert_true (WIFSIGNALED (status));
	g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

	/* All or nothing: nothing. */
	g_assert_cmpint (cli_count (t, "tag:killed"), ==, 0);
	g_assert_cmpint (cli_count (t, "*"), ==, total);

	/* The database still opens and takes changes. */
	g_autoptr (TrawlDb) db = open_writable (t);
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, "*", &e);
	g_assert_no_error (e);
	g_ptr_array_set_size (ids, 10);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "+x");
	g_assert_cmpuint (trawl_tag_change_count (c), ==, 10);
	g_assert_cmpint (cli_count (t, "tag:x"), ==, 10);
	undo (db, c);
	g_assert_cmpint (cli_count (t, "tag:x"), ==, 0);
}

/* ---- locks and read-only ---- */

static void
test_locked (void)
{
	g_autoptr (TestDb) t = small_db (3);
	if (!t)
		return;
	g_autofree char *orig = snapshot (t, 3);
	g_autoptr (TrawlDb) db = open_writable (t);
	int ns[] = { 1, 2, 3 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 3);
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+a -inbox", NULL);

	/* Another writer holds the lock. */
	notmuch_database_t *holder = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (
		NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, t->config, NULL, &holder, &msg);
	free (msg);
	g_assert_cmpint (st, ==, NOTMUCH_STATUS_SUCCESS);

	g_autoptr (GError) e = NULL;
	guint64 looks = trawl_db_stats (db)->lock_waits;
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_null (c);
	g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_LOCKED);
	g_assert_nonnull (strstr (e->message, "locked"));
	g_assert_nonnull (strstr (e->message, "nothing was changed"));
	/* It waited and looked again, several times (counted, not timed). */
	g_assert_cmpuint (trawl_db_stats (db)->lock_waits - looks, >=, 3);
	g_autofree char *still = snapshot (t, 3);
	g_assert_cmpstr (still, ==, orig);

	/* The lock goes away: the same change works. */
	notmuch_database_destroy (holder);
	g_clear_error (&e);
	g_autoptr (TrawlTagChange) ok = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_no_error (e);
	g_assert_cmpuint (trawl_tag_change_count (ok), ==, 3);
	g_assert_cmpint (cli_count (t, "tag:a and not tag:inbox"), ==, 3);
}

/* A lock released while trawl retries: the change goes through. */
static gpointer
release_later (gpointer data)
{
	g_usleep (G_USEC_PER_SEC / 2);
	notmuch_database_destroy (data);
	return NULL;
}

static void
test_lock_released (void)
{
	g_autoptr (TestDb) t = small_db (2);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = open_writable (t);
	int ns[] = { 1, 2 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 2);
	notmuch_database_t *holder = NULL;
	g_assert_cmpint (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							    t->config, NULL, &holder, NULL),
			 ==, NOTMUCH_STATUS_SUCCESS);
	GThread *th = g_thread_new ("release", release_later, holder);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "+late");
	g_thread_join (th);
	g_assert_cmpuint (trawl_tag_change_count (c), ==, 2);
	g_assert_cmpint (cli_count (t, "tag:late"), ==, 2);
}

static char *
hash_tree (const char *dir)
{
	char *argv[] = { (char *) "sh", (char *) "-c",
			 (char *) "cd \"$1\" && find . -type f -exec sha256sum {} + | sort",
			 (char *) "sh", (char *) dir, NULL };
	char *out = NULL;
	int status = 0;
	g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
				     &status, NULL));
	g_assert_true (g_spawn_check_wait_status (status, NULL));
	g_assert_nonnull (out);
	g_assert_cmpuint (strlen (out), >, 0);
	return out;
}

static void
test_read_only (void)
{
	g_autoptr (TestDb) t = small_db (3);
	if (!t)
		return;
	g_autofree char *dbdir = g_build_filename (t->dir, "db", NULL);
	g_autofree char *mail_before = hash_tree (t->mail);
	g_autofree char *db_before = hash_tree (dbdir);

	g_autoptr (TrawlDb) db = testdb_open (t);	/* writable = FALSE */
	g_assert_false (trawl_db_writable (db));
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, "*", &e);
	g_assert_no_error (e);
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+a -unread", &e);
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	g_assert_null (c);
	g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_READ_ONLY);
	g_assert_nonnull (strstr (e->message, "--read-only"));
	trawl_db_free (g_steal_pointer (&db));

	g_autofree char *mail_after = hash_tree (t->mail);
	g_autofree char *db_after = hash_tree (dbdir);
	g_assert_cmpstr (mail_after, ==, mail_before);
	g_assert_cmpstr (db_after, ==, db_before);
}

/* ---- maildir flags ---- */

static void
test_synchronize_flags (void)
{
	g_autoptr (TestDb) t = testdb_new (NULL);
	if (!t)
		return;
	g_autofree char *cfg = NULL;
	g_assert_true (g_file_get_contents (t->config, &cfg, NULL, NULL));
	char *at = strstr (cfg, "synchronize_flags=false");
	g_assert_nonnull (at);
	g_autofree char *head = g_strndup (cfg, at - cfg);
	g_autofree char *newcfg = g_strconcat (head, "synchronize_flags=true",
					       at + strlen ("synchronize_flags=false"), NULL);
	g_assert_true (g_file_set_contents (t->config, newcfg, -1, NULL));
	write_message (t, "cur", "m1:2,", 1, 0);
	write_message (t, "new", "m2", 2, 0);
	notmuch_new (t);
	g_autofree char *cur1 = g_build_filename (t->mail, "cur", "m1:2,", NULL);
	g_autofree char *cur1s = g_build_filename (t->mail, "cur", "m1:2,S", NULL);
	g_autofree char *new2 = g_build_filename (t->mail, "new", "m2", NULL);
	g_autofree char *cur2 = g_build_filename (t->mail, "cur", "m2:2,", NULL);
	g_autofree char *cur2s = g_build_filename (t->mail, "cur", "m2:2,S", NULL);
	g_autofree char *m1 = cli_tags (t, 1);
	g_assert_cmpstr (m1, ==, "inbox unread");

	g_autoptr (TrawlDb) db = open_writable (t);
	g_assert_true (trawl_db_synchronize_flags (db));
	int ns[] = { 1, 2 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 2);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "-unread");
	g_assert_cmpuint (trawl_tag_change_count (c), ==, 2);
	/* Renamed as notmuch tag renames: seen, and out of new/. */
	g_assert_true (g_file_test (cur1s, G_FILE_TEST_EXISTS));
	g_assert_false (g_file_test (cur1, G_FILE_TEST_EXISTS));
	g_assert_true (g_file_test (cur2s, G_FILE_TEST_EXISTS));
	g_assert_false (g_file_test (new2, G_FILE_TEST_EXISTS));
	g_autofree char *m1b = cli_tags (t, 1);
	g_assert_cmpstr (m1b, ==, "inbox");
	g_assert_cmpint (cli_count (t, "tag:unread"), ==, 0);
	/* notmuch agrees about the file names. */
	const char *args[] = { "search", "--output=files", "id:m1@test", NULL };
	g_autofree char *files = testdb_notmuch (t, args);
	g_strstrip (files);
	g_assert_cmpstr (files, ==, cur1s);

	undo (db, c);
	g_assert_true (g_file_test (cur1, G_FILE_TEST_EXISTS));
	g_assert_false (g_file_test (cur1s, G_FILE_TEST_EXISTS));
	g_assert_true (g_file_test (cur2, G_FILE_TEST_EXISTS));
	g_assert_false (g_file_test (cur2s, G_FILE_TEST_EXISTS));
	g_assert_cmpint (cli_count (t, "tag:unread"), ==, 2);
	/* notmuch new finds nothing to fix. */
	const char *nargs[] = { "new", NULL };
	g_autofree char *out = testdb_notmuch (t, nargs);
	g_assert_nonnull (strstr (out, "No new mail"));
	g_assert_cmpint (cli_count (t, "tag:unread"), ==, 2);
}

/* ---- trawl holds no lock ---- */

static void
test_notmuch_new_not_blocked (void)
{
	g_autoptr (TestDb) t = small_db (2);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = open_writable (t);
	g_autoptr (GError) e = NULL;
	g_assert_cmpint (trawl_db_count_messages (db, "*", &e), ==, 2);

	write_message (t, "cur", "m3:2,", 3, 0);
	notmuch_new (t);	/* asserts success */
	g_assert_cmpint (cli_count (t, "*"), ==, 3);
	g_assert_true (trawl_db_changed (db));
	g_assert_true (trawl_db_reopen (db, &e));
	g_assert_cmpint (trawl_db_count_messages (db, "*", &e), ==, 3);

	/* Nor after a write. */
	int ns[] = { 1, 3 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 2);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "+seen-by-trawl");
	write_message (t, "cur", "m4:2,", 4, 0);
	notmuch_new (t);
	g_assert_cmpint (cli_count (t, "*"), ==, 4);
	g_assert_cmpint (cli_count (t, "tag:seen-by-trawl"), ==, 2);
}

/* ---- optional benchmark: TRAWL_TAGS_BENCH=N ---- */

static void
test_bench (void)
{
	const char *nv = g_getenv ("TRAWL_TAGS_BENCH");
	if (!nv || !*nv) {
		g_test_skip ("set TRAWL_TAGS_BENCH=N to time tagging N messages against notmuch tag");
		return;
	}
	g_autoptr (TestDb) t = testdb_generated (atoi (nv), 7);
	if (!t)
		return;
	gint64 t0 = g_get_monotonic_time ();
	cli_tag (t, "+cli", "*");
	gint64 cli_us = g_get_monotonic_time () - t0;
	gint64 n = cli_count (t, "tag:cli");

	g_autoptr (TrawlDb) db = open_writable (t);
	t0 = g_get_monotonic_time ();
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, "*", NULL);
	g_autoptr (TrawlTagChange) c = apply (db, ids, "+trawl");
	gint64 trawl_us = g_get_monotonic_time () - t0;
	g_assert_cmpint (cli_count (t, "tag:trawl"), ==, n);
	t0 = g_get_monotonic_time ();
	undo (db, c);
	gint64 undo_us = g_get_monotonic_time () - t0;
	g_test_message ("%" G_GINT64_FORMAT " messages: notmuch tag %.0f ms (%.3f ms/msg), "
			"trawl %.0f ms (%.3f ms/msg), undo %.0f ms",
			n, cli_us / 1000.0, cli_us / 1000.0 / n, trawl_us / 1000.0,
			trawl_us / 1000.0 / n, undo_us / 1000.0);
	g_printerr ("# bench: %" G_GINT64_FORMAT " messages: notmuch tag %.0f ms (%.3f ms/msg), "
		    "trawl %.0f ms (%.3f ms/msg), undo %.0f ms\n",
		    n, cli_us / 1000.0, cli_us / 1000.0 / n, trawl_us / 1000.0,
		    trawl_us / 1000.0 / n, undo_us / 1000.0);
}

/* Every tag with its counts, from the background, equal to notmuch's. */
static void
test_tag_counts (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "basic", NULL);
	g_autoptr (TestDb) t = testdb_new (src);
	if (!t)
		return;
	const char *args[] = { "tag", "+legal", "-unread", "+odd\"q", "--", "from:alice", NULL };
	g_free (testdb_notmuch (t, args));
	g_autoptr (TrawlDb) db = testdb_open (t);
	TrawlTagCounts *tc = trawl_tag_counts_new (db);
	trawl_tag_counts_wait (tc);
	g_assert_cmpuint (trawl_tag_counts_len (tc), ==, 4);
	for (guint i = 0; i < trawl_tag_counts_len (tc); i++) {
		g_autofree char *q = trawl_tag_query (trawl_tag_counts_name (tc, i));
		g_autofree char *qu = g_strdup_printf ("%s and tag:unread", q);
		const char *a1[] = { "count", "--exclude=false", q, NULL };
		const char *a2[] = { "count", "--exclude=false", qu, NULL };
		g_autofree char *n1 = testdb_notmuch (t, a1);
		g_autofree char *n2 = testdb_notmuch (t, a2);
		g_assert_cmpint (trawl_tag_counts_total (tc, i), ==, g_ascii_strtoll (n1, NULL, 10));
		g_assert_cmpint (trawl_tag_counts_unread (tc, i), ==, g_ascii_strtoll (n2, NULL, 10));
		g_assert_cmpint (trawl_tag_counts_total (tc, i), >, 0);
	}
	g_autofree char *quoted = trawl_tag_query ("odd\"q");
	g_assert_cmpstr (quoted, ==, "tag:\"odd\"\"q\"");
	trawl_tag_counts_free (tc);
	/* Freed while still counting: the worker finishes on its own. */
	trawl_tag_counts_free (trawl_tag_counts_new (db));
}

/* ---- real causes: a read-only file system ---- */

/* Runs a command (argv), quietly; TRUE when it exited 0. */
static gboolean
run_quiet (const char *const *argv)
{
	int status = -1;
	if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
			   | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL))
		return FALSE;
	return g_spawn_check_wait_status (status, NULL);
}

/* Makes DIR a read-only bind mount of itself (root, and mounts permitted);
 * FALSE (nothing mounted) otherwise. */
static gboolean
ro_bind (const char *dir)
{
	if (geteuid () != 0)
		return FALSE;
	const char *bind[] = { "mount", "--bind", dir, dir, NULL };
	if (!run_quiet (bind))
		return FALSE;
	const char *ro[] = { "mount", "-o", "remount,ro,bind", dir, NULL };
	if (!run_quiet (ro)) {
		const char *um[] = { "umount", dir, NULL };
		run_quiet (um);
		return FALSE;
	}
	return TRUE;
}

static void
ro_unbind (const char *dir)
{
	const char *um[] = { "umount", dir, NULL };
	g_assert_true (run_quiet (um));
}

/* The database on a read-only file system: said as such, at once, with no
 * waiting for a lock nobody holds. */
static void
test_read_only_fs (void)
{
	g_autoptr (TestDb) t = small_db (3);
	if (!t)
		return;
	if (!ro_bind (t->dir)) {
		g_test_skip ("cannot make a read-only bind mount here (needs root and mount permission)");
		return;
	}
	g_autoptr (TrawlDb) db = open_writable (t);
	int ns[] = { 1, 2 };
	g_autoptr (GPtrArray) ids = ids_of (ns, 2);
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+a", NULL);
	g_autoptr (GError) e = NULL;
	guint64 waits = trawl_db_stats (db)->lock_waits;
	gint64 t0 = g_get_monotonic_time ();
	TrawlTagChange *c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e);
	gint64 took = g_get_monotonic_time () - t0;
	guint64 lock_waits = trawl_db_stats (db)->lock_waits;
	g_clear_pointer (&db, trawl_db_free);
	ro_unbind (t->dir);
	g_assert_null (c);
	g_assert_nonnull (e);
	g_test_message ("error: %s", e->message);
	g_assert_false (g_error_matches (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_LOCKED));
	g_assert_error (e, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED);
	g_assert_nonnull (strstr (e->message, "read-only file system"));
	g_assert_null (strstr (e->message, "locked"));
	g_assert_nonnull (strstr (e->message, "nothing was changed"));
	/* No lock retry (counted, and not the 3 s of retries either). */
	g_assert_cmpuint (lock_waits, ==, waits);
	g_assert_cmpint (took, <, G_USEC_PER_SEC);
	g_assert_cmpint (cli_count (t, "tag:a"), ==, 0);
}

/* The tag counts' worker cannot open the database: the counts say why
 * instead of counting forever. */
static void
test_tag_counts_unopenable (void)
{
	g_autoptr (TestDb) t = small_db (3);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	/* The worker opens a handle of its own: hide Xapian's files from it
	 * (renamed, since chmod stops nothing for root). */
	g_autofree char *x1 = g_build_filename (t->dir, "db", "xapian", NULL);
	g_autofree char *x2 = g_build_filename (t->dir, "db", "xapian.moved", NULL);
	g_assert_cmpint (g_rename (x1, x2), ==, 0);
	TrawlTagCounts *tc = trawl_tag_counts_new (db);
	trawl_tag_counts_wait (tc);
	g_assert_cmpuint (trawl_tag_counts_len (tc), >, 0);
	const char *err = trawl_tag_counts_error (tc);
	g_assert_nonnull (err);
	g_test_message ("error: %s", err);
	g_assert_nonnull (strstr (err, "cannot count"));
	g_assert_null (strchr (err, '\n'));
	for (guint i = 0; i < trawl_tag_counts_len (tc); i++)
		g_assert_cmpint (trawl_tag_counts_total (tc, i), ==, -1);
	trawl_tag_counts_free (tc);
	g_assert_cmpint (g_rename (x2, x1), ==, 0);
	/* Openable again: no error. */
	tc = trawl_tag_counts_new (db);
	trawl_tag_counts_wait (tc);
	g_assert_null (trawl_tag_counts_error (tc));
	g_assert_cmpint (trawl_tag_counts_total (tc, 0), >=, 0);
	trawl_tag_counts_free (tc);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/tags/parse", test_parse);
	g_test_add_func ("/tags/ids", test_ids);
	g_test_add_func ("/tags/apply-undo", test_apply_undo);
	g_test_add_func ("/tags/undo-two-levels", test_undo_two_levels);
	g_test_add_func ("/tags/bulk", test_bulk);
	g_test_add_func ("/tags/killed-midway", test_killed_midway);
	g_test_add_func ("/tags/locked", test_locked);
	g_test_add_func ("/tags/lock-released", test_lock_released);
	g_test_add_func ("/tags/read-only", test_read_only);
	g_test_add_func ("/tags/synchronize-flags", test_synchronize_flags);
	g_test_add_func ("/tags/notmuch-new-not-blocked", test_notmuch_new_not_blocked);
	g_test_add_func ("/tags/counts", test_tag_counts);
	g_test_add_func ("/tags/counts-unopenable", test_tag_counts_unopenable);
	g_test_add_func ("/tags/read-only-fs", test_read_only_fs);
	g_test_add_func ("/tags/bench", test_bench);
	int rc = g_test_run ();
	testdb_free (shared_big);
	return rc;
}
