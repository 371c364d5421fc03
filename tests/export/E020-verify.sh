#!/bin/sh
# E020-verify: `trawl verify [--dkim-keys DIR] [--tag] QUERY` over messages
# signed at test time (tests/lib/dkimfix.py: RSA keys from openssl genrsa,
# signatures from python3-dkim, the public keys in a key directory).
# Offline only: every run names a key directory, so no DNS is asked.
#   - one line per message, exactly: untouched -> verified; a body byte
#     changed -> body changed; the signed Subject changed -> headers changed;
#     no key in the directory -> key unavailable; two signatures, one good
#     one bad -> both; garbage tags -> bad signature syntax; a garbage key
#     file -> bad key; an empty p= -> key revoked; x= in the past ->
#     expired; unsigned -> not signed; and the summary line;
#   - exit status 1 when a signature failed, 0 when none did;
#   - --tag: tag:dkim/fail is exactly the bad ones, dkim/pass the good one,
#     dkim/none the unsigned one; stale dkim/* tags removed;
#   - --tag --read-only refused, nothing changed; a missing key directory
#     refused; dkim-keys from trawl's config file; a key directory of
#     garbage only -> key unavailable, no crash.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
. "$abs_top_srcdir/tests/lib/dkim.sh"
dkim_fixtures "$tmp/fix"
mkdb_from_dir "$tmp/fix/mail"
KEYS=$tmp/fix/keys
export TRAWL_CONFIG="$tmp/empty.conf"
: > "$TRAWL_CONFIG"

vf() {
	_n=$1; shift
	st=0
	trawl_run verify "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" || st=$?
}
tagged() { mkdb_notmuch search --output=messages "$1" | sort | tr '\n' ' '; }

case_results() {
	vf all --dkim-keys "$KEYS" '*'
	assert_eq 1 "$st" "exit status with failures ($(cat "$tmp/all.err"))"
	assert_eq "" "$(cat "$tmp/all.err")" "nothing on stderr"
	grep -v '^[0-9]* messages:' "$tmp/all.out" | sort > "$tmp/all.lines"
	sort "$tmp/fix/expected" > "$tmp/want.lines"
	diff -u "$tmp/want.lines" "$tmp/all.lines" || fail "the per-message lines"
	assert_eq "10 messages: 9 signed, 1 not signed, 8 failed; signatures: 2 verified, 1 body changed, 2 headers changed, 1 key unavailable, 1 key revoked, 1 bad key, 1 bad signature syntax, 1 expired" \
		"$(tail -n 1 "$tmp/all.out")" "the summary"
	vf good --dkim-keys "$KEYS" id:good@dkim.example
	assert_eq 0 "$st" "exit status, all verified"
	assert_eq "$(printf 'good@dkim.example\t1\texample.com/sel1: verified\n1 messages: 1 signed, 0 not signed, 0 failed; signatures: 1 verified')" \
		"$(cat "$tmp/good.out")" "one good message"
	vf unsigned --dkim-keys "$KEYS" id:unsigned@dkim.example
	assert_eq 0 "$st" "exit status, unsigned only"
	pass "every result exactly, the summary, the exit status"
}

case_tag() {
	# stale tags from an earlier run
	mkdb_notmuch tag +dkim/fail -- id:good@dkim.example
	mkdb_notmuch tag +dkim/pass -- id:body@dkim.example
	vf tag --tag --dkim-keys "$KEYS" '*'
	assert_eq 1 "$st" "--tag: exit status ($(cat "$tmp/tag.err"))"
	assert_eq "tagged: 1 dkim/pass, 8 dkim/fail, 1 dkim/none" "$(tail -n 1 "$tmp/tag.out")" "--tag summary"
	assert_eq "id:body@dkim.example id:expired@dkim.example id:hdr@dkim.example id:junkkey@dkim.example id:nokey@dkim.example id:revoked@dkim.example id:syntax@dkim.example id:two@dkim.example " \
		"$(tagged tag:dkim/fail)" "tag:dkim/fail"
	assert_eq "id:good@dkim.example " "$(tagged tag:dkim/pass)" "tag:dkim/pass"
	assert_eq "id:unsigned@dkim.example " "$(tagged tag:dkim/none)" "tag:dkim/none"
	before=$(mkdb_notmuch dump)
	vf ro --tag --read-only --dkim-keys "$KEYS" '*'
	assert_eq 2 "$st" "--tag --read-only: exit status"
	grep -q -- '--read-only changes nothing' "$tmp/ro.err" || fail "--tag --read-only: message ($(cat "$tmp/ro.err"))"
	assert_eq "$before" "$(mkdb_notmuch dump)" "--read-only: tags unchanged"
	pass "--tag: dkim/fail exactly the bad ones, stale tags gone; --read-only refused"
}

case_keys() {
	vf nodir --dkim-keys "$tmp/no-such-dir" '*'
	assert_eq 2 "$st" "a missing key directory: exit status"
	assert_eq "trawl verify: the key directory $tmp/no-such-dir is not a directory" "$(cat "$tmp/nodir.err")" "a missing key directory"
	mkdir -p "$tmp/garbage"
	head -c 500 /dev/urandom > "$tmp/garbage/sel1._domainkey.example.com"
	printf 'p=\001\002' > "$tmp/garbage/sel2._domainkey.other.example"
	printf '' > "$tmp/garbage/empty"
	vf garbage --dkim-keys "$tmp/garbage" id:good@dkim.example or id:two@dkim.example
	assert_eq 1 "$st" "garbage keys: exit status"
	assert_eq "$(printf 'good@dkim.example\t1\texample.com/sel1: bad key\ntwo@dkim.example\t2\tother.example/sel2: bad key; example.com/sel1: bad key')" \
		"$(grep -v messages: "$tmp/garbage.out" | sort)" "garbage key files"
	printf '[options]\ndkim-keys = %s\n' "$KEYS" > "$tmp/keys.conf"
	st=0
	TRAWL_CONFIG="$tmp/keys.conf" trawl_run verify id:good@dkim.example > "$tmp/conf.out" 2>&1 || st=$?
	assert_eq 0 "$st" "dkim-keys from the config: exit status ($(cat "$tmp/conf.out"))"
	assert_eq "$(printf 'good@dkim.example\t1\texample.com/sel1: verified')" "$(head -n 1 "$tmp/conf.out")" "dkim-keys from the config"
	vf usage --dkim-keys "$KEYS"
	assert_eq 2 "$st" "no query: exit status"
	pass "key directory: missing, garbage, from the config"
}

failed_cases=
run_case results case_results
run_case tag case_tag
run_case keys case_keys
[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
