#!/bin/sh
# T320-taglist: T lists every tag with its message and unread counts (counted
# in the background, checked against notmuch count); Enter searches the tag;
# q comes back.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"
mkdb_notmuch tag +legal -unread -- from:alice
mkdb_notmuch tag '+odd"tag' -- from:frank
count() { mkdb_notmuch count --exclude=false "$@"; }

ui_start -- "$TRAWL" --no-mark-read
ui_wait_line 0 '^search: tag:inbox'
ui_keys T
ui_wait_line 0 '^tags +[0-9]+ tags$'
# One row per tag, in order, with the counts notmuch gives.
row=1
for tag in $(mkdb_notmuch search --output=tags '*' | LC_ALL=C sort); do
	q="tag:\"$(printf '%s' "$tag" | sed 's/"/""/g')\""
	total=$(count "$q")
	unread=$(count "$q and tag:unread")
	ui_wait_line "$row" "^ +$total messages +$unread unread  $(printf '%s' "$tag" | sed 's/[].[*^$()+?{}|\\]/\\&/g')\$"
	row=$((row + 1))
done
assert_eq 4 $((row - 1)) "tags listed"
# Enter on legal searches it; q comes back to the list of tags.
ui_keys j
ui_wait_selected 'legal'
ui_keys Enter
ui_wait_line 0 '^search: tag:"legal" .*\[1/[0-9?]+\] 3 messages'
ui_keys q
ui_wait_line 0 '^tags '
ui_wait_selected 'legal'
# A tag with a double quote in its name is searched correctly.
ui_keys g j j
ui_wait_selected 'odd"tag'
ui_keys Enter
ui_wait_line 0 '^search: tag:"odd""tag" .* 1 messages'
ui_wait_line 1 'Release party'
ui_keys Q
ui_expect_exit 0
ui_done
