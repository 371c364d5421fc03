/* test-datefmt.c — trawl_date_format() and trawl_date_now(), with TZ pinned. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "trawl/datefmt.h"
#include "trawl/sameday.h"

/* Unix time of a UTC wall-clock time (tests run with TZ=UTC). */
static gint64
utc (int y, int mo, int d, int h, int mi)
{
	GDateTime *dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
	g_assert_nonnull (dt);
	gint64 t = g_date_time_to_unix (dt);
	g_date_time_unref (dt);
	return t;
}

static void
assert_date (gint64 when, gint64 now, const char *want)
{
	char *got = trawl_date_format (when, now);
	g_assert_cmpstr (got, ==, want);
	g_assert_cmpuint (strlen (got), <=, TRAWL_DATE_WIDTH);
	g_free (got);
}

static void
set_tz (const char *tz)
{
	g_setenv ("TZ", tz, TRUE);
	tzset ();
}

/* Friday 2024-03-15 12:00 UTC. */
#define NOW() utc (2024, 3, 15, 12, 0)

static void
test_same_day (void)
{
	gint64 now = NOW ();
	assert_date (now, now, "12:00");
	assert_date (utc (2024, 3, 15, 9, 5), now, "09:05");
	assert_date (utc (2024, 3, 15, 0, 0), now, "00:00");
	/* Later today (sender's clock ahead): still the same day. */
	assert_date (utc (2024, 3, 15, 12, 5), now, "12:05");
	assert_date (utc (2024, 3, 15, 23, 59), now, "23:59");
}

static void
test_yesterday (void)
{
	gint64 now = NOW ();
	assert_date (utc (2024, 3, 14, 23, 59), now, "Yest 23:59");
	assert_date (utc (2024, 3, 14, 0, 0), now, "Yest 00:00");
	/* Calendar days, not 24-hour periods: 20 minutes ago is yesterday. */
	assert_date (utc (2024, 3, 14, 23, 50), utc (2024, 3, 15, 0, 10), "Yest 23:50");
	/* 47 hours ago can still be yesterday, 25 hours ago already not. */
	assert_date (utc (2024, 3, 13, 0, 30), utc (2024, 3, 14, 23, 30), "Yest 00:30");
	assert_date (utc (2024, 3, 13, 23, 30), utc (2024, 3, 15, 0, 30), "Wed 23:30");
}

static void
test_this_week (void)
{
	gint64 now = NOW ();
	assert_date (utc (2024, 3, 12, 8, 30), now, "Tue 08:30");  /* 3 days ago */
	assert_date (utc (2024, 3, 13, 17, 45), now, "Wed 17:45"); /* 2 days ago */
	assert_date (utc (2024, 3, 9, 10, 0), now, "Sat 10:00");   /* 6 days ago */
	assert_date (utc (2024, 3, 8, 23, 59), now, "Mar 08");     /* 7 days ago */

	/* Every weekday name, English whatever the locale. */
	static const char *const names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	/* 2024-03-18 is a Monday. */
	for (int i = 0; i < 7; i++) {
		gint64 when = utc (2024, 3, 18 + i, 7, 0);
		char *want = g_strdup_printf ("%s 07:00", names[i]);
		assert_date (when, when + 3 * 86400, want);
		g_free (want);
	}
}

static void
test_same_year (void)
{
	gint64 now = NOW ();
	assert_date (utc (2024, 1, 1, 0, 0), now, "Jan 01");
	assert_date (utc (2024, 3, 1, 14, 5), now, "Mar 01");

	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	gint64 dec31 = utc (2024, 12, 31, 23, 0);
	for (int m = 1; m <= 12; m++) {
		char *want = g_strdup_printf ("%s %02d", months[m - 1], m + 10);
		assert_date (utc (2024, m, m + 10, 1, 2), dec31, want);
		g_free (want);
	}
}

static void
test_previous_year (void)
{
	gint64 now = NOW ();
	assert_date (utc (2023, 12, 31, 23, 59), now, "2023-12-31");
	assert_date (utc (2023, 3, 15, 12, 0), now, "2023-03-15");
	assert_date (utc (2019, 3, 1, 0, 0), now, "2019-03-01");
	assert_date (utc (1970, 1, 1, 0, 0), now, "1970-01-01");
	assert_date (utc (1969, 7, 20, 20, 17), now, "1969-07-20"); /* negative time */

	/* Across New Year, recent dates keep their short forms. */
	gint64 jan2 = utc (2024, 1, 2, 10, 0);
	assert_date (utc (2024, 1, 1, 9, 0), jan2, "Yest 09:00");
	assert_date (utc (2023, 12, 31, 9, 0), jan2, "Sun 09:00");
	assert_date (utc (2023, 12, 20, 9, 0), jan2, "2023-12-20");
}

static void
test_future (void)
{
	gint64 now = NOW ();
	assert_date (utc (2024, 3, 16, 0, 0), now, "2024-03-16"); /* tomorrow */
	assert_date (utc (2024, 6, 1, 12, 0), now, "2024-06-01"); /* same year */
	assert_date (utc (2031, 1, 1, 0, 0), now, "2031-01-01");
}

static void
test_out_of_range (void)
{
	/* Beyond GDateTime's years 1..9999: no crash, still short ASCII. */
	gint64 now = NOW ();
	const gint64 extremes[] = { G_MAXINT64, G_MININT64, G_GINT64_CONSTANT (400000000000) };
	for (gsize i = 0; i < G_N_ELEMENTS (extremes); i++) {
		char *a = trawl_date_format (extremes[i], now);
		char *b = trawl_date_format (now, extremes[i]);
		g_assert_cmpuint (strlen (a), >=, 1);
		g_assert_cmpuint (strlen (a), <=, TRAWL_DATE_WIDTH);
		g_assert_cmpuint (strlen (b), <=, TRAWL_DATE_WIDTH);
		g_free (a);
		g_free (b);
	}
}

static void
test_width_property (void)
{
	GRand *rand = g_rand_new_with_seed (7);
	for (int i = 0; i < 5000; i++) {
		gint64 now = (gint64) g_rand_double_range (rand, 0, 4e9);
		gint64 when = now - (gint64) g_rand_double_range (rand, -1e7, 1e9);
		char *got = trawl_date_format (when, now);
		g_assert_cmpuint (strlen (got), >=, 5);
		g_assert_cmpuint (strlen (got), <=, TRAWL_DATE_WIDTH);
		for (const char *p = got; *p; p++)
			g_assert_true (g_ascii_isprint (*p));
		g_free (got);
	}
	g_rand_free (rand);
}

static void
test_local_time (void)
{
	/* 2024-03-14 23:30 UTC seen at 2024-03-15 01:00 UTC. */
	gint64 when = utc (2024, 3, 14, 23, 30);
	gint64 now = utc (2024, 3, 15, 1, 0);

	assert_date (when, now, "Yest 23:30");
	set_tz ("XXX-03"); /* POSIX: three hours east of UTC */
	assert_date (when, now, "02:30");
	set_tz ("XXX+05"); /* five hours west */
	assert_date (when, now, "18:30");
	set_tz ("UTC");
	assert_date (when, now, "Yest 23:30");
}

static void
test_now_override (void)
{
	gint64 real = g_get_real_time () / G_USEC_PER_SEC;

	g_setenv ("TRAWL_NOW", "1710504000", TRUE);
	g_assert_cmpint (trawl_date_now (), ==, G_GINT64_CONSTANT (1710504000));
	g_assert_cmpint (trawl_date_now (), ==, NOW ());

	g_setenv ("TRAWL_NOW", "0", TRUE);
	g_assert_cmpint (trawl_date_now (), ==, 0);
	g_setenv ("TRAWL_NOW", "-86400", TRUE);
	g_assert_cmpint (trawl_date_now (), ==, -86400);

	/* Unparsable values are ignored: the real clock is used. */
	static const char *const bad[] = {
		"", "abc", "123abc", " 123", "123 ", "1.5", "0x10",
		"99999999999999999999999",
	};
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_setenv ("TRAWL_NOW", bad[i], TRUE);
		gint64 got = trawl_date_now ();
		g_assert_cmpint (got, >=, real);
		g_assert_cmpint (got, <=, real + 60);
	}

	g_unsetenv ("TRAWL_NOW");
	gint64 got = trawl_date_now ();
	g_assert_cmpint (got, >=, real);
	g_assert_cmpint (got, <=, real + 60);
}

/* Which messages share a day, and their time after the date. */
static void
test_shared_days (void)
{
	gint64 dates[] = {
		utc (2023, 1, 1, 10, 0),	/* shares with the next */
		utc (2023, 1, 1, 23, 59),
		utc (2023, 1, 2, 0, 0),	/* alone: the next day */
		utc (2024, 1, 1, 10, 0),	/* the same day a year later: alone */
		utc (2023, 1, 1, 0, 0),	/* the first day again, out of order */
	};
	g_autofree gboolean *shared = trawl_dates_share_day (dates, G_N_ELEMENTS (dates));
	gboolean want[] = { TRUE, TRUE, FALSE, FALSE, TRUE };
	for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
		g_assert_cmpint (shared[i], ==, want[i]);
	g_assert_null (trawl_dates_share_day (dates, 0));
	gint64 one = dates[0];
	g_autofree gboolean *single = trawl_dates_share_day (&one, 1);
	g_assert_false (single[0]);

	/* The time goes after a date that lacks it, never twice. */
	g_autofree char *a = trawl_date_add_time ("2023-01-01", dates[1]);
	g_assert_cmpstr (a, ==, "2023-01-01 23:59");
	g_assert_cmpuint (strlen (a) - strlen ("2023-01-01"), ==, TRAWL_DATE_TIME_WIDTH);
	g_autofree char *b = trawl_date_add_time ("Sun 10:00", dates[0]);
	g_assert_cmpstr (b, ==, "Sun 10:00");
	g_autofree char *c = trawl_date_add_time ("Jan 01", dates[4]);
	g_assert_cmpstr (c, ==, "Jan 01 00:00");
}

/* Two dates share a day exactly when GDateTime gives them the same local
 * year, month and day, whatever the zone (offsets of half and quarter
 * hours, DST, a day skipped), the era, or GDateTime's range ends: the day
 * is worked out by arithmetic on the zone's offset, not a GDateTime per
 * message (a 2,500-message thread opens with one per message otherwise). */
static gboolean
same_local_day (gint64 a, gint64 b)
{
	g_autoptr (GDateTime) x = g_date_time_new_from_unix_local (a);
	g_autoptr (GDateTime) y = g_date_time_new_from_unix_local (b);
	if (!x || !y)
		return !x && !y;
	return g_date_time_get_year (x) == g_date_time_get_year (y) &&
	       g_date_time_get_day_of_year (x) == g_date_time_get_day_of_year (y);
}

static void
test_shared_days_zones (void)
{
	/* NULL: TZ unset (GLib then reloads /etc/localtime for every
	 * GDateTime made in local time) */
	const char *zones[] = { NULL, "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
				"Pacific/Apia", "Asia/Kathmandu", "America/St_Johns" };
	const gint64 deltas[] = { -86400, -86399, -3600, -1800, -1, 1, 900, 3600, 43200, 86399, 86400 };
	const gint64 edges[] = { G_GINT64_CONSTANT (-62135596800), G_GINT64_CONSTANT (-62135596800) + 86400,
				 G_GINT64_CONSTANT (-62135596800) + 3 * 86400, G_GINT64_CONSTANT (253402300799),
				 G_GINT64_CONSTANT (253402300799) - 86400, G_GINT64_CONSTANT (253402300799) - 3 * 86400,
				 G_GINT64_CONSTANT (-99999999999), G_GINT64_CONSTANT (999999999999), -1, 0, 1 };
	const char *old_tz = g_getenv ("TZ");
	g_autofree char *saved = g_strdup (old_tz);
	guint checked = 0;
	for (guint z = 0; z < G_N_ELEMENTS (zones); z++) {
		g_autofree char *file = g_build_filename ("/usr/share/zoneinfo", zones[z] ? zones[z] : "UTC", NULL);
		if (zones[z] && strcmp (zones[z], "UTC") != 0 && !g_file_test (file, G_FILE_TEST_EXISTS))
			continue;
		if (zones[z])
			g_setenv ("TZ", zones[z], TRUE);
		else
			g_unsetenv ("TZ");
		GArray *when = g_array_new (FALSE, FALSE, sizeof (gint64));
		for (guint e = 0; e < G_N_ELEMENTS (edges); e++)
			g_array_append_val (when, edges[e]);
		/* every 7 hours and 13 minutes from 1900 to 2100: DST changes,
		 * 2011's skipped day in Apia */
		for (gint64 t = G_GINT64_CONSTANT (-2208988800); t < G_GINT64_CONSTANT (4102444800); t += 7 * 3600 + 13 * 60 + 7)
			if ((t / 3600) % 97 == 0 || (t > 1293753600 && t < 1325462400))
				g_array_append_val (when, t);
		for (guint i = 0; i < when->len; i++)
			for (guint d = 0; d < G_N_ELEMENTS (deltas); d++) {
				gint64 pair[2] = { g_array_index (when, gint64, i), g_array_index (when, gint64, i) + deltas[d] };
				g_autofree gboolean *shared = trawl_dates_share_day (pair, 2);
				gboolean want = same_local_day (pair[0], pair[1]);
				if (shared[0] != want)
					g_error ("TZ=%s %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT ": shared %d, GDateTime says %d",
						 zones[z] ? zones[z] : "(unset)", pair[0], pair[1], shared[0], want);
				checked++;
			}
		g_array_unref (when);
	}
	if (saved)
		g_setenv ("TZ", saved, TRUE);
	else
		g_unsetenv ("TZ");
	g_test_message ("%u pairs", checked);
	g_assert_cmpuint (checked, >, 10000);
}

int
main (int argc, char **argv)
{
	/* Before any GDateTime is made. */
	set_tz ("UTC");
	g_unsetenv ("TRAWL_NOW");
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/datefmt/same-day", test_same_day);
	g_test_add_func ("/datefmt/yesterday", test_yesterday);
	g_test_add_func ("/datefmt/this-week", test_this_week);
	g_test_add_func ("/datefmt/same-year", test_same_year);
	g_test_add_func ("/datefmt/previous-year", test_previous_year);
	g_test_add_func ("/datefmt/future", test_future);
	g_test_add_func ("/datefmt/out-of-range", test_out_of_range);
	g_test_add_func ("/datefmt/width-property", test_width_property);
	g_test_add_func ("/datefmt/local-time", test_local_time);
	g_test_add_func ("/datefmt/now-override", test_now_override);
	g_test_add_func ("/datefmt/shared-days", test_shared_days);
	g_test_add_func ("/datefmt/shared-days-zones", test_shared_days_zones);

	return g_test_run ();
}
