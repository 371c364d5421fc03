#!/bin/sh
# I030-custody: the chain of custody of `trawl import`.
#   - every source file hashed before and after: unchanged; the sources are
#     read-only (chmod -R a-w; as root also a read-only bind mount, when
#     permitted, so a write attempt would fail);
#   - every manifest message line's sha256 and size match its stored file,
#     stored files are 0444 and named by their sha256;
#   - --verify: clean (exit 0), then one changed byte and one deleted file
#     are each found (exit 1, the file named);
#   - byte-identical duplicates: stored once, every location in the manifest;
#   - the same Message-ID with other bytes: both stored, notmuch has one
#     message with 2 files, the summary says conflicting;
#   - importing the same source again adds nothing ("nothing new");
#   - kill -9 in the middle of a 3000-message import (--batch 50), then the
#     same command again: every message once (notmuch count, files, manifest
#     (sha256, source, location) keys), --verify clean;
#   - SIGINT: exit 130 with a resume hint; the same command finishes;
#   - trawl --archive A --dump-list, TRAWL_ARCHIVE, notmuch --config=A/notmuch-config;
#   - a source inside the archive (or holding it) is refused.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
import_require_python

# every file under DIR with its sha256, sorted by name
tree_hashes() { (cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2); }

# manifest_check ARCHIVE: every message line's sha256/size is its stored
# file's, every stored file is in the manifest, no (sha256, source,
# location) twice.  Prints "OK <lines> <files>" or the problems.
manifest_check() {
	python3 - "$1" <<'EOF'
import hashlib, json, os, sys
a = sys.argv[1]
bad, keys, files, lines = [], set(), set(), 0
for n, line in enumerate(open(os.path.join(a, "manifest.jsonl"), "rb"), 1):
    try:
        o = json.loads(line)
    except ValueError:
        bad.append("line %d: not JSON" % n)
        continue
    if o.get("type") != "message":
        continue
    lines += 1
    p = os.path.join(a, o["file"])
    try:
        data = open(p, "rb").read()
    except OSError as e:
        bad.append("line %d: %s: %s" % (n, o["file"], e))
        continue
    if hashlib.sha256(data).hexdigest() != o["sha256"]:
        bad.append("line %d: %s: sha256 differs" % (n, o["file"]))
    if len(data) != o["size"]:
        bad.append("line %d: %s: size %d, manifest %d" % (n, o["file"], len(data), o["size"]))
    if not os.path.basename(p).startswith(o["sha256"]):
        bad.append("line %d: %s not named by its sha256" % (n, o["file"]))
    if os.stat(p).st_mode & 0o222:
        bad.append("line %d: %s is writable (mode %o)" % (n, o["file"], os.stat(p).st_mode & 0o777))
    k = (o["sha256"], o["source"], json.dumps(o["location"], sort_keys=True))
    if k in keys:
        bad.append("line %d: (sha256, source, location) twice: %s" % (n, k))
    keys.add(k)
    files.add(o["file"])
for root, dirs, names in os.walk(os.path.join(a, "mail")):
    if os.path.basename(root) != "cur":
        continue
    for f in names:
        rel = os.path.relpath(os.path.join(root, f), a)
        if rel not in files:
            bad.append("%s: stored but not in the manifest" % rel)
if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
print("OK %d %d" % (lines, len(files)))
EOF
}

# mkmsg FILE ID [BODY]: a small message
mkmsg() {
	mkdir -p "$(dirname "$1")"
	cat > "$1" <<EOF
From: Sender <sender@example.org>
To: Recipient <rcpt@example.org>
Subject: message $2
Date: Mon, 06 Jan 2020 12:00:00 +0000
Message-ID: <$2@i030.example>

${3:-This is message $2.}
EOF
}


# --- the sources: an mbox, a maildir, a zip
src=$tmp/src
mkdir -p "$src"
ls "$FIXTURES"/*/cur/* > "$tmp/fixture-files"
$MKMBOX --ids "$tmp/mbox.ids" mboxrd "$src/evidence.mbox" $(cat "$tmp/fixture-files") || hard_error "mkmbox failed"
md=$src/maildir
mkmsg "$md/cur/1:2," md-1
mkmsg "$md/cur/2:2," md-2
cp "$md/cur/1:2," "$md/cur/1-copy:2,"          # byte-identical duplicate
mkmsg "$md/new/3" conflict "First version of the body."
mkmsg "$md/new/4" conflict "Second version: other bytes, same Message-ID."
# the same bytes as a message of the mbox: a duplicate across sources
first=$(head -1 "$tmp/fixture-files")
cp "$first" "$md/cur/from-fixture:2,"
if command -v zip >/dev/null 2>&1; then
	mkmsg "$tmp/zipparts/z1.eml" zip-1
	mkmsg "$tmp/zipparts/z2.eml" zip-2
	(cd "$tmp/zipparts" && zip -q "$src/attachments.zip" z1.eml z2.eml) || hard_error "zip failed"
fi

tree_hashes "$src" > "$tmp/src.before"
chmod -R a-w "$src"
ro_mounted=0
if [ "$(id -u)" = 0 ] && mount --bind "$src" "$src" 2>/dev/null; then
	if mount -o remount,ro,bind "$src" 2>/dev/null; then
		ro_mounted=1
		echo "# the sources are on a read-only bind mount"
	else
		umount "$src" 2>/dev/null
	fi
fi
unmount_src() { [ "$ro_mounted" -eq 0 ] || umount "$src" 2>/dev/null; ro_mounted=0; }
# uitest's own EXIT trap must still run (with the test's status): chain it
trap '_s=$?; unmount_src; (exit "$_s"); ui_cleanup' EXIT

A=$tmp/archive
st=0
trawl_run import --quiet "$A" "$src"/* > "$tmp/first.out" 2> "$tmp/first.err" || st=$?
[ "$st" -eq 0 ] || { cat "$tmp/first.err"; fail "first import exited $st"; }
cat "$tmp/first.err" | sed 's/^/# /'

case_sources_unchanged() {
	tree_hashes "$src" > "$tmp/src.after"
	cmp -s "$tmp/src.before" "$tmp/src.after" || { diff "$tmp/src.before" "$tmp/src.after"; fail "a source file changed"; }
	[ -z "$(find "$src" -newer "$tmp/src.before")" ] || fail "something in the sources was modified: $(find "$src" -newer "$tmp/src.before" | head -3)"
	pass "sources unchanged (sha256 before = after; chmod a-w$([ "$ro_mounted" -eq 1 ] && echo ', read-only mount'))"
}
run_case sources case_sources_unchanged

case_manifest() {
	r=$(manifest_check "$A") || { echo "$r"; fail "manifest and store disagree"; }
	set -- $r
	echo "# manifest: $2 message lines, $3 stored files"
	assert_eq "$3" "$(stored_files "$A" | wc -l)" "stored files = files the manifest names"
	assert_eq "$3" "$(nm "$A" search --output=files '*' | wc -l)" "files notmuch knows = stored files"
	# every message line of the first run: fixtures + maildir (6) + zip (2)
	want=$(( $(wc -l < "$tmp/fixture-files") + 6 + $([ -f "$src/attachments.zip" ] && echo 2 || echo 0) ))
	assert_eq "$want" "$2" "manifest message lines (one per message and location)"
	for f in $(stored_files "$A" | head -5); do
		assert_eq "-r--r--r--" "$(stat -c %A "$f")" "stored file mode of $f"
	done
	pass "manifest lines match the stored files (sha256, size, name, 0444)"
}
run_case manifest case_manifest

case_duplicates() {
	sha=$(sha256sum < "$md/cur/1:2," | cut -d' ' -f1)
	assert_eq 1 "$(stored_files "$A" | grep -c "/$sha:2,\$")" "byte-identical duplicate stored once"
	n=$(grep '"type":"message"' "$A/manifest.jsonl" | grep -c "\"sha256\":\"$sha\"")
	assert_eq 2 "$n" "byte-identical duplicate: manifest lines (both locations)"
	grep "\"sha256\":\"$sha\"" "$A/manifest.jsonl" | grep -q '1-copy:2,' || fail "the duplicate's location (1-copy:2,) is not in the manifest"
	grep "\"sha256\":\"$sha\"" "$A/manifest.jsonl" | grep -q '"[^"]*cur/1:2,"' || fail "the original's location (cur/1:2,) is not in the manifest"
	# across sources: the fixture in the mbox and in the maildir
	sha=$(sha256sum < "$first" | cut -d' ' -f1)
	assert_eq 1 "$(stored_files "$A" | grep -c "/$sha:2,\$")" "duplicate across sources stored once"
	assert_eq 2 "$(grep -c "\"sha256\":\"$sha\"" "$A/manifest.jsonl")" "duplicate across sources: manifest lines"
	id=$(sed -n 's/^[Mm]essage-[Ii][Dd]: *<\(.*\)>.*/\1/p' "$first" | head -1)
	assert_eq 1 "$(nm "$A" count "id:$id and tag:source/evidence and tag:source/maildir")" \
		"duplicate across sources: tagged with both sources"
	grep -q 'byte-identical duplicate' "$tmp/first.err" || fail "the summary does not mention the byte-identical duplicates"
	pass "byte-identical duplicates: stored once, every location recorded"
}
run_case duplicates case_duplicates

case_conflict() {
	assert_eq 1 "$(nm "$A" count id:conflict@i030.example)" "same Message-ID other bytes: one notmuch message"
	assert_eq 2 "$(nm "$A" search --output=files id:conflict@i030.example | wc -l)" "same Message-ID other bytes: files of the message"
	for f in "$md/new/3" "$md/new/4"; do
		sha=$(sha256sum < "$f" | cut -d' ' -f1)
		assert_eq 1 "$(stored_files "$A" | grep -c "/$sha:2,\$")" "conflicting version $f stored"
	done
	grep -q 'conflicting' "$tmp/first.err" || { cat "$tmp/first.err"; fail "the summary does not say conflicting"; }
	grep -q '"same_id_other_bytes":true' "$A/manifest.jsonl" || fail "the manifest does not flag the conflicting copy"
	pass "same Message-ID, other bytes: both stored, one message with 2 files, reported"
}
run_case conflict case_conflict

case_verify() {
	st=0
	trawl_run import --verify "$A" > "$tmp/verify.out" 2>&1 || st=$?
	assert_eq 0 "$st" "--verify on an intact archive ($(tail -1 "$tmp/verify.out"))"
	grep -q ' 0 differences' "$tmp/verify.out" || { cat "$tmp/verify.out"; fail "--verify does not say 0 differences"; }
	cp -a "$A" "$tmp/tampered"
	victim=$(stored_files "$tmp/tampered" | LC_ALL=C sort | head -1)
	rel=${victim#"$tmp/tampered/"}
	chmod u+w "$victim"
	printf 'X' | dd of="$victim" bs=1 seek=10 count=1 conv=notrunc 2>/dev/null
	st=0
	trawl_run import --verify "$tmp/tampered" > "$tmp/verify2.out" 2>&1 || st=$?
	assert_eq 1 "$st" "--verify after one changed byte"
	grep -F "$rel" "$tmp/verify2.out" | grep -q 'changed' || { cat "$tmp/verify2.out"; fail "--verify does not name the changed file $rel"; }
	grep -q ' 1 difference$' "$tmp/verify2.out" || { cat "$tmp/verify2.out"; fail "--verify does not count 1 difference"; }
	# a deleted file
	cp -a "$A" "$tmp/deleted"
	victim=$(stored_files "$tmp/deleted" | LC_ALL=C sort | tail -1)
	rel=${victim#"$tmp/deleted/"}
	rm -f "$victim"
	st=0
	trawl_run import --verify "$tmp/deleted" > "$tmp/verify3.out" 2>&1 || st=$?
	assert_eq 1 "$st" "--verify after a deleted file"
	grep -F "$rel" "$tmp/verify3.out" | grep -q 'missing' || { cat "$tmp/verify3.out"; fail "--verify does not name the missing file $rel"; }
	# a file slipped into the store
	cp -a "$A" "$tmp/added"
	d=$(dirname "$(stored_files "$tmp/added" | head -1)")
	cp "$md/cur/2:2," "$d/planted:2,"
	st=0
	trawl_run import --verify "$tmp/added" > "$tmp/verify4.out" 2>&1 || st=$?
	assert_eq 1 "$st" "--verify after a file was added to the store"
	grep -q 'planted:2,' "$tmp/verify4.out" || { cat "$tmp/verify4.out"; fail "--verify does not name the planted file"; }
	pass "--verify: clean, then a changed byte, a deleted file and a planted file found"
}
run_case verify case_verify

case_reimport() {
	before=$(grep -c '"type":"message"' "$A/manifest.jsonl")
	files_before=$(stored_files "$A" | wc -l)
	st=0
	trawl_run import --quiet "$A" "$src"/* > /dev/null 2> "$tmp/again.err" || st=$?
	assert_eq 0 "$st" "re-import status"
	grep -q 'nothing new' "$tmp/again.err" || { cat "$tmp/again.err"; fail "re-import does not say nothing new"; }
	grep -q '^trawl import: 0 messages stored' "$tmp/again.err" || { cat "$tmp/again.err"; fail "re-import stored something"; }
	assert_eq "$before" "$(grep -c '"type":"message"' "$A/manifest.jsonl")" "manifest message lines after a re-import"
	assert_eq "$files_before" "$(stored_files "$A" | wc -l)" "stored files after a re-import"
	r=$(manifest_check "$A") || { echo "$r"; fail "manifest after re-import"; }
	pass "re-import of the same sources adds nothing"
}
run_case reimport case_reimport

case_open() {
	threads=$(nm "$A" count --output=threads '*')
	[ "$threads" -gt 0 ] || fail "notmuch --config=A/notmuch-config count: no threads"
	env -u G_DEBUG "$NOTMUCH" --config="$A/notmuch-config" count '*' > "$tmp/nmcount" 2>&1 || fail "notmuch --config=A/notmuch-config count failed: $(cat "$tmp/nmcount")"
	assert_eq "$(nm "$A" count '*')" "$(cat "$tmp/nmcount")" "notmuch --config=ARCHIVE/notmuch-config count"
	st=0
	trawl_run --archive "$A" --dump-list '*' > "$tmp/dump1" 2> "$tmp/dump1.err" < /dev/null || st=$?
	assert_eq 0 "$st" "trawl --archive --dump-list ($(head -2 "$tmp/dump1.err"))"
	assert_eq "$threads" "$(wc -l < "$tmp/dump1")" "trawl --archive --dump-list rows"
	st=0
	trawl_run -a "$A" --dump-list 'tag:source/maildir' > "$tmp/dump2" 2>/dev/null < /dev/null || st=$?
	assert_eq 0 "$st" "trawl -a --dump-list"
	assert_eq "$(nm "$A" count --output=threads tag:source/maildir)" "$(wc -l < "$tmp/dump2")" "trawl -a --dump-list tag:source/maildir rows"
	st=0
	TRAWL_ARCHIVE=$A NOTMUCH_CONFIG=/nonexistent trawl_run --dump-list '*' > "$tmp/dump3" 2> "$tmp/dump3.err" < /dev/null || st=$?
	assert_eq 0 "$st" "TRAWL_ARCHIVE=A trawl --dump-list ($(head -2 "$tmp/dump3.err"))"
	cmp -s "$tmp/dump1" "$tmp/dump3" || fail "TRAWL_ARCHIVE lists other rows than --archive"
	st=0
	trawl_run --archive "$tmp/not-an-archive" --dump-list > /dev/null 2> "$tmp/dump4.err" < /dev/null || st=$?
	assert_ne 0 "$st" "trawl --archive on a directory that is no archive"
	grep -q 'not a trawl archive' "$tmp/dump4.err" || { cat "$tmp/dump4.err"; fail "no clear message for a missing archive"; }
	pass "trawl --archive / -a / TRAWL_ARCHIVE open the archive; notmuch --config works"
}
run_case open case_open

case_inside() {
	files_before=$(stored_files "$A" | wc -l)
	lines_before=$(wc -l < "$A/manifest.jsonl")
	st=0
	trawl_run import --quiet "$A" "$A/mail" > /dev/null 2> "$tmp/inside.err" || st=$?
	assert_eq 1 "$st" "a source inside the archive: exit status"
	grep -q 'inside the archive' "$tmp/inside.err" || { cat "$tmp/inside.err"; fail "a source inside the archive: no clear message"; }
	assert_eq 1 "$(grep -c . "$tmp/inside.err")" "a source inside the archive: one line ($(cat "$tmp/inside.err"))"
	st=0
	trawl_run import --quiet "$A" "$A" > /dev/null 2> "$tmp/inside2.err" || st=$?
	assert_eq 1 "$st" "the archive itself as a source: exit status"
	grep -q 'inside the archive' "$tmp/inside2.err" || { cat "$tmp/inside2.err"; fail "the archive as its own source: no clear message"; }
	# an archive inside a source (it would import itself)
	mkdir -p "$tmp/outer"
	mkmsg "$tmp/outer/m.eml" outer-1
	st=0
	trawl_run import --quiet "$tmp/outer/A" "$tmp/outer" > /dev/null 2> "$tmp/inside3.err" || st=$?
	assert_eq 1 "$st" "an archive inside its source: exit status"
	grep -q 'inside the archive\|holds it' "$tmp/inside3.err" || { cat "$tmp/inside3.err"; fail "an archive inside its source: no clear message"; }
	assert_eq "$files_before" "$(stored_files "$A" | wc -l)" "a refused import stored files"
	assert_eq "$lines_before" "$(wc -l < "$A/manifest.jsonl")" "a refused import wrote to the manifest"
	pass "a source inside the archive (or holding it) is refused"
}
run_case inside case_inside

# --- kill -9 in the middle, then the same command again
big=$tmp/big
"$TRAWL_GEN_CORPUS" -q -o "$big/gen" -n 3000 --seed 7 || hard_error "trawl-gen-corpus failed"
find "$big/gen/cur" "$big/gen/new" -type f | LC_ALL=C sort > "$big/list"
$MKMBOX --ids "$big/ids" mboxrd "$big/big.mbox" $(cat "$big/list") || hard_error "mkmbox (big) failed"
rm -rf "$big/gen"
nmsgs=$(wc -l < "$big/ids")
nids=$(sort -u "$big/ids" | wc -l)
echo "# big.mbox: $nmsgs messages, $nids Message-IDs, $(wc -c < "$big/big.mbox") bytes"

# start_import ARCHIVE: the import of big.mbox in the background (pid in $pid)
start_import() {
	env LC_ALL=C.UTF-8 TZ=UTC HOME="$tmp" "$TRAWL" import --quiet --batch 50 "$1" "$big/big.mbox" \
		> "$1.out" 2> "$1.err" &
	pid=$!
}
# wait_lines ARCHIVE N: until the manifest has N message lines (or the import ended)
wait_lines() {
	_i=0
	while :; do
		_n=$(grep -c '"type":"message"' "$1/manifest.jsonl" 2>/dev/null || true)
		[ "${_n:-0}" -ge "$2" ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ "$_i" -lt 3000 ] || return 1
		sleep 0.01
	done
}
# check_complete NAME ARCHIVE: every message of big.mbox there exactly once
check_complete() {
	assert_eq "$nids" "$(nm "$2" count '*')" "$1: notmuch count after the resume"
	assert_eq "$nmsgs" "$(grep -c '"type":"message"' "$2/manifest.jsonl")" "$1: manifest message lines after the resume"
	r=$(manifest_check "$2") || { echo "$r"; fail "$1: manifest after the resume"; }
	assert_eq "$(stored_files "$2" | wc -l)" "$(nm "$2" search --output=files '*' | wc -l)" "$1: files notmuch knows = stored files"
	assert_eq "$nmsgs" "$(stored_files "$2" | wc -l)" "$1: stored files (one per message)"
	st=0
	trawl_run import --verify "$2" > "$2.verify" 2>&1 || st=$?
	assert_eq 0 "$st" "$1: --verify after the resume ($(head -3 "$2.verify"))"
}

case_kill9() {
	K=$tmp/killed
	start_import "$K"
	wait_lines "$K" 100 || { wait "$pid"; cat "$K.err"; fail "kill -9: the import ended before the manifest had 100 message lines"; }
	sleep 0.15	# into the next batch, not at its start
	kill -9 "$pid"
	st=0; wait "$pid" || st=$?
	assert_eq 137 "$st" "kill -9: status of the killed import"
	got=$(grep -c '"type":"message"' "$K/manifest.jsonl")
	[ "$got" -lt "$nmsgs" ] || fail "kill -9 came too late: the import had finished"
	echo "# killed after $got manifest lines, $(stored_files "$K" | wc -l) stored files"
	st=0
	trawl_run import --quiet --batch 50 "$K" "$big/big.mbox" > /dev/null 2> "$K.resume.err" || st=$?
	[ "$st" -eq 0 ] || { cat "$K.resume.err"; fail "kill -9: the resumed import exited $st"; }
	check_complete "kill -9" "$K"
	pass "kill -9 in the middle, the same command again: complete, nothing twice, --verify clean"
}
run_case kill9 case_kill9

case_sigint() {
	I=$tmp/interrupted
	start_import "$I"
	wait_lines "$I" 100 || { wait "$pid"; cat "$I.err"; fail "SIGINT: the import ended before the manifest had 100 message lines"; }
	kill -INT "$pid"
	st=0; wait "$pid" || st=$?
	assert_eq 130 "$st" "SIGINT: exit status ($(tail -2 "$I.err"))"
	grep -q 'Run the same command again' "$I.err" || { cat "$I.err"; fail "SIGINT: no resume hint"; }
	got=$(grep -c '"type":"message"' "$I/manifest.jsonl")
	[ "$got" -lt "$nmsgs" ] || fail "SIGINT came too late: the import had finished"
	# what was committed is consistent as it is
	r=$(manifest_check "$I") || { echo "$r"; fail "SIGINT: the manifest of the interrupted import"; }
	assert_eq "$got" "$(nm "$I" search --output=files '*' | wc -l)" "SIGINT: files indexed = manifest lines (the last batch finished)"
	st=0
	trawl_run import --quiet --batch 50 "$I" "$big/big.mbox" > /dev/null 2> "$I.resume.err" || st=$?
	[ "$st" -eq 0 ] || { cat "$I.resume.err"; fail "SIGINT: the resumed import exited $st"; }
	grep -q 'already imported' "$I.resume.err" || { cat "$I.resume.err"; fail "SIGINT: the resume does not count the messages imported before"; }
	check_complete "SIGINT" "$I"
	pass "SIGINT: exit 130 with a resume hint, then the same command completes"
}
run_case sigint case_sigint

unmount_src
[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
