"""What an ingest run did, document by document, and its printed form."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestReport:
    """What one run did, document by document (source names; the reasons are in notes)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Files whose content another stored document already holds: not stored a second time.
    duplicates: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks_written: int = 0
    recovered: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        head = (
            f"{verb}added {len(self.added)}, {verb}updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, duplicate {len(self.duplicates)}, "
            f"{verb}removed {len(self.removed)}, failed {len(self.failed)}; "
            f"{self.chunks_written} chunks written"
        )
        lines = [head]
        lines += [f"  failed: {f}" for f in self.failed]
        lines += [f"  note: {n}" for n in self.notes]
        if self.recovered:
            lines.append(f"  recovered {self.recovered} interrupted document write(s)")
        return "\n".join(lines)
