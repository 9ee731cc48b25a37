"""The assistant's code and the question generator share no phrasing.

When a phrasing list in `assistant/` holds the generator's templates, the generated sets measure
the code's memory of the generator instead of how it reads questions. This test reads the string
literals (regexes included, docstrings not) of both trees with `ast` and fails on any phrase of
three words, or any listed word, found in both.

A three-word phrase counts unless every word is a function word or from a closed class of
general vocabulary (STOP: month names, magnitudes): "of the and" or "january february march"
says nothing about a template, "you are dan" does. Identifiers (`out_of_remit`) are one word.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from evals.generate.gazetteer import COUNTY_SHORT

ROOT = Path(__file__).resolve().parents[2]
ASSISTANT = ROOT / "assistant"
GENERATOR = ROOT / "evals" / "generate"
N = 3

# English function words: articles, pronouns, prepositions, conjunctions, auxiliaries,
# question words and a few quantifiers.
_STOP_WORDS = """
a an the this that these those it its they them their there here he she his her we our you
your i me my of in on at by for from to into onto over under with without about as than then
and or but nor not no so if is are was were be been being am do does did done has have had
will would can could shall should may might must what which who whom whose when where why how
any all each every some much many more most other such only also just very s t
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
hundred thousand million billion m bn k £
"""
STOP = frozenset(_STOP_WORDS.split())
# Words too particular to the generator's templates to be anywhere in the assistant: its
# openings and persona, the everyday abbreviations its officer twins inject, and the county
# short forms of its gazetteer.
LISTED = frozenset(
    {"dan", "quick", "sorry", "plot", "govt", "dept", "yr", "yrs", "approx", "ppl", "cttee"}
    | {"stn", "stns", "ambo", "orgs", "weds", "thurs", "tmrw"}
    | {short.lower() for short in COUNTY_SHORT.values()}
)

# Regex syntax that is not words: escapes (\b, \s, \d), character classes, group flags, named
# groups, repeats.
_SYNTAX = re.compile(r"\\[a-zA-Z]|\[[^\]]*\]|\(\?[:!=imsx]+|\(\?<?[!=]|\(\?P<\w+>|\{\d*,?\d*\}")
_WORD = re.compile(r"[a-z0-9_£]+(?:'[a-z]+)?")

Where = tuple[str, int]


def literals(tree: Path) -> list[tuple[str, Where]]:
    """Every string literal in the tree's Python files, with file and line; docstrings left out."""
    out = []
    for path in sorted(tree.rglob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(node.body[0].value)
            for node in ast.walk(module)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(module):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
            ):
                out.append((node.value, (path.relative_to(ROOT).as_posix(), node.lineno)))
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(_SYNTAX.sub(" ", text).lower())


def phrases(tree: Path) -> dict[str, set[Where]]:
    """Each counted three-word phrase and listed word of the tree, with where it stands."""
    found: dict[str, set[Where]] = defaultdict(set)
    for text, where in literals(tree):
        tokens = words(text)
        for i in range(len(tokens) - N + 1):
            gram = tokens[i : i + N]
            if not all(w in STOP for w in gram):
                found[" ".join(gram)].add(where)
        for token in tokens:
            if token in LISTED:
                found[token].add(where)
    return found


def test_the_function_word_rule_and_regex_syntax() -> None:
    assert words(r"\byou are (dan|now dan)\b") == ["you", "are", "dan", "now", "dan"]
    assert words(r"(?:what|which)\s+(?P<b>\w{3,}s)\b[A-Z]x") == ["what", "which", "s", "x"]
    assert words("out_of_remit") == ["out_of_remit"]
    assert all(w in STOP for w in ["of", "the", "and"])


def test_the_assistant_and_the_generator_share_no_phrasing() -> None:
    ours, theirs = phrases(ASSISTANT), phrases(GENERATOR)
    shared = sorted(set(ours) & set(theirs))
    lines = [
        f"{phrase!r}: assistant {_at(ours[phrase])}; generator {_at(theirs[phrase])}"
        for phrase in shared
    ]
    assert not shared, f"{len(shared)} phrases in both assistant/ and evals/generate/:\n" + (
        "\n".join(lines)
    )


def _at(places: set[Where]) -> str:
    shown = sorted(places)
    more = f" (+{len(shown) - 3})" if len(shown) > 3 else ""
    return ", ".join(f"{f}:{n}" for f, n in shown[:3]) + more
