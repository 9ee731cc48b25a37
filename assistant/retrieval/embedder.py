"""The embedding model: all-MiniLM-L6-v2 loaded from the installed package that carries it.

Chunks are embedded by sentence-transformers (torch), in batches; questions by the query backend
the settings name: the model's ONNX export through onnxruntime
(assistant/retrieval/onnx_model.py), or torch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import ModelUnavailable
from assistant.retrieval.model_files import model_folder
from assistant.settings import MODEL_MAX_TOKENS, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.retrieval.onnx_model import OnnxEncoder

DEVICES = ("cpu", "cuda", "cuda:N", "mps")
_DEVICE = re.compile(r"^(cpu|mps|cuda(:\d+)?)$")


def check_device(device: str) -> None:
    """Fail in words, before any model loads, when `device` cannot run the model here."""
    if device == "cpu":
        return
    fix = "set BLUELIGHT_DEVICE=cpu (or pass --device cpu to bluelight ingest)"
    if not _DEVICE.match(device):
        raise ModelUnavailable(
            f"unknown embedding device {device!r}; use one of {', '.join(DEVICES)}"
        )
    import torch

    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            why = (
                f"this torch build ({torch.__version__}) has no CUDA support"
                if torch.version.cuda is None
                else "no CUDA GPU is visible to this process"
            )
            raise ModelUnavailable(
                f"embedding device {device!r} is not available: {why}; {fix}, "
                "or install a CUDA build of torch on a machine with an NVIDIA GPU"
            )
        index = int(device.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise ModelUnavailable(
                f"embedding device {device!r} is not available: this machine has "
                f"{torch.cuda.device_count()} CUDA device(s); name one of cuda:0.."
                f"cuda:{torch.cuda.device_count() - 1}, or {fix}"
            )
    elif device == "mps" and not torch.backends.mps.is_available():
        raise ModelUnavailable(f"embedding device 'mps' is not available here; {fix}")


class Embedder:
    """Embeds texts with normalised vectors; the model is loaded on first use, never at import.

    `queries`, when given, embeds questions (embed_query, embed_queries) in place of torch.
    """

    def __init__(
        self,
        folder: Path,
        device: str = "cpu",
        batch_size: int = 64,
        queries: OnnxEncoder | None = None,
    ) -> None:
        self.folder = folder
        self.device = device
        self.batch_size = batch_size
        self.queries = queries

    @cached_property
    def model(self) -> SentenceTransformer:
        check_device(self.device)
        # The model lives on disk; never let the hub client reach for the network.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(self.folder), device=self.device)
        model.max_seq_length = MODEL_MAX_TOKENS
        return model

    @cached_property
    def tokenizer(self) -> Any:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(self.folder))
        # Counting long texts is how the chunker finds where to cut; it is not a model input.
        tokenizer.model_max_length = 1_000_000
        return tokenizer

    @property
    def loaded(self) -> bool:
        """Whether the model that embeds questions is in memory."""
        if self.queries is not None:
            return self.queries.loaded
        return "model" in self.__dict__

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        ids = self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(i) for i in ids]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_array(texts).tolist()
        return vectors

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised vectors as one float32 array (rows in the order of `texts`).

        Ingest keeps vectors in this form up to the store: as Python lists of floats a large
        document's vectors would take about eight times the memory.
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        """Questions' vectors, from the query backend (torch when none is set)."""
        if self.queries is None or not texts:
            return self.embed(texts)
        vectors: list[list[float]] = self.queries.encode(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_each(self, texts: Sequence[str]) -> list[list[float]]:
        """Each text's vector exactly as embed_query gives it (never padded to another's length).
        The ONNX backend encodes two side by side: each run takes one core and lets go of the
        GIL, so a question and what it asks of its names cost about one encoding, not two."""
        if self.queries is None or len(texts) != 2 or not self.queries.loaded:
            return [self.embed_query(t) for t in texts]
        other = self._pool.submit(self.embed_query, texts[1])
        return [self.embed_query(texts[0]), other.result()]

    @cached_property
    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="bluelight-embed")


def make_embedder(settings: Settings) -> Embedder:
    """Build the embedder the settings name; the weights load lazily on first embed."""
    check_device(settings.device)
    folder = model_folder(settings.model)
    queries = None
    if settings.query_backend != "torch":
        from assistant.retrieval.onnx_model import OnnxEncoder

        queries = OnnxEncoder(folder, settings.models_dir, settings.query_backend)
    return Embedder(folder, settings.device, settings.embed_batch_size, queries)
