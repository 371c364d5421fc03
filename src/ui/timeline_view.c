/* timeline_view.c — the messages of a query per year, month, week or day, as
 * horizontal bars; zoom in and out, Enter lists a bucket's threads, v marks a
 * range of buckets.  The counts come from a background worker (the model's
 * timeline.c) and fill in as they arrive; closing the view stops it. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/timeline.h"

typedef struct {
	View base;
	TrawlTimeline *tl;
	UiRows rows;		/* the cursor and the first row on screen */
	gint64 anchor;		/* where the marked range starts (a bucket), -1: none */
	gboolean error_shown;
	gboolean count_error_shown;
} TimelineView;

/* One eighth of a cell more each, from 1/8 to 7/8. */
static const char *const eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
#define FULL_BLOCK "█"

static int
label_width (TrawlTimelineUnit unit)
{
	switch (unit) {
	case TRAWL_TIMELINE_YEAR:
		return 4;
	case TRAWL_TIMELINE_MONTH:
		return 7;
	case TRAWL_TIMELINE_WEEK:
		return 14;
	default:
		return 10;
	}
}

/* A bar of COUNT out of MAX in WIDTH cells, to the eighth of a cell; a
 * bucket with any message shows at least an eighth. */
static char *
bar (gint64 count, gint64 max, int width)
{
	if (count <= 0 || max <= 0 || width <= 0)
		return g_strdup ("");
	gint64 e = (count * width * 8 + max / 2) / max;
	e = CLAMP (e, 1, (gint64) width * 8);
	GString *s = g_string_new (NULL);
	for (gint64 i = 0; i < e / 8; i++)
		g_string_append (s, FULL_BLOCK);
	g_string_append (s, eighths[e % 8]);
	return g_string_free (s, FALSE);
}

static gboolean
in_range (TimelineView *t, guint i)
{
	if (t->anchor < 0)
		return FALSE;
	gint64 a = MIN (t->anchor, t->rows.cur), b = MAX (t->anchor, t->rows.cur);
	return (gint64) i >= a && (gint64) i <= b;
}

static void
timeline_draw (View *v)
{
	TimelineView *t = (TimelineView *) v;
	TrawlTimeline *tl = t->tl;
	const char *query = trawl_timeline_query (tl);
	g_autofree char *left = g_strdup_printf ("timeline: %s", query);
	const char *err = trawl_timeline_error (tl);
	if (err && !t->error_shown) {
		t->error_shown = TRUE;
		app_message (v->app, TRUE, "%s", err);
	}
	const char *count_err = trawl_timeline_count_error (tl);
	if (count_err && !t->count_error_shown) {
		t->count_error_shown = TRUE;
		app_message (v->app, TRUE, "%s (shown as ?)", count_err);
	}
	if (!trawl_timeline_ready (tl)) {
		ui_title (left, "finding the first and last dates...");
		ui_put (1, 0, COLS, "Finding the first and last dates of the query...", A_NORMAL);
		return;
	}
	if (err) {
		ui_title (left, "no timeline");
		ui_put (1, 0, COLS, err, A_NORMAL);
		return;
	}
	if (trawl_timeline_empty (tl)) {
		ui_title (left, "0 messages");
		g_autofree char *msg = g_strdup_printf ("No messages match: %s", query);
		ui_put (1, 0, COLS, msg, A_NORMAL);
		return;
	}
	TrawlTimelineUnit unit = trawl_timeline_unit (tl);
	guint n = trawl_timeline_len (tl), counted = trawl_timeline_counted (tl);
	gint64 total = trawl_timeline_total (tl);
	g_autofree char *first = trawl_timeline_label (trawl_timeline_first (tl), TRAWL_TIMELINE_DAY);
	g_autofree char *last = trawl_timeline_label (trawl_timeline_last (tl), TRAWL_TIMELINE_DAY);
	guint patching = trawl_timeline_patching (tl);
	g_autofree char *progress = counted < n ? g_strdup_printf (", counting %u/%u", counted, n)
		: patching ? g_strdup_printf (", recounting %u after the tag change", patching)
		: trawl_timeline_patch_running (tl) ? g_strdup (", recounting after the tag change") : g_strdup ("");
	g_autofree char *right = g_strdup_printf ("%s to %s, %u %s%s, %" G_GINT64_FORMAT " message%s%s, %s",
						  first, last, n, trawl_timeline_unit_name (unit), n == 1 ? "" : "s",
						  total, total == 1 ? "" : "s", progress,
						  trawl_timeline_newest_first (tl) ? "newest first" : "oldest first");
	ui_title (left, right);

	/* The peak scales the bars; the counts take as many columns as the
	 * total needs. */
	gint64 max = 0;
	guint peak = 0;
	for (guint i = 0; i < n; i++) {
		gint64 c = trawl_timeline_count (tl, i);
		if (c > max) {
			max = c;
			peak = i;
		}
	}
	int cw = 1;
	for (gint64 x = total; x >= 10; x /= 10)
		cw++;
	cw = MAX (cw, 3);
	int lw = label_width (unit);
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	for (int r = 0; r < h && t->rows.top + r < n; r++) {
		guint i = t->rows.top + r;
		int y = 1 + r;
		gint64 c = trawl_timeline_count (tl, i);
		attr_t sel = i == t->rows.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		if (in_range (t, i))
			sel = ui_attr_over (ui_attr (UI_ATTR_MARKED), sel);
		g_autofree char *label = trawl_timeline_label (trawl_timeline_start (tl, i), unit);
		g_autofree char *num = c < 0 ? g_strdup_printf ("%*s", cw, c == -2 ? "?" : "...")
			: g_strdup_printf ("%*" G_GINT64_FORMAT, cw, c);
		/* A count from before a tag change, its recount due: marked. */
		g_autofree char *head = g_strdup_printf ("%-*s %s%s", lw, label, num,
							 trawl_timeline_updating (tl, i) ? "…" : " ");
		int x = ui_put (y, 0, COLS, head, ui_attr_over (ui_attr (UI_ATTR_DATE), sel));
		gboolean is_peak = max > 0 && i == peak;
		const char *mark = is_peak ? " ◂ peak" : "";
		int width = COLS - x - 7;
		if (width > 0) {
			g_autofree char *b = bar (c, max, width);
			x += ui_put (y, x, COLS - x, b,
				     ui_attr_over (ui_attr (is_peak ? UI_ATTR_FLAGGED : UI_ATTR_COUNT), sel));
		}
		if (is_peak && x < COLS)
			x += ui_put (y, x, COLS - x, mark, ui_attr_over (ui_attr (UI_ATTR_FLAGGED), sel));
		ui_fill (y, x, sel);
	}
}

static gint64
timeline_count_rows (View *v)
{
	return trawl_timeline_len (((TimelineView *) v)->tl);
}

static const UiListOps timeline_list = { UI_ROWS_LIST (TimelineView, rows), .count = timeline_count_rows };

/* Lists the threads of [START, END) in a thread list of the same order. */
static void
narrow (TimelineView *t, gint64 start, gint64 end)
{
	App *app = t->base.app;
	g_autofree char *q = trawl_timeline_narrow (trawl_timeline_query (t->tl), start, end);
	g_autoptr (GError) err = NULL;
	View *nv = search_view_new_sorted (app, q, trawl_timeline_newest_first (t->tl)
					   ? TRAWL_SORT_NEWEST_FIRST : TRAWL_SORT_OLDEST_FIRST, &err);
	if (!nv) {
		app_message (app, TRUE, "Bad query: %s", err->message);
		return;
	}
	app_push (app, nv);
	/* The title shows the exact term; this says it in dates. */
	g_autoptr (GDateTime) a = g_date_time_new_from_unix_local (start);
	g_autoptr (GDateTime) b = g_date_time_new_from_unix_local (end - 1);
	g_autofree char *as = a ? g_date_time_format (a, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
	g_autofree char *bs = b ? g_date_time_format (b, "%Y-%m-%d %H:%M:%S %Z") : g_strdup ("?");
	app_message (app, FALSE, "Messages from %s to %s", as, bs);
}

/* The marked range, in time. */
static void
range_bounds (TimelineView *t, gint64 *start, gint64 *end)
{
	guint a = (guint) MIN (t->anchor, t->rows.cur), b = (guint) MAX (t->anchor, t->rows.cur);
	gint64 s1 = trawl_timeline_start (t->tl, a), s2 = trawl_timeline_start (t->tl, b);
	gint64 e1 = trawl_timeline_end (t->tl, a), e2 = trawl_timeline_end (t->tl, b);
	*start = MIN (s1, s2);
	*end = MAX (e1, e2);
}

static void
zoom (TimelineView *t, int delta)
{
	App *app = t->base.app;
	TrawlTimelineUnit unit = trawl_timeline_unit (t->tl);
	int next = (int) unit + delta;
	if (next < TRAWL_TIMELINE_YEAR || next > TRAWL_TIMELINE_DAY) {
		app_message (app, FALSE, "Already at %s buckets", trawl_timeline_unit_name (unit));
		return;
	}
	gint64 at = trawl_timeline_len (t->tl) ? trawl_timeline_start (t->tl, t->rows.cur) : 0;
	g_autoptr (GError) err = NULL;
	if (!trawl_timeline_set_unit (t->tl, (TrawlTimelineUnit) next, &err)) {
		app_message (app, TRUE, "No %s buckets: %s", trawl_timeline_unit_name ((TrawlTimelineUnit) next),
			     err->message);
		return;
	}
	t->anchor = -1;
	/* The cursor stays on the same time. */
	t->rows.cur = trawl_timeline_find (t->tl, at);
	/* Centred, but the screen kept full. */
	gint64 h = app_body_rows (), n = trawl_timeline_len (t->tl);
	t->rows.top = CLAMP (t->rows.cur - h / 2, 0, MAX (n - h, 0));
	ui_list_show_cursor (&t->base);
}

static gboolean
timeline_command (View *v, TrawlCommand cmd, const char *arg)
{
	TimelineView *t = (TimelineView *) v;
	guint n = trawl_timeline_len (t->tl);
	switch (cmd) {
	case TRAWL_CMD_ZOOM_IN:
		zoom (t, 1);
		return TRUE;
	case TRAWL_CMD_ZOOM_OUT:
		zoom (t, -1);
		return TRUE;
	case TRAWL_CMD_OPEN_BUCKET: {
		if (!n)
			return TRUE;
		gint64 start, end;
		if (t->anchor >= 0) {
			range_bounds (t, &start, &end);
			t->anchor = -1;
		} else {
			start = trawl_timeline_start (t->tl, t->rows.cur);
			end = trawl_timeline_end (t->tl, t->rows.cur);
		}
		narrow (t, start, end);
		return TRUE;
	}
	case TRAWL_CMD_MARK_RANGE: {
		if (!n)
			return TRUE;
		if (t->anchor < 0) {
			t->anchor = t->rows.cur;
			g_autofree char *keys = ui_keymap_keys ("timeline", TRAWL_CMD_MARK_RANGE);
			app_message (v->app, FALSE, "Range starts here: move to where it ends and press %s again",
				     *keys ? keys : "mark-range");
			return TRUE;
		}
		gint64 start, end;
		range_bounds (t, &start, &end);
		t->anchor = -1;
		narrow (t, start, end);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static int
timeline_wake_fd (View *v)
{
	return trawl_timeline_wake_fd (((TimelineView *) v)->tl);
}

static gboolean
timeline_wake (View *v)
{
	TimelineView *t = (TimelineView *) v;
	guint before = trawl_timeline_len (t->tl);
	gboolean news = trawl_timeline_collect (t->tl);
	/* The buckets have just been laid out: the cursor starts on the
	 * first (the newest in newest-first order). */
	if (!before && trawl_timeline_len (t->tl))
		t->rows.cur = t->rows.top = 0;
	return news || before != trawl_timeline_len (t->tl);
}

/* The counting workers have read-only handles of their own: the view holds
 * no notmuch object that could refuse trawl's write. */
static void
timeline_release (View *v)
{
	(void) v;
}

/* After a tag change: the buckets of the touched messages are recounted in
 * the background (their old counts marked meanwhile), or nothing when the
 * change's tags cannot change what the query counts.  Never a rebuild. */
static void
timeline_changed (View *v, const TrawlTagChange *change)
{
	TimelineView *t = (TimelineView *) v;
	if (change)
		trawl_timeline_patch (t->tl, change);
}

static void
timeline_free (View *v)
{
	TimelineView *t = (TimelineView *) v;
	trawl_timeline_free (t->tl);
	g_free (t);
}

static const ViewOps timeline_ops = {
	.name = "timeline",
	.draw = timeline_draw,
	.command = timeline_command,
	.list = &timeline_list,
	.free = timeline_free,
	.wake_fd = timeline_wake_fd,
	.wake = timeline_wake,
	.release = timeline_release,
	.changed = timeline_changed,
};

View *
timeline_view_new (App *app, const char *query, gboolean newest_first)
{
	TimelineView *t = g_new0 (TimelineView, 1);
	t->base.ops = &timeline_ops;
	t->base.app = app;
	t->anchor = -1;
	t->tl = trawl_timeline_new (app->db, query, TRAWL_TIMELINE_MONTH, newest_first);
	return &t->base;
}

void
timeline_view_open (App *app, const char *query)
{
	/* The order of the nearest thread list: the one it was opened from. */
	gboolean newest_first = TRUE;
	for (guint i = app->views->len; i > 0; i--) {
		View *v = app->views->pdata[i - 1];
		if (strcmp (v->ops->name, "search") == 0) {
			newest_first = search_view_sort (v) == TRAWL_SORT_NEWEST_FIRST;
			break;
		}
	}
	app_push (app, timeline_view_new (app, query, newest_first));
}
