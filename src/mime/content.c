/* content.c — a leaf part's content, decoded at most once per render.
 *
 * A text part shown is decoded once, up to max_part_bytes: the same pass over
 * its encoded text counts its whole decoded size and looks for bytes base64
 * never uses.  A part only listed (an attachment, an alternative not shown)
 * is not decoded at all: its size is counted from its encoded text, exactly
 * as GMime's decoders would give it (base64: the alphabet's characters up to
 * the first '=', which ends the data; quoted-printable: its escapes and soft
 * breaks; 7bit, 8bit, binary: the length) — a 20 MB attachment costs one
 * scan of its text, without a byte of it decoded or copied.  uuencode, rare
 * and with its begin/end lines, is decoded into a scratch buffer.
 *
 * c->r->stats counts both kinds, for the tests; /render/counted-sizes holds
 * the counts to what GMime's decoder writes for hostile input.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

#define CHUNK ((gsize) 65536)

/* ------------------------------------------------------------ reading */

/* The encoded text of a part, a chunk at a time: straight out of the
 * message's buffer when the content is a memory stream (it is whenever the
 * message was parsed from memory, as every render does), else read. */
typedef struct {
	GMimeStream *raw;	/* borrowed */
	gboolean is_direct;
	const char *direct;	/* is_direct: the whole encoded text, in the message's buffer; borrowed */
	gsize direct_len;
	gsize pos;
	char buf[CHUNK];
} RawReader;

static void
raw_open (RawReader *rr, GMimeStream *raw)
{
	rr->raw = raw;
	rr->is_direct = FALSE;
	rr->direct = NULL;
	rr->direct_len = 0;
	rr->pos = 0;
	if (GMIME_IS_STREAM_MEM (raw)) {
		GByteArray *ba = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (raw));
		gint64 start = raw->bound_start, end = raw->bound_end;
		if (ba != NULL) {
			if (end < 0 || end > (gint64) ba->len)
				end = (gint64) ba->len;
			if (start < 0)
				start = 0;
			if (start > end)
				start = end;
			rr->is_direct = TRUE;
			rr->direct = ba->data ? (const char *) ba->data + start : "";
			rr->direct_len = ba->data ? (gsize) (end - start) : 0;
			return;
		}
	}
	g_mime_stream_reset (raw);
}

/* The next chunk (at most CHUNK bytes, borrowed until the next call);
 * FALSE at the end. */
static gboolean
raw_next (RawReader *rr, const char **chunk, gsize *len)
{
	if (rr->is_direct) {
		if (rr->pos >= rr->direct_len)
			return FALSE;
		*chunk = rr->direct + rr->pos;
		*len = MIN (CHUNK, rr->direct_len - rr->pos);
		rr->pos += *len;
		return TRUE;
	}
	gssize n = g_mime_stream_read (rr->raw, rr->buf, sizeof rr->buf);
	if (n <= 0)
		return FALSE;
	*chunk = rr->buf;
	*len = (gsize) n;
	return TRUE;
}

static void
raw_close (RawReader *rr)
{
	if (!rr->is_direct)
		g_mime_stream_reset (rr->raw);
}

/* ------------------------------------------------------------ counting */

/* Base64 bytes by what they count for: a data character 1, a byte base64
 * never uses 1 << 32 (white space and '=' 0), so that one sum over a run
 * says how many data characters it holds and whether any byte was bad. */
#define B64_BAD_UNIT ((guint64) 1 << 32)
static guint64 b64_weight[256];

static void
b64_weight_init (void)
{
	static gsize once = 0;
	if (g_once_init_enter (&once)) {
		for (int i = 0; i < 256; i++) {
			if (g_ascii_isalnum (i) || i == '+' || i == '/')
				b64_weight[i] = 1;
			else if (i == '=' || i == '\r' || i == '\n' || i == ' ' || i == '\t')
				b64_weight[i] = 0;
			else
				b64_weight[i] = B64_BAD_UNIT;
		}
		g_once_init_leave (&once, 1);
	}
}

/* The sum of the weights of LEN bytes at P (LEN < 2^32). */
static guint64
b64_weigh (const guchar *p, gsize len)
{
	guint64 a = 0, b = 0, c = 0, d = 0;
	gsize i = 0;
	for (; i + 4 <= len; i += 4) {
		a += b64_weight[p[i]];
		b += b64_weight[p[i + 1]];
		c += b64_weight[p[i + 2]];
		d += b64_weight[p[i + 3]];
	}
	for (; i < len; i++)
		a += b64_weight[p[i]];
	return a + b + c + d;
}

/* GMime's base64 decoder, counted: every 4 data characters give 3 bytes; the
 * first '=' ends the data, giving 1 byte after 2 data characters of a
 * quartet, 2 after 3, none otherwise; anything else is skipped. */
typedef struct {
	guint64 data;		/* data characters before the first '=' */
	guint8 tail;		/* bytes the '=' gave */
	gboolean ended;		/* '=' seen */
	gboolean bad;		/* a byte base64 never uses was seen (before or after the end) */
} B64Count;

static void
b64_count (B64Count *st, const char *buf, gsize len)
{
	const guchar *p = (const guchar *) buf;
	if (!st->ended) {
		const guchar *pad = memchr (p, '=', len);
		gsize n = pad ? (gsize) (pad - p) : len;
		guint64 w = b64_weigh (p, n);
		st->data += w & (B64_BAD_UNIT - 1);
		if (w >= B64_BAD_UNIT)
			st->bad = TRUE;
		if (pad == NULL)
			return;
		guint q = (guint) (st->data % 4);
		st->tail = q == 2 ? 1 : q == 3 ? 2 : 0;
		st->ended = TRUE;
		p += n + 1;
		len -= n + 1;
	}
	if (!st->bad && b64_weigh (p, len) >= B64_BAD_UNIT)
		st->bad = TRUE;
}

static guint64
b64_size (const B64Count *st)
{
	return st->data / 4 * 3 + st->tail;
}

/* GMime's quoted-printable decoder, counted: "=XX" (hex digits) gives one
 * byte, "=\n" and "=\r\n" none, any other "=ab" three, every other byte
 * itself; an '=' cut off at the end gives nothing. */
typedef struct {
	guint64 out;
	int state;		/* 0: text; 1: after '='; 2: after '=' and one byte */
	guchar save;
} QpCount;

static void
qp_count (QpCount *st, const char *buf, gsize len)
{
	const guchar *p = (const guchar *) buf, *end = p + len;
	while (p < end) {
		if (st->state == 0) {
			const guchar *eq = memchr (p, '=', (gsize) (end - p));
			if (eq == NULL) {
				st->out += (guint64) (end - p);
				return;
			}
			st->out += (guint64) (eq - p);
			p = eq + 1;
			st->state = 1;
		} else if (st->state == 1) {
			guchar ch = *p++;
			if (ch == '\n') {
				st->state = 0;
			} else {
				st->save = ch;
				st->state = 2;
			}
		} else {
			guchar ch = *p++;
			if (g_ascii_isxdigit (ch) && g_ascii_isxdigit (st->save))
				st->out += 1;
			else if (!(ch == '\n' && st->save == '\r'))
				st->out += 3;
			st->state = 0;
		}
	}
}

/* The decoded size of an encoded text, counted a chunk at a time. */
typedef struct {
	GMimeContentEncoding enc;
	B64Count b64;
	QpCount qp;
	guint64 raw_len;
} SizeCount;

static gboolean
has_decoder (GMimeContentEncoding enc)
{
	return enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
}

static void
count_init (SizeCount *sc, GMimeContentEncoding enc)
{
	memset (sc, 0, sizeof *sc);
	sc->enc = enc;
	b64_weight_init ();
}

static void
count_feed (SizeCount *sc, const char *chunk, gsize len)
{
	sc->raw_len += len;
	if (sc->enc == GMIME_CONTENT_ENCODING_BASE64)
		b64_count (&sc->b64, chunk, len);
	else if (sc->enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
		qp_count (&sc->qp, chunk, len);
}

static guint64
count_total (const SizeCount *sc)
{
	if (sc->enc == GMIME_CONTENT_ENCODING_BASE64)
		return b64_size (&sc->b64);
	if (sc->enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
		return sc->qp.out;
	return sc->raw_len;	/* 7bit, 8bit, binary: as is */
}

/* ------------------------------------------------------------ decoding */

static void
set_size (MimeContent *out, guint64 size)
{
	if (size >= MIME_COUNT_CAP) {
		out->size = MIME_COUNT_CAP;
		out->size_over = TRUE;
	} else {
		out->size = (gsize) size;
	}
}

/* Appends what fits under CAP of LEN decoded bytes to OUT->bytes (when
 * asked for), *TOTAL counting them all. */
static void
take (MimeContent *out, gsize cap, guint64 *total, const char *buf, gsize len)
{
	if (out->bytes && !out->cut) {
		if (*total < cap) {
			gsize room = (gsize) MIN ((guint64) len, cap - *total);
			g_byte_array_append (out->bytes, (const guint8 *) buf, (guint) room);
		}
		if (*total + len > cap)
			out->cut = TRUE;
	}
	*total += len;
}

/* uuencode: GMime's filter finds the begin and end lines; decoded through it
 * into a scratch buffer, the first CAP bytes kept when asked for. */
static void
decode_uu (Ctx *c, GMimeStream *raw, gsize cap, MimeContent *out)
{
	g_mime_stream_reset (raw);
	GMimeStream *fs = g_mime_stream_filter_new (raw);
	GMimeFilter *f = g_mime_filter_basic_new (GMIME_CONTENT_ENCODING_UUENCODE, FALSE);
	g_mime_stream_filter_add (GMIME_STREAM_FILTER (fs), f);
	g_object_unref (f);
	char *buf = g_malloc (CHUNK);
	guint64 total = 0;
	for (;;) {
		gssize n = g_mime_stream_read (fs, buf, CHUNK);
		if (n <= 0)
			break;
		take (out, cap, &total, buf, (gsize) n);
		if (total >= MIME_COUNT_CAP)
			break;
	}
	g_free (buf);
	g_object_unref (fs);
	g_mime_stream_reset (raw);
	c->r->stats.parts_decoded++;
	c->r->stats.bytes_decoded += total;
	set_size (out, total);
}

/* PART's encoded text (borrowed) and its encoding; NULL when it has none.
 * uuencode is dealt with here, decoded into OUT (at most CAP bytes): NULL
 * too. */
static GMimeStream *
open_content (Ctx *c, GMimePart *part, gsize cap, MimeContent *out, GMimeContentEncoding *enc)
{
	GMimeDataWrapper *w = g_mime_part_get_content (part);
	GMimeStream *raw = w ? g_mime_data_wrapper_get_stream (w) : NULL;
	if (raw == NULL)
		return NULL;
	*enc = g_mime_data_wrapper_get_encoding (w);
	if (*enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		decode_uu (c, raw, cap, out);
		return NULL;
	}
	return raw;
}

void
mime_content_decode (Ctx *c, GMimePart *part, gsize cap, MimeContent *out)
{
	memset (out, 0, sizeof *out);
	out->bytes = g_byte_array_new ();
	GMimeContentEncoding enc;
	GMimeStream *raw = open_content (c, part, cap, out, &enc);
	if (raw == NULL)
		return;
	GMimeEncoding dec;
	char *scratch = NULL;
	if (has_decoder (enc)) {
		g_mime_encoding_init_decode (&dec, enc);
		scratch = g_malloc (CHUNK + 16);	/* g_mime_encoding_outlen(): at most 3 more */
	}
	SizeCount sc;
	count_init (&sc, enc);
	guint64 decoded = 0;

	RawReader *rr = g_new (RawReader, 1);
	raw_open (rr, raw);
	const char *chunk;
	gsize len;
	while (raw_next (rr, &chunk, &len)) {
		/* The whole text is counted (and base64 checked); the decoder
		 * runs only until the cap is passed. */
		count_feed (&sc, chunk, len);
		if (out->cut)
			continue;
		if (scratch)
			take (out, cap, &decoded, scratch, g_mime_encoding_step (&dec, chunk, len, scratch));
		else
			take (out, cap, &decoded, chunk, len);
	}
	raw_close (rr);
	g_free (rr);
	if (scratch && !out->cut)
		take (out, cap, &decoded, scratch, g_mime_encoding_flush (&dec, NULL, 0, scratch));
	g_free (scratch);

	c->r->stats.parts_decoded++;
	c->r->stats.bytes_decoded += decoded;
	out->bad_base64 = sc.b64.bad;
	set_size (out, out->cut ? count_total (&sc) : decoded);
}

void
mime_content_size (Ctx *c, GMimePart *part, MimeContent *out)
{
	memset (out, 0, sizeof *out);
	GMimeContentEncoding enc;
	GMimeStream *raw = open_content (c, part, 0, out, &enc);
	if (raw == NULL)
		return;
	SizeCount sc;
	count_init (&sc, enc);
	RawReader *rr = g_new (RawReader, 1);
	raw_open (rr, raw);
	const char *chunk;
	gsize len;
	if (rr->is_direct && !has_decoder (enc))
		sc.raw_len = rr->direct_len;	/* the length is the size: no need to look */
	else
		while (raw_next (rr, &chunk, &len))
			count_feed (&sc, chunk, len);
	raw_close (rr);
	g_free (rr);
	c->r->stats.parts_counted++;
	set_size (out, count_total (&sc));
}

void
mime_content_clear (MimeContent *out)
{
	if (out->bytes)
		g_byte_array_unref (out->bytes);
	memset (out, 0, sizeof *out);
}
