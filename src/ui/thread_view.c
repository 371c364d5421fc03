/* thread_view.c — one thread: the reply tree above, the selected message below
 * (or full screen).
 *
 * Cost per keypress is what the screen shows: the tree rows drawn come from
 * the model's precomputed rows, and only the selected message is parsed
 * (by the MIME layer), once, then wrapped for the pane's width. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/datefmt.h"
#include "trawl/mime.h"
#include "trawl/sanitize.h"
#include "trawl/tags.h"
#include "trawl/wrap.h"

/* One screen line of the message pane. */
typedef struct {
	TrawlLineType type;
	guint depth;
	char *text;		/* sanitised, at most the pane's width */
	char *label;		/* HEADER: sanitised "Name:" on the first screen line of a header */
} PaneLine;

typedef struct {
	View base;
	TrawlThread *thread;
	GArray *visible;	/* int: indices of the messages the tree shows */
	gboolean *collapsed;	/* per message: its replies hidden */
	int sel;		/* index into thread->messages */
	UiRows rows;		/* the tree: sel's row and the first row shown, into visible */
	gint64 now;

	/* the message pane */
	TrawlRendered *rendered;
	char *render_error;
	int rendered_for;	/* message index, -1: none */
	GPtrArray *pane;	/* PaneLine * */
	int pane_width;		/* the width pane was built for */
	int pane_top;
	gboolean pager;		/* full screen */
	gboolean quotes_open;
	gboolean all_headers;
	gboolean raw;
	guint alternative;
	gboolean read_pending;	/* the selected message is to be marked read when shown */
	guint patched;		/* tag changes patched in (tests count them) */
} ThreadView;

#define RAW_MAX_BYTES (4 * 1024 * 1024)

static TrawlMessage *
msg (ThreadView *tv, int i)
{
	return tv->thread->messages->pdata[i];
}

static void
pane_line_free (PaneLine *l)
{
	g_free (l->text);
	g_free (l->label);
	g_free (l);
}

/* ---- layout ---- */

static int
tree_rows (ThreadView *tv)
{
	if (tv->pager)
		return 0;
	int body = app_body_rows ();
	int want = MAX (3, body * tv->base.app->pager_split / 100);
	return MIN ((int) tv->visible->len, MIN (want, MAX (1, body - 4)));
}

static int
pane_first_row (ThreadView *tv)
{
	return tv->pager ? 1 : 1 + tree_rows (tv) + 1;	/* + the separator */
}

static int
pane_rows (ThreadView *tv)
{
	return MAX (1, LINES - 1 - pane_first_row (tv));
}

/* ---- the tree ---- */

static void
rebuild_visible (ThreadView *tv)
{
	g_array_set_size (tv->visible, 0);
	guint n = tv->thread->messages->len;
	for (guint i = 0; i < n; i++) {
		TrawlMessage *m = msg (tv, i);
		gboolean hidden = FALSE;
		for (int a = m->parent; a >= 0; a = msg (tv, a)->parent)
			if (tv->collapsed[a]) {
				hidden = TRUE;
				break;
			}
		if (!hidden) {
			int ii = i;
			g_array_append_val (tv->visible, ii);
		} else {
			/* Skip the whole hidden subtree at once. */
			i += m->descendants;
		}
	}
}

static int
visible_index (ThreadView *tv, int message)
{
	for (guint k = 0; k < tv->visible->len; k++)
		if (g_array_index (tv->visible, int, k) == message)
			return k;
	return -1;
}

/* Makes message I visible (expanding its ancestors) and scrolls the tree to it. */
static void
reveal (ThreadView *tv, int i)
{
	gboolean changed = FALSE;
	for (int a = msg (tv, i)->parent; a >= 0; a = msg (tv, a)->parent)
		if (tv->collapsed[a]) {
			tv->collapsed[a] = FALSE;
			changed = TRUE;
		}
	if (changed)
		rebuild_visible (tv);
	tv->rows.cur = visible_index (tv, i);
	ui_list_show_cursor (&tv->base);
}

static void
select_message (ThreadView *tv, int i)
{
	if (i < 0 || i >= (int) tv->thread->messages->len)
		return;
	if (i != tv->sel)
		tv->alternative = 0;	/* each message opens on its plain text */
	tv->sel = i;
	tv->pane_top = 0;
	tv->read_pending = msg (tv, i)->unread;
	reveal (tv, i);
}

/* Strips reply and forward prefixes, to see whether a subject changed. */
static const char *
base_subject (const char *s)
{
	for (;;) {
		while (*s == ' ')
			s++;
		if (g_ascii_strncasecmp (s, "re:", 3) == 0 || g_ascii_strncasecmp (s, "aw:", 3) == 0)
			s += 3;
		else if (g_ascii_strncasecmp (s, "fwd:", 4) == 0)
			s += 4;
		else if (g_ascii_strncasecmp (s, "fw:", 3) == 0)
			s += 3;
		else
			return s;
	}
}

static char *
display_author (const char *from)
{
	/* "Name <addr>" -> "Name"; a bare address stays. */
	const char *lt = strchr (from, '<');
	g_autofree char *name = lt && lt > from ? g_strndup (from, lt - from) : g_strdup (from);
	g_strstrip (name);
	if (name[0] == '"' && strlen (name) > 1 && name[strlen (name) - 1] == '"') {
		name[strlen (name) - 1] = '\0';
		return g_strdup (name + 1);
	}
	return *name ? g_steal_pointer (&name) : g_strdup (from);
}

static void
draw_tree_row (ThreadView *tv, int y, int i)
{
	TrawlMessage *m = msg (tv, i);
	gboolean selected = i == tv->sel;
	App *app = tv->base.app;
	/* Unread and flagged style the subject; row.tag.NAME styles the row;
	 * the selection lies over all. */
	attr_t subject = ui_attr (UI_ATTR_SUBJECT);
	if (m->unread)
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_UNREAD));
	if (trawl_words_contain (m->tags, "flagged"))
		subject = ui_attr_over (subject, ui_attr (UI_ATTR_FLAGGED));
	attr_t row = ui_row_attr (m->tags);
	attr_t sel = selected ? ui_attr_over (row, ui_attr (UI_ATTR_SELECTED)) : row;
	int x = 0;

	g_autofree char *date = trawl_date_format_with (m->date, tv->now, app->date_format);
	g_autofree char *dcol = g_strdup_printf ("%*s ", app->date_width, date);
	ui_put_padded (y, x, app->date_width + 1, dcol, ui_attr_over (ui_attr (UI_ATTR_DATE), sel));
	x += app->date_width + 1;

	/* Matched messages stand out; context messages are dimmed. */
	attr_t who = m->matched ? ui_attr (UI_ATTR_AUTHOR_MATCHED) : ui_attr (UI_ATTR_AUTHOR_OTHER);
	x += ui_put (y, x, COLS - x, m->prefix, ui_attr_over (ui_attr (UI_ATTR_TREE), sel));
	if (tv->collapsed[i] && m->n_children) {
		g_autofree char *hidden = g_strdup_printf ("[+%u] ", m->descendants);
		x += ui_put (y, x, COLS - x, hidden, ui_attr_over (ui_attr (UI_ATTR_COUNT), sel));
	}
	g_autofree char *author = display_author (m->from);
	int aw = MIN (app->author_width, MAX (0, COLS - x));
	ui_put_padded (y, x, aw, author, ui_attr_over (who, sel));
	x += aw;
	if (x < COLS)
		x += ui_put (y, x, 1, " ", sel);

	gboolean show_subject = m->parent < 0 ||
		strcmp (base_subject (m->subject), base_subject (msg (tv, m->parent)->subject)) != 0;
	if (show_subject && x < COLS)
		x += ui_put (y, x, COLS - x, m->subject, ui_attr_over (subject, sel));
	if (x < COLS && *m->tags) {
		x += ui_put (y, x, COLS - x, " ", sel);
		x += ui_put_tags (y, x, COLS - x, m->tags, TRUE, sel);
	}
	ui_fill (y, x, sel);
}

/* ---- the message pane ---- */

static void
pane_add (GPtrArray *pane, TrawlLineType type, guint depth, const char *label,
	  const char *text, int width)
{
	/* Tabs expanded, then sanitised, then wrapped: widths are the screen's. */
	g_autofree char *expanded = trawl_expand_tabs (text ? text : "");
	g_autofree char *safe = trawl_sanitize (expanded, -1);
	g_autofree char *safe_label = label ? trawl_sanitize (label, -1) : NULL;
	int lw = safe_label ? trawl_text_width (safe_label) + 1 : 0;
	g_autoptr (GPtrArray) wrapped = trawl_text_wrap (safe, MAX (1, width - lw));
	for (guint k = 0; k < wrapped->len; k++) {
		PaneLine *l = g_new0 (PaneLine, 1);
		l->type = type;
		l->depth = depth;
		l->text = g_strdup (wrapped->pdata[k]);
		if (safe_label && k == 0)
			l->label = g_strdup (safe_label);
		else if (safe_label)
			l->label = g_strnfill (lw - 1, ' ');
		g_ptr_array_add (pane, l);
	}
}

static char *
quote_prefix (guint depth)
{
	GString *s = g_string_new (NULL);
	for (guint d = 0; d < depth && d < 16; d++)
		g_string_append (s, "> ");
	return g_string_free (s, FALSE);
}

/* 1 for the first part that is an attachment, and so on. */
static int
attachment_ordinal (const TrawlRendered *r, int index)
{
	int n = 0;
	for (guint i = 0; i < r->parts->len; i++) {
		TrawlPart *p = r->parts->pdata[i];
		if (p->is_attachment)
			n++;
		if (p->index == index)
			return n;
	}
	return 0;
}

static void
build_pane_rendered (ThreadView *tv, int width)
{
	TrawlRendered *r = tv->rendered;
	for (guint k = 0; k < r->lines->len; k++) {
		TrawlLine *ln = r->lines->pdata[k];
		/* Nested messages get a bar per level. */
		GString *bar = g_string_new (NULL);
		for (guint d = 0; d < ln->nest && d < 8; d++)
			g_string_append (bar, "┃ ");
		g_autofree char *bars = g_string_free (bar, FALSE);
		int w = MAX (8, width - trawl_text_width (bars));
		g_autofree char *text = NULL;

		switch (ln->type) {
		case TRAWL_LINE_QUOTE:
			if (ln->fold_id && !tv->quotes_open)
				continue;	/* stood for by its fold line */
			{
				g_autofree char *qp = quote_prefix (ln->depth);
				text = g_strconcat (bars, qp, ln->text, NULL);
			}
			break;
		case TRAWL_LINE_QUOTE_FOLD:
			if (tv->quotes_open)
				continue;
			{
				g_autofree char *qp = quote_prefix (ln->depth);
				g_autofree char *keys = ui_keymap_keys ("thread", TRAWL_CMD_TOGGLE_QUOTES);
				text = g_strdup_printf ("%s%s[%u quoted lines hidden; %s shows them]", bars, qp,
							ln->count, *keys ? keys : "toggle-quotes");
			}
			break;
		case TRAWL_LINE_PART:
			text = g_strdup_printf ("%s[-- %s --]", bars, ln->text ? ln->text : "");
			break;
		case TRAWL_LINE_ATTACHMENT:
			/* Numbered as the attachment prompts number them. */
			text = g_strdup_printf ("%s[attachment %d: %s]", bars, attachment_ordinal (r, ln->part),
						ln->text ? ln->text : "");
			break;
		case TRAWL_LINE_WARNING:
			text = g_strdup_printf ("%s[!] %s", bars, ln->text ? ln->text : "");
			break;
		case TRAWL_LINE_HEADER: {
			g_autofree char *label = g_strdup_printf ("%s%s:", bars, ln->label ? ln->label : "");
			pane_add (tv->pane, ln->type, ln->depth, label, ln->text, width);
			continue;
		}
		case TRAWL_LINE_BLANK:
			text = g_strdup (bars);
			break;
		default:
			text = g_strconcat (bars, ln->text ? ln->text : "", NULL);
			break;
		}
		pane_add (tv->pane, ln->type, ln->depth, NULL, text, MAX (w, width));
	}
}

static void
build_pane_raw (ThreadView *tv, TrawlMessage *m, int width)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr (GError) err = NULL;
	if (!g_file_get_contents (m->filename, &data, &len, &err)) {
		g_autofree char *w = g_strdup_printf ("[!] %s", err->message);
		pane_add (tv->pane, TRAWL_LINE_WARNING, 0, NULL, w, width);
		return;
	}
	gboolean cut = len > RAW_MAX_BYTES;
	const char *p = data, *end = data + MIN (len, (gsize) RAW_MAX_BYTES);
	while (p < end) {
		const char *nl = memchr (p, '\n', end - p);
		const char *e = nl ? nl : end;
		/* Raw bytes: the sanitiser shows anything not UTF-8 as \xNN. */
		g_autofree char *line = g_strndup (p, e - p);
		gsize l = e - p;
		if (l && line[l - 1] == '\r')
			line[l - 1] = '\0';
		g_autofree char *safe = trawl_sanitize (line, e - p - (l && line[l - 1] == '\0' ? 1 : 0));
		pane_add (tv->pane, TRAWL_LINE_BODY, 0, NULL, safe, width);
		p = nl ? nl + 1 : end;
	}
	if (cut)
		pane_add (tv->pane, TRAWL_LINE_WARNING, 0, NULL, "[!] raw source cut at 4 MiB", width);
}

static void
ensure_rendered (ThreadView *tv)
{
	if (tv->rendered_for == tv->sel && tv->pane && tv->pane_width == COLS)
		return;
	TrawlMessage *m = msg (tv, tv->sel);
	if (tv->rendered_for != tv->sel) {
		g_clear_pointer (&tv->rendered, trawl_rendered_free);
		g_clear_pointer (&tv->render_error, g_free);
		{	/* rendered in raw mode too: the parts list serves the attachment keys */
			TrawlRenderOptions o = { 0 };
			o.all_headers = tv->all_headers;
			o.alternative = tv->alternative;
			o.quote_fold_min = tv->base.app->quote_fold;
			o.html_command = tv->base.app->html_command;
			o.now = tv->now;
			g_autoptr (GError) err = NULL;
			tv->rendered = trawl_mime_render_file (m->filename, &o, &err);
			if (!tv->rendered)
				tv->render_error = g_strdup_printf ("[!] cannot read the message: %s", err->message);
		}
		tv->rendered_for = tv->sel;
	}
	if (tv->pane)
		g_ptr_array_unref (tv->pane);
	tv->pane = g_ptr_array_new_with_free_func ((GDestroyNotify) pane_line_free);
	tv->pane_width = COLS;
	int width = MAX (1, COLS - 1);
	if (tv->base.app->wrap_width > 0)
		width = MIN (width, tv->base.app->wrap_width);
	if (tv->raw)
		build_pane_raw (tv, m, width);
	else if (tv->rendered)
		build_pane_rendered (tv, width);
	else
		pane_add (tv->pane, TRAWL_LINE_WARNING, 0, NULL, tv->render_error, width);
}

/* Re-renders the selected message (options changed). */
static void
rerender (ThreadView *tv)
{
	tv->rendered_for = -1;
	tv->pane_top = 0;
}

static attr_t
pane_attr (const PaneLine *l)
{
	static const UiAttr quote_attrs[] = { UI_ATTR_QUOTE1, UI_ATTR_QUOTE2, UI_ATTR_QUOTE3, UI_ATTR_QUOTE4 };
	switch (l->type) {
	case TRAWL_LINE_QUOTE:
	case TRAWL_LINE_QUOTE_FOLD:
		return ui_attr (quote_attrs[(MAX (l->depth, 1) - 1) % G_N_ELEMENTS (quote_attrs)]);
	case TRAWL_LINE_HEADER:
		return ui_attr (UI_ATTR_HEADER_VALUE);
	case TRAWL_LINE_SIGNATURE:
		return ui_attr (UI_ATTR_SIGNATURE);
	case TRAWL_LINE_PART:
	case TRAWL_LINE_ATTACHMENT:
		return ui_attr (UI_ATTR_PART);
	case TRAWL_LINE_WARNING:
		return ui_attr (UI_ATTR_ERROR);
	default:
		return A_NORMAL;
	}
}

static void
draw_pane (ThreadView *tv)
{
	ensure_rendered (tv);
	int y0 = pane_first_row (tv), h = pane_rows (tv);
	int max_top = MAX (0, (int) tv->pane->len - h);
	tv->pane_top = CLAMP (tv->pane_top, 0, max_top);
	for (int r = 0; r < h && tv->pane_top + r < (int) tv->pane->len; r++) {
		PaneLine *l = tv->pane->pdata[tv->pane_top + r];
		int x = 0;
		if (l->label)
			x += ui_put (y0 + r, 0, COLS, l->label, ui_attr (UI_ATTR_HEADING_LABEL)) + 1;
		ui_put (y0 + r, x, COLS - x, l->text, pane_attr (l));
	}
}

/* Reading marks read: once the selected message is on the screen, its
 * unread tag goes (unless turned off, or the database is read-only).  After
 * the draw, so the write never delays what the user waits for; the write
 * reloads the thread, so no pointer into it may be held here. */
static gboolean
thread_after_draw (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	if (!tv->read_pending)
		return FALSE;
	tv->read_pending = FALSE;
	if (!tv->base.app->mark_read || !trawl_db_writable (tv->base.app->db) ||
	    !msg (tv, tv->sel)->unread)
		return FALSE;
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (msg (tv, tv->sel)->message_id));
	app_apply_tags (tv->base.app, ids, "-unread", FALSE);
	return TRUE;
}

static void
thread_draw (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	TrawlMessage *m = msg (tv, tv->sel);
	TrawlMessage *root = msg (tv, 0);

	ensure_rendered (tv);
	int h = pane_rows (tv);
	int pct = tv->pane->len <= (guint) h ? 100
		: (int) (100 * MIN ((gsize) tv->pane_top + h, tv->pane->len) / tv->pane->len);
	g_autofree char *left = g_strdup_printf ("thread: %s", root->subject);
	g_autofree char *right = g_strdup_printf ("[%d/%u] %u matched%s%s", tv->sel + 1,
						  tv->thread->messages->len, tv->thread->matched,
						  tv->raw ? ", raw" : "", tv->pager ? ", full screen" : "");
	ui_title (left, right);

	if (!tv->pager) {
		int th = tree_rows (tv);
		for (int r = 0; r < th && tv->rows.top + r < (int) tv->visible->len; r++)
			draw_tree_row (tv, 1 + r, g_array_index (tv->visible, int, tv->rows.top + r));
		/* The separator says which message the pane shows and how far down. */
		g_autofree char *author = display_author (m->from);
		g_autofree char *sep = g_strdup_printf ("── %d/%u %s, %d%% ", tv->sel + 1,
							tv->thread->messages->len, author, pct);
		int y = 1 + th;
		int used = ui_put (y, 0, COLS, sep, ui_attr (UI_ATTR_SEPARATOR));
		for (int x = used; x < COLS; x++)
			mvaddstr (y, x, "─");
	}
	draw_pane (tv);
}

/* ---- attachments and pipes ---- */

/* Asks which attachment, when there is more than one.  -1: none or cancelled. */
static int
choose_attachment (ThreadView *tv, const char *verb)
{
	App *app = tv->base.app;
	ensure_rendered (tv);
	if (!tv->rendered) {
		app_message (app, TRUE, "The message could not be read");
		return -1;
	}
	g_autoptr (GArray) att = g_array_new (FALSE, FALSE, sizeof (int));
	for (guint i = 0; i < tv->rendered->parts->len; i++) {
		TrawlPart *p = tv->rendered->parts->pdata[i];
		if (p->is_attachment) {
			int idx = p->index;
			g_array_append_val (att, idx);
		}
	}
	if (!att->len) {
		app_message (app, FALSE, "This message has no attachments");
		return -1;
	}
	int k = ui_pick (app, verb, "attachment", att->len);
	return k < 0 ? -1 : g_array_index (att, int, k);
}

static TrawlPart *
part_at (ThreadView *tv, int index)
{
	for (guint i = 0; i < tv->rendered->parts->len; i++) {
		TrawlPart *p = tv->rendered->parts->pdata[i];
		if (p->index == index)
			return p;
	}
	return NULL;
}

/* DIR/NAME, or DIR/NAME-1.EXT, -2... when taken: never overwrite. */
static char *
free_name (const char *dir, const char *name)
{
	char *path = g_build_filename (dir, name, NULL);
	if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
		return path;
	g_free (path);
	const char *dot = strrchr (name, '.');
	if (dot == name)
		dot = NULL;
	g_autofree char *base = dot ? g_strndup (name, dot - name) : g_strdup (name);
	for (int k = 1; k < 10000; k++) {
		g_autofree char *alt = g_strdup_printf ("%s-%d%s", base, k, dot ? dot : "");
		path = g_build_filename (dir, alt, NULL);
		if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
			return path;
		g_free (path);
	}
	return NULL;
}

/* Decodes part INDEX of the shown message into a private temporary directory
 * (removed when trawl ends) as NAME; returns the path. */
static char *
part_to_temp (ThreadView *tv, int index, const char *name, GError **error)
{
	g_autofree char *dir = g_dir_make_tmp ("trawl-XXXXXX", error);
	if (!dir)
		return NULL;
	g_ptr_array_add (tv->base.app->temp_dirs, g_strdup (dir));
	char *path = g_build_filename (dir, name, NULL);
	if (!trawl_mime_save_part (msg (tv, tv->sel)->filename, index, path, error)) {
		g_free (path);
		return NULL;
	}
	return path;
}

static void
save_attachment (ThreadView *tv)
{
	App *app = tv->base.app;
	int index = choose_attachment (tv, "Save");
	if (index < 0)
		return;
	TrawlPart *part = part_at (tv, index);
	g_autofree char *cwd = g_get_current_dir ();
	g_autofree char *dir = ui_prompt (app, "Save to directory: ", app->save_dir ? app->save_dir : cwd, NULL);
	if (!dir)
		return;
	g_strstrip (dir);
	if (dir[0] == '~') {
		char *home = g_build_filename (g_get_home_dir (), dir + 1, NULL);
		g_free (dir);
		dir = home;
	}
	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		app_message (app, TRUE, "%s is not a directory", dir);
		return;
	}
	g_autofree char *path = free_name (dir, part->safe_filename);
	g_autoptr (GError) err = NULL;
	if (!path || !trawl_mime_save_part (msg (tv, tv->sel)->filename, index, path, &err)) {
		app_message (app, TRUE, "Not saved: %s", err ? err->message : "no free file name");
		return;
	}
	g_free (app->save_dir);
	app->save_dir = g_strdup (dir);
	app_message (app, FALSE, "Saved %s", path);
}

static gboolean
on_path (const char *program)
{
	g_autofree char *path = g_find_program_in_path (program);
	return path != NULL;
}

static void
open_attachment (ThreadView *tv)
{
	App *app = tv->base.app;
	int index = choose_attachment (tv, "Open");
	if (index < 0)
		return;
	TrawlPart *part = part_at (tv, index);
	g_autoptr (GError) err = NULL;
	g_autofree char *path = part_to_temp (tv, index, part->safe_filename, &err);
	if (!path) {
		app_message (app, TRUE, "Cannot open: %s", err->message);
		return;
	}
	/* The configured command with the file last; else xdg-open on a
	 * desktop, run-mailcap (the mailcap rules) otherwise. */
	g_auto (GStrv) argv = NULL;
	if (strcmp (app->open_command, "auto") != 0) {
		g_auto (GStrv) words = NULL;
		if (!g_shell_parse_argv (app->open_command, NULL, &words, &err)) {
			app_message (app, TRUE, "Bad [commands] open: %s", err->message);
			return;
		}
		GStrvBuilder *b = g_strv_builder_new ();
		g_strv_builder_addv (b, (const char **) words);
		g_strv_builder_add (b, path);
		argv = g_strv_builder_end (b);
		g_strv_builder_unref (b);
	} else if (on_path ("xdg-open")) {
		argv = g_strdupv ((char *[]) { (char *) "xdg-open", path, NULL });
	} else if (on_path ("run-mailcap")) {
		g_autofree char *spec = g_strdup_printf ("%s:%s", part->content_type, path);
		argv = g_strdupv ((char *[]) { (char *) "run-mailcap", (char *) "--action=view", spec, NULL });
	}
	if (!argv) {
		app_message (app, TRUE, "Neither xdg-open nor run-mailcap is installed; saved as %s", path);
		return;
	}
	int st = ui_run_external (argv, NULL, FALSE, &err);
	if (st < 0)
		app_message (app, TRUE, "Cannot run %s: %s", argv[0], err->message);
	else if (st != 0)
		app_message (app, TRUE, "%s exited with status %d for %s", argv[0], st, path);
	else
		app_message (app, FALSE, "Opened %s with %s", part->safe_filename, argv[0]);
}

/* Runs the shell command COMMAND (NULL: one the user types) with the file
 * INPUT on its standard input. */
static void
pipe_file (ThreadView *tv, const char *input, const char *command)
{
	App *app = tv->base.app;
	g_autofree char *cmd = command ? g_strdup (command) : ui_prompt (app, "Pipe to: ", "", app->pipe_history);
	if (!cmd || !*g_strstrip (cmd))
		return;
	char *argv[] = { (char *) "/bin/sh", (char *) "-c", cmd, NULL };
	g_autoptr (GError) err = NULL;
	int st = ui_run_external (argv, input, TRUE, &err);
	if (st < 0)
		app_message (app, TRUE, "Cannot run the command: %s", err->message);
	else
		app_message (app, st ? TRUE : FALSE, "'%s' exited with status %d", cmd, st);
}

static void
pipe_part (ThreadView *tv)
{
	App *app = tv->base.app;
	ensure_rendered (tv);
	if (!tv->rendered || !tv->rendered->parts->len) {
		app_message (app, FALSE, "This message has no parts to pipe");
		return;
	}
	int k = ui_pick (app, "Pipe", "part", tv->rendered->parts->len);
	if (k < 0)
		return;
	int index = ((TrawlPart *) tv->rendered->parts->pdata[k])->index;
	g_autoptr (GError) err = NULL;
	g_autofree char *path = part_to_temp (tv, index, "part", &err);
	if (!path) {
		app_message (app, TRUE, "Cannot decode the part: %s", err->message);
		return;
	}
	pipe_file (tv, path, NULL);
}

/* ---- commands ---- */

static int
find_from (ThreadView *tv, int start, int dir, gboolean (*want) (TrawlMessage *))
{
	int n = tv->thread->messages->len;
	for (int i = start + dir; i >= 0 && i < n; i += dir)
		if (want (msg (tv, i)))
			return i;
	return -1;
}

static gboolean
is_unread (TrawlMessage *m)
{
	return m->unread;
}

static gboolean
is_match (TrawlMessage *m)
{
	return m->matched;
}

static void
scroll_pane (ThreadView *tv, int delta, gboolean advance)
{
	ensure_rendered (tv);
	int h = pane_rows (tv);
	int max_top = MAX (0, (int) tv->pane->len - h);
	if (delta > 0 && tv->pane_top >= max_top && advance) {
		/* At the end of a message, the page key moves on, as in less -E. */
		if (tv->rows.cur + 1 < tv->visible->len)
			ui_list_move (&tv->base, 1);
		else
			app_message (tv->base.app, FALSE, "End of thread");
		return;
	}
	tv->pane_top = CLAMP (tv->pane_top + delta, 0, max_top);
}

/* The tag commands act on the selected message. */
static GPtrArray *
thread_tag_targets (View *v, TrawlCommand cmd, const char **what, const char **tags)
{
	ThreadView *tv = (ThreadView *) v;
	if (cmd == TRAWL_CMD_TOGGLE_UNREAD)
		tv->read_pending = FALSE;	/* the user decides now */
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (ids, g_strdup (msg (tv, tv->sel)->message_id));
	*what = "message";
	*tags = msg (tv, tv->sel)->tags;
	return ids;
}

/* ---- the tree, as the movement driver (listnav.c) moves in it ---- */

static gint64
tree_list_count (View *v)
{
	return ((ThreadView *) v)->visible->len;
}

static int
tree_list_height (View *v)
{
	return tree_rows ((ThreadView *) v);
}

/* The cursor moved: its message is the one shown. */
static void
tree_list_moved (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	select_message (tv, g_array_index (tv->visible, int, tv->rows.cur));
}

static const UiListOps tree_list = {
	UI_ROWS_LIST (ThreadView, rows),
	.count = tree_list_count,
	.height = tree_list_height,
	.moved = tree_list_moved,
};

static gboolean
thread_command (View *v, TrawlCommand cmd, const char *arg)
{
	ThreadView *tv = (ThreadView *) v;
	int h = pane_rows (tv);
	int i;
	switch (cmd) {
	case TRAWL_CMD_NEXT_MESSAGE:
		ui_list_move (v, 1);
		return TRUE;
	case TRAWL_CMD_PREV_MESSAGE:
		ui_list_move (v, -1);
		return TRUE;
	case TRAWL_CMD_NEXT_UNREAD:
		i = find_from (tv, tv->sel, 1, is_unread);
		if (i < 0)
			app_message (v->app, FALSE, "No unread message after this one");
		else
			select_message (tv, i);
		return TRUE;
	case TRAWL_CMD_NEXT_MATCH:
	case TRAWL_CMD_PREV_MATCH:
		i = find_from (tv, tv->sel, cmd == TRAWL_CMD_NEXT_MATCH ? 1 : -1, is_match);
		if (i < 0)
			app_message (v->app, FALSE, "No matching message %s this one",
				     cmd == TRAWL_CMD_NEXT_MATCH ? "after" : "before");
		else
			select_message (tv, i);
		return TRUE;
	case TRAWL_CMD_PAGE_DOWN:
		scroll_pane (tv, MAX (1, h - 1), TRUE);
		return TRUE;
	case TRAWL_CMD_PAGE_UP:
		scroll_pane (tv, -MAX (1, h - 1), FALSE);
		return TRUE;
	case TRAWL_CMD_HALF_DOWN:
		scroll_pane (tv, MAX (1, h / 2), FALSE);
		return TRUE;
	case TRAWL_CMD_HALF_UP:
		scroll_pane (tv, -MAX (1, h / 2), FALSE);
		return TRUE;
	case TRAWL_CMD_LINE_DOWN:
		scroll_pane (tv, 1, FALSE);
		return TRUE;
	case TRAWL_CMD_LINE_UP:
		scroll_pane (tv, -1, FALSE);
		return TRUE;
	case TRAWL_CMD_COLLAPSE: {
		TrawlMessage *m = msg (tv, tv->sel);
		if (m->n_children && !tv->collapsed[tv->sel]) {
			tv->collapsed[tv->sel] = TRUE;
		} else if (m->parent >= 0) {
			/* Nothing to fold here: fold the parent, as tree views do. */
			tv->collapsed[m->parent] = TRUE;
			select_message (tv, m->parent);
		}
		rebuild_visible (tv);
		reveal (tv, tv->sel);
		return TRUE;
	}
	case TRAWL_CMD_EXPAND:
		tv->collapsed[tv->sel] = FALSE;
		rebuild_visible (tv);
		return TRUE;
	case TRAWL_CMD_COLLAPSE_OTHERS: {
		/* Fold every message none of whose replies leads to a match. */
		guint n = tv->thread->messages->len;
		g_autofree gboolean *match_below = g_new0 (gboolean, n);
		for (guint k = n; k-- > 0;) {
			TrawlMessage *m = msg (tv, k);
			if (m->parent >= 0 && (m->matched || match_below[k]))
				match_below[m->parent] = TRUE;
		}
		for (guint k = 0; k < n; k++)
			tv->collapsed[k] = msg (tv, k)->n_children && !match_below[k];
		rebuild_visible (tv);
		reveal (tv, tv->sel);
		return TRUE;
	}
	case TRAWL_CMD_EXPAND_ALL:
		memset (tv->collapsed, 0, sizeof (gboolean) * tv->thread->messages->len);
		rebuild_visible (tv);
		reveal (tv, tv->sel);
		return TRUE;
	case TRAWL_CMD_TOGGLE_PAGER:
		tv->pager = !tv->pager;
		reveal (tv, tv->sel);
		return TRUE;
	case TRAWL_CMD_TOGGLE_QUOTES:
		tv->quotes_open = !tv->quotes_open;
		tv->pane_width = -1;	/* rebuild the pane lines, no re-parse */
		return TRUE;
	case TRAWL_CMD_TOGGLE_HEADERS:
		tv->all_headers = !tv->all_headers;
		rerender (tv);
		return TRUE;
	case TRAWL_CMD_NEXT_ALTERNATIVE:
		ensure_rendered (tv);	/* keys typed ahead arrive before any draw */
		if (tv->rendered && tv->rendered->alternatives > 1) {
			/* The MIME layer counts choices from 1; cycle from the one shown. */
			guint n = tv->rendered->alternatives;
			tv->alternative = (MAX (tv->rendered->shown_alternative, 1) % n) + 1;
			rerender (tv);
			app_message (v->app, FALSE, "Alternative %u of %u", tv->alternative, n);
		} else {
			app_message (v->app, FALSE, "This message has no alternatives");
		}
		return TRUE;
	case TRAWL_CMD_RAW_SOURCE:
		tv->raw = !tv->raw;
		rerender (tv);
		return TRUE;
	case TRAWL_CMD_SAVE_ATTACHMENT:
		save_attachment (tv);
		return TRUE;
	case TRAWL_CMD_OPEN_ATTACHMENT:
		open_attachment (tv);
		return TRUE;
	case TRAWL_CMD_PIPE_MESSAGE:
		pipe_file (tv, msg (tv, tv->sel)->filename, arg);
		return TRUE;
	case TRAWL_CMD_PIPE_PART:
		pipe_part (tv);
		return TRUE;
	default:
		return FALSE;
	}
}

/* Tags changed: the rows of the touched messages take their new tags; the
 * thread is not read again (the tree, folds, selection and pane stay). */
static void
thread_changed (View *v, const TrawlTagChange *change)
{
	ThreadView *tv = (ThreadView *) v;
	if (!change || !trawl_thread_patch (tv->thread, change))
		return;
	tv->patched++;
}

static void
thread_free (View *v)
{
	ThreadView *tv = (ThreadView *) v;
	trawl_thread_free (tv->thread);
	g_array_unref (tv->visible);
	g_free (tv->collapsed);
	g_clear_pointer (&tv->rendered, trawl_rendered_free);
	g_free (tv->render_error);
	if (tv->pane)
		g_ptr_array_unref (tv->pane);
	g_free (tv);
}

static const ViewOps thread_ops = {
	.name = "thread",
	.draw = thread_draw,
	.command = thread_command,
	.list = &tree_list,
	.tag_targets = thread_tag_targets,
	.free = thread_free,
	.changed = thread_changed,
	.after_draw = thread_after_draw,
};

View *
thread_view_new (App *app, const char *thread_id, const char *query, GError **error)
{
	TrawlThread *t = trawl_thread_open (app->db, thread_id, query, error);
	if (!t)
		return NULL;
	if (!t->messages->len) {
		g_set_error (error, TRAWL_MODEL_ERROR, TRAWL_MODEL_ERROR_FAILED, "thread %s is empty", thread_id);
		trawl_thread_free (t);
		return NULL;
	}
	ThreadView *tv = g_new0 (ThreadView, 1);
	tv->base.ops = &thread_ops;
	tv->base.app = app;
	tv->thread = t;
	tv->visible = g_array_new (FALSE, FALSE, sizeof (int));
	tv->collapsed = g_new0 (gboolean, t->messages->len);
	tv->rendered_for = -1;
	tv->now = trawl_date_now ();
	rebuild_visible (tv);
	select_message (tv, t->first_focus);
	return &tv->base;
}
