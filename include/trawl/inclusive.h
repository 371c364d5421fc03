/* inclusive.h — the messages of a thread worth reading: which ones a later
 * message quotes in full ("covered"), and which ones are inclusive.
 *
 * Knows GMime (through trawl/mime.h) and GLib; never curses, never notmuch.
 *
 * What "covered" means.  A message's OWN TEXT is its body text as rendered
 * (trawl/mime.h), top level only, without:
 *   - quoted lines (QUOTE, any depth),
 *   - its signature (the "-- " line and what follows it),
 *   - what follows a forward or original-message marker ("---------- Forwarded
 *     message ---------", "Begin forwarded message:", "-----Original
 *     Message-----", an Outlook "____" rule before a From: line),
 *   - attribution lines just before a quote ("On Mon, Alice wrote:"),
 *   - headers, part markers, attachments and nested messages.
 * Text is compared as a sequence of WORDS: runs of letters and digits, lower
 * case; white space, line breaks, punctuation and quote markers do not count,
 * so a quote re-wrapped to another width compares equal.
 * A message's QUOTED TEXT is, per quote depth, its quoted lines at that depth
 * in order (so that a reply interleaving its answers keeps each level
 * whole), all its quoted lines in order (a quote re-wrapped into the next
 * level), and the same for each forwarded message in it: a message/rfc822
 * part, or the text after a forward marker (there the unquoted lines count
 * as quoted too).
 * Message A is COVERED by message D when D is below A in the reply tree (a
 * reply, a reply of a reply, ...) and A's own words appear in one of D's
 * quoted texts as one unbroken run that starts at the start of a line and
 * ends at the end of one.  A message with no own words is never covered.
 * A reply quoting only part of A does not cover it; neither does a set of
 * replies that quote it in pieces.
 */
#ifndef TRAWL_INCLUSIVE_H
#define TRAWL_INCLUSIVE_H

#include <glib.h>

#include "trawl/mime.h"

G_BEGIN_DECLS

/* ---- one message's text, as the comparison sees it ---- */

typedef struct TrawlIncText TrawlIncText;

/* The own words and quoted texts of the rendered message R (only read).
 * The caller frees the result. */
TrawlIncText *trawl_inc_text_new (const TrawlRendered *r);
void trawl_inc_text_free (TrawlIncText *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlIncText, trawl_inc_text_free)
guint trawl_inc_text_own_words (const TrawlIncText *t);
/* Does LATER's quoted text hold EARLIER's own text (see above)?  Brute
 * force: for tests; the thread job below uses an index. */
gboolean trawl_inc_text_covers (const TrawlIncText *later, const TrawlIncText *earlier);
/* What the comparison sees, for tests: "own: w w w" then one line per
 * quoted text ("quote R.D: ...": region R, depth D, "*" all depths), each
 * word as written lower case, "|" at line breaks.  Newly allocated. */
char *trawl_inc_text_dump (const TrawlIncText *t);

/* ---- a thread's messages, worked out in the background ---- */

typedef enum {
	TRAWL_INC_PENDING,	/* not decided yet */
	TRAWL_INC_INCLUSIVE,	/* no message below it quotes all of it */
	TRAWL_INC_COVERED,	/* a message below it quotes all of its own text */
} TrawlIncState;

typedef struct TrawlInclusive TrawlInclusive;

/* Starts deciding the N messages of a thread, given in display order (depth
 * first: a message's replies are the DESCENDANTS[i] messages right after
 * it), each by its file PATHS[i] (copied).  A thread of its own renders each
 * file once (HTML by the built-in renderer, never an external program), from
 * the last message to the first, so each message is decided as soon as
 * everything below it has been read: results arrive bottom up.  Nothing
 * touches notmuch.  The caller frees it; freeing cancels the work. */
TrawlInclusive *trawl_inclusive_new (guint n, const char *const *paths, const guint *descendants);
void trawl_inclusive_free (TrawlInclusive *ic);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlInclusive, trawl_inclusive_free)

guint trawl_inclusive_len (const TrawlInclusive *ic);
/* Messages decided so far, and of those, covered. */
guint trawl_inclusive_decided (const TrawlInclusive *ic);
guint trawl_inclusive_covered (const TrawlInclusive *ic);
gboolean trawl_inclusive_finished (const TrawlInclusive *ic);
TrawlIncState trawl_inclusive_state (const TrawlInclusive *ic, guint message);
/* The first message (in display order) that covers MESSAGE, or -1. */
int trawl_inclusive_covered_by (const TrawlInclusive *ic, guint message);

/* Readable when results arrived; collect() drains it (TRUE: news). */
int trawl_inclusive_wake_fd (const TrawlInclusive *ic);
gboolean trawl_inclusive_collect (TrawlInclusive *ic);
/* Blocks until every message is decided (tests, benchmarks). */
void trawl_inclusive_wait (TrawlInclusive *ic);

/* What the work cost (valid once finished): files rendered (each at most
 * once), candidate positions checked, and words compared. */
typedef struct {
	guint renders;
	guint64 candidates;
	guint64 words_compared;
	gint64 elapsed_us;
} TrawlIncStats;
TrawlIncStats trawl_inclusive_stats (const TrawlInclusive *ic);

G_END_DECLS

#endif
