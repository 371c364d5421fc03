/* notice.c — a notice on the bottom line, shown at once: for work that
 * holds the main loop for a while (a render, a verification, a tag change)
 * and says so before the next draw. */
#include "config.h"

#include "ui.h"

void
ui_notice_now (const char *text)
{
	move (LINES - 1, 0);
	clrtoeol ();
	ui_put (LINES - 1, 0, COLS, text, ui_attr (UI_ATTR_MESSAGE));
	refresh ();
}
