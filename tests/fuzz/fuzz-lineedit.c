/* fuzz-lineedit.c — the prompts' line editor (trawl/lineedit.h), driven by
 * keys, against a reference model: the plain character array the prompt
 * used before the editor had a gap buffer.
 *
 * The input: when it holds a NUL byte, the bytes before the first one are
 * the initial text (any bytes: a path in a legacy encoding, say), the rest
 * are keys; otherwise it is all keys.  The history is a fixed list, Tab
 * completes from a fixed list of candidates (non-ASCII ones, ones sharing
 * half a character, ones that are not UTF-8).  Keys, byte by byte:
 *   0x09            Tab (trawl_line_edit_complete)
 *   0xF8 ... 0xFF   Left Right Home End Backspace Delete Prev Next
 *                   (TRAWL_LINE_KEY_*, never bytes of UTF-8)
 *   0xF5 B1 B2 B3   the int B1B2B3 (24 bits) as a key, as it is: surrogates,
 *                   past U+10FFFF, the editor's own keys
 *   0xF6 / 0xF7 ... the same with curses' function-key bit (0x40000000) /
 *                   negated: never a character
 *   a UTF-8 sequence  its character; any other byte, the character of that
 *                   value (0x00-0x1F: the control keys, C-a, C-k ...; 0x7F:
 *                   DEL, which is not one; 0x80-0xF4 alone: Latin-1)
 * Checked after every key:
 *   - the cursor is within the line (0 ... length), the length is at most
 *     what the keys typed, the completions inserted, the initial text and
 *     the longest history entry brought;
 *   - the editor and the model agree: length, cursor, the key taken or not,
 *     and the characters (all of them on lines up to FULL characters, every
 *     FULL_EVERY keys and at the end; else around the cursor and at both
 *     ends);
 *   - the text (trawl_line_edit_text) is valid UTF-8, decodes to exactly
 *     those characters, and the cursor falls on a character boundary of it
 *     (whenever all the characters are compared);
 *   - Tab: the word it completes, what it inserts and the choices it shows
 *     are the model's (computed another way: character by character), and
 *     nothing but the word before the cursor changes. */
#include "config.h"

#include "trawl/lineedit.h"

#include "fuzz.h"

/* Up to this many characters, every check reads the whole line (and every
 * FULL_EVERY keys, and at the end, however long it is); beyond, the checks
 * read around the cursor and both ends, so a long input costs what it types. */
#define FULL 64
#define FULL_EVERY 256

static const char *const candidate_list[] = {
	"tag:inbox", "tag:important", "tag:unread", "tag:привет", "tag:пример",
	"tag:日本語", "tag:日本", "tag:😀", "tag:😁x", "from:élodie@example.org",
	"from:émile@example.org", "to:ünïcödé@example.net", "naïve", "nai\xcc\x88ve",
	"e\xcc\x81t\xc3\xa9", "tag:a b", "tag:bad\xff", "tag:bad\xfe", "tag:half\xd0",
	"tag:", "", "+tag", "(x", "w_1", "w_2",
};
static const char *const history_list[] = {
	"tag:inbox", "from:élodie", "日本語の件名 and more", "x", "",
	"a line that is long enough to be longer than most of the typed ones, with ünïcödé",
};

typedef struct {
	GArray *chars;		/* gunichar */
	guint cursor;
	guint hpos;
	char *edited;
} Model;

static GPtrArray *candidates, *history;
static gsize longest_candidate, longest_history;	/* in characters */

static char *
model_range (const Model *m, guint from, guint to)
{
	GString *s = g_string_new (NULL);
	for (guint i = from; i < to; i++)
		g_string_append_unichar (s, g_array_index (m->chars, gunichar, i));
	return g_string_free (s, FALSE);
}

static void
model_set (Model *m, const char *text)
{
	g_array_set_size (m->chars, 0);
	/* Byte by byte: a valid sequence is its character, any other byte
	 * U+FFFD. */
	gsize n = strlen (text);
	for (gsize i = 0; i < n;) {
		gsize k = 1;
		while (k <= 4 && i + k <= n && !g_utf8_validate (text + i, k, NULL))
			k++;
		gunichar c = 0xFFFD;
		if (k <= 4 && i + k <= n) {
			c = g_utf8_get_char (text + i);
			i += k;
		} else {
			i++;
		}
		g_array_append_val (m->chars, c);
	}
	m->cursor = m->chars->len;
}

static gboolean
model_is_word (gunichar c)
{
	return g_unichar_isalnum (c) || c == '_';
}

/* The old prompt's keys; TRUE when KEY is an editing key. */
static gboolean
model_key (Model *m, int key)
{
	GArray *a = m->chars;
	switch (key) {
	case TRAWL_LINE_KEY_LEFT: case 2:
		if (m->cursor > 0)
			m->cursor--;
		return TRUE;
	case TRAWL_LINE_KEY_RIGHT: case 6:
		if (m->cursor < a->len)
			m->cursor++;
		return TRUE;
	case TRAWL_LINE_KEY_HOME: case 1:
		m->cursor = 0;
		return TRUE;
	case TRAWL_LINE_KEY_END: case 5:
		m->cursor = a->len;
		return TRUE;
	case TRAWL_LINE_KEY_BACKSPACE:
		if (m->cursor > 0)
			g_array_remove_index (a, --m->cursor);
		return TRUE;
	case TRAWL_LINE_KEY_DELETE: case 4:
		if (m->cursor < a->len)
			g_array_remove_index (a, m->cursor);
		return TRUE;
	case TRAWL_LINE_KEY_KILL_END: case 11:
		g_array_set_size (a, m->cursor);
		return TRUE;
	case TRAWL_LINE_KEY_KILL_START: case 21:
		g_array_remove_range (a, 0, m->cursor);
		m->cursor = 0;
		return TRUE;
	case TRAWL_LINE_KEY_KILL_WORD: case 23: {
		guint end = m->cursor;
		while (m->cursor > 0 && !model_is_word (g_array_index (a, gunichar, m->cursor - 1)))
			m->cursor--;
		while (m->cursor > 0 && model_is_word (g_array_index (a, gunichar, m->cursor - 1)))
			m->cursor--;
		g_array_remove_range (a, m->cursor, end - m->cursor);
		return TRUE;
	}
	case TRAWL_LINE_KEY_PREV: case 16:
		if (m->hpos > 0) {
			if (m->hpos == history->len) {
				g_free (m->edited);
				m->edited = model_range (m, 0, a->len);
			}
			m->hpos--;
			model_set (m, history->pdata[m->hpos]);
		}
		return TRUE;
	case TRAWL_LINE_KEY_NEXT: case 14:
		if (m->hpos < history->len) {
			m->hpos++;
			model_set (m, m->hpos == history->len ? m->edited : history->pdata[m->hpos]);
		}
		return TRUE;
	default:
		if (key >= 0x20 && key != 0x7f && key < 0x110000 && !(key >= 0xD800 && key < 0xE000)) {
			gunichar c = (gunichar) key;
			g_array_insert_val (a, m->cursor, c);
			m->cursor++;
			return TRUE;
		}
		return FALSE;
	}
}

/* The characters of S up to its first byte that is not UTF-8. */
static GArray *
valid_chars (const char *s)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (gunichar));
	const char *end = NULL;
	g_utf8_validate (s, -1, &end);
	for (const char *p = s; p < end; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		g_array_append_val (a, c);
	}
	return a;
}

/* Tab in the model: the word, then what it gets, character by character.
 * Returns the choices shown (or NULL); *WORD is the word. */
static char *
model_complete (Model *m, char **word)
{
	GArray *a = m->chars;
	guint start = m->cursor;
	while (start > 0 && !g_unichar_isspace (g_array_index (a, gunichar, start - 1)))
		start--;
	if (start < m->cursor && (g_array_index (a, gunichar, start) == '+' ||
				  g_array_index (a, gunichar, start) == '-'))
		start++;
	while (start < m->cursor && g_array_index (a, gunichar, start) == '(')
		start++;
	*word = model_range (m, start, m->cursor);
	GPtrArray *fit = g_ptr_array_new ();
	for (guint i = 0; i < candidates->len; i++)
		if (g_str_has_prefix (candidates->pdata[i], *word))
			g_ptr_array_add (fit, candidates->pdata[i]);
	char *shown = NULL;
	if (fit->len) {
		/* The characters every fitting candidate has, in order, from the
		 * start (the word's own among them). */
		GArray *common = valid_chars (fit->pdata[0]);
		for (guint i = 1; i < fit->len; i++) {
			GArray *o = valid_chars (fit->pdata[i]);
			guint k = 0;
			while (k < common->len && k < o->len &&
			       g_array_index (common, gunichar, k) == g_array_index (o, gunichar, k))
				k++;
			g_array_set_size (common, k);
			g_array_unref (o);
		}
		guint have = m->cursor - start;
		for (guint k = have; k < common->len; k++) {
			g_array_insert_val (a, m->cursor, g_array_index (common, gunichar, k));
			m->cursor++;
		}
		g_array_unref (common);
		if (fit->len == 1) {
			gunichar sp = ' ';
			g_array_insert_val (a, m->cursor, sp);
			m->cursor++;
		} else {
			GString *s = g_string_new (NULL);
			for (guint i = 0; i < fit->len && s->len < 2000; i++)
				g_string_append_printf (s, "%s%s", i ? " " : "", (char *) fit->pdata[i]);
			shown = g_string_free (s, FALSE);
		}
	}
	g_ptr_array_unref (fit);
	return shown;
}

static void
check_char (const TrawlLineEdit *le, const Model *m, gsize i, gsize step)
{
	gunichar c = trawl_line_edit_char (le, i);
	gunichar mc = g_array_index (m->chars, gunichar, i);
	FUZZ_CHECK (c == mc, "key %zu: character %zu is U+%04X, the model has U+%04X",
		    step, i, (unsigned) c, (unsigned) mc);
	FUZZ_CHECK (g_unichar_validate (c) && c != 0, "key %zu: character %zu is U+%04X", step, i, (unsigned) c);
}

static void
check (const TrawlLineEdit *le, const Model *m, gsize bound, gsize step, gboolean full)
{
	gsize len = trawl_line_edit_length (le), cur = trawl_line_edit_cursor (le);
	FUZZ_CHECK (cur <= len, "key %zu: cursor %zu past the end (%zu)", step, cur, len);
	FUZZ_CHECK (len <= bound, "key %zu: %zu characters, more than %zu typed, completed or recalled",
		    step, len, bound);
	FUZZ_CHECK (len == m->chars->len && cur == m->cursor,
		    "key %zu: length %zu, cursor %zu; the model: %u, %u", step, len, cur,
		    m->chars->len, m->cursor);
	full = full || len <= FULL || step % FULL_EVERY == 0;
	if (full) {
		for (gsize i = 0; i < len; i++)
			check_char (le, m, i, step);
		char *t = trawl_line_edit_text (le);
		FUZZ_CHECK (g_utf8_validate (t, -1, NULL), "key %zu: the text is not UTF-8", step);
		FUZZ_CHECK ((gsize) g_utf8_strlen (t, -1) == len, "key %zu: the text has %ld characters, not %zu",
			    step, (long) g_utf8_strlen (t, -1), len);
		gsize i = 0;
		for (const char *p = t; *p; p = g_utf8_next_char (p), i++)
			FUZZ_CHECK (g_utf8_get_char (p) == trawl_line_edit_char (le, i),
				    "key %zu: the text's character %zu is not the line's", step, i);
		/* The cursor's place in the text: a character boundary. */
		const char *at = g_utf8_offset_to_pointer (t, (glong) cur);
		FUZZ_CHECK (at >= t && at <= t + strlen (t) && (at == t + strlen (t) || ((guchar) *at & 0xC0) != 0x80),
			    "key %zu: the cursor is not on a character boundary", step);
		g_free (t);
	} else {
		/* Around the cursor, and both ends (where a gap buffer breaks). */
		for (gsize i = cur > 8 ? cur - 8 : 0; i < len && i < cur + 8; i++)
			check_char (le, m, i, step);
		for (gsize i = 0; i < 8 && i < len; i++) {
			check_char (le, m, i, step);
			check_char (le, m, len - 1 - i, step);
		}
	}
}

static void
setup (void)
{
	fuzz_fatal_criticals ();
	candidates = g_ptr_array_new ();
	for (guint i = 0; i < G_N_ELEMENTS (candidate_list); i++) {
		g_ptr_array_add (candidates, (gpointer) candidate_list[i]);
		longest_candidate = MAX (longest_candidate, strlen (candidate_list[i]));
	}
	history = g_ptr_array_new ();
	for (guint i = 0; i < G_N_ELEMENTS (history_list); i++) {
		g_ptr_array_add (history, (gpointer) history_list[i]);
		longest_history = MAX (longest_history, strlen (history_list[i]));
	}
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	static gboolean done;
	if (!done) {
		done = TRUE;
		setup ();
	}
	const uint8_t *nul = memchr (data, 0, size);
	char *initial = g_strndup ((const char *) data, nul ? (gsize) (nul - data) : 0);
	const uint8_t *p = nul ? nul + 1 : data, *end = data + size;

	TrawlLineEdit *le = trawl_line_edit_new (initial);
	trawl_line_edit_set_history (le, history);
	Model m = { g_array_new (FALSE, FALSE, sizeof (gunichar)), 0, history->len, NULL };
	model_set (&m, initial);
	/* Characters, not bytes, but never more than bytes. */
	gsize bound = strlen (initial);
	gsize step = 0;
	check (le, &m, bound, step, TRUE);

	while (p < end) {
		int key;
		step++;
		if (*p == '\t') {
			p++;
			char *mword = NULL;
			gsize before = trawl_line_edit_length (le), cur = trawl_line_edit_cursor (le);
			char *word = trawl_line_edit_word (le);
			char *shown = trawl_line_edit_complete (le, candidates);
			char *mshown = model_complete (&m, &mword);
			FUZZ_CHECK (strcmp (word, mword) == 0, "key %zu: Tab completes '%s', the model '%s'",
				    step, word, mword);
			FUZZ_CHECK (g_strcmp0 (shown, mshown) == 0, "key %zu: Tab shows '%s', the model '%s'",
				    step, shown ? shown : "(nothing)", mshown ? mshown : "(nothing)");
			gsize added = trawl_line_edit_length (le) - before;
			FUZZ_CHECK (trawl_line_edit_length (le) >= before && trawl_line_edit_cursor (le) == cur + added,
				    "key %zu: Tab did more than insert at the cursor", step);
			bound += longest_candidate + 1;
			check (le, &m, bound, step, FALSE);
			g_free (word);
			g_free (mword);
			g_free (shown);
			g_free (mshown);
			continue;
		}
		if (*p >= 0xF8) {
			key = TRAWL_LINE_KEY_LEFT + (*p - 0xF8);
			key = key == TRAWL_LINE_KEY_LEFT + 6 ? TRAWL_LINE_KEY_PREV :
			      key == TRAWL_LINE_KEY_LEFT + 7 ? TRAWL_LINE_KEY_NEXT : key;
			p++;
		} else if (*p >= 0xF5) {
			uint8_t kind = *p++;
			int v = 0;
			for (int i = 0; i < 3; i++)
				v = (v << 8) | (p < end ? *p++ : 0);
			key = kind == 0xF5 ? v : kind == 0xF6 ? (v | 0x40000000) : -v;
		} else if (*p >= 0x80) {
			gunichar c = g_utf8_get_char_validated ((const char *) p, end - p);
			if (c & 0x80000000u) {
				key = *p++;
			} else {
				key = (int) c;
				p = (const uint8_t *) g_utf8_next_char ((const char *) p);
			}
		} else {
			key = *p++;
		}
		gboolean took = trawl_line_edit_key (le, key);
		gboolean mtook = model_key (&m, key);
		FUZZ_CHECK (took == mtook, "key %zu (0x%x): the editor %s it, the model %s", step,
			    (unsigned) key, took ? "took" : "did not take", mtook ? "did" : "did not");
		if (key == TRAWL_LINE_KEY_PREV || key == 16 || key == TRAWL_LINE_KEY_NEXT || key == 14)
			bound = MAX (bound, longest_history);
		else if (took)
			bound++;
		check (le, &m, bound, step, FALSE);
	}
	check (le, &m, bound, step, TRUE);
	/* Setting a text starts afresh: exactly that text, as the model reads it. */
	char *t = trawl_line_edit_text (le);
	trawl_line_edit_set_text (le, t);
	model_set (&m, t);
	check (le, &m, strlen (t), step, TRUE);
	g_free (t);

	trawl_line_edit_free (le);
	g_array_unref (m.chars);
	g_free (m.edited);
	g_free (initial);
	return 0;
}
