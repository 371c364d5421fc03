/* prov_view.c — the provenance of one message (include/trawl/provenance.h):
 * a scrollable text of exactly the lines trawl_provenance_lines gives, so
 * what is copied (trawl_provenance_format) is what is shown.  O(message):
 * built once when opened from the message's own files. */
#include "config.h"

#include <string.h>

#include "trawl/provenance.h"
#include "ui.h"

typedef struct {
	View base;
	TrawlProvenanceInfo *info;
	GPtrArray *lines;	/* trawl_provenance_lines (info) */
	TrawlImportLookup *lookup;	/* the import records, looked up in the background; NULL: none */
	UiPager pager;		/* the lines wrapped to WIDTH columns */
	int width;
} ProvView;

/* The lines wrapped to the screen's width (again when it changed). */
static void
wrap_lines (ProvView *pv)
{
	if (pv->width == COLS && ui_pager_len (&pv->pager))
		return;
	pv->width = COLS;
	ui_pager_clear (&pv->pager);
	for (guint i = 0; i < pv->lines->len; i++) {
		const char *l = pv->lines->pdata[i];
		UiAttr a = l[0] && l[0] != ' ' ? UI_ATTR_HEADING : strstr (l, "!!") ? UI_ATTR_ERROR : UI_ATTR_NORMAL;
		ui_pager_add_wrapped (&pv->pager, a, NULL, l, MAX (COLS, 1));
	}
}

static void
prov_draw (View *v)
{
	ProvView *pv = (ProvView *) v;
	int h = app_body_rows ();
	wrap_lines (pv);
	ui_pager_clamp (&pv->pager, h);
	g_autofree char *title = g_strdup_printf ("provenance: %s", pv->info->message_id);
	g_autofree char *right = g_strdup_printf ("%d%%  q to close", ui_pager_percent (&pv->pager, h));
	ui_title (title, right);
	ui_pager_draw (&pv->pager, 1, 0, COLS, h);
}

static const UiListOps prov_list = { UI_PAGER_LIST (ProvView, pager) };

/* The text built again from the info (the scroll position kept). */
static void
rebuild (ProvView *pv)
{
	gint64 top = pv->pager.top;
	g_ptr_array_unref (pv->lines);
	pv->lines = trawl_provenance_lines (pv->info);
	pv->width = 0;
	ui_pager_clear (&pv->pager);
	wrap_lines (pv);
	pv->pager.top = top;
}

/* The session's DKIM result for the message (verified here or with V in
 * the thread view) into the text. */
static void
dkim_into_info (ProvView *pv)
{
	const char *line = ui_dkim_line (pv->info->message_id);
	if (!line)
		return;
	const char *detail = ui_dkim_detail (pv->info->message_id);
	g_free (pv->info->dkim_verification);
	pv->info->dkim_verification = detail && *detail ? g_strdup_printf ("%s\n%s", line, detail) : g_strdup (line);
	rebuild (pv);
}

static int
prov_wake_fd (View *v)
{
	return trawl_import_lookup_fd (((ProvView *) v)->lookup);
}

static gboolean
prov_wake (View *v)
{
	ProvView *pv = (ProvView *) v;
	if (!trawl_import_lookup_collect (pv->lookup, pv->info))
		return FALSE;
	rebuild (pv);
	return TRUE;
}

static gboolean
prov_command (View *v, TrawlCommand cmd, const char *arg)
{
	switch (cmd) {
	case TRAWL_CMD_PROVENANCE: app_pop (v->app); return TRUE;
	case TRAWL_CMD_COPY_PROVENANCE: {
		g_autofree char *text = trawl_provenance_format (((ProvView *) v)->info);
		ui_copy_text (v->app, text, "the provenance");
		return TRUE;
	}
	case TRAWL_CMD_VERIFY: {
		ProvView *pv = (ProvView *) v;
		if (!pv->info->files->len) {
			app_message (v->app, TRUE, "DKIM: the message has no file to verify");
			return TRUE;
		}
		const TrawlProvFile *f = pv->info->files->pdata[0];
		ui_dkim_verify_file (v->app, pv->info->message_id, f->path);
		dkim_into_info (pv);
		return TRUE;
	}
	case TRAWL_CMD_LINE_DOWN:
	case TRAWL_CMD_LINE_UP:
		ui_pager_command (&((ProvView *) v)->pager, app_body_rows (), cmd);
		return TRUE;
	default: return FALSE;
	}
}

static void
prov_free (View *v)
{
	ProvView *pv = (ProvView *) v;
	trawl_import_lookup_free (pv->lookup);
	ui_pager_dispose (&pv->pager);
	trawl_provenance_info_free (pv->info);
	g_ptr_array_unref (pv->lines);
	g_free (pv);
}

static const ViewOps prov_ops = {
	.name = "provenance",
	.draw = prov_draw,
	.command = prov_command,
	.list = &prov_list,
	.free = prov_free,
	.wake_fd = prov_wake_fd,
	.wake = prov_wake,
};

View *
prov_view_new (App *app, const char *message_id, GError **error)
{
	TrawlProvenanceInfo *info = trawl_provenance_collect (app->db, message_id, error);
	if (!info)
		return NULL;
	trawl_provenance_read_headers (info);
	ProvView *pv = g_new0 (ProvView, 1);
	pv->base.ops = &prov_ops;
	pv->base.app = app;
	pv->info = info;
	ui_pager_init (&pv->pager);
	/* The import records come from the archive's manifest, which grows
	 * with the archive: looked up in the background, the view patched
	 * when they arrive. */
	pv->lookup = trawl_import_lookup_start (info);
	trawl_import_lookup_collect (pv->lookup, info);	/* done already when no thread could start */
	pv->lines = trawl_provenance_lines (info);
	wrap_lines (pv);
	dkim_into_info (pv);
	return &pv->base;
}
