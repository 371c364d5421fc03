#!/usr/bin/env python3
"""mkmbox.py — write an mbox of a given flavour from message files, for the
import tests: the messages' bytes go in unchanged except for the flavour's
escaping of "From " lines, so a correct import gives back every file's bytes.

usage: mkmbox.py FLAVOUR OUT.mbox FILE...
  FLAVOUR: mboxo | mboxrd | mboxcl | mboxcl2 | thunderbird | takeout | crlf
"""
import re
import sys


def escape(body, flavour):
    if flavour in ("mboxrd",):
        return re.sub(rb"(?m)^(>*From )", rb">\1", body)
    if flavour in ("mboxcl2",):
        return body
    # mboxo, mboxcl, thunderbird, takeout, crlf: only bare "From " lines
    return re.sub(rb"(?m)^From ", rb">From ", body)


def main():
    flavour, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(out, "wb") as f:
        for i, path in enumerate(files):
            data = open(path, "rb").read()
            if flavour == "crlf":
                data = re.sub(rb"\r?\n", b"\r\n", data)
            if not data.endswith(b"\n"):
                data += b"\r\n" if flavour == "crlf" else b"\n"
            nl = b"\r\n" if flavour == "crlf" else b"\n"
            if flavour == "thunderbird":
                sep = b"From - Mon Jan  6 12:00:00 2020"
            elif flavour == "takeout":
                sep = b"From 16%05d@xxx Mon Jan  6 12:00:00 +0000 2020" % i
            else:
                sep = b"From sender%d@example.org Mon Jan  6 12:00:00 2020" % i
            hdr_end = data.find(nl + nl)
            head, body = (data[:hdr_end + len(nl)], data[hdr_end + len(nl):]) if hdr_end >= 0 else (data, b"")
            body = escape(body, flavour)
            if flavour in ("mboxcl", "mboxcl2"):
                # Content-Length of the body as written, after the blank line
                rest = body[len(nl):] if body.startswith(nl) else body
                head = head + b"Content-Length: %d" % len(rest) + nl
            f.write(sep + nl + head + body + nl)


if __name__ == "__main__":
    main()
