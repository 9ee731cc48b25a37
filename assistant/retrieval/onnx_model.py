"""Questions embedded at the speed floor: the installed all-MiniLM-L6-v2 exported once to ONNX and
run by onnxruntime, pooled and normalised exactly as sentence-transformers does.

sentence-transformers spends most of a one-question call on per-call work around the model
(resolving the device, walking its modules); the exported graph, with attention fused by
onnxruntime's transformer optimizer, is only the arithmetic (bench/results/latency.md).
The export is made from the installed weights, never from a hub, by scripts/setup or on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ModelUnavailable
from assistant.settings import MODEL_MAX_TOKENS

# The file each ONNX query backend runs. int8: weights quantized per channel (dynamic activations).
FILES = {"onnx": "model.onnx", "onnx-int8": "model-int8.onnx"}
# Part of the export's folder name: bumped whenever the export itself changes.
EXPORT_VERSION = 1
# A question is a few dozen word pieces, too few for intra-op threads to pay; workers scale out.
THREADS = 1
# Traced by the TorchScript exporter (dynamo=False): onnxruntime fuses attention in all 6 of its
# layers and in none of the dynamo exporter's, about a fifth of a query's time when measured.
OPSET = 17


def export_dir(folder: Path, models_dir: Path) -> Path:
    """Where the export of the weights in `folder` lives: named after those files and the versions
    that made it, so changed weights or a new torch or onnxruntime never reuse an old one."""
    files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())
    made_by = [EXPORT_VERSION, version("torch"), version("onnxruntime"), str(folder.resolve())]
    key = hashlib.sha256(json.dumps([made_by, files]).encode()).hexdigest()[:12]
    return models_dir.resolve() / f"onnx-{key}"


def ensure_exported(folder: Path, models_dir: Path) -> Path:
    """The export folder for these weights, exporting first when it is not there yet."""
    target = export_dir(folder, models_dir)
    if not (target / "export.json").exists():
        export(folder, target)
    return target


def export(folder: Path, target: Path) -> None:
    """Export the weights in `folder` to `target`: fp32 with fused attention, and int8 from it.

    Built in a temporary folder beside the target and renamed into place, so a process that
    finds the target finds it whole, and two processes exporting at once cannot mix their files.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        # Eager attention traces to the MatMul/Softmax pattern the optimizer fuses.
        model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
        sample = torch.ones(1, 8, dtype=torch.long)
        axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
        axes |= {"token_type_ids": {0: "batch", 1: "tokens"}}
        axes |= {"last_hidden_state": {0: "batch", 1: "tokens"}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the legacy exporter's deprecation notice
            torch.onnx.export(
                _last_hidden_state(model),
                (sample, sample, torch.zeros_like(sample)),
                str(work / "traced.onnx"),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        config = model.config
        fused = optimize_model(
            str(work / "traced.onnx"),
            model_type="bert",
            num_heads=config.num_attention_heads,
            hidden_size=config.hidden_size,
        )
        fused.save_model_to_file(str(work / FILES["onnx"]))
        quantize_dynamic(
            work / FILES["onnx"],
            work / FILES["onnx-int8"],
            per_channel=True,  # per-tensor scales cost 0.03 in cosine to the torch vectors
            weight_type=QuantType.QInt8,
            # The fused graph's contrib ops defeat shape inference; their tensors are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        (work / "traced.onnx").unlink()
        made = {
            "weights": str(folder),
            "torch": version("torch"),
            "onnxruntime": version("onnxruntime"),
            "export_version": EXPORT_VERSION,
            "fused": {k: v for k, v in fused.get_fused_operator_statistics().items() if v},
        }
        (work / "export.json").write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
        work.chmod(0o755)  # mkdtemp's 0700 would hide the export from a service's own user
        try:
            work.rename(target)
        except OSError:
            if not (target / "export.json").exists():
                raise  # not another process's finished export: a real failure
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _last_hidden_state(model: Any) -> Any:
    """The transformer as a module of plain tensors in, the token vectors out, for tracing."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    return LastHiddenState()


class OnnxEncoder:
    """Texts in, the model's normalised mean-pooled vectors out, through onnxruntime.

    The export is found (or made) and the session built on first use, never at construction.
    """

    def __init__(
        self, folder: Path, models_dir: Path, backend: str = "onnx", threads: int = THREADS
    ) -> None:
        if backend not in FILES:
            raise ValueError(f"unknown ONNX backend {backend!r}; use one of {', '.join(FILES)}")
        self.folder = folder
        self.models_dir = models_dir
        self.backend = backend
        self.threads = threads

    @cached_property
    def tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        path = self.folder / "tokenizer.json"
        if not path.exists():
            raise ModelUnavailable(
                f"{self.folder} has no tokenizer.json for the ONNX query encoder; "
                "set BLUELIGHT_QUERY_BACKEND=torch"
            )
        tokenizer = Tokenizer.from_file(str(path))
        # As sentence-transformers reads: cut at the model's budget, padded to the longest.
        tokenizer.enable_truncation(MODEL_MAX_TOKENS)
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0)
        return tokenizer

    @cached_property
    def session(self) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        try:
            path = ensure_exported(self.folder, self.models_dir) / FILES[self.backend]
            return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except (OSError, ImportError, RuntimeError, ValueError) as exc:
            raise ModelUnavailable(
                f"the ONNX query model could not be made or loaded under {self.models_dir} "
                f"({type(exc).__name__}: {exc}); run scripts/setup, point BLUELIGHT_MODELS_DIR "
                "at a writable folder, or set BLUELIGHT_QUERY_BACKEND=torch"
            ) from exc

    @property
    def loaded(self) -> bool:
        return "session" in self.__dict__

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per text."""
        encodings = self.tokenizer.encode_batch(list(texts))
        session = self.session
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tokens: np.ndarray = session.run(None, feed)[0]
        # Mean over real tokens, then unit length: sentence-transformers' Pooling and Normalize.
        weights = mask[..., None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def main() -> None:
    """`python -m assistant.retrieval.onnx_model`: make the export the query backend runs."""
    from assistant.retrieval.model_files import model_folder
    from assistant.settings import Settings

    settings = Settings()
    print(ensure_exported(model_folder(settings.model), settings.models_dir))


if __name__ == "__main__":
    main()
