"""The shipped corpus: complete metadata, named sources, the formats it promises, and the municipalities file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from corpus.loaders import is_supported, load_document
from corpus.metadata import read_sidecar, split_front_matter
from corpus.models import DOC_TYPES
from tests.conftest import ROOT

DOCUMENTS = ROOT / "corpus" / "documents"
FILES = sorted(p for p in DOCUMENTS.iterdir() if is_supported(p))
REQUIRED = ("title", "doc_type", "towns", "date", "publisher", "source_url", "summary_of")


def declared_metadata(path: Path) -> dict:
    sidecar = read_sidecar(path)
    if path.suffix == ".md":
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        return {**front, **sidecar}
    return sidecar


def test_the_corpus_has_at_least_30_documents_of_all_five_types():
    assert len(FILES) >= 30
    types = {load_document(p).meta.doc_type for p in FILES}
    assert types == set(DOC_TYPES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_document_declares_every_metadata_field(path: Path):
    meta = declared_metadata(path)
    missing = [f for f in REQUIRED if f not in meta or (f != "towns" and not meta[f])]
    assert not missing, f"{path.name} lacks {missing}"
    assert meta["doc_type"] in DOC_TYPES
    assert re.fullmatch(r"https?://\S+", meta["source_url"])
    document = load_document(path)  # towns are checked against the municipalities file here
    assert document.meta.title == meta["title"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_document_says_what_it_is_and_names_its_sources(path: Path):
    document = load_document(path)
    about = [b for b in document.blocks if b.section and b.section.split(". ")[-1] == "About this document"]
    assert about and "prepared for this knowledge base" in about[0].text, f"{path.name} does not say what it is"
    sources = [b for b in document.blocks if b.section and b.section.split(". ")[-1] == "Sources"]
    assert sources, f"{path.name} has no Sources section"
    assert re.search(r"https?://", sources[0].text), f"{path.name} names no source URL"


def test_the_promised_formats_are_there():
    pdfs = [p for p in FILES if p.suffix == ".pdf"]
    htmls = [p for p in FILES if p.suffix == ".html"]
    assert len(pdfs) >= 3 and len(htmls) >= 3
    for pdf in pdfs:
        assert (load_document(pdf).pages or 0) >= 3, f"{pdf.name} is not multi-page"


def test_the_shipped_pdfs_match_their_sources(tmp_path: Path):
    from corpus.make_pdfs import SOURCES, build_pdf

    for source in sorted(SOURCES.glob("*.txt")):
        rebuilt = tmp_path / (source.stem + ".pdf")
        build_pdf(source, rebuilt)
        shipped = load_document(DOCUMENTS / rebuilt.name)
        assert [b.text for b in load_document(rebuilt).blocks] == [b.text for b in shipped.blocks], (
            f"{rebuilt.name} is stale: run python -m corpus.make_pdfs"
        )


def test_towns_named_in_the_sources_each_have_a_document():
    towns = {t for p in FILES for t in load_document(p).meta.towns}
    assert {"Quincy", "Everett", "Holyoke", "Shrewsbury", "Chelsea", "Tewksbury", "Boston"} <= towns


def test_the_corpus_card_lists_every_document():
    card = (ROOT / "corpus" / "README.md").read_text()
    for path in FILES:
        assert f"`{path.name}`" in card, f"corpus/README.md does not list {path.name}"


def test_sidecars_are_valid_toml_with_only_known_fields():
    for sidecar in DOCUMENTS.glob("*.meta.toml"):
        data = tomllib.loads(sidecar.read_text())
        assert set(data) <= {*REQUIRED, "language"}, sidecar.name


@pytest.mark.slow
def test_ingesting_the_corpus_indexes_every_document(tmp_path: Path):
    import json

    from click.testing import CliRunner

    from assistant.cli import cli

    runner = CliRunner()
    report = json.loads(runner.invoke(cli, ["ingest", str(DOCUMENTS), "--index", str(tmp_path), "--json"]).output)
    assert report["added"] == len(FILES) and report["failed"] == 0
    listed = json.loads(runner.invoke(cli, ["sources", "--index", str(tmp_path), "--json"]).output)
    assert {d["file"] for d in listed} == {p.name for p in FILES}
