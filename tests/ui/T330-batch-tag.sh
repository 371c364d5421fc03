#!/bin/sh
# T330-batch-tag: `trawl --tag OPS QUERY` tags every match without a screen,
# through the same safe path as the keys; --read-only and bad operations are
# refused with a message and change nothing.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
dump() { mkdb_notmuch dump --format=batch-tag | sort; }

out=$(ui_env -- "$TRAWL" --tag '+x -inbox' from:alice 2>&1) || fail "--tag failed: $out"
assert_eq '+x -inbox on 3 messages' "$out" "--tag output"
assert_eq 3 "$(mkdb_notmuch count tag:x)" "tag:x"
assert_eq 0 "$(mkdb_notmuch count 'from:alice and tag:inbox')" "inbox left on alice's messages"

before=$(dump)
st=0; out=$(ui_env -- "$TRAWL" --read-only --tag '+y' '*' 2>&1) || st=$?
assert_eq 1 "$st" "--read-only --tag status"
printf '%s\n' "$out" | grep -q 'read-only' || fail "no read-only message: $out"
st=0; out=$(ui_env -- "$TRAWL" --tag '+' '*' 2>&1) || st=$?
assert_eq 2 "$st" "malformed --tag status"
printf '%s\n' "$out" | grep -q 'names no tag' || fail "no syntax message: $out"
st=0; out=$(ui_env -- "$TRAWL" --tag '+z' 'date:foo..bar' 2>&1) || st=$?
assert_eq 1 "$st" "--tag on a bad query"
assert_eq "$before" "$(dump)" "database after refused changes"
ui_done
