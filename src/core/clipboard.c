/* clipboard.c — copying text out of trawl (see trawl/clipboard.h).
 *
 * A copy command gets the text on its standard input and nothing on its
 * command line: mail text never passes through a shell or an argv.  Its
 * stdout and stderr go to /dev/null, because xclip and wl-copy leave a
 * process behind to serve the selection, which would hold a captured pipe
 * open; the process it leaves is not killed (it is the clipboard). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#include "trawl/clipboard.h"
#include "trawl/process.h"

void
trawl_copy_result_clear (TrawlCopyResult *r)
{
	if (r == NULL)
		return;
	g_free (r->where);
	g_free (r->why);
	memset (r, 0, sizeof *r);
}

static void
add_found (GPtrArray *out, const char *prog, const char *arg1, const char *arg2)
{
	g_autofree char *path = g_find_program_in_path (prog);
	if (path == NULL)
		return;
	GStrvBuilder *b = g_strv_builder_new ();
	g_strv_builder_add (b, prog);
	if (arg1)
		g_strv_builder_add (b, arg1);
	if (arg2)
		g_strv_builder_add (b, arg2);
	g_ptr_array_add (out, g_strv_builder_end (b));
	g_strv_builder_unref (b);
}

static gboolean
env_set (const char *name)
{
	const char *v = g_getenv (name);
	return v != NULL && *v != '\0';
}

GPtrArray *
trawl_copy_commands (const char *setting, char **error_text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	g_autofree char *s = g_strstrip (g_strdup (setting ? setting : ""));
	if (*s && strcmp (s, "auto") != 0) {
		char **argv = NULL;
		GError *err = NULL;
		if (g_shell_parse_argv (s, NULL, &argv, &err))
			g_ptr_array_add (out, argv);
		else {
			if (error_text)
				*error_text = g_strdup_printf ("copy-command: %s", err->message);
			g_error_free (err);
		}
		return out;
	}
	if (env_set ("WAYLAND_DISPLAY"))
		add_found (out, "wl-copy", NULL, NULL);
	if (env_set ("DISPLAY")) {
		add_found (out, "xclip", "-selection", "clipboard");
		add_found (out, "xsel", "--clipboard", "--input");
	}
	add_found (out, "pbcopy", NULL, NULL);
	return out;
}

gboolean
trawl_copy_run (char **argv, const char *text, gint64 timeout_us, char **why)
{
	int pv[2];
	GError *err = NULL;
	if (!g_unix_open_pipe (pv, FD_CLOEXEC, &err)) {
		*why = g_strdup (err->message);
		g_error_free (err);
		return FALSE;
	}
	GPid pid = 0;
	GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
		| G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL;
	if (!g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv, NULL, flags, NULL, NULL,
					       pv[0], -1, -1, NULL, NULL, 0, &pid, NULL, NULL, NULL, &err)) {
		*why = g_strdup_printf ("%s: %s", argv[0], err->message);
		g_error_free (err);
		close (pv[0]);
		close (pv[1]);
		return FALSE;
	}
	close (pv[0]);
	gint64 deadline = g_get_monotonic_time () + timeout_us;
	int in_fd = pv[1];
	g_unix_set_fd_nonblocking (in_fd, TRUE, NULL);

	/* A command that quits without reading: EPIPE, never a SIGPIPE. */
	sigset_t pipe_set, old_mask, pending;
	sigemptyset (&pipe_set);
	sigaddset (&pipe_set, SIGPIPE);
	pthread_sigmask (SIG_BLOCK, &pipe_set, &old_mask);
	sigemptyset (&pending);
	sigpending (&pending);
	gboolean pipe_was_pending = sigismember (&pending, SIGPIPE) == 1;
	gboolean epipe = FALSE, timed_out = FALSE;
	gsize len = strlen (text), written = 0;
	while (written < len) {
		gint64 left = deadline - g_get_monotonic_time ();
		if (left <= 0) {
			timed_out = TRUE;
			break;
		}
		struct pollfd fd = { in_fd, POLLOUT, 0 };
		int pr = poll (&fd, 1, (int) MIN (left / 1000 + 1, 1000));
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		ssize_t w = write (in_fd, text + written, MIN (len - written, (gsize) 65536));
		if (w > 0)
			written += (gsize) w;
		else if (w < 0 && errno == EPIPE) {
			epipe = TRUE;
			break;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR)
			break;
	}
	close (in_fd);
	if (epipe && !pipe_was_pending) {
		static const struct timespec now = { 0, 0 };
		while (sigtimedwait (&pipe_set, NULL, &now) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask (SIG_SETMASK, &old_mask, NULL);

	int status = 0;
	pid_t wr = 0;
	while (!timed_out && (wr = waitpid (pid, &status, WNOHANG)) == 0) {
		if (g_get_monotonic_time () >= deadline) {
			timed_out = TRUE;
			break;
		}
		g_usleep (2000);
	}
	if (timed_out) {
		kill (pid, SIGKILL);
		while ((wr = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
			;
	}
	g_spawn_close_pid (pid);
	if (timed_out) {
		*why = g_strdup_printf ("%s: no answer in %d s", argv[0], (int) (timeout_us / G_USEC_PER_SEC));
		return FALSE;
	}
	if (wr < 0) {
		*why = g_strdup_printf ("%s: %s", argv[0], g_strerror (errno));
		return FALSE;
	}
	if (WIFEXITED (status) && WEXITSTATUS (status) == 0 && written == len)
		return TRUE;
	if (WIFEXITED (status))
		*why = g_strdup_printf ("%s: exit status %d", argv[0], WEXITSTATUS (status));
	else if (WIFSIGNALED (status))
		*why = g_strdup_printf ("%s: killed by signal %d", argv[0], WTERMSIG (status));
	else
		*why = g_strdup_printf ("%s: did not read the text", argv[0]);
	return FALSE;
}

gboolean
trawl_notes_append (const char *path, const char *text, GError **error)
{
	g_autofree char *dir = g_path_get_dirname (path);
	if (g_mkdir_with_parents (dir, 0700) < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot make %s: %s", dir,
			     g_strerror (e));
		return FALSE;
	}
	int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot write %s: %s", path,
			     g_strerror (e));
		return FALSE;
	}
	GString *s = g_string_new (text);
	if (s->len > 0 && s->str[s->len - 1] != '\n')
		g_string_append_c (s, '\n');
	g_string_append_c (s, '\n');
	gsize done = 0;
	gboolean ok = TRUE;
	while (done < s->len) {
		ssize_t w = write (fd, s->str + done, s->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot write %s: %s", path,
				     g_strerror (e));
			ok = FALSE;
			break;
		}
		done += (gsize) w;
	}
	g_string_free (s, TRUE);
	if (close (fd) < 0 && ok) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot write %s: %s", path,
			     g_strerror (e));
		ok = FALSE;
	}
	return ok;
}

char *
trawl_notes_path (const char *setting, const char *notmuch_config)
{
	if (notmuch_config && *notmuch_config) {
		g_autofree char *dir = g_path_get_dirname (notmuch_config);
		g_autofree char *base = g_path_get_basename (notmuch_config);
		g_autofree char *manifest = g_build_filename (dir, "manifest.jsonl", NULL);
		if (strcmp (base, "notmuch-config") == 0 && g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
			return g_build_filename (dir, "notes.md", NULL);
	}
	if (setting && *setting) {
		if (g_str_has_prefix (setting, "~/"))
			return g_build_filename (g_get_home_dir (), setting + 2, NULL);
		return g_strdup (setting);
	}
	return g_build_filename (g_get_user_data_dir (), "trawl", "notes.md", NULL);
}

gboolean
trawl_copy (const char *setting, const char *text, const char *notes_path, TrawlCopyResult *result,
	    GError **error)
{
	memset (result, 0, sizeof *result);
	char *why = NULL;
	g_autoptr (GPtrArray) cmds = trawl_copy_commands (setting, &why);
	for (guint i = 0; i < cmds->len; i++) {
		char **argv = cmds->pdata[i];
		char *w = NULL;
		if (trawl_copy_run (argv, text, TRAWL_COPY_TIMEOUT_US, &w)) {
			g_free (why);
			result->where = g_strjoinv (" ", argv);
			return TRUE;
		}
		g_free (why);
		why = w;
	}
	if (why == NULL)
		why = g_strdup ("no copy command found");
	if (!trawl_notes_append (notes_path, text, error)) {
		g_free (why);
		return FALSE;
	}
	result->to_notes = TRUE;
	result->where = g_strdup (notes_path);
	result->why = why;
	return TRUE;
}

char *
trawl_osc52 (const char *text)
{
	g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
	return g_strdup_printf ("\033]52;c;%s\a", b64);
}
