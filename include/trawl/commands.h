/* commands.h — the one table of trawl's commands.
 *
 * Each command has a name (what a config file or the command line will call it),
 * the views it applies to, its default keys and its help text.  The key
 * dispatcher, the help view, `trawl --list-commands` and the documentation are
 * all generated from TRAWL_COMMANDS: add a command here and it exists
 * everywhere; nothing else lists commands.
 *
 * Views: "generic" commands work in every view; a view's own keymap is looked
 * up first, then generic.  Keys are names separated by spaces: a printable
 * character stands for itself; others are Up Down Left Right PgUp PgDn Home End
 * Enter Space Tab Backspace Esc F1..F12 and C-x for control keys.
 */
#ifndef TRAWL_COMMANDS_H
#define TRAWL_COMMANDS_H

#include <glib.h>

G_BEGIN_DECLS

/*        ID              name              view       default keys        group       help */
#define TRAWL_COMMANDS(_) \
	_(MOVE_DOWN,      "move-down",      "generic", "j Down",           "Movement", "Move to the next row") \
	_(MOVE_UP,        "move-up",        "generic", "k Up",             "Movement", "Move to the previous row") \
	_(PAGE_DOWN,      "page-down",      "generic", "PgDn Space C-f",   "Movement", "Move one screen down") \
	_(PAGE_UP,        "page-up",        "generic", "PgUp C-b",         "Movement", "Move one screen up") \
	_(HALF_DOWN,      "half-page-down", "generic", "C-d",              "Movement", "Move half a screen down") \
	_(HALF_UP,        "half-page-up",   "generic", "C-u",              "Movement", "Move half a screen up") \
	_(MOVE_FIRST,     "move-first",     "generic", "g Home",           "Movement", "Move to the first row") \
	_(MOVE_LAST,      "move-last",      "generic", "G End",            "Movement", "Move to the last row (without loading the rows in between)") \
	_(SEARCH,         "search",         "generic", "/ s",              "Searching", "Enter a new notmuch query") \
	_(REFRESH,        "refresh",        "search",  "=",                "Searching", "Re-run the query against the current database") \
	_(TOGGLE_ORDER,   "toggle-order",   "search",  "o",                "Searching", "Flip between newest first and oldest first") \
	_(HELP,           "help",           "generic", "?",                "Views",    "Show the keys of the current view") \
	_(REDRAW,         "redraw",         "generic", "C-l",              "Views",    "Redraw the screen") \
	_(QUIT,           "quit",           "generic", "q",                "Views",    "Close the current view; quit from the last one") \
	_(QUIT_ALL,       "quit-all",       "generic", "Q",                "Views",    "Quit trawl at once")

typedef enum {
	TRAWL_CMD_NONE = 0,
#define TRAWL_CMD_ENUM(id, name, view, keys, group, help) TRAWL_CMD_##id,
	TRAWL_COMMANDS (TRAWL_CMD_ENUM)
#undef TRAWL_CMD_ENUM
	TRAWL_CMD_COUNT
} TrawlCommand;

typedef struct {
	TrawlCommand id;
	const char *name;
	const char *view;
	const char *keys;
	const char *group;
	const char *help;
} TrawlCommandInfo;

/* The table, TRAWL_CMD_COUNT - 1 entries, in declaration order. */
const TrawlCommandInfo *trawl_commands (gsize *n);
const TrawlCommandInfo *trawl_command_info (TrawlCommand cmd);
TrawlCommand trawl_command_by_name (const char *name);

/* Does COMMAND apply in the view named VIEW (its own or generic)? */
gboolean trawl_command_in_view (const TrawlCommandInfo *info, const char *view);

G_END_DECLS

#endif
