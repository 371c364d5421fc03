/* export.c — `trawl export --to PATH [--format mbox|maildir|eml] QUERY...`
 * (include/trawl/export.h).
 *
 * PATH is a new directory holding:
 *   messages.mbox        --format mbox: mboxrd ("From ADDR DATE" separators,
 *                        body lines matching ^>*From  get one more '>')
 *   cur/SHA256:2,        --format maildir: one file per message
 *   NNNNNN-SHA.eml       --format eml: one file per message
 *   manifest.csv, manifest.json   one row per message (see trawl(1))
 *   SHA256SUMS           for `sha256sum -c SHA256SUMS` run in PATH
 * Every message file is the original bytes of the message's first file.
 * While it runs, PATH/.incomplete says what the export is; running the same
 * command again finishes an interrupted export.  Only PATH is written. */
#define _GNU_SOURCE	/* syncfs(2) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "trawl/export.h"
#include "trawl/import.h"
#include "trawl/process.h"
#include "trawl/model.h"
#include "trawl/sanitize.h"

G_DEFINE_QUARK (trawl-export-error, trawl_export_error)

typedef TrawlExportFormat Format;
#define FMT_MBOX TRAWL_EXPORT_MBOX
#define FMT_MAILDIR TRAWL_EXPORT_MAILDIR
#define FMT_EML TRAWL_EXPORT_EML
static const char *const format_names[] = { "mbox", "maildir", "eml" };

const char *
trawl_export_format_name (TrawlExportFormat f)
{
	return (guint) f < G_N_ELEMENTS (format_names) ? format_names[f] : "?";
}

gboolean
trawl_export_format_parse (const char *name, TrawlExportFormat *out)
{
	for (guint i = 0; name && i < G_N_ELEMENTS (format_names); i++)
		if (g_str_equal (name, format_names[i])) {
			*out = (TrawlExportFormat) i;
			return TRUE;
		}
	return FALSE;
}

typedef struct {
	Format format;
	const char *to;
	char *mail_root;
	char *archive;		/* the import archive the database belongs to, or NULL */
	GHashTable *prov;	/* file relative to ARCHIVE -> TrawlProvenance */
	guint run;
	FILE *mbox;
	GString *csv;		/* the new rows */
	GString *json;		/* the new message objects, one a line */
	GString *sums;		/* SHA256SUMS lines of the message files */
	guint64 n, total, bytes;
	TrawlExportProgress p;
	TrawlExportProgressFn progress;
	gpointer user;
	volatile gint *cancel;
	gboolean stopped;
	guint64 stop_after;	/* TRAWL_EXPORT_STOP_AFTER (tests) */
	guint delay_ms;		/* TRAWL_EXPORT_DELAY_MS (tests) */
} Export;

/* ---- text ------------------------------------------------------------------ */

static void
json_str (GString *s, const char *v)
{
	g_autofree char *valid = g_utf8_make_valid (v ? v : "", -1);
	g_string_append_c (s, '"');
	for (const unsigned char *p = (const unsigned char *) valid; *p; p++) {
		switch (*p) {
		case '"': g_string_append (s, "\\\""); break;
		case '\\': g_string_append (s, "\\\\"); break;
		case '\n': g_string_append (s, "\\n"); break;
		case '\r': g_string_append (s, "\\r"); break;
		case '\t': g_string_append (s, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				g_string_append_printf (s, "\\u%04x", *p);
			else
				g_string_append_c (s, (char) *p);
		}
	}
	g_string_append_c (s, '"');
}

static void
csv_field (GString *s, const char *v, gboolean last)
{
	g_autofree char *valid = g_utf8_make_valid (v ? v : "", -1);
	g_string_append_c (s, '"');
	for (const char *p = valid; *p; p++) {
		if (*p == '"')
			g_string_append_c (s, '"');
		g_string_append_c (s, *p);
	}
	g_string_append_c (s, '"');
	g_string_append (s, last ? "\r\n" : ",");
}

static char *
iso_utc (gint64 t)
{
	g_autoptr (GDateTime) d = g_date_time_new_from_unix_utc (t);
	return d ? g_date_time_format (d, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* The address for the "From " line: the addr-spec of FROM, no spaces. */
static char *
envelope_sender (const char *from)
{
	const char *lt = strrchr (from, '<');
	const char *gt = lt ? strchr (lt, '>') : NULL;
	g_autofree char *addr = NULL;
	if (lt && gt && gt > lt + 1)
		addr = g_strndup (lt + 1, (gsize) (gt - lt - 1));
	else {
		g_auto (GStrv) words = g_strsplit_set (from, " \t,;", -1);
		for (char **w = words; *w && !addr; w++)
			if (strchr (*w, '@'))
				addr = g_strdup (*w);
	}
	if (!addr || !*addr)
		return g_strdup ("MAILER-DAEMON");
	for (char *p = addr; *p; p++)
		if ((unsigned char) *p <= ' ' || *p == 0x7f)
			*p = '_';
	return g_steal_pointer (&addr);
}

static char *
asctime_utc (gint64 t)
{
	time_t tt = (time_t) t;
	struct tm tm;
	char buf[64];
	if (!gmtime_r (&tt, &tm) || !strftime (buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm))
		return g_strdup ("Thu Jan  1 00:00:00 1970");
	return g_strdup (buf);
}

/* The message DATA as an mboxrd entry: the "From " line, the header as it
 * is, body lines matching ^>*From  with one more '>', and the blank line
 * that ends the entry (trawl import takes exactly that one away). */
static void
mboxrd_entry (GString *out, const char *data, gsize len, const char *sender, const char *when)
{
	g_string_append_printf (out, "From %s %s\n", sender, when);
	/* The body starts after the first empty line (LF or CRLF). */
	gsize body = len;
	for (gsize i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (i + 1 < len && data[i + 1] == '\n') {
			body = i + 2;
			break;
		}
		if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') {
			body = i + 3;
			break;
		}
	}
	g_string_append_len (out, data, (gssize) body);
	for (gsize i = body; i < len;) {
		const char *nl = memchr (data + i, '\n', len - i);
		gsize end = nl ? (gsize) (nl - data) + 1 : len;
		gsize q = i;
		while (q < end && data[q] == '>')
			q++;
		if (end - q >= 5 && memcmp (data + q, "From ", 5) == 0)
			g_string_append_c (out, '>');
		g_string_append_len (out, data + i, (gssize) (end - i));
		i = end;
	}
	if (len && data[len - 1] != '\n')
		g_string_append_c (out, '\n');
	g_string_append_c (out, '\n');
}

/* ---- files ------------------------------------------------------------------ */

/* SYNC: fsync before the rename (the manifests, the marker); the message
 * files are not synced one by one, but all at once (syncfs) before the
 * manifests are written. */
static gboolean
write_file_sync (const char *path, const char *data, gsize len, gboolean sync, GError **error)
{
	g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
	int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	gboolean ok = fd >= 0;
	for (gsize off = 0; ok && off < len;) {
		ssize_t w = write (fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ok = FALSE;
		else
			off += (gsize) w;
	}
	if (ok && sync && fsync (fd) < 0)
		ok = FALSE;
	int saved = errno;
	if (fd >= 0 && close (fd) < 0 && ok) {
		ok = FALSE;
		saved = errno;
	}
	if (ok && rename (tmp, path) < 0) {
		ok = FALSE;
		saved = errno;
	}
	if (!ok) {
		unlink (tmp);
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot write %s: %s", path,
			     g_strerror (saved));
	}
	return ok;
}

static gboolean
write_file (const char *path, const char *data, gsize len, GError **error)
{
	return write_file_sync (path, data, len, TRUE, error);
}

static char *
file_sha256 (const char *path)
{
	FILE *f = fopen (path, "rb");
	if (!f)
		return NULL;
	GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
	guchar buf[65536];
	size_t r;
	while ((r = fread (buf, 1, sizeof buf, f)) > 0)
		g_checksum_update (c, buf, r);
	fclose (f);
	char *s = g_strdup (g_checksum_get_string (c));
	g_checksum_free (c);
	return s;
}

/* Every file written under PATH on the disk (the message files were not
 * synced one by one). */
static gboolean
sync_dir (const char *path, GError **error)
{
	int fd = open (path, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || syncfs (fd) < 0) {
		int e = errno;
		if (fd >= 0)
			close (fd);
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "cannot sync %s: %s", path, g_strerror (e));
		return FALSE;
	}
	close (fd);
	return TRUE;
}

/* ---- one message ------------------------------------------------------------ */

static gboolean
export_one (const TrawlExportMessage *m, gpointer user, GError **error)
{
	Export *x = user;
	/* The tests' stand-in for a Ctrl-C after N messages. */
	if (x->stop_after && x->n >= x->stop_after)
		x->stopped = TRUE;
	if (x->delay_ms && !x->stopped)
		g_usleep (x->delay_ms * 1000);
	if (x->stopped || (x->cancel && g_atomic_int_get (x->cancel))) {
		g_set_error_literal (error, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_CANCELLED, "interrupted");
		return FALSE;
	}
	g_autofree char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents (m->filename, &data, &len, error))
		return FALSE;
	g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
	g_autofree char *out = NULL;
	switch (x->format) {
	case FMT_MBOX: {
		g_autofree char *sender = envelope_sender (m->from);
		g_autofree char *when = asctime_utc (m->date_utc);
		GString *e = g_string_sized_new (len + 128);
		mboxrd_entry (e, data, len, sender, when);
		gboolean ok = fwrite (e->str, 1, e->len, x->mbox) == e->len;
		g_string_free (e, TRUE);
		if (!ok) {
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot write %s/messages.mbox: %s",
				     x->to, g_strerror (errno));
			return FALSE;
		}
		out = g_strdup ("messages.mbox");
		break;
	}
	case FMT_MAILDIR:
		out = g_strdup_printf ("cur/%s:2,", sha);
		break;
	case FMT_EML:
		out = g_strdup_printf ("%06" G_GUINT64_FORMAT "-%.16s.eml", x->n + 1, sha);
		break;
	}
	if (x->format != FMT_MBOX) {
		g_autofree char *path = g_build_filename (x->to, out, NULL);
		/* Written by an interrupted run: complete (written then renamed),
		 * unless the system went down before the data reached the disk. */
		struct stat st;
		if ((stat (path, &st) < 0 || (guint64) st.st_size != len) &&
		    !write_file_sync (path, data, len, FALSE, error))
			return FALSE;
		g_string_append_printf (x->sums, "%s  %s\n", sha, out);
	}

	/* Relative to the mail root, and where an import took it from. */
	const char *rel = m->filename;
	size_t rl = strlen (x->mail_root);
	if (strncmp (rel, x->mail_root, rl) == 0 && rel[rl] == '/')
		rel += rl + 1;
	const TrawlProvenance *pv = NULL;
	if (x->prov) {
		g_autofree char *arel = g_strconcat ("mail/", rel, NULL);
		pv = g_hash_table_lookup (x->prov, arel);
	}
	g_autofree char *iso = iso_utc (m->date_utc);
	g_autofree char *run = g_strdup_printf ("%u", x->run);
	const char *fields[] = { m->message_id, m->date, iso, m->from, m->to, m->cc, m->subject, m->tags, m->thread_id,
				 rel, pv ? pv->source : "", pv ? pv->location : "", pv ? pv->run : "", sha, out, run };
	for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
		csv_field (x->csv, fields[i], i + 1 == G_N_ELEMENTS (fields));
	static const char *const names[] = { "message_id", "date", "date_utc", "from", "to", "cc", "subject", "tags",
					     "thread_id", "file", "import_source", "import_location", "import_run",
					     "sha256", "output" };
	g_string_append_c (x->json, '{');
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
		if (i)
			g_string_append_c (x->json, ',');
		json_str (x->json, names[i]);
		g_string_append_c (x->json, ':');
		if (g_str_equal (names[i], "tags")) {
			g_auto (GStrv) t = g_strsplit (m->tags, " ", -1);
			g_string_append_c (x->json, '[');
			gboolean first = TRUE;
			for (char **p = t; *p; p++)
				if (**p) {
					if (!first)
						g_string_append_c (x->json, ',');
					json_str (x->json, *p);
					first = FALSE;
				}
			g_string_append_c (x->json, ']');
		} else
			json_str (x->json, fields[i]);
	}
	g_string_append_printf (x->json, ",\"size\":%" G_GSIZE_FORMAT ",\"export_run\":%u}\n", len, x->run);
	x->n++;
	x->bytes += len;
	x->p.done = x->n;
	x->p.bytes = x->bytes;
	if (x->progress)
		x->progress (&x->p, x->user);
	return TRUE;
}

/* ---- the command -------------------------------------------------------------- */

/* The .incomplete marker: what the export is, and where an appended run
 * began (so that finishing it starts that run again). */
typedef struct {
	char *key;
	guint run;
	guint64 mbox_start;
	guint64 csv_keep;
} Marker;

static gboolean
read_marker (const char *path, Marker *mk)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents (path, &text, NULL, NULL))
		return FALSE;
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix (*l, "key: "))
			mk->key = g_strdup (*l + 5);
		else if (g_str_has_prefix (*l, "run: "))
			mk->run = (guint) g_ascii_strtoull (*l + 5, NULL, 10);
		else if (g_str_has_prefix (*l, "mbox-start: "))
			mk->mbox_start = g_ascii_strtoull (*l + 12, NULL, 10);
		else if (g_str_has_prefix (*l, "csv-keep: "))
			mk->csv_keep = g_ascii_strtoull (*l + 10, NULL, 10);
	}
	return mk->key && mk->run;
}

static guint64
file_size (const char *path)
{
	struct stat st;
	return stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

static const char csv_header[] =
	"message_id,date,date_utc,from,to,cc,subject,tags,thread_id,file,import_source,import_location,"
	"import_run,sha256,output,export_run\r\n";

/* Writes manifest.csv, manifest.json and SHA256SUMS, keeping what earlier
 * runs (--append) wrote. */
static gboolean
finish (Export *x, const Marker *mk, const char *command_line, const char *query, GError **error)
{
	g_autofree char *csv_path = g_build_filename (x->to, "manifest.csv", NULL);
	g_autofree char *json_path = g_build_filename (x->to, "manifest.json", NULL);
	g_autofree char *sums_path = g_build_filename (x->to, "SHA256SUMS", NULL);

	GString *csv = g_string_new (NULL);
	GString *runs = g_string_new (NULL), *msgs = g_string_new (NULL);
	if (x->run > 1) {
		g_autofree char *old = NULL;
		gsize olen = 0;
		if (g_file_get_contents (csv_path, &old, &olen, NULL))
			g_string_append_len (csv, old, (gssize) MIN (olen, mk->csv_keep));
		g_free (old);
		old = NULL;
		if (g_file_get_contents (json_path, &old, NULL, NULL)) {
			g_autofree char *mine = g_strdup_printf (",\"export_run\":%u}", x->run);
			g_autofree char *mine_run = g_strdup_printf ("{\"run\":%u,", x->run);
			g_auto (GStrv) lines = g_strsplit (old, "\n", -1);
			for (char **l = lines; *l; l++) {
				char *t = *l;
				gsize n = strlen (t);
				if (n && t[n - 1] == ',')
					t[--n] = 0;
				if (g_str_has_prefix (t, "{\"run\":") && !g_str_has_prefix (t, mine_run))
					g_string_append_printf (runs, "%s%s", runs->len ? ",\n" : "", t);
				else if (g_str_has_prefix (t, "{\"message_id\":") && !g_str_has_suffix (t, mine))
					g_string_append_printf (msgs, "%s%s", msgs->len ? ",\n" : "", t);
			}
		}
	}
	if (!csv->len)
		g_string_append (csv, csv_header);
	g_string_append_len (csv, x->csv->str, (gssize) x->csv->len);

	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
	g_autofree char *when = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
	GString *run = g_string_new (NULL);
	g_string_append_printf (run, "{\"run\":%u,\"date\":", x->run);
	json_str (run, when);
	g_string_append (run, ",\"command\":");
	json_str (run, command_line);
	g_string_append (run, ",\"query\":");
	json_str (run, query);
	g_string_append_printf (run, ",\"messages\":%" G_GUINT64_FORMAT "}", x->n);
	g_string_append_printf (runs, "%s%s", runs->len ? ",\n" : "", run->str);
	g_string_free (run, TRUE);
	g_auto (GStrv) mine = g_strsplit (x->json->str, "\n", -1);
	for (char **l = mine; *l; l++)
		if (**l)
			g_string_append_printf (msgs, "%s%s", msgs->len ? ",\n" : "", *l);
	GString *json = g_string_new (NULL);
	g_string_append_printf (json, "{\"format\":\"%s\",\"runs\":[\n%s\n],\"messages\":[\n%s%s]}\n",
				format_names[x->format], runs->str, msgs->str, msgs->len ? "\n" : "");
	g_string_free (runs, TRUE);
	g_string_free (msgs, TRUE);

	gboolean ok = write_file (csv_path, csv->str, csv->len, error) &&
		      write_file (json_path, json->str, json->len, error);
	g_string_free (csv, TRUE);
	g_string_free (json, TRUE);
	if (!ok)
		return FALSE;
	GString *sums = g_string_new (NULL);
	if (x->format == FMT_MBOX) {
		g_autofree char *mbox = g_build_filename (x->to, "messages.mbox", NULL);
		g_autofree char *s = file_sha256 (mbox);
		g_string_append_printf (sums, "%s  messages.mbox\n", s ? s : "");
	} else
		g_string_append_len (sums, x->sums->str, (gssize) x->sums->len);
	g_autofree char *s1 = file_sha256 (csv_path);
	g_autofree char *s2 = file_sha256 (json_path);
	g_string_append_printf (sums, "%s  manifest.csv\n%s  manifest.json\n", s1 ? s1 : "", s2 ? s2 : "");
	ok = write_file (sums_path, sums->str, sums->len, error);
	g_string_free (sums, TRUE);
	return ok;
}

/* The error E (domain TRAWL_EXPORT_ERROR, CODE) with the message of the
 * printf FMT. */
#define export_fail(error, code, ...) g_set_error (error, TRAWL_EXPORT_ERROR, code, __VA_ARGS__)

gboolean
trawl_export_run (TrawlDb *db, const TrawlExportRequest *req, TrawlExportProgressFn progress_fn, gpointer user,
		  volatile gint *cancel, TrawlExportProgress *out, GError **error)
{
	g_autoptr (GError) err = NULL;
	const char *to = req->to;
	const char *query = req->query;
	gboolean append = req->append;
	Export x = { 0 };
	x.to = to;
	x.format = req->format;
	x.progress = progress_fn;
	x.user = user;
	x.cancel = cancel;
	x.p.started = g_get_monotonic_time ();
	if (out)
		*out = x.p;
	if (append && x.format != FMT_MBOX) {
		export_fail (error, TRAWL_EXPORT_ERROR_EXISTS, "--append adds to an mbox export only (--format mbox)");
		return FALSE;
	}
	gint64 total = trawl_db_export_count (db, query, !req->include_excluded, &err);
	if (total < 0) {
		g_autofree char *safe = trawl_sanitize (err->message, -1);
		export_fail (error, TRAWL_EXPORT_ERROR_QUERY, "%s", safe);
		return FALSE;
	}
	g_autofree char *safe_query = trawl_sanitize (query, -1);
	if (total == 0) {
		export_fail (error, TRAWL_EXPORT_ERROR_EMPTY, "no message matches %s: nothing written", safe_query);
		return FALSE;
	}
	x.p.total = (guint64) total;
	if (out)
		*out = x.p;

	/* PATH: new, an unfinished export of this same command, or (--append)
	 * a finished mbox export. */
	g_autofree char *marker = g_build_filename (to, ".incomplete", NULL);
	g_autofree char *mbox_path = g_build_filename (to, "messages.mbox", NULL);
	g_autofree char *json_path = g_build_filename (to, "manifest.json", NULL);
	g_autofree char *csv_path = g_build_filename (to, "manifest.csv", NULL);
	g_autofree char *abs_cfg = trawl_db_config_path (db) ? g_canonicalize_filename (trawl_db_config_path (db), NULL)
							       : g_strdup (trawl_db_path (db));
	g_autofree char *key_raw = g_strdup_printf ("%s%s\t%s\t%s", format_names[x.format], append ? "+append" : "",
						    query, abs_cfg);
	g_autofree char *key = g_strescape (key_raw, NULL);
	Marker mk = { 0 };
	g_autofree char *safe_to = trawl_sanitize (to, -1);
	gboolean resuming = FALSE;
	if (g_file_test (to, G_FILE_TEST_EXISTS) || g_file_test (to, G_FILE_TEST_IS_SYMLINK)) {
		if (read_marker (marker, &mk)) {
			if (g_strcmp0 (mk.key, key) != 0) {
				export_fail (error, TRAWL_EXPORT_ERROR_OTHER,
					     "%s holds an unfinished export of another query or format; "
					     "finish it with its own command, or choose a new path", safe_to);
				g_free (mk.key);
				return FALSE;
			}
			resuming = TRUE;
		} else if (append && g_file_test (mbox_path, G_FILE_TEST_IS_REGULAR) &&
			   g_file_test (json_path, G_FILE_TEST_IS_REGULAR)) {
			g_autofree char *old = NULL;
			guint runs = 0;
			if (g_file_get_contents (json_path, &old, NULL, NULL))
				for (const char *p = old; (p = strstr (p, "\n{\"run\":")); p++)
					runs++;
			mk.run = runs + 1;
			mk.mbox_start = file_size (mbox_path);
			mk.csv_keep = file_size (csv_path);
		} else {
			export_fail (error, TRAWL_EXPORT_ERROR_EXISTS,
				     "%s exists; trawl export never overwrites: choose a new path%s",
				     safe_to, x.format == FMT_MBOX && !append ? " (or --append to add to an mbox export there)" : "");
			return FALSE;
		}
	} else {
		if (g_mkdir_with_parents (to, 0755) < 0) {
			int e = errno;
			export_fail (error, TRAWL_EXPORT_ERROR_CREATE, "cannot create %s: %s", safe_to, g_strerror (e));
			return FALSE;
		}
		mk.run = 1;
	}
	if (!resuming) {
		g_autofree char *text = g_strdup_printf ("trawl export: unfinished; run the same command again to finish\n"
							 "key: %s\nrun: %u\nmbox-start: %" G_GUINT64_FORMAT
							 "\ncsv-keep: %" G_GUINT64_FORMAT "\n",
							 key, mk.run, mk.mbox_start, mk.csv_keep);
		if (!write_file (marker, text, strlen (text), &err)) {
			export_fail (error, TRAWL_EXPORT_ERROR_CREATE, "%s", err->message);
			return FALSE;
		}
	}
	g_free (mk.key);
	x.run = mk.run;
	x.p.resuming = resuming;

	if (x.format == FMT_MBOX) {
		int fd = open (mbox_path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0 || ftruncate (fd, (off_t) mk.mbox_start) < 0 || lseek (fd, 0, SEEK_END) < 0 ||
		    !(x.mbox = fdopen (fd, "w"))) {
			int e = errno;
			export_fail (error, TRAWL_EXPORT_ERROR_CREATE, "cannot write %s: %s", mbox_path, g_strerror (e));
			if (fd >= 0)
				close (fd);
			return FALSE;
		}
	} else if (x.format == FMT_MAILDIR) {
		for (const char *d = "cur"; d; d = g_str_equal (d, "cur") ? "new" : g_str_equal (d, "new") ? "tmp" : NULL) {
			g_autofree char *p = g_build_filename (to, d, NULL);
			g_mkdir_with_parents (p, 0755);
		}
	}

	x.mail_root = trawl_db_mail_root (db);
	if (req->archive) {
		x.archive = g_strdup (req->archive);
		x.prov = trawl_import_provenance (req->archive);
	} else {
		/* A database of an archive used through its notmuch-config. */
		g_autofree char *up = g_path_get_dirname (x.mail_root);
		g_autofree char *cfgp = trawl_archive_config_path (up);
		g_autofree char *man = g_build_filename (up, "manifest.jsonl", NULL);
		if (g_file_test (cfgp, G_FILE_TEST_EXISTS) && g_file_test (man, G_FILE_TEST_EXISTS))
			x.prov = trawl_import_provenance (up);
	}
	x.csv = g_string_new (NULL);
	x.json = g_string_new (NULL);
	x.sums = g_string_new (NULL);
	x.total = (guint64) total;
	if (g_getenv ("TRAWL_EXPORT_STOP_AFTER"))
		x.stop_after = g_ascii_strtoull (g_getenv ("TRAWL_EXPORT_STOP_AFTER"), NULL, 10);
	if (g_getenv ("TRAWL_EXPORT_DELAY_MS"))
		x.delay_ms = (guint) g_ascii_strtoull (g_getenv ("TRAWL_EXPORT_DELAY_MS"), NULL, 10);
	if (progress_fn)
		progress_fn (&x.p, user);

	gint64 n = trawl_db_export_walk (db, query, !req->include_excluded, export_one, &x, &err);
	if (x.mbox && (fflush (x.mbox) != 0 || fsync (fileno (x.mbox)) < 0) && n >= 0) {
		int e = errno;
		g_set_error (&err, G_FILE_ERROR, g_file_error_from_errno (e), "cannot write %s: %s", mbox_path,
			     g_strerror (e));
		n = -1;
	}
	if (x.mbox)
		fclose (x.mbox);
	gboolean ok = FALSE;
	if (n < 0) {
		if (g_error_matches (err, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_CANCELLED))
			export_fail (error, TRAWL_EXPORT_ERROR_CANCELLED,
				     "interrupted after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
				     " messages; %s/.incomplete marks it: run the same command again to finish",
				     x.n, x.total, safe_to);
		else {
			g_autofree char *safe = trawl_sanitize (err->message, -1);
			export_fail (error, TRAWL_EXPORT_ERROR_UNFINISHED, "%s", safe);
		}
	} else if (x.format != FMT_MBOX && !sync_dir (to, &err)) {
		export_fail (error, TRAWL_EXPORT_ERROR_UNFINISHED, "%s", err->message);
	} else if (!finish (&x, &mk, req->command_line ? req->command_line : "", query, &err)) {
		export_fail (error, TRAWL_EXPORT_ERROR_UNFINISHED, "%s", err->message);
	} else {
		unlink (marker);
		ok = TRUE;
	}
	if (out)
		*out = x.p;
	g_free (x.mail_root);
	g_free (x.archive);
	if (x.prov)
		g_hash_table_unref (x.prov);
	g_string_free (x.csv, TRUE);
	g_string_free (x.json, TRUE);
	g_string_free (x.sums, TRUE);
	return ok;
}

/* ---- the command line ----------------------------------------------------------- */

static volatile gint cli_cancel;

static void
on_sigint (int sig)
{
	cli_cancel = 1;
	signal (sig, SIG_DFL);
}

/* The progress line on standard error. */
typedef struct {
	gboolean tty, quiet, line_shown;
	gint64 last;
	const char *safe_to;
} CliProgress;

static void
cli_progress_line (const TrawlExportProgress *p, CliProgress *c, gboolean last)
{
	if (c->quiet)
		return;
	gint64 now = g_get_monotonic_time ();
	gint64 every = c->tty ? G_USEC_PER_SEC / 5 : 5 * G_USEC_PER_SEC;
	if (!last && now - c->last < every)
		return;
	if (last && !c->line_shown)
		return;
	c->last = now;
	double el = (now - p->started) / (double) G_USEC_PER_SEC;
	g_autofree char *b = g_format_size (p->bytes);
	g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " messages (%.0f%%), %s, %.0f msg/s",
					     p->done, p->total, p->total ? 100.0 * p->done / p->total : 100.0, b,
					     el > 0 ? p->done / el : 0);
	if (c->tty)
		fprintf (stderr, "\r\033[K%s", s);
	else
		fprintf (stderr, "trawl export: %s\n", s);
	c->line_shown = TRUE;
	if (last && c->tty)
		fputs ("\r\033[K", stderr);
	fflush (stderr);
}

static void
cli_progress (const TrawlExportProgress *p, gpointer user)
{
	CliProgress *c = user;
	if (p->done == 0) {
		if (p->resuming)
			fprintf (stderr, "trawl export: finishing the interrupted export in %s\n", c->safe_to);
		c->last = p->started;
		return;
	}
	cli_progress_line (p, c, FALSE);
}

int
trawl_export_main (int argc, char **argv)
{
	g_autofree char *to = NULL, *fmt = NULL, *archive = NULL, *config = NULL;
	gboolean append = FALSE, quiet = FALSE, excluded = FALSE;
	g_auto (GStrv) rest = NULL;
	GOptionEntry entries[] = {
		{ "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "write the export into PATH, a directory that must not exist", "PATH" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &fmt, "mbox (default: PATH/messages.mbox, mboxrd), maildir (PATH/cur/) or eml (PATH/NNNNNN-SHA.eml)", "FORMAT" },
		{ "append", 0, 0, G_OPTION_ARG_NONE, &append, "add to the mbox export in PATH (a new run in its manifests)", NULL },
		TRAWL_ARCHIVE_OPTION_ENTRIES (&archive, &config),
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress line", NULL },
		{ "include-excluded", 0, 0, G_OPTION_ARG_NONE, &excluded, "also the messages with a search.exclude_tags tag (deleted, spam)", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, "QUERY..." },
		{ NULL }
	};
	g_set_prgname ("trawl export");
	/* A broken message can make GMime (inside libnotmuch, reading a header)
	 * log a critical; with G_DEBUG=fatal-criticals that would abort the
	 * export, as it would `trawl import`. */
	g_log_set_always_fatal (G_LOG_FATAL_MASK);
	g_autoptr (GOptionContext) ctx = g_option_context_new ("--to PATH QUERY... - export the messages matching QUERY");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"Writes the original bytes of every message matching QUERY (a notmuch\n"
		"query; search.exclude_tags applies as in `notmuch search --output=files`,\n"
		"the first file of each message) into the new directory PATH, with\n"
		"manifest.csv, manifest.json and SHA256SUMS (check with: cd PATH &&\n"
		"sha256sum -c SHA256SUMS).  PATH is never overwritten.  Ctrl-C leaves\n"
		"PATH/.incomplete; running the same command again finishes the export.\n"
		"An mbox export reads back with: trawl import ARCHIVE PATH/messages.mbox");
	g_autofree char *command_line = trawl_command_line ("trawl", argc, argv);
	g_autoptr (GError) err = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
		fprintf (stderr, "trawl export: %s (try trawl export --help)\n", err->message);
		return 2;
	}
	if (!to || !*to || !rest || !rest[0]) {
		fprintf (stderr, "trawl export: usage: trawl export --to PATH [--format mbox|maildir|eml] QUERY... "
			 "(try trawl export --help)\n");
		return 2;
	}
	TrawlExportFormat format = TRAWL_EXPORT_MBOX;
	if (fmt && !trawl_export_format_parse (fmt, &format)) {
		fprintf (stderr, "trawl export: --format takes mbox, maildir or eml, not '%s'\n", fmt);
		return 2;
	}
	if (append && format != FMT_MBOX) {
		fprintf (stderr, "trawl export: --append adds to an mbox export only (--format mbox)\n");
		return 2;
	}
	g_autofree char *query = g_strjoinv (" ", rest);

	g_autofree char *archive_used = NULL;
	g_autoptr (TrawlDb) db = trawl_archive_open (archive, config, FALSE, &archive_used, &err);
	if (!db) {
		fprintf (stderr, "trawl export: %s\n", err->message);
		return 1;
	}
	g_autofree char *safe_to = trawl_sanitize (to, -1);
	CliProgress cp = { .tty = isatty (2), .quiet = quiet, .safe_to = safe_to };
	TrawlExportRequest req = { .to = to, .format = format, .append = append, .query = query,
				   .include_excluded = excluded,
				   .archive = archive_used, .command_line = command_line };

	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sigemptyset (&sa.sa_mask);
	sigaction (SIGINT, &sa, NULL);
	sigaction (SIGTERM, &sa, NULL);

	TrawlExportProgress p;
	gboolean ok = trawl_export_run (db, &req, cli_progress, &cp, &cli_cancel, &p, &err);
	if (p.done || cp.line_shown)
		cli_progress_line (&p, &cp, TRUE);
	if (ok) {
		double el = (g_get_monotonic_time () - p.started) / (double) G_USEC_PER_SEC;
		g_autofree char *b = g_format_size (p.bytes);
		fprintf (stderr, "trawl export: %" G_GUINT64_FORMAT " message%s (%s) exported to %s as %s in %.1f s; "
			 "check with: cd %s && sha256sum -c SHA256SUMS\n",
			 p.done, p.done == 1 ? "" : "s", b, safe_to, format_names[format], el, safe_to);
		return 0;
	}
	if (g_error_matches (err, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_CANCELLED)) {
		fprintf (stderr, "trawl export: %s\n", err->message);
		return 130;
	}
	if (g_error_matches (err, TRAWL_EXPORT_ERROR, TRAWL_EXPORT_ERROR_UNFINISHED)) {
		fprintf (stderr, "trawl export: %s\ntrawl export: %s/.incomplete marks the export unfinished: "
			 "fix the cause and run the same command again to finish\n", err->message, safe_to);
		return 1;
	}
	fprintf (stderr, "trawl export: %s\n", err->message);
	return 1;
}
