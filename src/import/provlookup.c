/* provlookup.c — one stored file's import record, found in the archive's
 * manifest.jsonl without loading the rest of it (include/trawl/provenance.h):
 * a line is parsed only when it names the file. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "trawl/provenance.h"
#include "trawl/wakepipe.h"

static const char *
member (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
		? json_node_get_string (n) : NULL;
}

/* One pass over MANIFEST for the records of FILES (names relative to the
 * archive): RECORDS[i] gets FILES[i]'s first record, as (source, location,
 * run).  Checks *CANCEL between lines and reports the bytes read. */
typedef void (*ScanProgress) (goffset done, goffset total, gpointer user);

static void
scan (const char *archive, char **files, guint n, char **source, char **location, char **run,
      volatile gint *cancel, ScanProgress progress, gpointer user)
{
	g_autofree char *path = g_build_filename (archive, "manifest.jsonl", NULL);
	FILE *f = fopen (path, "r");
	if (!f)
		return;
	/* Stored files are named by their sha256: the base name is plain
	 * text in the JSON line, whatever the folders are called. */
	g_auto (GStrv) base = g_new0 (char *, n + 1);
	for (guint i = 0; i < n; i++)
		base[i] = g_path_get_basename (files[i]);
	goffset total = 0, done = 0;
	fseeko (f, 0, SEEK_END);
	total = ftello (f);
	fseeko (f, 0, SEEK_SET);
	g_autoptr (JsonParser) parser = json_parser_new ();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	guint left = n, lines = 0;
	while (left && (len = getline (&line, &cap, f)) > 0) {
		done += len;
		if (++lines % 4096 == 0) {
			if (cancel && g_atomic_int_get (cancel))
				break;
			if (progress)
				progress (done, total, user);
		}
		if (!strstr (line, "\"type\":\"message\""))
			continue;
		for (guint i = 0; i < n; i++) {
			if (source[i] || !strstr (line, base[i]))
				continue;
			if (!json_parser_load_from_data (parser, line, len, NULL))
				break;
			JsonNode *root = json_parser_get_root (parser);
			if (!root || !JSON_NODE_HOLDS_OBJECT (root))
				break;
			JsonObject *o = json_node_get_object (root);
			if (g_strcmp0 (member (o, "file"), files[i]) != 0)
				continue;
			source[i] = g_strdup (member (o, "source") ? member (o, "source") : "");
			JsonNode *loc = json_object_get_member (o, "location");
			location[i] = loc ? json_to_string (loc, FALSE) : g_strdup ("");
			run[i] = g_strdup (member (o, "run") ? member (o, "run") : "");
			left--;
		}
	}
	free (line);
	fclose (f);
}

gboolean
trawl_import_record_find (const char *archive, const char *file, char **source, char **location, char **run)
{
	char *files[] = { (char *) file, NULL };
	*source = *location = *run = NULL;
	scan (archive, files, 1, source, location, run, NULL, NULL, NULL);
	return *source != NULL;
}

/* ---- in the background ---- */

struct TrawlImportLookup {
	gint ref;		/* the UI's and the worker's */
	gint cancel;
	char *archive;
	char **files;		/* the pending files' names; INDEX their places in the info */
	guint *index;
	guint n;
	char **source, **location, **run;	/* the worker's, read once finished */
	gint percent;
	TrawlWakePipe wake;
	gint64 last_wake;	/* worker only */
};

static void
lookup_unref (TrawlImportLookup *l)
{
	if (!g_atomic_int_dec_and_test (&l->ref))
		return;
	trawl_wake_pipe_clear (&l->wake);
	g_free (l->archive);
	g_strfreev (l->files);
	g_free (l->index);
	for (guint i = 0; i < l->n; i++) {
		g_free (l->source[i]);
		g_free (l->location[i]);
		g_free (l->run[i]);
	}
	g_free (l->source);
	g_free (l->location);
	g_free (l->run);
	g_free (l);
}

static void
lookup_progress (goffset done, goffset total, gpointer user)
{
	TrawlImportLookup *l = user;
	g_atomic_int_set (&l->percent, total > 0 ? (gint) (done * 100 / total) : 0);
	gint64 now = g_get_monotonic_time ();
	if (now - l->last_wake >= G_USEC_PER_SEC / 10) {
		l->last_wake = now;
		trawl_wake_pipe_signal (&l->wake);
	}
}

static gpointer
lookup_worker (gpointer data)
{
	TrawlImportLookup *l = data;
	const char *delay = g_getenv ("TRAWL_PROVENANCE_DELAY_MS");	/* a test hook: a slow disk */
	if (delay)
		g_usleep (g_ascii_strtoull (delay, NULL, 10) * 1000);
	scan (l->archive, l->files, l->n, l->source, l->location, l->run, &l->cancel, lookup_progress, l);
	trawl_wake_pipe_finish (&l->wake);
	lookup_unref (l);
	return NULL;
}

TrawlImportLookup *
trawl_import_lookup_start (const TrawlProvenanceInfo *p)
{
	guint n = 0;
	for (guint i = 0; i < p->files->len; i++)
		n += ((const TrawlProvFile *) p->files->pdata[i])->import_pending;
	if (!p->archive || !n)
		return NULL;
	TrawlImportLookup *l = g_new0 (TrawlImportLookup, 1);
	l->ref = 2;
	l->archive = g_strdup (p->archive);
	l->files = g_new0 (char *, n + 1);
	l->index = g_new0 (guint, n);
	l->source = g_new0 (char *, n);
	l->location = g_new0 (char *, n);
	l->run = g_new0 (char *, n);
	for (guint i = 0; i < p->files->len; i++) {
		const TrawlProvFile *f = p->files->pdata[i];
		if (f->import_pending) {
			l->files[l->n] = g_strdup (f->import_file);
			l->index[l->n++] = i;
		}
	}
	g_autoptr (GError) err = NULL;
	GThread *t = NULL;
	if (trawl_wake_pipe_init (&l->wake, &err))
		t = g_thread_try_new ("trawl-import-lookup", lookup_worker, l, &err);
	if (!t) {
		/* No thread: look it up here (correct, only not in the background). */
		trawl_wake_pipe_abandon (&l->wake);
		scan (l->archive, l->files, l->n, l->source, l->location, l->run, NULL, NULL, NULL);
		l->ref = 1;
		return l;
	}
	g_thread_unref (t);
	return l;
}

int
trawl_import_lookup_fd (TrawlImportLookup *l)
{
	return l ? trawl_wake_pipe_fd (&l->wake) : -1;
}

gboolean
trawl_import_lookup_collect (TrawlImportLookup *l, TrawlProvenanceInfo *p)
{
	if (!l)
		return FALSE;
	gboolean finished = trawl_wake_pipe_finished (&l->wake);
	trawl_wake_pipe_collect (&l->wake);
	guint percent = finished ? 100 : (guint) g_atomic_int_get (&l->percent);
	gboolean changed = percent != p->import_percent;
	p->import_percent = percent;
	if (!finished)
		return changed;
	for (guint k = 0; k < l->n; k++) {
		TrawlProvFile *f = p->files->pdata[l->index[k]];
		if (!f->import_pending)
			continue;
		f->import_pending = FALSE;
		f->import_source = g_steal_pointer (&l->source[k]);
		f->import_location = g_steal_pointer (&l->location[k]);
		f->import_run = g_steal_pointer (&l->run[k]);
		changed = TRUE;
	}
	return changed;
}

void
trawl_import_lookup_free (TrawlImportLookup *l)
{
	if (!l)
		return;
	g_atomic_int_set (&l->cancel, 1);
	lookup_unref (l);
}
