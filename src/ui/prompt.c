/* prompt.c — a one-line editor on the bottom row, with history.
 *
 * The text is kept as an array of characters (gunichar) so that the cursor
 * moves by characters and is placed by display columns, whatever their width. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/sanitize.h"
#include "trawl/mime.h"

typedef struct {
	GArray *chars;		/* gunichar */
	guint cursor;		/* index into chars */
} Line;

static void
line_set (Line *l, const char *text)
{
	g_array_set_size (l->chars, 0);
	for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		g_array_append_val (l->chars, c);
	}
	l->cursor = l->chars->len;
}

static char *
line_text (const Line *l, guint from, guint to)
{
	GString *s = g_string_new (NULL);
	for (guint i = from; i < to && i < l->chars->len; i++)
		g_string_append_unichar (s, g_array_index (l->chars, gunichar, i));
	return g_string_free (s, FALSE);
}

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
draw_line (App *app, const char *prompt, const Line *l, gboolean redraw_views)
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
	guint start = l->cursor;
	while (start > 0) {
		int w = char_width (g_array_index (l->chars, gunichar, start - 1));
		prompt_work++;
		if (wbefore + w > avail)
			break;
		wbefore += w;
		start--;
	}
	/* What fits from there (ui_put clips the last one). */
	GString *shown = g_string_sized_new (4 * (gsize) MAX (avail, 0) + 8);
	int wshown = 0;
	for (guint i = start; i < l->chars->len && wshown <= avail; i++) {
		gunichar c = g_array_index (l->chars, gunichar, i);
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

static gboolean
is_word (gunichar c)
{
	return g_unichar_isalnum (c) || c == '_';
}

/* The app whose database feeds address completion (set while a search prompt
 * runs). */
static App *app_for_completion;

static int
cmp_strs (const char **a, const char **b)
{
	return strcmp (*a, *b);
}

/* Tab: completes the word before the cursor (after a leading + or -) from
 * CANDIDATES: the whole word when one fits, else their common prefix, with
 * the choices shown above the prompt. */
static void
complete (Line *l, GPtrArray *candidates, char **shown)
{
	guint start = l->cursor;
	while (start > 0 && !g_unichar_isspace (g_array_index (l->chars, gunichar, start - 1)))
		start--;
	if (start < l->cursor) {
		gunichar c0 = g_array_index (l->chars, gunichar, start);
		if (c0 == '+' || c0 == '-')
			start++;
	}
	g_autofree char *word = line_text (l, start, l->cursor);
	/* In a search, "(tag:fo" completes after the parenthesis. */
	while (*word == '(') {
		char *w = g_strdup (word + 1);
		g_free (word);
		word = w;
	}
	/* from:/to: complete addresses from the messages that match so far. */
	g_autoptr (GPtrArray) dynamic = NULL;
	if (app_for_completion && (g_str_has_prefix (word, "from:") || g_str_has_prefix (word, "to:"))) {
		gboolean from = g_str_has_prefix (word, "from:");
		const char *partial = word + (from ? 5 : 3);
		g_autoptr (GPtrArray) values = trawl_db_header_values (app_for_completion->db,
								       from ? "from" : "to", partial, 300);
		g_autoptr (GPtrArray) addrs = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; i < values->len; i++)
			trawl_mime_addresses (values->pdata[i], addrs);
		g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
		dynamic = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; i < addrs->len; i++)
			if (g_hash_table_add (seen, addrs->pdata[i]))
				g_ptr_array_add (dynamic, g_strdup_printf ("%s%s", from ? "from:" : "to:",
									   (char *) addrs->pdata[i]));
		g_ptr_array_sort (dynamic, (GCompareFunc) cmp_strs);
		candidates = dynamic;
	}
	g_autoptr (GPtrArray) fit = g_ptr_array_new ();
	for (guint i = 0; i < candidates->len; i++)
		if (g_str_has_prefix (candidates->pdata[i], word))
			g_ptr_array_add (fit, candidates->pdata[i]);
	g_clear_pointer (shown, g_free);
	if (!fit->len)
		return;
	/* The longest prefix they share. */
	g_autofree char *common = g_strdup (fit->pdata[0]);
	for (guint i = 1; i < fit->len; i++) {
		const char *o = fit->pdata[i];
		gsize k = 0;
		while (common[k] && common[k] == o[k])
			k++;
		/* Never half a character: "привет" and "пример" share "при"
		 * and the first byte of в and м. */
		while (k > 0 && ((guchar) common[k] & 0xC0) == 0x80)
			k--;
		common[k] = '\0';
	}
	const char *add = common + MIN (strlen (word), strlen (common));
	for (const char *p = add; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char_validated (p, -1);
		if (c & 0x80000000u)
			break;	/* not UTF-8: stop rather than read past its end */
		g_array_insert_val (l->chars, l->cursor, c);
		l->cursor++;
	}
	if (fit->len == 1) {
		gunichar sp = ' ';
		g_array_insert_val (l->chars, l->cursor, sp);
		l->cursor++;
	} else {
		GString *s = g_string_new (NULL);
		for (guint i = 0; i < fit->len && s->len < 2000; i++)
			g_string_append_printf (s, "%s%s", i ? " " : "", (char *) fit->pdata[i]);
		*shown = g_string_free (s, FALSE);
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

gboolean
ui_ask_yes_no (App *app, const char *question)
{
	/* y or n on the bottom line; anything else is no. */
	g_autofree char *answer = ui_prompt (app, question, "", NULL);
	return answer && (answer[0] == 'y' || answer[0] == 'Y');
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
	Line l = { g_array_new (FALSE, FALSE, sizeof (gunichar)), 0 };
	line_set (&l, initial);
	/* History position: history->len means "the line being edited". */
	guint hpos = history ? history->len : 0;
	g_autofree char *edited = NULL;
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
		draw_line (app, prompt, &l, views && shown == NULL);
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
				result = line_text (&l, 0, l.chars->len);
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
				if (candidates)
					complete (&l, candidates, &shown);
				break;
			case UI_KEY_FN | KEY_LEFT:
			case 2:		/* C-b */
				if (l.cursor > 0)
					l.cursor--;
				break;
			case UI_KEY_FN | KEY_RIGHT:
			case 6:		/* C-f */
				if (l.cursor < l.chars->len)
					l.cursor++;
				break;
			case UI_KEY_FN | KEY_HOME:
			case 1:		/* C-a */
				l.cursor = 0;
				break;
			case UI_KEY_FN | KEY_END:
			case 5:		/* C-e */
				l.cursor = l.chars->len;
				break;
			case UI_KEY_FN | KEY_BACKSPACE:
				if (l.cursor > 0)
					g_array_remove_index (l.chars, --l.cursor);
				else if (l.chars->len == 0)
					done = TRUE;	/* backspace on an empty line cancels, as in less */
				break;
			case UI_KEY_FN | KEY_DC:
			case 4:		/* C-d */
				if (l.cursor < l.chars->len)
					g_array_remove_index (l.chars, l.cursor);
				break;
			case 11:	/* C-k */
				g_array_set_size (l.chars, l.cursor);
				break;
			case 21:	/* C-u */
				g_array_remove_range (l.chars, 0, l.cursor);
				l.cursor = 0;
				break;
			case 23: {	/* C-w: the word before the cursor */
				guint end = l.cursor;
				while (l.cursor > 0 && !is_word (g_array_index (l.chars, gunichar, l.cursor - 1)))
					l.cursor--;
				while (l.cursor > 0 && is_word (g_array_index (l.chars, gunichar, l.cursor - 1)))
					l.cursor--;
				g_array_remove_range (l.chars, l.cursor, end - l.cursor);
				break;
			}
			case UI_KEY_FN | KEY_UP:
			case 16:	/* C-p */
				if (history && hpos > 0) {
					if (hpos == history->len) {
						g_free (edited);
						edited = line_text (&l, 0, l.chars->len);
					}
					hpos--;
					line_set (&l, history->pdata[hpos]);
				}
				break;
			case UI_KEY_FN | KEY_DOWN:
			case 14:	/* C-n */
				if (history && hpos < history->len) {
					hpos++;
					line_set (&l, hpos == history->len ? edited : history->pdata[hpos]);
				}
				break;
			default:
				if (!(key & UI_KEY_FN) && key >= 0x20 && key != 0x7f &&
				    g_unichar_validate ((gunichar) key)) {
					gunichar c = (gunichar) key;
					g_array_insert_val (l.chars, l.cursor, c);
					l.cursor++;
				}
				break;
			}
			if (done || (key = ui_key_read ()) < 0)
				break;
		}
		if (live_changed && !done) {
			g_autofree char *text = line_text (&l, 0, l.chars->len);
			live_changed (text, live_data);
			views = TRUE;
		}
	}
	curs_set (0);
	g_array_unref (l.chars);
	if (result)
		g_strstrip (result);	/* completion leaves a space after the word */
	if (result && history && *result) {
		/* Newest last; no immediate duplicates. */
		if (!history->len || strcmp (history->pdata[history->len - 1], result) != 0)
			g_ptr_array_add (history, g_strdup (result));
	}
	return result;
}
