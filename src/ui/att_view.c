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
#include "trawl/datefmt.h"
#include "trawl/shape.h"
#include "trawl/tags.h"

typedef struct {
	View base;
	TrawlAtts *atts;
	char *query;
	gboolean grouped;
	TrawlAttSort sort;
	gboolean reverse;
	char *filter;		/* NULL: none */
	GPtrArray *rows;	/* TrawlAttRow *, NULL until listed */
	UiRows pos;
	gboolean told;		/* the notice or error went to the message line */
	gint64 now;
} AttView;

static void
att_rebuild (AttView *av)
{
	if (av->rows)
		g_ptr_array_unref (av->rows);
	av->rows = NULL;
	if (trawl_atts_phase (av->atts, NULL, NULL) == TRAWL_CORR_DONE)
		av->rows = trawl_atts_rows (av->atts, av->grouped, av->filter, av->sort, av->reverse);
	av->pos.cur = av->pos.top = 0;
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

static void
att_draw (View *v)
{
	AttView *av = (AttView *) v;
	guint64 done = 0, total = 0;
	TrawlCorrPhase ph = trawl_atts_phase (av->atts, &done, &total);
	g_autofree char *left = g_strdup_printf ("attachments: %s", av->query);
	g_autofree char *right = NULL;
	switch (ph) {
	case TRAWL_CORR_OPENING:
		right = g_strdup ("opening the shape index...");
		break;
	case TRAWL_CORR_READING:
		right = g_strdup_printf ("reading message files %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
					 done, total);
		break;
	case TRAWL_CORR_COUNTING:
		right = g_strdup_printf ("listing %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, done, total);
		break;
	case TRAWL_CORR_FAILED:
		right = g_strdup ("not listed");
		break;
	case TRAWL_CORR_DONE: {
		guint64 un = trawl_atts_unreadable (av->atts);
		g_autofree char *unr = un ? g_strdup_printf (", %" G_GUINT64_FORMAT " unreadable", un) : g_strdup ("");
		g_autofree char *flt = av->filter ? g_strdup_printf (", filter \"%s\"", av->filter) : g_strdup ("");
		right = g_strdup_printf ("%u %s%s, %s, %" G_GUINT64_FORMAT " messages%s",
					 av->rows ? av->rows->len : 0, av->grouped ? "distinct" : "attachments",
					 flt, sort_label (av), trawl_atts_messages (av->atts), unr);
		break;
	}
	}
	ui_title (left, right);
	if (ph == TRAWL_CORR_FAILED) {
		ui_put (1, 0, COLS, trawl_atts_error (av->atts), ui_attr (UI_ATTR_ERROR));
		return;
	}
	if (ph != TRAWL_CORR_DONE) {
		ui_put (1, 0, COLS, "Listing in the background; q closes this view and stops it", A_NORMAL);
		return;
	}
	if (!av->rows)
		att_rebuild (av);
	if (!trawl_atts_messages (av->atts)) {
		g_autofree char *m = g_strdup_printf ("No messages match %s", av->query);
		ui_put (1, 0, COLS, m, A_NORMAL);
		return;
	}
	if (!av->rows->len) {
		g_autofree char *m = av->filter
			? g_strdup_printf ("No attachment's name or type contains \"%s\"", av->filter)
			: g_strdup ("No attachments in these messages");
		ui_put (1, 0, COLS, m, A_NORMAL);
		return;
	}
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	int date_w = MAX (av->base.app->date_width, 6);
	for (int r = 0; r < h && av->pos.top + r < (gint64) av->rows->len; r++) {
		gint64 i = av->pos.top + r;
		const TrawlAttRow *row = av->rows->pdata[i];
		attr_t sel = i == av->pos.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		int y = 1 + r, x = 0;
		g_autofree char *date = trawl_date_format_with (row->date, av->now, av->base.app->date_format);
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
}

static gint64
att_count (View *v)
{
	AttView *av = (AttView *) v;
	return av->rows ? av->rows->len : 0;
}

static const UiListOps att_list = { UI_ROWS_LIST (AttView, pos), .count = att_count };

static const TrawlAttRow *
selected (AttView *av)
{
	return av->rows && av->pos.cur >= 0 && av->pos.cur < (gint64) av->rows->len
		? av->rows->pdata[av->pos.cur] : NULL;
}

static void
set_filter (AttView *av, const char *text)
{
	g_free (av->filter);
	av->filter = text && *text ? g_strdup (text) : NULL;
	att_rebuild (av);
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
	const TrawlAttRow *row = selected (av);
	switch (cmd) {
	case TRAWL_CMD_ATT_OPEN_MESSAGE: {
		if (!row)
			return TRUE;
		g_autoptr (GError) err = NULL;
		View *tv = thread_view_new_at (v->app, row->thread_id, av->query, row->message_id, row->part, &err);
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
		att_rebuild (av);
		return TRUE;
	case TRAWL_CMD_ATT_REVERSE:
		av->reverse = !av->reverse;
		att_rebuild (av);
		return TRUE;
	case TRAWL_CMD_ATT_GROUP:
		av->grouped = !av->grouped;
		att_rebuild (av);
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

static int
att_wake_fd (View *v)
{
	return trawl_atts_wake_fd (((AttView *) v)->atts);
}

static gboolean
att_wake (View *v)
{
	AttView *av = (AttView *) v;
	gboolean news = trawl_atts_collect (av->atts);
	TrawlCorrPhase ph = trawl_atts_phase (av->atts, NULL, NULL);
	if ((ph == TRAWL_CORR_DONE || ph == TRAWL_CORR_FAILED) && !av->told) {
		av->told = TRUE;
		const char *e = trawl_atts_error (av->atts), *n = trawl_atts_notice (av->atts);
		if (e)
			app_message (v->app, TRUE, "%s", e);
		else if (n)
			app_message (v->app, FALSE, "%s", n);
		if (ph == TRAWL_CORR_DONE)
			att_rebuild (av);
		news = TRUE;
	}
	return news;
}

/* Before a write: the rows are held in memory and the listing worker has
 * a read-only handle of its own; nothing of notmuch is alive on this
 * thread. */
static void
att_release (View *v)
{
	(void) v;
}

/* After trawl's own tag change: the touched messages' attachment rows are
 * taken away or added (trawl_atts_patch), the cursor keeping its row; a
 * change too big to patch is listed anew in the background, with
 * progress. */
static void
att_changed (View *v, const TrawlTagChange *change)
{
	AttView *av = (AttView *) v;
	if (!change)
		return;
	switch (trawl_atts_patch (av->atts, v->app->db, change)) {
	case TRAWL_SHAPE_PATCH_SKIPPED:
		return;
	case TRAWL_SHAPE_PATCH_PATCHED: {
		gint64 cur = av->pos.cur, top = av->pos.top;
		att_rebuild (av);
		gint64 n = av->rows ? av->rows->len : 0;
		av->pos.cur = MIN (cur, MAX (n - 1, 0));
		av->pos.top = MIN (top, av->pos.cur);
		return;
	}
	case TRAWL_SHAPE_PATCH_RECOUNT:
		trawl_atts_free (av->atts);
		av->atts = trawl_atts_new (v->app->db, av->query);
		if (av->rows)
			g_ptr_array_unref (av->rows);
		av->rows = NULL;
		av->told = FALSE;
		av->pos.cur = av->pos.top = 0;
		app_message (v->app, FALSE, "Attachments: %u messages changed, listing again in the background",
			     trawl_tag_change_count (change));
		return;
	}
}

static const char *
att_query (View *v)
{
	return ((AttView *) v)->query;
}

static void
att_free (View *v)
{
	AttView *av = (AttView *) v;
	trawl_atts_free (av->atts);	/* stops the work */
	if (av->rows)
		g_ptr_array_unref (av->rows);
	g_free (av->query);
	g_free (av->filter);
	g_free (av);
}

static const ViewOps att_ops = {
	.name = "attachments",
	.draw = att_draw,
	.command = att_command,
	.list = &att_list,
	.free = att_free,
	.wake_fd = att_wake_fd,
	.wake = att_wake,
	.query = att_query,
	.release = att_release,
	.changed = att_changed,
};

View *
att_view_new (App *app, const char *query)
{
	AttView *av = g_new0 (AttView, 1);
	av->base.ops = &att_ops;
	av->base.app = app;
	av->query = g_strdup (query && *query ? query : "*");
	av->sort = TRAWL_ATT_SORT_DATE;
	av->now = trawl_date_now ();
	av->atts = trawl_atts_new (app->db, av->query);
	return &av->base;
}
