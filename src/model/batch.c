/* batch.c — a batch of terms counted within a query (trawl/batch.h).
 *
 * Each term costs two Xapian counts (its messages, then its threads, the
 * dearer one: O(matching messages)), so a batch runs on a thread of its own
 * with a read-only database handle of its own, as the tag counts do; the
 * view has the terms at once and the counts as they arrive.  Every term's
 * messages are counted before any term's threads: the table can be sorted
 * early. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <notmuch.h>

#include "trawl/batch.h"
#include "trawl/tags.h"
#include "trawl/wakepipe.h"
#include "model-private.h"

/* ---- the terms ---- */

GPtrArray *
trawl_batch_parse (const char *text, gboolean semicolons)
{
	GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
	if (!text)
		return terms;
	g_auto (GStrv) lines = g_strsplit_set (text, semicolons ? "\n;" : "\n", -1);
	for (char **l = lines; *l; l++) {
		char *t = g_strstrip (*l);	/* "\r" too */
		if (!*t || *t == '#')
			continue;
		g_ptr_array_add (terms, g_strdup (t));
	}
	return terms;
}

GPtrArray *
trawl_batch_read_file (const char *path, GError **error)
{
	g_autofree char *full = path[0] == '~' && (path[1] == '/' || !path[1])
		? g_build_filename (g_get_home_dir (), path + 1, NULL) : g_strdup (path);
	g_autofree char *text = NULL;
	gsize len = 0;
	if (!g_file_get_contents (full, &text, &len, error))
		return NULL;
	/* Any bytes: a term that is not UTF-8 is still a term (the screen
	 * shows it sanitised); NULs end a line's text. */
	for (gsize i = 0; i < len; i++)
		if (!text[i])
			text[i] = '\n';
	return trawl_batch_parse (text, FALSE);
}

char *
trawl_query_and (const char *current, const char *term)
{
	g_autofree char *c = g_strstrip (g_strdup (current ? current : ""));
	if (!*c || strcmp (c, "*") == 0)
		return g_strdup (term);
	return g_strdup_printf ("(%s) and (%s)", current, term);
}

/* ---- the counting ---- */

/* Threads that count a batch, at most (each with a database handle). */
#define TRAWL_BATCH_WORKERS 2

/* Per term: PENDING, then MESSAGES (its messages counted), then DONE (both)
 * or FAILED (error set).  The worker writes a term's numbers and error
 * before its state; the view reads the state first. */
enum { PENDING, MESSAGES, DONE, FAILED };

/* Shared by the view's side and the worker; freed by whichever ends last. */
typedef struct {
	gint ref;
	gint cancel;
	char *db_path;
	char **exclude_tags;
	guint n;
	char **terms;
	char **queries;
	gint *state;
	gint *messages;
	gint *threads;
	char **errors;
	gint done_terms;
	TrawlWakePipe wake;	/* finished: the workers ended */
	char *error;		/* set by the last worker before it finishes, when nothing could count */
	/* The workers share the terms: each takes the next one of a pass. */
	gint workers;		/* still running */
	gint next[2];		/* the next term (pass 1) or place in ORDER (pass 2) */
	GMutex lock;		/* guards order, open_error and the wakes' clock */
	guint *order;		/* pass 2: the terms, most messages first */
	char *open_error;	/* a worker that could not open the database */
	gint64 last_wake;
	/* After tag changes (trawl_batch_patch). */
	char *query;		/* the query the terms are counted within */
	gint *updating;		/* per term, >0: its recount is due; atomic */
	gint patching;		/* terms waiting for a recount; atomic */
	gint recounts;		/* terms recounted; atomic */
	gint patched;		/* a recount ever started: the pipe stays polled, collected or not */
} Job;

static gint recounts_all;	/* terms recounted after tag changes, every batch */
static gint skipped_all;	/* tag changes that could not change a count */

struct TrawlBatch {
	Job *job;
};

static void
job_unref (Job *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	trawl_wake_pipe_clear (&job->wake);
	g_free (job->db_path);
	g_free (job->error);
	g_strfreev (job->exclude_tags);
	g_strfreev (job->terms);
	g_strfreev (job->queries);
	for (guint i = 0; i < job->n; i++)
		g_free (job->errors[i]);
	g_free (job->errors);
	g_free (job->state);
	g_free (job->messages);
	g_free (job->threads);
	g_free (job->order);
	g_free (job->open_error);
	g_free (job->query);
	g_free (job->updating);
	g_mutex_clear (&job->lock);
	g_free (job);
}

static notmuch_query_t *
make_query (Job *job, notmuch_database_t *nm, const char *query)
{
	notmuch_query_t *q = NULL;
	if (notmuch_query_create_with_syntax (nm, query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q) != NOTMUCH_STATUS_SUCCESS)
		return NULL;
	for (char **t = job->exclude_tags; t && *t; t++)
		notmuch_query_add_tag_exclude (q, *t);
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
	/* Counting needs no order: unsorted spares Xapian the sort by date
	 * of every match. */
	notmuch_query_set_sort (q, NOTMUCH_SORT_UNSORTED);
	return q;
}

/* notmuch's words for why QUERY failed with ST.  A database handle keeps
 * its first error message, so a fresh one says this query's. */
static char *
query_error (Job *job, notmuch_status_t st, const char *query)
{
	notmuch_database_t *fresh = NULL;
	char *why = NULL;
	if (notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY, "", NULL,
					       &fresh, NULL) == NOTMUCH_STATUS_SUCCESS) {
		notmuch_query_t *q = make_query (job, fresh, query);
		unsigned n = 0;
		notmuch_status_t st2 = q ? notmuch_query_count_messages (q, &n) : NOTMUCH_STATUS_OUT_OF_MEMORY;
		if (st2 != NOTMUCH_STATUS_SUCCESS) {
			st = st2;
			const char *detail = notmuch_database_status_string (fresh);
			if (detail)
				why = g_strdup (detail);
		}
		if (q)
			notmuch_query_destroy (q);
		notmuch_database_destroy (fresh);
	}
	if (!why)
		why = g_strdup (notmuch_status_to_string (st));
	trawl_strip_newlines (why);
	if (st == NOTMUCH_STATUS_XAPIAN_EXCEPTION) {
		char *reason = trawl_xapian_query_error_reason (why);
		g_free (why);
		why = reason;
	}
	return why;
}

static void
fail_term (Job *job, guint i, notmuch_status_t st)
{
	job->errors[i] = query_error (job, st, job->queries[i]);
	g_atomic_int_set (&job->state[i], FAILED);
	g_atomic_int_inc (&job->done_terms);
}

/* Counts one term's messages (THREADS: its threads) on NM. */
static void
count_term (Job *job, notmuch_database_t *nm, guint i, gboolean threads)
{
	notmuch_query_t *q = make_query (job, nm, job->queries[i]);
	if (!q) {
		fail_term (job, i, NOTMUCH_STATUS_OUT_OF_MEMORY);
		return;
	}
	unsigned n = 0;
	notmuch_status_t st = threads ? notmuch_query_count_threads (q, &n) : notmuch_query_count_messages (q, &n);
	notmuch_query_destroy (q);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		fail_term (job, i, st);
		return;
	}
	if (threads) {
		job->threads[i] = (gint) MIN (n, (unsigned) G_MAXINT);
		g_atomic_int_set (&job->state[i], DONE);
		g_atomic_int_inc (&job->done_terms);
	} else {
		job->messages[i] = (gint) MIN (n, (unsigned) G_MAXINT);
		g_atomic_int_set (&job->state[i], MESSAGES);
	}
}

/* Wakes the screen a few times a second, not per term. */
static void
wake_now_and_then (Job *job)
{
	g_mutex_lock (&job->lock);
	gint64 now = g_get_monotonic_time ();
	gboolean due = now - job->last_wake > 100000;
	if (due)
		job->last_wake = now;
	g_mutex_unlock (&job->lock);
	if (due)
		trawl_wake_pipe_signal (&job->wake);
}

static gint
by_messages_desc (gconstpointer a, gconstpointer b, gpointer data)
{
	const Job *job = data;
	guint x = *(const guint *) a, y = *(const guint *) b;
	gint mx = g_atomic_int_get (&job->state[x]) == MESSAGES ? job->messages[x] : -1;
	gint my = g_atomic_int_get (&job->state[y]) == MESSAGES ? job->messages[y] : -1;
	if (mx != my)
		return mx > my ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The order of pass 2, made once every term's messages are counted: the
 * dearest first, so the workers end together. */
static const guint *
pass2_order (Job *job)
{
	while (TRUE) {
		gboolean ready = TRUE;
		for (guint i = 0; i < job->n && ready && !g_atomic_int_get (&job->cancel); i++)
			ready = g_atomic_int_get (&job->state[i]) != PENDING;
		if (ready || g_atomic_int_get (&job->cancel))
			break;
		g_usleep (500);
	}
	g_mutex_lock (&job->lock);
	if (!job->order) {
		job->order = g_new (guint, MAX (job->n, 1));
		for (guint i = 0; i < job->n; i++)
			job->order[i] = i;
		g_qsort_with_data (job->order, job->n, sizeof (guint), by_messages_desc, job);
	}
	g_mutex_unlock (&job->lock);
	return job->order;
}

static gpointer
worker (gpointer data)
{
	Job *job = data;
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
								 "", NULL, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS || !nm) {
		g_autofree char *m = g_strdup (msg ? msg : notmuch_status_to_string (st));
		trawl_strip_newlines (m);
		g_mutex_lock (&job->lock);
		if (!job->open_error)
			job->open_error = g_strdup_printf ("cannot count: cannot open the notmuch database %s: %s",
							   job->db_path, m);
		g_mutex_unlock (&job->lock);
		if (nm)
			notmuch_database_destroy (nm);
		nm = NULL;
	}
	free (msg);
	if (nm) {
		/* Messages of every term first (cheap), then threads. */
		guint i;
		while (!g_atomic_int_get (&job->cancel) && (i = (guint) g_atomic_int_add (&job->next[0], 1)) < job->n) {
			count_term (job, nm, i, FALSE);
			wake_now_and_then (job);
		}
		trawl_wake_pipe_signal (&job->wake);
		const guint *order = pass2_order (job);
		guint k;
		while (!g_atomic_int_get (&job->cancel) && (k = (guint) g_atomic_int_add (&job->next[1], 1)) < job->n) {
			i = order[k];
			if (g_atomic_int_get (&job->state[i]) != MESSAGES)
				continue;
			if (job->messages[i] <= 1) {
				/* No message, no thread; one message, one thread. */
				job->threads[i] = job->messages[i];
				g_atomic_int_set (&job->state[i], DONE);
				g_atomic_int_inc (&job->done_terms);
				continue;
			}
			count_term (job, nm, i, TRUE);
			wake_now_and_then (job);
		}
		notmuch_database_destroy (nm);
	}
	if (g_atomic_int_dec_and_test (&job->workers)) {
		/* The last one out: nothing counted at all is said. */
		if (job->open_error && (guint) g_atomic_int_get (&job->done_terms) < job->n)
			job->error = g_steal_pointer (&job->open_error);
		trawl_wake_pipe_finish (&job->wake);
	} else {
		trawl_wake_pipe_signal (&job->wake);
	}
	job_unref (job);
	return NULL;
}

TrawlBatch *
trawl_batch_new (TrawlDb *db, const char *query, GPtrArray *terms)
{
	TrawlBatch *b = g_new0 (TrawlBatch, 1);
	Job *job = g_new0 (Job, 1);
	guint n = terms->len;
	job->n = n;
	job->terms = g_new0 (char *, n + 1);
	job->queries = g_new0 (char *, n + 1);
	job->errors = g_new0 (char *, n + 1);
	job->state = g_new0 (gint, n + 1);
	job->messages = g_new0 (gint, n + 1);
	job->threads = g_new0 (gint, n + 1);
	job->updating = g_new0 (gint, n + 1);
	job->query = g_strdup (query);
	for (guint i = 0; i < n; i++) {
		job->terms[i] = g_strdup (terms->pdata[i]);
		job->queries[i] = trawl_query_and (query, terms->pdata[i]);
	}
	job->db_path = g_strdup (db->path);
	job->exclude_tags = g_strdupv (db->exclude_tags);
	b->job = job;
	job->ref = 1;
	g_mutex_init (&job->lock);
	g_autoptr (GError) pe = NULL;
	if (!trawl_wake_pipe_init (&job->wake, &pe)) {
		job->error = g_strdup_printf ("cannot count: %s", pe->message);
		trawl_wake_pipe_abandon (&job->wake);
		return b;	/* no counts, but the terms */
	}
	db->stats.count_jobs++;
	/* Two workers (each with its own handle) where there are two cores:
	 * counting threads is O(matching messages) per term. */
	int workers = n > 1 ? CLAMP ((int) g_get_num_processors (), 1, TRAWL_BATCH_WORKERS) : 1;
	job->ref = 1 + workers;
	job->workers = workers;
	for (int w = 0; w < workers; w++) {
		g_autoptr (GError) e = NULL;
		GThread *th = g_thread_try_new ("trawl-batch", worker, job, &e);
		if (th) {
			g_thread_unref (th);
			continue;
		}
		/* The ones that did start do the work; none: said. */
		int left = workers - w;
		g_atomic_int_add (&job->ref, -left);
		if (g_atomic_int_add (&job->workers, -left) == left) {
			/* and none is running any more */
			if (w == 0) {
				job->error = g_strdup_printf ("cannot count: %s", e ? e->message : "no thread");
				trawl_wake_pipe_abandon (&job->wake);
			} else {
				if (job->open_error && (guint) g_atomic_int_get (&job->done_terms) < job->n)
					job->error = g_steal_pointer (&job->open_error);
				trawl_wake_pipe_finish (&job->wake);
			}
		}
		break;
	}
	return b;
}

void
trawl_batch_free (TrawlBatch *b)
{
	if (!b)
		return;
	g_atomic_int_set (&b->job->cancel, 1);
	job_unref (b->job);
	g_free (b);
}

guint
trawl_batch_len (const TrawlBatch *b)
{
	return b->job->n;
}

const char *
trawl_batch_term (const TrawlBatch *b, guint i)
{
	return i < b->job->n ? b->job->terms[i] : NULL;
}

const char *
trawl_batch_query (const TrawlBatch *b, guint i)
{
	return i < b->job->n ? b->job->queries[i] : NULL;
}

gint64
trawl_batch_messages (const TrawlBatch *b, guint i)
{
	if (i >= b->job->n)
		return -1;
	gint s = g_atomic_int_get (&b->job->state[i]);
	return s == MESSAGES || s == DONE ? b->job->messages[i] : -1;
}

gint64
trawl_batch_threads (const TrawlBatch *b, guint i)
{
	if (i >= b->job->n)
		return -1;
	return g_atomic_int_get (&b->job->state[i]) == DONE ? b->job->threads[i] : -1;
}

const char *
trawl_batch_term_error (const TrawlBatch *b, guint i)
{
	if (i >= b->job->n)
		return NULL;
	return g_atomic_int_get (&b->job->state[i]) == FAILED ? b->job->errors[i] : NULL;
}

guint
trawl_batch_done (const TrawlBatch *b)
{
	return (guint) g_atomic_int_get (&b->job->done_terms);
}

const char *
trawl_batch_error (const TrawlBatch *b)
{
	/* Written before the job finishes, never after. */
	return trawl_wake_pipe_finished (&b->job->wake) ? b->job->error : NULL;
}

int
trawl_batch_wake_fd (const TrawlBatch *b)
{
	return g_atomic_int_get (&b->job->patched) ? trawl_wake_pipe_read_fd (&b->job->wake)
		: trawl_wake_pipe_fd (&b->job->wake);
}

gboolean
trawl_batch_collect (TrawlBatch *b)
{
	return trawl_wake_pipe_collect (&b->job->wake);
}

void
trawl_batch_wait (TrawlBatch *b)
{
	trawl_wake_pipe_wait (&b->job->wake);
}

/* ---- the order by count ---- */

typedef struct {
	guint index;
	int rank;		/* 0 counted, 1 not yet, 2 failed */
	gint64 messages;
} SortKey;

static gint
by_count (gconstpointer pa, gconstpointer pb)
{
	const SortKey *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->messages != b->messages)
		return a->messages > b->messages ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

void
trawl_batch_sort_by_count (const TrawlBatch *b, GArray *order)
{
	guint n = trawl_batch_len (b);
	g_autofree SortKey *keys = g_new (SortKey, MAX (n, 1));
	for (guint i = 0; i < n; i++) {
		keys[i].index = i;
		keys[i].messages = trawl_batch_messages (b, i);
		keys[i].rank = trawl_batch_term_error (b, i) ? 2 : keys[i].messages < 0 ? 1 : 0;
	}
	qsort (keys, n, sizeof *keys, by_count);
	g_array_set_size (order, n);
	for (guint i = 0; i < n; i++)
		g_array_index (order, guint, i) = keys[i].index;
}

/* ---- after a tag change: the terms it can have moved ---- */

typedef struct {
	Job *job;
	GArray *terms;		/* guint */
} PatchJob;

static gpointer
patch_worker (gpointer data)
{
	PatchJob *pj = data;
	Job *job = pj->job;
	/* The first counting is over before any recount (its handles may be
	 * from before the change: what they count would come after ours). */
	while (!g_atomic_int_get (&job->cancel) && !trawl_wake_pipe_finished (&job->wake))
		g_usleep (1000);
	notmuch_database_t *nm = NULL;
	if (!g_atomic_int_get (&job->cancel) &&
	    notmuch_database_open_with_config (job->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY, "", NULL,
					       &nm, NULL) != NOTMUCH_STATUS_SUCCESS)
		nm = NULL;
	for (guint j = 0; j < pj->terms->len; j++) {
		guint i = g_array_index (pj->terms, guint, j);
		if (nm && !g_atomic_int_get (&job->cancel) && g_atomic_int_get (&job->state[i]) == DONE) {
			unsigned m = 0, t = 0;
			notmuch_query_t *q = make_query (job, nm, job->queries[i]);
			g_atomic_int_inc (&job->recounts);
			g_atomic_int_inc (&recounts_all);
			if (q && notmuch_query_count_messages (q, &m) == NOTMUCH_STATUS_SUCCESS &&
			    (m <= 1 ? (t = m, TRUE) : notmuch_query_count_threads (q, &t) == NOTMUCH_STATUS_SUCCESS)) {
				g_atomic_int_set (&job->messages[i], (gint) MIN (m, (unsigned) G_MAXINT));
				g_atomic_int_set (&job->threads[i], (gint) MIN (t, (unsigned) G_MAXINT));
			}
			if (q)
				notmuch_query_destroy (q);
		}
		g_atomic_int_add (&job->updating[i], -1);
		g_atomic_int_add (&job->patching, -1);
		wake_now_and_then (job);
	}
	if (nm)
		notmuch_database_destroy (nm);
	trawl_wake_pipe_signal (&job->wake);
	g_array_unref (pj->terms);
	g_free (pj);
	job_unref (job);
	return NULL;
}

guint
trawl_batch_patch (TrawlBatch *b, const TrawlTagChange *change, gboolean *every)
{
	Job *job = b->job;
	if (every)
		*every = FALSE;
	if (!change || !trawl_tag_change_count (change) || trawl_wake_pipe_read_fd (&job->wake) < 0)
		return 0;
	g_autoptr (GPtrArray) tags = trawl_tag_change_tags (change);
	g_ptr_array_add (tags, NULL);
	const char *const *tv = (const char *const *) tags->pdata;
	gboolean all = trawl_query_mentions_tags (job->query, tv) || trawl_tags_excluded (tv, job->exclude_tags);
	GArray *terms = g_array_new (FALSE, FALSE, sizeof (guint));
	for (guint i = 0; i < job->n; i++) {
		/* A term that is not a query stays what notmuch said of it. */
		if (g_atomic_int_get (&job->state[i]) == FAILED)
			continue;
		if (all || trawl_query_mentions_tags (job->terms[i], tv))
			g_array_append_val (terms, i);
	}
	guint n = terms->len;
	if (!n) {
		g_array_unref (terms);
		g_atomic_int_inc (&skipped_all);
		return 0;
	}
	for (guint j = 0; j < n; j++)
		g_atomic_int_inc (&job->updating[g_array_index (terms, guint, j)]);
	g_atomic_int_add (&job->patching, (gint) n);
	g_atomic_int_set (&job->patched, 1);
	PatchJob *pj = g_new0 (PatchJob, 1);
	pj->job = job;
	pj->terms = terms;
	g_atomic_int_inc (&job->ref);
	GThread *th = g_thread_try_new ("trawl-batch-patch", patch_worker, pj, NULL);
	if (!th) {
		for (guint j = 0; j < n; j++)
			g_atomic_int_add (&job->updating[g_array_index (terms, guint, j)], -1);
		g_atomic_int_add (&job->patching, -(gint) n);
		g_atomic_int_add (&job->ref, -1);
		g_array_unref (terms);
		g_free (pj);
		return 0;
	}
	g_thread_unref (th);
	if (every)
		*every = all;
	return n;
}

gboolean
trawl_batch_updating (const TrawlBatch *b, guint i)
{
	return i < b->job->n && g_atomic_int_get (&b->job->updating[i]) > 0;
}

guint
trawl_batch_patching (const TrawlBatch *b)
{
	return (guint) MAX (g_atomic_int_get (&b->job->patching), 0);
}

guint
trawl_batch_recounts (const TrawlBatch *b)
{
	return (guint) g_atomic_int_get (&b->job->recounts);
}

guint
trawl_batch_recounts_all (void)
{
	return (guint) g_atomic_int_get (&recounts_all);
}

guint
trawl_batch_patches_skipped_all (void)
{
	return (guint) g_atomic_int_get (&skipped_all);
}

void
trawl_batch_wait_patched (TrawlBatch *b)
{
	while (g_atomic_int_get (&b->job->patching) > 0)
		g_usleep (1000);
	trawl_batch_collect (b);
}
