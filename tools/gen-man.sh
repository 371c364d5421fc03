#!/bin/sh
# gen-man.sh TEMPLATE TRAWL VERSION > trawl.1
# Fills @COMMANDS@ in the man page template from `trawl --list-commands`, so
# the manual's command table is the program's command table (they cannot
# drift), and @VERSION@ with the version.
set -eu
template=$1 trawl=$2 version=$3
tab=$(printf '\t')
"$trawl" --list-commands > "${TMPDIR:-/tmp}/trawl-commands.$$"
trap 'rm -f "${TMPDIR:-/tmp}/trawl-commands.$$"' EXIT
awk -F "$tab" -v version="$version" -v cmds="${TMPDIR:-/tmp}/trawl-commands.$$" '
function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.'\'']/) s = "\\&" s; return s }
/@COMMANDS@/ {
	while ((getline line < cmds) > 0) {
		split(line, f, "\t")
		print ".TP"
		print "\\fB" roff(f[1]) "\\fR (" roff(f[2]) "): \\fB" roff(f[3]) "\\fR"
		print roff(f[4])
	}
	next
}
{ gsub(/@VERSION@/, version); print }
' "$template"
