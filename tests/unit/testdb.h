/* testdb.h — real notmuch databases for unit tests, built by the notmuch CLI
 * in a temporary directory. */
#ifndef TRAWL_TESTDB_H
#define TRAWL_TESTDB_H

#include <glib.h>

typedef struct {
	char *dir;		/* the temporary directory */
	char *mail;		/* dir/mail */
	char *config;		/* dir/notmuch-config */
} TestDb;

/* Copies maildir SRC (or, when SRC is NULL, nothing) into a new temp dir,
 * writes a config and runs notmuch new.  NULL (test skipped) when notmuch is
 * missing. */
TestDb *testdb_new (const char *src);
/* Generates N messages with the project's generator (seed SEED) and indexes
 * them.  NULL (test skipped) when the generator or notmuch is missing. */
TestDb *testdb_generated (int n, int seed);
/* Runs notmuch with the database's config; returns stdout, asserting success. */
char *testdb_notmuch (TestDb *t, const char *const *args);
void testdb_free (TestDb *t);
/* Opens the database through the model (read-only), asserting success. */
struct TrawlDb *testdb_open (TestDb *t);
/* The same, allowing tag changes when WRITABLE. */
struct TrawlDb *testdb_open_mode (TestDb *t, gboolean writable);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDb, testdb_free)

/* The source tree (for fixtures). */
const char *testdb_srcdir (void);

#endif
