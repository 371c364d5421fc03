/* index.c — adding files to a notmuch database in atomic batches, through
 * libnotmuch directly (not by running `notmuch new`), for `trawl import`.
 *
 * notmuch's atomic sections only reach the disk when the handle is closed
 * (or after database.autocommit sections), so a batch is one handle:
 * open, begin_atomic, index, end_atomic, close.  The caller writes its
 * manifest only after the close returned: what the manifest says is
 * indexed, is. */
#include "config.h"

#include <string.h>
#include <notmuch.h>

#include "trawl/index.h"
#include "trawl/model.h"
#include "model-private.h"

struct TrawlIndexBatch {
	notmuch_database_t *nm;
	char **new_tags;	/* notmuch's new.tags for this database */
};

static void
set_error (notmuch_database_t *nm, notmuch_status_t st, const char *what, const char *msg, GError **error)
{
	const char *detail = msg ? msg : nm ? notmuch_database_status_string (nm) : NULL;
	g_autofree char *d = g_strdup (detail && *detail ? detail : notmuch_status_to_string (st));
	trawl_strip_newlines (d);
	g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "%s: %s", what, d);
}

static char **
config_new_tags (notmuch_database_t *nm)
{
	GPtrArray *a = g_ptr_array_new ();
	notmuch_config_values_t *v = notmuch_config_get_values (nm, NOTMUCH_CONFIG_NEW_TAGS);
	for (; v && notmuch_config_values_valid (v); notmuch_config_values_move_to_next (v)) {
		const char *t = notmuch_config_values_get (v);
		if (t && *t)
			g_ptr_array_add (a, g_strdup (t));
	}
	if (v)
		notmuch_config_values_destroy (v);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
}

TrawlIndexBatch *
trawl_index_batch_begin (const char *config_path, const char *db_path, GError **error)
{
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st;
	g_autofree char *xdir = trawl_xapian_dir (db_path);
	if (xdir)
		st = notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, config_path,
							NULL, &nm, &msg);
	else
		st = notmuch_database_create_with_config (NULL, config_path, NULL, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_autofree char *what = g_strdup_printf ("cannot open the database %s for writing", db_path);
		set_error (nm, st, what, msg, error);
		free (msg);
		if (nm)
			notmuch_database_destroy (nm);
		return NULL;
	}
	free (msg);
	st = notmuch_database_begin_atomic (nm);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		set_error (nm, st, "cannot start a database transaction", NULL, error);
		notmuch_database_destroy (nm);
		return NULL;
	}
	TrawlIndexBatch *b = g_new0 (TrawlIndexBatch, 1);
	b->nm = nm;
	b->new_tags = config_new_tags (nm);
	return b;
}

static notmuch_status_t
add_tags (notmuch_message_t *m, char *const *a, const char *const *b)
{
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	for (; a && *a && !st; a++)
		st = notmuch_message_add_tag (m, *a);
	for (; b && *b && !st; b++)
		st = notmuch_message_add_tag (m, *b);
	return st;
}

gboolean
trawl_index_batch_add (TrawlIndexBatch *b, const char *path, gboolean fresh, const char *const *extra_tags,
		       TrawlIndexResult *result, char **message_id, GError **error)
{
	notmuch_message_t *m = NULL;
	TrawlIndexResult r;
	notmuch_status_t st = fresh ? NOTMUCH_STATUS_SUCCESS
		: notmuch_database_find_message_by_filename (b->nm, path, &m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		set_error (b->nm, st, "cannot look up a file in the database", NULL, error);
		return FALSE;
	}
	if (m) {
		r = TRAWL_INDEXED_ALREADY;
		st = add_tags (m, NULL, extra_tags);
	} else {
		notmuch_indexopts_t *io = notmuch_database_get_default_indexopts (b->nm);
		st = notmuch_database_index_file (b->nm, path, io, &m);
		notmuch_indexopts_destroy (io);
		if (st == NOTMUCH_STATUS_FILE_NOT_EMAIL) {
			*result = TRAWL_INDEXED_NOT_MAIL;
			if (message_id)
				*message_id = NULL;
			return TRUE;
		}
		if (st == NOTMUCH_STATUS_SUCCESS) {
			r = TRAWL_INDEXED_NEW;
			st = notmuch_message_freeze (m);
			if (!st)
				st = add_tags (m, b->new_tags, extra_tags);
			if (!st)
				st = notmuch_message_thaw (m);
		} else if (st == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
			r = TRAWL_INDEXED_SAME_ID;
			st = add_tags (m, NULL, extra_tags);
		} else {
			g_autofree char *what = g_strdup_printf ("cannot index %s", path);
			set_error (b->nm, st, what, NULL, error);
			if (m)
				notmuch_message_destroy (m);
			return FALSE;
		}
	}
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_autofree char *what = g_strdup_printf ("cannot tag %s", path);
		set_error (b->nm, st, what, NULL, error);
		notmuch_message_destroy (m);
		return FALSE;
	}
	*result = r;
	if (message_id)
		*message_id = g_strdup (notmuch_message_get_message_id (m));
	notmuch_message_destroy (m);
	return TRUE;
}

static void
batch_free (TrawlIndexBatch *b)
{
	notmuch_database_destroy (b->nm);
	g_strfreev (b->new_tags);
	g_free (b);
}

gboolean
trawl_index_batch_commit (TrawlIndexBatch *b, GError **error)
{
	gboolean ok = TRUE;
	notmuch_status_t st = notmuch_database_end_atomic (b->nm);
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_database_close (b->nm);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		set_error (b->nm, st, "cannot commit to the database", NULL, error);
		ok = FALSE;
	}
	batch_free (b);
	return ok;
}

void
trawl_index_batch_abandon (TrawlIndexBatch *b)
{
	if (!b)
		return;
	/* Destroying a handle inside an atomic section discards the section. */
	batch_free (b);
}

/* ---- tags of an existing notmuch archive -------------------------------- */

struct TrawlTagReader {
	notmuch_database_t *nm;
};

TrawlTagReader *
trawl_tag_reader_open (const char *config_path, const char *db_path, GError **error)
{
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (
		db_path, NOTMUCH_DATABASE_MODE_READ_ONLY, config_path ? config_path : "", NULL, &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_autofree char *what = g_strdup_printf ("cannot open the notmuch database %s",
							 db_path ? db_path : config_path);
		set_error (nm, st, what, msg, error);
		free (msg);
		if (nm)
			notmuch_database_destroy (nm);
		return NULL;
	}
	free (msg);
	TrawlTagReader *r = g_new0 (TrawlTagReader, 1);
	r->nm = nm;
	return r;
}

GPtrArray *
trawl_tag_reader_tags (TrawlTagReader *r, const char *path)
{
	notmuch_message_t *m = NULL;
	if (notmuch_database_find_message_by_filename (r->nm, path, &m) != NOTMUCH_STATUS_SUCCESS || !m)
		return NULL;
	GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
	notmuch_tags_t *tags = notmuch_message_get_tags (m);
	for (; notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags))
		g_ptr_array_add (a, g_strdup (notmuch_tags_get (tags)));
	notmuch_tags_destroy (tags);
	notmuch_message_destroy (m);
	return a;
}

void
trawl_tag_reader_close (TrawlTagReader *r)
{
	if (!r)
		return;
	notmuch_database_destroy (r->nm);
	g_free (r);
}
