#!/bin/sh
# T740-completion: the search prompt completes from:/to: by display name,
# most messages first, and the field prefixes with a hint of their syntax;
# y/n questions take one key; P, S and O use the part numbers on screen.
UI_COLS=160
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
above=$((UI_ROWS - 2))
mkdb_from_dir "$abs_top_srcdir/tests/fixtures/complete"
count() { mkdb_notmuch count "$1"; }

ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: '

# --- from:Mar + Tab: the display name form, ranked by count
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'from:Mar'
# the field's hint while typing in it
ui_wait_line "$above" '^from:NAME or from:ADDRESS'
ui_keys Tab
ui_wait_line "$above" '^Marcus D\. Leech <patchvonbraun@example\.org> \(3\)  Maria Ortiz <maria@example\.net> \(2\)  Bob <marbles@example\.com> \(1\)  Mark Twain <mark@twain\.example> \(1\)'
assert_line "$last" '^Search: from:Mar$'
# the next Tab takes the first (most messages), the one after the second
ui_keys Tab
ui_wait_line "$last" '^Search: from:patchvonbraun@example\.org$'
ui_keys Tab
ui_wait_line "$last" '^Search: from:maria@example\.net$'
ui_keys Enter
ui_wait_line 0 '^search: from:maria@example\.net'
ui_wait_for 'Question 2'
assert_not_screen 'SDR one'
pass "from:Mar + Tab lists the senders by display name, most messages first; Tab takes them in turn"

# --- a unique name: Tab puts the address in the line
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'to:twa'
ui_keys Tab
ui_wait_line "$last" '^Search: to:mark@twain\.example$'
ui_keys Escape
ui_wait_gone '^Search:'

# --- field prefixes: "da" + Tab is date:, with its hint
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'da'
ui_keys Tab
ui_wait_line "$last" '^Search: date:$'
ui_wait_line "$above" '^date:2022-03-01\.\.2022-06-30  date:2weeks\.\.  date:yesterday'
# several fields: listed, and the word extended to what they share
ui_type ' t'
ui_keys Tab
ui_wait_line "$above" '^to:  thread:  tag:$'
ui_wait_line "$last" '^Search: date: t$'
ui_type 'h'
ui_keys Tab
ui_wait_line "$last" '^Search: date: thread:$'
ui_wait_line "$above" '^thread:ID  thread:\{QUERY\}'
# the hint goes when the word leaves the field
ui_type ' hello'
ui_wait_gone '^thread:ID'
ui_keys Escape
ui_wait_gone '^Search:'
pass "da + Tab completes date: with its hint; t lists to: thread: tag:"

# --- tag-query (*): one key answers, no Enter
ui_keys s
ui_wait_line "$last" '^Search:'
ui_type 'from:maria@example.net'
ui_keys Enter
ui_wait_line 0 '^search: from:maria@example\.net'
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+yes1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+yes1 to all 2 messages matching from:maria@example\.net\? \(y/n\)'
# other keys are ignored: the question stays, nothing changes
ui_keys x j
sleep 0.3
assert_line "$last" 'Apply \+yes1 to all 2 messages'
assert_eq 0 "$(count tag:yes1)" "tags before the answer"
ui_keys n
ui_wait_line "$last" 'Nothing changed'
assert_eq 0 "$(count tag:yes1)" "tags after n"
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+yes1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+yes1 to all 2 messages'
ui_keys y
ui_wait_line "$last" '\+yes1 on 2 messages'
assert_eq 2 "$(count tag:yes1)" "tags after a single y"
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+esc1'
ui_keys Enter
ui_wait_line "$last" 'Apply \+esc1'
ui_keys Escape
ui_wait_line "$last" 'Nothing changed'
assert_eq 0 "$(count tag:esc1)" "tags after Esc"
pass "* is answered by one key: y tags, n and Esc change nothing, other keys ignored"
ui_keys Q
ui_expect_exit 0

# --- P, S, O: the numbers on screen are the numbers asked for.
# The message's parts: the body (text), notes.txt (attachment), a second
# inline text part, data.bin (attachment).  notmuch numbers them 2, 3, 4, 5.
same() { cmp -s "$1" "$2" || { od -c "$1" | head; od -c "$2" | head; fail "${3:-$1 differs from $2}"; }; }
mkdb_notmuch show --format=raw --part=3 id:parts@complete.test > "$tmp/expect-notes"
mkdb_notmuch show --format=raw --part=5 id:parts@complete.test > "$tmp/expect-data"
mkdb_notmuch show --format=raw --part=4 id:parts@complete.test > "$tmp/expect-inline"
[ "$(od -An -tx1 "$tmp/expect-data" | tr -d ' \n')" = 00010203040506070809 ] || fail "notmuch's part 5 is not data.bin"
mkdir -p "$tmp/bin" "$tmp/opened" "$tmp/save"
cat > "$tmp/bin/xdg-open" <<XDG
#!/bin/sh
cp "\$1" "$tmp/opened/" || exit 3
XDG
chmod +x "$tmp/bin/xdg-open"
ui_start PATH="$tmp/bin:$PATH" -- "$TRAWL" --no-mark-read 'id:parts@complete.test'
ui_wait_line 1 'Parts and attachments'
ui_keys Enter
ui_wait_line 0 '^thread: Parts and attachments'
ui_wait_for '^\[attachment 1: notes\.txt, text/plain, 23 bytes\]$'
ui_wait_for '^\[attachment 2: data\.bin, application/octet-stream, 10 bytes\]$'
# P lists the parts with their numbers: the attachments as on screen, then
# the inline ones.
pipe_part() {
	ui_keys P
	ui_wait_line "$last" '^Pipe part \(1-4\) \[1\]:'
	ui_wait_line "$above" '^1: notes\.txt, text/plain, 23 bytes  2: data\.bin, application/octet-stream, 10 bytes  3: \(inline\), text/plain, 14 bytes  4: \(inline\), text/plain, 26 bytes$'
	ui_type "$1"
	ui_keys Enter
	ui_wait_line "$last" '^Pipe to:'
	ui_type "cat > $2; echo PIPED-MARK"
	ui_keys Enter
	ui_wait_for '^PIPED-MARK$'
	ui_keys Enter
	ui_wait_line 0 '^thread: Parts and attachments'
}
pipe_part 2 "$tmp/piped2"
same "$tmp/piped2" "$tmp/expect-data" "P 2: data.bin, attachment 2 on screen"
pipe_part 1 "$tmp/piped1"
same "$tmp/piped1" "$tmp/expect-notes" "P 1: notes.txt, attachment 1 on screen"
pipe_part 4 "$tmp/piped4"
same "$tmp/piped4" "$tmp/expect-inline" "P 4: the second inline part"
pass "P: the part piped is the one with the number shown, listed with type, name and size"
# S 2: data.bin
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-2\) \[1\]:'
ui_wait_line "$above" '^1: notes\.txt, text/plain, 23 bytes  2: data\.bin, application/octet-stream, 10 bytes$'
ui_type 2
ui_keys Enter
ui_wait_line "$last" '^Save to directory:'
ui_keys C-u
ui_type "$tmp/save"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/save/data\\.bin"
same "$tmp/save/data.bin" "$tmp/expect-data" "S 2: data.bin"
# O 1: notes.txt
ui_keys O
ui_wait_line "$last" '^Open attachment \(1-2\) \[1\]:'
ui_type 1
ui_keys Enter
ui_wait_line "$last" 'Opened notes\.txt with xdg-open'
same "$tmp/opened/notes.txt" "$tmp/expect-notes" "O 1: notes.txt"
pass "S and O: the attachment with the number shown"
ui_keys Q
ui_expect_exit 0
ui_done
