#!/bin/sh
# T030-search: the search prompt: / and s open it, Enter runs the query,
# the line editor's keys, history on Up, Esc and C-g cancel, a malformed query
# shows notmuch's error on the message line and keeps the previous results.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

last=$((UI_ROWS - 1))
ui_start -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'

# / opens the prompt on the last line.
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:zoe'
ui_wait_line "$last" '^Search: from:zoe$'
ui_keys Enter
ui_wait_line 0 '^search: from:zoe .*\[1/1\] 1 messages?, newest first$'
ui_wait_line 1 'Lunch on Friday'
assert_not_screen 'Project kickoff'
assert_not_screen '^Search:'

# s opens it too; Up recalls the previous query.
ui_keys s
ui_wait_line "$last" '^Search: ?$'
ui_keys Up
ui_wait_line "$last" '^Search: from:zoe$'
# C-u clears the line; Backspace and Left edit it.
ui_keys C-u
ui_wait_line "$last" '^Search: ?$'
ui_type 'subject:kickofXf'
ui_keys Left BSpace
ui_wait_line "$last" '^Search: subject:kickoff$'
ui_keys Enter
ui_wait_line 0 '^search: subject:kickoff .*\[1/1\] 4 messages, newest first$'
ui_wait_line 1 'Project kickoff'
assert_not_screen 'Lunch on Friday'

# C-w deletes the word before the cursor; C-a/C-k kill the whole line.
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type 'tag:inbox and zzz'
ui_keys C-w
ui_wait_line "$last" '^Search: tag:inbox and ?$'
ui_type 'from:frank'
ui_keys Enter
ui_wait_line 0 '^search: tag:inbox and from:frank .*\[1/1\]'
ui_wait_line 1 'Release party'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type 'garbage'
ui_keys C-a C-k
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:rol'
ui_keys Home
ui_type 'ca'
ui_wait_line "$last" '^Search: cafrom:rol$'
ui_keys C-e
ui_type 'e'
ui_wait_line "$last" '^Search: cafrom:role$'
ui_keys C-a Right Right BSpace BSpace
ui_wait_line "$last" '^Search: from:role$'
ui_keys End Left Left Left Left
ui_type 'ca'
ui_wait_line "$last" '^Search: from:carole$'
ui_keys End BSpace Enter
ui_wait_line 0 '^search: from:carol .*\[1/1\] 1 messages?'
ui_wait_line 1 '\[1/4\] +Project kickoff'

# History holds every query run, most recent first; Down goes back.
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_keys Up
ui_wait_line "$last" '^Search: from:carol$'
ui_keys Up
ui_wait_line "$last" '^Search: tag:inbox and from:frank$'
ui_keys Up
ui_wait_line "$last" '^Search: subject:kickoff$'
ui_keys Down
ui_wait_line "$last" '^Search: tag:inbox and from:frank$'
# Esc cancels: nothing runs, the list stays.
ui_keys Escape
ui_wait_gone '^Search:'
assert_line 0 '^search: from:carol '
assert_line 1 'Project kickoff'
# C-g too.
ui_keys s
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:frank'
ui_keys C-g
ui_wait_gone '^Search:'
assert_line 0 '^search: from:carol '
assert_line 1 'Project kickoff'

# A malformed query: notmuch's error on the message line; the previous
# results and title stay.  (notmuch 0.37 accepts `from:(` and `"unbalanced`
# without complaint; these two it rejects.)
for bad in 'tag:inbox AND AND' 'date:foo..bar'; do
	ui_keys /
	ui_wait_line "$last" '^Search: ?$'
	ui_type "$bad"
	ui_keys Enter
	ui_wait_line "$last" '^Bad query: '
	assert_no_match "$(ui_line "$last")" '^Search:' "prompt still open after a bad query"
	assert_line 0 '^search: from:carol .*\[1/1\]'
	assert_line 1 'Project kickoff'
done
ui_line "$last" | grep -q 'foo' || { ui_dump; fail "the error does not quote notmuch's message about 'foo'"; }
# The list still works after the error.
ui_keys j
ui_wait_line 0 '^search: from:carol .*\[1/1\]'

# No matches.
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:nobody@nowhere.invalid'
ui_keys Enter
ui_wait_line 0 '^search: from:nobody@nowhere.invalid '
ui_wait_line 1 'No threads match'
ui_keys j k G g NPage PPage
ui_wait_line 1 'No threads match'
assert_not_screen 'Project kickoff'

# Each search opens a view of its own: q goes back to the previous results,
# with its position; Q quits from anywhere.
ui_keys q
ui_wait_line 0 '^search: from:carol .*\[1/1\]'
assert_line 1 'Project kickoff'
ui_keys q
ui_wait_line 0 '^search: tag:inbox and from:frank '
ui_keys Q
ui_expect_exit 0
ui_done
