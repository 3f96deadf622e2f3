"""Pure text splitters: sentences with their offsets, and token-bounded chunks of a document's blocks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from corpus.models import Chunk, Document

# Abbreviations after which a period does not end a sentence (legal and Massachusetts usage included).
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "jr",
    "sr",
    "st",
    "no",
    "nos",
    "vs",
    "v",
    "inc",
    "co",
    "corp",
    "ltd",
    "dept",
    "gen",
    "rep",
    "sen",
    "gov",
    "lt",
    "sgt",
    "det",
    "capt",
    "atty",
    "mass",
    "sec",
    "ch",
    "c",
    "art",
    "para",
    "u.s",
    "u.s.c",
    "n.e",
    "n.e.2d",
    "n.e.3d",
    "e.g",
    "i.e",
    "etc",
    "al",
    "cf",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "approx",
    "est",
    "fig",
    "p",
    "pp",
    "vol",
    "j",
    "jj",
    "c.j",
    "a.m",
    "p.m",
    "s",
    "h",
    "d",
    "ct",
    "app",
    "supp",
    "f",
    "stat",
    "ave",
    "mt",
    "cir",
    "ann",
    "id",
    "cl",
    "par",
    "pt",
    "reg",
    "regs",
    "admin",
    "dist",
    "mun",
    "sup",
    "jud",
    "crim",
    "civ",
    "proc",
    "amend",
    "const",
    "sess",
    "ord",
    "gen. laws",
}
# How a sentence ends: a stop, then any closing quotes or brackets.
SENTENCE_END = r"[.!?…][\"'”’)\]]*"
# How a heading is numbered: "3.", "4.2", "IV.".
HEADING_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]+\.)"
_BOUNDARY = re.compile(rf"{SENTENCE_END}(?=\s+|$)|\n\s*\n|\n")
# A line ending like this ends a unit: a clause of an order or list ("…; and"), a lead-in ("shall not:").
_LINE_BREAK_ENDS = re.compile(r"(;|;\s*(and|or)|:)\s*$", re.IGNORECASE)
# A line that starts a unit: a list item, a numbered paragraph, a clause of an order.
_UNIT_START = re.compile(
    r"^(?:[-*•▪◦]\s+|\(?[0-9]{1,3}[.)]\s+|\(?[0-9]{1,2}(?:\.[0-9]{1,2})+\.?\s+|\(?[a-z]\)\s+|\([ivx]{1,4}\)\s+|"
    r"WHEREAS\b|NOW,? THEREFORE\b|BE IT\b|ORDERED\b|RESOLVED\b|Section\s+\d|SECTION\s+\d|§)"
)
_LIST_ITEM = re.compile(r"^(?:[-*•▪◦]\s+|\(?[0-9]{1,3}[.)]\s+|\(?[a-z]\)\s+|\([ivx]{1,4}\)\s+)")
# A row of a Markdown table ("| Holyoke | Mayoral executive order | 2014 |"), and the rule under its header row.
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|(?:\s*:?-+:?\s*\|)+\s*$")
# "Effective Date: 05/01/2025", "Policy Number: 415": a short label, a colon, a value, on one line.
_HEADER_LINE = re.compile(r"^[A-Z][A-Za-z.'’/&-]*(?:\s+[A-Za-z.'’/&-]+){0,4}:\s+\S.{0,100}$")
# What is on a page but is not its text: page numbers, running heads, site notices.
_FURNITURE = re.compile(
    r"^(?:(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$|"
    r"\b(by using [\w\s.]{0,40}you agree|all rights reserved|cookies?\b.{0,40}\b(accept|use|policy)|"
    r"subscribe (now|today|to our)|sign up for|skip to (main )?content|click here|advertisement|"
    r"share (this|on) (article|facebook|twitter|x)|terms of (use|service)|privacy policy)\b",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(rf"{SENTENCE_END}$")
_NUMBERING = re.compile(rf"^{HEADING_NUMBER}\s+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


class ChunkingConfig(BaseModel):
    """How documents are cut into passages."""

    model_config = ConfigDict(extra="forbid")

    chunk_tokens: int = Field(200, ge=32, le=254, description="Largest chunk, in the embedding model's word pieces.")
    overlap_tokens: int = Field(32, ge=0, le=128, description="Word pieces repeated from the end of one chunk.")

    @property
    def fingerprint(self) -> str:
        """What the chunks of a document depend on besides its bytes; a change re-chunks it on the next ingest."""
        # The suffix versions how chunks are cut and annotated (u2: quotable units, town mentions; u3: a table's
        # rows as units).
        return f"t{self.chunk_tokens}o{self.overlap_tokens}u3"


def ends_sentence(text: str) -> bool:
    """Whether the text ends as a statement does (not as a title or heading line)."""
    return bool(_ENDS_SENTENCE.search(text))


def is_furniture(text: str) -> bool:
    """Page furniture and site boilerplate: a page number, "Page 3 of 7", "By using … you agree", "Subscribe"."""
    return bool(_FURNITURE.search(text.strip()))


def is_quotable_unit(text: str) -> bool:
    """Whether a unit can be quoted as an answer: a sentence, a clause ending in ";" or "; and", a list item or
    a "Label: value" line — never a heading, a title block, a caption or page furniture."""
    text = text.strip()
    if is_furniture(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return False  # title blocks and captions ("SREYNUON LUNN vs. COMMONWEALTH.") are set in capitals
    if _CAPTION.search(text):
        return False
    if _HEADER_LINE.match(text) and "\n" not in text:
        return True
    if _TABLE_ROW.match(text.split("\n")[0]):
        # a table's row is quoted with its header row (`lead_in_span`); the header row and its rule are not, nor an
        # empty row
        return "\n" not in text and not _TABLE_RULE.match(text) and bool(re.search(r"\w", text))
    if not (_ENDS_SENTENCE.search(text) or _LINE_BREAK_ENDS.search(text)):
        return False
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= 4


# A court opinion's caption lines: who sat, the parties, the dates of argument and decision.
_CAPTION = re.compile(r"^(Present|Argued|Decided|Heard|Counsel|Docket No)\b|\b(C\.J\.|JJ)\b.*\bJJ?\.\s*$")


def header_line(text: str) -> tuple[str, str] | None:
    """("Effective Date", "05/01/2025") for a "Label: value" header line, else None."""
    if "\n" in text or not _HEADER_LINE.match(text.strip()) or _ENDS_SENTENCE.search(text.strip()):
        return None
    label, _, value = text.strip().partition(":")
    return label.strip(), value.strip()


def lead_in(text: str, spans: list[tuple[int, int]], index: int) -> str:
    """The line that introduces a list item ("Officers shall not:"), if the unit is one, else ""."""
    span = lead_in_span(text, spans, index)
    return text[span[0] : span[1]] if span else ""


def lead_in_span(text: str, spans: list[tuple[int, int]], index: int) -> tuple[int, int] | None:
    """The (start, end) of the line that introduces a list item (or a table's row: its header row), if the unit is
    one."""
    unit = text[spans[index][0] : spans[index][1]]
    if _TABLE_ROW.match(unit) and "\n" not in unit:
        for start, end in reversed(spans[:index]):
            lines = text[start:end].split("\n")
            if len(lines) == 2 and _TABLE_ROW.match(lines[0]) and _TABLE_RULE.match(lines[1]):
                return start, start + len(lines[0].rstrip())
            if not _TABLE_ROW.match(text[start:end]):
                return None
        return None
    if not _LIST_ITEM.match(unit):
        return None
    for start, end in reversed(spans[:index]):
        previous = text[start:end]
        if previous.rstrip().endswith(":"):
            return start, end
        if not _LIST_ITEM.match(previous):
            return None
    return None


def quotable_units(
    text: str, section: str | None, spans: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, text to embed) for each unit of a chunk: the unit after its section heading and, for a list
    item, its lead-in line — one definition for the ingest-time cache and the answer step. `spans` are the text's
    `split_sentences`, when the caller has them already."""
    heading = section_name(section)
    spans = split_sentences(text) if spans is None else spans
    units = []
    for i, (start, end) in enumerate(spans):
        parts = [p for p in (heading, lead_in(text, spans, i), text[start:end]) if p]
        units.append((start, end, ": ".join(parts[:1]) + (": " if len(parts) > 1 else "") + " ".join(parts[1:])))
    return units


def section_name(section: str | None) -> str:
    """A section heading without its numbering ("3. Findings" → "Findings"), or ""."""
    return _NUMBERING.sub("", (section or "").strip())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the quotable units of a text, whitespace trimmed: sentences, and the lines of
    official text that stand alone — list items, clauses ending in ";" or "; and", "Label: value" header lines.
    Blank lines always end a unit; abbreviations ("Cir.", "U.S.C."), an ellipsis or a stop inside an open
    quotation do not."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        stop = match.group()
        if stop.startswith("\n"):
            # A blank line always ends a unit; a single line break only where the line stands alone.
            stands_alone = (
                _LINE_BREAK_ENDS.search(text[start:end])
                or _starts_unit(text, end)
                or _ends_line_unit(text, start, match.start())
            )
            if stop.count("\n") < 2 and not stands_alone:
                continue
        else:
            if _TABLE_ROW.match(_line_around(text, match.start())):
                continue  # a stop inside a table's cell ends no unit: the row is one
            if stop.startswith(".") and is_abbreviation(text[start:end]):
                continue
            if not _next_starts_sentence(text, end) or _inside_quotation(text[start:end]):
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def _line_around(text: str, position: int) -> str:
    """The whole line the position lies in."""
    end = text.find("\n", position)
    return text[text.rfind("\n", 0, position) + 1 : end if end >= 0 else len(text)]


def _starts_unit(text: str, position: int) -> bool:
    """Whether a line starting here begins a unit of its own: a list item, a clause of an order, a header line, a
    table's row (not the rule under its header row)."""
    line = _line_around(text, position).strip()
    return bool(
        _UNIT_START.match(line) or _HEADER_LINE.match(line) or (_TABLE_ROW.match(line) and not _TABLE_RULE.match(line))
    )


def _ends_line_unit(text: str, start: int, end: int) -> bool:
    """Whether the line just ended stands alone: a clause ending in ";" or ":", a header line, a title line, a
    table's row (its header row stays with the rule under it)."""
    line = text[max(start, text.rfind("\n", start, end) + 1) : end].strip()
    if _TABLE_ROW.match(line):
        return not _TABLE_RULE.match(_line_around(text, end + 1))
    return bool(_HEADER_LINE.match(line) or is_furniture(line) or (line.isupper() and len(line) < 80))


def _inside_quotation(sentence: str) -> bool:
    """Whether a quotation opened in the sentence is still open at its end (its stop is the quotation's)."""
    tail = sentence[-300:]
    curly = tail.count("“") - tail.count("”")
    return curly > 0 or (tail.count('"') % 2 == 1 and "“" not in tail)


def sentence_texts(text: str) -> list[str]:
    """The text cut at sentence ends, each piece keeping its trailing whitespace (they join back to the text)."""
    spans = split_sentences(text)
    if not spans:
        return [text]
    cuts = [0] + [start for start, _ in spans[1:]] + [len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if a < b]


def chunk_document(
    document: Document, tokenize: Callable[[str], list[int]], config: ChunkingConfig | None = None
) -> list[Chunk]:
    """Sentence-aware chunks of each block, within the token budget, never crossing a block boundary."""
    from llama_index.core.node_parser import SentenceSplitter

    config = config or ChunkingConfig()
    splitter = SentenceSplitter(
        chunk_size=config.chunk_tokens,
        chunk_overlap=config.overlap_tokens,
        tokenizer=tokenize,
        paragraph_separator="\n\n",
        chunking_tokenizer_fn=sentence_texts,
    )
    chunks: list[Chunk] = []
    for block_no, block in enumerate(document.blocks):
        cursor = 0
        for piece in splitter.split_text(block.text):
            start = block.text.find(piece, cursor)
            if start < 0:  # the splitter only trims, so this means a bug, not bad input
                raise AssertionError(f"chunk not found in block {block_no} of {document.file}")
            cursor = start + 1
            number = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(document.sha256, number, config.fingerprint),
                    doc_sha256=document.sha256,
                    number=number,
                    text=piece,
                    file=document.file,
                    page=block.page,
                    section=block.section,
                    block=block_no,
                    start=start,
                    end=start + len(piece),
                    meta=document.meta,
                    ocr=block.ocr,
                    chunking=config.fingerprint,
                )
            )
    return chunks


def chunk_id(sha256: str, number: int, chunking: str) -> str:
    """A chunk's id: stable for the same file content and chunk settings, so re-ingesting it changes nothing."""
    return f"{sha256[:24]}-{chunking}-{number:05d}"


def is_abbreviation(sentence: str) -> bool:
    """Whether the text ends on an abbreviation's stop ("Cir.", "dept.", "U.S."), which ends no sentence."""
    match = _WORD_BEFORE.search(sentence.rstrip("\"'”’)]"))
    if not match:
        return False
    word = match.group(1).lower()
    return (
        word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    )


def _next_starts_sentence(text: str, end: int) -> bool:
    rest = text[end:].lstrip()
    return not rest or not rest[0].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
