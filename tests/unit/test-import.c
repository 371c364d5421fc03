/* test-import.c — the import's parts: what a file is (by content), the tap
 * stream that keeps what GMime read, mbox flavours end to end through a
 * real notmuch database, and the indexer's atomic batches. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "trawl/import.h"
#include "trawl/index.h"
#include "../../src/import/import-private.h"

/* ---- detection ---------------------------------------------------------- */

static void
test_detect (void)
{
	static const struct {
		const char *text;
		gsize len;	/* 0: strlen */
		ImportKind kind;
	} cases[] = {
		{ "", 0, IMPORT_KIND_EMPTY },
		{ "From alice@example.org Mon Jan  6 12:00:00 2020\nFrom: a\n", 0, IMPORT_KIND_MBOX },
		{ "From - Mon Jan  6 12:00:00 2020\n", 0, IMPORT_KIND_MBOX },
		{ "Return-Path: <a@b>\nReceived: from x\n\tby y\nFrom: a@b\nSubject: s\n\nbody\n", 0, IMPORT_KIND_MESSAGE },
		{ "From: a@b\r\nSubject: crlf\r\n\r\nbody\r\n", 0, IMPORT_KIND_MESSAGE },
		/* a header cut by the end of what was read is still a header */
		{ "Received: from x\nX-Long-Header-Cut-By-The-Win", 0, IMPORT_KIND_MESSAGE },
		{ "X-Only: fields\nX-Nobody: knows\n\nbody", 0, IMPORT_KIND_NOT_MAIL },
		{ "hello world\nthis is a text file\n", 0, IMPORT_KIND_NOT_MAIL },
		{ " From: indented\n", 0, IMPORT_KIND_NOT_MAIL },
		{ "\nFrom: a blank line first\n", 0, IMPORT_KIND_NOT_MAIL },
		{ "\x1f\x8b\x08\x00", 4, IMPORT_KIND_CONTAINER },
		{ "PK\x03\x04", 4, IMPORT_KIND_CONTAINER },
		{ "7z\xbc\xaf\x27\x1c", 6, IMPORT_KIND_CONTAINER },
		{ "\xfd" "7zXZ\0", 6, IMPORT_KIND_CONTAINER },
		{ "\x28\xb5\x2f\xfd", 4, IMPORT_KIND_CONTAINER },
		{ "BZh91AY", 0, IMPORT_KIND_CONTAINER },
		{ "!BDN\x01\x02", 6, IMPORT_KIND_PST },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		gsize len = cases[i].len ? cases[i].len : strlen (cases[i].text);
		ImportKind k = import_detect ((const guint8 *) cases[i].text, len);
		if (k != cases[i].kind)
			g_error ("case %" G_GSIZE_FORMAT " (%.20s): %s, expected %s", i, cases[i].text,
				 import_kind_name (k), import_kind_name (cases[i].kind));
	}
	/* tar: "ustar" at offset 257 */
	guint8 tar[512] = { 0 };
	memcpy (tar, "mail/cur/1", 10);
	memcpy (tar + 257, "ustar", 5);
	g_assert_cmpint (import_detect (tar, sizeof tar), ==, IMPORT_KIND_CONTAINER);
}

/* ---- the tap stream ----------------------------------------------------- */

typedef struct {
	const char *data;
	gsize pos, len, chunk;
} Src;

static gssize
src_read (gpointer user, char *buf, gsize len)
{
	Src *s = user;
	gsize n = MIN (MIN (len, s->chunk), s->len - s->pos);
	memcpy (buf, s->data + s->pos, n);
	s->pos += n;
	return (gssize) n;
}

static void
test_tap_stream (void)
{
	const char *text = "0123456789abcdefghijklmnopqrstuvwxyz";
	Src s = { text, 0, strlen (text), 5 };
	TrawlTapStream *t = trawl_tap_stream_new (src_read, &s, 0);
	GMimeStream *st = GMIME_STREAM (t);
	char buf[64];
	/* A source giving 5 bytes at a time still fills each read: GMime's
	 * mbox parser mis-scans a From_ line that arrives in small pieces
	 * (tests/fuzz/regress/mbox/gmime-short-read-from-line). */
	g_assert_cmpint (g_mime_stream_read (st, buf, 4), ==, 4);
	g_assert_cmpint (g_mime_stream_read (st, buf, 6), ==, 6);
	g_assert_cmpint (g_mime_stream_tell (st), ==, 10);
	gsize len = 0;
	const guint8 *b = trawl_tap_stream_bytes (t, 2, 8, &len);
	g_assert_nonnull (b);
	g_assert_cmpuint (len, ==, 6);
	g_assert_cmpmem (b, len, "234567", 6);
	/* past what was read: not there */
	g_assert_null (trawl_tap_stream_bytes (t, 8, 12, &len));
	g_assert_cmpint (g_mime_stream_read (st, buf, 12), ==, 12);
	g_assert_cmpint (g_mime_stream_tell (st), ==, 22);
	g_assert_nonnull (trawl_tap_stream_bytes (t, 8, 12, &len));
	trawl_tap_stream_mark (t, 6);
	g_assert_null (trawl_tap_stream_bytes (t, 2, 8, &len));
	b = trawl_tap_stream_bytes (t, 6, 10, &len);
	g_assert_cmpmem (b, len, "6789", 4);
	while (g_mime_stream_read (st, buf, sizeof buf) > 0)
		;
	g_assert_true (g_mime_stream_eos (st));
	b = trawl_tap_stream_bytes (t, 30, 36, &len);
	g_assert_cmpmem (b, len, "uvwxyz", 6);
	g_object_unref (t);

	/* A limit drops the oldest bytes: memory stays bounded. */
	Src s2 = { text, 0, strlen (text), 4 };
	t = trawl_tap_stream_new (src_read, &s2, 8);
	while (g_mime_stream_read (GMIME_STREAM (t), buf, 4) > 0)
		;
	g_assert_cmpint (trawl_tap_stream_kept_start (t), >, 20);
	g_assert_null (trawl_tap_stream_bytes (t, 0, 4, &len));
	g_object_unref (t);
}

/* ---- mbox flavours, through a real database ------------------------------- */

static char *
notmuch_out (const char *config, const char *const *args)
{
	GPtrArray *argv = g_ptr_array_new ();
	g_ptr_array_add (argv, (gpointer) "notmuch");
	g_autofree char *c = g_strdup_printf ("--config=%s", config);
	g_ptr_array_add (argv, c);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add (argv, (gpointer) *a);
	g_ptr_array_add (argv, NULL);
	g_autofree char *out = NULL;
	int status = 0;
	g_autoptr (GError) e = NULL;
	g_auto (GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
	g_autofree char *err = NULL;
	gboolean ok = g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
				    &out, &err, &status, &e);
	if (!g_spawn_check_wait_status (status, NULL))
		g_printerr ("notmuch failed: %s\n", err);
	g_ptr_array_free (argv, TRUE);
	g_assert_no_error (e);
	g_assert_true (ok);
	g_assert_true (g_spawn_check_wait_status (status, NULL));
	return g_steal_pointer (&out);
}

static char *
stored_body (const char *archive, const char *id)
{
	g_autofree char *config = trawl_archive_config_path (archive);
	g_autofree char *q = g_strdup_printf ("id:%s", id);
	const char *args[] = { "search", "--output=files", q, NULL };
	g_autofree char *out = notmuch_out (config, args);
	g_strstrip (out);
	g_assert_nonnull (out);
	g_assert_null (strchr (out, '\n'));
	char *text = NULL;
	g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
	return text;
}

typedef struct {
	const char *format;	/* --mbox-format */
	const char *mbox;
	const char *want1;	/* the stored bytes of message <1@t> */
	guint n;		/* messages */
} MboxCase;

static void
run_mbox_case (const MboxCase *c)
{
	g_autofree char *dir = g_dir_make_tmp ("trawl-import-XXXXXX", NULL);
	g_autofree char *mbox = g_build_filename (dir, "case.mbox", NULL);
	g_autofree char *archive = g_build_filename (dir, "archive", NULL);
	g_assert_true (g_file_set_contents (mbox, c->mbox, -1, NULL));
	TrawlImportOptions o = { 0 };
	o.mbox_format = c->format;
	TrawlImportStats st = { 0 };
	char *sources[] = { mbox, NULL };
	g_autoptr (GError) e = NULL;
	g_assert_true (trawl_import_run (archive, sources, &o, &st, &e));
	g_assert_no_error (e);
	g_assert_cmpuint (st.stored, ==, c->n);
	g_autofree char *body = stored_body (archive, "1@t");
	g_assert_cmpstr (body, ==, c->want1);
	g_autofree char *config = trawl_archive_config_path (archive);
	const char *args[] = { "count", "tag:source/case", NULL };
	g_autofree char *count = notmuch_out (config, args);
	g_assert_cmpint (atoi (count), ==, (int) c->n);
	trawl_import_stats_clear (&st);
	g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
	g_assert_cmpint (system (rm), ==, 0);
}

static void
test_mbox_flavours (void)
{
	if (!g_find_program_in_path ("notmuch")) {
		g_test_skip ("notmuch is not installed");
		return;
	}
	const char *msg2 = "From x@y Mon Jan  6 12:00:00 2020\nFrom: b@t\nSubject: two\nMessage-ID: <2@t>\n\nsecond\n\n";
	MboxCase cases[] = {
		/* mboxrd: one '>' comes off every >*From line */
		{ "auto", "From a@t Mon Jan  6 12:00:00 2020\nFrom: a@t\nSubject: one\nMessage-ID: <1@t>\n\n"
			  ">From the start\n>>From quoted\nplain >From mid-line\n\n",
		  "From: a@t\nSubject: one\nMessage-ID: <1@t>\n\nFrom the start\n>From quoted\nplain >From mid-line\n", 2 },
		/* mboxo read as such: only single '>From' is unescaped */
		{ "mboxo", "From a@t Mon Jan  6 12:00:00 2020\nFrom: a@t\nSubject: one\nMessage-ID: <1@t>\n\n"
			   ">From the start\n>>From quoted\n\n",
		  "From: a@t\nSubject: one\nMessage-ID: <1@t>\n\nFrom the start\n>>From quoted\n", 2 },
		/* mboxcl2: Content-Length carries a bare From line; nothing unescaped */
		{ "auto", "From - Mon Jan  6 12:00:00 2020\nFrom: a@t\nSubject: one\nMessage-ID: <1@t>\nContent-Length: 30\n\n"
			  "From the start\n>From kept too\n\n",
		  "From: a@t\nSubject: one\nMessage-ID: <1@t>\nContent-Length: 30\n\nFrom the start\n>From kept too\n", 2 },
		/* CRLF line ends survive; the separator's blank line goes */
		{ "auto", "From a@t Mon Jan  6 12:00:00 2020\r\nFrom: a@t\r\nSubject: one\r\nMessage-ID: <1@t>\r\n\r\nbody\r\n\r\n",
		  "From: a@t\r\nSubject: one\r\nMessage-ID: <1@t>\r\n\r\nbody\r\n", 2 },
		/* Google Takeout separator, and a last message without final newline */
		{ "auto", "From 1623456789012345678@xxx Mon Jan 06 12:00:00 +0000 2020\nFrom: a@t\nSubject: one\nMessage-ID: <1@t>\n\nbody\n\n",
		  "From: a@t\nSubject: one\nMessage-ID: <1@t>\n\nbody\n", 2 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *full = g_strconcat (cases[i].mbox, msg2, NULL);
		MboxCase c = cases[i];
		c.mbox = full;
		run_mbox_case (&c);
	}
}

/* ---- the indexer -------------------------------------------------------- */

static void
write_msg (const char *path, const char *id, const char *subject)
{
	g_autofree char *text = g_strdup_printf ("From: a@example.org\nSubject: %s\nMessage-ID: <%s>\n\nbody\n", subject, id);
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_index_batches (void)
{
	if (!g_find_program_in_path ("notmuch")) {
		g_test_skip ("notmuch is not installed");
		return;
	}
	g_autofree char *dir = g_dir_make_tmp ("trawl-index-XXXXXX", NULL);
	g_autofree char *mail = g_build_filename (dir, "mail", "cur", NULL);
	g_autofree char *db = g_build_filename (dir, "db", NULL);
	g_autofree char *config = g_build_filename (dir, "config", NULL);
	g_assert_cmpint (g_mkdir_with_parents (mail, 0755), ==, 0);
	g_assert_cmpint (g_mkdir_with_parents (db, 0755), ==, 0);
	g_autofree char *mroot = g_build_filename (dir, "mail", NULL);
	g_autofree char *cfg = g_strdup_printf ("[database]\npath=%s\nmail_root=%s\n[new]\ntags=unread;new;\n"
						"[maildir]\nsynchronize_flags=false\n", db, mroot);
	g_assert_true (g_file_set_contents (config, cfg, -1, NULL));
	g_autofree char *a = g_build_filename (mail, "a:2,", NULL);
	g_autofree char *b = g_build_filename (mail, "b:2,", NULL);
	g_autofree char *c = g_build_filename (mail, "c:2,", NULL);
	write_msg (a, "a@t", "first");
	write_msg (b, "b@t", "second");
	write_msg (c, "a@t", "first, other bytes");
	const char *extra[] = { "source/x", NULL };

	/* An abandoned batch leaves nothing behind. */
	g_autoptr (GError) e = NULL;
	TrawlIndexBatch *batch = trawl_index_batch_begin (config, db, &e);
	g_assert_no_error (e);
	TrawlIndexResult r;
	g_autofree char *id = NULL;
	g_assert_true (trawl_index_batch_add (batch, a, FALSE, extra, &r, &id, &e));
	g_assert_cmpint (r, ==, TRAWL_INDEXED_NEW);
	g_assert_cmpstr (id, ==, "a@t");
	trawl_index_batch_abandon (batch);
	const char *count_all[] = { "count", "*", NULL };
	g_autofree char *n0 = notmuch_out (config, count_all);
	g_assert_cmpint (atoi (n0), ==, 0);

	/* A committed one: new tags and the extra ones; the same file again is
	 * ALREADY; another file with the same id is SAME_ID. */
	batch = trawl_index_batch_begin (config, db, &e);
	g_assert_no_error (e);
	g_assert_true (trawl_index_batch_add (batch, a, FALSE, extra, &r, NULL, &e));
	g_assert_cmpint (r, ==, TRAWL_INDEXED_NEW);
	g_assert_true (trawl_index_batch_add (batch, b, FALSE, NULL, &r, NULL, &e));
	g_assert_cmpint (r, ==, TRAWL_INDEXED_NEW);
	g_assert_true (trawl_index_batch_add (batch, a, FALSE, extra, &r, NULL, &e));
	g_assert_cmpint (r, ==, TRAWL_INDEXED_ALREADY);
	const char *extra2[] = { "source/y", NULL };
	g_assert_true (trawl_index_batch_add (batch, c, FALSE, extra2, &r, NULL, &e));
	g_assert_cmpint (r, ==, TRAWL_INDEXED_SAME_ID);
	g_assert_true (trawl_index_batch_commit (batch, &e));
	g_assert_no_error (e);
	g_autofree char *n1 = notmuch_out (config, count_all);
	g_assert_cmpint (atoi (n1), ==, 2);
	const char *tags_a[] = { "search", "--output=tags", "id:a@t", NULL };
	g_autofree char *ta = notmuch_out (config, tags_a);
	g_assert_cmpstr (ta, ==, "new\nsource/x\nsource/y\nunread\n");
	const char *tags_b[] = { "search", "--output=tags", "id:b@t", NULL };
	g_autofree char *tb = notmuch_out (config, tags_b);
	g_assert_cmpstr (tb, ==, "new\nunread\n");
	const char *files_a[] = { "search", "--output=files", "id:a@t", NULL };
	g_autofree char *fa = notmuch_out (config, files_a);
	g_assert_nonnull (strstr (fa, "a:2,"));
	g_assert_nonnull (strstr (fa, "c:2,"));
	g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
	g_assert_cmpint (system (rm), ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_mime_init ();
	g_setenv ("TZ", "UTC", TRUE);
	g_test_add_func ("/import/detect", test_detect);
	g_test_add_func ("/import/tap-stream", test_tap_stream);
	g_test_add_func ("/import/mbox-flavours", test_mbox_flavours);
	g_test_add_func ("/import/index-batches", test_index_batches);
	return g_test_run ();
}
