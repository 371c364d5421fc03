/* test-find.c — the find matcher (trawl/find.h) and the query terms
 * (trawl/queryterms.h): exact hit positions and counts. */
#include "config.h"

#include <string.h>

#include "trawl/find.h"
#include "trawl/queryterms.h"

static void
check_hits (GArray *hits, const guint *expect, guint n)
{
	/* EXPECT: line, start, end triples. */
	g_assert_cmpuint (hits->len, ==, n);
	for (guint i = 0; i < n; i++) {
		TrawlFindHit *h = &g_array_index (hits, TrawlFindHit, i);
		g_assert_cmpuint (h->line, ==, expect[3 * i]);
		g_assert_cmpuint (h->start, ==, expect[3 * i + 1]);
		g_assert_cmpuint (h->end, ==, expect[3 * i + 2]);
	}
}

static void
test_smart_case (void)
{
	const char *lines[] = { "Foo foo FOO fOo", "", NULL, "nothing here", "xfoox" };
	g_autoptr (GArray) any = trawl_find_hits (lines, 5, "foo");
	const guint e1[] = { 0, 0, 3, 0, 4, 7, 0, 8, 11, 0, 12, 15, 4, 1, 4 };
	check_hits (any, e1, 5);
	g_autoptr (GArray) exact = trawl_find_hits (lines, 5, "Foo");
	const guint e2[] = { 0, 0, 3 };
	check_hits (exact, e2, 1);
	g_autoptr (GArray) upper = trawl_find_hits (lines, 5, "FOO");
	const guint e3[] = { 0, 8, 11 };
	check_hits (upper, e3, 1);
	g_assert_false (trawl_find_case_sensitive ("foo bar 123 é"));
	g_assert_true (trawl_find_case_sensitive ("fooÉ"));
	g_autoptr (GArray) none = trawl_find_hits (lines, 5, "");
	g_assert_cmpuint (none->len, ==, 0);
	g_autoptr (GArray) none2 = trawl_find_hits (lines, 5, NULL);
	g_assert_cmpuint (none2->len, ==, 0);
}

static void
test_utf8 (void)
{
	/* "Café CAFÉ café": é is 2 bytes. */
	const char *lines[] = { "Café CAFÉ café", "Straße STRASSE straße", "日本語のテキスト、日本語", "ÉCOLE école" };
	g_autoptr (GArray) cafe = trawl_find_hits (lines, 4, "café");
	const guint e1[] = { 0, 0, 5, 0, 6, 11, 0, 12, 17 };
	check_hits (cafe, e1, 3);
	g_autoptr (GArray) ss = trawl_find_hits (lines, 4, "straße");
	const guint e2[] = { 1, 0, 7, 1, 16, 23 };	/* ß is not "ss" */
	check_hits (ss, e2, 2);
	g_autoptr (GArray) cjk = trawl_find_hits (lines, 4, "日本語");
	const guint e3[] = { 2, 0, 9, 2, 27, 36 };
	check_hits (cjk, e3, 2);
	g_autoptr (GArray) ecole = trawl_find_hits (lines, 4, "école");
	const guint e4[] = { 3, 0, 6, 3, 7, 13 };
	check_hits (ecole, e4, 2);
	/* A character is never split: "e" does not match the "é" of café. */
	g_autoptr (GArray) e = trawl_find_hits (lines, 1, "caf" "e");
	g_assert_cmpuint (e->len, ==, 0);
	/* Bytes that are not UTF-8 match nothing and stop nothing. */
	const char *bad[] = { "a\xff" "foo\xc3" "foo" };
	g_autoptr (GArray) b = trawl_find_hits (bad, 1, "foo");
	const guint e5[] = { 0, 2, 5, 0, 6, 9 };
	check_hits (b, e5, 2);
}

static void
test_overlap (void)
{
	const char *lines[] = { "aaaaa", "abababa" };
	g_autoptr (GArray) aa = trawl_find_hits (lines, 2, "aa");
	const guint e1[] = { 0, 0, 2, 0, 2, 4 };	/* as grep -o: not overlapping */
	check_hits (aa, e1, 2);
	g_autoptr (GArray) aba = trawl_find_hits (lines, 2, "aba");
	const guint e2[] = { 1, 0, 3, 1, 4, 7 };
	check_hits (aba, e2, 2);
	g_autoptr (GArray) AA = trawl_find_hits (lines, 2, "A");
	g_assert_cmpuint (AA->len, ==, 0);
	g_assert_cmpuint (trawl_find_first_from (aa, 0), ==, 0);
	g_assert_cmpuint (trawl_find_first_from (aba, 1), ==, 0);
	g_assert_cmpuint (trawl_find_first_from (aba, 2), ==, 2);
	g_assert_cmpuint (trawl_find_first_from (aa, 1), ==, 2);
}

/* Xapian's English stemmer (Porter2), as notmuch indexes: the stems it
 * gives, including the words a suffix stripper gets wrong. */
static void
test_stem (void)
{
	const char *cases[][2] = {
		{ "running", "run" }, { "runs", "run" }, { "run", "run" }, { "Running", "run" },
		{ "RUNNING", "run" }, { "runner", "runner" }, { "flies", "fli" }, { "fly", "fli" },
		{ "hoping", "hope" }, { "hope", "hope" }, { "hopped", "hop" }, { "classes", "class" },
		{ "falling", "fall" }, { "jumped", "jump" }, { "serial", "serial" }, { "ports", "port" },
		{ "bus", "bus" }, { "this", "this" }, { "generously", "generous" },
		{ "generous", "generous" }, { "happiness", "happi" }, { "happy", "happi" },
		{ "ponies", "poni" }, { "pony", "poni" }, { "relational", "relat" }, { "relate", "relat" },
		{ "connection", "connect" }, { "connected", "connect" }, { "university", "univers" },
		{ "universe", "univers" }, { "news", "news" }, { "日本語", "日本語" }, { "École", "école" },
		{ "", "" },
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *s = trawl_stem (cases[i][0]);
		g_assert_cmpstr (s, ==, cases[i][1]);
	}
}

static void
test_query_terms (void)
{
	g_autoptr (GPtrArray) t = trawl_query_terms ("from:x tag:y foo \"bar baz\" -qux date:2020.. NOT gone "
						      "AND (Running) subject:\"not this\" foo");
	g_assert_cmpuint (t->len, ==, 3);
	GStrv a = t->pdata[0], b = t->pdata[1], c = t->pdata[2];
	g_assert_cmpuint (g_strv_length (a), ==, 1);
	g_assert_cmpstr (a[0], ==, "Zfoo");
	g_assert_cmpuint (g_strv_length (b), ==, 2);
	g_assert_cmpstr (b[0], ==, "bar");
	g_assert_cmpstr (b[1], ==, "baz");
	g_assert_cmpuint (g_strv_length (c), ==, 1);
	g_assert_cmpstr (c[0], ==, "running");	/* capitalised: not stemmed */
	g_autoptr (GPtrArray) u = trawl_query_terms ("happiness \"ponies\" 2nd runn* Runs");
	g_assert_cmpuint (u->len, ==, 5);
	g_assert_cmpstr (((GStrv) u->pdata[0])[0], ==, "Zhappi");
	g_assert_cmpstr (((GStrv) u->pdata[1])[0], ==, "ponies");
	g_assert_cmpstr (((GStrv) u->pdata[2])[0], ==, "2nd");
	g_assert_cmpstr (((GStrv) u->pdata[3])[0], ==, "runn*");
	g_assert_cmpstr (((GStrv) u->pdata[4])[0], ==, "runs");
	g_autofree char *text = trawl_query_terms_text ("from:x tag:y foo \"bar baz\" -qux date:2020..");
	g_assert_cmpstr (text, ==, "foo, \"bar baz\"");
	g_autoptr (GPtrArray) none = trawl_query_terms ("tag:inbox and from:me");
	g_assert_cmpuint (none->len, ==, 0);
	g_autoptr (GPtrArray) nul = trawl_query_terms (NULL);
	g_assert_cmpuint (nul->len, ==, 0);
}

static const char *
line_of (gpointer data, guint i)
{
	return ((const char **) data)[i];
}

static void
test_query_hits (void)
{
	g_autoptr (GPtrArray) t = trawl_query_terms ("running \"bar baz\"");
	const char *lines[] = {
		"He runs; they RUN, she was running (runner).",
		"bar baz, bar  baz, bar qux baz, Bar Baz",
		"bar",
		"baz",
	};
	g_autoptr (GArray) hits = trawl_query_terms_hits (t, 4, line_of, lines);
	const guint e[] = { 0, 3, 7, 0, 14, 17, 0, 27, 34, 1, 0, 7, 1, 9, 17, 1, 32, 39 };
	check_hits (hits, e, 6);	/* "runner" is not "run"; a phrase stays in its line */
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/find/smart-case", test_smart_case);
	g_test_add_func ("/find/utf8", test_utf8);
	g_test_add_func ("/find/overlap", test_overlap);
	g_test_add_func ("/find/stem", test_stem);
	g_test_add_func ("/find/query-terms", test_query_terms);
	g_test_add_func ("/find/query-hits", test_query_hits);
	return g_test_run ();
}
