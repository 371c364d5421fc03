/* xapian.c — everything trawl knows about Xapian below libnotmuch: where
 * notmuch keeps Xapian's files, which file a commit rewrites, which file
 * holds the write lock, and how the errors notmuch passes on are worded.
 * None of it is API: it was read off notmuch 0.37 and Xapian 1.4.22 (the
 * glass backend, Debian 12), and is kept in this one file so that a new
 * notmuch or Xapian is checked here, not searched for.  Nothing here names
 * a UI key or prints. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/statvfs.h>

#include "model-private.h"

char *
trawl_xapian_dir (const char *db_path)
{
	/* database.path apart from the mail root: DB/xapian; else the older
	 * layout, DB/.notmuch/xapian. */
	const char *const candidates[] = { "xapian", ".notmuch/xapian" };
	for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++) {
		char *d = g_build_filename (db_path, candidates[i], NULL);
		if (g_file_test (d, G_FILE_TEST_IS_DIR))
			return d;
		g_free (d);
	}
	return NULL;
}

char *
trawl_xapian_version_file (const char *db_path)
{
	/* glass rewrites "iamglass" on every commit: its inode, size and time
	 * say whether anyone wrote. */
	g_autofree char *dir = trawl_xapian_dir (db_path);
	if (!dir)
		return NULL;
	char *f = g_build_filename (dir, "iamglass", NULL);
	if (g_file_test (f, G_FILE_TEST_EXISTS))
		return f;
	g_free (f);
	return NULL;
}

char *
trawl_xapian_lock_file (const char *xapian_dir)
{
	return xapian_dir ? g_build_filename (xapian_dir, "flintlock", NULL) : NULL;
}

gboolean
trawl_xapian_write_locked (const char *lock_file)
{
	/* libnotmuch opens a writable database with Xapian::DB_RETRY_LOCK, which
	 * waits for the lock without end, so the lock is looked at first
	 * (F_OFD_GETLK sees both the OFD locks Xapian takes and classic fcntl
	 * locks; looking takes none). */
	if (!lock_file)
		return FALSE;
	int fd = open (lock_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	struct flock fl;
	memset (&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	int r = -1;
#ifdef F_OFD_GETLK
	r = fcntl (fd, F_OFD_GETLK, &fl);
	if (r < 0 && errno == EINVAL) {
		memset (&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		r = fcntl (fd, F_GETLK, &fl);
	}
#else
	r = fcntl (fd, F_GETLK, &fl);
#endif
	close (fd);
	return r == 0 && fl.l_type != F_UNLCK;
}

gboolean
trawl_xapian_error_is_lock (const char *message)
{
	/* "Unable to get write lock on ...: already locked" */
	g_autofree char *lower = g_ascii_strdown (message ? message : "", -1);
	return strstr (lower, "lock") != NULL;
}

gboolean
trawl_xapian_read_only_fs (const char *xapian_dir)
{
	/* Writing takes the lock first: Xapian opens flintlock for writing,
	 * which fails with EROFS, and notmuch words that as "Unable to get
	 * write lock", the same as a lock held by another process.  So the
	 * file system is asked before, not the message after. */
	struct statvfs sv;
	if (!xapian_dir || statvfs (xapian_dir, &sv) < 0)
		return FALSE;
	return (sv.f_flag & ST_RDONLY) != 0;
}

gboolean
trawl_xapian_error_is_read_only_fs (const char *message)
{
	/* strerror (EROFS), when notmuch passes it on. */
	return message && strstr (message, g_strerror (EROFS)) != NULL;
}

gboolean
trawl_xapian_error_is_missing (const char *message)
{
	/* "Cannot open database at DB/.notmuch: No such file or directory" */
	return message && strstr (message, "No such file or directory") != NULL;
}

char *
trawl_xapian_query_error_reason (const char *message)
{
	/* "A Xapian exception occurred parsing query: <reason>\nQuery string
	 * was: <query>": the reason after the last "parsing query: ". */
	const char *why = message;
	for (const char *p = message; (p = strstr (p, "parsing query: ")); p++)
		why = p + strlen ("parsing query: ");
	const char *end = strstr (why, "Query string was:");
	char *w = g_strndup (why, end ? (gsize) (end - why) : strlen (why));
	return g_strstrip (w);
}
