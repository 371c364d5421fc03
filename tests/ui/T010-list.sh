#!/bin/sh
# T010-list: the thread list over the fixture maildir: newest first, decoded
# subjects and authors, [matched/total] counts, pinned dates, tags, the title
# bar with query, position and counts.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

ui_start -- "$TRAWL"
# Title bar: the default query is tag:inbox (every fixture has it).
ui_wait_line 0 '^search: tag:inbox .*\[1/6\] 12 messages, newest first$'
# The title bar is reverse video.
ui_screen_e | sed -n 1p | grep -q "$(printf '\033')\[\([0-9]*;\)*7[;m]" \
	|| { ui_dump; fail "the title bar is not in reverse video"; }

# One thread per row, newest first; date right-aligned in 10 columns relative
# to TRAWL_NOW (Sat 2024-06-15 12:00 UTC); authors in 20 columns; counts.
ui_wait_line 6 'Jan 05'
assert_line 1 '^     10:30 Alice Example.* \[4/4\] +Project kickoff \(inbox unread\)'
assert_line 2 '^Yest 09:15 Dieter Dorf.* \[2/2\] +Grüße aus Köln \(inbox unread\)'
assert_line 3 '^ Tue 08:00 Zoë Ångström.* \[2/2\] +Lunch on Friday \(inbox unread\)'
assert_line 4 '^    Mar 01 田中太郎.* \[2/2\] +会議の議題 \(inbox unread\)'
# An all-ASCII row pins the exact column layout:
# date(10) space authors(20) space [m/t](7) space subject space (tags).
assert_line 5 '^    Feb 14 Frank Fest {11}\[1/1\]     Release party 🎉 tonight \(inbox unread\)$'
assert_line 6 '^    Jan 05 Grace Longname-Hoppe \[1/1\]     A very long subject line that goes on'
# The long subject is cut at the right edge: its end never shows.
assert_not_screen 'right edge END'
# Exactly six thread rows, then nothing until the message line.
rows=$(ui_screen | sed -n '2,29p' | grep -c .)
assert_eq 6 "$rows" "number of non-empty list rows"
# Authors are truncated to their 20 columns: the third author of the
# kickoff thread is cut off, and the count column stays aligned.
assert_line 1 '^     10:30 .{20} \[4/4\]'
# The first row is selected.
assert_selected 'Project kickoff'
assert_screen_clean

# A query matching part of a thread: [matched/total] and the message count
# in the title count matched messages only.
ui_keys q
ui_expect_exit 0

ui_start -- "$TRAWL" from:alice
ui_wait_line 0 '^search: from:alice .*\[1/2\] 3 messages, newest first$'
ui_wait_line 1 '^     10:30 Alice Example.* \[2/4\] +Project kickoff'
assert_line 2 '^    Mar 01 .* \[1/2\] +会議の議題'
assert_line 3 '^$'
ui_keys q
ui_expect_exit 0
ui_done
