/* import-private.h — what the import's files share and nobody else sees.
 *
 * The shape: import.c owns the run (archive, manifest, batches, counts);
 * each reader (mbox.c, dir.c, container.c, pst.c) finds messages in one
 * kind of source and hands each one, with where it was found, to
 * import_message().  detect.c says what a file is, by its first bytes. */
#ifndef TRAWL_IMPORT_PRIVATE_H
#define TRAWL_IMPORT_PRIVATE_H

#include <gmime/gmime.h>
#include "trawl/import.h"

typedef struct Import Import;

/* ---- the sink (import.c) ------------------------------------------------ */

/* Where a message was found: the location's JSON members, e.g.
 * "\"member\":\"a/b.mbox\",\"mbox_message\":3,\"offset\":1234".
 * A chain: the reader of a container pushes its member, a nested reader adds
 * its own members after it. */
typedef struct {
	GPtrArray *members;	/* the chain of archive members, outermost first */
	GString *json;		/* other members so far, comma-separated, no braces */
	char *folder;		/* maildir folder inside the source's tree ("" for the top) */
	char *file_path;	/* the file on disk it came from, when there is one */
} ImportWhere;

/* Hands one message (its original bytes) to the run.  EXTRA_TAGS (may be
 * NULL) are added to it besides the source's tags.  FALSE when the run must
 * stop (disk full, database failure, cancelled): the reader returns at once. */
gboolean import_message (Import *im, const guint8 *data, gsize len, const ImportWhere *where,
			 char *const *extra_tags);
/* Something found and not imported: counted by REASON, listed in skipped.jsonl. */
void import_skip (Import *im, const char *reason, const ImportWhere *where, const char *what);
/* One line for the user. */
void import_note (Import *im, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* The reader has read N more bytes of the top-level source file. */
void import_bytes (Import *im, guint64 n);
/* Should the reader stop (an error was met, or Ctrl-C)? */
gboolean import_stopping (Import *im);
/* A new top-level file begins (a source file, or a file of a source
 * directory): the expansion caps start over. */
void import_top_file (Import *im);
/* N more bytes came out of a container; FALSE when the top-level file has
 * now expanded past --max-expanded, or past --max-ratio times its own size
 * (judged from RATIO_FLOOR expanded bytes on: small files compress well). */
gboolean import_expanded (Import *im, guint64 n);
#define IMPORT_RATIO_FLOOR (64 * 1024 * 1024)
guint64 import_max_message (const Import *im);
const char *import_mbox_format (const Import *im);

/* Location helpers: a copy of W with one more member (a JSON string or a
 * number) and, optionally, a deeper folder. */
void import_where_init (ImportWhere *w, const char *folder);
void import_where_copy (ImportWhere *dst, const ImportWhere *src);
void import_where_clear (ImportWhere *w);
void import_where_add_string (ImportWhere *w, const char *key, const char *value);
/* One more archive member on the chain ("members":["a.zip","x/b.mbox"]). */
void import_where_add_member (ImportWhere *w, const char *member);
/* The location as a JSON object: {"members":[...], the rest}. */
char *import_where_json (const ImportWhere *w);
void import_where_add_int (ImportWhere *w, const char *key, gint64 value);
void import_where_set_folder (ImportWhere *w, const char *folder);
void import_where_set_file (ImportWhere *w, const char *path);
/* VALUE as a JSON string literal (quotes included) appended to S. */
void import_json_string (GString *s, const char *value);

/* ---- what a file is (detect.c) ------------------------------------------ */

typedef enum {
	IMPORT_KIND_EMPTY,
	IMPORT_KIND_MBOX,
	IMPORT_KIND_MESSAGE,
	IMPORT_KIND_CONTAINER,	/* anything libarchive reads: compressed, zip, tar, 7z... */
	IMPORT_KIND_PST,
	IMPORT_KIND_NOT_MAIL,
} ImportKind;

/* Looks at the first N bytes of a file. */
ImportKind import_detect (const guint8 *head, gsize n);
const char *import_kind_name (ImportKind k);

/* ---- a byte source that keeps what GMime read (tapstream.c) -------------- */

typedef gssize (*TrawlTapRead) (gpointer user, char *buf, gsize len);
typedef struct _TrawlTapStream TrawlTapStream;
GType trawl_tap_stream_get_type (void);
TrawlTapStream *trawl_tap_stream_new (TrawlTapRead read_fn, gpointer user, gsize limit);
/* The bytes from BEGIN to END (stream offsets), when they are still kept. */
const guint8 *trawl_tap_stream_bytes (TrawlTapStream *t, gint64 begin, gint64 end, gsize *len);
/* Forget the bytes before OFFSET. */
void trawl_tap_stream_mark (TrawlTapStream *t, gint64 offset);
gint64 trawl_tap_stream_kept_start (const TrawlTapStream *t);
gboolean trawl_tap_stream_failed (const TrawlTapStream *t);

/* ---- readers ------------------------------------------------------------ */

/* A stream of bytes: a file descriptor or a libarchive member.  HEAD holds
 * the first bytes (already read for detection) and is served first. */
typedef struct {
	TrawlTapRead read;
	gpointer user;
	const guint8 *head;
	gsize head_len;
	const char *name;	/* for messages: the file or member */
	const gboolean *abandoned;	/* when TRUE after a failed read, the failure is
					 * reported by whoever abandoned the input (a bomb) */
} ImportInput;

/* Did IN fail because its container gave up on it (reported there)? */
#define IMPORT_INPUT_ABANDONED(in) ((in)->abandoned && *(in)->abandoned)

/* mbox.c: every message of an mbox stream. */
gboolean import_mbox (Import *im, ImportInput *in, const ImportWhere *where);

/* The pure part of import_mbox (no Import, no database; tests/fuzz/fuzz-mbox
 * calls it): splits the byte stream READ_FN/READ_USER with GMime's mbox
 * parser and calls FN once per message found, in order, until FN returns
 * FALSE or STOPPING (may be NULL) returns TRUE.  MAX (0: none) caps a
 * message's size; FORMAT is "auto", "mboxrd", "mboxo", "mboxcl" or
 * "mboxcl2".  Returns how many messages were found; *FAILED (may be NULL)
 * says whether the stream broke (the last message, if any, was then CUT). */
typedef enum {
	IMPORT_MBOX_KEPT,	/* DATA/LEN are its original bytes */
	IMPORT_MBOX_TOO_LARGE,	/* over MAX, or no longer kept by the tap */
	IMPORT_MBOX_CUT,	/* the stream broke inside it; the last call */
} ImportMboxStatus;
typedef struct {
	ImportMboxStatus status;
	gint64 number;		/* 1, 2, ... */
	gint64 marker;		/* stream offset of its From_ line */
	const char *from_line;	/* that line (may be NULL) */
	gint64 begin, end;	/* its bytes in the stream, From_ line excluded */
	const guint8 *raw;	/* those bytes as read (may be NULL) */
	gsize raw_len;
	const guint8 *data;	/* KEPT: the bytes unescaped (original_bytes) */
	gsize len;
} ImportMboxMessage;
typedef gboolean (*ImportMboxFn) (gpointer user, const ImportMboxMessage *m);
gint64 import_mbox_split (TrawlTapRead read_fn, gpointer read_user, guint64 max, const char *format,
			  ImportMboxFn fn, gpointer user, gboolean (*stopping) (gpointer user), gboolean *failed);
/* Reads a whole single message (up to the size cap) and imports it. */
gboolean import_single (Import *im, ImportInput *in, const ImportWhere *where, gint64 size_hint);
/* dispatch by content: what IN is decides the reader (depth: container nesting). */
gboolean import_input (Import *im, ImportInput *in, const ImportWhere *where, gint64 size_hint,
		       const char *file_path, guint depth);
/* Copies the rest of IN (only this member) to a private temp file, for a
 * reader that needs a file (readpst, 7z's seeks).  The path (newly
 * allocated; the caller unlinks it), or NULL when reported as unreadable. */
char *import_input_spool (Import *im, ImportInput *in, const ImportWhere *where);
/* dir.c: a directory tree (maildir, MH, .eml files, and any file in it). */
gboolean import_directory (Import *im, const char *path, const ImportWhere *where);
/* The store folder of a directory REL inside a source: REL, with a
 * maildir's cur/ or new/ taken off. */
char *import_folder_of (const char *rel_dir);
/* A file on disk, whatever it is. */
gboolean import_path (Import *im, const char *path, const ImportWhere *where, guint depth);
/* container.c: a libarchive-readable file or stream. */
gboolean import_container (Import *im, ImportInput *in, const ImportWhere *where, gint64 compressed_size,
			   const char *file_path, guint depth);
/* pst.c: an Outlook PST/OST file through readpst. */
gboolean import_pst (Import *im, const char *path, const ImportWhere *where);

/* How deep containers may nest (a zip in a tar in a zip...). */
#define IMPORT_MAX_DEPTH 8

#endif
