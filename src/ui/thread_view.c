/* thread_view.c — one thread: the reply tree above, the selected message below
 * (or full screen).
 *
 * The view only draws and dispatches: the folds and visible rows are the tree
 * model's (trawl/threadtree.h), the message pane and the raw source are a
 * pager (pager.c), and the attachment commands are attachments.c's.
 *
 * Cost per keypress is what the screen shows: the tree rows drawn come from
 * the model's precomputed rows, and only the selected message is parsed
 * (by the MIME layer), once, then wrapped for the pane's width. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/datefmt.h"
#include "trawl/inclusive.h"
#include "trawl/mime.h"
#include "trawl/participants.h"
#include "trawl/sanitize.h"
#include "trawl/tags.h"
#include "trawl/threadtree.h"
#include "trawl/sameday.h"
#include "trawl/wrap.h"

typedef struct {
	View base;
	TrawlThreadTree *tree;	/* the thread, its folds and visible rows */
	int sel;		/* the message shown: an index into the thread */
	UiRows rows;		/* the tree: sel's row and the first row shown */
	gint64 now;

	/* the message pane */
	TrawlRendered *rendered;
	char *render_error;
	int rendered_for;	/* message index, -1: none */
	UiPager pane;
	int pane_width;		/* the width the pane's lines were built for; -1: none */
	const char *pane_dkim;	/* the DKIM line the pane was built with (the session's; NULL: none) */
	gboolean pager;		/* full screen */
	gboolean quotes_open;
	gboolean all_headers;
	gboolean raw;
	guint alternative;
	gboolean deep_parts;	/* the selected message rendered with its deeply nested parts */
	gboolean no_budget;	/* the selected message rendered past the render budget (render-all) */
	gint64 render_started;	/* while a render runs: when it began */
	gboolean render_noticed;	/* the "Rendering..." line is on the screen */
	gboolean read_pending;	/* the selected message is to be marked read when shown */
	GArray *landed;		/* int: unread messages the cursor landed on since the last
				 * draw, to be marked read (mark-read = selected) */
	guint patched;		/* tag changes patched in (tests count them) */

	/* Which messages a later one quotes in full, worked out in the
	 * background (trawl/inclusive.h); the tree holds the marks. */
	TrawlInclusive *inc;
	guint inc_seen;		/* decided messages already marked in the tree */
	gint64 inc_started;	/* when the work began */
	GPtrArray *people;	/* TrawlParticipant *: who wrote, most first */

	/* Opened at an attachment (thread_view_new_at): the pane scrolls to
	 * its line once rendered. */
	int want_part;		/* -1: none */
	gint64 part_line;	/* its pane line once built; -1: not found */

	gint64 mark_line;	/* quote-start: the pane line a quote starts at; -1: none */
	UiFind *find;		/* find in the pane; the search's words (find.c) */
	/* Rows whose day another message of the thread shares show the time
	 * too: the date column is TIME_WIDTH wider on every row then. */
	gboolean *day_shared;	/* per message */
	int time_width;		/* 0 or TRAWL_DATE_TIME_WIDTH */
} ThreadView;

#define RAW_MAX_BYTES (4 * 1024 * 1024)

static TrawlMessage *
msg (ThreadView *tv, int i)
{
	return trawl_thread_tree_message (tv->tree, i);
}

static TrawlThread *
thread (ThreadView *tv)
{
	return trawl_thread_tree_thread (tv->tree);
}

/* ---- layout ---- */

/* The participants line above the tree: 1 row, when the screen has room
 * for it beside the tree and the message. */
static int
people_rows (ThreadView *tv)
{
	return !tv->pager && app_body_rows () >= 8 ? 1 : 0;
}

static int
tree_rows (ThreadView *tv)
{
	if (tv->pager)
		return 0;
	int body = app_body_rows () - people_rows (tv);
	int want = MAX (3, body * tv->base.app->pager_split / 100);
	return MIN ((int) trawl_thread_tree_rows (tv->tree), MIN (want, MAX (1, body - 4)));
}

/* The screen row of the tree's first row. */
static int
tree_first_row (ThreadView *tv)
{
	return 1 + people_rows (tv);
}

static int
pane_first_row (ThreadView *tv)
{
	return tv->pager ? 1 : tree_first_row (tv) + tree_rows (tv) + 1;	/* + the separator */
}

static int
pane_rows (ThreadView *tv)
{
	return MAX (1, LINES - 1 - pane_first_row (tv));
}

/* ---- the tree ---- */

/* Puts the cursor on message I (unfolding what hides it) and scrolls the
 * tree to it. */
static void
reveal (ThreadView *tv, int i)
{
	trawl_thread_tree_reveal (tv->tree, i);
	tv->rows.cur = trawl_thread_tree_message_row (tv->tree, i);
	ui_list_show_cursor (&tv->base);
}

/* mark-read = selected: every message the cursor lands on is marked
 * read, even one passed over by keys typed ahead. */
static gboolean
mark_read_selected (ThreadView *tv)
{
	const char *when = trawl_config_options (tv->base.app->config)->mark_read;
	if (!when || strcmp (when, "selected") != 0)
		return FALSE;
	if (!tv->landed)
		tv->landed = g_array_new (FALSE, FALSE, sizeof (int));
	return TRUE;
}

static void
select_message (ThreadView *tv, int i)
{
	if (i < 0 || i >= (int) trawl_thread_tree_len (tv->tree))
		return;
	if (i != tv->sel) {
		tv->alternative = 0;	/* each message opens on its plain text */
		tv->deep_parts = FALSE;	/* and with the nesting cap */
		tv->no_budget = FALSE;	/* and the render budget */
		tv->mark_line = -1;	/* a mark is in one message */
	}
	tv->sel = i;
	ui_pager_jump (&tv->pane, pane_rows (tv), FALSE);
	tv->read_pending = msg (tv, i)->unread;
	if (tv->read_pending && mark_read_selected (tv))
		g_array_append_val (tv->landed, i);
	reveal (tv, i);
}

static void
draw_tree_row (ThreadView *tv, int y, int i)
{
	TrawlMessage *m = msg (tv, i);
	gboolean selected = i == tv->sel;
	App *app = tv->base.app;
	/* Unread and flagged style the subject; row.tag.NAME styles the row;
	 * the selection lies over all. */
	attr_t subject = ui_attr (UI_ATTR_SUBJECT);
	if (m->unread)
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_UNREAD));
	if (trawl_words_contain (m->tags, "flagged"))
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_FLAGGED));
	attr_t row = ui_row_attr (m->tags);
	attr_t sel = selected ? ui_attr_over (row, ui_attr (UI_ATTR_SELECTED)) : row;
	int x = 0;

	g_autofree char *date = trawl_date_format_with (m->date, tv->now, app->date_format);
	if (tv->day_shared && tv->day_shared[i]) {
		char *timed = trawl_date_add_time (date, m->date);
		g_free (date);
		date = timed;
	}
	int dw = app->date_width + tv->time_width;
	g_autofree char *dcol = g_strdup_printf ("%*s ", dw, date);
	ui_put_padded (y, x, dw + 1, dcol, ui_attr_over (ui_attr (UI_ATTR_DATE), sel));
	x += dw + 1;

	/* Matched messages stand out; context messages are dimmed. */
	attr_t who = m->matched ? ui_attr (UI_ATTR_AUTHOR_MATCHED) : ui_attr (UI_ATTR_AUTHOR_OTHER);
	x += ui_put (y, x, COLS - x, m->prefix, ui_attr_over (ui_attr (UI_ATTR_TREE), sel));
	guint hidden = trawl_thread_tree_hidden (tv->tree, i);
	if (hidden) {
		g_autofree char *count = g_strdup_printf ("[+%u] ", hidden);
		x += ui_put (y, x, COLS - x, count, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	}
	/* Covered: a later reply quotes all of it. */
	if (trawl_thread_tree_is_covered (tv->tree, i))
		x += ui_put (y, x, COLS - x, "⊂ ", ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	/* DKIM verification failed (verify, V). */
	if (ui_dkim_failed (m->message_id))
		x += ui_put (y, x, COLS - x, "✗dkim ", ui_attr_over (ui_attr (UI_ATTR_ERROR), sel));
	g_autofree char *author = trawl_from_display_name (m->from);
	int aw = MIN (app->author_width, MAX (0, COLS - x));
	ui_put_padded (y, x, aw, author, ui_attr_over (who, sel));
	x += aw;
	if (x < COLS)
		x += ui_put (y, x, 1, " ", sel);

	if (trawl_thread_tree_shows_subject (tv->tree, i) && x < COLS)
		x += ui_put (y, x, COLS - x, m->subject, ui_attr_over (subject, sel));
	if (x < COLS && *m->tags) {
		x += ui_put (y, x, COLS - x, " ", sel);
		x += ui_put_tags (y, x, COLS - x, m->tags, TRUE, sel);
	}
	ui_fill (y, x, sel);
}

/* ---- the message pane: the rendered lines as the pager's ---- */

/* The style of a rendered line of TYPE at quote level DEPTH. */
static UiAttr
line_style (TrawlLineType type, guint depth)
{
	static const UiAttr quote_attrs[] = { UI_ATTR_QUOTE1, UI_ATTR_QUOTE2, UI_ATTR_QUOTE3, UI_ATTR_QUOTE4 };
	switch (type) {
	case TRAWL_LINE_QUOTE:
	case TRAWL_LINE_QUOTE_FOLD:
		return quote_attrs[(MAX (depth, 1) - 1) % G_N_ELEMENTS (quote_attrs)];
	case TRAWL_LINE_HEADER:
	case TRAWL_LINE_RAW_HEADER:
	case TRAWL_LINE_HEADER_DECODED:
		return UI_ATTR_HEADER_VALUE;
	case TRAWL_LINE_SIGNATURE:
		return UI_ATTR_SIGNATURE;
	case TRAWL_LINE_PART:
	case TRAWL_LINE_ATTACHMENT:
		return UI_ATTR_PART;
	case TRAWL_LINE_WARNING:
		return UI_ATTR_ERROR;
	default:
		return UI_ATTR_NORMAL;
	}
}

static char *
quote_prefix (guint depth)
{
	GString *s = g_string_new (NULL);
	for (guint d = 0; d < depth && d < 16; d++)
		g_string_append (s, "> ");
	return g_string_free (s, FALSE);
}

/* LEN bytes of a line of the file at P as the screen shows them faithfully:
 * each TAB as spaces to the next multiple of 8 columns, each CR as "^M",
 * everything else as trawl_sanitize() shows it (nothing decoded). */
static char *
faithful_text (const char *p, gsize len)
{
	GString *out = g_string_new (NULL);
	int col = 0;
	const char *end = p + len;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\t' && *q != '\r')
			q++;
		if (q > p) {
			g_autofree char *safe = trawl_sanitize (p, q - p);
			g_string_append (out, safe);
			col += trawl_text_width (safe);
		}
		if (q < end && *q == '\t') {
			int to = (col / 8 + 1) * 8;
			for (; col < to; col++)
				g_string_append_c (out, ' ');
		} else if (q < end) {
			g_string_append (out, "^M");
			col += 2;
		}
		p = q < end ? q + 1 : end;
	}
	return g_string_free (out, FALSE);
}

static void
build_pane_rendered (ThreadView *tv, int width)
{
	TrawlRendered *r = tv->rendered;
	const char *dkim = ui_dkim_line (msg (tv, tv->sel)->message_id);	/* under the headers, once verified */
	for (guint k = 0; k < r->lines->len; k++) {
		TrawlLine *ln = r->lines->pdata[k];
		if (dkim && ln->nest == 0 && ln->type != TRAWL_LINE_HEADER && ln->type != TRAWL_LINE_RAW_HEADER &&
		    ln->type != TRAWL_LINE_HEADER_DECODED) {
			ui_pager_add_wrapped (&tv->pane, UI_ATTR_HEADER_VALUE, "DKIM:", dkim, width);
			dkim = NULL;
		}
		UiAttr style = line_style (ln->type, ln->depth);
		/* Nested messages get a bar per level. */
		GString *bar = g_string_new (NULL);
		for (guint d = 0; d < ln->nest && d < 8; d++)
			g_string_append (bar, "┃ ");
		g_autofree char *bars = g_string_free (bar, FALSE);
		int w = MAX (8, width - trawl_text_width (bars));
		g_autofree char *text = NULL;

		switch (ln->type) {
		case TRAWL_LINE_QUOTE:
			if (ln->fold_id && !tv->quotes_open)
				continue;	/* stood for by its fold line */
			{
				g_autofree char *qp = quote_prefix (ln->depth);
				text = g_strconcat (bars, qp, ln->text, NULL);
			}
			break;
		case TRAWL_LINE_QUOTE_FOLD:
			if (tv->quotes_open)
				continue;
			if (ln->depth == 0) {
				/* A mailing-list footer, folded (textlines.c). */
				g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_TOGGLE_QUOTES);
				text = g_strdup_printf ("%s[mailing-list footer, %u lines — %s shows]", bars,
							ln->count, *keys ? keys : "toggle-quotes");
				style = UI_ATTR_SIGNATURE;
				break;
			}
			{
				g_autofree char *qp = quote_prefix (ln->depth);
				g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_TOGGLE_QUOTES);
				text = g_strdup_printf ("%s%s[%u quoted lines hidden; %s shows them]", bars, qp,
							ln->count, *keys ? keys : "toggle-quotes");
			}
			break;
		case TRAWL_LINE_PART:
			if (ln->count > 0 && !tv->deep_parts) {
				/* Parts cut off by the nesting cap: the key that shows them. */
				g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_SHOW_DEEP_PARTS);
				text = g_strdup_printf ("%s[-- %s (%s shows them) --]", bars, ln->text ? ln->text : "",
							*keys ? keys : "show-deep-parts");
			} else {
				text = g_strdup_printf ("%s[-- %s --]", bars, ln->text ? ln->text : "");
			}
			break;
		case TRAWL_LINE_ATTACHMENT:
			if (tv->want_part >= 0 && ln->part == tv->want_part)
				tv->part_line = ui_pager_len (&tv->pane);
			/* Numbered as the attachment prompts number them. */
			text = g_strdup_printf ("%s[attachment %d: %s]", bars, ui_attachment_ordinal (r, ln->part),
						ln->text ? ln->text : "");
			break;
		case TRAWL_LINE_WARNING:
			text = g_strdup_printf ("%s[!] %s", bars, ln->text ? ln->text : "");
			break;
		case TRAWL_LINE_HELD: {
			/* HTML the render budget held back: the key that renders it. */
			g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_RENDER_ALL);
			text = g_strdup_printf ("%s[-- %s (%s renders them) --]", bars, ln->text ? ln->text : "",
						*keys ? keys : "render-all");
			style = UI_ATTR_PART;
			break;
		}
		case TRAWL_LINE_HEADER: {
			g_autofree char *label = g_strdup_printf ("%s%s:", bars, ln->label ? ln->label : "");
			ui_pager_add_wrapped (&tv->pane, style, label, ln->text, width);
			continue;
		}
		case TRAWL_LINE_RAW_HEADER: {
			/* As in the file: TABs to their columns, CRs shown. */
			g_autofree char *shown = faithful_text (ln->text, strlen (ln->text));
			text = g_strconcat (bars, shown, NULL);
			break;
		}
		case TRAWL_LINE_HEADER_DECODED: {
			g_autofree char *label = g_strdup_printf ("%s    decoded:", bars);
			ui_pager_add_wrapped (&tv->pane, style, label, ln->text, width);
			continue;
		}
		case TRAWL_LINE_BLANK:
			text = g_strdup (bars);
			break;
		case TRAWL_LINE_SIGNATURE:
			if (ln->fold_id && !tv->quotes_open)
				continue;	/* a footer's line, stood for by its fold line */
			text = g_strconcat (bars, ln->text ? ln->text : "", NULL);
			break;
		default:
			text = g_strconcat (bars, ln->text ? ln->text : "", NULL);
			break;
		}
		ui_pager_add_wrapped (&tv->pane, style, NULL, text, MAX (w, width));
	}
}

static void
build_pane_raw (ThreadView *tv, TrawlMessage *m, int width)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr (GError) err = NULL;
	if (!g_file_get_contents (m->filename, &data, &len, &err)) {
		g_autofree char *w = g_strdup_printf ("[!] %s", err->message);
		ui_pager_add_wrapped (&tv->pane, UI_ATTR_ERROR, NULL, w, width);
		return;
	}
	gboolean numbers = trawl_config_options (tv->base.app->config)->raw_line_numbers;
	gboolean cut = len > RAW_MAX_BYTES;
	const char *p = data, *end = data + MIN (len, (gsize) RAW_MAX_BYTES);
	guint n = 0;
	while (p < end) {
		const char *nl = memchr (p, '\n', end - p);
		const char *e = nl ? nl : end;
		/* Byte-faithful: TABs to their columns, CR as ^M, bytes that are
		 * not UTF-8 as \xNN (the sanitiser's), nothing decoded. */
		g_autofree char *line = faithful_text (p, e - p);
		g_autofree char *num = numbers ? g_strdup_printf ("%6u", ++n) : NULL;
		ui_pager_add_wrapped (&tv->pane, UI_ATTR_NORMAL, num, line, width);
		p = nl ? nl + 1 : end;
	}
	if (cut)
		ui_pager_add_wrapped (&tv->pane, UI_ATTR_ERROR, NULL, "[!] raw source cut at 4 MiB", width);
}

/* How long a render runs before the bottom line says so. */
#define RENDER_NOTICE_US (300 * 1000)

/* Asked by the MIME layer before each HTML part and while a dumper runs:
 * TRUE stops the render.  q, Q (whatever keys quit in this view) and C-c
 * stop it; every key read here is held for the main loop, in order (C-c
 * only stops).  A render that takes a while says so, and how to stop it. */
static gboolean
render_interrupt (gpointer data)
{
	ThreadView *tv = data;
	if (ui_terminating ())
		return TRUE;
	if (ui_key_interrupted ("thread"))
		return TRUE;
	if (!tv->render_noticed && g_get_monotonic_time () - tv->render_started > RENDER_NOTICE_US) {
		tv->render_noticed = TRUE;
		g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_QUIT);
		g_autofree char *text = g_strdup_printf ("Rendering the message's HTML... %s or C-c stops",
							 *keys ? keys : "C-c");
		ui_notice_now (text);
	}
	return FALSE;
}

/* Renders the selected message M with the view's options. */
static void
render_message (ThreadView *tv, TrawlMessage *m)
{
	App *app = tv->base.app;
	TrawlRenderOptions o = { 0 };
	o.all_headers = tv->all_headers;
	o.alternative = tv->alternative;
	o.deep_parts = tv->deep_parts;
	o.no_budget = tv->no_budget;
	o.quote_fold_min = app->quote_fold;
	o.footer_regex = trawl_config_options (app->config)->footer_regex;
	o.html_command = app->html_command;
	o.html_cache = app->html_cache;
	o.interrupt = render_interrupt;
	o.interrupt_data = tv;
	o.now = tv->now;
	tv->render_started = g_get_monotonic_time ();
	tv->render_noticed = FALSE;
	g_autoptr (GError) err = NULL;
	tv->rendered = trawl_mime_render_file (m->filename, &o, &err);
	if (!tv->rendered) {
		tv->render_error = g_strdup_printf ("[!] cannot read the message: %s", err->message);
		return;
	}
	const TrawlRenderStats *rs = &tv->rendered->stats;
	app->render_stats.html_dumper_runs += rs->html_dumper_runs;
	app->render_stats.html_cache_hits += rs->html_cache_hits;
	app->render_stats.html_builtin += rs->html_builtin;
	app->render_stats.html_held += rs->html_held;
	if (tv->rendered->html_held > 0 && !tv->rendered->interrupted) {
		g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_RENDER_ALL);
		app_message (app, FALSE, "Render budget used up: %u HTML part%s shown by the built-in renderer; %s renders them",
			     tv->rendered->html_held, tv->rendered->html_held == 1 ? "" : "s",
			     *keys ? keys : "render-all");
	} else if (tv->rendered->interrupted) {
		app->renders_interrupted++;
		g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_RENDER_ALL);
		app_message (app, FALSE, "Rendering stopped: %u HTML part%s not rendered; %s renders them",
			     rs->html_held, rs->html_held == 1 ? "" : "s", *keys ? keys : "render-all");
	}
}

/* The selected message rendered, and the pane's lines built for the
 * screen's width: each only when out of date. */
static void
ensure_rendered (ThreadView *tv)
{
	TrawlMessage *m = msg (tv, tv->sel);
	/* A verification elsewhere (the provenance view's V) adds the DKIM line. */
	if (tv->rendered_for == tv->sel && tv->pane_width == COLS && tv->pane_dkim == ui_dkim_line (m->message_id))
		return;
	if (tv->rendered_for != tv->sel) {
		g_clear_pointer (&tv->rendered, trawl_rendered_free);
		g_clear_pointer (&tv->render_error, g_free);
		/* rendered in raw mode too: the parts list serves the attachment keys */
		render_message (tv, m);
		tv->rendered_for = tv->sel;
	}
	ui_pager_clear (&tv->pane);
	ui_find_invalidate (tv->find);	/* the hits are found in the new lines */
	tv->pane_width = COLS;
	tv->pane_dkim = ui_dkim_line (m->message_id);
	int width = MAX (1, COLS - 1);
	if (tv->base.app->wrap_width > 0)
		width = MIN (width, tv->base.app->wrap_width);
	if (tv->raw)
		build_pane_raw (tv, m, width);
	else if (tv->rendered)
		build_pane_rendered (tv, width);
	else
		ui_pager_add_wrapped (&tv->pane, UI_ATTR_ERROR, NULL, tv->render_error, width);
}

/* Re-renders the selected message (options changed). */
static void
rerender (ThreadView *tv)
{
	tv->rendered_for = -1;
	tv->mark_line = -1;
	ui_pager_jump (&tv->pane, pane_rows (tv), FALSE);
}

static void inclusive_start (ThreadView *tv);

/* Reading marks read: once the selected message is on the screen, its
 * unread tag goes (unless turned off, or the database is read-only).  After
 * the draw, so the write never delays what the user waits for; the write
 * patches the thread's tags (thread_changed), so no pointer into the tags
 * may be held here. */
static gboolean
thread_after_draw (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	inclusive_start (tv);
	if (tv->landed && tv->landed->len) {
		/* mark-read = selected: the messages landed on, in one change. */
		g_autoptr (GArray) landed = g_steal_pointer (&tv->landed);
		gboolean sel_pending = tv->read_pending;
		tv->read_pending = FALSE;
		if (!tv->base.app->mark_read || !trawl_db_writable (tv->base.app->db))
			return FALSE;
		g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
		for (guint k = 0; k < landed->len; k++) {
			int i = g_array_index (landed, int, k);
			if (i >= (int) trawl_thread_tree_len (tv->tree) || !msg (tv, i)->unread ||
			    (i == tv->sel && !sel_pending))
				continue;
			const char *id = msg (tv, i)->message_id;
			if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
				g_ptr_array_add (ids, g_strdup (id));
		}
		if (!ids->len)
			return FALSE;
		app_apply_tags (tv->base.app, ids, "-unread", FALSE);
		return TRUE;
	}
	if (!tv->read_pending)
		return FALSE;
	tv->read_pending = FALSE;
	if (!tv->base.app->mark_read || !trawl_db_writable (tv->base.app->db) ||
	    !msg (tv, tv->sel)->unread)
		return FALSE;
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (msg (tv, tv->sel)->message_id));
	app_apply_tags (tv->base.app, ids, "-unread", FALSE);
	return TRUE;
}

/* ---- covered messages ---- */

/* How long the work runs before the title shows its progress (a small
 * thread is done long before). */
#define INCLUSIVE_PROGRESS_US (400 * 1000)

/* ", 12 of 47 covered" (nothing while none is); ", covered: 120 of 2500
 * read" while the work runs; ", covered hidden" with hiding on. */
static char *
inclusive_status (ThreadView *tv)
{
	if (!tv->inc)
		return g_strdup ("");
	guint n = trawl_inclusive_len (tv->inc);
	guint c = trawl_thread_tree_covered (tv->tree);
	gboolean hiding = trawl_thread_tree_hiding_covered (tv->tree);
	GString *s = g_string_new (NULL);
	if (tv->inc_seen < n && g_get_monotonic_time () - tv->inc_started >= INCLUSIVE_PROGRESS_US)
		g_string_append_printf (s, ", covered: %u of %u read", tv->inc_seen, n);
	else if (c > 0)
		g_string_append_printf (s, ", %u of %u covered", c, n);
	if (hiding)
		g_string_append (s, ", covered hidden");
	return g_string_free (s, FALSE);
}

/* ", covered by 5" when message I is covered: the first message that
 * quotes it in full. */
static char *
covered_by_text (ThreadView *tv, int i)
{
	int by = tv->inc ? trawl_inclusive_covered_by (tv->inc, i) : -1;
	if (by < 0 || !trawl_thread_tree_is_covered (tv->tree, i))
		return g_strdup ("");
	g_autofree char *who = trawl_from_display_name (msg (tv, by)->from);
	return g_strdup_printf (", covered by %d/%u %s", by + 1, trawl_thread_tree_len (tv->tree), who);
}

/* Marks in the tree what the background work has decided since the last
 * time; with covered messages hidden, the rows are rebuilt once and the
 * cursor stays on its message.  TRUE when anything changed. */
static gboolean
inclusive_sync (ThreadView *tv)
{
	if (!tv->inc)
		return FALSE;
	guint decided = trawl_inclusive_decided (tv->inc);
	if (decided == tv->inc_seen)
		return FALSE;
	guint n = trawl_inclusive_len (tv->inc);
	gboolean marked = FALSE;
	for (guint i = 0; i < n; i++)
		if (trawl_inclusive_state (tv->inc, i) == TRAWL_INC_COVERED && !trawl_thread_tree_is_covered (tv->tree, i)) {
			trawl_thread_tree_set_covered (tv->tree, i, TRUE);
			marked = TRUE;
		}
	tv->inc_seen = decided;
	if (marked && trawl_thread_tree_hiding_covered (tv->tree)) {
		trawl_thread_tree_hide_covered (tv->tree, TRUE);
		reveal (tv, tv->sel);
	}
	return TRUE;
}

/* Starts the background work that finds the covered messages: after the
 * first screen (thread_after_draw), or at the first command (keys typed
 * ahead), so that reading every message of the thread never competes with
 * drawing the first screen. */
static void
inclusive_start (ThreadView *tv)
{
	if (tv->inc)
		return;
	TrawlThread *t = thread (tv);
	guint n = t->messages->len;
	g_autofree const char **paths = g_new0 (const char *, n);
	g_autofree guint *desc = g_new0 (guint, n);
	for (guint i = 0; i < n; i++) {
		TrawlMessage *m = t->messages->pdata[i];
		paths[i] = m->filename;
		desc[i] = m->descendants;
	}
	tv->inc = trawl_inclusive_new (n, paths, desc);
	tv->inc_started = g_get_monotonic_time ();
}

static int
thread_wake_fd (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	return tv->inc ? trawl_inclusive_wake_fd (tv->inc) : -1;
}

static gboolean
thread_wake (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	trawl_inclusive_collect (tv->inc);
	return inclusive_sync (tv);
}

static void
thread_draw (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	TrawlMessage *m = msg (tv, tv->sel);
	TrawlMessage *root = msg (tv, 0);
	guint n = trawl_thread_tree_len (tv->tree);

	ensure_rendered (tv);
	ui_find_sync (tv->find, &tv->pane);
	inclusive_sync (tv);	/* (also when no wake-up came: a failed pipe) */
	/* The lines are rebuilt for a new width and the pane's height follows
	 * the tree's: its top is brought back in range. */
	int h = pane_rows (tv);
	if (tv->want_part >= 0 && tv->rendered_for == tv->sel) {
		if (tv->part_line >= 0)
			tv->pane.top = tv->part_line;
		tv->want_part = -1;
	}
	ui_pager_clamp (&tv->pane, h);
	int pct = ui_pager_percent (&tv->pane, h);
	g_autofree char *left = g_strdup_printf ("thread: %s", root->subject);
	g_autofree char *covered = inclusive_status (tv);
	g_autofree char *mark = tv->mark_line >= 0 ? g_strdup_printf (", mark at line %" G_GINT64_FORMAT, tv->mark_line + 1) : g_strdup ("");
	g_autofree char *right = g_strdup_printf ("[%d/%u] %u matched%s%s%s%s", tv->sel + 1, n,
						  thread (tv)->matched, covered,
						  tv->raw ? ", raw" : "", tv->pager ? ", full screen" : "", mark);
	g_autofree char *found = ui_find_status (tv->find);	/* ", find 3/17" */
	g_autofree char *right_find = g_strconcat (right, found, NULL);
	ui_title (left, right_find);

	if (!tv->pager) {
		int th = tree_rows (tv);
		guint rows = trawl_thread_tree_rows (tv->tree);
		if (people_rows (tv)) {
			/* Who wrote, most messages first, as many as fit. */
			g_autofree char *line = trawl_participants_line (tv->people, COLS);
			int x = ui_put (1, 0, COLS, line, ui_attr (UI_ATTR_AUTHOR_OTHER));
			ui_fill (1, x, 0);
		}
		int y0 = tree_first_row (tv);
		for (int r = 0; r < th && tv->rows.top + r < rows; r++)
			draw_tree_row (tv, y0 + r, trawl_thread_tree_row_message (tv->tree, tv->rows.top + r));
		/* The separator says which message the pane shows and how far down. */
		g_autofree char *author = trawl_from_display_name (m->from);
		g_autofree char *by = covered_by_text (tv, tv->sel);
		g_autofree char *sep = g_strdup_printf ("── %d/%u %s, %d%%%s ", tv->sel + 1, n, author, pct, by);
		int y = y0 + th;
		int used = ui_put (y, 0, COLS, sep, ui_attr (UI_ATTR_SEPARATOR));
		for (int x = used; x < COLS; x++)
			mvaddstr (y, x, "─");
	}
	ui_pager_draw (&tv->pane, pane_first_row (tv), 0, COLS, h);
	if (tv->mark_line >= tv->pane.top && tv->mark_line < tv->pane.top + h)
		mvchgat (pane_first_row (tv) + (int) (tv->mark_line - tv->pane.top), 0, -1, A_REVERSE, 0, NULL);
}

/* ---- commands ---- */

/* Moves to the nearest message WANT asks for after the selected one (DIR
 * 1) or before it (-1); NONE is said when there is none. */
static void
select_next (ThreadView *tv, int dir, TrawlTreeWant want, const char *none)
{
	int i = trawl_thread_tree_find (tv->tree, tv->sel, dir, want);
	if (i < 0)
		app_message (tv->base.app, FALSE, "%s", none);
	else
		select_message (tv, i);
}

/* Moves to message I of the tree (parent, reply, sibling), unfolding what
 * hides it; NONE is said when there is none (I < 0). */
static void
tree_move (ThreadView *tv, int i, const char *none)
{
	if (i < 0)
		app_message (tv->base.app, FALSE, "%s", none);
	else
		select_message (tv, i);
}

/* The pane's scrolling commands; at the end of a message, page-down moves
 * on, as in less -E. */
static void
scroll_pane (ThreadView *tv, TrawlCommand cmd)
{
	ensure_rendered (tv);
	int h = pane_rows (tv);
	if (cmd == TRAWL_CMD_PAGE_DOWN && ui_pager_at_end (&tv->pane, h)) {
		if (tv->rows.cur + 1 < trawl_thread_tree_rows (tv->tree))
			ui_list_move (&tv->base, 1);
		else
			app_message (tv->base.app, FALSE, "End of thread");
		return;
	}
	ui_pager_command (&tv->pane, h, cmd);
}

/* The tag commands act on the selected message. */
static GPtrArray *
thread_tag_targets (View *v, TrawlCommand cmd, const char **what, const char **tags)
{
	ThreadView *tv = (ThreadView *) v;
	if (cmd == TRAWL_CMD_TOGGLE_UNREAD)
		tv->read_pending = FALSE;	/* the user decides now */
	if (cmd == TRAWL_CMD_EXPORT_THREAD) {	/* export-thread: the whole thread */
		const TrawlThread *t = trawl_thread_tree_thread (tv->tree);
		GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; i < t->messages->len; i++)
			g_ptr_array_add (all, g_strdup (((TrawlMessage *) t->messages->pdata[i])->message_id));
		*what = "thread";
		*tags = msg (tv, tv->sel)->tags;
		return all;
	}
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (msg (tv, tv->sel)->message_id));
	*what = "message";
	*tags = msg (tv, tv->sel)->tags;
	return ids;
}

/* ---- the tree, as the movement driver (listnav.c) moves in it ---- */

static gint64
tree_list_count (View *v)
{
	return trawl_thread_tree_rows (((ThreadView *) v)->tree);
}

static int
tree_list_height (View *v)
{
	return tree_rows ((ThreadView *) v);
}

/* The cursor moved: its message is the one shown. */
static void
tree_list_moved (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	select_message (tv, trawl_thread_tree_row_message (tv->tree, tv->rows.cur));
}

static const UiListOps tree_list = {
	UI_ROWS_LIST (ThreadView, rows),
	.count = tree_list_count,
	.height = tree_list_height,
	.moved = tree_list_moved,
};

/* ---- find (find.c): the view as its host ---- */

static UiPager *
find_pane (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	ensure_rendered (tv);
	ui_find_sync (tv->find, &tv->pane);
	return &tv->pane;
}

static int
find_height (View *v)
{
	return pane_rows ((ThreadView *) v);
}

static int
find_selected (View *v)
{
	return ((ThreadView *) v)->sel;
}

static void
find_select (View *v, int i)
{
	select_message ((ThreadView *) v, i);
}

static int
find_neighbour (View *v, int dir)
{
	ThreadView *tv = (ThreadView *) v;
	int i = tv->sel + dir;
	return i >= 0 && i < (int) trawl_thread_tree_len (tv->tree) ? i : -1;
}

static const UiFindHost find_host = {
	.pane = find_pane,
	.height = find_height,
	.selected = find_selected,
	.select = find_select,
	.neighbour = find_neighbour,
};

static gboolean
thread_command (View *v, TrawlCommand cmd, const char *arg)
{
	ThreadView *tv = (ThreadView *) v;
	inclusive_start (tv);	/* (keys typed ahead of the first screen) */
	switch (cmd) {
	case TRAWL_CMD_FIND:
	case TRAWL_CMD_FIND_NEXT:
	case TRAWL_CMD_FIND_PREV:
		return ui_find_command (tv->find, v, &find_host, cmd, arg);
	case TRAWL_CMD_NEXT_MESSAGE:
		ui_list_move (v, 1);
		return TRUE;
	case TRAWL_CMD_PREV_MESSAGE:
		ui_list_move (v, -1);
		return TRUE;
	case TRAWL_CMD_NEXT_UNREAD:
		select_next (tv, 1, TRAWL_TREE_UNREAD, "No unread message after this one");
		return TRUE;
	case TRAWL_CMD_NEXT_MATCH:
		select_next (tv, 1, TRAWL_TREE_MATCH, "No matching message after this one");
		return TRUE;
	case TRAWL_CMD_PREV_MATCH:
		select_next (tv, -1, TRAWL_TREE_MATCH, "No matching message before this one");
		return TRUE;
	case TRAWL_CMD_NEXT_INCLUSIVE:
	case TRAWL_CMD_PREV_INCLUSIVE: {
		inclusive_sync (tv);
		int dir = cmd == TRAWL_CMD_NEXT_INCLUSIVE ? 1 : -1;
		gboolean all = !tv->inc || tv->inc_seen >= trawl_inclusive_len (tv->inc);
		select_next (tv, dir, TRAWL_TREE_INCLUSIVE,
			     !all ? "No inclusive message found yet (still reading the thread)"
			     : dir > 0 ? "No inclusive message after this one" : "No inclusive message before this one");
		return TRUE;
	}
	case TRAWL_CMD_TREE_PARENT:
		tree_move (tv, trawl_thread_tree_parent (tv->tree, tv->sel), "This message replies to none in the thread");
		return TRUE;
	case TRAWL_CMD_TREE_CHILD:
		tree_move (tv, trawl_thread_tree_first_child (tv->tree, tv->sel), "No reply to this message");
		return TRUE;
	case TRAWL_CMD_TREE_NEXT_SIBLING:
		tree_move (tv, trawl_thread_tree_next_sibling (tv->tree, tv->sel), "No later reply to the same message");
		return TRUE;
	case TRAWL_CMD_TREE_PREV_SIBLING:
		tree_move (tv, trawl_thread_tree_prev_sibling (tv->tree, tv->sel), "No earlier reply to the same message");
		return TRUE;
	case TRAWL_CMD_TOGGLE_COVERED: {
		inclusive_sync (tv);
		gboolean hide = !trawl_thread_tree_hiding_covered (tv->tree);
		trawl_thread_tree_hide_covered (tv->tree, hide);
		if (hide && trawl_thread_tree_is_covered (tv->tree, tv->sel)) {
			/* The cursor leaves a covered message for the nearest
			 * inclusive one, after it or else before it. */
			int i = trawl_thread_tree_find (tv->tree, tv->sel, 1, TRAWL_TREE_INCLUSIVE);
			if (i < 0)
				i = trawl_thread_tree_find (tv->tree, tv->sel, -1, TRAWL_TREE_INCLUSIVE);
			if (i >= 0)
				select_message (tv, i);
		}
		reveal (tv, tv->sel);
		guint c = trawl_thread_tree_covered (tv->tree);
		if (hide)
			app_message (v->app, FALSE, "%u covered message%s hidden%s", c, c == 1 ? "" : "s",
				     tv->inc && tv->inc_seen < trawl_inclusive_len (tv->inc)
				     ? " (more as the thread is read)" : "");
		else
			app_message (v->app, FALSE, "Covered messages shown");
		return TRUE;
	}
	case TRAWL_CMD_PAGE_DOWN:
	case TRAWL_CMD_PAGE_UP:
	case TRAWL_CMD_HALF_DOWN:
	case TRAWL_CMD_HALF_UP:
	case TRAWL_CMD_LINE_DOWN:
	case TRAWL_CMD_LINE_UP:
		scroll_pane (tv, cmd);
		return TRUE;
	case TRAWL_CMD_COLLAPSE: {
		/* Folds the selected message's replies, or else its parent,
		 * which is then selected. */
		int to = trawl_thread_tree_collapse (tv->tree, tv->sel);
		if (to != tv->sel)
			select_message (tv, to);
		reveal (tv, tv->sel);
		return TRUE;
	}
	case TRAWL_CMD_EXPAND:
		trawl_thread_tree_expand (tv->tree, tv->sel);
		return TRUE;
	case TRAWL_CMD_COLLAPSE_OTHERS:
		/* Fold every message none of whose replies leads to a match. */
		trawl_thread_tree_collapse_nonmatching (tv->tree);
		reveal (tv, tv->sel);
		return TRUE;
	case TRAWL_CMD_EXPAND_ALL:
		trawl_thread_tree_expand_all (tv->tree);
		reveal (tv, tv->sel);
		return TRUE;
	case TRAWL_CMD_TOGGLE_PAGER:
		tv->pager = !tv->pager;
		reveal (tv, tv->sel);
		return TRUE;
	case TRAWL_CMD_TOGGLE_QUOTES:
		tv->quotes_open = !tv->quotes_open;
		tv->pane_width = -1;	/* rebuild the pane lines, no re-parse */
		return TRUE;
	case TRAWL_CMD_TOGGLE_HEADERS:
		tv->all_headers = !tv->all_headers;
		rerender (tv);
		return TRUE;
	case TRAWL_CMD_NEXT_ALTERNATIVE:
		ensure_rendered (tv);	/* keys typed ahead arrive before any draw */
		if (tv->rendered && tv->rendered->alternatives > 1) {
			/* The MIME layer counts choices from 1; cycle from the one shown. */
			guint n = tv->rendered->alternatives;
			tv->alternative = (MAX (tv->rendered->shown_alternative, 1) % n) + 1;
			rerender (tv);
			app_message (v->app, FALSE, "Alternative %u of %u", tv->alternative, n);
		} else {
			app_message (v->app, FALSE, "This message has no alternatives");
		}
		return TRUE;
	case TRAWL_CMD_SHOW_DEEP_PARTS:
		ensure_rendered (tv);	/* keys typed ahead arrive before any draw */
		if (tv->deep_parts) {
			tv->deep_parts = FALSE;
			rerender (tv);
			app_message (v->app, FALSE, "Deeply nested parts hidden again");
		} else if (tv->rendered && tv->rendered->parts_too_deep > 0) {
			guint n = tv->rendered->parts_too_deep;
			tv->deep_parts = TRUE;
			rerender (tv);
			app_message (v->app, FALSE, "Showing %u part%s nested deeper than the usual cap", n,
				     n == 1 ? "" : "s");
		} else {
			app_message (v->app, FALSE, "This message has no parts nested too deep to show");
		}
		return TRUE;
	case TRAWL_CMD_RENDER_ALL:
		ensure_rendered (tv);	/* keys typed ahead arrive before any draw */
		if (tv->rendered && (tv->rendered->html_held > 0 || tv->rendered->interrupted)) {
			guint n = tv->rendered->html_held;
			tv->no_budget = TRUE;
			rerender (tv);
			app_message (v->app, FALSE, "Rendering %u more HTML part%s with no budget", n, n == 1 ? "" : "s");
		} else {
			app_message (v->app, FALSE, "Every HTML part of this message is rendered already");
		}
		return TRUE;
	case TRAWL_CMD_RAW_SOURCE:
		tv->raw = !tv->raw;
		rerender (tv);
		return TRUE;
	case TRAWL_CMD_VERIFY:
		/* O(thread): every message's file, once per session. */
		ui_dkim_verify_messages (v->app, thread (tv)->messages);
		tv->pane_width = -1;	/* rebuild the pane lines: the DKIM line */
		return TRUE;
	case TRAWL_CMD_SAVE_ATTACHMENT:
		ensure_rendered (tv);
		ui_attachment_save (v->app, tv->rendered, msg (tv, tv->sel)->filename);
		return TRUE;
	case TRAWL_CMD_OPEN_ATTACHMENT:
		ensure_rendered (tv);
		ui_attachment_open (v->app, tv->rendered, msg (tv, tv->sel)->filename);
		return TRUE;
	case TRAWL_CMD_PIPE_MESSAGE:
		ui_pipe_file (v->app, msg (tv, tv->sel)->filename, arg);
		return TRUE;
	case TRAWL_CMD_TIMELINE:
		timeline_view_open (v->app, thread (tv)->query);
		return TRUE;
	case TRAWL_CMD_PIPE_PART:
		ensure_rendered (tv);
		ui_part_pipe (v->app, tv->rendered, msg (tv, tv->sel)->filename);
		return TRUE;
	case TRAWL_CMD_COPY_CITATION:
	case TRAWL_CMD_COPY_MESSAGE_ID:
	case TRAWL_CMD_COPY_ID_QUERY:
		ui_copy_message (v->app, cmd, msg (tv, tv->sel)->filename, msg (tv, tv->sel)->message_id);
		return TRUE;
	case TRAWL_CMD_MARK_LINE:
		ensure_rendered (tv);
		if (tv->mark_line == tv->pane.top) {
			tv->mark_line = -1;
			app_message (v->app, FALSE, "Mark removed");
		} else if (ui_pager_len (&tv->pane) > 0) {
			tv->mark_line = tv->pane.top;
			g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_APPEND_NOTE);
			app_message (v->app, FALSE, "Marked line %" G_GINT64_FORMAT ": scroll to where the quote ends, then %s",
				     tv->mark_line + 1, keys);
		}
		return TRUE;
	case TRAWL_CMD_APPEND_NOTE: {
		/* The lines on screen; with a mark, from it to the last line
		 * on screen (or from the top to it, when it is below). */
		ensure_rendered (tv);
		gint64 first = tv->pane.top;
		gint64 last = MIN (tv->pane.top + pane_rows (tv), (gint64) ui_pager_len (&tv->pane)) - 1;
		if (tv->mark_line >= 0) {
			first = MIN (first, tv->mark_line);
			last = MAX (last, tv->mark_line);
		}
		ui_append_note (v->app, msg (tv, tv->sel)->filename, &tv->pane, first, last);
		tv->mark_line = -1;
		return TRUE;
	}
	case TRAWL_CMD_PROVENANCE: {
		g_autoptr (GError) err = NULL;
		View *pv = prov_view_new (v->app, msg (tv, tv->sel)->message_id, &err);
		if (pv)
			app_push (v->app, pv);
		else
			app_message (v->app, TRUE, "No provenance: %s", err->message);
		return TRUE;
	}
	case TRAWL_CMD_BATCH:
		/* Within the query the thread was opened from. */
		batch_view_open (v->app, thread (tv)->query, arg);
		return TRUE;
	default:
		return FALSE;
	}
}

/* Tags changed: the rows of the touched messages take their new tags; the
 * thread is not read again (the tree, folds, selection and pane stay). */
static void
thread_changed (View *v, const TrawlTagChange *change)
{
	ThreadView *tv = (ThreadView *) v;
	if (trawl_thread_tree_patch (tv->tree, change))
		tv->patched++;
}

static void
thread_free (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	trawl_inclusive_free (tv->inc);	/* cancels the work */
	ui_find_free (tv->find);
	if (tv->landed)
		g_array_unref (tv->landed);
	trawl_thread_tree_free (tv->tree);
	g_free (tv->day_shared);
	g_ptr_array_unref (tv->people);
	g_clear_pointer (&tv->rendered, trawl_rendered_free);
	g_free (tv->render_error);
	ui_pager_dispose (&tv->pane);
	g_free (tv);
}

static const char *
thread_query (View *v)
{
	return trawl_thread_tree_thread (((ThreadView *) v)->tree)->query;
}

/* Which rows show the time: those whose day another message shares, when
 * the date column does not show the time already; the column widens on
 * every row then, so that the tree stays in its columns.  O(messages), once. */
static void
day_columns (ThreadView *tv)
{
	App *app = tv->base.app;
	guint n = trawl_thread_tree_len (tv->tree);
	g_autofree gint64 *dates = g_new0 (gint64, MAX (n, 1));
	for (guint i = 0; i < n; i++)
		dates[i] = msg (tv, i)->date;
	tv->day_shared = trawl_dates_share_day (dates, n);
	for (guint i = 0; i < n && !tv->time_width; i++) {
		if (!tv->day_shared[i])
			continue;
		g_autofree char *date = trawl_date_format_with (dates[i], tv->now, app->date_format);
		g_autofree char *timed = trawl_date_add_time (date, dates[i]);
		if (strcmp (date, timed) != 0)
			tv->time_width = TRAWL_DATE_TIME_WIDTH;
	}
}

static const ViewOps thread_ops;

/* Moves an open thread view to one of its messages (open-message-id). */
gboolean
thread_view_show_message (View *v, const char *thread_id, const char *message_id)
{
	if (v->ops != &thread_ops)
		return FALSE;
	ThreadView *tv = (ThreadView *) v;
	TrawlThread *t = thread (tv);
	if (g_strcmp0 (t->thread_id, thread_id) != 0)
		return FALSE;
	for (guint i = 0; i < t->messages->len; i++)
		if (g_strcmp0 (msg (tv, i)->message_id, message_id) == 0) {
			select_message (tv, (int) i);
			return TRUE;
		}
	return FALSE;
}

static const ViewOps thread_ops = {
	.name = "thread",
	.draw = thread_draw,
	.command = thread_command,
	.list = &tree_list,
	.tag_targets = thread_tag_targets,
	.free = thread_free,
	.changed = thread_changed,
	.after_draw = thread_after_draw,
	.wake_fd = thread_wake_fd,
	.wake = thread_wake,
	.query = thread_query,
};

View *
thread_view_new (App *app, const char *thread_id, const char *query, GError **error)
{
	TrawlThread *t = trawl_thread_open (app->db, thread_id, query, error);
	if (!t)
		return NULL;
	if (!t->messages->len) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "thread %s is empty", thread_id);
		trawl_thread_free (t);
		return NULL;
	}
	ThreadView *tv = g_new0 (ThreadView, 1);
	tv->base.ops = &thread_ops;
	tv->base.app = app;
	tv->tree = trawl_thread_tree_new (t);
	tv->people = trawl_thread_participants (t);
	ui_pager_init (&tv->pane);
	tv->find = ui_find_new (t->query);	/* the search's words, highlighted */
	tv->pane_width = -1;
	tv->rendered_for = -1;
	tv->now = trawl_date_now ();
	/* The covered messages are worked out in the background, once the
	 * first screen is up (inclusive_start). */
	tv->want_part = -1;
	tv->part_line = -1;
	tv->mark_line = -1;
	day_columns (tv);
	select_message (tv, t->first_focus);
	return &tv->base;
}

View *
thread_view_new_at (App *app, const char *thread_id, const char *query, const char *message_id,
		    int part, GError **error)
{
	View *v = thread_view_new (app, thread_id, query, error);
	if (!v)
		return NULL;
	ThreadView *tv = (ThreadView *) v;
	TrawlThread *t = thread (tv);
	for (guint i = 0; i < t->messages->len; i++) {
		TrawlMessage *m = t->messages->pdata[i];
		if (g_strcmp0 (m->message_id, message_id) == 0) {
			select_message (tv, (int) i);
			tv->want_part = part;
			break;
		}
	}
	return v;
}
