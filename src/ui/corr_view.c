/* corr_view.c — the correspondents of a query: people by messages sent, by
 * messages received, and sender -> recipient pairs, from the shape index
 * (trawl/shape.h), counted in the background with progress on the title
 * bar.  Enter narrows the query to the selected row in a thread list. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "shape_view.h"
#include "trawl/shape.h"
#include "trawl/tags.h"

typedef struct {
	ShapeView sv;		/* first: the worker, rows, cursor (TrawlCorr) */
	TrawlCorrMode mode;
	gboolean by_domain;
	char *person;		/* pairs of this person only (NULL: everyone) */
	gboolean outgoing;	/* ... as the sender (else as a recipient) */
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

static GPtrArray *
corr_rows (ShapeView *sv)
{
	CorrView *cv = (CorrView *) sv;
	return trawl_corr_rows (sv->worker, cv->mode, cv->by_domain, cv->person, cv->outgoing);
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

static char *
corr_title (ShapeView *sv)
{
	CorrView *cv = (CorrView *) sv;
	return g_strdup_printf ("%s%s%s%s: %u rows", mode_name (cv), cv->person ? " " : "", cv->person ? cv->person : "",
				cv->by_domain ? " by domain" : "", sv->rows ? sv->rows->len : 0);
}

static char *
corr_empty (ShapeView *sv)
{
	CorrView *cv = (CorrView *) sv;
	return g_strdup (cv->mode == TRAWL_CORR_SENT ? "No senders in these messages"
			 : cv->mode == TRAWL_CORR_RECEIVED ? "No recipients in these messages"
			 : "No sender -> recipient pairs in these messages");
}

static void
corr_draw_row (ShapeView *sv, int y, gconstpointer r, attr_t sel)
{
	const TrawlCorrRow *row = r;
	(void) sv;
	char num[32];
	g_snprintf (num, sizeof num, "%*u  ", NUM_WIDTH, row->count);
	int x = ui_put (y, 0, COLS, num, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	attr_t who = ui_attr_over (ui_attr (UI_ATTR_AUTHOR_MATCHED), sel);
	attr_t names = ui_attr_over (ui_attr (UI_ATTR_AUTHOR_OTHER), sel);
	x += put_person (y, x, COLS - x, row->key, row->names, who, names);
	if (row->key2 && x < COLS) {
		x += ui_put (y, x, COLS - x, " -> ", sel);
		if (x < COLS)
			x += put_person (y, x, COLS - x, row->key2, row->names2, who, names);
	}
	ui_fill (y, x, sel);
}

static gboolean
corr_command (View *v, TrawlCommand cmd, const char *arg)
{
	CorrView *cv = (CorrView *) v;
	(void) arg;
	const TrawlCorrRow *row = shape_view_selected (&cv->sv);
	switch (cmd) {
	case TRAWL_CMD_CORR_NARROW: {
		if (!row)
			return TRUE;
		g_autofree char *term = trawl_corr_row_query (cv->mode, cv->by_domain, row);
		g_autofree char *trimmed = g_strstrip (g_strdup (cv->sv.query));
		g_autofree char *q = strcmp (trimmed, "*") == 0 || !*trimmed
			? g_strdup (term) : g_strdup_printf ("(%s) and (%s)", cv->sv.query, term);
		search_view_open (v->app, q);
		return TRUE;
	}
	case TRAWL_CMD_CORR_MODE:
		cv->mode = cv->mode == TRAWL_CORR_SENT ? TRAWL_CORR_RECEIVED
			: cv->mode == TRAWL_CORR_RECEIVED ? TRAWL_CORR_PAIRS : TRAWL_CORR_SENT;
		g_clear_pointer (&cv->person, g_free);
		shape_view_rebuild (&cv->sv);
		return TRUE;
	case TRAWL_CMD_CORR_DOMAIN:
		cv->by_domain = !cv->by_domain;
		g_clear_pointer (&cv->person, g_free);
		shape_view_rebuild (&cv->sv);
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
		shape_view_rebuild (&cv->sv);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static void
corr_free (View *v)
{
	CorrView *cv = (CorrView *) v;
	shape_view_clear (&cv->sv);
	g_free (cv->person);
	g_free (cv);
}

static const ViewOps corr_ops = {
	.name = "correspondents",
	.draw = shape_view_draw,
	.command = corr_command,
	.list = &shape_view_list,
	.free = corr_free,
	.wake_fd = shape_view_wake_fd,
	.wake = shape_view_wake,
	.query = shape_view_query,
	.release = shape_view_release,
	.changed = shape_view_changed,
};

static const ShapeViewKind corr_kind = {
	.atts = FALSE,
	.noun = "Correspondents",
	.working = "counting",
	.failed = "not counted",
	.meanwhile = "Counting in the background; q closes this view and stops it",
	.rows = corr_rows,
	.title = corr_title,
	.empty = corr_empty,
	.draw_row = corr_draw_row,
};

View *
corr_view_new (App *app, const char *query)
{
	CorrView *cv = g_new0 (CorrView, 1);
	shape_view_init (&cv->sv, app, &corr_ops, &corr_kind, query);
	return &cv->sv.base;
}
