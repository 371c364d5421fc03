/* find.c — smart-case, UTF-8 aware, non-overlapping hits in display lines
 * (trawl/find.h). */
#include "config.h"

#include <string.h>

#include "trawl/find.h"

gboolean
trawl_find_case_sensitive (const char *pattern)
{
	for (const char *p = pattern; p && *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char_validated (p, -1);
		if (c == (gunichar) -1 || c == (gunichar) -2)
			return FALSE;
		if (g_unichar_isupper (c) || g_unichar_istitle (c))
			return TRUE;
	}
	return FALSE;
}

/* The character at P (at most END), lowercased; *LEN its bytes.  A byte
 * that starts no valid character stands for itself (never equal to a
 * character: it is offset past Unicode). */
static gunichar
char_at (const char *p, const char *end, gsize *len)
{
	gunichar c = g_utf8_get_char_validated (p, end - p);
	if (c == (gunichar) -1 || c == (gunichar) -2) {
		*len = 1;
		return 0x110000 + (guchar) *p;
	}
	*len = g_utf8_next_char (p) - p;
	return g_unichar_tolower (c);
}

static void
hits_in_line (GArray *hits, guint line, const char *text, const char *pattern, gsize plen,
	      const gunichar *folded, guint nfolded, gboolean sensitive)
{
	gsize tlen = strlen (text);
	const char *end = text + tlen;
	if (sensitive) {
		/* Bytes: a valid UTF-8 pattern can only match at a character's start. */
		const char *p = text;
		while (p + plen <= end) {
			const char *h = strstr (p, pattern);	/* lines hold no NUL */
			if (!h)
				break;
			TrawlFindHit hit = { line, h - text, h - text + plen };
			g_array_append_val (hits, hit);
			p = h + plen;
		}
		return;
	}
	const char *p = text;
	while (p < end) {
		const char *q = p;
		guint k = 0;
		while (k < nfolded && q < end) {
			gsize n;
			if (char_at (q, end, &n) != folded[k])
				break;
			q += n;
			k++;
		}
		if (k == nfolded) {
			TrawlFindHit hit = { line, p - text, q - text };
			g_array_append_val (hits, hit);
			p = q;
		} else {
			gsize n;
			char_at (p, end, &n);
			p += n;
		}
	}
}

GArray *
trawl_find_hits_in (guint n, TrawlFindLineFunc get, gpointer data, const char *pattern)
{
	GArray *hits = g_array_new (FALSE, FALSE, sizeof (TrawlFindHit));
	if (!pattern || !*pattern)
		return hits;
	gboolean sensitive = trawl_find_case_sensitive (pattern);
	gsize plen = strlen (pattern);
	g_autoptr (GArray) folded = g_array_new (FALSE, FALSE, sizeof (gunichar));
	for (const char *p = pattern; *p;) {
		gsize len;
		gunichar c = char_at (p, pattern + plen, &len);
		g_array_append_val (folded, c);
		p += len;
	}
	for (guint i = 0; i < n; i++) {
		const char *text = get (data, i);
		if (text && *text)
			hits_in_line (hits, i, text, pattern, plen, (const gunichar *) folded->data, folded->len,
				      sensitive);
	}
	return hits;
}

static const char *
array_line (gpointer data, guint i)
{
	return ((const char *const *) data)[i];
}

GArray *
trawl_find_hits (const char *const *lines, guint n, const char *pattern)
{
	return trawl_find_hits_in (n, array_line, (gpointer) lines, pattern);
}

guint
trawl_find_first_from (const GArray *hits, guint line)
{
	guint lo = 0, hi = hits->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index (hits, TrawlFindHit, mid).line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
