#!/bin/sh
# T510-signals: trawl and other processes' signals.
#  - Ctrl-C while a `|` command runs ends the command, not trawl: the screen
#    comes back and the status says how the command ended;
#  - SIGTERM and SIGHUP end trawl cleanly: exit status 0, the terminal
#    restored (the alternate screen left, the cursor shown), the temporary
#    copies of opened attachments removed;
#  - Esc cancels a prompt at once (no ESCDELAY from the harness here).
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/attach"
last=$((UI_ROWS - 1))

# --- Ctrl-C in a pipe command.  trawl runs as a job of a job-control shell
# (bash -c 'set -m'), as from a terminal: its own process group in the
# foreground, so Ctrl-C reaches trawl and the command, not the harness.
command -v bash >/dev/null 2>&1 || skip "bash is needed to run trawl as a foreground job"
ui_start -- bash -c 'set -m; "$0" "$@"; exit $?' "$TRAWL" --no-mark-read id:att-1@example.org
ui_wait_line 1 'Attachments test'
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test '
ui_keys '|'
ui_wait_line "$last" '^Pipe to: ?$'
ui_type "echo SLEEPING-MARK; exec sleep 30"
ui_keys Enter
ui_wait_for '^SLEEPING-MARK$'
ui_keys C-c
ui_wait_for 'exited with status 130\] Press Enter to return'
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test '
ui_wait_line "$last" "exited with status 130"
assert_screen '^See the attached files\.$'
# still alive and answering keys
ui_keys q
ui_wait_line 0 '^search: '
ui_keys q
ui_expect_exit 0

# --- SIGTERM: an attachment opened (its temporary copy kept until exit),
# then the signal.
mkdir -p "$tmp/bin" "$tmp/tmpdir"
printf '#!/bin/sh\nexit 0\n' > "$tmp/bin/xdg-open"
chmod +x "$tmp/bin/xdg-open"
pid_of_trawl() {
	# this test's trawl: the child of its own pane's shell (never another
	# test's trawl running beside it)
	pgrep -P "$(ui_format '#{pane_pid}')" -x trawl
}
for sig in TERM HUP; do
	rm -rf "$tmp/tmpdir"/*
	ui_start PATH="$tmp/bin:$PATH" TMPDIR="$tmp/tmpdir" -- "$TRAWL" --no-mark-read id:att-1@example.org
	ui_wait_line 1 'Attachments test'
	ui_keys Enter
	ui_wait_line 0 '^thread: Attachments test '
	ui_keys O
	ui_wait_line "$last" '^Open attachment'
	ui_keys Enter
	ui_wait_line "$last" 'Opened|opened'
	[ -n "$(ls -A "$tmp/tmpdir")" ] || fail "no temporary copy was made for the viewer"
	pid=$(pid_of_trawl)
	[ -n "$pid" ] || fail "cannot find trawl's pid"
	kill -s "$sig" "$pid"
	ui_expect_exit 0
	[ -z "$(ls -A "$tmp/tmpdir")" ] || fail "SIG$sig left temporary files: $(ls -A "$tmp/tmpdir")"
	# The terminal was given back: the alternate screen left, the cursor shown.
	tail -c 200 "$ui_raw" | grep -q "$(printf '\033')\\[?1049l" || fail "SIG$sig: the alternate screen was not left"
done

# --- Esc cancels a prompt at once (ESCDELAY unset: trawl sets its own).
ui_start ESCDELAY= -- "$TRAWL" --no-mark-read '*'
ui_wait_line 1 '[0-9]'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_keys Escape
UI_TIMEOUT=1 ui_wait_gone '^Search:'
ui_keys q
ui_expect_exit 0
ui_done
