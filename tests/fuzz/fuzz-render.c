/* fuzz-render.c — the MIME renderer: a whole message's bytes to display
 * lines (trawl_mime_render_bytes), with the built-in HTML renderer only (no
 * program is ever run).  The first byte also picks the options (all
 * headers, which alternative, quote folding), and is still part of the
 * message.  Checked on every line, header and part:
 *   - the text and labels are valid UTF-8 (mime.h: decoded, not sanitised);
 *   - after trawl_sanitize() no C0, DEL, C1 or bidi control is left;
 *   - every part's safe_filename is set, valid UTF-8, at most 200 bytes,
 *     without '/', '\\' or controls, not starting with '.', '-' or space;
 *   - an ATTACHMENT line's part indexes the parts;
 *   - trawl_rendered_dump() is clean (valid UTF-8, no control but '\n'). */
#include "config.h"

#include "trawl/mime.h"
#include "trawl/sanitize.h"

#include "fuzz.h"

static void
init_once (void)
{
	static gboolean done;
	if (done)
		return;
	done = TRUE;
	g_setenv ("TZ", "UTC", TRUE);
	trawl_locale_init ();
	trawl_mime_init ();
	fuzz_fatal_criticals ();
}

static void
check_sanitised (const char *s, const char *what)
{
	char *clean = trawl_sanitize (s, -1);
	fuzz_assert_clean (clean, what);
	g_free (clean);
}

static void
check_line (const TrawlRendered *r, const TrawlLine *l, const char *what)
{
	FUZZ_CHECK (l != NULL, "%s is NULL", what);
	FUZZ_CHECK (l->text != NULL, "%s has no text", what);
	FUZZ_CHECK (g_utf8_validate (l->text, -1, NULL), "%s text is not UTF-8: %s", what, l->text);
	check_sanitised (l->text, what);
	if (l->label) {
		FUZZ_CHECK (g_utf8_validate (l->label, -1, NULL), "%s label is not UTF-8: %s", what, l->label);
		check_sanitised (l->label, what);
	}
	if (l->type == TRAWL_LINE_ATTACHMENT)
		FUZZ_CHECK (l->part >= 0 && (guint) l->part < r->parts->len,
			    "%s: attachment line with part %d of %u", what, l->part, r->parts->len);
	else if (l->part >= 0)
		FUZZ_CHECK ((guint) l->part < r->parts->len, "%s: part %d of %u", what, l->part, r->parts->len);
}

static void
check_safe_filename (const TrawlPart *p)
{
	const char *f = p->safe_filename;
	FUZZ_CHECK (f != NULL && *f, "part %d has no safe file name", p->index);
	FUZZ_CHECK (g_utf8_validate (f, -1, NULL), "part %d file name is not UTF-8: %s", p->index, f);
	FUZZ_CHECK (strlen (f) <= 200, "part %d file name is %zu bytes", p->index, strlen (f));
	FUZZ_CHECK (f[0] != '.' && f[0] != '-', "part %d file name starts with '%c': %s", p->index, f[0], f);
	FUZZ_CHECK (!g_unichar_isspace (g_utf8_get_char (f)), "part %d file name starts with space: %s", p->index, f);
	for (const char *q = f; *q; q = g_utf8_next_char (q)) {
		gunichar c = g_utf8_get_char (q);
		FUZZ_CHECK (c != '/' && c != '\\', "part %d file name has a separator: %s", p->index, f);
		FUZZ_CHECK (!fuzz_is_control (c), "part %d file name has U+%04X: %s", p->index, (unsigned) c, f);
	}
	/* The function behind it agrees with itself on its own output. */
	char *again = trawl_mime_safe_filename (f, p->index);
	FUZZ_CHECK (strcmp (again, f) == 0, "safe file name not stable: '%s' -> '%s'", f, again);
	g_free (again);
	if (p->filename)
		FUZZ_CHECK (g_utf8_validate (p->filename, -1, NULL), "part %d filename is not UTF-8", p->index);
	FUZZ_CHECK (p->content_type && g_utf8_validate (p->content_type, -1, NULL),
		    "part %d content type missing or not UTF-8", p->index);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	init_once ();
	guint8 flags = size ? data[0] : 0;
	TrawlRenderOptions o = { 0 };
	o.html_command = "";	/* built-in only: never run a program */
	o.all_headers = flags & 1;
	o.alternative = (flags >> 1) & 3;
	o.quote_fold_min = (flags & 8) ? 3 : 0;
	o.now = (flags & 16) ? G_GINT64_CONSTANT (1718000000) : 0;

	TrawlRendered *r = trawl_mime_render_bytes ((const char *) data, size, &o);
	FUZZ_CHECK (r != NULL, "render of %zu bytes gave NULL", size);
	FUZZ_CHECK (r->lines && r->parts && r->headers, "render without lines, parts or headers");
	for (guint i = 0; i < r->lines->len; i++)
		check_line (r, r->lines->pdata[i], "line");
	for (guint i = 0; i < r->headers->len; i++) {
		const TrawlLine *h = r->headers->pdata[i];
		check_line (r, h, "header");
		FUZZ_CHECK (h->type == TRAWL_LINE_HEADER && h->label, "header %u is not a HEADER line", i);
	}
	for (guint i = 0; i < r->parts->len; i++) {
		const TrawlPart *p = r->parts->pdata[i];
		FUZZ_CHECK (p->index == (int) i, "part %u has index %d", i, p->index);
		check_safe_filename (p);
	}
	char *dump = trawl_rendered_dump (r);
	FUZZ_CHECK (g_utf8_validate (dump, -1, NULL), "dump is not UTF-8");
	for (const char *p = dump; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		FUZZ_CHECK (c == '\n' || !fuzz_is_control (c), "dump has U+%04X", (unsigned) c);
	}
	g_free (dump);
	trawl_rendered_free (r);
	return 0;
}
