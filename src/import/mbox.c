/* mbox.c — the messages of an mbox stream, found by GMime's own mbox parser
 * (GMIME_FORMAT_MBOX), stored as their original bytes.
 *
 * GMime finds the From_ separators (any "From " line: mboxo, mboxrd,
 * Thunderbird's "From - date", Google Takeout's "From 123@xxx", pipermail's
 * "From a at b") and honours a consistent Content-Length (mboxcl, mboxcl2).
 * What it does not do is undo the writer's escaping of body lines that
 * start with "From ": that is done here, per flavour:
 *   mboxrd             ">>From " -> ">From ", ">From " -> "From "
 *   mboxo, mboxcl      ">From " -> "From " (deeper quoting was never escaped)
 *   mboxcl2            nothing (the writer relied on Content-Length)
 *   auto (default)     mboxcl2 when the message body has a bare "From " line
 *                      (only a Content-Length writer leaves one), else mboxrd
 *                      (the same as mboxo except for ">>From " lines). */
#include "config.h"

#include <string.h>

#include "import-private.h"

typedef struct {
	ImportInput *in;
	gsize head_pos;
} Reader;

static gssize
reader_read (gpointer user, char *buf, gsize len)
{
	Reader *r = user;
	if (r->head_pos < r->in->head_len) {
		gsize n = MIN (len, r->in->head_len - r->head_pos);
		memcpy (buf, r->in->head + r->head_pos, n);
		r->head_pos += n;
		return (gssize) n;
	}
	return r->in->read (r->in->user, buf, len);
}

/* Is there a line starting with "From " in P[0..N)? */
static gboolean
has_bare_from (const guint8 *p, gsize n)
{
	for (gsize i = 0; i + 5 <= n;) {
		if (memcmp (p + i, "From ", 5) == 0)
			return TRUE;
		const guint8 *nl = memchr (p + i, '\n', n - i);
		if (!nl)
			break;
		i = (gsize) (nl - p) + 1;
	}
	return FALSE;
}

/* Appends P[0..N) to OUT with one '>' taken from each line that starts
 * with ">From " (ANY_DEPTH: or ">>...From "). */
static void
unescape (GByteArray *out, const guint8 *p, gsize n, gboolean any_depth)
{
	gsize i = 0;
	while (i < n) {
		const guint8 *nl = memchr (p + i, '\n', n - i);
		gsize end = nl ? (gsize) (nl - p) + 1 : n;
		gsize q = i;
		while (q < end && p[q] == '>')
			q++;
		gsize depth = q - i;
		if (depth > 0 && (any_depth || depth == 1) && end - q >= 5 && memcmp (p + q, "From ", 5) == 0)
			g_byte_array_append (out, p + i + 1, (guint) (end - i - 1));
		else
			g_byte_array_append (out, p + i, (guint) (end - i));
		i = end;
	}
}

/* The message's bytes as they were before the mbox writer touched them:
 * the separator line gone (not in [BEGIN, END) already), the blank line
 * the writer put after the message gone, the escaping undone. */
static GByteArray *
original_bytes (const guint8 *p, gsize n, gsize header_len, const char *format)
{
	/* The writer's blank line between messages. */
	if (n >= 2 && p[n - 1] == '\n' && p[n - 2] == '\n')
		n--;
	else if (n >= 4 && p[n - 1] == '\n' && p[n - 2] == '\r' && p[n - 3] == '\n' && p[n - 4] == '\r')
		n -= 2;
	GByteArray *out = g_byte_array_sized_new ((guint) n);
	header_len = MIN (header_len, n);
	g_byte_array_append (out, p, (guint) header_len);
	const guint8 *body = p + header_len;
	gsize blen = n - header_len;
	if (strcmp (format, "mboxcl2") == 0 || (strcmp (format, "auto") == 0 && has_bare_from (body, blen)))
		g_byte_array_append (out, body, (guint) blen);
	else
		unescape (out, body, blen, strcmp (format, "mboxo") != 0 && strcmp (format, "mboxcl") != 0);
	return out;
}

gint64
import_mbox_split (TrawlTapRead read_fn, gpointer read_user, guint64 max, const char *format,
		   ImportMboxFn fn, gpointer user, gboolean (*stopping) (gpointer user), gboolean *failed)
{
	/* Keep at most twice the cap (plus GMime's read-ahead) in memory. */
	TrawlTapStream *tap = trawl_tap_stream_new (read_fn, read_user, max ? (gsize) max * 2 + (1 << 20) : 0);
	GMimeParser *parser = g_mime_parser_new_with_stream (GMIME_STREAM (tap));
	g_mime_parser_set_format (parser, GMIME_FORMAT_MBOX);
	/* The stream cannot seek back: parts must not refer into it. */
	g_mime_parser_set_persist_stream (parser, FALSE);
	g_mime_parser_set_respect_content_length (parser,
		strcmp (format, "mboxo") != 0 && strcmp (format, "mboxrd") != 0);
	gboolean go = TRUE;
	gint64 number = 0;
	while (go && !g_mime_parser_eos (parser) && !(stopping && stopping (user))) {
		GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
		if (!msg)
			break;
		number++;
		ImportMboxMessage m = { 0 };
		m.number = number;
		m.marker = g_mime_parser_get_mbox_marker_offset (parser);
		m.begin = g_mime_parser_get_headers_begin (parser);
		gint64 hend = g_mime_parser_get_headers_end (parser);
		m.end = g_mime_parser_tell (parser);
		g_autofree char *from_line = g_mime_parser_get_mbox_marker (parser);
		m.from_line = from_line;
		g_object_unref (msg);

		m.raw = trawl_tap_stream_bytes (tap, m.begin, m.end, &m.raw_len);
		g_autoptr (GByteArray) orig = NULL;
		if (trawl_tap_stream_failed (tap)) {
			/* The stream broke (a read error, a bomb) inside this
			 * message: a cut message is never stored as if whole. */
			m.status = IMPORT_MBOX_CUT;
			fn (user, &m);
			break;
		}
		if (!m.raw || (max && (guint64) (m.end - m.begin) > max))
			m.status = IMPORT_MBOX_TOO_LARGE;
		else {
			m.status = IMPORT_MBOX_KEPT;
			orig = original_bytes (m.raw, m.raw_len, (gsize) (hend - m.begin), format);
			m.data = orig->data;
			m.len = orig->len;
		}
		go = fn (user, &m);
		trawl_tap_stream_mark (tap, m.end);
	}
	if (failed)
		*failed = trawl_tap_stream_failed (tap);
	g_object_unref (parser);
	g_object_unref (tap);
	return number;
}

typedef struct {
	Import *im;
	ImportInput *in;
	const ImportWhere *where;
	gboolean ok;
	gboolean last_unterminated;
} MboxRun;

static gboolean
mbox_stopping (gpointer user)
{
	MboxRun *run = user;
	return import_stopping (run->im);
}

static gboolean
mbox_message (gpointer user, const ImportMboxMessage *m)
{
	MboxRun *run = user;
	ImportWhere w;
	import_where_copy (&w, run->where);
	import_where_add_int (&w, "mbox_message", m->number);
	import_where_add_int (&w, "offset", m->marker);
	if (m->from_line)
		import_where_add_string (&w, "mbox_from", m->from_line);
	if (m->status == IMPORT_MBOX_CUT) {
		if (!IMPORT_INPUT_ABANDONED (run->in)) {
			g_autofree char *what = g_strdup_printf ("message %" G_GINT64_FORMAT " of %s, cut by a read error",
								 m->number, run->in->name);
			import_skip (run->im, "unreadable", &w, what);
		}
	} else if (m->status == IMPORT_MBOX_TOO_LARGE) {
		g_autofree char *what = g_strdup_printf ("message %" G_GINT64_FORMAT " of %s: %" G_GINT64_FORMAT " bytes",
							 m->number, run->in->name, m->end - m->begin);
		import_skip (run->im, "too large", &w, what);
	} else {
		run->last_unterminated = m->raw_len == 0 || m->raw[m->raw_len - 1] != '\n';
		run->ok = import_message (run->im, m->data, m->len, &w, NULL);
	}
	import_where_clear (&w);
	return run->ok;
}

gboolean
import_mbox (Import *im, ImportInput *in, const ImportWhere *where)
{
	Reader r = { in, 0 };
	MboxRun run = { im, in, where, TRUE, FALSE };
	gboolean failed = FALSE;
	gint64 number = import_mbox_split (reader_read, &r, import_max_message (im), import_mbox_format (im),
					   mbox_message, &run, mbox_stopping, &failed);
	if (failed && !IMPORT_INPUT_ABANDONED (in)) {
		import_note (im, "%s: read error in message %" G_GINT64_FORMAT "; the messages before it are kept",
			     in->name, number);
	} else if (run.ok && run.last_unterminated)
		import_note (im, "warning: %s ends in the middle of a line: its last message (number %" G_GINT64_FORMAT
			     ") may be truncated; it was kept as it is", in->name, number);
	if (run.ok && number == 0)
		import_skip (im, "not mail", where, in->name);
	return run.ok;
}

gboolean
import_single (Import *im, ImportInput *in, const ImportWhere *where, gint64 size_hint)
{
	guint64 max = import_max_message (im);
	if (max && size_hint > 0 && (guint64) size_hint > max) {
		g_autofree char *what = g_strdup_printf ("%s: %" G_GINT64_FORMAT " bytes", in->name, size_hint);
		import_skip (im, "too large", where, what);
		return TRUE;
	}
	gsize expect = size_hint > 0 ? (gsize) MIN (size_hint, 1 << 26) : 0;
	GByteArray *buf = g_byte_array_sized_new ((guint) MAX (in->head_len, expect));
	g_byte_array_append (buf, in->head, (guint) in->head_len);
	char chunk[65536];
	gboolean too_large = FALSE;
	for (;;) {
		gssize n = in->read (in->user, chunk, sizeof chunk);
		if (n < 0) {
			if (!IMPORT_INPUT_ABANDONED (in))
				import_skip (im, "unreadable", where, in->name);
			g_byte_array_unref (buf);
			return TRUE;
		}
		if (n == 0)
			break;
		if (max && buf->len + (guint64) n > max) {
			too_large = TRUE;
			break;
		}
		g_byte_array_append (buf, (const guint8 *) chunk, (guint) n);
	}
	gboolean ok = TRUE;
	if (too_large) {
		g_autofree char *what = g_strdup_printf ("%s: over %" G_GUINT64_FORMAT " bytes", in->name, max);
		import_skip (im, "too large", where, what);
	} else
		ok = import_message (im, buf->data, buf->len, where, NULL);
	g_byte_array_unref (buf);
	return ok;
}
