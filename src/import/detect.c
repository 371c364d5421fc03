/* detect.c — what a file is, from its first bytes, never from its name:
 * dumps arrive renamed (.txt mbox files, .eml files without extension,
 * archives named .dat). */
#include "config.h"

#include <string.h>

#include "import-private.h"

static gboolean
starts (const guint8 *h, gsize n, gsize at, const char *magic, gsize len)
{
	return n >= at + len && memcmp (h + at, magic, len) == 0;
}

/* Formats libarchive reads (compressors and containers), by magic number. */
static gboolean
is_container (const guint8 *h, gsize n)
{
	static const struct {
		gsize at;
		const char *magic;
		gsize len;
	} magics[] = {
		{ 0, "\x1f\x8b", 2 },			/* gzip */
		{ 0, "\x1f\x9d", 2 },			/* compress (.Z) */
		{ 0, "BZh", 3 },			/* bzip2 */
		{ 0, "\xfd" "7zXZ\0", 6 },		/* xz */
		{ 0, "\x28\xb5\x2f\xfd", 4 },		/* zstd */
		{ 0, "\x04\x22\x4d\x18", 4 },		/* lz4 */
		{ 0, "LZIP", 4 },			/* lzip */
		{ 0, "PK\x03\x04", 4 },			/* zip */
		{ 0, "PK\x05\x06", 4 },			/* empty zip */
		{ 0, "PK\x07\x08", 4 },			/* spanned zip */
		{ 0, "7z\xbc\xaf\x27\x1c", 6 },		/* 7z */
		{ 0, "Rar!\x1a\x07", 6 },		/* rar */
		{ 0, "070707", 6 },			/* cpio */
		{ 0, "070701", 6 },
		{ 0, "070702", 6 },
		{ 0, "!<arch>\n", 8 },			/* ar */
		{ 0, "MSCF", 4 },			/* cab */
		{ 0, "xar!", 4 },			/* xar */
		{ 257, "ustar", 5 },			/* tar (POSIX and GNU) */
	};
	for (gsize i = 0; i < G_N_ELEMENTS (magics); i++)
		if (starts (h, n, magics[i].at, magics[i].magic, magics[i].len))
			return TRUE;
	return FALSE;
}

/* A header field name (RFC 5322: printable ASCII but colon) then a colon. */
static gsize
field_name_len (const guint8 *p, gsize n)
{
	gsize i = 0;
	while (i < n && p[i] >= 33 && p[i] <= 126 && p[i] != ':')
		i++;
	gsize name = i;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return name > 0 && i < n && p[i] == ':' ? name : 0;
}

static gboolean
known_field (const guint8 *p, gsize len)
{
	static const char *const fields[] = {
		"from", "date", "subject", "message-id", "received", "return-path", "to", "cc",
		"in-reply-to", "references", "mime-version", "delivered-to", "x-mailer", "sender",
		"reply-to", "content-type", "x-original-to", "x-from", "x-to", "article",
	};
	for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
		if (strlen (fields[i]) == len && g_ascii_strncasecmp ((const char *) p, fields[i], len) == 0)
			return TRUE;
	return FALSE;
}

/* Does HEAD start like a message: header fields from the first line, at
 * least one of them a field mail carries? */
static gboolean
looks_like_message (const guint8 *h, gsize n)
{
	gsize i = 0;
	gboolean known = FALSE;
	guint fields = 0;
	while (i < n) {
		const guint8 *line = h + i;
		const guint8 *nl = memchr (line, '\n', n - i);
		gsize len = nl ? (gsize) (nl - line) : n - i;
		gsize l = len && line[len - 1] == '\r' ? len - 1 : len;
		if (l == 0)	/* end of the header */
			break;
		if (!nl && fields > 0)	/* cut by the end of what was read */
			break;
		if (line[0] == ' ' || line[0] == '\t') {
			if (fields == 0)
				return FALSE;
		} else {
			gsize name = field_name_len (line, l);
			if (name == 0)
				return FALSE;
			fields++;
			known = known || known_field (line, name);
		}
		if (!nl)
			break;
		i += len + 1;
	}
	return fields > 0 && known;
}

ImportKind
import_detect (const guint8 *head, gsize n)
{
	if (n == 0)
		return IMPORT_KIND_EMPTY;
	if (starts (head, n, 0, "!BDN", 4))
		return IMPORT_KIND_PST;
	if (is_container (head, n))
		return IMPORT_KIND_CONTAINER;
	if (starts (head, n, 0, "From ", 5))
		return IMPORT_KIND_MBOX;
	if (looks_like_message (head, n))
		return IMPORT_KIND_MESSAGE;
	return IMPORT_KIND_NOT_MAIL;
}

const char *
import_kind_name (ImportKind k)
{
	switch (k) {
	case IMPORT_KIND_EMPTY: return "empty";
	case IMPORT_KIND_MBOX: return "mbox";
	case IMPORT_KIND_MESSAGE: return "message";
	case IMPORT_KIND_CONTAINER: return "archive";
	case IMPORT_KIND_PST: return "PST";
	case IMPORT_KIND_NOT_MAIL: return "not mail";
	}
	return "?";
}
