#!/bin/sh
# T635-authors-participants: the thread list's authors field takes a share
# of the screen's width (author-width = 20%, the default): 16 columns at 80,
# 32 at 160, following a resize; a column count (author-width = 25, as
# before) stays put, and another share (50%) is honoured.  The thread view
# has a participants line above the tree: each person with their messages
# in the thread (as notmuch counts them), most first, "+N more" when the
# width runs out, names sanitised.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

# The basic fixture, and a thread whose sender's name carries an escape
# sequence (RFC 2047-encoded, so notmuch stores the ESC itself).
src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
cp "$FIXTURES"/basic/cur/* "$src/cur/"
evil=$(printf 'Evil\033[31mRed' | base64)
i=1
for who in "=?UTF-8?B?$evil?= <evil@example.org>" 'Mallory <mallory@example.org>' \
	"=?UTF-8?B?$evil?= <EVIL@example.org>" 'mallory@example.org' 'Trent <trent@example.org>'; do
	{
		printf 'From: %s\nTo: Test User <test@example.org>\nSubject: Escapade\n' "$who"
		printf 'Date: Thu, 13 Jun 2024 1%d:00:00 +0000\nMessage-ID: <esc-%d@example.org>\n' $i $i
		[ $i -gt 1 ] && printf 'In-Reply-To: <esc-1@example.org>\n'
		printf '\nmessage %d\n' $i
	} > "$src/cur/esc-$i:2,"
	i=$((i + 1))
done
mkdb_from_dir "$src"

# The long one-message thread's row: the date (11 columns), then the
# authors field, then the count.
grace_row() { ui_screen | grep 'Grace Longname'; }
expect_grace() {	# COLUMNS-OF-AUTHORS
	_name='Grace Longname-Hopper'
	_field=$(printf '%-*.*s' "$1" "$1" "$_name")
	_n=$(ui__deadline)
	while :; do
		case "$(grace_row)" in
		"    Jan 05 $_field [1/1] "*) return 0 ;;
		esac
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { ui_dump; fail "the authors field is not $1 columns wide: '$(grace_row)'"; }
		sleep 0.05
	done
}

UI_COLS=80 UI_ROWS=24
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* '
expect_grace 16
ui_resize 160 24
expect_grace 32
ui_resize 80 24
expect_grace 16
ui_keys Q
ui_expect_exit 0

# A column count, as author-width always took: the same at any width.
printf '[options]\nauthor-width = 25\n' > "$tmp/cols.conf"
ui_start -- "$TRAWL" --no-mark-read --trawl-config "$tmp/cols.conf" '*'
ui_wait_line 0 '^search: \* '
expect_grace 25
ui_resize 160 24
expect_grace 25
ui_keys Q
ui_expect_exit 0
printf '[options]\nauthor-width = 50%%\n' > "$tmp/half.conf"
UI_COLS=80
ui_start -- "$TRAWL" --no-mark-read --trawl-config "$tmp/half.conf" '*'
ui_wait_line 0 '^search: \* '
expect_grace 40
ui_keys Q
ui_expect_exit 0

# ---- the participants line
UI_COLS=100 UI_ROWS=30
ui_start -- "$TRAWL" --no-mark-read subject:kickoff
ui_wait_line 1 'Project kickoff'
ui_keys Enter
ui_wait_line 0 '^thread: Project kickoff '
n_alice=$(mkdb_notmuch count 'subject:kickoff and from:alice@example.org')
assert_eq 2 "$n_alice" "Alice's messages in the thread"
ui_wait_line 1 "^Alice Example \\($n_alice\\), Bob Builder \\(1\\), Carol Chen \\(1\\)\$"
# the tree right under it
ui_wait_line 2 'Alice Example +Project kickoff'
# Narrow: as many as fit, then how many more.
ui_resize 40 30
ui_wait_line 1 '^Alice Example \(2\), \+2 more$'
ui_resize 100 30
ui_wait_line 1 'Carol Chen \(1\)$'
# Full screen: no tree, no participants.
ui_keys z
ui_wait_line 0 'full screen$'
ui_wait_line 1 '^From: '
ui_keys z q
ui_wait_line 0 '^search: '
ui_keys Q
ui_expect_exit 0

# One person per address (case aside), the first name given; a sender with
# only an address is that address; the escape is shown, never sent.
ui_start -- "$TRAWL" --no-mark-read subject:escapade
ui_wait_line 1 'Escapade'
ui_keys Enter
ui_wait_line 0 '^thread: Escapade '
ui_wait_line 1 '^Evil\^\[\[31mRed \(2\), Mallory \(2\), Trent \(1\)$'
LC_ALL=C grep -a -q "$(printf 'Evil\033\\[31m')" "$ui_raw" && fail "the raw escape reached the terminal"
ui_keys Q
ui_expect_exit 0
ui_done
