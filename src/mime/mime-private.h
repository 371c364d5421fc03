/* mime-private.h — shared between the files of src/mime (never installed,
 * never included outside src/mime).  GMime, GLib and libxml2 only.
 *
 * The renderer, by file:
 *   render.c       the render context, appending lines, parsing, the entry points
 *   headers.c      header lines and the Date format
 *   charset.c      bytes in a declared charset to UTF-8, with the fallbacks
 *   content.c      a leaf part's content, decoded once; sizes counted without decoding
 *   textlines.c    UTF-8 text to BODY / QUOTE / QUOTE_FOLD / SIGNATURE lines
 *                  (quotes, format=flowed, signatures)
 *   walk.c         the MIME walk: multiparts, alternatives, leaves, attachments
 *   html-dumper.c  HTML shown by an external dumper (w3m, ...) or html.c
 *   html.c         the built-in HTML-to-text renderer
 *   dump.c         trawl_rendered_dump(): the text form the goldens compare
 *   save.c         saving a part; the safe file name
 *   addresses.c    bare addresses out of address headers
 *
 * Memory: the Ctx owns its TrawlRendered until mime_ctx_finish() hands it
 * over; lines and parts go into it as they are made (it owns them); GMime
 * objects are borrowed from the message being walked unless said otherwise.
 */
#ifndef TRAWL_MIME_PRIVATE_H
#define TRAWL_MIME_PRIVATE_H

#include <glib.h>
#include <gmime/gmime.h>

#include "trawl/mime.h"

G_BEGIN_DECLS

#define MIME_DEFAULT_MAX_PART_BYTES ((gsize) 4 << 20)
#define MIME_DEFAULT_MAX_DEPTH 32
#define MIME_DEEP_MAX_DEPTH 1024	/* the cap with deep_parts, and the most max_depth may be */
#define MIME_DEFAULT_MAX_LINES 200000
#define MIME_DEFAULT_HTML_RUNS 16
#define MIME_DEFAULT_HTML_BUDGET_US (3 * G_USEC_PER_SEC)
#define MIME_DEFAULT_RENDER_BUDGET_US (8 * G_USEC_PER_SEC)
#define MIME_COUNT_CAP ((gsize) 1 << 30)	/* part sizes counted up to 1 GiB */

/* One render (or one trawl_mime_save_part() search). */
typedef struct {
	TrawlRenderOptions o;	/* with defaults filled in; o.html_command borrowed from the caller */
	TrawlRendered *r;	/* owned until mime_ctx_finish() */
	guint fold_seq;
	GRegex *footer_re;	/* o.footer_regex compiled (footer.c), NULL: none */
	gboolean footer_re_tried;
	gboolean lines_full;
	gboolean depth_warned;
	TrawlLine *deep_marker;	/* the last "parts nested deeper" line, borrowed from ->r: siblings cut off together share it */
	int leaf_index;
	int silent;		/* > 0: register parts, emit no lines */
	gboolean collect;	/* trawl_mime_save_part: only find the part */
	int want_index;
	GMimePart *found;	/* collect: the part wanted, a reference owned by the Ctx */
	TrawlAttachmentFn att_fn;	/* collect: called for each attachment (trawl_mime_attachments_bytes) */
	gpointer att_data;
	guint text_parts_shown;
	guint parser_warnings;	/* bit per GMimeParserWarning */
	GPtrArray *parser_items;	/* first item per warning code; owned, freed by mime_ctx_finish() */
	/* The render budget (html-dumper.c). */
	gint64 html_us;		/* time spent rendering HTML, dumpers and built-in */
	gint64 dumper_us;	/* time spent in dumper runs */
	/* The HTML dumper, looked up once per render (html-dumper.c): its argv
	 * (NULL: the built-in renderer), name and cache identity; owned. */
	gboolean dumper_known;
	char **dumper_argv;
	char *dumper_name;
	char *dumper_id;
	guint dumper_parts;	/* HTML parts given to the dumper: runs, and its texts from the cache */
	gboolean dumper_spent;	/* the dumper budget is used up: the built-in renderer from now on */
	gboolean html_stopped;	/* interrupted, or the render budget used up: no more HTML rendered */
	TrawlLine *builtin_line;	/* the HELD line (depth 1) counting parts the budget gave the built-in renderer; borrowed from ->r */
	TrawlLine *held_line;	/* the HELD line counting parts not rendered; borrowed from ->r */
	const char *data;	/* the message's bytes (all_headers reads raw header lines there); borrowed */
	gsize len;
} Ctx;

/* ------------------------------------------------------------ render.c */

/* Sets C up for a render with OPTS (NULL: defaults; copied, html_command
 * borrowed), with a new empty TrawlRendered that C owns. */
void mime_ctx_init (Ctx *c, const TrawlRenderOptions *opts);
/* Parses the message in STREAM (taking over the caller's reference) and
 * walks it with C.  DATA/LEN are the same bytes, read (not kept) when the
 * message is not MIME at all. */
void mime_parse_and_walk (Ctx *c, GMimeStream *stream, const char *data, gsize len);
/* Reads the message file at PATH and parses and walks it with C; FALSE with
 * ERROR (nothing walked) when it cannot be read.  KEEP not NULL: *KEEP gets
 * a reference to the message's stream, the caller's to unref, which parts
 * kept from the walk (c->found) need to read their content. */
gboolean mime_walk_file (Ctx *c, const char *path, GMimeStream **keep, GError **error);
/* Frees what C holds but its TrawlRendered, which is returned: the caller's,
 * freed with trawl_rendered_free(). */
TrawlRendered *mime_ctx_finish (Ctx *c);

/* S (LEN bytes, -1: up to the NUL; NULL: "") as valid UTF-8, invalid
 * sequences replaced.  Newly allocated, the caller's to g_free(). */
char *mime_valid_dup (const char *s, gssize len);
/* A line of TYPE with a copy of TEXT (NULL: "").  Newly allocated, the
 * caller's until added to an array that frees with mime_line_free(). */
TrawlLine *mime_new_line (TrawlLineType type, guint nest, const char *text);
void mime_line_free (gpointer line);
void mime_part_free (gpointer part);
/* Appends a line with a copy of TEXT to C's lines and returns it, borrowed
 * (C's result owns it: set ->label and the like on it, never free it); NULL
 * when silent, when only collecting, or when the line cap is hit. */
TrawlLine *mime_add_line (Ctx *c, TrawlLineType type, guint nest, const char *text);
void mime_add_warning (Ctx *c, guint nest, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
/* A BLANK line, unless the last line is one or there is none. */
void mime_add_blank (Ctx *c, guint nest);

/* ----------------------------------------------------------- headers.c */

/* HEADER lines for MSG (borrowed); TOP: the message itself, whose every
 * header also goes into c->r->headers. */
void mime_render_headers (Ctx *c, GMimeMessage *msg, guint nest, gboolean top);

/* ----------------------------------------------------------- charset.c */

/* LEN bytes (NULs and all) in CHARSET (NULL: none declared) as UTF-8 (NULs
 * kept), LEN in *OUT_LEN.  Newly allocated, the caller's to g_free(), as is
 * *WARNING: a message when a fallback was used, else NULL. */
char *mime_to_utf8 (const char *data, gsize len, const char *charset, gsize *out_len, char **warning);
/* Replaces each NUL byte in *TEXT (*LEN bytes, owned by the caller) by
 * U+FFFD, replacing *TEXT (the old string is freed) and *LEN when there was
 * one.  Returns how many there were. */
guint mime_nuls_to_fffd (char **text, gsize *len);

/* ----------------------------------------------------------- content.c */

/* A leaf part's content, decoded at most once. */
typedef struct {
	GByteArray *bytes;	/* the decoded content, at most the cap asked for; owned, NULL when not asked for */
	gsize size;		/* the whole decoded size, counted up to MIME_COUNT_CAP */
	gboolean cut;		/* bytes holds less than the content (size > the cap) */
	gboolean size_over;	/* counting stopped at MIME_COUNT_CAP: "more than" size */
	gboolean bad_base64;	/* the base64 holds bytes base64 does not use (checked when bytes are asked for) */
} MimeContent;

/* Decodes PART's content (PART borrowed) into OUT->bytes, at most CAP bytes,
 * and counts its whole size: one pass over the encoded text.  Counted in
 * c->r->stats as one part decoded.  The caller clears OUT with
 * mime_content_clear(). */
void mime_content_decode (Ctx *c, GMimePart *part, gsize cap, MimeContent *out);
/* Only the size of PART's content (OUT->bytes stays NULL): counted from the
 * encoded text without decoding for base64, quoted-printable and the
 * identity encodings (c->r->stats.parts_counted); uuencode is decoded into a
 * scratch buffer (parts_decoded). */
void mime_content_size (Ctx *c, GMimePart *part, MimeContent *out);
/* Frees OUT->bytes and zeroes OUT (OUT itself is the caller's). */
void mime_content_clear (MimeContent *out);

/* --------------------------------------------------------- textlines.c */

/* Emits TEXT (LEN bytes of UTF-8, no NUL; only read) as BODY / QUOTE /
 * QUOTE_FOLD / SIGNATURE / BLANK lines; FLOWED and DELSP as RFC 3676. */
void mime_emit_text (Ctx *c, guint nest, const char *text, gsize len, gboolean flowed, gboolean delsp);

/* -------------------------------------------------------------- walk.c */

/* Walks OBJ (borrowed) at MIME depth DEPTH and message nesting NEST. */
void mime_walk (Ctx *c, GMimeObject *obj, guint depth, guint nest);
/* Is leaf PART an attachment, as TrawlPart.is_attachment says (not a text
 * part shown inline)? */
gboolean mime_leaf_is_attachment (GMimePart *part);
/* c->att_fn for leaf PART (number INDEX, at NEST), an attachment: decodes
 * it once into a checksum and a size (save.c). */
void mime_attachment_report (Ctx *c, GMimePart *part, int index, guint nest);
/* OBJ's MIME type, lower case ("application/octet-stream" when it has
 * none).  Newly allocated, the caller's to g_free(). */
char *mime_type_of (GMimeObject *obj);

/* ------------------------------------------------------- html-dumper.c */

/* HTML (LEN bytes of UTF-8, only read) as UTF-8 text, by c->o.html_command
 * or the first dumper found, or the built-in renderer when there is none or
 * it fails (with a WARNING line saying so).  *HOW gets what rendered it.
 * The text and *HOW are newly allocated, the caller's to g_free(). */
char *mime_html_to_text (Ctx *c, guint nest, const char *html, gsize len, char **how);

/* blanks.c: every run of blank lines (white space only) in TEXT as one
 * empty line, in place; returns TEXT.  For text rendered from HTML. */
char *mime_collapse_blank_lines (char *text);

/* footer.c: the index of the first line of a mailing-list footer among
 * the N LINES (quote depths DEPTHS), or N when there is none.  RE: the
 * footer-regex, or NULL. */
guint mime_footer_start (const char *const *lines, const guint *depths, guint n, GRegex *re);
/* C's footer-regex, compiled once per render; NULL when none (a bad one
 * adds a WARNING line once and is not used). */
GRegex *mime_footer_regex (Ctx *c, guint nest);
/* Before an HTML part: FALSE when no more HTML is to be rendered in this
 * render (interrupted, or the render budget used up), after counting the
 * part on the HELD line (added at NEST the first time). */
gboolean mime_html_allowed (Ctx *c, guint nest);

/* -------------------------------------------------------------- html.c */

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
 * Never returns NULL (an unparseable document gives "").  The text is newly
 * allocated, the caller's to g_free(); HTML is only read. */
char *trawl_html_to_text (const char *html, gsize len);

/* One-time libxml2 set-up (xmlInitParser); called by trawl_mime_init(). */
void trawl_html_init (void);

G_END_DECLS

#endif
