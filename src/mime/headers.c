/* headers.c — a message's headers as HEADER lines.
 *
 *  Headers   From, To, Cc, Date, Subject (first of each, in that order) as
 *            HEADER lines, or every header in file order with all_headers.
 *            Values are GMime's decoded values (RFC 2047, unfolded; invalid
 *            encodings tolerated as GMime tolerates them).  ->headers holds
 *            every header of the top message, decoded, Date not reformatted.
 *            In the usual few, From, To and Cc have every run of white space
 *            (what folding leaves) shown as one space.
 *  Date      shown in local time; when the sender's UTC offset differs from
 *            the local one the time as sent follows:
 *              "Sat, 15 Jun 2024 13:45 (sent 15 Jun 2024 11:45 +0200)"
 *            and when they agree: "Sat, 15 Jun 2024 11:45 +0200".  English
 *            names, never the locale's.  An unparseable Date is shown as
 *            written.
 *  Raw       with all_headers, every header line of the file as it is there
 *            (RAW_HEADER lines): unfolded (CRLF or LF before white space
 *            removed, the white space kept), in file order, duplicates kept,
 *            bytes that are not UTF-8 as "\xNN"; the Date line byte for byte
 *            with "  (local: Fri 14 Jun 2024 12:00 CEST)" after it.  A
 *            HEADER_DECODED line follows a header only when decoding (RFC
 *            2047, 8-bit charset) changed its value.  The lines are read
 *            from the message's bytes, where GMime's offsets put its headers;
 *            when they cannot be found there, GMime's decoded values are
 *            shown as HEADER lines, as without all_headers.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

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
	char *s = mime_valid_dup (v ? v : "", -1);
	return g_strstrip (s);
}

static void
add_header_line (Ctx *c, guint nest, const char *name, const char *value)
{
	gboolean is_date = g_ascii_strcasecmp (name, "Date") == 0;
	char *shown = is_date ? format_date (value) : NULL;
	TrawlLine *l = mime_add_line (c, TRAWL_LINE_HEADER, nest, shown ? shown : value);
	if (l)
		l->label = mime_valid_dup (name, -1);
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

/* LEN bytes at S as valid UTF-8: every byte that is not part of a UTF-8
 * character (and NUL) as the sanitiser shows it ("\xNN", "^@"); nothing
 * else changed (controls are the screen's to make visible). */
static char *
raw_escape (const char *s, gsize len)
{
	GString *out = g_string_sized_new (len + 8);
	const char *p = s, *end = s + len;
	while (p < end) {
		gunichar u = g_utf8_get_char_validated (p, end - p);
		if (*p == '\0') {
			g_string_append (out, "^@");
			p++;
		} else if (u == (gunichar) -1 || u == (gunichar) -2) {
			g_string_append_printf (out, "\\x%02X", (guchar) *p);
			p++;
		} else {
			const char *n = g_utf8_next_char (p);
			g_string_append_len (out, p, n - p);
			p = n;
		}
	}
	return g_string_free (out, FALSE);
}

/* S with every run of white space one space, none at either end. */
static char *
squeeze_space (const char *s)
{
	GString *out = g_string_new (NULL);
	gboolean space = FALSE;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c (out, ' ');
		space = FALSE;
		g_string_append_c (out, *p);
	}
	return g_string_free (out, FALSE);
}

/* "  (local: Fri 14 Jun 2024 12:00 CEST)" for a Date VALUE, or NULL. */
static char *
local_date (const char *value)
{
	char *v = g_strstrip (g_strdup (value));
	GDateTime *sent = g_mime_utils_header_decode_date (v);
	g_free (v);
	if (sent == NULL)
		return NULL;
	GDateTime *local = g_date_time_to_local (sent);
	g_date_time_unref (sent);
	if (local == NULL)
		return NULL;
	GString *s = g_string_new ("  (local: ");
	int wd = g_date_time_get_day_of_week (local);
	g_string_append_printf (s, "%s ", weekday_names[(wd >= 1 && wd <= 7) ? wd - 1 : 0]);
	append_dmyhm (s, local);
	const char *abbrev = g_date_time_get_timezone_abbreviation (local);
	if (abbrev && *abbrev) {
		g_string_append_c (s, ' ');
		g_string_append (s, abbrev);
	} else {
		g_string_append_c (s, ' ');
		append_offset (s, local);
	}
	g_string_append_c (s, ')');
	g_date_time_unref (local);
	return g_string_free (s, FALSE);
}

/* One unfolded header line LINE (LEN bytes, at OFFSET in the file) as a
 * RAW_HEADER line, and its decoded value after it when decoding changed
 * it (H: GMime's header at that offset, or NULL). */
static void
add_raw_header (Ctx *c, guint nest, const char *line, gsize len, GMimeHeader *h)
{
	const char *colon = memchr (line, ':', len);
	TrawlLine *l = mime_add_line (c, TRAWL_LINE_RAW_HEADER, nest, NULL);
	if (l == NULL)
		return;
	g_free (l->text);
	l->text = raw_escape (line, len);
	if (colon == NULL)
		return;
	gsize nlen = colon - line;
	while (nlen > 0 && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
		nlen--;
	l->label = raw_escape (line, nlen);
	const char *value = colon + 1;
	gsize vlen = len - (value - line);
	char *raw_value = g_strndup (value, vlen);	/* (a NUL in it ends it: only compared) */

	if (g_ascii_strcasecmp (l->label, "Date") == 0) {
		char *local = local_date (raw_value);
		if (local) {
			char *t = g_strconcat (l->text, local, NULL);
			g_free (l->text);
			l->text = t;
			g_free (local);
		}
	} else if (h != NULL) {
		/* Only where decoding could change it: encoded words, 8-bit bytes. */
		gboolean could = strstr (raw_value, "=?") != NULL;
		for (gsize i = 0; i < vlen && !could; i++)
			could = (guchar) value[i] >= 0x80;
		if (could) {
			char *decoded = header_value (h);
			char *valid_raw = mime_valid_dup (raw_value, -1);
			char *a = squeeze_space (valid_raw), *b = squeeze_space (decoded);
			gboolean same = strcmp (a, b) == 0 && g_utf8_validate (raw_value, -1, NULL);
			if (!same) {
				TrawlLine *d = mime_add_line (c, TRAWL_LINE_HEADER_DECODED, nest, decoded);
				if (d)
					d->label = g_strdup (l->label);
			}
			g_free (a);
			g_free (b);
			g_free (valid_raw);
			g_free (decoded);
		}
	}
	g_free (raw_value);
}

/* The header lines of the message whose headers are ALL, read from the
 * message's bytes (see the comment at the top).  FALSE when its header
 * block cannot be found there. */
static gboolean
render_raw_headers (Ctx *c, GPtrArray *all, guint nest)
{
	if (c->data == NULL || all->len == 0)
		return FALSE;
	gint64 start = G_MAXINT64;
	GMimeHeader *first = NULL;
	GHashTable *at = g_hash_table_new (g_int64_hash, g_int64_equal);
	gint64 *offs = g_new (gint64, all->len);
	for (guint i = 0; i < all->len; i++) {
		GMimeHeader *h = g_ptr_array_index (all, i);
		offs[i] = g_mime_header_get_offset (h);
		if (offs[i] < 0)
			continue;
		if (!g_hash_table_contains (at, &offs[i]))
			g_hash_table_insert (at, &offs[i], h);
		if (offs[i] < start) {
			start = offs[i];
			first = h;
		}
	}
	const char *fname = first ? g_mime_header_get_name (first) : NULL;
	gsize flen = fname ? strlen (fname) : 0;
	if (first == NULL || (guint64) start + flen > c->len ||
	    g_ascii_strncasecmp (c->data + start, fname, flen) != 0) {
		g_hash_table_destroy (at);
		g_free (offs);
		return FALSE;
	}
	const char *p = c->data + start, *end = c->data + c->len;
	GString *line = g_string_new (NULL);
	while (p < end) {
		const char *hs = p;
		g_string_truncate (line, 0);
		gboolean blank = FALSE;
		for (;;) {
			const char *nl = memchr (p, '\n', end - p);
			const char *e = nl ? nl : end;
			const char *ce = (nl && e > p && e[-1] == '\r') ? e - 1 : e;
			if (p == hs && ce == p) {
				blank = TRUE;	/* the end of the header block */
				break;
			}
			g_string_append_len (line, p, ce - p);
			p = nl ? nl + 1 : end;
			if (p >= end || (*p != ' ' && *p != '\t'))
				break;
		}
		if (blank)
			break;
		gint64 off = hs - c->data;
		add_raw_header (c, nest, line->str, line->len, g_hash_table_lookup (at, &off));
		if (c->lines_full)
			break;
	}
	g_string_free (line, TRUE);
	g_hash_table_destroy (at);
	g_free (offs);
	return TRUE;
}

void
mime_render_headers (Ctx *c, GMimeMessage *msg, guint nest, gboolean top)
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
			TrawlLine *l = mime_new_line (TRAWL_LINE_HEADER, nest, NULL);
			l->label = mime_valid_dup (g_mime_header_get_name (h), -1);
			g_free (l->text);
			l->text = header_value (h);
			g_ptr_array_add (c->r->headers, l);
		}
	}

	if (c->o.all_headers && render_raw_headers (c, all, nest)) {
		/* every header as in the file */
	} else if (c->o.all_headers) {
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
			if (k < 3) {
				/* From, To, Cc: the white space of folding (and any
				 * run of it) is one space; H shows them as written. */
				char *sq = squeeze_space (v);
				g_free (v);
				v = sq;
			}
			add_header_line (c, nest, default_headers[k], v);
			g_free (v);
		}
	}
	g_ptr_array_free (all, TRUE);
}
