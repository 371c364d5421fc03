#!/bin/sh
# T340-saved: S saves the current query under a name (in the XDG config
# directory); B lists notmuch's named queries and trawl's saved searches with
# message and unread counts (counted in the background); Enter runs one.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
mkdb_notmuch config set query.fromalice 'from:alice' || fail "notmuch config set failed"
mkdb_notmuch tag -unread -- id:kickoff-1@example.org
last=$((UI_ROWS - 1))

ui_start -- "$TRAWL" --no-mark-read subject:kickoff
ui_wait_line 0 '^search: subject:kickoff '
ui_keys S
ui_wait_line "$last" '^Save search as: subject:kickoff$'
ui_keys C-u
ui_type 'kick'
ui_keys Enter
ui_wait_line "$last" '^Saved search kick: subject:kickoff$'
grep -qx 'kick=subject:kickoff' "$tmp/.config/trawl/searches" ||
	fail "the saved search is not in $tmp/.config/trawl/searches"

ui_keys B
ui_wait_line 0 '^saved searches +2 searches$'
ui_wait_line 1 '^ +3 messages +2 unread  fromalice  from:alice$'
ui_wait_line 2 '^ +4 messages +3 unread  kick  subject:kickoff$'
ui_keys j Enter
ui_wait_line 0 '^search: subject:kickoff .*4 messages'
ui_keys q
ui_wait_line 0 '^saved searches'
ui_keys g Enter
ui_wait_line 0 '^search: from:alice .*3 messages'
ui_keys Q
ui_expect_exit 0

# Saved searches survive a restart, and a name with '=' is refused.
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \*'
ui_keys S C-u
ui_type 'a=b'
ui_keys Enter
ui_wait_line "$last" "cannot contain '='"
ui_keys B
ui_wait_line 2 'kick  subject:kickoff'
ui_keys Q
ui_expect_exit 0
ui_done
