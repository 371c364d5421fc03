/* shape-bench.c — times the shape index (trawl/shape.h) for tools/bench.sh:
 *   trawl-shape-bench CONFIG [QUERY]
 * brings the index of CONFIG's database up to date (what it finds: built,
 * updated or reopened) and prints one line "KEY VALUE" per figure, then
 * counts QUERY's correspondents (default: none). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trawl/model.h"
#include "trawl/mime.h"
#include "trawl/shape.h"

int
main (int argc, char **argv)
{
	if (argc < 2) {
		fprintf (stderr, "usage: trawl-shape-bench CONFIG [QUERY]\n");
		return 2;
	}
	trawl_mime_init ();
	TrawlDbOptions o = { argv[1], NULL, FALSE };
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlDb) db = trawl_db_open (&o, &e);
	if (!db) {
		fprintf (stderr, "trawl-shape-bench: %s\n", e->message);
		return 1;
	}
	TrawlShapeResult r;
	gint64 t0 = g_get_monotonic_time ();
	if (!trawl_shape_update (db, &r, &e)) {
		fprintf (stderr, "trawl-shape-bench: %s\n", e->message);
		return 1;
	}
	gint64 t1 = g_get_monotonic_time ();
	printf ("ms %.1f\nmessages %" G_GUINT64_FORMAT "\nread %" G_GUINT64_FORMAT "\nbuilt %d\nunreadable %"
		G_GUINT64_FORMAT "\n", (t1 - t0) / 1000.0, r.messages, r.read, r.built, r.unreadable);
	if (r.read)
		printf ("read_per_s %.0f\n", r.read / ((t1 - t0) / 1e6));
	printf ("attachments %" G_GUINT64_FORMAT "\n", r.attachments);
	if (r.notice)
		printf ("notice %s\n", r.notice);
	g_free (r.notice);
	if (argc > 2) {
		t0 = g_get_monotonic_time ();
		g_autoptr (TrawlCorr) c = trawl_corr_new (db, argv[2]);
		trawl_corr_wait (c);
		t1 = g_get_monotonic_time ();
		g_autoptr (GPtrArray) rows = trawl_corr_rows (c, TRAWL_CORR_SENT, FALSE, NULL, FALSE);
		printf ("corr_ms %.1f\ncorr_messages %" G_GUINT64_FORMAT "\ncorr_senders %u\n",
			(t1 - t0) / 1000.0, trawl_corr_messages (c), rows->len);
		t0 = g_get_monotonic_time ();
		g_autoptr (TrawlAtts) a = trawl_atts_new (db, argv[2]);
		trawl_atts_wait (a);
		t1 = g_get_monotonic_time ();
		g_autoptr (GPtrArray) arows = trawl_atts_rows (a, FALSE, NULL, TRAWL_ATT_SORT_DATE, FALSE);
		gint64 t2 = g_get_monotonic_time ();
		g_autoptr (GPtrArray) groups = trawl_atts_rows (a, TRUE, NULL, TRAWL_ATT_SORT_COUNT, FALSE);
		gint64 t3 = g_get_monotonic_time ();
		printf ("atts_ms %.1f\natts_rows %u\natts_rows_ms %.1f\natts_groups %u\natts_groups_ms %.1f\n",
			(t1 - t0) / 1000.0, arows->len, (t2 - t1) / 1000.0, groups->len, (t3 - t2) / 1000.0);
	}
	return 0;
}
