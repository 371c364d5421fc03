/* listnav.c — movement in a list-shaped view, written once for all of them
 * (help, the tag list, saved searches, the thread list, the thread tree), as
 * tig's view driver does.
 *
 * A view gives its list (ViewOps.list): how to step its cursor and the first
 * row on screen, jump to either end, and how far down the screen the cursor
 * is.  The thread list's rows are lazy (positions may count from the end, the
 * last row is found without walking the list), so the driver never asks for
 * an index or a row count; numbered rows take the stock operations below. */
#include "config.h"

#include "ui.h"

int
ui_list_height (View *v)
{
	const UiListOps *l = v->ops->list;
	return l->height ? l->height (v) : app_body_rows ();
}

void
ui_list_show_cursor (View *v)
{
	const UiListOps *l = v->ops->list;
	int h = ui_list_height (v);
	gssize d = l->cursor_row (v);
	if (d == G_MAXSSIZE || d < 0) {
		l->top_to_cursor (v);
	} else if (h > 0 && d >= h) {
		/* Below the screen: the cursor's row becomes the last one shown. */
		l->top_to_cursor (v);
		l->step (v, TRUE, -(h - 1));
	}
}

/* Moves the cursor DELTA rows; DRAG: the screen moves by as much (paging). */
static void
list_move (View *v, gssize delta, gboolean drag)
{
	const UiListOps *l = v->ops->list;
	gsize moved = l->step (v, FALSE, delta);
	if (drag && moved)
		l->step (v, TRUE, delta > 0 ? (gssize) moved : -(gssize) moved);
	ui_list_show_cursor (v);
	if (l->moved)
		l->moved (v);
}

void
ui_list_move (View *v, gssize delta)
{
	list_move (v, delta, FALSE);
}

/* The cursor to the first row, shown at the top; or to the last, shown at
 * the bottom. */
static void
list_jump (View *v, gboolean last)
{
	const UiListOps *l = v->ops->list;
	int h = ui_list_height (v);
	if (!l->jump (v, last))
		return;
	/* A list that is not on the screen (the tree under a full-screen
	 * message) moves only its cursor. */
	if (h > 0) {
		l->top_to_cursor (v);
		if (last)
			l->step (v, TRUE, -(h - 1));
	}
	ui_list_show_cursor (v);
	if (l->moved)
		l->moved (v);
}

gboolean
ui_list_command (View *v, TrawlCommand cmd)
{
	if (!v->ops->list)
		return FALSE;
	gssize h = ui_list_height (v);
	gssize half = MAX (1, h / 2);
	switch (cmd) {
	case TRAWL_CMD_MOVE_DOWN: list_move (v, 1, FALSE); break;
	case TRAWL_CMD_MOVE_UP: list_move (v, -1, FALSE); break;
	case TRAWL_CMD_PAGE_DOWN: list_move (v, h, TRUE); break;
	case TRAWL_CMD_PAGE_UP: list_move (v, -h, TRUE); break;
	case TRAWL_CMD_HALF_DOWN: list_move (v, half, TRUE); break;
	case TRAWL_CMD_HALF_UP: list_move (v, -half, TRUE); break;
	case TRAWL_CMD_MOVE_FIRST: list_jump (v, FALSE); break;
	case TRAWL_CMD_MOVE_LAST: list_jump (v, TRUE); break;
	default: return FALSE;
	}
	return TRUE;
}

/* ---- numbered rows ---- */

static UiRows *
rows_of (View *v, gint64 *count)
{
	const UiListOps *l = v->ops->list;
	*count = l->count (v);
	return G_STRUCT_MEMBER_P (v, l->rows_offset);
}

gsize
ui_rows_step (View *v, gboolean top, gssize delta)
{
	gint64 n;
	UiRows *r = rows_of (v, &n);
	gint64 *p = top ? &r->top : &r->cur;
	gint64 to = CLAMP (*p + delta, 0, MAX (n - 1, 0));
	gsize moved = (gsize) ABS (to - *p);
	*p = to;
	return moved;
}

gboolean
ui_rows_jump (View *v, gboolean last)
{
	gint64 n;
	UiRows *r = rows_of (v, &n);
	if (!n)
		return FALSE;
	r->cur = last ? n - 1 : 0;
	return TRUE;
}

void
ui_rows_top_to_cursor (View *v)
{
	gint64 n;
	UiRows *r = rows_of (v, &n);
	r->top = r->cur;
}

gssize
ui_rows_cursor_row (View *v)
{
	gint64 n;
	UiRows *r = rows_of (v, &n);
	return (gssize) (r->cur - r->top);
}
