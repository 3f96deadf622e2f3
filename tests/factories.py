"""Test documents made by the tests themselves: PDFs written with fpdf2, HTML and Markdown strings."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, pages: list[str], title: str | None = None, password: str | None = None) -> Path:
    """A PDF with one page per string (lines kept), optionally encrypted with a user password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, pages: list[str], dpi: int = 200) -> Path:
    """A PDF of page images with no text layer, as a scanner makes: each string drawn on a letter-size page with
    Pillow (wrapped to the page width) and the images saved as a PDF."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=dpi // 6)  # about 12 pt
    images = []
    for text in pages:
        image = Image.new("L", (int(8.5 * dpi), 11 * dpi), 255)
        draw = ImageDraw.Draw(image)
        y = dpi
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(paragraph, 60) or [""]:
                draw.text((dpi, y), line, fill=0, font=font)
                y += int(dpi / 6 * 1.5)
        images.append(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def long_text(sentences: int, seed: str = "Officers") -> str:
    """Many distinct sentences, for documents that must span several chunks."""
    return " ".join(
        f"{seed} in example district {i} recorded {i * 7} contacts with federal agents during review period {i % 12 + 1}."
        for i in range(sentences)
    )


HTML_PAGE = """<!doctype html><html><head><title>Harbortown Gazette: Council hears report</title></head>
<body>
<nav><a href="/">Home</a> <a href="/sports">Sports</a> <a href="/weather">Weather</a></nav>
<header><p>Subscribe to the Harbortown Gazette today</p></header>
<main><article>
<h1>Council hears report on detainer requests</h1>
<p>The fictional Harbortown council heard that the police received 12 detainer requests last year and honored none of them.</p>
<h2>What the chief said</h2>
<p>The chief said officers follow the state high court ruling and do not hold anyone past release on a detainer alone.</p>
</article></main>
<footer><p>Copyright Harbortown Gazette. All rights reserved.</p></footer>
</body></html>
"""

MARKDOWN_DOC = """---
title: Harbortown Police Policy 4.2
doc_type: policy
towns: [Quincy]
date: 2024-06-01
publisher: Harbortown Police Department (fictional)
source_url: https://example.org/harbortown/policy-4-2
---
# Harbortown Police Policy 4.2

## Purpose

This fictional policy sets out how officers handle federal immigration requests.

## Status checks

Officers shall not ask about immigration status during routine stops. A supervisor must approve any exception in writing.

## Detainers

Officers shall not hold any person solely because of a civil immigration detainer.
"""

TEXT_NOTE = """Harbortown records note

The fictional Harbortown records office received 31 requests in 2024. It answered most of them within ten business days.
"""


def pdf_objects(header: bytes, objects: list[bytes]) -> tuple[bytearray, list[int]]:
    """The header and numbered objects of a hand-written PDF, and each object's offset (for its xref)."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out, offsets


def pdf_bytes(objects: list[bytes], trailer: bytes = b"", prev_self: bool = False) -> bytes:
    """A PDF written by hand from numbered object bodies (object 1 is the catalog), with a correct xref table;
    `prev_self` makes the trailer's /Prev point back at its own xref table (a circular chain)."""
    out, offsets = pdf_objects(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", objects)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    prev = b" /Prev %d" % xref if prev_self else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        prev,
        trailer,
        xref,
    )
    return bytes(out)


def one_page_pdf(content: bytes, filter_name: bytes = b"") -> list[bytes]:
    """Objects of a one-page PDF whose page draws `content` (already encoded with `filter_name`, if given)."""
    filters = b" /Filter /" + filter_name if filter_name else b""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content), filters) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def make_bomb_pdf(path: Path, inflated_mb: int = 300) -> Path:
    """A small PDF whose one page stream inflates to `inflated_mb` MB of text operators when decoded."""
    import zlib

    packer = zlib.compressobj(9)
    parts = [packer.compress(b"BT /F1 12 Tf 72 712 Td (Decompression bomb) Tj ET\n")]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(inflated_mb)]
    parts.append(packer.flush())
    path.write_bytes(pdf_bytes(one_page_pdf(b"".join(parts), b"FlateDecode")))
    return path


def make_circular_xref_pdf(path: Path) -> Path:
    """A one-page PDF whose cross-reference table names itself as its /Prev (a loop for a naive reader)."""
    page = one_page_pdf(b"BT /F1 12 Tf 72 712 Td (A circular cross-reference chain.) Tj ET")
    path.write_bytes(pdf_bytes(page, prev_self=True))
    return path


def make_circular_xref_stream_pdf(path: Path) -> Path:
    """A PDF whose cross-reference *stream* names itself as its /Prev (CVE-2026-27628's shape)."""
    objects = one_page_pdf(b"BT /F1 12 Tf 72 712 Td (A circular xref stream.) Tj ET")
    out, offsets = pdf_objects(b"%PDF-1.7\n", objects)
    xref_at = len(out)
    rows = b"\x00\x00\x00\xff\xff" + b"".join(b"\x01" + offset.to_bytes(4, "big") for offset in offsets)
    rows += b"\x01" + xref_at.to_bytes(4, "big")
    size = len(objects) + 2
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 0] /Root 1 0 R /Prev %d /Length %d >>\nstream\n"
        % (size - 1, size, xref_at, len(rows))
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    path.write_bytes(bytes(out))
    return path


CHROMA_FIXTURE_DOCS = {"note.txt": TEXT_NOTE, "policy.md": MARKDOWN_DOC}


def make_chroma_fixture(directory: Path) -> Path:
    """The small index committed under tests/fixtures/ to check that an index made by an older Chroma still opens.

    Regenerate only when the pinned chromadb changes, into a folder named after its version:
    `python -c "from tests.factories import make_chroma_fixture as m; from pathlib import Path;
    m(Path('tests/fixtures/chroma-index-X.Y.Z'))"`
    """
    import tempfile

    from corpus.chunking import ChunkingConfig
    from index.build import ingest
    from index.config import IndexConfig
    from index.search import SearchIndex

    with tempfile.TemporaryDirectory() as docs:
        for name, text in CHROMA_FIXTURE_DOCS.items():
            (Path(docs) / name).write_text(text)
        index = SearchIndex(IndexConfig(dir=directory), create=True)
        ingest(index, [Path(docs)], chunking=ChunkingConfig(), progress=False)
    (directory / "write.lock").unlink(missing_ok=True)
    return directory


def make_passage(
    text: str,
    dense: int | None = None,
    keyword: int | None = None,
    language: str = "en",
    file: str | None = None,
):  # type: ignore[no-untyped-def]
    """A retrieved passage of one chunk holding `text`, as a news document of that language, at those ranks."""
    from assistant.types import Passage
    from corpus.models import Chunk, DocumentMeta

    meta = DocumentMeta(title=text, doc_type="news", language=language)
    chunk = Chunk(
        id=text,
        doc_sha256="0",
        number=0,
        text=text,
        file=file or f"{text}.md",
        page=None,
        section=None,
        block=0,
        start=0,
        end=len(text),
        meta=meta,
    )
    return Passage(chunk=chunk, score=0.0, dense_rank=dense, keyword_rank=keyword)
