/* cli.c — `trawl import ARCHIVE SOURCE...` and `trawl import --verify
 * ARCHIVE`: arguments, the progress line, Ctrl-C, the summary. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trawl/import.h"
#include "trawl/process.h"
#include "trawl/sanitize.h"

static volatile int cancelled;

static void
on_sigint (int sig)
{
	cancelled = 1;
	/* A second Ctrl-C ends the process at once; the batch that was being
	 * written is then discarded by the database, nothing else is lost. */
	signal (sig, SIG_DFL);
}

typedef struct {
	gboolean tty;
	gboolean quiet;
	gboolean line_shown;
	gint64 last_plain;
} Out;

static void
clear_line (Out *o)
{
	if (o->tty && o->line_shown) {
		fputs ("\r\033[K", stderr);
		o->line_shown = FALSE;
	}
}

static void
on_note (const char *line, gpointer user)
{
	Out *o = user;
	clear_line (o);
	g_autofree char *safe = trawl_sanitize (line, -1);
	fprintf (stderr, "trawl import: %s\n", safe);
}

static char *
human_bytes (guint64 n)
{
	return g_format_size_full (n, G_FORMAT_SIZE_DEFAULT);
}

static void
on_progress (const TrawlImportProgress *p, gpointer user)
{
	Out *o = user;
	if (o->quiet)
		return;
	gint64 now = g_get_monotonic_time ();
	if (!o->tty && now - o->last_plain < 5 * G_USEC_PER_SEC)
		return;
	o->last_plain = now;
	g_autofree char *done = human_bytes (p->bytes_done);
	g_autofree char *total = human_bytes (p->bytes_total);
	double rate = p->elapsed > 0 ? p->messages / p->elapsed : 0;
	GString *s = g_string_new (NULL);
	g_autofree char *src = p->source ? g_path_get_basename (p->source) : g_strdup ("");
	g_autofree char *safe = trawl_sanitize (src, -1);
	g_string_append_printf (s, "%s: %" G_GUINT64_FORMAT " messages, %s", safe, p->messages, done);
	if (p->bytes_total) {
		double frac = MIN (1.0, (double) p->bytes_done / (double) p->bytes_total);
		g_string_append_printf (s, " of %s (%.0f%%)", total, frac * 100);
		if (frac > 0.01 && frac < 1.0) {
			double eta = p->elapsed / frac - p->elapsed;
			g_string_append_printf (s, ", ETA %d:%02d", (int) eta / 60, (int) eta % 60);
		}
		if (o->tty) {
			GString *bar = g_string_new ("[");
			int w = 20, filled = (int) (frac * w);
			for (int i = 0; i < w; i++)
				g_string_append (bar, i < filled ? "█" : "·");
			g_string_append (bar, "] ");
			g_string_prepend (s, bar->str);
			g_string_free (bar, TRUE);
		}
	}
	g_string_append_printf (s, ", %.0f msg/s", rate);
	if (o->tty) {
		fprintf (stderr, "\r\033[K%s", s->str);
		o->line_shown = TRUE;
	} else
		fprintf (stderr, "trawl import: %s\n", s->str);
	fflush (stderr);
	g_string_free (s, TRUE);
}

/* "100M", "2G", "500k", "1234": bytes. */
static gboolean
parse_size (const char *text, guint64 *out)
{
	char *end = NULL;
	guint64 v = g_ascii_strtoull (text, &end, 10);
	if (end == text)
		return FALSE;
	switch (g_ascii_tolower (*end)) {
	case 0: break;
	case 'k': v <<= 10; end++; break;
	case 'm': v <<= 20; end++; break;
	case 'g': v <<= 30; end++; break;
	case 't': v <<= 40; end++; break;
	default: return FALSE;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end)
		return FALSE;
	*out = v;
	return TRUE;
}

/* ARG as a shell word: as it is when that is safe, else quoted. */
static void
summary (const TrawlImportStats *st, const char *archive, gboolean finished)
{
	GString *s = g_string_new (NULL);
	g_string_append_printf (s, "%" G_GUINT64_FORMAT " message%s stored", st->stored, st->stored == 1 ? "" : "s");
	if (st->identical)
		g_string_append_printf (s, ", %" G_GUINT64_FORMAT " byte-identical duplicates (stored once, every location recorded)",
					st->identical);
	if (st->conflicting)
		g_string_append_printf (s, ", %" G_GUINT64_FORMAT " conflicting duplicates (a Message-ID seen before with other bytes; both kept)",
					st->conflicting);
	if (st->already)
		g_string_append_printf (s, ", %" G_GUINT64_FORMAT " already imported by an earlier run", st->already);
	if (st->skipped) {
		g_string_append_printf (s, ", %" G_GUINT64_FORMAT " skipped (", st->skipped);
		g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (st->skipped_by_reason), (GCompareFunc) strcmp);
		for (GList *l = keys; l; l = l->next)
			g_string_append_printf (s, "%s%u %s", l == keys ? "" : ", ",
						GPOINTER_TO_UINT (g_hash_table_lookup (st->skipped_by_reason, l->data)),
						(char *) l->data);
		g_string_append (s, "; listed in skipped.jsonl)");
	}
	g_autofree char *read = g_format_size (st->bytes_read);
	guint64 taken = st->stored + st->identical;
	g_string_append_printf (s, "; %s read in %.1f s", read, st->seconds);
	if (st->seconds > 0 && taken)
		g_string_append_printf (s, " (%.0f messages/s)", taken / st->seconds);
	fprintf (stderr, "trawl import: %s\n", s->str);
	if (!st->stored && !st->identical && st->already)
		fprintf (stderr, "trawl import: nothing new: every message of these sources was imported before\n");
	if (finished) {
		g_autofree char *q = trawl_shell_word (archive);
		fprintf (stderr, "trawl import: open it with: trawl --archive %s\n", q);
	}
	g_string_free (s, TRUE);
}

static void
verify_note (const char *line, gpointer user)
{
	g_autofree char *safe = trawl_sanitize (line, -1);
	printf ("%s\n", safe);
}

int
trawl_import_main (int argc, char **argv)
{
	g_auto (GStrv) tags = NULL;
	g_autofree char *max_msg = NULL, *max_exp = NULL, *fmt = NULL;
	gint max_ratio = 1000, batch = 0;
	gboolean verify = FALSE, quiet = FALSE;
	g_auto (GStrv) rest = NULL;
	GOptionEntry entries[] = {
		{ "tag", 't', 0, G_OPTION_ARG_STRING_ARRAY, &tags, "add TAG to every imported message (repeatable)", "TAG" },
		{ "max-message-size", 0, 0, G_OPTION_ARG_STRING, &max_msg, "skip (and report) messages larger than SIZE (default 100M; 0: no limit)", "SIZE" },
		{ "max-expanded", 0, 0, G_OPTION_ARG_STRING, &max_exp, "stop reading a compressed file or archive that expands past SIZE (default 100G; 0: no limit)", "SIZE" },
		{ "max-ratio", 0, 0, G_OPTION_ARG_INT, &max_ratio, "stop reading a compressed file that expands more than N times its size (default 1000; 0: no limit)", "N" },
		{ "mbox-format", 0, 0, G_OPTION_ARG_STRING, &fmt, "how mbox files escape \"From \" lines: auto (default), mboxo, mboxrd, mboxcl, mboxcl2", "FORMAT" },
		{ "batch", 0, 0, G_OPTION_ARG_INT, &batch, "messages per database commit (default 1000)", "N" },
		{ "verify", 0, 0, G_OPTION_ARG_NONE, &verify, "re-hash every stored message against the manifest and list differences", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress line", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "ARCHIVE SOURCE..." },
		{ NULL }
	};
	g_set_prgname ("trawl import");
	/* A broken message can make GMime (inside libnotmuch's indexer) log a
	 * critical; with G_DEBUG=fatal-criticals that would abort the whole
	 * import.  `notmuch new` goes on after it, and so does the import. */
	g_log_set_always_fatal (G_LOG_FATAL_MASK);
	g_autoptr (GOptionContext) ctx = g_option_context_new ("- import mail dumps into an archive");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"SOURCE is an mbox file (any flavour), a maildir or MH folder, a directory of\n"
		"message files, an Outlook PST/OST file (needs readpst: apt-get install\n"
		"pst-utils), or any of these inside .gz/.bz2/.xz/.zst/.zip/.tar/.7z files;\n"
		"what each is is told by its content.  ARCHIVE is created when missing:\n"
		"ARCHIVE/mail (the messages), ARCHIVE/db (the notmuch database),\n"
		"ARCHIVE/notmuch-config, ARCHIVE/manifest.jsonl (where every message came\n"
		"from, with its sha256).  Sources are only read.  Every message is tagged\n"
		"source/NAME (NAME from the source's file name) and unread.\n"
		"Ctrl-C stops after the current batch; running the same command again\n"
		"finishes the job, and importing a source again adds nothing.\n"
		"Then: trawl --archive ARCHIVE");
	g_autofree char *command_line = trawl_command_line ("trawl", argc, argv);
	g_autoptr (GError) err = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
		fprintf (stderr, "trawl import: %s (try trawl import --help)\n", err->message);
		return 2;
	}
	guint n_rest = rest ? g_strv_length (rest) : 0;
	if (verify) {
		if (n_rest != 1) {
			fprintf (stderr, "trawl import: --verify takes the archive only: trawl import --verify ARCHIVE\n");
			return 2;
		}
		guint64 checked = 0;
		gint64 problems = trawl_import_verify (rest[0], verify_note, NULL, &checked, &err);
		if (problems < 0) {
			fprintf (stderr, "trawl import: %s\n", err->message);
			return 1;
		}
		printf ("%" G_GUINT64_FORMAT " stored files checked against the manifest: %" G_GINT64_FORMAT " difference%s\n",
			checked, problems, problems == 1 ? "" : "s");
		return problems ? 1 : 0;
	}
	if (n_rest < 2) {
		fprintf (stderr, "trawl import: usage: trawl import ARCHIVE SOURCE... (try trawl import --help)\n");
		return 2;
	}
	TrawlImportOptions o = { 0 };
	if (!parse_size (max_msg ? max_msg : "100M", &o.max_message_size) ||
	    !parse_size (max_exp ? max_exp : "100G", &o.max_expanded)) {
		fprintf (stderr, "trawl import: a size is a number with an optional k, M, G or T, not '%s'\n",
			 max_msg ? max_msg : max_exp);
		return 2;
	}
	if (fmt && strcmp (fmt, "auto") != 0 && strcmp (fmt, "mboxo") != 0 && strcmp (fmt, "mboxrd") != 0 &&
	    strcmp (fmt, "mboxcl") != 0 && strcmp (fmt, "mboxcl2") != 0) {
		fprintf (stderr, "trawl import: --mbox-format takes auto, mboxo, mboxrd, mboxcl or mboxcl2, not '%s'\n", fmt);
		return 2;
	}
	for (char **t = tags; t && *t; t++)
		if (!**t || strchr (*t, ' ') || **t == '-' || **t == '+') {
			fprintf (stderr, "trawl import: --tag takes a tag name (no spaces, no leading + or -), not '%s'\n", *t);
			return 2;
		}
	o.max_ratio = (guint) MAX (max_ratio, 0);
	o.batch_size = (guint) MAX (batch, 0);
	o.mbox_format = fmt;
	o.extra_tags = tags;
	o.command_line = command_line;
	o.cancel = &cancelled;
	/* Without a terminal, the first progress line comes after 5 s (a quick
	 * import prints only its summary). */
	Out out = { isatty (2), quiet, FALSE, g_get_monotonic_time () };
	o.progress = on_progress;
	o.note = on_note;
	o.user = &out;

	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sigemptyset (&sa.sa_mask);
	sigaction (SIGINT, &sa, NULL);
	sigaction (SIGTERM, &sa, NULL);

	TrawlImportStats st = { 0 };
	gboolean ok = trawl_import_run (rest[0], rest + 1, &o, &st, &err);
	clear_line (&out);
	int rc = 0;
	if (!ok) {
		if (err && err->code == TRAWL_IMPORT_ERROR_CANCELLED) {
			summary (&st, rest[0], FALSE);
			fprintf (stderr, "trawl import: interrupted; everything up to here is committed. "
				 "Run the same command again to finish.\n");
			rc = 130;
		} else {
			g_autofree char *safe = trawl_sanitize (err ? err->message : "failed", -1);
			if (err && err->code != TRAWL_IMPORT_ERROR_USAGE)
				summary (&st, rest[0], FALSE);
			fprintf (stderr, "trawl import: %s\n", safe);
			if (err && (err->code == TRAWL_IMPORT_ERROR_DISK || err->code == TRAWL_IMPORT_ERROR_DATABASE))
				fprintf (stderr, "trawl import: what was committed before is kept; "
					 "fix the cause and run the same command again to finish.\n");
			rc = 1;
		}
	} else
		summary (&st, rest[0], TRUE);
	trawl_import_stats_clear (&st);
	return rc;
}
