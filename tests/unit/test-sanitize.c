/* test-sanitize.c — trawl_sanitize(), trawl_text_width(), trawl_text_fit(). */
#include "config.h"

#include <string.h>

#include "trawl/sanitize.h"

static gboolean have_utf8;

#define REQUIRE_UTF8()                                                  \
	do {                                                            \
		if (!have_utf8) {                                       \
			g_test_skip ("no UTF-8 locale available");      \
			return;                                         \
		}                                                       \
	} while (0)

typedef struct {
	const char *in;
	gssize len;
	const char *out;
} Case;

static void
check_cases (const Case *cases, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		char *got = trawl_sanitize (cases[i].in, cases[i].len);
		g_assert_cmpstr (got, ==, cases[i].out);
		g_free (got);
	}
}

static gboolean
is_bidi (gunichar c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* The promise of the header: valid UTF-8, no C0 byte, no DEL, no C1 or bidi
 * code point, nor any of the other code points we chose to make visible. */
static void
assert_safe (const char *s)
{
	g_assert_true (g_utf8_validate (s, -1, NULL));
	for (const char *p = s; *p; p++) {
		guchar b = (guchar) *p;
		g_assert_cmpuint (b, >=, 0x20);
		g_assert_cmpuint (b, !=, 0x7F);
	}
	for (const char *p = s; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		g_assert_false (c >= 0x80 && c <= 0x9F);
		g_assert_false (is_bidi (c));
		g_assert_cmpuint (c, !=, 0x2028);
		g_assert_cmpuint (c, !=, 0x2029);
		g_assert_cmpuint (c, !=, 0xFEFF);
		g_assert_false (c >= 0xFFF9 && c <= 0xFFFB);
	}
}

/* ---- sanitize: what is kept */

static void
test_ascii_unchanged (void)
{
	const char *s = "Re: [PATCH v2 3/7] foo: fix bar() ~ {x} | `y` \\ 100%";
	char *got = trawl_sanitize (s, -1);
	g_assert_cmpstr (got, ==, s);
	g_free (got);

	/* Every printable ASCII character. */
	char all[96];
	for (int i = 0; i < 95; i++)
		all[i] = (char) (0x20 + i);
	all[95] = '\0';
	got = trawl_sanitize (all, -1);
	g_assert_cmpstr (got, ==, all);
	g_free (got);
}

static void
test_utf8_unchanged (void)
{
	REQUIRE_UTF8 ();
	static const char *const keep[] = {
		"caf\xc3\xa9",                                  /* café */
		"\xe6\xbc\xa2\xe5\xad\x97",                     /* 漢字 */
		"\xf0\x9f\x98\x80",                             /* 😀 */
		"e\xcc\x81",                                    /* e + COMBINING ACUTE */
		"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",             /* שלום (RTL letters are fine) */
		"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", /* 👨‍👩 (ZWJ kept) */
		("a\xe2\x80\x8b" "b"),                          /* ZWSP kept */
		"\xe2\x9d\xa4\xef\xb8\x8f",                     /* ❤️ (VS16 kept) */
		"\xc2\xa0\xc2\xad",                             /* NBSP, SOFT HYPHEN */
		"\xef\xbf\xbd",                                 /* U+FFFD itself */
		"\xe3\x80\x80",                                 /* IDEOGRAPHIC SPACE */
	};
	for (gsize i = 0; i < G_N_ELEMENTS (keep); i++) {
		char *got = trawl_sanitize (keep[i], -1);
		g_assert_cmpstr (got, ==, keep[i]);
		g_free (got);
	}
}

static void
test_empty_and_null (void)
{
	char *got = trawl_sanitize ("", -1);
	g_assert_cmpstr (got, ==, "");
	g_free (got);
	got = trawl_sanitize ("abc", 0);
	g_assert_cmpstr (got, ==, "");
	g_free (got);
	got = trawl_sanitize (NULL, -1);
	g_assert_cmpstr (got, ==, "");
	g_free (got);
	/* LEN bounds the input even without a NUL. */
	got = trawl_sanitize ("abcdef", 3);
	g_assert_cmpstr (got, ==, "abc");
	g_free (got);
}

/* ---- sanitize: terminal controls */

static void
test_escape_sequences (void)
{
	static const Case cases[] = {
		{ "\x1b[2J", -1, "^[[2J" },                       /* clear screen */
		{ "\x1b[31mred\x1b[0m", -1, "^[[31mred^[[0m" },
		{ "\x1b]0;x\x07", -1, "^[]0;x^G" },               /* OSC title, BEL */
		{ "\x1b]0;x\x1b\\", -1, "^[]0;x^[\\" },           /* OSC title, ST */
		{ "\x1b]52;c;cm0gLXJmIH4=\x07", -1, "^[]52;c;cm0gLXJmIH4=^G" }, /* OSC 52 */
		{ "\x1bP+q544e\x1b\\", -1, "^[P+q544e^[\\" },      /* DCS */
		{ "\x1b" "c", -1, "^[c" },                         /* RIS */
		{ "a\x08" "b", -1, "a^Hb" },                       /* backspace */
		{ "a\x7f", -1, "a^?" },                            /* DEL */
		{ "\x0b\x0c", -1, "^K^L" },                        /* VT, FF are not spaces */
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_nul_in_buffer (void)
{
	static const Case cases[] = {
		{ "a\0b", 3, "a^@b" },
		{ "a\0b", -1, "a" },
		{ "\0\0", 2, "^@^@" },
		{ "\xe6\0\xa2", 3, "\\xE6^@\\xA2" }, /* NUL inside a sequence */
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_whitespace_to_space (void)
{
	static const Case cases[] = {
		{ "a\tb", -1, "a b" },
		{ "a\r\nb", -1, "a  b" },
		{ "line1\nline2", -1, "line1 line2" },
		{ "\t\t", -1, "  " },
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_c0_caret_table (void)
{
	for (int b = 0; b < 0x20; b++) {
		char in[1] = { (char) b };
		char *got = trawl_sanitize (in, 1);
		if (b == '\t' || b == '\n' || b == '\r') {
			g_assert_cmpstr (got, ==, " ");
		} else {
			char want[3] = { '^', (char) (b + 0x40), '\0' };
			g_assert_cmpstr (got, ==, want);
		}
		g_free (got);
	}
}

static void
test_c1_controls (void)
{
	/* U+009B is CSI: "ESC [" in one character on some terminals. */
	static const Case cases[] = {
		{ "\xc2\x9b" "2J", -1, "<U+009B>2J" },
		{ "\xc2\x9d" "0;x\xc2\x9c", -1, "<U+009D>0;x<U+009C>" }, /* OSC .. ST */
	};
	check_cases (cases, G_N_ELEMENTS (cases));

	for (gunichar c = 0x80; c <= 0x9F; c++) {
		char in[8] = { 0 };
		g_unichar_to_utf8 (c, in);
		char *want = g_strdup_printf ("<U+%04X>", c);
		char *got = trawl_sanitize (in, -1);
		g_assert_cmpstr (got, ==, want);
		g_free (got);
		g_free (want);
	}
}

static void
test_invalid_utf8 (void)
{
	static const Case cases[] = {
		{ "\x9b" "2J", -1, "\\x9B2J" },                 /* raw 8-bit CSI */
		{ "\xff\xfe", -1, "\\xFF\\xFE" },
		{ "\x80", -1, "\\x80" },                        /* lone continuation */
		{ "\xe6\xbc", -1, "\\xE6\\xBC" },               /* truncated 漢 */
		{ "\xe6" "a", -1, "\\xE6a" },                   /* resynchronises */
		{ "\xc0\xaf", -1, "\\xC0\\xAF" },               /* overlong '/' */
		{ "\xe0\x80\xaf", -1, "\\xE0\\x80\\xAF" },      /* overlong '/' */
		{ "\xc1\x9b", -1, "\\xC1\\x9B" },               /* overlong ESC-ish */
		{ "\xed\xa0\x80", -1, "\\xED\\xA0\\x80" },      /* surrogate D800 */
		{ "\xf4\x90\x80\x80", -1, "\\xF4\\x90\\x80\\x80" }, /* > U+10FFFF */
		{ "\xf8\x88\x80\x80\x80", -1, "\\xF8\\x88\\x80\\x80\\x80" }, /* 5-byte */
		{ "caf\xe9", -1, "caf\\xE9" },                  /* Latin-1 é */
		{ "\xe6\xbc\xa2", 2, "\\xE6\\xBC" },            /* cut by LEN */
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_bidi_controls (void)
{
	static const gunichar bidi[] = {
		0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
		0x2066, 0x2067, 0x2068, 0x2069,
	};
	for (gsize i = 0; i < G_N_ELEMENTS (bidi); i++) {
		char enc[8] = { 0 };
		g_unichar_to_utf8 (bidi[i], enc);
		char *in = g_strconcat ("invoice", enc, "fdp.exe", NULL);
		char *want = g_strdup_printf ("invoice<U+%04X>fdp.exe", bidi[i]);
		char *got = trawl_sanitize (in, -1);
		g_assert_cmpstr (got, ==, want);
		assert_safe (got);
		g_free (got);
		g_free (want);
		g_free (in);
	}
}

static void
test_other_visible (void)
{
	static const Case cases[] = {
		{ "a\xe2\x80\xa8" "b", -1, "a<U+2028>b" },     /* LINE SEPARATOR */
		{ "a\xe2\x80\xa9" "b", -1, "a<U+2029>b" },     /* PARAGRAPH SEPARATOR */
		{ "\xef\xbb\xbfhi", -1, "<U+FEFF>hi" },        /* BOM / ZWNBSP */
		{ "\xef\xbf\xb9\xef\xbf\xba\xef\xbf\xbb", -1,
		  "<U+FFF9><U+FFFA><U+FFFB>" },                /* annotation controls */
		{ "\xef\xbf\xbe", -1, "<U+FFFE>" },            /* noncharacter */
		{ "\xef\xbf\xbf", -1, "<U+FFFF>" },            /* noncharacter */
		{ "\xcd\xb8", -1, "<U+0378>" },                /* unassigned */
		{ "\xf4\x8f\xbf\xbf", -1, "<U+10FFFF>" },      /* 6 hex digits */
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

/* ---- sanitize: properties */

static void
test_every_single_byte (void)
{
	for (int b = 0; b < 256; b++) {
		char in[1] = { (char) b };
		char *got = trawl_sanitize (in, 1);
		assert_safe (got);
		g_assert_cmpuint (strlen (got), >=, 1);
		if (b >= 0x20 && b < 0x7F)
			g_assert_cmpint (got[0], ==, b);
		else if (b >= 0x80) {
			char want[5];
			g_snprintf (want, sizeof want, "\\x%02X", (unsigned) b);
			g_assert_cmpstr (got, ==, want);
		}
		g_free (got);
	}
}

static void
test_every_code_point (void)
{
	/* Each valid code point comes out as itself or as <U+XXXX>. */
	for (gunichar c = 0; c <= 0x10FFFF; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		char in[8] = { 0 };
		int n = g_unichar_to_utf8 (c, in);
		char *got = trawl_sanitize (in, n);
		assert_safe (got);
		if (c >= 0x20 && c != 0x7F && strcmp (got, in) != 0) {
			char *want = g_strdup_printf ("<U+%04X>", c);
			g_assert_cmpstr (got, ==, want);
			g_free (want);
		}
		g_free (got);
	}
}

/* Random byte strings drawn from a fixed seed, biased towards the bytes that
 * matter: controls, C1, lead bytes of bidi controls, continuation bytes. */
static char *
random_bytes (GRand *rand, gsize *len)
{
	static const char *const pieces[] = {
		"\x1b", "\x07", "\x00", "\x7f", "\x9b", "\xc2", "\xc2\x9b",
		"\xe2\x80\xae", "\xe2\x81\xa6", "\xd8\x9c", "\xef\xbb\xbf",
		"\xe6\xbc\xa2", "\xf0\x9f\x98\x80", "\xcc\x81", "\xe2\x80",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\t", "\n", "a", "[",
	};
	static const gsize piece_len[] = {
		1, 1, 1, 1, 1, 1, 2, 3, 3, 2, 3, 3, 4, 2, 2, 3, 4, 1, 1, 1, 1,
	};
	G_STATIC_ASSERT (G_N_ELEMENTS (pieces) == G_N_ELEMENTS (piece_len));

	GString *s = g_string_new (NULL);
	int parts = g_rand_int_range (rand, 0, 40);
	for (int i = 0; i < parts; i++) {
		if (g_rand_boolean (rand)) {
			g_string_append_c (s, (char) g_rand_int_range (rand, 0, 256));
		} else {
			gsize k = (gsize) g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces));
			g_string_append_len (s, pieces[k], piece_len[k]);
		}
	}
	*len = s->len;
	return g_string_free (s, FALSE);
}

static void
test_random_bytes (void)
{
	GRand *rand = g_rand_new_with_seed (20240601);
	for (int i = 0; i < 20000; i++) {
		gsize len;
		char *in = random_bytes (rand, &len);
		char *got = trawl_sanitize (in, (gssize) len);
		assert_safe (got);

		/* Idempotent: sanitized text has nothing left to escape. */
		char *again = trawl_sanitize (got, -1);
		g_assert_cmpstr (again, ==, got);

		/* Width measures raw text the way it will be rendered. */
		if (memchr (in, '\0', len) == NULL)
			g_assert_cmpint (trawl_text_width (in), ==, trawl_text_width (got));

		/* Fitting never splits a character and never overflows. */
		int cols = g_rand_int_range (rand, 0, 30);
		int used = -1;
		gsize fit = trawl_text_fit (got, cols, &used);
		g_assert_cmpuint (fit, <=, strlen (got));
		g_assert_true (g_utf8_validate (got, (gssize) fit, NULL));
		g_assert_cmpint (used, >=, 0);
		g_assert_cmpint (used, <=, cols);
		char *prefix = g_strndup (got, fit);
		g_assert_cmpint (trawl_text_width (prefix), ==, used);
		g_free (prefix);
		if (got[fit] != '\0' && cols > 0) {
			/* The next character really would not fit. */
			const char *next = g_utf8_next_char (got + fit);
			char *one = g_strndup (got + fit, next - (got + fit));
			g_assert_cmpint (used + trawl_text_width (one), >, cols);
			g_free (one);
		}

		g_free (again);
		g_free (got);
		g_free (in);
	}
	g_rand_free (rand);
}

/* ---- width and fit */

static void
test_width (void)
{
	REQUIRE_UTF8 ();
	g_assert_cmpint (trawl_text_width (""), ==, 0);
	g_assert_cmpint (trawl_text_width (NULL), ==, 0);
	g_assert_cmpint (trawl_text_width ("abc"), ==, 3);
	g_assert_cmpint (trawl_text_width ("caf\xc3\xa9"), ==, 4);
	g_assert_cmpint (trawl_text_width ("\xe6\xbc\xa2\xe5\xad\x97"), ==, 4);
	g_assert_cmpint (trawl_text_width ("\xf0\x9f\x98\x80"), ==, 2);
	g_assert_cmpint (trawl_text_width ("e\xcc\x81"), ==, 1);
	g_assert_cmpint (trawl_text_width ("^[[2J"), ==, 5);
	g_assert_cmpint (trawl_text_width ("<U+202E>"), ==, 8);
	/* Unsanitized input is measured as it would be rendered. */
	g_assert_cmpint (trawl_text_width ("\x1b[2J"), ==, 5);
	g_assert_cmpint (trawl_text_width ("\xe2\x80\xae"), ==, 8);
	g_assert_cmpint (trawl_text_width ("\x9b"), ==, 4);
	g_assert_cmpint (trawl_text_width ("\t"), ==, 1);
}

static void
test_fit (void)
{
	REQUIRE_UTF8 ();
	const char *kanji = "\xe6\xbc\xa2\xe5\xad\x97"; /* 漢字 */
	int used = -1;

	/* A 2-column character does not fit in the last column. */
	g_assert_cmpuint (trawl_text_fit (kanji, 3, &used), ==, 3);
	g_assert_cmpint (used, ==, 2);
	g_assert_cmpuint (trawl_text_fit (kanji, 1, &used), ==, 0);
	g_assert_cmpint (used, ==, 0);
	g_assert_cmpuint (trawl_text_fit ("a\xe6\xbc\xa2", 2, &used), ==, 1);
	g_assert_cmpint (used, ==, 1);

	/* Exact fit, and more room than needed. */
	g_assert_cmpuint (trawl_text_fit (kanji, 4, &used), ==, 6);
	g_assert_cmpint (used, ==, 4);
	g_assert_cmpuint (trawl_text_fit ("abc", 3, &used), ==, 3);
	g_assert_cmpint (used, ==, 3);
	g_assert_cmpuint (trawl_text_fit ("abc", 80, &used), ==, 3);
	g_assert_cmpint (used, ==, 3);

	/* Zero or negative columns. */
	g_assert_cmpuint (trawl_text_fit ("abc", 0, &used), ==, 0);
	g_assert_cmpint (used, ==, 0);
	g_assert_cmpuint (trawl_text_fit ("abc", -5, &used), ==, 0);
	g_assert_cmpint (used, ==, 0);
	g_assert_cmpuint (trawl_text_fit ("", 10, &used), ==, 0);
	g_assert_cmpint (used, ==, 0);

	/* A combining mark stays with its base; emoji are 2 columns. */
	g_assert_cmpuint (trawl_text_fit ("e\xcc\x81x", 1, &used), ==, 3);
	g_assert_cmpint (used, ==, 1);
	g_assert_cmpuint (trawl_text_fit ("\xf0\x9f\x98\x80!", 2, &used), ==, 4);
	g_assert_cmpint (used, ==, 2);

	/* Escapes are never split either. */
	g_assert_cmpuint (trawl_text_fit ("ab\x1b", 3, &used), ==, 2);
	g_assert_cmpint (used, ==, 2);

	/* USED may be NULL. */
	g_assert_cmpuint (trawl_text_fit ("abc", 2, NULL), ==, 2);
}

static void
test_locale_init (void)
{
	/* Idempotent, and agrees with what main() found. */
	g_assert_cmpint (trawl_locale_init (), ==, have_utf8);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	have_utf8 = trawl_locale_init ();

	g_test_add_func ("/sanitize/ascii-unchanged", test_ascii_unchanged);
	g_test_add_func ("/sanitize/utf8-unchanged", test_utf8_unchanged);
	g_test_add_func ("/sanitize/empty-and-null", test_empty_and_null);
	g_test_add_func ("/sanitize/escape-sequences", test_escape_sequences);
	g_test_add_func ("/sanitize/nul-in-buffer", test_nul_in_buffer);
	g_test_add_func ("/sanitize/whitespace-to-space", test_whitespace_to_space);
	g_test_add_func ("/sanitize/c0-caret-table", test_c0_caret_table);
	g_test_add_func ("/sanitize/c1-controls", test_c1_controls);
	g_test_add_func ("/sanitize/invalid-utf8", test_invalid_utf8);
	g_test_add_func ("/sanitize/bidi-controls", test_bidi_controls);
	g_test_add_func ("/sanitize/other-visible", test_other_visible);
	g_test_add_func ("/sanitize/every-single-byte", test_every_single_byte);
	g_test_add_func ("/sanitize/every-code-point", test_every_code_point);
	g_test_add_func ("/sanitize/random-bytes", test_random_bytes);
	g_test_add_func ("/width/basic", test_width);
	g_test_add_func ("/width/fit", test_fit);
	g_test_add_func ("/locale/init", test_locale_init);

	return g_test_run ();
}
