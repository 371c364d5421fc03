/* addresses.c — bare addresses out of address headers, by GMime. */
#include "config.h"

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

void
trawl_mime_header_mailboxes (const char *head, gsize len, TrawlMailboxFn fn, gpointer data)
{
	static const GMimeAddressType types[] = {
		GMIME_ADDRESS_TYPE_FROM, GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC, GMIME_ADDRESS_TYPE_BCC,
	};
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (head, len);
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
	if (msg) {
		for (int k = 0; k < 4; k++)
			walk_mailboxes (g_mime_message_get_addresses (msg, types[k]), k, fn, data, 0);
		g_object_unref (msg);
	}
	g_object_unref (parser);
	g_object_unref (stream);
}
