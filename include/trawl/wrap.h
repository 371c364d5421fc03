/* wrap.h — breaking text into screen lines.  No curses: the UI draws what
 * these return, and the render goldens use them too. */
#ifndef TRAWL_WRAP_H
#define TRAWL_WRAP_H

#include <glib.h>

G_BEGIN_DECLS

/* Replaces each TAB in TEXT by spaces up to the next multiple of 8 columns
 * (widths measured as trawl_text_width() measures them).  Newly allocated. */
char *trawl_expand_tabs (const char *text);

/* Breaks sanitised UTF-8 TEXT into lines of at most WIDTH columns, at spaces
 * where it can (the spaces at a break are dropped), hard-breaking a word wider
 * than WIDTH; never splits a character.  An empty TEXT gives one empty line.
 * Returns a GPtrArray of newly allocated strings (free with g_ptr_array_unref). */
GPtrArray *trawl_text_wrap (const char *text, int width);

G_END_DECLS

#endif
