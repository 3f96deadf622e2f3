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
}
# How a sentence ends: a stop, then any closing quotes or brackets.
SENTENCE_END = r"[.!?…][\"'”’)\]]*"
# How a heading is numbered: "3.", "4.2", "IV.".
HEADING_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]+\.)"
_BOUNDARY = re.compile(rf"{SENTENCE_END}(?=\s+|$)|\n\s*\n")
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
        return f"t{self.chunk_tokens}o{self.overlap_tokens}"


def ends_sentence(text: str) -> bool:
    """Whether the text ends as a statement does (not as a title or heading line)."""
    return bool(_ENDS_SENTENCE.search(text))


def section_name(section: str | None) -> str:
    """A section heading without its numbering ("3. Findings" → "Findings"), or ""."""
    return _NUMBERING.sub("", (section or "").strip())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in a text, whitespace trimmed; blank lines always end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and _is_abbreviation(text[start:end]):
            continue
        if match.group().startswith(tuple(".!?…")) and not _next_starts_sentence(text, end):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


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


def _is_abbreviation(sentence: str) -> bool:
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
