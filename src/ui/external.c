/* external.c — handing the terminal to another program (a pipe command, an
 * attachment viewer) and taking it back. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trawl/process.h"
#include "ui.h"

int
ui_run_external (char **argv, const char *stdin_path, gboolean wait_key, GError **error)
{
	int in_fd = -1;
	if (stdin_path) {
		in_fd = open (stdin_path, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
				     "cannot read %s: %s", stdin_path, g_strerror (errno));
			return -1;
		}
	}
	def_prog_mode ();
	endwin ();
	fflush (stdout);
	/* The command gets the real terminal for stdout and stderr (trawl's own
	 * stderr is captured into a file while curses runs).  Ctrl-C ends the
	 * command, not trawl (core/process.c). */
	int tty_fd = open ("/dev/tty", O_WRONLY | O_CLOEXEC);
	int out_fd = tty_fd >= 0 ? tty_fd : 1;
	int status = trawl_process_run (argv, in_fd, out_fd, out_fd, error);
	gboolean ok = status >= 0;
	if (ok) {
		if (wait_key && tty_fd >= 0) {
			char msg[128];
			int n = snprintf (msg, sizeof msg, "\n[%s exited with status %d] Press Enter to return to trawl",
					  argv[0], status);
			if (write (tty_fd, msg, n) < 0) {
				/* nothing to do: the key below still returns */
			}
			int c;
			nodelay (stdscr, FALSE);
			do
				c = getch ();
			while (c != '\n' && c != '\r' && c != KEY_ENTER && c != 'q' && c != ERR);
			nodelay (stdscr, TRUE);
		}
	}
	if (tty_fd >= 0)
		close (tty_fd);
	if (in_fd >= 0)
		close (in_fd);
	reset_prog_mode ();
	clearok (curscr, TRUE);
	refresh ();
	return ok ? status : -1;
}
