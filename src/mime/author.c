/* author.c — trawl_thread_author (trawl/author.h): a thread row's author,
 * exactly as notmuch 0.37's thread summary makes it (lib/thread.cc:
 * _thread_add_message and _thread_cleanup_author), so rows trawl builds
 * from Xapian's values read the same as rows notmuch builds. */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "trawl/author.h"

/* Does HAY hold NEEDLE, ASCII case aside (strcasestr, which is GNU's)? */
static gboolean
contains_nocase (const char *hay, const char *needle)
{
	gsize n = strlen (needle);
	for (const char *h = hay; *h; h++)
		if (g_ascii_strncasecmp (h, needle, n) == 0)
			return TRUE;
	return n == 0;
}

/* "Last, First" <first.last@x> becomes "First Last"; anything else with a
 * comma (the turned name not in the address) stays as it was. */
static char *
cleanup (const char *author, const char *from)
{
	const char *comma = strchr (author, ',');
	if (!comma || strlen (comma) <= 1)
		return g_strdup (author);
	gsize lname = (gsize) (comma - author);
	gsize fname = strlen (author) - lname - 1;
	comma++;
	while (*comma == ' ') {
		fname--;
		comma++;
	}
	GString *clean = g_string_new_len (comma, (gssize) fname);
	g_string_append_c (clean, ' ');
	g_string_append_len (clean, author, (gssize) lname);
	g_autofree char *test = g_strdup (clean->str);
	for (char *p = test; *p; p++)
		if (*p == ' ')
			*p = '.';
	if (!contains_nocase (from, test)) {
		g_string_free (clean, TRUE);
		return g_strdup (author);
	}
	return g_string_free (clean, FALSE);
}

char *
trawl_thread_author (const char *from)
{
	if (!from)
		return NULL;
	InternetAddressList *list = internet_address_list_parse (NULL, from);
	if (!list)
		return NULL;
	char *out = NULL;
	InternetAddress *address = internet_address_list_length (list) > 0
		? internet_address_list_get_address (list, 0) : NULL;
	if (address) {
		const char *author = internet_address_get_name (address);
		/* notmuch treats a quoted empty name as no name: the address. */
		if ((!author || !*author) && INTERNET_ADDRESS_IS_MAILBOX (address))
			author = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
		if (author && *author)
			out = cleanup (author, from);
		else if (author)
			out = g_strdup (author);
	}
	g_object_unref (list);
	return out;
}
