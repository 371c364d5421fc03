#!/bin/sh
# T060-errors: failures before curses starts: no config file, a config naming
# a database that does not exist, a corrupt database.  Each exits 1 with one
# line "trawl: ..." on stderr naming the path involved, and writes nothing
# else (no terminal escapes).  In a real terminal, curses never starts.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_notmuch; ui_require_trawl

# run_err NAME PATH-REGEX [VAR=VAL...] -- ARGS: runs trawl outside tmux,
# expects status 1, one stderr line naming PATH-REGEX, an empty stdout.
run_err() {
	_name=$1 _path=$2; shift 2
	_st=0
	ui_env "$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" </dev/null || _st=$?
	_err=$(cat "$tmp/$_name.err")
	echo "# $_name: status $_st: $_err"
	assert_eq 1 "$_st" "$_name: exit status"
	assert_eq 1 "$(wc -l < "$tmp/$_name.err")" "$_name: stderr lines"
	assert_match "$_err" '^trawl: ' "$_name: stderr"
	assert_match "$_err" "$_path" "$_name: stderr names the path"
	[ -s "$tmp/$_name.out" ] && { cat -v "$tmp/$_name.out"; fail "$_name: wrote to stdout"; }
	if LC_ALL=C grep -q "$(printf '\033')" "$tmp/$_name.err"; then
		cat -v "$tmp/$_name.err"; fail "$_name: escape sequence on stderr"
	fi
	assert_no_sanitizer_logs
}

# 1. No config file anywhere (HOME is the empty temp dir).
run_err noconfig "$tmp/nope/notmuch-config|notmuch setup" \
	NOTMUCH_CONFIG="$tmp/nope/notmuch-config" -- "$TRAWL"
# --config naming a missing file.
run_err noconfig-opt "$tmp/nope/other-config" -- "$TRAWL" --config "$tmp/nope/other-config"

# 2. A config whose database does not exist.
mkdb_config "$tmp/nodb" "$tmp/nomail"
rmdir "$tmp/nodb"
run_err nodb "$tmp/nodb|$tmp/nomail" -- "$TRAWL"
# 2b. The database directory exists but holds no database.
mkdir -p "$tmp/nodb"
run_err emptydb "$tmp/nodb|$tmp/nomail" -- "$TRAWL"

# 3. A corrupt database: every Xapian file overwritten with garbage.
mkdb_from_dir "$FIXTURES/basic"
xdir=$(dirname "$(find "$tmp/db" -name 'iamglass' | head -1)")
[ -d "$xdir" ] || fail "no Xapian database under $tmp/db"
for f in "$xdir"/*; do
	[ "${f##*/}" = flintlock ] && continue
	printf 'garbage, not a Xapian table\n%.0s' 1 2 3 4 5 6 7 8 > "$f"
done
run_err corrupt "$tmp/db|$tmp/mail" -- "$TRAWL"

# 4. In a real terminal: the error is printed, curses never started (no
# alternate screen, no clearing), the status is 1.
if [ -z "$TMUX_BIN" ] || [ ! -x "$TMUX_BIN" ]; then
	echo "# tmux not found: the in-terminal part is not run"
	ui_done
fi
ui_start NOTMUCH_CONFIG="$tmp/nope/notmuch-config" -- "$TRAWL"
ui_expect_exit 1
# The error is all trawl wrote to the terminal: one line (CR LF ended).
raw=$(tr -d '\r' < "$ui_raw")
assert_match "$raw" "^trawl: .*($tmp/nope/notmuch-config|notmuch setup)" "terminal output"
assert_eq 1 "$(printf '%s\n' "$raw" | wc -l)" "lines written to the terminal"
assert_screen 'notmuch setup|notmuch-config'
assert_not_screen 'search:'
if LC_ALL=C grep -a -q -P '\x1b\[\?1049h|\x1b\[H|\x1b\[J|\x1b\[\?1h' "$ui_raw"; then
	cat -v "$ui_raw"; echo
	fail "curses started (terminal init sequences in the output) before the error"
fi
ui_done
