#!/bin/sh
# gen-man.sh TEMPLATE TRAWL VERSION > PAGE
# Fills a man page template from the program's own tables, so the manuals
# are the program's tables (they cannot drift).  Placeholders, each alone on
# its line:
#   @COMMANDS@          every command with its views and keys (trawl.1)
#   @KEYS@              every command with the views its bind lines may name
#                       and its default keys (trawl-config.5)
#   @OPTIONS@           the settings of [options], with defaults and help
#   @COMMANDS_SECTION@  the settings of [commands]
#   @COLORS@            the settings of [colors]
# from `trawl --list-commands` and `trawl --list-settings`, run without any
# user config; and @VERSION@, anywhere, with VERSION.
set -eu
template=$1 trawl=$2 version=$3
tab=$(printf '\t')
tmp=${TMPDIR:-/tmp}/trawl-man.$$
trap 'rm -f "$tmp.commands" "$tmp.settings"' EXIT
TRAWL_CONFIG=/dev/null "$trawl" --list-commands > "$tmp.commands"
TRAWL_CONFIG=/dev/null "$trawl" --list-settings > "$tmp.settings"
awk -F "$tab" -v version="$version" -v cmds="$tmp.commands" -v sets="$tmp.settings" '
function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.'\'']/) s = "\\&" s; return s }
function fail(what) { print "gen-man.sh: " FILENAME ":" FNR ": " what > "/dev/stderr"; exit 1 }
# "search thread" -> "\fIsearch\fR, \fIthread\fR": the VIEW of a bind line.
function views(list,   n, v, i, out) {
	n = split(list, v, " ")
	for (i = 1; i <= n; i++)
		out = out (i > 1 ? ", " : "") "\\fI" v[i] "\\fR"
	return out
}
# The settings of one section: name = default, then the help.
function settings(section,   line, f, n) {
	while ((getline line < sets) > 0) {
		split(line, f, "\t")
		if (f[1] != section)
			continue
		print ".TP"
		print "\\fB" roff(f[2]) "\\fR = " (f[3] == "" ? "(empty)" : "\\fB" roff(f[3]) "\\fR")
		print roff(f[4])
		n++
	}
	close(sets)
	if (!n)
		fail("trawl --list-settings has no settings in [" section "]")
}
$0 == "@COMMANDS@" {
	while ((getline line < cmds) > 0) {
		split(line, f, "\t")
		print ".TP"
		print "\\fB" roff(f[1]) "\\fR (" roff(f[2]) "): \\fB" roff(f[3]) "\\fR"
		print roff(f[4])
	}
	close(cmds)
	next
}
$0 == "@KEYS@" {
	while ((getline line < cmds) > 0) {
		split(line, f, "\t")
		print ".TP"
		print "\\fB" roff(f[1]) "\\fR in " views(f[2]) ": " (f[3] == "" ? "(no keys)" : "\\fB" roff(f[3]) "\\fR")
		print roff(f[4])
	}
	close(cmds)
	next
}
$0 == "@OPTIONS@" { settings("options"); next }
$0 == "@COMMANDS_SECTION@" { settings("commands"); next }
$0 == "@COLORS@" { settings("colors"); next }
{ gsub(/@VERSION@/, version) }
/@[A-Z_]+@/ { fail("unknown placeholder (or not alone on its line): " $0) }
{ print }
' "$template"
