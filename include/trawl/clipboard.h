/* clipboard.h — copying text out of trawl: to the clipboard through a copy
 * command (wl-copy, xclip, xsel, pbcopy, or the one the config names), else
 * appended to a notes file; and the OSC 52 escape sequence that asks the
 * terminal to set its clipboard (written only when the user turns it on).
 * GLib only; no curses. */
#ifndef TRAWL_CLIPBOARD_H
#define TRAWL_CLIPBOARD_H

#include <glib.h>

G_BEGIN_DECLS

/* How long a copy command may run before it is killed (and the text goes
 * to the notes file instead). */
#define TRAWL_COPY_TIMEOUT_US (5 * G_USEC_PER_SEC)

/* The copy commands to try, in order, each a NULL-terminated argv (newly
 * allocated; free with g_ptr_array_unref).  SETTING, when neither NULL,
 * empty nor "auto", is the only one (split as a shell would, never run by
 * a shell); else the ones found in PATH that fit the environment: wl-copy
 * when WAYLAND_DISPLAY is set, xclip -selection clipboard and then xsel
 * --clipboard --input when DISPLAY is set, and pbcopy.  *ERROR_TEXT (may be
 * NULL) gets what is wrong with SETTING when it cannot be split. */
GPtrArray *trawl_copy_commands (const char *setting, char **error_text);

/* Where trawl_copy() put the text. */
typedef struct {
	gboolean to_notes;	/* FALSE: a copy command took it */
	char *where;		/* the command line that took it, or the notes file's path */
	char *why;		/* to_notes: why no command took it ("no copy command found",
				 * "xclip: exit status 1"); else NULL */
} TrawlCopyResult;

void trawl_copy_result_clear (TrawlCopyResult *r);

/* Copies TEXT: to the first of trawl_copy_commands (SETTING) that takes it
 * on its standard input and exits 0 within TRAWL_COPY_TIMEOUT_US (its
 * stdout and stderr go to /dev/null: a command that stays on to serve the
 * selection is fine), else appends it to the notes file NOTES_PATH.  TRUE
 * and RESULT filled when one of them took it; FALSE with ERROR when the
 * notes file could not be written either (RESULT then holds nothing). */
gboolean trawl_copy (const char *setting, const char *text, const char *notes_path,
		     TrawlCopyResult *result, GError **error);

/* Runs ARGV (PATH searched) with TEXT on its standard input, its output
 * thrown away, for at most TIMEOUT_US (then killed).  TRUE when it exited 0;
 * else FALSE with *WHY (newly allocated) saying what happened. */
gboolean trawl_copy_run (char **argv, const char *text, gint64 timeout_us, char **why);

/* Appends TEXT to the file PATH (its directory made when missing), then a
 * newline when TEXT does not end with one, then a blank line between
 * entries.  FALSE with ERROR when it cannot. */
gboolean trawl_notes_append (const char *path, const char *text, GError **error);

/* The notes file: ARCHIVE/notes.md when NOTMUCH_CONFIG (the database's
 * notmuch config; may be NULL) is the notmuch-config of an archive made by
 * trawl import (a manifest.jsonl beside it); else SETTING when not empty
 * (a leading ~/ is the home directory); else
 * $XDG_DATA_HOME/trawl/notes.md.  Newly allocated. */
char *trawl_notes_path (const char *setting, const char *notmuch_config);

/* The OSC 52 sequence that sets the terminal's clipboard to TEXT:
 * ESC ] 52 ; c ; BASE64 BEL.  Newly allocated. */
char *trawl_osc52 (const char *text);

G_END_DECLS

#endif
