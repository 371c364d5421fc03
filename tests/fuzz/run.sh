#!/bin/sh
# run.sh smoke|long — runs each libFuzzer harness (tests/fuzz/fuzz-HARNESS,
# built by configure --enable-fuzzing) for a fixed time: `make fuzz-smoke`
# (FUZZ_TIME, 10 s each: CI runs it, in tools/quickstart test) and `make fuzz`
# (3600 s each).  Each harness works in
# tests/fuzz/out/HARNESS/corpus of the build tree (a copy of
# tests/fuzz/regress/HARNESS, kept between runs, so long runs build on each
# other), also reading seeds: the project's fixtures and, when present,
# ../shared/corpora (TRAWL_CORPORA).  A crash or broken invariant leaves its
# input in tests/fuzz/out/HARNESS/ (crash-*, leak-*, timeout-*, oom-*):
# fix the bug, then keep the input in tests/fuzz/regress/HARNESS/ so make
# check replays it forever.  FUZZ_HARNESSES="render text" picks harnesses.
set -u
mode=${1:-smoke}
b=${abs_top_builddir:-.}
s=${abs_top_srcdir:-$(dirname "$0")/../..}
case $mode in
smoke) time=${FUZZ_TIME:-10} ;;
long) time=${FUZZ_TIME:-3600} ;;
*) echo "usage: $0 smoke|long" >&2; exit 2 ;;
esac
corpora=${TRAWL_CORPORA:-$s/../shared/corpora}
[ -d "$corpora" ] || corpora=
fail=0
start=$(date +%s)
for h in ${FUZZ_HARNESSES:-render html text config mbox lineedit}; do
	prog=$b/tests/fuzz/fuzz-$h
	[ -x "$prog" ] || { echo "FAIL: $prog not built (configure --enable-fuzzing, then make)"; fail=1; continue; }
	out=$b/tests/fuzz/out/$h
	mkdir -p "$out/corpus"
	cp "$s/tests/fuzz/regress/$h"/* "$out/corpus/"
	# Seeds (read, never written), and the longest input each harness makes.
	seeds=
	maxlen=4096
	case $h in
	render)
		maxlen=65536
		seeds="$s/tests/render $s/tests/fixtures"
		if [ -n "$corpora" ]; then
			if [ "$mode" = smoke ]; then
				for c in notmuch-test odd; do
					[ -d "$corpora/$c" ] && seeds="$seeds $corpora/$c"
				done
			else
				seeds="$seeds $corpora"
			fi
		fi ;;
	html) maxlen=16384 ;;
	text) seeds="$s/tests/render" ;;
	config) maxlen=16384; seeds="$s/src/config" ;;
	mbox) maxlen=16384 ;;
	lineedit) ;;	# keys: its own seeds only
	esac
	t0=$(date +%s)
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$prog" -max_total_time="$time" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/" \
		"$out/corpus" $seeds >"$out/log" 2>&1
	st=$?
	t1=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
	if [ $st -eq 0 ]; then
		echo "ok: $h, $((t1 - t0)) s, ${execs:-?} runs, corpus $(ls "$out/corpus" | wc -l) (log: $out/log)"
	else
		echo "FAIL: $h (status $st) after $((t1 - t0)) s; log: $out/log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|artifact_prefix|Test unit written)' "$out/log" | head -n 10
		echo "  fix it, then keep the input: cp $out/crash-... $s/tests/fuzz/regress/$h/"
		fail=1
	fi
done
echo "fuzz $mode: $(( $(date +%s) - start )) s in all"
exit $fail
