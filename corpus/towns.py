"""The 351 Massachusetts cities and towns, their counties and common aliases, and finding them in text.

Data: `data/municipalities.csv`, compiled by this project from the Secretary of the Commonwealth's list of
Massachusetts cities and towns by county (https://www.sec.state.ma.us/divisions/cis/) with neighbourhood and
village names added by hand (e.g. Dorchester and Jamaica Plain are parts of Boston).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.errors import UnknownTownError

DATA_FILE = Path(__file__).parent / "data" / "municipalities.csv"

# Words before or after a town name that mark it as a place, for names that are also everyday words.
_CUE_BEFORE = r"(?:\bin|\bof|\bfor|\bfrom|\babout|\btown of|\bcity of|\band|\bor|\bvs\.?|\bversus)\s+$"
# A cue after the name that names the town itself ("lee police", "orange, ma"); a question's end ("what about lee?")
# is a cue too, but a weaker one.
_NAMING_CUE = r"'s\b|’s\b|\s+(?:police|pd|town|city|department|chief|mayor|officers?|ma\b|mass\b|massachusetts)|,\s*(?:ma|mass|massachusetts)\b"
_CUE_NAMED = rf"^(?:{_NAMING_CUE})"
_CUE_AFTER = rf"^(?:{_NAMING_CUE}|\s*\?)"

# A place flown to at a question's end ("a plane to florida?") is no town's name by that alone: the cue must name it;
# for a town named like a state (Florida, Washington), any journey's end ("moving to florida?"). JOURNEY_TO also tells
# a state one travels to from a state asked about (assistant/answer.py).
_FLIGHT = r"planes?|fly|flying|flew|flights?|trips?|vacation|vacationing"
_JOURNEY = rf"{_FLIGHT}|travel(?:l?ing)?|moving|move|moved|bus|train|drive|driving|going|go|went|visit(?:ing)?"
_DESTINATION = rf"\b(?:{_FLIGHT})\b(?:\s+[\w'’]+){{0,2}}?\s+to\s+$"
JOURNEY_TO = rf"\b(?:{_JOURNEY})\b(?:\s+[\w'’]+){{0,2}}?\s+to\s+$"
_STATE_NAMED = {"Florida", "Washington"}


# A newspaper or station named after its town ("(Chelsea Record, 2026-02-12)") says nothing about the town.
# Capitalised, as a paper's name is written: "does quincy record immigration status" is the town and a verb.
_NEWSPAPER_AFTER = re.compile(
    r"\s+(?:Record|Reporter|Independent|Globe|Herald|Times|Telegram|Sun|Week|Bulletin|Enterprise|Gazette|Ledger|"
    r"Courier|Journal|Transcript|Chronicle|Tribune|Standard-Times|Daily News|\d+ News)\b"
)
_COUNTY_NAMED = re.compile(r"\b([A-Za-z]+) [Cc]ount(?:y|ies)\b")


@dataclass(frozen=True)
class Town:
    """One municipality."""

    name: str
    county: str
    aliases: tuple[str, ...] = ()
    common_word: bool = False


@dataclass
class TownRegistry:
    """Looks up towns by name or alias and finds the towns a piece of text is about."""

    towns: dict[str, Town]
    _by_key: dict[str, str] = field(init=False, repr=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False)
    _name_words: frozenset[str] | None = field(default=None, init=False, repr=False)
    _counties: frozenset[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {}
        for town in self.towns.values():
            for name in (town.name, *town.aliases):
                self._by_key[_key(name)] = town.name
        names = sorted(self._by_key, key=len, reverse=True)
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names)
        self._pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)

    def name_words(self) -> frozenset[str]:
        """Every lower-case word of every town's name and alias ("seaport", "marstons", "mills")."""
        if self._name_words is None:
            self._name_words = frozenset(w for key in self._by_key for w in re.findall(r"[a-z]+", key))
        return self._name_words

    def counties(self) -> frozenset[str]:
        """The counties' names, lower case ("bristol")."""
        if self._counties is None:
            self._counties = frozenset(town.county.lower() for town in self.towns.values())
        return self._counties

    def counties_in(self, text: str) -> list[str]:
        """The counties the text names as "<name> County", lower case, in order, without repeats ("which county"
        and "every county" are none)."""
        named: list[str] = []
        for match in _COUNTY_NAMED.finditer(text):
            if match.group(0).lower().endswith("counties"):
                # "Barnstable, Dukes and Nantucket counties": each name of the list
                listed = re.search(
                    r"((?:[A-Za-z]+,?\s+)*?)(?:and|or|&)\s+$", text[max(0, match.start() - 80) : match.start()]
                )
                named += re.findall(r"[A-Za-z]+", listed.group(1)) if listed else []
            named.append(match.group(1))
        return list(dict.fromkeys(n.lower() for n in named if n.lower() in self.counties()))

    def __len__(self) -> int:
        return len(self.towns)

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._by_key

    def get(self, name: str) -> Town | None:
        """The town with this name or alias, or None."""
        canonical = self._by_key.get(_key(name))
        return self.towns[canonical] if canonical else None

    def canonical(self, name: str) -> str:
        """The official name for a town name or alias; raises UnknownTownError with suggestions."""
        town = self.get(name)
        if town:
            return town.name
        close = difflib.get_close_matches(name.strip().title(), list(self.towns), n=3, cutoff=0.75)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownTownError(f"{name!r} is not a Massachusetts city or town.{hint}")

    def find(self, text: str, any_case: bool = False) -> list[str]:
        """Towns named in the text, in order of first mention, without repeats.

        A name that is also an everyday word ("Lee", "Orange", "Salem") counts only with a cue such as "in",
        "police" or "town of"; "X County" never counts as the town X, nor "Mount X" (a mountain, a college); names are matched regardless of case in
        text typed all in lower case or when `any_case`, otherwise only capitalized ones are.
        """
        any_case = any_case or text == text.lower()
        found: list[str] = []
        for match in self._pattern.finditer(text):
            word = match.group(1)
            canonical = self._by_key[_key(word)]
            town = self.towns[canonical]
            if not any_case and not word[0].isupper():
                continue
            after = text[match.end() :]
            if re.match(r"\s+count(y|ies)\b", after, re.IGNORECASE):
                continue
            if _NEWSPAPER_AFTER.match(after):
                continue  # "Chelsea Record", "The Boston Globe", "Boston 25 News": a newspaper, not the town
            # "Mount Holyoke" (a college, a mountain) is not the town of Holyoke
            if re.search(r"\b(mount|mt\.?)\s+$", text[max(0, match.start() - 8) : match.start()], re.IGNORECASE):
                continue
            is_alias = _key(word) != _key(canonical)
            if town.common_word and not is_alias:
                before = text[: match.start()]
                if not (re.search(_CUE_BEFORE, before, re.IGNORECASE) or re.match(_CUE_AFTER, after, re.IGNORECASE)):
                    continue
                gone_to = JOURNEY_TO if canonical in _STATE_NAMED else _DESTINATION
                if re.search(gone_to, before, re.IGNORECASE) and not re.match(_CUE_NAMED, after, re.IGNORECASE):
                    continue  # "could i use it to get on a plane to florida?": a trip's end, not the town
            if canonical not in found:
                found.append(canonical)
        return found

    def find_in_question(self, question: str) -> list[str]:
        """Towns a typed question names: any case ("lowell pd"), and names of six or more letters with one letter
        wrong, missing, extra or swapped ("worchester", "evrett") when no town is named exactly."""
        found = self.find(question, any_case=True)
        return found or list(dict.fromkeys(town for _, town in self._misspelled(question)))

    def spell_towns(self, question: str) -> str:
        """The question with misspelled town names written correctly ("evrett police" → "Everett police") and
        the town's own name after an alias ("BPD" → "BPD (Boston)"), so the town's name is searched for."""
        found = self.find(question, any_case=True)
        if not found:
            for word, town in self._misspelled(question):
                question = re.sub(rf"\b{re.escape(word)}\b", town, question)
            return question
        named = {_key(w) for w in re.findall(r"[\w'’.-]+", question)}
        for match in reversed(list(self._pattern.finditer(question))):
            canonical = self._by_key[_key(match.group(1))]
            alias = _key(match.group(1)) != _key(canonical)
            if alias and canonical in found and _key(canonical) not in named:
                question = f"{question[: match.end()]} ({canonical}){question[match.end() :]}"
        return question

    def _misspelled(self, question: str) -> list[tuple[str, str]]:
        pairs = []
        for word in re.findall(r"[A-Za-z]{5,}", question):
            close = self._near_names(word.lower())
            if len(close) == 1:
                pairs.append((word, close[0]))
        return pairs

    def _near_names(self, word: str) -> list[str]:
        if word in _NOT_TOWNS:
            return []
        names = []
        for key, canonical in self._by_key.items():
            # Names of six letters or more; the first letter is rarely the one mistyped, and it keeps "golden"
            # from becoming Holden.
            similar = len(key) >= 6 and " " not in key and key[0] == word[0] and _one_edit_apart(key, word)
            if similar and not self.towns[canonical].common_word:
                names.append(canonical)
        return list(dict.fromkeys(names))


# Everyday words one letter away from a town's name.
_NOT_TOWNS = {"button", "bucket", "warden", "better", "letter", "mention", "mentions", "cotton"}


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added, dropped or two neighbours swapped (not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", " ", name.strip().lower())


@lru_cache(maxsize=1)
def load_towns(path: Path = DATA_FILE) -> TownRegistry:
    """The registry read from the shipped data file (read once per process)."""
    towns: dict[str, Town] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
            towns[row["name"]] = Town(row["name"], row["county"], aliases, row["common_word"] == "yes")
    return TownRegistry(towns)
