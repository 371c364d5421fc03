#!/bin/sh
# T760-keylog: TRAWL_KEYLOG=FILE (tools/bench.sh's key-to-repaint timing)
# writes one line per key read: its name, when poll() woke with it, when the
# repaint after it was flushed, and the difference (microseconds); nothing
# when the variable is unset.  The screen moves as without it.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
for i in 1 2 3 4; do
	{
		printf 'From: Writer %s <w%s@example.org>\nTo: Test User <test@example.org>\n' $i $i
		printf 'Subject: Keylog %s\nDate: Mon, 0%s Jul 2024 10:00:00 +0000\n' $i $i
		printf 'Message-ID: <keylog-%s@example.org>\n' $i
		printf 'Content-Type: text/plain; charset=utf-8\n\nbody %s\n' $i
	} > "$src/cur/keylog-$i:2,"
done
mkdb_from_dir "$src"
log=$tmp/keys.log

ui_start TRAWL_KEYLOG="$log" -- "$TRAWL" --read-only '*'
ui_wait_line 0 '\[1/4\]'
[ ! -s "$log" ] || fail "the log has lines before any key: $(cat "$log")"
ui_keys j
ui_wait_line 0 '\[2/4\]'
ui_keys G
ui_wait_line 0 '\[4/4\]'
ui_keys k
ui_wait_line 0 '\[3/4\]'
# one line per key, in order, each with woke <= drawn and latency = drawn - woke
i=0
for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(wc -l < "$log")" -ge 3 ] && break; sleep 0.1; done
assert_eq "j G k" "$(cut -f1 "$log" | tr '\n' ' ' | sed 's/ $//')" "the keys logged"
awk -F'\t' 'NF != 4 || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ || $3 < $2 || $4 != $3 - $2 { print "bad line " NR ": " $0; bad = 1 }
	NR > 1 && $2 < prev { print "not in time order at line " NR; bad = 1 } { prev = $3 } END { exit bad }' "$log" ||
	fail "malformed key log: $(cat "$log")"
# an unwritable log: a clear message, trawl runs on
ui_start TRAWL_KEYLOG="$tmp/no/such/dir/log" -- "$TRAWL" --read-only '*'
ui_wait_line 0 '\[1/4\]'
ui_keys j
ui_wait_line 0 '\[2/4\]'
ui_keys q
ui_expect_exit 0
grep -q 'TRAWL_KEYLOG=.*cannot open it' "$ui_raw" || fail "no message about the unwritable key log"
ui_done
