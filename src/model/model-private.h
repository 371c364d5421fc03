/* model-private.h — what the model's files share and nobody else sees. */
#ifndef TRAWL_MODEL_PRIVATE_H
#define TRAWL_MODEL_PRIVATE_H

#include <notmuch.h>
#include "trawl/model.h"

struct TrawlDb {
	notmuch_database_t *nm;
	char *path;
	char *config_path;	/* the file notmuch actually read, or NULL */
	char *profile;
	gboolean writable;
	char **exclude_tags;	/* search.exclude_tags, NULL-terminated */
	char *version_file;	/* Xapian's version file, rewritten by every commit */
	char *version_stamp;	/* its inode, size and mtime when last (re)opened */
	/* notmuch query results held open across calls (a thread list's
	 * streams).  A write refuses to start while any is alive: libnotmuch
	 * objects must never span a write (alot's #1460). */
	guint live_iterators;
	/* Counts of queries at a database revision: (query) -> CachedCount. */
	GHashTable *count_cache;
	/* Background counts running: "REVISION\tQUERY" -> job (threadlist.c);
	 * at most one per query and revision, shared by the lists that ask. */
	GHashTable *count_jobs;
	TrawlDbStats stats;
	/* Thread rows read straight from Xapian (xrows.cc), opened on first
	 * use; NULL when it could not be (rows then come from notmuch). */
	struct TrawlXRows *xrows;
	gboolean xrows_tried;
	gboolean xrows_off;	/* TRAWL_NO_XROWS: notmuch does it all */
	/* Counts and date bounds kept between runs (listcache.c). */
	struct TrawlListCache *list_cache;
};
typedef struct TrawlListCache TrawlListCache;

typedef struct {
	unsigned long revision;
	gint64 threads;
	gint64 messages;
} TrawlCachedCount;

/* ---- xapian.c: Xapian's files and words, checked against notmuch 0.37
 * and Xapian 1.4.22; every string below is newly allocated. ---- */
/* The directory of Xapian's tables for database DB_PATH, or NULL. */
char *trawl_xapian_dir (const char *db_path);
/* The file every commit rewrites, or NULL. */
char *trawl_xapian_version_file (const char *db_path);
/* The file that holds the write lock (NULL for a NULL dir). */
char *trawl_xapian_lock_file (const char *xapian_dir);
/* Does another process hold the write lock?  Takes no lock. */
gboolean trawl_xapian_write_locked (const char *lock_file);
/* Does notmuch's MESSAGE say the database is locked / missing? */
gboolean trawl_xapian_error_is_lock (const char *message);
gboolean trawl_xapian_error_is_missing (const char *message);
/* Is XAPIAN_DIR on a read-only file system (statvfs ST_RDONLY)?  Does
 * notmuch's MESSAGE say so (EROFS)?  notmuch reports a read-only file
 * system as a failed write lock, so this is asked before the lock is. */
gboolean trawl_xapian_read_only_fs (const char *xapian_dir);
gboolean trawl_xapian_error_is_read_only_fs (const char *message);
/* The reason in a query parse error, without notmuch's wording around it. */
char *trawl_xapian_query_error_reason (const char *message);

/* datebounds.cc: the dates of the oldest and newest message of the
 * database whose Xapian tables are in XAPIAN_DIR, and how many messages it
 * holds, from Xapian's per-slot value bounds (no pass over the messages
 * unless a directory's mtime is a bound).  FALSE: cannot be told. */
G_BEGIN_DECLS
gboolean trawl_xapian_date_bounds (const char *xapian_dir, gint64 *lo, gint64 *hi, guint64 *messages);
G_END_DECLS

/* xrows.cc: thread rows from Xapian's postings and values, as notmuch
 * 0.37 builds them (lib/thread.cc), for the query "every message" (TAG
 * NULL) or "tag:TAG", with EXCLUDE (search.exclude_tags, TAG not among
 * them) omitted from the matches.  FALSE: cannot be told (notmuch must
 * build the row). */
typedef struct TrawlXRows TrawlXRows;
G_BEGIN_DECLS
TrawlXRows *trawl_xrows_open (const char *xapian_dir);
void trawl_xrows_free (TrawlXRows *x);
/* After a commit: the handle sees the newest revision (FALSE: unusable). */
gboolean trawl_xrows_reopen (TrawlXRows *x);
gboolean trawl_xrows_build (TrawlXRows *x, const char *thread_id, const char *tag, char **exclude,
			    gboolean oldest_first, TrawlThreadRow *row);
guint64 trawl_xrows_messages_read (const TrawlXRows *x);
/* The first K matching messages of the same queries in notmuch's order
 * (NEWEST_FIRST: newest first), one pass over the date values, no sort of
 * every match.  NULL: cannot be told. */
typedef struct TrawlXWalk TrawlXWalk;
TrawlXWalk *trawl_xwalk_start (TrawlXRows *x, const char *tag, char **exclude, gboolean newest_first, guint k);
void trawl_xwalk_free (TrawlXWalk *w);
/* The next thread met (its first message among the K, the thread's other
 * messages stepped over unread): newly allocated *THREAD_ID and that
 * message's *DATE; *STEPPED counts the messages passed.  Past the K, the
 * next 4K from the last one's date.  FALSE: every match walked
 * (_complete), or a failure (not _complete). */
gboolean trawl_xwalk_next (TrawlXRows *x, TrawlXWalk *w, char **thread_id, gint64 *date, guint64 *stepped);
/* Did the K hold every matching message? */
gboolean trawl_xwalk_complete (const TrawlXWalk *w);
/* The dates of the first and the last of the K (FALSE: none). */
gboolean trawl_xwalk_span (const TrawlXWalk *w, gint64 *first, gint64 *last);
guint64 trawl_xwalk_termlists (const TrawlXWalk *w);
/* Passes over the date values so far (the K, then 4K... from where the
 * last K ended: _next goes on by itself). */
guint64 trawl_xwalk_chunks (const TrawlXWalk *w);
/* The list's last threads, from its end inward (newly allocated ids in IDS,
 * their places' dates in DATES, gint64): every thread whose matching
 * messages all lie among the K nearest the far end, past the last one's
 * date.  *EDGE: that date less one (plus one, oldest first): the band walk
 * goes on from there.  *COMPLETE: the K held every match.  FALSE: cannot
 * be told. */
gboolean trawl_xwalk_tail (TrawlXRows *x, const char *tag, char **exclude, gboolean newest_first, guint k,
			   GPtrArray *ids, GArray *dates, gint64 *edge, gboolean *complete,
			   guint64 *stepped, guint64 *termlists);
/* The messages and threads the same queries match, from postings alone
 * (no termlist, a byte per document).  Open the handle, then notmuch's
 * (for its revision), then ask _moved: TRUE when a commit came between
 * (reopen notmuch's and ask again).  _run FALSE: cancelled or failed. */
typedef struct TrawlXCount TrawlXCount;
TrawlXCount *trawl_xcount_open (const char *xapian_dir);
void trawl_xcount_free (TrawlXCount *c);
gboolean trawl_xcount_moved (TrawlXCount *c);
gboolean trawl_xcount_run (TrawlXCount *c, const char *tag, char **exclude, gint64 *threads, gint64 *messages,
			   gboolean (*cancelled) (gpointer user), gpointer user);
G_END_DECLS

TrawlXRows *trawl_db_xrows (TrawlDb *db);

/* threadvalues.cc: the date, From and Subject of every message of thread
 * THREAD_ID as notmuch stores them, by message id (-> TrawlThreadValues *),
 * read by one pass over each value stream; NULL when they cannot be told,
 * or when Xapian's handle sees another revision than REVISION (the notmuch
 * handle's).  A NULL from or subject: notmuch has to be asked. */
typedef struct {
	gint64 date;
	char *from;
	char *subject;
} TrawlThreadValues;
G_BEGIN_DECLS
GHashTable *trawl_xapian_thread_values (const char *xapian_dir, const char *thread_id, unsigned long revision);
G_END_DECLS

/* The database's revision as the read handle sees it. */
unsigned long trawl_db_revision (TrawlDb *db);

notmuch_query_t *trawl_db_make_query (TrawlDb *db, const char *query,
				      notmuch_sort_t sort, GError **error);
void trawl_db_set_error (TrawlDb *db, notmuch_status_t st, const char *query, GError **error);
/* Sets ERROR for a query that failed with ST, with notmuch's own words for it. */
void trawl_db_query_error (TrawlDb *db, notmuch_status_t st, const char *query, GError **error);

/* Joins TAGS with single spaces; sets *UNREAD when one of them is "unread"
 * (UNREAD may be NULL).  Newly allocated.  TAGS is left to its owner's
 * talloc context (the message or thread), freed with it at once:
 * destroying each tag list on its own costs talloc a walk through its
 * siblings, O(n^2) over a thread (thread.c). */
char *trawl_tags_join (notmuch_tags_t *tags, gboolean *unread);

/* Turns CR and LF into spaces and trims: notmuch's messages span lines,
 * trawl's error lines must not. */
void trawl_strip_newlines (char *s);

#endif
