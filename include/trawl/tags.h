/* tags.h — changing tags, safely, with undo.  Knows libnotmuch and GLib;
 * never curses.
 *
 * The rules (from alot's and neomutt's bugs, shared/design/anchors.md):
 *  - trawl reads through a read-only handle; a write opens a read-write
 *    handle of its own for just that write, so trawl never holds notmuch's
 *    write lock while the user reads (notmuch new keeps working);
 *  - no query or thread iterator is alive during a write: the caller passes
 *    message ids (collected beforehand), or a query that is run to ids first
 *    and closed before the first tag changes;
 *  - a change to many messages happens inside begin_atomic/end_atomic: if
 *    trawl is killed half-way, none of it is applied;
 *  - every change records the exact previous tags of every message it
 *    touched, so undo restores them, bulk changes included;
 *  - with maildir.synchronize_flags=true (notmuch's config), flags are
 *    synchronised to file names as `notmuch tag` does (files get renamed);
 *  - a database locked by another writer is retried for a while, then
 *    reported with TRAWL_TAG_ERROR_LOCKED and nothing changed.
 */
#ifndef TRAWL_TAGS_H
#define TRAWL_TAGS_H

#include <glib.h>
#include "trawl/model.h"

G_BEGIN_DECLS

#define TRAWL_TAG_ERROR (trawl_tag_error_quark ())
GQuark trawl_tag_error_quark (void);

typedef enum {
	TRAWL_TAG_ERROR_SYNTAX,		/* ops text is not "+tag -tag ..." */
	TRAWL_TAG_ERROR_READ_ONLY,	/* the database was opened with --read-only */
	TRAWL_TAG_ERROR_LOCKED,		/* another process holds the write lock */
	TRAWL_TAG_ERROR_FAILED,
} TrawlTagError;

/* Parsed tag operations: "+todo -inbox +legal". */
typedef struct {
	GPtrArray *add;		/* char * */
	GPtrArray *remove;	/* char * */
} TrawlTagOps;

/* Parses TEXT ("+a -b", tags may be separated by spaces; a bare word means
 * +word).  Rejects empty tags, tags with spaces or control characters, and an
 * empty list. */
TrawlTagOps *trawl_tag_ops_parse (const char *text, GError **error);	/* the caller frees it */
void trawl_tag_ops_free (TrawlTagOps *ops);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTagOps, trawl_tag_ops_free)

/* One applied change, enough to undo it: each touched message's id and its
 * tags before the change. */
void trawl_tag_change_free (TrawlTagChange *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTagChange, trawl_tag_change_free)
/* How many messages the change touched (whose tags actually changed). */
guint trawl_tag_change_count (const TrawlTagChange *c);
/* Message I of the change: its id, its tags before and after (sorted,
 * NULL-terminated; owned by the change). */
const char *trawl_tag_change_id (const TrawlTagChange *c, guint i);
const char *const *trawl_tag_change_before (const TrawlTagChange *c, guint i);
const char *const *trawl_tag_change_after (const TrawlTagChange *c, guint i);
/* The thread message I belongs to. */
const char *trawl_tag_change_thread (const TrawlTagChange *c, guint i);
/* The threads the change touched, each once (char *, owned by the change):
 * what views patch, instead of rebuilding. */
GPtrArray *trawl_tag_change_threads (const TrawlTagChange *c);
/* How many notmuch queries the model holds open right now; a write refuses
 * to start unless it is 0 (thread lists must be suspended first). */
guint trawl_db_live_iterators (const TrawlDb *db);

/* ---- the undo journal: trawl's own changes, newest last --------------- */
typedef struct TrawlJournal TrawlJournal;
TrawlJournal *trawl_journal_new (void);	/* the caller frees it (trawl_journal_free), with its changes */
void trawl_journal_free (TrawlJournal *j);
/* Takes C. */
void trawl_journal_push (TrawlJournal *j, TrawlTagChange *c);
guint trawl_journal_len (const TrawlJournal *j);
/* The newest change, or NULL; owned by the journal. */
const TrawlTagChange *trawl_journal_newest (const TrawlJournal *j);
/* Undoes the newest change in DB and drops it from the journal; returns the
 * change (now the caller's, for patching views and its description) or
 * NULL with ERROR (the journal keeps it: nothing was changed). */
TrawlTagChange *trawl_journal_undo (TrawlJournal *j, TrawlDb *db, GError **error);

/* A short description for messages: "+todo -inbox on 12 messages".  Owned by
 * the change. */
const char *trawl_tag_change_describe (const TrawlTagChange *c);

/* The tags the change added to or removed from any message, each once
 * (char *, newly allocated: the caller frees the array). */
GPtrArray *trawl_tag_change_tags (const TrawlTagChange *c);
/* Can a change of TAGS (NULL-terminated) change what QUERY matches?  TRUE
 * when QUERY names one of them (tag:T, tag:"T, is:T, any case), or uses
 * query: or property: (which may).  Exclusion is the caller's to check
 * (trawl_tags_excluded). */
gboolean trawl_query_mentions_tags (const char *query, const char *const *tags);
/* Is one of TAGS in EXCLUDE (search.exclude_tags)? */
gboolean trawl_tags_excluded (const char *const *tags, char *const *exclude);

/* Called every so often during a long change: DONE of TOTAL messages. */
typedef void (*TrawlTagProgress) (guint done, guint total, gpointer data);

/* Message ids of every message matching QUERY (search.exclude_tags NOT
 * applied: tagging a query tags what it matches).  The query is closed before
 * this returns.  The caller owns the array and its strings. */
GPtrArray *trawl_db_query_message_ids (TrawlDb *db, const char *query, GError **error);
/* Message ids of every message of thread THREAD_ID (the caller owns them). */
GPtrArray *trawl_db_thread_message_ids (TrawlDb *db, const char *thread_id, GError **error);

/* Applies OPS to the messages IDS (char *), atomically.  Returns the change
 * (for undo; its count may be 0 when nothing changed; the caller owns it) or
 * NULL with ERROR, in which case nothing was changed.  Afterwards the read
 * handle of DB is reopened, so reads see the new tags.  Refused while any
 * thread list of DB holds a notmuch stream (suspend them first). */
TrawlTagChange *trawl_db_apply_tags (TrawlDb *db, GPtrArray *ids, const TrawlTagOps *ops,
				     TrawlTagProgress progress, gpointer data, GError **error);

/* Restores the tags every message of CHANGE had before it, atomically.
 * Messages that vanished since are skipped. */
gboolean trawl_db_undo_tags (TrawlDb *db, const TrawlTagChange *change, GError **error);

/* Is the database writable by trawl (not opened with read_only)? */
gboolean trawl_db_writable (const TrawlDb *db);
/* notmuch's maildir.synchronize_flags for this database. */
gboolean trawl_db_synchronize_flags (const TrawlDb *db);

G_END_DECLS

#endif
