/* dump.c — trawl_rendered_dump(): the rendered lines as text, one per line,
 * "TYPE[depth] text", every text sanitised; what the goldens in
 * tests/render compare. */
#include "config.h"

#include "trawl/mime.h"
#include "trawl/sanitize.h"

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
		case TRAWL_LINE_HELD:
			g_string_append_printf (s, "HELD[%u] %s", l->count, text);
			break;
		case TRAWL_LINE_RAW_HEADER:
			g_string_append_printf (s, "RAW %s", text);
			break;
		case TRAWL_LINE_HEADER_DECODED:
			g_string_append_printf (s, "DECODED %s", text);
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
