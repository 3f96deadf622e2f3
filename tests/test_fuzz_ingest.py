"""Fuzzing the load step: mutated PDFs and HTML pages are each read or refused with a reason, never a hang."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import LoadError
from corpus.isolation import IsolatedLoader
from tests.factories import HTML_PAGE, make_pdf, one_page_pdf, pdf_bytes

TIME_LIMIT_S = 10
_names = itertools.count()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("seeds")
    made = make_pdf(
        folder / "made.pdf", ["1. Findings\nA fictional audit of 12 towns.", "2. Method\nRecords."], title="Audit"
    )
    return {
        ".pdf": made.read_bytes(),
        ".PDF": pdf_bytes(one_page_pdf(b"BT /F1 12 Tf 72 712 Td (Hand written page.) Tj ET")),
        ".html": HTML_PAGE.encode(),
    }


@pytest.fixture(scope="module")
def reader():  # type: ignore[no-untyped-def]
    with IsolatedLoader(timeout_s=TIME_LIMIT_S, memory_mb=1024) as loader:
        yield loader


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# A mutation: flip bytes, cut a range, insert junk, truncate, or repeat a slice, at positions given as fractions.
mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 2000)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    out = bytearray(data)
    for op, where, arg in mutations:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if op == "flip" and out:
            out[at] ^= arg
        elif op == "cut":
            del out[at : at + arg]
        elif op == "insert":
            out[at:at] = arg
        elif op == "truncate":
            del out[at:]
        elif op == "repeat":
            out[at:at] = out[at : at + arg] * 3
    return bytes(out)


def check_read_or_refused(reader: IsolatedLoader, path: Path) -> str:
    """'read' or 'refused'; anything else (a hang, an exception of another kind) fails the test."""
    try:
        doc = reader.load(path)
    except LoadError as error:
        assert error.file == path.name
        assert error.reason.strip()
        assert "took longer" not in error.reason, error.reason
        return "refused"
    assert doc.file == path.name and doc.blocks
    return "read"


@pytest.mark.slow
@settings(
    max_examples=200,
    deadline=TIME_LIMIT_S * 1000 + 5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(suffix=st.sampled_from([".pdf", ".PDF", ".html"]), mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_files_are_read_or_refused_with_a_reason(seeds, reader, workdir, suffix, mutations):
    path = workdir / f"fuzzed-{next(_names)}{suffix}"
    path.write_bytes(mutate(seeds[suffix], mutations))
    check_read_or_refused(reader, path)
    path.unlink()


@pytest.mark.slow
def test_a_batch_of_mutated_files_never_stops_the_ingest(seeds, tmp_path: Path):
    import random

    from click.testing import CliRunner

    from assistant.cli import cli

    rng = random.Random(11)
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(12):
        suffix = rng.choice([".pdf", ".PDF", ".html"])
        ops = [("flip", rng.random(), rng.randint(1, 255)) for _ in range(rng.randint(1, 30))]
        (docs / f"mutated-{n}{suffix.lower()}").write_bytes(mutate(seeds[suffix], ops))
    (docs / "good.html").write_bytes(seeds[".html"])
    result = CliRunner().invoke(cli, ["ingest", str(docs), "--index", str(tmp_path / "idx"), "--json"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    files = {r["file"]: r for r in json.loads(result.output)["files"]}
    assert len(files) == 13 and files["good.html"]["status"] == "added"
    assert all(r["status"] == "added" or (r["status"] == "failed" and r["reason"]) for r in files.values())
