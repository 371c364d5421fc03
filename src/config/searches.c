/* searches.c — trawl's saved searches in a GKeyFile. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "trawl/searches.h"

#define GROUP "searches"

char *
trawl_searches_path (void)
{
	return g_build_filename (g_get_user_config_dir (), "trawl", "searches", NULL);
}

static GKeyFile *
load (GError **error)
{
	g_autofree char *path = trawl_searches_path ();
	GKeyFile *kf = g_key_file_new ();
	g_autoptr (GError) e = NULL;
	if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &e) &&
	    !g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_propagate_prefixed_error (error, g_steal_pointer (&e), "%s: ", path);
		g_key_file_free (kf);
		return NULL;
	}
	return kf;
}

GPtrArray *
trawl_searches_all (TrawlDb *db, TrawlConfig *config, GError **error)
{
	GPtrArray *all = trawl_named_queries_new ();
	if (db)
		trawl_db_named_queries (db, all);
	if (config)
		trawl_config_searches (config, all);
	g_autoptr (GKeyFile) kf = load (error);
	if (!kf)
		return all;
	g_auto (GStrv) keys = g_key_file_get_keys (kf, GROUP, NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		g_autofree char *q = g_key_file_get_string (kf, GROUP, *k, NULL);
		if (q && *q)
			g_ptr_array_add (all, trawl_named_query_new (*k, q, "saved"));
	}
	return all;
}

gboolean
trawl_searches_add (const char *name, const char *query, GError **error)
{
	g_autoptr (GKeyFile) kf = load (error);
	if (!kf)
		return FALSE;
	g_key_file_set_string (kf, GROUP, name, query);
	g_autofree char *path = trawl_searches_path ();
	g_autofree char *dir = g_path_get_dirname (path);
	if (g_mkdir_with_parents (dir, 0700) < 0) {
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s", dir);
		return FALSE;
	}
	return g_key_file_save_to_file (kf, path, error);
}
