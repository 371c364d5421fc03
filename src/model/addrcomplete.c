/* addrcomplete.c — from:/to: completion by display name or address, ranked
 * by message count (trawl/complete.h).
 *
 * Why a bounded notmuch query and not the shape index: the shape index
 * (shape.c) is built for one query in a background thread and is O(archive)
 * the first time; the prompt is modal and completes on Tab only, so a
 * query for the words starting with what was typed, read for its newest
 * LIMIT messages, costs O(LIMIT) per Tab whatever the archive holds, and is
 * always ready. */
#include "config.h"

#include <string.h>

#include "trawl/complete.h"
#include "trawl/mime.h"

void
trawl_addr_candidate_free (TrawlAddrCandidate *c)
{
	if (!c)
		return;
	g_free (c->name);
	g_free (c->addr);
	g_free (c);
}

/* Does a word of S (split at anything not a letter or digit) start with P
 * (lower case)? */
static gboolean
word_starts (const char *s, const char *p)
{
	if (!s || !*p)
		return FALSE;
	g_autofree char *low = g_utf8_strdown (s, -1);
	gsize n = strlen (p);
	gboolean at_start = TRUE;
	for (const char *c = low; *c; c = g_utf8_next_char (c)) {
		gunichar u = g_utf8_get_char (c);
		gboolean word = g_unichar_isalnum (u);
		if (word && at_start && strncmp (c, p, n) == 0)
			return TRUE;
		at_start = !word;
	}
	return FALSE;
}

gboolean
trawl_addr_matches (const char *name, const char *addr, const char *partial)
{
	g_autofree char *p = g_utf8_strdown (partial ? partial : "", -1);
	if (!*p)
		return TRUE;
	if (addr && g_str_has_prefix (addr, p))
		return TRUE;
	return word_starts (name, p) || word_starts (addr, p);
}

GHashTable *
trawl_addr_table_new (void)
{
	return g_hash_table_new (g_str_hash, g_str_equal);
}

typedef struct {
	GHashTable *table;
	const char *partial;
	GHashTable *this_value;	/* addresses already counted for this value */
} CountCtx;

static void
count_one (int kind, const char *name, const char *addr, gpointer data)
{
	(void) kind;
	CountCtx *ctx = data;
	if (!addr || !*addr || !trawl_addr_matches (name, addr, ctx->partial))
		return;
	if (!g_hash_table_add (ctx->this_value, g_strdup (addr)))
		return;
	TrawlAddrCandidate *c = g_hash_table_lookup (ctx->table, addr);
	if (!c) {
		c = g_new0 (TrawlAddrCandidate, 1);
		c->addr = g_strdup (addr);
		g_hash_table_insert (ctx->table, c->addr, c);
	}
	if (!c->name && name && *name)
		c->name = g_strdup (name);
	c->count++;
}

void
trawl_addr_count (GHashTable *table, const char *value, const char *partial)
{
	if (!value)
		return;
	g_autofree char *head = g_strdup_printf ("From: %s\n\n", value);
	CountCtx ctx = { table, partial, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
	trawl_mime_header_mailboxes (head, strlen (head), count_one, &ctx);
	g_hash_table_destroy (ctx.this_value);
}

static int
by_count (gconstpointer a, gconstpointer b)
{
	const TrawlAddrCandidate *x = *(TrawlAddrCandidate **) a, *y = *(TrawlAddrCandidate **) b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp (x->addr, y->addr);
}

GPtrArray *
trawl_addr_ranked (GHashTable *table)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_addr_candidate_free);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init (&it, table);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_ptr_array_add (out, v);
	g_ptr_array_sort (out, by_count);
	return out;
}

GPtrArray *
trawl_address_candidates (TrawlDb *db, const char *field, const char *partial, guint limit, guint *sampled)
{
	g_autoptr (GPtrArray) values = trawl_db_header_values (db, field, partial, limit);
	if (sampled)
		*sampled = values->len;
	GHashTable *table = trawl_addr_table_new ();
	for (guint i = 0; i < values->len; i++)
		trawl_addr_count (table, values->pdata[i], partial);
	GPtrArray *out = trawl_addr_ranked (table);
	g_hash_table_destroy (table);
	return out;
}

char *
trawl_addr_candidate_text (const TrawlAddrCandidate *c)
{
	if (c->name)
		return g_strdup_printf ("%s <%s> (%u)", c->name, c->addr, c->count);
	return g_strdup_printf ("%s (%u)", c->addr, c->count);
}
