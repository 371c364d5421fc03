#!/bin/sh
# T740-completion: the search prompt completes from:/to: by display name,
# most messages first, and the field prefixes with a hint of their syntax;
# y/n questions take one key; P, S and O use the part numbers on screen.
UI_COLS=160
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
above=$((UI_ROWS - 2))
mkdb_from_dir "$abs_top_srcdir/tests/fixtures/complete"
count() { mkdb_notmuch count "$1"; }

ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: '

# --- from:Mar + Tab: the display name form, ranked by count
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'from:Mar'
# the field's hint while typing in it
ui_wait_line "$above" '^from:NAME or from:ADDRESS'
ui_keys Tab
ui_wait_line "$above" '^Marcus D\. Leech <patchvonbraun@example\.org> \(3\)  Maria Ortiz <maria@example\.net> \(2\)  Bob <marbles@example\.com> \(1\)  Mark Twain <mark@twain\.example> \(1\)'
assert_line "$last" '^Search: from:Mar$'
# the next Tab takes the first (most messages), the one after the second
ui_keys Tab
ui_wait_line "$last" '^Search: from:patchvonbraun@example\.org$'
ui_keys Tab
ui_wait_line "$last" '^Search: from:maria@example\.net$'
ui_keys Enter
ui_wait_line 0 '^search: from:maria@example\.net'
ui_wait_for 'Question 2'
assert_not_screen 'SDR one'
pass "from:Mar + Tab lists the senders by display name, most messages first; Tab takes them in turn"

# --- a unique name: Tab puts the address in the line
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'to:twa'
ui_keys Tab
ui_wait_line "$last" '^Search: to:mark@twain\.example$'
ui_keys Escape
ui_wait_gone '^Search:'

# --- field prefixes: "da" + Tab is date:, with its hint
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'da'
ui_keys Tab
ui_wait_line "$last" '^Search: date:$'
ui_wait_line "$above" '^date:2022-03-01\.\.2022-06-30  date:2weeks\.\.  date:yesterday'
# several fields: listed, and the word extended to what they share
ui_type ' t'
ui_keys Tab
ui_wait_line "$above" '^to:  thread:  tag:$'
ui_wait_line "$last" '^Search: date: t$'
ui_type 'h'
ui_keys Tab
ui_wait_line "$last" '^Search: date: thread:$'
ui_wait_line "$above" '^thread:ID  thread:\{QUERY\}'
# the hint goes when the word leaves the field
ui_type ' hello'
ui_wait_gone '^thread:ID'
ui_keys Escape
ui_wait_gone '^Search:'
pass "da + Tab completes date: with its hint; t lists to: thread: tag:"

# --- tag-query (*): one key answers, no Enter
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'from:maria@example.net'
ui_keys Enter
ui_wait_line 0 '^search: from:maria@example\.net'
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+yes1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+yes1 to all 2 messages matching from:maria@example\.net\? \(y/n\)'
# other keys are ignored: the question stays, nothing changes
ui_keys x j
sleep 0.3
assert_line "$last" 'Apply \+yes1 to all 2 messages'
assert_eq 0 "$(count tag:yes1)" "tags before the answer"
ui_keys n
ui_wait_line "$last" 'Nothing changed'
assert_eq 0 "$(count tag:yes1)" "tags after n"
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+yes1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+yes1 to all 2 messages'
ui_keys y
ui_wait_line "$last" '\+yes1 on 2 messages'
assert_eq 2 "$(count tag:yes1)" "tags after a single y"
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+esc1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+esc1'
ui_keys Escape
ui_wait_line "$last" 'Nothing changed'
assert_eq 0 "$(count tag:esc1)" "tags after Esc"
pass "* is answered by one key: y tags, n and Esc change nothing, other keys ignored"
ui_keys Q
ui_expect_exit 0

# @PARTS@
ui_done
