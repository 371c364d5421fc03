/* dkim_ui.c — DKIM results in the UI: verify (V, :verify) in the thread
 * view, and the session's results by Message-ID for the message pane's
 * "DKIM:" line and the tree rows' failure marker.
 *
 * Nothing is verified until the user asks: opening and reading a message
 * never looks at its signatures, so reading makes no network traffic.
 * Results stay for the session, so moving around never verifies again.
 * Keys: the dkim-keys setting (a key directory, then no DNS), else DNS. */
#include "config.h"

#include <string.h>

#include "trawl/dkim.h"
#include "trawl/sanitize.h"
#include "ui.h"

typedef struct {
	gboolean failed;	/* any signature did not verify */
	char *line;		/* "verified (example.com, sel1)", sanitised */
	char *detail;		/* one line per signature, for the provenance view; sanitised */
} UiDkim;

static GHashTable *session;

/* How long a verification runs before the bottom line shows its progress. */
#define VERIFY_NOTICE_US (300 * 1000)	/* Message-ID -> UiDkim */

static void
ui_dkim_free (gpointer p)
{
	UiDkim *d = p;
	g_free (d->line);
	g_free (d->detail);
	g_free (d);
}

static const UiDkim *
lookup (const char *message_id)
{
	return session && message_id ? g_hash_table_lookup (session, message_id) : NULL;
}

gboolean
ui_dkim_failed (const char *message_id)
{
	const UiDkim *d = lookup (message_id);
	return d && d->failed;
}

const char *
ui_dkim_line (const char *message_id)
{
	const UiDkim *d = lookup (message_id);
	return d ? d->line : NULL;
}

const char *
ui_dkim_detail (const char *message_id)
{
	const UiDkim *d = lookup (message_id);
	return d ? d->detail : NULL;
}

/* "d=example.com s=sel1 a=rsa-sha256: verified", one line a signature. */
static char *
detail_text (const GPtrArray *res)
{
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < res->len; i++) {
		const TrawlDkimResult *r = res->pdata[i];
		g_string_append_printf (s, "%sd=%s s=%s a=%s: %s", i ? "\n" : "", r->domain, r->selector,
					r->algorithm, trawl_dkim_status_name (r->status));
		if (r->status != TRAWL_DKIM_VERIFIED && r->text && *r->text)
			g_string_append_printf (s, " (%s)", r->text);
	}
	char *raw = g_string_free (s, FALSE);
	/* Sanitised line by line: the newlines are ours. */
	g_auto (GStrv) lines = g_strsplit (raw, "\n", -1);
	g_free (raw);
	for (char **l = lines; *l; l++) {
		char *t = trawl_sanitize (*l, -1);
		g_free (*l);
		*l = t;
	}
	return g_strjoinv ("\n", lines);
}

/* Verifies the message MESSAGE_ID in PATH unless the session has it. */
static void
verify_one (const TrawlDkimOptions *opts, const char *message_id, const char *path, guint64 delay_ms,
	    guint *errors)
{
	if (!session)
		session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ui_dkim_free);
	if (lookup (message_id))
		return;
	if (delay_ms)	/* a test hook: a slow key server */
		g_usleep (delay_ms * 1000);
	g_autoptr (GError) err = NULL;
	g_autoptr (GPtrArray) res = trawl_dkim_verify_file (path, opts, &err);
	UiDkim *d = g_new0 (UiDkim, 1);
	if (res) {
		g_autofree char *text = trawl_dkim_describe (res);
		d->line = trawl_sanitize (text, -1);
		d->detail = detail_text (res);
		d->failed = g_str_equal (trawl_dkim_summary (res), "fail");
	} else {
		g_autofree char *raw = g_strdup_printf ("cannot read the message: %s", err->message);
		d->line = trawl_sanitize (raw, -1);
		d->failed = TRUE;
		(*errors)++;
	}
	g_hash_table_insert (session, g_strdup (message_id), d);
}

static guint64
delay_hook (void)
{
	const char *delay = g_getenv ("TRAWL_VERIFY_DELAY_MS");
	return delay ? g_ascii_strtoull (delay, NULL, 10) : 0;
}

static TrawlDkimOptions
options (App *app)
{
	const char *dir = trawl_config_options (app->config)->dkim_keys;
	TrawlDkimOptions opts = { dir && *dir ? dir : NULL, !(dir && *dir) };
	return opts;
}

gboolean
ui_dkim_verify_file (App *app, const char *message_id, const char *path)
{
	TrawlDkimOptions opts = options (app);
	guint errors = 0;
	verify_one (&opts, message_id, path, delay_hook (), &errors);
	gboolean failed = ui_dkim_failed (message_id);
	app_message (app, failed, "DKIM: %s", ui_dkim_line (message_id));
	return failed;
}

guint
ui_dkim_verify_messages (App *app, GPtrArray *messages)
{
	TrawlDkimOptions opts = options (app);
	const char *dir = opts.key_dir;
	guint failed = 0, done = 0, errors = 0;
	gint64 started = g_get_monotonic_time ();
	guint64 delay_ms = delay_hook ();
	gboolean stopped = FALSE;
	for (guint i = 0; i < messages->len; i++) {
		TrawlMessage *m = messages->pdata[i];
		/* A thread of thousands, or keys from a slow DNS, takes a while:
		 * q, Q and C-c stay live between messages (what was verified is
		 * kept), and after a moment the bottom line shows the progress. */
		if (ui_terminating () || ui_key_interrupted ("thread")) {
			stopped = TRUE;
			break;
		}
		if (g_get_monotonic_time () - started > VERIFY_NOTICE_US) {
			g_autofree char *text = g_strdup_printf ("Verifying DKIM signatures: %u of %u messages... "
								 "q or C-c stops", i, messages->len);
			ui_notice_now (text);
		}
		verify_one (&opts, m->message_id, m->filename, delay_ms, &errors);
		if (ui_dkim_failed (m->message_id))
			failed++;
		done++;
	}
	if (stopped)
		app_message (app, TRUE, "DKIM: stopped after %u of %u messages (%u failed); V again goes on", done,
			     messages->len, failed);
	else if (failed)
		app_message (app, TRUE, "DKIM: %u of %u messages failed verification%s", failed, done,
			     errors ? " (some could not be read)" : "");
	else
		app_message (app, FALSE, "DKIM: %u messages checked, none failed%s", done,
			     dir && *dir ? "" : " (keys from DNS)");
	return failed;
}
