/* save.c — saving a part to a file, and the file name it would be saved
 * under (no separators, no leading dot or dash, no control or bidi
 * characters: fit to show and to create). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
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

	/* No leading dot, dash or white space; no trailing white space or dot. */
	gsize lead = 0;
	while (lead < s->len && (s->str[lead] == '.' || s->str[lead] == '-' ||
				 g_ascii_isspace (s->str[lead])))
		lead++;
	g_string_erase (s, 0, (gssize) lead);
	while (s->len > 0 && (g_ascii_isspace (s->str[s->len - 1]) || s->str[s->len - 1] == '.'))
		g_string_truncate (s, s->len - 1);

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
	}
	if (s->len == 0) {
		g_string_free (s, TRUE);
		return g_strdup_printf ("attachment-%d", index);
	}
	return g_string_free (s, FALSE);
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
	if (c.found == NULL) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no part %d", path, index);
		goto done;
	}
	int fd = open (out_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);	/* the umask decides, as for any saved file */
	if (fd < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", out_path, g_strerror (e));
		goto done;
	}
	GMimeStream *fs = g_mime_stream_fs_new (fd);	/* owns fd */
	GMimeDataWrapper *w = g_mime_part_get_content (c.found);
	gssize n = w ? g_mime_data_wrapper_write_to_stream (w, fs) : 0;
	int fl = g_mime_stream_flush (fs);
	g_object_unref (fs);
	if (n < 0 || fl != 0) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed", out_path);
		unlink (out_path);
		goto done;
	}
	ok = TRUE;
done:
	trawl_rendered_free (mime_ctx_finish (&c));
	g_object_unref (stream);
	return ok;
}
