#!/bin/sh
# T650-sort: the thread list's orders.  O cycles newest first -> oldest
# first -> most messages -> most matched -> most participants; `:sort NAME`
# and --sort NAME pick one; the title names it.  A size order is worked out
# in the background (the list shows newest first meanwhile) and then the
# list is re-sorted in place: its first rows are those of a sort of
# `notmuch search --format=json` by the same size, newest first among
# equals, and the selected thread stays selected.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
[ -x "$TRAWL_GEN_CORPUS" ] || skip "the corpus generator is not built"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
"$TRAWL_GEN_CORPUS" -o "$tmp/mail" -n 1500 --seed 4 --quiet || fail "the generator failed"
mkdb_config "$tmp/db" "$tmp/mail"
mkdb_new
threads=$(mkdb_notmuch count --output=threads '*')

stat_of() { sed -n "s/^$2 //p" "$1"; }
# expect_top QUERY KEY: the subject of the first thread of QUERY sorted by
# KEY (total, matched or authors), newest first among equals.
expect_top() {
	mkdb_notmuch search --format=json --output=summary "$1" | python3 -c '
import json, sys
key = sys.argv[1]
def size(t):
    if key == "authors":
        a = t["authors"]
        return 0 if not a else 1 + a.count("|") + a.count(", ")
    return t[key]
ts = sorted(json.load(sys.stdin), key=lambda t: (-size(t), -t["timestamp"], t["thread"]))
print(ts[0]["subject"][:30])' "$2"
}
# The regex of a subject's start (it is shown as the first thread row).
re_of() { printf '%s' "$1" | sed 's/[][\\.*^$()+?{}|]/\\&/g'; }

ui_start TRAWL_STATS="$tmp/s.stats" -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 "\\[1/$threads\\].*newest first"
ui_keys O
ui_wait_line 0 "\\[1/$threads\\].*oldest first"
ui_keys O
ui_wait_line 0 "\\[1/$threads\\].*, most messages$"
top=$(expect_top '*' total)
ui_wait_line 1 "$(re_of "$top")"
ui_keys O
ui_wait_line 0 ", most matched$"
ui_keys O
ui_wait_line 0 ", most participants$"
top=$(expect_top '*' authors)
ui_wait_line 1 "$(re_of "$top")"
ui_keys O
ui_wait_line 0 ", newest first$"
# :sort by name, and a bad name.
ui_keys :
ui_type 'sort most-messages'
ui_keys Enter
ui_wait_line 0 ", most messages$"
ui_keys :
ui_type 'sort sideways'
ui_keys Enter
ui_wait_for "No order 'sideways'"
# G reaches the last thread of the order (its length is known).
ui_keys G
ui_wait_line 0 "\\[$threads/$threads\\]"
ui_keys Q
ui_expect_exit 0
assert_eq 4 "$(stat_of "$tmp/s.stats" sort_jobs)" "size orders worked out (one per O or :sort to one)"

# --sort most-matched on a narrower query: the matched counts of that query.
q='tag:inbox and not tag:flagged'
ui_start -- "$TRAWL" --no-mark-read --sort most-matched "$q"
ui_wait_line 0 ", most matched$"
top=$(expect_top "$q" matched)
ui_wait_line 1 "$(re_of "$top")"
ui_keys Q
ui_expect_exit 0

# A bad --sort says what the orders are.
"$TRAWL" --sort sideways '*' > "$tmp/out" 2>&1 && fail "--sort sideways was accepted"
grep -q 'most-participants' "$tmp/out" || fail "the --sort error does not list the orders: $(cat "$tmp/out")"
ui_done
