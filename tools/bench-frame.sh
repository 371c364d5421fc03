#!/usr/bin/env bash
# tools/bench-frame.sh -- "every key within a frame": the issue-15 figures of
# one database, beside the notmuch CLI and the libnotmuch floor.
#
# Called by tools/bench.sh --size 10k|100k|1m (which builds DIR/db-N once and
# writes DIR/db-N/info); runnable alone on a database bench.sh built:
#
#   tools/bench-frame.sh --work DIR --size N --trawl PATH --out FILE.tsv
#                        [--runs R] [--presses P] [--quick] [--only LIST]
#
# --only cli,first,walk,thread,chain,taglist,search,tag,anchors runs only those sections
# (walk and taglist use first's VmHWM for their memory figures).
#
# A benchmark, not a test: prints figures, asserts nothing about times (it
# does check that every screen it waits for shows what it should: a figure
# whose screen never came is reported as failed, not as a time).
#
# Figures (ms unless said; medians over --runs runs, the key figures over
# --presses presses each):
#   cli_search50  notmuch search --output=summary --limit=50 '*'
#   floor50       tools/nm-floor (built here with cc -lnotmuch): the same 50
#                 thread summaries through libnotmuch, nothing else
#   cli_count     notmuch count '*' (messages)
#   cli_count_thr notmuch count --output=threads '*'
#   first         trawl '*' launch -> first screen (title and row 48 drawn)
#   G             G -> the title shows the last row ([last/N] or [N/N])
#   key_j key_k key_PgDn key_PgUp
#                 key -> repaint: median and p99 of trawl's own timing
#                 (TRAWL_KEYLOG: poll() woke with the key -> refresh()
#                 returned) and of the terminal's (tui-time: key sent -> the
#                 title shows the new position), over P presses each, paced
#                 by the screen plus 10 ms
#   thread_open   trawl thread:<largest> -> Enter -> the thread view's first
#                 screen (title, separator and From: of the first message)
#   tag_list      T -> the tag list's title (counts may follow)
#   search_rare   s, a rare term (from:ADDR with 1-20 messages), Enter ->
#                 its list's first row
#   tag_thread    tag of the thread at row min(5000, threads-1): t +benchtag
#                 Enter -> the row shows benchtag (on DIR/db-N/write, the copy
#                 bench.sh makes, when present, else on db-N; undone after,
#                 and checked to be exactly that thread)
#   anchor_alot anchor_neomutt
#                 alot's and neomutt's launch -> first screen of rows of
#                 '*', when installed (tools/bench-anchors.sh: "-" and the
#                 note "not installed", or "> 120 s cap"), rss_alot and
#                 rss_neomutt their VmHWM kB then
#   rss_*         VmHWM kB: after first screen + G; after G and the walk (G,
#                 P x j, P x k, P x PgDn, P x PgUp); the thread view; the
#                 tag list
#   mem_row mem_msg mem_view
#                 bytes: (walk - first+G) / rows reached, (thread view -
#                 thread:ID one row) / messages of the thread, (tag list -
#                 first screen) for one view
# Output lines: size <TAB> figure <TAB> median <TAB> p99 <TAB> n <TAB> note
set -euo pipefail
prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/trawl-bench size= trawl= out= runs=5 presses=1000 quick=0 only=
. "$here/bench-lib.sh"	# die, note, emit, stats, jget
while [ $# -gt 0 ]; do
	case $1 in
	--work) work=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--trawl) trawl=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--presses) presses=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	--only) only=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$size" ] && [ -n "$trawl" ] && [ -n "$out" ] || die "--size, --trawl and --out are needed"
d="$work/db-$size"
cfg="$d/notmuch-config"
[ -f "$d/db.done" ] && [ -s "$d/info" ] || die "$d: no database (tools/bench.sh --size builds it)"
tui_time=${TUI_TIME:-}
if [ -z "$tui_time" ]; then
	for c in "$here/../../shared/tools/tui-time" /work/shared/tools/tui-time; do
		[ -x "$c" ] && { tui_time=$c; break; }
	done
fi
[ -n "$tui_time" ] || die "tui-time not found (set TUI_TIME)"
threads=$(sed -n 's/^threads=//p' "$d/info")
big_id=$(sed -n 's/^largest_thread=//p' "$d/info")
big_total=$(sed -n 's/^largest_total=//p' "$d/info")
ROWS=50 COLS=200 PAGE=48
tmp="$work/results/frame-$size-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

emit_file() { local s; s=$(stats "$2"); set -- "$1" $s "${3:-}"; emit "$1" "$2" "$3" "$4" "${5:-}"; }

# ------------------------------------------------------------- CLI and floor
floor="$work/nm-floor"
if [ ! -x "$floor" ] || [ "$here/nm-floor.c" -nt "$floor" ]; then
	# shellcheck disable=SC2046
	cc -O2 -o "$floor" "$here/nm-floor.c" $(pkg-config --cflags --libs notmuch 2>/dev/null || echo -lnotmuch) ||
		die "cannot build $here/nm-floor.c (needs cc and libnotmuch-dev)"
fi
timeit() {	# FILE RUNS CMD...: one warm-up, then RUNS wall times (ms) into FILE
	local f=$1 r=$2 i t0 t1
	shift 2
	: >"$f"
	"$@" >/dev/null
	for ((i = 0; i < r; i++)); do
		t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
		echo "$(((t1 - t0) / 1000))" | awk '{ printf "%.2f\n", $1 / 1000 }' >>"$f"
	done
}
nm() { NOTMUCH_CONFIG="$cfg" notmuch "$@"; }
nmf() { NOTMUCH_CONFIG="$cfg" "$floor" "$@"; }
[ "$(nmf | cut -d' ' -f1)" = "$(nm search --output=summary --limit=50 '*' | cut -d' ' -f1)" ] ||
	die "nm-floor does not list the threads notmuch search --limit=50 lists"
if want cli; then
timeit "$tmp/cli50" "$runs" nm search --output=summary --limit=50 '*'; emit_file cli_search50 "$tmp/cli50"
timeit "$tmp/floor" "$runs" nmf; emit_file floor50 "$tmp/floor"
timeit "$tmp/count" "$runs" nm count '*'; emit_file cli_count "$tmp/count"
if [ $quick = 0 ]; then
	timeit "$tmp/countt" "$(( runs < 3 ? runs : 3 ))" nm count --output=threads '*'; emit_file cli_count_thr "$tmp/countt"
fi

fi # cli

# ------------------------------------------------------------- trawl
list_re() { printf '\\A[^\\n]*search: \\*[^\\n]*\\[%s/' "$1"; }
# after G the title says [last/N] until the row's number is known (counted
# in the background): the last row is on screen either way
last_re() { list_re "(?:last|$threads)"; }
ready_re="$(list_re 1)[^\\n]*\\n(?:[^\\n]*\\n){47}[^\\n]*\\S"
tt() {	# OUT.json CONFIG KEYLOG tui-time-args... -- trawl args
	local o=$1 c=$2 k=$3 rc=0
	shift 3
	"$tui_time" --json --cols $COLS --rows $ROWS --timeout 60 --interval-ms 5 --rss \
		--env NOTMUCH_CONFIG="$c" --env TRAWL_KEYLOG="$k" "$@" >"$o" 2>"$o.err" || rc=$?
	[ $rc = 0 ] || { note "tui-time failed ($o.err):"; tail -5 "$o.err" >&2; }
	return $rc
}
keylat() {	# KEYLOG KEYNAME: trawl-side latencies (ms) of that key
	awk -F'\t' -v k="$2" '$1 == k { printf "%.3f\n", $4 / 1000 }' "$1"
}

if want first; then
# first screen + G, --runs runs (a fresh process each)
: >"$tmp/first" ; : >"$tmp/G"; : >"$tmp/Gk"; : >"$tmp/rssG"
for ((i = 0; i < runs; i++)); do
	rm -f "$tmp/kl"
	tt "$tmp/fg.json" "$cfg" "$tmp/kl" --ready-regex "$ready_re" \
		--step G "$(last_re)" -- "$trawl" --read-only '*' || continue
	jget "$tmp/fg.json" ready >>"$tmp/first"
	jget "$tmp/fg.json" step1 >>"$tmp/G"
	jget "$tmp/fg.json" VmHWM_kB >>"$tmp/rssG"
	keylat "$tmp/kl" G >>"$tmp/Gk"
done
emit_file first "$tmp/first" "launch -> rows drawn (terminal)"
emit_file G "$tmp/G" "terminal"
emit_file G_trawl "$tmp/Gk" "trawl-side (keylog)"
emit_file rss_first_G "$tmp/rssG" "kB"

fi # first

if want walk; then
# the walk: G, g, P x j, P x k, then PgDn/PgUp to and fro: P presses each
steps=(--step G "$(last_re)" --step g "$(list_re 1)")
J=$(( presses < threads - 1 ? presses : threads - 1 ))
for ((p = 2; p <= J + 1; p++)); do steps+=(--step j "$(list_re $p)"); done
for ((p = J; p >= 1; p--)); do steps+=(--step k "$(list_re $p)"); done
pages=$(( (threads - 1) / PAGE ))
maxrow=$((J + 1))
if [ "$pages" -gt 0 ]; then
	left=$presses
	while [ "$left" -gt 0 ]; do
		a=$(( left < pages ? left : pages ))
		for ((p = 1; p <= a; p++)); do steps+=(--step NPage "$(list_re $((1 + p * PAGE)))"); done
		for ((p = a - 1; p >= 0; p--)); do steps+=(--step PPage "$(list_re $((1 + p * PAGE)))"); done
		[ $((1 + a * PAGE)) -le "$maxrow" ] || maxrow=$((1 + a * PAGE))
		left=$((left - a))
	done
fi
note "db-$size: the walk: $(( ${#steps[@]} / 3 )) keys (j/k $J each, PgDn/PgUp $presses each)"
rm -f "$tmp/kl"
if tt "$tmp/walk.json" "$cfg" "$tmp/kl" --pause-ms 10 --ready-regex "$ready_re" "${steps[@]}" \
	-- "$trawl" --read-only '*'; then
	# external (terminal) times per key kind, from the step order
	python3 - "$tmp/walk.json" "$tmp" "${steps[@]}" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))['runs'][0]
tmp = sys.argv[2]
args = sys.argv[3:]
keys = [args[i + 1] for i in range(0, len(args), 3)]
out = {}
for i, k in enumerate(keys, 1):
    v = d.get('step%d' % i)
    if v is not None:
        out.setdefault(k, []).append(v)
for k, name in (('j', 'j'), ('k', 'k'), ('NPage', 'PgDn'), ('PPage', 'PgUp')):
    with open('%s/ext-%s' % (tmp, name), 'w') as f:
        f.writelines('%.3f\n' % x for x in out.get(k, []))
with open('%s/rsswalk' % tmp, 'w') as f:
    f.write('%s\n' % d.get('VmHWM_kB', ''))
EOF
	for k in j k PgDn PgUp; do
		keylat "$tmp/kl" "$k" >"$tmp/in-$k"
		emit_file "key_$k" "$tmp/in-$k" "trawl-side (keylog)"
		emit_file "key_${k}_term" "$tmp/ext-$k" "terminal (tui-time)"
	done
	emit rss_walk "$(cat "$tmp/rsswalk")" "" 1 "kB after G + the walk (rows up to $maxrow)"
	g=$(stats "$tmp/rssG" | cut -d' ' -f1)
	emit mem_row "$(awk -v w="$(cat "$tmp/rsswalk")" -v g="$g" -v r="$maxrow" 'BEGIN { printf "%.0f", (w - g) * 1024 / r }')" "" 1 \
		"bytes per row reached: (walk - first+G) / $maxrow"
fi

fi # walk

if want thread; then
# thread open of the largest thread
if [ -n "$big_id" ]; then
	thr_re="\\A[^\\n]*thread: [^\\n]*\\[\\d+/$big_total\\] \\d+ matched[^\\n]*\\n(?:[^\\n]*\\n)*?── \\d+/$big_total [^\\n]*\\n(?:[^\\n]*\\n){0,3}From: "
	one_re="\\A[^\\n]*search: thread:$big_id\\b[^\\n]*\\[1/1\\][^\\n]*\\n[^\\n]*\\S"
	: >"$tmp/open"; : >"$tmp/openk"; : >"$tmp/rssopen"; : >"$tmp/rssone"
	for ((i = 0; i < runs; i++)); do
		rm -f "$tmp/kl"
		tt "$tmp/one.json" "$cfg" "$tmp/kl" --ready-regex "$one_re" -- "$trawl" --read-only "thread:$big_id" || continue
		jget "$tmp/one.json" VmHWM_kB >>"$tmp/rssone"
		tt "$tmp/open.json" "$cfg" "$tmp/kl" --ready-regex "$one_re" --step Enter "$thr_re" \
			-- "$trawl" --read-only "thread:$big_id" || continue
		jget "$tmp/open.json" step1 >>"$tmp/open"
		jget "$tmp/open.json" VmHWM_kB >>"$tmp/rssopen"
		keylat "$tmp/kl" Enter >>"$tmp/openk"
	done
	emit_file thread_open "$tmp/open" "Enter -> first screen of $big_total messages (terminal)"
	emit_file thread_open_trawl "$tmp/openk" "trawl-side (keylog)"
	emit_file rss_thread "$tmp/rssopen" "kB"
	a=$(stats "$tmp/rssopen" | cut -d' ' -f1) b=$(stats "$tmp/rssone" | cut -d' ' -f1)
	emit mem_msg "$(awk -v a="$a" -v b="$b" -v t="$big_total" 'BEGIN { printf "%.0f", (a - b) * 1024 / t }')" "" 1 \
		"bytes per message of an open thread: (thread view - one row) / $big_total"
	timeit "$tmp/show" "$(( runs < 3 ? runs : 3 ))" nm show --format=json "thread:$big_id"
	emit_file cli_show "$tmp/show" "notmuch show --format=json of that thread"
fi

fi # thread

if want taglist; then
# tag list
: >"$tmp/T"; : >"$tmp/Tk"; : >"$tmp/rssT"; : >"$tmp/rssF"
for ((i = 0; i < runs; i++)); do
	rm -f "$tmp/kl"
	tt "$tmp/T.json" "$cfg" "$tmp/kl" --ready-regex "$ready_re" --step T '\A[^\n]*tags  ' \
		-- "$trawl" --read-only '*' || continue
	jget "$tmp/T.json" step1 >>"$tmp/T"
	jget "$tmp/T.json" VmHWM_kB >>"$tmp/rssT"
	tt "$tmp/F.json" "$cfg" "$tmp/kl0" --ready-regex "$ready_re" -- "$trawl" --read-only '*' &&
		jget "$tmp/F.json" VmHWM_kB >>"$tmp/rssF"
	keylat "$tmp/kl" T >>"$tmp/Tk"
done
emit_file tag_list "$tmp/T" "T -> the tag list drawn, counts may follow (terminal)"
emit_file tag_list_trawl "$tmp/Tk" "trawl-side (keylog)"
a=$(stats "$tmp/rssT" | cut -d' ' -f1) b=$(stats "$tmp/rssF" | cut -d' ' -f1)
emit mem_view "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", (a - b) * 1024 }')" "" 1 \
	"bytes: the tag list view, VmHWM (first + T) - (first screen)"

fi # taglist

if want search; then
# a rare term
rare=
if [ -s "$d/frame-rare" ]; then rare=$(cat "$d/frame-rare"); else
	# the first sender (by address) with 1-20 messages: a from: term whose
	# posting list is short whatever the archive's size (O(archive) once,
	# then kept in db-N/frame-rare)
	# (a generated 1M archive has none: then the sender with the fewest)
	a=$(nm address --output=sender --output=count --output=address --deduplicate=address '*' |
		awk -F'\t' '$1 >= 1 { print ($1 <= 20 ? 0 : $1) "\t" $2 }' | LC_ALL=C sort -t"$(printf '\t')" -k1,1n -k2,2 |
		head -1 | cut -f2)
	[ -z "$a" ] || { rare="from:$a"; echo "$rare" >"$d/frame-rare"; }
fi
if [ -n "$rare" ]; then
	esc=$(python3 -c 'import re,sys; print(re.escape(sys.argv[1]))' "$rare")
	: >"$tmp/S"
	for ((i = 0; i < runs; i++)); do
		tt "$tmp/S.json" "$cfg" "$tmp/kl" --ready-regex "$ready_re" --step s '\nSearch:' \
			--step "-l $rare" "$esc\\s*\$" \
			--step Enter "\\A[^\\n]*search: $esc[^\\n]*\\[1/[^\\n]*\\n[^\\n]*\\S" \
			-- "$trawl" --read-only '*' || continue
		jget "$tmp/S.json" step3 >>"$tmp/S"
	done
	emit_file search_rare "$tmp/S" "Enter -> first row of $rare ($(nm count "$rare") messages) (terminal)"
	timeit "$tmp/Scli" "$runs" nm search --output=summary --limit=50 "$rare"
	emit_file cli_search_rare "$tmp/Scli" "notmuch search --limit=50 $rare"
fi

fi # search

if want chain; then
# a thread of exactly 2,500 messages: tools/bench-chain.sh's reply chain
# (each message replying to the one before: the deepest shape), built once
# in DIR/chain-2500; the same database whatever --size
if out_c=$("$here/bench-chain.sh" --depth 2500 --runs "$runs" --work "$work" --trawl "$trawl" 2>&1); then
	c_nm=$(printf '%s\n' "$out_c" | sed -n 's/^notmuch show --format=json of the chain *\([0-9.]*\) ms .*/\1/p')
	c_tr=$(printf '%s\n' "$out_c" | sed -n "s/^trawl: Enter -> the chain's thread view drawn *\([0-9.?]*\) ms .*/\1/p")
	emit chain_open "${c_tr:--}" "" "$runs" "Enter -> thread view of a 2,500-message reply chain (terminal)"
	emit cli_show_chain "${c_nm:--}" "" "$runs" "notmuch show --format=json of the chain"
else
	note "tools/bench-chain.sh failed: $(printf '%s\n' "$out_c" | tail -3)"
fi
fi # chain

if want tag; then
# tag of a thread anywhere (writes: the copy when there is one)
wcfg="$cfg"
[ -f "$d/write/notmuch-config" ] && [ -d "$d/write/db" ] && wcfg="$d/write/notmuch-config"
row=$(( threads - 1 < 5000 ? threads - 1 : 5000 ))
pos=$((row + 1))
nav=()
k=$(((pos - 1) / PAGE)) m=$(((pos - 1) % PAGE))
[ $k = 0 ] || nav+=(--step "-N $k NPage" "$(list_re $((1 + k * PAGE)))")
[ $m = 0 ] || nav+=(--step "-N $m j" "$(list_re "$pos")")
nsteps=$(( ${#nav[@]} / 3 + 3 ))
nmw() { NOTMUCH_CONFIG="$wcfg" notmuch "$@"; }
untag() { nmw tag -benchtag -- tag:benchtag; }
[ "$(nmw count tag:benchtag)" = 0 ] || untag
: >"$tmp/tag"
for ((i = 0; i < runs; i++)); do
	ok=0
	tt "$tmp/tag.json" "$wcfg" "$tmp/kl" --ready-regex "$ready_re" "${nav[@]}" \
		--step t '\n[^\n]*Tag [^\n]*:' --step '-l +benchtag' '\+benchtag\s*$' \
		--step Enter '\n[^\n]*\([^\n()]*\bbenchtag\b[^\n()]*\)' -- "$trawl" '*' && ok=1
	got=$(nmw search --output=threads tag:benchtag | wc -l)
	untag
	[ $ok = 1 ] || continue
	[ "$got" = 1 ] || { note "tag_thread: tag:benchtag is on $got threads, not 1"; continue; }
	jget "$tmp/tag.json" "step$nsteps" >>"$tmp/tag"
done
emit_file tag_thread "$tmp/tag" "Enter -> row $pos shows the tag (terminal; $( [ "$wcfg" = "$cfg" ] && echo db-N || echo the write copy))"
fi # tag

if want anchors; then
# alot's and neomutt's first screen of '*', when installed (tools/bench-anchors.sh)
"$here/bench-anchors.sh" --size "$size" --cfg "$cfg" --out "$out" --runs "$runs" --tui-time "$tui_time" \
	--threads "$threads" --messages "$(sed -n 's/^messages=//p' "$d/info")" --base "$d/frame.tsv" ||
	note "tools/bench-anchors.sh failed; no alot/neomutt figures"
fi # anchors
