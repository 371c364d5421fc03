#!/bin/sh
# I010-mbox: `trawl import` of mbox files of every flavour.  Each mbox is
# written by tests/lib/mkmbox.py from real messages (300 files of
# linux-serial-2020, those with "From " lines in their bodies first, and all
# of notmuch-test; the project's fixtures when there are no corpora), plus
# hand-made bodies full of "From ", ">From " and ">>From " lines.  mboxrd
# takes them all; mboxo, mboxcl, mboxcl2, thunderbird ("From - date"),
# takeout ("From 123@xxx"), crlf and pipermail ("From a at b") a quarter of
# them (every patch and hand-made one included), to stay fast under ASan.
# mkmbox leaves out what a flavour cannot round-trip (">From " body lines in
# mboxo-like files).  For each flavour, in an archive of its own:
#   - exit 0, one manifest message line per message written;
#   - `notmuch count` = the distinct Message-IDs written (mkmbox --ids; for
#     mboxrd also checked against `notmuch new` over the expected files);
#   - the sha256 set of the stored files = that of the expected bytes
#     (mkmbox --expect), so every message is stored byte for byte, and the
#     "From "/">From "/">>From " lines survive exactly;
#   - every message is tagged source/NAME and unread.
# Then: --mbox-format mboxcl2 keeps a ">From " line guessing cannot, and a
# wrong --mbox-format shows in the hashes (the check can fail).
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
import_require_python


# --- the messages
files=$tmp/files
if [ -n "$TRAWL_CORPORA" ] && [ -d "$TRAWL_CORPORA/linux-serial-2020/cur" ] && [ -d "$TRAWL_CORPORA/notmuch-test" ]; then
	ls=$TRAWL_CORPORA/linux-serial-2020/cur
	# the patches (bodies with bare "From " lines) first, then the rest
	{
		grep -l -E '^From ' "$ls"/* 2>/dev/null
		ls "$ls" | LC_ALL=C sort | sed "s|^|$ls/|"
	} | awk '!seen[$0]++' | head -300 > "$files"
	# broken/empty-part makes libnotmuch's indexer (inside trawl) raise a
	# gmime-CRITICAL, fatal under the test's G_DEBUG=fatal-criticals; the
	# notmuch CLI does the same (see corpora/README.md).  I040 imports it.
	find "$TRAWL_CORPORA/notmuch-test" -type f ! -path '*/broken/empty-part' | LC_ALL=C sort >> "$files"
	echo "# messages: $(wc -l < "$files") files: 300 of linux-serial-2020, the rest of notmuch-test"
else
	ls "$FIXTURES"/*/cur/* > "$files"
	echo "# no corpora (TRAWL_CORPORA): the project's fixtures ($(wc -l < "$files") files)"
fi
[ -s "$files" ] || hard_error "no message files found"

# Hand-made bodies: "From " lines an mbox writer must escape, and already
# quoted ">From " / ">>From " lines only mboxrd (and mboxcl2) keep apart.
mkdir -p "$tmp/special"
cat > "$tmp/special/from-lines.eml" <<'EOF'
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: body lines that look like separators
Date: Mon, 06 Jan 2020 12:00:00 +0000
Message-ID: <from-lines@i010.example>

From the start: this line begins with "From ".
From alice@example.org Mon Jan  6 12:00:00 2020
From - Mon Jan  6 12:00:00 2020
From 1234567890@xxx Mon Jan  6 12:00:00 +0000 2020
  From indented is not a separator.
From 
The last line starts with From too:
From here on, nothing.
EOF
cat > "$tmp/special/quoted-from.eml" <<'EOF'
From: Carol <carol@example.org>
To: Bob <bob@example.org>
Subject: bare and quoted From lines
Date: Mon, 06 Jan 2020 12:01:00 +0000
Message-ID: <quoted-from@i010.example>

From a bare line first.
>From a line that was already quoted once.
>>From a line quoted twice.
>>>From three times.
> From is a reply quote, not an escape.
>From
From the end.
EOF
cat > "$tmp/special/only-quoted.eml" <<'EOF'
From: Dave <dave@example.org>
To: Bob <bob@example.org>
Subject: only quoted From lines
Date: Mon, 06 Jan 2020 12:02:00 +0000
Message-ID: <only-quoted@i010.example>

>From a line quoted once, and no bare one.
>>From quoted twice.
EOF
printf '%s\n' "$tmp/special/from-lines.eml" "$tmp/special/quoted-from.eml" "$tmp/special/only-quoted.eml" >> "$files"
# mboxrd takes every message; the other flavours (the suite also runs under
# ASan) a quarter of them, with every patch (body "From " lines) and the
# hand-made ones.
some=$tmp/some-files
awk -v n="$(wc -l < "$files")" 'NR <= 16 || NR % 4 == 0 || NR > n - 3' "$files" > "$some"

# check_archive NAME ARCHIVE EXPECT_DIR IDS_FILE: the assertions above
check_archive() {
	_n=$1 _a=$2 _e=$3 _ids=$4
	_msgs=$(ls "$_e" | wc -l)
	[ "$_msgs" -gt 0 ] || hard_error "$_n: mkmbox wrote no message"
	_lines=$(grep -c '"type":"message"' "$_a/manifest.jsonl")
	assert_eq "$_msgs" "$_lines" "$_n: manifest message lines (one per message in the mbox)"
	_want=$(sort -u "$_ids" | wc -l)
	_got=$(nm "$_a" count '*')
	assert_eq "$_want" "$_got" "$_n: notmuch count (distinct Message-IDs written)"
	shas "$_e"/* > "$tmp/$_n.want.sha"
	stored_shas "$_a" > "$tmp/$_n.got.sha"
	if ! cmp -s "$tmp/$_n.want.sha" "$tmp/$_n.got.sha"; then
		echo "# expected but not stored: $(comm -23 "$tmp/$_n.want.sha" "$tmp/$_n.got.sha" | wc -l)," \
			"stored but not expected: $(comm -13 "$tmp/$_n.want.sha" "$tmp/$_n.got.sha" | wc -l)"
		for _h in $(comm -23 "$tmp/$_n.want.sha" "$tmp/$_n.got.sha" | head -3); do
			for _f in "$_e"/*; do
				[ "$(sha256sum < "$_f" | cut -d' ' -f1)" = "$_h" ] && echo "#   not stored whole: $_f ($(head -c 300 "$_f" | grep -i -m1 '^subject:'))"
			done
		done
		fail "$_n: the stored files are not the original messages byte for byte"
	fi
	assert_eq "$_got" "$(nm "$_a" count "tag:source/$_n")" "$_n: messages tagged source/$_n"
	assert_eq 0 "$(nm "$_a" count "not tag:source/$_n")" "$_n: messages without source/$_n"
	assert_eq 0 "$(nm "$_a" count "not tag:unread")" "$_n: messages without unread"
	# the files notmuch knows are exactly the stored files
	assert_eq "$(find "$_a/mail" -type f -path '*/cur/*' | wc -l)" \
		"$(nm "$_a" search --output=files '*' | wc -l)" "$_n: files in notmuch = files in the store"
}

# import_flavour FLAVOUR [MKMBOX OPTIONS] [-- IMPORT OPTIONS]: the messages
# of the file $list
list=$files
import_flavour() {
	_fl=$1; shift
	_mk=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do _mk="$_mk $1"; shift; done
	[ $# -gt 0 ] && shift
	_name=$_fl${_mk:+-k}
	[ $# -gt 0 ] && _name=$_fl-explicit
	# shellcheck disable=SC2086
	$MKMBOX $_mk --expect "$tmp/$_name.expect" --ids "$tmp/$_name.ids" "$_fl" "$tmp/$_name.mbox" \
		$(cat "$list") 2> "$tmp/$_name.mkmbox.err" || { cat "$tmp/$_name.mkmbox.err"; hard_error "mkmbox $_fl failed"; }
	sed 's/^/# /' "$tmp/$_name.mkmbox.err"
	_st=0
	trawl_run import --quiet "$@" "$tmp/A-$_name" "$tmp/$_name.mbox" > "$tmp/$_name.out" 2> "$tmp/$_name.err" || _st=$?
	[ "$_st" -eq 0 ] || { cat "$tmp/$_name.err"; fail "$_name: trawl import exited $_st"; }
	grep -q 'messages stored' "$tmp/$_name.err" || { cat "$tmp/$_name.err"; fail "$_name: no summary"; }
	check_archive "$_name" "$tmp/A-$_name" "$tmp/$_name.expect" "$tmp/$_name.ids"
	pass "$_name: $(ls "$tmp/$_name.expect" | wc -l) messages, $(nm "$tmp/A-$_name" count '*') distinct, stored byte for byte"
}

# The oracle for the Message-ID count: notmuch itself over the expected
# files of one flavour (mboxrd keeps every message).
import_flavour mboxrd
mkdir -p "$tmp/oracle/mail/cur"
cp "$tmp/mboxrd.expect"/* "$tmp/oracle/mail/cur/"
cat > "$tmp/oracle/notmuch-config" <<EOF
[database]
path=$tmp/oracle/db
mail_root=$tmp/oracle/mail
[maildir]
synchronize_flags=false
EOF
mkdir -p "$tmp/oracle/db"
nm "$tmp/oracle" new --quiet > /dev/null 2>&1 || fail "notmuch new over the expected messages failed"
assert_eq "$(nm "$tmp/oracle" count '*')" "$(nm "$tmp/A-mboxrd" count '*')" \
	"mboxrd: notmuch count of the archive vs notmuch new over the same messages"
assert_eq "$(sort -u "$tmp/mboxrd.ids" | wc -l)" "$(nm "$tmp/oracle" count '*')" \
	"mkmbox's Message-ID count vs notmuch's"

# The mboxrd file really escaped the quoted lines (the fixture proves something).
grep -q '^>>From a line that was already quoted once\.$' "$tmp/mboxrd.mbox" || fail "mkmbox mboxrd did not escape >From"
grep -q '^>>>>From three times\.$' "$tmp/mboxrd.mbox" || fail "mkmbox mboxrd did not escape >>>From"
# ... and the stored message has them back as they were.
f=$(grep -l -r -F 'Message-ID: <quoted-from@i010.example>' "$tmp/A-mboxrd/mail") || fail "mboxrd: quoted-from not stored"
cmp -s "$f" "$tmp/special/quoted-from.eml" || { diff "$tmp/special/quoted-from.eml" "$f"; fail "mboxrd: quoted-from changed"; }
f=$(grep -l -r -F 'Message-ID: <from-lines@i010.example>' "$tmp/A-mboxrd/mail") || fail "mboxrd: from-lines not stored"
cmp -s "$f" "$tmp/special/from-lines.eml" || { diff "$tmp/special/from-lines.eml" "$f"; fail "mboxrd: from-lines changed"; }
# One mbox, one message per From_ separator: the bare "From " body lines
# did not split messages.
assert_eq 1 "$(nm "$tmp/A-mboxrd" count 'subject:"body lines that look like separators"')" "mboxrd: from-lines is one message"

list=$some
for fl in mboxo mboxcl mboxcl2 thunderbird takeout crlf pipermail; do
	import_flavour "$fl"
done
# mboxo: escaped "From " lines came back
f=$(grep -l -r -F 'Message-ID: <from-lines@i010.example>' "$tmp/A-mboxo/mail") || fail "mboxo: from-lines not stored"
cmp -s "$f" "$tmp/special/from-lines.eml" || { diff "$tmp/special/from-lines.eml" "$f"; fail "mboxo: from-lines changed"; }
# mboxcl2: bare "From " lines inside a message (Content-Length says where it ends)
grep -q '^From alice@example.org Mon Jan  6 12:00:00 2020$' "$tmp/mboxcl2.mbox" || fail "mkmbox mboxcl2 escaped a From line"
assert_eq 1 "$(nm "$tmp/A-mboxcl2" count 'id:from-lines@i010.example')" "mboxcl2: from-lines found"
# crlf: the stored files keep their CR LF line ends
f=$(grep -l -r -F 'Message-ID: <from-lines@i010.example>' "$tmp/A-crlf/mail") || fail "crlf: from-lines not stored"
assert_eq "$(wc -l < "$f")" "$(grep -c "$(printf '\r')\$" "$f")" "crlf: every stored line ends in CR LF"

# Told the flavour: mboxcl2 keeps a ">From " body line without a bare one
# (only-quoted), which guessing could not.
import_flavour mboxcl2 --known-format -- --mbox-format mboxcl2
grep -q -F 'only-quoted@i010.example' "$tmp/mboxcl2-explicit.ids" || fail "mkmbox left only-quoted out of mboxcl2 --known-format"
# mboxrd told so explicitly gives the same
$MKMBOX --expect "$tmp/rd2.expect" mboxrd "$tmp/rd2.mbox" $(cat "$some") 2>/dev/null || hard_error "mkmbox failed"
trawl_run import --quiet --mbox-format mboxrd "$tmp/A-rd2" "$tmp/rd2.mbox" > /dev/null 2> "$tmp/rd2.err" ||
	{ cat "$tmp/rd2.err"; fail "import --mbox-format mboxrd failed"; }
stored_shas "$tmp/A-rd2" > "$tmp/rd2.sha"
shas "$tmp/rd2.expect"/* > "$tmp/rd2.want.sha"
cmp -s "$tmp/rd2.want.sha" "$tmp/rd2.sha" || fail "--mbox-format mboxrd: stored files differ from the originals"
pass "--mbox-format mboxcl2 and mboxrd"

# A flavour mistaken: --mbox-format mboxo on the mboxrd file cannot restore
# ">>From " (the test can tell a wrong reading from a right one).
trawl_run import --quiet --mbox-format mboxo "$tmp/A-wrong" "$tmp/rd2.mbox" > /dev/null 2>&1 || fail "import --mbox-format mboxo failed"
stored_shas "$tmp/A-wrong" > "$tmp/wrong.sha"
cmp -s "$tmp/rd2.want.sha" "$tmp/wrong.sha" && fail "mboxrd read as mboxo gave the originals back: the check cannot fail"
pass "a wrong --mbox-format is visible in the hashes"

ui_done
