/* commands.h — the one table of trawl's commands.
 *
 * Each command has a name (what a config file or the command line will call it),
 * the views it applies to, its default keys and its help text.  The key
 * dispatcher, the help view, `trawl --list-commands` and the documentation are
 * all generated from TRAWL_COMMANDS: add a command here and it exists
 * everywhere; nothing else lists commands.
 *
 * Views: "generic" commands work in every view; others name the views they
 * work in ("search thread").  A view's own keymap is looked up first, then
 * generic.  In the thread view the generic page keys scroll the
 * message, and the generic row keys move between messages.  Keys are names separated by spaces: a printable
 * character stands for itself; others are Up Down Left Right PgUp PgDn Home End
 * Enter Space Tab Backspace Esc F1..F12 and C-x for control keys.
 *
 * A command with an argument (search QUERY, tag OPS) takes it from the `:`
 * command line or a key binding ("tag +spam -inbox"); bound to a key without
 * one, it asks for it.
 */
#ifndef TRAWL_COMMANDS_H
#define TRAWL_COMMANDS_H

#include <glib.h>

G_BEGIN_DECLS

/*        ID              name              argument view    default keys        group       help */
#define TRAWL_COMMANDS(_) \
	_(MOVE_DOWN,      "move-down",      "", "generic", "j Down",           "Movement", "Move to the next row") \
	_(MOVE_UP,        "move-up",        "", "generic", "k Up",             "Movement", "Move to the previous row") \
	_(PAGE_DOWN,      "page-down",      "", "generic", "PgDn Space C-f",   "Movement", "Move one screen down") \
	_(PAGE_UP,        "page-up",        "", "generic", "PgUp C-b",         "Movement", "Move one screen up") \
	_(HALF_DOWN,      "half-page-down", "", "generic", "C-d",              "Movement", "Move half a screen down") \
	_(HALF_UP,        "half-page-up",   "", "generic", "C-u",              "Movement", "Move half a screen up") \
	_(MOVE_FIRST,     "move-first",     "", "generic", "g Home",           "Movement", "Move to the first row") \
	_(MOVE_LAST,      "move-last",      "", "generic", "G End",            "Movement", "Move to the last row (without loading the rows in between)") \
	_(SEARCH,         "search",         "QUERY", "generic", "/ s",              "Searching", "Enter a new notmuch query") \
	_(REFRESH,        "refresh",        "", "search",  "=",                "Searching", "Re-run the query against the current database") \
	_(NARROW,         "narrow",         "QUERY", "search",  "l",                "Searching", "Narrow the results: the current query AND a new term (q widens back)") \
	_(TOGGLE_ORDER,   "toggle-order",   "", "search",  "o",                "Searching", "Flip between newest first and oldest first") \
	_(SORT,           "sort",           "ORDER", "search", "O",               "Searching", "Sort the threads: newest-first, oldest-first, most-messages, most-matched, most-participants (no ORDER: the next one)") \
	_(OPEN_THREAD,    "open-thread",    "", "search",  "Enter",            "Reading",  "Open the selected thread") \
	_(NEXT_MESSAGE,   "next-message",   "", "thread",  "n",                "Reading",  "Show the next message of the thread") \
	_(PREV_MESSAGE,   "previous-message", "", "thread", "p",               "Reading",  "Show the previous message of the thread") \
	_(NEXT_UNREAD,    "next-unread",    "", "thread",  "Tab",              "Reading",  "Show the next unread message") \
	_(NEXT_MATCH,     "next-match",     "", "thread",  "]",                "Reading",  "Show the next message that matched the search") \
	_(PREV_MATCH,     "previous-match", "", "thread",  "[",                "Reading",  "Show the previous message that matched the search") \
	_(LINE_DOWN,      "line-down",      "", "thread",  "J",                "Reading",  "Scroll the message down one line") \
	_(LINE_UP,        "line-up",        "", "thread",  "K",                "Reading",  "Scroll the message up one line") \
	_(COLLAPSE,       "collapse",       "", "thread",  "Left h",           "Reading",  "Hide the replies under the selected message") \
	_(EXPAND,         "expand",         "", "thread",  "Right l",          "Reading",  "Show the replies under the selected message") \
	_(COLLAPSE_OTHERS, "collapse-nonmatching", "", "thread", "c",          "Reading",  "Hide the replies that neither match nor lead to a match") \
	_(EXPAND_ALL,     "expand-all",     "", "thread",  "e",                "Reading",  "Show every message of the thread") \
	_(TOGGLE_PAGER,   "toggle-pager",   "", "thread",  "Enter z",          "Reading",  "Show the message full screen, or back beside the tree") \
	_(TOGGLE_QUOTES,  "toggle-quotes",  "", "thread",  "f",                "Reading",  "Fold or unfold long quotes") \
	_(TOGGLE_HEADERS, "toggle-headers", "", "thread",  "H",                "Reading",  "Show every header, or the usual few") \
	_(NEXT_ALTERNATIVE, "next-alternative", "", "thread", "a",             "Reading",  "Show the next alternative (plain text, HTML) of the message") \
	_(SHOW_DEEP_PARTS, "show-deep-parts", "", "thread", "D",               "Reading",  "Show the parts nested deeper than 32 levels (up to 1024), or hide them again") \
	_(RENDER_ALL,     "render-all",     "", "thread",  "X",                "Reading",  "Render every HTML part of the message with the HTML command, past the render budget (q stops it)") \
	_(TOGGLE_COVERED, "toggle-covered", "", "thread",  "i",                "Reading",  "Hide the covered messages (those a later reply or forward quotes in full), or show them again") \
	_(NEXT_INCLUSIVE, "next-inclusive", "", "thread",  "}",                "Reading",  "Show the next inclusive message (one no later reply quotes in full)") \
	_(PREV_INCLUSIVE, "previous-inclusive", "", "thread", "{",             "Reading",  "Show the previous inclusive message") \
	_(TREE_PARENT,    "tree-parent",    "", "thread",  "^ <",              "Reading",  "Show the message this one replies to (its parent in the tree)") \
	_(TREE_CHILD,     "tree-first-reply", "", "thread", ">",               "Reading",  "Show the first reply to this message") \
	_(TREE_NEXT_SIBLING, "tree-next-sibling", "", "thread", ")",           "Reading",  "Show the next reply to the same message (next sibling in the tree)") \
	_(TREE_PREV_SIBLING, "tree-previous-sibling", "", "thread", "(",       "Reading",  "Show the previous reply to the same message (previous sibling)") \
	_(RAW_SOURCE,     "raw-source",     "", "thread",  "R",                "Reading",  "Show the raw source of the message, or the rendered one") \
	_(FIND,           "find",           "TEXT", "thread", "/",              "Reading",  "Find TEXT in the message as you type (smart case), every hit highlighted; Esc goes back") \
	_(FIND_NEXT,      "find-next",      "", "thread",  ".",                "Reading",  "The next find hit, on into the next messages; with no find, the search's words") \
	_(FIND_PREV,      "find-previous",  "", "thread",  ",",                "Reading",  "The previous find hit, back into the previous messages") \
	_(VERIFY,         "verify",         "", "thread provenance", "V",      "Reading",  "Verify the DKIM signatures of the thread's messages (provenance view: of the message)") \
	_(SAVE_ATTACHMENT, "save-attachment", "", "thread", "S",               "Attachments", "Save an attachment of the message (never overwriting a file)") \
	_(OPEN_ATTACHMENT, "open-attachment", "", "thread", "O",               "Attachments", "Open an attachment with the system's viewer (xdg-open, run-mailcap)") \
	_(PIPE_MESSAGE,   "pipe-message",   "COMMAND", "thread",  "|",                "Attachments", "Pipe the raw message to a shell command") \
	_(PIPE_PART,      "pipe-part",      "", "thread",  "P",                "Attachments", "Pipe one part of the message, decoded, to a shell command") \
	_(COPY_CITATION,  "copy-citation",  "", "thread",  "y",                "Reading",  "Copy a citation of the message (Date as written, From, To, Subject, Message-ID, sha256 of its file; options citation-format, copy-command)") \
	_(COPY_MESSAGE_ID, "copy-message-id", "", "thread", "Y",               "Reading",  "Copy the message's Message-ID") \
	_(COPY_ID_QUERY,  "copy-id-query",  "", "thread",  "#",                "Reading",  "Copy the notmuch query that finds the message (id:...)") \
	_(MARK_LINE,      "quote-start",    "", "thread",  "m",                "Reading",  "Mark the first line on screen of the message as where a quote starts (again: unmark)") \
	_(APPEND_NOTE,    "append-note",    "", "thread",  "N",                "Reading",  "Append the message's citation and the lines on screen (from the marked line to the last one on screen) to the notes file") \
	_(TAG,            "tag",            "OPS", "search thread", "t",          "Tagging",  "Change tags (+tag -tag ...) of the marked threads, else the thread or message") \
	_(ARCHIVE,        "archive",        "", "search thread", "A",          "Tagging",  "Remove the inbox tag") \
	_(TOGGLE_UNREAD,  "toggle-unread",  "", "search thread", "U",          "Tagging",  "Mark as unread, or as read") \
	_(TOGGLE_FLAGGED, "toggle-flagged", "", "search thread", "F",          "Tagging",  "Flag, or unflag") \
	_(UNDO,           "undo",           "", "search thread", "u",          "Tagging",  "Undo the last tag change (again for the one before)") \
	_(TAG_LIST,       "tag-list",       "", "search thread", "T",          "Tagging",  "List every tag with its message and unread counts") \
	_(OPEN_TAG,       "open-tag",       "", "tags",    "Enter",            "Tagging",  "Search the selected tag or saved search") \
	_(CORRESPONDENTS, "correspondents", "", "search thread", "W",          "Views",    "Who wrote to whom in the current query: people by messages sent, received, and sender -> recipient pairs") \
	_(CORR_NARROW,    "open-correspondent", "", "correspondents", "Enter",   "Searching", "Narrow the query to the selected person's messages (sent, received) or pair's, in a thread list") \
	_(CORR_MODE,      "correspondents-mode", "", "correspondents", "v",      "Views",    "Switch between people by messages sent, by messages received, and sender -> recipient pairs") \
	_(CORR_DOMAIN,    "group-by-domain", "", "correspondents", "d",          "Views",    "Group the correspondents by the domain of their address, or not") \
	_(CORR_PERSON,    "correspondents-of", "", "correspondents", "w",        "Views",    "Who the selected person wrote to, or heard from (pressed again: the other way)") \
	_(ATTACHMENTS,    "attachments",    "", "search thread", "E",          "Views",    "Every attachment of the current query (name, type, size, sender, date, sha256), in any order, filtered, identical ones grouped") \
	_(OPEN_MESSAGE_ID, "open-message-id", "ID", "search thread", "I",      "Views",    "Open the thread of a Message-ID (<id>, id:id or id) at that message") \
	_(ATT_OPEN_MESSAGE, "open-attachment-message", "", "attachments", "Enter", "Attachments", "Open the selected attachment's message in its thread, at the attachment") \
	_(ATT_SORT,       "attachments-sort", "COLUMN", "attachments", "o",      "Attachments", "Sort by the next column: date, name, type, size, sender, sha256, count (COLUMN: that one)") \
	_(ATT_REVERSE,    "attachments-reverse", "", "attachments", "r",         "Attachments", "Flip the sort direction") \
	_(ATT_FILTER,     "attachments-filter", "TEXT", "attachments", "f",      "Attachments", "Show only the attachments whose name or type contains TEXT (the list narrows as you type; empty: all)") \
	_(ATT_GROUP,      "attachments-group", "", "attachments", "d",           "Attachments", "Group identical attachments (same sha256) with how many times and by how many people they were sent, or list each") \
	_(ATT_SAVE,       "attachments-save", "", "attachments", "S",            "Attachments", "Save the selected attachment into a directory (never overwriting a file)") \
	_(ATT_OPEN,       "attachments-open", "", "attachments", "O",            "Attachments", "Open the selected attachment with the system's viewer (xdg-open, run-mailcap)") \
	_(SAVED_SEARCHES, "saved-searches", "", "search thread", "B",          "Searching", "List saved searches (notmuch's named queries and trawl's own) with counts") \
	_(SAVE_SEARCH,    "save-search",    "NAME", "search",  "S",                "Searching", "Save the current query under a name") \
	_(MARK,           "mark",           "", "search",  "m",                "Tagging",  "Mark or unmark the thread; tag commands then act on the marked threads") \
	_(MARK_ALL,       "mark-all",       "", "search",  "M",                "Tagging",  "Mark every thread on the screen, or unmark all") \
	_(TAG_QUERY,      "tag-query",      "OPS", "search",  "*",                "Tagging",  "Change tags of every message matching the query (asks first)") \
	_(BATCH,          "batch",          "FILE", "search thread", "b",          "Searching", "Count a batch of terms (one a line in FILE; none: type them between ';', or @FILE) within the current query: messages and threads of (QUERY) and (TERM) for each") \
	_(BATCH_OPEN,     "open-batch-term", "", "batch",  "Enter",            "Searching", "List the threads of the selected term within the query") \
	_(BATCH_SORT,     "toggle-batch-sort", "", "batch", "o",               "Searching", "Sort the terms by message count (most first), or in file order") \
	_(TIMELINE,       "timeline",       "", "search thread", "d",          "Views",    "Show the query's messages per year, month, week or day as bars (Enter lists a bucket's threads)") \
	_(ZOOM_IN,        "zoom-in",        "", "timeline", "+ Right",         "Views",    "Timeline: finer buckets (year, month, week, day)") \
	_(ZOOM_OUT,       "zoom-out",       "", "timeline", "- Left",          "Views",    "Timeline: coarser buckets (day, week, month, year)") \
	_(OPEN_BUCKET,    "open-bucket",    "", "timeline", "Enter",           "Searching", "Timeline: list the threads of the selected bucket, or of the marked range") \
	_(MARK_RANGE,     "mark-range",     "", "timeline", "v",               "Searching", "Timeline: mark where a range of buckets starts; again where it ends lists the range's threads") \
	_(PROVENANCE,     "provenance",     "", "thread", "v",                 "Views",    "Where the message came from: files, sha256, import record, Received chain, authentication") \
	_(EXPORT,         "export",         "[mbox|maildir|eml] PATH", "search thread", "x", "Export", "Export the marked threads, else this thread (thread view: message) to PATH") \
	_(EXPORT_THREAD,  "export-thread",  "[mbox|maildir|eml] PATH", "thread", "C-e",  "Export", "Export every message of the open thread to PATH") \
	_(EXPORT_QUERY,   "export-query",   "[mbox|maildir|eml] PATH", "search", "X",    "Export", "Export every message of the query to PATH (asks first, with the count)") \
	_(EXPORT_STOP,    "export-stop",    "", "generic", "C-c",              "Export", "Stop the export running in the background (a re-run finishes it)") \
	_(COPY_PROVENANCE, "copy-provenance", "", "provenance", "y",           "Views",    "Copy the provenance text (copy-command, else the notes file)") \
	_(COMMAND_LINE,   "command-line",   "", "generic", ":",                "Views",    "Run any command by name, with arguments (Tab completes)") \
	_(HELP,           "help",           "", "generic", "?",                "Views",    "Show the keys of the current view") \
	_(REDRAW,         "redraw",         "", "generic", "C-l",              "Views",    "Redraw the screen") \
	_(QUIT,           "quit",           "", "generic", "q",                "Views",    "Close the current view; quit from the last one") \
	_(QUIT_ALL,       "quit-all",       "", "generic", "Q",                "Views",    "Quit trawl at once")

typedef enum {
	TRAWL_CMD_NONE = 0,
#define TRAWL_CMD_ENUM(id, name, arg, view, keys, group, help) TRAWL_CMD_##id,
	TRAWL_COMMANDS (TRAWL_CMD_ENUM)
#undef TRAWL_CMD_ENUM
	TRAWL_CMD_COUNT
} TrawlCommand;

typedef struct {
	TrawlCommand id;
	const char *name;
	const char *arg;	/* what the command takes after its name ("QUERY"), or "" */
	const char *view;
	const char *keys;
	const char *group;
	const char *help;
} TrawlCommandInfo;

/* The table, TRAWL_CMD_COUNT - 1 entries, in declaration order. */
const TrawlCommandInfo *trawl_commands (gsize *n);
const TrawlCommandInfo *trawl_command_info (TrawlCommand cmd);
TrawlCommand trawl_command_by_name (const char *name);

/* Is WORD one of the space-separated words of LIST ("search thread", a
 * thread's "inbox unread")?  LIST may be NULL. */
gboolean trawl_words_contain (const char *list, const char *word);

/* Splits an invocation "name argument..." at its first blank: returns the
 * name; *ARG is the rest, stripped, or NULL when there is none.  Both newly
 * allocated. */
char *trawl_command_split (const char *text, char **arg);

/* Does COMMAND apply in the view named VIEW (its own or generic)? */
gboolean trawl_command_in_view (const TrawlCommandInfo *info, const char *view);

/* Does CMD write the database (tags, saved searches)?  --read-only refuses
 * these at the key (src/config/writes.c lists them). */
gboolean trawl_command_writes (TrawlCommand cmd);

G_END_DECLS

#endif
