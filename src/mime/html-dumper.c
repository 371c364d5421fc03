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
 */
#include "config.h"

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
run_dumper (char **argv, const char *html, gsize len, char **why)
{
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
		.timeout_us = HTML_TIMEOUT_US,
		.stderr_to_null = TRUE,
	};
	TrawlCaptureResult res;
	GError *err = NULL;
	char *result = NULL;
	if (!trawl_process_capture ((char **) full->pdata, &opts, &res, &err)) {
		*why = g_strdup (err->message);
		g_clear_error (&err);
	} else if (res.timed_out) {
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

char *
mime_html_to_text (Ctx *c, guint nest, const char *html, gsize len, char **how)
{
	char *name = NULL;
	char **argv = html_argv (c->o.html_command, &name);
	if (argv) {
		char *why = NULL;
		char *out = run_dumper (argv, html, len, &why);
		g_strfreev (argv);
		if (out) {
			*how = name;
			char *v = mime_valid_dup (out, -1);
			g_free (out);
			return v;
		}
		mime_add_warning (c, nest, "HTML renderer %s %s: shown by the built-in renderer", name, why ? why : "failed");
		g_free (why);
		g_free (name);
	}
	*how = g_strdup ("the built-in renderer");
	return trawl_html_to_text (html, len);
}
