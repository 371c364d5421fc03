/* batch.c — a batch of terms counted within a query (trawl/batch.h).
 *
 * Each term costs two Xapian counts (its messages, then its threads, the
 * dearer one: O(matching messages)), so a batch runs on a thread of its own
 * with a read-only database handle of its own, as the tag counts do; the
 * view has the terms at once and the counts as they arrive.  Every term's
 * messages are counted before any term's threads: the table can be sorted
 * early. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <notmuch.h>

#include "trawl/batch.h"
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
	int pipe_fd[2];
	gint done;		/* 1: the worker ended; 2: and its wakes are drained */
	char *error;		/* set by the worker before done, when it cannot count */
} Job;

struct TrawlBatch {
	Job *job;
};

static void
job_unref (Job *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	if (job->pipe_fd[0] >= 0)
		close (job->pipe_fd[0]);
	if (job->pipe_fd[1] >= 0)
		close (job->pipe_fd[1]);
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
wake (Job *job)
{
	char b = 1;
	while (write (job->pipe_fd[1], &b, 1) < 0 && errno == EINTR)
		;
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
		job->error = g_strdup_printf ("cannot count: cannot open the notmuch database %s: %s",
					      job->db_path, m);
		if (nm)
			notmuch_database_destroy (nm);
		nm = NULL;
	}
	free (msg);
	if (nm) {
		gint64 last_wake = g_get_monotonic_time ();
		/* Messages of every term first (cheap), then threads. */
		for (int pass = 0; pass < 2; pass++) {
			for (guint i = 0; i < job->n && !g_atomic_int_get (&job->cancel); i++) {
				if (g_atomic_int_get (&job->state[i]) != (pass ? MESSAGES : PENDING))
					continue;
				count_term (job, nm, i, pass == 1);
				/* Wake the screen a few times a second, not per term. */
				if (g_get_monotonic_time () - last_wake > 100000) {
					wake (job);
					last_wake = g_get_monotonic_time ();
				}
			}
			wake (job);
		}
		notmuch_database_destroy (nm);
	}
	g_atomic_int_set (&job->done, 1);
	wake (job);
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
	for (guint i = 0; i < n; i++) {
		job->terms[i] = g_strdup (terms->pdata[i]);
		job->queries[i] = trawl_query_and (query, terms->pdata[i]);
	}
	job->db_path = g_strdup (db->path);
	job->exclude_tags = g_strdupv (db->exclude_tags);
	b->job = job;
	job->ref = 1;
	if (pipe (job->pipe_fd) < 0) {
		job->error = g_strdup_printf ("cannot count: pipe: %s", g_strerror (errno));
		job->pipe_fd[0] = job->pipe_fd[1] = -1;
		job->done = 2;
		return b;	/* no counts, but the terms */
	}
	for (int i = 0; i < 2; i++) {
		fcntl (job->pipe_fd[i], F_SETFL, O_NONBLOCK);
		fcntl (job->pipe_fd[i], F_SETFD, FD_CLOEXEC);
	}
	job->ref = 2;
	db->stats.count_jobs++;
	g_autoptr (GError) e = NULL;
	GThread *th = g_thread_try_new ("trawl-batch", worker, job, &e);
	if (th) {
		g_thread_unref (th);
	} else {
		job->error = g_strdup_printf ("cannot count: %s", e ? e->message : "no thread");
		job->ref = 1;
		job->done = 2;
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
	/* Written before done is set, never after. */
	return g_atomic_int_get (&b->job->done) ? b->job->error : NULL;
}

int
trawl_batch_wake_fd (const TrawlBatch *b)
{
	return g_atomic_int_get (&b->job->done) == 2 ? -1 : b->job->pipe_fd[0];
}

gboolean
trawl_batch_collect (TrawlBatch *b)
{
	char buf[64];
	gboolean news = FALSE;
	while (b->job->pipe_fd[0] >= 0 && read (b->job->pipe_fd[0], buf, sizeof buf) > 0)
		news = TRUE;
	/* Once finished and drained, stop polling the pipe. */
	if (g_atomic_int_get (&b->job->done) == 1)
		g_atomic_int_set (&b->job->done, 2);
	return news;
}

void
trawl_batch_wait (TrawlBatch *b)
{
	while (b->job->pipe_fd[0] >= 0 && !g_atomic_int_get (&b->job->done))
		g_usleep (1000);
	trawl_batch_collect (b);
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
