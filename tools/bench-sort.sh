#!/usr/bin/env bash
# tools/bench-sort.sh -- the size orders of the thread list (most-messages,
# most-matched, most-participants) beside `notmuch search --output=summary '*'`,
# which builds every thread as the order must.
#
# A benchmark, not a test: prints figures and ratios, asserts nothing.
#
#   tools/bench-sort.sh [--size N] [--runs N] [--work DIR] [--trawl PATH]
#
# Uses DIR/db-N (made by tools/bench.sh --sizes N; default DIR
# /tmp/trawl-bench, N 100000).  Per run, each timed by tui-time from launch:
#   trawl --sort most-messages '*': the first screen (newest first, at once),
#     then the title naming the order without "sorting" (the list re-sorted);
#   notmuch search --output=summary '*' >/dev/null.
# Goal: the order complete <= 1.5x notmuch search; the first screen as fast
# as with the default order.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
size=100000 runs=3 work=/tmp/trawl-bench trawl=$repo/build/trawl
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--trawl) trawl=$2; shift 2 ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-sort: unknown argument $1" >&2; exit 2 ;;
	esac
done
cfg=$work/db-$size/notmuch-config
[ -f "$cfg" ] || { echo "bench-sort: no $cfg (run tools/bench.sh --sizes $size first)" >&2; exit 1; }
[ -x "$trawl" ] || { echo "bench-sort: no trawl at $trawl" >&2; exit 1; }
tui_time=
for c in "$repo/../shared/tools/tui-time" /work/shared/tools/tui-time; do
	[ -x "$c" ] && { tui_time=$c; break; }
done
[ -n "$tui_time" ] || { echo "bench-sort: tui-time not found" >&2; exit 1; }
export NOTMUCH_CONFIG=$cfg

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

nm=()
for _ in $(seq "$runs"); do
	t0=$(ms_now)
	notmuch search --output=summary '*' >/dev/null
	nm+=($(( $(ms_now) - t0 )))
done
nm_med=$(printf '%s\n' "${nm[@]}" | median)
printf '%-58s %8s ms  (runs: %s)\n' "notmuch search --output=summary '*'" "$nm_med" "${nm[*]}"

for order in most-messages most-matched most-participants; do
	label=${order//-/ }
	first=() done_=()
	for _ in $(seq "$runs"); do
		out=$("$tui_time" --json --cols 160 --rows 50 --timeout 300 --env NOTMUCH_CONFIG="$cfg" \
			--ready-regex 'sorting by' --step '' ", $label\$" -- "$trawl" --read-only --sort "$order" '*')
		read -r a b < <(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); r=[x for x in d["runs"] if not x.get("warmup")][0]; print(round(r["ready"]), round(r["ready"] + r["step1"]))')
		first+=("$a")
		done_+=("$b")
	done
	f_med=$(printf '%s\n' "${first[@]}" | median)
	d_med=$(printf '%s\n' "${done_[@]}" | median)
	printf '%-58s %8s ms  (runs: %s)\n' "trawl --sort $order: first screen" "$f_med" "${first[*]}"
	printf '%-58s %8s ms  (runs: %s)\n' "trawl --sort $order: re-sorted" "$d_med" "${done_[*]}"
	awk -v a="$d_med" -v b="$nm_med" -v o="$order" 'BEGIN { if (b > 0) printf "ratio %s complete / notmuch search: %.2fx (goal <= 1.5x)\n", o, a / b }'
done
