# tools/bench-lib.sh -- what tools/bench-frame.sh and tools/bench-anchors.sh
# share: messages, a figure's line (emit), median/p99 (stats) and tui-time's
# per-run values (jget).  Sourced; the caller sets prog, and size and out
# before it emits.

die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

# emit NAME MEDIAN [P99 N NOTE]: a figure, into $out (TSV) and on stderr
emit() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$1" "$2" "${3:-}" "${4:-}" "${5:-}" >>"$out"
	printf '  %-14s %10s  p99 %-8s n=%-5s %s\n' "$1" "$2" "${3:--}" "${4:-}" "${5:-}" >&2; }

# stats FILE: median p99 n of the numbers in FILE (one a line)
stats() { python3 - "$1" <<'EOF'
import sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
if not v:
    print('- - 0'); sys.exit()
def q(p):
    return v[min(len(v) - 1, max(0, int(round(p * (len(v) - 1)))))]
m = (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2
print('%.1f %.1f %d' % (m, q(0.99), len(v)))
EOF
}

jget() {	# FILE.json KEY: one value per measured run (tui-time's warm-ups left out)
	python3 - "$@" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))['runs']:
    if not r.get('warmup') and r.get(sys.argv[2]) is not None:
        print(r[sys.argv[2]])
EOF
}
