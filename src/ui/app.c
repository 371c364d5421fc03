/* app.c — the view stack, the bottom message line and the main loop.
 *
 * The loop sleeps in poll() on the terminal and on the top view's background
 * descriptor (the thread count), so a result arriving redraws the title bar
 * without a keypress, and nothing spins. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ui.h"
#include "keylog.h"
#include "trawl/datefmt.h"
#include "trawl/tags.h"

/* A resize must wake poll() even when SIGWINCH lands while we are drawing
 * (then poll would not see the EINTR): the handler writes to a pipe that
 * poll() watches, and chains to curses' own handler, which makes the next
 * read return KEY_RESIZE. */
static int winch_pipe[2] = { -1, -1 };
static struct sigaction curses_winch;

static void
on_winch (int sig)
{
	int saved = errno;
	char b = 1;
	if (write (winch_pipe[1], &b, 1) < 0) {
		/* full pipe: a wake-up is pending anyway */
	}
	if (!(curses_winch.sa_flags & SA_SIGINFO) &&
	    curses_winch.sa_handler != SIG_DFL && curses_winch.sa_handler != SIG_IGN)
		curses_winch.sa_handler (sig);
	errno = saved;
}

static void
winch_init (void)
{
	if (winch_pipe[0] >= 0 || pipe (winch_pipe) < 0)
		return;
	for (int i = 0; i < 2; i++) {
		fcntl (winch_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl (winch_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa = { 0 };
	sa.sa_handler = on_winch;
	sigemptyset (&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction (SIGWINCH, &sa, &curses_winch);
}

/* SIGTERM and SIGHUP end trawl the clean way: the main loop sees the flag
 * (the pipe wakes its poll), leaves, and main() restores the terminal and
 * removes the temporary files of opened attachments. */
static volatile sig_atomic_t terminating;

static void
on_terminate (int sig)
{
	int saved = errno;
	terminating = 1;
	char b = 1;
	if (write (winch_pipe[1], &b, 1) < 0) {
		/* full pipe: a wake-up is pending anyway */
	}
	errno = saved;
}

gboolean
ui_terminating (void)
{
	return terminating != 0;
}

static void
terminate_init (void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_terminate;
	sigemptyset (&sa.sa_mask);
	sigaction (SIGTERM, &sa, NULL);
	sigaction (SIGHUP, &sa, NULL);
}

static void
winch_drain (void)
{
	char buf[64];
	while (read (winch_pipe[0], buf, sizeof buf) > 0)
		;
}

/* Rendered HTML kept for showing a message again: a few large messages' worth. */
#define APP_HTML_CACHE_BYTES ((gsize) 64 << 20)

App *
app_new (TrawlDb *db, TrawlConfig *config)
{
	App *app = g_new0 (App, 1);
	app->db = db;
	app->config = config;
	const TrawlOptions *o = trawl_config_options (config);
	app->date_format = g_strdup (o->date_format);
	app->date_width = trawl_date_width (app->date_format);
	app->author_width_setting = o->author_width;
	app->author_width = trawl_width_columns (o->author_width, COLS > 0 ? COLS : 80);
	g_autofree char *cols = g_strdup (o->thread_columns);
	app->columns = g_strsplit_set (g_strstrip (cols), " \t", -1);
	app->quote_fold = o->quote_fold;
	app->pager_split = o->pager_split;
	app->wrap_width = o->wrap_width;
	app->open_command = g_strdup (o->open);
	app->pending = g_array_new (FALSE, FALSE, sizeof (int));
	app->html_cache = trawl_html_cache_new (APP_HTML_CACHE_BYTES);
	app->views = g_ptr_array_new ();
	app->search_history = g_ptr_array_new_with_free_func (g_free);
	app->pipe_history = g_ptr_array_new_with_free_func (g_free);
	app->command_history = g_ptr_array_new_with_free_func (g_free);
	app->temp_dirs = g_ptr_array_new_with_free_func (g_free);
	app->journal = trawl_journal_new ();
	app->mark_read = TRUE;
	if (!trawl_db_writable (db))
		ui_title_mark ("[read-only]");
	return app;
}

void
app_free (App *app)
{
	while (app->views->len)
		app_pop (app);
	g_ptr_array_unref (app->views);
	g_ptr_array_unref (app->search_history);
	g_ptr_array_unref (app->pipe_history);
	g_ptr_array_unref (app->command_history);
	trawl_journal_free (app->journal);
	trawl_html_cache_free (app->html_cache);
	/* Files handed to viewers live until trawl ends: a viewer may read late. */
	for (guint i = 0; i < app->temp_dirs->len; i++) {
		const char *d = app->temp_dirs->pdata[i];
		g_autoptr (GDir) dir = g_dir_open (d, 0, NULL);
		const char *name;
		while (dir && (name = g_dir_read_name (dir))) {
			g_autofree char *f = g_build_filename (d, name, NULL);
			g_unlink (f);
		}
		g_rmdir (d);
	}
	g_ptr_array_unref (app->temp_dirs);
	g_free (app->save_dir);
	g_free (app->message);
	g_array_unref (app->pending);
	trawl_config_free (app->config);
	g_free (app->date_format);
	g_strfreev (app->columns);
	g_free (app->open_command);
	g_free (app);
}

void
app_push (App *app, View *v)
{
	g_ptr_array_add (app->views, v);
}

void
app_pop (App *app)
{
	if (!app->views->len)
		return;
	View *v = g_ptr_array_steal_index (app->views, app->views->len - 1);
	v->ops->free (v);
}

View *
app_top (App *app)
{
	return app->views->len ? app->views->pdata[app->views->len - 1] : NULL;
}

void
app_message (App *app, gboolean error, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	g_free (app->message);
	app->message = g_strdup_vprintf (fmt, ap);
	app->message_is_error = error;
	va_end (ap);
}

/* ---- search history, kept across runs ---- */

#define HISTORY_MAX 500

static char *
history_path (void)
{
	return g_build_filename (g_get_user_state_dir (), "trawl", "search-history", NULL);
}

/* A history that cannot be read, or kept, is said once a run (the message
 * line), and searching goes on; one App a process, so the flags are the
 * file's. */
static gboolean history_not_read_said, history_not_saved_said;

static void
history_problem (App *app, const char *what, const char *path, const char *why)
{
	gboolean *said = strcmp (what, "not read") == 0 ? &history_not_read_said : &history_not_saved_said;
	if (*said)
		return;
	*said = TRUE;
	app_message (app, TRUE, "search history %s: %s: %s", what, path, why);
}

void
app_history_load (App *app)
{
	g_autofree char *path = history_path ();
	g_autofree char *data = NULL;
	g_autoptr (GError) e = NULL;
	if (!g_file_get_contents (path, &data, NULL, &e)) {
		/* No history yet is no problem. */
		if (!g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			history_problem (app, "not read", path, e->message);
		return;
	}
	g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l && g_utf8_validate (*l, -1, NULL))
			g_ptr_array_add (app->search_history, g_strdup (*l));
}

void
app_history_save (App *app)
{
	g_autofree char *path = history_path ();
	g_autofree char *dir = g_path_get_dirname (path);
	if (g_mkdir_with_parents (dir, 0700) < 0) {
		int err = errno;
		history_problem (app, "not saved", dir, g_strerror (err));
		return;
	}
	GString *s = g_string_new (NULL);
	guint from = app->search_history->len > HISTORY_MAX ? app->search_history->len - HISTORY_MAX : 0;
	for (guint i = from; i < app->search_history->len; i++)
		g_string_append_printf (s, "%s\n", (char *) app->search_history->pdata[i]);
	/* Atomic replace: a crash never leaves half a history. */
	g_autoptr (GError) e = NULL;
	if (!g_file_set_contents (path, s->str, s->len, &e))
		history_problem (app, "not saved", path, e->message);
	g_string_free (s, TRUE);
}

/* ---- tag changes ---- */

static void
views_release (App *app)
{
	for (guint i = 0; i < app->views->len; i++) {
		View *v = app->views->pdata[i];
		if (v->ops->release)
			v->ops->release (v);
	}
}

static void
views_changed (App *app, const TrawlTagChange *change)
{
	for (guint i = 0; i < app->views->len; i++) {
		View *v = app->views->pdata[i];
		if (v->ops->changed)
			v->ops->changed (v, change);
	}
	/* Our own write reopened the database: nothing to notice. */
	app->db_change_noticed = FALSE;
}

static void
show_progress (guint done, guint total, gpointer data)
{
	g_autofree char *line = g_strdup_printf ("Changing tags: %u of %u messages...", done, total);
	ui_notice_now (line);
}

gboolean
app_apply_tags (App *app, GPtrArray *ids, const char *ops_text, gboolean undoable)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (ops_text, &err);
	if (!ops) {
		app_message (app, TRUE, "%s", err->message);
		return FALSE;
	}
	if (!ids->len) {
		app_message (app, FALSE, "No message to tag");
		return FALSE;
	}
	for (;;) {
		views_release (app);
		g_clear_error (&err);
		TrawlTagChange *c = trawl_db_apply_tags (app->db, ids, ops,
							 ids->len > 500 ? show_progress : NULL, app, &err);
		if (c) {
			views_changed (app, c);
			if (undoable && trawl_tag_change_count (c)) {
				g_autofree char *keys = ui_keymap_keys ("search", TRAWL_CMD_UNDO);
				app_message (app, FALSE, "%s (%s undoes)", trawl_tag_change_describe (c),
					     *keys ? keys : "undo");
				trawl_journal_push (app->journal, c);
			} else {
				if (undoable)
					app_message (app, FALSE, "%s", trawl_tag_change_describe (c));
				trawl_tag_change_free (c);
			}
			return TRUE;
		}
		views_changed (app, NULL);
		if (g_error_matches (err, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_LOCKED)) {
			/* Never lose the change silently: offer to try again. */
			g_autofree char *q = g_strdup_printf ("%s. Retry %s? (y/n) ", err->message, ops_text);
			if (ui_ask_yes_no (app, q))
				continue;
			app_message (app, TRUE, "Not changed: %s", ops_text);
			return FALSE;
		}
		app_message (app, TRUE, "%s", err->message);
		return FALSE;
	}
}

void
app_undo (App *app)
{
	if (!trawl_journal_len (app->journal)) {
		app_message (app, FALSE, "Nothing to undo");
		return;
	}
	g_autoptr (GError) err = NULL;
	views_release (app);
	g_autoptr (TrawlTagChange) inverse = trawl_journal_undo (app->journal, app->db, &err);
	views_changed (app, inverse);
	if (!inverse) {
		app_message (app, TRUE, "Undo failed: %s", err->message);
		return;
	}
	app_message (app, FALSE, "Undone: %s", trawl_tag_change_describe (inverse));
}

int
app_body_rows (void)
{
	return MAX (0, LINES - 2);
}

void
app_draw (App *app)
{
	erase ();
	if (ui_too_small ()) {
		ui_draw_too_small ();
		return;
	}
	/* author-width may be a share of the screen: it follows resizes. */
	app->author_width = trawl_width_columns (app->author_width_setting, COLS);
	View *v = app_top (app);
	if (v)
		v->ops->draw (v);
	if (app->message)
		ui_put (LINES - 1, 0, COLS, app->message,
			ui_attr (app->message_is_error ? UI_ATTR_ERROR : UI_ATTR_MESSAGE));
	ui_export_draw (app);	/* the export's progress, when the line is free */
}

/* The tag commands, for every view that says what they act on
 * (ViewOps.tag_targets).  FALSE: CMD is not one of them, or V has none. */
static gboolean
tag_command (App *app, View *v, TrawlCommand cmd, const char *arg)
{
	if (!v->ops->tag_targets)
		return FALSE;
	const char *toggled;
	switch (cmd) {
	case TRAWL_CMD_TAG:
	case TRAWL_CMD_ARCHIVE:
		toggled = NULL;
		break;
	case TRAWL_CMD_TOGGLE_UNREAD:
		toggled = "unread";
		break;
	case TRAWL_CMD_TOGGLE_FLAGGED:
		toggled = "flagged";
		break;
	default:
		return FALSE;
	}
	const char *what = NULL, *tags = NULL;
	g_autoptr (GPtrArray) ids = v->ops->tag_targets (v, cmd, &what, &tags);
	g_autofree char *ops = NULL;
	if (toggled) {
		ops = g_strdup_printf ("%c%s", trawl_words_contain (tags, toggled) ? '-' : '+', toggled);
	} else if (cmd == TRAWL_CMD_ARCHIVE) {
		ops = g_strdup ("-inbox");
	} else if (arg) {
		ops = g_strdup (arg);
	} else {
		g_autofree char *prompt = g_strdup_printf ("Tag %s (+tag -tag): ", what);
		ops = ui_tag_prompt (app, prompt);
	}
	if (ops && app_apply_tags (app, ids, ops, TRUE) && v->ops->tagged)
		v->ops->tagged (v);
	return TRUE;
}

static void command_line (App *app);

static void
generic_command (App *app, TrawlCommand cmd, const char *arg)
{
	View *v = app_top (app);
	if (v && (ui_list_command (v, cmd) || tag_command (app, v, cmd, arg)))
		return;
	if (v && ui_export_command (app, v, cmd, arg))
		return;
	switch (cmd) {
	case TRAWL_CMD_HELP:
		if (v)
			app_push (app, help_view_new (app, v->ops->name));
		break;
	case TRAWL_CMD_QUIT:
		if (app->views->len > 1 || ui_export_may_quit (app))
			app_pop (app);
		break;
	case TRAWL_CMD_QUIT_ALL:
		if (ui_export_may_quit (app))
			app->quit = TRUE;
		break;
	case TRAWL_CMD_REDRAW:
		clearok (curscr, TRUE);
		break;
	case TRAWL_CMD_UNDO:
		app_undo (app);
		break;
	case TRAWL_CMD_TAG_LIST:
		app_push (app, tag_view_new (app));
		break;
	case TRAWL_CMD_SAVED_SEARCHES:
		app_push (app, saved_view_new (app));
		break;
	case TRAWL_CMD_CORRESPONDENTS:
		app_push (app, corr_view_new (app, v && v->ops->query ? v->ops->query (v) : NULL));
		break;
	case TRAWL_CMD_ATTACHMENTS:
		app_push (app, att_view_new (app, v && v->ops->query ? v->ops->query (v) : NULL));
		break;
	case TRAWL_CMD_SEARCH:
		search_view_open (app, arg);
		break;
	case TRAWL_CMD_COMMAND_LINE:
		command_line (app);
		break;
	case TRAWL_CMD_OPEN_MESSAGE_ID:
		ui_open_message_id (app, arg);
		break;
	default:
		break;
	}
}

void
app_run_command (App *app, TrawlCommand cmd, const char *arg)
{
	View *v = app_top (app);
	if (!v)
		return;
	if (!trawl_db_writable (app->db) && trawl_command_writes (cmd)) {
		const TrawlCommandInfo *info = trawl_command_info (cmd);
		app_message (app, TRUE, "%s changes the database: trawl was started with --read-only",
			     info->name);
		return;
	}
	if (!v->ops->command (v, cmd, arg))
		generic_command (app, cmd, arg);
}

/* ---- the `:` command line ---- */

static void
command_line (App *app)
{
	View *v = app_top (app);
	const char *view = v->ops->name;
	/* Completion: the commands of this view, then tags and tag: terms for
	 * their arguments (from:/to: complete addresses as in a search). */
	g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++)
		if (trawl_command_in_view (&cmds[i], view))
			g_ptr_array_add (words, g_strdup (cmds[i].name));
	g_autoptr (GPtrArray) tags = trawl_db_all_tags (app->db);
	for (guint i = 0; i < tags->len; i++) {
		g_ptr_array_add (words, g_strdup (tags->pdata[i]));
		g_ptr_array_add (words, g_strdup_printf ("tag:%s", (char *) tags->pdata[i]));
	}
	g_autofree char *line = ui_command_prompt (app, ":", words);
	if (!line || !*g_strstrip (line))
		return;
	g_autofree char *arg = NULL;
	g_autofree char *name = trawl_command_split (line, &arg);
	TrawlCommand cmd = trawl_command_by_name (name);
	const TrawlCommandInfo *info = trawl_command_info (cmd);
	if (!info) {
		app_message (app, TRUE, "Unknown command '%s' (Tab completes; ? lists the commands)", name);
		return;
	}
	if (!trawl_command_in_view (info, view)) {
		app_message (app, TRUE, "%s does not work in the %s view", info->name, view);
		return;
	}
	if (arg && !*info->arg) {
		app_message (app, TRUE, "%s takes no argument", info->name);
		return;
	}
	if (cmd == TRAWL_CMD_COMMAND_LINE)
		return;
	app_run_command (app, cmd, arg);
}

/* ---- keys ---- */

/* How long a key that starts a longer binding waits for the rest, when it
 * is also bound by itself. */
#define PENDING_TIMEOUT_MS 1000

static void
run_binding (App *app, const UiBinding *b)
{
	g_array_set_size (app->pending, 0);
	app_run_command (app, b->cmd, b->arg);
}

/* The pending keys waited long enough: run what they are bound to, if
 * anything. */
static void
pending_timeout (App *app)
{
	View *v = app_top (app);
	if (!app->pending->len || !v)
		return;
	const UiBinding *b = ui_keymap_match (v->ops->name, (int *) app->pending->data,
					      app->pending->len, NULL);
	g_clear_pointer (&app->message, g_free);
	if (b)
		run_binding (app, b);
	g_array_set_size (app->pending, 0);
}

static void
handle_key (App *app, int key)
{
	View *v = app_top (app);
	if (!v)
		return;
	if (key == (UI_KEY_FN | KEY_RESIZE))
		return;		/* curses has the new size; the redraw does the rest */
	if (ui_too_small ()) {
		/* Nothing can be seen: only quitting makes sense. */
		TrawlCommand c = ui_keymap_lookup (v->ops->name, key);
		if (c == TRAWL_CMD_QUIT || c == TRAWL_CMD_QUIT_ALL)
			generic_command (app, c, NULL);
		return;
	}
	g_clear_pointer (&app->message, g_free);
	g_array_append_val (app->pending, key);
	gboolean prefix = FALSE;
	const UiBinding *b = ui_keymap_match (v->ops->name, (int *) app->pending->data,
					      app->pending->len, &prefix);
	if (prefix) {
		/* More keys may follow: say what is typed so far. */
		g_autofree char *typed = ui_key_seq_name ((int *) app->pending->data, app->pending->len);
		app_message (app, FALSE, "%s-", typed);
		app->pending_since = g_get_monotonic_time ();
		return;
	}
	if (b) {
		run_binding (app, b);
		return;
	}
	g_autofree char *name = ui_key_seq_name ((int *) app->pending->data, app->pending->len);
	g_array_set_size (app->pending, 0);
	g_autofree char *help = ui_keymap_keys (v->ops->name, TRAWL_CMD_HELP);
	app_message (app, FALSE, "%s is not bound in the %s view; %s lists the keys",
		     name, v->ops->name, *help ? help : "help");
}

char *
app_render_stats_text (App *app)
{
	const TrawlRenderStats *s = &app->render_stats;
	return g_strdup_printf ("render_html_dumper_runs %u\nrender_html_cache_hits %u\n"
				"render_html_builtin %u\nrender_html_held %u\nrender_interrupted %u\n",
				s->html_dumper_runs, s->html_cache_hits, s->html_builtin, s->html_held,
				app->renders_interrupted);
}

int
app_run (App *app)
{
	winch_init ();
	terminate_init ();
	app_draw (app);
	refresh ();
	{
		View *top = app_top (app);
		if (top && top->ops->after_draw && top->ops->after_draw (top)) {
			app_draw (app);
			refresh ();
		}
	}
	while (!app->quit && app->views->len && !terminating) {
		View *v = app_top (app);
		struct pollfd fds[4] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = winch_pipe[0], .events = POLLIN },
			{ .fd = -1, .events = POLLIN },
			{ .fd = ui_export_wake_fd (), .events = POLLIN },	/* a background export */
		};
		fds[2].fd = v->ops->wake_fd ? v->ops->wake_fd (v) : -1;
		/* Wake once a second to notice writes by other processes, and
		 * when the keys of an unfinished binding time out. */
		int timeout = 1000;
		if (ui_key_held ())
			timeout = 0;	/* keys read during a render wait */
		else if (app->pending->len) {
			gint64 left = PENDING_TIMEOUT_MS - (g_get_monotonic_time () - app->pending_since) / 1000;
			timeout = (int) CLAMP (left, 0, 1000);
		}
		int r = poll (fds, G_N_ELEMENTS (fds), timeout);
		ui_keylog_woke ();	/* TRAWL_KEYLOG: key-to-repaint timings */
		if (r < 0 && errno != EINTR)
			break;
		gboolean dirty = FALSE;
		if (app->pending->len && r == 0 &&
		    g_get_monotonic_time () - app->pending_since >= PENDING_TIMEOUT_MS * 1000) {
			pending_timeout (app);
			dirty = TRUE;
		}
		if (!app->db_change_noticed && trawl_db_changed (app->db)) {
			app->db_change_noticed = TRUE;
			g_autofree char *keys = ui_keymap_keys ("search", TRAWL_CMD_REFRESH);
			app_message (app, FALSE, "The database has changed on disk; %s shows the new state",
				     *keys ? keys : "refresh");
			dirty = TRUE;
		}
		if (fds[1].revents & POLLIN)
			winch_drain ();
		if (terminating)
			break;
		if (fds[2].fd >= 0 && (fds[2].revents & POLLIN) && v->ops->wake && v->ops->wake (v))
			dirty = TRUE;
		if (fds[3].fd >= 0 && (fds[3].revents & POLLIN) && ui_export_wake (app))
			dirty = TRUE;
		if (fds[0].revents & (POLLHUP | POLLERR))
			break;		/* the terminal went away */
		/* Keys (and KEY_RESIZE after a SIGWINCH interrupted poll). */
		int key;
		while ((key = ui_key_read ()) >= 0) {
			ui_keylog_key (key);
			handle_key (app, key);
			dirty = TRUE;
			if (app->quit || !app->views->len)
				break;
		}
		if (dirty && !app->quit && app->views->len) {
			app_draw (app);
			refresh ();
			ui_keylog_drawn ();
			/* Deferred work runs once the user sees the screen. */
			View *top = app_top (app);
			if (top->ops->after_draw && top->ops->after_draw (top)) {
				app_draw (app);
				refresh ();
			}
		}
	}
	return 0;
}
