/* threadtree.h — what the thread view shows of a thread's reply tree: which
 * messages have their replies folded away, and so which rows are visible.
 *
 * Knows GLib and the model's TrawlThread; never curses, never notmuch.  A
 * message is named by its index in the thread (display order: depth first,
 * oldest reply first); a row by its index among the visible rows, which keep
 * display order.  The visible rows are rebuilt in one pass, O(messages),
 * whenever a fold changes, and never because of a tag change.
 */
#ifndef TRAWL_THREADTREE_H
#define TRAWL_THREADTREE_H

#include <glib.h>
#include "trawl/model.h"

G_BEGIN_DECLS

typedef struct TrawlThreadTree TrawlThreadTree;

/* Takes THREAD (freed with the tree); every message starts unfolded. */
TrawlThreadTree *trawl_thread_tree_new (TrawlThread *thread);
void trawl_thread_tree_free (TrawlThreadTree *tt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlThreadTree, trawl_thread_tree_free)

/* Owned by the tree. */
TrawlThread *trawl_thread_tree_thread (const TrawlThreadTree *tt);
guint trawl_thread_tree_len (const TrawlThreadTree *tt);	/* messages */
TrawlMessage *trawl_thread_tree_message (const TrawlThreadTree *tt, int message);

/* ---- the visible rows ---- */
guint trawl_thread_tree_rows (const TrawlThreadTree *tt);
/* The message on ROW (< rows). */
int trawl_thread_tree_row_message (const TrawlThreadTree *tt, guint row);
/* The row of MESSAGE, or -1 when a folded ancestor hides it.  O(1). */
int trawl_thread_tree_message_row (const TrawlThreadTree *tt, int message);

/* ---- folds ---- */
/* Are MESSAGE's replies folded away? */
gboolean trawl_thread_tree_is_collapsed (const TrawlThreadTree *tt, int message);
/* The messages a fold at MESSAGE hides (all below it), 0 when it is not
 * folded or has no replies: the row's "[+N]". */
guint trawl_thread_tree_hidden (const TrawlThreadTree *tt, int message);
/* The collapse command at MESSAGE: folds its replies; when it has none or
 * they are folded already, folds its parent instead, as tree views do.
 * Returns the message the cursor belongs on (MESSAGE, or that parent). */
int trawl_thread_tree_collapse (TrawlThreadTree *tt, int message);
/* Unfolds MESSAGE's replies (folds below it stay). */
void trawl_thread_tree_expand (TrawlThreadTree *tt, int message);
/* Folds every message none of whose replies leads to a match, and unfolds
 * the rest. */
void trawl_thread_tree_collapse_nonmatching (TrawlThreadTree *tt);
void trawl_thread_tree_expand_all (TrawlThreadTree *tt);
/* Unfolds MESSAGE's ancestors, so that it is on a row (a covered message
 * hidden is shown: see below); TRUE when the rows changed. */
gboolean trawl_thread_tree_reveal (TrawlThreadTree *tt, int message);

/* ---- navigation, over every message (folded ones too) ---- */
typedef enum {
	TRAWL_TREE_UNREAD,	/* a message with the unread tag */
	TRAWL_TREE_MATCH,	/* a message the thread's query matched */
	TRAWL_TREE_INCLUSIVE,	/* a message not marked covered */
} TrawlTreeWant;
/* The nearest message after FROM (DIR 1) or before it (DIR -1) that is
 * what WANT asks for, or -1. */
int trawl_thread_tree_find (const TrawlThreadTree *tt, int from, int dir, TrawlTreeWant want);

/* ---- moving through the tree, over every message (folded ones too) ----
 * Each is O(1) but the previous sibling, O(the messages between them's
 * depth); -1 when there is none.  Top-level messages are siblings of each
 * other (a thread whose root is missing has several). */
int trawl_thread_tree_parent (const TrawlThreadTree *tt, int message);
int trawl_thread_tree_first_child (const TrawlThreadTree *tt, int message);
int trawl_thread_tree_next_sibling (const TrawlThreadTree *tt, int message);
int trawl_thread_tree_prev_sibling (const TrawlThreadTree *tt, int message);

/* ---- covered messages (trawl/inclusive.h decides which) ----
 * A covered message is one a later reply quotes in full.  With hiding on,
 * a covered message has no row, but its replies keep theirs (they are the
 * ones that quote it); a covered message whose replies are folded keeps its
 * row (its [+N] says what is there), and so does the one message last
 * revealed (trawl_thread_tree_reveal: the cursor's). */
/* Marks MESSAGE covered or not.  The rows stay as they are until the next
 * trawl_thread_tree_hide_covered() (so that many marks cost one rebuild). */
void trawl_thread_tree_set_covered (TrawlThreadTree *tt, int message, gboolean covered);
gboolean trawl_thread_tree_is_covered (const TrawlThreadTree *tt, int message);
/* How many messages are marked covered. */
guint trawl_thread_tree_covered (const TrawlThreadTree *tt);
/* Hides the covered messages' rows (HIDE) or shows them; rebuilds the rows. */
void trawl_thread_tree_hide_covered (TrawlThreadTree *tt, gboolean hide);
gboolean trawl_thread_tree_hiding_covered (const TrawlThreadTree *tt);

/* Does MESSAGE's row show its subject?  Top-level messages do; a reply does
 * when its subject, without Re:/Fwd: prefixes, is not its parent's. */
gboolean trawl_thread_tree_shows_subject (const TrawlThreadTree *tt, int message);

/* After trawl's own tag CHANGE: trawl_thread_patch() on the thread.  Rows
 * and folds stay as they are.  TRUE when any message took new tags. */
gboolean trawl_thread_tree_patch (TrawlThreadTree *tt, const TrawlTagChange *change);

G_END_DECLS

#endif
