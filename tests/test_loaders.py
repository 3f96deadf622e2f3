from pathlib import Path

import pytest

from corpus.errors import LoadError
from corpus.loaders import load_document
from tests.factories import HTML_PAGE, MARKDOWN_DOC, TEXT_NOTE, make_pdf


def test_pdf_keeps_page_numbers_and_numbered_sections(tmp_path: Path):
    pdf = make_pdf(
        tmp_path / "report.pdf",
        [
            "1. Findings\nThe first finding is on page one.",
            "The finding continues here.\n2. Method\nWe asked for records.",
        ],
        title="A Fictional Report",
    )
    doc = load_document(pdf)
    assert doc.pages == 2
    assert doc.meta.title == "A Fictional Report"
    assert [(b.page, b.section) for b in doc.blocks] == [(1, "1. Findings"), (2, "1. Findings"), (2, "2. Method")]
    assert "records" in doc.blocks[-1].text


def test_markdown_sections_and_front_matter(tmp_path: Path):
    path = tmp_path / "policy.md"
    path.write_text(MARKDOWN_DOC)
    doc = load_document(path)
    assert doc.meta.doc_type == "policy"
    assert doc.meta.towns == ["Quincy"]
    assert doc.meta.date == "2024-06-01"
    assert [b.section for b in doc.blocks] == ["Purpose", "Status checks", "Detainers"]
    assert len(doc.sha256) == 64


def test_html_drops_navigation_and_boilerplate(tmp_path: Path):
    path = tmp_path / "story.html"
    path.write_text(HTML_PAGE)
    doc = load_document(path, {"doc_type": "news"})
    text = "\n".join(b.text for b in doc.blocks)
    assert "12 detainer requests" in text
    assert "Sports" not in text and "Subscribe" not in text and "All rights reserved" not in text
    assert "What the chief said" in [b.section for b in doc.blocks]


def test_text_file_title_is_its_first_line(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text(TEXT_NOTE)
    doc = load_document(path)
    assert doc.meta.title == "Harbortown records note"
    assert doc.meta.doc_type == "report"


def test_sidecar_overrides_front_matter_and_flags_override_both(tmp_path: Path):
    path = tmp_path / "policy.md"
    path.write_text(MARKDOWN_DOC)
    (tmp_path / "policy.meta.toml").write_text('title = "From the sidecar"\ntowns = ["Everett"]\n')
    doc = load_document(path)
    assert (doc.meta.title, doc.meta.towns, doc.meta.doc_type) == ("From the sidecar", ["Everett"], "policy")
    doc = load_document(path, {"title": "From the flag", "towns": ["chelsea"]})
    assert (doc.meta.title, doc.meta.towns) == ("From the flag", ["Chelsea"])


def test_docx_headings_become_sections(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_heading("Harbortown memo", level=1)
    document.add_paragraph("The memo says officers must not ask about status.")
    path = tmp_path / "memo.docx"
    document.save(str(path))
    doc = load_document(path)
    assert doc.blocks[0].section == "Harbortown memo"
    assert "must not ask" in doc.blocks[0].text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("corrupt.pdf", b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
        ("zero.pdf", b"", "empty"),
        ("empty.md", b"   \n\n", "no text"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("notes.xyz", b"hello", "unsupported file type"),
    ],
)
def test_bad_files_raise_a_load_error_that_names_file_and_reason(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as error:
        load_document(path)
    assert error.value.file == name
    assert reason in error.value.reason


def test_encrypted_pdf_is_refused_with_a_reason(tmp_path: Path):
    pdf = make_pdf(tmp_path / "locked.pdf", ["secret text"], password="s3cret")
    with pytest.raises(LoadError, match="encrypted"):
        load_document(pdf)


def test_too_large_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(LoadError, match="too large"):
        load_document(path, max_bytes=100)


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ('doc_type = "memo"\n', "doc_type"),
        ('towns = ["Atlantis"]\n', "not a Massachusetts"),
        ('date = "last May"\n', "ISO"),
    ],
)
def test_bad_metadata_is_reported(tmp_path: Path, meta, message):
    path = tmp_path / "a.txt"
    path.write_text("Some text.")
    (tmp_path / "a.meta.toml").write_text(meta)
    with pytest.raises(LoadError, match=message):
        load_document(path)
