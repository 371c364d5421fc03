#!/bin/sh
# T410-config-reading: the config file's options for reading a thread, each
# run against the default so that ignoring the option fails.  quote-fold: 10
# folds the 14-line quote only, 0 and 14 fold nothing, 1 folds the 2-line
# quote too.  pager-split: the separator's row follows tree_rows() (the share
# of the body rows, at least 3, at most the body less 4, at most the thread's
# messages).  wrap-width: 40 gives exactly a greedy word wrap at 40 (no body
# line wider), 0 the same at the window's width less one.  mark-read: false
# keeps the unread tag, the default removes it (in the database).  [commands]
# html: a command of the user's gets the HTML on stdin, builtin is the
# built-in renderer.  [commands] open: its words, then the temporary copy's
# path as the last argument, the copy holding the decoded attachment; auto
# runs xdg-open.
# 31 rows: the participants line above the thread tree takes one.
UI_ROWS=31
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
cfgdir=$tmp/.config/trawl
cfg=$cfgdir/config
mkdir -p "$cfgdir"

# The mail: tests/fixtures/message (a long read and a reply quoting 14 and 2
# lines; an HTML-only message), tests/fixtures/attach (three attachments),
# and two made here: a thread of 20 messages, and a message with a long line.
mkdb_from_dir "$FIXTURES/message"
cp "$FIXTURES"/attach/cur/* "$tmp/mail/cur/" || fail "cannot copy the attach fixture"
chmod -R u+w "$tmp/mail"
big=20
i=1
while [ "$i" -le "$big" ]; do
	if [ "$i" -eq 1 ]; then
		subj='Big thread' refs=
	else
		subj='Re: Big thread'
		refs="In-Reply-To: <big-1@example.org>
References: <big-1@example.org>"
	fi
	{
		printf 'From: Bea Big%02d <bea%d@example.org>\n' "$i" "$i"
		printf 'To: Reader <reader@example.org>\nSubject: %s\n' "$subj"
		printf 'Date: Tue, 11 Jun 2024 %02d:%02d:00 +0000\n' $((i / 60)) $((i % 60))
		printf 'Message-ID: <big-%d@example.org>\n' "$i"
		[ -n "$refs" ] && printf '%s\n' "$refs"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
		printf 'Body of big-%d.\n' "$i"
	} | mkdb_add_message "1718400$(printf %03d "$i").$i.big"
	i=$((i + 1))
done
# One line of 48 words of 2 to 10 characters (word N: N, then x's).
words=$(awk 'BEGIN { for (i = 1; i <= 48; i++) { w = i ""; while (length(w) < 2 + (i * 5) % 9) w = w "x"; printf "%s%s", (i > 1 ? " " : ""), w } }')
mkdb_add_message 1718500001.01.wrap <<EOF
From: Wendy Wrap <wendy@example.org>
To: Reader <reader@example.org>
Subject: Wrap test
Date: Thu, 13 Jun 2024 11:00:00 +0000
Message-ID: <wrap-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

$words
Short last line.
EOF
mkdb_new
assert_eq 2 "$(mkdb_notmuch count 'subject:"Long read"')" "messages of the long read"
assert_eq "$big" "$(mkdb_notmuch count 'subject:"Big thread"')" "messages of the big thread"

# config TEXT: the user's config file is TEXT (an [options]/[commands] body);
# trawl --check-config must find nothing wrong with it.
config() {
	printf '%s\n' "$1" > "$cfg"
	_st=0
	ui_env -- "$TRAWL" --check-config > "$tmp/check.out" 2>&1 || _st=$?
	[ "$_st" -eq 0 ] || { cat "$cfg" "$tmp/check.out"; fail "--check-config rejects the config (status $_st)"; }
}
# open QUERY TITLE [ARGS...]: starts trawl on QUERY (with ARGS before it),
# opens its thread, waits for the separator.
open_thread() {
	_q=$1 _t=$2
	shift 2
	ui_start -- "$TRAWL" "$@" "$_q"
	ui_wait_line 0 '^search: '
	ui_wait_line 1 "$_t"
	ui_keys Enter
	ui_wait_line 0 "^thread: $_t "
	ui_wait_for '^── [0-9]+/[0-9]+ .*, [0-9]+% ─+$'
	# no config problem on the bottom line
	assert_no_match "$(ui_line "$last")" 'config' "the bottom line"
}
close() {
	ui_keys q
	ui_wait_line 0 '^search: '
	ui_keys q
	ui_expect_exit 0
}
# The row of the separator between the tree and the message.
sep_row() { ui_screen | grep -n -E '^── [0-9]+/[0-9]+ .*, [0-9]+% (─)+$' | sed -n '1s/:.*//p' | awk '{ print $1 - 1 }'; }
# tree_rows() of src/ui/thread_view.c: body = LINES - 2 rows, less the
# participants line; MIN (messages, MIN (MAX (3, body * split / 100),
# MAX (1, body - 4))).
tree_rows() {
	_body=$((UI_ROWS - 3))
	_want=$((_body * $1 / 100))
	[ "$_want" -lt 3 ] && _want=3
	_cap=$((_body - 4))
	[ "$_cap" -lt 1 ] && _cap=1
	[ "$_want" -gt "$_cap" ] && _want=$_cap
	[ "$_want" -gt "$2" ] && _want=$2
	echo "$_want"
}
# The lines of the message pane after its headers (the first blank line).
body_lines() {
	_s=$(sep_row)
	ui_screen | awk -v s="$_s" -v l="$last" 'NR - 1 > s && NR - 1 < l { if (b) print; else if ($0 == "") b = 1 }'
}

# ---------------------------------------------------------------------------
# quote-fold.  The reply quotes 14 lines, then 2.  Default (10): the 14 fold.
config '[options]'
open_thread id:long-2@example.org 'Long read' --no-mark-read
ui_wait_for '^My answer to the long read\.$'
assert_screen '^> \[14 quoted lines hidden; f shows them\]$'
assert_not_screen '^> quoted line [0-9]+$'
assert_screen '^> short quote one$'
assert_screen '^> short quote two$'
assert_eq 1 "$(ui_screen | grep -c 'quoted lines hidden')" "fold lines with the default quote-fold"
close

# quote-fold = 0: nothing folds, all 14 quoted lines show.
config '[options]
quote-fold = 0'
open_thread id:long-2@example.org 'Long read' --no-mark-read
ui_wait_for '^My answer to the long read\.$'
assert_not_screen 'quoted lines hidden'
i=1
while [ "$i" -le 14 ]; do
	assert_screen "^> quoted line $i\$"
	i=$((i + 1))
done
assert_screen '^> short quote one$'
close

# quote-fold = 14: "longer than 14" — the 14-line quote no longer folds.
config '[options]
quote-fold = 14'
open_thread id:long-2@example.org 'Long read' --no-mark-read
ui_wait_for '^> quoted line 14$'
assert_not_screen 'quoted lines hidden'
assert_screen '^> quoted line 1$'
close

# quote-fold = 1: the 2-line quote folds too.
config '[options]
quote-fold = 1'
open_thread id:long-2@example.org 'Long read' --no-mark-read
ui_wait_for '^My answer to the long read\.$'
assert_screen '^> \[14 quoted lines hidden; f shows them\]$'
assert_screen '^> \[2 quoted lines hidden; f shows them\]$'
assert_not_screen '^> short quote (one|two)$'
assert_not_screen '^> quoted line [0-9]+$'
# f still opens them.
ui_keys f
ui_wait_for '^> short quote two$'
assert_not_screen 'quoted lines hidden'
close

# ---------------------------------------------------------------------------
# pager-split: the separator sits below tree_rows() rows of tree.
# check_split SPLIT QUERY TITLE MESSAGES: opens the thread under that
# pager-split (empty: the default) and checks the separator's row and that
# every row above it is a tree row.
check_split() {
	if [ -n "$1" ]; then
		config "[options]
pager-split = $1"
		_split=$1
	else
		config '[options]'
		_split=33
	fi
	open_thread "$2" "$3" --no-mark-read
	_rows=$(tree_rows "$_split" "$4")
	# (row 1: the participants line)
	ui_wait_line $((2 + _rows)) '^── 1/'
	assert_eq $((2 + _rows)) "$(sep_row)" "separator row with pager-split=${1:-default}"
	# the rows above it: one tree row each (author names of the thread)
	_n=$(ui_screen | sed -n "3,$((2 + _rows))p" | grep -E -c "$5")
	assert_eq "$_rows" "$_n" "tree rows with pager-split=${1:-default}"
	# and the message below it
	assert_line $((3 + _rows)) '^From: '
	close
}
# 31 rows: 28 body rows below the participants line.  Default 33%: 9 rows;
# 60%: 16; 90%: 24 (the body less 4); 10%: at least 3.
[ "$(tree_rows 33 "$big")" -eq 9 ] && [ "$(tree_rows 60 "$big")" -eq 16 ] ||
	hard_error "this test expects UI_ROWS=31 (has $UI_ROWS)"
check_split '' 'subject:"Big thread"' 'Big thread' "$big" 'Bea Big[0-9][0-9]'
check_split 60 'subject:"Big thread"' 'Big thread' "$big" 'Bea Big[0-9][0-9]'
check_split 90 'subject:"Big thread"' 'Big thread' "$big" 'Bea Big[0-9][0-9]'
check_split 10 'subject:"Big thread"' 'Big thread' "$big" 'Bea Big[0-9][0-9]'
# A thread of 2 messages: the tree takes 2 rows, whatever the split.
check_split 60 'subject:"Long read"' 'Long read' 2 'Larry Long|Quinn Quote'

# ---------------------------------------------------------------------------
# wrap-width.  The long line must come out as a greedy word wrap at the
# width: wrap WIDTH prints what that is (then the short last line).
wrap() {
	printf '%s\n' "$words" | awk -v w="$1" '{
		line = ""
		for (i = 1; i <= NF; i++) {
			if (line == "") line = $i
			else if (length(line) + 1 + length($i) <= w) line = line " " $i
			else { print line; line = $i }
		}
		print line
	}'
	echo 'Short last line.'
}
# The body lines on the screen, the empty rows below them left out.
shown_body() { body_lines | awk 'NF { print }'; }
wrap 40 > "$tmp/expect-40"
wrap $((UI_COLS - 1)) > "$tmp/expect-default"
# The widths differ in what they give, and 40 fills a line to the column.
cmp -s "$tmp/expect-40" "$tmp/expect-default" && hard_error "the wrap text does not tell the widths apart"
awk 'length($0) == 40 { f = 1 } END { exit !f }' "$tmp/expect-40" || hard_error "no line of the wrap text fills 40 columns"
# Default (0): at the window's width, less the last column.
config '[options]'
open_thread id:wrap-1@example.org 'Wrap test' --no-mark-read
ui_wait_for '^Short last line\.$'
shown_body > "$tmp/body-default"
cmp -s "$tmp/expect-default" "$tmp/body-default" ||
	{ ui_dump; diff "$tmp/expect-default" "$tmp/body-default"; fail "the body with the default wrap-width"; }
wmax=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/body-default")
[ "$wmax" -gt 40 ] || fail "with the default wrap-width the widest body line has only $wmax columns"
close
# 40: no body line is wider than 40 columns, and no word is lost.
config '[options]
wrap-width = 40'
open_thread id:wrap-1@example.org 'Wrap test' --no-mark-read
ui_wait_for '^Short last line\.$'
shown_body > "$tmp/body-40"
wmax=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/body-40")
[ "$wmax" -le 40 ] || { ui_dump; fail "with wrap-width 40 a body line has $wmax columns"; }
cmp -s "$tmp/expect-40" "$tmp/body-40" ||
	{ ui_dump; diff "$tmp/expect-40" "$tmp/body-40"; fail "the body with wrap-width 40"; }
# The headers are not cut by it.
assert_screen '^From: Wendy Wrap <wendy@example\.org>$'
close

# ---------------------------------------------------------------------------
# mark-read.  false: showing the message leaves its unread tag.
unread() { mkdb_notmuch count "id:$1 and tag:unread"; }
assert_eq 1 "$(unread wrap-1@example.org)" "unread before showing"
config '[options]
mark-read = false'
open_thread id:wrap-1@example.org 'Wrap test'
ui_wait_for '^Short last line\.$'
# a round trip through the key loop: the draw (and any write after it) is done
ui_keys ']'
ui_wait_line "$last" 'No matching message after this one'
assert_screen 'Wendy Wrap .*\(inbox unread\)'
close
assert_eq 1 "$(unread wrap-1@example.org)" "unread after showing with mark-read = false"
# The default: the unread tag goes (in the database and in the tree).
config '[options]'
open_thread id:wrap-1@example.org 'Wrap test'
n=0
while [ "$(unread wrap-1@example.org)" != 0 ]; do
	n=$((n + 1))
	[ "$n" -lt 100 ] || { ui_dump; fail "showing the message did not remove its unread tag (default mark-read)"; }
	sleep 0.05
done
ui_wait_for 'Wendy Wrap .*\(inbox\)$'
close
assert_eq 1 "$(mkdb_notmuch count 'id:wrap-1@example.org and tag:inbox')" "inbox kept"

# ---------------------------------------------------------------------------
# [commands] html: a command of the user's gets the HTML on stdin.
cat > "$tmp/html-render.sh" <<'EOF'
#!/bin/sh
echo CUSTOM-HTML-RENDERER
cat
EOF
chmod +x "$tmp/html-render.sh"
config "[commands]
html = $tmp/html-render.sh"
open_thread id:html-1@example.org 'HTML only test' --no-mark-read
ui_wait_for '^CUSTOM-HTML-RENDERER$'
assert_screen 'shown as text by html-render\.sh'
# cat passed the markup through
assert_screen '^<h1>Visible heading</h1>$'
close
# builtin: the built-in renderer, not the command.
config '[commands]
html = builtin'
open_thread id:html-1@example.org 'HTML only test' --no-mark-read
ui_wait_for '^Visible heading$'
assert_screen 'shown as text by the built-in renderer'
assert_not_screen 'CUSTOM-HTML-RENDERER|<h1>'
close

# ---------------------------------------------------------------------------
# [commands] open: its words, then the temporary file.  A fake xdg-open first
# in PATH shows what auto would run.
mkdir -p "$tmp/bin" "$tmp/tmpdir"
cat > "$tmp/bin/xdg-open" <<EOF
#!/bin/sh
printf '%s\n' "\$@" > "$tmp/xdg-open.log"
exit 0
EOF
chmod +x "$tmp/bin/xdg-open"
cat > "$tmp/open.sh" <<EOF
#!/bin/sh
{
	printf 'argc %s\n' "\$#"
	for a in "\$@"; do printf 'arg %s\n' "\$a"; done
	for last in "\$@"; do :; done
	printf 'file %s\n' "\$last"
	printf 'cksum %s\n' "\$(cksum < "\$last")"
} > "$tmp/opened.log"
EOF
# The attachment as notmuch decodes it (part 1 is the multipart, 2 the text,
# 3 report.pdf), and as T220 spells it out.
mkdb_notmuch show --part=3 --format=raw id:att-1@example.org > "$tmp/expect-report.pdf" ||
	fail "notmuch show --part=3 failed"
printf 'JVBERi0xLjQKAAEC/v8gYmluYXJ5IHRhaWwK' | base64 -d > "$tmp/report.b64" || fail "base64 -d failed"
cmp -s "$tmp/expect-report.pdf" "$tmp/report.b64" || fail "notmuch's part 3 is not report.pdf"
want_sum=$(cksum < "$tmp/expect-report.pdf")
# open_attachment: O, the first attachment.
open_attachment() {
	ui_start PATH="$tmp/bin:$PATH" TMPDIR="$tmp/tmpdir" -- "$TRAWL" --no-mark-read id:att-1@example.org
	ui_wait_line 1 'Attachments test'
	ui_keys Enter
	ui_wait_line 0 '^thread: Attachments test '
	ui_wait_for '^\[attachment 1: report\.pdf, application/pdf, 27 bytes\]$'
	ui_keys O
	ui_wait_line "$last" '^Open attachment \(1-3\) \[1\]: ?$'
	ui_keys Enter
}
config "[commands]
open = sh '$tmp/open.sh' --view"
open_attachment
ui_wait_line "$last" '^Opened report\.pdf with sh$'
[ -s "$tmp/opened.log" ] || fail "the open command was not run"
[ -e "$tmp/xdg-open.log" ] && fail "xdg-open ran although [commands] open names a command"
assert_eq 'argc 2' "$(sed -n 1p "$tmp/opened.log")" "arguments of the open command"
assert_eq 'arg --view' "$(sed -n 2p "$tmp/opened.log")" "first argument of the open command"
opened=$(sed -n 's/^file //p' "$tmp/opened.log")
assert_eq "arg $opened" "$(sed -n 3p "$tmp/opened.log")" "the last argument"
assert_match "$opened" "^$tmp/tmpdir/.*/report\\.pdf\$" "the file given to the open command"
assert_eq "cksum $want_sum" "$(sed -n 's/^\(cksum .*\)/\1/p' "$tmp/opened.log")" "checksum of the opened file"
cmp -s "$opened" "$tmp/expect-report.pdf" || fail "the opened file differs from the decoded attachment"
close
# The default (auto): xdg-open, not the command.
rm -f "$tmp/opened.log"
config '[commands]'
open_attachment
ui_wait_line "$last" '^Opened report\.pdf with xdg-open$'
[ -e "$tmp/opened.log" ] && fail "the open command ran with open = auto"
assert_match "$(cat "$tmp/xdg-open.log")" "^$tmp/tmpdir/.*/report\\.pdf\$" "the file given to xdg-open"
close

ui_done
