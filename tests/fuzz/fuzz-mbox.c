/* fuzz-mbox.c — the mbox reader's pure part: the input is an mbox stream,
 * split by import_mbox_split (import-private.h; the tap stream, GMime's
 * mbox parser, the unescaping of ">From " lines) exactly as import_mbox
 * does it, with no archive and no database.  Each input is split in every
 * format ("auto", "mboxrd", "mboxo", "mboxcl", "mboxcl2") with no size
 * cap, then in "auto" with a 64-byte cap; the stream is served in chunks
 * of a size taken from the input's length, so the tap's buffer boundaries
 * move.  Checked:
 *   - the stream never fails (it is memory), every message without a cap
 *     is kept, and a message is TOO_LARGE only when over the cap;
 *   - every message's bytes lie within the input: 0 <= begin <= end <=
 *     size, raw is input[begin, end), and its From_ line (marker) comes
 *     before it and after the previous message;
 *   - the unescaped copy is no longer than the raw bytes, and holds the
 *     same bytes once the '>'s are put back (it never invents any);
 *   - messages are numbered 1, 2, ... and there are at most as many as
 *     "From " line starts, plus one. */
#include "config.h"

#include "import-private.h"

#include "fuzz.h"

typedef struct {
	const uint8_t *data;
	size_t size;
	size_t pos;
	size_t chunk;
} Src;

static gssize
src_read (gpointer user, char *buf, gsize len)
{
	Src *s = user;
	gsize n = MIN (len, MIN (s->chunk, s->size - s->pos));
	memcpy (buf, s->data + s->pos, n);
	s->pos += n;
	return (gssize) n;
}

typedef struct {
	const Src *src;
	const char *format;
	guint64 max;
	gint64 count;
	gint64 prev_end;
} Run;

/* D[0..DLEN) is R[0..RLEN) with only '>' bytes taken out. */
static gboolean
is_unescaped (const guint8 *d, gsize dlen, const guint8 *r, gsize rlen)
{
	gsize i = 0;
	for (gsize j = 0; j < rlen; j++) {
		if (i < dlen && d[i] == r[j])
			i++;
		else if (r[j] != '>')
			return i == dlen;	/* the copy may stop early (the writer's blank line) */
	}
	return i == dlen;
}

static gboolean
on_message (gpointer user, const ImportMboxMessage *m)
{
	Run *run = user;
	const Src *s = run->src;
	run->count++;
	FUZZ_CHECK (m->number == run->count, "%s: message %" G_GINT64_FORMAT " reported as number %" G_GINT64_FORMAT,
		    run->format, run->count, m->number);
	FUZZ_CHECK (m->status != IMPORT_MBOX_CUT, "%s: message %" G_GINT64_FORMAT " cut, but memory never fails",
		    run->format, m->number);
	FUZZ_CHECK (0 <= m->begin && m->begin <= m->end && m->end <= (gint64) s->size,
		    "%s: message %" G_GINT64_FORMAT " at [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") of %zu bytes",
		    run->format, m->number, m->begin, m->end, s->size);
	FUZZ_CHECK (m->begin >= run->prev_end, "%s: message %" G_GINT64_FORMAT " begins at %" G_GINT64_FORMAT
		    ", before the last one's end %" G_GINT64_FORMAT, run->format, m->number, m->begin, run->prev_end);
	FUZZ_CHECK (m->marker >= run->prev_end && m->marker <= m->begin,
		    "%s: message %" G_GINT64_FORMAT ": From_ line at %" G_GINT64_FORMAT ", outside [%" G_GINT64_FORMAT
		    ", %" G_GINT64_FORMAT "]", run->format, m->number, m->marker, run->prev_end, m->begin);
	run->prev_end = m->end;
	if (m->from_line)
		FUZZ_CHECK (strlen (m->from_line) <= s->size, "%s: From_ line longer than the input", run->format);
	if (!run->max)
		FUZZ_CHECK (m->status == IMPORT_MBOX_KEPT, "%s: message %" G_GINT64_FORMAT " not kept without a cap",
			    run->format, m->number);
	if (m->status == IMPORT_MBOX_TOO_LARGE) {
		FUZZ_CHECK (run->max && (guint64) (m->end - m->begin) > run->max,
			    "%s: message %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes too large under cap %" G_GUINT64_FORMAT,
			    run->format, m->number, m->end - m->begin, run->max);
		return TRUE;
	}
	FUZZ_CHECK (m->raw != NULL && m->raw_len == (gsize) (m->end - m->begin),
		    "%s: message %" G_GINT64_FORMAT ": raw %p, %zu bytes for [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
		    run->format, m->number, (const void *) m->raw, m->raw_len, m->begin, m->end);
	FUZZ_CHECK (memcmp (m->raw, s->data + m->begin, m->raw_len) == 0,
		    "%s: message %" G_GINT64_FORMAT ": raw bytes differ from the input at %" G_GINT64_FORMAT,
		    run->format, m->number, m->begin);
	FUZZ_CHECK (m->len <= m->raw_len, "%s: message %" G_GINT64_FORMAT ": unescaped %zu bytes > raw %zu",
		    run->format, m->number, m->len, m->raw_len);
	FUZZ_CHECK (m->len == 0 || m->data != NULL, "%s: message %" G_GINT64_FORMAT ": no data", run->format, m->number);
	FUZZ_CHECK (is_unescaped (m->data, m->len, m->raw, m->raw_len),
		    "%s: message %" G_GINT64_FORMAT ": the unescaped copy is not the raw bytes less some '>'",
		    run->format, m->number);
	return TRUE;
}

/* Lines starting with "From " (any line: GMime decides which separate). */
static gint64
from_lines (const uint8_t *p, size_t n)
{
	gint64 c = 0;
	for (size_t i = 0; i + 5 <= n;) {
		if (memcmp (p + i, "From ", 5) == 0)
			c++;
		const uint8_t *nl = memchr (p + i, '\n', n - i);
		if (!nl)
			break;
		i = (size_t) (nl - p) + 1;
	}
	return c;
}

static void
split (const uint8_t *data, size_t size, const char *format, guint64 max)
{
	Src s = { data, size, 0, 1 + size % 97 };
	if (size % 3 == 0)
		s.chunk = 65536;
	Run run = { &s, format, max, 0, 0 };
	gboolean failed = TRUE;
	gint64 n = import_mbox_split (src_read, &s, max, format, on_message, &run, NULL, &failed);
	FUZZ_CHECK (!failed, "%s: the stream failed", format);
	FUZZ_CHECK (n == run.count, "%s: %" G_GINT64_FORMAT " messages returned, %" G_GINT64_FORMAT " reported",
		    format, n, run.count);
	gint64 froms = from_lines (data, size);
	FUZZ_CHECK (n <= froms + 1, "%s: %" G_GINT64_FORMAT " messages from %" G_GINT64_FORMAT " \"From \" lines",
		    format, n, froms);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static gboolean done;
	if (!done) {
		done = TRUE;
		g_mime_init ();
		fuzz_fatal_criticals ();
	}
	static const char *const formats[] = { "auto", "mboxrd", "mboxo", "mboxcl", "mboxcl2" };
	for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
		split (data, size, formats[i], 0);
	split (data, size, "auto", 64);
	return 0;
}
