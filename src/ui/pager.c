/* pager.c — a scrollable pane of lines, written once: the message pane and
 * the full-screen message, the raw source, and the help text.
 *
 * A pager is its lines and the first line shown (the top).  Scrolling keeps
 * the top within the lines that can be first on a screen of the height
 * given; a caller whose lines or height changed since clamps it. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/find.h"
#include "trawl/sanitize.h"
#include "trawl/wrap.h"

static void
line_free (UiPagerLine *l)
{
	g_free (l->label);
	g_free (l->text);
	g_free (l);
}

void
ui_pager_init (UiPager *p)
{
	p->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
	p->top = 0;
	p->hits = NULL;
	p->hit_cur = -1;
}

void
ui_pager_clear (UiPager *p)
{
	g_ptr_array_set_size (p->lines, 0);
}

void
ui_pager_dispose (UiPager *p)
{
	g_clear_pointer (&p->lines, g_ptr_array_unref);
}

guint
ui_pager_len (const UiPager *p)
{
	return p->lines->len;
}

void
ui_pager_add (UiPager *p, UiAttr style, const char *label, const char *text)
{
	UiPagerLine *l = g_new0 (UiPagerLine, 1);
	l->style = style;
	l->label = g_strdup (label);
	l->text = g_strdup (text ? text : "");
	g_ptr_array_add (p->lines, l);
}

void
ui_pager_add_wrapped (UiPager *p, UiAttr style, const char *label, const char *text, int width)
{
	/* Tabs expanded, then sanitised, then wrapped: widths are the screen's. */
	g_autofree char *expanded = trawl_expand_tabs (text ? text : "");
	g_autofree char *safe = trawl_sanitize (expanded, -1);
	g_autofree char *safe_label = label ? trawl_sanitize (label, -1) : NULL;
	int lw = safe_label ? trawl_text_width (safe_label) + 1 : 0;
	g_autoptr (GPtrArray) wrapped = trawl_text_wrap (safe, MAX (1, width - lw));
	for (guint k = 0; k < wrapped->len; k++) {
		/* The label on the first line; blanks as wide under it. */
		g_autofree char *under = safe_label && k ? g_strnfill (lw - 1, ' ') : NULL;
		ui_pager_add (p, style, k ? under : safe_label, wrapped->pdata[k]);
	}
}

gint64
ui_pager_max_top (const UiPager *p, int height)
{
	return MAX (0, (gint64) p->lines->len - height);
}

gboolean
ui_pager_at_end (const UiPager *p, int height)
{
	return p->top >= ui_pager_max_top (p, height);
}

gsize
ui_pager_scroll (UiPager *p, int height, gint64 delta)
{
	gint64 to = CLAMP (p->top + delta, 0, ui_pager_max_top (p, height));
	gsize moved = (gsize) ABS (to - p->top);
	p->top = to;
	return moved;
}

void
ui_pager_jump (UiPager *p, int height, gboolean end)
{
	p->top = end ? ui_pager_max_top (p, height) : 0;
}

gboolean
ui_pager_command (UiPager *p, int height, TrawlCommand cmd)
{
	/* A page keeps one line of the last for context, as less does. */
	int page = MAX (1, height - 1), half = MAX (1, height / 2);
	switch (cmd) {
	case TRAWL_CMD_LINE_DOWN: ui_pager_scroll (p, height, 1); break;
	case TRAWL_CMD_LINE_UP: ui_pager_scroll (p, height, -1); break;
	case TRAWL_CMD_PAGE_DOWN: ui_pager_scroll (p, height, page); break;
	case TRAWL_CMD_PAGE_UP: ui_pager_scroll (p, height, -page); break;
	case TRAWL_CMD_HALF_DOWN: ui_pager_scroll (p, height, half); break;
	case TRAWL_CMD_HALF_UP: ui_pager_scroll (p, height, -half); break;
	case TRAWL_CMD_MOVE_FIRST: ui_pager_jump (p, height, FALSE); break;
	case TRAWL_CMD_MOVE_LAST: ui_pager_jump (p, height, TRUE); break;
	default: return FALSE;
	}
	return TRUE;
}

int
ui_pager_percent (const UiPager *p, int height)
{
	guint len = p->lines->len;
	if (len <= (guint) MAX (height, 0))
		return 100;
	return (int) (100 * MIN ((guint64) p->top + height, len) / len);
}

static attr_t
style_attr (UiAttr style)
{
	/* Plain text has the terminal's own colours. */
	return style == UI_ATTR_NORMAL ? A_NORMAL : ui_attr (style);
}

void
ui_pager_clamp (UiPager *p, int height)
{
	p->top = CLAMP (p->top, 0, ui_pager_max_top (p, height));
}

/* Draws TEXT at Y,CX up to column END with the hits on its line (from
 * hit K on) highlighted; returns the next hit not on the line. */
static guint
draw_with_hits (UiPager *p, int y, int cx, int end, const char *text, attr_t base, guint line, guint k)
{
	gsize at = 0, len = strlen (text);
	for (; k < p->hits->len; k++) {
		const TrawlFindHit *h = &g_array_index (p->hits, TrawlFindHit, k);
		if (h->line != line)
			break;
		if (h->start < at || h->end > len)
			continue;
		g_autofree char *before = g_strndup (text + at, h->start - at);
		g_autofree char *hit = g_strndup (text + h->start, h->end - h->start);
		if (cx < end)
			cx += ui_put (y, cx, end - cx, before, base);
		attr_t ha = ui_attr_over (base, ui_attr (UI_ATTR_FIND_HIT));
		if ((gint64) k == p->hit_cur)
			ha |= A_BOLD;
		if (cx < end)
			cx += ui_put (y, cx, end - cx, hit, ha);
		at = h->end;
	}
	if (cx < end)
		ui_put (y, cx, end - cx, text + at, base);
	return k;
}

void
ui_pager_draw (UiPager *p, int y, int x, int width, int height)
{
	/* The hits on the lines shown: found once, then walked with them. */
	guint k = p->hits ? trawl_find_first_from (p->hits, (guint) p->top) : 0;
	for (int r = 0; r < height && p->top + r < (gint64) p->lines->len; r++) {
		UiPagerLine *l = p->lines->pdata[p->top + r];
		int cx = x;
		if (l->label)
			cx += ui_put (y + r, cx, width, l->label, ui_attr (UI_ATTR_HEADING_LABEL)) + 1;
		if (p->hits && k < p->hits->len &&
		    g_array_index (p->hits, TrawlFindHit, k).line == (guint) (p->top + r))
			k = draw_with_hits (p, y + r, cx, x + width, l->text, style_attr (l->style),
					    (guint) (p->top + r), k);
		else if (cx < x + width)
			ui_put (y + r, cx, x + width - cx, l->text, style_attr (l->style));
	}
}

/* ---- a view that is a pager, as the movement driver (listnav.c) moves
 * in it: the list is of the lines that can be first on the screen, and the
 * cursor is the first line shown, so the cursor is always on the top row. */

static UiPager *
pager_of (View *v)
{
	return G_STRUCT_MEMBER_P (v, v->ops->list->rows_offset);
}

gsize
ui_pager_list_step (View *v, gboolean top, gssize delta)
{
	return top ? 0 : ui_pager_scroll (pager_of (v), ui_list_height (v), delta);
}

gboolean
ui_pager_list_jump (View *v, gboolean last)
{
	ui_pager_jump (pager_of (v), ui_list_height (v), last);
	return TRUE;
}

void
ui_pager_list_top_to_cursor (View *v)
{
}

gssize
ui_pager_list_cursor_row (View *v)
{
	return 0;
}
