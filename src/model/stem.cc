/* stem.cc — trawl_stem (trawl/queryterms.h): Xapian's English stemmer, the
 * one notmuch indexes and searches with (lib/database.cc: Xapian::Stem
 * ("english"), STEM_SOME).  The word is lowercased the way Xapian's term
 * generator lowercases it (Xapian::Unicode::tolower), then stemmed.
 *
 * The only C++ in trawl: a C function over Xapian's C++ API.  No exception
 * leaves it; a stemmer that cannot be made (or fails) leaves the word
 * lowercased, unstemmed. */
#include "config.h"

#include <string>

#include <xapian.h>

#include "trawl/queryterms.h"

/* A Snowball stemmer keeps state while it works: one per thread. */
static Xapian::Stem &
english (void)
{
	static thread_local Xapian::Stem stemmer ("english");
	return stemmer;
}

char *
trawl_stem (const char *word)
{
	std::string lower;
	try {
		lower = Xapian::Unicode::tolower (std::string (word ? word : ""));
		std::string stem = english () (lower);
		return g_strdup (stem.c_str ());
	} catch (...) {
		return g_strdup (lower.c_str ());
	}
}
