#!/bin/sh
# perf-audit.sh — every command the program has is in the cost audit
# (tools/perf-audit.tsv, from which doc/PERFORMANCE.md's "What each command
# costs" is generated) exactly once, with a cost class; no audit line names a
# command the program lacks; and doc/PERFORMANCE.md lists every command.
# A new command fails here until its cost on the key's path is written down.
set -u
b=${abs_top_builddir:-.}
s=${abs_top_srcdir:-$(dirname "$0")/..}
: "${TRAWL:=$b/trawl}"
audit=$s/tools/perf-audit.tsv
doc=$s/doc/PERFORMANCE.md
tab=$(printf '\t')
fail=0
[ -f "$audit" ] || { echo "FAIL: no $audit"; exit 1; }
cmds=$("$TRAWL" --list-commands | cut -f1) || { echo "FAIL: trawl --list-commands failed"; exit 1; }
[ -n "$cmds" ] || { echo "FAIL: trawl --list-commands listed nothing"; exit 1; }
for c in $cmds; do
	n=$(grep -c "^$c$tab" "$audit")
	[ "$n" = 1 ] || { echo "FAIL: command $c has $n lines in tools/perf-audit.tsv (want 1: name, cost, note)"; fail=1; continue; }
	cost=$(grep "^$c$tab" "$audit" | cut -f2)
	case $cost in
	O\(*) ;;
	*) echo "FAIL: command $c: cost '$cost' is not an O(...) class"; fail=1 ;;
	esac
	grep -q "^| \`$c\` | " "$doc" || { echo "FAIL: doc/PERFORMANCE.md does not list command $c (tools/bench-report.sh regenerates it)"; fail=1; }
done
for a in $(grep -v '^#' "$audit" | cut -f1); do
	printf '%s\n' "$cmds" | grep -qx "$a" || { echo "FAIL: tools/perf-audit.tsv names $a, which is not a command"; fail=1; }
done
[ $fail = 0 ] && echo "ok - the cost audit covers the $(printf '%s\n' "$cmds" | wc -l) commands"
exit $fail
