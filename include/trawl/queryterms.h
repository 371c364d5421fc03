/* queryterms.h — the free-text terms of a notmuch query, and where they are
 * in display lines, as notmuch matched them.
 *
 * The terms are the words of the query outside any prefix (from:, tag:,
 * date: ... are not text of the body), not negated (-word, NOT word), not
 * the boolean operators; a quoted phrase ("bar baz") or a hyphenated word
 * is a phrase.  Words match as notmuch's Xapian query parser searches them
 * (STEM_SOME): a word of the query starting with a lowercase letter by its
 * stem, Xapian's English stemmer (Xapian::Stem ("english"), the one notmuch
 * indexes with: "running", "runs", "run" share the stem "run"); a
 * capitalised word, one starting with a digit and the words of a phrase as
 * written, without case; foo* as any word starting with foo.  Text splits
 * into words as Xapian's term generator splits it (don't, AT&T, foo_bar,
 * 1,000 and C++ are one word each).  A phrase matches within one line. */
#ifndef TRAWL_QUERYTERMS_H
#define TRAWL_QUERYTERMS_H

#include <glib.h>

#include "trawl/find.h"

G_BEGIN_DECLS

/* The stem of WORD (UTF-8, any case) by Xapian's English stemmer, after
 * Xapian's lowercasing; newly allocated (g_free).  (src/model/stem.cc) */
char *trawl_stem (const char *word);

/* The terms of QUERY: a GPtrArray of GStrv, each the keys of a term's
 * words (one for a word, several for a phrase), in query order, no
 * duplicates.  A key is "Z" and the stem for a stemmed word (as Xapian
 * names stemmed terms), the lowercased word for one matched as written,
 * the lowercased word and "*" for a wildcard. */
GPtrArray *trawl_query_terms (const char *query);

/* The terms as the user wrote them, for messages: "foo, \"bar baz\"". */
char *trawl_query_terms_text (const char *query);

/* Every place TERMS match in the N lines GET gives, in order. */
GArray *trawl_query_terms_hits (GPtrArray *terms, guint n, TrawlFindLineFunc get, gpointer data);

G_END_DECLS

#endif
