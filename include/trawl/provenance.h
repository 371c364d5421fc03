/* provenance.h — where a message came from: its files, its Received chain,
 * its authentication headers and the parser's warnings about it.
 *
 * The pieces are collected by three layers, each from what it wraps:
 * trawl_provenance_collect (src/model/provenance.c, libnotmuch: ids, tags,
 * files, sha256, the import record), trawl_provenance_read_headers
 * (src/mime/provheaders.c, GMime: Received, Date, authentication headers,
 * parse warnings) and trawl_provenance_format (src/core/provformat.c: the
 * text, curses-free; the provenance view shows exactly its lines).  The cost
 * is O(message): only the message's own files are read (and, for an import
 * archive, its manifest is scanned for their records). */
#ifndef TRAWL_PROVENANCE_H
#define TRAWL_PROVENANCE_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

/* One file notmuch has for the message. */
typedef struct {
	char *path;		/* absolute */
	char *relpath;		/* relative to the mail root (absolute when outside it) */
	gint64 size;		/* -1: could not be read (ERROR says why) */
	gint64 mtime;		/* seconds since the epoch */
	char *sha256;		/* NULL: could not be read */
	char *error;
	guint same_as;		/* 1 + the index of an earlier file with the same bytes; 0: none */
	/* The import record (trawl import's manifest); NULL: none. */
	char *import_source;
	char *import_location;	/* JSON text */
	char *import_run;
	char *import_file;	/* the name the manifest knows it by (relative to the archive); NULL: not an archive's */
	gboolean import_pending;	/* still being looked up (trawl_import_lookup_start) */
} TrawlProvFile;

/* Flags of a Received hop. */
enum {
	TRAWL_HOP_UNPARSED = 1 << 0,	/* not a Received line trawl understands: RAW only */
	TRAWL_HOP_NO_DATE = 1 << 1,	/* no "; date" part */
	TRAWL_HOP_BAD_DATE = 1 << 2,	/* a date that does not parse */
	TRAWL_HOP_NEGATIVE = 1 << 3,	/* earlier than the hop before it */
	TRAWL_HOP_SLOW = 1 << 4,	/* more than a day after the hop before it */
};

/* The longest delay between hops that is not flagged. */
#define TRAWL_HOP_MAX_DELAY (24 * 3600)

/* One Received header.  The fields are as written (comments kept, blanks
 * collapsed); NULL: absent. */
typedef struct {
	char *raw;		/* the whole value, unfolded */
	char *note;		/* a leading comment: "(qmail 1234 invoked from network)" */
	char *from, *by, *via, *with, *id, *for_;
	char *date;		/* after the last ';' */
	gboolean has_time;
	gint64 time;		/* DATE in UTC, seconds since the epoch */
	gboolean has_delay;
	gint64 delay;		/* seconds since the hop before */
	guint flags;
} TrawlReceivedHop;

/* One authentication header, summarised. */
typedef struct {
	char *header;		/* its name as trawl knows it: "DKIM-Signature" */
	char *summary;		/* one line */
	guint malformed;	/* pieces that were not tag=value (shown in SUMMARY) */
} TrawlAuthSummary;

typedef struct {
	char *message_id;
	gboolean synthesised;	/* notmuch made the id up: the message has no Message-ID */
	char *thread_id;
	char *tags;		/* space-separated */
	GPtrArray *files;	/* TrawlProvFile * */
	gboolean files_differ;	/* some two files have different bytes */
	/* From trawl_provenance_read_headers: */
	char *analysed;		/* the file whose headers were read (relative path), or NULL */
	char *read_error;	/* why no file could be read, or NULL */
	char *date;		/* the Date header as written; NULL: none */
	gboolean has_date_time;
	gint64 date_time;	/* its UTC time */
	GPtrArray *hops;	/* TrawlReceivedHop *, oldest first */
	GPtrArray *auth;	/* TrawlAuthSummary *, in header order */
	GPtrArray *warnings;	/* char *: the parser's warnings, in words */
	/* DKIM verification (another part writes it); NULL: not run. */
	char *dkim_verification;
	/* In a `trawl import` archive: its directory, and how far the lookup
	 * of the files' import records in its manifest has got (percent). */
	char *archive;
	guint import_percent;
} TrawlProvenanceInfo;

/* ---- src/core/provformat.c ---- */
TrawlProvenanceInfo *trawl_provenance_info_new (void);
void trawl_provenance_info_free (TrawlProvenanceInfo *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlProvenanceInfo, trawl_provenance_info_free)
void trawl_prov_file_free (TrawlProvFile *f);
void trawl_received_hop_free (TrawlReceivedHop *h);
void trawl_auth_summary_free (TrawlAuthSummary *a);
/* The text of P, one line each (char *, sanitised: trawl_sanitize), as the
 * provenance view shows it. */
GPtrArray *trawl_provenance_lines (const TrawlProvenanceInfo *p);
/* The same lines as one plain-text string, '\n' after each; newly allocated. */
char *trawl_provenance_format (const TrawlProvenanceInfo *p);
/* A delay in words: "+5s", "+2m05s", "-1h03m", "+3d04h". */
char *trawl_duration_text (gint64 seconds);

/* ---- src/model/provenance.c ---- */
/* The ids, tags and files of message MESSAGE_ID (each file's size, mtime and
 * sha256).  In a `trawl import` archive, ARCHIVE is set and each file's
 * IMPORT_FILE named with IMPORT_PENDING set: its import record is looked up
 * by trawl_import_lookup_start (the manifest grows with the archive, so
 * never on the key press), or trawl_provenance_find_imports.  NULL with
 * ERROR when there is no such message. */
TrawlProvenanceInfo *trawl_provenance_collect (TrawlDb *db, const char *message_id, GError **error);
/* Looks up every pending import record of P now (tests, the command line). */
void trawl_provenance_find_imports (TrawlProvenanceInfo *p);

/* ---- src/import/provlookup.c ---- */
/* The import record of FILE (relative to ARCHIVE) in ARCHIVE's manifest:
 * FALSE when there is none. */
gboolean trawl_import_record_find (const char *archive, const char *file, char **source,
				   char **location, char **run);

/* The import records of P's pending files, looked up in the background: one
 * pass over ARCHIVE/manifest.jsonl on a thread of its own, cancellable,
 * waking the UI through a wake pipe (include/trawl/wakepipe.h). */
typedef struct TrawlImportLookup TrawlImportLookup;
TrawlImportLookup *trawl_import_lookup_start (const TrawlProvenanceInfo *p);
/* The fd to poll; -1 once the results are in. */
int trawl_import_lookup_fd (TrawlImportLookup *l);
/* Drains the wake; copies the progress, and once done the records, into P
 * (clearing IMPORT_PENDING).  TRUE when P changed. */
gboolean trawl_import_lookup_collect (TrawlImportLookup *l, TrawlProvenanceInfo *p);
/* Cancels the lookup (if still running) and lets go of it. */
void trawl_import_lookup_free (TrawlImportLookup *l);

/* ---- src/mime (received.c, authsummary.c, provheaders.c) ---- */
/* Parses one Received header's VALUE (folded or not); never NULL. */
TrawlReceivedHop *trawl_received_parse (const char *value);
/* Sets the delays and their flags of HOPS (oldest first). */
void trawl_received_chain (GPtrArray *hops);
/* Summarises authentication header NAME's VALUE (Authentication-Results,
 * ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results,
 * DKIM-Signature); NULL for another header. */
TrawlAuthSummary *trawl_auth_summarise (const char *name, const char *value);
/* GMime's parser warning CODE in words. */
const char *trawl_parser_warning_text (int code);
/* Reads the headers of P's first readable file (Received, Date,
 * authentication headers) and the parser's warnings about the whole file.
 * FALSE (P->read_error set) when no file could be read. */
gboolean trawl_provenance_read_headers (TrawlProvenanceInfo *p);
/* The same for the message in DATA (the unit tests). */
void trawl_provenance_read_bytes (TrawlProvenanceInfo *p, const char *data, gsize len);

G_END_DECLS

#endif
