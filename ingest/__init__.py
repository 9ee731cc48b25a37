"""Reading files into chunks with metadata, and the ingest run that writes them to the store."""
