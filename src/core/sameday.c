/* sameday.c — messages sharing a day (see trawl/sameday.h). */
#include "config.h"

#include <string.h>

#include "trawl/sameday.h"

/* WHEN's local day as one number, its day from 1 January of year 1
 * (GDate's Julian day), 0 when it is out of range. */
static gint64
day_key_slow (gint64 when)
{
	g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local (when);
	if (!dt)
		return 0;
	GDate d;
	g_date_clear (&d, 1);
	g_date_set_dmy (&d, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt), g_date_time_get_year (dt));
	return g_date_get_julian (&d);
}

/* The seconds from 1 January of year 1 to 1970 (GDateTime's range starts
 * there) and to the end of 9999 (where it ends), and 1 January 1970's
 * Julian day. */
#define YEAR1_UNIX G_GINT64_CONSTANT (-62135596800)
#define YEAR10000_UNIX G_GINT64_CONSTANT (253402300800)
#define DAY_1970 719163

/* The same day number as day_key_slow, by arithmetic on WHEN and the zone's
 * offset then (what GDateTime does): a thread's thousands of dates need
 * no GDateTime each.  Within two days of GDateTime's range ends, the slow
 * way (which knows where the range ends in local time). */
static gint64
day_key (GTimeZone *tz, gint64 when)
{
	if (when < YEAR1_UNIX + 2 * 86400 || when >= YEAR10000_UNIX - 2 * 86400)
		return day_key_slow (when);
	int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, when);
	if (interval < 0)
		return day_key_slow (when);
	gint64 local = when + g_time_zone_get_offset (tz, interval);
	gint64 days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	return days + DAY_1970;
}

gboolean *
trawl_dates_share_day (const gint64 *dates, guint n)
{
	if (!n)
		return NULL;
	g_autofree gint64 *keys = g_new (gint64, n);
	g_autoptr (GHashTable) count = g_hash_table_new (g_int64_hash, g_int64_equal);
	g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
	for (guint i = 0; i < n; i++) {
		keys[i] = day_key (tz, dates[i]);
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
