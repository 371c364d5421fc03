/* find.c — find in the message pane, and the search's words in it.
 *
 * `/` (find) asks for text and finds it as it is typed: the pane scrolls to
 * the first hit at or below the line on top when the find began, every hit
 * is highlighted (find-hit), and Esc goes back to where the pane was.  `.`
 * and `,` (find-next, find-previous) move from hit to hit; past the last
 * hit of a message they go on into the next message that has one (and say
 * so on the bottom line), past the first into the previous one.  With no
 * find, the same keys move between the words of the search the thread was
 * opened from, which are highlighted from the start.
 *
 * Matching is on the pane's lines as shown (decoded, wrapped, sanitised),
 * within a line: trawl/find.h for text, trawl/queryterms.h for the search's
 * words.  Cost: the hits of one message are found once per build of its
 * lines (O(message)), at each key typed into the find; moving on to other
 * messages renders them one by one until one has a hit. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/find.h"
#include "trawl/queryterms.h"

struct UiFind {
	char *pattern;		/* the find; NULL: none (the search's words) */
	GPtrArray *terms;	/* the search's words (GStrv of stems) */
	char *terms_text;	/* as written, for messages */
	GArray *hits;		/* TrawlFindHit, of the pane's lines */
	gboolean valid;		/* the hits are the pane's current lines' */
	gint64 cur;		/* the current hit; -1: none */
	/* while the find prompt runs */
	View *v;
	const UiFindHost *host;
	gint64 orig_top;
};

UiFind *
ui_find_new (const char *query)
{
	UiFind *f = g_new0 (UiFind, 1);
	f->terms = trawl_query_terms (query);
	f->terms_text = trawl_query_terms_text (query);
	f->hits = g_array_new (FALSE, FALSE, sizeof (TrawlFindHit));
	f->cur = -1;
	return f;
}

void
ui_find_free (UiFind *f)
{
	if (!f)
		return;
	g_free (f->pattern);
	g_ptr_array_unref (f->terms);
	g_free (f->terms_text);
	g_array_unref (f->hits);
	g_free (f);
}

void
ui_find_invalidate (UiFind *f)
{
	if (f)
		f->valid = FALSE;
}

static const char *
pane_line (gpointer data, guint i)
{
	UiPager *p = data;
	return ((UiPagerLine *) p->lines->pdata[i])->text;
}

void
ui_find_sync (UiFind *f, UiPager *p)
{
	if (!f)
		return;
	if (!f->valid) {
		g_array_unref (f->hits);
		guint n = ui_pager_len (p);
		if (f->pattern)
			f->hits = trawl_find_hits_in (n, pane_line, p, f->pattern);
		else
			f->hits = trawl_query_terms_hits (f->terms, n, pane_line, p);
		f->cur = -1;
		f->valid = TRUE;
	}
	p->hits = f->hits;
	p->hit_cur = f->cur;
}

char *
ui_find_status (UiFind *f)
{
	if (!f || !f->pattern || !f->valid)
		return g_strdup ("");
	if (f->cur >= 0)
		return g_strdup_printf (", find %" G_GINT64_FORMAT "/%u", f->cur + 1, f->hits->len);
	return g_strdup_printf (", find %u hit%s", f->hits->len, f->hits->len == 1 ? "" : "s");
}

/* Makes hit K the current one, its line on the screen (on top, when it
 * was not shown). */
static void
go_to (UiFind *f, UiPager *p, int height, guint k)
{
	f->cur = k;
	p->hit_cur = k;
	gint64 line = g_array_index (f->hits, TrawlFindHit, k).line;
	if (line < p->top || line >= p->top + height) {
		p->top = line;
		ui_pager_clamp (p, height);
	}
}

/* "Find "foo": 3/17", or the search's words. */
static char *
where_text (UiFind *f)
{
	if (f->pattern)
		return g_strdup_printf ("Find \"%s\": %" G_GINT64_FORMAT "/%u", f->pattern, f->cur + 1, f->hits->len);
	return g_strdup_printf ("Search words (%s): %" G_GINT64_FORMAT "/%u", f->terms_text, f->cur + 1,
				f->hits->len);
}

/* The first hit at or below line TOP, else the first of all; -1: none. */
static gint64
first_hit (UiFind *f, gint64 top)
{
	if (!f->hits->len)
		return -1;
	guint k = trawl_find_first_from (f->hits, (guint) MAX (top, 0));
	return k < f->hits->len ? k : 0;
}

static void
live_changed (const char *text, gpointer data)
{
	UiFind *f = data;
	g_free (f->pattern);
	f->pattern = *text ? g_strdup (text) : NULL;
	f->valid = FALSE;
	UiPager *p = f->host->pane (f->v);
	ui_find_sync (f, p);
	p->top = f->orig_top;
	gint64 k = f->pattern ? first_hit (f, f->orig_top) : -1;
	if (k >= 0)
		go_to (f, p, f->host->height (f->v), (guint) k);
}

static void
find_prompt (UiFind *f, View *v, const UiFindHost *host, const char *arg)
{
	App *app = v->app;
	UiPager *p = host->pane (v);
	char *old = g_strdup (f->pattern);
	f->v = v;
	f->host = host;
	f->orig_top = p->top;
	g_autofree char *text = NULL;
	if (arg)
		live_changed (arg, f);
	else
		text = ui_prompt_live (app, "Find: ", "", live_changed, f);
	if (!arg && !text) {
		/* Esc: the find before, and the pane where it was. */
		g_free (f->pattern);
		f->pattern = old;
		f->valid = FALSE;
		p = host->pane (v);
		ui_find_sync (f, p);
		p->top = f->orig_top;
		ui_pager_clamp (p, host->height (v));
		app_message (app, FALSE, "Find cancelled");
		return;
	}
	g_free (old);
	if (text && !*text) {
		g_clear_pointer (&f->pattern, g_free);
		f->valid = FALSE;
	} else if (text && g_strcmp0 (text, f->pattern) != 0) {
		/* Keys typed ahead with Enter reach no live call: the text
		 * as answered (its trailing blanks stripped by the prompt). */
		live_changed (text, f);
	}
	p = host->pane (v);
	ui_find_sync (f, p);
	if (!f->pattern)
		app_message (app, FALSE, "Find cleared");
	else if (f->cur >= 0) {
		g_autofree char *w = where_text (f);
		app_message (app, FALSE, "%s", w);
	} else {
		g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_FIND_NEXT);
		app_message (app, TRUE, "Not found in this message: \"%s\" (%s looks in the next ones)", f->pattern,
			     *keys ? keys : "find-next");
	}
}

static void
find_step (UiFind *f, View *v, const UiFindHost *host, int dir)
{
	App *app = v->app;
	UiPager *p = host->pane (v);
	ui_find_sync (f, p);
	if (!f->pattern && !f->terms->len) {
		g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_FIND);
		app_message (app, FALSE, "Nothing to find: %s finds text in the message", *keys ? keys : "find");
		return;
	}
	int h = host->height (v);
	gint64 k;
	if (f->cur >= 0)
		k = f->cur + dir;
	else if (dir > 0)
		k = trawl_find_first_from (f->hits, (guint) p->top);
	else
		k = (gint64) trawl_find_first_from (f->hits, (guint) (p->top + h)) - 1;
	if (k >= 0 && k < f->hits->len) {
		go_to (f, p, h, (guint) k);
		g_autofree char *w = where_text (f);
		app_message (app, FALSE, "%s", w);
		return;
	}
	/* On into the next (previous) messages, until one has a hit. */
	int start = host->selected (v);
	gint64 start_top = p->top, start_cur = f->cur;
	for (int i = host->neighbour (v, dir); i >= 0; i = host->neighbour (v, dir)) {
		host->select (v, i);
		p = host->pane (v);
		ui_find_sync (f, p);
		if (f->hits->len) {
			go_to (f, p, host->height (v), dir > 0 ? 0 : f->hits->len - 1);
			g_autofree char *w = where_text (f);
			app_message (app, FALSE, "%s, %s — %s", dir > 0 ? "search hit BOTTOM" : "search hit TOP",
				     dir > 0 ? "continuing in the next message" : "continuing in the previous message", w);
			return;
		}
		if (ui_terminating ())
			break;
	}
	/* None: back where the step began. */
	if (host->selected (v) != start) {
		host->select (v, start);
		p = host->pane (v);
		ui_find_sync (f, p);
		p->top = start_top;
		ui_pager_clamp (p, host->height (v));
	}
	f->cur = start_cur < (gint64) f->hits->len ? start_cur : -1;
	p->hit_cur = f->cur;
	app_message (app, TRUE, "No more hits %s (%s of the thread)", dir > 0 ? "below" : "above",
		     dir > 0 ? "end" : "start");
}

gboolean
ui_find_command (UiFind *f, View *v, const UiFindHost *host, TrawlCommand cmd, const char *arg)
{
	switch (cmd) {
	case TRAWL_CMD_FIND:
		find_prompt (f, v, host, arg);
		return TRUE;
	case TRAWL_CMD_FIND_NEXT:
		find_step (f, v, host, 1);
		return TRUE;
	case TRAWL_CMD_FIND_PREV:
		find_step (f, v, host, -1);
		return TRUE;
	default:
		return FALSE;
	}
}
