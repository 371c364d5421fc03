#!/bin/sh
# man.sh — the manuals are the program's own tables: trawl(1) lists exactly
# the program's commands, with their keys; trawl-config(5) every setting, with
# its default, and every command, with its keys.  Both are generated from the
# program at build time: this fails if that ever breaks or a page is stale.
# Both render without warnings.
set -u
b=${abs_top_builddir:-.}
s=${abs_top_srcdir:-$(dirname "$0")/..}
: "${TRAWL:=$b/trawl}"
page=$b/doc/trawl.1
conf=$b/doc/trawl-config.5
for p in "$page" "$conf"; do
	[ -f "$p" ] || { echo "FAIL: $p was not built (run make)"; exit 1; }
done
tab=$(printf '\t')
tmp=${TMPDIR:-/tmp}/trawl-man-test.$$
trap 'rm -f "$tmp.page" "$tmp.commands" "$tmp.settings"' EXIT
fail=0
# Names and keys as roff writes them (a - becomes \-).
"$TRAWL" --list-commands | while IFS="$tab" read -r name _ keys _; do
	n=$(printf '%s' "$name" | sed 's/-/\\-/g')
	k=$(printf '%s' "$keys" | sed 's/-/\\-/g')
	grep -F -q -- "\\fB$n\\fR" "$page" || { echo "FAIL: the manual lacks command $name"; exit 1; }
	grep -F -- "\\fB$n\\fR" "$page" | grep -F -q -- "$k" || { echo "FAIL: the manual lacks the keys '$keys' of $name"; exit 1; }
done || fail=1
# No command in the manual that the program does not have.
want=$("$TRAWL" --list-commands | wc -l)
got=$(grep -c '^\\fB.*\\fR (.*): ' "$page")
[ "$want" = "$got" ] || { echo "FAIL: the manual lists $got commands, the program $want"; fail=1; }

# trawl-config(5): every setting (name = default) and every command (name in
# its views: keys), and nothing else in those tables.
TRAWL_CONFIG=/dev/null "$TRAWL" --list-settings > "$tmp.settings" || { echo "FAIL: trawl --list-settings"; exit 1; }
TRAWL_CONFIG=/dev/null "$TRAWL" --list-commands > "$tmp.commands" || { echo "FAIL: trawl --list-commands"; exit 1; }
while IFS="$tab" read -r section name rest; do
	n=$(printf '%s' "$name" | sed 's/-/\\-/g')
	grep -F -q -- "\\fB$n\\fR = " "$conf" || { echo "FAIL: trawl-config(5) lacks setting [$section] $name"; fail=1; }
done < "$tmp.settings"
while IFS="$tab" read -r name _ keys _; do
	n=$(printf '%s' "$name" | sed 's/-/\\-/g')
	k=$(printf '%s' "$keys" | sed 's/-/\\-/g')
	case $k in .*|\'*) k="\\&$k" ;; esac	# roff: a leading . or ' is escaped as \&.
	grep -F -- "\\fB$n\\fR in " "$conf" | grep -F -q -- ": \\fB$k\\fR" ||
		{ echo "FAIL: trawl-config(5) lacks command $name with its keys '$keys'"; fail=1; }
done < "$tmp.commands"
want_s=$(wc -l < "$tmp.settings")
got_s=$(grep -c '^\\fB.*\\fR = ' "$conf")
[ "$want_s" = "$got_s" ] || { echo "FAIL: trawl-config(5) lists $got_s settings, the program $want_s"; fail=1; }
want_c=$(wc -l < "$tmp.commands")
got_c=$(grep -c '^\\fB[^ ]*\\fR in \\fI.*\\fR: ' "$conf")
[ "$want_c" = "$got_c" ] || { echo "FAIL: trawl-config(5) lists $got_c commands, the program $want_c"; fail=1; }

# Each page is what its template and this program make now (doc/ is in git
# too, so that `man ./doc/trawl.1` works in a fresh clone).
version=$("$TRAWL" --version | sed 's/^trawl //')
for p in trawl.1 trawl-config.5; do
	if ! sh "$s/tools/gen-man.sh" "$s/doc/$p.in" "$TRAWL" "$version" > "$tmp.page"; then
		echo "FAIL: tools/gen-man.sh cannot make doc/$p from doc/$p.in"
		fail=1
	else
		# The built page, and the copy in the source tree (a build
		# elsewhere, or a tarball, may have none).
		for have in "$b/doc/$p" "$s/doc/$p"; do
			[ -f "$have" ] || continue
			if ! cmp -s "$tmp.page" "$have"; then
				echo "FAIL: $have is stale (not what tools/gen-man.sh makes of doc/$p.in and this trawl): run make, and commit doc/$p"
				diff -u "$have" "$tmp.page" | head -20
				fail=1
			fi
		done
	fi
done

# renders FILE HEADING: man shows FILE, HEADING and all, without a warning.
renders() {
	warn=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
	[ -z "$warn" ] || { echo "FAIL: man warns about $1: $warn"; fail=1; }
	MANWIDTH=80 man -l "$1" 2>/dev/null | grep -q "$2" || { echo "FAIL: $1 does not render"; fail=1; }
}
if command -v man >/dev/null 2>&1; then
	renders "$page" 'COMMANDS AND KEYS'
	renders "$conf" 'COMMANDS AND DEFAULT KEYS'
fi
[ $fail = 0 ] && echo "PASS: the manuals list the $want commands and the $want_s settings"
exit $fail
