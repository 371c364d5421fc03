/* keys.c — key names, reading keys, and the keymaps built from the command
 * table (TRAWL_COMMANDS in trawl/commands.h is their only source). */
#include "config.h"

#include <string.h>

#include "ui.h"

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Up", UI_KEY_FN | KEY_UP },
	{ "Down", UI_KEY_FN | KEY_DOWN },
	{ "Left", UI_KEY_FN | KEY_LEFT },
	{ "Right", UI_KEY_FN | KEY_RIGHT },
	{ "PgUp", UI_KEY_FN | KEY_PPAGE },
	{ "PgDn", UI_KEY_FN | KEY_NPAGE },
	{ "Home", UI_KEY_FN | KEY_HOME },
	{ "End", UI_KEY_FN | KEY_END },
	{ "Backspace", UI_KEY_FN | KEY_BACKSPACE },
	{ "Delete", UI_KEY_FN | KEY_DC },
	{ "Insert", UI_KEY_FN | KEY_IC },
	{ "Enter", '\r' },
	{ "Space", ' ' },
	{ "Tab", '\t' },
	{ "Esc", 27 },
};

int
ui_key_parse (const char *name)
{
	if (!name || !*name)
		return -1;
	for (gsize i = 0; i < G_N_ELEMENTS (named_keys); i++)
		if (g_ascii_strcasecmp (name, named_keys[i].name) == 0)
			return named_keys[i].key;
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		char c = g_ascii_tolower (name[2]);
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
	}
	if ((name[0] == 'F' || name[0] == 'f') && g_ascii_isdigit (name[1])) {
		int n = atoi (name + 1);
		if (n >= 1 && n <= 12)
			return UI_KEY_FN | KEY_F (n);
	}
	/* A single character stands for itself. */
	if (g_utf8_validate (name, -1, NULL) && g_utf8_strlen (name, -1) == 1)
		return g_utf8_get_char (name);
	return -1;
}

char *
ui_key_name (int key)
{
	for (gsize i = 0; i < G_N_ELEMENTS (named_keys); i++)
		if (named_keys[i].key == key)
			return g_strdup (named_keys[i].name);
	if (key & UI_KEY_FN) {
		int code = key & ~UI_KEY_FN;
		if (code >= KEY_F (1) && code <= KEY_F (12))
			return g_strdup_printf ("F%d", code - KEY_F (0));
		return g_strdup_printf ("key-%d", code);
	}
	if (key >= 1 && key <= 26)
		return g_strdup_printf ("C-%c", 'a' + key - 1);
	char buf[8] = { 0 };
	g_unichar_to_utf8 (key, buf);
	return g_strdup (buf);
}

int
ui_key_read (void)
{
	wint_t ch;
	int r = get_wch (&ch);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES) {
		/* Terminals disagree on what Enter and Backspace send. */
		if (ch == KEY_ENTER)
			return '\r';
		return UI_KEY_FN | (int) ch;
	}
	if (ch == '\n')
		return '\r';
	if (ch == 127 || ch == 8)
		return UI_KEY_FN | KEY_BACKSPACE;
	return (int) ch;
}

/* view name -> GHashTable (key -> command) */
static GHashTable *keymaps;

static GHashTable *
keymap_for (const char *view)
{
	GHashTable *km = g_hash_table_lookup (keymaps, view);
	if (!km) {
		km = g_hash_table_new (g_direct_hash, g_direct_equal);
		g_hash_table_insert (keymaps, g_strdup (view), km);
	}
	return km;
}

void
ui_keymap_init (void)
{
	if (keymaps)
		return;
	keymaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					 (GDestroyNotify) g_hash_table_unref);
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++) {
		g_auto (GStrv) keys = g_strsplit (cmds[i].keys, " ", -1);
		g_auto (GStrv) views = g_strsplit (cmds[i].view, " ", -1);
		for (char **v = views; *v; v++)
			for (char **k = keys; *k; k++) {
				int key = ui_key_parse (*k);
				if (key >= 0)
					g_hash_table_insert (keymap_for (*v), GINT_TO_POINTER (key),
							     GINT_TO_POINTER (cmds[i].id));
			}
	}
}

TrawlCommand
ui_keymap_lookup (const char *view, int key)
{
	ui_keymap_init ();
	/* The view's own map first, then the generic one. */
	const char *order[2] = { view, "generic" };
	for (int i = 0; i < 2; i++) {
		GHashTable *km = g_hash_table_lookup (keymaps, order[i]);
		gpointer v;
		if (km && g_hash_table_lookup_extended (km, GINT_TO_POINTER (key), NULL, &v))
			return GPOINTER_TO_INT (v);
	}
	return TRAWL_CMD_NONE;
}

char *
ui_keymap_keys (const char *view, TrawlCommand cmd)
{
	ui_keymap_init ();
	/* Keep the table's order of keys: it is the order the help reads best in. */
	const TrawlCommandInfo *info = trawl_command_info (cmd);
	GString *out = g_string_new (NULL);
	g_auto (GStrv) keys = g_strsplit (info ? info->keys : "", " ", -1);
	for (char **k = keys; *k; k++) {
		int key = ui_key_parse (*k);
		if (key < 0 || ui_keymap_lookup (view, key) != cmd)
			continue;	/* shadowed by a binding of the view */
		if (out->len)
			g_string_append_c (out, ' ');
		g_string_append (out, *k);
	}
	return g_string_free (out, FALSE);
}
