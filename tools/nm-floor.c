/* nm-floor.c -- the libnotmuch floor for a first screen, for tools/bench.sh.
 *
 *   cc -O2 -o nm-floor tools/nm-floor.c -lnotmuch  (pkg-config notmuch if it has a .pc)
 *   NOTMUCH_CONFIG=CFG nm-floor [-n N] [-m threads|count] [QUERY]
 *
 * Opens the database read-only (the config named by NOTMUCH_CONFIG), runs
 * QUERY (default '*') as a thread query sorted newest first, and prints the
 * first N (default 50) thread summaries as notmuch search --output=summary
 * does: date, matched/total, authors, subject, tags.  -m count prints
 * notmuch_query_count_threads instead.  It does nothing a reader could skip:
 * no drawing, no sanitising, no cache, so no reader built on libnotmuch can
 * show that screen faster.  Exits 1 with a message on any error.
 */
#include <notmuch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
die (const char *what, notmuch_status_t st, const char *msg)
{
	fprintf (stderr, "nm-floor: %s: %s%s%s\n", what, notmuch_status_to_string (st),
		 msg ? ": " : "", msg ? msg : "");
	exit (1);
}

int
main (int argc, char **argv)
{
	int n = 50, opt;
	const char *mode = "threads";
	while ((opt = getopt (argc, argv, "n:m:h")) != -1) {
		switch (opt) {
		case 'n': n = atoi (optarg); break;
		case 'm': mode = optarg; break;
		default:
			fprintf (stderr, "usage: nm-floor [-n N] [-m threads|count] [QUERY]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	const char *qs = optind < argc ? argv[optind] : "*";
	if (strcmp (mode, "threads") && strcmp (mode, "count")) {
		fprintf (stderr, "nm-floor: -m %s: not threads or count\n", mode);
		return 2;
	}
	notmuch_database_t *db = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_ONLY,
								 NULL, NULL, &db, &msg);
	if (st)
		die ("open", st, msg);
	notmuch_query_t *q = notmuch_query_create (db, qs);
	if (!q)
		die ("query", NOTMUCH_STATUS_OUT_OF_MEMORY, NULL);
	if (!strcmp (mode, "count")) {
		unsigned c = 0;
		st = notmuch_query_count_threads (q, &c);
		if (st)
			die ("count", st, NULL);
		printf ("%u\n", c);
		return 0;
	}
	notmuch_query_set_sort (q, NOTMUCH_SORT_NEWEST_FIRST);
	notmuch_threads_t *ts = NULL;
	st = notmuch_query_search_threads (q, &ts);
	if (st)
		die ("search", st, NULL);
	for (int i = 0; i < n && notmuch_threads_valid (ts); i++, notmuch_threads_move_to_next (ts)) {
		notmuch_thread_t *t = notmuch_threads_get (ts);
		time_t d = notmuch_thread_get_newest_date (t);
		struct tm tm;
		char date[32];
		strftime (date, sizeof date, "%Y-%m-%d", localtime_r (&d, &tm));
		const char *authors = notmuch_thread_get_authors (t);
		const char *subject = notmuch_thread_get_subject (t);
		printf ("thread:%s  %s [%d/%d] %s; %s (", notmuch_thread_get_thread_id (t), date,
			notmuch_thread_get_matched_messages (t), notmuch_thread_get_total_messages (t),
			authors ? authors : "", subject ? subject : "");
		notmuch_tags_t *tags = notmuch_thread_get_tags (t);
		for (int first = 1; notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags), first = 0)
			printf ("%s%s", first ? "" : " ", notmuch_tags_get (tags));
		printf (")\n");
		notmuch_thread_destroy (t);
	}
	notmuch_query_destroy (q);
	notmuch_database_destroy (db);
	return 0;
}
