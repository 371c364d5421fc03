/* mime-private.h — shared between the files of src/mime (never installed,
 * never included outside src/mime).  GMime, GLib and libxml2 only. */
#ifndef TRAWL_MIME_PRIVATE_H
#define TRAWL_MIME_PRIVATE_H

#include <glib.h>

G_BEGIN_DECLS

/* The built-in HTML-to-text renderer (html.c): parses HTML (UTF-8, LEN bytes)
 * with libxml2's forgiving HTML parser, never touching the network, and
 * returns plain UTF-8 text with '\n' line ends:
 *   - block elements (p, div, headings, tables rows, ...) break lines, <p>
 *     and headings leave a blank line, <br> breaks a line;
 *   - list items start with "* " (ol: "N. "), indented two columns a level;
 *   - <blockquote> lines are prefixed "> " per level (so the quote logic of
 *     the text renderer sees them as quotes);
 *   - links become "text [url]" (the url is left out when it equals the text
 *     or is a fragment/javascript: link); images "[image: alt]";
 *   - <pre> keeps its white space; elsewhere white space is collapsed;
 *   - script, style, head, template and comments are dropped;
 *   - entities are decoded by libxml2.
 * Never returns NULL (an unparseable document gives ""). */
char *trawl_html_to_text (const char *html, gsize len);

/* One-time libxml2 set-up (xmlInitParser); called by trawl_mime_init(). */
void trawl_html_init (void);

G_END_DECLS

#endif
