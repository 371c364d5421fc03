/* received.c — one Received header into its parts (from, by, with, ...,
 * date), and the delays along a chain of them (include/trawl/provenance.h).
 * Tolerant: what does not parse is kept raw and flagged, never dropped. */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "trawl/provenance.h"

/* VALUE unfolded, blanks collapsed to single spaces, trimmed. */
static char *
collapse (const char *value, gssize len)
{
	GString *s = g_string_new (NULL);
	gboolean blank = FALSE;
	for (const char *c = value; len < 0 ? *c : c < value + len; c++) {
		if (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n') {
			blank = s->len > 0;
			continue;
		}
		if (blank)
			g_string_append_c (s, ' ');
		blank = FALSE;
		g_string_append_c (s, *c);
	}
	return g_string_free (s, FALSE);
}

static const char *const keywords[] = { "from", "by", "via", "with", "id", "for", NULL };

static int
keyword (const char *w, gsize len)
{
	for (int i = 0; keywords[i]; i++)
		if (strlen (keywords[i]) == len && g_ascii_strncasecmp (w, keywords[i], len) == 0)
			return i;
	return -1;
}

/* The next item of S from *POS: a parenthesised comment (nested, with
 * backslash escapes; an unclosed one runs to the end), an angle address or
 * a word.  Returns its length (0 at the end); *START, where it starts. */
static gsize
next_item (const char *s, gsize *pos, gsize *start, gboolean *comment)
{
	gsize i = *pos;
	while (s[i] == ' ')
		i++;
	*start = i;
	*comment = s[i] == '(';
	if (!s[i]) {
		*pos = i;
		return 0;
	}
	if (s[i] == '(') {
		int depth = 0;
		for (; s[i]; i++) {
			if (s[i] == '\\' && s[i + 1]) {
				i++;
				continue;
			}
			if (s[i] == '(')
				depth++;
			else if (s[i] == ')' && --depth == 0) {
				i++;
				break;
			}
		}
	} else {
		while (s[i] && s[i] != ' ' && s[i] != '(')
			i++;
	}
	*pos = i;
	return i - *start;
}

TrawlReceivedHop *
trawl_received_parse (const char *value)
{
	TrawlReceivedHop *h = g_new0 (TrawlReceivedHop, 1);
	h->raw = collapse (value ? value : "", -1);
	/* The date follows the last ';' (none in the parts before it may
	 * hide in a comment: a ';' inside parentheses is not the separator). */
	const char *s = h->raw;
	gssize semi = -1;
	int depth = 0;
	for (gsize i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (s[i] == ';' && depth == 0)
			semi = (gssize) i;
	}
	g_autofree char *head = semi >= 0 ? g_strndup (s, semi) : g_strdup (s);
	if (semi >= 0) {
		h->date = collapse (s + semi + 1, -1);
		GDateTime *dt = *h->date ? g_mime_utils_header_decode_date (h->date) : NULL;
		if (dt) {
			h->has_time = TRUE;
			h->time = g_date_time_to_unix (dt);
			g_date_time_unref (dt);
		} else {
			h->flags |= TRAWL_HOP_BAD_DATE;
		}
	} else {
		h->flags |= TRAWL_HOP_NO_DATE;
	}

	/* The clauses: KEYWORD value [comments...] up to the next keyword. */
	char **field[] = { &h->from, &h->by, &h->via, &h->with, &h->id, &h->for_ };
	gsize pos = 0, start, len;
	gboolean comment;
	int cur = -1;
	gsize value_start = 0;
	gboolean any = FALSE, bad = FALSE;
	GString *note = NULL;
	while ((len = next_item (head, &pos, &start, &comment))) {
		int k = comment ? -1 : keyword (head + start, len);
		if (k >= 0 && *field[k] == NULL) {
			if (cur >= 0) {
				*field[cur] = collapse (head + value_start, start - value_start);
				if (!**field[cur])
					bad = TRUE;
			}
			cur = k;
			value_start = pos;
			any = TRUE;
			continue;
		}
		if (cur < 0) {
			/* Before the first keyword only comments may come (qmail). */
			if (!comment) {
				bad = TRUE;
				break;
			}
			if (!note)
				note = g_string_new (NULL);
			else
				g_string_append_c (note, ' ');
			g_string_append_len (note, head + start, len);
		}
	}
	if (!bad && cur >= 0) {
		*field[cur] = collapse (head + value_start, -1);
		if (!**field[cur])
			bad = TRUE;
	}
	if (note)
		h->note = g_string_free (note, FALSE);
	if (bad || (!any && !h->note)) {
		for (guint i = 0; i < G_N_ELEMENTS (field); i++)
			g_clear_pointer (field[i], g_free);
		g_clear_pointer (&h->note, g_free);
		h->flags |= TRAWL_HOP_UNPARSED;
	}
	return h;
}

void
trawl_received_chain (GPtrArray *hops)
{
	const TrawlReceivedHop *prev = NULL;
	for (guint i = 0; i < hops->len; i++) {
		TrawlReceivedHop *h = hops->pdata[i];
		h->has_delay = FALSE;
		h->flags &= ~(guint) (TRAWL_HOP_NEGATIVE | TRAWL_HOP_SLOW);
		if (!h->has_time)
			continue;
		if (prev) {
			h->has_delay = TRUE;
			h->delay = h->time - prev->time;
			if (h->delay < 0)
				h->flags |= TRAWL_HOP_NEGATIVE;
			else if (h->delay > TRAWL_HOP_MAX_DELAY)
				h->flags |= TRAWL_HOP_SLOW;
		}
		prev = h;
	}
}
