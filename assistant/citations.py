"""Numbered citations: built from the quoted sentences and rendered into the answer text."""

from __future__ import annotations

import re

from assistant.answer import Sentence
from assistant.types import Citation, Passage


def build_citations(selected: list[Sentence], passages: list[Passage], first: int = 1) -> list[tuple[Citation, str]]:
    """One citation per run of adjacent quoted sentences in a passage (a blank line ends a run: a paragraph or clause
    of its own is cited on its own), with the text to show for it."""
    groups: list[list[Sentence]] = []
    for sentence in selected:
        last = groups[-1][-1] if groups else None
        gap = passages[sentence.passage].chunk.text[last.end : sentence.start] if last else ""
        if last and last.passage == sentence.passage and not gap.strip() and gap.count("\n") < 2:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    cited = []
    for offset, group in enumerate(groups):
        passage = passages[group[0].passage]
        chunk = passage.chunk
        start, end = group[0].start, group[-1].end
        citation = Citation(
            n=first + offset,
            title=chunk.meta.title,
            doc_type=chunk.meta.doc_type,
            date=chunk.meta.date,
            page=chunk.page,
            section=chunk.section,
            file=chunk.file,
            source_url=chunk.meta.source_url,
            towns=chunk.meta.towns,
            quote=chunk.text[start:end],
            quote_start=start,
            quote_end=end,
            passage=chunk.text,
            score=round(max(s.score for s in group), 4),
            summary_of=chunk.meta.summary_of,
            publisher=chunk.meta.publisher,
            ocr=chunk.ocr,
        )
        cited.append((citation, " ".join(s.text for s in group)))
    return cited


def render(cited: list[tuple[Citation, str]], labels: list[str] | None = None) -> str:
    """The answer text: each quote followed by its [n] marker, optionally prefixed by a label ("Quincy:")."""
    parts = []
    for index, (citation, text) in enumerate(cited):
        label = f"{labels[index]}: " if labels and labels[index] else ""
        parts.append(f"{label}{_collapse(text)} [{citation.n}]")
    return " ".join(parts) if not labels else "\n".join(parts)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
