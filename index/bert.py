"""A BERT sentence encoder in plain torch, for sentence-transformers folders that are BERT + mean pooling.

Same weights, same tokenizer and the same arithmetic as sentence-transformers (checked in the tests to agree to
float error), without importing sentence-transformers, transformers and scikit-learn: that import is most of a
cold start. Folders of any other shape are loaded with sentence-transformers instead (`index.embedder`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np


def is_plain_bert(path: Path) -> bool:
    """Whether the folder is a BERT encoder with mean pooling (and optional normalization) and nothing else."""
    try:
        config = json.loads((path / "config.json").read_text())
        modules = json.loads((path / "modules.json").read_text())
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling_dir = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        pooling = json.loads((path / pooling_dir / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and kinds in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])
        and modes == {"pooling_mode_mean_tokens"}
        and (path / "model.safetensors").is_file()
        and (path / "tokenizer.json").is_file()
    )


def bert_shape(path: Path) -> tuple[int, int]:
    """The embedding dimension and the longest input (word pieces) of a plain BERT folder, read from its config."""
    config = json.loads((path / "config.json").read_text())
    st_config = path / "sentence_bert_config.json"
    max_seq = json.loads(st_config.read_text()).get("max_seq_length") if st_config.is_file() else None
    return int(config["hidden_size"]), int(max_seq or config["max_position_embeddings"])


class BertEncoder:
    """Mean-pooled, unit-length BERT embeddings of texts (truncated to the model's max_seq_length)."""

    def __init__(self, path: Path):
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text())
        self.dimension, self.max_seq_length = bert_shape(path)
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(path / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w: dict[str, Any] = {k.removeprefix(prefix): v.float() for k, v in weights.items()}
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
        self._torch = torch

    def encode(self, texts: list[str]) -> Any:
        """A (len(texts), dimension) float tensor of unit vectors."""
        torch = self._torch
        functional = torch.nn.functional
        w = self.w
        encoded = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encoded], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in encoded], dtype=torch.long)
        types = torch.tensor([e.type_ids for e in encoded], dtype=torch.long)
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        keep = mask.bool()[:, None, None, :]  # attend to real tokens only
        head_dim = self.dimension // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            q, k, v = (
                self._linear(x, p + f"attention.self.{name}").view(batch, length, self.heads, head_dim).transpose(1, 2)
                for name in ("query", "key", "value")
            )
            attended = functional.scaled_dot_product_attention(q, k, v, keep)
            attended = attended.transpose(1, 2).reshape(batch, length, self.dimension)
            x = self._norm(self._linear(attended, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            hidden = functional.gelu(self._linear(x, p + "intermediate.dense"))
            x = self._norm(self._linear(hidden, p + "output.dense") + x, p + "output.LayerNorm")
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return functional.normalize(pooled.float(), p=2, dim=1)

    def _linear(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def _norm(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.layer_norm(
            x, (self.dimension,), self.w[name + ".weight"], self.w[name + ".bias"], self.eps
        )


class NumpyBertEncoder:
    """The same encoder in numpy, for a question's few short texts: no torch import, which is most of a cold
    `assistant ask`. It agrees with `BertEncoder` to float error (checked in the tests)."""

    def __init__(self, path: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text())
        self.dimension, self.max_seq_length = bert_shape(path)
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(path / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w = {k.removeprefix(prefix): v.astype(np.float32, copy=False) for k, v in weights.items()}
        # Each linear layer's weight stored transposed, (in, out) and contiguous, once: OpenBLAS multiplies a
        # question's few rows by it about a quarter faster than by the (out, in) weight read transposed.
        for name in [k for k, v in self.w.items() if v.ndim == 2 and k.startswith("encoder.")]:
            self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

    def encode(self, texts: list[str]) -> np.ndarray:
        """A (len(texts), dimension) float32 array of unit vectors (numpy's BLAS on one thread: these products are
        too small to share, and on a busy machine waiting for a second thread costs more than the work)."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        w = self.w
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        blocked = np.where(mask[:, None, None, :] > 0, 0.0, -np.inf).astype(np.float32)  # attend to real tokens
        head_dim = self.dimension // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (
                self._linear(x, p + f"attention.self.{name}")
                .reshape(batch, length, self.heads, head_dim)
                .transpose(0, 2, 1, 3)
                for name in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 1, 3, 2) * scale + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attended = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(batch, length, self.dimension)
            x = self._norm(self._linear(attended, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            hidden = _gelu(self._linear(x, p + "intermediate.dense"))
            x = self._norm(self._linear(hidden, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)  # type: ignore[no-any-return]

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # as one 2-D product with the weight stored transposed at load (see __init__)
        flat = x.reshape(-1, x.shape[-1]) @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], -1)  # type: ignore[no-any-return]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]  # type: ignore[no-any-return]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Φ(x), with erf to within 1.2e-7 (Numerical Recipes' erfc)."""
    z = np.abs(x) * np.float32(1 / np.sqrt(2.0))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (
        -z * z
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t * (0.27886187 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))
                    )
                )
            )
        )
    )
    erfc = t * np.exp(poly)
    erf = np.where(x >= 0, 1.0 - erfc, erfc - 1.0)
    return (x * 0.5 * (1.0 + erf)).astype(np.float32)  # type: ignore[no-any-return]
