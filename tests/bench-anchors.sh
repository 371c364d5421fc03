#!/bin/sh
# bench-anchors.sh -- tools/bench-anchors.sh (alot's and neomutt's first
# screen beside trawl's, tools/bench.sh --size) on a small real notmuch
# database, with stand-in programs (BENCH_ALOT, BENCH_NEOMUTT) that draw a
# known screen, so neither need be installed:
#   absent programs: the figures say "not installed", exit status 0;
#   a whole first screen (alot: 49 rows and "[0: search]"; neomutt: the help
#   line, rows 1-47 and the status bar with [Msgs:N) is timed: a number,
#   n = --runs, the VmHWM beside it, the ratio to trawl's first screen;
#   a screen one row short never is: "> CAP s cap" once the cap passed.
set -u
s=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
command -v notmuch >/dev/null 2>&1 || skip "notmuch not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trawl-bench-anchors.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mail/cur" "$tmp/mail/new" "$tmp/mail/tmp" "$tmp/db"
i=1
while [ $i -le 60 ]; do
	printf 'From: W%s <w%s@example.org>\nTo: t@example.org\nSubject: Anchor %s\nDate: Mon, 01 Jul 2024 10:%02d:00 +0000\nMessage-ID: <anchor-%s@example.org>\n\nbody\n' \
		$i $i $i $((i % 60)) $i >"$tmp/mail/cur/a$i:2,"
	i=$((i + 1))
done
cfg=$tmp/notmuch-config
printf '[database]\npath=%s/db\nmail_root=%s/mail\n[new]\ntags=inbox;\n[maildir]\nsynchronize_flags=false\n' "$tmp" "$tmp" >"$cfg"
NOTMUCH_CONFIG=$cfg notmuch new --quiet >/dev/null 2>&1 || fail "notmuch new"
rev0=$(NOTMUCH_CONFIG=$cfg notmuch count --lastmod '*' | cut -f3)
bench=$s/tools/bench-anchors.sh

# absent: "not installed", nothing else
BENCH_ALOT=$tmp/no-alot BENCH_NEOMUTT=$tmp/no-neomutt "$bench" --size 60 --cfg "$cfg" --out "$tmp/absent.tsv" \
	--runs 1 2>"$tmp/absent.err" || fail "exit status $? with the anchors absent: $(cat "$tmp/absent.err")"
want=$(printf '60\t%s\t-\t\t0\tnot installed\n' anchor_alot rss_alot anchor_neomutt rss_neomutt)
[ "$(cat "$tmp/absent.tsv")" = "$want" ] || fail "absent anchors: got '$(cat "$tmp/absent.tsv")'"
echo "ok - absent anchors: not installed"

tt=${TUI_TIME:-}
for c in "$s/../shared/tools/tui-time" /work/shared/tools/tui-time; do
	[ -n "$tt" ] || { [ -x "$c" ] && tt=$c; }
done
[ -n "$tt" ] || skip "tui-time not found (../shared/tools/tui-time; set TUI_TIME): the timed cases need it"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed: the timed cases need it"

# stand-ins: ROWS rows of a first screen, then the status bar, then wait
cat >"$tmp/fake-alot" <<'EOF'
#!/bin/sh
i=1; while [ $i -le ${FAKE_ROWS:-49} ]; do printf '  Jul 2024 (1)   inbox W%s Anchor %s\n' $i $i; i=$((i + 1)); done
printf '[0: search] for "*"'
exec sleep 60
EOF
cat >"$tmp/fake-neomutt" <<'EOF'
#!/bin/sh
printf 'q:Quit  d:Del\n'
i=1; while [ $i -le 47 ]; do printf '%4d N   Jul 01 W%-14s (0.1K) Anchor %s\n' $i $i $i; i=$((i + 1)); done
printf -- '---NeoMutt: bench [Msgs:60 New:60 1K]---'
exec sleep 60
EOF
chmod +x "$tmp/fake-alot" "$tmp/fake-neomutt"
printf '60\tfirst\t50.0\t60.0\t5\tlaunch\n' >"$tmp/base.tsv"
BENCH_ALOT=$tmp/fake-alot BENCH_NEOMUTT=$tmp/fake-neomutt TUI_TIME=$tt "$bench" --size 60 --cfg "$cfg" \
	--out "$tmp/drawn.tsv" --runs 2 --base "$tmp/base.tsv" 2>"$tmp/drawn.err" ||
	fail "exit status $? with the stand-ins: $(cat "$tmp/drawn.err")"
for a in alot neomutt; do
	awk -F'\t' -v f="anchor_$a" '$2 == f && $3 ~ /^[0-9]+\.[0-9]$/ && $3 > 0 && $3 < 10000 && $5 == 2 { ok = 1 } END { exit !ok }' \
		"$tmp/drawn.tsv" || fail "$a's first screen not timed: $(cat "$tmp/drawn.tsv") $(cat "$tmp/drawn.err")"
	awk -F'\t' -v f="rss_$a" '$2 == f && $3 > 0 && $5 == 2 { ok = 1 } END { exit !ok }' "$tmp/drawn.tsv" ||
		fail "no VmHWM for $a: $(cat "$tmp/drawn.tsv")"
	grep -q "^bench-anchors.sh: $a first screen [0-9.]* ms = [0-9.]*x trawl's first screen (50.0 ms)\$" "$tmp/drawn.err" ||
		fail "no ratio to trawl's first screen for $a: $(cat "$tmp/drawn.err")"
done
echo "ok - whole first screens timed, with VmHWM and the ratio to trawl's"

# one row short: never ready; the cap stops it and says so
FAKE_ROWS=48 BENCH_ANCHOR_CAP=2 BENCH_ALOT=$tmp/fake-alot BENCH_NEOMUTT=$tmp/no-neomutt TUI_TIME=$tt "$bench" \
	--size 60 --cfg "$cfg" --out "$tmp/cap.tsv" --runs 3 2>"$tmp/cap.err" ||
	fail "exit status $? at the cap: $(cat "$tmp/cap.err")"
want=$(printf '60\tanchor_alot\t-\t\t0\t> 2 s cap\n60\trss_alot\t-\t\t0\t> 2 s cap\n60\tanchor_neomutt\t-\t\t0\tnot installed\n60\trss_neomutt\t-\t\t0\tnot installed\n')
[ "$(cat "$tmp/cap.tsv")" = "$want" ] || fail "a screen one row short: got '$(cat "$tmp/cap.tsv")'"
echo "ok - a screen one row short is never ready: > cap"

[ "$(NOTMUCH_CONFIG=$cfg notmuch count --lastmod '*' | cut -f3)" = "$rev0" ] || fail "the database was written"
echo "ok - the database is not written"
