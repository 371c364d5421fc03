#!/bin/sh
# layers.sh — the layer rule, as a test: which directory may include which
# library.  Each library has the one layer that wraps it; nobody else
# includes it (they go through that layer's header in include/trawl).
#
#   library                       may be included only by
#   curses (curses.h, term.h)     src/ui, src/main.c
#   the UI's own header (ui.h)    src/ui, src/main.c
#   notmuch (notmuch.h)           src/model
#   GMime (gmime/...)             src/mime, src/import (GMime's mbox parser)
#   libxml2 (libxml/...)          src/mime
#   libarchive (archive*.h)       src/import
#   json-glib (json-glib/...)     src/import
#   Xapian (xapian.h)             src/model
#
# Every (directory, library) pair is checked, so a new include in the wrong
# place fails whichever pair it breaks.  Run by `make check` (exit 0 when the
# rule holds, 1 with every offending line, 99 without a source tree), or by
# hand: sh tests/layers.sh

: "${srcdir:=$(dirname "$0")/..}"
cd "$srcdir" || exit 99
if [ ! -f src/main.c ] || [ ! -d include/trawl ]; then
	echo "layers.sh: no trawl source tree in '$srcdir'" >&2
	exit 99
fi

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
# library name | include pattern (after #include < or ") | allowed places
rules='curses|([^>"]*curses[^>"]*|([^>"]*/)?term\.h)[>"]|src/ui src/main.c
ui-header|(([^>"]*/)?ui/[^>"]*|ui\.h)[>"]|src/ui src/main.c
notmuch|([^>"]*/)?notmuch\.h[>"]|src/model
gmime|gmime/[^>"]*[>"]|src/mime src/import
libxml2|libxml/[^>"]*[>"]|src/mime
libarchive|archive(_entry)?\.h[>"]|src/import
json-glib|json-glib/[^>"]*[>"]|src/import
opendkim|(opendkim/)?dkim\.h[>"]|src/mime'

# Xapian (xapian.h, xapian/...): src/model (stem.cc, Xapian's stemmer)
rules="$rules
xapian|xapian(\\.h|/[^>\"]*)[>\"]|src/model"

places='src/main.c src/ui src/model src/mime src/core src/config src/import include/trawl'
places="$places src/export"

status=0
checked=0
old_ifs=$IFS
IFS='
'
for rule in $rules; do
	IFS=$old_ifs
	lib=${rule%%|*}
	rest=${rule#*|}
	pat=${rest%|*}
	allowed=${rest##*|}
	for p in $places; do
		[ -e "$p" ] || continue
		case " $allowed " in *" $p "*) continue ;; esac
		checked=$((checked + 1))
		found=$(grep -rnIE "$inc$pat" "$p" 2>/dev/null)
		if [ -n "$found" ]; then
			echo "FAIL: $lib included in $p (only $allowed may):"
			echo "$found" | sed 's/^/    /'
			status=1
		fi
	done
	IFS='
'
done
IFS=$old_ifs
echo "checked $checked (place, library) pairs"
[ "$checked" -ge 40 ] || { echo "FAIL: too few pairs checked ($checked): the rule table is broken"; exit 1; }
[ $status -eq 0 ] && echo "ok: every library is included only by the layer that wraps it"
exit $status
