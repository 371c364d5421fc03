/* queryterms.c — the free-text terms of a notmuch query and their places in
 * display lines (trawl/queryterms.h). */
#include "config.h"

#include <string.h>

#include "trawl/queryterms.h"

/* Whether Xapian stems WORD (STEM_SOME, in its query parser and, on the
 * lowercased word, in its term generator): when its first character is a
 * lowercase, titlecase, modifier or other letter; not an uppercase one
 * (a capitalised query word is searched as written), not a digit. */
static gboolean
stemmed (const char *word)
{
	switch (g_unichar_type (g_utf8_get_char (word))) {
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
		return TRUE;
	default:
		return FALSE;
	}
}

/* WORD (a word of words_of) as Xapian makes it a term: lowercased
 * character by character (Xapian::Unicode::tolower, no special casing),
 * the apostrophes U+2019 and U+201B as ', the zero-width characters
 * dropped. */
static char *
lower_of (const char *word)
{
	GString *s = g_string_sized_new (strlen (word));
	for (const char *p = word; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (c == 0x2019 || c == 0x201b)
			c = '\'';
		else if ((c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff)
			continue;
		g_string_append_unichar (s, g_unichar_tolower (c));
	}
	return g_string_free (s, FALSE);
}

/* The next character of TEXT at P, or 0 at its end or at invalid UTF-8. */
static gunichar
char_at (const char *p)
{
	gunichar c = g_utf8_get_char_validated (p, -1);
	return c == (gunichar) -1 || c == (gunichar) -2 ? 0 : c;
}

/* A character of a word, for Xapian's term generator and query parser:
 * letters, marks, numbers, connector punctuation (foo_bar is one word). */
static gboolean
is_wordchar (gunichar c)
{
	switch (g_unichar_type (c)) {
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_ENCLOSING_MARK:
	case G_UNICODE_SPACING_MARK:
	case G_UNICODE_DECIMAL_NUMBER:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_OTHER_NUMBER:
	case G_UNICODE_CONNECT_PUNCTUATION:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Xapian's infixes: between two word characters, an apostrophe (don't,
 * don’t), & (AT&T), a middle dot and the like stay in the word, as do
 * the zero-width characters; between two digits, a comma, a full stop or
 * a semicolon (1,000; 3.14). */
static gboolean
is_infix (gunichar c)
{
	return c == '\'' || c == '&' || c == 0xb7 || c == 0x5f4 || c == 0x2027 || c == 0x2019 ||
	       c == 0x201b || (c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff;
}

static gboolean
is_infix_digit (gunichar c)
{
	return c == ',' || c == '.' || c == ';' || c == 0x37e || c == 0x589 || c == 0x60d ||
	       c == 0x7f8 || c == 0x2044 || c == 0xfe10 || c == 0xfe13 || c == 0xfe14;
}

/* The words of TEXT, as written, as Xapian splits text into terms: runs of
 * word characters joined by infixes, with up to three trailing + or #
 * (C++, C#); their byte ranges into STARTS/ENDS when given. */
static GPtrArray *
words_of (const char *text, GArray *starts, GArray *ends)
{
	GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
	const char *p = text;
	while (*p) {
		gunichar c = char_at (p);
		if (!c) {
			p++;
			continue;
		}
		if (!is_wordchar (c)) {
			p = g_utf8_next_char (p);
			continue;
		}
		const char *s = p;
		gunichar prev = c;
		p = g_utf8_next_char (p);
		for (;;) {
			gunichar d = char_at (p);
			if (d && is_wordchar (d)) {
				prev = d;
				p = g_utf8_next_char (p);
				continue;
			}
			if (!d)
				break;
			const char *q = g_utf8_next_char (p);
			gunichar e = char_at (q);
			if (e && ((is_infix (d) && is_wordchar (e)) ||
				  (is_infix_digit (d) && g_unichar_isdigit (prev) && g_unichar_isdigit (e)))) {
				p = q;
				continue;
			}
			break;
		}
		/* C++, C#: up to three, then no word character. */
		const char *q = p;
		while ((*q == '+' || *q == '#') && q - p <= 3)
			q++;
		if (q > p && q - p <= 3 && !(char_at (q) && is_wordchar (char_at (q))))
			p = q;
		g_ptr_array_add (words, g_strndup (s, p - s));
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

/* Calls ADD with each free-text token (quotes and stars stripped) of QUERY,
 * saying whether it was quoted and whether it ended in a star (a
 * wildcard: foo*). */
typedef void (*TokenFunc) (const char *text, gboolean quoted, gboolean wildcard, gpointer data);

static void
each_free_token (const char *query, TokenFunc add, gpointer data)
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
		gsize len = strlen (t);
		add (text->str, strchr (t, '"') != NULL, len > 1 && t[len - 1] == '*', data);
		g_string_free (text, TRUE);
	}
}

/* A term's words, each as it is searched (the Xapian query parser's
 * STEM_SOME): "Z" and the stem for a word that is stemmed (any word form
 * with that stem matches); the lowercased word for one that is not (a
 * capitalised word, a word starting with a digit, every word of a phrase:
 * only that word matches, in any case); the lowercased word and a star for
 * a wildcard (foo*: words starting with foo). */
static void
add_term (const char *text, gboolean quoted, gboolean wildcard, gpointer data)
{
	GPtrArray *terms = data;
	g_autoptr (GPtrArray) words = words_of (text, NULL, NULL);
	if (!words->len)
		return;
	gboolean phrase = quoted || words->len > 1;
	GStrv keys = g_new0 (char *, words->len + 1);
	for (guint k = 0; k < words->len; k++) {
		const char *w = words->pdata[k];
		if (phrase) {
			keys[k] = lower_of (w);
		} else if (wildcard) {
			g_autofree char *l = lower_of (w);
			keys[k] = g_strconcat (l, "*", NULL);
		} else if (stemmed (w)) {
			g_autofree char *l = lower_of (w);
			g_autofree char *stem = trawl_stem (l);
			keys[k] = g_strconcat ("Z", stem, NULL);
		} else {
			keys[k] = lower_of (w);
		}
	}
	for (guint i = 0; i < terms->len; i++) {
		if (g_strv_equal (terms->pdata[i], (const char *const *) keys)) {
			g_strfreev (keys);
			return;
		}
	}
	g_ptr_array_add (terms, keys);
}

GPtrArray *
trawl_query_terms (const char *query)
{
	GPtrArray *terms = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	each_free_token (query, add_term, terms);
	return terms;
}

static void
add_text (const char *text, gboolean quoted, gboolean wildcard, gpointer data)
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

/* A word of a line: lowercased, and its stem when a term asks (NULL until
 * then; "" when Xapian's term generator indexes no stem for it), owned by
 * the call's table of stems: a message repeats its words, each distinct
 * word is stemmed once. */
typedef struct {
	char *lower;
	const char *stem;
} LineWord;

/* Xapian's term generator leaves out words longer than this (bytes). */
#define MAX_WORD_LENGTH 64

static gboolean
key_matches (const char *key, LineWord *w, GHashTable *stems)
{
	if (strlen (w->lower) > MAX_WORD_LENGTH)
		return FALSE;
	if (key[0] == 'Z') {
		if (!w->stem) {
			w->stem = g_hash_table_lookup (stems, w->lower);
			if (!w->stem) {
				char *stem = stemmed (w->lower) ? trawl_stem (w->lower) : g_strdup ("");
				g_hash_table_insert (stems, g_strdup (w->lower), stem);
				w->stem = stem;
			}
		}
		return *w->stem && strcmp (key + 1, w->stem) == 0;
	}
	gsize n = strlen (key);
	if (n && key[n - 1] == '*')
		return strncmp (key, w->lower, n - 1) == 0;
	return strcmp (key, w->lower) == 0;
}

GArray *
trawl_query_terms_hits (GPtrArray *terms, guint n, TrawlFindLineFunc get, gpointer data)
{
	GArray *hits = g_array_new (FALSE, FALSE, sizeof (TrawlFindHit));
	if (!terms || !terms->len)
		return hits;
	g_autoptr (GHashTable) stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < n; i++) {
		const char *text = get (data, i);
		if (!text || !*text)
			continue;
		g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
		g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
		g_autoptr (GPtrArray) written = words_of (text, starts, ends);
		LineWord *words = g_new0 (LineWord, written->len);
		for (guint w = 0; w < written->len; w++)
			words[w].lower = lower_of (written->pdata[w]);
		for (guint w = 0; w < written->len;) {
			guint took = 0;
			for (guint t = 0; t < terms->len && !took; t++) {
				GStrv keys = terms->pdata[t];
				guint k = 0;
				while (keys[k] && w + k < written->len && key_matches (keys[k], &words[w + k], stems))
					k++;
				if (!keys[k])
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
		for (guint w = 0; w < written->len; w++)
			g_free (words[w].lower);
		g_free (words);
	}
	return hits;
}
