/* test-config.c — trawl's configuration: the compiled-in defaults, user text
 * laid over them, the FILE:LINE problems, --dump-config, bindings (bind and
 * unbind lines, and the old [keys] sections), colours. */
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

/* The binding of KEYS (as spelt) in VIEW, or NULL; its index in *AT. */
static const TrawlBinding *
binding_of (TrawlConfig *c, const char *view, const char *keys, guint *at)
{
	GPtrArray *b = trawl_config_bindings (c);
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (strcmp (tb->view, view) == 0 && strcmp (tb->keys, keys) == 0) {
			if (at)
				*at = i;
			return tb;
		}
	}
	return NULL;
}

/* The keys bound to CMD with ARG (NULL: none) in VIEW, in binding order,
 * separated by spaces ("" for none). */
static char *
keys_of (TrawlConfig *c, const char *view, TrawlCommand cmd, const char *arg)
{
	GPtrArray *b = trawl_config_bindings (c);
	GString *s = g_string_new (NULL);
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (strcmp (tb->view, view) == 0 && tb->cmd == cmd && g_strcmp0 (tb->arg, arg) == 0)
			g_string_append_printf (s, "%s%s", s->len ? " " : "", tb->keys);
	}
	return g_string_free (s, FALSE);
}

static void
assert_keys (TrawlConfig *c, const char *view, TrawlCommand cmd, const char *arg, const char *want)
{
	g_autofree char *got = keys_of (c, view, cmd, arg);
	if (strcmp (got, want) != 0)
		g_error ("%s %s%s%s: keys '%s', not '%s'", view,
			 cmd ? trawl_command_info (cmd)->name : "(unbound)",
			 arg ? " " : "", arg ? arg : "", got, want);
}

/* KEYS in VIEW do nothing (an unbinding). */
static void
assert_unbound (TrawlConfig *c, const char *view, const char *keys)
{
	const TrawlBinding *b = binding_of (c, view, keys, NULL);
	if (!b || b->cmd != TRAWL_CMD_NONE)
		g_error ("%s in %s is not unbound", keys, view);
	g_assert_null (b->arg);
}

/* Each of LINES (NULL-terminated) is a whole line of TEXT. */
static void
assert_lines (const char *text, const char *const *lines)
{
	for (; *lines; lines++) {
		g_autofree char *line = g_strdup_printf ("\n%s\n", *lines);
		if (!strstr (text, line))
			g_error ("no line '%s'", *lines);
	}
}

/* C's dump, which read back loads without a problem and dumps the same;
 * what it read back in *BACK (unless NULL). */
static char *
dump_round_trip (TrawlConfig *c, TrawlConfig **back)
{
	char *dump = trawl_config_dump (c);
	TrawlConfig *again = trawl_config_new ();
	trawl_config_load_data (again, "dump.conf", dump);
	assert_no_problems (again);
	g_autofree char *dump2 = trawl_config_dump (again);
	g_assert_cmpstr (dump2, ==, dump);
	if (back)
		*back = again;
	else
		trawl_config_free (again);
	return dump;
}

/* TEXT without its bind and unbind lines: what GKeyFile can read. */
static char *
without_bind_lines (const char *text)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	GString *s = g_string_new (NULL);
	for (char **l = lines; *l; l++)
		if (!g_str_has_prefix (*l, "bind ") && !g_str_has_prefix (*l, "unbind "))
			g_string_append_printf (s, "%s\n", *l);
	return g_string_free (s, FALSE);
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
	assert_string (c, "options", "author-width", "20%");
	assert_string (c, "options", "mark-read", "shown");
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);
	g_assert_cmpint (trawl_config_int (c, "options", "pager-split"), ==, 33);
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==, 0);
	assert_string (c, "commands", "html", "auto");
	assert_string (c, "commands", "open", "auto");

	/* Every [options] and [commands] value read through the typed
	 * accessors is the one in the defaults' text. */
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	g_autofree char *settings = without_bind_lines (trawl_config_defaults_text ());
	g_assert_true (g_key_file_load_from_data (kf, settings, -1, G_KEY_FILE_NONE, NULL));
	static const char *const groups[] = { "options", "commands" };
	for (gsize g = 0; g < G_N_ELEMENTS (groups); g++) {
		g_auto (GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
		g_assert_nonnull (keys);
		for (char **k = keys; *k; k++) {
			g_autofree char *want = g_key_file_get_string (kf, groups[g], *k, NULL);
			assert_string (c, groups[g], *k, want);
			if (strcmp (want, "true") == 0 || strcmp (want, "false") == 0)
				g_assert_true (trawl_config_bool (c, groups[g], *k) == (strcmp (want, "true") == 0));
			else if (*want && g_ascii_isdigit (*want) && !strchr (want, '%'))
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
	g_autoptr (GPtrArray) sn = trawl_named_queries_new ();
	trawl_config_searches (c, sn);
	g_assert_cmpuint (sn->len, ==, 0);
	
	/* The defaults' text is the compiled-in defaults.conf, with the
	 * command table's keys as bind lines at its end ... */
	const char *text = trawl_config_defaults_text ();
	assert_lines (text, (const char *const[]) { "[options]", "author-width = 20%",
						    "bind search  =     refresh",
						    "bind thread  ]     next-match", NULL });
	g_assert_true (g_str_has_suffix (text, "\nbind generic Q     quit-all\n"));
	g_assert_null (strstr (text, "@BINDINGS@"));
	g_assert_null (strstr (text, "@OPTIONS@"));
	/* ... and a config file that loads without a problem, to the same. */
	g_autoptr (TrawlConfig) again = trawl_config_new ();
	trawl_config_load_data (again, "defaults.conf", text);
	assert_no_problems (again);
	g_autofree char *d1 = trawl_config_dump (c);
	g_autofree char *d2 = trawl_config_dump (again);
	g_assert_cmpstr (d1, ==, d2);
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
	"test.conf:7: mark-read is shown, selected, true or false, not 'maybe'\n"
	"test.conf:8: sort is newest-first, oldest-first, most-messages, most-matched or most-participants, not 'sideways'\n"
	"test.conf:10: unknown column 'flavour' (columns: date authors count subject tags)\n"
	"test.conf:11: pager-split is a percentage from 10 to 90, not '95'\n"
	"test.conf:12: unknown option 'no-such-option' in [options]\n"
	"test.conf:13: unknown section [bogus]; its settings are ignored (sections: options commands "
	"colors searches; bindings are bind lines)\n"
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
	g_autoptr (GPtrArray) sn = trawl_named_queries_new ();
	trawl_config_searches (c, sn);
	g_assert_cmpuint (sn->len, ==, 1);
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->name, ==, "inbox-unread");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->query, ==, "tag:inbox and tag:unread");

	/* The old [keys] lines: a command's keys in the view replaced. */
	assert_keys (c, "search", TRAWL_CMD_ARCHIVE, NULL, "a");
	assert_unbound (c, "search", "A");
	const TrawlBinding *b = binding_of (c, "search", "a", NULL);
	g_assert_true (b->user);
	g_assert_cmpstr (b->file, ==, "test.conf");
	g_assert_cmpuint (b->line, ==, 25);
	assert_keys (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, "C-q");
	g_assert_true (binding_of (c, "generic", "C-q", NULL)->user);
	assert_keys (c, "tags", TRAWL_CMD_OPEN_TAG, NULL, "o");	/* no '\r' */
	assert_keys (c, "help", TRAWL_CMD_QUIT, NULL, "x y");
	g_assert_cmpuint (binding_of (c, "help", "y", NULL)->line, ==, 46);

	/* ... and the bad ones did not: the defaults stay. */
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 10);
	assert_string (c, "options", "mark-read", "shown");
	assert_string (c, "options", "sort", "newest-first");	/* line 42 is under a broken header */
	assert_string (c, "options", "thread-columns", "date authors count subject tags");
	g_assert_cmpint (trawl_config_int (c, "options", "pager-split"), ==, 33);
	assert_string (c, "commands", "html", "auto");
	g_assert_true (trawl_config_style (c, "count", &st));
	g_assert_cmpint (st.fg, ==, 2);
	g_assert_true (trawl_config_style (c, "subject", &st));
	g_assert_cmpint (st.fg, ==, TRAWL_COLOR_DEFAULT);
	g_assert_false (trawl_config_style (c, "frobnicate", &st));
	assert_keys (c, "thread", TRAWL_CMD_NARROW, NULL, "");
	assert_keys (c, "generic", TRAWL_CMD_QUIT, NULL, "q");
	b = binding_of (c, "generic", "q", NULL);
	g_assert_false (b->user);
	g_assert_cmpstr (b->file, ==, "(defaults)");
	assert_keys (c, "generic", TRAWL_CMD_QUIT, "now", "");
	assert_keys (c, "search", TRAWL_CMD_NONE, NULL, "A");	/* the only unbinding */
	assert_keys (c, "generic", TRAWL_CMD_NONE, NULL, "Q");

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

/* A problem the UI finds in a setting or a binding (a bad key name) is
 * reported at its own line, in line order with the rest; one in a setting of
 * the defaults names the section and key instead, one in a binding of the
 * defaults the line of the defaults' text. */
static void
test_problem_reported_later (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "test.conf", bad_text);
	GPtrArray *before = trawl_config_problems (c);
	g_assert_cmpuint (before->len, ==, 20);

	const TrawlBinding *cq = binding_of (c, "generic", "C-q", NULL);
	const TrawlBinding *eq = binding_of (c, "search", "=", NULL);
	g_assert_nonnull (cq);
	g_assert_nonnull (eq);
	trawl_config_binding_problem (c, cq, "bad key '%s'", cq->keys);
	trawl_config_binding_problem (c, eq, "bad key '%s'", eq->keys);
	trawl_config_problem (c, "colors", "date", "too bright");
	trawl_config_problem (c, "colors", "title", "too dark");

	GPtrArray *p = trawl_config_problems (c);
	g_assert_cmpuint (p->len, ==, 24);
	g_assert_cmpstr (p->pdata[9], ==, "test.conf:17: too bright");
	g_assert_cmpstr (p->pdata[16], ==, "test.conf:29: quit takes no argument");
	g_assert_cmpstr (p->pdata[17], ==, "test.conf:30: bad key 'C-q'");
	g_assert_cmpstr (p->pdata[18], ==, "test.conf:32: saved search 'empty' has no query");
	/* The defaults' binding: its line in the defaults' text. */
	g_autofree char *at = g_strdup_printf ("(defaults):%u: bad key '='", eq->line);
	g_assert_cmpstr (p->pdata[22], ==, at);
	g_auto (GStrv) lines = g_strsplit (trawl_config_defaults_text (), "\n", -1);
	g_assert_cmpuint (eq->line, <=, g_strv_length (lines));
	g_assert_cmpstr (lines[eq->line - 1], ==, "bind search  =     refresh");
	g_assert_cmpstr (p->pdata[23], ==, "(defaults) [colors] title: too dark");
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
			 "d.conf:4: author-width is a number of columns or a percentage of the screen's width (such as 25%), not 'abc'\n"
			 "d.conf:8: unknown command 'frobnicate' (trawl --list-commands lists them)\n");
	assert_string (c, "options", "author-width", "20%");
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 5);
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==, 2);
	/* Line 14 alone counts: q unbound, y bound, nothing of line 9. */
	guint user = 0;
	GPtrArray *b = trawl_config_bindings (c);
	for (guint i = 0; i < b->len; i++)
		user += ((const TrawlBinding *) b->pdata[i])->user;
	g_assert_cmpuint (user, ==, 2);
	assert_keys (c, "generic", TRAWL_CMD_QUIT, NULL, "y");
	assert_unbound (c, "generic", "q");
	g_assert_null (binding_of (c, "generic", "x", NULL));
	const TrawlBinding *q = binding_of (c, "generic", "y", NULL);
	g_assert_true (q->user);
	trawl_config_binding_problem (c, q, "bad key");
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
	"bind search S tag +spam -inbox\n"		/* among the searches, of none */
	"todo = tag:todo and not tag:done\n"
	"unbind search A\n"
	"bind generic gg move-first\n"
	"unbind generic g\n"
	"bind generic F5\tsearch  tag:flagged \n"
	"bind search = tag +to=do  -inbox\n"
	"bind thread [ search subject:[PATCH v2] and tag:a=b\n"
	"bind generic ] quit\n"
	"[keys]\n"
	"half-page-down = C-d <C-x>d\n";		/* the old form, still read */

static void
check_user_values (TrawlConfig *c)
{
	assert_string (c, "options", "sort", "oldest-first");
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 28);
	assert_string (c, "options", "mark-read", "false");
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

	g_autoptr (GPtrArray) sn = trawl_named_queries_new ();
	trawl_config_searches (c, sn);
	g_assert_cmpuint (sn->len, ==, 2);
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->name, ==, "unread");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->query, ==, "tag:unread");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[1])->name, ==, "todo");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[1])->query, ==, "tag:todo and not tag:done");

	assert_keys (c, "search", TRAWL_CMD_TAG, "+spam -inbox", "S");
	assert_keys (c, "search", TRAWL_CMD_ARCHIVE, NULL, "");
	assert_unbound (c, "search", "A");
	assert_keys (c, "thread", TRAWL_CMD_ARCHIVE, NULL, "A");
	assert_keys (c, "generic", TRAWL_CMD_MOVE_FIRST, NULL, "Home gg");
	assert_unbound (c, "generic", "g");
	/* The argument is the rest of the line as written, inner blanks and
	 * all, '=' '[' ']' included. */
	assert_keys (c, "generic", TRAWL_CMD_SEARCH, "tag:flagged", "F5");
	assert_keys (c, "search", TRAWL_CMD_TAG, "+to=do  -inbox", "=");
	assert_keys (c, "search", TRAWL_CMD_REFRESH, NULL, "");
	assert_keys (c, "thread", TRAWL_CMD_SEARCH, "subject:[PATCH v2] and tag:a=b", "[");
	assert_keys (c, "thread", TRAWL_CMD_PREV_MATCH, NULL, "");
	assert_keys (c, "generic", TRAWL_CMD_QUIT, NULL, "q ]");
	assert_keys (c, "thread", TRAWL_CMD_NEXT_MATCH, NULL, "]");
	assert_keys (c, "search", TRAWL_CMD_TAG, NULL, "t");
	assert_keys (c, "generic", TRAWL_CMD_HALF_DOWN, NULL, "C-d <C-x>d");
	g_assert_true (binding_of (c, "search", "S", NULL)->user);
}

static void
test_dump_round_trip (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "user.conf", user_text);
	assert_no_problems (c);
	check_user_values (c);
	g_assert_cmpuint (binding_of (c, "search", "S", NULL)->line, ==, 19);

	g_autoptr (TrawlConfig) back = NULL;
	g_autofree char *dump = dump_round_trip (c, &back);
	check_user_values (back);
	/* It is the defaults' text, comments and all, with the user's values. */
	g_assert_true (g_str_has_prefix (dump, "# trawl's configuration, as it runs when you have no config file.\n"));
	g_assert_nonnull (strstr (dump, "# (from 1% to 90%, at least 1 column), which widens with the screen.\nauthor-width = 28\n"));
	/* Then every binding in effect, as bind lines: the defaults' the user
	 * left alone, then the user's, in the order set. */
	assert_lines (dump, (const char *const[]) { "todo = tag:todo and not tag:done",
						    "bind generic Q     quit-all",
						    "bind thread  ]     next-match", NULL });
	g_assert_true (g_str_has_suffix (dump,
		"\nbind search  S     tag +spam -inbox\n"
		"unbind search  A\n"
		"bind generic gg    move-first\n"
		"unbind generic g\n"
		"bind generic F5    search tag:flagged\n"
		"bind search  =     tag +to=do  -inbox\n"
		"bind thread  [     search subject:[PATCH v2] and tag:a=b\n"
		"bind generic ]     quit\n"
		"bind generic C-d   half-page-down\n"
		"bind generic <C-x>d half-page-down\n"));
	g_assert_null (strstr (dump, "\n[keys"));
	g_assert_null (strstr (dump, "\nbind search  =     refresh\n"));

	/* The defaults alone dump to a file that loads without problems, to
	 * the same text. */
	g_autoptr (TrawlConfig) d = trawl_config_new ();
	g_autofree char *ddump = dump_round_trip (d, NULL);
}

/* ---- 4. bindings ---- */

static void
test_bindings_defaults (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	GPtrArray *b = trawl_config_bindings (c);
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	guint expected = 0, last_at = 0;
	for (gsize i = 0; i < n; i++) {
		g_auto (GStrv) views = g_strsplit (cmds[i].view, " ", -1);
		for (char **v = views; *v; v++) {
			/* One binding per key, in the table's order. */
			assert_keys (c, *v, cmds[i].id, NULL, cmds[i].keys);
			g_auto (GStrv) keys = g_strsplit (cmds[i].keys, " ", -1);
			for (char **k = keys; *k; k++) {
				expected++;
				guint at;
				const TrawlBinding *tb = binding_of (c, *v, *k, &at);
				g_assert_nonnull (tb);
				g_assert_cmpint (tb->cmd, ==, cmds[i].id);
				g_assert_null (tb->arg);
				g_assert_false (tb->user);
				g_assert_cmpstr (tb->file, ==, "(defaults)");
				g_assert_cmpuint (tb->line, >, 0);
				g_assert_cmpuint (at, ==, expected - 1);
				g_assert_cmpuint (tb->line, >, last_at);
				last_at = tb->line;
			}
		}
	}
	/* Nothing else. */
	g_assert_cmpuint (b->len, ==, expected);
	g_assert_true (trawl_config_bindings (c) == b);
}

/* The old [keys] sections: a line for a command replaces its keys in the
 * view (those are unbound, the new ones bound); one with an argument adds. */
static void
test_bindings_old_sections (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "user.conf",
				"[keys.search]\ntag = T\ntag +spam -inbox = S\n[keys]\nquit-all =\n");
	assert_no_problems (c);
	GPtrArray *b = trawl_config_bindings (c);

	/* The table's first, then the user's, in file order. */
	guint first_user = G_MAXUINT, nuser = 0;
	for (guint i = 0; i < b->len; i++) {
		const TrawlBinding *tb = b->pdata[i];
		if (tb->user) {
			first_user = MIN (first_user, i);
			nuser++;
		}
	}
	g_assert_cmpuint (nuser, ==, 4);
	g_assert_cmpuint (first_user, ==, b->len - 4);
	static const char *const order[][2] = { { "search", "t" }, { "search", "T" },
						{ "search", "S" }, { "generic", "Q" } };
	for (guint i = 0; i < 4; i++) {
		const TrawlBinding *tb = b->pdata[first_user + i];
		g_assert_cmpstr (tb->view, ==, order[i][0]);
		g_assert_cmpstr (tb->keys, ==, order[i][1]);
		g_assert_cmpstr (tb->file, ==, "user.conf");
	}
	assert_keys (c, "search", TRAWL_CMD_TAG, NULL, "T");
	assert_unbound (c, "search", "t");
	assert_keys (c, "search", TRAWL_CMD_TAG, "+spam -inbox", "S");
	assert_keys (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, "");
	assert_unbound (c, "generic", "Q");
	g_assert_cmpuint (binding_of (c, "generic", "Q", NULL)->line, ==, 5);
	/* The thread view keeps the table's. */
	assert_keys (c, "thread", TRAWL_CMD_TAG, NULL, "t");
	g_assert_false (binding_of (c, "thread", "t", NULL)->user);

	/* A later file: the keys it sets go to the end. */
	trawl_config_load_data (c, "more.conf", "[keys.search]\ntag = X\n");
	assert_no_problems (c);
	const TrawlBinding *last = b->pdata[b->len - 1];
	g_assert_cmpstr (last->view, ==, "search");
	g_assert_cmpint (last->cmd, ==, TRAWL_CMD_TAG);
	g_assert_null (last->arg);
	g_assert_cmpstr (last->keys, ==, "X");
	assert_keys (c, "search", TRAWL_CMD_TAG, NULL, "X");
	assert_unbound (c, "search", "T");
}

/* bind and unbind lines: any key, any argument, anywhere in the file; each
 * problem at its own FILE:LINE, found by the parser itself. */
static const char bind_text[] =
	"# bindings before any section\n"			/*  1 */
	"bind search = toggle-order\n"				/*  2 good: '=' a key */
	"bind thread ] tag +x=y\n"				/*  3 good: ']' a key, '=' in the argument */
	"bind thread [ search subject:[PATCH] and tag:a=b  \n"	/*  4 good */
	"[options]\n"						/*  5 */
	"author-width = 30\n"					/*  6 good */
	"  bind\tgeneric\tC-t\ttag  +a   -b\r\n"		/*  7 good: tabs, CRLF, in [options] */
	"bind nowhere x quit\n"					/*  8 */
	"bind search C-w\n"					/*  9 */
	"bind search C-w frobnicate\n"				/* 10 */
	"bind thread C-w narrow from:bob\n"			/* 11 */
	"bind generic C-w quit now\n"				/* 12 */
	"unbind generic\n"					/* 13 */
	"unbind generic q now\n"				/* 14 */
	"bind\n"						/* 15 */
	"bind search y none at all\n"				/* 16 */
	"[bogus]\n"						/* 17 */
	"unbind search o\n"					/* 18 good: still read */
	"bind generic Q none\n"					/* 19 good */
	"[searches]\n"						/* 20 */
	"bind = tag:bind\n"					/* 21 good: a search named bind */
	"binder = tag:x\n"					/* 22 good */
	"unbind search o   \n"					/* 23 good: again */
	"bind search # tag #hash\n"				/* 24 good: '#' a key */
	"bind generic j quit\n"					/* 25 good: then ... */
	"bind generic j move-down\n"				/* 26 ... back, and last */
	"bind tags x quit\n"					/* 27 good */
	"bind help x archive\n";				/* 28 */

static const char bind_expect[] =
	"b.conf:8: unknown view 'nowhere' (views: generic search thread tags help correspondents batch attachments timeline provenance)\n"
	"b.conf:9: 'bind search C-w' lacks the command (bind VIEW KEYS COMMAND [ARGUMENT...], or unbind VIEW KEYS)\n"
	"b.conf:10: unknown command 'frobnicate' (trawl --list-commands lists them)\n"
	"b.conf:11: narrow does not work in the thread view\n"
	"b.conf:12: quit takes no argument\n"
	"b.conf:13: 'unbind generic' lacks the keys (bind VIEW KEYS COMMAND [ARGUMENT...], or unbind VIEW KEYS)\n"
	"b.conf:14: unbind takes a view and keys, nothing more (bind VIEW KEYS COMMAND [ARGUMENT...], or unbind VIEW KEYS)\n"
	"b.conf:15: 'bind' lacks a view and keys (bind VIEW KEYS COMMAND [ARGUMENT...], or unbind VIEW KEYS)\n"
	"b.conf:16: none takes no argument\n"
	"b.conf:17: unknown section [bogus]; its settings are ignored (sections: options commands colors searches; bindings are bind lines)\n"
	"b.conf:28: archive does not work in the help view\n";

static void
test_bind_lines (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "b.conf", bind_text);
	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==, bind_expect);

	assert_keys (c, "search", TRAWL_CMD_TOGGLE_ORDER, NULL, "=");
	assert_unbound (c, "search", "o");
	assert_keys (c, "search", TRAWL_CMD_REFRESH, NULL, "");
	assert_keys (c, "thread", TRAWL_CMD_TAG, "+x=y", "]");
	assert_keys (c, "thread", TRAWL_CMD_NEXT_MATCH, NULL, "");
	assert_keys (c, "thread", TRAWL_CMD_SEARCH, "subject:[PATCH] and tag:a=b", "[");
	assert_keys (c, "generic", TRAWL_CMD_TAG, "+a   -b", "C-t");
	assert_keys (c, "search", TRAWL_CMD_TAG, "#hash", "#");
	assert_keys (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, "");
	assert_unbound (c, "generic", "Q");
	assert_keys (c, "tags", TRAWL_CMD_QUIT, NULL, "x");
	/* A binding set twice: the last, once, moved to the end. */
	assert_keys (c, "generic", TRAWL_CMD_MOVE_DOWN, NULL, "Down j");
	GPtrArray *b = trawl_config_bindings (c);
	guint at_j = 0, at_x = 0;
	const TrawlBinding *j = binding_of (c, "generic", "j", &at_j);
	g_assert_cmpuint (j->line, ==, 26);
	g_assert_true (j->user);
	g_assert_cmpstr (j->file, ==, "b.conf");
	binding_of (c, "tags", "x", &at_x);
	g_assert_cmpuint (at_x, ==, b->len - 1);
	g_assert_cmpuint (at_j, ==, b->len - 2);
	/* Nothing of the refused lines. */
	g_assert_null (binding_of (c, "generic", "C-w", NULL));
	g_assert_null (binding_of (c, "thread", "C-w", NULL));
	g_assert_null (binding_of (c, "search", "C-w", NULL));
	g_assert_null (binding_of (c, "search", "y", NULL));
	g_assert_null (binding_of (c, "help", "x", NULL));
	/* The settings around them. */
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 30);
	g_autoptr (GPtrArray) sn = trawl_named_queries_new ();
	trawl_config_searches (c, sn);
	g_assert_cmpuint (sn->len, ==, 2);
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->name, ==, "bind");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[0])->query, ==, "tag:bind");
	g_assert_cmpstr (((TrawlNamedQuery *) sn->pdata[1])->name, ==, "binder");

	/* The dump reads back to itself, without a problem. */
	g_autoptr (TrawlConfig) back = NULL;
	g_autofree char *dump = dump_round_trip (c, &back);
	assert_lines (dump, (const char *const[]) {
		"bind search  =     toggle-order",
		"bind thread  ]     tag +x=y",
		"bind thread  [     search subject:[PATCH] and tag:a=b",
		"bind generic C-t   tag +a   -b",
		"unbind search  o",
		"bind search  #     tag #hash", NULL });
	assert_keys (back, "thread", TRAWL_CMD_TAG, "+x=y", "]");
	assert_keys (back, "generic", TRAWL_CMD_TAG, "+a   -b", "C-t");
	assert_unbound (back, "search", "o");
}

/* Bindings and old [keys] lines count in file order, together; files in
 * the order loaded. */
static void
test_bind_order (void)
{
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	trawl_config_load_data (c, "o.conf",
				"bind generic x help\n"		/* 1 */
				"[keys]\n"			/* 2 */
				"quit = x\n"			/* 3: x quits, q unbound */
				"bind generic z help\n"		/* 4 */
				"[keys.thread]\n"		/* 5 */
				"help = z\n");			/* 6 */
	assert_no_problems (c);
	assert_keys (c, "generic", TRAWL_CMD_QUIT, NULL, "x");
	assert_unbound (c, "generic", "q");
	assert_keys (c, "generic", TRAWL_CMD_HELP, NULL, "? z");
	assert_keys (c, "thread", TRAWL_CMD_HELP, NULL, "z");
	trawl_config_load_data (c, "p.conf", "unbind generic x\nbind generic q quit\n");
	assert_no_problems (c);
	assert_keys (c, "generic", TRAWL_CMD_QUIT, NULL, "q");
	assert_unbound (c, "generic", "x");
	const TrawlBinding *q = binding_of (c, "generic", "q", NULL);
	g_assert_cmpstr (q->file, ==, "p.conf");
	g_assert_cmpuint (q->line, ==, 2);
	trawl_config_binding_problem (c, binding_of (c, "thread", "z", NULL), "bad z");
	trawl_config_binding_problem (c, q, "bad q");
	trawl_config_binding_problem (c, binding_of (c, "generic", "x", NULL), "bad x");
	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==, "o.conf:6: bad z\np.conf:1: bad x\np.conf:2: bad q\n");
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
	assert_keys (c, "generic", TRAWL_CMD_QUIT_ALL, NULL, "C-x");
	assert_unbound (c, "generic", "C-q");
	const TrawlBinding *b = binding_of (c, "generic", "C-x", NULL);
	g_assert_true (b->user);

	g_autofree char *got = problems_text (c);
	g_assert_cmpstr (got, ==,
			 "second.conf:3: quote-fold is a whole number, not 'x'\n"
			 "second.conf:4: sort is newest-first, oldest-first, most-messages, most-matched or most-participants, not 'nope'\n");

	/* Later problems name the file and line the value in effect came from;
	 * files stay in the order they were loaded. */
	trawl_config_binding_problem (c, b, "bad key");
	trawl_config_problem (c, "options", "sort", "odd sort");
	g_autofree char *got2 = problems_text (c);
	g_assert_cmpstr (got2, ==,
			 "first.conf:3: odd sort\n"
			 "second.conf:3: quote-fold is a whole number, not 'x'\n"
			 "second.conf:4: sort is newest-first, oldest-first, most-messages, most-matched or most-participants, not 'nope'\n"
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
		have_author_width |= g_str_has_prefix (lines[i], "options\tauthor-width\t20%\t");
	}
	g_assert_true (have_author_width);
	g_assert_nonnull (strstr (list, "\noptions\tdkim-keys\t\tA directory of DKIM keys for verify "));
	g_assert_cmpuint (options, ==, 17);
	g_assert_cmpuint (commands, ==, 2);
	g_auto (GStrv) names = trawl_config_style_names (c);
	g_assert_cmpuint (colors, ==, g_strv_length (names));
	g_assert_nonnull (strstr (list, "\noptions\tauthor-width\t20%\tColumns of the authors field in the thread list "
				  "(and of the thread view's tree): a number of columns, or a share of the screen's width "
				  "such as 20% (from 1% to 90%, at least 1 column), which widens with the screen.\n"));
	g_assert_nonnull (strstr (list, "\ncolors\tquote1\tgreen\tQuoted text, by depth: quote1 for \"> \", "
				  "quote2 for \"> > \" and so on; deeper quotes cycle through them.\n"));
}

/* ---- 8. files ---- */

/* A NUL byte in the file does not end it: its line is reported and ignored,
 * the lines after it load. */
static void
test_nul_byte (void)
{
	g_autoptr (GError) err = NULL;
	g_autofree char *dir = g_dir_make_tmp ("test-config-XXXXXX", &err);
	g_assert_no_error (err);
	g_autofree char *path = g_build_filename (dir, "config", NULL);
	static const char text[] = "[options]\nauthor-width = 31\nwrap-width = 5\0 0\n"
		"# after the NUL\nquote-fold = 7\npager-split = wide\n";
	g_assert_true (g_file_set_contents (path, text, sizeof text - 1, &err));
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	g_assert_true (trawl_config_load_file (c, path, TRUE, &err));
	g_assert_no_error (err);
	g_assert_cmpint (trawl_config_int (c, "options", "author-width"), ==, 31);
	/* The line with the NUL is ignored whole: not "wrap-width = 5". */
	g_autoptr (TrawlConfig) d = trawl_config_new ();
	g_assert_cmpint (trawl_config_int (c, "options", "wrap-width"), ==,
			 trawl_config_int (d, "options", "wrap-width"));
	/* The lines after it load, and their problems are found. */
	g_assert_cmpint (trawl_config_int (c, "options", "quote-fold"), ==, 7);
	GPtrArray *p = trawl_config_problems (c);
	g_assert_cmpuint (p->len, ==, 2);
	g_autofree char *nul = g_strdup_printf ("%s:3: a NUL byte (the line is ignored)", path);
	g_assert_cmpstr (p->pdata[0], ==, nul);
	g_autofree char *after = g_strdup_printf ("%s:6: ", path);
	g_assert_true (g_str_has_prefix (p->pdata[1], after));
	g_unlink (path);
	g_rmdir (dir);
}

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

/* In an old [keys] section, an argument holding the file's own syntax is
 * refused where it stands, never bound as something else, and the message
 * says what to write instead. */
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
	g_assert_cmpstr (got, ==,
			 "k.conf:2: an argument in [keys.search] cannot hold '='; write a bind line: "
			 "bind VIEW KEYS COMMAND [ARGUMENT...]; line ignored\n"
			 "k.conf:3: 'search subject:[x] = C-s' is not a 'name = value' line (an argument in "
			 "[keys.search] cannot hold '[' or ']'; write a bind line: bind VIEW KEYS COMMAND "
			 "[ARGUMENT...]); line ignored\n");
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
	g_assert_cmpint (o->author_width.n, ==, 20);
	g_assert_true (o->author_width.percent);
	g_assert_cmpstr (o->mark_read, ==, "shown");
	g_assert_cmpstr (o->html, ==, "auto");
	trawl_config_load_data (c, "t.conf", "[options]\nauthor-width = 33\nmark-read = false\nsort = oldest-first\n");
	o = trawl_config_options (c);
	g_assert_cmpint (o->author_width.n, ==, 33);
	g_assert_false (o->author_width.percent);
	g_assert_cmpstr (o->mark_read, ==, "false");
	g_assert_cmpstr (o->sort, ==, "oldest-first");

	static const struct { const char *name, *value, *want; } bad[] = {
		{ "sort", "sideways", "sort is newest-first, oldest-first, most-messages, most-matched or most-participants, not 'sideways'" },
		{ "start-view", "x", "start-view is threads, tags or saved-searches, not 'x'" },
		{ "author-width", "0", "author-width is a whole number from 1 to 200, or a percentage, not '0'" },
		{ "author-width", "wide", "author-width is a number of columns or a percentage of the screen's width (such as 25%), not 'wide'" },
		{ "pager-split", "95", "pager-split is a percentage from 10 to 90, not '95'" },
		{ "mark-read", "yes", "mark-read is shown, selected, true or false, not 'yes'" },
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

/* author-width: columns (as before) or a share of the screen's width. */
static void
test_width (void)
{
	TrawlWidth w;
	g_assert_true (trawl_width_parse ("20", &w));
	g_assert_false (w.percent);
	g_assert_cmpint (trawl_width_columns (w, 80), ==, 20);
	g_assert_cmpint (trawl_width_columns (w, 160), ==, 20);
	g_assert_cmpint (trawl_width_columns (w, 10), ==, 10);
	g_assert_true (trawl_width_parse (" 25% ", &w));
	g_assert_true (w.percent);
	g_assert_cmpint (w.n, ==, 25);
	g_assert_cmpint (trawl_width_columns (w, 80), ==, 20);
	g_assert_cmpint (trawl_width_columns (w, 160), ==, 40);
	g_assert_cmpint (trawl_width_columns (w, 3), ==, 1);
	g_assert_false (trawl_width_parse ("%", &w));
	g_assert_false (trawl_width_parse ("abc", &w));
	g_assert_false (trawl_width_parse ("-5", &w));
	g_assert_false (trawl_width_parse ("25 %x", &w));
	const TrawlOptionInfo *info = trawl_option_info ("options", "author-width");
	g_assert_nonnull (info);
	g_assert_null (trawl_option_check (info, "20"));
	g_assert_null (trawl_option_check (info, "30%"));
	g_autofree char *e1 = trawl_option_check (info, "95%");
	g_assert_cmpstr (e1, ==, "author-width is a percentage from 1% to 90%, not '95%'");
	g_autofree char *e2 = trawl_option_check (info, "0");
	g_assert_nonnull (e2);
	g_autofree char *e3 = trawl_option_check (info, "wide");
	g_assert_nonnull (e3);
	/* The typed option: an old integer setting, and a share. */
	g_autoptr (TrawlConfig) c = trawl_config_new ();
	g_assert_cmpint (trawl_config_options (c)->author_width.n, ==, 20);
	g_assert_true (trawl_config_options (c)->author_width.percent);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/config/author-width", test_width);

	g_test_add_func ("/config/defaults", test_defaults);
	g_test_add_func ("/config/problems", test_problems);
	g_test_add_func ("/config/problem-reported-later", test_problem_reported_later);
	g_test_add_func ("/config/duplicate-names", test_duplicate_names);
	g_test_add_func ("/config/dump-round-trip", test_dump_round_trip);
	g_test_add_func ("/config/bindings-defaults", test_bindings_defaults);
	g_test_add_func ("/config/bindings-old-sections", test_bindings_old_sections);
	g_test_add_func ("/config/bind-lines", test_bind_lines);
	g_test_add_func ("/config/bind-order", test_bind_order);
	g_test_add_func ("/config/style-parse", test_style_parse);
	g_test_add_func ("/config/later-file-wins", test_later_file_wins);
	g_test_add_func ("/config/list-settings", test_list_settings);
	g_test_add_func ("/config/load-file", test_load_file);
	g_test_add_func ("/config/default-path", test_default_path);
	g_test_add_func ("/config/date-format", test_date_format);
	g_test_add_func ("/config/commands", test_commands);
	g_test_add_func ("/config/binding-argument-syntax", test_binding_argument_syntax);

	g_test_add_func ("/config/option-table", test_option_table);
	g_test_add_func ("/config/nul-byte", test_nul_byte);
	return g_test_run ();
}
