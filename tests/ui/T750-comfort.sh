#!/bin/sh
# T750-comfort: reading comfort.  --read-only says so in the title bar and
# refuses every writing key at the key (no prompt, the reason on the bottom
# line, the database unchanged); mark-read = shown leaves the messages
# passed over by typed-ahead n unread, = selected marks them; the help's
# descriptions all start in one column at 80 columns.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
for i in 1 2 3 4 5; do
	{
		printf 'From: Writer %s <w%s@example.org>\nTo: Test User <test@example.org>\n' $i $i
		printf 'Subject: Long thread\nDate: Mon, 0%s Jul 2024 10:00:00 +0000\n' $i
		printf 'Message-ID: <comfort-%s@example.org>\n' $i
		[ $i -gt 1 ] && printf 'In-Reply-To: <comfort-%s@example.org>\n' $((i - 1))
		printf 'Content-Type: text/plain; charset=utf-8\n\nbody of message %s\n' $i
	} > "$src/cur/comfort-$i:2,"
done
mkdb_from_dir "$src"
last=$((UI_ROWS - 1))

unread() { mkdb_notmuch count "tag:unread and id:comfort-$1@example.org"; }
tags_now() { mkdb_notmuch dump 2>/dev/null | grep -v '^#' | sort; }

# --- --read-only: the title says so, every writing key is refused at once.
before=$(tags_now)
ui_start -- "$TRAWL" --read-only subject:long
ui_wait_line 0 '^\[read-only\] search: '
ui_wait_line 1 'Long thread'
for k in t A U F u '*' S; do
	ui_keys "$k"
	ui_wait_line "$last" 'changes the database: trawl was started with --read-only$'
	line=$(ui_line "$last")
	case $k in
	t) assert_match "$line" '^tag changes' ;;
	A) assert_match "$line" '^archive changes' ;;
	U) assert_match "$line" '^toggle-unread changes' ;;
	F) assert_match "$line" '^toggle-flagged changes' ;;
	u) assert_match "$line" '^undo changes' ;;
	'*') assert_match "$line" '^tag-query changes' ;;
	S) assert_match "$line" '^save-search changes' ;;
	esac
	# no prompt opened: a key typed now is a key, not prompt text
	ui_keys C-l
	ui_wait_gone 'changes the database'
done
# the : command line is refused the same way
ui_keys :
ui_type 'tag +x'
ui_keys Enter
ui_wait_line "$last" '^tag changes the database: trawl was started with --read-only$'
# the thread view too, and its title
ui_keys Enter
ui_wait_line 0 '^\[read-only\] thread: '
for k in t A U F u; do
	ui_keys "$k"
	ui_wait_line "$last" 'changes the database: trawl was started with --read-only$'
	ui_keys C-l
	ui_wait_gone 'changes the database'
done
ui_keys Q
ui_expect_exit 0
assert_eq "$before" "$(tags_now)" "tags after a --read-only session"
assert_eq 5 "$(mkdb_notmuch count tag:unread)" "unread after a --read-only session"

# --- mark-read: typed-ahead n n n.
open_and_skip() {
	ui_start -- "$TRAWL" subject:long
	ui_wait_line 1 'Long thread'
	ui_keys Enter
	ui_wait_line 0 '^thread: Long thread.*\[1/5\]'
	ui_wait_for 'body of message 1'
	# the first message, shown, is marked read
	n=0; while [ "$(unread 1)" != 0 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
	ui_keys n n n
	ui_wait_line 0 '\[4/5\]'
	ui_wait_for 'body of message 4'
	n=0; while [ "$(unread 4)" != 0 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
	ui_keys Q
	ui_expect_exit 0
}
mkdir -p "$tmp/.config/trawl"
open_and_skip
assert_eq 0 "$(unread 1)" "shown: message 1 (shown) unread"
assert_eq 1 "$(unread 2)" "shown: message 2 (passed over) unread"
assert_eq 1 "$(unread 3)" "shown: message 3 (passed over) unread"
assert_eq 0 "$(unread 4)" "shown: message 4 (shown) unread"
assert_eq 1 "$(unread 5)" "shown: message 5 (never selected) unread"

mkdb_notmuch tag +unread -- '*'
printf '[options]\nmark-read = selected\n' > "$tmp/.config/trawl/config"
open_and_skip
assert_eq 0 "$(unread 1)" "selected: message 1 unread"
assert_eq 0 "$(unread 2)" "selected: message 2 (passed over) unread"
assert_eq 0 "$(unread 3)" "selected: message 3 (passed over) unread"
assert_eq 0 "$(unread 4)" "selected: message 4 unread"
assert_eq 1 "$(unread 5)" "selected: message 5 (never selected) unread"
rm -f "$tmp/.config/trawl/config"

# --- help at 80 columns: every description starts in the same column.
"$TRAWL" --list-commands > "$tmp/commands.txt" || fail "trawl --list-commands failed"
help_columns() {
	ui_screen | awk -F '\t' -v cmds="$tmp/commands.txt" '
		BEGIN { while ((getline l < cmds) > 0) { split(l, f, "\t"); name[f[1]] = substr(f[4], 1, 20) } }
		{
			for (c in name) {
				p = index($0, " " c " ")
				if (p == 0 || substr($0, 1, 2) != "  ") continue
				rest = substr($0, p + length(c) + 1)
				sub(/^ +/, "", rest)
				if (substr(rest, 1, length(name[c])) != name[c]) continue
				print c, index($0, name[c])
			}
		}'
}
mkdb_notmuch tag +unread -- '*'
UI_COLS=80 UI_ROWS=24
ui_start -- "$TRAWL" --no-mark-read subject:long
ui_wait_line 1 'Long thread'
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys '?'
ui_wait_line 0 '^help: thread'
: > "$tmp/cols.txt"
help_columns >> "$tmp/cols.txt"
ui_keys PgDn
sleep 0.3
help_columns >> "$tmp/cols.txt"
ui_keys PgDn
sleep 0.3
help_columns >> "$tmp/cols.txt"
grep -q '^collapse-nonmatching ' "$tmp/cols.txt" || { cat "$tmp/cols.txt"; fail "collapse-nonmatching not seen in the help"; }
grep -q '^previous-message ' "$tmp/cols.txt" || { cat "$tmp/cols.txt"; fail "previous-message not seen in the help"; }
[ "$(wc -l < "$tmp/cols.txt")" -ge 20 ] || { cat "$tmp/cols.txt"; fail "too few help lines seen"; }
assert_eq 1 "$(cut -d' ' -f2 "$tmp/cols.txt" | sort -u | wc -l)" "columns the descriptions start in ($(cut -d' ' -f2 "$tmp/cols.txt" | sort -u | tr '\n' ' '))"
ui_keys Q
ui_expect_exit 0
ui_done
