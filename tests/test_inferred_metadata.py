"""Metadata a file does not carry is read from its text (title, date, type, towns), listed as inferred, and can be
corrected in the index without re-uploading or re-embedding; what sidecars and flags say still wins."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.service import AssistantService
from assistant.settings import Settings
from corpus.errors import LoadError
from corpus.inference import clean_title, infer_towns
from corpus.loaders import load_document
from index.filters import Filters

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "inferred"
REALWORLD = Path(__file__).resolve().parent.parent / "evals" / "fixtures" / "realworld"


@pytest.mark.parametrize(
    ("name", "title", "date", "doc_type", "towns"),
    [
        (
            "revere-harbor-ledger-story.html",
            "Revere council asks police to publish its ICE rules",
            "2033-03-14",
            "news",
            ["Revere"],
        ),
        (
            "malden-tribune-story.txt",
            "Malden police say they no longer answer ICE detainer requests",
            "2033-03-02",
            "news",
            ["Malden"],
        ),
        (
            "harborview-police-policy-7-2.txt",
            "Contact with Federal Immigration Agents",
            "2033-04-01",
            "policy",
            [],
        ),
        ("doe-v-harborview-opinion.txt", "JANE DOE vs. TOWN OF HARBORVIEW", "2034-06-09", "ruling", []),
    ],
)
def test_a_file_with_no_metadata_gets_title_date_type_and_towns_from_its_text(name, title, date, doc_type, towns):
    meta = load_document(FIXTURES / name).meta
    assert (meta.title, meta.date, meta.doc_type, meta.towns) == (title, date, doc_type, towns)
    assert set(meta.inferred) == {"title", "date", "doc_type"} | ({"towns"} if towns else set())


def test_real_world_uploads_get_their_real_title_not_a_notice_line():
    quincy = load_document(REALWORLD / "quincy-police-immigration-checks-article.txt").meta
    assert quincy.title.startswith("Quincy police check the immigration status")
    assert (quincy.doc_type, quincy.towns, quincy.date) == ("news", ["Quincy"], "2026-04-28")
    chelsea = load_document(REALWORLD / "chelsea-police-fingerprints-ice-article.html").meta
    assert (chelsea.title, chelsea.doc_type, chelsea.towns) == (
        "In Chelsea, a fingerprint at booking can lead to ICE",
        "news",
        ["Chelsea"],
    )
    assert load_document(REALWORLD / "eastbrook-council-order-2025-112.html").meta.doc_type == "law"
    # A report that goes town by town stays statewide.
    assert load_document(REALWORLD / "town-by-town-findings-report-section.md").meta.towns == []


def test_sidecars_and_flags_win_and_a_described_file_is_not_given_towns(tmp_path):
    path = shutil.copy(FIXTURES / "malden-tribune-story.txt", tmp_path / "story.txt")
    meta = load_document(Path(path), {"doc_type": "report", "title": "From the flag"}).meta
    assert (meta.title, meta.doc_type) == ("From the flag", "report")
    assert "title" not in meta.inferred and "doc_type" not in meta.inferred
    (tmp_path / "story.txt.meta.toml").write_text('date = "2033-01-01"\n')
    described = load_document(Path(path)).meta
    assert described.date == "2033-01-01" and described.towns == []  # a sidecar without towns means statewide
    assert "date" not in described.inferred and "towns" not in described.inferred


def test_titles_lose_the_site_and_towns_need_more_than_a_passing_mention():
    assert clean_title("Story of the day | Harbor Ledger") == "Story of the day"
    assert clean_title("City of X, MA - Order No. 5 - Code Library") == "City of X, MA - Order No. 5"
    assert clean_title("Story - Site", "Site") == "Story"
    text = "\n\n".join(["Lowell officers met ICE.", "Lowell police said so.", "Everett too.", "Lowell again."])
    assert infer_towns("A report", text) == ["Lowell"]
    survey = "\n\n".join(f"{town} police have a policy." for town in ["Lowell", "Quincy", "Everett", "Salem", "Lynn"])
    assert infer_towns("A survey", survey * 3) == []


@pytest.fixture(scope="module")
def inferred_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("inferred-index")
    service = AssistantService(Settings.model_validate({"index": {"dir": index}}))
    report = service.ingest([FIXTURES], progress=False)
    assert report.count("added") == 4, report.as_json()
    return index


def test_sources_shows_which_fields_were_inferred(inferred_index):
    runner = CliRunner()
    listed = runner.invoke(cli, ["sources", "--index", str(inferred_index)])
    assert listed.exit_code == 0, listed.output
    assert "INFERRED" in listed.output
    row = next(line for line in listed.output.splitlines() if "malden-tribune-story.txt" in line)
    assert "date,doc_type,title,towns" in row
    records = json.loads(runner.invoke(cli, ["sources", "--json", "--index", str(inferred_index)]).output)
    revere = next(r for r in records if r["file"] == "revere-harbor-ledger-story.html")
    assert (revere["doc_type"], revere["towns"], revere["date"]) == ("news", ["Revere"], "2033-03-14")


def test_a_correction_changes_sources_and_filters_without_re_embedding(tmp_path, inferred_index):
    index = tmp_path / "index"
    shutil.copytree(inferred_index, index)
    service = AssistantService(Settings.model_validate({"index": {"dir": index}}))
    store = service.assistant.index.store
    before = store.collection.get(where={"file": "harborview-police-policy-7-2.txt"}, include=["embeddings"])
    sentences_before = service.assistant.index.sentences.count()

    record = service.update_metadata(
        "harborview-police-policy-7-2.txt",
        {"title": "Lynn police policy 7.2 (fictional)", "towns": ["lynn"], "date": "2033-05-01", "doc_type": "law"},
    )

    assert (record.meta.title, record.meta.towns, record.meta.date, record.meta.doc_type) == (
        "Lynn police policy 7.2 (fictional)",
        ["Lynn"],
        "2033-05-01",
        "law",
    )
    assert record.meta.inferred == []  # every inferred field was corrected
    listed = CliRunner().invoke(cli, ["sources", "--index", str(index)])
    row = next(line for line in listed.output.splitlines() if "harborview-police-policy-7-2.txt" in line)
    assert "Lynn police policy 7.2" in row and "Lynn" in row and "2033-05-01" in row
    # The filters find it under its new town and type, in both retrievers.
    found = service.assistant.index.search(
        "detainer request forwarded to the shift supervisor",
        Filters(towns=["Lynn"], doc_types=["law"], include_statewide=False),
        k=5,
    )
    assert {h.chunk.file for h in found.dense} == {"harborview-police-policy-7-2.txt"}
    assert {found.chunks[i].file for i, _ in found.keyword} == {"harborview-police-policy-7-2.txt"}
    assert not service.assistant.index.search("detainer", Filters(doc_types=["policy"]), k=20).chunks.get(
        found.dense[0].chunk.id
    )
    # Nothing was embedded again: the stored vectors and sentence vectors are the same ones.
    after = store.collection.get(where={"file": "harborview-police-policy-7-2.txt"}, include=["embeddings"])
    assert before["ids"] == after["ids"]
    assert np.array_equal(np.asarray(before["embeddings"]), np.asarray(after["embeddings"]))
    assert service.assistant.index.sentences.count() == sentences_before

    # Back to statewide; a bad town is refused with a message naming the file.
    assert service.update_metadata("harborview-police-policy-7-2.txt", {"towns": []}).meta.towns == []
    with pytest.raises(LoadError, match=r"harborview-police-policy-7-2\.txt.*Springfeld"):
        service.update_metadata("harborview-police-policy-7-2.txt", {"towns": ["Springfeld"]})


def test_the_cli_edit_command_corrects_a_document(tmp_path, inferred_index):
    index = tmp_path / "index"
    shutil.copytree(inferred_index, index)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["edit", "malden-tribune-story.txt", "--type", "report", "--statewide", "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    assert "statewide" in result.output and "still inferred: date, title" in result.output
    records = json.loads(runner.invoke(cli, ["sources", "--json", "--index", str(index)]).output)
    malden = next(r for r in records if r["file"] == "malden-tribune-story.txt")
    assert (malden["doc_type"], malden["towns"], malden["inferred"]) == ("report", [], ["date", "title"])
