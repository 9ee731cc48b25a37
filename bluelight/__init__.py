"""The bluelight command line: a thin edge over ingest, the assistant, the API and the evals."""
