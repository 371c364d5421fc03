/* writes.c — which commands write the database.
 *
 * With --read-only the dispatcher (app_run_command) refuses these at the
 * key, before any prompt opens, with the reason on the bottom line.  One
 * list, by name, so a new writing command is added here once. */
#include "config.h"

#include <string.h>

#include "trawl/commands.h"

static const char *const writing[] = {
	"tag", "archive", "toggle-unread", "toggle-flagged", "undo",
	"tag-query", "save-search",
};

gboolean
trawl_command_writes (TrawlCommand cmd)
{
	const TrawlCommandInfo *info = trawl_command_info (cmd);
	if (!info)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS (writing); i++)
		if (strcmp (info->name, writing[i]) == 0)
			return TRUE;
	return FALSE;
}
