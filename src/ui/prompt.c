/* prompt.c — a one-line editor on the bottom row, with history.
 *
 * The editing itself (the line, the cursor, the keys, history recall, Tab
 * completion) is trawl/lineedit.h, without curses; this file draws the line,
 * reads the keys, and looks up from:/to: addresses for completion.  The
 * line is a sequence of characters, so the cursor moves by characters and is
 * placed by display columns, whatever their width. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/lineedit.h"
#include "trawl/sanitize.h"
#include "trawl/mime.h"
#include "trawl/complete.h"

/* The work of keeping the visible window: characters looked at by
 * draw_line, and its redraws (TRAWL_STATS, for tests that pin it). */
static guint64 prompt_work;
static guint64 prompt_redraws;

char *
ui_prompt_stats_text (void)
{
	return g_strdup_printf ("prompt_work %" G_GUINT64_FORMAT "\nprompt_redraws %" G_GUINT64_FORMAT "\n",
				prompt_work, prompt_redraws);
}

/* The columns C takes once sanitised (as trawl_text_width counts them),
 * without allocating. */
static int
char_width (gunichar c)
{
	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c == 0)
		return 2;	/* NUL, shown as ^@ */
	char buf[8];
	buf[g_unichar_to_utf8 (c, buf)] = '\0';
	return trawl_text_width (buf);
}

/* Draws the prompt and the window of the line around the cursor.  The work
 * is bounded by the width of the screen, not the length of the line: the
 * window starts at the first character from which the text up to the cursor
 * fits (found walking back from the cursor), and only what fits after it is
 * drawn. */
static void
draw_line (App *app, const char *prompt, const TrawlLineEdit *l, gboolean redraw_views)
{
	int y = LINES - 1;
	if (redraw_views)
		app_draw (app);		/* the views under the prompt, e.g. after a resize */
	if (ui_too_small ())
		return;
	prompt_redraws++;
	move (y, 0);
	clrtoeol ();
	int x = ui_put (y, 0, COLS, prompt, A_BOLD);
	int avail = COLS - x - 1;
	/* Scroll the text so the cursor stays visible. */
	int wbefore = 0;
	gsize start = trawl_line_edit_cursor (l), len = trawl_line_edit_length (l);
	while (start > 0) {
		int w = char_width (trawl_line_edit_char (l, start - 1));
		prompt_work++;
		if (wbefore + w > avail)
			break;
		wbefore += w;
		start--;
	}
	/* What fits from there (ui_put clips the last one). */
	GString *shown = g_string_sized_new (4 * (gsize) MAX (avail, 0) + 8);
	int wshown = 0;
	for (gsize i = start; i < len && wshown <= avail; i++) {
		gunichar c = trawl_line_edit_char (l, i);
		prompt_work++;
		wshown += char_width (c);
		g_string_append_unichar (shown, c);
	}
	ui_put (y, x, avail, shown->str, A_NORMAL);
	g_string_free (shown, TRUE);
	move (y, x + wbefore);
	curs_set (1);
	refresh ();
}

/* The app whose database feeds address completion (set while a search prompt
 * runs), and whether field prefixes complete (the search prompt). */
static App *app_for_completion;
static gboolean fields_for_completion;

/* The newest matching messages an address completion reads (O(this) per
 * Tab, whatever the archive holds). */
#define ADDRESS_SAMPLE 500

/* Consecutive Tabs on from:/to: with several mailboxes: the first shows
 * them ranked, the next ones put the first, second... in the line. */
typedef struct {
	GPtrArray *choices;	/* char *: "from:addr" */
	guint next;
	char *inserted;		/* the word the last Tab put in the line */
	char *hint;		/* what the sample was */
	char *listing;		/* the mailboxes, as shown */
} Cycle;

static Cycle cycle;

static void
cycle_reset (void)
{
	g_clear_pointer (&cycle.choices, g_ptr_array_unref);
	g_clear_pointer (&cycle.inserted, g_free);
	g_clear_pointer (&cycle.hint, g_free);
	g_clear_pointer (&cycle.listing, g_free);
	cycle.next = 0;
}

/* Replaces the word before the cursor (as trawl_line_edit_word has it) by
 * TEXT. */
static void
replace_word (TrawlLineEdit *l, const char *text)
{
	g_autofree char *word = trawl_line_edit_word (l);
	for (glong n = g_utf8_strlen (word, -1); n > 0; n--)
		trawl_line_edit_key (l, TRAWL_LINE_KEY_BACKSPACE);
	for (const char *c = text; *c; c = g_utf8_next_char (c))
		trawl_line_edit_key (l, (int) g_utf8_get_char (c));
}

/* from:/to: complete mailboxes by display name or address, most messages
 * first: one fitting goes in the line; several are listed (returned, to show
 * above the prompt) and the next Tabs take them in turn.  FALSE: WORD is
 * neither from: nor to:. */
static gboolean
complete_address (App *app, TrawlLineEdit *l, const char *word, char **shown)
{
	gboolean from = g_str_has_prefix (word, "from:");
	if (!from && !g_str_has_prefix (word, "to:"))
		return FALSE;
	const char *prefix = from ? "from:" : "to:";
	const char *partial = word + strlen (prefix);
	guint sampled = 0;
	g_autoptr (GPtrArray) c = trawl_address_candidates (app->db, from ? "from" : "to", partial,
							    ADDRESS_SAMPLE, &sampled);
	if (c->len == 0) {
		*shown = g_strdup_printf ("No %s matches '%s' (type at least two letters of a name or address)",
					  from ? "sender" : "recipient", partial);
		return TRUE;
	}
	if (c->len == 1) {
		g_autofree char *w = g_strdup_printf ("%s%s ", prefix, ((TrawlAddrCandidate *) c->pdata[0])->addr);
		replace_word (l, w);
		return TRUE;
	}
	cycle_reset ();
	cycle.choices = g_ptr_array_new_with_free_func (g_free);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < c->len; i++) {
		TrawlAddrCandidate *a = c->pdata[i];
		g_ptr_array_add (cycle.choices, g_strdup_printf ("%s%s", prefix, a->addr));
		if (s->len < 2000) {
			g_autofree char *t = trawl_addr_candidate_text (a);
			g_string_append_printf (s, "%s%s", i ? "  " : "", t);
		}
	}
	cycle.hint = sampled >= ADDRESS_SAMPLE ?
		g_strdup_printf ("(counted in the newest %u matching messages) ", sampled) : g_strdup ("");
	cycle.listing = g_string_free (s, FALSE);
	*shown = g_strdup (cycle.listing);
	return TRUE;
}

/* A field prefix: "da" becomes "date:" (no space: the value follows);
 * several are listed and the word extended to what they share. */
static gboolean
complete_field (TrawlLineEdit *l, const char *word, char **shown)
{
	g_autoptr (GPtrArray) m = trawl_query_field_matches (word);
	if (m->len == 0)
		return FALSE;
	if (m->len == 1) {
		replace_word (l, m->pdata[0]);
		return TRUE;
	}
	gsize common = strlen (m->pdata[0]);
	for (guint i = 1; i < m->len; i++) {
		const char *a = m->pdata[0], *b = m->pdata[i];
		gsize k = 0;
		while (k < common && a[k] == b[k])
			k++;
		common = k;
	}
	if (common > strlen (word)) {
		g_autofree char *w = g_strndup (m->pdata[0], common);
		replace_word (l, w);
	}
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < m->len; i++)
		g_string_append_printf (s, "%s%s", i ? "  " : "", (char *) m->pdata[i]);
	*shown = g_string_free (s, FALSE);
	return TRUE;
}

/* Tab: completes the word before the cursor: the next of the mailboxes
 * listed by the Tab before; from:/to: mailboxes; a field prefix; else from
 * CANDIDATES.  Returns what to show above the prompt (choices), or NULL. */
static char *
complete (TrawlLineEdit *l, GPtrArray *candidates)
{
	g_autofree char *word = trawl_line_edit_word (l);
	char *shown = NULL;
	if (cycle.choices && cycle.choices->len) {
		const char *expect = cycle.inserted ? cycle.inserted : NULL;
		if (!expect || strcmp (word, expect) == 0) {
			const char *next = cycle.choices->pdata[cycle.next % cycle.choices->len];
			cycle.next++;
			replace_word (l, next);
			g_free (cycle.inserted);
			cycle.inserted = g_strdup (next);
			return g_strdup (cycle.listing);
		}
	}
	cycle_reset ();
	if (app_for_completion && complete_address (app_for_completion, l, word, &shown))
		return shown;
	if (fields_for_completion && complete_field (l, word, &shown))
		return shown;
	return candidates ? trawl_line_edit_complete (l, candidates) : NULL;
}

/* A hint shown above the prompt while it runs, whatever is typed (the
 * parts ui_pick_listed lists). */
static const char *fixed_hint;

/* The hint for the word before the cursor: its field's syntax. */
static char *
field_hint (const TrawlLineEdit *l)
{
	if (fixed_hint)
		return g_strdup (fixed_hint);
	if (!app_for_completion)
		return NULL;
	g_autofree char *word = trawl_line_edit_word (l);
	const char *h = trawl_query_field_hint (word);
	if (!h)
		return NULL;
	return g_strdup_printf ("%s%s", cycle.hint ? cycle.hint : "", h);
}

/* The editor's key for KEY (a key of ui_key_read), or -1 when it is not
 * one for the editor: curses' function keys become TRAWL_LINE_KEY_*;
 * characters and the emacs control keys go as they are. */
static int
editor_key (int key)
{
	if (!(key & UI_KEY_FN))
		return key <= 0x10FFFF ? key : -1;
	switch (key & ~UI_KEY_FN) {
	case KEY_LEFT: return TRAWL_LINE_KEY_LEFT;
	case KEY_RIGHT: return TRAWL_LINE_KEY_RIGHT;
	case KEY_HOME: return TRAWL_LINE_KEY_HOME;
	case KEY_END: return TRAWL_LINE_KEY_END;
	case KEY_BACKSPACE: return TRAWL_LINE_KEY_BACKSPACE;
	case KEY_DC: return TRAWL_LINE_KEY_DELETE;
	case KEY_UP: return TRAWL_LINE_KEY_PREV;
	case KEY_DOWN: return TRAWL_LINE_KEY_NEXT;
	default: return -1;
	}
}

char *
ui_prompt (App *app, const char *prompt, const char *initial, GPtrArray *history)
{
	return ui_prompt_complete (app, prompt, initial, history, NULL);
}

char *
ui_search_prompt (App *app, const char *prompt)
{
	/* tag: values complete from the database's tags. */
	g_autoptr (GPtrArray) tags = trawl_db_all_tags (app->db);
	g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < tags->len; i++)
		g_ptr_array_add (words, g_strdup_printf ("tag:%s", (char *) tags->pdata[i]));
	app_for_completion = app;
	fields_for_completion = TRUE;
	char *q = ui_prompt_complete (app, prompt, "", app->search_history, words);
	fields_for_completion = FALSE;
	app_for_completion = NULL;
	if (q && *q)
		app_history_save (app);
	return q;
}

char *
ui_command_prompt (App *app, const char *prompt, GPtrArray *candidates)
{
	app_for_completion = app;
	char *line = ui_prompt_complete (app, prompt, "", app->command_history, candidates);
	app_for_completion = NULL;
	return line;
}

char *
ui_tag_prompt (App *app, const char *prompt)
{
	g_autoptr (GPtrArray) tags = trawl_db_all_tags (app->db);
	return ui_prompt_complete (app, prompt, "", NULL, tags);
}

/* Every y/n question of trawl: one key answers it, without Enter.  y or Y
 * is yes; n, N, q, Esc and C-g are no (so is trawl being told to end);
 * other keys are ignored, and the question stays on the bottom line. */
gboolean
ui_ask_yes_no (App *app, const char *question)
{
	app_draw (app);
	for (;;) {
		if (!ui_too_small ()) {
			move (LINES - 1, 0);
			clrtoeol ();
			int x = ui_put (LINES - 1, 0, COLS, question, A_BOLD);
			move (LINES - 1, MIN (x, COLS - 1));
			curs_set (1);
			refresh ();
		}
		int key;
		while ((key = ui_key_read ()) < 0 && !ui_terminating ())
			napms (10);
		if (key < 0)
			break;		/* SIGTERM or SIGHUP: no */
		if (key == 'y' || key == 'Y') {
			curs_set (0);
			return TRUE;
		}
		if (key == 'n' || key == 'N' || key == 'q' || key == 27 || key == 7)
			break;
		if (key == (UI_KEY_FN | KEY_RESIZE))
			app_draw (app);
	}
	curs_set (0);
	return FALSE;
}

int
ui_pick (App *app, const char *verb, const char *noun, guint n)
{
	if (n == 1)
		return 0;
	/* The default is shown, not typed in: typing replaces it, Enter alone
	 * takes it. */
	g_autofree char *prompt = g_strdup_printf ("%s %s (1-%u) [1]: ", verb, noun, n);
	g_autofree char *answer = ui_prompt (app, prompt, "", NULL);
	if (!answer)
		return -1;
	if (!*answer)
		return 0;
	gint64 k = g_ascii_strtoll (answer, NULL, 10);
	if (k < 1 || k > n) {
		app_message (app, TRUE, "No %s %s (there are %u)", noun, answer, n);
		return -1;
	}
	return (int) k - 1;
}

int
ui_pick_listed (App *app, const char *verb, const char *noun, guint n, const char *listing)
{
	fixed_hint = listing;
	int k = ui_pick (app, verb, noun, n);
	fixed_hint = NULL;
	return k;
}

/* ui_prompt_live's callback while its prompt runs (prompts do not nest). */
static void (*live_changed) (const char *text, gpointer data);
static gpointer live_data;

char *
ui_prompt_live (App *app, const char *prompt, const char *initial,
		void (*changed) (const char *text, gpointer data), gpointer data)
{
	live_changed = changed;
	live_data = data;
	char *r = ui_prompt_complete (app, prompt, initial, NULL, NULL);
	live_changed = NULL;
	live_data = NULL;
	return r;
}

char *
ui_prompt_complete (App *app, const char *prompt, const char *initial, GPtrArray *history,
		    GPtrArray *candidates)
{
	g_autofree char *shown = NULL;	/* completion choices on the row above */
	g_autofree char *hint = fixed_hint ? g_strdup (fixed_hint) : NULL;	/* else the syntax of the field being typed */
	TrawlLineEdit *l = trawl_line_edit_new (initial);
	trawl_line_edit_set_history (l, history);
	char *result = NULL;
	gboolean done = FALSE;

	/* The views under the prompt need drawing: first, after a resize, and
	 * when the completion choices above the prompt go away. */
	gboolean views = TRUE;

	while (!done) {
		const char *above = shown ? shown : hint;
		if (above && LINES > 2) {
			app_draw (app);
			move (LINES - 2, 0);
			clrtoeol ();
			ui_put (LINES - 2, 0, COLS, above, shown ? A_BOLD : ui_attr (UI_ATTR_MESSAGE));
		}
		draw_line (app, prompt, l, views && above == NULL);
		views = FALSE;
		int key;
		while ((key = ui_key_read ()) < 0 && !ui_terminating ())
			napms (10);	/* the prompt is modal; background results wait */
		if (key < 0)
			key = 27;	/* SIGTERM or SIGHUP: cancel, trawl is ending */
		/* Every key already waiting (typed ahead, pasted) is taken
		 * before the line is drawn again. */
		for (;;) {
			if (key != '\t' && shown) {
				g_clear_pointer (&shown, g_free);
				views = TRUE;
			}
			if (key != '\t' && cycle.choices)
				cycle_reset ();
			switch (key) {
			case '\r':
				result = trawl_line_edit_text (l);
				done = TRUE;
				break;
			case 27:	/* Esc */
			case 7:		/* C-g */
				done = TRUE;
				break;
			case UI_KEY_FN | KEY_RESIZE:
				views = TRUE;
				break;
			case '\t':
				if (candidates || app_for_completion) {
					g_free (shown);
					shown = complete (l, candidates);
				}
				break;
			case UI_KEY_FN | KEY_BACKSPACE:
				/* Backspace on an empty line cancels, as in less. */
				if (trawl_line_edit_length (l) == 0)
					done = TRUE;
				else
					trawl_line_edit_key (l, TRAWL_LINE_KEY_BACKSPACE);
				break;
			default:
				trawl_line_edit_key (l, editor_key (key));
				break;
			}
			if (done || (key = ui_key_read ()) < 0)
				break;
		}
		if (!done) {
			char *h = field_hint (l);
			if (g_strcmp0 (h, hint) != 0)
				views = TRUE;	/* the row above changes */
			g_free (hint);
			hint = h;
		}
		if (live_changed && !done) {
			g_autofree char *text = trawl_line_edit_text (l);
			live_changed (text, live_data);
			views = TRUE;
		}
	}
	curs_set (0);
	cycle_reset ();
	trawl_line_edit_free (l);
	if (result)
		g_strstrip (result);	/* completion leaves a space after the word */
	if (result && history && *result) {
		/* Newest last; no immediate duplicates. */
		if (!history->len || strcmp (history->pdata[history->len - 1], result) != 0)
			g_ptr_array_add (history, g_strdup (result));
	}
	return result;
}
