"""A scale corpus for the benchmark: policy-like Markdown documents generated from a seed, any number of them.

The prose is made of realistic clauses (who, what they must or must not do, under which condition, with numbers,
dates and towns), so tokenization, chunking and BM25 see text like the real corpus's, not random characters.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

WORDS_PER_CHUNK = 150  # about what a 200-word-piece chunk holds in this register

_SUBJECTS = [
    "Officers of the {town} Police Department",
    "The {town} police chief",
    "The sheriff's office serving {town}",
    "Court officers in the {town} District Court",
    "Booking staff at the {town} station",
    "The records unit of the {town} department",
    "A supervisor on duty in {town}",
    "Dispatchers working for {town}",
]
_ACTIONS = [
    "shall not detain a person solely on the basis of a civil immigration detainer",
    "may share booking records with federal agencies only when a judicial warrant is presented",
    "must document every request received from Immigration and Customs Enforcement",
    "shall not ask a victim or witness about immigration status",
    "forwards fingerprints taken at booking to the state identification section",
    "reports the number of detainer requests to the city council each year",
    "may answer an Immigration Alien Query only with the approval of a commanding officer",
    "shall provide interpreters to people with limited English proficiency",
    "must release a person who has posted bail unless a court order requires otherwise",
    "keeps a written log of every contact with federal immigration agents",
    "may not enter into an agreement under section 287(g) of the federal immigration law",
    "shall notify the person in custody in writing of any detainer lodged against them",
]
_CONDITIONS = [
    "unless a judge of a state or federal court has signed the warrant",
    "within {n} days of the request",
    "as required by the executive order issued on {date}",
    "except when public safety requires immediate action",
    "consistent with the decision of the Supreme Judicial Court in {year}",
    "after consulting the department's legal counsel",
    "in the manner set out in section {n} of this policy",
    "and the log is reviewed by the chief every {n} months",
]
_FACTS = [
    "In {year}, the department received {n} such requests and honored {m} of them.",
    "The policy was last revised on {date} after a public hearing.",
    "According to the annual report, {n} people were booked in {year}, and {m} were referred to federal agents.",
    "The council voted {n} to {m} to adopt the ordinance on {date}.",
    "Training on this section is given to every new officer within {n} weeks of hire.",
]
_SECTIONS = [
    "Purpose",
    "Definitions",
    "Scope of the policy",
    "Requests from federal agencies",
    "Detainers and warrants",
    "Booking and fingerprints",
    "Information sharing",
    "Victims and witnesses",
    "Records and reporting",
    "Training and review",
    "Complaints",
    "Effective date",
]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def _towns() -> list[str]:
    path = Path(__file__).resolve().parent.parent / "corpus" / "data" / "municipalities.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def _sentence(rng: random.Random, town: str) -> str:
    values = {
        "town": town,
        "n": rng.randint(2, 400),
        "m": rng.randint(1, 90),
        "year": rng.randint(2009, 2026),
        "date": f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2012, 2026)}",
    }
    if rng.random() < 0.25:
        return rng.choice(_FACTS).format(**values)
    clause = f"{rng.choice(_SUBJECTS)} {rng.choice(_ACTIONS)}"
    if rng.random() < 0.7:
        clause += " " + rng.choice(_CONDITIONS)
    return clause.format(**values) + "."


def write_scale_corpus(directory: Path, chunks: int, seed: int = 12, words_per_doc: int = 3000) -> list[Path]:
    """Write Markdown policies that chunk into about `chunks` chunks; returns their paths."""
    rng = random.Random(seed)
    towns = _towns()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    target_words = chunks * WORDS_PER_CHUNK
    written = 0
    number = 0
    while written < target_words:
        town = towns[number % len(towns)]
        words = min(words_per_doc, target_words - written)
        lines = [
            "---",
            f"title: {town} police policy on immigration enforcement, no. {number}",
            "doc_type: policy",
            f"towns: [{town}]",
            f"date: {rng.randint(2012, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "---",
            "",
            f"# {town} police policy on immigration enforcement, no. {number}",
        ]
        count = 0
        for section_number, section in enumerate(rng.sample(_SECTIONS, k=len(_SECTIONS)), start=1):
            if count >= words:
                break
            lines += ["", f"## {section_number}. {section}", ""]
            for _ in range(rng.randint(2, 5)):
                paragraph = " ".join(_sentence(rng, town) for _ in range(rng.randint(3, 7)))
                lines += [paragraph, ""]
                count += len(paragraph.split())
        path = directory / f"generated-{number:06d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
        written += count
        number += 1
    return paths


def scale_questions(count: int, seed: int = 5) -> list[str]:
    """Questions in the register of the scale corpus, for latency runs."""
    rng = random.Random(seed)
    towns = _towns()
    forms = [
        "Does {town} police hold people on ICE detainers?",
        "When may {town} officers share booking records with federal agents?",
        "How many detainer requests did {town} receive?",
        "Who approves an Immigration Alien Query in {town}?",
        "Are victims in {town} asked about immigration status?",
        "What does the policy say about fingerprints taken at booking?",
        "Can police honor a civil immigration detainer without a judicial warrant?",
    ]
    return [rng.choice(forms).format(town=rng.choice(towns[:60])) for _ in range(count)]


def scale_chunk_texts(count: int, seed: int = 21) -> tuple[list[str], list[dict[str, object]]]:
    """Chunk-sized passages of the same prose with chunk-style metadata (file, title, section, doc_type, towns,
    statewide, date, date_ord), for indexes too large to embed for real: 20 chunks a file, one file in seven
    statewide."""
    rng = random.Random(seed)
    towns = _towns()
    texts, metas = [], []
    for i in range(count):
        number = i // 20
        town = towns[number % len(towns)]
        words: list[str] = []
        while len(words) < WORDS_PER_CHUNK:
            words += _sentence(rng, town).split()
        year, month, day = rng.randint(2012, 2026), rng.randint(1, 12), rng.randint(1, 28)
        statewide = number % 7 == 0
        texts.append(" ".join(words))
        metas.append(
            {
                "file": f"generated-{number:06d}.md",
                "title": ("Statewide" if statewide else town)
                + f" police policy on immigration enforcement, no. {number}",
                "section": rng.choice(_SECTIONS),
                "doc_type": ["policy", "report", "news", "law"][number % 4],
                "towns": [] if statewide else [town],
                "statewide": statewide,
                "date": f"{year}-{month:02d}-{day:02d}",
                "date_ord": year * 10000 + month * 100 + day,
            }
        )
    return texts, metas
