"""The HTTP edge of bluelight: FastAPI routes over the assistant, the store and uploads."""
