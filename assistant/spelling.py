"""Misspelled question words, read as the word the retrieved passages use ("sherrif" → "sheriff").

A typed word is taken as misspelled only when it is neither an everyday English word (a whole word of the
embedding model's vocabulary) nor anywhere in the index, and one of the passages retrieved for the question has a
word one or two letters away from it (one for words of six letters or fewer). The passages are where the right
spelling comes from, so a word is only ever read as one the documents use; a real word the documents lack ("what's
the weather in lowell") is left as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable

_TYPED = re.compile(r"\b[A-Za-z]{5,}\b")  # whole words; shorter ones are too close to too many others
_PASSAGE_WORD = re.compile(r"[A-Za-z]{4,}")


def misspelled(
    question: str,
    passages: Iterable[str],
    is_word: Callable[[str], bool],
    indexed: Callable[[list[str]], set[str]],
    stem: Callable[[str], str] = str.lower,
    names: Collection[str] = (),
) -> dict[str, str]:
    """Each misspelled word of the question (as typed) → the passages' spelling of it. `is_word` says whether a
    lower-case word is an everyday English word; `indexed` which of some words the index has (by their stems);
    `names` are lower-case words of names never corrected (towns and their neighbourhoods: "Seaport" is not
    "support"). A word is not read as another of its own family ("jailers" is not a misspelled "jails"; `stem`
    gives the stems that tell)."""
    typed = unknown_words(question, is_word, indexed, names)
    if not typed:
        return {}
    forms = Counter(w for text in passages for w in _PASSAGE_WORD.findall(text))
    spellings: dict[str, Counter[str]] = {}
    for form, count in forms.items():
        spellings.setdefault(form.lower(), Counter())[form] += count
    fixes = {}
    for word in typed:
        lower = word.lower()
        limit = 1 if len(lower) <= 6 else 2
        own_stem = stem(lower)
        best: tuple[int, int, str] | None = None
        for candidate, surfaces in spellings.items():
            if candidate == lower or candidate[0] != lower[0] or abs(len(candidate) - len(lower)) > limit:
                continue
            distance = edit_distance(lower, candidate, limit)
            family = distance > 1 and _same_family(own_stem, stem(candidate))
            if distance <= limit and not family:
                key = (distance, -sum(surfaces.values()), candidate)
                if best is None or key < best:
                    best = key
        if best is not None:
            # lower case unless the passages always capitalize it (a name: "Barnstable", "Hodgson")
            fixes[word] = best[2] if best[2] in spellings[best[2]] else spellings[best[2]].most_common(1)[0][0]
    return fixes


def unknown_words(
    question: str, is_word: Callable[[str], bool], indexed: Callable[[list[str]], set[str]], names: Collection[str] = ()
) -> list[str]:
    """The question's words (as typed) that are no everyday word, no contraction, no name and in no chunk."""
    typed = [
        w
        for w in dict.fromkeys(_TYPED.findall(question))
        if not is_word(w.lower()) and not _contraction(w.lower(), is_word) and w.lower() not in names
    ]
    if typed:
        known = indexed(typed)
        typed = [w for w in typed if w not in known]
    return typed


def nearest_terms(word: str, terms: Iterable[str], limit: int = 1) -> list[str]:
    """Those of the terms within `limit` letters of the (lower-case) word, closest first."""
    distances = {t: edit_distance(word, t, limit) for t in terms if abs(len(t) - len(word)) <= limit}
    return sorted((t for t, d in distances.items() if d <= limit), key=lambda t: (distances[t], t))


def _same_family(a: str, b: str) -> bool:
    """Whether one stem begins with the other ("jailer" and "jail"): two letters or more apart, a different word
    of one family, not a misspelling (one letter apart, "amendmant" is still read as "amendment")."""
    return a.startswith(b) or b.startswith(a)


def _contraction(word: str, is_word: Callable[[str], bool]) -> bool:
    """A contraction typed without its apostrophe ("wouldnt", "doesnt"): never read as the word without "nt"."""
    return word.endswith("nt") and is_word(word[:-2])


def respelled(text: str, fixes: dict[str, str]) -> str:
    """The text with each misspelled word (whole words only) replaced by its fix."""
    for typed, fixed in fixes.items():
        text = re.sub(rf"\b{re.escape(typed)}\b", fixed, text)
    return text


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters changed, added, dropped or swapped with a neighbour to turn a into b (optimal string alignment);
    any figure above `limit` is returned as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)
