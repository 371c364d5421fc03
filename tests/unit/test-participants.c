/* test-participants.c — who wrote in a thread (trawl/participants.h): one
 * person per address, the first display name, most messages first with
 * ties in order of appearance, and the line fitted to a width. */
#include "config.h"

#include <string.h>

#include "trawl/participants.h"
#include "trawl/sanitize.h"

static TrawlThread *
thread_of (const char *const *froms)
{
	TrawlThread *t = g_new0 (TrawlThread, 1);
	t->messages = g_ptr_array_new ();
	for (const char *const *f = froms; *f; f++) {
		TrawlMessage *m = g_new0 (TrawlMessage, 1);
		m->from = g_strdup (*f);
		g_ptr_array_add (t->messages, m);
	}
	return t;
}

static void
thread_free (TrawlThread *t)
{
	for (guint i = 0; i < t->messages->len; i++) {
		TrawlMessage *m = t->messages->pdata[i];
		g_free (m->from);
		g_free (m);
	}
	g_ptr_array_free (t->messages, TRUE);
	g_free (t);
}

static void
test_people (void)
{
	TrawlThread *t = thread_of ((const char *const[]) {
		"Bob <bob@example.org>", "alice@example.org", "\"Alice A.\" <Alice@Example.org>",
		"Carol <carol@example.org>", "Alice B <alice@example.org>", "bob@example.org",
		"", NULL });
	g_autoptr (GPtrArray) p = trawl_thread_participants (t);
	g_assert_cmpuint (p->len, ==, 4);
	const TrawlParticipant *a = p->pdata[0], *b = p->pdata[1], *c = p->pdata[2], *d = p->pdata[3];
	/* alice: 3 (the first name given: the bare address gave none) */
	g_assert_cmpstr (a->address, ==, "alice@example.org");
	g_assert_cmpstr (a->name, ==, "Alice A.");
	g_assert_cmpuint (a->messages, ==, 3);
	g_assert_cmpstr (b->name, ==, "Bob");
	g_assert_cmpuint (b->messages, ==, 2);
	g_assert_cmpstr (c->name, ==, "Carol");
	g_assert_cmpuint (c->messages, ==, 1);
	g_assert_cmpstr (d->name, ==, "(no sender)");
	thread_free (t);
}

static void
test_line (void)
{
	TrawlThread *t = thread_of ((const char *const[]) {
		"Alice Example <a@x>", "Alice Example <a@x>", "Bob Builder <b@x>", "Carol Chen <c@x>",
		"=?x?= Evil\033[2J <e@x>", NULL });
	/* (notmuch decodes headers; here the ESC is in the name as stored) */
	g_autoptr (GPtrArray) p = trawl_thread_participants (t);
	g_autofree char *all = trawl_participants_line (p, 200);
	g_assert_cmpstr (all, ==, "Alice Example (2), Bob Builder (1), Carol Chen (1), =?x?= Evil^[[2J (1)");
	g_autofree char *l40 = trawl_participants_line (p, 43);
	g_assert_cmpstr (l40, ==, "Alice Example (2), Bob Builder (1), +2 more");
	g_assert_cmpint (trawl_text_width (l40), ==, 43);
	g_autofree char *l30 = trawl_participants_line (p, 42);
	g_assert_cmpstr (l30, ==, "Alice Example (2), +3 more");
	/* Not even the first whole: what fits of it, and the rest counted. */
	g_autofree char *l16 = trawl_participants_line (p, 16);
	g_assert_cmpstr (l16, ==, "Alice E, +3 more");
	g_autofree char *l3 = trawl_participants_line (p, 3);
	g_assert_cmpint (trawl_text_width (l3), <=, 3);
	g_autofree char *l0 = trawl_participants_line (p, 0);
	g_assert_cmpstr (l0, ==, "");
	g_autofree char *none = trawl_participants_line (NULL, 80);
	g_assert_cmpstr (none, ==, "");
	thread_free (t);
}

static void
test_display_name (void)
{
	g_autofree char *a = trawl_from_display_name ("\"Doe, Jane\" <jane@example.org>");
	g_assert_cmpstr (a, ==, "Doe, Jane");
	g_autofree char *b = trawl_from_display_name ("jane@example.org");
	g_assert_cmpstr (b, ==, "jane@example.org");
	g_autofree char *c = trawl_from_display_name ("<jane@example.org>");
	g_assert_cmpstr (c, ==, "<jane@example.org>");
}

int
main (int argc, char **argv)
{
	trawl_locale_init ();
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/participants/people", test_people);
	g_test_add_func ("/participants/line", test_line);
	g_test_add_func ("/participants/display-name", test_display_name);
	return g_test_run ();
}
