#!/usr/bin/python3
"""dkimfix.py OUT: DKIM test fixtures, signed at test time with python3-dkim.

Writes OUT/mail/cur/* (a maildir), OUT/keys/ (the public keys, one TXT
record per file named SELECTOR._domainkey.DOMAIN, plus garbage files) and
OUT/expected (Message-ID <TAB> what trawl verify must say).  The RSA keys
are made by openssl genrsa.  Exit 77 (skip) without python3-dkim/openssl.
"""
import base64
import os
import subprocess
import sys
import time

try:
    import dkim
except ImportError:
    print("python3-dkim not installed (apt-get install python3-dkim)", file=sys.stderr)
    sys.exit(77)

out = sys.argv[1]
os.makedirs(out + "/mail/cur", exist_ok=True)
os.makedirs(out + "/mail/new", exist_ok=True)
os.makedirs(out + "/mail/tmp", exist_ok=True)
os.makedirs(out + "/keys", exist_ok=True)


def genkey(name):
    path = "%s/%s.pem" % (out, name)
    try:
        subprocess.run(["openssl", "genrsa", "-traditional", "-out", path, "1024"],
                       check=True, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        print("openssl genrsa failed", file=sys.stderr)
        sys.exit(77)
    pem = open(path, "rb").read()
    der = subprocess.run(["openssl", "rsa", "-in", path, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return pem, base64.b64encode(der).decode()


key1, pub1 = genkey("k1")
key2, pub2 = genkey("k2")
keys = out + "/keys"
# sel1 as `dig +short TXT` prints a long record: quoted pieces, a newline.
half = len(pub1) // 2
with open(keys + "/sel1._domainkey.example.com", "w") as f:
    f.write('"v=DKIM1; k=rsa; " "p=%s"\n "%s"\n' % (pub1[:half], pub1[half:]))
# sel2 plain, spread over lines.
with open(keys + "/sel2._domainkey.other.example", "w") as f:
    f.write("v=DKIM1; k=rsa;\n p=%s\n" % pub2)
# revoked: an empty p=.
with open(keys + "/old._domainkey.example.com", "w") as f:
    f.write("v=DKIM1; k=rsa; p=\n")
# garbage files: a key that is not one, binary noise, a stray README.
with open(keys + "/junk._domainkey.example.com", "wb") as f:
    f.write(b"\x00\x01\xffnot a key at all; p=!!!***\n")
with open(keys + "/README", "w") as f:
    f.write("keys archived from DNS\n")
with open(keys + "/noise", "wb") as f:
    f.write(os.urandom(300))

expected = []


def message(mid, subject, body, frm="Alice <alice@example.com>", date="Mon, 06 Jan 2020 13:00:00 +0000",
            reply=None):
    # body@, hdr@ and two@ reply to good@: one thread of four (the UI test)
    irt = "In-Reply-To: <%s>\n" % reply if reply else ""
    return ("From: %s\nTo: Bob <bob@example.org>\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n%s\n%s"
            % (frm, subject, date, mid, irt, body)).encode()


HDRS = ["from", "to", "subject", "date", "message-id"]


def sign(msg, sel, dom, key, hdrs=HDRS):
    return dkim.sign(msg, sel.encode(), dom.encode(), key, include_headers=[h.encode() for h in hdrs],
                     linesep=b"\n") + msg


def write(name, data, mid, want):
    with open("%s/mail/cur/%s:2," % (out, name), "wb") as f:
        f.write(data)
    expected.append("%s\t%s" % (mid, want))


body = "Hello Bob,\nthe figures are attached.\n-- \nAlice\n"

m = message("good@dkim.example", "Quarterly figures", body)
write("01-good", sign(m, "sel1", "example.com", key1), "good@dkim.example",
      "1\texample.com/sel1: verified")

m = sign(message("body@dkim.example", "Body changed", body, date="Mon, 06 Jan 2020 13:01:00 +0000", reply="good@dkim.example"), "sel1", "example.com", key1)
write("02-body", m.replace(b"figures are", b"figures arE"), "body@dkim.example",
      "1\texample.com/sel1: body changed")

m = sign(message("hdr@dkim.example", "Headers changed", body, date="Mon, 06 Jan 2020 13:02:00 +0000", reply="good@dkim.example"), "sel1", "example.com", key1)
write("03-hdr", m.replace(b"Subject: Headers changed", b"Subject: Headers CHANGED"), "hdr@dkim.example",
      "1\texample.com/sel1: headers changed")

m = message("nokey@dkim.example", "No key", body)
write("04-nokey", sign(m, "gone", "example.com", key1), "nokey@dkim.example",
      "1\texample.com/gone: key unavailable")

# Two signatures: sel2 covers From and Subject, sel1 does not cover
# Subject; the Subject is changed afterwards.
m = message("two@dkim.example", "Two signatures", body, date="Mon, 06 Jan 2020 13:03:00 +0000", reply="good@dkim.example")
m = sign(m, "sel1", "example.com", key1, ["from", "to", "date", "message-id"])
m = sign(m, "sel2", "other.example", key2, ["from", "subject"])
write("05-two", m.replace(b"Subject: Two signatures", b"Subject: Two signatures!"), "two@dkim.example",
      "2\tother.example/sel2: headers changed; example.com/sel1: verified")

m = message("syntax@dkim.example", "Bad syntax", body)
write("06-syntax", b"DKIM-Signature: v=1; a=rsa-sha256; d=; s=; garbage;;; ===; bh=%%%; b=\n" + m,
      "syntax@dkim.example", "1\t?/?: bad signature syntax")

m = message("junkkey@dkim.example", "Garbage key", body)
write("07-junkkey", sign(m, "junk", "example.com", key1), "junkkey@dkim.example",
      "1\texample.com/junk: bad key")

m = message("revoked@dkim.example", "Revoked key", body)
write("08-revoked", sign(m, "old", "example.com", key1), "revoked@dkim.example",
      "1\texample.com/old: key revoked")

# Expired: t= two days ago, x= one day ago (python3-dkim has no x=: its
# header generator is given the two fields).
orig = dkim.DKIM.gen_header


def gen_expired(self, fields, *a, **k):
    now = int(time.time())
    f2 = []
    for name, val in fields:
        if name == b"t":
            f2.append((b"t", str(now - 2 * 86400).encode()))
            f2.append((b"x", str(now - 86400).encode()))
        else:
            f2.append((name, val))
    return orig(self, f2, *a, **k)


dkim.DKIM.gen_header = gen_expired
m = message("expired@dkim.example", "Expired", body)
write("09-expired", sign(m, "sel1", "example.com", key1), "expired@dkim.example",
      "1\texample.com/sel1: expired")
dkim.DKIM.gen_header = orig

write("10-unsigned", message("unsigned@dkim.example", "Not signed", body), "unsigned@dkim.example",
      "0\tnot signed")

with open(out + "/expected", "w") as f:
    f.write("\n".join(expected) + "\n")
