/* author.h — the name notmuch shows for a message's author.
 *
 * Knows GLib only (the MIME layer implements it with GMime), so the model
 * can build a thread's authors as notmuch does without a message object. */
#ifndef TRAWL_AUTHOR_H
#define TRAWL_AUTHOR_H

#include <glib.h>

G_BEGIN_DECLS

/* The author notmuch's thread summary names for a From header FROM (as
 * notmuch stores it): the first address's display name, else its address,
 * with "Last, First" turned round when the address says first.last (as
 * lib/thread.cc does).  NULL when FROM names nobody.  Newly allocated. */
char *trawl_thread_author (const char *from);

G_END_DECLS

#endif
