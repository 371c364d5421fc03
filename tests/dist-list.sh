#!/bin/sh
# dist-list: every source file the repository tracks reaches the release
# tarball (make dist, which CI's distcheck builds from): each tracked file
# under include/, src/, tools/ and tests/lib/ is named in Makefile.am.  A
# header left out builds here and breaks only the tarball's build.
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$srcdir" || exit 1
if ! command -v git >/dev/null 2>&1 || ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "SKIP: not a git checkout (a tarball has what it has)"
	exit 77
fi
missing=
for f in $(git ls-files include src tools tests/lib); do
	grep -qF "$f" Makefile.am && continue
	# files of a directory the tarball takes whole
	case $f in
	src/config/defaults.conf) ;;
	*) missing="$missing $f" ;;
	esac
done
if [ -n "$missing" ]; then
	echo "FAIL: tracked but not in Makefile.am (so not in the tarball):"
	for f in $missing; do echo "  $f"; done
	exit 1
fi
echo "ok - every tracked source file is in Makefile.am"
