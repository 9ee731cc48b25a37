"""Judgement: what the retrieved evidence answers, decided before anything is composed."""
