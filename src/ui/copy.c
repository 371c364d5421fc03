/* copy.c — copying from the screen: text to the clipboard (the copy
 * command, else the notes file; OSC 52 only when the user turned it on),
 * a message's citation, Message-ID or id: query, and notes entries that
 * quote lines of a message under its citation.  The work is core's
 * (trawl/clipboard.h) and the MIME layer's (trawl/citation.h); this file
 * says on the bottom line where the text went. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "trawl/citation.h"
#include "trawl/clipboard.h"

static char *
notes_path (App *app)
{
	const TrawlOptions *o = trawl_config_options (app->config);
	return trawl_notes_path (o->notes_file, trawl_db_config_path (app->db));
}

void
ui_copy_text (App *app, const char *text, const char *what)
{
	const TrawlOptions *o = trawl_config_options (app->config);
	if (o->osc52) {
		/* Straight to the terminal, after what curses has drawn. */
		g_autofree char *seq = trawl_osc52 (text);
		refresh ();
		fputs (seq, stdout);
		fflush (stdout);
	}
	g_autofree char *notes = notes_path (app);
	TrawlCopyResult r;
	g_autoptr (GError) err = NULL;
	if (!trawl_copy (o->copy_command, text, notes, &r, &err)) {
		app_message (app, TRUE, "Could not copy %s: %s", what, err->message);
		return;
	}
	if (r.to_notes)
		app_message (app, FALSE, "Copied to notes: %s (%s)", r.where, r.why);
	else
		app_message (app, FALSE, "Copied %s with %s%s", what, r.where, o->osc52 ? " and OSC 52" : "");
	trawl_copy_result_clear (&r);
}

void
ui_copy_message (App *app, TrawlCommand cmd, const char *filename, const char *message_id)
{
	if (cmd == TRAWL_CMD_COPY_ID_QUERY) {
		g_autofree char *q = trawl_id_query (message_id);
		ui_copy_text (app, q, "the id: query");
		return;
	}
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlCitation) c = trawl_citation_read (filename, &err);
	if (c == NULL) {
		app_message (app, TRUE, "%s", err->message);
		return;
	}
	if (cmd == TRAWL_CMD_COPY_MESSAGE_ID) {
		ui_copy_text (app, *c->message_id ? c->message_id : message_id, "the Message-ID");
		return;
	}
	const TrawlOptions *o = trawl_config_options (app->config);
	g_autofree char *text = trawl_citation_text (c, strcmp (o->citation_format, "markdown") == 0);
	ui_copy_text (app, text, "the citation");
}

void
ui_append_note (App *app, const char *filename, const UiPager *pane, gint64 first, gint64 last)
{
	g_autoptr (GError) err = NULL;
	g_autoptr (TrawlCitation) c = trawl_citation_read (filename, &err);
	if (c == NULL) {
		app_message (app, TRUE, "%s", err->message);
		return;
	}
	gint64 len = (gint64) ui_pager_len (pane);
	first = MAX (first, 0);
	last = MIN (last, len - 1);
	GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
	for (gint64 i = first; i <= last; i++) {
		const UiPagerLine *l = pane->lines->pdata[i];
		g_ptr_array_add (lines, l->label ? g_strconcat (l->label, " ", l->text, NULL) : g_strdup (l->text));
	}
	g_autofree char *entry = trawl_citation_note (c, (const char *const *) lines->pdata, lines->len);
	guint n = lines->len;
	g_ptr_array_unref (lines);
	g_autofree char *notes = notes_path (app);
	if (!trawl_notes_append (notes, entry, &err)) {
		app_message (app, TRUE, "%s", err->message);
		return;
	}
	app_message (app, FALSE, "Appended the citation and %u line%s to notes: %s", n, n == 1 ? "" : "s", notes);
}
