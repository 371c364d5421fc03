/* test-config.c — trawl's configuration: the compiled-in defaults, user text
 * laid over them, the FILE:LINE problems, --dump-config, bindings, colours. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "trawl/commands.h"
#include "trawl/config.h"

/* The problems of C joined by newlines, so a mismatch shows the whole list. */
static char *
problems_text (TrawlConfig *c)
{
	GPtrArray *p = trawl_config_problems (c);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < p->len; i++)
		g_string_append_printf (s, "%s\n", (const char *) p->pdata[i]);
	return g_string_free (s, FALSE);
}

static void
assert_no_problems (TrawlConfig *c)
{
	g_autofree char *p = problems_text (c);
	g_assert_cmpstr (p, ==, "");
}

static void
assert_string (TrawlConfig *c, const char *group, const char *name, const char *expect)
{
	g_autofree char *v = trawl_config_string (c, group, name);
	g_assert_cmpstr (v, ==, expect);
}

static void
assert_style (const char *text, int fg, int bg, guint attrs)
{
	TrawlStyle st = { 12345, 12345, 12345 };
	g_autoptr (GError) err = NULL;
	if (!trawl_style_parse (text, &st, &err))
		g_error ("'%s' does not parse: %s", text, err ? err->message : "(no error set)");
	g_assert_no_error (err);
	g_assert_cmpint (st.fg, ==, fg);
	g_assert_cmpint (st.bg, ==, bg);
	g_assert_cmpuint (st.attrs, ==, attrs);
}

static void
assert_style_fails (const char *text, const char *in_message)
{
	TrawlStyle st = { 12345, 12345, 12345 };
	g_autoptr (GError) err = NULL;
	g_assert_false (trawl_style_parse (text, &st, &err));
	g_assert_error (err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
	g_assert_nonnull (strstr (err->message, in_message));
	/* OUT is left alone on failure. */
	g_assert_cmpint (st.fg, ==, 12345);
	g_assert_cmpint (st.bg, ==, 12345);
	g_assert_cmpuint (st.attrs, ==, 12345);
	/* And a NULL error is allowed. */
	g_assert_false (trawl_style_parse (text, &st, NULL));
}

/* The binding of CMD in VIEW with ARG (NULL: none), or NULL; its index in *AT. */
static const TrawlBinding *
find_binding (TrawlConfig *c, const char *view, TrawlCommand cmd, const char *arg, guint *at)
{
	GPtrArray *b = trawl_config_bindings (c);
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (strcmp (tb->view, view) == 0 && tb->cmd == cmd && g_strcmp0 (tb->arg, arg) == 0) {
			if (at)
				*at = i;
			return tb;
		}
	}
	return NULL;
}

/* ---- 1. the defaults ---- */

static void
test_defaults (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	assert_no_problems (c);

	assert_string (c, "options", "sort", "newest-first");
	assert_string (c, "options", "start-view", "threads");
	assert_string (c, "options", "default-query", "");
	assert_string (c, "options", "date-format", "relative");
	assert_string (c, "options", "thread-columns", "date authors count subject tags");
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 20);
	g_assert_true (trawl_config_bool (c, "options", "mark-read"));
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);
	g_assert_cmpint (trawl_config_int (c, "options", "pager-split"), ==, 33);
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==, 0);
	assert_string (c, "commands", "html", "auto");
	assert_string (c, "commands", "open", "auto");

	/* Every [options] and [commands] value read through the typed
	 * accessors is the one in the defaults' text. */
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	g_assert_true (g_key_file_load_from_data (kf, trawl_config_defaults_text (), -1, G_KEY_FILE_NONE, NULL));
	static const char *const groups[] = { "options", "commands" };
	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
		g_assert_nonnull (keys);
		for (char **k = keys; *k; k++) {
			g_autofree char *want = g_key_file_get_string (kf, groups[g], *k, NULL);
			assert_string (c, groups[g], *k, want);
			if (strcmp (want, "true") == 0 || strcmp (want, "false") == 0)
				g_assert_true (trawl_config_bool (c, groups[g], *k) == (strcmp (want, "true") == 0));
			else if (*want && g_ascii_isdigit (*want))
				g_assert_cmpint (trawl_config_int (c, groups[g], *k), ==, atoi (want));
		}
	}

	/* Every [colors] default parses, and trawl_config_style agrees. */
	g_auto (GStrv) names = trawl_config_style_names (c);
	g_assert_cmpuint (g_strv_length (names), >=, 25);
	for (char **n = names; *n; n++) {
		g_autofree char *v = trawl_config_string (c, "colors", *n);
		TrawlStyle st, st2;
		g_autoptr (GError) err = NULL;
		if (!trawl_style_parse (v, &st, &err))
			g_error ("default colour %s = '%s' does not parse: %s", *n, v, err->message);
		g_assert_true (trawl_config_style (c, *n, &st2));
		g_assert_cmpint (st.fg, ==, st2.fg);
		g_assert_cmpint (st.bg, ==, st2.bg);
		g_assert_cmpuint (st.attrs, ==, st2.attrs);
	}
	TrawlStyle st;
	g_assert_true (trawl_config_style (c, "title", &st));
	g_assert_cmpint (st.fg, ==, TRAWL_COLOR_DEFAULT);
	g_assert_cmpuint (st.attrs, ==, TRAWL_STYLE_BOLD | TRAWL_STYLE_REVERSE);
	g_assert_true (trawl_config_style (c, "flagged", &st));
	g_assert_cmpint (st.fg, ==, 1);
	g_assert_cmpint (st.bg, ==, TRAWL_COLOR_DEFAULT);
	g_assert_cmpuint (st.attrs, ==, TRAWL_STYLE_BOLD);
	g_assert_false (trawl_config_style (c, "tag.spam", &st));
	g_assert_false (trawl_config_style (c, "no-such-element", &st));

	/* No saved searches by default. */
	g_autoptr (GPtrArray) sn = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) sq = g_ptr_array_new_with_free_func (g_free);
	trawl_config_searches (c, sn, sq);
	g_assert_cmpuint (sn->len, ==, 0);
	g_assert_cmpuint (sq->len, ==, 0);

	/* The defaults' text is the compiled-in defaults.conf. */
	g_assert_nonnull (strstr (trawl_config_defaults_text (), "\n[options]\n"));
	g_assert_nonnull (strstr (trawl_config_defaults_text (), "\nauthor-width = 20\n"));
}

/* ---- 2. every kind of problem, with FILE:LINE, and the rest loads ---- */

static const char bad_text[] =
	"# a comment\n"                                 /*  1 */
	"orphan = 1\n"                                  /*  2 */
	"[options]\n"                                   /*  3 */
	"justtext\r\n"                                  /*  4, CRLF */
	"quote-fold = lots\n"                           /*  5 */
	"author-width = 33\n"                           /*  6 good */
	"mark-read = maybe\n"                           /*  7 */
	"sort = sideways\n"                             /*  8 */
	"wrap-width = 72\n"                             /*  9 good */
	"thread-columns = date flavour subject\n"       /* 10 */
	"pager-split = 95\n"                            /* 11 */
	"no-such-option = 1\n"                          /* 12 */
	"[bogus]\n"                                     /* 13 */
	"author-width = 99\n"                           /* 14 ignored, silently */
	"whatever at all\n"                             /* 15 ignored, silently */
	"[colors]\n"                                    /* 16 */
	"date = red\n"                                  /* 17 good */
	"count = mauve\n"                               /* 18 */
	"subject = green on\n"                          /* 19 */
	"tag.spam = bold red\n"                         /* 20 good */
	"frobnicate = red\n"                            /* 21 */
	"tag. = red\n"                                  /* 22 */
	"[keys.search]\n"                               /* 23 */
	"frobnicate = x\n"                              /* 24 */
	"archive = a\n"                                 /* 25 good */
	"[keys.thread]\n"                               /* 26 */
	"narrow = N\n"                                  /* 27 */
	"[keys]\n"                                      /* 28 */
	"quit now = x\n"                                /* 29 */
	"quit-all = C-q\n"                              /* 30 good */
	"[searches]\n"                                  /* 31 */
	"empty =\n"                                     /* 32 */
	"inbox-unread = tag:inbox and tag:unread\n"     /* 33 good */
	"caf\xe9 = tag:cafe\n"                          /* 34 */
	"# caf\xe9, a comment that is not UTF-8\n"      /* 35 no problem */
	"[options]\n"                                   /* 36 */
	"date-format = %Y-%m-%d\n"                      /* 37 good */
	"[commands]\n"                                  /* 38 */
	"html =\n"                                      /* 39 */
	"open = xdg-open\n"                             /* 40 good */
	"[options\n"                                    /* 41 */
	"sort = oldest-first\n"                         /* 42 ignored, silently */
	"[keys.tags]\r\n"                               /* 43, CRLF */
	"open-tag = o\r\n"                              /* 44 good, CRLF */
	"[keys.help]\n"                                 /* 45 */
	"quit = x y\n";                                 /* 46 good */

#define BAD_COLOUR_TAIL \
	" (attributes: bold dim underline reverse italic blink standout; colours: default, " \
	"black ... white, bright-black ... bright-white, color0 ... color255, #rrggbb; then " \
	"'on' and a background colour)"

static const char bad_expect[] =
	"test.conf:2: a setting before any [section]; line ignored\n"
	"test.conf:4: 'justtext' is not a 'name = value' line; line ignored\n"
	"test.conf:5: quote-fold is a whole number, not 'lots'\n"
	"test.conf:7: mark-read is true or false, not 'maybe'\n"
	"test.conf:8: sort is newest-first or oldest-first, not 'sideways'\n"
	"test.conf:10: unknown column 'flavour' (columns: date authors count subject tags)\n"
	"test.conf:11: pager-split is a percentage from 10 to 90, not '95'\n"
	"test.conf:12: unknown option 'no-such-option' in [options]\n"
	"test.conf:13: unknown section [bogus]; its settings are ignored (sections: options commands "
	"colors searches keys keys.search keys.thread keys.tags keys.help)\n"
	"test.conf:18: bad colour 'mauve': cannot use 'mauve'" BAD_COLOUR_TAIL "\n"
	"test.conf:19: bad colour 'green on': no colour after 'on'\n"
	"test.conf:21: unknown element 'frobnicate' in [colors] (tag.NAME colours a tag, row.tag.NAME the rows that have it)\n"
	"test.conf:22: unknown element 'tag.' in [colors] (tag.NAME colours a tag, row.tag.NAME the rows that have it)\n"
	"test.conf:24: unknown command 'frobnicate' (trawl --list-commands lists them)\n"
	"test.conf:27: narrow does not work in the thread view\n"
	"test.conf:29: quit takes no argument\n"
	"test.conf:32: saved search 'empty' has no query\n"
	"test.conf:34: not UTF-8 text; line ignored\n"
	"test.conf:39: html needs a command, or auto\n"
	"test.conf:41: '[options' is not a [section] line; its settings are ignored\n";

static void
test_problems (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "test.conf", bad_text);

	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==, bad_expect);

	/* The lines in order, each "test.conf:N: ". */
	GPtrArray *p = trawl_config_problems (c);
	guint last = 0;
	for (guint i = 0; i < p->len; i++) {
		const char *s = p->pdata[i];
		g_assert_true (g_str_has_prefix (s, "test.conf:"));
		char *end = NULL;
		guint64 n = g_ascii_strtoull (s + strlen ("test.conf:"), &end, 10);
		g_assert_true (g_str_has_prefix (end, ": "));
		g_assert_cmpuint (n, >, last);
		last = n;
	}

	/* The good settings between the bad ones took effect ... */
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 33);
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==, 72);
	assert_string (c, "options", "date-format", "%Y-%m-%d");
	assert_string (c, "commands", "open", "xdg-open");
	TrawlStyle st;
	g_assert_true (trawl_config_style (c, "date", &st));
	g_assert_cmpint (st.fg, ==, 1);
	g_assert_cmpuint (st.attrs, ==, 0);
	g_assert_true (trawl_config_style (c, "tag.spam", &st));
	g_assert_cmpint (st.fg, ==, 1);
	g_assert_cmpuint (st.attrs, ==, TRAWL_STYLE_BOLD);
	g_autoptr (GPtrArray) sn = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) sq = g_ptr_array_new_with_free_func (g_free);
	trawl_config_searches (c, sn, sq);
	g_assert_cmpuint (sn->len, ==, 1);
	g_assert_cmpstr (sn->pdata[0], ==, "inbox-unread");
	g_assert_cmpstr (sq->pdata[0], ==, "tag:inbox and tag:unread");

	const TrawlBinding *b = find_binding (c, "search", TRAWL_CMD_ARCHIVE, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "a");
	g_assert_true (b->user);
	b = find_binding (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "C-q");
	g_assert_true (b->user);
	b = find_binding (c, "tags", TRAWL_CMD_OPEN_TAG, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "o");	/* no '\r' */
	g_assert_true (b->user);
	b = find_binding (c, "help", TRAWL_CMD_QUIT, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "x y");
	g_assert_true (b->user);

	/* ... and the bad ones did not: the defaults stay. */
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);
	g_assert_true (trawl_config_bool (c, "options", "mark-read"));
	assert_string (c, "options", "sort", "newest-first");	/* line 42 is under a broken header */
	assert_string (c, "options", "thread-columns", "date authors count subject tags");
	g_assert_cmpint (trawl_config_int (c, "options", "pager-split"), ==, 33);
	assert_string (c, "commands", "html", "auto");
	g_assert_true (trawl_config_style (c, "count", &st));
	g_assert_cmpint (st.fg, ==, 2);
	g_assert_true (trawl_config_style (c, "subject", &st));
	g_assert_cmpint (st.fg, ==, TRAWL_COLOR_DEFAULT);
	g_assert_false (trawl_config_style (c, "frobnicate", &st));
	g_assert_null (find_binding (c, "thread", TRAWL_CMD_NARROW, NULL, NULL));
	b = find_binding (c, "generic", TRAWL_CMD_QUIT, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "q");
	g_assert_false (b->user);
	g_assert_null (find_binding (c, "generic", TRAWL_CMD_QUIT, "now", NULL));

	/* Nothing of the rejected lines reaches the dump. */
	g_autofree char *dump = trawl_config_dump (c);
	g_assert_null (strstr (dump, "bogus"));
	g_assert_null (strstr (dump, "frobnicate"));
	g_assert_null (strstr (dump, "sideways"));
	g_assert_null (strstr (dump, "\norphan"));
	g_assert_null (strstr (dump, "\nempty ="));
	g_assert_null (strstr (dump, "\nauthor-width = 99"));
	g_assert_nonnull (strstr (dump, "\nauthor-width = 33\n"));
	g_assert_true (g_utf8_validate (dump, -1, NULL));
}

/* A problem the UI finds in a setting (a bad key name) is reported at the
 * setting's own line, in line order with the rest; one in a setting of the
 * defaults names the section and key instead. */
static void
test_problem_reported_later (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "test.conf", bad_text);
	GPtrArray *before = trawl_config_problems (c);
	g_assert_cmpuint (before->len, ==, 20);

	trawl_config_problem (c, "keys", "quit-all", "bad key '%s'", "C-q");
	trawl_config_problem (c, "keys.search", "refresh", "bad key '%s'", "=");
	trawl_config_problem (c, "colors", "date", "too bright");

	GPtrArray *p = trawl_config_problems (c);
	g_assert_cmpuint (p->len, ==, 23);
	g_assert_cmpstr (p->pdata[9], ==, "test.conf:17: too bright");
	g_assert_cmpstr (p->pdata[16], ==, "test.conf:29: quit takes no argument");
	g_assert_cmpstr (p->pdata[17], ==, "test.conf:30: bad key 'C-q'");
	g_assert_cmpstr (p->pdata[18], ==, "test.conf:32: saved search 'empty' has no query");
	g_assert_cmpstr (p->pdata[22], ==, "(defaults) [keys.search] refresh: bad key '='");
}

/* A name given twice in one file: the last line is the one in effect (as
 * GKeyFile reads it), checked and reported once, at that line. */
static void
test_duplicate_names (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "d.conf",
				"[options]\n"			/* 1 */
				"author-width = 33\n"		/* 2 */
				"quote-fold = bad\n"		/* 3 */
				"author-width = abc\n"		/* 4 */
				"quote-fold = 5\n"		/* 5 */
				"[keys]\n"			/* 6 */
				"frobnicate = x\n"		/* 7 */
				"frobnicate = y\n"		/* 8 */
				"quit = x\n"			/* 9 */
				"[options]\n"			/* 10 */
				"wrap-width = 1\n"		/* 11 */
				"wrap-width = 2\n"		/* 12 */
				"[keys]\n"			/* 13 */
				"quit = y\n");			/* 14 */
	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==,
			 "d.conf:4: author-width is a whole number, not 'abc'\n"
			 "d.conf:8: unknown command 'frobnicate' (trawl --list-commands lists them)\n");
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 20);
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 5);
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==, 2);
	guint user = 0;
	GPtrArray *b = trawl_config_bindings (c);
	for (guint i = 0; i < b->len; i++)
		user += ((const TrawlBinding *) b->pdata[i])->user;
	g_assert_cmpuint (user, ==, 1);
	const TrawlBinding *q = find_binding (c, "generic", TRAWL_CMD_QUIT, NULL, NULL);
	g_assert_nonnull (q);
	g_assert_cmpstr (q->keys, ==, "y");
	g_assert_true (q->user);
	trawl_config_problem (c, "keys", "quit", "bad key");
	GPtrArray *p = trawl_config_problems (c);
	g_assert_cmpstr (p->pdata[p->len - 1], ==, "d.conf:14: bad key");
}

/* ---- 3. --dump-config loads back to the same ---- */

static const char user_text[] =
	"# my settings\n"
	"[options]\n"
	"sort = oldest-first\n"
	"author-width = 28\n"
	"mark-read = false\n"
	"thread-columns = date subject tags\n"
	"date-format = %Y-%m-%d %H:%M\n"
	"default-query = tag:inbox and not tag:spam\n"
	"pager-split = 45\n"
	"\n"
	"[commands]\n"
	"html = w3m -dump -T text/html\n"
	"[colors]\n"
	"date = bold magenta on black\n"
	"tag.spam = red\n"
	"tag.important = #ff8700\n"
	"[searches]\n"
	"unread = tag:unread\n"
	"todo = tag:todo and not tag:done\n"
	"[keys.search]\n"
	"tag +spam -inbox = S\n"
	"archive =\n"
	"[keys]\n"
	"move-first = gg Home\n"
	"search tag:flagged = F5\n";

static void
check_user_values (TrawlConfig *c)
{
	assert_string (c, "options", "sort", "oldest-first");
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 28);
	g_assert_false (trawl_config_bool (c, "options", "mark-read"));
	assert_string (c, "options", "thread-columns", "date subject tags");
	assert_string (c, "options", "date-format", "%Y-%m-%d %H:%M");
	assert_string (c, "options", "default-query", "tag:inbox and not tag:spam");
	g_assert_cmpint (trawl_config_int (c, "options", "pager-split"), ==, 45);
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);	/* untouched */
	assert_string (c, "commands", "html", "w3m -dump -T text/html");
	assert_string (c, "commands", "open", "auto");

	TrawlStyle st;
	g_assert_true (trawl_config_style (c, "date", &st));
	g_assert_cmpint (st.fg, ==, 5);
	g_assert_cmpint (st.bg, ==, 0);
	g_assert_cmpuint (st.attrs, ==, TRAWL_STYLE_BOLD);
	g_assert_true (trawl_config_style (c, "tag.spam", &st));
	g_assert_cmpint (st.fg, ==, 1);
	g_assert_cmpint (st.bg, ==, TRAWL_COLOR_DEFAULT);
	g_assert_true (trawl_config_style (c, "tag.important", &st));
	g_assert_cmpint (st.fg, ==, 208);
	g_auto (GStrv) names = trawl_config_style_names (c);
	guint n = g_strv_length (names);
	g_assert_cmpuint (n, >=, 2);
	g_assert_cmpstr (names[n - 2], ==, "tag.spam");
	g_assert_cmpstr (names[n - 1], ==, "tag.important");

	g_autoptr (GPtrArray) sn = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) sq = g_ptr_array_new_with_free_func (g_free);
	trawl_config_searches (c, sn, sq);
	g_assert_cmpuint (sn->len, ==, 2);
	g_assert_cmpstr (sn->pdata[0], ==, "unread");
	g_assert_cmpstr (sq->pdata[0], ==, "tag:unread");
	g_assert_cmpstr (sn->pdata[1], ==, "todo");
	g_assert_cmpstr (sq->pdata[1], ==, "tag:todo and not tag:done");

	const TrawlBinding *b = find_binding (c, "search", TRAWL_CMD_TAG, "+spam -inbox", NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "S");
	g_assert_cmpstr (b->group, ==, "keys.search");
	g_assert_cmpstr (b->key, ==, "tag +spam -inbox");
	g_assert_true (b->user);
	b = find_binding (c, "search", TRAWL_CMD_ARCHIVE, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "");
	b = find_binding (c, "thread", TRAWL_CMD_ARCHIVE, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "A");
	b = find_binding (c, "generic", TRAWL_CMD_MOVE_FIRST, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "gg Home");
	b = find_binding (c, "generic", TRAWL_CMD_SEARCH, "tag:flagged", NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "F5");
	b = find_binding (c, "search", TRAWL_CMD_TAG, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "t");
}

static void
test_dump_round_trip (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "user.conf", user_text);
	assert_no_problems (c);
	check_user_values (c);

	g_autofree char *dump = trawl_config_dump (c);
	/* It is the defaults' text, comments and all, with the user's values. */
	g_assert_true (g_str_has_prefix (dump, "# trawl's configuration, as it runs when you have no config file.\n"));
	g_assert_nonnull (strstr (dump, "# Columns of the authors field in the thread list.\nauthor-width = 28\n"));
	g_assert_nonnull (strstr (dump, "\ntag +spam -inbox = S\n"));
	g_assert_nonnull (strstr (dump, "\narchive =\n"));
	/* Every binding of the table is shown. */
	g_assert_nonnull (strstr (dump, "\nquit-all = Q\n"));
	g_assert_nonnull (strstr (dump, "\nrefresh = =\n"));

	g_autoptr (TrawlConfig) back = trawl_config_new ();
	trawl_config_load_data (back, "dump.conf", dump);
	assert_no_problems (back);
	g_autofree char *dump2 = trawl_config_dump (back);
	g_assert_cmpstr (dump2, ==, dump);
	check_user_values (back);

	/* The defaults alone dump to a file that loads without problems, to
	 * the same text. */
	g_autoptr (TrawlConfig) d = trawl_config_new ();
	g_autofree char *ddump = trawl_config_dump (d);
	g_autoptr (TrawlConfig) d2 = trawl_config_new ();
	trawl_config_load_data (d2, "defaults-dump.conf", ddump);
	assert_no_problems (d2);
	g_autofree char *ddump2 = trawl_config_dump (d2);
	g_assert_cmpstr (ddump2, ==, ddump);
}

/* ---- 4. bindings ---- */

static void
test_bindings_defaults (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	GPtrArray *b = trawl_config_bindings (c);
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	guint expected = 0;
	for (gsize i = 0; i < n; i++) {
		g_auto (GStrv) views = g_strsplit (cmds[i].view, " ", -1);
		for (char **v = views; *v; v++) {
			expected++;
			const TrawlBinding *tb = find_binding (c, *v, cmds[i].id, NULL, NULL);
			if (!tb)
				g_error ("no binding of %s in the %s view", cmds[i].name, *v);
			g_assert_cmpstr (tb->keys, ==, cmds[i].keys);
			g_assert_null (tb->arg);
			g_assert_false (tb->user);
			g_assert_cmpstr (tb->key, ==, cmds[i].name);
			g_autofree char *group = strcmp (*v, "generic") == 0 ? g_strdup ("keys")
									     : g_strdup_printf ("keys.%s", *v);
			g_assert_cmpstr (tb->group, ==, group);
		}
	}
	/* Nothing else. */
	g_assert_cmpuint (b->len, ==, expected);
	/* The same array until something is loaded. */
	g_assert_true (trawl_config_bindings (c) == b);
}

static void
test_bindings_user (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "user.conf",
				"[keys.search]\ntag = T\ntag +spam -inbox = S\n[keys]\nquit-all =\n");
	assert_no_problems (c);
	GPtrArray *b = trawl_config_bindings (c);

	/* The table's first, then the user's, in file order. */
	guint last_table = 0, first_user = G_MAXUINT, nuser = 0;
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (tb->user) {
			first_user = MIN (first_user, i);
			nuser++;
		} else
			last_table = i;
	}
	g_assert_cmpuint (nuser, ==, 3);
	g_assert_cmpuint (first_user, ==, last_table + 1);
	g_assert_cmpuint (b->len, ==, last_table + 1 + 3);

	guint at_tag = 0, at_spam = 0, at_quit = 0;
	const TrawlBinding *tag = find_binding (c, "search", TRAWL_CMD_TAG, NULL, &at_tag);
	g_assert_nonnull (tag);
	g_assert_cmpstr (tag->keys, ==, "T");
	g_assert_true (tag->user);
	g_assert_cmpstr (tag->group, ==, "keys.search");
	g_assert_cmpstr (tag->key, ==, "tag");
	const TrawlBinding *spam = find_binding (c, "search", TRAWL_CMD_TAG, "+spam -inbox", &at_spam);
	g_assert_nonnull (spam);
	g_assert_cmpint (spam->cmd, ==, TRAWL_CMD_TAG);
	g_assert_cmpstr (spam->arg, ==, "+spam -inbox");
	g_assert_cmpstr (spam->keys, ==, "S");
	g_assert_true (spam->user);
	const TrawlBinding *quit = find_binding (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, &at_quit);
	g_assert_nonnull (quit);
	g_assert_cmpstr (quit->keys, ==, "");
	g_assert_true (quit->user);
	g_assert_cmpuint (at_tag, ==, first_user);
	g_assert_cmpuint (at_spam, ==, first_user + 1);
	g_assert_cmpuint (at_quit, ==, first_user + 2);

	/* One binding of search/tag only: the user's replaced the table's. */
	guint count = 0;
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		count += strcmp (tb->view, "search") == 0 && tb->cmd == TRAWL_CMD_TAG;
	}
	g_assert_cmpuint (count, ==, 2);	/* "tag" and "tag +spam -inbox" */

	/* The thread view keeps the table's. */
	const TrawlBinding *ttag = find_binding (c, "thread", TRAWL_CMD_TAG, NULL, NULL);
	g_assert_nonnull (ttag);
	g_assert_cmpstr (ttag->keys, ==, "t");
	g_assert_false (ttag->user);

	/* Loading more rebuilds the list: a later file moves its setting to the end. */
	trawl_config_load_data (c, "more.conf", "[keys.search]\ntag = X\n");
	assert_no_problems (c);
	b = trawl_config_bindings (c);
	const TrawlBinding *last = b->pdata[b->len - 1];
	g_assert_cmpstr (last->view, ==, "search");
	g_assert_cmpint (last->cmd, ==, TRAWL_CMD_TAG);
	g_assert_null (last->arg);
	g_assert_cmpstr (last->keys, ==, "X");
}

/* ---- 5. colours ---- */

static void
test_style_parse (void)
{
	const int D = TRAWL_COLOR_DEFAULT;
	assert_style ("bold yellow", 3, D, TRAWL_STYLE_BOLD);
	assert_style ("white on blue", 7, 4, 0);
	assert_style ("reverse", D, D, TRAWL_STYLE_REVERSE);
	assert_style ("color208 on default", 208, D, 0);
	assert_style ("bright-red", 9, D, 0);
	assert_style ("bright-white on bright-black", 15, 8, 0);
	assert_style ("#ff0000", 196, D, 0);
	assert_style ("#808080", 244, D, 0);
	assert_style ("#000000", 16, D, 0);
	assert_style ("#FFFFFF", 231, D, 0);
	assert_style ("default", D, D, 0);
	assert_style ("", D, D, 0);
	assert_style ("  bold\tunderline  red  ", 1, D, TRAWL_STYLE_BOLD | TRAWL_STYLE_UNDERLINE);
	assert_style ("dim italic blink standout", D, D,
		      TRAWL_STYLE_DIM | TRAWL_STYLE_ITALIC | TRAWL_STYLE_BLINK | TRAWL_STYLE_STANDOUT);
	assert_style ("normal", D, D, 0);
	assert_style ("BOLD Red ON Blue", 1, 4, TRAWL_STYLE_BOLD);
	assert_style ("on green", D, 2, 0);
	assert_style ("colour255", 255, D, 0);
	assert_style ("color0", 0, D, 0);

	assert_style_fails ("mauve", "cannot use 'mauve'");
	assert_style_fails ("on", "no colour after 'on'");
	assert_style_fails ("red on", "no colour after 'on'");
	assert_style_fails ("red blue", "cannot use 'blue'");
	assert_style_fails ("on red on blue", "'on' twice");
	assert_style_fails ("color256", "cannot use 'color256'");
	assert_style_fails ("#ff00", "cannot use '#ff00'");
	assert_style_fails ("#gg0000", "cannot use '#gg0000'");
	assert_style_fails ("red on bold", "cannot use 'bold'");
	assert_style_fails ("bright-", "cannot use 'bright-'");
}

/* ---- 6. a later file wins ---- */

static void
test_later_file_wins (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "first.conf",
				"[options]\n"
				"author-width = 25\n"
				"sort = oldest-first\n"
				"[keys]\n"
				"quit-all = C-q\n");
	trawl_config_load_data (c, "second.conf",
				"[options]\n"
				"author-width = 40\n"
				"quote-fold = x\n"
				"sort = nope\n"
				"[keys]\n"
				"quit-all = C-x\n");
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 40);
	/* A bad value in the second file leaves the first's. */
	assert_string (c, "options", "sort", "oldest-first");
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);
	const TrawlBinding *b = find_binding (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, NULL);
	g_assert_nonnull (b);
	g_assert_cmpstr (b->keys, ==, "C-x");
	g_assert_true (b->user);

	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==,
			 "second.conf:3: quote-fold is a whole number, not 'x'\n"
			 "second.conf:4: sort is newest-first or oldest-first, not 'nope'\n");

	/* Later problems name the file and line the value in effect came from;
	 * files stay in the order they were loaded. */
	trawl_config_problem (c, "keys", "quit-all", "bad key");
	trawl_config_problem (c, "options", "sort", "odd sort");
	g_autofree char *got2 = problems_text (c);
	g_assert_cmpstr (got2, ==,
			 "first.conf:3: odd sort\n"
			 "second.conf:3: quote-fold is a whole number, not 'x'\n"
			 "second.conf:4: sort is newest-first or oldest-first, not 'nope'\n"
			 "second.conf:6: bad key\n");
}

/* ---- 7. the manual's table of settings ---- */

static void
test_list_settings (void)
{
	g_autofree char *list = trawl_config_list_settings ();
	g_assert_true (g_str_has_suffix (list, "\n"));
	g_auto (GStrv) lines = g_strsplit (list, "\n", -1);
	guint n = g_strv_length (lines);
	g_assert_cmpstr (lines[n - 1], ==, "");
	gboolean have_author_width = FALSE;
	guint colors = 0, options = 0, commands = 0;
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	for (guint i = 0; i + 1 < n; i++) {
		g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
		if (g_strv_length (f) != 4)
			g_error ("line %u '%s' has %u fields", i + 1, lines[i], g_strv_length (f));
		g_assert_cmpstr (f[1], !=, "");
		/* Every setting has its help. */
		if (!*f[3])
			g_error ("[%s] %s has no help", f[0], f[1]);
		/* The default shown is the default in effect. */
		g_autofree char *v = trawl_config_string (c, f[0], f[1]);
		g_assert_cmpstr (f[2], ==, v);
		if (strcmp (f[0], "colors") == 0)
			colors++;
		else if (strcmp (f[0], "options") == 0)
			options++;
		else if (strcmp (f[0], "commands") == 0)
			commands++;
		else
			g_error ("unexpected section '%s'", f[0]);
		have_author_width |= g_str_has_prefix (lines[i], "options\tauthor-width\t20\t");
	}
	g_assert_true (have_author_width);
	g_assert_cmpuint (options, ==, 10);
	g_assert_cmpuint (commands, ==, 2);
	g_auto (GStrv) names = trawl_config_style_names (c);
	g_assert_cmpuint (colors, ==, g_strv_length (names));
	g_assert_nonnull (strstr (list, "\noptions\tauthor-width\t20\tColumns of the authors field in the thread list.\n"));
	g_assert_nonnull (strstr (list, "\ncolors\tquote1\tgreen\tQuoted text, by depth: quote1 for \"> \", "
				  "quote2 for \"> > \" and so on; deeper quotes cycle through them.\n"));
}

/* ---- 8. files ---- */

static void
test_load_file (void)
{
	g_autoptr (GError) err = NULL;
	g_autofree char *dir = g_dir_make_tmp ("test-config-XXXXXX", &err);
	g_assert_no_error (err);
	g_autofree char *missing = g_build_filename (dir, "no-such-file", NULL);

	g_autoptr (TrawlConfig) c = trawl_config_new ();
	g_assert_true (trawl_config_load_file (c, missing, FALSE, &err));
	g_assert_no_error (err);
	assert_no_problems (c);

	g_assert_false (trawl_config_load_file (c, missing, TRUE, &err));
	g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_clear_error (&err);
	assert_no_problems (c);

	/* A file that exists loads, its problems named by its path. */
	g_autofree char *path = g_build_filename (dir, "config", NULL);
	g_assert_true (g_file_set_contents (path, "[options]\nauthor-width = 31\nwrap-width = wide\n", -1, &err));
	g_assert_true (trawl_config_load_file (c, path, TRUE, &err));
	g_assert_no_error (err);
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 31);
	GPtrArray *p = trawl_config_problems (c);
	g_assert_cmpuint (p->len, ==, 1);
	g_autofree char *expect = g_strdup_printf ("%s:3: wrap-width is a whole number, not 'wide'", path);
	g_assert_cmpstr (p->pdata[0], ==, expect);

	/* A directory is no file: an error when it must exist, else a problem
	 * named by its path, and the defaults run. */
	g_assert_false (trawl_config_load_file (c, dir, TRUE, &err));
	g_assert_nonnull (err);
	g_clear_error (&err);
	g_assert_true (trawl_config_load_file (c, dir, FALSE, &err));
	g_assert_no_error (err);
	p = trawl_config_problems (c);
	g_assert_cmpuint (p->len, ==, 2);
	g_autofree char *dir_expect = g_strdup_printf ("%s: cannot be read (", dir);
	g_assert_true (g_str_has_prefix (p->pdata[1], dir_expect));
	g_assert_true (g_str_has_suffix (p->pdata[1], "); using the defaults"));

	g_assert_cmpint (g_unlink (path), ==, 0);
	g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_default_path (void)
{
	g_setenv ("TRAWL_CONFIG", "/some/where/trawl.conf", TRUE);
	g_autofree char *p1 = trawl_config_default_path ();
	g_assert_cmpstr (p1, ==, "/some/where/trawl.conf");
	g_setenv ("TRAWL_CONFIG", "", TRUE);
	g_autofree char *p2 = trawl_config_default_path ();
	g_autofree char *expect = g_build_filename (g_get_user_config_dir (), "trawl", "config", NULL);
	g_assert_cmpstr (p2, ==, expect);
	g_unsetenv ("TRAWL_CONFIG");
}

/* A date format GLib cannot use is refused where it stands; one it can is
 * kept as written. */
static void
test_date_format (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "f.conf",
				"[options]\n"			/* 1 */
				"date-format = %Y-%m-%d %H:%M\n"	/* 2 */
				"date-format = %Q\n");		/* 3 */
	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==,
			 "f.conf:3: date-format '%Q' is not a format GLib's g_date_time_format() understands\n");
	g_autofree char *v = trawl_config_string (c, "options", "date-format");
	g_assert_cmpstr (v, ==, "relative");	/* the bad last line loses; the default stays */
	g_autoptr (TrawlConfig) c2 = trawl_config_new ();
	trawl_config_load_data (c2, "g.conf", "[options]\ndate-format = %Y-%m-%d %H:%M\n");
	g_assert_cmpuint (trawl_config_problems (c2)->len, ==, 0);
	g_autofree char *v2 = trawl_config_string (c2, "options", "date-format");
	g_assert_cmpstr (v2, ==, "%Y-%m-%d %H:%M");
}

/* [commands] are command lines: one that cannot be split into words is
 * reported, not found out when the key is pressed. */
static void
test_commands (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "h.conf",
				"[commands]\n"				/* 1 */
				"html = sh 'unterminated\n"		/* 2 */
				"open = sh 'x\n"			/* 3 */
				"html = w3m -dump -T text/html\n"	/* 4 */
				"open = sh '/my dir/open.sh' --view\n");	/* 5 */
	/* A name given twice: the last line counts (and is the one checked). */
	g_assert_cmpuint (trawl_config_problems (c)->len, ==, 0);
	g_autofree char *open = trawl_config_string (c, "commands", "open");
	g_assert_cmpstr (open, ==, "sh '/my dir/open.sh' --view");

	g_autoptr (TrawlConfig) bad = trawl_config_new ();
	trawl_config_load_data (bad, "i.conf", "[commands]\nhtml = sh 'x\nopen = builtin\nopen = sh 'y\n");
	g_autofree char *why = problems_text (bad);
	g_assert_true (g_str_has_prefix (why, "i.conf:2: html: cannot split 'sh 'x' into words"));
	g_assert_nonnull (strstr (why, "\ni.conf:4: open: cannot split 'sh 'y' into words"));
	g_autofree char *html = trawl_config_string (bad, "commands", "html");
	g_assert_cmpstr (html, ==, "auto");
}

/* An argument holding the file's own syntax is refused where it stands,
 * never bound as something else. */
static void
test_binding_argument_syntax (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "k.conf",
				"[keys.search]\n"				/* 1 */
				"search a=b = C-t\n"				/* 2 */
				"search subject:[x] = C-s\n"			/* 3 */
				"search date:2020..2021 and tag:x = C-d\n");	/* 4 */
	g_autofree char *got = problems_text (c);
	g_assert_true (g_str_has_prefix (got, "k.conf:2: a binding's argument cannot hold '='"));
	g_assert_nonnull (strstr (got, "\nk.conf:3: 'search subject:[x] = C-s' is not a 'name = value' line"));
	g_assert_cmpuint (trawl_config_problems (c)->len, ==, 2);
	GPtrArray *b = trawl_config_bindings (c);
	guint user = 0;
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (!tb->user)
			continue;
		user++;
		g_assert_cmpstr (tb->arg, ==, "date:2020..2021 and tag:x");
		g_assert_cmpstr (tb->keys, ==, "C-d");
	}
	g_assert_cmpuint (user, ==, 1);
}

/* The option table: each default passes its own check and is in the
 * defaults' text; the typed struct follows the files loaded; kinds reject
 * what they should, with the table's words. */
static void
test_option_table (void)
{
	gsize n;
	const TrawlOptionInfo *t = trawl_options_table (&n);
	g_assert_cmpuint (n, >=, 12);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *bad = trawl_option_check (&t[i], t[i].def);
		if (bad)
			g_error ("default of %s fails its own check: %s", t[i].name, bad);
		g_autofree char *line = g_strdup_printf ("\n%s =%s%s\n", t[i].name, *t[i].def ? " " : "", t[i].def);
		g_assert_nonnull (strstr (trawl_config_defaults_text (), line));
		g_assert_true (trawl_option_info (t[i].group, t[i].name) == &t[i]);
	}
	g_assert_null (trawl_option_info ("options", "no-such-option"));

	g_autoptr (TrawlConfig) c = trawl_config_new ();
	const TrawlOptions *o = trawl_config_options (c);
	g_assert_cmpstr (o->sort, ==, "newest-first");
	g_assert_cmpint (o->author_width, ==, 20);
	g_assert_true (o->mark_read);
	g_assert_cmpstr (o->html, ==, "auto");
	trawl_config_load_data (c, "t.conf", "[options]\nauthor-width = 33\nmark-read = false\nsort = oldest-first\n");
	o = trawl_config_options (c);
	g_assert_cmpint (o->author_width, ==, 33);
	g_assert_false (o->mark_read);
	g_assert_cmpstr (o->sort, ==, "oldest-first");

	static const struct { const char *name, *value, *want; } bad[] = {
		{ "sort", "sideways", "sort is newest-first or oldest-first, not 'sideways'" },
		{ "start-view", "x", "start-view is threads, tags or saved-searches, not 'x'" },
		{ "author-width", "0", "author-width is a whole number from 1 to 200, not '0'" },
		{ "author-width", "wide", "author-width is a whole number, not 'wide'" },
		{ "pager-split", "95", "pager-split is a percentage from 10 to 90, not '95'" },
		{ "mark-read", "yes", "mark-read is true or false, not 'yes'" },
		{ "thread-columns", "date size", "unknown column 'size' (columns: date authors count subject tags)" },
		{ "date-format", "", "date-format is relative or a strftime format, not empty" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autofree char *why = trawl_option_check (trawl_option_info ("options", bad[i].name), bad[i].value);
		g_assert_cmpstr (why, ==, bad[i].want);
	}
	g_autofree char *cmd = trawl_option_check (trawl_option_info ("commands", "html"), "w3m 'unclosed");
	g_assert_nonnull (cmd);
	g_assert_true (g_str_has_prefix (cmd, "html: cannot split"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/config/defaults", test_defaults);
	g_test_add_func ("/config/problems", test_problems);
	g_test_add_func ("/config/problem-reported-later", test_problem_reported_later);
	g_test_add_func ("/config/duplicate-names", test_duplicate_names);
	g_test_add_func ("/config/dump-round-trip", test_dump_round_trip);
	g_test_add_func ("/config/bindings-defaults", test_bindings_defaults);
	g_test_add_func ("/config/bindings-user", test_bindings_user);
	g_test_add_func ("/config/style-parse", test_style_parse);
	g_test_add_func ("/config/later-file-wins", test_later_file_wins);
	g_test_add_func ("/config/list-settings", test_list_settings);
	g_test_add_func ("/config/load-file", test_load_file);
	g_test_add_func ("/config/default-path", test_default_path);
	g_test_add_func ("/config/date-format", test_date_format);
	g_test_add_func ("/config/commands", test_commands);
	g_test_add_func ("/config/binding-argument-syntax", test_binding_argument_syntax);

	g_test_add_func ("/config/option-table", test_option_table);
	return g_test_run ();
}
