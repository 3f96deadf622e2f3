"""Reading files into Documents: one function per format, chosen by suffix in `LOADERS`."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.chunking import HEADING_NUMBER
from corpus.errors import LoadError
from corpus.inference import infer_meta
from corpus.metadata import merge_layers, read_sidecar, resolve_meta, split_front_matter
from corpus.models import Block, Document
from corpus.ocr import MISSING_TESSERACT, OcrConfig, OcrReport, TesseractMissingError, needs_ocr, recognise_pages

# pypdf logs every oddity of a damaged file; we report one clear reason per file instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Parsed:
    """What a reader got from one file's bytes: its text blocks and what the file says about itself."""

    blocks: list[Block]
    pages: int | None = None
    hints: dict[str, Any] = field(default_factory=dict)  # title, date, site name, page type, head (first lines)
    given: dict[str, Any] = field(default_factory=dict)  # metadata the file states outright (front matter)
    ocr: OcrReport | None = None
    notes: list[str] = field(default_factory=list)


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)
# A numbered heading alone on a line in a PDF ("2. Findings", "3.1 Method"), the only kind we trust there.
_PDF_HEADING = re.compile(rf"^{HEADING_NUMBER}[ \t]+[A-Z][^\n]{{0,90}}$", re.MULTILINE)
_HEAD_CHARS = 4000  # the start of a text kept with its line breaks, where titles, dates and bylines are


def read_pdf(
    data: bytes, file: str, ocr: OcrConfig | None = None, on_page: Callable[[int, int], None] | None = None
) -> Parsed:
    """Pages of a PDF, each a block (split further at numbered headings), keeping page numbers; pages with no
    usable text layer are recognised with OCR when tesseract is there."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise LoadError(file, "the PDF is encrypted and needs a password; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or None
        info_date = _pdf_date(reader)
    except LoadError:
        raise
    except LimitReachedError as exc:
        raise LoadError(
            file, f"a part of it inflates past pypdf's safety limit when decompressed (a decompression bomb?): {exc}"
        ) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise LoadError(file, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    recognised, report, notes = _recognise_scans(data, file, pages, ocr or OcrConfig(), on_page)
    blocks: list[Block] = []
    section: str | None = None
    for number, text in enumerate(pages, start=1):
        text = recognised.get(number, text)
        for heading, body in _split_at(text, list(_PDF_HEADING.finditer(text)), group=0):
            section = heading or section
            if body.strip():
                blocks.append(Block(text=unwrap_lines(body), page=number, section=section, ocr=number in recognised))
    if not blocks:
        raise LoadError(file, notes[0] if notes else "the PDF has no extractable text (a scanned image? run OCR first)")
    first_page = recognised.get(1, pages[0] if pages else "")
    hints = {"title": info_title, "file_date": info_date, "head": first_page[:_HEAD_CHARS]}
    return Parsed(blocks, len(pages), hints, ocr=report, notes=notes)


def _recognise_scans(
    data: bytes, file: str, pages: list[str], ocr: OcrConfig, on_page: Callable[[int, int], None] | None
) -> tuple[dict[int, str], OcrReport | None, list[str]]:
    """OCR text of the pages that have no usable text layer, what OCR did, and warnings (pages left out, why)."""
    scanned = [number for number, text in enumerate(pages, start=1) if needs_ocr(text)]
    if not scanned:
        return {}, None, []
    listed = ", ".join(map(str, scanned[:10])) + (" …" if len(scanned) > 10 else "")
    if not ocr.enabled:
        reason = f"page(s) {listed} look scanned and OCR is off (ocr.enabled = false); they were read as they are"
        return {}, OcrReport(skipped=scanned), [reason]
    notes = []
    if len(scanned) > ocr.max_pages:  # a file of thousands of blank pages would keep tesseract busy for hours
        notes.append(f"it has {len(scanned)} scanned pages; only the first {ocr.max_pages} (ocr.max_pages) were read")
    try:
        texts, report = recognise_pages(data, scanned[: ocr.max_pages], ocr, on_page)
    except TesseractMissingError:
        return {}, OcrReport(skipped=scanned), [MISSING_TESSERACT.format(n=len(scanned), pages=f"page {listed}")]
    except Exception as exc:  # pdfium refusing a page it cannot render: the text pages still count
        reason = f"its scanned page(s) {listed} could not be rendered for OCR ({exc.__class__.__name__}: {exc})"
        return {}, OcrReport(skipped=scanned), [reason[:300]]
    report.skipped = scanned[ocr.max_pages :]
    return {n: t for n, t in texts.items() if t.strip()}, report, notes


def _pdf_date(reader: Any) -> str | None:
    """The PDF's creation date from its info dictionary, as ISO, if it has a readable one."""
    try:
        created = reader.metadata.creation_date if reader.metadata else None
    except Exception:  # a malformed date string in the info dictionary is no reason to refuse the file
        return None
    return created.date().isoformat() if created else None


def unwrap_lines(text: str) -> str:
    """PDF text with its layout line breaks removed: words split by a hyphen at a line end are joined,
    other line breaks become spaces, blank lines stay as paragraph breaks."""
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text.strip())
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(re.sub(r"\s*\n\s*", " ", p) for p in paragraphs)


def read_markdown(data: bytes, file: str) -> Parsed:
    """Markdown split at headings: each section a block named by its heading; front matter is metadata."""
    text = decode_text(data, file)
    front, body, _ = split_front_matter(text, file)
    blocks = [Block(text=chunk, section=heading) for heading, chunk in _markdown_sections(body) if chunk.strip()]
    if not blocks:
        raise LoadError(file, "the file has no text")
    first_heading = next((m.group(2) for m in _HEADING.finditer(body)), None)
    return Parsed(blocks, hints={"title": first_heading, "head": body[:_HEAD_CHARS]}, given=front)


def read_html(data: bytes, file: str) -> Parsed:
    """The main text of a web page, without navigation or boilerplate, sectioned at its headings."""
    import trafilatura

    html = decode_text(data, file)
    extracted = trafilatura.extract(html, output_format="markdown", favor_recall=True, include_links=False)
    if not extracted or not extracted.strip():
        extracted = _html_text_fallback(html)
    blocks = [Block(text=chunk, section=heading) for heading, chunk in _markdown_sections(extracted) if chunk.strip()]
    if not blocks:  # nothing, or headings with no text under them
        raise LoadError(file, "the page has no readable text")
    return Parsed(blocks, hints={**_html_hints(html), "head": extracted[:_HEAD_CHARS]})


def _html_hints(html: str) -> dict[str, Any]:
    """What a page's head says about it: og:title or <title>, site name, page type, and the publication date
    (trafilatura's metadata, which reads the date with htmldate)."""
    import trafilatura
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html[:200_000], "html.parser")

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            content = tag.get("content") if tag else None
            if isinstance(content, str) and content.strip():
                return content.strip()
        return None

    found = trafilatura.extract_metadata(html)
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    h1 = soup.find("h1")
    return {
        "title": meta("og:title", "twitter:title") or head_title or (h1.get_text(" ", strip=True) if h1 else None),
        "site_name": meta("og:site_name", "application-name"),
        "page_type": meta("og:type") or (found.pagetype if found else None),
        "date": meta("article:published_time", "datePublished", "date", "dc.date") or (found.date if found else None),
    }


def read_text(data: bytes, file: str) -> Parsed:
    """A plain text file as one block."""
    text = decode_text(data, file)
    if not text.strip():
        raise LoadError(file, "the file has no text")
    return Parsed([Block(text=text)], hints={"head": text[:_HEAD_CHARS]})


def read_docx(data: bytes, file: str) -> Parsed:
    """A Word document, sectioned at paragraphs styled as headings."""
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(file, f"not a readable Word document ({exc})") from exc
    blocks: list[Block] = []
    section: str | None = None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        if paragraph.style is not None and (paragraph.style.name or "").lower().startswith(("heading", "title")):
            if any(line.strip() for line in lines):
                blocks.append(Block(text="\n\n".join(lines), section=section))
            section, lines = paragraph.text.strip() or section, []
        elif paragraph.text.strip():
            lines.append(paragraph.text)
    if any(line.strip() for line in lines):
        blocks.append(Block(text="\n\n".join(lines), section=section))
    if not blocks:
        raise LoadError(file, "the document has no text")
    head = "\n".join(p.text for p in document.paragraphs[:60])
    return Parsed(blocks, hints={"title": document.core_properties.title or blocks[0].section, "head": head})


LOADERS: dict[str, Callable[[bytes, str], Parsed]] = {
    ".pdf": read_pdf,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
    ".text": read_text,
    ".docx": read_docx,
}


def is_supported(path: Path) -> bool:
    """Whether a loader exists for the file's suffix (sidecars are metadata, not documents)."""
    return path.suffix.lower() in LOADERS and not path.name.endswith(".meta.toml")


def load_document(
    path: Path,
    overrides: dict[str, Any] | None = None,
    max_bytes: int | None = None,
    ocr: OcrConfig | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> Document:
    """Read one file into a Document, or raise LoadError naming the file and the reason.

    Metadata: flags (`overrides`) over a sidecar over front matter; what none of them gives is inferred from the
    text and listed in `meta.inferred`. `ocr` says how scanned PDF pages are read (and where their text is
    cached); `on_page(done, total)` hears about each one."""
    file = path.name
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            file, f"unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(LOADERS))}"
        )
    try:
        size = path.stat().st_size
        if size == 0:
            raise LoadError(file, "the file is empty (0 bytes)")
        if max_bytes is not None and size > max_bytes:
            raise LoadError(file, f"the file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(file, f"cannot be read ({exc.strerror or exc})") from exc
    check_kind(data, path)
    # Only PDFs have pages to recognise; the other readers need the bytes alone.
    parsed = read_pdf(data, file, ocr, on_page) if loader is read_pdf else loader(data, file)
    sidecar = read_sidecar(path)
    layers = [parsed.given, sidecar, overrides or {}]
    text = "\n\n".join(block.text for block in parsed.blocks)
    inferred = infer_meta(file, text, parsed.hints, merge_layers(layers), described=bool(parsed.given or sidecar))
    meta = resolve_meta(file, [inferred, *layers], inferred=list(inferred))
    return Document(
        meta=meta,
        file=file,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=parsed.pages,
        blocks=parsed.blocks,
        ocr=parsed.ocr,
        notes=parsed.notes,
    )


# The first bytes of formats that are easy to mistake for each other by name alone, and the suffixes they may have.
_SIGNATURES: dict[bytes, tuple[str, tuple[str, ...]]] = {
    b"%PDF-": ("a PDF", (".pdf",)),
    b"PK\x03\x04": ("a ZIP archive (e.g. a Word document)", (".docx",)),
    b"\x89PNG": ("a PNG image", ()),
    b"\xff\xd8\xff": ("a JPEG image", ()),
    b"GIF8": ("a GIF image", ()),
}


def check_kind(data: bytes, path: Path) -> None:
    """Refuse a file whose content is plainly another format than its suffix says (a PDF named .txt)."""
    suffix = path.suffix.lower()
    for magic, (kind, suffixes) in _SIGNATURES.items():
        if data.startswith(magic) and suffix not in suffixes:
            hint = f"; rename it to {suffixes[0]}" if suffixes else ""
            raise LoadError(path.name, f"the file is {kind}, not {suffix or 'a document'} as its name says{hint}")


def decode_text(data: bytes, file: str) -> str:
    """Bytes as text (UTF-8, else Windows-1252), refusing binary data that poses as text."""
    if b"\x00" in data[:65536]:
        raise LoadError(file, "the file holds binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f") + sample.count("\ufffd")
    if sample and control / len(sample) > 0.05:
        raise LoadError(file, "the file holds binary data, not text")
    return text


def _decrypts_without_password(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported or wrong encryption
        return False


def _markdown_sections(text: str) -> list[tuple[str | None, str]]:
    """(heading, body) pairs of a Markdown text; headings inside code fences are not headings."""
    fenced = _fenced_ranges(text)
    headings = [m for m in _HEADING.finditer(text) if not any(a <= m.start() < b for a, b in fenced)]
    return _split_at(text, headings, group=2)


def _split_at(text: str, headings: list[re.Match[str]], group: int) -> list[tuple[str | None, str]]:
    """(heading, body) pairs: the text before the first heading, then each heading with the text after it."""
    sections: list[tuple[str | None, str]] = []
    start, current = 0, None
    for match in headings:
        sections.append((current, text[start : match.start()]))
        current, start = match.group(group).strip(), match.end()
    sections.append((current, text[start:]))
    return sections


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(text)]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def _html_text_fallback(html: str) -> str:
    """Headings and paragraphs of a page as Markdown, for pages too short for trafilatura to keep."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template"]):
        tag.decompose()
    parts: list[str] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "pre", "blockquote"]):
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        if element.name.startswith("h"):
            parts.append(f"{'#' * int(element.name[1])} {text}")
        else:
            parts.append(text)
    return "\n\n".join(parts)
