#!/bin/sh
# E030-full-disk: `trawl export` onto a full filesystem (a 256 KiB tmpfs,
# mounted for real; skipped when mount is not permitted):
#   - 60 messages of ~8 KB (~480 KB) do not fit: exit 1 at the first failed
#     write, the error names "No space left on device" and the path,
#     PATH/.incomplete is left and says how to finish;
#   - the same command, once the filesystem has room (remounted at 8 MiB),
#     finishes: exit 0, no .incomplete, every message once, `sha256sum -c
#     SHA256SUMS` passes.
# Both the maildir (one file a message) and the mbox format.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum not found"
command -v mount >/dev/null 2>&1 || skip "no mount command: cannot make a full filesystem"

mkdir -p "$tmp/src/cur"
i=1
while [ $i -le 60 ]; do
	{
		printf 'From: Sender %d <s%d@example.org>\nTo: r@example.org\nSubject: big %d\n' $i $i $i
		printf 'Date: Mon, 06 Jan 2020 13:%02d:00 +0000\nMessage-ID: <big-%d@e030.example>\n\n' $((i % 60)) $i
		j=0
		while [ $j -lt 100 ]; do
			printf 'line %03d of message %03d: filler text filler text filler text filler text\n' $j $i
			j=$((j + 1))
		done
	} > "$tmp/src/cur/big-$i:2,"
	i=$((i + 1))
done
mkdb_from_dir "$tmp/src"
want=$(mkdb_notmuch count '*')
assert_eq 60 "$want" "messages in the test database"

mnt=$tmp/small
mkdir -p "$mnt"
mount -t tmpfs -o size=256k tmpfs "$mnt" 2>"$tmp/mount.err" ||
	skip "cannot mount a small tmpfs here ($(cat "$tmp/mount.err")): the full-disk case needs a real full filesystem"
trap 'umount "$mnt" 2>/dev/null; ui_cleanup' EXIT

for f in maildir mbox; do
	umount "$mnt" 2>/dev/null
	mount -t tmpfs -o size=256k tmpfs "$mnt" || fail "remount 256k"
	st=0
	trawl_run export --quiet --format $f --to "$mnt/out" '*' > "$tmp/full-$f.out" 2> "$tmp/full-$f.err" || st=$?
	assert_eq 1 "$st" "$f on a full disk: exit ($(cat "$tmp/full-$f.err"))"
	grep -q "No space left on device" "$tmp/full-$f.err" || fail "$f: no 'No space left on device' ($(cat "$tmp/full-$f.err"))"
	grep -q "$mnt/out" "$tmp/full-$f.err" || fail "$f: the error does not name the path ($(cat "$tmp/full-$f.err"))"
	grep -q '.incomplete marks the export unfinished' "$tmp/full-$f.err" || fail "$f: no .incomplete hint"
	[ -f "$mnt/out/.incomplete" ] || fail "$f: no .incomplete left on the full disk"
	[ ! -e "$mnt/out/SHA256SUMS" ] || fail "$f: SHA256SUMS written by a failed export"
	# Room again: the same command finishes.
	mount -o remount,size=8m "$mnt" || fail "remount 8m"
	st=0
	trawl_run export --quiet --format $f --to "$mnt/out" '*' > "$tmp/fin-$f.out" 2> "$tmp/fin-$f.err" || st=$?
	assert_eq 0 "$st" "$f finished after the disk had room ($(cat "$tmp/fin-$f.err"))"
	grep -q 'finishing the interrupted export' "$tmp/fin-$f.err" || fail "$f: not said to be finishing"
	[ ! -e "$mnt/out/.incomplete" ] || fail "$f: .incomplete left after finishing"
	(cd "$mnt/out" && sha256sum --quiet -c SHA256SUMS) > "$tmp/sums.log" 2>&1 || { cat "$tmp/sums.log"; fail "$f: sha256sum -c"; }
	rows=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$mnt/out/manifest.csv")
	assert_eq 60 "$rows" "$f: manifest rows after finishing"
	if [ $f = maildir ]; then
		assert_eq 60 "$(ls "$mnt/out/cur" | wc -l)" "maildir: files after finishing"
	else
		assert_eq 60 "$(grep -c '^From s[0-9]*@example.org ' "$mnt/out/messages.mbox")" "mbox: entries after finishing"
	fi
	pass "$f: full disk stops with the error and .incomplete; a re-run with room finishes"
done
umount "$mnt" || fail "umount"
trap ui_cleanup EXIT
ui_done
