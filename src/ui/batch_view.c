/* batch_view.c — a batch of terms counted within the query of the view it
 * was opened from: one row per term with its message and thread counts
 * (`(QUERY) and (TERM)`), most messages first or in file order; Enter lists
 * the term's threads.  The counts fill in from the background (the model's
 * trawl/batch.h) as they arrive; a term that is not a valid query shows
 * notmuch's message on its row. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/batch.h"

typedef struct {
	View base;
	TrawlBatch *batch;
	char *source;		/* the file, or "typed terms" */
	char *query;		/* the query the terms are counted within */
	gboolean by_count;	/* most messages first; else file order */
	GArray *order;		/* guint: the term shown on each row */
	UiRows rows;		/* the cursor and the first row on screen */
	gboolean error_shown;	/* the batch's error went to the message line */
	gboolean every;		/* the last tag change recounts every term (the query names its tags) */
} BatchView;

#define NUM_WIDTH 9

/* The rows in the order shown; FOLLOW: the cursor stays on its term (else
 * on its row: counts arriving do not move it). */
static void
sort_rows (BatchView *bv, gboolean follow)
{
	guint n = trawl_batch_len (bv->batch);
	guint at = bv->order->len && bv->rows.cur < bv->order->len
		? g_array_index (bv->order, guint, bv->rows.cur) : 0;
	if (bv->by_count) {
		trawl_batch_sort_by_count (bv->batch, bv->order);
	} else {
		g_array_set_size (bv->order, n);
		for (guint i = 0; i < n; i++)
			g_array_index (bv->order, guint, i) = i;
	}
	for (guint r = 0; follow && r < bv->order->len; r++)
		if (g_array_index (bv->order, guint, r) == at) {
			bv->rows.cur = r;
			break;
		}
}

static void
fmt_count (char *buf, gsize n, gint64 v, gboolean failed)
{
	if (v < 0)
		g_snprintf (buf, n, "%*s", NUM_WIDTH, failed ? "?" : "...");
	else
		g_snprintf (buf, n, "%*" G_GINT64_FORMAT, NUM_WIDTH, v);
}

static void
batch_draw (View *v)
{
	BatchView *bv = (BatchView *) v;
	TrawlBatch *b = bv->batch;
	guint n = trawl_batch_len (b), done = trawl_batch_done (b);
	const char *failed = trawl_batch_error (b);
	if (failed && !bv->error_shown) {
		bv->error_shown = TRUE;
		app_message (v->app, TRUE, "%s", failed);
	}
	g_autofree char *left = g_strdup_printf ("batch: %s within %s", bv->source, bv->query);
	const char *order = bv->by_count ? "by count" : "file order";
	guint patching = trawl_batch_patching (b);
	g_autofree char *right = failed ? g_strdup_printf ("%u terms, not counted", n)
		: done < n ? g_strdup_printf ("%u terms, counting %u/%u, %s", n, done, n, order)
		: patching ? g_strdup_printf ("%u terms, recounting %u after the tag change (%s), %s", n, patching,
					      bv->every ? "the query names its tags" : "terms naming its tags", order)
		: g_strdup_printf ("%u terms, %s", n, order);
	ui_title (left, right);
	if (!n) {
		g_autofree char *t = g_strdup_printf ("No terms in %s (one a line; empty lines and # comments are left out)",
						      bv->source);
		ui_put (1, 0, COLS, t, A_NORMAL);
		return;
	}
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	for (int r = 0; r < h && bv->rows.top + r < n; r++) {
		guint row = bv->rows.top + r;
		guint i = g_array_index (bv->order, guint, row);
		attr_t sel = row == bv->rows.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		const char *err = trawl_batch_term_error (b, i);
		int x;
		if (err) {
			g_autofree char *nums = g_strdup_printf ("%*s %-8s %*s %-7s  ", NUM_WIDTH, "error", "",
								 NUM_WIDTH, "", "");
			x = ui_put (1 + r, 0, COLS, nums, ui_attr_over (ui_attr (UI_ATTR_ERROR), sel));
		} else {
			char msgs[32], thr[32];
			fmt_count (msgs, sizeof msgs, trawl_batch_messages (b, i), failed != NULL);
			fmt_count (thr, sizeof thr, trawl_batch_threads (b, i), failed != NULL);
			/* A count from before a tag change, its recount due: marked. */
			g_autofree char *nums = g_strdup_printf ("%s messages %s threads%s ", msgs, thr,
								 trawl_batch_updating (b, i) ? "…" : " ");
			x = ui_put (1 + r, 0, COLS, nums, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
		}
		if (x < COLS)
			x += ui_put (1 + r, x, COLS - x, trawl_batch_term (b, i), sel);
		if (err && x < COLS) {
			g_autofree char *e = g_strdup_printf ("  %s", err);
			x += ui_put (1 + r, x, COLS - x, e, ui_attr_over (ui_attr (UI_ATTR_ERROR), sel));
		}
		ui_fill (1 + r, x, sel);
	}
}

static gint64
batch_count (View *v)
{
	return trawl_batch_len (((BatchView *) v)->batch);
}

static const UiListOps batch_list = { UI_ROWS_LIST (BatchView, rows), .count = batch_count };

static gboolean
batch_command (View *v, TrawlCommand cmd, const char *arg)
{
	BatchView *bv = (BatchView *) v;
	(void) arg;
	switch (cmd) {
	case TRAWL_CMD_BATCH_SORT:
		bv->by_count = !bv->by_count;
		sort_rows (bv, TRUE);
		app_message (v->app, FALSE, "%s", bv->by_count ? "Most messages first" : "In file order");
		return TRUE;
	case TRAWL_CMD_BATCH_OPEN: {
		if (bv->rows.cur >= bv->order->len)
			return TRUE;
		guint i = g_array_index (bv->order, guint, bv->rows.cur);
		const char *err = trawl_batch_term_error (bv->batch, i);
		if (err) {
			app_message (v->app, TRUE, "Bad query: %s", err);
			return TRUE;
		}
		g_autofree char *q = g_strdup (trawl_batch_query (bv->batch, i));
		g_autoptr (GError) e = NULL;
		View *sv = search_view_new (v->app, q, &e);
		if (sv)
			app_push (v->app, sv);
		else
			app_message (v->app, TRUE, "Bad query: %s", e->message);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static int
batch_wake_fd (View *v)
{
	return trawl_batch_wake_fd (((BatchView *) v)->batch);
}

static gboolean
batch_wake (View *v)
{
	BatchView *bv = (BatchView *) v;
	gboolean news = trawl_batch_collect (bv->batch);
	if (news && bv->by_count)
		sort_rows (bv, FALSE);
	if (trawl_batch_error (bv->batch) && !bv->error_shown)
		news = TRUE;	/* said by the next draw */
	return news;
}

/* The counting workers have read-only handles of their own: the view holds
 * no notmuch object that could refuse trawl's write. */
static void
batch_release (View *v)
{
	(void) v;
}

/* After a tag change: the terms it can have moved are recounted in the
 * background (their old counts marked meanwhile); never a rebuild. */
static void
batch_changed (View *v, const TrawlTagChange *change)
{
	BatchView *bv = (BatchView *) v;
	gboolean every = FALSE;
	if (change && trawl_batch_patch (bv->batch, change, &every))
		bv->every = every;
}

static void
batch_free (View *v)
{
	BatchView *bv = (BatchView *) v;
	trawl_batch_free (bv->batch);	/* cancels the counting */
	g_array_unref (bv->order);
	g_free (bv->source);
	g_free (bv->query);
	g_free (bv);
}

static const ViewOps batch_ops = {
	.name = "batch",
	.draw = batch_draw,
	.command = batch_command,
	.list = &batch_list,
	.free = batch_free,
	.wake_fd = batch_wake_fd,
	.wake = batch_wake,
	.release = batch_release,
	.changed = batch_changed,
};

static View *
batch_view_new (App *app, const char *query, const char *source, GPtrArray *terms)
{
	BatchView *bv = g_new0 (BatchView, 1);
	bv->base.ops = &batch_ops;
	bv->base.app = app;
	bv->source = g_strdup (source);
	bv->query = g_strdup (query);
	bv->by_count = TRUE;
	bv->order = g_array_new (FALSE, TRUE, sizeof (guint));
	bv->batch = trawl_batch_new (app->db, query, terms);
	sort_rows (bv, FALSE);
	return &bv->base;
}

void
batch_view_open (App *app, const char *query, const char *arg)
{
	g_autoptr (GPtrArray) terms = NULL;
	g_autofree char *source = NULL;
	g_autofree char *typed = NULL;
	if (!arg) {
		/* Typed: terms between semicolons; @FILE reads a file. */
		typed = ui_prompt (app, "Batch terms (';' between them, or @FILE): ", NULL, NULL);
		if (!typed || !*g_strstrip (typed))
			return;
		if (typed[0] == '@') {
			arg = g_strstrip (typed + 1);
		} else {
			terms = trawl_batch_parse (typed, TRUE);
			source = g_strdup ("typed terms");
		}
	}
	if (!terms) {
		g_autoptr (GError) err = NULL;
		terms = trawl_batch_read_file (arg, &err);
		if (!terms) {
			app_message (app, TRUE, "Cannot read the batch: %s", err->message);
			return;
		}
		source = g_strdup (arg);
	}
	app_push (app, batch_view_new (app, query, source, terms));
}
