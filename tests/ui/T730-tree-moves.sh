#!/bin/sh
# T730-tree-moves: moving through a thread's reply tree (tree-parent ^ <,
# tree-first-reply >, tree-next-sibling ), tree-previous-sibling (), each
# unfolding what hides the message it moves to; open-message-id (I, :) at
# a message of any thread, refusing a missing one; a 20-deep chain whose
# connectors keep their columns past the indent cap, with the depth shown
# there; the time beside the date on rows whose day is shared.  And, when
# ../shared/corpora is there, the same columns on linux-serial-2020's
# deepest thread (24 levels).
UI_ROWS=${UI_ROWS:-50}
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
sep_re() { printf '^── %s, [0-9]+%% ─+$' "$1"; }
# At message POS ("3/7") by AUTHOR: the title, the separator, the selected
# row and the message pane's From header.
at() {
	ui_wait_line 0 "^thread: .* \\[$1\\] "
	ui_wait_for "$(sep_re "$1 $2")"
	assert_selected "$2"
	assert_screen "^From: $2 <"
}
# A key typed literally (tmux reads ^ and friends as names otherwise).
key() { ui_type "$1"; }
# The tree rows: under the participants line, down to the separator.
tree() { ui_screen | awk 'NR > 2 && /^── / { exit } NR > 2 { print }'; }

# msg ID PARENT FROM DATE SUBJECT
msg() {
	{
		printf 'From: %s <%s@example.org>\nTo: List <list@example.org>\n' "$3" "${1%%@*}"
		printf 'Subject: %s\nDate: %s +0000\nMessage-ID: <%s>\n' "$5" "$4" "$1"
		[ -n "$2" ] && printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$2" "$2"
		printf '\nBody of %s.\n' "$1"
	} > "$src/cur/$1:2,"
}

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
# The tree (display order):
#   1 Rita Root    May 01 09:00
#   2 ├─Ann One    May 01 10:00   (shares May 01 with the root)
#   3 │ └─Ann Two  May 02
#   4 ├─Bob One    May 03
#   5 │ ├─Bob Two  May 04
#   6 │ └─Bob Three May 05
#   7 └─Cat One    May 06
msg root@tree '' 'Rita Root' 'Wed, 01 May 2024 09:00:00' 'Tree talk'
msg a1@tree root@tree 'Ann One' 'Wed, 01 May 2024 10:00:00' 'Re: Tree talk'
msg a2@tree a1@tree 'Ann Two' 'Thu, 02 May 2024 10:00:00' 'Re: Tree talk'
msg b1@tree root@tree 'Bob One' 'Fri, 03 May 2024 10:00:00' 'Re: Tree talk'
msg b2@tree b1@tree 'Bob Two' 'Sat, 04 May 2024 10:00:00' 'Re: Tree talk'
msg b3@tree b1@tree 'Bob Three' 'Sun, 05 May 2024 10:00:00' 'Re: Tree talk'
msg c1@tree root@tree 'Cat One' 'Mon, 06 May 2024 10:00:00' 'Re: Tree talk'
# The deep chain: d0 .. d20, one a day from Apr 01 (no day shared), with a
# later reply to d0 (side: d1 has a later sibling, so a bar at level 1 on
# every chain row) and one to d4 (fork: a bar at level 5 from d6 down).
i=0
while [ $i -le 20 ]; do
	p=''
	[ $i -gt 0 ] && p="d$((i - 1))@deep"
	s='Re: Deep chain'
	[ $i -eq 0 ] && s='Deep chain'
	msg "d$i@deep" "$p" "Deep $i" "$(printf '%02d Apr 2024 08:00:00' $((i + 1)))" "$s"
	i=$((i + 1))
done
msg fork@deep d4@deep 'Fork Five' '25 Apr 2024 08:00:00' 'Re: Deep chain'
msg side@deep d0@deep 'Side One' '26 Apr 2024 08:00:00' 'Re: Deep chain'
mkdb_from_dir "$src"
mkdir -p "$tmp/.config/trawl"
printf '[options]\npager-split = 70\n' > "$tmp/.config/trawl/config"

# ---- moves in the tree ----
ui_start -- "$TRAWL" --no-mark-read 'subject:tree'
ui_wait_line 0 '^search: subject:tree '
ui_keys Enter
at 1/7 'Rita Root'
# The date column: the time on the two rows of May 01; the other rows'
# dates padded to the same width, so the tree starts in one column.
assert_line 2 '^    May 01 09:00 Rita Root +Tree talk \(inbox unread\)$'
assert_line 3 '^    May 01 10:00 ├─Ann One +\(inbox unread\)$'
assert_line 4 '^          May 02 │ └─Ann Two +\(inbox unread\)$'
assert_line 8 '^          May 06 └─Cat One +\(inbox unread\)$'
key '>'
at 2/7 'Ann One'
key ')'
at 4/7 'Bob One'
key ')'
at 7/7 'Cat One'
key ')'
ui_wait_line "$last" 'No later reply to the same message'
at 7/7 'Cat One'
key '('
at 4/7 'Bob One'
key '>'
at 5/7 'Bob Two'
key ')'
at 6/7 'Bob Three'
key '('
at 5/7 'Bob Two'
key '('
ui_wait_line "$last" 'No earlier reply to the same message'
key '^'
at 4/7 'Bob One'
key '<'
at 1/7 'Rita Root'
key '^'
ui_wait_line "$last" 'This message replies to none in the thread'
key '('
ui_wait_line "$last" 'No earlier reply to the same message'
key '>'; key '>'
at 3/7 'Ann Two'
key '>'
ui_wait_line "$last" 'No reply to this message'
at 3/7 'Ann Two'
# Folded: moving to a hidden message unfolds its path.
key '<'; key '<'
at 1/7 'Rita Root'
ui_keys h
ui_wait_line 2 '\[\+6\] Rita Root '
assert_eq 1 "$(tree | wc -l)" "rows with the root folded"
key '>'
at 2/7 'Ann One'
assert_eq 7 "$(tree | wc -l)" "rows once the path is unfolded"
key ')'; ui_keys h
ui_wait_for '├─\[\+2\] Bob One'
key '>'
at 5/7 'Bob Two'
assert_line 6 '^          May 04 │ ├─Bob Two +\(inbox unread\)$'
ui_keys Q
ui_expect_exit 0

# ---- open-message-id ----
ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: \* '
ui_keys I
ui_wait_line "$last" '^Message-ID:'
ui_type '<d17@deep>'
ui_keys Enter
ui_wait_line 0 '^thread: Deep chain +\[18/23\] 1 matched'
at 18/23 'Deep 17'
# From the thread view, a message of another thread: that thread over it.
ui_keys :
ui_type 'open-message-id id:b2@tree'
ui_keys Enter
ui_wait_line 0 '^thread: Tree talk +\[5/7\] 1 matched'
at 5/7 'Bob Two'
ui_keys q
at 18/23 'Deep 17'
# Within the thread on screen (a bare id): the cursor moves, unfolding.
ui_keys g h
ui_wait_line 2 '\[\+22\] Deep 0 '
ui_keys :
ui_type 'open-message-id fork@deep'
ui_keys Enter
at 22/23 'Fork Five'
ui_keys q
ui_wait_line 0 '^search: \* '
# A missing one: said, nothing opened.
ui_keys I
ui_wait_line "$last" '^Message-ID:'
ui_type 'id:nope@nowhere'
ui_keys Enter
ui_wait_line "$last" 'No message with Message-ID <nope@nowhere> in the database'
ui_wait_line 0 '^search: \* '
ui_keys I
ui_wait_line "$last" '^Message-ID:'
ui_type 'two words'
ui_keys Enter
ui_wait_line "$last" 'Not a Message-ID: two words'
ui_keys Q
ui_expect_exit 0

# ---- the deep chain's columns ----
# The glyph columns (1-based, characters) of LINE, as "12:│ 20:├".
glyphs() { printf '%s\n' "$1" | sed 's/./&\n/g' | grep -n '[│├└]' | tr '\n' ' ' | sed 's/ $//'; }
ui_start -- "$TRAWL" --no-mark-read 'subject:deep'
ui_wait_line 0 '^search: subject:deep '
ui_keys Enter
at 1/23 'Deep 0'
# No day is shared: no time, the usual date width (the tree at column 12).
assert_line 2 '^    Apr 01 Deep 0 +Deep chain \(inbox unread\)$'
tree > "$tmp/tree.txt"
assert_eq 23 "$(wc -l < "$tmp/tree.txt")" "tree rows"
# Row k (1-based) is d(k-1) at depth k-1, then fork (depth 5), then side (1).
k=0
while IFS= read -r row; do
	k=$((k + 1))
	if [ $k -le 21 ]; then d=$((k - 1)); name="Deep $d"; elif [ $k -eq 22 ]; then d=5; name='Fork Five'; else d=1; name='Side One'; fi
	want=''
	[ $d -ge 2 ] && [ $k -le 22 ] && want='12:│'
	[ $d -ge 6 ] && [ $k -le 21 ] && want="$want 20:│"
	if [ $d -ge 1 ]; then
		c=$((12 + 2 * ($d > 12 ? 11 : $d - 1)))
		g='└'
		{ [ $k -eq 2 ] || [ $k -eq 6 ]; } && g='├'
		want="$want $c:$g"
	fi
	want=${want# }
	got=$(glyphs "$row")
	assert_eq "$want" "$got" "glyph columns of row $k ($name, depth $d)"
	if [ $d -gt 12 ]; then
		assert_match "$row" "└─\\[$d\\] $name " "row $k shows its depth"
	else
		assert_no_match "$row" '\[[0-9]+\]' "row $k (depth $d) shows no depth"
	fi
done < "$tmp/tree.txt"
ui_keys Q
ui_expect_exit 0

# ---- a real deep thread: linux-serial-2020 ----
if [ -z "$TRAWL_CORPORA" ] || [ ! -d "$TRAWL_CORPORA/linux-serial-2020/cur" ]; then
	echo "# SKIP part: no linux-serial-2020 corpus (../shared/corpora)"
	ui_done
fi
# "serial: 8250: ..." (May-Jun 2020), 45 messages, 24 levels deep at most.
ls=$TRAWL_CORPORA/linux-serial-2020/cur
rm -rf "$src"
mkdir -p "$src/cur" "$src/new" "$src/tmp"
for f in 1588764103.abd3f72c02c2 1588774839.33a87463b95e 1588785140.17bb1781b2e2 1588838791.f3c4fe6c324a \
	1588839607.f82ea60cfbc2 1588848828.05b4db972583 1588858218.be52b88fa67d 1588860573.59e06fec2542 \
	1588864086.820465ed86aa 1588866317.eac1810f6c40 1588866404.444a10eaa219 1588878736.37e75735d22c \
	1589073908.1ef2a7ba4a7a 1589074030.d395d56d3e0f 1589136619.798a7f0c57be 1589209104.53483526ff0f \
	1589312121.49555ae3fe68 1589380888.fb52a575b5a8 1589386432.34e73e8329b9 1589390236.e0c2f5e9a888 \
	1590152606.7e9b46a4c23f 1590154005.e00b15a19e26 1590154625.61c58a2e0cc6 1590177641.0b384f200097 \
	1590229614.1d98cbbe371a 1590246627.24e3eb5c8b88 1590248090.b5f61aaad180 1590248236.76cd8f4d8795 \
	1590252258.ad76de60bf19 1590253751.2d42a587c57a 1590262035.b9db4fa53341 1590264669.c8f9498409b7 \
	1590332066.c5eb4312d87d 1590414960.3dcc89a83a5c 1590415637.f0e7414bbaa6 1590417931.897db878bda3 \
	1590422002.325bad63738d 1590422071.d0d7e5022f55 1590424754.4c37e3164999 1590504469.f6c723251d10 \
	1590504529.ae3fd68bfe2d 1590538723.54744c4ea092 1590539012.9a63c15e973f 1591599519.39496d05b82c \
	1591660163.81352e4a44a7; do
	cp "$ls/$f.lserial:2," "$src/cur/" || fail "no $f in the corpus"
done
mkdb_from_dir "$src"
printf '[options]\npager-split = 90\n' > "$tmp/.config/trawl/config"
UI_ROWS=60
ui_start -- "$TRAWL" --no-mark-read 'id:alpine.LRH.2.02.2005060713390.25338@file01.intranet.prod.int.rdu2.redhat.com'
ui_wait_line 0 '^search: id:'
ui_keys Enter
ui_wait_line 0 '^thread: .*\[1/45\] 1 matched'
# the whole screen drawn, not only its title (tmux may show a redraw half done)
ui_wait_for '^── 1/45 '
tree > "$tmp/tree.txt"
assert_eq 45 "$(wc -l < "$tmp/tree.txt")" "tree rows of the real thread"
# Where the tree starts: the leftmost connector.
base=$(while IFS= read -r row; do glyphs "$row"; echo; done < "$tmp/tree.txt" | tr ' ' '\n' | grep -v '^$' | cut -d: -f1 | sort -n | head -1)
[ -n "$base" ] || fail "no tree glyph in the real thread"
deep=0
: > "$tmp/cols"
while IFS= read -r row; do
	for gl in $(glyphs "$row"); do
		c=${gl%%:*}
		# Every glyph on the grid of levels, none past the cap column.
		[ $(( (c - base) % 2 )) -eq 0 ] && [ "$c" -ge "$base" ] && [ "$c" -le $((base + 22)) ] ||
			fail "glyph at column $c off the level grid (base $base) in: $row"
	done
	if printf '%s\n' "$row" | grep -q '[├└]─\[[0-9]*\] '; then
		deep=$((deep + 1))
		conn=$(glyphs "$row" | tr ' ' '\n' | grep '[├└]' | cut -d: -f1)
		assert_eq $((base + 22)) "$conn" "the connector of a row past the cap, in the cap column"
		n=$(printf '%s\n' "$row" | sed 's/.*[├└]─\[\([0-9]*\)\] .*/\1/')
		[ "$n" -gt 12 ] && [ "$n" -le 24 ] || fail "depth $n shown past the cap"
	fi
	glyphs "$row" >> "$tmp/cols"
done < "$tmp/tree.txt"
[ "$deep" -gt 0 ] || fail "no row of the real thread past the indent cap"
# A bar continues down its column to the connector of a later reply: below
# every │ or ├, the same column holds │, ├ or └.
awk '
{ delete cur; n = split($0, g, " "); for (i = 1; i <= n; i++) { split(g[i], p, ":"); cur[p[1]] = p[2] } }
NR > 1 { for (c in prev) if ((prev[c] == "│" || prev[c] == "├") && !(c in cur)) { print "row " NR ": column " c " broken"; bad = 1 } }
{ delete prev; for (c in cur) prev[c] = cur[c] }
END { exit bad }' "$tmp/cols" || fail "a bar of the real thread does not reach its reply"
echo "# real thread: 45 rows, $deep past the cap, tree at column $base"
ui_keys Q
ui_expect_exit 0
ui_done
