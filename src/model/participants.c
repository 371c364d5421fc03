/* participants.c — who wrote in a thread (trawl/participants.h). */
#include "config.h"

#include <string.h>

#include "trawl/participants.h"
#include "trawl/sanitize.h"

char *
trawl_from_display_name (const char *from)
{
	/* "Name <addr>" -> "Name"; a bare address stays. */
	const char *lt = strchr (from, '<');
	g_autofree char *name = lt && lt > from ? g_strndup (from, lt - from) : g_strdup (from);
	g_strstrip (name);
	gsize n = strlen (name);
	if (n > 1 && name[0] == '"' && name[n - 1] == '"') {
		name[n - 1] = '\0';
		return g_strdup (name + 1);
	}
	return *name ? g_steal_pointer (&name) : g_strdup (from);
}

/* The address of FROM, lower-cased: what is between < and >, else all. */
static char *
from_address (const char *from)
{
	const char *lt = strrchr (from, '<');
	const char *gt = lt ? strchr (lt, '>') : NULL;
	g_autofree char *a = lt && gt ? g_strndup (lt + 1, gt - lt - 1) : g_strdup (from);
	g_strstrip (a);
	return g_utf8_strdown (a, -1);
}

static void
participant_free (gpointer p)
{
	TrawlParticipant *x = p;
	g_free (x->name);
	g_free (x->address);
	g_free (x);
}

typedef struct {
	TrawlParticipant *p;
	guint first;		/* the first message it wrote */
} Entry;

static gint
by_messages (gconstpointer a, gconstpointer b)
{
	const Entry *x = *(Entry *const *) a, *y = *(Entry *const *) b;
	if (x->p->messages != y->p->messages)
		return x->p->messages > y->p->messages ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

GPtrArray *
trawl_thread_participants (const TrawlThread *t)
{
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < t->messages->len; i++) {
		const TrawlMessage *m = t->messages->pdata[i];
		const char *from = m->from ? m->from : "";
		g_autofree char *addr = from_address (from);
		Entry *e = g_hash_table_lookup (seen, addr);
		if (!e) {
			e = g_new0 (Entry, 1);
			e->p = g_new0 (TrawlParticipant, 1);
			e->p->address = g_steal_pointer (&addr);
			e->first = i;
			g_hash_table_insert (seen, e->p->address, e);
			g_ptr_array_add (entries, e);
		}
		e->p->messages++;
		/* The first display name that is not the address itself. */
		if (!e->p->name || strcmp (e->p->name, e->p->address) == 0) {
			g_autofree char *name = trawl_from_display_name (from);
			if (*name && (!e->p->name || g_ascii_strcasecmp (name, e->p->address) != 0)) {
				g_free (e->p->name);
				e->p->name = g_steal_pointer (&name);
			}
		}
		if (!e->p->name)
			e->p->name = g_strdup (*e->p->address ? e->p->address : "(no sender)");
	}
	g_ptr_array_sort (entries, by_messages);
	GPtrArray *out = g_ptr_array_new_full (entries->len, participant_free);
	for (guint i = 0; i < entries->len; i++)
		g_ptr_array_add (out, ((Entry *) entries->pdata[i])->p);
	return out;
}

char *
trawl_participants_line (GPtrArray *people, int width)
{
	GString *s = g_string_new (NULL);
	int used = 0;
	guint n = people ? people->len : 0, i;
	for (i = 0; i < n; i++) {
		const TrawlParticipant *p = people->pdata[i];
		g_autofree char *name = trawl_sanitize (p->name, -1);
		g_autofree char *piece = g_strdup_printf ("%s%s (%u)", i ? ", " : "", name, p->messages);
		g_autofree char *more = i + 1 < n ? g_strdup_printf (", +%u more", n - i - 1) : g_strdup ("");
		int w = trawl_text_width (piece);
		if (used + w + trawl_text_width (more) > width) {
			if (i == 0) {
				/* Not even the first whole: as much of it as fits. */
				int room = width - trawl_text_width (more);
				if (room >= 4) {
					int fit = 0;
					gsize b = trawl_text_fit (piece, room, &fit);
					g_string_append_len (s, piece, b);
					g_string_append (s, more);
					return g_string_free (s, FALSE);
				}
			}
			break;
		}
		g_string_append (s, piece);
		used += w;
	}
	if (i < n) {
		g_autofree char *more = g_strdup_printf ("%s+%u more", i ? ", " : "", n - i);
		if (used + trawl_text_width (more) <= width)
			g_string_append (s, more);
	}
	return g_string_free (s, FALSE);
}
