"""Which language a question is in (English or Spanish), and which language the reply is framed in.

A small scorer over function words, question words and Spanish spelling, with no model: questions are short,
casual, often lower case and without accents ("la policia de everett y ICE"), and towns, acronyms and numbers
("Everett", "ICE", "287(g)") belong to neither language, so they are not counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LANGUAGES = ("en", "es")

# Words common in questions that are (almost) never words of the other language. Accents are stripped before
# lookup, so "qué" and "que", "policía" and "policia" count alike.
# Spanish function words (articles, prepositions, pronouns, conjunctions, common verbs, question words): never a
# question's topic, so they are also left out when Spanish sentences are weighed against a Spanish question.
_SPANISH_FUNCTION_WORDS = """
    de del en la las el los un una unos unas y e o u que quien quienes cual cuales cuando cuanto cuanta cuantos cuantas
    como donde adonde por porque para con sin sobre entre hasta desde hacia segun ante tras durante mediante
    es son esta estan estoy eres ser estar fue fueron era eran ha han hay hace hacen hizo puede pueden puedo podria
    debe deben tiene tienen tengo dice dicen sabe pasa pasan
    mi mis tu tus su sus nuestro nuestra nuestros nuestras lo le les se nos me te yo usted ustedes ellos ellas ella el
    al pero tambien solo si ya mas muy aqui alli esto eso este ese estos esos esta esa ese eso
"""
# Words of this subject that tell Spanish from English (in English they are spelt otherwise).
_SPANISH_TOPIC_WORDS = """
    significa pide piden policia policias agentes migra inmigracion inmigrantes inmigrante ciudad pueblo municipio ley
    leyes orden ordenes juez jueces tribunal tribunales corte derechos derecho casa familia familiar detenido detenida
    detener arresto arrestar deportacion documentos documento informe politica politicas alcalde jefe estado estatal
    comparte compartir colaborar colabora retener retiene ayuda ayudar necesito quiero saber
"""
_ENGLISH_WORDS = """
    the of and or to in on at for with without about from by into over after before under between
    what who whom whose when where why how which that this these those there their they them it its
    is are was were be been being do does did doing have has had can could should would will may might must
    i my me we our you your he his she her not any some all if than then so also only just
    police cops officers officer department city town law laws court courts judge rights home family detained
    arrest arrested deported deportation immigration immigrants policy policies report mayor chief state share
    shares sharing hold holds help need want know mean means says said say happen happens ask asks whats
"""
SPANISH_FUNCTION_WORDS = frozenset(_SPANISH_FUNCTION_WORDS.split())
_SPANISH = SPANISH_FUNCTION_WORDS | frozenset(_SPANISH_TOPIC_WORDS.split())
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Spelling only Spanish has: ñ, accented vowels, opening question and exclamation marks.
_SPANISH_LETTERS = re.compile(r"[ñáéíóúü¿¡]", re.IGNORECASE)
_SPANISH_ENDINGS = re.compile(r"(cion|ciones|dad|dades|mente|amos|emos|imos|aron|ieron|ando|iendo)$")
_ENGLISH_ENDINGS = re.compile(r"(ing|tion|tions|ness|ship|'s|’s)$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?", re.UNICODE)
# An acronym or a name in capitals ("ICE", "MIRA", "NLETS") is no language's word.
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]+$")


def plain(word: str) -> str:
    """A word lower-cased without accents ("Policía" → "policia"); ñ stays ñ."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("ñ", "\0"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("\0", "ñ")


def language_scores(text: str) -> dict[str, float]:
    """Evidence for each language in the text: one point per function word, more for Spanish spelling."""
    scores = {"en": 0.0, "es": 0.0}
    scores["es"] += 1.5 * len(_SPANISH_LETTERS.findall(text))
    for raw in _WORD.findall(text):
        if _ACRONYM.match(raw):
            continue
        word = plain(raw)
        in_spanish, in_english = word in _SPANISH, word in _ENGLISH
        if in_spanish and not in_english:
            scores["es"] += 1.0
        elif in_english and not in_spanish:
            scores["en"] += 1.0
        elif not in_spanish and not in_english and len(word) > 4:
            if _SPANISH_ENDINGS.search(word):
                scores["es"] += 0.5
            elif _ENGLISH_ENDINGS.search(word):
                scores["en"] += 0.5
    return scores


def content_words(text: str) -> str:
    """The Spanish text without its function words ("¿qué días abre la oficina?" → "días abre oficina")."""
    return " ".join(w for w in _WORD.findall(text) if plain(w) not in SPANISH_FUNCTION_WORDS)


def detect_language(text: str) -> str | None:
    """ "es" or "en" when the text tells, None when it does not ("Everett?", "ICE 287(g)")."""
    scores = language_scores(text)
    if scores["es"] == scores["en"]:
        return None
    return "es" if scores["es"] > scores["en"] else "en"


def reply_language(question: str, history: Iterable[str] = (), chosen: str | None = None, hint: str = "en") -> str:
    """The language the reply is framed in: the one the user chose, else the question's own, else that of the
    latest earlier question that tells (a follow-up "Everett?" continues a Spanish conversation in Spanish), else
    the hint (the interface's language)."""
    if chosen in LANGUAGES:
        return chosen
    for text in (question, *reversed(list(history))):
        found = detect_language(text)
        if found:
            return found
    return hint if hint in LANGUAGES else "en"
