/* save.c — saving a part to a file, and the file name it would be saved
 * under (no separators, no leading dot or dash, no control or bidi
 * characters: fit to show and to create). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mime-private.h"

#define SAFE_NAME_MAX 200

static gboolean
is_bad_name_char (gunichar ch)
{
	return ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch <= 0x9F) ||
	       ch == 0x061C || ch == 0x200E || ch == 0x200F ||
	       (ch >= 0x202A && ch <= 0x202E) || (ch >= 0x2066 && ch <= 0x2069) ||
	       ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF || (ch >= 0xFFF9 && ch <= 0xFFFB) ||
	       ch == '/' || ch == '\\';
}

/* No leading dot, dash or white space (any: U+00A0 too), no trailing white
 * space or dot. */
static void
strip_ends (GString *s)
{
	gsize lead = 0;
	while (lead < s->len) {
		gunichar c = g_utf8_get_char (s->str + lead);
		if (c != '.' && c != '-' && !g_unichar_isspace (c))
			break;
		lead = (gsize) (g_utf8_next_char (s->str + lead) - s->str);
	}
	g_string_erase (s, 0, (gssize) lead);
	while (s->len > 0) {
		const char *last = g_utf8_find_prev_char (s->str, s->str + s->len);
		gunichar c = g_utf8_get_char (last);
		if (c != '.' && !g_unichar_isspace (c))
			break;
		g_string_truncate (s, (gsize) (last - s->str));
	}
}

char *
trawl_mime_safe_filename (const char *name, int index)
{
	if (name == NULL || *name == '\0')
		return g_strdup_printf ("attachment-%d", index);

	char *valid = mime_valid_dup (name, -1);
	/* The base name, with either separator. */
	const char *base = valid;
	for (const char *p = valid; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;

	GString *s = g_string_new (NULL);
	for (const char *p = base; *p; p = g_utf8_next_char (p)) {
		gunichar ch = g_utf8_get_char (p);
		if (is_bad_name_char (ch))
			continue;
		g_string_append_unichar (s, ch);
	}
	g_free (valid);

	strip_ends (s);

	if (s->len > SAFE_NAME_MAX) {
		/* Keep a short extension, cut the stem at a character boundary. */
		const char *dot = strrchr (s->str, '.');
		gsize ext_len = dot ? strlen (dot) : 0;
		if (ext_len > 16)
			ext_len = 0;
		gsize stem_max = SAFE_NAME_MAX - ext_len;
		const char *cut = s->str + stem_max;
		while (cut > s->str && ((guchar) *cut & 0xC0) == 0x80)
			cut--;
		char *ext = g_strdup (s->str + s->len - ext_len);
		g_string_truncate (s, (gsize) (cut - s->str));
		g_string_append (s, ext);
		g_free (ext);
		strip_ends (s);	/* the cut may end the name in a space or a dot */
	}
	if (s->len == 0) {
		g_string_free (s, TRUE);
		return g_strdup_printf ("attachment-%d", index);
	}
	return g_string_free (s, FALSE);
}

/* A stream that only hashes and counts what is written to it: an
 * attachment decoded into it is never held in memory. */
typedef struct {
	GMimeStream parent;
	GChecksum *sum;
	guint64 len;
} HashStream;
typedef struct {
	GMimeStreamClass parent_class;
} HashStreamClass;
static GType hash_stream_get_type (void);
G_DEFINE_TYPE (HashStream, hash_stream, GMIME_TYPE_STREAM)

static ssize_t
hash_stream_write (GMimeStream *stream, const char *buf, size_t len)
{
	HashStream *h = (HashStream *) stream;
	g_checksum_update (h->sum, (const guchar *) buf, len);
	h->len += len;
	return (ssize_t) len;
}

static int
hash_stream_flush (GMimeStream *stream)
{
	(void) stream;
	return 0;
}

static void
hash_stream_finalize (GObject *obj)
{
	g_checksum_free (((HashStream *) obj)->sum);
	G_OBJECT_CLASS (hash_stream_parent_class)->finalize (obj);
}

static void
hash_stream_class_init (HashStreamClass *klass)
{
	GMimeStreamClass *sc = GMIME_STREAM_CLASS (klass);
	sc->write = hash_stream_write;
	sc->flush = hash_stream_flush;
	G_OBJECT_CLASS (klass)->finalize = hash_stream_finalize;
}

static void
hash_stream_init (HashStream *h)
{
	h->sum = g_checksum_new (G_CHECKSUM_SHA256);
}

void
mime_attachment_report (Ctx *c, GMimePart *part, int index, guint nest)
{
	TrawlAttachmentInfo a = { 0 };
	a.index = index;
	a.nest = nest;
	char *type = mime_type_of (GMIME_OBJECT (part));
	a.content_type = type;
	const char *fname = g_mime_part_get_filename (part);
	char *name = fname ? mime_valid_dup (fname, -1) : NULL;
	a.filename = name;
	HashStream *h = g_object_new (hash_stream_get_type (), NULL);
	g_mime_stream_construct (GMIME_STREAM (h), 0, -1);
	GMimeDataWrapper *w = g_mime_part_get_content (part);
	if (w)
		g_mime_data_wrapper_write_to_stream (w, GMIME_STREAM (h));
	a.size = h->len;
	gsize dl = sizeof a.sha256;
	g_checksum_get_digest (h->sum, a.sha256, &dl);
	g_object_unref (h);
	c->att_fn (&a, c->att_data);
	c->r->stats.parts_decoded++;
	c->r->stats.bytes_decoded += a.size;
	g_free (name);
	g_free (type);
}

guint
trawl_mime_attachments_bytes (const char *data, gsize len, TrawlAttachmentFn fn, gpointer user_data)
{
	Ctx c;
	mime_ctx_init (&c, NULL);
	c.collect = TRUE;
	c.att_fn = fn;
	c.att_data = user_data;
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data ? data : "", data ? len : 0);
	mime_parse_and_walk (&c, stream, data ? data : "", data ? len : 0);
	guint n = c.r->stats.parts_decoded;
	trawl_rendered_free (mime_ctx_finish (&c));
	return n;
}

/* Writes LEN bytes of DATA to FD; 0, or the errno of the failure. */
static int
write_all (int fd, const guint8 *data, gsize len)
{
	while (len > 0) {
		ssize_t k = write (fd, data, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (k == 0)
			return EIO;
		data += k;
		len -= (gsize) k;
	}
	return 0;
}

gboolean
trawl_mime_save_part (const char *path, int index, const char *out_path, GError **error)
{
	Ctx c;
	mime_ctx_init (&c, NULL);
	c.collect = TRUE;
	c.want_index = index;
	/* The message's stream is kept: the part found reads its content
	 * from it. */
	GMimeStream *stream = NULL;
	if (!mime_walk_file (&c, path, &stream, error)) {
		trawl_rendered_free (mime_ctx_finish (&c));
		return FALSE;
	}

	gboolean ok = FALSE;
	GMimeStream *mem = NULL;
	if (c.found == NULL) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no part %d", path, index);
		goto done;
	}
	/* Decoded into memory first, then written with write(2) here: a
	 * failure is told with its errno (No space left on device, ...) and
	 * the path, which GMime's streams do not keep. */
	mem = g_mime_stream_mem_new ();
	GMimeDataWrapper *w = g_mime_part_get_content (c.found);
	if (w && g_mime_data_wrapper_write_to_stream (w, mem) < 0) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: cannot read part %d", path, index);
		goto done;
	}
	int fd = open (out_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);	/* the umask decides, as for any saved file */
	if (fd < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", out_path, g_strerror (e));
		goto done;
	}
	GByteArray *bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
	int e = write_all (fd, bytes->data, bytes->len);
	if (close (fd) != 0 && e == 0 && errno != EINTR)
		e = errno;
	if (e != 0) {
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", out_path, g_strerror (e));
		unlink (out_path);
		goto done;
	}
	ok = TRUE;
done:
	if (mem)
		g_object_unref (mem);
	trawl_rendered_free (mime_ctx_finish (&c));
	g_object_unref (stream);
	return ok;
}

/* ---- private temporary directories: trawl-open-PID-XXXXXX ---- */

#define TEMP_PREFIX "trawl-open-"

char *
trawl_mime_temp_dir_new (GError **error)
{
	g_autofree char *tmpl = g_strdup_printf (TEMP_PREFIX "%ld-XXXXXX", (long) getpid ());
	return g_dir_make_tmp (tmpl, error);
}

/* The pid in NAME when NAME is TEMP_PREFIX PID "-" and six characters of
 * g_mkdtemp's; else 0. */
static pid_t
temp_dir_pid (const char *name)
{
	if (strncmp (name, TEMP_PREFIX, strlen (TEMP_PREFIX)) != 0)
		return 0;
	const char *p = name + strlen (TEMP_PREFIX);
	if (*p < '1' || *p > '9')
		return 0;
	long pid = 0;
	for (; g_ascii_isdigit (*p); p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > G_MAXINT32)
			return 0;
	}
	if (*p++ != '-' || strlen (p) != 6)
		return 0;
	for (; *p; p++)
		if (!g_ascii_isalnum (*p))
			return 0;
	return (pid_t) pid;
}

/* Removes the files in directory NAME of DFD, then it; only when it is a
 * directory (not a link to one) owned by this user. */
static gboolean
remove_temp_dir (int dfd, const char *name)
{
	int fd = openat (dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	struct stat st;
	if (fstat (fd, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid ()) {
		close (fd);
		return FALSE;
	}
	DIR *d = fdopendir (fd);	/* owns fd */
	if (!d) {
		close (fd);
		return FALSE;
	}
	struct dirent *ent;
	while ((ent = readdir (d)) != NULL)
		if (strcmp (ent->d_name, ".") != 0 && strcmp (ent->d_name, "..") != 0)
			unlinkat (dirfd (d), ent->d_name, 0);	/* files and links only: a directory stays, and so does this one */
	closedir (d);
	return unlinkat (dfd, name, AT_REMOVEDIR) == 0;
}

guint
trawl_mime_temp_dirs_clean (void)
{
	int dfd = open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	int lfd = dup (dfd);
	DIR *d = lfd < 0 ? NULL : fdopendir (lfd);
	if (!d) {
		if (lfd >= 0)
			close (lfd);
		close (dfd);
		return 0;
	}
	guint removed = 0;
	struct dirent *ent;
	while ((ent = readdir (d)) != NULL) {
		pid_t pid = temp_dir_pid (ent->d_name);
		if (pid <= 0 || pid == getpid ())
			continue;
		struct stat st;
		if (fstatat (dfd, ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR (st.st_mode) || st.st_uid != getuid ())
			continue;
		/* Its owner is gone only when there is no such process at all
		 * (EPERM: there is one, another user's). */
		if (kill (pid, 0) == 0 || errno != ESRCH)
			continue;
		if (remove_temp_dir (dfd, ent->d_name))
			removed++;
	}
	closedir (d);
	close (dfd);
	return removed;
}
