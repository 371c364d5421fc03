/* test-wakepipe.c — the wake pipe of a background worker, driven from a real
 * second thread: signal/drain/fd/wait, and fd -1 once collected. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "trawl/wakepipe.h"

typedef struct {
	TrawlWakePipe wp;
	gint go;		/* the test lets the worker on */
	gint step;		/* what the worker has done */
	int value;		/* written before finish, read after */
} Job;

static gboolean
readable (int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll (&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

static void
wait_for (gint *v, gint want)
{
	for (int i = 0; i < 10000 && g_atomic_int_get (v) < want; i++)
		g_usleep (1000);
	g_assert_cmpint (g_atomic_int_get (v), >=, want);
}

static gpointer
worker (gpointer data)
{
	Job *job = data;
	wait_for (&job->go, 1);
	trawl_wake_pipe_signal (&job->wp);
	trawl_wake_pipe_signal (&job->wp);
	g_atomic_int_set (&job->step, 1);
	wait_for (&job->go, 2);
	job->value = 42;
	trawl_wake_pipe_finish (&job->wp);
	g_atomic_int_set (&job->step, 2);
	return NULL;
}

static void
test_thread (void)
{
	Job job = { 0 };
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_wake_pipe_init (&job.wp, &e));
	g_assert_no_error (e);
	int fd = trawl_wake_pipe_fd (&job.wp);
	g_assert_cmpint (fd, >=, 0);
	g_assert_cmpint (trawl_wake_pipe_read_fd (&job.wp), ==, fd);
	g_assert_true (fcntl (fd, F_GETFD) & FD_CLOEXEC);
	g_assert_true (fcntl (fd, F_GETFL) & O_NONBLOCK);
	g_assert_false (trawl_wake_pipe_finished (&job.wp));
	/* Nothing yet: no news, and draining does not block. */
	g_assert_false (trawl_wake_pipe_drain (&job.wp));
	g_assert_false (trawl_wake_pipe_collect (&job.wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&job.wp), ==, fd);

	GThread *th = g_thread_new ("test-wakepipe", worker, &job);
	g_atomic_int_set (&job.go, 1);
	wait_for (&job.step, 1);
	/* The worker's signals wake a poll on fd. */
	g_assert_true (readable (fd, 5000));
	g_assert_true (trawl_wake_pipe_collect (&job.wp));
	g_assert_false (readable (fd, 0));
	g_assert_false (trawl_wake_pipe_finished (&job.wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&job.wp), ==, fd);	/* still running: still polled */

	g_atomic_int_set (&job.go, 2);
	trawl_wake_pipe_wait (&job.wp);
	/* wait returns after finish, with what the worker wrote before it. */
	g_assert_true (trawl_wake_pipe_finished (&job.wp));
	g_assert_cmpint (job.value, ==, 42);
	/* collected: no longer polled, the read end still there. */
	g_assert_cmpint (trawl_wake_pipe_fd (&job.wp), ==, -1);
	g_assert_cmpint (trawl_wake_pipe_read_fd (&job.wp), ==, fd);
	g_assert_false (readable (fd, 0));
	g_thread_join (th);
	g_assert_cmpint (g_atomic_int_get (&job.step), ==, 2);
	trawl_wake_pipe_clear (&job.wp);
	g_assert_cmpint (trawl_wake_pipe_read_fd (&job.wp), ==, -1);
	g_assert_cmpint (trawl_wake_pipe_fd (&job.wp), ==, -1);
}

static void
test_collect_after_finish (void)
{
	TrawlWakePipe wp;
	g_assert_true (trawl_wake_pipe_init (&wp, NULL));
	trawl_wake_pipe_finish (&wp);
	/* Finished but not collected: still polled, and the wake is news. */
	g_assert_true (trawl_wake_pipe_finished (&wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&wp), >=, 0);
	g_assert_true (trawl_wake_pipe_collect (&wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&wp), ==, -1);
	g_assert_false (trawl_wake_pipe_collect (&wp));
	/* wait on a collected pipe returns at once. */
	trawl_wake_pipe_wait (&wp);
	trawl_wake_pipe_clear (&wp);
	trawl_wake_pipe_clear (&wp);	/* twice: harmless */
}

static void
test_full_pipe (void)
{
	/* A UI that never drains: the worker never blocks. */
	TrawlWakePipe wp;
	g_assert_true (trawl_wake_pipe_init (&wp, NULL));
	for (int i = 0; i < 200000; i++)
		trawl_wake_pipe_signal (&wp);
	trawl_wake_pipe_finish (&wp);
	g_assert_true (trawl_wake_pipe_collect (&wp));
	g_assert_false (readable (trawl_wake_pipe_read_fd (&wp), 0));
	trawl_wake_pipe_clear (&wp);
}

static void
test_abandon (void)
{
	TrawlWakePipe wp;
	g_assert_true (trawl_wake_pipe_init (&wp, NULL));
	trawl_wake_pipe_abandon (&wp);
	g_assert_true (trawl_wake_pipe_finished (&wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&wp), ==, -1);
	g_assert_false (trawl_wake_pipe_collect (&wp));
	trawl_wake_pipe_clear (&wp);
}

static void
test_no_pipe (void)
{
	/* What init leaves on failure: signals and drains do nothing. */
	TrawlWakePipe wp = { { -1, -1 }, TRAWL_WAKE_RUNNING };
	trawl_wake_pipe_signal (&wp);
	g_assert_false (trawl_wake_pipe_drain (&wp));
	g_assert_cmpint (trawl_wake_pipe_fd (&wp), ==, -1);
	trawl_wake_pipe_finish (&wp);
	trawl_wake_pipe_wait (&wp);
	g_assert_true (trawl_wake_pipe_finished (&wp));
	trawl_wake_pipe_clear (&wp);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/wakepipe/thread", test_thread);
	g_test_add_func ("/wakepipe/collect-after-finish", test_collect_after_finish);
	g_test_add_func ("/wakepipe/full-pipe", test_full_pipe);
	g_test_add_func ("/wakepipe/abandon", test_abandon);
	g_test_add_func ("/wakepipe/no-pipe", test_no_pipe);

	return g_test_run ();
}
