/* thread.c — one notmuch thread as a reply tree in display order.
 *
 * notmuch builds the thread from its index (no message file is parsed); we
 * walk its top-level messages and replies depth first, copying what a tree
 * row needs and computing the tree glyphs once, so drawing a row is O(1) and
 * a thread opens in O(n) steps of ours, however deep its replies go. */
#include "config.h"

#include <string.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "model-private.h"

static void
message_free (TrawlMessage *m)
{
	g_free (m->message_id);
	g_free (m->filename);
	g_free (m->from);
	g_free (m->subject);
	g_free (m->tags);
	g_free (m->prefix);
	g_free (m);
}

void
trawl_thread_free (TrawlThread *t)
{
	if (!t)
		return;
	g_ptr_array_unref (t->messages);
	g_free (t->thread_id);
	g_free (t->query);
	g_free (t);
}

/* What walk() copies with: the thread's values read at once (NULL: none),
 * and the database's counters. */
typedef struct {
	GHashTable *values;	/* message id -> TrawlThreadValues * */
	TrawlDbStats *stats;
} Copy;

static TrawlMessage *
copy_message (Copy *c, notmuch_message_t *m, guint depth, int parent)
{
	TrawlMessage *tm = g_new0 (TrawlMessage, 1);
	const char *s;
	s = notmuch_message_get_message_id (m);
	tm->message_id = g_strdup (s ? s : "");
	s = notmuch_message_get_filename (m);
	tm->filename = g_strdup (s ? s : "");
	tm->n_files = notmuch_message_count_files (m);
	/* The date and headers from the value streams (threadvalues.cc)
	 * when they are there: notmuch would give the same, a lookup per
	 * message and value. */
	const TrawlThreadValues *v = c->values ? g_hash_table_lookup (c->values, tm->message_id) : NULL;
	if (v && v->from && v->subject) {
		c->stats->thread_values_batched++;
		tm->date = v->date;
		tm->from = g_strdup (v->from);
		tm->subject = g_strdup (v->subject);
	} else {
		c->stats->thread_values_single++;
		tm->date = notmuch_message_get_date (m);
		s = notmuch_message_get_header (m, "from");
		tm->from = g_strdup (s ? s : "");
		s = notmuch_message_get_header (m, "subject");
		tm->subject = g_strdup (s ? s : "");
	}
	tm->tags = trawl_tags_join (notmuch_message_get_tags (m), &tm->unread);
	notmuch_bool_t match = FALSE;
	notmuch_message_get_flag_st (m, NOTMUCH_MESSAGE_FLAG_MATCH, &match);
	tm->matched = match;
	tm->depth = depth;
	tm->parent = parent;
	return tm;
}

/* Depth first, iteratively: a thread can be thousands of replies deep, and
 * the C stack is not. */
typedef struct {
	notmuch_messages_t *msgs;
	int parent;
	guint depth;
} Frame;

static void
walk (Copy *c, GPtrArray *out, notmuch_messages_t *top, guint64 *steps)
{
	g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (Frame));
	Frame f0 = { top, -1, 0 };
	g_array_append_val (stack, f0);
	while (stack->len) {
		(*steps)++;
		Frame *f = &g_array_index (stack, Frame, stack->len - 1);
		if (!notmuch_messages_valid (f->msgs)) {
			g_array_set_size (stack, stack->len - 1);
			continue;
		}
		notmuch_message_t *m = notmuch_messages_get (f->msgs);
		notmuch_messages_move_to_next (f->msgs);
		TrawlMessage *tm = copy_message (c, m, f->depth, f->parent);
		g_ptr_array_add (out, tm);
		int me = out->len - 1;
		if (f->parent >= 0)
			((TrawlMessage *) out->pdata[f->parent])->n_children++;
		notmuch_messages_t *replies = notmuch_message_get_replies (m);
		if (replies && notmuch_messages_valid (replies)) {
			Frame child = { replies, me, f->depth + 1 };
			g_array_append_val (stack, child);	/* f is invalid from here */
		}
	}
}

#define BAR "│ "
#define GAP "  "

/* Glyphs: for each level above a message (below the top level), "│ " where
 * that ancestor has a later sibling, else "  "; then "├─" or "└─" for the
 * message itself.  Every level keeps its column on every row, so that a
 * bar lines up with the connectors of its replies.  Past
 * TRAWL_TREE_MAX_INDENT the indent stops: a deeper message draws the first
 * TRAWL_TREE_MAX_INDENT - 1 levels (its ancestors' bars, in their columns),
 * its connector in the cap column (the one depth TRAWL_TREE_MAX_INDENT
 * uses), and its depth: "├─[17] ".
 *
 * One pass in display order, parents before their replies: a message's
 * continuation (what its replies draw for the levels down to it) is its
 * parent's plus its own "│ " or "  ", up to TRAWL_TREE_MAX_INDENT - 1
 * levels, the ones a row can show; so each row costs
 * O(TRAWL_TREE_MAX_INDENT), never a walk up its ancestors. */
static void
compute_prefixes (GPtrArray *msgs, guint64 *steps)
{
	guint n = msgs->len;
	/* last[i]: is message i the last child of its parent? */
	g_autofree gboolean *last = g_new0 (gboolean, MAX (n, 1));
	g_autofree int *last_seen = g_new (int, n + 1);	/* per parent (+1 for roots): last child index */
	for (guint i = 0; i <= n; i++) {
		(*steps)++;
		last_seen[i] = -1;
	}
	for (guint i = 0; i < n; i++) {
		(*steps)++;
		TrawlMessage *m = msgs->pdata[i];
		last_seen[m->parent + 1] = i;
	}
	for (guint i = 0; i <= n; i++) {
		(*steps)++;
		if (last_seen[i] >= 0)
			last[last_seen[i]] = TRUE;
	}

	/* cont[i]: message i's continuation, its first levels only (each level
	 * is BAR or GAP: one glyph and a space); NULL for a top-level message,
	 * whose replies draw nothing for it. */
	const guint keep = TRAWL_TREE_MAX_INDENT - 1;
	g_autofree char **cont = g_new0 (char *, MAX (n, 1));
	for (guint i = 0; i < n; i++) {
		(*steps)++;
		TrawlMessage *m = msgs->pdata[i];
		if (m->depth == 0) {
			m->prefix = g_strdup ("");
			continue;
		}
		/* The parent's continuation: levels 1 .. depth-1 above this
		 * message, of which the first KEEP show. */
		const char *up = cont[m->parent] ? cont[m->parent] : "";
		guint levels = m->depth - 1;
		const char *conn = last[i] ? "└─" : "├─";
		if (levels > keep) {
			char depth[32];
			g_snprintf (depth, sizeof depth, "[%u] ", m->depth);
			m->prefix = g_strconcat (up, conn, depth, NULL);
		} else {
			m->prefix = g_strconcat (up, conn, NULL);
		}
		if (!m->n_children)
			continue;
		/* Its own continuation, for its replies: the parent's, one
		 * level more while there is a column for it. */
		cont[i] = levels + 1 > keep ? g_strdup (up) : g_strconcat (up, last[i] ? GAP : BAR, NULL);
	}
	for (guint i = 0; i < n; i++) {
		(*steps)++;
		g_free (cont[i]);
	}
	/* Descendant counts, children after parents in display order: sum backwards. */
	for (guint i = n; i-- > 0;) {
		(*steps)++;
		TrawlMessage *m = msgs->pdata[i];
		if (m->parent >= 0)
			((TrawlMessage *) msgs->pdata[m->parent])->descendants += m->descendants + 1;
	}
}

TrawlThread *
trawl_thread_open (TrawlDb *db, const char *thread_id, const char *query, GError **error)
{
	g_autofree char *trimmed = g_strstrip (g_strdup (query ? query : "*"));
	gboolean all = !*trimmed || strcmp (trimmed, "*") == 0;
	/* The whole thread (notmuch marks which messages match the query). */
	g_autofree char *qs = all ? g_strdup_printf ("thread:%s", thread_id)
				  : g_strdup_printf ("thread:%s and (%s)", thread_id, query);
	notmuch_query_t *q = trawl_db_make_query (db, qs, NOTMUCH_SORT_OLDEST_FIRST, error);
	if (!q)
		return NULL;
	/* Show excluded messages of the thread too, but do not count them as matches. */
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FLAG);
	notmuch_threads_t *threads = NULL;
	notmuch_status_t st = notmuch_query_search_threads (q, &threads);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		trawl_db_query_error (db, st, qs, error);
		notmuch_query_destroy (q);
		return NULL;
	}
	if (!notmuch_threads_valid (threads)) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED,
			     "thread %s is no longer in the database (refresh the list to see what is)", thread_id);
		notmuch_query_destroy (q);
		return NULL;
	}
	notmuch_thread_t *nt = notmuch_threads_get (threads);
	TrawlThread *t = g_new0 (TrawlThread, 1);
	t->thread_id = g_strdup (thread_id);
	t->query = g_strdup (query);
	t->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
	/* The dates and headers of every message of the thread, read at once,
	 * at the revision notmuch's handle sees. */
	g_autofree char *xdir = trawl_xapian_dir (db->path);
	g_autoptr (GHashTable) values = trawl_xapian_thread_values (xdir, thread_id, trawl_db_revision (db));
	Copy c = { values, &db->stats };
	walk (&c, t->messages, notmuch_thread_get_toplevel_messages (nt), &t->steps);
	/* Every notmuch object of the thread (messages, their tags) goes at
	 * once, with the query's talloc context. */
	notmuch_thread_destroy (nt);
	notmuch_query_destroy (q);
	compute_prefixes (t->messages, &t->steps);

	int first_match = -1, first_unread_match = -1;
	for (guint i = 0; i < t->messages->len; i++) {
		t->steps++;
		TrawlMessage *m = t->messages->pdata[i];
		if (!m->matched)
			continue;
		t->matched++;
		if (first_match < 0)
			first_match = i;
		if (m->unread && first_unread_match < 0)
			first_unread_match = i;
	}
	t->first_focus = first_unread_match >= 0 ? first_unread_match : first_match >= 0 ? first_match : 0;
	return t;
}

gboolean
trawl_thread_patch (TrawlThread *t, const TrawlTagChange *change)
{
	guint n = trawl_tag_change_count (change);
	if (!n)
		return FALSE;
	g_autoptr (GHashTable) at = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++)
		if (strcmp (trawl_tag_change_thread (change, i), t->thread_id) == 0)
			g_hash_table_insert (at, (gpointer) trawl_tag_change_id (change, i), GUINT_TO_POINTER (i + 1));
	if (!g_hash_table_size (at))
		return FALSE;
	gboolean any = FALSE;
	for (guint k = 0; k < t->messages->len; k++) {
		TrawlMessage *m = t->messages->pdata[k];
		guint i = GPOINTER_TO_UINT (g_hash_table_lookup (at, m->message_id));
		if (!i)
			continue;
		const char *const *after = trawl_tag_change_after (change, i - 1);
		g_free (m->tags);
		m->tags = g_strjoinv (" ", (char **) after);
		m->unread = g_strv_contains (after, "unread");
		any = TRUE;
	}
	return any;
}
