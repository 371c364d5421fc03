#!/bin/sh
# T700-export-ui: export from the UI (export x, export-thread, export-query
# X, export-stop C-c), run by the real binary in tmux on a real database:
#   - search view: two marked threads, x, a path typed at the prompt -> the
#     directory holds exactly those threads' messages (Message-IDs equal
#     `notmuch search --output=messages` of the two threads), sha256sum -c
#     SHA256SUMS passes, the bottom line says how many, where, SHA256SUMS;
#   - thread view: x, "eml PATH" -> exactly the selected message, byte for
#     byte (cmp) its file;
#   - X: the count asked equals `notmuch count`; n writes nothing; y writes
#     every message;
#   - an existing path is refused (the screen says so, the directory is
#     unchanged);
#   - --read-only still exports;
#   - C-c during a slow export (TRAWL_EXPORT_DELAY_MS) stops it: the screen
#     says so, PATH/.incomplete is left.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum not found"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"

src=$tmp/src
mkdir -p "$src/cur"
cp "$FIXTURES"/basic/cur/* "$src/cur/"
i=1
while [ $i -le 30 ]; do
	printf 'From: Bulk %d <bulk%d@example.org>\nTo: test@example.org\nSubject: bulk %d\nDate: Mon, 01 Jan 2018 10:%02d:00 +0000\nMessage-ID: <bulk-%d@t700.example>\n\nbulk body %d\n' \
		$i $i $i $i $i $i > "$src/cur/bulk-$i:2,"
	i=$((i + 1))
done
mkdb_from_dir "$src"

q3='subject:kickoff or subject:lunch or subject:party'
# The ids of the messages in export directory $1 (from its manifest), sorted.
exported_ids() {
	python3 -c 'import csv,sys; [print(r["message_id"]) for r in csv.DictReader(open(sys.argv[1], newline=""))]' "$1/manifest.csv" | sort
}
sums_ok() { (cd "$1" && sha256sum --quiet -c SHA256SUMS) > "$tmp/sums.log" 2>&1 || { cat "$tmp/sums.log"; fail "$2: sha256sum -c SHA256SUMS"; }; }
# Types PATH (after the format, if any) at the export prompt, replacing the default.
answer_path() { ui_keys C-u; ui_type "$1"; ui_keys Enter; }

# --- marked threads
ui_start -- "$TRAWL" --no-mark-read "$q3"
ui_wait_line 0 '^search: '
ui_wait_for 'Release party'
t1=$(mkdb_notmuch search --sort=newest-first --output=threads "$q3" | sed -n 1p)
t2=$(mkdb_notmuch search --sort=newest-first --output=threads "$q3" | sed -n 2p)
[ -n "$t2" ] || fail "setup: two threads"
ui_keys m m x
ui_wait_for 'Export the marked threads \([0-9]+ messages\) to \[mbox\|maildir\|eml\] PATH: .*trawl-export-[0-9]{8}-[0-9]{6}'
answer_path "$tmp/marked"
ui_wait_for "Exported [0-9]+ messages to $tmp/marked \(mbox\); SHA256SUMS written"
want=$(mkdb_notmuch search --output=messages "$t1 or $t2" | sed 's/^id://' | sort)
assert_eq "$want" "$(exported_ids "$tmp/marked")" "marked threads: the exported Message-IDs"
n=$(printf '%s\n' "$want" | wc -l)
ui_wait_for "Exported $n messages to $tmp/marked"
sums_ok "$tmp/marked" "marked threads"
[ ! -e "$tmp/marked/.incomplete" ] || fail "marked: .incomplete left"
pass "x exports exactly the two marked threads ($n messages)"

# --- an existing path is refused, nothing written
mkdir -p "$tmp/exists"; echo keep > "$tmp/exists/file"
ui_keys x
ui_wait_for 'PATH: '
answer_path "$tmp/exists"
ui_wait_for "$tmp/exists exists; export never overwrites"
assert_eq "file" "$(ls -A "$tmp/exists")" "existing path: its contents"
assert_eq "keep" "$(cat "$tmp/exists/file")" "existing path: the file"
pass "an existing path is refused, unchanged"

# --- thread view: the selected message, byte for byte
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys x
ui_wait_for 'Export the message \(1 message\) to'
answer_path "eml $tmp/one"
ui_wait_for "Exported 1 message to $tmp/one \(eml\)"
assert_eq 1 "$(ls "$tmp/one" | grep -c '\.eml$')" "thread view x: one .eml"
eml=$(ls "$tmp/one"/*.eml)
mid=$(exported_ids "$tmp/one")
orig=$(mkdb_notmuch search --output=files "id:$mid" | sed -n 1p)
cmp "$eml" "$orig" || fail "thread view x: the .eml differs from the message's file"
sums_ok "$tmp/one" "one message"
pass "thread view x exports the selected message byte for byte"

# --- export-thread from the : line: the whole open thread
ui_keys :
ui_type "export-thread maildir $tmp/thread"
ui_keys Enter
ui_wait_for "Exported [0-9]+ messages? to $tmp/thread \(maildir\)"
tid=$(mkdb_notmuch search --output=threads "id:$mid")
assert_eq "$(mkdb_notmuch search --output=messages "$tid" | sed 's/^id://' | sort)" "$(exported_ids "$tmp/thread")" "export-thread: the thread's messages"
sums_ok "$tmp/thread" "export-thread"
pass "export-thread exports the open thread"
ui_keys q
ui_wait_line 0 '^search: '

# --- X: the count confirmed; n writes nothing, y writes all
count=$(mkdb_notmuch count "$q3")
ui_keys X
ui_wait_for "Export the query's $count messages to"
answer_path "$tmp/query"
ui_wait_for "Export $count messages to $tmp/query\? \(y/n\)"
ui_keys n
ui_wait_for 'Not exported: nothing written'
[ ! -e "$tmp/query" ] || fail "X then n: $tmp/query was written"
ui_keys X
ui_wait_for "Export the query's $count messages to"
answer_path "$tmp/query"
ui_wait_for "Export $count messages to $tmp/query\? \(y/n\)"
ui_keys y
ui_wait_for "Exported $count messages to $tmp/query"
assert_eq "$(mkdb_notmuch search --output=messages "$q3" | sed 's/^id://' | sort)" "$(exported_ids "$tmp/query")" "X: the query's messages"
sums_ok "$tmp/query" "X"
pass "X asks with the count ($count); n writes nothing, y exports all"
ui_keys q
ui_exit_status >/dev/null

# --- --read-only still exports
ui_start -- "$TRAWL" --read-only --no-mark-read "$q3"
ui_wait_for 'Release party'
ui_keys x
ui_wait_for 'PATH: '
answer_path "$tmp/ro"
ui_wait_for "Exported [0-9]+ messages to $tmp/ro"
sums_ok "$tmp/ro" "--read-only"
pass "--read-only exports"
ui_keys q
ui_exit_status >/dev/null

# --- C-c stops a slow export, .incomplete left
all=$(mkdb_notmuch count '*')
ui_start TRAWL_EXPORT_DELAY_MS=300 -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: '
ui_keys X
ui_wait_for "Export the query's $all messages to"
answer_path "$tmp/slow"
ui_wait_for "Export $all messages to $tmp/slow\? \(y/n\)"
ui_keys y
ui_wait_for "Exporting [1-9][0-9]*/$all to $tmp/slow\.\.\. C-c stops"
ui_keys j
ui_wait_for "Exporting [0-9]+/$all"
ui_keys C-c
ui_wait_for "Export stopped after [0-9]+ of $all messages: $tmp/slow/.incomplete left"
[ -f "$tmp/slow/.incomplete" ] || fail "C-c: no .incomplete"
[ ! -e "$tmp/slow/SHA256SUMS" ] || fail "C-c: SHA256SUMS written"
pass "C-c stops the export, .incomplete left"
ui_keys q
ui_exit_status >/dev/null

# --- quitting while an export runs asks first (one key): n goes on, y stops
# the export cleanly (.incomplete left, no SHA256SUMS) and quits; the same
# export again, from the command line, finishes it
ui_start TRAWL_EXPORT_DELAY_MS=300 -- "$TRAWL" --no-mark-read '*'
ui_wait_line 0 '^search: '
ui_keys X
ui_wait_for "Export the query's $all messages to"
answer_path "$tmp/quit"
ui_wait_for "Export $all messages to $tmp/quit\? \(y/n\)"
ui_keys y
ui_wait_for "Exporting [1-9][0-9]*/$all to $tmp/quit"
ui_keys q
ui_wait_for "An export to $tmp/quit is running \([0-9]+ of $all\): stop it and quit\?"
ui_keys n
ui_wait_for "Still exporting to $tmp/quit"
ui_wait_line 0 '^search: '
ui_keys Q
ui_wait_for "An export to $tmp/quit is running"
ui_keys y
ui_exit_status >/dev/null
[ -f "$tmp/quit/.incomplete" ] || fail "quit: no .incomplete"
[ ! -e "$tmp/quit/SHA256SUMS" ] || fail "quit: SHA256SUMS written"
NOTMUCH_CONFIG="$NOTMUCH_CONFIG" HOME="$tmp" "$TRAWL" export --quiet --config "$NOTMUCH_CONFIG" --to "$tmp/quit" '*' \
	> "$tmp/quit.out" 2>&1 || { cat "$tmp/quit.out"; fail "quit: the re-run failed"; }
[ ! -e "$tmp/quit/.incomplete" ] || fail "quit: the re-run left .incomplete"
assert_eq "$(mkdb_notmuch search --output=messages '*' | sed 's/^id://' | sort)" "$(exported_ids "$tmp/quit")" "quit then re-run: every message"
sums_ok "$tmp/quit" "quit then re-run"
pass "q/Q during an export ask first; y stops it cleanly and a re-run finishes it"

# --- picked by hand, exported whole: a message tagged deleted (one of
# search.exclude_tags) is shown in its thread and exported with it by C-e
# (export-thread); the query's export (X) leaves it out, as its count does
big=
for t in $(mkdb_notmuch search --output=threads '*'); do
	[ "$(mkdb_notmuch count "$t")" -ge 2 ] && { big=$t; break; }
done
[ -n "$big" ] || fail "setup: a thread of two messages or more"
gone=$(mkdb_notmuch search --output=messages "$big" | sed -n 1p)
mkdb_notmuch tag +deleted -- "$gone"
whole=$(mkdb_notmuch search --exclude=false --output=messages "$big" | sed 's/^id://' | sort)
kept=$(mkdb_notmuch count "$big")
assert_eq "$(($(printf '%s\n' "$whole" | wc -l) - 1))" "$kept" "setup: one message excluded"
ui_start -- "$TRAWL" --no-mark-read "$big"
ui_wait_line 0 '^search: '
ui_keys Enter
ui_wait_line 0 '^thread: '
ui_keys C-e
ui_wait_for 'Export the thread \([0-9]+ messages\) to'
answer_path "$tmp/whole"
ui_wait_for "Exported [0-9]+ messages to $tmp/whole"
assert_eq "$whole" "$(exported_ids "$tmp/whole")" "C-e: the thread's messages, the deleted one too"
grep -q -- '--include-excluded' "$tmp/whole/manifest.json" || fail "C-e: the manifest's command line lacks --include-excluded"
sums_ok "$tmp/whole" "C-e"
ui_keys q
ui_wait_line 0 '^search: '
ui_keys X
ui_wait_for "Export the query's $kept messages? to"
answer_path "$tmp/kept"
ui_wait_for "Export $kept messages? to $tmp/kept\? \(y/n\)"
ui_keys y
ui_wait_for "Exported $kept messages? to $tmp/kept"
assert_eq "$(mkdb_notmuch search --output=messages "$big" | sed 's/^id://' | sort)" "$(exported_ids "$tmp/kept")" "X: the excluded message left out"
pass "C-e exports the whole thread, excluded messages too; X applies the exclusions"
ui_keys q
ui_exit_status >/dev/null
ui_done
