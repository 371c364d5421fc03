#!/bin/sh
# T620-correspondents: W opens the correspondents of the current query (the
# shape index: To/Cc/Bcc read from the files once, cached); counts checked
# against the notmuch CLI; v switches sent / received / pairs, d groups by
# domain, w shows who one person wrote to / heard from; Enter narrows from
# each mode; a second open reads no file (TRAWL_STATS); a new message
# appears after notmuch new; bad addresses, other charsets, Bcc-only.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/corr"
stat_of() { sed -n "s/^$2 //p" "$1"; }
last=$((UI_ROWS - 1))

# The senders as notmuch counts them, summed per address (lower case).
mkdb_notmuch address --output=sender --output=count --deduplicate=mailbox '*' |
	sed -n 's/^\([0-9]*\)\t.*<\(.*\)>$/\1 \2/p' | tr 'A-Z' 'a-z' |
	awk '{ n[$2] += $1 } END { for (a in n) print n[a], a }' | sort > "$tmp/expected-senders"
[ "$(wc -l < "$tmp/expected-senders")" -ge 5 ] || fail "notmuch address gave too little: $(cat "$tmp/expected-senders")"

# --- first open: built, with the counts notmuch gives
ui_start TRAWL_STATS="$tmp/a.stats" -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys W
ui_wait_line 0 '^correspondents: \* .*sent: 6 rows, 8 messages'
ui_screen | sed -n '2,7p' | awk '{ print $1, $2 }' | sort > "$tmp/shown-senders"
diff "$tmp/expected-senders" "$tmp/shown-senders" || fail "senders differ from notmuch address"
assert_line 1 '^ +3  alice@a\.example \(Alice Smith / A\. Smith\)'
assert_screen 'li@c\.example \(李明\)'
assert_screen 'rene@d\.example \(René Dupont\)'
# Received: To, Cc and Bcc; a name in ISO-8859-1 (RFC 2047); Bcc only.
ui_keys v
ui_wait_line 0 'received: 6 rows, 8 messages'
assert_line 1 '^ +4  bob@b\.example \(Bob\)'
assert_screen 'joerg@b\.example \(Jörg Müller\)'
assert_screen '^ +1  secret@hidden\.example$'
# Nothing from the unparsable To lines reaches the screen raw.
if ui_screen_e | grep -q "$(printf '\033]0')"; then fail "a terminal escape reached the screen"; fi
# Enter on received narrows to to:X.
ui_keys Enter
ui_wait_line 0 '^search: to:"bob@b\.example" .*4 messages'
ui_keys q
ui_wait_line 0 'received: 6 rows'
# Pairs.
ui_keys v
ui_wait_line 0 'pairs: 9 rows'
assert_line 1 '^ +2  alice@a\.example .* -> bob@b\.example \(Bob\)'
ui_keys Enter
ui_wait_line 0 '^search: from:"alice@a\.example" and to:"bob@b\.example" .*2 messages'
ui_keys q
ui_wait_line 0 'pairs: 9 rows'
# Sent, and Enter narrows to from:X.
ui_keys v
ui_wait_line 0 'sent: 6 rows'
ui_keys Enter
ui_wait_line 0 '^search: from:"alice@a\.example" .*3 messages'
ui_keys q
ui_wait_line 0 'sent: 6 rows'
# Who did alice write to, who did she hear from.
ui_keys w
ui_wait_line 0 'wrote to alice@a\.example: 3 rows'
ui_keys w
ui_wait_line 0 'heard from alice@a\.example: 1 rows'
assert_line 1 'bob@b\.example \(Bob\) -> alice@a\.example'
# By domain.
ui_keys d
ui_wait_line 0 'pairs by domain: '
ui_keys v
ui_wait_line 0 'sent by domain: 4 rows'
assert_line 1 '^ +3  a\.example$'
ui_keys Q
ui_expect_exit 0
assert_eq 8 "$(stat_of "$tmp/a.stats" shape_files_read)" "files read by the first open"
assert_eq 1 "$(stat_of "$tmp/a.stats" shape_builds)" "builds"

# --- second open: from the cache, no file read; from a narrowed query
ui_start TRAWL_STATS="$tmp/b.stats" -- "$TRAWL" 'from:bob'
ui_wait_line 0 '^search: from:bob'
ui_keys W
ui_wait_line 0 '^correspondents: from:bob .*sent: 1 rows, 1 messages'
ui_keys v
ui_wait_line 0 'received: 3 rows'
ui_keys Enter
ui_wait_line 0 '^search: \(from:bob\) and \(to:"alice@a\.example"\) .*1 messages'
ui_keys Q
ui_expect_exit 0
assert_eq 0 "$(stat_of "$tmp/b.stats" shape_files_read)" "files read by the second open"
assert_eq 1 "$(stat_of "$tmp/b.stats" shape_loads)" "cache loads"

# --- a query matching nothing says so; from the thread view too
ui_start -- "$TRAWL" 'from:alice'
ui_wait_line 0 '^search: from:alice'
ui_keys Enter
ui_wait_for 'Alice'
ui_keys W
ui_wait_line 0 '^correspondents: from:alice .*sent: 1 rows, 3 messages'
ui_keys q
ui_keys :
ui_type 'search from:nobody-at-all'
ui_keys Enter
ui_wait_line 0 '^search: from:nobody-at-all'
ui_keys :
ui_type 'correspondents'
ui_keys Enter
ui_wait_for 'No messages match from:nobody-at-all'
ui_keys Q
ui_expect_exit 0

# --- a new message after notmuch new: read alone, counted
cat > "$tmp/mail/cur/1720000099.99.corr:2," <<'MSG'
From: Zoe <zoe@z.example>
To: Bob <bob@b.example>
Subject: Late
Message-ID: <corr99@test>
Date: Tue, 09 Jan 2024 10:00:00 +0000

late
MSG
mkdb_new
ui_start TRAWL_STATS="$tmp/c.stats" -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys W
ui_wait_line 0 'sent: 7 rows, 9 messages'
assert_screen '^ +1  zoe@z\.example \(Zoe\)'
ui_keys v
ui_wait_line 0 'received: 6 rows, 9 messages'
assert_line 1 '^ +5  bob@b\.example'
ui_keys Q
ui_expect_exit 0
assert_eq 1 "$(stat_of "$tmp/c.stats" shape_files_read)" "files read after notmuch new added one"
# --- a tag change patches the counts: Enter narrows to a thread list, t
# -inbox on its thread, q back: the counts are notmuch's again, with no
# file read and no second pass over the query (TRAWL_STATS)
inbox_senders() {
	mkdb_notmuch address --output=sender --output=count --deduplicate=mailbox 'tag:inbox' |
		sed -n 's/^\([0-9]*\)\t.*<\(.*\)>$/\1 \2/p' | tr 'A-Z' 'a-z' |
		awk '{ n[$2] += $1 } END { for (a in n) print n[a], a }' | sort
}
ui_start TRAWL_STATS="$tmp/d.stats" -- "$TRAWL" 'tag:inbox'
ui_wait_line 0 '^search: tag:inbox'
ui_keys W
ui_wait_line 0 '^correspondents: tag:inbox .*sent: 7 rows, 9 messages'
assert_line 1 '^ +3  alice@a\.example'
ui_keys Enter
ui_wait_line 0 '^search: \(tag:inbox\) and \(from:"alice@a\.example"\) .*3 messages'
ui_keys t
ui_wait_line "$last" '^Tag thread \(\+tag -tag\): ?$'
ui_type '-inbox'
ui_keys Enter
ui_wait_line "$last" '^-inbox on [0-9]+ messages? \(u undoes\)'
ui_keys q
inbox=$(mkdb_notmuch count tag:inbox)
[ "$inbox" -lt 9 ] || fail "the thread kept its inbox tag ($inbox in inbox)"
inbox_senders > "$tmp/expected-inbox"
rows=$(wc -l < "$tmp/expected-inbox")
ui_wait_line 0 "^correspondents: tag:inbox .*sent: $rows rows, $inbox messages"
alice=$(mkdb_notmuch count 'tag:inbox and from:alice@a.example')
assert_eq 2 "$alice" "alice's messages left in inbox"
assert_line 1 '^ +2  alice@a\.example'
ui_screen | sed -n "2,$((rows + 1))p" | awk '{ print $1, $2 }' | sort > "$tmp/shown-inbox"
diff "$tmp/expected-inbox" "$tmp/shown-inbox" || fail "senders after -inbox differ from notmuch address"
# u (in a thread list opened from it) undoes it: the counts come back.
ui_keys Enter
ui_wait_line 0 '^search: \(tag:inbox\) and \(from:"alice@a\.example"\) .*2 messages'
ui_keys u
ui_wait_line "$last" '^Undone: -inbox'
ui_keys q
ui_wait_line 0 '^correspondents: tag:inbox .*sent: 7 rows, 9 messages'
assert_line 1 '^ +3  alice@a\.example'
ui_keys Q
ui_expect_exit 0
assert_eq 0 "$(stat_of "$tmp/d.stats" shape_files_read)" "files read by the tag changes"
assert_eq 1 "$(stat_of "$tmp/d.stats" shape_counts)" "passes over the query (the open only)"
assert_eq 0 "$(stat_of "$tmp/d.stats" shape_recounts)" "recounts"
assert_eq 2 "$(stat_of "$tmp/d.stats" shape_patches)" "patched changes (-inbox and its undo)"
ui_done
