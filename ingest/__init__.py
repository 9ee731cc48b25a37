"""Reading files into chunks with metadata, and the ingest run that writes them to the store.

The public entry: `ingest` brings a store in step with files and folders, `write_document` writes
one loaded document (an upload), and `evidence_files` lists the files a run would read.
"""

from __future__ import annotations

from pathlib import Path

from ingest.files import SourceFile, walk
from ingest.report import IngestReport
from ingest.run import ingest, write_document

__all__ = ["IngestReport", "SourceFile", "evidence_files", "ingest", "write_document"]


def evidence_files(paths: list[Path], corpus_dir: Path) -> list[SourceFile]:
    """The files an ingest of `paths` reads, each with the source name it is stored under."""
    return walk(paths, corpus_dir).files
