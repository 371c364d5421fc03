#!/bin/sh
# man.sh — the manual lists exactly the program's commands, with their keys
# (it is generated from them at build time: this fails if that ever breaks),
# and renders without warnings.
set -u
b=${abs_top_builddir:-.}
page=$b/doc/trawl.1
[ -f "$page" ] || { echo "FAIL: $page was not built"; exit 1; }
tab=$(printf '\t')
fail=0
# Names and keys as roff writes them (a - becomes \-).
"$TRAWL" --list-commands | while IFS="$tab" read -r name view keys help; do
	n=$(printf '%s' "$name" | sed 's/-/\\-/g')
	k=$(printf '%s' "$keys" | sed 's/-/\\-/g')
	grep -F -q -- "\\fB$n\\fR" "$page" || { echo "FAIL: the manual lacks command $name"; exit 1; }
	grep -F -- "\\fB$n\\fR" "$page" | grep -F -q -- "$k" || { echo "FAIL: the manual lacks the keys '$keys' of $name"; exit 1; }
done || fail=1
# No command in the manual that the program does not have.
want=$("$TRAWL" --list-commands | wc -l)
got=$(grep -c '^\\fB.*\\fR (.*): ' "$page")
[ "$want" = "$got" ] || { echo "FAIL: the manual lists $got commands, the program $want"; fail=1; }
if command -v man >/dev/null 2>&1; then
	warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] || { echo "FAIL: man warns: $warn"; fail=1; }
	MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'COMMANDS AND KEYS' || { echo "FAIL: the page does not render"; fail=1; }
fi
[ $fail = 0 ] && echo "PASS: the manual lists the $want commands"
exit $fail
