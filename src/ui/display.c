/* display.c — curses set-up, attributes, and the only way text reaches the
 * screen: ui_put(), which sanitises whatever it is given. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "trawl/sanitize.h"

static attr_t attrs[UI_ATTR_COUNT_];

static void
setup_attrs (void)
{
	gboolean color = has_colors () && !g_getenv ("NO_COLOR");
	/* Monochrome first: every state stays visible without colour. */
	attrs[UI_ATTR_NORMAL] = A_NORMAL;
	attrs[UI_ATTR_TITLE] = A_REVERSE | A_BOLD;
	attrs[UI_ATTR_SELECTED] = A_REVERSE;
	attrs[UI_ATTR_DATE] = A_NORMAL;
	attrs[UI_ATTR_AUTHOR_MATCHED] = A_BOLD;
	attrs[UI_ATTR_AUTHOR_OTHER] = A_DIM;
	attrs[UI_ATTR_COUNT] = A_NORMAL;
	attrs[UI_ATTR_SUBJECT] = A_NORMAL;
	attrs[UI_ATTR_TAGS] = A_NORMAL;
	attrs[UI_ATTR_UNREAD] = A_BOLD;
	attrs[UI_ATTR_MESSAGE] = A_NORMAL;
	attrs[UI_ATTR_ERROR] = A_BOLD;
	attrs[UI_ATTR_HEADING] = A_BOLD | A_UNDERLINE;
	attrs[UI_ATTR_HEADING_LABEL] = A_BOLD;
	attrs[UI_ATTR_QUOTE1] = A_NORMAL;
	attrs[UI_ATTR_QUOTE2] = A_DIM;
	attrs[UI_ATTR_QUOTE3] = A_NORMAL;
	attrs[UI_ATTR_SIGNATURE] = A_DIM;
	attrs[UI_ATTR_PART] = A_BOLD;
	attrs[UI_ATTR_SEPARATOR] = A_BOLD;
	if (!color)
		return;
	start_color ();
	use_default_colors ();
	init_pair (1, COLOR_YELLOW, -1);	/* date */
	init_pair (2, COLOR_CYAN, -1);		/* tags */
	init_pair (3, COLOR_GREEN, -1);		/* counts */
	init_pair (4, COLOR_RED, -1);		/* errors */
	init_pair (5, COLOR_BLUE, -1);		/* other authors */
	init_pair (6, COLOR_GREEN, -1);		/* quote level 1 */
	init_pair (7, COLOR_MAGENTA, -1);	/* quote level 2 */
	init_pair (8, COLOR_CYAN, -1);		/* quote level 3, parts */
	attrs[UI_ATTR_DATE] = COLOR_PAIR (1);
	attrs[UI_ATTR_TAGS] = COLOR_PAIR (2);
	attrs[UI_ATTR_COUNT] = COLOR_PAIR (3);
	attrs[UI_ATTR_ERROR] = COLOR_PAIR (4) | A_BOLD;
	attrs[UI_ATTR_AUTHOR_OTHER] = COLOR_PAIR (5);
	attrs[UI_ATTR_QUOTE1] = COLOR_PAIR (6);
	attrs[UI_ATTR_QUOTE2] = COLOR_PAIR (7);
	attrs[UI_ATTR_QUOTE3] = COLOR_PAIR (8);
	attrs[UI_ATTR_PART] = COLOR_PAIR (8) | A_BOLD;
}

void
ui_display_init (void)
{
	raw ();		/* C-c, C-z reach us as keys: nothing is lost to a stray signal */
	noecho ();
	nonl ();
	keypad (stdscr, TRUE);
	nodelay (stdscr, TRUE);
	curs_set (0);
	setup_attrs ();
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

void
ui_title (const char *left, const char *right)
{
	attr_t a = ui_attr (UI_ATTR_TITLE);
	ui_fill (0, 0, a);
	g_autofree char *sl = trawl_sanitize (left ? left : "", -1);
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
