#!/bin/sh
# E040-archive-option: which database trawl, trawl export and trawl verify
# open (one helper, trawl_archive_resolve; one --archive/--config help):
#   - --archive DIR without a notmuch-config: each command's exact message
#     and exit status (trawl 1 with the import hint, export 1, verify 2),
#     nothing written; TRAWL_ARCHIVE the same;
#   - --config wins over TRAWL_ARCHIVE: a missing TRAWL_ARCHIVE is not
#     looked at when --config is given;
#   - --archive A and TRAWL_ARCHIVE=A open the archive: the same rows as
#     --config A/notmuch-config, an export of its messages;
#   - a database that cannot be opened: "trawl export: ..." exit 1,
#     "trawl verify: ..." exit 2;
#   - --help of all three gives --archive and --config the same help text.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"

mkdb_from_dir "$FIXTURES/basic"
A=$tmp/A
import mk "$A" "$FIXTURES/basic"
assert_eq 0 "$st" "trawl import ($(cat "$tmp/mk.err"))"
want=$(nm "$A" count '*')
[ "$want" -gt 0 ] || fail "the archive holds no messages"
mkdir -p "$tmp/keys"
none=$tmp/none
mkdir -p "$none"
export TRAWL_CONFIG="$tmp/empty.conf"
: > "$TRAWL_CONFIG"

# run NAME ARGS...: trawl_run ARGS, status in $st, output in $tmp/NAME.{out,err}
run() {
	_n=$1; shift
	st=0
	trawl_run "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" < /dev/null || st=$?
}
not_archive="$none is not a trawl archive (no notmuch-config in it)"

case_missing() {
	run t1 --archive "$none" --dump-list '*'
	assert_eq 1 "$st" "trawl --archive (no archive): exit status"
	assert_eq "trawl: $not_archive; make one with: trawl import $none SOURCE..." "$(cat "$tmp/t1.err")" "trawl --archive (no archive)"
	run e1 export --archive "$none" --to "$tmp/out1" '*'
	assert_eq 1 "$st" "export --archive (no archive): exit status"
	assert_eq "trawl export: $not_archive" "$(cat "$tmp/e1.err")" "export --archive (no archive)"
	[ ! -e "$tmp/out1" ] || fail "export --archive (no archive) wrote $tmp/out1"
	run v1 verify --archive "$none" --dkim-keys "$tmp/keys" '*'
	assert_eq 2 "$st" "verify --archive (no archive): exit status"
	assert_eq "trawl verify: $not_archive" "$(cat "$tmp/v1.err")" "verify --archive (no archive)"
	# the environment, the same
	TRAWL_ARCHIVE=$none run t2 --dump-list '*'
	assert_eq 1 "$st" "TRAWL_ARCHIVE trawl (no archive): exit status"
	assert_eq "trawl: $not_archive; make one with: trawl import $none SOURCE..." "$(cat "$tmp/t2.err")" "TRAWL_ARCHIVE trawl (no archive)"
	TRAWL_ARCHIVE=$none run e2 export --to "$tmp/out2" '*'
	assert_eq 1 "$st" "TRAWL_ARCHIVE export (no archive): exit status"
	assert_eq "trawl export: $not_archive" "$(cat "$tmp/e2.err")" "TRAWL_ARCHIVE export (no archive)"
	TRAWL_ARCHIVE=$none run v2 verify --dkim-keys "$tmp/keys" '*'
	assert_eq 2 "$st" "TRAWL_ARCHIVE verify (no archive): exit status"
	assert_eq "trawl verify: $not_archive" "$(cat "$tmp/v2.err")" "TRAWL_ARCHIVE verify (no archive)"
	pass "a directory that is no archive: each command's message and exit status"
}

case_config_wins() {
	run t3 --config "$NOTMUCH_CONFIG" --dump-list '*'
	assert_eq 0 "$st" "trawl --config ($(cat "$tmp/t3.err"))"
	TRAWL_ARCHIVE=$none run t4 --config "$NOTMUCH_CONFIG" --dump-list '*'
	assert_eq 0 "$st" "TRAWL_ARCHIVE and --config: trawl ($(cat "$tmp/t4.err"))"
	cmp -s "$tmp/t3.out" "$tmp/t4.out" || fail "TRAWL_ARCHIVE and --config: other rows than --config alone"
	[ -s "$tmp/t4.out" ] || fail "trawl --config --dump-list printed nothing"
	TRAWL_ARCHIVE=$none run e4 export --config "$NOTMUCH_CONFIG" --quiet --to "$tmp/out4" '*'
	assert_eq 0 "$st" "TRAWL_ARCHIVE and --config: export ($(cat "$tmp/e4.err"))"
	TRAWL_ARCHIVE=$none run v4 verify --config "$NOTMUCH_CONFIG" --dkim-keys "$tmp/keys" '*'
	assert_eq 0 "$st" "TRAWL_ARCHIVE and --config: verify ($(cat "$tmp/v4.err"))"
	assert_eq "$(mkdb_notmuch count '*') messages: 0 signed, $(mkdb_notmuch count '*') not signed, 0 failed; signatures: none" \
		"$(tail -n 1 "$tmp/v4.out")" "TRAWL_ARCHIVE and --config: verify summary"
	pass "--config wins over TRAWL_ARCHIVE"
}

case_archive() {
	run t5 --config "$A/notmuch-config" --dump-list '*'
	assert_eq 0 "$st" "trawl --config A/notmuch-config ($(cat "$tmp/t5.err"))"
	run t6 --archive "$A" --dump-list '*'
	assert_eq 0 "$st" "trawl --archive A ($(cat "$tmp/t6.err"))"
	cmp -s "$tmp/t5.out" "$tmp/t6.out" || fail "--archive A: other rows than --config A/notmuch-config"
	TRAWL_ARCHIVE=$A run t7 --dump-list '*'
	assert_eq 0 "$st" "TRAWL_ARCHIVE=A trawl ($(cat "$tmp/t7.err"))"
	cmp -s "$tmp/t5.out" "$tmp/t7.out" || fail "TRAWL_ARCHIVE=A: other rows than --config A/notmuch-config"
	TRAWL_ARCHIVE=$A run e7 export --quiet --format eml --to "$tmp/out7" '*'
	assert_eq 0 "$st" "TRAWL_ARCHIVE=A export ($(cat "$tmp/e7.err"))"
	assert_eq "$want" "$(find "$tmp/out7" -name '*.eml' | wc -l)" "TRAWL_ARCHIVE=A export: one file a message"
	run v7 verify -a "$A" --dkim-keys "$tmp/keys" '*'
	assert_eq 0 "$st" "verify -a A ($(cat "$tmp/v7.err"))"
	assert_eq "$want messages: 0 signed, $want not signed, 0 failed; signatures: none" "$(tail -n 1 "$tmp/v7.out")" "verify -a A: summary"
	pass "--archive A and TRAWL_ARCHIVE=A open the archive"
}

case_open_fails() {
	run e8 export --config "$tmp/no-such-config" --to "$tmp/out8" '*'
	assert_eq 1 "$st" "export, a config that does not open: exit status"
	grep -q '^trawl export: .' "$tmp/e8.err" || { cat "$tmp/e8.err"; fail "export, a config that does not open: no message"; }
	run v8 verify --config "$tmp/no-such-config" --dkim-keys "$tmp/keys" '*'
	assert_eq 2 "$st" "verify, a config that does not open: exit status"
	grep -q '^trawl verify: .' "$tmp/v8.err" || { cat "$tmp/v8.err"; fail "verify, a config that does not open: no message"; }
	pass "a database that does not open: export 1, verify 2"
}

case_help() {
	for c in "" export verify; do
		run help $c --help
		assert_eq 0 "$st" "trawl $c --help: exit status"
		grep -q -e '-a, --archive=DIR  *an archive made by trawl import (its notmuch-config; default: TRAWL_ARCHIVE)$' "$tmp/help.out" ||
			{ cat "$tmp/help.out"; fail "trawl $c --help: the --archive line"; }
		grep -q -e "-c, --config=FILE  *the notmuch config file (default: as notmuch finds it)\$" "$tmp/help.out" ||
			{ cat "$tmp/help.out"; fail "trawl $c --help: the --config line"; }
	done
	pass "--help: one text for --archive and --config in trawl, trawl export, trawl verify"
}

failed_cases=
run_case missing case_missing
run_case config_wins case_config_wins
run_case archive case_archive
run_case open_fails case_open_fails
run_case help case_help
[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
