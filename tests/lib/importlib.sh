# importlib.sh — what the import tests (tests/import/I0*.sh) share.  Sourced
# after uitest.sh (uses $tmp, $TRAWL, $NOTMUCH, fail, skip).
#
#   trawl_run ARGS...          trawl with the test's environment; sanitizer
#                              reports land in $tmp (checked by ui_done)
#   import NAME ARGS...        trawl_run import --quiet ARGS; status in $st,
#                              output in $tmp/NAME.{out,err}
#   nm ARCHIVE ARGS...         the notmuch CLI on an archive
#   shas FILE...               sha256 of each file, sorted, unique
#   stored_files ARCHIVE       every stored message file of an archive
#   stored_shas ARCHIVE        their sha256s, sorted, unique
#   run_case NAME FUNCTION     runs FUNCTION in a subshell; a failure is
#                              remembered in $failed_cases, the rest goes on
#   $MKMBOX                    the mbox writer (tests/lib/mkmbox.py)

ASAN_OPTIONS="log_path=$tmp/asan:detect_leaks=0:abort_on_error=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$tmp/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS
MKMBOX="python3 $abs_top_srcdir/tests/lib/mkmbox.py"

trawl_run() { LC_ALL=C.UTF-8 TZ=UTC HOME=$tmp "$TRAWL" "$@"; }

import() {
	_n=$1; shift
	st=0
	trawl_run import --quiet "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" || st=$?
}

nm() {
	_a=$1; shift
	env -u G_DEBUG NOTMUCH_CONFIG="$_a/notmuch-config" HOME="$tmp" "$NOTMUCH" "$@"
}

shas() { sha256sum "$@" | awk '{ print $1 }' | sort -u; }
stored_files() { find "$1/mail" -type f -path '*/cur/*' 2>/dev/null; }
stored_shas() { stored_files "$1" | xargs -r sha256sum | awk '{ print $1 }' | sort -u; }

failed_cases=
run_case() { ( "$2" ) || failed_cases="$failed_cases $1"; }

import_require_python() {
	command -v python3 >/dev/null 2>&1 || skip "python3 not found (tests/lib/mkmbox.py writes the mbox fixtures)"
}
