/* batch.h — a batch of search terms counted within a query.
 *
 * A list of terms (names, addresses, keywords, any notmuch query), each
 * counted as `(QUERY) and (TERM)`: its messages and its threads, as
 * `notmuch count` and `notmuch count --output=threads` give them
 * (search.exclude_tags honoured).  The terms are there at once; the counts
 * arrive from a thread of its own with a read-only database handle of its
 * own: first every term's messages, then every term's threads.  A term that
 * is not a valid query gets notmuch's message on its own, and the others
 * are counted all the same.  Freeing the batch cancels the counting (the
 * worker stops after the term it is on).
 *
 * GLib and libnotmuch only: never curses. */
#ifndef TRAWL_BATCH_H
#define TRAWL_BATCH_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

/* The terms of TEXT: one a line (and, when SEMICOLONS, also split at ';'),
 * blanks around them trimmed; empty lines and lines starting with '#' (after
 * blanks) are left out.  The caller owns the array (it frees the strings). */
GPtrArray *trawl_batch_parse (const char *text, gboolean semicolons);
/* The terms of the file PATH ("~/" is the home directory), as
 * trawl_batch_parse (TEXT, FALSE); NULL with ERROR when it cannot be read. */
GPtrArray *trawl_batch_read_file (const char *path, GError **error);

/* `(CURRENT) and (TERM)`; TERM alone when CURRENT is "*" or empty (notmuch
 * takes "*" only as the whole query).  Newly allocated. */
char *trawl_query_and (const char *current, const char *term);

typedef struct TrawlBatch TrawlBatch;

/* Starts counting each of TERMS (char *, copied) within QUERY.  The caller
 * frees the result (trawl_batch_free), before DB. */
TrawlBatch *trawl_batch_new (TrawlDb *db, const char *query, GPtrArray *terms);
void trawl_batch_free (TrawlBatch *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlBatch, trawl_batch_free)

guint trawl_batch_len (const TrawlBatch *b);
const char *trawl_batch_term (const TrawlBatch *b, guint i);
/* The query of term I: `(QUERY) and (TERM)` (trawl_query_and); owned by B. */
const char *trawl_batch_query (const TrawlBatch *b, guint i);
/* -1 while not counted (or when the term failed). */
gint64 trawl_batch_messages (const TrawlBatch *b, guint i);
gint64 trawl_batch_threads (const TrawlBatch *b, guint i);
/* Why term I could not be counted (notmuch's message, one line), or NULL. */
const char *trawl_batch_term_error (const TrawlBatch *b, guint i);
/* Terms whose counting is over: both counts there, or an error. */
guint trawl_batch_done (const TrawlBatch *b);
/* Why nothing will be counted (the worker could not open the database),
 * one line; NULL while counting or when counting works. */
const char *trawl_batch_error (const TrawlBatch *b);
/* Readable when more counts arrived; collect() drains it (TRUE: news). */
int trawl_batch_wake_fd (const TrawlBatch *b);
gboolean trawl_batch_collect (TrawlBatch *b);
/* Blocks until every term is counted (tests, benchmarks). */
void trawl_batch_wait (TrawlBatch *b);

/* The order to show terms in by their counts: most messages first, then
 * those not counted yet, then the failed ones; ties in file order.  Fills
 * ORDER (guint, resized to the batch's length) with term indices. */
void trawl_batch_sort_by_count (const TrawlBatch *b, GArray *order);

/* After trawl's own tag CHANGE (trawl/tags.h): the terms whose text names
 * one of its tags are recounted (messages and threads), or every term when
 * the batch's query names one or one is in search.exclude_tags (*EVERY
 * says so); nothing when no count can have moved (counted by
 * trawl_batch_patches_skipped_all).  A worker of its own (read-only
 * handle) recounts them once the first counting is over; meanwhile they
 * keep their old counts and trawl_batch_updating says so.  Returns how many
 * terms are being recounted. */
guint trawl_batch_patch (TrawlBatch *b, const TrawlTagChange *change, gboolean *every);
gboolean trawl_batch_updating (const TrawlBatch *b, guint i);
/* Terms waiting for a recount. */
guint trawl_batch_patching (const TrawlBatch *b);
/* Terms recounted after tag changes: by B; in the whole process; and the
 * tag changes every batch skipped. */
guint trawl_batch_recounts (const TrawlBatch *b);
guint trawl_batch_recounts_all (void);
guint trawl_batch_patches_skipped_all (void);
/* Blocks until every recount is done (tests). */
void trawl_batch_wait_patched (TrawlBatch *b);

G_END_DECLS

#endif
