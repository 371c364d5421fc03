/* test-commands.c — the consistency of the TRAWL_COMMANDS table. */
#include "config.h"

#include <string.h>

#include "trawl/commands.h"

static const char *const known_views[] = { "generic", "search", "thread", "tags", "correspondents", "batch", "attachments", "timeline", "provenance" };
static const char *const known_groups[] = { "Movement", "Searching", "Reading", "Attachments", "Tagging", "Views", "Export" };
static const char *const named_keys[] = {
	"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
	"Enter", "Space", "Tab", "Backspace", "Esc",
};

static gboolean
in_list (const char *s, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strcmp (s, list[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Every name in a view list ("search thread") is a known view. */
static gboolean
views_known (const char *views)
{
	g_auto (GStrv) v = g_strsplit (views, " ", -1);
	if (!v[0])
		return FALSE;
	for (char **p = v; *p; p++)
		if (!in_list (*p, known_views, G_N_ELEMENTS (known_views)))
			return FALSE;
	return TRUE;
}

/* Is TOKEN a key name as commands.h describes them? */
static gboolean
valid_key (const char *token)
{
	gsize len = strlen (token);

	if (len == 1)
		return g_ascii_isgraph (token[0]);
	if (in_list (token, named_keys, G_N_ELEMENTS (named_keys)))
		return TRUE;
	if (token[0] == 'F' && len <= 3) {
		guint64 n;
		return g_ascii_string_to_unsigned (token + 1, 10, 1, 12, &n, NULL) &&
		       token[1] != '0';
	}
	if (len == 3 && token[0] == 'C' && token[1] == '-')
		return g_ascii_islower (token[2]) || strchr ("[\\]^_@", token[2]) != NULL;
	return FALSE;
}

/* Two names for the same key code reach the dispatcher as one key. */
static const char *
canonical_key (const char *token)
{
	static const struct { const char *alias, *key; } aliases[] = {
		{ "C-i", "Tab" }, { "C-m", "Enter" }, { "C-j", "Enter" },
		{ "C-[", "Esc" }, { "C-h", "Backspace" }, { " ", "Space" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
		if (strcmp (token, aliases[i].alias) == 0)
			return aliases[i].key;
	return token;
}

static void
test_table_shape (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);

	g_assert_nonnull (table);
	g_assert_cmpuint (n, ==, TRAWL_CMD_COUNT - 1);
	g_assert_cmpuint (n, >, 0);
	for (gsize i = 0; i < n; i++) {
		/* Declaration order, ids from 1. */
		g_assert_cmpint (table[i].id, ==, (TrawlCommand) (i + 1));
		g_assert_true (trawl_command_info (table[i].id) == &table[i]);
	}
	g_assert_null (trawl_command_info (TRAWL_CMD_NONE));
	g_assert_null (trawl_command_info (TRAWL_CMD_COUNT));
}

static void
test_names (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);

	for (gsize i = 0; i < n; i++) {
		const char *name = table[i].name;
		g_assert_nonnull (name);
		g_assert_cmpuint (strlen (name), >, 0);
		/* Lower-case words joined by '-': what a config file can spell. */
		for (const char *p = name; *p; p++)
			g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-');
		g_assert_cmpint (name[0], !=, '-');
		g_assert_cmpint (name[strlen (name) - 1], !=, '-');
		g_assert_null (strstr (name, "--"));
		for (gsize j = i + 1; j < n; j++)
			g_assert_cmpstr (name, !=, table[j].name);
	}
}

static void
test_by_name (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);

	for (gsize i = 0; i < n; i++) {
		TrawlCommand id = trawl_command_by_name (table[i].name);
		g_assert_cmpint (id, ==, table[i].id);
		const TrawlCommandInfo *info = trawl_command_info (id);
		g_assert_nonnull (info);
		g_assert_cmpstr (info->name, ==, table[i].name);
	}
	g_assert_cmpint (trawl_command_by_name ("no-such-command"), ==, TRAWL_CMD_NONE);
	g_assert_cmpint (trawl_command_by_name (""), ==, TRAWL_CMD_NONE);
	g_assert_cmpint (trawl_command_by_name ("Quit"), ==, TRAWL_CMD_NONE);
	g_assert_cmpint (trawl_command_by_name ("quit"), ==, TRAWL_CMD_QUIT);
}

static void
test_help_group_view (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);
	GString *problems = g_string_new (NULL);

	for (gsize i = 0; i < n; i++) {
		const TrawlCommandInfo *c = &table[i];
		if (c->help == NULL || c->help[0] == '\0' || strchr (c->help, '\n') != NULL ||
		    !g_ascii_isupper (c->help[0]))
			g_string_append_printf (problems, " %s: help \"%s\";", c->name,
			                        c->help ? c->help : "(null)");
		if (c->group == NULL ||
		    !in_list (c->group, known_groups, G_N_ELEMENTS (known_groups)))
			g_string_append_printf (problems, " %s: unknown group \"%s\";", c->name,
			                        c->group ? c->group : "(null)");
		if (c->view == NULL ||
		    !views_known (c->view))
			g_string_append_printf (problems, " %s: unknown view \"%s\";", c->name,
			                        c->view ? c->view : "(null)");
	}
	g_assert_cmpstr (problems->str, ==, "");
	g_string_free (problems, TRUE);
}

static void
test_in_view (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);

	for (gsize i = 0; i < n; i++) {
		gboolean generic = strcmp (table[i].view, "generic") == 0;
		g_auto (GStrv) views = g_strsplit (table[i].view, " ", -1);
		gboolean in_search = generic;
		for (char **v = views; *v; v++) {
			g_assert_true (trawl_command_in_view (&table[i], *v));
			in_search |= strcmp (*v, "search") == 0;
		}
		g_assert_true (trawl_command_in_view (&table[i], "search") == in_search);
		/* A prefix of a view name is not that view. */
		g_assert_false (!generic && trawl_command_in_view (&table[i], "sea"));
		g_assert_true (trawl_command_in_view (&table[i], "no-such-view") == generic);
	}
}

static void
test_keys_parse (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);
	GString *problems = g_string_new (NULL);

	for (gsize i = 0; i < n; i++) {
		const char *name = table[i].name;
		const char *keys = table[i].keys;
		gsize len = keys ? strlen (keys) : 0;

		/* Non-empty, single spaces between tokens, none at the ends. */
		if (len == 0 || keys[0] == ' ' || keys[len - 1] == ' ' ||
		    strstr (keys, "  ") != NULL || strpbrk (keys, "\t\n") != NULL) {
			g_string_append_printf (problems, " %s: keys \"%s\";", name,
			                        keys ? keys : "(null)");
			continue;
		}
		char **tokens = g_strsplit (keys, " ", -1);
		for (gsize t = 0; tokens[t] != NULL; t++) {
			if (!valid_key (tokens[t]))
				g_string_append_printf (problems, " %s: bad key \"%s\";",
				                        name, tokens[t]);
			/* No key listed twice for one command. */
			for (gsize u = t + 1; tokens[u] != NULL; u++)
				if (strcmp (canonical_key (tokens[t]), canonical_key (tokens[u])) == 0)
					g_string_append_printf (problems, " %s: \"%s\" twice;",
					                        name, tokens[t]);
		}
		g_strfreev (tokens);
	}
	g_assert_cmpstr (problems->str, ==, "");
	g_string_free (problems, TRUE);
}

static void
test_valid_key_checker (void)
{
	/* The checker itself, so a lax checker cannot pass a bad table. */
	static const char *const good[] = { "j", "?", "/", "Q", "C-f", "C-[", "F1", "F12", "PgDn", "Space" };
	static const char *const bad[] = { "", "F0", "F13", "F01", "C-", "C-ff", "C-F", "pgdn", "Ctrl-f", "jj" };
	for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
		g_assert_true (valid_key (good[i]));
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
		g_assert_false (valid_key (bad[i]));
}

/* Do A and B ever apply in the same view?  Generic commands apply in every
 * view, and a view's own keymap is searched before the generic one, so a
 * shared key would silently shadow one of them. */
static gboolean
share_a_view (const TrawlCommandInfo *a, const TrawlCommandInfo *b)
{
	if (strcmp (a->view, "generic") == 0 || strcmp (b->view, "generic") == 0)
		return TRUE;
	g_auto (GStrv) va = g_strsplit (a->view, " ", -1);
	for (char **v = va; *v; v++)
		if (trawl_command_in_view (b, *v))
			return TRUE;
	return FALSE;
}

/* Shadowing on purpose: in the thread view `/` finds in the message (as in
 * less and mutt's pager); search keeps s there, and `/` everywhere else. */
static const char *const intended_shadows[][3] = {
	{ "search", "find", "/" },
};

static gboolean
intended_shadow (const char *a, const char *b, const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS (intended_shadows); i++)
		if (strcmp (a, intended_shadows[i][0]) == 0 && strcmp (b, intended_shadows[i][1]) == 0 &&
		    strcmp (key, intended_shadows[i][2]) == 0)
			return TRUE;
	return FALSE;
}

static void
test_no_key_conflicts (void)
{
	gsize n = 0;
	const TrawlCommandInfo *table = trawl_commands (&n);
	GString *conflicts = g_string_new (NULL);

	for (gsize i = 0; i < n; i++) {
		char **ka = g_strsplit (table[i].keys, " ", -1);
		for (gsize j = i + 1; j < n; j++) {
			if (!share_a_view (&table[i], &table[j]))
				continue;
			char **kb = g_strsplit (table[j].keys, " ", -1);
			for (gsize s = 0; ka[s] != NULL; s++)
				for (gsize t = 0; kb[t] != NULL; t++)
					if (strcmp (canonical_key (ka[s]), canonical_key (kb[t])) == 0 &&
					    !intended_shadow (table[i].name, table[j].name, ka[s]))
						g_string_append_printf (conflicts, " %s/%s on \"%s\";",
						                        table[i].name, table[j].name, ka[s]);
			g_strfreev (kb);
		}
		g_strfreev (ka);
	}
	g_assert_cmpstr (conflicts->str, ==, "");
	g_string_free (conflicts, TRUE);
}

/* Whole words only: a tag list "inbox flaggedx" has no "flagged". */
static void
test_words_contain (void)
{
	g_assert_true (trawl_words_contain ("flagged", "flagged"));
	g_assert_true (trawl_words_contain ("inbox flagged unread", "flagged"));
	g_assert_true (trawl_words_contain ("inbox flagged", "flagged"));
	g_assert_false (trawl_words_contain ("inbox flaggedx", "flagged"));
	g_assert_false (trawl_words_contain ("xflagged inbox", "flagged"));
	g_assert_false (trawl_words_contain ("unflagged flaggedy", "flagged"));
	g_assert_true (trawl_words_contain ("unflagged flaggedy flagged", "flagged"));
	g_assert_false (trawl_words_contain ("", "flagged"));
	g_assert_false (trawl_words_contain (NULL, "flagged"));
}

static void
test_split (void)
{
	char *arg = (char *) "unset";
	g_autofree char *a = trawl_command_split ("quit", &arg);
	g_assert_cmpstr (a, ==, "quit");
	g_assert_null (arg);
	g_autofree char *b = trawl_command_split ("tag  +spam -inbox  ", &arg);
	g_assert_cmpstr (b, ==, "tag");
	g_assert_cmpstr (arg, ==, "+spam -inbox");
	g_free (arg);
	g_autofree char *c = trawl_command_split ("search\tfrom:a", &arg);
	g_assert_cmpstr (c, ==, "search");
	g_assert_cmpstr (arg, ==, "from:a");
	g_free (arg);
	g_autofree char *d = trawl_command_split ("narrow   ", &arg);
	g_assert_cmpstr (d, ==, "narrow");
	g_assert_null (arg);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/commands/table-shape", test_table_shape);
	g_test_add_func ("/commands/names", test_names);
	g_test_add_func ("/commands/by-name", test_by_name);
	g_test_add_func ("/commands/help-group-view", test_help_group_view);
	g_test_add_func ("/commands/in-view", test_in_view);
	g_test_add_func ("/commands/keys-parse", test_keys_parse);
	g_test_add_func ("/commands/valid-key-checker", test_valid_key_checker);
	g_test_add_func ("/commands/no-key-conflicts", test_no_key_conflicts);
	g_test_add_func ("/commands/words-contain", test_words_contain);
	g_test_add_func ("/commands/split", test_split);

	return g_test_run ();
}
