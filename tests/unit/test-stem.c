/* test-stem.c — the ground truth for the query terms' matching
 * (trawl/queryterms.h): a word of a message is highlighted for a query
 * exactly when notmuch finds that message by that query.
 *
 * A real notmuch database (built by the notmuch CLI) holds one message per
 * body line; for every query Q and body B, trawl's match (a hit of Q's terms
 * in B) must equal (notmuch search Q finds B's message).  The bodies and
 * queries hold the forms a suffix stripper gets wrong (happiness/happy,
 * ponies/pony, generously/generous, relational/relate,
 * connection/connected), capitalised words (searched unstemmed), phrases,
 * a word starting with a digit, wildcards, non-ASCII words, and words as
 * Xapian splits text (don't, AT&T, foo_bar, 1,000, C++, a combining accent,
 * a zero-width space, a word past 64 bytes). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "trawl/queryterms.h"
#include "testdb.h"

static const char *const bodies[] = {
	"running", "runs", "run", "runner", "ran", "Running", "RUN",
	"flies", "fly", "hoping", "hope", "hopped", "classes", "class",
	"falling", "fall", "jumped", "jump", "generously", "generous",
	"happiness", "happy", "ponies", "pony", "relational", "relate", "relation",
	"connection", "connected", "connect", "university", "universe", "news", "new",
	"2nd", "école", "écoles", "École", "naïve", "日本語",
	"happy ponies", "Happy Ponies running",
	/* words as Xapian splits them */
	"don't", "don\u2019t", "don t", "AT&T", "at t", "foo_bar", "foo bar", "cafe\u0301",
	"1,000", "1 000", "3.14", "C++ code", "C code", "x2", "wo\u200brd",
	"supercalifragilisticexpialidociousandsomemorelettersbeyondsixtyfourbytes",
};

static const char *const queries[] = {
	"running", "runs", "run", "runner", "ran", "flies", "fly", "hoping", "hope",
	"hopped", "classes", "class", "falling", "fall", "jumped", "jump", "generously",
	"generous", "happiness", "happy", "ponies", "pony", "relational", "relate",
	"relation", "connection", "connected", "connect", "university", "universe",
	"news", "new", "2nd", "école", "écoles", "naïve", "日本語",
	/* capitalised: searched as written, without case */
	"Running", "Happiness", "HAPPY", "École",
	/* phrases: unstemmed */
	"\"running\"", "\"happy ponies\"", "\"happy pony\"", "\"ponies running\"",
	/* wildcards: any word starting so */
	"runn*", "hap*", "Pon*",
	/* words as Xapian splits them */
	"don't", "don", "AT&T", "at", "foo_bar", "foo", "bar", "cafe\u0301", "cafe",
	"1,000", "1", "000", "3.14", "C++", "c", "code", "x2", "word", "wo\u200brd",
	"supercalifragilisticexpialidociousandsomemorelettersbeyondsixtyfourbytes",
};

static const char *
line_of (gpointer data, guint i)
{
	return data;
}

static gboolean
trawl_matches (const char *query, const char *body)
{
	g_autoptr (GPtrArray) terms = trawl_query_terms (query);
	g_autoptr (GArray) hits = trawl_query_terms_hits (terms, 1, line_of, (gpointer) body);
	return hits->len > 0;
}

static void
test_as_notmuch (void)
{
	g_autoptr (TestDb) db = testdb_new (NULL);
	if (!db)
		return;
	g_autofree char *cur = g_build_filename (db->mail, "cur", NULL);
	g_autofree char *nw = g_build_filename (db->mail, "new", NULL);
	g_autofree char *tmp = g_build_filename (db->mail, "tmp", NULL);
	g_assert_cmpint (g_mkdir_with_parents (cur, 0700), ==, 0);
	g_assert_cmpint (g_mkdir_with_parents (nw, 0700), ==, 0);
	g_assert_cmpint (g_mkdir_with_parents (tmp, 0700), ==, 0);
	/* No subject, no name: the body is the message's only free text. */
	for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
		g_autofree char *msg = g_strdup_printf (
			"From: <x@x.example>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
			"Message-ID: <b%u@stem.example>\nMIME-Version: 1.0\n"
			"Content-Type: text/plain; charset=utf-8\n\n%s\n", i, bodies[i]);
		g_autofree char *name = g_strdup_printf ("%s/b%u:2,", cur, i);
		g_assert_true (g_file_set_contents (name, msg, -1, NULL));
	}
	const char *newargs[] = { "new", "--quiet", NULL };
	g_free (testdb_notmuch (db, newargs));
	const char *all[] = { "count", "--", "*", NULL };
	g_autofree char *count = testdb_notmuch (db, all);
	g_assert_cmpint (atoi (count), ==, G_N_ELEMENTS (bodies));

	GString *wrong = g_string_new (NULL);
	guint matched = 0;
	for (guint q = 0; q < G_N_ELEMENTS (queries); q++) {
		const char *args[] = { "search", "--output=messages", "--", queries[q], NULL };
		g_autofree char *out = testdb_notmuch (db, args);
		g_auto (GStrv) ids = g_strsplit (out, "\n", -1);
		for (guint b = 0; b < G_N_ELEMENTS (bodies); b++) {
			g_autofree char *id = g_strdup_printf ("id:b%u@stem.example", b);
			gboolean nm = g_strv_contains ((const char *const *) ids, id);
			gboolean tr = trawl_matches (queries[q], bodies[b]);
			matched += tr;
			if (nm != tr)
				g_string_append_printf (wrong, "  query %s, body \"%s\": notmuch %s, trawl %s\n",
							queries[q], bodies[b], nm ? "finds it" : "does not",
							tr ? "highlights it" : "does not");
		}
	}
	if (wrong->len)
		g_test_message ("trawl and notmuch disagree:\n%s", wrong->str);
	g_assert_cmpstr (wrong->str, ==, "");
	g_string_free (wrong, TRUE);
	/* Not a vacuous agreement: the pairs that match, counted. */
	g_assert_cmpuint (matched, ==, 141);
}

/* The pairs a suffix stripper got wrong, named: each one a hit. */
static void
test_irregular (void)
{
	const char *pairs[][2] = {
		{ "generously", "generous" }, { "happiness", "happy" }, { "ponies", "pony" },
		{ "running", "run" }, { "relational", "relate" }, { "connection", "connected" },
		{ "flies", "fly" }, { "university", "universe" },
	};
	for (guint i = 0; i < G_N_ELEMENTS (pairs); i++) {
		g_assert_true (trawl_matches (pairs[i][0], pairs[i][1]));
		g_assert_true (trawl_matches (pairs[i][1], pairs[i][0]));
	}
	g_assert_false (trawl_matches ("runner", "run"));
	g_assert_false (trawl_matches ("Running", "run"));
	g_assert_true (trawl_matches ("Running", "RUNNING"));
	g_assert_false (trawl_matches ("\"ponies\"", "pony"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/stem/irregular", test_irregular);
	g_test_add_func ("/stem/as-notmuch", test_as_notmuch);
	return g_test_run ();
}
