#!/bin/sh
# T630-batch: b (batch) in the thread list counts a file of terms within the
# list's query: one row per term with the messages and threads of
# `(QUERY) and (TERM)`, exactly as notmuch count gives them; comments and
# empty lines are left out; a term that is not a valid query shows notmuch's
# message on its row and the others are counted all the same; the rows come
# most messages first, o puts them in file order; Enter lists a term's
# threads within the query; terms typed at the prompt (';' between them)
# and `:batch FILE` work too, and from the thread view the thread's query
# is the one counted within.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
mkdb_notmuch tag +legal -- from:alice or from:bob
count() { mkdb_notmuch count "$@"; }
re() { printf '%s' "$1" | sed 's/[].[*^$()+?{}|\\]/\\&/g'; }

cur='not subject:lunch'
terms=$tmp/terms.txt
cat > "$terms" <<'EOF'
# people of interest
from:alice

to:test@example.org
   # an indented comment
subject:lunch
from:alice and (
tag:legal
from:nobody@nowhere
EOF
# The terms, in file order, and the valid ones' counts.
set -- from:alice to:test@example.org subject:lunch 'from:alice and (' tag:legal from:nobody@nowhere

ui_start -- "$TRAWL" --no-mark-read "$cur"
ui_wait_line 0 "^search: $cur "
ui_keys b
ui_wait_for 'Batch terms'
ui_type "@$terms"
ui_keys Enter
ui_wait_line 0 "^batch: .*terms\.txt within $cur +6 terms, by count\$"
# Every valid term's row has notmuch's counts; the bad one its message.
for t in "$@"; do
	if [ "$t" = 'from:alice and (' ]; then
		ui_wait_for "^ +error +$(re "$t")  Syntax: <expression> AND <expression>"
		continue
	fi
	m=$(count "($cur) and ($t)")
	th=$(count --output=threads "($cur) and ($t)")
	ui_wait_for "^ +$m messages +$th threads  $(re "$t")\$"
done
# By count: the message counts never grow down the rows, the error is last.
ui_screen | sed -n '2,7p' > "$tmp/rows"
awk '$2 == "messages" { if (NR > 1 && $1 > prev) exit 1; prev = $1 }' "$tmp/rows" ||
	{ ui_dump; fail "the rows are not sorted by message count"; }
assert_match "$(sed -n 6p "$tmp/rows")" '^ +error ' "the bad term's row is last"
ui_screen | grep -q 'people of interest\|indented comment' && { ui_dump; fail "a comment was taken as a term"; }

# o: file order.
ui_keys o
ui_wait_line 0 '6 terms, file order$'
row=1
for t in "$@"; do
	ui_wait_line $row "  $(re "$t")(  |\$)"
	row=$((row + 1))
done

# Enter on tag:legal lists its threads within the query.
ui_keys g j j j j
ui_wait_selected 'tag:legal'
ui_keys Enter
q="($cur) and (tag:legal)"
ui_wait_line 0 "^search: $(re "$q") .*\] $(count "$q") messages"
ui_keys q
ui_wait_line 0 '^batch: '
# Enter on the bad term says why, and stays.
ui_keys k
ui_wait_selected 'from:alice and \('
ui_keys Enter
ui_wait_line $((UI_ROWS - 1)) 'Syntax: <expression> AND <expression>'
ui_wait_line 0 '^batch: '

# Typed terms, ';' between them, empty ones left out; q back to the list.
ui_keys q
ui_wait_line 0 "^search: $cur "
ui_keys b
ui_wait_for 'Batch terms'
ui_type 'from:bob ; subject:kickoff;;'
ui_keys Enter
ui_wait_line 0 "^batch: typed terms within $cur +2 terms, by count\$"
for t in from:bob subject:kickoff; do
	ui_wait_for "^ +$(count "($cur) and ($t)") messages +$(count --output=threads "($cur) and ($t)") threads  $t\$"
done
ui_keys q

# :batch FILE; a missing file is said.
ui_keys :
ui_type "batch $tmp/none.txt"
ui_keys Enter
ui_wait_line $((UI_ROWS - 1)) 'Cannot read the batch: .*none\.txt'
ui_keys :
ui_type "batch $terms"
ui_keys Enter
ui_wait_line 0 "^batch: .*terms\.txt within $cur +6 terms"
ui_keys q

# From the thread view: within the thread's query (the list's).
ui_wait_line 0 "^search: $cur "
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys b
ui_wait_for 'Batch terms'
ui_type 'from:carol'
ui_keys Enter
ui_wait_line 0 "^batch: typed terms within $cur +1 terms"
ui_wait_for "^ +$(count "($cur) and (from:carol)") messages +1 threads  from:carol\$"
ui_keys Q
ui_expect_exit 0

# Within every message ('*'): the term alone is the query.
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* '
ui_keys b
ui_wait_for 'Batch terms'
ui_type 'to:test@example.org'
ui_keys Enter
ui_wait_for "^ +$(count to:test@example.org) messages +$(count --output=threads to:test@example.org) threads  to:test@example.org\$"
ui_keys Enter
ui_wait_line 0 '^search: to:test@example\.org '
ui_keys Q
ui_expect_exit 0

# A tag change patches the counts (never a rebuild).  Within tag:inbox:
# Enter on from:alice, +todo on a thread (named by neither the query nor a
# term: nothing recounted), then -inbox on it; q back: every term is
# recounted (the query names inbox) and has notmuch count's numbers.
mkdb_from_dir "$FIXTURES/basic"
select_term() { # TERM: the cursor onto its row, wherever the order put it
	r=$(ui_screen | grep -n " threads  $(re "$1")\$" | cut -d: -f1)
	[ -n "$r" ] || { ui_dump; fail "no row for $1"; }
	ui_keys g
	i=2
	while [ "$i" -lt "$r" ]; do ui_keys j; i=$((i + 1)); done
	ui_wait_selected "$(re "$1")"
}
ui_start TRAWL_STATS="$tmp/bp.stats" -- "$TRAWL" --no-mark-read 'tag:inbox'
ui_wait_line 0 '^search: tag:inbox '
ui_keys b
ui_wait_for 'Batch terms'
ui_type 'from:alice; from:bob; subject:kickoff'
ui_keys Enter
ui_wait_line 0 '^batch: typed terms within tag:inbox +3 terms, by count$'
for t in from:alice from:bob subject:kickoff; do
	ui_wait_for "^ +$(count "(tag:inbox) and ($t)") messages +$(count --output=threads "(tag:inbox) and ($t)") threads  $t\$"
done
before=$(count '(tag:inbox) and (from:alice)')
select_term from:alice
ui_keys Enter
ui_wait_line 0 '^search: \(tag:inbox\) and \(from:alice\) '
ui_keys t
ui_wait_line $((UI_ROWS - 1)) '^Tag thread \(\+tag -tag\): ?$'
ui_type '+todo'
ui_keys Enter
ui_wait_line $((UI_ROWS - 1)) '^\+todo on [0-9]+ message'
retagged=$(count 'tag:todo and tag:inbox')
ui_keys t
ui_wait_line $((UI_ROWS - 1)) '^Tag thread \(\+tag -tag\): ?$'
ui_type '-inbox'
ui_keys Enter
ui_wait_line $((UI_ROWS - 1)) "^-inbox on $retagged message"
ui_keys q
ui_wait_line 0 '^batch: typed terms within tag:inbox +3 terms, by count$'
for t in from:alice from:bob subject:kickoff; do
	ui_wait_for "^ +$(count "(tag:inbox) and ($t)") messages +$(count --output=threads "(tag:inbox) and ($t)") threads  $t\$"
done
after=$(count '(tag:inbox) and (from:alice)')
assert_eq "$((before - $(count 'tag:todo and from:alice')))" "$after" "from:alice dropped by its messages retagged"
ui_keys Q
ui_expect_exit 0
assert_eq 3 "$(sed -n 's/^batch_recounts //p' "$tmp/bp.stats")" "terms recounted (the query names inbox)"
assert_eq 1 "$(sed -n 's/^batch_patches_skipped //p' "$tmp/bp.stats")" "tag changes that moved no count"

# Within '*': +flagged on from:carol's thread recounts only the term that
# names flagged; the other keeps its count, uncounted again.
ui_start TRAWL_STATS="$tmp/bp2.stats" -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* '
ui_keys b
ui_wait_for 'Batch terms'
ui_type 'tag:flagged; from:carol'
ui_keys Enter
ui_wait_for "^ +$(count from:carol) messages +1 threads  from:carol\$"
ui_wait_for "^ +$(count tag:flagged) messages +[0-9]+ threads  tag:flagged\$"
select_term from:carol
ui_keys Enter
ui_wait_line 0 '^search: from:carol '
ui_keys t
ui_wait_line $((UI_ROWS - 1)) '^Tag thread \(\+tag -tag\): ?$'
ui_type '+flagged'
ui_keys Enter
ui_wait_line $((UI_ROWS - 1)) '^\+flagged on [0-9]+ message'
ui_keys q
ui_wait_line 0 '^batch: typed terms within \* +2 terms, by count$'
ui_wait_for "^ +$(count tag:flagged) messages +$(count --output=threads tag:flagged) threads  tag:flagged\$"
ui_wait_for "^ +$(count from:carol) messages +1 threads  from:carol\$"
ui_keys Q
ui_expect_exit 0
assert_eq 1 "$(sed -n 's/^batch_recounts //p' "$tmp/bp2.stats")" "terms recounted (the one naming flagged)"
assert_eq 0 "$(sed -n 's/^batch_patches_skipped //p' "$tmp/bp2.stats")" "tag changes skipped"
ui_done
