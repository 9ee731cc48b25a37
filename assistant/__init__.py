"""bluelight core: settings, embedder, store, retrieval, answer composition and citations."""
