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
