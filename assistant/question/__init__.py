"""Understanding the question: its shape, its names and conditions, read against the store."""
