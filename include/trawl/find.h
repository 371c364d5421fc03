/* find.h — finding text in lines as the screen shows them.  No curses: the
 * message pane's find (src/ui/find.c) and the unit tests use it.
 *
 * Smart case: a pattern with no capital letter matches regardless of case
 * (each character lowercased, g_unichar_tolower); one capital makes the
 * whole pattern case-sensitive.  Matching is on whole UTF-8 characters,
 * within a line (a hit never spans a wrapped line break), and hits do not
 * overlap: after a hit the search goes on from its end, as grep -o counts
 * them ("aa" is found twice in "aaaaa"). */
#ifndef TRAWL_FIND_H
#define TRAWL_FIND_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	guint line;		/* the line's index */
	gsize start, end;	/* byte offsets of the hit in the line: [start, end) */
} TrawlFindHit;

/* Line I of DATA's lines (NULL counts as empty). */
typedef const char *(*TrawlFindLineFunc) (gpointer data, guint i);

/* Does PATTERN match case-sensitively (it has a capital letter)? */
gboolean trawl_find_case_sensitive (const char *pattern);

/* Every hit of PATTERN in the N lines GET gives, in order (line, then
 * start): a GArray of TrawlFindHit.  Empty or NULL PATTERN: none.  Work:
 * the lines' length times the pattern's, at worst. */
GArray *trawl_find_hits_in (guint n, TrawlFindLineFunc get, gpointer data, const char *pattern);
/* The same over the array LINES of N strings. */
GArray *trawl_find_hits (const char *const *lines, guint n, const char *pattern);

/* The index of the first hit of HITS on line LINE or after it (HITS->len:
 * none); a binary search. */
guint trawl_find_first_from (const GArray *hits, guint line);

G_END_DECLS

#endif
