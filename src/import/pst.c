/* pst.c — Outlook PST/OST files, through readpst (Debian: pst-utils) into a
 * private temp directory, one .eml per message in the PST's folder tree;
 * the folders become the store's folders and each message's location
 * (PST folder path and file) is recorded. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "import-private.h"

static void
remove_tree (const char *path)
{
	GDir *d = g_dir_open (path, 0, NULL);
	if (d) {
		const char *n;
		while ((n = g_dir_read_name (d))) {
			g_autofree char *p = g_build_filename (path, n, NULL);
			if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
				remove_tree (p);
			else
				unlink (p);
		}
		g_dir_close (d);
	}
	rmdir (path);
}

gboolean
import_pst (Import *im, const char *path, const ImportWhere *where)
{
	g_autofree char *readpst = g_find_program_in_path ("readpst");
	if (!readpst) {
		import_note (im, "%s is an Outlook PST file; reading it needs readpst: apt-get install pst-utils", path);
		import_skip (im, "PST (readpst missing)", where, path);
		return TRUE;
	}
	g_autoptr (GError) err = NULL;
	g_autofree char *tmp = g_dir_make_tmp ("trawl-pst-XXXXXX", &err);
	if (!tmp) {
		import_note (im, "%s: cannot make a temp directory for readpst: %s", path, err->message);
		import_skip (im, "unreadable", where, path);
		return TRUE;
	}
	/* -e: one file per message (.eml), folders as directories; -D: deleted
	 * items too (evidence); -b: no separate RTF bodies; -q: quiet. */
	const char *argv[] = { readpst, "-e", "-D", "-b", "-q", "-o", tmp, path, NULL };
	g_autofree char *out = NULL, *errs = NULL;
	int status = 0;
	gboolean ran = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
				     &out, &errs, &status, &err);
	gboolean ok = TRUE;
	if (!ran) {
		import_note (im, "%s: cannot run readpst: %s", path, err->message);
		import_skip (im, "unreadable PST", where, path);
	} else {
		if (!g_spawn_check_wait_status (status, NULL)) {
			g_autofree char *why = g_strstrip (g_strdup (errs && *errs ? errs : out ? out : ""));
			char *nl = strchr (why, '\n');
			if (nl)
				*nl = 0;
			gboolean wrote = FALSE;
			GDir *d = g_dir_open (tmp, 0, NULL);
			wrote = d && g_dir_read_name (d) != NULL;
			if (d)
				g_dir_close (d);
			import_note (im, "%s: readpst could not read %s%s%s%s", path, wrote ? "all of it" : "it",
				     *why ? " (" : "", why, *why ? ")" : "");
			if (!wrote)
				import_skip (im, "unreadable PST", where, path);
		}
		ImportWhere w;
		import_where_copy (&w, where);
		import_where_add_string (&w, "via", "readpst");
		ok = import_directory (im, tmp, &w);
		import_where_clear (&w);
	}
	remove_tree (tmp);
	return ok;
}
