"""Index-layer benchmarks: fp32 against bf16 autocast, what an index embedded, the raw model ceiling, and an
index of stand-in vectors at sizes too large to embed for real."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embedder import BF16_MIN_COSINE, Embedder, cpu_has_amx

if TYPE_CHECKING:
    from index.search import DocumentChunks, SearchIndex


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


@dataclass
class TokenStats:
    """What an index made searchable: chunks, word pieces embedded, and the texts embedded for them."""

    chunks: int
    chunk_word_pieces: int  # word pieces of the chunk texts as embedded (special tokens included)
    truncated_word_pieces: int  # word pieces past the model's window (not searchable by meaning)
    sentences: int
    sentence_word_pieces: int
    texts: list[str]  # chunk texts then sentence texts, as embedded

    @property
    def searchable_share(self) -> float:
        total = self.chunk_word_pieces
        return (total - self.truncated_word_pieces) / total if total else 1.0


def index_token_stats(index: SearchIndex) -> TokenStats:
    """Count what ingest embedded for this index: each chunk's text and each of its headed sentences."""
    from index.sentences import headed_sentences
    from index.store import chunk_from_record

    window = index.embedder.max_tokens
    chunk_texts, sentence_texts = [], []
    for chunk_id, text, meta in index.store.iter_records():
        chunk = chunk_from_record(chunk_id, text, meta)
        chunk_texts.append(chunk.context_text())
        sentence_texts += [t for _, _, t in headed_sentences(chunk)]
    chunk_counts = [index.embedder.count_tokens(t) for t in chunk_texts]
    sentence_counts = [min(index.embedder.count_tokens(t), window) for t in sentence_texts]
    return TokenStats(
        chunks=len(chunk_texts),
        chunk_word_pieces=sum(chunk_counts),
        truncated_word_pieces=sum(max(0, c - window) for c in chunk_counts),
        sentences=len(sentence_texts),
        sentence_word_pieces=sum(sentence_counts),
        texts=chunk_texts + sentence_texts,
    )


def raw_throughput(embedder: Embedder, texts: list[str], bf16: bool) -> dict[str, float]:
    """The model alone (sentence-transformers `encode`, batched by length) on these texts: the ceiling for ingest."""
    window = embedder.max_tokens
    pieces = sum(min(embedder.count_tokens(t), window) for t in texts)
    embedder.embed(texts[:8], bf16=bf16)  # warm-up
    start = time.perf_counter()
    embedder.embed(texts, bf16=bf16)
    seconds = time.perf_counter() - start
    return {"texts": len(texts), "word_pieces": pieces, "seconds": seconds, "word_pieces_per_s": pieces / seconds}


class StandinEmbedder(Embedder):
    """The bundled model's tokenizer and dimension, with cheap stand-in vectors: each text gets a perturbed copy
    of one of a few hundred real embeddings (chosen by a hash of the text), so an index too large to embed for
    real can be built through the real write path. Questions are still embedded by the real model."""

    def __init__(self, bases: np.ndarray, noise: float = 0.03, seed: int = 3):
        super().__init__(bf16="off")
        self.bases = bases
        self.noise = noise
        self.rng = np.random.default_rng(seed)

    def embed(self, texts: list[str], bf16: bool | None = None) -> np.ndarray:
        import zlib

        picks = np.array([zlib.crc32(t.encode()) % len(self.bases) for t in texts], dtype=np.int64)
        vectors = self.bases[picks] + self.rng.normal(0, self.noise, (len(texts), self.bases.shape[1])).astype(
            np.float32
        )
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors


def standin_chunks(texts: list[str], metas: list[dict[str, Any]], first: int) -> list[DocumentChunks]:
    """Chunks (grouped by file) from generated passages and their metadata (file, title, section, doc_type,
    towns, date)."""
    from corpus.models import Chunk, DocumentMeta
    from index.search import DocumentChunks

    documents: dict[str, list[Chunk]] = {}
    for offset, (text, meta) in enumerate(zip(texts, metas, strict=True)):
        file = str(meta["file"])
        chunks = documents.setdefault(file, [])
        sha = f"{first + offset:024d}"
        chunks.append(
            Chunk(
                id=f"{sha}-standin-{len(chunks):05d}",
                doc_sha256=file.rjust(24, "0")[-24:],
                number=len(chunks),
                text=text,
                file=file,
                page=None,
                section=str(meta["section"]),
                block=0,
                start=0,
                end=len(text),
                meta=DocumentMeta(
                    title=str(meta["title"]), doc_type=meta["doc_type"], towns=list(meta["towns"]), date=meta["date"]
                ),
                chunking="standin",
            )
        )
    return [DocumentChunks(chunks) for chunks in documents.values()]


def build_standin_index(
    directory: Path, texts: list[str], metas: list[dict[str, Any]], batch: int = 2000
) -> dict[str, float]:
    """Write generated chunks through the index's own write path (Chroma, keyword segments, sentence vectors)
    with stand-in vectors, timing it, then one more small document the way a later ingest adds it."""
    from index.config import IndexConfig
    from index.search import SearchIndex

    real = Embedder(bf16="off")
    bases = real.embed(sample_texts(256), bf16=False)
    index = SearchIndex(IndexConfig(dir=directory), create=True, embedder=StandinEmbedder(bases))
    start = time.perf_counter()
    for first in range(0, len(texts), batch):
        index.add_documents(standin_chunks(texts[first : first + batch], metas[first : first + batch], first))
    build_seconds = time.perf_counter() - start
    small = [dict(m, file="one-more.md") for m in metas[:5]]
    start = time.perf_counter()
    index.add_documents(standin_chunks(texts[:5], small, len(texts)))
    small_add_ms = (time.perf_counter() - start) * 1000
    size = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    return {
        "chunks": len(texts),
        "build_seconds": build_seconds,
        "chunks_per_s": len(texts) / build_seconds,
        "small_add_ms": small_add_ms,
        "disk_mb": size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
