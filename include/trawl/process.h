/* process.h — running another program the way system(3) does: while it
 * runs, trawl ignores SIGINT and SIGQUIT (Ctrl-C at a pipe command ends the
 * command, never trawl), and the program starts with every signal at its
 * default.  GLib only; no curses. */
#ifndef TRAWL_PROCESS_H
#define TRAWL_PROCESS_H

#include <glib.h>

G_BEGIN_DECLS

/* Runs ARGV (PATH searched) with IN_FD, OUT_FD and ERR_FD as its standard
 * streams (-1: trawl's own) and waits for it.  Returns its exit status, or
 * 128 + the signal that ended it; -1 with ERROR when it could not start. */
int trawl_process_run (char **argv, int in_fd, int out_fd, int err_fd, GError **error);

G_END_DECLS

#endif
