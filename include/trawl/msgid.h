/* msgid.h — a Message-ID as a person types it, and the thread that holds
 * it.  No curses. */
#ifndef TRAWL_MSGID_H
#define TRAWL_MSGID_H

#include <glib.h>
#include "trawl/model.h"

G_BEGIN_DECLS

/* The bare Message-ID in TEXT: "<id>", "id:id", "id:\"id\"", "id" (blanks
 * around are dropped).  NULL when nothing is left or the id holds a blank
 * or a control character.  Newly allocated. */
char *trawl_message_id_parse (const char *text);

/* The thread id of the message MESSAGE_ID (bare), or NULL: *ERROR is set
 * only when the database failed; no such message leaves it NULL.  One
 * Xapian look-up by id: excluded messages are found too. */
char *trawl_db_message_thread (TrawlDb *db, const char *message_id, GError **error);

G_END_DECLS

#endif
