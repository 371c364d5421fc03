/* wakepipe.h — how a background worker wakes the UI.  GLib only; no curses.
 *
 * A pipe whose read end the UI polls (the view's wake_fd), a byte written by
 * the worker whenever it has news, and the job's state:
 *
 *   RUNNING    the worker may still write news
 *   FINISHED   the worker is done, the UI has not collected that yet
 *   COLLECTED  the UI has drained the pipe after FINISHED: fd() is -1, so
 *              the main loop stops polling it
 *
 * Ownership (why a worker never writes to a closed pipe, never SIGPIPE): a
 * TrawlWakePipe lives inside the job the worker and the UI share, a job with
 * a reference count that the worker holds too.  trawl_wake_pipe_clear() is
 * called only where the last reference drops, that is after every worker
 * has signalled for the last time; until then both ends stay open, so a
 * write always has a reader.  The write end is non-blocking: a full pipe
 * already wakes the UI, and that byte is dropped. */
#ifndef TRAWL_WAKEPIPE_H
#define TRAWL_WAKEPIPE_H

#include <glib.h>

G_BEGIN_DECLS

enum {
	TRAWL_WAKE_RUNNING,
	TRAWL_WAKE_FINISHED,
	TRAWL_WAKE_COLLECTED,
};

typedef struct {
	int fd[2];		/* read end, write end; -1 when there is no pipe */
	gint state;		/* TRAWL_WAKE_*, atomic */
} TrawlWakePipe;

/* A new pipe (close-on-exec, both ends non-blocking), state RUNNING.  On
 * failure: FALSE with ERROR set ("pipe: ..."), both fds -1, state RUNNING
 * (signal and drain do nothing; the caller says what that means). */
gboolean trawl_wake_pipe_init (TrawlWakePipe *wp, GError **error);

/* Worker: wake the UI (one byte; nothing without a pipe). */
void trawl_wake_pipe_signal (TrawlWakePipe *wp);
/* Worker: the job is done (FINISHED, published before the wake), then a
 * wake.  What the worker wrote before is visible once finished() is TRUE. */
void trawl_wake_pipe_finish (TrawlWakePipe *wp);
/* Owner: no worker ran (or will): straight to COLLECTED, no wake. */
void trawl_wake_pipe_abandon (TrawlWakePipe *wp);

/* FINISHED or COLLECTED. */
gboolean trawl_wake_pipe_finished (const TrawlWakePipe *wp);
/* The read end to poll, or -1 once collected (or without a pipe). */
int trawl_wake_pipe_fd (const TrawlWakePipe *wp);
/* The read end whatever the state (-1 without a pipe): for a job that can
 * get more work after it finished. */
int trawl_wake_pipe_read_fd (const TrawlWakePipe *wp);

/* UI: reads every byte waiting; TRUE when there was one. */
gboolean trawl_wake_pipe_drain (TrawlWakePipe *wp);
/* UI: drain, and FINISHED becomes COLLECTED.  TRUE when there was news. */
gboolean trawl_wake_pipe_collect (TrawlWakePipe *wp);
/* Tests: sleeps until finished, then collects. */
void trawl_wake_pipe_wait (TrawlWakePipe *wp);

/* Closes both ends: only once no worker can signal any more (see above). */
void trawl_wake_pipe_clear (TrawlWakePipe *wp);

G_END_DECLS

#endif
