#!/bin/sh
# T220-attachments: attachments and pipes in the thread view
# (tests/fixtures/attach).  S saves an attachment: a number prompt when there
# are several, then a directory prompt prefilled with the current directory;
# the decoded bytes land under the attachment's safe name (base name only,
# no leading dot or dash, no controls), never overwriting a file or following
# a symlink (name-1.ext, name-2.ext); bad answers and Esc save nothing.
# | pipes the raw message to `sh -c CMD`, shows its output until Enter; P
# pipes one decoded part; O hands a temporary copy of an attachment to
# xdg-open (a fake one here) and removes it when trawl exits.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

ui_env -- "$TRAWL" --list-commands > "$tmp/commands" || fail "--list-commands failed"
for c in save-attachment pipe-message open-attachment; do
	grep -q "^$c	thread	" "$tmp/commands" || skip "trawl has no $c command yet"
done
keys_of() { awk -F '	' -v c="$1" '$1 == c { print $3 }' "$tmp/commands"; }
assert_eq S "$(keys_of save-attachment)" "keys of save-attachment"
assert_eq O "$(keys_of open-attachment)" "keys of open-attachment"
assert_eq '|' "$(keys_of pipe-message)" "keys of pipe-message"
has_pipe_part=0
grep -q '^pipe-part	thread	P	' "$tmp/commands" && has_pipe_part=1

last=$((UI_ROWS - 1))
mkdb_from_dir "$FIXTURES/attach"
msgfile=$(ls "$tmp"/mail/cur/1718300001.01.attach*) || fail "fixture message missing"

# What the attachments decode to.
printf 'JVBERi0xLjQKAAEC/v8gYmluYXJ5IHRhaWwK' | base64 -d > "$tmp/expect-report.pdf"
printf 'Plain notes, caf\303\251.\nSecond line of the notes.' > "$tmp/expect-notes.txt"
printf '#!/bin/sh\necho evil\n' > "$tmp/expect-evil.sh"
same() { cmp -s "$1" "$2" || { echo "--- $1:"; od -c "$1" | head; echo "--- $2:"; od -c "$2" | head; fail "${3:-$1 differs from $2}"; }; }

# A fake xdg-open, first in PATH: logs its arguments, keeps a copy.
mkdir -p "$tmp/bin" "$tmp/opened" "$tmp/tmpdir"
cat > "$tmp/bin/xdg-open" <<EOF
#!/bin/sh
printf '%s\n' "\$#" "\$@" > "$tmp/xdg-open.log"
cp "\$1" "$tmp/opened/" || exit 3
exit 0
EOF
chmod +x "$tmp/bin/xdg-open"

ui_start PATH="$tmp/bin:$PATH" TMPDIR="$tmp/tmpdir" -- "$TRAWL" --no-mark-read subject:attachments
ui_wait_line 1 'Attachments test'
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test +\[1/1\] 1 matched$'
ui_wait_for '^See the attached files\.$'
assert_screen '^\[attachment 1: report\.pdf, application/pdf, 27 bytes\]$'
assert_screen '^\[attachment 2: notes\.txt, text/plain, 45 bytes\]$'
# A hostile name: shown visibly, saved under a safe name.
assert_screen '^\[attachment 3: \.\./\.\./\.evil\^Aname<U\+202E>\.sh, application/x-sh, 20 bytes \(saves as evilname\.sh\)\]$'
assert_screen_clean

# --- S: choose, then the directory (prefilled with trawl's cwd, $tmp).
mkdir -p "$tmp/out"
printf 'PRECIOUS\n' > "$tmp/out/notes.txt"
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 2
ui_keys Enter
ui_wait_line "$last" "^Save to directory: $tmp\$"
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
# notes.txt exists: the new file is notes-1.txt, the old one untouched.
ui_wait_line "$last" "^Saved $tmp/out/notes-1\\.txt\$"
same "$tmp/out/notes-1.txt" "$tmp/expect-notes.txt" "saved notes.txt"
assert_eq PRECIOUS "$(cat "$tmp/out/notes.txt")" "the existing notes.txt"
# Again: notes-2.txt.
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 2
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/notes-2\\.txt\$"
same "$tmp/out/notes-2.txt" "$tmp/expect-notes.txt" "second saved notes.txt"
# The binary one, decoded from base64, byte for byte (1 is the default).
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/report\\.pdf\$"
same "$tmp/out/report.pdf" "$tmp/expect-report.pdf" "saved report.pdf"
# The hostile name: its safe base name, in the chosen directory only.
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 3
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/evilname\\.sh\$"
same "$tmp/out/evilname.sh" "$tmp/expect-evil.sh" "saved hostile attachment"
[ -x "$tmp/out/evilname.sh" ] && fail "a saved attachment is executable"
assert_eq "evilname.sh notes-1.txt notes-2.txt notes.txt report.pdf" \
	"$(cd "$tmp/out" && ls -A | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" "files in the save directory"
assert_eq "" "$(find "$tmp" "$tmp/.." -maxdepth 1 -name '.evil*' 2>/dev/null)" "a file escaped the save directory"
# A dangling symlink under the name: not followed, not replaced.
mkdir -p "$tmp/out2"
ln -s "$tmp/victim" "$tmp/out2/report.pdf"
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/out2"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out2/report-1\\.pdf\$"
[ -e "$tmp/victim" ] && fail "saving followed a symlink and wrote $tmp/victim"
[ -L "$tmp/out2/report.pdf" ] || fail "the symlink was replaced"
same "$tmp/out2/report-1.pdf" "$tmp/expect-report.pdf" "report.pdf beside a symlink"

# Answers that save nothing: a number out of range, a directory that does
# not exist, Esc at either prompt.
before=$(ls -A "$tmp/out" "$tmp" | wc -l)
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 9
ui_keys Enter
ui_wait_line "$last" 'No attachment 9 \(there are 3\)'
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys C-u
ui_type "$tmp/nonexistent"
ui_keys Enter
ui_wait_line "$last" "$tmp/nonexistent is not a directory"
[ -e "$tmp/nonexistent" ] && fail "saving created $tmp/nonexistent"
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Escape
ui_wait_gone '^Save attachment'
ui_keys S
ui_wait_line "$last" '^Save attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" '^Save to directory: /'
ui_keys Escape
ui_wait_gone '^Save to directory'
assert_eq "$before" "$(ls -A "$tmp/out" "$tmp" | wc -l)" "files after cancelled saves"
assert_line 0 '^thread: Attachments test '
assert_screen '^See the attached files\.$'

# --- |: the raw message on the command's stdin, its output on the screen
# until Enter, then the thread view and the status on the message line.
ui_keys '|'
ui_wait_line "$last" '^Pipe to: ?$'
# (trawl runs in $tmp: relative names keep the command short)
ui_type "cat > piped; echo PIPE-OUTPUT-MARK; wc -c < piped"
ui_keys Enter
ui_wait_for '^PIPE-OUTPUT-MARK$'
ui_wait_for 'Press Enter to return'
assert_screen "^ *$(wc -c < "$msgfile")\$"
assert_not_screen '^thread: '
same "$tmp/piped" "$msgfile" "the piped message"
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test '
ui_wait_line "$last" "^'cat > piped; echo PIPE-OUTPUT-MARK; wc -c < piped' exited with status 0\$"
assert_screen '^See the attached files\.$'
assert_not_screen '^PIPE-OUTPUT-MARK$'
# A failing command: its status is reported.
ui_keys '|'
ui_wait_line "$last" '^Pipe to: ?$'
ui_type 'cat >/dev/null; echo FAILING-MARK; exit 3'
ui_keys Enter
ui_wait_for '^FAILING-MARK$'
ui_wait_for 'Press Enter to return'
ui_keys Enter
ui_wait_line 0 '^thread: Attachments test '
ui_wait_line "$last" 'exited with status 3'
# Esc at the prompt runs nothing.
ui_keys '|'
ui_wait_line "$last" '^Pipe to: ?$'
ui_type "touch $tmp/should-not-exist"
ui_keys Escape
ui_wait_gone '^Pipe to:'
ui_keys '|'
ui_wait_line "$last" '^Pipe to: ?$'
ui_keys Escape
ui_wait_gone '^Pipe to:'
[ -e "$tmp/should-not-exist" ] && fail "a cancelled pipe ran its command"

# --- P: one part, decoded, numbered as on screen (1 pdf, 2 notes, 3 script,
# then 4 the body shown inline).
if [ "$has_pipe_part" -eq 1 ]; then
	ui_keys P
	ui_wait_line "$last" '^Pipe part \(1-4\) \[1\]: ?$'
	ui_keys C-u
	ui_type 2
	ui_keys Enter
	ui_wait_line "$last" '^Pipe to: ?$'
	ui_type "cat > part3; echo PART-MARK"
	ui_keys Enter
	ui_wait_for '^PART-MARK$'
	ui_wait_for 'Press Enter to return'
	ui_keys Enter
	ui_wait_line 0 '^thread: Attachments test '
	same "$tmp/part3" "$tmp/expect-notes.txt" "the piped part"
fi

# --- O: xdg-open gets a temporary copy under the safe name.
ui_keys O
ui_wait_line "$last" '^Open attachment \(1-3\) \[1\]: ?$'
ui_keys Enter
ui_wait_line "$last" 'Opened report\.pdf with xdg-open'
ui_wait_line 0 '^thread: Attachments test '
[ -s "$tmp/xdg-open.log" ] || fail "xdg-open was not run"
assert_eq 1 "$(sed -n 1p "$tmp/xdg-open.log")" "number of arguments to xdg-open"
opened=$(sed -n 2p "$tmp/xdg-open.log")
assert_match "$opened" "^$tmp/tmpdir/.*/report\\.pdf\$" "the file given to xdg-open"
same "$tmp/opened/report.pdf" "$tmp/expect-report.pdf" "the file xdg-open got"
[ -e "$opened" ] || fail "the temporary copy vanished while trawl runs"
# The hostile one: its safe name too.
ui_keys O
ui_wait_line "$last" '^Open attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 3
ui_keys Enter
ui_wait_line "$last" 'Opened evilname\.sh with xdg-open'
assert_match "$(sed -n 2p "$tmp/xdg-open.log")" "^$tmp/tmpdir/.*/evilname\\.sh\$" "the hostile file given to xdg-open"
same "$tmp/opened/evilname.sh" "$tmp/expect-evil.sh" "the hostile file xdg-open got"
# A viewer that fails: its status is reported.
cat > "$tmp/bin/xdg-open" <<'EOF'
#!/bin/sh
exit 4
EOF
ui_keys O
ui_wait_line "$last" '^Open attachment \(1-3\) \[1\]: ?$'
ui_keys C-u
ui_type 2
ui_keys Enter
ui_wait_line "$last" 'xdg-open exited with status 4'
ui_keys q
ui_wait_line 0 '^search: subject:attachments '
ui_keys q
ui_expect_exit 0
# trawl removed its temporary copies when it exited.
[ -e "$opened" ] && fail "the temporary copy $opened outlived trawl"
assert_eq "" "$(ls -A "$tmp/tmpdir")" "temporary directory after exit"

# --- One attachment: no number prompt.  None: a message.
ui_start -- "$TRAWL" --no-mark-read subject:single
ui_wait_line 1 'Single attachment'
ui_keys Enter
ui_wait_line 0 '^thread: Single attachment '
ui_wait_for '^\[attachment 1: data\.csv, text/csv, [0-9]+ bytes\]$'
ui_keys S
ui_wait_line "$last" "^Save to directory: $tmp\$"
ui_keys C-u
ui_type "$tmp/out"
ui_keys Enter
ui_wait_line "$last" "^Saved $tmp/out/data\\.csv\$"
printf 'a,b\n1,2' > "$tmp/expect-data.csv"
same "$tmp/out/data.csv" "$tmp/expect-data.csv" "saved data.csv"
ui_keys q
ui_wait_line 0 '^search: '
ui_keys q
ui_expect_exit 0

ui_start -- "$TRAWL" --no-mark-read subject:'"No attachment"'
ui_wait_line 1 'No attachment'
ui_keys Enter
ui_wait_line 0 '^thread: No attachment '
ui_wait_for '^Nothing attached here\.$'
ui_keys S
ui_wait_line "$last" 'This message has no attachments'
ui_keys ']'
ui_wait_line "$last" 'No matching message after this one'
ui_keys O
ui_wait_line "$last" 'This message has no attachments'
assert_not_screen '^Save to directory'
ui_keys q
ui_wait_line 0 '^search: '
ui_keys q
ui_expect_exit 0
ui_done
