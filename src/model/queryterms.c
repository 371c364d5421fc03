/* queryterms.c — the free-text terms of a notmuch query and their places in
 * display lines (trawl/queryterms.h). */
#include "config.h"

#include <string.h>

#include "trawl/queryterms.h"

static gboolean
is_vowel (char c)
{
	return strchr ("aeiouy", c) != NULL;
}

static gboolean
has_vowel (const char *s, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (is_vowel (s[i]))
			return TRUE;
	return FALSE;
}

char *
trawl_stem (const char *word)
{
	char *w = g_utf8_strdown (word, -1);
	gsize n = strlen (w);
	/* Only plain ASCII words are stripped: other scripts compare whole. */
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalpha (w[i]))
			return w;
	if (n <= 3)
		return w;
	if (g_str_has_suffix (w, "sses"))
		n -= 2;
	else if (g_str_has_suffix (w, "ies"))
		w[n - 3] = 'y', n -= 2;
	else if (w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
		n -= 1;
	w[n] = '\0';
	gboolean stripped = FALSE;
	if (n > 5 && g_str_has_suffix (w, "ing") && has_vowel (w, n - 3))
		n -= 3, stripped = TRUE;
	else if (n > 4 && g_str_has_suffix (w, "ed") && has_vowel (w, n - 2))
		n -= 2, stripped = TRUE;
	else if (n > 4 && g_str_has_suffix (w, "ly"))
		n -= 2;
	w[n] = '\0';
	/* running -> runn -> run; but not fall, miss, buzz. */
	if (stripped && n >= 2 && w[n - 1] == w[n - 2] && !is_vowel (w[n - 1]) && !strchr ("lsz", w[n - 1]))
		n--;
	/* hope, hoping: the final e goes on both. */
	if (n > 3 && w[n - 1] == 'e')
		n--;
	w[n] = '\0';
	return w;
}

/* The words of TEXT: maximal runs of letters and digits; their byte
 * ranges into STARTS/ENDS when given. */
static GPtrArray *
words_of (const char *text, GArray *starts, GArray *ends)
{
	GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
	const char *p = text;
	while (*p) {
		gunichar c = g_utf8_get_char_validated (p, -1);
		if (c == (gunichar) -1 || c == (gunichar) -2) {
			p++;
			continue;
		}
		if (!g_unichar_isalnum (c)) {
			p = g_utf8_next_char (p);
			continue;
		}
		const char *s = p;
		while (*p) {
			gunichar d = g_utf8_get_char_validated (p, -1);
			if (d == (gunichar) -1 || d == (gunichar) -2 || !g_unichar_isalnum (d))
				break;
			p = g_utf8_next_char (p);
		}
		g_autofree char *word = g_strndup (s, p - s);
		g_ptr_array_add (words, trawl_stem (word));
		if (starts) {
			gsize a = s - text, b = p - text;
			g_array_append_val (starts, a);
			g_array_append_val (ends, b);
		}
	}
	return words;
}

static const char *const operators[] = { "and", "or", "not", "xor", "near", "adj", NULL };

/* The query's tokens: runs of non-blanks, a quoted part kept whole (with
 * its quotes). */
static GPtrArray *
tokens_of (const char *query)
{
	GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
	const char *p = query;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		GString *t = g_string_new (NULL);
		gboolean quoted = FALSE;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			g_string_append_c (t, *p++);
		}
		g_ptr_array_add (tokens, g_string_free (t, FALSE));
	}
	return tokens;
}

/* Calls ADD with each free-text token (quotes stripped) of QUERY. */
static void
each_free_token (const char *query, void (*add) (const char *text, gpointer data), gpointer data)
{
	g_autoptr (GPtrArray) tokens = tokens_of (query ? query : "");
	gboolean skip_next = FALSE;
	for (guint i = 0; i < tokens->len; i++) {
		char *t = tokens->pdata[i];
		/* Parentheses group; they are not text. */
		while (*t == '(')
			t++;
		gsize n = strlen (t);
		while (n > 0 && t[n - 1] == ')' && !(n > 1 && t[n - 2] == '"'))
			t[--n] = '\0';
		if (!*t)
			continue;
		if (skip_next) {
			skip_next = FALSE;
			continue;
		}
		g_autofree char *lower = g_ascii_strdown (t, -1);
		if (g_strv_contains (operators, lower)) {
			if (strcmp (lower, "not") == 0)
				skip_next = TRUE;
			continue;
		}
		if (*t == '-')
			continue;	/* negated */
		if (*t == '+')
			t++;
		/* prefix:value (from:, tag:, date:, id:, a user's own prefixes) */
		const char *colon = strchr (t, ':');
		const char *quote = strchr (t, '"');
		if (colon && (!quote || colon < quote))
			continue;
		GString *text = g_string_new (NULL);
		for (const char *c = t; *c; c++)
			if (*c != '"' && *c != '*')
				g_string_append_c (text, *c);
		add (text->str, data);
		g_string_free (text, TRUE);
	}
}

static void
add_term (const char *text, gpointer data)
{
	GPtrArray *terms = data;
	g_autoptr (GPtrArray) words = words_of (text, NULL, NULL);
	if (!words->len)
		return;
	for (guint i = 0; i < terms->len; i++) {
		GStrv have = terms->pdata[i];
		if (g_strv_length (have) != words->len)
			continue;
		gboolean same = TRUE;
		for (guint k = 0; k < words->len && same; k++)
			same = strcmp (have[k], words->pdata[k]) == 0;
		if (same)
			return;
	}
	GStrv stems = g_new0 (char *, words->len + 1);
	for (guint k = 0; k < words->len; k++)
		stems[k] = g_strdup (words->pdata[k]);
	g_ptr_array_add (terms, stems);
}

GPtrArray *
trawl_query_terms (const char *query)
{
	GPtrArray *terms = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	each_free_token (query, add_term, terms);
	return terms;
}

static void
add_text (const char *text, gpointer data)
{
	GString *s = data;
	if (!*text)
		return;
	if (s->len)
		g_string_append (s, ", ");
	gboolean phrase = strpbrk (text, " -") != NULL;
	g_string_append_printf (s, phrase ? "\"%s\"" : "%s", text);
}

char *
trawl_query_terms_text (const char *query)
{
	GString *s = g_string_new (NULL);
	each_free_token (query, add_text, s);
	return g_string_free (s, FALSE);
}

GArray *
trawl_query_terms_hits (GPtrArray *terms, guint n, TrawlFindLineFunc get, gpointer data)
{
	GArray *hits = g_array_new (FALSE, FALSE, sizeof (TrawlFindHit));
	if (!terms || !terms->len)
		return hits;
	for (guint i = 0; i < n; i++) {
		const char *text = get (data, i);
		if (!text || !*text)
			continue;
		g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
		g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
		g_autoptr (GPtrArray) words = words_of (text, starts, ends);
		for (guint w = 0; w < words->len;) {
			guint took = 0;
			for (guint t = 0; t < terms->len && !took; t++) {
				GStrv stems = terms->pdata[t];
				guint k = 0;
				while (stems[k] && w + k < words->len && strcmp (stems[k], words->pdata[w + k]) == 0)
					k++;
				if (!stems[k])
					took = k;
			}
			if (took) {
				TrawlFindHit hit = { i, g_array_index (starts, gsize, w),
						     g_array_index (ends, gsize, w + took - 1) };
				g_array_append_val (hits, hit);
				w += took;
			} else {
				w++;
			}
		}
	}
	return hits;
}
