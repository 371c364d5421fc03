/* searches.h — trawl's own saved searches, kept in
 * $XDG_CONFIG_HOME/trawl/searches (a GKeyFile: [searches] NAME=QUERY).
 * GLib only. */
#ifndef TRAWL_SEARCHES_H
#define TRAWL_SEARCHES_H

#include <glib.h>

G_BEGIN_DECLS

char *trawl_searches_path (void);
/* Appends the saved searches to NAMES and QUERIES (in file order).  A missing
 * file is no error. */
gboolean trawl_searches_load (GPtrArray *names, GPtrArray *queries, GError **error);
/* Saves QUERY as NAME (replacing a search of that name). */
gboolean trawl_searches_add (const char *name, const char *query, GError **error);

G_END_DECLS

#endif
