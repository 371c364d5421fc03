/* test-provenance.c — Received parsing on real-world shapes, delays and
 * skew flags, authentication summaries, GMime's parse warnings, and the
 * provenance text (include/trawl/provenance.h). */
#include "config.h"

#include <string.h>

#include "trawl/mime.h"
#include "trawl/provenance.h"
#include "trawl/sanitize.h"

typedef struct {
	const char *name;
	const char *value;
	const char *note, *from, *by, *via, *with, *id, *for_, *date;
	gint64 time;		/* 0: none */
	guint flags;
} Shape;

static const Shape shapes[] = {
	{ "sendmail",
	  "from mail.example.com (mail.example.com [192.0.2.1])\n\tby mx.example.org (8.14.4/8.14.4) with ESMTP id q02F0012345\n\tfor <bob@example.org>; Mon, 2 Jan 2012 10:00:00 -0500",
	  NULL, "mail.example.com (mail.example.com [192.0.2.1])", "mx.example.org (8.14.4/8.14.4)", NULL,
	  "ESMTP", "q02F0012345", "<bob@example.org>", "Mon, 2 Jan 2012 10:00:00 -0500", 1325516400, 0 },
	{ "postfix",
	  "from mail.example.com (unknown [192.0.2.1]) by mx.example.org (Postfix) with ESMTPS id 4F1A2B3C4D for <bob@example.org>; Tue, 3 Jan 2012 15:04:05 +0000 (UTC)",
	  NULL, "mail.example.com (unknown [192.0.2.1])", "mx.example.org (Postfix)", NULL, "ESMTPS", "4F1A2B3C4D",
	  "<bob@example.org>", "Tue, 3 Jan 2012 15:04:05 +0000 (UTC)", 1325603045, 0 },
	{ "exim",
	  "from [192.0.2.7] (helo=laptop)\n by smtp.example.net with esmtpsa (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256)\n (Exim 4.92) (envelope-from <a@example.net>) id 1abcDE-0001xY-Fg; Wed, 04 Jan 2012 09:00:00 +0100",
	  NULL, "[192.0.2.7] (helo=laptop)", "smtp.example.net", NULL,
	  "esmtpsa (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (Exim 4.92) (envelope-from <a@example.net>)",
	  "1abcDE-0001xY-Fg", NULL, "Wed, 04 Jan 2012 09:00:00 +0100", 1325664000, 0 },
	{ "qmail", "(qmail 1234 invoked from network); 5 Jan 2012 12:00:00 -0000",
	  "(qmail 1234 invoked from network)", NULL, NULL, NULL, NULL, NULL, NULL, "5 Jan 2012 12:00:00 -0000",
	  1325764800, 0 },
	{ "microsoft",
	  "from AM6PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::1) by\r\n AM6PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:20b:2::2) with Microsoft SMTP Server\r\n (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1234.5;\r\n Thu, 5 Jan 2012 11:00:00 +0000",
	  NULL, "AM6PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::1)",
	  "AM6PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:20b:2::2)", NULL,
	  "Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)", "15.20.1234.5",
	  NULL, "Thu, 5 Jan 2012 11:00:00 +0000", 1325761200, 0 },
	{ "no with", "by mail.example.com (Postfix, from userid 1000) id 9A8B7C; Fri, 6 Jan 2012 08:00:00 +0100 (CET)",
	  NULL, NULL, "mail.example.com (Postfix, from userid 1000)", NULL, NULL, "9A8B7C", NULL,
	  "Fri, 6 Jan 2012 08:00:00 +0100 (CET)", 1325833200, 0 },
	{ "no date", "from a.example by b.example with SMTP",
	  NULL, "a.example", "b.example", NULL, "SMTP", NULL, NULL, NULL, 0, TRAWL_HOP_NO_DATE },
	{ "bad date", "from a.example by b.example; yesterday at noon",
	  NULL, "a.example", "b.example", NULL, NULL, NULL, NULL, "yesterday at noon", 0, TRAWL_HOP_BAD_DATE },
	{ "garbage", "this is not a received line; Mon, 2 Jan 2012 10:00:00 -0500",
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, "Mon, 2 Jan 2012 10:00:00 -0500", 1325516400, TRAWL_HOP_UNPARSED },
	{ "empty keyword", "from by x; Mon, 2 Jan 2012 10:00:00 -0500",
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, "Mon, 2 Jan 2012 10:00:00 -0500", 1325516400, TRAWL_HOP_UNPARSED },
	{ "unclosed comment", "from x (oops by y",
	  NULL, "x (oops by y", NULL, NULL, NULL, NULL, NULL, NULL, 0, TRAWL_HOP_NO_DATE },
};

static void
test_shapes (void)
{
	for (guint i = 0; i < G_N_ELEMENTS (shapes); i++) {
		const Shape *s = &shapes[i];
		g_test_message ("shape %s", s->name);
		TrawlReceivedHop *h = trawl_received_parse (s->value);
		g_assert_cmpstr (h->note, ==, s->note);
		g_assert_cmpstr (h->from, ==, s->from);
		g_assert_cmpstr (h->by, ==, s->by);
		g_assert_cmpstr (h->via, ==, s->via);
		g_assert_cmpstr (h->with, ==, s->with);
		g_assert_cmpstr (h->id, ==, s->id);
		g_assert_cmpstr (h->for_, ==, s->for_);
		g_assert_cmpstr (h->date, ==, s->date);
		g_assert_cmpint (h->has_time, ==, s->time != 0);
		if (s->time)
			g_assert_cmpint (h->time, ==, s->time);
		g_assert_cmpuint (h->flags, ==, s->flags);
		g_assert_null (strchr (h->raw, '\n'));
		trawl_received_hop_free (h);
	}
}

static void
test_chain (void)
{
	const char *v[] = {
		"from a by b; Mon, 2 Jan 2012 10:00:00 +0000",
		"from b by c; Mon, 2 Jan 2012 10:00:05 +0000",
		"from c by d; Mon, 2 Jan 2012 09:00:00 +0000",		/* an hour back */
		"garbage",
		"from d by e; Wed, 4 Jan 2012 09:00:00 +0000",		/* two days on */
		"from e by f; Wed, 4 Jan 2012 09:02:05 +0000",
	};
	g_autoptr (GPtrArray) hops = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_received_hop_free);
	for (guint i = 0; i < G_N_ELEMENTS (v); i++)
		g_ptr_array_add (hops, trawl_received_parse (v[i]));
	trawl_received_chain (hops);
	TrawlReceivedHop **h = (TrawlReceivedHop **) hops->pdata;
	g_assert_false (h[0]->has_delay);
	g_assert_true (h[1]->has_delay);
	g_assert_cmpint (h[1]->delay, ==, 5);
	g_assert_cmpuint (h[1]->flags, ==, 0);
	g_assert_cmpint (h[2]->delay, ==, -3605);
	g_assert_cmpuint (h[2]->flags, ==, TRAWL_HOP_NEGATIVE);
	g_assert_cmpuint (h[3]->flags, ==, TRAWL_HOP_UNPARSED | TRAWL_HOP_NO_DATE);
	g_assert_false (h[3]->has_delay);
	g_assert_cmpint (h[4]->delay, ==, 2 * 86400);
	g_assert_cmpuint (h[4]->flags, ==, TRAWL_HOP_SLOW);
	g_assert_cmpint (h[5]->delay, ==, 125);
	g_assert_cmpuint (h[5]->flags, ==, 0);

	const struct { gint64 s; const char *t; } d[] = {
		{ 0, "+0s" }, { 5, "+5s" }, { 125, "+2m05s" }, { -3605, "-1h00m" }, { 2 * 86400 + 3 * 3600, "+2d03h" },
		{ G_MININT64, "-106751991167300d15h" },
	};
	for (guint i = 0; i < G_N_ELEMENTS (d); i++) {
		g_autofree char *t = trawl_duration_text (d[i].s);
		g_assert_cmpstr (t, ==, d[i].t);
	}
}

static void
test_auth (void)
{
	const struct { const char *name, *value, *summary; guint malformed; } a[] = {
		{ "DKIM-Signature",
		  "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;\r\n\ts=sel1; h=from:to:subject; bh=abc=; b=xyz\r\n\tdef==",
		  "d=example.com s=sel1 a=rsa-sha256", 0 },
		{ "dkim-signature", "v=1; garbage here; d=x.org; =nothing; s", "d=x.org s=(none) a=(none) malformed: \"garbage here\" malformed: \"=nothing\" malformed: \"s\"", 3 },
		{ "ARC-Seal", "i=1; a=rsa-sha256; t=1600000000; cv=none; d=google.com; s=arc-20160816; b=AAAA",
		  "i=1 cv=none d=google.com s=arc-20160816 a=rsa-sha256", 0 },
		{ "ARC-Message-Signature", "i=2; a=rsa-sha256; c=relaxed/relaxed; d=list.example; s=arc; h=from; bh=x; b=y",
		  "i=2 d=list.example s=arc a=rsa-sha256", 0 },
		{ "Authentication-Results",
		  "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=sel1 header.b=abcd;\r\n       spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com",
		  "mx.google.com: dkim=pass header.i=@example.com header.s=sel1 header.b=abcd; spf=pass smtp.mailfrom=a@example.com; dmarc=pass header.from=example.com", 0 },
		{ "Authentication-Results", "mx.example.org; none", "mx.example.org: none", 0 },
		{ "Authentication-Results", "mx.example.org; what is this; spf=fail", "mx.example.org: malformed: \"what is this\"; spf=fail", 1 },
		{ "ARC-Authentication-Results", "i=1; mx.example.org; spf=pass smtp.mailfrom=x.org",
		  "i=1 mx.example.org: spf=pass smtp.mailfrom=x.org", 0 },
		{ "Authentication-Results", "", "(no authserv-id): (no results)", 0 },
	};
	for (guint i = 0; i < G_N_ELEMENTS (a); i++) {
		TrawlAuthSummary *s = trawl_auth_summarise (a[i].name, a[i].value);
		g_assert_nonnull (s);
		g_assert_cmpstr (s->summary, ==, a[i].summary);
		g_assert_cmpuint (s->malformed, ==, a[i].malformed);
		trawl_auth_summary_free (s);
	}
	g_assert_null (trawl_auth_summarise ("Subject", "x"));
}

static TrawlProvenanceInfo *
read_message (const char *text)
{
	TrawlProvenanceInfo *p = trawl_provenance_info_new ();
	p->message_id = g_strdup ("m@example.org");
	p->thread_id = g_strdup ("0000000000000001");
	p->tags = g_strdup ("inbox");
	trawl_provenance_read_bytes (p, text, strlen (text));
	return p;
}

static void
test_warnings (void)
{
	g_autoptr (TrawlProvenanceInfo) nb = read_message (
		"From: a@example.org\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\n--x\n\nbody\n--x--\n");
	g_assert_cmpuint (nb->warnings->len, >=, 1);
	gboolean seen = FALSE;
	for (guint i = 0; i < nb->warnings->len; i++)
		seen |= g_str_has_prefix (nb->warnings->pdata[i], "a multipart without a boundary parameter");
	g_assert_true (seen);

	g_autoptr (TrawlProvenanceInfo) bad = read_message (
		"From: a@example.org\nSubject: x\nBad Header Line: y\nDate: Mon, 2 Jan 2012 10:00:00 +0000\n\nbody\n");
	g_assert_cmpuint (bad->warnings->len, >=, 1);
	seen = FALSE;
	for (guint i = 0; i < bad->warnings->len; i++)
		seen |= g_str_has_prefix (bad->warnings->pdata[i], "an invalid header name");
	g_assert_true (seen);

	g_autoptr (TrawlProvenanceInfo) ok = read_message ("From: a@example.org\nSubject: x\n\nbody\n");
	g_assert_cmpuint (ok->warnings->len, ==, 0);
	g_assert_null (ok->date);
}

static void
test_format (void)
{
	g_autoptr (TrawlProvenanceInfo) p = read_message (
		"Received: from c.example by d.example with ESMTP; Mon, 2 Jan 2012 10:00:30 +0000\n"
		"Received: this is not one\n"
		"Received: from b.example by c.example; Mon, 2 Jan 2012 10:00:00 +0000\n"
		"Received: (qmail 1234 invoked from network); 2 Jan 2012 09:59:58 -0000\n"
		"DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=k1; b=x\n"
		"Date: Mon, 2 Jan 2012 04:59:00 -0500\n"
		"From: a@example.org\n"
		"Subject: \033[31mred\n\nbody\n");
	TrawlProvFile *f = g_new0 (TrawlProvFile, 1);
	f->path = g_strdup ("/mail/cur/1");
	f->relpath = g_strdup ("cur/1");
	f->size = 123;
	f->mtime = 1325498400;
	f->sha256 = g_strdup ("aa");
	g_ptr_array_add (p->files, f);
	f = g_new0 (TrawlProvFile, 1);
	f->path = g_strdup ("/mail/cur/2");
	f->relpath = g_strdup ("cur/2\033[2J");
	f->size = 124;
	f->mtime = 1325498401;
	f->sha256 = g_strdup ("bb");
	f->import_source = g_strdup ("/dump.mbox");
	f->import_location = g_strdup ("{\"offset\":0}");
	f->import_run = g_strdup ("run-1");
	g_ptr_array_add (p->files, f);
	p->files_differ = TRUE;
	p->analysed = g_strdup ("cur/1");
	g_autofree char *text = trawl_provenance_format (p);
	g_autofree char *esc = trawl_sanitize ("cur/2\033[2J", -1);
	g_autofree char *want = g_strdup_printf (
		"Message-ID: <m@example.org>\n"
		"Thread: 0000000000000001\n"
		"Tags: inbox\n"
		"\n"
		"Files: 2 (their bytes differ)\n"
		"  1. cur/1\n"
		"     size 123 bytes, mtime 2012-01-02 10:00:00 UTC\n"
		"     sha256 aa\n"
		"  2. %s\n"
		"     size 124 bytes, mtime 2012-01-02 10:00:01 UTC\n"
		"     sha256 bb (differs from file before it)\n"
		"     imported from /dump.mbox at {\"offset\":0}, run run-1\n"
		"\n"
		"Headers below are from file cur/1\n"
		"Date: Mon, 2 Jan 2012 04:59:00 -0500 (2012-01-02 09:59:00 UTC)\n"
		"  first hop +58s after the Date\n"
		"\n"
		"Received: 4 hops, oldest first (1 unparsable)\n"
		"  hop 1  2012-01-02 09:59:58 UTC\n"
		"    (qmail 1234 invoked from network)\n"
		"    date  2 Jan 2012 09:59:58 -0000\n"
		"  hop 2  2012-01-02 10:00:00 UTC  delay +2s\n"
		"    from  b.example\n"
		"    by    c.example\n"
		"    date  Mon, 2 Jan 2012 10:00:00 +0000\n"
		"  hop 3  !! unparsable Received line, shown raw:\n"
		"    this is not one\n"
		"  hop 4  2012-01-02 10:00:30 UTC  delay +30s\n"
		"    from  c.example\n"
		"    by    d.example\n"
		"    with  ESMTP\n"
		"    date  Mon, 2 Jan 2012 10:00:30 +0000\n"
		"\n"
		"Authentication headers: 1\n"
		"  DKIM-Signature: d=example.org s=k1 a=rsa-sha256\n"
		"DKIM verification: not run (press V)\n"
		"\n"
		"Parse warnings: none\n", esc);
	g_assert_cmpstr (text, ==, want);
	g_assert_null (strchr (text, '\033'));

	/* No Date, synthesised id, forty hops: the counts and the last hop. */
	GString *m = g_string_new (NULL);
	for (int i = 39; i >= 0; i--)
		g_string_append_printf (m, "Received: from h%d by h%d; Mon, 2 Jan 2012 10:%02d:00 +0000\n", i, i + 1, i);
	g_string_append (m, "From: a@example.org\n\nbody\n");
	g_autoptr (TrawlProvenanceInfo) q = trawl_provenance_info_new ();
	q->message_id = g_strdup ("notmuch-sha1-0123456789abcdef0123456789abcdef01234567");
	q->synthesised = TRUE;
	trawl_provenance_read_bytes (q, m->str, m->len);
	g_string_free (m, TRUE);
	g_assert_cmpuint (q->hops->len, ==, 40);
	g_autofree char *qt = trawl_provenance_format (q);
	g_assert_nonnull (strstr (qt, "Message-ID: notmuch-sha1-0123456789abcdef0123456789abcdef01234567 (synthesised by notmuch: the message has no Message-ID)\n"));
	g_assert_nonnull (strstr (qt, "\nDate: no Date header\n"));
	g_assert_nonnull (strstr (qt, "\nReceived: 40 hops, oldest first\n  hop 1  2012-01-02 10:00:00 UTC\n    from  h0\n"));
	g_assert_nonnull (strstr (qt, "\n  hop 40  2012-01-02 10:39:00 UTC  delay +1m00s\n    from  h39\n    by    h40\n"));
	g_assert_nonnull (strstr (qt, "\nFiles: 0\n"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	trawl_mime_init ();
	g_test_add_func ("/provenance/received-shapes", test_shapes);
	g_test_add_func ("/provenance/chain", test_chain);
	g_test_add_func ("/provenance/auth", test_auth);
	g_test_add_func ("/provenance/warnings", test_warnings);
	g_test_add_func ("/provenance/format", test_format);
	return g_test_run ();
}
