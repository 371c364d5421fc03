#!/bin/sh
# T770-thread-open: Enter on a 2,500-message reply chain opens its thread
# view with the first screen a user expects (the chain's first messages, in
# order, each a reply to the one above, the first message shown below), and
# the thread's dates, From and Subject are read in one pass over the value
# streams (TRAWL_STATS=FILE: thread_values_batched), never asked of notmuch
# one message at a time (thread_values_single) -- counted, not timed.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
n=2500
mkdir -p "$tmp/mail/cur" "$tmp/mail/new" "$tmp/mail/tmp"
i=0
while [ $i -lt $n ]; do
	if [ $i -gt 0 ]; then irt="In-Reply-To: <c$((i - 1))@chain.example>
"; else irt=; fi
	printf 'From: Person %d <p%d@chain.example>\nTo: list@chain.example\nSubject: Re: the long chain\nDate: Mon, 1 Jan 2024 %02d:%02d:%02d +0000\nMessage-ID: <c%d@chain.example>\n%s\nreply %d\n' \
		$((i % 50)) $((i % 50)) $(((i / 3600) % 24)) $(((i / 60) % 60)) $((i % 60)) $i "$irt" $i \
		> "$tmp/mail/cur/c$(printf %05d $i):2,"
	i=$((i + 1))
done
mkdb_config "$tmp/db" "$tmp/mail"
mkdb_new
assert_eq $n "$(mkdb_notmuch count '*')" "messages indexed"
tid=$(mkdb_notmuch search --output=threads '*')

ui_start TRAWL_STATS="$tmp/open.stats" -- "$TRAWL" --read-only --no-mark-read "$tid"
ui_wait_line 0 "\\[1/1\\]"
ui_keys Enter
ui_wait_line 0 "^\\[read-only\\] thread: Re: the long chain .*\\[1/$n\\] $n matched"
ui_wait_for '^From: Person 0 <p0@chain.example>'
# The tree's first rows: the chain, each a reply to the one above (the
# date column shows the time: every message shares the day; TRAWL_NOW is
# in 2024).
for r in 0 1 2 3; do
	line=$(ui_line $((r + 2)))
	case $r in
	0) want="Person 0 " ;;
	1) want="└─Person 1 " ;;
	2) want="  └─Person 2 " ;;
	3) want="    └─Person 3 " ;;
	esac
	assert_match "$line" "^ *Jan 01 00:00 $want"
done
assert_match "$(ui_screen)" "── 1/$n Person 0, "
ui_keys q q
ui_expect_exit 0
stat_of() { sed -n "s/^$2 //p" "$1"; }
[ -s "$tmp/open.stats" ] || fail "no TRAWL_STATS file"
assert_eq $n "$(stat_of "$tmp/open.stats" thread_values_batched)" "messages whose values came from one pass"
assert_eq 0 "$(stat_of "$tmp/open.stats" thread_values_single)" "messages asked of notmuch one by one"
pass "a $n-message chain opens with its first screen, its values read in one pass"
ui_done
