"""Retrieval, the second stage. Its one entry is `Retriever.retrieve`
(assistant/retrieval/retrieve.py): dense (embedder.py, onnx_model.py) and lexical (lexical.py)
search over the store (store.py) through the in-memory indexes of one snapshot of it (index.py,
facets.py), and the quotable units of the passages found (sentences.py)."""
