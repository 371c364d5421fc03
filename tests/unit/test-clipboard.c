/* test-clipboard.c — copying: the copy command found through PATH and the
 * environment (fake wl-copy, xclip, xsel, pbcopy scripts), the text on its
 * stdin, a failing or missing command falling back to the notes file; the
 * citation of a fixture message in both forms, exact; the id: query; the
 * notes entry; the notes file's place; the OSC 52 string. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "trawl/citation.h"
#include "trawl/clipboard.h"
#include "trawl/sanitize.h"

static char *tmpdir;

static char *
write_script (const char *name, const char *body)
{
	char *path = g_build_filename (tmpdir, "bin", name, NULL);
	g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	g_assert_cmpint (g_chmod (path, 0755), ==, 0);
	return path;
}

/* The commands trawl_copy_commands (SETTING) gives, as "argv|argv". */
static char *
commands (const char *setting)
{
	g_autoptr (GPtrArray) cmds = trawl_copy_commands (setting, NULL);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < cmds->len; i++) {
		g_autofree char *line = g_strjoinv (" ", cmds->pdata[i]);
		g_string_append_printf (s, "%s%s", i ? "|" : "", line);
	}
	return g_string_free (s, FALSE);
}

static void
test_detect (void)
{
	g_autofree char *bin = g_build_filename (tmpdir, "bin", NULL);
	g_free (write_script ("wl-copy", "cat >/dev/null"));
	g_free (write_script ("xclip", "cat >/dev/null"));
	g_free (write_script ("xsel", "cat >/dev/null"));
	g_autofree char *pb = write_script ("pbcopy", "cat >/dev/null");
	g_setenv ("PATH", bin, TRUE);
	g_setenv ("WAYLAND_DISPLAY", "wayland-0", TRUE);
	g_setenv ("DISPLAY", ":0", TRUE);
	g_autofree char *all = commands (NULL);
	g_assert_cmpstr (all, ==, "wl-copy|xclip -selection clipboard|xsel --clipboard --input|pbcopy");
	g_autofree char *autos = commands ("auto");
	g_assert_cmpstr (autos, ==, all);
	g_unsetenv ("WAYLAND_DISPLAY");
	g_autofree char *x = commands ("");
	g_assert_cmpstr (x, ==, "xclip -selection clipboard|xsel --clipboard --input|pbcopy");
	g_setenv ("WAYLAND_DISPLAY", "wayland-0", TRUE);
	g_setenv ("DISPLAY", "", TRUE);	/* empty counts as unset */
	g_autofree char *w = commands ("");
	g_assert_cmpstr (w, ==, "wl-copy|pbcopy");
	g_unsetenv ("WAYLAND_DISPLAY");
	g_unsetenv ("DISPLAY");
	g_autofree char *p = commands ("");
	g_assert_cmpstr (p, ==, "pbcopy");
	g_assert_cmpint (g_unlink (pb), ==, 0);
	g_autofree char *none = commands ("");
	g_assert_cmpstr (none, ==, "");
	/* A setting is the only command, split as a shell would. */
	g_setenv ("DISPLAY", ":0", TRUE);
	g_autofree char *set = commands ("my-copy --to 'the clipboard'");
	g_assert_cmpstr (set, ==, "my-copy --to the clipboard");
	char *why = NULL;
	g_autoptr (GPtrArray) bad = trawl_copy_commands ("copy 'unclosed", &why);
	g_assert_cmpuint (bad->len, ==, 0);
	g_assert_nonnull (why);
	g_assert_true (g_str_has_prefix (why, "copy-command: "));
	g_free (why);
	g_unsetenv ("DISPLAY");
}

static char *
slurp (const char *path)
{
	char *text = NULL;
	if (!g_file_get_contents (path, &text, NULL, NULL))
		return NULL;
	return text;
}

static void
test_copy_and_fallback (void)
{
	/* the fake commands, and the system's for cat */
	g_autofree char *path = g_strdup_printf ("%s/bin:/usr/bin:/bin", tmpdir);
	g_setenv ("PATH", path, TRUE);
	g_unsetenv ("WAYLAND_DISPLAY");
	g_unsetenv ("DISPLAY");
	g_autofree char *out = g_build_filename (tmpdir, "clip.out", NULL);
	g_autofree char *body = g_strdup_printf ("cat > '%s'", out);
	g_autofree char *saver = write_script ("saver", body);
	g_free (write_script ("failer", "cat >/dev/null; exit 3"));
	g_autofree char *notes = g_build_filename (tmpdir, "deep", "dir", "notes.md", NULL);
	const char *text = "Subject: a \"quoted\" $(rm -rf) text\nline two";

	TrawlCopyResult r;
	g_autoptr (GError) err = NULL;
	g_assert_true (trawl_copy ("saver", text, notes, &r, &err));
	g_assert_false (r.to_notes);
	g_assert_cmpstr (r.where, ==, "saver");
	g_assert_null (r.why);
	trawl_copy_result_clear (&r);
	g_autofree char *got = slurp (out);
	g_assert_cmpstr (got, ==, text);
	g_assert_false (g_file_test (notes, G_FILE_TEST_EXISTS));

	/* exits 3: the notes file (made, with its directories) */
	g_assert_true (trawl_copy ("failer", text, notes, &r, &err));
	g_assert_true (r.to_notes);
	g_assert_cmpstr (r.where, ==, notes);
	g_assert_cmpstr (r.why, ==, "failer: exit status 3");
	trawl_copy_result_clear (&r);
	g_autofree char *n1 = slurp (notes);
	g_autofree char *want1 = g_strdup_printf ("%s\n\n", text);
	g_assert_cmpstr (n1, ==, want1);

	/* not found, and no command at all: appended again */
	g_assert_true (trawl_copy ("no-such-copier", "second\n", notes, &r, &err));
	g_assert_true (r.to_notes);
	g_assert_true (g_str_has_prefix (r.why, "no-such-copier: "));
	trawl_copy_result_clear (&r);
	g_assert_true (trawl_copy ("auto", "third", notes, &r, &err));
	g_assert_true (r.to_notes);
	g_assert_cmpstr (r.why, ==, "no copy command found");
	trawl_copy_result_clear (&r);
	g_autofree char *n3 = slurp (notes);
	g_autofree char *want3 = g_strdup_printf ("%s\n\nsecond\n\nthird\n\n", text);
	g_assert_cmpstr (n3, ==, want3);

	/* a notes file that cannot be written: an error, nothing claimed */
	g_assert_false (trawl_copy ("failer", "x", "/proc/no/such/notes.md", &r, &err));
	g_assert_nonnull (err);
	g_assert_null (r.where);
}

static void
test_timeout (void)
{
	g_autofree char *path = g_strdup_printf ("%s/bin:/usr/bin:/bin", tmpdir);
	g_setenv ("PATH", path, TRUE);
	g_autofree char *sleeper = write_script ("sleeper", "exec sleep 30");
	char *argv[] = { sleeper, NULL };
	char *why = NULL;
	gint64 t0 = g_get_monotonic_time ();
	g_assert_false (trawl_copy_run (argv, "text", G_USEC_PER_SEC / 5, &why));
	g_assert_cmpint (g_get_monotonic_time () - t0, <, 3 * G_USEC_PER_SEC);
	g_assert_true (g_str_has_suffix (why, ": no answer in 0 s"));
	g_free (why);
}

#define FIXTURE \
	"Return-Path: <alice@example.org>\n" \
	"Date: Fri, 14 Jun 2024\n 10:00:00 +0200 (CEST)\n" \
	"From: =?UTF-8?Q?Al=C3=AFce?= <alice@example.org>\n" \
	"To: Bob <bob@example.org>, carol@example.org\n" \
	"Subject: =?UTF-8?Q?Caf=C3=A9?= plans \033[2J`now`\n" \
	"Message-ID: <cite-1@example.org>\n" \
	"\n" \
	"Body line one.\n\n" \
	"From: not a header\n"

static void
test_citation (void)
{
	g_autofree char *path = g_build_filename (tmpdir, "cite.eml", NULL);
	g_assert_true (g_file_set_contents (path, FIXTURE, -1, NULL));
	g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, FIXTURE, -1);
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlCitation) c = trawl_citation_read (path, &err);
	g_assert_no_error (err);
	g_assert_cmpstr (c->date, ==, "Fri, 14 Jun 2024 10:00:00 +0200 (CEST)");
	g_assert_cmpstr (c->from, ==, "Alïce <alice@example.org>");
	g_assert_cmpstr (c->subject, ==, "Café plans ^[[2J`now`");
	g_assert_cmpstr (c->message_id, ==, "cite-1@example.org");
	g_assert_cmpstr (c->sha256, ==, sha);

	g_autofree char *plain = trawl_citation_text (c, FALSE);
	g_autofree char *want_plain = g_strdup_printf (
		"Date: Fri, 14 Jun 2024 10:00:00 +0200 (CEST)\n"
		"From: Alïce <alice@example.org>\n"
		"To: Bob <bob@example.org>, carol@example.org\n"
		"Subject: Café plans ^[[2J`now`\n"
		"Message-ID: <cite-1@example.org>\n"
		"SHA256: %s\n", sha);
	g_assert_cmpstr (plain, ==, want_plain);

	g_autofree char *md = trawl_citation_text (c, TRUE);
	g_autofree char *want_md = g_strdup_printf (
		"- **Date:** Fri, 14 Jun 2024 10:00:00 +0200 (CEST)\n"
		"- **From:** `Alïce <alice@example.org>`\n"
		"- **To:** `Bob <bob@example.org>, carol@example.org`\n"
		"- **Subject:** Café plans ^[[2J`now`\n"
		"- **Message-ID:** `<cite-1@example.org>`\n"
		"- **SHA256:** `%s`\n", sha);
	g_assert_cmpstr (md, ==, want_md);

	const char *lines[] = { "Body line one.", "", "tab\there \033]52;c;x\a", "trailing   " };
	g_autofree char *note = trawl_citation_note (c, lines, G_N_ELEMENTS (lines));
	g_autofree char *want_note = g_strdup_printf (
		"## Café plans ^[[2J`now`\n\n%s\n"
		"> Body line one.\n"
		">\n"
		"> tab here ^[]52;c;x^G\n"
		"> trailing\n", want_md);
	g_assert_cmpstr (note, ==, want_note);

	/* A file with no headers at all: empty fields, still a hash. */
	g_autofree char *bare = g_build_filename (tmpdir, "bare.eml", NULL);
	g_assert_true (g_file_set_contents (bare, "", 0, NULL));
	g_autoptr (TrawlCitation) e = trawl_citation_read (bare, &err);
	g_assert_no_error (err);
	g_assert_cmpstr (e->date, ==, "");
	g_assert_cmpstr (e->message_id, ==, "");
	g_assert_cmpstr (e->sha256, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	g_autofree char *missing = g_build_filename (tmpdir, "missing.eml", NULL);
	TrawlCitation *m = trawl_citation_read (missing, &err);
	g_assert_null (m);
	g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_id_query (void)
{
	const char *cases[][2] = {
		{ "cite-1@example.org", "id:cite-1@example.org" },
		{ "a+b=c/d_e.f-g$h@x", "id:a+b=c/d_e.f-g$h@x" },
		{ "with space@x", "id:\"with space@x\"" },
		{ "q\"uote)@x", "id:\"q\"\"uote)@x\"" },
		{ "caf\xc3\xa9@x", "id:\"caf\xc3\xa9@x\"" },
		{ "", "id:\"\"" },
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *q = trawl_id_query (cases[i][0]);
		g_assert_cmpstr (q, ==, cases[i][1]);
	}
}

static void
test_notes_path (void)
{
	g_autofree char *arch = g_build_filename (tmpdir, "archive", NULL);
	g_assert_cmpint (g_mkdir_with_parents (arch, 0700), ==, 0);
	g_autofree char *cfg = g_build_filename (arch, "notmuch-config", NULL);
	g_assert_true (g_file_set_contents (cfg, "", 0, NULL));
	/* not an archive yet: no manifest */
	g_setenv ("XDG_DATA_HOME", "/xdg/data", TRUE);
	g_setenv ("HOME", "/home/u", TRUE);
	g_autofree char *p0 = trawl_notes_path ("", cfg);
	g_assert_cmpstr (p0, ==, "/xdg/data/trawl/notes.md");
	g_autofree char *p1 = trawl_notes_path ("~/case/notes.md", cfg);
	g_assert_cmpstr (p1, ==, "/home/u/case/notes.md");
	g_autofree char *manifest = g_build_filename (arch, "manifest.jsonl", NULL);
	g_assert_true (g_file_set_contents (manifest, "{}\n", -1, NULL));
	g_autofree char *p2 = trawl_notes_path ("~/case/notes.md", cfg);
	g_autofree char *want = g_build_filename (arch, "notes.md", NULL);
	g_assert_cmpstr (p2, ==, want);
	g_autofree char *p3 = trawl_notes_path ("/abs/notes.md", NULL);
	g_assert_cmpstr (p3, ==, "/abs/notes.md");
}

static void
test_osc52 (void)
{
	g_autofree char *s = trawl_osc52 ("hello");
	g_assert_cmpstr (s, ==, "\033]52;c;aGVsbG8=\a");
	g_autofree char *e = trawl_osc52 ("");
	g_assert_cmpstr (e, ==, "\033]52;c;\a");
	g_autofree char *u = trawl_osc52 ("id:\"é\"\n");
	g_assert_cmpstr (u, ==, "\033]52;c;aWQ6IsOpIgo=\a");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_locale_init ();
	tmpdir = g_dir_make_tmp ("trawl-clip-XXXXXX", NULL);
	g_autofree char *bin = g_build_filename (tmpdir, "bin", NULL);
	g_mkdir (bin, 0700);
	g_test_add_func ("/clipboard/detect", test_detect);
	g_test_add_func ("/clipboard/copy-and-fallback", test_copy_and_fallback);
	g_test_add_func ("/clipboard/timeout", test_timeout);
	g_test_add_func ("/clipboard/citation", test_citation);
	g_test_add_func ("/clipboard/id-query", test_id_query);
	g_test_add_func ("/clipboard/notes-path", test_notes_path);
	g_test_add_func ("/clipboard/osc52", test_osc52);
	int rc = g_test_run ();
	g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
	if (system (cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
