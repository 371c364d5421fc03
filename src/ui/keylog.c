/* keylog.c — key-to-repaint timings (TRAWL_KEYLOG=FILE), see keylog.h. */
#include "config.h"
#include <stdio.h>
#include <glib.h>
#include "keylog.h"
#include "ui.h"

static int state;		/* 0: not looked yet, 1: on, -1: off */
static FILE *out;
static gint64 woke;
static GArray *keys;		/* ints read since the last repaint */

static gboolean
on (void)
{
	if (state == 0) {
		const char *path = g_getenv ("TRAWL_KEYLOG");
		state = -1;
		if (path && *path) {
			out = fopen (path, "a");
			if (out) {
				state = 1;
				keys = g_array_new (FALSE, FALSE, sizeof (int));
			} else
				g_printerr ("trawl: TRAWL_KEYLOG=%s: cannot open it for appending\n", path);
		}
	}
	return state > 0;
}

void
ui_keylog_woke (void)
{
	if (on ())
		woke = g_get_monotonic_time ();
}

void
ui_keylog_key (int key)
{
	if (on ())
		g_array_append_val (keys, key);
}

void
ui_keylog_drawn (void)
{
	if (!on () || !keys->len)
		return;
	gint64 now = g_get_monotonic_time ();
	for (guint i = 0; i < keys->len; i++) {
		int k = g_array_index (keys, int, i);
		g_autofree char *name = ui_key_seq_name (&k, 1);
		fprintf (out, "%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\n",
			 name, woke, now, now - woke);
	}
	fflush (out);
	g_array_set_size (keys, 0);
}
