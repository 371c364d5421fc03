#!/usr/bin/env bash
# tools/bench-chain.sh -- a deep reply chain opened by trawl beside
# `notmuch show` of the same thread (issue 11: an 8,000-deep In-Reply-To chain
# opened in 28 s before the tree code became O(n)).
#
# A benchmark, not a test: prints figures and the ratio, asserts nothing.
#
#   tools/bench-chain.sh [--depth N] [--runs N] [--work DIR] [--trawl PATH]
#
# Builds DIR/chain-N/ once: a maildir of N messages, each replying to the one
# before (In-Reply-To and References naming only the parent, as many mailers
# write a long chain), indexed by notmuch new.  Then, --runs times each:
#   notmuch show --format=json thread:T >/dev/null
#   trawl thread:T (one row) -> Enter -> the thread view drawn, timed by
#   tui-time (../shared/tools/tui-time) from the key to the title showing
#   "[1/N]"
# and prints the medians and trawl's time as a ratio of notmuch show's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
depth=8000 runs=3 work=/tmp/trawl-bench trawl=$repo/build/trawl
while [ $# -gt 0 ]; do
	case $1 in
	--depth) depth=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--trawl) trawl=$2; shift 2 ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-chain: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -x "$trawl" ] || { echo "bench-chain: no trawl at $trawl (build first, or --trawl)" >&2; exit 1; }
tui_time=
for c in "$repo/../shared/tools/tui-time" /work/shared/tools/tui-time; do
	[ -x "$c" ] && { tui_time=$c; break; }
done
[ -n "$tui_time" ] || { echo "bench-chain: tui-time not found" >&2; exit 1; }

dir=$work/chain-$depth
cfg=$dir/notmuch-config
if [ ! -f "$dir/.complete" ]; then
	rm -rf "$dir"
	mkdir -p "$dir/mail/cur" "$dir/mail/new" "$dir/mail/tmp" "$dir/db"
	python3 - "$dir/mail/cur" "$depth" <<'EOF'
import sys
out, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    parent = "" if i == 0 else "In-Reply-To: <c%d@chain.example>\nReferences: <c%d@chain.example>\n" % (i - 1, i - 1)
    with open("%s/c%06d:2," % (out, i), "w") as f:
        f.write("From: Person %d <p%d@chain.example>\nTo: list@chain.example\n"
                "Subject: Re: the long chain\nDate: Mon, 1 Jan 2024 %02d:%02d:%02d +0000\n"
                "Message-ID: <c%d@chain.example>\n%s\nreply %d\n"
                % (i % 50, i % 50, (i // 3600) % 24, (i // 60) % 60, i % 60, i, parent, i))
EOF
	cat >"$cfg" <<EOF
[database]
path=$dir/db
mail_root=$dir/mail
[new]
tags=unread
[maildir]
synchronize_flags=false
EOF
	NOTMUCH_CONFIG=$cfg notmuch new --quiet
	touch "$dir/.complete"
fi
export NOTMUCH_CONFIG=$cfg
tid=$(notmuch search --output=threads id:c0@chain.example)
total=$(notmuch count --output=messages "$tid")
echo "chain of $total messages, $tid"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

nm=()
for _ in $(seq "$runs"); do
	t0=$(date +%s%N)
	notmuch show --format=json "$tid" >/dev/null
	nm+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
nm_med=$(printf '%s\n' "${nm[@]}" | median)

tr=()
for _ in $(seq "$runs"); do
	out=$("$tui_time" --json --cols 120 --rows 40 --timeout 300 --env NOTMUCH_CONFIG="$cfg" \
		--ready-regex 'the long chain' --step Enter "\\[1/$total\\]" -- "$trawl" --read-only "$tid")
	ms=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); r=[x for x in d["runs"] if not x.get("warmup")][0]; print(round(r["step1"]))' 2>/dev/null || echo "?")
	tr+=("$ms")
done
tr_med=$(printf '%s\n' "${tr[@]}" | median)
printf '%-48s %8s ms  (runs: %s)\n' "notmuch show --format=json of the chain" "$nm_med" "${nm[*]}"
printf '%-48s %8s ms  (runs: %s)\n' "trawl: Enter -> the chain's thread view drawn" "$tr_med" "${tr[*]}"
awk -v a="$tr_med" -v b="$nm_med" 'BEGIN { if (b > 0) printf "ratio trawl / notmuch show: %.2fx (goal: < 1)\n", a / b }'
