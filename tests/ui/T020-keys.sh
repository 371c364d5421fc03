#!/bin/sh
# T020-keys: movement keys move the selection (the one reverse-video row) and
# the [pos/count] in the title; `o` flips the order; q and Q quit with 0.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

# 6 threads, newest first:
#   1 Project kickoff  2 Grüße aus Köln  3 Lunch on Friday
#   4 会議の議題        5 Release party   6 A very long subject
# expect_sel POS SUBJECT-REGEX: the title says [POS/6] and the selected row
# is that thread.
expect_sel() {
	ui_wait_line 0 "\\[$1/6\\] 12 messages, (newest|oldest) first\$"
	ui_wait_selected "$2"
	assert_selected "$2"
}

# A short window (4 list rows) so that paging is visible with 6 threads.
UI_ROWS=6
ui_start -- "$TRAWL"
expect_sel 1 'Project kickoff'

ui_keys j;    expect_sel 2 'Grüße aus Köln'
ui_keys Down; expect_sel 3 'Lunch on Friday'
ui_keys k;    expect_sel 2 'Grüße aus Köln'
ui_keys Up;   expect_sel 1 'Project kickoff'
# At the top, up stays.
ui_keys k;    expect_sel 1 'Project kickoff'

ui_keys G;    expect_sel 6 'A very long subject'
# At the bottom, down stays.
ui_keys j;    expect_sel 6 'A very long subject'
# The selected row is on screen, i.e. the list scrolled: row 1 is not the
# first thread any more.
assert_not_screen 'Project kickoff'
ui_keys g;    expect_sel 1 'Project kickoff'
ui_keys End;  expect_sel 6 'A very long subject'
ui_keys Home; expect_sel 1 'Project kickoff'

# A page is the 4 list rows; the selection moves by a page, stopping at the end.
ui_keys NPage; expect_sel 5 'Release party'
ui_keys NPage; expect_sel 6 'A very long subject'
ui_keys PPage; expect_sel 2 'Grüße aus Köln'
ui_keys PPage; expect_sel 1 'Project kickoff'
ui_keys Space; expect_sel 5 'Release party'
ui_keys C-b;   expect_sel 1 'Project kickoff'
ui_keys C-f;   expect_sel 5 'Release party'
ui_keys g
expect_sel 1 'Project kickoff'
# Half a page is 2 rows.
ui_keys C-d;   expect_sel 3 'Lunch on Friday'
ui_keys C-d;   expect_sel 5 'Release party'
ui_keys C-u;   expect_sel 3 'Lunch on Friday'

# C-l redraws: the same screen comes back.
before=$(ui_screen)
ui_keys C-l
ui_wait_line 0 '\[3/6\]'
ui_wait_selected 'Lunch on Friday'
assert_eq "$before" "$(ui_screen)" "screen after C-l"

# o flips the order: the oldest thread first, the title says so.
ui_keys o
ui_wait_line 0 '^search: tag:inbox .*12 messages, oldest first$'
ui_wait_line 1 'A very long subject'
assert_line 2 'Release party'
assert_line 3 '会議の議題'
assert_line 4 'Lunch on Friday'
ui_wait_selected '.'
ui_keys g
expect_sel 1 'A very long subject'
ui_keys j; expect_sel 2 'Release party'
ui_keys o
ui_wait_line 0 'newest first$'
ui_wait_line 1 'Project kickoff'
assert_not_screen 'oldest first'

# q closes the last view: exit status 0.
ui_keys q
ui_expect_exit 0

# Q quits at once, even from the help view.
ui_start -- "$TRAWL"
ui_wait_line 0 '\[1/6\]'
ui_keys '?'
ui_wait_line 0 '^help: search'
ui_keys Q
ui_expect_exit 0
ui_done
