/* attachments.c — the parts of the shown message, handed on: saved to a
 * directory, opened with another program, or piped to a command.  A part
 * given to another program is decoded into a private temporary directory
 * (App.temp_dirs, removed when trawl ends; trawl-open-PID-XXXXXX, so that
 * the next trawl removes them when this one was killed); nothing is ever
 * overwritten. */
#include "config.h"

#include <string.h>

#include "ui.h"

int
ui_attachment_ordinal (const TrawlRendered *r, int index)
{
	int n = 0;
	for (guint i = 0; i < r->parts->len; i++) {
		TrawlPart *p = r->parts->pdata[i];
		if (p->is_attachment)
			n++;
		if (p->index == index)
			return n;
	}
	return 0;
}

/* "N: name, type, size" for part P numbered N, as the prompts list them. */
static void
list_part (GString *s, guint n, const TrawlPart *p)
{
	g_autofree char *size = g_format_size (p->size);
	g_string_append_printf (s, "%s%u: %s, %s, %s", s->len ? "  " : "", n,
				p->filename ? p->filename : p->is_attachment ? "(no name)" : "(inline)",
				p->content_type ? p->content_type : "?", size);
}

/* The parts in the order the prompts number them: the attachments first,
 * numbered as the message pane shows them ([attachment N: ...]), then the
 * parts shown inline (only P takes those: WITH_INLINE); *LISTING says
 * what each number is. */
static GPtrArray *
numbered_parts (const TrawlRendered *r, gboolean with_inline, char **listing)
{
	GPtrArray *out = g_ptr_array_new ();
	for (int pass = 0; pass < (with_inline ? 2 : 1); pass++)
		for (guint i = 0; i < r->parts->len; i++) {
			TrawlPart *p = r->parts->pdata[i];
			if ((pass == 0) == (p->is_attachment != FALSE))
				g_ptr_array_add (out, p);
		}
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < out->len; i++)
		list_part (s, i + 1, out->pdata[i]);
	*listing = g_string_free (s, FALSE);
	return out;
}

/* Asks which attachment, when there is more than one.  NULL: none, or
 * cancelled. */
static const TrawlPart *
choose_attachment (App *app, const TrawlRendered *r, const char *verb)
{
	if (!r) {
		app_message (app, TRUE, "The message could not be read");
		return NULL;
	}
	g_autofree char *listing = NULL;
	g_autoptr (GPtrArray) att = numbered_parts (r, FALSE, &listing);
	if (!att->len) {
		app_message (app, FALSE, "This message has no attachments");
		return NULL;
	}
	int k = ui_pick_listed (app, verb, "attachment", att->len, listing);
	return k < 0 ? NULL : att->pdata[k];
}

/* DIR/NAME, or DIR/NAME-1.EXT, -2... when taken: never overwrite. */
static char *
free_name (const char *dir, const char *name)
{
	char *path = g_build_filename (dir, name, NULL);
	if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
		return path;
	g_free (path);
	const char *dot = strrchr (name, '.');
	if (dot == name)
		dot = NULL;
	g_autofree char *base = dot ? g_strndup (name, dot - name) : g_strdup (name);
	for (int k = 1; k < 10000; k++) {
		g_autofree char *alt = g_strdup_printf ("%s-%d%s", base, k, dot ? dot : "");
		path = g_build_filename (dir, alt, NULL);
		if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
			return path;
		g_free (path);
	}
	return NULL;
}

/* Decodes part INDEX of the message in FILENAME into a private temporary
 * directory (removed when trawl ends) as NAME; returns the path. */
static char *
part_to_temp (App *app, const char *filename, int index, const char *name, GError **error)
{
	g_autofree char *dir = trawl_mime_temp_dir_new (error);
	if (!dir)
		return NULL;
	g_ptr_array_add (app->temp_dirs, g_strdup (dir));
	char *path = g_build_filename (dir, name, NULL);
	if (!trawl_mime_save_part (filename, index, path, error)) {
		g_free (path);
		return NULL;
	}
	return path;
}

void
ui_attachment_save (App *app, const TrawlRendered *r, const char *filename)
{
	const TrawlPart *part = choose_attachment (app, r, "Save");
	if (part)
		ui_attachment_save_part (app, filename, part->index, part->safe_filename);
}

void
ui_attachment_save_part (App *app, const char *filename, int index, const char *safe_name)
{
	g_autofree char *cwd = g_get_current_dir ();
	g_autofree char *dir = ui_prompt (app, "Save to directory: ", app->save_dir ? app->save_dir : cwd, NULL);
	if (!dir)
		return;
	g_strstrip (dir);
	if (dir[0] == '~') {
		char *home = g_build_filename (g_get_home_dir (), dir + 1, NULL);
		g_free (dir);
		dir = home;
	}
	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		app_message (app, TRUE, "%s is not a directory", dir);
		return;
	}
	g_autofree char *path = free_name (dir, safe_name);
	g_autoptr (GError) err = NULL;
	if (!path || !trawl_mime_save_part (filename, index, path, &err)) {
		app_message (app, TRUE, "Not saved: %s", err ? err->message : "no free file name");
		return;
	}
	g_free (app->save_dir);
	app->save_dir = g_strdup (dir);
	app_message (app, FALSE, "Saved %s", path);
}

/* One half of a media type fit for run-mailcap's command line: 1 to 127
 * characters, the first a letter or digit, the rest letters, digits and
 * "-+._" — RFC 2045 token characters, and of those only RFC 6838's
 * restricted-name ones that mean nothing to a shell (so not !#$&^, nor the
 * quotes and backquotes a token allows); never a leading '-'. */
static gboolean
is_type_name (const char *s, gsize len)
{
	if (len == 0 || len > 127 || !g_ascii_isalnum (s[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++)
		if (!g_ascii_isalnum (s[i]) && !strchr ("-+._", s[i]))
			return FALSE;
	return TRUE;
}

/* The part's Content-Type as given to run-mailcap: TYPE/SUBTYPE, both
 * checked by is_type_name(), else application/octet-stream.  Newly
 * allocated. */
static char *
mailcap_type (const char *content_type)
{
	const char *slash = content_type ? strchr (content_type, '/') : NULL;
	if (slash && is_type_name (content_type, (gsize) (slash - content_type)) &&
	    is_type_name (slash + 1, strlen (slash + 1)))
		return g_ascii_strdown (content_type, -1);
	return g_strdup ("application/octet-stream");
}

/* The name a part handed to another program is written under: the safe
 * name (trawl_mime_safe_filename) with every character but ASCII letters,
 * digits and "._-" replaced by '_', so that no shell a viewer's command
 * line goes through (a mailcap entry's '%s', run-mailcap's own xterm -T
 * '...') and no TYPE:FILE split sees anything but a plain word; never a
 * leading '.' or '-' (safe names have none).  A name left with no letter or
 * digit before its extension becomes "attachment-INDEX" with the extension
 * when that is 1 to 10 letters or digits.  Newly allocated. */
static char *
handoff_name (const char *safe_name, int index)
{
	GString *s = g_string_new (NULL);
	for (const char *p = safe_name ? safe_name : ""; *p; p = g_utf8_next_char (p)) {
		if (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || (*p == '-' && s->len > 0))
			g_string_append_c (s, *p);
		else
			g_string_append_c (s, '_');	/* one per character */
	}
	if (s->str[0] == '.')
		s->str[0] = '_';
	const char *dot = strrchr (s->str, '.');
	gsize stem = dot && dot != s->str ? (gsize) (dot - s->str) : s->len;
	gboolean named = FALSE;
	for (gsize i = 0; i < stem && !named; i++)
		named = g_ascii_isalnum (s->str[i]);
	if (named)
		return g_string_free (s, FALSE);
	/* Nothing readable: attachment-INDEX, with a plain extension. */
	gboolean ext_ok = dot && dot != s->str && dot[1] && strlen (dot + 1) <= 10;
	for (const char *e = ext_ok ? dot + 1 : ""; *e && ext_ok; e++)
		ext_ok = g_ascii_isalnum (*e);
	char *name = g_strdup_printf ("attachment-%d%s%s", index, ext_ok ? "." : "", ext_ok ? dot + 1 : "");
	g_string_free (s, TRUE);
	return name;
}

static gboolean
on_path (const char *program)
{
	g_autofree char *path = g_find_program_in_path (program);
	return path != NULL;
}

void
ui_attachment_open (App *app, const TrawlRendered *r, const char *filename)
{
	const TrawlPart *part = choose_attachment (app, r, "Open");
	if (part)
		ui_attachment_open_part (app, filename, part->index, part->safe_filename, part->content_type);
}

void
ui_attachment_open_part (App *app, const char *filename, int index, const char *safe_name,
			 const char *content_type)
{
	g_autoptr (GError) err = NULL;
	/* Every opener gets the same plain name (see handoff_name). */
	g_autofree char *name = handoff_name (safe_name, index);
	g_autofree char *path = part_to_temp (app, filename, index, name, &err);
	if (!path) {
		app_message (app, TRUE, "Cannot open: %s", err->message);
		return;
	}
	/* The configured command with the file last; else xdg-open on a
	 * desktop, run-mailcap (the mailcap rules) otherwise. */
	g_auto (GStrv) argv = NULL;
	if (strcmp (app->open_command, "auto") != 0) {
		g_auto (GStrv) words = NULL;
		if (!g_shell_parse_argv (app->open_command, NULL, &words, &err)) {
			app_message (app, TRUE, "Bad [commands] open: %s", err->message);
			return;
		}
		GStrvBuilder *b = g_strv_builder_new ();
		g_strv_builder_addv (b, (const char **) words);
		g_strv_builder_add (b, path);
		argv = g_strv_builder_end (b);
		g_strv_builder_unref (b);
	} else if (on_path ("xdg-open")) {
		argv = g_strdupv ((char *[]) { (char *) "xdg-open", path, NULL });
	} else if (on_path ("run-mailcap")) {
		g_autofree char *type = mailcap_type (content_type);
		g_autofree char *spec = g_strdup_printf ("%s:%s", type, path);
		argv = g_strdupv ((char *[]) { (char *) "run-mailcap", (char *) "--action=view", spec, NULL });
	}
	if (!argv) {
		app_message (app, TRUE, "Neither xdg-open nor run-mailcap is installed; saved as %s", path);
		return;
	}
	int st = ui_run_external (argv, NULL, FALSE, &err);
	if (st < 0)
		app_message (app, TRUE, "Cannot run %s: %s", argv[0], err->message);
	else if (st != 0)
		app_message (app, TRUE, "%s exited with status %d for %s", argv[0], st, path);
	else
		app_message (app, FALSE, "Opened %s with %s", safe_name, argv[0]);
}

void
ui_pipe_file (App *app, const char *input, const char *command)
{
	g_autofree char *cmd = command ? g_strdup (command) : ui_prompt (app, "Pipe to: ", "", app->pipe_history);
	if (!cmd || !*g_strstrip (cmd))
		return;
	char *argv[] = { (char *) "/bin/sh", (char *) "-c", cmd, NULL };
	g_autoptr (GError) err = NULL;
	int st = ui_run_external (argv, input, TRUE, &err);
	if (st < 0)
		app_message (app, TRUE, "Cannot run the command: %s", err->message);
	else
		app_message (app, st ? TRUE : FALSE, "'%s' exited with status %d", cmd, st);
}

void
ui_part_pipe (App *app, const TrawlRendered *r, const char *filename)
{
	if (!r || !r->parts->len) {
		app_message (app, FALSE, "This message has no parts to pipe");
		return;
	}
	/* The same numbers as the attachment lines and S and O, then the
	 * parts shown inline; all of them listed above the prompt. */
	g_autofree char *listing = NULL;
	g_autoptr (GPtrArray) parts = numbered_parts (r, TRUE, &listing);
	int k = ui_pick_listed (app, "Pipe", "part", parts->len, listing);
	if (k < 0)
		return;
	int index = ((TrawlPart *) parts->pdata[k])->index;
	g_autoptr (GError) err = NULL;
	g_autofree char *path = part_to_temp (app, filename, index, "part", &err);
	if (!path) {
		app_message (app, TRUE, "Cannot decode the part: %s", err->message);
		return;
	}
	ui_pipe_file (app, path, NULL);
}
