/* datefmt.h — dates as the thread list shows them.  No curses, no notmuch. */
#ifndef TRAWL_DATEFMT_H
#define TRAWL_DATEFMT_H

#include <glib.h>

G_BEGIN_DECLS

/* Formats WHEN (unix time) relative to NOW, in local time, into at most
 * TRAWL_DATE_WIDTH columns of ASCII:
 *   same day          "14:05"
 *   yesterday         "Yest 14:05"
 *   within 6 days     "Tue 14:05"
 *   same year         "Mar 01"
 *   older, or future  "2019-03-01"
 * Returns a new string. */
#define TRAWL_DATE_WIDTH 10
char *trawl_date_format (gint64 when, gint64 now);

/* FORMAT "relative" (or NULL): as above; else a strftime-like format
 * (g_date_time_format) in local time.  Newly allocated. */
char *trawl_date_format_with (gint64 when, gint64 now, const char *format);
/* The columns a date in FORMAT takes. */
int trawl_date_width (const char *format);

/* The current time, or TRAWL_NOW (unix seconds) when set, so tests can pin it. */
gint64 trawl_date_now (void);

G_END_DECLS

#endif
