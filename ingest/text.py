"""Read plain text and Markdown into blocks: headings, paragraphs, list items and table rows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import DamagedFile
from ingest.split import Block

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_BULLET = re.compile(r"^\s*([-*•]|\d{1,2}[.)])\s+")


@dataclass
class LoadedText:
    title: str
    blocks: list[Block]


def load_text(data: bytes, source: str, markdown: bool) -> LoadedText:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
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
    blocks: list[Block] = []
    section: str | None = None
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        joined = " ".join(lines)
        # A short line on its own with no closing punctuation reads as a heading.
        if len(lines) == 1 and _looks_like_heading(joined):
            section = joined
            blocks.append(Block(joined, section=section, kind="heading"))
            continue
        if len(lines) > 1 and _looks_like_heading(lines[0]):
            section = lines[0]
            blocks.append(Block(lines[0], section=section, kind="heading"))
            lines = lines[1:]
        item: list[str] = []
        for line in lines:
            if _BULLET.match(line) and item:
                blocks.append(Block(" ".join(item), section=section))
                item = []
            item.append(line)
        blocks.append(Block(" ".join(item), section=section))
    return blocks


def _looks_like_heading(line: str) -> bool:
    return len(line) < 60 and not line.endswith((".", ":", ",", ";")) and line[:1].isupper()


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
