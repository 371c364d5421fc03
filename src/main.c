/* main.c — arguments, opening the database, and handing over to the UI.
 *
 * Everything that can fail for a reason the user must fix (no config, no
 * database, a bad query, no terminal) fails here, before curses starts, with
 * one line on stderr and a non-zero exit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trawl/commands.h"
#include "trawl/config.h"
#include "trawl/datefmt.h"
#include "trawl/import.h"
#include "trawl/export.h"
#include "trawl/dkim.h"
#include "trawl/mime.h"
#include "trawl/model.h"
#include "trawl/shape.h"
#include "trawl/sanitize.h"
#include "trawl/tags.h"
#include "trawl/timeline.h"
#include "trawl/batch.h"
#include "ui/ui.h"

static char *opt_config;
static char *opt_archive;
static char *opt_trawl_config;
static gboolean opt_dump_config;
static gboolean opt_check_config;
static gboolean opt_list_settings;
static char *opt_profile;
static char *opt_sort;
static char *opt_html_command;
static gboolean opt_version;
static gboolean opt_read_only;
static gboolean opt_no_mark_read;
static gboolean opt_list_commands;
static gboolean opt_dump_list;
static char *opt_tag;
static char **opt_query;

static const GOptionEntry entries[] = {
	TRAWL_ARCHIVE_OPTION_ENTRIES (&opt_archive, &opt_config),
	{ "profile", 'p', 0, G_OPTION_ARG_STRING, &opt_profile, "notmuch profile (default: NOTMUCH_PROFILE)", "NAME" },
	{ "trawl-config", 0, 0, G_OPTION_ARG_FILENAME, &opt_trawl_config, "trawl's own config file (default: TRAWL_CONFIG, else ~/.config/trawl/config)", "FILE" },
	{ "dump-config", 0, 0, G_OPTION_ARG_NONE, &opt_dump_config, "print the configuration in effect (the defaults with your settings) as a config file, and exit", NULL },
	{ "check-config", 0, 0, G_OPTION_ARG_NONE, &opt_check_config, "list every problem in the config file as FILE:LINE: what, and exit (1 when there are any)", NULL },
	{ "list-settings", 0, 0, G_OPTION_ARG_NONE, &opt_list_settings, "print every setting: section, name, default, help", NULL },
	{ "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort, "newest-first (default), oldest-first, most-messages, most-matched or most-participants", "ORDER" },
	{ "read-only", 'r', 0, G_OPTION_ARG_NONE, &opt_read_only, "change nothing: no tag changes, no mark-as-read, no file renames", NULL },
	{ "no-mark-read", 0, 0, G_OPTION_ARG_NONE, &opt_no_mark_read, "showing a message does not remove its unread tag", NULL },
	{ "html-command", 0, 0, G_OPTION_ARG_STRING, &opt_html_command, "command that turns HTML on stdin into text (default: w3m, lynx or elinks; \"\" for the built-in renderer)", "CMD" },
	{ "tag", 0, 0, G_OPTION_ARG_STRING, &opt_tag, "apply tag operations (\"+a -b\") to every message matching QUERY, atomically, and exit", "OPS" },
	{ "dump-list", 0, 0, G_OPTION_ARG_NONE, &opt_dump_list, "print the thread list as text (sanitised, as on screen) and exit", NULL },
	{ "list-commands", 0, 0, G_OPTION_ARG_NONE, &opt_list_commands, "print every command: name, view, keys, help", NULL },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "print the version and exit", NULL },
	{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_query, NULL, "[QUERY...]" },
	{ NULL }
};

static void
list_commands (void)
{
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++)
		printf ("%s\t%s\t%s\t%s\n", cmds[i].name, cmds[i].view, cmds[i].keys, cmds[i].help);
}

static int
dump_list (TrawlDb *db, const char *query, TrawlSort sort)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, query, sort, &err);
	if (!tl) {
		fprintf (stderr, "trawl: bad query: %s\n", err->message);
		return 1;
	}
	gint64 now = trawl_date_now ();
	TrawlPos p;
	gboolean ok = trawl_thread_list_first (tl, &p);
	while (ok) {
		const TrawlThreadRow *r = trawl_thread_list_get (tl, p);
		if (!r)
			break;
		g_autofree char *date = trawl_date_format (r->newest, now);
		g_autofree char *line = g_strdup_printf ("%s\t%s\t[%d/%d]\t%s\t(%s)", date, r->authors,
							 r->matched, r->total, r->subject, r->tags);
		g_autofree char *safe = trawl_sanitize (line, -1);
		puts (safe);
		ok = trawl_thread_list_step (tl, &p, 1) == 1;
	}
	return 0;
}

/* --tag: the same safe path as the tag keys, without a screen. */
static int
tag_query_batch (TrawlDb *db, const char *query, const char *ops_text)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (ops_text, &err);
	if (!ops) {
		fprintf (stderr, "trawl: %s\n", err->message);
		return 2;
	}
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (db, query, &err);
	if (!ids) {
		fprintf (stderr, "trawl: bad query '%s': %s\n", query, err->message);
		return 1;
	}
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &err);
	if (!c) {
		fprintf (stderr, "trawl: %s\n", err->message);
		return 1;
	}
	printf ("%s\n", trawl_tag_change_describe (c));
	return 0;
}

/* libnotmuch and GMime may print warnings on stderr; while curses owns the
 * terminal those would garble the screen.  Send them to a file and replay it
 * after the screen is restored. */
static int saved_stderr = -1;
static FILE *captured;

static void
stderr_capture (void)
{
	captured = tmpfile ();
	if (!captured)
		return;
	fflush (stderr);
	saved_stderr = dup (2);
	dup2 (fileno (captured), 2);
}

static void
stderr_release (void)
{
	if (saved_stderr < 0)
		return;
	fflush (stderr);
	dup2 (saved_stderr, 2);
	close (saved_stderr);
	saved_stderr = -1;
	rewind (captured);
	char buf[4096];
	size_t n;
	while ((n = fread (buf, 1, sizeof buf, captured)) > 0)
		if (fwrite (buf, 1, n, stderr) != n)
			break;
	fclose (captured);
}

/* ---- the stages of main() ------------------------------------------------ */

/* Everything the run needs, resolved once: the command line over the
 * environment over trawl's config file. */
typedef struct {
	char *notmuch_config;	/* --archive's notmuch-config, or --config (NULL: notmuch's search) */
	TrawlSort sort;
	char *query;		/* NULL: default-query, else notmuch's default */
	gboolean read_only;
	gboolean mark_read;
	const char *html_command;	/* NULL: the MIME layer's choice; "": built-in */
	char *html_owned;	/* what html_command points into, when it came from the config */
	char *start_view;
} Settings;

static void
settings_clear (Settings *s)
{
	g_free (s->notmuch_config);
	g_free (s->query);
	g_free (s->html_owned);
	g_free (s->start_view);
}

/* Stage 1: the command line.  Returns -1 to go on, else an exit status. */
static int
parse_arguments (int *argc, char ***argv)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (GOptionContext) ctx = g_option_context_new ("- explore a notmuch mail archive");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"QUERY is a notmuch query (see notmuch-search-terms(7)); the default is\n"
		"tag:inbox when any message has that tag, else * (every message).\n"
		"The database is the one notmuch itself would open: --config, then\n"
		"NOTMUCH_CONFIG, then ~/.config/notmuch/default/config or ~/.notmuch-config.\n"
		"Showing a message removes its unread tag (--no-mark-read: not).  With\n"
		"notmuch's maildir.synchronize_flags=true, changing unread, flagged or\n"
		"replied renames message files, as `notmuch tag` does; --read-only\n"
		"changes nothing at all.\n"
		"trawl's own settings (options, colours, keys) are in\n"
		"~/.config/trawl/config (--trawl-config, TRAWL_CONFIG); see trawl-config(5)\n"
		"and --dump-config.\n"
		"An archive made by `trawl import ARCHIVE SOURCE...` (trawl import --help)\n"
		"opens with --archive ARCHIVE (or TRAWL_ARCHIVE), the same as\n"
		"--config ARCHIVE/notmuch-config.\n"
		"In the program, ? lists the keys.");
	if (!g_option_context_parse (ctx, argc, argv, &err)) {
		fprintf (stderr, "trawl: %s (try trawl --help)\n", err->message);
		return 2;
	}
	if (opt_version) {
		printf ("trawl %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (opt_list_commands) {
		list_commands ();
		return 0;
	}
	if (opt_list_settings) {
		g_autofree char *list = trawl_config_list_settings ();
		fputs (list, stdout);
		return 0;
	}
	if (opt_archive && opt_config) {
		fprintf (stderr, "trawl: --archive and --config both name a database; give one\n");
		return 2;
	}
	return -1;
}

/* Stage 2: trawl's own config file.  Problems in it are reported, never
 * fatal; a file the user named must exist.  NULL with *RC set when done. */
static TrawlConfig *
load_config (int *rc)
{
	g_autoptr (GError) err = NULL;
	TrawlConfig *config = trawl_config_new ();
	g_autofree char *path = opt_trawl_config ? g_strdup (opt_trawl_config) : trawl_config_default_path ();
	const char *env = g_getenv ("TRAWL_CONFIG");
	gboolean named = opt_trawl_config || (env && *env);
	if (!trawl_config_load_file (config, path, named, &err)) {
		fprintf (stderr, "trawl: config file %s: %s\n", path, err->message);
		trawl_config_free (config);
		*rc = 1;
		return NULL;
	}
	ui_keymap_init (config);	/* checks the key names too */
	GPtrArray *problems = trawl_config_problems (config);
	if (opt_dump_config || opt_check_config) {
		if (opt_dump_config) {
			g_autofree char *text = trawl_config_dump (config);
			fputs (text, stdout);
		}
		for (guint i = 0; i < problems->len; i++) {
			if (opt_check_config)
				printf ("%s\n", (char *) problems->pdata[i]);
			else
				fprintf (stderr, "trawl: %s\n", (char *) problems->pdata[i]);
		}
		*rc = opt_check_config && problems->len ? 1 : 0;
		trawl_config_free (config);
		return NULL;
	}
	for (guint i = 0; i < problems->len; i++)
		fprintf (stderr, "trawl: %s\n", (char *) problems->pdata[i]);
	return config;
}

/* Stage 3: every setting, once.  FALSE with *RC when one is wrong. */
static gboolean
resolve_settings (TrawlConfig *config, Settings *s, int *rc)
{
	const TrawlOptions *o = trawl_config_options (config);
	const char *sort = opt_sort ? opt_sort : o->sort;
	if (!trawl_sort_parse (sort, &s->sort)) {
		fprintf (stderr, "trawl: --sort takes newest-first, oldest-first, most-messages, most-matched "
			 "or most-participants, not '%s'\n", sort);
		*rc = 2;
		return FALSE;
	}
	/* --archive DIR is --config DIR/notmuch-config; --config wins over
	 * TRAWL_ARCHIVE, as a command-line option wins over the environment. */
	g_autoptr (GError) err = NULL;
	g_autofree char *archive = NULL;
	if (!trawl_archive_resolve (opt_archive, opt_config, &s->notmuch_config, &archive, &err)) {
		fprintf (stderr, "trawl: %s; make one with: trawl import %s SOURCE...\n", err->message, archive);
		*rc = 1;
		return FALSE;
	}
	g_autofree char *cfg_query = g_strstrip (g_strdup (o->default_query));
	s->query = opt_query && opt_query[0] ? g_strjoinv (" ", opt_query)
		: *cfg_query ? g_strdup (cfg_query) : NULL;
	s->read_only = opt_read_only;
	s->mark_read = !opt_no_mark_read && strcmp (o->mark_read, "false") != 0;
	/* The HTML command: --html-command, TRAWL_HTML_COMMAND, then the config. */
	s->html_command = opt_html_command ? opt_html_command : g_getenv ("TRAWL_HTML_COMMAND");
	if (!s->html_command) {
		s->html_owned = g_strdup (o->html);
		if (strcmp (s->html_owned, "auto") != 0)
			s->html_command = strcmp (s->html_owned, "builtin") == 0 ? "" : s->html_owned;
	}
	s->start_view = opt_query && opt_query[0] ? g_strdup ("")
		: g_strdup (o->start_view);
	return TRUE;
}

/* Stage 4b: the screen.  Takes CONFIG. */
static int
run_ui (TrawlDb *db, TrawlConfig *config, const Settings *s, const char *query)
{
	if (!isatty (0) || !isatty (1)) {
		fprintf (stderr, "trawl: standard input and output must be a terminal (use --dump-list for text)\n");
		trawl_config_free (config);
		return 1;
	}
	const char *term = g_getenv ("TERM");
	if (!term || !*term) {
		fprintf (stderr, "trawl: TERM is not set; cannot drive the terminal\n");
		trawl_config_free (config);
		return 1;
	}
	GPtrArray *problems = trawl_config_problems (config);
	App *app = app_new (db, config);
	app->mark_read = s->mark_read;
	app->html_command = s->html_command;
	app_history_load (app);
	if (problems->len)
		app_message (app, TRUE, "%s%s", (char *) problems->pdata[0],
			     problems->len > 1 ? " (and more: trawl --check-config lists them)" : "");
	g_autoptr (GError) err = NULL;
	View *v = search_view_new_sorted (app, query, s->sort, &err);
	if (!v) {
		fprintf (stderr, "trawl: bad query '%s': %s\n", query, err->message);
		app_free (app);
		return 1;
	}
	app_push (app, v);
	/* An overview first, when asked for and no query was given. */
	if (strcmp (s->start_view, "tags") == 0)
		app_push (app, tag_view_new (app));
	else if (strcmp (s->start_view, "saved-searches") == 0)
		app_push (app, saved_view_new (app));

	SCREEN *scr = newterm (NULL, stdout, stdin);
	if (!scr) {
		fprintf (stderr, "trawl: cannot use terminal type '%s' (is its terminfo installed?)\n", term);
		app_free (app);
		return 1;
	}
	set_term (scr);
	stderr_capture ();
	ui_display_init (app->config);
	int rc = app_run (app);
	ui_display_end ();
	/* The model's operation counts, for tests that pin laziness. */
	const char *stats = g_getenv ("TRAWL_STATS");
	if (stats && *stats) {
		g_autofree char *text = trawl_db_stats_text (db);
		g_autofree char *ptext = ui_prompt_stats_text ();
		g_autofree char *rtext = app_render_stats_text (app);
		g_autofree char *all = g_strconcat (text, ptext, rtext, NULL);
		g_file_set_contents (stats, all, -1, NULL);
		/* The timeline's count queries (timeline.c), after the rest. */
		FILE *tf = fopen (stats, "a");
		if (tf) {
			fprintf (tf, "timeline_queries %u\n", trawl_timeline_queries_all ());
			/* What tag changes cost the count views: recounts, and
			 * changes that could move no count (skipped). */
			fprintf (tf, "timeline_recounts %u\ntimeline_patches_skipped %u\n",
				 trawl_timeline_recounts_all (), trawl_timeline_patches_skipped_all ());
			fprintf (tf, "batch_recounts %u\nbatch_patches_skipped %u\n",
				 trawl_batch_recounts_all (), trawl_batch_patches_skipped_all ());
			/* DKIM: messages verified (only when asked: V). */
			fprintf (tf, "dkim_verifications %u\ndkim_dns_lookups %u\n",
				 trawl_dkim_verifications (), trawl_dkim_dns_lookups ());
			/* Thread opens: messages whose date, From and Subject
			 * came from the value streams at once, and those asked
			 * of notmuch one by one (thread.c). */
			fprintf (tf, "thread_values_batched %" G_GUINT64_FORMAT "\nthread_values_single %" G_GUINT64_FORMAT "\n",
				 trawl_db_stats (db)->thread_values_batched, trawl_db_stats (db)->thread_values_single);
			fclose (tf);
		}
	}
	/* The shape index's counts (files read), after the model's. */
	if (stats && *stats) {
		g_autofree char *stext = trawl_shape_stats_text ();
		FILE *sf = fopen (stats, "a");
		if (sf) {
			fputs (stext, sf);
			fclose (sf);
		}
	}
	app_free (app);
	delscreen (scr);
	stderr_release ();
	return rc;
}

static void
free_options (void)
{
	g_strfreev (opt_query);
	g_free (opt_config);
	g_free (opt_archive);
	g_free (opt_trawl_config);
	g_free (opt_profile);
	g_free (opt_sort);
	g_free (opt_html_command);
	g_free (opt_tag);
}

int
main (int argc, char **argv)
{
	/* The locale first: the command line is read in its charset (a query
	 * or tag in any script), and every text after it is UTF-8. */
	gboolean utf8 = trawl_locale_init ();

	/* `trawl import ...` is a command of its own with its own options. */
	if (argc >= 2 && strcmp (argv[1], "import") == 0)
		return trawl_import_main (argc - 1, argv + 1);
	/* `trawl export ...` too. */
	if (argc >= 2 && strcmp (argv[1], "export") == 0)
		return trawl_export_main (argc - 1, argv + 1);
	/* `trawl verify ...`: DKIM signatures (src/export/verify.c). */
	if (argc >= 2 && strcmp (argv[1], "verify") == 0)
		return trawl_verify_main (argc - 1, argv + 1);

	int rc = parse_arguments (&argc, &argv);
	if (rc >= 0)
		goto out;
	TrawlConfig *config = load_config (&rc);
	if (!config)
		goto out;
	Settings s = { 0 };
	if (!resolve_settings (config, &s, &rc)) {
		trawl_config_free (config);
		settings_clear (&s);
		goto out;
	}
	if (!utf8)
		fprintf (stderr, "trawl: warning: no UTF-8 locale available; non-ASCII text will be shown escaped\n");
	signal (SIGPIPE, SIG_IGN);
	trawl_mime_init ();
	trawl_mime_temp_dirs_clean ();	/* what a killed trawl left behind (trawl-open-PID-*) */

	/* Stage 4: the database, then a batch command or the screen. */
	{
		g_autoptr (GError) err = NULL;
		TrawlDbOptions dbo = { s.notmuch_config, opt_profile, !s.read_only };
		g_autoptr (TrawlDb) db = trawl_db_open (&dbo, &err);
		if (!db) {
			fprintf (stderr, "trawl: %s\n", err->message);
			trawl_config_free (config);
			rc = 1;
		} else {
			g_autofree char *query = s.query ? g_strdup (s.query) : trawl_db_default_query (db);
			if (opt_dump_list || opt_tag) {
				rc = opt_dump_list ? dump_list (db, query, s.sort) : tag_query_batch (db, query, opt_tag);
				trawl_config_free (config);
			} else
				rc = run_ui (db, config, &s, query);	/* takes config */
		}
	}
	settings_clear (&s);
out:
	free_options ();
	return rc;
}
