/* driver.c — runs a fuzz harness without libFuzzer: calls
 * LLVMFuzzerTestOneInput on every file named on the command line, and on
 * every file in (or under) every directory named, in name order.  make check
 * runs each harness so over tests/fuzz/regress/HARNESS/ (tests/fuzz/replay.sh),
 * in every build, with or without clang.  An invariant the input breaks
 * aborts; a file that cannot be read fails with status 2. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"

static int failed;
static unsigned count;

static void run_path (const char *path);

static void
run_file (const char *path)
{
	char *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents (path, &data, &len, &err)) {
		fprintf (stderr, "driver: %s\n", err->message);
		g_error_free (err);
		failed = 1;
		return;
	}
	/* An exact-size copy, so ASan sees any read past the end. */
	uint8_t *copy = g_malloc (len ? len : 1);
	memcpy (copy, data, len);
	g_free (data);
	fprintf (stderr, "driver: %s (%zu bytes)\n", path, (size_t) len);
	LLVMFuzzerTestOneInput (copy, len);
	g_free (copy);
	count++;
}

static int
cmp_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
run_dir (const char *path)
{
	GError *err = NULL;
	GDir *d = g_dir_open (path, 0, &err);
	if (!d) {
		fprintf (stderr, "driver: %s\n", err->message);
		g_error_free (err);
		failed = 1;
		return;
	}
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	const char *n;
	while ((n = g_dir_read_name (d)))
		if (n[0] != '.')	/* README-like dot files and editors' leftovers */
			g_ptr_array_add (names, g_build_filename (path, n, NULL));
	g_dir_close (d);
	g_ptr_array_sort (names, cmp_names);
	for (guint i = 0; i < names->len; i++)
		run_path (names->pdata[i]);
	g_ptr_array_unref (names);
}

static void
run_path (const char *path)
{
	if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
		return;
	if (g_file_test (path, G_FILE_TEST_IS_DIR))
		run_dir (path);
	else
		run_file (path);
}

int
main (int argc, char **argv)
{
	if (argc < 2) {
		fprintf (stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		run_path (argv[i]);
	fprintf (stderr, "driver: %u inputs run%s\n", count, failed ? ", some unreadable" : "");
	return failed ? 2 : 0;
}
