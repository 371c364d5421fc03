/* sameday.h — which messages of a thread share a day, so that their rows
 * show the time as well as the date.  No curses, no notmuch. */
#ifndef TRAWL_SAMEDAY_H
#define TRAWL_SAMEDAY_H

#include <glib.h>

G_BEGIN_DECLS

/* For each of the N unix times DATES: does another one fall on the same
 * local calendar day?  O(N).  Newly allocated, N entries (NULL for 0). */
gboolean *trawl_dates_share_day (const gint64 *dates, guint n);

/* DATE (a date column's text for WHEN) with WHEN's local "HH:MM" after a
 * blank, unless DATE shows that time already ("Mon 10:00").  Newly
 * allocated. */
char *trawl_date_add_time (const char *date, gint64 when);

/* The columns trawl_date_add_time() may add: " HH:MM". */
#define TRAWL_DATE_TIME_WIDTH 6

G_END_DECLS

#endif
