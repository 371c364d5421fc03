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
screen=$(ui_screen)
# Each command: a line "  <keys>  <name>  <help>".
awk -F "$tab" '$2 == "generic" || (" " $2 " ") ~ / search /' "$tmp/commands" |
while IFS="$tab" read -r name view keys help; do
	# keys and help may hold regex characters: match them literally.
	printf '%s\n' "$screen" | grep -F -- "$name" | grep -F -- "$keys" | grep -q -F -- "$help" ||
		{ printf '%s\n' "$screen"; fail "help view lacks '$keys  $name  $help'"; }
done || exit 1
# Commands of other views (none yet besides generic/search) must not show.
awk -F "$tab" '$2 != "generic" && (" " $2 " ") !~ / search / { print $1 }' "$tmp/commands" |
while read -r name; do
	printf '%s\n' "$screen" | grep -q -w -F -- "$name" && fail "help for search lists $name of another view"
	true
done || exit 1
# Exactly those: one "  keys  name  help" row per command of the view.
rows=$(printf '%s\n' "$screen" | grep -c '^  [^ ]')
assert_eq "$n" "$rows" "command rows in the help view"
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
