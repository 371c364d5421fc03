/* msgthread.c — the thread of a Message-ID (see trawl/msgid.h). */
#include "config.h"

#include "trawl/msgid.h"
#include "model-private.h"

char *
trawl_db_message_thread (TrawlDb *db, const char *message_id, GError **error)
{
	notmuch_message_t *m = NULL;
	notmuch_status_t st = notmuch_database_find_message (db->nm, message_id, &m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED,
			     "cannot look up Message-ID <%s>: %s", message_id, notmuch_status_to_string (st));
		return NULL;
	}
	if (!m)
		return NULL;
	char *tid = g_strdup (notmuch_message_get_thread_id (m));
	notmuch_message_destroy (m);
	return tid;
}
