"""The BM25 index built from term counts scores every term in every chunk exactly as bm25s's own
index built from the chunks' token lists does, so lexical rankings are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np

from assistant.answer import Assistant
from assistant.retrieval.bm25 import TermCounts
from assistant.terms import terms

DEV = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "dev.jsonl"


def _theirs(docs: list[list[str]]) -> bm25s.BM25:
    bm25 = bm25s.BM25()
    bm25.index(docs, show_progress=False)
    return bm25


def _ours(docs: list[list[str]]) -> bm25s.BM25:
    counts = TermCounts()
    for doc in docs:
        counts.add(doc)
    return counts.index()


def test_repeated_terms_and_an_empty_chunk_score_as_bm25s_scores_them() -> None:
    docs = [["fire", "fire", "police"], [], ["ambulance"], ["police", "fire", "drone", "drone"]]
    ours, theirs = _ours(docs), _theirs(docs)
    for term in ("fire", "police", "ambulance", "drone"):
        assert np.array_equal(ours.get_scores([term]), theirs.get_scores([term])), term
    assert ours.scores["data"].dtype == theirs.scores["data"].dtype
    assert ours.scores["indices"].dtype == theirs.scores["indices"].dtype


def test_the_corpus_index_ranks_every_term_and_question_as_bm25s_does(
    corpus_assistant: Assistant,
) -> None:
    index = corpus_assistant.retriever.index
    docs = [terms(f"{c.title} {c.section or ''} {c.text}") for c in index.chunks]
    theirs = _theirs(docs)
    assert index.n == len(docs) and len(index.df) == len(theirs.vocab_dict) - 1  # less ""
    for term in index.df:
        assert np.array_equal(index.bm25.get_scores([term]), theirs.get_scores([term])), term
    questions = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line]
    for question in questions:
        known = [t for t in index.query_terms(question) if t in index.df]
        if not known:
            continue
        assert np.array_equal(index.bm25.get_scores(known), theirs.get_scores(known)), question
        ours_ids, ours_scores = index.bm25.retrieve([known], k=20, show_progress=False)
        their_ids, their_scores = theirs.retrieve([known], k=20, show_progress=False)
        assert np.array_equal(ours_ids, their_ids) and np.array_equal(ours_scores, their_scores)
