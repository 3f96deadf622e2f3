"""Checking what a language model's sentences claim against the passages it was given, one sentence at a time.

A sentence is kept when the passages it cites hold every quote, number, date, name and town it states and say
something like it; a sentence without a citation is attributed to the passage that supports it best, if one does.
A failing sentence is replaced by the passage's own most similar sentence (quoted verbatim), or dropped. Small
models mostly leave out the citations and add facts of their own, so these checks are the normal path, not the
exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from assistant.answer import INSTRUCTIONS as ADDRESSES_A_MODEL
from assistant.types import Passage
from assistant.verify import strip_foreign_links
from corpus.chunking import ends_sentence, split_sentences
from corpus.towns import TownRegistry

# "[2]", "[1, 3]", "[Passage 2]", "[passages 1 and 2]": the ways models write a citation.
MARKERS = re.compile(r"\[\s*(?:passages?|source|doc(?:ument)?)?\s*(\d+(?:\s*(?:,|;|and|&)\s*\d+)*)\s*\]", re.I)
_QUOTE = re.compile(r"\"([^\"]{3,})\"|“([^”]{3,})”")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'.&-]*")
_WORD = re.compile(r"[\w’']+")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[[^\[\]]*\])+")
_OPEN_MARKER = re.compile(r"\[[^\[\]]*")
_EMPHASIS = re.compile(r"\*\*|__|`")
_LINE_START = re.compile(r"^\s*(?:[-*•]|\d+[.)]|#+)\s+|^\s*(?:answer|respuesta)\s*:\s*", re.I)
# Capitalised only because they open a sentence or a clause; they state no fact a passage would have to hold.
_OPENERS = {
    *("the", "a", "an", "in", "on", "at", "of", "for", "to", "by", "under", "this", "that", "these", "those"),
    *("it", "its", "they", "their", "there", "yes", "no", "however", "also", "and", "but", "or", "if", "when"),
    *("while", "both", "each", "all", "some", "any", "according", "as", "after", "before", "since", "with"),
    *("without", "not", "additionally", "furthermore", "moreover", "overall", "therefore", "thus", "so", "then"),
    *("generally", "specifically", "instead", "here", "note", "based", "per", "i", "we", "you", "he", "she"),
    *("his", "her", "our", "one", "such", "other", "only", "every", "where", "which", "who", "what", "how"),
}
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_UNITS += ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORD = re.compile(
    rf"\b({'|'.join(_TENS[2:])})(?:[\s-]({'|'.join(_UNITS[1:10])}))?\b|\b({'|'.join(_UNITS[2:])}|hundred)\b", re.I
)
Status = Literal["kept", "repaired", "dropped"]


@dataclass
class Source:
    """A passage as the model saw it (numbered from 1), with its sentences and what it states."""

    n: int
    passage: Passage
    spans: list[tuple[int, int]]
    vectors: np.ndarray
    words: set[str]
    numbers: set[str]
    towns: set[str]
    flat: str

    @property
    def text(self) -> str:
        return self.passage.chunk.text


@dataclass
class Checked:
    """One sentence of the reply after checking: what to show, which passages it rests on, and why."""

    status: Status
    text: str = ""
    sources: list[int] = field(default_factory=list)
    # For each passage it rests on, that passage's most similar sentence: number → (similarity, start, end).
    supports: dict[int, tuple[float, int, int]] = field(default_factory=dict)
    reason: str = ""


def reply_sentences(text: str) -> list[str]:
    """The sentences of a model's reply, list and emphasis markup taken off, each line on its own; a citation
    written after the full stop ("… released. [1]") stays with the sentence it follows."""
    sentences: list[str] = []
    for line in text.split("\n"):
        line = _LINE_START.sub("", _EMPHASIS.sub("", line))
        for start, end in split_sentences(line):
            piece = line[start:end].strip()
            leading = _LEADING_MARKERS.match(piece)
            if leading and sentences:
                sentences[-1] += " " + leading.group(0).strip()
                piece = piece[leading.end() :].strip()
            if sentences and _OPEN_MARKER.fullmatch(piece):  # "[1" still being written
                sentences[-1] += " " + piece
            elif piece:
                sentences.append(piece)
    return sentences


def cited_numbers(sentence: str) -> list[int]:
    """The passage numbers a sentence cites, in order, without repeats."""
    found: list[int] = []
    for match in MARKERS.finditer(sentence):
        for number in re.findall(r"\d+", match.group(1)):
            if int(number) not in found:
                found.append(int(number))
    return found


def without_markers(sentence: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", MARKERS.sub("", sentence)).strip()


def flatten(text: str) -> str:
    """Text for verbatim comparison: one kind of quote, apostrophe and dash, and single spaces."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", re.sub(r"[–—]", "-", text)).strip()


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, as digits ("forty-seven" and "47" are the same number)."""
    found = {m.group(0).replace(",", "").rstrip(".") for m in _DIGITS.finditer(text)}
    for match in _NUMBER_WORD.finditer(text):
        if match.group(1):
            found.add(str(_TENS.index(match.group(1).lower()) * 10 + _unit(match.group(2))))
        elif match.group(3).lower() == "hundred":
            found.add("100")
        else:
            found.add(str(_UNITS.index(match.group(3).lower())))
    return found


def _unit(word: str | None) -> int:
    return _UNITS.index(word.lower()) if word else 0


def names_in(text: str) -> set[str]:
    """Capitalised words that may name a person, place, organisation, month or document (lower case)."""
    names = set()
    for match in _CAPITALISED.finditer(text):
        word = re.sub(r"(['’]s|['’])$", "", match.group(0).rstrip(".")).lower()
        if len(word) > 1 and word not in _OPENERS:
            names.add(word)
    return names


def quotes_in(text: str) -> list[str]:
    """The strings a sentence puts in quotation marks, closing punctuation taken off."""
    return [flatten(a or b).rstrip(".,;:!?") for a, b in _QUOTE.findall(text)]


class SentenceChecker:
    """Checks a reply's sentences against the passages the model was given."""

    def __init__(
        self,
        passages: list[Passage],
        embed: Callable[[list[str]], np.ndarray],
        registry: TownRegistry,
        support_above: float,
        cited_floor: float,
    ):
        self.embed = embed
        self.registry = registry
        self.support_above = support_above
        self.cited_floor = cited_floor
        self.allowed_links = {p.chunk.meta.source_url for p in passages if p.chunk.meta.source_url}
        spans = [[s for s in split_sentences(p.chunk.text) if _quotable(p.chunk.text[s[0] : s[1]])] for p in passages]
        texts = [p.chunk.text[a:b] for p, found in zip(passages, spans, strict=True) for a, b in found]
        vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        self.sources: list[Source] = []
        row = 0
        for n, (passage, found) in enumerate(zip(passages, spans, strict=True), start=1):
            text = passage.chunk.text
            self.sources.append(
                Source(
                    n=n,
                    passage=passage,
                    spans=found,
                    vectors=vectors[row : row + len(found)],
                    words={w.lower().replace("’", "'") for w in _WORD.findall(f"{passage.chunk.meta.title} {text}")},
                    numbers=numbers_in(f"{passage.chunk.meta.title} {text}"),
                    towns=set(registry.find(text)) | set(passage.chunk.meta.towns),
                    flat=flatten(text),
                )
            )
            row += len(found)

    def check(self, sentence: str) -> Checked:
        """Keep, attribute, repair or drop one sentence of the reply."""
        cited = cited_numbers(sentence)
        text = strip_foreign_links(without_markers(sentence), self.allowed_links)
        if len(re.findall(r"[A-Za-zÀ-ÿ]{2,}", text)) < 3:
            return Checked("dropped", reason="not a statement")
        given = [self.sources[n - 1] for n in cited if 1 <= n <= len(self.sources)]
        vector = self.embed([text])[0]
        best = {source.n: self._best_sentence(source, vector) for source in self.sources}
        if given:
            missing = self._unsupported(text, given)
            if not missing and max(best[s.n][0] for s in given) >= self.cited_floor:
                return self._kept(text, [s.n for s in given], best)
            reason = f"not in the cited passage: {', '.join(missing)}" if missing else "unlike the cited passage"
            return self._repair(text, [s.n for s in given], best, reason)
        reason = f"cites [{cited[0]}] of {len(self.sources)} passages" if cited else "no citation"
        supporting = [
            s.n for s in self.sources if best[s.n][0] >= self.support_above and not self._unsupported(text, [s])
        ]
        if supporting:
            return self._kept(text, [max(supporting, key=lambda n: best[n][0])], best)
        return self._repair(text, [s.n for s in self.sources], best, reason + " and no passage supports it")

    def _unsupported(self, text: str, sources: list[Source]) -> list[str]:
        """What the sentence states that none of these passages holds: quotes, numbers, towns, names."""
        missing = [f'"{q}"' for q in quotes_in(text) if not any(_holds_quote(s.flat, q) for s in sources)]
        numbers = set().union(*(s.numbers for s in sources))
        missing += sorted(numbers_in(text) - numbers)
        towns = set().union(*(s.towns for s in sources))
        missing += [t for t in self.registry.find(text) if t not in towns]
        words = set().union(*(s.words for s in sources))
        missing += sorted(w for w in names_in(text) if w.replace("’", "'") not in words)
        return missing

    def _best_sentence(self, source: Source, vector: np.ndarray) -> tuple[float, int, int]:
        """The passage's sentence most similar to the claim: (similarity, start, end); (0, -1, -1) if none."""
        if not source.spans:
            return 0.0, -1, -1
        similarities = source.vectors @ vector
        index = int(np.argmax(similarities))
        return float(similarities[index]), *source.spans[index]

    def _kept(self, text: str, numbers: list[int], best: dict[int, tuple[float, int, int]]) -> Checked:
        return Checked("kept", text, numbers, {n: best[n] for n in numbers if best[n][1] >= 0})

    def _repair(self, text: str, numbers: list[int], best: dict[int, tuple[float, int, int]], reason: str) -> Checked:
        """The most similar sentence of these passages in the claim's place, verbatim, when one is similar enough."""
        usable = [n for n in numbers if best[n][1] >= 0]
        if usable:
            n = max(usable, key=lambda k: best[k][0])
            similarity, start, end = best[n]
            if similarity >= self.support_above:
                verbatim = re.sub(r"\s+", " ", self.sources[n - 1].text[start:end]).strip()
                return Checked("repaired", verbatim, [n], {n: best[n]}, reason)
        return Checked("dropped", reason=reason)


def _quotable(sentence: str) -> bool:
    """A passage sentence that may support or replace a claim: prose, and not text addressed to a model."""
    return ends_sentence(sentence) and not ADDRESSES_A_MODEL.search(sentence)


def _holds_quote(flat_passage: str, quote: str) -> bool:
    """Whether the quote stands in the passage verbatim (spacing aside; its first letter's case may differ)."""
    if quote in flat_passage:
        return True
    return len(quote) > 1 and (quote[0].swapcase() + quote[1:]) in flat_passage
