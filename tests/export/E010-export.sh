#!/bin/sh
# E010-export: `trawl export --to PATH [--format mbox|maildir|eml] QUERY`.
# A database of the basic fixtures plus hand-made messages (body lines
# "From the start", ">From ", ">>From "; a CRLF message; one tagged deleted,
# which search.exclude_tags leaves out as `notmuch search --output=files`
# does):
#   - each format: exit 0, `sha256sum -c SHA256SUMS` passes in PATH, one
#     file/manifest row per message of `notmuch count`, maildir and eml files
#     byte-identical to the store;
#   - manifest.csv and manifest.json: the exact fields of one message, and of
#     one exported from an import archive (the import provenance);
#   - an existing PATH is refused, nothing in it changes;
#   - 0 messages: says so, exit 1, PATH not created;
#   - round trip: the mbox imported by `trawl import` gives the same
#     Message-IDs, the same sha256s and the same count as `notmuch count`,
#     the "From the start" message byte for byte;
#   - interrupted (TRAWL_EXPORT_STOP_AFTER, a Ctrl-C after N messages):
#     exit 130, PATH/.incomplete; the same command finishes (the mbox equals
#     an uninterrupted export's); another command is refused there;
#   - --append: a second run in the manifests, SHA256SUMS still passes.
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/uitest.sh"
ui_require_notmuch; ui_require_trawl
. "$abs_top_srcdir/tests/lib/importlib.sh"
. "$abs_top_srcdir/tests/lib/mkdb.sh"
import_require_python
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum not found"

mkdir -p "$tmp/src/cur"
cp "$FIXTURES"/basic/cur/* "$tmp/src/cur/"
cat > "$tmp/src/cur/from-lines:2," <<'EOF'
From: =?UTF-8?Q?Alice_M=C3=BCller?= <alice@example.org>
To: Bob <bob@example.org>, carol@example.org
Cc: Dave <dave@example.org>
Subject: =?UTF-8?Q?From_lines_=E2=80=94_escaped?=
Date: Mon, 06 Jan 2020 13:00:00 +0100
Message-ID: <from-lines@e010.example>

From the start: this line begins with "From ".
>From a line that was already quoted once.
>>From a line quoted twice.
> From is a reply quote, not an escape.
From
From the end.
EOF
printf 'From: Eve <eve@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: crlf\r\nDate: Tue, 07 Jan 2020 10:00:00 +0000\r\nMessage-ID: <crlf@e010.example>\r\n\r\nFrom a CRLF body.\r\nline two\r\n' > "$tmp/src/cur/crlf:2,"
cat > "$tmp/src/cur/deleted:2," <<'EOF'
From: Mallory <mallory@example.org>
To: Bob <bob@example.org>
Subject: deleted one
Date: Wed, 08 Jan 2020 10:00:00 +0000
Message-ID: <deleted@e010.example>

gone
EOF
mkdb_from_dir "$tmp/src"
mkdb_notmuch tag +deleted -- id:deleted@e010.example
mkdb_notmuch tag +exported -- id:from-lines@e010.example

# ex NAME ARGS...: trawl export with the test's database; status in $st
ex() {
	_n=$1; shift
	st=0
	trawl_run export --quiet "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" || st=$?
}
sums_ok() { (cd "$1" && sha256sum --quiet -c SHA256SUMS) > "$tmp/sums.log" 2>&1 || { cat "$tmp/sums.log"; fail "$2: sha256sum -c SHA256SUMS"; }; }
want=$(mkdb_notmuch count '*')
nm_files() { mkdb_notmuch search --output=files "$@"; }

# --- each format
case_formats() {
	for f in mbox maildir eml; do
		ex "fmt-$f" --to "$tmp/out-$f" --format "$f" '*'
		assert_eq 0 "$st" "--format $f: exit ($(cat "$tmp/fmt-$f.err"))"
		sums_ok "$tmp/out-$f" "--format $f"
		[ ! -e "$tmp/out-$f/.incomplete" ] || fail "--format $f: .incomplete left"
		rows=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$tmp/out-$f/manifest.csv")
		assert_eq "$want" "$rows" "--format $f: manifest.csv rows"
		jrows=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["messages"]))' "$tmp/out-$f/manifest.json")
		assert_eq "$want" "$jrows" "--format $f: manifest.json messages"
		grep -q 'exported' "$tmp/fmt-$f.err" || fail "--format $f: no summary"
	done
	# every message file byte-identical to the store, the deleted one left out
	expect=$(nm_files '*' | xargs -d '\n' sha256sum | awk '{print $1}' | sort)
	assert_eq "$expect" "$(sha256sum "$tmp/out-maildir"/cur/* | awk '{print $1}' | sort)" "maildir: the store's bytes"
	assert_eq "$expect" "$(sha256sum "$tmp/out-eml"/*.eml | awk '{print $1}' | sort)" "eml: the store's bytes"
	for p in "$tmp/out-maildir"/cur/*; do
		b=${p##*/}; assert_eq "$(sha256sum < "$p" | cut -c1-64):2," "$b" "maildir: file named by its sha256"
	done
	ls "$tmp/out-eml" | grep -q '^000001-[0-9a-f]\{16\}\.eml$' || fail "eml: NNNNNN-SHA.eml names ($(ls "$tmp/out-eml" | head -3))"
	grep -q 'deleted@e010' "$tmp/out-mbox/manifest.csv" && fail "search.exclude_tags: the deleted message was exported"
	ex fmt-del --to "$tmp/out-del" --format eml tag:deleted
	assert_eq 0 "$st" "a query naming the excluded tag exports it"
	assert_eq 1 "$(ls "$tmp/out-del"/*.eml | wc -l)" "tag:deleted: one message"
	grep -q '^>From the start' "$tmp/out-mbox/messages.mbox" || fail "mbox: From line not escaped"
	grep -q '^>>From a line that was already quoted' "$tmp/out-mbox/messages.mbox" || fail "mbox: >From not escaped (mboxrd)"
	grep -q '^>>>From a line quoted twice' "$tmp/out-mbox/messages.mbox" || fail "mbox: >>From not escaped (mboxrd)"
	grep -q '^From alice@example.org Mon Jan  6 12:00:00 2020$' "$tmp/out-mbox/messages.mbox" ||
		fail "mbox: the From line (sender, asctime UTC): $(grep '^From alice' "$tmp/out-mbox/messages.mbox")"
	pass "mbox, maildir, eml: SHA256SUMS checks, one row per message, original bytes"
}
run_case formats case_formats

# --- the manifests' fields, exactly
case_manifest() {
	ex man --to "$tmp/out-man" --format maildir tag:exported
	assert_eq 0 "$st" "manifest export"
	file=$(nm_files tag:exported); rel=${file#"$tmp/mail/"}
	sha=$(sha256sum < "$file" | cut -c1-64)
	thread=$(mkdb_notmuch search --output=threads tag:exported | sed 's/^thread://')
	python3 - "$tmp/out-man" "$rel" "$sha" "$thread" <<'EOF' || fail "manifest fields"
import csv, json, os, sys
d, rel, sha, thread = sys.argv[1:]
want = {
    "message_id": "from-lines@e010.example",
    "date": "Mon, 06 Jan 2020 13:00:00 +0100",
    "date_utc": "2020-01-06T12:00:00Z",
    "from": "Alice M\u00fcller <alice@example.org>",
    "to": "Bob <bob@example.org>, carol@example.org",
    "cc": "Dave <dave@example.org>",
    "subject": "From lines \u2014 escaped",
    "thread_id": thread,
    "file": rel,
    "import_source": "", "import_location": "", "import_run": "",
    "sha256": sha,
    "output": "cur/%s:2," % sha,
}
rows = list(csv.DictReader(open(os.path.join(d, "manifest.csv"), newline="", encoding="utf-8")))
assert len(rows) == 1, rows
r = rows[0]
bad = ["csv %s: %r != %r" % (k, r.get(k), v) for k, v in want.items() if r.get(k) != v]
if r["tags"] != "exported inbox unread": bad.append("csv tags %r" % r["tags"])
if r["export_run"] != "1": bad.append("csv export_run %r" % r["export_run"])
j = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
m = j["messages"][0]
bad += ["json %s: %r != %r" % (k, m.get(k), v) for k, v in want.items() if m.get(k) != v]
if m["tags"] != ["exported", "inbox", "unread"]: bad.append("json tags %r" % m["tags"])
if m["size"] != os.path.getsize(os.path.join(d, want["output"])): bad.append("json size")
if j["format"] != "maildir" or len(j["runs"]) != 1 or j["runs"][0]["query"] != "tag:exported" or j["runs"][0]["messages"] != 1:
    bad.append("json runs %r" % j["runs"])
if bad:
    print("\n".join(bad)); sys.exit(1)
EOF
	pass "manifest.csv and manifest.json: the exact fields of a message"
}
run_case manifest case_manifest

# --- never overwrites; 0 messages
case_refuse() {
	mkdir -p "$tmp/exists"; echo keep > "$tmp/exists/file"
	ex refuse --to "$tmp/exists" '*'
	assert_eq 1 "$st" "existing PATH: exit"
	grep -q 'never overwrites' "$tmp/refuse.err" || fail "existing PATH: message ($(cat "$tmp/refuse.err"))"
	assert_eq "keep" "$(cat "$tmp/exists/file")" "existing PATH: untouched"
	assert_eq "file" "$(ls -A "$tmp/exists")" "existing PATH: nothing added"
	before=$(cd "$tmp/out-mbox" && find . -type f -exec sha256sum {} + | sort)
	ex refuse2 --to "$tmp/out-mbox" '*'
	assert_eq 1 "$st" "a finished export: exit"
	assert_eq "$before" "$(cd "$tmp/out-mbox" && find . -type f -exec sha256sum {} + | sort)" "a finished export: untouched"
	ex none --to "$tmp/none" 'tag:no-such-tag'
	assert_eq 1 "$st" "0 messages: exit"
	grep -q 'no message matches tag:no-such-tag: nothing written' "$tmp/none.err" || fail "0 messages: message ($(cat "$tmp/none.err"))"
	[ ! -e "$tmp/none" ] || fail "0 messages: PATH created"
	pass "an existing PATH is refused untouched; 0 messages writes nothing"
}
run_case refuse case_refuse

# --- the round trip through trawl import
case_roundtrip() {
	[ -f "$tmp/out-mbox/messages.mbox" ] || fail "no mbox export"
	import rt "$tmp/B" "$tmp/out-mbox/messages.mbox"
	assert_eq 0 "$st" "import of the export ($(cat "$tmp/rt.err"))"
	assert_eq "$want" "$(nm "$tmp/B" count '*')" "round trip: notmuch count"
	assert_eq "$(mkdb_notmuch search --output=messages '*' | sort)" "$(nm "$tmp/B" search --output=messages '*' | sort)" \
		"round trip: Message-IDs"
	assert_eq "$(nm_files '*' | xargs -d '\n' sha256sum | awk '{print $1}' | sort)" "$(stored_shas "$tmp/B")" "round trip: sha256s"
	f=$(nm "$tmp/B" search --output=files id:from-lines@e010.example)
	cmp -s "$f" "$tmp/mail/cur/from-lines:2," || fail "round trip: the From-lines message differs: $(diff "$tmp/mail/cur/from-lines:2," "$f")"
	f=$(nm "$tmp/B" search --output=files id:crlf@e010.example)
	cmp -s "$f" "$tmp/mail/cur/crlf:2," || fail "round trip: the CRLF message differs"
	# and from an import archive: the provenance columns
	ex prov --archive "$tmp/B" --to "$tmp/out-prov" --format eml id:from-lines@e010.example
	assert_eq 0 "$st" "export from an archive ($(cat "$tmp/prov.err"))"
	python3 - "$tmp/out-prov/manifest.json" "$tmp/out-mbox/messages.mbox" <<'EOF' || fail "provenance"
import json, sys
m = json.load(open(sys.argv[1]))["messages"][0]
assert m["import_source"] == sys.argv[2], m
assert json.loads(m["import_location"]).get("message") is not None or m["import_location"], m
assert m["import_run"], m
assert m["file"].startswith("messages/cur/"), m["file"]
EOF
	pass "mbox -> trawl import: same count, Message-IDs and sha256s; From lines exact; provenance recorded"
}
run_case roundtrip case_roundtrip

# --- interrupted, then finished by the same command; --append
case_resume() {
	st=0
	TRAWL_EXPORT_STOP_AFTER=3 trawl_run export --quiet --to "$tmp/out-int" '*' 2> "$tmp/int.err" || st=$?
	assert_eq 130 "$st" "interrupted: exit"
	[ -f "$tmp/out-int/.incomplete" ] || fail "interrupted: no .incomplete"
	grep -q 'run the same command again' "$tmp/int.err" || fail "interrupted: no hint"
	ex int-other --to "$tmp/out-int" 'tag:inbox'
	assert_eq 1 "$st" "another command on an unfinished export"
	ex int2 --to "$tmp/out-int" '*'
	assert_eq 0 "$st" "finishing ($(cat "$tmp/int2.err"))"
	[ ! -e "$tmp/out-int/.incomplete" ] || fail "finished: .incomplete left"
	sums_ok "$tmp/out-int" "finished export"
	cmp -s "$tmp/out-int/messages.mbox" "$tmp/out-mbox/messages.mbox" || fail "finished mbox differs from an uninterrupted one"
	for f in maildir eml; do
		st=0
		TRAWL_EXPORT_STOP_AFTER=2 trawl_run export --quiet --format $f --to "$tmp/int-$f" '*' 2>/dev/null || st=$?
		assert_eq 130 "$st" "$f interrupted"
		ex "int-$f" --format $f --to "$tmp/int-$f" '*'
		assert_eq 0 "$st" "$f finished"
		sums_ok "$tmp/int-$f" "$f finished"
		assert_eq "$want" "$(grep -c '  [0-9c]' "$tmp/int-$f/SHA256SUMS")" "$f finished: files in SHA256SUMS"
	done
	# --append: a second run
	ex app1 --to "$tmp/out-app" tag:exported
	ex app2 --to "$tmp/out-app" --append id:crlf@e010.example
	assert_eq 0 "$st" "--append ($(cat "$tmp/app2.err"))"
	sums_ok "$tmp/out-app" "--append"
	python3 - "$tmp/out-app" <<'EOF' || fail "--append manifests"
import csv, json, os, sys
j = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
assert [r["run"] for r in j["runs"]] == [1, 2], j["runs"]
assert [m["export_run"] for m in j["messages"]] == [1, 2], j["messages"]
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "manifest.csv"), newline="")))
assert [r["export_run"] for r in rows] == ["1", "2"], rows
EOF
	import app "$tmp/C" "$tmp/out-app/messages.mbox"
	assert_eq 2 "$(nm "$tmp/C" count '*')" "--append: both runs read back"
	pass "interrupted exports finish with the same command; --append adds a run"
}
run_case resume case_resume

# --- a real corpus (notmuch-test, indexed where it lies): the mbox round trip
case_corpus() {
	c=$TRAWL_CORPORA/notmuch-test
	[ -n "$TRAWL_CORPORA" ] && [ -d "$c" ] || { echo "# no corpora (TRAWL_CORPORA): the corpus round trip is not run"; return 0; }
	NOTMUCH_CONFIG=$tmp/corpus-config; export NOTMUCH_CONFIG
	mkdb_config "$tmp/corpus-db" "$c"
	mkdb_new
	ex corpus --config "$NOTMUCH_CONFIG" --to "$tmp/out-corpus" '*'
	assert_eq 0 "$st" "corpus export ($(tail -2 "$tmp/corpus.err"))"
	sums_ok "$tmp/out-corpus" "corpus export"
	n=$(mkdb_notmuch count '*')
	# every manifest sha256 is that of the file it names (the original bytes)
	rows=$(python3 - "$tmp/out-corpus/manifest.csv" "$c" "$tmp/corpus.want" <<'EOF'
import csv, hashlib, os, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
with open(sys.argv[3], "w") as w:
    for r in rows:
        data = open(os.path.join(sys.argv[2], r["file"]), "rb").read()
        assert hashlib.sha256(data).hexdigest() == r["sha256"], r["file"]
        # a file that starts with an mbox "From " line cannot be one mbox
        # entry; one without a final newline gets one (trawl(1))
        if not data.startswith(b"From ") and data.endswith(b"\n"):
            w.write(r["sha256"] + " " + r["message_id"] + "\n")
print(len(rows))
EOF
) || fail "corpus: manifest vs files"
	assert_eq "$n" "$rows" "corpus: manifest rows = notmuch count"
	import corpus-imp "$tmp/D" "$tmp/out-corpus/messages.mbox"
	assert_eq 0 "$st" "corpus: import of the export ($(tail -2 "$tmp/corpus-imp.err"))"
	stored_shas "$tmp/D" > "$tmp/corpus.got"
	missing=$(awk '{print $1}' "$tmp/corpus.want" | sort -u | comm -23 - "$tmp/corpus.got" | wc -l)
	assert_eq 0 "$missing" "corpus: exported messages not read back byte for byte"
	nm "$tmp/D" search --output=messages '*' | sed 's/^id://' | sort > "$tmp/corpus.ids"
	missing=$(awk '{print $2}' "$tmp/corpus.want" | sort -u | comm -23 - "$tmp/corpus.ids" | wc -l)
	assert_eq 0 "$missing" "corpus: Message-IDs not read back"
	echo "# corpus: $n messages exported, $(wc -l < "$tmp/corpus.want") checked byte for byte after trawl import"
	pass "notmuch-test corpus: mbox export, SHA256SUMS, manifest = files, read back by trawl import"
}
run_case corpus case_corpus

[ -z "$failed_cases" ] || fail "failed cases:$failed_cases"
ui_done
