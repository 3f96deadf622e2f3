import csv
from collections import Counter

import pytest

from corpus.errors import UnknownTownError
from corpus.towns import DATA_FILE, load_towns

# Municipalities per county, from the Secretary of the Commonwealth's list.
COUNTY_SIZES = {
    "Barnstable": 15,
    "Berkshire": 32,
    "Bristol": 20,
    "Dukes": 7,
    "Essex": 34,
    "Franklin": 26,
    "Hampden": 23,
    "Hampshire": 20,
    "Middlesex": 54,
    "Nantucket": 1,
    "Norfolk": 28,
    "Plymouth": 27,
    "Suffolk": 4,
    "Worcester": 60,
}


def test_the_file_lists_all_351_municipalities_once_with_their_counties():
    with DATA_FILE.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 351
    assert len({r["name"] for r in rows}) == 351
    assert Counter(r["county"] for r in rows) == COUNTY_SIZES


def test_aliases_resolve_to_their_town_and_never_collide_with_another_town():
    towns = load_towns()
    assert towns.canonical("Dorchester") == "Boston"
    assert towns.canonical("jamaica plain") == "Boston"
    assert towns.canonical("Foxboro") == "Foxborough"
    for town in towns.towns.values():
        for alias in town.aliases:
            assert alias not in towns.towns, f"alias {alias} of {town.name} is itself a town"


def test_unknown_town_is_refused_with_a_suggestion():
    with pytest.raises(UnknownTownError, match="Did you mean Quincy"):
        load_towns().canonical("Quincey")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is Quincy's police policy on ICE?", ["Quincy"]),
        ("and Everett?", ["Everett"]),
        ("compare chelsea and tewksbury", ["Chelsea", "Tewksbury"]),
        ("Do police in Dorchester call ICE?", ["Boston"]),
        ("Does the Lee police department share data?", ["Lee"]),
        ("Lee said the Plymouth County sheriff shares logs.", []),
        ("The Washington Examiner ran an opinion piece.", []),
        ("I live in Orange, what happens if I'm arrested?", ["Orange"]),
        # a newspaper named after its town is no mention of the town
        ("Wu signed it on February 5, 2026 (Chelsea Record, 2026-02-12; Ground News).", []),
        ("The Boston Globe and Boston 25 News reported that Quincy police check status.", ["Quincy"]),
        # a verb after a town typed in lower case is no paper: "quincy record"
        ("does quincy record immigration status during traffic stops", ["Quincy"]),
    ],
)
def test_find_names_the_towns_a_question_is_about(text, expected):
    assert load_towns().find(text) == expected
