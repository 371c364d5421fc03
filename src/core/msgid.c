/* msgid.c — a typed Message-ID made bare (see trawl/msgid.h). */
#include "config.h"

#include <string.h>

#include "trawl/msgid.h"

char *
trawl_message_id_parse (const char *text)
{
	if (!text)
		return NULL;
	g_autofree char *s = g_strstrip (g_strdup (text));
	char *p = s;
	if (g_ascii_strncasecmp (p, "id:", 3) == 0)
		p += 3;
	gsize n = strlen (p);
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p[n - 1] = '\0';
		p++;
		n -= 2;
	}
	if (n >= 2 && p[0] == '<' && p[n - 1] == '>') {
		p[n - 1] = '\0';
		p++;
		n -= 2;
	}
	if (!n)
		return NULL;
	for (const char *c = p; *c; c++)
		if ((guchar) *c <= ' ' || *c == 0x7f)
			return NULL;
	return g_strdup (p);
}
