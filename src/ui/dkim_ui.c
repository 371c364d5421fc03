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

static GHashTable *session;	/* Message-ID -> UiDkim */

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
	for (guint i = 0; i < messages->len; i++) {
		TrawlMessage *m = messages->pdata[i];
		if (!lookup (m->message_id)) {
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
	if (failed)
		app_message (app, TRUE, "DKIM: %u of %u messages failed verification%s", failed, done,
			     errors ? " (some could not be read)" : "");
	else
		app_message (app, FALSE, "DKIM: %u messages checked, none failed%s", done,
			     dir && *dir ? "" : " (keys from DNS)");
	return failed;
}
