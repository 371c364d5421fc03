/* charset.c — text in its declared charset to UTF-8.
 *
 *  Text      converted to UTF-8 from the declared charset (GMime's charset
 *            aliases, iconv); fallbacks: valid UTF-8 as is, else
 *            windows-1252, each announced by a WARNING.  NUL bytes become
 *            U+FFFD (with a WARNING, by the caller).  Nothing else is
 *            removed: the UI sanitises.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"

/* windows-1252 to UTF-8; the five undefined bytes map to the C1 code point
 * of the same value (as latin-1 would), so no byte is lost. */
static const guint16 cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static char *
from_cp1252 (const char *data, gsize len, gsize *out_len)
{
	GString *s = g_string_sized_new (len + len / 4 + 1);
	for (gsize i = 0; i < len; i++) {
		guchar b = (guchar) data[i];
		if (b < 0x80)
			g_string_append_c (s, (char) b);
		else if (b < 0xA0)
			g_string_append_unichar (s, cp1252_high[b - 0x80]);
		else
			g_string_append_unichar (s, b);
	}
	*out_len = s->len;
	return g_string_free (s, FALSE);
}

/* Lower-case with '-', '_', ' ' and '.' removed, for comparing names. */
static char *
squash_charset (const char *cs)
{
	GString *s = g_string_new (NULL);
	for (const char *p = cs; *p; p++)
		if (*p != '-' && *p != '_' && *p != ' ' && *p != '.')
			g_string_append_c (s, g_ascii_tolower (*p));
	return g_string_free (s, FALSE);
}

static gboolean
cs_in (const char *squashed, const char *const *names)
{
	for (; *names; names++)
		if (strcmp (squashed, *names) == 0)
			return TRUE;
	return FALSE;
}

static const char *const utf8_names[] = { "utf8", "unicode11utf8", "xunicode20utf8", NULL };
static const char *const ascii_names[] = { "usascii", "ascii", "ansix341968", "646", "us", NULL };
static const char *const western_names[] = {
	"iso88591", "latin1", "l1", "windows1252", "cp1252", "iso885915", "latin9", "ibm819", "cp819", NULL
};

static gboolean
has_8bit (const char *data, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar) data[i] >= 0x80)
			return TRUE;
	return FALSE;
}

/* Whether DATA is valid UTF-8, NUL bytes allowed (GLib's validator stops
 * at them). */
static gboolean
utf8_valid_nul (const char *data, gsize len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *z = memchr (p, '\0', (gsize) (end - p));
		gsize seg = z ? (gsize) (z - p) : (gsize) (end - p);
		if (!g_utf8_validate_len (p, seg, NULL))
			return FALSE;
		p += seg + (z ? 1 : 0);
	}
	return TRUE;
}

/* LEN bytes (NULs and all), NUL-terminated. */
static char *
dup_bytes (const char *data, gsize len)
{
	char *s = g_malloc (len + 1);
	if (len > 0)
		memcpy (s, data, len);
	s[len] = '\0';
	return s;
}

/* See mime-private.h. */
char *
mime_to_utf8 (const char *data, gsize len, const char *charset, gsize *out_len, char **warning)
{
	*warning = NULL;
	gboolean valid = utf8_valid_nul (data, len);
	gboolean eight = has_8bit (data, len);

	if (charset == NULL || *charset == '\0') {
		if (valid) {
			if (eight)
				*warning = g_strdup ("no charset declared: 8-bit text shown as UTF-8");
			*out_len = len;
			return dup_bytes (data, len);
		}
		*warning = g_strdup ("no charset declared and not UTF-8: shown as windows-1252");
		return from_cp1252 (data, len, out_len);
	}

	char *sq = squash_charset (charset);
	gboolean is_utf8 = cs_in (sq, utf8_names);
	gboolean is_ascii = cs_in (sq, ascii_names);
	gboolean is_western = cs_in (sq, western_names);
	g_free (sq);

	if (is_utf8 || is_ascii) {
		if (valid) {
			if (is_ascii && eight)
				*warning = g_strdup_printf ("labelled %s but holds 8-bit text: shown as UTF-8", charset);
			*out_len = len;
			return dup_bytes (data, len);
		}
		*warning = g_strdup_printf ("labelled %s but not valid UTF-8: shown as windows-1252", charset);
		return from_cp1252 (data, len, out_len);
	}
	if (is_western && eight && valid) {
		/* Latin-1 text is practically never valid multi-byte UTF-8. */
		*warning = g_strdup_printf ("labelled %s but is UTF-8: shown as UTF-8", charset);
		*out_len = len;
		return dup_bytes (data, len);
	}
	if (!eight && !g_str_has_prefix (charset, "utf-16") && !g_str_has_prefix (charset, "UTF-16") &&
	    g_ascii_strncasecmp (charset, "utf-7", 5) != 0 && g_ascii_strncasecmp (charset, "iso-2022", 8) != 0 &&
	    g_ascii_strncasecmp (charset, "utf-32", 6) != 0 && g_ascii_strncasecmp (charset, "hz", 2) != 0) {
		/* 7-bit text in an ASCII-compatible charset: nothing to convert
		 * (and no need to know the charset). */
		*out_len = len;
		return dup_bytes (data, len);
	}

	if (is_western && g_ascii_strncasecmp (charset, "iso-8859-15", 11) != 0 &&
	    g_ascii_strncasecmp (charset, "iso8859-15", 10) != 0 &&
	    g_ascii_strcasecmp (charset, "latin9") != 0)
		return from_cp1252 (data, len, out_len);	/* the web's reading of latin-1 */

	const char *iconv_name = g_mime_charset_iconv_name (charset);
	GError *err = NULL;
	gsize written = 0;
	char *conv = g_convert (data, (gssize) len, "UTF-8", iconv_name, NULL, &written, &err);
	if (conv != NULL && utf8_valid_nul (conv, written)) {
		*out_len = written;
		return conv;
	}
	g_free (conv);
	gboolean unknown = err && err->code == G_CONVERT_ERROR_NO_CONVERSION;
	g_clear_error (&err);
	if (valid) {
		*warning = g_strdup_printf ("%s charset \"%s\": shown as UTF-8",
					    unknown ? "unknown" : "text not valid in", charset);
		*out_len = len;
		return dup_bytes (data, len);
	}
	*warning = g_strdup_printf ("%s charset \"%s\": shown as windows-1252",
				    unknown ? "unknown" : "text not valid in", charset);
	return from_cp1252 (data, len, out_len);
}

guint
mime_nuls_to_fffd (char **text, gsize *len)
{
	const char *t = *text;
	gsize n = *len;
	if (!memchr (t, '\0', n))
		return 0;
	/* NUL bytes cannot live in C strings: U+FFFD stands for each. */
	GString *s = g_string_sized_new (n + 16);
	guint nuls = 0;
	for (gsize i = 0; i < n; i++) {
		if (t[i] == '\0') {
			g_string_append (s, "\xEF\xBF\xBD");
			nuls++;
		} else {
			g_string_append_c (s, t[i]);
		}
	}
	g_free (*text);
	*len = s->len;
	*text = g_string_free (s, FALSE);
	return nuls;
}
