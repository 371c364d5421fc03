#!/bin/sh
# T100-real-corpora: trawl over real mail (the shared read-only corpora).
# Each corpus is indexed once, in place (database in $tmp, mail_root pointing
# at the corpus), then trawl runs on `*` in tmux: first row, G to the last
# thread (the count must match notmuch's), g, a few pages down, q.  Exit 0,
# no sanitizer report, no control character on the screen, and none of the
# dangerous sequences (OSC, C1, bidi controls, invalid UTF-8) in the raw
# terminal output.  --dump-list prints every thread of odd/ and notmuch-test/
# without a control byte.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

corpora="notmuch-test enron linux-serial-2020 odd"
[ -n "$TRAWL_CORPORA" ] && [ -d "$TRAWL_CORPORA" ] ||
	skip "no real corpora (set TRAWL_CORPORA, or provide ../shared/corpora next to the source tree)"
for c in $corpora; do
	[ -d "$TRAWL_CORPORA/$c" ] || skip "corpus $TRAWL_CORPORA/$c is missing"
done

# --- index all four at once (enron ~40 s, linux ~20 s on 2 CPUs), read-only
pids=
for c in $corpora; do
	(
		NOTMUCH_CONFIG=$tmp/$c.config
		mkdb_config "$tmp/$c.db" "$TRAWL_CORPORA/$c"
		mkdb_notmuch new --quiet > "$tmp/$c.index.log" 2>&1 || { echo "notmuch new failed" >> "$tmp/$c.index.log"; exit 1; }
	) &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=1; done
if [ "$failed" -ne 0 ]; then
	for c in $corpora; do echo "== $c"; tail -5 "$tmp/$c.index.log"; done
	fail "indexing a corpus failed"
fi

raw_bad() {
	# OSC (title, clipboard...), C1 controls in UTF-8, raw 8-bit C1 CSI after
	# a non-UTF-8 lead, bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9).
	LC_ALL=C grep -a -o -P '\x1b\]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1" | head -3
}

PAGE=$((UI_ROWS - 2))
for c in $corpora; do
	echo "# $c"
	cfg=$tmp/$c.config
	threads=$(NOTMUCH_CONFIG=$cfg mkdb_notmuch count --output=threads '*')
	messages=$(NOTMUCH_CONFIG=$cfg mkdb_notmuch count '*')
	[ "$threads" -gt 0 ] || fail "$c: notmuch indexed no thread"
	echo "# $c: $threads threads, $messages messages"

	ui_start NOTMUCH_CONFIG="$cfg" -- "$TRAWL" '*'
	ui_wait_line 1 '[0-9]' 30
	ui_wait_line 0 '^search: \* ' 30
	assert_screen_clean "$c: control character on the screen"

	ui_keys G
	ui_wait_line 0 "\\[$threads/$threads\\] $messages messages, newest first\$" 60
	assert_eq 1 "$(ui_reverse_rows | wc -l)" "$c: one selected row at the end"
	last_row=$(ui_selected_row)
	assert_screen_clean "$c: control character on the screen (end)"

	ui_keys g
	ui_wait_line 0 "\\[1/$threads\\]" 30
	assert_eq 1 "$(ui_selected_row)" "$c: selected row after g"

	pos=1
	for k in 1 2 3 4; do
		ui_keys NPage
		pos=$((pos + PAGE)); [ "$pos" -le "$threads" ] || pos=$threads
		ui_wait_line 0 "\\[$pos/$threads\\]" 30
		ui_wait_selected '.' 30
		assert_screen_clean "$c: control character on the screen (page $k)"
	done
	ui_keys PPage
	pos=$((pos - PAGE)); [ "$pos" -ge 1 ] || pos=1
	ui_wait_line 0 "\\[$pos/$threads\\]" 30

	ui_keys q
	ui_expect_exit 0
	bad=$(raw_bad "$ui_raw")
	if [ -n "$bad" ]; then
		printf '%s\n' "$bad" | od -c | head
		fail "$c: trawl wrote a dangerous sequence to the terminal"
	fi
	if command -v iconv >/dev/null 2>&1; then
		iconv -f UTF-8 -t UTF-8 "$ui_raw" >/dev/null 2>&1 || fail "$c: trawl wrote invalid UTF-8 to the terminal"
	fi
	assert_no_sanitizer_logs
	echo "# $c: ok (last thread on row $last_row)"
done

# --- --dump-list: every row, sanitised, as text.
if ui_env -- "$TRAWL" --help 2>/dev/null | grep -q -e '--dump-list'; then
	for c in $corpora; do
		cfg=$tmp/$c.config
		threads=$(NOTMUCH_CONFIG=$cfg mkdb_notmuch count --output=threads '*')
		st=0
		ui_env NOTMUCH_CONFIG="$cfg" -- "$TRAWL" --dump-list '*' > "$tmp/$c.dump" 2> "$tmp/$c.dump.err" || st=$?
		assert_eq 0 "$st" "$c: --dump-list status ($(head -3 "$tmp/$c.dump.err"))"
		assert_eq "$threads" "$(wc -l < "$tmp/$c.dump")" "$c: --dump-list lines"
		if LC_ALL=C grep -n '[[:cntrl:]]' "$tmp/$c.dump" | head -3 | cat -v | grep .; then
			fail "$c: --dump-list printed a control character"
		fi
		bad=$(raw_bad "$tmp/$c.dump")
		[ -z "$bad" ] || { printf '%s\n' "$bad" | od -c | head; fail "$c: --dump-list printed a C1/bidi/OSC sequence"; }
		iconv -f UTF-8 -t UTF-8 "$tmp/$c.dump" >/dev/null 2>&1 || fail "$c: --dump-list printed invalid UTF-8"
		assert_no_sanitizer_logs
		echo "# $c: --dump-list ok ($threads lines)"
	done
else
	echo "# trawl has no --dump-list: that part is not run"
fi
ui_done
