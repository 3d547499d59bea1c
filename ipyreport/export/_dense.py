"""Bytes as text that sits inside ``<script type="text/plain">``, at 8/7 of their size.

Base64 spends 4 characters on 3 bytes (+33%). Here the bytes are read 7
bits at a time and each group becomes one ASCII character (one byte of
UTF-8), except the three an HTML parser would not hand back as written:
NUL (replaced), CR (turned into LF) and ``<`` (could close the element).
Such a group and the group after it travel together as one two-byte
character. The result is about 14% larger than the bytes; the page turns
it back with :data:`DECODE_JS` (checked against :func:`encode` in a
browser test).

>>> encode(b"ok")
'7Z`'
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["DECODE_JS", "ILLEGAL", "encode"]

ILLEGAL = (0x00, 0x0D, 0x3C)  # NUL, CR, "<"
PAIR = 0x100  # a two-byte character carrying an illegal group and the next one
LAST = 0x280  # an illegal group with nothing after it
_ILLEGAL_GROUP = re.compile("[" + "".join(map(chr, ILLEGAL)) + "]")
_SHIFTS = np.arange(49, -1, -7, dtype=np.uint64)


def encode(data: bytes) -> str:
    """``data`` as text of characters the HTML parser keeps exactly (see the module docs)."""
    count = -(-len(data) * 8 // 7)  # groups, the last one padded with zero bits
    rows = np.frombuffer(data + bytes(-len(data) % 7), dtype=np.uint8).reshape(-1, 7)
    # Each 7 bytes are 56 bits, that is 8 groups.
    bits = np.zeros(len(rows), dtype=np.uint64)
    for column in range(7):
        bits = (bits << np.uint64(8)) | rows[:, column]
    groups = ((bits[:, None] >> _SHIFTS) & np.uint64(0x7F)).astype(np.uint8).ravel()[:count]
    flat = groups.tobytes()
    text = flat.decode("ascii")
    out: list[str] = []
    at = 0
    while (found := _ILLEGAL_GROUP.search(text, at)) is not None:
        where = found.start()
        out.append(text[at:where])
        which = ILLEGAL.index(flat[where])
        if where + 1 < count:
            out.append(chr(PAIR + (which << 7) + flat[where + 1]))
            at = where + 2
        else:
            out.append(chr(LAST + which))
            at = where + 1
    out.append(text[at:])
    return "".join(out)


# The page's own decoder: text -> the first `length` bytes of its 7-bit groups.
DECODE_JS = """
const ILLEGAL = [0x00, 0x0d, 0x3c];
const dense = (text, length) => {
  const bytes = new Uint8Array(length);
  let bits = 0, count = 0, at = 0;
  const put = (group) => {
    bits = ((bits << 7) | group) & 0x7fff;
    count += 7;
    if (count >= 8) {
      count -= 8;
      if (at < length) bytes[at++] = (bits >> count) & 0xff;
    }
  };
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) put(code);
    else if (code < 0x280) {
      put(ILLEGAL[(code - 0x100) >> 7]);
      put((code - 0x100) & 0x7f);
    } else put(ILLEGAL[code - 0x280]);
  }
  return bytes;
};
"""
