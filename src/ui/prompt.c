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
 * runs). */
static App *app_for_completion;

static int
cmp_strs (const char **a, const char **b)
{
	return strcmp (*a, *b);
}

/* from:/to: complete addresses from the messages that match so far: the
 * candidates for WORD ("from:PARTIAL"), or NULL when it is neither. */
static GPtrArray *
address_candidates (App *app, const char *word)
{
	gboolean from = g_str_has_prefix (word, "from:");
	if (!from && !g_str_has_prefix (word, "to:"))
		return NULL;
	const char *partial = word + (from ? 5 : 3);
	g_autoptr (GPtrArray) values = trawl_db_header_values (app->db, from ? "from" : "to", partial, 300);
	g_autoptr (GPtrArray) addrs = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < values->len; i++)
		trawl_mime_addresses (values->pdata[i], addrs);
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < addrs->len; i++)
		if (g_hash_table_add (seen, addrs->pdata[i]))
			g_ptr_array_add (found, g_strdup_printf ("%s%s", from ? "from:" : "to:",
								 (char *) addrs->pdata[i]));
	g_ptr_array_sort (found, (GCompareFunc) cmp_strs);
	return found;
}

/* Tab: completes the word before the cursor from CANDIDATES (or from the
 * addresses, for from:/to:); returns the choices to show above the prompt
 * when several fit. */
static char *
complete (TrawlLineEdit *l, GPtrArray *candidates)
{
	g_autoptr (GPtrArray) addresses = NULL;
	if (app_for_completion) {
		g_autofree char *word = trawl_line_edit_word (l);
		addresses = address_candidates (app_for_completion, word);
	}
	return trawl_line_edit_complete (l, addresses ? addresses : candidates);
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
	char *q = ui_prompt_complete (app, prompt, "", app->search_history, words);
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
	TrawlLineEdit *l = trawl_line_edit_new (initial);
	trawl_line_edit_set_history (l, history);
	char *result = NULL;
	gboolean done = FALSE;

	/* The views under the prompt need drawing: first, after a resize, and
	 * when the completion choices above the prompt go away. */
	gboolean views = TRUE;

	while (!done) {
		if (shown && LINES > 2) {
			app_draw (app);
			move (LINES - 2, 0);
			clrtoeol ();
			ui_put (LINES - 2, 0, COLS, shown, A_BOLD);
		}
		draw_line (app, prompt, l, views && shown == NULL);
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
				if (candidates) {
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
		if (live_changed && !done) {
			g_autofree char *text = trawl_line_edit_text (l);
			live_changed (text, live_data);
			views = TRUE;
		}
	}
	curs_set (0);
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
