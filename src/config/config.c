/* config.c — the defaults (defaults.conf, compiled in) with user files laid
 * over them.
 *
 * Settings ([options], [commands], [colors], [searches]) live in one
 * GKeyFile.  GKeyFile refuses a whole file for one bad line, and tells no
 * line numbers: so each line is first tried alone, by GKeyFile itself; a line
 * it cannot read is reported as FILE:LINE and commented out, and what remains
 * is loaded.  Every setting remembers the line it came from, so a value that
 * reads but means nothing (an unknown option, a bad colour) is reported
 * there too, and skipped.
 *
 * Key bindings are not GKeyFile's: "bind VIEW KEYS COMMAND [ARGUMENT...]"
 * and "unbind VIEW KEYS" lines (tig's grammar) are read here, wherever they
 * stand, by a small parser that knows its file and line; a key and an
 * argument may hold any character.  The defaults' bindings are such lines
 * too, made from the command table.  The old [keys] and [keys.VIEW]
 * sections ("command [argument] = keys") are still read, as the bindings
 * they mean. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "trawl/config.h"
#include "trawl/options.h"

#include "src/config/defaults-conf.h"

struct TrawlConfig {
	GKeyFile *kf;		/* settings in effect: the defaults' and the user's */
	GKeyFile *defaults;	/* the defaults alone: the names and kinds of settings */
	GHashTable *where;	/* "GROUP\x1fKEY" -> Problem (file and line only) for user settings */
	GArray *problems;	/* Problem, in the order found */
	GPtrArray *problem_text;	/* "FILE:LINE: what", sorted; rebuilt on demand */
	GPtrArray *bindings;	/* TrawlBinding *, in effect (see config.h) */
	GPtrArray *files;	/* the names loaded, in the order loaded */
	TrawlOptions *options;	/* typed [options] and [commands], built on first use */
};

typedef struct {
	char *file;
	guint line;		/* 0: the defaults */
	guint seq;		/* order found, to keep equal lines in order */
	char *text;
} Problem;

static void
problem_clear (Problem *p)
{
	g_free (p->file);
	g_free (p->text);
}

static void
where_free (Problem *p)
{
	problem_clear (p);
	g_free (p);
}

const char *const trawl_config_views[] = { "search", "thread", "tags", "help", "correspondents", "batch", "attachments", "timeline", "provenance", NULL };

static const char *const plain_groups[] = { "options", "commands", "colors", "searches", NULL };

/* ---- the defaults ---- */

#define BINDINGS_HEAD "# Key bindings"	/* starts the comment over the bind lines */

/* One bind (or unbind) line, as the dump and the defaults write it. */
static void
append_binding_line (GString *s, const char *view, const char *keys, TrawlCommand cmd, const char *arg)
{
	const TrawlCommandInfo *info = trawl_command_info (cmd);
	if (!info)
		g_string_append_printf (s, "unbind %-7s %s\n", view, keys);
	else
		g_string_append_printf (s, "bind %-7s %-5s %s%s%s\n", view, keys, info->name,
					arg ? " " : "", arg ? arg : "");
}

/* The command table's default keys, as bind lines. */
static char *
table_bindings_text (void)
{
	GString *s = g_string_new (NULL);
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++) {
		g_auto (GStrv) views = g_strsplit (cmds[i].view, " ", -1);
		g_auto (GStrv) keys = g_strsplit (cmds[i].keys, " ", -1);
		for (char **v = views; *v; v++)
			for (char **k = keys; *k; k++)
				if (**v && **k)
					append_binding_line (s, *v, *k, cmds[i].id, NULL);
	}
	return g_string_free (s, FALSE);
}

/* TEXT with the comment paragraph that starts with MARK (a line of its
 * own) replaced by WITH. */
static char *
replace_paragraph (const char *text, const char *mark, const char *with)
{
	const char *at = strstr (text, mark);
	g_assert (at && (at == text || at[-1] == '\n'));
	const char *after = strstr (at, "\n\n");
	return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, with, after ? after + 1 : "");
}

/* The defaults, made once from src/config/defaults.conf: the option table's
 * sections where its @OPTIONS@ comment stands, the command table's bindings
 * where its @BINDINGS@ comment stands (the end); split into what GKeyFile
 * reads (the settings, with their comments) and the comment over the
 * bindings, which the dump writes last. */
static struct {
	char *text;		/* the whole, as compiled in */
	char *settings;		/* the part before the bindings' comment */
	char *bindings_head;	/* that comment */
} defaults_parts;

static void
defaults_init (void)
{
	static gsize once = 0;
	if (!g_once_init_enter (&once))
		return;
	g_autofree char *options = trawl_options_defaults_text ();
	g_autofree char *bindings = table_bindings_text ();
	g_autofree char *with_options = replace_paragraph (trawl_defaults_conf, "# @OPTIONS@", options);
	/* The bindings close the file: the @BINDINGS@ paragraph is the last. */
	const char *mark = strstr (with_options, "\n# @BINDINGS@");
	g_assert (mark && !strstr (mark + 1, "\n\n"));
	defaults_parts.text = replace_paragraph (with_options, "# @BINDINGS@", bindings);
	const char *head = strstr (with_options, "\n" BINDINGS_HEAD);
	g_assert (head && head < mark);
	defaults_parts.settings = g_strndup (with_options, head + 1 - with_options);
	defaults_parts.bindings_head = g_strndup (head + 1, mark + 1 - (head + 1));
	g_once_init_leave (&once, 1);
}

const char *
trawl_config_defaults_text (void)
{
	defaults_init ();
	return defaults_parts.text;
}

char *
trawl_config_default_path (void)
{
	const char *env = g_getenv ("TRAWL_CONFIG");
	if (env && *env)
		return g_strdup (env);
	return g_build_filename (g_get_user_config_dir (), "trawl", "config", NULL);
}

static char *
where_key (const char *group, const char *key)
{
	return g_strdup_printf ("%s\x1f%s", group, key);
}

/* "keys" -> "generic", "keys.search" -> "search", else NULL. */
static const char *
keys_group_view (const char *group)
{
	if (strcmp (group, "keys") == 0)
		return "generic";
	if (!g_str_has_prefix (group, "keys."))
		return NULL;
	const char *v = group + 5;
	return g_strv_contains (trawl_config_views, v) ? v : NULL;
}

static gboolean
known_group (const char *group)
{
	return g_strv_contains (plain_groups, group) || keys_group_view (group) != NULL;
}

static void
binding_free (TrawlBinding *b)
{
	g_free (b->view);
	g_free (b->keys);
	g_free (b->arg);
	g_free (b->file);
	g_free (b);
}

static TrawlBinding *
binding_new (const char *view, const char *keys, TrawlCommand cmd, const char *arg,
	     const char *file, guint line, gboolean user)
{
	TrawlBinding *b = g_new0 (TrawlBinding, 1);
	b->view = g_strdup (view);
	b->keys = g_strdup (keys);
	b->cmd = cmd;
	b->arg = g_strdup (arg);
	b->file = g_strdup (file);
	b->line = line;
	b->user = user;
	return b;
}

/* B (owned) in effect: it replaces the binding of the same keys, spelt the
 * same, in the same view, and goes to the end. */
static void
set_binding (TrawlConfig *c, TrawlBinding *b)
{
	for (guint i = 0; i < c->bindings->len; i++) {
		const TrawlBinding *o = c->bindings->pdata[i];
		if (strcmp (o->view, b->view) == 0 && strcmp (o->keys, b->keys) == 0) {
			g_ptr_array_remove_index (c->bindings, i);
			break;
		}
	}
	g_ptr_array_add (c->bindings, b);
}

/* Per kind of the table: how a field is read and freed. */
#define STRING_FIELD(kind) \
	static void free_field_##kind (char **p) { g_free (*p); } \
	static void get_field_##kind (TrawlConfig *c, const char *g, const char *n, char **p) \
	{ *p = trawl_config_string (c, g, n); }
STRING_FIELD (TRAWL_KIND_STRING)
STRING_FIELD (TRAWL_KIND_CHOICE)
STRING_FIELD (TRAWL_KIND_COLUMNS)
STRING_FIELD (TRAWL_KIND_DATE_FORMAT)
STRING_FIELD (TRAWL_KIND_COMMAND)
#undef STRING_FIELD
static void free_field_TRAWL_KIND_INT (int *p) { (void) p; }
static void get_field_TRAWL_KIND_INT (TrawlConfig *c, const char *g, const char *n, int *p)
{ *p = trawl_config_int (c, g, n); }
static void free_field_TRAWL_KIND_WIDTH (TrawlWidth *p) { (void) p; }
static void get_field_TRAWL_KIND_WIDTH (TrawlConfig *c, const char *g, const char *n, TrawlWidth *p)
{
	g_autofree char *v = trawl_config_string (c, g, n);
	if (!trawl_width_parse (v, p))
		*p = (TrawlWidth) { 20, TRUE };
}
static void free_field_TRAWL_KIND_BOOL (gboolean *p) { (void) p; }
static void get_field_TRAWL_KIND_BOOL (TrawlConfig *c, const char *g, const char *n, gboolean *p)
{ *p = trawl_config_bool (c, g, n); }

static void
options_free (TrawlOptions *o)
{
	if (!o)
		return;
#define FREE_FIELD(field, group, name, kind, ctype, def, min, max, choices, help) \
	free_field_##kind (&o->field);
	TRAWL_OPTIONS (FREE_FIELD)
#undef FREE_FIELD
	g_free (o);
}

static gboolean is_binding_line (const char *t);
static TrawlBinding *parse_binding_line (TrawlConfig *c, const char *file, guint line,
					 const char *t, gboolean user);

TrawlConfig *
trawl_config_new (void)
{
	TrawlConfig *c = g_new0 (TrawlConfig, 1);
	c->kf = g_key_file_new ();
	c->defaults = g_key_file_new ();
	c->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) where_free);
	c->files = g_ptr_array_new_with_free_func (g_free);
	c->problems = g_array_new (FALSE, FALSE, sizeof (Problem));
	g_array_set_clear_func (c->problems, (GDestroyNotify) problem_clear);
	c->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
	g_autoptr (GError) err = NULL;
	defaults_init ();
	if (!g_key_file_load_from_data (c->kf, defaults_parts.settings, -1, G_KEY_FILE_KEEP_COMMENTS, &err) ||
	    !g_key_file_load_from_data (c->defaults, defaults_parts.settings, -1, G_KEY_FILE_NONE, NULL))
		g_error ("the compiled-in defaults do not parse: %s", err ? err->message : "?");
	/* The bindings: the defaults' bind lines, read as a user's are. */
	g_auto (GStrv) lines = g_strsplit (defaults_parts.text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (!is_binding_line (lines[i]))
			continue;
		TrawlBinding *b = parse_binding_line (c, "(defaults)", i + 1, lines[i], FALSE);
		if (!b)
			g_error ("a default binding does not read: %s", (char *) trawl_config_problems (c)->pdata[0]);
		set_binding (c, b);
	}
	return c;
}

void
trawl_config_free (TrawlConfig *c)
{
	if (!c)
		return;
	g_key_file_free (c->kf);
	g_key_file_free (c->defaults);
	g_hash_table_unref (c->where);
	g_ptr_array_unref (c->files);
	g_array_unref (c->problems);
	if (c->problem_text)
		g_ptr_array_unref (c->problem_text);
	g_ptr_array_unref (c->bindings);
	options_free (c->options);
	g_free (c);
}

static void
add_problem (TrawlConfig *c, const char *file, guint line, const char *fmt, va_list ap)
{
	Problem p = { g_strdup (file), line, c->problems->len, g_strdup_vprintf (fmt, ap) };
	g_array_append_val (c->problems, p);
	g_clear_pointer (&c->problem_text, g_ptr_array_unref);
}

static void
problem_at (TrawlConfig *c, const char *file, guint line, const char *fmt, ...) G_GNUC_PRINTF (4, 5);
static void
problem_at (TrawlConfig *c, const char *file, guint line, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	add_problem (c, file, line, fmt, ap);
	va_end (ap);
}

void
trawl_config_problem (TrawlConfig *c, const char *group, const char *key, const char *fmt, ...)
{
	g_autofree char *wk = where_key (group, key);
	const Problem *where = g_hash_table_lookup (c->where, wk);
	g_autofree char *fallback = g_strdup_printf ("(defaults) [%s] %s", group, key);
	va_list ap;
	va_start (ap, fmt);
	add_problem (c, where ? where->file : fallback, where ? where->line : 0, fmt, ap);
	va_end (ap);
}

void
trawl_config_binding_problem (TrawlConfig *c, const TrawlBinding *b, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	add_problem (c, b->file, b->line, fmt, ap);
	va_end (ap);
}

/* By file (in the order files were loaded), then line. */
static int
problem_cmp (const Problem *a, const Problem *b, gpointer order)
{
	if (strcmp (a->file, b->file) != 0) {
		guint ia = 0, ib = 0;
		g_ptr_array_find_with_equal_func (order, a->file, g_str_equal, &ia);
		g_ptr_array_find_with_equal_func (order, b->file, g_str_equal, &ib);
		return ia < ib ? -1 : 1;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

GPtrArray *
trawl_config_problems (TrawlConfig *c)
{
	if (c->problem_text)
		return c->problem_text;
	/* The files loaded, then any other names (the defaults') as found. */
	g_autoptr (GPtrArray) files = g_ptr_array_new ();
	for (guint i = 0; i < c->files->len; i++)
		g_ptr_array_add (files, c->files->pdata[i]);
	g_autoptr (GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (Problem), c->problems->len);
	for (guint i = 0; i < c->problems->len; i++) {
		Problem *p = &g_array_index (c->problems, Problem, i);
		if (!g_ptr_array_find_with_equal_func (files, p->file, g_str_equal, NULL))
			g_ptr_array_add (files, p->file);
		g_array_append_val (sorted, *p);	/* shallow: c->problems owns the strings */
	}
	g_array_sort_with_data (sorted, (GCompareDataFunc) problem_cmp, files);
	c->problem_text = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < sorted->len; i++) {
		Problem *p = &g_array_index (sorted, Problem, i);
		g_ptr_array_add (c->problem_text, p->line ? g_strdup_printf ("%s:%u: %s", p->file, p->line, p->text)
							  : g_strdup_printf ("%s: %s", p->file, p->text));
	}
	return c->problem_text;
}

/* ---- kinds of values ---- */

static gboolean
parse_int (const char *s, guint64 max, guint64 *out)
{
	return g_ascii_string_to_unsigned (s, 10, 0, max, out, NULL);
}

/* Why CMD (with ARG or not) cannot be bound in VIEW, or NULL. */
static char *
check_binding (const char *view, TrawlCommand cmd, const char *name, const char *arg)
{
	if (cmd == TRAWL_CMD_NONE)
		return g_strdup_printf ("unknown command '%s' (trawl --list-commands lists them)", name);
	const TrawlCommandInfo *info = trawl_command_info (cmd);
	if (strcmp (view, "generic") != 0 && !trawl_command_in_view (info, view))
		return g_strdup_printf ("%s does not work in the %s view", name, view);
	if (arg && !*info->arg)
		return g_strdup_printf ("%s takes no argument", name);
	return NULL;
}

/* NULL when GROUP/KEY = VALUE (the raw text) may be used, else why not. */
static char *
check_setting (TrawlConfig *c, const char *group, const char *key, const char *raw)
{
	g_autoptr (GKeyFile) one = g_key_file_new ();
	g_key_file_set_value (one, group, key, raw);
	g_autoptr (GError) err = NULL;
	g_autofree char *value = g_key_file_get_string (one, group, key, &err);
	if (!value)
		return g_strdup_printf ("bad value: %s", err->message);

	if (strcmp (group, "options") == 0 || strcmp (group, "commands") == 0) {
		const TrawlOptionInfo *info = trawl_option_info (group, key);
		if (!info)
			return g_strdup_printf ("unknown option '%s' in [%s]", key, group);
		return trawl_option_check (info, value);
	}
	if (strcmp (group, "colors") == 0) {
		if (!g_key_file_has_key (c->defaults, group, key, NULL) &&
		    !(g_str_has_prefix (key, "tag.") && key[4]) &&
		    !(g_str_has_prefix (key, "row.tag.") && key[8]))
			return g_strdup_printf ("unknown element '%s' in [colors] (tag.NAME colours a tag, "
						"row.tag.NAME the rows that have it)", key);
		TrawlStyle st;
		g_autoptr (GError) e = NULL;
		if (!trawl_style_parse (value, &st, &e))
			return g_strdup (e->message);
		return NULL;
	}
	if (strcmp (group, "searches") == 0) {
		if (!*value)
			return g_strdup_printf ("saved search '%s' has no query", key);
		return NULL;
	}
	const char *view = keys_group_view (group);
	if (view) {
		g_autofree char *arg = NULL;
		g_autofree char *name = trawl_command_split (key, &arg);
		return check_binding (view, trawl_command_by_name (name), name, arg);
	}
	return g_strdup_printf ("unknown section [%s]", group);
}

/* ---- bind lines ---- */

/* Is T (a line, leading blanks skipped) a bind or unbind line: its first
 * word "bind" or "unbind", and no '=' right after it (that would be a
 * setting of that name)? */
static gboolean
is_binding_line (const char *t)
{
	gsize n = g_str_has_prefix (t, "bind") ? 4 : g_str_has_prefix (t, "unbind") ? 6 : 0;
	if (!n || (t[n] && t[n] != ' ' && t[n] != '\t'))
		return FALSE;
	t += n;
	t += strspn (t, " \t");
	return *t != '=';
}

/* The next blank-separated word at *P (NULL: none), *P moved past it and
 * the blanks after it. */
static char *
next_word (const char **p)
{
	gsize n = strcspn (*p, " \t");
	if (!n)
		return NULL;
	char *w = g_strndup (*p, n);
	*p += n;
	*p += strspn (*p, " \t");
	return w;
}

static gboolean
known_view (const char *view)
{
	return strcmp (view, "generic") == 0 || g_strv_contains (trawl_config_views, view);
}

#define BIND_FORM "bind VIEW KEYS COMMAND [ARGUMENT...]"
#define BIND_USAGE BIND_FORM ", or unbind VIEW KEYS"

/* The binding line T (is_binding_line) means, or NULL with a problem at
 * FILE:LINE.  "bind VIEW KEYS COMMAND ARGUMENT...": the argument is the
 * rest of the line as written, blanks at its ends aside.  "unbind VIEW
 * KEYS", or "bind VIEW KEYS none", unbinds.  The keys' spelling is the
 * UI's to check. */
static TrawlBinding *
parse_binding_line (TrawlConfig *c, const char *file, guint line, const char *t, gboolean user)
{
	g_autofree char *text = g_strchomp (g_strdup (t));
	const char *p = text;
	g_autofree char *verb = next_word (&p);
	g_autofree char *view = next_word (&p);
	g_autofree char *keys = next_word (&p);
	gboolean unbind = strcmp (verb, "unbind") == 0;
	if (!view || !keys) {
		problem_at (c, file, line, "'%s' lacks %s (" BIND_USAGE ")", text, view ? "the keys" : "a view and keys");
		return NULL;
	}
	if (!known_view (view)) {
		g_autofree char *views = g_strjoinv (" ", (char **) trawl_config_views);
		problem_at (c, file, line, "unknown view '%s' (views: generic %s)", view, views);
		return NULL;
	}
	if (unbind) {
		if (*p) {
			problem_at (c, file, line, "unbind takes a view and keys, nothing more (%s)", BIND_USAGE);
			return NULL;
		}
		return binding_new (view, keys, TRAWL_CMD_NONE, NULL, file, line, user);
	}
	g_autofree char *name = next_word (&p);
	if (!name) {
		problem_at (c, file, line, "'%s' lacks the command (%s)", text, BIND_USAGE);
		return NULL;
	}
	g_autofree char *arg = *p ? g_strdup (p) : NULL;
	if (strcmp (name, "none") == 0) {
		if (arg) {
			problem_at (c, file, line, "none takes no argument");
			return NULL;
		}
		return binding_new (view, keys, TRAWL_CMD_NONE, NULL, file, line, user);
	}
	TrawlCommand cmd = trawl_command_by_name (name);
	g_autofree char *why = check_binding (view, cmd, name, arg);
	if (why) {
		problem_at (c, file, line, "%s", why);
		return NULL;
	}
	return binding_new (view, keys, cmd, arg, file, line, user);
}

/* An old [keys] line: "COMMAND [ARGUMENT] = KEYS" in the section of VIEW
 * replaces the keys COMMAND (with that argument, or none) has in VIEW:
 * those are unbound, KEYS bound. */
static void
set_old_binding (TrawlConfig *c, const char *view, const char *key, const char *value,
		 const char *file, guint line)
{
	g_autofree char *arg = NULL;
	g_autofree char *name = trawl_command_split (key, &arg);
	TrawlCommand cmd = trawl_command_by_name (name);
	g_autoptr (GPtrArray) old = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < c->bindings->len; i++) {
		const TrawlBinding *b = c->bindings->pdata[i];
		if (b->cmd == cmd && strcmp (b->view, view) == 0 && g_strcmp0 (b->arg, arg) == 0)
			g_ptr_array_add (old, g_strdup (b->keys));
	}
	for (guint i = 0; i < old->len; i++)
		set_binding (c, binding_new (view, old->pdata[i], TRAWL_CMD_NONE, NULL, file, line, TRUE));
	g_auto (GStrv) keys = g_strsplit_set (value, " \t", -1);
	for (char **k = keys; *k; k++)
		if (**k)
			set_binding (c, binding_new (view, *k, cmd, arg, file, line, TRUE));
}

/* ---- loading ---- */

static char *
group_of_line (const char *line)
{
	g_autoptr (GKeyFile) one = g_key_file_new ();
	if (!g_key_file_load_from_data (one, line, -1, G_KEY_FILE_NONE, NULL))
		return NULL;
	g_auto (GStrv) groups = g_key_file_get_groups (one, NULL);
	return groups && groups[0] ? g_strdup (groups[0]) : NULL;
}

static char *
key_of_line (const char *line)
{
	g_autofree char *text = g_strdup_printf ("[x]\n%s\n", line);
	g_autoptr (GKeyFile) one = g_key_file_new ();
	if (!g_key_file_load_from_data (one, text, -1, G_KEY_FILE_NONE, NULL))
		return NULL;
	g_auto (GStrv) keys = g_key_file_get_keys (one, "x", NULL, NULL);
	return keys && keys[0] ? g_strdup (keys[0]) : NULL;
}

/* A line of a user file that does something: a setting, or a binding. */
typedef struct {
	guint line;
	char *group, *key;	/* a setting (NULL for a binding line) */
	TrawlBinding *bind;	/* a bind or unbind line, read */
} Setting;

static void
setting_clear (Setting *s)
{
	g_free (s->group);
	g_free (s->key);
	if (s->bind)
		binding_free (s->bind);
}

static int
setting_cmp (const Setting *a, const Setting *b)
{
	return (int) a->line - (int) b->line;
}

/* TEXT's LEN bytes split at newlines; a line holding a NUL byte is marked
 * in *NUL (its text is what comes before the NUL). */
static char **
split_lines (const char *text, gsize len, GArray **nul)
{
	GPtrArray *lines = g_ptr_array_new ();
	*nul = g_array_new (FALSE, TRUE, sizeof (gboolean));
	const char *p = text, *end = text + len;
	for (;;) {
		const char *nl = memchr (p, '\n', end - p);
		const char *stop = nl ? nl : end;
		gboolean has_nul = memchr (p, '\0', stop - p) != NULL;
		g_ptr_array_add (lines, g_strndup (p, stop - p));
		g_array_append_val (*nul, has_nul);
		if (!nl)
			break;
		p = nl + 1;
	}
	g_ptr_array_add (lines, NULL);
	return (char **) g_ptr_array_free (lines, FALSE);
}

static void
load_data (TrawlConfig *c, const char *name, const char *text, gsize text_len)
{
	g_clear_pointer (&c->options, options_free);	/* values may change */
	/* Read with its length: a NUL byte must not end the file unseen. */
	g_autoptr (GArray) nul = NULL;
	g_auto (GStrv) lines = split_lines (text, text_len, &nul);
	GString *clean = g_string_new (NULL);
	g_autofree char *group = NULL;	/* the section lines belong to; NULL: none usable */
	gboolean any_group = FALSE;
	/* "GROUP\x1fKEY" -> line, for this file only. */
	g_autoptr (GHashTable) lines_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	/* Settings and bindings, to be used in file order. */
	g_autoptr (GArray) settings = g_array_new (FALSE, FALSE, sizeof (Setting));
	g_array_set_clear_func (settings, (GDestroyNotify) setting_clear);
	if (!g_ptr_array_find_with_equal_func (c->files, name, g_str_equal, NULL))
		g_ptr_array_add (c->files, g_strdup (name));

	for (guint i = 0; lines[i]; i++) {
		guint lineno = i + 1;
		char *line = lines[i];
		gsize len = strlen (line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (g_array_index (nul, gboolean, i)) {
			problem_at (c, name, lineno, "a NUL byte (the line is ignored)");
			g_string_append (clean, "#\n");
			continue;
		}
		const char *t = line;
		while (g_ascii_isspace (*t))
			t++;
		if (!*t || *t == '#') {
			g_string_append_printf (clean, "%s\n", line);
			continue;
		}
		if (!g_utf8_validate (t, -1, NULL)) {
			problem_at (c, name, lineno, "not UTF-8 text; line ignored");
			g_string_append (clean, "#\n");
			continue;
		}
		/* A binding, wherever it stands: it belongs to no section. */
		if (is_binding_line (t)) {
			Setting s = { lineno, NULL, NULL, parse_binding_line (c, name, lineno, t, TRUE) };
			if (s.bind)
				g_array_append_val (settings, s);
			g_string_append (clean, "#\n");
			continue;
		}
		if (*t == '[') {
			any_group = TRUE;
			g_clear_pointer (&group, g_free);
			g_autofree char *g = group_of_line (t);
			if (!g)
				problem_at (c, name, lineno, "'%s' is not a [section] line; its settings are ignored", t);
			else if (!known_group (g))
				problem_at (c, name, lineno, "unknown section [%s]; its settings are ignored "
					    "(sections: options commands colors searches; bindings are bind lines)", g);
			else {
				group = g_steal_pointer (&g);
				g_string_append_printf (clean, "%s\n", t);
				continue;
			}
			g_string_append (clean, "#\n");
			continue;
		}
		if (!group) {
			if (!any_group)
				problem_at (c, name, lineno, "a setting before any [section]; line ignored");
			g_string_append (clean, "#\n");
			continue;
		}
		g_autofree char *key = key_of_line (t);
		const char *value = strchr (t, '=');
		if (!key) {
			if (keys_group_view (group) && value)
				problem_at (c, name, lineno, "'%s' is not a 'name = value' line (an argument in "
					    "[%s] cannot hold '[' or ']'; write a bind line: %s); line ignored",
					    t, group, BIND_FORM);
			else
				problem_at (c, name, lineno, "'%s' is not a 'name = value' line; line ignored", t);
			g_string_append (clean, "#\n");
			continue;
		}
		/* "search a=b = C-t" reads as the command "search a" bound to the
		 * keys "b = C-t": refuse it rather than bind b. */
		if (keys_group_view (group) && value && strstr (value + 1, " = ")) {
			problem_at (c, name, lineno, "an argument in [%s] cannot hold '='; write a bind line: "
				    "%s; line ignored", group, BIND_FORM);
			g_string_append (clean, "#\n");
			continue;
		}
		g_hash_table_insert (lines_of, where_key (group, key), GUINT_TO_POINTER (lineno));
		g_string_append_printf (clean, "%s\n", t);
	}

	g_autoptr (GKeyFile) user = g_key_file_new ();
	g_autoptr (GError) err = NULL;
	if (!g_key_file_load_from_data (user, clean->str, clean->len, G_KEY_FILE_NONE, &err)) {
		problem_at (c, name, 1, "cannot be read: %s", err->message);
		g_string_free (clean, TRUE);
		return;
	}
	g_string_free (clean, TRUE);

	/* The settings with the bindings, in file order, each checked where it
	 * stands. */
	g_auto (GStrv) groups = g_key_file_get_groups (user, NULL);
	for (char **g = groups; *g; g++) {
		g_auto (GStrv) keys = g_key_file_get_keys (user, *g, NULL, NULL);
		for (char **k = keys; k && *k; k++) {
			/* GKeyFile lists a name given twice twice; the value is the last. */
			gboolean again = FALSE;
			for (char **e = keys; e < k && !again; e++)
				again = strcmp (*e, *k) == 0;
			if (again)
				continue;
			g_autofree char *wk = where_key (*g, *k);
			Setting s = { GPOINTER_TO_UINT (g_hash_table_lookup (lines_of, wk)),
				      g_strdup (*g), g_strdup (*k), NULL };
			g_array_append_val (settings, s);
		}
	}
	g_array_sort (settings, (GCompareFunc) setting_cmp);
	for (guint i = 0; i < settings->len; i++) {
		Setting *s = &g_array_index (settings, Setting, i);
		if (s->bind) {
			set_binding (c, g_steal_pointer (&s->bind));
			continue;
		}
		g_autofree char *raw = g_key_file_get_value (user, s->group, s->key, NULL);
		g_autofree char *why = check_setting (c, s->group, s->key, raw);
		if (why) {
			problem_at (c, name, s->line, "%s", why);
			continue;
		}
		const char *view = keys_group_view (s->group);
		if (view) {
			g_autofree char *keys = g_key_file_get_string (user, s->group, s->key, NULL);
			set_old_binding (c, view, s->key, keys, name, s->line);
			continue;
		}
		g_key_file_set_value (c->kf, s->group, s->key, raw);
		Problem *at = g_new0 (Problem, 1);
		at->file = g_strdup (name);
		at->line = s->line;
		g_hash_table_insert (c->where, where_key (s->group, s->key), at);
	}
}

void
trawl_config_load_data (TrawlConfig *c, const char *name, const char *text)
{
	load_data (c, name, text, strlen (text));
}

gboolean
trawl_config_load_file (TrawlConfig *c, const char *path, gboolean must_exist, GError **error)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr (GError) err = NULL;
	if (!g_file_get_contents (path, &text, &len, &err)) {
		if (!must_exist && g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		if (!must_exist) {
			/* The usual place holds something unreadable: say so, and
			 * run on the defaults. */
			problem_at (c, path, 0, "cannot be read (%s); using the defaults", err->message);
			return TRUE;
		}
		g_propagate_error (error, g_steal_pointer (&err));
		return FALSE;
	}
	load_data (c, path, text, len);
	return TRUE;
}

char *
trawl_config_dump (TrawlConfig *c)
{
	/* GKeyFile writes name=value; people read "name = value" better, and
	 * GKeyFile reads both alike. */
	g_autofree char *data = g_key_file_to_data (c->kf, NULL, NULL);
	g_auto (GStrv) lines = g_strsplit (g_strchomp (data), "\n", -1);
	GString *out = g_string_new (NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		const char *eq = strchr (l, '=');
		if (*l && *l != '#' && *l != '[' && eq)
			g_string_append_printf (out, "%.*s =%s%s\n", (int) (eq - l), l, eq[1] ? " " : "", eq + 1);
		else
			g_string_append_printf (out, "%s\n", l);
	}
	/* Then every binding in effect, under the defaults' comment on them. */
	g_string_append_printf (out, "\n%s", defaults_parts.bindings_head);
	for (guint i = 0; i < c->bindings->len; i++) {
		const TrawlBinding *b = c->bindings->pdata[i];
		append_binding_line (out, b->view, b->keys, b->cmd, b->arg);
	}
	return g_string_free (out, FALSE);
}

/* ---- typed values ---- */

const TrawlOptions *
trawl_config_options (TrawlConfig *c)
{
	if (!c->options) {
		TrawlOptions *o = g_new0 (TrawlOptions, 1);
#define GET_FIELD(field, group, name, kind, ctype, def, min, max, choices, help) \
		get_field_##kind (c, group, name, &o->field);
		TRAWL_OPTIONS (GET_FIELD)
#undef GET_FIELD
		c->options = o;
	}
	return c->options;
}

char *
trawl_config_string (TrawlConfig *c, const char *group, const char *name)
{
	char *v = g_key_file_get_string (c->kf, group, name, NULL);
	if (!v)
		g_critical ("no setting [%s] %s in the defaults", group, name);
	return v ? v : g_strdup ("");
}

int
trawl_config_int (TrawlConfig *c, const char *group, const char *name)
{
	g_autofree char *v = trawl_config_string (c, group, name);
	guint64 n = 0;
	parse_int (v, 100000, &n);
	return (int) n;
}

gboolean
trawl_config_bool (TrawlConfig *c, const char *group, const char *name)
{
	return g_key_file_get_boolean (c->kf, group, name, NULL);
}

/* ---- colours ---- */

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", NULL
};

static const struct { const char *name; guint bit; } attr_names[] = {
	{ "bold", TRAWL_STYLE_BOLD },
	{ "dim", TRAWL_STYLE_DIM },
	{ "underline", TRAWL_STYLE_UNDERLINE },
	{ "reverse", TRAWL_STYLE_REVERSE },
	{ "italic", TRAWL_STYLE_ITALIC },
	{ "blink", TRAWL_STYLE_BLINK },
	{ "standout", TRAWL_STYLE_STANDOUT },
	{ "normal", 0 },
};

void
trawl_color_rgb (int index, int *r, int *g, int *b)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	if (index >= 232) {
		*r = *g = *b = 8 + 10 * (index - 232);
		return;
	}
	int i = CLAMP (index, 16, 231) - 16;
	*r = level[i / 36], *g = level[(i / 6) % 6], *b = level[i % 6];
}

/* The xterm-256 colour nearest to R,G,B, among 16..255 (the first of equals). */
static int
nearest_256 (int r, int g, int b)
{
	int best = 16, best_d = G_MAXINT;
	for (int c = 16; c < 256; c++) {
		int cr, cg, cb;
		trawl_color_rgb (c, &cr, &cg, &cb);
		int d = (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b);
		if (d < best_d)
			best_d = d, best = c;
	}
	return best;
}

static gboolean
parse_color (const char *w, int *out)
{
	if (g_ascii_strcasecmp (w, "default") == 0) {
		*out = TRAWL_COLOR_DEFAULT;
		return TRUE;
	}
	for (int i = 0; color_names[i]; i++) {
		if (g_ascii_strcasecmp (w, color_names[i]) == 0) {
			*out = i;
			return TRUE;
		}
		if (g_ascii_strncasecmp (w, "bright-", 7) == 0 && g_ascii_strcasecmp (w + 7, color_names[i]) == 0) {
			*out = 8 + i;
			return TRUE;
		}
	}
	guint64 n;
	if ((g_ascii_strncasecmp (w, "color", 5) == 0 && parse_int (w + 5, 255, &n)) ||
	    (g_ascii_strncasecmp (w, "colour", 6) == 0 && parse_int (w + 6, 255, &n))) {
		*out = (int) n;
		return TRUE;
	}
	if (w[0] == '#' && strlen (w) == 7 && strspn (w + 1, "0123456789abcdefABCDEF") == 6) {
		guint64 rgb = g_ascii_strtoull (w + 1, NULL, 16);
		*out = nearest_256 ((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
		return TRUE;
	}
	return FALSE;
}

gboolean
trawl_style_parse (const char *text, TrawlStyle *out, GError **error)
{
	TrawlStyle st = { TRAWL_COLOR_DEFAULT, TRAWL_COLOR_DEFAULT, 0 };
	gboolean have_fg = FALSE, want_bg = FALSE, have_bg = FALSE;
	g_auto (GStrv) words = g_strsplit_set (text, " \t", -1);
	for (char **w = words; *w; w++) {
		if (!**w)
			continue;
		if (g_ascii_strcasecmp (*w, "on") == 0) {
			if (want_bg || have_bg) {
				g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
					     "bad colour '%s': 'on' twice", text);
				return FALSE;
			}
			want_bg = TRUE;
			continue;
		}
		gboolean is_attr = FALSE;
		for (gsize i = 0; i < G_N_ELEMENTS (attr_names); i++)
			if (g_ascii_strcasecmp (*w, attr_names[i].name) == 0) {
				st.attrs |= attr_names[i].bit;
				is_attr = TRUE;
			}
		if (is_attr && !want_bg)
			continue;
		int color;
		if (!is_attr && parse_color (*w, &color)) {
			if (want_bg && !have_bg) {
				st.bg = color;
				have_bg = TRUE;
				continue;
			}
			if (!want_bg && !have_fg) {
				st.fg = color;
				have_fg = TRUE;
				continue;
			}
		}
		g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			     "bad colour '%s': cannot use '%s' (attributes: bold dim underline reverse italic "
			     "blink standout; colours: default, black ... white, bright-black ... bright-white, "
			     "color0 ... color255, #rrggbb; then 'on' and a background colour)", text, *w);
		return FALSE;
	}
	if (want_bg && !have_bg) {
		g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			     "bad colour '%s': no colour after 'on'", text);
		return FALSE;
	}
	*out = st;
	return TRUE;
}

gboolean
trawl_config_style (TrawlConfig *c, const char *name, TrawlStyle *out)
{
	g_autofree char *v = g_key_file_get_string (c->kf, "colors", name, NULL);
	return v && trawl_style_parse (v, out, NULL);
}

GStrv
trawl_config_style_names (TrawlConfig *c)
{
	GStrv keys = g_key_file_get_keys (c->kf, "colors", NULL, NULL);
	return keys ? keys : g_new0 (char *, 1);
}

/* ---- saved searches ---- */

void
trawl_config_searches (TrawlConfig *c, GPtrArray *out)
{
	g_auto (GStrv) keys = g_key_file_get_keys (c->kf, "searches", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		g_autofree char *q = g_key_file_get_string (c->kf, "searches", *k, NULL);
		if (q && *q)
			g_ptr_array_add (out, trawl_named_query_new (*k, q, "config"));
	}
}

/* ---- bindings ---- */

GPtrArray *
trawl_config_bindings (TrawlConfig *c)
{
	return c->bindings;
}

/* ---- the manual's tables ---- */

static char *
comment_text (GKeyFile *kf, const char *group, const char *key)
{
	g_autofree char *raw = g_key_file_get_comment (kf, group, key, NULL);
	GString *s = g_string_new (NULL);
	g_auto (GStrv) lines = g_strsplit (raw ? raw : "", "\n", -1);
	for (char **l = lines; *l; l++) {
		const char *t = *l;
		while (*t == '#' || *t == ' ')
			t++;
		if (!*t)
			continue;
		if (s->len)
			g_string_append_c (s, ' ');
		g_string_append (s, t);
	}
	return g_string_free (s, FALSE);
}

char *
trawl_config_list_settings (void)
{
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	defaults_init ();
	g_key_file_load_from_data (kf, defaults_parts.settings, -1, G_KEY_FILE_KEEP_COMMENTS, NULL);
	GString *out = g_string_new (NULL);
	static const char *const groups[] = { "options", "commands", "colors", NULL };
	for (int g = 0; groups[g]; g++) {
		g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
		for (char **k = keys; k && *k; k++) {
			g_autofree char *v = g_key_file_get_string (kf, groups[g], *k, NULL);
			g_autofree char *help = comment_text (kf, groups[g], *k);
			g_string_append_printf (out, "%s\t%s\t%s\t%s\n", groups[g], *k, v ? v : "", help);
		}
	}
	return g_string_free (out, FALSE);
}
