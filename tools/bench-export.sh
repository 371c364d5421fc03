#!/usr/bin/env bash
# tools/bench-export.sh -- `trawl export` beside the notmuch CLI doing the
# same reading: notmuch search --output=files Q | xargs cat (the bytes of
# every file, no writing) and notmuch show --format=mbox Q (an mbox).
#
# A benchmark, not a test: prints figures and ratios, asserts nothing.
#
#   tools/bench-export.sh [--config FILE] [--query Q] [--runs N] [--work DIR]
#                         [--trawl PATH]
#
# The database is notmuch's own (NOTMUCH_CONFIG, or --config; the corpora of
# ../shared/corpora indexed where they lie work well).  Per run (median, min
# and max of --runs, default 3), into fresh directories under DIR (default
# /tmp/trawl-bench-export, removed afterwards):
#   trawl export --format mbox|maildir|eml --quiet --to DIR/x Q
#   notmuch show --format=mbox Q > DIR/show.mbox
#   notmuch search --output=files Q | xargs cat > /dev/null
# Goal: trawl export --format mbox <= 2x notmuch show --format=mbox.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=3 work=/tmp/trawl-bench-export trawl=$repo/build/trawl query='*' config=${NOTMUCH_CONFIG:-}
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=$2; shift 2 ;;
	--query) query=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--trawl) trawl=$2; shift 2 ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-export: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$config" ] || { echo "bench-export: no notmuch config (NOTMUCH_CONFIG or --config)" >&2; exit 2; }
export NOTMUCH_CONFIG=$config
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

n=$(notmuch count -- "$query")
bytes=$(notmuch search --output=files -- "$query" | tr '\n' '\0' | du -cb --files0-from=- | tail -1 | cut -f1)
echo "query: $query -- $n messages, $((bytes / 1024)) KiB of files"

secs() { local a b; a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N); echo "scale=3; ($b - $a) / 1000000000" | bc; }
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f s (min %.3f, max %.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
declare -A t
for i in $(seq "$runs"); do
	sync
	for f in mbox maildir eml; do
		t[$f]+="$(secs "$trawl" export --config "$config" --quiet --format "$f" --to "$work/$f-$i" -- "$query")"$'\n'
		rm -rf "$work/$f-$i"
	done
	t[show]+="$(secs sh -c 'notmuch show --format=mbox -- "$1" > "$2"' sh "$query" "$work/show.mbox")"$'\n'
	rm -f "$work/show.mbox"
	t[cat]+="$(secs sh -c 'notmuch search --output=files -- "$1" | tr "\n" "\0" | xargs -0 cat > /dev/null' sh "$query")"$'\n'
done
med() { printf '%s' "${t[$1]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for k in mbox maildir eml show cat; do
	case $k in
	show) label="notmuch show --format=mbox" ;;
	cat) label="notmuch search --output=files | xargs cat" ;;
	*) label="trawl export --format $k" ;;
	esac
	m=$(med "$k")
	printf '%-44s %s  %.0f msg/s\n' "$label" "$(printf '%s' "${t[$k]}" | stats)" "$(echo "$n / $m" | bc -l)"
done
printf 'ratio trawl export mbox / notmuch show --format=mbox: %.2f (goal <= 2)\n' "$(echo "$(med mbox) / $(med show)" | bc -l)"
printf 'ratio trawl export mbox / reading the files:          %.2f\n' "$(echo "$(med mbox) / $(med cat)" | bc -l)"
