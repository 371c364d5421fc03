#!/bin/sh
# T680-verify: V (verify) in the thread view checks the DKIM signatures of
# every message of the thread, offline through the dkim-keys directory
# (tests/lib/dkimfix.py signs the messages at test time):
#   - before V nothing is verified: no DKIM line, no marker, and
#     TRAWL_STATS counts 0 verifications after reading every message;
#   - after V: "DKIM: verified (example.com, sel1)" under the good
#     message's headers, "DKIM: BODY CHANGED (...)" under the changed one,
#     both signatures of the two-signature message; the ✗dkim marker on
#     exactly the three failed rows; moving around verifies nothing again
#     (4 verifications for 4 messages); :verify works too.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/dkim.sh"
dkim_fixtures "$tmp/fix"
mkdb_from_dir "$tmp/fix/mail"
conf=$tmp/trawl.conf
printf '[options]\ndkim-keys = %s\n' "$tmp/fix/keys" > "$conf"

stat_of() { sed -n "s/^$1 //p" "$2"; }
open_thread() {
	ui_start TRAWL_STATS="$1" -- "$TRAWL" --trawl-config "$conf" --no-mark-read --sort oldest-first 'thread:{id:good@dkim.example}'
	ui_wait_line 0 "^search: "
	ui_wait_for 'Quarterly figures'
	ui_keys Enter
	ui_wait_line 0 '^thread: Quarterly figures'
	ui_wait_for '^Subject: Quarterly figures'
}

# --- reading every message verifies nothing
open_thread "$tmp/read.stats"
for i in 1 2 3; do ui_keys n; done
ui_wait_for '^Subject: Two signatures!'
assert_not_screen 'DKIM'
ui_keys Q
ui_wait_gone 'Two signatures'
ui_exit_status > /dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/read.stats" ] && break; sleep 0.2; done
assert_eq 0 "$(stat_of dkim_verifications "$tmp/read.stats")" "verifications while only reading"
assert_eq 0 "$(stat_of dkim_dns_lookups "$tmp/read.stats")" "DNS lookups while only reading"
pass "reading verifies nothing"

# --- V
open_thread "$tmp/v.stats"
ui_keys V
ui_wait_for '^DKIM: verified \(example\.com, sel1\)$'
ui_wait_for 'DKIM: 3 of 4 messages failed verification'
# the marker on exactly the failed rows
[ "$(ui_screen | grep -c '✗dkim')" = 3 ] || { ui_dump; fail "✗dkim on 3 rows"; }
ui_screen | grep 'Quarterly figures' | grep -q '✗dkim' && { ui_dump; fail "the good message marked"; }
for s in 'Body changed' 'Headers CHANGED' 'Two signatures!'; do
	ui_screen | grep "✗dkim" | grep -q "$s" || { ui_dump; fail "no marker on '$s'"; }
done
ui_keys n
ui_wait_for '^DKIM: BODY CHANGED \(example\.com, sel1\)$'
ui_keys n
ui_wait_for '^DKIM: HEADERS CHANGED \(example\.com, sel1\)$'
ui_keys n
ui_wait_for '^DKIM: HEADERS CHANGED \(other\.example, sel2\); verified \(example\.com, sel1\)$'
# the DKIM line comes right after the headers, before the body
dk=$(ui_screen | grep -n '^DKIM:' | cut -d: -f1)
bd=$(ui_screen | grep -n '^Hello Bob,' | cut -d: -f1)
[ -n "$dk" ] && [ -n "$bd" ] && [ "$dk" -lt "$bd" ] || { ui_dump; fail "the DKIM line is not between headers and body"; }
# again, by name: nothing verified twice
ui_keys :
ui_type 'verify'
ui_keys Enter
ui_wait_for 'DKIM: 3 of 4 messages failed verification'
ui_keys p p p
ui_wait_for '^DKIM: verified \(example\.com, sel1\)$'
ui_keys Q
ui_exit_status > /dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/v.stats" ] && break; sleep 0.2; done
assert_eq 4 "$(stat_of dkim_verifications "$tmp/v.stats")" "4 messages verified once each"
assert_eq 0 "$(stat_of dkim_dns_lookups "$tmp/v.stats")" "no DNS with a key directory"
pass "V: results under the headers, ✗dkim on the failed rows, kept for the session"

# --- a slow verification shows its progress, and C-c stops it between
# messages; V again goes on from there, verifying nothing twice
ui_start TRAWL_STATS="$tmp/slow.stats" TRAWL_VERIFY_DELAY_MS=600 -- "$TRAWL" --trawl-config "$conf" --no-mark-read --sort oldest-first 'thread:{id:good@dkim.example}'
ui_wait_line 0 "^search: "
ui_wait_for 'Quarterly figures'
ui_keys Enter
ui_wait_for '^Subject: Quarterly figures'
ui_keys V
ui_wait_for 'Verifying DKIM signatures: [0-9] of 4 messages\.\.\. q or C-c stops'
ui_keys C-c
ui_wait_for 'DKIM: stopped after [0-3] of 4 messages'
ui_wait_line 0 '^thread: Quarterly figures'
ui_keys V
ui_wait_for 'DKIM: 3 of 4 messages failed verification'
ui_keys Q
ui_exit_status > /dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/slow.stats" ] && break; sleep 0.2; done
assert_eq 4 "$(stat_of dkim_verifications "$tmp/slow.stats")" "4 messages verified once each, across the stop"
pass "V: progress on the bottom line, C-c stops, V again goes on"

# --- the provenance view: V there verifies the message, its verdict and one
# line a signature shown; a V in the thread view is seen there too; y
# copies the provenance text, exactly the lines on screen
mkdir -p "$tmp/bin"
printf '#!/bin/sh\ncat > "%s"\n' "$tmp/clip.out" > "$tmp/bin/saver"
chmod +x "$tmp/bin/saver"
printf '[options]\ndkim-keys = %s\ncopy-command = %s\n' "$tmp/fix/keys" "$tmp/bin/saver" > "$conf"
open_thread "$tmp/prov.stats"
ui_keys n n n
ui_wait_for '^Subject: Two signatures!'
ui_keys v
ui_wait_line 0 '^provenance: two@dkim\.example'
ui_wait_for '^DKIM verification: not run \(press V\)'
ui_keys V
ui_wait_for '^DKIM verification: HEADERS CHANGED \(other\.example, sel2\); verified \(example\.com, sel1\)$'
ui_wait_for '^  d=other\.example s=sel2 a=rsa-sha256: headers changed'
ui_wait_for '^  d=example\.com s=sel1 a=rsa-sha256: verified$'
ui_keys y
ui_wait_for "Copied the provenance with $tmp/bin/saver"
grep -q '^DKIM verification: HEADERS CHANGED (other.example, sel2); verified (example.com, sel1)$' "$tmp/clip.out" ||
	{ cat "$tmp/clip.out"; fail "y: the copied text lacks the DKIM verdict"; }
grep -q 'two@dkim\.example' "$tmp/clip.out" ||
	{ cat "$tmp/clip.out"; fail "y: the copied text lacks the Message-ID"; }
ui_keys q
ui_wait_line 0 '^thread: '
# the thread view knows the result (the session's): the pane line and the marker
ui_wait_for '^DKIM: HEADERS CHANGED \(other\.example, sel2\); verified \(example\.com, sel1\)$'
ui_screen | grep 'Two signatures!' | grep -q '✗dkim' || { ui_dump; fail "no marker after V in the provenance view"; }
# and the other way: V in the thread view, then v shows it
ui_keys V
ui_wait_for 'DKIM: 3 of 4 messages failed verification'
ui_keys p
ui_wait_for '^DKIM: HEADERS CHANGED \(example\.com, sel1\)$'
ui_keys v
ui_wait_for '^DKIM verification: HEADERS CHANGED \(example\.com, sel1\)$'
ui_keys q Q
ui_exit_status > /dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/prov.stats" ] && break; sleep 0.2; done
assert_eq 4 "$(stat_of dkim_verifications "$tmp/prov.stats")" "provenance V then thread V: 4 verifications"
pass "provenance view: V verifies the message (verdict + a line a signature), shared with the thread view; y copies the text"
ui_done
