#!/bin/sh
# T400-config: trawl's own config file as a user writes it, in
# $XDG_CONFIG_HOME/trawl/config: a bad line is reported (file:line) on the
# bottom line and trawl starts with the rest; key bindings, bind lines (a
# command with its argument, a sequence gg, C-x, M-f, F5, the keys = and ],
# an argument holding '='; unbind) run what they name, a bad one is reported
# at its FILE:LINE by the parser (an unknown command) or the UI (a bad key);
# colours (the
# selection, a tag by name) reach the terminal; NO_COLOR keeps attributes
# only; options (date-format, author-width, thread-columns) shape the list;
# `?` lists the user's bindings; the `:` command line runs commands with
# arguments and completes their names; --check-config and --dump-config.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
mkdb_from_dir "$FIXTURES/basic"

last=$((UI_ROWS - 1))
count() { mkdb_notmuch count "$@"; }
esc=$(printf '\033')

mkdir -p "$tmp/.config/trawl"
cfg=$tmp/.config/trawl/config
cat > "$cfg" <<'EOF'
# a user's config
[options]
author-width = 12
date-format = %Y-%m-%d
this line is not a setting
thread-columns = date authors subject tags count

[colors]
selected = white on blue
tag.inbox = magenta
row.tag.fromcmd = on green
date = mauve

[searches]
alices = from:alice

bind search S    tag +spam -inbox
bind search gg   move-first
bind search Home move-first
bind search C-x  search tag:unread
bind search M-f  toggle-flagged
bind search F5   refresh
bind search =    toggle-unread
bind search ]    tag +x=y  -todo
bind search y    frobnicate
bind generic Hme quit
unbind search o
EOF

# --check-config: every problem as FILE:LINE, exit 1.
st=0
ui_env -- "$TRAWL" --check-config > "$tmp/check.out" 2>&1 || st=$?
assert_eq 1 "$st" "--check-config status with problems"
grep -q "^$cfg:5: 'this line is not a setting' is not a 'name = value' line" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not report line 5"; }
grep -q "^$cfg:12: bad colour 'mauve'" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not report the bad colour on line 12"; }
grep -q "^$cfg:25: unknown command 'frobnicate'" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not report the unknown command on line 25"; }
grep -q "^$cfg:26: bad key 'Hme'" "$tmp/check.out" ||
	{ cat "$tmp/check.out"; fail "--check-config does not report the bad key on line 26"; }
assert_eq 4 "$(wc -l < "$tmp/check.out")" "--check-config lines"

# --dump-config round-trips: the dump, read back as a config, dumps the same.
ui_env -- "$TRAWL" --dump-config > "$tmp/dump1" 2>/dev/null || fail "--dump-config failed"
grep -q '^author-width = 12$' "$tmp/dump1" || fail "--dump-config lacks the user's author-width"
grep -q '^bind search  *S  *tag +spam -inbox$' "$tmp/dump1" || fail "--dump-config lacks the user's binding"
grep -q '^bind search  *\]  *tag +x=y  -todo$' "$tmp/dump1" || fail "--dump-config lacks the binding of ]"
grep -q '^unbind search  *o$' "$tmp/dump1" || fail "--dump-config lacks the unbinding of o"
grep -q '^\[keys' "$tmp/dump1" && fail "--dump-config writes a [keys] section"
ui_env TRAWL_CONFIG="$tmp/dump1" -- "$TRAWL" --dump-config > "$tmp/dump2" 2>/dev/null || fail "--dump-config of the dump failed"
cmp -s "$tmp/dump1" "$tmp/dump2" || { diff -u "$tmp/dump1" "$tmp/dump2"; fail "--dump-config does not round-trip"; }

# The UI starts with the rest of the file and names the first problem.
ui_start -- "$TRAWL"
ui_wait_line 0 '^search: tag:inbox .*\[1/6\]'
ui_wait_line "$last" "config:5: 'this line is not a setting' is not a"
# Options: the date format, 12 columns of authors, then subject, tags, count.
ui_wait_line 1 '^2024-06-15 Alice Exampl Project kickoff \(inbox unread\) \[4/4\]'
# Colours: the selection is white on blue, the inbox tag magenta.
ui_screen_e | sed -n 2p | grep -q "$esc\[37m$esc\[44m" ||
	{ ui_screen_e | sed -n 2p | cat -v; fail "the selected row is not white on blue"; }
ui_screen_e | sed -n 3p | grep -q "$esc\[35minbox" ||
	{ ui_screen_e | sed -n 3p | cat -v; fail "the inbox tag is not magenta"; }

# A binding with its argument: S tags the thread +spam -inbox.
kickoff=$(mkdb_notmuch search --output=threads id:kickoff-1@example.org)
ui_keys S
ui_wait_line "$last" '\+spam -inbox on 4 messages'
assert_eq 4 "$(count --exclude=false "$kickoff and tag:spam")" "spam on the thread after S"
ui_keys u
ui_wait_line "$last" '^Undone'
assert_eq 0 "$(count --exclude=false "$kickoff and tag:spam")" "spam after undo"

# A sequence: G to the end, gg back to the top (g alone waits for the rest).
ui_keys G
ui_wait_line 0 '\[6/6\]'
ui_keys g
ui_wait_line "$last" '^g-$'
ui_keys g
ui_wait_line 0 '\[1/6\]'
# M-f (Esc f) flags; F5 refreshes.
ui_keys M-f
ui_wait_line "$last" '\+flagged on 4 messages'
assert_eq 4 "$(count "$kickoff and tag:flagged")" "flagged after M-f"
ui_keys F5
ui_wait_line "$last" '^Refreshed'
# = (bound to a command) marks the thread read; ] runs tag with an argument
# that holds '=' and two blanks.
assert_eq 4 "$(count "$kickoff and tag:unread")" "unread before ="
ui_keys =
ui_wait_line "$last" '-unread on 4 messages'
assert_eq 0 "$(count "$kickoff and tag:unread")" "unread after ="
ui_keys ']'
ui_wait_line "$last" '\+x=y -todo on 4 messages'
mkdb_notmuch search --output=tags "$kickoff" | grep -q -x 'x=y' ||
	fail "the thread lacks the tag x=y after ]"
# o is unbound in the thread list.
ui_keys o
ui_wait_line "$last" '^o is not bound in the search view'
# C-x runs a search with its argument.
ui_keys C-x
ui_wait_line 0 '^search: tag:unread '
ui_keys q
ui_wait_line 0 '^search: tag:inbox '

# B lists the config's saved searches with their counts.
ui_keys B
ui_wait_for 'alices +from:alice'
ui_keys q
ui_wait_line 0 '^search: tag:inbox '

# ? lists the user's bindings among the table's.
ui_keys '?'
ui_wait_line 0 '^help: search'
assert_screen '^  gg Home g +move-first '
assert_screen '^  F M-f +toggle-flagged '
assert_screen '^  U = +toggle-unread '
assert_screen '^  \(unbound\) +toggle-order '
ui_keys G
ui_wait_for '^With arguments'
assert_screen '^  S +tag \+spam -inbox$'
assert_screen '^  C-x +search tag:unread$'
assert_screen '^  \] +tag \+x=y  -todo$'
ui_keys q
ui_wait_line 0 '^search: tag:inbox '

# The : command line: Tab completes a command name; arguments are given.
ui_keys :
ui_wait_line "$last" '^: ?$'
ui_type 'toggle-o'
ui_keys Tab
ui_wait_line "$last" '^:toggle-order ?$'
ui_keys Enter
ui_wait_line 0 'oldest first'
ui_screen_e | grep -q "$esc\[42m" && fail "a row is green before any has the fromcmd tag"
ui_keys :
ui_type 'tag +fromcmd'
ui_keys Enter
ui_wait_line "$last" '\+fromcmd on [0-9]+ messages?'
assert_ne 0 "$(count tag:fromcmd)" "messages tagged from the command line"
# row.tag.fromcmd: the tagged row, once not selected, is green.
ui_keys j
ui_wait_line 0 '\[2/6\]'
ui_screen_e | sed -n 2p | grep -q "$esc\[42m" ||
	{ ui_screen_e | sed -n 2,3p | cat -v; fail "the row with the fromcmd tag is not green"; }
ui_keys :
ui_type 'frobnicate'
ui_keys Enter
ui_wait_line "$last" "Unknown command 'frobnicate'"
ui_keys :
ui_type 'quit now'
ui_keys Enter
ui_wait_line "$last" 'quit takes no argument'
ui_keys :
ui_type 'next-message'
ui_keys Enter
ui_wait_line "$last" 'next-message does not work in the search view'
ui_keys Q
ui_expect_exit 0

# NO_COLOR: no colour reaches the terminal, the selection still shows.
ui_start NO_COLOR=1 -- "$TRAWL"
ui_wait_line 1 'Project kickoff'
if ui_screen_e | grep -q "$esc\[\([0-9]*;\)*[34][0-8]m"; then
	ui_screen_e | head -4 | cat -v
	fail "a colour was drawn under NO_COLOR"
fi
assert_selected 'Project kickoff'
ui_keys q
ui_expect_exit 0

# A monochrome terminal (vt100: no colours) still shows the selection.
ui_start TERM=vt100 -- "$TRAWL"
ui_wait_line 1 'Project kickoff'
assert_selected 'Project kickoff'
ui_keys j
ui_wait_selected 'Grüße aus Köln'
ui_keys q
ui_expect_exit 0

# start-view: the tag list opens over the thread list (not when a query is
# given); q goes back to the list.
printf '[options]\nstart-view = tags\n' > "$tmp/start.conf"
ui_start TRAWL_CONFIG="$tmp/start.conf" -- "$TRAWL"
ui_wait_line 0 '^tags'
ui_wait_for 'messages +[0-9]+ unread +inbox'
ui_keys q
ui_wait_line 0 '^search: tag:inbox '
ui_keys q
ui_expect_exit 0
ui_start TRAWL_CONFIG="$tmp/start.conf" -- "$TRAWL" from:alice
ui_wait_line 0 '^search: from:alice '
ui_keys q
ui_expect_exit 0

# A config file named on the command line that does not exist: a clear error.
st=0
ui_env -- "$TRAWL" --trawl-config "$tmp/nope.conf" --dump-list > "$tmp/nope.out" 2>&1 || st=$?
assert_eq 1 "$st" "a missing --trawl-config file"
grep -q "config file $tmp/nope.conf" "$tmp/nope.out" || { cat "$tmp/nope.out"; fail "no message naming the missing file"; }

ui_done
