/* provenance.c — where the stored files of an import archive came from,
 * read back from its manifest.jsonl, for `trawl export`'s manifests
 * (include/trawl/export.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "trawl/export.h"

static void
provenance_free (gpointer p)
{
	TrawlProvenance *v = p;
	g_free (v->source);
	g_free (v->location);
	g_free (v->run);
	g_free (v);
}

static const char *
member (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
		? json_node_get_string (n) : NULL;
}

GHashTable *
trawl_import_provenance (const char *archive)
{
	g_autofree char *path = g_build_filename (archive, "manifest.jsonl", NULL);
	FILE *f = fopen (path, "r");
	if (!f)
		return NULL;
	GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, provenance_free);
	g_autoptr (JsonParser) parser = json_parser_new ();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline (&line, &cap, f)) > 0) {
		if (!strstr (line, "\"type\":\"message\""))
			continue;
		if (!json_parser_load_from_data (parser, line, len, NULL))
			continue;
		JsonNode *root = json_parser_get_root (parser);
		if (!root || !JSON_NODE_HOLDS_OBJECT (root))
			continue;
		JsonObject *o = json_node_get_object (root);
		const char *file = member (o, "file");
		if (!file || g_hash_table_contains (h, file))
			continue;
		TrawlProvenance *v = g_new0 (TrawlProvenance, 1);
		v->source = g_strdup (member (o, "source") ? member (o, "source") : "");
		JsonNode *loc = json_object_get_member (o, "location");
		v->location = loc ? json_to_string (loc, FALSE) : g_strdup ("");
		v->run = g_strdup (member (o, "run") ? member (o, "run") : "");
		g_hash_table_insert (h, g_strdup (file), v);
	}
	free (line);
	fclose (f);
	return h;
}
