/* input.c — one file (or archive member) handed to the reader its content
 * calls for. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import-private.h"

/* How much of a file decides what it is. */
#define HEAD_SIZE 4096

typedef struct {
	Import *im;
	int fd;
} FdInput;

static gssize
fd_read (gpointer user, char *buf, gsize len)
{
	FdInput *f = user;
	for (;;) {
		gssize n = read (f->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			import_bytes (f->im, (guint64) n);
		return n;
	}
}

gboolean
import_input (Import *im, ImportInput *in, const ImportWhere *where, gint64 size_hint,
	      const char *file_path, guint depth)
{
	ImportKind kind = import_detect (in->head, in->head_len);
	switch (kind) {
	case IMPORT_KIND_EMPTY:
		import_skip (im, "empty", where, in->name);
		return TRUE;
	case IMPORT_KIND_NOT_MAIL:
		import_skip (im, "not mail", where, in->name);
		return TRUE;
	case IMPORT_KIND_MBOX:
		return import_mbox (im, in, where);
	case IMPORT_KIND_MESSAGE:
		return import_single (im, in, where, size_hint);
	case IMPORT_KIND_CONTAINER:
		if (depth >= IMPORT_MAX_DEPTH) {
			g_autofree char *what = g_strdup_printf ("%s: archives nested deeper than %d", in->name, IMPORT_MAX_DEPTH);
			import_skip (im, "nested too deep", where, what);
			return TRUE;
		}
		return import_container (im, in, where, size_hint, file_path, depth + 1);
	case IMPORT_KIND_PST:
		if (file_path)
			return import_pst (im, file_path, where);
		{
			/* readpst needs a file: this member (only it) is copied out. */
			g_autofree char *tmp = import_input_spool (im, in, where);
			if (!tmp)
				return TRUE;
			gboolean ok = import_pst (im, tmp, where);
			unlink (tmp);
			return ok;
		}
	}
	return TRUE;
}

char *
import_input_spool (Import *im, ImportInput *in, const ImportWhere *where)
{
	g_autoptr (GError) err = NULL;
	char *tmp = NULL;
	int fd = g_file_open_tmp ("trawl-member-XXXXXX", &tmp, &err);
	if (fd < 0) {
		import_note (im, "%s: cannot make a temp file: %s", in->name, err->message);
		import_skip (im, "unreadable", where, in->name);
		return NULL;
	}
	gboolean ok = write (fd, in->head, in->head_len) == (gssize) in->head_len;
	char buf[65536];
	gssize n = 0;
	while (ok && (n = in->read (in->user, buf, sizeof buf)) > 0)
		ok = write (fd, buf, (size_t) n) == n;
	close (fd);
	if (!ok || n < 0) {
		unlink (tmp);
		g_free (tmp);
		if (!IMPORT_INPUT_ABANDONED (in)) {
			import_note (im, "%s: cannot copy it out of its archive (disk full?)", in->name);
			import_skip (im, "unreadable", where, in->name);
		}
		return NULL;
	}
	return tmp;
}

gboolean
import_path (Import *im, const char *path, const ImportWhere *where, guint depth)
{
	int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		g_autofree char *what = g_strdup_printf ("%s: %s", path, g_strerror (errno));
		import_skip (im, "unreadable", where, what);
		return TRUE;
	}
	struct stat st;
	if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode)) {
		close (fd);
		import_skip (im, "not a regular file", where, path);
		return TRUE;
	}
	if (depth == 0)
		import_top_file (im);
	FdInput f = { im, fd };
	guint8 head[HEAD_SIZE];
	gsize got = 0;
	while (got < sizeof head) {
		gssize n = fd_read (&f, (char *) head + got, sizeof head - got);
		if (n < 0) {
			g_autofree char *what = g_strdup_printf ("%s: %s", path, g_strerror (errno));
			close (fd);
			import_skip (im, "unreadable", where, what);
			return TRUE;
		}
		if (n == 0)
			break;
		got += (gsize) n;
	}
	ImportInput in = { fd_read, &f, head, got, path, NULL };
	gboolean ok = import_input (im, &in, where, st.st_size, path, depth);
	close (fd);
	return ok;
}
