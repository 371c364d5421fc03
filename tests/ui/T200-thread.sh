#!/bin/sh
# T200-thread: the thread view's reply tree and navigation.  Enter in the
# list opens the selected thread: title "thread: <root subject>" with
# [pos/n] and the matched count; one tree row per message with exact glyphs,
# the subject only where it changes; the separator naming the shown message;
# first focus on the first unread match (else the first match); j/k/n/p/g/G,
# Tab, ] and [; Left/h, Right/l, c and e; q back to the list on the same
# row; ? lists the thread view's commands.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
sep_re() { printf '^── %s, [0-9]+%% ─+$' "$1"; }

# Waits until the title shows [POS/N] and the separator names AUTHOR, then
# checks the selected tree row is exactly one row, that of AUTHOR.
at() {
	ui_wait_line 0 "^thread: .* \\[$1\\] "
	ui_wait_for "$(sep_re "$1 $2")"
	assert_selected "$2"
}

# The visible tree rows (2, under the participants line, .. before the
# separator), one per line.
tree() { ui_screen | awk 'NR > 2 && /^── / { exit } NR > 2 { print }'; }
assert_tree_rows() {
	_n=$(tree | wc -l)
	[ "$_n" -eq "$1" ] || { ui_dump; fail "${2:-tree}: expected $1 rows, found $_n"; }
}

# ---------------------------------------------------------------------------
# A chain of four (tests/fixtures/basic: every message unread and in inbox).
mkdb_from_dir "$FIXTURES/basic"

ui_start -- "$TRAWL" --no-mark-read
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
ui_wait_selected 'Project kickoff'
ui_keys Enter
ui_wait_line 0 '^thread: Project kickoff +\[1/4\] 4 matched$'
# All four match and are unread: the first is selected.
at 1/4 'Alice Example'
# The tree: date column, glyphs, author; the subject only on the root (the
# replies' "Re: Project kickoff" is no change); tags.
assert_line 2 '^Yest 20:00 Alice Example +Project kickoff \(inbox unread\)$'
assert_line 3 '^Yest 22:00 └─Bob Builder +\(inbox unread\)$'
assert_line 4 '^     08:00   └─Carol Chen +\(inbox unread\)$'
assert_line 5 '^     10:30     └─Alice Example +\(inbox unread\)$'
assert_line 6 "$(sep_re '1/4 Alice Example')"
assert_tree_rows 4
# The pane below: the headers and body of the first message.
assert_line 7 '^From: Alice Example <alice@example.org>$'
assert_screen '^Subject: Project kickoff$'
assert_screen '^Body of kickoff-1@example.org\.$'
assert_not_screen 'Re: Project kickoff'
assert_screen_clean

# Movement between messages: every key changes the title, the separator,
# the selected row and the message shown.
ui_keys j
at 2/4 'Bob Builder'
assert_screen '^Body of kickoff-2@example.org\.$'
assert_not_screen 'Body of kickoff-1'
assert_screen '^Subject: Re: Project kickoff$'
ui_keys Down
at 3/4 'Carol Chen'
assert_screen '^Body of kickoff-3@example.org\.$'
ui_keys k
at 2/4 'Bob Builder'
ui_keys Up
at 1/4 'Alice Example'
ui_keys n
at 2/4 'Bob Builder'
ui_keys n n
at 4/4 'Alice Example'
assert_screen '^Body of kickoff-4@example.org\.$'
ui_keys p
at 3/4 'Carol Chen'
ui_keys g
at 1/4 'Alice Example'
ui_keys G
at 4/4 'Alice Example'
# At either end, moving further stays put (] and [ have nothing to find
# either: their message shows the keys before them were handled).
ui_keys j n Down ']'
ui_wait_line "$last" 'No matching message after this one'
at 4/4 'Alice Example'
ui_keys g k p Up '['
ui_wait_line "$last" 'No matching message before this one'
at 1/4 'Alice Example'
ui_keys End
at 4/4 'Alice Example'
ui_keys Home
at 1/4 'Alice Example'
# Space on a message that fits goes on to the next one; at the last message
# it says so.
ui_keys Space
at 2/4 'Bob Builder'
ui_keys G Space
ui_wait_line "$last" 'End of thread'
at 4/4 'Alice Example'

# q closes the thread view: back to the list, same position and row.
ui_keys q
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
assert_selected 'Project kickoff'
assert_not_screen '^── '
# Another row: the list keeps its position across open and close.
ui_keys j j
ui_wait_line 0 '^search: tag:inbox .*\[3/6\]'
ui_wait_selected 'Lunch on Friday'
ui_keys Enter
ui_wait_line 0 '^thread: Lunch on Friday +\[1/2\] 2 matched$'
ui_wait_line 3 '└─Test User'
ui_keys j
at 2/2 'Test User'
ui_keys q
ui_wait_line 0 '^search: tag:inbox .*\[3/6\]'
ui_wait_selected 'Lunch on Friday'
assert_line 1 'Project kickoff'
ui_keys q
ui_expect_exit 0

# Part of the chain matches: the match is focused, the others are context.
ui_start -- "$TRAWL" --no-mark-read from:carol
ui_wait_line 1 '\[1/4\] +Project kickoff'
ui_keys Enter
ui_wait_line 0 '^thread: Project kickoff +\[3/4\] 1 matched$'
at 3/4 'Carol Chen'
assert_screen '^Body of kickoff-3@example.org\.$'
# The whole thread is shown, context included.
assert_tree_rows 4
# The matched author stands out (bold); context authors do not.
esc=$(printf '\033')
ui_screen_e | sed -n 5p | grep -q "$esc\\[\\([0-9]*;\\)*1\\(;[0-9]*\\)*m\\(\\$esc\\[[0-9;]*m\\)*Carol Chen" ||
	{ ui_screen_e | sed -n 3,6p | cat -v; fail "the matched author is not bold"; }
ui_screen_e | sed -n 3p | grep -q "$esc\\[\\([0-9]*;\\)*1\\(;[0-9]*\\)*m\\(\\$esc\\[[0-9;]*m\\)*Bob Builder" &&
	{ ui_screen_e | sed -n 2,5p | cat -v; fail "a context author is bold like a match"; }
# ] and [ with no other match: a message, and the selection stays.
ui_keys ']'
ui_wait_line "$last" 'No matching message after this one'
at 3/4 'Carol Chen'
ui_keys '['
ui_wait_line "$last" 'No matching message before this one'
at 3/4 'Carol Chen'
# Context messages are still reachable with j/k.
ui_keys k
at 2/4 'Bob Builder'
ui_keys ']'
at 3/4 'Carol Chen'
ui_keys G '['
at 3/4 'Carol Chen'
ui_keys q
ui_wait_line 0 '^search: from:carol '
ui_keys q
ui_expect_exit 0

# ---------------------------------------------------------------------------
# A branching thread (tests/fixtures/reading), display order:
#   1 Alice  Offsite planning           read
#   2 ├─Bob                             read
#   3 ├─Carol                           read
#   4 │ ├─Dave                          unread
#   5 │ └─Carol  Venue options          unread
#   6 │   └─Bob  (Re: Venue options)    read
#   7 └─Erin                            unread
mkdb_from_dir "$FIXTURES/reading"
mkdb_notmuch tag -unread -- id:offsite-1@example.org or id:offsite-2@example.org \
	or id:offsite-3@example.org or id:offsite-7@example.org || fail "notmuch tag failed"

ui_start -- "$TRAWL" --no-mark-read
ui_wait_line 0 '^search: tag:inbox .*\[1/1\] 7 messages'
ui_wait_line 1 '\[7/7\]'
ui_keys Enter
# Everything matches; the first unread message is the fourth.
ui_wait_line 0 '^thread: Offsite planning +\[4/7\] 7 matched$'
at 4/7 'Dave Doe'
assert_line 2 '^ Mon 09:00 Alice Example +Offsite planning \(inbox\)$'
assert_line 3 '^ Mon 10:00 ├─Bob Builder +\(inbox\)$'
assert_line 4 '^ Mon 11:00 ├─Carol Chen +\(inbox\)$'
assert_line 5 '^ Mon 13:00 │ ├─Dave Doe +\(inbox unread\)$'
assert_line 6 '^ Mon 14:00 │ └─Carol Chen +Venue options \(inbox unread\)$'
assert_line 7 '^ Mon 15:00 │   └─Bob Builder +\(inbox\)$'
assert_line 8 '^ Mon 12:00 └─Erin Eriksen +\(inbox unread\)$'
assert_line 9 "$(sep_re '4/7 Dave Doe')"
assert_screen '^Venue A has a pool\. Body of offsite-5\.$'
assert_screen_clean

# Tab: the next unread message, skipping read ones (6); then a message.
ui_keys g
at 1/7 'Alice Example'
ui_keys Tab
at 4/7 'Dave Doe'
ui_keys Tab
at 5/7 'Carol Chen'
assert_screen 'Venue B is cheaper\.'
ui_keys Tab
at 7/7 'Erin Eriksen'
ui_keys Tab
ui_wait_line "$last" 'No unread message after this one'
at 7/7 'Erin Eriksen'

# Collapse the replies under Carol (3): [+3], the subtree's rows go, the
# rows below move up, j skips the hidden messages.
ui_keys g j j
at 3/7 'Carol Chen'
ui_keys h
ui_wait_line 4 '^ Mon 11:00 ├─\[\+3\] Carol Chen +\(inbox\)$'
assert_line 5 '^ Mon 12:00 └─Erin Eriksen'
assert_tree_rows 4
at 3/7 'Carol Chen'
# (the participants line names everyone: the tree does not)
tree | grep -q 'Dave Doe' && { ui_dump; fail "a folded message shows in the tree"; }
ui_keys j
at 7/7 'Erin Eriksen'
ui_keys k
at 3/7 'Carol Chen'
# Right expands again.
ui_keys Right
ui_wait_line 5 '^ Mon 13:00 │ ├─Dave Doe'
assert_tree_rows 7
assert_not_screen '\[\+[0-9]+\]'
# Left on a leaf (Dave) collapses its parent and selects it.
ui_keys j
at 4/7 'Dave Doe'
ui_keys Left
ui_wait_line 4 '├─\[\+3\] Carol Chen'
at 3/7 'Carol Chen'
assert_tree_rows 4
ui_keys l
ui_wait_line 5 'Dave Doe'
# A leaf one level deeper (6): its parent Carol (5) folds with [+1].
ui_keys j j j
at 6/7 'Bob Builder'
ui_keys h
ui_wait_line 6 '^ Mon 14:00 │ └─\[\+1\] Carol Chen +Venue options'
at 5/7 'Carol Chen'
assert_tree_rows 6
assert_line 7 '└─Erin Eriksen'
# Collapsing the root hides everything else...
ui_keys g h
ui_wait_line 2 '^ Mon 09:00 \[\+6\] Alice Example +Offsite planning'
assert_tree_rows 1
at 1/7 'Alice Example'
# ... j has nowhere to go, but Tab reaches a hidden unread message and
# opens the way to it.
ui_keys j '['
ui_wait_line "$last" 'No matching message before this one'
at 1/7 'Alice Example'
ui_keys Tab
at 4/7 'Dave Doe'
assert_line 2 '^ Mon 09:00 Alice Example '
assert_line 5 '│ ├─Dave Doe'
# e expands every collapsed message (5 was still collapsed).
assert_line 6 '\[\+1\] Carol Chen'
ui_keys e
ui_wait_line 7 '^ Mon 15:00 │   └─Bob Builder'
assert_tree_rows 7
assert_not_screen '\[\+[0-9]+\]'
at 4/7 'Dave Doe'
# q: back to the list.
ui_keys q
ui_wait_line 0 '^search: tag:inbox '
assert_selected 'Venue options|Offsite planning'
ui_keys q
ui_expect_exit 0

# Part of the thread matches (Carol: 3 read, 5 unread): the unread match is
# focused; ] and [ move between matches only, over context.
ui_start -- "$TRAWL" --no-mark-read from:carol
ui_wait_line 1 '\[2/7\]'
ui_keys Enter
ui_wait_line 0 '^thread: Offsite planning +\[5/7\] 2 matched$'
at 5/7 'Carol Chen'
assert_tree_rows 7
ui_keys '['
at 3/7 'Carol Chen'
assert_screen 'Let us compare venues first\.'
ui_keys '['
ui_wait_line "$last" 'No matching message before this one'
at 3/7 'Carol Chen'
ui_keys ']'
at 5/7 'Carol Chen'
ui_keys ']'
ui_wait_line "$last" 'No matching message after this one'
at 5/7 'Carol Chen'
ui_keys g ']'
at 3/7 'Carol Chen'
ui_keys G '['
at 5/7 'Carol Chen'
# c folds what leads to no match: 5's only reply (Bob, 6) is context, so 5
# folds; 3 leads to a match (5) and stays open.
ui_keys c
ui_wait_line 6 '^ Mon 14:00 │ └─\[\+1\] Carol Chen +Venue options'
assert_line 4 '^ Mon 11:00 ├─Carol Chen'
assert_line 5 '│ ├─Dave Doe'
assert_tree_rows 6
at 5/7 'Carol Chen'
ui_keys e
ui_wait_line 7 '│   └─Bob Builder'
assert_tree_rows 7
ui_keys q
ui_wait_line 0 '^search: from:carol '
ui_keys q
ui_expect_exit 0

# Only Erin (7) matches: c folds Carol's whole subtree; e brings it back.
ui_start -- "$TRAWL" --no-mark-read from:erin
ui_wait_line 1 '\[1/7\]'
ui_keys Enter
ui_wait_line 0 '^thread: Offsite planning +\[7/7\] 1 matched$'
at 7/7 'Erin Eriksen'
ui_keys c
ui_wait_line 4 '^ Mon 11:00 ├─\[\+3\] Carol Chen'
assert_line 5 '^ Mon 12:00 └─Erin Eriksen'
assert_tree_rows 4
at 7/7 'Erin Eriksen'
ui_keys e
ui_wait_line 5 '│ ├─Dave Doe'
assert_tree_rows 7
at 7/7 'Erin Eriksen'
ui_keys q
ui_wait_line 0 '^search: from:erin '
ui_keys q
ui_expect_exit 0

# Only read messages match (Bob: 2 and 6): the first match is focused.
ui_start -- "$TRAWL" --no-mark-read from:bob
ui_wait_line 1 '\[2/7\]'
ui_keys Enter
ui_wait_line 0 '^thread: Offsite planning +\[2/7\] 2 matched$'
at 2/7 'Bob Builder'
ui_keys ']'
at 6/7 'Bob Builder'
assert_screen 'B it is\. Body of offsite-7\.'
# c: nothing to fold, every subtree leads to a match or is a leaf.
ui_keys c
ui_keys '['
at 2/7 'Bob Builder'
assert_tree_rows 7
assert_not_screen '\[\+[0-9]+\]'

# ? shows the thread view's help: its commands and the generic ones, not
# the search view's; q returns to the thread as it was.
ui_env -- "$TRAWL" --list-commands > "$tmp/commands" || fail "--list-commands failed"
tab=$(printf '\t')
# A command's view field may list several views: "search thread".
n=$(awk -F "$tab" '(" " $2 " ") ~ / thread /' "$tmp/commands" | wc -l)
[ "$n" -ge 10 ] || fail "--list-commands lists only $n commands for the thread view"
# (wide enough that no help text is cut at the right edge)
ui_resize 230 100
ui_wait_line 0 '\[2/7\]'
ui_keys '?'
ui_wait_line 0 '^help: thread'
ui_wait_for 'quit-all'
assert_help_lists thread "$tmp/commands"
assert_screen '^  +Tab +next-unread +Show the next unread message'
assert_screen '^  +Left h +collapse +Hide the replies'
ui_keys j G
ui_keys q
ui_wait_line 0 '^thread: Offsite planning +\[2/7\] 2 matched$'
at 2/7 'Bob Builder'
assert_not_screen 'next-unread'
ui_keys q
ui_wait_line 0 '^search: from:bob '
ui_keys Q
ui_expect_exit 0
ui_done
