/* test-wrap.c — trawl_expand_tabs() and trawl_text_wrap(). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "trawl/sanitize.h"
#include "trawl/wrap.h"

/* Wraps TEXT at WIDTH and compares with the '|'-separated EXPECT. */
static void
check_wrap (const char *text, int width, const char *expect)
{
	GPtrArray *lines = trawl_text_wrap (text, width);
	GString *got = g_string_new (NULL);
	for (guint i = 0; i < lines->len; i++) {
		const char *l = g_ptr_array_index (lines, i);
		if (i > 0)
			g_string_append_c (got, '|');
		g_string_append (got, l);
		/* Never wider than WIDTH unless one character is. */
		int w = trawl_text_width (l);
		if (w > width) {
			g_assert_cmpint (g_utf8_strlen (l, -1), ==, 1);
		}
		g_assert_true (g_utf8_validate (l, -1, NULL));
	}
	g_assert_cmpstr (got->str, ==, expect);
	g_string_free (got, TRUE);
	g_ptr_array_unref (lines);
}

static void
test_tabs (void)
{
	char *s;
	s = trawl_expand_tabs ("a\tb");
	g_assert_cmpstr (s, ==, "a       b");
	g_free (s);
	s = trawl_expand_tabs ("\t");
	g_assert_cmpstr (s, ==, "        ");
	g_free (s);
	s = trawl_expand_tabs ("1234567\tx\t");
	g_assert_cmpstr (s, ==, "1234567 x       ");
	g_free (s);
	s = trawl_expand_tabs ("12345678\tx");
	g_assert_cmpstr (s, ==, "12345678        x");
	g_free (s);
	/* Wide characters count two columns. */
	s = trawl_expand_tabs ("日本\tx");
	g_assert_cmpstr (s, ==, "日本    x");
	g_free (s);
	s = trawl_expand_tabs ("é\tx");
	g_assert_cmpstr (s, ==, "é       x");
	g_free (s);
	/* Combining marks count zero. */
	s = trawl_expand_tabs ("e\xcc\x81\tx");
	g_assert_cmpstr (s, ==, "e\xcc\x81       x");
	g_free (s);
	/* A newline restarts the column. */
	s = trawl_expand_tabs ("abc\n\tx");
	g_assert_cmpstr (s, ==, "abc\n        x");
	g_free (s);
	s = trawl_expand_tabs ("");
	g_assert_cmpstr (s, ==, "");
	g_free (s);
	s = trawl_expand_tabs (NULL);
	g_assert_cmpstr (s, ==, "");
	g_free (s);
	s = trawl_expand_tabs ("no tabs");
	g_assert_cmpstr (s, ==, "no tabs");
	g_free (s);
}

static void
test_words (void)
{
	check_wrap ("the quick brown fox", 10, "the quick|brown fox");
	check_wrap ("the quick brown fox", 19, "the quick brown fox");
	check_wrap ("the quick brown fox", 18, "the quick brown|fox");
	check_wrap ("a b c d", 3, "a b|c d");
	/* Spaces at a break are dropped; inside a line they are kept. */
	check_wrap ("one   two     three", 9, "one   two|three");
	/* Leading indentation kept, trailing spaces dropped. */
	check_wrap ("  indented text", 20, "  indented text");
	check_wrap ("  indented text here", 12, "  indented|text here");
	check_wrap ("trailing   ", 20, "trailing");
	check_wrap ("exact", 5, "exact");
}

static void
test_long_words (void)
{
	check_wrap ("abcdefghij", 4, "abcd|efgh|ij");
	check_wrap ("ab abcdefghij cd", 4, "ab|abcd|efgh|ij|cd");
	check_wrap ("https://example.com/a/very/long/url", 10,
		    "https://ex|ample.com/|a/very/lon|g/url");
	/* The tail of a broken word shares its line with what follows. */
	check_wrap ("abcdef gh", 4, "abcd|ef|gh");
	check_wrap ("abcde f", 4, "abcd|e f");
}

static void
test_wide (void)
{
	/* CJK: two columns each, never split. */
	check_wrap ("日本語のテキスト", 6, "日本語|のテキ|スト");
	check_wrap ("日本語のテキスト", 5, "日本|語の|テキ|スト");
	check_wrap ("日本 語", 4, "日本|語");
	/* Emoji are wide too. */
	check_wrap ("🎉🎉🎉", 4, "🎉🎉|🎉");
	check_wrap ("ab🎉", 3, "ab|🎉");
	/* A combining sequence stays whole. */
	check_wrap ("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, "e\xcc\x81" "e\xcc\x81|e\xcc\x81");
	/* Mixed. */
	check_wrap ("café 日本 ok", 7, "café|日本 ok");
}

static void
test_width_one (void)
{
	check_wrap ("abc", 1, "a|b|c");
	check_wrap ("a b", 1, "a|b");
	/* A wide character wider than the line gets a line of its own. */
	check_wrap ("日本", 1, "日|本");
	check_wrap ("a日b", 1, "a|日|b");
	/* Width 0 or negative is treated as 1. */
	check_wrap ("ab", 0, "a|b");
	check_wrap ("ab", -5, "a|b");
}

static void
test_empty (void)
{
	check_wrap ("", 10, "");
	check_wrap (NULL, 10, "");
	GPtrArray *l = trawl_text_wrap ("", 10);
	g_assert_cmpuint (l->len, ==, 1);
	g_ptr_array_unref (l);
	check_wrap ("   ", 10, "   ");
}

static void
test_sanitized_input (void)
{
	/* What the UI passes: sanitised text; escapes are plain ASCII. */
	char *s = trawl_sanitize ("a\x1b[31mred", -1);
	check_wrap (s, 4, "a^[[|31mr|ed");
	g_free (s);
}

static void
test_many (void)
{
	/* Every width over a long mixed text: no line too wide, nothing lost. */
	const char *text = "Grüße aus 東京 — the meeting is at 10:00 🎉 see https://example.org/x/y/z ok";
	for (int w = 1; w <= 90; w++) {
		GPtrArray *lines = trawl_text_wrap (text, w);
		GString *joined = g_string_new (NULL);
		for (guint i = 0; i < lines->len; i++) {
			const char *l = g_ptr_array_index (lines, i);
			int lw = trawl_text_width (l);
			if (lw > w)
				g_assert_cmpint (g_utf8_strlen (l, -1), ==, 1);
			g_assert_true (g_utf8_validate (l, -1, NULL));
			for (const char *p = l; *p; p++)
				if (*p != ' ')
					g_string_append_c (joined, *p);
		}
		GString *want = g_string_new (NULL);
		for (const char *p = text; *p; p++)
			if (*p != ' ')
				g_string_append_c (want, *p);
		g_assert_cmpstr (joined->str, ==, want->str);
		g_string_free (want, TRUE);
		g_string_free (joined, TRUE);
		g_ptr_array_unref (lines);
	}
}

int
main (int argc, char **argv)
{
	if (!trawl_locale_init ()) {
		g_printerr ("no UTF-8 locale\n");
		return 77;
	}
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/wrap/tabs", test_tabs);
	g_test_add_func ("/wrap/words", test_words);
	g_test_add_func ("/wrap/long-words", test_long_words);
	g_test_add_func ("/wrap/wide", test_wide);
	g_test_add_func ("/wrap/width-one", test_width_one);
	g_test_add_func ("/wrap/empty", test_empty);
	g_test_add_func ("/wrap/sanitized", test_sanitized_input);
	g_test_add_func ("/wrap/many", test_many);
	return g_test_run ();
}
