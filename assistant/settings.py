"""One settings object, nested by layer as paper-qa does: `index`, `chunking`, `retrieval`, `answer`, `translation`,
`ui`, `llm`.

Each layer owns its config model (`IndexConfig` in index/, `ChunkingConfig` in corpus/, `RetrievalConfig` and
`AnswerConfig` in assistant/, `LLMConfig` in assistant/llm.py); this module only combines them. Read from command-line flags, then environment
variables (`ASSISTANT_ANSWER__SEMANTIC_WEIGHT=0.5`, or a shortcut such as `ASSISTANT_CHROMA_URL`), then a TOML file
(`--config FILE`, or `assistant.toml` in the working directory; `[answer]` tables or shortcut keys), then defaults.
Unknown keys are errors everywhere. Built once at the edge (CLI, app start) and passed down.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.answer import AnswerConfig
from assistant.errors import ConfigError
from assistant.llm import LLMConfig
from assistant.retrieve import RetrievalConfig
from assistant.translate import TranslationConfig
from corpus.chunking import ChunkingConfig
from corpus.ocr import OcrConfig
from index.config import IndexConfig

DEFAULT_CONFIG_FILE = Path("assistant.toml")
ENV_PREFIX = "ASSISTANT_"
# Variables of ours that are not settings.
OTHER_VARIABLES = {"ASSISTANT_CONFIG"}


class UIConfig(BaseModel):
    """The chat UI and HTTP API: who may log in, and how much one request may bring."""

    model_config = ConfigDict(extra="forbid")

    users: SecretStr | None = Field(None, description='Logins, "name:password,name2:password2"; unset = no login.')
    users_file: Path | None = Field(None, description="A file of name:password lines.")
    max_upload_mb: float = Field(25, gt=0, description="Largest file accepted for upload, in MB.")
    max_files: int = Field(20, ge=1, le=1000, description="Most files in one upload.")
    requests_per_minute: int = Field(
        60, ge=1, description="Questions and uploads one client address may send per minute before getting 429."
    )
    queue_size: int = Field(64, ge=1, description="Chat requests waiting at most; past it: busy, try again.")
    workers: int = Field(
        4, ge=1, description="Chat requests answered at once; the rest wait in the queue. About one per CPU core."
    )
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted.")


# Flat names for the settings people set most, kept so `ASSISTANT_CHROMA_URL`, `index_dir = ...` in a TOML file and
# the `--index` flag stay short. Every other setting is reached by its nested name.
SHORTCUTS: dict[str, tuple[str, str]] = {
    "index_dir": ("index", "dir"),
    "chroma_url": ("index", "chroma_url"),
    "collection": ("index", "collection"),
    "embedding_model": ("index", "embedding_model"),
    "bf16": ("index", "bf16"),
    "batch_size": ("index", "batch_size"),
    "max_file_mb": ("index", "max_file_mb"),
    "chunk_tokens": ("chunking", "chunk_tokens"),
    "overlap_tokens": ("chunking", "overlap_tokens"),
    "retrieval_mode": ("retrieval", "mode"),
    "candidates": ("retrieval", "candidates"),
    "authority": ("retrieval", "authority"),
    "passages": ("answer", "passages"),
    "max_sentences": ("answer", "max_sentences"),
    "max_chars": ("answer", "max_chars"),
    "abstain_below": ("answer", "abstain_below"),
    "confident_above": ("answer", "confident_above"),
    "ui_users": ("ui", "users"),
    "ui_users_file": ("ui", "users_file"),
    "max_upload_mb": ("ui", "max_upload_mb"),
    "llm": ("llm", "backend"),
    "llm_url": ("llm", "url"),
    "llm_model": ("llm", "model"),
    "llm_key": ("llm", "api_key"),
}


class Settings(BaseSettings):
    """Every setting: `ASSISTANT_<SECTION>__<NAME>` in the environment, `[section]` tables in TOML."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    index: IndexConfig = Field(default_factory=IndexConfig, description="Where the index lives; embedding.")
    chunking: ChunkingConfig = Field(default_factory=ChunkingConfig, description="How documents are cut.")
    ocr: OcrConfig = Field(default_factory=OcrConfig, description="How scanned PDF pages are read (tesseract).")
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig, description="How passages are found.")
    answer: AnswerConfig = Field(default_factory=AnswerConfig, description="How replies are composed.")
    translation: TranslationConfig = Field(
        default_factory=TranslationConfig, description="How Spanish questions are translated (Apertium)."
    )
    ui: UIConfig = Field(default_factory=UIConfig, description="Chat UI and HTTP API.")
    llm: LLMConfig = Field(default_factory=LLMConfig, description="An optional local language model.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _SectionEnvSource(settings_cls), dotenv_settings, file_secret_settings)

    @property
    def index_dir(self) -> Path:
        return self.index.dir

    def with_changes(self, changes: dict[str, Any]) -> Settings:
        """A copy with these changes (nested dicts or shortcut names), validated: a typo'd key is an error."""
        merged = _deep_merge(self.model_dump(), _nest(changes, "change"))
        try:
            return Settings.model_validate(merged)
        except ValidationError as exc:
            raise ConfigError(f"Invalid settings: {_problems(exc)}") from exc

    def ui_logins(self) -> list[tuple[str, str]]:
        """The (name, password) pairs that may log in to the chat UI and API; empty means no login."""
        lines = (self.ui.users.get_secret_value() if self.ui.users else "").split(",")
        if self.ui.users_file:
            try:
                lines += self.ui.users_file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ConfigError(f"Cannot read the UI users file {self.ui.users_file}: {exc.strerror or exc}") from exc
        logins = []
        for line in (item.strip() for item in lines):
            if not line or line.startswith("#"):
                continue
            name, sep, password = line.partition(":")
            if not sep or not name or not password:
                raise ConfigError(f"UI login {line.split(':')[0]!r} is not name:password")
            logins.append((name.strip(), password.strip()))
        return logins

    def public_dump(self) -> dict[str, Any]:
        """Every effective setting, as JSON, with secrets left out (for reports and logs)."""
        dumped = self.model_dump(mode="json")
        dumped["ui"]["users"] = "(set)" if self.ui.users else None
        dumped["llm"]["api_key"] = "(set)" if self.llm.api_key else None
        return dumped

    def fingerprint(self) -> str:
        """A short hash of the settings that shape answers (not where the index is, not logins)."""
        dumped = self.public_dump()
        del dumped["ui"]
        dumped["index"] = {k: v for k, v in dumped["index"].items() if k not in ("dir", "chroma_url")}
        return hashlib.sha256(json.dumps(dumped, sort_keys=True).encode()).hexdigest()[:12]


def _nest(values: dict[str, Any], where: str) -> dict[str, Any]:
    """Shortcut keys turned into nested ones; section keys kept; anything else is reported."""
    nested: dict[str, Any] = {}
    for key, value in values.items():
        # A table is a section ("[llm]"); the same name with a plain value is its shortcut ("llm = 'ollama'").
        if key in Settings.model_fields and isinstance(value, dict):
            nested[key] = _deep_merge(nested.get(key, {}), value)
        elif key in SHORTCUTS:
            section, name = SHORTCUTS[key]
            nested.setdefault(section, {})[name] = value
        else:
            raise ConfigError(f"Unknown setting {key!r} in {where}; known sections: {', '.join(Settings.model_fields)}")
    return nested


def _deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        merged[key] = (
            _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
        )
    return merged


class _DictSource(PydanticBaseSettingsSource):
    """Values already read (a TOML file, shortcut variables) as one settings source."""

    def __init__(self, settings_cls: type[BaseSettings], values: dict[str, Any]):
        super().__init__(settings_cls)
        self.values = values

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return self.values


class _SectionEnvSource(EnvSettingsSource):
    """`ASSISTANT_<SECTION>__<NAME>` variables; a shortcut named like its section (`ASSISTANT_LLM=ollama`) is left
    to `environment_settings`, as it is not that section's JSON."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        shadowing = {(ENV_PREFIX + key).lower() for key in SHORTCUTS if key in Settings.model_fields}
        return {k: v for k, v in super()._load_env_vars().items() if k.lower() not in shadowing}


def environment_settings(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Shortcut variables (`ASSISTANT_CHROMA_URL`) as nested values; any unknown `ASSISTANT_*` name is an error."""
    environ = dict(os.environ) if environ is None else environ
    values: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in OTHER_VARIABLES:
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key in SHORTCUTS:
            section, field = SHORTCUTS[key]
            values.setdefault(section, {})[field] = value
        elif key.split("__")[0] not in Settings.model_fields:
            raise ConfigError(
                f"Unknown setting {name}. Nested settings are ASSISTANT_<SECTION>__<NAME> with a section among "
                f"{', '.join(Settings.model_fields)}; shortcuts: {', '.join('ASSISTANT_' + s.upper() for s in SHORTCUTS)}"
            )
    return values


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Settings from flags (shortcut names; None = not given), the environment and the TOML file, validated."""
    path = config_file
    if path is None and DEFAULT_CONFIG_FILE.is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None and not path.is_file():
        raise ConfigError(f"Settings file {path} does not exist")
    file_values: dict[str, Any] = {}
    if path is not None:
        try:
            file_values = _nest(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Settings file {path} is not valid TOML: {exc}") from exc
    shortcut_env = environment_settings()
    given = _nest({k: v for k, v in flags.items() if v is not None}, "the command line")

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
            return (
                init_settings,
                _SectionEnvSource(settings_cls),
                _DictSource(settings_cls, shortcut_env),
                _DictSource(settings_cls, file_values),
            )

    try:
        built = _Settings(**given)
    except ValidationError as exc:
        raise ConfigError(f"Invalid settings: {_problems(exc)}") from exc
    return Settings.model_validate(built.model_dump())


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
