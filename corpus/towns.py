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
_CUE_AFTER = r"^(?:'s\b|’s\b|\s+(?:police|pd|town|city|department|chief|mayor|officers?|ma\b|mass\b|massachusetts)|,\s*(?:ma|mass|massachusetts)\b|\s*\?)"


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

    def __post_init__(self) -> None:
        self._by_key = {}
        for town in self.towns.values():
            for name in (town.name, *town.aliases):
                self._by_key[_key(name)] = town.name
        names = sorted(self._by_key, key=len, reverse=True)
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names)
        self._pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)

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

    def find(self, text: str) -> list[str]:
        """Towns named in the text, in order of first mention, without repeats.

        A name that is also an everyday word ("Lee", "Orange", "Salem") counts only with a cue such as "in",
        "police" or "town of"; "X County" never counts as the town X; in text typed all in lower case, names
        are matched regardless of case, otherwise only capitalized ones are.
        """
        lowercase_text = text == text.lower()
        found: list[str] = []
        for match in self._pattern.finditer(text):
            word = match.group(1)
            canonical = self._by_key[_key(word)]
            town = self.towns[canonical]
            if not lowercase_text and not word[0].isupper():
                continue
            after = text[match.end() :]
            if re.match(r"\s+count(y|ies)\b", after, re.IGNORECASE):
                continue
            is_alias = _key(word) != _key(canonical)
            if town.common_word and not is_alias:
                before = text[: match.start()]
                if not (re.search(_CUE_BEFORE, before, re.IGNORECASE) or re.match(_CUE_AFTER, after, re.IGNORECASE)):
                    continue
            if canonical not in found:
                found.append(canonical)
        return found


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
