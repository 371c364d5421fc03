/* dkim.h — DKIM verification of a message file with libopendkim.  Never
 * curses.
 *
 * Keys come from a key directory (TXT records saved one per file named
 * SELECTOR._domainkey.DOMAIN, as `dig +short TXT` prints them: quotes,
 * whitespace and newlines are tolerated) and, only when DNS is allowed,
 * from DNS (GLib's resolver).  Nothing here touches the network unless
 * TrawlDkimOptions.dns is TRUE: with a key directory and dns TRUE a key
 * missing from the directory is looked up in DNS; with dns FALSE it is
 * "key unavailable".
 *
 * The work is O(message): one pass over the file, one key lookup per
 * signature.  Safe to call from any thread (each call has its own handle). */
#ifndef TRAWL_DKIM_H
#define TRAWL_DKIM_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TRAWL_DKIM_VERIFIED,		/* header and body hashes match */
	TRAWL_DKIM_BODY_CHANGED,	/* the body hash does not match */
	TRAWL_DKIM_HEADERS_CHANGED,	/* the body matches, the signed headers do not */
	TRAWL_DKIM_KEY_UNAVAILABLE,	/* no key (not in the directory, not in DNS, or DNS not allowed) */
	TRAWL_DKIM_KEY_REVOKED,		/* the key record has an empty p= */
	TRAWL_DKIM_BAD_KEY,		/* the key record is not a usable key (garbage) */
	TRAWL_DKIM_BAD_SYNTAX,		/* the DKIM-Signature itself is malformed */
	TRAWL_DKIM_EXPIRED,		/* x= is in the past (or t= in the future) */
	TRAWL_DKIM_N_STATUS
} TrawlDkimStatus;

typedef struct {
	const char *key_dir;	/* NULL: no key directory */
	gboolean dns;		/* TRUE: DNS lookups allowed (for keys not in key_dir) */
} TrawlDkimOptions;

/* One DKIM-Signature of a message, in header order.  Strings are never NULL
 * ("" when the signature did not say); they come from the message: pass
 * them through trawl_sanitize before showing them. */
typedef struct {
	char *domain;		/* d= */
	char *selector;		/* s= */
	char *algorithm;	/* a=, e.g. "rsa-sha256" */
	TrawlDkimStatus status;
	char *text;		/* human text: libopendkim's reason, e.g. "signature mismatch" */
} TrawlDkimResult;

/* Verifies every DKIM-Signature of the message in the file PATH.  Returns
 * a GPtrArray of TrawlDkimResult (freed with the array; empty: the message
 * is not signed), or NULL with ERROR when the file cannot be read or the
 * library fails. */
GPtrArray *trawl_dkim_verify_file (const char *path, const TrawlDkimOptions *opts, GError **error);
/* The same over message bytes in memory. */
GPtrArray *trawl_dkim_verify_data (const char *data, gsize len, const TrawlDkimOptions *opts, GError **error);

/* "verified", "body changed", "headers changed", "key unavailable",
 * "key revoked", "bad key", "bad signature syntax", "expired". */
const char *trawl_dkim_status_name (TrawlDkimStatus status);
/* The overall word for a message's results: "pass" (every signature
 * verified), "fail" (any did not) or "none" (not signed). */
const char *trawl_dkim_summary (const GPtrArray *results);
/* One line for RESULTS, e.g. "verified (example.com, sel1)" or
 * "BODY CHANGED (example.com, sel1); verified (other.org, s2)"; failures in
 * capitals; "not signed" when empty.  Not sanitised; newly allocated. */
char *trawl_dkim_describe (const GPtrArray *results);

/* Operation counts (every thread): messages verified, DNS lookups made. */
guint trawl_dkim_verifications (void);
guint trawl_dkim_dns_lookups (void);

/* `trawl verify [--dkim-keys DIR] [--dns] [--tag] QUERY...` (src/export/
 * verify.c): parses its own arguments, returns the exit status. */
int trawl_verify_main (int argc, char **argv);

G_END_DECLS

#endif
