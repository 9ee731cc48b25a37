"""Retrieval: the store, its indexes, and the passages and sentences found for a question."""
