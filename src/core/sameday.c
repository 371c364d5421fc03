/* sameday.c — messages sharing a day (see trawl/sameday.h). */
#include "config.h"

#include <string.h>

#include "trawl/sameday.h"

/* WHEN's local day as one number (20240101), 0 when it is out of range. */
static gint64
day_key (gint64 when)
{
	g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (when);
	if (!dt)
		return 0;
	return (gint64) g_date_time_get_year (dt) * 10000 + g_date_time_get_month (dt) * 100 +
	       g_date_time_get_day_of_month (dt);
}

gboolean *
trawl_dates_share_day (const gint64 *dates, guint n)
{
	if (!n)
		return NULL;
	g_autofree gint64 *keys = g_new (gint64, n);
	g_autoptr (GHashTable) count = g_hash_table_new (g_int64_hash, g_int64_equal);
	for (guint i = 0; i < n; i++) {
		keys[i] = day_key (dates[i]);
		guint c = GPOINTER_TO_UINT (g_hash_table_lookup (count, &keys[i]));
		g_hash_table_insert (count, &keys[i], GUINT_TO_POINTER (c + 1));
	}
	gboolean *shared = g_new0 (gboolean, n);
	for (guint i = 0; i < n; i++)
		shared[i] = GPOINTER_TO_UINT (g_hash_table_lookup (count, &keys[i])) > 1;
	return shared;
}

char *
trawl_date_add_time (const char *date, gint64 when)
{
	g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (when);
	g_autofree char *hm = dt ? g_date_time_format (dt, "%H:%M") : NULL;
	if (!hm || strstr (date, hm))
		return g_strdup (date);
	return g_strdup_printf ("%s %s", date, hm);
}
