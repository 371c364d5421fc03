#!/bin/sh
# T310-narrow: l narrows the results (the query AND a new term) in a view of
# its own, q widens back; the search prompt completes tag: values; the search
# history survives a restart (XDG state directory).
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
mkdb_notmuch tag +legal -- id:kickoff-4@example.org
last=$((UI_ROWS - 1))

ui_start -- "$TRAWL" '*'
ui_wait_line 0 '^search: \* .*\[1/6\] 12 messages'
ui_keys l
ui_wait_line "$last" '^Narrow: ?$'
ui_type 'from:alice'
ui_keys Enter
ui_wait_line 0 '^search: from:alice .*\[1/2\] 3 messages'
# tag: completes from the database's tags.
ui_keys l
ui_wait_line "$last" '^Narrow: ?$'
ui_type 'tag:le'
ui_keys Tab
ui_wait_line "$last" '^Narrow: tag:legal ?$'
ui_keys Enter
ui_wait_line 0 '^search: \(from:alice\) and \(tag:legal\) .*\[1/1\] 1 messages'
assert_line 1 'Project kickoff'
# Widen back, one step at a time, to the same place.
ui_keys q
ui_wait_line 0 '^search: from:alice .*\[1/2\]'
ui_keys q
ui_wait_line 0 '^search: \* .*\[1/6\]'
# An ambiguous completion shows the choices above the prompt.
ui_keys /
ui_type 'tag:in'
ui_keys Tab
ui_wait_line "$last" '^Search: tag:inbox ?$'
ui_keys C-u
ui_type 'tag:'
ui_keys Tab
ui_wait_line $((last - 1)) 'tag:inbox.*tag:legal.*tag:unread'
ui_keys Escape
ui_wait_gone '^Search:'
# from: and to: complete addresses from the messages that match so far.
ui_keys /
ui_type 'from:ali'
ui_keys Tab
ui_wait_line "$last" '^Search: from:alice@example.org ?$'
ui_keys C-u
ui_type 'from:d'
ui_keys Tab
ui_wait_line "$last" '^Search: from:d'
ui_keys C-u
ui_type 'to:test'
ui_keys Tab
ui_wait_line "$last" '^Search: to:test@example.org ?$'
ui_keys Escape
ui_wait_gone '^Search:'
ui_keys q
ui_expect_exit 0

# The history was saved and comes back in a new run.
hist="$tmp/.local/state/trawl/search-history"
[ -f "$hist" ] || fail "no history file at $hist"
assert_eq 'tag:legal' "$(tail -1 "$hist")" "last line of the history file"
ui_start -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_keys Up
ui_wait_line "$last" '^Search: tag:legal$'
ui_keys Up
ui_wait_line "$last" '^Search: from:alice$'
ui_keys Escape
ui_keys q
ui_expect_exit 0
ui_done
