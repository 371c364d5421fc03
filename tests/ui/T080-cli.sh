#!/bin/sh
# T080-cli: --help, --version, --list-commands (the one command table:
# include/trawl/commands.h), usage errors (exit 2), and a query given on the
# command line.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_notmuch; ui_require_trawl

# run NAME ARGS...: status into $st, output in $tmp/NAME.{out,err}
run() {
	_name=$1; shift
	st=0
	ui_env -- "$TRAWL" "$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" </dev/null || st=$?
}

# --help: every option, exit 0, on stdout.
run help --help
assert_eq 0 "$st" "--help status"
for opt in --config --profile --help --version --list-commands; do
	grep -q -e "$opt" "$tmp/help.out" || { cat "$tmp/help.out"; fail "--help does not list $opt"; }
done
grep -q 'QUERY' "$tmp/help.out" || fail "--help does not mention QUERY"

# --version
run version --version
assert_eq 0 "$st" "--version status"
assert_match "$(head -1 "$tmp/version.out")" '^trawl [0-9]+\.[0-9]+\.[0-9]+' "--version"
ver=$(sed -n 's/^AC_INIT(\[trawl\], \[\([^]]*\)\].*/\1/p' "$abs_top_srcdir/configure.ac")
[ -n "$ver" ] && assert_eq "trawl $ver" "$(head -1 "$tmp/version.out")" "--version matches configure.ac"

# --list-commands: exactly the table of commands.h, "name<TAB>view<TAB>keys<TAB>help"
# (the table's argument and group fields are not listed).
run list --list-commands
assert_eq 0 "$st" "--list-commands status"
tab=$(printf '\t')
sed -n 's/^[[:space:]]*_([A-Z_]*, *"\([^"]*\)", *"[^"]*", *"\([^"]*\)", *"\([^"]*\)", *"[^"]*", *"\([^"]*\)").*$/\1\t\2\t\3\t\4/p' \
	"$abs_top_srcdir/include/trawl/commands.h" > "$tmp/commands.expected"
[ -s "$tmp/commands.expected" ] || fail "could not read the command table from commands.h"
if ! diff -u "$tmp/commands.expected" "$tmp/list.out"; then
	fail "--list-commands differs from include/trawl/commands.h"
fi
awk -F "$tab" 'NF != 4 { print "bad line " NR ": " $0; bad = 1 } END { exit bad }' "$tmp/list.out" \
	|| fail "--list-commands: lines must have 4 tab-separated fields"

# Usage errors: exit 2, a message naming the problem, nothing on stdout.
run bogus --bogus-option
assert_eq 2 "$st" "unknown option status"
grep -q 'bogus-option' "$tmp/bogus.err" || { cat "$tmp/bogus.err"; fail "unknown option: message does not name it"; }
grep -q '^trawl: ' "$tmp/bogus.err" || { cat "$tmp/bogus.err"; fail "unknown option: message does not start with 'trawl: '"; }
[ -s "$tmp/bogus.out" ] && fail "unknown option: wrote to stdout"
run noarg --config
assert_eq 2 "$st" "--config without its argument: status"
[ -s "$tmp/noarg.err" ] || fail "--config without its argument: no message"

# A query on the command line (words joined with spaces); --config is honoured
# over NOTMUCH_CONFIG.
ui_require_tmux
mkdb_from_dir "$FIXTURES/basic"
ui_start NOTMUCH_CONFIG="$tmp/nope" -- "$TRAWL" --config "$NOTMUCH_CONFIG" from:frank or 'from:grace'
ui_wait_line 0 '^search: from:frank or from:grace .*\[1/2\] 2 messages, newest first$'
assert_line 1 'Release party'
assert_line 2 'A very long subject'
assert_line 3 '^$'
ui_keys q
ui_expect_exit 0

# A query with no match starts fine too.
ui_start -- "$TRAWL" tag:nosuchtag
ui_wait_line 0 '^search: tag:nosuchtag'
ui_wait_line 1 'No threads match'
ui_keys q
ui_expect_exit 0

# Non-ASCII on the command line works in any locale (it is read after the
# locale is set): a query, and a tag for --tag.
for loc in C C.UTF-8; do
	ui_env LC_ALL="$loc" LANG= -- "$TRAWL" --dump-list 'subject:Grüße' >"$tmp/na.out" 2>"$tmp/na.err" </dev/null ||
		{ cat "$tmp/na.err"; fail "a non-ASCII query in LC_ALL=$loc failed"; }
	assert_eq 1 "$(grep -c 'Grüße aus Köln' "$tmp/na.out")" "threads found by a non-ASCII query in LC_ALL=$loc"
done
ui_env LC_ALL=C LANG= -- "$TRAWL" --tag '+prüfung +件名' 'subject:Grüße' >"$tmp/nt.out" 2>"$tmp/nt.err" </dev/null ||
	{ cat "$tmp/nt.err"; fail "--tag with non-ASCII tags failed"; }
assert_eq "$(mkdb_notmuch count 'subject:Grüße')" "$(mkdb_notmuch count 'tag:prüfung and tag:件名')" "non-ASCII tags set by --tag"

# Default query: tag:inbox when a message has it, else "*".
mkdb_notmuch tag -inbox -- '*'
ui_start -- "$TRAWL"
ui_wait_line 0 '^search: \* .*\[1/6\] 12 messages'
ui_keys q
ui_expect_exit 0
ui_done
