"""Build the PDF report of the flood-resilience test corpus from its Markdown source.

    .venv/bin/python evals/corpora/flood-resilience/.source/build.py

Reads every .md file next to this script and writes reports/<stem>.pdf (reportlab, invariant
mode, so the same source always gives the same bytes). The source uses headings (# and ##),
paragraphs, "- " and "1. " lists and pipe tables.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "reports"


def flowables(markdown: str) -> list:  # type: ignore[type-arg]
    styles = getSampleStyleSheet()
    story: list = []  # type: ignore[type-arg]
    items: list[str] = []
    numbered = False
    rows: list[list[str]] = []

    def flush() -> None:
        nonlocal items, rows
        if items:
            kind = "1" if numbered else "bullet"
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(escape(i), styles["BodyText"])) for i in items],
                    bulletType=kind,
                )
            )
            items = []
        if rows:
            table = Table([[Paragraph(escape(c), styles["BodyText"]) for c in r] for r in rows])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            story.append(table)
            story.append(Spacer(1, 4 * mm))
            rows = []

    for line in markdown.splitlines():
        text = line.strip()
        if not text:
            flush()
        elif text.startswith("# "):
            story.append(Paragraph(escape(text[2:]), styles["Title"]))
        elif text.startswith("## "):
            story.append(Paragraph(escape(text[3:]), styles["Heading2"]))
        elif text.startswith("|"):
            if not set(text) <= set("|-: "):
                rows.append([c.strip() for c in text.strip("|").split("|")])
        elif text.startswith("- ") or text[:3].rstrip(" ").rstrip(".").isdigit():
            numbered = not text.startswith("- ")
            items.append(text.split(" ", 1)[1])
        else:
            story.append(Paragraph(escape(text), styles["BodyText"]))
    flush()
    return story


def build() -> list[Path]:
    OUT.mkdir(exist_ok=True)
    written = []
    for source in sorted(HERE.glob("*.md")):
        path = OUT / f"{source.stem}.pdf"
        doc = SimpleDocTemplate(
            str(path),
            pagesize=A4,
            title=source.stem,
            author="bluelight test corpus",
            invariant=1,
        )
        doc.build(flowables(source.read_text(encoding="utf-8")))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"wrote {path}")
