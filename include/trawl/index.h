/* index.h — adding message files to a notmuch database, in atomic batches.
 * Knows libnotmuch and GLib; never curses.  Used by `trawl import`.
 *
 * A batch is one read-write handle: opened (the database created when the
 * directory holds none), files indexed and tagged inside one atomic section,
 * then closed, which commits.  A process killed during a batch leaves the
 * database as it was before the batch: nothing half-indexed. */
#ifndef TRAWL_INDEX_H
#define TRAWL_INDEX_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct TrawlIndexBatch TrawlIndexBatch;

typedef enum {
	TRAWL_INDEXED_NEW,		/* a message the database did not have */
	TRAWL_INDEXED_SAME_ID,		/* a new file of a message already there (same Message-ID, other bytes) */
	TRAWL_INDEXED_ALREADY,		/* this very file was indexed before (a resumed import) */
	TRAWL_INDEXED_NOT_MAIL,		/* notmuch refused the file as not mail */
} TrawlIndexResult;

/* Opens CONFIG_PATH's database for writing, creating it in DB_PATH when the
 * directory holds no database yet.  Blocks while another process holds the
 * write lock.  NULL with ERROR on failure.  The batch is the caller's until
 * it is committed or abandoned (either frees it). */
TrawlIndexBatch *trawl_index_batch_begin (const char *config_path, const char *db_path, GError **error);

/* Indexes PATH (absolute, under the config's mail_root); FRESH: the file was
 * just written, so the database cannot have it yet (one lookup saved).  A new message gets
 * notmuch's new.tags and EXTRA_TAGS; a message the database already had
 * gets EXTRA_TAGS only.  *MESSAGE_ID (may be NULL) receives the message's
 * id, newly allocated.  FALSE with ERROR when the database failed: the batch
 * must then be abandoned. */
gboolean trawl_index_batch_add (TrawlIndexBatch *b, const char *path, gboolean fresh,
				const char *const *extra_tags, TrawlIndexResult *result, char **message_id,
				GError **error);

/* Ends the atomic section and closes the handle, which commits.  Frees B
 * whatever happens; FALSE with ERROR when the commit failed (then nothing of
 * the batch is in the database). */
gboolean trawl_index_batch_commit (TrawlIndexBatch *b, GError **error);

/* Drops B and everything it added (nothing is committed). */
void trawl_index_batch_abandon (TrawlIndexBatch *b);

/* Tags of the message that has file PATH in the notmuch database of
 * CONFIG_PATH (read-only), or NULL; for importing an existing notmuch
 * archive with its tags.  Opened once per call of _open, closed by _close. */
typedef struct TrawlTagReader TrawlTagReader;
TrawlTagReader *trawl_tag_reader_open (const char *config_path, const char *db_path, GError **error);
/* The caller owns the array and its strings. */
GPtrArray *trawl_tag_reader_tags (TrawlTagReader *r, const char *path);
void trawl_tag_reader_close (TrawlTagReader *r);

G_END_DECLS

#endif
