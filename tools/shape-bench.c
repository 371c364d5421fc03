/* shape-bench.c — times the shape index (trawl/shape.h) for tools/bench.sh:
 *   trawl-shape-bench CONFIG [QUERY [patch]]
 * brings the index of CONFIG's database up to date (what it finds: built,
 * updated or reopened) and prints one line "KEY VALUE" per figure, then
 * counts QUERY's correspondents (default: none).  With "patch" (the
 * database is written: a tag added and taken away again): the time to
 * patch the correspondents and attachments of `(QUERY) and not
 * tag:trawl-bench` after +trawl-bench on 1, 100 and 1,000 of its messages
 * and after taking it away, beside counting them anew. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trawl/model.h"
#include "trawl/mime.h"
#include "trawl/shape.h"
#include "trawl/tags.h"

static TrawlTagChange *
tag (TrawlDb *db, GPtrArray *ids, const char *ops_text)
{
	g_autoptr (GError) e = NULL;
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse (ops_text, &e);
	TrawlTagChange *c = ops ? trawl_db_apply_tags (db, ids, ops, NULL, NULL, &e) : NULL;
	if (!c)
		fprintf (stderr, "trawl-shape-bench: %s\n", e ? e->message : "tagging failed");
	return c;
}

static int
patch_bench (TrawlDb *db, const char *query)
{
	g_autofree char *q = g_strdup_printf ("(%s) and not tag:trawl-bench", query);
	gint64 t0 = g_get_monotonic_time ();
	g_autoptr (TrawlCorr) c = trawl_corr_new (db, q);
	trawl_corr_wait (c);
	gint64 t1 = g_get_monotonic_time ();
	g_autoptr (TrawlAtts) a = trawl_atts_new (db, q);
	trawl_atts_wait (a);
	gint64 t2 = g_get_monotonic_time ();
	printf ("patch_count_corr_ms %.1f\npatch_count_atts_ms %.1f\n", (t1 - t0) / 1000.0, (t2 - t1) / 1000.0);
	g_autoptr (GError) e = NULL;
	g_autoptr (GPtrArray) all = trawl_db_query_message_ids (db, q, &e);
	if (!all) {
		fprintf (stderr, "trawl-shape-bench: %s\n", e->message);
		return 1;
	}
	guint64 msgs = trawl_corr_messages (c);
	static const guint sizes[] = { 1, 100, 1000 };
	for (guint k = 0; k < G_N_ELEMENTS (sizes) && sizes[k] <= all->len; k++) {
		g_autoptr (GPtrArray) ids = g_ptr_array_new ();
		for (guint i = 0; i < sizes[k]; i++)
			g_ptr_array_add (ids, all->pdata[i]);
		const char *ops[] = { "+trawl-bench", "-trawl-bench" };
		for (int w = 0; w < 2; w++) {
			g_autoptr (TrawlTagChange) ch = tag (db, ids, ops[w]);
			if (!ch)
				return 1;
			TrawlShapeStats s0, s1;
			trawl_shape_stats (&s0);
			gint64 p0 = g_get_monotonic_time ();
			TrawlShapePatch pc = trawl_corr_patch (c, db, ch);
			gint64 p1 = g_get_monotonic_time ();
			TrawlShapePatch pa = trawl_atts_patch (a, db, ch);
			gint64 p2 = g_get_monotonic_time ();
			trawl_shape_stats (&s1);
			printf ("patch_%u_%s corr_ms %.2f atts_ms %.2f messages %" G_GUINT64_FORMAT " queries %" G_GUINT64_FORMAT
				" files_read %" G_GUINT64_FORMAT " patched %d\n", sizes[k], w ? "back" : "out",
				(p1 - p0) / 1000.0, (p2 - p1) / 1000.0, trawl_corr_messages (c),
				s1.patch_queries - s0.patch_queries, s1.files_read - s0.files_read,
				pc == TRAWL_SHAPE_PATCH_PATCHED && pa == TRAWL_SHAPE_PATCH_PATCHED);
		}
	}
	printf ("patch_messages_end %" G_GUINT64_FORMAT " (at the start %" G_GUINT64_FORMAT ")\n", trawl_corr_messages (c), msgs);
	return 0;
}

int
main (int argc, char **argv)
{
	if (argc < 2) {
		fprintf (stderr, "usage: trawl-shape-bench CONFIG [QUERY]\n");
		return 2;
	}
	trawl_mime_init ();
	gboolean patch = argc > 3 && strcmp (argv[3], "patch") == 0;
	TrawlDbOptions o = { argv[1], NULL, patch };
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
	if (patch)
		return patch_bench (db, argv[2]);
	return 0;
}
