"""Weights, thresholds and limits of the judgement and the extractive answer, each with how it
was set.

"tune split" means: set by `python -m evals.tune` on the generated tune split
(evals/datasets/generated-tune.jsonl), which questions from the shipped store's own
sentences, rows and records and near-misses built from them; never on the dev set, the test split
or the second corpus, which only report. "Tune splits of both wordings" means the same command
over its default sets: that split, its officers'-wording twin and the officer set's tune split.
"""

from __future__ import annotations

# Passages whose sentences are read as evidence (tune split: more adds near-misses, fewer loses
# the second source of two-part questions).
READ_PASSAGES = 6
# Passages read besides them: those whose sentences come nearest what the question asks of the
# names it pins, among the passages that hold a name (tune splits of both wordings, against none:
# retrieval is not re-run by python -m evals.tune).
FOCUS_PASSAGES = 2

# Relevance of a sentence = W_SIMILARITY * cosine to the question + W_TERMS * idf-weighted share
# of the question's terms in it + W_CONTEXT * share found only in its heading + W_RANK / rank of
# its passage (tune split: the weights that best separate the sentence holding the asked fact).
W_SIMILARITY = 1.0
W_TERMS = 0.6
W_CONTEXT = 0.25
W_RANK = 0.05
# A sentence in a passage holding a name the question pins is as close as W_FOCUS times its
# closeness to what is asked of the name (the question without it), when that is more: a
# name's long form otherwise fills the question's vector (tune splits of both wordings).
W_FOCUS = 1.0
# In a two-part question, each part adds its own words' share times this (tune split).
W_PART = 0.2
# Record fields ("Status: operational.") count for this share of their relevance (tune split).
FIELD_WEIGHT = 1.0
# A record field gains W_ASKED times how far its label's closeness to what the question asks of
# the record passes ASKED_FLOOR, and loses as much below it: "who is in charge" takes the field
# naming who leads, "which part of the country" the one naming its area (tune splits of both
# wordings; python -m evals.tune). The floor is no lower than 0, unrelated: below it every field
# would gain over prose whatever is asked, which is FIELD_WEIGHT's part.
W_ASKED = 0.4
ASKED_FLOOR = 0.0
# Records among this many first passages are weighed so (the others' fields count as closeness 0):
# a question about a record finds it first.
ASKED_PASSAGES = 2
# When sentences are ranked, an uploaded one counts this much less, so curated evidence on the
# same point comes first; thresholds read its full relevance, so an upload alone still answers
# (about the spread between the first and second sentence of a typical answer, tune split).
UPLOAD_MARGIN = 0.1

# One part of a several-part question is answered only by a sentence reaching MIN_RELEVANCE; a
# typed part (an amount, a date...) needs a sentence holding such a value that reaches
# MIN_TYPED_RELEVANCE (tune split: the thresholds with fewest wrong answers plus false
# declines). Whether the question as a whole is answered is the fitted model's decision.
MIN_RELEVANCE = 0.75
MIN_TYPED_RELEVANCE = 0.6

# A sentence whose passage mentions a name the question gives is preferred by this much.
W_PINNED = 0.1

# A list or table of the asked things answers a list question when its relevance reaches this
# share of MIN_RELEVANCE (tune split).
LIST_SHARE = 0.8


# Sentences in an answer; list questions get more room (tune split: key facts against length).
MAX_SENTENCES = 4
MAX_SENTENCES_LIST = 6
# Rows of one table a list answer may bring (a table in a report page rarely has more).
MAX_TABLE_ROWS = 10
# A further sentence is kept when it scores at least this share of the best one (tune split).
KEEP_RATIO = 0.5
# Two sentences sharing more than this share of their terms say the same thing.
DUPLICATE_JACCARD = 0.6

# Rows in a project table.
MAX_PROJECT_ROWS = 12
# Without filters, a project row needs this idf-weighted share of the question's terms (tune
# split: the share that keeps the asked projects and drops the merely similar).
PROJECT_ROW_SHARE = 0.5
# A count counts the asked noun when the number stands this many words from it or fewer
# ("115 bids", "bids to the fund: 115"); further off it counts something else.
COUNT_WINDOW = 4
# Words after a number read for the plural it counts: "34 fire service sites" (a number's noun
# phrase rarely runs to more than two modifiers).
NOUN_AFTER = 3
