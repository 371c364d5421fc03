/* test-lineedit.c — the prompts' line editor (trawl/lineedit.h): the keys,
 * history recall, Tab completion, text that is not UTF-8, and the cost of a
 * paste into the middle of a long line. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "trawl/lineedit.h"

/* Feeds the characters of KEYS (UTF-8; control characters are the emacs
 * keys). */
static void
type (TrawlLineEdit *le, const char *keys)
{
	for (const char *p = keys; *p; p = g_utf8_next_char (p))
		trawl_line_edit_key (le, (int) g_utf8_get_char (p));
}

/* The line with the cursor shown as '|'. */
static char *
shown (const TrawlLineEdit *le)
{
	g_autofree char *t = trawl_line_edit_text (le);
	const char *at = g_utf8_offset_to_pointer (t, (glong) trawl_line_edit_cursor (le));
	return g_strdup_printf ("%.*s|%s", (int) (at - t), t, at);
}

#define assert_line(le, expect) do { \
	g_autofree char *got_ = shown (le); \
	g_assert_cmpstr (got_, ==, expect); \
} while (0)

static void
test_keys (void)
{
	g_autoptr (TrawlLineEdit) le = trawl_line_edit_new ("héllo");
	assert_line (le, "héllo|");
	g_assert_cmpuint (trawl_line_edit_length (le), ==, 5);
	trawl_line_edit_key (le, TRAWL_LINE_KEY_LEFT);
	trawl_line_edit_key (le, 2);	/* C-b */
	assert_line (le, "hél|lo");
	type (le, "日本");
	assert_line (le, "hél日本|lo");
	g_assert_true (trawl_line_edit_char (le, 3) == 0x65E5);
	trawl_line_edit_key (le, TRAWL_LINE_KEY_BACKSPACE);
	assert_line (le, "hél日|lo");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_DELETE);
	assert_line (le, "hél日|o");
	trawl_line_edit_key (le, 4);	/* C-d */
	assert_line (le, "hél日|");
	trawl_line_edit_key (le, 4);	/* at the end: nothing */
	assert_line (le, "hél日|");
	trawl_line_edit_key (le, 1);	/* C-a */
	assert_line (le, "|hél日");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_LEFT);
	assert_line (le, "|hél日");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_BACKSPACE);
	assert_line (le, "|hél日");
	trawl_line_edit_key (le, 6);	/* C-f */
	trawl_line_edit_key (le, TRAWL_LINE_KEY_RIGHT);
	assert_line (le, "hé|l日");
	trawl_line_edit_key (le, 11);	/* C-k */
	assert_line (le, "hé|");
	type (le, " a_b, c  ");
	trawl_line_edit_key (le, 23);	/* C-w: the spaces, then c */
	assert_line (le, "hé a_b, |");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_KILL_WORD);	/* ", " then a_b */
	assert_line (le, "hé |");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_LEFT);
	trawl_line_edit_key (le, 21);	/* C-u */
	assert_line (le, "| ");
	trawl_line_edit_key (le, 5);	/* C-e */
	assert_line (le, " |");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_HOME);
	trawl_line_edit_key (le, TRAWL_LINE_KEY_END);
	assert_line (le, " |");

	/* Not characters: nothing happens, FALSE. */
	static const int not_keys[] = { '\t', '\r', 27, 7, 0, 0x7f, 3, 0xD800, 0xDFFF,
					 0x110000, -1, 0x40000000 | 0x104, TRAWL_LINE_KEY_LAST + 1 };
	for (guint i = 0; i < G_N_ELEMENTS (not_keys); i++)
		g_assert_false (trawl_line_edit_key (le, not_keys[i]));
	assert_line (le, " |");
	g_assert_true (trawl_line_edit_key (le, 0x10FFFF));
	g_assert_true (trawl_line_edit_key (le, 0x9F));	/* a C1 control is a character here; */
	g_assert_cmpuint (trawl_line_edit_length (le), ==, 3);	/* the display sanitises it */
}

static void
test_not_utf8 (void)
{
	/* A path in Latin-1, and one ending in half a character: each byte
	 * that is not UTF-8 is one U+FFFD, never a jump past the end. */
	g_autoptr (TrawlLineEdit) le = trawl_line_edit_new ("/tmp/caf\xe9");
	assert_line (le, "/tmp/caf\xef\xbf\xbd|");
	trawl_line_edit_set_text (le, "/srv/\xe6\x97");
	assert_line (le, "/srv/\xef\xbf\xbd\xef\xbf\xbd|");
	trawl_line_edit_set_text (le, "\xff" "a\xc3");
	assert_line (le, "\xef\xbf\xbd" "a\xef\xbf\xbd|");
	trawl_line_edit_set_text (le, NULL);
	assert_line (le, "|");
}

static void
test_history (void)
{
	g_autoptr (GPtrArray) h = g_ptr_array_new ();
	g_ptr_array_add (h, (gpointer) "first");
	g_ptr_array_add (h, (gpointer) "second");
	g_autoptr (TrawlLineEdit) le = trawl_line_edit_new ("");
	trawl_line_edit_set_history (le, h);
	type (le, "draft");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_NEXT);	/* already the newest */
	assert_line (le, "draft|");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_PREV);
	assert_line (le, "second|");
	trawl_line_edit_key (le, 16);	/* C-p */
	assert_line (le, "first|");
	trawl_line_edit_key (le, 16);	/* the oldest: stays */
	assert_line (le, "first|");
	type (le, "!");
	trawl_line_edit_key (le, 14);	/* C-n: an edit of an entry is dropped */
	assert_line (le, "second|");
	trawl_line_edit_key (le, TRAWL_LINE_KEY_NEXT);
	assert_line (le, "draft|");

	/* No history: the keys do nothing. */
	g_autoptr (TrawlLineEdit) none = trawl_line_edit_new ("x");
	g_assert_true (trawl_line_edit_key (none, TRAWL_LINE_KEY_PREV));
	assert_line (none, "x|");
}

static void
test_complete (void)
{
	g_autoptr (GPtrArray) c = g_ptr_array_new ();
	g_ptr_array_add (c, (gpointer) "tag:inbox");
	g_ptr_array_add (c, (gpointer) "tag:привет");
	g_ptr_array_add (c, (gpointer) "tag:пример");
	g_ptr_array_add (c, (gpointer) "tag:bad\xff" "x");
	g_autoptr (TrawlLineEdit) le = trawl_line_edit_new ("a +tag:i");
	g_autofree char *w = trawl_line_edit_word (le);
	g_assert_cmpstr (w, ==, "tag:i");
	g_assert_null (trawl_line_edit_complete (le, c));
	assert_line (le, "a +tag:inbox |");

	/* Several: the prefix they share, never half a character (при and
	 * the first byte of в and м). */
	trawl_line_edit_set_text (le, "(tag:п");
	g_autofree char *s = trawl_line_edit_complete (le, c);
	g_assert_cmpstr (s, ==, "tag:привет tag:пример");
	assert_line (le, "(tag:при|");
	g_autofree char *s2 = trawl_line_edit_complete (le, c);
	g_assert_cmpstr (s2, ==, s);
	assert_line (le, "(tag:при|");
	type (le, "м");
	g_assert_null (trawl_line_edit_complete (le, c));
	assert_line (le, "(tag:пример |");

	/* In the middle of the line: only the word before the cursor. */
	trawl_line_edit_set_text (le, "tag:in and");
	for (int i = 0; i < 4; i++)
		trawl_line_edit_key (le, TRAWL_LINE_KEY_LEFT);
	g_assert_null (trawl_line_edit_complete (le, c));
	assert_line (le, "tag:inbox | and");

	/* Not UTF-8: up to its first bad byte. */
	trawl_line_edit_set_text (le, "-tag:b");
	g_assert_null (trawl_line_edit_complete (le, c));
	assert_line (le, "-tag:bad |");

	/* Nothing fits: nothing changes. */
	trawl_line_edit_set_text (le, "zz");
	g_assert_null (trawl_line_edit_complete (le, c));
	g_assert_null (trawl_line_edit_complete (le, NULL));
	assert_line (le, "zz|");
}

/* A paste of 20,000 characters into the middle of a 20,000-character line
 * (and another at its end) costs what it types: well under the 100 ms a
 * paste must take to echo, even under the sanitizers. */
static void
test_paste_linear (void)
{
	const int n = 20000;
	g_autoptr (TrawlLineEdit) le = trawl_line_edit_new ("");
	for (int i = 0; i < n; i++)
		trawl_line_edit_key (le, 'a' + i % 26);
	for (int i = 0; i < n / 2; i++)
		trawl_line_edit_key (le, TRAWL_LINE_KEY_LEFT);
	gint64 t0 = g_get_monotonic_time ();
	for (int i = 0; i < n; i++)
		trawl_line_edit_key (le, 0x4E00 + i % 1000);
	trawl_line_edit_key (le, TRAWL_LINE_KEY_END);
	for (int i = 0; i < n; i++)
		trawl_line_edit_key (le, 'z');
	gint64 us = g_get_monotonic_time () - t0;
	g_test_message ("two pastes of %d characters: %" G_GINT64_FORMAT " us", n, us);
	g_assert_cmpuint (trawl_line_edit_length (le), ==, 3 * (guint) n);
	g_assert_cmpuint (trawl_line_edit_cursor (le), ==, 3 * (guint) n);
	g_assert_true (trawl_line_edit_char (le, n / 2) == 0x4E00);
	g_assert_true (trawl_line_edit_char (le, n / 2 + n) == 'a' + (n / 2) % 26);
	g_assert_cmpint (us, <, 100000);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/lineedit/keys", test_keys);
	g_test_add_func ("/lineedit/not-utf8", test_not_utf8);
	g_test_add_func ("/lineedit/history", test_history);
	g_test_add_func ("/lineedit/complete", test_complete);
	g_test_add_func ("/lineedit/paste-linear", test_paste_linear);
	return g_test_run ();
}
