"""One settings object for every knob, read from ASSISTANT_* environment variables and an optional TOML file.

Precedence: command-line flags, then environment, then the TOML file (`--config FILE`, or `assistant.toml` in the
working directory), then the defaults below. Built once at the edge (CLI, app start) and passed down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from assistant.answer import AnswerConfig
from assistant.errors import ConfigError
from assistant.retrieve import RetrievalConfig
from corpus.chunking import ChunkingConfig
from index.config import IndexConfig

DEFAULT_CONFIG_FILE = Path("assistant.toml")


class Settings(BaseSettings):
    """Every setting, with its environment variable ASSISTANT_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", validate_default=True)

    # Each layer's setting is declared once, in its own config model, and reused here with its default,
    # bounds and description; only the names differ where the layer's name would be ambiguous here.
    # index
    index_dir: Annotated[Path, IndexConfig.model_fields["dir"]]
    chroma_url: Annotated[str | None, IndexConfig.model_fields["chroma_url"]]
    collection: Annotated[str, IndexConfig.model_fields["collection"]]
    embedding_model: Annotated[str, IndexConfig.model_fields["embedding_model"]]
    bf16: Annotated[Literal["auto", "on", "off"], IndexConfig.model_fields["bf16"]]
    batch_size: Annotated[int, IndexConfig.model_fields["batch_size"]]
    max_file_mb: Annotated[float, IndexConfig.model_fields["max_file_mb"]]
    # chunking
    chunk_tokens: Annotated[int, ChunkingConfig.model_fields["chunk_tokens"]]
    overlap_tokens: Annotated[int, ChunkingConfig.model_fields["overlap_tokens"]]
    # retrieval
    retrieval_mode: Annotated[Literal["hybrid", "dense", "keyword"], RetrievalConfig.model_fields["mode"]]
    candidates: Annotated[int, RetrievalConfig.model_fields["candidates"]]
    authority: Annotated[bool, RetrievalConfig.model_fields["authority"]]
    # answering
    passages: Annotated[int, AnswerConfig.model_fields["passages"]]
    max_sentences: Annotated[int, AnswerConfig.model_fields["max_sentences"]]
    max_chars: Annotated[int, AnswerConfig.model_fields["max_chars"]]
    abstain_below: Annotated[float, AnswerConfig.model_fields["abstain_below"]]

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
