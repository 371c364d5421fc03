/* participants.h — who wrote in a thread, and how much.
 *
 * From the thread's messages as the model already holds them (each one's
 * From header): no message file is read.  GLib and the model only; never
 * curses. */
#ifndef TRAWL_PARTICIPANTS_H
#define TRAWL_PARTICIPANTS_H

#include <glib.h>

#include "trawl/model.h"

G_BEGIN_DECLS

typedef struct {
	char *name;		/* the display name (the first one seen), else the address */
	char *address;		/* lower-cased; the From as written when it has none */
	guint messages;		/* messages of the thread from this person */
} TrawlParticipant;

/* The people of T by their From (one person per address), most messages
 * first, ties in the order they first wrote.  O(messages).  The caller owns
 * the array (it frees its elements). */
GPtrArray *trawl_thread_participants (const TrawlThread *t);

/* "Name (3), Other (1), +2 more": PEOPLE (TrawlParticipant *) in their
 * order, sanitised, as many as fit in WIDTH columns with the "+N more" of
 * the rest.  Newly allocated; "" when WIDTH is too small for anything. */
char *trawl_participants_line (GPtrArray *people, int width);

/* "Name <addr>" -> "Name" (quotes dropped); a bare address stays.  Newly
 * allocated. */
char *trawl_from_display_name (const char *from);

G_END_DECLS

#endif
