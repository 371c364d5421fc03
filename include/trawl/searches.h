/* searches.h — every saved search trawl knows, in one store: notmuch's
 * named queries (query.NAME in the database's config), the [searches] of
 * trawl's config file, and the searches saved from trawl (S), kept in
 * $XDG_CONFIG_HOME/trawl/searches (a GKeyFile: [searches] NAME=QUERY).
 * GLib, the model and the config. */
#ifndef TRAWL_SEARCHES_H
#define TRAWL_SEARCHES_H

#include <glib.h>

#include "trawl/config.h"
#include "trawl/model.h"

G_BEGIN_DECLS

/* The file of the searches saved from trawl; newly allocated. */
char *trawl_searches_path (void);
/* All of them, in that order (TrawlNamedQuery *; the caller owns the
 * array, which owns them).  A missing or unreadable searches file leaves
 * its part out and sets ERROR; the rest are there. */
GPtrArray *trawl_searches_all (TrawlDb *db, TrawlConfig *config, GError **error);
/* Saves QUERY as NAME (replacing a search of that name) in the file. */
gboolean trawl_searches_add (const char *name, const char *query, GError **error);

G_END_DECLS

#endif
