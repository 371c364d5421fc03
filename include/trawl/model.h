/* model.h — trawl's view of a notmuch database.
 *
 * Knows libnotmuch and GLib; never curses.  The UI asks this layer for rows and
 * counts; it never calls libnotmuch itself.
 *
 * Speed contract: opening a thread list costs what its first rows cost
 * (notmuch's sort of the match set, then one thread summary per row asked for).
 * Nothing here walks the whole result set on the UI's behalf, except the thread
 * count, which runs on a thread of its own against a database handle of its own.
 */
#ifndef TRAWL_MODEL_H
#define TRAWL_MODEL_H

#include <glib.h>

G_BEGIN_DECLS

#define TRAWL_MODEL_ERROR (trawl_model_error_quark ())
GQuark trawl_model_error_quark (void);

typedef enum {
	TRAWL_MODEL_ERROR_NO_CONFIG,	/* no notmuch config file could be found */
	TRAWL_MODEL_ERROR_NO_DATABASE,	/* the config names no database, or it does not exist */
	TRAWL_MODEL_ERROR_OPEN,		/* the database exists but cannot be opened */
	TRAWL_MODEL_ERROR_QUERY,	/* a malformed query */
	TRAWL_MODEL_ERROR_FAILED,	/* anything else notmuch or Xapian reported */
} TrawlModelError;

typedef struct TrawlDb TrawlDb;

typedef struct {
	const char *config_path;	/* NULL: notmuch's own resolution (NOTMUCH_CONFIG, XDG, ~/.notmuch-config) */
	const char *profile;		/* NULL: NOTMUCH_PROFILE or the default profile */
	gboolean writable;		/* may trawl change tags (trawl/tags.h)?  Reading always
					 * goes through a read-only handle; a write opens a
					 * read-write one for just that write. */
} TrawlDbOptions;

/* Opens the database named by the notmuch config.  On failure returns NULL and
 * sets an error whose message names the path involved and what to do.  The
 * caller owns the result (trawl_db_free); every list, thread and count made
 * from it must be freed before it. */
TrawlDb *trawl_db_open (const TrawlDbOptions *opts, GError **error);
void trawl_db_free (TrawlDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlDb, trawl_db_free)

/* The database directory and the config file actually used (may be NULL when
 * notmuch found the database without a config file).  Owned by DB, valid
 * while it lives. */
const char *trawl_db_path (const TrawlDb *db);
const char *trawl_db_config_path (const TrawlDb *db);

/* Re-reads the database so that changes made by other processes (notmuch new,
 * notmuch tag) become visible.  Thread lists made before stay valid but show
 * the old state until rebuilt. */
gboolean trawl_db_reopen (TrawlDb *db, GError **error);

/* Has another process committed to the database since it was opened or last
 * reopened?  A stat(2) of Xapian's version file: cheap enough to ask often. */
gboolean trawl_db_changed (TrawlDb *db);

/* The query trawl shows when the user gives none: "tag:inbox" when any message
 * carries that tag, else "*".  Newly allocated. */
char *trawl_db_default_query (TrawlDb *db);

/* A query with a name: a saved search, notmuch's query.NAME, a tag's query. */
typedef struct {
	char *name;
	char *query;
	const char *origin;	/* where it is kept: "notmuch", "config", "saved", "tag" (static) */
} TrawlNamedQuery;
/* Copies NAME and QUERY; the caller frees it (trawl_named_query_free). */
TrawlNamedQuery *trawl_named_query_new (const char *name, const char *query, const char *origin);
void trawl_named_query_free (TrawlNamedQuery *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlNamedQuery, trawl_named_query_free)
/* An array that frees its TrawlNamedQuery elements; the caller owns it. */
GPtrArray *trawl_named_queries_new (void);

/* notmuch's named queries (query.NAME in its config), appended to OUT (an
 * array of trawl_named_queries_new, which owns them). */
void trawl_db_named_queries (TrawlDb *db, GPtrArray *out);

/* Header values (FIELD "from" or "to") of up to LIMIT messages, newest first,
 * whose FIELD has a word starting with PREFIX: the raw material for address
 * completion, O(LIMIT), never the whole archive. */
GPtrArray *trawl_db_header_values (TrawlDb *db, const char *field, const char *prefix, guint limit);

/* Every tag in the database, sorted (completion).  O(tags).  The caller owns
 * the array and its strings (it frees them). */
GPtrArray *trawl_db_all_tags (TrawlDb *db);

/* Parses QUERY as notmuch would; FALSE with TRAWL_MODEL_ERROR_QUERY and
 * notmuch's message when it is malformed. */
gboolean trawl_db_check_query (TrawlDb *db, const char *query, GError **error);

/* Counts messages matching QUERY (search.exclude_tags honoured). -1 on error. */
gint64 trawl_db_count_messages (TrawlDb *db, const char *query, GError **error);

typedef enum {
	TRAWL_SORT_NEWEST_FIRST,
	TRAWL_SORT_OLDEST_FIRST,
	/* The size orders (largest first, then newest first): they need every
	 * thread of the query, so the list shows newest first at once and is
	 * re-sorted in place when a background pass over the threads is done. */
	TRAWL_SORT_MOST_MESSAGES,	/* messages in the thread */
	TRAWL_SORT_MOST_MATCHED,	/* messages of the thread matching the query */
	TRAWL_SORT_MOST_PARTICIPANTS,	/* distinct authors of the thread */
	TRAWL_SORT_COUNT
} TrawlSort;

/* "newest-first", "oldest-first", "most-messages", "most-matched",
 * "most-participants" (static), and back (FALSE: not a sort's name). */
const char *trawl_sort_name (TrawlSort sort);
gboolean trawl_sort_parse (const char *name, TrawlSort *sort);
/* A size order: known only once every thread is built. */
gboolean trawl_sort_is_size (TrawlSort sort);
/* How many distinct authors notmuch's authors string ("A, B| C") names. */
guint trawl_authors_count (const char *authors);

/* One row of the thread list: a copy of notmuch's thread summary, so it
 * outlives every notmuch object. */
typedef struct {
	char *thread_id;
	gint64 newest;		/* date of the newest matched message (unix time) */
	gint64 oldest;		/* date of the oldest matched message */
	int matched;		/* messages of the thread that match the query */
	int total;		/* messages in the thread */
	char *authors;		/* notmuch's form: matched authors, then "| " and the others */
	char *subject;		/* decoded (RFC 2047) by notmuch at index time */
	char *tags;		/* the thread's tags, space-separated, sorted */
} TrawlThreadRow;

void trawl_thread_row_free (TrawlThreadRow *row);

typedef struct TrawlThreadList TrawlThreadList;

/* A position in a thread list: the Nth row from the first, or from the last.
 * Rows near the end are reached without building the ones in between, so a
 * position may be known only relative to the end until the list's length is. */
typedef struct {
	gboolean from_end;
	gsize n;
} TrawlPos;

/* Runs QUERY.  Cheap: nothing is built until rows are asked for.  Fails with
 * TRAWL_MODEL_ERROR_QUERY on a malformed query.  The counts come from the
 * list cache when the archive has not changed since they were counted;
 * otherwise the background count starts with trawl_thread_list_wake_fd().
 * The caller owns the list (trawl_thread_list_free, before DB goes); it
 * keeps a copy of QUERY. */
TrawlThreadList *trawl_thread_list_new (TrawlDb *db, const char *query,
					TrawlSort sort, GError **error);
void trawl_thread_list_free (TrawlThreadList *tl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlThreadList, trawl_thread_list_free)

/* Owned by the list. */
const char *trawl_thread_list_query (const TrawlThreadList *tl);
TrawlSort trawl_thread_list_sort (const TrawlThreadList *tl);

/* The row at POS, building it (and only it, plus a small batch) if needed.
 * NULL when POS lies outside the list.  The row stays valid until the next
 * call into this list. */
const TrawlThreadRow *trawl_thread_list_get (TrawlThreadList *tl, TrawlPos pos);

/* Moves *POS by DELTA rows (negative: towards the first), stopping at the
 * ends.  Returns how many rows it actually moved (absolute value). */
gsize trawl_thread_list_step (TrawlThreadList *tl, TrawlPos *pos, gssize delta);

/* The first and the last position.  An empty list has neither: both return
 * FALSE. */
gboolean trawl_thread_list_first (TrawlThreadList *tl, TrawlPos *pos);
gboolean trawl_thread_list_last (TrawlThreadList *tl, TrawlPos *pos);

/* Number of threads, or -1 while it is still being counted.  Background
 * results are picked up only by trawl_thread_list_collect(). */
gint64 trawl_thread_list_count (TrawlThreadList *tl);
/* Number of matching messages, or -1 while it is still being counted. */
gint64 trawl_thread_list_message_count (TrawlThreadList *tl);

/* The index of POS from the first row, when it is known (-1 otherwise). */
gint64 trawl_thread_list_index (TrawlThreadList *tl, TrawlPos pos);

/* A file descriptor that becomes readable when a background result (the
 * counts) arrives; the caller polls it and then calls
 * trawl_thread_list_collect().  Returns TRUE when something changed.
 * Asking for it starts the background count when the counts are not known
 * (nor cached): a caller asks when it is about to wait, its screen drawn,
 * so the count never competes with building the first screen. */
int trawl_thread_list_wake_fd (TrawlThreadList *tl);
gboolean trawl_thread_list_collect (TrawlThreadList *tl);

/* What the model has done since the database was opened: the operations
 * whose number proves laziness (tests read them; TRAWL_STATS=FILE makes
 * trawl write them at exit). */
typedef struct {
	guint64 lists;		/* thread lists made (queries run for a list) */
	guint64 rows_built;	/* thread summaries built */
	guint64 messages_walked;	/* messages stepped over by resumed heads */
	guint64 count_jobs;	/* background counts started */
	guint64 sort_jobs;	/* background size orders started */
	guint64 write_attempts;	/* tag writes asked for (refused ones too) */
	guint64 writes;		/* tag writes committed */
	guint64 lock_waits;	/* times a write found the lock held and waited */
	/* The windowed loaders (first screen and G without notmuch's sort of
	 * every match): date bands asked for, count probes that chose their
	 * edges, messages stepped over in them, lists that ran plain. */
	guint64 window_bands;
	guint64 window_probes;
	guint64 window_messages;
	guint64 window_fallbacks;
	/* Thread rows read straight from Xapian (xrows.cc) instead of
	 * notmuch's thread objects, and the messages they covered. */
	guint64 rows_xapian;
	guint64 xrows_messages;
	guint64 xwalks;		/* heads started from Xapian's matcher */
	guint64 xwalk_termlists;	/* thread ids those read (a thread's first message) */
	guint64 xwalk_messages;	/* their messages passed (held in memory, most not read) */
	guint64 xcounts;	/* background counts made from Xapian's postings */
	guint64 xwalk_chunks;	/* the heads' further passes (4K, 16K... messages) */
	/* Thread opens (thread.c): messages whose date, From and Subject came
	 * from one pass over the thread's value streams, and those asked of
	 * notmuch one message and header at a time. */
	guint64 thread_values_batched;
	guint64 thread_values_single;
	/* The list cache (listcache.c): lists whose counts came from the
	 * file of an earlier run (no count_jobs for them), date bounds read
	 * from it, and date bounds asked of Xapian (once per process at most
	 * while the messages stay the same). */
	guint64 count_cache_hits;
	guint64 bounds_cache_hits;
	guint64 bounds_passes;
} TrawlDbStats;
/* Owned by DB, updated as it works. */
const TrawlDbStats *trawl_db_stats (const TrawlDb *db);
/* "name value" lines, newly allocated. */
char *trawl_db_stats_text (const TrawlDb *db);

/* One applied tag change (trawl/tags.h). */
typedef struct TrawlTagChange TrawlTagChange;

/* Before a write: drops every notmuch object the list holds (the database
 * refuses a write while one is alive), keeping its rows, ids and keys.  O(1).
 * The list resumes by itself: rows beyond those it holds come from a walk
 * that starts at its boundary, never from row 0. */
void trawl_thread_list_suspend (TrawlThreadList *tl);
/* After trawl's own tag CHANGE: the rows of the threads it touched are
 * patched (their tags; when the changed tags are in the query, the row is
 * rebuilt, moved, dropped or inserted as the query now says).  Costs what
 * the touched threads cost, never a walk of the list. */
void trawl_thread_list_patch (TrawlThreadList *tl, const TrawlTagChange *change);
/* After other processes wrote (and trawl_db_reopen): the threads of every
 * message changed since the list's revision (notmuch's lastmod) are placed
 * anew: rebuilt, moved, dropped or inserted, the rest of the list kept.
 * O(changed threads), never a walk from row 0. */
gboolean trawl_thread_list_refresh (TrawlThreadList *tl, GError **error);

/* The position of THREAD_ID when the list holds it (no search). */
gboolean trawl_thread_list_find (TrawlThreadList *tl, const char *thread_id, TrawlPos *pos);

/* Blocks until the background count is done (tests and benchmarks). */
void trawl_thread_list_wait_count (TrawlThreadList *tl);
/* A size order still being worked out: TRUE, *DONE threads looked at so
 * far.  FALSE once the list is in its order (it is then re-sorted in place
 * by trawl_thread_list_collect(), which returns TRUE; positions held before
 * are stale: find the selected thread again). */
gboolean trawl_thread_list_sorting (const TrawlThreadList *tl, guint64 *done);
/* Blocks until a size order is in place (tests and benchmarks). */
void trawl_thread_list_wait_sorted (TrawlThreadList *tl);

/* Keeps about KEEP summaries around the last row asked for (at most twice
 * that in all); rows further away keep only their thread id. */
void trawl_thread_list_set_window (TrawlThreadList *tl, gsize keep);

/* How many thread summaries the list holds right now (memory bound checks). */
gsize trawl_thread_list_rows_held (const TrawlThreadList *tl);
/* How many thread summaries the list has built since it was made. */
gsize trawl_thread_list_rows_built (const TrawlThreadList *tl);
/* How many messages a head resumed after a suspend has stepped over. */
gsize trawl_thread_list_messages_walked (const TrawlThreadList *tl);

/* ---- every tag with its counts, counted in the background ---------------- */

typedef struct TrawlTagCounts TrawlTagCounts;

/* The database's tags (sorted), at once; their message and unread counts
 * arrive from a thread of its own (a database handle of its own), tag by tag.
 * Exclude tags are not applied: tag:spam counts its spam. */
TrawlTagCounts *trawl_tag_counts_new (TrawlDb *db);	/* the caller frees it (trawl_tag_counts_free) */
/* The same machinery for any queries: NAMES[i] labels QUERIES[i]. */
/* Counts of each of QUERIES (TrawlNamedQuery *, copied); the caller frees
 * the result. */
TrawlTagCounts *trawl_query_counts_new (TrawlDb *db, GPtrArray *queries);
const char *trawl_tag_counts_query (const TrawlTagCounts *tc, guint i);
void trawl_tag_counts_free (TrawlTagCounts *tc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTagCounts, trawl_tag_counts_free)
guint trawl_tag_counts_len (const TrawlTagCounts *tc);
const char *trawl_tag_counts_name (const TrawlTagCounts *tc, guint i);
/* -1 while not counted yet. */
gint64 trawl_tag_counts_total (const TrawlTagCounts *tc, guint i);
gint64 trawl_tag_counts_unread (const TrawlTagCounts *tc, guint i);
/* Readable when more counts arrived; collect() drains it (TRUE: news). */
int trawl_tag_counts_wake_fd (const TrawlTagCounts *tc);
gboolean trawl_tag_counts_collect (TrawlTagCounts *tc);
/* Blocks until every tag is counted (tests). */
void trawl_tag_counts_wait (TrawlTagCounts *tc);
/* Why nothing will be counted (the worker could not open the database), one
 * line; NULL while counting or when counting works. */
const char *trawl_tag_counts_error (const TrawlTagCounts *tc);
/* PREFIX:"VALUE", quoted as notmuch needs ("a""b" for a double quote); newly
 * allocated. */
char *trawl_query_term (const char *prefix, const char *value);
/* The query that finds the messages with tag NAME (quoted as notmuch needs);
 * newly allocated. */
char *trawl_tag_query (const char *name);

/* ---- one thread, as a reply tree ---------------------------------------- */

/* One message of a thread, in display order (depth first, oldest reply first).
 * Every field is a copy: it outlives the notmuch objects. */
typedef struct {
	char *message_id;
	char *filename;		/* the first file of the message */
	guint n_files;		/* how many files carry this Message-ID */
	gint64 date;
	char *from;		/* the From header as notmuch stored it (decoded) */
	char *subject;
	char *tags;		/* space-separated */
	gboolean matched;	/* matched the query the thread was opened from */
	gboolean unread;
	guint depth;		/* 0 for a top-level message */
	int parent;		/* index of the parent in the thread, -1 at top level */
	guint n_children;
	guint descendants;	/* messages below it in the tree */
	char *prefix;		/* tree glyphs ("│ ├─"), depth capped for display */
} TrawlMessage;

typedef struct {
	char *thread_id;
	char *query;		/* the query it was opened from */
	GPtrArray *messages;	/* TrawlMessage *, display order */
	int first_focus;	/* the message to show first: first unread match, else first match, else 0 */
	guint matched;
	guint64 steps;		/* inner-loop steps trawl spent building it (not
				 * notmuch's): O(messages), whatever the tree's
				 * shape (tests read it) */
} TrawlThread;

/* Builds thread THREAD_ID; messages matching QUERY are marked matched.  Costs
 * one notmuch thread build (index only: no message file is read) and O(n) of
 * its own for n messages, however deep the replies go.  The
 * caller owns the result, a copy that outlives every notmuch object
 * (trawl_thread_free). */
TrawlThread *trawl_thread_open (TrawlDb *db, const char *thread_id, const char *query, GError **error);
void trawl_thread_free (TrawlThread *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlThread, trawl_thread_free)

/* After trawl's own tag CHANGE: the messages of T it touched take their new
 * tags (nothing is read from the database).  TRUE when any did. */
gboolean trawl_thread_patch (TrawlThread *t, const TrawlTagChange *change);

/* Reply depth beyond which the tree stops indenting (deep threads stay
 * readable): deeper rows keep the shallower levels' columns, put their
 * connector in this depth's column and show their depth ("└─[17] "). */
#define TRAWL_TREE_MAX_INDENT 12

G_END_DECLS

#endif
