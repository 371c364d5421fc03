/* listcache.c — the thread list's counts and the database's date bounds,
 * kept between runs (listcache.h).
 *
 * At a million messages a query's thread count is a pass over every match
 * (seconds, on a thread of its own that competes with the first screen), and
 * the date bounds may need a pass over every message's date (~40 ms).  Both
 * are functions of the archive's content alone, so while it has not changed
 * they are read back from a small file instead:
 *
 *   $XDG_CACHE_HOME/trawl/lists-HASH	(HASH: SHA-256 of the database path)
 *
 * a GKeyFile written whole and atomically (g_file_set_contents), merged with
 * what is on disk first (another trawl may have written meanwhile; the last
 * writer wins an entry, nothing worse).  A missing, corrupt or unwritable
 * file is a miss, never an error; --read-only still writes it (it is not the
 * archive).  Deleting it is always safe.
 *
 * Why the keys are sound:
 *
 *  - Counts: (uuid, revision, lastdocid, doccount, exclude tags, query).
 *    notmuch's revision (lastmod) grows with every commit that changes a
 *    message (tags, files, new and removed messages), and the uuid tells a
 *    rebuilt database (whose revisions start again) from the old one; Xapian's
 *    lastdocid (grows with every document added) and document count (changes
 *    with every one removed) make an add or a removal change the key even if
 *    a notmuch version did not bump the revision for it.  The counts depend
 *    on the query string and the excluded tags (search.exclude_tags, from
 *    the config, not the database: in the key, sorted, so their order does
 *    not matter) and on nothing else — except the clock and the config's
 *    named queries: a query with a relative date ("date:today") or a named
 *    query ("query:NAME") is never stored.  The sort is not in the key: it
 *    changes the order, not the number.  A count is stored only when the
 *    handle that counted saw the revision the key names (a commit landing
 *    in between would otherwise file a newer count under the older key).
 *  - Date bounds: (uuid, lastdocid, doccount).  They are the dates of the
 *    oldest and newest message and the number of messages, which only adding
 *    or removing a message changes — both change the key; tag changes do not
 *    (they bump the revision, which is why it is not in this key: the bounds
 *    survive a tag change).  A `notmuch reindex` of a changed file could move
 *    a date without changing the key; the bounds only size the first date
 *    band of the windowed list (its outer edges are open), so a stale pair
 *    costs a wider or narrower first band, never a wrong row.
 *
 * The file keeps the newest COUNTS_KEEP counts (an insertion number orders
 * them) and one set of bounds. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <notmuch.h>

#include "listcache.h"

#define COUNTS_KEEP 64
#define CACHE_VERSION 1

struct TrawlListCache {
	/* the stamp, for the version stamp it was taken at */
	char *stamp_at;
	gboolean stamp_ok;
	TrawlDbStamp stamp;
	/* the file as read (NULL: not read yet or unreadable: empty) */
	GKeyFile *kf;
	/* the bounds for this process, and for which stamp */
	gboolean bounds_known, bounds_ok;
	guint64 bounds_lastdocid, bounds_doccount;
	gint64 lo, hi;
	guint64 messages;
};

static TrawlListCache *
cache_of (TrawlDb *db)
{
	if (!db->list_cache)
		db->list_cache = g_new0 (TrawlListCache, 1);
	return db->list_cache;
}

char *
trawl_list_cache_file (TrawlDb *db)
{
	g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA256, db->path, -1);
	g_autofree char *name = g_strdup_printf ("lists-%.32s", h);
	return g_build_filename (g_get_user_cache_dir (), "trawl", name, NULL);
}

gboolean
trawl_list_cache_stamp (TrawlDb *db, const TrawlDbStamp **stamp)
{
	TrawlListCache *c = cache_of (db);
	if (!c->stamp_at || strcmp (c->stamp_at, db->version_stamp) != 0) {
		g_free (c->stamp_at);
		c->stamp_at = g_strdup (db->version_stamp);
		g_autofree char *dir = trawl_xapian_dir (db->path);
		c->stamp_ok = trawl_xapian_doc_stamp (dir, &c->stamp.lastdocid, &c->stamp.doccount);
	}
	if (!c->stamp_ok)
		return FALSE;
	const char *uuid = NULL;
	c->stamp.revision = notmuch_database_get_revision (db->nm, &uuid);
	g_free (c->stamp.uuid);
	c->stamp.uuid = g_strdup (uuid ? uuid : "");
	*stamp = &c->stamp;
	return TRUE;
}

/* The file, read once per process (and again after a reopen). */
static GKeyFile *
cache_read (TrawlDb *db)
{
	TrawlListCache *c = cache_of (db);
	if (!c->kf) {
		c->kf = g_key_file_new ();
		g_autofree char *file = trawl_list_cache_file (db);
		if (!g_key_file_load_from_file (c->kf, file, G_KEY_FILE_NONE, NULL) ||
		    g_key_file_get_integer (c->kf, "cache", "version", NULL) != CACHE_VERSION) {
			g_key_file_unref (c->kf);
			c->kf = g_key_file_new ();	/* corrupt or foreign: empty */
		}
	}
	return c->kf;
}

/* The disk's file, changed by EDIT, written back atomically; the process's
 * copy becomes it.  Failures are silent. */
static void
cache_write (TrawlDb *db, void (*edit) (GKeyFile *kf, gpointer data), gpointer data)
{
	TrawlListCache *c = cache_of (db);
	g_autofree char *file = trawl_list_cache_file (db);
	GKeyFile *kf = g_key_file_new ();
	if (!g_key_file_load_from_file (kf, file, G_KEY_FILE_NONE, NULL) ||
	    g_key_file_get_integer (kf, "cache", "version", NULL) != CACHE_VERSION) {
		g_key_file_unref (kf);
		kf = g_key_file_new ();
	}
	g_key_file_set_comment (kf, NULL, NULL,
				" trawl's cache of thread list counts and date bounds; safe to delete", NULL);
	g_key_file_set_integer (kf, "cache", "version", CACHE_VERSION);
	edit (kf, data);
	gsize len = 0;
	g_autofree char *text = g_key_file_to_data (kf, &len, NULL);
	g_autofree char *dir = g_path_get_dirname (file);
	if (text && g_mkdir_with_parents (dir, 0700) == 0)
		g_file_set_contents (file, text, len, NULL);
	if (c->kf)
		g_key_file_unref (c->kf);
	c->kf = kf;
}

/* ---- counts ---------------------------------------------------------------- */

static gboolean
query_storable (const char *query)
{
	g_autofree char *q = g_ascii_strdown (query, -1);
	return !strstr (q, "date:") && !strstr (q, "query:");
}

static int
str_cmp (const void *a, const void *b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The entry's name: a hash of everything the counts depend on. */
static char *
counts_key (TrawlDb *db, const TrawlDbStamp *s, const char *query)
{
	GString *k = g_string_new (NULL);
	g_string_append_printf (k, "%s\n%lu\n%" G_GUINT64_FORMAT "\n%" G_GUINT64_FORMAT "\n",
				s->uuid, s->revision, s->lastdocid, s->doccount);
	g_auto (GStrv) ex = g_strdupv (db->exclude_tags);
	qsort (ex, g_strv_length (ex), sizeof (char *), str_cmp);
	for (char **t = ex; *t; t++)
		g_string_append_printf (k, "exclude %s\n", *t);
	g_string_append_printf (k, "query %s", query);
	char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA256, k->str, k->len);
	g_string_free (k, TRUE);
	return h;
}

/* "SEQ;THREADS;MESSAGES" */
static gboolean
counts_parse (const char *v, guint64 *seq, gint64 *threads, gint64 *messages)
{
	if (!v)
		return FALSE;
	g_auto (GStrv) f = g_strsplit (v, ";", -1);
	if (g_strv_length (f) != 3)
		return FALSE;
	guint64 n[3];
	for (int i = 0; i < 3; i++)
		if (!g_ascii_string_to_unsigned (f[i], 10, 0, G_MAXINT64, &n[i], NULL))
			return FALSE;
	*seq = n[0];
	*threads = (gint64) n[1];
	*messages = (gint64) n[2];
	return *threads <= *messages;
}

gboolean
trawl_list_cache_get_counts (TrawlDb *db, const char *query, gint64 *threads, gint64 *messages)
{
	const TrawlDbStamp *s;
	if (!query_storable (query) || !trawl_list_cache_stamp (db, &s))
		return FALSE;
	g_autofree char *key = counts_key (db, s, query);
	g_autofree char *v = g_key_file_get_string (cache_read (db), "counts", key, NULL);
	guint64 seq;
	return counts_parse (v, &seq, threads, messages);
}

typedef struct {
	const char *key;
	gint64 threads, messages;
} CountsEdit;

static gint
seq_cmp (gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
	return x < y ? -1 : x > y;
}

static void
counts_edit (GKeyFile *kf, gpointer data)
{
	CountsEdit *e = data;
	g_auto (GStrv) keys = g_key_file_get_keys (kf, "counts", NULL, NULL);
	guint64 top = 0;
	GArray *seqs = g_array_new (FALSE, FALSE, sizeof (guint64));
	for (char **k = keys; k && *k; k++) {
		g_autofree char *v = g_key_file_get_string (kf, "counts", *k, NULL);
		guint64 seq;
		gint64 t, m;
		if (!counts_parse (v, &seq, &t, &m)) {
			g_key_file_remove_key (kf, "counts", *k, NULL);
			continue;
		}
		top = MAX (top, seq);
		if (strcmp (*k, e->key) != 0)
			g_array_append_val (seqs, seq);
	}
	/* The newest COUNTS_KEEP - 1 others stay. */
	if (seqs->len >= COUNTS_KEEP) {
		g_array_sort (seqs, seq_cmp);
		guint64 cut = g_array_index (seqs, guint64, seqs->len - (COUNTS_KEEP - 1));	/* the oldest kept */
		for (char **k = keys; k && *k; k++) {
			g_autofree char *v = g_key_file_get_string (kf, "counts", *k, NULL);
			guint64 seq;
			gint64 t, m;
			if (v && counts_parse (v, &seq, &t, &m) && seq < cut)
				g_key_file_remove_key (kf, "counts", *k, NULL);
		}
	}
	g_array_unref (seqs);
	g_autofree char *v = g_strdup_printf ("%" G_GUINT64_FORMAT ";%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT,
					      top + 1, e->threads, e->messages);
	g_key_file_set_string (kf, "counts", e->key, v);
}

void
trawl_list_cache_put_counts (TrawlDb *db, const char *uuid, unsigned long revision,
			     const char *query, gint64 threads, gint64 messages)
{
	const TrawlDbStamp *s;
	if (threads < 0 || messages < 0 || threads > messages || !uuid ||
	    !query_storable (query) || !trawl_list_cache_stamp (db, &s) ||
	    s->revision != revision || strcmp (s->uuid, uuid) != 0)
		return;
	g_autofree char *key = counts_key (db, s, query);
	CountsEdit e = { key, threads, messages };
	cache_write (db, counts_edit, &e);
}

/* ---- date bounds ----------------------------------------------------------- */

typedef struct {
	const TrawlDbStamp *s;
	gint64 lo, hi;
	guint64 messages;
} BoundsEdit;

static void
bounds_edit (GKeyFile *kf, gpointer data)
{
	BoundsEdit *e = data;
	g_key_file_remove_group (kf, "bounds", NULL);
	g_key_file_set_string (kf, "bounds", "uuid", e->s->uuid);
	g_key_file_set_uint64 (kf, "bounds", "lastdocid", e->s->lastdocid);
	g_key_file_set_uint64 (kf, "bounds", "doccount", e->s->doccount);
	g_key_file_set_int64 (kf, "bounds", "lo", e->lo);
	g_key_file_set_int64 (kf, "bounds", "hi", e->hi);
	g_key_file_set_uint64 (kf, "bounds", "messages", e->messages);
}

static gboolean
bounds_from_file (TrawlDb *db, const TrawlDbStamp *s, gint64 *lo, gint64 *hi, guint64 *messages)
{
	GKeyFile *kf = cache_read (db);
	GError *err = NULL;
	g_autofree char *uuid = g_key_file_get_string (kf, "bounds", "uuid", NULL);
	guint64 last = g_key_file_get_uint64 (kf, "bounds", "lastdocid", &err);
	guint64 count = err ? 0 : g_key_file_get_uint64 (kf, "bounds", "doccount", &err);
	*lo = err ? 0 : g_key_file_get_int64 (kf, "bounds", "lo", &err);
	*hi = err ? 0 : g_key_file_get_int64 (kf, "bounds", "hi", &err);
	*messages = err ? 0 : g_key_file_get_uint64 (kf, "bounds", "messages", &err);
	if (err) {
		g_error_free (err);
		return FALSE;
	}
	return uuid && strcmp (uuid, s->uuid) == 0 && last == s->lastdocid && count == s->doccount &&
		*messages > 0 && *lo <= *hi;
}

gboolean
trawl_list_cache_date_bounds (TrawlDb *db, gint64 *lo, gint64 *hi, guint64 *messages)
{
	TrawlListCache *c = cache_of (db);
	const TrawlDbStamp *s = NULL;
	gboolean stamped = trawl_list_cache_stamp (db, &s);
	if (c->bounds_known && stamped && c->bounds_lastdocid == s->lastdocid &&
	    c->bounds_doccount == s->doccount) {
		*lo = c->lo;
		*hi = c->hi;
		*messages = c->messages;
		return c->bounds_ok;
	}
	gboolean ok;
	if (stamped && bounds_from_file (db, s, lo, hi, messages)) {
		db->stats.bounds_cache_hits++;
		ok = TRUE;
	} else {
		g_autofree char *dir = trawl_xapian_dir (db->path);
		db->stats.bounds_passes++;
		ok = trawl_xapian_date_bounds (dir, lo, hi, messages);
		if (ok && stamped && *messages > 0 && *lo <= *hi) {
			BoundsEdit e = { s, *lo, *hi, *messages };
			cache_write (db, bounds_edit, &e);
		}
	}
	if (stamped) {
		c->bounds_known = TRUE;
		c->bounds_ok = ok;
		c->bounds_lastdocid = s->lastdocid;
		c->bounds_doccount = s->doccount;
		c->lo = *lo;
		c->hi = *hi;
		c->messages = *messages;
	}
	return ok;
}

void
trawl_list_cache_forget (TrawlDb *db)
{
	TrawlListCache *c = db->list_cache;
	if (!c)
		return;
	if (c->kf)
		g_key_file_unref (c->kf);
	c->kf = NULL;	/* read again: others may have written */
	g_clear_pointer (&c->stamp_at, g_free);
}

void
trawl_list_cache_free (TrawlDb *db)
{
	TrawlListCache *c = db->list_cache;
	if (!c)
		return;
	if (c->kf)
		g_key_file_unref (c->kf);
	g_free (c->stamp_at);
	g_free (c->stamp.uuid);
	g_free (c);
	db->list_cache = NULL;
}
