#!/bin/sh
# I050-pst: Outlook PST files through readpst ($TRAWL_CORPORA/pst/sample.pst,
# a copy: the corpus is read-only).  readpst gives one message, in folder
# sample/下書き, Subject "test", To recipient@example.com.
#   - the message is imported (notmuch finds it by subject and recipient),
#     tagged source/NAME, its PST folder path in the manifest location, the
#     non-ASCII folder in the store, --verify clean;
#   - the PST copy is unchanged;
#   - a PST inside a zip is read too (copied out to a temp file);
#   - a PST readpst cannot read (a truncated copy): one clear line, skipped,
#     the other sources imported;
#   - without readpst on PATH: the PST is reported (how to install readpst)
#     and skipped, the other sources imported.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/importlib.sh"
ui_require_notmuch; ui_require_trawl

: "${READPST:=}"
[ -n "$READPST" ] && [ -x "$READPST" ] || READPST=$(command -v readpst 2>/dev/null || true)
[ -n "$READPST" ] || skip "readpst not found (apt-get install pst-utils)"
pst=${TRAWL_CORPORA:+$TRAWL_CORPORA/pst/sample.pst}
[ -n "$pst" ] && [ -f "$pst" ] || skip "no $TRAWL_CORPORA/pst/sample.pst (set TRAWL_CORPORA)"
# trawl runs readpst from PATH: the one the build found first
PATH=$(dirname "$READPST"):$PATH
export PATH



src=$tmp/src
mkdir -p "$src"
cp "$pst" "$src/outlook.pst"
chmod 644 "$src/outlook.pst"
want_sha=$(sha256sum < "$src/outlook.pst" | cut -d' ' -f1)
cat > "$src/good.eml" <<'EOF'
From: Sender <sender@example.org>
To: Recipient <rcpt@example.org>
Subject: a good message beside the PST
Date: Mon, 06 Jan 2020 12:00:00 +0000
Message-ID: <good@i050.example>

Hello.
EOF
folder='sample/下書き'

case_sample() {
	A=$tmp/A
	import sample "$A" "$src/outlook.pst"
	assert_eq 0 "$st" "sample.pst: exit status ($(cat "$tmp/sample.err"))"
	assert_eq 1 "$(nm "$A" count '*')" "sample.pst: messages"
	assert_eq 1 "$(nm "$A" count 'subject:test')" "sample.pst: Subject test"
	assert_eq 1 "$(nm "$A" count 'to:recipient@example.com')" "sample.pst: To recipient@example.com"
	assert_eq 1 "$(nm "$A" count 'tag:source/outlook')" "sample.pst: tagged source/outlook"
	# the PST folder path in the location
	line=$(grep '"type":"message"' "$A/manifest.jsonl")
	assert_eq 1 "$(printf '%s\n' "$line" | grep -c .)" "sample.pst: manifest message lines"
	printf '%s\n' "$line" | grep -q -F "\"$folder/" || fail "sample.pst: the folder $folder is not in the manifest location: $line"
	printf '%s\n' "$line" | grep -q -F 'readpst' || fail "sample.pst: the location does not say readpst: $line"
	# the non-ASCII folder in the store
	f=$(find "$A/mail" -type f -path '*/cur/*')
	assert_eq 1 "$(printf '%s\n' "$f" | grep -c .)" "sample.pst: stored files"
	case $f in
	"$A/mail/outlook/$folder/cur/"*) ;;
	*) fail "sample.pst: stored at $f, not under mail/outlook/$folder/cur/" ;;
	esac
	assert_eq 1 "$(nm "$A" count "folder:\"outlook/$folder\"")" "sample.pst: notmuch folder:outlook/$folder"
	# stored as readpst wrote it: the manifest's hash is the file's
	assert_eq "$(sha256sum < "$f" | cut -d' ' -f1)" "$(printf '%s\n' "$line" | sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p')" "sample.pst: manifest sha256"
	st=0
	trawl_run import --verify "$A" > "$tmp/verify.out" 2>&1 || st=$?
	assert_eq 0 "$st" "sample.pst: --verify ($(cat "$tmp/verify.out"))"
	assert_eq "$want_sha" "$(sha256sum < "$src/outlook.pst" | cut -d' ' -f1)" "sample.pst: the PST changed"
	# no readpst leftovers in the temp directory
	[ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'trawl-pst-*' -newer "$src/outlook.pst" 2>/dev/null | head -1)" ] ||
		echo "# note: trawl-pst-* temp entries exist in ${TMPDIR:-/tmp} (maybe another run's)"
	pass "sample.pst: one message, folder $folder in the manifest and the store"
}
run_case sample case_sample

case_in_zip() {
	command -v zip >/dev/null 2>&1 || { echo "# zip not found: a PST inside a zip is not tested"; return 0; }
	(cd "$src" && zip -q "$tmp/mailboxes.zip" outlook.pst) || hard_error "zip failed"
	import inzip "$tmp/A-zip" "$tmp/mailboxes.zip"
	assert_eq 0 "$st" "PST in a zip: exit status ($(cat "$tmp/inzip.err"))"
	assert_eq 1 "$(nm "$tmp/A-zip" count 'subject:test')" "PST in a zip: the message"
	grep '"type":"message"' "$tmp/A-zip/manifest.jsonl" | grep -q -F 'outlook.pst' || fail "PST in a zip: the location does not name outlook.pst"
	grep '"type":"message"' "$tmp/A-zip/manifest.jsonl" | grep -q -F "$folder" || fail "PST in a zip: the location does not name $folder"
	pass "a PST inside a zip"
}
run_case in-zip case_in_zip

case_truncated() {
	size=$(wc -c < "$src/outlook.pst")
	head -c $((size / 3)) "$src/outlook.pst" > "$src/broken.pst"
	import broken "$tmp/A-broken" "$src/broken.pst" "$src/good.eml" "$src/outlook.pst"
	assert_eq 0 "$st" "truncated PST: exit status ($(cat "$tmp/broken.err"))"
	n=$(grep -c 'broken.pst' "$tmp/broken.err")
	assert_eq 1 "$n" "truncated PST: lines about it on stderr ($(cat "$tmp/broken.err"))"
	grep 'broken.pst' "$tmp/broken.err" | grep -q -i 'readpst' || fail "truncated PST: the line does not say readpst failed"
	grep 'broken.pst' "$tmp/A-broken/skipped.jsonl" | grep -q -i 'PST' || { cat "$tmp/A-broken/skipped.jsonl"; fail "truncated PST: not in skipped.jsonl"; }
	assert_eq 1 "$(nm "$tmp/A-broken" count id:good@i050.example)" "truncated PST: the next source imported"
	assert_eq 1 "$(nm "$tmp/A-broken" count 'subject:test')" "truncated PST: the good PST after it imported"
	assert_eq 0 "$(nm "$tmp/A-broken" count tag:source/broken)" "truncated PST: messages from the broken PST"
	pass "a PST readpst cannot read: one line, skipped, the others imported"
}
run_case truncated case_truncated

case_no_readpst() {
	mkdir -p "$tmp/emptybin"
	st=0
	env PATH="$tmp/emptybin" LC_ALL=C.UTF-8 HOME="$tmp" "$TRAWL" import --quiet "$tmp/A-nr" "$src/outlook.pst" "$src/good.eml" \
		> /dev/null 2> "$tmp/nr.err" || st=$?
	assert_eq 0 "$st" "no readpst: exit status ($(cat "$tmp/nr.err"))"
	grep -q 'readpst' "$tmp/nr.err" || { cat "$tmp/nr.err"; fail "no readpst: not reported"; }
	grep -q 'pst-utils' "$tmp/nr.err" || { cat "$tmp/nr.err"; fail "no readpst: the report does not say what to install"; }
	assert_eq 1 "$(nm "$tmp/A-nr" count '*')" "no readpst: the other source imported"
	pass "without readpst: reported with what to install, the others imported"
}
run_case no-readpst case_no_readpst

[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
