#!/bin/sh
# T600-html-budget: no message may hold trawl up.  Counted, never timed:
# the HTML command is a script that writes a line per run to a count file,
# and TRAWL_STATS=FILE gives trawl's render counters at exit.
#  - 2,000 tiny HTML parts: the dumper runs 16 times (the budget), the rest
#    go to the built-in renderer, the bottom line and a marker say so with
#    the key; H, H run no dumper again (the cache); a, a, a render the HTML
#    alternative once;
#  - X renders the parts past the budget with the dumper;
#  - 8 tables of 256 KiB with the real w3m: rendered once (by w3m, or by the
#    built-in renderer past the time budget), H, H run no w3m again;
#  - 8 HTML parts whose dumper never finishes: q while it renders goes back
#    to the list at once (the dumper killed, nothing else run); C-c stops
#    the render and stays in the thread, a marker saying what was not
#    rendered.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

stat_of() { sed -n "s/^$2 //p" "$1"; }
runs() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }

src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
# many_parts FILE ID SUBJECT N: a message of N text/html parts after a
# plain/HTML alternative (so that a cycles to HTML and back).
many_parts() {
	{
		printf 'From: Html Sender <html@example.org>\nTo: Test User <test@example.org>\n'
		printf 'Subject: %s\nDate: Fri, 14 Jun 2024 10:00:00 +0000\n' "$3"
		printf 'Message-ID: <%s@example.org>\nMIME-Version: 1.0\n' "$2"
		printf 'Content-Type: multipart/mixed; boundary="top"\n\n'
		printf -- '--top\nContent-Type: multipart/alternative; boundary="alt"\n\n'
		printf -- '--alt\nContent-Type: text/plain\n\nthe plain text of %s\n' "$2"
		printf -- '--alt\nContent-Type: text/html\n\n<p>the html of %s</p>\n--alt--\n' "$2"
		i=0
		while [ $i -lt "$4" ]; do
			printf -- '--top\nContent-Type: text/html\n\n<p>html part %d</p>\n' $i
			i=$((i + 1))
		done
		printf -- '--top--\n'
	} > "$1"
}
many_parts "$src/cur/many:2," many 'Two thousand parts' 2000
many_parts "$src/cur/slow:2," slow 'Slow tables' 8
many_parts "$src/cur/some:2," some 'Forty parts' 40
# Eight HTML tables of 256 KiB each, for the real dumper (small enough that
# even a sanitizer build renders them all within the 8 s render budget, so
# that none is held back and rendered by the H that follows).
cat > "$tmp/tables.py" <<'PY'
import sys
out = open(sys.argv[1], "w")
out.write("From: Table Sender <tables@example.org>\nTo: Test User <test@example.org>\n"
          "Subject: Eight large tables\nDate: Fri, 14 Jun 2024 11:00:00 +0000\n"
          "Message-ID: <tables@example.org>\nMIME-Version: 1.0\n"
          "Content-Type: multipart/mixed; boundary=\"T\"\n\n")
for k in range(8):
    out.write("--T\nContent-Type: text/html; charset=utf-8\n\n<html><body><table>\n")
    size, i = 0, 0
    while size < 256 << 10:
        row = "<tr>" + "".join("<td>t%d r%d c%d</td>" % (k, i, j) for j in range(8)) + "</tr>\n"
        out.write(row)
        size += len(row)
        i += 1
    out.write("</table></body></html>\n")
out.write("--T--\n")
PY
python3 "$tmp/tables.py" "$src/cur/tables:2," || fail "cannot write the tables message"
mkdb_from_dir "$src"

# The HTML command: counts its runs in $1, sleeps $2 seconds, prints its input.
cat > "$tmp/dumper.sh" <<'EOF'
#!/bin/sh
echo run >> "$1"
[ "$2" -gt 0 ] && sleep "$2"
exec cat
EOF

# --- 2,000 parts: 16 dumper runs, the rest built-in; H, H: no run again
count=$tmp/many.count
ui_start TRAWL_STATS="$tmp/many.stats" -- "$TRAWL" --no-mark-read \
	--html-command "sh $tmp/dumper.sh $count 0" subject:thousand
ui_wait_line 1 'Two thousand parts'
ui_keys Enter
ui_wait_line 0 '^thread: Two thousand parts '
ui_wait_for 'Render budget used up: 1984 HTML parts shown by the built-in renderer; X renders them'
ui_keys Space Space
ui_wait_for '1984 more HTML parts shown by the built-in renderer: the render budget \(16 runs of sh, 3 s\) was'
ui_wait_for 'X renders them'
assert_eq 16 "$(runs "$count")" "dumper runs for 2,000 parts"
ui_keys H
ui_wait_for 'Message-ID:'
ui_keys H
ui_wait_gone 'Message-ID:'
assert_eq 16 "$(runs "$count")" "dumper runs after H, H"
# The HTML alternative: rendered once, then from the cache.
ui_keys a
ui_wait_for 'the html of many'
ui_keys a
ui_wait_for 'the plain text of many'
ui_keys a
ui_wait_for 'the html of many'
assert_eq 17 "$(runs "$count")" "dumper runs after a, a, a"
ui_keys Q
ui_expect_exit 0
assert_eq 17 "$(stat_of "$tmp/many.stats" render_html_dumper_runs)" "render_html_dumper_runs"
assert_eq 0 "$(stat_of "$tmp/many.stats" render_interrupted)" "render_interrupted"
b=$(stat_of "$tmp/many.stats" render_html_builtin)
[ "$b" -ge 1984 ] && [ "$b" -le 1986 ] || fail "the built-in renderer ran $b times (1984 parts, then the alternative's shifts)"

# --- X: the parts past the budget rendered by the dumper (40 parts: 16 + 24)
count=$tmp/some.count
ui_start -- "$TRAWL" --no-mark-read --html-command "sh $tmp/dumper.sh $count 0" subject:forty
ui_wait_line 1 'Forty parts'
ui_keys Enter
ui_wait_for 'Render budget used up: 24 HTML parts shown by the built-in renderer; X renders them'
assert_eq 16 "$(runs "$count")" "dumper runs for 40 parts"
ui_keys X
ui_wait_for 'Rendering 24 more HTML parts with no budget'
ui_keys Space Space Space Space Space Space Space
ui_wait_for 'html part 39'
ui_screen | grep -q 'shown by the built-in renderer' && { ui_dump; fail "X left parts to the built-in renderer"; }
assert_eq 40 "$(runs "$count")" "dumper runs after X"
ui_keys Q
ui_expect_exit 0

# --- eight large tables with the real w3m (through a script that counts
# its runs): rendered once, by w3m or, past the time budget, the built-in
# renderer (how many of each depends on the machine's speed); H, H run
# nothing again
if command -v w3m >/dev/null 2>&1; then
	count=$tmp/tables.count
	cat > "$tmp/w3m.sh" <<'EOF'
#!/bin/sh
echo run >> "$1"
exec w3m -dump -T text/html -I UTF-8 -O UTF-8 -cols 80
EOF
	ui_start TRAWL_STATS="$tmp/tables.stats" -- "$TRAWL" --no-mark-read \
		--html-command "sh $tmp/w3m.sh $count" subject:tables
	ui_wait_line 1 'Eight large tables'
	ui_keys Enter
	ui_wait_line 0 '^thread: Eight large tables '
	ui_wait_for 't0 r0 c0'
	first=$(runs "$count")
	[ "$first" -ge 1 ] && [ "$first" -le 8 ] || fail "w3m ran $first times for 8 parts"
	ui_keys H
	ui_wait_for 'Message-ID:'
	ui_keys H
	ui_wait_gone 'Message-ID:'
	assert_eq "$first" "$(runs "$count")" "w3m runs after H, H"
	ui_keys Q
	ui_expect_exit 0
	assert_eq "$first" "$(stat_of "$tmp/tables.stats" render_html_dumper_runs)" "render_html_dumper_runs"
	h=$(stat_of "$tmp/tables.stats" render_html_cache_hits)
	[ "$h" -ge 2 ] || fail "H, H took $h parts from the cache"
else
	echo "# w3m is not installed: the large tables are not rendered by it"
fi

# --- a dumper that never finishes: q answers while it renders
count=$tmp/slow.count
ui_start TRAWL_STATS="$tmp/slow.stats" -- "$TRAWL" --no-mark-read \
	--html-command "sh $tmp/dumper.sh $count 600" subject:slow
ui_wait_line 1 'Slow tables'
ui_keys Enter
ui_wait_for 'Rendering the message.s HTML\.\.\. q or C-c stops'
assert_eq 1 "$(runs "$count")" "dumper runs before q"
ui_keys q
ui_wait_line 0 '^search: '
ui_wait_line 1 'Slow tables'
assert_eq 1 "$(runs "$count")" "dumper runs after q"
# C-c stops the render and stays: the marker says what was not rendered.
ui_keys Enter
ui_wait_for 'Rendering the message.s HTML'
ui_keys C-c
ui_wait_line 0 '^thread: Slow tables '
ui_wait_for '8 HTML parts not rendered: rendering was interrupted \(X renders them\)'
ui_wait_for 'Rendering stopped: 8 HTML parts not rendered; X renders them'
ui_keys Q
ui_expect_exit 0
assert_eq 2 "$(runs "$count")" "dumper runs in all"
assert_eq 2 "$(stat_of "$tmp/slow.stats" render_interrupted)" "render_interrupted"
# The killed dumpers are gone (their process group was killed with them).
pgrep -f "dumper.sh $count" >/dev/null && fail "a dumper outlived its render"
ui_done
