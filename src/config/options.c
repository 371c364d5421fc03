/* options.c — the option table (trawl/options.h) turned into what uses it:
 * lookups, the check of a value by its kind, and the defaults' text. */
#include "config.h"

#include <string.h>

#include "trawl/options.h"

static const TrawlOptionInfo table[] = {
#define TRAWL_OPTION_ROW(field, group, name, kind, ctype, def, min, max, choices, help) \
	{ group, name, kind, def, min, max, choices, help },
	TRAWL_OPTIONS (TRAWL_OPTION_ROW)
#undef TRAWL_OPTION_ROW
};

const TrawlOptionInfo *
trawl_options_table (gsize *n)
{
	*n = G_N_ELEMENTS (table);
	return table;
}

const TrawlOptionInfo *
trawl_option_info (const char *group, const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
		if (strcmp (table[i].group, group) == 0 && strcmp (table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

static gboolean
is_word_of (const char *words, const char *w)
{
	g_auto (GStrv) list = g_strsplit (words, " ", -1);
	return g_strv_contains ((const char *const *) list, w);
}

/* "a, b or c" from "a b c". */
static char *
or_list (const char *words)
{
	g_auto (GStrv) list = g_strsplit (words, " ", -1);
	guint n = g_strv_length (list);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < n; i++)
		g_string_append_printf (s, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", list[i]);
	return g_string_free (s, FALSE);
}

char *
trawl_option_check (const TrawlOptionInfo *info, const char *value)
{
	switch (info->kind) {
	case TRAWL_KIND_STRING:
		return NULL;
	case TRAWL_KIND_BOOL:
		if (strcmp (value, "true") && strcmp (value, "false") && strcmp (value, "1") && strcmp (value, "0"))
			return g_strdup_printf ("%s is true or false, not '%s'", info->name, value);
		return NULL;
	case TRAWL_KIND_INT: {
		guint64 v;
		if (!g_ascii_string_to_unsigned (value, 10, 0, 100000, &v, NULL))
			return g_strdup_printf ("%s is a whole number, not '%s'", info->name, value);
		if ((gint64) v < info->min || (gint64) v > info->max) {
			if (strcmp (info->name, "pager-split") == 0)
				return g_strdup_printf ("pager-split is a percentage from %d to %d, not '%s'",
							info->min, info->max, value);
			return g_strdup_printf ("%s is a whole number from %d to %d, not '%s'", info->name,
						info->min, info->max, value);
		}
		return NULL;
	}
	case TRAWL_KIND_CHOICE:
		if (!is_word_of (info->choices, value)) {
			g_autofree char *list = or_list (info->choices);
			return g_strdup_printf ("%s is %s, not '%s'", info->name, list, value);
		}
		return NULL;
	case TRAWL_KIND_COLUMNS: {
		g_auto (GStrv) words = g_strsplit_set (value, " \t", -1);
		int n = 0;
		for (char **w = words; *w; w++) {
			if (!**w)
				continue;
			if (!is_word_of (info->choices, *w))
				return g_strdup_printf ("unknown column '%s' (columns: %s)", *w, info->choices);
			n++;
		}
		if (!n)
			return g_strdup_printf ("%s needs at least one column", info->name);
		return NULL;
	}
	case TRAWL_KIND_DATE_FORMAT:
		if (!*value)
			return g_strdup_printf ("%s is relative or a strftime format, not empty", info->name);
		if (strcmp (value, "relative") != 0) {
			g_autoptr (GDateTime) t = g_date_time_new_utc (2000, 1, 2, 3, 4, 5);
			g_autofree char *out = g_date_time_format (t, value);
			if (!out)
				return g_strdup_printf ("%s '%s' is not a format GLib's g_date_time_format() understands",
							info->name, value);
		}
		return NULL;
	case TRAWL_KIND_WIDTH: {
		TrawlWidth w;
		if (!trawl_width_parse (value, &w))
			return g_strdup_printf ("%s is a number of columns or a percentage of the screen's width "
						"(such as 25%%), not '%s'", info->name, value);
		if (w.percent && (w.n < 1 || w.n > 90))
			return g_strdup_printf ("%s is a percentage from 1%% to 90%%, not '%s'", info->name, value);
		if (!w.percent && (w.n < info->min || w.n > info->max))
			return g_strdup_printf ("%s is a whole number from %d to %d, or a percentage, not '%s'",
						info->name, info->min, info->max, value);
		return NULL;
	}
	case TRAWL_KIND_COMMAND: {
		if (!*value)
			return g_strdup_printf ("%s needs a command, or auto", info->name);
		if (is_word_of (info->choices, value))
			return NULL;
		g_auto (GStrv) argv = NULL;
		g_autoptr (GError) err = NULL;
		if (!g_shell_parse_argv (value, NULL, &argv, &err))
			return g_strdup_printf ("%s: cannot split '%s' into words: %s", info->name, value, err->message);
		return NULL;
	}
	}
	return NULL;
}

gboolean
trawl_width_parse (const char *text, TrawlWidth *w)
{
	if (!text)
		return FALSE;
	g_autofree char *t = g_strstrip (g_strdup (text));
	gsize len = strlen (t);
	gboolean percent = len > 0 && t[len - 1] == '%';
	if (percent)
		t[--len] = '\0';
	guint64 v;
	if (!len || !g_ascii_string_to_unsigned (t, 10, 0, 100000, &v, NULL))
		return FALSE;
	w->n = (int) v;
	w->percent = percent;
	return TRUE;
}

int
trawl_width_columns (TrawlWidth w, int cols)
{
	int c = w.percent ? (int) ((gint64) cols * w.n / 100) : w.n;
	return MAX (1, MIN (c, MAX (cols, 1)));
}

/* HELP as "# " comment lines of at most 78 columns (two spaces after a
 * full stop kept). */
static void
append_comment (GString *s, const char *help)
{
	g_auto (GStrv) words = g_strsplit (help, " ", -1);
	GString *line = g_string_new ("#");
	for (char **w = words; *w; w++) {
		if (!**w && line->len == 1)
			continue;
		if (line->len > 1 && g_utf8_strlen (line->str, -1) + 1 + g_utf8_strlen (*w, -1) > 78) {
			g_string_append_printf (s, "%s\n", line->str);
			g_string_assign (line, "#");
			if (!**w)
				continue;
		}
		g_string_append_printf (line, " %s", *w);
	}
	g_string_append_printf (s, "%s\n", line->str);
	g_string_free (line, TRUE);
}

char *
trawl_options_defaults_text (void)
{
	GString *s = g_string_new (NULL);
	const char *group = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS (table); i++) {
		if (!group || strcmp (group, table[i].group) != 0) {
			g_string_append_printf (s, "%s[%s]\n", group ? "\n" : "", table[i].group);
			group = table[i].group;
		}
		append_comment (s, table[i].help);
		g_string_append_printf (s, "%s =%s%s\n", table[i].name, *table[i].def ? " " : "", table[i].def);
	}
	return g_string_free (s, FALSE);
}
