#!/bin/sh
# T670-faithful: H shows every header exactly as in the file (unfolded, in
# file order), the decoded form under a header only when decoding changed
# it, and the Date line byte for byte with the local time after it; R shows
# the raw source byte-faithfully (TABs to their columns, CR as ^M), with line
# numbers when raw-line-numbers is on.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
{
	printf 'From: Faith Ful <faith@example.org>\nTo: Test User <test@example.org>\n'
	printf 'Subject: =?UTF-8?Q?Caf=C3=A9_faithful?=\nDate: Fri, 14 Jun 2024 10:00:00 +0000\n'
	printf 'X-Folded: first part\n\tsecond part\nX-Dup: one\nX-Dup: two\n'
	printf 'Message-ID: <faithful-1@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	printf 'ab\tafter-tab\nplain line\n'
} > "$src/cur/faithful-1:2,"
{
	printf 'From: Crlf Sender <crlf@example.org>\r\nTo: Test User <test@example.org>\r\n'
	printf 'Subject: Crlf message\r\nDate: Sat, 15 Jun 2024 08:30:00 +0000\r\n'
	printf 'Message-ID: <faithful-2@example.org>\r\n\r\n'
	printf 'crlf body line\r\n'
} > "$src/cur/faithful-2:2,"
mkdb_from_dir "$src"

open_thread() {
	ui_start -- "$TRAWL" --no-mark-read "$1"
	ui_wait_line 0 "^search: "
	ui_wait_line 1 "$2"
	ui_keys Enter
	ui_wait_line 0 "^thread: $2"
}

open_thread subject:faithful 'Café faithful'
# H: the headers as in the file.
ui_keys H
ui_wait_for '^Date: Fri, 14 Jun 2024 10:00:00 \+0000  \(local: Fri 14 Jun 2024 10:00 UTC\)$'
assert_screen '^Subject: =\?UTF-8\?Q\?Caf=C3=A9_faithful\?=$'
assert_screen '^    decoded: Café faithful$'
# the folded header on one line, its TAB at its column
assert_screen '^X-Folded: first part    second part$'
assert_screen '^X-Dup: one$'
assert_screen '^X-Dup: two$'
# no decoded line where decoding changes nothing
[ "$(ui_screen | grep -c 'decoded:')" = 1 ] || { ui_dump; fail "a decoded line where decoding changed nothing"; }
one=$(ui_screen | grep -n '^X-Dup: one$' | cut -d: -f1)
two=$(ui_screen | grep -n '^X-Dup: two$' | cut -d: -f1)
[ "$one" -lt "$two" ] || fail "the duplicate headers are not in file order"
ui_keys H
ui_wait_gone 'X-Dup:'
assert_screen '^Subject: Café faithful$'

# R: the raw source, the TAB expanded to column 8.
ui_keys R
ui_wait_line 0 ', raw$'
ui_wait_for '^ab      after-tab$'
assert_screen '^X-Folded: first part$'
assert_screen '^        second part$'
ui_keys Q
ui_expect_exit 0

# A CRLF message: each CR shown as ^M.
open_thread subject:crlf 'Crlf message'
ui_keys R
ui_wait_line 0 ', raw$'
ui_wait_for '^crlf body line\^M$'
assert_screen '^Subject: Crlf message\^M$'
# and H on it: the Date line without its CR, as the header's value
ui_keys R
ui_wait_gone ', raw$'
ui_keys H
ui_wait_for '^Date: Sat, 15 Jun 2024 08:30:00 \+0000  \(local: Sat 15 Jun 2024 08:30 UTC\)$'
ui_keys Q
ui_expect_exit 0

# raw-line-numbers = true: each raw line with its number.
mkdir -p "$tmp/.config/trawl"
printf '[options]\nraw-line-numbers = true\n' > "$tmp/.config/trawl/config"
open_thread subject:faithful 'Café faithful'
ui_keys R
ui_wait_line 0 ', raw$'
ui_wait_for '^ +1 From: Faith Ful <faith@example.org>$'
assert_screen '^ +13 ab      after-tab$'
assert_screen_clean
ui_keys Q
ui_expect_exit 0
ui_done
