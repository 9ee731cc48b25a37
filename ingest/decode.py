"""Bytes to text, strictly: UTF-8, and any byte that is not is named by its offset and line.

Evidence is never re-decoded under a guessed encoding: a stray byte read as cp1252 would put a
character in the store that the file never held.
"""

from __future__ import annotations

import re

from assistant.errors import DamagedFile

_BOM = b"\xef\xbb\xbf"
# How surrogateescape keeps a byte that is not UTF-8: valid UTF-8 never decodes to these.
_ESCAPED = re.compile("[\udc80-\udcff]")
FIX = "save it as UTF-8"


def decode_utf8(data: bytes, source: str) -> str:
    """The file as UTF-8 (a byte-order mark allowed), or a refusal naming the first bad byte."""
    body = data.removeprefix(_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = len(data) - len(body) + exc.start
        line = data.count(b"\n", 0, offset) + 1
        reason = f"not UTF-8 text: {_describe(data, offset, line)}; {FIX}"
        raise DamagedFile(source, reason) from exc


def _describe(data: bytes, offset: int, line: int) -> str:
    return f"byte 0x{data[offset]:02x} at offset {offset} (line {line}) is not valid UTF-8"


def decode_lenient(data: bytes) -> tuple[str, dict[int, str]]:
    """Text in which each byte that is not UTF-8 stays a marker, and for each line that holds
    one, the first such byte described; for files whose lines stand alone, like records."""
    body = data.removeprefix(_BOM)
    text = body.decode("utf-8", errors="surrogateescape")
    bad: dict[int, str] = {}
    offset, last, line = len(data) - len(body), 0, 1
    for match in _ESCAPED.finditer(text):
        before = text[last : match.start()]
        offset += len(before.encode("utf-8", errors="surrogateescape"))
        line += before.count("\n")
        if line not in bad:
            bad[line] = _describe(data, offset, line)
        offset, last = offset + 1, match.end()
    return text, bad
