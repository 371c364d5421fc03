#!/bin/sh
# T500-import-open: the workflow the README promises, in a real terminal.
# `trawl import A dump.mbox` shows a progress bar on the terminal, clears it
# and prints the summary; `trawl --archive A` (and TRAWL_ARCHIVE) opens the
# archive; a second import into A while trawl is open is seen by trawl's
# read-only handle (the "database has changed" notice, then `=`); the source
# tags narrow to one source; a missing archive is one clear line.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to write the mbox fixtures"

mkmbox="$abs_top_srcdir/tests/lib/mkmbox.py"
python3 "$mkmbox" mboxrd "$tmp/dump.mbox" "$FIXTURES"/basic/cur/* || fail "mkmbox failed"
python3 "$mkmbox" mboxo "$tmp/more.mbox" "$FIXTURES"/hostile/cur/* || fail "mkmbox failed"
basic_n=$(ls "$FIXTURES"/basic/cur | wc -l)
hostile_n=$(ls "$FIXTURES"/hostile/cur | wc -l)

# --- the import, on a terminal.  It ends at once, so what it wrote is read
# from the terminal's raw output (the screen of a pane that died that fast
# is not reliable in tmux).
ui_start -- "$TRAWL" import "$tmp/cases/acme" "$tmp/dump.mbox"
ui_expect_exit 0
grep -q "trawl import: $basic_n messages stored" "$ui_raw" || fail "no summary"
grep -q 'open it with: trawl --archive' "$ui_raw" || fail "no hint how to open it"
# The progress line was drawn (a bar, on a terminal) and cleared (CR, erase
# line) before the summary.
grep -q '100%' "$ui_raw" || fail "no progress line was drawn"
grep -q '█' "$ui_raw" || fail "no progress bar on a terminal"
printf '\r\033[Ktrawl import: %s messages stored' "$basic_n" > "$tmp/cleared"
grep -qF "$(cat "$tmp/cleared")" "$ui_raw" || fail "the progress line was not cleared before the summary"
[ -f "$tmp/cases/acme/notmuch-config" ] || fail "no notmuch-config in the archive"

# --- open it
ui_start -- "$TRAWL" --archive "$tmp/cases/acme"
ui_wait_line 0 "^search: \\* .* $basic_n messages, newest first\$"
assert_screen 'Project kickoff'
assert_screen 'source/dump'

# Another import while trawl is open: trawl keeps working and sees it.
ui_env -- "$TRAWL" import -q "$tmp/cases/acme" "$tmp/more.mbox" > "$tmp/import2.log" 2>&1 ||
	{ cat "$tmp/import2.log"; fail "second import failed"; }
ui_wait_line $((UI_ROWS - 1)) 'database has changed'
ui_keys =
ui_wait_line 0 " $((basic_n + hostile_n)) messages, newest first\$"

# The source tag narrows to one source.
ui_keys /
ui_type 'tag:source/more'
ui_keys Enter
ui_wait_line 0 "^search: tag:source/more .* $hostile_n messages"
assert_not_screen 'Project kickoff'
ui_keys Q
ui_expect_exit 0

# TRAWL_ARCHIVE does the same as --archive.
ui_start TRAWL_ARCHIVE="$tmp/cases/acme" -- "$TRAWL" 'tag:source/dump'
ui_wait_line 0 "^search: tag:source/dump .* $basic_n messages"
ui_keys Q
ui_expect_exit 0

# A directory that is no archive: one line, before the screen is taken.
ui_start -- "$TRAWL" --archive "$tmp/nowhere"
ui_expect_exit 1
grep -q 'is not a trawl archive (no notmuch-config in it); make one with: trawl import' "$ui_raw" ||
	fail "no clear message for a missing archive"
ui_done
