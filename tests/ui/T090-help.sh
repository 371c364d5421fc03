#!/bin/sh
# T090-help: ? shows the help view of the search view: every command that
# `trawl --list-commands` gives for it (generic or search), with its keys and
# help text; q returns to the list, which is as it was.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

ui_env -- "$TRAWL" --list-commands > "$tmp/commands" || fail "--list-commands failed"
tab=$(printf '\t')
# A command's view field may list several views: "search thread".
n=$(awk -F "$tab" '$2 == "generic" || (" " $2 " ") ~ / search /' "$tmp/commands" | wc -l)
[ "$n" -ge 10 ] || fail "--list-commands lists only $n commands for the search view"

UI_ROWS=90
UI_COLS=200
ui_start -- "$TRAWL"
ui_wait_line 0 '\[1/6\]'
ui_keys j
ui_wait_line 0 '\[2/6\]'
ui_keys '?'
ui_wait_line 0 '^help: search'
ui_wait_for 'quit-all'
# Each command of the view as "  <keys>  <name>  <help>", exactly those.
assert_help_lists search "$tmp/commands"
# The layout: group headings, then "  keys  name  help".
assert_screen '^ *Movement'
assert_screen '^  +j Down +move-down +Move to the next row'
assert_screen '^  +q +quit +Close the current view'

# Moving in the help view does not disturb the list; q returns to it.
ui_keys j G g
ui_keys q
ui_wait_line 0 '^search: tag:inbox .*\[2/6\]'
ui_wait_selected 'Grüße aus Köln'
assert_not_screen 'move-down'
ui_keys q
ui_expect_exit 0
ui_done
