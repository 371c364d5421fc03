/* test-complete.c — the search prompt's completion: from:/to: mailboxes by
 * display name or address ranked by message count (checked against notmuch
 * address --output=count on a fixture database), and the field prefixes
 * with their hints. */
#include "config.h"

#include <string.h>

#include "trawl/complete.h"
#include "trawl/mime.h"
#include "trawl/model.h"
#include "testdb.h"

static TestDb *
fixture (void)
{
	g_autofree char *src = g_build_filename (testdb_srcdir (), "tests", "fixtures", "complete", NULL);
	return testdb_new (src);
}

/* The candidates as "COUNT\tName <addr>" lines, as notmuch address prints
 * them, in rank order. */
static char *
as_lines (GPtrArray *c)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < c->len; i++) {
		TrawlAddrCandidate *a = c->pdata[i];
		g_string_append_printf (s, "%u\t%s <%s>\n", a->count, a->name, a->addr);
	}
	return g_string_free (s, FALSE);
}

/* notmuch's counts for QUERY, ranked as trawl ranks: most first, then by
 * address. */
static char *
notmuch_ranked (TestDb *t, const char *output, const char *query)
{
	const char *args[] = { "address", output, "--output=count", "--deduplicate=address", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
	g_autoptr (GPtrArray) rows = g_ptr_array_new ();
	for (guint i = 0; lines[i]; i++)
		g_ptr_array_add (rows, lines[i]);
	/* sort: count descending, then the address */
	for (guint i = 0; i < rows->len; i++)
		for (guint j = i + 1; j < rows->len; j++) {
			const char *a = rows->pdata[i], *b = rows->pdata[j];
			long ca = strtol (a, NULL, 10), cb = strtol (b, NULL, 10);
			const char *aa = strrchr (a, '<'), *ba = strrchr (b, '<');
			if (cb > ca || (cb == ca && strcmp (ba, aa) < 0)) {
				rows->pdata[i] = (gpointer) b;
				rows->pdata[j] = (gpointer) a;
			}
		}
	GString *s = g_string_new (NULL);
	/* notmuch quotes a name with a dot in it; trawl keeps the name. */
	for (guint i = 0; i < rows->len; i++) {
		for (const char *c = rows->pdata[i]; *c; c++)
			if (*c != '"')
				g_string_append_c (s, *c);
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}

static void
test_from_ranked (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	guint sampled = 0;
	g_autoptr (GPtrArray) c = trawl_address_candidates (db, "from", "Mar", 500, &sampled);
	g_autofree char *got = as_lines (c);
	g_assert_cmpstr (got, ==,
			 "3\tMarcus D. Leech <patchvonbraun@example.org>\n"
			 "2\tMaria Ortiz <maria@example.net>\n"
			 "1\tBob <marbles@example.com>\n"
			 "1\tMark Twain <mark@twain.example>\n");
	g_assert_cmpuint (sampled, ==, 7);
	/* The same as notmuch address counts them. */
	g_autofree char *want = notmuch_ranked (t, "--output=sender", "from:mar*");
	g_assert_cmpstr (got, ==, want);
	/* The display name form of the first. */
	g_autofree char *text = trawl_addr_candidate_text (c->pdata[0]);
	g_assert_cmpstr (text, ==, "Marcus D. Leech <patchvonbraun@example.org> (3)");
	/* By address: "patch" finds Marcus by his address only. */
	g_autoptr (GPtrArray) p = trawl_address_candidates (db, "from", "patchv", 500, NULL);
	g_assert_cmpuint (p->len, ==, 1);
	g_assert_cmpstr (((TrawlAddrCandidate *) p->pdata[0])->addr, ==, "patchvonbraun@example.org");
	g_assert_cmpuint (((TrawlAddrCandidate *) p->pdata[0])->count, ==, 3);
	/* One letter: nothing (too wide to sample usefully). */
	g_autoptr (GPtrArray) one = trawl_address_candidates (db, "from", "m", 500, NULL);
	g_assert_cmpuint (one->len, ==, 0);
}

static void
test_to_ranked (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GPtrArray) c = trawl_address_candidates (db, "to", "mar", 500, NULL);
	g_autofree char *got = as_lines (c);
	/* Only the mailboxes that fit, not Alice beside Marcus. */
	g_assert_cmpstr (got, ==,
			 "2\tMarcus D. Leech <patchvonbraun@example.org>\n"
			 "1\tMark Twain <mark@twain.example>\n");
	g_autofree char *want = notmuch_ranked (t, "--output=recipients", "to:mar*");
	g_autofree char *want_fit = NULL;
	/* notmuch lists every recipient of the messages; keep the fitting ones. */
	{
		g_auto (GStrv) lines = g_strsplit (want, "\n", -1);
		GString *s = g_string_new (NULL);
		for (guint i = 0; lines[i]; i++)
			if (*lines[i] && !strstr (lines[i], "alice@"))
				g_string_append_printf (s, "%s\n", lines[i]);
		want_fit = g_string_free (s, FALSE);
	}
	g_assert_cmpstr (got, ==, want_fit);
}

static void
test_sample_limit (void)
{
	g_autoptr (TestDb) t = fixture ();
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	guint sampled = 0;
	/* The newest 3 of the 7 matching messages: Bob, Mark, Maria. */
	g_autoptr (GPtrArray) c = trawl_address_candidates (db, "from", "mar", 3, &sampled);
	g_assert_cmpuint (sampled, ==, 3);
	g_autofree char *got = as_lines (c);
	g_assert_cmpstr (got, ==,
			 "1\tBob <marbles@example.com>\n"
			 "1\tMaria Ortiz <maria@example.net>\n"
			 "1\tMark Twain <mark@twain.example>\n");
}

static void
test_matches (void)
{
	g_assert_true (trawl_addr_matches ("Marcus D. Leech", "patchvonbraun@example.org", "Mar"));
	g_assert_true (trawl_addr_matches ("Marcus D. Leech", "patchvonbraun@example.org", "lee"));
	g_assert_true (trawl_addr_matches ("Marcus D. Leech", "patchvonbraun@example.org", "patchv"));
	g_assert_true (trawl_addr_matches (NULL, "patchvonbraun@example.org", "example"));
	g_assert_false (trawl_addr_matches ("Marcus D. Leech", "patchvonbraun@example.org", "arcus"));
	g_assert_false (trawl_addr_matches ("Alice", "alice@example.org", "mar"));
	/* Counted once per message, even when named twice in it. */
	GHashTable *tab = trawl_addr_table_new ();
	trawl_addr_count (tab, "Marcus <m@x.org>, \"M.\" <m@x.org>, Bob <b@x.org>", "m");
	trawl_addr_count (tab, "=?UTF-8?Q?Mar=C3=ADa?= <maria@x.org>", "mar");
	g_autoptr (GPtrArray) r = trawl_addr_ranked (tab);
	g_hash_table_destroy (tab);
	g_autofree char *got = as_lines (r);
	g_assert_cmpstr (got, ==, "1\tMarcus <m@x.org>\n1\tMaría <maria@x.org>\n");
}

static void
test_fields (void)
{
	const char *const *f = trawl_query_fields ();
	g_autofree char *all = g_strjoinv (" ", (char **) f);
	g_assert_cmpstr (all, ==, "from: to: date: subject: attachment: mimetype: folder: path: "
			 "thread: id: tag: property: query:");
	g_autoptr (GPtrArray) da = trawl_query_field_matches ("da");
	g_assert_cmpuint (da->len, ==, 1);
	g_assert_cmpstr (da->pdata[0], ==, "date:");
	g_autoptr (GPtrArray) t = trawl_query_field_matches ("t");
	g_assert_cmpuint (t->len, ==, 3);
	g_assert_cmpstr (t->pdata[0], ==, "to:");
	g_assert_cmpstr (t->pdata[1], ==, "thread:");
	g_assert_cmpstr (t->pdata[2], ==, "tag:");
	g_autoptr (GPtrArray) none = trawl_query_field_matches ("date:");
	g_assert_cmpuint (none->len, ==, 0);
	g_autoptr (GPtrArray) x = trawl_query_field_matches ("xyz");
	g_assert_cmpuint (x->len, ==, 0);

	g_assert_cmpstr (trawl_query_field_hint ("date:"), ==,
			 "date:2022-03-01..2022-06-30  date:2weeks..  date:yesterday  date:2024  "
			 "(SINCE..UNTIL, either may be left out)");
	g_assert_cmpstr (trawl_query_field_hint ("(date:2022"), ==, trawl_query_field_hint ("date:"));
	g_assert_cmpstr (trawl_query_field_hint ("-mimetype:app"), ==,
			 "mimetype:application/pdf  mimetype:text/html  (a part's content type)");
	g_assert_nonnull (strstr (trawl_query_field_hint ("from:Mar"), "display name"));
	g_assert_null (trawl_query_field_hint ("da"));
	g_assert_null (trawl_query_field_hint ("hello"));
	g_assert_null (trawl_query_field_hint (""));
	/* Every field has a hint that starts with it. */
	for (guint i = 0; f[i]; i++)
		g_assert_true (g_str_has_prefix (trawl_query_field_hint (f[i]), f[i]));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/complete/from-ranked", test_from_ranked);
	g_test_add_func ("/complete/to-ranked", test_to_ranked);
	g_test_add_func ("/complete/sample-limit", test_sample_limit);
	g_test_add_func ("/complete/matches", test_matches);
	g_test_add_func ("/complete/fields", test_fields);
	return g_test_run ();
}
