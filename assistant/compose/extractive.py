"""The extractive composer: the judged sentences, each quoted and cited; project questions as a
table with one cited row per project. Deterministic, no model server."""

from __future__ import annotations

from assistant.compose.base import Draft, Evidence, Turn
from assistant.question.conditions import Conditions
from assistant.retrieval.retrieve import Hit
from assistant.types import Citation, pounds

UPLOADED = " (from an uploaded document)"


class ExtractiveComposer:
    name = "extractive"

    def compose(self, evidence: Evidence, history: list[Turn]) -> Draft:
        judgement = evidence.judgement
        if judgement.projects:
            return project_table(judgement.projects, evidence.matching_records, evidence.conditions)
        citations: list[Citation] = []
        parts: list[str] = []
        for marker, s in enumerate(judgement.sentences, start=1):
            citations.append(Citation.of(marker, s.hit.chunk, s.unit.text))
            mark = UPLOADED if s.hit.chunk.provenance == "upload" else ""
            parts.append(f"{s.unit.display()}{mark} [{marker}]")
        # Three or more points read best as a list.
        text = "\n".join(f"- {p}" for p in parts) if len(parts) > 2 else " ".join(parts)
        if judgement.status == "partial" and judgement.reason:
            text = f"{text}\n\n{judgement.reason}"
        return Draft(text, citations)


def project_table(
    projects: list[Hit], matching: int | None, conditions: Conditions | None = None
) -> Draft:
    """Matching project records as a markdown table, one cited row each; a question that sets
    a condition on savings gets each record's savings as a column too."""
    total = max(matching or 0, len(projects))
    shown = (
        f"; the {len(projects)} closest to the question are listed" if total > len(projects) else ""
    )
    lines = [
        f"{total} {'projects' if total != 1 else 'project'} in the evidence "
        f"{'match' if total != 1 else 'matches'}{shown}:",
        "",
    ]
    savings = conditions is not None and conditions.on_savings
    lines += [
        "| Project | Region | Services | Status | Started |" + (" Savings |" if savings else ""),
        "|---|---|---|---|---|" + ("---|" if savings else ""),
    ]
    citations: list[Citation] = []
    for marker, hit in enumerate(projects, start=1):
        c = hit.chunk
        head = c.text.splitlines()[0]
        services = ", ".join(s.replace("_", " ") for s in c.services)
        saved = pounds(c.savings) if c.savings is not None else ""
        lines.append(
            f"| {c.record_id} {_cell(c.title)} [{marker}] | {_cell(c.region or '')} | "
            f"{_cell(services)} | {c.status or ''} | {c.year or ''} |"
            + (f" {saved} |" if savings else "")
        )
        citations.append(Citation.of(marker, c, head))
    return Draft("\n".join(lines), citations)


def _cell(text: str) -> str:
    return text.replace("|", "/")
