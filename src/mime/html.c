/* html.c — the built-in HTML-to-text renderer (see mime-private.h).
 *
 * libxml2's HTML parser builds a tree (HTML_PARSE_NONET: no network, ever;
 * RECOVER: tag soup is fine; NOERROR/NOWARNING: silent); we walk it and write
 * text.  Nothing is fetched: images become their alt text, links their URL in
 * brackets.  No regular expressions touch the markup.
 */
#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mime-private.h"

#define HTML_MAX_DEPTH 200	/* walk no deeper (libxml2 caps at 256 too) */
#define HTML_MAX_OUT (8u << 20)	/* bytes of text produced at most */

typedef struct {
	GString *out;
	int pending;		/* line ends owed before the next text (0..2) */
	int pending_quote;	/* the shallowest quote depth since they were owed */
	int nl;			/* line ends at the end of the output so far */
	gboolean at_start;	/* nothing written yet */
	gboolean space;		/* a collapsed space is owed before the next word */
	int quote;		/* blockquote depth */
	int list_depth;
	int pre;		/* inside <pre> */
	char *bullet;		/* list marker owed before the next text */
} HtmlState;

#define AT_LINE_START(st) ((st)->nl > 0 || (st)->at_start)

static void
want_break (HtmlState *st, int n)
{
	if (st->at_start)
		return;
	if (st->pending == 0 || st->quote < st->pending_quote)
		st->pending_quote = st->quote;
	if (st->pending < n)
		st->pending = n;
	st->space = FALSE;
}

static void
write_prefix (HtmlState *st, int depth, gboolean blank)
{
	for (int i = 0; i < depth; i++)
		g_string_append (st->out, blank && i == depth - 1 ? ">" : "> ");
}

static void
flush_breaks (HtmlState *st)
{
	while (st->nl < st->pending) {
		if (st->nl > 0)
			write_prefix (st, MIN (st->pending_quote, st->quote), TRUE);
		g_string_append_c (st->out, '\n');
		st->nl++;
	}
	st->pending = 0;
}

/* A hard line end (<br>, a newline in <pre>): an empty line when repeated. */
static void
hard_break (HtmlState *st)
{
	if (st->at_start)
		return;
	if (st->pending > 0)
		flush_breaks (st);
	if (st->nl > 0)
		write_prefix (st, st->quote, TRUE);
	g_string_append_c (st->out, '\n');
	st->nl++;
	st->space = FALSE;
}

/* Writes LEN bytes of already-laid-out text (no newlines in it). */
static void
put_raw (HtmlState *st, const char *s, gsize len)
{
	if (len == 0 || st->out->len > HTML_MAX_OUT)
		return;
	flush_breaks (st);
	if (AT_LINE_START (st)) {
		write_prefix (st, st->quote, FALSE);
		if (st->bullet) {
			g_string_append (st->out, st->bullet);
			g_clear_pointer (&st->bullet, g_free);
		}
	} else if (st->space) {
		g_string_append_c (st->out, ' ');
	}
	st->nl = 0;
	st->space = FALSE;
	st->at_start = FALSE;
	g_string_append_len (st->out, s, (gssize) len);
}

static gboolean
is_ws (char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Text with white space collapsed. */
static void
put_text (HtmlState *st, const char *s)
{
	const char *p = s;
	while (*p) {
		if (is_ws (*p)) {
			if (!AT_LINE_START (st) && st->pending == 0)
				st->space = TRUE;
			p++;
			continue;
		}
		const char *w = p;
		while (*p && !is_ws (*p))
			p++;
		put_raw (st, w, (gsize) (p - w));
	}
}

/* Text inside <pre>: white space and line breaks kept. */
static void
put_pre (HtmlState *st, const char *s)
{
	const char *p = s;
	while (*p) {
		const char *nl = strchr (p, '\n');
		gsize len = nl ? (gsize) (nl - p) : strlen (p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > 0) {
			if (st->space && !AT_LINE_START (st))
				g_string_append_c (st->out, ' ');
			st->space = FALSE;
			put_raw (st, p, len);
		}
		if (!nl)
			break;
		if (st->at_start) {
			/* keep a leading empty line of a <pre> out */
		} else {
			hard_break (st);
		}
		p = nl + 1;
	}
}

static gboolean
name_is (const xmlNode *n, const char *name)
{
	return n->name && g_ascii_strcasecmp ((const char *) n->name, name) == 0;
}

static gboolean
name_in (const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (name_is (n, *names))
			return TRUE;
	return FALSE;
}

static const char *const dropped[] = {
	"script", "style", "head", "title", "template", "noembed", "object",
	"applet", "iframe", "frame", "frameset", NULL
};
static const char *const paragraph_blocks[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
	"dl", "address", "figure", "fieldset", "form", NULL
};
static const char *const line_blocks[] = {
	"div", "section", "article", "header", "footer", "nav", "aside", "main",
	"center", "tr", "dt", "dd", "caption", "tbody", "thead", "tfoot",
	"li", "ul", "ol", "menu", "dir", "hr", "body", "html", "details",
	"summary", "legend", "figcaption", "option", NULL
};

static char *
node_text (xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent (n);
	char *s = g_strdup (c ? (const char *) c : "");
	xmlFree (c);
	return g_strstrip (s);
}

static void walk (HtmlState *st, xmlNode *n, int depth);

static void
walk_children (HtmlState *st, xmlNode *n, int depth)
{
	for (xmlNode *c = n->children; c; c = c->next)
		walk (st, c, depth + 1);
}

static char *
get_attr (xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp (n, (const xmlChar *) name);
	if (!v)
		return NULL;
	char *s = g_strdup ((const char *) v);
	xmlFree (v);
	g_strstrip (s);
	if (*s == '\0') {
		g_free (s);
		return NULL;
	}
	return s;
}

static void
walk_element (HtmlState *st, xmlNode *n, int depth)
{
	if (name_in (n, dropped))
		return;

	if (name_is (n, "br")) {
		hard_break (st);
		return;
	}
	if (name_is (n, "hr")) {
		want_break (st, 1);
		put_raw (st, "----------", 10);
		want_break (st, 1);
		return;
	}
	if (name_is (n, "img")) {
		char *alt = get_attr (n, "alt");
		char *t = alt ? g_strdup_printf ("[image: %s]", alt) : g_strdup ("[image]");
		put_text (st, t);
		g_free (t);
		g_free (alt);
		return;
	}
	if (name_is (n, "li")) {
		want_break (st, 1);
		GString *bullet = g_string_new (NULL);
		for (int i = 1; i < st->list_depth; i++)
			g_string_append (bullet, "  ");
		xmlNode *parent = n->parent;
		if (parent && name_is (parent, "ol")) {
			int k = 1;
			for (xmlNode *s = parent->children; s && s != n; s = s->next)
				if (s->type == XML_ELEMENT_NODE && name_is (s, "li"))
					k++;
			g_string_append_printf (bullet, "%d. ", k);
		} else {
			g_string_append (bullet, "* ");
		}
		/* Written with the first text of the item (an item holding only
		 * a nested list gets no bullet of its own). */
		g_free (st->bullet);
		st->bullet = g_string_free (bullet, FALSE);
		walk_children (st, n, depth);
		want_break (st, 1);
		return;
	}
	if (name_is (n, "a")) {
		char *href = get_attr (n, "href");
		char *text = node_text (n);
		walk_children (st, n, depth);
		if (href && !g_str_has_prefix (href, "#") &&
		    g_ascii_strncasecmp (href, "javascript:", 11) != 0 &&
		    g_strcmp0 (href, text) != 0) {
			const char *shown = href;
			if (g_ascii_strncasecmp (href, "mailto:", 7) == 0 &&
			    g_strcmp0 (href + 7, text) == 0)
				shown = NULL;
			if (shown) {
				char *t = g_strdup_printf ("[%s]", shown);
				if (*text)
					st->space = TRUE;
				/* A URL is one word: no collapsing inside it. */
				for (char *q = t; *q; q++)
					if (is_ws (*q))
						*q = '_';
				put_raw (st, t, strlen (t));
				g_free (t);
			}
		}
		g_free (text);
		g_free (href);
		return;
	}
	if (name_is (n, "td") || name_is (n, "th")) {
		/* Cells of a row on one line, separated by a space. */
		if (!AT_LINE_START (st))
			st->space = TRUE;
		walk_children (st, n, depth);
		if (!AT_LINE_START (st))
			st->space = TRUE;
		return;
	}

	gboolean para = name_in (n, paragraph_blocks);
	gboolean line = !para && name_in (n, line_blocks);
	gboolean is_quote = name_is (n, "blockquote");
	gboolean is_pre = name_is (n, "pre");
	gboolean is_list = name_is (n, "ul") || name_is (n, "ol") || name_is (n, "menu") || name_is (n, "dir");

	if (para)
		want_break (st, st->list_depth > 0 ? 1 : 2);
	else if (line)
		want_break (st, 1);
	if (is_quote)
		st->quote++;
	if (is_pre)
		st->pre++;
	if (is_list) {
		if (st->list_depth == 0)
			want_break (st, 2);
		st->list_depth++;
	}

	walk_children (st, n, depth);

	if (is_list)
		st->list_depth--;
	if (is_pre)
		st->pre--;
	if (is_quote) {
		want_break (st, 1);
		st->quote--;
	}
	if (para || (is_list && st->list_depth == 0))
		want_break (st, 2);
	else if (line)
		want_break (st, 1);
}

static void
walk (HtmlState *st, xmlNode *n, int depth)
{
	if (depth > HTML_MAX_DEPTH || st->out->len > HTML_MAX_OUT)
		return;
	switch (n->type) {
	case XML_ELEMENT_NODE:
		walk_element (st, n, depth);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content) {
			if (st->pre)
				put_pre (st, (const char *) n->content);
			else
				put_text (st, (const char *) n->content);
		}
		break;
	case XML_ENTITY_REF_NODE:
		walk_children (st, n, depth);
		break;
	default:
		break;	/* comments, processing instructions, DTDs */
	}
}

void
trawl_html_init (void)
{
	xmlInitParser ();
}

char *
trawl_html_to_text (const char *html, gsize len)
{
	if (html == NULL || len == 0)
		return g_strdup ("");
	if (len > G_MAXINT)
		len = G_MAXINT;

	htmlDocPtr doc = htmlReadMemory (html, (int) len, NULL, "UTF-8",
					 HTML_PARSE_NONET | HTML_PARSE_NOERROR |
					 HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	if (doc == NULL)
		return g_strdup ("");

	HtmlState st = { 0 };
	st.out = g_string_sized_new (len / 2 + 16);
	st.at_start = TRUE;

	xmlNode *root = xmlDocGetRootElement (doc);
	if (root)
		walk (&st, root, 0);
	xmlFreeDoc (doc);
	g_free (st.bullet);

	/* No trailing blank lines. */
	while (st.out->len > 0 && (st.out->str[st.out->len - 1] == '\n' ||
				   st.out->str[st.out->len - 1] == ' '))
		g_string_truncate (st.out, st.out->len - 1);
	return g_string_free (st.out, FALSE);
}
