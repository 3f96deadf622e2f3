"""Build the shipped PDFs in documents/ from the project's own text in pdf_sources/.

Run `python -m corpus.make_pdfs` after editing a source. Format of a source file: the first line is the title;
`=== page ===` alone on a line starts a new page; numbered lines such as `2. The facts` are section headings.
The output is deterministic (fixed creation date), so regenerating an unchanged source changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SOURCES = Path(__file__).parent / "pdf_sources"
DOCUMENTS = Path(__file__).parent / "documents"
PAGE_BREAK = "=== page ==="
_FIXED_DATE = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


def read_pages(source: Path) -> tuple[str, list[str]]:
    """The title and the page texts of a source file."""
    text = source.read_text(encoding="utf-8")
    title = text.splitlines()[0].strip()
    pages = [page.strip("\n") for page in text.split(f"\n{PAGE_BREAK}\n")]
    return title, pages


def build_pdf(source: Path, target: Path) -> None:
    """Write one PDF: a page per source page, headings in bold, the rest as wrapped paragraphs."""
    import re

    from fpdf import FPDF

    title, pages = read_pages(source)
    pdf = FPDF(format="letter")
    pdf.set_title(title)
    pdf.set_author("policy-assistant knowledge base")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(22, 20, 22)
    heading = re.compile(r"^\d+\.\s")
    for number, page in enumerate(pages):
        pdf.add_page()
        for index, line in enumerate(page.splitlines()):
            if number == 0 and index == 0:
                pdf.set_font("Helvetica", "B", 15)
                pdf.multi_cell(0, 7, line)
            elif heading.match(line):
                pdf.set_font("Helvetica", "B", 12)
                pdf.ln(2)
                pdf.multi_cell(0, 6, line)
            else:
                pdf.set_font("Helvetica", size=10.5)
                pdf.multi_cell(0, 5.5, line)
            pdf.ln(1.5)
        if pdf.get_y() > pdf.h - 15:
            raise ValueError(f"{source.name}: page {number + 1} overflows; move text to a new page")
    pdf.output(str(target))


def main() -> None:
    for source in sorted(SOURCES.glob("*.txt")):
        target = DOCUMENTS / (source.stem + ".pdf")
        build_pdf(source, target)
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
