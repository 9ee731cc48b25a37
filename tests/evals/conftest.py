"""A real API server over the corpus store for the eval tests (the chat model is `llama_server`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from api.launch import start_api
from assistant.settings import Settings

# Variables that would point the server at a developer's own services.
_FOREIGN_ENV = ("BLUELIGHT_API_KEY", "BLUELIGHT_LLM_BASE_URL", "BLUELIGHT_CHROMA_HOST")


@pytest.fixture(scope="session")
def api_url(corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`uvicorn api.app:create_app --factory` on a free loopback port, over the corpus store."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_ENV}
    env |= {
        "BLUELIGHT_DATA_DIR": str(corpus_settings.data_dir),
        "BLUELIGHT_CORPUS_DIR": str(corpus_settings.corpus_dir),
    }
    api = start_api(env, tmp_path_factory.mktemp("eval-api") / "server.log")
    yield api.url
    api.stop()
