#!/bin/sh
# T640-inclusive: the thread view marks the messages a later reply or
# forward quotes in full (covered: ⊂ in the tree, "N of M covered" in the
# title, "covered by" on the separator), i hides and shows them, } and {
# move between the inclusive ones.  First on a hand-made thread, then on
# real threads of linux-serial-2020 (../shared/corpora) checked by reading
# them.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

# The tree rows (between the participants line under the title and the separator).
tree() { ui_screen | awk 'NR > 2 && /^── / { exit } NR > 2 { print }'; }
tree_has() { tree | grep -E -q -- "$1" || { ui_dump; fail "no tree row matches /$1/"; }; }
tree_lacks() { ! tree | grep -E -q -- "$1" || { ui_dump; fail "a tree row matches /$1/"; }; }

# ---- a hand-made thread ----
#   0 Alice   the question                                  covered by 1
#   1 Bob     quotes 0 whole (re-wrapped, "> >" spacing), answers    covered by 2
#   2 Alice   top-posted thanks above all of 1 quoted              covered by 3
#   3 Dave    forwards 2 as an attached message/rfc822             inclusive
#   4 Carol   quotes only the question's last line                  inclusive
src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
msg() { # FILE FROM ID DATE IN-REPLY-TO [EXTRA-HEADER]; body on stdin
	{
		printf 'From: %s\nTo: list@example.org\nSubject: Build broken\n' "$2"
		printf 'Date: Mon, 10 Jun 2024 %s:00 +0000\nMessage-ID: <%s@example.org>\n' "$4" "$3"
		[ -n "$5" ] && printf 'In-Reply-To: <%s@example.org>\nReferences: <%s@example.org>\n' "$5" "$5"
		[ -n "${6:-}" ] && printf '%s\n' "$6"
		printf '\n'
		cat
	} > "$src/cur/$1:2,"
}
msg m0 'Alice Example <alice@example.org>' q 10:00 '' <<'EOF'
Hi all,

the nightly build fails on arm64 since yesterday: the linker cannot find
libfoo.  Any idea what changed?

Alice
EOF
msg m1 'Bob Builder <bob@example.org>' a1 11:00 q <<'EOF'
On Mon, 10 Jun 2024, Alice Example wrote:
> Hi all,
>
> the nightly build fails on arm64 since yesterday: the
> linker cannot find libfoo.  Any idea what
> changed?
>
> Alice

The toolchain image was updated yesterday.  I will pin the old one.

-- 
Bob, release team
EOF
msg m2 'Alice Example <alice@example.org>' a2 12:00 a1 <<'EOF'
Thanks, pinning fixed it.

On Mon, 10 Jun 2024, Bob Builder wrote:
> On Mon, 10 Jun 2024, Alice Example wrote:
> > Hi all,
> > the nightly build fails on arm64 since yesterday: the linker cannot find
> > libfoo.  Any idea what changed?
> > Alice
>
> The toolchain image was updated yesterday.  I will pin the
> old one.
EOF
msg m3 'Dave Doe <dave@example.org>' f3 13:00 a2 'MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"' <<'EOF'
--XX
Content-Type: text/plain

For the record, see the attached message.
--XX
Content-Type: message/rfc822

From: Alice Example <alice@example.org>
Subject: Re: Build broken
Message-ID: <a2@example.org>

Thanks, pinning fixed it.

--XX--
EOF
msg m4 'Carol Chen <carol@example.org>' c4 11:30 q <<'EOF'
> Any idea what changed?

No idea, sorry.
EOF
mkdb_from_dir "$src"

ui_start -- "$TRAWL" --no-mark-read subject:build
ui_wait_line 1 'Build broken'
ui_keys Enter
ui_wait_line 0 '^thread: Build broken +\[1/5\] 5 matched, 3 of 5 covered$'
# Display order: Alice, Bob, Alice, Dave (under Alice), Carol.
ui_wait_for '^ +Mon 10:00 ⊂ Alice Example'
tree_has '├─⊂ Bob Builder'
tree_has '│ └─⊂ Alice Example'
tree_has '│   └─Dave Doe'
tree_has '└─Carol Chen'
tree_lacks '⊂ (Dave|Carol)'
# The separator names the message that covers the one shown.
ui_wait_for '^── 1/5 Alice Example, [0-9]+%, covered by 2/5 Bob Builder ─'

# } and {: the inclusive messages, Dave's and Carol's.
ui_keys '}'
ui_wait_line 0 '\[4/5\] 5 matched, 3 of 5 covered$'
ui_wait_for '^── 4/5 Dave Doe, [0-9]+% ─'
ui_keys '}'
ui_wait_line 0 '\[5/5\] 5 matched'
ui_keys '}'
ui_wait_for 'No inclusive message after this one'
ui_keys '{' '{'
ui_wait_for 'No inclusive message before this one'
ui_wait_line 0 '\[4/5\] 5 matched'

# i hides the covered ones: Dave's and Carol's rows are left, their tree
# lines as they were.
ui_keys g
ui_wait_line 0 '\[1/5\] 5 matched'
ui_keys i
ui_wait_line 0 '\[4/5\] 5 matched, 3 of 5 covered, covered hidden$'
ui_wait_for '3 covered messages hidden'
tree_lacks 'Alice Example|Bob Builder'
tree_has '^ +Mon 13:00 │   └─Dave Doe'
tree_has '^ +Mon 11:30 └─Carol Chen'
# Moving stays on the rows shown; n (next message) from the last row says so.
ui_keys g
ui_wait_line 0 '\[4/5\]'
ui_keys j
ui_wait_line 0 '\[5/5\]'
ui_keys k
ui_wait_line 0 '\[4/5\]'
# p moves to the previous ROW: there is none above Dave's.
ui_keys p
ui_wait_line 0 '\[4/5\]'
# Going to a covered message ([, the previous match) gives it its row back.
ui_keys '['
ui_wait_line 0 '\[3/5\] 5 matched, 3 of 5 covered, covered hidden$'
tree_has '│ └─⊂ Alice Example'
tree_lacks 'Bob Builder'
# i again: every row.
ui_keys i
ui_wait_line 0 '\[3/5\] 5 matched, 3 of 5 covered$'
ui_wait_for 'Covered messages shown'
tree_has 'Bob Builder'
# The same by name on the : line.
ui_keys :
ui_type 'toggle-covered'
ui_keys Enter
ui_wait_line 0 'covered hidden$'
tree_lacks 'Bob Builder'
ui_keys Q
ui_expect_exit 0

# ---- real threads: linux-serial-2020 ----
if [ -z "$TRAWL_CORPORA" ] || [ ! -d "$TRAWL_CORPORA/linux-serial-2020/cur" ]; then
	echo "# SKIP part: no linux-serial-2020 corpus (../shared/corpora)"
	ui_done
fi
# Two threads, read by hand:
#  "imx: fix link error" (Sep 2020, 4 messages, a chain): Greg quotes Yang's
#   whole patch (its "-- 2.25.1" signature aside); Yang, in format=flowed,
#   quotes all of Greg's question and sign-off around his answer; Greg quotes
#   all of Yang's answer, re-wrapped by his mailer; his last message is
#   inclusive.  Covered: 1 2 3.
#  "qcom_geni_serial: Use OPP API" (Aug 2020, 6 messages, a chain): John's
#   second message quotes his first but not its "thanks -john", so the first
#   stays inclusive; Rajendra quotes all of John's second (its diff chunk
#   two levels down), Amit all of Rajendra's (interleaved, his footnote
#   too), Rajendra all of Amit's, and again all of his own; the last one is
#   inclusive.  Covered: 2 3 4 5.
ls=$TRAWL_CORPORA/linux-serial-2020/cur
rm -rf "$src"
mkdir -p "$src/cur" "$src/new" "$src/tmp"
for f in 1600420385.525e556cd945 1600427818.ff831329ea8e 1600482398.8cfa09867ddd 1600494076.facc42e3a4ed \
	1597187506.32493c93a8a8 1597196016.591a2cc8709c 1597211281.db9184fe9b0b 1597217704.9ddcb1ca94b7 \
	1597217984.600707480c0e 1597224377.564bb1de8dbb; do
	cp "$ls/$f.lserial:2," "$src/cur/" || fail "no $f in the corpus"
done
mkdb_from_dir "$src"
# One letter per tree row: C covered, - not.
marks() { tree | awk '{ printf "%s", (index($0, "⊂ ") ? "C" : "-") }'; }

ui_start -- "$TRAWL" --no-mark-read '*'
ui_wait_line 1 'imx: fix link error'
ui_wait_line 2 'Use OPP API'
ui_keys Enter
ui_wait_line 0 '\[1/4\] 4 matched, 3 of 4 covered$'
assert_eq 'CCC-' "$(marks)" "covered rows of the imx thread"
ui_wait_for '^── 1/4 Yang Yingliang, [0-9]+%, covered by 2/4 Greg KH ─'
ui_keys '}'
ui_wait_line 0 '\[4/4\] 4 matched, 3 of 4 covered$'
ui_keys i
ui_wait_line 0 '\[4/4\] 4 matched, 3 of 4 covered, covered hidden$'
assert_eq '-' "$(marks)" "rows left of the imx thread"
ui_keys q
ui_wait_line 0 '^search: '
ui_keys j Enter
ui_wait_line 0 '\[1/6\] 6 matched, 4 of 6 covered$'
assert_eq '-CCCC-' "$(marks)" "covered rows of the OPP thread"
ui_keys '}'
ui_wait_line 0 '\[6/6\] 6 matched'
ui_keys '{'
ui_wait_line 0 '\[1/6\] 6 matched'
ui_keys n
ui_wait_for '^── 2/6 John Stultz, [0-9]+%, covered by 3/6 Rajendra Nayak ─'
# Hiding with the cursor on a covered message moves it to the next inclusive one.
ui_keys i
ui_wait_line 0 '\[6/6\] 6 matched, 4 of 6 covered, covered hidden$'
assert_eq '--' "$(marks)" "rows left of the OPP thread"
ui_keys Q
ui_expect_exit 0
ui_done
