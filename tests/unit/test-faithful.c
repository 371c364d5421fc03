/* test-faithful.c — all_headers: every header line as in the file
 * (RAW_HEADER lines, unfolded, in file order, duplicates kept), a
 * HEADER_DECODED line only where decoding changed the value, and the Date
 * line byte for byte with the local time after it. */
#include "config.h"

#include <string.h>

#include "trawl/mime.h"

static TrawlRendered *
render_all (const char *msg)
{
	TrawlRenderOptions o = { 0 };
	o.all_headers = TRUE;
	o.html_command = "";
	return trawl_mime_render_bytes (msg, strlen (msg), &o);
}

/* The lines of R up to the first BLANK, as "RAW text" / "DECODED text". */
static char *
header_lines (TrawlRendered *r)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = r->lines->pdata[i];
		if (l->type == TRAWL_LINE_RAW_HEADER)
			g_string_append_printf (s, "RAW %s\n", l->text);
		else if (l->type == TRAWL_LINE_HEADER_DECODED)
			g_string_append_printf (s, "DECODED %s: %s\n", l->label, l->text);
		else if (l->type == TRAWL_LINE_HEADER)
			g_string_append_printf (s, "HEADER %s\n", l->text);
		else if (l->type == TRAWL_LINE_BLANK)
			break;
	}
	return g_string_free (s, FALSE);
}

static void
test_lf (void)
{
	const char *msg =
		"From: =?ISO-8859-1?Q?J=F6rg?= <j@example.org>\n"
		"Subject: folded\n"
		"  over two\n"
		"\tand three lines\n"
		"X-Dup: one\n"
		"Date: Fri, 14 Jun 2024 10:00:00 +0000\n"
		"X-Dup: two\n"
		"X-Plain: =not encoded\n"
		"X-Utf8: caf\xc3\xa9\n"
		"X-Latin1: caf\xe9\n"
		"subject :spaced name\n"
		"Content-Type: text/plain;\n"
		" charset=utf-8\n"
		"\n"
		"body\n";
	TrawlRendered *r = render_all (msg);
	char *got = header_lines (r);
	g_assert_cmpstr (got, ==,
		"RAW From: =?ISO-8859-1?Q?J=F6rg?= <j@example.org>\n"
		"DECODED From: Jörg <j@example.org>\n"
		"RAW Subject: folded  over two\tand three lines\n"
		"RAW X-Dup: one\n"
		"RAW Date: Fri, 14 Jun 2024 10:00:00 +0000  (local: Fri 14 Jun 2024 10:00 UTC)\n"
		"RAW X-Dup: two\n"
		"RAW X-Plain: =not encoded\n"
		"RAW X-Utf8: caf\xc3\xa9\n"
		"RAW X-Latin1: caf\\xE9\n"
		"DECODED X-Latin1: café\n"
		"RAW subject :spaced name\n"
		"RAW Content-Type: text/plain; charset=utf-8\n");
	/* the names, for the screen */
	gboolean seen = FALSE;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = r->lines->pdata[i];
		if (l->type == TRAWL_LINE_RAW_HEADER && g_str_has_prefix (l->text, "subject :")) {
			g_assert_cmpstr (l->label, ==, "subject");
			seen = TRUE;
		}
	}
	g_assert_true (seen);
	/* ->headers is as before: decoded */
	g_assert_cmpuint (r->headers->len, >=, 10);
	g_free (got);
	trawl_rendered_free (r);
}

static void
test_crlf (void)
{
	const char *msg =
		"From: a@example.org\r\n"
		"Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n"
		"\tcontinued\r\n"
		"Date: Sat, 15 Jun 2024 11:45:00 +0200\r\n"
		"\r\n"
		"body\r\n";
	TrawlRendered *r = render_all (msg);
	char *got = header_lines (r);
	g_assert_cmpstr (got, ==,
		"RAW From: a@example.org\n"
		"RAW Subject: =?UTF-8?B?Q2Fmw6k=?=\tcontinued\n"
		"DECODED Subject: Café\tcontinued\n"
		"RAW Date: Sat, 15 Jun 2024 11:45:00 +0200  (local: Sat 15 Jun 2024 09:45 UTC)\n");
	g_free (got);
	trawl_rendered_free (r);
}

static void
test_not_all (void)
{
	/* Without all_headers: the usual few, decoded, as before. */
	const char *msg = "Subject: =?UTF-8?Q?Caf=C3=A9?=\nDate: Fri, 14 Jun 2024 10:00:00 +0000\n\nbody\n";
	TrawlRenderOptions o = { 0 };
	o.html_command = "";
	TrawlRendered *r = trawl_mime_render_bytes (msg, strlen (msg), &o);
	char *got = header_lines (r);
	g_assert_cmpstr (got, ==, "HEADER Fri, 14 Jun 2024 10:00 +0000\nHEADER Café\n");
	g_free (got);
	trawl_rendered_free (r);
}

static void
test_nested (void)
{
	/* A forwarded message's headers, raw as well. */
	const char *msg =
		"From: a@example.org\n"
		"Subject: fwd\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"b\"\n"
		"\n"
		"--b\n"
		"Content-Type: message/rfc822\n"
		"\n"
		"From: inner@example.org\n"
		"Subject: =?UTF-8?Q?inn=C3=A9r?=\n"
		"Date: Fri, 14 Jun 2024 10:00:00 +0000\n"
		"\n"
		"inner body\n"
		"--b--\n";
	TrawlRendered *r = render_all (msg);
	gboolean raw = FALSE, decoded = FALSE;
	for (guint i = 0; i < r->lines->len; i++) {
		TrawlLine *l = r->lines->pdata[i];
		if (l->nest == 1 && l->type == TRAWL_LINE_RAW_HEADER &&
		    strcmp (l->text, "Subject: =?UTF-8?Q?inn=C3=A9r?=") == 0)
			raw = TRUE;
		if (l->nest == 1 && l->type == TRAWL_LINE_HEADER_DECODED && strcmp (l->text, "innér") == 0)
			decoded = TRUE;
	}
	g_assert_true (raw);
	g_assert_true (decoded);
	trawl_rendered_free (r);
}

int
main (int argc, char **argv)
{
	g_setenv ("TZ", "UTC", TRUE);
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/faithful/lf", test_lf);
	g_test_add_func ("/faithful/crlf", test_crlf);
	g_test_add_func ("/faithful/not-all", test_not_all);
	g_test_add_func ("/faithful/nested", test_nested);
	return g_test_run ();
}
