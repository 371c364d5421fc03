#!/bin/sh
# T751-render-comfort: reading comfort on real mail.  A folded To: shows
# single spaces; Outlook-like HTML rendered as text (by w3m when installed)
# has no two blank lines in a row; a mailman footer is folded into one line
# that f unfolds exactly (and footer-regex adds a rule of one's own); the
# same on a real message of the shared corpora when they are there.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
{
	printf 'From: Sender <sender@example.org>\nTo: Alice M\303\274ller <alice@example.org>,\n'
	printf '        "usrp-users" <usrp-users@lists.example.com>\n'
	printf 'Cc: Bob <bob@example.org>,\n\t  Carol <carol@example.org>\n'
	printf 'Subject: Folded recipients\nDate: Mon, 01 Jul 2024 10:00:00 +0000\n'
	printf 'Message-ID: <folded@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nfolded body\n'
} > "$src/cur/folded:2,"
{
	printf 'From: Outlook User <ol@example.org>\nTo: Test User <test@example.org>\n'
	printf 'Subject: Outlook html\nDate: Tue, 02 Jul 2024 10:00:00 +0000\n'
	printf 'Message-ID: <outlook@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/html; charset=utf-8\n\n'
	printf '<html><body><p class=MsoNormal>Para one<o:p></o:p></p>\n'
	printf '<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n'
	printf '<p class=MsoNormal>Para two<o:p></o:p></p>\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n'
	printf '<p class=MsoNormal>&nbsp;</p><p class=MsoNormal>Para three</p></body></html>\n'
} > "$src/cur/outlook:2,"
{
	printf 'From: Lister <lister@example.org>\nTo: usrp-users@lists.example.com\n'
	printf 'Subject: Mailman footer\nDate: Wed, 03 Jul 2024 10:00:00 +0000\n'
	printf 'Message-ID: <footer@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nThe real content.\n\n'
	printf '_______________________________________________\nusrp-users mailing list\n'
	printf 'usrp-users@lists.example.com\nhttps://lists.example.com/mailman/listinfo/usrp-users\n'
} > "$src/cur/footer:2,"
{
	printf 'From: Other <other@example.org>\nTo: foo@example.org\n'
	printf 'Subject: Own footer\nDate: Thu, 04 Jul 2024 10:00:00 +0000\n'
	printf 'Message-ID: <own@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nOwn content.\n'
	printf '~~ Sent via FooList ~~\nManage: foo.example.org\n'
} > "$src/cur/own:2,"
mkdb_from_dir "$src"

open_thread() {
	ui_start -- "$TRAWL" --no-mark-read "$1"
	ui_wait_line 1 "$2"
	ui_keys Enter
	ui_wait_line 0 "^thread: .*$2"
}

# --- a folded To: and Cc: with single spaces
open_thread subject:folded 'Folded recipients'
ui_wait_for 'folded body'
assert_screen '^To: Alice Müller <alice@example.org>, "usrp-users" <usrp-users@lists.example.com>$'
assert_screen '^Cc: Bob <bob@example.org>, Carol <carol@example.org>$'
ui_keys Q
ui_expect_exit 0

# --- Outlook HTML: one blank line between paragraphs, never two
open_thread subject:outlook 'Outlook html'
ui_wait_for '^Para three'
if command -v w3m > /dev/null 2>&1; then
	assert_screen 'text/html.*w3m'
fi
ui_screen > "$tmp/outlook.txt"
one=$(grep -n '^Para one' "$tmp/outlook.txt" | cut -d: -f1)
two=$(grep -n '^Para two' "$tmp/outlook.txt" | cut -d: -f1)
three=$(grep -n '^Para three' "$tmp/outlook.txt" | cut -d: -f1)
assert_eq 2 "$((two - one))" "rows from Para one to Para two"
assert_eq 2 "$((three - two))" "rows from Para two to Para three"
run=$(sed -n "${one},${three}p" "$tmp/outlook.txt" | awk '/^[ \t]*$/ { n++; if (n > m) m = n; next } { n = 0 } END { print m + 0 }')
assert_eq 1 "$run" "longest run of blank lines in the HTML part"
ui_keys Q
ui_expect_exit 0

# --- a mailman footer: folded into one line; f shows it exactly, f folds it
open_thread subject:mailman 'Mailman footer'
ui_wait_for '^The real content\.$'
ui_wait_for '^\[mailing-list footer, 4 lines — f shows\]$'
assert_no_match "$(ui_screen)" 'usrp-users mailing list'
ui_keys f
ui_wait_for '^usrp-users mailing list$'
ui_screen > "$tmp/footer.txt"
at=$(grep -n '^_______________________________________________$' "$tmp/footer.txt" | cut -d: -f1)
[ -n "$at" ] || { ui_dump; fail "the footer's first line is not shown unfolded"; }
assert_eq 'usrp-users mailing list
usrp-users@lists.example.com
https://lists.example.com/mailman/listinfo/usrp-users' "$(sed -n "$((at + 1)),$((at + 3))p" "$tmp/footer.txt")" "the footer unfolded"
assert_no_match "$(ui_screen)" 'mailing-list footer, 4 lines'
ui_keys f
ui_wait_for '^\[mailing-list footer, 4 lines — f shows\]$'
ui_keys Q
ui_expect_exit 0

# --- footer-regex: a rule of one's own; without it, the lines are text
open_thread subject:own 'Own footer'
ui_wait_for '^~~ Sent via FooList ~~$'
ui_keys Q
ui_expect_exit 0
mkdir -p "$tmp/.config/trawl"
printf '[options]\nfooter-regex = ^~~ Sent via\n' > "$tmp/.config/trawl/config"
open_thread subject:own 'Own footer'
ui_wait_for '^\[mailing-list footer, 2 lines — f shows\]$'
assert_no_match "$(ui_screen)" 'Sent via FooList'
ui_keys Q
ui_expect_exit 0
# a bad regex: said in the message, the footer rule built in still works
printf '[options]\nfooter-regex = ([\n' > "$tmp/.config/trawl/config"
open_thread subject:mailman 'Mailman footer'
ui_wait_for "footer-regex '\(\[' is not a valid regular expression"
assert_screen '^\[mailing-list footer, 4 lines — f shows\]$'
ui_keys Q
ui_expect_exit 0
rm -f "$tmp/.config/trawl/config"

# --- a real message: exmh-users on the SpamAssassin corpus
real="$abs_top_srcdir/../shared/corpora/spamassassin/easy_ham/cur/00996.01a4386651fb07928d2314d8690e61cf:2,"
if [ -f "$real" ]; then
	rsrc=$tmp/real
	mkdir -p "$rsrc/cur" "$rsrc/new" "$rsrc/tmp"
	cp "$real" "$rsrc/cur/" && chmod u+w "$rsrc/cur/"*
	mkdb_from_dir "$rsrc"
	UI_ROWS=60
	open_thread 'id:200209102131.RAA22275@blackcomb.panasas.com' 'Sorting'
	ui_keys z
	ui_wait_for '^\[mailing-list footer, 4 lines — f shows\]$'
	assert_eq 0 "$(ui_screen | grep -c '^Exmh-users mailing list$')" "footer lines shown while folded"
	ui_keys f
	ui_wait_for '^Exmh-users mailing list$'
	assert_screen '^https://listman.redhat.com/mailman/listinfo/exmh-users$'
	ui_keys Q
	ui_expect_exit 0
else
	echo "# the shared corpora are not there ($real): the real-message check is skipped"
fi
ui_done
