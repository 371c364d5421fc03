/* test-comfort.c — the curses-free parts of reading comfort: which commands
 * write (--read-only refuses them), blank-line runs of HTML-rendered text,
 * mailing-list footers and folded address headers in a render. */
#include "config.h"

#include <string.h>

#include "trawl/commands.h"
#include "trawl/mime.h"
#include "trawl/sanitize.h"
#include "../../src/mime/mime-private.h"

static void
test_writes (void)
{
	const char *writing[] = { "tag", "archive", "toggle-unread", "toggle-flagged", "undo",
				  "tag-query", "save-search" };
	for (gsize i = 0; i < G_N_ELEMENTS (writing); i++) {
		TrawlCommand c = trawl_command_by_name (writing[i]);
		g_assert_cmpint (c, !=, TRAWL_CMD_NONE);
		g_assert_true (trawl_command_writes (c));
	}
	gsize n, count = 0;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	for (gsize i = 0; i < n; i++)
		count += trawl_command_writes (cmds[i].id);
	g_assert_cmpuint (count, ==, G_N_ELEMENTS (writing));
	g_assert_false (trawl_command_writes (TRAWL_CMD_NONE));
	g_assert_false (trawl_command_writes (trawl_command_by_name ("tag-list")));
	g_assert_false (trawl_command_writes (trawl_command_by_name ("search")));
}

static void
check_collapse (const char *in, const char *want)
{
	char *s = g_strdup (in);
	g_assert_cmpstr (mime_collapse_blank_lines (s), ==, want);
	g_free (s);
}

static void
test_blanks (void)
{
	check_collapse ("", "");
	check_collapse ("a\nb\n", "a\nb\n");
	check_collapse ("a\n\nb\n", "a\n\nb\n");
	/* w3m on Outlook's HTML: "", " ", "" between paragraphs */
	check_collapse ("Para one\n\n \n\n \n\nPara two\n", "Para one\n\nPara two\n");
	check_collapse ("a\n\t\n\xc2\xa0\n\r\nb", "a\n\nb");
	check_collapse ("\n\n\na\n\n\n", "\na\n\n");
	check_collapse (" x \n  \n", " x \n\n");
}

static guint
footer_of (const char *text, GRegex *re)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = g_strv_length (lines);
	guint *depths = g_new0 (guint, n);
	for (guint i = 0; i < n; i++)
		depths[i] = lines[i][0] == '>';
	guint f = mime_footer_start ((const char *const *) lines, depths, n, re);
	g_free (depths);
	return f;
}

static void
test_footer_rule (void)
{
	const char *mailman = "Hello\n\n_______________________________________________\n"
			      "usrp-users mailing list\nusrp-users@lists.example.com\n"
			      "https://lists.example.com/mailman/listinfo/usrp-users";
	g_assert_cmpuint (footer_of (mailman, NULL), ==, 2);
	/* underscores without a list line after them: text */
	g_assert_cmpuint (footer_of ("a\n______________\nb\nc", NULL), ==, 4);
	/* too few underscores */
	g_assert_cmpuint (footer_of ("a\n_________\nTo unsubscribe, write", NULL), ==, 3);
	/* quoted: not this message's footer */
	g_assert_cmpuint (footer_of ("a\n>______________\n>https://x/listinfo/y", NULL), ==, 3);
	/* a footer far from the end is text someone wrote */
	GString *s = g_string_new ("______________\nhttps://x/mailman/listinfo/y");
	for (int i = 0; i < 20; i++)
		g_string_append (s, "\nmore text");
	g_assert_cmpuint (footer_of (s->str, NULL), ==, 22);
	g_string_free (s, TRUE);
	/* footer-regex */
	GRegex *re = g_regex_new ("^~~ Sent via", 0, 0, NULL);
	g_assert_cmpuint (footer_of ("Own content.\n~~ Sent via FooList ~~\nManage: x", re), ==, 1);
	g_assert_cmpuint (footer_of ("Own content.\n~~ Sent via FooList ~~\nManage: x", NULL), ==, 3);
	g_regex_unref (re);
}

static const char *
line_text (const TrawlRendered *r, TrawlLineType t, guint nth)
{
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = r->lines->pdata[i];
		if (l->type == t && nth-- == 0)
			return l->text;
	}
	return NULL;
}

static void
test_render (void)
{
	const char *msg =
		"From: Sender <s@example.org>\nTo: Alice <a@example.org>,\n        \"usrp-users\" <u@example.com>\n"
		"Cc: Bob <b@example.org>,\n\t  Carol <c@example.org>\nSubject: t\n"
		"Content-Type: text/plain\n\nBody.\n\n_______________________________________________\n"
		"usrp-users mailing list\nu@example.com\nhttps://lists.example.com/mailman/listinfo/usrp-users\n";
	TrawlRenderOptions o = { 0 };
	o.quote_fold_min = 10;
	TrawlRendered *r = trawl_mime_render_bytes (msg, strlen (msg), &o);
	g_assert_cmpstr (line_text (r, TRAWL_LINE_HEADER, 1), ==, "Alice <a@example.org>, \"usrp-users\" <u@example.com>");
	g_assert_cmpstr (line_text (r, TRAWL_LINE_HEADER, 2), ==, "Bob <b@example.org>, Carol <c@example.org>");
	const TrawlLine *fold = NULL;
	guint sig = 0;
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = r->lines->pdata[i];
		if (l->type == TRAWL_LINE_QUOTE_FOLD)
			fold = l;
		if (l->type == TRAWL_LINE_SIGNATURE) {
			g_assert_nonnull (fold);
			g_assert_cmpuint (l->fold_id, ==, fold->fold_id);
			sig++;
		}
	}
	g_assert_nonnull (fold);
	g_assert_cmpuint (fold->depth, ==, 0);
	g_assert_cmpuint (fold->count, ==, 4);
	g_assert_cmpuint (sig, ==, 4);
	g_assert_cmpstr (line_text (r, TRAWL_LINE_SIGNATURE, 3), ==,
			 "https://lists.example.com/mailman/listinfo/usrp-users");
	trawl_rendered_free (r);

	/* a bad footer-regex: one warning, the built-in rule still applies */
	o.footer_regex = "([";
	r = trawl_mime_render_bytes (msg, strlen (msg), &o);
	g_assert_nonnull (strstr (line_text (r, TRAWL_LINE_WARNING, 0), "footer-regex '(['"));
	g_assert_null (line_text (r, TRAWL_LINE_WARNING, 1));
	g_assert_nonnull (line_text (r, TRAWL_LINE_QUOTE_FOLD, 0));
	trawl_rendered_free (r);
}

int
main (int argc, char **argv)
{
	trawl_locale_init ();
	trawl_mime_init ();
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/comfort/writes", test_writes);
	g_test_add_func ("/comfort/blank-lines", test_blanks);
	g_test_add_func ("/comfort/footer-rule", test_footer_rule);
	g_test_add_func ("/comfort/render", test_render);
	return g_test_run ();
}
