#!/bin/sh
# T550-errors-cause: errors said under their real cause.  Search history that
# cannot be saved (the state directory is a file) is said once on the message
# line and searching goes on; a tag list whose counting cannot open the
# database says so instead of "counting" for ever; a NUL byte in the config
# file is reported at its line by --check-config and the lines after it load.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
last=$((UI_ROWS - 1))

# --- search history: XDG_STATE_HOME is a file, so nothing can be written
# under it, even as root.
printf 'not a directory\n' > "$tmp/state"
ui_start XDG_STATE_HOME="$tmp/state" -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:zoe'
ui_keys Enter
ui_wait_line 0 '^search: from:zoe .*\[1/1\] 1 messages?'
ui_wait_line "$last" "search history not saved: $tmp/state/trawl: Not a directory"
# Searching goes on, and it is said once, not on every search.
ui_keys s
ui_wait_line "$last" '^Search: ?$'
ui_type 'from:alice'
ui_keys Enter
ui_wait_line 0 '^search: from:alice '
ui_wait_gone '^Search:'
assert_not_screen 'search history'
# The history of this run still works (Up recalls).
ui_keys s
ui_wait_line "$last" '^Search: ?$'
ui_keys Up
ui_wait_line "$last" '^Search: from:alice$'
ui_keys Escape
ui_keys Q
ui_expect_exit 0

# --- the tag list when its counting cannot open the database: the read
# handle is open, then Xapian's files are moved away from the counting's own
# handle (renamed: permissions stop nothing for root).
ui_start -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
mv "$tmp/db/xapian" "$tmp/db/xapian.moved" || fail "cannot move the database"
ui_wait_line "$last" 'The database has changed on disk'
ui_keys T
ui_wait_line 0 '^tags +[0-9]+ tags, not counted$'
ui_wait_line "$last" 'cannot count: cannot open the notmuch database'
assert_not_screen 'counting'
ui_keys Q
ui_expect_exit 0
mv "$tmp/db/xapian.moved" "$tmp/db/xapian" || fail "cannot move the database back"

# --- a NUL byte in the config file: its line is reported, the rest loads.
mkdir -p "$tmp/.config/trawl"
printf '[options]\nauthor-width = 31\nwrap-width = 5\0 0\nquote-fold = 7\npager-split = wide\n' \
	> "$tmp/.config/trawl/config"
st=0
ui_env -- "$TRAWL" --check-config > "$tmp/check.out" 2>&1 || st=$?
assert_eq 1 "$st" "--check-config status with a NUL byte"
grep -q "^$tmp/.config/trawl/config:3: a NUL byte (the line is ignored)\$" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not report the NUL byte on line 3"; }
grep -q "^$tmp/.config/trawl/config:5: pager-split" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not read the lines after the NUL byte"; }
assert_eq 2 "$(wc -l < "$tmp/check.out")" "--check-config lines"
ui_env -- "$TRAWL" --dump-config > "$tmp/dump.out" 2>/dev/null || true
grep -q '^quote-fold = 7$' "$tmp/dump.out" ||
	{ cat "$tmp/dump.out"; fail "the setting after the NUL byte was not loaded"; }
grep -q '^wrap-width = 5' "$tmp/dump.out" &&
	fail "the line with the NUL byte was used"
ui_done
