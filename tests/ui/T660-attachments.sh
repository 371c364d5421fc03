#!/bin/sh
# T660-attachments: E opens every attachment of the current query (the shape
# index, format 2: bodies read only for messages notmuch tagged attachment):
# names sanitised (RFC 2231/2047 decoded, a hostile name with controls, bidi
# and ../), types, sizes and sha256 as python3's email module computes them;
# o/r sort, f filters as you type, d groups identical ones ("sent 3 times by
# 3 people"), Enter opens the thread at the message and attachment, S saves
# the right bytes (never overwriting); a second open reads no file
# (TRAWL_STATS); a new attachment appears after notmuch new; a vanished file
# counts as unreadable; a query matching nothing says so.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
mkdb_from_dir "$FIXTURES/att"
stat_of() { sed -n "s/^$2 //p" "$1"; }

# What python's email module says: per attachment (a leaf part with a
# file name or Content-Disposition: attachment), "sha256 size name".
python3 - "$tmp/mail/cur" > "$tmp/expected" <<'PY' || fail "python3 could not read the fixtures"
import email, email.policy, hashlib, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    m = email.message_from_binary_file(open(os.path.join(d, f), 'rb'), policy=email.policy.default)
    for p in m.walk():
        if p.is_multipart() or p.get_content_disposition() != 'attachment':
            continue
        b = p.get_payload(decode=True) or b''
        print(hashlib.sha256(b).hexdigest(), len(b), p.get_filename())
PY
[ "$(wc -l < "$tmp/expected")" = 7 ] || fail "python found $(wc -l < "$tmp/expected") attachments, not 7"
sha_of() { grep " $1\$" "$tmp/expected" | cut -c1-64; }

# --- first open: built; every attachment, newest first
ui_start TRAWL_STATS="$tmp/a.stats" -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys E
ui_wait_line 0 '^attachments: \* .*7 attachments, by date, 6 messages'
# Each row: the short sha256 and the size python computed.
while read -r sha size name; do
	short=$(echo "$sha" | cut -c1-10)
	ui_screen | grep -q "$short" || fail "$name: sha256 $short not shown"
done < "$tmp/expected"
assert_line 1 "$(sha_of inner.csv | cut -c1-10) +12 bytes +Erin +inner\.csv +text/csv"
assert_screen "$(sha_of report.pdf | cut -c1-10) +695 bytes +Alice Smith +report\.pdf +application/pdf"
# RFC 2231 and RFC 2047 names decoded.
assert_line 5 '1\.0 kB +Bob '
assert_line 5 '報告\.bin +application/octet-stream'
assert_line 3 '1\.0 kB +Carol '
assert_line 3 'résumé\.bin +application/octet-stream'
# The hostile name: shown sanitised, never raw.
assert_screen 'Mallory +\.\./\.\./\^\[\[31mevil<U\+202E>gpj\.exe'
if ui_screen_e | grep -q "$(printf '\033')\[31m"; then fail "a terminal escape from a file name reached the screen"; fi
# Sorting: o cycles the column (name next), r flips it.
ui_keys o
ui_wait_line 0 'by name, 6 messages'
assert_line 1 '\.\./\.\./'
assert_line 2 'budget\.bin'
ui_keys o o
ui_wait_line 0 'by size, 6 messages'
assert_line 1 '1\.0 kB'
ui_keys r
ui_wait_line 0 'by size \(reversed\)'
assert_line 1 '12 bytes +Erin'
# Grouped: the same bytes sent 3 times by 3 people, the first sent for them.
ui_keys d
ui_wait_line 0 '5 distinct, by size \(reversed\)'
ui_keys : ; ui_type 'attachments-sort count'; ui_keys Enter
ui_wait_line 0 '5 distinct, by count'
assert_line 1 "$(sha_of budget.bin | cut -c1-10) +1\.0 kB +Alice Smith +sent 3 times by 3 people +budget\.bin"
assert_line 2 'sent 1 time by 1 person'
ui_keys d
ui_wait_line 0 '7 attachments, by count'
# The filter narrows as you type, by name or type: "c" (inner.csv and
# every application/), then "cs" (inner.csv, text/csv).
ui_keys f
ui_type 'c'
ui_wait_line 0 '6 attachments, filter "c"'
ui_type 's'
ui_wait_line 0 '1 attachments, filter "cs"'
assert_line 1 'inner\.csv'
ui_keys Enter
ui_wait_line 0 '1 attachments, filter "cs"'
ui_keys f C-u
ui_type 'TEXT/'
ui_wait_line 0 '2 attachments, filter "TEXT/"'
ui_keys Enter
ui_keys f C-u
ui_type 'zzz'
ui_wait_for 'No attachment.s name or type contains "zzz"'
ui_keys Escape
ui_wait_line 0 '2 attachments, filter "TEXT/"'
ui_keys f C-u Enter
ui_wait_line 0 '7 attachments, by count'
# Back to date order; Enter on the forwarded message's attachment opens its
# thread at that message, scrolled to the attachment line.
ui_keys : ; ui_type 'attachments-sort date'; ui_keys Enter
ui_wait_line 0 '7 attachments, by date'
ui_keys Enter
ui_wait_line 0 '^thread: Forwarded'
ui_wait_for '\[attachment 1: inner\.csv, text/csv, 12 bytes\]'
ui_keys q
ui_wait_line 0 '7 attachments, by date'
# S saves the selected one: the bytes python decoded; never overwriting.
mkdir -p "$tmp/out"
ui_keys j j j j j j
ui_wait_selected 'budget\.bin'
ui_keys S
ui_wait_for 'Save to directory:'
ui_keys C-u; ui_type "$tmp/out"; ui_keys Enter
ui_wait_for "Saved $tmp/out/budget\.bin"
assert_eq "$(sha_of budget.bin)" "$(sha256sum "$tmp/out/budget.bin" | cut -c1-64)" "saved bytes"
ui_keys k
ui_wait_selected 'report\.pdf'
ui_keys S
ui_wait_for 'Save to directory:'
ui_keys Enter
ui_wait_for "Saved $tmp/out/report\.pdf"
assert_eq "$(sha_of report.pdf)" "$(sha256sum "$tmp/out/report.pdf" | cut -c1-64)" "saved bytes"
ui_keys j S
ui_wait_for 'Save to directory:'
ui_keys Enter
ui_wait_for "Saved $tmp/out/budget-1\.bin"
# The hostile one saves under its safe name, inside the directory.
ui_keys : ; ui_type 'attachments-filter exe'; ui_keys Enter
ui_wait_line 0 '1 attachments, filter "exe"'
ui_keys S
ui_wait_for 'Save to directory:'
ui_keys Enter
ui_wait_for "Saved $tmp/out/\[31mevilgpj\.exe"
assert_eq "$(grep 'exe$' "$tmp/expected" | cut -c1-64)" "$(sha256sum "$tmp/out/[31mevilgpj.exe" | cut -c1-64)" "saved bytes"
[ "$(ls "$tmp/out" | wc -l)" = 4 ] || fail "saved files: $(ls "$tmp/out")"
ui_keys Q
ui_expect_exit 0
assert_eq 6 "$(stat_of "$tmp/a.stats" shape_files_read)" "files read by the first open"
assert_eq 1 "$(stat_of "$tmp/a.stats" shape_builds)" "builds"

# --- second open, from the thread view's query: no file read
ui_start TRAWL_STATS="$tmp/b.stats" -- "$TRAWL" 'from:carol'
ui_wait_line 0 '^search: from:carol'
ui_keys Enter
ui_wait_line 0 '^thread: Budget again'
ui_keys E
ui_wait_line 0 '^attachments: from:carol .*2 attachments, by date, 1 messages'
ui_keys d
ui_wait_line 0 '2 distinct'
ui_keys Q
ui_expect_exit 0
assert_eq 0 "$(stat_of "$tmp/b.stats" shape_files_read)" "files read by the second open"
assert_eq 1 "$(stat_of "$tmp/b.stats" shape_loads)" "cache loads"

# --- a query matching nothing; a message without attachments
ui_start -- "$TRAWL" 'from:nobody-at-all'
ui_wait_line 0 '^search: from:nobody-at-all'
ui_keys : ; ui_type 'attachments'; ui_keys Enter
ui_wait_for 'No messages match from:nobody-at-all'
ui_keys q
ui_keys : ; ui_type 'search from:dave'; ui_keys Enter
ui_wait_line 0 '^search: from:dave'
ui_keys E
ui_wait_for 'No attachments in these messages'
ui_keys Q
ui_expect_exit 0

# --- after notmuch new: a new attachment appears (its file alone read);
# a vanished file counts as unreadable
cat > "$tmp/mail/cur/1720000099.99.att:2," <<'MSG'
From: Zoe <zoe@z.example>
To: list@att.example
Subject: Late
Message-ID: <att99@test>
Date: Tue, 09 Jan 2024 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=Z

--Z
Content-Type: text/plain

late
--Z
Content-Type: image/png
Content-Disposition: attachment; filename=dot.png
Content-Transfer-Encoding: base64

aGVsbG8=
--Z--
MSG
mkdb_new
ui_start TRAWL_STATS="$tmp/c.stats" -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys E
ui_wait_line 0 '8 attachments, by date, 7 messages'
assert_line 1 "$(printf hello | sha256sum | cut -c1-10) +5 bytes +Zoe +dot\.png +image/png"
ui_keys Q
ui_expect_exit 0
assert_eq 1 "$(stat_of "$tmp/c.stats" shape_files_read)" "files read after notmuch new added one"
rm "$tmp/mail/cur/1720000099.99.att:2,"
ui_start -- "$TRAWL" '*'
ui_wait_line 0 '^search: \*'
ui_keys E
ui_wait_line 0 '7 attachments, by date, 7 messages, 1 unreadable'
ui_keys Q
ui_expect_exit 0
# --- a tag change patches the rows: Enter opens the thread at the newest
# attachment (inner.csv, att6), t -inbox on that message, q back: its row
# is gone, the other rows and the counts are notmuch's; no file read, no
# second listing (TRAWL_STATS)
last=$((UI_ROWS - 1))
ui_start TRAWL_STATS="$tmp/d.stats" -- "$TRAWL" 'tag:inbox'
ui_wait_line 0 '^search: tag:inbox'
ui_keys E
ui_wait_line 0 '^attachments: tag:inbox .*7 attachments, by date, 7 messages, 1 unreadable'
assert_line 1 'inner\.csv'
ui_keys Enter
ui_wait_line 0 '^thread: Forwarded'
ui_keys t
ui_wait_line "$last" '^Tag .*\(\+tag -tag\): ?$'
ui_type '-inbox'
ui_keys Enter
ui_wait_line "$last" '^-inbox on 1 message'
assert_eq 0 "$(mkdb_notmuch count 'id:att6@test and tag:inbox')" "inbox left on att6"
ui_keys q
inbox=$(mkdb_notmuch count tag:inbox)
assert_eq 6 "$inbox" "messages in inbox"
ui_wait_line 0 "^attachments: tag:inbox .*6 attachments, by date, $inbox messages, 1 unreadable"
assert_not_screen 'inner\.csv'
assert_line 1 'Mallory'
# Each attachment of the messages still in inbox, as python counted them.
for name in report.pdf budget.bin 報告.bin résumé.bin menu.txt; do
	short=$(sha_of "$name" | cut -c1-10)
	ui_screen | grep -q "$short" || fail "$name ($short) no longer shown"
done
# Grouped: budget.bin's content is still sent 3 times by 3 people.
ui_keys d
ui_wait_line 0 '4 distinct, by date, 6 messages'
assert_screen 'sent 3 times by 3 people'
ui_keys d
ui_wait_line 0 '6 attachments, by date'
ui_keys Q
ui_expect_exit 0
assert_eq 0 "$(stat_of "$tmp/d.stats" shape_files_read)" "files read by the tag change"
assert_eq 1 "$(stat_of "$tmp/d.stats" shape_counts)" "listings (the open only)"
assert_eq 0 "$(stat_of "$tmp/d.stats" shape_recounts)" "recounts"
assert_eq 1 "$(stat_of "$tmp/d.stats" shape_patches)" "patched changes"
ui_done
