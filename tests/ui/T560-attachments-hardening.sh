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
#  - The file handed to a viewer (xdg-open, the real run-mailcap with a
#    mailcap of this test's own) is named with ASCII letters, digits and
#    "._-" only, whatever the attachment's name says (quotes, $(...),
#    backquotes, ; | & < > * ? : and spaces, a leading '-', only Cyrillic):
#    the viewers put it into shell commands every way a careless mailcap
#    entry would, and no command of the name may run; the file holds the
#    attachment's bytes.
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

# ---------------------------------------------------------------------------
# The file a viewer gets: its name is ASCII letters, digits and "._-" only
# (never a leading '.' or '-'; "attachment-N.EXT" when nothing readable is
# left), whatever the attachment is called, so no command line a viewer
# builds around it can be broken out of.  The same file for xdg-open and
# run-mailcap.  Each name below breaks one way of quoting a file name in a
# shell command ('%s', "%s", %s, a TYPE:FILE split at ':'); the viewers here
# put the name into all of them, and any command that gets out leaves a
# marker file.
nd=$tmp/names
mkdir -p "$nd" "$tmp/binx" "$tmp/binm" "$tmp/tmpdir2"
# Every byte percent-encoded: RFC 2231 (filename*=utf-8''...).
pct() { printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//; s/ /%/g; s/^/%/'; }
# number, name in the message, name handed on (part index: the body is 0)
cat > "$nd/table" <<EOF
1	x';touch injected-1;'y.pdf	x__touch_injected-1__y.pdf
2	x";touch injected-2;"y.pdf	x__touch_injected-2__y.pdf
3	\$(touch injected-3)\`touch injected-4\`.pdf	__touch_injected-3__touch_injected-4_.pdf
4	a;touch injected-5|b&c<d>e*f?g:h i.pdf	a_touch_injected-5_b_c_d_e_f_g_h_i.pdf
5	\$(touch /tmp/injected-$$);x'y".pdf	injected-$$__x_y_.pdf
6	отчёт.pdf	attachment-6.pdf
7	--help .p\$f	help_.p_f
EOF
n_att=$(wc -l < "$nd/table")
{
	printf 'From: Mallory <mallory@example.org>\nTo: Reader <reader@example.org>\n'
	printf 'Subject: Hostile names\nDate: Sat, 15 Jun 2024 11:00:00 +0000\n'
	printf 'Message-ID: <hostile-names@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="NN"\n\n--NN\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nNames to choke on.\n'
	while IFS='	' read -r k name safe; do
		# bytes a text conversion would change: NUL, 0xff, CRLF
		printf 'attachment %d\000\377\r\nend\n' "$k" > "$nd/expect-$k"
		printf -- '--NN\nContent-Type: application/pdf\n'
		printf "Content-Disposition: attachment; filename*=utf-8''%s\n" "$(pct "$name")"
		printf 'Content-Transfer-Encoding: base64\n\n%s\n' "$(base64 < "$nd/expect-$k")"
	done < "$nd/table"
	printf -- '--NN--\n'
} > "$tmp/mail/cur/1718600002.01.names:2,"
mkdb_new
rm -f /tmp/injected-$$

# A viewer as careless as can be: the name in single quotes, double quotes
# and bare, each in a shell command run from trawl's directory ($tmp).
cat > "$tmp/viewer" <<EOF
#!/bin/sh
# \$0 TAG FILE: logs FILE, copies it, then misuses it.
printf '%s\n' "\$2" >> "$nd/\$1.log"
n=\$(wc -l < "$nd/\$1.log")
cp -- "\$2" "$nd/got-\$1-\$n" || exit 3
/bin/sh -c "cat '\$2' >/dev/null" 2>/dev/null
/bin/sh -c "cat \"\$2\" >/dev/null" 2>/dev/null
/bin/sh -c "cat \$2 >/dev/null" 2>/dev/null
exit 0
EOF
chmod +x "$tmp/viewer"
printf '#!/bin/sh\nexec %s xdg "$@"\n' "$(ui_quote "$tmp/viewer")" > "$tmp/binx/xdg-open"
chmod +x "$tmp/binx/xdg-open"

# open_all OPENER: opens attachments 1..n_att in a running trawl and checks
# what OPENER got.
open_all() {
	while IFS='	' read -r k name safe; do
		ui_keys O
		ui_wait_line "$last" "^Open attachment \\(1-$n_att\\)"
		ui_keys C-u
		ui_type "$k"
		ui_keys Enter
		ui_wait_line "$last" "^(Opened .* with $1|.* exited with status [0-9]+ for .*)\$"
		assert_match "$(ui_line "$last")" "^Opened .* with $1\$" "the viewer's status for attachment $k"
		got=$(sed -n "${k}p" "$nd/$2.log")
		assert_match "$got" "^$tmp/tmpdir2/trawl-open-[0-9]+-[A-Za-z0-9]{6}/[A-Za-z0-9_][A-Za-z0-9._-]*\$" \
			"the file $1 got for attachment $k"
		assert_eq "$safe" "${got##*/}" "the name of the file $1 got for attachment $k"
		[ -f "$got" ] || fail "the file $1 got for attachment $k ($got) is gone"
		cmp -s "$nd/expect-$k" "$nd/got-$2-$k" || fail "the file $1 got for attachment $k does not hold its bytes"
	done < "$nd/table"
	assert_eq "$n_att" "$(wc -l < "$nd/$2.log")" "files $1 got"
	injected=$(cd "$tmp" && ls -d injected-* 2>/dev/null; ls -d /tmp/injected-$$ 2>/dev/null)
	assert_eq "" "$injected" "marker files made by a name given to $1"
}

# xdg-open
ui_start PATH="$tmp/binx:$PATH" TMPDIR="$tmp/tmpdir2" -- "$TRAWL" --no-mark-read id:hostile-names@example.org
ui_wait_line 1 'Hostile names'
ui_keys Enter
ui_wait_line 0 '^thread: Hostile names '
ui_wait_for '^Names to choke on\.$'
ui_wait_for "^\\[attachment $n_att: "
open_all xdg-open xdg
ui_keys q
ui_wait_line 0 '^search: '
ui_keys q
ui_expect_exit 0

# The real run-mailcap (Debian's mailcap package), reading only this test's
# mailcap: an entry with the name in each kind of quotes.
real_mc=$(command -v run-mailcap 2>/dev/null || true)
if [ -z "$real_mc" ]; then
	echo "# skipped the real run-mailcap: not installed (apt-get install mailcap)"
else
	pathm=$tmp/binm
	_old_ifs=$IFS
	IFS=:
	for d in $PATH; do
		[ -n "$d" ] && [ ! -e "$d/xdg-open" ] && pathm=$pathm:$d
	done
	IFS=$_old_ifs
	[ "$(PATH=$pathm command -v run-mailcap)" = "$real_mc" ] || fail "the real run-mailcap is not the one in PATH"
	printf '#!/bin/sh\nexec %s mc "$1"\n' "$(ui_quote "$tmp/viewer")" > "$tmp/binm/record"
	chmod +x "$tmp/binm/record"
	# %s three times; the record script logs the first, the others must
	# be the same word.
	printf "application/pdf; %s '%%s' \"%%s\" %%s && test \"%%s\" = '%%s'\n" "$tmp/binm/record" > "$nd/mailcap"
	rm -f "$nd"/got-*
	ui_start PATH="$pathm" TMPDIR="$tmp/tmpdir2" MAILCAPS="$nd/mailcap" -- "$TRAWL" --no-mark-read id:hostile-names@example.org
	ui_wait_line 1 'Hostile names'
	ui_keys Enter
	ui_wait_line 0 '^thread: Hostile names '
	ui_wait_for "^\\[attachment $n_att: "
	open_all run-mailcap mc
	ui_keys q
	ui_wait_line 0 '^search: '
	ui_keys q
	ui_expect_exit 0
fi
ui_done
