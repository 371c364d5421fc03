/* queryterms.h — the free-text terms of a notmuch query, and where they are
 * in display lines, as notmuch matched them: case-insensitive, by stem.
 *
 * The terms are the words of the query outside any prefix (from:, tag:,
 * date: ... are not text of the body), not negated (-word, NOT word), not
 * the boolean operators; a quoted phrase ("bar baz") or a hyphenated word
 * is a phrase.  Words compare by their stem: trawl_stem() is a small
 * English suffix stripper (plural -s/-es/-ies, -ing, -ed, -ly, a final e,
 * a doubled last consonant), an approximation of Xapian's English stemmer
 * (Xapian's C++ library is not a build dependency): "running", "runs",
 * "run" share the stem "run".  A phrase matches within one line. */
#ifndef TRAWL_QUERYTERMS_H
#define TRAWL_QUERYTERMS_H

#include <glib.h>

#include "trawl/find.h"

G_BEGIN_DECLS

/* The stem of WORD (UTF-8, any case); newly allocated. */
char *trawl_stem (const char *word);

/* The terms of QUERY: a GPtrArray of GStrv, each the stems of a term's
 * words (one for a word, several for a phrase), in query order, no
 * duplicates. */
GPtrArray *trawl_query_terms (const char *query);

/* The terms as the user wrote them, for messages: "foo, \"bar baz\"". */
char *trawl_query_terms_text (const char *query);

/* Every place TERMS match in the N lines GET gives, in order. */
GArray *trawl_query_terms_hits (GPtrArray *terms, guint n, TrawlFindLineFunc get, gpointer data);

G_END_DECLS

#endif
