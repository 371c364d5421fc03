/* render.c — one message file rendered to typed display lines, by GMime.
 *
 * Decisions (the goldens in tests/render pin them):
 *
 *  Headers   From, To, Cc, Date, Subject (first of each, in that order) as
 *            HEADER lines, or every header in file order with all_headers.
 *            Values are GMime's decoded values (RFC 2047, unfolded; invalid
 *            encodings tolerated as GMime tolerates them).  ->headers holds
 *            every header of the top message, decoded, Date not reformatted.
 *  Date      shown in local time; when the sender's UTC offset differs from
 *            the local one the time as sent follows:
 *              "Sat, 15 Jun 2024 13:45 (sent 15 Jun 2024 11:45 +0200)"
 *            and when they agree: "Sat, 15 Jun 2024 11:45 +0200".  English
 *            names, never the locale's.  An unparseable Date is shown as
 *            written.
 *  Quotes    a line starting with '>' is a QUOTE line; ->depth counts the
 *            '>' markers however they are spaced ("> > >", ">>>", ">> >");
 *            ->text is the line WITHOUT the markers (and without the one
 *            space after the last marker): the depth carries the level.
 *            A run of quoted lines longer than quote_fold_min gives a
 *            QUOTE_FOLD line (->count lines, ->depth the shallowest level,
 *            text "[N quoted lines]") followed by the N QUOTE lines, all with
 *            the same ->fold_id (> 0).  The UI shows one or the other.
 *  Signature the line "-- " and every line after it in that text part.
 *  Parts     every leaf part is in ->parts, in depth-first order, shown or
 *            not (the choices of a multipart/alternative not shown too).
 *            Text parts shown inline: any text/ type without "Content-Disposition:
 *            attachment".  Every other leaf gets an ATTACHMENT line:
 *              "report.pdf, application/pdf, 12.3 kB"
 *            with " (saves as NAME)" added when the safe file name differs
 *            from the name the message gives, "(no name)" when it gives none.
 *  Text      decoded from the transfer encoding, converted to UTF-8 from the
 *            declared charset (GMime's charset aliases, iconv); fallbacks:
 *            valid UTF-8 as is, else windows-1252, each announced by a
 *            WARNING.  NUL bytes become U+FFFD (with a WARNING).  Nothing
 *            else is removed: the UI sanitises.
 *  Caps      max_part_bytes per text part, max_depth MIME levels, max_lines
 *            lines; each hit gives a WARNING and sets ->truncated.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gmime/gmime.h>

#include "mime-private.h"
#include "trawl/mime.h"
#include "trawl/sanitize.h"

#define DEFAULT_MAX_PART_BYTES ((gsize) 4 << 20)
#define DEFAULT_MAX_DEPTH 32
#define DEFAULT_MAX_LINES 200000
#define COUNT_CAP ((gsize) 1 << 30)	/* attachment sizes counted up to 1 GiB */
#define HTML_TIMEOUT_US (5 * G_USEC_PER_SEC)
#define HTML_OUTPUT_CAP ((gsize) 8 << 20)
#define SAFE_NAME_MAX 200

typedef struct {
	TrawlRenderOptions o;	/* with defaults filled in */
	TrawlRendered *r;
	guint fold_seq;
	gboolean lines_full;
	gboolean depth_warned;
	int leaf_index;
	int silent;		/* > 0: register parts, emit no lines */
	gboolean collect;	/* trawl_mime_save_part: only find the part */
	int want_index;
	GMimePart *found;
	guint text_parts_shown;
	guint parser_warnings;	/* bit per GMimeParserWarning */
	GPtrArray *parser_items;	/* first item per warning code */
} Ctx;

/* ------------------------------------------------------------------ lines */

static void
line_free (gpointer p)
{
	TrawlLine *l = p;
	if (!l)
		return;
	g_free (l->label);
	g_free (l->text);
	g_free (l);
}

static void
part_free (gpointer p)
{
	TrawlPart *part = p;
	if (!part)
		return;
	g_free (part->content_type);
	g_free (part->filename);
	g_free (part->safe_filename);
	g_free (part);
}

static char *
valid_dup (const char *s, gssize len)
{
	if (s == NULL)
		return g_strdup ("");
	if (len < 0)
		len = (gssize) strlen (s);
	if (g_utf8_validate_len (s, (gsize) len, NULL))
		return g_strndup (s, (gsize) len);
	return g_utf8_make_valid (s, len);
}

static TrawlLine *
new_line (TrawlLineType type, guint nest, const char *text)
{
	TrawlLine *l = g_new0 (TrawlLine, 1);
	l->type = type;
	l->nest = nest;
	l->part = -1;
	l->text = valid_dup (text, -1);
	return l;
}

/* Appends a line; NULL when silent or when the line cap is hit. */
static TrawlLine *
add_line (Ctx *c, TrawlLineType type, guint nest, const char *text)
{
	if (c->silent > 0 || c->collect)
		return NULL;
	if (c->lines_full)
		return NULL;
	if (c->r->lines->len + 1 >= c->o.max_lines) {
		c->lines_full = TRUE;
		c->r->truncated = TRUE;
		char *msg = g_strdup_printf ("more than %u lines: the rest of the message is not shown",
					     c->o.max_lines);
		g_ptr_array_add (c->r->lines, new_line (TRAWL_LINE_WARNING, nest, msg));
		g_free (msg);
		return NULL;
	}
	TrawlLine *l = new_line (type, nest, text);
	g_ptr_array_add (c->r->lines, l);
	return l;
}

static void G_GNUC_PRINTF (3, 4)
add_warning (Ctx *c, guint nest, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	char *msg = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	add_line (c, TRAWL_LINE_WARNING, nest, msg);
	g_free (msg);
}

static void
add_blank (Ctx *c, guint nest)
{
	GPtrArray *lines = c->r->lines;
	/* Never two blank lines in a row, never one at the top. */
	if (lines->len == 0)
		return;
	TrawlLine *last = g_ptr_array_index (lines, lines->len - 1);
	if (last->type == TRAWL_LINE_BLANK)
		return;
	add_line (c, TRAWL_LINE_BLANK, nest, "");
}

/* --------------------------------------------------------------- headers */

static const char *const weekday_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void
append_offset (GString *s, GDateTime *dt)
{
	gint64 off = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	g_string_append_printf (s, "%c%02d%02d", sign, (int) (off / 60), (int) (off % 60));
}

static void
append_dmyhm (GString *s, GDateTime *dt)
{
	int m = g_date_time_get_month (dt);
	g_string_append_printf (s, "%02d %s %04d %02d:%02d",
				g_date_time_get_day_of_month (dt),
				month_names[(m >= 1 && m <= 12) ? m - 1 : 0],
				g_date_time_get_year (dt),
				g_date_time_get_hour (dt), g_date_time_get_minute (dt));
}

/* The Date header as shown (see the comment at the top). */
static char *
format_date (const char *value)
{
	GDateTime *sent = value ? g_mime_utils_header_decode_date (value) : NULL;
	if (sent == NULL)
		return g_strdup (value ? value : "");
	GDateTime *local = g_date_time_to_local (sent);
	if (local == NULL) {
		g_date_time_unref (sent);
		return g_strdup (value);
	}
	GString *s = g_string_new (NULL);
	int wd = g_date_time_get_day_of_week (local);
	g_string_append_printf (s, "%s, ", weekday_names[(wd >= 1 && wd <= 7) ? wd - 1 : 0]);
	append_dmyhm (s, local);
	if (g_date_time_get_utc_offset (local) == g_date_time_get_utc_offset (sent)) {
		g_string_append_c (s, ' ');
		append_offset (s, sent);
	} else {
		g_string_append (s, " (sent ");
		append_dmyhm (s, sent);
		g_string_append_c (s, ' ');
		append_offset (s, sent);
		g_string_append_c (s, ')');
	}
	g_date_time_unref (local);
	g_date_time_unref (sent);
	return g_string_free (s, FALSE);
}

static char *
header_value (GMimeHeader *h)
{
	const char *v = g_mime_header_get_value (h);
	if (v == NULL)
		v = g_mime_header_get_raw_value (h);
	char *s = valid_dup (v ? v : "", -1);
	return g_strstrip (s);
}

static void
add_header_line (Ctx *c, guint nest, const char *name, const char *value)
{
	gboolean is_date = g_ascii_strcasecmp (name, "Date") == 0;
	char *shown = is_date ? format_date (value) : NULL;
	TrawlLine *l = add_line (c, TRAWL_LINE_HEADER, nest, shown ? shown : value);
	if (l)
		l->label = valid_dup (name, -1);
	g_free (shown);
}

static const char *const default_headers[] = { "From", "To", "Cc", "Date", "Subject", NULL };

static gint
header_offset_cmp (gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset (*(GMimeHeader *const *) a);
	gint64 y = g_mime_header_get_offset (*(GMimeHeader *const *) b);
	return x < y ? -1 : x > y;
}

/* Every header of MSG in file order: GMime keeps the Content-* headers on
 * the top MIME part, the others on the message; their offsets merge them. */
static GPtrArray *
all_headers_of (GMimeMessage *msg)
{
	GPtrArray *a = g_ptr_array_new ();
	GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (msg));
	int n = hl ? g_mime_header_list_get_count (hl) : 0;
	for (int i = 0; i < n; i++)
		g_ptr_array_add (a, g_mime_header_list_get_header_at (hl, i));
	GMimeObject *body = g_mime_message_get_mime_part (msg);
	GMimeHeaderList *bl = body ? g_mime_object_get_header_list (body) : NULL;
	int m = bl ? g_mime_header_list_get_count (bl) : 0;
	for (int i = 0; i < m; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at (bl, i);
		gboolean dup = FALSE;
		for (int k = 0; k < n && !dup; k++)
			dup = g_ptr_array_index (a, k) == h;
		if (!dup)
			g_ptr_array_add (a, h);
	}
	if (m > 0)
		g_ptr_array_sort (a, header_offset_cmp);
	return a;
}

static void
render_headers (Ctx *c, GMimeMessage *msg, guint nest, gboolean top)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (msg));
	if (hl == NULL)
		return;
	if (c->collect || (c->silent > 0 && !top))
		return;
	GPtrArray *all = all_headers_of (msg);

	if (top) {
		for (guint i = 0; i < all->len; i++) {
			GMimeHeader *h = g_ptr_array_index (all, i);
			TrawlLine *l = new_line (TRAWL_LINE_HEADER, nest, NULL);
			l->label = valid_dup (g_mime_header_get_name (h), -1);
			g_free (l->text);
			l->text = header_value (h);
			g_ptr_array_add (c->r->headers, l);
		}
	}

	if (c->o.all_headers) {
		for (guint i = 0; i < all->len; i++) {
			GMimeHeader *h = g_ptr_array_index (all, i);
			char *v = header_value (h);
			add_header_line (c, nest, g_mime_header_get_name (h), v);
			g_free (v);
		}
	} else {
		for (int k = 0; default_headers[k]; k++) {
			GMimeHeader *h = g_mime_header_list_get_header (hl, default_headers[k]);
			if (h == NULL)
				continue;
			char *v = header_value (h);
			add_header_line (c, nest, default_headers[k], v);
			g_free (v);
		}
	}
	g_ptr_array_free (all, TRUE);
}

/* ----------------------------------------------------------- decoding */

/* Reads the decoded content of PART: at most CAP bytes into OUT (when not
 * NULL).  Returns the decoded size, counting on up to COUNT_CAP; *CAPPED set
 * when there was more than CAP. */
static gsize
decode_part (GMimePart *part, GByteArray *out, gsize cap, gboolean *capped)
{
	*capped = FALSE;
	GMimeDataWrapper *w = g_mime_part_get_content (part);
	if (w == NULL)
		return 0;
	GMimeStream *raw = g_mime_data_wrapper_get_stream (w);
	if (raw == NULL)
		return 0;
	g_mime_stream_reset (raw);
	GMimeStream *fs = g_mime_stream_filter_new (raw);
	GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding (w);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 ||
	    enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		GMimeFilter *f = g_mime_filter_basic_new (enc, FALSE);
		g_mime_stream_filter_add (GMIME_STREAM_FILTER (fs), f);
		g_object_unref (f);
	}
	char buf[65536];
	gsize total = 0;
	for (;;) {
		gssize n = g_mime_stream_read (fs, buf, sizeof buf);
		if (n <= 0)
			break;
		if (out) {
			if (total < cap) {
				gsize take = MIN ((gsize) n, cap - total);
				g_byte_array_append (out, (const guint8 *) buf, (guint) take);
			}
			if (total + (gsize) n > cap) {
				*capped = TRUE;
				total += (gsize) n;
				break;
			}
		}
		total += (gsize) n;
		if (total >= COUNT_CAP) {
			*capped = TRUE;
			break;
		}
	}
	g_object_unref (fs);
	g_mime_stream_reset (raw);
	return total;
}

/* Whether the raw base64 of PART holds bytes base64 does not use. */
static gboolean
bad_base64 (GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content (part);
	if (!w || g_mime_data_wrapper_get_encoding (w) != GMIME_CONTENT_ENCODING_BASE64)
		return FALSE;
	GMimeStream *raw = g_mime_data_wrapper_get_stream (w);
	if (!raw)
		return FALSE;
	g_mime_stream_reset (raw);
	char buf[65536];
	gboolean bad = FALSE;
	gssize n;
	gsize total = 0;
	while (!bad && (n = g_mime_stream_read (raw, buf, sizeof buf)) > 0 && total < COUNT_CAP) {
		total += (gsize) n;
		for (gssize i = 0; i < n; i++) {
			guchar ch = (guchar) buf[i];
			if (!(g_ascii_isalnum (ch) || ch == '+' || ch == '/' || ch == '=' ||
			      ch == '\r' || ch == '\n' || ch == ' ' || ch == '\t')) {
				bad = TRUE;
				break;
			}
		}
	}
	g_mime_stream_reset (raw);
	return bad;
}

/* windows-1252 to UTF-8; the five undefined bytes map to the C1 code point
 * of the same value (as latin-1 would), so no byte is lost. */
static const guint16 cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static char *
from_cp1252 (const char *data, gsize len, gsize *out_len)
{
	GString *s = g_string_sized_new (len + len / 4 + 1);
	for (gsize i = 0; i < len; i++) {
		guchar b = (guchar) data[i];
		if (b < 0x80)
			g_string_append_c (s, (char) b);
		else if (b < 0xA0)
			g_string_append_unichar (s, cp1252_high[b - 0x80]);
		else
			g_string_append_unichar (s, b);
	}
	*out_len = s->len;
	return g_string_free (s, FALSE);
}

/* Lower-case with '-', '_', ' ' and '.' removed, for comparing names. */
static char *
squash_charset (const char *cs)
{
	GString *s = g_string_new (NULL);
	for (const char *p = cs; *p; p++)
		if (*p != '-' && *p != '_' && *p != ' ' && *p != '.')
			g_string_append_c (s, g_ascii_tolower (*p));
	return g_string_free (s, FALSE);
}

static gboolean
cs_in (const char *squashed, const char *const *names)
{
	for (; *names; names++)
		if (strcmp (squashed, *names) == 0)
			return TRUE;
	return FALSE;
}

static const char *const utf8_names[] = { "utf8", "unicode11utf8", "xunicode20utf8", NULL };
static const char *const ascii_names[] = { "usascii", "ascii", "ansix341968", "646", "us", NULL };
static const char *const western_names[] = {
	"iso88591", "latin1", "l1", "windows1252", "cp1252", "iso885915", "latin9", "ibm819", "cp819", NULL
};

static gboolean
has_8bit (const char *data, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar) data[i] >= 0x80)
			return TRUE;
	return FALSE;
}

/* Whether DATA is valid UTF-8, NUL bytes allowed (GLib's validator stops
 * at them). */
static gboolean
utf8_valid_nul (const char *data, gsize len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *z = memchr (p, '\0', (gsize) (end - p));
		gsize seg = z ? (gsize) (z - p) : (gsize) (end - p);
		if (!g_utf8_validate_len (p, seg, NULL))
			return FALSE;
		p += seg + (z ? 1 : 0);
	}
	return TRUE;
}

/* LEN bytes (NULs and all), NUL-terminated. */
static char *
dup_bytes (const char *data, gsize len)
{
	char *s = g_malloc (len + 1);
	if (len > 0)
		memcpy (s, data, len);
	s[len] = '\0';
	return s;
}

/* Converts LEN bytes in CHARSET (may be NULL) to UTF-8.  *WARNING receives a
 * message when a fallback was used. */
static char *
to_utf8 (const char *data, gsize len, const char *charset, gsize *out_len, char **warning)
{
	*warning = NULL;
	gboolean valid = utf8_valid_nul (data, len);
	gboolean eight = has_8bit (data, len);

	if (charset == NULL || *charset == '\0') {
		if (valid) {
			if (eight)
				*warning = g_strdup ("no charset declared: 8-bit text shown as UTF-8");
			*out_len = len;
			return dup_bytes (data, len);
		}
		*warning = g_strdup ("no charset declared and not UTF-8: shown as windows-1252");
		return from_cp1252 (data, len, out_len);
	}

	char *sq = squash_charset (charset);
	gboolean is_utf8 = cs_in (sq, utf8_names);
	gboolean is_ascii = cs_in (sq, ascii_names);
	gboolean is_western = cs_in (sq, western_names);
	g_free (sq);

	if (is_utf8 || is_ascii) {
		if (valid) {
			if (is_ascii && eight)
				*warning = g_strdup_printf ("labelled %s but holds 8-bit text: shown as UTF-8", charset);
			*out_len = len;
			return dup_bytes (data, len);
		}
		*warning = g_strdup_printf ("labelled %s but not valid UTF-8: shown as windows-1252", charset);
		return from_cp1252 (data, len, out_len);
	}
	if (is_western && eight && valid) {
		/* Latin-1 text is practically never valid multi-byte UTF-8. */
		*warning = g_strdup_printf ("labelled %s but is UTF-8: shown as UTF-8", charset);
		*out_len = len;
		return dup_bytes (data, len);
	}
	if (!eight && !g_str_has_prefix (charset, "utf-16") && !g_str_has_prefix (charset, "UTF-16") &&
	    g_ascii_strncasecmp (charset, "utf-7", 5) != 0 && g_ascii_strncasecmp (charset, "iso-2022", 8) != 0 &&
	    g_ascii_strncasecmp (charset, "utf-32", 6) != 0 && g_ascii_strncasecmp (charset, "hz", 2) != 0) {
		/* 7-bit text in an ASCII-compatible charset: nothing to convert
		 * (and no need to know the charset). */
		*out_len = len;
		return dup_bytes (data, len);
	}

	if (is_western && g_ascii_strncasecmp (charset, "iso-8859-15", 11) != 0 &&
	    g_ascii_strncasecmp (charset, "iso8859-15", 10) != 0 &&
	    g_ascii_strcasecmp (charset, "latin9") != 0)
		return from_cp1252 (data, len, out_len);	/* the web's reading of latin-1 */

	const char *iconv_name = g_mime_charset_iconv_name (charset);
	GError *err = NULL;
	gsize written = 0;
	char *conv = g_convert (data, (gssize) len, "UTF-8", iconv_name, NULL, &written, &err);
	if (conv != NULL && utf8_valid_nul (conv, written)) {
		*out_len = written;
		return conv;
	}
	g_free (conv);
	gboolean unknown = err && err->code == G_CONVERT_ERROR_NO_CONVERSION;
	g_clear_error (&err);
	if (valid) {
		*warning = g_strdup_printf ("%s charset \"%s\": shown as UTF-8",
					    unknown ? "unknown" : "text not valid in", charset);
		*out_len = len;
		return dup_bytes (data, len);
	}
	*warning = g_strdup_printf ("%s charset \"%s\": shown as windows-1252",
				    unknown ? "unknown" : "text not valid in", charset);
	return from_cp1252 (data, len, out_len);
}

/* ------------------------------------------------------------ text lines */

typedef struct {
	guint depth;
	char *text;
} QLine;

static guint
quote_depth (const char *s, const char **rest)
{
	guint d = 0;
	const char *p = s, *after = s;
	while (*p == '>') {
		d++;
		p++;
		after = p;
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '>')
			p = q;
		else
			break;
	}
	if (d > 0 && *after == ' ')
		after++;
	*rest = d > 0 ? after : s;
	return d;
}

/* Splits TEXT into lines (LF or CRLF), dropping one final empty line. */
static GPtrArray *
split_lines (const char *text, gsize len)
{
	GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *e = nl ? nl : end;
		gsize l = (gsize) (e - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		g_ptr_array_add (a, g_strndup (p, l));
		if (!nl)
			break;
		p = nl + 1;
	}
	return a;
}

static void
qlines_add (GArray *out, guint depth, char *text)
{
	QLine q = { depth, text };
	g_array_append_val (out, q);
}

/* RFC 3676 format=flowed: joins flowed lines into logical lines. */
static GArray *
unflow (GPtrArray *raw, gboolean delsp)
{
	GArray *out = g_array_new (FALSE, FALSE, sizeof (QLine));
	GString *cur = NULL;
	guint cur_depth = 0;

	for (guint i = 0; i < raw->len; i++) {
		const char *line = g_ptr_array_index (raw, i);
		guint depth = 0;
		const char *p = line;
		while (*p == '>') {
			depth++;
			p++;
		}
		if (*p == ' ')
			p++;	/* space-stuffing, or the space after the markers */
		gsize len = strlen (p);
		gboolean sig = strcmp (p, "-- ") == 0;
		gboolean flowed = !sig && len > 0 && p[len - 1] == ' ';

		if (cur && depth != cur_depth) {
			/* A flowed line before a change of depth ends its
			 * paragraph: its soft-break space goes. */
			while (cur->len > 0 && cur->str[cur->len - 1] == ' ')
				g_string_truncate (cur, cur->len - 1);
			qlines_add (out, cur_depth, g_string_free (cur, FALSE));
			cur = NULL;
		}
		if (!cur) {
			cur = g_string_new (NULL);
			cur_depth = depth;
		}
		g_string_append_len (cur, p, (gssize) (flowed && delsp ? len - 1 : len));
		if (!flowed) {
			qlines_add (out, cur_depth, g_string_free (cur, FALSE));
			cur = NULL;
		}
	}
	if (cur)
		qlines_add (out, cur_depth, g_string_free (cur, FALSE));
	return out;
}

static GArray *
plain_qlines (GPtrArray *raw)
{
	GArray *out = g_array_new (FALSE, FALSE, sizeof (QLine));
	for (guint i = 0; i < raw->len; i++) {
		const char *line = g_ptr_array_index (raw, i);
		const char *rest;
		guint d = quote_depth (line, &rest);
		qlines_add (out, d, g_strdup (rest));
	}
	return out;
}

static void
emit_quote_run (Ctx *c, guint nest, GArray *q, guint from, guint to)
{
	guint n = to - from;
	guint fold_id = 0;
	if (c->o.quote_fold_min > 0 && n > c->o.quote_fold_min) {
		guint min_depth = G_MAXUINT;
		for (guint i = from; i < to; i++)
			min_depth = MIN (min_depth, g_array_index (q, QLine, i).depth);
		char *t = g_strdup_printf ("[%u quoted lines]", n);
		TrawlLine *f = add_line (c, TRAWL_LINE_QUOTE_FOLD, nest, t);
		g_free (t);
		if (f) {
			fold_id = ++c->fold_seq;
			f->fold_id = fold_id;
			f->count = n;
			f->depth = min_depth;
		}
	}
	for (guint i = from; i < to; i++) {
		QLine *ql = &g_array_index (q, QLine, i);
		TrawlLine *l = add_line (c, TRAWL_LINE_QUOTE, nest, ql->text);
		if (l) {
			l->depth = ql->depth;
			l->fold_id = fold_id;
		}
	}
}

/* Emits UTF-8 TEXT as BODY / QUOTE / SIGNATURE / BLANK lines. */
static void
emit_text (Ctx *c, guint nest, const char *text, gsize len, gboolean flowed, gboolean delsp)
{
	GPtrArray *raw = split_lines (text, len);
	GArray *q = flowed ? unflow (raw, delsp) : plain_qlines (raw);
	g_ptr_array_unref (raw);

	/* Trailing empty lines are not shown. */
	guint n = q->len;
	while (n > 0) {
		QLine *ql = &g_array_index (q, QLine, n - 1);
		if (ql->depth == 0 && ql->text[strspn (ql->text, " \t")] == '\0')
			n--;
		else
			break;
	}

	gboolean in_sig = FALSE;
	guint i = 0;
	while (i < n && !c->lines_full) {
		QLine *ql = &g_array_index (q, QLine, i);
		if (!in_sig && ql->depth == 0 && strcmp (ql->text, "-- ") == 0)
			in_sig = TRUE;
		if (in_sig) {
			add_line (c, TRAWL_LINE_SIGNATURE, nest, ql->text);
			i++;
			continue;
		}
		if (ql->depth > 0) {
			guint j = i;
			while (j < n && g_array_index (q, QLine, j).depth > 0)
				j++;
			emit_quote_run (c, nest, q, i, j);
			i = j;
			continue;
		}
		if (ql->text[0] == '\0')
			add_line (c, TRAWL_LINE_BLANK, nest, "");
		else
			add_line (c, TRAWL_LINE_BODY, nest, ql->text);
		i++;
	}
	for (guint k = 0; k < q->len; k++)
		g_free (g_array_index (q, QLine, k).text);
	g_array_free (q, TRUE);
}

/* --------------------------------------------------------------- HTML */

static gboolean
unshare_works (void)
{
	static gsize once = 0;
	static gboolean ok = FALSE;
	if (g_once_init_enter (&once)) {
		char *path = g_find_program_in_path ("unshare");
		if (path) {
			const char *argv[] = { path, "-rn", "true", NULL };
			int status = -1;
			if (g_spawn_sync (NULL, (char **) argv, NULL,
					  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
					  NULL, NULL, NULL, NULL, &status, NULL))
				ok = g_spawn_check_wait_status (status, NULL);
			g_free (path);
		}
		g_once_init_leave (&once, 1);
	}
	return ok;
}

/* The dumper's argv, or NULL for the built-in renderer. *NAME gets its name. */
static char **
html_argv (const char *command, char **name)
{
	*name = NULL;
	if (command != NULL) {
		if (*command == '\0')
			return NULL;
		char **argv = NULL;
		if (!g_shell_parse_argv (command, NULL, &argv, NULL))
			return NULL;
		*name = g_path_get_basename (argv[0]);
		return argv;
	}
	static const char *const w3m[] = { "w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8",
					   "-cols", "80", "-o", "display_link_number=1", NULL };
	static const char *const lynx[] = { "lynx", "-dump", "-stdin", "-force_html", "-nomargins",
					    "-assume_charset=utf-8", "-display_charset=utf-8", "-width=80", NULL };
	static const char *const elinks[] = { "elinks", "-dump", "-dump-charset", "utf-8",
					      "-dump-width", "80", "-no-connect", "-force-html", NULL };
	static const char *const *const all[] = { w3m, lynx, elinks, NULL };
	for (int i = 0; all[i]; i++) {
		char *path = g_find_program_in_path (all[i][0]);
		if (path) {
			g_free (path);
			*name = g_strdup (all[i][0]);
			return g_strdupv ((char **) all[i]);
		}
	}
	return NULL;
}

/* In the child: its own process group, so a timeout kills its children too. */
static void
dumper_setup (gpointer data)
{
	setpgid (0, 0);
}

/* Runs ARGV with HTML on stdin, no network; returns its stdout or NULL. */
static char *
run_dumper (char **argv, const char *html, gsize len, char **why)
{
	*why = NULL;
	GPtrArray *full = g_ptr_array_new ();
	if (unshare_works ()) {
		g_ptr_array_add (full, (char *) "unshare");
		g_ptr_array_add (full, (char *) "-rn");
	}
	for (char **a = argv; *a; a++)
		g_ptr_array_add (full, *a);
	g_ptr_array_add (full, NULL);

	char **envp = g_get_environ ();
	static const char *const proxies[] = {
		"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
		"all_proxy", "ftp_proxy", "FTP_PROXY", NULL
	};
	for (int i = 0; proxies[i]; i++)
		envp = g_environ_setenv (envp, proxies[i], "http://127.0.0.1:9", TRUE);
	envp = g_environ_unsetenv (envp, "no_proxy");
	envp = g_environ_unsetenv (envp, "NO_PROXY");

	/* stdin is a socket so that writing after the child quit gives EPIPE
	 * (MSG_NOSIGNAL), never SIGPIPE. */
	int sv[2];
	char *result = NULL;
	if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		*why = g_strdup (g_strerror (errno));
		goto out;
	}
	GPid pid = 0;
	int out_fd = -1;
	GError *err = NULL;
	if (!g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) full->pdata,
					       (const char *const *) envp,
					       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
					       G_SPAWN_STDERR_TO_DEV_NULL,
					       dumper_setup, NULL, sv[1], -1, -1, NULL, NULL, 0,
					       &pid, NULL, &out_fd, NULL, &err)) {
		*why = g_strdup (err->message);
		g_clear_error (&err);
		close (sv[0]);
		close (sv[1]);
		goto out;
	}
	close (sv[1]);
	int in_fd = sv[0];
	g_unix_set_fd_nonblocking (in_fd, TRUE, NULL);
	g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);

	GString *buf = g_string_new (NULL);
	gsize written = 0;
	gint64 deadline = g_get_monotonic_time () + HTML_TIMEOUT_US;
	gboolean timed_out = FALSE, too_big = FALSE;
	if (len == 0) {
		close (in_fd);
		in_fd = -1;
	}
	while (out_fd >= 0) {
		struct pollfd fds[2];
		int nf = 0;
		fds[nf].fd = out_fd;
		fds[nf].events = POLLIN;
		nf++;
		if (in_fd >= 0) {
			fds[nf].fd = in_fd;
			fds[nf].events = POLLOUT;
			nf++;
		}
		gint64 left = deadline - g_get_monotonic_time ();
		if (left <= 0) {
			timed_out = TRUE;
			break;
		}
		int pr = poll (fds, (nfds_t) nf, (int) (left / 1000) + 1);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr <= 0)
			continue;
		if (nf > 1 && fds[1].revents) {
			ssize_t w = send (in_fd, html + written, MIN (len - written, (gsize) 65536), MSG_NOSIGNAL);
			if (w > 0)
				written += (gsize) w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || written >= len) {
				close (in_fd);
				in_fd = -1;
			}
		}
		if (fds[0].revents) {
			char chunk[65536];
			ssize_t r = read (out_fd, chunk, sizeof chunk);
			if (r > 0) {
				g_string_append_len (buf, chunk, r);
				if (buf->len > HTML_OUTPUT_CAP) {
					too_big = TRUE;
					g_string_truncate (buf, HTML_OUTPUT_CAP);
					break;
				}
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close (out_fd);
				out_fd = -1;
			}
		}
	}
	if (in_fd >= 0)
		close (in_fd);
	if (out_fd >= 0)
		close (out_fd);

	int status = 0;
	pid_t wr;
	if (timed_out || too_big) {
		kill (-pid, SIGKILL);
		kill (pid, SIGKILL);
		wr = waitpid (pid, &status, 0);
	} else {
		/* Output closed: the child is finishing; give it the rest of the time. */
		while ((wr = waitpid (pid, &status, WNOHANG)) == 0 && g_get_monotonic_time () < deadline)
			g_usleep (1000);
		if (wr == 0) {
			kill (-pid, SIGKILL);
			kill (pid, SIGKILL);
			wr = waitpid (pid, &status, 0);
			timed_out = TRUE;
		}
	}
	g_spawn_close_pid (pid);

	if (timed_out) {
		*why = g_strdup ("timed out");
		g_string_free (buf, TRUE);
	} else if (wr > 0 && !(WIFEXITED (status) && WEXITSTATUS (status) == 0) && buf->len == 0) {
		*why = g_strdup ("failed");
		g_string_free (buf, TRUE);
	} else {
		if (too_big)
			g_string_append (buf, "\n[output cut]\n");
		result = g_string_free (buf, FALSE);
	}
out:
	g_strfreev (envp);
	g_ptr_array_free (full, TRUE);
	return result;
}

/* HTML (UTF-8) as text; *HOW says by what. */
static char *
html_to_text (Ctx *c, guint nest, const char *html, gsize len, char **how)
{
	char *name = NULL;
	char **argv = html_argv (c->o.html_command, &name);
	if (argv) {
		char *why = NULL;
		char *out = run_dumper (argv, html, len, &why);
		g_strfreev (argv);
		if (out) {
			*how = name;
			char *v = valid_dup (out, -1);
			g_free (out);
			return v;
		}
		add_warning (c, nest, "HTML renderer %s %s: shown by the built-in renderer", name, why ? why : "failed");
		g_free (why);
		g_free (name);
	}
	*how = g_strdup ("the built-in renderer");
	return trawl_html_to_text (html, len);
}

/* ---------------------------------------------------------------- parts */

static gboolean
is_bad_name_char (gunichar ch)
{
	return ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch <= 0x9F) ||
	       ch == 0x061C || ch == 0x200E || ch == 0x200F ||
	       (ch >= 0x202A && ch <= 0x202E) || (ch >= 0x2066 && ch <= 0x2069) ||
	       ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF || (ch >= 0xFFF9 && ch <= 0xFFFB) ||
	       ch == '/' || ch == '\\';
}

char *
trawl_mime_safe_filename (const char *name, int index)
{
	if (name == NULL || *name == '\0')
		return g_strdup_printf ("attachment-%d", index);

	char *valid = valid_dup (name, -1);
	/* The base name, with either separator. */
	const char *base = valid;
	for (const char *p = valid; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;

	GString *s = g_string_new (NULL);
	for (const char *p = base; *p; p = g_utf8_next_char (p)) {
		gunichar ch = g_utf8_get_char (p);
		if (is_bad_name_char (ch))
			continue;
		g_string_append_unichar (s, ch);
	}
	g_free (valid);

	/* No leading dot, dash or white space; no trailing white space or dot. */
	gsize lead = 0;
	while (lead < s->len && (s->str[lead] == '.' || s->str[lead] == '-' ||
				 g_ascii_isspace (s->str[lead])))
		lead++;
	g_string_erase (s, 0, (gssize) lead);
	while (s->len > 0 && (g_ascii_isspace (s->str[s->len - 1]) || s->str[s->len - 1] == '.'))
		g_string_truncate (s, s->len - 1);

	if (s->len > SAFE_NAME_MAX) {
		/* Keep a short extension, cut the stem at a character boundary. */
		const char *dot = strrchr (s->str, '.');
		gsize ext_len = dot ? strlen (dot) : 0;
		if (ext_len > 16)
			ext_len = 0;
		gsize stem_max = SAFE_NAME_MAX - ext_len;
		const char *cut = s->str + stem_max;
		while (cut > s->str && ((guchar) *cut & 0xC0) == 0x80)
			cut--;
		char *ext = g_strdup (s->str + s->len - ext_len);
		g_string_truncate (s, (gsize) (cut - s->str));
		g_string_append (s, ext);
		g_free (ext);
	}
	if (s->len == 0) {
		g_string_free (s, TRUE);
		return g_strdup_printf ("attachment-%d", index);
	}
	return g_string_free (s, FALSE);
}

static char *
mime_type_of (GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	if (!ct)
		return g_strdup ("application/octet-stream");
	char *t = g_mime_content_type_get_mime_type (ct);
	char *v = valid_dup (t ? t : "application/octet-stream", -1);
	g_free (t);
	char *low = g_ascii_strdown (v, -1);
	g_free (v);
	return low;
}

static gboolean
is_type (GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	return ct && g_mime_content_type_is_type (ct, type, subtype);
}

static gboolean
disposition_is_attachment (GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition (obj);
	return d && g_mime_content_disposition_is_attachment (d);
}

static void walk (Ctx *c, GMimeObject *obj, guint depth, guint nest);

static void
render_text_leaf (Ctx *c, GMimePart *part, guint nest, gboolean html, const char *type)
{
	GMimeObject *obj = GMIME_OBJECT (part);
	GByteArray *bytes = g_byte_array_new ();
	gboolean capped = FALSE;
	decode_part (part, bytes, c->o.max_part_bytes, &capped);

	if (c->text_parts_shown > 0 || html) {
		add_blank (c, nest);
		const char *fname = g_mime_part_get_filename (part);
		char *how = NULL;
		if (!html) {
			char *t = fname ? g_strdup_printf ("%s, %s", type, fname) : g_strdup (type);
			add_line (c, TRAWL_LINE_PART, nest, t);
			g_free (t);
		}
		g_free (how);
	}
	c->text_parts_shown++;

	if (bad_base64 (part))
		add_warning (c, nest, "%s part: invalid base64 (bad characters skipped)", type);
	if (capped) {
		c->r->truncated = TRUE;
		add_warning (c, nest, "%s part larger than %" G_GSIZE_FORMAT " bytes: the rest is not shown",
			     type, c->o.max_part_bytes);
	}

	const char *charset = g_mime_object_get_content_type_parameter (obj, "charset");
	char *warning = NULL;
	gsize ulen = 0;
	char *utf8 = to_utf8 (bytes->len ? (const char *) bytes->data : "", bytes->len, charset, &ulen, &warning);
	g_byte_array_unref (bytes);
	if (warning) {
		add_warning (c, nest, "%s", warning);
		g_free (warning);
	}
	/* NUL bytes cannot live in C strings: U+FFFD stands for each. */
	if (memchr (utf8, '\0', ulen)) {
		GString *s = g_string_sized_new (ulen + 16);
		guint nuls = 0;
		for (gsize i = 0; i < ulen; i++) {
			if (utf8[i] == '\0') {
				g_string_append (s, "\xEF\xBF\xBD");
				nuls++;
			} else {
				g_string_append_c (s, utf8[i]);
			}
		}
		g_free (utf8);
		ulen = s->len;
		utf8 = g_string_free (s, FALSE);
		add_warning (c, nest, "%u NUL bytes in the text, shown as U+FFFD", nuls);
	}
	if (!g_utf8_validate_len (utf8, ulen, NULL)) {
		char *v = g_utf8_make_valid (utf8, (gssize) ulen);	/* never expected */
		g_free (utf8);
		utf8 = v;
		ulen = strlen (v);
	}

	if (html) {
		char *how = NULL;
		char *text = html_to_text (c, nest, utf8, ulen, &how);
		char *t = g_strdup_printf ("%s, shown as text by %s (no remote content)", type, how);
		add_line (c, TRAWL_LINE_PART, nest, t);
		g_free (t);
		g_free (how);
		emit_text (c, nest, text, strlen (text), FALSE, FALSE);
		g_free (text);
	} else {
		const char *format = g_mime_object_get_content_type_parameter (obj, "format");
		const char *delsp = g_mime_object_get_content_type_parameter (obj, "delsp");
		gboolean flowed = format && g_ascii_strcasecmp (format, "flowed") == 0;
		gboolean del = delsp && g_ascii_strcasecmp (delsp, "yes") == 0;
		emit_text (c, nest, utf8, ulen, flowed, del);
	}
	g_free (utf8);
}

static void
render_leaf (Ctx *c, GMimePart *part, guint nest)
{
	GMimeObject *obj = GMIME_OBJECT (part);
	int index = c->leaf_index++;

	if (c->collect) {
		if (index == c->want_index && c->found == NULL)
			c->found = g_object_ref (part);
		return;
	}

	char *type = mime_type_of (obj);
	gboolean is_text = is_type (obj, "text", "*");
	gboolean is_html = is_type (obj, "text", "html");
	gboolean inline_text = is_text && !disposition_is_attachment (obj);
	if (is_html)
		c->r->has_html = TRUE;

	TrawlPart *tp = g_new0 (TrawlPart, 1);
	tp->index = index;
	tp->content_type = g_strdup (type);
	const char *fname = g_mime_part_get_filename (part);
	tp->filename = fname ? valid_dup (fname, -1) : NULL;
	tp->safe_filename = trawl_mime_safe_filename (tp->filename, index);
	gboolean capped = FALSE;
	tp->size = decode_part (part, NULL, 0, &capped);
	tp->is_attachment = !inline_text;
	tp->nest = nest;
	g_ptr_array_add (c->r->parts, tp);

	if (c->silent > 0) {
		g_free (type);
		return;
	}

	if (GMIME_IS_APPLICATION_PKCS7_MIME (part) || is_type (obj, "application", "pkcs7-mime") ||
	    is_type (obj, "application", "x-pkcs7-mime")) {
		add_blank (c, nest);
		add_warning (c, nest, "S/MIME part (%s), not decrypted here", type);
	}

	if (inline_text) {
		render_text_leaf (c, part, nest, is_html, type);
	} else {
		char *size = g_format_size (tp->size);
		GString *t = g_string_new (NULL);
		g_string_append_printf (t, "%s, %s, %s%s", tp->filename ? tp->filename : "(no name)",
					type, capped ? "more than " : "", size);
		if (g_strcmp0 (tp->filename, tp->safe_filename) != 0)
			g_string_append_printf (t, " (saves as %s)", tp->safe_filename);
		TrawlLine *l = add_line (c, TRAWL_LINE_ATTACHMENT, nest, t->str);
		if (l)
			l->part = index;
		g_string_free (t, TRUE);
		g_free (size);
	}
	g_free (type);
}

/* Which child of a multipart/alternative to show (0-based). */
static int
choose_alternative (Ctx *c, GMimeMultipart *mp, int n)
{
	if (c->o.alternative > 0)
		return (int) ((c->o.alternative - 1) % (guint) n);
	for (int i = 0; i < n; i++) {
		GMimeObject *child = g_mime_multipart_get_part (mp, i);
		if (child && is_type (child, "text", "plain") && !disposition_is_attachment (child))
			return i;
	}
	return n - 1;
}

static void
walk_multipart (Ctx *c, GMimeMultipart *mp, guint depth, guint nest)
{
	GMimeObject *obj = GMIME_OBJECT (mp);
	int n = g_mime_multipart_get_count (mp);

	if (n == 0) {
		char *type = mime_type_of (obj);
		add_warning (c, nest, "%s with no parts", type);
		g_free (type);
		return;
	}

	if (GMIME_IS_MULTIPART_ENCRYPTED (mp) || is_type (obj, "multipart", "encrypted")) {
		const char *proto = g_mime_object_get_content_type_parameter (obj, "protocol");
		add_blank (c, nest);
		add_warning (c, nest, "encrypted part (multipart/encrypted%s%s), not decrypted here",
			     proto ? ", " : "", proto ? proto : "");
		for (int i = 0; i < n; i++)
			walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
		return;
	}

	if (GMIME_IS_MULTIPART_SIGNED (mp) || is_type (obj, "multipart", "signed")) {
		add_line (c, TRAWL_LINE_PART, nest, "signed (signature not verified)");
		for (int i = 0; i < n; i++)
			walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
		return;
	}

	if (is_type (obj, "multipart", "alternative")) {
		if ((guint) n > c->r->alternatives)
			c->r->alternatives = (guint) n;
		int chosen = choose_alternative (c, mp, n);
		if (!c->r->shown_alternative)
			c->r->shown_alternative = chosen + 1;
		if (n > 1) {
			GString *t = g_string_new (NULL);
			GMimeObject *ch = g_mime_multipart_get_part (mp, chosen);
			char *ct = ch ? mime_type_of (ch) : g_strdup ("?");
			g_string_append_printf (t, "alternative %d of %d: %s (also", chosen + 1, n, ct);
			g_free (ct);
			for (int i = 0; i < n; i++) {
				if (i == chosen)
					continue;
				GMimeObject *o = g_mime_multipart_get_part (mp, i);
				char *ot = o ? mime_type_of (o) : g_strdup ("?");
				g_string_append_printf (t, " %s", ot);
				g_free (ot);
			}
			g_string_append_c (t, ')');
			add_line (c, TRAWL_LINE_PART, nest, t->str);
			g_string_free (t, TRUE);
		}
		for (int i = 0; i < n; i++) {
			if (i != chosen)
				c->silent++;
			walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
			if (i != chosen)
				c->silent--;
		}
		return;
	}

	for (int i = 0; i < n; i++)
		walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
}

static void
walk (Ctx *c, GMimeObject *obj, guint depth, guint nest)
{
	if (obj == NULL)
		return;
	if (depth > c->o.max_depth) {
		c->r->truncated = TRUE;
		if (!c->depth_warned) {
			c->depth_warned = TRUE;
			int was = c->silent;
			c->silent = 0;
			add_warning (c, nest, "MIME nesting deeper than %u levels: the deeper parts are not shown",
				     c->o.max_depth);
			c->silent = was;
		}
		return;
	}

	if (GMIME_IS_MESSAGE_PART (obj)) {
		GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (obj));
		add_blank (c, nest);
		if (m == NULL) {
			add_warning (c, nest, "attached message (message/rfc822) could not be parsed");
			return;
		}
		add_line (c, TRAWL_LINE_PART, nest, "forwarded message (message/rfc822)");
		render_headers (c, m, nest + 1, FALSE);
		add_blank (c, nest + 1);
		guint saved = c->text_parts_shown;
		c->text_parts_shown = 0;
		GMimeObject *body = g_mime_message_get_mime_part (m);
		if (body)
			walk (c, body, depth + 1, nest + 1);
		c->text_parts_shown = saved;
		add_blank (c, nest);
		return;
	}
	if (GMIME_IS_MULTIPART (obj)) {
		walk_multipart (c, GMIME_MULTIPART (obj), depth, nest);
		return;
	}
	if (GMIME_IS_PART (obj)) {
		render_leaf (c, GMIME_PART (obj), nest);
		return;
	}
	char *type = mime_type_of (obj);
	add_warning (c, nest, "unsupported part %s", type);
	g_free (type);
}

/* -------------------------------------------------------------- parsing */

static void
parser_warning (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer user_data)
{
	Ctx *c = user_data;
	if (code >= 32)
		return;
	if (c->parser_warnings & (1u << code))
		return;
	c->parser_warnings |= 1u << code;
	g_ptr_array_add (c->parser_items, g_strdup_printf ("%u\t%s", (guint) code, item ? item : ""));
}

static void
emit_parser_warnings (Ctx *c)
{
	for (guint i = 0; i < c->parser_items->len; i++) {
		const char *s = g_ptr_array_index (c->parser_items, i);
		char *tab = strchr (s, '\t');
		guint code = (guint) g_ascii_strtoull (s, NULL, 10);
		const char *item = tab ? tab + 1 : "";
		const char *what = NULL;
		switch ((GMimeParserWarning) code) {
		case GMIME_WARN_INVALID_CONTENT_TYPE: what = "invalid Content-Type, treated as application/octet-stream"; break;
		case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: what = "invalid RFC 2047 encoded header"; break;
		case GMIME_WARN_MALFORMED_MULTIPART: what = "malformed multipart (no parts found)"; break;
		case GMIME_WARN_TRUNCATED_MESSAGE: what = "message is truncated (missing end boundary or content)"; break;
		case GMIME_WARN_MALFORMED_MESSAGE: what = "malformed message"; break;
		case GMIME_CRIT_INVALID_HEADER_NAME: what = "invalid header name: part of the message may be lost"; break;
		case GMIME_CRIT_CONFLICTING_HEADER: what = "conflicting headers"; break;
		case GMIME_CRIT_CONFLICTING_PARAMETER: what = "conflicting header parameters"; break;
		case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: what = "multipart without a boundary"; break;
		case GMIME_CRIT_NESTING_OVERFLOW: what = "MIME nesting too deep for the parser"; break;
		case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: what = "part without headers or content"; break;
		default: break;	/* duplicated headers, 8-bit headers...: common, harmless */
		}
		if (what == NULL)
			continue;
		if (*item)
			add_warning (c, 0, "%s: %.200s", what, item);
		else
			add_warning (c, 0, "%s", what);
	}
}

static void
ctx_init (Ctx *c, const TrawlRenderOptions *opts)
{
	memset (c, 0, sizeof *c);
	if (opts)
		c->o = *opts;
	if (c->o.max_part_bytes == 0)
		c->o.max_part_bytes = DEFAULT_MAX_PART_BYTES;
	if (c->o.max_depth == 0)
		c->o.max_depth = DEFAULT_MAX_DEPTH;
	if (c->o.max_lines == 0)
		c->o.max_lines = DEFAULT_MAX_LINES;
	c->want_index = -1;
	c->parser_items = g_ptr_array_new_with_free_func (g_free);
	c->r = g_new0 (TrawlRendered, 1);
	c->r->lines = g_ptr_array_new_with_free_func (line_free);
	c->r->parts = g_ptr_array_new_with_free_func (part_free);
	c->r->headers = g_ptr_array_new_with_free_func (line_free);
}

/* Parses DATA (taking STREAM's reference) and walks it with C. */
static void
parse_and_walk (Ctx *c, GMimeStream *stream, const char *data, gsize len)
{
	GMimeParserOptions *popts = g_mime_parser_options_new ();
	g_mime_parser_options_set_warning_callback (popts, parser_warning, c);
	g_mime_parser_options_set_rfc2047_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	g_mime_parser_options_set_fallback_charsets (popts, fallback);

	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, popts);

	if (msg == NULL) {
		if (len == 0) {
			add_warning (c, 0, "empty message (0 bytes)");
		} else {
			add_warning (c, 0, "not a MIME message: shown as raw text");
			char *warning = NULL;
			gsize ulen = 0;
			gsize n = MIN (len, c->o.max_part_bytes);
			char *u = to_utf8 (data, n, NULL, &ulen, &warning);
			g_free (warning);
			for (gsize i = 0; i < ulen; i++)
				if (u[i] == '\0')
					u[i] = ' ';
			emit_text (c, 0, u, ulen, FALSE, FALSE);
			g_free (u);
		}
	} else {
		render_headers (c, msg, 0, TRUE);
		emit_parser_warnings (c);
		add_blank (c, 0);
		GMimeObject *body = g_mime_message_get_mime_part (msg);
		if (body)
			walk (c, body, 1, 0);
		else if (!c->collect)
			add_warning (c, 0, "message has no body");
		g_object_unref (msg);
	}
	g_object_unref (parser);
	g_object_unref (stream);
	g_mime_parser_options_free (popts);

	/* No blank line at the end. */
	GPtrArray *lines = c->r->lines;
	while (lines->len > 0 &&
	       ((TrawlLine *) g_ptr_array_index (lines, lines->len - 1))->type == TRAWL_LINE_BLANK)
		g_ptr_array_remove_index (lines, lines->len - 1);
}

static TrawlRendered *
ctx_finish (Ctx *c)
{
	g_ptr_array_unref (c->parser_items);
	if (c->found)
		g_object_unref (c->found);
	return c->r;
}

TrawlRendered *
trawl_mime_render_bytes (const char *data, gsize len, const TrawlRenderOptions *opts)
{
	Ctx c;
	ctx_init (&c, opts);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data ? data : "", data ? len : 0);
	parse_and_walk (&c, stream, data ? data : "", data ? len : 0);
	return ctx_finish (&c);
}

static gboolean
read_file (const char *path, char **data, gsize *len, GError **error)
{
	return g_file_get_contents (path, data, len, error);
}

TrawlRendered *
trawl_mime_render_file (const char *path, const TrawlRenderOptions *opts, GError **error)
{
	char *data = NULL;
	gsize len = 0;
	if (!read_file (path, &data, &len, error))
		return NULL;
	Ctx c;
	ctx_init (&c, opts);
	GByteArray *ba = g_byte_array_new_take ((guint8 *) data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (ba);
	parse_and_walk (&c, stream, (const char *) ba->data, len);
	return ctx_finish (&c);
}

void
trawl_rendered_free (TrawlRendered *r)
{
	if (!r)
		return;
	g_ptr_array_unref (r->lines);
	g_ptr_array_unref (r->parts);
	g_ptr_array_unref (r->headers);
	g_free (r);
}

/* ----------------------------------------------------------------- dump */

char *
trawl_rendered_dump (const TrawlRendered *r)
{
	GString *s = g_string_new (NULL);
	if (!r)
		return g_string_free (s, FALSE);
	for (guint i = 0; i < r->lines->len; i++) {
		const TrawlLine *l = g_ptr_array_index (r->lines, i);
		for (guint k = 0; k < l->nest; k++)
			g_string_append (s, "| ");
		char *text = trawl_sanitize (l->text ? l->text : "", -1);
		switch (l->type) {
		case TRAWL_LINE_HEADER: {
			char *label = trawl_sanitize (l->label ? l->label : "", -1);
			g_string_append_printf (s, "HEADER %s: %s", label, text);
			g_free (label);
			break;
		}
		case TRAWL_LINE_BODY:
			g_string_append_printf (s, "BODY %s", text);
			break;
		case TRAWL_LINE_QUOTE:
			g_string_append_printf (s, "QUOTE[%u]", l->depth);
			if (l->fold_id)
				g_string_append_printf (s, "#%u", l->fold_id);
			if (*text)
				g_string_append_printf (s, " %s", text);
			break;
		case TRAWL_LINE_QUOTE_FOLD:
			g_string_append_printf (s, "FOLD[%u] %u lines #%u", l->depth, l->count, l->fold_id);
			break;
		case TRAWL_LINE_SIGNATURE:
			g_string_append (s, "SIG");
			if (*text)
				g_string_append_printf (s, " %s", text);
			break;
		case TRAWL_LINE_PART:
			g_string_append_printf (s, "PART %s", text);
			break;
		case TRAWL_LINE_ATTACHMENT:
			g_string_append_printf (s, "ATTACH[%d] %s", l->part, text);
			break;
		case TRAWL_LINE_WARNING:
			g_string_append_printf (s, "WARN %s", text);
			break;
		case TRAWL_LINE_BLANK:
			g_string_append (s, "BLANK");
			break;
		default:
			g_string_append_printf (s, "?%d %s", (int) l->type, text);
			break;
		}
		g_free (text);
		/* Trailing spaces would be invisible in a golden: mark the end. */
		if (s->len > 0 && s->str[s->len - 1] == ' ')
			g_string_append_c (s, '$');
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}

/* ----------------------------------------------------------------- save */

gboolean
trawl_mime_save_part (const char *path, int index, const char *out_path, GError **error)
{
	char *data = NULL;
	gsize len = 0;
	if (!read_file (path, &data, &len, error))
		return FALSE;
	Ctx c;
	ctx_init (&c, NULL);
	c.collect = TRUE;
	c.want_index = index;
	GByteArray *ba = g_byte_array_new_take ((guint8 *) data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (ba);
	/* Keep the stream alive after parse_and_walk drops its reference: the
	 * part found reads its content from it. */
	g_object_ref (stream);
	parse_and_walk (&c, stream, (const char *) ba->data, len);

	gboolean ok = FALSE;
	if (c.found == NULL) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no part %d", path, index);
		goto done;
	}
	int fd = open (out_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);	/* the umask decides, as for any saved file */
	if (fd < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", out_path, g_strerror (e));
		goto done;
	}
	GMimeStream *fs = g_mime_stream_fs_new (fd);	/* owns fd */
	GMimeDataWrapper *w = g_mime_part_get_content (c.found);
	gssize n = w ? g_mime_data_wrapper_write_to_stream (w, fs) : 0;
	int fl = g_mime_stream_flush (fs);
	g_object_unref (fs);
	if (n < 0 || fl != 0) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed", out_path);
		unlink (out_path);
		goto done;
	}
	ok = TRUE;
done:
	trawl_rendered_free (ctx_finish (&c));
	g_object_unref (stream);
	return ok;
}

/* ----------------------------------------------------------------- init */

void
trawl_mime_init (void)
{
	static gsize once = 0;
	if (g_once_init_enter (&once)) {
		g_mime_init ();
		trawl_html_init ();
		g_once_init_leave (&once, 1);
	}
}
