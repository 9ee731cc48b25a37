"""The engine holds no word of the shipped corpus: a word of the corpus that a general English word
list lacks ("mait", "escwg") may appear in the corpus's profile, never in assistant/ or api/ code
(string literals and comments)."""

from __future__ import annotations

import io
import json
import re
import tokenize
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The corpus in its source form: the Markdown reports, the records and the seed paper.
CORPUS_SOURCE = ROOT / "corpus" / ".source"
CODE = ("assistant", "api")
# symspellpy's list, as assistant/question/spelling.py reads it
ENGLISH = "frequency_dictionary_en_82_765.txt"
_WORD = re.compile(r"[a-z]+")
# Words the corpus uses that say nothing of its domain: the project's own name (in the reports'
# footers), a file format, a prefix.
NOT_DOMAIN = {"bluelight", "jsonl", "intra"}
# Addresses in the reports' source lists are not words of the domain.
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
# Shorter words are too often abbreviations of anything ("ms", "id") to say a corpus is named.
MIN_LETTERS = 3


def english() -> set[str]:
    text = resources.files("symspellpy").joinpath(ENGLISH).read_text(encoding="utf-8")
    return {line.split(" ", 1)[0] for line in text.splitlines() if line}


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LETTERS}


def corpus_words() -> set[str]:
    """Words of the shipped corpus that the English list lacks."""
    found: set[str] = set()
    for path in sorted(CORPUS_SOURCE.rglob("*")):
        # The folder's README describes the corpus; it is not evidence (ingest skips it too).
        if not path.is_file() or path.stem == "README":
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":  # the records' values, not their field names
            text = " ".join(_values(json.loads(line)) for line in text.splitlines() if line)
        if path.suffix in (".md", ".jsonl", ".txt"):
            found |= words(_URL.sub(" ", text))
    return found - english() - NOT_DOMAIN


def _values(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(_values(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_values(v) for v in value)
    return "" if value is None else str(value)


def code_text(path: Path) -> str:
    """The string literals and comments of one Python file."""
    pieces = []
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT) or (
            token.type == getattr(tokenize, "FSTRING_MIDDLE", -1)
        ):
            pieces.append(token.string)
    return "\n".join(pieces)


def found_in_code(vocabulary: set[str]) -> dict[str, list[str]]:
    """Each code file that holds corpus words, with the words."""
    out: dict[str, list[str]] = {}
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            if hits := sorted(words(code_text(path)) & vocabulary):
                out[path.relative_to(ROOT).as_posix()] = hits
    return out


def test_the_check_knows_the_corpus_words_and_finds_them_in_code(tmp_path: Path) -> None:
    vocabulary = corpus_words()
    assert {"mait", "escwg"} <= vocabulary
    assert not {"police", "collaboration", "the"} & vocabulary
    sample = tmp_path / "sample.py"
    sample.write_text('# about MAIT\nx = "ESCWG"\nmait = 1\n', encoding="utf-8")
    assert words(code_text(sample)) & vocabulary == {"mait", "escwg"}


def test_no_corpus_word_in_engine_code() -> None:
    assert found_in_code(corpus_words()) == {}
