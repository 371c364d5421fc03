/* provheaders.c — the headers that tell where a message came from, read
 * from its file with GMime: the Received chain (oldest hop first), the Date,
 * the authentication headers, and GMime's warnings about the whole file, in
 * words (include/trawl/provenance.h).  O(message). */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "trawl/mime.h"
#include "trawl/provenance.h"

const char *
trawl_parser_warning_text (int code)
{
	switch ((GMimeParserWarning) code) {
	case GMIME_WARN_DUPLICATED_HEADER: return "a header that may appear once is repeated";
	case GMIME_WARN_DUPLICATED_PARAMETER: return "a header parameter is repeated";
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return "a header has unencoded 8-bit characters";
	case GMIME_WARN_INVALID_CONTENT_TYPE: return "an invalid Content-Type (taken as application/octet-stream)";
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "an invalid RFC 2047 encoded header value";
	case GMIME_WARN_MALFORMED_MULTIPART: return "a multipart with no parts in it";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "the message is truncated";
	case GMIME_WARN_MALFORMED_MESSAGE: return "the message is malformed";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "an invalid header name (a malformed header line)";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting headers";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameters";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "a multipart without a boundary parameter";
	case GMIME_WARN_INVALID_PARAMETER: return "an invalid header parameter";
	case GMIME_WARN_INVALID_ADDRESS_LIST: return "an invalid address list";
	case GMIME_CRIT_NESTING_OVERFLOW: return "MIME parts nested too deep";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "a part whose headers end at a boundary (no content)";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "a part with neither headers nor content";
	}
	return "an unknown parser warning";
}

static void
on_warning (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	TrawlProvenanceInfo *p = data;
	if (p->warnings->len >= 1000)
		return;		/* a hostile file: enough said */
	GString *s = g_string_new (trawl_parser_warning_text (code));
	if (item && *item) {
		g_autofree char *it = g_strndup (item, 200);
		g_string_append_printf (s, ": %s", it);
	}
	if (offset >= 0)
		g_string_append_printf (s, " (at byte %" G_GINT64_FORMAT ")", offset);
	g_ptr_array_add (p->warnings, g_string_free (s, FALSE));
}

static char *
unfold (const char *value)
{
	GString *o = g_string_new (NULL);
	gboolean blank = FALSE;
	for (const char *s = value ? value : ""; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			blank = o->len > 0;
			continue;
		}
		if (blank)
			g_string_append_c (o, ' ');
		blank = FALSE;
		g_string_append_c (o, *s);
	}
	return g_string_free (o, FALSE);
}

void
trawl_provenance_read_bytes (TrawlProvenanceInfo *p, const char *data, gsize len)
{
	trawl_mime_init ();
	GMimeParserOptions *opts = g_mime_parser_options_new ();
	g_mime_parser_options_set_warning_callback (opts, on_warning, p);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data ? data : "", data ? len : 0);
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, opts);
	g_ptr_array_set_size (p->hops, 0);
	g_ptr_array_set_size (p->auth, 0);
	g_clear_pointer (&p->date, g_free);
	p->has_date_time = FALSE;
	if (msg) {
		GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (msg));
		int n = g_mime_header_list_get_count (hl);
		for (int i = 0; i < n; i++) {
			GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
			const char *name = g_mime_header_get_name (h);
			const char *raw = g_mime_header_get_raw_value (h);
			if (!name)
				continue;
			if (g_ascii_strcasecmp (name, "Received") == 0) {
				g_ptr_array_add (p->hops, trawl_received_parse (raw));
			} else if (g_ascii_strcasecmp (name, "Date") == 0 && !p->date) {
				p->date = unfold (raw);
				GDateTime *dt = g_mime_utils_header_decode_date (p->date);
				if (dt) {
					p->has_date_time = TRUE;
					p->date_time = g_date_time_to_unix (dt);
					g_date_time_unref (dt);
				}
			} else {
				TrawlAuthSummary *a = trawl_auth_summarise (name, raw);
				if (a)
					g_ptr_array_add (p->auth, a);
			}
		}
		g_object_unref (msg);
	} else {
		g_ptr_array_add (p->warnings, g_strdup ("GMime could not parse the message at all"));
	}
	/* Newest first in the file (each relay adds its own on top): turned
	 * round, oldest first. */
	for (guint i = 0, j = p->hops->len; i + 1 < j; i++, j--) {
		gpointer t = p->hops->pdata[i];
		p->hops->pdata[i] = p->hops->pdata[j - 1];
		p->hops->pdata[j - 1] = t;
	}
	trawl_received_chain (p->hops);
	g_object_unref (parser);
	g_object_unref (stream);
	g_mime_parser_options_free (opts);
}

gboolean
trawl_provenance_read_headers (TrawlProvenanceInfo *p)
{
	GString *why = g_string_new (NULL);
	for (guint i = 0; i < p->files->len; i++) {
		TrawlProvFile *f = p->files->pdata[i];
		g_autoptr (GError) err = NULL;
		char *data;
		gsize len;
		if (!g_file_get_contents (f->path, &data, &len, &err)) {
			g_string_append_printf (why, "%s%s", why->len ? "; " : "", err->message);
			continue;
		}
		g_free (p->analysed);
		p->analysed = g_strdup (f->relpath);
		trawl_provenance_read_bytes (p, data, len);
		g_free (data);
		g_string_free (why, TRUE);
		return TRUE;
	}
	g_free (p->read_error);
	p->read_error = why->len ? g_string_free (why, FALSE)
		: (g_string_free (why, TRUE), g_strdup ("notmuch has no file for it"));
	return FALSE;
}
