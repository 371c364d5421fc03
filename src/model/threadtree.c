/* threadtree.c — folds and visible rows of a thread's reply tree (see
 * trawl/threadtree.h).
 *
 * The thread's messages are in display order, so a message's replies are
 * the DESCENDANTS messages right after it: the visible rows are one walk
 * that skips a folded message's block, and a message's row is kept per
 * message, so nothing here searches the rows. */
#include "config.h"

#include <string.h>

#include "trawl/threadtree.h"

struct TrawlThreadTree {
	TrawlThread *thread;
	gboolean *collapsed;	/* per message: its replies are folded away */
	GArray *visible;	/* int: the message on each row */
	int *row_of;		/* per message: its row, -1 when hidden */
	gboolean *covered;	/* per message: a later reply quotes it in full */
	guint n_covered;
	gboolean hide_covered;	/* covered messages have no row ... */
	int pinned;		/* ... but this one (the last revealed), -1: none */
};

static TrawlMessage *
msg (const TrawlThreadTree *tt, int i)
{
	return tt->thread->messages->pdata[i];
}

/* Is MESSAGE without a row because it is covered and those are hidden? */
static gboolean
hidden_covered (const TrawlThreadTree *tt, guint i)
{
	return tt->hide_covered && tt->covered[i] && !tt->collapsed[i] && (int) i != tt->pinned;
}

static void
rebuild (TrawlThreadTree *tt)
{
	guint n = tt->thread->messages->len;
	g_array_set_size (tt->visible, 0);
	for (guint i = 0; i < n; i++)
		tt->row_of[i] = -1;
	for (guint i = 0; i < n; i++) {
		int ii = i;
		if (hidden_covered (tt, i))
			continue;	/* its replies keep their rows */
		tt->row_of[i] = tt->visible->len;
		g_array_append_val (tt->visible, ii);
		if (tt->collapsed[i])
			i += msg (tt, i)->descendants;	/* the whole folded block at once */
	}
}

TrawlThreadTree *
trawl_thread_tree_new (TrawlThread *thread)
{
	TrawlThreadTree *tt = g_new0 (TrawlThreadTree, 1);
	guint n = thread->messages->len;
	tt->thread = thread;
	tt->collapsed = g_new0 (gboolean, MAX (n, 1));
	tt->row_of = g_new (int, MAX (n, 1));
	tt->covered = g_new0 (gboolean, MAX (n, 1));
	tt->pinned = -1;
	tt->visible = g_array_sized_new (FALSE, FALSE, sizeof (int), n);
	rebuild (tt);
	return tt;
}

void
trawl_thread_tree_free (TrawlThreadTree *tt)
{
	if (!tt)
		return;
	trawl_thread_free (tt->thread);
	g_free (tt->collapsed);
	g_free (tt->row_of);
	g_free (tt->covered);
	g_array_unref (tt->visible);
	g_free (tt);
}

TrawlThread *
trawl_thread_tree_thread (const TrawlThreadTree *tt)
{
	return tt->thread;
}

guint
trawl_thread_tree_len (const TrawlThreadTree *tt)
{
	return tt->thread->messages->len;
}

TrawlMessage *
trawl_thread_tree_message (const TrawlThreadTree *tt, int message)
{
	g_return_val_if_fail (message >= 0 && (guint) message < tt->thread->messages->len, NULL);
	return msg (tt, message);
}

guint
trawl_thread_tree_rows (const TrawlThreadTree *tt)
{
	return tt->visible->len;
}

int
trawl_thread_tree_row_message (const TrawlThreadTree *tt, guint row)
{
	g_return_val_if_fail (row < tt->visible->len, -1);
	return g_array_index (tt->visible, int, row);
}

int
trawl_thread_tree_message_row (const TrawlThreadTree *tt, int message)
{
	if (message < 0 || (guint) message >= tt->thread->messages->len)
		return -1;
	return tt->row_of[message];
}

gboolean
trawl_thread_tree_is_collapsed (const TrawlThreadTree *tt, int message)
{
	return tt->collapsed[message];
}

guint
trawl_thread_tree_hidden (const TrawlThreadTree *tt, int message)
{
	TrawlMessage *m = msg (tt, message);
	return tt->collapsed[message] && m->n_children ? m->descendants : 0;
}

int
trawl_thread_tree_collapse (TrawlThreadTree *tt, int message)
{
	TrawlMessage *m = msg (tt, message);
	int to = message;
	if (m->n_children && !tt->collapsed[message]) {
		tt->collapsed[message] = TRUE;
	} else if (m->parent >= 0) {
		/* Nothing to fold here: fold the parent. */
		tt->collapsed[m->parent] = TRUE;
		to = m->parent;
	}
	/* The cursor's message is on a row, whatever hid it. */
	if (!trawl_thread_tree_reveal (tt, to))
		rebuild (tt);
	return to;
}

void
trawl_thread_tree_expand (TrawlThreadTree *tt, int message)
{
	tt->collapsed[message] = FALSE;
	rebuild (tt);
}

void
trawl_thread_tree_collapse_nonmatching (TrawlThreadTree *tt)
{
	guint n = tt->thread->messages->len;
	g_autofree gboolean *match_below = g_new0 (gboolean, MAX (n, 1));
	/* Children come after their parents: one backward pass carries the
	 * matches up. */
	for (guint k = n; k-- > 0;) {
		TrawlMessage *m = msg (tt, k);
		if (m->parent >= 0 && (m->matched || match_below[k]))
			match_below[m->parent] = TRUE;
	}
	for (guint k = 0; k < n; k++)
		tt->collapsed[k] = msg (tt, k)->n_children && !match_below[k];
	rebuild (tt);
}

void
trawl_thread_tree_expand_all (TrawlThreadTree *tt)
{
	memset (tt->collapsed, 0, sizeof (gboolean) * tt->thread->messages->len);
	rebuild (tt);
}

gboolean
trawl_thread_tree_reveal (TrawlThreadTree *tt, int message)
{
	gboolean changed = FALSE;
	for (int a = msg (tt, message)->parent; a >= 0; a = msg (tt, a)->parent)
		if (tt->collapsed[a]) {
			tt->collapsed[a] = FALSE;
			changed = TRUE;
		}
	if (tt->hide_covered && tt->covered[message] && tt->pinned != message) {
		tt->pinned = message;
		changed = TRUE;
	}
	if (changed)
		rebuild (tt);
	return changed;
}

void
trawl_thread_tree_set_covered (TrawlThreadTree *tt, int message, gboolean covered)
{
	g_return_if_fail (message >= 0 && (guint) message < tt->thread->messages->len);
	if (tt->covered[message] == !!covered)
		return;
	tt->covered[message] = !!covered;
	if (covered)
		tt->n_covered++;
	else
		tt->n_covered--;
}

gboolean
trawl_thread_tree_is_covered (const TrawlThreadTree *tt, int message)
{
	return message >= 0 && (guint) message < tt->thread->messages->len && tt->covered[message];
}

guint
trawl_thread_tree_covered (const TrawlThreadTree *tt)
{
	return tt->n_covered;
}

void
trawl_thread_tree_hide_covered (TrawlThreadTree *tt, gboolean hide)
{
	if (hide != tt->hide_covered)
		tt->pinned = -1;
	tt->hide_covered = hide;
	rebuild (tt);
}

gboolean
trawl_thread_tree_hiding_covered (const TrawlThreadTree *tt)
{
	return tt->hide_covered;
}

int
trawl_thread_tree_find (const TrawlThreadTree *tt, int from, int dir, TrawlTreeWant want)
{
	int n = tt->thread->messages->len;
	for (int i = from + dir; i >= 0 && i < n; i += dir) {
		TrawlMessage *m = msg (tt, i);
		gboolean hit = want == TRAWL_TREE_UNREAD ? m->unread
			: want == TRAWL_TREE_MATCH ? m->matched : !tt->covered[i];
		if (hit)
			return i;
	}
	return -1;
}

/* ---- moving through the tree: display order is depth first, so a
 * message's first reply is right after it and its next sibling right after
 * its block of DESCENDANTS. ---- */

static gboolean
valid (const TrawlThreadTree *tt, int message)
{
	return message >= 0 && (guint) message < tt->thread->messages->len;
}

int
trawl_thread_tree_parent (const TrawlThreadTree *tt, int message)
{
	return valid (tt, message) ? msg (tt, message)->parent : -1;
}

int
trawl_thread_tree_first_child (const TrawlThreadTree *tt, int message)
{
	return valid (tt, message) && msg (tt, message)->n_children ? message + 1 : -1;
}

int
trawl_thread_tree_next_sibling (const TrawlThreadTree *tt, int message)
{
	if (!valid (tt, message))
		return -1;
	TrawlMessage *m = msg (tt, message);
	int j = message + (int) m->descendants + 1;
	return valid (tt, j) && msg (tt, j)->parent == m->parent ? j : -1;
}

int
trawl_thread_tree_prev_sibling (const TrawlThreadTree *tt, int message)
{
	if (!valid (tt, message))
		return -1;
	TrawlMessage *m = msg (tt, message);
	/* The message before is the previous sibling's last descendant (or
	 * the parent): climb from it to this message's depth. */
	int k = message - 1;
	while (k >= 0 && msg (tt, k)->depth > m->depth)
		k = msg (tt, k)->parent;
	return k >= 0 && k != m->parent && msg (tt, k)->parent == m->parent ? k : -1;
}

/* Strips reply and forward prefixes, to see whether a subject changed. */
static const char *
base_subject (const char *s)
{
	for (;;) {
		while (*s == ' ')
			s++;
		if (g_ascii_strncasecmp (s, "re:", 3) == 0 || g_ascii_strncasecmp (s, "aw:", 3) == 0)
			s += 3;
		else if (g_ascii_strncasecmp (s, "fwd:", 4) == 0)
			s += 4;
		else if (g_ascii_strncasecmp (s, "fw:", 3) == 0)
			s += 3;
		else
			return s;
	}
}

gboolean
trawl_thread_tree_shows_subject (const TrawlThreadTree *tt, int message)
{
	TrawlMessage *m = msg (tt, message);
	return m->parent < 0 ||
		strcmp (base_subject (m->subject), base_subject (msg (tt, m->parent)->subject)) != 0;
}

gboolean
trawl_thread_tree_patch (TrawlThreadTree *tt, const TrawlTagChange *change)
{
	return change && trawl_thread_patch (tt->thread, change);
}
