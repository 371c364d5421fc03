/* datefmt.c — dates as the thread list shows them.
 *
 * Both times are converted to local time (GDateTime, so TZ is honoured) and
 * compared by calendar day, not by 24-hour periods: a message from 23:50
 * seen at 00:10 is "Yest 23:50".
 *
 * Names are English and indexed from our own arrays, never strftime's %a/%b,
 * so the column is ASCII and TRAWL_DATE_WIDTH wide in every locale.
 *
 * "Future" means a later calendar day than NOW.  A message from later today
 * (clock skew between sender and reader is common) still shows as "HH:MM".
 */
#include "config.h"

#include "trawl/datefmt.h"

static const char *const weekday_names[] = {
	/* g_date_time_get_day_of_week(): 1 = Monday .. 7 = Sunday */
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Calendar days from A to B (positive when B is later). */
static gint64
days_between (GDateTime *a, GDateTime *b)
{
	int ya, ma, da, yb, mb, db;
	GDate ga, gb;

	g_date_time_get_ymd (a, &ya, &ma, &da);
	g_date_time_get_ymd (b, &yb, &mb, &db);
	g_date_clear (&ga, 1);
	g_date_clear (&gb, 1);
	g_date_set_dmy (&ga, (GDateDay) da, (GDateMonth) ma, (GDateYear) ya);
	g_date_set_dmy (&gb, (GDateDay) db, (GDateMonth) mb, (GDateYear) yb);
	return (gint64) g_date_get_julian (&gb) - (gint64) g_date_get_julian (&ga);
}

char *
trawl_date_format (gint64 when, gint64 now)
{
	GDateTime *w = g_date_time_new_from_unix_local (when);
	GDateTime *n = g_date_time_new_from_unix_local (now);
	char *out;

	if (w == NULL || n == NULL) {
		/* Outside GDateTime's range (years 1..9999). */
		out = g_strdup ("?");
	} else {
		gint64 days = days_between (w, n);
		int year, month, day;

		g_date_time_get_ymd (w, &year, &month, &day);
		int hour = g_date_time_get_hour (w);
		int minute = g_date_time_get_minute (w);

		if (days == 0)
			out = g_strdup_printf ("%02d:%02d", hour, minute);
		else if (days == 1)
			out = g_strdup_printf ("Yest %02d:%02d", hour, minute);
		else if (days > 1 && days <= 6)
			out = g_strdup_printf ("%s %02d:%02d",
			                       weekday_names[g_date_time_get_day_of_week (w) - 1],
			                       hour, minute);
		else if (days > 0 && year == g_date_time_get_year (n))
			out = g_strdup_printf ("%s %02d", month_names[month - 1], day);
		else
			out = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
	}

	g_clear_pointer (&w, g_date_time_unref);
	g_clear_pointer (&n, g_date_time_unref);
	return out;
}

char *
trawl_date_format_with (gint64 when, gint64 now, const char *format)
{
	if (!format || !*format || g_strcmp0 (format, "relative") == 0)
		return trawl_date_format (when, now);
	g_autoptr (GDateTime) w = g_date_time_new_from_unix_local (when);
	char *out = w ? g_date_time_format (w, format) : NULL;
	/* GLib refuses formats it does not know: say so in the column. */
	return out ? out : g_strdup (w ? "bad date-format" : "?");
}

int
trawl_date_width (const char *format)
{
	if (!format || !*format || g_strcmp0 (format, "relative") == 0)
		return TRAWL_DATE_WIDTH;
	/* The widest a fixed format gets: late in a long month, two-digit
	 * hours, a long weekday and month name. */
	g_autoptr (GDateTime) t = g_date_time_new_local (2000, 9, 27, 23, 59, 59);
	g_autofree char *s = t ? g_date_time_format (t, format) : NULL;
	int w = s ? (int) g_utf8_strlen (s, -1) : 15;
	return CLAMP (w, 1, 40);
}

gint64
trawl_date_now (void)
{
	const char *env = g_getenv ("TRAWL_NOW");
	gint64 value;

	if (env != NULL &&
	    g_ascii_string_to_signed (env, 10, G_MININT64, G_MAXINT64, &value, NULL))
		return value;
	return g_get_real_time () / G_USEC_PER_SEC;
}
