/* addresses.c — bare addresses out of address headers, by GMime. */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "trawl/mime.h"

static void
walk (InternetAddressList *list, GPtrArray *out)
{
	int n = list ? internet_address_list_length (list) : 0;
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address (list, i);
		if (INTERNET_ADDRESS_IS_GROUP (ia))
			walk (internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)), out);
		else if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
			const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
			if (addr && *addr)
				g_ptr_array_add (out, g_ascii_strdown (addr, -1));
		}
	}
}

void
trawl_mime_addresses (const char *value, GPtrArray *out)
{
	InternetAddressList *list = internet_address_list_parse (NULL, value ? value : "");
	walk (list, out);
	if (list)
		g_object_unref (list);
}

static void
walk_mailboxes (InternetAddressList *list, int kind, TrawlMailboxFn fn, gpointer data, int depth)
{
	int n = list ? internet_address_list_length (list) : 0;
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address (list, i);
		if (INTERNET_ADDRESS_IS_GROUP (ia)) {
			if (depth < 8)
				walk_mailboxes (internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)),
						kind, fn, data, depth + 1);
		} else if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
			const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
			if (!addr || !*addr)
				continue;
			g_autofree char *lower = g_utf8_validate (addr, -1, NULL)
				? g_utf8_strdown (addr, -1) : g_ascii_strdown (addr, -1);
			const char *name = internet_address_get_name (ia);
			fn (kind, name && *name ? name : NULL, lower, data);
		}
	}
}

/* Which address header a line starts ("To:"), as a kind; -1: none. */
static int
header_kind (const char *line, gsize len, gsize *colon)
{
	static const char *const names[] = { "from", "to", "cc", "bcc" };
	for (int k = 0; k < 4; k++) {
		gsize n = strlen (names[k]);
		if (len > n && g_ascii_strncasecmp (line, names[k], n) == 0) {
			gsize j = n;
			while (j < len && (line[j] == ' ' || line[j] == '\t'))
				j++;
			if (j < len && line[j] == ':') {
				*colon = j;
				return k;
			}
		}
	}
	return -1;
}

/* The header block is split into (unfolded) fields here, and only the
 * address fields' values go to GMime's address parser: building a whole
 * GMimeMessage for every file costs several times more. */
void
trawl_mime_header_mailboxes (const char *head, gsize len, TrawlMailboxFn fn, gpointer data)
{
	const char *p = head, *end = head + len;
	GString *value = g_string_new (NULL);
	while (p < end) {
		const char *eol = memchr (p, '\n', end - p);
		const char *le = eol ? eol : end;
		gsize ll = le - p;
		if (ll && p[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break;	/* the blank line: the body follows */
		gsize colon = 0;
		int kind = (p[0] == ' ' || p[0] == '\t') ? -1 : header_kind (p, ll, &colon);
		const char *next = eol ? eol + 1 : end;
		if (kind < 0) {
			p = next;
			continue;
		}
		g_string_assign (value, "");
		g_string_append_len (value, p + colon + 1, ll - colon - 1);
		/* Continuation lines. */
		while (next < end && (*next == ' ' || *next == '\t')) {
			const char *e2 = memchr (next, '\n', end - next);
			const char *l2 = e2 ? e2 : end;
			gsize n2 = l2 - next;
			if (n2 && next[n2 - 1] == '\r')
				n2--;
			g_string_append_c (value, ' ');
			g_string_append_len (value, next, n2);
			next = e2 ? e2 + 1 : end;
		}
		InternetAddressList *list = internet_address_list_parse (NULL, value->str);
		if (list) {
			walk_mailboxes (list, kind, fn, data, 0);
			g_object_unref (list);
		}
		p = next;
	}
	g_string_free (value, TRUE);
}
