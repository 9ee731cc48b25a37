"""Which files an ingest run reads, and the one name each file is stored under."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ingest.load import SUFFIXES

# A folder's own documentation, by the conventional names that tools and hosts recognise: it
# describes the evidence rather than being evidence. Named on its own, such a file is read.
DOCUMENTATION_NAMES = frozenset(
    {
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "AUTHORS",
        "CHANGELOG",
        "CHANGES",
        "HISTORY",
        "CONTRIBUTING",
        "CODE_OF_CONDUCT",
        "SECURITY",
    }
)


@dataclass(frozen=True)
class SourceFile:
    """A file to read: its resolved path and the source name it is stored under."""

    path: Path
    source: str


@dataclass
class Walked:
    files: list[SourceFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Documentation files found in a folder, left out: their paths and a note for each.
    skipped: list[SourceFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def source_for(path: Path, corpus_dir: Path) -> str:
    """The name a file is stored under, whatever spelling reached it: relative to the corpus
    folder when inside it, else the file's absolute path."""
    path = path.resolve()
    corpus = corpus_dir.resolve()
    return (path.relative_to(corpus) if path.is_relative_to(corpus) else path).as_posix()


def is_documentation(name: str) -> bool:
    """README.md, LICENSE, CHANGELOG.txt and the like, in any case."""
    return PurePosixPath(name).name.split(".", 1)[0].upper() in DOCUMENTATION_NAMES


def walk(paths: Iterable[Path], corpus_dir: Path) -> Walked:
    """Files under the given paths, each once, by source name; missing paths are reported."""
    walked = Walked()
    found: dict[Path, SourceFile] = {}
    skipped: dict[Path, SourceFile] = {}
    for given in paths:
        root = Path(given).expanduser().resolve()
        if not root.exists():
            walked.missing.append(f"{given}: no such file or folder")
            continue
        if root.is_file():
            found.setdefault(root, SourceFile(root, source_for(root, corpus_dir)))
            continue
        for file in sorted(root.rglob("*")):
            rel = file.relative_to(root)
            # Hidden files and folders (.git, a corpus's .source) are not evidence.
            if any(part.startswith(".") for part in rel.parts) or not file.is_file():
                continue
            if file.suffix.lower() not in SUFFIXES:
                continue
            real = file.resolve()  # a link and its target are one file
            entry = SourceFile(real, source_for(real, corpus_dir))
            if is_documentation(file.name):
                skipped.setdefault(real, entry)
            else:
                found.setdefault(real, entry)
    # A documentation file also named on its own is read: the operator asked for it.
    for path, entry in sorted(skipped.items(), key=lambda item: item[1].source):
        if path not in found:
            walked.skipped.append(entry)
            walked.notes.append(
                f"{entry.source}: skipped, a folder's documentation file is not evidence "
                "(name the file itself to ingest it)"
            )
    walked.files = sorted(found.values(), key=lambda f: f.source)
    return walked
