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
} UiDkim;

static GHashTable *session;

/* How long a verification runs before the bottom line shows its progress. */
#define VERIFY_NOTICE_US (300 * 1000)	/* Message-ID -> UiDkim */

static void
ui_dkim_free (gpointer p)
{
	UiDkim *d = p;
	g_free (d->line);
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

guint
ui_dkim_verify_messages (App *app, GPtrArray *messages)
{
	if (!session)
		session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ui_dkim_free);
	const char *dir = trawl_config_options (app->config)->dkim_keys;
	TrawlDkimOptions opts = { dir && *dir ? dir : NULL, !(dir && *dir) };
	guint failed = 0, done = 0, errors = 0;
	gint64 started = g_get_monotonic_time ();
	const char *delay = g_getenv ("TRAWL_VERIFY_DELAY_MS");
	guint64 delay_ms = delay ? g_ascii_strtoull (delay, NULL, 10) : 0;
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
			move (LINES - 1, 0);
			clrtoeol ();
			ui_put (LINES - 1, 0, COLS, text, ui_attr (UI_ATTR_MESSAGE));
			refresh ();
		}
		if (!lookup (m->message_id)) {
			if (delay_ms)	/* a test hook: a slow key server */
				g_usleep (delay_ms * 1000);
			g_autoptr (GError) err = NULL;
			g_autoptr (GPtrArray) res = trawl_dkim_verify_file (m->filename, &opts, &err);
			UiDkim *d = g_new0 (UiDkim, 1);
			if (res) {
				g_autofree char *text = trawl_dkim_describe (res);
				d->line = trawl_sanitize (text, -1);
				d->failed = g_str_equal (trawl_dkim_summary (res), "fail");
			} else {
				d->line = g_strdup_printf ("cannot read the message: %s", err->message);
				g_autofree char *raw = d->line;
				d->line = trawl_sanitize (raw, -1);
				d->failed = TRUE;
				errors++;
			}
			g_hash_table_insert (session, g_strdup (m->message_id), d);
		}
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
