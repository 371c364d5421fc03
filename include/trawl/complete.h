/* complete.h — what the search prompt completes: the query language's field
 * prefixes (with a one-line hint of each field's syntax) and from:/to:
 * mailboxes by display name or address, ranked by message count.
 *
 * Addresses come from a bounded notmuch query (trawl_address_candidates):
 * the newest LIMIT messages whose From (To) has a word starting with what
 * was typed, so one Tab costs O(LIMIT), never O(archive), and nothing runs
 * per keystroke.  Counts are counted in that sample: exact when fewer than
 * LIMIT messages match (*SAMPLED < LIMIT), else the ranking of the newest
 * LIMIT matches, which the hint says. */
#ifndef TRAWL_COMPLETE_H
#define TRAWL_COMPLETE_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

/* The field prefixes, "date:" ... in the order they are offered; NULL-ended. */
const char *const *trawl_query_fields (void);

/* The hint for the word being typed, WORD ("date:2022", "from:"): one line of
 * the syntax of its field; NULL when WORD is not in a known field.  Static. */
const char *trawl_query_field_hint (const char *word);

/* The fields WORD (no ':' in it) is a prefix of, in trawl_query_fields ()
 * order (const char *, static strings); empty when none, or WORD has a ':'. */
GPtrArray *trawl_query_field_matches (const char *word);

typedef struct {
	char *name;		/* display name (decoded), or NULL */
	char *addr;		/* lower case */
	guint count;		/* messages of the sample it is in */
} TrawlAddrCandidate;

void trawl_addr_candidate_free (TrawlAddrCandidate *c);

/* Does the mailbox NAME <ADDR> fit PARTIAL: a word of the name, or the
 * address (or a word of it), starts with PARTIAL (case ignored)? */
gboolean trawl_addr_matches (const char *name, const char *addr, const char *partial);

/* Adds each mailbox of the address header VALUE that fits PARTIAL to
 * the candidates in TABLE (addr -> TrawlAddrCandidate *), counting one per
 * VALUE; the first display name seen is kept. */
void trawl_addr_count (GHashTable *table, const char *value, const char *partial);

/* TABLE's candidates, most messages first (then by address); the array
 * frees them, and TABLE must be freed without freeing its values
 * (trawl_addr_table_new () does so). */
GHashTable *trawl_addr_table_new (void);
GPtrArray *trawl_addr_ranked (GHashTable *table);

/* The mailboxes of FIELD ("from" or "to") fitting PARTIAL (at least two
 * letters or digits, else none), ranked, from the newest LIMIT messages
 * that match; *SAMPLED: how many messages were read. */
GPtrArray *trawl_address_candidates (TrawlDb *db, const char *field, const char *partial,
				     guint limit, guint *sampled);

/* "Name <addr> (N)" for showing; newly allocated. */
char *trawl_addr_candidate_text (const TrawlAddrCandidate *c);

G_END_DECLS

#endif
