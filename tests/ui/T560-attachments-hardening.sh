#!/bin/sh
# T560-attachments-hardening: attachments handed on, when things go wrong.
#  - A save that fails says why and where: saving into a full tmpfs gives
#    "Not saved: PATH: No space left on device" (not "write failed"), and
#    leaves no partial file; a read-only bind mount gives "Read-only file
#    system".  Both need root (mount); without it that part is skipped.
#  - Opening with run-mailcap (xdg-open not in PATH): the Content-Type on
#    run-mailcap's command line is TYPE/SUBTYPE of letters, digits and -+._
#    (never a leading '-'), else application/octet-stream, whatever the
#    message says (shell syntax, quotes, folded lines, a leading '-').  The
#    fake run-mailcap here puts the type into a shell command, as mailcap's
#    %t does, and a command `pwned` in PATH leaves a marker when run: no
#    marker may appear.
#  - Temporary directories are trawl-open-PID-XXXXXX; at start trawl removes
#    those of processes that are gone (a trawl killed with SIGKILL), and
#    nothing else: a live process's, another user's, a symbolic link, a file,
#    names that only look alike.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))

# Mounts made here are undone on any exit, before the harness removes $tmp.
mounts=
t560_cleanup() {
	_st=$?
	for _m in $mounts; do umount "$_m" 2>/dev/null; done
	(exit "$_st")
	ui_cleanup
}
trap t560_cleanup EXIT

mkdb_from_dir "$FIXTURES/attach"
# One message, one attachment per hostile (or fine) Content-Type; the type
# run-mailcap must get for each is in the table below.
mkdb_add_message 1718600001.01.hostile <<'EOF'
From: Mallory <mallory@example.org>
To: Reader <reader@example.org>
Subject: Hostile types
Date: Sat, 15 Jun 2024 10:00:00 +0000
Message-ID: <hostile-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BB"

--BB
Content-Type: text/plain; charset=utf-8

Types to choke on.
--BB
Content-Type: text/plain;$(touch pwned-1)
Content-Disposition: attachment; filename="f1.txt"

one
--BB
Content-Type: text/x`pwned`
Content-Disposition: attachment; filename="f2.bin"

two
--BB
Content-Type: text/pl'ain
Content-Disposition: attachment; filename="f3.bin"

three
--BB
Content-Type: "text/plain"
Content-Disposition: attachment; filename="f4.bin"

four
--BB
Content-Type: text/
 plain
Content-Disposition: attachment; filename="f5.txt"

five
--BB
Content-Type: -x/y
Content-Disposition: attachment; filename="f6.bin"

six
--BB
Content-Type: x/y|pwned
Content-Disposition: attachment; filename="f7.bin"

seven
--BB
Content-Type: application/vnd.ms-excel
Content-Disposition: attachment; filename="f8.xls"

eight
--BB
Content-Type: text/x-c++src
Content-Disposition: attachment; filename="f9.cc"

nine
--BB--
EOF
mkdb_new

# ---------------------------------------------------------------------------
# Save errors: why and where.
if [ "$(id -u)" -ne 0 ]; then
	echo "# skipped the save-error part: mounting a tmpfs needs root"
elif ! mkdir -p "$tmp/full" || ! mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>"$tmp/mount.err"; then
	echo "# skipped the save-error part: cannot mount a tmpfs ($(cat "$tmp/mount.err"))"
else
	mounts="$tmp/full"
	# Fill it: not one more block.
	dd if=/dev/zero of="$tmp/full/filler" bs=1k 2>/dev/null
	( printf 'x' > "$tmp/full/probe" ) 2>/dev/null && [ -s "$tmp/full/probe" ] && fail "the tmpfs is not full"
	rm -f "$tmp/full/probe"
	ro_ok=0
	mkdir -p "$tmp/ro"
	if mount --bind "$tmp/ro" "$tmp/ro" 2>/dev/null; then
		mounts="$tmp/ro $mounts"
		mount -o remount,bind,ro "$tmp/ro" 2>/dev/null && ro_ok=1
	fi

	ui_start -- "$TRAWL" --no-mark-read id:att-1@example.org
	ui_wait_line 1 'Attachments test'
	ui_keys Enter
	ui_wait_line 0 '^thread: Attachments test '
	ui_keys S
	ui_wait_line "$last" 'ttachment'
	ui_keys Enter
	ui_wait_line "$last" '^Save to directory: /'
	ui_keys C-u
	ui_type "$tmp/full"
	ui_keys Enter
	ui_wait_line "$last" '^Not saved'
	assert_line "$last" "^Not saved: $tmp/full/report\\.pdf: No space left on device\$"
	[ -e "$tmp/full/report.pdf" ] && fail "a failed save left $tmp/full/report.pdf behind"
	if [ "$ro_ok" -eq 1 ]; then
		ui_keys S
		ui_wait_line "$last" 'ttachment'
		ui_keys Enter
		ui_wait_line "$last" '^Save to directory: /'
		ui_keys C-u
		ui_type "$tmp/ro"
		ui_keys Enter
		ui_wait_line "$last" "^Not saved: $tmp/ro/report\\.pdf: "
		assert_line "$last" "^Not saved: $tmp/ro/report\\.pdf: Read-only file system\$"
	else
		echo "# skipped the read-only bind mount: it could not be made"
	fi
	ui_keys q
	ui_wait_line 0 '^search: '
	ui_keys q
	ui_expect_exit 0
	for _m in $mounts; do umount "$_m" || fail "cannot unmount $_m"; done
	mounts=
fi

# ---------------------------------------------------------------------------
# run-mailcap's argument.  PATH: a fake run-mailcap first, no xdg-open.
mkdir -p "$tmp/bin" "$tmp/tmpdir"
path=$tmp/bin
_old_ifs=$IFS
IFS=:
for d in $PATH; do
	[ -n "$d" ] && [ ! -e "$d/xdg-open" ] && path=$path:$d
done
IFS=$_old_ifs
cat > "$tmp/bin/run-mailcap" <<EOF
#!/bin/sh
printf '%s\n' "\$#" "\$@" > "$tmp/run-mailcap.log"
# As a mailcap entry's %t would: the type in a shell command.
spec=\$2
/bin/sh -c "true \${spec%%:*}" >/dev/null 2>&1
exit 0
EOF
# What a hostile type would run (types are lower-cased: no ${IFS}, so a
# command without arguments).
cat > "$tmp/bin/pwned" <<EOF
#!/bin/sh
: > "$tmp/pwned-ran"
EOF
chmod +x "$tmp/bin/run-mailcap" "$tmp/bin/pwned"
[ "$(PATH=$path command -v run-mailcap)" = "$tmp/bin/run-mailcap" ] || fail "the fake run-mailcap is not first in PATH"
PATH=$path command -v xdg-open >/dev/null 2>&1 && fail "xdg-open is still in PATH"

ui_start PATH="$path" TMPDIR="$tmp/tmpdir" -- "$TRAWL" --no-mark-read id:hostile-1@example.org
ui_wait_line 1 'Hostile types'
ui_keys Enter
ui_wait_line 0 '^thread: Hostile types '
ui_wait_for '^Types to choke on\.$'
n=0
for want in \
	'1 f1.txt text/plain' \
	'2 f2.bin application/octet-stream' \
	'3 f3.bin application/octet-stream' \
	'4 f4.bin application/octet-stream' \
	'5 f5.txt text/plain' \
	'6 f6.bin application/octet-stream' \
	'7 f7.bin application/octet-stream' \
	'8 f8.xls application/vnd.ms-excel' \
	'9 f9.cc text/x-c++src'; do
	set -- $want
	rm -f "$tmp/run-mailcap.log"
	ui_keys O
	ui_wait_line "$last" 'ttachment'
	ui_keys C-u
	ui_type "$1"
	ui_keys Enter
	ui_wait_line "$last" "^Opened $2 with run-mailcap\$"
	[ -s "$tmp/run-mailcap.log" ] || fail "run-mailcap was not run for attachment $1"
	assert_eq 2 "$(sed -n 1p "$tmp/run-mailcap.log")" "number of arguments to run-mailcap (attachment $1)"
	assert_eq --action=view "$(sed -n 2p "$tmp/run-mailcap.log")" "first argument to run-mailcap (attachment $1)"
	assert_eq 3 "$(wc -l < "$tmp/run-mailcap.log")" "lines of run-mailcap's arguments (attachment $1)"
	spec=$(sed -n 3p "$tmp/run-mailcap.log")
	assert_eq "$3" "${spec%%:*}" "the type given to run-mailcap for attachment $1"
	assert_match "${spec#*:}" "^$tmp/tmpdir/trawl-open-[0-9]+-[A-Za-z0-9]{6}/$2\$" "the file given to run-mailcap for attachment $1"
	n=$((n + 1))
done
assert_eq 9 "$n" "attachments opened"
pwned=$(cd "$tmp" && ls -d pwned-* 2>/dev/null; ls -d /tmp/pwned-* 2>/dev/null)
assert_eq "" "$pwned" "marker files made by a hostile Content-Type"

# ---------------------------------------------------------------------------
# A trawl killed with SIGKILL leaves its directory; the next start removes it.
# (one directory per attachment opened, all with trawl's pid)
opened=$(ls -d "$tmp"/tmpdir/trawl-open-*)
assert_eq 9 "$(printf '%s\n' "$opened" | wc -l)" "temporary directories of the running trawl"
killed=$(printf '%s\n' "$opened" | sed 's|.*/trawl-open-\([0-9]*\)-.*|\1|' | sort -u)
assert_match "$killed" '^[0-9]+$' "the pid in the names of the temporary directories"
kill -0 "$killed" 2>/dev/null || fail "the pid in the temporary directories' names ($killed) is not running"
kill -KILL "$killed"
n=0
while kill -0 "$killed" 2>/dev/null; do
	n=$((n + 1))
	[ "$n" -lt 200 ] || fail "trawl ($killed) survived SIGKILL"
	sleep 0.05
done
for d in $opened; do
	[ -d "$d" ] || fail "$d vanished with no one to remove it"
done

# Beside it: a dead pid's (removed), and what must stay.
dead=$(sh -c 'echo $$')
n=0
while kill -0 "$dead" 2>/dev/null; do
	n=$((n + 1))
	[ "$n" -lt 50 ] || skip "pid $dead was reused at once"
	dead=$(sh -c 'echo $$')
done
td=$tmp/tmpdir
mkdir "$td/trawl-open-$dead-Dead01" && printf 'x' > "$td/trawl-open-$dead-Dead01/report.pdf"
mkdir "$td/trawl-open-$dead-Dead02"
# stays: a live process's (this shell's)
mkdir "$td/trawl-open-$$-Live01" && printf 'x' > "$td/trawl-open-$$-Live01/report.pdf"
# stays: names that are not trawl's
mkdir "$td/trawl-$dead-Other1" "$td/trawl-open-$dead" "$td/trawl-open-${dead}x-Other2" \
	"$td/trawl-open-0$dead-Other3" "$td/trawl-open-$dead-Other4x"
# stays: a file, and a symbolic link to a directory (nor what it points to)
printf 'x' > "$td/trawl-open-$dead-File01"
mkdir -p "$tmp/victim" && printf 'keep' > "$tmp/victim/keep"
ln -s "$tmp/victim" "$td/trawl-open-$dead-Link01"
# stays: another user's (when this test may chown)
other=0
if [ "$(id -u)" -eq 0 ]; then
	mkdir "$td/trawl-open-$dead-Nobody" && printf 'x' > "$td/trawl-open-$dead-Nobody/f" &&
		chown -R 65534:65534 "$td/trawl-open-$dead-Nobody" && other=1
fi

ui_env TMPDIR="$td" -- "$TRAWL" --dump-list id:att-1@example.org > "$tmp/dump.out" 2>"$tmp/dump.err" ||
	{ cat "$tmp/dump.err"; fail "trawl --dump-list failed"; }
grep -q 'Attachments test' "$tmp/dump.out" || fail "--dump-list did not list the thread"

for d in $opened; do
	[ -e "$d" ] && fail "the directory of the killed trawl ($d) was not removed at the next start"
done
[ -e "$td/trawl-open-$dead-Dead01" ] && fail "a dead pid's directory (with a file) was not removed"
[ -e "$td/trawl-open-$dead-Dead02" ] && fail "a dead pid's empty directory was not removed"
[ -f "$td/trawl-open-$$-Live01/report.pdf" ] || fail "a live process's directory was touched"
for d in "trawl-$dead-Other1" "trawl-open-$dead" "trawl-open-${dead}x-Other2" \
	"trawl-open-0$dead-Other3" "trawl-open-$dead-Other4x"; do
	[ -d "$td/$d" ] || fail "$d (not trawl's) was removed"
done
[ -f "$td/trawl-open-$dead-File01" ] || fail "a file named like a trawl directory was removed"
[ -L "$td/trawl-open-$dead-Link01" ] || fail "a symbolic link named like a trawl directory was removed"
assert_eq keep "$(cat "$tmp/victim/keep")" "the file behind the symbolic link"
if [ "$other" -eq 1 ]; then
	[ -f "$td/trawl-open-$dead-Nobody/f" ] || fail "another user's directory was touched"
	chown -R 0:0 "$td/trawl-open-$dead-Nobody"
else
	echo "# skipped another user's directory: chown needs root"
fi
ui_done
