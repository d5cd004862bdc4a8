#!/usr/bin/env python3
"""Writes a contact post for wrk (.ci/bench/contact.lua): the form's fields,
a stamp signed with the server's HELPCENTER_FORM_KEY as issued a minute
ago, and a PNG of random pixels of about 1 MB (it does not compress).
  contact_body.py FORM_KEY OUT_FILE"""
import hashlib, hmac, os, struct, sys, time, zlib

key, out = sys.argv[1].encode(), sys.argv[2]
issued = struct.pack(">Q", int(time.time()) - 60)
mac = hmac.new(key, b"contact-form-issued-at\x00" + issued, hashlib.sha256).digest()[:16]
stamp = issued.hex() + "." + mac.hex()

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

w = h = 580
raw = b"".join(b"\x00" + os.urandom(w * 3) for _ in range(h))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")

boundary = "helpcenterbench"
parts = []
for name, value in [("kind", "technical"), ("device", "android"), ("step", "confirm"), ("stamp", stamp),
                    ("description", "Qzxv wbblr frmblt qrrk vvmm: the screen goes blank after an update")]:
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="screenshots"; filename="screen.png"\r\n'
             f'Content-Type: image/png\r\n\r\n'.encode() + png + b"\r\n")
parts.append(f"--{boundary}--\r\n".encode())
with open(out, "wb") as f:
    f.write(b"".join(parts))
print(f"contact body: {sum(map(len, parts))} bytes, screenshot {len(png)} bytes", file=sys.stderr)
