/* process.c — one way to run another program: system(3)'s discipline.
 *
 * A pipe command runs in the foreground of the terminal, in trawl's process
 * group: Ctrl-C there sends SIGINT to both.  The command must die of it and
 * trawl must not (it would leave the terminal as curses set it), so the
 * parent ignores SIGINT and SIGQUIT until the child is reaped, and the child
 * puts them back to their defaults before exec (an ignored signal would
 * otherwise stay ignored across exec). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "trawl/process.h"

static void
child_setup (gpointer data)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP, SIGTSTP, SIGWINCH, SIGCHLD };
	for (gsize i = 0; i < G_N_ELEMENTS (sigs); i++)
		signal (sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset (&none);
	sigprocmask (SIG_SETMASK, &none, NULL);
}

int
trawl_process_run (char **argv, int in_fd, int out_fd, int err_fd, GError **error)
{
	struct sigaction ign = { 0 }, old_int, old_quit;
	ign.sa_handler = SIG_IGN;
	sigemptyset (&ign.sa_mask);
	sigaction (SIGINT, &ign, &old_int);
	sigaction (SIGQUIT, &ign, &old_quit);
	GPid pid = 0;
	int status = -1;
	gboolean ok = g_spawn_async_with_fds (NULL, argv, NULL,
					      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
					      child_setup, NULL, &pid, in_fd, out_fd, err_fd, error);
	if (ok) {
		while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
			;
		g_spawn_close_pid (pid);
	}
	sigaction (SIGINT, &old_int, NULL);
	sigaction (SIGQUIT, &old_quit, NULL);
	if (!ok)
		return -1;
	if (WIFEXITED (status))
		return WEXITSTATUS (status);
	return WIFSIGNALED (status) ? 128 + WTERMSIG (status) : -1;
}
