/* test-sort.c — the thread list's size orders (most messages, most matched,
 * most participants) against a sort of what `notmuch search --format=json`
 * says of the same threads, on a generated corpus; the list shows newest
 * first until the order is in, then is the order, whole, with its length
 * known; tag changes and refreshes keep it. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "testdb.h"

typedef struct {
	char *id;
	gint64 key;
	gint64 newest;
} Want;

static gint
want_compare (gconstpointer pa, gconstpointer pb)
{
	const Want *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	if (a->newest != b->newest)
		return a->newest > b->newest ? -1 : 1;
	return strcmp (a->id, b->id);
}

/* notmuch's own summaries of QUERY's threads, sorted as SORT sorts them. */
static GArray *
expected (TestDb *t, const char *query, TrawlSort sort)
{
	const char *args[] = { "search", "--format=json", "--output=summary", query, NULL };
	g_autofree char *out = testdb_notmuch (t, args);
	g_autoptr (JsonParser) p = json_parser_new ();
	g_assert_true (json_parser_load_from_data (p, out, -1, NULL));
	JsonArray *arr = json_node_get_array (json_parser_get_root (p));
	GArray *w = g_array_new (FALSE, FALSE, sizeof (Want));
	for (guint i = 0; i < json_array_get_length (arr); i++) {
		JsonObject *o = json_array_get_object_element (arr, i);
		Want x;
		x.id = g_strdup_printf ("%s", json_object_get_string_member (o, "thread"));
		x.newest = json_object_get_int_member (o, "timestamp");
		gint64 total = json_object_get_int_member (o, "total");
		gint64 matched = json_object_get_int_member (o, "matched");
		const char *authors = json_object_get_string_member (o, "authors");
		x.key = sort == TRAWL_SORT_MOST_MESSAGES ? total
			: sort == TRAWL_SORT_MOST_MATCHED ? matched
			: trawl_authors_count (authors);
		g_array_append_val (w, x);
	}
	g_array_sort (w, want_compare);
	return w;
}

static void
want_free (GArray *w)
{
	for (guint i = 0; i < w->len; i++)
		g_free (g_array_index (w, Want, i).id);
	g_array_unref (w);
}

/* The list's ids, in order, from the first row to the last. */
static GPtrArray *
list_ids (TrawlThreadList *tl)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	TrawlPos p;
	if (!trawl_thread_list_first (tl, &p))
		return ids;
	do {
		const TrawlThreadRow *row = trawl_thread_list_get (tl, p);
		g_assert_nonnull (row);
		g_ptr_array_add (ids, g_strdup (row->thread_id));
	} while (trawl_thread_list_step (tl, &p, 1) == 1);
	return ids;
}

static void
check_order (TestDb *t, TrawlDb *db, const char *query, TrawlSort sort)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, query, sort, &err);
	g_assert_no_error (err);
	g_assert_cmpint (trawl_thread_list_sort (tl), ==, sort);
	trawl_thread_list_wait_sorted (tl);
	g_assert_false (trawl_thread_list_sorting (tl, NULL));
	GArray *w = expected (t, query, sort);
	g_assert_cmpint (trawl_thread_list_count (tl), ==, (gint64) w->len);
	/* The last row is known without a walk: the list is whole. */
	TrawlPos last;
	g_assert_true (trawl_thread_list_last (tl, &last));
	g_assert_cmpint (trawl_thread_list_index (tl, last), ==, (gint64) w->len - 1);
	g_autoptr (GPtrArray) got = list_ids (tl);
	g_assert_cmpuint (got->len, ==, w->len);
	for (guint i = 0; i < w->len; i++)
		g_assert_cmpstr (got->pdata[i], ==, g_array_index (w, Want, i).id);
	want_free (w);
}

static void
test_size_orders (void)
{
	g_autoptr (TestDb) t = testdb_generated (600, 5);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	const TrawlSort sorts[] = { TRAWL_SORT_MOST_MESSAGES, TRAWL_SORT_MOST_MATCHED,
				    TRAWL_SORT_MOST_PARTICIPANTS };
	for (gsize i = 0; i < G_N_ELEMENTS (sorts); i++) {
		check_order (t, db, "*", sorts[i]);
		check_order (t, db, "tag:inbox and not tag:flagged", sorts[i]);
	}
	g_assert_cmpuint (trawl_db_stats (db)->sort_jobs, ==, 6);
}

/* Before the order is in, the list is newest first (the first screen at
 * once); the rows built then are kept, not built again. */
static void
test_newest_first_meanwhile (void)
{
	g_autoptr (TestDb) t = testdb_generated (300, 9);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open (t);
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlThreadList) nf = trawl_thread_list_new (db, "*", TRAWL_SORT_NEWEST_FIRST, &err);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (nf, &p));
	g_autofree char *newest = g_strdup (trawl_thread_list_get (nf, p)->thread_id);

	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_MOST_MESSAGES, &err);
	g_assert_no_error (err);
	g_assert_true (trawl_thread_list_first (tl, &p));
	/* Either still sorting (then newest first), or done already. */
	if (trawl_thread_list_sorting (tl, NULL))
		g_assert_cmpstr (trawl_thread_list_get (tl, p)->thread_id, ==, newest);
	gsize built = trawl_thread_list_rows_built (tl);
	trawl_thread_list_wait_sorted (tl);
	/* The newest thread's row moved to its place without a rebuild. */
	TrawlPos at;
	g_assert_true (trawl_thread_list_find (tl, newest, &at));
	g_assert_nonnull (trawl_thread_list_get (tl, at));
	g_assert_cmpuint (trawl_thread_list_rows_built (tl), ==, built);
}

/* A tag change patches the ordered list; a tag in the query moves the
 * thread to its new place by matched count. */
static void
test_patch_keeps_order (void)
{
	g_autoptr (TestDb) t = testdb_generated (300, 3);
	if (!t)
		return;
	g_autoptr (TrawlDb) db = testdb_open_mode (t, TRUE);
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlThreadList) tl = trawl_thread_list_new (db, "*", TRAWL_SORT_MOST_MESSAGES, &err);
	trawl_thread_list_wait_sorted (tl);
	TrawlPos p;
	g_assert_true (trawl_thread_list_first (tl, &p));
	g_autofree char *top = g_strdup (trawl_thread_list_get (tl, p)->thread_id);
	gint64 n = trawl_thread_list_count (tl);

	trawl_thread_list_suspend (tl);
	g_autoptr (GPtrArray) ids = trawl_db_thread_message_ids (db, top, &err);
	g_assert_no_error (err);
	g_autoptr (TrawlTagOps) ops = trawl_tag_ops_parse ("+sorted", NULL);
	g_autoptr (TrawlTagChange) change = trawl_db_apply_tags (db, ids, ops, NULL, NULL, &err);
	g_assert_no_error (err);
	trawl_thread_list_patch (tl, change);
	g_assert_cmpint (trawl_thread_list_count (tl), ==, n);
	g_assert_true (trawl_thread_list_first (tl, &p));
	const TrawlThreadRow *row = trawl_thread_list_get (tl, p);
	g_assert_cmpstr (row->thread_id, ==, top);
	g_assert_nonnull (strstr (row->tags, "sorted"));
}

static void
test_names (void)
{
	for (int i = 0; i < TRAWL_SORT_COUNT; i++) {
		TrawlSort s;
		g_assert_true (trawl_sort_parse (trawl_sort_name ((TrawlSort) i), &s));
		g_assert_cmpint (s, ==, i);
	}
	TrawlSort s;
	g_assert_false (trawl_sort_parse ("sideways", &s));
	g_assert_cmpuint (trawl_authors_count (""), ==, 0);
	g_assert_cmpuint (trawl_authors_count ("Ann"), ==, 1);
	g_assert_cmpuint (trawl_authors_count ("Ann, Bob| Cy"), ==, 3);
	g_assert_cmpuint (trawl_authors_count ("Ann| Bob, Cy, Di"), ==, 4);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/sort/names", test_names);
	g_test_add_func ("/sort/size-orders", test_size_orders);
	g_test_add_func ("/sort/newest-first-meanwhile", test_newest_first_meanwhile);
	g_test_add_func ("/sort/patch", test_patch_keeps_order);
	return g_test_run ();
}
