/* headers.c — a message's headers as HEADER lines.
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
 */
#include "config.h"

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
