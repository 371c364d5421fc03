/* footer.c — mailing-list footers, found to be folded like long quotes.
 *
 * Mailman appends a block such as
 *
 *     _______________________________________________
 *     usrp-users mailing list
 *     usrp-users@lists.example.com
 *     https://lists.example.com/mailman/listinfo/usrp-users
 *
 * at the end of a text part, or as a text/plain part of its own.  The
 * built-in rule: a line of ten or more '_' (nothing else but white space)
 * followed, within the next eight lines, by one that says "listinfo",
 * "unsubscribe" or "mailing list".  The footer-regex setting adds a rule:
 * a line it matches starts a footer.  Either way the footer runs to the end
 * of the text and is at most MIME_FOOTER_MAX_LINES long (longer, it is text
 * someone wrote, and shown).  Curses-free; textlines.c emits the fold. */
#include "config.h"

#include <string.h>

#include "mime-private.h"

#define MIME_FOOTER_MAX_LINES 15
#define MIME_FOOTER_LOOKAHEAD 8

static gboolean
underscore_rule (const char *line)
{
	guint n = 0;
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p == '_') {
		n++;
		p++;
	}
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return n >= 10 && *p == '\0';
}

static gboolean
says_list (const char *line)
{
	g_autofree char *low = g_utf8_strdown (line, -1);
	return strstr (low, "listinfo") || strstr (low, "unsubscribe") || strstr (low, "mailing list");
}

guint
mime_footer_start (const char *const *lines, const guint *depths, guint n, GRegex *re)
{
	guint from = n > MIME_FOOTER_MAX_LINES ? n - MIME_FOOTER_MAX_LINES : 0;
	for (guint i = from; i < n; i++) {
		if (depths[i] != 0)
			continue;
		if (re && g_regex_match (re, lines[i], 0, NULL))
			return i;
		if (!underscore_rule (lines[i]))
			continue;
		for (guint k = i + 1; k < n && k <= i + MIME_FOOTER_LOOKAHEAD; k++)
			if (says_list (lines[k]))
				return i;
	}
	return n;
}

GRegex *
mime_footer_regex (Ctx *c, guint nest)
{
	if (c->footer_re_tried)
		return c->footer_re;
	c->footer_re_tried = TRUE;
	if (c->o.footer_regex == NULL || c->o.footer_regex[0] == '\0')
		return NULL;
	GError *err = NULL;
	c->footer_re = g_regex_new (c->o.footer_regex, G_REGEX_OPTIMIZE, 0, &err);
	if (c->footer_re == NULL) {
		mime_add_warning (c, nest, "footer-regex '%s' is not a valid regular expression (%s): not used",
				  c->o.footer_regex, err ? err->message : "?");
		g_clear_error (&err);
	}
	return c->footer_re;
}
