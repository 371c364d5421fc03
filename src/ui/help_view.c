/* help_view.c — the keys of a view, generated from the command table and the
 * live keymap, grouped as the table groups them. */
#include "config.h"

#include <string.h>

#include "ui.h"
#include "trawl/sanitize.h"

typedef struct {
	View base;
	char *for_view;
	/* The text: no cursor, the movement keys scroll it. */
	UiPager pager;
} HelpView;

#define KEYS_WIDTH 18
#define NAME_WIDTH 16

/* A line of the text: a heading, or indented text. */
static void
add (UiPager *p, gboolean heading, char *text)
{
	ui_pager_add (p, heading ? UI_ATTR_HEADING : UI_ATTR_NORMAL, NULL, text);
	g_free (text);
}

static void
build_lines (UiPager *text, const char *view)
{
	gsize n;
	const TrawlCommandInfo *cmds = trawl_commands (&n);
	g_autoptr (GPtrArray) groups = g_ptr_array_new ();
	for (gsize i = 0; i < n; i++)
		if (trawl_command_in_view (&cmds[i], view) &&
		    !g_ptr_array_find_with_equal_func (groups, cmds[i].group, g_str_equal, NULL))
			g_ptr_array_add (groups, (gpointer) cmds[i].group);
	/* The columns are as wide as the widest keys and name shown (at
	 * least the usual widths), so every description starts in the same
	 * column. */
	int keys_width = KEYS_WIDTH, name_width = NAME_WIDTH;
	for (gsize i = 0; i < n; i++) {
		if (!trawl_command_in_view (&cmds[i], view))
			continue;
		g_autofree char *keys = ui_keymap_keys (view, cmds[i].id);
		keys_width = MAX (keys_width, trawl_text_width (*keys ? keys : "(unbound)"));
		name_width = MAX (name_width, trawl_text_width (cmds[i].name));
	}
	for (guint g = 0; g < groups->len; g++) {
		if (g)
			add (text, FALSE, g_strdup (""));
		add (text, TRUE, g_strdup (groups->pdata[g]));
		for (gsize i = 0; i < n; i++) {
			if (strcmp (cmds[i].group, groups->pdata[g]) != 0 ||
			    !trawl_command_in_view (&cmds[i], view))
				continue;
			g_autofree char *keys = ui_keymap_keys (view, cmds[i].id);
			add (text, FALSE, g_strdup_printf ("  %-*s %-*s %s", keys_width,
							    *keys ? keys : "(unbound)",
							    name_width, cmds[i].name, cmds[i].help));
		}
	}
	/* Bindings that run a command with its argument ("tag +spam"). */
	g_autoptr (GPtrArray) eff = ui_keymap_effective (view);
	gboolean heading = FALSE;
	for (guint i = 0; i < eff->len; i++) {
		const UiBinding *b = eff->pdata[i];
		const TrawlCommandInfo *info = trawl_command_info (b->cmd);
		if (!b->arg || !info)
			continue;
		if (!heading) {
			add (text, FALSE, g_strdup (""));
			add (text, TRUE, g_strdup ("With arguments"));
			heading = TRUE;
		}
		g_autofree char *what = g_strdup_printf ("%s %s", info->name, b->arg);
		add (text, FALSE, g_strdup_printf ("  %-*s %s", KEYS_WIDTH, b->spec, what));
	}
}

static void
help_draw (View *v)
{
	HelpView *hv = (HelpView *) v;
	g_autofree char *title = g_strdup_printf ("help: %s", hv->for_view);
	ui_title (title, "q to close");
	ui_pager_draw (&hv->pager, 1, 0, COLS, app_body_rows ());
}

static const UiListOps help_list = { UI_PAGER_LIST (HelpView, pager) };

static gboolean
help_command (View *v, TrawlCommand cmd, const char *arg)
{
	switch (cmd) {
	case TRAWL_CMD_HELP: app_pop (v->app); return TRUE;
	case TRAWL_CMD_SEARCH: return TRUE;	/* nothing to search here */
	default: return FALSE;
	}
}

static void
help_free (View *v)
{
	HelpView *hv = (HelpView *) v;
	ui_pager_dispose (&hv->pager);
	g_free (hv->for_view);
	g_free (hv);
}

static const ViewOps help_ops = {
	.name = "help",
	.draw = help_draw,
	.command = help_command,
	.list = &help_list,
	.free = help_free,
};

View *
help_view_new (App *app, const char *for_view)
{
	HelpView *hv = g_new0 (HelpView, 1);
	hv->base.ops = &help_ops;
	hv->base.app = app;
	hv->for_view = g_strdup (for_view);
	ui_pager_init (&hv->pager);
	build_lines (&hv->pager, for_view);
	return &hv->base;
}
