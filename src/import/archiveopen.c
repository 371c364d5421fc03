/* archiveopen.c — which notmuch database a command opens: --archive DIR
 * (DIR/notmuch-config), else --config FILE, else TRAWL_ARCHIVE (unless
 * --config is given: an option wins over the environment), else notmuch's
 * own search.  Written once for trawl, trawl export and trawl verify. */
#include "config.h"

#include "trawl/import.h"

gboolean
trawl_archive_resolve (const char *archive, const char *config, char **config_path,
		       char **archive_used, GError **error)
{
	const char *env = g_getenv ("TRAWL_ARCHIVE");
	if (!archive && !config && env && *env)
		archive = env;
	*config_path = archive ? trawl_archive_config_path (archive) : g_strdup (config);
	if (archive_used)
		*archive_used = g_strdup (archive);
	if (archive && !g_file_test (*config_path, G_FILE_TEST_EXISTS)) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE,
			     "%s is not a trawl archive (no notmuch-config in it)", archive);
		g_clear_pointer (config_path, g_free);
		return FALSE;
	}
	return TRUE;
}

TrawlDb *
trawl_archive_open (const char *archive, const char *config, gboolean writable,
		    char **archive_used, GError **error)
{
	g_autofree char *cfg = NULL;
	if (!trawl_archive_resolve (archive, config, &cfg, archive_used, error))
		return NULL;
	TrawlDbOptions dbo = { .config_path = cfg, .writable = writable };
	return trawl_db_open (&dbo, error);
}
