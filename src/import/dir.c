/* dir.c — a directory tree: maildirs (cur/ and new/, Maildir++ .Sub
 * folders), MH folders, folders of .eml files, and whatever else is in it
 * (an mbox, a zip) by content.  Files are taken in name order, so two runs
 * see the same messages in the same order (resuming depends on it).
 * Symbolic links are not followed: a dump must not lead the import out of
 * itself. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "import-private.h"

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Names nobody wants imported: notmuch's database, MH and mail client
 * bookkeeping, maildir's in-delivery tmp/. */
static gboolean
ignored (const char *name, gboolean is_dir, gboolean in_maildir)
{
	if (is_dir && (strcmp (name, ".notmuch") == 0 || (in_maildir && strcmp (name, "tmp") == 0)))
		return TRUE;
	if (!is_dir && (strcmp (name, ".mh_sequences") == 0 || strcmp (name, ".mh_profile") == 0 ||
			strcmp (name, "dovecot-uidlist") == 0 || strcmp (name, "dovecot-keywords") == 0 ||
			strcmp (name, "dovecot.index") == 0 || strcmp (name, "maildirfolder") == 0 ||
			strcmp (name, ".DS_Store") == 0 || g_str_has_prefix (name, "dovecot.index.") ||
			strcmp (name, "courierimapuiddb") == 0 || strcmp (name, "subscriptions") == 0))
		return TRUE;
	return FALSE;
}

/* REL is a path inside the source; its folder in the store is the directory
 * part, with a maildir's cur/ or new/ taken off. */
char *
import_folder_of (const char *rel_dir)
{
	if (!*rel_dir)
		return g_strdup ("");
	g_autofree char *base = g_path_get_basename (rel_dir);
	if (strcmp (base, "cur") == 0 || strcmp (base, "new") == 0) {
		g_autofree char *up = g_path_get_dirname (rel_dir);
		return g_strdup (strcmp (up, ".") == 0 ? "" : up);
	}
	return g_strdup (rel_dir);
}

static gboolean
walk (Import *im, const char *root, const char *rel, const ImportWhere *where)
{
	g_autofree char *dir = *rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
	g_autoptr (GError) err = NULL;
	GDir *d = g_dir_open (dir, 0, &err);
	if (!d) {
		import_skip (im, "unreadable", where, err->message);
		return TRUE;
	}
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	while ((name = g_dir_read_name (d)))
		g_ptr_array_add (names, g_strdup (name));
	g_dir_close (d);
	g_ptr_array_sort (names, compare_names);

	/* A maildir: it has cur/ or new/. */
	gboolean maildir = FALSE;
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		if (strcmp (n, "cur") == 0 || strcmp (n, "new") == 0) {
			g_autofree char *p = g_build_filename (dir, n, NULL);
			maildir = maildir || g_file_test (p, G_FILE_TEST_IS_DIR);
		}
	}
	g_autofree char *folder = import_folder_of (rel);
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < names->len && !import_stopping (im); i++) {
		const char *n = names->pdata[i];
		g_autofree char *path = g_build_filename (dir, n, NULL);
		g_autofree char *sub = *rel ? g_build_filename (rel, n, NULL) : g_strdup (n);
		struct stat st;
		if (lstat (path, &st) < 0) {
			ImportWhere w;
			import_where_copy (&w, where);
			import_where_add_string (&w, "file", sub);
			g_autofree char *what = g_strdup_printf ("%s: %s", path, g_strerror (errno));
			import_skip (im, "unreadable", &w, what);
			import_where_clear (&w);
			continue;
		}
		if (ignored (n, S_ISDIR (st.st_mode), maildir))
			continue;
		if (S_ISDIR (st.st_mode)) {
			ok = walk (im, root, sub, where);
			continue;
		}
		ImportWhere w;
		import_where_copy (&w, where);
		import_where_add_string (&w, "file", sub);
		if (!S_ISREG (st.st_mode))
			import_skip (im, S_ISLNK (st.st_mode) ? "symbolic link (not followed)" : "not a regular file", &w, path);
		else {
			g_autofree char *f = where->folder && *where->folder
				? (*folder ? g_build_filename (where->folder, folder, NULL) : g_strdup (where->folder))
				: g_strdup (folder);
			import_where_set_folder (&w, f);
			import_where_set_file (&w, path);
			ok = import_path (im, path, &w, 0);
		}
		import_where_clear (&w);
	}
	return ok;
}

gboolean
import_directory (Import *im, const char *path, const ImportWhere *where)
{
	return walk (im, path, "", where);
}
