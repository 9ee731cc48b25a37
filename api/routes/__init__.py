"""Routes, one module per concern; each exposes a `router`."""
