#!/bin/sh
# layers.sh — the layer rule, as a test.
#
#   src/model, src/core, src/config, src/import, src/mime, include/trawl
#                                                    no curses (curses.h,
#       ncurses*, term.h) and no UI header: libtrawl.a is linked alone by
#       the unit tests and must stay terminal-free.
#   everything but src/model                         no notmuch.h: the UI
#       and the import go through the model (trawl/model.h, trawl/index.h).
#
# Run by `make check` (automake's test-driver, $srcdir exported): exit 0 when
# the rule holds, 1 when it is broken (every offending line is printed),
# 99 when the source tree cannot be found.  Runs by hand too: sh tests/layers.sh

: "${srcdir:=$(dirname "$0")/..}"
cd "$srcdir" || exit 99
if [ ! -f src/main.c ] || [ ! -d include/trawl ]; then
	echo "layers.sh: no trawl source tree in '$srcdir'" >&2
	exit 99
fi

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
curses_re="$inc"'([^>"]*curses[^>"]*|([^>"]*/)?term\.h)[>"]'
ui_re="$inc"'(([^>"]*/)?ui/[^>"]*|ui\.h)[>"]'
notmuch_re="$inc"'([^>"]*/)?notmuch\.h[>"]'

core_dirs=
for d in src/model src/core src/config src/import src/mime include/trawl; do
	[ -d "$d" ] && core_dirs="$core_dirs $d"
done
core_dirs=${core_dirs# }
ui_paths=src/main.c
for d in src/ui src/import src/mime src/core src/config include/trawl; do
	[ -d "$d" ] && ui_paths="$ui_paths $d"
done

status=0

check () {
	# check DESCRIPTION REGEX PATH...
	what=$1 re=$2
	shift 2
	# shellcheck disable=SC2086
	found=$(grep -rnIE "$re" "$@" 2>/dev/null)
	if [ -n "$found" ]; then
		echo "FAIL: $what:"
		echo "$found" | sed 's/^/    /'
		status=1
	else
		echo "ok: $what"
	fi
}

# shellcheck disable=SC2086
check "curses included below the UI layer ($core_dirs)" "$curses_re" $core_dirs
# shellcheck disable=SC2086
check "UI header included below the UI layer ($core_dirs)" "$ui_re" $core_dirs
# shellcheck disable=SC2086
check "notmuch.h included outside the model ($ui_paths)" "$notmuch_re" $ui_paths

exit $status
