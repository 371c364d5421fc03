#!/bin/sh
# T520-laziness: what keys cost, counted by the model (TRAWL_STATS=FILE
# writes its operation counts at exit), never timed:
#  - G shows the last screen after building about one screen of summaries;
#  - --sort oldest-first makes one list and one background count;
#  - a tag change far down the list builds no summary, and mark-read while
#    reading a thread builds none either (rows are patched, not rebuilt);
#  - a --read-only reading session never asks for a write.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
[ -x "$TRAWL_GEN_CORPUS" ] || skip "the corpus generator is not built"
"$TRAWL_GEN_CORPUS" -o "$tmp/mail" -n 2000 --seed 11 --quiet || fail "the generator failed"
mkdb_config "$tmp/db" "$tmp/mail"
mkdb_new
last=$((UI_ROWS - 1))
threads=$(mkdb_notmuch count --output=threads '*')

stat_of() { sed -n "s/^$2 //p" "$1"; }

# --- G: about a screen of summaries, not the list
ui_start TRAWL_STATS="$tmp/g.stats" -- "$TRAWL" '*'
ui_wait_line 0 "\\[1/$threads\\]"
ui_keys G
ui_wait_line 0 "\\[$threads/$threads\\]"
ui_keys q
ui_expect_exit 0
built=$(stat_of "$tmp/g.stats" rows_built)
[ "$built" -le $((4 * UI_ROWS)) ] || fail "G built $built summaries for a $UI_ROWS-row screen ($threads threads)"
assert_eq 1 "$(stat_of "$tmp/g.stats" lists)" "lists made"

# --- oldest first: built once
ui_start TRAWL_STATS="$tmp/o.stats" -- "$TRAWL" --sort oldest-first '*'
ui_wait_line 0 "oldest first"
ui_wait_line 0 "\\[1/$threads\\]"
ui_keys q
ui_expect_exit 0
assert_eq 1 "$(stat_of "$tmp/o.stats" lists)" "lists made for --sort oldest-first"
# The counts of '*' came from the list cache of the launch before (the sort
# is not in its key): no background count at all.
assert_eq 0 "$(stat_of "$tmp/o.stats" count_jobs)" "background counts for --sort oldest-first"
assert_eq 1 "$(stat_of "$tmp/o.stats" count_cache_hits)" "cached counts for --sort oldest-first"

# --- a tag change far down: the same session with and without it
far_down() { # STATS-FILE [KEYS-AFTER...]
	_f=$1; shift
	ui_start TRAWL_STATS="$_f" -- "$TRAWL" '*'
	ui_wait_line 0 "\\[1/$threads\\]"
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12; do ui_keys PgDn; done
	ui_wait_line 0 "\\[$((12 * (UI_ROWS - 2) + 1))/"
	if [ $# -gt 0 ]; then
		ui_keys t
		ui_wait_line "$last" '^Tag thread'
		ui_type '+far'
		ui_keys Enter
		ui_wait_line "$last" '\+far on [0-9]+ message'
		assert_screen 'far'
	fi
	ui_keys q
	ui_expect_exit 0
}
far_down "$tmp/plain.stats"
far_down "$tmp/tagged.stats" tag
plain=$(stat_of "$tmp/plain.stats" rows_built)
tagged=$(stat_of "$tmp/tagged.stats" rows_built)
[ "$tagged" -le "$plain" ] || fail "a tag change at row $((12 * (UI_ROWS - 2) + 1)) built $((tagged - plain)) summaries"
assert_eq 1 "$(stat_of "$tmp/tagged.stats" writes)" "writes"
assert_eq 1 "$(stat_of "$tmp/tagged.stats" lists)" "lists made around a tag change"
assert_eq 1 "$(mkdb_notmuch count --output=threads tag:far)" "threads tagged far"

# --- mark-read while reading: no summary rebuilt, one write per message
big=$(mkdb_notmuch search --output=threads --sort=newest-first '*' | head -40 | while read -r t; do
	printf '%s %s\n' "$(mkdb_notmuch count "$t")" "$t"; done | sort -rn | head -1 | cut -d' ' -f2)
n_big=$(mkdb_notmuch count "$big")
[ "$n_big" -ge 4 ] || skip "no thread of 4 messages among the first 40"
reading() { # STATS-FILE [ARGS...]
	_f=$1; shift
	ui_start TRAWL_STATS="$_f" -- "$TRAWL" "$@" "$big"
	ui_wait_line 1 '[0-9]'
	ui_keys Enter
	ui_wait_line 0 "^(\\[read-only\\] )?thread: .*\\[[0-9]+/$n_big\\]"
	ui_wait_for '^From: '
	_k=$(ui_line 0 | sed -n "s/.*\\[\\([0-9]*\\)\\/$n_big\\].*/\\1/p")
	for _i in 1 2 3; do	# one at a time: a message passed over unseen stays unread
		_k=$((_k + 1))
		ui_keys n
		ui_wait_line 0 "^(\\[read-only\\] )?thread: .*\\[$_k/$n_big\\]"
		ui_wait_for '^From: '
	done
	ui_keys q
	ui_wait_line 0 '^(\[read-only\] )?search: '
	ui_keys q
	ui_expect_exit 0
}
reading "$tmp/noread.stats" --no-mark-read
reading "$tmp/read.stats"
assert_eq "$(stat_of "$tmp/noread.stats" rows_built)" "$(stat_of "$tmp/read.stats" rows_built)" \
	"summaries built while marking read"
assert_eq 4 "$(stat_of "$tmp/read.stats" writes)" "mark-read writes"
assert_eq 1 "$(stat_of "$tmp/read.stats" lists)" "lists made while reading"

# --- --read-only never asks for a write
reading "$tmp/ro.stats" --read-only
assert_eq 0 "$(stat_of "$tmp/ro.stats" write_attempts)" "writes asked for under --read-only"
ui_done
