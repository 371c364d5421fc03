#!/bin/sh
# T771-list-cache: the thread list's counts and the date bounds are kept
# between runs (src/model/listcache.c, $XDG_CACHE_HOME/trawl/): a second
# launch on an unchanged archive shows the right counts in the title at once
# with no count worker and no pass over the dates (TRAWL_STATS); a tag change
# by another process is counted again (the bounds stay cached); a corrupt
# cache file is a miss.  --read-only still writes the cache (it is not the
# archive).
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

mkdb_from_dir "$abs_top_srcdir/tests/fixtures/basic"
stat_of() { sed -n "s/^$2 //p" "$1"; }

# (The date bounds size the first band of notmuch's band walk: '*' read
# from Xapian's matcher (xrows.cc) needs none, so these launches take the
# band walk, TRAWL_NO_XROWS=1, but the last.)
# run NAME: a launch showing '*', its title's counts checked against
# notmuch's own, then quit; TRAWL_STATS in $tmp/NAME.stats.
run() {
	threads=$(mkdb_notmuch count --output=threads -- '*')
	msgs=$(mkdb_notmuch count --output=messages -- '*')
	ui_start TRAWL_NO_XROWS="${xrows_off-1}" TRAWL_STATS="$tmp/$1.stats" -- "$TRAWL" --read-only '*'
	ui_wait_line 0 "^\\[read-only\\] search: \\*"
	ui_wait_line 0 "\\[1/$threads\\] $msgs messages"
	ui_keys q
	ui_expect_exit 0
	[ -s "$tmp/$1.stats" ] || fail "no TRAWL_STATS file for $1"
}

# First launch: counted once in the background, the dates read once.
run first
assert_eq 1 "$(stat_of "$tmp/first.stats" count_jobs)" "count workers, first launch"
assert_eq 0 "$(stat_of "$tmp/first.stats" count_cache_hits)" "count cache hits, first launch"
assert_eq 1 "$(stat_of "$tmp/first.stats" bounds_passes)" "date bound passes, first launch"
set -- "$tmp"/.cache/trawl/lists-*
[ -f "$1" ] || fail "no cache file under \$XDG_CACHE_HOME/trawl after a --read-only launch"
cache=$1
first_threads=$threads
first_msgs=$msgs

# Second launch, nothing changed: the same counts, no worker, no pass.
run second
assert_eq "$first_threads" "$threads" "threads of an unchanged archive"
assert_eq 0 "$(stat_of "$tmp/second.stats" count_jobs)" "count workers, second launch"
assert_eq 1 "$(stat_of "$tmp/second.stats" count_cache_hits)" "count cache hits, second launch"
assert_eq 0 "$(stat_of "$tmp/second.stats" bounds_passes)" "date bound passes, second launch"
assert_eq 1 "$(stat_of "$tmp/second.stats" bounds_cache_hits)" "date bounds from the cache, second launch"

# Another process tags a message spam (an excluded tag): the counts change
# and are counted again; the messages are the same, so the bounds are not.
mkdb_notmuch tag +spam -- id:kickoff-1@example.org
run tagged
assert_eq $((first_msgs - 1)) "$msgs" "messages once one is spam"
assert_eq 1 "$(stat_of "$tmp/tagged.stats" count_jobs)" "count workers after a tag change"
assert_eq 0 "$(stat_of "$tmp/tagged.stats" bounds_passes)" "date bound passes after a tag change"

# A corrupt cache file: a miss, the right counts, no error.
printf '[cache\n\001garbage' > "$cache"
run corrupt
assert_eq 1 "$(stat_of "$tmp/corrupt.stats" count_jobs)" "count workers with a corrupt cache"
assert_eq 1 "$(stat_of "$tmp/corrupt.stats" bounds_passes)" "date bound passes with a corrupt cache"
run again
assert_eq 0 "$(stat_of "$tmp/again.stats" count_jobs)" "count workers after the cache was rewritten"

# From Xapian's matcher: no pass over the dates at all, counts from the cache.
xrows_off=0 run xapian
assert_eq 0 "$(stat_of "$tmp/xapian.stats" bounds_passes)" "date bound passes, Xapian's matcher"
assert_eq 0 "$(stat_of "$tmp/xapian.stats" count_jobs)" "count workers, Xapian's matcher"
assert_eq 1 "$(stat_of "$tmp/xapian.stats" xwalks)" "heads from Xapian's matcher"

ui_done
