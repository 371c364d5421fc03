/* tapstream.c — a GMimeStream over any byte source (a file descriptor, a
 * libarchive member) that keeps the bytes it has handed out since a mark.
 *
 * Why: GMime's mbox parser says where each message starts and ends, but an
 * import must store the message's *original* bytes, and a member of a
 * .tar.gz cannot be read twice.  The parser reads through this stream; the
 * importer takes the bytes of each message from what was kept, then moves
 * the mark past it.  Memory is the largest message plus GMime's read-ahead,
 * whatever the size of the mbox.  Past LIMIT bytes kept, the oldest are
 * dropped (an oversized message is then reported, never stored cut). */
#include "config.h"

#include <string.h>

#include "import-private.h"

struct _TrawlTapStream {
	GMimeStream parent;
	TrawlTapRead read_fn;
	gpointer user;
	GByteArray *kept;	/* bytes from kept_start to the stream position */
	gint64 kept_start;
	gsize limit;
	gboolean eof;
	gboolean failed;
};

typedef struct {
	GMimeStreamClass parent_class;
} TrawlTapStreamClass;

G_DEFINE_TYPE (TrawlTapStream, trawl_tap_stream, GMIME_TYPE_STREAM)

static ssize_t
tap_read (GMimeStream *stream, char *buf, size_t len)
{
	TrawlTapStream *t = (TrawlTapStream *) stream;
	if (t->eof || len == 0)
		return 0;
	/* Fill the whole buffer unless the source ends: GMime's mbox parser
	 * mis-scans a "From " line that arrives in pieces smaller than its
	 * read-ahead (a 3-byte read made it g_strndup a length of -1; a pipe
	 * or a libarchive member may well return such pieces). */
	gsize n = 0;
	while (n < len) {
		gssize r = t->read_fn (t->user, buf + n, len - n);
		if (r < 0) {
			t->failed = TRUE;
			t->eof = TRUE;
			return -1;
		}
		if (r == 0) {
			t->eof = TRUE;
			break;
		}
		n += (gsize) r;
	}
	if (n == 0)
		return 0;
	g_byte_array_append (t->kept, (const guint8 *) buf, (guint) n);
	stream->position += n;
	if (t->limit && t->kept->len > t->limit) {
		/* Keep the newest half: the message being read is too large to
		 * store anyway, and the next one must still be found whole. */
		gsize drop = t->kept->len - t->limit / 2;
		g_byte_array_remove_range (t->kept, 0, (guint) drop);
		t->kept_start += drop;
	}
	return n;
}

static ssize_t
tap_write (GMimeStream *stream, const char *buf, size_t len)
{
	return -1;
}

static int
tap_flush (GMimeStream *stream)
{
	return 0;
}

static int
tap_close (GMimeStream *stream)
{
	return 0;
}

static gboolean
tap_eos (GMimeStream *stream)
{
	return ((TrawlTapStream *) stream)->eof;
}

static int
tap_reset (GMimeStream *stream)
{
	return -1;
}

static gint64
tap_seek (GMimeStream *stream, gint64 offset, GMimeSeekWhence whence)
{
	return -1;
}

static gint64
tap_tell (GMimeStream *stream)
{
	return stream->position;
}

static gint64
tap_length (GMimeStream *stream)
{
	return -1;
}

static GMimeStream *
tap_substream (GMimeStream *stream, gint64 start, gint64 end)
{
	return NULL;
}

static void
tap_finalize (GObject *obj)
{
	TrawlTapStream *t = (TrawlTapStream *) obj;
	g_byte_array_unref (t->kept);
	G_OBJECT_CLASS (trawl_tap_stream_parent_class)->finalize (obj);
}

static void
trawl_tap_stream_class_init (TrawlTapStreamClass *klass)
{
	GMimeStreamClass *s = GMIME_STREAM_CLASS (klass);
	G_OBJECT_CLASS (klass)->finalize = tap_finalize;
	s->read = tap_read;
	s->write = tap_write;
	s->flush = tap_flush;
	s->close = tap_close;
	s->eos = tap_eos;
	s->reset = tap_reset;
	s->seek = tap_seek;
	s->tell = tap_tell;
	s->length = tap_length;
	s->substream = tap_substream;
}

static void
trawl_tap_stream_init (TrawlTapStream *t)
{
	t->kept = g_byte_array_new ();
}

TrawlTapStream *
trawl_tap_stream_new (TrawlTapRead read_fn, gpointer user, gsize limit)
{
	TrawlTapStream *t = g_object_new (trawl_tap_stream_get_type (), NULL);
	g_mime_stream_construct (GMIME_STREAM (t), 0, -1);
	t->read_fn = read_fn;
	t->user = user;
	t->limit = limit;
	return t;
}

const guint8 *
trawl_tap_stream_bytes (TrawlTapStream *t, gint64 begin, gint64 end, gsize *len)
{
	if (begin < t->kept_start || end < begin || end > t->kept_start + (gint64) t->kept->len)
		return NULL;
	*len = (gsize) (end - begin);
	return t->kept->data + (begin - t->kept_start);
}

void
trawl_tap_stream_mark (TrawlTapStream *t, gint64 offset)
{
	if (offset <= t->kept_start)
		return;
	gsize drop = (gsize) MIN (offset - t->kept_start, (gint64) t->kept->len);
	g_byte_array_remove_range (t->kept, 0, (guint) drop);
	t->kept_start += drop;
}

gint64
trawl_tap_stream_kept_start (const TrawlTapStream *t)
{
	return t->kept_start;
}

gboolean
trawl_tap_stream_failed (const TrawlTapStream *t)
{
	return t->failed;
}
