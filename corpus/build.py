"""Build the shipped bluelight corpus from its plain-text source form.

The source form (by default corpus/.source, a hidden folder that ingest skips) holds Markdown
reports, a JSONL file of project records and the LGA seed paper. This script writes, next to
itself:

- ``reports/<stem>.pdf``: each ``reports/<stem>.md`` laid out as a report with ReportLab
  platypus (title page, then the body with a running header and footer on every body page);
- ``records/projects.jsonl`` (copied unchanged) and ``records/projects.csv`` (the same records
  as CSV; list fields joined with "; ", null as an empty cell);
- ``seed/lga-escwg-paper.txt`` (copied unchanged).

The output is deterministic: running the script twice gives byte-identical files.

On every body page of a report PDF the first line of text is the running header (the report's
short title, see :func:`short_title`) and the last line is the footer
``bluelight corpus | <stem> | Page <n>``. The title page (page 1) has neither.

Usage::

    .venv/bin/python corpus/build.py [SOURCE] [--source SOURCE] [--out OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

DEFAULT_SOURCE = Path(__file__).resolve().parent / ".source"
DEFAULT_OUT = Path(__file__).resolve().parent

FOOTER_PREFIX = "bluelight corpus"
AUTHOR = "bluelight corpus (compiled from public sources)"
CREATOR = "bluelight corpus/build.py"
LIST_SEPARATOR = "; "

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#8a9bb0")
HEADER_FILL = colors.HexColor("#dfe6ee")


# --------------------------------------------------------------------------------------------
# Markdown parsing
# --------------------------------------------------------------------------------------------


@dataclass
class Block:
    """One block of report body: a heading, paragraph, list, table or rule."""

    kind: str  # "heading", "para", "bullets", "numbered", "table", "rule"
    text: str = ""
    level: int = 0
    items: list[tuple[str, str]] = field(default_factory=list)  # (marker, text) for lists
    rows: list[list[str]] = field(default_factory=list)  # table rows, header first


@dataclass
class Report:
    """A parsed report: its front matter and body blocks."""

    stem: str
    title: str
    compiled: str
    date: str
    doc_type: str
    blocks: list[Block]


_BULLET_RE = re.compile(r"^[-*+]\s+(.*)$")
_NUMBERED_RE = re.compile(r"^(\d+)[.)]\s+(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def split_table_row(line: str) -> list[str]:
    """Split a Markdown table row into stripped cell texts (honouring ``\\|`` escapes)."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def parse_body(lines: list[str]) -> list[Block]:
    """Parse the body lines of a report into blocks."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            blocks.append(Block("heading", text=heading.group(2), level=len(heading.group(1))))
            i += 1
            continue
        if re.fullmatch(r"\s*(-{3,}|\*{3,}|_{3,})\s*", line):
            blocks.append(Block("rule"))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            rows: list[list[str]] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                row_line = lines[i].rstrip()
                if not _TABLE_SEP_RE.match(row_line):
                    rows.append(split_table_row(row_line))
                i += 1
            blocks.append(Block("table", rows=rows))
            continue
        for kind, pattern in (("bullets", _BULLET_RE), ("numbered", _NUMBERED_RE)):
            if pattern.match(line):
                items: list[tuple[str, str]] = []
                while i < len(lines):
                    match = pattern.match(lines[i].rstrip())
                    if match:
                        marker = "\u2013" if kind == "bullets" else f"{match.group(1)}."
                        items.append((marker, match.group(match.lastindex or 1)))
                    elif lines[i].strip() and lines[i].startswith((" ", "\t")) and items:
                        marker, text = items[-1]
                        items[-1] = (marker, f"{text} {lines[i].strip()}")
                    else:
                        break
                    i += 1
                blocks.append(Block(kind, items=items))
                break
        else:
            # A paragraph runs until a blank line or the start of another block.
            parts = [line.strip()]
            i += 1
            while i < len(lines):
                nxt = lines[i].rstrip()
                if (
                    not nxt.strip()
                    or _HEADING_RE.match(nxt)
                    or nxt.lstrip().startswith("|")
                    or _BULLET_RE.match(nxt)
                    or _NUMBERED_RE.match(nxt)
                ):
                    break
                parts.append(nxt.strip())
                i += 1
            blocks.append(Block("para", text=" ".join(parts)))
    return blocks


def parse_report(path: Path) -> Report:
    """Parse a report Markdown file: title, front-matter lines up to ``---``, then the body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        rule_index = next(n for n, text in enumerate(lines) if text.strip() == "---")
    except StopIteration as exc:
        raise ValueError(f"{path}: no '---' line after the front matter") from exc
    front = [text.strip() for text in lines[:rule_index] if text.strip()]
    title_match = _HEADING_RE.match(front[0]) if front else None
    if not title_match or len(title_match.group(1)) != 1:
        raise ValueError(f"{path}: first line must be a '# ' title")
    fields: dict[str, str] = {}
    for text in front[1:]:
        for key in ("Compiled from public sources", "Date", "Document type"):
            if text.startswith(f"{key}:"):
                fields[key] = text
    missing = {"Compiled from public sources", "Date", "Document type"} - fields.keys()
    if missing:
        raise ValueError(f"{path}: missing front-matter lines {sorted(missing)}")
    doc_type = fields["Document type"].split(":", 1)[1].strip()
    return Report(
        stem=path.stem,
        title=title_match.group(2),
        compiled=fields["Compiled from public sources"],
        date=fields["Date"],
        doc_type=doc_type,
        blocks=parse_body(lines[rule_index + 1 :]),
    )


def short_title(title: str) -> str:
    """The running-header title: the report title up to its first ': ', if any."""
    return title.split(": ", 1)[0].strip()


# --------------------------------------------------------------------------------------------
# Inline markup
# --------------------------------------------------------------------------------------------

_URL_RE = re.compile(r"https?://[^\s<>()\"]+[^\s<>()\".,;:!?]")
_CODE_RE = re.compile(r"`([^`]+)`")
_LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def escape(text: str) -> str:
    """Escape &, < and > for ReportLab Paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str) -> str:
    """A clickable URL whose visible text is the URL itself."""
    return f'<link href="{url}">{url}</link>'


def inline(text: str) -> str:
    """Convert inline Markdown to ReportLab Paragraph markup.

    Bold, italic and code become font changes; a ``[text](url)`` link shows as
    ``text (url)`` so no content is lost; bare URLs become links. Everything else is escaped.
    """
    stash: list[str] = []

    def keep(markup: str) -> str:
        stash.append(markup)
        return f"\x00{len(stash) - 1}\x00"

    text = _CODE_RE.sub(lambda m: keep(f'<font name="Courier">{escape(m.group(1))}</font>'), text)
    text = _LINK_RE.sub(lambda m: keep(f"{escape(m.group(1))} ({_link(escape(m.group(2)))})"), text)
    text = _URL_RE.sub(lambda m: keep(_link(escape(m.group(0)))), text)
    text = escape(text)
    text = _BOLD_RE.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", text)
    text = _ITALIC_RE.sub(lambda m: f"<i>{m.group(1)}</i>", text)
    if "*" in re.sub(r"\x00\d+\x00", "", text):
        raise ValueError(f"unconverted Markdown emphasis in: {text!r}")
    return re.sub(r"\x00(\d+)\x00", lambda m: stash[int(m.group(1))], text)


def plain(text: str) -> str:
    """Inline Markdown reduced to plain text (for widths and PDF metadata)."""
    text = _CODE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1 (\2)", text)
    text = _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), text)
    return _ITALIC_RE.sub(r"\1", text)


# --------------------------------------------------------------------------------------------
# Styles and layout
# --------------------------------------------------------------------------------------------


def make_styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles for the reports (built-in Helvetica only)."""
    base = ParagraphStyle(
        "Body",
        fontName=BODY_FONT,
        fontSize=10,
        leading=13.5,
        alignment=TA_LEFT,
        spaceAfter=6,
        splitLongWords=1,
    )
    return {
        "body": base,
        "title": ParagraphStyle(
            "Title",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=22,
            leading=28,
            textColor=ACCENT,
            spaceAfter=18,
        ),
        "meta": ParagraphStyle("Meta", parent=base, fontSize=10.5, leading=14, spaceAfter=8),
        "compiled": ParagraphStyle(
            "Compiled",
            parent=base,
            fontSize=8.5,
            leading=11.5,
            textColor=colors.HexColor("#333333"),
            spaceAfter=10,
        ),
        "h1": ParagraphStyle(
            "H1",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=16,
            leading=20,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "H2",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=13.5,
            leading=17,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "H3",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=11,
            leading=14,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle(
            "Bullet",
            parent=base,
            leftIndent=16,
            bulletIndent=4,
            spaceAfter=3,
        ),
        "cell": ParagraphStyle(
            "Cell",
            parent=base,
            fontSize=8.5,
            leading=10.5,
            spaceAfter=0,
            splitLongWords=1,
        ),
        "cell_head": ParagraphStyle(
            "CellHead",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=8.5,
            leading=10.5,
            spaceAfter=0,
        ),
    }


def column_widths(rows: list[list[str]], style: ParagraphStyle, total: float) -> list[float]:
    """Share the frame width between table columns according to their content."""
    ncols = max(len(row) for row in rows)
    pad = 8.0
    desired: list[float] = []
    minimum: list[float] = []
    for col in range(ncols):
        texts = [plain(row[col]) if col < len(row) else "" for row in rows]
        widths = [stringWidth(text, BOLD_FONT, style.fontSize) for text in texts]
        words = [word for text in texts for word in text.split()]
        longest = max((stringWidth(w, BOLD_FONT, style.fontSize) for w in words), default=0.0)
        desired.append(max(widths, default=0.0) + pad)
        minimum.append(min(longest + pad, total / ncols))
    if sum(desired) <= total:
        extra = total - sum(desired)
        return [d + extra * d / sum(desired) for d in desired]
    # Give each column its minimum, then share what is left in proportion to the rest it wants.
    remaining = total - sum(minimum)
    wants = [max(d - m, 0.0) for d, m in zip(desired, minimum, strict=True)]
    # Damp very long columns so short columns are not squeezed to their minimum.
    wants = [w**0.75 for w in wants]
    if sum(wants) == 0:
        return [total / ncols] * ncols
    return [m + remaining * w / sum(wants) for m, w in zip(minimum, wants, strict=True)]


def make_table(rows: list[list[str]], styles: dict[str, ParagraphStyle]) -> Table:
    """A ReportLab Table with a bold, shaded header row that repeats across pages."""
    ncols = max(len(row) for row in rows)
    data: list[list[Flowable]] = []
    for r, row in enumerate(rows):
        cells = row + [""] * (ncols - len(row))
        style = styles["cell_head"] if r == 0 else styles["cell"]
        data.append([Paragraph(inline(cell), style) for cell in cells])
    table = Table(
        data,
        colWidths=column_widths(rows, styles["cell"], FRAME_WIDTH),
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("INNERGRID", (0, 0), (-1, -1), 0.25, RULE),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def body_flowables(blocks: list[Block], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Flowables for the report body."""
    story: list[Flowable] = []
    for block in blocks:
        if block.kind == "heading":
            style = styles[f"h{min(block.level, 3)}"]
            if block.level <= 2:
                story.append(CondPageBreak(60))
            story.append(Paragraph(inline(block.text), style))
        elif block.kind == "para":
            story.append(Paragraph(inline(block.text), styles["body"]))
        elif block.kind in ("bullets", "numbered"):
            items = [
                Paragraph(inline(text), styles["bullet"], bulletText=marker)
                for marker, text in block.items
            ]
            story.extend(items)
            story.append(Spacer(1, 3))
        elif block.kind == "table":
            story.append(Spacer(1, 2))
            story.append(make_table(block.rows, styles))
            story.append(Spacer(1, 8))
        elif block.kind == "rule":
            story.append(HRFlowable(width="100%", thickness=0.5, color=RULE, spaceAfter=6))
        else:  # pragma: no cover - parse_body only makes the kinds above
            raise ValueError(f"unknown block kind {block.kind}")
    return story


def title_page(report: Report, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Flowables for the title page: title, compiled-from line, date line and document type."""
    return [
        Spacer(1, 45 * mm),
        Paragraph(inline(report.title), styles["title"]),
        HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=2, spaceAfter=14),
        Paragraph(inline(report.compiled), styles["compiled"]),
        Spacer(1, 6 * mm),
        Paragraph(inline(report.date), styles["meta"]),
        Paragraph(inline(f"Document type: {report.doc_type}"), styles["meta"]),
    ]


class ReportDoc(BaseDocTemplate):
    """A two-template document: a bare title page, then body pages with header and footer."""

    def __init__(self, filename: str, report: Report) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=plain(report.title),
            author=AUTHOR,
            subject=report.doc_type,
            creator=CREATOR,
            keywords=report.stem,
            invariant=1,
        )
        self.report = report
        self._outline_count = 0
        self.header_text = short_title(plain(report.title))
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="main",
        )
        self.addPageTemplates(
            [
                PageTemplate(id="title", frames=[frame]),
                # The header is drawn before the page's flowables and the footer after them,
                # so they are the first and last lines of each page's extracted text.
                PageTemplate(
                    id="body", frames=[frame], onPage=self._header, onPageEnd=self._footer
                ),
            ]
        )

    def afterFlowable(self, flowable: Flowable) -> None:
        """Headings become PDF outline entries (bookmarks), as in published reports."""
        if isinstance(flowable, Paragraph) and flowable.style.name in ("H2", "H3"):
            key = f"h{self._outline_count}"
            self._outline_count += 1
            level = 0 if flowable.style.name == "H2" else 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=True)

    def _header(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        y = PAGE_HEIGHT - 14 * mm
        canvas.setFont(BODY_FONT, 8.5)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN_X, y, self.header_text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y - 3, PAGE_WIDTH - MARGIN_X, y - 3)
        canvas.restoreState()

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        y = 12 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)
        canvas.setFont(BODY_FONT, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        text = footer_text(self.report.stem, canvas.getPageNumber())
        canvas.drawCentredString(PAGE_WIDTH / 2, y, text)
        canvas.restoreState()


def footer_text(stem: str, page: int) -> str:
    """The footer line of a body page."""
    return f"{FOOTER_PREFIX} | {stem} | Page {page}"


def build_pdf(source: Path, target: Path) -> None:
    """Lay out one Markdown report as a PDF."""
    report = parse_report(source)
    styles = make_styles()
    story = title_page(report, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += body_flowables(report.blocks, styles)
    target.parent.mkdir(parents=True, exist_ok=True)
    ReportDoc(str(target), report).build(story)


# --------------------------------------------------------------------------------------------
# Records and seed
# --------------------------------------------------------------------------------------------


def csv_value(value: object) -> str:
    """One CSV cell: lists joined with '; ', null as empty, numbers as in JSON."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return str(value)


def build_records(source: Path, out_dir: Path) -> int:
    """Copy projects.jsonl and write projects.csv; return the number of records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    jsonl = source / "projects.jsonl"
    shutil.copyfile(jsonl, out_dir / "projects.jsonl")
    records = [
        json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    fieldnames = list(records[0])
    for record in records:
        if list(record) != fieldnames:
            raise ValueError(f"record {record.get('id')} has fields {list(record)}")
    with (out_dir / "projects.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fieldnames)
        for record in records:
            writer.writerow([csv_value(record[name]) for name in fieldnames])
    return len(records)


def build(source: Path, out: Path) -> None:
    """Rebuild the whole corpus under ``out`` from the source form at ``source``."""
    reports = sorted((source / "reports").glob("*.md"))
    if not reports:
        raise FileNotFoundError(f"no reports/*.md under {source}")
    rl_config.invariant = 1
    for md in reports:
        target = out / "reports" / f"{md.stem}.pdf"
        build_pdf(md, target)
        print(f"wrote {target}")
    count = build_records(source / "records", out / "records")
    print(f"wrote {out / 'records'} ({count} records)")
    seed_dir = out / "seed"
    seed_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "seed" / "lga-escwg-paper.txt", seed_dir / "lga-escwg-paper.txt")
    print(f"wrote {seed_dir / 'lga-escwg-paper.txt'}")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source_pos",
        nargs="?",
        type=Path,
        metavar="SOURCE",
        help=f"source form directory (default {DEFAULT_SOURCE})",
    )
    parser.add_argument("--source", type=Path, help="source form directory (same as SOURCE)")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output directory (default: the folder holding this script)",
    )
    args = parser.parse_args(argv)
    if args.source and args.source_pos and args.source != args.source_pos:
        parser.error("give the source directory once")
    source = args.source or args.source_pos or DEFAULT_SOURCE
    build(source, args.out)


if __name__ == "__main__":
    main()
