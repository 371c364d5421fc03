/* shape_view.c — what the views listed from the shape index in the
 * background share (shape_view.h): the worker, its progress, the rows, the
 * notice when done, the patch after a tag change. */
#include "config.h"

#include "shape_view.h"
#include "trawl/tags.h"

/* ---- the worker, a TrawlAtts or a TrawlCorr ------------------------------ */

static gpointer
worker_new (ShapeView *sv, TrawlDb *db)
{
	return sv->kind->atts ? (gpointer) trawl_atts_new (db, sv->query) : (gpointer) trawl_corr_new (db, sv->query);
}

static void
worker_free (ShapeView *sv)
{
	if (sv->kind->atts)
		trawl_atts_free (sv->worker);
	else
		trawl_corr_free (sv->worker);
	sv->worker = NULL;
}

static TrawlCorrPhase
worker_phase (ShapeView *sv, guint64 *done, guint64 *total)
{
	return sv->kind->atts ? trawl_atts_phase (sv->worker, done, total) : trawl_corr_phase (sv->worker, done, total);
}

static const char *
worker_error (ShapeView *sv)
{
	return sv->kind->atts ? trawl_atts_error (sv->worker) : trawl_corr_error (sv->worker);
}

static const char *
worker_notice (ShapeView *sv)
{
	return sv->kind->atts ? trawl_atts_notice (sv->worker) : trawl_corr_notice (sv->worker);
}

guint64
shape_view_messages (ShapeView *sv)
{
	return sv->kind->atts ? trawl_atts_messages (sv->worker) : trawl_corr_messages (sv->worker);
}

static guint64
worker_unreadable (ShapeView *sv)
{
	return sv->kind->atts ? trawl_atts_unreadable (sv->worker) : trawl_corr_unreadable (sv->worker);
}

/* ---- the view -------------------------------------------------------------- */

void
shape_view_init (ShapeView *sv, App *app, const ViewOps *ops, const ShapeViewKind *kind, const char *query)
{
	sv->base.ops = ops;
	sv->base.app = app;
	sv->kind = kind;
	sv->query = g_strdup (query && *query ? query : "*");
	sv->worker = worker_new (sv, app->db);
}

static void
drop_rows (ShapeView *sv)
{
	if (sv->rows)
		g_ptr_array_unref (sv->rows);
	sv->rows = NULL;
}

void
shape_view_clear (ShapeView *sv)
{
	worker_free (sv);	/* stops the work */
	drop_rows (sv);
	g_free (sv->query);
}

void
shape_view_rebuild (ShapeView *sv)
{
	drop_rows (sv);
	if (worker_phase (sv, NULL, NULL) == TRAWL_CORR_DONE)
		sv->rows = sv->kind->rows (sv);
	sv->pos.cur = sv->pos.top = 0;
}

gconstpointer
shape_view_selected (ShapeView *sv)
{
	return sv->rows && sv->pos.cur >= 0 && sv->pos.cur < (gint64) sv->rows->len
		? sv->rows->pdata[sv->pos.cur] : NULL;
}

static char *
title_right (ShapeView *sv, TrawlCorrPhase ph, guint64 done, guint64 total)
{
	switch (ph) {
	case TRAWL_CORR_OPENING:
		return g_strdup ("opening the shape index...");
	case TRAWL_CORR_READING:
		return g_strdup_printf ("reading message files %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
					done, total);
	case TRAWL_CORR_COUNTING:
		return g_strdup_printf ("%s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, sv->kind->working, done, total);
	case TRAWL_CORR_FAILED:
		return g_strdup (sv->kind->failed);
	case TRAWL_CORR_DONE:
		break;
	}
	guint64 un = worker_unreadable (sv);
	g_autofree char *unr = un ? g_strdup_printf (", %" G_GUINT64_FORMAT " unreadable", un) : g_strdup ("");
	g_autofree char *own = sv->kind->title (sv);
	return g_strdup_printf ("%s, %" G_GUINT64_FORMAT " messages%s", own, shape_view_messages (sv), unr);
}

void
shape_view_draw (View *v)
{
	ShapeView *sv = (ShapeView *) v;
	guint64 done = 0, total = 0;
	TrawlCorrPhase ph = worker_phase (sv, &done, &total);
	g_autofree char *left = g_strdup_printf ("%s: %s", v->ops->name, sv->query);
	g_autofree char *right = title_right (sv, ph, done, total);
	ui_title (left, right);
	if (ph == TRAWL_CORR_FAILED) {
		ui_put (1, 0, COLS, worker_error (sv), ui_attr (UI_ATTR_ERROR));
		return;
	}
	if (ph != TRAWL_CORR_DONE) {
		ui_put (1, 0, COLS, sv->kind->meanwhile, A_NORMAL);
		return;
	}
	if (!sv->rows)
		shape_view_rebuild (sv);
	if (!shape_view_messages (sv)) {
		g_autofree char *m = g_strdup_printf ("No messages match %s", sv->query);
		ui_put (1, 0, COLS, m, A_NORMAL);
		return;
	}
	if (!sv->rows->len) {
		g_autofree char *m = sv->kind->empty (sv);
		ui_put (1, 0, COLS, m, A_NORMAL);
		return;
	}
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	for (int r = 0; r < h && sv->pos.top + r < (gint64) sv->rows->len; r++) {
		gint64 i = sv->pos.top + r;
		attr_t sel = i == sv->pos.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		sv->kind->draw_row (sv, 1 + r, sv->rows->pdata[i], sel);
	}
}

static gint64
shape_view_count (View *v)
{
	ShapeView *sv = (ShapeView *) v;
	return sv->rows ? sv->rows->len : 0;
}

const UiListOps shape_view_list = { UI_ROWS_LIST (ShapeView, pos), .count = shape_view_count };

int
shape_view_wake_fd (View *v)
{
	ShapeView *sv = (ShapeView *) v;
	return sv->kind->atts ? trawl_atts_wake_fd (sv->worker) : trawl_corr_wake_fd (sv->worker);
}

gboolean
shape_view_wake (View *v)
{
	ShapeView *sv = (ShapeView *) v;
	gboolean news = sv->kind->atts ? trawl_atts_collect (sv->worker) : trawl_corr_collect (sv->worker);
	TrawlCorrPhase ph = worker_phase (sv, NULL, NULL);
	if ((ph == TRAWL_CORR_DONE || ph == TRAWL_CORR_FAILED) && !sv->told) {
		sv->told = TRUE;
		const char *e = worker_error (sv), *n = worker_notice (sv);
		if (e)
			app_message (v->app, TRUE, "%s", e);
		else if (n)
			app_message (v->app, FALSE, "%s", n);
		if (ph == TRAWL_CORR_DONE)
			shape_view_rebuild (sv);
		news = TRUE;
	}
	return news;
}

/* Before a write: the rows are held in memory and the worker has a
 * read-only handle of its own; nothing of notmuch is alive on this
 * thread. */
void
shape_view_release (View *v)
{
	(void) v;
}

/* After trawl's own tag change: the touched messages' rows are taken away
 * or added (trawl_corr_patch, trawl_atts_patch), the cursor keeping its
 * row; a change too big to patch is listed anew in the background, with
 * progress. */
void
shape_view_changed (View *v, const TrawlTagChange *change)
{
	ShapeView *sv = (ShapeView *) v;
	if (!change)
		return;
	TrawlShapePatch p = sv->kind->atts ? trawl_atts_patch (sv->worker, v->app->db, change)
		: trawl_corr_patch (sv->worker, v->app->db, change);
	switch (p) {
	case TRAWL_SHAPE_PATCH_SKIPPED:
		return;
	case TRAWL_SHAPE_PATCH_PATCHED: {
		gint64 cur = sv->pos.cur, top = sv->pos.top;
		shape_view_rebuild (sv);
		gint64 n = sv->rows ? sv->rows->len : 0;
		sv->pos.cur = MIN (cur, MAX (n - 1, 0));
		sv->pos.top = MIN (top, sv->pos.cur);
		return;
	}
	case TRAWL_SHAPE_PATCH_RECOUNT:
		worker_free (sv);
		sv->worker = worker_new (sv, v->app->db);
		drop_rows (sv);
		sv->told = FALSE;
		sv->pos.cur = sv->pos.top = 0;
		app_message (v->app, FALSE, "%s: %u messages changed, %s again in the background",
			     sv->kind->noun, trawl_tag_change_count (change), sv->kind->working);
		return;
	}
}

const char *
shape_view_query (View *v)
{
	return ((ShapeView *) v)->query;
}
