/* timeline.c — a query's messages per year, month, week or day.
 *
 * One worker finds the date range (two sorted searches, first message only,
 * and the total count), then counts the first unit's buckets; zooming starts
 * a worker for the new unit (the worker of a unit left unfinished stops, and
 * resumes where it stopped when the unit comes back).  Each worker has a
 * read-only database handle of its own; the view's side reads what they
 * publish with atomics and wakes on a pipe.  Nothing here counts on the
 * caller's thread. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <notmuch.h>

#include "trawl/timeline.h"
#include "trawl/tags.h"
#include "trawl/wakepipe.h"
#include "model-private.h"

#define N_UNITS 4
/* Counting workers per unit, each with a handle of its own, taking every
 * WORKERS-th bucket (a bucket of '*' is a scan of the date values of the
 * whole database: two cores halve it). */
#define WORKERS 2
/* GDateTime's range: years 1 to 9999. */
#define T_MIN G_GINT64_CONSTANT (-62135596800)
#define T_MAX G_GINT64_CONSTANT (253402300799)

const char *
trawl_timeline_unit_name (TrawlTimelineUnit unit)
{
	static const char *const names[] = { "year", "month", "week", "day" };
	return (guint) unit < N_UNITS ? names[unit] : "?";
}

/* ---- bucket maths ---- */

static GDateTime *
local_at (gint64 t)
{
	return g_date_time_new_from_unix_local (CLAMP (t, T_MIN, T_MAX));
}

static gint64
local_midnight (int y, int m, int d)
{
	if (y > 9999)
		return T_MAX + 1;
	g_autoptr (GDateTime) dt = g_date_time_new_local (y, m, d, 0, 0, 0);
	return dt ? g_date_time_to_unix (dt) : T_MAX + 1;
}

gint64
trawl_timeline_floor (gint64 t, TrawlTimelineUnit unit)
{
	g_autoptr (GDateTime) dt = local_at (t);
	int y, m, d;
	g_date_time_get_ymd (dt, &y, &m, &d);
	switch (unit) {
	case TRAWL_TIMELINE_YEAR:
		return local_midnight (y, 1, 1);
	case TRAWL_TIMELINE_MONTH:
		return local_midnight (y, m, 1);
	case TRAWL_TIMELINE_WEEK: {
		GDate date;
		g_date_clear (&date, 1);
		g_date_set_dmy (&date, d, m, y);
		/* Monday is 1: back to the week's Monday. */
		guint back = g_date_get_weekday (&date) - G_DATE_MONDAY;
		if (g_date_get_julian (&date) > back)
			g_date_subtract_days (&date, back);
		return local_midnight (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
	}
	case TRAWL_TIMELINE_DAY:
	default:
		return local_midnight (y, m, d);
	}
}

gint64
trawl_timeline_next (gint64 start, TrawlTimelineUnit unit)
{
	if (start > T_MAX)
		return start + 1;
	g_autoptr (GDateTime) dt = local_at (start);
	int y, m, d;
	g_date_time_get_ymd (dt, &y, &m, &d);
	GDate date;
	g_date_clear (&date, 1);
	g_date_set_dmy (&date, d, m, y);
	switch (unit) {
	case TRAWL_TIMELINE_YEAR:
		if (y >= 9999)
			return T_MAX + 1;
		g_date_add_years (&date, 1);
		break;
	case TRAWL_TIMELINE_MONTH:
		if (y >= 9999 && m == 12)
			return T_MAX + 1;
		g_date_add_months (&date, 1);
		break;
	case TRAWL_TIMELINE_WEEK:
		if (y >= 9999 && m == 12 && d > 24)
			return T_MAX + 1;
		g_date_add_days (&date, 7);
		break;
	case TRAWL_TIMELINE_DAY:
	default:
		if (y >= 9999 && m == 12 && d == 31)
			return T_MAX + 1;
		g_date_add_days (&date, 1);
		break;
	}
	gint64 next = local_midnight (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
	/* A bucket is never empty of time, whatever the zone's rules did. */
	return next > start ? next : start + 1;
}

guint
trawl_timeline_span (gint64 first, gint64 last, TrawlTimelineUnit unit, guint limit)
{
	guint n = 0;
	last = MIN (last, T_MAX);
	for (gint64 s = trawl_timeline_floor (first, unit); s <= last && n <= limit; s = trawl_timeline_next (s, unit))
		n++;
	return MAX (n, 1);
}

char *
trawl_timeline_label (gint64 start, TrawlTimelineUnit unit)
{
	g_autoptr (GDateTime) dt = local_at (start);
	const char *fmt = unit == TRAWL_TIMELINE_YEAR ? "%Y"
		: unit == TRAWL_TIMELINE_MONTH ? "%Y-%m"
		: unit == TRAWL_TIMELINE_WEEK ? "%Y-%m-%d W%V" : "%Y-%m-%d";
	return g_date_time_format (dt, fmt);
}

char *
trawl_timeline_term (gint64 start, gint64 end)
{
	/* notmuch's @N..@M is inclusive at both ends, to the second. */
	return g_strdup_printf ("date:@%" G_GINT64_FORMAT "..@%" G_GINT64_FORMAT, MAX (start, 0), MAX (end - 1, 0));
}

char *
trawl_timeline_narrow (const char *query, gint64 start, gint64 end)
{
	g_autofree char *term = trawl_timeline_term (start, end);
	g_autofree char *trimmed = g_strstrip (g_strdup (query ? query : ""));
	if (!*trimmed || strcmp (trimmed, "*") == 0)
		return g_steal_pointer (&term);
	return g_strdup_printf ("(%s) and (%s)", query, term);
}

/* ---- the shared state ---- */

static gint workers_alive;
static gint queries_all;
static gint recounts_all;	/* buckets recounted after tag changes */
static gint skipped_all;	/* tag changes that could not change a count */

typedef struct {
	guint n;		/* 0: not laid out yet */
	gint64 *starts;		/* display order */
	gint *counts;		/* -1 until counted; atomic */
	gint *updating;		/* >0: a tag change's recount is due; atomic */
	gint gen;		/* a worker stops when this moves on; atomic */
} Unit;

typedef struct {
	gint ref;
	gint cancel;
	char *db_path;
	char *query;
	char **exclude_tags;
	gboolean newest_first;
	TrawlWakePipe wake;	/* never finishes: a unit's workers can start at any time */
	gint queries;		/* count queries run; atomic */
	/* Written by the range worker before it sets ready (and never after). */
	gint ready;
	gint64 first, last, total;
	TrawlTimelineUnit first_unit;
	char *error;
	gpointer count_error;	/* char *: the first failed count's reason; set once, atomically */
	Unit units[N_UNITS];
	gint patching;		/* buckets waiting for a tag change's recount; atomic */
	gint recounts;		/* buckets recounted after tag changes; atomic */
	gint patch_workers;	/* tag changes' workers still running; atomic */
} Shared;

struct TrawlTimeline {
	Shared *sh;
	TrawlTimelineUnit unit;
	TrawlTimelineUnit asked;	/* before the range is known */
	guint counted;			/* of the current unit, as last collected */
};

typedef struct {
	Shared *sh;
	gboolean find_range;
	TrawlTimelineUnit unit;
	gint gen;
	guint offset;		/* counts buckets offset, offset + WORKERS, ... */
} Work;

static gboolean spawn (Shared *sh, TrawlTimelineUnit unit, gboolean find_range, gint gen, guint offset,
		       GError **error);

static void
shared_unref (Shared *sh)
{
	if (!g_atomic_int_dec_and_test (&sh->ref))
		return;
	trawl_wake_pipe_clear (&sh->wake);
	g_free (sh->db_path);
	g_free (sh->query);
	g_strfreev (sh->exclude_tags);
	g_free (sh->error);
	g_free (sh->count_error);
	for (int u = 0; u < N_UNITS; u++) {
		g_free (sh->units[u].starts);
		g_free (sh->units[u].counts);
		g_free (sh->units[u].updating);
	}
	g_free (sh);
}

static notmuch_query_t *
make_query (Shared *sh, notmuch_database_t *nm, const char *text, notmuch_sort_t sort)
{
	notmuch_query_t *q = NULL;
	if (notmuch_query_create_with_syntax (nm, text, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q) != NOTMUCH_STATUS_SUCCESS)
		return NULL;
	notmuch_query_set_sort (q, sort);
	for (char **t = sh->exclude_tags; t && *t; t++)
		notmuch_query_add_tag_exclude (q, *t);
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
	return q;
}

static gint64
count (Shared *sh, notmuch_database_t *nm, const char *text)
{
	notmuch_query_t *q = make_query (sh, nm, text, NOTMUCH_SORT_UNSORTED);
	unsigned n = 0;
	g_atomic_int_inc (&sh->queries);
	g_atomic_int_inc (&queries_all);
	notmuch_status_t st = q ? notmuch_query_count_messages (q, &n) : NOTMUCH_STATUS_XAPIAN_EXCEPTION;
	if (q)
		notmuch_query_destroy (q);
	if (st == NOTMUCH_STATUS_SUCCESS)
		return n;
	/* Said (the first reason), never shown as an empty bucket. */
	const char *why = notmuch_database_status_string (nm);
	g_autofree char *w = g_strdup (why ? why : notmuch_status_to_string (st));
	trawl_strip_newlines (w);
	char *msg = g_strdup_printf ("notmuch could not count %s: %s", text, w);
	if (!g_atomic_pointer_compare_and_exchange (&sh->count_error, NULL, msg))
		g_free (msg);
	return -1;
}

/* The date of the first message in SORT order; FALSE when there is none. */
static gboolean
edge_date (Shared *sh, notmuch_database_t *nm, notmuch_sort_t sort, gint64 *date)
{
	notmuch_query_t *q = make_query (sh, nm, sh->query, sort);
	if (!q)
		return FALSE;
	notmuch_messages_t *msgs = NULL;
	gboolean found = FALSE;
	if (notmuch_query_search_messages (q, &msgs) == NOTMUCH_STATUS_SUCCESS && msgs &&
	    notmuch_messages_valid (msgs)) {
		notmuch_message_t *m = notmuch_messages_get (msgs);
		*date = notmuch_message_get_date (m);
		found = TRUE;
	}
	notmuch_query_destroy (q);
	return found;
}

/* Lays out UNIT's buckets over the range, in display order. */
static void
layout (Shared *sh, TrawlTimelineUnit unit)
{
	Unit *u = &sh->units[unit];
	guint n = trawl_timeline_span (sh->first, sh->last, unit, TRAWL_TIMELINE_MAX_BUCKETS);
	u->starts = g_new (gint64, n + 1);
	u->counts = g_new (gint, n);
	u->updating = g_new0 (gint, n);
	gint64 s = trawl_timeline_floor (sh->first, unit);
	for (guint i = 0; i < n; i++, s = trawl_timeline_next (s, unit)) {
		guint k = sh->newest_first ? n - 1 - i : i;
		u->starts[k] = s;
		u->counts[i] = -1;
	}
	/* The end of the last bucket in time, kept after the starts.  Dates
	 * past the calendar's ends (years 1 to 9999) go in the end buckets. */
	u->starts[n] = MAX (s, sh->last + 1);
	guint oldest = sh->newest_first ? n - 1 : 0;
	u->starts[oldest] = MIN (u->starts[oldest], sh->first);
	u->n = n;
}

static gint64
bucket_end (const Shared *sh, const Unit *u, guint i)
{
	if (sh->newest_first)
		return i == 0 ? u->starts[u->n] : u->starts[i - 1];
	return i + 1 < u->n ? u->starts[i + 1] : u->starts[u->n];
}

static gboolean
stopped (Work *w)
{
	return g_atomic_int_get (&w->sh->cancel) || g_atomic_int_get (&w->sh->units[w->unit].gen) != w->gen;
}

/* The messages counted so far, by every worker of the unit. */
static gint64
counted_sum (const Unit *u)
{
	gint64 sum = 0;
	for (guint i = 0; i < u->n; i++)
		sum += MAX (g_atomic_int_get (&u->counts[i]), 0);
	return sum;
}

static void
count_unit (Work *w, notmuch_database_t *nm)
{
	Shared *sh = w->sh;
	Unit *u = &sh->units[w->unit];
	gint64 sum = counted_sum (u);
	gint64 last_wake = g_get_monotonic_time ();
	guint k = 0;
	for (guint i = w->offset; i < u->n && !stopped (w); i += WORKERS) {
		if (g_atomic_int_get (&u->counts[i]) != -1)
			continue;
		gint64 c = 0;
		/* Once every message is in a bucket, the rest are empty (the
		 * other workers' counts are added up every few buckets). */
		if (sum < sh->total && ++k % 8 == 0)
			sum = counted_sum (u);
		if (sum < sh->total) {
			g_autofree char *q = trawl_timeline_narrow (sh->query, u->starts[i], bucket_end (sh, u, i));
			c = count (sh, nm, q);
		}
		sum += MAX (c, 0);
		g_atomic_int_set (&u->counts[i], c < 0 ? -2 : (gint) MIN (c, G_MAXINT));
		/* The screen is woken a few times a second, not per bucket. */
		if (g_get_monotonic_time () - last_wake > 50000) {
			trawl_wake_pipe_signal (&sh->wake);
			last_wake = g_get_monotonic_time ();
		}
	}
}

static gpointer
worker (gpointer data)
{
	Work *w = data;
	Shared *sh = w->sh;
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (sh->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
								 "", NULL, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS || !nm) {
		g_autofree char *m = g_strdup (msg ? msg : notmuch_status_to_string (st));
		trawl_strip_newlines (m);
		if (w->find_range) {
			sh->error = g_strdup_printf ("no timeline: cannot open the notmuch database %s: %s",
						     sh->db_path, m);
			g_atomic_int_set (&sh->ready, 1);
		} else {
			/* Its buckets are said to have failed, not left "counting". */
			char *e = g_strdup_printf ("cannot open the notmuch database %s: %s", sh->db_path, m);
			if (!g_atomic_pointer_compare_and_exchange (&sh->count_error, NULL, e))
				g_free (e);
			Unit *u = &sh->units[w->unit];
			for (guint i = w->offset; i < u->n && !stopped (w); i += WORKERS)
				g_atomic_int_compare_and_exchange (&u->counts[i], -1, -2);
		}
		if (nm)
			notmuch_database_destroy (nm);
		nm = NULL;
	}
	free (msg);
	if (nm && w->find_range && !stopped (w)) {
		gint64 total = count (sh, nm, sh->query);
		gint64 first = 0, last = 0;
		if (total < 0) {
			sh->error = g_strdup_printf ("no timeline: notmuch cannot run the query %s", sh->query);
		} else if (total > 0 && edge_date (sh, nm, NOTMUCH_SORT_OLDEST_FIRST, &first) &&
			   edge_date (sh, nm, NOTMUCH_SORT_NEWEST_FIRST, &last)) {
			sh->first = MIN (first, last);
			sh->last = MAX (first, last);
			/* The finest unit asked for that fits. */
			TrawlTimelineUnit unit = w->unit;
			while (unit > TRAWL_TIMELINE_YEAR &&
			       trawl_timeline_span (sh->first, sh->last, unit, TRAWL_TIMELINE_MAX_BUCKETS)
			       > TRAWL_TIMELINE_MAX_BUCKETS)
				unit--;
			if (unit != w->unit) {
				w->unit = unit;
				w->gen = g_atomic_int_add (&sh->units[unit].gen, 1) + 1;
			}
			sh->first_unit = unit;
			layout (sh, unit);
		} else {
			total = 0;
		}
		sh->total = total;
		g_atomic_int_set (&sh->ready, 1);
		trawl_wake_pipe_signal (&sh->wake);
		/* The unit's other workers, once what they read is there. */
		for (guint o = 1; o < WORKERS && !sh->error && total > 0; o++)
			spawn (sh, w->unit, FALSE, w->gen, o, NULL);
	}
	if (nm && !sh->error && sh->total > 0)
		count_unit (w, nm);
	if (nm)
		notmuch_database_destroy (nm);
	if (w->find_range && !g_atomic_int_get (&sh->ready))
		g_atomic_int_set (&sh->ready, 1);	/* cancelled before: nothing to show */
	trawl_wake_pipe_signal (&sh->wake);
	shared_unref (sh);
	g_free (w);
	g_atomic_int_add (&workers_alive, -1);
	return NULL;
}

static gboolean
spawn (Shared *sh, TrawlTimelineUnit unit, gboolean find_range, gint gen, guint offset, GError **error)
{
	Work *w = g_new0 (Work, 1);
	w->sh = sh;
	w->unit = unit;
	w->find_range = find_range;
	w->gen = gen;
	w->offset = offset;
	g_atomic_int_inc (&sh->ref);
	g_atomic_int_inc (&workers_alive);
	g_autoptr (GError) e = NULL;
	GThread *th = g_thread_try_new ("trawl-timeline", worker, w, &e);
	if (th) {
		g_thread_unref (th);
		return TRUE;
	}
	g_atomic_int_add (&sh->ref, -1);
	g_atomic_int_add (&workers_alive, -1);
	g_free (w);
	g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "cannot count: %s",
		     e ? e->message : "no thread");
	return FALSE;
}

/* The range worker (FIND_RANGE: it starts the unit's other workers once it
 * has laid the buckets out), or every counting worker of UNIT. */
static gboolean
start (TrawlTimeline *tl, TrawlTimelineUnit unit, gboolean find_range, GError **error)
{
	Shared *sh = tl->sh;
	gint gen = g_atomic_int_add (&sh->units[unit].gen, 1) + 1;
	if (!spawn (sh, unit, find_range, gen, 0, error))
		return FALSE;
	for (guint o = 1; o < WORKERS && !find_range; o++)
		spawn (sh, unit, FALSE, gen, o, NULL);
	return TRUE;
}

TrawlTimeline *
trawl_timeline_new (TrawlDb *db, const char *query, TrawlTimelineUnit unit, gboolean newest_first)
{
	TrawlTimeline *tl = g_new0 (TrawlTimeline, 1);
	Shared *sh = g_new0 (Shared, 1);
	sh->ref = 1;
	sh->db_path = g_strdup (db->path);
	sh->query = g_strdup (query);
	sh->exclude_tags = g_strdupv (db->exclude_tags);
	sh->newest_first = newest_first;
	sh->total = -1;
	tl->sh = sh;
	tl->unit = tl->asked = unit;
	g_autoptr (GError) e = NULL;
	if (!trawl_wake_pipe_init (&sh->wake, &e)) {
		sh->error = g_strdup_printf ("no timeline: %s", e->message);
		sh->ready = 1;
		return tl;
	}
	if (!start (tl, unit, TRUE, &e)) {
		sh->error = g_strdup_printf ("no timeline: %s", e->message);
		sh->ready = 1;
	}
	return tl;
}

void
trawl_timeline_free (TrawlTimeline *tl)
{
	if (!tl)
		return;
	g_atomic_int_set (&tl->sh->cancel, 1);
	shared_unref (tl->sh);
	g_free (tl);
}

const char *
trawl_timeline_query (const TrawlTimeline *tl)
{
	return tl->sh->query;
}

gboolean
trawl_timeline_newest_first (const TrawlTimeline *tl)
{
	return tl->sh->newest_first;
}

gboolean
trawl_timeline_ready (const TrawlTimeline *tl)
{
	return g_atomic_int_get (&tl->sh->ready) != 0;
}

const char *
trawl_timeline_error (const TrawlTimeline *tl)
{
	return trawl_timeline_ready (tl) ? tl->sh->error : NULL;
}

gboolean
trawl_timeline_empty (const TrawlTimeline *tl)
{
	return trawl_timeline_ready (tl) && !tl->sh->error && tl->sh->total == 0;
}

gint64
trawl_timeline_first (const TrawlTimeline *tl)
{
	return trawl_timeline_ready (tl) ? tl->sh->first : 0;
}

gint64
trawl_timeline_last (const TrawlTimeline *tl)
{
	return trawl_timeline_ready (tl) ? tl->sh->last : 0;
}

gint64
trawl_timeline_total (const TrawlTimeline *tl)
{
	/* A tag change's recount may move it (after ready): atomic. */
	return trawl_timeline_ready (tl) ? __atomic_load_n (&tl->sh->total, __ATOMIC_RELAXED) : -1;
}

/* The unit shown: the one asked for, or the one the range allowed. */
static const Unit *
current (const TrawlTimeline *tl)
{
	if (!trawl_timeline_ready (tl) || tl->sh->error || tl->sh->total <= 0)
		return NULL;
	const Unit *u = &tl->sh->units[tl->unit];
	return u->n ? u : NULL;
}

TrawlTimelineUnit
trawl_timeline_unit (const TrawlTimeline *tl)
{
	return tl->unit;
}

guint
trawl_timeline_len (const TrawlTimeline *tl)
{
	const Unit *u = current (tl);
	return u ? u->n : 0;
}

gint64
trawl_timeline_start (const TrawlTimeline *tl, guint i)
{
	const Unit *u = current (tl);
	return u && i < u->n ? u->starts[i] : 0;
}

gint64
trawl_timeline_end (const TrawlTimeline *tl, guint i)
{
	const Unit *u = current (tl);
	return u && i < u->n ? bucket_end (tl->sh, u, i) : 0;
}

gint64
trawl_timeline_count (const TrawlTimeline *tl, guint i)
{
	const Unit *u = current (tl);
	return u && i < u->n ? g_atomic_int_get (&u->counts[i]) : -1;
}

const char *
trawl_timeline_count_error (const TrawlTimeline *tl)
{
	return g_atomic_pointer_get (&tl->sh->count_error);
}

guint
trawl_timeline_counted (const TrawlTimeline *tl)
{
	return tl->counted;
}

guint
trawl_timeline_find (const TrawlTimeline *tl, gint64 t)
{
	const Unit *u = current (tl);
	if (!u)
		return 0;
	for (guint i = 0; i < u->n; i++)
		if (u->starts[i] <= t && t < bucket_end (tl->sh, u, i))
			return i;
	/* Outside every bucket: the oldest or the newest one. */
	guint oldest = tl->sh->newest_first ? u->n - 1 : 0;
	return t < u->starts[oldest] ? oldest : u->n - 1 - oldest;
}

gboolean
trawl_timeline_set_unit (TrawlTimeline *tl, TrawlTimelineUnit unit, GError **error)
{
	Shared *sh = tl->sh;
	if (!trawl_timeline_ready (tl) || sh->error || sh->total <= 0) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "%s",
			     sh->error ? sh->error
			     : trawl_timeline_ready (tl) ? "no messages to count" : "still finding the dates");
		return FALSE;
	}
	if (unit == tl->unit)
		return TRUE;
	Unit *u = &sh->units[unit];
	if (!u->n) {
		guint n = trawl_timeline_span (sh->first, sh->last, unit, TRAWL_TIMELINE_MAX_BUCKETS);
		if (n > TRAWL_TIMELINE_MAX_BUCKETS) {
			g_autofree char *a = trawl_timeline_label (sh->first, TRAWL_TIMELINE_DAY);
			g_autofree char *b = trawl_timeline_label (sh->last, TRAWL_TIMELINE_DAY);
			g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED,
				     "%s to %s is more than %d %ss: narrow to a shorter span first (Enter on a bucket)",
				     a, b, TRAWL_TIMELINE_MAX_BUCKETS, trawl_timeline_unit_name (unit));
			return FALSE;
		}
		layout (sh, unit);
	}
	/* The unit left stops counting (and resumes if it comes back). */
	Unit *old = &sh->units[tl->unit];
	g_atomic_int_inc (&old->gen);
	tl->unit = unit;
	gboolean complete = TRUE;
	for (guint i = 0; i < u->n && complete; i++)
		complete = g_atomic_int_get (&u->counts[i]) != -1;
	if (!complete && !start (tl, unit, FALSE, error))
		return FALSE;
	trawl_timeline_collect (tl);
	return TRUE;
}

int
trawl_timeline_wake_fd (const TrawlTimeline *tl)
{
	return trawl_wake_pipe_fd (&tl->sh->wake);
}

gboolean
trawl_timeline_collect (TrawlTimeline *tl)
{
	gboolean news = trawl_wake_pipe_drain (&tl->sh->wake);
	if (trawl_timeline_ready (tl) && !tl->sh->error && tl->sh->total > 0 && tl->sh->units[tl->sh->first_unit].n &&
	    !tl->sh->units[tl->unit].n)
		tl->unit = tl->sh->first_unit;	/* the range allowed only a coarser one */
	guint counted = 0;
	const Unit *u = current (tl);
	for (guint i = 0; u && i < u->n; i++)
		counted += g_atomic_int_get (&u->counts[i]) != -1;
	news |= counted != tl->counted;
	tl->counted = counted;
	return news;
}

void
trawl_timeline_wait (TrawlTimeline *tl)
{
	for (;;) {
		trawl_timeline_collect (tl);
		if (trawl_timeline_error (tl) || trawl_timeline_empty (tl))
			return;
		if (trawl_timeline_ready (tl) && tl->counted == trawl_timeline_len (tl) && trawl_timeline_len (tl))
			return;
		g_usleep (1000);
	}
}

guint
trawl_timeline_queries (const TrawlTimeline *tl)
{
	return g_atomic_int_get (&tl->sh->queries);
}

guint
trawl_timeline_workers_alive (void)
{
	return g_atomic_int_get (&workers_alive);
}

guint
trawl_timeline_queries_all (void)
{
	return g_atomic_int_get (&queries_all);
}

/* ---- after a tag change: the buckets of the touched messages ---- */

typedef struct {
	Shared *sh;
	GPtrArray *ids;			/* char *: the touched messages */
	gboolean laid[N_UNITS];		/* the units laid out when the change came */
} PatchWork;

/* The bucket (display order) of UNIT holding T; -1 when T is outside them
 * all (the range is kept: a message older or newer than it is not shown). */
static gssize
bucket_of (const Shared *sh, const Unit *u, gint64 t)
{
	if (!u->n)
		return -1;
	/* In time order: 0 is the oldest. */
	gsize lo = 0, hi = u->n;
	while (lo < hi) {
		gsize mid = (lo + hi) / 2;
		gsize k = sh->newest_first ? u->n - 1 - mid : mid;
		if (u->starts[k] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	gsize k = sh->newest_first ? u->n - lo : lo - 1;
	return t < bucket_end (sh, u, k) ? (gssize) k : -1;
}

static gpointer
patch_worker (gpointer data)
{
	PatchWork *pw = data;
	Shared *sh = pw->sh;
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (sh->db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
								 "", NULL, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS || !nm) {
		g_autofree char *m = g_strdup (msg ? msg : notmuch_status_to_string (st));
		trawl_strip_newlines (m);
		char *e = g_strdup_printf ("cannot recount after the tag change: cannot open the notmuch database %s: %s",
					   sh->db_path, m);
		if (!g_atomic_pointer_compare_and_exchange (&sh->count_error, NULL, e))
			g_free (e);
		if (nm)
			notmuch_database_destroy (nm);
		nm = NULL;
	}
	free (msg);
	/* The touched messages' dates: one lookup by id each. */
	g_autoptr (GArray) dates = g_array_new (FALSE, FALSE, sizeof (gint64));
	for (guint i = 0; nm && i < pw->ids->len && !g_atomic_int_get (&sh->cancel); i++) {
		notmuch_message_t *m = NULL;
		if (notmuch_database_find_message (nm, pw->ids->pdata[i], &m) == NOTMUCH_STATUS_SUCCESS && m) {
			gint64 d = notmuch_message_get_date (m);
			g_array_append_val (dates, d);
			notmuch_message_destroy (m);
		}
	}
	/* Their buckets, in every unit laid out: marked as updating at once
	 * (their old counts stay on screen), then recounted one by one. */
	GArray *todo[N_UNITS] = { NULL };
	for (int un = 0; un < N_UNITS; un++) {
		if (!pw->laid[un] || !nm)
			continue;
		Unit *u = &sh->units[un];
		todo[un] = g_array_new (FALSE, FALSE, sizeof (guint));
		g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
		for (guint i = 0; i < dates->len; i++) {
			gssize k = bucket_of (sh, u, g_array_index (dates, gint64, i));
			if (k >= 0 && g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize) k + 1))) {
				guint kk = (guint) k;
				g_array_append_val (todo[un], kk);
				g_atomic_int_inc (&u->updating[kk]);
				g_atomic_int_inc (&sh->patching);
			}
		}
	}
	trawl_wake_pipe_signal (&sh->wake);
	/* The total moves by what the first unit's buckets moved (each message
	 * is in one of its buckets); when one of them was not counted yet, the
	 * total is counted anew. */
	gint64 delta = 0;
	gboolean delta_known = TRUE;
	int tunit = sh->first_unit;
	gint64 last_wake = g_get_monotonic_time ();
	for (int un = 0; un < N_UNITS; un++) {
		if (!todo[un])
			continue;
		Unit *u = &sh->units[un];
		for (guint j = 0; j < todo[un]->len; j++) {
			guint k = g_array_index (todo[un], guint, j);
			if (!g_atomic_int_get (&sh->cancel)) {
				g_autofree char *q = trawl_timeline_narrow (sh->query, u->starts[k], bucket_end (sh, u, k));
				gint64 c = count (sh, nm, q);
				gint old = g_atomic_int_get (&u->counts[k]);
				if (un == tunit) {
					if (old >= 0 && c >= 0)
						delta += c - old;
					else
						delta_known = FALSE;
				}
				g_atomic_int_set (&u->counts[k], c < 0 ? -2 : (gint) MIN (c, G_MAXINT));
				g_atomic_int_inc (&sh->recounts);
				g_atomic_int_inc (&recounts_all);
			}
			g_atomic_int_add (&u->updating[k], -1);
			g_atomic_int_add (&sh->patching, -1);
			if (g_get_monotonic_time () - last_wake > 50000) {
				trawl_wake_pipe_signal (&sh->wake);
				last_wake = g_get_monotonic_time ();
			}
		}
		g_array_unref (todo[un]);
	}
	if (nm && !g_atomic_int_get (&sh->cancel) && (!pw->laid[tunit] || !delta_known)) {
		gint64 t = count (sh, nm, sh->query);
		if (t >= 0)
			__atomic_store_n (&sh->total, t, __ATOMIC_RELAXED);
	} else if (nm && delta) {
		__atomic_add_fetch (&sh->total, delta, __ATOMIC_RELAXED);
	}
	if (nm)
		notmuch_database_destroy (nm);
	g_atomic_int_add (&sh->patch_workers, -1);
	trawl_wake_pipe_signal (&sh->wake);
	g_ptr_array_unref (pw->ids);
	g_free (pw);
	shared_unref (sh);
	g_atomic_int_add (&workers_alive, -1);
	return NULL;
}

gboolean
trawl_timeline_patch (TrawlTimeline *tl, const TrawlTagChange *change)
{
	Shared *sh = tl->sh;
	if (!change || !trawl_tag_change_count (change))
		return FALSE;
	g_autoptr (GPtrArray) tags = trawl_tag_change_tags (change);
	g_ptr_array_add (tags, NULL);
	const char *const *tv = (const char *const *) tags->pdata;
	if (!trawl_query_mentions_tags (sh->query, tv) && !trawl_tags_excluded (tv, sh->exclude_tags)) {
		g_atomic_int_inc (&skipped_all);
		return FALSE;
	}
	/* Nothing laid out yet (the range is being found, or it failed, or
	 * nothing matched): nothing held to patch. */
	if (!trawl_timeline_ready (tl) || sh->error || !sh->units[sh->first_unit].n)
		return FALSE;
	PatchWork *pw = g_new0 (PatchWork, 1);
	pw->sh = sh;
	pw->ids = g_ptr_array_new_full (trawl_tag_change_count (change), g_free);
	for (guint i = 0; i < trawl_tag_change_count (change); i++)
		g_ptr_array_add (pw->ids, g_strdup (trawl_tag_change_id (change, i)));
	for (int u = 0; u < N_UNITS; u++)
		pw->laid[u] = sh->units[u].n > 0;
	g_atomic_int_inc (&sh->ref);
	g_atomic_int_inc (&workers_alive);
	g_atomic_int_inc (&sh->patch_workers);
	GThread *th = g_thread_try_new ("trawl-timeline-patch", patch_worker, pw, NULL);
	if (!th) {
		g_atomic_int_add (&sh->patch_workers, -1);
		g_atomic_int_add (&sh->ref, -1);
		g_atomic_int_add (&workers_alive, -1);
		g_ptr_array_unref (pw->ids);
		g_free (pw);
		return FALSE;
	}
	g_thread_unref (th);
	return TRUE;
}

gboolean
trawl_timeline_updating (const TrawlTimeline *tl, guint i)
{
	const Unit *u = current (tl);
	return u && i < u->n && g_atomic_int_get (&u->updating[i]) > 0;
}

guint
trawl_timeline_patching (const TrawlTimeline *tl)
{
	return (guint) MAX (g_atomic_int_get (&tl->sh->patching), 0);
}

guint
trawl_timeline_recounts (const TrawlTimeline *tl)
{
	return (guint) g_atomic_int_get (&tl->sh->recounts);
}

guint
trawl_timeline_recounts_all (void)
{
	return (guint) g_atomic_int_get (&recounts_all);
}

guint
trawl_timeline_patches_skipped_all (void)
{
	return (guint) g_atomic_int_get (&skipped_all);
}

gboolean
trawl_timeline_patch_running (const TrawlTimeline *tl)
{
	return g_atomic_int_get (&tl->sh->patch_workers) > 0;
}

void
trawl_timeline_wait_patched (TrawlTimeline *tl)
{
	while (g_atomic_int_get (&tl->sh->patch_workers) > 0)
		g_usleep (1000);
	trawl_timeline_collect (tl);
}
