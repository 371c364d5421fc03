/* verify.c — `trawl verify QUERY...`: the DKIM signatures of every message
 * matching QUERY, verified from the message files (the first file of each
 * message), one line per message and a summary; --tag records the result
 * as a dkim/pass, dkim/fail or dkim/none tag.  Never curses.
 *
 * Keys: --dkim-keys DIR (else the dkim-keys setting of trawl's config
 * file) serves them from a directory; DNS is asked only without a key
 * directory, or with --dns for keys the directory lacks. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trawl/config.h"
#include "trawl/dkim.h"
#include "trawl/export.h"
#include "trawl/import.h"
#include "trawl/model.h"
#include "trawl/options.h"
#include "trawl/sanitize.h"
#include "trawl/tags.h"

typedef struct {
	TrawlDkimOptions opts;
	guint messages, signed_messages, failed_messages, unreadable;
	guint per_status[TRAWL_DKIM_N_STATUS];
	GPtrArray *pass, *fail, *none;	/* message ids, for --tag */
} Verify;

static gboolean
verify_one (const TrawlExportMessage *m, gpointer user, GError **error)
{
	(void) error;
	Verify *v = user;
	g_autoptr (GError) err = NULL;
	g_autofree char *mid = trawl_sanitize (m->message_id, -1);
	v->messages++;
	g_autoptr (GPtrArray) res = trawl_dkim_verify_file (m->filename, &v->opts, &err);
	if (!res) {
		g_autofree char *why = trawl_sanitize (err->message, -1);
		printf ("%s\t-\tunreadable: %s\n", mid, why);
		v->unreadable++;
		return TRUE;
	}
	GString *line = g_string_new (NULL);
	g_string_append_printf (line, "%s\t%u\t", mid, res->len);
	if (res->len == 0)
		g_string_append (line, "not signed");
	for (guint i = 0; i < res->len; i++) {
		const TrawlDkimResult *r = res->pdata[i];
		g_autofree char *d = trawl_sanitize (*r->domain ? r->domain : "?", -1);
		g_autofree char *s = trawl_sanitize (*r->selector ? r->selector : "?", -1);
		g_string_append_printf (line, "%s%s/%s: %s", i ? "; " : "", d, s, trawl_dkim_status_name (r->status));
		v->per_status[r->status]++;
	}
	puts (line->str);
	g_string_free (line, TRUE);
	const char *sum = trawl_dkim_summary (res);
	if (res->len)
		v->signed_messages++;
	if (g_str_equal (sum, "fail"))
		v->failed_messages++;
	GPtrArray *to = g_str_equal (sum, "pass") ? v->pass : g_str_equal (sum, "fail") ? v->fail : v->none;
	g_ptr_array_add (to, g_strdup (m->message_id));
	return TRUE;
}

static gboolean
tag_group (TrawlDb *db, GPtrArray *ids, const char *word, GError **error)
{
	if (ids->len == 0)
		return TRUE;
	const char *all[] = { "pass", "fail", "none" };
	GString *ops = g_string_new (NULL);
	for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
		if (!g_str_equal (all[i], word))
			g_string_append_printf (ops, "-dkim/%s ", all[i]);
	g_string_append_printf (ops, "+dkim/%s", word);
	g_autoptr (TrawlTagOps) parsed = trawl_tag_ops_parse (ops->str, error);
	g_string_free (ops, TRUE);
	if (!parsed)
		return FALSE;
	g_autoptr (TrawlTagChange) c = trawl_db_apply_tags (db, ids, parsed, NULL, NULL, error);
	return c != NULL;
}

/* The dkim-keys setting of trawl's config file ("" when unset). */
static char *
config_key_dir (const char *trawl_config)
{
	g_autoptr (TrawlConfig) config = trawl_config_new ();
	g_autofree char *path = trawl_config ? g_strdup (trawl_config) : trawl_config_default_path ();
	if (!trawl_config_load_file (config, path, trawl_config != NULL, NULL))
		return g_strdup ("");
	return g_strdup (trawl_config_options (config)->dkim_keys);
}

int
trawl_verify_main (int argc, char **argv)
{
	g_autofree char *keys = NULL, *archive = NULL, *config = NULL, *trawl_config = NULL;
	gboolean dns = FALSE, tag = FALSE, read_only = FALSE;
	g_auto (GStrv) rest = NULL;
	GOptionEntry entries[] = {
		{ "dkim-keys", 'k', 0, G_OPTION_ARG_FILENAME, &keys, "the keys, one TXT record per file named SELECTOR._domainkey.DOMAIN (default: the dkim-keys setting; none: DNS)", "DIR" },
		{ "dns", 0, 0, G_OPTION_ARG_NONE, &dns, "with a key directory, look keys it lacks up in DNS", NULL },
		{ "tag", 't', 0, G_OPTION_ARG_NONE, &tag, "tag each message dkim/pass, dkim/fail or dkim/none (removing the other two)", NULL },
		{ "read-only", 'r', 0, G_OPTION_ARG_NONE, &read_only, "change nothing (refuses --tag)", NULL },
		TRAWL_ARCHIVE_OPTION_ENTRIES (&archive, &config),
		{ "trawl-config", 0, 0, G_OPTION_ARG_FILENAME, &trawl_config, "trawl's own config file, for dkim-keys (default: TRAWL_CONFIG, else ~/.config/trawl/config)", "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, "QUERY..." },
		{ NULL }
	};
	g_set_prgname ("trawl verify");
	g_log_set_always_fatal (G_LOG_FATAL_MASK);
	g_autoptr (GOptionContext) ctx = g_option_context_new ("QUERY... - verify the DKIM signatures of the messages matching QUERY");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"Verifies every DKIM-Signature of every message matching QUERY (the first\n"
		"file of each; search.exclude_tags applies) with libopendkim and prints one\n"
		"line per message: Message-ID, number of signatures, DOMAIN/SELECTOR: result\n"
		"for each; then a summary.  Results: verified, body changed, headers changed,\n"
		"key unavailable, key revoked, bad key, bad signature syntax, expired.\n"
		"Keys come from --dkim-keys DIR (files SELECTOR._domainkey.DOMAIN holding\n"
		"the TXT record, as dig +short prints it); DNS is used only without a key\n"
		"directory, or with --dns for the keys the directory lacks.\n"
		"Exit status: 0 no signature failed, 1 a signature failed (or a file could\n"
		"not be read), 2 a usage, database or query error.");
	g_autoptr (GError) err = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
		fprintf (stderr, "trawl verify: %s (try trawl verify --help)\n", err->message);
		return 2;
	}
	if (!rest || !rest[0]) {
		fprintf (stderr, "trawl verify: usage: trawl verify [--dkim-keys DIR] [--dns] [--tag] QUERY... "
			 "(try trawl verify --help)\n");
		return 2;
	}
	if (tag && read_only) {
		fprintf (stderr, "trawl verify: --tag changes tags and --read-only changes nothing; give one\n");
		return 2;
	}
	if (!trawl_config) {
		const char *env = g_getenv ("TRAWL_CONFIG");
		if (env && *env)
			trawl_config = g_strdup (env);
	}
	if (!keys) {
		keys = config_key_dir (trawl_config);
		if (!*keys)
			g_clear_pointer (&keys, g_free);
	}
	if (keys && !g_file_test (keys, G_FILE_TEST_IS_DIR)) {
		g_autofree char *safe = trawl_sanitize (keys, -1);
		fprintf (stderr, "trawl verify: the key directory %s is not a directory\n", safe);
		return 2;
	}
	g_autofree char *query = g_strjoinv (" ", rest);
	g_autoptr (TrawlDb) db = trawl_archive_open (archive, config, tag, NULL, &err);
	if (!db) {
		fprintf (stderr, "trawl verify: %s\n", err->message);
		return 2;
	}
	Verify v = { 0 };
	v.opts.key_dir = keys;
	v.opts.dns = !keys || dns;
	v.pass = g_ptr_array_new_with_free_func (g_free);
	v.fail = g_ptr_array_new_with_free_func (g_free);
	v.none = g_ptr_array_new_with_free_func (g_free);
	int rc = 0;
	if (trawl_db_export_walk (db, query, TRUE, verify_one, &v, &err) < 0) {
		g_autofree char *safe = trawl_sanitize (err->message, -1);
		fprintf (stderr, "trawl verify: %s\n", safe);
		rc = 2;
		goto out;
	}
	GString *sum = g_string_new (NULL);
	g_string_append_printf (sum, "%u messages: %u signed, %u not signed, %u failed", v.messages,
				v.signed_messages, v.messages - v.signed_messages - v.unreadable, v.failed_messages);
	if (v.unreadable)
		g_string_append_printf (sum, ", %u unreadable", v.unreadable);
	g_string_append (sum, "; signatures:");
	gboolean any = FALSE;
	for (int i = 0; i < TRAWL_DKIM_N_STATUS; i++)
		if (v.per_status[i]) {
			g_string_append_printf (sum, "%s %u %s", any ? "," : "", v.per_status[i], trawl_dkim_status_name (i));
			any = TRUE;
		}
	if (!any)
		g_string_append (sum, " none");
	printf ("%s\n", sum->str);
	g_string_free (sum, TRUE);
	rc = v.failed_messages || v.unreadable ? 1 : 0;
	if (tag) {
		if (!tag_group (db, v.pass, "pass", &err) || !tag_group (db, v.fail, "fail", &err) ||
		    !tag_group (db, v.none, "none", &err)) {
			fprintf (stderr, "trawl verify: tagging: %s\n", err->message);
			rc = 2;
		} else
			printf ("tagged: %u dkim/pass, %u dkim/fail, %u dkim/none\n", v.pass->len, v.fail->len, v.none->len);
	}
out:
	g_ptr_array_unref (v.pass);
	g_ptr_array_unref (v.fail);
	g_ptr_array_unref (v.none);
	return rc;
}
