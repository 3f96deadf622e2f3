"""Shared fixtures: every test runs in its own working directory with no ASSISTANT_* settings leaking in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from index.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def answering_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small index of fictional test documents (plus a 3-page PDF made here), built once per session."""
    import shutil

    from corpus.chunking import ChunkingConfig
    from index.build import ingest
    from index.config import IndexConfig
    from index.search import SearchIndex
    from tests.factories import make_pdf

    docs = tmp_path_factory.mktemp("answering-docs")
    for path in (FIXTURES / "answering").iterdir():
        shutil.copy(path, docs / path.name)
    make_pdf(
        docs / "fictional-audit.pdf",
        [
            "1. Scope\nThis fictional audit of the imaginary Lakeshire jail covers the years 2028 and 2029.",
            "2. Staffing\nThe fictional Lakeshire jail employed ninety guards during the audit period.",
            "3. Findings\nThe fictional auditors found that the Lakeshire jail shared booking photos with a federal "
            "office on 312 occasions.",
        ],
        title="Fictional Lakeshire jail audit",
    )
    (docs / "fictional-audit.pdf.meta.toml").write_text(
        'doc_type = "report"\ndate = "2030-05-05"\npublisher = "Test fixture (fictional)"\n'
        'source_url = "https://example.org/fixtures/audit"\nsummary_of = "Nothing real"\n'
    )
    directory = tmp_path_factory.mktemp("answering-index")
    report = ingest(
        SearchIndex(IndexConfig(dir=directory), create=True), [docs], chunking=ChunkingConfig(), progress=False
    )
    assert report.count("failed") == 0, report.as_json()
    return directory


def fixture_settings(index: Path, **answer: float):  # type: ignore[no-untyped-def]
    """Settings for the fixture index: the shipped calibration (fitted on the dev set, never on these fixtures)
    unless told otherwise."""
    from assistant.settings import Settings

    return Settings.model_validate({"index": {"dir": index}, "answer": answer})


@pytest.fixture(scope="session")
def fixture_service(answering_index: Path):  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService

    return AssistantService(fixture_settings(answering_index))


@pytest.fixture(scope="session")
def fixture_assistant(fixture_service):  # type: ignore[no-untyped-def]
    return fixture_service.assistant


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus, indexed once per session with the default settings."""
    from assistant.service import AssistantService
    from assistant.settings import Settings

    directory = tmp_path_factory.mktemp("corpus-index")
    service = AssistantService(Settings.model_validate({"index": {"dir": directory}}))
    report = service.ingest([ROOT / "corpus" / "documents"], progress=False)
    assert report.count("failed") == 0, report.as_json()
    return directory
