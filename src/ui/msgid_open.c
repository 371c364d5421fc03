/* msgid_open.c — open-message-id: the thread of a Message-ID, at that
 * message (the search and thread views' command). */
#include "config.h"

#include "trawl/msgid.h"
#include "trawl/sanitize.h"
#include "ui.h"

void
ui_open_message_id (App *app, const char *arg)
{
	g_autofree char *typed = arg ? g_strdup (arg) : ui_prompt (app, "Message-ID: ", NULL, NULL);
	if (!typed || !*g_strstrip (typed))
		return;	/* cancelled */
	g_autofree char *id = trawl_message_id_parse (typed);
	if (!id) {
		g_autofree char *safe = trawl_sanitize (typed, -1);
		app_message (app, TRUE, "Not a Message-ID: %s (type <id>, id:id or the bare id)", safe);
		return;
	}
	g_autoptr (GError) err = NULL;
	g_autofree char *tid = trawl_db_message_thread (app->db, id, &err);
	g_autofree char *safe = trawl_sanitize (id, -1);
	if (!tid) {
		if (err)
			app_message (app, TRUE, "%s", err->message);
		else
			app_message (app, TRUE, "No message with Message-ID <%s> in the database", safe);
		return;
	}
	/* Already in the thread on screen: just move there. */
	View *top = app_top (app);
	if (top && thread_view_show_message (top, tid, id))
		return;
	g_autofree char *query = trawl_query_term ("id", id);
	View *tv = thread_view_new_at (app, tid, query, id, -1, &err);
	if (tv)
		app_push (app, tv);
	else
		app_message (app, TRUE, "%s", err ? err->message : "cannot open the thread");
}
