/* container.c — compressed files and archives (.gz .bz2 .xz .zst .zip .tar.*
 * .7z ...), read as streams with libarchive: nothing is unpacked to disk,
 * each member is handed to the reader its content calls for (an mbox inside
 * a zip, a .tar.gz of .eml folders, a zip inside a tar).
 *
 * Bombs: the bytes members expand to are counted against the top-level
 * file's bytes (nested levels included) and against a cap; past either, the
 * container is abandoned (what came out of it before stays) and reported. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#include <archive.h>
#include <archive_entry.h>

#include "import-private.h"

typedef struct {
	Import *im;
	ImportInput *outer;
	gsize head_pos;
	char buf[65536];
	gboolean failed;
} Raw;

static la_ssize_t
raw_read (struct archive *a, void *user, const void **out)
{
	Raw *r = user;
	*out = r->buf;
	if (r->head_pos < r->outer->head_len) {
		gsize n = MIN (sizeof r->buf, r->outer->head_len - r->head_pos);
		memcpy (r->buf, r->outer->head + r->head_pos, n);
		r->head_pos += n;
		return (la_ssize_t) n;
	}
	gssize n = r->outer->read (r->outer->user, r->buf, sizeof r->buf);
	if (n < 0) {
		r->failed = TRUE;
		archive_set_error (a, EIO, "read error");
		return -1;
	}
	return n;
}

typedef struct {
	Import *im;
	struct archive *a;
	const char *member;
	gboolean bomb;
	gboolean failed;
	char *error;
	gint64 *counted;	/* reading the file directly: compressed bytes counted so far */
} Member;

/* The file's bytes libarchive has read count as the source's (progress, and
 * the size the expansion ratio is judged against). */
static void
count_raw (Member *m)
{
	if (!m->counted)
		return;
	gint64 now = archive_filter_bytes (m->a, -1);
	if (now > *m->counted) {
		import_bytes (m->im, (guint64) (now - *m->counted));
		*m->counted = now;
	}
}

static gssize
member_read (gpointer user, char *buf, gsize len)
{
	Member *m = user;
	if (m->bomb || m->failed)
		return -1;
	la_ssize_t n = archive_read_data (m->a, buf, len);
	if (n < 0) {
		m->failed = TRUE;
		g_free (m->error);
		m->error = g_strdup (archive_error_string (m->a) ? archive_error_string (m->a) : "read error");
		return -1;
	}
	count_raw (m);
	if (n > 0 && !import_expanded (m->im, (guint64) n)) {
		m->bomb = TRUE;
		return -1;
	}
	return n;
}

/* Opens A on FILE_PATH (seekable: 7z and zip's central directory need it)
 * or on the stream IN.  RAW_ONLY: only the "raw" format, for a compressed
 * file cut short (format detection would read past the cut and fail). */
static gboolean
open_archive (struct archive *a, Raw *raw, const char *file_path, gboolean raw_only)
{
	archive_read_support_filter_all (a);
	if (!raw_only)
		archive_read_support_format_all (a);
	/* A lone compressed file (dump.mbox.gz) is the "raw" format: one member. */
	archive_read_support_format_raw (a);
	if (file_path)
		return archive_read_open_filename (a, file_path, 64 * 1024) == ARCHIVE_OK;
	return archive_read_open (a, raw, NULL, raw_read, NULL) == ARCHIVE_OK;
}

static gboolean
is_7z (const ImportInput *in)
{
	return in->head_len >= 6 && memcmp (in->head, "7z\xbc\xaf\x27\x1c", 6) == 0;
}

typedef struct {
	GInputStream *stream;
	gboolean failed;
} Gunzip;

static gssize
gunzip_read (gpointer user, char *buf, gsize len)
{
	Gunzip *g = user;
	if (g->failed)
		return -1;
	gssize n = g_input_stream_read (g->stream, buf, len, NULL, NULL);
	if (n < 0)
		g->failed = TRUE;
	return n;
}

/* A damaged gzip file through GIO's zlib decompressor: every byte before the
 * damage reaches the reader (an mbox keeps its whole messages). */
static gboolean
gunzip_damaged (Import *im, ImportInput *in, const ImportWhere *where, const char *file_path, guint depth)
{
	g_autoptr (GFile) f = g_file_new_for_path (file_path);
	g_autoptr (GFileInputStream) fs = g_file_read (f, NULL, NULL);
	if (!fs) {
		import_skip (im, "damaged archive", where, in->name);
		return TRUE;
	}
	g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
	g_autoptr (GInputStream) cs = g_converter_input_stream_new (G_INPUT_STREAM (fs), G_CONVERTER (z));
	Gunzip g = { cs, FALSE };
	guint8 head[4096];
	gsize got = 0;
	gssize n;
	while (got < sizeof head && (n = gunzip_read (&g, (char *) head + got, sizeof head - got)) > 0)
		got += (gsize) n;
	g_autofree char *base = g_path_get_basename (in->name);
	char *dot = strrchr (base, '.');
	if (dot && dot != base)
		*dot = 0;
	g_autofree char *name = g_strdup_printf ("%s!%s", in->name, base);
	ImportWhere w;
	import_where_copy (&w, where);
	import_where_add_member (&w, base);
	ImportInput gi = { gunzip_read, &g, head, got, name, NULL };
	gboolean ok = import_input (im, &gi, &w, -1, NULL, depth);
	import_where_clear (&w);
	return ok;
}

gboolean
import_container (Import *im, ImportInput *in, const ImportWhere *where, gint64 compressed_size,
		  const char *file_path, guint depth)
{
	g_autofree char *spooled = NULL;
	if (!file_path && is_7z (in)) {
		spooled = import_input_spool (im, in, where);	/* 7z must seek */
		if (!spooled)
			return TRUE;
		file_path = spooled;
	}
	struct archive *a = archive_read_new ();
	Raw raw = { im, in, 0, { 0 }, FALSE };
	if (!open_archive (a, &raw, file_path, FALSE)) {
		g_autofree char *why = g_strdup (archive_error_string (a) ? archive_error_string (a) : "unknown format");
		archive_read_free (a);
		a = NULL;
		if (file_path) {
			/* Cut short?  Read what there is as one compressed stream. */
			a = archive_read_new ();
			if (!open_archive (a, &raw, file_path, TRUE)) {
				archive_read_free (a);
				a = NULL;
			} else
				import_note (im, "%s: damaged (%s); reading what can be decompressed", in->name, why);
		}
		if (!a && file_path && in->head_len >= 2 && in->head[0] == 0x1f && in->head[1] == 0x8b) {
			/* libarchive gives nothing of a gzip file cut short when the
			 * cut is in its first buffer; zlib gives what precedes it. */
			import_note (im, "%s: damaged (%s); reading what can be decompressed", in->name, why);
			gboolean ok = gunzip_damaged (im, in, where, file_path, depth);
			if (spooled)
				unlink (spooled);
			return ok;
		}
		if (!a) {
			import_note (im, "%s: cannot read it as an archive: %s", in->name, why);
			import_skip (im, "damaged archive", where, in->name);
			if (spooled)
				unlink (spooled);
			return TRUE;
		}
	}
	/* Read through the file directly: the bytes count as the source's. */
	gint64 counted = file_path && !spooled ? (gint64) in->head_len : 0;
	gboolean ok = TRUE;
	guint members = 0, files = 0;
	for (;;) {
		if (import_stopping (im))
			break;
		struct archive_entry *e = NULL;
		int r = archive_read_next_header (a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL || (r != ARCHIVE_OK && r != ARCHIVE_WARN)) {
			const char *why = archive_error_string (a);
			import_note (im, "%s: damaged after %u members (%s); what came before is kept", in->name, members,
				     why ? why : "unknown error");
			import_skip (im, "damaged archive", where, in->name);
			break;
		}
		members++;
		if (archive_entry_filetype (e) == AE_IFDIR)
			continue;
		const char *path = archive_entry_pathname_utf8 (e);
		if (!path)
			path = archive_entry_pathname (e);
		g_autofree char *raw_name = NULL;
		if (archive_format (a) == ARCHIVE_FORMAT_RAW || !path || !*path) {
			/* One compressed file: its member is the file without the
			 * compressor's extension (dump.mbox.gz -> dump.mbox). */
			g_autofree char *base = g_path_get_basename (in->name);
			char *dot = strrchr (base, '.');
			if (dot && dot != base)
				*dot = 0;
			path = raw_name = g_strdup (base);
		}
		ImportWhere w;
		import_where_copy (&w, where);
		import_where_add_member (&w, path);
		g_autofree char *name = g_strdup_printf ("%s!%s", in->name, path);
		/* The member's folder: its directory, a maildir's cur/new taken off. */
		g_autofree char *dir = g_path_get_dirname (path);
		g_autofree char *folder = import_folder_of (strcmp (dir, ".") == 0 ? "" : dir);
		g_autofree char *full = where->folder && *where->folder
			? (*folder ? g_build_filename (where->folder, folder, NULL) : g_strdup (where->folder))
			: g_strdup (folder);
		import_where_set_folder (&w, full);

		if (archive_entry_filetype (e) != AE_IFREG && archive_entry_filetype (e) != 0) {
			import_skip (im, "not a regular file", &w, name);
		} else if (archive_entry_is_encrypted (e)) {
			import_note (im, "%s: encrypted; skipped (no password is tried)", name);
			import_skip (im, "encrypted", &w, name);
		} else {
			files++;
			Member m = { im, a, path, FALSE, FALSE, NULL, file_path && !spooled ? &counted : NULL };
			guint8 head[4096];
			gsize got = 0;
			gssize n = 0;
			while (got < sizeof head && (n = member_read (&m, (char *) head + got, sizeof head - got)) > 0)
				got += (gsize) n;
			if (n < 0 && !m.bomb) {
				import_note (im, "%s: cannot be read: %s", name, m.error);
				import_skip (im, strstr (m.error, "ncrypt") || strstr (m.error, "assphrase") ? "encrypted" : "unreadable", &w, name);
			} else if (!m.bomb) {
				ImportInput mi = { member_read, &m, head, got, name, &m.bomb };
				gint64 size = archive_entry_size_is_set (e) ? archive_entry_size (e) : -1;
				ok = import_input (im, &mi, &w, size, NULL, depth);
				/* (the reader counted the member as unreadable) */
				if (m.failed && !m.bomb)
					import_note (im, "%s: read error: %s", name, m.error);
			}
			g_free (m.error);
			if (m.bomb) {
				import_note (im, "%s: expands past the limits (--max-expanded, --max-ratio): "
					     "it looks like a decompression bomb; the rest of %s is skipped", name, in->name);
				import_skip (im, "decompression bomb", &w, in->name);
				import_where_clear (&w);
				break;
			}
		}
		import_where_clear (&w);
		if (file_path && !spooled) {
			gint64 now = archive_filter_bytes (a, -1);
			if (now > counted) {
				import_bytes (im, (guint64) (now - counted));
				counted = now;
			}
		}
		if (!ok)
			break;
	}
	if (raw.failed)
		import_skip (im, "unreadable", where, in->name);
	else if (ok && files == 0 && !import_stopping (im))
		import_skip (im, "empty archive", where, in->name);
	archive_read_free (a);
	if (spooled)
		unlink (spooled);
	return ok;
}
