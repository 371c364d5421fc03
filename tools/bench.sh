#!/usr/bin/env bash
# tools/bench.sh -- benchmark trawl against the notmuch CLI at several corpus sizes.
#
# A benchmark, not a test: it prints figures and ratios and never asserts on
# times.  See --help, and shared/design/perf-anchors.md for the method and the
# anchors these figures are compared with.
set -euo pipefail

prog=${0##*/}
t_start=$(date +%s%N)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() {
	cat <<EOF
usage: $prog [--sizes "10000 100000"] [--runs N] [--work DIR] [--trawl PATH] [--gen PATH]
             [--rebuild] [--no-tui] [--no-tag | --only-tag] [--no-write | --only-write]
             [--write-pause MS] [--write-keys N]
             [--no-import | --only-import] [--import-size N] [--import-runs N]
             [--import-big] [--import-big-count N] [--import-big-kb K] [-h|--help]

Benchmark trawl and the notmuch CLI on synthetic corpora (seed 1) of each size.
Prints figures (median and min-max over the runs) and ratios; asserts nothing.

Per size it measures, interleaving the sizes run by run:
  1. notmuch search --output=summary --limit=50 '*'        (--runs runs)
  2. notmuch search '*' >/dev/null, all threads            (min(--runs, 3) runs)
  3. trawl '*' launch -> first screen (title bar and the last thread row drawn)
  4. trawl G -> the last thread (newest-first order) on screen
  5. trawl VmHWM after first screen + G, and after 200 x PgDn
     (the PgDn scenario runs min(--runs, 3) times)
  6. notmuch show --format=json thread:<largest> >/dev/null, the thread with
     the most messages (the generator makes one of ~2,100 at N >= 8000)
  7. trawl thread:<largest> launch (one row), then Enter -> thread view drawn
     (title "thread: ... [i/total] m matched", and the message pane below
     the "── i/total author, p% ──" separator showing its From: header),
     and trawl VmHWM after that
  8. bulk tag, after everything else: notmuch tag +bench -- Q beside
     trawl --tag +bench Q (hyperfine, --prepare 'notmuch tag -bench --
     tag:bench' so each run starts untagged; min(--runs, 3) runs, ~7 s
     each at 10,000 messages), where Q matches about 10,000 messages: '*'
     when the corpus has at most 11,000, else the date:YYYY-MM-DD..YYYY-MM-DD
     range from the oldest message's month whose count is closest to
     10,000 (the exact count is printed).  tag:bench is cleared afterwards
     (and on an interrupt) and its count checked to be 0.
  9. import, last (it writes only under DIR/import-*): on the --import-size
     messages of db-N/mail, back to back, each into a fresh database:
       notmuch new of the maildir (config: synchronize_flags=false,
         new.tags=unread),
       trawl import ARCHIVE all.mbox (one mboxrd file of the same messages),
       trawl import ARCHIVE all.tar.gz (the same messages as .eml files);
     each: wall time, messages/s, ratio to notmuch new (goal <= 1.2x), peak
     RSS (/usr/bin/time -f %M, else python3's getrusage), notmuch count
     of the result (must be N), and for the imports the manifest's sha256
     set (must equal the sha256 set of the maildir's files).  The inputs are
     read once before each timing (warm page cache) and 'sync' runs first.
 10. with --import-big: trawl import's peak RSS on a ~2 GB mbox of
     --import-big-count generated messages each carrying a --import-big-kb
     base64 attachment (not indexed by notmuch, so indexing stays quick),
     beside the same on an mbox of the first tenth of them (goal: <= 200 MB
     whatever the size, and the same at both sizes).  ~5-10 minutes.
Writes (keys that change tags), on a copy of each database (DIR/db-N/write/,
made once with cp -a, its own notmuch config with the same mail root), so
db-N itself is never written (its lastmod revision is checked before and
after); each run starts from the copy's first state (notmuch restore of a
dump taken before the first run, checked after every run).  trawl runs with
mark-read on (no --read-only, no --no-mark-read) and an empty trawl config,
tui-time polls every 2 ms (the goals are tens of ms), --runs runs each:
 11. tag at row R = min(5000, threads - 1) (0-based, newest first): trawl '*',
     PgDn and j to [R+1/ (so the list holds rows 0..R, as a user's would),
     t, +benchtag: the time from Enter to the row showing (... benchtag ...).
     Checked: tag:benchtag is then exactly that thread.  Goal <= 50 ms.
 12. mark-read: trawl '*', PgDn and j to the largest thread's row, Enter
     (it opens on its first message, all unread), then --write-keys (50) x
     n, one at a time, each until the title and the separator show [k/total]
     (--write-pause ms after each screen before the next key; default 0, so
     a key also waits for the previous message's mark-read write).  Median,
     p99 and max per key over all runs.  Goal <= 20 ms per key.
 13. then q: until the list's title shows the thread's row again.  Goal
     <= 20 ms.  (Enter -> thread open is printed too, for reference.)
 First screen and G (3, 4) are printed beside them: goal no slower than
 before (run the same command with the older binary's --trawl to compare).
Timeline (last; trawl '*' in TZ=UTC, --runs runs each, 1 warm-up):
 14. d -> the month timeline of '*' fully counted on screen (the title shows
     every month and no "counting"): once the list's own counts are shown,
     and pressed at once on the first screen (the list still counting);
     d -> the first counted month drawn; then - -> the years counted.
     Beside them: notmuch count --batch of the same month queries (one
     process, one handle), and the ratio; the months on screen are checked
     against its counts.  Goal: <= 1 s at 100k messages.

Ratios: trawl first screen / notmuch search --limit=50, trawl G / notmuch
search '*' (all), trawl thread open / notmuch show of that thread, trawl
--tag / notmuch tag, and each size / the smallest size for every row.  A note line repeats the anchors'
thread-open figures (shared/design/perf-anchors.md).

Options:
  --sizes "N..."  corpus sizes in messages (default: "10000 100000")
  --runs N        measured runs per figure (default 5)
  --work DIR      work dir, reused across runs (default /tmp/trawl-bench);
                  corpora and databases live in DIR/db-N/{mail,db} and are
                  built once (generator, then notmuch new) and kept;
                  DIR/db-N/info caches the thread count, the last thread's
                  subject and the largest thread (id, messages)
  --rebuild       rebuild the corpora and databases of the sizes given
  --index HOW     how a new db-N is indexed: import (default: trawl import
                  ARCHIVE DIR/db-N/mail into DIR/db-N/archive, as a user
                  opens a dump) or notmuch (notmuch new of DIR/db-N/mail);
                  a database already built is reused as it was built
  --trawl PATH    trawl binary (default: build/trawl or ./trawl in the repo)
  --gen PATH      corpus generator, called as  GEN -o DIR -n N --seed 1 --quiet
                  (default: trawl-gen-corpus next to the trawl binary)
  --no-tui        only the notmuch CLI figures (no trawl --tag either)
  --no-tag        skip the bulk-tag figures (8)
  --only-tag      only the bulk-tag figures (for testing them quickly)
  --no-write      skip the write figures (11-13)
  --only-write    only the write figures, and first screen and G (3, 4)
                  beside them
  --write-pause MS  pause before each key of the write figures (default 0)
  --write-keys N  presses of n in figure 12 (default 50)
  --no-import     skip the import figures (9)
  --only-import   only the import figures (9, and 10 with --import-big): the
                  corpus is generated if need be, db-N is not indexed
  --import-size N messages for the import figures (default: the largest of
                  --sizes, so 100000; --sizes 10000 makes a quick run)
  --import-runs N runs of each import figure (default 1; a run of notmuch
                  new takes ~4 minutes at 100,000 messages)
  --import-big    also the big-mbox peak-RSS figures (10)
  --no-timeline   skip the timeline figures (14)
  --only-timeline only the timeline figures (14), on the databases of --sizes
                  (after the notmuch CLI figures 1, 2 and 6, about a minute)
  --import-big-count N  messages in the big mbox (default 20000)
  --import-big-kb K     attachment size per message in kB (default 100)
  --no-batch      skip the batch-search figures (14)
  --only-batch    only the batch-search figures (14): per size, 'trawl '*'',
                  its thread count done, then ':batch FILE' of the 100 most
                  frequent senders (from:ADDR, one a line, DIR/db-N/batch-terms):
                  the table on screen (goal: at once), every term's messages
                  and threads counted (goal <= 2 s at 100k messages; the
                  title says "100 terms, by count"), beside notmuch count
                  --batch of the same terms (messages, then --output=threads)
  --size "S..."   the issue-15 figures ("every key within a frame", tools/
                  bench-frame.sh) at sizes 10k, 100k, 1m (or N), and only
                  those: first screen, G, j/k/PgDn/PgUp (median, p99 of
                  --presses each), thread open, tag of a thread, tag list,
                  rare-term search, VmHWM and memory per row, message and
                  view, beside notmuch search --limit=50, the libnotmuch floor
                  (tools/nm-floor.c, built with cc) and notmuch count, and
                  alot's and neomutt's first screen when installed
                  (tools/bench-anchors.sh; BENCH_ANCHOR_CAP s at most
                  each, default 120, else "> cap").  Each
                  size's database is built once in --work (an interrupted
                  notmuch new resumes) and its figures kept in
                  DIR/db-N/frame.tsv
  --presses N     presses of each key for --size (default 1000)
  --quick         --size with fewer figures (no thread count), for CI
  --only-frame L  --size with only the sections L of tools/bench-frame.sh
                  (cli,first,walk,thread,chain,taglist,search,tag,anchors): their figures
                  replace those in DIR/db-N/frame.tsv, the others are kept
  --report FILE   with --size: write FILE (doc/PERFORMANCE.md) from the
                  latest frame.tsv of every size in --work and the cost audit
                  (tools/perf-audit.tsv), via tools/bench-report.sh
  -h, --help      this text

Environment:
  TUI_TIME        the tmux timing harness (default: ../shared/tools/tui-time
                  beside the repo, then /work/shared/tools/tui-time)
  BENCH_NO_HYPERFINE=1  use the script's own timing loop even if hyperfine
                  is installed
  BENCH_ANCHOR_CAP=S  --size: seconds an anchor's first screen may take
                  (default 120; then "> cap" and no more runs of it)
  BENCH_ALOT, BENCH_NEOMUTT  --size: the anchors' binaries (default alot,
                  neomutt; absent from PATH: "not installed")

Uses hyperfine for the CLI figures when it is installed (installs nothing),
otherwise its own loop timed with date +%s%N.  Needs notmuch, and for the
trawl figures tmux, python3 and tui-time; the import figures need python3
and GNU tar.  Their inputs are kept in DIR/import-N/ (all.mbox, all.tar.gz,
rebuilt when the corpus changes) and DIR/import-big/; the archives and
databases each run makes there are removed at the start of the next run.  No network.  Raw data (hyperfine
and tui-time JSON, screens) goes to DIR/results/<timestamp>/.
EOF
}

die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

# ---------------------------------------------------------------- arguments
sizes="10000 100000"
runs=5
work=/tmp/trawl-bench
trawl=
gen=
rebuild=0
index_with=import
want_tui=1
want_tag=1
only_tag=0
want_import=1
only_import=0
want_write=1
only_write=0
want_timeline=1
only_timeline=0
write_pause=0
write_keys=50
import_n=
import_runs=1
import_big=0
big_count=20000
big_kb=100
want_batch=1
only_batch=0
frame=0
frame_only=
presses=1000
quick=0
report=
need_arg() { [ $# -ge 2 ] || die "$1 needs an argument (see --help)"; }
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) need_arg "$@"; sizes=$2; shift 2 ;;
	--sizes=*) sizes=${1#*=}; shift ;;
	--runs) need_arg "$@"; runs=$2; shift 2 ;;
	--runs=*) runs=${1#*=}; shift ;;
	--work) need_arg "$@"; work=$2; shift 2 ;;
	--work=*) work=${1#*=}; shift ;;
	--trawl) need_arg "$@"; trawl=$2; shift 2 ;;
	--trawl=*) trawl=${1#*=}; shift ;;
	--gen) need_arg "$@"; gen=$2; shift 2 ;;
	--gen=*) gen=${1#*=}; shift ;;
	--rebuild) rebuild=1; shift ;;
	--index) need_arg "$@"; index_with=$2; shift 2
		case $index_with in import|notmuch) ;; *) die "--index: import or notmuch, not '$index_with'" ;; esac ;;
	--no-tui) want_tui=0; shift ;;
	--no-tag) want_tag=0; shift ;;
	--only-tag) only_tag=1; shift ;;
	--no-import) want_import=0; shift ;;
	--no-write) want_write=0; shift ;;
	--only-write) only_write=1; shift ;;
	--write-pause) need_arg "$@"; write_pause=$2; shift 2 ;;
	--write-pause=*) write_pause=${1#*=}; shift ;;
	--write-keys) need_arg "$@"; write_keys=$2; shift 2 ;;
	--write-keys=*) write_keys=${1#*=}; shift ;;
	--only-import) only_import=1; shift ;;
	--import-size) need_arg "$@"; import_n=$2; shift 2 ;;
	--import-size=*) import_n=${1#*=}; shift ;;
	--import-runs) need_arg "$@"; import_runs=$2; shift 2 ;;
	--import-runs=*) import_runs=${1#*=}; shift ;;
	--import-big) import_big=1; shift ;;
	--no-timeline) want_timeline=0; shift ;;
	--only-timeline) only_timeline=1; want_tag=0; want_write=0; want_import=0; shift ;;
	--import-big-count) need_arg "$@"; big_count=$2; shift 2 ;;
	--import-big-count=*) big_count=${1#*=}; shift ;;
	--import-big-kb) need_arg "$@"; big_kb=$2; shift 2 ;;
	--import-big-kb=*) big_kb=${1#*=}; shift ;;
	--no-batch) want_batch=0; shift ;;
	--only-batch) only_batch=1; shift ;;
	--size) need_arg "$@"; frame=1; sizes=$(echo "$2" | tr ',' ' ' | sed 's/\b\([0-9]*\)[kK]\b/\1000/g; s/\b\([0-9]*\)[mM]\b/\1000000/g'); shift 2 ;;
	--presses) need_arg "$@"; presses=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	--only-frame) need_arg "$@"; frame_only=$2; shift 2 ;;
	--report) need_arg "$@"; report=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

[ $want_tag = 1 ] || [ $only_tag = 0 ] || die "--no-tag and --only-tag exclude each other"
[ $want_import = 1 ] || [ $only_import = 0 ] || die "--no-import and --only-import exclude each other"
[ $want_write = 1 ] || [ $only_write = 0 ] || die "--no-write and --only-write exclude each other"
[ $((only_tag + only_import + only_write)) -le 1 ] || die "--only-tag, --only-import and --only-write exclude each other"
[ $only_tag = 0 ] || { want_import=0; want_write=0; }
[ $only_import = 0 ] || want_write=0
[ $only_write = 0 ] || { want_import=0; want_tag=0; }
case $write_pause in ''|*[!0-9]*) die "--write-pause must be a whole number of ms, not '$write_pause'" ;; esac
case $write_keys in ''|*[!0-9]*|0*) die "--write-keys must be a positive integer, not '$write_keys'" ;; esac
[ $want_import = 1 ] || import_big=0
for v in "import-runs:$import_runs" "import-big-count:$big_count" "import-big-kb:$big_kb" ${import_n:+"import-size:$import_n"}; do
	case ${v#*:} in ''|*[!0-9]*|0*) die "--${v%%:*} must be a positive integer, not '${v#*:}'" ;; esac
done
case $runs in ''|*[!0-9]*|0) die "--runs must be a positive integer, not '$runs'" ;; esac
read -r -a size_list <<<"$sizes"
[ ${#size_list[@]} -gt 0 ] || die "--sizes is empty"
for n in "${size_list[@]}"; do
	case $n in ''|*[!0-9]*|0*) die "--sizes: '$n' is not a positive integer" ;; esac
done
# ascending, no duplicates: the first size is the base of the growth ratios
mapfile -t size_list < <(printf '%s\n' "${size_list[@]}" | sort -n -u)
[ -n "$import_n" ] || import_n=${size_list[${#size_list[@]}-1]}
runs_all=$(( runs < 3 ? runs : 3 ))
runs_pg=$runs_all
runs_tag=$runs_all
tag_target=10000
COLS=200
ROWS=50

# ---------------------------------------------------------------- tools
command -v notmuch >/dev/null || die "notmuch not found"
mkdir -p "$work" || die "cannot create work dir $work"
work=$(cd "$work" && pwd)

if [ -z "$trawl" ]; then
	for c in "$repo/build/trawl" "$repo/trawl"; do
		if [ -x "$c" ]; then trawl=$c; break; fi
	done
fi
if [ -n "$trawl" ]; then
	[ -x "$trawl" ] || die "--trawl $trawl: not an executable"
	trawl=$(cd "$(dirname "$trawl")" && pwd)/${trawl##*/}
fi

if [ -z "$gen" ]; then
	if [ -n "$trawl" ]; then
		gen=$(dirname "$trawl")/trawl-gen-corpus
	else
		for c in "$repo/build/trawl-gen-corpus" "$repo/trawl-gen-corpus"; do
			if [ -x "$c" ]; then gen=$c; break; fi
		done
		[ -n "$gen" ] || gen="$repo/build/trawl-gen-corpus"
	fi
fi
gen_ok=1
if [ ! -x "$gen" ]; then
	gen_ok=0
else
	gen=$(cd "$(dirname "$gen")" && pwd)/${gen##*/}
fi

tui_time=
if [ -n "${TUI_TIME:-}" ]; then
	[ -x "$TUI_TIME" ] || die "TUI_TIME=$TUI_TIME is not an executable"
	tui_time=$TUI_TIME
else
	for c in "$repo/../shared/tools/tui-time" /work/shared/tools/tui-time; do
		if [ -x "$c" ]; then tui_time=$(cd "$(dirname "$c")" && pwd)/tui-time; break; fi
	done
fi

have_hyperfine=0
[ "${BENCH_NO_HYPERFINE:-0}" != 0 ] || ! command -v hyperfine >/dev/null || have_hyperfine=1
have_python=0
command -v python3 >/dev/null && have_python=1

tui=1
tui_why=
if [ $want_tui = 0 ]; then tui=0; tui_why="--no-tui given"
elif [ -z "$trawl" ]; then tui=0; tui_why="no trawl binary (looked for $repo/build/trawl and $repo/trawl; use --trawl)"
elif [ -z "$tui_time" ]; then tui=0; tui_why="tui-time not found (set TUI_TIME)"
elif ! command -v tmux >/dev/null; then tui=0; tui_why="tmux not found"
elif [ $have_python = 0 ]; then tui=0; tui_why="python3 not found"
fi
[ $tui = 1 ] || [ $only_import = 1 ] || note "skipping the trawl (TUI) figures: $tui_why"

now_ns() { date +%s%N; }
# cleanups for the sections that write (bulk tag, writes), run on any exit
exit_hooks=()
run_exit_hooks() { local h; for h in "${exit_hooks[@]}"; do "$h" >/dev/null 2>&1 || true; done; }
trap run_exit_hooks EXIT
label() {	# 10000 -> 10k, 1000000 -> 1M
	local n=$1
	if [ $((n % 1000000)) = 0 ]; then echo "$((n / 1000000))M"
	elif [ $((n % 1000)) = 0 ]; then echo "$((n / 1000))k"
	else echo "$n"; fi
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
res="$work/results/$stamp"
mkdir -p "$res"
samples="$res/samples.tsv"	# metric <TAB> size <TAB> value (ms or kB)
: >"$samples"
add_sample() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$samples"; }

# ---------------------------------------------------------------- corpora
cfg_of() { echo "$work/db-$1/notmuch-config"; }

# How db-N is (or is to be) indexed: as db.done says, else --index.
indexed_by() {	# size
	local d="$work/db-$1" by
	by=$(sed -n 's/^indexed_by=//p' "$d/db.done" 2>/dev/null)
	if [ -f "$d/db.done" ]; then echo "${by:-notmuch}"; else echo "$index_with"; fi
}
# Where db-N's database and messages are: trawl import keeps them in its
# archive (DIR/db-N/archive/{db,mail}), notmuch new in DIR/db-N/{db,mail}.
db_of() { if [ "$(indexed_by "$1")" = import ]; then echo "$work/db-$1/archive/db"; else echo "$work/db-$1/db"; fi; }
mail_of() { if [ "$(indexed_by "$1")" = import ]; then echo "$work/db-$1/archive/mail"; else echo "$work/db-$1/mail"; fi; }

write_config() {	# size
	local d="$work/db-$1"
	cat >"$d/notmuch-config" <<EOF
# written by tools/bench.sh
[database]
path=$(db_of "$1")
mail_root=$(mail_of "$1")

[new]
tags=unread;inbox;

[maildir]
synchronize_flags=false

[search]
exclude_tags=deleted;spam;
EOF
}

gen_sum() { sha256sum <"$gen" | cut -c1-16; }
declare -A new_time new_when
build_size() {	# size [mail-only]: the corpus, then (unless mail-only) its database
	local n=$1 d="$work/db-$1" t0 t1
	mkdir -p "$d"
	if [ $rebuild = 1 ]; then
		rm -f "$d/mail.done" "$d/db.done" "$d/info"
	fi
	if [ ! -f "$d/mail.done" ]; then
		[ $gen_ok = 1 ] || die "corpus generator $gen not found or not executable (build it, or pass --gen)"
		rm -f "$d/db.done" "$d/info"
		rm -rf "$d/mail" "$d/db" "$d/archive"
		note "generating $n messages (seed 1) into $d/mail with $gen"
		t0=$(now_ns)
		"$gen" -o "$d/mail" -n "$n" --seed 1 --quiet ||
			die "the generator failed: $gen -o $d/mail -n $n --seed 1 --quiet"
		t1=$(now_ns)
		printf 'gen=%s\ngen_sum=%s\nseed=1\nn=%s\ngen_ms=%s\nwhen=%s\n' "$gen" "$(gen_sum)" \
			"$n" $(((t1 - t0) / 1000000)) "$(date -u '+%F %T UTC')" >"$d/mail.done"
	else
		local used used_sum
		used=$(sed -n 's/^gen=//p' "$d/mail.done")
		used_sum=$(sed -n 's/^gen_sum=//p' "$d/mail.done")
		if [ "$used" != "$gen" ]; then
			note "db-$n: the corpus was generated by $used, not $gen; reusing it (--rebuild to regenerate)"
		elif [ $gen_ok = 1 ] && [ -n "$used_sum" ] && [ "$used_sum" != "$(gen_sum)" ]; then
			note "db-$n: $gen has changed since it generated this corpus; reusing it (--rebuild to regenerate)"
		fi
	fi
	write_config "$n"
	[ "${2:-}" != mail-only ] || return 0
	if [ ! -f "$d/db.done" ] && [ "$index_with" = import ]; then
		# As a user opens a dump: trawl import of the generated maildir
		# (an interrupted import finishes when run again).
		rm -f "$d/info"
		[ -d "$d/archive" ] && note "db-$n: resuming the interrupted trawl import (it adds only what is missing)"
		note "indexing db-$n: trawl import $d/archive $d/mail (100k messages take ~5 minutes)"
		t0=$(now_ns)
		"$trawl" import --quiet "$d/archive" "$d/mail" >"$d/trawl-import.log" 2>&1 ||
			{ cat "$d/trawl-import.log" >&2; die "trawl import failed for db-$n"; }
		t1=$(now_ns)
		printf 'new_ms=%s\nwhen=%s\nindexed_by=import\n' $(((t1 - t0) / 1000000)) "$(date -u '+%F %T UTC')" >"$d/db.done"
		write_config "$n"
		note "db-$n: trawl import took $(((t1 - t0) / 1000000000)) s"
		new_when[$n]="this run"
	elif [ ! -f "$d/db.done" ]; then
		rm -f "$d/info"
		if [ $frame = 1 ] && [ -d "$d/db" ]; then
			note "db-$n: resuming the interrupted notmuch new (it indexes only what is missing)"
		else
			rm -rf "$d/db"
		fi
		mkdir -p "$d/db"
		note "indexing db-$n: notmuch new (100k messages take ~5 minutes)"
		t0=$(now_ns)
		NOTMUCH_CONFIG="$d/notmuch-config" notmuch new --quiet >"$d/notmuch-new.log" 2>&1 ||
			{ cat "$d/notmuch-new.log" >&2; die "notmuch new failed for db-$n"; }
		t1=$(now_ns)
		printf 'new_ms=%s\nwhen=%s\nindexed_by=notmuch\n' $(((t1 - t0) / 1000000)) "$(date -u '+%F %T UTC')" >"$d/db.done"
		note "db-$n: notmuch new took $(((t1 - t0) / 1000000000)) s"
		new_when[$n]="this run"
	else
		new_when[$n]="reused, built $(sed -n 's/^when=\(.*\):[0-9]* UTC$/\1/p' "$d/db.done")"
	fi
	new_time[$n]=$(sed -n 's/^new_ms=//p' "$d/db.done")
}

# (no trawl binary: notmuch new indexes)
[ -n "$trawl" ] || index_with=notmuch
if [ $only_import = 0 ]; then
	for n in "${size_list[@]}"; do build_size "$n"; done
fi

# Per size, once per database: thread count, the subject of the last thread in
# newest-first order (the thread whose newest message is oldest), and the
# largest thread (most messages; the first listed among equals): id and total.
# `notmuch search --format=json --output=summary '*'` is O(results): ~5 s at
# 100k, so it is cached in db-N/info (an info file without the largest thread,
# written by an older version of this script, is redone).
declare -A threads msgs last_subject big_id big_total
size_info() {	# size
	local n=$1 d="$work/db-$1"
	if [ ! -s "$d/info" ] || ! grep -q '^largest_total=' "$d/info"; then
		note "db-$n: listing all threads once (thread count, last thread)"
		NOTMUCH_CONFIG="$d/notmuch-config" notmuch search --format=json --output=summary '*' >"$d/all.json.tmp"
		if [ $have_python = 1 ]; then
			python3 - "$d/all.json.tmp" >"$d/info.tmp" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
print('threads=%d' % len(a))
s = a[-1]['subject'] if a else ''
print('last_subject=' + ' '.join(s.split()))
big = max(a, key=lambda t: t['total']) if a else {}
print('largest_thread=%s' % big.get('thread', ''))
print('largest_total=%s' % big.get('total', ''))
EOF
		else
			jq -r '"threads=\(length)", "last_subject=\(.[-1].subject // "" | gsub("\\s+"; " "))",
				(if length > 0 then max_by(.total) else {} end |
				 "largest_thread=\(.thread // "")", "largest_total=\(.total // "")")' \
				"$d/all.json.tmp" >"$d/info.tmp"
		fi
		echo "messages=$(NOTMUCH_CONFIG="$d/notmuch-config" notmuch count '*')" >>"$d/info.tmp"
		mv "$d/info.tmp" "$d/info"
		rm -f "$d/all.json.tmp"
	fi
	threads[$n]=$(sed -n 's/^threads=//p' "$d/info")
	msgs[$n]=$(sed -n 's/^messages=//p' "$d/info")
	last_subject[$n]=$(sed -n 's/^last_subject=//p' "$d/info")
	big_id[$n]=$(sed -n 's/^largest_thread=//p' "$d/info")
	big_total[$n]=$(sed -n 's/^largest_total=//p' "$d/info")
	case ${big_id[$n]} in
	*[!0-9a-fA-F]*) die "db-$n: odd largest thread id '${big_id[$n]}' in $d/info (delete it to redo)" ;;
	esac
	if [ -z "${big_id[$n]}" ]; then
		note "db-$n: no threads; no thread-open figures for this size"
	elif [ "${big_total[$n]:-0}" -lt 1000 ]; then
		note "db-$n: the largest thread has only ${big_total[$n]} messages (the generator makes ~2,100 at N >= 8000)"
	fi
}
if [ $only_import = 0 ]; then
	for n in "${size_list[@]}"; do size_info "$n"; done
fi
t_measure=$(now_ns)

# ---------------------------------------------------------------- --size: the issue-15 figures
if [ $frame = 1 ]; then
	[ $tui = 1 ] || die "--size needs the trawl figures: $tui_why"
	for n in "${size_list[@]}"; do
		note "db-$n: every key within a frame (tools/bench-frame.sh)"
		rm -f "$work/db-$n/frame.tsv.tmp"
		fargs=(--work "$work" --size "$n" --trawl "$trawl" --out "$work/db-$n/frame.tsv.tmp"
			--runs "$runs" --presses "$presses")
		[ $quick = 0 ] || fargs+=(--quick)
		[ -z "$frame_only" ] || fargs+=(--only "$frame_only")
		"$here/bench-frame.sh" "${fargs[@]}"
		if [ -n "$frame_only" ] && [ -f "$work/db-$n/frame.tsv" ]; then
			# replace those figures, keep the others
			awk -F'\t' 'NR == FNR { new[$2] = 1; print; next } !($2 in new)' \
				"$work/db-$n/frame.tsv.tmp" "$work/db-$n/frame.tsv" >"$work/db-$n/frame.tsv.new"
			mv "$work/db-$n/frame.tsv.new" "$work/db-$n/frame.tsv.tmp"
		fi
		mv "$work/db-$n/frame.tsv.tmp" "$work/db-$n/frame.tsv"
		cp "$work/db-$n/frame.tsv" "$res/frame-$n.tsv"
	done
	"$here/bench-report.sh" --work "$work" --trawl "$trawl" ${report:+--out "$report"} "${size_list[@]}"
	exit 0
fi

# ---------------------------------------------------------------- batch search (14)
# `:batch FILE` of the 100 most frequent senders within '*': the time from
# Enter to the table on screen, and to every count done (the title's
# "100 terms, by count"), measured after the list's own thread count is in
# (so the two background counts do not share the machine), beside notmuch
# count --batch of the same terms.
bench_batch() {	# size
	local n=$1 d="$work/db-$1" terms f r
	terms="$d/batch-terms"
	if [ ! -s "$terms" ]; then
		NOTMUCH_CONFIG="$d/notmuch-config" notmuch address --output=sender --output=address \
			--output=count --deduplicate=address '*' | sort -rn | head -100 |
			awk '{ print "from:" $2 }' >"$terms.tmp"
		mv "$terms.tmp" "$terms"
	fi
	local nterms
	nterms=$(wc -l <"$terms")
	local tsv="$res/batch-$n.tsv"
	: >"$tsv"
	for ((r = 1; r <= runs; r++)); do
		f="$res/tui-$n-batch-$r.json"
		if "$tui_time" --json --cols $COLS --rows $ROWS --timeout 300 \
			--env NOTMUCH_CONFIG="$(cfg_of "$n")" --ready-regex '\Asearch: \* [^\n]*\[1/[0-9]+\] [0-9]+ messages' \
			--step ':' '^:' --step "-l 'batch $terms'" 'batch-terms' \
			--step Enter "\\Abatch: [^\\n]* $nterms terms" \
			--step C-l "\\Abatch: [^\\n]* $nterms terms, by count *\$" \
			-- "$trawl" --read-only '*' >"$f" 2>"$f.err"; then
			python3 - "$f" >>"$tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d['runs']:
    if not r.get('warmup') and r.get('step3') is not None and r.get('step4') is not None:
        print('table\t%s' % r['step3'])
        print('all\t%s' % (r['step3'] + r['step4']))
PY
		else
			note "db-$n batch run $r: $(head -1 "$f.err" 2>/dev/null)"
		fi
		local t0 t1
		t0=$(now_ns)
		NOTMUCH_CONFIG="$d/notmuch-config" notmuch count --batch <"$terms" >/dev/null
		t1=$(now_ns)
		printf 'nmmsgs\t%s\n' $(((t1 - t0) / 1000000)) >>"$tsv"
		t0=$(now_ns)
		NOTMUCH_CONFIG="$d/notmuch-config" notmuch count --batch --output=threads <"$terms" >/dev/null
		t1=$(now_ns)
		printf 'nmthreads\t%s\n' $(((t1 - t0) / 1000000)) >>"$tsv"
	done
	python3 - "$tsv" "$n" "$nterms" "$(NOTMUCH_CONFIG="$d/notmuch-config" notmuch count --batch <"$terms" | awk '{ s += $1 } END { print s }')" <<'PY'
import sys, statistics
v = {}
for line in open(sys.argv[1]):
    k, x = line.split('\t')
    v.setdefault(k, []).append(float(x))
n, nterms, matched = sys.argv[2], sys.argv[3], sys.argv[4]
def cell(k):
    if k not in v:
        return '-'
    a = v[k]
    return '%.0f ms (%.0f-%.0f)' % (statistics.median(a), min(a), max(a))
print('\nbatch search, db-%s: `:batch` of %s terms (the most frequent senders, %s messages matched in all) within *' % (n, nterms, matched))
print('%-52s%s' % ('trawl: Enter -> the table on screen', cell('table')))
print('%-52s%s' % ('trawl: Enter -> every term counted (msgs + threads)', cell('all')))
print('%-52s%s' % ('notmuch count --batch (messages)', cell('nmmsgs')))
print('%-52s%s' % ('notmuch count --batch --output=threads', cell('nmthreads')))
if 'all' in v and 'nmmsgs' in v and 'nmthreads' in v:
    cli = statistics.median(v['nmmsgs']) + statistics.median(v['nmthreads'])
    print('%-52s%.2fx' % ('ratio: trawl all / notmuch (messages + threads)', statistics.median(v['all']) / cli))
print('goal: the table at once; every count <= 2 s at 100k messages (median of %d runs, min-max)' % len(v.get('all', [])))
PY
}
if [ $want_batch = 1 ] && [ $tui = 1 ] && [ $have_python = 1 ] && [ $only_import = 0 ] &&
	{ [ $only_batch = 1 ] || { [ $only_tag = 0 ] && [ $only_write = 0 ]; }; }; then
	for n in "${size_list[@]}"; do bench_batch "$n"; done
fi
if [ $only_batch = 1 ]; then
	t_end=$(now_ns)
	echo
	echo "took $(((t_end - t_start) / 1000000000)) s in all"
	exit 0
fi

# order of the sizes in run r: ascending on odd runs, descending on even ones
order() {
	if [ $(($1 % 2)) = 1 ]; then printf '%s\n' "${size_list[@]}"
	else printf '%s\n' "${size_list[@]}" | sort -rn; fi
}

# ---------------------------------------------------------------- notmuch CLI
# cli_bench METRIC RUNS WARMUP ARGS...   (ARGS after `notmuch --config=CFG`;
# the text {thread} in ARGS stands for the size's largest thread id, and sizes
# without one are skipped)
cli_sizes=()
cli_args() {	# size ARGS...: sets cli_argv to ARGS with {thread} replaced
	local n=$1 a
	shift
	cli_argv=()
	for a in "$@"; do cli_argv+=("${a//\{thread\}/${big_id[$n]:-}}"); done
}
cli_bench() {
	local metric=$1 nruns=$2 warm=$3 n r t0 t1 i us
	shift 3
	cli_sizes=()
	for n in "${size_list[@]}"; do
		case "$*" in *'{thread}'*) [ -n "${big_id[$n]:-}" ] || continue ;; esac
		cli_sizes+=("$n")
	done
	[ ${#cli_sizes[@]} -gt 0 ] || { note "skipping notmuch $*: no size has a thread"; return 0; }
	note "timing notmuch $* ($nruns runs per size)"
	if [ $have_hyperfine = 1 ]; then
		local hargs=() q
		for n in "${cli_sizes[@]}"; do
			cli_args "$n" "$@"
			q=$(printf "'%s' " "${cli_argv[@]}")
			hargs+=(-n "$n" "notmuch --config='$(cfg_of "$n")' $q")
		done
		hyperfine -N --style basic --warmup "$warm" --runs "$nruns" \
			--export-json "$res/hyperfine-$metric.json" "${hargs[@]}" \
			>"$res/hyperfine-$metric.txt" 2>&1 ||
			{ cat "$res/hyperfine-$metric.txt" >&2; die "hyperfine failed"; }
		if [ $have_python = 1 ]; then
			python3 - "$res/hyperfine-$metric.json" "$metric" >>"$samples" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))['results']:
    for t in r['times']:
        print('%s\t%s\t%.3f' % (sys.argv[2], r['command'], t * 1000.0))
EOF
		else
			jq -r --arg m "$metric" '.results[] | .command as $c | .times[] |
				"\($m)\t\($c)\t\(. * 1000)"' "$res/hyperfine-$metric.json" >>"$samples"
		fi
	else
		for ((i = 1; i <= warm; i++)); do
			for n in "${cli_sizes[@]}"; do
				cli_args "$n" "$@"
				notmuch --config="$(cfg_of "$n")" "${cli_argv[@]}" >/dev/null
			done
		done
		for ((r = 1; r <= nruns; r++)); do
			for n in $(order "$r"); do
				case " ${cli_sizes[*]} " in *" $n "*) ;; *) continue ;; esac
				cli_args "$n" "$@"
				t0=$(now_ns)
				notmuch --config="$(cfg_of "$n")" "${cli_argv[@]}" >/dev/null
				t1=$(now_ns)
				us=$(((t1 - t0) / 1000))
				add_sample "$metric" "$n" "$(printf '%d.%03d' $((us / 1000)) $((us % 1000)))"
			done
		done
	fi
}

if [ $only_tag = 0 ] && [ $only_import = 0 ] && [ $only_write = 0 ]; then
	cli_bench nm50 "$runs" 2 search --output=summary --limit=50 '*'
	cli_bench nmall "$runs_all" 1 search '*'
	cli_bench nmshow "$runs" 1 show --format=json 'thread:{thread}'
fi

# ---------------------------------------------------------------- trawl (tui-time)
# python helper: regexes, and reading tui-time JSON
py_regex() {	# what [args...]
	python3 - "$@" <<'EOF'
import re, sys, unicodedata
what = sys.argv[1]
if what == 'ready':
    # row 0: title bar "search: *" with position [1/..; row `last`: non-empty
    last = int(sys.argv[2])
    print(r'\Asearch: \*[^\n]*\[1/[^\n]*\n(?:[^\n]*\n){%d}[^\n]*\S' % (last - 1))
elif what == 'pos':
    # title bar (row 0) showing position P
    print(r'\Asearch: \*[^\n]*\[%s/' % sys.argv[2])
elif what == 'subject':
    # a prefix of the subject, whitespace-tolerant, in a thread row (not row 0)
    s = sys.argv[2]
    out, n = [], 0
    for ch in s:
        w = 2 if unicodedata.east_asian_width(ch) in 'WF' else 1
        if n + w > 40:
            break   # at most 40 columns: the subject column may cut the rest
        cat = unicodedata.category(ch)
        if ch.isspace():
            if out and out[-1] != r'\s+':
                out.append(r'\s+')
        elif cat[0] in 'CMZ' or cat == 'So':
            break   # control, combining, odd spaces, symbols: may be sanitised
        else:
            out.append(re.escape(ch))
        n += w
    while out and out[-1] == r'\s+':
        out.pop()
    if len([x for x in out if x != r'\s+']) < 4:
        sys.exit(1)
    print(r'\n[^\n]*' + ''.join(out))
elif what == 'list1':
    # `trawl thread:ID`: title bar "search: thread:ID ... [1/1" and row 1 drawn
    print(r'\Asearch: thread:%s\b[^\n]*\[1/1\][^\n]*\n[^\n]*\S' % re.escape(sys.argv[2]))
elif what == 'thread':
    # the thread view of a thread of argv[2] messages: row 0 is
    # "thread: <subject> ... [<pos>/<total>] <m> matched", and below it the
    # separator "── <pos>/<total> <author>, <pct>% ──" with the message's
    # From: header within the next 4 rows.  Anchored at \A and stepping a
    # line at a time ([^\n]*\n), so it cannot backtrack across the screen.
    t = int(sys.argv[2])
    print(r'\Athread: [^\n]*\[\d+/%d\] \d+ matched[^\n]*\n(?:[^\n]*\n)*?'
          r'── \d+/%d [^\n]*\n(?:[^\n]*\n){0,3}From: ' % (t, t))
elif what == 'check':
    # exit 0 if regex argv[2] matches the screen in file argv[3]
    scr = open(sys.argv[3], encoding='utf-8', errors='replace').read()
    sys.exit(0 if re.search(sys.argv[2], scr, re.M) else 1)
elif what == 'title-pos':
    # the position shown in the title bar of the screen in file argv[2]
    scr = open(sys.argv[2], encoding='utf-8', errors='replace').read()
    m = re.search(r'\[(\d+)/', scr.split('\n', 1)[0])
    if not m:
        sys.exit(1)
    print(m.group(1))
EOF
}

# tt_run_q SIZE OUT.json QUERY tui-time-args...   (runs `trawl QUERY` under
# tui-time once; 0 if it matched).  tt_run SIZE OUT.json ...: QUERY is '*'.
# --read-only: opening the giant thread would otherwise mark its messages read
# run after run, and every run would measure a different database.
tt_run_q() {
	local n=$1 out=$2 query=$3 rc=0
	shift 3
	"$tui_time" --json --cols $COLS --rows $ROWS --timeout 300 \
		--env NOTMUCH_CONFIG="$(cfg_of "$n")" "$@" -- "$trawl" --read-only "$query" \
		>"$out" 2>"$out.err" || rc=$?
	[ -s "$out.err" ] || rm -f "$out.err"
	return $rc
}
tt_run() { tt_run_q "$1" "$2" '*' "${@:3}"; }
# tt_samples SIZE FILE.json KEY=METRIC...   (append the values of one run)
tt_samples() {
	local n=$1 f=$2
	shift 2
	python3 - "$f" "$n" "$@" >>"$samples" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    sys.stderr.write('bench.sh: cannot read %s: %s\n' % (sys.argv[1], e))
    sys.exit(0)
for kv in sys.argv[3:]:
    k, m = kv.split('=')
    for r in d['runs']:
        if not r.get('warmup') and r.get(k) is not None:
            print('%s\t%s\t%s' % (m, sys.argv[2], r[k]))
EOF
}

# ---------------------------------------------------------------- timeline (14)
# timeline_section: d on trawl '*' -> the month timeline counted, beside
# notmuch count --batch of the same month queries.  Prints its own table.
tl_edge() {	# SIZE oldest-first|newest-first: the date of that end of '*'
	notmuch --config="$(cfg_of "$1")" search --sort="$2" --limit=1 --format=json --output=summary '*' |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["timestamp"])'
}
tl_months() {	# SIZE: the month terms of '*' (UTC), oldest first, one a line
	python3 -c '
import calendar, datetime, sys
first, last = (datetime.datetime.utcfromtimestamp(int(a)) for a in sys.argv[1:3])
y, m = first.year, first.month
while (y, m) <= (last.year, last.month):
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    a = calendar.timegm((y, m, 1, 0, 0, 0))
    b = calendar.timegm((ny, nm, 1, 0, 0, 0))
    print("date:@%d..@%d" % (a, b - 1))
    y, m = ny, nm
' "$(tl_edge "$1" oldest-first)" "$(tl_edge "$1" newest-first)"
}
timeline_section() {
	local n out months re_list re_list0 re_month re_first re_year t0 t1 i
	[ $tui = 1 ] || { note "timeline: no trawl figures ($tui_why)"; return 0; }
	mkdir -p "$res/screens"
	for n in "${size_list[@]}"; do
		[ "${msgs[$n]:-0}" -gt 0 ] || continue
		tl_months "$n" >"$res/timeline-$n.months"
		months=$(wc -l <"$res/timeline-$n.months")
		re_list='^search: \* .*\[1/\d+\] \d+ messages'
		re_list0='^search: \* .*\[1/'
		re_month="^timeline: \\* .* $months months, ${msgs[$n]} messages, newest first\\s*\$"
		re_first='^\d{4}-\d{2} +\d+ '
		re_year="^timeline: \\* .* \\d+ years?, ${msgs[$n]} messages, newest first\\s*\$"
		note "timeline: db-$n ($months months)"
		out="$res/timeline-$n-counted.json"
		if ! tt_run_q "$n" "$out" '*' --runs "$runs" --warmup 1 --env TZ=UTC --interval-ms 2 \
			--ready-regex "$re_list" --step d "$re_month" --step - "$re_year" \
			--dump-screen "$res/screens/$n-timeline.txt"; then
			cat "$out.err" >&2 2>/dev/null
			note "timeline: db-$n never showed /$re_month/"
			continue
		fi
		tt_samples "$n" "$out" step1=tl_counted step2=tl_years
		out="$res/timeline-$n-first.json"
		tt_run_q "$n" "$out" '*' --runs "$runs" --warmup 1 --env TZ=UTC --interval-ms 2 \
			--ready-regex "$re_list" --step d "$re_first" && tt_samples "$n" "$out" step1=tl_first
		out="$res/timeline-$n-at-once.json"
		tt_run_q "$n" "$out" '*' --runs "$runs" --warmup 1 --env TZ=UTC --interval-ms 2 \
			--ready-regex "$re_list0" --step d "$re_month" && tt_samples "$n" "$out" step1=tl_at_once
		# the same month counts by the CLI: one process, one handle
		for i in $(seq 0 "$runs"); do
			t0=$(now_ns)
			notmuch --config="$(cfg_of "$n")" count --batch <"$res/timeline-$n.months" >"$res/timeline-$n.cli"
			t1=$(now_ns)
			[ "$i" = 0 ] || add_sample tl_cli "$n" "$(((t1 - t0) / 1000000))"
		done
		# the months trawl shows are the CLI's (its screen: the newest first)
		paste -d' ' <(tac "$res/timeline-$n.cli") <(grep -E '^[0-9]{4}-[0-9]{2} ' "$res/screens/$n-timeline.txt" 2>/dev/null | awk '{ print $2 }') |
			awk 'NF == 2 && $1 != $2 { bad++ } END { exit bad > 0 }' ||
			note "timeline: db-$n: a month on screen differs from notmuch count"
	done
	awk -F'\t' -v sizes="${size_list[*]}" '
	function med(m, n,   c, i, j, t, a) {
		c = cnt[m, n]; if (!c) return ""
		for (i = 1; i <= c; i++) a[i] = val[m, n, i] + 0
		for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		MIN = a[1]; MAX = a[c]
		return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
	}
	function cell(m, n,   v) { v = med(m, n); return v == "" ? "-" : sprintf("%.0f ms (%.0f-%.0f)", v, MIN, MAX) }
	{ cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $3 }
	END {
		ns = split(sizes, size, " ")
		printf "\ntimeline (14): trawl \047*\047, d -> months (TZ=UTC); median (min-max) of the runs\n"
		printf "%-56s", ""; for (s = 1; s <= ns; s++) printf "%-24s", size[s] " msgs"; printf "\n"
		split("tl_first tl_counted tl_at_once tl_years tl_cli", ms, " ")
		nm["tl_first"] = "d -> the first month counted on screen"
		nm["tl_counted"] = "d -> every month counted on screen"
		nm["tl_at_once"] = "d on the first screen (list counting) -> every month"
		nm["tl_years"] = "then - -> every year counted"
		nm["tl_cli"] = "notmuch count --batch of the same months"
		for (k = 1; k <= 5; k++) {
			printf "%-56s", nm[ms[k]]
			for (s = 1; s <= ns; s++) printf "%-24s", cell(ms[k], size[s])
			printf "\n"
		}
		printf "%-56s", "ratio: every month counted / notmuch count --batch"
		for (s = 1; s <= ns; s++) {
			a = med("tl_counted", size[s]); b = med("tl_cli", size[s])
			printf "%-24s", (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b)
		}
		printf "\ngoal: every month counted <= 1 s at 100k messages\n"
	}' "$samples"
}
if [ $only_timeline = 1 ]; then
	timeline_section
	exit 0
fi

declare -A re_ready re_g re_pg g_how re_t1 re_topen
trawl_sum=
[ -z "$trawl" ] || trawl_sum=$(sha256sum <"$trawl" | cut -c1-16)
if [ $tui = 1 ] && [ $only_tag = 0 ] && [ $only_import = 0 ]; then
	note "trawl: $trawl"
	mkdir -p "$res/screens"
	for n in "${size_list[@]}"; do
		# 4. thread open: `trawl thread:ID` (one row), Enter -> thread view.
		# Calibrated first (and independently of the '*' scenarios); the
		# warm-up run keeps its screens.  60 s: a failure is a regex problem.
		re_t1[$n]=
		re_topen[$n]=
		if [ -n "${big_id[$n]}" ] && [ $only_write = 0 ]; then
			re_t1[$n]=$(py_regex list1 "${big_id[$n]}")
			re_topen[$n]=$(py_regex thread "${big_total[$n]}")
			if ! tt_run_q "$n" "$res/warmup-$n-thread.json" "thread:${big_id[$n]}" --timeout 60 \
				--ready-regex "${re_t1[$n]}" --step Enter "${re_topen[$n]}" --rss \
				--dump-screen "$res/screens/$n-thread.txt"; then
				note "db-$n: opening thread:${big_id[$n]} (${big_total[$n]} msgs) never matched; last screen:"
				cat "$res/warmup-$n-thread.json.err" >&2 || true
				note "db-$n: no thread-open figures for this size (regexes: ${re_t1[$n]}  then  ${re_topen[$n]})"
				re_t1[$n]=
				re_topen[$n]=
			fi
		fi
		# 1. first screen: title bar with [1/ and the last thread row drawn
		last_row=$(( threads[$n] < ROWS - 2 ? threads[$n] : ROWS - 2 ))
		if [ "$last_row" -lt 1 ]; then
			note "db-$n: no threads; no trawl figures for this size"
			re_ready[$n]=
			continue
		fi
		re_ready[$n]=$(py_regex ready "$last_row")
		scr="$res/screens/$n-first.txt"
		if ! tt_run "$n" "$res/calib-$n-first.json" --ready-regex "${re_ready[$n]}" \
			--dump-screen "$scr"; then
			note "db-$n: trawl's first screen never matched ${re_ready[$n]}; last screen:"
			cat "$res/calib-$n-first.json.err" >&2
			note "db-$n: no trawl figures for this size"
			re_ready[$n]=
			continue
		fi
		# 2. G: the last thread's subject on screen; it must not be on the first screen
		g_how[$n]="subject"
		if re_g[$n]=$(py_regex subject "${last_subject[$n]}") &&
			! py_regex check "${re_g[$n]}" "$scr"; then
			:
		else
			re_g[$n]=$(py_regex pos "${threads[$n]}")
			g_how[$n]="title [${threads[$n]}/"
			note "db-$n: last subject '${last_subject[$n]}' unusable (too short, or already on the first screen); G waits for the title to show [${threads[$n]}/"
		fi
		# 3. PgDn: learn the page size from one PgDn, expect min(N, 1 + 200*page)
		re_pg[$n]=
		if [ $only_write = 1 ]; then
			:	# --only-write: first screen and G only
		elif tt_run "$n" "$res/calib-$n-pgdn1.json" --ready-regex "${re_ready[$n]}" \
			--step NPage "!$(py_regex pos 1)" --settle-ms 500 \
			--dump-screen "$res/screens/$n-pgdn1.txt" &&
			p1=$(py_regex title-pos "$res/screens/$n-pgdn1.txt") && [ "$p1" -gt 1 ]; then
			page=$((p1 - 1))
			p200=$((1 + 200 * page))
			[ "$p200" -le "${threads[$n]}" ] || p200=${threads[$n]}
			re_pg[$n]=$(py_regex pos "$p200")
			note "db-$n: PgDn moves $page rows; 200 x PgDn should reach [$p200/"
		else
			note "db-$n: could not see the title bar position move after one PgDn; skipping the PgDn figures"
		fi
		# warm-up run of the main scenario (discarded), keeping its screens
		if ! tt_run "$n" "$res/warmup-$n-G.json" --ready-regex "${re_ready[$n]}" \
			--step G "${re_g[$n]}" --rss --dump-screen "$res/screens/$n-G.txt"; then
			note "db-$n: G never matched ${re_g[$n]}; last screen:"
			cat "$res/warmup-$n-G.json.err" >&2
			re_g[$n]=
		fi
	done

	for ((r = 1; r <= runs; r++)); do
		note "trawl run $r/$runs"
		for n in $(order "$r"); do
			if [ -n "${re_topen[$n]}" ]; then
				f="$res/tui-$n-thread-$r.json"
				if tt_run_q "$n" "$f" "thread:${big_id[$n]}" --ready-regex "${re_t1[$n]}" \
					--step Enter "${re_topen[$n]}" --rss; then
					tt_samples "$n" "$f" step1=topen VmHWM_kB=hwmT
				else
					note "db-$n run $r (thread open): $(head -1 "$f.err" 2>/dev/null)"
				fi
			fi
			[ -n "${re_ready[$n]}" ] || continue
			f="$res/tui-$n-G-$r.json"
			if [ -n "${re_g[$n]}" ]; then
				if tt_run "$n" "$f" --ready-regex "${re_ready[$n]}" --step G "${re_g[$n]}" --rss; then
					tt_samples "$n" "$f" ready=first step1=G VmHWM_kB=hwmG
				else
					note "db-$n run $r: $(head -1 "$f.err" 2>/dev/null)"
					tt_samples "$n" "$f" ready=first
				fi
			else
				tt_run "$n" "$f" --ready-regex "${re_ready[$n]}" --rss && tt_samples "$n" "$f" ready=first VmHWM_kB=hwm1
			fi
			if [ $r -le $runs_pg ] && [ -n "${re_pg[$n]}" ]; then
				f="$res/tui-$n-pgdn-$r.json"
				if tt_run "$n" "$f" --ready-regex "${re_ready[$n]}" \
					--step '-N 200 NPage' "${re_pg[$n]}" --rss; then
					tt_samples "$n" "$f" step1=pgdn VmHWM_kB=hwmPg
				else
					note "db-$n run $r: $(head -1 "$f.err" 2>/dev/null)"
				fi
			fi
		done
	done
fi
# ---------------------------------------------------------------- writes (11-13)
# Keys that change tags, timed in a real terminal, on a copy of db-N made
# once (DIR/db-N/write/: db/, notmuch-config, copied), so db-N is never
# written: its lastmod revision is read before and after.  Every run starts
# from the copy's first state: a dump (tags only) of the two threads the runs
# touch, taken before the first run, is restored after every run and
# compared with the copy's state again.
w_interval=2	# tui-time poll interval (ms): the goals are tens of ms
declare -A w_row w_row_id w_big_row w_keys w_rev0 w_rev1 w_state w_ok w_tagre w_thre
w_sizes=()
wdir_of() { echo "$work/db-$1/write"; }
nm_w() { local n=$1; shift; notmuch --config="$(wdir_of "$n")/notmuch-config" "$@"; }
nm_o() { local n=$1; shift; notmuch --config="$(cfg_of "$n")" "$@"; }
w_revision() { nm_o "$1" count --lastmod '*' | cut -f3; }
# write_copy SIZE: (re)make the copy when db-N was rebuilt since, or when the
# copy is not in db-N's state (tag:benchtag left, other unread counts)
write_copy() {
	local n=$1 d="$work/db-$1" w
	w=$(wdir_of "$n")
	if [ -f "$w/copied" ] && cmp -s "$w/copied" "$d/db.done" &&
		[ "$(nm_w "$n" count tag:benchtag 2>/dev/null)" = 0 ] &&
		[ "$(nm_w "$n" count tag:unread 2>/dev/null)" = "$(nm_o "$n" count tag:unread)" ]; then
		return 0
	fi
	note "db-$n: copying the database for the write figures to $w (cp -a, $(du -sh "$(db_of "$n")" | cut -f1); db-$n itself is never written)"
	rm -rf "$w"
	mkdir -p "$w"
	cp -a "$(db_of "$n")" "$w/db.tmp"
	mv "$w/db.tmp" "$w/db"
	cat >"$w/notmuch-config" <<EOF
# written by tools/bench.sh: a copy of db-$n's database for the write figures
[database]
path=$w/db
mail_root=$(mail_of "$n")

[new]
tags=unread;inbox;

[maildir]
synchronize_flags=false

[search]
exclude_tags=deleted;spam;
EOF
	[ "$(nm_w "$n" count '*')" = "$(nm_o "$n" count '*')" ] ||
		die "db-$n: the copy in $w does not count what db-$n counts (was db-$n being written?)"
	cp "$d/db.done" "$w/copied"
}
# write_restore SIZE: the copy back to its first state
write_restore() {
	local n=$1 w
	w=$(wdir_of "$n")
	nm_w "$n" tag -benchtag -- tag:benchtag
	nm_w "$n" restore --include=tags --input="$w/state.dump"
}
write_cleanup() {
	local n
	for n in "${w_sizes[@]}"; do write_restore "$n"; done
}
# write_check SIZE: "ok" when the copy is in its first state again
write_check() {
	local n=$1 w
	w=$(wdir_of "$n")
	if [ "$(nm_w "$n" count tag:benchtag)" = 0 ] &&
		nm_w "$n" dump --include=tags -- "$(cat "$w/state.query")" | cmp -s - "$w/state.dump"; then
		echo ok
	else
		echo differs
	fi
}
w_list_re() {	# POS: the list's title showing position POS
	printf '\\Asearch: \\*[^\\n]*\\[%s/' "$1"
}
w_thread_re() {	# K TOTAL: title and separator of the thread view at message K
	printf '\\Athread: [^\\n]*\\[%s/%s\\] \\d+ matched[^\\n]*\\n(?:[^\\n]*\\n)*?── %s/%s ' "$1" "$2" "$1" "$2"
}
# w_nav POS: tui-time steps from the first screen to the list position POS
# (1-based): PgDn while a whole page fits, then j; sets w_steps (appended)
# and w_nsteps.  A page is ROWS - 2 rows (title and bottom line).
w_nav() {
	local pos=$1 page=$((ROWS - 2)) k m
	k=$(((pos - 1) / page))
	m=$(((pos - 1) % page))
	if [ $k -gt 0 ]; then
		w_steps+=(--step "-N $k NPage" "$(w_list_re $((1 + k * page)))")
		w_nsteps=$((w_nsteps + 1))
	fi
	if [ $m -gt 0 ]; then
		w_steps+=(--step "-N $m j" "$(w_list_re "$pos")")
		w_nsteps=$((w_nsteps + 1))
	fi
}
# tt_write SIZE OUT.json tui-time-args...: `trawl '*'` on the copy, writable,
# mark-read on, an empty trawl config
tt_write() {
	local n=$1 out=$2 rc=0
	shift 2
	"$tui_time" --json --cols $COLS --rows $ROWS --timeout 120 --interval-ms $w_interval \
		--pause-ms "$write_pause" --env NOTMUCH_CONFIG="$(wdir_of "$n")/notmuch-config" "$@" \
		-- "$trawl" --trawl-config "$res/empty-trawl-config" '*' >"$out" 2>"$out.err" || rc=$?
	[ -s "$out.err" ] || rm -f "$out.err"
	return $rc
}
# the steps of the two scenarios: w_tag_args / w_thr_args, and the step
# numbers holding the figures
declare -A w_tag_step w_open_step w_n_first w_q_step
w_tag_args() {	# SIZE
	local n=$1
	w_steps=(--ready-regex "$(w_list_re 1)[^\\n]*\\n[^\\n]*\\S")
	w_nsteps=0
	w_nav "${w_row[$n]}"
	# (tmux drops the prompt's trailing space)
	w_steps+=(--step t '^Tag [^\n]*\(\+tag -tag\):' --step '-l +benchtag' '^Tag [^\n]*: \+benchtag'
		--step Enter '^(?!Tag )[^\n]*\([^\n()]*\bbenchtag\b[^\n()]*\)')
	w_nsteps=$((w_nsteps + 3))
	w_tag_step[$n]=$w_nsteps
}
w_thr_args() {	# SIZE
	local n=$1 k t=${big_total[$n]}
	w_steps=(--ready-regex "$(w_list_re 1)[^\\n]*\\n[^\\n]*\\S")
	w_nsteps=0
	w_nav "${w_big_row[$n]}"
	w_steps+=(--step Enter "$(w_thread_re 1 "$t")")
	w_nsteps=$((w_nsteps + 1))
	w_open_step[$n]=$w_nsteps
	w_n_first[$n]=$((w_nsteps + 1))
	for ((k = 2; k <= w_keys[$n] + 1; k++)); do
		w_steps+=(--step n "$(w_thread_re "$k" "$t")")
	done
	w_nsteps=$((w_nsteps + w_keys[$n]))
	w_steps+=(--step q "$(w_list_re "${w_big_row[$n]}")")
	w_nsteps=$((w_nsteps + 1))
	w_q_step[$n]=$w_nsteps
}
w_tag_run() {	# SIZE OUT.json [tui-time args]: one tag run, checked and undone
	local n=$1 f=$2 rc=0 got
	shift 2
	w_tag_args "$n"
	tt_write "$n" "$f" "${w_steps[@]}" "$@" || rc=$?
	got=$(nm_w "$n" search --output=threads tag:benchtag | tr '\n' ' ')
	if [ $rc = 0 ] && [ "$got" != "thread:${w_row_id[$n]} " ]; then
		note "db-$n: WARNING: after the tag run tag:benchtag is on '${got% }', not thread:${w_row_id[$n]} (the thread at row $((w_row[$n] - 1)))"
		w_ok[$n]="NO (on ${got% })"
	fi
	write_restore "$n"
	return $rc
}
w_thr_run() {	# SIZE OUT.json [tui-time args]: one mark-read run, undone
	local n=$1 f=$2 rc=0 read
	shift 2
	w_thr_args "$n"
	tt_write "$n" "$f" "${w_steps[@]}" "$@" || rc=$?
	read=$(nm_w "$n" count -- "thread:${big_id[$n]} and not tag:unread")
	if [ $rc = 0 ] && [ "$read" != $((w_keys[$n] + 1)) ]; then
		note "db-$n: WARNING: after the mark-read run $read messages of the thread are read, not $((w_keys[$n] + 1))"
		w_ok[$n]="NO (mark-read: $read read)"
	fi
	write_restore "$n"
	return $rc
}

if [ $tui = 1 ] && [ $want_write = 1 ] && [ $only_tag = 0 ] && [ $only_import = 0 ]; then
	: >"$res/empty-trawl-config"
	mkdir -p "$res/screens"
	exit_hooks+=(write_cleanup)
	for n in "${size_list[@]}"; do
		[ "${threads[$n]:-0}" -gt 1 ] || { note "db-$n: too few threads for the write figures"; continue; }
		write_copy "$n"
		w=$(wdir_of "$n")
		[ "$(nm_w "$n" config get maildir.synchronize_flags)" = false ] ||
			die "db-$n: maildir.synchronize_flags is not false in $w/notmuch-config: mark-read would rename db-$n's mail files"
		w_rev0[$n]=$(w_revision "$n")
		# 11: the thread at row min(5000, threads - 1)
		r0=$(( threads[$n] - 1 < 5000 ? threads[$n] - 1 : 5000 ))
		w_row[$n]=$((r0 + 1))
		w_row_id[$n]=$(nm_w "$n" search --output=threads --offset="$r0" --limit=1 '*' | sed 's/^thread://')
		# 12, 13: the largest thread, its row in the list
		w_big_row[$n]=
		w_keys[$n]=0
		if [ -n "${big_id[$n]}" ]; then
			w_big_row[$n]=$(nm_w "$n" search --output=threads '*' | grep -n -x -F "thread:${big_id[$n]}" | cut -d: -f1)
			w_keys[$n]=$(( big_total[$n] - 1 < write_keys ? big_total[$n] - 1 : write_keys ))
			u=$(nm_w "$n" count -- "thread:${big_id[$n]} and tag:unread")
			if [ "$u" != "${big_total[$n]}" ]; then
				note "db-$n: only $u of the ${big_total[$n]} messages of thread:${big_id[$n]} are unread; marking them unread in the copy"
				nm_w "$n" tag +unread -- "thread:${big_id[$n]}"
			fi
		fi
		w_ok[$n]=ok
		echo "thread:${w_row_id[$n]}${big_id[$n]:+ or thread:${big_id[$n]}}" >"$w/state.query"
		nm_w "$n" dump --include=tags --output="$w/state.dump" -- "$(cat "$w/state.query")"
		w_sizes+=("$n")
		note "db-$n: write figures on $w: tag at row $r0 (thread:${w_row_id[$n]}), mark-read in thread:${big_id[$n]:-none} at row $((${w_big_row[$n]:-1} - 1)), $runs runs"
		# warm-up runs (discarded), keeping their screens; a failure drops the figure
		w_tagre[$n]=1
		if ! w_tag_run "$n" "$res/warmup-$n-wtag.json" --timeout 60 --dump-screen "$res/screens/$n-wtag.txt"; then
			note "db-$n: the tag run never matched; last screen:"
			cat "$res/warmup-$n-wtag.json.err" >&2 || true
			w_tagre[$n]=
		fi
		w_thre[$n]=
		if [ -n "${w_big_row[$n]}" ] && [ "${w_keys[$n]}" -gt 0 ]; then
			w_thre[$n]=1
			if ! w_thr_run "$n" "$res/warmup-$n-wthread.json" --timeout 60 --dump-screen "$res/screens/$n-wthread.txt"; then
				note "db-$n: the mark-read run never matched; last screen:"
				cat "$res/warmup-$n-wthread.json.err" >&2 || true
				w_thre[$n]=
			fi
		fi
	done
	for ((r = 1; r <= runs; r++)); do
		note "trawl write run $r/$runs"
		for n in $(order "$r"); do
			case " ${w_sizes[*]} " in *" $n "*) ;; *) continue ;; esac
			if [ -n "${w_tagre[$n]}" ]; then
				f="$res/tui-$n-wtag-$r.json"
				if w_tag_run "$n" "$f"; then
					tt_samples "$n" "$f" "step${w_tag_step[$n]}=wtag"
				else
					note "db-$n write run $r (tag): $(head -1 "$f.err" 2>/dev/null)"
				fi
			fi
			if [ -n "${w_thre[$n]}" ]; then
				f="$res/tui-$n-wthread-$r.json"
				if w_thr_run "$n" "$f"; then
					kv=("step${w_open_step[$n]}=wopen" "step${w_q_step[$n]}=wq")
					for ((k = 0; k < w_keys[$n]; k++)); do kv+=("step$((w_n_first[$n] + k))=wn"); done
					tt_samples "$n" "$f" "${kv[@]}"
				else
					note "db-$n write run $r (mark-read): $(head -1 "$f.err" 2>/dev/null)"
				fi
			fi
		done
	done
	for n in "${w_sizes[@]}"; do
		w_state[$n]=$(write_check "$n")
		[ "${w_state[$n]}" = ok ] || note "db-$n: WARNING: the copy's tags differ from its first state after the write runs"
		w_rev1[$n]=$(w_revision "$n")
		[ "${w_rev1[$n]}" = "${w_rev0[$n]}" ] ||
			note "db-$n: WARNING: db-$n's lastmod revision moved from ${w_rev0[$n]} to ${w_rev1[$n]} during the write figures (written by someone else?)"
	done
fi
# ---------------------------------------------------------------- bulk tag
# Last, because it writes to the databases.  Per size: a query Q matching
# about $tag_target messages, then notmuch tag +bench -- Q beside
# trawl --tag +bench Q, each run starting from no tag:bench (--prepare).
declare -A tag_q tag_n tag_left
tag_sizes=()
nm_count() { notmuch --config="$(cfg_of "$1")" count -- "$2"; }
untag() { notmuch --config="$(cfg_of "$1")" tag -bench -- tag:bench; }
tag_cleanup() {	# on exit: leave no tag:bench behind, whatever happened
	local n
	for n in "${tag_sizes[@]}"; do untag "$n" >/dev/null 2>&1 || true; done
}
# tag_query SIZE: sets tag_q[SIZE] and tag_n[SIZE].  '*' for small corpora;
# else date:S..E with S the 1st of the oldest message's month and E the day
# whose count is closest to $tag_target (binary search; counts are ~10 ms)
tag_query() {
	local n=$1 ts start lo hi mid c c_lo c_hi span
	if [ "${msgs[$n]}" -le $((tag_target + tag_target / 10)) ]; then
		tag_q[$n]='*'
		tag_n[$n]=$(nm_count "$n" '*')
		return 0
	fi
	ts=$(notmuch --config="$(cfg_of "$n")" search --format=json --output=summary \
		--sort=oldest-first --limit=1 '*' | sed -n 's/.*"timestamp": *\([0-9]*\).*/\1/p' | head -1)
	[ -n "$ts" ] || { note "db-$n: cannot find the oldest message's date; no bulk-tag figures"; return 1; }
	start=$(date -u -d "@$ts" +%Y-%m-01)
	span=$(( ($(date -u +%s) - $(date -u -d "$start" +%s)) / 86400 + 1 ))
	# smallest k in [0, span] with count(date:start..start+k) >= target
	lo=0 hi=$span
	while [ $lo -lt $hi ]; do
		mid=$(( (lo + hi) / 2 ))
		c=$(nm_count "$n" "date:$start..$(date -u -d "$start + $mid days" +%F)")
		if [ "$c" -ge $tag_target ]; then hi=$mid; else lo=$((mid + 1)); fi
	done
	c_hi=$(nm_count "$n" "date:$start..$(date -u -d "$start + $lo days" +%F)")
	if [ $lo -gt 0 ]; then
		c_lo=$(nm_count "$n" "date:$start..$(date -u -d "$start + $((lo - 1)) days" +%F)")
		if [ $((tag_target - c_lo)) -lt $((c_hi - tag_target)) ]; then lo=$((lo - 1)); c_hi=$c_lo; fi
	fi
	tag_q[$n]="date:$start..$(date -u -d "$start + $lo days" +%F)"
	tag_n[$n]=$c_hi
}
trawl_tag=0
if [ $want_tag = 1 ] && [ $only_import = 0 ]; then
	if [ $want_tui = 1 ] && [ -n "$trawl" ]; then
		if "$trawl" --help 2>&1 | grep -q -e '--tag'; then trawl_tag=1
		else note "$trawl has no --tag option: no trawl bulk-tag figures"; fi
	fi
	for n in "${size_list[@]}"; do
		tag_query "$n" || continue
		[ "${tag_n[$n]}" -gt 0 ] || { note "db-$n: ${tag_q[$n]} matches nothing; no bulk-tag figures"; continue; }
		tag_sizes+=("$n")
	done
	exit_hooks+=(tag_cleanup)
	for n in "${tag_sizes[@]}"; do
		cfg=$(cfg_of "$n")
		c=$(nm_count "$n" tag:bench)
		[ "$c" = 0 ] || { note "db-$n: $c messages already have tag:bench (an interrupted run?); clearing it"; untag "$n"; }
		note "db-$n: timing bulk tag +bench of ${tag_q[$n]} (${tag_n[$n]} msgs), $runs_tag runs each"
		prep="notmuch --config='$cfg' tag -bench -- tag:bench"
		nm_cmd="notmuch --config='$cfg' tag +bench -- '${tag_q[$n]}'"
		tr_cmd="env NOTMUCH_CONFIG='$cfg' '$trawl' --tag +bench '${tag_q[$n]}'"
		if [ $have_hyperfine = 1 ]; then
			hargs=(-n "nmtag" "$nm_cmd")
			[ $trawl_tag = 0 ] || hargs+=(-n "trtag" "$tr_cmd")
			hyperfine -N --style basic --warmup 0 --runs "$runs_tag" --prepare "$prep" \
				--export-json "$res/hyperfine-tag-$n.json" "${hargs[@]}" \
				>"$res/hyperfine-tag-$n.txt" 2>&1 ||
				{ cat "$res/hyperfine-tag-$n.txt" >&2; die "hyperfine failed (bulk tag, db-$n)"; }
			if [ $have_python = 1 ]; then
				python3 - "$res/hyperfine-tag-$n.json" "$n" >>"$samples" <<'PYEOF'
import json, sys
for r in json.load(open(sys.argv[1]))['results']:
    for t in r['times']:
        print('%s\t%s\t%.3f' % (r['command'], sys.argv[2], t * 1000.0))
PYEOF
			else
				jq -r --arg n "$n" '.results[] | .command as $c | .times[] |
					"\($c)\t\($n)\t\(. * 1000)"' "$res/hyperfine-tag-$n.json" >>"$samples"
			fi
		else
			for ((r = 1; r <= runs_tag; r++)); do
				for m in nmtag trtag; do
					[ $m = nmtag ] || [ $trawl_tag = 1 ] || continue
					untag "$n"
					t0=$(now_ns)
					if [ $m = nmtag ]; then
						notmuch --config="$cfg" tag +bench -- "${tag_q[$n]}" >/dev/null
					else
						env NOTMUCH_CONFIG="$cfg" "$trawl" --tag +bench "${tag_q[$n]}" >/dev/null
					fi
					t1=$(now_ns)
					us=$(((t1 - t0) / 1000))
					add_sample "$m" "$n" "$(printf '%d.%03d' $((us / 1000)) $((us % 1000)))"
				done
			done
		fi
		# the last run (trawl's, if any) must have tagged exactly the query
		c=$(nm_count "$n" tag:bench)
		if [ "$c" != "${tag_n[$n]}" ]; then
			note "db-$n: WARNING: after the last bulk-tag run tag:bench matches $c messages, not ${tag_n[$n]}"
		fi
		untag "$n"
		tag_left[$n]=$(nm_count "$n" tag:bench)
		[ "${tag_left[$n]}" = 0 ] || note "db-$n: WARNING: tag:bench still matches ${tag_left[$n]} messages after clearing it"
	done
fi
# ---------------------------------------------------------------- import
# Last: it writes only under $work/import-*.  One corpus (db-N/mail, N =
# --import-size), three ways in, each into a fresh database, back to back.
imp_tsv="$res/import.tsv"	# what <TAB> key <TAB> value
: >"$imp_tsv"
imp_put() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$imp_tsv"; }
imp=0
imp_why=
if [ $want_import = 0 ]; then imp_why="--no-import given"
elif [ -z "$trawl" ]; then imp_why="no trawl binary (use --trawl)"
elif ! "$trawl" import --help 2>&1 | grep -q -e '--batch'; then imp_why="$trawl has no import command"
elif [ $have_python = 0 ]; then imp_why="python3 not found"
elif ! tar --version 2>/dev/null | grep -q 'GNU tar'; then imp_why="GNU tar not found"
else imp=1
fi
[ $imp = 1 ] || [ $want_import = 0 ] || note "skipping the import figures: $imp_why"

# Peak RSS and CPU time: GNU time, else the rusage of a python3 parent.
rss_how=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	rss_how="/usr/bin/time -f '%U %S %M'"
elif [ $have_python = 1 ]; then
	rss_how="python3 getrusage(RUSAGE_CHILDREN)"
fi
# measure OUT CMD...: runs CMD once after a sync (stdout and stderr to
# OUT.log); sets m_ms (wall, ms), m_cpu (user + system CPU, ms) and m_kb
# (peak RSS, kB), the last two empty when they cannot be had.  CPU time is
# the steadier figure when other jobs share the machine.
measure() {
	local out=$1 t0 t1 rc=0
	shift
	sync
	t0=$(now_ns)
	case $rss_how in
	/usr/bin/time*) /usr/bin/time -f '%U %S %M' -o "$out.rss" "$@" >"$out.log" 2>&1 || rc=$? ;;
	python3*) python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %.2f %d\n" % (u.ru_utime, u.ru_stime, u.ru_maxrss))
sys.exit(rc)' "$out.rss" "$@" >"$out.log" 2>&1 || rc=$? ;;
	*) "$@" >"$out.log" 2>&1 || rc=$? ;;
	esac
	t1=$(now_ns)
	m_ms=$(((t1 - t0) / 1000000))
	m_kb= m_cpu=
	if [ -s "$out.rss" ]; then
		read -r m_cpu m_kb < <(tail -1 "$out.rss" | awk 'NF == 3 && $3 ~ /^[0-9]+$/ { printf "%.0f %s\n", ($1 + $2) * 1000, $3 }') || true
	fi
	rm -f "$out.rss"
	return $rc
}
# warm FILE|DIR...: read the input once, so every figure is a warm-cache one
warm() { find "$@" -type f -exec cat {} + >/dev/null; }

# py_mbox OUT BASE [ATTACH_KB]: an mboxrd file of the files listed on stdin
# (paths relative to BASE): "From " line, every line matching ^>*From  given
# one more '>', a blank line after each message.  With ATTACH_KB, each
# message is first made multipart/mixed with a base64 attachment of about
# that size (application/octet-stream: notmuch indexes its name, not its
# content).  Prints the number of messages written.
py_mbox_src=$(cat <<'PYEOF'
import base64, os, random, re, sys
out, base = sys.argv[1], sys.argv[2]
att_kb = int(sys.argv[3]) if len(sys.argv) > 3 else 0
esc = re.compile(rb'(?m)^(>*From )')
blobs = []
if att_kb:
    rnd = random.Random(1)
    blobs = [base64.encodebytes(rnd.randbytes(att_kb * 1024 * 3 // 4)) for _ in range(16)]

def with_attachment(data, i):
    end = data.find(b'\n\n')
    head, body = (data[:end + 1], data[end + 2:]) if end >= 0 else (data, b'')
    keep, part, cur = [], [], None
    for line in head.splitlines(keepends=True):
        if line[:1] in (b' ', b'\t') and cur is not None:
            cur.append(line)
            continue
        name = line.split(b':', 1)[0].strip().lower()
        cur = part if name in (b'content-type', b'content-transfer-encoding', b'content-disposition') else keep
        cur.append(line)
    if not any(l.lower().startswith(b'mime-version:') for l in keep):
        keep.append(b'MIME-Version: 1.0\n')
    b = b'=-bench-%d-=' % i
    if body and not body.endswith(b'\n'):
        body += b'\n'
    return b''.join([
        b''.join(keep), b'Content-Type: multipart/mixed; boundary="', b, b'"\n\n',
        b'--', b, b'\n', b''.join(part), b'\n', body,
        b'--', b, b'\nContent-Type: application/octet-stream\n',
        b'Content-Transfer-Encoding: base64\n',
        b'Content-Disposition: attachment; filename="blob%d.bin"\n\n' % i,
        blobs[i % len(blobs)], b'--', b, b'--\n'])

n = 0
with open(out + '.tmp', 'wb', buffering=1 << 20) as f:
    for line in sys.stdin.buffer:
        rel = line.rstrip(b'\n')
        if not rel:
            continue
        with open(os.path.join(base.encode(), rel), 'rb') as m:
            data = m.read()
        if att_kb:
            data = with_attachment(data, n)
        if not data.endswith(b'\n'):
            data += b'\n'
        f.write(b'From bench%d@example.org Mon Jan  6 12:00:00 2020\n' % n)
        f.write(esc.sub(rb'>\1', data))
        f.write(b'\n')
        n += 1
os.rename(out + '.tmp', out)
print(n)
PYEOF
)
py_mbox() { python3 -c "$py_mbox_src" "$@"; }	# not python3 - <<EOF: stdin is the list
# manifest_shas MANIFEST: the sorted sha256 of its message lines
manifest_shas() {
	python3 - "$1" <<'PYEOF' | LC_ALL=C sort
import json, sys
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get('type') == 'message':
        print(o['sha256'])
PYEOF
}
fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else printf "%.0f MB", b / 1e6 }'; }
# imp_check WHAT CONFIG [ARCHIVE]: notmuch count, and for an archive its
# manifest's sha256 set against the source's
imp_check() {
	local what=$1 cfg=$2 arch=${3:-} c
	c=$(notmuch --config="$cfg" count '*' 2>/dev/null || echo '?')
	imp_put "$what" count "$c"
	[ "$c" = "$N_imp" ] || note "import: WARNING: $what: notmuch count is $c, not $N_imp"
	if [ -n "$arch" ]; then
		manifest_shas "$arch/manifest.jsonl" >"$idir/got.sha256"
		if cmp -s "$idir/src.sha256" "$idir/got.sha256"; then
			imp_put "$what" sha same
		else
			imp_put "$what" sha "$(comm -3 "$idir/src.sha256" "$idir/got.sha256" | wc -l | tr -d ' ') differ"
			note "import: WARNING: $what: the manifest's sha256 set differs from the maildir's (diff: comm -3 $idir/src.sha256 $idir/got.sha256)"
			cp "$idir/got.sha256" "$res/import-$what.sha256"
		fi
	fi
}

N_imp=$import_n
idir="$work/import-$N_imp"
if [ $imp = 1 ]; then
	build_size "$N_imp" mail-only
	d="$work/db-$N_imp"
	mkdir -p "$idir"
	# the inputs: file list, sha256 set, mbox, tar.gz; rebuilt with the corpus
	want_stamp=$(sha256sum <"$d/mail.done" | cut -c1-16)
	if [ "$(cat "$idir/inputs.done" 2>/dev/null)" != "$want_stamp" ]; then
		rm -f "$idir/inputs.done"
		note "import: writing the inputs of the $N_imp messages (one mbox, one .tar.gz) into $idir"
		(cd "$d/mail" && find cur new -type f | LC_ALL=C sort -t/ -k2) >"$idir/list"
		[ "$(wc -l <"$idir/list")" = "$N_imp" ] ||
			note "import: WARNING: $d/mail holds $(wc -l <"$idir/list") files, not $N_imp"
		(cd "$d/mail" && tr '\n' '\0' <"$idir/list" | xargs -0 sha256sum | cut -c1-64 | LC_ALL=C sort) >"$idir/src.sha256"
		py_mbox "$idir/all.mbox" "$d/mail" <"$idir/list" >/dev/null
		# members messages/NAME.eml, NAME the maildir file name without its :2,flags
		tar -C "$d/mail" -czf "$idir/all.tar.gz.tmp" --no-recursion --owner=0 --group=0 \
			--transform='flags=r;s,^\(cur\|new\)/\([^/:]*\)[^/]*$,messages/\2.eml,' -T "$idir/list"
		mv "$idir/all.tar.gz.tmp" "$idir/all.tar.gz"
		echo "$want_stamp" >"$idir/inputs.done"
	fi
	cat >"$idir/nm-config" <<EOF
# written by tools/bench.sh: notmuch new of db-$N_imp/mail into a fresh database
[database]
path=$idir/nm-db
mail_root=$d/mail

[new]
tags=unread;

[maildir]
synchronize_flags=false
EOF
	imp_put meta n "$N_imp"
	imp_put meta mbox_bytes "$(stat -c %s "$idir/all.mbox")"
	imp_put meta tgz_bytes "$(stat -c %s "$idir/all.tar.gz")"
	imp_put meta maildir_bytes "$(du -sb "$d/mail" | cut -f1)"
	imp_put meta rss_how "${rss_how:-none}"
	imp_one() {	# WHAT RUN
		local what=$1 r=$2 arch
		case $what in
		nmnew)
			rm -rf "$idir/nm-db"
			mkdir -p "$idir/nm-db"
			warm "$d/mail"
			note "import: notmuch new of $N_imp messages (run $r)"
			measure "$res/import-nmnew-$r" notmuch --config="$idir/nm-config" new --quiet ||
				{ cat "$res/import-nmnew-$r.log" >&2; die "notmuch new failed"; }
			imp_put nmnew ms "$m_ms"; imp_put nmnew kb "$m_kb"; imp_put nmnew cpu "$m_cpu"
			[ "$r" != "$import_runs" ] || imp_check nmnew "$idir/nm-config"
			;;
		mbox|tgz)
			arch="$idir/arch-$what"
			rm -rf "$arch"
			local src="$idir/all.mbox"
			[ $what = mbox ] || src="$idir/all.tar.gz"
			warm "$src"
			note "import: trawl import from ${src##*/} (run $r)"
			measure "$res/import-$what-$r" "$trawl" import -q "$arch" "$src" ||
				{ cat "$res/import-$what-$r.log" >&2; die "trawl import failed: $trawl import -q $arch $src"; }
			imp_put "$what" ms "$m_ms"; imp_put "$what" kb "$m_kb"; imp_put "$what" cpu "$m_cpu"
			[ "$r" != "$import_runs" ] || imp_check "$what" "$arch/notmuch-config" "$arch"
			;;
		esac
	}
	for ((r = 1; r <= import_runs; r++)); do
		if [ $((r % 2)) = 1 ]; then set -- nmnew mbox tgz; else set -- tgz mbox nmnew; fi
		for w in "$@"; do imp_one "$w" "$r"; done
	done
	set --
fi

# the big mbox: peak RSS of trawl import at two mbox sizes, same kind of message
if [ $imp = 1 ] && [ $import_big = 1 ]; then
	bdir="$work/import-big"
	small_count=$((big_count / 10))
	[ $small_count -ge 1 ] || die "--import-big-count must be at least 10"
	want_stamp="$(gen_sum) $big_count $big_kb"
	mkdir -p "$bdir"
	if [ "$(cat "$bdir/inputs.done" 2>/dev/null)" != "$want_stamp" ]; then
		rm -rf "$bdir/src" "$bdir/inputs.done" "$bdir"/*.mbox
		note "import-big: generating $big_count messages and writing mboxes with ${big_kb} kB attachments into $bdir (~$((big_count * big_kb / 1000)) MB)"
		"$gen" -o "$bdir/src" -n "$big_count" --seed 1 --quiet || die "the generator failed"
		(cd "$bdir/src" && find cur new -type f | LC_ALL=C sort -t/ -k2) >"$bdir/list"
		py_mbox "$bdir/big.mbox" "$bdir/src" "$big_kb" <"$bdir/list" >/dev/null
		head -n "$small_count" "$bdir/list" | py_mbox "$bdir/small.mbox" "$bdir/src" "$big_kb" >/dev/null
		echo "$want_stamp" >"$bdir/inputs.done"
	fi
	for b in small big; do
		rm -rf "$bdir/arch-$b"
		warm "$bdir/$b.mbox"
		note "import-big: trawl import from $b.mbox ($(fmt_size "$(stat -c %s "$bdir/$b.mbox")"))"
		measure "$res/import-big-$b" "$trawl" import -q "$bdir/arch-$b" "$bdir/$b.mbox" ||
			{ cat "$res/import-big-$b.log" >&2; die "trawl import failed: $trawl import -q $bdir/arch-$b $bdir/$b.mbox"; }
		imp_put "big-$b" ms "$m_ms"; imp_put "big-$b" kb "$m_kb"; imp_put "big-$b" cpu "$m_cpu"
		imp_put "big-$b" bytes "$(stat -c %s "$bdir/$b.mbox")"
		if [ $b = small ]; then imp_put "big-$b" n "$small_count"; else imp_put "big-$b" n "$big_count"; fi
		imp_put "big-$b" count "$(notmuch --config="$bdir/arch-$b/notmuch-config" count '*' 2>/dev/null || echo '?')"
		# the store is as big as the mbox: keep only the last one for inspection
		[ $b = big ] || rm -rf "$bdir/arch-$b"
	done
	imp_put meta big_kb "$big_kb"
fi
if [ $want_timeline = 1 ] && [ $only_import = 0 ] && [ $only_tag = 0 ] && [ $only_write = 0 ]; then
	timeline_section | tee "$res/timeline.txt"
fi
t_end=$(now_ns)

# ---------------------------------------------------------------- report
commit=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo "no commit yet")
if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null | head -1)" ]; then
	commit="$commit (work tree has uncommitted changes)"
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)

echo
echo "trawl benchmark  $(date -u '+%F %T UTC')"
echo "machine    $(nproc) cores, ${cpu:-unknown CPU}, $mem, $(uname -sr)"
echo "notmuch    $(notmuch --version 2>/dev/null)   ($(tmux -V 2>/dev/null || echo 'no tmux'))"
echo "repo       $repo @ $commit"
if [ -n "$trawl" ]; then
	echo "trawl      $trawl (built $(date -u -r "$trawl" '+%F %T UTC'), sha256 $(sha256sum <"$trawl" | cut -c1-16))"
	if [ -n "$trawl_sum" ] && [ "$trawl_sum" != "$(sha256sum <"$trawl" | cut -c1-16)" ]; then
		echo "WARNING    the trawl binary changed during the run (was sha256 $trawl_sum): figures mix two builds"
	fi
else
	echo "trawl      not found"
fi
echo "generator  $gen, seed 1"
if [ $only_import = 1 ]; then
	:
elif [ $have_hyperfine = 1 ]; then
	echo "timing     notmuch CLI: $(hyperfine --version) -N; trawl: $tui_time, ${COLS}x${ROWS}"
else
	echo "timing     notmuch CLI: own loop (date +%s%N, includes fork/exec); trawl: ${tui_time:-none}, ${COLS}x${ROWS}"
fi
[ $only_import = 1 ] || echo "runs       $runs (notmuch search '*' and 200 x PgDn: $runs_all, bulk tag: $runs_tag), one warm-up each (bulk tag: none); medians (min-max)"
echo "work dir   $work   raw data: $res"
[ $tui = 1 ] || [ $only_import = 1 ] || echo "trawl      figures skipped: $tui_why"

[ $only_import = 1 ] || {
	printf 'meta\tsizes'; printf '\t%s' "${size_list[@]}"; echo
	for n in "${size_list[@]}"; do
		printf 'meta\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${msgs[$n]}" "${threads[$n]}" "${new_time[$n]}" "${new_when[$n]}" \
			"${big_total[$n]}" "${big_id[$n]}"
		if [ $tui = 1 ] && [ -n "${re_ready[$n]:-}" ]; then
			printf 'how\t%s\t%s\n' "$n" "${g_how[$n]:-none}"
		fi
	done
	for n in "${tag_sizes[@]}"; do
		printf 'tagq\t%s\t%s\t%s\t%s\n' "$n" "${tag_q[$n]}" "${tag_n[$n]}" "${tag_left[$n]:-?}"
	done
	cat "$samples"
} | awk -F'\t' -v runs="$runs" '
function fmt_ms(v) {
	if (v == "") return "-"
	if (v < 100) return sprintf("%.1f ms", v)
	if (v < 1000) return sprintf("%.0f ms", v)
	if (v < 10000) return sprintf("%.2f s", v / 1000)
	return sprintf("%.1f s", v / 1000)
}
function fmt_kb(v) { return v == "" ? "-" : sprintf("%.1f MB", v / 1024) }
function fmt(v, unit) { return unit == "kB" ? fmt_kb(v) : fmt_ms(v) }
function fmt_num(v,   s) {	# 20333 -> 20,333
	s = sprintf("%d", v)
	while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function ratio(a, b,   r) {
	if (a == "" || b == "" || b == 0) return "-"
	r = a / b
	return sprintf(r < 0.1 ? "%.3fx" : r < 1 ? "%.2fx" : "%.1fx", r)
}
function label(n) {
	if (n % 1000000 == 0) return (n / 1000000) "M"
	if (n % 1000 == 0) return (n / 1000) "k"
	return n
}
# median, min, max of the samples of metric m at size n
function stats(m, n,   k, i, j, t, c, a) {
	c = cnt[m, n]
	if (c == 0) { MED = ""; MIN = ""; MAX = ""; return 0 }
	for (i = 1; i <= c; i++) a[i] = val[m, n, i] + 0
	for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	MED = (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
	MIN = a[1]; MAX = a[c]
	return c
}
$1 == "meta" && $2 == "sizes" { ns = NF - 2; for (i = 3; i <= NF; i++) size[i - 2] = $i; next }
$1 == "meta" { nmsg[$2] = $3; nthr[$2] = $4; newms[$2] = $5; newwhen[$2] = $6; bigt[$2] = $7; bigid[$2] = $8; next }
$1 == "how" { how[$2] = $3; next }
$1 == "tagq" { tagq[$2] = $3; tagn[$2] = $4; tagleft[$2] = $5; next }
{ cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $3 }
END {
	nm = split("nm50 nmall first G hwmG hwm1 pgdn hwmPg nmshow topen hwmT nmtag trtag", metric, " ")
	# the largest thread size, in the row names when it is the same at every size
	big = bigt[size[1]]
	for (s = 2; s <= ns; s++) if (bigt[size[s]] != big) big = ""
	bigs = big == "" ? "see above" : fmt_num(big) " msgs"
	name["nm50"] = "notmuch search --output=summary --limit=50 \047*\047"
	name["nmall"] = "notmuch search \047*\047 >/dev/null (all threads)"
	name["first"] = "trawl \047*\047 launch -> first screen"
	name["G"] = "trawl G -> last thread on screen"
	name["hwmG"] = "trawl VmHWM after first screen + G"
	name["hwm1"] = "trawl VmHWM after first screen"
	name["pgdn"] = "trawl 200 x PgDn -> position reached"
	name["hwmPg"] = "trawl VmHWM after 200 x PgDn"
	name["nmshow"] = "notmuch show --format=json thread:<largest> (" bigs ")"
	name["topen"] = "trawl open largest thread (Enter -> tree + message)"
	name["hwmT"] = "trawl VmHWM after opening it"
	# the bulk-tag message count(s), in the row names
	tags = ""
	for (s = 1; s <= ns; s++) if (size[s] in tagn) {
		t = fmt_num(tagn[size[s]])
		if (tags == "") tags = t
		else if (index(" / " tags " / ", " / " t " / ") == 0) tags = tags " / " t
	}
	name["nmtag"] = "notmuch tag +bench (" tags " msgs)"
	name["trtag"] = "trawl --tag +bench (" tags " msgs)"
	unit["hwmG"] = unit["hwm1"] = unit["hwmPg"] = unit["hwmT"] = "kB"
	W = 60; C = 33

	printf "\n%-*s", W, "corpus (seed 1)"
	for (s = 1; s <= ns; s++) printf "%-*s", C, "db-" label(size[s])
	printf "\n%-*s", W, "messages / threads"
	for (s = 1; s <= ns; s++) printf "%-*s", C, fmt_num(nmsg[size[s]]) " / " fmt_num(nthr[size[s]])
	printf "\n%-*s", W, "notmuch new (single run)"
	for (s = 1; s <= ns; s++) printf "%-*s", C, fmt_ms(newms[size[s]])
	printf "\n%-*s", W, ""
	for (s = 1; s <= ns; s++) printf "%-*s", C, newwhen[size[s]]
	printf "\n%-*s", W, "largest thread: messages (id)"
	for (s = 1; s <= ns; s++) printf "%-*s", C, bigt[size[s]] == "" ? "-" : fmt_num(bigt[size[s]]) " (" bigid[size[s]] ")"
	if (tags != "") {
		printf "\n%-*s", W, "bulk-tag query Q (about 10,000 msgs)"
		for (s = 1; s <= ns; s++) printf "%-*s", C, (size[s] in tagq) ? tagq[size[s]] : "-"
		printf "\n%-*s", W, "notmuch count Q"
		for (s = 1; s <= ns; s++) printf "%-*s", C, (size[s] in tagq) ? fmt_num(tagn[size[s]]) : "-"
		printf "\n%-*s", W, "tag:bench left after the run (notmuch count)"
		for (s = 1; s <= ns; s++) printf "%-*s", C, (size[s] in tagq) ? tagleft[size[s]] : "-"
	}
	printf "\n"

	printf "\n%-*s", W, "figure"
	for (s = 1; s <= ns; s++) printf "%-*s", C, label(size[s]) " median (min-max)"
	for (s = 2; s <= ns; s++) printf "%-12s", label(size[s]) "/" label(size[1])
	printf "runs\n"
	for (i = 1; i <= nm; i++) {
		m = metric[i]; any = 0
		for (s = 1; s <= ns; s++) if (cnt[m, size[s]]) any = 1
		if (!any) continue
		printf "%-*s", W, name[m]
		runsm = ""
		for (s = 1; s <= ns; s++) {
			c = stats(m, size[s])
			med[s] = MED
			if (c) {
				printf "%-*s", C, fmt(MED, unit[m]) " (" fmt(MIN, unit[m]) "-" fmt(MAX, unit[m]) ")"
				runsm = runsm (runsm == "" ? "" : "/") c
			} else {
				printf "%-*s", C, "-"
				runsm = runsm (runsm == "" ? "" : "/") "0"
			}
		}
		for (s = 2; s <= ns; s++) printf "%-12s", ratio(med[s], med[1])
		printf "%s\n", runsm
	}

	printf "\n%-*s", W, "ratios of medians (trawl / notmuch CLI)"
	for (s = 1; s <= ns; s++) printf "%-*s", C, label(size[s])
	printf "\n%-*s", W, "trawl first screen / search --limit=50"
	for (s = 1; s <= ns; s++) { stats("first", size[s]); a = MED; stats("nm50", size[s]); printf "%-*s", C, ratio(a, MED) }
	printf "\n%-*s", W, "trawl G / search \047*\047 (all threads)"
	for (s = 1; s <= ns; s++) { stats("G", size[s]); a = MED; stats("nmall", size[s]); printf "%-*s", C, ratio(a, MED) }
	printf "\n%-*s", W, "trawl open largest thread / notmuch show of it"
	for (s = 1; s <= ns; s++) { stats("topen", size[s]); a = MED; stats("nmshow", size[s]); printf "%-*s", C, ratio(a, MED) }
	printf "\n%-*s", W, "trawl --tag +bench / notmuch tag +bench"
	for (s = 1; s <= ns; s++) { stats("trtag", size[s]); a = MED; stats("nmtag", size[s]); printf "%-*s", C, ratio(a, MED) }
	printf "\n%-*s", W, "trawl G waits for"
	for (s = 1; s <= ns; s++) printf "%-*s", C, (size[s] in how) ? how[size[s]] : "-"
	printf "\n"
	printf "\nnote: anchors for the thread open (shared/design/perf-anchors.md, 2500-msg thread, db-10k):\n"
	printf "      neomutt <entire-thread> 435 ms; alot Enter: did not finish in 590 s;\n"
	printf "      notmuch show --format=json 376 ms.  Target for trawl: <= 500 ms.\n"
}'
# the write figures (11-13), with first screen and G beside them
if [ ${#w_sizes[@]} -gt 0 ]; then
	{
		printf 'meta\tsizes'; printf '\t%s' "${w_sizes[@]}"; echo
		for n in "${w_sizes[@]}"; do
			printf 'wmeta\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${w_row[$n]}" "${w_row_id[$n]}" \
				"${w_big_row[$n]:-}" "${w_keys[$n]}" "${big_total[$n]:-}" "${w_state[$n]:-?}" \
				"${w_rev0[$n]:-?}" "${w_rev1[$n]:-?}" "${w_ok[$n]:-?}" "${threads[$n]}"
		done
		cat "$samples"
	} | awk -F'\t' -v pause="$write_pause" -v iv="$w_interval" '
function fmt_ms(v) {
	if (v == "") return "-"
	if (v < 100) return sprintf("%.1f ms", v)
	if (v < 1000) return sprintf("%.0f ms", v)
	return sprintf("%.2f s", v / 1000)
}
function fmt_num(v,   s) {
	s = sprintf("%d", v)
	while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function label(n) {
	if (n % 1000000 == 0) return (n / 1000000) "M"
	if (n % 1000 == 0) return (n / 1000) "k"
	return n
}
# sorts the samples of m at n into A[1..c]; returns c
function sorted(m, n,   c, i, j, t) {
	c = cnt[m, n]
	for (i = 1; i <= c; i++) A[i] = val[m, n, i] + 0
	for (i = 2; i <= c; i++) { t = A[i]; for (j = i - 1; j >= 1 && A[j] > t; j--) A[j + 1] = A[j]; A[j + 1] = t }
	return c
}
# the statistic s (med, p99, max) of m at n, "" without samples
function stat(m, n, s,   c, k) {
	c = sorted(m, n)
	if (c == 0) return ""
	if (s == "max") return A[c]
	if (s == "p99") { k = int(0.99 * c); if (k < 0.99 * c) k++; return A[k] }
	return (c % 2) ? A[(c + 1) / 2] : (A[c / 2] + A[c / 2 + 1]) / 2
}
$1 == "meta" && $2 == "sizes" { ns = NF - 2; for (i = 3; i <= NF; i++) size[i - 2] = $i; next }
$1 == "wmeta" { row[$2] = $3; rowid[$2] = $4; brow[$2] = $5; keys[$2] = $6; btot[$2] = $7; state[$2] = $8
	rev0[$2] = $9; rev1[$2] = $10; ok[$2] = $11; nthr[$2] = $12; next }
{ cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $3 }
END {
	W = 60; C = 26; big = size[ns]
	printf "\nwrites: trawl \047*\047 on a copy of each database, mark-read on; tui-time polls every %s ms; keys %s\n", iv,
		pause == 0 ? "back to back (each waits for the previous key\047s write)" : pause " ms apart"
	printf "%-*s", W, "scenario"
	for (s = 1; s <= ns; s++) printf "%-*s", C, "db-" label(size[s])
	printf "\n%-*s", W, "tag: row (0-based) / threads in the list"
	for (s = 1; s <= ns; s++) printf "%-*s", C, fmt_num(row[size[s]] - 1) " / " fmt_num(nthr[size[s]])
	printf "\n%-*s", W, "mark-read: largest thread (msgs), its row"
	for (s = 1; s <= ns; s++) printf "%-*s", C, brow[size[s]] == "" ? "-" : fmt_num(btot[size[s]]) " msgs, row " fmt_num(brow[size[s]] - 1)
	printf "\n%-*s", W, "checks: the right thread tagged / messages read"
	for (s = 1; s <= ns; s++) printf "%-*s", C, ok[size[s]]
	printf "\n%-*s", W, "copy back in its first state after the runs"
	for (s = 1; s <= ns; s++) printf "%-*s", C, state[size[s]]
	printf "\n%-*s", W, "db-N lastmod revision before -> after"
	for (s = 1; s <= ns; s++) printf "%-*s", C, rev0[size[s]] " -> " rev1[size[s]] (rev0[size[s]] == rev1[size[s]] ? " same" : " MOVED")
	printf "\n\n%-*s", W, "figure"
	for (s = 1; s <= ns; s++) printf "%-*s", C, label(size[s]) " (samples)"
	printf "%-16s%s\n", "goal", "met at " label(big) "?"
	n = split("wtag:med:50 wn:med:20 wn:p99:20 wn:max: wq:med:20 wopen:med: first:med:= G:med:=", rows, " ")
	name["wtag:med"] = "tag: Enter -> the row shows the tag, median"
	name["wn:med"] = "n -> next message [k/N] (mark-read on), median per key"
	name["wn:p99"] = "n -> next message, p99 per key"
	name["wn:max"] = "n -> next message, max"
	name["wq:med"] = "q after the n presses -> the list on screen, median"
	name["wopen:med"] = "(Enter -> the largest thread open, median)"
	name["first:med"] = "first screen, median (read-only, db-N)"
	name["G:med"] = "G -> last thread on screen, median (read-only, db-N)"
	for (i = 1; i <= n; i++) {
		split(rows[i], f, ":")
		m = f[1]; st = f[2]; goal = f[3]
		printf "%-*s", W, name[m ":" st]
		v = ""
		for (s = 1; s <= ns; s++) {
			x = stat(m, size[s], st)
			printf "%-*s", C, x == "" ? "-" : fmt_ms(x) " (" cnt[m, size[s]] ")"
			if (s == ns) v = x
		}
		if (goal == "") printf "%-16s%s\n", "-", ""
		else if (goal == "=") printf "%-16s%s\n", "no slower", "compare with the older binary"
		else printf "%-16s%s\n", "<= " goal " ms", v == "" ? "-" : (v <= goal ? "yes" : "NO")
	}
	printf "goals (at 100k): tag at row 5,000 <= 50 ms; n with mark-read <= 20 ms per key; q back <= 20 ms; first screen and G no slower\n"
}'
fi
# the import figures (9, 10)
if [ -s "$imp_tsv" ]; then
	awk -F'\t' -v runs="$import_runs" -v W=48 '
function fmt_ms(v) {
	if (v == "") return "-"
	if (v < 1000) return sprintf("%.0f ms", v)
	if (v < 10000) return sprintf("%.2f s", v / 1000)
	return sprintf("%.1f s", v / 1000)
}
function fmt_kb(v) { return v == "" ? "-" : sprintf("%.1f MB", v / 1024) }
function fmt_b(v) { return v >= 1e9 ? sprintf("%.2f GB", v / 1e9) : sprintf("%.0f MB", v / 1e6) }
function fmt_num(v,   s) {
	s = sprintf("%d", v)
	while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
# median (and MIN, MAX) of the values of key k of w
function med(w, k,   c, i, j, t, a) {
	c = cnt[w, k]
	if (c == 0) { MIN = MAX = ""; return "" }
	for (i = 1; i <= c; i++) a[i] = val[w, k, i] + 0
	for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	MIN = a[1]; MAX = a[c]
	return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
function cell(w, k, f,   m) {
	m = med(w, k)
	if (m == "") return "-"
	if (cnt[w, k] == 1) return f == "kb" ? fmt_kb(m) : fmt_ms(m)
	return f == "kb" ? fmt_kb(m) " (" fmt_kb(MIN) "-" fmt_kb(MAX) ")" : fmt_ms(m) " (" fmt_ms(MIN) "-" fmt_ms(MAX) ")"
}
{ cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $3; last[$1, $2] = $3 }
END {
	n = last["meta", "n"]
	if (cnt["nmnew", "ms"] || cnt["mbox", "ms"]) {
		printf "\nimport: %s messages (db-%s/mail, seed 1), into a fresh database each, back to back; %s\n",
			fmt_num(n), (n % 1000 ? n : n / 1000 "k"), runs == 1 ? "one run each" : "median (min-max) of " runs " runs"
		CW = runs == 1 ? 12 : 28; CR = runs == 1 ? 12 : 30; CQ = runs == 1 ? 16 : 24
		printf "%-*s%-*s%-10s%-*s%-*s%-*s%-*s%-15s%s\n", W, "figure", CW, "wall", "msgs/s",
			CQ, runs == 1 ? "/ notmuch new" : "/ notmuch (min/min)", CW, "CPU (user+sys)", CQ, "CPU / notmuch",
			CR, "peak RSS", "notmuch count", "sha256 set vs maildir"
		name["nmnew"] = "notmuch new (maildir, " fmt_b(last["meta", "maildir_bytes"]) ")"
		name["mbox"] = "trawl import ARCHIVE all.mbox (" fmt_b(last["meta", "mbox_bytes"]) ")"
		name["tgz"] = "trawl import ARCHIVE all.tar.gz (" fmt_b(last["meta", "tgz_bytes"]) ", .eml)"
		base = med("nmnew", "ms"); bmin = MIN
		cbase = med("nmnew", "cpu"); cbmin = MIN
		split("nmnew mbox tgz", ws, " ")
		for (i = 1; i <= 3; i++) {
			w = ws[i]
			if (!cnt[w, "ms"]) continue
			m = med(w, "ms"); mmin = MIN
			cm = med(w, "cpu"); cmin = MIN
			c = last[w, "count"]
			rate = m > 0 ? sprintf("%.0f", n / (m / 1000)) : "-"
			cs = c == "" ? "-" : (c == n ? fmt_num(c) " ok" : c " (WRONG)")
			ss = w == "nmnew" ? "-" : (last[w, "sha"] == "same" ? "same" : last[w, "sha"] " (WRONG)")
			r1 = ratio(m, base) (runs == 1 ? "" : " (" ratio(mmin, bmin) ")")
			r2 = ratio(cm, cbase) (runs == 1 ? "" : " (" ratio(cmin, cbmin) ")")
			printf "%-*s%-*s%-10s%-*s%-*s%-*s%-*s%-15s%s\n", W, name[w], CW, cell(w, "ms"), rate, CQ, r1,
				CW, cell(w, "cpu"), CQ, r2, CR, cell(w, "kb", "kb"), cs, ss
		}
		printf "goal: trawl import <= 1.2x notmuch new (wall).  peak RSS and CPU: %s.  notmuch new: new.tags=unread, synchronize_flags=false\n",
			last["meta", "rss_how"]
		if (runs > 1) printf "ratios: of the medians, and (in brackets) of the fastest runs, the better guide on a busy machine\n"
	}
	if (cnt["big-big", "ms"]) {
		printf "\nimport peak RSS vs mbox size (messages each with a %s kB base64 attachment)\n", last["meta", "big_kb"]
		printf "%-*s%-12s%-12s%-12s%-10s%-10s%-12s%s\n", W, "mbox", "messages", "size", "wall", "msgs/s", "MB/s", "peak RSS", "notmuch count"
		split("small big", bs, " ")
		for (i = 1; i <= 2; i++) {
			w = "big-" bs[i]
			if (!cnt[w, "ms"]) continue
			m = last[w, "ms"]; bn = last[w, "n"]; c = last[w, "count"]
			rate = m > 0 ? sprintf("%.0f", bn / (m / 1000)) : "-"
			mbs = m > 0 ? sprintf("%.1f", last[w, "bytes"] / 1e6 / (m / 1000)) : "-"
			cs = c == bn ? fmt_num(c) " ok" : c " (WRONG)"
			printf "%-*s%-12s%-12s%-12s%-10s%-10s%-12s%s\n", W, "trawl import ARCHIVE " bs[i] ".mbox", fmt_num(bn),
				fmt_b(last[w, "bytes"]), fmt_ms(m), rate, mbs, fmt_kb(last[w, "kb"]), cs
		}
		if (cnt["big-small", "ms"])
			printf "%-*s%-12s%-12s%-12s%-10s%-10s%-12s\n", W, "big / small", ratio(last["big-big", "n"], last["big-small", "n"]),
				ratio(last["big-big", "bytes"], last["big-small", "bytes"]), ratio(last["big-big", "ms"], last["big-small", "ms"]),
				"", "", ratio(last["big-big", "kb"], last["big-small", "kb"])
		printf "goal: peak RSS <= 200 MB whatever the mbox size (and about the same at both sizes)\n"
	}
}' "$imp_tsv"
fi
# ---------------------------------------------------------------- inclusive messages
# The covered-message job of the thread view (trawl/inclusive.h) on synthetic
# threads of 250 and 2,500 messages: a chain (each quoting the one before)
# and a fan (every reply quoting the root).  Each file is rendered once; the
# time should grow with the messages (ratio ~10), never with their pairs.
inc_bin=$repo/build/tests/unit/test-inclusive
if [ $((only_tag + only_import + only_write)) -eq 0 ] && [ -x "$inc_bin" ]; then
	echo
	echo "inclusive messages: the covered-message job (tests/unit/test-inclusive, TRAWL_INC_BENCH=N)"
	{ TRAWL_INC_BENCH=250 "$inc_bin"; TRAWL_INC_BENCH=2500 "$inc_bin"; } | awk '
	{ ms[$2, $3] = $4; r[$2, $3] = $5; c[$2, $3] = $6; w[$2, $3] = $7 }
	END {
		printf "%-8s%-10s%-12s%-10s%-12s%-12s%s\n", "shape", "messages", "ms", "renders", "candidates", "words", "us/message"
		split("chain fan", sh, " ")
		for (i = 1; i <= 2; i++)
			for (n = 250; n <= 2500; n *= 10)
				printf "%-8s%-10s%-12s%-10s%-12s%-12s%.0f\n", sh[i], n, ms[sh[i], n], r[sh[i], n], c[sh[i], n], w[sh[i], n], ms[sh[i], n] * 1000 / n
		for (i = 1; i <= 2; i++)
			if (ms[sh[i], 250] > 0)
				printf "%s: 2500 / 250 messages = %.1fx the time (linear: 10x)\n", sh[i], ms[sh[i], 2500] / ms[sh[i], 250]
	}'
elif [ $((only_tag + only_import + only_write)) -eq 0 ]; then
	note "inclusive messages: no $inc_bin (make check builds it); skipped"
fi
total_s=$(((t_end - t_start) / 1000000000))
meas_s=$(((t_end - t_measure) / 1000000000))
echo
echo "took $((total_s / 60)) min $((total_s % 60)) s in all, of which measuring $((meas_s / 60)) min $((meas_s % 60)) s"

# ---------------------------------------------------------------- corr
# The shape index (correspondents), on a private copy of db-N (the database
# copied, the mail hard-linked; the shared db-N is never written):
#   build from nothing (messages/s, goal >= 20,000), reopen with the cache
#   (goal <= 300 ms), update after notmuch new adds 1,000 messages (goal
#   <= 1 s), and counting the correspondents of '*' (background work).
# Run on its own: TRAWL_BENCH_CORR=N tools/bench.sh --no-tui --no-tag --no-import --no-write
corr_bench() {	# size
	local n=$1 d="$work/db-$1" c="$work/corr-$1" sb
	sb=$(dirname "$trawl")/trawl-shape-bench
	[ -x "$sb" ] || { note "corr: $sb is not built; skipped"; return 0; }
	rm -rf "$c" && mkdir -p "$c"
	cp -a "$d/db" "$c/db" && cp -al "$d/mail" "$c/mail" || die "corr: cannot copy db-$n"
	printf '[database]\npath=%s/db\nmail_root=%s/mail\n[new]\ntags=unread;inbox;\n[maildir]\nsynchronize_flags=false\n' \
		"$c" "$c" >"$c/notmuch-config"
	export TRAWL_SHAPE_CACHE="$c/shape.idx"
	sync
	local b r u
	b=$("$sb" "$c/notmuch-config")
	r=$("$sb" "$c/notmuch-config" '*')
	"$gen" -o "$c/mail/extra" -n 1000 --seed 77 --quiet
	NOTMUCH_CONFIG="$c/notmuch-config" notmuch new --quiet >/dev/null 2>&1
	u=$("$sb" "$c/notmuch-config")
	unset TRAWL_SHAPE_CACHE
	local bms bps rms ums cms
	bms=$(echo "$b" | sed -n 's/^ms //p'); bps=$(echo "$b" | sed -n 's/^read_per_s //p')
	rms=$(echo "$r" | sed -n 's/^ms //p'); cms=$(echo "$r" | sed -n 's/^corr_ms //p')
	ums=$(echo "$u" | sed -n 's/^ms //p')
	printf 'corr db-%s: build %s ms (%s messages/s, goal >= 20000: %s x)\n' "$n" "$bms" "$bps" \
		"$(awk -v a="$bps" 'BEGIN { printf "%.2f", a / 20000 }')"
	printf 'corr db-%s: reopen %s ms (goal <= 300 ms: %s x)\n' "$n" "$rms" \
		"$(awk -v a="$rms" 'BEGIN { printf "%.2f", a / 300 }')"
	printf 'corr db-%s: update after 1,000 new %s ms, %s files read (goal <= 1000 ms: %s x)\n' "$n" "$ums" \
		"$(echo "$u" | sed -n 's/^read //p')" "$(awk -v a="$ums" 'BEGIN { printf "%.2f", a / 1000 }')"
	printf "corr db-%s: correspondents of '*' counted in %s ms (background)\n" "$n" "$cms"
	rm -rf "$c"
}
if [ -n "${TRAWL_BENCH_CORR:-}" ]; then corr_bench "$TRAWL_BENCH_CORR"; fi

# ---------------------------------------------------------------- att
# The shape index with attachments (format 2: bodies read only for messages
# notmuch tagged attachment), on a private copy of db-N as corr does: build
# (goal >= 20,000 messages/s), reopen (<= 300 ms), update after 1,000 new
# (<= 1 s), and listing the attachments of '*' (background) and grouping
# them by sha256.
# Run on its own: TRAWL_BENCH_ATT=N tools/bench.sh --no-tui --no-tag --no-import --no-write
att_bench() {	# size
	local n=$1 d="$work/db-$1" c="$work/att-$1" sb
	sb=$(dirname "$trawl")/trawl-shape-bench
	[ -x "$sb" ] || { note "att: $sb is not built; skipped"; return 0; }
	rm -rf "$c" && mkdir -p "$c"
	cp -a "$d/db" "$c/db" && cp -al "$d/mail" "$c/mail" || die "att: cannot copy db-$n"
	printf '[database]\npath=%s/db\nmail_root=%s/mail\n[new]\ntags=unread;inbox;\n[maildir]\nsynchronize_flags=false\n' \
		"$c" "$c" >"$c/notmuch-config"
	export TRAWL_SHAPE_CACHE="$c/shape.idx"
	sync
	local b r u tagged
	tagged=$(NOTMUCH_CONFIG="$c/notmuch-config" notmuch count tag:attachment)
	b=$("$sb" "$c/notmuch-config")
	r=$("$sb" "$c/notmuch-config" '*')
	"$gen" -o "$c/mail/extra" -n 1000 --seed 78 --quiet
	NOTMUCH_CONFIG="$c/notmuch-config" notmuch new --quiet >/dev/null 2>&1
	u=$("$sb" "$c/notmuch-config")
	unset TRAWL_SHAPE_CACHE
	local bms bps rms ums
	bms=$(echo "$b" | sed -n 's/^ms //p'); bps=$(echo "$b" | sed -n 's/^read_per_s //p')
	rms=$(echo "$r" | sed -n 's/^ms //p'); ums=$(echo "$u" | sed -n 's/^ms //p')
	printf 'att db-%s: %s messages tagged attachment; %s attachments indexed\n' "$n" "$tagged" \
		"$(echo "$b" | sed -n 's/^attachments //p')"
	printf 'att db-%s: build %s ms (%s messages/s, goal >= 20000: %s x)\n' "$n" "$bms" "$bps" \
		"$(awk -v a="$bps" 'BEGIN { printf "%.2f", a / 20000 }')"
	printf 'att db-%s: reopen %s ms (goal <= 300 ms: %s x)\n' "$n" "$rms" \
		"$(awk -v a="$rms" 'BEGIN { printf "%.2f", a / 300 }')"
	printf 'att db-%s: update after 1,000 new %s ms, %s files read (goal <= 1000 ms: %s x)\n' "$n" "$ums" \
		"$(echo "$u" | sed -n 's/^read //p')" "$(awk -v a="$ums" 'BEGIN { printf "%.2f", a / 1000 }')"
	printf "att db-%s: attachments of '*' listed in %s ms (background): %s rows; rows %s ms, %s groups %s ms\n" "$n" \
		"$(echo "$r" | sed -n 's/^atts_ms //p')" "$(echo "$r" | sed -n 's/^atts_rows //p')" \
		"$(echo "$r" | sed -n 's/^atts_rows_ms //p')" "$(echo "$r" | sed -n 's/^atts_groups //p')" \
		"$(echo "$r" | sed -n 's/^atts_groups_ms //p')"
	rm -rf "$c"
}
if [ -n "${TRAWL_BENCH_ATT:-}" ]; then att_bench "$TRAWL_BENCH_ATT"; fi

# ---------------------------------------------------------------- patch
# A tag change patches the correspondents and attachments (trawl_corr_patch,
# trawl_atts_patch), on a private copy of db-N as corr does (it is written):
# +trawl-bench on 1, 100 and 1,000 messages of "(tag:inbox) and not
# tag:trawl-bench" and back, each patch's time (and notmuch counts, files
# read: 0) beside counting the query anew.
# Run on its own: TRAWL_BENCH_PATCH=N tools/bench.sh --no-tui --no-tag --no-import --no-write
patch_bench() {	# size
	local n=$1 d="$work/db-$1" c="$work/patch-$1" sb out cms ams
	sb=$(dirname "$trawl")/trawl-shape-bench
	[ -x "$sb" ] || { note "patch: $sb is not built; skipped"; return 0; }
	rm -rf "$c" && mkdir -p "$c"
	cp -a "$d/db" "$c/db" && cp -al "$d/mail" "$c/mail" || die "patch: cannot copy db-$n"
	printf '[database]\npath=%s/db\nmail_root=%s/mail\n[new]\ntags=unread;inbox;\n[maildir]\nsynchronize_flags=false\n' \
		"$c" "$c" >"$c/notmuch-config"
	export TRAWL_SHAPE_CACHE="$c/shape.idx"
	"$sb" "$c/notmuch-config" >/dev/null
	out=$("$sb" "$c/notmuch-config" 'tag:inbox' patch)
	unset TRAWL_SHAPE_CACHE
	cms=$(echo "$out" | sed -n 's/^patch_count_corr_ms //p')
	ams=$(echo "$out" | sed -n 's/^patch_count_atts_ms //p')
	printf 'patch db-%s: counting anew: correspondents %s ms, attachments %s ms\n' "$n" "$cms" "$ams"
	echo "$out" | sed -n 's/^patch_\([0-9]*\)_\([a-z]*\) corr_ms \([0-9.]*\) atts_ms \([0-9.]*\) .* queries \([0-9]*\) files_read \([0-9]*\) .*/\1 \2 \3 \4 \5 \6/p' |
	while read -r k w pc pa q f; do
		printf 'patch db-%s: %s messages %s: correspondents %s ms (%s x faster than anew), attachments %s ms (%s x); %s counts, %s files read\n' \
			"$n" "$k" "$w" "$pc" "$(awk -v a="$cms" -v b="$pc" 'BEGIN { printf "%.0f", b > 0 ? a / b : 0 }')" \
			"$pa" "$(awk -v a="$ams" -v b="$pa" 'BEGIN { printf "%.0f", b > 0 ? a / b : 0 }')" "$q" "$f"
	done
	rm -rf "$c"
}
if [ -n "${TRAWL_BENCH_PATCH:-}" ]; then patch_bench "$TRAWL_BENCH_PATCH"; fi
