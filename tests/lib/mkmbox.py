#!/usr/bin/env python3
"""mkmbox.py — write an mbox of a given flavour from message files, for the
import tests: the messages' bytes go in unchanged except for the flavour's
escaping of "From " lines, so a correct import gives back every file's bytes.

usage: mkmbox.py [--expect DIR] [--ids FILE] [--keep-ambiguous] [--known-format]
                 FLAVOUR OUT.mbox FILE...
  FLAVOUR: mboxo | mboxrd | mboxcl | mboxcl2 | thunderbird | takeout | crlf
           | pipermail
  --expect DIR      write each message's expected stored bytes to
                    DIR/NNNNN.eml: the file as it went into the mbox (a
                    leading "From " envelope line taken off, a final newline
                    added when missing, CRLF line ends for crlf, and for
                    mboxcl/mboxcl2 the Content-Length header the writer
                    added, which is part of the stored message)
  --ids FILE        one line per message written: its Message-ID (without
                    <>), or "sha1:HEX" of the bytes when it has none (notmuch
                    then makes one up, distinct per message)
  --keep-ambiguous  keep messages whose round trip the flavour cannot
                    guarantee (see below); by default they are left out, and
                    counted on stderr
  --known-format    the reader will be told the flavour (--mbox-format):
                    mboxcl2 then round-trips every message

Ambiguous messages: mboxo-style writers (mboxo, mboxcl, thunderbird,
takeout, crlf, pipermail) escape "From " to ">From " but leave ">From "
alone, so a body line ">From " cannot survive them.  mboxcl2 escapes
nothing; a reader that guesses the flavour (auto) only knows it when the
body has a bare "From " line, so a ">From " line without one is ambiguous
unless --known-format.  mboxrd round-trips everything.
"""
import hashlib
import os
import re
import sys

FLAVOURS = ("mboxo", "mboxrd", "mboxcl", "mboxcl2", "thunderbird", "takeout", "crlf", "pipermail")


def escape(body, flavour):
    if flavour == "mboxrd":
        return re.sub(rb"(?m)^(>*From )", rb">\1", body)
    if flavour == "mboxcl2":
        return body
    # mboxo, mboxcl, thunderbird, takeout, crlf, pipermail: only bare "From " lines
    return re.sub(rb"(?m)^From ", rb">From ", body)


def ambiguous(body, flavour, known_format):
    quoted = re.search(rb"(?m)^>+From ", body) is not None
    if flavour == "mboxrd" or not quoted:
        return False
    if flavour == "mboxcl2":
        if known_format:
            return False
        return re.search(rb"(?m)^From ", body) is None
    return True


def strip_header(head, name, nl):
    """HEAD without every field NAME (and its continuation lines)."""
    lines = head.split(nl)
    out, dropping = [], False
    pat = re.compile(rb"(?i)^" + re.escape(name) + rb"[ \t]*:")
    for ln in lines:
        if ln[:1] in (b" ", b"\t") and dropping:
            continue
        dropping = bool(pat.match(ln))
        if not dropping:
            out.append(ln)
    return nl.join(out)


def message_id(data):
    """The Message-ID as notmuch would read it, roughly: the first <...> of
    the (unfolded) Message-ID field; else a stand-in unique to the bytes."""
    end = re.search(rb"\r?\n\r?\n", data)
    head = data[: end.start()] if end else data
    head = re.sub(rb"\r?\n[ \t]+", b" ", head)
    m = re.search(rb"(?im)^message-id[ \t]*:[ \t]*(.*)$", head)
    if m:
        v = m.group(1).strip()
        a = re.search(rb"<([^<>\s]+)>", v)
        if a:
            return a.group(1).decode("utf-8", "replace")
    return "sha1:" + hashlib.sha1(data).hexdigest()


def main(argv):
    expect = ids = None
    keep = known = False
    args = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--expect":
            expect = argv[i + 1]
            i += 2
            continue
        if a == "--ids":
            ids = argv[i + 1]
            i += 2
            continue
        if a == "--keep-ambiguous":
            keep = True
        elif a == "--known-format":
            known = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
        i += 1
    if len(args) < 2 or args[0] not in FLAVOURS:
        sys.stderr.write(__doc__)
        return 2
    flavour, out, files = args[0], args[1], args[2:]
    if expect:
        os.makedirs(expect, exist_ok=True)
    idf = open(ids, "w") if ids else None
    nl = b"\r\n" if flavour == "crlf" else b"\n"
    left_out = 0
    n = 0
    with open(out, "wb") as f:
        for path in files:
            data = open(path, "rb").read()
            # an mbox envelope line at the top (git format-patch, a one-message
            # mbox) is not part of the message
            if data.startswith(b"From "):
                data = data[data.find(b"\n") + 1:] if b"\n" in data else b""
            if not data.strip():
                continue
            if flavour == "crlf":
                data = re.sub(rb"\r?\n", b"\r\n", data)
            if not data.endswith(b"\n"):
                data += nl
            if flavour == "thunderbird":
                sep = b"From - Mon Jan  6 12:00:00 2020"
            elif flavour == "takeout":
                sep = b"From 16%05d@xxx Mon Jan  6 12:00:00 +0000 2020" % n
            elif flavour == "pipermail":
                sep = b"From sender%d at example.org  Mon Jan  6 12:00:00 2020" % n
            else:
                sep = b"From sender%d@example.org Mon Jan  6 12:00:00 2020" % n
            # the header ends at the first empty line (CRLF or LF)
            m = re.search(rb"\r?\n\r?\n", data)
            if m:
                cut = m.start() + (2 if data[m.start()] == 13 else 1)
                head, body = data[:cut], data[cut:]
            else:
                head, body = data, b""
            if not keep and ambiguous(body, flavour, known):
                left_out += 1
                continue
            lnl = b"\r\n" if head.endswith(b"\r\n") else b"\n"
            if flavour in ("mboxcl", "mboxcl2"):
                # one Content-Length: the writer's, of the body as written
                head = strip_header(head, b"Content-Length", lnl)
                written = escape(body, flavour)
                rest = written[len(lnl):] if written.startswith(lnl) else written
                head = head + b"Content-Length: %d" % len(rest) + lnl
            msg = head + body
            f.write(sep + nl + head + escape(body, flavour) + nl)
            n += 1
            if expect:
                with open(os.path.join(expect, "%05d.eml" % n), "wb") as e:
                    e.write(msg)
            if idf:
                idf.write(message_id(msg) + "\n")
    if idf:
        idf.close()
    if left_out:
        sys.stderr.write("mkmbox: %s: left out %d message(s) with \">From \" body lines "
                         "(ambiguous in this flavour)\n" % (flavour, left_out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
