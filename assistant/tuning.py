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
KEEP_RATIO = 0.35
# In greedy selection, a question term an earlier sentence already covered counts this much (eval).
REPEAT_WEIGHT = 0.85
# Two sentences sharing more than this share of their terms say the same thing.
DUPLICATE_JACCARD = 0.6
# Scope: the idf-weighted share of the question's terms found in the first passages, plus the
# best dense similarity, must reach MIN_SUPPORT (eval: see evals/results for the run that set it).
SCOPE_PASSAGES = 3
MIN_SUPPORT = 1.0
# Rows in a project table.
MAX_PROJECT_ROWS = 12
# Without filters, a project row needs this idf-weighted share of the question's terms (eval).
PROJECT_ROW_SHARE = 0.5
