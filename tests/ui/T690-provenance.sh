#!/bin/sh
# T690-provenance: v in the thread view (and :provenance) shows where the
# selected message came from: its ids and tags, every file notmuch has for it
# (size, mtime, sha256 as sha256sum says, which ones differ, the import
# record of a `trawl import` archive), the Received chain oldest first with
# delays and skew flags (forty hops, an unparsable one shown raw), the Date
# against the first hop ("no Date header"), a synthesised Message-ID, the
# authentication headers, the DKIM verification placeholder and GMime's parse
# warnings; q goes back to the thread.  The same on a real corpus message.
UI_ROWS=60
UI_COLS=140
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
{
	printf 'Received: from relay.example.net (relay.example.net [192.0.2.9])\n\tby mx.example.org (Postfix) with ESMTPS id 4F1A2B\n\tfor <test@example.org>; Mon, 10 Jun 2024 10:00:07 +0000 (UTC)\n'
	printf 'Received: from laptop (unknown [10.0.0.2]) by relay.example.net with ESMTPSA; Mon, 10 Jun 2024 12:00:02 +0200\n'
	printf 'Received: (qmail 4242 invoked from network); 10 Jun 2024 10:00:00 -0000\n'
	printf 'Authentication-Results: mx.example.org;\n\tdkim=pass header.d=example.net header.s=sel1;\n\tspf=pass (sender ok) smtp.mailfrom=example.net\n'
	printf 'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=sel1;\n\th=from:subject; bh=abc=; b=def=\n'
	printf 'From: One Sender <one@example.net>\nTo: Test User <test@example.org>\n'
	printf 'Subject: Prov one\nDate: Mon, 10 Jun 2024 11:59:00 +0200\n'
	printf 'Message-ID: <prov-one@example.org>\n\nthe body\n'
} > "$src/cur/one:2,"
for v in a b; do
	{
		printf 'Received: from x.example by y.example; Tue, 11 Jun 2024 09:00:00 +0000\n'
		printf 'From: Two Sender <two@example.net>\nTo: Test User <test@example.org>\n'
		printf 'Subject: Prov two\nDate: Tue, 11 Jun 2024 08:59:00 +0000\n'
		printf 'Message-ID: <prov-two@example.org>\nX-Copy: %s\n\nthe body\n' "$v"
	} > "$src/cur/two-$v:2,"
done
{
	i=40
	while [ $i -ge 1 ]; do
		if [ $i = 20 ]; then
			printf 'Received: this is no received line at all\n'
		fi
		printf 'Received: from h%d.example by h%d.example with SMTP; Wed, 12 Jun 2024 10:%02d:00 +0000\n' $i $((i + 1)) $i
		i=$((i - 1))
	done
	printf 'From: Bare Sender <bare@example.net>\nTo: Test User <test@example.org>\n'
	printf 'Subject: Prov bare\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\n--x\n\nbody\n--x--\n'
} > "$src/cur/bare:2,"
mkdb_from_dir "$src"
touch -d '2024-06-01 01:02:03 UTC' "$tmp/mail/cur/one:2,"
touch -d '2024-06-02 01:02:03 UTC' "$tmp/mail/cur/two-a:2,"
touch -d '2024-06-02 01:02:04 UTC' "$tmp/mail/cur/two-b:2,"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c < "$1" | tr -d ' '; }
tid() { mkdb_notmuch search --output=threads "$1" | sed 's/^thread://'; }

open_thread() {
	ui_start -- "$TRAWL" --no-mark-read "$1"
	ui_wait_line 0 "^search: "
	ui_wait_line 1 "$2"
	ui_keys Enter
	ui_wait_line 0 "^thread: $2"
}

# --- one file, three hops, authentication headers
open_thread subject:'"Prov one"' 'Prov one'
ui_keys v
ui_wait_line 0 '^provenance: prov-one@example.org'
f=$tmp/mail/cur/one:2,
assert_screen '^Message-ID: <prov-one@example.org>$'
assert_screen "^Thread: $(tid id:prov-one@example.org)\$"
assert_screen '^Tags: inbox unread$'
assert_screen '^Files: 1$'
assert_screen '^  1\. cur/one:2,$'
assert_screen "^     size $(size "$f") bytes, mtime 2024-06-01 01:02:03 UTC\$"
assert_screen "^     sha256 $(sha "$f")\$"
assert_screen '^Date: Mon, 10 Jun 2024 11:59:00 \+0200 \(2024-06-10 09:59:00 UTC\)$'
assert_screen '^  first hop \+1m00s after the Date$'
assert_screen '^Received: 3 hops, oldest first$'
assert_screen '^  hop 1  2024-06-10 10:00:00 UTC$'
assert_screen '^    \(qmail 4242 invoked from network\)$'
assert_screen '^  hop 2  2024-06-10 10:00:02 UTC  delay \+2s$'
assert_screen '^    from  laptop \(unknown \[10\.0\.0\.2\]\)$'
assert_screen '^    date  Mon, 10 Jun 2024 12:00:02 \+0200$'
assert_screen '^  hop 3  2024-06-10 10:00:07 UTC  delay \+5s$'
assert_screen '^    by    mx\.example\.org \(Postfix\)$'
assert_screen '^    with  ESMTPS$'
assert_screen '^    for   <test@example\.org>$'
assert_screen '^Authentication headers: 2$'
assert_screen '^  Authentication-Results: mx\.example\.org: dkim=pass header\.d=example\.net header\.s=sel1; spf=pass smtp\.mailfrom=example\.net$'
assert_screen '^  DKIM-Signature: d=example\.net s=sel1 a=rsa-sha256$'
assert_screen '^DKIM verification: not run \(press V\)$'
assert_screen '^Parse warnings: none$'
pass "one file, three hops, authentication"
# q: back to the thread
ui_keys q
ui_wait_line 0 '^thread: Prov one'
# :provenance does the same
ui_keys :
ui_type 'provenance'
ui_keys Enter
ui_wait_line 0 '^provenance: prov-one@example.org'
ui_keys q
ui_wait_line 0 '^thread: Prov one'
ui_keys Q
ui_expect_exit 0
pass ":provenance and q"

# --- two files with the same Message-ID and different bytes
open_thread subject:'"Prov two"' 'Prov two'
ui_keys v
ui_wait_line 0 '^provenance: prov-two@example.org'
assert_screen '^Files: 2 \(their bytes differ\)$'
assert_screen '^  1\. cur/two-a:2,$'
assert_screen '^  2\. cur/two-b:2,$'
assert_screen "^     size $(size "$tmp/mail/cur/two-a:2,") bytes, mtime 2024-06-02 01:02:03 UTC\$"
assert_screen "^     size $(size "$tmp/mail/cur/two-b:2,") bytes, mtime 2024-06-02 01:02:04 UTC\$"
assert_screen "^     sha256 $(sha "$tmp/mail/cur/two-a:2,")\$"
assert_screen "^     sha256 $(sha "$tmp/mail/cur/two-b:2,") \\(differs from file before it\\)\$"
assert_screen '^Headers below are from file cur/two-a:2,$'
ui_keys Q
ui_expect_exit 0
pass "two files that differ"

# --- no Message-ID, no Date, forty hops and an unparsable one, no boundary
open_thread subject:'"Prov bare"' 'Prov bare'
ui_keys v
ui_wait_line 0 '^provenance: notmuch-sha1-'
id=$(mkdb_notmuch search --output=messages subject:'"Prov bare"' | sed 's/^id://')
case $id in notmuch-sha1-*) ;; *) fail "notmuch did not synthesise an id: $id" ;; esac
assert_screen "^Message-ID: $id \\(synthesised by notmuch: the message has no Message-ID\\)\$"
assert_screen '^Date: no Date header$'
assert_screen '^Received: 41 hops, oldest first \(1 unparsable\)$'
assert_screen '^  hop 1  2024-06-12 10:01:00 UTC$'
assert_screen '^    from  h1\.example$'
# the last screenful: the unparsable hop, the last hops and the warnings
ui_keys G
ui_wait_for '^Parse warnings: 1$'
assert_screen '^  a multipart without a boundary parameter'
assert_screen '^  hop 41  2024-06-12 10:40:00 UTC  delay \+1m00s$'
assert_screen '^    from  h40\.example$'
assert_screen '^    by    h41\.example$'
assert_screen '^Authentication headers: none$'
# hop 21 is the unparsable line (above hop 20's, read oldest first)
ui_keys g
ui_wait_for '^  hop 1  2024-06-12 10:01:00 UTC$'
n=0
while ! ui_screen | grep -q '^  hop 21  !! unparsable Received line, shown raw:$'; do
	n=$((n + 1)); [ $n -le 20 ] || { ui_dump; fail "no unparsable hop 21"; }
	ui_keys PgDn
	sleep 0.2
done
ui_wait_for '^    this is no received line at all$'
assert_screen '^  hop 22  2024-06-12 10:21:00 UTC  delay \+1m00s$'
ui_keys Q
ui_expect_exit 0
pass "no Message-ID, no Date, 41 Received, an unparsable one, no boundary"

# --- a `trawl import` archive: the import record
mkdir -p "$tmp/dump"
{
	printf 'From imp@example.net Thu Jun 13 10:00:00 2024\n'
	printf 'From: Imp Sender <imp@example.net>\nTo: Test User <test@example.org>\n'
	printf 'Subject: Prov imported\nDate: Thu, 13 Jun 2024 10:00:00 +0000\n'
	printf 'Message-ID: <prov-imp@example.org>\n\nimported body\n\n'
} > "$tmp/dump/dump.mbox"
ui_env -- "$TRAWL" import -q "$tmp/arch" "$tmp/dump/dump.mbox" > "$tmp/import.log" 2>&1 ||
	{ cat "$tmp/import.log"; fail "import failed"; }
stored=$(find "$tmp/arch/mail" -type f -path '*/cur/*')
[ -n "$stored" ] || fail "nothing stored"
rel=${stored#"$tmp/arch/mail/"}
run=$(grep '"type":"message"' "$tmp/arch/manifest.jsonl" | sed -n 's/.*"run":"\([^"]*\)".*/\1/p' | head -1)
[ -n "$run" ] || fail "no run in the manifest"
ui_start -- "$TRAWL" --no-mark-read --archive "$tmp/arch" subject:imported
ui_wait_line 1 'Prov imported'
ui_keys Enter
ui_wait_line 0 '^thread: Prov imported'
ui_keys v
ui_wait_line 0 '^provenance: prov-imp@example.org'
assert_screen "^  1\\. $rel\$"
assert_screen "^     sha256 $(sha "$stored")\$"
loc=$(grep '"type":"message"' "$tmp/arch/manifest.jsonl" | sed -n 's/.*"location":\({[^}]*}\).*/\1/p' | head -1)
[ -n "$loc" ] || fail "no location in the manifest"
ui_wait_for "^     imported from $tmp/dump/dump\\.mbox at \\{\"mbox_message\":1,\"offset\":0,"
# the record is wrapped to the screen: joined again, it is the manifest's
ui_screen | tr '\n' ' ' | grep -qF "imported from $tmp/dump/dump.mbox at $loc, run $run " ||
	{ ui_dump; fail "import record is not: $tmp/dump/dump.mbox at $loc, run $run"; }
ui_keys Q
ui_expect_exit 0
pass "the import record of a trawl import archive"

# --- the manifest grows with the archive, so the record is looked up in the
# background: the view opens at once saying so (a slow disk made by a test
# hook), keys stay live, and the record arrives in place; q while it runs
# cancels it
ui_start TRAWL_PROVENANCE_DELAY_MS=2500 -- "$TRAWL" --no-mark-read --archive "$tmp/arch" subject:imported
ui_wait_line 1 'Prov imported'
ui_keys Enter
ui_wait_line 0 '^thread: Prov imported'
ui_keys v
ui_wait_line 0 '^provenance: prov-imp@example.org'
ui_wait_for '^     import record: looking it up in manifest\.jsonl \([0-9]+%\)\.\.\.$'
assert_screen "^     sha256 $(sha "$stored")\$"
ui_keys q
ui_wait_line 0 '^thread: Prov imported'
ui_keys v
ui_wait_line 0 '^provenance: prov-imp@example.org'
ui_wait_for '^     import record: looking it up'
ui_wait_for "^     imported from $tmp/dump/dump\\.mbox at \\{\"mbox_message\":1,\"offset\":0,"
assert_not_screen 'looking it up'
ui_keys Q
ui_expect_exit 0
pass "the import record is looked up in the background; the view opens at once"

# --- a real corpus message: ten Received headers, as grep counts them
corpus=${TRAWL_CORPORA:-}
msg="$corpus/linux-serial-2020/cur/1578398223.11ffa58de396.lserial:2,"
if [ -z "$corpus" ] || [ ! -f "$msg" ]; then
	echo "# skip the corpus part: no $msg (../shared/corpora missing)"
else
	rm -rf "$tmp/real"
	mkdir -p "$tmp/real/cur" "$tmp/real/new" "$tmp/real/tmp"
	cp "$msg" "$tmp/real/cur/"
	mkdb_from_dir "$tmp/real"
	nrec=$(grep -c '^Received:' "$msg")
	ui_start -- "$TRAWL" --no-mark-read '*'
	ui_wait_line 1 'uartps'
	ui_keys Enter
	ui_wait_line 0 '^thread: '
	ui_keys v
	ui_wait_line 0 '^provenance: 1578398223-27523-1-git-send-email-shubhrajyoti\.datta@gmail\.com'
	assert_screen "^Received: $nrec hops, oldest first\$"
	assert_screen "^     sha256 $(sha "$msg")\$"
	assert_screen "^     size $(size "$msg") bytes, "
	ui_keys G
	ui_wait_for '^Parse warnings: '
	# the majordomo hop: a leading comment, by and via
	assert_screen '^    via   listexpand$'
	ui_keys Q
	ui_expect_exit 0
	pass "a real corpus message ($nrec Received headers)"
fi
ui_done
