#!/bin/sh
# T070-refresh: mail arrives while trawl runs (`notmuch new` from outside);
# the list does not change by itself, `=` re-runs the query and shows the new
# thread and the grown thread; trawl keeps working and quits cleanly.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

ui_start -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\] 12 messages, newest first$'
ui_wait_line 1 '\[4/4\] +Project kickoff'

mkdb_add_message 1718451900.new1.test <<'MSG'
From: Henry Newman <henry@example.org>
To: Test User <test@example.org>
Subject: Fresh arrival
Date: Sat, 15 Jun 2024 11:45:00 +0000
Message-ID: <fresh-1@example.org>

Just arrived.
MSG
mkdb_add_message 1718451960.new2.test <<'MSG'
From: Bob Builder <bob@example.org>
To: Test User <test@example.org>
Subject: Re: Project kickoff
Date: Sat, 15 Jun 2024 11:30:00 +0000
Message-ID: <kickoff-5@example.org>
In-Reply-To: <kickoff-4@example.org>
References: <kickoff-1@example.org> <kickoff-4@example.org>

One more.
MSG
mkdb_new
assert_eq 14 "$(mkdb_notmuch count tag:inbox)" "messages after notmuch new"

# Not shown until asked for, but trawl says the database changed, by itself
# (no key pressed).
ui_wait_line $((UI_ROWS - 1)) 'database has changed.*= shows the new state'
ui_keys j
ui_wait_line 0 '\[2/6\]'
assert_not_screen 'Fresh arrival'

ui_keys =
ui_wait_for 'Fresh arrival'
ui_wait_line 0 '^search: tag:inbox .*\[[0-9]+/7\] 14 messages, newest first$'
assert_line 1 '^     11:45 Henry Newman .* \[1/1\] +Fresh arrival \(inbox unread\)'
assert_line 2 '^     11:30 .* \[5/5\] +Project kickoff'
assert_line 3 'Grüße aus Köln'
assert_not_screen 'database has changed'
assert_eq 1 "$(ui_reverse_rows | wc -l)" "one selected row after refresh"

# Still alive and responsive.
ui_keys G
ui_wait_line 0 '\[7/7\]'
ui_wait_selected 'A very long subject'
ui_keys g
ui_wait_selected 'Fresh arrival'

# A refresh with nothing new changes nothing.
before=$(ui_screen | sed '$d')
ui_keys =
ui_wait_line 0 '\[1/7\] 14 messages'
assert_eq "$before" "$(ui_screen | sed '$d')" "screen after an idle refresh"

ui_keys q
ui_expect_exit 0
ui_done
