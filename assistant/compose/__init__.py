"""Answer composers: extractive (default) and llm, behind one interface."""
