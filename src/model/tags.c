/* tags.c — changing tags, safely, with undo (see trawl/tags.h for the rules).
 *
 * Reads go through the read-only handle of TrawlDb; every write opens a
 * read-write handle of its own, applies the whole change inside one atomic
 * section, closes the handle (which commits) and reopens the read handle.
 * Nothing here prints. */
#define _GNU_SOURCE	/* F_OFD_GETLK */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "trawl/tags.h"
#include "model-private.h"

G_DEFINE_QUARK (trawl-tag-error-quark, trawl_tag_error)

/* How often the progress callback is called, in messages. */
#define PROGRESS_EVERY 500
/* How long a locked database is retried before giving up. */
#define LOCK_RETRY_USEC (3 * G_USEC_PER_SEC)

struct TrawlTagChange {
	GPtrArray *ids;		/* char *: messages whose tags changed */
	GPtrArray *before;	/* char ** (GStrv, sorted): their tags before */
	GPtrArray *after;	/* char ** (GStrv, sorted): their tags after */
	GPtrArray *threads;	/* char *: the thread of each message */
	GPtrArray *thread_set;	/* char *: each thread once (not owned: points into threads) */
	GPtrArray *add;		/* char *: the operations, for describe */
	GPtrArray *remove;
	char *text;		/* describe, built on demand */
};

/* ---- parsing ---- */

void
trawl_tag_ops_free (TrawlTagOps *ops)
{
	if (!ops)
		return;
	g_ptr_array_unref (ops->add);
	g_ptr_array_unref (ops->remove);
	g_free (ops);
}

static gboolean
remove_string (GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp (a->pdata[i], s) == 0) {
			g_ptr_array_remove_index (a, i);
			return TRUE;
		}
	return FALSE;
}

static gboolean
has_string (const GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp (a->pdata[i], s) == 0)
			return TRUE;
	return FALSE;
}

/* Is TAG (without its sign) acceptable?  Sets ERROR when not. */
static gboolean
check_tag (const char *word, const char *tag, GError **error)
{
	if (!*tag) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
			     "'%s' names no tag: write +TAG to add a tag, -TAG to remove one", word);
		return FALSE;
	}
	if (!g_utf8_validate (tag, -1, NULL)) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
			     "the tag '%s' is not valid UTF-8", word);
		return FALSE;
	}
	if (*tag == '-' || *tag == '+') {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
			     "'%s': a tag may not start with '%c'; write +TAG or -TAG", word, *tag);
		return FALSE;
	}
	for (const char *p = tag; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isspace (c) || g_unichar_iscntrl (c)) {
			g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
				     "the tag '%s' contains a space or a control character", word);
			return FALSE;
		}
	}
	if (strlen (tag) > NOTMUCH_TAG_MAX) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
			     "a tag is at most %d bytes long; '%.20s...' is longer", NOTMUCH_TAG_MAX, tag);
		return FALSE;
	}
	return TRUE;
}

TrawlTagOps *
trawl_tag_ops_parse (const char *text, GError **error)
{
	g_autoptr (TrawlTagOps) ops = g_new0 (TrawlTagOps, 1);
	ops->add = g_ptr_array_new_with_free_func (g_free);
	ops->remove = g_ptr_array_new_with_free_func (g_free);

	const char *p = text ? text : "";
	gboolean any = FALSE;
	for (;;) {
		while (*p && g_ascii_isspace (*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !g_ascii_isspace (*p))
			p++;
		g_autofree char *word = g_strndup (start, p - start);
		gboolean removing = word[0] == '-';
		const char *tag = (word[0] == '+' || word[0] == '-') ? word + 1 : word;
		if (!check_tag (word, tag, error))
			return NULL;
		/* The later operation on a tag wins, as with notmuch tag. */
		GPtrArray *to = removing ? ops->remove : ops->add;
		GPtrArray *other = removing ? ops->add : ops->remove;
		remove_string (other, tag);
		if (!has_string (to, tag))
			g_ptr_array_add (to, g_strdup (tag));
		any = TRUE;
	}
	if (!any) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_SYNTAX,
			     "no tags given: write +TAG to add a tag, -TAG to remove one");
		return NULL;
	}
	return g_steal_pointer (&ops);
}

/* ---- changes ---- */

static void
strv_free (gpointer p)
{
	g_strfreev (p);
}

static GPtrArray *
copy_strings (const GPtrArray *a)
{
	GPtrArray *c = g_ptr_array_new_full (a->len, g_free);
	for (guint i = 0; i < a->len; i++)
		g_ptr_array_add (c, g_strdup (a->pdata[i]));
	return c;
}

void
trawl_tag_change_free (TrawlTagChange *c)
{
	if (!c)
		return;
	g_ptr_array_unref (c->ids);
	g_ptr_array_unref (c->before);
	g_ptr_array_unref (c->after);
	g_ptr_array_unref (c->threads);
	if (c->thread_set)
		g_ptr_array_unref (c->thread_set);
	g_ptr_array_unref (c->add);
	g_ptr_array_unref (c->remove);
	g_free (c->text);
	g_free (c);
}

guint
trawl_tag_change_count (const TrawlTagChange *c)
{
	return c ? c->ids->len : 0;
}

const char *
trawl_tag_change_id (const TrawlTagChange *c, guint i)
{
	return c->ids->pdata[i];
}

const char *const *
trawl_tag_change_before (const TrawlTagChange *c, guint i)
{
	return c->before->pdata[i];
}

const char *const *
trawl_tag_change_after (const TrawlTagChange *c, guint i)
{
	return c->after->pdata[i];
}

const char *
trawl_tag_change_thread (const TrawlTagChange *c, guint i)
{
	return c->threads->pdata[i];
}

GPtrArray *
trawl_tag_change_threads (const TrawlTagChange *c)
{
	if (!c->thread_set) {
		g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
		GPtrArray *set = g_ptr_array_new ();
		for (guint i = 0; i < c->threads->len; i++) {
			const char *t = c->threads->pdata[i];
			if (*t && g_hash_table_add (seen, (gpointer) t))
				g_ptr_array_add (set, (gpointer) t);
		}
		/* const in the API: the set is a cache of what the change is. */
		((TrawlTagChange *) c)->thread_set = set;
	}
	return c->thread_set;
}

const char *
trawl_tag_change_describe (const TrawlTagChange *c)
{
	if (!c)
		return "";
	if (!c->text) {
		GString *s = g_string_new (NULL);
		for (guint i = 0; i < c->add->len; i++)
			g_string_append_printf (s, "%s+%s", s->len ? " " : "", (char *) c->add->pdata[i]);
		for (guint i = 0; i < c->remove->len; i++)
			g_string_append_printf (s, "%s-%s", s->len ? " " : "", (char *) c->remove->pdata[i]);
		g_string_append_printf (s, " on %u message%s", c->ids->len, c->ids->len == 1 ? "" : "s");
		/* const in the API: the text is a cache of what the change is. */
		((TrawlTagChange *) c)->text = g_string_free (s, FALSE);
	}
	return c->text;
}

gboolean
trawl_db_writable (const TrawlDb *db)
{
	return db->writable;
}

gboolean
trawl_db_synchronize_flags (const TrawlDb *db)
{
	notmuch_bool_t b = FALSE;
	if (notmuch_config_get_bool (db->nm, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &b) != NOTMUCH_STATUS_SUCCESS)
		return FALSE;
	return b ? TRUE : FALSE;
}

/* ---- message ids ---- */

static GPtrArray *
collect_ids (TrawlDb *db, const char *query, GError **error)
{
	notmuch_query_t *q = trawl_db_make_query (db, query, NOTMUCH_SORT_UNSORTED, error);
	if (!q)
		return NULL;
	/* No exclusions: tagging a query tags everything it matches. */
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FALSE);
	notmuch_messages_t *msgs = NULL;
	notmuch_status_t st = notmuch_query_search_messages (q, &msgs);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		notmuch_query_destroy (q);
		trawl_db_query_error (db, st, query, error);
		return NULL;
	}
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
		notmuch_message_t *m = notmuch_messages_get (msgs);
		const char *id = notmuch_message_get_message_id (m);
		if (id)
			g_ptr_array_add (ids, g_strdup (id));
		notmuch_message_destroy (m);
	}
	notmuch_query_destroy (q);	/* also destroys msgs */
	return ids;
}

GPtrArray *
trawl_db_query_message_ids (TrawlDb *db, const char *query, GError **error)
{
	return collect_ids (db, query && *query ? query : "*", error);
}

GPtrArray *
trawl_db_thread_message_ids (TrawlDb *db, const char *thread_id, GError **error)
{
	if (g_str_has_prefix (thread_id, "thread:"))
		thread_id += strlen ("thread:");
	g_autofree char *query = trawl_query_term ("thread", thread_id);
	return collect_ids (db, query, error);
}

/* ---- writing ---- */

/* Opens a read-write handle on DB's database, with the config the read
 * handle used.  Retries for a while when another process holds the lock.
 * (A writer that takes the lock between the look and the open is waited for
 * by libnotmuch itself: it blocks until that writer is done.) */
static notmuch_database_t *
open_rw (TrawlDb *db, GError **error)
{
	if (!db->writable) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_READ_ONLY,
			     "trawl was started with --read-only; tags cannot change");
		return NULL;
	}
	if (db->live_iterators) {
		/* A caller forgot to suspend a thread list: refuse rather than
		 * write under a live notmuch query (alot's #1460). */
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED,
			     "internal error: %u notmuch queries are still open; nothing was changed",
			     db->live_iterators);
		return NULL;
	}
	/* The config file the read handle read; without one, the database path
	 * and no config ("") as notmuch found it. */
	const char *config = db->config_path ? db->config_path : "";
	const char *path = db->config_path ? NULL : db->path;
	g_autofree char *xdir = db->version_file ? g_path_get_dirname (db->version_file)
		: trawl_xapian_dir (db->path);
	/* A read-only file system fails the same way as a held lock (Xapian
	 * cannot open its lock file for writing): say which, and at once. */
	if (trawl_xapian_read_only_fs (xdir)) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED,
			     "cannot open the notmuch database %s for writing: it is on a "
			     "read-only file system; nothing was changed", db->path);
		return NULL;
	}
	g_autofree char *lockfile = trawl_xapian_lock_file (xdir);
	gint64 deadline = g_get_monotonic_time () + LOCK_RETRY_USEC;
	gulong delay = 20000;
	for (;;) {
		if (trawl_xapian_write_locked (lockfile)) {
			db->stats.lock_waits++;
			gint64 now = g_get_monotonic_time ();
			if (now >= deadline)
				break;
			g_usleep (MIN ((gint64) delay, deadline - now));
			delay = MIN (delay * 2, 250000);
			continue;
		}
		notmuch_database_t *rw = NULL;
		char *msg = NULL;
		notmuch_status_t st = notmuch_database_open_with_config (
			path, NOTMUCH_DATABASE_MODE_READ_WRITE, config, db->profile, &rw, &msg);
		if (st == NOTMUCH_STATUS_SUCCESS && rw) {
			free (msg);
			return rw;
		}
		if (rw)
			notmuch_database_destroy (rw);
		g_autofree char *m = g_strdup (msg ? msg : notmuch_status_to_string (st));
		free (msg);
		trawl_strip_newlines (m);
		if (trawl_xapian_error_is_read_only_fs (m) || trawl_xapian_read_only_fs (xdir)) {
			g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED,
				     "cannot open the notmuch database %s for writing: it is on a "
				     "read-only file system (%s); nothing was changed", db->path, m);
			return NULL;
		}
		if (!trawl_xapian_error_is_lock (m)) {
			g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED,
				     "cannot open the notmuch database %s for writing: %s; nothing was changed",
				     db->path, m);
			return NULL;
		}
		db->stats.lock_waits++;
		gint64 now = g_get_monotonic_time ();
		if (now >= deadline)
			break;
		g_usleep (MIN ((gint64) delay, deadline - now));
		delay = MIN (delay * 2, 250000);
	}
	g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_LOCKED,
		     "the database is locked by another notmuch process; "
		     "nothing was changed — try again");
	return NULL;
}

static void
write_error (notmuch_database_t *rw, notmuch_status_t st, const char *what, GError **error)
{
	const char *detail = rw ? notmuch_database_status_string (rw) : NULL;
	g_autofree char *d = g_strdup (detail ? detail : notmuch_status_to_string (st));
	trawl_strip_newlines (d);
	g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED,
		     "%s: %s; nothing was changed", what, d);
}

/* Abandons RW: its atomic section (if any) is discarded. */
static void
abandon (notmuch_database_t *rw)
{
	notmuch_database_destroy (rw);
}

/* Ends the atomic section and closes RW, which commits.  Then reopens the
 * read handle.  FALSE with ERROR when the commit failed. */
static gboolean
commit (TrawlDb *db, notmuch_database_t *rw, GError **error)
{
	notmuch_status_t st = notmuch_database_end_atomic (rw);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		write_error (rw, st, "cannot commit the tag change", error);
		abandon (rw);
		return FALSE;
	}
	st = notmuch_database_close (rw);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		write_error (rw, st, "cannot commit the tag change", error);
		notmuch_database_destroy (rw);
		return FALSE;
	}
	notmuch_database_destroy (rw);
	/* The change is committed whatever happens now; a failed reopen only
	 * means reads show the old state until the next reopen. */
	g_autoptr (GError) e = NULL;
	if (!trawl_db_reopen (db, &e))
		g_debug ("after a tag change: %s", e->message);
	return TRUE;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

static char **
message_tags (notmuch_message_t *m)
{
	GPtrArray *a = g_ptr_array_new ();
	notmuch_tags_t *tags = notmuch_message_get_tags (m);
	for (; tags && notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags))
		g_ptr_array_add (a, g_strdup (notmuch_tags_get (tags)));
	if (tags)
		notmuch_tags_destroy (tags);
	g_ptr_array_sort (a, compare_strings);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
}

static gboolean
makes_changes (char **before, const TrawlTagOps *ops)
{
	for (guint i = 0; i < ops->remove->len; i++)
		if (g_strv_contains ((const char *const *) before, ops->remove->pdata[i]))
			return TRUE;
	for (guint i = 0; i < ops->add->len; i++)
		if (!g_strv_contains ((const char *const *) before, ops->add->pdata[i]))
			return TRUE;
	return FALSE;
}

/* Changes M's tags: removes REMOVE (or all tags when REMOVE_ALL), adds ADD,
 * then renames its files when flags are synchronised. */
static notmuch_status_t
retag (notmuch_message_t *m, gboolean remove_all, char *const *remove, guint n_remove,
       char *const *add, guint n_add, gboolean sync)
{
	notmuch_status_t st = notmuch_message_freeze (m);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return st;
	if (remove_all)
		st = notmuch_message_remove_all_tags (m);
	for (guint i = 0; st == NOTMUCH_STATUS_SUCCESS && i < n_remove; i++)
		st = notmuch_message_remove_tag (m, remove[i]);
	for (guint i = 0; st == NOTMUCH_STATUS_SUCCESS && i < n_add; i++)
		st = notmuch_message_add_tag (m, add[i]);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return st;	/* the atomic section is discarded: no thaw needed */
	st = notmuch_message_thaw (m);
	if (st == NOTMUCH_STATUS_SUCCESS && sync)
		st = notmuch_message_tags_to_maildir_flags (m);
	return st;
}

static gboolean
find_message (notmuch_database_t *rw, const char *id, notmuch_message_t **m, GError **error)
{
	*m = NULL;
	notmuch_status_t st = notmuch_database_find_message (rw, id, m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_autofree char *what = g_strdup_printf ("cannot look up message %s", id);
		write_error (rw, st, what, error);
		return FALSE;
	}
	return TRUE;
}

static notmuch_database_t *
begin_write (TrawlDb *db, gboolean *sync, GError **error)
{
	notmuch_database_t *rw = open_rw (db, error);
	if (!rw)
		return NULL;
	notmuch_bool_t b = FALSE;
	*sync = notmuch_config_get_bool (rw, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &b) == NOTMUCH_STATUS_SUCCESS && b;
	notmuch_status_t st = notmuch_database_begin_atomic (rw);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		write_error (rw, st, "cannot start the tag change", error);
		notmuch_database_destroy (rw);
		return NULL;
	}
	return rw;
}

TrawlTagChange *
trawl_db_apply_tags (TrawlDb *db, GPtrArray *ids, const TrawlTagOps *ops,
		     TrawlTagProgress progress, gpointer data, GError **error)
{
	g_return_val_if_fail (db && ops, NULL);
	db->stats.write_attempts++;
	gboolean sync = FALSE;
	notmuch_database_t *rw = begin_write (db, &sync, error);
	if (!rw)
		return NULL;

	g_autoptr (TrawlTagChange) c = g_new0 (TrawlTagChange, 1);
	c->ids = g_ptr_array_new_with_free_func (g_free);
	c->before = g_ptr_array_new_with_free_func (strv_free);
	c->after = g_ptr_array_new_with_free_func (strv_free);
	c->threads = g_ptr_array_new_with_free_func (g_free);
	c->add = copy_strings (ops->add);
	c->remove = copy_strings (ops->remove);

	guint total = ids ? ids->len : 0;
	for (guint i = 0; i < total; i++) {
		const char *id = ids->pdata[i];
		notmuch_message_t *m = NULL;
		if (!find_message (rw, id, &m, error)) {
			abandon (rw);
			return NULL;
		}
		if (m) {
			char **before = message_tags (m);
			if (makes_changes (before, ops)) {
				notmuch_status_t st = retag (m, FALSE, (char *const *) ops->remove->pdata,
							     ops->remove->len, (char *const *) ops->add->pdata,
							     ops->add->len, sync);
				if (st != NOTMUCH_STATUS_SUCCESS) {
					g_autofree char *what = g_strdup_printf ("cannot change the tags of message %s", id);
					write_error (rw, st, what, error);
					g_strfreev (before);
					notmuch_message_destroy (m);
					abandon (rw);
					return NULL;
				}
				g_ptr_array_add (c->ids, g_strdup (id));
				g_ptr_array_add (c->before, before);
				g_ptr_array_add (c->after, message_tags (m));
				const char *tid = notmuch_message_get_thread_id (m);
				g_ptr_array_add (c->threads, g_strdup (tid ? tid : ""));
			} else {
				g_strfreev (before);
			}
			notmuch_message_destroy (m);
		}
		if (progress && (i + 1) % PROGRESS_EVERY == 0 && i + 1 < total)
			progress (i + 1, total, data);
	}
	if (progress && total)
		progress (total, total, data);
	if (!commit (db, rw, error))
		return NULL;
	db->stats.writes++;
	return g_steal_pointer (&c);
}

gboolean
trawl_db_undo_tags (TrawlDb *db, const TrawlTagChange *change, GError **error)
{
	g_return_val_if_fail (db && change, FALSE);
	db->stats.write_attempts++;
	gboolean sync = FALSE;
	notmuch_database_t *rw = begin_write (db, &sync, error);
	if (!rw)
		return FALSE;
	for (guint i = 0; i < change->ids->len; i++) {
		const char *id = change->ids->pdata[i];
		char **before = change->before->pdata[i];
		notmuch_message_t *m = NULL;
		if (!find_message (rw, id, &m, error)) {
			abandon (rw);
			return FALSE;
		}
		if (!m)
			continue;	/* vanished since */
		notmuch_status_t st = retag (m, TRUE, NULL, 0, before, g_strv_length (before), sync);
		notmuch_message_destroy (m);
		if (st != NOTMUCH_STATUS_SUCCESS) {
			g_autofree char *what = g_strdup_printf ("cannot restore the tags of message %s", id);
			write_error (rw, st, what, error);
			abandon (rw);
			return FALSE;
		}
	}
	return commit (db, rw, error);
}

guint
trawl_db_live_iterators (const TrawlDb *db)
{
	return db->live_iterators;
}

/* ---- the undo journal ---- */

struct TrawlJournal {
	GPtrArray *changes;	/* TrawlTagChange *, newest last */
};

TrawlJournal *
trawl_journal_new (void)
{
	TrawlJournal *j = g_new0 (TrawlJournal, 1);
	j->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_tag_change_free);
	return j;
}

void
trawl_journal_free (TrawlJournal *j)
{
	if (!j)
		return;
	g_ptr_array_unref (j->changes);
	g_free (j);
}

void
trawl_journal_push (TrawlJournal *j, TrawlTagChange *c)
{
	g_ptr_array_add (j->changes, c);
}

guint
trawl_journal_len (const TrawlJournal *j)
{
	return j->changes->len;
}

const TrawlTagChange *
trawl_journal_newest (const TrawlJournal *j)
{
	return j->changes->len ? j->changes->pdata[j->changes->len - 1] : NULL;
}

TrawlTagChange *
trawl_journal_undo (TrawlJournal *j, TrawlDb *db, GError **error)
{
	if (!j->changes->len) {
		g_set_error (error, TRAWL_TAG_ERROR, TRAWL_TAG_ERROR_FAILED, "Nothing to undo");
		return NULL;
	}
	TrawlTagChange *c = j->changes->pdata[j->changes->len - 1];
	if (!trawl_db_undo_tags (db, c, error))
		return NULL;
	/* The undo is itself a change: the same messages, before and after
	 * swapped (its description stays the one the user knows). */
	TrawlTagChange *inv = g_new0 (TrawlTagChange, 1);
	inv->ids = g_ptr_array_ref (c->ids);
	inv->before = g_ptr_array_ref (c->after);
	inv->after = g_ptr_array_ref (c->before);
	inv->threads = g_ptr_array_ref (c->threads);
	inv->add = g_ptr_array_ref (c->add);
	inv->remove = g_ptr_array_ref (c->remove);
	g_ptr_array_remove_index (j->changes, j->changes->len - 1);	/* frees c; inv holds its parts */
	return inv;
}

GPtrArray *
trawl_tag_change_tags (const TrawlTagChange *c)
{
	GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < trawl_tag_change_count (c); i++) {
		const char *const *before = trawl_tag_change_before (c, i);
		const char *const *after = trawl_tag_change_after (c, i);
		for (int side = 0; side < 2; side++) {
			const char *const *from = side ? before : after, *const *other = side ? after : before;
			for (const char *const *t = from; t && *t; t++)
				if (!g_strv_contains (other, *t) &&
				    !g_ptr_array_find_with_equal_func (tags, *t, g_str_equal, NULL))
					g_ptr_array_add (tags, g_strdup (*t));
		}
	}
	return tags;
}

gboolean
trawl_query_mentions_tags (const char *query, const char *const *tags)
{
	g_autofree char *q = g_utf8_strdown (query ? query : "", -1);
	if (strstr (q, "query:") || strstr (q, "property:"))
		return TRUE;
	for (const char *const *t = tags; t && *t; t++) {
		g_autofree char *lt = g_utf8_strdown (*t, -1);
		g_autofree char *a = g_strconcat ("tag:", lt, NULL);
		g_autofree char *b = g_strconcat ("tag:\"", lt, NULL);
		g_autofree char *c = g_strconcat ("is:", lt, NULL);
		if (strstr (q, a) || strstr (q, b) || strstr (q, c))
			return TRUE;
	}
	return FALSE;
}

gboolean
trawl_tags_excluded (const char *const *tags, char *const *exclude)
{
	for (const char *const *t = tags; t && *t; t++)
		for (char *const *x = exclude; x && *x; x++)
			if (strcmp (*x, *t) == 0)
				return TRUE;
	return FALSE;
}
