# uitest.sh — shared harness for trawl's UI tests.  Sourced (POSIX sh, dash).
#
# Drives the real trawl binary in a real terminal: a tmux server of the test's
# own (socket trawl-test-$$), so tests run in parallel.  Everything waits by
# polling the screen with a timeout; nothing sleeps for luck.
#
#   . "$abs_top_srcdir/tests/lib/uitest.sh"
#   ui_require_tmux; ui_require_notmuch; ui_require_trawl
#   ui_start [VAR=VAL...] -- "$TRAWL" [ARGS...]   # UI_COLS x UI_ROWS (100x30)
#   ui_wait_for 'search: tag:inbox'                # ERE on capture-pane
#   ui_keys j j Down                               # tmux key names
#   ui_type 'from:alice'                           # literal text
#   ui_keys q; st=$(ui_exit_status); assert_eq 0 "$st" "exit status"
#   ui_done                                        # exit 0 (sanitizer logs checked)
#
# Exit codes as automake's test-driver expects: 0 pass, 1 fail, 77 skip,
# 99 hard error.  Functions that fail call `exit`, so never call them inside
# $(...) unless they only print (ui_screen, ui_line, ui_selected, ...).
#
# Set TRAWL_TEST_KEEP=1 to keep the temporary directory, TRAWL_TEST_VERBOSE=1
# to trace every step.

set -u

# The test shell itself reads UTF-8 screens: grep counts characters.
LC_ALL=C.UTF-8 TZ=UTC
export LC_ALL TZ
unset LANGUAGE

# --- where things are (make check exports these; fall back when run by hand)
if [ -z "${abs_top_srcdir:-}" ]; then
	abs_top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
: "${srcdir:=$abs_top_srcdir}"
: "${abs_top_builddir:=$abs_top_srcdir}"
: "${TRAWL:=$abs_top_builddir/trawl}"
: "${TRAWL_GEN_CORPUS:=$abs_top_builddir/trawl-gen-corpus}"
if [ -z "${TMUX_BIN:-}" ]; then TMUX_BIN=$(command -v tmux 2>/dev/null || true); fi
if [ -z "${NOTMUCH:-}" ]; then NOTMUCH=$(command -v notmuch 2>/dev/null || true); fi
if [ -z "${TRAWL_CORPORA:-}" ] && [ -d "$abs_top_srcdir/../shared/corpora" ]; then
	TRAWL_CORPORA=$(cd "$abs_top_srcdir/../shared/corpora" && pwd)
fi
: "${TRAWL_CORPORA:=}"
FIXTURES=$abs_top_srcdir/tests/fixtures
UI_TMUX_CONF=$abs_top_srcdir/tests/lib/tmux.conf

# Pinned clock: Sat 2024-06-15 12:00:00 UTC.
: "${TRAWL_TEST_NOW:=1718452800}"
: "${UI_COLS:=100}"
: "${UI_ROWS:=30}"
# Seconds a wait may take (sanitizer builds are slow).
: "${UI_TIMEOUT:=10}"

ui_sock=trawl-test-$$
ui_session=trawl
ui_target=$ui_session
ui_started=0
ui_nstart=0
ui_raw=

# --- results
ui_log() { [ -n "${TRAWL_TEST_VERBOSE:-}" ] && echo "# $*"; return 0; }
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
hard_error() { echo "ERROR: $*"; exit 99; }
pass() { echo "ok - $*"; }

# --- temporary directory, cleaned up with the tmux server on any exit
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trawl-test.XXXXXX") || hard_error "mktemp failed"
NOTMUCH_CONFIG=$tmp/notmuch-config
export NOTMUCH_CONFIG

ui_tmux() { "$TMUX_BIN" -L "$ui_sock" -f "$UI_TMUX_CONF" "$@"; }

# Prints every sanitizer report the program left, returns 1 when there is one.
ui_sanitizer_logs() {
	_found=0
	for _f in "$tmp"/asan.* "$tmp"/ubsan.*; do
		[ -e "$_f" ] || continue
		echo "=== sanitizer report $_f"
		cat "$_f"
		_found=1
	done
	[ "$_found" -eq 0 ]
}

ui_cleanup() {
	_rc=$?
	trap - EXIT INT TERM HUP
	if [ "$ui_started" -eq 1 ] && [ -n "$TMUX_BIN" ]; then
		ui_tmux kill-server >/dev/null 2>&1 || true
		# kill-server leaves the socket file behind
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$ui_sock"
	fi
	if [ "$_rc" -ne 77 ] && ! ui_sanitizer_logs; then
		echo "FAIL: the sanitizer reported an error (above)"
		_rc=1
	fi
	if [ -n "${TRAWL_TEST_KEEP:-}" ]; then
		echo "# kept $tmp"
	else
		chmod -R u+w "$tmp" 2>/dev/null
		rm -rf "$tmp"
	fi
	exit "$_rc"
}
trap ui_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Ends a passing test (the EXIT trap still checks the sanitizer logs).
ui_done() {
	echo "PASS: ${0##*/}"
	exit 0
}

# --- prerequisites
ui_require_tmux() {
	[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip "tmux not found (install tmux to run the UI tests)"
	infocmp tmux-256color >/dev/null 2>&1 || skip "no terminfo entry for tmux-256color (install ncurses-base/ncurses-term)"
}
ui_require_notmuch() {
	[ -n "$NOTMUCH" ] && [ -x "$NOTMUCH" ] || skip "notmuch not found (install notmuch to build test databases)"
}
ui_require_trawl() {
	[ -x "$TRAWL" ] || hard_error "trawl binary not found at $TRAWL (run make first)"
}

# --- the environment trawl runs in: pinned and hermetic
ui_env_list() {
	printf '%s\n' \
		"PATH=${PATH}" \
		"HOME=$tmp" \
		"XDG_CONFIG_HOME=$tmp/.config" \
		"TERM=tmux-256color" \
		"TZ=UTC" \
		"LANG=C.UTF-8" \
		"LC_ALL=C.UTF-8" \
		"NOTMUCH_CONFIG=$NOTMUCH_CONFIG" \
		"TRAWL_NOW=$TRAWL_TEST_NOW" \
		"ESCDELAY=25" \
		"ASAN_OPTIONS=log_path=$tmp/asan:detect_leaks=0" \
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$tmp/ubsan"
	if [ -n "${G_DEBUG:-}" ]; then printf '%s\n' "G_DEBUG=$G_DEBUG"; fi
}

# Single-quotes $1 for sh.
ui_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Runs a command outside tmux with the same pinned environment (plus
# VAR=VAL overrides before --).  ui_env [VAR=VAL...] -- CMD [ARGS...]
ui_env() {
	_cmd="exec env -i"
	_old_ifs=$IFS
	IFS='
'
	for _e in $(ui_env_list); do _cmd="$_cmd $(ui_quote "$_e")"; done
	IFS=$_old_ifs
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do _cmd="$_cmd $(ui_quote "$1")"; shift; done
	[ $# -gt 0 ] && shift
	for _a in "$@"; do _cmd="$_cmd $(ui_quote "$_a")"; done
	( eval "$_cmd" )
}

# ui_start [VAR=VAL...] -- CMD [ARGS...]
# Starts CMD in a fresh tmux session of UI_COLS x UI_ROWS.  Everything CMD
# writes to the terminal is also recorded raw in $ui_raw, and its exit status
# in $ui_status_file.  A second call replaces the first session.
ui_start() {
	ui_nstart=$((ui_nstart + 1))
	_script=$tmp/ui-run-$ui_nstart.sh
	_go=$tmp/ui-go-$ui_nstart
	ui_raw=$tmp/ui-raw-$ui_nstart.out
	ui_status_file=$tmp/ui-status-$ui_nstart
	: > "$ui_raw"
	{
		echo '#!/bin/sh'
		echo "# wait until the output of the pane is being recorded"
		echo "i=0; while [ ! -e $(ui_quote "$_go") ]; do sleep 0.01; i=\$((i+1)); [ \$i -lt 1000 ] || exit 125; done"
		printf 'cd %s || exit 125\n' "$(ui_quote "$tmp")"
		printf 'env -i'
		_old_ifs=$IFS
		IFS='
'
		for _e in $(ui_env_list); do printf ' %s' "$(ui_quote "$_e")"; done
		IFS=$_old_ifs
		while [ $# -gt 0 ] && [ "$1" != "--" ]; do printf ' %s' "$(ui_quote "$1")"; shift; done
		[ $# -gt 0 ] || hard_error "ui_start: missing -- before the command"
		shift
		for _a in "$@"; do printf ' %s' "$(ui_quote "$_a")"; done
		echo
		# tmux 3.3a sometimes never reaps its pane's process (it stays a
		# zombie and #{pane_dead_status} stays empty), so the wrapper
		# records the status itself.
		echo 'st=$?'
		printf 'echo "$st" > %s.tmp && mv %s.tmp %s\n' "$(ui_quote "$ui_status_file")" \
			"$(ui_quote "$ui_status_file")" "$(ui_quote "$ui_status_file")"
		echo 'exit "$st"'
	} > "$_script"
	ui_log "start ($UI_COLS x $UI_ROWS): $*"
	if [ "$ui_started" -eq 1 ]; then
		ui_tmux kill-session -t "$ui_session" >/dev/null 2>&1 || true
	fi
	ui_started=1
	env -u TMUX "$TMUX_BIN" -L "$ui_sock" -f "$UI_TMUX_CONF" \
		new-session -d -s "$ui_session" -x "$UI_COLS" -y "$UI_ROWS" "sh $(ui_quote "$_script")" \
		|| hard_error "tmux new-session failed"
	ui_tmux pipe-pane -o -t "$ui_target" "cat >> $(ui_quote "$ui_raw")" \
		|| hard_error "tmux pipe-pane failed"
	ui_initial_title=$(ui_tmux display-message -p -t "$ui_target" '#{pane_title}')
	: > "$_go"
}

# --- looking at the screen
ui_screen() { ui_tmux capture-pane -p -t "$ui_target"; }
# With attributes as SGR escapes (reverse video is "\033[7m" or "\033[...;7m").
ui_screen_e() { ui_tmux capture-pane -e -p -t "$ui_target"; }
# Line N of the screen (0 = top row).
ui_line() { ui_screen | sed -n "$(($1 + 1))p"; }
ui_format() { ui_tmux display-message -p -t "$ui_target" "$1"; }
ui_pane_dead() { [ "$(ui_format '#{pane_dead}')" = 1 ]; }
ui_status_file=/nonexistent

# Row numbers and text of the rows shown in reverse video, except row 0 (the
# title bar): "N:text", one per line.
ui_reverse_rows() {
	# tmux writes an SGR only where attributes change, even across lines:
	# follow the reverse state through the screen and report each row
	# (below the title) with reverse-video text on it.
	ui_screen_e | awk '
	function sgr(codes,   n, a, i) {
		n = split(codes, a, ";")
		if (codes == "") { rev = 0; return }
		for (i = 1; i <= n; i++) {
			if (a[i] == "" || a[i] == 0) rev = 0
			else if (a[i] == 7) rev = 1
			else if (a[i] == 27) rev = 0
			else if (a[i] == 38 || a[i] == 48) { i += (a[i+1] == 5 ? 2 : 4) }
		}
	}
	{
		line = $0; plain = $0; gsub(/\033\[[0-9;]*m/, "", plain); hit = 0
		while (match(line, /\033\[[0-9;]*m/)) {
			if (RSTART > 1 && rev && substr(line, 1, RSTART - 1) ~ /[^ ]|  */) hit = 1
			sgr(substr(line, RSTART + 2, RLENGTH - 3))
			line = substr(line, RSTART + RLENGTH)
		}
		if (line != "" && rev) hit = 1
		if (NR > 1 && hit) print (NR - 1) ":" plain
	}'
}
# The text of the selected row (the first reverse-video row below the title).
ui_selected() { ui_reverse_rows | sed -n '1s/^[0-9]*://p'; }
# Its row number.
ui_selected_row() { ui_reverse_rows | sed -n '1s/:.*//p'; }

ui_dump() {
	echo "--- screen ($(ui_format '#{pane_width}x#{pane_height}'), dead=$(ui_format '#{pane_dead}')) ---"
	ui_screen | awk '{ printf "%2d|%s\n", NR - 1, $0 }'
	echo "--- end of screen ---"
}

# --- typing
# Keys by tmux name: j Down Up NPage PPage Home End Enter Escape Space C-g BSpace ...
ui_keys() { ui_log "keys: $*"; ui_tmux send-keys -t "$ui_target" "$@"; }
# Literal text.
ui_type() { ui_log "type: $1"; ui_tmux send-keys -t "$ui_target" -l -- "$1"; }

# --- waiting (poll every 50 ms up to a timeout)
ui__deadline() { echo $(( ${1:-$UI_TIMEOUT} * 20 )); }

# ui_wait_for REGEX [TIMEOUT]: until the screen matches (grep -E).
ui_wait_for() {
	_n=$(ui__deadline "${2:-}")
	while :; do
		ui_screen | grep -E -q -- "$1" && return 0
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			ui_dump
			fail "timed out after ${2:-$UI_TIMEOUT}s waiting for /$1/ on the screen"
		fi
		if ui_pane_dead; then
			ui_screen | grep -E -q -- "$1" && return 0
			ui_dump
			fail "trawl exited (status $(ui_format '#{pane_dead_status}')) while waiting for /$1/"
		fi
		sleep 0.05
	done
	# tmux (3.3a) throttles pane resizes and applies a quick second one only
	# later, from a timer: wait until the terminal itself has the new size,
	# which is when the program gets its SIGWINCH.
	_tty=$(ui_format '#{pane_tty}')
	_n=$(ui__deadline)
	while [ "$(stty -F "$_tty" size 2>/dev/null)" != "$2 $1" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || fail "the terminal of the pane never became $1x$2 (stty: $(stty -F "$_tty" size 2>&1))"
		sleep 0.05
	done
}

# ui_wait_gone REGEX [TIMEOUT]: until the screen no longer matches.
ui_wait_gone() {
	_n=$(ui__deadline "${2:-}")
	while ui_screen | grep -E -q -- "$1"; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			ui_dump
			fail "timed out after ${2:-$UI_TIMEOUT}s waiting for /$1/ to go away"
		fi
		sleep 0.05
	done
}

# ui_wait_line N REGEX [TIMEOUT]: until screen line N matches.
ui_wait_line() {
	_n=$(ui__deadline "${3:-}")
	while :; do
		ui_line "$1" | grep -E -q -- "$2" && return 0
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			ui_dump
			fail "timed out after ${3:-$UI_TIMEOUT}s waiting for line $1 to match /$2/"
		fi
		if ui_pane_dead; then
			ui_dump
			fail "trawl exited (status $(ui_format '#{pane_dead_status}')) while waiting for line $1 to match /$2/"
		fi
		sleep 0.05
	done
}

# ui_wait_selected REGEX [TIMEOUT]: until the selected (reverse) row matches.
ui_wait_selected() {
	_n=$(ui__deadline "${2:-}")
	while :; do
		ui_selected | grep -E -q -- "$1" && return 0
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			ui_dump
			echo "reverse-video rows:"; ui_reverse_rows
			fail "timed out after ${2:-$UI_TIMEOUT}s waiting for the selected row to match /$1/"
		fi
		sleep 0.05
	done
}

# ui_exit_status [TIMEOUT]: waits for the program to end and prints its exit
# status (128+N when signal N killed it), as recorded by the pane's wrapper
# script; then waits for the pane to die.
ui_exit_status() {
	_n=$(ui__deadline "${1:-}")
	while [ ! -s "$ui_status_file" ] || ! ui_pane_dead; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			ui_dump >&2
			echo "FAIL: trawl did not exit within ${1:-$UI_TIMEOUT}s" >&2
			echo "timeout"
			return 1
		fi
		sleep 0.05
	done
	cat "$ui_status_file"
}

# ui_exited: has the program ended?
ui_exited() { [ -s "$ui_status_file" ]; }

# ui_expect_exit STATUS: waits for the program to end with STATUS.
ui_expect_exit() {
	_st=$(ui_exit_status) || fail "trawl did not exit"
	[ "$_st" = "$1" ] || { ui_dump; fail "trawl exited with status $_st, expected $1"; }
}

# ui_resize COLS ROWS: resizes the window and waits until the pane has that size.
ui_resize() {
	ui_log "resize $1x$2"
	ui_tmux resize-window -t "$ui_target" -x "$1" -y "$2" || fail "resize-window failed"
	_n=$(ui__deadline)
	while [ "$(ui_format '#{pane_width}x#{pane_height}')" != "$1x$2" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || fail "pane never became $1x$2"
		sleep 0.05
	done
}

# --- assertions
assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected '$1', got '$2'"; }
assert_ne() { [ "$1" != "$2" ] || fail "${3:-values equal}: both '$1'"; }
assert_match() {
	printf '%s\n' "$1" | grep -E -q -- "$2" || fail "${3:-no match}: '$1' does not match /$2/"
}
assert_no_match() {
	printf '%s\n' "$1" | grep -E -q -- "$2" && fail "${3:-unexpected match}: '$1' matches /$2/"
	return 0
}
assert_screen() {
	ui_screen | grep -E -q -- "$1" || { ui_dump; fail "${2:-screen lacks /$1/}"; }
}
assert_not_screen() {
	ui_screen | grep -E -q -- "$1" && { ui_dump; fail "${2:-screen shows /$1/}"; }
	return 0
}
assert_line() {
	ui_line "$1" | grep -E -q -- "$2" || { ui_dump; fail "${3:-line $1 does not match /$2/}"; }
}
# The selected row is exactly one row and matches REGEX.
assert_selected() {
	_rows=$(ui_reverse_rows | wc -l)
	[ "$_rows" -eq 1 ] || { ui_dump; ui_reverse_rows; fail "expected exactly one reverse-video row below the title, found $_rows"; }
	ui_selected | grep -E -q -- "$1" || { ui_dump; fail "${2:-selected row does not match /$1/}: '$(ui_selected)'"; }
}
# assert_help_lists VIEW COMMANDS: the help view on screen shows exactly the
# commands COMMANDS (a `trawl --list-commands` file) gives for VIEW (its own
# and the generic ones): each as a row with its keys and help, one row per
# command, and none of another view.
assert_help_lists() {
	_tab=$(printf '\t')
	_screen=$(ui_screen)
	# A generic command's key that the view's own command takes (/ is find
	# in the thread view) is not listed for it there.
	awk -F "$_tab" -v v=" $1 " '
	NR == FNR { if ($2 != "generic" && (" " $2 " ") ~ v) { n = split($3, k, " "); for (i = 1; i <= n; i++) own[k[i]] = 1 }; next }
	$2 == "generic" { n = split($3, k, " "); keys = ""; for (i = 1; i <= n; i++) if (!(k[i] in own)) keys = keys (keys == "" ? "" : " ") k[i]; $3 = keys; print; next }
	(" " $2 " ") ~ v' OFS="$_tab" "$2" "$2" > "$tmp/help.expected"
	while IFS="$_tab" read -r _name _view _keys _help; do
		# keys and help may hold regex characters: match them literally.
		printf '%s\n' "$_screen" | grep -F -- "$_name" | grep -F -- "$_keys" | grep -q -F -- "$_help" ||
			{ printf '%s\n' "$_screen"; fail "help for $1 lacks '$_keys  $_name  $_help'"; }
	done < "$tmp/help.expected"
	awk -F "$_tab" -v v=" $1 " '$2 != "generic" && (" " $2 " ") !~ v { print $1 }' "$2" |
	while read -r _name; do
		printf '%s\n' "$_screen" | grep -q -w -F -- "$_name" &&
			{ printf '%s\n' "$_screen"; fail "help for $1 lists $_name of another view"; }
		true
	done || exit 1
	assert_eq "$(wc -l < "$tmp/help.expected")" "$(printf '%s\n' "$_screen" | grep -c '^  [^ ]')" \
		"command rows in the help for $1"
}
# The screen text holds no control character (capture-pane without -e).
assert_screen_clean() {
	if ui_screen | LC_ALL=C grep -q '[[:cntrl:]]'; then
		ui_dump | cat -v
		fail "${1:-the screen holds a control character}"
	fi
	return 0
}
assert_no_sanitizer_logs() { ui_sanitizer_logs || fail "the sanitizer reported an error (above)"; }
