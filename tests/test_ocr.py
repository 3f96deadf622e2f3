"""Scanned PDFs: pages with no text layer are recognised with the real tesseract, cited by page, marked as OCR text,
cached so a second ingest recognises nothing, and without tesseract the file's text pages still land."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Filters
from corpus.ocr import needs_ocr
from tests.factories import make_pdf, make_scanned_pdf
from ui.format import citation_cards

SCANNED_PAGES = [
    "1. Scope\nThis fictional records response from the imaginary Dunmore Police Department covers the year 2031.",
    "2. Findings\nThe imaginary Dunmore Police Department sent 587 detainer notices to a federal office in 2031.",
]


def service_for(index: Path, **ocr: object) -> AssistantService:
    return AssistantService(Settings.model_validate({"index": {"dir": index}, "ocr": ocr}))


def test_a_scanned_pdf_is_answered_from_page_two_with_the_ocr_mark_and_reingest_recognises_nothing(tmp_path):
    if shutil.which("tesseract") is None:
        pytest.fail("Debian's tesseract-ocr is not installed (scripts/test installs it)")
    scan = make_scanned_pdf(tmp_path / "docs" / "dunmore-records-response.pdf", SCANNED_PAGES)
    service = service_for(tmp_path / "index")

    report = service.ingest([scan], progress=False)
    [result] = report.results
    assert result.status == "added", result
    assert result.ocr and result.ocr["recognised"] == 2 and result.ocr["cached"] == 0
    assert report.ocr_totals()["pages_per_second"] > 0

    answer = service.ask("How many detainer notices did the Dunmore Police Department send to a federal office?")
    assert answer.kind == "answer", answer.answer
    assert "587" in answer.answer
    cited = next(c for c in answer.citations if "587" in c.quote)
    assert (cited.file, cited.page, cited.ocr) == ("dunmore-records-response.pdf", 2, True)
    assert "text recognised from a scan" in citation_cards(answer, 0)

    # The same scan under another name: its pages come from the OCR cache, tesseract is not run again.
    copy = shutil.copy(scan, tmp_path / "docs" / "dunmore-copy.pdf")
    [again] = service.ingest([Path(copy)], progress=False).results
    assert again.status == "added"
    assert again.ocr == {**again.ocr, "recognised": 0, "cached": 2}
    assert (tmp_path / "index" / "ocr-cache").is_dir()


def test_without_tesseract_the_text_pages_land_and_the_message_names_the_packages(tmp_path):
    from pypdf import PdfWriter

    text_pdf = make_pdf(tmp_path / "text.pdf", ["The imaginary Wexley board met on a fictional Tuesday in 2033."])
    scanned = make_scanned_pdf(tmp_path / "scan.pdf", SCANNED_PAGES[1:])
    writer = PdfWriter()
    writer.append(str(text_pdf))
    writer.append(str(scanned))
    docs = tmp_path / "docs"
    docs.mkdir()
    with (docs / "mixed.pdf").open("wb") as handle:
        writer.write(handle)
    shutil.copy(scanned, docs / "only-scanned.pdf")
    service = service_for(tmp_path / "index", tesseract_cmd=str(tmp_path / "no-such-tesseract"))

    results = {r.file: r for r in service.ingest([docs], progress=False).results}

    mixed, only = results["mixed.pdf"], results["only-scanned.pdf"]
    assert mixed.status == "added" and mixed.chunks >= 1
    assert any("tesseract-ocr" in note and "tesseract-ocr-eng" in note for note in mixed.notes), mixed.notes
    assert "page 2" in mixed.notes[0]
    assert only.status == "failed" and only.reason and "tesseract-ocr" in only.reason
    answer = service.ask("When did the Wexley board meet?", filters=Filters())
    assert any(c.file == "mixed.pdf" and c.page == 1 and not c.ocr for c in answer.citations), answer.answer


@pytest.mark.parametrize(
    ("text", "scanned"),
    [
        ("", True),
        ("  12  ", True),
        ("(cid:3)(cid:4)(cid:5)" * 20, True),
        ("\ue000\ue001\ue002 \ue003\ue004" * 20, True),
        ("xqzt bcdf ghjk lmnp qrst vwxz " * 5, True),
        ("The department shall not hold a person solely on a civil immigration detainer.", False),
        ("El departamento no detendrá a una persona solo por una orden de detención civil.", False),
    ],
)
def test_pages_with_no_or_garbled_text_are_sent_to_ocr(text, scanned):
    assert needs_ocr(text) is scanned
