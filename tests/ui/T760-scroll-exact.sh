#!/bin/sh
# T760-scroll-exact: the windowed thread list (date bands sized from the
# database's date bounds) shows exactly notmuch's order while it scrolls:
# 1,000 presses of j and PgDn (back to the top with g at the end), then G and
# 20 PgUp; at every PgDn, every 50th j, G and every PgUp, each row on the
# screen (date, [matched/total], subject) equals that row of the plain list
# (`TRAWL_NO_WINDOW=1 trawl --dump-list`: notmuch's own sort of every match).
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl
[ -x "$TRAWL_GEN_CORPUS" ] || skip "the corpus generator is not built"
"$TRAWL_GEN_CORPUS" -o "$tmp/mail" -n 3000 --seed 760 --quiet || fail "the generator failed"
mkdb_config "$tmp/db" "$tmp/mail"
mkdb_new
n=$(mkdb_notmuch count --output=threads '*')
[ "$n" -gt 300 ] || fail "the generated archive has only $n threads"
ui_env TRAWL_NO_WINDOW=1 -- "$TRAWL" --dump-list '*' > "$tmp/want" 2>"$tmp/want.err" ||
	{ cat "$tmp/want.err"; fail "trawl --dump-list failed"; }
assert_eq "$n" "$(wc -l < "$tmp/want")" "rows of the plain list"
page=$((UI_ROWS - 2))

# The screen against the plain list, the selected row being thread I.
check() { # I WHAT
	ui_wait_line 0 "\\[$1/$n\\]"
	sel=$(ui_selected_row)
	[ -n "$sel" ] || { ui_dump; fail "$2: no selected row"; }
	top=$(($1 - sel + 1))
	ui_screen > "$tmp/screen"
	awk -v top="$top" -v page="$page" -v n="$n" -v what="$2" '
	function parse(s, f,   at) {
		f["date"] = substr(s, 1, 10)
		if (!match(s, /\[[0-9]+\/[0-9]+\]/)) { f["count"] = ""; f["rest"] = ""; return }
		f["count"] = substr(s, RSTART, RLENGTH)
		f["rest"] = substr(s, RSTART + RLENGTH)
		sub(/^ +/, "", f["rest"]); sub(/ +$/, "", f["rest"])
	}
	NR == FNR { want[FNR] = $0; next }
	FNR >= 2 && FNR <= page + 1 {
		row = top + FNR - 2
		if (row > n) {
			if ($0 !~ /^ *$/) { print what ": screen row " FNR - 1 " past the end: " $0; bad = 1 }
			next
		}
		parse($0, s); parse(want[row], w)
		if (s["date"] != w["date"] || s["count"] != w["count"] || s["rest"] == "" ||
		    substr(w["rest"], 1, length(s["rest"])) != s["rest"]) {
			print what ": thread " row " shows: " $0; print "  notmuch has: " want[row]; bad = 1
		}
	}
	END { exit bad }' "$tmp/want" "$tmp/screen" || { ui_dump; fail "$2: the screen is not notmuch's order"; }
}

ui_start -- "$TRAWL" '*'
ui_wait_line 0 "\\[1/$n\\]"
check 1 "first screen"

# 1,000 presses: j, a PgDn every 25th; the j's between checks sent at once.
i=1 press=0 js=0 checks=1 keys=
while [ $press -lt 1000 ]; do
	press=$((press + 1))
	if [ $i -ge "$n" ]; then
		ui_keys g; i=1
		check $i "g after press $press"; checks=$((checks + 1))
	fi
	if [ $((press % 25)) = 0 ]; then
		[ $js -gt 0 ] && { check $i "j before press $press"; js=0; checks=$((checks + 1)); }
		ui_keys NPage
		i=$((i + page)); [ $i -gt "$n" ] && i=$n
		check $i "PgDn, press $press"; checks=$((checks + 1))
	else
		keys="$keys j"; js=$((js + 1))
		i=$((i + 1)); [ $i -gt "$n" ] && i=$n
		if [ $((press % 50)) = 49 ] || [ $i -ge "$n" ]; then
			# shellcheck disable=SC2086
			ui_keys $keys; keys=
			check $i "j, press $press"; js=0; checks=$((checks + 1))
		fi
	fi
	if [ $js -gt 0 ] && [ $((press % 25)) = 24 ]; then
		# shellcheck disable=SC2086
		ui_keys $keys; keys=
	fi
done
[ -n "$keys" ] && { ui_keys $keys; keys=; check $i "the last j"; }

# G: the last screen; 20 PgUp back up.
ui_keys G
check "$n" "G"
i=$n
for _k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	ui_keys PPage
	i=$((i - page)); [ $i -lt 1 ] && i=1
	check $i "PgUp $_k after G"
done
ui_keys q
ui_expect_exit 0
pass "1,000 presses of j and PgDn ($checks screens), G and 20 PgUp: notmuch's order on $n threads"
