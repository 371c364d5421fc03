/* db.c — opening the notmuch database the way notmuch itself would, and the
 * small queries the rest of trawl needs (counts, query checks).
 *
 * Every libnotmuch error is turned into a GError whose message a user can act
 * on; nothing here prints. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <notmuch.h>

#include "trawl/model.h"
#include "model-private.h"
#include "listcache.h"

G_DEFINE_QUARK (trawl-model-error-quark, trawl_model_error)

/* Where notmuch looks for its config when nobody says, for messages only. */
static char *
describe_config_search (void)
{
	const char *env = g_getenv ("NOTMUCH_CONFIG");
	if (env && *env)
		return g_strdup_printf ("%s (from NOTMUCH_CONFIG)", env);
	return g_strdup_printf ("%s/notmuch/default/config or %s/.notmuch-config",
				g_get_user_config_dir (), g_get_home_dir ());
}

/* The database directory a notmuch config names, read the way notmuch reads
 * it (a GKeyFile), for error messages when notmuch itself could not say. */
static char *
configured_db_path (const char *config, const char *profile)
{
	g_autofree char *file = NULL;
	const char *env = g_getenv ("NOTMUCH_CONFIG");
	if (config && *config)
		file = g_strdup (config);
	else if (env && *env)
		file = g_strdup (env);
	else {
		const char *p = profile ? profile : g_getenv ("NOTMUCH_PROFILE");
		file = g_build_filename (g_get_user_config_dir (), "notmuch",
					 p && *p ? p : "default", "config", NULL);
		if (!g_file_test (file, G_FILE_TEST_EXISTS)) {
			g_free (file);
			file = g_build_filename (g_get_home_dir (), ".notmuch-config", NULL);
		}
	}
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	if (!g_key_file_load_from_file (kf, file, G_KEY_FILE_NONE, NULL))
		return NULL;
	g_autofree char *path = g_key_file_get_string (kf, "database", "path", NULL);
	if (!path)
		return NULL;
	g_strstrip (path);
	if (!g_path_is_absolute (path))
		return g_build_filename (g_get_home_dir (), path, NULL);
	return g_steal_pointer (&path);
}

void
trawl_strip_newlines (char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (s)
		g_strstrip (s);
}

static char *
version_stamp (const char *file)
{
	struct stat st;
	if (!file || stat (file, &st) < 0)
		return g_strdup ("");
	return g_strdup_printf ("%lu:%lld:%lld.%09ld", (unsigned long) st.st_ino, (long long) st.st_size,
				(long long) st.st_mtim.tv_sec, (long) st.st_mtim.tv_nsec);
}

TrawlDb *
trawl_db_open (const TrawlDbOptions *opts, GError **error)
{
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	const char *config = opts ? opts->config_path : NULL;
	const char *profile = opts ? opts->profile : NULL;
	gboolean writable = opts ? opts->writable : FALSE;

	/* notmuch accepts a missing --config file silently in some paths and
	 * then reports a puzzling database error: check it ourselves. */
	if (config && *config && !g_file_test (config, G_FILE_TEST_EXISTS)) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_CONFIG,
			     "notmuch config file %s does not exist; "
			     "create it with 'notmuch setup' or pass an existing file with --config",
			     config);
		return NULL;
	}

	/* Always read-only: holding notmuch's write lock while the user reads
	 * would stop `notmuch new` in other processes.  Writes open their own
	 * handle (tags.c). */
	notmuch_status_t st = notmuch_database_open_with_config (
		NULL, NOTMUCH_DATABASE_MODE_READ_ONLY, config, profile, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_autofree char *where = config ? g_strdup (config) : describe_config_search ();
		g_autofree char *dbp = configured_db_path (config, profile);
		trawl_strip_newlines (msg);
		switch (st) {
		case NOTMUCH_STATUS_NO_CONFIG:
			g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_CONFIG,
				     "no notmuch config found (looked for %s); "
				     "run 'notmuch setup', or pass --config FILE", where);
			break;
		case NOTMUCH_STATUS_NO_DATABASE:
			g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_DATABASE,
				     "the notmuch config %s names no database; "
				     "set database.path and run 'notmuch new'", where);
			break;
		default:
			if (trawl_xapian_error_is_missing (msg))
				g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_NO_DATABASE,
					     "%s (config: %s); run 'notmuch new' to create the database",
					     msg, where);
			else
				g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_OPEN,
					     "cannot open the notmuch database %s (config: %s): %s; "
					     "check its permissions, or rebuild it with 'notmuch new'",
					     dbp ? dbp : "(path unknown)", where,
					     msg && *msg ? msg : notmuch_status_to_string (st));
			break;
		}
		free (msg);
		if (nm)
			notmuch_database_destroy (nm);
		return NULL;
	}
	free (msg);

	TrawlDb *db = g_new0 (TrawlDb, 1);
	db->nm = nm;
	db->path = g_strdup (notmuch_database_get_path (nm));
	const char *cp = notmuch_config_path (nm);
	db->config_path = cp ? g_strdup (cp) : (config ? g_strdup (config) : NULL);
	db->profile = g_strdup (profile);
	db->writable = writable;
	db->count_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

	GPtrArray *ex = g_ptr_array_new ();
	notmuch_config_values_t *vals = notmuch_config_get_values (nm, NOTMUCH_CONFIG_EXCLUDE_TAGS);
	for (; vals && notmuch_config_values_valid (vals); notmuch_config_values_move_to_next (vals)) {
		const char *t = notmuch_config_values_get (vals);
		if (t && *t)
			g_ptr_array_add (ex, g_strdup (t));
	}
	if (vals)
		notmuch_config_values_destroy (vals);
	g_ptr_array_add (ex, NULL);
	db->exclude_tags = (char **) g_ptr_array_free (ex, FALSE);
	/* TRAWL_NO_XROWS: notmuch builds every row (to compare, and a way
	 * out should xrows.cc ever disagree with notmuch). */
	const char *off = g_getenv ("TRAWL_NO_XROWS");
	db->xrows_off = db->xrows_tried = off && *off && strcmp (off, "0") != 0;
	db->version_file = trawl_xapian_version_file (db->path);
	db->version_stamp = version_stamp (db->version_file);
	return db;
}

gboolean
trawl_db_changed (TrawlDb *db)
{
	g_autofree char *now = version_stamp (db->version_file);
	return strcmp (now, db->version_stamp) != 0;
}

void
trawl_db_free (TrawlDb *db)
{
	if (!db)
		return;
	if (db->nm)
		notmuch_database_destroy (db->nm);
	g_free (db->path);
	g_free (db->config_path);
	g_free (db->profile);
	g_strfreev (db->exclude_tags);
	g_free (db->version_file);
	g_free (db->version_stamp);
	if (db->count_cache)
		g_hash_table_unref (db->count_cache);
	if (db->count_jobs)
		g_hash_table_unref (db->count_jobs);
	trawl_xrows_free (db->xrows);
	trawl_list_cache_free (db);
	g_free (db);
}

const char *
trawl_db_path (const TrawlDb *db)
{
	return db->path;
}

const char *
trawl_db_config_path (const TrawlDb *db)
{
	return db->config_path;
}

gboolean
trawl_db_reopen (TrawlDb *db, GError **error)
{
	/* Stamp first: a commit landing during the reopen is then seen as a
	 * change next time, never missed. */
	g_free (db->version_stamp);
	db->version_stamp = version_stamp (db->version_file);
	trawl_list_cache_forget (db);
	notmuch_status_t st = notmuch_database_reopen (db->nm, NOTMUCH_DATABASE_MODE_READ_ONLY);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED,
			     "cannot reopen the notmuch database at %s: %s",
			     db->path, notmuch_status_to_string (st));
		return FALSE;
	}
	/* Rows read from Xapian must see what notmuch's handle now sees. */
	if (db->xrows && !trawl_xrows_reopen (db->xrows)) {
		trawl_xrows_free (db->xrows);
		db->xrows = NULL;
	}
	return TRUE;
}

const TrawlDbStats *
trawl_db_stats (const TrawlDb *db)
{
	return &db->stats;
}

char *
trawl_db_stats_text (const TrawlDb *db)
{
	const TrawlDbStats *s = &db->stats;
	g_autofree char *xr = g_strdup_printf ("rows_xapian %" G_GUINT64_FORMAT "\nxrows_messages %" G_GUINT64_FORMAT
					       "\nxwalks %" G_GUINT64_FORMAT "\nxwalk_termlists %" G_GUINT64_FORMAT
					       "\nxwalk_messages %" G_GUINT64_FORMAT "\nxcounts %" G_GUINT64_FORMAT
					       "\nxwalk_chunks %" G_GUINT64_FORMAT "\n",
					       s->rows_xapian, s->xrows_messages, s->xwalks, s->xwalk_termlists, s->xwalk_messages,
					       s->xcounts, s->xwalk_chunks);
	return g_strdup_printf ("%slists %" G_GUINT64_FORMAT "\nrows_built %" G_GUINT64_FORMAT
				"\nmessages_walked %" G_GUINT64_FORMAT "\ncount_jobs %" G_GUINT64_FORMAT
				"\nwrite_attempts %" G_GUINT64_FORMAT "\nwrites %" G_GUINT64_FORMAT
				"\nlock_waits %" G_GUINT64_FORMAT "\nsort_jobs %" G_GUINT64_FORMAT "\n"
				"window_bands %" G_GUINT64_FORMAT "\nwindow_probes %" G_GUINT64_FORMAT
				"\nwindow_messages %" G_GUINT64_FORMAT "\nwindow_fallbacks %" G_GUINT64_FORMAT "\n"
				"count_cache_hits %" G_GUINT64_FORMAT "\nbounds_cache_hits %" G_GUINT64_FORMAT
				"\nbounds_passes %" G_GUINT64_FORMAT "\n",
				xr, s->lists, s->rows_built, s->messages_walked, s->count_jobs,
				s->write_attempts, s->writes, s->lock_waits, s->sort_jobs,
				s->window_bands, s->window_probes, s->window_messages, s->window_fallbacks,
				s->count_cache_hits, s->bounds_cache_hits, s->bounds_passes);
}

/* The Xapian row reader (xrows.cc) of DB, opened on first use; NULL when
 * it cannot be (or TRAWL_NO_XROWS is set: notmuch builds every row). */
TrawlXRows *
trawl_db_xrows (TrawlDb *db)
{
	if (!db->xrows_tried) {
		db->xrows_tried = TRUE;
		g_autofree char *dir = trawl_xapian_dir (db->path);
		db->xrows = trawl_xrows_open (dir);
	}
	return db->xrows;
}

unsigned long
trawl_db_revision (TrawlDb *db)
{
	return notmuch_database_get_revision (db->nm, NULL);
}

/* Makes a query with notmuch's own defaults for interactive search: the
 * configured exclude tags, omitting excluded messages (notmuch search
 * --exclude=true). */
notmuch_query_t *
trawl_db_make_query (TrawlDb *db, const char *query, notmuch_sort_t sort, GError **error)
{
	notmuch_query_t *q = NULL;
	notmuch_status_t st = notmuch_query_create_with_syntax (db->nm, query,
								NOTMUCH_QUERY_SYNTAX_XAPIAN, &q);
	if (st != NOTMUCH_STATUS_SUCCESS || !q) {
		trawl_db_set_error (db, st, query, error);
		return NULL;
	}
	notmuch_query_set_sort (q, sort);
	for (char **t = db->exclude_tags; *t; t++)
		notmuch_query_add_tag_exclude (q, *t);
	notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_TRUE);
	return q;
}

void
trawl_db_set_error (TrawlDb *db, notmuch_status_t st, const char *query, GError **error)
{
	const char *detail = notmuch_database_status_string (db->nm);
	g_autofree char *d = g_strdup (detail ? detail : notmuch_status_to_string (st));
	trawl_strip_newlines (d);
	/* The reason in notmuch's wording is what the user needs. */
	if (st == NOTMUCH_STATUS_XAPIAN_EXCEPTION && query) {
		g_autofree char *w = trawl_xapian_query_error_reason (d);
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_QUERY, "%s", w);
		return;
	}
	g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "%s", d);
}

gint64
trawl_db_count_messages (TrawlDb *db, const char *query, GError **error)
{
	notmuch_query_t *q = trawl_db_make_query (db, query, NOTMUCH_SORT_UNSORTED, error);
	if (!q)
		return -1;
	unsigned count = 0;
	notmuch_status_t st = notmuch_query_count_messages (q, &count);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		trawl_db_set_error (db, st, query, error);
		notmuch_query_destroy (q);
		return -1;
	}
	notmuch_query_destroy (q);
	return count;
}

/* Runs QUERY far enough to parse it.  notmuch keeps the first error message
 * of a database handle and does not replace it with later ones, so the
 * message of a failure is taken from a fresh handle of its own. */
static notmuch_status_t
parse_query (notmuch_database_t *nm, char **exclude_tags, const char *query)
{
	notmuch_query_t *q = NULL;
	notmuch_status_t st = notmuch_query_create_with_syntax (nm, query, NOTMUCH_QUERY_SYNTAX_XAPIAN, &q);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return st;
	for (char **t = exclude_tags; *t; t++)
		notmuch_query_add_tag_exclude (q, *t);
	notmuch_messages_t *msgs = NULL;
	st = notmuch_query_search_messages (q, &msgs);
	notmuch_query_destroy (q);
	return st;
}

gboolean
trawl_db_check_query (TrawlDb *db, const char *query, GError **error)
{
	notmuch_status_t st = parse_query (db->nm, db->exclude_tags, query);
	if (st == NOTMUCH_STATUS_SUCCESS)
		return TRUE;
	trawl_db_query_error (db, st, query, error);
	return FALSE;
}

void
trawl_db_query_error (TrawlDb *db, notmuch_status_t st, const char *query, GError **error)
{
	notmuch_database_t *fresh = NULL;
	if (notmuch_database_open_with_config (db->path, NOTMUCH_DATABASE_MODE_READ_ONLY, "", NULL,
					       &fresh, NULL) == NOTMUCH_STATUS_SUCCESS) {
		TrawlDb tmp = *db;
		tmp.nm = fresh;
		st = parse_query (fresh, db->exclude_tags, query);
		trawl_db_set_error (&tmp, st, query, error);
		notmuch_database_destroy (fresh);
	} else {
		trawl_db_set_error (db, st, query, error);
	}
}

char *
trawl_db_default_query (TrawlDb *db)
{
	/* The tag list is read from the index's term list: O(tags), where
	 * counting tag:inbox would be O(messages). */
	gboolean inbox = FALSE;
	notmuch_tags_t *tags = notmuch_database_get_all_tags (db->nm);
	for (; tags && notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags))
		if (strcmp (notmuch_tags_get (tags), "inbox") == 0) {
			inbox = TRUE;
			break;
		}
	if (tags)
		notmuch_tags_destroy (tags);
	return g_strdup (inbox ? "tag:inbox" : "*");
}

char *
trawl_tags_join (notmuch_tags_t *tags, gboolean *unread)
{
	GString *out = g_string_new (NULL);
	for (; tags && notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags)) {
		const char *tag = notmuch_tags_get (tags);
		if (unread && strcmp (tag, "unread") == 0)
			*unread = TRUE;
		if (out->len)
			g_string_append_c (out, ' ');
		g_string_append (out, tag);
	}
	return g_string_free (out, FALSE);
}

GPtrArray *
trawl_db_all_tags (TrawlDb *db)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	notmuch_tags_t *tags = notmuch_database_get_all_tags (db->nm);
	for (; tags && notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags))
		g_ptr_array_add (out, g_strdup (notmuch_tags_get (tags)));
	if (tags)
		notmuch_tags_destroy (tags);
	return out;
}

TrawlNamedQuery *
trawl_named_query_new (const char *name, const char *query, const char *origin)
{
	TrawlNamedQuery *q = g_new (TrawlNamedQuery, 1);
	q->name = g_strdup (name);
	q->query = g_strdup (query);
	q->origin = origin;
	return q;
}

void
trawl_named_query_free (TrawlNamedQuery *q)
{
	if (!q)
		return;
	g_free (q->name);
	g_free (q->query);
	g_free (q);
}

GPtrArray *
trawl_named_queries_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_named_query_free);
}

void
trawl_db_named_queries (TrawlDb *db, GPtrArray *out)
{
	notmuch_config_pairs_t *p = notmuch_config_get_pairs (db->nm, "query.");
	for (; p && notmuch_config_pairs_valid (p); notmuch_config_pairs_move_to_next (p)) {
		const char *k = notmuch_config_pairs_key (p);
		const char *v = notmuch_config_pairs_value (p);
		if (!k || !v || !g_str_has_prefix (k, "query.") || !*v)
			continue;
		g_ptr_array_add (out, trawl_named_query_new (k + strlen ("query."), v, "notmuch"));
	}
	if (p)
		notmuch_config_pairs_destroy (p);
}

GPtrArray *
trawl_db_header_values (TrawlDb *db, const char *field, const char *prefix, guint limit)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	/* Only word characters go into the wildcard query: the user's partial
	 * address is not query syntax. */
	GString *word = g_string_new (NULL);
	for (const char *p = prefix; *p && *p != '@'; p++)
		if (g_ascii_isalnum (*p))
			g_string_append_c (word, g_ascii_tolower (*p));
	if (word->len < 2) {
		g_string_free (word, TRUE);
		return out;
	}
	g_autofree char *qs = g_strdup_printf ("%s:%s*", field, word->str);
	g_string_free (word, TRUE);
	notmuch_query_t *q = trawl_db_make_query (db, qs, NOTMUCH_SORT_NEWEST_FIRST, NULL);
	notmuch_messages_t *msgs = NULL;
	if (q && notmuch_query_search_messages (q, &msgs) == NOTMUCH_STATUS_SUCCESS) {
		for (guint n = 0; n < limit && notmuch_messages_valid (msgs); n++, notmuch_messages_move_to_next (msgs)) {
			notmuch_message_t *m = notmuch_messages_get (msgs);
			const char *v = notmuch_message_get_header (m, field);
			if (v && *v)
				g_ptr_array_add (out, g_strdup (v));
			notmuch_message_destroy (m);
		}
	}
	if (q)
		notmuch_query_destroy (q);
	return out;
}
