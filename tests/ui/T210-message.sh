#!/bin/sh
# T210-message: the message pane of the thread view (tests/fixtures/message).
# Headers and body; a quote longer than 10 lines folds into one line that f
# opens and closes; the signature stands apart; Space/PgDn page through a
# long message (the separator's percentage grows) and then go on to the next
# message; PgUp, C-d, C-u, J, K scroll; Enter/z full screen and back; H every
# header; R the raw source and back; a switches a multipart/alternative from
# plain text to HTML rendered as text; an HTML-only message is rendered as
# text without scripts and without fetching its remote image; escape
# sequences, C1 and bidi controls in a body are shown visibly and never reach
# the terminal; a message whose file is gone gives a [!] line, not a crash.
# 31 rows: the participants line above the tree takes one, and the pane has
# the 25 rows these figures were made for.
UI_ROWS=31
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
esc=$(printf '\033')
mkdb_from_dir "$FIXTURES/message"

# open QUERY TITLE: starts trawl on QUERY and opens its (only) thread.
open_thread() {
	ui_start -- "$TRAWL" --no-mark-read "$1"
	ui_wait_line 0 "^search: "
	ui_wait_line 1 "$2"
	ui_keys Enter
	ui_wait_line 0 "^thread: $2 "
}
# The separator's percentage.
pct() { ui_screen | sed -n 's/^── [0-9]*\/[0-9]* .*, \([0-9]*\)% ─*$/\1/p'; }
# close: q to the list, q to quit.
close() {
	ui_keys q
	ui_wait_line 0 '^search: '
	ui_keys q
	ui_expect_exit 0
}

# ---------------------------------------------------------------------------
# A long message (80 numbered lines) and a reply quoting 14 lines of it.
open_thread subject:long 'Long read'
ui_wait_line 0 '^thread: Long read +\[1/2\] 2 matched$'
# The participants, two tree rows, the separator on row 4, the message from row 5.
ui_wait_line 4 '^── 1/2 Larry Long, 29% ─+$'
assert_line 5 '^From: Larry Long <larry@example.org>$'
assert_line 6 '^To: Reader <reader@example.org>$'
assert_line 7 '^Cc: Archive <archive@example.org>$'
assert_line 8 '^Date: Mon, 10 Jun 2024 09:00 \+0000$'
assert_line 9 '^Subject: Long read$'
assert_line 10 '^$'
assert_line 11 '^Line 01 of the long message\.$'
assert_not_screen 'Message-ID:|X-Mailer:'
assert_not_screen 'Line 80'
p0=$(pct)

# Space pages down: the first line shown moves by a page less one line, the
# percentage grows; at the end, Space goes on to the next message.
ui_keys Space
ui_wait_line 5 '^Line 19 of the long message\.$'
p1=$(pct)
[ "$p1" -gt "$p0" ] || { ui_dump; fail "percentage did not grow on Space: $p0 -> $p1"; }
assert_line 0 '\[1/2\]'
ui_keys PgDn
ui_wait_line 5 '^Line 43 of the long message\.$'
p2=$(pct)
[ "$p2" -gt "$p1" ] || { ui_dump; fail "percentage did not grow on PgDn: $p1 -> $p2"; }
# One line at a time.
ui_keys J
ui_wait_line 5 '^Line 44 of the long message\.$'
ui_keys K K
ui_wait_line 5 '^Line 42 of the long message\.$'
# Half a page.
ui_keys C-u
ui_wait_line 5 '^Line 30 of the long message\.$'
ui_keys C-d
ui_wait_line 5 '^Line 42 of the long message\.$'
# PgUp back to the top.
ui_keys PgUp
ui_wait_line 5 '^Line 18 of the long message\.$'
ui_keys PgUp PgUp
ui_wait_line 5 '^From: Larry Long'
assert_line 4 '── 1/2 Larry Long, 29% '
# To the end: the last line shows, at 100%.
ui_keys Space Space Space
ui_wait_line 4 '^── 1/2 Larry Long, 100% ─+$'
ui_wait_line "$((last - 1))" '^Line 80 of the long message\.$'
assert_line 0 '\[1/2\]'
# One more Space: the next message, from its top.
ui_keys Space
ui_wait_line 0 '^thread: Long read +\[2/2\] 2 matched$'
ui_wait_line 4 '^── 2/2 Quinn Quote, 100% ─+$'
assert_line 5 '^From: Quinn Quote <quinn@example.org>$'

# The reply: the 14-line quote is folded into one line; short quotes stay.
assert_screen '^Larry wrote:$'
assert_screen '^> \[14 quoted lines hidden; f shows them\]$'
assert_not_screen 'quoted line [0-9]'
assert_screen '^> short quote one$'
assert_screen '^> short quote two$'
assert_screen '^My answer to the long read\.$'
# The signature: the "-- " line and what follows, set apart (an attribute
# the body text does not have).
assert_screen '^--$'
ui_screen_e | grep -q "^$esc\\[[0-9;]*mQuinn Quote" ||
	{ ui_screen_e | cat -v; fail "the signature is drawn like body text"; }
ui_screen_e | grep -q '^Thanks\.$' ||
	{ ui_screen_e | cat -v; fail "the body line before the signature has an attribute"; }
assert_screen '^https://quinn\.example\.org$'
# f unfolds: all 14 lines, in order, the fold line gone; f folds again.
ui_keys f
ui_wait_for '^> quoted line 14$'
assert_not_screen 'quoted lines hidden'
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
	assert_screen "^> quoted line $i\$"
done
assert_line 12 '^> quoted line 1$'
assert_line 25 '^> quoted line 14$'
p=$(pct)
[ "$p" -lt 100 ] || { ui_dump; fail "the unfolded reply no longer fits, but the separator says $p%"; }
ui_keys f
ui_wait_for '^> \[14 quoted lines hidden; f shows them\]$'
assert_not_screen 'quoted line [0-9]'

# Enter and z: full screen (no tree, no separator), and back.
ui_keys Enter
ui_wait_line 0 '^thread: Long read +\[2/2\] 2 matched, full screen$'
ui_wait_line 1 '^From: Quinn Quote <quinn@example.org>$'
assert_not_screen '^── |└─'
# Moving between messages works there too.
ui_keys p
ui_wait_line 0 '\[1/2\] 2 matched, full screen$'
ui_wait_line 1 '^From: Larry Long'
# A taller pane: Space scrolls a full-screen page.
ui_keys Space
ui_wait_line 1 '^Line 23 of the long message\.$'
ui_keys z
ui_wait_line 0 '^thread: Long read +\[1/2\] 2 matched$'
ui_wait_line 4 '^── 1/2 Larry Long, [0-9]+% ─+$'
assert_line 2 'Larry Long +Long read'
assert_line 3 '└─Quinn Quote'
ui_keys z
ui_wait_line 0 'full screen$'
assert_not_screen '└─Quinn Quote'
ui_keys Enter
ui_wait_line 0 '^thread: Long read +\[1/2\] 2 matched$'
ui_wait_line 3 '└─Quinn Quote'
assert_screen_clean
close

# ---------------------------------------------------------------------------
# multipart/alternative: plain text first; a shows the HTML, as text.
open_thread subject:alternative 'Alternative test'
ui_wait_for '^Plain rendering of the note\.$'
assert_screen '^\[-- alternative 1 of 2: text/plain \(also text/html\) --\]$'
assert_not_screen 'Hypertext'
ui_keys a
ui_wait_line "$last" 'Alternative 2 of 2'
ui_wait_for '^Hypertext rendering of the note\.$' 3
assert_screen 'alternative 2 of 2: text/html'
assert_screen 'shown as text by (w3m|lynx|elinks|the built-in renderer)'
assert_not_screen 'Plain rendering|<b>|<p>|</html>'
ui_keys a
ui_wait_line "$last" 'Alternative 1 of 2'
ui_wait_for '^Plain rendering of the note\.$'
assert_not_screen 'Hypertext'

# --html-command picks the HTML renderer: "" is the built-in one, and any
# command gets the HTML on its standard input.
ui_start -- "$TRAWL" --no-mark-read --html-command '' subject:alternative
ui_wait_line 1 'Alternative test'
ui_keys Enter a
ui_wait_for 'shown as text by the built-in renderer'
ui_wait_for '^Hypertext rendering of the note\.$'
printf '#!/bin/sh\necho "FILTERED: $(wc -c)"\n' > "$tmp/html-filter"
chmod +x "$tmp/html-filter"
ui_start -- "$TRAWL" --no-mark-read --html-command "$tmp/html-filter" subject:alternative
ui_wait_line 1 'Alternative test'
ui_keys Enter a
ui_wait_for '^FILTERED: [0-9]+$'
assert_screen 'shown as text by html-filter'
open_thread subject:alternative 'Alternative test'
ui_wait_for '^Plain rendering of the note\.$'

# H: every header, in the message's order; H again: the usual few.
ui_keys H
ui_wait_for '^Message-ID: <alt-1@example\.org>$'
assert_screen '^X-Mailer: fixture-mailer 1\.0$'
assert_screen '^MIME-Version: 1\.0$'
assert_screen '^Content-Type: multipart/alternative; boundary="=-alt-boundary-42"$'
assert_screen '^Plain rendering of the note\.$'
ui_keys H
ui_wait_gone 'Message-ID:'
assert_not_screen 'X-Mailer:|MIME-Version:'
assert_screen '^Subject: Alternative test$'

# R: the raw source (title says raw): every header as written, the
# boundaries, the HTML markup; R again: rendered.
ui_keys R
ui_wait_line 0 '^thread: Alternative test +\[1/1\] 1 matched, raw$'
ui_wait_for '^--=-alt-boundary-42$'
assert_screen '^Date: Tue, 11 Jun 2024 09:00:00 \+0000$'
assert_screen '^Content-Type: multipart/alternative; boundary="=-alt-boundary-42"$'
assert_screen '^Content-Type: text/html; charset=utf-8$'
assert_screen '^<html><body><p>Hypertext <b>rendering</b> of the note\.</p></body></html>$'
assert_screen '^--=-alt-boundary-42--$'
assert_screen '^This is a multi-part message in MIME format\.$'
assert_not_screen '\[-- alternative'
ui_keys R
ui_wait_line 0 '^thread: Alternative test +\[1/1\] 1 matched$'
ui_wait_for '^\[-- alternative 1 of 2: text/plain'
assert_not_screen 'boundary-42|<html>'
assert_screen_clean
close

# ---------------------------------------------------------------------------
# HTML only, with scripts, a style sheet and a remote image.  The image's
# URL points at a listener of our own: rendering must never connect to it.
listen_log=$tmp/listener.log
listen_port=
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/listener.port" "$listen_log" <<'EOF' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
s.settimeout(0.2)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
end = time.time() + 60
while time.time() < end and os.path.exists(os.path.dirname(sys.argv[1])):
	try:
		c, a = s.accept()
	except socket.timeout:
		continue
	open(sys.argv[2], "a").write("connection from %s\n" % (a,))
	c.close()
EOF
	listen_pid=$!
	n=0
	while [ ! -s "$tmp/listener.port" ] && [ "$n" -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
	listen_port=$(cat "$tmp/listener.port" 2>/dev/null)
fi
[ -n "$listen_port" ] || listen_port=9
mkdb_add_message 1718200099.99.message <<EOF
From: Hugo Html <hugo@example.org>
To: Reader <reader@example.org>
Subject: Remote image test
Date: Wed, 12 Jun 2024 10:00:00 +0000
Message-ID: <html-2@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p>Local listener below.</p>
<img src="http://127.0.0.1:$listen_port/pixel.gif" alt="beacon">
<img src="http://127.0.0.1:$listen_port/plain.gif">
<link rel="stylesheet" href="http://127.0.0.1:$listen_port/style.css">
<p>End of remote test.</p></body></html>
EOF
mkdb_new

open_thread subject:html 'HTML only test'
ui_wait_for '^Visible heading$'
assert_screen '^\[-- text/html, shown as text by (w3m|lynx|elinks|the built-in renderer).*--\]$'
assert_screen '^Visible paragraph with markup\.$'
assert_screen 'tracker logo'
assert_screen '^After the image\.$'
assert_not_screen 'SCRIPTED|ALERTED|document\.write|alert\(|color: red|Hidden title|<p>|<h1>|<script'
assert_screen_clean
close

open_thread subject:remote 'Remote image test'
ui_wait_for '^Local listener below\.$'
ui_wait_for '^End of remote test\.$'
assert_screen 'beacon'
# Re-render it a few times: another alternative request, raw and back.
ui_keys R
ui_wait_line 0 ', raw$'
ui_keys R
ui_wait_line 0 '1 matched$'
ui_wait_for '^End of remote test\.$'
close
if [ -n "${listen_pid:-}" ]; then
	kill "$listen_pid" 2>/dev/null
	wait "$listen_pid" 2>/dev/null
	if [ -s "$listen_log" ]; then
		cat "$listen_log"
		fail "rendering the HTML message connected to the URL of its remote image"
	fi
fi

# ---------------------------------------------------------------------------
# Escape sequences, C1 and bidi controls in the body: visible, inert.
open_thread subject:escapes 'Escapes in body'
ui_wait_for '^Clear: \^\[\[2J\^\[\[H after clear$'
assert_screen '^Title: \^\[\]0;PWNED-TITLE\^G after title$'
assert_screen '^Clip: \^\[\]52;c;cHduZWQ=\^G after clip$'
assert_screen '^C1: <U\+009B>31m red after c1$'
assert_screen '^Bidi: <U\+202E>gnirts desrever<U\+202C> after bidi$'
assert_screen '^Bell: \^G after bell$'
# Nothing was cleared or moved: the title bar, the tree and the headers are
# where they belong.
assert_line 0 '^thread: Escapes in body +\[1/1\] 1 matched$'
assert_line 2 'Eve Escape +Escapes in body'
assert_line 4 '^From: Eve Escape <eve@example.org>$'
assert_screen_clean
# The raw source shows them the same way.
ui_keys R
ui_wait_line 0 ', raw$'
ui_wait_for '^Clear: \^\[\[2J\^\[\[H after clear$'
assert_screen '^Bidi: <U\+202E>gnirts desrever<U\+202C> after bidi$'
assert_screen_clean
ui_keys R
ui_wait_line 0 '1 matched$'
ui_wait_for '^Title: \^\[\]0;PWNED-TITLE'
title=$(ui_format '#{pane_title}')
assert_eq "$ui_initial_title" "$title" "pane title"
assert_eq "" "$(ui_tmux list-buffers)" "tmux paste buffers (OSC 52)"
raw_has() { LC_ALL=C grep -a -q -P "$1" "$ui_raw"; }
raw_has 'Clear: \^\[\[2J' || fail "the raw output lacks the visible form of the clear-screen line"
for seq in '\x1b\]0;PWNED' '\x1b\]52;' '\x07' '\x1b\[2J\x1b\[H after' '\xc2\x9b' '\x9b31m' \
	'\xe2\x80\xae' '\xe2\x80\xac'; do
	if raw_has "$seq"; then
		echo "raw output (cat -v):"; cat -v "$ui_raw" | head -c 4000; echo
		fail "trawl wrote the raw sequence $seq to the terminal"
	fi
done
close

# ---------------------------------------------------------------------------
# A message whose file went away after indexing: a [!] line, and trawl
# keeps working.
rm -f "$tmp"/mail/cur/1718200006.06.message* || fail "cannot delete the message file"
open_thread subject:vanishing 'Vanishing message'
ui_wait_line 0 '^thread: Vanishing message +\[1/1\] 1 matched$'
ui_wait_for '^\[!\] '
assert_screen 'No such file|cannot read|[Mm]issing|not found'
assert_not_screen 'You will never read this'
ui_keys H a f R
ui_wait_line 0 ', raw$'
ui_wait_for '^\[!\] '
ui_keys R z
ui_wait_line 0 'full screen$'
ui_wait_for '^\[!\] '
ui_keys z q
ui_wait_line 0 '^search: subject:vanishing '
ui_wait_line 1 'Vanishing message'
ui_keys q
ui_expect_exit 0
ui_done
