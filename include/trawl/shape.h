/* shape.h — the archive's shape index: what notmuch does not keep.
 *
 * notmuch stores From but not To, Cc or Bcc.  The shape index holds, for
 * every message of a database, the mailboxes of its From, To, Cc and Bcc
 * headers (parsed by GMime, display names decoded from RFC 2047 or any raw
 * charset), read from the message files' headers; and for the messages
 * notmuch tagged "attachment" when it indexed them (those with a part of
 * Content-Disposition: attachment), every attachment (trawl/mime.h's
 * TrawlPart.is_attachment parts): its decoded file name, MIME type, decoded
 * size, SHA-256 and part number (trawl_mime_save_part's) — read from the
 * whole file, each attachment decoded once.  Other messages' bodies are
 * never read.
 *
 * Where it lives: ARCHIVE/shape.idx for an archive made by `trawl import`
 * (the database is ARCHIVE/db and ARCHIVE/manifest.jsonl is there), else
 * $XDG_CACHE_HOME/trawl/shape-UUID.idx, UUID the database's.  TRAWL_SHAPE_CACHE
 * overrides both (tests).  The file says the database's UUID and the revision
 * (notmuch_database_get_revision) it was brought up to; on open, only the
 * messages changed since (notmuch's lastmod:REV..) are looked at, and only
 * those whose first file changed are read again.  A message that left the
 * database stays in the file (it is never looked up again: every use joins
 * from a notmuch query).  A file that is truncated, corrupt, of another
 * version or of another database is rebuilt, and the reason said.
 *
 * In the model (src/model/shape.c): knows libnotmuch, GMime only through
 * trawl/mime.h, and GLib; never curses.
 * Everything that grows with the archive runs on a thread of its own with a
 * read-only database handle of its own, with progress, and stops when the
 * job is freed. */
#ifndef TRAWL_SHAPE_H
#define TRAWL_SHAPE_H

#include <glib.h>
#include "trawl/model.h"

G_BEGIN_DECLS

/* Counts of the work done in this process (TRAWL_STATS, tests). */
typedef struct {
	guint64 files_read;	/* message files opened and parsed */
	guint64 unreadable;	/* messages whose file could not be read */
	guint64 builds;		/* indexes built from nothing */
	guint64 updates;	/* indexes brought up to date from a cache file */
	guint64 loads;		/* cache files loaded */
	guint64 saves;		/* cache files written */
	guint64 counts;		/* queries counted or listed whole (a job's pass over the query) */
	guint64 patch_skips;	/* tag changes that could not change a count (no tag of the query) */
	guint64 patches;	/* tag changes patched into counts or rows */
	guint64 patch_messages;	/* touched messages looked at by those patches */
	guint64 patch_queries;	/* notmuch counts they ran (one per touched message) */
	guint64 recounts;	/* tag changes too big to patch: counted anew */
} TrawlShapeStats;
void trawl_shape_stats (TrawlShapeStats *out);
/* "shape_NAME N" lines, newly allocated. */
char *trawl_shape_stats_text (void);

/* The cache file for the database at DB_PATH whose UUID is UUID (newly
 * allocated). */
char *trawl_shape_cache_path (const char *db_path, const char *uuid);

/* ---- correspondents of a query --------------------------------------- */

typedef enum {
	TRAWL_CORR_SENT,	/* people by messages sent */
	TRAWL_CORR_RECEIVED,	/* people by messages received */
	TRAWL_CORR_PAIRS,	/* sender -> recipient, by messages */
} TrawlCorrMode;

typedef struct {
	const char *key;	/* the address (or domain), lower case */
	const char *names;	/* the display names seen, most frequent first, " / " between; "" when none */
	const char *key2;	/* pairs: the recipient's address (or domain) */
	const char *names2;
	guint count;
} TrawlCorrRow;

typedef struct TrawlCorr TrawlCorr;

typedef enum {
	TRAWL_CORR_OPENING,	/* reading the cache file */
	TRAWL_CORR_READING,	/* reading message files (done/total) */
	TRAWL_CORR_COUNTING,	/* counting the query's messages (done/total) */
	TRAWL_CORR_DONE,
	TRAWL_CORR_FAILED,
} TrawlCorrPhase;

/* Starts bringing the shape index of DB up to date and counting the
 * correspondents of QUERY's messages (search.exclude_tags not applied), on
 * a thread of its own.  Nothing is done on the caller's thread.  The caller
 * frees it (trawl_corr_free), which stops the work. */
TrawlCorr *trawl_corr_new (TrawlDb *db, const char *query);
void trawl_corr_free (TrawlCorr *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlCorr, trawl_corr_free)
const char *trawl_corr_query (const TrawlCorr *c);

/* Readable when the phase or progress changed; collect() drains it (TRUE:
 * news).  -1 once done. */
int trawl_corr_wake_fd (const TrawlCorr *c);
gboolean trawl_corr_collect (TrawlCorr *c);
/* Blocks until done or failed (tests, benchmarks). */
void trawl_corr_wait (TrawlCorr *c);

TrawlCorrPhase trawl_corr_phase (const TrawlCorr *c, guint64 *done, guint64 *total);
/* Why it failed, or a notice about the index ("the shape index ... was
 * corrupt: rebuilt"), or NULL.  Valid once done or failed. */
const char *trawl_corr_error (const TrawlCorr *c);
const char *trawl_corr_notice (const TrawlCorr *c);
/* Once done: messages the query matched, and how many of them had a file
 * that could not be read (counted, shown, never fatal). */
guint64 trawl_corr_messages (const TrawlCorr *c);
guint64 trawl_corr_unreadable (const TrawlCorr *c);

/* Once done: the rows of MODE, biggest count first (ties by key), grouped
 * by domain when BY_DOMAIN; for pairs, only those where PERSON (an address,
 * or a domain when BY_DOMAIN; NULL: anyone) is the sender (OUTGOING) or the
 * recipient.  The array (TrawlCorrRow *) is the caller's; its rows' strings
 * live as long as C. */
GPtrArray *trawl_corr_rows (TrawlCorr *c, TrawlCorrMode mode, gboolean by_domain,
			    const char *person, gboolean outgoing);

/* The query that narrows to ROW: from:X (sent), to:X (received: notmuch's
 * to: covers To, Cc and Bcc), from:X and to:Y (pairs); a domain as
 * from:"example.org".  Newly allocated. */
char *trawl_corr_row_query (TrawlCorrMode mode, gboolean by_domain, const TrawlCorrRow *row);

/* ---- attachments of a query ------------------------------------------ */

typedef struct {
	const char *name;	/* the decoded file name as the message gives it ("" when none); not sanitised */
	const char *safe_name;	/* trawl_mime_safe_filename's: what saving writes */
	const char *type;	/* "application/pdf" */
	guint64 size;		/* decoded bytes */
	const char *sha256;	/* 64 lower-case hex digits */
	int part;		/* trawl_mime_save_part's part number in FILE */
	const char *sender;	/* the sender's address ("" when none) */
	const char *sender_name;	/* the sender's display name ("" when none) */
	gint64 date;		/* the message's (notmuch's) */
	const char *message_id, *thread_id;
	const char *file;	/* the message's file */
	/* Grouped rows (same SHA-256): the first sent stands for the group. */
	guint count;		/* times sent (1 when not grouped) */
	guint senders;		/* different senders among them */
} TrawlAttRow;

typedef enum {
	TRAWL_ATT_SORT_DATE,	/* newest first */
	TRAWL_ATT_SORT_NAME,	/* A to Z (case folded) */
	TRAWL_ATT_SORT_TYPE,
	TRAWL_ATT_SORT_SIZE,	/* biggest first */
	TRAWL_ATT_SORT_SENDER,
	TRAWL_ATT_SORT_SHA256,
	TRAWL_ATT_SORT_COUNT,	/* most sent first */
	TRAWL_ATT_SORT_N_
} TrawlAttSort;
/* "date", "name", ...  */
const char *trawl_att_sort_name (TrawlAttSort sort);

typedef struct TrawlAtts TrawlAtts;

/* Starts bringing the shape index of DB up to date and listing the
 * attachments of QUERY's messages (only those tagged attachment are looked
 * at), on a thread of its own, as trawl_corr_new does; the phases are
 * TrawlCorrPhase's (COUNTING: listing).  The caller frees it, which stops
 * the work. */
TrawlAtts *trawl_atts_new (TrawlDb *db, const char *query);
void trawl_atts_free (TrawlAtts *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlAtts, trawl_atts_free)
const char *trawl_atts_query (const TrawlAtts *a);
int trawl_atts_wake_fd (const TrawlAtts *a);
gboolean trawl_atts_collect (TrawlAtts *a);
void trawl_atts_wait (TrawlAtts *a);
TrawlCorrPhase trawl_atts_phase (const TrawlAtts *a, guint64 *done, guint64 *total);
const char *trawl_atts_error (const TrawlAtts *a);
const char *trawl_atts_notice (const TrawlAtts *a);
/* Once done: the messages QUERY matched; how many of those with
 * attachments could not be read (their file is gone or unreadable). */
guint64 trawl_atts_messages (const TrawlAtts *a);
guint64 trawl_atts_unreadable (const TrawlAtts *a);

/* Once done: the attachments whose name or type contains FILTER (case
 * folded; NULL or "": all), one row each, or one row per SHA-256 when
 * GROUPED; sorted by SORT (REVERSE: the other way), ties by date, message
 * and part.  The array (TrawlAttRow *) is the caller's; its strings live as
 * long as A. */
GPtrArray *trawl_atts_rows (TrawlAtts *a, gboolean grouped, const char *filter,
			    TrawlAttSort sort, gboolean reverse);

/* ---- after trawl's own tag change (trawl/tags.h) ---------------------- */

typedef enum {
	TRAWL_SHAPE_PATCH_SKIPPED,	/* no changed tag occurs in the query or search.exclude_tags
					 * (nor "attachment", for attachments): nothing can change */
	TRAWL_SHAPE_PATCH_PATCHED,	/* each touched message's contribution was taken away or added */
	TRAWL_SHAPE_PATCH_RECOUNT,	/* too many messages touched, or not counted yet: the caller
					 * counts anew in the background (trawl_corr_new) */
} TrawlShapePatch;

/* More touched messages than this are counted anew, not patched. */
#define TRAWL_SHAPE_PATCH_MAX 5000

/* After CHANGE was applied to DB (whose read handle sees the new tags),
 * on the caller's thread, O(touched messages), never a pass over the query
 * and never a file read: a touched message matched before when it was
 * counted (the job keeps the ids it counted); it matches after when
 * `id:X and (QUERY)` counts 1 with search.exclude_tags.  Its mailboxes
 * (attachments), from the shape index, are added to or taken from the
 * counts (rows).  Rows from trawl_corr_rows (trawl_atts_rows) must be asked
 * again afterwards. */
TrawlShapePatch trawl_corr_patch (TrawlCorr *c, TrawlDb *db, const TrawlTagChange *change);
TrawlShapePatch trawl_atts_patch (TrawlAtts *a, TrawlDb *db, const TrawlTagChange *change);

/* ---- the index itself, on the caller's thread (tests, benchmarks) ------ */

typedef struct {
	guint64 messages;	/* messages the index holds */
	guint64 read;		/* files read by this call */
	guint64 unreadable;	/* messages of the database whose file could not be read */
	gboolean built;		/* built from nothing (no cache, or a bad one) */
	guint64 attachments;	/* attachments the index holds (of the messages it holds) */
	char *notice;		/* why a cache file was not used, or NULL; the caller frees it */
} TrawlShapeResult;

/* Brings the cache file of DB's database up to date (building it when
 * missing or bad), the way trawl_corr_new does, through a read-only handle
 * of its own.  FALSE with ERROR when the database cannot be opened or the
 * file cannot be written. */
gboolean trawl_shape_update (TrawlDb *db, TrawlShapeResult *res, GError **error);

G_END_DECLS

#endif
