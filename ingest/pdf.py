"""Read a PDF into blocks per page: running headers and footers removed, headings found."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.errors import DamagedFile, DocumentRefused, EncryptedPDF, NoTextLayer
from assistant.sanitize import strip_invisible
from ingest.split import Block

_PAGE_NUMBER = re.compile(
    r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(\.\d{1,2})*\.?)\s+[A-Z][^.!?]{1,90}$")
_BULLET = re.compile(r"^([•▪◦*\-–]|\d{1,2}[.)])\s+")
# Two or more columns: text, a gap of three or more spaces, text.
_GAP = re.compile(r"\S {3,}\S")
_SEGMENT = re.compile(r"\S+(?: {1,2}\S+)*")
# Fewer characters than this across the whole file means there is no usable text layer.
_MIN_TEXT_CHARS = 16
_IMAGE_PAGE_CHARS = 24


@dataclass
class LoadedPDF:
    title: str
    pages: int
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)


def load_pdf(
    data: bytes, source: str, password: str | None = None, max_pages: int | None = None
) -> LoadedPDF:
    """Parse PDF bytes; raise a DocumentRefused subclass naming the file and the reason."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError

    # pypdf reports recoverable oddities through logging; the outcome is ours to report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data:
        raise DamagedFile(source, "the file is empty")
    if b"%PDF-" not in data[:1024]:
        raise DamagedFile(source, "not a PDF (no %PDF header); check the file type")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypt(reader, password):
            hint = "the password given is wrong" if password else "pass --password to read it"
            raise EncryptedPDF(source, f"the PDF is encrypted; {hint}")
        count = len(reader.pages)
        if max_pages is not None and count > max_pages:
            raise DocumentRefused(
                source,
                f"{count:,} pages, more than the {max_pages:,} one document may have "
                "(BLUELIGHT_MAX_PAGES); split the file or raise the limit",
            )
        pages = list(reader.pages)
    except DocumentRefused:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedPDF(source, "the PDF is encrypted; pass --password to read it") from exc
    except LimitReachedError as exc:
        raise DamagedFile(source, _bomb("its structure", exc)) from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DamagedFile(source, f"the PDF is damaged and cannot be read ({exc})") from exc
    if not pages:
        raise DamagedFile(source, "the PDF has no pages")

    warnings: list[str] = []
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(strip_invisible(_page_text(page)))
        except LimitReachedError as exc:
            raise DamagedFile(source, _bomb(f"page {number}", exc)) from exc
        except Exception as exc:  # pypdf raises many types on broken content streams
            warnings.append(f"page {number}: text could not be read ({type(exc).__name__})")
            texts.append("")
    # A page that is an image with at most a short label on it (a scan, a photo) has no text
    # layer worth indexing.
    texts = [
        "" if len(t.strip()) < _IMAGE_PAGE_CHARS and _has_image(page) else t
        for t, page in zip(texts, pages, strict=True)
    ]
    if sum(len(t.strip()) for t in texts) < _MIN_TEXT_CHARS:
        raise NoTextLayer(
            source,
            f"no text layer on any of its {len(pages)} page(s) (scanned or image-only); "
            "OCR would be needed",
        )
    empty = [str(i) for i, t in enumerate(texts, 1) if not t.strip()]
    if empty:
        warnings.append(f"{source}: no text on page(s) {', '.join(empty[:10])}")

    outline = _outline_titles(reader)
    lines_per_page = _strip_running(texts)
    blocks = _blocks(lines_per_page, outline)
    return LoadedPDF(_title(reader, blocks, source), len(pages), blocks, warnings)


def _bomb(where: str, exc: Exception) -> str:
    return (
        f"a compressed stream in {where} expands past the decompression limit, as a "
        f"decompression bomb does ({exc}); refused unread"
    )


def _has_image(page: object) -> bool:
    try:
        xobjects = page["/Resources"].get("/XObject") or {}  # type: ignore[index]
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())
    except Exception:  # unusual resource dictionaries: treat as no image
        return False


def _decrypt(reader: object, password: str | None) -> bool:
    for attempt in ([password] if password else []) + [""]:
        try:
            if reader.decrypt(attempt):  # type: ignore[attr-defined]
                return True
        except Exception:  # unsupported algorithm or broken encryption dictionary
            return False
    return False


def _outline_titles(reader: object) -> set[str]:
    titles: set[str] = set()

    def walk(items: object) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, list):
                walk(item)
            else:
                title = getattr(item, "title", None)
                if isinstance(title, str) and title.strip():
                    titles.add(_norm(strip_invisible(title)))

    try:
        walk(reader.outline)  # type: ignore[attr-defined]
    except Exception:  # a broken outline only costs us heading hints
        return set()
    return titles


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _page_text(page: object) -> str:
    """Layout-mode text keeps table columns and paragraph gaps; multi-column pages read better
    in content order, so they fall back to plain extraction."""
    from pypdf.errors import LimitReachedError

    try:
        text: str = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except LimitReachedError:
        raise  # a decompression bomb: plain mode would only decompress it again
    except Exception:  # layout mode is stricter than plain mode on odd fonts
        return page.extract_text() or ""  # type: ignore[attr-defined]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:  # rotated or oddly placed text that only plain mode finds
        return page.extract_text() or ""  # type: ignore[attr-defined]
    gapped = sum(1 for ln in lines if _GAP.search(ln.strip()))
    if len(lines) > 15 and gapped > 0.4 * len(lines):
        return page.extract_text() or ""  # type: ignore[attr-defined]
    return text


def _strip_running(texts: list[str]) -> list[list[str]]:
    """Drop lines that repeat at the top or bottom of most pages, and bare page numbers."""
    pages = [[ln.rstrip() for ln in t.splitlines()] for t in texts]
    edge: Counter[str] = Counter()
    for lines in pages:
        filled = [ln.strip() for ln in lines if ln.strip()]
        for ln in set(filled[:2] + filled[-2:]):
            edge[re.sub(r"\d+", "#", ln)] += 1
    repeat = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in edge.items() if n >= repeat} if len(pages) >= 3 else set()
    out = []
    for lines in pages:
        at = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(at[:2] + at[-2:])
        kept = []
        for i, ln in enumerate(lines):
            key = ln.strip()
            if i in edges and (re.sub(r"\d+", "#", key) in running or _PAGE_NUMBER.match(key)):
                continue
            kept.append(ln)
        # A page that is nothing but the repeated line holds content, not a running header.
        out.append(kept if any(ln.strip() for ln in kept) else lines)
    return out


def _is_heading(line: str, outline: set[str]) -> bool:
    if _norm(line) in outline:
        return True
    return bool(_NUMBERED_HEADING.match(line)) and len(line) < 100


def _groups(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for ln in lines:
        if ln.strip():
            groups[-1].append(ln)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _is_table(group: list[str]) -> bool:
    return sum(1 for ln in group if _GAP.search(ln.strip())) * 2 >= len(group)


def _blocks(pages: list[list[str]], outline: set[str]) -> list[Block]:
    blocks: list[Block] = []
    section: str | None = None
    # A table may run on to the next page, where its header row is repeated.
    header: tuple[list[int], str] | None = None
    for number, lines in enumerate(pages, start=1):
        for group in _groups(lines):
            first = group[0].strip()
            if _is_heading(first, outline):
                section = first
                header = None
                if not _reference_section(section):
                    blocks.append(Block(first, page=number, section=section, kind="heading"))
                group = group[1:]
                if not group:
                    continue
            if _reference_section(section):
                continue  # a list of references is not evidence
            in_table = header is not None and any(_GAP.search(ln.strip()) for ln in group)
            if in_table or _is_table(group):
                if header is None:
                    starts = _column_starts(group)
                    header = (starts, " | ".join(_cells(group, starts)))
                    continue
                row = " | ".join(_cells(group, header[0]))
                if row == header[1]:
                    continue
                blocks.append(
                    Block(row, page=number, section=section, kind="row", header=header[1])
                )
                continue
            header = None
            split_at = _table_start(group)
            if split_at:
                # A caption or lead-in sentence printed right above a table.
                blocks += _paragraphs(group[:split_at], number, section)
                starts = _column_starts(group[split_at:])
                header = (starts, " | ".join(_cells(group[split_at:], starts)))
                continue
            blocks += _paragraphs(group, number, section)
    return blocks


def _table_start(group: list[str]) -> int:
    """Index where a table begins inside a group that opens with ordinary lines; 0 if none."""
    for i, line in enumerate(group):
        if _GAP.search(line.strip()):
            return i if i > 0 and _is_table(group[i:]) else 0
    return 0


def _reference_section(section: str | None) -> bool:
    if not section:
        return False
    name = re.sub(r"^[\d.\s]+", "", section).strip().lower()
    return name in {"sources", "references", "bibliography", "notes and references"}


def _column_starts(group: list[str]) -> list[int]:
    return sorted({m.start() for m in _SEGMENT.finditer(group[0])})


def _cells(group: list[str], starts: list[int]) -> list[str]:
    cells: list[list[str]] = [[] for _ in starts]
    for line in group:
        for m in _SEGMENT.finditer(line):
            col = max((i for i, s in enumerate(starts) if s <= m.start() + 2), default=0)
            cells[col].append(m.group(0))
    return [" ".join(c) for c in cells]


def _paragraphs(group: list[str], page: int, section: str | None) -> list[Block]:
    out: list[Block] = []
    para: list[str] = []
    for line in group:
        text = line.strip()
        if _BULLET.match(text) and para:
            out.append(Block(" ".join(para), page=page, section=section))
            para = []
        para.append(re.sub(r"\s{2,}", " ", text))
    if para:
        out.append(Block(" ".join(para), page=page, section=section))
    return out


def _title(reader: object, blocks: list[Block], source: str) -> str:
    try:
        meta_title = (reader.metadata or {}).get("/Title")  # type: ignore[attr-defined]
    except Exception:  # unreadable metadata is common in the wild
        meta_title = None
    if isinstance(meta_title, str):
        meta_title = strip_invisible(meta_title).strip()
    if isinstance(meta_title, str) and 3 <= len(meta_title) <= 200:
        return meta_title
    for block in blocks[:3]:
        if 3 <= len(block.text) <= 120:
            return block.text
    return source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
