/* timeline.h — how many messages of a query fall in each year, month, week
 * or day.  Knows libnotmuch and GLib; never curses.
 *
 * Buckets are in local time (TZ): a month runs from the 1st, 00:00 local, to
 * the next 1st; a week from Monday 00:00 (ISO 8601).  A bucket [START, END)
 * is the notmuch term date:@START..@END-1 (both ends inclusive and exact in
 * notmuch 0.37, whatever the time zone), so counts equal `notmuch count`.
 *
 * Cost: the first and last dates are two sorted searches read to their first
 * message; each bucket is one notmuch_query_count_messages.  All of it runs
 * on a thread of its own with a read-only database handle of its own;
 * buckets fill in as they are counted, and freeing the timeline stops it.
 */
#ifndef TRAWL_TIMELINE_H
#define TRAWL_TIMELINE_H

#include <glib.h>
#include "trawl/model.h"

G_BEGIN_DECLS

typedef enum {
	TRAWL_TIMELINE_YEAR,
	TRAWL_TIMELINE_MONTH,
	TRAWL_TIMELINE_WEEK,
	TRAWL_TIMELINE_DAY,
} TrawlTimelineUnit;

/* No timeline has more buckets than this: a unit that would need more is
 * refused (a message from 1970 beside one from 2024 would make 20,000 day
 * buckets). */
#define TRAWL_TIMELINE_MAX_BUCKETS 5000

/* "year", "month", "week", "day". */
const char *trawl_timeline_unit_name (TrawlTimelineUnit unit);

/* ---- bucket maths (local time) ---- */
/* The start of the bucket that holds T. */
gint64 trawl_timeline_floor (gint64 t, TrawlTimelineUnit unit);
/* The start of the bucket after the one starting at START. */
gint64 trawl_timeline_next (gint64 start, TrawlTimelineUnit unit);
/* How many buckets span FIRST..LAST (both dates inside), stopping once past
 * LIMIT (returns LIMIT + 1 then). */
guint trawl_timeline_span (gint64 first, gint64 last, TrawlTimelineUnit unit, guint limit);
/* The bucket's label: "2022", "2022-03", "2022-02-28 W09", "2022-03-01".
 * Newly allocated. */
char *trawl_timeline_label (gint64 start, TrawlTimelineUnit unit);
/* The notmuch term of [START, END): "date:@START..@END-1".  notmuch stores
 * no date before 1970 (it keeps 0 for them) and parses no negative @N, so
 * START is 0 at the earliest.  Newly allocated. */
char *trawl_timeline_term (gint64 start, gint64 end);
/* QUERY narrowed to [START, END): "(QUERY) and (date:...)", or the term
 * alone when QUERY is "*" (notmuch reads "*" as every message only when it
 * is the whole query).  Newly allocated. */
char *trawl_timeline_narrow (const char *query, gint64 start, gint64 end);

/* ---- a query's timeline, counted in the background ---- */
typedef struct TrawlTimeline TrawlTimeline;

/* Starts counting QUERY (search.exclude_tags honoured, as the thread list
 * does) per UNIT; NEWEST_FIRST: bucket 0 is the newest.  When UNIT would
 * need more than TRAWL_TIMELINE_MAX_BUCKETS, the finest coarser unit that
 * fits is used.  The caller frees it (which stops the counting). */
TrawlTimeline *trawl_timeline_new (TrawlDb *db, const char *query, TrawlTimelineUnit unit,
				   gboolean newest_first);
void trawl_timeline_free (TrawlTimeline *tl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTimeline, trawl_timeline_free)

const char *trawl_timeline_query (const TrawlTimeline *tl);
gboolean trawl_timeline_newest_first (const TrawlTimeline *tl);
/* Is the date range known yet?  (Until it is, there are no buckets.) */
gboolean trawl_timeline_ready (const TrawlTimeline *tl);
/* The query matches nothing (once ready). */
gboolean trawl_timeline_empty (const TrawlTimeline *tl);
/* The dates of the oldest and the newest matching message (once ready). */
gint64 trawl_timeline_first (const TrawlTimeline *tl);
gint64 trawl_timeline_last (const TrawlTimeline *tl);
/* Matching messages in all (once ready), -1 before. */
gint64 trawl_timeline_total (const TrawlTimeline *tl);
/* Why nothing will be counted, one line; NULL while all is well. */
const char *trawl_timeline_error (const TrawlTimeline *tl);

TrawlTimelineUnit trawl_timeline_unit (const TrawlTimeline *tl);
/* The buckets, in display order (0 until ready). */
guint trawl_timeline_len (const TrawlTimeline *tl);
gint64 trawl_timeline_start (const TrawlTimeline *tl, guint i);
gint64 trawl_timeline_end (const TrawlTimeline *tl, guint i);
/* Messages in bucket I, -1 while not counted yet, -2 when notmuch failed to
 * count it (trawl_timeline_count_error says why). */
gint64 trawl_timeline_count (const TrawlTimeline *tl, guint i);
/* Why a bucket could not be counted (the first such reason), or NULL. */
const char *trawl_timeline_count_error (const TrawlTimeline *tl);
/* Buckets counted (or failed) so far. */
guint trawl_timeline_counted (const TrawlTimeline *tl);
/* The bucket (display order) holding T, or the nearest one. */
guint trawl_timeline_find (const TrawlTimeline *tl, gint64 t);

/* Recounts per UNIT (the date range is kept; what was counted for a unit
 * before is kept too, so zooming back costs nothing).  FALSE with ERROR when
 * UNIT needs more than TRAWL_TIMELINE_MAX_BUCKETS buckets, or the range is
 * not known yet: nothing changes. */
gboolean trawl_timeline_set_unit (TrawlTimeline *tl, TrawlTimelineUnit unit, GError **error);

/* Readable when more counts arrived; collect() drains it (TRUE: news). */
int trawl_timeline_wake_fd (const TrawlTimeline *tl);
gboolean trawl_timeline_collect (TrawlTimeline *tl);
/* Blocks until the current unit is counted (tests, benchmarks). */
void trawl_timeline_wait (TrawlTimeline *tl);
/* How many count queries the workers ran (tests pin laziness with it). */
guint trawl_timeline_queries (const TrawlTimeline *tl);
/* In the whole process: timeline workers running, and the queries every
 * timeline ran (tests: a freed timeline's workers stop). */
guint trawl_timeline_workers_alive (void);
guint trawl_timeline_queries_all (void);

/* After trawl's own tag CHANGE (trawl/tags.h).  When none of its tags is
 * named by the query (nor is in search.exclude_tags), no count can have
 * moved: nothing is done (FALSE; counted by trawl_timeline_patches_skipped_all).
 * Else a worker of its own (read-only handle) looks up each touched
 * message's date by id and recounts only the buckets holding them, in every
 * unit laid out, and the total with them: O(touched messages + their
 * buckets), never the whole timeline.  Until a bucket's new count is there
 * it keeps its old one, trawl_timeline_updating says so.  TRUE: started.
 * (A message whose date is outside the range laid out is in no bucket: the
 * range is kept.) */
gboolean trawl_timeline_patch (TrawlTimeline *tl, const TrawlTagChange *change);
/* Bucket I shows its count from before a tag change, its recount due. */
gboolean trawl_timeline_updating (const TrawlTimeline *tl, guint i);
/* Buckets waiting for a tag change's recount (every unit). */
guint trawl_timeline_patching (const TrawlTimeline *tl);
/* Buckets recounted after tag changes: by TL; in the whole process; and the
 * tag changes every timeline skipped (they could not change a count). */
guint trawl_timeline_recounts (const TrawlTimeline *tl);
guint trawl_timeline_recounts_all (void);
guint trawl_timeline_patches_skipped_all (void);
/* A tag change's worker is still running (finding dates or recounting). */
gboolean trawl_timeline_patch_running (const TrawlTimeline *tl);
/* Blocks until every tag change's recount is done (tests). */
void trawl_timeline_wait_patched (TrawlTimeline *tl);

G_END_DECLS

#endif
