#!/bin/sh
# T540-prompts: the bottom-line editor.
#  - a paste of 20,000 characters into the search prompt costs work in
#    proportion to its length: the prompt counts the characters it looks at
#    to draw the window of the line (TRAWL_STATS=FILE: prompt_work), and that
#    stays within a few screen widths per character, whatever the line's
#    length (drawing from the start of the line each key is about 10,000 per
#    character here);
#  - keys typed ahead are taken before the line is drawn again;
#  - a number prompt (ui_pick) shows its default, "[1]", with an empty line:
#    typing 2 picks 2 (not 12), Enter alone picks 1.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
stat_of() { sed -n "s/^$2 //p" "$1"; }
mkdb_from_dir "$FIXTURES/attach"

# --- the paste: 2,500 words of 8 characters, " w000000" ... " w002499",
# typed in chunks of 2,000 characters.
n=20000
ui_start TRAWL_STATS="$tmp/paste.stats" -- "$TRAWL" subject:attachments
ui_wait_line 1 'Attachments test'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
i=0
while [ "$i" -lt 2500 ]; do
	ui_type "$(awk -v s="$i" 'BEGIN { for (k = s; k < s + 250; k++) printf " w%06d", k }')"
	i=$((i + 250))
done
# The end of the text, next to the prompt, scrolled into view.
ui_wait_line "$last" '^Search: .* w002498 w002499$' $((3 * UI_TIMEOUT))
# Only the window is drawn: the start of the text is scrolled off.
assert_no_match "$(ui_line "$last")" 'w000000' "the start of a long line, on the screen"
ui_keys C-g
ui_wait_gone '^Search: '
ui_keys q
ui_expect_exit 0
work=$(stat_of "$tmp/paste.stats" prompt_work)
redraws=$(stat_of "$tmp/paste.stats" prompt_redraws)
[ -n "$work" ] || fail "TRAWL_STATS has no prompt_work line"
echo "# prompt_work $work, prompt_redraws $redraws for a paste of $n characters"
# Each redraw looks at no more than about two screen widths of characters,
# and there is at most one redraw per key.
c=$((2 * UI_COLS))
[ "$work" -le $((c * n)) ] ||
	fail "a paste of $n characters cost prompt_work $work (more than $c per character)"
[ "$redraws" -le $((n + 2)) ] || fail "$redraws redraws for $n keys"

# --- moving about a long line: the same window rules as typing at its end.
ui_start -- "$TRAWL" subject:attachments
ui_wait_line 1 'Attachments test'
ui_keys /
ui_wait_line "$last" '^Search: ?$'
ui_type "$(awk 'BEGIN { for (k = 0; k < 100; k++) printf " w%06d", k }')"
ui_wait_line "$last" '^Search: .* w000098 w000099$'
ui_keys C-a
ui_wait_line "$last" '^Search:  w000000 w000001 '
ui_type 'AB'
ui_wait_line "$last" '^Search: AB w000000 w000001 '
ui_keys C-e
ui_wait_line "$last" '^Search: .* w000098 w000099$'
ui_keys C-g
ui_wait_gone '^Search: '

# --- ui_pick: the default is a hint, not text in the line.
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test '
ui_wait_for '^See the attached files\.$'
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_type 2
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: 2$'
ui_keys Enter
ui_wait_line "$last" "^Save to directory: $tmp\$"
mkdir -p "$tmp/out"
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/notes\\.txt\$"
# Enter alone: the default, attachment 1.
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/report\\.pdf\$"
# Not a number of them: said, nothing saved.
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_type 12
ui_keys Enter
ui_wait_line "$last" 'No attachment 12 \(there are 3\)'
assert_eq "notes.txt report.pdf" "$(cd "$tmp/out" && ls -A | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" \
	"files saved"
ui_keys q
ui_wait_line 0 '^search: '
ui_keys q
ui_expect_exit 0
ui_done
