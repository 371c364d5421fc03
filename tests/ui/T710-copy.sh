#!/bin/sh
# T710-copy: y copies a message's citation (Date as written, From, To,
# Subject, Message-ID, sha256 of its file) to the copy command's stdin, Y
# the Message-ID, # the id: query; with no command that works the text goes
# to the notes file and the bottom line says where; N appends the citation
# and the lines on screen (or, after m, the marked range) to the notes file;
# OSC 52 only when turned on; on an archive the notes go to ARCHIVE/notes.md.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum not found"
command -v base64 >/dev/null 2>&1 || skip "base64 not found"

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
{
	printf 'From: =?UTF-8?Q?Al=C3=AFce?= <alice@example.org>\nTo: Bob <bob@example.org>\n'
	printf 'Subject: Copy me\nDate: Fri, 14 Jun 2024\n 10:00:00 +0200\n'
	printf 'Message-ID: <copy-1@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	i=1
	while [ $i -le 90 ]; do printf 'body line %02d\n' $i; i=$((i + 1)); done
} > "$src/cur/copy-1:2,"
mkdb_from_dir "$src"
file=$tmp/mail/cur/copy-1:2,
sha=$(sha256sum "$file" | cut -d' ' -f1)
[ ${#sha} = 64 ] || hard_error "no sha256 of $file"

# A copy command that keeps what it is given, one that fails.
mkdir -p "$tmp/bin" "$tmp/nobin"
printf '#!/bin/sh\nexec cat > %s\n' "$(ui_quote "$tmp/clip.out")" > "$tmp/bin/saver"
printf '#!/bin/sh\ncat >/dev/null\nexit 3\n' > "$tmp/bin/failer"
chmod +x "$tmp/bin/saver" "$tmp/bin/failer"
mkdir -p "$tmp/.config/trawl"
config() { printf '[options]\n%s\n' "$*" > "$tmp/.config/trawl/config"; }

open_thread() {
	ui_start "$@" -- "$TRAWL" --no-mark-read subject:copy
	ui_wait_line 0 "^search: "
	ui_wait_line 1 "Copy me"
	ui_keys Enter
	ui_wait_line 0 "^thread: Copy me"
	ui_wait_for '^body line 01$'
}

# The file FILE holds exactly the text EXPECTED (no newline added).
assert_file() {
	printf '%s' "${2%x}" > "$tmp/expected"  # (a trailing x keeps $(...)'s newlines)
	cmp -s "$tmp/expected" "$1" || {
		echo "expected:"; cat -A "$tmp/expected"; echo "got:"; cat -A "$1" 2>&1
		fail "$3"
	}
}

citation=$(printf 'Date: Fri, 14 Jun 2024 10:00:00 +0200\nFrom: Alïce <alice@example.org>\nTo: Bob <bob@example.org>\nSubject: Copy me\nMessage-ID: <copy-1@example.org>\nSHA256: %s\nx' "$sha")
citation=${citation%x}
md=$(printf -- '- **Date:** Fri, 14 Jun 2024 10:00:00 +0200\n- **From:** `Alïce <alice@example.org>`\n- **To:** `Bob <bob@example.org>`\n- **Subject:** Copy me\n- **Message-ID:** `<copy-1@example.org>`\n- **SHA256:** `%s`\nx' "$sha")
md=${md%x}

# --- y, Y, # with copy-command set
config "copy-command = $tmp/bin/saver"
open_thread
ui_keys y
ui_wait_for "Copied the citation with $tmp/bin/saver"
assert_file "$tmp/clip.out" "$citation" "y did not copy the citation"
ui_keys Y
ui_wait_for "Copied the Message-ID with"
assert_file "$tmp/clip.out" "copy-1@example.org" "Y did not copy the Message-ID"
ui_keys '#'
ui_wait_for "Copied the id: query with"
assert_file "$tmp/clip.out" "id:copy-1@example.org" "# did not copy the id: query"
pass "y, Y and # copy to the copy command"

# --- N: the citation and the lines on screen, to the notes file
notes=$tmp/.local/share/trawl/notes.md
ui_keys J J
ui_wait_for '^body line 01$'
screen=$(ui_screen)
sep=$(printf '%s\n' "$screen" | grep -n '^── 1/1 ' | cut -d: -f1)
[ -n "$sep" ] || { ui_dump; fail "no separator line"; }
# the pane: from the row under the separator to the row above the bottom line
pane=$(printf '%s\n' "$screen" | sed -n "$((sep + 1)),$((UI_ROWS - 1))p")
nlines=$(printf '%s\n' "$pane" | wc -l)
ui_keys N
ui_wait_for "Appended the citation and $nlines lines to notes: $notes"
quoted=$(printf '%s\n' "$pane" | sed 's/^/> /; s/^> $/>/')
assert_file "$notes" "$(printf '## Copy me\n\n%s\n%s\n\nx' "$md" "$quoted")" "N did not append the citation and the screen's lines"
pass "N appends the citation and the $nlines lines on screen"

# --- m in the full-screen pager, a page down, N: exactly the marked range
rm -f "$notes"
ui_keys z
ui_wait_line 0 'full screen$'
ui_keys m
ui_wait_line 0 'full screen, mark at line 3$'
ui_wait_for '^Marked line 3: '
rows=$(ui_reverse_rows)
first=$(ui_line 1)
case "$rows" in 1:"$first") ;; *) ui_dump; fail "the marked line is not shown in reverse (rows: $rows)" ;; esac
a=$(ui_screen | sed -n "2,$((UI_ROWS - 1))p")
ui_keys PgDn
ui_wait_gone "^$first\$"
b=$(ui_screen | sed -n "2,$((UI_ROWS - 1))p")
# a page is the screen less one line: b's first line is a's last
[ "$(printf '%s\n' "$b" | head -n 1)" = "$(printf '%s\n' "$a" | tail -n 1)" ] || fail "the page did not move by a screen less one line"
range=$(printf '%s\n%s\n' "$a" "$(printf '%s\n' "$b" | sed 1d)")
n=$(printf '%s\n' "$range" | wc -l)
ui_keys N
ui_wait_for "Appended the citation and $n lines to notes: $notes"
ui_wait_gone 'mark at line'
quoted=$(printf '%s\n' "$range" | sed 's/^/> /; s/^> $/>/')
assert_file "$notes" "$(printf '## Copy me\n\n%s\n%s\n\nx' "$md" "$quoted")" "N after m did not append exactly the marked range"
pass "m then N appends exactly the $n marked lines"
ui_keys Q
ui_expect_exit 0
# OSC 52 is off by default: nothing of the kind reached the terminal.
if LC_ALL=C grep -a -q -P '\x1b\]52;' "$ui_raw"; then fail "an OSC 52 sequence was written though osc52 is off"; fi
pass "no OSC 52 by default"

# --- no copy command: the notes file, the path on the bottom line
rm -f "$notes"
config ""
open_thread PATH="$tmp/nobin"
ui_keys y
ui_wait_for "Copied to notes: $notes"
assert_file "$notes" "$(printf '%s\nx' "$citation")" "y without a copy command did not append to the notes file"
# a command that fails: the notes file too
ui_keys Q
ui_expect_exit 0
config "copy-command = $tmp/bin/failer"
open_thread
ui_keys Y
ui_wait_for "Copied to notes: $notes"
assert_file "$notes" "$(printf '%s\ncopy-1@example.org\n\nx' "$citation")" "a failing copy command did not fall back to the notes file"
ui_keys Q
ui_expect_exit 0
pass "no command, or a failing one: the notes file"

# --- osc52 = true: the sequence with the text in base64; on an archive
# (a notmuch-config with a manifest.jsonl beside it) the notes go to
# ARCHIVE/notes.md; citation-format = markdown
cp "$NOTMUCH_CONFIG" "$tmp/arch-config" 2>/dev/null
: > "$tmp/manifest.jsonl"
config "osc52 = true
citation-format = markdown"
ui_start PATH="$tmp/nobin" -- "$TRAWL" --no-mark-read --archive "$tmp" subject:copy
ui_wait_line 1 "Copy me"
ui_keys Enter
ui_wait_for '^body line 01$'
ui_keys y
ui_wait_for "Copied to notes: $tmp/notes.md"
assert_file "$tmp/notes.md" "$(printf '%s\nx' "$md")" "the markdown citation did not go to ARCHIVE/notes.md"
b64=$(printf '%s' "$md" | base64 -w0)
ui_keys Q
ui_expect_exit 0
LC_ALL=C grep -a -q -F "$(printf '\033]52;c;%s\007' "$b64")" "$ui_raw" || fail "no OSC 52 sequence with the citation though osc52 is on"
pass "osc52 = true sends the citation; an archive's notes are ARCHIVE/notes.md"
ui_done
