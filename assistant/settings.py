"""One settings object for every knob, read from ASSISTANT_* environment variables and an optional TOML file.

Precedence: command-line flags, then environment, then the TOML file (`--config FILE`, or `assistant.toml` in the
working directory), then the defaults below. Built once at the edge (CLI, app start) and passed down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from assistant.answer import AnswerConfig
from assistant.errors import ConfigError
from assistant.retrieve import RetrievalConfig
from corpus.chunking import ChunkingConfig
from index.config import DEFAULT_MODEL, IndexConfig

DEFAULT_CONFIG_FILE = Path("assistant.toml")


class Settings(BaseSettings):
    """Every setting, with its environment variable ASSISTANT_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", validate_default=True)

    # index
    index_dir: Path = Field(Path("index/data"), description="Index directory (git-ignored).")
    chroma_url: str | None = Field(None, description="Chroma server URL; unset = embedded store in index_dir.")
    collection: str = Field("chunks", description="Chroma collection name.")
    embedding_model: str = Field(DEFAULT_MODEL, description="Bundled model package name or a model directory.")
    bf16: Literal["auto", "on", "off"] = Field("auto", description="bf16 autocast for embeddings.")
    batch_size: int = Field(32, ge=1, le=1024, description="Texts embedded per batch.")
    max_file_mb: float = Field(50, gt=0, description="Largest file accepted for ingest, in MB.")
    # chunking
    chunk_tokens: int = Field(200, ge=32, le=254, description="Largest chunk, in model word pieces.")
    overlap_tokens: int = Field(32, ge=0, le=128, description="Overlap between consecutive chunks, in word pieces.")

    # retrieval
    retrieval_mode: Literal["hybrid", "dense", "keyword"] = Field("hybrid", description="Which retrievers to use.")
    candidates: int = Field(30, ge=1, le=500, description="Candidates from each retriever before fusion.")
    authority: bool = Field(True, description="Break near-ties in favour of policies, laws and rulings.")
    # answering
    passages: int = Field(8, ge=1, le=50, description="Top passages whose sentences are considered.")
    max_sentences: int = Field(4, ge=1, le=8, description="Most sentences quoted in an answer.")
    max_chars: int = Field(600, ge=100, le=3000, description="Longest answer body in characters.")
    abstain_below: float = Field(
        AnswerConfig.model_fields["abstain_below"].default,
        ge=0,
        le=1,
        description="Abstain when the best sentence scores below this; calibrated with `assistant eval --calibrate`.",
    )

    # chat UI
    ui_users: str | None = Field(None, description='Logins for the chat UI, "name:password,name2:password2".')
    ui_users_file: Path | None = Field(None, description="A file of name:password lines for the chat UI.")
    max_upload_mb: float = Field(25, gt=0, description="Largest file the chat UI accepts for upload, in MB.")

    def ui_logins(self) -> list[tuple[str, str]]:
        """The (name, password) pairs that may log in to the chat UI; empty means no login."""
        lines = (self.ui_users or "").split(",")
        if self.ui_users_file:
            try:
                lines += self.ui_users_file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ConfigError(f"Cannot read the UI users file {self.ui_users_file}: {exc.strerror or exc}") from exc
        logins = []
        for line in (item.strip() for item in lines):
            if not line or line.startswith("#"):
                continue
            name, sep, password = line.partition(":")
            if not sep or not name or not password:
                raise ConfigError(f"UI login {line.split(':')[0]!r} is not name:password")
            logins.append((name.strip(), password.strip()))
        return logins

    def retrieval_config(self) -> RetrievalConfig:
        return RetrievalConfig(mode=self.retrieval_mode, candidates=self.candidates, authority=self.authority)

    def answer_config(self) -> AnswerConfig:
        return AnswerConfig(
            passages=self.passages,
            max_sentences=self.max_sentences,
            max_chars=self.max_chars,
            abstain_below=self.abstain_below,
        )

    def index_config(self) -> IndexConfig:
        return IndexConfig(
            dir=self.index_dir,
            chroma_url=self.chroma_url or None,
            collection=self.collection,
            embedding_model=self.embedding_model,
            bf16=self.bf16,
            batch_size=self.batch_size,
            max_file_mb=self.max_file_mb,
        )

    def chunking_config(self) -> ChunkingConfig:
        return ChunkingConfig(chunk_tokens=self.chunk_tokens, overlap_tokens=self.overlap_tokens)


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Settings from flags (None = not given), the environment and the TOML file, validated."""
    path = config_file
    if path is None and DEFAULT_CONFIG_FILE.is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None and not path.is_file():
        raise ConfigError(f"Settings file {path} does not exist")

    class _Settings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            file_source = (TomlConfigSettingsSource(settings_cls, toml_file=path),) if path else ()
            return (init_settings, env_settings, *file_source)

    try:
        return _Settings(**{k: v for k, v in flags.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"Invalid settings: {problems}") from exc
