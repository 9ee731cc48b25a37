"""Thresholds and limits of the answer engine, each with the reason for its value.

Values marked "eval" were set from `bluelight eval` on evals/datasets/dev.jsonl; change them only
with a new eval run recorded in evals/results/.
"""

from __future__ import annotations

# Passages the extractive composer reads sentences from (eval: more adds noise, fewer loses facts).
READ_PASSAGES = 6
# Sentences in an extractive answer; list questions get more room (eval).
MAX_SENTENCES = 4
MAX_SENTENCES_LIST = 6
# A sentence is kept when it scores at least this share of the best sentence (eval).
KEEP_RATIO = 0.45
# Two sentences sharing more than this share of their terms say the same thing.
DUPLICATE_JACCARD = 0.6
# Decline when the best passage covers less than this idf-weighted share of the question's
# terms (eval: separates the out-of-scope questions from the in-scope ones on the dev set).
MIN_COVERAGE = 0.5
# ...or when the best dense similarity is below this (eval).
MIN_DENSE = 0.25
# Rows in a project table.
MAX_PROJECT_ROWS = 12
