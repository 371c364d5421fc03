/* listcache.h — what a thread list's first screen would otherwise pay for
 * again on every run: the counts of a query (threads, messages) and the
 * database's date bounds, kept on disk between runs (listcache.c).
 *
 * Model-private: knows the TrawlDb, never curses.  Every miss is silent: a
 * missing, corrupt or unwritable cache file only costs the work it would
 * have saved. */
#ifndef TRAWL_LISTCACHE_H
#define TRAWL_LISTCACHE_H

#include <glib.h>
#include "model-private.h"

G_BEGIN_DECLS

/* The state of the database the cache keys name: notmuch's uuid and
 * revision (the read handle's), and Xapian's lastdocid and document count. */
typedef struct {
	char *uuid;
	unsigned long revision;
	guint64 lastdocid;
	guint64 doccount;
} TrawlDbStamp;

/* The stamp of DB as it is now (its read handle's revision; Xapian's
 * figures read once per open/reopen).  FALSE: cannot be told (no caching). */
gboolean trawl_list_cache_stamp (TrawlDb *db, const TrawlDbStamp **stamp);

/* Counts of QUERY (DB's exclude tags) at STAMP's revision.  FALSE: a miss. */
gboolean trawl_list_cache_get_counts (TrawlDb *db, const char *query,
				      gint64 *threads, gint64 *messages);
/* Remembers them, when counted at REVISION of database UUID (the handle that
 * counted): kept only when that is the revision DB's stamp names. */
void trawl_list_cache_put_counts (TrawlDb *db, const char *uuid, unsigned long revision,
				  const char *query, gint64 threads, gint64 messages);

/* The date bounds of DB (trawl_xapian_date_bounds' answer): from the
 * process's memory, then from the disk cache, then from Xapian (and then
 * stored in both).  FALSE as trawl_xapian_date_bounds. */
gboolean trawl_list_cache_date_bounds (TrawlDb *db, gint64 *lo, gint64 *hi, guint64 *messages);

/* Forgets what DB's process memory holds (after a reopen). */
void trawl_list_cache_forget (TrawlDb *db);
/* Frees DB's cache state (trawl_db_free). */
void trawl_list_cache_free (TrawlDb *db);

/* The cache file for DB (newly allocated): $XDG_CACHE_HOME/trawl/lists-HASH. */
char *trawl_list_cache_file (TrawlDb *db);

/* datebounds.cc: Xapian's last document id and document count of the
 * database in XAPIAN_DIR.  FALSE: cannot be told. */
gboolean trawl_xapian_doc_stamp (const char *xapian_dir, guint64 *lastdocid, guint64 *doccount);

G_END_DECLS

#endif
