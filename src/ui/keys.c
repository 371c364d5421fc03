/* keys.c — key names, reading keys, and the keymaps built from the
 * configuration's bindings (the command table's defaults, TRAWL_COMMANDS in
 * trawl/commands.h, with the user's bind and unbind lines over them). */
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

/* Keys read ahead (ui_key_hold) and not handled yet, oldest first. */
static GArray *held_keys;

void
ui_key_hold (int key)
{
	if (held_keys == NULL)
		held_keys = g_array_new (FALSE, FALSE, sizeof (int));
	g_array_append_val (held_keys, key);
}

gboolean
ui_key_held (void)
{
	return held_keys && held_keys->len > 0;
}

int
ui_key_read (void)
{
	if (held_keys && held_keys->len) {
		int key = g_array_index (held_keys, int, 0);
		g_array_remove_index (held_keys, 0);
		return key;
	}
	return ui_key_read_terminal ();
}

gboolean
ui_key_interrupted (const char *view)
{
	int key;
	while ((key = ui_key_read_terminal ()) >= 0) {
		if (key == 3)
			return TRUE;
		ui_key_hold (key);
		TrawlCommand c = ui_keymap_lookup (view, key);
		if (c == TRAWL_CMD_QUIT || c == TRAWL_CMD_QUIT_ALL)
			return TRUE;
	}
	return FALSE;
}

int
ui_key_read_terminal (void)
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

/* ---- key specs: "j", "C-x", "M-f", "F5", "gg", "<C-x>s" ---- */

#define UI_SEQ_MAX 4

/* One key written alone: a name, C-x, F1..F12 or one character; M-x is two
 * keys (Esc, x), which is what a terminal sends for Alt-x. */
static gboolean
parse_one (const char *name, GArray *out)
{
	if ((name[0] == 'M' || name[0] == 'A') && name[1] == '-' && name[2]) {
		int k = ui_key_parse (name + 2);
		if (k < 0)
			return FALSE;
		int esc = 27;
		g_array_append_val (out, esc);
		g_array_append_val (out, k);
		return TRUE;
	}
	int k = ui_key_parse (name);
	if (k < 0)
		return FALSE;
	g_array_append_val (out, k);
	return TRUE;
}

gboolean
ui_key_spec_parse (const char *spec, GArray *out)
{
	g_array_set_size (out, 0);
	if (!spec || !*spec || !g_utf8_validate (spec, -1, NULL))
		return FALSE;
	if (parse_one (spec, out))
		return TRUE;
	/* "Hme", "Pgdn", "Enterr": a key name mistyped, not the keys H m e;
	 * such a sequence is written <H>me. */
	if (g_ascii_isupper (spec[0]) && g_ascii_islower (spec[1]) && strspn (spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == strlen (spec))
		return FALSE;
	/* A sequence: characters, and <Name> for any key that has a name. */
	g_array_set_size (out, 0);
	for (const char *p = spec; *p;) {
		const char *close = *p == '<' ? strchr (p + 1, '>') : NULL;
		if (close && close > p + 1) {
			g_autofree char *name = g_strndup (p + 1, close - p - 1);
			if (!parse_one (name, out))
				return FALSE;
			p = close + 1;
		} else {
			int c = (int) g_utf8_get_char (p);
			if (c < 0x20 || c == 0x7f)
				return FALSE;
			g_array_append_val (out, c);
			p = g_utf8_next_char (p);
		}
	}
	return out->len > 0 && out->len <= UI_SEQ_MAX;
}

static char *
seq_string (const int *keys, guint n)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < n; i++)
		g_string_append_printf (s, "%x.", (unsigned) keys[i]);
	return g_string_free (s, FALSE);
}

char *
ui_key_seq_name (const int *keys, guint n)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = ui_key_name (keys[i]);
		g_string_append_printf (s, "%s%s", i ? " " : "", name);
	}
	return g_string_free (s, FALSE);
}

/* ---- keymaps, built from the configuration's bindings ---- */

typedef struct {
	GHashTable *exact;	/* seq string -> UiBinding * (cmd NONE: unbound here) */
	GHashTable *prefixes;	/* seq string of every proper prefix of a bound seq -> 1 */
	GPtrArray *bindings;	/* UiBinding *, in binding order (owned) */
} Keymap;

/* view name -> Keymap */
static GHashTable *keymaps;

static void
binding_free (UiBinding *b)
{
	g_free (b->arg);
	g_free (b->spec);
	g_free (b->seq);
	g_free (b);
}

static void
keymap_free (Keymap *km)
{
	g_hash_table_unref (km->exact);
	g_hash_table_unref (km->prefixes);
	g_ptr_array_unref (km->bindings);
	g_free (km);
}

static Keymap *
keymap_for (const char *view)
{
	Keymap *km = g_hash_table_lookup (keymaps, view);
	if (!km) {
		km = g_new0 (Keymap, 1);
		km->exact = g_hash_table_new (g_str_hash, g_str_equal);
		km->prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		km->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
		g_hash_table_insert (keymaps, g_strdup (view), km);
	}
	return km;
}

void
ui_keymap_free (void)
{
	g_clear_pointer (&keymaps, g_hash_table_unref);
}

void
ui_keymap_init (TrawlConfig *cfg)
{
	if (keymaps)
		return;
	keymaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) keymap_free);
	g_autoptr (TrawlConfig) defaults = cfg ? NULL : trawl_config_new ();
	if (!cfg)
		cfg = defaults;
	GPtrArray *bindings = trawl_config_bindings (cfg);
	g_autoptr (GArray) seq = g_array_new (FALSE, FALSE, sizeof (int));
	for (guint i = 0; i < bindings->len; i++) {
		const TrawlBinding *tb = bindings->pdata[i];
		if (!ui_key_spec_parse (tb->keys, seq)) {
			trawl_config_binding_problem (cfg, tb,
						      "bad key '%s' (a character, a name such as Enter or F5, "
						      "C-x, M-x, or up to %d of them written together: gg, <C-x>s, <H>me)",
						      tb->keys, UI_SEQ_MAX);
			continue;
		}
		Keymap *km = keymap_for (tb->view);
		UiBinding *b = g_new0 (UiBinding, 1);
		b->cmd = tb->cmd;
		b->arg = g_strdup (tb->arg);
		b->spec = g_strdup (tb->keys);
		b->seq = seq_string ((int *) seq->data, seq->len);
		b->user = tb->user;
		g_ptr_array_add (km->bindings, b);
		/* A later binding of the same keys (however spelt) wins; an
		 * unbinding stays, so the generic keymap is not asked. */
		g_hash_table_insert (km->exact, b->seq, b);
	}
	/* The prefixes of what is bound in the end: "g" waits for more only
	 * while "gg" runs something. */
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init (&it, keymaps);
	while (g_hash_table_iter_next (&it, NULL, &value)) {
		Keymap *km = value;
		GHashTableIter e;
		gpointer bound;
		g_hash_table_iter_init (&e, km->exact);
		while (g_hash_table_iter_next (&e, NULL, &bound)) {
			const UiBinding *b = bound;
			if (b->cmd == TRAWL_CMD_NONE)
				continue;
			/* seq strings are "k1.k2.k3.": each '.' but the last ends a prefix. */
			for (const char *dot = strchr (b->seq, '.'); dot && dot[1]; dot = strchr (dot + 1, '.'))
				g_hash_table_add (km->prefixes, g_strndup (b->seq, dot + 1 - b->seq));
		}
	}
}

const UiBinding *
ui_keymap_match (const char *view, const int *keys, guint n, gboolean *is_prefix)
{
	ui_keymap_init (NULL);
	g_autofree char *s = seq_string (keys, n);
	if (is_prefix) {
		/* A longer binding in the view's own keymap or the generic one. */
		Keymap *own = g_hash_table_lookup (keymaps, view);
		Keymap *generic = g_hash_table_lookup (keymaps, "generic");
		*is_prefix = (own && g_hash_table_contains (own->prefixes, s)) ||
			     (generic && g_hash_table_contains (generic->prefixes, s));
	}
	return ui_keymap_match_seq (view, s);
}

TrawlCommand
ui_keymap_lookup (const char *view, int key)
{
	const UiBinding *b = ui_keymap_match (view, &key, 1, NULL);
	return b ? b->cmd : TRAWL_CMD_NONE;
}

/* The bindings in effect in VIEW (its own, then generic ones it does not
 * shadow), in binding order. */
GPtrArray *
ui_keymap_effective (const char *view)
{
	ui_keymap_init (NULL);
	GPtrArray *out = g_ptr_array_new ();
	const char *order[2] = { view, "generic" };
	for (int i = 0; i < 2; i++) {
		Keymap *km = g_hash_table_lookup (keymaps, order[i]);
		if (!km)
			continue;
		for (guint j = 0; j < km->bindings->len; j++) {
			const UiBinding *b = km->bindings->pdata[j];
			/* Only the binding that wins for its keys, listed once. */
			if (ui_keymap_match_seq (view, b->seq) == b &&
			    !g_ptr_array_find (out, b, NULL))
				g_ptr_array_add (out, (gpointer) b);
		}
	}
	return out;
}

const UiBinding *
ui_keymap_match_seq (const char *view, const char *seq)
{
	const char *order[2] = { view, "generic" };
	for (int i = 0; i < 2; i++) {
		Keymap *km = g_hash_table_lookup (keymaps, order[i]);
		const UiBinding *b = km ? g_hash_table_lookup (km->exact, seq) : NULL;
		if (b)
			return b->cmd == TRAWL_CMD_NONE ? NULL : b;	/* unbound here */
	}
	return NULL;
}

char *
ui_keymap_keys (const char *view, TrawlCommand cmd)
{
	g_autoptr (GPtrArray) eff = ui_keymap_effective (view);
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < eff->len; i++) {
		const UiBinding *b = eff->pdata[i];
		if (b->cmd != cmd || b->arg)
			continue;
		if (out->len)
			g_string_append_c (out, ' ');
		g_string_append (out, b->spec);
	}
	return g_string_free (out, FALSE);
}
