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

/* How trawl_process_capture() runs its program.  Zero-initialised: trawl's
 * environment, an empty stdin, no output cap, no time limit, stderr to
 * trawl's own. */
typedef struct {
	char **envp;		/* the program's environment; NULL: trawl's.  Borrowed for the call */
	const char *input;	/* written to its stdin, which is then closed; borrowed for the call */
	gsize input_len;
	gsize output_cap;	/* stdout kept up to this many bytes; more ends the program (0: no cap) */
	gint64 timeout_us;	/* the program and its process group are killed after this (0: never) */
	gboolean stderr_to_null;	/* its stderr goes to /dev/null instead of trawl's */
	/* Asked at least every TRAWL_CAPTURE_POLL_MS while the program runs
	 * (NULL: never): TRUE kills the program and its group at once (the
	 * user pressed q while an HTML part was being rendered). */
	gboolean (*cancel) (gpointer data);
	gpointer cancel_data;
} TrawlCaptureOptions;

#define TRAWL_CAPTURE_POLL_MS 50

/* What trawl_process_capture() saw. */
typedef struct {
	char *output;		/* stdout (at most output_cap bytes), NUL-terminated (it may hold
				 * NULs: see ->output_len); owned by the result, freed by
				 * trawl_capture_result_clear() */
	gsize output_len;
	int status;		/* exit status, or 128 + the signal that ended it (SIGKILL when
				 * trawl killed it); -1 when unknown */
	gboolean timed_out;	/* killed because timeout_us passed */
	gboolean output_cut;	/* killed because stdout passed output_cap (->output holds the first
				 * output_cap bytes) */
	gboolean cancelled;	/* killed because opts->cancel said so */
} TrawlCaptureResult;

/* Runs ARGV (PATH searched) with OPTS->input on its stdin and captures its
 * stdout, with trawl_process_run()'s signal discipline.  The program runs in
 * a process group of its own, so that a time limit or the output cap kills
 * whatever it started too (a Ctrl-C at the terminal reaches neither it nor
 * trawl: the time limit is what bounds it).  Its stdin is a pipe (elinks
 * cannot read a socket).  A program that quits without reading its input is
 * fine: no SIGPIPE reaches trawl, whether or not it ignores SIGPIPE.  Returns TRUE and fills RESULT
 * (which the caller clears with trawl_capture_result_clear()) once the
 * program has ended, however it ended (killed for the time limit or the
 * cap: once it is dead, before its pipes close); FALSE with ERROR when it
 * could not start, RESULT then holding nothing to free. */
gboolean trawl_process_capture (char **argv, const TrawlCaptureOptions *opts,
				TrawlCaptureResult *result, GError **error);

/* Frees what RESULT holds and zeroes it (RESULT itself is the caller's). */
void trawl_capture_result_clear (TrawlCaptureResult *result);

/* ARG as a shell word: as it is when made only of letters, digits and
 * @%+=:,./_- , else shell-quoted ('' for an empty one).  Newly allocated. */
char *trawl_shell_word (const char *arg);
/* PROG and ARGV[0..ARGC) as one shell command line that would run them
 * again, each argument a trawl_shell_word().  For the records of a run (the
 * import and export manifests).  Newly allocated. */
char *trawl_command_line (const char *prog, int argc, char **argv);

G_END_DECLS

#endif
