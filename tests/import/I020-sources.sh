#!/bin/sh
# I020-sources: every kind of source `trawl import` reads, each into an
# archive of its own, each checked with the notmuch CLI and sha256sum:
#   - a maildir tree: cur/ and new/, Maildir++ .Sub and .Sub.Deeper folders
#     (kept as store folders), tmp/ and dovecot/maildirfolder files ignored;
#   - an MH folder (numbered files, .mh_sequences ignored, a subfolder);
#   - a directory of .eml files with junk: a text file, a binary file and an
#     empty file, counted in the summary by reason and listed in
#     skipped.jsonl;
#   - containers: .gz and .bz2 of an mbox, .zst of an mbox, .zip of .eml
#     files, .tar.gz of a maildir tree, .tar.xz, .7z (when 7z exists), a
#     zip inside a tar.gz (its location names both);
#   - a notmuch archive: a maildir with .notmuch (tags added with `notmuch
#     tag` come along), and a notmuch config file naming a database kept
#     apart from its mail;
#   - all of them in one run, with --tag: each source/NAME tag on its own
#     messages, the --tag on all.
# For each: exit 0, `notmuch count` = messages put in, stored bytes = the
# originals (sha256 sets), every message tagged source/NAME.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
import_require_python

# the stored file holding Message-ID ID
stored_file() { grep -l -r -F "Message-ID: <$2>" "$1/mail" | head -1; }

# mkmsg FILE ID: a small message with Message-ID <ID>
mkmsg() {
	mkdir -p "$(dirname "$1")"
	cat > "$1" <<EOF
From: Sender $2 <sender@example.org>
To: Recipient <rcpt@example.org>
Subject: message $2
Date: Mon, 06 Jan 2020 12:00:00 +0000
Message-ID: <$2@i020.example>

This is message $2.
EOF
}

# import NAME ARCHIVE SOURCE... [: IMPORT OPTIONS]: runs the import; status
# in $st, stderr in $tmp/NAME.err
# check NAME ARCHIVE SOURCENAME COUNT FILE...: the stored messages are FILE...
# (SOURCENAME -: the one source name the manifest gives)
check() {
	_n=$1 _a=$2 _src=$3 _count=$4; shift 4
	[ "$st" -eq 0 ] || { cat "$tmp/$_n.err"; fail "$_n: trawl import exited $st"; }
	if [ "$_src" = - ]; then
		_src=$(sed -n 's/^{"type":"source".*"name":"\([^"]*\)".*/\1/p' "$_a/manifest.jsonl")
		assert_eq 1 "$(printf '%s\n' "$_src" | grep -c .)" "$_n: source lines in the manifest"
	fi
	assert_eq "$_count" "$(nm "$_a" count '*')" "$_n: notmuch count"
	shas "$@" > "$tmp/$_n.want"
	stored_shas "$_a" > "$tmp/$_n.got"
	cmp -s "$tmp/$_n.want" "$tmp/$_n.got" ||
		{ diff "$tmp/$_n.want" "$tmp/$_n.got"; fail "$_n: the stored files are not the source's messages byte for byte"; }
	assert_eq "$_count" "$(nm "$_a" count "tag:source/$_src")" "$_n: messages tagged source/$_src"
	assert_eq 0 "$(nm "$_a" count "not tag:unread")" "$_n: messages without unread"
}

# A case is a function run in a subshell: a failing case is reported and the
# others still run; the test fails at the end if any case failed.

src=$tmp/src
mkdir -p "$src"

mkmsgs() { # mkmsgs DIR PREFIX N: N messages DIR/PREFIX-i.eml
	_i=1
	while [ "$_i" -le "$3" ]; do mkmsg "$1/$2-$_i.eml" "$2-$_i"; _i=$((_i + 1)); done
}
md=$src/maildir
mh=$src/mhfolder
eml=$src/emls
c=$src/containers
nmd=$src/nmarchive
nmm=$src/nmmail
mkdir -p "$c" "$tmp/parts"

# --- a maildir tree with Maildir++ subfolders
case_maildir() {
	mkmsg "$md/cur/1:2,S" md-cur-1
	mkmsg "$md/cur/2:2," md-cur-2
	mkmsg "$md/new/3" md-new-3
	mkmsg "$md/tmp/4" md-tmp-4
	mkmsg "$md/.Sub/cur/5:2,RS" md-sub-5
	mkmsg "$md/.Sub/new/6" md-sub-6
	mkmsg "$md/.Sub.Deeper/cur/7:2," md-deeper-7
	mkdir -p "$md/.Sub/tmp" "$md/.Sub.Deeper/new" "$md/.Sub.Deeper/tmp"
	: > "$md/.Sub/maildirfolder"
	printf '3 V1 1\n' > "$md/dovecot-uidlist"
	import maildir "$tmp/A-md" "$md"
	check maildir "$tmp/A-md" maildir 6 "$md"/cur/* "$md"/new/* "$md"/.Sub/cur/* "$md"/.Sub/new/* "$md"/.Sub.Deeper/cur/*
	assert_eq 0 "$(nm "$tmp/A-md" count id:md-tmp-4@i020.example)" "maildir: a message in tmp/ (being delivered) is not imported"
	assert_no_match "$(cat "$tmp/maildir.err")" 'skipped' "maildir: maildirfolder/dovecot-uidlist reported as skipped"
	f=$(stored_file "$tmp/A-md" md-sub-5@i020.example)
	assert_match "$f" "/mail/maildir/\\.Sub/cur/[0-9a-f]{64}:2,\$" "maildir: .Sub message stored in the .Sub folder"
	cmp -s "$md/.Sub/cur/5:2,RS" "$f" || fail "maildir: stored bytes of .Sub/cur/5"
	f=$(stored_file "$tmp/A-md" md-deeper-7@i020.example)
	assert_match "$f" "/mail/maildir/\\.Sub\\.Deeper/cur/[0-9a-f]{64}:2,\$" "maildir: .Sub.Deeper message stored in its folder"
	f=$(stored_file "$tmp/A-md" md-new-3@i020.example)
	assert_match "$f" "/mail/maildir/cur/[0-9a-f]{64}:2,\$" "maildir: a new/ message stored in the top folder's cur/"
	assert_eq "$(sha256sum < "$md/new/3" | cut -d' ' -f1):2," "$(basename "$f")" "maildir: a stored file is named by the sha256 of its bytes"
	assert_eq 2 "$(nm "$tmp/A-md" count 'folder:maildir/.Sub')" "maildir: notmuch folder:maildir/.Sub"
	pass "maildir tree: cur/new, .Sub, .Sub.Deeper, tmp/ ignored"
}
run_case maildir case_maildir

# --- an MH folder
case_mh() {
	mkmsg "$mh/1" mh-1
	mkmsg "$mh/2" mh-2
	mkmsg "$mh/10" mh-10
	mkmsg "$mh/inbox/1" mh-inbox-1
	printf 'unseen: 1-2\ncur: 10\n' > "$mh/.mh_sequences"
	import mh "$tmp/A-mh" "$mh"
	check mh "$tmp/A-mh" mhfolder 4 "$mh"/1 "$mh"/2 "$mh"/10 "$mh"/inbox/1
	assert_no_match "$(cat "$tmp/mh.err")" 'skipped' "MH: .mh_sequences reported as skipped"
	assert_match "$(stored_file "$tmp/A-mh" mh-inbox-1@i020.example)" '/mail/mhfolder/inbox/cur/' "MH: subfolder kept"
	pass "MH folder"
}
run_case mh case_mh

# --- a directory of .eml files with junk
case_emls() {
	mkmsg "$eml/a.eml" eml-a
	mkmsg "$eml/b.eml" eml-b
	mkmsg "$eml/no-extension" eml-c
	# real messages too, as they are (the fixtures)
	n=0
	for f in "$FIXTURES"/basic/cur/*; do n=$((n + 1)); cp "$f" "$eml/fixture-$n.eml"; done
	printf 'Meeting notes, not a message.\nSecond line.\n' > "$eml/notes.txt"
	printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > "$eml/picture.png"
	: > "$eml/empty.eml"
	import emls "$tmp/A-eml" "$eml"
	ids=$(cat "$eml"/a.eml "$eml"/b.eml "$eml"/no-extension "$eml"/fixture-*.eml | grep -i '^message-id:' | sort -u | wc -l)
	check emls "$tmp/A-eml" emls "$ids" "$eml"/a.eml "$eml"/b.eml "$eml"/no-extension "$eml"/fixture-*.eml
	grep -q 'skipped (1 empty, 2 not mail; listed in skipped.jsonl)' "$tmp/emls.err" ||
		{ cat "$tmp/emls.err"; fail "emls: the summary does not count the junk by reason (1 empty, 2 not mail)"; }
	[ -f "$tmp/A-eml/skipped.jsonl" ] || fail "emls: no skipped.jsonl"
	assert_eq 3 "$(wc -l < "$tmp/A-eml/skipped.jsonl")" "emls: skipped.jsonl lines"
	grep '"reason":"empty"' "$tmp/A-eml/skipped.jsonl" | grep -q 'empty.eml' || { cat "$tmp/A-eml/skipped.jsonl"; fail "emls: empty.eml not listed as empty"; }
	grep '"reason":"not mail"' "$tmp/A-eml/skipped.jsonl" | grep -q 'notes.txt' || { cat "$tmp/A-eml/skipped.jsonl"; fail "emls: notes.txt not listed as not mail"; }
	grep '"reason":"not mail"' "$tmp/A-eml/skipped.jsonl" | grep -q 'picture.png' || { cat "$tmp/A-eml/skipped.jsonl"; fail "emls: picture.png not listed as not mail"; }
	pass "directory of .eml files with junk"
}
run_case emls case_emls

# --- containers
# .gz / .bz2 / .zst of an mbox
mkmsgs "$tmp/parts/gz" gz 5
$MKMBOX --expect "$tmp/parts/gz.expect" mboxrd "$tmp/parts/gz.mbox" "$tmp/parts/gz"/*.eml || hard_error "mkmbox failed"
case_gz() {
	gzip -c "$tmp/parts/gz.mbox" > "$c/dump.mbox.gz"
	import gz "$tmp/A-gz" "$c/dump.mbox.gz"
	check gz "$tmp/A-gz" dump 5 "$tmp/parts/gz.expect"/*
	grep '"type":"message"' "$tmp/A-gz/manifest.jsonl" | grep -q '"location":{[^}]*"dump\.mbox"' ||
		{ grep message "$tmp/A-gz/manifest.jsonl" | head -2; fail "gz: the manifest location does not name the member dump.mbox"; }
	pass ".gz of an mbox"
}
run_case gz case_gz

case_bz2() {
	bzip2 -c "$tmp/parts/gz.mbox" > "$c/dumpbz.mbox.bz2"
	import bz2 "$tmp/A-bz2" "$c/dumpbz.mbox.bz2"
	check bz2 "$tmp/A-bz2" dumpbz 5 "$tmp/parts/gz.expect"/*
	pass ".bz2 of an mbox"
}
if command -v bzip2 >/dev/null 2>&1; then run_case bz2 case_bz2; else echo "# bzip2 not found: .bz2 not tested"; fi

case_zst() {
	zstd -q -c "$tmp/parts/gz.mbox" > "$c/dumpz.mbox.zst"
	import zst "$tmp/A-zst" "$c/dumpz.mbox.zst"
	check zst "$tmp/A-zst" dumpz 5 "$tmp/parts/gz.expect"/*
	pass ".zst of an mbox"
}
if command -v zstd >/dev/null 2>&1; then run_case zst case_zst; else echo "# zstd not found: .zst not tested (tools/quickstart installs it)"; fi

# .zip of .eml files
case_zip() {
	mkmsgs "$tmp/parts/zip" zip 4
	(cd "$tmp/parts/zip" && zip -q "$c/emls.zip" ./*.eml) || hard_error "zip failed"
	import zip "$tmp/A-zip" "$c/emls.zip"
	check zip "$tmp/A-zip" emls 4 "$tmp/parts/zip"/*.eml
	grep '"type":"message"' "$tmp/A-zip/manifest.jsonl" | grep -q '"location":{[^}]*"zip-3\.eml"' ||
		fail "zip: the manifest location does not name the member zip-3.eml"
	pass ".zip of .eml files"
}
if command -v zip >/dev/null 2>&1; then run_case zip case_zip; else echo "# zip not found: .zip not tested (tools/quickstart installs it)"; fi

# .tar.gz of a maildir tree
tree=$tmp/parts/tree
case_tgz() {
	mkmsg "$tree/Maildir/cur/1:2,S" tgz-1
	mkmsg "$tree/Maildir/new/2" tgz-2
	mkmsg "$tree/Maildir/.Lists.dev/cur/3:2," tgz-3
	mkmsg "$tree/Maildir/.Lists.dev/cur/4:2," tgz-4
	mkdir -p "$tree/Maildir/tmp" "$tree/Maildir/.Lists.dev/new" "$tree/Maildir/.Lists.dev/tmp"
	tar -C "$tree" -czf "$c/backup.tar.gz" Maildir || hard_error "tar czf failed"
	import tgz "$tmp/A-tgz" "$c/backup.tar.gz"
	check tgz "$tmp/A-tgz" backup 4 "$tree"/Maildir/cur/* "$tree"/Maildir/new/* "$tree"/Maildir/.Lists.dev/cur/*
	assert_match "$(stored_file "$tmp/A-tgz" tgz-3@i020.example)" '/mail/backup/Maildir/\.Lists\.dev/cur/' "tar.gz: maildir subfolder kept in the store"
	pass ".tar.gz of a maildir tree"
}
run_case tgz case_tgz

# .tar.xz of an mbox and .eml files
case_txz() {
	mkmsgs "$tmp/parts/txz/mail" txz 3
	mkmsgs "$tmp/parts/txzbox" txzbox 3
	$MKMBOX --expect "$tmp/parts/txzbox.expect" mboxo "$tmp/parts/txz/archive.mbox" "$tmp/parts/txzbox"/*.eml || hard_error "mkmbox failed"
	tar -C "$tmp/parts/txz" -cJf "$c/export.tar.xz" mail archive.mbox || hard_error "tar cJf failed"
	import txz "$tmp/A-txz" "$c/export.tar.xz"
	check txz "$tmp/A-txz" export 6 "$tmp/parts/txz/mail"/*.eml "$tmp/parts/txzbox.expect"/*
	pass ".tar.xz of an mbox and .eml files"
}
if command -v xz >/dev/null 2>&1; then run_case txz case_txz; else echo "# xz not found: .tar.xz not tested"; fi

# .7z
case_7z() {
	mkmsgs "$tmp/parts/7z" sz 3
	(cd "$tmp/parts/7z" && 7z a -bd "$c/mails.7z" ./*.eml > /dev/null) || hard_error "7z a failed"
	import 7z "$tmp/A-7z" "$c/mails.7z"
	[ "$st" -eq 0 ] || { cat "$tmp/7z.err"; fail "7z: trawl import exited $st"; }
	grep -q '3 messages stored' "$tmp/7z.err" || { cat "$tmp/7z.err"; fail "7z: the 3 messages of a .7z were not stored"; }
	check 7z "$tmp/A-7z" mails 3 "$tmp/parts/7z"/*.eml
	pass ".7z of .eml files"
}
if command -v 7z >/dev/null 2>&1; then run_case 7z case_7z; else echo "# 7z not found: .7z not tested (tools/quickstart installs p7zip-full)"; fi

# a zip inside a tar.gz
case_nested() {
	mkmsgs "$tmp/parts/inner" inner 3
	mkdir -p "$tmp/parts/outer/attachments"
	(cd "$tmp/parts/inner" && zip -q "$tmp/parts/outer/attachments/inner.zip" ./*.eml) || hard_error "zip failed"
	# a second zip holding a byte-identical copy of inner-1.eml
	(cd "$tmp/parts/inner" && zip -q "$tmp/parts/outer/attachments/copy.zip" inner-1.eml) || hard_error "zip failed"
	mkmsg "$tmp/parts/outer/top.eml" outer-top
	tar -C "$tmp/parts/outer" -czf "$c/nested.tar.gz" attachments top.eml || hard_error "tar failed"
	import nested "$tmp/A-nested" "$c/nested.tar.gz"
	check nested "$tmp/A-nested" nested 4 "$tmp/parts/inner"/*.eml "$tmp/parts/outer/top.eml"
	# the location of a message in the inner zip names the zip and the member
	line=$(grep '"message_id":"inner-2@i020.example"' "$tmp/A-nested/manifest.jsonl")
	assert_match "$line" 'inner-2\.eml' "nested: manifest location names the inner member"
	# both copies of inner-1 recorded: stored once, two locations
	assert_eq 2 "$(grep -c '"message_id":"inner-1@i020.example"' "$tmp/A-nested/manifest.jsonl")" \
		"nested: manifest lines of inner-1.eml, found in inner.zip and in copy.zip"
	assert_match "$line" 'attachments/inner\.zip' "nested: manifest location names the zip inside the tar.gz (chain of custody)"
	pass "a zip inside a tar.gz"
}
if command -v zip >/dev/null 2>&1; then run_case nested case_nested; fi

# --- a notmuch archive: a maildir with its .notmuch, tags added by hand
case_nmarchive() {
	mkmsg "$nmd/cur/1:2," nmd-1
	mkmsg "$nmd/cur/2:2," nmd-2
	mkmsg "$nmd/new/3" nmd-3
	cat > "$tmp/nmarchive.config" <<EOF
[database]
path=$nmd
[new]
tags=inbox;
[maildir]
synchronize_flags=false
EOF
	nmsrc() { env -u G_DEBUG NOTMUCH_CONFIG="$tmp/nmarchive.config" HOME="$tmp" "$NOTMUCH" "$@"; }
	nmsrc new --quiet > /dev/null 2>&1 || fail "notmuch new on the source failed"
	[ -d "$nmd/.notmuch" ] || hard_error "notmuch made no $nmd/.notmuch"
	nmsrc tag +case-4711 -- id:nmd-1@i020.example id:nmd-3@i020.example || fail "notmuch tag failed"
	nmsrc tag +privileged -- id:nmd-2@i020.example || fail "notmuch tag failed"
	import nmarchive "$tmp/A-nm" "$nmd"
	check nmarchive "$tmp/A-nm" nmarchive 3 "$nmd"/cur/* "$nmd"/new/*
	assert_eq 2 "$(nm "$tmp/A-nm" count tag:case-4711)" "notmuch archive: messages with the source's tag case-4711"
	assert_eq 1 "$(nm "$tmp/A-nm" count 'tag:privileged and id:nmd-2@i020.example')" "notmuch archive: tag privileged came along"
	assert_eq 3 "$(nm "$tmp/A-nm" count tag:inbox)" "notmuch archive: the source's own inbox tag came along"
	assert_no_match "$(cat "$tmp/nmarchive.err")" 'skipped' "notmuch archive: .notmuch contents reported"
	[ -z "$(find "$tmp/A-nm/mail" -path '*xapian*')" ] || fail "notmuch archive: Xapian files copied into the store"
	pass "notmuch archive (.notmuch inside): tags imported"
}
run_case nmarchive case_nmarchive

# --- a notmuch config file naming a database apart from its mail
case_nmconfig() {
	mkmsg "$nmm/cur/1:2," nmc-1
	mkmsg "$nmm/cur/2:2," nmc-2
	mkdir -p "$tmp/nmc-db"
	cat > "$src/casefile.config" <<EOF
[database]
path=$tmp/nmc-db
mail_root=$nmm
[maildir]
synchronize_flags=false
EOF
	env -u G_DEBUG NOTMUCH_CONFIG="$src/casefile.config" HOME="$tmp" "$NOTMUCH" new --quiet > /dev/null 2>&1 || fail "notmuch new (config source) failed"
	env -u G_DEBUG NOTMUCH_CONFIG="$src/casefile.config" HOME="$tmp" "$NOTMUCH" tag +reviewed -- id:nmc-2@i020.example || fail "notmuch tag failed"
	import nmconfig "$tmp/A-nmc" "$src/casefile.config"
	check nmconfig "$tmp/A-nmc" - 2 "$nmm"/cur/*
	assert_eq 1 "$(nm "$tmp/A-nmc" count 'tag:reviewed and id:nmc-2@i020.example')" "notmuch config source: tag reviewed came along"
	assert_eq 0 "$(nm "$tmp/A-nmc" count 'tag:reviewed and id:nmc-1@i020.example')" "notmuch config source: tag on the wrong message"
	pass "notmuch config file as a source: its mail_root, tags imported"
}
run_case nmconfig case_nmconfig

# --- everything at once, with --tag (the .7z left out when it is not read)
case_all() {
	set -- "$md" "$mh"
	for f in "$c"/*; do
		case $f in *.7z) continue ;; esac
		set -- "$@" "$f"
	done
	import all "$tmp/A-all" --tag case-9 --tag reviewed-by-x "$@"
	[ "$st" -eq 0 ] || { cat "$tmp/all.err"; fail "all: trawl import exited $st"; }
	total=$(nm "$tmp/A-all" count '*')
	assert_eq "$total" "$(nm "$tmp/A-all" count tag:case-9)" "all: --tag case-9 on every message"
	assert_eq "$total" "$(nm "$tmp/A-all" count tag:reviewed-by-x)" "all: --tag reviewed-by-x on every message"
	assert_eq 6 "$(nm "$tmp/A-all" count tag:source/maildir)" "all: source/maildir"
	assert_eq 4 "$(nm "$tmp/A-all" count tag:source/mhfolder)" "all: source/mhfolder"
	assert_eq 4 "$(nm "$tmp/A-all" count tag:source/backup)" "all: source/backup"
	assert_eq 5 "$(nm "$tmp/A-all" count tag:source/dump)" "all: source/dump"
	assert_eq 0 "$(nm "$tmp/A-all" count 'tag:source/maildir and tag:source/mhfolder')" "all: a message with two sources' tags"
	# no byte-identical copies across these sources but the gz/bz2/zst mbox:
	# every other message has exactly one source/ tag
	sum=$(for t in $(nm "$tmp/A-all" search --output=tags '*' | grep '^source/'); do nm "$tmp/A-all" count "tag:$t"; done | awk '{ s += $1 } END { print s }')
	dup=$(nm "$tmp/A-all" count 'tag:source/dump and tag:source/dumpbz')
	[ "$dup" -eq 0 ] || assert_eq 5 "$dup" "all: the same mbox in .gz and .bz2: both sources' tags on its 5 messages"
	assert_eq 1 "$(grep -c '"type":"source"' "$tmp/A-all/manifest.jsonl" | awk -v n="$#" '{ print ($1 == n) }')" "all: one manifest source line per source ($#)"
	[ "$sum" -ge "$total" ] || fail "all: the source/ tags cover $sum messages of $total"
	pass "all sources in one run with --tag ($total messages)"
}
run_case all case_all

[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
