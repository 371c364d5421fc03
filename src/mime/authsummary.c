/* authsummary.c — Authentication-Results, ARC-* and DKIM-Signature headers
 * summarised in one line each: domains, selectors, algorithms and results
 * as written (include/trawl/provenance.h).  The "tag=value;" lists are read
 * tolerantly: a piece that is not tag=value is shown as malformed. */
#include "config.h"

#include <string.h>

#include "trawl/provenance.h"

/* S with runs of blanks (folding included) as one space, trimmed. */
static char *
squeeze (const char *s)
{
	GString *o = g_string_new (NULL);
	gboolean blank = FALSE;
	for (; *s; s++) {
		if (g_ascii_isspace (*s)) {
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

/* S without its parenthesised comments (RFC 8601 allows them anywhere). */
static char *
uncomment (const char *s)
{
	GString *o = g_string_new (NULL);
	int depth = 0;
	for (; *s; s++) {
		if (*s == '\\' && s[1] && depth) {
			s++;
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (!depth)
			g_string_append_c (o, *s);
	}
	char *r = squeeze (o->str);
	g_string_free (o, TRUE);
	return r;
}

static gboolean
tag_name_ok (const char *s, gsize len)
{
	if (!len)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum (s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return FALSE;
	return TRUE;
}

/* DKIM-style "t=v; t=v" -> the wanted tags' values, in WANT order, then
 * the malformed pieces. */
static TrawlAuthSummary *
tag_list (const char *name, const char *value, const char *const *want)
{
	TrawlAuthSummary *a = g_new0 (TrawlAuthSummary, 1);
	a->header = g_strdup (name);
	g_auto (GStrv) parts = g_strsplit (value, ";", -1);
	g_autoptr (GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	GString *bad = g_string_new (NULL);
	for (guint i = 0; parts[i]; i++) {
		g_autofree char *p = squeeze (parts[i]);
		if (!*p)
			continue;
		const char *eq = strchr (p, '=');
		g_autofree char *tn = eq ? g_strstrip (g_strndup (p, eq - p)) : NULL;
		if (!eq || !tag_name_ok (tn, strlen (tn))) {
			a->malformed++;
			g_string_append_printf (bad, " malformed: \"%s\"", p);
			continue;
		}
		if (!g_hash_table_contains (tags, tn))
			g_hash_table_insert (tags, g_strdup (tn), g_strstrip (g_strdup (eq + 1)));
	}
	GString *s = g_string_new (NULL);
	for (guint i = 0; want[i]; i++) {
		const char *v = g_hash_table_lookup (tags, want[i]);
		g_string_append_printf (s, "%s%s=%s", s->len ? " " : "", want[i], v ? v : "(none)");
	}
	g_string_append (s, bad->str);
	g_string_free (bad, TRUE);
	a->summary = g_string_free (s, FALSE);
	return a;
}

/* Authentication-Results (ARC's: "i=N;" first): the authserv-id, then each
 * method's result with its properties, comments dropped. */
static TrawlAuthSummary *
results (const char *name, const char *value, gboolean arc)
{
	TrawlAuthSummary *a = g_new0 (TrawlAuthSummary, 1);
	a->header = g_strdup (name);
	g_autofree char *plain = uncomment (value);
	g_auto (GStrv) parts = g_strsplit (plain, ";", -1);
	GString *s = g_string_new (NULL);
	guint i = 0;
	if (arc) {
		g_autofree char *p = parts[0] ? squeeze (parts[0]) : g_strdup ("");
		if (g_str_has_prefix (p, "i=")) {
			g_string_append_printf (s, "%s ", p);
			i++;
		}
	}
	g_autofree char *id = parts[i] ? squeeze (parts[i]) : g_strdup ("");
	if (parts[i])
		i++;
	/* The authserv-id, maybe with a version after it. */
	g_string_append_printf (s, "%s:", *id ? id : "(no authserv-id)");
	gboolean any = FALSE;
	for (; parts[i]; i++) {
		g_autofree char *p = squeeze (parts[i]);
		if (!*p)
			continue;
		if (g_ascii_strcasecmp (p, "none") == 0) {
			g_string_append (s, " none");
			any = TRUE;
			continue;
		}
		const char *eq = strchr (p, '=');
		gsize nl = eq ? (gsize) (eq - p) : 0;
		if (!eq || !tag_name_ok (p, nl)) {
			a->malformed++;
			g_string_append_printf (s, "%s malformed: \"%s\"", any ? ";" : "", p);
			any = TRUE;
			continue;
		}
		g_string_append_printf (s, "%s %s", any ? ";" : "", p);
		any = TRUE;
	}
	if (!any)
		g_string_append (s, " (no results)");
	a->summary = g_string_free (s, FALSE);
	return a;
}

TrawlAuthSummary *
trawl_auth_summarise (const char *name, const char *value)
{
	static const char *const dkim[] = { "d", "s", "a", NULL };
	static const char *const ams[] = { "i", "d", "s", "a", NULL };
	static const char *const seal[] = { "i", "cv", "d", "s", "a", NULL };
	if (!value)
		value = "";
	if (g_ascii_strcasecmp (name, "DKIM-Signature") == 0)
		return tag_list ("DKIM-Signature", value, dkim);
	if (g_ascii_strcasecmp (name, "ARC-Message-Signature") == 0)
		return tag_list ("ARC-Message-Signature", value, ams);
	if (g_ascii_strcasecmp (name, "ARC-Seal") == 0)
		return tag_list ("ARC-Seal", value, seal);
	if (g_ascii_strcasecmp (name, "Authentication-Results") == 0)
		return results ("Authentication-Results", value, FALSE);
	if (g_ascii_strcasecmp (name, "ARC-Authentication-Results") == 0)
		return results ("ARC-Authentication-Results", value, TRUE);
	return NULL;
}
