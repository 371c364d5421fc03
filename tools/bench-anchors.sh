#!/usr/bin/env bash
# tools/bench-anchors.sh -- the competitors' first screen, "when installed":
# alot's and neomutt's launch -> first screen of thread/message rows, on the
# same archive and query as trawl's first screen (tools/bench-frame.sh,
# section anchors; shared/design/perf-anchors.md has how they were measured
# first, and this reuses its configs and ready regexes).
#
#   tools/bench-anchors.sh --size N --cfg NOTMUCH_CONFIG --out FILE.tsv
#                          [--runs R] [--query Q] [--threads T] [--messages M]
#                          [--tui-time PATH] [--cap S] [--base FILE.tsv]...
#
# Each runs with a minimal config written into a temporary directory of its
# own (HOME and XDG_* point there too: never the user's ~/.config):
#   alot     alot -n NOTMUCH_CONFIG -c alotrc search Q
#            ready: 49 thread rows, then the status bar "[0: search]" on
#            the last line (urwid paints the whole screen at once)
#   neomutt  neomutt -n -F neomuttrc -f 'notmuch://?query=Q' (the notmuch
#            backend, a virtual mailbox for Q, threads newest first)
#            ready: the help line, row 1 and 46 rows more, then the status
#            bar with [Msgs:N (shown only once the mailbox is loaded)
# One warm-up run, then --runs runs (a fresh process each); a run that does
# not reach its first screen within --cap seconds (default 120, or
# BENCH_ANCHOR_CAP) is stopped and the figure is "> cap" (no more runs).
# A program not installed (command -v) gives the figure "not installed".
# BENCH_ALOT and BENCH_NEOMUTT name other binaries (default alot, neomutt).
# The database must not move: its lastmod revision is checked before and
# after (neither program is asked to write).
#
# Output lines (as bench-frame.sh): size <TAB> figure <TAB> median <TAB> p99
# <TAB> n <TAB> note, figures anchor_alot, anchor_neomutt (ms; "-" with the
# note "not installed" or "> CAP s cap") and rss_alot, rss_neomutt (VmHWM kB
# at the first screen).  To stderr: each beside trawl's first screen (the
# figure first of --out or of the --base files) and the ratio anchor / trawl.
# Never fails for an anchor's sake: exit status 0 unless its arguments are bad.
set -euo pipefail
prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
size='' cfg='' out='' runs=5 query='*' threads='' messages='' tui_time=${TUI_TIME:-} cap=${BENCH_ANCHOR_CAP:-120}
bases=()
. "$here/bench-lib.sh"	# die, note, emit, stats, jget
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || case $1 in -h|--help) ;; *) die "$1 needs an argument" ;; esac
	case $1 in
	--size) size=$2; shift 2 ;;
	--cfg) cfg=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--query) query=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--messages) messages=$2; shift 2 ;;
	--tui-time) tui_time=$2; shift 2 ;;
	--cap) cap=$2; shift 2 ;;
	--base) bases+=("$2"); shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
if [ -z "$size" ] || [ -z "$cfg" ] || [ -z "$out" ]; then die "--size, --cfg and --out are needed"; fi
[ -f "$cfg" ] || die "--cfg $cfg: no such file"
case $runs in ''|*[!0-9]*|0) die "--runs must be a positive integer, not '$runs'" ;; esac
case $cap in ''|*[!0-9]*|0) die "--cap must be a whole number of seconds, not '$cap'" ;; esac
if [ -z "$tui_time" ]; then
	for c in "$here/../../shared/tools/tui-time" /work/shared/tools/tui-time; do
		[ -x "$c" ] && { tui_time=$c; break; }
	done
fi
ROWS=50 COLS=200
nm() { NOTMUCH_CONFIG="$cfg" notmuch "$@"; }
[ -n "$threads" ] || threads=$(nm count --output=threads -- "$query")
[ -n "$messages" ] || messages=$(nm count -- "$query")

# trawl's first screen (ms), from this run's figures or the kept ones
trawl_first() {
	local f v
	for f in "$out" "${bases[@]}"; do
		[ -s "$f" ] || continue
		v=$(awk -F'\t' '$2 == "first" && $3 != "-" { v = $3 } END { print v }' "$f")
		[ -z "$v" ] || { echo "$v"; return; }
	done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trawl-anchors.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache"
db_path=$(nm config get database.path)
mail_root=$(nm config get database.mail_root 2>/dev/null || true)
[ -n "$mail_root" ] || mail_root=$db_path
rev() { nm count --lastmod '*' | cut -f3; }
rev0=$(rev)

# the configs: alot's points at the notmuch config; neomutt's is the
# notmuch backend with a virtual mailbox for the query
cat >"$tmp/alotrc" <<EOF
# written by tools/bench-anchors.sh
[accounts]
  [[bench]]
    realname = Bench
    address = bench@example.org
EOF
cat >"$tmp/neomuttrc" <<EOF
# written by tools/bench-anchors.sh
set nm_default_url="notmuch://$db_path"
set folder="$mail_root"
virtual-mailboxes "bench" "notmuch://?query=$query"
set use_threads=threads
set sort=reverse-last-date-received
set sort_aux=date
set wait_key=no
EOF

# the ready regexes: a full first screen of rows (fewer when the query has
# fewer), then the status bar
a_rows=$(( threads < ROWS - 1 ? threads : ROWS - 1 ))
n_rows=$(( messages < ROWS - 3 ? messages : ROWS - 3 ))
alot_re="\\A(?:[^\\S\\n]*\\S[^\\n]*\\n){$a_rows}(?:[ \\t]*\\n)*\\[0: search\\]"
nm_re="\\A[^\\n]*\\n +1 [^\\n]*\\n(?:[^\\S\\n]*\\S[^\\n]*\\n){$((n_rows - 1))}(?:[ \\t]*\\n)*-+NeoMutt: [^\\n]*\\[Msgs:\\d+ "

# anchor NAME READY-RE CMD...: warm-up, runs, figures
anchor() {
	local name=$1 re=$2 i rc base m r n
	shift 2
	if ! command -v "$1" >/dev/null; then
		emit "anchor_$name" - "" 0 "not installed"
		emit "rss_$name" - "" 0 "not installed"
		return 0
	fi
	if [ -z "$tui_time" ] || ! command -v tmux >/dev/null; then
		emit "anchor_$name" - "" 0 "not measured: no tui-time or tmux"
		return 0
	fi
	: >"$tmp/$name.ms"; : >"$tmp/$name.kb"
	for ((i = 0; i <= runs; i++)); do
		rc=0
		"$tui_time" --json --cols $COLS --rows $ROWS --timeout "$cap" --rss \
			--env NOTMUCH_CONFIG="$cfg" --env HOME="$tmp/home" --env XDG_CONFIG_HOME="$tmp/config" \
			--env XDG_DATA_HOME="$tmp/data" --env XDG_CACHE_HOME="$tmp/cache" \
			--ready-regex "$re" -- "$@" >"$tmp/$name.json" 2>"$tmp/$name.err" || rc=$?
		if [ $rc != 0 ] && grep -q 'timeout waiting' "$tmp/$name.err"; then
			note "$name: no first screen within the cap of $cap s (run $i); the last screen:"
			grep -v '^\s*$' "$tmp/$name.err" | tail -4 >&2
			emit "anchor_$name" - "" "$i" "> $cap s cap"
			emit "rss_$name" - "" 0 "> $cap s cap"
			return 0
		elif [ $rc != 0 ]; then
			note "$name: tui-time failed (status $rc):"
			tail -5 "$tmp/$name.err" >&2
			emit "anchor_$name" - "" "$i" "failed (tui-time status $rc)"
			return 0
		fi
		[ "$i" = 0 ] && continue	# the warm-up
		jget "$tmp/$name.json" ready >>"$tmp/$name.ms"
		jget "$tmp/$name.json" VmHWM_kB >>"$tmp/$name.kb"
	done
	read -r m r n <<<"$(stats "$tmp/$name.ms")"
	emit "anchor_$name" "$m" "$r" "$n" "launch -> first screen of rows (terminal)"
	read -r m r n <<<"$(stats "$tmp/$name.kb")"
	emit "rss_$name" "$m" "$r" "$n" "kB, VmHWM at the first screen"
	base=$(trawl_first)
	m=$(awk -F'\t' -v f="anchor_$name" '$2 == f { v = $3 } END { print v }' "$out")
	if [ -n "$base" ]; then
		note "$name first screen $m ms = $(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.1f", a / b }')x trawl's first screen ($base ms)"
	fi
}

note "db-$size: alot and neomutt, first screen of '$query' ($threads threads, $messages messages; cap $cap s)"
anchor alot "$alot_re" "${BENCH_ALOT:-alot}" -n "$cfg" -c "$tmp/alotrc" search "$query"
anchor neomutt "$nm_re" "${BENCH_NEOMUTT:-neomutt}" -n -F "$tmp/neomuttrc" -f "notmuch://?query=$query"
rev1=$(rev)
[ "$rev0" = "$rev1" ] || note "WARNING: the database's lastmod revision moved: $rev0 -> $rev1"
exit 0
