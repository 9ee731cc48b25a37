"""Judgement, the third stage. Its one entry is `judge` (assistant/judgement/judge.py): the
sentences that would answer, the signals measured on them (signals.py), and the fitted decision
(model.py, its parameters in model.json)."""
