"""The keyword index: BM25 scores equal a fresh bm25s index, it changes in place, and filters need no Chroma."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.keyword import KeywordIndex, tokenize

TEXTS = [
    "Quincy police shall not hold a person solely on a civil immigration detainer.",
    "The sheriff's office shares booking records with ICE and forwards fingerprints to the FBI.",
    "Court staff shall not initiate contact with ICE; a judge's warrant is required for arrests in court.",
    "Everett police may answer an Immigration Alien Query through the Nlets system.",
    "The police department reported 12 detainer requests in its annual report to the council.",
    "Fingerprints taken at booking reach DHS through Secure Communities, police officials said.",
    "Police police police: repeated words count more in BM25.",
    "Boston's Trust Act limits what the police may share about a person's immigration status.",
]
METAS: list[dict[str, Any]] = [
    {"file": "quincy.md", "doc_type": "policy", "towns": ["Quincy"], "statewide": False, "date_ord": 20250201},
    {"file": "sheriff.md", "doc_type": "report", "statewide": True, "date_ord": 20240000},
    {"file": "court.md", "doc_type": "policy", "statewide": True, "date_ord": 20251100},
    {"file": "everett.md", "doc_type": "policy", "towns": ["Everett"], "statewide": False},
    {"file": "annual.md", "doc_type": "report", "towns": ["Quincy", "Everett"], "statewide": False, "date_ord": 2023},
    {"file": "news.md", "doc_type": "news", "statewide": True, "date_ord": 20260427},
    {"file": "repeat.md", "doc_type": "news", "statewide": True},
    {"file": "boston.md", "doc_type": "law", "towns": ["Boston"], "statewide": False, "date_ord": 20140101},
]
SHIPPED = Path(__file__).resolve().parent.parent / "corpus" / "documents"
QUERIES = ["police detainer", "fingerprints booking ICE", "police police", "court warrant judge", "lunch menu"]


def bm25s_scores(texts: list[str], query: str) -> dict[int, float]:
    """What the previous whole-index implementation scored: bm25s built afresh on these texts."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(tokenize(texts), show_progress=False)
    tokens = [t for t in tokenize([query])[0] if t in retriever.vocab_dict]
    if not tokens:
        return {}
    scores = np.asarray(retriever.get_scores(tokens))
    return {i: float(s) for i, s in enumerate(scores) if s > 0}


def ours(index: KeywordIndex, query: str, ids: list[str]) -> dict[int, float]:
    return {ids.index(i): s for i, s in index.search(query, 100)}


def test_tokenize_is_bm25s_tokenize_on_the_shipped_corpus():
    """The same words as bm25s.tokenize, once a statute's subsections are joined to their number."""
    import bm25s
    from bm25s.stopwords import STOPWORDS_EN

    from index.keyword import STOPWORDS, _stemmer, join_subsections

    assert frozenset(STOPWORDS_EN) == STOPWORDS
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SHIPPED.glob("*")) if p.is_file()]
    texts += TEXTS + QUERIES + ["", "a the", "Ünïcode façade 2025-04-27 §12(b) don't U.S.C. ICE's"]
    joined = [join_subsections(t.lower()) for t in texts]
    expected = bm25s.tokenize(joined, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)
    assert tokenize(texts) == expected


def test_a_statute_subsection_is_one_word_as_people_type_it():
    assert tokenize(["a 287(g) agreement under 8 U.S.C. 1357(g)(10); section (a)"]) == [
        ["287g", "agreement", "under", "1357g10", "section"]
    ]
    assert tokenize(["whats a 287g agreement"]) == [["what", "287g", "agreement"]]
    assert tokenize(["287 (g) and 287-g deals; agency(ies)"]) == [["287g", "287g", "deal", "agenc", "ie"]]


def test_a_keyword_index_cut_by_another_tokenizer_is_left_for_a_rebuild(tmp_path: Path):
    """An older version's segments (their words cut another way) are not loaded: SearchIndex then refills the
    keyword index from the store on open, as for an index from before segments."""
    import json

    from index.keyword import TOKENIZER_VERSION

    index = KeywordIndex(tmp_path / "kw")
    index.add(["c0"], ["Under a 287(g) agreement ICE trains jail staff."], [{}])
    assert [i for i, _ in index.search("287g", 5)] == ["c0"]
    manifest = tmp_path / "kw" / "manifest.json"
    state = json.loads(manifest.read_text())
    assert state["tokenizer"] == TOKENIZER_VERSION
    assert KeywordIndex(tmp_path / "kw").count == 1
    state["tokenizer"] = TOKENIZER_VERSION - 1
    manifest.write_text(json.dumps(state))
    assert KeywordIndex(tmp_path / "kw").count == 0


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_a_fresh_bm25s_index_after_adds_and_deletes(tmp_path: Path, query: str):
    ids = [f"c{i}" for i in range(len(TEXTS))]
    index = KeywordIndex(tmp_path / "kw")
    index.add(ids[:3], TEXTS[:3], METAS[:3])  # three separate writes: three segments
    index.add(ids[3:6], TEXTS[3:6], METAS[3:6])
    index.add(ids[6:], TEXTS[6:], METAS[6:])
    assert ours(index, query, ids) == pytest.approx(bm25s_scores(TEXTS, query), rel=1e-5)

    index.delete(["c1", "c4"])
    kept = [i for i in range(len(TEXTS)) if i not in (1, 4)]
    expected = {kept[j]: s for j, s in bm25s_scores([TEXTS[i] for i in kept], query).items()}
    reopened = KeywordIndex(tmp_path / "kw")
    assert ours(reopened, query, ids) == pytest.approx(expected, rel=1e-5)


def test_many_small_writes_merge_into_few_segments_and_keep_every_chunk(tmp_path: Path):
    index = KeywordIndex(tmp_path / "kw")
    for round_ in range(30):
        index.add([f"r{round_}-{i}" for i in range(len(TEXTS))], TEXTS, METAS)
        index.delete([f"r{round_ - 1}-{i}" for i in range(0, len(TEXTS), 2)])
    assert len(index.segments) <= 13
    reopened = KeywordIndex(tmp_path / "kw")
    assert reopened.count == index.count == 30 * len(TEXTS) - 29 * 4
    assert sorted(reopened.ids) == sorted(index.ids)
    live_texts = [TEXTS[int(i.split("-")[1])] for i in reopened.ids]
    expected = sorted(bm25s_scores(live_texts, "police detainer").values(), reverse=True)[:10]
    got = [s for _, s in reopened.search("police detainer", 10)]
    assert got == pytest.approx(expected, rel=1e-5)
    assert len(list((tmp_path / "kw").glob("*.npz"))) == len(reopened.segments), "merged segments left on disk"


def test_adding_an_id_again_replaces_it(tmp_path: Path):
    index = KeywordIndex(tmp_path / "kw")
    index.add(["a", "b"], TEXTS[:2], METAS[:2])
    index.add(["a"], ["Nothing about the topic."], METAS[:1])
    assert index.count == 2
    assert "a" not in {i for i, _ in index.search("Quincy detainer", 5)}


def test_filters_are_answered_from_the_keyword_index_like_chroma_would(tmp_path: Path):
    ids = [f"c{i}" for i in range(len(TEXTS))]
    index = KeywordIndex(tmp_path / "kw")
    index.add(ids, TEXTS, METAS)

    def hits(where: dict[str, Any]) -> set[str]:
        return {i for i, _ in index.search("police ICE detainer court fingerprints", 100, where)}

    quincy_or_statewide = {"$or": [{"towns": {"$contains": "Quincy"}}, {"statewide": True}]}
    assert hits(quincy_or_statewide) == {"c0", "c1", "c2", "c4", "c5", "c6"}
    assert hits({"towns": {"$contains": "Everett"}}) == {"c3", "c4"}
    assert hits({"doc_type": {"$in": ["policy", "law"]}}) == {"c0", "c2", "c3", "c7"}
    # chunks without a date never match a date range, as in Chroma
    assert hits({"$and": [{"date_ord": {"$gte": 20240000}}, {"date_ord": {"$lte": 20251231}}]}) == {"c0", "c1", "c2"}
    assert hits({"$and": [quincy_or_statewide, {"doc_type": {"$in": ["news"]}}]}) == {"c5", "c6"}


def test_terms_starting_a_prefix_are_listed_and_idf_tells_the_live_ones(tmp_path: Path):
    index = KeywordIndex(tmp_path / "kw")
    index.add(["c0", "c1"], ["Governor Healey signed the order.", "Sheriff Hodgson ended the contract."], [{}, {}])
    assert index.terms_starting("h") == ["healey", "hodgson"]
    assert KeywordIndex(tmp_path / "kw").terms_starting("he") == ["healey"]
    index.delete(["c1"])
    assert index.idf(["hodgson"]) == {"hodgson": 0.0}  # a deleted chunk's word is in no live chunk
