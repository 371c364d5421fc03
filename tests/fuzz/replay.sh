#!/bin/sh
# replay.sh — every input kept under tests/fuzz/regress/HARNESS/ (the seeds,
# and every input that ever broke an invariant or crashed) is run again
# through that harness, by the plain driver (tests/fuzz/replay-HARNESS,
# driver.c), in every build: with or without clang, under the sanitizers when
# the build has them.  A harness aborts on the first broken invariant.
set -u
b=${abs_top_builddir:-.}
s=${abs_top_srcdir:-$(dirname "$0")/../..}
fail=0
for h in render html text config mbox lineedit; do
	prog=$b/tests/fuzz/replay-$h
	dir=$s/tests/fuzz/regress/$h
	[ -x "$prog" ] || { echo "FAIL: $prog was not built (make check builds it)"; fail=1; continue; }
	[ -d "$dir" ] || { echo "FAIL: no $dir"; fail=1; continue; }
	n=$(ls "$dir" | wc -l)
	if "$prog" "$dir" 2>"$b/tests/fuzz/replay-$h.err"; then
		echo "ok: $h, $n inputs"
	else
		echo "FAIL: $h (status $?), the last input it ran:"
		grep '^driver: ' "$b/tests/fuzz/replay-$h.err" | tail -n 1
		grep -v '^driver: ' "$b/tests/fuzz/replay-$h.err" | head -n 40
		fail=1
	fi
done
exit $fail
