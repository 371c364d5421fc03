/* html-dumper.c — text/html parts shown as text: by an external dumper (w3m,
 * lynx, elinks, or html_command) when there is one, else by html.c.
 *
 * A dumper reads the HTML on its stdin and never touches the network: it
 * runs under `unshare -rn` (no network namespace to reach anything) when
 * that works here, with every proxy variable pointed at a dead address and
 * no_proxy unset; its stderr is dropped.  trawl_process_capture() (src/core)
 * runs it: a time limit of HTML_TIMEOUT_US kills it and whatever it started,
 * and its output is kept up to HTML_OUTPUT_CAP.  A dumper that cannot start,
 * fails without output or times out is replaced by the built-in renderer,
 * with a WARNING saying so.
 *
 * No message may hold trawl up, however many HTML parts it has (2,000 tiny
 * ones, 8 tables of 4 MiB): each render has a budget (TrawlRenderOptions).
 * The dumper runs at most html_max_runs times and for html_budget_us in all
 * (the run that reaches the end of the budget is cut there); later parts
 * go to the built-in renderer, counted on one HELD line.  Once HTML has
 * taken render_budget_us, or the UI's interrupt callback says stop (q
 * pressed: it is asked before each part and while a dumper runs), the
 * parts left are not rendered at all, counted on another HELD line.
 *
 * What was rendered is kept in a TrawlHtmlCache the caller may pass, keyed
 * by the renderer and the HTML's SHA-256: showing the message again (every
 * header, another alternative, back to it) never runs a dumper twice.
 */
#include "config.h"

#include <string.h>

#include "mime-private.h"
#include "trawl/process.h"

#define HTML_TIMEOUT_US (5 * G_USEC_PER_SEC)
#define HTML_OUTPUT_CAP ((gsize) 8 << 20)

static gboolean
unshare_works (void)
{
	static gsize once = 0;
	static gboolean ok = FALSE;
	if (g_once_init_enter (&once)) {
		char *path = g_find_program_in_path ("unshare");
		if (path) {
			const char *argv[] = { path, "-rn", "true", NULL };
			int status = -1;
			if (g_spawn_sync (NULL, (char **) argv, NULL,
					  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
					  NULL, NULL, NULL, NULL, &status, NULL))
				ok = g_spawn_check_wait_status (status, NULL);
			g_free (path);
		}
		g_once_init_leave (&once, 1);
	}
	return ok;
}

/* The dumper's argv, or NULL for the built-in renderer. *NAME gets its name. */
static char **
html_argv (const char *command, char **name)
{
	*name = NULL;
	if (command != NULL) {
		if (*command == '\0')
			return NULL;
		char **argv = NULL;
		if (!g_shell_parse_argv (command, NULL, &argv, NULL))
			return NULL;
		*name = g_path_get_basename (argv[0]);
		return argv;
	}
	static const char *const w3m[] = { "w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8",
					   "-cols", "80", "-o", "display_link_number=1", NULL };
	static const char *const lynx[] = { "lynx", "-dump", "-stdin", "-force_html", "-nomargins",
					    "-assume_charset=utf-8", "-display_charset=utf-8", "-width=80", NULL };
	static const char *const elinks[] = { "elinks", "-dump", "-dump-charset", "utf-8",
					      "-dump-width", "80", "-no-connect", "-force-html", NULL };
	static const char *const *const all[] = { w3m, lynx, elinks, NULL };
	for (int i = 0; all[i]; i++) {
		char *path = g_find_program_in_path (all[i][0]);
		if (path) {
			g_free (path);
			*name = g_strdup (all[i][0]);
			return g_strdupv ((char **) all[i]);
		}
	}
	return NULL;
}

/* Runs ARGV with HTML on stdin, no network; returns its stdout (newly
 * allocated) or NULL with *WHY (newly allocated) saying why not. */
static char *
run_dumper (Ctx *c, char **argv, const char *html, gsize len, gint64 limit_us, char **why,
	    gboolean *timed_out, gboolean *cancelled)
{
	*timed_out = *cancelled = FALSE;
	*why = NULL;
	GPtrArray *full = g_ptr_array_new ();
	if (unshare_works ()) {
		g_ptr_array_add (full, (char *) "unshare");
		g_ptr_array_add (full, (char *) "-rn");
	}
	for (char **a = argv; *a; a++)
		g_ptr_array_add (full, *a);
	g_ptr_array_add (full, NULL);

	char **envp = g_get_environ ();
	static const char *const proxies[] = {
		"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
		"all_proxy", "ftp_proxy", "FTP_PROXY", NULL
	};
	for (int i = 0; proxies[i]; i++)
		envp = g_environ_setenv (envp, proxies[i], "http://127.0.0.1:9", TRUE);
	envp = g_environ_unsetenv (envp, "no_proxy");
	envp = g_environ_unsetenv (envp, "NO_PROXY");

	TrawlCaptureOptions opts = {
		.envp = envp,
		.input = html,
		.input_len = len,
		.output_cap = HTML_OUTPUT_CAP,
		.timeout_us = limit_us,
		.stderr_to_null = TRUE,
		.cancel = c->o.interrupt,
		.cancel_data = c->o.interrupt_data,
	};
	TrawlCaptureResult res;
	GError *err = NULL;
	char *result = NULL;
	if (!trawl_process_capture ((char **) full->pdata, &opts, &res, &err)) {
		*why = g_strdup (err->message);
		g_clear_error (&err);
	} else if (res.cancelled) {
		*cancelled = TRUE;
		*why = g_strdup ("interrupted");
	} else if (res.timed_out) {
		*timed_out = TRUE;
		*why = g_strdup ("timed out");
	} else if (!res.output_cut && res.status != 0 && res.output_len == 0) {
		*why = g_strdup ("failed");
	} else {
		GString *buf = g_string_new_len (res.output, (gssize) res.output_len);
		if (res.output_cut)
			g_string_append (buf, "\n[output cut]\n");
		result = g_string_free (buf, FALSE);
	}
	trawl_capture_result_clear (&res);
	g_strfreev (envp);
	g_ptr_array_free (full, TRUE);
	return result;
}

/* ------------------------------------------------------------- the cache */

struct TrawlHtmlCache {
	GHashTable *map;	/* key (owned) -> text (owned) */
	GQueue order;		/* the keys, oldest first (borrowed from map) */
	gsize bytes, max_bytes;
};

TrawlHtmlCache *
trawl_html_cache_new (gsize max_bytes)
{
	TrawlHtmlCache *cache = g_new0 (TrawlHtmlCache, 1);
	cache->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_queue_init (&cache->order);
	cache->max_bytes = max_bytes;
	return cache;
}

void
trawl_html_cache_free (TrawlHtmlCache *cache)
{
	if (cache == NULL)
		return;
	g_queue_clear (&cache->order);
	g_hash_table_destroy (cache->map);
	g_free (cache);
}

/* The cache key of HTML rendered by RENDERER (a command line, or "built-in"). */
static char *
cache_key (const char *renderer, const char *html, gsize len)
{
	char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) html, len);
	char *key = g_strconcat (sum, " ", renderer, NULL);
	g_free (sum);
	return key;
}

/* A copy of the cached text for KEY, or NULL. */
static char *
cache_get (Ctx *c, const char *key)
{
	TrawlHtmlCache *cache = c->o.html_cache;
	const char *text = cache ? g_hash_table_lookup (cache->map, key) : NULL;
	if (text == NULL)
		return NULL;
	c->r->stats.html_cache_hits++;
	return g_strdup (text);
}

static gboolean
cache_has (Ctx *c, const char *key)
{
	return c->o.html_cache && g_hash_table_contains (c->o.html_cache->map, key);
}

/* Keeps a copy of TEXT under KEY, dropping the oldest entries to stay
 * within the cache's size; a text bigger than a quarter of it is not kept. */
static void
cache_put (Ctx *c, const char *key, const char *text)
{
	TrawlHtmlCache *cache = c->o.html_cache;
	gsize size = strlen (text) + strlen (key);
	if (cache == NULL || size > cache->max_bytes / 4 || g_hash_table_contains (cache->map, key))
		return;
	while (cache->bytes + size > cache->max_bytes && !g_queue_is_empty (&cache->order)) {
		char *old = g_queue_pop_head (&cache->order);
		const char *t = g_hash_table_lookup (cache->map, old);
		cache->bytes -= strlen (t) + strlen (old);
		g_hash_table_remove (cache->map, old);
	}
	char *k = g_strdup (key);
	g_hash_table_insert (cache->map, k, g_strdup (text));
	g_queue_push_tail (&cache->order, k);
	cache->bytes += size;
}

/* ------------------------------------------------------------ the budget */

/* Counts one more HTML part on the HELD line *SLOT (added at NEST the first
 * time; DEPTH 1: rendered by the built-in renderer, 0: not rendered) and
 * rewrites its text. */
static void
count_held (Ctx *c, TrawlLine **slot, guint nest, guint depth, const char *dumper)
{
	c->r->html_held++;
	TrawlLine *l = *slot;
	if (l == NULL) {
		mime_add_blank (c, nest);
		l = mime_add_line (c, TRAWL_LINE_HELD, nest, "");
		if (l == NULL)
			return;
		l->depth = depth;
		*slot = l;
	}
	l->count++;
	g_free (l->text);
	if (depth == 1)
		l->text = g_strdup_printf ("%u more HTML part%s shown by the built-in renderer: the render budget "
					   "(%u runs of %s, %.0f s) was used up", l->count, l->count == 1 ? "" : "s",
					   c->o.html_max_runs, dumper, (double) c->o.html_budget_us / G_USEC_PER_SEC);
	else
		l->text = g_strdup_printf ("%u HTML part%s not rendered: %s", l->count, l->count == 1 ? "" : "s",
					   c->r->interrupted ? "rendering was interrupted"
					   : "the render budget was used up");
}

gboolean
mime_html_allowed (Ctx *c, guint nest)
{
	if (!c->html_stopped) {
		if (c->html_us >= c->o.render_budget_us) {
			c->html_stopped = TRUE;
		} else if (c->o.interrupt && c->o.interrupt (c->o.interrupt_data)) {
			c->html_stopped = TRUE;
			c->r->interrupted = TRUE;
		}
	}
	if (!c->html_stopped)
		return TRUE;
	c->r->stats.html_held++;
	count_held (c, &c->held_line, nest, 0, NULL);
	return FALSE;
}

/* The built-in renderer, through the cache. */
static char *
builtin_to_text (Ctx *c, const char *html, gsize len)
{
	char *key = cache_key ("built-in", html, len);
	char *text = cache_get (c, key);
	if (text == NULL) {
		text = trawl_html_to_text (html, len);
		c->r->stats.html_builtin++;
		cache_put (c, key, text);
	}
	g_free (key);
	return text;
}

/* The dumper of this render, found once (a PATH search per part would
 * cost as much as the part): TRUE and its argv in c->dumper_argv, or FALSE
 * for the built-in renderer. */
static gboolean
dumper_of (Ctx *c)
{
	if (!c->dumper_known) {
		c->dumper_known = TRUE;
		c->dumper_argv = html_argv (c->o.html_command, &c->dumper_name);
		if (c->dumper_argv)
			c->dumper_id = g_strjoinv (" ", c->dumper_argv);
	}
	return c->dumper_argv != NULL;
}

static char *
html_to_text (Ctx *c, guint nest, const char *html, gsize len, char **how)
{
	gboolean dumper = dumper_of (c);
	const char *name = c->dumper_name;
	if (dumper && !c->dumper_spent) {
		char *key = cache_key (c->dumper_id, html, len);
		char *text = cache_get (c, key);
		/* A render again is the render before: parts from the cache
		 * count as runs, and a part the budget cut short cuts it again
		 * (without running the dumper to find out). */
		char *slow_key = g_strconcat ("slow ", key, NULL);
		if (text)
			c->dumper_parts++;
		else if (c->dumper_parts >= c->o.html_max_runs || c->dumper_us >= c->o.html_budget_us ||
			 cache_has (c, slow_key))
			c->dumper_spent = TRUE;
		else {
			c->dumper_parts++;
			gint64 left = c->o.html_budget_us - c->dumper_us;
			gint64 limit = MIN (HTML_TIMEOUT_US, left);
			char *why = NULL;
			gboolean timed_out, cancelled;
			gint64 t0 = g_get_monotonic_time ();
			char *out = run_dumper (c, c->dumper_argv, html, len, limit, &why, &timed_out, &cancelled);
			c->dumper_us += g_get_monotonic_time () - t0;
			c->r->stats.html_dumper_runs++;
			if (out) {
				text = mime_valid_dup (out, -1);
				g_free (out);
				cache_put (c, key, text);
			} else if (cancelled) {
				c->html_stopped = TRUE;
				c->r->interrupted = TRUE;
			} else if (timed_out && limit < HTML_TIMEOUT_US) {
				c->dumper_spent = TRUE;	/* cut by the budget, not by the dumper's own limit */
				cache_put (c, slow_key, "");
			} else {
				mime_add_warning (c, nest, "HTML renderer %s %s: shown by the built-in renderer", name,
						  why ? why : "failed");
			}
			g_free (why);
		}
		g_free (slow_key);
		g_free (key);
		if (text) {
			*how = g_strdup (name);
			return text;
		}
		if (c->html_stopped)
			return NULL;
	}
	if (dumper && c->dumper_spent)	/* the budget is spent: the built-in renderer instead */
		count_held (c, &c->builtin_line, nest, 1, name);
	*how = g_strdup ("the built-in renderer");
	return builtin_to_text (c, html, len);
}

char *
mime_html_to_text (Ctx *c, guint nest, const char *html, gsize len, char **how)
{
	gint64 t0 = g_get_monotonic_time ();
	char *text = mime_collapse_blank_lines (html_to_text (c, nest, html, len, how));
	c->html_us += g_get_monotonic_time () - t0;
	if (text == NULL) {	/* interrupted while the dumper ran */
		c->r->stats.html_held++;
		count_held (c, &c->held_line, nest, 0, NULL);
	}
	return text;
}
