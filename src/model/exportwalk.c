/* exportwalk.c — the messages of a query, one by one, for `trawl export`
 * (include/trawl/export.h).  A walk grows with the match set: it is only
 * run by the export command, never by a view. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <notmuch.h>

#include "trawl/export.h"
#include "trawl/model.h"
#include "model-private.h"

gint64
trawl_db_export_count (TrawlDb *db, const char *query, gboolean exclude, GError **error)
{
	notmuch_query_t *q = trawl_db_make_query (db, query, NOTMUCH_SORT_OLDEST_FIRST, error);
	if (!q)
		return -1;
	if (!exclude)
		notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FALSE);
	unsigned int n = 0;
	notmuch_status_t st = notmuch_query_count_messages (q, &n);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		trawl_db_query_error (db, st, query, error);
		notmuch_query_destroy (q);
		return -1;
	}
	notmuch_query_destroy (q);
	return n;
}

static const char *
header (notmuch_message_t *m, const char *name)
{
	const char *v = notmuch_message_get_header (m, name);
	return v ? v : "";
}

gint64
trawl_db_export_walk (TrawlDb *db, const char *query, gboolean exclude, TrawlExportMessageFn fn, gpointer user,
		      GError **error)
{
	notmuch_query_t *q = trawl_db_make_query (db, query, NOTMUCH_SORT_OLDEST_FIRST, error);
	if (!q)
		return -1;
	if (!exclude)
		notmuch_query_set_omit_excluded (q, NOTMUCH_EXCLUDE_FALSE);
	notmuch_messages_t *msgs = NULL;
	notmuch_status_t st = notmuch_query_search_messages (q, &msgs);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		trawl_db_query_error (db, st, query, error);
		notmuch_query_destroy (q);
		return -1;
	}
	gint64 n = 0;
	for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
		notmuch_message_t *m = notmuch_messages_get (msgs);
		g_autofree char *tags = trawl_tags_join (notmuch_message_get_tags (m), NULL);
		TrawlExportMessage e = {
			.message_id = notmuch_message_get_message_id (m),
			.thread_id = notmuch_message_get_thread_id (m),
			.filename = notmuch_message_get_filename (m),
			.tags = tags,
			.date = header (m, "date"),
			.date_utc = (gint64) notmuch_message_get_date (m),
			.from = header (m, "from"),
			.to = header (m, "to"),
			.cc = header (m, "cc"),
			.subject = header (m, "subject"),
		};
		if (!e.filename) {
			g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED,
				     "message %s has no file", e.message_id ? e.message_id : "?");
			notmuch_message_destroy (m);
			n = -1;
			break;
		}
		gboolean go = fn (&e, user, error);
		notmuch_message_destroy (m);
		if (!go) {
			n = -1;
			break;
		}
		n++;
	}
	notmuch_query_destroy (q);
	return n;
}

char *
trawl_db_mail_root (TrawlDb *db)
{
	const char *root = notmuch_config_get (db->nm, NOTMUCH_CONFIG_MAIL_ROOT);
	return g_strdup (root && *root ? root : trawl_db_path (db));
}
