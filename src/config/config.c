/* config.c — the defaults (defaults.conf, compiled in) with user files laid
 * over them, in one GKeyFile.
 *
 * GKeyFile refuses a whole file for one bad line, and tells no line numbers.
 * So each line is first tried alone, by GKeyFile itself: a line it cannot
 * read is reported as FILE:LINE and commented out, and what remains is
 * loaded.  Every setting remembers the line it came from, so a value that
 * reads but means nothing (an unknown option, a bad colour, an unknown
 * command) is reported there too, and skipped. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "trawl/config.h"
#include "trawl/options.h"

#include "src/config/defaults-conf.h"

struct TrawlConfig {
	GKeyFile *kf;		/* in effect: defaults, table bindings, user values */
	GKeyFile *defaults;	/* the defaults alone: the names and kinds of settings */
	GHashTable *where;	/* "GROUP\x1fKEY" -> Problem (file and line only) for user settings */
	GPtrArray *user_order;	/* "GROUP\x1fKEY", user settings in file order */
	GArray *problems;	/* Problem, in the order found */
	GPtrArray *problem_text;	/* "FILE:LINE: what", sorted; rebuilt on demand */
	GPtrArray *bindings;	/* TrawlBinding *, built on first use */
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

const char *const trawl_config_views[] = { "search", "thread", "tags", "help", NULL };

static const char *const plain_groups[] = { "options", "commands", "colors", "searches", NULL };

/* The defaults: src/config/defaults.conf with the option table's sections
 * where its @OPTIONS@ comment stands.  Built once. */
const char *
trawl_config_defaults_text (void)
{
	static gsize once = 0;
	static char *text;
	if (g_once_init_enter (&once)) {
		const char *mark = strstr (trawl_defaults_conf, "# @OPTIONS@");
		g_assert (mark);
		const char *after = strstr (mark, "\n\n");
		g_autofree char *options = trawl_options_defaults_text ();
		text = g_strdup_printf ("%.*s%s%s", (int) (mark - trawl_defaults_conf), trawl_defaults_conf,
					options, after ? after + 1 : "");
		g_once_init_leave (&once, 1);
	}
	return text;
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
	g_free (b->arg);
	g_free (b->keys);
	g_free (b->group);
	g_free (b->key);
	g_free (b);
}

static char *
keys_group_for (const char *view)
{
	return strcmp (view, "generic") == 0 ? g_strdup ("keys") : g_strdup_printf ("keys.%s", view);
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

TrawlConfig *
trawl_config_new (void)
{
	TrawlConfig *c = g_new0 (TrawlConfig, 1);
	c->kf = g_key_file_new ();
	c->defaults = g_key_file_new ();
	c->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) where_free);
	c->user_order = g_ptr_array_new_with_free_func (g_free);
	c->files = g_ptr_array_new_with_free_func (g_free);
	c->problems = g_array_new (FALSE, FALSE, sizeof (Problem));
	g_array_set_clear_func (c->problems, (GDestroyNotify) problem_clear);
	g_autoptr (GError) err = NULL;
	const char *defaults = trawl_config_defaults_text ();
	if (!g_key_file_load_from_data (c->kf, defaults, -1, G_KEY_FILE_KEEP_COMMENTS, &err) ||
	    !g_key_file_load_from_data (c->defaults, defaults, -1, G_KEY_FILE_NONE, NULL))
		g_error ("the compiled-in defaults do not parse: %s", err ? err->message : "?");
	/* The command table's bindings, so the file in effect shows them all. */
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++) {
		g_auto (GStrv) views = g_strsplit (cmds[i].view, " ", -1);
		for (char **v = views; *v; v++) {
			g_autofree char *group = keys_group_for (*v);
			g_key_file_set_string (c->kf, group, cmds[i].name, cmds[i].keys);
		}
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
	g_ptr_array_unref (c->user_order);
	g_ptr_array_unref (c->files);
	g_array_unref (c->problems);
	if (c->problem_text)
		g_ptr_array_unref (c->problem_text);
	if (c->bindings)
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
		TrawlCommand cmd = trawl_command_by_name (name);
		if (cmd == TRAWL_CMD_NONE)
			return g_strdup_printf ("unknown command '%s' (trawl --list-commands lists them)", name);
		const TrawlCommandInfo *info = trawl_command_info (cmd);
		if (strcmp (view, "generic") != 0 && !trawl_command_in_view (info, view))
			return g_strdup_printf ("%s does not work in the %s view", name, view);
		if (arg && !*info->arg)
			return g_strdup_printf ("%s takes no argument", name);
		return NULL;
	}
	return g_strdup_printf ("unknown section [%s]", group);
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

typedef struct {
	guint line;
	char *group, *key;
} Setting;

static void
setting_clear (Setting *s)
{
	g_free (s->group);
	g_free (s->key);
}

static int
setting_cmp (const Setting *a, const Setting *b)
{
	return (int) a->line - (int) b->line;
}

void
trawl_config_load_data (TrawlConfig *c, const char *name, const char *text)
{
	g_clear_pointer (&c->options, options_free);	/* values may change */
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	GString *clean = g_string_new (NULL);
	g_autofree char *group = NULL;	/* the section lines belong to; NULL: none usable */
	gboolean any_group = FALSE;
	/* "GROUP\x1fKEY" -> line, for this file only. */
	g_autoptr (GHashTable) lines_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	if (!g_ptr_array_find_with_equal_func (c->files, name, g_str_equal, NULL))
		g_ptr_array_add (c->files, g_strdup (name));

	for (guint i = 0; lines[i]; i++) {
		guint lineno = i + 1;
		char *line = lines[i];
		gsize len = strlen (line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
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
		if (*t == '[') {
			any_group = TRUE;
			g_clear_pointer (&group, g_free);
			g_autofree char *g = group_of_line (t);
			if (!g)
				problem_at (c, name, lineno, "'%s' is not a [section] line; its settings are ignored", t);
			else if (!known_group (g))
				problem_at (c, name, lineno, "unknown section [%s]; its settings are ignored "
					    "(sections: options commands colors searches keys keys.search keys.thread keys.tags keys.help)", g);
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
		if (!key) {
			problem_at (c, name, lineno, "'%s' is not a 'name = value' line; line ignored", t);
			g_string_append (clean, "#\n");
			continue;
		}
		/* "search a=b = C-t" reads as the command "search a" bound to the
		 * keys "b = C-t": refuse it rather than bind b. */
		const char *value = strchr (t, '=');
		if (keys_group_view (group) && value && strstr (value + 1, " = ")) {
			problem_at (c, name, lineno, "a binding's argument cannot hold '=' (nor '[' or ']'); "
				    "run such a command from the : line; line ignored");
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

	/* Settings in file order, each checked where it stands. */
	g_autoptr (GArray) settings = g_array_new (FALSE, FALSE, sizeof (Setting));
	g_array_set_clear_func (settings, (GDestroyNotify) setting_clear);
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
				      g_strdup (*g), g_strdup (*k) };
			g_array_append_val (settings, s);
		}
	}
	g_array_sort (settings, (GCompareFunc) setting_cmp);
	for (guint i = 0; i < settings->len; i++) {
		Setting *s = &g_array_index (settings, Setting, i);
		g_autofree char *raw = g_key_file_get_value (user, s->group, s->key, NULL);
		g_autofree char *why = check_setting (c, s->group, s->key, raw);
		if (why) {
			problem_at (c, name, s->line, "%s", why);
			continue;
		}
		g_key_file_set_value (c->kf, s->group, s->key, raw);
		char *wk = where_key (s->group, s->key);
		Problem *at = g_new0 (Problem, 1);
		at->file = g_strdup (name);
		at->line = s->line;
		g_hash_table_insert (c->where, g_strdup (wk), at);
		/* A later file's setting of the same name moves it to the end. */
		for (guint j = 0; j < c->user_order->len; j++)
			if (strcmp (c->user_order->pdata[j], wk) == 0) {
				g_ptr_array_remove_index (c->user_order, j);
				break;
			}
		g_ptr_array_add (c->user_order, wk);
	}
	g_clear_pointer (&c->bindings, g_ptr_array_unref);
}

gboolean
trawl_config_load_file (TrawlConfig *c, const char *path, gboolean must_exist, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr (GError) err = NULL;
	if (!g_file_get_contents (path, &text, NULL, &err)) {
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
	trawl_config_load_data (c, path, text);
	return TRUE;
}

char *
trawl_config_dump (TrawlConfig *c)
{
	/* GKeyFile writes name=value; people read "name = value" better (and
	 * "refresh = =" than "refresh=="), and GKeyFile reads both alike. */
	g_autofree char *data = g_key_file_to_data (c->kf, NULL, NULL);
	g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
	GString *out = g_string_new (NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		const char *eq = strchr (l, '=');
		if (*l && *l != '#' && *l != '[' && eq)
			g_string_append_printf (out, "%.*s =%s%s", (int) (eq - l), l, eq[1] ? " " : "", eq + 1);
		else
			g_string_append (out, l);
		if (lines[i + 1])
			g_string_append_c (out, '\n');
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
trawl_config_searches (TrawlConfig *c, GPtrArray *names, GPtrArray *queries)
{
	g_auto (GStrv) keys = g_key_file_get_keys (c->kf, "searches", NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		g_autofree char *q = g_key_file_get_string (c->kf, "searches", *k, NULL);
		if (q && *q) {
			g_ptr_array_add (names, g_strdup (*k));
			g_ptr_array_add (queries, g_steal_pointer (&q));
		}
	}
}

/* ---- bindings ---- */

static void
add_binding (TrawlConfig *c, const char *group, const char *key, gboolean user)
{
	const char *view = keys_group_view (group);
	char *arg = NULL;
	g_autofree char *name = trawl_command_split (key, &arg);
	TrawlCommand cmd = trawl_command_by_name (name);
	g_autofree char *keys = g_key_file_get_string (c->kf, group, key, NULL);
	if (!view || cmd == TRAWL_CMD_NONE || !keys) {
		g_free (arg);
		return;		/* checked when loaded */
	}
	TrawlBinding *b = g_new0 (TrawlBinding, 1);
	b->view = g_strdup (view);
	b->cmd = cmd;
	b->arg = arg;
	b->keys = g_strdup (g_strstrip (keys));
	b->group = g_strdup (group);
	b->key = g_strdup (key);
	b->user = user;
	g_ptr_array_add (c->bindings, b);
}

GPtrArray *
trawl_config_bindings (TrawlConfig *c)
{
	if (c->bindings)
		return c->bindings;
	c->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
	g_autoptr (GHashTable) user = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < c->user_order->len; i++)
		g_hash_table_add (user, c->user_order->pdata[i]);
	/* The table's bindings the user left alone, then the user's in order. */
	g_auto (GStrv) groups = g_key_file_get_groups (c->kf, NULL);
	for (char **g = groups; *g; g++) {
		if (!keys_group_view (*g))
			continue;
		g_auto (GStrv) keys = g_key_file_get_keys (c->kf, *g, NULL, NULL);
		for (char **k = keys; k && *k; k++) {
			g_autofree char *wk = where_key (*g, *k);
			if (!g_hash_table_contains (user, wk))
				add_binding (c, *g, *k, FALSE);
		}
	}
	for (guint i = 0; i < c->user_order->len; i++) {
		const char *wk = c->user_order->pdata[i];
		const char *sep = strchr (wk, '\x1f');
		g_autofree char *group = g_strndup (wk, sep - wk);
		if (keys_group_view (group))
			add_binding (c, group, sep + 1, TRUE);
	}
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
	g_key_file_load_from_data (kf, trawl_config_defaults_text (), -1, G_KEY_FILE_KEEP_COMMENTS, NULL);
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
