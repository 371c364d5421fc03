#!/bin/sh
# T040-hostile: subjects and names carrying terminal escape sequences, C1
# controls, a bidi override and invalid UTF-8 are shown visibly (caret
# notation, <U+XXXX>) and never reach the terminal: the pane title is not
# changed, no OSC 52 clipboard write arrives, the screen is not cleared, and
# the raw byte stream trawl wrote holds none of those sequences.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/hostile"

ui_start -- "$TRAWL" '*'
ui_wait_line 0 '^search: \* .*\[1/8\] 8 messages, newest first$'
# Every row is there, in order (11:08 down to 11:01): nothing was cleared.
ui_wait_line 8 '11:01'
assert_line 1 '^     11:08 .* \[1/1\] +Encoded \^\[\]0;PWNED3\^G title'
assert_line 2 '^     11:07 Mallory .* \[1/1\] +Bad utf8 .* end'
assert_line 3 '^     11:06 Eve <U\+202E>livE .* \[1/1\] +Bidi in the From name'
assert_line 4 '^     11:05 Mallory .* \[1/1\] +C1 utf8 <U\+009B>32m green'
assert_line 5 '^     11:04 Mallory .* \[1/1\] +C1 raw (<U\+009B>|\\x9[bB])31m red'
assert_line 6 '^     11:03 Mallory .* \[1/1\] +Clip \^\[\]52;c;cHduZWQ=\^G board'
assert_line 7 '^     11:02 Mallory .* \[1/1\] +Title \^\[\]0;PWNED\^G change'
assert_line 8 '^     11:01 Mallory .* \[1/1\] +Clear \^\[\[2J\^\[\[H screen'
# The title bar survived (a raw ESC [2J would have wiped it) and no row was
# moved by a cursor sequence.
assert_line 0 '^search: \*'
assert_selected 'Encoded'
assert_screen_clean
# Move over every row so that each is drawn selected too.
ui_keys j j j j j j j
ui_wait_line 0 '\[8/8\]'
ui_wait_selected 'Clear \^\[\[2J'
ui_keys g
ui_wait_line 0 '\[1/8\]'

# The pane title is what it was before trawl started (OSC 0 would set it).
title=$(ui_format '#{pane_title}')
assert_eq "$ui_initial_title" "$title" "pane title"
assert_no_match "$title" 'PWNED' "pane title"
# No OSC 52 reached tmux (set-clipboard on would store it as a buffer).
buffers=$(ui_tmux list-buffers)
assert_eq "" "$buffers" "tmux paste buffers"

# The raw output: none of the hostile sequences, nor the raw C1/bidi code
# points, nor invalid UTF-8.
raw_has() { LC_ALL=C grep -a -q -P "$1" "$ui_raw"; }
for seq in '\x1b\]0;PWNED' '\x1b\]52;' '\x07' '\x1b\[2J\x1b\[H screen' '\xc2\x9b' '\x9b3[12]m' \
	'\xe2\x80\xae' '\xff' '\xfe'; do
	if raw_has "$seq"; then
		echo "raw output (cat -v):"; cat -v "$ui_raw" | head -c 4000; echo
		fail "trawl wrote the raw sequence $seq to the terminal"
	fi
done
if command -v iconv >/dev/null 2>&1; then
	iconv -f UTF-8 -t UTF-8 "$ui_raw" >/dev/null 2>&1 || fail "trawl wrote invalid UTF-8 to the terminal"
fi
raw_has 'Clear \^\[\[2J' || fail "the raw output lacks the visible form of the clear-screen subject"

ui_keys q
ui_expect_exit 0
assert_eq "$ui_initial_title" "$(ui_format '#{pane_title}')" "pane title after exit"
ui_done
