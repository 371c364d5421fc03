#!/bin/sh
# T530-arguments: one command path.  A command given its argument (on the `:`
# line, or by a key binding "tag +x = X") takes it and never opens its prompt
# (tag, narrow, search, save-search, tag-query, pipe-message), in the view the
# argument was given in; a confirmation (tag-query's y/n) is still asked.
# Then the movement keys behave alike in every list-shaped view (help, the tag
# list, saved searches, the thread list, the thread tree): PgDn, PgUp, C-d, G
# and g land where expected, paging carries the screen along, G shows the
# last row at the bottom and g the first at the top.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
body=$((UI_ROWS - 2))
count() { mkdb_notmuch count --exclude=false "$@"; }
# No prompt TEXT was ever written to the terminal in this session.
never_asked() {
	grep -F -q -- "$1" "$ui_raw" && fail "the prompt '$1' was shown ($2)"
	return 0
}
# Runs the `:` command line LINE.
colon() {
	ui_keys :
	ui_wait_line "$last" '^:'
	ui_type "$1"
	ui_keys Enter
}

# ---------------------------------------------------------------------------
# Arguments: tests/fixtures/basic (the kickoff thread: 4 messages, first).
mkdb_from_dir "$FIXTURES/basic"
kickoff=$(mkdb_notmuch search --output=threads id:kickoff-1@example.org)
mkdir -p "$tmp/.config/trawl"
cat > "$tmp/.config/trawl/config" <<'EOF'
[keys.search]
tag +bound = X
[keys.thread]
tag +inthread = X
pipe-message cat > piped-by-key = Y
EOF

ui_start -- "$TRAWL" --no-mark-read
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
ui_wait_selected 'Project kickoff'

# tag: from `:`, and from a binding.
colon 'tag +argx'
ui_wait_line "$last" '^\+argx on 4 messages \(u undoes\)$'
assert_eq 4 "$(count "$kickoff and tag:argx")" "argx on the thread after :tag +argx"
ui_keys X
ui_wait_line "$last" '^\+bound on 4 messages \(u undoes\)$'
assert_eq 4 "$(count "$kickoff and tag:bound")" "bound on the thread after X"
never_asked 'Tag thread' "tag with an argument"

# tag-query: the operations from `:`, the confirmation still asked.
inbox=$(mkdb_notmuch count tag:inbox)
colon 'tag-query +bulk'
ui_wait_line "$last" "^Apply \\+bulk to all $inbox messages matching tag:inbox\\? \\(y/n\\) ?\$"
ui_type y
ui_wait_line "$last" "^\\+bulk on $inbox messages"
assert_eq "$inbox" "$(count tag:bulk)" "bulk after :tag-query +bulk"
never_asked 'Tag every match' "tag-query with an argument"

# narrow and search.
colon 'narrow from:alice'
ui_wait_line 0 '^search: \(tag:inbox\) and \(from:alice\) '
never_asked 'Narrow:' "narrow with an argument"
colon 'search from:bob'
ui_wait_line 0 '^search: from:bob '
never_asked 'Search:' "search with an argument"

# save-search: the name from `:`, the query the view's.
colon 'save-search bobs'
ui_wait_line "$last" '^Saved search bobs: from:bob$'
never_asked 'Save search as' "save-search with an argument"
ui_keys q q
ui_wait_line 0 '^search: tag:inbox '

# In the thread view: tag by a binding, pipe-message from `:` and a binding.
ui_keys g Enter
ui_wait_line 0 '^thread: Project kickoff '
ui_keys X
ui_wait_line "$last" '^\+inthread on 1 message'
assert_eq 1 "$(count "$kickoff and tag:inthread")" "inthread after X in the thread view"
never_asked 'Tag message' "tag with an argument in the thread view"
colon 'pipe-message cat > piped'
ui_wait_for 'Press Enter to return'
ui_keys Enter
ui_wait_line "$last" "^'cat > piped' exited with status 0\$"
ui_keys Y
ui_wait_for 'Press Enter to return'
ui_keys Enter
ui_wait_line "$last" "^'cat > piped-by-key' exited with status 0\$"
msgfile=$(mkdb_notmuch search --output=files id:kickoff-1@example.org)
cmp -s "$tmp/piped" "$msgfile" || fail "the message piped by :pipe-message differs from its file"
cmp -s "$tmp/piped-by-key" "$msgfile" || fail "the message piped by Y differs from its file"
never_asked 'Pipe to:' "pipe-message with an argument"

# The check itself sees a prompt that was shown.
ui_keys t
ui_wait_line "$last" '^Tag message \(\+tag -tag\): ?$'
ui_keys Escape
ui_wait_gone '^Tag message'
grep -F -q 'Tag message' "$ui_raw" || fail "a shown prompt is not found in the recorded output"
ui_keys Q
ui_expect_exit 0

# ---------------------------------------------------------------------------
# Movement: a corpus longer than the screen everywhere.
[ -x "$TRAWL_GEN_CORPUS" ] || skip "the corpus generator is not built"
"$TRAWL_GEN_CORPUS" -o "$tmp/mail" -n 400 --seed 11 --quiet || fail "the generator failed"
rm -rf "$tmp/db"
mkdb_config "$tmp/db" "$tmp/mail"
mkdb_new
threads=$(mkdb_notmuch search --output=threads '*' | wc -l)
[ "$threads" -gt $((2 * body)) ] || fail "only $threads threads: too few to page"
# Forty tags on one message, forty saved searches.
i=1; tags=; searches=
while [ $i -le 40 ]; do
	n=$(printf '%02d' $i)
	tags="$tags +t$n"
	searches="$searches
s$n = tag:t$n"
	i=$((i + 1))
done
mkdb_notmuch tag $tags -- "$(mkdb_notmuch search --output=messages --limit=1 '*')"
printf '[searches]%s\n' "$searches" > "$tmp/.config/trawl/config"

# The selected row: its screen row and its text (ROW REGEX).
sel_at() {
	ui_wait_selected "$2"
	assert_eq "$1" "$(ui_selected_row)" "the screen row of the selection /$2/"
}

# The thread list: [cursor/threads] in the title.
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 "\\[1/$threads\\]"
ui_keys PgDn
ui_wait_line 0 "\\[$((body + 1))/$threads\\]"
assert_eq 1 "$(ui_selected_row)" "the list's selection after PgDn"
ui_keys PgUp
ui_wait_line 0 "\\[1/$threads\\]"
assert_eq 1 "$(ui_selected_row)" "the list's selection after PgUp"
ui_keys C-d
ui_wait_line 0 "\\[$((body / 2 + 1))/$threads\\]"
assert_eq 1 "$(ui_selected_row)" "the list's selection after C-d"
ui_keys G
ui_wait_line 0 "\\[$threads/$threads\\]"
assert_eq "$body" "$(ui_selected_row)" "the list's selection after G"
ui_keys j
ui_wait_line 0 "\\[$threads/$threads\\]"
ui_keys g
ui_wait_line 0 "\\[1/$threads\\]"
assert_eq 1 "$(ui_selected_row)" "the list's selection after g"

# Saved searches: the config's s01..s40, then bobs (saved above).
ui_keys B
ui_wait_line 0 '^saved searches +41 searches$'
sel_at 1 ' s01  tag:t01$'
ui_keys PgDn
sel_at 1 " s$((body + 1))  tag:t$((body + 1))\$"
ui_keys PgUp
sel_at 1 ' s01  tag:t01$'
ui_keys G
sel_at "$body" ' bobs  from:bob$'
ui_keys j
sel_at "$body" ' bobs  from:bob$'
ui_keys g
sel_at 1 ' s01  tag:t01$'
ui_keys q

# The tag list (attachment inbox t01..t40 unread).
ui_keys T
ui_wait_line 0 '^tags +43 tags'
sel_at 1 ' attachment$'
ui_keys PgDn
sel_at 1 " t$((body - 1))\$"
ui_keys G
sel_at "$body" ' unread$'
ui_keys g
sel_at 1 ' attachment$'
ui_keys q

# Help: no cursor; the keys scroll it, G to its last screen.
ui_keys '?'
ui_wait_line 0 '^help: search'
ui_wait_line 1 '^Movement$'
first_page=$(ui_screen | sed -n "2,$((body + 1))p")
ui_keys PgDn
ui_wait_gone '^Movement$'
ui_keys PgUp
ui_wait_line 1 '^Movement$'
assert_eq "$first_page" "$(ui_screen | sed -n "2,$((body + 1))p")" "help after PgDn PgUp"
ui_keys G
ui_wait_gone '^Movement$'
last_page=$(ui_screen | sed -n "2,$((body + 1))p")
[ -n "$(ui_line "$body")" ] || fail "help's last screen does not reach the bottom row"
ui_keys j
assert_eq "$last_page" "$(ui_screen | sed -n "2,$((body + 1))p")" "help after G j"
ui_keys g
ui_wait_line 1 '^Movement$'
ui_keys q

# The thread tree: 64 messages, a tree of fewer rows.
ui_keys g
ui_wait_line 0 "\\[1/$threads\\]"
big=$(mkdb_notmuch search --output=threads subject:Regression and subject:HTML)
ui_keys :
ui_wait_line "$last" '^:'
ui_type "search $big"
ui_keys Enter
ui_wait_line 0 '\[1/1\]'
ui_keys Enter
ui_wait_line 0 '^thread: .*\[1/64\]'
sep=$(ui_screen | awk '/^── / { print NR - 1; exit }')
[ -n "$sep" ] && [ "$sep" -lt 64 ] || fail "no separator, or a tree of 64 rows"
ui_keys G
ui_wait_line 0 '^thread: .*\[64/64\]'
assert_eq $((sep - 1)) "$(ui_selected_row)" "the tree's selection after G"
ui_keys j
ui_wait_line 0 '^thread: .*\[64/64\]'
ui_keys g
ui_wait_line 0 '^thread: .*\[1/64\]'
assert_eq 2 "$(ui_selected_row)" "the tree's selection after g (under the participants line)"
ui_keys j j
ui_wait_line 0 '^thread: .*\[3/64\]'
assert_eq 4 "$(ui_selected_row)" "the tree's selection after g j j"
# PgDn scrolls the message, not the tree.
ui_keys PgDn
ui_wait_line 0 '^thread: .*\[[34]/64\]'
ui_keys Q
ui_expect_exit 0

ui_done
