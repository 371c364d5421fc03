/* tagcounts.c — every tag with its message and unread counts.
 *
 * Counting is O(messages with the tag) per tag, seconds for a big archive
 * with many tags, so it runs on a thread of its own with a database handle of
 * its own; the list of names is there at once and counts fill in as they
 * arrive.  Nothing recounts on a keypress. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "trawl/wakepipe.h"
#include "model-private.h"

/* Shared by the view's side and the worker; freed by whichever ends last. */
typedef struct {
	gint ref;
	gint cancel;
	char *db_path;
	char **names;		/* labels */
	char **queries;		/* what each label counts */
	guint n;
	gint *total;		/* -1 until counted; written atomically */
	gint *unread;
	TrawlWakePipe wake;
	char *error;		/* set by the worker before it finishes, when it cannot count */
} Job;

struct TrawlTagCounts {
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
	g_strfreev (job->names);
	g_strfreev (job->queries);
	g_free (job->total);
	g_free (job->unread);
	g_free (job);
}

char *
trawl_query_term (const char *prefix, const char *value)
{
	/* prefix:"a""b" is how notmuch quotes a double quote inside a term. */
	GString *q = g_string_new (prefix);
	g_string_append (q, ":\"");
	for (const char *p = value; *p; p++) {
		if (*p == '"')
			g_string_append_c (q, '"');
		g_string_append_c (q, *p);
	}
	g_string_append_c (q, '"');
	return g_string_free (q, FALSE);
}

char *
trawl_tag_query (const char *name)
{
	return trawl_query_term ("tag", name);
}

static gint
count (notmuch_database_t *nm, const char *query)
{
	notmuch_query_t *q = NULL;
	unsigned n = 0;
	if (notmuch_query_create_with_syntax (nm, query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q) != NOTMUCH_STATUS_SUCCESS)
		return 0;
	if (notmuch_query_count_messages (q, &n) != NOTMUCH_STATUS_SUCCESS)
		n = 0;
	notmuch_query_destroy (q);
	return (gint) MIN (n, (unsigned) G_MAXINT);
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
		/* Said, not left "counting" for ever. */
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
		for (guint i = 0; i < job->n && !g_atomic_int_get (&job->cancel); i++) {
			const char *q = job->queries[i];
			g_autofree char *qu = g_strdup_printf ("(%s) and tag:unread", q);
			g_atomic_int_set (&job->unread[i], count (nm, qu));
			g_atomic_int_set (&job->total[i], count (nm, q));
			/* Wake the screen a few times a second, not per tag. */
			if (g_get_monotonic_time () - last_wake > 100000) {
				trawl_wake_pipe_signal (&job->wake);
				last_wake = g_get_monotonic_time ();
			}
		}
		notmuch_database_destroy (nm);
	}
	trawl_wake_pipe_finish (&job->wake);
	job_unref (job);
	return NULL;
}

TrawlTagCounts *
trawl_tag_counts_new (TrawlDb *db)
{
	g_autoptr (GPtrArray) tags = trawl_db_all_tags (db);
	g_autoptr (GPtrArray) queries = trawl_named_queries_new ();
	for (guint i = 0; i < tags->len; i++) {
		g_autofree char *q = trawl_tag_query (tags->pdata[i]);
		g_ptr_array_add (queries, trawl_named_query_new (tags->pdata[i], q, "tag"));
	}
	return trawl_query_counts_new (db, queries);
}

TrawlTagCounts *
trawl_query_counts_new (TrawlDb *db, GPtrArray *queries)
{
	TrawlTagCounts *tc = g_new0 (TrawlTagCounts, 1);
	Job *job = g_new0 (Job, 1);
	job->n = queries->len;
	job->names = g_new0 (char *, job->n + 1);
	job->queries = g_new0 (char *, job->n + 1);
	for (guint i = 0; i < job->n; i++) {
		const TrawlNamedQuery *q = queries->pdata[i];
		job->names[i] = g_strdup (q->name);
		job->queries[i] = g_strdup (q->query);
	}
	job->total = g_new (gint, MAX (job->n, 1));
	job->unread = g_new (gint, MAX (job->n, 1));
	for (guint i = 0; i < job->n; i++)
		job->total[i] = job->unread[i] = -1;
	job->db_path = g_strdup (db->path);
	tc->job = job;
	g_autoptr (GError) e = NULL;
	if (!trawl_wake_pipe_init (&job->wake, &e)) {
		job->error = g_strdup_printf ("cannot count: %s", e->message);
		job->ref = 1;
		trawl_wake_pipe_abandon (&job->wake);
		return tc;	/* no counts, but the names */
	}
	job->ref = 2;
	GThread *th = g_thread_try_new ("trawl-tagcounts", worker, job, &e);
	if (th) {
		g_thread_unref (th);
	} else {
		job->error = g_strdup_printf ("cannot count: %s", e ? e->message : "no thread");
		job->ref = 1;
		trawl_wake_pipe_abandon (&job->wake);
	}
	return tc;
}

void
trawl_tag_counts_free (TrawlTagCounts *tc)
{
	if (!tc)
		return;
	g_atomic_int_set (&tc->job->cancel, 1);
	job_unref (tc->job);
	g_free (tc);
}

guint
trawl_tag_counts_len (const TrawlTagCounts *tc)
{
	return tc->job->n;
}

const char *
trawl_tag_counts_error (const TrawlTagCounts *tc)
{
	/* Written before the job finishes, never after. */
	return trawl_wake_pipe_finished (&tc->job->wake) ? tc->job->error : NULL;
}

const char *
trawl_tag_counts_name (const TrawlTagCounts *tc, guint i)
{
	return i < tc->job->n ? tc->job->names[i] : NULL;
}

const char *
trawl_tag_counts_query (const TrawlTagCounts *tc, guint i)
{
	return i < tc->job->n ? tc->job->queries[i] : NULL;
}

gint64
trawl_tag_counts_total (const TrawlTagCounts *tc, guint i)
{
	return i < tc->job->n ? g_atomic_int_get (&tc->job->total[i]) : -1;
}

gint64
trawl_tag_counts_unread (const TrawlTagCounts *tc, guint i)
{
	/* Unread is stored before total: a total implies its unread count. */
	return i < tc->job->n && g_atomic_int_get (&tc->job->total[i]) >= 0
		? g_atomic_int_get (&tc->job->unread[i]) : -1;
}

int
trawl_tag_counts_wake_fd (const TrawlTagCounts *tc)
{
	return trawl_wake_pipe_fd (&tc->job->wake);
}

gboolean
trawl_tag_counts_collect (TrawlTagCounts *tc)
{
	return trawl_wake_pipe_collect (&tc->job->wake);
}

void
trawl_tag_counts_wait (TrawlTagCounts *tc)
{
	trawl_wake_pipe_wait (&tc->job->wake);
}
