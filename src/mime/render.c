/* render.c — one message file rendered to typed display lines, by GMime:
 * the render context, appending lines, parsing, the entry points.
 *
 * Decisions (the goldens in tests/render pin them; each file of src/mime
 * holds the ones it implements):
 *
 *  Headers   From, To, Cc, Date, Subject, or every header (headers.c).
 *  Quotes    QUOTE lines with a depth, long runs folded (textlines.c).
 *  Signature the line "-- " and every line after it in that text part.
 *  Parts     every leaf part is in ->parts; text shown inline, every other
 *            leaf an ATTACHMENT line (walk.c).
 *  Text      decoded once, converted to UTF-8 from the declared charset with
 *            announced fallbacks (content.c, charset.c).
 *  Caps      max_part_bytes per text part, max_depth MIME levels (32, or
 *            1024 with deep_parts, never more), max_lines lines; each hit
 *            gives a WARNING and sets ->truncated.  Parts below the depth
 *            cap are still in ->parts, and a PART line with ->count says
 *            where and how many were not shown (walk.c).
 *  Parser    GMime's complaints that matter become WARNING lines after the
 *            headers, one per kind.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

/* ------------------------------------------------------------------ lines */

void
mime_line_free (gpointer p)
{
	TrawlLine *l = p;
	if (!l)
		return;
	g_free (l->label);
	g_free (l->text);
	g_free (l);
}

void
mime_part_free (gpointer p)
{
	TrawlPart *part = p;
	if (!part)
		return;
	g_free (part->content_type);
	g_free (part->filename);
	g_free (part->safe_filename);
	g_free (part);
}

char *
mime_valid_dup (const char *s, gssize len)
{
	if (s == NULL)
		return g_strdup ("");
	if (len < 0)
		len = (gssize) strlen (s);
	if (g_utf8_validate_len (s, (gsize) len, NULL))
		return g_strndup (s, (gsize) len);
	return g_utf8_make_valid (s, len);
}

TrawlLine *
mime_new_line (TrawlLineType type, guint nest, const char *text)
{
	TrawlLine *l = g_new0 (TrawlLine, 1);
	l->type = type;
	l->nest = nest;
	l->part = -1;
	l->text = mime_valid_dup (text, -1);
	return l;
}

TrawlLine *
mime_add_line (Ctx *c, TrawlLineType type, guint nest, const char *text)
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
		g_ptr_array_add (c->r->lines, mime_new_line (TRAWL_LINE_WARNING, nest, msg));
		g_free (msg);
		return NULL;
	}
	TrawlLine *l = mime_new_line (type, nest, text);
	g_ptr_array_add (c->r->lines, l);
	return l;
}

void
mime_add_warning (Ctx *c, guint nest, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	char *msg = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	mime_add_line (c, TRAWL_LINE_WARNING, nest, msg);
	g_free (msg);
}

void
mime_add_blank (Ctx *c, guint nest)
{
	GPtrArray *lines = c->r->lines;
	/* Never two blank lines in a row, never one at the top. */
	if (lines->len == 0)
		return;
	TrawlLine *last = g_ptr_array_index (lines, lines->len - 1);
	if (last->type == TRAWL_LINE_BLANK)
		return;
	mime_add_line (c, TRAWL_LINE_BLANK, nest, "");
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
			mime_add_warning (c, 0, "%s: %.200s", what, item);
		else
			mime_add_warning (c, 0, "%s", what);
	}
}

void
mime_ctx_init (Ctx *c, const TrawlRenderOptions *opts)
{
	memset (c, 0, sizeof *c);
	if (opts)
		c->o = *opts;
	if (c->o.max_part_bytes == 0)
		c->o.max_part_bytes = MIME_DEFAULT_MAX_PART_BYTES;
	if (c->o.max_depth == 0)
		c->o.max_depth = MIME_DEFAULT_MAX_DEPTH;
	if (c->o.deep_parts)
		c->o.max_depth = MAX (c->o.max_depth, MIME_DEEP_MAX_DEPTH);
	c->o.max_depth = MIN (c->o.max_depth, MIME_DEEP_MAX_DEPTH);
	if (c->o.max_lines == 0)
		c->o.max_lines = MIME_DEFAULT_MAX_LINES;
	if (c->o.html_max_runs == 0)
		c->o.html_max_runs = MIME_DEFAULT_HTML_RUNS;
	if (c->o.html_budget_us == 0)
		c->o.html_budget_us = MIME_DEFAULT_HTML_BUDGET_US;
	if (c->o.render_budget_us == 0)
		c->o.render_budget_us = MIME_DEFAULT_RENDER_BUDGET_US;
	if (c->o.no_budget) {
		c->o.html_max_runs = G_MAXUINT;
		c->o.html_budget_us = G_MAXINT64;
		c->o.render_budget_us = G_MAXINT64;
	}
	c->want_index = -1;
	c->parser_items = g_ptr_array_new_with_free_func (g_free);
	c->r = g_new0 (TrawlRendered, 1);
	c->r->lines = g_ptr_array_new_with_free_func (mime_line_free);
	c->r->parts = g_ptr_array_new_with_free_func (mime_part_free);
	c->r->headers = g_ptr_array_new_with_free_func (mime_line_free);
}

/* A message that is not MIME at all: its first max_part_bytes as text. */
static void
render_raw (Ctx *c, const char *data, gsize len)
{
	mime_add_warning (c, 0, "not a MIME message: shown as raw text");
	char *warning = NULL;
	gsize ulen = 0;
	gsize n = MIN (len, c->o.max_part_bytes);
	char *u = mime_to_utf8 (data, n, NULL, &ulen, &warning);
	g_free (warning);
	for (gsize i = 0; i < ulen; i++)
		if (u[i] == '\0')
			u[i] = ' ';
	mime_emit_text (c, 0, u, ulen, FALSE, FALSE);
	g_free (u);
}

void
mime_parse_and_walk (Ctx *c, GMimeStream *stream, const char *data, gsize len)
{
	GMimeParserOptions *popts = g_mime_parser_options_new ();
	g_mime_parser_options_set_warning_callback (popts, parser_warning, c);
	g_mime_parser_options_set_rfc2047_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode (popts, GMIME_RFC_COMPLIANCE_LOOSE);
	const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	g_mime_parser_options_set_fallback_charsets (popts, fallback);

	c->data = data;
	c->len = len;
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, popts);

	if (msg == NULL) {
		if (len == 0)
			mime_add_warning (c, 0, "empty message (0 bytes)");
		else
			render_raw (c, data, len);
	} else {
		if (!c->att_fn)	/* listing attachments: no header is looked at */
			mime_render_headers (c, msg, 0, TRUE);
		emit_parser_warnings (c);
		mime_add_blank (c, 0);
		GMimeObject *body = g_mime_message_get_mime_part (msg);
		if (body)
			mime_walk (c, body, 1, 0);
		else if (!c->collect)
			mime_add_warning (c, 0, "message has no body");
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

TrawlRendered *
mime_ctx_finish (Ctx *c)
{
	g_ptr_array_unref (c->parser_items);
	if (c->found)
		g_object_unref (c->found);
	g_strfreev (c->dumper_argv);
	g_clear_pointer (&c->footer_re, g_regex_unref);
	g_free (c->dumper_name);
	g_free (c->dumper_id);
	return c->r;
}

/* -------------------------------------------------------- entry points */

TrawlRendered *
trawl_mime_render_bytes (const char *data, gsize len, const TrawlRenderOptions *opts)
{
	Ctx c;
	mime_ctx_init (&c, opts);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data ? data : "", data ? len : 0);
	mime_parse_and_walk (&c, stream, data ? data : "", data ? len : 0);
	return mime_ctx_finish (&c);
}

gboolean
mime_walk_file (Ctx *c, const char *path, GMimeStream **keep, GError **error)
{
	char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents (path, &data, &len, error))
		return FALSE;
	GByteArray *ba = g_byte_array_new_take ((guint8 *) data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (ba);
	if (keep)
		*keep = g_object_ref (stream);
	mime_parse_and_walk (c, stream, (const char *) ba->data, len);
	return TRUE;
}

TrawlRendered *
trawl_mime_render_file (const char *path, const TrawlRenderOptions *opts, GError **error)
{
	Ctx c;
	mime_ctx_init (&c, opts);
	if (!mime_walk_file (&c, path, NULL, error)) {
		trawl_rendered_free (mime_ctx_finish (&c));
		return NULL;
	}
	return mime_ctx_finish (&c);
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
