/* dkim.c — every DKIM-Signature of a message verified by libopendkim.
 *
 * libopendkim does the work (canonicalisation, hashes, RSA, tag syntax,
 * expiry); trawl only feeds it the file and serves the keys through its
 * key lookup hook (dkim_set_key_lookup): from the key directory first, then
 * from DNS through GLib's resolver, and DNS only when the caller allowed it
 * (TrawlDkimOptions.dns).  The hook is always installed, so libopendkim's
 * own resolver never runs: no network traffic unless asked. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <opendkim/dkim.h>

#include "trawl/dkim.h"

static guint n_verifications;
static guint n_dns_lookups;

guint
trawl_dkim_verifications (void)
{
	return (guint) g_atomic_int_get (&n_verifications);
}

guint
trawl_dkim_dns_lookups (void)
{
	return (guint) g_atomic_int_get (&n_dns_lookups);
}

static const char *const status_names[TRAWL_DKIM_N_STATUS] = {
	[TRAWL_DKIM_VERIFIED] = "verified",
	[TRAWL_DKIM_BODY_CHANGED] = "body changed",
	[TRAWL_DKIM_HEADERS_CHANGED] = "headers changed",
	[TRAWL_DKIM_KEY_UNAVAILABLE] = "key unavailable",
	[TRAWL_DKIM_KEY_REVOKED] = "key revoked",
	[TRAWL_DKIM_BAD_KEY] = "bad key",
	[TRAWL_DKIM_BAD_SYNTAX] = "bad signature syntax",
	[TRAWL_DKIM_EXPIRED] = "expired",
};

const char *
trawl_dkim_status_name (TrawlDkimStatus status)
{
	return (unsigned) status < TRAWL_DKIM_N_STATUS ? status_names[status] : "unknown";
}

const char *
trawl_dkim_summary (const GPtrArray *results)
{
	if (!results || results->len == 0)
		return "none";
	for (guint i = 0; i < results->len; i++)
		if (((TrawlDkimResult *) results->pdata[i])->status != TRAWL_DKIM_VERIFIED)
			return "fail";
	return "pass";
}

char *
trawl_dkim_describe (const GPtrArray *results)
{
	if (!results || results->len == 0)
		return g_strdup ("not signed");
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < results->len; i++) {
		const TrawlDkimResult *r = results->pdata[i];
		const char *name = trawl_dkim_status_name (r->status);
		if (i)
			g_string_append (s, "; ");
		if (r->status == TRAWL_DKIM_VERIFIED)
			g_string_append (s, name);
		else {
			g_autofree char *up = g_ascii_strup (name, -1);
			g_string_append (s, up);
		}
		g_string_append_printf (s, " (%s, %s)", *r->domain ? r->domain : "?", *r->selector ? r->selector : "?");
	}
	return g_string_free (s, FALSE);
}

static void
result_free (gpointer p)
{
	TrawlDkimResult *r = p;
	g_free (r->domain);
	g_free (r->selector);
	g_free (r->algorithm);
	g_free (r->text);
	g_free (r);
}

/* ---- keys ------------------------------------------------------------------ */

/* A DNS label list a file name may be made of: letters, digits, '-', '_'
 * and single dots; never a path. */
static gboolean
safe_name (const char *s)
{
	if (!s || !*s || *s == '.')
		return FALSE;
	for (const char *p = s; *p; p++) {
		if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
		if (*p == '.' && p[1] == '.')
			return FALSE;
	}
	return TRUE;
}

/* The TXT record text of a key file: the quoted strings concatenated when
 * it has quotes (dig +short: "v=DKIM1; k=rsa; " "p=MIIB..."), else the
 * text; whitespace removed either way (it is insignificant in a key
 * record, and p= may be split over lines). */
static char *
key_record_text (const char *raw, gsize len)
{
	GString *s = g_string_new (NULL);
	gboolean quoted = memchr (raw, '"', len) != NULL, in = FALSE;
	for (gsize i = 0; i < len; i++) {
		char c = raw[i];
		if (quoted && c == '"') {
			in = !in;
			continue;
		}
		if (quoted && !in)
			continue;
		if (c == '\\' && quoted && i + 1 < len) {
			c = raw[++i];
		}
		if (g_ascii_isspace (c) || c == '\0')
			continue;
		g_string_append_c (s, c);
	}
	return g_string_free (s, FALSE);
}

typedef struct {
	const TrawlDkimOptions *opts;
} Ctx;

static gboolean
key_from_dir (const char *dir, const char *name, char **text)
{
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_autofree char *raw = NULL;
	gsize len;
	if (!g_file_get_contents (path, &raw, &len, NULL)) {
		g_autofree char *lower = g_ascii_strdown (name, -1);
		g_free (path);
		path = g_build_filename (dir, lower, NULL);
		if (!g_file_get_contents (path, &raw, &len, NULL))
			return FALSE;
	}
	*text = key_record_text (raw, MIN (len, 64 * 1024));
	return TRUE;
}

static gboolean
key_from_dns (const char *name, char **text)
{
	g_atomic_int_inc (&n_dns_lookups);
	g_autoptr (GResolver) res = g_resolver_get_default ();
	GList *recs = g_resolver_lookup_records (res, name, G_RESOLVER_RECORD_TXT, NULL, NULL);
	if (!recs)
		return FALSE;
	GString *s = NULL;
	for (GList *l = recs; l && !s; l = l->next) {
		g_autofree const char **parts = NULL;
		g_variant_get (l->data, "(^a&s)", &parts);
		GString *t = g_string_new (NULL);
		for (int i = 0; parts && parts[i]; i++)
			g_string_append (t, parts[i]);
		if (!l->next || g_str_has_prefix (t->str, "v=DKIM1"))
			s = t;
		else
			g_string_free (t, TRUE);
	}
	g_list_free_full (recs, (GDestroyNotify) g_variant_unref);
	if (!s)
		return FALSE;
	g_autofree char *raw = g_string_free (s, FALSE);
	*text = key_record_text (raw, strlen (raw));
	return TRUE;
}

static DKIM_CBSTAT
key_lookup (DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	Ctx *ctx = dkim_get_user_context (dkim);
	const char *domain = (const char *) dkim_sig_getdomain (sig);
	const char *selector = (const char *) dkim_sig_getselector (sig);
	if (!ctx || !safe_name (domain) || !safe_name (selector))
		return DKIM_CBSTAT_NOTFOUND;
	g_autofree char *name = g_strdup_printf ("%s._domainkey.%s", selector, domain);
	g_autofree char *text = NULL;
	gboolean found = ctx->opts->key_dir && key_from_dir (ctx->opts->key_dir, name, &text);
	if (!found && ctx->opts->dns)
		found = key_from_dns (name, &text);
	if (!found)
		return DKIM_CBSTAT_NOTFOUND;
	if (strlen (text) + 1 > buflen)
		return DKIM_CBSTAT_ERROR;
	memcpy (buf, text, strlen (text) + 1);
	return DKIM_CBSTAT_CONTINUE;
}

/* ---- verification -------------------------------------------------------- */

static TrawlDkimStatus
classify (DKIM_SIGINFO *sig)
{
	unsigned flags = dkim_sig_getflags (sig);
	int bh = dkim_sig_getbh (sig);
	if ((flags & DKIM_SIGFLAG_PASSED) && bh == DKIM_SIGBH_MATCH)
		return TRAWL_DKIM_VERIFIED;
	switch (dkim_sig_geterror (sig)) {
	case DKIM_SIGERROR_EXPIRED:
	case DKIM_SIGERROR_FUTURE:
	case DKIM_SIGERROR_TIMESTAMPS:
		return TRAWL_DKIM_EXPIRED;
	case DKIM_SIGERROR_NOKEY:
	case DKIM_SIGERROR_KEYFAIL:
	case DKIM_SIGERROR_MULTIREPLY:
		return TRAWL_DKIM_KEY_UNAVAILABLE;
	case DKIM_SIGERROR_KEYREVOKED:
		return TRAWL_DKIM_KEY_REVOKED;
	case DKIM_SIGERROR_DNSSYNTAX:
	case DKIM_SIGERROR_KEYVERSION:
	case DKIM_SIGERROR_KEYUNKNOWNHASH:
	case DKIM_SIGERROR_KEYHASHMISMATCH:
	case DKIM_SIGERROR_NOTEMAILKEY:
	case DKIM_SIGERROR_KEYTYPEMISSING:
	case DKIM_SIGERROR_KEYTYPEUNKNOWN:
	case DKIM_SIGERROR_KEYDECODE:
	case DKIM_SIGERROR_KEYTOOSMALL:
		return TRAWL_DKIM_BAD_KEY;
	case DKIM_SIGERROR_OK:
	case DKIM_SIGERROR_BADSIG:
		if (bh == DKIM_SIGBH_MISMATCH)
			return TRAWL_DKIM_BODY_CHANGED;
		if (flags & DKIM_SIGFLAG_PROCESSED)
			return TRAWL_DKIM_HEADERS_CHANGED;
		return TRAWL_DKIM_KEY_UNAVAILABLE;
	default:
		return TRAWL_DKIM_BAD_SYNTAX;
	}
}

static char *
str_or_empty (const unsigned char *s)
{
	return g_strdup (s ? (const char *) s : "");
}

/* Whether the header block of DATA has a DKIM-Signature field at all. */
static gboolean
has_signature_field (const char *data, gsize len)
{
	static const char name[] = "dkim-signature:";
	gsize n = sizeof name - 1;
	for (gsize i = 0; i + n <= len; ) {
		if (data[i] == '\n' || (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			return FALSE;	/* the end of the header */
		if (g_ascii_strncasecmp (data + i, name, n) == 0)
			return TRUE;
		const char *nl = memchr (data + i, '\n', len - i);
		if (!nl)
			return FALSE;
		i = (gsize) (nl - data) + 1;
	}
	return FALSE;
}

GPtrArray *
trawl_dkim_verify_data (const char *data, gsize len, const TrawlDkimOptions *opts, GError **error)
{
	static const TrawlDkimOptions none = { 0 };
	Ctx ctx = { opts ? opts : &none };
	g_atomic_int_inc (&n_verifications);
	/* An mbox "From " line is not part of the message. */
	if (len > 5 && memcmp (data, "From ", 5) == 0) {
		const char *nl = memchr (data, '\n', len);
		gsize skip = nl ? (gsize) (nl - data) + 1 : len;
		data += skip;
		len -= skip;
	}
	GPtrArray *out = g_ptr_array_new_with_free_func (result_free);
	if (!has_signature_field (data, len))
		return out;
	DKIM_LIB *lib = dkim_init (NULL, NULL);
	if (!lib) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libopendkim could not start");
		g_ptr_array_unref (out);
		return NULL;
	}
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF | DKIM_LIBFLAGS_BADSIGHANDLES;
	dkim_options (lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
	dkim_set_key_lookup (lib, key_lookup);
	DKIM_STAT st;
	DKIM *dkim = dkim_verify (lib, (const unsigned char *) "trawl", NULL, &st);
	if (!dkim) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libopendkim: %s", dkim_getresultstr (st));
		dkim_close (lib);
		g_ptr_array_unref (out);
		return NULL;
	}
	dkim_set_user_context (dkim, &ctx);
	/* Whatever the feeding returns, the signatures' own results say what
	 * happened (a message with only bad signatures stops at dkim_eoh). */
	(void) dkim_chunk (dkim, (u_char *) data, len);
	(void) dkim_chunk (dkim, NULL, 0);
	(void) dkim_eom (dkim, NULL);
	DKIM_SIGINFO **sigs = NULL;
	int nsigs = 0;
	if (dkim_getsiglist (dkim, &sigs, &nsigs) == DKIM_STAT_OK) {
		for (int i = 0; i < nsigs; i++) {
			TrawlDkimResult *r = g_new0 (TrawlDkimResult, 1);
			r->domain = str_or_empty (dkim_sig_getdomain (sigs[i]));
			r->selector = str_or_empty (dkim_sig_getselector (sigs[i]));
			r->algorithm = str_or_empty (dkim_sig_getalgorithm (sigs[i]));
			r->status = classify (sigs[i]);
			int err = dkim_sig_geterror (sigs[i]);
			const char *why = err != DKIM_SIGERROR_OK ? dkim_sig_geterrorstr (err) : NULL;
			r->text = g_strdup (r->status == TRAWL_DKIM_VERIFIED ? "" :
					    r->status == TRAWL_DKIM_BODY_CHANGED ? "body hash mismatch" :
					    why ? why : trawl_dkim_status_name (r->status));
			g_ptr_array_add (out, r);
		}
	}
	if (out->len == 0) {
		/* A DKIM-Signature libopendkim could not even list. */
		TrawlDkimResult *r = g_new0 (TrawlDkimResult, 1);
		r->domain = g_strdup ("");
		r->selector = g_strdup ("");
		r->algorithm = g_strdup ("");
		r->status = TRAWL_DKIM_BAD_SYNTAX;
		r->text = g_strdup (dkim_geterror (dkim) ? dkim_geterror (dkim) : "unreadable DKIM-Signature");
		g_ptr_array_add (out, r);
	}
	dkim_free (dkim);
	dkim_close (lib);
	return out;
}

GPtrArray *
trawl_dkim_verify_file (const char *path, const TrawlDkimOptions *opts, GError **error)
{
	g_autoptr (GMappedFile) f = g_mapped_file_new (path, FALSE, error);
	if (!f)
		return NULL;
	return trawl_dkim_verify_data (g_mapped_file_get_contents (f), g_mapped_file_get_length (f), opts, error);
}
