/* commands.c — the command table, expanded from TRAWL_COMMANDS. */
#include "config.h"

#include <string.h>

#include "trawl/commands.h"

static const TrawlCommandInfo command_table[] = {
#define TRAWL_CMD_ROW(id, name, arg, view, keys, group, help) \
	{ TRAWL_CMD_##id, name, arg, view, keys, group, help },
	TRAWL_COMMANDS (TRAWL_CMD_ROW)
#undef TRAWL_CMD_ROW
};

const TrawlCommandInfo *
trawl_commands (gsize *n)
{
	*n = G_N_ELEMENTS (command_table);
	return command_table;
}

const TrawlCommandInfo *
trawl_command_info (TrawlCommand cmd)
{
	if (cmd <= TRAWL_CMD_NONE || cmd >= TRAWL_CMD_COUNT)
		return NULL;
	return &command_table[cmd - 1];
}

TrawlCommand
trawl_command_by_name (const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS (command_table); i++)
		if (strcmp (command_table[i].name, name) == 0)
			return command_table[i].id;
	return TRAWL_CMD_NONE;
}

gboolean
trawl_words_contain (const char *list, const char *word)
{
	gsize n = strlen (word);
	for (const char *p = list; p && (p = strstr (p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return TRUE;
	return FALSE;
}

char *
trawl_command_split (const char *text, char **arg)
{
	gsize n = strcspn (text, " \t");
	*arg = NULL;
	if (text[n]) {
		char *rest = g_strstrip (g_strdup (text + n));
		if (*rest)
			*arg = rest;
		else
			g_free (rest);
	}
	return g_strndup (text, n);
}

gboolean
trawl_command_in_view (const TrawlCommandInfo *info, const char *view)
{
	/* A command may name several views: "search thread". */
	return strcmp (info->view, "generic") == 0 || trawl_words_contain (info->view, view);
}
