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
