"""The ONNX query encoder: the same vectors as the torch model, from an export made locally."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ModelUnavailable
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.onnx_model import OnnxEncoder, export_dir
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# A long text checks truncation at the model's 256 word pieces, the same in both.
LONG = " ".join(["Fire and rescue services share control rooms with police forces."] * 60)


@pytest.fixture(scope="module")
def questions() -> list[str]:
    lines = (ROOT / "evals" / "datasets" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] + [LONG, "fire"]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_fp32_export_gives_the_torch_vectors(embedder: Embedder, questions: list[str]) -> None:
    onnx = OnnxEncoder(embedder.folder, Settings().models_dir, "onnx")
    cosine = _cosines(onnx.encode(questions), embedder.embed_array(questions))
    assert cosine.min() >= 0.999


def test_int8_export_stays_close_to_the_torch_vectors(
    embedder: Embedder, questions: list[str]
) -> None:
    int8 = OnnxEncoder(embedder.folder, Settings().models_dir, "onnx-int8")
    cosine = _cosines(int8.encode(questions), embedder.embed_array(questions))
    # Per-channel int8 measured 0.991 at worst on the dev questions and 0.977 on the one word
    # "fire" (short texts suffer most); per-tensor scales fell to 0.94 on the questions.
    assert cosine.min() >= 0.97
    assert cosine.mean() >= 0.99


def test_a_batch_of_questions_gives_each_its_own_vector(
    embedder: Embedder, questions: list[str]
) -> None:
    onnx = OnnxEncoder(embedder.folder, Settings().models_dir, "onnx")
    together = onnx.encode(questions[:8])
    alone = np.stack([onnx.encode([q])[0] for q in questions[:8]])
    assert _cosines(together, alone).min() >= 0.9999


def test_two_texts_encoded_side_by_side_get_the_vectors_each_gets_alone(
    questions: list[str],
) -> None:
    embedder = make_embedder(Settings(query_backend="onnx"))
    pairs = list(zip(questions[0:20:2], questions[1:20:2], strict=True))
    alone = [[embedder.embed_query(a), embedder.embed_query(b)] for a, b in pairs]
    assert embedder.queries is not None and embedder.queries.loaded
    assert [embedder.embed_each([a, b]) for a, b in pairs] == alone  # exactly, not nearly


def test_settings_choose_the_query_backend(embedder: Embedder) -> None:
    by_torch = make_embedder(Settings(query_backend="torch"))
    assert by_torch.queries is None
    by_onnx = make_embedder(Settings(query_backend="onnx"))
    assert isinstance(by_onnx.queries, OnnxEncoder) and by_onnx.queries.backend == "onnx"
    question = "What is the duty to collaborate?"
    assert np.dot(by_onnx.embed_query(question), embedder.embed([question])[0]) >= 0.999


def test_changed_weights_get_a_new_export(embedder: Embedder, tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(embedder.folder, copy)
    before = export_dir(copy, tmp_path / "models")
    (copy / "config.json").write_text((copy / "config.json").read_text() + "\n")
    assert export_dir(copy, tmp_path / "models") != before
    assert export_dir(embedder.folder, tmp_path / "models") != before


def test_a_model_without_a_fast_tokenizer_says_how_to_go_on(tmp_path: Path) -> None:
    encoder = OnnxEncoder(tmp_path, tmp_path / "models", "onnx")
    with pytest.raises(ModelUnavailable, match="BLUELIGHT_QUERY_BACKEND=torch"):
        encoder.encode(["a question"])


def test_an_export_that_cannot_be_written_says_how_to_go_on(
    embedder: Embedder, tmp_path: Path
) -> None:
    blocked = tmp_path / "models"
    blocked.write_text("a file where the models folder should be")
    encoder = OnnxEncoder(embedder.folder, blocked, "onnx")
    with pytest.raises(ModelUnavailable, match="BLUELIGHT_QUERY_BACKEND=torch"):
        encoder.encode(["a question"])
