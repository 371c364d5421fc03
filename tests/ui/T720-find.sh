#!/bin/sh
# T720-find: / finds text in the message as it is typed (smart case), every
# hit highlighted, "N/M" on the bottom line and in the title; . and , move
# between hits and on into the next or previous message, saying so; Esc goes
# back to where the pane was.  A thread opened from a search has the
# search's words highlighted (by stem), and . reaches them.  On the
# linux-serial-2020 corpus (when present), the hits of a deep thread's
# message are counted against its text.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
body1=$tmp/body1
{
	printf 'The zebra is striped.\n'
	printf 'Zebra, ZEBRA and zebra again: zebrazebra.\n'
	printf 'Two zebras were running.\n'
	i=1; while [ $i -le 30 ]; do printf 'filler line %d\n' $i; i=$((i + 1)); done
	printf 'The last zebra.\n'
} > "$body1"
msg() {	# FILE ID IN-REPLY-TO DATE FROM BODY
	{
		printf 'From: %s\nTo: Test User <test@example.org>\nSubject: Stripes\n' "$5"
		printf 'Date: %s\nMessage-ID: <%s@example.org>\n' "$4" "$2"
		[ -n "$3" ] && printf 'In-Reply-To: <%s@example.org>\nReferences: <%s@example.org>\n' "$3" "$3"
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		cat "$6"
	} > "$src/cur/$1:2,"
}
printf 'No stripes in this one.\n' > "$tmp/body2"
printf 'A zebra here,\nand a Zebra there.\n' > "$tmp/body3"
msg m1 find-1 '' 'Mon, 10 Jun 2024 10:00:00 +0000' 'Ann Author <ann@example.org>' "$body1"
msg m2 find-2 find-1 'Tue, 11 Jun 2024 10:00:00 +0000' 'Bob Writer <bob@example.org>' "$tmp/body2"
msg m3 find-3 find-2 'Wed, 12 Jun 2024 10:00:00 +0000' 'Cat Replier <cat@example.org>' "$tmp/body3"
mkdb_from_dir "$src"

n_all=$(grep -o -i zebra "$body1" | wc -l)
assert_eq 8 "$n_all" "the fixture's count"
n_case=$(grep -o Zebra "$body1" | wc -l)
n3=$(grep -o -i zebra "$tmp/body3" | wc -l)

# The reverse-video runs of text below the title, one a line (adjacent
# cells with the same attributes make one run).
reverse_runs() {
	ui_screen_e | awk '
	function sgr(codes,   n, a, i) {
		n = split(codes, a, ";")
		if (codes == "") { rev = 0; return }
		for (i = 1; i <= n; i++) {
			if (a[i] == "" || a[i] == 0) rev = 0
			else if (a[i] == 7) rev = 1
			else if (a[i] == 27) rev = 0
			else if (a[i] == 38 || a[i] == 48) { i += (a[i+1] == 5 ? 2 : 4) }
		}
	}
	NR > 1 {
		line = $0; run = ""
		while (match(line, /\033\[[0-9;]*m/)) {
			if (rev) run = run substr(line, 1, RSTART - 1)
			else if (run != "") { print run; run = "" }
			sgr(substr(line, RSTART + 2, RLENGTH - 3))
			if (!rev && run != "") { print run; run = "" }
			line = substr(line, RSTART + RLENGTH)
		}
		if (rev) run = run line
		if (run != "") print run
	}
	NR == 1 { line = $0; while (match(line, /\033\[[0-9;]*m/)) { sgr(substr(line, RSTART + 2, RLENGTH - 3)); line = substr(line, RSTART + RLENGTH) } }'
}

open_thread() {	# QUERY
	ui_start -- "$TRAWL" --no-mark-read "$1"
	ui_wait_line 0 "^search: "
	ui_wait_line 1 'Stripes'
	ui_keys Enter
	ui_wait_line 0 '^thread: Stripes'
}

# --- / zebra: 1/8, the hits highlighted, . and , move
open_thread subject:stripes
ui_keys z
ui_wait_line 0 'full screen'
ui_keys /
ui_wait_line 29 '^Find:'
ui_type zebra
ui_wait_line 0 "full screen, find 1/$n_all\$"
ui_keys Enter
ui_wait_line 29 "^Find \"zebra\": 1/$n_all\$"
runs=$(reverse_runs | tr '\n' '|')
assert_eq 'zebra|Zebra|ZEBRA|zebra|zebrazebra|zebra|' "$runs" "the highlighted cells"
# the current hit is also bold: the first run starts with bold and reverse
ui_screen_e | grep -q "The $(printf '\033')\\[[0-9;]*m*.*zebra" || { ui_screen_e | cat -v; fail "no attribute on the hit"; }
ui_keys .
ui_wait_line 29 "^Find \"zebra\": 2/$n_all\$"
ui_wait_line 0 "find 2/$n_all\$"
ui_keys ,
ui_wait_line 29 "^Find \"zebra\": 1/$n_all\$"
# to the last hit: the pane scrolls to it
ui_keys . . . . . . .
ui_wait_line 29 "^Find \"zebra\": $n_all/$n_all\$"
assert_screen '^The last zebra\.$'
assert_line 0 '\[1/3\]'
# past the last: on into the next message that has a hit (3, not 2)
ui_keys .
ui_wait_line 29 "^search hit BOTTOM, continuing in the next message — Find \"zebra\": 1/$n3\$"
assert_line 0 '\[3/3\]'
assert_screen '^A zebra here,$'
ui_keys .
ui_wait_line 29 "^Find \"zebra\": 2/$n3\$"
ui_keys .
ui_wait_line 29 '^No more hits below \(end of the thread\)$'
assert_line 0 "\\[3/3\\].*find 2/$n3\$"
ui_keys , ,
ui_wait_line 29 "^search hit TOP, continuing in the previous message — Find \"zebra\": $n_all/$n_all\$"
assert_line 0 '\[1/3\]'
assert_screen '^The last zebra\.$'
pass "find, next and previous hits, wrapping between messages"

# --- smart case: a capital makes it exact
ui_keys /
ui_wait_line 29 '^Find:'
ui_type Zebra
ui_keys Enter
ui_wait_line 29 "^Find \"Zebra\": 1/$n_case\$"
runs=$(reverse_runs | tr '\n' '|')
assert_eq 'Zebra|' "$runs" "smart case highlights"
# not found: said, and nothing highlighted
ui_keys /
ui_type qqqq
ui_keys Enter
ui_wait_line 29 '^Not found in this message: "qqqq"'
assert_eq '' "$(reverse_runs)" "highlights with no hit"
pass "smart case, not found"

# --- Esc goes back where the pane was
ui_keys g
ui_wait_line 1 '^From: Ann Author'
ui_keys J J J
# (each J scrolls a line: wait for the third, not just any redraw)
ui_wait_line 1 '^Subject: Stripes$'
top=$(ui_line 1)
ui_keys /
ui_type 'last zeb'
ui_wait_line 28 '^The last zebra\.$'
ui_keys Escape
ui_wait_line 29 '^Find cancelled$'
assert_line 1 "^$top\$" "the pane's top after Esc"
ui_keys Q
ui_expect_exit 0
pass "Esc restores the position"

# --- the search's words: highlighted on opening, . jumps to them
open_thread 'subject:stripes zebras'
ui_keys z
ui_wait_line 0 'full screen'
runs=$(reverse_runs | tr '\n' '|')
# zebras and zebra share a stem; zebrazebra is another word
assert_eq 'zebra|Zebra|ZEBRA|zebra|zebras|' "$runs" "the search's words highlighted"
ui_keys .
ui_wait_line 29 '^Search words \(zebras\): 1/6$'
ui_keys . . . . .
ui_wait_line 29 '^Search words \(zebras\): 6/6$'
assert_screen '^The last zebra\.$'
ui_keys Q
ui_expect_exit 0
pass "the search's words"

# --- `/` is search elsewhere, s stays search in the thread view
open_thread subject:stripes
ui_keys s
ui_wait_line 29 '^Search:'
ui_keys Escape
ui_keys q
ui_wait_line 0 '^search: '
ui_keys /
ui_wait_line 29 '^Search:'
ui_keys Escape
ui_keys Q
ui_expect_exit 0
pass "/ and s"

# --- a real thread: linux-serial-2020's "suppress ready signalling" series
corpus=${TRAWL_CORPORA:-}/linux-serial-2020
if [ -z "${TRAWL_CORPORA:-}" ] || [ ! -d "$corpus/cur" ]; then
	echo "# skipping the corpus part: no linux-serial-2020 in ../shared/corpora"
	ui_done
fi
real=$tmp/real
mkdir -p "$real/cur" "$real/new" "$real/tmp"
grep -l 'suppress ready signalling' "$corpus"/cur/* | while read -r f; do cp "$f" "$real/cur/"; done
root=$(grep -l '^Subject: \[PATCH v2 0/7\] tty: add flag to suppress' "$real"/cur/* | head -1)
[ -n "$root" ] || fail "the corpus lacks the series' cover letter"
# The count as grep -o -i finds it in the body (8bit, short lines, no quotes);
# the headers the pane shows hold no "port".
n_real=$(sed '1,/^$/d' "$root" | grep -o -i port | wc -l)
assert_eq 0 "$(sed -n '/^$/q;p' "$root" | grep -c -i port)" "port in the cover letter's headers"
[ "$n_real" -gt 5 ] || fail "the cover letter has only $n_real ports"
mkdb_from_dir "$real"
mid=$(sed -n '/^$/q;p' "$root" | sed -n 's/^Message-I[Dd]: *<\(.*\)>.*/\1/p' | head -1)
[ -n "$mid" ] || fail "no Message-ID in the cover letter"
ui_start -- "$TRAWL" --no-mark-read "id:$mid"
ui_wait_line 0 "^search: "
ui_wait_line 1 'PATCH v2 0/7'
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys z
ui_wait_line 0 'full screen'
ui_keys /
ui_wait_line 29 '^Find:'
ui_type port
ui_keys Enter
ui_wait_line 29 "^Find \"port\": 1/$n_real\$"
k=1
while [ $k -lt "$n_real" ]; do ui_keys .; k=$((k + 1)); done
ui_wait_line 29 "^Find \"port\": $n_real/$n_real\$"
ui_keys .
ui_wait_line 29 '^search hit BOTTOM, continuing in the next message — Find "port": 1/[0-9]+$'
ui_keys Q
ui_expect_exit 0
pass "a real thread: $n_real hits in the cover letter, as grep counts them"

ui_done
