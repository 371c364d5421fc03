/* display.c — curses set-up, attributes, and the only way text reaches the
 * screen: ui_put(), which sanitises whatever it is given. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "trawl/sanitize.h"

static attr_t attrs[UI_ATTR_COUNT_];
static GHashTable *tag_attrs;	/* tag name -> attr_t, from tag.NAME colours */
static GHashTable *row_attrs;	/* tag name -> attr_t, from row.tag.NAME colours */

/* The [colors] name of each UiAttr. */
static const char *const ui_attr_names[UI_ATTR_COUNT_] = {
	[UI_ATTR_NORMAL] = "normal",
	[UI_ATTR_TITLE] = "title",
	[UI_ATTR_SELECTED] = "selected",
	[UI_ATTR_DATE] = "date",
	[UI_ATTR_AUTHOR_MATCHED] = "author-matched",
	[UI_ATTR_AUTHOR_OTHER] = "author-other",
	[UI_ATTR_COUNT] = "count",
	[UI_ATTR_SUBJECT] = "subject",
	[UI_ATTR_TAGS] = "tags",
	[UI_ATTR_UNREAD] = "unread",
	[UI_ATTR_FLAGGED] = "flagged",
	[UI_ATTR_MARKED] = "marked",
	[UI_ATTR_MESSAGE] = "message",
	[UI_ATTR_ERROR] = "error",
	[UI_ATTR_HEADING] = "heading",
	[UI_ATTR_HEADING_LABEL] = "header-label",
	[UI_ATTR_HEADER_VALUE] = "header-value",
	[UI_ATTR_QUOTE1] = "quote1",
	[UI_ATTR_QUOTE2] = "quote2",
	[UI_ATTR_QUOTE3] = "quote3",
	[UI_ATTR_QUOTE4] = "quote4",
	[UI_ATTR_SIGNATURE] = "signature",
	[UI_ATTR_PART] = "part",
	[UI_ATTR_SEPARATOR] = "separator",
	[UI_ATTR_TREE] = "tree",
	[UI_ATTR_FIND_HIT] = "find-hit",
};

static gboolean use_color;
static int next_pair = 1;
static GHashTable *pairs;	/* (fg, bg) packed -> pair number */

/* A colour the terminal can show: 8..15 fall back to 0..7 (made bold), and
 * 16..255 to the nearest of the eight on an 8- or 16-colour terminal. */
static int
fit_color (int c, attr_t *extra)
{
	if (c < 0 || c < COLORS)
		return c;
	if (c < 16) {
		*extra |= A_BOLD;
		return c - 8;
	}
	int r, g, b;
	trawl_color_rgb (c, &r, &g, &b);
	int basic = (r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0);
	return basic;	/* bit order matches COLOR_RED=1, GREEN=2, BLUE=4 */
}

static attr_t
style_attr (const TrawlStyle *st)
{
	attr_t a = A_NORMAL;
	if (st->attrs & TRAWL_STYLE_BOLD) a |= A_BOLD;
	if (st->attrs & TRAWL_STYLE_DIM) a |= A_DIM;
	if (st->attrs & TRAWL_STYLE_UNDERLINE) a |= A_UNDERLINE;
	if (st->attrs & TRAWL_STYLE_REVERSE) a |= A_REVERSE;
	if (st->attrs & TRAWL_STYLE_ITALIC) a |= A_ITALIC;
	if (st->attrs & TRAWL_STYLE_BLINK) a |= A_BLINK;
	if (st->attrs & TRAWL_STYLE_STANDOUT) a |= A_STANDOUT;
	if (!use_color || (st->fg < 0 && st->bg < 0))
		return a;
	int fg = fit_color (st->fg, &a), bg = fit_color (st->bg, &a);
	gpointer key = GINT_TO_POINTER (((fg + 1) << 9) | (bg + 1));
	gpointer found = g_hash_table_lookup (pairs, key);
	int pair = GPOINTER_TO_INT (found);
	if (!pair) {
		/* Pairs live in the attribute's 8 colour bits: at most 255. */
		if (next_pair >= MIN (COLOR_PAIRS, 256))
			return a;
		pair = next_pair++;
		init_pair ((short) pair, (short) fg, (short) bg);
		g_hash_table_insert (pairs, key, GINT_TO_POINTER (pair));
	}
	return a | COLOR_PAIR (pair);
}

static void
setup_attrs (TrawlConfig *config)
{
	/* NO_COLOR (any value, https://no-color.org) and monochrome terminals
	 * get the attributes alone; the defaults keep every state visible so. */
	const char *no_color = g_getenv ("NO_COLOR");
	use_color = has_colors () && !(no_color && *no_color);
	if (use_color) {
		start_color ();
		use_default_colors ();
	}
	g_clear_pointer (&pairs, g_hash_table_unref);
	pairs = g_hash_table_new (g_direct_hash, g_direct_equal);
	next_pair = 1;
	/* The defaults: the styles when there is no CONFIG, and the attributes
	 * a colour-only style falls back to without colour. */
	g_autoptr (TrawlConfig) defaults = !config || !use_color ? trawl_config_new () : NULL;
	if (!config)
		config = defaults;
	for (int i = 0; i < UI_ATTR_COUNT_; i++) {
		TrawlStyle st, def;
		if (!trawl_config_style (config, ui_attr_names[i], &st))
			st = (TrawlStyle) { TRAWL_COLOR_DEFAULT, TRAWL_COLOR_DEFAULT, 0 };
		/* Without colour, an element styled by colour alone ("white on
		 * blue") keeps its default attributes: the selection stays visible. */
		if (defaults && !use_color && !st.attrs && (st.fg >= 0 || st.bg >= 0) &&
		    trawl_config_style (defaults, ui_attr_names[i], &def))
			st.attrs = def.attrs;
		attrs[i] = style_attr (&st);
	}
	g_clear_pointer (&tag_attrs, g_hash_table_unref);
	tag_attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_clear_pointer (&row_attrs, g_hash_table_unref);
	row_attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_auto (GStrv) names = trawl_config_style_names (config);
	for (char **n = names; *n; n++) {
		TrawlStyle st;
		if (!trawl_config_style (config, *n, &st))
			continue;
		if (g_str_has_prefix (*n, "tag."))
			g_hash_table_insert (tag_attrs, g_strdup (*n + 4), GUINT_TO_POINTER ((guint) style_attr (&st)));
		else if (g_str_has_prefix (*n, "row.tag."))
			g_hash_table_insert (row_attrs, g_strdup (*n + 8), GUINT_TO_POINTER ((guint) style_attr (&st)));
	}
}

attr_t
ui_attr_over (attr_t base, attr_t top)
{
	attr_t pair = (top & A_COLOR) ? (top & A_COLOR) : (base & A_COLOR);
	return ((base | top) & ~A_COLOR) | pair;
}

attr_t
ui_tag_attr (const char *name)
{
	gpointer v;
	if (tag_attrs && g_hash_table_lookup_extended (tag_attrs, name, NULL, &v))
		return (attr_t) GPOINTER_TO_UINT (v);
	return attrs[UI_ATTR_TAGS];
}

attr_t
ui_row_attr (const char *tags)
{
	attr_t a = 0;
	if (!row_attrs || !g_hash_table_size (row_attrs) || !tags)
		return a;
	g_auto (GStrv) list = g_strsplit (tags, " ", -1);
	for (char **t = list; *t; t++) {
		gpointer v;
		if (**t && g_hash_table_lookup_extended (row_attrs, *t, NULL, &v))
			a = ui_attr_over (a, (attr_t) GPOINTER_TO_UINT (v));
	}
	return a;
}

int
ui_put_tags (int y, int x, int width, const char *tags, gboolean parens, attr_t base)
{
	int used = 0;
	attr_t plain = ui_attr_over (attrs[UI_ATTR_TAGS], base);
	if (parens)
		used += ui_put (y, x + used, width - used, "(", plain);
	g_auto (GStrv) list = g_strsplit (tags ? tags : "", " ", -1);
	gboolean first = TRUE;
	for (char **t = list; *t && used < width; t++) {
		if (!**t)
			continue;
		if (!first)
			used += ui_put (y, x + used, width - used, " ", plain);
		first = FALSE;
		used += ui_put (y, x + used, width - used, *t, ui_attr_over (ui_tag_attr (*t), base));
	}
	if (parens)
		used += ui_put (y, x + used, width - used, ")", plain);
	return used;
}

void
ui_display_init (TrawlConfig *config)
{
	raw ();		/* C-c, C-z reach us as keys: nothing is lost to a stray signal */
	/* Esc alone must act at once (ncurses waits a second for the rest of an
	 * escape sequence); 25 ms still joins Alt-x and function keys.  The
	 * user's ESCDELAY wins. */
	if (!g_getenv ("ESCDELAY"))
		set_escdelay (25);
	noecho ();
	nonl ();
	keypad (stdscr, TRUE);
	nodelay (stdscr, TRUE);
	curs_set (0);
	setup_attrs (config);
}

void
ui_display_end (void)
{
	if (!isendwin ())
		endwin ();
}

attr_t
ui_attr (UiAttr a)
{
	return attrs[a];
}

gboolean
ui_too_small (void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

void
ui_draw_too_small (void)
{
	erase ();
	g_autofree char *msg = g_strdup_printf ("Terminal too small (need %dx%d)",
						UI_MIN_COLS, UI_MIN_ROWS);
	ui_put (0, 0, COLS, msg, A_BOLD);
}

int
ui_put (int y, int x, int width, const char *text, attr_t attr)
{
	if (width <= 0 || !text || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	g_autofree char *safe = trawl_sanitize (text, -1);
	int used = 0;
	gsize n = trawl_text_fit (safe, width, &used);
	attr_t old_attr;
	short old_pair;
	attr_get (&old_attr, &old_pair, NULL);
	attrset (attr);
	mvaddnstr (y, x, safe, (int) n);
	attrset (old_attr);
	color_set (old_pair, NULL);
	return used;
}

void
ui_put_padded (int y, int x, int width, const char *text, attr_t attr)
{
	int used = ui_put (y, x, width, text, attr);
	if (x + width > COLS)
		width = COLS - x;
	if (used < width) {
		attr_t old_attr;
		short old_pair;
		attr_get (&old_attr, &old_pair, NULL);
		attrset (attr);
		mvhline (y, x + used, ' ', width - used);
		attrset (old_attr);
		color_set (old_pair, NULL);
	}
}

void
ui_fill (int y, int x, attr_t attr)
{
	if (x < COLS)
		ui_put_padded (y, x, COLS - x, "", attr);
}

static char *title_mark;

void
ui_title_mark (const char *mark)
{
	g_free (title_mark);
	title_mark = g_strdup (mark);
}

void
ui_title (const char *left, const char *right)
{
	attr_t a = ui_attr (UI_ATTR_TITLE);
	ui_fill (0, 0, a);
	g_autofree char *sl0 = trawl_sanitize (left ? left : "", -1);
	g_autofree char *sl = title_mark ? g_strconcat (title_mark, " ", sl0, NULL) : g_strdup (sl0);
	g_autofree char *sr = trawl_sanitize (right ? right : "", -1);
	int lw = trawl_text_width (sl), rw = trawl_text_width (sr);
	/* On a narrow screen the left part (what is shown) keeps at least half
	 * the row; the right part (where you are) is cut at its end. */
	if (lw + 1 + rw > COLS)
		rw = MAX (0, MIN (rw, COLS - 1 - MIN (lw, COLS / 2)));
	if (rw > 0)
		ui_put (0, COLS - rw, rw, sr, a);
	ui_put (0, 0, COLS - rw - (rw > 0 ? 1 : 0), sl, a);
}
