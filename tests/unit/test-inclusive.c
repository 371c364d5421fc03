/* test-inclusive.c — which messages a later one quotes in full
 * (trawl/inclusive.h), on hand-made messages and threads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "trawl/inclusive.h"
#include "trawl/mime.h"

/* ---- messages ---- */

static char *
message (const char *id, const char *extra_headers, const char *body)
{
	return g_strdup_printf ("From: Someone <%s@example.org>\nTo: list@example.org\n"
				"Subject: the subject\nDate: Mon, 3 Jun 2024 10:00:00 +0000\n"
				"Message-ID: <%s@example.org>\n%s\n%s",
				id, id, extra_headers ? extra_headers : "", body);
}

static TrawlIncText *
text_of (const char *raw)
{
	TrawlRenderOptions o = { 0 };
	o.html_command = "";
	TrawlRendered *r = trawl_mime_render_bytes (raw, strlen (raw), &o);
	g_assert_nonnull (r);
	TrawlIncText *t = trawl_inc_text_new (r);
	trawl_rendered_free (r);
	return t;
}

/* Does the reply REPLY_BODY cover the original ORIG_BODY? */
static gboolean
covers (const char *orig_body, const char *reply_body)
{
	g_autofree char *a = message ("a", NULL, orig_body);
	g_autofree char *b = message ("b", "In-Reply-To: <a@example.org>\n", reply_body);
	g_autoptr (TrawlIncText) ta = text_of (a);
	g_autoptr (TrawlIncText) tb = text_of (b);
	return trawl_inc_text_covers (tb, ta);
}

#define ORIG \
	"Hi all,\n" \
	"\n" \
	"the nightly build fails on arm64 since yesterday: the linker\n" \
	"cannot find libfoo.  Does anybody know what changed?\n" \
	"\n" \
	"Thanks,\n" \
	"Alice\n"

static void
test_full_quote (void)
{
	g_assert_true (covers (ORIG,
			       "On Mon, 3 Jun 2024, Alice wrote:\n"
			       "> Hi all,\n"
			       ">\n"
			       "> the nightly build fails on arm64 since yesterday: the linker\n"
			       "> cannot find libfoo.  Does anybody know what changed?\n"
			       ">\n"
			       "> Thanks,\n"
			       "> Alice\n"
			       "\n"
			       "Yes: the toolchain was updated.\n"));
}

static void
test_partial_quote (void)
{
	/* The greeting and the question kept, the sign-off cut. */
	g_assert_false (covers (ORIG,
				"Alice wrote:\n"
				"> Hi all,\n"
				">\n"
				"> the nightly build fails on arm64 since yesterday: the linker\n"
				"> cannot find libfoo.  Does anybody know what changed?\n"
				"\n"
				"Yes: the toolchain was updated.\n"));
	/* Only the middle. */
	g_assert_false (covers (ORIG,
				"> the nightly build fails on arm64 since yesterday: the linker\n"
				"\n"
				"Yes.\n"));
	/* Nothing quoted at all, though the reply says the same words. */
	g_assert_false (covers ("Thanks!\n", "Thanks!\n"));
	/* A quote that starts in the middle of a quoted line is not the
	 * start of the message: "thanks" alone is not covered by "> many
	 * thanks". */
	g_assert_false (covers ("thanks\n", "> many thanks\n\nyou are welcome\n"));
}

static void
test_top_posting (void)
{
	/* Gmail's way: the answer on top, the attribution, the whole quote. */
	g_assert_true (covers (ORIG,
			       "Yes: the toolchain was updated.\n"
			       "\n"
			       "On Mon, Jun 3, 2024 at 10:00 AM Alice <a@example.org>\n"
			       "wrote:\n"
			       "\n"
			       "> Hi all,\n"
			       ">\n"
			       "> the nightly build fails on arm64 since yesterday: the linker\n"
			       "> cannot find libfoo.  Does anybody know what changed?\n"
			       ">\n"
			       "> Thanks,\n"
			       "> Alice\n"));
	/* The same with the replier's signature before the quote. */
	g_assert_true (covers (ORIG,
			       "Yes: the toolchain was updated.\n"
			       "\n"
			       "-- \n"
			       "Bob, release team\n"
			       "\n"
			       "On Mon, Jun 3, 2024 Alice wrote:\n"
			       "> Hi all,\n"
			       "> the nightly build fails on arm64 since yesterday: the linker\n"
			       "> cannot find libfoo.  Does anybody know what changed?\n"
			       "> Thanks,\n"
			       "> Alice\n"));
	/* Outlook's way: the original below a marker, unquoted. */
	g_assert_true (covers (ORIG,
			       "Yes: the toolchain was updated.\n"
			       "\n"
			       "-----Original Message-----\n"
			       "From: Alice <a@example.org>\n"
			       "Sent: Monday, June 3, 2024 10:00 AM\n"
			       "Subject: the subject\n"
			       "\n"
			       "Hi all,\n"
			       "\n"
			       "the nightly build fails on arm64 since yesterday: the linker\n"
			       "cannot find libfoo.  Does anybody know what changed?\n"
			       "\n"
			       "Thanks,\n"
			       "Alice\n"));
	g_assert_true (covers (ORIG,
			       "Yes.\n"
			       "\n"
			       "________________________________\n"
			       "From: Alice <a@example.org>\n"
			       "Hi all,\n"
			       "the nightly build fails on arm64 since yesterday: the linker cannot find\n"
			       "libfoo.  Does anybody know what changed?\n"
			       "Thanks,\n"
			       "Alice\n"));
	/* A top-posted reply that cut the original short covers nothing. */
	g_assert_false (covers (ORIG,
				"Yes.\n"
				"\n"
				"-----Original Message-----\n"
				"Hi all,\n"
				"the nightly build fails on arm64 since yesterday\n"));
}

static void
test_rewrapped (void)
{
	/* Re-wrapped to another width, quote markers spaced differently. */
	g_assert_true (covers (ORIG,
			       "Alice wrote:\n"
			       "> Hi all,\n"
			       "> the nightly build fails on arm64 since\n"
			       "> yesterday: the linker cannot find libfoo.\n"
			       "> Does anybody know what changed? Thanks, Alice\n"
			       "\n"
			       "Yes.\n"));
	/* A long line broken into the next quote level by a careless mailer. */
	g_assert_true (covers ("Second reply with a rather long line that a mailer will break in two.\n",
			       "> > Second reply with a rather long line that a mailer\n"
			       "> will break in two.\n"
			       "\n"
			       "Third.\n"));
	/* format=flowed quoting. */
	g_autofree char *a = message ("a", NULL, ORIG);
	g_autofree char *b = message ("b", "Content-Type: text/plain; format=flowed\n",
				      "> Hi all,\n"
				      "> the nightly build fails on arm64 since yesterday: \n"
				      "> the linker cannot find libfoo.  Does anybody know \n"
				      "> what changed?\n"
				      "> Thanks,\n"
				      "> Alice\n"
				      "\n"
				      "Yes.\n");
	g_autoptr (TrawlIncText) ta = text_of (a);
	g_autoptr (TrawlIncText) tb = text_of (b);
	g_assert_true (trawl_inc_text_covers (tb, ta));
}

static void
test_signature (void)
{
	/* The original's signature is not its text: a quote without it
	 * covers, and so does one with it. */
	const char *orig = "Patch applied, thanks.\n\n-- \nCarol Maintainer\nhttps://example.org\n";
	g_assert_true (covers (orig, "> Patch applied, thanks.\n\nGreat.\n"));
	g_assert_true (covers (orig, "> Patch applied, thanks.\n>\n> -- \n> Carol Maintainer\n\nGreat.\n"));
	/* The reply's own signature is not quoted text. */
	g_assert_false (covers ("Carol Maintainer\n", "Great.\n\n-- \nCarol Maintainer\n"));
}

static void
test_interleaved_and_deeper (void)
{
	/* Bottom-posting, answering piece by piece: every line of the
	 * original is quoted, in order. */
	g_assert_true (covers ("First question?\n\nSecond question?\n",
			       "> First question?\n"
			       "\n"
			       "First answer.\n"
			       "\n"
			       "> Second question?\n"
			       "\n"
			       "Second answer.\n"));
	/* A reply of a reply, quoting the first message two levels down,
	 * between the second's answers. */
	g_autofree char *a = message ("a", NULL, "First question?\n\nSecond question?\n");
	g_autofree char *b = message ("b", NULL,
				      "On Mon, Alice wrote:\n"
				      "> First question?\n"
				      "First answer.\n"
				      "> Second question?\n"
				      "Second answer.\n");
	g_autofree char *c = message ("c", NULL,
				      "On Tue, Bob wrote:\n"
				      "> On Mon, Alice wrote:\n"
				      "> > First question?\n"
				      "> First answer.\n"
				      "> > Second question?\n"
				      "> Second answer.\n"
				      "\n"
				      "Thanks both.\n");
	g_autoptr (TrawlIncText) ta = text_of (a);
	g_autoptr (TrawlIncText) tb = text_of (b);
	g_autoptr (TrawlIncText) tc = text_of (c);
	g_assert_true (trawl_inc_text_covers (tb, ta));
	g_assert_true (trawl_inc_text_covers (tc, ta));
	g_assert_true (trawl_inc_text_covers (tc, tb));	/* its answers at depth 1, in order */
	g_assert_false (trawl_inc_text_covers (tb, tc));
	g_assert_false (trawl_inc_text_covers (ta, tb));
}

static void
test_forward (void)
{
	/* Forwarded as an attachment (message/rfc822). */
	g_autofree char *a = message ("a", NULL, ORIG);
	g_autofree char *fwd = message ("f",
					"MIME-Version: 1.0\n"
					"Content-Type: multipart/mixed; boundary=\"XX\"\n",
					"--XX\n"
					"Content-Type: text/plain\n"
					"\n"
					"FYI, see below.\n"
					"--XX\n"
					"Content-Type: message/rfc822\n"
					"Content-Disposition: inline\n"
					"\n"
					"From: Alice <a@example.org>\n"
					"Subject: the subject\n"
					"Message-ID: <a@example.org>\n"
					"\n"
					ORIG
					"\n"
					"--XX--\n");
	g_autoptr (TrawlIncText) ta = text_of (a);
	g_autoptr (TrawlIncText) tf = text_of (fwd);
	g_assert_true (trawl_inc_text_covers (tf, ta));
	/* The forwarder's own words are only "FYI, see below". */
	g_autofree char *d = trawl_inc_text_dump (tf);
	g_assert_true (g_str_has_prefix (d, "own: fyi see below\n"));

	/* Forwarded inline. */
	g_assert_true (covers (ORIG,
			       "FYI\n"
			       "\n"
			       "---------- Forwarded message ---------\n"
			       "From: Alice <a@example.org>\n"
			       "Date: Mon, Jun 3, 2024 at 10:00 AM\n"
			       "Subject: the subject\n"
			       "\n"
			       ORIG));
	g_assert_true (covers (ORIG, "Begin forwarded message:\n\n" ORIG));
}

static void
test_normalisation (void)
{
	g_autofree char *raw = message ("n", NULL,
					"Hello, WORLD -- it's 3.14!\n"
					"On Mon, X wrote:\n"
					">>  quoted   Text\n"
					"> > > deeper\n"
					"\n"
					"-- \n"
					"sig\n");
	g_autoptr (TrawlIncText) t = text_of (raw);
	g_autofree char *d = trawl_inc_text_dump (t);
	g_assert_cmpstr (d, ==,
			 "own: hello world it s 3 14\n"
			 "quote 0.2: quoted text\n"
			 "quote 0.3: deeper\n"
			 "quote 0.*: quoted text | deeper\n");
	g_assert_cmpuint (trawl_inc_text_own_words (t), ==, 6);
	/* A message with no words of its own is never covered. */
	g_assert_false (covers ("\n", "> \n"));
}

/* ---- the thread job ---- */

typedef struct {
	char *dir;
	GPtrArray *paths;
	GArray *desc;
} Thread;

static void
thread_init (Thread *t)
{
	t->dir = g_dir_make_tmp ("trawl-inc-XXXXXX", NULL);
	g_assert_nonnull (t->dir);
	t->paths = g_ptr_array_new_with_free_func (g_free);
	t->desc = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
thread_add (Thread *t, guint descendants, const char *body)
{
	g_autofree char *id = g_strdup_printf ("m%u", t->paths->len);
	g_autofree char *raw = message (id, NULL, body);
	char *path = g_build_filename (t->dir, id, NULL);
	g_assert_true (g_file_set_contents (path, raw, -1, NULL));
	g_ptr_array_add (t->paths, path);
	g_array_append_val (t->desc, descendants);
}

static void
thread_dispose (Thread *t)
{
	for (guint i = 0; i < t->paths->len; i++)
		g_unlink (t->paths->pdata[i]);
	g_rmdir (t->dir);
	g_free (t->dir);
	g_ptr_array_unref (t->paths);
	g_array_unref (t->desc);
}

static TrawlInclusive *
thread_run (Thread *t)
{
	return trawl_inclusive_new (t->paths->len, (const char *const *) t->paths->pdata,
				    (const guint *) (gpointer) t->desc->data);
}

static void
test_job (void)
{
	Thread t;
	thread_init (&t);
	/* 0 Alice: the question
	 *   1 Bob: full quote of 0, an answer
	 *     2 Alice: quotes only the first line of Bob's answer
	 *   3 Carol: partial quote of 0
	 * 4 Dave: another thread root quoting 0 in full (not below it) */
	thread_add (&t, 3, "Where is the config file?\nI looked everywhere.\n");
	thread_add (&t, 1, "> Where is the config file?\n> I looked everywhere.\n\nIn /etc/foo.\nOr in ~/.foo.\n");
	thread_add (&t, 0, "> In /etc/foo.\n\nFound it, thanks.\n");
	thread_add (&t, 0, "> Where is the config file?\n\nNo idea.\n");
	thread_add (&t, 0, "> Where is the config file?\n> I looked everywhere.\n\nNot a reply.\n");
	g_autoptr (TrawlInclusive) ic = thread_run (&t);
	trawl_inclusive_wait (ic);
	g_assert_true (trawl_inclusive_finished (ic));
	g_assert_cmpuint (trawl_inclusive_len (ic), ==, 5);
	g_assert_cmpuint (trawl_inclusive_decided (ic), ==, 5);
	g_assert_cmpuint (trawl_inclusive_covered (ic), ==, 1);
	g_assert_cmpint (trawl_inclusive_state (ic, 0), ==, TRAWL_INC_COVERED);
	g_assert_cmpint (trawl_inclusive_covered_by (ic, 0), ==, 1);
	for (guint i = 1; i < 5; i++) {
		g_assert_cmpint (trawl_inclusive_state (ic, i), ==, TRAWL_INC_INCLUSIVE);
		g_assert_cmpint (trawl_inclusive_covered_by (ic, i), ==, -1);
	}
	TrawlIncStats st = trawl_inclusive_stats (ic);
	/* Each file read once; message 4 (alone, no replies) not at all. */
	g_assert_cmpuint (st.renders, ==, 4);
	thread_dispose (&t);
}

/* A chain in which each message quotes the one before in full: all but the
 * last are covered, each by the next one; the work grows with the quoted
 * text, not with the pairs of messages. */
static void
test_job_chain (void)
{
	Thread t;
	thread_init (&t);
	guint n = 400;
	GString *prev = g_string_new (NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *own = g_strdup_printf ("Message number %u says something new.\n", i);
		GString *body = g_string_new (NULL);
		/* Only the one before is quoted (trimmed history). */
		if (prev->len)
			g_string_append_printf (body, "> %s\n", prev->str);
		g_string_append (body, own);
		thread_add (&t, n - 1 - i, body->str);
		g_string_assign (prev, own);
		g_strchomp (prev->str);
		prev->len = strlen (prev->str);
		g_string_free (body, TRUE);
	}
	g_string_free (prev, TRUE);
	g_autoptr (TrawlInclusive) ic = thread_run (&t);
	trawl_inclusive_wait (ic);
	g_assert_cmpuint (trawl_inclusive_covered (ic), ==, n - 1);
	for (guint i = 0; i + 1 < n; i++)
		g_assert_cmpint (trawl_inclusive_covered_by (ic, i), ==, (int) i + 1);
	g_assert_cmpint (trawl_inclusive_state (ic, n - 1), ==, TRAWL_INC_INCLUSIVE);
	TrawlIncStats st = trawl_inclusive_stats (ic);
	g_assert_cmpuint (st.renders, ==, n);
	/* "message" starts every own text and every quote: each message
	 * meets the one candidate that matches first. */
	g_assert_cmpuint (st.candidates, ==, n - 1);
	g_test_message ("chain of %u: %" G_GUINT64_FORMAT " candidates, %" G_GUINT64_FORMAT
			" words compared, %.1f ms", n, st.candidates, st.words_compared, st.elapsed_us / 1000.0);
	thread_dispose (&t);
}

/* Freeing a running job cancels it: no crash, no wait for the end. */
static void
test_job_cancel (void)
{
	Thread t;
	thread_init (&t);
	for (guint i = 0; i < 300; i++)
		thread_add (&t, i == 0 ? 299 : 0, "> quoted\n\nsome text\n");
	for (int round = 0; round < 5; round++) {
		TrawlInclusive *ic = thread_run (&t);
		trawl_inclusive_free (ic);
	}
	TrawlInclusive *ic = thread_run (&t);
	g_assert_cmpint (trawl_inclusive_wake_fd (ic), >=, 0);
	trawl_inclusive_wait (ic);
	g_assert_cmpint (trawl_inclusive_wake_fd (ic), ==, -1);
	g_assert_cmpuint (trawl_inclusive_decided (ic), ==, 300);
	trawl_inclusive_free (ic);
	/* An unreadable file is simply not covered and covers nothing. */
	g_unlink (t.paths->pdata[0]);
	ic = thread_run (&t);
	trawl_inclusive_wait (ic);
	g_assert_cmpint (trawl_inclusive_state (ic, 0), ==, TRAWL_INC_INCLUSIVE);
	trawl_inclusive_free (ic);
	thread_dispose (&t);
}

/* TRAWL_INC_BENCH=N (tools/bench.sh): N-message threads, a chain (each
 * message quoting the one before) and a fan (N - 1 replies to one root,
 * each quoting it in full), timed; prints "inclusive SHAPE N ms renders
 * candidates words". */
static void
bench (guint n)
{
	for (int shape = 0; shape < 2; shape++) {
		Thread t;
		thread_init (&t);
		for (guint i = 0; i < n; i++) {
			g_autofree char *body = NULL;
			if (shape == 0)
				body = i ? g_strdup_printf ("> Message number %u says something new,\n> and more.\n\n"
							    "Message number %u says something new,\nand more.\n", i - 1, i)
					: g_strdup ("Message number 0 says something new,\nand more.\n");
			else
				body = i ? g_strdup_printf ("> The root message, some lines\n> of text.\n\nReply %u.\n", i)
					: g_strdup ("The root message, some lines\nof text.\n");
			thread_add (&t, shape == 0 ? n - 1 - i : (i == 0 ? n - 1 : 0), body);
		}
		gint64 t0 = g_get_monotonic_time ();
		TrawlInclusive *ic = thread_run (&t);
		trawl_inclusive_wait (ic);
		gint64 t1 = g_get_monotonic_time ();
		TrawlIncStats st = trawl_inclusive_stats (ic);
		g_assert_cmpuint (trawl_inclusive_covered (ic), ==, shape == 0 ? n - 1 : 1);
		printf ("inclusive %s %u %.1f %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
			shape == 0 ? "chain" : "fan", n, (t1 - t0) / 1000.0, st.renders, st.candidates, st.words_compared);
		trawl_inclusive_free (ic);
		thread_dispose (&t);
	}
}

int
main (int argc, char **argv)
{
	const char *b = g_getenv ("TRAWL_INC_BENCH");
	if (b && *b) {
		trawl_mime_init ();
		bench ((guint) MAX (2, atoi (b)));
		return 0;
	}
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/inclusive/full-quote", test_full_quote);
	g_test_add_func ("/inclusive/partial-quote", test_partial_quote);
	g_test_add_func ("/inclusive/top-posting", test_top_posting);
	g_test_add_func ("/inclusive/rewrapped", test_rewrapped);
	g_test_add_func ("/inclusive/signature", test_signature);
	g_test_add_func ("/inclusive/interleaved-deeper", test_interleaved_and_deeper);
	g_test_add_func ("/inclusive/forward", test_forward);
	g_test_add_func ("/inclusive/normalisation", test_normalisation);
	g_test_add_func ("/inclusive/job", test_job);
	g_test_add_func ("/inclusive/job-chain", test_job_chain);
	g_test_add_func ("/inclusive/job-cancel", test_job_cancel);
	return g_test_run ();
}
