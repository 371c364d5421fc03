/* ui.h — the curses layer's shared face.  Only src/ui and src/main.c include it.
 *
 * Data flows one way: model -> view rows -> ui_put (which sanitises) -> curses.
 * Keys flow the other way: key -> keymap -> command (with its argument, if the
 * binding or the `:` line gave one) -> the top view, then the application's
 * generic handler: movement in the view's list (listnav.c), the tag commands
 * on the view's targets, and the commands of every view. */
#ifndef TRAWL_UI_H
#define TRAWL_UI_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <glib.h>

#include "trawl/commands.h"
#include "trawl/config.h"
#include "trawl/mime.h"
#include "trawl/model.h"
#include "trawl/options.h"
#include "trawl/tags.h"

/* The smallest screen trawl draws on; below it shows a one-line notice. */
#define UI_MIN_COLS 30
#define UI_MIN_ROWS 5

typedef struct App App;
typedef struct View View;

/* ---- listnav.c: movement in a list-shaped view, written once ----
 * move-up/down, page-up/down, half-page-up/down and move-first/last run
 * there for every view that has a list (ViewOps.list), over this interface.
 * A list has two positions: the cursor's row and the first row on screen
 * (the top).  Paging moves both; the cursor is then kept on the screen. */
typedef struct {
	/* Moves the cursor (TOP: the first row on screen) DELTA rows, never
	 * past either end; returns the rows it moved. */
	gsize (*step) (View *v, gboolean top, gssize delta);
	/* Puts the cursor on the first row (LAST: on the last one, found
	 * without walking the rows in between); FALSE: there is none. */
	gboolean (*jump) (View *v, gboolean last);
	/* The first row on screen becomes the cursor's row. */
	void (*top_to_cursor) (View *v);
	/* The cursor's row counted from the top (negative: above it;
	 * G_MAXSSIZE: not known yet). */
	gssize (*cursor_row) (View *v);
	/* Numbered rows take the four above from UI_ROWS_LIST: their
	 * positions are a UiRows ROWS_OFFSET bytes into the view, and COUNT
	 * says how many rows there are.  A pager's lines take them from
	 * UI_PAGER_LIST: its UiPager is ROWS_OFFSET bytes into the view. */
	gsize rows_offset;
	gint64 (*count) (View *v);
	/* The rows the list has on screen; NULL: app_body_rows (). */
	int (*height) (View *v);
	/* Optional: the cursor moved (a view that selects by it follows). */
	void (*moved) (View *v);
} UiListOps;

/* The positions of a list with numbered rows. */
typedef struct {
	gint64 cur;		/* the cursor's row */
	gint64 top;		/* the first row on screen */
} UiRows;

gsize ui_rows_step (View *v, gboolean top, gssize delta);
gboolean ui_rows_jump (View *v, gboolean last);
void ui_rows_top_to_cursor (View *v);
gssize ui_rows_cursor_row (View *v);
/* The list of a view TYPE whose UiRows is its member FIELD; add .count. */
#define UI_ROWS_LIST(type, field) \
	.step = ui_rows_step, .jump = ui_rows_jump, \
	.top_to_cursor = ui_rows_top_to_cursor, .cursor_row = ui_rows_cursor_row, \
	.rows_offset = G_STRUCT_OFFSET (type, field)

/* Runs the movement command CMD in V's list; FALSE: CMD is not one, or V
 * has no list. */
gboolean ui_list_command (View *v, TrawlCommand cmd);
/* Moves the cursor DELTA rows (as move-down does DELTA times). */
void ui_list_move (View *v, gssize delta);
/* Scrolls as little as shows the cursor's row. */
void ui_list_show_cursor (View *v);
/* The rows V's list has on screen (UiListOps.height, else app_body_rows). */
int ui_list_height (View *v);

typedef struct {
	const char *name;	/* keymap name and help title: "search", "help" */
	void (*draw) (View *v);
	/* TRUE when the view took the command; FALSE passes it to the app.
	 * ARG: the command's argument (from `:` or a binding), which the
	 * command takes instead of asking for it; NULL: it asks, if it needs
	 * one. */
	gboolean (*command) (View *v, TrawlCommand cmd, const char *arg);
	/* Optional: the view's list, which the movement commands move in. */
	const UiListOps *list;
	/* Optional: what the tag commands (tag, archive, toggle-unread,
	 * toggle-flagged: the app runs them) act on, for CMD: the message ids
	 * (newly allocated); *WHAT, what the tag prompt calls them ("thread");
	 * *TAGS, the tags of the current row, which the toggles flip (NULL:
	 * none; valid until the view is next asked anything). */
	GPtrArray *(*tag_targets) (View *v, TrawlCommand cmd, const char **what, const char **tags);
	/* Optional: a tag command changed the targets' tags. */
	void (*tagged) (View *v);
	void (*free) (View *v);
	/* Optional: a descriptor to poll, and what to do when it is readable
	 * (TRUE: redraw). */
	int (*wake_fd) (View *v);
	gboolean (*wake) (View *v);
	/* Optional: drop every live notmuch query or iterator before a write
	 * (keeping what it shows: the database refuses a write while one is
	 * alive), and patch what it shows after trawl's own tag CHANGE (NULL:
	 * the write failed and nothing changed).  Never a rebuild. */
	void (*release) (View *v);
	void (*changed) (View *v, const TrawlTagChange *change);
	/* Optional: work that may wait until the screen is up (marking the
	 * shown message read).  TRUE: redraw. */
	gboolean (*after_draw) (View *v);
	/* Optional: the query the view shows (views opened from it, such as
	 * the correspondents, work on it); owned by the view. */
	const char *(*query) (View *v);
} ViewOps;

struct View {
	const ViewOps *ops;
	App *app;
};

/* ---- display.c: the screen ---- */
/* The styled elements; each has a [colors] entry of the same name in the
 * configuration (ui_attr_names in display.c). */
typedef enum {
	UI_ATTR_NORMAL,
	UI_ATTR_TITLE,		/* title bar */
	UI_ATTR_SELECTED,	/* the cursor row, laid over the row's styles */
	UI_ATTR_DATE,
	UI_ATTR_AUTHOR_MATCHED,
	UI_ATTR_AUTHOR_OTHER,
	UI_ATTR_COUNT,
	UI_ATTR_SUBJECT,
	UI_ATTR_TAGS,
	UI_ATTR_UNREAD,		/* laid over a row with the unread tag */
	UI_ATTR_FLAGGED,	/* laid over a row with the flagged tag */
	UI_ATTR_MARKED,		/* laid over a marked row */
	UI_ATTR_MESSAGE,	/* bottom line notices */
	UI_ATTR_ERROR,		/* bottom line errors */
	UI_ATTR_HEADING,	/* help headings */
	UI_ATTR_HEADING_LABEL,	/* "From:" in the message pane */
	UI_ATTR_HEADER_VALUE,
	UI_ATTR_QUOTE1,		/* quote levels, cycling */
	UI_ATTR_QUOTE2,
	UI_ATTR_QUOTE3,
	UI_ATTR_QUOTE4,
	UI_ATTR_SIGNATURE,
	UI_ATTR_PART,		/* part markers and attachments */
	UI_ATTR_SEPARATOR,	/* the line between tree and message */
	UI_ATTR_TREE,		/* the thread tree's lines */
	UI_ATTR_FIND_HIT,	/* find hits and the search's terms in the message (find.c) */
	UI_ATTR_COUNT_
} UiAttr;

/* Sets up curses and the styles of CONFIG (NULL: the defaults). */
void ui_display_init (TrawlConfig *config);
void ui_display_end (void);
gboolean ui_too_small (void);
void ui_draw_too_small (void);
attr_t ui_attr (UiAttr a);
/* TOP laid over BASE: attributes add up, TOP's colours win where it has any. */
attr_t ui_attr_over (attr_t base, attr_t top);
/* The style of tag NAME: its tag.NAME colour, else the tags style. */
attr_t ui_tag_attr (const char *name);
/* The row.tag.NAME styles of the space-separated TAGS, laid over each other
 * in tag order (0 when none is set). */
attr_t ui_row_attr (const char *tags);
/* Draws the space-separated TAGS, each in its own style laid over BASE
 * (the selection), in "(a b c)" form when PARENS; returns the columns used. */
int ui_put_tags (int y, int x, int width, const char *tags, gboolean parens, attr_t base);
/* Puts TEXT (from anywhere: it is sanitised here) at Y,X clipped to WIDTH
 * columns; returns the columns used. */
int ui_put (int y, int x, int width, const char *text, attr_t attr);
/* Same, then pads with spaces up to WIDTH columns. */
void ui_put_padded (int y, int x, int width, const char *text, attr_t attr);
/* Fills row Y from column X to the right edge with spaces in ATTR. */
void ui_fill (int y, int x, attr_t attr);
/* Title bar on row 0: LEFT and a right-aligned RIGHT. */
void ui_title (const char *left, const char *right);
/* A mark every title bar starts with ("[read-only]"), or NULL. */
void ui_title_mark (const char *mark);

/* ---- pager.c: a scrollable pane of lines, written once ----
 * The message pane (split or full screen), the raw source and the help text.
 * Lines are drawn as given (ui_put sanitises them); the top is the first
 * line shown, kept by scrolling within the last screenful of the height
 * given. */
typedef struct {
	UiAttr style;		/* the text's; UI_ATTR_NORMAL: plain (the terminal's colours) */
	char *label;		/* NULL, or drawn first in the header-label style, then a space */
	char *text;
} UiPagerLine;

typedef struct {
	GPtrArray *lines;	/* UiPagerLine * */
	gint64 top;		/* the first line shown */
	/* Hits to highlight (TrawlFindHit, in order; not owned: find.c's), and
	 * the current one (-1: none). */
	const GArray *hits;
	gint64 hit_cur;
} UiPager;

void ui_pager_init (UiPager *p);
/* Drops the lines (to be built again: the top stays, until scrolled or
 * clamped). */
void ui_pager_clear (UiPager *p);
void ui_pager_dispose (UiPager *p);
guint ui_pager_len (const UiPager *p);
/* Adds one line (copies LABEL, may be NULL, and TEXT). */
void ui_pager_add (UiPager *p, UiAttr style, const char *label, const char *text);
/* Adds TEXT (any: tabs expanded, sanitised) wrapped to WIDTH columns, LABEL
 * (sanitised) before the first line and blanks as wide before the rest. */
void ui_pager_add_wrapped (UiPager *p, UiAttr style, const char *label, const char *text, int width);
/* The last top on a screen HEIGHT rows high; is the top there? */
gint64 ui_pager_max_top (const UiPager *p, int height);
gboolean ui_pager_at_end (const UiPager *p, int height);
/* Scrolls DELTA lines (negative: up) on a screen HEIGHT rows high, never
 * past either end; returns the lines it moved. */
gsize ui_pager_scroll (UiPager *p, int height, gint64 delta);
/* To the first line (END: to the last screenful). */
void ui_pager_jump (UiPager *p, int height, gboolean end);
/* Runs line-up/down, page-up/down (a page is HEIGHT - 1 lines, as in
 * less), half-up/down and move-first/last on P; FALSE: CMD is none of them. */
gboolean ui_pager_command (UiPager *p, int height, TrawlCommand cmd);
/* How far down the last line shown is, in percent of the lines. */
int ui_pager_percent (const UiPager *p, int height);
/* Brings the top back within the last screenful of HEIGHT rows (the lines
 * or the height changed since it was set). */
void ui_pager_clamp (UiPager *p, int height);
/* Draws the lines from the top into the rectangle at Y,X of WIDTH x HEIGHT. */
void ui_pager_draw (UiPager *p, int y, int x, int width, int height);
/* A view that is a pager (help): its list (listnav.c) is the lines that can
 * be first on the screen, and its cursor is the first line shown. */
gsize ui_pager_list_step (View *v, gboolean top, gssize delta);
gboolean ui_pager_list_jump (View *v, gboolean last);
void ui_pager_list_top_to_cursor (View *v);
gssize ui_pager_list_cursor_row (View *v);
/* The list of a view TYPE whose UiPager is its member FIELD. */
#define UI_PAGER_LIST(type, field) \
	.step = ui_pager_list_step, .jump = ui_pager_list_jump, \
	.top_to_cursor = ui_pager_list_top_to_cursor, .cursor_row = ui_pager_list_cursor_row, \
	.rows_offset = G_STRUCT_OFFSET (type, field)

/* ---- keys.c: key names, key codes and keymaps ---- */
/* A key: a Unicode character, or UI_KEY_FN | an ncurses KEY_* code. */
#define UI_KEY_FN 0x40000000
int ui_key_parse (const char *name);
char *ui_key_name (int key);	/* newly allocated */
/* Reads one key without blocking: -1 when none is waiting.  Keys held
 * back by ui_key_hold() come first, oldest first. */
int ui_key_read (void);
/* The terminal's next key only (the held ones left alone). */
int ui_key_read_terminal (void);
/* Keeps KEY for ui_key_read(): a key read ahead (while a render runs, to
 * see whether it is q) is handled in its turn, not lost. */
void ui_key_hold (int key);
gboolean ui_key_held (void);
/* For work done in the foreground between keys (a render, a verification):
 * reads the keys typed meanwhile without waiting; TRUE when one of them is
 * C-c or a key that quits in VIEW (q, Q), which the work stops for.  Every
 * other key is held for the main loop, in order. */
gboolean ui_key_interrupted (const char *view);
/* TEXT on the bottom line (the message colours) on the terminal now, not at
 * the next draw: the notice of work that holds the main loop (notice.c). */
void ui_notice_now (const char *text);
/* "gg", "C-x", "M-f", "<C-x>s" -> the keys (ints) in OUT; FALSE when SPEC
 * names no key, or more than four. */
gboolean ui_key_spec_parse (const char *spec, GArray *out);
/* "g g", for messages; newly allocated. */
char *ui_key_seq_name (const int *keys, guint n);

typedef struct {
	TrawlCommand cmd;
	char *arg;		/* NULL, or the argument the binding gives */
	char *spec;		/* as written: "gg" */
	char *seq;		/* the keys, as the keymap's hash key */
	gboolean user;		/* from the user's config */
} UiBinding;

/* Builds the keymaps from CFG's bindings (NULL: the defaults), reporting bad
 * keys as CFG's problems.  Idempotent; ui_keymap_free() starts over. */
void ui_keymap_init (TrawlConfig *cfg);
void ui_keymap_free (void);
/* The binding of the keys KEYS[0..N) in VIEW (its own keymap first, then the
 * generic one), or NULL; IS_PREFIX: a longer binding starts with them. */
const UiBinding *ui_keymap_match (const char *view, const int *keys, guint n, gboolean *is_prefix);
const UiBinding *ui_keymap_match_seq (const char *view, const char *seq);
TrawlCommand ui_keymap_lookup (const char *view, int key);
/* The bindings that take effect in VIEW, in binding order (UiBinding *, not
 * owned). */
GPtrArray *ui_keymap_effective (const char *view);
/* The keys bound to CMD (without an argument) in VIEW, as "j Down", newly
 * allocated. */
char *ui_keymap_keys (const char *view, TrawlCommand cmd);

/* ---- prompt.c: the line editor on the bottom row ---- */
/* Edits a line after PROMPT, starting from INITIAL; Up/Down walk HISTORY
 * (newest last).  Returns the text (newly allocated; so are the other
 * prompts' answers), or NULL when cancelled. */
char *ui_prompt (App *app, const char *prompt, const char *initial, GPtrArray *history);
/* The same, with Tab completing the word before the cursor from CANDIDATES
 * (char *, may be NULL). */
char *ui_prompt_complete (App *app, const char *prompt, const char *initial, GPtrArray *history,
			  GPtrArray *candidates);
/* Like ui_prompt, calling CHANGED with the text after every key (a list
 * that narrows as the user types); NULL when cancelled. */
char *ui_prompt_live (App *app, const char *prompt, const char *initial,
		      void (*changed) (const char *text, gpointer data), gpointer data);
/* Asks for a query, completing tag:NAME, with the search history (kept
 * across runs). */
char *ui_search_prompt (App *app, const char *prompt);
/* The `:` command line: completes from CANDIDATES (and from:/to:
 * addresses), with its own history. */
char *ui_command_prompt (App *app, const char *prompt, GPtrArray *candidates);
/* Asks for tag operations ("+tag -tag"), completing tag names. */
char *ui_tag_prompt (App *app, const char *prompt);
/* Asks QUESTION, answered by one key without Enter: TRUE for y or Y;
 * FALSE for n, N, q, Esc or C-g; other keys are ignored.  Every y/n
 * question goes through it. */
gboolean ui_ask_yes_no (App *app, const char *question);
/* Asks "VERB NOUN (1-N) [1]: " which of N things (the only one, when N is
 * 1), with an empty line: Enter alone takes the first; returns its index
 * from 0, or -1 (cancelled, or not one of them: said on the bottom line as
 * "No NOUN 7 (there are N)"). */
int ui_pick (App *app, const char *verb, const char *noun, guint n);
/* The same, with LISTING (what the numbers are) on the row above the
 * prompt while it asks. */
int ui_pick_listed (App *app, const char *verb, const char *noun, guint n, const char *listing);
/* The prompts' work counts, as "name value" lines (newly allocated), for
 * TRAWL_STATS: prompt_work, the characters looked at to draw the window of
 * the line; prompt_redraws, the times the line was drawn. */
char *ui_prompt_stats_text (void);

/* ---- external.c: other programs on the terminal ---- */
/* Leaves curses, runs ARGV (PATH searched) with STDIN_PATH (or the terminal)
 * as standard input, optionally waits for Enter, and restores the screen.
 * Returns the exit status, or -1 with ERROR set when it could not start. */
int ui_run_external (char **argv, const char *stdin_path, gboolean wait_key, GError **error);

/* ---- attachments.c: the parts of the shown message, handed on ----
 * R is the message as rendered (NULL: it could not be read), FILENAME its
 * file.  Each asks which attachment (or part) when there is more than one
 * (ui_pick), and says on the bottom line what came of it. */
/* Saves an attachment into a directory the user names (never overwriting). */
void ui_attachment_save (App *app, const TrawlRendered *r, const char *filename);
/* Opens an attachment with [commands] open, xdg-open or run-mailcap, from a
 * private temporary directory (removed when trawl ends). */
void ui_attachment_open (App *app, const TrawlRendered *r, const char *filename);
/* Pipes a decoded part to a shell command the user types. */
void ui_part_pipe (App *app, const TrawlRendered *r, const char *filename);
/* The same for one part, numbered INDEX in FILENAME, saved as SAFE_NAME;
 * CONTENT_TYPE chooses the viewer (attachments view). */
void ui_attachment_save_part (App *app, const char *filename, int index, const char *safe_name);
void ui_attachment_open_part (App *app, const char *filename, int index, const char *safe_name,
			      const char *content_type);
/* Runs the shell command COMMAND (NULL: one the user types) with the file
 * INPUT on its standard input. */
void ui_pipe_file (App *app, const char *input, const char *command);
/* The number the prompts give part INDEX: 1 for the first attachment, and
 * so on. */
int ui_attachment_ordinal (const TrawlRendered *r, int index);

/* ---- export_ui.c: export, export-thread, export-query, export-stop ----
 * The export runs in the background (its own read-only database handle);
 * the main loop polls ui_export_wake_fd () (-1: none running) and calls
 * ui_export_wake () when it is readable (TRUE: redraw); app_draw calls
 * ui_export_draw () for the progress line when the bottom line is free. */
gboolean ui_export_command (App *app, View *v, TrawlCommand cmd, const char *arg);
int ui_export_wake_fd (void);
/* Before quitting: TRUE when no export runs, or the user agreed to stop it
 * (asked with one key; the export is stopped cleanly, .incomplete left). */
gboolean ui_export_may_quit (App *app);
gboolean ui_export_wake (App *app);
void ui_export_draw (App *app);
/* ---- copy.c: copying and citing ---- */
/* Copies TEXT with the copy command ([options] copy-command, else one found
 * for the display), else appends it to the notes file; with osc52 on, also
 * sends it to the terminal's clipboard.  Says on the bottom line where WHAT
 * ("the citation") went ("Copied to notes: PATH"). */
void ui_copy_text (App *app, const char *text, const char *what);
/* copy-citation, copy-message-id or copy-id-query (CMD) for the message in
 * FILENAME whose notmuch id is MESSAGE_ID. */
void ui_copy_message (App *app, TrawlCommand cmd, const char *filename, const char *message_id);
/* Appends the citation of FILENAME and PANE's lines FIRST..LAST (as drawn:
 * label, space, text) to the notes file. */
void ui_append_note (App *app, const char *filename, const UiPager *pane, gint64 first, gint64 last);

/* ---- app.c: the view stack and the main loop ---- */
/* Has SIGTERM or SIGHUP asked trawl to end?  (Modal loops give up.) */
gboolean ui_terminating (void);
struct App {
	TrawlDb *db;
	GPtrArray *views;	/* View *, top last */
	char *message;		/* bottom line, sanitised when drawn */
	gboolean message_is_error;
	GPtrArray *search_history;
	GPtrArray *pipe_history;
	GPtrArray *command_history;	/* of the `:` line, this run only */
	GPtrArray *temp_dirs;	/* removed at exit: attachments handed to viewers */
	char *save_dir;		/* where the last attachment was saved */
	const char *html_command;	/* NULL: the MIME layer's choice; "": built-in */
	gboolean db_change_noticed;	/* told the user; reset by a refresh */
	TrawlJournal *journal;	/* trawl's own tag changes, for undo */
	gboolean mark_read;	/* showing a message removes its unread tag */
	gboolean quit;
	TrawlConfig *config;	/* options, colours, bindings (owned) */
	/* [options] and [commands], read once from the configuration. */
	char *date_format;	/* "relative" or a strftime-like format */
	int date_width;		/* the columns it takes */
	int author_width;	/* columns, at the screen's width when last drawn */
	TrawlWidth author_width_setting;	/* columns, or a share of the width */
	GStrv columns;		/* thread-list fields, in order */
	int quote_fold;		/* fold quotes longer than this; 0 never */
	int pager_split;	/* percent of the thread view's rows for the tree */
	int wrap_width;		/* 0: the window's width */
	char *open_command;	/* "auto", or a command line for attachments */
	/* Keys typed so far of a longer binding (gg), and when they timed out. */
	GArray *pending;
	gint64 pending_since;
	TrawlHtmlCache *html_cache;	/* rendered HTML parts, shared by every render */
	TrawlRenderStats render_stats;	/* every render's counts added up (TRAWL_STATS) */
	guint renders_interrupted;
};

/* Takes CONFIG. */
App *app_new (TrawlDb *db, TrawlConfig *config);
/* Runs CMD with ARG (NULL: the command asks, if it needs one) in the top
 * view, else as a generic command. */
void app_run_command (App *app, TrawlCommand cmd, const char *arg);
void app_free (App *app);
void app_push (App *app, View *v);
void app_pop (App *app);
View *app_top (App *app);	/* owned by the app's stack */
/* Applies OPS_TEXT ("+a -b") to the messages IDS, the safe way: every view
 * releases its notmuch iterators first, a progress line shows for long
 * changes, a locked database is offered a retry, and the change goes on the
 * undo stack when UNDOABLE.  Every view is refreshed afterwards.  TRUE when
 * the tags were changed (or had nothing to change). */
gboolean app_apply_tags (App *app, GPtrArray *ids, const char *ops_text, gboolean undoable);
/* Undoes the newest change on the undo stack. */
void app_undo (App *app);
/* The search history lives in $XDG_STATE_HOME/trawl/search-history. */
void app_history_load (App *app);
void app_history_save (App *app);
void app_message (App *app, gboolean error, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
void app_draw (App *app);
int app_run (App *app);
/* The render counters, for TRAWL_STATS: "render_NAME N" lines. */
char *app_render_stats_text (App *app);
/* The number of rows between the title bar and the message line. */
int app_body_rows (void);

/* ---- the views: each returns a view the caller pushes (app_push: the app
 * owns it from then on, and frees it when popped) ---- */
View *search_view_new (App *app, const char *query, GError **error);
/* The same in the order SORT (the list is built once, in that order). */
View *search_view_new_sorted (App *app, const char *query, TrawlSort sort, GError **error);
/* Opens QUERY's thread list over the current view (NULL: asks for it). */
void search_view_open (App *app, const char *query);
View *help_view_new (App *app, const char *for_view);
View *thread_view_new (App *app, const char *thread_id, const char *query, GError **error);
View *tag_view_new (App *app);
View *saved_view_new (App *app);
/* The correspondents of QUERY (corr_view.c). */
View *corr_view_new (App *app, const char *query);
/* Counts a batch of terms within QUERY (the current view's): the terms of
 * the file ARG, or (ARG NULL) typed at a prompt, ';' between them, or
 * @FILE; pushes the batch view. */
void batch_view_open (App *app, const char *query, const char *arg);
/* The attachments of QUERY (att_view.c). */
View *att_view_new (App *app, const char *query);
/* The thread THREAD_ID with message MESSAGE_ID selected and its pane
 * scrolled to the line of part PART (thread_view.c). */
View *thread_view_new_at (App *app, const char *thread_id, const char *query, const char *message_id,
			  int part, GError **error);
/* When V is a thread view of thread THREAD_ID: selects MESSAGE_ID there
 * (unfolding what hides it) and returns TRUE (thread_view.c). */
gboolean thread_view_show_message (View *v, const char *thread_id, const char *message_id);
/* open-message-id: the thread of the Message-ID ARG (NULL: asks) at that
 * message, or a message saying there is none (msgid_open.c). */
void ui_open_message_id (App *app, const char *arg);
/* The messages of QUERY per year, month, week or day (timeline_view.c);
 * NEWEST_FIRST: the newest bucket on top. */
View *timeline_view_new (App *app, const char *query, gboolean newest_first);
/* Opens QUERY's timeline over the current view, in the order of the nearest
 * thread list below it. */
void timeline_view_open (App *app, const char *query);
/* The provenance of message MESSAGE_ID (prov_view.c); NULL with ERROR when
 * there is no such message. */
View *prov_view_new (App *app, const char *message_id, GError **error);
/* The order of thread list V (a view named "search"). */
TrawlSort search_view_sort (View *v);

/* dkim_ui.c: DKIM results for the session, by Message-ID (verify, V).
 * ui_dkim_verify_messages verifies MESSAGES (TrawlMessage *) not verified
 * yet and says how many failed; ui_dkim_line is the pane's "DKIM:" text
 * (sanitised; NULL: not verified); ui_dkim_failed marks the tree row. */
guint ui_dkim_verify_messages (App *app, GPtrArray *messages);
const char *ui_dkim_line (const char *message_id);
/* Per signature, one line each ("d=example.com s=sel1 a=rsa-sha256:
 * verified"), sanitised; NULL: not verified or not readable. */
const char *ui_dkim_detail (const char *message_id);
/* Verifies one message (the provenance view's V) unless done already, and
 * says the result on the bottom line; TRUE when it failed. */
gboolean ui_dkim_verify_file (App *app, const char *message_id, const char *path);
gboolean ui_dkim_failed (const char *message_id);

/* find.c: find in the message pane (find, find-next, find-previous) and
 * the search's words highlighted in it.  The thread view holds a UiFind
 * and is its host: it gives the pane (rendered, its lines current) and
 * moves between messages when the hits of one run out. */
typedef struct UiFind UiFind;
typedef struct {
	/* The pane of the selected message, its lines built. */
	UiPager *(*pane) (View *v);
	int (*height) (View *v);
	/* The selected message; select message I (its pane at the top). */
	int (*selected) (View *v);
	void (*select) (View *v, int i);
	/* The message after (DIR 1) or before (-1) the selected one in the
	 * tree's order, or -1. */
	int (*neighbour) (View *v, int dir);
} UiFindHost;
/* QUERY: the search the thread was opened from (its words highlighted). */
UiFind *ui_find_new (const char *query);
void ui_find_free (UiFind *f);
/* The pane's lines were built again: the hits are found again. */
void ui_find_invalidate (UiFind *f);
/* Finds the hits if out of date and lends them to P for drawing. */
void ui_find_sync (UiFind *f, UiPager *p);
/* Runs find, find-next, find-previous; FALSE: CMD is none of them. */
gboolean ui_find_command (UiFind *f, View *v, const UiFindHost *host, TrawlCommand cmd, const char *arg);
/* ", find 3/17" for the title (newly allocated; "" when there is no find). */
char *ui_find_status (UiFind *f);

#endif
