#!/bin/sh
# T300-tagging: tag keys in the thread list and the thread view, checked in
# the database with the notmuch CLI: archive, toggles, the tag prompt with
# completion, marks, tagging a whole query (after a confirmation), multi-level
# undo back to the exact starting state, mark-as-read on showing a message,
# writes from a second process while trawl is open, and --read-only changing
# no byte of the mail store or the database.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

last=$((UI_ROWS - 1))
count() { mkdb_notmuch count "$@"; }
dump() { mkdb_notmuch dump --format=batch-tag | sort; }
kickoff=$(mkdb_notmuch search --output=threads id:kickoff-1@example.org)
start_state=$(dump)

ui_start -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
ui_wait_line 1 'Project kickoff \(inbox unread\)'

# A archives the whole selected thread (4 messages); u puts it back.
ui_keys A
ui_wait_line "$last" '^-inbox on 4 messages \(u undoes\)'
assert_eq 0 "$(count "$kickoff and tag:inbox")" "inbox left in the archived thread"
assert_eq 8 "$(count tag:inbox)" "inbox messages after archiving one thread"
ui_wait_line 0 '\[[0-9?]+/5\]'
assert_not_screen 'Project kickoff'
ui_keys u
ui_wait_line "$last" '^Undone: -inbox on 4 messages'
assert_eq 4 "$(count "$kickoff and tag:inbox")" "inbox after undo"
ui_wait_line 1 'Project kickoff \(inbox unread\)'

# t: the tag prompt, with completion of existing tags.
ui_keys t
ui_wait_line "$last" '^Tag thread \(\+tag -tag\): ?$'
ui_type '+todo -unr'
ui_keys Tab
ui_wait_line "$last" '^Tag thread \(\+tag -tag\): \+todo -unread ?$'
ui_keys Enter
ui_wait_line "$last" '\+todo -unread on 4 messages'
assert_eq 4 "$(count "$kickoff and tag:todo")" "todo on the thread"
assert_eq 0 "$(count "$kickoff and tag:unread")" "unread left on the thread"
ui_wait_line 1 'Project kickoff \(inbox todo\)'
# A malformed change is refused and changes nothing.
before=$(dump)
ui_keys t
ui_wait_line "$last" '^Tag thread'
ui_type '+'
ui_keys Enter
ui_wait_line "$last" "names no tag"
assert_eq "$before" "$(dump)" "database after a malformed tag change"

# U and F toggle unread and flagged on the selected thread.
ui_keys j
ui_wait_line 0 '\[2/6\]'
ui_keys F
ui_wait_line "$last" '\+flagged on 2 messages'
assert_eq 2 "$(count tag:flagged)" "flagged messages"
ui_keys F
ui_wait_line "$last" '-flagged on 2 messages'
assert_eq 0 "$(count tag:flagged)" "flagged after the second F"
ui_keys U
ui_wait_line "$last" '-unread on 2 messages'

# Marks: m marks and moves down; tag commands then act on the marked threads.
ui_keys g m m
ui_wait_line 0 '2 marked'
assert_line 1 '^ +[0-9:]+\*'
assert_line 2 '^.{10}\*'
ui_keys t
ui_wait_line "$last" '^Tag marked threads'
ui_type '+legal'
ui_keys Enter
ui_wait_line "$last" '\+legal on 6 messages'
assert_eq 6 "$(count tag:legal)" "legal on the two marked threads"
assert_not_screen 'marked'
# M marks the screen, M again clears.
ui_keys M
ui_wait_line 0 '6 marked'
ui_keys M
ui_wait_gone '6 marked'

# *: every message of the query, after saying how many.
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+bulk'
ui_keys Enter
ui_wait_line "$last" 'Apply \+bulk to all 12 messages matching tag:inbox\? \(y/n\)'
ui_keys n
ui_wait_line "$last" 'Nothing changed'
assert_eq 0 "$(count tag:bulk)" "bulk after answering no"
ui_keys '*'
ui_wait_line "$last" '^Tag every match'
ui_type '+bulk'
ui_keys Enter
ui_wait_line "$last" 'all 12 messages'
ui_keys y
ui_wait_line "$last" '\+bulk on 12 messages'
assert_eq 12 "$(count tag:bulk)" "bulk on every match"

# A second process writes while trawl is open: it is not blocked, and trawl
# keeps working (and notices).
mkdb_notmuch tag +external -- from:frank || fail "notmuch tag from a second process failed"
mkdb_add_message 1718452000.late.test <<'MSG'
From: Late Larry <larry@example.org>
To: Test User <test@example.org>
Subject: Arrived during tagging
Date: Sat, 15 Jun 2024 11:50:00 +0000
Message-ID: <late-larry@example.org>

late
MSG
mkdb_new
ui_wait_line "$last" 'database has changed'
assert_eq 1 "$(count tag:external)" "the second process's tag"

# Undo, level by level, back to exactly where we started (the second
# process's changes are not trawl's to undo).
for i in 1 2 3 4 5 6; do
	ui_keys u
	ui_wait_line "$last" 'Undone'
done
ui_keys u
ui_wait_line "$last" 'Nothing to undo'
mkdb_notmuch tag -external -- tag:external
assert_eq "$start_state" "$(dump | grep -v late-larry)" "tags after undoing everything"

# Reading marks read: the message shown loses unread, the others keep it.
ui_keys q
ui_expect_exit 0
ui_start -- "$TRAWL" subject:kickoff
ui_wait_line 1 'Project kickoff'
ui_keys Enter
ui_wait_line 0 '^thread: Project kickoff .*\[1/4\]'
ui_wait_for '^From: Alice Example'
i=0
while [ "$(count 'id:kickoff-1@example.org and tag:unread')" != 0 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the message shown stayed unread"; sleep 0.05
done
assert_eq 1 "$(count 'id:kickoff-2@example.org and tag:unread')" "unread on the message not shown"
# In the thread view the tag keys act on the message shown.
ui_keys t
ui_wait_line "$last" '^Tag message'
ui_type '+noted'
ui_keys Enter
ui_wait_line "$last" '\+noted on 1 message'
assert_eq 1 "$(count tag:noted)" "noted"
ui_wait_line 2 'noted'
ui_keys u
ui_wait_line "$last" 'Undone'
assert_eq 0 "$(count tag:noted)" "noted after undo"
ui_keys q q
ui_expect_exit 0

# --read-only: write keys say why they are refused; opening every message
# changes no byte of the mail store or the database.
hash_all() { (cd "$tmp" && find mail db -type f -exec sha256sum {} + | sort -k2); }
before=$(hash_all)
ui_start -- "$TRAWL" --read-only '*'
ui_wait_line 2 '[0-9]'
ui_keys A
ui_wait_line "$last" 'read-only'
ui_keys t
ui_wait_line "$last" 'read-only'
for k in 1 2 3 4 5 6 7; do
	ui_keys Enter
	ui_wait_line 0 '^\[read-only\] thread: '
	# every message of the thread is shown once
	ui_keys g n n n n n
	ui_wait_line 0 '^\[read-only\] thread: .*\[([0-9]+)/\1\]'
	ui_keys q
	ui_wait_line 0 '^\[read-only\] search: '
	ui_keys j
done
ui_keys q
ui_expect_exit 0
assert_eq "$before" "$(hash_all)" "mail store and database after a --read-only session"
ui_done
