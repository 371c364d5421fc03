#!/bin/sh
# T610-timeline: d opens the timeline of the current query (from the thread
# list and from a thread, and as :timeline): message counts per month as bars,
# newest first like the list (oldest first after o), empty months shown, the
# peak marked; - and + zoom (year, month, week, day); Enter lists a bucket's
# threads (the title shows the narrowed query, its count is notmuch count's);
# v marks a range of buckets and v again lists the whole range; a query that
# matches nothing says so; a small terminal still shows labels and counts;
# on a real corpus (when ../shared/corpora is there) every year's count is
# notmuch count's.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
last=$((UI_ROWS - 1))

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
n=0
msg() { # DATE [SUBJECT]
	n=$((n + 1))
	printf 'From: Sender %d <s%d@example.org>\nTo: Test User <test@example.org>\nSubject: %s\nDate: %s\nMessage-ID: <tl-%d@example.org>\n\nbody %d\n' \
		"$n" "$n" "${2:-message $n}" "$1" "$n" "$n" > "$src/cur/tl-$n:2,"
}
msg 'Sun, 05 Nov 2023 10:00:00 +0000'
msg 'Sun, 24 Dec 2023 09:00:00 +0000'
msg 'Sun, 31 Dec 2023 23:59:59 +0000'
msg 'Mon, 01 Jan 2024 00:00:00 +0000'
msg 'Wed, 10 Jan 2024 12:00:00 +0000'
msg 'Wed, 31 Jan 2024 18:00:00 +0000'
# February 2024: nothing.
msg 'Fri, 01 Mar 2024 00:00:00 +0000'
msg 'Sun, 31 Mar 2024 23:59:59 +0000'
msg 'Mon, 15 Apr 2024 08:00:00 +0000' 'April news'
msg 'Mon, 15 Apr 2024 09:00:00 +0000' 'April spam'
mkdb_from_dir "$src"
# search.exclude_tags has spam: neither the list nor the timeline counts it.
mkdb_notmuch tag +spam -- id:tl-10@example.org
assert_eq 9 "$(mkdb_notmuch count '*')" "messages notmuch counts"

epoch() { date -u -d "$1" +%s; }
month_term() { # YYYY-MM-01 YYYY-MM-01(next)
	echo "date:@$(epoch "$1")..@$(($(epoch "$2") - 1))"
}
title_re() { # UNITS MESSAGES ORDER
	echo "^timeline: .* to .*, $1, $2 messages, $3"
}

ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* .*9 messages'
ui_keys d
ui_wait_line 0 "$(title_re '6 months' 9 'newest first')"
assert_line 0 '2023-11-05 to 2024-04-15'
ui_wait_line 1 '^2024-04 +1 '
assert_line 2 '^2024-03 +2 █'
assert_line 3 '^2024-02 +0 *$'
assert_line 4 '^2024-01 +3 █+ ◂ peak'
assert_line 5 '^2023-12 +2 █'
assert_line 6 '^2023-11 +1 █'
assert_selected '^2024-04 '
# Bars: the peak's fills the width; 2 of 3 is two thirds of it, in eighths.
peak=$(ui_line 4 | sed 's/^2024-01 *3 //; s/ ◂ peak.*//')
two=$(ui_line 2 | sed 's/^2024-03 *2 //; s/ *$//')
pw=$(printf '%s' "$peak" | wc -m)
tw=$(printf '%s' "$two" | wc -m)
[ "$pw" -gt 40 ] || fail "the peak's bar is $pw cells"
[ $((tw * 3)) -ge $((pw * 2 - 3)) ] && [ $((tw * 3)) -le $((pw * 2 + 3)) ] ||
	fail "2 of 3 drew $tw cells beside the peak's $pw"

# Enter on March: its threads, a query notmuch counts the same.
ui_keys j
ui_wait_selected '^2024-03 '
ui_keys Enter
march=$(month_term 2024-03-01 2024-04-01)
ui_wait_line 0 "^search: $march .*\\[1/2\\] 2 messages, newest first"
assert_line "$last" '^Messages from 2024-03-01 00:00:00 to 2024-03-31 23:59:59 UTC'
assert_eq 2 "$(mkdb_notmuch count -- "$march")" "notmuch count of $march"
ui_keys q
ui_wait_line 0 '^timeline: '
assert_selected '^2024-03 '

# The empty month narrows too (to nothing).
ui_keys j
ui_wait_selected '^2024-02 '
ui_keys Enter
ui_wait_line 0 "^search: $(month_term 2024-02-01 2024-03-01) "
ui_wait_for 'No threads match'
ui_keys q
ui_wait_line 0 '^timeline: '

# Zoom out: years, the cursor on the year of its month.
ui_keys -
ui_wait_line 0 "$(title_re '2 years' 9 'newest first')"
assert_line 1 '^2024 +6 █+ ◂ peak'
assert_line 2 '^2023 +3 █'
assert_selected '^2024 '
ui_keys Left
ui_wait_for 'Already at year buckets'
# In: months, weeks (Monday to Monday, empty weeks shown), days.
ui_keys +
ui_wait_line 0 "$(title_re '6 months' 9 'newest first')"
ui_keys Right
ui_wait_line 0 "$(title_re '25 weeks' 9 'newest first')"
assert_screen '^2024-04-15 W16 +1 '
assert_screen '^2024-01-01 W01 +1 '
assert_screen '^2023-12-25 W52 +1 '
assert_screen '^2024-02-05 W06 +0$'
ui_keys +
ui_wait_line 0 "$(title_re '163 days' 9 'newest first')"
ui_keys +
ui_wait_for 'Already at day buckets'
ui_keys - -
ui_wait_line 0 "$(title_re '6 months' 9 'newest first')"

# A range: from January down to November, v at each end.
ui_keys g
ui_wait_selected '^2024-04 '
ui_keys j j j
ui_wait_selected '^2024-01 '
ui_keys v
ui_wait_line "$last" 'Range starts here'
ui_keys j j
ui_wait_selected '^2023-11 '
[ "$(ui_reverse_rows | wc -l)" -ge 1 ] || fail "no selection"
ui_keys v
range="date:@$(epoch 2023-11-01)..@$(($(epoch 2024-02-01) - 1))"
ui_wait_line 0 "^search: $range .*6 messages"
assert_eq 6 "$(mkdb_notmuch count -- "$range")" "notmuch count of $range"

# From a thread of that list: the thread's query.
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys d
ui_wait_line 0 "^timeline: $range .*3 months, 6 messages"
assert_line 1 '^2024-01 +3 '
ui_keys q q q
ui_wait_line 0 '^timeline: \* '
ui_keys q
ui_wait_line 0 '^search: \* '

# Oldest first in the list: oldest first in the timeline.
ui_keys o
ui_wait_line 0 'oldest first'
ui_keys :
ui_type 'timeline'
ui_keys Enter
ui_wait_line 0 "$(title_re '6 months' 9 'oldest first')"
ui_wait_line 1 '^2023-11 +1 '
assert_line 6 '^2024-04 +1 '
# Help lists the timeline's keys.
ui_keys ?
ui_wait_for 'zoom-in'
assert_screen 'mark-range'
ui_keys q
ui_wait_line 0 '^timeline: '
# A small terminal: labels and counts, no bars.
ui_resize 30 8
ui_wait_line 1 '^2023-11 +1'
assert_screen '^2024-01 +3'
ui_resize "$UI_COLS" "$UI_ROWS"
ui_wait_line 1 '^2023-11 +1 █'
ui_keys q q

# A narrowed query, and one that matches nothing.
ui_start -- "$TRAWL" --no-mark-read 'subject:april'
ui_wait_line 0 '^search: subject:april '
ui_keys d
ui_wait_line 0 "^timeline: subject:april .*1 month, 1 message, newest first"
ui_keys Enter
ui_wait_line 0 "^search: \\(subject:april\\) and \\($(month_term 2024-04-01 2024-05-01)\\) .*1 messages"
ui_keys Q
ui_expect_exit 0
ui_start -- "$TRAWL" --no-mark-read 'from:nobody'
ui_wait_for 'No threads match'
ui_keys d
ui_wait_for 'No messages match: from:nobody'
ui_keys Q
ui_expect_exit 0

# What it costs, counted (TRAWL_STATS): one query for the total and one
# per bucket (6 months, then 2 years); moving and zooming back cost none,
# and no thread list is made until Enter.
ui_start TRAWL_STATS="$tmp/tl.stats" -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* .*9 messages'
ui_keys d
ui_wait_line 0 "$(title_re '6 months' 9 'newest first')"
ui_keys j j j G g
ui_keys -
ui_wait_line 0 "$(title_re '2 years' 9 'newest first')"
ui_keys +
ui_wait_line 0 "$(title_re '6 months' 9 'newest first')"
ui_keys Q
ui_expect_exit 0
assert_eq 9 "$(sed -n 's/^timeline_queries //p' "$tmp/tl.stats")" "timeline count queries"
assert_eq 1 "$(sed -n 's/^lists //p' "$tmp/tl.stats")" "thread lists made"

# A tag change patches the counts (never a rebuild): the timeline of
# tag:inbox, Enter on March, +todo on a thread (no tag of the query: nothing
# recounted), then -inbox on it; q back: March and the total dropped by the
# one message retagged, as notmuch count says, and only March was recounted.
ui_start TRAWL_STATS="$tmp/tp.stats" -- "$TRAWL" --no-mark-read 'tag:inbox'
ui_wait_line 0 '^search: tag:inbox .*9 messages'
ui_keys d
ui_wait_line 0 "^timeline: tag:inbox .*6 months, 9 messages, newest first"
ui_wait_line 2 '^2024-03 +2 █'
ui_keys j
ui_wait_selected '^2024-03 '
ui_keys Enter
ui_wait_line 0 "^search: \\(tag:inbox\\) and \\($march\\) .*2 messages"
ui_keys t
ui_wait_line "$last" '^Tag thread \(\+tag -tag\): ?$'
ui_type '+todo'
ui_keys Enter
ui_wait_line "$last" '^\+todo on 1 message'
ui_keys t
ui_wait_line "$last" '^Tag thread \(\+tag -tag\): ?$'
ui_type '-inbox'
ui_keys Enter
ui_wait_line "$last" '^-inbox on 1 message'
ui_keys q
ui_wait_line 0 "^timeline: tag:inbox .*6 months, 8 messages, newest first"
ui_wait_line 2 '^2024-03 +1 █'
assert_line 1 '^2024-04 +1 '
assert_line 4 '^2024-01 +3 █+ ◂ peak'
assert_eq 1 "$(mkdb_notmuch count -- "tag:inbox and $march")" "notmuch count of March's inbox"
assert_eq 8 "$(mkdb_notmuch count -- tag:inbox)" "notmuch count of the inbox"
ui_keys Q
ui_expect_exit 0
assert_eq 1 "$(sed -n 's/^timeline_recounts //p' "$tmp/tp.stats")" "buckets recounted after the tag changes"
assert_eq 1 "$(sed -n 's/^timeline_patches_skipped //p' "$tmp/tp.stats")" "tag changes that moved no count"
# (the undo, for what follows)
mkdb_notmuch tag +inbox -todo -- "$march"

# A message dated 1970 beside 2024: months and weeks, but no 20,000 days.
src=$tmp/src2
mkdir -p "$src/cur" "$src/new" "$src/tmp"
msg 'Thu, 01 Jan 1970 00:00:00 +0000' 'Epoch'
msg 'Sat, 15 Jun 2024 10:00:00 +0000' 'Recent'
mkdb_from_dir "$src"
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* '
ui_keys d
ui_wait_line 0 "$(title_re '654 months' 2 'newest first')"
assert_line 0 '1970-01-01 to 2024-06-15'
assert_line 1 '^2024-06 +1 █+ ◂ peak'
assert_line 2 '^2024-05 +0$'
ui_keys G
ui_wait_selected '^1970-01 +1 █'
ui_keys +
ui_wait_line 0 "$(title_re '2842 weeks' 2 'newest first')"
assert_selected '^1969-12-29 W01 +1 '
ui_keys +
ui_wait_line "$last" 'No day buckets: 1970-01-01 to 2024-06-15 is more than 5000 days'
assert_line 0 "$(title_re '2842 weeks' 2 'newest first')"
ui_keys Q
ui_expect_exit 0

# A real corpus: every year's count is notmuch count's.
corpus=${TRAWL_CORPORA:+$TRAWL_CORPORA/notmuch-test}
if [ -n "$corpus" ] && [ -d "$corpus" ]; then
	mkdb_index_readonly "$corpus"
	ui_start -- "$TRAWL" --no-mark-read '*'
	ui_wait_line 0 '^search: \* '
	ui_keys d
	ui_wait_line 0 '^timeline: \* .* (months|years), [0-9]+ messages, newest first$' 30
	ui_keys -
	ui_wait_line 0 '^timeline: \* .* years, [0-9]+ messages, newest first$' 30
	total=$(ui_line 0 | sed -n 's/.* \([0-9]*\) messages, newest first$/\1/p')
	assert_eq "$(mkdb_notmuch count '*')" "$total" "the corpus's messages"
	ui_screen | sed -n '2,$p' | grep -E '^[0-9]{4} ' > "$tmp/years"
	[ -s "$tmp/years" ] || { ui_dump; fail "no year rows for the corpus"; }
	echo "# corpus $corpus: $(wc -l < "$tmp/years") years, $total messages"
	while read -r year count _; do
		c=$(mkdb_notmuch count -- "date:@$(epoch "$year-01-01")..@$(($(epoch "$((year + 1))-01-01") - 1))")
		[ "$c" = "$count" ] || { echo "FAIL: $year: timeline $count, notmuch count $c"; exit 1; }
	done < "$tmp/years" || fail "a year's count differs from notmuch count"
	ui_keys Q
	ui_expect_exit 0
else
	echo "# no real corpora (../shared/corpora): the corpus part is skipped"
fi
ui_done
