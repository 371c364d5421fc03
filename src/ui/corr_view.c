/* corr_view.c — the correspondents of a query: people by messages sent, by
 * messages received, and sender -> recipient pairs, from the shape index
 * (trawl/shape.h), counted in the background with progress on the title
 * bar.  Enter narrows the query to the selected row in a thread list. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/shape.h"
#include "trawl/tags.h"

typedef struct {
	View base;
	TrawlCorr *corr;
	char *query;
	TrawlCorrMode mode;
	gboolean by_domain;
	char *person;		/* pairs of this person only (NULL: everyone) */
	gboolean outgoing;	/* ... as the sender (else as a recipient) */
	GPtrArray *rows;	/* TrawlCorrRow *, NULL until counted */
	UiRows pos;
	gboolean told;		/* the notice or error went to the message line */
} CorrView;

#define NUM_WIDTH 8

static const char *
mode_name (CorrView *cv)
{
	if (cv->mode == TRAWL_CORR_PAIRS && cv->person)
		return cv->outgoing ? "wrote to" : "heard from";
	switch (cv->mode) {
	case TRAWL_CORR_SENT:
		return "sent";
	case TRAWL_CORR_RECEIVED:
		return "received";
	default:
		return "pairs";
	}
}

static void
corr_rebuild (CorrView *cv)
{
	if (cv->rows)
		g_ptr_array_unref (cv->rows);
	cv->rows = NULL;
	if (trawl_corr_phase (cv->corr, NULL, NULL) == TRAWL_CORR_DONE)
		cv->rows = trawl_corr_rows (cv->corr, cv->mode, cv->by_domain, cv->person, cv->outgoing);
	cv->pos.cur = cv->pos.top = 0;
}

/* "alice@a.example (Alice Smith / A. Smith)" */
static int
put_person (int y, int x, int width, const char *key, const char *names, attr_t attr, attr_t name_attr)
{
	int used = ui_put (y, x, width, key, attr);
	if (names && *names && used < width) {
		g_autofree char *n = g_strdup_printf (" (%s)", names);
		used += ui_put (y, x + used, width - used, n, name_attr);
	}
	return used;
}

static void
corr_draw (View *v)
{
	CorrView *cv = (CorrView *) v;
	guint64 done = 0, total = 0;
	TrawlCorrPhase ph = trawl_corr_phase (cv->corr, &done, &total);
	g_autofree char *left = g_strdup_printf ("correspondents: %s", cv->query);
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
		right = g_strdup_printf ("counting %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, done, total);
		break;
	case TRAWL_CORR_FAILED:
		right = g_strdup ("not counted");
		break;
	case TRAWL_CORR_DONE: {
		guint64 un = trawl_corr_unreadable (cv->corr);
		g_autofree char *unr = un ? g_strdup_printf (", %" G_GUINT64_FORMAT " unreadable", un) : g_strdup ("");
		right = g_strdup_printf ("%s%s%s%s: %u rows, %" G_GUINT64_FORMAT " messages%s",
					 mode_name (cv), cv->person ? " " : "", cv->person ? cv->person : "",
					 cv->by_domain ? " by domain" : "", cv->rows ? cv->rows->len : 0,
					 trawl_corr_messages (cv->corr), unr);
		break;
	}
	}
	ui_title (left, right);
	if (ph == TRAWL_CORR_FAILED) {
		ui_put (1, 0, COLS, trawl_corr_error (cv->corr), ui_attr (UI_ATTR_ERROR));
		return;
	}
	if (ph != TRAWL_CORR_DONE) {
		ui_put (1, 0, COLS, "Counting in the background; q closes this view and stops it", A_NORMAL);
		return;
	}
	if (!cv->rows)
		corr_rebuild (cv);
	if (!trawl_corr_messages (cv->corr)) {
		g_autofree char *m = g_strdup_printf ("No messages match %s", cv->query);
		ui_put (1, 0, COLS, m, A_NORMAL);
		return;
	}
	if (!cv->rows->len) {
		ui_put (1, 0, COLS, cv->mode == TRAWL_CORR_SENT ? "No senders in these messages"
			: cv->mode == TRAWL_CORR_RECEIVED ? "No recipients in these messages"
			: "No sender -> recipient pairs in these messages", A_NORMAL);
		return;
	}
	int h = app_body_rows ();
	ui_list_show_cursor (v);
	for (int r = 0; r < h && cv->pos.top + r < (gint64) cv->rows->len; r++) {
		gint64 i = cv->pos.top + r;
		const TrawlCorrRow *row = cv->rows->pdata[i];
		attr_t sel = i == cv->pos.cur ? ui_attr (UI_ATTR_SELECTED) : 0;
		char num[32];
		g_snprintf (num, sizeof num, "%*u  ", NUM_WIDTH, row->count);
		int x = ui_put (1 + r, 0, COLS, num, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
		attr_t who = ui_attr_over (ui_attr (UI_ATTR_AUTHOR_MATCHED), sel);
		attr_t names = ui_attr_over (ui_attr (UI_ATTR_AUTHOR_OTHER), sel);
		x += put_person (1 + r, x, COLS - x, row->key, row->names, who, names);
		if (row->key2 && x < COLS) {
			x += ui_put (1 + r, x, COLS - x, " -> ", sel);
			if (x < COLS)
				x += put_person (1 + r, x, COLS - x, row->key2, row->names2, who, names);
		}
		ui_fill (1 + r, x, sel);
	}
}

static gint64
corr_count (View *v)
{
	CorrView *cv = (CorrView *) v;
	return cv->rows ? cv->rows->len : 0;
}

static const UiListOps corr_list = { UI_ROWS_LIST (CorrView, pos), .count = corr_count };

static const TrawlCorrRow *
selected (CorrView *cv)
{
	return cv->rows && cv->pos.cur >= 0 && cv->pos.cur < (gint64) cv->rows->len
		? cv->rows->pdata[cv->pos.cur] : NULL;
}

static gboolean
corr_command (View *v, TrawlCommand cmd, const char *arg)
{
	CorrView *cv = (CorrView *) v;
	(void) arg;
	const TrawlCorrRow *row = selected (cv);
	switch (cmd) {
	case TRAWL_CMD_CORR_NARROW: {
		if (!row)
			return TRUE;
		g_autofree char *term = trawl_corr_row_query (cv->mode, cv->by_domain, row);
		g_autofree char *trimmed = g_strstrip (g_strdup (cv->query));
		g_autofree char *q = strcmp (trimmed, "*") == 0 || !*trimmed
			? g_strdup (term) : g_strdup_printf ("(%s) and (%s)", cv->query, term);
		search_view_open (v->app, q);
		return TRUE;
	}
	case TRAWL_CMD_CORR_MODE:
		cv->mode = cv->mode == TRAWL_CORR_SENT ? TRAWL_CORR_RECEIVED
			: cv->mode == TRAWL_CORR_RECEIVED ? TRAWL_CORR_PAIRS : TRAWL_CORR_SENT;
		g_clear_pointer (&cv->person, g_free);
		corr_rebuild (cv);
		return TRUE;
	case TRAWL_CMD_CORR_DOMAIN:
		cv->by_domain = !cv->by_domain;
		g_clear_pointer (&cv->person, g_free);
		corr_rebuild (cv);
		return TRUE;
	case TRAWL_CMD_CORR_PERSON: {
		if (cv->person) {
			/* The other way round, for the same person. */
			cv->outgoing = !cv->outgoing;
		} else {
			if (!row)
				return TRUE;
			/* A received row: who they heard from; else who they wrote to. */
			cv->outgoing = cv->mode != TRAWL_CORR_RECEIVED;
			cv->person = g_strdup (row->key);
			cv->mode = TRAWL_CORR_PAIRS;
		}
		corr_rebuild (cv);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static int
corr_wake_fd (View *v)
{
	return trawl_corr_wake_fd (((CorrView *) v)->corr);
}

static gboolean
corr_wake (View *v)
{
	CorrView *cv = (CorrView *) v;
	gboolean news = trawl_corr_collect (cv->corr);
	TrawlCorrPhase ph = trawl_corr_phase (cv->corr, NULL, NULL);
	if ((ph == TRAWL_CORR_DONE || ph == TRAWL_CORR_FAILED) && !cv->told) {
		cv->told = TRUE;
		const char *e = trawl_corr_error (cv->corr), *n = trawl_corr_notice (cv->corr);
		if (e)
			app_message (v->app, TRUE, "%s", e);
		else if (n)
			app_message (v->app, FALSE, "%s", n);
		if (ph == TRAWL_CORR_DONE)
			corr_rebuild (cv);
		news = TRUE;
	}
	return news;
}

/* Before a write: the counts are held in memory and the counting worker
 * has a read-only handle of its own; nothing of notmuch is alive on this
 * thread. */
static void
corr_release (View *v)
{
	(void) v;
}

/* After trawl's own tag change: the touched messages' senders and
 * recipients are taken from or added to the counts (trawl_corr_patch), the
 * cursor keeping its row; a change too big to patch is counted anew in the
 * background, with progress. */
static void
corr_changed (View *v, const TrawlTagChange *change)
{
	CorrView *cv = (CorrView *) v;
	if (!change)
		return;
	switch (trawl_corr_patch (cv->corr, v->app->db, change)) {
	case TRAWL_SHAPE_PATCH_SKIPPED:
		return;
	case TRAWL_SHAPE_PATCH_PATCHED: {
		gint64 cur = cv->pos.cur, top = cv->pos.top;
		corr_rebuild (cv);
		gint64 n = cv->rows ? cv->rows->len : 0;
		cv->pos.cur = MIN (cur, MAX (n - 1, 0));
		cv->pos.top = MIN (top, cv->pos.cur);
		return;
	}
	case TRAWL_SHAPE_PATCH_RECOUNT:
		trawl_corr_free (cv->corr);
		cv->corr = trawl_corr_new (v->app->db, cv->query);
		if (cv->rows)
			g_ptr_array_unref (cv->rows);
		cv->rows = NULL;
		cv->told = FALSE;
		cv->pos.cur = cv->pos.top = 0;
		app_message (v->app, FALSE, "Correspondents: %u messages changed, counting again in the background",
			     trawl_tag_change_count (change));
		return;
	}
}

static const char *
corr_query (View *v)
{
	return ((CorrView *) v)->query;
}

static void
corr_free (View *v)
{
	CorrView *cv = (CorrView *) v;
	trawl_corr_free (cv->corr);	/* stops the work */
	if (cv->rows)
		g_ptr_array_unref (cv->rows);
	g_free (cv->query);
	g_free (cv->person);
	g_free (cv);
}

static const ViewOps corr_ops = {
	.name = "correspondents",
	.draw = corr_draw,
	.command = corr_command,
	.list = &corr_list,
	.free = corr_free,
	.wake_fd = corr_wake_fd,
	.wake = corr_wake,
	.query = corr_query,
	.release = corr_release,
	.changed = corr_changed,
};

View *
corr_view_new (App *app, const char *query)
{
	CorrView *cv = g_new0 (CorrView, 1);
	cv->base.ops = &corr_ops;
	cv->base.app = app;
	cv->query = g_strdup (query && *query ? query : "*");
	cv->corr = trawl_corr_new (app->db, cv->query);
	return &cv->base;
}
