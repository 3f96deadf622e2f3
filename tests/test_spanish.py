"""Spanish questions: the language is told, the question translated with the real Apertium, both languages searched,
the reply framed in Spanish around verbatim quotes; without Apertium, a note naming the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import TranslationUnavailableError
from assistant.language import detect_language, reply_language
from assistant.messages import MESSAGES, describe_filters
from assistant.translate import TranslationConfig, Translator
from assistant.types import Answer, Filters
from corpus.towns import load_towns
from tests.conftest import FIXTURES, fixture_settings
from tests.factories import make_passage

SPANISH_GUIDE = """---
title: Guía ficticia de la oficina de ayuda de Harborview
doc_type: report
towns: []
date: 2031-04-01
publisher: Test fixture (fictional)
source_url: https://example.org/fixtures/guia-harborview
language: es
---
# Guía ficticia de la oficina de ayuda de Harborview

## Horario

La oficina ficticia de ayuda a familias de Harborview abre los martes y los jueves, de nueve de la mañana a cinco de la tarde.

## Qué llevar

Las familias deben llevar el número de registro de la persona detenida y una carta de un abogado de guardia.
"""


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("la policia de everett y ICE", "es"),
        ("¿y everett?", "es"),
        ("que es mira", "es"),
        ("quien es el jefe de policia de quincy", "es"),
        ("mi hijo fue detenido por ICE que hago", "es"),
        ("puede la migra entrar a mi casa", "es"),
        ("¿Cuándo aprobó el Concejo Municipal de Boston la primera Ley Trust?", "es"),
        ("who is the quincy police chief", "en"),
        ("cops in chelsea sharing info with ice?", "en"),
        ("my son was detained by ICE what can i do", "en"),
        ("and everett?", "en"),
        ("what did the court decide in Lunn v. Commonwealth?", "en"),
        ("Everett?", None),
        ("ICE 287(g)", None),
    ],
)
def test_the_language_of_short_casual_questions_is_told(question: str, language: str | None):
    assert detect_language(question) == language


def test_the_reply_follows_the_question_unless_the_user_chose_a_language():
    assert reply_language("¿quién es el jefe de policía de Quincy?", hint="en") == "es"
    assert reply_language("who is the Quincy police chief?", hint="es") == "en"
    # A follow-up that names only a town continues the conversation's language; with no clue, the interface's.
    assert reply_language("Everett?", ["¿la policía de quincy comparte información con ICE?"]) == "es"
    assert reply_language("Everett?", [], hint="es") == "es"
    assert reply_language("¿quién es el jefe de policía de Quincy?", chosen="en") == "en"


def test_every_reply_text_is_in_spanish_too():
    assert set(MESSAGES["es"]) == set(MESSAGES["en"])
    assert all(text.strip() for text in MESSAGES["es"].values())
    framing = ["not_said", "closest", "no_document", "records_request", "legal_note", "which_town", "according_to_one"]
    assert all(MESSAGES["es"][key] != MESSAGES["en"][key] for key in framing)
    assert "apertium-eng-spa" in MESSAGES["es"]["needs_apertium"]
    filters = Filters(towns=["Quincy"], doc_types=["policy"])
    assert describe_filters(filters, "es") == "municipio: Quincy (+ todo el estado); tipo: policy"
    assert describe_filters(filters, "en") == filters.describe()


def test_apertium_translates_keeping_towns_acronyms_and_legal_references():
    translator = Translator(registry=load_towns())
    boston = translator.translate("¿la policía de boston puede retener a alguien solo porque inmigración lo pide?")
    assert "Boston" in boston.text and "police" in boston.text.lower() and "hold" in boston.text
    casual = translator.translate("la policia de everett y ICE")  # no accent, a lower-case town, an acronym
    assert casual.text.lower().startswith("the police") and "Everett" in casual.text and "ICE" in casual.text
    acronym = translator.translate("¿qué significa la sigla MIRA y la sección 287(g)?")
    assert "MIRA" in acronym.text and "287(g)" in acronym.text and acronym.text.lower().startswith("what")
    # a letter's term keeps its letter: "A-number", not the preposition's "To-number"
    term = translator.translate("¿qué significa el 'A-number' que sale en los papeles de inmigración?")
    assert "A-number" in term.text and "To-number" not in term.text
    for translation in (boston, casual, acronym, term):
        assert not any(mark in translation.text for mark in "*#@"), translation.text


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            "¿puedo sacar licencia de manejar en massachusetts si no tengo papeles?",
            ["driver's license", "undocumented"],
        ),
        ("ICE está tocando mi puerta, ¿tengo que dejarlos entrar?", ["knocking on my door", "let them in"]),
        ("a mi hermano se lo llevó inmigración, ¿cómo sé a dónde lo llevaron?", ["took him"]),
        (
            "a mi primo se lo llevaron los de inmigración, ¿cómo averiguo dónde lo tienen?",
            ["cousin", "ICE", "find out", "where they are holding him"],
        ),
    ],
)
def test_everyday_phrases_apertium_renders_word_by_word_come_out_as_meant(question: str, words: list[str]):
    english = Translator(registry=load_towns()).translate(question).text
    assert all(w in english for w in words), english


def test_a_missing_apertium_is_named_with_its_debian_package():
    translator = Translator(TranslationConfig(command="/nonexistent/apertium"))
    with pytest.raises(TranslationUnavailableError, match="apertium-eng-spa") as raised:
        translator.translate("¿quién es el jefe de policía?")
    assert raised.value.missing


@pytest.fixture(scope="module")
def spanish_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional English test documents plus a fictional Spanish guide, indexed once."""
    from corpus.chunking import ChunkingConfig
    from index.build import ingest
    from index.config import IndexConfig
    from index.search import SearchIndex

    docs = tmp_path_factory.mktemp("spanish-docs")
    for path in (FIXTURES / "answering").iterdir():
        shutil.copy(path, docs / path.name)
    (docs / "guia-ficticia-harborview.md").write_text(SPANISH_GUIDE, encoding="utf-8")
    directory = tmp_path_factory.mktemp("spanish-index")
    report = ingest(
        SearchIndex(IndexConfig(dir=directory), create=True), [docs], chunking=ChunkingConfig(), progress=False
    )
    assert report.count("failed") == 0, report.as_json()
    return directory


@pytest.fixture(scope="module")
def service(spanish_index: Path):  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService

    # These tests are about how replies are framed in Spanish. The reply-kind thresholds are fitted on the shipped
    # corpus's dev sets; on this six-document fixture corpus a clean answer scores a little under the fitted
    # confident threshold, so the confident threshold is held at 0.6 here (the unanswerable question stays under it).
    return AssistantService(fixture_settings(spanish_index, confident_above=0.6))


def cited_files(answer: Answer) -> list[str]:
    return [c.file for c in answer.citations]


@pytest.mark.slow
def test_a_spanish_question_cites_the_english_document_framed_in_spanish(service):  # type: ignore[no-untyped-def]
    answer = service.ask("¿quién es el jefe de la policía en la política de prueba de quincy?", hint="en")
    assert answer.kind == "answer", answer.answer
    assert "Avery Marlowe" in answer.answer
    assert cited_files(answer)[0] == "fictional-quincy-test-policy.md"
    # one quote or several, framed in Spanish as quotes in English
    frame = "(cita textual, en inglés):" if len(answer.citations) == 1 else "(citas textuales, en inglés):"
    assert answer.answer.startswith(f"Según el documento citado {frame}")
    assert answer.filters == "municipio: Quincy (+ todo el estado)"
    assert all(c.is_verbatim() for c in answer.citations)


@pytest.mark.slow
def test_a_spanish_document_that_answers_is_quoted_verbatim(service):  # type: ignore[no-untyped-def]
    answer = service.ask("¿qué días abre la oficina de ayuda a familias de Harborview?")
    assert answer.kind == "answer", answer.answer
    assert cited_files(answer)[0] == "guia-ficticia-harborview.md"
    assert any(
        "los martes y los jueves" in c.quote for c in answer.citations if c.file == "guia-ficticia-harborview.md"
    )
    # framed for one cited document or several (the sentence ranker's picks may add another document's)
    assert answer.answer.startswith(("Según el documento citado:", "Según los documentos citados:"))


@pytest.mark.slow
def test_follow_ups_filters_and_abstention_work_in_spanish(service):  # type: ignore[no-untyped-def]
    first = "¿quién es el jefe de la policía en la política de prueba de quincy?"
    followup = service.ask("¿y en everett?", [first])
    assert "Rowan Pike" in followup.answer and "Everett" in followup.standalone_question
    filtered = service.ask(
        "¿quién es el jefe de la policía en la política de prueba?", filters=Filters(towns=["Everett"])
    )
    assert "Rowan Pike" in filtered.answer and filtered.filters.startswith("municipio: Everett")
    nothing = service.ask("¿cuántos helicópteros compró la policía de quincy en la política de prueba?")
    # Not answered: "nothing here" or the labelled closest passages, in Spanish either way.
    opening = {"none": "Los documentos aquí no lo dicen", "closest": MESSAGES["es"]["closest_passages"]}
    assert nothing.kind in opening and nothing.answer.startswith(opening[nothing.kind]), nothing.answer
    which = service.ask("¿qué hace la policía de mi pueblo con ICE?")
    assert which.kind == "which_town" and which.answer.startswith("¿A qué ciudad o pueblo")


@pytest.mark.slow
def test_the_user_chosen_language_wins_and_english_stays_unframed(service):  # type: ignore[no-untyped-def]
    english = service.ask("Who is the chief of police in the Everett test policy?", hint="es")
    assert english.kind == "answer" and not english.answer.startswith("Según")
    chosen = service.ask("Who is the chief of police in the Everett test policy?", language="es")
    assert chosen.answer.startswith("Según el documento citado") and "Rowan Pike" in chosen.answer


@pytest.mark.slow
def test_without_apertium_a_spanish_question_says_what_to_install_and_is_still_answered(
    spanish_index: Path, monkeypatch: pytest.MonkeyPatch
):
    from assistant.service import AssistantService
    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_TRANSLATION__COMMAND", "/nonexistent/apertium")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(spanish_index))
    settings = load_settings()
    assert settings.translation.command == "/nonexistent/apertium"
    answer = AssistantService(settings).ask("¿qué días abre la oficina de ayuda a familias de Harborview?")
    assert len(answer.notes) == 1 and "apertium-eng-spa" in answer.notes[0] and "\n" not in answer.notes[0]
    assert answer.notes[0].startswith("Las preguntas en español")
    # Answered from the question as asked: the Spanish guide answers it.
    assert answer.kind == "answer" and cited_files(answer)[0] == "guia-ficticia-harborview.md"


@pytest.mark.slow
def test_the_sentence_ranker_never_adds_a_spanish_documents_sentence_it_cannot_judge(service):  # type: ignore[no-untyped-def]
    # the ranker was fitted on English sentences against English questions: for a Spanish question it judges the
    # English documents' sentences (against the translation) and leaves the Spanish ones to the hand weights
    from assistant.answer import Sentence
    from assistant.plan import EvidenceRequest

    composer = service.assistant.composer
    english = _passage_in("Officers may not hold anyone for ICE.", "en")
    spanish = _passage_in("La oficina abre los martes y los jueves.", "es")
    sentences = [Sentence(0, 0, 10, english.chunk.text), Sentence(1, 0, 10, spanish.chunk.text)]
    asked = EvidenceRequest(role="answer", query="hold for ICE", filters=Filters(), asked="¿retienen para ICE?")
    assert composer._ranked_fairly(asked, sentences, [english, spanish]) == [True, False]
    # an English question has no Spanish one to weigh them against: all judged alike
    plain = EvidenceRequest(role="answer", query="hold for ICE", filters=Filters())
    assert composer._ranked_fairly(plain, sentences, [english, spanish]) == [True, True]


def _passage_in(text: str, language: str):  # type: ignore[no-untyped-def]
    return make_passage(text, language=language, file=f"{language}.md")
