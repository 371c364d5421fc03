/* import.c — one import run: the archive directory, the store, the
 * manifest, and the atomic batches that index what the readers find.
 *
 * The order of things is what makes an import safe to kill at any moment
 * and to re-run:
 *   1. a message's bytes go to mail/NAME/FOLDER/tmp/, then are renamed into
 *      cur/ under the sha256 of the bytes (so a file in cur/ is whole, and
 *      the same bytes always land on the same name);
 *   2. the file is indexed and tagged inside the batch's atomic section;
 *   3. every BATCH messages: the store is synced, the batch committed, and
 *      only then are the batch's manifest lines appended (and synced).
 * A run killed anywhere leaves files in cur/ that are not (yet) indexed or
 * in the manifest, never the reverse.  Re-running the command finds them
 * by name, indexes them (or sees notmuch has them) and writes their lines;
 * a message whose (sha256, source, location) the manifest already holds is
 * skipped, so nothing is imported twice. */
#define _GNU_SOURCE	/* syncfs(2) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "trawl/index.h"
#include "trawl/mime.h"
#include "import-private.h"

G_DEFINE_QUARK (trawl-import-error-quark, trawl_import_error)

#define DEFAULT_BATCH 1000
/* A batch is also committed after this long, so progress is durable. */
#define BATCH_SECONDS 10

typedef struct {
	char *line_head;	/* the manifest line */
} Pending;

/* The run's memory per message is what decides how large a dump it can
 * take: the tables below hold 32-byte digests and paths in one string
 * chunk, no allocation per entry (about 150 bytes a message). */
#define DIGEST 32

static guint
digest_hash (gconstpointer k)
{
	guint h;
	memcpy (&h, k, sizeof h);
	return h;
}

static gboolean
digest_equal (gconstpointer a, gconstpointer b)
{
	return memcmp (a, b, DIGEST) == 0;
}

struct Import {
	const TrawlImportOptions *o;
	TrawlImportStats *stats;
	char *archive;
	char *mail_dir;
	char *db_dir;
	char *config_path;
	char *manifest_path;
	char *skipped_path;
	GString *skipped;	/* skipped.jsonl lines not written yet (written with each batch) */
	int lock_fd;
	GStringChunk *mem;	/* the tables' keys and values */
	GHashTable *by_hash;	/* sha256 (32 bytes) -> stored file (relative to the archive) */
	GHashTable *seen;	/* digests of the resume keys (sha256, source, location) in the manifest */
	GHashTable *pending_keys;	/* the same for the open batch */
	GHashTable *name_of;	/* source path -> NAME */
	GHashTable *path_of;	/* NAME -> source path */
	char *run_id;
	/* the source being read */
	const char *source;	/* absolute path */
	char *source_name;
	char **source_tags;	/* source/NAME and --tag */
	TrawlTagReader *tag_reader;	/* when the source is a notmuch archive */
	/* the batch */
	TrawlIndexBatch *batch;
	GPtrArray *pending;	/* Pending * */
	gint64 batch_started;
	guint64 batch_stored, batch_identical, batch_conflicting, batch_bytes;	/* counted at commit */
	/* progress */
	gint64 started;
	gint64 last_progress;
	guint64 bytes_total;
	guint64 top_read;	/* bytes of the current top-level file */
	guint64 top_expanded;	/* bytes its containers expanded to */
	/* stopping */
	GError *error;
};

/* ---- small things -------------------------------------------------------- */

void
import_json_string (GString *s, const char *value)
{
	g_autofree char *valid = g_utf8_make_valid (value ? value : "", -1);
	g_string_append_c (s, '"');
	for (const char *p = valid; *p; p++) {
		unsigned char c = (unsigned char) *p;
		switch (c) {
		case '"': g_string_append (s, "\\\""); break;
		case '\\': g_string_append (s, "\\\\"); break;
		case '\n': g_string_append (s, "\\n"); break;
		case '\r': g_string_append (s, "\\r"); break;
		case '\t': g_string_append (s, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				g_string_append_printf (s, "\\u%04x", c);
			else
				g_string_append_c (s, (char) c);
		}
	}
	g_string_append_c (s, '"');
}

void
import_where_init (ImportWhere *w, const char *folder)
{
	w->members = g_ptr_array_new_with_free_func (g_free);
	w->json = g_string_new (NULL);
	w->folder = g_strdup (folder ? folder : "");
	w->file_path = NULL;
}

void
import_where_copy (ImportWhere *dst, const ImportWhere *src)
{
	dst->members = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < src->members->len; i++)
		g_ptr_array_add (dst->members, g_strdup (src->members->pdata[i]));
	dst->json = g_string_new (src->json->str);
	dst->folder = g_strdup (src->folder);
	dst->file_path = g_strdup (src->file_path);
}

void
import_where_clear (ImportWhere *w)
{
	g_ptr_array_unref (w->members);
	g_string_free (w->json, TRUE);
	g_free (w->folder);
	g_free (w->file_path);
}

static void
where_key (ImportWhere *w, const char *key)
{
	if (w->json->len)
		g_string_append_c (w->json, ',');
	import_json_string (w->json, key);
	g_string_append_c (w->json, ':');
}

void
import_where_add_string (ImportWhere *w, const char *key, const char *value)
{
	where_key (w, key);
	import_json_string (w->json, value);
}

void
import_where_add_int (ImportWhere *w, const char *key, gint64 value)
{
	where_key (w, key);
	g_string_append_printf (w->json, "%" G_GINT64_FORMAT, value);
}

void
import_where_add_member (ImportWhere *w, const char *member)
{
	g_ptr_array_add (w->members, g_strdup (member));
}

char *
import_where_json (const ImportWhere *w)
{
	GString *s = g_string_new ("{");
	if (w->members->len) {
		g_string_append (s, "\"members\":[");
		for (guint i = 0; i < w->members->len; i++) {
			if (i)
				g_string_append_c (s, ',');
			import_json_string (s, w->members->pdata[i]);
		}
		g_string_append_c (s, ']');
		if (w->json->len)
			g_string_append_c (s, ',');
	}
	g_string_append (s, w->json->str);
	g_string_append_c (s, '}');
	return g_string_free (s, FALSE);
}

void
import_where_set_folder (ImportWhere *w, const char *folder)
{
	g_free (w->folder);
	w->folder = g_strdup (folder ? folder : "");
}

void
import_where_set_file (ImportWhere *w, const char *path)
{
	g_free (w->file_path);
	w->file_path = g_strdup (path);
}

void
import_note (Import *im, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	g_autofree char *line = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	im->stats->warnings++;
	if (im->o->note)
		im->o->note (line, im->o->user);
}

static void
report_progress (Import *im, gboolean force)
{
	gint64 now = g_get_monotonic_time ();
	if (!force && now - im->last_progress < 200000)
		return;
	im->last_progress = now;
	if (!im->o->progress)
		return;
	TrawlImportProgress p = {
		im->source,
		im->stats->stored + im->stats->identical + im->stats->already + im->batch_stored + im->batch_identical,
		im->stats->bytes_read,
		im->bytes_total,
		(now - im->started) / 1e6,
	};
	im->o->progress (&p, im->o->user);
}

void
import_bytes (Import *im, guint64 n)
{
	im->stats->bytes_read += n;
	im->top_read += n;
	report_progress (im, FALSE);
}

void
import_top_file (Import *im)
{
	im->top_read = im->top_expanded = 0;
}

gboolean
import_expanded (Import *im, guint64 n)
{
	im->top_expanded += n;
	if (im->o->max_expanded && im->top_expanded > im->o->max_expanded)
		return FALSE;
	if (im->o->max_ratio && im->top_expanded > IMPORT_RATIO_FLOOR &&
	    im->top_expanded / MAX (im->top_read, 1) > im->o->max_ratio)
		return FALSE;
	return TRUE;
}

gboolean
import_stopping (Import *im)
{
	if (im->error)
		return TRUE;
	if (im->o->cancel && *im->o->cancel) {
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_CANCELLED, "interrupted");
		return TRUE;
	}
	return FALSE;
}

guint64 import_max_message (const Import *im) { return im->o->max_message_size; }
const char *import_mbox_format (const Import *im) { return im->o->mbox_format ? im->o->mbox_format : "auto"; }

/* Appends LINE (no newline) to PATH's end, synced.  FALSE with errno. */
static gboolean
append_lines (const char *path, const char *text, gsize len)
{
	int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return FALSE;
	gsize done = 0;
	while (done < len) {
		gssize n = write (fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close (fd);
			errno = e ? e : ENOSPC;
			return FALSE;
		}
		done += (gsize) n;
	}
	gboolean ok = fsync (fd) == 0;
	int e = errno;
	close (fd);
	errno = e;
	return ok;
}

static char *
now_iso (void)
{
	g_autoptr (GDateTime) t = g_date_time_new_now_utc ();
	return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static void
flush_skipped (Import *im)
{
	if (!im->skipped->len)
		return;
	if (!append_lines (im->skipped_path, im->skipped->str, im->skipped->len))
		import_note (im, "cannot write %s: %s", im->skipped_path, g_strerror (errno));
	g_string_truncate (im->skipped, 0);
}

void
import_skip (Import *im, const char *reason, const ImportWhere *where, const char *what)
{
	im->stats->skipped++;
	gpointer old = g_hash_table_lookup (im->stats->skipped_by_reason, reason);
	g_hash_table_replace (im->stats->skipped_by_reason, g_strdup (reason),
			      GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
	GString *s = g_string_new ("{\"type\":\"skipped\",\"reason\":");
	import_json_string (s, reason);
	g_string_append (s, ",\"what\":");
	import_json_string (s, what);
	g_string_append (s, ",\"source\":");
	import_json_string (s, im->source);
	g_autofree char *loc = where ? import_where_json (where) : g_strdup ("{}");
	g_string_append_printf (s, ",\"location\":%s,\"run\":", loc);
	import_json_string (s, im->run_id);
	g_string_append (s, "}\n");
	g_string_append_len (im->skipped, s->str, s->len);
	g_string_free (s, TRUE);
	/* Written (and synced) with the batches, not one fsync per skipped
	 * file: a dump of a million non-mail files must not cost a million. */
	if (im->skipped->len > 1 << 16)
		flush_skipped (im);
}

/* ---- the archive ---------------------------------------------------------- */

char *
trawl_archive_config_path (const char *archive)
{
	return g_build_filename (archive, "notmuch-config", NULL);
}

static gboolean
mkdir_p (const char *path, GError **error)
{
	if (g_mkdir_with_parents (path, 0755) < 0) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE, "cannot create %s: %s", path,
			     g_strerror (errno));
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_config (Import *im, GError **error)
{
	if (g_file_test (im->config_path, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *text = g_strdup_printf (
		"# notmuch config of a trawl archive, written by `trawl import`.\n"
		"# Use it with `notmuch --config=%s ...` or `trawl --archive %s`.\n"
		"[database]\n"
		"path=%s\n"
		"mail_root=%s\n"
		"\n"
		"[new]\n"
		"tags=unread;\n"
		"ignore=\n"
		"\n"
		"[search]\n"
		"exclude_tags=deleted;spam;\n"
		"\n"
		"# Evidence: notmuch must never rename message files.\n"
		"[maildir]\n"
		"synchronize_flags=false\n",
		im->config_path, im->archive, im->db_dir, im->mail_dir);
	g_autofree char *tmp = g_strconcat (im->config_path, ".tmp", NULL);
	if (!g_file_set_contents (tmp, text, -1, error) || rename (tmp, im->config_path) < 0) {
		if (error && !*error)
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE, "cannot write %s: %s",
				     im->config_path, g_strerror (errno));
		else if (error && *error)
			(*error)->domain = TRAWL_IMPORT_ERROR, (*error)->code = TRAWL_IMPORT_ERROR_ARCHIVE;
		return FALSE;
	}
	return TRUE;
}

/* The canonical text of a location (the resume key must be the same whether
 * the location was just built or read back from the manifest). */
static char *
canonical_json (JsonNode *node)
{
	g_autoptr (JsonGenerator) gen = json_generator_new ();
	json_generator_set_root (gen, node);
	return json_generator_to_data (gen, NULL);
}

/* The resume key of a message: where it was found and what it was. */
static void
resume_key (const char *sha, const char *source, const char *location, guint8 out[DIGEST])
{
	g_autoptr (GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);
	g_checksum_update (c, (const guchar *) sha, -1);
	g_checksum_update (c, (const guchar *) "\t", 1);
	g_checksum_update (c, (const guchar *) source, -1);
	g_checksum_update (c, (const guchar *) "\t", 1);
	g_checksum_update (c, (const guchar *) location, -1);
	gsize n = DIGEST;
	g_checksum_get_digest (c, out, &n);
}

/* A sha256 in hex as its 32 bytes; FALSE when it is not one. */
static gboolean
sha_bytes (const char *hex, guint8 out[DIGEST])
{
	if (strlen (hex) != 2 * DIGEST)
		return FALSE;
	for (int i = 0; i < DIGEST; i++) {
		int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return FALSE;
		out[i] = (guint8) (hi << 4 | lo);
	}
	return TRUE;
}

static gpointer
intern_digest (Import *im, const guint8 d[DIGEST])
{
	return g_string_chunk_insert_len (im->mem, (const char *) d, DIGEST);
}

static const char *
member_string (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);
	return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
		? json_node_get_string (n) : NULL;
}

/* Reads the manifest: stored hashes, resume keys, source names. */
static gboolean
load_manifest (Import *im, GError **error)
{
	FILE *f = fopen (im->manifest_path, "r");
	if (!f) {
		if (errno == ENOENT)
			return TRUE;
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE, "cannot read %s: %s",
			     im->manifest_path, g_strerror (errno));
		return FALSE;
	}
	g_autoptr (JsonParser) parser = json_parser_new ();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	guint lineno = 0;
	while ((len = getline (&line, &cap, f)) > 0) {
		lineno++;
		if (!json_parser_load_from_data (parser, line, len, NULL) ||
		    !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
			/* A line cut by a crash while it was appended: its batch
			 * is committed, so the resume writes it again. */
			g_debug ("%s:%u: not a JSON object", im->manifest_path, lineno);
			continue;
		}
		JsonObject *o = json_node_get_object (json_parser_get_root (parser));
		const char *type = member_string (o, "type");
		if (g_strcmp0 (type, "message") == 0) {
			const char *sha = member_string (o, "sha256");
			const char *file = member_string (o, "file");
			const char *source = member_string (o, "source");
			JsonNode *loc = json_object_get_member (o, "location");
			if (!sha || !file || !source || !loc)
				continue;
			guint8 sb[DIGEST], kb[DIGEST];
			if (!sha_bytes (sha, sb))
				continue;
			if (!g_hash_table_contains (im->by_hash, sb))
				g_hash_table_insert (im->by_hash, intern_digest (im, sb),
						     g_string_chunk_insert_const (im->mem, file));
			g_autofree char *l = canonical_json (loc);
			resume_key (sha, source, l, kb);
			if (!g_hash_table_contains (im->seen, kb))
				g_hash_table_add (im->seen, intern_digest (im, kb));
		} else if (g_strcmp0 (type, "source") == 0) {
			const char *name = member_string (o, "name");
			const char *path = member_string (o, "path");
			if (name && path && !g_hash_table_contains (im->name_of, path)) {
				g_hash_table_insert (im->name_of, g_strdup (path), g_strdup (name));
				g_hash_table_insert (im->path_of, g_strdup (name), g_strdup (path));
			}
		}
	}
	free (line);
	fclose (f);
	return TRUE;
}

/* ---- batches -------------------------------------------------------------- */

static void
pending_free (gpointer p)
{
	Pending *pe = p;
	g_free (pe->line_head);

	g_free (pe);
}

/* Commits the open batch and appends its manifest lines.  On failure sets
 * im->error (nothing of the batch is then in the database or manifest). */
static gboolean
flush_batch (Import *im)
{
	flush_skipped (im);
	if (!im->batch)
		return TRUE;
	/* The stored files reach the disk before the database says they exist. */
	int dfd = open (im->mail_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		syncfs (dfd);
		close (dfd);
	}
	g_autoptr (GError) err = NULL;
	TrawlIndexBatch *b = g_steal_pointer (&im->batch);
	gboolean committed = trawl_index_batch_commit (b, &err);
	guint64 stored = im->batch_stored, identical = im->batch_identical, conflicting = im->batch_conflicting;
	im->batch_stored = im->batch_identical = im->batch_conflicting = im->batch_bytes = 0;
	if (!committed) {
		g_autofree char *what = g_strdup_printf ("%s; the last batch (%u messages) was not indexed",
							 err->message, im->pending->len);
		if (!im->error)
			g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DATABASE, "%s", what);
		else
			import_note (im, "%s", what);
		g_ptr_array_set_size (im->pending, 0);
		g_hash_table_remove_all (im->pending_keys);
		return FALSE;
	}
	im->stats->stored += stored;
	im->stats->identical += identical;
	im->stats->conflicting += conflicting;
	GString *text = g_string_new (NULL);
	for (guint i = 0; i < im->pending->len; i++) {
		Pending *pe = im->pending->pdata[i];
		g_string_append (text, pe->line_head);
	}
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init (&it, im->pending_keys);
	while (g_hash_table_iter_next (&it, &k, NULL))
		g_hash_table_add (im->seen, k);
	g_hash_table_remove_all (im->pending_keys);
	g_ptr_array_set_size (im->pending, 0);
	gboolean ok = append_lines (im->manifest_path, text->str, text->len);
	if (!ok && !im->error)
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK,
			     "cannot append to %s: %s (the messages are indexed; re-running the import records them)",
			     im->manifest_path, g_strerror (errno));
	g_string_free (text, TRUE);
	return ok;
}

static gboolean
ensure_batch (Import *im)
{
	if (im->batch)
		return TRUE;
	g_autoptr (GError) err = NULL;
	im->batch = trawl_index_batch_begin (im->config_path, im->db_dir, &err);
	if (!im->batch) {
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DATABASE, "%s", err->message);
		return FALSE;
	}
	im->batch_started = g_get_monotonic_time ();
	return TRUE;
}

/* ---- storing a message ------------------------------------------------------ */

/* A folder path made safe for the store: no "..", no empty or hidden-dot
 * tricks beyond Maildir++'s, no control characters. */
static char *
safe_folder (const char *folder)
{
	g_auto (GStrv) parts = g_strsplit (folder ? folder : "", "/", -1);
	GString *s = g_string_new (NULL);
	for (char **p = parts; *p; p++) {
		if (!**p || strcmp (*p, ".") == 0)
			continue;
		g_autofree char *valid = g_utf8_make_valid (*p, -1);
		for (char *c = valid; *c; c++)
			if ((unsigned char) *c < 0x20 || *c == 0x7f || *c == '\\')
				*c = '_';
		if (strcmp (valid, "..") == 0 || strcmp (valid, "tmp") == 0 || strcmp (valid, "cur") == 0 ||
		    strcmp (valid, "new") == 0)
			g_string_append_c (s, '_');
		if (s->len && s->str[s->len - 1] != '/')
			g_string_append_c (s, '/');
		g_string_append (s, valid);
	}
	return g_string_free (s, FALSE);
}

/* Is there room on the archive's disk for LEN more bytes, and for the
 * database's commit of the batch after them?  When there is not, the batch
 * is committed now (while it still can be) and the run stops with a
 * message: nothing is half-written, and the same command resumes. */
#define RESERVE_BYTES (32u << 20)
static gboolean
room_for (Import *im, gsize len)
{
	struct statvfs vfs;
	if (statvfs (im->archive, &vfs) < 0)
		return TRUE;
	guint64 avail = (guint64) vfs.f_bavail * vfs.f_frsize;
	guint64 need = RESERVE_BYTES + 4 * (im->batch_bytes + len);
	if (avail >= need)
		return TRUE;
	g_autofree char *have = g_format_size (avail);
	g_autofree char *want = g_format_size (need);
	flush_batch (im);
	if (!im->error)
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK,
			     "the disk holding %s is nearly full (%s free; the next message and the database's "
			     "commit need about %s); stopped after the last complete batch", im->archive, have, want);
	return FALSE;
}

/* Writes DATA to REL (relative to the archive) the maildir way.  TRUE when
 * the file is there (written now or by an earlier run). */
static gboolean
store_file (Import *im, const char *rel, const char *dir_rel, const char *sha, const guint8 *data, gsize len,
	    gboolean *written)
{
	g_autofree char *path = g_build_filename (im->archive, rel, NULL);
	*written = FALSE;
	if (g_file_test (path, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *dir = g_build_filename (im->archive, dir_rel, NULL);
	g_autofree char *cur = g_build_filename (dir, "cur", NULL);
	g_autofree char *newd = g_build_filename (dir, "new", NULL);
	g_autofree char *tmpd = g_build_filename (dir, "tmp", NULL);
	if (g_mkdir_with_parents (cur, 0755) < 0 || g_mkdir_with_parents (newd, 0755) < 0 ||
	    g_mkdir_with_parents (tmpd, 0755) < 0) {
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK, "cannot create %s: %s", cur,
			     g_strerror (errno));
		return FALSE;
	}
	g_autofree char *tmp = g_strdup_printf ("%s/%s.%d", tmpd, sha, (int) getpid ());
	int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
	gsize done = 0;
	int e = 0;
	if (fd < 0)
		e = errno;
	while (fd >= 0 && done < len) {
		gssize n = write (fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		done += (gsize) n;
	}
	if (fd >= 0 && close (fd) < 0 && !e)
		e = errno;
	if (!e && rename (tmp, path) < 0)
		e = errno;
	if (e) {
		unlink (tmp);
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK,
			     "cannot write %s: %s", path, g_strerror (e));
		return FALSE;
	}
	*written = TRUE;
	im->stats->bytes_stored += len;
	return TRUE;
}

gboolean
import_message (Import *im, const guint8 *data, gsize len, const ImportWhere *where, char *const *extra_tags)
{
	if (import_stopping (im))
		return FALSE;
	if (len == 0) {
		import_skip (im, "empty", where, "an empty message");
		return TRUE;
	}
	if (im->o->max_message_size && len > im->o->max_message_size) {
		g_autofree char *what = g_strdup_printf ("a message of %" G_GSIZE_FORMAT " bytes", len);
		import_skip (im, "too large", where, what);
		return TRUE;
	}
	g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

	/* The location, canonical (the resume key) and as it goes in the line. */
	g_autofree char *loc_text = import_where_json (where);
	g_autoptr (JsonParser) parser = json_parser_new ();
	if (!json_parser_load_from_data (parser, loc_text, -1, NULL)) {
		g_warning ("bad location JSON %s", loc_text);
		return TRUE;
	}
	g_autofree char *loc = canonical_json (json_parser_get_root (parser));
	guint8 key[DIGEST], shab[DIGEST];
	resume_key (sha, im->source, loc, key);
	if (g_hash_table_contains (im->seen, key) || g_hash_table_contains (im->pending_keys, key)) {
		im->stats->already++;
		report_progress (im, FALSE);
		return TRUE;
	}
	sha_bytes (sha, shab);
	const char *known = g_hash_table_lookup (im->by_hash, shab);
	g_autofree char *rel = NULL;
	gboolean written = FALSE;
	if (known)
		rel = g_strdup (known);
	else {
		if (!room_for (im, len))
			return FALSE;
		g_autofree char *folder = safe_folder (where->folder);
		g_autofree char *dir_rel = *folder ? g_build_filename ("mail", im->source_name, folder, NULL)
			: g_build_filename ("mail", im->source_name, NULL);
		g_autofree char *name = g_strconcat (sha, ":2,", NULL);
		rel = g_build_filename (dir_rel, "cur", name, NULL);
		if (!store_file (im, rel, dir_rel, sha, data, len, &written))
			return FALSE;
	}
	if (!ensure_batch (im))
		return FALSE;

	/* Tags: the source's, --tag's, the reader's, and an imported notmuch
	 * archive's own. */
	g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
	for (char **t = im->source_tags; t && *t; t++)
		g_ptr_array_add (tags, g_strdup (*t));
	for (char *const *t = extra_tags; t && *t; t++)
		g_ptr_array_add (tags, g_strdup (*t));
	if (im->tag_reader && where->file_path) {
		g_autoptr (GPtrArray) old = trawl_tag_reader_tags (im->tag_reader, where->file_path);
		for (guint i = 0; old && i < old->len; i++)
			g_ptr_array_add (tags, g_strdup (old->pdata[i]));
	}
	g_ptr_array_add (tags, NULL);

	g_autofree char *abs = g_build_filename (im->archive, rel, NULL);
	g_autoptr (GError) err = NULL;
	TrawlIndexResult result;
	g_autofree char *mid = NULL;
	if (!trawl_index_batch_add (im->batch, abs, written, (const char *const *) tags->pdata, &result, &mid, &err)) {
		g_set_error (&im->error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DATABASE, "%s", err->message);
		return FALSE;
	}
	if (result == TRAWL_INDEXED_NOT_MAIL) {
		if (written)
			unlink (abs);
		import_skip (im, "not mail", where, "notmuch found no message in it");
		return TRUE;
	}
	if (known)
		im->batch_identical++;
	else {
		im->batch_stored++;
		im->batch_bytes += len;
		if (result == TRAWL_INDEXED_SAME_ID)
			im->batch_conflicting++;
		g_hash_table_insert (im->by_hash, intern_digest (im, shab), g_string_chunk_insert_const (im->mem, rel));
	}

	GString *line = g_string_new ("{\"type\":\"message\",\"file\":");
	import_json_string (line, rel);
	g_string_append_printf (line, ",\"sha256\":\"%s\",\"size\":%" G_GSIZE_FORMAT ",\"source\":", sha, len);
	import_json_string (line, im->source);
	g_string_append_printf (line, ",\"location\":%s,\"run\":", loc);
	import_json_string (line, im->run_id);
	g_string_append (line, ",\"message_id\":");
	import_json_string (line, mid);
	if (result == TRAWL_INDEXED_SAME_ID)
		g_string_append (line, ",\"same_id_other_bytes\":true");
	g_string_append (line, "}\n");
	Pending *pe = g_new0 (Pending, 1);
	pe->line_head = g_string_free (line, FALSE);
	g_ptr_array_add (im->pending, pe);
	g_hash_table_add (im->pending_keys, intern_digest (im, key));

	guint batch = im->o->batch_size ? im->o->batch_size : DEFAULT_BATCH;
	if (im->pending->len >= batch || g_get_monotonic_time () - im->batch_started > BATCH_SECONDS * G_USEC_PER_SEC)
		if (!flush_batch (im))
			return FALSE;
	report_progress (im, FALSE);
	return TRUE;
}

/* ---- sources ------------------------------------------------------------ */

/* NAME for a source: its file name without the extensions that say what it
 * is, reduced to letters, digits and . _ - (a tag and a folder name). */
static char *
base_name (const char *path)
{
	g_autofree char *base = g_path_get_basename (path);
	static const char *const exts[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", ".tgz", ".tbz2", ".txz",
					    ".tar", ".zip", ".7z", ".mbox", ".mbx", ".eml", ".pst", ".ost",
					    ".txt", ".rar", ".cpio", ".Z" };
	gboolean again = TRUE;
	while (again) {
		again = FALSE;
		for (gsize i = 0; i < G_N_ELEMENTS (exts); i++)
			if (g_str_has_suffix (base, exts[i]) && strlen (base) > strlen (exts[i])) {
				base[strlen (base) - strlen (exts[i])] = 0;
				again = TRUE;
			}
	}
	g_autofree char *valid = g_utf8_make_valid (base, -1);
	GString *s = g_string_new (NULL);
	for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isalnum (c) || c == '.' || c == '_' || c == '-')
			g_string_append_unichar (s, c);
		else if (s->len && s->str[s->len - 1] != '-')
			g_string_append_c (s, '-');
	}
	while (s->len && (s->str[s->len - 1] == '-' || s->str[s->len - 1] == '.'))
		g_string_truncate (s, s->len - 1);
	while (s->len && s->str[0] == '.')
		g_string_erase (s, 0, 1);
	if (!s->len)
		g_string_append (s, "source");
	return g_string_free (s, FALSE);
}

/* NAME_FROM: the path NAME is made from (the source itself, or the mail
 * root of a notmuch config). */
static gboolean
begin_source (Import *im, const char *abs, const char *name_from, GError **error)
{
	const char *name = g_hash_table_lookup (im->name_of, abs);
	gboolean fresh = name == NULL;
	g_autofree char *chosen = NULL;
	if (!name) {
		g_autofree char *base = base_name (name_from);
		chosen = g_strdup (base);
		for (guint i = 2; g_hash_table_contains (im->path_of, chosen); i++) {
			g_free (chosen);
			chosen = g_strdup_printf ("%s-%u", base, i);
		}
		g_hash_table_insert (im->name_of, g_strdup (abs), g_strdup (chosen));
		g_hash_table_insert (im->path_of, g_strdup (chosen), g_strdup (abs));
		name = chosen;
	}
	g_free (im->source_name);
	im->source_name = g_strdup (name);
	im->source = g_hash_table_lookup (im->path_of, name);
	g_strfreev (im->source_tags);
	GPtrArray *t = g_ptr_array_new ();
	g_ptr_array_add (t, g_strconcat ("source/", name, NULL));
	for (char **x = im->o->extra_tags; x && *x; x++)
		g_ptr_array_add (t, g_strdup (*x));
	g_ptr_array_add (t, NULL);
	im->source_tags = (char **) g_ptr_array_free (t, FALSE);
	if (fresh) {
		GString *s = g_string_new ("{\"type\":\"source\",\"name\":");
		import_json_string (s, name);
		g_string_append (s, ",\"path\":");
		import_json_string (s, abs);
		g_string_append (s, ",\"tag\":");
		import_json_string (s, im->source_tags[0]);
		g_string_append (s, ",\"run\":");
		import_json_string (s, im->run_id);
		g_string_append (s, "}\n");
		gboolean ok = append_lines (im->manifest_path, s->str, s->len);
		g_string_free (s, TRUE);
		if (!ok) {
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK, "cannot write %s: %s",
				     im->manifest_path, g_strerror (errno));
			return FALSE;
		}
	}
	return TRUE;
}

/* A notmuch database beside the mail (DIR/.notmuch), or a notmuch config
 * file naming one: its tags come along. */
static void
open_tag_reader (Import *im, const char *config, const char *db_path)
{
	g_autoptr (GError) err = NULL;
	im->tag_reader = trawl_tag_reader_open (config, db_path, &err);
	if (!im->tag_reader)
		import_note (im, "%s: its tags cannot be read (%s); the messages are imported without them",
			     db_path ? db_path : config, err->message);
}

/* A notmuch config file as a source: its mail_root (or database.path),
 * imported with the database's tags.  NULL when PATH is no such file. */
static char *
notmuch_config_mail_root (const char *path)
{
	struct stat st;
	if (stat (path, &st) < 0 || !S_ISREG (st.st_mode) || st.st_size > 1 << 20)
		return NULL;
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL) || !g_key_file_has_group (kf, "database"))
		return NULL;
	g_autofree char *root = g_key_file_get_string (kf, "database", "mail_root", NULL);
	if (!root || !*g_strstrip (root)) {
		g_free (root);
		root = g_key_file_get_string (kf, "database", "path", NULL);
	}
	if (!root || !*g_strstrip (root))
		return NULL;
	if (!g_path_is_absolute (root))
		return g_build_filename (g_get_home_dir (), root, NULL);
	return g_steal_pointer (&root);
}

static guint64
tree_size (const char *path)
{
	struct stat st;
	if (lstat (path, &st) < 0)
		return 0;
	if (!S_ISDIR (st.st_mode))
		return S_ISREG (st.st_mode) ? (guint64) st.st_size : 0;
	guint64 total = 0;
	GDir *d = g_dir_open (path, 0, NULL);
	const char *n;
	while (d && (n = g_dir_read_name (d))) {
		g_autofree char *p = g_build_filename (path, n, NULL);
		total += tree_size (p);
	}
	if (d)
		g_dir_close (d);
	return total;
}

static gboolean
import_source (Import *im, const char *given, GError **error)
{
	g_autofree char *abs = NULL;
	{
		char *r = realpath (given, NULL);
		if (!r) {
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_USAGE, "%s: %s", given, g_strerror (errno));
			return FALSE;
		}
		abs = g_strdup (r);
		free (r);
	}
	g_autofree char *root = g_file_test (abs, G_FILE_TEST_IS_DIR) ? NULL : notmuch_config_mail_root (abs);
	if (!begin_source (im, abs, root ? root : abs, error))
		return FALSE;
	ImportWhere w;
	import_where_init (&w, "");
	gboolean ok;
	if (g_file_test (abs, G_FILE_TEST_IS_DIR)) {
		g_autofree char *nm = g_build_filename (abs, ".notmuch", NULL);
		if (g_file_test (nm, G_FILE_TEST_IS_DIR))
			open_tag_reader (im, NULL, abs);
		ok = import_directory (im, abs, &w);
	} else if (root) {
		open_tag_reader (im, abs, NULL);
		ok = import_directory (im, root, &w);
	} else {
		ok = import_path (im, abs, &w, 0);
	}
	import_where_clear (&w);
	if (im->tag_reader) {
		trawl_tag_reader_close (im->tag_reader);
		im->tag_reader = NULL;
	}
	return ok && !im->error;
}

/* Is CHILD (absolute, resolved) PARENT or inside it? */
static gboolean
inside (const char *child, const char *parent)
{
	gsize n = strlen (parent);
	return strncmp (child, parent, n) == 0 && (child[n] == 0 || child[n] == '/' || (n && parent[n - 1] == '/'));
}

void
trawl_import_stats_clear (TrawlImportStats *stats)
{
	if (stats->skipped_by_reason)
		g_hash_table_unref (stats->skipped_by_reason);
	memset (stats, 0, sizeof *stats);
}

static void
import_free (Import *im)
{
	if (im->batch)
		trawl_index_batch_abandon (im->batch);
	if (im->tag_reader)
		trawl_tag_reader_close (im->tag_reader);
	if (im->lock_fd >= 0)
		close (im->lock_fd);
	g_free (im->archive);
	g_free (im->mail_dir);
	g_free (im->db_dir);
	g_free (im->config_path);
	g_free (im->manifest_path);
	g_free (im->skipped_path);
	g_string_free (im->skipped, TRUE);
	g_hash_table_unref (im->by_hash);
	g_hash_table_unref (im->seen);
	g_hash_table_unref (im->pending_keys);
	g_string_chunk_free (im->mem);
	g_hash_table_unref (im->name_of);
	g_hash_table_unref (im->path_of);
	g_free (im->run_id);
	g_free (im->source_name);
	g_strfreev (im->source_tags);
	g_ptr_array_unref (im->pending);
	g_clear_error (&im->error);
	g_free (im);
}

gboolean
trawl_import_run (const char *archive, char *const *sources, const TrawlImportOptions *opts,
		  TrawlImportStats *stats, GError **error)
{
	trawl_mime_init ();
	if (!stats->skipped_by_reason)
		stats->skipped_by_reason = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	if (!sources || !sources[0]) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_USAGE, "no source given");
		return FALSE;
	}
	if (g_mkdir_with_parents (archive, 0755) < 0) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE, "cannot create %s: %s", archive,
			     g_strerror (errno));
		return FALSE;
	}
	Import *im = g_new0 (Import, 1);
	im->o = opts;
	im->stats = stats;
	im->lock_fd = -1;
	{
		char *r = realpath (archive, NULL);
		im->archive = g_strdup (r ? r : archive);
		free (r);
	}
	im->mail_dir = g_build_filename (im->archive, "mail", NULL);
	im->db_dir = g_build_filename (im->archive, "db", NULL);
	im->config_path = trawl_archive_config_path (im->archive);
	im->manifest_path = g_build_filename (im->archive, "manifest.jsonl", NULL);
	im->skipped_path = g_build_filename (im->archive, "skipped.jsonl", NULL);
	im->skipped = g_string_new (NULL);
	im->mem = g_string_chunk_new (1 << 16);
	im->by_hash = g_hash_table_new (digest_hash, digest_equal);
	im->seen = g_hash_table_new (digest_hash, digest_equal);
	im->pending_keys = g_hash_table_new (digest_hash, digest_equal);
	im->name_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	im->path_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	im->pending = g_ptr_array_new_with_free_func (pending_free);
	im->started = g_get_monotonic_time ();
	{
		g_autoptr (GDateTime) t = g_date_time_new_now_utc ();
		g_autofree char *ts = g_date_time_format (t, "%Y%m%dT%H%M%SZ");
		im->run_id = g_strdup_printf ("%s-%d", ts, (int) getpid ());
	}
	gboolean ok = FALSE;
	g_autofree char *lock = g_build_filename (im->archive, ".import-lock", NULL);

	/* Sources must exist and lie outside the archive (the archive would
	 * otherwise import itself). */
	for (char *const *s = sources; *s; s++) {
		char *r = realpath (*s, NULL);
		if (!r) {
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_USAGE, "%s: %s", *s, g_strerror (errno));
			goto out;
		}
		gboolean in = inside (r, im->archive) || inside (im->archive, r);
		free (r);
		if (in) {
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_USAGE,
				     "%s is inside the archive %s (or holds it); import from outside it", *s, im->archive);
			goto out;
		}
		im->bytes_total += tree_size (*s);
	}
	if (!mkdir_p (im->mail_dir, error) || !mkdir_p (im->db_dir, error) || !write_config (im, error))
		goto out;
	im->lock_fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (im->lock_fd < 0 || flock (im->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE,
			     im->lock_fd < 0 ? "cannot create %s" : "another trawl import is writing to %s; wait for it",
			     im->lock_fd < 0 ? lock : im->archive);
		goto out;
	}
	if (!load_manifest (im, error))
		goto out;
	{
		g_autofree char *t = now_iso ();
		GString *s = g_string_new ("{\"type\":\"run\",\"run\":");
		import_json_string (s, im->run_id);
		g_string_append (s, ",\"time\":");
		import_json_string (s, t);
		g_string_append (s, ",\"trawl\":");
		import_json_string (s, PACKAGE_VERSION);
		g_string_append (s, ",\"command\":");
		import_json_string (s, opts->command_line ? opts->command_line : "");
		g_string_append (s, "}\n");
		gboolean w = append_lines (im->manifest_path, s->str, s->len);
		g_string_free (s, TRUE);
		if (!w) {
			g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_DISK, "cannot write %s: %s",
				     im->manifest_path, g_strerror (errno));
			goto out;
		}
	}
	ok = TRUE;
	for (char *const *s = sources; ok && *s; s++) {
		g_autoptr (GError) e = NULL;
		ok = import_source (im, *s, &e);
		if (e)
			g_propagate_error (error, g_steal_pointer (&e));
	}
	/* Whatever stopped the run, what was stored is committed. */
	gboolean flushed = flush_batch (im);
	if (im->error) {
		if (error && !*error)
			g_propagate_error (error, g_steal_pointer (&im->error));
		ok = FALSE;
	}
	ok = ok && flushed;
	report_progress (im, TRUE);
out:
	stats->seconds = (g_get_monotonic_time () - im->started) / 1e6;
	import_free (im);
	return ok;
}

/* ---- verify --------------------------------------------------------------- */

static void
collect_store (const char *archive, const char *rel, GHashTable *files)
{
	g_autofree char *dir = g_build_filename (archive, rel, NULL);
	GDir *d = g_dir_open (dir, 0, NULL);
	const char *n;
	while (d && (n = g_dir_read_name (d))) {
		g_autofree char *sub = g_build_filename (rel, n, NULL);
		g_autofree char *p = g_build_filename (archive, sub, NULL);
		if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK)) {
			if (strcmp (n, "tmp") != 0)
				collect_store (archive, sub, files);
		} else
			g_hash_table_add (files, g_strdup (sub));
	}
	if (d)
		g_dir_close (d);
}

gint64
trawl_import_verify (const char *archive, void (*note) (const char *line, gpointer user), gpointer user,
		     guint64 *checked, GError **error)
{
	g_autofree char *manifest = g_build_filename (archive, "manifest.jsonl", NULL);
	FILE *f = fopen (manifest, "r");
	if (!f) {
		g_set_error (error, TRAWL_IMPORT_ERROR, TRAWL_IMPORT_ERROR_ARCHIVE, "cannot read %s: %s", manifest,
			     g_strerror (errno));
		return -1;
	}
	g_autoptr (GHashTable) expect = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr (GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr (JsonParser) parser = json_parser_new ();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	gint64 problems = 0;
	guint lineno = 0;
	while ((len = getline (&line, &cap, f)) > 0) {
		lineno++;
		if (!json_parser_load_from_data (parser, line, len, NULL) ||
		    !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
			g_autofree char *m = g_strdup_printf ("manifest.jsonl:%u: not a JSON object", lineno);
			note (m, user);
			problems++;
			continue;
		}
		JsonObject *o = json_node_get_object (json_parser_get_root (parser));
		if (g_strcmp0 (member_string (o, "type"), "message") != 0)
			continue;
		const char *file = member_string (o, "file");
		const char *sha = member_string (o, "sha256");
		if (!file || !sha)
			continue;
		const char *had = g_hash_table_lookup (expect, file);
		if (had && strcmp (had, sha) != 0) {
			g_autofree char *m = g_strdup_printf ("manifest.jsonl:%u: %s recorded with two hashes", lineno, file);
			note (m, user);
			problems++;
		}
		if (!had) {
			g_hash_table_insert (expect, g_strdup (file), g_strdup (sha));
			g_hash_table_insert (sizes, g_strdup (file),
					     GSIZE_TO_POINTER ((gsize) json_object_get_int_member_with_default (o, "size", -1)));
		}
	}
	free (line);
	fclose (f);

	g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	collect_store (archive, "mail", present);
	guint64 n = 0;
	g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (expect), (GCompareFunc) strcmp);
	for (GList *l = keys; l; l = l->next) {
		const char *file = l->data;
		const char *sha = g_hash_table_lookup (expect, file);
		g_autofree char *path = g_build_filename (archive, file, NULL);
		g_autofree char *data = NULL;
		gsize dlen = 0;
		n++;
		if (!g_file_get_contents (path, &data, &dlen, NULL)) {
			g_autofree char *m = g_strdup_printf ("%s: missing (or unreadable)", file);
			note (m, user);
			problems++;
			continue;
		}
		g_autofree char *got = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) data, dlen);
		gsize want_size = GPOINTER_TO_SIZE (g_hash_table_lookup (sizes, file));
		if (strcmp (got, sha) != 0 || dlen != want_size) {
			g_autofree char *m = g_strdup_printf ("%s: changed: sha256 %s (manifest %s), %" G_GSIZE_FORMAT
							     " bytes (manifest %" G_GSIZE_FORMAT ")",
							     file, got, sha, dlen, want_size);
			note (m, user);
			problems++;
		}
	}
	g_autoptr (GList) extra = g_list_sort (g_hash_table_get_keys (present), (GCompareFunc) strcmp);
	for (GList *l = extra; l; l = l->next)
		if (!g_hash_table_contains (expect, l->data)) {
			g_autofree char *m = g_strdup_printf ("%s: in the store but not in the manifest "
							     "(an interrupted import: re-run it)", (char *) l->data);
			note (m, user);
			problems++;
		}
	if (checked)
		*checked = n;
	return problems;
}
