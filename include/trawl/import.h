/* import.h — `trawl import`: turning mail dumps (mbox files, maildirs, MH
 * folders, directories of .eml files, .zip, .tar.gz, .7z or .gz containers, PST
 * files) into an archive trawl and notmuch open.  GLib, GMime, libarchive and
 * the model's indexer; never curses.
 *
 * An archive is a directory:
 *   mail/NAME/...      one maildir tree per source (cur/ files named by the
 *                      sha256 of their bytes)
 *   db/                the notmuch database
 *   notmuch-config     a notmuch config for it (usable by the notmuch CLI)
 *   manifest.jsonl     one JSON object per stored message and location,
 *                      append only (the chain of custody)
 *   skipped.jsonl      what was not imported, and why
 * Sources are only ever read. */
#ifndef TRAWL_IMPORT_H
#define TRAWL_IMPORT_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

#define TRAWL_IMPORT_ERROR (trawl_import_error_quark ())
GQuark trawl_import_error_quark (void);

typedef enum {
	TRAWL_IMPORT_ERROR_USAGE,	/* a source inside the archive, a missing source */
	TRAWL_IMPORT_ERROR_ARCHIVE,	/* the archive cannot be created or read */
	TRAWL_IMPORT_ERROR_DISK,	/* writing the store failed (disk full): resumable */
	TRAWL_IMPORT_ERROR_DATABASE,	/* notmuch failed: resumable */
	TRAWL_IMPORT_ERROR_CANCELLED,	/* Ctrl-C: the current batch was finished; resumable */
} TrawlImportError;

typedef struct {
	const char *source;		/* the top-level source being read (as given) */
	guint64 messages;		/* messages taken so far (stored, identical or already there) */
	guint64 bytes_done;		/* bytes of the sources read so far */
	guint64 bytes_total;		/* bytes of all sources (0: unknown) */
	double elapsed;			/* seconds since the import started */
} TrawlImportProgress;

typedef struct {
	char **extra_tags;		/* --tag: added to every imported message (NULL-terminated or NULL) */
	guint64 max_message_size;	/* larger messages are skipped (0: no limit) */
	guint64 max_expanded;		/* bytes one container may expand to (0: no limit) */
	guint max_ratio;		/* expanded / compressed above this is a bomb (0: no limit) */
	guint batch_size;		/* messages per atomic database batch (0: default) */
	const char *command_line;	/* recorded in the manifest's run record */
	const char *mbox_format;	/* NULL/"auto", "mboxo", "mboxrd", "mboxcl", "mboxcl2" */
	volatile int *cancel;		/* when it becomes non-zero, stop after the current batch */
	/* Called at most a few times a second, and once at the end. */
	void (*progress) (const TrawlImportProgress *p, gpointer user);
	/* One line about something the user should know (a warning, a skip). */
	void (*note) (const char *line, gpointer user);
	gpointer user;
} TrawlImportOptions;

typedef struct {
	guint64 stored;			/* messages stored and indexed by this run */
	guint64 identical;		/* byte-identical to a stored message: a new location only */
	guint64 already;		/* found at the same place by an earlier run: nothing done */
	guint64 conflicting;		/* same Message-ID as a stored message, other bytes (both kept) */
	guint64 skipped;		/* not imported (see skipped_by_reason) */
	GHashTable *skipped_by_reason;	/* reason (char *) -> count (GUINT_TO_POINTER) */
	guint64 bytes_read;		/* bytes of sources read */
	guint64 bytes_stored;		/* bytes written to the store */
	guint warnings;
	double seconds;
} TrawlImportStats;

/* Imports SOURCES (NULL-terminated paths) into ARCHIVE, creating it when
 * missing.  Fills STATS (caller clears it with trawl_import_stats_clear).
 * FALSE with ERROR when the import stopped early: everything already
 * committed stays, and re-running the same command finishes the job. */
gboolean trawl_import_run (const char *archive, char *const *sources, const TrawlImportOptions *opts,
			   TrawlImportStats *stats, GError **error);
/* Frees what STATS holds (skipped_by_reason) and zeroes it. */
void trawl_import_stats_clear (TrawlImportStats *stats);

/* Re-hashes every stored file against the manifest.  Each difference
 * (a missing file, another size or sha256, a stored file the manifest does
 * not know) is passed to NOTE.  Returns the number of differences, -1 with
 * ERROR when the archive cannot be read. */
gint64 trawl_import_verify (const char *archive, void (*note) (const char *line, gpointer user),
			    gpointer user, guint64 *checked, GError **error);

/* The notmuch config of an archive directory (ARCHIVE/notmuch-config);
 * newly allocated. */
char *trawl_archive_config_path (const char *archive);

/* Which notmuch config to open (archiveopen.c): ARCHIVE (--archive) as
 * ARCHIVE/notmuch-config, else CONFIG (--config), else TRAWL_ARCHIVE when
 * CONFIG is NULL, else NULL (notmuch's own search) in *CONFIG_PATH, newly
 * allocated.  *ARCHIVE_USED (when not NULL): the archive chosen, or NULL;
 * set on failure too.  FALSE with ERROR ("DIR is not a trawl archive (no
 * notmuch-config in it)") when the archive has no notmuch-config. */
gboolean trawl_archive_resolve (const char *archive, const char *config, char **config_path,
				char **archive_used, GError **error);
/* trawl_archive_resolve, then trawl_db_open of that config (read-write
 * when WRITABLE); NULL with ERROR from either. */
TrawlDb *trawl_archive_open (const char *archive, const char *config, gboolean writable,
			     char **archive_used, GError **error);

/* The options that name the database, for a GOptionEntry array (their help
 * written once): --archive DIR and --config FILE into ARCHIVE and CONFIG
 * (char **), for trawl_archive_resolve. */
#define TRAWL_ARCHIVE_OPTION_ENTRIES(archive, config) \
	{ "archive", 'a', 0, G_OPTION_ARG_FILENAME, (archive), \
	  "an archive made by trawl import (its notmuch-config; default: TRAWL_ARCHIVE)", "DIR" }, \
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, (config), \
	  "the notmuch config file (default: as notmuch finds it)", "FILE" }

/* `trawl import ...`: parses its own arguments, prints progress and the
 * summary, returns the exit status. */
int trawl_import_main (int argc, char **argv);

G_END_DECLS

#endif
