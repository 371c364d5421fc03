/* textlines.c — UTF-8 text to typed lines: quotes, format=flowed, signatures.
 *
 *  Quotes    a line starting with '>' is a QUOTE line; ->depth counts the
 *            '>' markers however they are spaced ("> > >", ">>>", ">> >");
 *            ->text is the line WITHOUT the markers (and without the one
 *            space after the last marker): the depth carries the level.
 *            A run of quoted lines longer than quote_fold_min gives a
 *            QUOTE_FOLD line (->count lines, ->depth the shallowest level,
 *            text "[N quoted lines]") followed by the N QUOTE lines, all with
 *            the same ->fold_id (> 0).  The UI shows one or the other.
 *  Flowed    format=flowed (RFC 3676) lines are joined into logical lines
 *            (delsp=yes drops the soft-break space).
 *  Signature the line "-- " and every line after it in that text part
 *            (->depth: the quote level of a quoted line among them).
 *  Blanks    trailing empty lines are not shown.
 *  Footers   a mailing-list footer at the end (footer.c) is a QUOTE_FOLD
 *            line of ->depth 0 ("[mailing-list footer, N lines]") followed
 *            by its N lines as SIGNATURE lines, all with the same ->fold_id.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

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
		TrawlLine *f = mime_add_line (c, TRAWL_LINE_QUOTE_FOLD, nest, t);
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
		TrawlLine *l = mime_add_line (c, TRAWL_LINE_QUOTE, nest, ql->text);
		if (l) {
			l->depth = ql->depth;
			l->fold_id = fold_id;
		}
	}
}

/* A mailing-list footer, lines FROM..TO of Q: a QUOTE_FOLD line of depth 0
 * ("[mailing-list footer, N lines]") and the lines as SIGNATURE lines with
 * its fold_id; the UI shows one or the other, as for a long quote. */
static void
emit_footer (Ctx *c, guint nest, GArray *q, guint from, guint to)
{
	guint n = to - from;
	char *t = g_strdup_printf ("[mailing-list footer, %u lines]", n);
	TrawlLine *f = mime_add_line (c, TRAWL_LINE_QUOTE_FOLD, nest, t);
	g_free (t);
	guint fold_id = 0;
	if (f) {
		fold_id = ++c->fold_seq;
		f->fold_id = fold_id;
		f->count = n;
		f->depth = 0;
	}
	for (guint i = from; i < to; i++) {
		QLine *ql = &g_array_index (q, QLine, i);
		TrawlLine *l = mime_add_line (c, TRAWL_LINE_SIGNATURE, nest, ql->text);
		if (l) {
			l->depth = ql->depth;
			l->fold_id = fold_id;
		}
	}
}

/* Emits UTF-8 TEXT as BODY / QUOTE / SIGNATURE / BLANK lines. */
void
mime_emit_text (Ctx *c, guint nest, const char *text, gsize len, gboolean flowed, gboolean delsp)
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

	/* A mailing-list footer at the end (footer.c) is folded. */
	guint footer = n;
	if (n > 0) {
		const char **lines = g_new (const char *, n);
		guint *depths = g_new (guint, n);
		for (guint k = 0; k < n; k++) {
			lines[k] = g_array_index (q, QLine, k).text;
			depths[k] = g_array_index (q, QLine, k).depth;
		}
		footer = mime_footer_start (lines, depths, n, mime_footer_regex (c, nest));
		g_free (lines);
		g_free (depths);
	}

	gboolean in_sig = FALSE;
	guint i = 0;
	while (i < footer && !c->lines_full) {
		QLine *ql = &g_array_index (q, QLine, i);
		if (!in_sig && ql->depth == 0 && strcmp (ql->text, "-- ") == 0)
			in_sig = TRUE;
		if (in_sig) {
			/* A quote after the signature (top-posting) keeps its
			 * level, for whoever reads past the signature. */
			TrawlLine *l = mime_add_line (c, TRAWL_LINE_SIGNATURE, nest, ql->text);
			if (l)
				l->depth = ql->depth;
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
			mime_add_line (c, TRAWL_LINE_BLANK, nest, "");
		else
			mime_add_line (c, TRAWL_LINE_BODY, nest, ql->text);
		i++;
	}
	if (footer < n && !c->lines_full)
		emit_footer (c, nest, q, footer, n);
	for (guint k = 0; k < q->len; k++)
		g_free (g_array_index (q, QLine, k).text);
	g_array_free (q, TRUE);
}
