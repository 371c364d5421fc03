/* blanks.c — runs of blank lines in HTML rendered as text, as one.
 *
 * Outlook's HTML (<p class=MsoNormal> with &nbsp; paragraphs between) comes
 * out of w3m with three or four blank lines between paragraphs; the built-in
 * renderer can leave two.  Only text rendered from HTML passes here:
 * text/plain is shown as it is. */
#include "config.h"

#include <string.h>

#include "mime-private.h"

/* Is the line [P, E) blank: only spaces, TABs, CRs and no-break spaces? */
static gboolean
blank_line (const char *p, const char *e)
{
	while (p < e) {
		if (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		else if (e - p >= 2 && (guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)
			p += 2;
		else
			return FALSE;
	}
	return TRUE;
}

char *
mime_collapse_blank_lines (char *text)
{
	if (text == NULL)
		return NULL;
	char *w = text;
	const char *p = text;
	gboolean prev_blank = FALSE;
	while (*p) {
		const char *nl = strchr (p, '\n');
		const char *e = nl ? nl : p + strlen (p);
		gboolean blank = blank_line (p, e);
		if (blank) {
			/* A blank line is kept empty, once per run. */
			if (!prev_blank) {
				if (nl)
					*w++ = '\n';
			}
		} else {
			gsize len = (gsize) (e - p);
			memmove (w, p, len);
			w += len;
			if (nl)
				*w++ = '\n';
		}
		prev_blank = blank;
		p = nl ? nl + 1 : e;
	}
	*w = '\0';
	return text;
}
