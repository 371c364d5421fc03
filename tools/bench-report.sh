#!/usr/bin/env bash
# tools/bench-report.sh -- print the issue-15 figures (tools/bench-frame.sh's
# DIR/db-N/frame.tsv) as a table with goals and ratios, and with --out FILE
# write doc/PERFORMANCE.md: that table for every size measured in DIR, the
# machine, how to reproduce, what each number means, and the cost audit of
# every command (tools/perf-audit.tsv).  The figures are kept beside FILE in
# perf-data/db-N/ (frame.tsv, info), and read from there for the sizes DIR
# lacks: after adding a command to tools/perf-audit.tsv,
#   tools/bench-report.sh --work /nonexistent --out doc/PERFORMANCE.md
# regenerates the report with the same figures.  Called by tools/bench.sh --size;
# runnable alone:
#
#   tools/bench-report.sh [--work DIR] [--trawl PATH] [--out FILE] [SIZE...]
#
# BENCH_NOTE=TEXT adds TEXT to the machine's description (what else ran).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/trawl-bench trawl= out=
while [ $# -gt 0 ]; do
	case $1 in
	--work) work=$2; shift 2 ;;
	--trawl) trawl=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) break ;;
	esac
done
machine="$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
sw="notmuch $(notmuch --version 2>/dev/null | cut -d' ' -f2), $(tmux -V 2>/dev/null), $(cc --version 2>/dev/null | head -1)"
commit=$(git -C "$here/.." rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
python3 - "$work" "$here/perf-audit.tsv" "${out:-}" "$machine" "$sw" "$commit" "${trawl:-}" "$@" <<'EOF'
import glob, os, re, sys, time
work, audit, out, machine, sw, commit, trawl = sys.argv[1:8]
asked = [int(x) for x in sys.argv[8:]]
sizes = set(asked)
# the figures kept beside the report (doc/perf-data/db-N/), so that the
# report can be regenerated (a new command's audit line) where DIR is gone
data = os.path.join(os.path.dirname(os.path.abspath(out)), 'perf-data') if out else None
src = {}
for base in ([data] if data else []) + [work]:
    for f in glob.glob(os.path.join(base, 'db-*', 'frame.tsv')):
        m = re.search(r'db-(\d+)/frame\.tsv$', f)
        if m and (out or int(m.group(1)) in sizes):
            src[int(m.group(1))] = os.path.dirname(f)
if out:
    sizes |= set(src)
sizes = sorted(sizes)
def label(n):
    return '%dM' % (n // 10**6) if n % 10**6 == 0 else '%dk' % (n // 1000) if n % 1000 == 0 else str(n)
fig, when, info = {}, {}, {}
for n in sizes:
    if n not in src:
        continue
    f = os.path.join(src[n], 'frame.tsv')
    if data and not src[n].startswith(data):
        import shutil
        os.makedirs(os.path.join(data, 'db-%d' % n), exist_ok=True)
        for x in ('frame.tsv', 'info', 'db.done', 'mail.done'):
            shutil.copy2(os.path.join(src[n], x), os.path.join(data, 'db-%d' % n, x))
    when[n] = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(os.path.getmtime(f)))
    for line in open(f, encoding='utf-8'):
        p = line.rstrip('\n').split('\t')
        if len(p) >= 6:
            fig[(n, p[1])] = (p[2], p[3], p[4], p[5])
    i = {}
    for line in open(os.path.join(src[n], 'info'), encoding='utf-8'):
        k, _, v = line.rstrip('\n').partition('=')
        i[k] = v
    for dn in ('db.done', 'mail.done'):
        for line in open(os.path.join(src[n], dn), encoding='utf-8'):
            k, _, v = line.rstrip('\n').partition('=')
            i[dn + ':' + k] = v
    info[n] = i
sizes = [n for n in sizes if n in when]
def num(n, k, col=0):
    v = fig.get((n, k))
    if not v or v[col] in ('', '-'):
        return None
    return float(v[col])
def ms(x):
    if x is None:
        return '—'
    return '%.0f ms' % x if x >= 10 else '%.1f ms' % x
def mb(x):
    return '—' if x is None else '%.1f MB' % (x / 1024)
def b(x):
    return '—' if x is None else ('%.1f kB' % (x / 1024) if abs(x) >= 10240 else '%.0f B' % x)
def ratio(a, c):
    return '' if a is None or not c else ' (%.1f×)' % (a / c)
# an anchor's first screen (tools/bench-anchors.sh): its time, the ratio to
# trawl's first screen, its VmHWM; or why there is none ("not installed",
# "> 120 s cap")
def anchor(n, name):
    v = fig.get((n, 'anchor_' + name))
    if not v:
        return '—'
    a = num(n, 'anchor_' + name)
    if a is None:
        return v[3] or '—'
    t = '%.1f s' % (a / 1000) if a >= 10000 else ms(a)
    return '%s%s; VmHWM %s' % (t, ratio(a, num(n, 'first')), mb(num(n, 'rss_' + name)))
anchored = any(num(n, 'anchor_' + a) is not None for n in sizes for a in ('alot', 'neomutt'))
# rows: (title, goal at 1M, cell(n))
def keycell(n, k):
    m, p = num(n, 'key_' + k), num(n, 'key_' + k, 1)
    tm, tp = num(n, 'key_%s_term' % k), num(n, 'key_%s_term' % k, 1)
    cnt = fig.get((n, 'key_' + k), ('', '', '', ''))[2]
    return '%s / %s; terminal %s / %s (n=%s)' % (ms(m), ms(p), ms(tm), ms(tp), cnt)
rows = [
    ('notmuch search --output=summary --limit=50 \'*\'', 'reference', lambda n: ms(num(n, 'cli_search50'))),
    ('libnotmuch floor: 50 thread summaries (tools/nm-floor)', 'reference', lambda n: ms(num(n, 'floor50'))),
    ('notmuch count \'*\'', 'reference', lambda n: ms(num(n, 'cli_count'))),
    ('notmuch count --output=threads \'*\'', 'reference', lambda n: ms(num(n, 'cli_count_thr'))),
    ('**first screen** (launch → rows drawn) (× search --limit=50)', '≤ 150 ms',
     lambda n: ms(num(n, 'first')) + ratio(num(n, 'first'), num(n, 'cli_search50'))),
    ('**G** to the last row: terminal; trawl-side', '≤ 150 ms',
     lambda n: '%s; %s' % (ms(num(n, 'G')), ms(num(n, 'G_trawl')))),
    ('**j** median / p99 (trawl-side; terminal)', '≤ 16 / 50 ms', lambda n: keycell(n, 'j')),
    ('**k** median / p99', '≤ 16 / 50 ms', lambda n: keycell(n, 'k')),
    ('**PgDn** median / p99', '≤ 16 / 50 ms', lambda n: keycell(n, 'PgDn')),
    ('**PgUp** median / p99', '≤ 16 / 50 ms', lambda n: keycell(n, 'PgUp')),
    ('**thread open**, largest thread, Enter → first screen (× notmuch show)', '≤ 100 ms (2,500 msgs)',
     lambda n: '%s%s; trawl-side %s (%s msgs)' % (ms(num(n, 'thread_open')), ratio(num(n, 'thread_open'), num(n, 'cli_show')),
                                     ms(num(n, 'thread_open_trawl')), info[n].get('largest_total', '?'))),
    ('notmuch show --format=json of that thread', 'reference', lambda n: ms(num(n, 'cli_show'))),
    ('**thread open**, a 2,500-message reply chain (× notmuch show)', '≤ 100 ms',
     lambda n: ms(num(n, 'chain_open')) + ratio(num(n, 'chain_open'), num(n, 'cli_show_chain'))),
    ('**tag of a thread** at row min(5001, threads)', '≤ 50 ms', lambda n: ms(num(n, 'tag_thread'))),
    ('**tag list** shown (counts may follow)', '≤ 300 ms',
     lambda n: '%s; trawl-side %s' % (ms(num(n, 'tag_list')), ms(num(n, 'tag_list_trawl')))),
    ('**rare-term search**, Enter → first row (× notmuch search)', '≤ 100 ms',
     lambda n: ms(num(n, 'search_rare')) + ratio(num(n, 'search_rare'), num(n, 'cli_search_rare'))),
    ('VmHWM after first screen + G', '', lambda n: mb(num(n, 'rss_first_G'))),
    ('**VmHWM after G and the walk** (G, then n × j, k, PgDn, PgUp as above)', '≤ 100 MB', lambda n: mb(num(n, 'rss_walk'))),
    ('VmHWM, thread view of the largest thread', '', lambda n: mb(num(n, 'rss_thread'))),
    ('memory per thread row reached', '', lambda n: b(num(n, 'mem_row'))),
    ('memory per message of the open thread', '', lambda n: b(num(n, 'mem_msg'))),
    ('memory of one view (the tag list)', '', lambda n: b(num(n, 'mem_view'))),
    ('alot first screen (launch → rows drawn) (× trawl first screen)', 'reference', lambda n: anchor(n, 'alot')),
    ('neomutt first screen (launch → rows drawn) (× trawl first screen)', 'reference', lambda n: anchor(n, 'neomutt')),
]
hdr = '| figure | goal at 1M |' + ''.join(' %s |' % label(n) for n in sizes)
sep = '|---|---|' + '---|' * len(sizes)
table = [hdr, sep] + ['| %s | %s |%s' % (t, g, ''.join(' %s |' % c(n) for n in sizes)) for t, g, c in rows]
corp = ['| | ' + ' | '.join(label(n) for n in sizes) + ' |', '|---|' + '---|' * len(sizes)]
corp.append('| messages / threads | ' + ' | '.join('%s / %s' % (info[n].get('messages', '?'), info[n].get('threads', '?')) for n in sizes) + ' |')
corp.append('| generator (seed 1) | ' + ' | '.join('%.0f s' % (int(info[n].get('mail.done:gen_ms', 0)) / 1000) for n in sizes) + ' |')
corp.append('| indexed by | ' + ' | '.join({'import': '`trawl import`', 'notmuch': '`notmuch new`'}.get(info[n].get('db.done:indexed_by', 'notmuch'), '?') for n in sizes) + ' |')
corp.append('| indexing | ' + ' | '.join('%.0f s' % (int(info[n].get('db.done:new_ms', 0)) / 1000) for n in sizes) + ' |')
corp.append('| measured | ' + ' | '.join(when[n] for n in sizes) + ' |')
if not out:
    print('\n'.join(table))
    sys.exit(0)
aud = ['| command | cost on the key\'s path | what grows; what runs in the background |', '|---|---|---|']
for line in open(audit, encoding='utf-8'):
    if line.startswith('#') or not line.strip():
        continue
    p = line.rstrip('\n').split('\t') + ['', '']
    aud.append('| `%s` | %s | %s |' % (p[0], p[1], p[2]))
note = os.environ.get('BENCH_NOTE', '')
# the machine as it was when the figures were taken: kept with them
mfile = os.path.join(data, 'machine') if data else None
fresh = any(not src[n].startswith(data) for n in sizes) if data else True
if mfile and not fresh and os.path.exists(mfile):
    machine, sw, note = (open(mfile, encoding='utf-8').read().split('\n') + ['', '', ''])[:3]
elif mfile:
    with open(mfile, 'w', encoding='utf-8') as f:
        f.write('%s\n%s\n%s' % (machine, sw, note))
note = ('\n- ' + note) if note else ''
doc = '''# trawl performance

<!-- Generated by tools/bench-report.sh (tools/bench.sh --size ... --report doc/PERFORMANCE.md):
     edit tools/bench-report.sh or tools/perf-audit.tsv, not this file. -->

How fast trawl answers a key on a synthetic archive of 10k, 100k and 1M
messages, beside the notmuch CLI and the libnotmuch floor, with the goals of
issue 15 ("A million messages").  A benchmark, not a test: nothing here
fails a build.

## Machine

- %(machine)s; shared with other jobs, so medians and p99 are given and the
  noise is real.%(note)s
- %(sw)s; trawl at commit %(commit)s.
- Terminal: tmux, 200 columns × 50 rows (48 thread rows), `TERM=tmux-256color`.
- Warm page cache: every figure has a warm-up; no cold-cache numbers.

## Corpora

The project's generator (`trawl-gen-corpus -n N --seed 1`, one thread of
2,000+ messages at N ≥ 8,000), indexed by `trawl import` of the generated
maildir (tools/bench.sh --index import, the default: the archive a user gets
from a dump) or by `notmuch new` (--index notmuch: synchronize_flags off,
new.tags unread;inbox), built once in the cache directory.

%(corp)s

## The figures

Medians over the runs (5 unless said), key figures over 1,000 presses each.
"trawl-side" is trawl's own timing (`TRAWL_KEYLOG`): from `poll()` waking
with the key to `refresh()` having written the repaint.  "terminal" is
tools' `tui-time`: from sending the key to tmux holding the new screen
(polled every 5 ms, so about 5 ms of resolution is added).  × is the ratio
to the reference beside it.  — means not measured (or the screen never
came).

%(table)s

## How the list gets there

- **Rows from Xapian** (src/model/xrows.cc), for `*` and one-tag queries
  (the default list and `tag:inbox`): a thread's row is read from its
  postings (term `G<id>`) and three value slots (date, From, Subject), its
  tags by one skip along each tag's postings.  notmuch's thread objects
  read every message's termlist (zlib-inflated, every word of it): the
  first screen at 1M holds ~2,900 messages.  The rules for authors,
  subject, counts and dates are notmuch's own, and test-xrows compares
  every row with notmuch's on generated and real archives.
- **First screen and G from Xapian's matcher**: the first 4,096 matching
  messages (G: the last 2,048) in notmuch's exact order, by one pass over
  the date values with a heap, no sort of every match; a thread id is read
  once per thread met, the thread's other messages known from its postings.
  Past those, the date-band walk goes on (the rule for any other query,
  too: bands of dates sized from the database's date bounds, each
  walked in notmuch's order).
- **Counts in the background from postings**: a byte per document, a
  thread counted when one of its postings matches: ~2 s and ~11 MB at 1M,
  where notmuch's count (every match's termlist) takes ~30 s and over
  100 MB.  The counts and the date bounds are kept between runs
  ($XDG_CACHE_HOME/trawl/, keyed by the database's uuid, revision and
  last document), so an unchanged archive counts nothing at all.
- **Still O(archive)**: the matcher's pass over the date values (~30 ms
  at 1M, once per list) and the background counts.  `TRAWL_NO_XROWS=1`
  gives notmuch's own path for comparison.

## How to reproduce

```
./tools/quickstart            # or: autoreconf -fi && ./configure && make
tools/bench.sh --size 10k,100k,1m --report doc/PERFORMANCE.md
```

`--size` builds each archive once in `--work DIR` (default
`/tmp/trawl-bench`: `db-N/mail` from the generator, `db-N/db` from `notmuch
new`; an interrupted `notmuch new` resumes), then runs every figure above
in one run per size (`tools/bench-frame.sh`), keeps them in
`DIR/db-N/frame.tsv`, and writes this file from the latest figures of every
size in DIR.  1M messages take about 5 minutes to generate and about an hour
to index on this machine; the figures then take a few minutes per size.
`--presses N` changes the 1,000 presses; `--quick` drops the slow thread
count.  CI (`tools/quickstart test`) runs `--size 10k --quick --presses
50 --runs 2` after the tests, as a report that never fails the run.
%(anchors)s

## What each number means

- **notmuch, floor**: wall time of the whole command (process start-up
  included, output to /dev/null), one warm-up first.  The floor
  (tools/nm-floor.c, `cc -O2 -lnotmuch`) opens the database read-only and
  prints the first 50 thread summaries of `'*'` newest first, as
  `notmuch search --output=summary --limit=50` does: no reader built on
  libnotmuch shows that screen faster.
- **first screen**: `trawl '*'` started in a fresh tmux pane until the
  title and all 48 rows are on the screen.  Includes start-up.
- **G**: from the key until the last row is on screen (the title shows
  `[last/N]`, or `[N/N]` once the row's number is known: numbering the last
  row needs the count, which runs in the background and is not waited for).
- **j, k, PgDn, PgUp**: one process walks the list: G, g, 1,000 × j,
  1,000 × k, then PgDn to the end and PgUp back until 1,000 of each (on a
  small archive the walk goes to and fro).  The next key is sent 10 ms
  after the screen showed the previous one (faster than key repeat).
- **thread open**: `trawl thread:ID` (the largest thread), Enter, until the
  thread view shows its title, the separator and the first message's
  From:.  The generator's largest thread has about 2,100 messages, not the
  2,500 of the goal.
- **thread open, 2,500-message reply chain**: tools/bench-chain.sh's
  chain (each message replies to the one before, the deepest possible
  thread), its own small database, the same at every size: `trawl
  thread:ID`, Enter until the title shows `[1/2500]`.
- **tag of a thread**: the list walked to row 5,001 (PgDn then j), `t`,
  `+benchtag`, Enter until the row shows the tag; then checked that exactly
  that thread has it, and undone.  On the copy `DIR/db-N/write` when there
  is one.
- **tag list**: `T` until the tag list's title and rows are drawn.
- **rare-term search**: `s`, `from:ADDR`, Enter until the first row.  ADDR
  is the first sender (by address) with 1–20 messages; the generated 1M
  archive has none, so there it is the sender with the fewest (241).
- **alot, neomutt first screen**: tools/bench-anchors.sh, when each is
  installed, on the same database and query (`'*'`), each with a minimal
  config of its own in a temporary directory (alot: `alot -n
  NOTMUCH_CONFIG search '*'`; neomutt: the notmuch backend, `-f
  'notmuch://?query=*'`, threads newest first), until a whole screen of
  rows and the status bar are drawn (alot's `[0: search]`, neomutt's
  `[Msgs:N`, shown once the mailbox is loaded).  One warm-up, then the
  runs; a run over the cap (120 s) gives "> 120 s cap".  × is the ratio to
  trawl's first screen.
- **VmHWM**: `/proc/PID/status` of trawl after the last step.
- **memory per row**: (VmHWM after the walk − after first screen + G) /
  the highest row reached; **per message**: (VmHWM of the thread view −
  `trawl thread:ID` showing one row) / the thread's messages; **per view**:
  VmHWM after `T` − after the first screen alone.

## What each command costs

Every command of `include/trawl/commands.h` (tests/perf-audit.sh checks
that none is missing), and what its key does on the UI thread.  Work that
grows with the archive runs in a background thread with its own read-only
database handle, progress on screen, cancellable, keys working meanwhile.

%(aud)s
''' % dict(anchors=('alot\'s and neomutt\'s first screens are measured beside trawl\'s when they are\ninstalled (tools/bench-anchors.sh); their other figures at 10k and 100k\nare in shared/design/perf-anchors.md.' if anchored else
    'alot and neomutt were not installed on this machine; their figures at 10k\nand 100k are in shared/design/perf-anchors.md.'),
    note=note, machine=machine, sw=sw, commit=commit, corp='\n'.join(corp), table='\n'.join(table), aud='\n'.join(aud))
with open(out + '.tmp', 'w', encoding='utf-8') as f:
    f.write(doc)
os.replace(out + '.tmp', out)
print('\n'.join(table))
print('wrote %s (sizes: %s)' % (out, ', '.join(label(n) for n in sizes)))
EOF
