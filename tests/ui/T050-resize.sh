#!/bin/sh
# T050-resize: the list re-lays itself out on SIGWINCH: title bar right-aligned
# to the new width, rows cut at the new width; a terminal smaller than 30x5
# shows only "Terminal too small", and the list comes back when it grows.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

# The title bar is right-aligned: its text ends in the last column.
title_fills() {
	# Poll: right after a resize the old layout still matches the pattern.
	_n=$(ui__deadline)
	while :; do
		_l=$(ui_line 0)
		if printf '%s\n' "$_l" | grep -Eq '^search: tag:inbox .*\[[0-9]+/6\] 12 messages, newest first$' &&
		   [ "${#_l}" -eq "$1" ]; then
			break
		fi
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { ui_dump; fail "title bar at width $1 ends in column ${#_l}, not at the right edge"; }
		sleep 0.05
	done
}
# The long one-message thread is cut exactly at the right edge.
long_full='    Jan 05 Grace Longname-Hoppe [1/1]     A very long subject line that goes on and on well past the width of any reasonable terminal window, so that it must be truncated somewhere near the right edge END'
long_row_ok() {
	_want=$(printf '%s\n' "$long_full" | cut -c "1-$1" | sed 's/ *$//')
	_got=$(ui_screen | grep 'Grace Longname')
	assert_eq "$_want" "$_got" "the long row at $1 columns"
}

# The authors field at a fixed 20 columns (the setting as it was before
# author-width took a share of the width: T635 tests that).
printf '[options]\nauthor-width = 20\n' > "$tmp/fixed-authors.conf"
ui_start -- "$TRAWL" --trawl-config "$tmp/fixed-authors.conf"
ui_wait_line 6 'A very long subj'
title_fills 100
long_row_ok 100
ui_keys j
ui_wait_line 0 '\[2/6\]'

ui_resize 60 15
title_fills 60
ui_wait_line 6 'A very long subj'
long_row_ok 60
assert_line 1 'Project kickoff'
assert_selected 'Grüße aus Köln'
assert_line 14 '^$'

ui_resize 120 40
title_fills 120
ui_wait_for 'A very long subject.{50}'
long_row_ok 120
assert_selected 'Grüße aus Köln'
assert_line 5 'Release party'

# Too small: one line, nothing else.
ui_resize 20 3
ui_wait_for 'Terminal too small'
ui_wait_gone 'search:'
assert_eq 1 "$(ui_screen | grep -c .)" "non-empty lines when too small"
# 29 columns is still too small, 30x5 is not.
ui_resize 29 10
ui_wait_for 'Terminal too small'
assert_not_screen 'search:'
# Keys other than quit do nothing meanwhile.
ui_keys j
ui_resize 30 5
ui_wait_gone 'Terminal too small'
ui_wait_line 0 '^search:'

ui_resize 100 30
title_fills 100
ui_wait_line 6 'A very long subj'
assert_line 1 'Project kickoff'
assert_selected 'Grüße aus Köln'
ui_keys j
ui_wait_line 0 '\[3/6\]'
assert_selected 'Lunch on Friday'

# Quitting works while too small.
ui_resize 20 3
ui_wait_for 'Terminal too small'
ui_keys q
ui_expect_exit 0
ui_done
