/* wakepipe.c — the wake pipe of a background worker (see trawl/wakepipe.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "trawl/wakepipe.h"

gboolean
trawl_wake_pipe_init (TrawlWakePipe *wp, GError **error)
{
	wp->state = TRAWL_WAKE_RUNNING;
	if (pipe (wp->fd) < 0) {
		int e = errno;
		wp->fd[0] = wp->fd[1] = -1;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "pipe: %s", g_strerror (e));
		return FALSE;
	}
	for (int i = 0; i < 2; i++) {
		fcntl (wp->fd[i], F_SETFL, O_NONBLOCK);
		fcntl (wp->fd[i], F_SETFD, FD_CLOEXEC);
	}
	return TRUE;
}

void
trawl_wake_pipe_signal (TrawlWakePipe *wp)
{
	char b = 1;
	if (wp->fd[1] < 0)
		return;
	while (write (wp->fd[1], &b, 1) < 0 && errno == EINTR)
		;
}

void
trawl_wake_pipe_finish (TrawlWakePipe *wp)
{
	g_atomic_int_set (&wp->state, TRAWL_WAKE_FINISHED);
	trawl_wake_pipe_signal (wp);
}

void
trawl_wake_pipe_abandon (TrawlWakePipe *wp)
{
	g_atomic_int_set (&wp->state, TRAWL_WAKE_COLLECTED);
}

gboolean
trawl_wake_pipe_finished (const TrawlWakePipe *wp)
{
	return g_atomic_int_get (&wp->state) != TRAWL_WAKE_RUNNING;
}

int
trawl_wake_pipe_fd (const TrawlWakePipe *wp)
{
	return g_atomic_int_get (&wp->state) == TRAWL_WAKE_COLLECTED ? -1 : wp->fd[0];
}

int
trawl_wake_pipe_read_fd (const TrawlWakePipe *wp)
{
	return wp->fd[0];
}

gboolean
trawl_wake_pipe_drain (TrawlWakePipe *wp)
{
	char buf[64];
	gboolean news = FALSE;
	while (wp->fd[0] >= 0 && read (wp->fd[0], buf, sizeof buf) > 0)
		news = TRUE;
	return news;
}

gboolean
trawl_wake_pipe_collect (TrawlWakePipe *wp)
{
	gboolean news = trawl_wake_pipe_drain (wp);
	/* Once finished and drained, stop polling the pipe. */
	if (g_atomic_int_get (&wp->state) == TRAWL_WAKE_FINISHED)
		g_atomic_int_set (&wp->state, TRAWL_WAKE_COLLECTED);
	return news;
}

void
trawl_wake_pipe_wait (TrawlWakePipe *wp)
{
	while (!trawl_wake_pipe_finished (wp))
		g_usleep (1000);
	trawl_wake_pipe_collect (wp);
}

void
trawl_wake_pipe_clear (TrawlWakePipe *wp)
{
	for (int i = 0; i < 2; i++) {
		if (wp->fd[i] >= 0)
			close (wp->fd[i]);
		wp->fd[i] = -1;
	}
}
