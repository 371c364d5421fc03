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
 * with ERROR for a bad query. */
gint64 trawl_db_export_count (TrawlDb *db, const char *query, GError **error);
/* Calls FN for each message matching QUERY, oldest first; stops when FN
 * returns FALSE (its ERROR is passed on).  Returns the number of messages
 * passed, -1 on error. */
gint64 trawl_db_export_walk (TrawlDb *db, const char *query, TrawlExportMessageFn fn, gpointer user,
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

/* `trawl export ...`: parses its own arguments, returns the exit status. */
int trawl_export_main (int argc, char **argv);

G_END_DECLS

#endif
