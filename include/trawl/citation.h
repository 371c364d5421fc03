/* citation.h — a citation of one message, for evidence: the Date header as
 * written, From, To, Subject (decoded), Message-ID and the sha256 of the
 * message's file, in a plain-text or a Markdown form; and the notes entry
 * that quotes lines of it under its citation.  Every value is sanitised
 * (trawl_sanitize): no control character or escape sequence from a message
 * reaches a clipboard or a notes file.  GLib and GMime; no curses. */
#ifndef TRAWL_CITATION_H
#define TRAWL_CITATION_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *date;		/* the Date header's text, unfolded; "" when none */
	char *from;		/* decoded; "" when none */
	char *to;
	char *subject;
	char *message_id;	/* without the angle brackets; "" when none */
	char *sha256;		/* of the file's bytes, 64 lowercase hex digits */
} TrawlCitation;

/* Reads the message file PATH; NULL with ERROR when it cannot be read. */
TrawlCitation *trawl_citation_read (const char *path, GError **error);
void trawl_citation_free (TrawlCitation *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlCitation, trawl_citation_free)

/* The citation as text, ending with a newline.  Plain:
 *   Date: ...\nFrom: ...\nTo: ...\nSubject: ...\nMessage-ID: <...>\nSHA256: ...\n
 * MARKDOWN: the same fields as a list, "- **Date:** ...", the Message-ID
 * and the sha256 as code.  Newly allocated. */
char *trawl_citation_text (const TrawlCitation *c, gboolean markdown);

/* The notmuch query for message ID: id:ID, or id:"ID" (a " doubled) when
 * ID has a blank, a parenthesis, a double quote, a control or a non-ASCII
 * character, or is empty.  Newly allocated. */
char *trawl_id_query (const char *id);

/* A notes entry: "## SUBJECT", a blank line, the Markdown citation, a
 * blank line, and LINES[0..N) (each sanitised) as a quote block ("> line",
 * ">" for an empty one).  Newly allocated. */
char *trawl_citation_note (const TrawlCitation *c, const char *const *lines, guint n);

G_END_DECLS

#endif
