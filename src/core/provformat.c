/* provformat.c — a message's provenance as text: the lines the provenance
 * view shows, and the same as one string to copy (include/trawl/provenance.h).
 * Curses-free; every line is sanitised (trawl_sanitize). */
#include "config.h"

#include <string.h>

#include "trawl/provenance.h"
#include "trawl/sanitize.h"

TrawlProvenanceInfo *
trawl_provenance_info_new (void)
{
	TrawlProvenanceInfo *p = g_new0 (TrawlProvenanceInfo, 1);
	p->files = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_prov_file_free);
	p->hops = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_received_hop_free);
	p->auth = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_auth_summary_free);
	p->warnings = g_ptr_array_new_with_free_func (g_free);
	return p;
}

void
trawl_prov_file_free (TrawlProvFile *f)
{
	if (!f)
		return;
	g_free (f->path);
	g_free (f->relpath);
	g_free (f->sha256);
	g_free (f->error);
	g_free (f->import_source);
	g_free (f->import_location);
	g_free (f->import_run);
	g_free (f->import_file);
	g_free (f);
}

void
trawl_received_hop_free (TrawlReceivedHop *h)
{
	if (!h)
		return;
	g_free (h->raw);
	g_free (h->note);
	g_free (h->from);
	g_free (h->by);
	g_free (h->via);
	g_free (h->with);
	g_free (h->id);
	g_free (h->for_);
	g_free (h->date);
	g_free (h);
}

void
trawl_auth_summary_free (TrawlAuthSummary *a)
{
	if (!a)
		return;
	g_free (a->header);
	g_free (a->summary);
	g_free (a);
}

void
trawl_provenance_info_free (TrawlProvenanceInfo *p)
{
	if (!p)
		return;
	g_free (p->message_id);
	g_free (p->thread_id);
	g_free (p->tags);
	g_ptr_array_unref (p->files);
	g_free (p->analysed);
	g_free (p->read_error);
	g_free (p->date);
	g_ptr_array_unref (p->hops);
	g_ptr_array_unref (p->auth);
	g_ptr_array_unref (p->warnings);
	g_free (p->dkim_verification);
	g_free (p->archive);
	g_free (p);
}

char *
trawl_duration_text (gint64 seconds)
{
	char sign = seconds < 0 ? '-' : '+';
	guint64 s = seconds < 0 ? (guint64) -(seconds + 1) + 1 : (guint64) seconds;
	if (s < 60)
		return g_strdup_printf ("%c%" G_GUINT64_FORMAT "s", sign, s);
	if (s < 3600)
		return g_strdup_printf ("%c%" G_GUINT64_FORMAT "m%02" G_GUINT64_FORMAT "s", sign, s / 60, s % 60);
	if (s < 86400)
		return g_strdup_printf ("%c%" G_GUINT64_FORMAT "h%02" G_GUINT64_FORMAT "m", sign, s / 3600,
					s % 3600 / 60);
	return g_strdup_printf ("%c%" G_GUINT64_FORMAT "d%02" G_GUINT64_FORMAT "h", sign, s / 86400,
				s % 86400 / 3600);
}

static char *
utc_text (gint64 t)
{
	GDateTime *dt = g_date_time_new_from_unix_utc (t);
	if (!dt)
		return g_strdup ("(out of range)");
	char *s = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
	g_date_time_unref (dt);
	return s;
}

static void G_GNUC_PRINTF (2, 3)
line (GPtrArray *out, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	g_autofree char *s = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	g_ptr_array_add (out, trawl_sanitize (s, -1));
}

static void
files_lines (GPtrArray *out, const TrawlProvenanceInfo *p)
{
	guint n = p->files->len;
	line (out, "Files: %u%s", n,
	      n < 2 ? "" : p->files_differ ? " (their bytes differ)" : " (identical bytes)");
	for (guint i = 0; i < n; i++) {
		const TrawlProvFile *f = p->files->pdata[i];
		line (out, "  %u. %s", i + 1, f->relpath);
		if (!f->sha256) {
			line (out, "     unreadable: %s", f->error ? f->error : "unknown error");
			continue;
		}
		g_autofree char *mt = utc_text (f->mtime);
		line (out, "     size %" G_GINT64_FORMAT " bytes, mtime %s", f->size, mt);
		if (n < 2)
			line (out, "     sha256 %s", f->sha256);
		else if (f->same_as)
			line (out, "     sha256 %s (same bytes as file %u)", f->sha256, f->same_as);
		else if (i > 0)
			line (out, "     sha256 %s (differs from file%s before it)", f->sha256, i > 1 ? "s" : "");
		else
			line (out, "     sha256 %s", f->sha256);
		if (f->import_source)
			line (out, "     imported from %s at %s, run %s", f->import_source,
			      f->import_location ? f->import_location : "?", f->import_run ? f->import_run : "?");
		else if (f->import_pending)
			line (out, "     import record: looking it up in manifest.jsonl (%u%%)...", p->import_percent);
		else if (f->import_file)
			line (out, "     import record: none in manifest.jsonl");
	}
}

static const char *
skew_words (guint flags)
{
	if (flags & TRAWL_HOP_NEGATIVE)
		return "  !! negative delay: clock skew or forgery";
	if (flags & TRAWL_HOP_SLOW)
		return "  !! over a day: clock skew or forgery";
	return "";
}

static void
hop_lines (GPtrArray *out, guint i, const TrawlReceivedHop *h)
{
	if (h->flags & TRAWL_HOP_UNPARSED) {
		line (out, "  hop %u  !! unparsable Received line, shown raw:", i + 1);
		line (out, "    %s", h->raw);
		return;
	}
	g_autofree char *when = h->has_time ? utc_text (h->time)
		: g_strdup (h->flags & TRAWL_HOP_NO_DATE ? "(no date)" : "(date unparsable)");
	g_autofree char *delay = h->has_delay ? trawl_duration_text (h->delay) : NULL;
	line (out, "  hop %u  %s%s%s%s%s", i + 1, when, delay ? "  delay " : "", delay ? delay : "",
	      skew_words (h->flags),
	      h->flags & TRAWL_HOP_NO_DATE ? "  !! no date in this Received line"
	      : h->flags & TRAWL_HOP_BAD_DATE ? "  !! its date does not parse" : "");
	if (h->note)
		line (out, "    %s", h->note);
	const struct { const char *k; const char *v; } f[] = {
		{ "from", h->from }, { "by", h->by }, { "via", h->via }, { "with", h->with },
		{ "id", h->id }, { "for", h->for_ },
	};
	for (guint k = 0; k < G_N_ELEMENTS (f); k++)
		if (f[k].v)
			line (out, "    %-5s %s", f[k].k, f[k].v);
	if (h->date)
		line (out, "    date  %s", h->date);
}

GPtrArray *
trawl_provenance_lines (const TrawlProvenanceInfo *p)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	if (p->synthesised)
		line (out, "Message-ID: %s (synthesised by notmuch: the message has no Message-ID)",
		      p->message_id ? p->message_id : "");
	else
		line (out, "Message-ID: <%s>", p->message_id ? p->message_id : "");
	line (out, "Thread: %s", p->thread_id ? p->thread_id : "(none)");
	line (out, "Tags: %s", p->tags && *p->tags ? p->tags : "(none)");
	line (out, "%s", "");
	files_lines (out, p);
	line (out, "%s", "");
	if (p->read_error) {
		line (out, "Headers: no file could be read: %s", p->read_error);
	} else {
		if (p->analysed && p->files->len > 1)
			line (out, "Headers below are from file %s", p->analysed);
		/* The Date, against the first hop that has a time. */
		const TrawlReceivedHop *first = NULL;
		for (guint i = 0; i < p->hops->len && !first; i++)
			if (((TrawlReceivedHop *) p->hops->pdata[i])->has_time)
				first = p->hops->pdata[i];
		if (!p->date) {
			line (out, "Date: no Date header");
		} else if (!p->has_date_time) {
			line (out, "Date: %s  !! does not parse", p->date);
		} else {
			g_autofree char *u = utc_text (p->date_time);
			line (out, "Date: %s (%s)", p->date, u);
			if (first) {
				gint64 d = first->time - p->date_time;
				g_autofree char *dt = trawl_duration_text (d);
				line (out, "  first hop %s after the Date%s", dt,
				      d < 0 ? "  !! before the Date: clock skew or forgery"
				      : d > TRAWL_HOP_MAX_DELAY ? "  !! over a day: clock skew or forgery" : "");
			}
		}
		line (out, "%s", "");
		guint bad = 0;
		for (guint i = 0; i < p->hops->len; i++)
			if (((TrawlReceivedHop *) p->hops->pdata[i])->flags & TRAWL_HOP_UNPARSED)
				bad++;
		if (!p->hops->len)
			line (out, "Received: none");
		else if (bad)
			line (out, "Received: %u hops, oldest first (%u unparsable)", p->hops->len, bad);
		else
			line (out, "Received: %u hop%s, oldest first", p->hops->len, p->hops->len == 1 ? "" : "s");
		for (guint i = 0; i < p->hops->len; i++)
			hop_lines (out, i, p->hops->pdata[i]);
		line (out, "%s", "");
		if (!p->auth->len)
			line (out, "Authentication headers: none");
		else
			line (out, "Authentication headers: %u", p->auth->len);
		for (guint i = 0; i < p->auth->len; i++) {
			const TrawlAuthSummary *a = p->auth->pdata[i];
			line (out, "  %s: %s", a->header, a->summary);
		}
		if (!p->dkim_verification)
			line (out, "DKIM verification: not run (press V)");
		else {
			/* The verdict, then one line a signature. */
			g_auto (GStrv) v = g_strsplit (p->dkim_verification, "\n", -1);
			line (out, "DKIM verification: %s", v[0]);
			for (guint i = 1; v[i]; i++)
				line (out, "  %s", v[i]);
		}
		line (out, "%s", "");
		if (!p->warnings->len)
			line (out, "Parse warnings: none");
		else
			line (out, "Parse warnings: %u", p->warnings->len);
		for (guint i = 0; i < p->warnings->len; i++)
			line (out, "  %s", (const char *) p->warnings->pdata[i]);
	}
	return out;
}

char *
trawl_provenance_format (const TrawlProvenanceInfo *p)
{
	g_autoptr (GPtrArray) lines = trawl_provenance_lines (p);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < lines->len; i++) {
		g_string_append (s, lines->pdata[i]);
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}
