#!/bin/sh
# T580-deep-parts: parts nested deeper than the cap (32 levels) are not shown,
# but a marker at their place says how many there are and which key shows
# them; D (show-deep-parts) re-renders the message with them, D again hides
# them.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
f=$src/cur/deep:2,
{
	printf 'From: Deep Sender <deep@example.org>\nTo: Test User <test@example.org>\n'
	printf 'Subject: Deeply nested\nDate: Fri, 14 Jun 2024 10:00:00 +0000\n'
	printf 'Message-ID: <deep@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="b0"\n\n'
	i=0
	while [ $i -lt 40 ]; do
		printf -- '--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' $i $((i + 1))
		i=$((i + 1))
	done
	printf -- '--b40\nContent-Type: text/plain\n\nthe innermost text\n--b40--\n'
	i=39
	while [ $i -ge 0 ]; do
		printf -- '--b%d--\n' $i
		i=$((i - 1))
	done
} > "$f"
mkdb_from_dir "$src"

ui_start -- "$TRAWL" --no-mark-read subject:deeply
ui_wait_line 0 "^search: "
ui_wait_line 1 'Deeply nested'
ui_keys Enter
ui_wait_line 0 '^thread: Deeply nested '
ui_wait_for '1 part nested deeper than 32 levels not shown \(D shows them\)'
ui_screen | grep -q 'the innermost text' && { ui_dump; fail "the innermost text is shown before D"; }
ui_keys D
ui_wait_for 'the innermost text'
ui_wait_gone 'levels not shown'
ui_keys D
ui_wait_for '1 part nested deeper than 32 levels not shown'
ui_wait_gone 'the innermost text'
ui_keys Q
ui_expect_exit 0
ui_done
