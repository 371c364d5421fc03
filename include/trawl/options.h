/* options.h — the one table of trawl's settings in [options] and
 * [commands]: name, kind, default, limits, help.  Everything about them is
 * made from it: the typed TrawlOptions struct, the checks of a user's value,
 * the [options] and [commands] sections of the compiled-in defaults (the
 * text --dump-config prints, help as its comments), and --list-settings
 * (which feeds trawl-config(5)).  No option is fetched by a string, and no
 * kind is guessed from how a default is spelled.  GLib only. */
#ifndef TRAWL_OPTIONS_H
#define TRAWL_OPTIONS_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TRAWL_KIND_STRING,	/* any text */
	TRAWL_KIND_INT,		/* a whole number from MIN to MAX */
	TRAWL_KIND_BOOL,	/* true or false */
	TRAWL_KIND_CHOICE,	/* one of the words of CHOICES */
	TRAWL_KIND_COLUMNS,	/* some of the words of CHOICES, in order, at least one */
	TRAWL_KIND_DATE_FORMAT,	/* relative, or a format g_date_time_format() takes */
	TRAWL_KIND_COMMAND,	/* a command line (auto, or CHOICES' keywords) */
	TRAWL_KIND_WIDTH,	/* columns from MIN to MAX, or N% of the screen's width */
} TrawlKind;

/* A width as TRAWL_KIND_WIDTH gives it: N columns, or N percent of the
 * screen's width. */
typedef struct {
	int n;
	gboolean percent;
} TrawlWidth;

/* _(FIELD, GROUP, NAME, KIND, CTYPE, DEFAULT, MIN, MAX, CHOICES, HELP) */
#define TRAWL_OPTIONS(_) \
	_(sort, "options", "sort", TRAWL_KIND_CHOICE, char *, "newest-first", 0, 0, \
	  "newest-first oldest-first most-messages most-matched most-participants", \
	  "Which threads come first: newest-first, oldest-first, or the largest by most-messages (in the thread), most-matched (messages matching the query) or most-participants (distinct authors); the size orders are worked out in the background, the list showing newest first meanwhile.") \
	_(default_query, "options", "default-query", TRAWL_KIND_STRING, char *, "", 0, 0, "", \
	  "The query trawl opens with when none is given on the command line; empty: tag:inbox when any message has that tag, else every message.") \
	_(start_view, "options", "start-view", TRAWL_KIND_CHOICE, char *, "threads", 0, 0, "threads tags saved-searches", \
	  "The view trawl opens over the thread list: threads (the list itself), tags (every tag with its counts) or saved-searches; q goes back to the list.") \
	_(date_format, "options", "date-format", TRAWL_KIND_DATE_FORMAT, char *, "relative", 0, 0, "", \
	  "Dates in the thread list: relative (\"14:05\", \"Yest 14:05\", \"Mar 01\", \"2019-03-01\"), or a strftime(3) format such as %Y-%m-%d %H:%M.") \
	_(author_width, "options", "author-width", TRAWL_KIND_WIDTH, TrawlWidth, "20%", 1, 200, "", \
	  "Columns of the authors field in the thread list (and of the thread view's tree): a number of columns, or a share of the screen's width such as 20% (from 1% to 90%, at least 1 column), which widens with the screen.") \
	_(thread_columns, "options", "thread-columns", TRAWL_KIND_COLUMNS, char *, "date authors count subject tags", 0, 0, \
	  "date authors count subject tags", \
	  "The fields of a thread-list row, in order: date, authors, count, subject, tags.") \
	_(mark_read, "options", "mark-read", TRAWL_KIND_CHOICE, char *, "shown", 0, 0, "shown selected true false", \
	  "When reading removes a message's unread tag: shown, once the screen has been drawn with the message selected (messages passed over by keys typed ahead, such as n n n before the screen caught up, stay unread); selected, every message the cursor lands on in the thread view, typed ahead or not; false, never (true is shown; --no-mark-read is false for one run).") \
	_(dkim_keys, "options", "dkim-keys", TRAWL_KIND_STRING, char *, "", 0, 0, "", \
	  "A directory of DKIM keys for verify (V, :verify, trawl verify): one TXT record per file named SELECTOR._domainkey.DOMAIN, as dig +short prints it; empty: keys from DNS, looked up only when verifying is asked for.") \
	_(quote_fold, "options", "quote-fold", TRAWL_KIND_INT, int, "10", 0, 100000, "", \
	  "A quote longer than this many lines is folded into one line that says how many lines it hides (toggle-quotes shows them); 0 never folds.") \
	_(footer_regex, "options", "footer-regex", TRAWL_KIND_STRING, char *, "", 0, 0, "", \
	  "A regular expression (GLib's, PCRE-like) matched against each line near the end of a text part: a line it matches starts a mailing-list footer, folded into one line like a long quote (toggle-quotes shows it); empty: only the built-in rule (a line of underscores followed by a listinfo or unsubscribe line, as mailman appends).") \
	_(pager_split, "options", "pager-split", TRAWL_KIND_INT, int, "33", 10, 90, "", \
	  "The share of the thread view's rows, in percent, that the thread tree takes above the message (toggle-pager shows the message full screen).") \
	_(wrap_width, "options", "wrap-width", TRAWL_KIND_INT, int, "0", 0, 100000, "", \
	  "Wrap message text at this column; 0 wraps at the width of the window.") \
	_(raw_line_numbers, "options", "raw-line-numbers", TRAWL_KIND_BOOL, gboolean, "false", 0, 0, "", \
	  "The raw source of a message (raw-source) shows each line of the file with its number in front.") \
	_(citation_format, "options", "citation-format", TRAWL_KIND_CHOICE, char *, "plain", 0, 0, "plain markdown", \
	  "The form copy-citation copies a message's citation in (Date as written, From, To, Subject, Message-ID, sha256 of its file): plain (\"Date: ...\" lines) or markdown (a list, the Message-ID and sha256 as code).") \
	_(copy_command, "options", "copy-command", TRAWL_KIND_COMMAND, char *, "auto", 0, 0, "auto", \
	  "The command the copy commands write the text to, on its standard input (wl-copy, xclip -selection clipboard, pbcopy).  auto: wl-copy when WAYLAND_DISPLAY is set, xclip or xsel when DISPLAY is set, pbcopy, whichever is installed.  When none takes the text, it is appended to the notes file.") \
	_(notes_file, "options", "notes-file", TRAWL_KIND_STRING, char *, "", 0, 0, "", \
	  "Where append-note collects quotes with their citations, and copied text goes when no copy command takes it; empty: ARCHIVE/notes.md on an archive made by trawl import, else $XDG_DATA_HOME/trawl/notes.md.") \
	_(osc52, "options", "osc52", TRAWL_KIND_BOOL, gboolean, "false", 0, 0, "", \
	  "The copy commands also send the text to the terminal's clipboard with the OSC 52 escape sequence (the terminal must allow it; over ssh it reaches your own machine's clipboard).") \
	_(html, "commands", "html", TRAWL_KIND_COMMAND, char *, "auto", 0, 0, "auto builtin", \
	  "Turns HTML on standard input into text on standard output.  auto: w3m, lynx or elinks, whichever is installed, run without network access, else the built-in renderer; builtin: always the built-in renderer.") \
	_(open, "commands", "open", TRAWL_KIND_COMMAND, char *, "auto", 0, 0, "auto", \
	  "Opens an attachment file given as its last argument.  auto: xdg-open, else run-mailcap.")

/* The settings in effect, typed.  Owned by the TrawlConfig they come from
 * (trawl_config_options), valid while it lives and is not loaded again. */
typedef struct {
#define TRAWL_OPTION_FIELD(field, group, name, kind, ctype, def, min, max, choices, help) ctype field;
	TRAWL_OPTIONS (TRAWL_OPTION_FIELD)
#undef TRAWL_OPTION_FIELD
} TrawlOptions;

/* One row of the table. */
typedef struct {
	const char *group;
	const char *name;
	TrawlKind kind;
	const char *def;
	int min, max;
	const char *choices;
	const char *help;
} TrawlOptionInfo;

/* The table, in order; *N gets its length.  Static. */
const TrawlOptionInfo *trawl_options_table (gsize *n);
/* The row of GROUP/NAME, or NULL. */
const TrawlOptionInfo *trawl_option_info (const char *group, const char *name);
/* NULL when VALUE is good for the option, else what is wrong (newly
 * allocated). */
char *trawl_option_check (const TrawlOptionInfo *info, const char *value);
/* Reads TEXT ("20", "25%") into *W; FALSE when it is neither (limits are
 * trawl_option_check's). */
gboolean trawl_width_parse (const char *text, TrawlWidth *w);
/* The columns W takes on a screen COLS wide: at least 1, at most COLS. */
int trawl_width_columns (TrawlWidth w, int cols);
/* The [options] and [commands] sections of the defaults, help as comments;
 * newly allocated. */
char *trawl_options_defaults_text (void);

G_END_DECLS

#endif
