/* tag_view.c — every tag with its message and unread counts; Enter searches
 * the tag.  Counts fill in from the background as they arrive. */
#include "config.h"

#include "ui.h"
#include "trawl/searches.h"

typedef struct {
	View base;
	TrawlTagCounts *tc;
	const char *title;	/* "tags" or "saved searches" */
	gboolean show_query;	/* saved searches show what they search */
	UiRows rows;		/* the cursor and the first row on screen */
	gboolean error_shown;	/* the counts' error went to the message line */
} TagView;

#define NUM_WIDTH 9

static void
fmt_count (char *buf, gsize n, gint64 v, gboolean failed)
{
	if (v < 0)
		g_snprintf (buf, n, "%*s", NUM_WIDTH, failed ? "?" : "...");
	else
		g_snprintf (buf, n, "%*" G_GINT64_FORMAT, NUM_WIDTH, v);
}

static void
tag_draw (View *v)
{
	TagView *tg = (TagView *) v;
	guint n = trawl_tag_counts_len (tg->tc), counted = 0;
	for (guint i = 0; i < n; i++)
		if (trawl_tag_counts_total (tg->tc, i) >= 0)
			counted++;
	const char *what = tg->show_query ? "searches" : "tags";
	/* Counting that cannot happen is said (once, on the message line, by
	 * tag_wake), never shown as "counting" for ever. */
	const char *failed = trawl_tag_counts_error (tg->tc);
	if (failed && !tg->error_shown) {
		tg->error_shown = TRUE;
		app_message (v->app, TRUE, "%s", failed);
	}
	g_autofree char *right = failed ? g_strdup_printf ("%u %s, not counted", n, what)
		: counted < n ? g_strdup_printf ("%u %s, counting %u/%u", n, what, counted, n)
		: g_strdup_printf ("%u %s", n, what);
	ui_title (tg->title, right);
	if (!n) {
		ui_put (1, 0, COLS, tg->show_query
			? "No saved searches: notmuch's query.NAME entries and trawl's own (S in a list) show here"
			: "The database has no tags", A_NORMAL);
		return;
	}
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	for (int r = 0; r < h && tg->rows.top + r < n; r++) {
		guint i = tg->rows.top + r;
		char tot[32], unr[32];
		fmt_count (tot, sizeof tot, trawl_tag_counts_total (tg->tc, i), failed != NULL);
		fmt_count (unr, sizeof unr, trawl_tag_counts_unread (tg->tc, i), failed != NULL);
		attr_t sel = i == tg->rows.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		g_autofree char *nums = g_strdup_printf ("%s messages %s unread  ", tot, unr);
		int x = ui_put (1 + r, 0, COLS, nums, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
		/* A tag in its own colour (tag.NAME); saved searches as tags. */
		const char *name = trawl_tag_counts_name (tg->tc, i);
		x += ui_put (1 + r, x, COLS - x, name,
			     ui_attr_over (tg->show_query ? ui_attr (UI_ATTR_TAGS) : ui_tag_attr (name), sel));
		if (tg->show_query && x < COLS) {
			g_autofree char *q = g_strdup_printf ("  %s", trawl_tag_counts_query (tg->tc, i));
			x += ui_put (1 + r, x, COLS - x, q, sel);
		}
		ui_fill (1 + r, x, sel);
	}
}

static gint64
tag_count (View *v)
{
	return trawl_tag_counts_len (((TagView *) v)->tc);
}

static const UiListOps tag_list = { UI_ROWS_LIST (TagView, rows), .count = tag_count };

static gboolean
tag_command (View *v, TrawlCommand cmd, const char *arg)
{
	TagView *tg = (TagView *) v;
	if (cmd != TRAWL_CMD_OPEN_TAG)
		return FALSE;
	if (!trawl_tag_counts_len (tg->tc))
		return TRUE;
	g_autofree char *q = g_strdup (trawl_tag_counts_query (tg->tc, tg->rows.cur));
	g_autoptr (GError) err = NULL;
	View *sv = search_view_new (v->app, q, &err);
	if (sv)
		app_push (v->app, sv);
	else
		app_message (v->app, TRUE, "%s", err->message);
	return TRUE;
}

static int
tag_wake_fd (View *v)
{
	return trawl_tag_counts_wake_fd (((TagView *) v)->tc);
}

static gboolean
tag_wake (View *v)
{
	TagView *tg = (TagView *) v;
	gboolean news = trawl_tag_counts_collect (tg->tc);
	const char *failed = trawl_tag_counts_error (tg->tc);
	if (failed && !tg->error_shown) {
		tg->error_shown = TRUE;
		app_message (v->app, TRUE, "%s", failed);
		news = TRUE;
	}
	return news;
}

static void
tag_free (View *v)
{
	TagView *tg = (TagView *) v;
	trawl_tag_counts_free (tg->tc);
	g_free (tg);
}

static const ViewOps tag_ops = {
	.name = "tags",
	.draw = tag_draw,
	.command = tag_command,
	.list = &tag_list,
	.free = tag_free,
	.wake_fd = tag_wake_fd,
	.wake = tag_wake,
};

View *
tag_view_new (App *app)
{
	TagView *tg = g_new0 (TagView, 1);
	tg->base.ops = &tag_ops;
	tg->base.app = app;
	tg->title = "tags";
	tg->tc = trawl_tag_counts_new (app->db);
	return &tg->base;
}

View *
saved_view_new (App *app)
{
	/* notmuch's named queries first, then the config's [searches], then
	 * the ones saved from trawl: one store. */
	g_autoptr (GError) err = NULL;
	g_autoptr (GPtrArray) queries = trawl_searches_all (app->db, app->config, &err);
	if (err)
		app_message (app, TRUE, "%s", err->message);
	TagView *tg = g_new0 (TagView, 1);
	tg->base.ops = &tag_ops;
	tg->base.app = app;
	tg->title = "saved searches";
	tg->show_query = TRUE;
	tg->tc = trawl_query_counts_new (app->db, queries);
	return &tg->base;
}
