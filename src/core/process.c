/* process.c — one way to run another program: system(3)'s discipline.
 *
 * A pipe command runs in the foreground of the terminal, in trawl's process
 * group: Ctrl-C there sends SIGINT to both.  The command must die of it and
 * trawl must not (it would leave the terminal as curses set it), so the
 * parent ignores SIGINT and SIGQUIT until the child is reaped, and the child
 * puts them back to their defaults before exec (an ignored signal would
 * otherwise stay ignored across exec).
 *
 * trawl_process_capture() (the HTML dumpers) adds a process group of the
 * child's own, stdin fed from memory, stdout captured up to a cap, and a time
 * limit after which the whole group is killed.
 *
 * The child's stdin is a pipe, not a socket: some programs cannot read a
 * socket as stdin (elinks -dump says "ELinks: Unknown error" and quits).
 * Writing to a pipe whose reader is gone raises SIGPIPE, which would kill a
 * trawl that did not ignore it (main.c ignores it; a library user or a test
 * may not): the writing thread blocks SIGPIPE while it feeds the pipe and
 * takes back a SIGPIPE its own write raised, so the write just fails with
 * EPIPE and the disposition and pending set are left as they were. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

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
	/* DATA set: a process group of its own, so that killing the group
	 * kills whatever the program started. */
	if (data)
		setpgid (0, 0);
}

typedef struct {
	struct sigaction old_int, old_quit;
} SignalsSaved;

static void
ignore_interrupts (SignalsSaved *saved)
{
	struct sigaction ign = { 0 };
	ign.sa_handler = SIG_IGN;
	sigemptyset (&ign.sa_mask);
	sigaction (SIGINT, &ign, &saved->old_int);
	sigaction (SIGQUIT, &ign, &saved->old_quit);
}

static void
restore_interrupts (const SignalsSaved *saved)
{
	sigaction (SIGINT, &saved->old_int, NULL);
	sigaction (SIGQUIT, &saved->old_quit, NULL);
}

static int
status_of (int wait_status)
{
	if (WIFEXITED (wait_status))
		return WEXITSTATUS (wait_status);
	return WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status) : -1;
}

int
trawl_process_run (char **argv, int in_fd, int out_fd, int err_fd, GError **error)
{
	SignalsSaved saved;
	ignore_interrupts (&saved);
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
	restore_interrupts (&saved);
	if (!ok)
		return -1;
	return status_of (status);
}

static void
kill_group (GPid pid)
{
	kill (-pid, SIGKILL);
	kill (pid, SIGKILL);
}

/* Feeds *IN_FD (a pipe, non-blocking; -1 when there is nothing to write;
 * SIGPIPE blocked by the caller, *EPIPE_SEEN set when a write failed with
 * EPIPE) and reads
 * *OUT_FD (non-blocking) into BUF until the program closes its stdout, the
 * deadline passes (*TIMED_OUT) or BUF passes CAP (*CUT).  Each fd is closed
 * (and set to -1) when done with; on a time out or a cut they stay open, so
 * that the program is killed before it can see them close. */
static void
pump (int *in_fdp, int *out_fdp, const char *input, gsize input_len, GString *buf, gsize cap,
      gint64 deadline, const TrawlCaptureOptions *opts, gboolean *timed_out, gboolean *cut,
      gboolean *epipe_seen, gboolean *cancelled)
{
	int in_fd = *in_fdp, out_fd = *out_fdp;
	gsize written = 0;
	while (out_fd >= 0) {
		struct pollfd fds[2];
		int nf = 0;
		fds[nf].fd = out_fd;
		fds[nf].events = POLLIN;
		nf++;
		if (in_fd >= 0) {
			fds[nf].fd = in_fd;
			fds[nf].events = POLLOUT;
			nf++;
		}
		int wait_ms = -1;
		if (deadline > 0) {
			gint64 left = deadline - g_get_monotonic_time ();
			if (left <= 0) {
				*timed_out = TRUE;
				break;
			}
			wait_ms = (int) MIN (left / 1000 + 1, G_MAXINT);
		}
		if (opts->cancel) {
			if (opts->cancel (opts->cancel_data)) {
				*cancelled = TRUE;
				break;
			}
			if (wait_ms < 0 || wait_ms > TRAWL_CAPTURE_POLL_MS)
				wait_ms = TRAWL_CAPTURE_POLL_MS;
		}
		int pr = poll (fds, (nfds_t) nf, wait_ms);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		if (nf > 1 && fds[1].revents) {
			ssize_t w = write (in_fd, input + written, MIN (input_len - written, (gsize) 65536));
			if (w > 0)
				written += (gsize) w;
			else if (w < 0 && errno == EPIPE)
				*epipe_seen = TRUE;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || written >= input_len) {
				close (in_fd);
				in_fd = -1;
			}
		}
		if (fds[0].revents) {
			char chunk[65536];
			ssize_t r = read (out_fd, chunk, sizeof chunk);
			if (r > 0) {
				g_string_append_len (buf, chunk, r);
				if (cap > 0 && buf->len > cap) {
					*cut = TRUE;
					g_string_truncate (buf, cap);
					break;
				}
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close (out_fd);
				out_fd = -1;
			}
		}
	}
	*in_fdp = in_fd;
	*out_fdp = out_fd;
}

static void
close_fd (int *fd)
{
	if (*fd >= 0)
		close (*fd);
	*fd = -1;
}

gboolean
trawl_process_capture (char **argv, const TrawlCaptureOptions *opts, TrawlCaptureResult *result,
		       GError **error)
{
	static const TrawlCaptureOptions defaults = { 0 };
	if (opts == NULL)
		opts = &defaults;
	memset (result, 0, sizeof *result);
	result->status = -1;

	/* stdin is a pipe (see the top of this file for why not a socket):
	 * sv[0] is trawl's end (the write end), sv[1] the child's. */
	int pv[2];
	if (!g_unix_open_pipe (pv, FD_CLOEXEC, error))	/* close-on-exec atomically (pipe2) */
		return FALSE;
	int sv[2] = { pv[1], pv[0] };
	SignalsSaved saved;
	ignore_interrupts (&saved);
	GPid pid = 0;
	int out_fd = -1;
	GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD;
	if (opts->stderr_to_null)
		flags |= G_SPAWN_STDERR_TO_DEV_NULL;
	if (!g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv,
					       (const char *const *) opts->envp, flags,
					       child_setup, GINT_TO_POINTER (1), sv[1], -1, -1, NULL, NULL, 0,
					       &pid, NULL, &out_fd, NULL, error)) {
		restore_interrupts (&saved);
		close (sv[0]);
		close (sv[1]);
		result->status = -1;
		return FALSE;
	}
	close (sv[1]);
	gint64 deadline = opts->timeout_us > 0 ? g_get_monotonic_time () + opts->timeout_us : 0;
	int in_fd = sv[0];
	g_unix_set_fd_nonblocking (in_fd, TRUE, NULL);
	g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
	if (opts->input_len == 0 || opts->input == NULL) {
		close (in_fd);
		in_fd = -1;
	}

	/* Writing after the child quit: EPIPE, never a SIGPIPE that kills trawl.
	 * SIGPIPE is blocked in this thread while it writes; one that a write
	 * raised (only when SIGPIPE is not ignored, and none was pending
	 * already) is taken back before the old mask returns. */
	sigset_t pipe_set, old_mask, pending;
	sigemptyset (&pipe_set);
	sigaddset (&pipe_set, SIGPIPE);
	pthread_sigmask (SIG_BLOCK, &pipe_set, &old_mask);
	sigemptyset (&pending);
	sigpending (&pending);
	gboolean pipe_was_pending = sigismember (&pending, SIGPIPE) == 1;

	GString *buf = g_string_new (NULL);
	gboolean timed_out = FALSE, cut = FALSE, epipe_seen = FALSE, cancelled = FALSE;
	pump (&in_fd, &out_fd, opts->input, opts->input_len, buf, opts->output_cap, deadline, opts, &timed_out,
	      &cut, &epipe_seen, &cancelled);

	if (epipe_seen && !pipe_was_pending) {
		static const struct timespec now = { 0, 0 };
		while (sigtimedwait (&pipe_set, NULL, &now) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask (SIG_SETMASK, &old_mask, NULL);

	int status = 0;
	pid_t wr;
	if (timed_out || cut || cancelled)
		kill_group (pid);	/* before it sees its stdout close */
	close_fd (&in_fd);
	close_fd (&out_fd);
	if (timed_out || cut || cancelled) {
		while ((wr = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
			;
	} else if (deadline > 0) {
		/* Output closed: the child is finishing; give it the rest of the time. */
		while ((wr = waitpid (pid, &status, WNOHANG)) == 0 && g_get_monotonic_time () < deadline)
			g_usleep (1000);
		if (wr == 0) {
			kill_group (pid);
			while ((wr = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
				;
			timed_out = TRUE;
		}
	} else {
		while ((wr = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
			;
	}
	g_spawn_close_pid (pid);
	restore_interrupts (&saved);

	result->status = wr > 0 ? status_of (status) : -1;
	result->timed_out = timed_out;
	result->output_cut = cut;
	result->cancelled = cancelled;
	result->output_len = buf->len;
	result->output = g_string_free (buf, FALSE);
	return TRUE;
}

void
trawl_capture_result_clear (TrawlCaptureResult *result)
{
	if (result == NULL)
		return;
	g_free (result->output);
	memset (result, 0, sizeof *result);
}

char *
trawl_shell_word (const char *arg)
{
	if (!*arg)
		return g_strdup ("''");
	for (const char *p = arg; *p; p++)
		if (!g_ascii_isalnum (*p) && !strchr ("@%+=:,./_-", *p))
			return g_shell_quote (arg);
	return g_strdup (arg);
}

char *
trawl_command_line (const char *prog, int argc, char **argv)
{
	GString *cl = g_string_new (prog);
	for (int i = 0; i < argc; i++) {
		char *q = trawl_shell_word (argv[i]);
		g_string_append_printf (cl, " %s", q);
		g_free (q);
	}
	return g_string_free (cl, FALSE);
}
