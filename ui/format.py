"""Pure formatting of answers, citations and document lists as safe HTML, and the interface text in two languages.

Nothing here imports Gradio. Every piece of document or answer text is escaped, so markup inside a document
(`<script>`, `onerror=`, `javascript:` links) shows as text and never runs.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlparse

from assistant.types import Answer, Citation

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Massachusetts police, courts and ICE — ask the documents",
        "intro": "Answers are quoted from the documents, with numbered sources you can check. This is information, not legal advice.",
        "chat_tab": "Chat",
        "documents_tab": "Documents",
        "question": "Your question",
        "placeholder": "e.g. What is Quincy's police policy on ICE?",
        "ask": "Ask",
        "new": "New conversation",
        "town": "Town",
        "type": "Document type",
        "all": "All",
        "sources": "Sources",
        "no_sources": "Sources for the answer appear here.",
        "helpful": "Helpful (thumbs up)",
        "not_helpful": "Not helpful (thumbs down)",
        "comment": "Comment (optional)",
        "thanks": "Thanks — your feedback was saved.",
        "no_answer_yet": "Ask a question first.",
        "searching": "Searching the documents…",
        "upload": "Add documents (PDF, HTML, Markdown, text, Word)",
        "add": "Add to the index",
        "date": "Date of the original (YYYY-MM-DD)",
        "url": "Source URL",
        "remove": "Remove document",
        "remove_button": "Remove",
        "documents": "Documents in the index",
        "results": "Results",
        "language": "Language",
        "understood": "Understood as",
        "filters": "Filters",
        "open_doc": "Open document",
        "open_page": "Open at page",
        "original": "Original",
        "page": "page",
        "statewide": "statewide",
        "examples": "Examples",
        "summary_of": "Summary of",
        "kind_answer": "Answer from the documents",
        "kind_closest": "Closest passages — they may not answer it exactly",
        "kind_none": "Not in the documents",
        "ocr": "text recognised from a scan",
        "inferred": "inferred",
        "edit": "Correct a document's details",
        "edit_choice": "Document",
        "edit_title": "Title",
        "edit_towns": "Towns (comma-separated; empty = statewide)",
        "save": "Save changes",
        "saved": "Saved",
    },
    "es": {
        "title": "Policía, tribunales e ICE en Massachusetts — pregunte a los documentos",
        "intro": "Las respuestas citan los documentos, con fuentes numeradas que puede comprobar. Es información, no asesoría legal.",
        "chat_tab": "Conversación",
        "documents_tab": "Documentos",
        "question": "Su pregunta",
        "placeholder": "p. ej. ¿Cuál es la política de la policía de Quincy sobre ICE?",
        "ask": "Preguntar",
        "new": "Nueva conversación",
        "town": "Municipio",
        "type": "Tipo de documento",
        "all": "Todos",
        "sources": "Fuentes",
        "no_sources": "Aquí aparecen las fuentes de la respuesta.",
        "helpful": "Útil (pulgar arriba)",
        "not_helpful": "No útil (pulgar abajo)",
        "comment": "Comentario (opcional)",
        "thanks": "Gracias — se guardó su opinión.",
        "no_answer_yet": "Primero haga una pregunta.",
        "searching": "Buscando en los documentos…",
        "upload": "Agregar documentos (PDF, HTML, Markdown, texto, Word)",
        "add": "Agregar al índice",
        "date": "Fecha del original (AAAA-MM-DD)",
        "url": "URL de la fuente",
        "remove": "Quitar documento",
        "remove_button": "Quitar",
        "documents": "Documentos en el índice",
        "results": "Resultados",
        "language": "Idioma",
        "understood": "Entendido como",
        "filters": "Filtros",
        "open_doc": "Abrir documento",
        "open_page": "Abrir en la página",
        "original": "Original",
        "page": "página",
        "statewide": "todo el estado",
        "examples": "Ejemplos",
        "summary_of": "Resumen de",
        "kind_answer": "Respuesta de los documentos",
        "kind_closest": "Pasajes más cercanos — puede que no respondan exactamente",
        "kind_none": "No está en los documentos",
        "ocr": "texto reconocido de un escaneo",
        "inferred": "deducido",
        "edit": "Corregir los datos de un documento",
        "edit_choice": "Documento",
        "edit_title": "Título",
        "edit_towns": "Municipios (separados por comas; vacío = todo el estado)",
        "save": "Guardar cambios",
        "saved": "Guardado",
    },
}
EXAMPLES = {
    "en": [
        "What is Quincy's police policy on ICE?",
        "What did the court decide in Lunn v. Commonwealth?",
        "Can court staff contact ICE under the Trial Court policy?",
        "How do I request my town's police policy?",
    ],
    "es": [
        "¿Cuál es la política de la policía de Quincy sobre ICE?",
        "¿Qué decidió el tribunal en Lunn v. Commonwealth?",
        "¿Puede ICE entrar en mi casa sin una orden judicial?",
        "¿Cómo pido la política de la policía de mi pueblo?",
    ],
}


def text(key: str, language: str = "en") -> str:
    return STRINGS.get(language, STRINGS["en"]).get(key, STRINGS["en"][key])


def safe_text(value: str) -> str:
    """Document text for a Markdown-rendered message: HTML escaped, Markdown characters neutralised."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(value, quote=False))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (a `javascript:` link never becomes a link)."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def answer_message(answer: Answer, turn: int, language: str = "en") -> str:
    """The chat message for an answer: escaped text whose [n] markers link to their citation cards."""
    body = safe_text(answer.answer).replace("\n", "<br>")
    body = re.sub(
        r"\\\[(\d+)\\\]", lambda m: f'<a class="cite-ref" href="#cite-{turn}-{m.group(1)}">[{m.group(1)}]</a>', body
    )
    parts = [body]
    if answer.kind in ("answer", "closest", "none"):
        # The three kinds of reply look different: a confident answer, the closest passages, nothing here.
        parts.insert(0, f'<span class="reply-kind reply-{answer.kind}">{text("kind_" + answer.kind, language)}</span>')
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.insert(0, f"<em>{text('understood', language)}: {safe_text(answer.standalone_question)}</em>")
    for note in answer.notes:
        parts.append(f"<em>{safe_text(note)}</em>")
    if answer.filters:
        parts.append(f'<span class="filters">{text("filters", language)}: {safe_text(answer.filters)}</span>')
    return "<br><br>".join(parts)


def highlighted_passage(passage: str, start: int, end: int) -> str:
    """The passage, escaped, with the quoted part marked."""
    return f"{html.escape(passage[:start])}<mark>{html.escape(passage[start:end])}</mark>{html.escape(passage[end:])}"


def document_link(file: str, page: int | None) -> str:
    """Where the copy of a document kept in the index is served, at the cited page for PDFs."""
    link = f"/doc/{quote(file)}"
    return f"{link}#page={page}" if page and file.lower().endswith(".pdf") else link


def citation_cards(answer: Answer | None, turn: int, language: str = "en") -> str:
    """One card per citation: title, type, towns, date, page, section, what it summarizes, links, and the passage
    with the quote marked."""
    if not answer or not answer.citations:
        return f'<div class="cards empty">{html.escape(text("no_sources", language))}</div>'
    return '<div class="cards">' + "".join(citation_card(c, turn, language) for c in answer.citations) + "</div>"


def citation_card(c: Citation, turn: int, language: str = "en") -> str:
    facts = [c.doc_type, ", ".join(c.towns) or text("statewide", language), c.date or "—"]
    if c.page:
        facts.append(f"{text('page', language)} {c.page}")
    if c.section:
        facts.append(c.section)
    if c.ocr:  # recognised text may hold misread words: the reader should check the page itself
        facts.append(text("ocr", language))
    label = text("open_page", language) + f" {c.page}" if c.page else text("open_doc", language)
    links = [
        f'<a href="{html.escape(document_link(c.file, c.page), quote=True)}" target="_blank" rel="noopener">'
        f"{html.escape(label)}</a>"
    ]
    url = safe_url(c.source_url)
    if url:
        links.append(
            f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(text('original', language))}</a>"
        )
    # A summary is never to be mistaken for the original it summarizes.
    summary = (
        f'<p class="summary">{html.escape(text("summary_of", language))}: {html.escape(c.summary_of)}</p>'
        if c.summary_of
        else ""
    )
    return (
        f'<article class="card" id="cite-{turn}-{c.n}" tabindex="-1">'
        f'<h4><span class="n">[{c.n}]</span> {html.escape(c.title)}</h4>'
        f'<p class="meta">{" · ".join(html.escape(str(f)) for f in facts)}</p>'
        f"{summary}"
        f'<p class="links">{" · ".join(links)}</p>'
        f'<blockquote class="passage">{highlighted_passage(c.passage, c.quote_start, c.quote_end)}</blockquote>'
        f'<p class="file">{html.escape(c.file)}</p>'
        "</article>"
    )


DOCUMENT_HEADERS = ["title", "type", "towns", "date", "chunks", "file", "inferred"]


def document_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows for the documents table: title, type, towns, date, chunks, file, and the fields read from the text."""
    return [
        [
            r["title"],
            r["doc_type"],
            ", ".join(r["towns"]) or "statewide",
            r.get("date") or "",
            r["chunks"],
            r["file"],
            ", ".join(r.get("inferred") or []),
        ]
        for r in records
    ]


def ingest_rows(report: dict[str, Any]) -> list[list[Any]]:
    """Rows for the upload results: file, status, and chunks (with what OCR did and any warning) or why it failed."""
    rows = []
    for f in report["files"]:
        detail = f["reason"] or f"{f['chunks']} chunks"
        ocr = f.get("ocr") or {}
        if not f["reason"] and (ocr.get("recognised") or ocr.get("cached")):
            detail += f"; {ocr['recognised'] + ocr['cached']} scanned pages read with OCR"
        detail += "".join(f"; warning: {note}" for note in f.get("notes") or [])
        rows.append([f["file"], f["status"], detail])
    return rows
