/* fuzz-config.c — the config loader: the input (cut at a NUL) is laid over
 * the defaults as a user's file (trawl_config_load_data), dumped
 * (trawl_config_dump), the dump loaded over fresh defaults and dumped
 * again.  Checked: both dumps are the same text (config.h: "Loading it
 * gives the same"), and the problems list is readable. */
#include "config.h"

#include "trawl/config.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static gboolean done;
	if (!done) {
		done = TRUE;
		fuzz_fatal_criticals ();
	}
	char *text = g_strndup ((const char *) data, size);

	TrawlConfig *c = trawl_config_new ();
	trawl_config_load_data (c, "fuzz.conf", text);
	GPtrArray *problems = trawl_config_problems (c);
	for (guint i = 0; problems && i < problems->len; i++)
		FUZZ_CHECK (problems->pdata[i] != NULL, "problem %u is NULL", i);
	(void) trawl_config_options (c);
	char *dump1 = trawl_config_dump (c);
	FUZZ_CHECK (dump1 != NULL, "dump is NULL");

	TrawlConfig *back = trawl_config_new ();
	trawl_config_load_data (back, "dump.conf", dump1);
	char *dump2 = trawl_config_dump (back);
	FUZZ_CHECK (dump2 != NULL, "second dump is NULL");
	FUZZ_CHECK (strcmp (dump1, dump2) == 0,
		    "load -> dump -> reload changes the dump:\n--- first\n%s\n--- second\n%s", dump1, dump2);

	g_free (dump2);
	trawl_config_free (back);
	g_free (dump1);
	trawl_config_free (c);
	g_free (text);
	return 0;
}
