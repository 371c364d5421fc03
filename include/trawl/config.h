/* config.h — trawl's configuration: the compiled-in defaults (the text of
 * src/config/defaults.conf) with the user's file laid over them.  GLib only:
 * no curses, no notmuch.
 *
 * The [options], [commands], [colors] and [searches] sections are read by
 * GLib's GKeyFile; key bindings are trawl's own lines, tig's grammar
 *   bind VIEW KEYS COMMAND [ARGUMENT...]     unbind VIEW KEYS
 * read by trawl's own line parser wherever they stand in the file (the old
 * "command = keys" lines of [keys] and [keys.VIEW] are still read).
 *
 * Every problem (a line that is not "name = value" nor a binding, an unknown
 * section, option, view or command, a value of the wrong kind, a bad key or
 * colour) is recorded as "FILE:LINE: what" and the rest of the file still
 * loads; the caller decides where to show them.  The default bindings are
 * the command table's (trawl/commands.h); the key names themselves are
 * checked by the UI, which reports through trawl_config_binding_problem(). */
#ifndef TRAWL_CONFIG_H
#define TRAWL_CONFIG_H

#include <glib.h>

#include "trawl/commands.h"
#include "trawl/model.h"
#include "trawl/options.h"

G_BEGIN_DECLS

typedef struct TrawlConfig TrawlConfig;

/* The defaults alone; the caller frees it (trawl_config_free). */
TrawlConfig *trawl_config_new (void);
void trawl_config_free (TrawlConfig *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlConfig, trawl_config_free)

/* The text of the compiled-in defaults (static, built once). */
const char *trawl_config_defaults_text (void);

/* The file to read: TRAWL_CONFIG when set, else $XDG_CONFIG_HOME/trawl/config;
 * newly allocated. */
char *trawl_config_default_path (void);

/* Lays the file PATH over the configuration.  A missing file is no error
 * unless MUST_EXIST (a file the user named), which also makes an unreadable
 * one an error; otherwise an unreadable file is a recorded problem.
 * Problems inside the file are recorded, not returned. */
gboolean trawl_config_load_file (TrawlConfig *c, const char *path, gboolean must_exist,
				 GError **error);
/* The same for TEXT, reported as coming from NAME. */
void trawl_config_load_data (TrawlConfig *c, const char *name, const char *text);

/* Records a problem with the setting GROUP/KEY, at the file and line it came
 * from. */
void trawl_config_problem (TrawlConfig *c, const char *group, const char *key,
			   const char *fmt, ...) G_GNUC_PRINTF (4, 5);
/* "FILE:LINE: what", by file (in load order) then line.  Valid until the
 * next problem is recorded. */
GPtrArray *trawl_config_problems (TrawlConfig *c);

/* The configuration in effect, as a config file: the defaults' text and
 * comments with every value the user set, then every binding in effect as a
 * bind (or unbind) line.  Loading it gives the same. */
char *trawl_config_dump (TrawlConfig *c);	/* newly allocated */

/* [options] and [commands], typed (trawl/options.h: the one table of them).
 * Owned by C; valid until C is freed or loads another file. */
const TrawlOptions *trawl_config_options (TrawlConfig *c);
/* Any value by section and name (tests; the options' own code): trawl's
 * code reads options through trawl_config_options. */
char *trawl_config_string (TrawlConfig *c, const char *group, const char *name);	/* newly allocated */
int trawl_config_int (TrawlConfig *c, const char *group, const char *name);
gboolean trawl_config_bool (TrawlConfig *c, const char *group, const char *name);


/* ---- colours ---- */
/* Own attribute bits, mapped to curses by the UI. */
enum {
	TRAWL_STYLE_BOLD = 1 << 0,
	TRAWL_STYLE_DIM = 1 << 1,
	TRAWL_STYLE_UNDERLINE = 1 << 2,
	TRAWL_STYLE_REVERSE = 1 << 3,
	TRAWL_STYLE_ITALIC = 1 << 4,
	TRAWL_STYLE_BLINK = 1 << 5,
	TRAWL_STYLE_STANDOUT = 1 << 6,
};
#define TRAWL_COLOR_DEFAULT (-1)	/* the terminal's own */
typedef struct {
	int fg, bg;		/* 0..255, or TRAWL_COLOR_DEFAULT */
	guint attrs;		/* TRAWL_STYLE_* */
} TrawlStyle;

/* The red, green and blue (0..255) of xterm colour INDEX 16..255: the
 * 6x6x6 cube, then the grey ramp. */
void trawl_color_rgb (int index, int *r, int *g, int *b);
/* Parses "bold yellow on blue"; FALSE with ERROR naming the bad word. */
gboolean trawl_style_parse (const char *text, TrawlStyle *out, GError **error);
/* The style of element NAME ("date", "tag.inbox"); FALSE when not set. */
gboolean trawl_config_style (TrawlConfig *c, const char *name, TrawlStyle *out);
/* Every element name of [colors], in file order (tag.NAME ones included);
 * the caller frees it (g_strfreev). */
GStrv trawl_config_style_names (TrawlConfig *c);

/* ---- saved searches of [searches], in file order, appended to OUT (an
 * array of trawl_named_queries_new: it owns them) ---- */
void trawl_config_searches (TrawlConfig *c, GPtrArray *out);

/* ---- key bindings ---- */
typedef struct {
	char *view;		/* "generic", or one of trawl_config_views */
	char *keys;		/* one key spec, as written: "gg", "C-x", "=" */
	TrawlCommand cmd;	/* TRAWL_CMD_NONE: KEYS do nothing in VIEW */
	char *arg;		/* NULL, or the argument the binding gives */
	char *file;		/* where it was set ("(defaults)" for the table's) */
	guint line;		/* and on which line */
	gboolean user;		/* from a user file, not the defaults */
} TrawlBinding;

/* The bindings in effect, one per VIEW and KEYS as spelt: the defaults' in
 * the command table's order, each binding a file changed moved to the end
 * (so a later binding of the same keys wins).  TrawlBinding *, owned by C. */
GPtrArray *trawl_config_bindings (TrawlConfig *c);

/* Records a problem with binding B (a bad key), at its file and line. */
void trawl_config_binding_problem (TrawlConfig *c, const TrawlBinding *b,
				   const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* The views a binding may name besides "generic" (also the [keys.VIEW]
 * sections still read). */
extern const char *const trawl_config_views[];

/* One line per setting for the manual: "SECTION\tNAME\tDEFAULT\tHELP";
 * newly allocated. */
char *trawl_config_list_settings (void);

G_END_DECLS

#endif
