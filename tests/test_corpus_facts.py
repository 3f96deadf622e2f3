"""The shipped corpus, second edition: corrected facts stay corrected, sources are specific, wording is our own,
summaries say what they summarize, and every one of the 351 municipalities is covered by its county page."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from corpus.loaders import is_supported, load_document
from tests.conftest import ROOT

DOCUMENTS = ROOT / "corpus" / "documents"
FILES = sorted(p for p in DOCUMENTS.iterdir() if is_supported(p))
EXCERPTS = ROOT / "tests" / "fixtures" / "source-excerpts"
URL = re.compile(r"https?://[^\s)<>\"]+")


def text_of(name: str) -> str:
    """A shipped document's text, whitespace collapsed, as the assistant sees it."""
    return " ".join(" ".join(b.text.split()) for b in load_document(DOCUMENTS / name).blocks)


def all_texts() -> dict[str, str]:
    return {p.name: " ".join(" ".join(b.text.split()) for b in load_document(p).blocks) for p in FILES}


# Each corrected fact: the document, what it must now say, and the wrong version it must no longer say.
CORRECTIONS = [
    ("protect-act.md", "January 28, 2026", "early February 2026"),
    ("lunn-release-wbur-2017.md", "around May 25, 2017", "freed after the SJC"),
    ("lunn-release-wbur-2017.md", "two months before the Supreme Judicial Court decided", None),
    (
        "lunn-v-commonwealth-2017.pdf",
        "about two months before the Supreme Judicial Court decided the case on July 24, 2017",
        "7. After the decision",
    ),
    ("lunn-release-wbur-2017.md", "larceny", "facing a robbery charge"),
    ("lunn-release-wbur-2017.md", "unarmed robbery", None),
    ("287g-agreements-massachusetts.md", "from October 2017 to early 2019", None),
    ("287g-agreements-massachusetts.md", "not totals for the whole agreement", None),
    ("plymouth-county-sheriff-287g.md", "from October 2017 to early 2019", None),
    (
        "287g-agreements-massachusetts.md",
        "On September 30, 2025, the Worcester City Council",
        "8 to 2 (GBH News, 2026-02-05)",
    ),
    (
        "worcester-executive-order.html",
        "On September 30, 2025, the Worcester City Council voted 8 to 2",
        "8 to 2 (GBH News, 2026-02-05)",
    ),
    ("trial-court-dhs-interactions-policy-2025.pdf", 'The policy\'s own word is "may"', "but must give agents"),
    ("trial-court-dhs-interactions-policy-2025.pdf", "In a paraphrase, not the policy's words, GBH News", None),
    (
        "gbh-2026-04-27-ice-out-report-coverage.md",
        "Biometric Update's 20 departments without a policy plus 4",
        "counted differently",
    ),
    ("cfjj-ice-out-report-summary.pdf", "Biometric Update's 20 plus 4", "counted the same departments differently"),
    ("gbh-2026-04-27-ice-out-report-coverage.md", "is Biometric Update's account", None),
    ("tewksbury-police-ice-practice.md", '"does not appear to have"', "has no written guidelines"),
    ("wbur-2026-02-13-gop-criticism.md", '"does not appear to have"', "has no written guidelines"),
]


@pytest.mark.parametrize(("name", "now", "before"), CORRECTIONS, ids=lambda v: str(v)[:40])
def test_each_corrected_fact_stays_corrected(name: str, now: str, before: str | None):
    text = text_of(name)
    assert now in text, f"{name} lost the corrected wording {now!r}"
    if before:
        assert before not in text, f"{name} says {before!r} again"


def test_nothing_says_lunn_was_freed_after_the_decision():
    for name, text in all_texts().items():
        assert "freed after the SJC" not in text and "After the decision" not in text, name


@pytest.mark.parametrize(
    "name",
    ["chelsea-police-policy-1-33.md", "chelsea-juveniles-detained-2025.html", "fingerprints-secure-communities.md"],
)
def test_the_chelsea_fingerprint_disagreement_is_shown_wherever_the_claim_appears(name: str):
    text = text_of(name)
    assert '"by law"' in text and "Chelsea Record" in text and "does not require" in text


def test_no_document_says_the_trial_court_policy_requires_sharing_without_saying_it_is_a_paraphrase():
    for name, text in all_texts().items():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            about_the_courts = "Trial Court" in sentence or "court officials" in sentence
            if about_the_courts and re.search(r"\bmust (give|share|hand|provide)\b", sentence):
                assert "paraphrase" in sentence, f"{name}: {sentence}"


REPORT_FRAMED = [
    "quincy-police-ice-policy.md",
    "everett-police-ice-policy.md",
    "holyoke-police-ice-policy.md",
    "chelsea-police-policy-1-33.md",
]


@pytest.mark.parametrize("name", REPORT_FRAMED)
def test_town_documents_built_from_reporting_are_framed_as_reporting(name: str):
    document = load_document(DOCUMENTS / name)
    assert document.meta.doc_type in ("report", "news")
    assert document.meta.title.startswith("What reporting says about")
    assert (document.meta.summary_of or "").startswith("Summary of")
    first = next(
        b for b in document.blocks if b.section and b.section not in (document.meta.title, "About this document")
    )
    assert re.search(r"GBH News|Biometric Update|MassLive|Chelsea Record|account", first.text), (
        f"{name}: the first answerable section does not say whose account it is"
    )


def test_every_policy_document_summarizes_a_policy_text_not_reporting():
    for path in FILES:
        meta = load_document(path).meta
        if meta.doc_type == "policy":
            assert not (meta.summary_of or "").lower().startswith("summary of reporting"), path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_source_link_points_to_a_specific_page(path: Path):
    document = load_document(path)
    urls = [document.meta.source_url or ""]
    sources = [b for b in document.blocks if b.section and b.section.split(". ")[-1] == "Sources"]
    urls += [u for b in sources for u in URL.findall(b.text)]
    for url in urls:
        parsed = urlparse(url.rstrip(".,;"))
        assert parsed.scheme in ("http", "https") and parsed.netloc, f"{path.name}: {url!r}"
        assert parsed.path.strip("/") or parsed.query, f"{path.name} links to a site's front page: {url}"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def shingles(text: str, n: int = 10) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def excerpts() -> dict[str, str]:
    found = {}
    for path in sorted(EXCERPTS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("url: http"), f"{path.name} must start with its source URL"
        found[path.name] = "\n".join(lines[1:])
    return found


def test_the_excerpts_are_kept_out_of_the_shipped_corpus():
    assert len(excerpts()) >= 10
    assert not list(DOCUMENTS.rglob("*excerpt*"))


def test_no_shipped_document_shares_ten_words_in_a_row_with_a_recorded_source():
    sources = {name: shingles(text) for name, text in excerpts().items()}
    copied = []
    for name, text in all_texts().items():
        # A policy's own words are allowed in quotation marks, with attribution: drop quoted passages first.
        unquoted = re.sub(r'"[^"]*"|“[^”]*”', " ", text)
        mine = shingles(unquoted)
        for source, theirs in sources.items():
            for run in sorted(mine & theirs)[:1]:
                copied.append(f"{name} ~ {source}: {' '.join(run)}")
    assert not copied, "\n".join(copied)


def test_the_overlap_check_catches_a_copied_sentence():
    source = next(iter(excerpts().values()))
    copied = " ".join(source.split()[:14])
    assert shingles(copied) & shingles(source)


def municipalities() -> list[tuple[str, str]]:
    with (ROOT / "corpus" / "data" / "municipalities.csv").open(encoding="utf-8") as handle:
        return [(row["name"], row["county"]) for row in csv.DictReader(handle)]


def test_there_are_at_least_55_documents_and_a_page_for_each_of_the_14_counties():
    assert len(FILES) >= 55
    counties = {county for _, county in municipalities()}
    assert len(counties) == 14
    for county in counties:
        assert (DOCUMENTS / f"county-{county.lower()}.md").is_file(), county


def test_every_municipality_has_a_self_contained_line_on_its_county_page():
    from corpus.towns import load_towns

    registry = load_towns()
    missing = []
    for town, county in municipalities():
        page = load_document(DOCUMENTS / f"county-{county.lower()}.md")
        assert not page.meta.towns, "county pages are statewide so their town lines are quoted for any town"
        lines = [b.text for b in page.blocks if b.section and b.section.endswith("Cities and towns")]
        line = next((s for s in " ".join(lines).split("\n") if s.startswith(f"In {town} (")), None)
        if line is None or town not in registry.find(line) or f"{county} County" not in line:
            missing.append(town)
    assert not missing, f"no usable county-page line for {missing}"


def test_the_county_pages_are_up_to_date():
    from corpus.make_county_pages import COUNTIES, documents_by_town, page_path, read_towns, render_page

    titles = documents_by_town()
    for county, towns in read_towns().items():
        assert page_path(county).read_text(encoding="utf-8") == render_page(COUNTIES[county], towns, titles), (
            f"{page_path(county).name} is stale: run python -m corpus.make_county_pages"
        )


SPANISH = [
    "es-conozca-sus-derechos-ice.md",
    "es-detenciones-y-ordenes-de-ice.md",
    "es-encontrar-familiar-detenido.md",
    "es-como-pedir-la-politica-de-su-pueblo.md",
    "es-informe-ice-out-hallazgos.md",
]


@pytest.mark.parametrize("name", SPANISH)
def test_the_spanish_explainers_are_marked_spanish(name: str):
    assert load_document(DOCUMENTS / name).meta.language == "es"


def test_english_documents_default_to_english():
    assert load_document(DOCUMENTS / "protect-act.md").meta.language == "en"
