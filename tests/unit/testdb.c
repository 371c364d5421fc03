/* testdb.c — see testdb.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "trawl/model.h"
#include "testdb.h"

const char *
testdb_srcdir (void)
{
	const char *s = g_getenv ("abs_top_srcdir");
	if (!s)
		s = g_getenv ("srcdir");
	return s ? s : ".";
}

static const char *
notmuch_bin (void)
{
	const char *nm = g_getenv ("NOTMUCH");
	return nm && *nm ? nm : "notmuch";
}

static gboolean
run (char **argv, char **out, GError **error)
{
	int status = 0;
	g_autofree char *err = NULL;
	if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, error))
		return FALSE;
	if (!g_spawn_check_wait_status (status, error)) {
		g_prefix_error (error, "%s: %s", argv[0], err ? err : "");
		return FALSE;
	}
	return TRUE;
}

static void
copy_tree (const char *src, const char *dst)
{
	char *argv[] = { (char *) "cp", (char *) "-r", (char *) src, (char *) dst, NULL };
	g_autoptr (GError) e = NULL;
	g_assert_true (run (argv, NULL, &e));
	char *chmod_argv[] = { (char *) "chmod", (char *) "-R", (char *) "u+w", (char *) dst, NULL };
	g_assert_true (run (chmod_argv, NULL, &e));
}

static TestDb *
testdb_prepare (void)
{
	if (!g_find_program_in_path (notmuch_bin ())) {
		g_test_skip ("notmuch is not installed");
		return NULL;
	}
	TestDb *t = g_new0 (TestDb, 1);
	g_autoptr (GError) e = NULL;
	t->dir = g_dir_make_tmp ("trawl-test-XXXXXX", &e);
	g_assert_no_error (e);
	t->mail = g_build_filename (t->dir, "mail", NULL);
	t->config = g_build_filename (t->dir, "notmuch-config", NULL);
	g_autofree char *db = g_build_filename (t->dir, "db", NULL);
	g_mkdir_with_parents (db, 0700);
	g_autofree char *cfg = g_strdup_printf (
		"[database]\npath=%s\nmail_root=%s\n"
		"[new]\ntags=unread;inbox;\n"
		"[maildir]\nsynchronize_flags=false\n"
		"[search]\nexclude_tags=deleted;spam;\n"
		"[user]\nname=Test User\nprimary_email=test@example.org\n", db, t->mail);
	g_assert_true (g_file_set_contents (t->config, cfg, -1, NULL));
	return t;
}

static void
testdb_index (TestDb *t)
{
	const char *args[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (t, args));
}

TestDb *
testdb_new (const char *src)
{
	TestDb *t = testdb_prepare ();
	if (!t)
		return NULL;
	if (src)
		copy_tree (src, t->mail);
	else
		g_mkdir_with_parents (t->mail, 0700);
	testdb_index (t);
	return t;
}

TestDb *
testdb_generated (int n, int seed)
{
	const char *gen = g_getenv ("TRAWL_GEN_CORPUS");
	if (!gen || !g_file_test (gen, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip ("the corpus generator (TRAWL_GEN_CORPUS) is not built");
		return NULL;
	}
	TestDb *t = testdb_prepare ();
	if (!t)
		return NULL;
	g_autofree char *ns = g_strdup_printf ("%d", n);
	g_autofree char *ss = g_strdup_printf ("%d", seed);
	char *argv[] = { (char *) gen, (char *) "-o", t->mail, (char *) "-n", ns,
			 (char *) "--seed", ss, (char *) "--quiet", NULL };
	g_autoptr (GError) e = NULL;
	g_assert_true (run (argv, NULL, &e));
	testdb_index (t);
	return t;
}

char *
testdb_notmuch (TestDb *t, const char *const *args)
{
	GPtrArray *argv = g_ptr_array_new ();
	g_ptr_array_add (argv, (gpointer) notmuch_bin ());
	g_autofree char *cfg = g_strdup_printf ("--config=%s", t->config);
	g_ptr_array_add (argv, cfg);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add (argv, (gpointer) *a);
	g_ptr_array_add (argv, NULL);
	char *out = NULL;
	g_autoptr (GError) e = NULL;
	gboolean ok = run ((char **) argv->pdata, &out, &e);
	g_ptr_array_free (argv, TRUE);
	g_assert_no_error (e);
	g_assert_true (ok);
	return out;
}

void
testdb_free (TestDb *t)
{
	if (!t)
		return;
	char *argv[] = { (char *) "rm", (char *) "-rf", t->dir, NULL };
	run (argv, NULL, NULL);
	g_free (t->dir);
	g_free (t->mail);
	g_free (t->config);
	g_free (t);
}

TrawlDb *
testdb_open (TestDb *t)
{
	return testdb_open_mode (t, FALSE);
}

TrawlDb *
testdb_open_mode (TestDb *t, gboolean writable)
{
	TrawlDbOptions o = { t->config, NULL, writable };
	g_autoptr (GError) e = NULL;
	TrawlDb *db = trawl_db_open (&o, &e);
	g_assert_no_error (e);
	g_assert_nonnull (db);
	return db;
}
