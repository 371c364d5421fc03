/* search_view.c — the thread list: one thread per row, newest first.
 *
 * The view holds two positions into the model's list (the first row on screen
 * and the cursor) and asks the model for exactly the rows it draws, so a
 * keypress costs what the screen shows. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/datefmt.h"
#include "trawl/tags.h"
#include "trawl/searches.h"

typedef struct {
	View base;
	TrawlThreadList *tl;	/* suspended around writes, never dropped */
	char *query;
	TrawlSort sort;
	TrawlPos top;		/* first row on screen */
	TrawlPos cur;		/* the selected row */
	gint64 now;		/* "today" for dates, fixed per view so rows do not shift */
	GHashTable *marked;	/* thread id -> 1 */
} SearchView;

#define COUNT_WIDTH 9	/* "[999/999]"; larger counts push the subject right */

static int
body_rows (void)
{
	return app_body_rows ();
}

/* B - A in rows, or G_MAXSSIZE when the two cannot be compared yet. */
static gssize
distance (SearchView *sv, TrawlPos a, TrawlPos b)
{
	gint64 ia = trawl_thread_list_index (sv->tl, a);
	gint64 ib = trawl_thread_list_index (sv->tl, b);
	if (ia >= 0 && ib >= 0)
		return (gssize) (ib - ia);
	if (a.from_end && b.from_end)
		return (gssize) a.n - (gssize) b.n;
	if (!a.from_end && !b.from_end)
		return (gssize) b.n - (gssize) a.n;
	return G_MAXSSIZE;
}

/* ---- the list, as the movement driver (listnav.c) moves in it ---- */

static gsize
list_step (View *v, gboolean top, gssize delta)
{
	SearchView *sv = (SearchView *) v;
	return trawl_thread_list_step (sv->tl, top ? &sv->top : &sv->cur, delta);
}

/* The tail is found without building the rows in between. */
static gboolean
list_jump (View *v, gboolean last)
{
	SearchView *sv = (SearchView *) v;
	if (last)
		return trawl_thread_list_last (sv->tl, &sv->cur);
	trawl_thread_list_first (sv->tl, &sv->cur);
	return TRUE;
}

static void
list_top_to_cursor (View *v)
{
	SearchView *sv = (SearchView *) v;
	sv->top = sv->cur;
}

static gssize
list_cursor_row (View *v)
{
	SearchView *sv = (SearchView *) v;
	return distance (sv, sv->top, sv->cur);
}

static const UiListOps search_list = {
	.step = list_step,
	.jump = list_jump,
	.top_to_cursor = list_top_to_cursor,
	.cursor_row = list_cursor_row,
};

/* One row, its fields in the configured order (thread-columns). */
static void
draw_row (SearchView *sv, int y, const TrawlThreadRow *row, gboolean selected)
{
	App *app = sv->base.app;
	/* Unread and flagged style the subject; row.tag.NAME styles and a
	 * mark, the whole row; the selection lies over all of it. */
	attr_t subject = ui_attr (UI_ATTR_SUBJECT);
	if (trawl_words_contain (row->tags, "unread"))
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_UNREAD));
	if (trawl_words_contain (row->tags, "flagged"))
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_FLAGGED));
	gboolean marked = g_hash_table_contains (sv->marked, row->thread_id);
	attr_t state = ui_row_attr (row->tags);
	if (marked)
		state = ui_attr_over (state, ui_attr (UI_ATTR_MARKED));
	attr_t sel = selected ? ui_attr_over (state, ui_attr (UI_ATTR_SELECTED)) : state;
#define FIELD(a) ui_attr_over (ui_attr (a), sel)
	int x = 0;
	gboolean space = FALSE;	/* fields are one space apart; the date's star column is its own */
	for (char **c = app->columns; *c && x < COLS; c++) {
		if (!**c || (strcmp (*c, "tags") == 0 && !(row->tags && *row->tags)))
			continue;
		if (space)
			x += ui_put (y, x, 1, " ", sel);
		space = strcmp (*c, "date") != 0;
		if (strcmp (*c, "date") == 0) {
			g_autofree char *date = trawl_date_format_with (row->newest, sv->now, app->date_format);
			/* A marked thread shows a star after its date. */
			g_autofree char *date_col = g_strdup_printf ("%*s%s", app->date_width, date, marked ? "*" : " ");
			ui_put_padded (y, x, app->date_width + 1, date_col, FIELD (UI_ATTR_DATE));
			x += app->date_width + 1;
		} else if (strcmp (*c, "authors") == 0) {
			/* notmuch gives "matched, authors| other, authors". */
			int aw = app->author_width;
			const char *bar = strchr (row->authors, '|');
			g_autofree char *matched = bar ? g_strndup (row->authors, bar - row->authors) : g_strdup (row->authors);
			int used = ui_put (y, x, aw, matched, FIELD (UI_ATTR_AUTHOR_MATCHED));
			if (bar && used < aw) {
				g_autofree char *rest = g_strconcat (",", bar + 1, NULL);
				used += ui_put (y, x + used, aw - used, rest, FIELD (UI_ATTR_AUTHOR_OTHER));
			}
			ui_put_padded (y, x + used, aw - used, "", sel);
			x += aw;
		} else if (strcmp (*c, "count") == 0) {
			g_autofree char *count = g_strdup_printf ("[%d/%d]", row->matched, row->total);
			int cw = MAX (COUNT_WIDTH, (int) strlen (count));
			ui_put_padded (y, x, cw, count, FIELD (UI_ATTR_COUNT));
			x += cw;
		} else if (strcmp (*c, "subject") == 0) {
			x += ui_put (y, x, COLS - x, row->subject, ui_attr_over (subject, sel));
		} else if (strcmp (*c, "tags") == 0) {
			x += ui_put_tags (y, x, COLS - x, row->tags, TRUE, sel);
		}
	}
#undef FIELD
	ui_fill (y, x, sel);
}

static gboolean
same_pos (SearchView *sv, TrawlPos a, TrawlPos b)
{
	return distance (sv, a, b) == 0;
}

/* The title's word for the list's order; a size order still being worked
 * out says how far it has got (the list shows newest first meanwhile). */
static char *
sort_label (TrawlThreadList *tl)
{
	TrawlSort s = trawl_thread_list_sort (tl);
	g_autofree char *name = g_strdup (trawl_sort_name (s));
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = ' ';
	guint64 done = 0;
	if (!trawl_thread_list_sorting (tl, &done))
		return g_steal_pointer (&name);
	gint64 total = trawl_thread_list_count (tl);
	if (total > 0)
		return g_strdup_printf ("sorting by %s %d%%, newest first meanwhile", name + 5,
					(int) MIN (99, done * 100 / (guint64) total));
	return g_strdup_printf ("sorting by %s (%" G_GUINT64_FORMAT " threads so far), newest first meanwhile",
				name + 5, done);
}

static void
search_draw (View *v)
{
	SearchView *sv = (SearchView *) v;
	TrawlThreadList *tl = sv->tl;
	int h = body_rows ();

	gint64 total = trawl_thread_list_count (tl);
	gint64 msgs = trawl_thread_list_message_count (tl);
	gint64 idx = trawl_thread_list_index (tl, sv->cur);
	const TrawlThreadRow *first = trawl_thread_list_get (tl, sv->top);

	g_autofree char *left = g_strdup_printf ("search: %s", trawl_thread_list_query (tl));
	g_autofree char *pos = !first ? g_strdup ("0")
		: idx >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, idx + 1)
		: sv->cur.n == 0 ? g_strdup ("last") : g_strdup_printf ("last-%zu", sv->cur.n);
	g_autofree char *cnt = total >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, total) : g_strdup ("?");
	g_autofree char *mcnt = msgs >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, msgs) : g_strdup ("?");
	g_autofree char *marks = g_hash_table_size (sv->marked)
		? g_strdup_printf (", %u marked", g_hash_table_size (sv->marked)) : g_strdup ("");
	g_autofree char *order = sort_label (tl);
	g_autofree char *right = g_strdup_printf ("[%s/%s] %s messages%s, %s", pos, cnt, mcnt, marks, order);
	ui_title (left, right);

	if (!first) {
		g_autofree char *msg = g_strdup_printf ("No threads match: %s", trawl_thread_list_query (tl));
		ui_put (1, 0, COLS, msg, A_NORMAL);
		return;
	}
	TrawlPos p = sv->top;
	for (int y = 1; y <= h; y++) {
		const TrawlThreadRow *row = trawl_thread_list_get (tl, p);
		if (!row)
			break;
		draw_row (sv, y, row, same_pos (sv, p, sv->cur));
		if (y == h || trawl_thread_list_step (tl, &p, 1) == 0)
			break;
	}
}

/* Replaces the list, keeping the old one (and its positions) on failure. */
static gboolean
reload (SearchView *sv, const char *query, TrawlSort sort)
{
	g_autoptr (GError) err = NULL;
	TrawlThreadList *tl = trawl_thread_list_new (sv->base.app->db, query, sort, &err);
	if (!tl) {
		app_message (sv->base.app, TRUE, "Bad query: %s", err->message);
		return FALSE;
	}
	trawl_thread_list_free (sv->tl);
	sv->tl = tl;
	g_free (sv->query);
	sv->query = g_strdup (query);
	sv->sort = sort;
	sv->top = sv->cur = (TrawlPos) { FALSE, 0 };
	return TRUE;
}

void
search_view_open (App *app, const char *query)
{
	g_autofree char *q = query ? g_strdup (query) : ui_search_prompt (app, "Search: ");
	if (!q || !*g_strstrip (q))
		return;
	g_autoptr (GError) err = NULL;
	View *nv = search_view_new (app, q, &err);
	if (!nv) {
		app_message (app, TRUE, "Bad query: %s", err->message);
		return;
	}
	app_push (app, nv);
}

/* ---- around writes: no notmuch iterator may live while tags change ---- */

/* After rows changed under them: the cursor and the top keep their row
 * numbers, and come back inside a list that got shorter. */
static void
keep_cursor (SearchView *sv)
{
	if (!trawl_thread_list_get (sv->tl, sv->cur)) {
		if (!trawl_thread_list_last (sv->tl, &sv->cur))
			sv->cur = sv->top = (TrawlPos) { FALSE, 0 };
	}
	if (!trawl_thread_list_get (sv->tl, sv->top))
		sv->top = sv->cur;
	ui_list_show_cursor (&sv->base);
}

/* Before a write: the list drops its notmuch streams, keeps its rows. */
static void
search_release (View *v)
{
	SearchView *sv = (SearchView *) v;
	trawl_thread_list_suspend (sv->tl);
}

/* After one: the touched threads' rows are patched.  The cursor keeps its
 * row number (a thread archived out of the list gives its row to the next
 * one, as before); past a shortened end it moves back to the last row. */
static void
search_changed (View *v, const TrawlTagChange *change)
{
	SearchView *sv = (SearchView *) v;
	if (!change)
		return;
	trawl_thread_list_patch (sv->tl, change);
	keep_cursor (sv);
}

/* The tag commands act on the marked threads, else on the selected one;
 * the toggles flip the selected row's tags. */
static GPtrArray *
search_tag_targets (View *v, TrawlCommand cmd, const char **what, const char **tags)
{
	SearchView *sv = (SearchView *) v;
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) threads = g_ptr_array_new_with_free_func (g_free);
	if (g_hash_table_size (sv->marked)) {
		GHashTableIter it;
		gpointer key;
		g_hash_table_iter_init (&it, sv->marked);
		while (g_hash_table_iter_next (&it, &key, NULL))
			g_ptr_array_add (threads, g_strdup (key));
		*what = "marked threads";
	} else {
		const TrawlThreadRow *row = trawl_thread_list_get (sv->tl, sv->cur);
		if (row)
			g_ptr_array_add (threads, g_strdup (row->thread_id));
		*what = "thread";
	}
	for (guint i = 0; i < threads->len; i++) {
		g_autoptr (GPtrArray) m = trawl_db_thread_message_ids (v->app->db, threads->pdata[i], NULL);
		for (guint k = 0; m && k < m->len; k++)
			g_ptr_array_add (ids, g_strdup (m->pdata[k]));
	}
	const TrawlThreadRow *row = trawl_thread_list_get (sv->tl, sv->cur);
	*tags = row ? row->tags : NULL;
	return ids;
}

/* Tagged: the marks have done their work. */
static void
search_tagged (View *v)
{
	g_hash_table_remove_all (((SearchView *) v)->marked);
}

static void
tag_query (SearchView *sv, const char *arg)
{
	App *app = sv->base.app;
	g_autofree char *ops = arg ? g_strdup (arg) : ui_tag_prompt (app, "Tag every match (+tag -tag): ");
	if (!ops)
		return;
	g_autoptr (GError) err = NULL;
	g_autoptr (GPtrArray) ids = trawl_db_query_message_ids (app->db, sv->query, &err);
	if (!ids) {
		app_message (app, TRUE, "%s", err->message);
		return;
	}
	g_autofree char *q = g_strdup_printf ("Apply %s to all %u messages matching %s? (y/n) ",
					      ops, ids->len, sv->query);
	if (!ui_ask_yes_no (app, q)) {
		app_message (app, FALSE, "Nothing changed");
		return;
	}
	app_apply_tags (app, ids, ops, TRUE);
}

static gboolean
search_command (View *v, TrawlCommand cmd, const char *arg)
{
	SearchView *sv = (SearchView *) v;
	int h = body_rows ();
	switch (cmd) {
	case TRAWL_CMD_TAG_QUERY:
		tag_query (sv, arg);
		return TRUE;
	case TRAWL_CMD_BATCH:
		batch_view_open (v->app, sv->query, arg);
		return TRUE;
	case TRAWL_CMD_MARK: {
		const TrawlThreadRow *row = trawl_thread_list_get (sv->tl, sv->cur);
		if (row && !g_hash_table_remove (sv->marked, row->thread_id))
			g_hash_table_add (sv->marked, g_strdup (row->thread_id));
		ui_list_move (v, 1);
		return TRUE;
	}
	case TRAWL_CMD_MARK_ALL: {
		if (g_hash_table_size (sv->marked)) {
			g_hash_table_remove_all (sv->marked);
			return TRUE;
		}
		TrawlPos p = sv->top;
		for (int k = 0; k < h; k++) {
			const TrawlThreadRow *row = trawl_thread_list_get (sv->tl, p);
			if (!row)
				break;
			g_hash_table_add (sv->marked, g_strdup (row->thread_id));
			if (trawl_thread_list_step (sv->tl, &p, 1) == 0)
				break;
		}
		return TRUE;
	}
	case TRAWL_CMD_REFRESH: {
		/* What others changed is patched in; the rows, the cursor's row
		 * number and the screen's top stay. */
		g_autoptr (GError) err = NULL;
		trawl_thread_list_suspend (sv->tl);
		if (!trawl_db_reopen (v->app->db, &err) || !trawl_thread_list_refresh (sv->tl, &err)) {
			app_message (v->app, TRUE, "%s", err->message);
			return TRUE;
		}
		v->app->db_change_noticed = FALSE;
		keep_cursor (sv);
		app_message (v->app, FALSE, "Refreshed");
		return TRUE;
	}
	case TRAWL_CMD_OPEN_THREAD: {
		const TrawlThreadRow *row = trawl_thread_list_get (sv->tl, sv->cur);
		if (!row)
			return TRUE;
		g_autofree char *tid = g_strdup (row->thread_id);
		g_autoptr (GError) err = NULL;
		View *tv = thread_view_new (v->app, tid, trawl_thread_list_query (sv->tl), &err);
		if (!tv)
			app_message (v->app, TRUE, "%s", err->message);
		else
			app_push (v->app, tv);
		return TRUE;
	}
	case TRAWL_CMD_SAVE_SEARCH: {
		g_autofree char *name = arg ? g_strdup (arg) : ui_prompt (v->app, "Save search as: ", sv->query, NULL);
		if (!name || !*g_strstrip (name))
			return TRUE;
		g_autoptr (GError) err = NULL;
		if (strchr (name, '=') || strchr (name, '[') || strchr (name, '\n'))
			app_message (v->app, TRUE, "A search name cannot contain '=', '[' or a newline");
		else if (!trawl_searches_add (name, sv->query, &err))
			app_message (v->app, TRUE, "Not saved: %s", err->message);
		else
			app_message (v->app, FALSE, "Saved search %s: %s", name, sv->query);
		return TRUE;
	}
	case TRAWL_CMD_NARROW: {
		g_autofree char *term = arg ? g_strdup (arg) : ui_search_prompt (v->app, "Narrow: ");
		if (!term || !*g_strstrip (term))
			return TRUE;
		g_autofree char *trimmed = g_strstrip (g_strdup (sv->query));
		g_autofree char *q = strcmp (trimmed, "*") == 0
			? g_strdup (term) : g_strdup_printf ("(%s) and (%s)", sv->query, term);
		g_autoptr (GError) err = NULL;
		View *nv = search_view_new (v->app, q, &err);
		if (!nv)
			app_message (v->app, TRUE, "Bad query: %s", err->message);
		else
			app_push (v->app, nv);
		return TRUE;
	}
	case TRAWL_CMD_TIMELINE:
		timeline_view_open (v->app, sv->query);
		return TRUE;
	case TRAWL_CMD_TOGGLE_ORDER: {
		g_autofree char *q = g_strdup (trawl_thread_list_query (sv->tl));
		TrawlSort s = trawl_thread_list_sort (sv->tl) == TRAWL_SORT_NEWEST_FIRST
			? TRAWL_SORT_OLDEST_FIRST : TRAWL_SORT_NEWEST_FIRST;
		reload (sv, q, s);
		return TRUE;
	}
	case TRAWL_CMD_SORT: {
		/* With no order named: the next one, round. */
		TrawlSort s = (trawl_thread_list_sort (sv->tl) + 1) % TRAWL_SORT_COUNT;
		g_autofree char *name = arg ? g_strstrip (g_strdup (arg)) : NULL;
		if (name && !trawl_sort_parse (name, &s)) {
			app_message (v->app, TRUE, "No order '%s': newest-first, oldest-first, most-messages, "
				     "most-matched or most-participants", arg);
			return TRUE;
		}
		g_autofree char *q = g_strdup (trawl_thread_list_query (sv->tl));
		if (reload (sv, q, s))
			app_message (v->app, FALSE, "Sorted %s", trawl_sort_name (s));
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static void
search_free (View *v)
{
	SearchView *sv = (SearchView *) v;
	trawl_thread_list_free (sv->tl);
	g_hash_table_unref (sv->marked);
	g_free (sv->query);
	g_free (sv);
}

static int
search_wake_fd (View *v)
{
	SearchView *sv = (SearchView *) v;
	return trawl_thread_list_wake_fd (sv->tl);
}

static gboolean
search_wake (View *v)
{
	SearchView *sv = (SearchView *) v;
	/* A size order arriving re-sorts the list in place: a thread the user
	 * moved to stays selected, wherever it went, and stays on screen;
	 * untouched, the cursor stays on the first row (the largest now). */
	gboolean sorting = trawl_thread_list_sorting (sv->tl, NULL);
	gboolean moved = sv->cur.from_end || sv->cur.n > 0;
	const TrawlThreadRow *row = sorting && moved ? trawl_thread_list_get (sv->tl, sv->cur) : NULL;
	g_autofree char *sel = row ? g_strdup (row->thread_id) : NULL;
	gint64 screen_row = sorting ? trawl_thread_list_index (sv->tl, sv->cur) - trawl_thread_list_index (sv->tl, sv->top) : 0;
	gboolean news = trawl_thread_list_collect (sv->tl);
	if (sorting && !trawl_thread_list_sorting (sv->tl, NULL)) {
		TrawlPos p = { FALSE, 0 };
		if (sel && trawl_thread_list_find (sv->tl, sel, &p)) {
			sv->cur = p;
			gint64 back = CLAMP (screen_row, 0, body_rows () - 1);
			sv->top = p;
			trawl_thread_list_step (sv->tl, &sv->top, (gssize) -back);
		} else {
			sv->cur = sv->top = p;
		}
	}
	return news;
}

static const char *
search_query (View *v)
{
	return ((SearchView *) v)->query;
}

static const ViewOps search_ops = {
	.name = "search",
	.draw = search_draw,
	.command = search_command,
	.list = &search_list,
	.tag_targets = search_tag_targets,
	.tagged = search_tagged,
	.free = search_free,
	.wake_fd = search_wake_fd,
	.wake = search_wake,
	.release = search_release,
	.changed = search_changed,
	.query = search_query,
};

View *
search_view_new (App *app, const char *query, GError **error)
{
	return search_view_new_sorted (app, query, TRAWL_SORT_NEWEST_FIRST, error);
}

View *
search_view_new_sorted (App *app, const char *query, TrawlSort sort, GError **error)
{
	TrawlThreadList *tl = trawl_thread_list_new (app->db, query, sort, error);
	if (!tl)
		return NULL;
	SearchView *sv = g_new0 (SearchView, 1);
	sv->base.ops = &search_ops;
	sv->base.app = app;
	sv->tl = tl;
	sv->query = g_strdup (query);
	sv->sort = sort;
	sv->marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	sv->now = trawl_date_now ();
	return &sv->base;
}

TrawlSort
search_view_sort (View *v)
{
	return trawl_thread_list_sort (((SearchView *) v)->tl);
}
