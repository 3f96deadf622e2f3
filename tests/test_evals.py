"""The eval harness: metrics, the set contract, the starter set's integrity, reports, comparison and the CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from corpus.loaders import load_document
from evals import metrics
from evals.dataset import EvalSetError, load_set
from tests.conftest import ROOT, fixture_settings

STARTER = ROOT / "evals" / "sets" / "starter.jsonl"


@pytest.mark.parametrize(
    ("fact", "answer", "present"),
    [
        ("three|3", "There were 3 of them.", True),
        ("three|3", "There were thirty.", False),
        ("10%", "At least 10% of the funds", True),
        ("62", "In 1962 it began", False),
        ("July 24, 2017", "decided on july 24, 2017.", True),
        ("5 were deported", "about 5,500 people; 5 were deported", True),
    ],
)
def test_facts_match_whole_words_case_insensitively_with_alternatives(fact, answer, present):
    assert metrics.fact_present(fact, answer) is present


def test_retrieval_metrics():
    ranked = ["a.md", "b.md", "c.md"]
    assert metrics.hit_at(ranked, {"b.md"}, 1) == 0.0 and metrics.hit_at(ranked, {"b.md"}, 5) == 1.0
    assert metrics.reciprocal_rank(ranked, {"c.md"}) == pytest.approx(1 / 3)
    assert metrics.recall_at(ranked, {"a.md", "z.md"}, 5) == 0.5
    assert metrics.citation_precision([("a.md", "x"), ("q.md", "has 62 in it")], {"a.md"}, ["62"]) == 1.0
    assert metrics.citation_precision([], {"a.md"}, []) is None


def test_abstention_scores():
    scores = metrics.abstention_scores([True, True, False, False], [False, True, True, False])
    assert scores == {"abstention_precision": 0.5, "abstention_recall": 0.5, "abstention_accuracy": 0.5}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"id": "a", "question": "q", "answerable": false, "facts": ["x"], "sources": []}',
            "unanswerable item has no facts",
        ),
        ('{"id": "a", "question": "q", "answerable": true, "facts": [], "sources": []}', "at least one source"),
        ('{"id": "a", "question": "q"', "line 1"),
        ('{"id": "a", "question": "q", "answerable": true, "sources": ["x"], "colour": 1}', "colour"),
    ],
)
def test_a_bad_set_is_refused_naming_the_line(tmp_path: Path, line, message):
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(EvalSetError, match=message):
        load_set(path)


def test_the_starter_set_has_the_promised_mix():
    items = load_set(STARTER)
    assert len(items) >= 80
    assert sum(not i.answerable for i in items) >= 15
    assert sum(bool(i.history) for i in items) >= 10
    assert sum(bool(i.town) for i in items) >= 3
    assert {"fact", "policy", "holding", "compare", "date", "followup", "community", "unans"} <= {
        i.category for i in items
    }


def test_the_starter_set_is_written_from_the_documents():
    """Every source exists, and every fact of an answerable item is stated in at least one of its sources."""
    documents = ROOT / "corpus" / "documents"
    texts = {}
    for item in load_set(STARTER):
        for source in item.sources:
            assert (documents / source).is_file(), f"{item.id}: no document {source}"
            if source not in texts:
                texts[source] = " ".join(" ".join(b.text.split()) for b in load_document(documents / source).blocks)
        for fact in item.facts:
            assert any(metrics.fact_present(fact, texts[s]) for s in item.sources), (
                f"{item.id}: {fact!r} is in no source"
            )


FIXTURE_SET = [
    {
        "id": "fact-marlowe",
        "question": "Who leads the department that wrote test policy 9.1?",
        "answerable": True,
        "facts": ["Avery Marlowe"],
        "sources": ["fictional-quincy-test-policy.md"],
    },
    {
        "id": "fact-pike",
        "question": "Who is the chief of police in the Everett test policy?",
        "answerable": True,
        "facts": ["Rowan Pike"],
        "sources": ["fictional-everett-test-policy.md"],
    },
    {
        "id": "fact-vote",
        "question": "What was the vote in Doe v. Harbor County?",
        "answerable": True,
        "facts": ["seven to zero"],
        "sources": ["fictional-ruling-doe-v-harbor-county.md"],
    },
    {
        "id": "fact-survey",
        "question": "Who ran the fictional statewide survey?",
        "answerable": True,
        "facts": ["Bureau of Test Statistics"],
        "sources": ["fictional-statewide-survey.txt"],
    },
    {
        "id": "fact-guards",
        "question": "How many guards did the Lakeshire jail employ?",
        "answerable": True,
        "facts": ["ninety|90"],
        "sources": ["fictional-audit.pdf"],
    },
    {
        "id": "followup-pike",
        "question": "and Everett?",
        "history": ["Who leads the Quincy department in the test policy?"],
        "answerable": True,
        "facts": ["Rowan Pike"],
        "sources": ["fictional-everett-test-policy.md"],
    },
    {
        "id": "followup-chief",
        "question": "who is their chief?",
        "history": ["What does the Everett test policy say about status questions?"],
        "answerable": True,
        "facts": ["Rowan Pike"],
        "sources": ["fictional-everett-test-policy.md"],
    },
    {"id": "unans-mars", "question": "What is the population of Mars?", "answerable": False},
    {"id": "unans-lunch", "question": "What does the Lakeshire jail serve for lunch?", "answerable": False},
    {"id": "unans-dogs", "question": "How many dogs does Chief Avery Marlowe own?", "answerable": False},
    {
        "id": "unans-cameras",
        "question": "What does the Everett test policy say about body cameras?",
        "answerable": False,
    },
    {"id": "unans-springfield", "question": "What is Springfield's police policy on ICE?", "answerable": False},
]


@pytest.fixture
def outside_set(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "my-set.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(item) + "\n" for item in FIXTURE_SET))
    return path


@pytest.mark.slow
def test_calibrate_fits_a_model_and_saves_it_where_a_setting_can_use_it(answering_index, outside_set, tmp_path):
    from assistant.answer import SIGNALS
    from assistant.calibration import Calibration

    out = tmp_path / "cal"
    result = CliRunner().invoke(
        cli,
        ["eval", "--calibrate", "--set", str(outside_set), "--index", str(answering_index), "--out", str(out), "-q"],
    )
    assert result.exit_code == 0, result.output
    fitted = Calibration.model_validate_json((out / "calibration.json").read_text())
    assert fitted.features and set(fitted.features) <= set(SIGNALS) and len(fitted.coef) == len(fitted.features)
    assert 0.0 <= fitted.abstain_below <= fitted.confident_above <= 1.0
    assert "auc_out_of_fold" in fitted.report and "confident_above" in result.output
    # The file is used when a setting names it: a model that is never sure gives no confident answer.
    never_sure = fitted.model_copy(update={"coef": [0.0] * len(fitted.coef), "intercept": -8.0})
    never_sure.save(tmp_path / "never.json")
    from assistant.service import AssistantService

    service = AssistantService(fixture_settings(answering_index, calibration=tmp_path / "never.json"))
    answer = service.ask("Who leads the department that wrote test policy 9.1?")
    assert answer.kind != "answer" and answer.confidence is not None and answer.confidence < 0.01


@pytest.mark.slow
def test_a_set_kept_outside_the_repo_runs_against_its_own_index_and_compares(
    answering_index, outside_set, tmp_path, monkeypatch
):
    monkeypatch.setenv("ASSISTANT_UI_USERS", "reviewer:hunter2-secret")
    runner = CliRunner()
    first = runner.invoke(
        cli, ["eval", "--set", str(outside_set), "--index", str(answering_index), "--out", str(tmp_path / "r1"), "-q"]
    )
    assert first.exit_code == 0, first.output
    for name in ("report.json", "report.md", "metrics.png"):
        assert (tmp_path / "r1" / name).stat().st_size > 0
    report = json.loads((tmp_path / "r1" / "report.json").read_text())
    assert report["overall"]["items"] == len(FIXTURE_SET)
    assert report["overall"]["fact_recall"] == 1.0 and report["overall"]["unanswerable_confident"] == 0.0
    assert {i["id"] for i in report["items"]} == {i["id"] for i in FIXTURE_SET}
    # The report records every effective setting and their hash, and never a password.
    assert "hunter2-secret" not in (tmp_path / "r1" / "report.json").read_text()
    assert report["settings"]["answer"]["semantic_weight"] == 0.6 and len(report["settings_hash"]) == 12

    # A worse configuration loses facts; the comparison names what broke.
    monkeypatch.setenv("ASSISTANT_MAX_CHARS", "100")
    # and a "nothing here" threshold above every probability: no reply quotes anything (not even one whose best
    # sentence holds the kind of thing asked)
    monkeypatch.setenv("ASSISTANT_ABSTAIN_BELOW", "0.99")
    monkeypatch.setenv("ASSISTANT_CONFIDENT_ABOVE", "0.995")
    monkeypatch.setenv("ASSISTANT_ANSWER__TYPED_IS_RELEVANT", "false")
    second = runner.invoke(
        cli,
        [
            "eval",
            "--set",
            str(outside_set),
            "--index",
            str(answering_index),
            "--out",
            str(tmp_path / "r2"),
            "--compare",
            str(tmp_path / "r1" / "report.json"),
            "-q",
        ],
    )
    assert second.exit_code == 0, second.output
    comparison = json.loads((tmp_path / "r2" / "report.json").read_text())["comparison"]
    assert comparison["broke"] and not comparison["fixed"]
    assert comparison["metrics"]["fact_recall"]["delta"] < 0
    markdown = (tmp_path / "r2" / "report.md").read_text()
    assert "Broke (" in markdown and "## Failures" in markdown
    assert (tmp_path / "r2" / "deltas.png").stat().st_size > 0


@pytest.mark.slow
def test_diagnose_says_where_each_missing_fact_was(answering_index, tmp_path, monkeypatch):
    items = [
        next(item for item in FIXTURE_SET if item["id"] == "fact-marlowe"),
        {
            "id": "fact-unstated",
            "question": "Who is the chief of police in the Everett test policy?",
            "answerable": True,
            "facts": ["Zebulon Quarry"],  # in no document
            "sources": ["fictional-everett-test-policy.md"],
        },
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    # "nothing here" for every question: each fact is missed, found or not among the sentences weighed
    monkeypatch.setenv("ASSISTANT_ABSTAIN_BELOW", "0.99")
    monkeypatch.setenv("ASSISTANT_CONFIDENT_ABOVE", "0.995")
    monkeypatch.setenv("ASSISTANT_ANSWER__TYPED_IS_RELEVANT", "false")
    out = tmp_path / "diag"
    arguments = ["eval", "--set", str(path), "--index", str(answering_index), "--out", str(out), "--diagnose", "-q"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    diagnosis = json.loads((out / "report.json").read_text())["diagnosis"]
    rows = {row["id"]: row for row in diagnosis["facts"]}
    assert rows["fact-marlowe"]["place"] == "top 3" and rows["fact-marlowe"]["hand_rank"] <= 3
    assert rows["fact-marlowe"]["ranker_rank"] is not None
    assert rows["fact-unstated"]["place"] == "not weighed" and rows["fact-unstated"]["hand_rank"] is None
    assert diagnosis["places"]["not weighed"] == 1 and "missing facts" in result.output
    assert "## Where the missing facts were" in (out / "report.md").read_text()


def test_a_missing_facts_place_is_its_best_rank_in_either_order():
    from evals.diagnose import _best_ranks, place

    candidates = [
        {"request": 0, "text": "The chief is Avery Marlowe.", "score": 0.2, "features": {"semantic": 0.9}},
        {"request": 0, "text": "Policy 9.1 covers detainers.", "score": 0.9, "features": {"semantic": 0.1}},
        {"request": 1, "text": "Nothing of note.", "score": 0.5, "features": {"semantic": 0.5}},
    ]
    from assistant.calibration import LogisticModel

    ranker = LogisticModel(features=["semantic"], mean=[0.0], scale=[1.0], coef=[1.0], intercept=0.0, link="linear")
    assert _best_ranks(candidates, "Avery Marlowe", ranker) == (2, 1)
    assert _best_ranks(candidates, "Avery Marlowe", None) == (2, None)
    assert _best_ranks(candidates, "Zebulon Quarry", ranker) == (None, None)
    assert [place(rank) for rank in (None, 1, 3, 4, 6, 7)] == [
        "not weighed",
        "top 3",
        "top 3",
        "4 to 6",
        "4 to 6",
        "deeper",
    ]


def run_gate(index: Path, out: Path):
    """`assistant eval --gate evals/gate.toml`, as CI runs it on the shipped corpus."""
    arguments = ["eval", "--index", str(index), "--gate", str(ROOT / "evals" / "gate.toml"), "--out", str(out), "-q"]
    return CliRunner().invoke(cli, arguments)


@pytest.mark.slow
def test_the_ci_gate_passes_on_the_shipped_corpus(corpus_index, tmp_path):
    result = run_gate(corpus_index, tmp_path)
    print(result.output)
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_the_ci_gate_fails_a_degraded_configuration(corpus_index, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_SENTENCES", "1")
    monkeypatch.setenv("ASSISTANT_MAX_CHARS", "120")
    monkeypatch.setenv("ASSISTANT_ANSWER__CLOSEST_SENTENCES", "1")
    monkeypatch.setenv("ASSISTANT_ANSWER__CLOSEST_CHARS", "120")
    result = run_gate(corpus_index, tmp_path)
    assert result.exit_code == 1
    assert "FAILED: fact_recall" in result.output


def test_thumbs_down_feedback_becomes_draft_items(tmp_path: Path):
    feedback = tmp_path / "feedback.jsonl"
    entries = [
        {
            "time": "2026-11-22T10:00:00+00:00",
            "verdict": "down",
            "comment": "wrong town",
            "question": "and Everett?",
            "history": ["What is Quincy's policy?"],
            "town": "Everett",
            "answer": "Something [1]",
            "abstained": False,
            "citations": [{"n": 1, "file": "everett-police-ice-policy.md", "title": "t", "page": None, "quote": "q"}],
        },
        {
            "time": "2026-11-22T10:01:00+00:00",
            "verdict": "up",
            "comment": "",
            "question": "fine",
            "history": [],
            "town": None,
            "answer": "ok",
            "abstained": False,
            "citations": [],
        },
    ]
    feedback.write_text("".join(json.dumps(e) + "\n" for e in entries))
    result = CliRunner().invoke(cli, ["eval", "--from-feedback", str(feedback), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    [draft] = [json.loads(line) for line in (tmp_path / "out" / "feedback-drafts.jsonl").read_text().splitlines()]
    assert draft["question"] == "and Everett?" and draft["history"] == ["What is Quincy's policy?"]
    assert draft["sources"] == ["everett-police-ice-policy.md"] and draft["facts"] == []
    assert "wrong town" in draft["note"] and draft["town"] == "Everett"


def test_the_sentence_ranker_learns_which_feature_marks_the_answer_and_keeps_the_hand_scale():
    import numpy as np

    from evals.calibrate import fit_ranker, top_hits

    rng = np.random.default_rng(0)
    rows, labels, groups, hand = [], [], [], []
    for question in range(60):
        right = int(rng.integers(5))
        for sentence in range(5):
            marked = sentence == right
            # "useful" marks the right sentence (with noise); "noise" says nothing; the hand score leans on noise
            useful, noise = rng.normal(1.0 if marked else 0.0, 0.5), rng.normal()
            rows.append([noise, useful])
            labels.append(int(marked))
            groups.append(question)
            hand.append(0.5 + 0.1 * noise)
    x, y, g, h = np.array(rows), np.array(labels), np.array(groups), np.array(hand)
    model = fit_ranker(["noise", "useful"], x, y, g, h, "synthetic")
    assert model.link == "linear" and model.coef[1] > abs(model.coef[0])
    scores = np.array([model.score({"noise": a, "useful": b}) for a, b in x])
    assert top_hits(scores, y, g) > top_hits(h, y, g) + 0.3
    assert model.report["top1_out_of_fold"] > model.report["top1_hand_weights"]
    # on the hand weights' scale: the same mean and spread, so relative floors keep their meaning
    assert abs(scores.mean() - h.mean()) < 1e-6 and abs(scores.std() - h.std()) < 1e-6
    assert model.score({"noise": 0.0, "useful": 0.0}) == model.linear({"noise": 0.0, "useful": 0.0})
