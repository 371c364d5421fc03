/* shape_view.h — what the views listed from the shape index in the
 * background share (the correspondents and the attachments views,
 * corr_view.c and att_view.c): the worker (TrawlCorr or TrawlAtts), its
 * progress on the title bar, the rows and their cursor, the notice when it
 * is done, the patch after a tag change.  Each view embeds a ShapeView
 * first and says what is its own in a ShapeViewKind. */
#ifndef TRAWL_UI_SHAPE_VIEW_H
#define TRAWL_UI_SHAPE_VIEW_H

#include "ui.h"
#include "trawl/shape.h"

typedef struct ShapeView ShapeView;

typedef struct {
	gboolean atts;		/* the worker is a TrawlAtts (else a TrawlCorr) */
	const char *noun;	/* "Attachments": the message after a big tag change */
	const char *working;	/* "listing": the COUNTING phase on the title bar */
	const char *failed;	/* "not listed": the title bar when it failed */
	const char *meanwhile;	/* the body line until the rows are there */
	/* The rows for the view's settings (a new reference). */
	GPtrArray *(*rows) (ShapeView *sv);
	/* The title bar's right side when done, before ", N messages". */
	char *(*title) (ShapeView *sv);
	/* The body line when there are no rows but there are messages. */
	char *(*empty) (ShapeView *sv);
	/* Draws ROW on line Y (SEL: the selection's attribute, or 0). */
	void (*draw_row) (ShapeView *sv, int y, gconstpointer row, attr_t sel);
} ShapeViewKind;

struct ShapeView {
	View base;
	const ShapeViewKind *kind;
	gpointer worker;	/* TrawlAtts * or TrawlCorr *: listing or listed */
	char *query;
	GPtrArray *rows;	/* NULL until listed */
	UiRows pos;
	gboolean told;		/* the notice or error went to the message line */
};

/* Sets SV up for APP with OPS and KIND over QUERY ("*" when empty), and
 * starts the worker. */
void shape_view_init (ShapeView *sv, App *app, const ViewOps *ops, const ShapeViewKind *kind,
		      const char *query);
/* Stops the worker and frees what SV holds (not SV). */
void shape_view_clear (ShapeView *sv);
/* The rows anew for the view's settings (when listed), the cursor on top. */
void shape_view_rebuild (ShapeView *sv);
/* The row under the cursor, or NULL. */
gconstpointer shape_view_selected (ShapeView *sv);
/* The worker's counts, for the title bar. */
guint64 shape_view_messages (ShapeView *sv);

/* ViewOps members, the same for both. */
void shape_view_draw (View *v);
int shape_view_wake_fd (View *v);
gboolean shape_view_wake (View *v);
void shape_view_release (View *v);
void shape_view_changed (View *v, const TrawlTagChange *change);
const char *shape_view_query (View *v);
extern const UiListOps shape_view_list;

#endif
