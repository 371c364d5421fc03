/* walk.c — the MIME walk: multiparts, alternatives, forwarded messages and
 * leaves, text parts shown and every other leaf listed.
 *
 *  Parts     every leaf part is in ->parts, in depth-first order, shown or
 *            not (the choices of a multipart/alternative not shown too).
 *            Text parts shown inline: any text/ type without "Content-Disposition:
 *            attachment".  Every other leaf gets an ATTACHMENT line:
 *              "report.pdf, application/pdf, 12.3 kB"
 *            with " (saves as NAME)" added when the safe file name differs
 *            from the name the message gives, "(no name)" when it gives none.
 *  Depth     below the nesting cap nothing is shown: the parts there are
 *            still in ->parts (counted, never decoded, without recursion),
 *            and a PART line with ->count says how many were not shown, at
 *            the place they were cut off.
 *  Decoding  each leaf at most once per render (content.c): a text part
 *            shown is decoded once and every step reads that; a part only
 *            listed has its size counted, never decoded.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

char *
mime_type_of (GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	if (!ct)
		return g_strdup ("application/octet-stream");
	char *t = g_mime_content_type_get_mime_type (ct);
	char *v = mime_valid_dup (t ? t : "application/octet-stream", -1);
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

gboolean
mime_leaf_is_attachment (GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT (part);
	return !(is_type (obj, "text", "*") && !disposition_is_attachment (obj));
}

/* The text part PART (TYPE, HTML when text/html), decoded once in CONTENT,
 * as lines. */
static void
render_text_leaf (Ctx *c, GMimePart *part, guint nest, gboolean html, const char *type,
		  const MimeContent *content)
{
	GMimeObject *obj = GMIME_OBJECT (part);

	/* HTML costs a dumper run: none past the line cap, the render budget
	 * or an interruption. */
	if (html && (c->lines_full || !mime_html_allowed (c, nest)))
		return;
	if (c->text_parts_shown > 0 || html) {
		mime_add_blank (c, nest);
		const char *fname = g_mime_part_get_filename (part);
		if (!html) {
			char *t = fname ? g_strdup_printf ("%s, %s", type, fname) : g_strdup (type);
			mime_add_line (c, TRAWL_LINE_PART, nest, t);
			g_free (t);
		}
	}
	c->text_parts_shown++;

	if (content->bad_base64)
		mime_add_warning (c, nest, "%s part: invalid base64 (bad characters skipped)", type);
	if (content->cut) {
		c->r->truncated = TRUE;
		mime_add_warning (c, nest, "%s part larger than %" G_GSIZE_FORMAT " bytes: the rest is not shown",
				  type, c->o.max_part_bytes);
	}

	const char *charset = g_mime_object_get_content_type_parameter (obj, "charset");
	char *warning = NULL;
	gsize ulen = 0;
	GByteArray *bytes = content->bytes;
	char *utf8 = mime_to_utf8 (bytes->len ? (const char *) bytes->data : "", bytes->len, charset,
				   &ulen, &warning);
	if (warning) {
		mime_add_warning (c, nest, "%s", warning);
		g_free (warning);
	}
	guint nuls = mime_nuls_to_fffd (&utf8, &ulen);
	if (nuls > 0)
		mime_add_warning (c, nest, "%u NUL bytes in the text, shown as U+FFFD", nuls);
	if (!g_utf8_validate_len (utf8, ulen, NULL)) {
		char *v = g_utf8_make_valid (utf8, (gssize) ulen);	/* never expected */
		g_free (utf8);
		utf8 = v;
		ulen = strlen (v);
	}

	if (html) {
		char *how = NULL;
		char *text = mime_html_to_text (c, nest, utf8, ulen, &how);
		if (text == NULL) {	/* interrupted: counted on the HELD line */
			g_free (utf8);
			return;
		}
		char *t = g_strdup_printf ("%s, shown as text by %s (no remote content)", type, how);
		mime_add_line (c, TRAWL_LINE_PART, nest, t);
		g_free (t);
		g_free (how);
		mime_emit_text (c, nest, text, strlen (text), FALSE, FALSE);
		g_free (text);
	} else {
		const char *format = g_mime_object_get_content_type_parameter (obj, "format");
		const char *delsp = g_mime_object_get_content_type_parameter (obj, "delsp");
		gboolean flowed = format && g_ascii_strcasecmp (format, "flowed") == 0;
		gboolean del = delsp && g_ascii_strcasecmp (delsp, "yes") == 0;
		mime_emit_text (c, nest, utf8, ulen, flowed, del);
	}
	g_free (utf8);
}

static void
render_leaf (Ctx *c, GMimePart *part, guint nest)
{
	GMimeObject *obj = GMIME_OBJECT (part);
	int index = c->leaf_index++;

	if (c->collect) {
		if (c->att_fn) {
			if (mime_leaf_is_attachment (part))
				mime_attachment_report (c, part, index, nest);
			return;
		}
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

	/* The one read of the content: decoded when it is shown as text,
	 * else only its size counted. */
	MimeContent content;
	if (inline_text && c->silent == 0)
		mime_content_decode (c, part, c->o.max_part_bytes, &content);
	else
		mime_content_size (c, part, &content);

	TrawlPart *tp = g_new0 (TrawlPart, 1);
	tp->index = index;
	tp->content_type = g_strdup (type);
	const char *fname = g_mime_part_get_filename (part);
	tp->filename = fname ? mime_valid_dup (fname, -1) : NULL;
	tp->safe_filename = trawl_mime_safe_filename (tp->filename, index);
	tp->size = content.size;
	tp->is_attachment = !inline_text;
	tp->nest = nest;
	g_ptr_array_add (c->r->parts, tp);

	if (c->silent > 0)
		goto done;

	if (GMIME_IS_APPLICATION_PKCS7_MIME (part) || is_type (obj, "application", "pkcs7-mime") ||
	    is_type (obj, "application", "x-pkcs7-mime")) {
		mime_add_blank (c, nest);
		mime_add_warning (c, nest, "S/MIME part (%s), not decrypted here", type);
	}

	if (inline_text) {
		render_text_leaf (c, part, nest, is_html, type, &content);
	} else {
		char *size = g_format_size (tp->size);
		GString *t = g_string_new (NULL);
		g_string_append_printf (t, "%s, %s, %s%s", tp->filename ? tp->filename : "(no name)",
					type, content.size_over ? "more than " : "", size);
		if (g_strcmp0 (tp->filename, tp->safe_filename) != 0)
			g_string_append_printf (t, " (saves as %s)", tp->safe_filename);
		TrawlLine *l = mime_add_line (c, TRAWL_LINE_ATTACHMENT, nest, t->str);
		if (l)
			l->part = index;
		g_string_free (t, TRUE);
		g_free (size);
	}
done:
	mime_content_clear (&content);
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
		mime_add_warning (c, nest, "%s with no parts", type);
		g_free (type);
		return;
	}

	if (GMIME_IS_MULTIPART_ENCRYPTED (mp) || is_type (obj, "multipart", "encrypted")) {
		const char *proto = g_mime_object_get_content_type_parameter (obj, "protocol");
		mime_add_blank (c, nest);
		mime_add_warning (c, nest, "encrypted part (multipart/encrypted%s%s), not decrypted here",
			     proto ? ", " : "", proto ? proto : "");
		for (int i = 0; i < n; i++)
			mime_walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
		return;
	}

	if (GMIME_IS_MULTIPART_SIGNED (mp) || is_type (obj, "multipart", "signed")) {
		mime_add_line (c, TRAWL_LINE_PART, nest, "signed (signature not verified)");
		for (int i = 0; i < n; i++)
			mime_walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
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
			mime_add_line (c, TRAWL_LINE_PART, nest, t->str);
			g_string_free (t, TRUE);
		}
		for (int i = 0; i < n; i++) {
			if (i != chosen)
				c->silent++;
			mime_walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
			if (i != chosen)
				c->silent--;
		}
		return;
	}

	for (int i = 0; i < n; i++)
		mime_walk (c, g_mime_multipart_get_part (mp, i), depth + 1, nest);
}

typedef struct {
	GMimeObject *obj;	/* borrowed */
	guint nest;
} Hidden;

/* The leaf parts under OBJ (borrowed), cut off by the depth cap: registered
 * in ->parts (and found when collecting for trawl_mime_save_part()) in the
 * walk's own depth-first order, so part numbers never depend on the cap, but
 * shown nowhere.  No recursion (a stack of its own) and no decoding (each
 * part's size is only counted): the work is bounded by the parsed tree.
 * Returns how many leaf parts there were. */
static guint
register_hidden (Ctx *c, GMimeObject *obj, guint nest)
{
	GArray *stack = g_array_new (FALSE, FALSE, sizeof (Hidden));
	Hidden h = { obj, nest };
	g_array_append_val (stack, h);
	guint n = 0;
	c->silent++;
	while (stack->len > 0) {
		h = g_array_index (stack, Hidden, stack->len - 1);
		g_array_set_size (stack, stack->len - 1);
		if (h.obj == NULL)
			continue;
		if (GMIME_IS_MESSAGE_PART (h.obj)) {
			GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (h.obj));
			Hidden b = { m ? g_mime_message_get_mime_part (m) : NULL, h.nest + 1 };
			if (b.obj)
				g_array_append_val (stack, b);
		} else if (GMIME_IS_MULTIPART (h.obj)) {
			GMimeMultipart *mp = GMIME_MULTIPART (h.obj);
			/* Pushed last first: popped in the walk's order. */
			for (int i = g_mime_multipart_get_count (mp) - 1; i >= 0; i--) {
				Hidden ch = { g_mime_multipart_get_part (mp, i), h.nest };
				g_array_append_val (stack, ch);
			}
		} else if (GMIME_IS_PART (h.obj)) {
			render_leaf (c, GMIME_PART (h.obj), h.nest);
			n++;
		}
	}
	c->silent--;
	g_array_free (stack, TRUE);
	return n;
}

/* The PART line (->count N) saying N more parts were cut off here; siblings
 * cut off one after the other share one line. */
static void
deep_marker (Ctx *c, guint nest, guint n)
{
	TrawlLine *l = c->deep_marker;
	GPtrArray *lines = c->r->lines;
	if (l && lines->len > 0 && lines->pdata[lines->len - 1] == l && l->nest == nest) {
		l->count += n;
	} else {
		l = mime_add_line (c, TRAWL_LINE_PART, nest, "");
		if (!l)
			return;
		l->count = n;
		c->deep_marker = l;
	}
	g_free (l->text);
	l->text = g_strdup_printf ("%u part%s nested deeper than %u levels not shown", l->count,
				   l->count == 1 ? "" : "s", c->o.max_depth);
}

void
mime_walk (Ctx *c, GMimeObject *obj, guint depth, guint nest)
{
	if (obj == NULL)
		return;
	if (depth > c->o.max_depth) {
		c->r->truncated = TRUE;
		if (!c->depth_warned) {
			c->depth_warned = TRUE;
			int was = c->silent;
			c->silent = 0;
			mime_add_warning (c, nest, "MIME nesting deeper than %u levels: the deeper parts are not shown",
				     c->o.max_depth);
			c->silent = was;
		}
		guint n = register_hidden (c, obj, nest);
		c->r->parts_too_deep += n;
		if (n > 0 && c->silent == 0 && !c->collect)
			deep_marker (c, nest, n);
		return;
	}

	if (GMIME_IS_MESSAGE_PART (obj)) {
		GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (obj));
		mime_add_blank (c, nest);
		if (m == NULL) {
			mime_add_warning (c, nest, "attached message (message/rfc822) could not be parsed");
			return;
		}
		mime_add_line (c, TRAWL_LINE_PART, nest, "forwarded message (message/rfc822)");
		if (!c->att_fn)
			mime_render_headers (c, m, nest + 1, FALSE);
		mime_add_blank (c, nest + 1);
		guint saved = c->text_parts_shown;
		c->text_parts_shown = 0;
		GMimeObject *body = g_mime_message_get_mime_part (m);
		if (body)
			mime_walk (c, body, depth + 1, nest + 1);
		c->text_parts_shown = saved;
		mime_add_blank (c, nest);
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
	mime_add_warning (c, nest, "unsupported part %s", type);
	g_free (type);
}
