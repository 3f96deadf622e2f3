"""Hostile and broken documents: each is that file's failure alone, with a reason; nothing else is affected."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from corpus.errors import LoadError
from corpus.isolation import IsolatedLoader
from corpus.loaders import load_document
from tests.factories import (
    MARKDOWN_DOC,
    TEXT_NOTE,
    make_bomb_pdf,
    make_circular_xref_pdf,
    make_circular_xref_stream_pdf,
    make_pdf,
)

BLOG_POST = """---
layout: post
title: "Harbortown council hears from the chief"
date: 2025-05-24T14:53:00.000Z
author: A. Reporter
tags: [police, ice]
image: /img/council.jpg
---
# Harbortown council hears from the chief

The fictional Harbortown chief told the council that officers do not ask about immigration status.
"""


def test_blog_front_matter_with_a_date_time_and_unknown_keys_loads(tmp_path: Path):
    path = tmp_path / "post.md"
    path.write_text(BLOG_POST)
    doc = load_document(path)
    assert doc.meta.date == "2025-05-24"
    assert doc.meta.title == "Harbortown council hears from the chief"
    quoted = tmp_path / "quoted.md"
    quoted.write_text(BLOG_POST.replace("2025-05-24T14:53:00.000Z", '"2025-05-24 14:53:00 -0400"'))
    assert load_document(quoted).meta.date == "2025-05-24"


def test_a_sidecar_of_ours_still_refuses_unknown_keys(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("Some text.")
    (tmp_path / "a.meta.toml").write_text('titel = "typo"\n')
    with pytest.raises(LoadError, match="unknown field"):
        load_document(path)


def test_a_decompression_bomb_is_rejected_without_inflating_the_parent(tmp_path: Path):
    bomb = make_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=300)
    assert bomb.stat().st_size < 400_000
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with IsolatedLoader(timeout_s=60, memory_mb=512) as reader:
        with pytest.raises(LoadError) as error:
            reader.load(bomb)
        assert error.value.file == "bomb.pdf"
        assert "decompression bomb" in error.value.reason
        (tmp_path / "note.txt").write_text(TEXT_NOTE)
        assert reader.load(tmp_path / "note.txt").file == "note.txt"  # the same worker goes on
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 100, f"the parent's peak memory grew by {grown_mb:.0f} MB"


def test_a_reader_that_hangs_is_stopped_at_the_time_limit_and_the_next_file_is_read(tmp_path: Path):
    for name in ("a.txt", "hang.txt", "b.txt"):
        (tmp_path / name).write_text(f"{name} is a fictional note about detainers.")
    with IsolatedLoader(timeout_s=2, memory_mb=512, loader="tests.misbehaving_readers:misbehave_by_name") as reader:
        assert reader.load(tmp_path / "a.txt").file == "a.txt"
        started = time.monotonic()
        with pytest.raises(LoadError, match=r"took longer than 2 s") as error:
            reader.load(tmp_path / "hang.txt")
        assert error.value.file == "hang.txt"
        assert time.monotonic() - started < 10
        assert reader.load(tmp_path / "b.txt").file == "b.txt"
        assert reader.restarts == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [("hog.txt", "memory limit"), ("segfault.txt", "crashed"), ("unexpected.txt", "KeyError")],
)
def test_a_reader_that_fails_in_any_way_fails_that_file_alone(tmp_path: Path, name, reason):
    for file in (name, "after.txt"):
        (tmp_path / file).write_text("A fictional note about detainers.")
    with IsolatedLoader(timeout_s=30, memory_mb=512, loader="tests.misbehaving_readers:misbehave_by_name") as reader:
        with pytest.raises(LoadError, match=reason) as error:
            reader.load(tmp_path / name)
        assert error.value.file == name
        assert reader.load(tmp_path / "after.txt").file == "after.txt"


@pytest.mark.slow
def test_a_batch_of_hostile_and_broken_files_lands_every_good_file(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    make_bomb_pdf(docs / "bomb.pdf")
    make_circular_xref_pdf(docs / "circular-xref.pdf")
    make_circular_xref_stream_pdf(docs / "circular-xref-stream.pdf")
    whole = make_pdf(tmp_path / "whole.pdf", ["1. Findings\nA fictional audit of 12 towns."] * 3).read_bytes()
    (docs / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    make_pdf(docs / "locked.pdf", ["secret"], password="pw")
    (docs / "empty.md").write_bytes(b"")
    (docs / "pdf-posing-as-text.txt").write_bytes(whole)
    (docs / "page-posing-as-pdf.pdf").write_text("<html><body><p>Not a PDF at all.</p></body></html>")
    (docs / "binary-notes.md").write_bytes(bytes(range(256)) * 64)
    (docs / "huge.txt").write_text("Detainer requests were logged. " * 40_000)  # about 1.2 MB
    (docs / "latin1-note.txt").write_bytes("Le café de Harbortown reçoit 31 requêtes.".encode("latin-1"))
    (docs / "post.md").write_text(BLOG_POST)
    (docs / "policy.md").write_text(MARKDOWN_DOC)
    (docs / "note.txt").write_text(TEXT_NOTE)

    result = CliRunner().invoke(
        cli, ["ingest", str(docs), "--index", str(tmp_path / "idx"), "--json"], env={"ASSISTANT_MAX_FILE_MB": "1"}
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.output)
    by_file = {r["file"]: r for r in report["files"]}
    landed = {f for f, r in by_file.items() if r["status"] == "added"}
    assert {"post.md", "policy.md", "note.txt", "latin1-note.txt"} <= landed
    readable = {"post.md", "policy.md", "note.txt", "latin1-note.txt", "circular-xref.pdf", "circular-xref-stream.pdf"}
    assert landed <= readable  # the circular chains are read or refused, but never hang
    expected_reasons = {
        "bomb.pdf": "decompression bomb",
        "truncated.pdf": "not a readable PDF",
        "locked.pdf": "encrypted",
        "empty.md": "empty",
        "pdf-posing-as-text.txt": "is a PDF, not .txt",
        "page-posing-as-pdf.pdf": "not a readable PDF",
        "binary-notes.md": "binary",
        "huge.txt": "too large",
    }
    for file, reason in expected_reasons.items():
        assert by_file[file]["status"] == "failed", by_file[file]
        assert reason in by_file[file]["reason"], by_file[file]
    sources = json.loads(CliRunner().invoke(cli, ["sources", "--index", str(tmp_path / "idx"), "--json"]).output)
    listed = {s["file"]: s for s in sources}
    assert set(listed) == landed
    assert listed["post.md"]["date"] == "2025-05-24"
