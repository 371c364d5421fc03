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
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "model-private.h"

/* Rows kept with their summary around the last access; the rest are evicted. */
#define ROWS_KEEP_DEFAULT 400
/* Rows rebuilt per query when evicted rows come back into view. */
#define REBUILD_BATCH 64

typedef struct {
	GPtrArray *ids;		/* char *, in the segment's order (interned in tl->chunk) */
	GPtrArray *rows;	/* TrawlThreadRow * or NULL when evicted; same length as ids */
	GHashTable *index;	/* id -> position + 1 */
	gboolean done;		/* no more rows can be appended */
} Segment;

/* The background count: owned jointly by the list and its worker thread. */
typedef struct {
	gint ref;
	char *db_path;
	char *query;
	char **exclude_tags;
	TrawlSort sort;
	int pipe_fd[2];
	gint64 threads;		/* written by the worker before it signals */
	gint64 messages;
	volatile gint done;
} CountJob;

struct TrawlThreadList {
	TrawlDb *db;
	char *query;
	TrawlSort sort;
	GStringChunk *chunk;	/* thread ids */

	notmuch_query_t *head_query;
	notmuch_threads_t *head_threads;
	Segment head;

	notmuch_query_t *tail_query;
	notmuch_messages_t *tail_msgs;
	Segment tail;		/* tail.rows[0] is the last row of the list */
	GPtrArray *candidates;	/* TrawlThreadRow *: met by the walk, not yet placed */
	GHashTable *tail_met;	/* id -> 1: threads the walk has met */

	gboolean merged;	/* head holds every row; tail is empty */
	gint64 total;		/* threads, -1 unknown */
	gint64 messages;	/* matching messages, -1 unknown */

	CountJob *job;
	gsize keep;		/* summaries kept around the last access */
	gsize rows_held;
	gsize rows_built;
};

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
	return row;
}

/* ---- segments ------------------------------------------------------------ */

static void
segment_init (Segment *seg)
{
	seg->ids = g_ptr_array_new ();
	seg->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_thread_row_free);
	seg->index = g_hash_table_new (g_str_hash, g_str_equal);
	seg->done = FALSE;
}

static void
segment_clear (Segment *seg)
{
	g_ptr_array_unref (seg->ids);
	g_ptr_array_unref (seg->rows);
	g_hash_table_unref (seg->index);
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
	g_ptr_array_add (seg->ids, id);
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

	g_autofree char *qs = threads_query (tl, (char **) want->pdata, want->len);
	notmuch_query_t *q = trawl_db_make_query (tl->db, qs, NOTMUCH_SORT_UNSORTED, NULL);
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

/* The row at I of SEG, rebuilt if it was evicted.  NULL only if the thread
 * vanished from the database since it was listed. */
static const TrawlThreadRow *
segment_row (TrawlThreadList *tl, Segment *seg, gsize i)
{
	if (!seg->rows->pdata[i])
		segment_rebuild (tl, seg, i);
	segment_evict (tl, seg, i);
	return seg->rows->pdata[i];
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
	if (tl->head_threads) {
		notmuch_threads_destroy (tl->head_threads);
		tl->head_threads = NULL;
	}
	if (tl->tail_msgs) {
		notmuch_messages_destroy (tl->tail_msgs);
		tl->tail_msgs = NULL;
	}
	g_ptr_array_set_size (tl->candidates, 0);
}

/* ---- the head: streaming in list order ------------------------------------- */

static gboolean
head_extend (TrawlThreadList *tl)
{
	if (tl->merged || tl->head.done)
		return FALSE;
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
	if (tl->sort == TRAWL_SORT_NEWEST_FIRST)
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
	if (tl->sort == TRAWL_SORT_NEWEST_FIRST)
		return row->newest < d;
	return row->oldest > d;
}

static TrawlThreadRow *
build_one_thread (TrawlThreadList *tl, const char *id)
{
	char *ids[1] = { (char *) id };
	g_autofree char *qs = threads_query (tl, ids, 1);
	notmuch_query_t *q = trawl_db_make_query (tl->db, qs, NOTMUCH_SORT_UNSORTED, NULL);
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

/* Places the next row from the end.  FALSE when the tail can grow no more. */
static gboolean
tail_extend (TrawlThreadList *tl)
{
	if (tl->merged || tl->tail.done)
		return FALSE;
	if (!tl->tail_query) {
		tl->tail_query = trawl_db_make_query (tl->db, tl->query,
						      tl->sort == TRAWL_SORT_NEWEST_FIRST
						      ? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST,
						      NULL);
		if (!tl->tail_query ||
		    notmuch_query_search_messages (tl->tail_query, &tl->tail_msgs) != NOTMUCH_STATUS_SUCCESS) {
			tl->tail.done = TRUE;
			return FALSE;
		}
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

/* ---- the background count --------------------------------------------------- */

static void
job_unref (CountJob *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	close (job->pipe_fd[0]);
	close (job->pipe_fd[1]);
	g_free (job->db_path);
	g_free (job->query);
	g_strfreev (job->exclude_tags);
	g_free (job);
}

static gpointer
count_worker (gpointer data)
{
	CountJob *job = data;
	notmuch_database_t *nm = NULL;
	gint64 threads = -1, messages = -1;

	/* A handle of our own: libnotmuch objects are not shared across threads.
	 * An empty config path means "read no config": the path is enough. */
	if (notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
					       "", NULL, &nm, NULL) == NOTMUCH_STATUS_SUCCESS) {
		notmuch_query_t *q = NULL;
		if (notmuch_query_create_with_syntax (nm, job->query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q)
		    == NOTMUCH_STATUS_SUCCESS) {
			unsigned n = 0;
			for (char **t = job->exclude_tags; *t; t++)
				notmuch_query_add_tag_exclude (q, *t);
			notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
			if (notmuch_query_count_messages (q, &n) == NOTMUCH_STATUS_SUCCESS)
				messages = n;
			if (notmuch_query_count_threads (q, &n) == NOTMUCH_STATUS_SUCCESS)
				threads = n;
			notmuch_query_destroy (q);
		}
		notmuch_database_destroy (nm);
	}
	job->threads = threads;
	job->messages = messages;
	g_atomic_int_set (&job->done, 1);
	char byte = 1;
	while (write (job->pipe_fd[1], &byte, 1) < 0 && errno == EINTR)
		;
	job_unref (job);
	return NULL;
}

static CountJob *
count_start (TrawlThreadList *tl)
{
	CountJob *job = g_new0 (CountJob, 1);
	if (pipe (job->pipe_fd) < 0) {
		g_free (job);
		return NULL;
	}
	fcntl (job->pipe_fd[0], F_SETFL, O_NONBLOCK);
	fcntl (job->pipe_fd[0], F_SETFD, FD_CLOEXEC);
	fcntl (job->pipe_fd[1], F_SETFD, FD_CLOEXEC);
	job->ref = 2;
	job->db_path = g_strdup (tl->db->path);
	job->query = g_strdup (tl->query);
	job->exclude_tags = g_strdupv (tl->db->exclude_tags);
	GThread *th = g_thread_try_new ("trawl-count", count_worker, job, NULL);
	if (!th) {
		job->ref = 1;
		job_unref (job);
		return NULL;
	}
	g_thread_unref (th);	/* detached: the job outlives whichever side ends last */
	return job;
}

gboolean
trawl_thread_list_collect (TrawlThreadList *tl)
{
	if (!tl->job || !g_atomic_int_get (&tl->job->done))
		return FALSE;
	char buf[16];
	while (read (tl->job->pipe_fd[0], buf, sizeof buf) > 0)
		;
	if (!tl->merged && tl->job->threads >= 0)
		tl->total = tl->job->threads;
	tl->messages = tl->job->messages;
	job_unref (tl->job);
	tl->job = NULL;
	return TRUE;
}

void
trawl_thread_list_wait_count (TrawlThreadList *tl)
{
	while (tl->job && !g_atomic_int_get (&tl->job->done))
		g_usleep (1000);
	trawl_thread_list_collect (tl);
}

int
trawl_thread_list_wake_fd (const TrawlThreadList *tl)
{
	return tl->job ? tl->job->pipe_fd[0] : -1;
}

/* ---- the public list ---------------------------------------------------------- */

/* Starts the head's thread search.  This is what parses the query, so a
 * malformed one fails here, and no separate check costs another pass over
 * the match set. */
static gboolean
head_start (TrawlThreadList *tl, GError **error)
{
	notmuch_sort_t sort = tl->sort == TRAWL_SORT_NEWEST_FIRST
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
	return TRUE;
}

TrawlThreadList *
trawl_thread_list_new (TrawlDb *db, const char *query, TrawlSort sort, GError **error)
{
	TrawlThreadList *tl = g_new0 (TrawlThreadList, 1);
	tl->db = db;
	tl->query = g_strdup (query);
	tl->sort = sort;
	tl->chunk = g_string_chunk_new (4096);
	segment_init (&tl->head);
	segment_init (&tl->tail);
	tl->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_thread_row_free);
	tl->tail_met = g_hash_table_new (g_str_hash, g_str_equal);
	tl->total = -1;
	tl->messages = -1;
	tl->keep = ROWS_KEEP_DEFAULT;
	if (!head_start (tl, error)) {
		trawl_thread_list_free (tl);
		return NULL;
	}
	tl->job = count_start (tl);
	return tl;
}

void
trawl_thread_list_free (TrawlThreadList *tl)
{
	if (!tl)
		return;
	if (tl->head_threads)
		notmuch_threads_destroy (tl->head_threads);
	if (tl->head_query)
		notmuch_query_destroy (tl->head_query);
	if (tl->tail_msgs)
		notmuch_messages_destroy (tl->tail_msgs);
	if (tl->tail_query)
		notmuch_query_destroy (tl->tail_query);
	segment_clear (&tl->head);
	segment_clear (&tl->tail);
	g_ptr_array_unref (tl->candidates);
	g_hash_table_unref (tl->tail_met);
	g_string_chunk_free (tl->chunk);
	if (tl->job)
		job_unref (tl->job);
	g_free (tl->query);
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
