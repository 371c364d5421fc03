/* keylog.h — key-to-repaint timings for tools/bench.sh (TRAWL_KEYLOG=FILE).
 *
 * When the environment names a file in TRAWL_KEYLOG, the main loop reports
 * when input woke it, each key it read, and each repaint it flushed; one line
 * per key is appended to the file:
 *
 *   key <TAB> woke_us <TAB> drawn_us <TAB> latency_us
 *
 * woke_us is g_get_monotonic_time () when poll () returned with the key
 * readable, drawn_us when refresh () after it returned (the repaint written to
 * the terminal), latency_us their difference.  Keys handled by one repaint
 * share it.  Unset, every call is one test of a static flag.
 */
#ifndef TRAWL_UI_KEYLOG_H
#define TRAWL_UI_KEYLOG_H

void ui_keylog_woke (void);	/* poll () returned */
void ui_keylog_key (int key);	/* a key was read */
void ui_keylog_drawn (void);	/* the screen was flushed after keys */

#endif
