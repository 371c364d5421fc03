/* threadlist.c — a notmuch thread search, streamed into a window of rows.
 *
 * Why it is shaped like this (numbers from shared/design/perf-anchors.md):
 * building a notmuch thread summary costs ~47 µs per message of the thread,
 * so building every thread of a 100k archive costs seconds, and
 * notmuch_query_count_threads costs ~2 s.  A list that the user looks at 50
 * rows at a time must build only those 50.
 *
 *  - The head segment streams rows from notmuch_query_search_threads in the
 *    list's order, one row per row asked for.
 *  - The tail segment holds the last rows, found without building the ones in
 *    between (the `G` key): walk the matching *messages* in the opposite date
 *    order (cheap: no thread is built per message) and build a summary only
 *    for each new thread met.  notmuch orders a newest-first thread list by
 *    each thread's newest matching message, so when the walk (oldest first)
 *    has reached date D, no thread not yet met can have its newest match
 *    before D: every candidate whose newest match is before D is certainly
 *    next from the end.  Oldest-first lists are the mirror image.
 *  - When head and tail meet, they merge into one list whose length is known.
 *  - The number of threads is counted on a thread of its own, against a
 *    database handle of its own, and reported through a pipe.
 *  - Memory stays bounded: only rows near the last one asked for keep their
 *    summaries; the rest keep their thread id (17 bytes) and are rebuilt, a
 *    batch per query, when they come back into view.
 *  - A tag change never rebuilds the list.  Before the write the list is
 *    suspended: its notmuch streams are dropped (no notmuch object may live
 *    during a write; the database counts them and refuses), its rows, ids
 *    and sort keys kept.  After it, the rows of the touched threads are
 *    patched (trawl_thread_list_patch).  A suspended stream resumes from its
 *    boundary, not from row 0: the head walks the matching messages from the
 *    sort key of its last row on, building only threads it has not listed;
 *    the tail walks on from the date it had reached.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "model-private.h"
#include "listcache.h"

/* Rows kept with their summary around the last access; the rest are evicted. */
#define ROWS_KEEP_DEFAULT 400
/* Rows rebuilt per query when evicted rows come back into view. */
#define REBUILD_BATCH 64

typedef struct {
	GPtrArray *ids;		/* char *, in the segment's order (interned in tl->chunk) */
	GArray *keys;		/* gint64: each row's sort key (newest or oldest match) */
	GPtrArray *rows;	/* TrawlThreadRow * or NULL when evicted; same length as ids */
	GHashTable *index;	/* id -> position + 1 */
	gboolean done;		/* no more rows can be appended */
} Segment;

/* A background count: shared by the lists of one query at one database
 * revision (and the database's registry, while it runs) and its worker
 * thread; freed by whichever lets go last. */
typedef struct {
	gint ref;
	char *db_path;
	char *query;
	char **exclude_tags;
	char *key;		/* in the database's registry */
	unsigned long revision;	/* of the database the count is of */
	gint64 threads;		/* written by the worker before it signals */
	gint64 messages;
	unsigned long seen_revision;	/* what the worker's own handle saw */
	char *seen_uuid;
	/* Counted from Xapian's postings (xrows.cc) when the query allows:
	 * xcount, and the tag (NULL: every message). */
	gboolean xcount;
	char *xtag;
	volatile gint xcounted;	/* the worker counted from Xapian */
	volatile gint done;
	GMutex lock;		/* guards wakers and listeners */
	GArray *wakers;		/* int: the write ends of the listening lists' pipes */
	guint listeners;	/* lists that want the result; 0: nobody (cancelled) */
} CountJob;

struct TrawlThreadList {
	TrawlDb *db;
	char *query;
	TrawlSort sort;
	GStringChunk *chunk;	/* thread ids */

	notmuch_query_t *head_query;
	notmuch_threads_t *head_threads;
	/* After a suspend: the head goes on by walking messages from its last
	 * row's key (threads already listed, or met by this walk, are skipped). */
	notmuch_query_t *walk_query;
	notmuch_messages_t *walk_msgs;
	GHashTable *walk_met;	/* id -> 1 */
	Segment head;

	notmuch_query_t *tail_query;
	notmuch_messages_t *tail_msgs;
	Segment tail;		/* tail.rows[0] is the last row of the list */
	GPtrArray *candidates;	/* TrawlThreadRow *: met by the walk, not yet placed */
	GHashTable *tail_met;	/* id -> 1: threads the walk has met */
	gboolean tail_started;	/* the tail walk has begun (it resumes from tail_date) */
	gint64 tail_date;	/* the date of the last message the tail walk took */

	gboolean merged;	/* head holds every row; tail is empty */
	gint64 total;		/* threads, -1 unknown */
	gint64 messages;	/* matching messages, -1 unknown */

	CountJob *job;
	/* The count is wanted but not started yet: it starts when the caller
	 * first asks for the wake descriptor (it is about to wait, so its
	 * screen is drawn) or waits for the count, never while the first
	 * screen's rows are being built. */
	gboolean count_pending;
	int wake[2];		/* this list's pipe from the job */
	TrawlSort order;	/* the order the segments are in now: sort, or newest first
				 * while a size order is being worked out */
	struct OrderJob *order_job;	/* that work, on a thread of its own; NULL: none (any more) */
	int order_wake[2];	/* its pipe */
	gsize keep;		/* summaries kept around the last access */
	gsize rows_held;
	gsize rows_built;
	gsize walked;		/* messages the resumed head walk has stepped over */
	unsigned long revision;	/* the database revision the rows are of */

	/* Windowed loading (newest/oldest first): the head walks the matching
	 * messages a date band at a time, the tail loads whole bands from the
	 * other end; no query ever sorts every match.  FALSE: the plain
	 * streams above (a query trawl cannot bracket safely). */
	gboolean windowed;
	gint64 head_lo, head_hi;	/* the head's band (BAND_OPEN_*: unbounded) */
	gint64 head_span;
	gint64 head_first, head_last;	/* dates of the first and last message walked in it */
	guint head_band_new;	/* threads the band has given */
	guint head_band_msgs;	/* messages walked in it */
	gboolean head_resumed;	/* the walk goes on after a suspend (messages_walked counts it) */
	gboolean tail_edge_set;
	gint64 tail_edge;	/* the tail holds every thread whose key lies beyond it */
	gint64 tail_span;
	/* The database's date bounds and message count (datebounds.cc), asked
	 * once: they size the first band of either end, no count query. */
	gboolean bounds_asked, bounds_ok;
	gint64 bounds_lo, bounds_hi;
	guint64 bounds_messages;
	guint head_widened, tail_widened;	/* bands in a row that gave too few threads */
	gboolean tail_plain;	/* the tail gave up bands: it walks the rest (tail_date on) */
	guint widen_max;	/* BAND_WIDEN_MAX (TRAWL_WINDOW_WIDEN_MAX for the tests) */
	/* Rows read from Xapian (xrows.cc) when the query is every message or
	 * one tag that is not excluded: xrows_ok, and the tag (NULL: all). */
	gboolean xrows_ok;
	char *xrows_tag;
	/* The head's first messages from Xapian's matcher (xrows.cc), walked
	 * before any band: NULL once walked out (or never started). */
	TrawlXWalk *xwalk;
	guint xwalk_k, xtail_k;	/* XWALK_K, XTAIL_K (both TRAWL_XWALK_K for the tests) */
};

#define BAND_OPEN_LO G_MININT64
#define BAND_OPEN_HI G_MAXINT64
/* Beyond this a date is "the end of time" (year ~5000). */
#define BAND_FAR ((gint64) 100000000000)
/* Messages the first band of either end should hold at the database's mean
 * density: a screen's worth of threads with room. */
#define EDGE_TARGET 300
/* A band that gave fewer threads than this makes the next one wider. */
#define BAND_WANT 64
/* After this many widenings in a row (a sparse query), the rest is one
 * band: notmuch's sort of what is left, as the plain path does. */
#define BAND_WIDEN_MAX 6
/* Messages the head's first walk (Xapian's matcher) takes from the top: a
 * screen of threads at 1M messages took 1,441 of them. */
#define XWALK_K 4096
/* ...and the tail's (G): a screen of the oldest threads, whole, at 1M
 * messages took 2,048 (each thread met costs a termlist: fewer is cheaper
 * while a screen is still placed; short, the bands go on). */
#define XTAIL_K 2048

/* ---- rows ---------------------------------------------------------------- */

void
trawl_thread_row_free (TrawlThreadRow *row)
{
	if (!row)
		return;
	g_free (row->thread_id);
	g_free (row->authors);
	g_free (row->subject);
	g_free (row->tags);
	g_free (row);
}

static TrawlThreadRow *
row_from_thread (TrawlThreadList *tl, notmuch_thread_t *thread)
{
	TrawlThreadRow *row = g_new0 (TrawlThreadRow, 1);
	const char *s;

	row->thread_id = g_strdup (notmuch_thread_get_thread_id (thread));
	row->newest = notmuch_thread_get_newest_date (thread);
	row->oldest = notmuch_thread_get_oldest_date (thread);
	row->matched = notmuch_thread_get_matched_messages (thread);
	row->total = notmuch_thread_get_total_messages (thread);
	s = notmuch_thread_get_authors (thread);
	row->authors = g_strdup (s ? s : "");
	s = notmuch_thread_get_subject (thread);
	row->subject = g_strdup (s ? s : "");

	row->tags = trawl_tags_join (notmuch_thread_get_tags (thread), NULL);
	tl->rows_built++;
	tl->db->stats.rows_built++;
	return row;
}

/* The row of thread ID read from Xapian's postings and values (xrows.cc),
 * when the list's query allows; NULL: notmuch must build it. */
static TrawlThreadRow *
row_from_xapian (TrawlThreadList *tl, const char *id)
{
	if (!tl->xrows_ok)
		return NULL;
	TrawlXRows *x = trawl_db_xrows (tl->db);
	if (!x)
		return NULL;
	TrawlThreadRow *row = g_new0 (TrawlThreadRow, 1);
	guint64 before = trawl_xrows_messages_read (x);
	if (!trawl_xrows_build (x, id, tl->xrows_tag, tl->db->exclude_tags,
				tl->order == TRAWL_SORT_OLDEST_FIRST, row)) {
		g_free (row);
		return NULL;
	}
	tl->rows_built++;
	tl->db->stats.rows_built++;
	tl->db->stats.rows_xapian++;
	tl->db->stats.xrows_messages += trawl_xrows_messages_read (x) - before;
	return row;
}

/* Can xrows.cc tell this query's rows?  "*" (or nothing), or "tag:T" for a
 * plain tag T that search.exclude_tags does not name (notmuch matches an
 * excluded tag named in the query, yet flags it in the thread). */
static void
xrows_decide (TrawlThreadList *tl)
{
	g_autofree char *q = g_strstrip (g_strdup (tl->query));
	if (!*q || strcmp (q, "*") == 0) {
		tl->xrows_ok = TRUE;
		return;
	}
	if (!g_str_has_prefix (q, "tag:") || !q[4])
		return;
	for (const char *p = q + 4; *p; p++)
		if (!g_ascii_isalnum (*p) && !strchr ("-_./@+", *p))
			return;
	for (char **e = tl->db->exclude_tags; e && *e; e++)
		if (strcmp (*e, q + 4) == 0)
			return;
	tl->xrows_ok = TRUE;
	tl->xrows_tag = g_strdup (q + 4);
}

/* ---- segments ------------------------------------------------------------ */

/* ---- sorts ---------------------------------------------------------------- */

static const char *const sort_names[TRAWL_SORT_COUNT] = {
	"newest-first", "oldest-first", "most-messages", "most-matched", "most-participants",
};

const char *
trawl_sort_name (TrawlSort sort)
{
	return sort < TRAWL_SORT_COUNT ? sort_names[sort] : "newest-first";
}

gboolean
trawl_sort_parse (const char *name, TrawlSort *sort)
{
	for (int i = 0; name && i < TRAWL_SORT_COUNT; i++)
		if (strcmp (name, sort_names[i]) == 0) {
			*sort = (TrawlSort) i;
			return TRUE;
		}
	return FALSE;
}

gboolean
trawl_sort_is_size (TrawlSort sort)
{
	return sort == TRAWL_SORT_MOST_MESSAGES || sort == TRAWL_SORT_MOST_MATCHED ||
	       sort == TRAWL_SORT_MOST_PARTICIPANTS;
}

/* notmuch joins the authors of a thread with ", ", the matched ones first
 * and then "| " and the others, each name once. */
guint
trawl_authors_count (const char *authors)
{
	if (!authors || !*authors)
		return 0;
	guint n = 1;
	for (const char *p = authors; *p; p++)
		if (*p == '|' || (*p == ',' && p[1] == ' '))
			n++;
	return n;
}

/* A row's key in a size order. */
static gint64
size_key (TrawlSort sort, int total, int matched, const char *authors)
{
	switch (sort) {
	case TRAWL_SORT_MOST_MESSAGES:
		return total;
	case TRAWL_SORT_MOST_MATCHED:
		return matched;
	default:
		return trawl_authors_count (authors);
	}
}

/* The key the list is ordered by now: newest match first, oldest first, or
 * a size (largest first). */
static gint64
sort_key (const TrawlThreadList *tl, const TrawlThreadRow *row)
{
	if (trawl_sort_is_size (tl->order))
		return size_key (tl->order, row->total, row->matched, row->authors);
	return tl->order == TRAWL_SORT_OLDEST_FIRST ? row->oldest : row->newest;
}

/* Does key A come before key B in the list's order? */
static gboolean
key_before (const TrawlThreadList *tl, gint64 a, gint64 b)
{
	return tl->order == TRAWL_SORT_OLDEST_FIRST ? a < b : a > b;
}

/* notmuch objects held across calls are counted by the database. */
static void
iter_hold (TrawlThreadList *tl)
{
	tl->db->live_iterators++;
}

static void
iter_drop (TrawlThreadList *tl)
{
	g_assert (tl->db->live_iterators > 0);
	tl->db->live_iterators--;
}

static void
segment_init (Segment *seg)
{
	seg->ids = g_ptr_array_new ();
	seg->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
	seg->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_thread_row_free);
	seg->index = g_hash_table_new (g_str_hash, g_str_equal);
	seg->done = FALSE;
}

static void
segment_clear (Segment *seg)
{
	g_ptr_array_unref (seg->ids);
	g_array_unref (seg->keys);
	g_ptr_array_unref (seg->rows);
	g_hash_table_unref (seg->index);
}

/* Re-points the index at positions FROM.. after an insert or removal. */
static void
segment_reindex (Segment *seg, gsize from)
{
	for (gsize i = from; i < seg->ids->len; i++)
		g_hash_table_insert (seg->index, seg->ids->pdata[i], GSIZE_TO_POINTER (i + 1));
}

static void
segment_remove (TrawlThreadList *tl, Segment *seg, gsize i)
{
	g_hash_table_remove (seg->index, seg->ids->pdata[i]);
	if (seg->rows->pdata[i])
		tl->rows_held--;
	g_ptr_array_remove_index (seg->ids, (guint) i);
	g_array_remove_index (seg->keys, (guint) i);
	g_ptr_array_remove_index (seg->rows, (guint) i);	/* frees the row */
	segment_reindex (seg, i);
}

static void
segment_insert (TrawlThreadList *tl, Segment *seg, gsize i, TrawlThreadRow *row)
{
	char *id = g_string_chunk_insert_const (tl->chunk, row->thread_id);
	gint64 key = sort_key (tl, row);
	g_ptr_array_insert (seg->ids, (gint) i, id);
	g_array_insert_val (seg->keys, (guint) i, key);
	g_ptr_array_insert (seg->rows, (gint) i, row);
	tl->rows_held++;
	segment_reindex (seg, i);
}

static gsize
segment_len (const Segment *seg)
{
	return seg->ids->len;
}

static gssize
segment_find (const Segment *seg, const char *id)
{
	gpointer v = g_hash_table_lookup (seg->index, id);
	return v ? (gssize) GPOINTER_TO_SIZE (v) - 1 : -1;
}

static void
segment_append (TrawlThreadList *tl, Segment *seg, TrawlThreadRow *row)
{
	char *id = g_string_chunk_insert_const (tl->chunk, row->thread_id);
	gint64 key = sort_key (tl, row);
	g_ptr_array_add (seg->ids, id);
	g_array_append_val (seg->keys, key);
	g_ptr_array_add (seg->rows, row);
	g_hash_table_insert (seg->index, id, GSIZE_TO_POINTER (seg->ids->len));
	tl->rows_held++;
}

/* Drops the summaries of rows far from AROUND in SEG once too many are held. */
static void
segment_evict (TrawlThreadList *tl, Segment *seg, gsize around)
{
	if (tl->rows_held <= tl->keep * 2)
		return;
	gsize lo = around > tl->keep / 2 ? around - tl->keep / 2 : 0;
	gsize hi = around + tl->keep / 2;
	for (gsize i = 0; i < seg->rows->len; i++) {
		if (i >= lo && i < hi)
			continue;
		if (seg->rows->pdata[i]) {
			trawl_thread_row_free (seg->rows->pdata[i]);
			seg->rows->pdata[i] = NULL;
			tl->rows_held--;
		}
	}
}

/* The query that matches exactly the threads IDS within the list's query. */
static char *
threads_query (TrawlThreadList *tl, char **ids, gsize n)
{
	GString *q = g_string_new (NULL);
	const char *uq = tl->query;
	/* notmuch reads a lone "*" as "everything" only as the whole query. */
	g_autofree char *trimmed = g_strstrip (g_strdup (uq));
	gboolean all = strcmp (trimmed, "*") == 0 || *trimmed == '\0';
	if (!all)
		g_string_append_printf (q, "(%s) and ", uq);
	g_string_append_c (q, '(');
	for (gsize i = 0; i < n; i++)
		g_string_append_printf (q, "%sthread:%s", i ? " or " : "", ids[i]);
	g_string_append_c (q, ')');
	return g_string_free (q, FALSE);
}

/* Rebuilds the evicted rows near position I of SEG with one query. */
/* The sort of a query that builds rows of a few known threads: notmuch takes
 * a thread's subject from its oldest matching message when the sort is
 * oldest first, else from its newest, so the row must be built with the
 * list's own order to read as notmuch search shows it (the messages of a
 * few threads: sorting them costs nothing). */
static notmuch_sort_t
row_sort (const TrawlThreadList *tl)
{
	return tl->order == TRAWL_SORT_OLDEST_FIRST ? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST;
}

static void
segment_rebuild (TrawlThreadList *tl, Segment *seg, gsize i)
{
	gsize lo = i > REBUILD_BATCH / 2 ? i - REBUILD_BATCH / 2 : 0;
	gsize hi = MIN (segment_len (seg), lo + REBUILD_BATCH);
	g_autoptr (GPtrArray) want = g_ptr_array_new ();
	for (gsize k = lo; k < hi; k++)
		if (!seg->rows->pdata[k])
			g_ptr_array_add (want, seg->ids->pdata[k]);
	if (!want->len)
		return;
	if (tl->xrows_ok) {
		guint left = 0;
		for (guint k = 0; k < want->len; k++) {
			gssize at = segment_find (seg, want->pdata[k]);
			TrawlThreadRow *row = at >= 0 ? row_from_xapian (tl, want->pdata[k]) : NULL;
			if (row) {
				seg->rows->pdata[at] = row;
				tl->rows_held++;
			} else
				want->pdata[left++] = want->pdata[k];
		}
		g_ptr_array_set_size (want, left);
		if (!want->len)
			return;
	}

	g_autofree char *qs = threads_query (tl, (char **) want->pdata, want->len);
	notmuch_query_t *q = trawl_db_make_query (tl->db, qs, row_sort (tl), NULL);
	notmuch_threads_t *threads = NULL;
	if (!q)
		return;
	if (notmuch_query_search_threads (q, &threads) == NOTMUCH_STATUS_SUCCESS) {
		for (; notmuch_threads_valid (threads); notmuch_threads_move_to_next (threads)) {
			notmuch_thread_t *t = notmuch_threads_get (threads);
			if (!t)
				break;
			gssize at = segment_find (seg, notmuch_thread_get_thread_id (t));
			if (at >= 0 && !seg->rows->pdata[at]) {
				seg->rows->pdata[at] = row_from_thread (tl, t);
				tl->rows_held++;
			}
			notmuch_thread_destroy (t);
		}
	}
	notmuch_query_destroy (q);
}

static void segment_remove (TrawlThreadList *tl, Segment *seg, gsize i);

/* The row at I of SEG, rebuilt if it was evicted.  A thread that vanished
 * from the database since it was listed (its messages deleted) leaves the
 * segment, and the next row takes its place; NULL past the segment's end. */
static const TrawlThreadRow *
segment_row (TrawlThreadList *tl, Segment *seg, gsize i)
{
	while (i < segment_len (seg)) {
		if (!seg->rows->pdata[i])
			segment_rebuild (tl, seg, i);
		if (seg->rows->pdata[i]) {
			segment_evict (tl, seg, i);
			return seg->rows->pdata[i];
		}
		segment_remove (tl, seg, i);
		if (tl->merged && tl->total > 0)
			tl->total--;
	}
	return NULL;
}

/* ---- the notmuch streams ------------------------------------------------------ */

/* Drops every notmuch object the list holds; rows, ids and keys stay. */
static void drop_notmuch_streams (TrawlThreadList *tl);

/* ...and Xapian's walk too (a list that starts over or ends). */
static void
drop_streams (TrawlThreadList *tl)
{
	if (tl->xwalk) {
		trawl_xwalk_free (tl->xwalk);
		tl->xwalk = NULL;
	}
	drop_notmuch_streams (tl);
}

/* Xapian's walk (xrows.cc) holds no notmuch object and stays across a
 * write: its handle is reopened with notmuch's after it. */
static void
drop_notmuch_streams (TrawlThreadList *tl)
{
	if (tl->head_threads) {
		notmuch_threads_destroy (tl->head_threads);
		tl->head_threads = NULL;
		iter_drop (tl);
	}
	if (tl->head_query) {
		notmuch_query_destroy (tl->head_query);
		tl->head_query = NULL;
	}
	if (tl->walk_msgs) {
		notmuch_messages_destroy (tl->walk_msgs);
		tl->walk_msgs = NULL;
		iter_drop (tl);
	}
	if (tl->walk_query) {
		notmuch_query_destroy (tl->walk_query);
		tl->walk_query = NULL;
	}
	if (tl->tail_msgs) {
		notmuch_messages_destroy (tl->tail_msgs);
		tl->tail_msgs = NULL;
		iter_drop (tl);
	}
	if (tl->tail_query) {
		notmuch_query_destroy (tl->tail_query);
		tl->tail_query = NULL;
	}
}

/* The list's query and EXTRA, both. */
static char *
and_query (const TrawlThreadList *tl, const char *extra)
{
	g_autofree char *trimmed = g_strstrip (g_strdup (tl->query));
	if (strcmp (trimmed, "*") == 0 || !*trimmed)
		return g_strdup (extra);
	return g_strdup_printf ("(%s) and (%s)", tl->query, extra);
}

/* ---- date bands ---------------------------------------------------------------- */

/* notmuch sorts a thread list by walking the matching messages in date order
 * (ties in Xapian's order) and listing each thread where its first message
 * comes.  The messages of a date band [LO, HI] come in that same order, so a
 * walk band after band, from one end, meets the threads exactly as notmuch
 * lists them, and only the band is sorted, never every match. */

/* notmuch's date: reads no negative "@N": an unreadable bound is left open
 * (the band then holds more, never fewer, messages).  Brackets: "and" binds
 * tighter than "or" in a MORE such as a list of threads. */
static char *
band_range (gint64 lo, gint64 hi)
{
	gboolean lo_open = lo == BAND_OPEN_LO || lo <= 0;
	gboolean hi_open = hi == BAND_OPEN_HI || hi < 0;
	if (lo_open && hi_open)
		return NULL;
	/* "date:..@X" starts above 0: it would miss the undated and pre-1970. */
	if (lo_open)
		return g_strdup_printf ("not date:@%" G_GINT64_FORMAT "..", hi + 1);
	if (hi_open)
		return g_strdup_printf ("date:@%" G_GINT64_FORMAT "..", lo);
	return g_strdup_printf ("date:@%" G_GINT64_FORMAT "..@%" G_GINT64_FORMAT, lo, hi);
}

static notmuch_query_t *
band_query (TrawlThreadList *tl, gint64 lo, gint64 hi, notmuch_sort_t sort, const char *more)
{
	g_autofree char *range = band_range (lo, hi);
	g_autofree char *both = range && more ? g_strdup_printf ("(%s) and (%s)", range, more)
		: g_strdup (range ? range : more);
	g_autofree char *qs = both ? and_query (tl, both) : g_strdup (tl->query);
	return trawl_db_make_query (tl->db, qs, sort, NULL);
}

/* Can the query be put in brackets and combined with a date range without
 * changing what it means?  Not when its brackets do not balance outside
 * quotes ("a) or (b"). */
static gboolean
query_brackets_balance (const char *q)
{
	int depth = 0;
	gboolean quoted = FALSE;
	for (const char *p = q; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '(')
			depth++;
		else if (!quoted && *p == ')' && --depth < 0)
			return FALSE;
	}
	return depth == 0 && !quoted;
}

/* The database's date bounds, once per list (and once per process and
 * archive state: listcache.c). */
static gboolean
list_bounds (TrawlThreadList *tl)
{
	if (!tl->bounds_asked) {
		tl->bounds_asked = TRUE;
		tl->bounds_ok = trawl_list_cache_date_bounds (tl->db, &tl->bounds_lo, &tl->bounds_hi, &tl->bounds_messages) &&
			tl->bounds_messages > 0 && tl->bounds_lo <= tl->bounds_hi;
	}
	return tl->bounds_ok;
}

/* The first band's width: EDGE_TARGET messages at the mean density. */
static gint64
first_width (TrawlThreadList *tl)
{
	double range = (double) (tl->bounds_hi - tl->bounds_lo) + 1;
	double w = range * EDGE_TARGET / (double) tl->bounds_messages;
	return w < 1 ? 1 : w > BAND_FAR ? BAND_FAR : (gint64) w;
}

/* The width of the band LO..HI, BAND_FAR when an end is open (the band
 * reaching 1970 or the far future) or the span does not fit. */
static gint64
band_width (gint64 lo, gint64 hi)
{
	gint64 d;
	if (lo == BAND_OPEN_LO || hi == BAND_OPEN_HI || __builtin_sub_overflow (hi, lo, &d) || d >= BAND_FAR)
		return BAND_FAR;
	return d + 1;
}

/* The width after a band of SPAN that gave GOT threads, fewer than wanted:
 * as many times wider as it fell short (2 to 8 times). */
static gint64
widen (gint64 span, guint got)
{
	gint64 f = got == 0 ? 8 : CLAMP ((gint64) (2 * BAND_WANT / got), 2, 8);
	/* A span near BAND_FAR (the far-future or 1970 shapes) must not
	 * overflow when widened. */
	return span > BAND_FAR / f ? BAND_FAR : span * f;
}

/* ---- merging --------------------------------------------------------------- */

/* Head and tail have met (or one of them ran out): append the tail's rows that
 * the head lacks, in list order, and forget the tail. */
static void
merge_segments (TrawlThreadList *tl)
{
	Segment *h = &tl->head, *t = &tl->tail;
	for (gsize k = segment_len (t); k-- > 0;) {
		const char *id = t->ids->pdata[k];
		if (segment_find (h, id) >= 0)
			continue;
		TrawlThreadRow *row = t->rows->pdata[k];
		t->rows->pdata[k] = NULL;
		if (!row) {	/* evicted: keep the id, rebuild on demand */
			g_ptr_array_add (h->ids, (gpointer) id);
			g_array_append_val (h->keys, g_array_index (t->keys, gint64, k));
			g_ptr_array_add (h->rows, NULL);
			g_hash_table_insert (h->index, (gpointer) id, GSIZE_TO_POINTER (h->ids->len));
		} else {
			tl->rows_held--;
			segment_append (tl, h, row);
		}
	}
	segment_clear (t);
	segment_init (t);
	h->done = TRUE;
	tl->merged = TRUE;
	tl->total = segment_len (h);
	drop_streams (tl);
	g_ptr_array_set_size (tl->candidates, 0);
}

/* ---- the head: streaming in list order ------------------------------------- */

static gboolean head_start (TrawlThreadList *tl, GError **error);

static TrawlThreadRow *build_one_thread (TrawlThreadList *tl, const char *id);

static gboolean
band_lo_open (gint64 lo)
{
	return lo == BAND_OPEN_LO || lo <= 0;
}

static gboolean
band_hi_open (gint64 hi)
{
	return hi == BAND_OPEN_HI || hi < 0;
}

/* The threads the head's walk has met, made on first need. */
static void
walk_met_ensure (TrawlThreadList *tl)
{
	if (!tl->walk_met)
		tl->walk_met = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Runs the head's walk query (tl->walk_query, NULL when it could not be
 * made): its messages become the walk.  FALSE (the query dropped): no walk. */
static gboolean
walk_search (TrawlThreadList *tl)
{
	if (!tl->walk_query || notmuch_query_search_messages (tl->walk_query, &tl->walk_msgs) != NOTMUCH_STATUS_SUCCESS) {
		if (tl->walk_query)
			notmuch_query_destroy (tl->walk_query);
		tl->walk_query = NULL;
		tl->walk_msgs = NULL;
		return FALSE;
	}
	iter_hold (tl);
	walk_met_ensure (tl);
	return TRUE;
}

/* Opens the head's band [head_lo, head_hi], walked in the list's order. */
static gboolean
walk_open_band (TrawlThreadList *tl)
{
	gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
	tl->walk_query = band_query (tl, tl->head_lo, tl->head_hi,
				     newest ? NOTMUCH_SORT_NEWEST_FIRST : NOTMUCH_SORT_OLDEST_FIRST, NULL);
	tl->db->stats.window_bands++;
	tl->head_band_new = tl->head_band_msgs = 0;
	return walk_search (tl);
}

/* The head's band is walked out: the next one further from the top, as
 * wide as the last (twice as wide when it gave few threads).  FALSE: that
 * band reached the end of the dates. */
static gboolean
walk_next_band (TrawlThreadList *tl)
{
	gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
	if (newest ? band_lo_open (tl->head_lo) : band_hi_open (tl->head_hi))
		return FALSE;
	gint64 width;
	if (newest)
		width = (band_hi_open (tl->head_hi) ? (tl->head_band_msgs ? tl->head_first : tl->head_lo)
			 : tl->head_hi) - tl->head_lo + 1;
	else
		width = tl->head_hi - (band_lo_open (tl->head_lo) ? (tl->head_band_msgs ? tl->head_first : tl->head_hi)
				       : tl->head_lo) + 1;
	gint64 span = MAX (MAX (width, tl->head_span), 1);
	gboolean rest = FALSE;
	if (tl->head_band_new < BAND_WANT) {
		span = widen (span, tl->head_band_new);
		if (++tl->head_widened > tl->widen_max) {
			rest = TRUE;
			tl->db->stats.window_fallbacks++;
		}
	} else {
		tl->head_widened = 0;
	}
	tl->head_span = span;
	if (rest) {
		if (newest) {
			tl->head_hi = tl->head_lo - 1;
			tl->head_lo = BAND_OPEN_LO;
		} else {
			tl->head_lo = tl->head_hi + 1;
			tl->head_hi = BAND_OPEN_HI;
		}
		return TRUE;
	}
	if (newest) {
		tl->head_hi = tl->head_lo - 1;
		tl->head_lo = tl->head_hi - span + 1;
		if (tl->head_lo <= 0)
			tl->head_lo = BAND_OPEN_LO;
	} else {
		tl->head_lo = tl->head_hi + 1;
		tl->head_hi = tl->head_lo + span - 1;
		if (tl->head_hi >= BAND_FAR)
			tl->head_hi = BAND_OPEN_HI;
	}
	return TRUE;
}

/* Starts the walk that continues a suspended head from its last row's key:
 * the matching messages from that key on, in the list's order. */
static gboolean
walk_start (TrawlThreadList *tl)
{
	gint64 key = g_array_index (tl->head.keys, gint64, tl->head.keys->len - 1);
	if (tl->windowed) {
		/* The rest of the band it was in, from that key on. */
		tl->head_resumed = TRUE;
		if (tl->order == TRAWL_SORT_NEWEST_FIRST)
			tl->head_hi = key;
		else
			tl->head_lo = key;
		return walk_open_band (tl);
	}
	g_autofree char *range = tl->order == TRAWL_SORT_NEWEST_FIRST
		? g_strdup_printf ("date:..@%" G_GINT64_FORMAT, key)
		: g_strdup_printf ("date:@%" G_GINT64_FORMAT "..", key);
	g_autofree char *qs = and_query (tl, range);
	tl->walk_query = trawl_db_make_query (tl->db, qs, tl->order == TRAWL_SORT_NEWEST_FIRST
					      ? NOTMUCH_SORT_NEWEST_FIRST : NOTMUCH_SORT_OLDEST_FIRST, NULL);
	return walk_search (tl);
}

/* The walk met thread ID (interned): when the head does not hold it yet,
 * its row goes on the head (or the head has met the tail: merged).  FALSE:
 * nothing placed, walk on. */
static gboolean
head_meets (TrawlThreadList *tl, char *id)
{
	if (segment_find (&tl->head, id) >= 0 || g_hash_table_contains (tl->walk_met, id))
		return FALSE;
	g_hash_table_add (tl->walk_met, id);
	tl->head_band_new++;
	TrawlThreadRow *row = build_one_thread (tl, id);
	if (!row)
		return FALSE;
	if (segment_find (&tl->tail, id) >= 0) {
		trawl_thread_row_free (row);
		merge_segments (tl);
		return TRUE;
	}
	segment_append (tl, &tl->head, row);
	return TRUE;
}

/* The next row of a resumed head: the next thread the walk meets that the
 * list does not hold yet. */
static gboolean
walk_extend (TrawlThreadList *tl)
{
	for (;;) {
		if (!notmuch_messages_valid (tl->walk_msgs)) {
			if (tl->windowed) {
				notmuch_messages_destroy (tl->walk_msgs);
				tl->walk_msgs = NULL;
				iter_drop (tl);
				notmuch_query_destroy (tl->walk_query);
				tl->walk_query = NULL;
				if (walk_next_band (tl) && walk_open_band (tl))
					continue;
			}
			tl->head.done = TRUE;
			merge_segments (tl);
			return FALSE;
		}
		notmuch_message_t *m = notmuch_messages_get (tl->walk_msgs);
		const char *tid = m ? notmuch_message_get_thread_id (m) : NULL;
		char *id = tid ? g_string_chunk_insert_const (tl->chunk, tid) : NULL;
		if (m) {
			gint64 date = notmuch_message_get_date (m);
			if (!tl->head_band_msgs++)
				tl->head_first = date;
			tl->head_last = date;
			notmuch_message_destroy (m);
		}
		notmuch_messages_move_to_next (tl->walk_msgs);
		if (!tl->windowed || tl->head_resumed) {
			tl->walked++;
			tl->db->stats.messages_walked++;
		}
		if (tl->windowed)
			tl->db->stats.window_messages++;
		if (id && head_meets (tl, id))
			return TRUE;
	}
}

/* The next row of the head from Xapian's first messages; once they are
 * walked out, the band walk goes on from the last one's date (messages of
 * that date not among them come next; threads met are skipped). */
static gboolean
xwalk_extend (TrawlThreadList *tl)
{
	TrawlXRows *x = trawl_db_xrows (tl->db);
	gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
	for (;;) {
		char *tid = NULL;
		gint64 date = 0;
		guint64 stepped = 0;
		guint64 t0 = trawl_xwalk_termlists (tl->xwalk), c0 = trawl_xwalk_chunks (tl->xwalk);
		gboolean got = x && trawl_xwalk_next (x, tl->xwalk, &tid, &date, &stepped);
		tl->db->stats.xwalk_messages += stepped;
		tl->db->stats.xwalk_termlists += trawl_xwalk_termlists (tl->xwalk) - t0;
		tl->db->stats.xwalk_chunks += trawl_xwalk_chunks (tl->xwalk) - c0;
		if (!got) {
			gint64 first = 0, last = 0;
			gboolean any = trawl_xwalk_span (tl->xwalk, &first, &last);
			gboolean complete = trawl_xwalk_complete (tl->xwalk);
			trawl_xwalk_free (tl->xwalk);
			tl->xwalk = NULL;
			if (complete) {
				tl->head.done = TRUE;
				merge_segments (tl);
				return FALSE;
			}
			/* A band as wide as the K's dates, from the last one's date
			 * on (the walk skips what it met). */
			gint64 span = any ? (newest ? first - last : last - first) + 1 : 1;
			tl->head_span = MAX (span, 1);
			tl->head_resumed = TRUE;
			if (newest) {
				tl->head_hi = any ? last : BAND_OPEN_HI;
				tl->head_lo = any && last - tl->head_span + 1 > 0 ? last - tl->head_span + 1 : BAND_OPEN_LO;
			} else {
				tl->head_lo = any ? last : BAND_OPEN_LO;
				tl->head_hi = any && last < BAND_FAR - tl->head_span ? last + tl->head_span - 1 : BAND_OPEN_HI;
			}
			if (!walk_open_band (tl)) {
				tl->head.done = TRUE;
				merge_segments (tl);
				return FALSE;
			}
			return walk_extend (tl);
		}
		char *id = g_string_chunk_insert_const (tl->chunk, tid);
		g_free (tid);
		if (!tl->head_band_msgs++)
			tl->head_first = date;
		tl->head_last = date;
		if (head_meets (tl, id))
			return TRUE;
	}
}

static gboolean
head_extend (TrawlThreadList *tl)
{
	if (tl->merged || tl->head.done)
		return FALSE;
	if (tl->xwalk)
		return xwalk_extend (tl);
	if (tl->walk_msgs)
		return walk_extend (tl);
	if (!tl->head_threads && segment_len (&tl->head) > 0) {
		/* Suspended with rows: go on from the last one, not from row 0. */
		if (!walk_start (tl)) {
			tl->head.done = TRUE;
			merge_segments (tl);
			return FALSE;
		}
		return walk_extend (tl);
	}
	if (!tl->head_threads && !tl->head_query) {
		/* Suspended before any row was taken: start over (costs nothing more). */
		if (!head_start (tl, NULL)) {
			tl->head.done = TRUE;
			merge_segments (tl);
			return FALSE;
		}
	}
	if (!tl->head_threads || !notmuch_threads_valid (tl->head_threads)) {
		/* The end: every row of the tail must already be in the head. */
		tl->head.done = TRUE;
		merge_segments (tl);
		return FALSE;
	}
	notmuch_thread_t *t = notmuch_threads_get (tl->head_threads);
	if (!t) {
		tl->head.done = TRUE;
		merge_segments (tl);
		return FALSE;
	}
	TrawlThreadRow *row = row_from_thread (tl, t);
	notmuch_thread_destroy (t);
	notmuch_threads_move_to_next (tl->head_threads);

	gboolean meets_tail = segment_find (&tl->tail, row->thread_id) >= 0;
	if (!meets_tail)
		segment_append (tl, &tl->head, row);
	else
		trawl_thread_row_free (row);
	if (meets_tail)
		merge_segments (tl);
	return TRUE;
}

/* ---- the tail: walking messages in the opposite order ----------------------- */

/* Does A come nearer the end of the list than B? */
static gboolean
nearer_end (const TrawlThreadList *tl, const TrawlThreadRow *a, const TrawlThreadRow *b)
{
	if (tl->order == TRAWL_SORT_NEWEST_FIRST)
		return a->newest < b->newest;
	return a->oldest > b->oldest;
}

/* Can candidate ROW be placed, when the walk has reached date D?  Threads not
 * yet met have every match at or beyond D. */
static gboolean
certain (const TrawlThreadList *tl, const TrawlThreadRow *row, gint64 d, gboolean walk_done)
{
	if (walk_done)
		return TRUE;
	if (tl->order == TRAWL_SORT_NEWEST_FIRST)
		return row->newest < d;
	return row->oldest > d;
}

static TrawlThreadRow *
build_one_thread (TrawlThreadList *tl, const char *id)
{
	TrawlThreadRow *xrow = row_from_xapian (tl, id);
	if (xrow)
		return xrow;
	char *ids[1] = { (char *) id };
	g_autofree char *qs = threads_query (tl, ids, 1);
	notmuch_query_t *q = trawl_db_make_query (tl->db, qs, row_sort (tl), NULL);
	notmuch_threads_t *threads = NULL;
	TrawlThreadRow *row = NULL;
	if (!q)
		return NULL;
	if (notmuch_query_search_threads (q, &threads) == NOTMUCH_STATUS_SUCCESS &&
	    notmuch_threads_valid (threads)) {
		notmuch_thread_t *t = notmuch_threads_get (threads);
		if (t) {
			row = row_from_thread (tl, t);
			notmuch_thread_destroy (t);
		}
	}
	notmuch_query_destroy (q);
	return row;
}

/* ---- the windowed tail: whole bands from the other end ------------------------ */

static void
segment_append_id (Segment *seg, char *id, gint64 key)
{
	g_ptr_array_add (seg->ids, id);
	g_array_append_val (seg->keys, key);
	g_ptr_array_add (seg->rows, NULL);
	g_hash_table_insert (seg->index, id, GSIZE_TO_POINTER (seg->ids->len));
}

/* Which of IDS have a matching message at or after X (NEWEST: the list is
 * newest first) or at or before X: threads whose place in the list lies
 * beyond the band they were met in. */
static GHashTable *
threads_beyond (TrawlThreadList *tl, gboolean newest, gint64 x, GPtrArray *ids)
{
	GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint from = 0; from < ids->len; from += 128) {
		GString *or = g_string_new (NULL);
		for (guint k = from; k < ids->len && k < from + 128; k++)
			g_string_append_printf (or, "%sthread:%s", k > from ? " or " : "", (char *) ids->pdata[k]);
		notmuch_query_t *q = newest ? band_query (tl, x, BAND_OPEN_HI, NOTMUCH_SORT_UNSORTED, or->str)
			: band_query (tl, BAND_OPEN_LO, x, NOTMUCH_SORT_UNSORTED, or->str);
		g_string_free (or, TRUE);
		notmuch_messages_t *msgs = NULL;
		if (q && notmuch_query_search_messages (q, &msgs) == NOTMUCH_STATUS_SUCCESS) {
			for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
				notmuch_message_t *m = notmuch_messages_get (msgs);
				const char *tid = m ? notmuch_message_get_thread_id (m) : NULL;
				if (tid)
					g_hash_table_add (set, g_string_chunk_insert_const (tl->chunk, tid));
				if (m)
					notmuch_message_destroy (m);
				tl->db->stats.window_messages++;
			}
			notmuch_messages_destroy (msgs);
		}
		if (q)
			notmuch_query_destroy (q);
	}
	return set;
}

/* Loads the next band from the end: the threads whose place (their first
 * matching message in the list's order) lies in it, in notmuch's order, as
 * ids (their summaries are built in batches when shown).  The band is walked
 * in the list's own order, so ties come exactly as notmuch has them. */
static gboolean tail_extend (TrawlThreadList *tl);

static gboolean tail_band_extend (TrawlThreadList *tl);

/* The tail's first threads from Xapian's matcher (xrows.cc): the K
 * messages nearest the far end, one pass over the dates, a thread id read
 * per thread.  1 or 0: what tail_band_extend returns; -1: cannot be told
 * (the bands do it). */
static int
xtail_start (TrawlThreadList *tl)
{
	TrawlXRows *x = tl->xrows_ok ? trawl_db_xrows (tl->db) : NULL;
	if (!x)
		return -1;
	gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GArray) dates = g_array_new (FALSE, FALSE, sizeof (gint64));
	gint64 edge = 0;
	gboolean complete = FALSE;
	guint64 stepped = 0, termlists = 0;
	if (!trawl_xwalk_tail (x, tl->xrows_tag, tl->db->exclude_tags, newest, tl->xtail_k,
			       ids, dates, &edge, &complete, &stepped, &termlists))
		return -1;
	tl->db->stats.xwalks++;
	tl->db->stats.xwalk_messages += stepped;
	tl->db->stats.xwalk_termlists += termlists;
	gboolean meets = FALSE;
	guint added = 0;
	for (guint k = 0; k < ids->len; k++) {
		char *id = g_string_chunk_insert_const (tl->chunk, ids->pdata[k]);
		if (segment_find (&tl->tail, id) >= 0)
			continue;
		if (segment_find (&tl->head, id) >= 0)
			meets = TRUE;
		segment_append_id (&tl->tail, id, g_array_index (dates, gint64, k));
		g_hash_table_add (tl->tail_met, id);
		added++;
	}
	tl->tail_edge_set = TRUE;
	tl->tail_edge = edge;
	tl->tail_started = TRUE;
	/* The next band as wide as the K's dates. */
	if (dates->len >= 2) {
		gint64 a = g_array_index (dates, gint64, 0), b = g_array_index (dates, gint64, dates->len - 1);
		tl->tail_span = MAX (ABS (b - a), 1);
	} else
		tl->tail_span = 1;
	if (complete) {
		tl->tail.done = TRUE;
		merge_segments (tl);
		return added > 0;
	}
	if (meets) {
		merge_segments (tl);
		return TRUE;
	}
	if (added)
		return TRUE;
	return tail_band_extend (tl);
}

static gboolean
tail_band_extend (TrawlThreadList *tl)
{
	gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
	if (!tl->tail_edge_set && !tl->merged && !tl->tail.done) {
		int r = xtail_start (tl);
		if (r >= 0)
			return r;
	}
	while (!tl->merged && !tl->tail.done) {
		gint64 lo = BAND_OPEN_LO, hi = BAND_OPEN_HI;
		gboolean first = !tl->tail_edge_set;
		if (first) {
			/* From the far end of the dates, EDGE_TARGET messages' worth. */
			if (list_bounds (tl)) {
				gint64 w = first_width (tl);
				tl->tail_span = w;
				if (newest && tl->bounds_lo + w - 1 < tl->bounds_hi)
					hi = tl->bounds_lo + w - 1;
				else if (!newest && tl->bounds_hi - w + 1 > tl->bounds_lo)
					lo = tl->bounds_hi - w + 1;
			}
		} else if (newest) {
			lo = tl->tail_edge + 1;
			hi = lo + tl->tail_span - 1;
			if (hi >= BAND_FAR)
				hi = BAND_OPEN_HI;
		} else {
			hi = tl->tail_edge - 1;
			lo = hi - tl->tail_span + 1;
			if (lo <= 0)
				lo = BAND_OPEN_LO;
		}
		gboolean inner_open = newest ? band_hi_open (hi) : band_lo_open (lo);
		notmuch_query_t *q = band_query (tl, lo, hi,
						 newest ? NOTMUCH_SORT_NEWEST_FIRST : NOTMUCH_SORT_OLDEST_FIRST, NULL);
		notmuch_messages_t *msgs = NULL;
		tl->db->stats.window_bands++;
		if (!q || notmuch_query_search_messages (q, &msgs) != NOTMUCH_STATUS_SUCCESS) {
			if (q)
				notmuch_query_destroy (q);
			return FALSE;
		}
		g_autoptr (GPtrArray) ids = g_ptr_array_new ();
		g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
		g_autoptr (GHashTable) met = g_hash_table_new (g_str_hash, g_str_equal);
		gint64 last = 0;
		guint n = 0;
		for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
			notmuch_message_t *m = notmuch_messages_get (msgs);
			if (!m)
				break;
			gint64 d = notmuch_message_get_date (m);
			const char *tid = notmuch_message_get_thread_id (m);
			last = d;
			n++;
			tl->db->stats.window_messages++;
			if (tid && !g_hash_table_contains (met, tid)) {
				char *id = g_string_chunk_insert_const (tl->chunk, tid);
				g_hash_table_add (met, id);
				if (segment_find (&tl->tail, id) < 0) {
					g_ptr_array_add (ids, id);
					g_array_append_val (keys, d);
				}
			}
			notmuch_message_destroy (m);
		}
		notmuch_messages_destroy (msgs);
		notmuch_query_destroy (q);

		g_autoptr (GHashTable) beyond = NULL;
		if (!inner_open && ids->len)
			beyond = threads_beyond (tl, newest, newest ? hi + 1 : lo - 1, ids);
		gboolean meets = FALSE;
		guint added = 0;
		for (guint k = ids->len; k-- > 0;) {
			char *id = ids->pdata[k];
			if (beyond && g_hash_table_contains (beyond, id))
				continue;
			if (segment_find (&tl->head, id) >= 0)
				meets = TRUE;
			segment_append_id (&tl->tail, id, g_array_index (keys, gint64, k));
			g_hash_table_add (tl->tail_met, id);
			added++;
		}
		gint64 width = newest ? band_width (first ? (n ? last : hi) : lo, hi)
			: band_width (lo, first ? (n ? last : lo) : hi);
		gint64 span = MAX (MAX (width, tl->tail_span), 1);
		gboolean rest = FALSE;
		if (added < BAND_WANT) {
			span = widen (span, added);
			rest = ++tl->tail_widened > tl->widen_max;
		} else {
			tl->tail_widened = 0;
		}
		tl->tail_span = span;
		tl->tail_edge_set = TRUE;
		tl->tail_edge = newest ? hi : lo;
		tl->tail_started = TRUE;
		if (inner_open) {
			tl->tail.done = TRUE;
			merge_segments (tl);
			return added > 0;
		}
		if (meets) {
			merge_segments (tl);
			return TRUE;
		}
		if (rest) {
			/* A sparse query: the rest by the plain walk, from the edge on
			 * (the threads placed are in tail_met; those beyond are not). */
			tl->db->stats.window_fallbacks++;
			tl->tail_plain = TRUE;
			tl->tail_date = newest ? hi + 1 : lo - 1;
			return added ? TRUE : tail_extend (tl);
		}
		if (added)
			return TRUE;
	}
	return FALSE;
}

/* Places the next row from the end.  FALSE when the tail can grow no more. */
static gboolean
tail_extend (TrawlThreadList *tl)
{
	if (tl->merged || tl->tail.done)
		return FALSE;
	if (tl->windowed && !tl->tail_plain)
		return tail_band_extend (tl);
	if (!tl->tail_query) {
		/* Resumed after a suspend: from the date the walk had reached
		 * (threads met before are in tail_met and skipped).  band_range:
		 * "date:..@X" would miss the undated. */
		g_autofree char *range = !tl->tail_started ? NULL
			: tl->order == TRAWL_SORT_NEWEST_FIRST
			? band_range (tl->tail_date, BAND_OPEN_HI)
			: band_range (BAND_OPEN_LO, tl->tail_date);
		g_autofree char *qs = range ? and_query (tl, range) : g_strdup (tl->query);
		tl->tail_query = trawl_db_make_query (tl->db, qs,
						      tl->order == TRAWL_SORT_NEWEST_FIRST
						      ? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST,
						      NULL);
		if (!tl->tail_query ||
		    notmuch_query_search_messages (tl->tail_query, &tl->tail_msgs) != NOTMUCH_STATUS_SUCCESS) {
			tl->tail_msgs = NULL;
			tl->tail.done = TRUE;
			return FALSE;
		}
		iter_hold (tl);
		tl->tail_started = TRUE;
	}

	for (;;) {
		gboolean walk_done = !tl->tail_msgs || !notmuch_messages_valid (tl->tail_msgs);
		gint64 d = 0;
		notmuch_message_t *m = NULL;
		if (!walk_done) {
			m = notmuch_messages_get (tl->tail_msgs);
			walk_done = (m == NULL);
		}
		if (m)
			d = notmuch_message_get_date (m);

		/* Place the best candidate if nothing unmet can come before it. */
		if (tl->candidates->len) {
			TrawlThreadRow *best = tl->candidates->pdata[0];
			if (certain (tl, best, d, walk_done)) {
				if (m)
					notmuch_message_destroy (m);
				g_ptr_array_steal_index (tl->candidates, 0);
				if (segment_find (&tl->head, best->thread_id) >= 0) {
					trawl_thread_row_free (best);
					merge_segments (tl);
					return FALSE;
				}
				segment_append (tl, &tl->tail, best);
				return TRUE;
			}
		}
		if (walk_done) {
			if (m)
				notmuch_message_destroy (m);
			/* Walk over and no candidates left: the tail is the whole list. */
			tl->tail.done = TRUE;
			merge_segments (tl);
			return FALSE;
		}

		tl->tail_date = d;
		const char *tid = notmuch_message_get_thread_id (m);
		if (tid && !g_hash_table_contains (tl->tail_met, tid)) {
			char *id = g_string_chunk_insert_const (tl->chunk, tid);
			g_hash_table_add (tl->tail_met, id);
			TrawlThreadRow *row = build_one_thread (tl, id);
			if (row) {
				/* Insert in order, nearest the end first. */
				guint at = 0;
				while (at < tl->candidates->len &&
				       !nearer_end (tl, row, tl->candidates->pdata[at]))
					at++;
				g_ptr_array_insert (tl->candidates, at, row);
			}
		}
		notmuch_message_destroy (m);
		notmuch_messages_move_to_next (tl->tail_msgs);
	}
}

/* ---- size orders: every thread of the query, on a thread of its own -------- */

/* Shared by the list and its worker; freed by whichever lets go last.  The
 * worker writes to wake_fd (a descriptor of its own) only under the lock and
 * only while the list listens: a list that goes closes it first. */
typedef struct OrderJob {
	gint ref;
	GMutex lock;
	char *db_path;
	char *query;
	char **exclude_tags;
	TrawlSort sort;
	int wake_fd;		/* -1: nobody listens (cancelled) */
	volatile gint done;
	volatile gint64 messages;	/* matching messages, -1 until counted */
	volatile gint64 progress;	/* threads looked at */
	/* The result, once done: thread ids (owned) and keys, in order. */
	GPtrArray *ids;
	GArray *keys;
} OrderJob;

typedef struct {
	char *id;
	gint64 key;
	gint64 newest;
} OrderItem;

static void
order_job_unref (OrderJob *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	g_mutex_clear (&job->lock);
	g_free (job->db_path);
	g_free (job->query);
	g_strfreev (job->exclude_tags);
	if (job->ids)
		g_ptr_array_unref (job->ids);
	if (job->keys)
		g_array_unref (job->keys);
	g_free (job);
}

static gboolean
order_cancelled (OrderJob *job)
{
	g_mutex_lock (&job->lock);
	gboolean c = job->wake_fd < 0;
	g_mutex_unlock (&job->lock);
	return c;
}

static void
order_wake (OrderJob *job)
{
	g_mutex_lock (&job->lock);
	char byte = 1;
	if (job->wake_fd >= 0)
		while (write (job->wake_fd, &byte, 1) < 0 && errno == EINTR)
			;
	g_mutex_unlock (&job->lock);
}

/* Largest first; equal sizes newest first; then by id (a stable order). */
static gint
order_compare (gconstpointer pa, gconstpointer pb)
{
	const OrderItem *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	if (a->newest != b->newest)
		return a->newest > b->newest ? -1 : 1;
	return strcmp (a->id, b->id);
}

/* Builds every thread of the query once (as `notmuch search` does) and
 * keeps its id and size: the cost of the order is one such pass. */
static gpointer
order_worker (gpointer data)
{
	OrderJob *job = data;
	notmuch_database_t *nm = NULL;
	GArray *items = g_array_new (FALSE, FALSE, sizeof (OrderItem));
	if (!order_cancelled (job) &&
	    notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
					       "", NULL, &nm, NULL) == NOTMUCH_STATUS_SUCCESS) {
		notmuch_query_t *q = NULL;
		notmuch_threads_t *threads = NULL;
		if (notmuch_query_create_with_syntax (nm, job->query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q)
		    == NOTMUCH_STATUS_SUCCESS) {
			for (char **t = job->exclude_tags; *t; t++)
				notmuch_query_add_tag_exclude (q, *t);
			notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
			notmuch_query_set_sort (q, NOTMUCH_SORT_UNSORTED);
			unsigned nmsg = 0;
			if (notmuch_query_count_messages (q, &nmsg) == NOTMUCH_STATUS_SUCCESS)
				job->messages = nmsg;
			order_wake (job);	/* the message count on screen */
			if (notmuch_query_search_threads (q, &threads) == NOTMUCH_STATUS_SUCCESS) {
				gint64 n = 0;
				for (; notmuch_threads_valid (threads); notmuch_threads_move_to_next (threads)) {
					notmuch_thread_t *t = notmuch_threads_get (threads);
					if (!t)
						break;
					OrderItem it;
					it.id = g_strdup (notmuch_thread_get_thread_id (t));
					it.newest = notmuch_thread_get_newest_date (t);
					it.key = size_key (job->sort, notmuch_thread_get_total_messages (t),
							   notmuch_thread_get_matched_messages (t),
							   notmuch_thread_get_authors (t));
					g_array_append_val (items, it);
					notmuch_thread_destroy (t);
					n++;
					if (n % 256 == 0) {
						job->progress = n;
						if (order_cancelled (job))
							break;
						if (n % 4096 == 0)
							order_wake (job);	/* progress on screen */
					}
				}
				job->progress = n;
			}
			notmuch_query_destroy (q);
		}
		notmuch_database_destroy (nm);
	}
	g_array_sort (items, order_compare);
	GPtrArray *ids = g_ptr_array_new_full (items->len, g_free);
	GArray *keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
	for (guint i = 0; i < items->len; i++) {
		OrderItem *it = &g_array_index (items, OrderItem, i);
		g_ptr_array_add (ids, it->id);
		g_array_append_val (keys, it->key);
	}
	g_array_unref (items);
	g_mutex_lock (&job->lock);
	job->ids = ids;
	job->keys = keys;
	g_mutex_unlock (&job->lock);
	g_atomic_int_set (&job->done, 1);
	order_wake (job);
	order_job_unref (job);
	return NULL;
}

/* Stops listening to the size order's work (which ends at its next check). */
static void
order_detach (TrawlThreadList *tl)
{
	OrderJob *job = tl->order_job;
	if (!job)
		return;
	g_mutex_lock (&job->lock);
	if (job->wake_fd >= 0)
		close (job->wake_fd);
	job->wake_fd = -1;
	g_mutex_unlock (&job->lock);
	tl->order_job = NULL;
	close (tl->order_wake[0]);
	tl->order_wake[0] = -1;
	order_job_unref (job);
}

static void
order_start (TrawlThreadList *tl)
{
	int p[2];
	if (pipe (p) < 0)
		return;
	for (int i = 0; i < 2; i++)
		fcntl (p[i], F_SETFD, FD_CLOEXEC);
	fcntl (p[0], F_SETFL, O_NONBLOCK);
	OrderJob *job = g_new0 (OrderJob, 1);
	g_mutex_init (&job->lock);
	job->ref = 2;		/* the list and the worker */
	job->db_path = g_strdup (tl->db->path);
	job->query = g_strdup (tl->query);
	job->exclude_tags = g_strdupv (tl->db->exclude_tags);
	job->sort = tl->sort;
	job->messages = -1;
	job->wake_fd = p[1];
	tl->order_wake[0] = p[0];
	tl->order_job = job;
	tl->db->stats.sort_jobs++;
	GThread *th = g_thread_try_new ("trawl-sort", order_worker, job, NULL);
	if (!th) {
		order_detach (tl);
		order_job_unref (job);
		return;
	}
	g_thread_unref (th);
}

/* The size order is known: the list becomes it, in place.  The rows built
 * so far are kept (moved to their new places); the others are ids, built
 * when they are shown.  Every notmuch stream is dropped: the list is whole. */
static void
order_adopt (TrawlThreadList *tl)
{
	OrderJob *job = tl->order_job;
	GHashTable *built = g_hash_table_new (g_str_hash, g_str_equal);
	Segment *segs[2] = { &tl->head, &tl->tail };
	for (int k = 0; k < 2; k++)
		for (guint i = 0; i < segs[k]->rows->len; i++) {
			TrawlThreadRow *row = segs[k]->rows->pdata[i];
			if (row && !g_hash_table_contains (built, row->thread_id)) {
				g_hash_table_insert (built, row->thread_id, row);
				segs[k]->rows->pdata[i] = NULL;	/* moved, not freed */
			}
		}
	for (guint i = 0; i < tl->candidates->len; i++) {
		TrawlThreadRow *row = tl->candidates->pdata[i];
		if (!g_hash_table_contains (built, row->thread_id)) {
			g_hash_table_insert (built, row->thread_id, row);
			tl->candidates->pdata[i] = NULL;
		}
	}
	drop_streams (tl);
	segment_clear (&tl->head);
	segment_clear (&tl->tail);
	segment_init (&tl->head);
	segment_init (&tl->tail);
	g_ptr_array_set_size (tl->candidates, 0);
	tl->rows_held = 0;
	tl->order = tl->sort;
	Segment *h = &tl->head;
	for (guint i = 0; i < job->ids->len; i++) {
		char *id = g_string_chunk_insert_const (tl->chunk, job->ids->pdata[i]);
		TrawlThreadRow *row = g_hash_table_lookup (built, id);
		if (row)
			g_hash_table_remove (built, id);
		g_ptr_array_add (h->ids, id);
		g_array_append_val (h->keys, g_array_index (job->keys, gint64, i));
		g_ptr_array_add (h->rows, row);
		g_hash_table_insert (h->index, id, GSIZE_TO_POINTER (h->ids->len));
		if (row)
			tl->rows_held++;
	}
	/* Rows of threads the pass did not see (gone since) are dropped. */
	GHashTableIter it;
	gpointer row;
	g_hash_table_iter_init (&it, built);
	while (g_hash_table_iter_next (&it, NULL, &row))
		trawl_thread_row_free (row);
	g_hash_table_unref (built);
	h->done = TRUE;
	tl->merged = TRUE;
	tl->total = segment_len (h);
	if (job->messages >= 0) {
		tl->messages = job->messages;
		TrawlCachedCount *cc = g_new (TrawlCachedCount, 1);
		*cc = (TrawlCachedCount) { tl->revision, tl->total, tl->messages };
		g_hash_table_replace (tl->db->count_cache, g_strdup (tl->query), cc);
	}
	order_detach (tl);
}

gboolean
trawl_thread_list_sorting (const TrawlThreadList *tl, guint64 *done)
{
	if (!tl->order_job)
		return FALSE;
	if (done)
		*done = (guint64) tl->order_job->progress;
	return TRUE;
}

void
trawl_thread_list_wait_sorted (TrawlThreadList *tl)
{
	while (tl->order_job && !g_atomic_int_get (&tl->order_job->done))
		g_usleep (1000);
	trawl_thread_list_collect (tl);
}

/* ---- the background count --------------------------------------------------- */

static void
job_unref (CountJob *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	g_mutex_clear (&job->lock);
	g_array_unref (job->wakers);
	g_free (job->db_path);
	g_free (job->query);
	g_free (job->key);
	g_free (job->seen_uuid);
	g_free (job->xtag);
	g_strfreev (job->exclude_tags);
	g_free (job);
}

static gboolean
job_cancelled (CountJob *job)
{
	g_mutex_lock (&job->lock);
	gboolean none = job->listeners == 0;
	g_mutex_unlock (&job->lock);
	return none;
}

static gpointer
count_worker (gpointer data)
{
	CountJob *job = data;
	notmuch_database_t *nm = NULL;
	gint64 threads = -1, messages = -1;
	unsigned long seen_revision = 0;
	char *seen_uuid = NULL;

	/* A handle of our own: libnotmuch objects are not shared across threads.
	 * An empty config path means "read no config": the path is enough. */
	/* Xapian's handle first, notmuch's after, for its revision: a commit
	 * between the two moves Xapian's on reopen, and notmuch's follows. */
	TrawlXCount *xc = NULL;
	if (job->xcount && !job_cancelled (job)) {
		g_autofree char *dir = trawl_xapian_dir (job->db_path);
		xc = trawl_xcount_open (dir);
	}
	if (!job_cancelled (job) &&
	    notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
					       "", NULL, &nm, NULL) == NOTMUCH_STATUS_SUCCESS) {
		for (int i = 0; xc && trawl_xcount_moved (xc); i++)
			if (i == 3 || notmuch_database_reopen (nm, NOTMUCH_DATABASE_MODE_READ_ONLY) != NOTMUCH_STATUS_SUCCESS) {
				trawl_xcount_free (xc);
				xc = NULL;
			}
		const char *uuid = NULL;
		seen_revision = notmuch_database_get_revision (nm, &uuid);
		seen_uuid = g_strdup (uuid);
		notmuch_query_t *q = NULL;
		if (xc && trawl_xcount_run (xc, job->xtag, job->exclude_tags, &threads, &messages,
					    (gboolean (*) (gpointer)) job_cancelled, job))
			g_atomic_int_set (&job->xcounted, 1);
		else if (notmuch_query_create_with_syntax (nm, job->query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q)
		    == NOTMUCH_STATUS_SUCCESS) {
			unsigned n = 0;
			for (char **t = job->exclude_tags; *t; t++)
				notmuch_query_add_tag_exclude (q, *t);
			notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
			if (notmuch_query_count_messages (q, &n) == NOTMUCH_STATUS_SUCCESS)
				messages = n;
			/* Counting threads is the dear part: not for nobody. */
			if (!job_cancelled (job) && notmuch_query_count_threads (q, &n) == NOTMUCH_STATUS_SUCCESS)
				threads = n;
			notmuch_query_destroy (q);
		}
		notmuch_database_destroy (nm);
	}
	trawl_xcount_free (xc);
	g_mutex_lock (&job->lock);
	job->threads = threads;
	job->messages = messages;
	job->seen_revision = seen_revision;
	job->seen_uuid = seen_uuid;
	g_atomic_int_set (&job->done, 1);
	char byte = 1;
	for (guint i = 0; i < job->wakers->len; i++)
		while (write (g_array_index (job->wakers, int, i), &byte, 1) < 0 && errno == EINTR)
			;
	g_mutex_unlock (&job->lock);
	job_unref (job);
	return NULL;
}

/* TL listens to JOB: a pipe of its own, woken when the count is done. */
static gboolean
job_attach (TrawlThreadList *tl, CountJob *job)
{
	if (pipe (tl->wake) < 0)
		return FALSE;
	for (int i = 0; i < 2; i++)
		fcntl (tl->wake[i], F_SETFD, FD_CLOEXEC);
	fcntl (tl->wake[0], F_SETFL, O_NONBLOCK);
	g_atomic_int_inc (&job->ref);
	g_mutex_lock (&job->lock);
	g_array_append_val (job->wakers, tl->wake[1]);
	job->listeners++;
	if (g_atomic_int_get (&job->done)) {	/* done already: wake at once */
		char byte = 1;
		if (write (tl->wake[1], &byte, 1) < 0) {
			/* a fresh pipe has room */
		}
	}
	g_mutex_unlock (&job->lock);
	tl->job = job;
	return TRUE;
}

/* TL stops listening; the last listener to go cancels the job. */
static void
job_detach (TrawlThreadList *tl)
{
	CountJob *job = tl->job;
	if (!job)
		return;
	g_mutex_lock (&job->lock);
	for (guint i = 0; i < job->wakers->len; i++)
		if (g_array_index (job->wakers, int, i) == tl->wake[1]) {
			g_array_remove_index_fast (job->wakers, i);
			break;
		}
	job->listeners--;
	g_mutex_unlock (&job->lock);
	close (tl->wake[0]);
	close (tl->wake[1]);
	tl->wake[0] = tl->wake[1] = -1;
	tl->job = NULL;
	/* A finished job leaves the registry; a cancelled one too (a later
	 * list starts afresh rather than wait for an abandoned count). */
	if (job->key && (g_atomic_int_get (&job->done) || job_cancelled (job)) && tl->db->count_jobs &&
	    g_hash_table_lookup (tl->db->count_jobs, job->key) == job)
		g_hash_table_remove (tl->db->count_jobs, job->key);
	job_unref (job);
}

/* The running count of TL's query at this revision, or a new one. */
static void
count_start (TrawlThreadList *tl)
{
	unsigned long rev = trawl_db_revision (tl->db);
	g_autofree char *key = g_strdup_printf ("%lu\t%s", rev, tl->query);
	if (!tl->db->count_jobs)
		tl->db->count_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							    (GDestroyNotify) job_unref);
	CountJob *job = g_hash_table_lookup (tl->db->count_jobs, key);
	if (job) {
		job_attach (tl, job);
		return;
	}
	job = g_new0 (CountJob, 1);
	g_mutex_init (&job->lock);
	job->wakers = g_array_new (FALSE, FALSE, sizeof (int));
	job->ref = 2;		/* the registry and the worker */
	job->revision = rev;
	job->key = g_strdup (key);
	job->db_path = g_strdup (tl->db->path);
	job->query = g_strdup (tl->query);
	job->exclude_tags = g_strdupv (tl->db->exclude_tags);
	job->xcount = tl->xrows_ok && !tl->db->xrows_off;
	job->xtag = g_strdup (tl->xrows_tag);
	g_hash_table_insert (tl->db->count_jobs, g_strdup (key), job);
	if (!job_attach (tl, job)) {
		g_hash_table_remove (tl->db->count_jobs, key);
		job_unref (job);	/* the worker's, never started */
		return;
	}
	tl->db->stats.count_jobs++;
	GThread *th = g_thread_try_new ("trawl-count", count_worker, job, NULL);
	if (!th) {
		job_detach (tl);
		job_unref (job);
		return;
	}
	g_thread_unref (th);	/* detached: the job outlives whichever side ends last */
}

static gboolean count_collect (TrawlThreadList *tl);

/* Starts the count that count_begin deferred. */
static void
count_kick (TrawlThreadList *tl)
{
	if (!tl->count_pending)
		return;
	tl->count_pending = FALSE;
	count_start (tl);
}

gboolean
trawl_thread_list_collect (TrawlThreadList *tl)
{
	gboolean news = count_collect (tl);
	if (tl->order_job) {
		char buf[64];
		while (read (tl->order_wake[0], buf, sizeof buf) > 0)
			news = TRUE;	/* progress */
		if (tl->messages < 0 && tl->order_job->messages >= 0)
			tl->messages = tl->order_job->messages;
		if (g_atomic_int_get (&tl->order_job->done)) {
			order_adopt (tl);
			news = TRUE;
		}
	}
	return news;
}

static gboolean
count_collect (TrawlThreadList *tl)
{
	if (!tl->job || !g_atomic_int_get (&tl->job->done))
		return FALSE;
	CountJob *job = tl->job;
	if (g_atomic_int_get (&job->xcounted))
		tl->db->stats.xcounts++;
	if (!tl->merged && job->threads >= 0)
		tl->total = job->threads;
	tl->messages = job->messages;
	if (job->threads >= 0 && job->messages >= 0) {
		TrawlCachedCount *cc = g_new (TrawlCachedCount, 1);
		*cc = (TrawlCachedCount) { job->revision, job->threads, job->messages };
		g_hash_table_replace (tl->db->count_cache, g_strdup (tl->query), cc);
		/* for the next run too, when the worker counted the revision
		 * this handle reads */
		if (job->seen_revision == job->revision)
			trawl_list_cache_put_counts (tl->db, job->seen_uuid, job->seen_revision,
						     tl->query, job->threads, job->messages);
	}
	job_detach (tl);
	return TRUE;
}

void
trawl_thread_list_wait_count (TrawlThreadList *tl)
{
	count_kick (tl);
	while (tl->job && !g_atomic_int_get (&tl->job->done))
		g_usleep (1000);
	trawl_thread_list_collect (tl);
}

int
trawl_thread_list_wake_fd (TrawlThreadList *tl)
{
	count_kick (tl);
	/* The count first; the size order's pipe, already readable if it
	 * finished meanwhile, once the count is in. */
	return tl->job ? tl->wake[0] : tl->order_job ? tl->order_wake[0] : -1;
}

/* ---- the public list ---------------------------------------------------------- */

static void count_begin (TrawlThreadList *tl);

/* Starts the head's thread search.  This is what parses the query, so a
 * malformed one fails here, and no separate check costs another pass over
 * the match set. */
static gboolean
head_start (TrawlThreadList *tl, GError **error)
{
	if (tl->windowed) {
		/* The top band: EDGE_TARGET messages' worth at the database's
		 * mean density, open beyond the newest (oldest) date; the walk
		 * widens it when the query is sparser.  No count query. */
		gboolean newest = tl->order == TRAWL_SORT_NEWEST_FIRST;
		tl->head_lo = BAND_OPEN_LO;
		tl->head_hi = BAND_OPEN_HI;
		tl->head_span = 0;
		/* Xapian's matcher gives the first messages in one pass over the
		 * dates: no bounds, no band (xrows.cc). */
		TrawlXRows *x = tl->xrows_ok ? trawl_db_xrows (tl->db) : NULL;
		tl->xwalk = x ? trawl_xwalk_start (x, tl->xrows_tag, tl->db->exclude_tags, newest, tl->xwalk_k) : NULL;
		if (tl->xwalk) {
			gint64 first = 0, last = 0;
			if (trawl_xwalk_span (tl->xwalk, &first, &last)) {
				/* The band the K cover: where a suspended head resumes. */
				if (newest)
					tl->head_lo = last;
				else
					tl->head_hi = last;
				tl->head_span = MAX ((newest ? first - last : last - first) + 1, 1);
			}
			walk_met_ensure (tl);
			tl->db->stats.xwalks++;
			if (!tl->revision)
				tl->revision = trawl_db_revision (tl->db);
			return TRUE;
		}
		if (list_bounds (tl)) {
			gint64 w = first_width (tl);
			tl->head_span = w;
			if (newest && tl->bounds_hi - w + 1 > tl->bounds_lo)
				tl->head_lo = tl->bounds_hi - w + 1;
			else if (!newest && tl->bounds_lo + w - 1 < tl->bounds_hi)
				tl->head_hi = tl->bounds_lo + w - 1;
		}
		if (walk_open_band (tl)) {
			if (!tl->revision)
				tl->revision = trawl_db_revision (tl->db);
			return TRUE;
		}
		/* notmuch's own words for what is wrong come from the plain query. */
		tl->windowed = FALSE;
		tl->db->stats.window_fallbacks++;
	}
	notmuch_sort_t sort = tl->order == TRAWL_SORT_NEWEST_FIRST
		? NOTMUCH_SORT_NEWEST_FIRST : NOTMUCH_SORT_OLDEST_FIRST;
	tl->head_query = trawl_db_make_query (tl->db, tl->query, sort, error);
	if (!tl->head_query)
		return FALSE;
	notmuch_status_t st = notmuch_query_search_threads (tl->head_query, &tl->head_threads);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		tl->head_threads = NULL;
		trawl_db_query_error (tl->db, st, tl->query, error);
		return FALSE;
	}
	iter_hold (tl);
	if (!tl->revision)
		tl->revision = trawl_db_revision (tl->db);
	return TRUE;
}

TrawlThreadList *
trawl_thread_list_new (TrawlDb *db, const char *query, TrawlSort sort, GError **error)
{
	TrawlThreadList *tl = g_new0 (TrawlThreadList, 1);
	tl->db = db;
	tl->query = g_strdup (query);
	tl->sort = sort;
	/* A size order shows newest first until it is worked out. */
	tl->order = trawl_sort_is_size (sort) ? TRAWL_SORT_NEWEST_FIRST : sort;
	tl->order_wake[0] = -1;
	tl->chunk = g_string_chunk_new (4096);
	segment_init (&tl->head);
	segment_init (&tl->tail);
	tl->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_thread_row_free);
	tl->tail_met = g_hash_table_new (g_str_hash, g_str_equal);
	tl->total = -1;
	tl->messages = -1;
	tl->wake[0] = tl->wake[1] = -1;
	tl->keep = ROWS_KEEP_DEFAULT;
	db->stats.lists++;
	/* Windowed unless the query cannot be bracketed safely (or
	 * TRAWL_NO_WINDOW asks for notmuch's plain sort, to compare). */
	tl->windowed = query_brackets_balance (query) && !g_getenv ("TRAWL_NO_WINDOW");
	const char *wm = g_getenv ("TRAWL_WINDOW_WIDEN_MAX");
	tl->widen_max = wm && *wm ? (guint) g_ascii_strtoull (wm, NULL, 10) : BAND_WIDEN_MAX;
	const char *xk = g_getenv ("TRAWL_XWALK_K");
	tl->xwalk_k = xk && *xk ? (guint) g_ascii_strtoull (xk, NULL, 10) : XWALK_K;
	tl->xtail_k = xk && *xk ? tl->xwalk_k : XTAIL_K;
	if (!tl->windowed)
		db->stats.window_fallbacks++;
	xrows_decide (tl);
	if (!head_start (tl, error)) {
		trawl_thread_list_free (tl);
		return NULL;
	}
	if (trawl_sort_is_size (sort)) {
		/* The order's pass over every thread counts them too: no
		 * separate count (notmuch's thread count is another such pass). */
		TrawlCachedCount *cc = g_hash_table_lookup (db->count_cache, tl->query);
		if (cc && cc->revision == trawl_db_revision (db)) {
			tl->total = cc->threads;
			tl->messages = cc->messages;
		} else if (trawl_list_cache_get_counts (db, tl->query, &tl->total, &tl->messages)) {
			db->stats.count_cache_hits++;
		}
		order_start (tl);
	} else {
		count_begin (tl);
	}
	return tl;
}

/* Counts come from the cache when this query was counted at this revision
 * (returning to a query shows them at once), or from the file of an earlier
 * run (listcache.c: the archive has not changed since), else from a
 * background job, started once the caller's screen is drawn (count_kick). */
static void
count_begin (TrawlThreadList *tl)
{
	job_detach (tl);
	tl->count_pending = FALSE;
	unsigned long rev = trawl_db_revision (tl->db);
	TrawlCachedCount *cc = g_hash_table_lookup (tl->db->count_cache, tl->query);
	if (cc && cc->revision == rev) {
		if (!tl->merged)
			tl->total = cc->threads;
		tl->messages = cc->messages;
		return;
	}
	gint64 threads, messages;
	if (trawl_list_cache_get_counts (tl->db, tl->query, &threads, &messages)) {
		tl->db->stats.count_cache_hits++;
		if (!tl->merged)
			tl->total = threads;
		tl->messages = messages;
		cc = g_new (TrawlCachedCount, 1);
		*cc = (TrawlCachedCount) { rev, threads, messages };
		g_hash_table_replace (tl->db->count_cache, g_strdup (tl->query), cc);
		return;
	}
	tl->count_pending = TRUE;
}

void
trawl_thread_list_free (TrawlThreadList *tl)
{
	if (!tl)
		return;
	drop_streams (tl);
	if (tl->walk_met)
		g_hash_table_unref (tl->walk_met);
	segment_clear (&tl->head);
	segment_clear (&tl->tail);
	g_ptr_array_unref (tl->candidates);
	g_hash_table_unref (tl->tail_met);
	g_string_chunk_free (tl->chunk);
	job_detach (tl);	/* the last list to go cancels its count */
	order_detach (tl);
	g_free (tl->query);
	g_free (tl->xrows_tag);
	g_free (tl);
}

const char *
trawl_thread_list_query (const TrawlThreadList *tl)
{
	return tl->query;
}

TrawlSort
trawl_thread_list_sort (const TrawlThreadList *tl)
{
	return tl->sort;
}

/* The counts change only in trawl_thread_list_collect(): a caller drawing a
 * screen sees one consistent state, and the wake descriptor stays armed until
 * the caller has collected (picking results up behind its back would leave
 * the screen stale with nothing left to wake it). */
gint64
trawl_thread_list_count (TrawlThreadList *tl)
{
	return tl->total;
}

gint64
trawl_thread_list_message_count (TrawlThreadList *tl)
{
	return tl->messages;
}

void
trawl_thread_list_set_window (TrawlThreadList *tl, gsize keep)
{
	tl->keep = MAX (keep, (gsize) REBUILD_BATCH);
}

gsize
trawl_thread_list_rows_held (const TrawlThreadList *tl)
{
	return tl->rows_held;
}

gsize
trawl_thread_list_rows_built (const TrawlThreadList *tl)
{
	return tl->rows_built;
}

gsize
trawl_thread_list_messages_walked (const TrawlThreadList *tl)
{
	return tl->walked;
}

/* Where a position lives now.  Normalises POS to from-the-first when the
 * length is known.  Returns the segment and the offset in it, or NULL when the
 * row is not loaded (yet); *BEYOND is set when POS is certainly outside. */
static Segment *
locate (TrawlThreadList *tl, TrawlPos *pos, gsize *off, gboolean *beyond)
{
	*beyond = FALSE;
	if (tl->total >= 0 && pos->from_end) {
		if (pos->n >= (gsize) tl->total) {
			*beyond = TRUE;
			return NULL;
		}
		pos->from_end = FALSE;
		pos->n = tl->total - 1 - pos->n;
	}
	if (!pos->from_end) {
		if (pos->n < segment_len (&tl->head)) {
			*off = pos->n;
			return &tl->head;
		}
		if (tl->total >= 0) {
			if (pos->n >= (gsize) tl->total) {
				*beyond = TRUE;
				return NULL;
			}
			gsize from_end = tl->total - 1 - pos->n;
			if (from_end < segment_len (&tl->tail)) {
				*off = from_end;
				return &tl->tail;
			}
		}
		if (tl->head.done)
			*beyond = TRUE;
		return NULL;
	}
	if (pos->n < segment_len (&tl->tail)) {
		*off = pos->n;
		return &tl->tail;
	}
	if (tl->tail.done)
		*beyond = TRUE;
	return NULL;
}

const TrawlThreadRow *
trawl_thread_list_get (TrawlThreadList *tl, TrawlPos pos)
{
	for (;;) {
		gsize off = 0;
		gboolean beyond = FALSE;
		TrawlPos p = pos;
		Segment *seg = locate (tl, &p, &off, &beyond);
		if (seg)
			return segment_row (tl, seg, off);
		if (beyond)
			return NULL;
		/* Grow whichever side reaches POS. */
		gboolean grew;
		if (!p.from_end) {
			/* With the length known, a row nearer the end is cheaper from the tail. */
			if (tl->total >= 0 &&
			    (gsize) tl->total - 1 - p.n - segment_len (&tl->tail) <
			    p.n - segment_len (&tl->head))
				grew = tail_extend (tl) || tl->merged;
			else
				grew = head_extend (tl) || tl->merged;
		} else {
			grew = tail_extend (tl) || tl->merged;
		}
		if (!grew && !tl->merged) {
			/* Neither side can grow: the position does not exist. */
			return NULL;
		}
	}
}

gint64
trawl_thread_list_index (TrawlThreadList *tl, TrawlPos pos)
{
	if (!pos.from_end)
		return pos.n;
	if (tl->total >= 0 && pos.n < (gsize) tl->total)
		return tl->total - 1 - pos.n;
	return -1;
}

gboolean
trawl_thread_list_first (TrawlThreadList *tl, TrawlPos *pos)
{
	TrawlPos p = { FALSE, 0 };
	if (!trawl_thread_list_get (tl, p))
		return FALSE;
	*pos = p;
	return TRUE;
}

gboolean
trawl_thread_list_last (TrawlThreadList *tl, TrawlPos *pos)
{
	TrawlPos p = { TRUE, 0 };
	if (!trawl_thread_list_get (tl, p))
		return FALSE;
	gint64 i = trawl_thread_list_index (tl, p);
	if (i >= 0) {
		p.from_end = FALSE;
		p.n = i;
	}
	*pos = p;
	return TRUE;
}

gsize
trawl_thread_list_step (TrawlThreadList *tl, TrawlPos *pos, gssize delta)
{
	gsize moved = 0;
	/* Normalise first so that a known length turns end-relative positions
	 * into plain indices. */
	gint64 idx = trawl_thread_list_index (tl, *pos);
	if (idx >= 0 && pos->from_end) {
		pos->from_end = FALSE;
		pos->n = idx;
	}
	while (delta != 0) {
		TrawlPos next = *pos;
		/* Towards the first row: n shrinks from the start, grows from the end. */
		gboolean down = delta > 0;
		if (next.from_end == !down) {
			next.n++;
		} else {
			if (next.n == 0)
				break;
			next.n--;
		}
		if (!trawl_thread_list_get (tl, next))
			break;
		/* get() may have merged the segments and learnt the length. */
		gint64 i = trawl_thread_list_index (tl, next);
		if (i >= 0 && next.from_end) {
			next.from_end = FALSE;
			next.n = i;
		}
		*pos = next;
		moved++;
		delta += down ? -1 : 1;
	}
	return moved;
}

/* ---- writes: suspend, then patch ------------------------------------------------ */

void
trawl_thread_list_suspend (TrawlThreadList *tl)
{
	drop_notmuch_streams (tl);
}

gboolean
trawl_thread_list_find (TrawlThreadList *tl, const char *thread_id, TrawlPos *pos)
{
	gssize i = segment_find (&tl->head, thread_id);
	if (i >= 0) {
		*pos = (TrawlPos) { FALSE, (gsize) i };
		return TRUE;
	}
	i = segment_find (&tl->tail, thread_id);
	if (i >= 0) {
		*pos = (TrawlPos) { TRUE, (gsize) i };
		gint64 idx = trawl_thread_list_index (tl, *pos);
		if (idx >= 0)
			*pos = (TrawlPos) { FALSE, (gsize) idx };
		return TRUE;
	}
	return FALSE;
}

/* Where a row with KEY goes in SEG (the head's order, or the tail's, which
 * runs from the end): the first position whose row comes after it. */
static gsize
insert_position (TrawlThreadList *tl, Segment *seg, gboolean tail, gint64 key)
{
	gsize i = 0;
	while (i < seg->keys->len) {
		gint64 k = g_array_index (seg->keys, gint64, i);
		if (tail ? key_before (tl, k, key) : key_before (tl, key, k))
			break;
		i++;
	}
	return i;
}

/* Does a change of TAGS possibly change which messages QUERY matches (or
 * which it hides as excluded)?  The same test the count views use. */
static gboolean
tags_touch_query (TrawlThreadList *tl, const char *const *tags)
{
	return trawl_query_mentions_tags (tl->query, tags) || trawl_tags_excluded (tags, tl->db->exclude_tags);
}

/* Does any message of THREAD_ID carry TAG?  One Xapian count. */
static gboolean
thread_has_tag (TrawlThreadList *tl, const char *thread_id, const char *tag)
{
	g_autofree char *tq = trawl_query_term ("thread", thread_id);
	g_autofree char *gq = trawl_query_term ("tag", tag);
	g_autofree char *qs = g_strdup_printf ("%s and %s", tq, gq);
	notmuch_query_t *q = NULL;
	if (notmuch_query_create_with_syntax (tl->db->nm, qs, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q) != NOTMUCH_STATUS_SUCCESS)
		return TRUE;
	unsigned n = 1;
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FALSE);
	if (notmuch_query_count_messages (q, &n) != NOTMUCH_STATUS_SUCCESS)
		n = 1;
	notmuch_query_destroy (q);
	return n > 0;
}

static gint
compare_tags (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* A row's tags with ADDED put in and each of REMOVED taken out when no
 * message of the thread carries it any more. */
static void
patch_tags (TrawlThreadList *tl, TrawlThreadRow *row, GPtrArray *added, GPtrArray *removed)
{
	g_auto (GStrv) old = g_strsplit (row->tags, " ", -1);
	g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
	for (char **t = old; *t; t++)
		if (**t)
			g_ptr_array_add (tags, g_strdup (*t));
	for (guint i = 0; i < added->len; i++)
		if (!g_ptr_array_find_with_equal_func (tags, added->pdata[i], g_str_equal, NULL))
			g_ptr_array_add (tags, g_strdup (added->pdata[i]));
	for (guint i = 0; i < removed->len; i++) {
		guint at;
		if (g_ptr_array_find_with_equal_func (tags, removed->pdata[i], g_str_equal, &at) &&
		    !thread_has_tag (tl, row->thread_id, removed->pdata[i]))
			g_ptr_array_remove_index (tags, at);
	}
	g_ptr_array_sort (tags, compare_tags);
	g_ptr_array_add (tags, NULL);
	g_free (row->tags);
	row->tags = g_strjoinv (" ", (char **) tags->pdata);
}

/* Places thread ID anew: its row rebuilt from the database, or gone when it
 * no longer matches; moved when its sort key changed. */
static void
replace_thread (TrawlThreadList *tl, const char *id, gboolean *membership)
{
	TrawlThreadRow *row = build_one_thread (tl, id);
	Segment *segs[2] = { &tl->head, &tl->tail };
	for (int s = 0; s < 2; s++) {
		gssize i = segment_find (segs[s], id);
		if (i < 0)
			continue;
		if (row && g_array_index (segs[s]->keys, gint64, i) == sort_key (tl, row)) {
			if (segs[s]->rows->pdata[i])
				trawl_thread_row_free (segs[s]->rows->pdata[i]);
			else
				tl->rows_held++;
			segs[s]->rows->pdata[i] = row;
			return;
		}
		segment_remove (tl, segs[s], (gsize) i);
		*membership = TRUE;
	}
	for (guint k = 0; k < tl->candidates->len; k++)
		if (strcmp (((TrawlThreadRow *) tl->candidates->pdata[k])->thread_id, id) == 0) {
			g_ptr_array_remove_index (tl->candidates, k);
			*membership = TRUE;
			break;
		}
	if (!row)
		return;
	*membership = TRUE;
	/* Inside the rows the list knows, it goes where its key says; beyond
	 * them the resumed streams will meet it. */
	gint64 key = sort_key (tl, row);
	gsize at = insert_position (tl, &tl->head, FALSE, key);
	if (at < segment_len (&tl->head) || tl->head.done || tl->merged) {
		segment_insert (tl, &tl->head, at, row);
		if (tl->walk_met)
			g_hash_table_add (tl->walk_met, tl->head.ids->pdata[at]);
		return;
	}
	at = insert_position (tl, &tl->tail, TRUE, key);
	if (at < segment_len (&tl->tail) || tl->tail.done) {
		segment_insert (tl, &tl->tail, at, row);
		g_hash_table_add (tl->tail_met, tl->tail.ids->pdata[at]);
		return;
	}
	trawl_thread_row_free (row);
}

void
trawl_thread_list_patch (TrawlThreadList *tl, const TrawlTagChange *change)
{
	GPtrArray *threads = trawl_tag_change_threads (change);
	/* What changed, thread by thread. */
	g_autoptr (GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
							      (GDestroyNotify) g_ptr_array_unref);
	g_autoptr (GHashTable) removed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
								(GDestroyNotify) g_ptr_array_unref);
	g_autoptr (GPtrArray) changed_tags = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < trawl_tag_change_count (change); i++) {
		const char *tid = trawl_tag_change_thread (change, i);
		const char *const *before = trawl_tag_change_before (change, i);
		const char *const *after = trawl_tag_change_after (change, i);
		GPtrArray *a = g_hash_table_lookup (added, tid), *r = g_hash_table_lookup (removed, tid);
		if (!a) {
			a = g_ptr_array_new ();
			r = g_ptr_array_new ();
			g_hash_table_insert (added, (gpointer) tid, a);
			g_hash_table_insert (removed, (gpointer) tid, r);
		}
		for (const char *const *t = after; *t; t++)
			if (!g_strv_contains (before, *t)) {
				if (!g_ptr_array_find_with_equal_func (a, *t, g_str_equal, NULL))
					g_ptr_array_add (a, (gpointer) *t);
				if (!g_ptr_array_find_with_equal_func (changed_tags, *t, g_str_equal, NULL))
					g_ptr_array_add (changed_tags, g_strdup (*t));
			}
		for (const char *const *t = before; *t; t++)
			if (!g_strv_contains (after, *t)) {
				if (!g_ptr_array_find_with_equal_func (r, *t, g_str_equal, NULL))
					g_ptr_array_add (r, (gpointer) *t);
				if (!g_ptr_array_find_with_equal_func (changed_tags, *t, g_str_equal, NULL))
					g_ptr_array_add (changed_tags, g_strdup (*t));
			}
	}
	g_ptr_array_add (changed_tags, NULL);
	gboolean touches = tags_touch_query (tl, (const char *const *) changed_tags->pdata);
	/* When the tags are in the query, its counts may change too. */
	gboolean membership = touches;
	for (guint k = 0; k < threads->len; k++) {
		const char *id = threads->pdata[k];
		if (touches) {
			/* Which messages match may have changed: place it anew. */
			replace_thread (tl, id, &membership);
			continue;
		}
		/* Only its tags changed: patch them where the row is held. */
		Segment *segs[2] = { &tl->head, &tl->tail };
		for (int s = 0; s < 2; s++) {
			gssize i = segment_find (segs[s], id);
			if (i >= 0 && segs[s]->rows->pdata[i])
				patch_tags (tl, segs[s]->rows->pdata[i], g_hash_table_lookup (added, id),
					    g_hash_table_lookup (removed, id));
		}
		for (guint c = 0; c < tl->candidates->len; c++) {
			TrawlThreadRow *row = tl->candidates->pdata[c];
			if (strcmp (row->thread_id, id) == 0)
				patch_tags (tl, row, g_hash_table_lookup (added, id), g_hash_table_lookup (removed, id));
		}
	}
	tl->revision = trawl_db_revision (tl->db);
	if (membership) {
		if (tl->merged)
			tl->total = segment_len (&tl->head);
		else
			tl->total = -1;
		tl->messages = -1;
		count_begin (tl);
	}
}

gboolean
trawl_thread_list_refresh (TrawlThreadList *tl, GError **error)
{
	unsigned long now = trawl_db_revision (tl->db);
	if (now == tl->revision)
		return TRUE;
	drop_streams (tl);
	/* Every message changed since: new ones, retagged ones (those that left
	 * the query or became excluded too: no exclusion here). */
	g_autofree char *qs = g_strdup_printf ("lastmod:%lu..", tl->revision + 1);
	notmuch_query_t *q = NULL;
	if (notmuch_query_create_with_syntax (tl->db->nm, qs, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q) != NOTMUCH_STATUS_SUCCESS) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "cannot ask the database what changed");
		return FALSE;
	}
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FALSE);
	notmuch_messages_t *msgs = NULL;
	g_autoptr (GPtrArray) threads = g_ptr_array_new ();
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	if (notmuch_query_search_messages (q, &msgs) == NOTMUCH_STATUS_SUCCESS) {
		for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
			notmuch_message_t *m = notmuch_messages_get (msgs);
			const char *tid = m ? notmuch_message_get_thread_id (m) : NULL;
			char *id = tid ? g_string_chunk_insert_const (tl->chunk, tid) : NULL;
			if (id && g_hash_table_add (seen, id))
				g_ptr_array_add (threads, id);
			if (m)
				notmuch_message_destroy (m);
		}
		notmuch_messages_destroy (msgs);
	}
	notmuch_query_destroy (q);
	gboolean membership = FALSE;
	for (guint i = 0; i < threads->len; i++)
		replace_thread (tl, threads->pdata[i], &membership);
	tl->revision = now;
	if (tl->merged)
		tl->total = segment_len (&tl->head);
	else
		tl->total = -1;
	tl->messages = -1;
	count_begin (tl);
	/* A size order still being worked out is of the old state: again. */
	if (tl->order_job) {
		order_detach (tl);
		order_start (tl);
	}
	return TRUE;
}
