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
} Member;

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
	if (n > 0 && !import_expanded (m->im, (guint64) n)) {
		m->bomb = TRUE;
		return -1;
	}
	return n;
}

gboolean
import_container (Import *im, ImportInput *in, const ImportWhere *where, gint64 compressed_size, guint depth)
{
	struct archive *a = archive_read_new ();
	archive_read_support_filter_all (a);
	archive_read_support_format_all (a);
	/* A lone compressed file (dump.mbox.gz) is the "raw" format: one member. */
	archive_read_support_format_raw (a);
	Raw raw = { im, in, 0, { 0 }, FALSE };
	if (archive_read_open (a, &raw, NULL, raw_read, NULL) != ARCHIVE_OK) {
		import_note (im, "%s: cannot read it as an archive: %s", in->name,
			     archive_error_string (a) ? archive_error_string (a) : "unknown format");
		import_skip (im, "damaged archive", where, in->name);
		archive_read_free (a);
		return TRUE;
	}
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
			Member m = { im, a, path, FALSE, FALSE, NULL };
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
				if (m.failed && !m.bomb) {
					import_note (im, "%s: read error: %s", name, m.error);
					import_skip (im, "unreadable", &w, name);
				}
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
		if (!ok)
			break;
	}
	if (raw.failed)
		import_skip (im, "unreadable", where, in->name);
	else if (ok && files == 0 && !import_stopping (im))
		import_skip (im, "empty archive", where, in->name);
	archive_read_free (a);
	return ok;
}
