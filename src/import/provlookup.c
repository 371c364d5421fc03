/* provlookup.c — one stored file's import record, found in the archive's
 * manifest.jsonl without loading the rest of it (include/trawl/provenance.h):
 * a line is parsed only when it names the file. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "trawl/provenance.h"

static const char *
member (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
		? json_node_get_string (n) : NULL;
}

gboolean
trawl_import_record_find (const char *archive, const char *file, char **source, char **location, char **run)
{
	g_autofree char *path = g_build_filename (archive, "manifest.jsonl", NULL);
	FILE *f = fopen (path, "r");
	if (!f)
		return FALSE;
	/* Stored files are named by their sha256: the base name is plain
	 * text in the JSON line, whatever the folders are called. */
	g_autofree char *base = g_path_get_basename (file);
	g_autoptr (JsonParser) parser = json_parser_new ();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	gboolean found = FALSE;
	while (!found && (len = getline (&line, &cap, f)) > 0) {
		if (!strstr (line, base) || !strstr (line, "\"type\":\"message\""))
			continue;
		if (!json_parser_load_from_data (parser, line, len, NULL))
			continue;
		JsonNode *root = json_parser_get_root (parser);
		if (!root || !JSON_NODE_HOLDS_OBJECT (root))
			continue;
		JsonObject *o = json_node_get_object (root);
		if (g_strcmp0 (member (o, "file"), file) != 0)
			continue;
		*source = g_strdup (member (o, "source") ? member (o, "source") : "");
		JsonNode *loc = json_object_get_member (o, "location");
		*location = loc ? json_to_string (loc, FALSE) : g_strdup ("");
		*run = g_strdup (member (o, "run") ? member (o, "run") : "");
		found = TRUE;
	}
	free (line);
	fclose (f);
	return found;
}
