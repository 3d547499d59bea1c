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

__all__ = ["DECODE_JS", "ILLEGAL", "encode"]

ILLEGAL = (0x00, 0x0D, 0x3C)  # NUL, CR, "<"
PAIR = 0x100  # a two-byte character carrying an illegal group and the next one
LAST = 0x280  # an illegal group with nothing after it


def encode(data: bytes) -> str:
    """``data`` as text of characters the HTML parser keeps exactly (see the module docs)."""
    groups: list[int] = []
    bits = 0
    count = 0
    for byte in data:
        bits = (bits << 8) | byte
        count += 8
        while count >= 7:
            count -= 7
            groups.append((bits >> count) & 0x7F)
        bits &= (1 << count) - 1
    if count:
        groups.append((bits << (7 - count)) & 0x7F)
    out: list[str] = []
    i = 0
    while i < len(groups):
        group = groups[i]
        if group in ILLEGAL:
            which = ILLEGAL.index(group)
            if i + 1 < len(groups):
                out.append(chr(PAIR + (which << 7) + groups[i + 1]))
                i += 2
                continue
            out.append(chr(LAST + which))
        else:
            out.append(chr(group))
        i += 1
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
