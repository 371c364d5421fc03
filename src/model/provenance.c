/* provenance.c — a message's ids, tags and files, each file's size, mtime
 * and sha256, and (in a `trawl import` archive) its import record
 * (include/trawl/provenance.h).  Reads only the message's own files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model-private.h"
#include "trawl/export.h"
#include "trawl/import.h"
#include "trawl/provenance.h"

/* F's sha256, size and mtime, streamed (any size of file). */
static void
hash_file (TrawlProvFile *f)
{
	FILE *in = fopen (f->path, "rb");
	struct stat st;
	if (!in || fstat (fileno (in), &st) < 0) {
		f->error = g_strdup (g_strerror (errno));
		f->size = -1;
		if (in)
			fclose (in);
		return;
	}
	f->size = st.st_size;
	f->mtime = st.st_mtime;
	GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
	char buf[65536];
	size_t n;
	while ((n = fread (buf, 1, sizeof buf, in)) > 0)
		g_checksum_update (sum, (const guchar *) buf, n);
	if (ferror (in)) {
		f->error = g_strdup (g_strerror (errno));
		f->size = -1;
	} else {
		f->sha256 = g_strdup (g_checksum_get_string (sum));
	}
	g_checksum_free (sum);
	fclose (in);
}

/* The archive directory when the database is a `trawl import` archive's
 * (ARCHIVE/mail is its mail root), else NULL. */
static char *
archive_of (const char *mail_root)
{
	g_autofree char *up = g_path_get_dirname (mail_root);
	g_autofree char *cfg = trawl_archive_config_path (up);
	g_autofree char *man = g_build_filename (up, "manifest.jsonl", NULL);
	if (g_file_test (cfg, G_FILE_TEST_EXISTS) && g_file_test (man, G_FILE_TEST_EXISTS))
		return g_steal_pointer (&up);
	return NULL;
}

TrawlProvenanceInfo *
trawl_provenance_collect (TrawlDb *db, const char *message_id, GError **error)
{
	notmuch_message_t *m = NULL;
	notmuch_status_t st = notmuch_database_find_message (db->nm, message_id, &m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		trawl_db_set_error (db, st, NULL, error);
		return NULL;
	}
	if (!m) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "no message %s in the database",
			     message_id);
		return NULL;
	}
	TrawlProvenanceInfo *p = trawl_provenance_info_new ();
	p->message_id = g_strdup (notmuch_message_get_message_id (m));
	p->synthesised = g_str_has_prefix (p->message_id, "notmuch-sha1-");
	p->thread_id = g_strdup (notmuch_message_get_thread_id (m));
	p->tags = trawl_tags_join (notmuch_message_get_tags (m), NULL);
	g_autofree char *root = trawl_db_mail_root (db);
	gsize rl = strlen (root);
	notmuch_filenames_t *fns = notmuch_message_get_filenames (m);
	for (; fns && notmuch_filenames_valid (fns); notmuch_filenames_move_to_next (fns)) {
		TrawlProvFile *f = g_new0 (TrawlProvFile, 1);
		f->path = g_strdup (notmuch_filenames_get (fns));
		f->relpath = g_strdup (strncmp (f->path, root, rl) == 0 && f->path[rl] == '/'
				       ? f->path + rl + 1 : f->path);
		g_ptr_array_add (p->files, f);
	}
	if (fns)
		notmuch_filenames_destroy (fns);
	notmuch_message_destroy (m);

	g_autofree char *archive = archive_of (root);
	for (guint i = 0; i < p->files->len; i++) {
		TrawlProvFile *f = p->files->pdata[i];
		hash_file (f);
		for (guint j = 0; j < i && f->sha256; j++) {
			const TrawlProvFile *e = p->files->pdata[j];
			if (g_strcmp0 (e->sha256, f->sha256) == 0) {
				f->same_as = j + 1;
				break;
			}
		}
		if (f->sha256 && !f->same_as && i > 0)
			p->files_differ = TRUE;
		if (archive && f->relpath[0] != '/') {
			f->import_file = g_strconcat ("mail/", f->relpath, NULL);
			f->import_pending = TRUE;
		}
	}
	p->archive = g_steal_pointer (&archive);
	return p;
}

void
trawl_provenance_find_imports (TrawlProvenanceInfo *p)
{
	for (guint i = 0; i < p->files->len; i++) {
		TrawlProvFile *f = p->files->pdata[i];
		if (!f->import_pending)
			continue;
		trawl_import_record_find (p->archive, f->import_file, &f->import_source, &f->import_location,
					  &f->import_run);
		f->import_pending = FALSE;
	}
	p->import_percent = 100;
}
