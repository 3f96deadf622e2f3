"""Embedding benchmark: fp32 against bf16 autocast in the same process — speed, agreement, memory."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass

import numpy as np

from index.embedder import BF16_MIN_COSINE, Embedder, cpu_has_amx


@dataclass
class EmbedBenchResult:
    texts: int
    fp32_seconds: float
    bf16_seconds: float
    min_cosine: float
    mean_cosine: float
    amx: bool
    peak_rss_mb: float

    @property
    def speedup(self) -> float:
        return self.fp32_seconds / self.bf16_seconds

    def lines(self) -> list[str]:
        verdict = "bf16 keeps" if self.min_cosine >= BF16_MIN_COSINE else "bf16 does NOT keep"
        return [
            f"texts embedded        {self.texts}",
            f"CPU has AMX bf16      {'yes' if self.amx else 'no'}",
            f"fp32 (baseline)       {self.fp32_seconds:.2f} s   {self.texts / self.fp32_seconds:.1f} texts/s",
            f"bf16 autocast         {self.bf16_seconds:.2f} s   {self.texts / self.bf16_seconds:.1f} texts/s",
            f"speed ratio bf16/fp32 {self.speedup:.2f}x",
            f"cosine to fp32        min {self.min_cosine:.5f}   mean {self.mean_cosine:.5f}",
            f"verdict               {verdict} cosine >= {BF16_MIN_COSINE} to fp32",
            f"peak RSS              {self.peak_rss_mb:.0f} MB",
        ]


def sample_texts(count: int) -> list[str]:
    """Passages of varied length in the corpus's register (made up here, so the benchmark needs no index)."""
    subjects = ["The police department", "The sheriff's office", "The Trial Court", "A district attorney", "The city"]
    acts = [
        "shares booking records with federal immigration agents",
        "may not hold a person solely on a civil immigration detainer",
        "forwards fingerprints to the state identification system and the FBI",
        "answers requests for release dates only when a judge has signed a warrant",
        "reported the number of detainer requests it received in its annual report",
    ]
    rng = np.random.default_rng(7)
    texts = []
    for i in range(count):
        sentences = int(rng.integers(1, 12))
        texts.append(
            " ".join(f"{subjects[(i + s) % 5]} {acts[(i * s) % 5]} in case {i}-{s}." for s in range(sentences))
        )
    return texts


def run_embed_bench(embedder: Embedder, count: int = 512, repeats: int = 2) -> EmbedBenchResult:
    """Time fp32 and bf16 embedding of the same texts (best of `repeats`) and compare the vectors."""
    texts = sample_texts(count)
    embedder.embed(texts[:16], bf16=False)  # warm-up: model load and first-call overheads
    embedder.embed(texts[:16], bf16=True)
    timings = {}
    vectors = {}
    for mode in (False, True):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            vectors[mode] = embedder.embed(texts, bf16=mode)
            best = min(best, time.perf_counter() - start)
        timings[mode] = best
    cosines = np.sum(vectors[False] * vectors[True], axis=1)
    return EmbedBenchResult(
        texts=count,
        fp32_seconds=timings[False],
        bf16_seconds=timings[True],
        min_cosine=float(cosines.min()),
        mean_cosine=float(cosines.mean()),
        amx=cpu_has_amx(),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
