/* citation.c — a citation of one message, and a notes entry quoting it (see
 * trawl/citation.h).  Only the header block is parsed (GMime); the whole
 * file is hashed, read in chunks. */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mime-private.h"
#include "trawl/citation.h"
#include "trawl/mime.h"
#include "trawl/sanitize.h"

void
trawl_citation_free (TrawlCitation *c)
{
	if (c == NULL)
		return;
	g_free (c->date);
	g_free (c->from);
	g_free (c->to);
	g_free (c->subject);
	g_free (c->message_id);
	g_free (c->sha256);
	g_free (c);
}

/* V (may be NULL), unfolded, stripped and sanitised. */
static char *
clean (const char *v)
{
	GString *s = g_string_new (NULL);
	for (const char *p = v ? v : ""; *p; p++)
		if (*p != '\r' && *p != '\n')
			g_string_append_c (s, *p);
	g_autofree char *u = g_string_free (s, FALSE);
	char *out = trawl_sanitize (u, -1);
	return g_strstrip (out);
}

static char *
header_text (GMimeHeaderList *hl, const char *name, gboolean raw)
{
	GMimeHeader *h = g_mime_header_list_get_header (hl, name);
	if (h == NULL)
		return g_strdup ("");
	const char *v = raw ? NULL : g_mime_header_get_value (h);
	if (v == NULL)
		v = g_mime_header_get_raw_value (h);
	g_autofree char *valid = mime_valid_dup (v ? v : "", -1);
	return clean (valid);
}

TrawlCitation *
trawl_citation_read (const char *path, GError **error)
{
	FILE *f = fopen (path, "rb");
	if (f == NULL) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Cannot read %s: %s", path,
			     g_strerror (e));
		return NULL;
	}
	/* The hash of every byte; the header block kept (up to 1 MiB). */
	GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
	GString *head = g_string_new (NULL);
	gboolean head_done = FALSE;
	char buf[65536];
	size_t r;
	while ((r = fread (buf, 1, sizeof buf, f)) > 0) {
		g_checksum_update (sum, (const guchar *) buf, r);
		if (!head_done) {
			g_string_append_len (head, buf, (gssize) r);
			const char *end = strstr (head->str, "\n\n");
			const char *end2 = strstr (head->str, "\n\r\n");
			if (end2 && (!end || end2 < end))
				end = end2;
			if (end) {
				g_string_truncate (head, (gsize) (end - head->str) + 1);
				head_done = TRUE;
			} else if (head->len > 1024 * 1024)
				head_done = TRUE;
		}
	}
	gboolean failed = ferror (f);
	fclose (f);
	if (failed) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "Cannot read %s", path);
		g_checksum_free (sum);
		g_string_free (head, TRUE);
		return NULL;
	}
	TrawlCitation *c = g_new0 (TrawlCitation, 1);
	c->sha256 = g_strdup (g_checksum_get_string (sum));
	g_checksum_free (sum);
	g_string_append (head, "\n");

	trawl_mime_init ();
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (head->str, head->len);
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	GMimeParserOptions *popts = g_mime_parser_options_new ();
	g_mime_parser_options_set_rfc2047_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	g_mime_parser_options_set_fallback_charsets (popts, fallback);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, popts);
	if (msg) {
		GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (msg));
		c->date = header_text (hl, "Date", TRUE);
		c->from = header_text (hl, "From", FALSE);
		c->to = header_text (hl, "To", FALSE);
		c->subject = header_text (hl, "Subject", FALSE);
		const char *id = g_mime_message_get_message_id (msg);
		c->message_id = clean (id);
		g_object_unref (msg);
	}
	g_mime_parser_options_free (popts);
	g_object_unref (parser);
	g_object_unref (stream);
	g_string_free (head, TRUE);
	if (c->date == NULL) {
		c->date = g_strdup ("");
		c->from = g_strdup ("");
		c->to = g_strdup ("");
		c->subject = g_strdup ("");
		c->message_id = g_strdup ("");
	}
	return c;
}

/* TEXT as a Markdown code span: enough backticks around it. */
static void
append_code (GString *s, const char *text)
{
	guint run = 0, longest = 0;
	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = MAX (longest, run);
	}
	GString *ticks = g_string_new (NULL);
	for (guint i = 0; i <= longest; i++)
		g_string_append_c (ticks, '`');
	gboolean pad = *text == '`' || (*text && text[strlen (text) - 1] == '`');
	g_string_append_printf (s, "%s%s%s%s%s", ticks->str, pad ? " " : "", text, pad ? " " : "", ticks->str);
	g_string_free (ticks, TRUE);
}

char *
trawl_citation_text (const TrawlCitation *c, gboolean markdown)
{
	GString *s = g_string_new (NULL);
	g_autofree char *id = *c->message_id ? g_strdup_printf ("<%s>", c->message_id) : g_strdup ("");
	if (!markdown) {
		g_string_append_printf (s, "Date: %s\nFrom: %s\nTo: %s\nSubject: %s\nMessage-ID: %s\nSHA256: %s\n",
					c->date, c->from, c->to, c->subject, id, c->sha256);
		return g_string_free (s, FALSE);
	}
	g_string_append_printf (s, "- **Date:** %s\n", c->date);
	g_string_append (s, "- **From:** ");
	append_code (s, c->from);
	g_string_append (s, "\n- **To:** ");
	append_code (s, c->to);
	g_string_append_printf (s, "\n- **Subject:** %s\n", c->subject);
	g_string_append (s, "- **Message-ID:** ");
	append_code (s, id);
	g_string_append (s, "\n- **SHA256:** ");
	append_code (s, c->sha256);
	g_string_append_c (s, '\n');
	return g_string_free (s, FALSE);
}

char *
trawl_id_query (const char *id)
{
	gboolean quote = *id == '\0';
	for (const unsigned char *p = (const unsigned char *) id; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '(' || *p == ')' || *p == '"')
			quote = TRUE;
	if (!quote)
		return g_strconcat ("id:", id, NULL);
	GString *q = g_string_new ("id:\"");
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			g_string_append_c (q, '"');
		g_string_append_c (q, *p);
	}
	g_string_append_c (q, '"');
	return g_string_free (q, FALSE);
}

char *
trawl_citation_note (const TrawlCitation *c, const char *const *lines, guint n)
{
	GString *s = g_string_new ("## ");
	g_string_append (s, *c->subject ? c->subject : "(no subject)");
	g_string_append (s, "\n\n");
	g_autofree char *cite = trawl_citation_text (c, TRUE);
	g_string_append (s, cite);
	if (n > 0)
		g_string_append_c (s, '\n');
	for (guint i = 0; i < n; i++) {
		g_autofree char *line = trawl_sanitize (lines[i] ? lines[i] : "", -1);
		g_strchomp (line);
		if (*line)
			g_string_append_printf (s, "> %s\n", line);
		else
			g_string_append (s, ">\n");
	}
	return g_string_free (s, FALSE);
}
