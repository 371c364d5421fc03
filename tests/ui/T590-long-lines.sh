#!/bin/sh
# T590-long-lines: messages whose body is one enormous line open, scroll and
# close in the real binary:
#  (a) a 3 MB line without a space (hard-broken at the screen's width);
#  (b) a 1 MB line of 'e' + U+0301 COMBINING ACUTE, and a 1 MB run of
#      combining marks after a single base character (one column wide);
#  (c) a 1 MB line of terminal controls: OSC title and clipboard writes,
#      clear-screen, a C1 CSI and NEL, U+202E RIGHT-TO-LEFT OVERRIDE, NUL,
#      DEL and backspace.
# Each long message is the reply in a thread of two: the thread opens on the
# short first message, G shows the long one, Space pages through it to its
# end ("End of thread" after the last page), g and G go back and forth
# (each a new render) and q quits.  What is asserted:
#  - the screen shows the line's text (its start, full-width rows of it, its
#    end marker and the line after it) and never a control character;
#  - the raw bytes trawl wrote hold none of the mail's sequences (nor a raw
#    C1, bidi control or BEL) and are valid UTF-8; their visible forms
#    (^[]0;PWNED^G, <U+202E>) are there;
#  - the work is bounded, counted, never timed: the number of pages Space
#    took to reach the end gives the pane's line count, which must be what
#    wrapping the text at the screen's width gives (within one batch of
#    keys), and TRAWL_STATS at exit shows one list made and a screen's worth
#    of rows built, however long the line.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
# The message is wrapped one column short of the screen's width.
tcols=$((UI_COLS - 1))
src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"

# thread NAME SUBJECT: a short first message; the reply's body is on stdin.
thread() {
	{
		printf 'From: Root Sender <root@example.org>\nTo: Test User <test@example.org>\n'
		printf 'Subject: %s\nDate: Fri, 14 Jun 2024 10:00:00 +0000\n' "$2"
		printf 'Message-ID: <%s-root@example.org>\nMIME-Version: 1.0\n' "$1"
		printf 'Content-Type: text/plain; charset=utf-8\n\nThe short first message of %s.\n' "$1"
	} > "$src/cur/$1-root:2,"
	{
		printf 'From: Long Liner <long@example.org>\nTo: Test User <test@example.org>\n'
		printf 'Subject: Re: %s\nDate: Fri, 14 Jun 2024 11:00:00 +0000\n' "$2"
		printf 'Message-ID: <%s-long@example.org>\nIn-Reply-To: <%s-root@example.org>\n' "$1" "$1"
		printf 'References: <%s-root@example.org>\nMIME-Version: 1.0\n' "$1"
		printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
		cat
	} > "$src/cur/$1-long:2,"
}

# COUNT copies of STRING, without a newline.
repeat() { yes "$2" | head -n "$1" | tr -d '\n'; }

# (a) 3 MB, no space: 62-character rows of letters and digits.
alnum=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ
{
	printf 'A-START'
	repeat 48387 "$alnum"
	printf 'A-END\nthe line after the long one\n'
} | thread t590a 'Long line A'

# (b) 'e' + U+0301, 333,333 times (1 MB); then one base and 500,000 marks.
eacute=$(printf 'e\314\201')
acute=$(printf '\314\201')
{
	printf 'B-START'
	repeat 333333 "$eacute"
	printf 'B-END\nbase:x'
	repeat 500000 "$acute"
	printf ' B-MARKS-END\nthe line after the long one\n'
} | thread t590b 'Long line B'

# (c) 1 MB of controls, no space; each unit has a name after its sequence.
# '@' stands for NUL (a shell variable cannot hold one).
unit=$(printf '\033]0;PWNED\007\033]52;c;cHduZWQ=\007\033[2JCLR\302\23331mCSI\342\200\256RLO\302\205NEL@NUL\177\010')
# ... and what it looks like: NUL is U+FFFD (the MIME layer's; with a warning)
vis='^[]0;PWNED^G^[]52;c;cHduZWQ=^G^[[2JCLR<U+009B>31mCSI<U+202E>RLO<U+0085>NEL�NUL^?^H'
vis_cols=$(printf '%s' "$vis" | wc -m)
{
	printf 'C-START'
	repeat 20000 "$unit" | tr '@' '\000'
	printf 'C-END\nthe line after the long one\n'
} | thread t590c 'Long line C'
# The long lines' lengths in bytes.
for want in 'a 3000000 1' 'b 1000000 2' 'c 1000000 1'; do
	set -- $want
	n=$(LC_ALL=C awk -v min="$2" 'length($0) >= min && length($0) < 2 * min { n++ } END { print n + 0 }' \
		"$src/cur/t590$1-long:2,")
	assert_eq "$3" "$n" "lines of $2 to $(($2 * 2)) bytes in message ($1)"
done
mkdb_from_dir "$src"

stat_of() { sed -n "s/^$2 //p" "$1"; }
raw_has() { LC_ALL=C grep -a -q -P "$1" "$ui_raw"; }
# The percentage on the separator between the tree and the message.
pct() { ui_screen | sed -n 's/^── [0-9]*\/[0-9]* .*, \([0-9]*\)% ─*$/\1/p' | head -1; }

# page_to_end COLS-OF-TEXT: presses Space in batches until the last page
# of the message (100%), then once more ("End of thread"), and checks that
# the number of presses fits a pane of the lines that wrapping COLS-OF-TEXT
# columns at the screen's width gives (the headers and the short lines
# around it add a few).  Each batch ends with an unbound key (F11, F12 in
# turn): its message on the bottom line says the batch was handled.
batch=100
page_to_end() {
	_want=$(( ($1 + tcols - 1) / tcols ))
	_rows=$((UI_ROWS - 1 - 5))	# less the title, the participants, the tree (2 rows), the separator, the bottom line
	_page=$((_rows - 1))
	_presses=0
	_sync=F11
	while :; do
		_keys=
		_i=0
		while [ $_i -lt $batch ]; do _keys="$_keys Space"; _i=$((_i + 1)); done
		ui_keys $_keys $_sync
		_presses=$((_presses + batch))
		ui_wait_line "$last" "^$_sync is not bound"
		[ "$(pct)" = 100 ] && break
		if [ $_sync = F11 ]; then _sync=F12; else _sync=F11; fi
		[ $_presses -le $((4 * _want / _page + 4 * batch)) ] ||
			{ ui_dump; fail "not at the end after $_presses presses of Space: far more lines than $_want"; }
	done
	# The last page came within the last batch: the pane has more than
	# (presses - batch - 1) pages and a screen of lines, at most presses
	# pages and a screen.
	_lo=$(( (_presses - batch - 1) * _page + _rows ))
	_hi=$(( _presses * _page + _rows ))
	ui_log "100% after $_presses presses: $_lo..$_hi pane lines for $_want wrapped lines"
	[ "$_want" -le "$_hi" ] || fail "the pane has at most $_hi lines, but $_want are needed for $1 columns"
	[ "$_lo" -lt $((_want + 40)) ] || fail "the pane has more than $_lo lines for $1 columns ($_want wrapped lines)"
	ui_keys Space
	ui_wait_line "$last" 'End of thread'
}

# open_long NAME SUBJECT: a session on the thread, at the long message.
open_long() {
	ui_start TRAWL_STATS="$tmp/$1.stats" -- "$TRAWL" --no-mark-read "subject:\"$2\""
	ui_wait_line 0 '^search: '
	ui_wait_line 1 "$2"
	ui_keys Enter
	ui_wait_line 0 "^thread: $2 .*\\[1/2\\]"
	ui_wait_for "^The short first message of $1\\.\$"
	ui_keys G
	ui_wait_line 0 "^thread: $2 .*\\[2/2\\]"
	ui_wait_for '^From: +Long Liner'
}

# back_and_forth NAME SUBJECT START-REGEX: g, G (a new render each) and q.
back_and_forth() {
	ui_keys g
	ui_wait_line 0 "^thread: $2 .*\\[1/2\\]"
	ui_wait_for "^The short first message of $1\\.\$"
	ui_keys G
	ui_wait_line 0 "^thread: $2 .*\\[2/2\\]"
	ui_wait_for "$3"
	assert_eq 0 "$(pct)" "the percentage at the top of the long message"
	assert_screen_clean
	ui_keys q
	ui_wait_line 0 '^search: '
	ui_keys q
	ui_expect_exit 0
	[ -s "$tmp/$1.stats" ] || fail "no TRAWL_STATS file for $1"
	assert_eq 1 "$(stat_of "$tmp/$1.stats" lists)" "lists made ($1)"
	built=$(stat_of "$tmp/$1.stats" rows_built)
	[ "$built" -le $((4 * UI_ROWS)) ] || fail "$built thread summaries built for one thread ($1)"
	assert_eq 0 "$(stat_of "$tmp/$1.stats" write_attempts)" "writes asked for under --no-mark-read ($1)"
	if command -v iconv >/dev/null 2>&1; then
		iconv -f UTF-8 -t UTF-8 "$ui_raw" >/dev/null 2>&1 || fail "trawl wrote invalid UTF-8 to the terminal ($1)"
	fi
}

# --- (a) 3 MB without a space
open_long t590a 'Long line A'
ui_wait_for '^A-START0123456789abcdef'
# The rows below it are the line, hard-broken at the full width.
ui_wait_line $((last - 1)) "^[0-9a-zA-Z]{$tcols}\$"
full=$(ui_screen | grep -c -E "^[0-9a-zA-Z]{$tcols}\$")
[ "$full" -ge 10 ] || { ui_dump; fail "only $full full-width rows of the long line on the screen"; }
assert_screen_clean
page_to_end $((7 + 62 * 48387 + 5))
ui_wait_for 'A-END$'
assert_screen '^the line after the long one$'
assert_screen_clean
back_and_forth t590a 'Long line A' '^A-START0123456789abcdef'

# --- (b) combining marks
open_long t590b 'Long line B'
ui_wait_for '^B-START(e'"$acute"')+$'
ui_wait_line $((last - 1)) "^(e$acute){$tcols}\$"
full=$(ui_screen | grep -c -E "^(e$acute){$tcols}\$")
[ "$full" -ge 10 ] || { ui_dump; fail "only $full full-width rows of e + U+0301 on the screen"; }
assert_screen_clean
page_to_end $((7 + 333333 + 5 + 6 + 12))
ui_wait_for 'B-END$'
# The run of marks takes one column: its line ends with the marker.
assert_screen '^base:x.* B-MARKS-END$'
assert_screen '^the line after the long one$'
assert_screen_clean
back_and_forth t590b 'Long line B' '^B-START(e'"$acute"')+$'

# --- (c) controls
open_long t590c 'Long line C'
ui_wait_for '^C-START\^\[\]0;PWNED\^G'
ui_screen | grep -q -F -- "$vis" || { ui_dump; fail "the screen lacks the visible form of the controls"; }
assert_screen_clean
page_to_end $((7 + 20000 * vis_cols + 5))
ui_wait_for 'C-END$'
assert_screen '^the line after the long one$'
assert_screen_clean
back_and_forth t590c 'Long line C' '^C-START\^\[\]0;PWNED\^G'
# Nothing of the mail reached the terminal raw (checked after exit: the
# whole session).
for seq in '\x1b\]0;PWNED' '\x1b\]52;' '\x07' '\x1b\[2JCLR' '\xc2\x9b' '\x9b31mCSI' \
	'\xe2\x80\xae' '\xc2\x85' '\x1b\[31mCSI' '\x7f' '\x00'; do
	if raw_has "$seq"; then
		echo "raw output (cat -v, start):"; cat -v "$ui_raw" | head -c 4000; echo
		fail "trawl wrote the raw sequence $seq to the terminal"
	fi
done
raw_has '\^\[\]0;PWNED\^G' || fail "the raw output lacks the visible form of the title sequence"
raw_has '<U\+202E>RLO' || fail "the raw output lacks the visible form of U+202E"
ui_done
