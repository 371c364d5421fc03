#!/bin/sh
# T570-non-ascii: queries, tags and commands in CJK, Cyrillic, Greek and
# accented Latin, typed where a user types them, under LC_ALL=C.UTF-8 and
# under LC_ALL=C (trawl picks a UTF-8 locale itself):
#  - the search prompt: a non-ASCII query finds its threads (the title shows
#    it whole), Backspace deletes one whole character, Up brings it back;
#  - the tag prompt: +标签 +тег sets those tags; Tab completes a non-ASCII
#    tag from its first characters, and stops at a character boundary when
#    the choices share only part of a character's bytes;
#  - the : line: `:tag +ετικέτα`, `:search from:Müller`;
#  - the config: a [searches] entry with a non-ASCII name and query (B lists
#    it, Enter opens it), `bind search X tag +ü`, --check-config clean;
#  - trawl import --tag ärchiv into an archive, then trawl --archive.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
ui_require_tmux; ui_require_notmuch; ui_require_trawl

last=$((UI_ROWS - 1))
count() { mkdb_notmuch count --exclude=false "$@"; }

# --- the mail: one message per script, written here.
src=$tmp/src
mkdir -p "$src/cur" "$src/new" "$src/tmp"
n=0
msg() {	# msg ID FROM SUBJECT BODY
	n=$((n + 1))
	cat > "$src/cur/msg$n:2," <<EOF
From: $2
To: Test User <test@example.org>
Subject: $3
Date: Fri, 14 Jun 2024 1$n:00:00 +0000
Message-ID: <$1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

$4
EOF
}
msg cjk 'Wang Wei <wang@example.cn>' '会议记录 第三季度' '会议在周五。'
msg ru 'Ivan Petrov <ivan@example.ru>' 'Привет из Москвы' 'Привет, как дела?'
msg el 'Nikos <nikos@example.gr>' 'Σύσκεψη την Τρίτη' 'Καλημέρα.'
msg de 'Jürgen Müller <mueller@example.de>' 'Grüße aus Köln' 'Viele Grüße.'
msg fr 'Zoé <zoe@example.fr>' 'Une question naïve' 'Déjà vu.'
msg en 'Alice <alice@example.org>' 'Plain ASCII' 'Nothing special.'

# A fresh database from $src with tags in every script: привет and пример
# share "при" and the first byte of their fourth character (в D0 B2, м D0 BC).
fresh_db() {
	mkdb_from_dir "$src"
	mkdb_notmuch tag +привет +пример -- id:ru@example.org || fail "notmuch tag failed"
	mkdb_notmuch tag +ελληνικά -- id:el@example.org || fail "notmuch tag failed"
	mkdb_notmuch tag +日本語 -- id:cjk@example.org || fail "notmuch tag failed"
}
tid() { mkdb_notmuch search --output=threads "id:$1@example.org"; }

# --- the config: a saved search and a binding, both non-ASCII.
mkdir -p "$tmp/.config/trawl"
cat > "$tmp/.config/trawl/config" <<'EOF'
[searches]
Встреча会议 = subject:会议记录 or subject:Σύσκεψη

bind search X tag +ü
EOF
for loc in C.UTF-8 C; do
	st=0
	ui_env LC_ALL="$loc" LANG= -- "$TRAWL" --check-config > "$tmp/check.out" 2>&1 || st=$?
	[ "$st" -eq 0 ] && [ ! -s "$tmp/check.out" ] ||
		{ cat "$tmp/check.out"; fail "--check-config in LC_ALL=$loc: status $st, or it said something"; }
	ui_env LC_ALL="$loc" LANG= -- "$TRAWL" --dump-config > "$tmp/dump.out" 2>&1 ||
		fail "--dump-config in LC_ALL=$loc failed"
	grep -q '^bind search  *X  *tag +ü$' "$tmp/dump.out" ||
		{ grep '^bind search' "$tmp/dump.out"; fail "--dump-config in LC_ALL=$loc lacks 'bind search X tag +ü'"; }
	grep -q '^Встреча会议 *= *subject:会议记录 or subject:Σύσκεψη$' "$tmp/dump.out" ||
		{ sed -n '/^\[searches\]/,/^\[/p' "$tmp/dump.out"; fail "--dump-config in LC_ALL=$loc lacks the saved search"; }
done

for loc in C.UTF-8 C; do
	echo "# LC_ALL=$loc"
	fresh_db
	rm -f "$tmp/.config/trawl/history" "$tmp/.local/share/trawl/history"
	ui_start LC_ALL="$loc" LANG= -- "$TRAWL" --no-mark-read '*'
	ui_wait_line 0 '^search: \* .*\[1/6\]'

	# --- the search prompt
	# Backspace deletes one whole character: 季 (3 bytes) goes at once.
	# (notmuch indexes a run of CJK characters as one word: 会议记录.)
	ui_keys /
	ui_wait_line "$last" '^Search: ?$'
	ui_type 'subject:会议记录季'
	ui_wait_line "$last" '^Search: subject:会议记录季$'
	ui_keys BSpace
	ui_wait_line "$last" '^Search: subject:会议记录$'
	# The cursor moves by characters: Left, then X goes before 录.
	ui_keys Left
	ui_type 'X'
	ui_wait_line "$last" '^Search: subject:会议记X录$'
	ui_keys BSpace End
	ui_wait_line "$last" '^Search: subject:会议记录$'
	ui_keys Enter
	ui_wait_line 0 '^search: subject:会议记录 .*\[1/1\] 1 message'
	ui_wait_line 1 '会议记录 第三季度'
	assert_not_screen 'Привет из Москвы'
	# The history brings it back intact.
	ui_keys /
	ui_wait_line "$last" '^Search: ?$'
	ui_keys Up
	ui_wait_line "$last" '^Search: subject:会议记录$'
	ui_keys C-u
	ui_wait_line "$last" '^Search: ?$'
	# Every script finds its thread.
	for q in 'subject:Привет|Привет из Москвы' 'subject:Σύσκεψη|Σύσκεψη την Τρίτη' \
		'subject:Grüße|Grüße aus Köln' 'subject:naïve|Une question naïve' \
		'tag:ελληνικά|Σύσκεψη την Τρίτη' 'tag:日本語|会议记录'; do
		query=${q%%|*} subj=${q#*|}
		ui_type "$query"
		ui_wait_line "$last" "^Search: $query\$"
		ui_keys Enter
		ui_wait_line 0 "^search: $query .*\\[1/1\\] 1 message"
		ui_wait_line 1 "$subj"
		assert_line 2 '^$'
		ui_keys q
		ui_wait_line 0 '^search: subject:会议记录 '
		ui_keys /
		ui_wait_line "$last" '^Search: ?$'
	done
	ui_keys Up
	ui_wait_line "$last" '^Search: tag:日本語$'
	ui_keys Up
	ui_wait_line "$last" '^Search: tag:ελληνικά$'
	# Tab completes tag: terms in the search prompt too.
	ui_keys C-u
	ui_type 'tag:ελλ'
	ui_keys Tab
	ui_wait_line "$last" '^Search: tag:ελληνικά ?$'
	ui_keys Escape
	ui_wait_gone '^Search:'
	ui_keys q
	ui_wait_line 0 '^search: \* '

	# --- the tag prompt, on the Greek thread (row of the list: search it)
	ui_keys /
	ui_wait_line "$last" '^Search: ?$'
	ui_type 'subject:Σύσκεψη'
	ui_keys Enter
	ui_wait_line 0 '^search: subject:Σύσκεψη .*\[1/1\]'
	ui_keys t
	ui_wait_line "$last" '^Tag .*: ?$'
	ui_type '+标签 +тег'
	ui_wait_line "$last" '^Tag .*: \+标签 \+тег$'
	ui_keys Enter
	ui_wait_line "$last" '\+标签 \+тег on 1 message'
	assert_eq 1 "$(count 'id:el@example.org and tag:标签 and tag:тег')" "tags set by the tag prompt in LC_ALL=$loc"
	assert_eq 1 "$(count 'tag:标签')" "messages with 标签 in LC_ALL=$loc"
	# Tab completes a non-ASCII tag from its first characters...
	ui_keys t
	ui_wait_line "$last" '^Tag .*: ?$'
	ui_type '-ελλ'
	ui_keys Tab
	ui_wait_line "$last" '^Tag .*: -ελληνικά ?$'
	ui_type '+日'
	ui_keys Tab
	ui_wait_line "$last" '^Tag .*: -ελληνικά \+日本語 ?$'
	# ... and, when the choices share only a part of a character (привет and
	# пример: "при" and the byte D0), stops at "при" and lists both.
	ui_type '+пр'
	ui_keys Tab
	ui_wait_line "$last" '^Tag .*: -ελληνικά \+日本語 \+при$'
	ui_wait_line $((last - 1)) '^привет пример$'
	ui_type 'в'
	ui_keys Tab
	ui_wait_line "$last" '^Tag .*: -ελληνικά \+日本語 \+привет ?$'
	assert_screen_clean "a control character on the screen after completing in LC_ALL=$loc"
	ui_keys Enter
	ui_wait_line "$last" '\+日本語 \+привет -ελληνικά on 1 message'
	assert_eq 1 "$(count 'id:el@example.org and tag:日本語 and tag:привет and not tag:ελληνικά')" \
		"tags after the completed tag prompt in LC_ALL=$loc"

	# --- the : line
	ui_keys :
	ui_wait_line "$last" '^: ?$'
	ui_type 'tag +ετικέτα'
	ui_wait_line "$last" '^:tag \+ετικέτα$'
	ui_keys Enter
	ui_wait_line "$last" '\+ετικέτα on 1 message'
	assert_eq 1 "$(count 'id:el@example.org and tag:ετικέτα')" ":tag +ετικέτα in LC_ALL=$loc"
	assert_eq 1 "$(count 'tag:ετικέτα')" "messages with ετικέτα in LC_ALL=$loc"
	ui_keys :
	ui_wait_line "$last" '^: ?$'
	ui_type 'search from:Müller'
	ui_keys Enter
	ui_wait_line 0 '^search: from:Müller .*\[1/1\] 1 message'
	ui_wait_line 1 'Jürgen Müller +.*Grüße aus Köln'
	assert_line 2 '^$'

	# --- the binding: X tags +ü.
	ui_keys X
	ui_wait_line "$last" '\+ü on 1 message'
	assert_eq 1 "$(count 'id:de@example.org and tag:ü')" "bind search X tag +ü in LC_ALL=$loc"
	assert_eq 1 "$(count 'tag:ü')" "messages with ü in LC_ALL=$loc"
	ui_keys q
	ui_wait_line 0 '^search: subject:Σύσκεψη '
	ui_keys q
	ui_wait_line 0 '^search: \* '

	# --- the saved search: B lists it, Enter opens it.
	ui_keys B
	ui_wait_line 0 '^saved searches'
	ui_wait_for '^ +2 messages .* Встреча会议  subject:会议记录 or subject:Σύσκεψη$'
	ui_keys Enter
	ui_wait_line 0 '^search: subject:会议记录 or subject:Σύσκεψη .*\[1/2\] 2 messages'
	assert_screen 'Σύσκεψη την Τρίτη'
	assert_screen '会议记录 第三季度'
	assert_not_screen 'Grüße aus Köln'
	assert_screen_clean "a control character on the screen in LC_ALL=$loc"
	ui_keys Q
	ui_expect_exit 0
done

# --- trawl import --tag ärchiv, then trawl --archive (in both locales).
for loc in C.UTF-8 C; do
	arch=$tmp/archive-$loc
	st=0
	ui_env LC_ALL="$loc" LANG= -- "$TRAWL" import --quiet --tag ärchiv --tag 档案 "$arch" "$src" \
		> "$tmp/import.out" 2>&1 </dev/null || st=$?
	[ "$st" -eq 0 ] || { cat "$tmp/import.out"; fail "trawl import --tag ärchiv in LC_ALL=$loc: status $st"; }
	acount() { env NOTMUCH_CONFIG= HOME="$tmp" LC_ALL=C.UTF-8 "$NOTMUCH" --config="$arch/notmuch-config" count "$@"; }
	assert_eq 6 "$(acount 'tag:ärchiv and tag:档案')" "messages imported with --tag ärchiv in LC_ALL=$loc"
	ui_start LC_ALL="$loc" LANG= -- "$TRAWL" --archive "$arch" 'tag:ärchiv'
	ui_wait_line 0 '^search: tag:ärchiv .*\[1/6\] 6 messages'
	assert_screen '会议记录 第三季度'
	assert_screen 'Привет из Москвы'
	assert_screen 'Σύσκεψη την Τρίτη'
	assert_screen 'Grüße aus Köln'
	assert_screen 'ärchiv'
	ui_keys /
	ui_wait_line "$last" '^Search: ?$'
	ui_type 'tag:档案 and subject:naïve'
	ui_keys Enter
	ui_wait_line 0 '^search: tag:档案 and subject:naïve .*\[1/1\] 1 message'
	ui_wait_line 1 'Une question naïve'
	ui_keys Q
	ui_expect_exit 0
done
ui_done
