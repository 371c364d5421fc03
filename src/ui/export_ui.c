/* export_ui.c — `export`, `export-thread`, `export-query` and `export-stop`
 * in the UI: the marked threads, the selected thread or message, the open
 * thread, or the whole query (its count confirmed with one key), exported
 * by trawl_export_run (include/trawl/export.h) into a new directory.
 *
 * The export runs on a thread of its own with a read-only database handle
 * of its own (the app's stays free for the views; --read-only is no
 * obstacle: only PATH is written).  The worker wakes the main loop through
 * a wake pipe (at most ten times a second); the bottom line says
 * "Exporting 1,234/12,345 to PATH... C-c stops" while it runs, and keys
 * stay live.  One export at a time. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"
#include "trawl/export.h"
#include "trawl/import.h"
#include "trawl/process.h"
#include "trawl/wakepipe.h"

/* Shared by the UI and the worker; freed by whichever lets go last. */
typedef struct {
	gint ref;
	gint cancel;
	char *config_path;	/* the app's database, opened again read-only */
	char *to;		/* absolute */
	char *query;
	char *command_line;
	TrawlExportFormat format;
	gboolean include_excluded;
	TrawlWakePipe wake;
	GMutex lock;		/* guards p */
	TrawlExportProgress p;
	gint64 last_wake;	/* worker only */
	/* Set by the worker before it finishes. */
	gboolean ok;
	GError *error;
} Job;

static Job *current;		/* the export running, or NULL (one App a process) */

static void
job_unref (Job *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	trawl_wake_pipe_clear (&job->wake);
	g_mutex_clear (&job->lock);
	g_free (job->config_path);
	g_free (job->to);
	g_free (job->query);
	g_free (job->command_line);
	g_clear_error (&job->error);
	g_free (job);
}

/* 12345 -> "12,345" */
static char *
grouped (guint64 n)
{
	g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
	GString *s = g_string_new (NULL);
	gsize len = strlen (digits);
	for (gsize i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			g_string_append_c (s, ',');
		g_string_append_c (s, digits[i]);
	}
	return g_string_free (s, FALSE);
}

/* ---- the worker ---- */

static void
worker_progress (const TrawlExportProgress *p, gpointer user)
{
	Job *job = user;
	g_mutex_lock (&job->lock);
	job->p = *p;
	g_mutex_unlock (&job->lock);
	gint64 now = g_get_monotonic_time ();
	if (p->done == 0 || now - job->last_wake >= G_USEC_PER_SEC / 10) {
		job->last_wake = now;
		trawl_wake_pipe_signal (&job->wake);
	}
}

static gpointer
worker (gpointer data)
{
	Job *job = data;
	TrawlDbOptions dbo = { .config_path = job->config_path, .writable = FALSE };
	GError *err = NULL;
	TrawlDb *db = trawl_db_open (&dbo, &err);
	TrawlExportProgress p = { 0 };
	gboolean ok = FALSE;
	if (db) {
		TrawlExportRequest req = { .to = job->to, .format = job->format, .query = job->query,
					   .include_excluded = job->include_excluded,
					   .command_line = job->command_line };
		ok = trawl_export_run (db, &req, worker_progress, job, &job->cancel, &p, &err);
		trawl_db_free (db);
		g_mutex_lock (&job->lock);
		job->p = p;
		g_mutex_unlock (&job->lock);
	}
	job->ok = ok;
	job->error = err;
	trawl_wake_pipe_finish (&job->wake);
	job_unref (job);
	return NULL;
}

/* ---- the main loop's side ---- */

int
ui_export_wake_fd (void)
{
	return current ? trawl_wake_pipe_fd (&current->wake) : -1;
}

gboolean
ui_export_wake (App *app)
{
	if (!current)
		return FALSE;
	Job *job = current;
	trawl_wake_pipe_collect (&job->wake);
	if (!trawl_wake_pipe_finished (&job->wake))
		return TRUE;	/* progress: the bottom line */
	current = NULL;
	TrawlExportProgress p;
	g_mutex_lock (&job->lock);
	p = job->p;
	g_mutex_unlock (&job->lock);
	g_autofree char *n = grouped (p.done);
	g_autofree char *total = grouped (p.total);
	if (job->ok) {
		app_message (app, FALSE, "Exported %s message%s to %s (%s); SHA256SUMS written: cd there && sha256sum -c SHA256SUMS",
			     n, p.done == 1 ? "" : "s", job->to, trawl_export_format_name (job->format));
	} else if (g_error_matches (job->error, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_CANCELLED)) {
		app_message (app, TRUE, "Export stopped after %s of %s messages: %s/.incomplete left; "
			     "the same export again finishes it", n, total, job->to);
	} else if (g_error_matches (job->error, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_UNFINISHED)) {
		app_message (app, TRUE, "Export failed after %s of %s messages: %s; %s/.incomplete left",
			     n, total, job->error->message, job->to);
	} else if (g_error_matches (job->error, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_EMPTY)) {
		app_message (app, FALSE, "No message to export: nothing written");
	} else {
		app_message (app, TRUE, "Export: %s", job->error ? job->error->message : "failed");
	}
	job_unref (job);
	return TRUE;
}

void
ui_export_draw (App *app)
{
	if (!current || app->message)
		return;
	TrawlExportProgress p;
	g_mutex_lock (&current->lock);
	p = current->p;
	g_mutex_unlock (&current->lock);
	g_autofree char *n = grouped (p.done);
	g_autofree char *total = grouped (p.total);
	g_autofree char *keys = ui_keymap_keys ("search", TRAWL_CMD_EXPORT_STOP);
	g_autofree char *line = g_atomic_int_get (&current->cancel)
		? g_strdup_printf ("Stopping the export to %s...", current->to)
		: g_strdup_printf ("Exporting %s/%s to %s... %s stops", n, total, current->to,
				   *keys ? keys : "export-stop");
	ui_put (LINES - 1, 0, COLS, line, ui_attr (UI_ATTR_MESSAGE));
}

/* ---- starting one ---- */

/* "[mbox|maildir|eml] PATH": the format and the path (~ expanded, made
 * absolute); FALSE: no path. */
static gboolean
parse_target (const char *text, TrawlExportFormat *format, char **path)
{
	g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
	*format = TRAWL_EXPORT_MBOX;
	char *sp = strpbrk (t, " \t");
	if (sp) {
		g_autofree char *word = g_strndup (t, (gsize) (sp - t));
		if (trawl_export_format_parse (word, format)) {
			char *rest = g_strstrip (sp);
			memmove (t, rest, strlen (rest) + 1);
		}
	}
	if (!*t)
		return FALSE;
	g_autofree char *expanded = NULL;
	if (g_str_equal (t, "~") || g_str_has_prefix (t, "~/"))
		expanded = g_strconcat (g_get_home_dir (), t + 1, NULL);
	else
		expanded = g_strdup (t);
	*path = g_canonicalize_filename (expanded, NULL);
	return TRUE;
}

/* Where an export goes unless the user says otherwise: ARCHIVE/exports/...
 * for a trawl archive's database, else the current directory. */
static char *
default_target (App *app)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_local ();
	g_autofree char *name = g_date_time_format (now, "trawl-export-%Y%m%d-%H%M%S");
	g_autofree char *root = trawl_db_mail_root (app->db);
	g_autofree char *up = g_path_get_dirname (root);
	g_autofree char *cfg = trawl_archive_config_path (up);
	if (g_file_test (cfg, G_FILE_TEST_EXISTS))
		return g_build_filename (up, "exports", name, NULL);
	return g_strconcat ("./", name, NULL);
}

/* Asks for (or takes ARG as) the target; NULL when there is none, or it is
 * refused (said on the bottom line). */
static char *
ask_target (App *app, const char *arg, const char *what, TrawlExportFormat *format)
{
	g_autofree char *answer = NULL;
	if (arg)
		answer = g_strdup (arg);
	else {
		g_autofree char *prompt = g_strdup_printf ("Export %s to [mbox|maildir|eml] PATH: ", what);
		g_autofree char *initial = default_target (app);
		answer = ui_prompt (app, prompt, initial, NULL);
		if (!answer)
			return NULL;
	}
	char *path = NULL;
	if (!parse_target (answer, format, &path)) {
		app_message (app, TRUE, "No path: nothing exported");
		return NULL;
	}
	g_autofree char *marker = g_build_filename (path, ".incomplete", NULL);
	if ((g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK)) &&
	    !g_file_test (marker, G_FILE_TEST_EXISTS)) {
		app_message (app, TRUE, "%s exists; export never overwrites: choose a new path (nothing written)", path);
		g_free (path);
		return NULL;
	}
	return path;
}

static void
start (App *app, const char *query, gboolean include_excluded, const char *to, TrawlExportFormat format)
{
	Job *job = g_new0 (Job, 1);
	job->ref = 2;		/* the UI's and the worker's */
	const char *cfg = trawl_db_config_path (app->db);
	job->config_path = cfg ? g_strdup (cfg) : NULL;
	job->to = g_strdup (to);
	job->query = g_strdup (query);
	job->format = format;
	job->include_excluded = include_excluded;
	g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (argv, g_strdup ("export"));
	if (cfg) {
		g_ptr_array_add (argv, g_strdup ("--config"));
		g_ptr_array_add (argv, g_strdup (cfg));
	}
	g_ptr_array_add (argv, g_strdup ("--format"));
	g_ptr_array_add (argv, g_strdup (trawl_export_format_name (format)));
	if (include_excluded)
		g_ptr_array_add (argv, g_strdup ("--include-excluded"));
	g_ptr_array_add (argv, g_strdup ("--to"));
	g_ptr_array_add (argv, g_strdup (to));
	g_ptr_array_add (argv, g_strdup (query));
	job->command_line = trawl_command_line ("trawl", (int) argv->len, (char **) argv->pdata);
	g_mutex_init (&job->lock);
	g_autoptr (GError) err = NULL;
	if (!trawl_wake_pipe_init (&job->wake, &err)) {
		app_message (app, TRUE, "Cannot export: %s", err->message);
		job->ref = 1;
		job_unref (job);
		return;
	}
	GThread *t = g_thread_try_new ("trawl-export", worker, job, &err);
	if (!t) {
		app_message (app, TRUE, "Cannot export: %s", err->message);
		trawl_wake_pipe_abandon (&job->wake);
		job->ref = 1;
		job_unref (job);
		return;
	}
	g_thread_unref (t);
	current = job;
	g_clear_pointer (&app->message, g_free);
}

/* The query of the messages IDS. */
static char *
ids_query (GPtrArray *ids)
{
	GString *q = g_string_new (NULL);
	for (guint i = 0; i < ids->len; i++) {
		g_autofree char *term = trawl_query_term ("id", ids->pdata[i]);
		g_string_append_printf (q, "%s%s", i ? " or " : "", term);
	}
	return g_string_free (q, FALSE);
}

gboolean
ui_export_may_quit (App *app)
{
	if (!current)
		return TRUE;
	g_mutex_lock (&current->lock);
	TrawlExportProgress p = current->p;
	g_mutex_unlock (&current->lock);
	g_autofree char *done = grouped (p.done), *total = grouped (p.total);
	g_autofree char *q = g_strdup_printf ("An export to %s is running (%s of %s): stop it and quit? "
					      "The same export again finishes it (y/n)", current->to, done, total);
	if (!ui_ask_yes_no (app, q)) {
		app_message (app, FALSE, "Still exporting to %s", current->to);
		return FALSE;
	}
	/* Stopped between two messages, the export leaves PATH/.incomplete
	 * and manifests that a re-run trusts; wait for that (a message is
	 * written in well under this), rather than end the process mid-write. */
	Job *job = current;
	g_atomic_int_set (&job->cancel, 1);
	for (int i = 0; i < 1000 && g_atomic_int_get (&job->ref) > 1; i++)
		g_usleep (10 * 1000);
	return TRUE;
}

static gboolean
busy (App *app)
{
	if (!current)
		return FALSE;
	g_autofree char *keys = ui_keymap_keys ("search", TRAWL_CMD_EXPORT_STOP);
	app_message (app, TRUE, "An export to %s is running (%s stops it); one at a time", current->to,
		     *keys ? keys : "export-stop");
	return TRUE;
}

gboolean
ui_export_command (App *app, View *v, TrawlCommand cmd, const char *arg)
{
	switch (cmd) {
	case TRAWL_CMD_EXPORT_STOP:
		if (!current)
			app_message (app, FALSE, "No export is running");
		else
			g_atomic_int_set (&current->cancel, 1);
		return TRUE;
	case TRAWL_CMD_EXPORT:
	case TRAWL_CMD_EXPORT_THREAD: {
		if (!v->ops->tag_targets || busy (app))
			return TRUE;
		const char *what = NULL, *tags = NULL;
		g_autoptr (GPtrArray) ids = v->ops->tag_targets (v, cmd, &what, &tags);
		if (!ids || !ids->len) {
			app_message (app, FALSE, "No message to export: nothing written");
			return TRUE;
		}
		g_autofree char *n = grouped (ids->len);
		g_autofree char *desc = g_strdup_printf ("the %s (%s message%s)", what, n, ids->len == 1 ? "" : "s");
		TrawlExportFormat format;
		g_autofree char *to = ask_target (app, arg, desc, &format);
		if (!to)
			return TRUE;
		g_autofree char *query = ids_query (ids);
		/* Picked one by one: exported whole, excluded messages too (the
		 * thread view shows them). */
		start (app, query, TRUE, to, format);
		return TRUE;
	}
	case TRAWL_CMD_EXPORT_QUERY: {
		const char *query = v->ops->query ? v->ops->query (v) : NULL;
		if (!query || busy (app))
			return TRUE;
		g_autoptr (GError) err = NULL;
		gint64 count = trawl_db_export_count (app->db, query, TRUE, &err);
		if (count < 0) {
			app_message (app, TRUE, "%s", err->message);
			return TRUE;
		}
		if (count == 0) {
			app_message (app, FALSE, "No message matches %s: nothing written", query);
			return TRUE;
		}
		g_autofree char *n = grouped ((guint64) count);
		g_autofree char *desc = g_strdup_printf ("the query's %s message%s", n, count == 1 ? "" : "s");
		TrawlExportFormat format;
		g_autofree char *to = ask_target (app, arg, desc, &format);
		if (!to)
			return TRUE;
		g_autofree char *q = g_strdup_printf ("Export %s message%s to %s? (y/n)", n, count == 1 ? "" : "s", to);
		if (!ui_ask_yes_no (app, q)) {
			app_message (app, FALSE, "Not exported: nothing written");
			return TRUE;
		}
		start (app, query, FALSE, to, format);
		return TRUE;
	}
	default:
		return FALSE;
	}
}
