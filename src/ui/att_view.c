/* att_view.c — the attachments of a query, from the shape index
 * (trawl/shape.h), listed in the background with progress on the title bar:
 * name (sanitised), type, size, sender, date and a short sha256; sorted by
 * any column, filtered by name or type as the user types, identical ones
 * (same sha256) grouped with how often and by how many people they were
 * sent.  Enter opens the message in its thread at the attachment; S and O
 * save and open it as the message view does (same safe names, never
 * overwriting). */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "shape_view.h"
#include "trawl/datefmt.h"
#include "trawl/shape.h"
#include "trawl/tags.h"

typedef struct {
	ShapeView sv;		/* first: the worker, rows, cursor (TrawlAtts) */
	gboolean grouped;
	TrawlAttSort sort;
	gboolean reverse;
	char *filter;		/* NULL: none */
	gint64 now;
} AttView;

static GPtrArray *
att_rows (ShapeView *sv)
{
	AttView *av = (AttView *) sv;
	return trawl_atts_rows (sv->worker, av->grouped, av->filter, av->sort, av->reverse);
}

static const char *
sort_label (AttView *av)
{
	static char buf[64];
	g_snprintf (buf, sizeof buf, "by %s%s", trawl_att_sort_name (av->sort), av->reverse ? " (reversed)" : "");
	return buf;
}

/* "1.2 MB" (GLib puts a no-break space before the unit: a plain one here). */
static char *
size_text (guint64 size)
{
	g_autofree char *s = g_format_size (size);
	g_auto (GStrv) parts = g_strsplit (s, "\xc2\xa0", -1);
	return g_strjoinv (" ", parts);
}

static char *
att_title (ShapeView *sv)
{
	AttView *av = (AttView *) sv;
	g_autofree char *flt = av->filter ? g_strdup_printf (", filter \"%s\"", av->filter) : g_strdup ("");
	return g_strdup_printf ("%u %s%s, %s", sv->rows ? sv->rows->len : 0, av->grouped ? "distinct" : "attachments",
				flt, sort_label (av));
}

static char *
att_empty (ShapeView *sv)
{
	AttView *av = (AttView *) sv;
	return av->filter
		? g_strdup_printf ("No attachment's name or type contains \"%s\"", av->filter)
		: g_strdup ("No attachments in these messages");
}

static void
att_draw_row (ShapeView *sv, int y, gconstpointer r, attr_t sel)
{
	AttView *av = (AttView *) sv;
	const TrawlAttRow *row = r;
	int date_w = MAX (sv->base.app->date_width, 6);
	int x = 0;
	g_autofree char *date = trawl_date_format_with (row->date, av->now, sv->base.app->date_format);
	ui_put_padded (y, x, date_w, date, ui_attr_over (ui_attr (UI_ATTR_DATE), sel));
	x += date_w;
	x += ui_put (y, x, COLS - x, "  ", sel);
	char sha[16];
	g_snprintf (sha, sizeof sha, "%.10s", row->sha256);
	ui_put_padded (y, x, 11, sha, ui_attr_over (ui_attr (UI_ATTR_TAGS), sel));
	x += 11;
	g_autofree char *size = size_text (row->size);
	g_autofree char *sz = g_strdup_printf ("%9s  ", size);
	x += ui_put (y, x, COLS - x, sz, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	if (x < COLS) {
		int w = MIN (COLS - x, 16);
		ui_put_padded (y, x, w, row->sender_name && *row->sender_name ? row->sender_name : row->sender,
			       ui_attr_over (ui_attr (UI_ATTR_AUTHOR_MATCHED), sel));
		x += w;
	}
	if (av->grouped && x < COLS) {
		/* The group: how often, by how many people (the first
		 * sent stands for it). */
		g_autofree char *t = g_strdup_printf ("  sent %u time%s by %u %s", row->count,
						      row->count == 1 ? "" : "s", row->senders,
						      row->senders == 1 ? "person" : "people");
		x += ui_put (y, x, COLS - x, t, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	}
	if (x < COLS)
		x += ui_put (y, x, COLS - x, "  ", sel);
	if (x < COLS)
		x += ui_put (y, x, COLS - x, *row->name ? row->name : "(no name)",
			     ui_attr_over (ui_attr (UI_ATTR_SUBJECT), sel));
	if (x < COLS) {
		g_autofree char *t = g_strdup_printf ("  %s", row->type);
		x += ui_put (y, x, COLS - x, t, ui_attr_over (ui_attr (UI_ATTR_PART), sel));
	}
	ui_fill (y, x, sel);
}

static void
set_filter (AttView *av, const char *text)
{
	g_free (av->filter);
	av->filter = text && *text ? g_strdup (text) : NULL;
	shape_view_rebuild (&av->sv);
}

static void
filter_changed (const char *text, gpointer data)
{
	set_filter (data, text);
}

static gboolean
att_command (View *v, TrawlCommand cmd, const char *arg)
{
	AttView *av = (AttView *) v;
	const TrawlAttRow *row = shape_view_selected (&av->sv);
	switch (cmd) {
	case TRAWL_CMD_ATT_OPEN_MESSAGE: {
		if (!row)
			return TRUE;
		g_autoptr (GError) err = NULL;
		View *tv = thread_view_new_at (v->app, row->thread_id, av->sv.query, row->message_id, row->part, &err);
		if (tv)
			app_push (v->app, tv);
		else
			app_message (v->app, TRUE, "%s", err ? err->message : "cannot open the thread");
		return TRUE;
	}
	case TRAWL_CMD_ATT_SORT:
		if (arg && *arg) {
			int k = 0;
			while (k < TRAWL_ATT_SORT_N_ && strcmp (trawl_att_sort_name (k), arg) != 0)
				k++;
			if (k == TRAWL_ATT_SORT_N_) {
				app_message (v->app, TRUE, "No column %s (date, name, type, size, sender, sha256, count)", arg);
				return TRUE;
			}
			av->sort = k;
		} else {
			av->sort = (av->sort + 1) % TRAWL_ATT_SORT_N_;
		}
		av->reverse = FALSE;
		shape_view_rebuild (&av->sv);
		return TRUE;
	case TRAWL_CMD_ATT_REVERSE:
		av->reverse = !av->reverse;
		shape_view_rebuild (&av->sv);
		return TRUE;
	case TRAWL_CMD_ATT_GROUP:
		av->grouped = !av->grouped;
		shape_view_rebuild (&av->sv);
		return TRUE;
	case TRAWL_CMD_ATT_FILTER:
		if (arg) {
			set_filter (av, arg);
		} else {
			g_autofree char *was = g_strdup (av->filter);
			g_autofree char *text = ui_prompt_live (v->app, "Filter (name or type): ", av->filter,
								filter_changed, av);
			set_filter (av, text ? text : was);	/* cancelled: as it was */
		}
		return TRUE;
	case TRAWL_CMD_ATT_SAVE:
		if (row)
			ui_attachment_save_part (v->app, row->file, row->part, row->safe_name);
		return TRUE;
	case TRAWL_CMD_ATT_OPEN:
		if (row)
			ui_attachment_open_part (v->app, row->file, row->part, row->safe_name, row->type);
		return TRUE;
	default:
		return FALSE;
	}
}

static void
att_free (View *v)
{
	AttView *av = (AttView *) v;
	shape_view_clear (&av->sv);
	g_free (av->filter);
	g_free (av);
}

static const ViewOps att_ops = {
	.name = "attachments",
	.draw = shape_view_draw,
	.command = att_command,
	.list = &shape_view_list,
	.free = att_free,
	.wake_fd = shape_view_wake_fd,
	.wake = shape_view_wake,
	.query = shape_view_query,
	.release = shape_view_release,
	.changed = shape_view_changed,
};

static const ShapeViewKind att_kind = {
	.atts = TRUE,
	.noun = "Attachments",
	.working = "listing",
	.failed = "not listed",
	.meanwhile = "Listing in the background; q closes this view and stops it",
	.rows = att_rows,
	.title = att_title,
	.empty = att_empty,
	.draw_row = att_draw_row,
};

View *
att_view_new (App *app, const char *query)
{
	AttView *av = g_new0 (AttView, 1);
	av->sort = TRAWL_ATT_SORT_DATE;
	av->now = trawl_date_now ();
	shape_view_init (&av->sv, app, &att_ops, &att_kind, query);
	return &av->sv.base;
}
