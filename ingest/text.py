"""Read plain text and Markdown into blocks: headings, paragraphs, list items and table rows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import DamagedFile
from assistant.sanitize import strip_invisible
from ingest.decode import decode_utf8
from ingest.split import Block

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_BULLET = re.compile(r"^\s*([-*•]|\d{1,2}[.)])\s+")


@dataclass
class LoadedText:
    title: str
    blocks: list[Block]


def load_text(data: bytes, source: str, markdown: bool) -> LoadedText:
    text = strip_invisible(decode_utf8(data, source))
    if "\x00" in text:
        raise DamagedFile(source, "binary content in a text file; check the file type")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DamagedFile(source, "the file is empty")
    blocks = _markdown(text) if markdown else _plain(text)
    title = next((b.text for b in blocks if b.kind == "heading"), None) or next(
        (b.text[:120] for b in blocks), source
    )
    return LoadedText(title.strip("# ").strip(), blocks)


def _plain(text: str) -> list[Block]:
    """Paragraphs of plain text. Wrapped lines are joined; a line that ends a sentence ends its
    paragraph (word processors export one line per paragraph); a short capitalised line with no
    closing punctuation is a heading."""
    blocks: list[Block] = []
    section: str | None = None
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block(" ".join(para), section=section))
            para.clear()

    for chunk in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        for line in lines:
            if _looks_like_heading(line) and not para:
                section = line
                blocks.append(Block(line, section=section, kind="heading"))
                continue
            if _BULLET.match(line):
                flush()
            para.append(line)
            if line.endswith((".", "!", "?", ":", ";")):
                flush()
        flush()
    return blocks


def _looks_like_heading(line: str) -> bool:
    return (
        len(line) < 60
        and not line.endswith((".", ":", ",", ";", "?", "!"))
        and line[:1].isupper()
        and not _BULLET.match(line)
    )


def _markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    section: str | None = None
    para: list[str] = []
    header: str | None = None

    def flush() -> None:
        if para:
            blocks.append(Block(" ".join(para), section=section))
            para.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = _MD_HEADING.match(line)
        if not line or line == "---":
            flush()
            header = None
        elif heading:
            flush()
            section = heading.group(2).strip()
            blocks.append(Block(section, section=section, kind="heading"))
        elif line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if _TABLE_RULE.match(line):
                continue
            if header is None:
                header = " | ".join(cells)
            else:
                blocks.append(Block(" | ".join(cells), section=section, kind="row", header=header))
        elif _BULLET.match(line):
            flush()
            para.append(line)
        else:
            para.append(line)
    flush()
    return blocks
