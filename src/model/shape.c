/* shape.c — the shape index (trawl/shape.h): every message's From, To, Cc
 * and Bcc mailboxes, read from the files' headers once, cached on disk,
 * brought up to date with notmuch's lastmod; and the correspondents of a
 * query counted from it.  No curses.
 *
 * The cache file (native byte order; a byte-order word says which):
 *   "TRAWLSHP" u32 version u32 0x01020304 u64 revision u32 uuid_len uuid
 *   u32 n_strings u32 n_messages u32 n_mailboxes u32 n_attachments u64 payload_len
 *   payload: n_strings x (u32 len, bytes), n_messages x ShapeMsg,
 *            n_mailboxes x ShapeMbox, n_attachments x ShapeAtt
 *   u64 FNV-1a of the payload
 * Every index in it is checked on load; anything wrong rebuilds. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <notmuch.h>

#include "trawl/shape.h"
#include "trawl/mime.h"
#include "trawl/tags.h"
#include "trawl/wakepipe.h"
#include "model-private.h"

#define SHAPE_MAGIC "TRAWLSHP"
#define SHAPE_VERSION 2u	/* 2: attachments */
#define SHAPE_BOM 0x01020304u
#define HEAD_MAX (1024 * 1024)	/* headers longer than this are cut */

enum { KIND_FROM = 0, KIND_TO, KIND_CC, KIND_BCC };
enum { MSG_UNREADABLE = 1 };

typedef struct {
	guint32 mid, first, n, flags;
	guint64 fhash;		/* of the first file's name: a changed file is read again */
	guint32 att_first, att_n;	/* its attachments in ShapeIndex.atts */
} ShapeMsg;

/* An attachment: read only from messages notmuch tagged "attachment" when
 * it indexed them (the only ones with a Content-Disposition: attachment). */
typedef struct {
	guint32 name, type;	/* string ids; name 0 ("") when none */
	guint32 part, pad;	/* the part number of trawl_mime_save_part */
	guint64 size;		/* decoded */
	guint8 sha256[32];	/* of the decoded content */
} ShapeAtt;

typedef struct {
	guint32 addr, name, kind;
} ShapeMbox;

typedef struct {
	GStringChunk *chunk;
	GPtrArray *strs;	/* id -> string (in chunk); 0 is "" */
	GHashTable *str_ids;	/* string -> id + 1 */
	GArray *msgs;		/* ShapeMsg */
	GArray *mboxes;		/* ShapeMbox */
	GArray *atts;		/* ShapeAtt */
	GHashTable *by_mid;	/* message id (in chunk) -> msgs index + 1 */
	char *uuid;
	guint64 revision;
} ShapeIndex;

/* ---- stats ---- */
static gint64 st_files_read, st_unreadable, st_builds, st_updates, st_loads, st_saves;
static gint64 st_counts, st_patch_skips, st_patches, st_patch_messages, st_patch_queries, st_recounts;

void
trawl_shape_stats (TrawlShapeStats *out)
{
	out->files_read = (guint64) __atomic_load_n (&st_files_read, __ATOMIC_RELAXED);
	out->unreadable = (guint64) __atomic_load_n (&st_unreadable, __ATOMIC_RELAXED);
	out->builds = (guint64) __atomic_load_n (&st_builds, __ATOMIC_RELAXED);
	out->updates = (guint64) __atomic_load_n (&st_updates, __ATOMIC_RELAXED);
	out->loads = (guint64) __atomic_load_n (&st_loads, __ATOMIC_RELAXED);
	out->saves = (guint64) __atomic_load_n (&st_saves, __ATOMIC_RELAXED);
	out->counts = (guint64) __atomic_load_n (&st_counts, __ATOMIC_RELAXED);
	out->patch_skips = (guint64) __atomic_load_n (&st_patch_skips, __ATOMIC_RELAXED);
	out->patches = (guint64) __atomic_load_n (&st_patches, __ATOMIC_RELAXED);
	out->patch_messages = (guint64) __atomic_load_n (&st_patch_messages, __ATOMIC_RELAXED);
	out->patch_queries = (guint64) __atomic_load_n (&st_patch_queries, __ATOMIC_RELAXED);
	out->recounts = (guint64) __atomic_load_n (&st_recounts, __ATOMIC_RELAXED);
}

#define BUMP(v, n) __atomic_add_fetch (&(v), (n), __ATOMIC_RELAXED)

char *
trawl_shape_stats_text (void)
{
	TrawlShapeStats s;
	trawl_shape_stats (&s);
	return g_strdup_printf ("shape_files_read %" G_GUINT64_FORMAT "\nshape_unreadable %" G_GUINT64_FORMAT
				"\nshape_builds %" G_GUINT64_FORMAT "\nshape_updates %" G_GUINT64_FORMAT
				"\nshape_loads %" G_GUINT64_FORMAT "\nshape_saves %" G_GUINT64_FORMAT
				"\nshape_counts %" G_GUINT64_FORMAT "\nshape_patch_skips %" G_GUINT64_FORMAT
				"\nshape_patches %" G_GUINT64_FORMAT "\nshape_patch_messages %" G_GUINT64_FORMAT
				"\nshape_patch_queries %" G_GUINT64_FORMAT "\nshape_recounts %" G_GUINT64_FORMAT "\n",
				s.files_read, s.unreadable, s.builds, s.updates, s.loads, s.saves,
				s.counts, s.patch_skips, s.patches, s.patch_messages, s.patch_queries, s.recounts);
}

/* ---- the index in memory ---- */

static ShapeIndex *
index_new (const char *uuid)
{
	ShapeIndex *ix = g_new0 (ShapeIndex, 1);
	ix->chunk = g_string_chunk_new (1 << 16);
	ix->strs = g_ptr_array_new ();
	ix->str_ids = g_hash_table_new (g_str_hash, g_str_equal);
	ix->msgs = g_array_new (FALSE, FALSE, sizeof (ShapeMsg));
	ix->mboxes = g_array_new (FALSE, FALSE, sizeof (ShapeMbox));
	ix->atts = g_array_new (FALSE, FALSE, sizeof (ShapeAtt));
	ix->by_mid = g_hash_table_new (g_str_hash, g_str_equal);
	ix->uuid = g_strdup (uuid ? uuid : "");
	char *empty = g_string_chunk_insert_const (ix->chunk, "");
	g_ptr_array_add (ix->strs, empty);
	g_hash_table_insert (ix->str_ids, empty, GUINT_TO_POINTER (1));
	return ix;
}

static void
index_free (ShapeIndex *ix)
{
	if (!ix)
		return;
	g_string_chunk_free (ix->chunk);
	g_ptr_array_unref (ix->strs);
	g_hash_table_unref (ix->str_ids);
	g_array_unref (ix->msgs);
	g_array_unref (ix->mboxes);
	g_array_unref (ix->atts);
	g_hash_table_unref (ix->by_mid);
	g_free (ix->uuid);
	g_free (ix);
}

static guint32
intern (ShapeIndex *ix, const char *s)
{
	if (!s)
		return 0;
	gpointer v = g_hash_table_lookup (ix->str_ids, s);
	if (v)
		return GPOINTER_TO_UINT (v) - 1;
	char *copy = g_string_chunk_insert_len (ix->chunk, s, strlen (s));
	guint32 id = ix->strs->len;
	g_ptr_array_add (ix->strs, copy);
	g_hash_table_insert (ix->str_ids, copy, GUINT_TO_POINTER (id + 1));
	return id;
}

static const char *
str (const ShapeIndex *ix, guint32 id)
{
	return id < ix->strs->len ? ix->strs->pdata[id] : "";
}

static guint64
fnv (const void *data, gsize len, guint64 h)
{
	const guchar *p = data;
	for (gsize i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

static const ShapeMsg *
index_lookup (const ShapeIndex *ix, const char *mid)
{
	gpointer v = g_hash_table_lookup (ix->by_mid, mid);
	return v ? &g_array_index (ix->msgs, ShapeMsg, GPOINTER_TO_UINT (v) - 1) : NULL;
}

/* Adds (or replaces) message MID; its mailboxes are appended after. */
static ShapeMsg *
index_add (ShapeIndex *ix, const char *mid, guint64 fhash, guint32 flags)
{
	ShapeMsg m = { intern (ix, mid), ix->mboxes->len, 0, flags, fhash, ix->atts->len, 0 };
	g_array_append_val (ix->msgs, m);
	g_hash_table_insert (ix->by_mid, (gpointer) str (ix, m.mid), GUINT_TO_POINTER (ix->msgs->len));
	return &g_array_index (ix->msgs, ShapeMsg, ix->msgs->len - 1);
}

/* ---- the cache file ---- */

char *
trawl_shape_cache_path (const char *db_path, const char *uuid)
{
	const char *env = g_getenv ("TRAWL_SHAPE_CACHE");
	if (env && *env)
		return g_strdup (env);
	/* An archive of trawl import: ARCHIVE/db beside ARCHIVE/manifest.jsonl. */
	g_autofree char *base = g_path_get_basename (db_path);
	g_autofree char *parent = g_path_get_dirname (db_path);
	g_autofree char *manifest = g_build_filename (parent, "manifest.jsonl", NULL);
	if (strcmp (base, "db") == 0 && g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
		return g_build_filename (parent, "shape.idx", NULL);
	g_autofree char *name = g_strdup_printf ("shape-%s.idx", uuid && *uuid ? uuid : "unknown");
	return g_build_filename (g_get_user_cache_dir (), "trawl", name, NULL);
}

typedef struct {
	const guchar *p, *end;
	gboolean bad;
} Reader;

static guint32
rd32 (Reader *r)
{
	guint32 v = 0;
	if (r->end - r->p < 4) {
		r->bad = TRUE;
		return 0;
	}
	memcpy (&v, r->p, 4);
	r->p += 4;
	return v;
}

static guint64
rd64 (Reader *r)
{
	guint64 v = 0;
	if (r->end - r->p < 8) {
		r->bad = TRUE;
		return 0;
	}
	memcpy (&v, r->p, 8);
	r->p += 8;
	return v;
}

/* NULL with *WHY set when the file is missing (*WHY NULL) or not usable. */
static ShapeIndex *
index_load (const char *path, const char *uuid, char **why)
{
	*why = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr (GError) err = NULL;
	if (!g_file_get_contents (path, &data, &len, &err)) {
		if (!g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			*why = g_strdup_printf ("cannot read it (%s)", err->message);
		return NULL;
	}
	BUMP (st_loads, 1);
	Reader r = { (const guchar *) data, (const guchar *) data + len, FALSE };
	if (len < 8 || memcmp (data, SHAPE_MAGIC, 8) != 0) {
		*why = g_strdup ("it is not a shape index");
		return NULL;
	}
	r.p += 8;
	guint32 version = rd32 (&r), bom = rd32 (&r);
	if (r.bad || version != SHAPE_VERSION || bom != SHAPE_BOM) {
		*why = g_strdup_printf ("it is of another version (%u)", version);
		return NULL;
	}
	guint64 revision = rd64 (&r);
	guint32 ulen = rd32 (&r);
	if (r.bad || ulen > 256 || (gsize) (r.end - r.p) < ulen) {
		*why = g_strdup ("it is truncated or corrupt");
		return NULL;
	}
	g_autofree char *fuuid = g_strndup ((const char *) r.p, ulen);
	r.p += ulen;
	if (g_strcmp0 (fuuid, uuid) != 0) {
		*why = g_strdup ("it is of another database");
		return NULL;
	}
	guint32 n_str = rd32 (&r), n_msg = rd32 (&r), n_mbox = rd32 (&r), n_att = rd32 (&r);
	guint64 plen = rd64 (&r);
	if (r.bad || plen + 8 != (guint64) (r.end - r.p)) {
		*why = g_strdup ("it is truncated or corrupt");
		return NULL;
	}
	guint64 sum = 0;
	memcpy (&sum, r.p + plen, 8);
	if (fnv (r.p, plen, FNV_INIT) != sum) {
		*why = g_strdup ("it is corrupt (checksum)");
		return NULL;
	}
	r.end = r.p + plen;
	ShapeIndex *ix = index_new (uuid);
	ix->revision = revision;
	/* String ids are kept as written (the first is ""). */
	g_ptr_array_set_size (ix->strs, 0);
	g_hash_table_remove_all (ix->str_ids);
	for (guint32 i = 0; i < n_str && !r.bad; i++) {
		guint32 l = rd32 (&r);
		if (r.bad || (gsize) (r.end - r.p) < l) {
			r.bad = TRUE;
			break;
		}
		char *s = g_string_chunk_insert_len (ix->chunk, (const char *) r.p, l);
		r.p += l;
		g_ptr_array_add (ix->strs, s);
		g_hash_table_insert (ix->str_ids, s, GUINT_TO_POINTER (i + 1));
	}
	if (!r.bad && (gsize) (r.end - r.p) != (gsize) n_msg * sizeof (ShapeMsg) + (gsize) n_mbox * sizeof (ShapeMbox)
	    + (gsize) n_att * sizeof (ShapeAtt))
		r.bad = TRUE;
	if (!r.bad && (n_str == 0 || *str (ix, 0)))
		r.bad = TRUE;
	if (!r.bad) {
		/* An empty GArray's data is NULL, and memcpy from or to NULL is
		 * undefined even for 0 bytes (UBSan stops there). */
		g_array_set_size (ix->msgs, n_msg);
		if (n_msg)
			memcpy (ix->msgs->data, r.p, (gsize) n_msg * sizeof (ShapeMsg));
		r.p += (gsize) n_msg * sizeof (ShapeMsg);
		g_array_set_size (ix->mboxes, n_mbox);
		if (n_mbox)
			memcpy (ix->mboxes->data, r.p, (gsize) n_mbox * sizeof (ShapeMbox));
		r.p += (gsize) n_mbox * sizeof (ShapeMbox);
		g_array_set_size (ix->atts, n_att);
		if (n_att)
			memcpy (ix->atts->data, r.p, (gsize) n_att * sizeof (ShapeAtt));
		for (guint32 i = 0; i < n_att && !r.bad; i++) {
			const ShapeAtt *a = &g_array_index (ix->atts, ShapeAtt, i);
			if (a->name >= n_str || a->type >= n_str)
				r.bad = TRUE;
		}
		for (guint32 i = 0; i < n_mbox && !r.bad; i++) {
			const ShapeMbox *b = &g_array_index (ix->mboxes, ShapeMbox, i);
			if (b->addr >= n_str || b->name >= n_str || b->kind > KIND_BCC)
				r.bad = TRUE;
		}
		for (guint32 i = 0; i < n_msg && !r.bad; i++) {
			const ShapeMsg *m = &g_array_index (ix->msgs, ShapeMsg, i);
			if (m->mid >= n_str || m->first > n_mbox || m->n > n_mbox - m->first
			    || m->att_first > n_att || m->att_n > n_att - m->att_first)
				r.bad = TRUE;
			else
				g_hash_table_insert (ix->by_mid, (gpointer) str (ix, m->mid), GUINT_TO_POINTER (i + 1));
		}
	}
	if (r.bad) {
		index_free (ix);
		*why = g_strdup ("it is truncated or corrupt");
		return NULL;
	}
	return ix;
}

static void
put32 (GByteArray *b, guint32 v)
{
	g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put64 (GByteArray *b, guint64 v)
{
	g_byte_array_append (b, (const guint8 *) &v, 8);
}

/* Writes IX to PATH (a new file renamed over the old one: a reader never
 * sees half of it).  Only the messages the index still points to. */
static gboolean
index_save (ShapeIndex *ix, const char *path, GError **error)
{
	g_autoptr (GByteArray) pay = g_byte_array_sized_new (1 << 20);
	for (guint i = 0; i < ix->strs->len; i++) {
		const char *s = ix->strs->pdata[i];
		guint32 l = strlen (s);
		put32 (pay, l);
		g_byte_array_append (pay, (const guint8 *) s, l);
	}
	g_autoptr (GArray) msgs = g_array_sized_new (FALSE, FALSE, sizeof (ShapeMsg), ix->msgs->len);
	g_autoptr (GArray) mboxes = g_array_sized_new (FALSE, FALSE, sizeof (ShapeMbox), ix->mboxes->len);
	g_autoptr (GArray) atts = g_array_sized_new (FALSE, FALSE, sizeof (ShapeAtt), ix->atts->len);
	for (guint i = 0; i < ix->msgs->len; i++) {
		ShapeMsg m = g_array_index (ix->msgs, ShapeMsg, i);
		if (GPOINTER_TO_UINT (g_hash_table_lookup (ix->by_mid, str (ix, m.mid))) != i + 1)
			continue;	/* replaced by a newer entry */
		guint32 first = mboxes->len;
		g_array_append_vals (mboxes, &g_array_index (ix->mboxes, ShapeMbox, m.first), m.n);
		m.first = first;
		guint32 afirst = atts->len;
		g_array_append_vals (atts, &g_array_index (ix->atts, ShapeAtt, m.att_first), m.att_n);
		m.att_first = afirst;
		g_array_append_val (msgs, m);
	}
	g_byte_array_append (pay, (const guint8 *) msgs->data, msgs->len * sizeof (ShapeMsg));
	g_byte_array_append (pay, (const guint8 *) mboxes->data, mboxes->len * sizeof (ShapeMbox));
	g_byte_array_append (pay, (const guint8 *) atts->data, atts->len * sizeof (ShapeAtt));

	g_autoptr (GByteArray) out = g_byte_array_sized_new (pay->len + 128);
	g_byte_array_append (out, (const guint8 *) SHAPE_MAGIC, 8);
	put32 (out, SHAPE_VERSION);
	put32 (out, SHAPE_BOM);
	put64 (out, ix->revision);
	put32 (out, strlen (ix->uuid));
	g_byte_array_append (out, (const guint8 *) ix->uuid, strlen (ix->uuid));
	put32 (out, ix->strs->len);
	put32 (out, msgs->len);
	put32 (out, mboxes->len);
	put32 (out, atts->len);
	put64 (out, pay->len);
	g_byte_array_append (out, pay->data, pay->len);
	put64 (out, fnv (pay->data, pay->len, FNV_INIT));

	g_autofree char *dir = g_path_get_dirname (path);
	if (g_mkdir_with_parents (dir, 0700) < 0) {
		int e = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
			     "cannot create %s: %s", dir, g_strerror (e));
		return FALSE;
	}
	if (!g_file_set_contents (path, (const char *) out->data, out->len, error))
		return FALSE;
	BUMP (st_saves, 1);
	return TRUE;
}

/* ---- reading message files ---- */

/* The header block of the file at PATH (up to and with the blank line, at
 * most HEAD_MAX bytes) into BUF; FALSE when it cannot be read. */
static gboolean
read_head (const char *path, GString *buf)
{
	g_string_truncate (buf, 0);
	int fd = open (path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	BUMP (st_files_read, 1);
	gsize scanned = 0;
	for (;;) {
		if (buf->len >= HEAD_MAX)
			break;
		gsize want = MIN ((gsize) 16384, HEAD_MAX - buf->len);
		gsize old = buf->len;
		g_string_set_size (buf, old + want);
		ssize_t n = read (fd, buf->str + old, want);
		if (n < 0 && errno == EINTR) {
			g_string_set_size (buf, old);
			continue;
		}
		if (n <= 0) {
			g_string_set_size (buf, old);
			if (n < 0) {
				close (fd);
				return FALSE;
			}
			break;
		}
		g_string_set_size (buf, old + n);
		/* The end of the headers: an empty line. */
		gsize from = scanned ? scanned - 1 : 0;
		gboolean found = FALSE;
		for (gsize i = from; i + 1 < buf->len; i++) {
			if (buf->str[i] == '\n' && (buf->str[i + 1] == '\n'
						    || (buf->str[i + 1] == '\r' && i + 2 < buf->len && buf->str[i + 2] == '\n'))) {
				g_string_truncate (buf, i + 1);
				found = TRUE;
				break;
			}
		}
		if (found)
			break;
		scanned = buf->len;
	}
	close (fd);
	g_string_append_c (buf, '\n');
	return TRUE;
}

typedef struct {
	ShapeIndex *ix;
	ShapeMsg *m;
} AddCtx;

static void
add_mailbox (int kind, const char *name, const char *addr, gpointer data)
{
	AddCtx *a = data;
	ShapeMbox b = { intern (a->ix, addr), intern (a->ix, name), (guint32) kind };
	g_array_append_val (a->ix->mboxes, b);
	a->m->n++;
}

/* ---- bringing the index up to date ---- */

typedef struct {
	gint *cancel;		/* may be NULL */
	gint64 *done, *total;	/* progress, may be NULL */
	void (*wake) (gpointer data);
	gpointer data;
} Progress;

static gboolean
cancelled (const Progress *p)
{
	return p && p->cancel && g_atomic_int_get (p->cancel);
}

/* A read-only handle of its own, opened as DB's was (its config gives
 * mail_root, where the files are). */
static notmuch_database_t *
open_ro (const char *db_path, const char *config_path, const char *profile, GError **error)
{
	notmuch_database_t *nm = NULL;
	char *msg = NULL;
	notmuch_status_t st = notmuch_database_open_with_config (db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
								 config_path ? config_path : "", profile,
								 &nm, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS || !nm) {
		g_autofree char *m = g_strdup (msg ? msg : notmuch_status_to_string (st));
		trawl_strip_newlines (m);
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_OPEN,
			     "cannot open the notmuch database %s: %s", db_path, m);
		if (nm)
			notmuch_database_destroy (nm);
		nm = NULL;
	}
	free (msg);
	return nm;
}

typedef struct {
	char *mid, *file;
	guint64 fhash;
	gboolean att;		/* tagged attachment: the whole file is read */
} Todo;

/* The messages of TODO that also match QUERY_TEXT and tag:attachment. */
static void
mark_attachments (notmuch_database_t *nm, const char *query_text, GArray *todo, const Progress *prog)
{
	if (!todo->len)
		return;
	g_autoptr (GHashTable) at = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < todo->len; i++) {
		Todo *t = &g_array_index (todo, Todo, i);
		g_hash_table_insert (at, t->mid, t);
	}
	g_autofree char *q = strcmp (query_text, "*") == 0 ? g_strdup ("tag:attachment")
		: g_strdup_printf ("(%s) and tag:attachment", query_text);
	notmuch_query_t *query = NULL;
	if (notmuch_query_create_with_syntax (nm, q, NOTMUCH_QUERY_SYNTAX_XAPIAN, &query)
	    != NOTMUCH_STATUS_SUCCESS)
		return;
	notmuch_query_set_sort (query, NOTMUCH_SORT_UNSORTED);
	notmuch_messages_t *ms = NULL;
	if (notmuch_query_search_messages (query, &ms) == NOTMUCH_STATUS_SUCCESS) {
		for (; notmuch_messages_valid (ms) && !cancelled (prog); notmuch_messages_move_to_next (ms)) {
			notmuch_message_t *m = notmuch_messages_get (ms);
			const char *mid = notmuch_message_get_message_id (m);
			Todo *t = mid ? g_hash_table_lookup (at, mid) : NULL;
			if (t)
				t->att = TRUE;
			notmuch_message_destroy (m);
		}
	}
	notmuch_query_destroy (query);
}

static void
add_attachment (const TrawlAttachmentInfo *a, gpointer data)
{
	AddCtx *ac = data;
	ShapeAtt sa = { intern (ac->ix, a->filename), intern (ac->ix, a->content_type), (guint32) a->index, 0, a->size, { 0 } };
	memcpy (sa.sha256, a->sha256, sizeof sa.sha256);
	g_array_append_val (ac->ix->atts, sa);
	ac->m->att_n++;
}

/* The whole file at PATH into BUF; FALSE when it cannot be read. */
static gboolean
read_whole (const char *path, GString *buf)
{
	g_string_truncate (buf, 0);
	int fd = open (path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	BUMP (st_files_read, 1);
	for (;;) {
		gsize old = buf->len;
		g_string_set_size (buf, old + 65536);
		ssize_t n = read (fd, buf->str + old, 65536);
		if (n < 0 && errno == EINTR) {
			g_string_set_size (buf, old);
			continue;
		}
		g_string_set_size (buf, old + (n > 0 ? (gsize) n : 0));
		if (n < 0) {
			close (fd);
			return FALSE;
		}
		if (n == 0)
			break;
	}
	close (fd);
	return TRUE;
}

/* The length of the header block of the LEN bytes at DATA (with the blank
 * line's first newline), or LEN. */
static gsize
head_len (const char *data, gsize len)
{
	for (gsize i = 0; i + 1 < len && i < HEAD_MAX; i++)
		if (data[i] == '\n' && (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')))
			return i + 1;
	return MIN (len, (gsize) HEAD_MAX);
}

/* Reads message T into IX: its mailboxes, and its attachments when it is
 * tagged attachment. */
static void
read_message (ShapeIndex *ix, const Todo *t, GString *buf)
{
	if (!t->att) {
		if (read_head (t->file, buf)) {
			AddCtx a = { ix, index_add (ix, t->mid, t->fhash, 0) };
			trawl_mime_header_mailboxes (buf->str, buf->len, add_mailbox, &a);
		} else {
			index_add (ix, t->mid, t->fhash, MSG_UNREADABLE);
			BUMP (st_unreadable, 1);
		}
		return;
	}
	if (!read_whole (t->file, buf)) {
		index_add (ix, t->mid, t->fhash, MSG_UNREADABLE);
		BUMP (st_unreadable, 1);
		return;
	}
	AddCtx a = { ix, index_add (ix, t->mid, t->fhash, 0) };
	gsize hl = head_len (buf->str, buf->len);
	g_autofree char *head = g_strndup (buf->str, hl);
	trawl_mime_header_mailboxes (head, hl, add_mailbox, &a);
	/* index_add may move the array: the message is the last one. */
	a.m = &g_array_index (ix->msgs, ShapeMsg, ix->msgs->len - 1);
	trawl_mime_attachments_bytes (buf->str, buf->len, add_attachment, &a);
}

/* Loads the cache of NM's database, brings it to NM's revision (saving it
 * when anything changed) and returns it; NULL with ERROR, or when cancelled. */
static ShapeIndex *
index_update (notmuch_database_t *nm, const char *db_path, TrawlShapeResult *res,
	      const Progress *prog, GError **error)
{
	const char *uuid = NULL;
	guint64 rev = notmuch_database_get_revision (nm, &uuid);
	g_autofree char *path = trawl_shape_cache_path (db_path, uuid);
	char *why = NULL;
	ShapeIndex *ix = index_load (path, uuid, &why);
	if (why) {
		res->notice = g_strdup_printf ("The shape index %s was rebuilt: %s", path, why);
		g_free (why);
	}
	g_autofree char *q = NULL;
	if (!ix) {
		ix = index_new (uuid);
		res->built = TRUE;
		BUMP (st_builds, 1);
		q = g_strdup ("*");
	} else if (ix->revision < rev) {
		BUMP (st_updates, 1);
		q = g_strdup_printf ("lastmod:%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, ix->revision + 1, rev);
	}
	if (q) {
		/* The messages to read first (the query closed before any file is
		 * read), then the files. */
		notmuch_query_t *query = NULL;
		if (notmuch_query_create_with_syntax (nm, q, NOTMUCH_QUERY_SYNTAX_XAPIAN, &query)
		    != NOTMUCH_STATUS_SUCCESS) {
			g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "cannot query %s", q);
			index_free (ix);
			return NULL;
		}
		notmuch_query_set_sort (query, NOTMUCH_SORT_UNSORTED);
		unsigned cnt = 0;
		notmuch_query_count_messages (query, &cnt);
		if (prog && prog->total)
			*prog->total = cnt;
		notmuch_messages_t *ms = NULL;
		GArray *todo = g_array_new (FALSE, FALSE, sizeof (Todo));
		if (notmuch_query_search_messages (query, &ms) == NOTMUCH_STATUS_SUCCESS) {
			for (; notmuch_messages_valid (ms) && !cancelled (prog); notmuch_messages_move_to_next (ms)) {
				notmuch_message_t *m = notmuch_messages_get (ms);
				const char *mid = notmuch_message_get_message_id (m);
				const char *file = notmuch_message_get_filename (m);
				if (mid && file) {
					guint64 fh = fnv (file, strlen (file), FNV_INIT);
					const ShapeMsg *old = index_lookup (ix, mid);
					if (!old || old->fhash != fh) {
						Todo t = { g_strdup (mid), g_strdup (file), fh };
						g_array_append_val (todo, t);
					}
				}
				notmuch_message_destroy (m);
			}
		}
		notmuch_query_destroy (query);
		mark_attachments (nm, q, todo, prog);
		if (prog && prog->total)
			*prog->total = todo->len;
		g_autoptr (GString) head = g_string_new (NULL);
		for (guint i = 0; i < todo->len; i++) {
			Todo *t = &g_array_index (todo, Todo, i);
			if (!cancelled (prog)) {
				read_message (ix, t, head);
				res->read++;
				if (prog && prog->done && (i & 255) == 255) {
					*prog->done = i + 1;
					if (prog->wake)
						prog->wake (prog->data);
				}
			}
			g_free (t->mid);
			g_free (t->file);
		}
		g_array_unref (todo);
		if (cancelled (prog)) {
			index_free (ix);
			return NULL;
		}
		ix->revision = rev;
		if (!index_save (ix, path, error)) {
			index_free (ix);
			return NULL;
		}
	}
	res->messages = g_hash_table_size (ix->by_mid);
	for (guint i = 0; i < ix->msgs->len; i++)
		if (g_array_index (ix->msgs, ShapeMsg, i).flags & MSG_UNREADABLE)
			res->unreadable++;
	return ix;
}

gboolean
trawl_shape_update (TrawlDb *db, TrawlShapeResult *res, GError **error)
{
	memset (res, 0, sizeof *res);
	trawl_mime_init ();
	notmuch_database_t *nm = open_ro (db->path, db->config_path, db->profile, error);
	if (!nm)
		return FALSE;
	ShapeIndex *ix = index_update (nm, db->path, res, NULL, error);
	notmuch_database_destroy (nm);
	if (!ix)
		return FALSE;
	/* Unreadable messages: only those the index still points to. */
	res->unreadable = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init (&it, ix->by_mid);
	while (g_hash_table_iter_next (&it, &k, &v))
		if (g_array_index (ix->msgs, ShapeMsg, GPOINTER_TO_UINT (v) - 1).flags & MSG_UNREADABLE)
			res->unreadable++;
	g_hash_table_iter_init (&it, ix->by_mid);
	while (g_hash_table_iter_next (&it, &k, &v))
		res->attachments += g_array_index (ix->msgs, ShapeMsg, GPOINTER_TO_UINT (v) - 1).att_n;
	index_free (ix);
	return TRUE;
}

/* ---- correspondents of a query ---- */

typedef struct {
	guint32 addr;
	guint sent, received;
	GHashTable *names;	/* name id -> count */
	const char *joined;	/* in the job's chunk, made when first asked */
} Person;

typedef struct {
	gint ref;
	gint cancel;
	gint phase;		/* TrawlCorrPhase */
	gint64 done, total;
	char *db_path, *config_path, *profile;
	char *query;
	char **exclude_tags;	/* search.exclude_tags: counted as the thread list counts */
	TrawlWakePipe wake;	/* finished: the results are there */
	/* results, written by the worker before phase is DONE */
	ShapeIndex *ix;		/* kept whole: a tag change patches from it */
	GHashTable *people;	/* addr id -> Person */
	GHashTable *pairs;	/* set of PairCount */
	guint64 messages, unreadable;
	char *error, *notice;
	GStringChunk *chunk;	/* joined names, used on the caller's side */
	gboolean atts;		/* listing attachments (TrawlAtts), not counting correspondents */
	GPtrArray *att_rows;	/* TrawlAttRow *, strings in chunk; count 0: taken away by a patch */
	/* What was counted, for patching after a tag change: message id (in
	 * chunk) -> COUNTED_* flags. */
	GHashTable *counted;
	GHashTable *att_by_mid;	/* message id (in chunk) -> GPtrArray of its att_rows */
} Job;

enum {
	COUNTED = 1,		/* the query matched it */
	COUNTED_NOTMUCH = 2,	/* correspondents: counted from notmuch's From (unreadable) */
	COUNTED_LISTED = 4,	/* attachments: listed (it was tagged attachment) */
	COUNTED_UNREADABLE = 8,	/* counted in unreadable */
};

struct TrawlCorr {
	Job *job;
};

static void
person_free (gpointer p)
{
	Person *pe = p;
	g_hash_table_unref (pe->names);
	g_free (pe);
}

static void
job_unref (Job *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	trawl_wake_pipe_clear (&job->wake);
	g_free (job->db_path);
	g_free (job->config_path);
	g_free (job->profile);
	g_free (job->query);
	g_strfreev (job->exclude_tags);
	g_free (job->error);
	g_free (job->notice);
	if (job->people)
		g_hash_table_unref (job->people);
	if (job->pairs)
		g_hash_table_unref (job->pairs);
	if (job->att_rows)
		g_ptr_array_unref (job->att_rows);
	if (job->counted)
		g_hash_table_unref (job->counted);
	if (job->att_by_mid)
		g_hash_table_unref (job->att_by_mid);
	index_free (job->ix);
	g_string_chunk_free (job->chunk);
	g_free (job);
}

static void
job_wake (gpointer data)
{
	Job *job = data;
	trawl_wake_pipe_signal (&job->wake);
}

static Person *
person (Job *job, guint32 addr)
{
	Person *p = g_hash_table_lookup (job->people, GUINT_TO_POINTER (addr));
	if (!p) {
		p = g_new0 (Person, 1);
		p->addr = addr;
		p->names = g_hash_table_new (NULL, NULL);
		g_hash_table_insert (job->people, GUINT_TO_POINTER (addr), p);
	}
	return p;
}

static void
count_name (Person *p, guint32 name, int sign)
{
	if (!name)
		return;
	guint n = GPOINTER_TO_UINT (g_hash_table_lookup (p->names, GUINT_TO_POINTER (name)));
	if (sign < 0 && n <= 1)
		g_hash_table_remove (p->names, GUINT_TO_POINTER (name));
	else
		g_hash_table_insert (p->names, GUINT_TO_POINTER (name), GUINT_TO_POINTER (sign < 0 ? n - 1 : n + 1));
	p->joined = NULL;	/* joined again when next asked */
}

/* N plus SIGN (1 or -1), never below 0. */
static guint
add_sign (guint n, int sign)
{
	return sign < 0 ? (n ? n - 1 : 0) : n + 1;
}

static gboolean
contains (const GArray *a, guint32 v)
{
	for (guint i = 0; i < a->len; i++)
		if (g_array_index (a, guint32, i) == v)
			return TRUE;
	return FALSE;
}

/* A pair's count; the key is its first member, so the set holds it alone. */
typedef struct {
	gint64 key;	/* from << 32 | to */
	guint count;
} PairCount;

/* Adds (SIGN 1) or takes away (SIGN -1) one message of mailboxes B. */
static void
count_message (Job *job, const ShapeMbox *b, guint n, GArray *from, GArray *to, int sign)
{
	g_array_set_size (from, 0);
	g_array_set_size (to, 0);
	for (guint i = 0; i < n; i++) {
		GArray *set = b[i].kind == KIND_FROM ? from : to;
		count_name (person (job, b[i].addr), b[i].name, sign);
		if (!contains (set, b[i].addr))
			g_array_append_val (set, b[i].addr);
	}
	for (guint i = 0; i < from->len; i++)
	{
		Person *p = person (job, g_array_index (from, guint32, i));
		p->sent = add_sign (p->sent, sign);
	}
	for (guint j = 0; j < to->len; j++) {
		Person *p = person (job, g_array_index (to, guint32, j));
		p->received = add_sign (p->received, sign);
	}
	for (guint i = 0; i < from->len; i++)
		for (guint j = 0; j < to->len; j++) {
			gint64 key = (gint64) (((guint64) g_array_index (from, guint32, i) << 32) | g_array_index (to, guint32, j));
			PairCount *pc = g_hash_table_lookup (job->pairs, &key);
			if (!pc) {
				pc = g_new0 (PairCount, 1);
				pc->key = key;
				g_hash_table_add (job->pairs, pc);
			}
			pc->count = add_sign (pc->count, sign);
		}
}

/* A message the index could not read: its sender from notmuch's From. */
static void
count_from_notmuch (Job *job, notmuch_message_t *m, GArray *from, GArray *to, int sign)
{
	const char *f = notmuch_message_get_header (m, "from");
	if (!f || !*f)
		return;
	g_autofree char *head = g_strdup_printf ("From: %s\n\n", f);
	guint32 first = job->ix->mboxes->len;
	ShapeMsg tmp = { 0, first, 0, 0, 0 };
	AddCtx a = { job->ix, &tmp };
	trawl_mime_header_mailboxes (head, strlen (head), add_mailbox, &a);
	count_message (job, &g_array_index (job->ix->mboxes, ShapeMbox, first), tmp.n, from, to, sign);
	g_array_set_size (job->ix->mboxes, first);
}

/* TEXT as a query of NM that leaves out what search.exclude_tags hides, as
 * the thread list and notmuch count do; FALSE when it does not parse. */
static gboolean
job_query (Job *job, notmuch_database_t *nm, const char *text, notmuch_query_t **query)
{
	*query = NULL;
	if (notmuch_query_create_with_syntax (nm, text, NOTMUCH_QUERY_SYNTAX_XAPIAN, query)
	    != NOTMUCH_STATUS_SUCCESS)
		return FALSE;
	for (char **t = job->exclude_tags; t && *t; t++)
		notmuch_query_add_tag_exclude (*query, *t);
	notmuch_query_set_omit_excluded (*query, NOTMUCH_EXCLUDE_TRUE);
	return TRUE;
}

static const char *chunk_str (Job *job, const char *s);

static void
corr_count (Job *job, notmuch_database_t *nm)
{
	notmuch_query_t *query = NULL;
	if (!job_query (job, nm, job->query, &query)) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		return;
	}
	notmuch_query_set_sort (query, NOTMUCH_SORT_UNSORTED);
	unsigned cnt = 0;
	notmuch_query_count_messages (query, &cnt);
	g_atomic_int_set (&job->phase, TRAWL_CORR_COUNTING);
	job->done = 0;
	job->total = cnt;
	job_wake (job);
	notmuch_messages_t *ms = NULL;
	if (notmuch_query_search_messages (query, &ms) != NOTMUCH_STATUS_SUCCESS) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		notmuch_query_destroy (query);
		return;
	}
	g_autoptr (GArray) from = g_array_new (FALSE, FALSE, sizeof (guint32));
	g_autoptr (GArray) to = g_array_new (FALSE, FALSE, sizeof (guint32));
	guint64 i = 0;
	for (; notmuch_messages_valid (ms) && !g_atomic_int_get (&job->cancel); notmuch_messages_move_to_next (ms)) {
		notmuch_message_t *m = notmuch_messages_get (ms);
		const char *mid = notmuch_message_get_message_id (m);
		const ShapeMsg *sm = mid ? index_lookup (job->ix, mid) : NULL;
		job->messages++;
		guint flags = COUNTED;
		if (sm && !(sm->flags & MSG_UNREADABLE)) {
			count_message (job, &g_array_index (job->ix->mboxes, ShapeMbox, sm->first), sm->n, from, to, 1);
		} else {
			job->unreadable++;
			count_from_notmuch (job, m, from, to, 1);
			flags |= COUNTED_NOTMUCH | COUNTED_UNREADABLE;
		}
		if (mid)
			g_hash_table_insert (job->counted, (gpointer) chunk_str (job, mid), GUINT_TO_POINTER (flags));
		notmuch_message_destroy (m);
		if ((++i & 1023) == 0) {
			job->done = i;
			job_wake (job);
		}
	}
	notmuch_query_destroy (query);
}

/* ---- attachments of a query ---- */

static const char *
chunk_str (Job *job, const char *s)
{
	return g_string_chunk_insert_const (job->chunk, s ? s : "");
}

/* The From of message SM in the index: its address and display name. */
static void
sender_of (const ShapeIndex *ix, const ShapeMsg *sm, const char **sender, const char **sender_name)
{
	*sender = *sender_name = "";
	for (guint k = 0; k < sm->n; k++) {
		const ShapeMbox *b = &g_array_index (ix->mboxes, ShapeMbox, sm->first + k);
		if (b->kind == KIND_FROM) {
			*sender = str (ix, b->addr);
			*sender_name = str (ix, b->name);
			return;
		}
	}
}

/* Lists message M's attachments (from the index; no file is read) and
 * returns its COUNTED_* flags. */
static guint
atts_add_message (Job *job, notmuch_message_t *m)
{
	const char *mid = notmuch_message_get_message_id (m);
	const char *file = notmuch_message_get_filename (m);
	const ShapeMsg *sm = mid ? index_lookup (job->ix, mid) : NULL;
	guint flags = COUNTED | COUNTED_LISTED;
	if (!sm || (sm->flags & MSG_UNREADABLE) || !file || access (file, R_OK) != 0) {
		job->unreadable++;
		return flags | COUNTED_UNREADABLE;
	}
	if (!sm->att_n)
		return flags;
	const char *sender, *sender_name;
	sender_of (job->ix, sm, &sender, &sender_name);
	const char *cmid = chunk_str (job, mid), *ctid = chunk_str (job, notmuch_message_get_thread_id (m));
	const char *cfile = chunk_str (job, file);
	gint64 date = (gint64) notmuch_message_get_date (m);
	GPtrArray *mine = g_ptr_array_new ();
	for (guint k = 0; k < sm->att_n; k++) {
		const ShapeAtt *a = &g_array_index (job->ix->atts, ShapeAtt, sm->att_first + k);
		TrawlAttRow *r = g_new0 (TrawlAttRow, 1);
		r->name = chunk_str (job, str (job->ix, a->name));
		g_autofree char *safe = trawl_mime_safe_filename (*r->name ? r->name : NULL, (int) a->part);
		r->safe_name = chunk_str (job, safe);
		r->type = chunk_str (job, str (job->ix, a->type));
		r->size = a->size;
		char hex[65];
		for (int b = 0; b < 32; b++)
			g_snprintf (hex + 2 * b, 3, "%02x", a->sha256[b]);
		r->sha256 = chunk_str (job, hex);
		r->part = (int) a->part;
		r->sender = chunk_str (job, sender);
		r->sender_name = chunk_str (job, sender_name);
		r->date = date;
		r->message_id = cmid;
		r->thread_id = ctid;
		r->file = cfile;
		r->count = 1;
		r->senders = 1;
		g_ptr_array_add (job->att_rows, r);
		g_ptr_array_add (mine, r);
	}
	g_hash_table_insert (job->att_by_mid, (gpointer) cmid, mine);
	return flags;
}

static void
atts_list (Job *job, notmuch_database_t *nm)
{
	notmuch_query_t *all = NULL;
	if (!job_query (job, nm, job->query, &all)) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		return;
	}
	/* The query's messages: what was counted, for patching. */
	notmuch_query_set_sort (all, NOTMUCH_SORT_UNSORTED);
	notmuch_messages_t *ms = NULL;
	if (notmuch_query_search_messages (all, &ms) != NOTMUCH_STATUS_SUCCESS) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		notmuch_query_destroy (all);
		return;
	}
	guint64 cnt = 0;
	for (; notmuch_messages_valid (ms) && !g_atomic_int_get (&job->cancel); notmuch_messages_move_to_next (ms)) {
		notmuch_message_t *m = notmuch_messages_get (ms);
		const char *mid = notmuch_message_get_message_id (m);
		if (mid)
			g_hash_table_insert (job->counted, (gpointer) chunk_str (job, mid), GUINT_TO_POINTER (COUNTED));
		cnt++;
		notmuch_message_destroy (m);
	}
	notmuch_query_destroy (all);
	job->messages = cnt;
	/* notmuch takes "*" for every message only as the whole query. */
	g_autofree char *q = strcmp (job->query, "*") == 0 ? g_strdup ("tag:attachment")
		: g_strdup_printf ("(%s) and tag:attachment", job->query);
	notmuch_query_t *query = NULL;
	if (!job_query (job, nm, q, &query)) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		return;
	}
	notmuch_query_set_sort (query, NOTMUCH_SORT_UNSORTED);
	unsigned acnt = 0;
	notmuch_query_count_messages (query, &acnt);
	g_atomic_int_set (&job->phase, TRAWL_CORR_COUNTING);
	job->done = 0;
	job->total = acnt;
	job_wake (job);
	job->att_rows = g_ptr_array_new_with_free_func (g_free);
	ms = NULL;
	if (notmuch_query_search_messages (query, &ms) != NOTMUCH_STATUS_SUCCESS) {
		job->error = g_strdup_printf ("Bad query: %s", job->query);
		notmuch_query_destroy (query);
		return;
	}
	guint64 i = 0;
	for (; notmuch_messages_valid (ms) && !g_atomic_int_get (&job->cancel); notmuch_messages_move_to_next (ms)) {
		notmuch_message_t *m = notmuch_messages_get (ms);
		const char *mid = notmuch_message_get_message_id (m);
		guint flags = atts_add_message (job, m);
		if (mid)
			g_hash_table_insert (job->counted, (gpointer) chunk_str (job, mid), GUINT_TO_POINTER (flags));
		notmuch_message_destroy (m);
		if ((++i & 255) == 0) {
			job->done = i;
			job_wake (job);
		}
	}
	notmuch_query_destroy (query);
}

static gpointer
worker (gpointer data)
{
	Job *job = data;
	g_autoptr (GError) err = NULL;
	notmuch_database_t *nm = open_ro (job->db_path, job->config_path, job->profile, &err);
	if (nm) {
		TrawlShapeResult res = { 0 };
		g_atomic_int_set (&job->phase, TRAWL_CORR_READING);
		job_wake (job);
		Progress prog = { &job->cancel, &job->done, &job->total, job_wake, job };
		job->ix = index_update (nm, job->db_path, &res, &prog, &err);
		job->notice = res.notice;
		if (job->ix && !g_atomic_int_get (&job->cancel)) {
			BUMP (st_counts, 1);
			job->counted = g_hash_table_new (g_str_hash, g_str_equal);
		}
		if (job->ix && !g_atomic_int_get (&job->cancel) && job->atts) {
			job->att_by_mid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
								 (GDestroyNotify) g_ptr_array_unref);
			atts_list (job, nm);
		} else if (job->ix && !g_atomic_int_get (&job->cancel)) {
			job->people = g_hash_table_new_full (NULL, NULL, NULL, person_free);
			job->pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);	/* PairCount */
			corr_count (job, nm);
		}
		notmuch_database_destroy (nm);
	}
	if (!job->ix && !job->error)
		job->error = g_strdup (err ? err->message : "cancelled");
	g_atomic_int_set (&job->phase, job->error ? TRAWL_CORR_FAILED : TRAWL_CORR_DONE);
	trawl_wake_pipe_finish (&job->wake);
	job_unref (job);
	return NULL;
}

static Job *job_start (TrawlDb *db, const char *query, gboolean atts);

TrawlCorr *
trawl_corr_new (TrawlDb *db, const char *query)
{
	TrawlCorr *c = g_new0 (TrawlCorr, 1);
	c->job = job_start (db, query, FALSE);
	return c;
}

static Job *
job_start (TrawlDb *db, const char *query, gboolean atts)
{
	trawl_mime_init ();
	Job *job = g_new0 (Job, 1);
	job->atts = atts;
	job->db_path = g_strdup (db->path);
	job->config_path = g_strdup (db->config_path);
	job->profile = g_strdup (db->profile);
	job->query = g_strdup (query && *query ? query : "*");
	job->exclude_tags = g_strdupv (db->exclude_tags);
	job->chunk = g_string_chunk_new (4096);
	job->phase = TRAWL_CORR_OPENING;
	job->ref = 1;
	g_autoptr (GError) e = NULL;
	if (!trawl_wake_pipe_init (&job->wake, &e)) {
		job->error = g_strdup_printf ("cannot count: %s", e->message);
		job->phase = TRAWL_CORR_FAILED;
		trawl_wake_pipe_abandon (&job->wake);
		return job;
	}
	job->ref = 2;
	GThread *th = g_thread_try_new ("trawl-shape", worker, job, &e);
	if (th) {
		g_thread_unref (th);
	} else {
		job->error = g_strdup_printf ("cannot count: %s", e ? e->message : "no thread");
		job->ref = 1;
		job->phase = TRAWL_CORR_FAILED;
		trawl_wake_pipe_abandon (&job->wake);
	}
	return job;
}

void
trawl_corr_free (TrawlCorr *c)
{
	if (!c)
		return;
	g_atomic_int_set (&c->job->cancel, 1);
	job_unref (c->job);
	g_free (c);
}

const char *
trawl_corr_query (const TrawlCorr *c)
{
	return c->job->query;
}

int
trawl_corr_wake_fd (const TrawlCorr *c)
{
	return trawl_wake_pipe_fd (&c->job->wake);
}

gboolean
trawl_corr_collect (TrawlCorr *c)
{
	return trawl_wake_pipe_collect (&c->job->wake);
}

void
trawl_corr_wait (TrawlCorr *c)
{
	trawl_wake_pipe_wait (&c->job->wake);
}

TrawlCorrPhase
trawl_corr_phase (const TrawlCorr *c, guint64 *done, guint64 *total)
{
	if (done)
		*done = (guint64) __atomic_load_n (&c->job->done, __ATOMIC_RELAXED);
	if (total)
		*total = (guint64) __atomic_load_n (&c->job->total, __ATOMIC_RELAXED);
	return g_atomic_int_get (&c->job->phase);
}

static gboolean
finished (const TrawlCorr *c)
{
	return trawl_wake_pipe_finished (&c->job->wake);
}

const char *
trawl_corr_error (const TrawlCorr *c)
{
	return finished (c) ? c->job->error : NULL;
}

const char *
trawl_corr_notice (const TrawlCorr *c)
{
	return finished (c) ? c->job->notice : NULL;
}

guint64
trawl_corr_messages (const TrawlCorr *c)
{
	return finished (c) ? c->job->messages : 0;
}

guint64
trawl_corr_unreadable (const TrawlCorr *c)
{
	return finished (c) ? c->job->unreadable : 0;
}

typedef struct {
	guint32 name;
	guint count;
} NameCount;

static gint
by_count_desc (gconstpointer a, gconstpointer b)
{
	const NameCount *x = a, *y = b;
	return x->count != y->count ? (x->count < y->count ? 1 : -1) : (x->name > y->name) - (x->name < y->name);
}

static const char *
person_names (Job *job, Person *p)
{
	if (p->joined)
		return p->joined;
	g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (NameCount));
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init (&it, p->names);
	while (g_hash_table_iter_next (&it, &k, &v)) {
		NameCount nc = { GPOINTER_TO_UINT (k), GPOINTER_TO_UINT (v) };
		g_array_append_val (a, nc);
	}
	g_array_sort (a, by_count_desc);
	g_autoptr (GString) s = g_string_new (NULL);
	for (guint i = 0; i < a->len && i < 8; i++) {
		if (i)
			g_string_append (s, " / ");
		g_string_append (s, str (job->ix, g_array_index (a, NameCount, i).name));
	}
	p->joined = g_string_chunk_insert_const (job->chunk, s->str);
	return p->joined;
}

static const char *
domain_of (const char *addr)
{
	const char *at = strrchr (addr, '@');
	return at && at[1] ? at + 1 : addr;
}

static gint
row_cmp (gconstpointer a, gconstpointer b)
{
	const TrawlCorrRow *x = *(TrawlCorrRow *const *) a, *y = *(TrawlCorrRow *const *) b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	int r = strcmp (x->key, y->key);
	return r ? r : g_strcmp0 (x->key2, y->key2);
}

/* Adds COUNT to the row of KEY (and KEY2) in TABLE, made on first use. */
static void
add_row (Job *job, GHashTable *table, GPtrArray *rows, const char *key, const char *names,
	 const char *key2, const char *names2, guint count)
{
	g_autofree char *hk = g_strconcat (key, "\n", key2 ? key2 : "", NULL);
	TrawlCorrRow *r = g_hash_table_lookup (table, hk);
	if (!r) {
		r = g_new0 (TrawlCorrRow, 1);
		r->key = g_string_chunk_insert_const (job->chunk, key);
		r->names = names;
		r->key2 = key2 ? g_string_chunk_insert_const (job->chunk, key2) : NULL;
		r->names2 = names2;
		g_hash_table_insert (table, g_steal_pointer (&hk), r);
		g_ptr_array_add (rows, r);
	}
	r->count += count;
}

GPtrArray *
trawl_corr_rows (TrawlCorr *c, TrawlCorrMode mode, gboolean by_domain,
		 const char *person_key, gboolean outgoing)
{
	Job *job = c->job;
	GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
	if (g_atomic_int_get (&job->phase) != TRAWL_CORR_DONE || !job->people)
		return rows;
	g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer k, v;
	if (mode != TRAWL_CORR_PAIRS) {
		g_hash_table_iter_init (&it, job->people);
		while (g_hash_table_iter_next (&it, &k, &v)) {
			Person *p = v;
			guint n = mode == TRAWL_CORR_SENT ? p->sent : p->received;
			if (!n)
				continue;
			const char *addr = str (job->ix, p->addr);
			if (by_domain)
				add_row (job, table, rows, domain_of (addr), "", NULL, NULL, n);
			else
				add_row (job, table, rows, addr, person_names (job, p), NULL, NULL, n);
		}
	} else {
		g_hash_table_iter_init (&it, job->pairs);
		while (g_hash_table_iter_next (&it, &k, &v)) {
			const PairCount *pc = k;
			if (!pc->count)
				continue;	/* taken away by a patch */
			guint64 key = (guint64) pc->key;
			guint32 fa = key >> 32, ta = key & 0xffffffffu;
			const char *from = str (job->ix, fa), *to = str (job->ix, ta);
			const char *fk = by_domain ? domain_of (from) : from;
			const char *tk = by_domain ? domain_of (to) : to;
			if (person_key && strcmp (outgoing ? fk : tk, person_key) != 0)
				continue;
			if (by_domain)
				add_row (job, table, rows, fk, "", tk, "", pc->count);
			else
				add_row (job, table, rows, fk, person_names (job, person (job, fa)),
					 tk, person_names (job, person (job, ta)), pc->count);
		}
	}
	/* The table only finds rows (its keys are its own); the array owns them. */
	g_ptr_array_sort (rows, row_cmp);
	return rows;
}

char *
trawl_corr_row_query (TrawlCorrMode mode, gboolean by_domain, const TrawlCorrRow *row)
{
	(void) by_domain;
	g_autofree char *a = trawl_query_term (mode == TRAWL_CORR_RECEIVED ? "to" : "from", row->key);
	if (mode != TRAWL_CORR_PAIRS || !row->key2)
		return g_steal_pointer (&a);
	g_autofree char *b = trawl_query_term ("to", row->key2);
	return g_strdup_printf ("%s and %s", a, b);
}

/* ---- TrawlAtts: the same job, listing attachments ---- */

struct TrawlAtts {
	Job *job;
};

TrawlAtts *
trawl_atts_new (TrawlDb *db, const char *query)
{
	TrawlAtts *a = g_new0 (TrawlAtts, 1);
	a->job = job_start (db, query, TRUE);
	return a;
}

/* The TrawlCorr functions work on the job alone. */
#define AS_CORR(a) (&(TrawlCorr) { (a)->job })

void
trawl_atts_free (TrawlAtts *a)
{
	if (!a)
		return;
	g_atomic_int_set (&a->job->cancel, 1);
	job_unref (a->job);
	g_free (a);
}

const char *trawl_atts_query (const TrawlAtts *a) { return a->job->query; }
int trawl_atts_wake_fd (const TrawlAtts *a) { return trawl_corr_wake_fd (AS_CORR (a)); }
gboolean trawl_atts_collect (TrawlAtts *a) { return trawl_corr_collect (AS_CORR (a)); }
void trawl_atts_wait (TrawlAtts *a) { trawl_corr_wait (AS_CORR (a)); }
TrawlCorrPhase trawl_atts_phase (const TrawlAtts *a, guint64 *done, guint64 *total) { return trawl_corr_phase (AS_CORR (a), done, total); }
const char *trawl_atts_error (const TrawlAtts *a) { return trawl_corr_error (AS_CORR (a)); }
const char *trawl_atts_notice (const TrawlAtts *a) { return trawl_corr_notice (AS_CORR (a)); }
guint64 trawl_atts_messages (const TrawlAtts *a) { return trawl_corr_messages (AS_CORR (a)); }
guint64 trawl_atts_unreadable (const TrawlAtts *a) { return trawl_corr_unreadable (AS_CORR (a)); }

static const char *const sort_names[TRAWL_ATT_SORT_N_] = {
	"date", "name", "type", "size", "sender", "sha256", "count",
};

const char *
trawl_att_sort_name (TrawlAttSort sort)
{
	return sort < TRAWL_ATT_SORT_N_ ? sort_names[sort] : "?";
}

typedef struct {
	TrawlAttSort sort;
	gboolean reverse;
} SortBy;

static int
cmp_u64 (guint64 a, guint64 b)
{
	return (a > b) - (a < b);
}

static int
cmp_fold (const char *a, const char *b)
{
	g_autofree char *x = g_utf8_casefold (a, -1), *y = g_utf8_casefold (b, -1);
	int r = strcmp (x, y);
	return r ? r : strcmp (a, b);
}

static gint
att_cmp (gconstpointer pa, gconstpointer pb, gpointer data)
{
	const TrawlAttRow *a = *(TrawlAttRow *const *) pa, *b = *(TrawlAttRow *const *) pb;
	const SortBy *by = data;
	int r = 0;
	switch (by->sort) {
	case TRAWL_ATT_SORT_DATE:	r = -cmp_u64 ((guint64) a->date, (guint64) b->date); break;
	case TRAWL_ATT_SORT_NAME:	r = cmp_fold (a->name, b->name); break;
	case TRAWL_ATT_SORT_TYPE:	r = strcmp (a->type, b->type); break;
	case TRAWL_ATT_SORT_SIZE:	r = -cmp_u64 (a->size, b->size); break;
	case TRAWL_ATT_SORT_SENDER:	r = cmp_fold (a->sender, b->sender); break;
	case TRAWL_ATT_SORT_SHA256:	r = strcmp (a->sha256, b->sha256); break;
	case TRAWL_ATT_SORT_COUNT:	r = -cmp_u64 (a->count, b->count); break;
	default: break;
	}
	if (by->reverse)
		r = -r;
	if (!r)
		r = cmp_u64 ((guint64) a->date, (guint64) b->date);
	if (!r)
		r = strcmp (a->message_id, b->message_id);
	if (!r)
		r = (a->part > b->part) - (a->part < b->part);
	return r;
}

static gboolean
att_matches (const TrawlAttRow *r, const char *folded)
{
	if (!folded || !*folded)
		return TRUE;
	g_autofree char *n = g_utf8_casefold (r->name, -1), *t = g_utf8_casefold (r->type, -1);
	return strstr (n, folded) || strstr (t, folded);
}

GPtrArray *
trawl_atts_rows (TrawlAtts *a, gboolean grouped, const char *filter, TrawlAttSort sort, gboolean reverse)
{
	Job *job = a->job;
	GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
	if (g_atomic_int_get (&job->phase) != TRAWL_CORR_DONE || !job->att_rows)
		return rows;
	g_autofree char *folded = filter && *filter ? g_utf8_casefold (filter, -1) : NULL;
	if (!grouped) {
		for (guint i = 0; i < job->att_rows->len; i++) {
			const TrawlAttRow *r = job->att_rows->pdata[i];
			if (r->count && att_matches (r, folded))
				g_ptr_array_add (rows, g_memdup2 (r, sizeof *r));
		}
	} else {
		g_autoptr (GHashTable) by_sha = g_hash_table_new (g_str_hash, g_str_equal);	/* sha -> row */
		g_autoptr (GHashTable) people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		for (guint i = 0; i < job->att_rows->len; i++) {
			const TrawlAttRow *r = job->att_rows->pdata[i];
			if (!r->count || !att_matches (r, folded))
				continue;
			TrawlAttRow *g = g_hash_table_lookup (by_sha, r->sha256);
			if (!g) {
				g = g_memdup2 (r, sizeof *r);
				g->count = 0;
				g->senders = 0;
				g_hash_table_insert (by_sha, (gpointer) g->sha256, g);
				g_ptr_array_add (rows, g);
			} else if (r->date < g->date || (r->date == g->date && strcmp (r->message_id, g->message_id) < 0)) {
				guint count = g->count, senders = g->senders;
				*g = *r;	/* the first sent stands for the group */
				g->count = count;
				g->senders = senders;
			}
			g->count++;
			g_autofree char *pk = g_strconcat (r->sha256, "\n", r->sender, NULL);
			if (!g_hash_table_contains (people, pk)) {
				g_hash_table_add (people, g_steal_pointer (&pk));
				g->senders++;
			}
		}
	}
	SortBy by = { sort, reverse };
	g_ptr_array_sort_with_data (rows, att_cmp, &by);
	return rows;
}

/* ---- patching what was counted after a tag change ---- */

/* Can a change of TAGS change which messages QUERY matches (with
 * search.exclude_tags; ATTS: and which are tagged attachment)?  Saved
 * searches and properties cannot be seen through: yes. */
static gboolean
tags_touch (const Job *job, const GPtrArray *tags)
{
	g_autofree char *q = g_utf8_strdown (job->query, -1);
	if (strstr (q, "query:") || strstr (q, "property:"))
		return TRUE;
	for (guint i = 0; i < tags->len; i++) {
		const char *t = tags->pdata[i];
		g_autofree char *lt = g_utf8_strdown (t, -1);
		g_autofree char *a = g_strconcat ("tag:", lt, NULL);
		g_autofree char *b = g_strconcat ("tag:\"", lt, NULL);
		g_autofree char *c = g_strconcat ("is:", lt, NULL);
		if (strstr (q, a) || strstr (q, b) || strstr (q, c))
			return TRUE;
		if (job->atts && strcmp (t, "attachment") == 0)
			return TRUE;
		for (char **x = job->exclude_tags; x && *x; x++)
			if (strcmp (*x, t) == 0)
				return TRUE;
	}
	return FALSE;
}

/* The tags CHANGE added or removed anywhere (owned by the change). */
static GPtrArray *
change_tags (const TrawlTagChange *change)
{
	GPtrArray *tags = g_ptr_array_new ();
	for (guint i = 0; i < trawl_tag_change_count (change); i++) {
		const char *const *before = trawl_tag_change_before (change, i);
		const char *const *after = trawl_tag_change_after (change, i);
		for (const char *const *t = after; t && *t; t++)
			if (!g_strv_contains (before, *t) && !g_ptr_array_find_with_equal_func (tags, *t, g_str_equal, NULL))
				g_ptr_array_add (tags, (gpointer) *t);
		for (const char *const *t = before; t && *t; t++)
			if (!g_strv_contains (after, *t) && !g_ptr_array_find_with_equal_func (tags, *t, g_str_equal, NULL))
				g_ptr_array_add (tags, (gpointer) *t);
	}
	return tags;
}

/* Whether the job should patch CHANGE (PATCHED), has nothing to do, or
 * must count anew. */
static TrawlShapePatch
patch_begin (Job *job, TrawlDb *db, const TrawlTagChange *change)
{
	if (!change || !trawl_tag_change_count (change))
		return TRAWL_SHAPE_PATCH_SKIPPED;
	g_autoptr (GPtrArray) tags = change_tags (change);
	if (!tags_touch (job, tags)) {
		BUMP (st_patch_skips, 1);
		return TRAWL_SHAPE_PATCH_SKIPPED;
	}
	TrawlCorrPhase ph = g_atomic_int_get (&job->phase);
	if (ph == TRAWL_CORR_FAILED)
		return TRAWL_SHAPE_PATCH_SKIPPED;	/* nothing held; its error stays */
	if (!trawl_wake_pipe_finished (&job->wake) || ph != TRAWL_CORR_DONE || !job->counted || !db->nm
	    || trawl_tag_change_count (change) > TRAWL_SHAPE_PATCH_MAX) {
		BUMP (st_recounts, 1);
		return TRAWL_SHAPE_PATCH_RECOUNT;
	}
	BUMP (st_patches, 1);
	BUMP (st_patch_messages, trawl_tag_change_count (change));
	return TRAWL_SHAPE_PATCH_PATCHED;
}

/* Does message MID match the job's query now (search.exclude_tags
 * applied)?  One notmuch count on DB's read handle; -1 when it fails. */
static int
matches_now (Job *job, TrawlDb *db, const char *mid)
{
	g_autofree char *idq = trawl_query_term ("id", mid);
	g_autofree char *q = strcmp (job->query, "*") == 0 ? g_strdup (idq)
		: g_strdup_printf ("%s and (%s)", idq, job->query);
	notmuch_query_t *query = NULL;
	BUMP (st_patch_queries, 1);
	if (!job_query (job, db->nm, q, &query))
		return -1;
	unsigned n = 0;
	notmuch_status_t st = notmuch_query_count_messages (query, &n);
	notmuch_query_destroy (query);
	return st == NOTMUCH_STATUS_SUCCESS ? n > 0 : -1;
}

static notmuch_message_t *
find_message (TrawlDb *db, const char *mid)
{
	notmuch_message_t *m = NULL;
	if (notmuch_database_find_message (db->nm, mid, &m) != NOTMUCH_STATUS_SUCCESS)
		return NULL;
	return m;
}

TrawlShapePatch
trawl_corr_patch (TrawlCorr *c, TrawlDb *db, const TrawlTagChange *change)
{
	Job *job = c->job;
	TrawlShapePatch p = patch_begin (job, db, change);
	if (p != TRAWL_SHAPE_PATCH_PATCHED)
		return p;
	g_autoptr (GArray) from = g_array_new (FALSE, FALSE, sizeof (guint32));
	g_autoptr (GArray) to = g_array_new (FALSE, FALSE, sizeof (guint32));
	for (guint i = 0; i < trawl_tag_change_count (change); i++) {
		const char *mid = trawl_tag_change_id (change, i);
		gpointer key = NULL, v = NULL;
		gboolean before = g_hash_table_lookup_extended (job->counted, mid, &key, &v);
		int after = matches_now (job, db, mid);
		if (after < 0) {
			BUMP (st_recounts, 1);
			return TRAWL_SHAPE_PATCH_RECOUNT;
		}
		if (before == (after > 0))
			continue;
		int sign = after ? 1 : -1;
		guint flags = before ? GPOINTER_TO_UINT (v) : COUNTED;
		const ShapeMsg *sm = index_lookup (job->ix, mid);
		if (after && !(sm && !(sm->flags & MSG_UNREADABLE)))
			flags |= COUNTED_NOTMUCH | COUNTED_UNREADABLE;
		if (flags & COUNTED_NOTMUCH) {
			notmuch_message_t *m = find_message (db, mid);
			if (m) {
				count_from_notmuch (job, m, from, to, sign);
				notmuch_message_destroy (m);
			}
			job->unreadable = after ? job->unreadable + 1 : (job->unreadable ? job->unreadable - 1 : 0);
		} else if (sm) {
			count_message (job, &g_array_index (job->ix->mboxes, ShapeMbox, sm->first), sm->n, from, to, sign);
		}
		if (after) {
			job->messages++;
			g_hash_table_insert (job->counted, (gpointer) chunk_str (job, mid), GUINT_TO_POINTER (flags));
		} else {
			job->messages = job->messages ? job->messages - 1 : 0;
			g_hash_table_remove (job->counted, key);
		}
	}
	return TRAWL_SHAPE_PATCH_PATCHED;
}

TrawlShapePatch
trawl_atts_patch (TrawlAtts *a, TrawlDb *db, const TrawlTagChange *change)
{
	Job *job = a->job;
	TrawlShapePatch p = patch_begin (job, db, change);
	if (p != TRAWL_SHAPE_PATCH_PATCHED)
		return p;
	for (guint i = 0; i < trawl_tag_change_count (change); i++) {
		const char *mid = trawl_tag_change_id (change, i);
		gpointer key = NULL, v = NULL;
		gboolean before = g_hash_table_lookup_extended (job->counted, mid, &key, &v);
		int after = matches_now (job, db, mid);
		if (after < 0) {
			BUMP (st_recounts, 1);
			return TRAWL_SHAPE_PATCH_RECOUNT;
		}
		guint flags = before ? GPOINTER_TO_UINT (v) : 0;
		gboolean listed = (flags & COUNTED_LISTED) != 0;
		gboolean listed_after = after > 0 && g_strv_contains (trawl_tag_change_after (change, i), "attachment");
		const char *cmid = chunk_str (job, mid);
		GPtrArray *rows = g_hash_table_lookup (job->att_by_mid, cmid);
		if (listed && !listed_after) {
			/* Its rows are taken away (kept, to come back). */
			for (guint k = 0; rows && k < rows->len; k++)
				((TrawlAttRow *) rows->pdata[k])->count = 0;
			if (flags & COUNTED_UNREADABLE)
				job->unreadable = job->unreadable ? job->unreadable - 1 : 0;
			flags &= ~(guint) (COUNTED_LISTED | COUNTED_UNREADABLE);
		} else if (!listed && listed_after) {
			if (rows && rows->len) {
				for (guint k = 0; k < rows->len; k++)
					((TrawlAttRow *) rows->pdata[k])->count = 1;
				flags |= COUNTED_LISTED;
			} else {
				notmuch_message_t *m = find_message (db, mid);
				if (m) {
					flags |= atts_add_message (job, m);
					notmuch_message_destroy (m);
				}
			}
		}
		if (before && !after)
			job->messages = job->messages ? job->messages - 1 : 0;
		else if (!before && after)
			job->messages++;
		if (after)
			g_hash_table_insert (job->counted, (gpointer) cmid, GUINT_TO_POINTER (flags | COUNTED));
		else if (before)
			g_hash_table_remove (job->counted, key);
	}
	return TRAWL_SHAPE_PATCH_PATCHED;
}
