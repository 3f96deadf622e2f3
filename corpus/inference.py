"""Metadata a file does not state, read from its text: title, date, type and the towns it is about.

Used only for the fields no sidecar, front matter or flag gives. Each rule is deliberately conservative: a wrong
town or type filters a document out of answers, so when the text does not clearly say, nothing is inferred (a
document with no towns is statewide; the type falls back to the title's words, then `report`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from corpus.towns import load_towns

# Lines a page or file starts with that are never its title: edition notices, cookie banners, site furniture.
_BOILERPLATE = re.compile(
    r"si desea leer|en español|lea este|read (this|it|the story) in|click here|subscribe|sign (in|up)|log ?in\b|"
    r"cookies?\b|privacy policy|terms of (use|service)|skip to|advertisement|^breaking\b|share (on|this)|"
    r"^notice\b|^editor'?s note|test document|all rights reserved|you agree|^page \d+|^menu$|^home$|"
    r"^(print|email|download)\b|^table of contents$|^(microsoft word|untitled|document\d*|scan\w*|img\w*)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z ./#]{1,40}?)\s*:\s*(\S.*)$")
_TITLE_LABELS = {"title", "subject", "re", "regarding"}
# "Label: value" lines of memo, policy and court headers: never a title themselves.
_HEADER_LABELS = {
    *_TITLE_LABELS,
    *[
        "to",
        "from",
        "cc",
        "date",
        "dated",
        "pages",
        "page",
        "supersedes",
        "rescinds",
        "amends",
        "posted",
        "updated",
        "published",
        "issued",
    ],
    "policy number",
    "policy no",
    "general order",
    "effective date",
    "revision date",
    "review date",
    "issuing authority",
    "accreditation standards",
    "distribution",
    "docket no",
    "docket",
    "case no",
    "present",
}
_DATE_LABELS = re.compile(
    r"^(date|dated|effective date|date issued|issued|issue date|published|posted|updated|decided|date of issue)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(by|por)\s+[A-Z]", re.IGNORECASE)
# "QUINCY - When…", "BOSTON (AP) — …": a news dateline opening a paragraph.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,30}(,\s*[A-Z][A-Za-z.]+)?\s*(\([A-Z]{2,}\))?\s+[-–—]\s+\S", re.MULTILINE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "enero"),
            ("february", "feb", "febrero"),
            ("march", "mar", "marzo"),
            ("april", "apr", "abril"),
            ("may", "mayo"),
            ("june", "jun", "junio"),
            ("july", "jul", "julio"),
            ("august", "aug", "agosto"),
            ("september", "sept", "sep", "septiembre"),
            ("october", "oct", "octubre"),
            ("november", "nov", "noviembre"),
            ("december", "dec", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE), ("month", "day", "year")),
    (
        re.compile(rf"\b(\d{{1,2}})\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?(\d{{4}})\b", re.IGNORECASE),
        ("day", "month", "year"),
    ),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("month", "day", "year")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
]
_DOCKET = re.compile(
    r"\b(docket|civil action|criminal action|case|appeal)\s+(no\.?|number|#)\s*[:.]?\s*[A-Z0-9]|\bNo\.\s+(SJC|SJ|\d{2,4}-[A-Z])",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(supreme judicial court|appeals court|superior court|district court|municipal court|housing court|"
    r"juvenile court|court of appeals|supreme court|circuit court|bankruptcy court|probate and family court)\b|"
    r"\bper curiam\b|\bJJ\.|\bC\.J\.",
    re.IGNORECASE,
)
_WHEREAS = re.compile(r"^\s*whereas\b", re.IGNORECASE | re.MULTILINE)
_ENACTING = re.compile(
    r"\b(be it (ordained|enacted|resolved|ordered)|now,? therefore|it is hereby (ordained|ordered|enacted)|"
    r"is hereby (ordained|enacted|amended))\b",
    re.IGNORECASE,
)
_LAW_SECTIONS = re.compile(r"^\s*(section|sec\.|§)\s*\d+[.:]?", re.IGNORECASE | re.MULTILINE)
_POLICY_HEADINGS = re.compile(
    r"^\s*(?:\d{1,2}\.?|[IVX]+\.)\s+(purpose|policy|scope|definitions|procedures?|responsibilit(y|ies)|"
    r"applicability|authority|references)\b",
    re.IGNORECASE | re.MULTILINE,
)
_POLICY_CUES = re.compile(
    r"\b(policy (number|no\.?|#)|general order|policy and procedure|standard operating procedure|directive (number|no\.?))",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*\d{1,2}(\.\d{1,2})+\s+\S", re.MULTILINE)


def infer_meta(file: str, text: str, hints: dict[str, Any], given: dict[str, Any], described: bool) -> dict[str, Any]:
    """Values for the fields `given` leaves empty, from the text (its first lines kept in `hints["head"]`) and
    what the format says (`hints`: title, date, site name, page type). Towns are inferred only for a file nothing
    describes (`described`: it has a sidecar or front matter, whose empty towns mean statewide)."""
    head = hints.get("head") or text[:4000]
    found: dict[str, Any] = {}
    title = given.get("title") or infer_title(hints, head)
    if not given.get("title") and title:
        found["title"] = title
    title = title or Path(file).stem.replace("_", " ").replace("-", " ")
    if not given.get("date") and (date := infer_date(hints, head)):
        found["date"] = date
    if not given.get("doc_type"):
        found["doc_type"] = infer_doc_type(title, text, hints)
    if not given.get("towns") and not described and (towns := infer_towns(title, text)):
        found["towns"] = towns
    return found


def infer_title(hints: dict[str, Any], head: str) -> str | None:
    """The format's own title (HTML og:title or <title> without the site, PDF info, first heading) unless it is
    boilerplate, else a "Title:"/"Subject:" line, else the first line that reads as a title."""
    candidate = clean_title(str(hints.get("title") or ""), hints.get("site_name"))
    if candidate and looks_like_title(candidate):
        return candidate
    lines = [line.strip().lstrip("#").strip() for line in head.splitlines()]
    for line in lines[:40]:
        label = _LABEL.match(line)
        if label and label.group(1).strip().lower() in _TITLE_LABELS and looks_like_title(label.group(2)):
            return label.group(2).strip()
    for number, line in enumerate(lines[:25]):
        # A title stands alone (a blank line follows) or is set in capitals; a wrapped line of body text is neither.
        alone = number + 1 >= len(lines) or not lines[number + 1]
        if looks_like_title(line) and (alone or _capitalised(line)):
            return line.rstrip(".").strip()
    return None


def _capitalised(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) >= 4]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def clean_title(title: str, site_name: Any = None) -> str:
    """A page title without its site: "Story | Site" → "Story"; "A - B - Site" loses the last part."""
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—]\s+|\s+-\s+", title)
    if len(parts) < 2:
        return title
    site = str(site_name or "").strip().lower()
    kept = [p for p in parts if p.strip().lower() != site] if site else parts
    if len(kept) == len(parts) and (" | " in title or len(parts) >= 3):
        kept = parts[:-1]  # the last part of "Story | Site" or "A - B - Site" is the site
    separator = " | " if " | " in title else " - "
    return separator.join(kept).strip() or title


def looks_like_title(line: str) -> bool:
    """A short line of words that is not a notice, a byline, a date, a "Label: value" header or a sentence."""
    line = line.strip()
    words = re.findall(r"[^\W\d_]{2,}", line)
    if not 2 <= len(words) <= 25 or len(line) > 160:
        return False
    if _BOILERPLATE.search(line) or _BYLINE.match(line) or line.startswith(("[", "(", "*", "<")):
        return False
    label = _LABEL.match(line)
    if label and (label.group(1).strip().lower() in _HEADER_LABELS or label.group(2)[:1].isdigit()):
        return False
    if line.endswith((":", ",", ";")) or (parse_date(line) and len(words) <= 4):
        return False
    # A sentence ends with a stop; a case caption ("DOE vs. COMMONWEALTH.") is the exception.
    return not line.endswith(".") or bool(re.search(r"\bv(s)?\.\s", line))


def infer_date(hints: dict[str, Any], head: str) -> str | None:
    """The date the page's metadata gives, else a "Date: …" header line, else a short dated line near the top
    (a byline's date; the later of a range), else the PDF's creation date."""
    if hints.get("date"):
        return str(hints["date"])
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    for line in lines[:40]:
        label = _LABEL.match(line)
        if label and _DATE_LABELS.match(label.group(1).strip()) and (date := parse_date(label.group(2))):
            return date
    for line in lines[:15]:
        if len(line) <= 90 and (dates := all_dates(line)):
            return max(dates)
    return str(hints["file_date"]) if hints.get("file_date") else None


def parse_date(text: str) -> str | None:
    """The first date written in the text, as ISO YYYY-MM-DD, or None."""
    dates = all_dates(text)
    return dates[0] if dates else None


def all_dates(text: str) -> list[str]:
    """Every date written in the text (month names in English or Spanish, M/D/YYYY, ISO), as ISO, in order."""
    found: list[tuple[int, str]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["month"]
            number = _MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
            try:
                date = dt.date(int(parts["year"]), number or 0, int(parts["day"]))
            except ValueError:
                continue
            if 1900 <= date.year <= 2100:
                found.append((match.start(), date.isoformat()))
    return [date for _, date in sorted(found)]


def infer_doc_type(title: str, text: str, hints: dict[str, Any] | None = None) -> str:
    """ruling (a docket number and a court), law (WHEREAS clauses with an enacting line, or sections of an act),
    policy (numbered policy sections), news (an article: page type, site name, byline, dateline), else by the
    title's words, else report."""
    hints = hints or {}
    head = text[:8000]
    if _DOCKET.search(head) and _COURT.search(head):
        return "ruling"
    whereas = len(_WHEREAS.findall(text))
    if (whereas >= 2 and _ENACTING.search(text)) or (_ENACTING.search(head) and len(_LAW_SECTIONS.findall(text)) >= 2):
        return "law"
    policy_headings = len(_POLICY_HEADINGS.findall(text))
    if policy_headings >= 2 or (_POLICY_CUES.search(head) and len(_NUMBERED.findall(text)) >= 3):
        return "policy"
    news_signals = [
        str(hints.get("page_type") or "").lower() in ("article", "newsarticle", "news"),
        bool(hints.get("site_name")),
        any(_BYLINE.match(line.strip()) for line in (hints.get("head") or head).splitlines()[:20]),
        bool(_DATELINE.search(head)),
    ]
    if sum(news_signals) >= 2:
        return "news"
    return type_from_title(title)


def type_from_title(title: str) -> str:
    """A guess from the title's words alone: a ruling, a law, a policy, or a report."""
    lowered = title.lower()
    if re.search(r"\bvs?\.?\s", lowered) or "decision" in lowered or "ruling" in lowered:
        return "ruling"
    if re.search(r"\b(act|ordinance|bylaw|statute|general laws?)\b", lowered):
        return "law"
    if re.search(r"\b(policy|procedure|general order|directive)\b", lowered):
        return "policy"
    return "report"


def infer_towns(title: str, text: str) -> list[str]:
    """The towns a document is about: those its title names, else the one or two its text keeps returning to.

    A town counts once per paragraph; it must be named in at least three paragraphs and hold at least 30% of all
    town mentions, so a statewide report that goes town by town stays statewide."""
    registry = load_towns()
    named = registry.find(title)
    if named:
        return named[:3]
    counts: Counter[str] = Counter()
    for paragraph in re.split(r"\n\s*\n|\n(?=#)", text):
        counts.update(registry.find(paragraph))
    total = sum(counts.values())
    return [town for town, n in counts.most_common(2) if n >= 3 and n / total >= 0.3]
