/* export.h — `trawl export --to PATH [--format mbox|maildir|eml] QUERY...`:
 * the original bytes of every message matching QUERY, written under PATH
 * with manifest.csv, manifest.json and SHA256SUMS.  Never curses.
 *
 * The export code (src/export) reaches the database through the model
 * (trawl_db_export_walk, src/model/exportwalk.c) and an import archive's
 * manifest through src/import (trawl_import_provenance). */
#ifndef TRAWL_EXPORT_H
#define TRAWL_EXPORT_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

/* One message of an export walk.  Strings are owned by the walk and valid
 * during the callback only; a missing header is "". */
typedef struct {
	const char *message_id;
	const char *thread_id;
	const char *filename;	/* the first file of the message (absolute) */
	const char *tags;	/* space-separated */
	const char *date;	/* the Date header as written */
	gint64 date_utc;	/* notmuch's date of the message (seconds since the epoch) */
	const char *from, *to, *cc;
	const char *subject;	/* decoded */
} TrawlExportMessage;

typedef gboolean (*TrawlExportMessageFn) (const TrawlExportMessage *m, gpointer user, GError **error);

/* The number of messages matching QUERY (the database's search.exclude_tags
 * applied, as `notmuch count` and `notmuch search --output=files` do), -1
 * with ERROR for a bad query.  EXCLUDE FALSE: every message, excluded
 * ones too (what the user picked one by one in the UI is exported whole). */
gint64 trawl_db_export_count (TrawlDb *db, const char *query, gboolean exclude, GError **error);
/* Calls FN for each message matching QUERY, oldest first; stops when FN
 * returns FALSE (its ERROR is passed on).  Returns the number of messages
 * passed, -1 on error. */
gint64 trawl_db_export_walk (TrawlDb *db, const char *query, gboolean exclude, TrawlExportMessageFn fn, gpointer user,
			     GError **error);
/* The database's mail root (where the files are); newly allocated. */
char *trawl_db_mail_root (TrawlDb *db);

/* Where each stored file of an import archive came from, read from
 * ARCHIVE/manifest.jsonl: file (relative to ARCHIVE) -> TrawlProvenance
 * (the first location recorded).  NULL when ARCHIVE has no manifest. */
typedef struct {
	char *source;		/* the source as imported (path) */
	char *location;		/* the location inside it (JSON text) */
	char *run;		/* the import run */
} TrawlProvenance;
GHashTable *trawl_import_provenance (const char *archive);

/* ---- the export itself: a library call (the CLI and the UI use it) ---- */

typedef enum {
	TRAWL_EXPORT_MBOX,
	TRAWL_EXPORT_MAILDIR,
	TRAWL_EXPORT_EML,
} TrawlExportFormat;

/* "mbox", "maildir", "eml"; the format named NAME, FALSE for none. */
const char *trawl_export_format_name (TrawlExportFormat f);
gboolean trawl_export_format_parse (const char *name, TrawlExportFormat *out);

#define TRAWL_EXPORT_ERROR (trawl_export_error_quark ())
GQuark trawl_export_error_quark (void);
typedef enum {
	TRAWL_EXPORT_ERROR_QUERY,	/* a bad query; nothing written */
	TRAWL_EXPORT_ERROR_EMPTY,	/* no message matches; nothing written */
	TRAWL_EXPORT_ERROR_EXISTS,	/* PATH exists (not an export to finish or append to); nothing written */
	TRAWL_EXPORT_ERROR_OTHER,	/* PATH holds an unfinished export of another query or format */
	TRAWL_EXPORT_ERROR_CREATE,	/* PATH (or its marker) could not be made; nothing exported */
	TRAWL_EXPORT_ERROR_CANCELLED,	/* *CANCEL was set: PATH/.incomplete left, a re-run finishes */
	TRAWL_EXPORT_ERROR_UNFINISHED,	/* a write failed (a full disk...): PATH/.incomplete left */
} TrawlExportError;

typedef struct {
	const char *to;			/* the new directory */
	TrawlExportFormat format;
	gboolean append;		/* mbox only: add a run to the export in TO */
	const char *query;
	gboolean include_excluded;	/* messages with search.exclude_tags too (the UI's picked threads and messages) */
	const char *archive;		/* the import archive of the database (provenance), or NULL: found from the mail root */
	const char *command_line;	/* recorded in manifest.json */
} TrawlExportRequest;

/* Where an export stands, for the progress callback and at the end. */
typedef struct {
	guint64 done, total;		/* messages */
	guint64 bytes;			/* of the messages written */
	gboolean resuming;		/* finishing an interrupted export */
	gint64 started;			/* g_get_monotonic_time () */
} TrawlExportProgress;

/* Called once before the first message (DONE 0), then after each. */
typedef void (*TrawlExportProgressFn) (const TrawlExportProgress *p, gpointer user);

/* Exports the messages of REQ->query from DB into REQ->to (see trawl(1)):
 * never overwrites, writes only under TO, leaves TO/.incomplete until the
 * manifests and SHA256SUMS are written, finishes an interrupted export of
 * the same request.  Stops soon after *CANCEL (may be NULL) becomes
 * non-zero.  OUT (may be NULL) says how far it got, also on failure.
 * Test hooks: TRAWL_EXPORT_STOP_AFTER=N cancels after N messages,
 * TRAWL_EXPORT_DELAY_MS=N sleeps N ms before each message.  Curses-free;
 * may run on any thread with a DB of its own. */
gboolean trawl_export_run (TrawlDb *db, const TrawlExportRequest *req, TrawlExportProgressFn progress,
			   gpointer user, volatile gint *cancel, TrawlExportProgress *out, GError **error);

/* `trawl export ...`: parses its own arguments, returns the exit status. */
int trawl_export_main (int argc, char **argv);

G_END_DECLS

#endif
