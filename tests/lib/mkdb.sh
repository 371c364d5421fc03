# mkdb.sh — build real notmuch databases for the tests with the notmuch CLI.
# Sourced after uitest.sh (uses $tmp, $NOTMUCH, $NOTMUCH_CONFIG, fail, skip).
#
#   mkdb_from_dir SRC          copy SRC (a maildir or a tree of them) to
#                              $tmp/mail, index it into $tmp/db
#   mkdb_index_readonly SRC    index SRC in place (read-only corpus): the
#                              database lives in $tmp/db, mail_root is SRC
#   mkdb_config DB MAILROOT    write $NOTMUCH_CONFIG only
#   mkdb_new                   run `notmuch new --quiet` (after adding mail)
#   mkdb_notmuch ARGS...       run notmuch with the test's config

mkdb_config() {
	mkdir -p "$1" || fail "cannot create $1"
	cat > "$NOTMUCH_CONFIG" <<EOF
[database]
path=$1
mail_root=$2

[new]
tags=unread;inbox;
ignore=

[maildir]
synchronize_flags=false

[search]
exclude_tags=deleted;spam;

[user]
name=Test User
primary_email=test@example.org
EOF
}

# notmuch itself must not inherit the test's G_DEBUG=fatal-criticals: GMime
# prints criticals for some real broken messages while indexing.
mkdb_notmuch() {
	env -u G_DEBUG NOTMUCH_CONFIG="$NOTMUCH_CONFIG" HOME="$tmp" TZ=UTC LC_ALL=C.UTF-8 "$NOTMUCH" "$@"
}

mkdb_new() {
	mkdb_notmuch new --quiet > "$tmp/notmuch-new.log" 2>&1 || {
		cat "$tmp/notmuch-new.log"
		fail "notmuch new failed"
	}
}

mkdb_from_dir() {
	[ -d "$1" ] || fail "mkdb_from_dir: no directory $1"
	rm -rf "$tmp/mail" "$tmp/db"
	mkdir -p "$tmp/mail"
	cp -r "$1"/. "$tmp/mail"/ || fail "cannot copy $1"
	chmod -R u+w "$tmp/mail"
	mkdb_config "$tmp/db" "$tmp/mail"
	mkdb_new
}

mkdb_index_readonly() {
	[ -d "$1" ] || fail "mkdb_index_readonly: no directory $1"
	rm -rf "$tmp/db"
	mkdb_config "$tmp/db" "$1"
	mkdb_new
}

# Writes one message into the copied maildir: mkdb_add_message NAME < RFC5322
mkdb_add_message() {
	mkdir -p "$tmp/mail/cur"
	cat > "$tmp/mail/cur/$1:2,"
}
