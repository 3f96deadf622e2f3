"""Every text the assistant says in its own voice (not quoted from a document), in English and Spanish.

Quotes from the documents stay in the documents' language; only these framing texts change with `language`.
"""

from __future__ import annotations

from assistant.types import Filters

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "which_town": (
            "Which city or town do you mean? Name it in your question (for example, \"What is Quincy's police policy "
            "on ICE?\") or choose it in the town filter, and I will look for that town's documents."
        ),
        "not_said": "The documents here don't say: {question}?",
        "closest": " The closest documents are: {titles}.",
        "closest_passages": "These are the closest passages found; they may not answer the question exactly:",
        "not_said_for": "The documents here don't say this for {towns}.",
        "no_document": "The documents here have no policy or other document about {town}.",
        "county_mentions": "{town} is in {county}; the documents say of {county}: {quotes}",
        "statewide_mentions": "Statewide documents mention {town}: {quotes}",
        "records_request": (
            "{town}'s police policy can be requested from the {town} Police Department under the Massachusetts "
            "public records law (G.L. c. 66, § 10)"
        ),
        "legal_note": "This is information from documents, not legal advice.",
        "model_written": (
            "Written by a local language model from the cited passages; every sentence was checked against them "
            "({kept} kept, {repaired} replaced by the passage's own words, {dropped} removed)."
        ),
        "model_failed": "The language model could not answer ({reason}); this answer quotes the documents instead.",
        "model_unverified": (
            "Nothing the language model wrote could be checked against the documents; this answer quotes them instead."
        ),
        "model_declined": "The language model found no answer in the passages; this answer quotes the documents instead.",
        "and": "and",
        # Spanish questions (assistant/crosslingual.py): framing around quotes, and when Apertium is missing.
        "according_to_one": "According to the cited document",
        "according_to_many": "According to the cited documents",
        "quoted_in_english_one": " (quoted verbatim, in English)",
        "quoted_in_english_many": " (quoted verbatim, in English)",
        "needs_apertium": (
            "Spanish questions are translated to English with Apertium, which is not installed here (Debian package "
            "apertium-eng-spa); this answer was searched with the question as asked."
        ),
        "translation_failed": (
            "The translation of this Spanish question failed; this answer was searched with the question as asked."
        ),
        "filter_town": "town: {towns}",
        "filter_statewide": " (+ statewide)",
        "filter_type": "type: {types}",
        "filter_dates": "dates: {start} to {end}",
    },
    "es": {
        "which_town": (
            '¿A qué ciudad o pueblo se refiere? Nómbrelo en su pregunta (por ejemplo, "¿Cuál es la política de la '
            'policía de Quincy sobre ICE?") o elíjalo en el filtro de municipio, y buscaré los documentos de ese lugar.'
        ),
        "not_said": "Los documentos aquí no lo dicen: {question}?",
        "closest": " Los documentos más cercanos son: {titles}.",
        "closest_passages": "Estos son los pasajes más cercanos; puede que no respondan exactamente a la pregunta:",
        "not_said_for": "Los documentos aquí no dicen esto para {towns}.",
        "no_document": "Los documentos aquí no tienen ninguna política ni otro documento sobre {town}.",
        "county_mentions": "{town} está en {county}; los documentos dicen de {county}: {quotes}",
        "statewide_mentions": "Documentos de alcance estatal mencionan {town}: {quotes}",
        "records_request": (
            "La política de la policía de {town} se puede pedir al Departamento de Policía de {town} según la ley de "
            "registros públicos de Massachusetts (G.L. c. 66, § 10)"
        ),
        "legal_note": "Esto es información de documentos, no asesoría legal.",
        "model_written": (
            "Redactado por un modelo de lenguaje local a partir de los pasajes citados; cada oración se comprobó con "
            "ellos ({kept} conservadas, {repaired} sustituidas por las palabras del pasaje, {dropped} quitadas)."
        ),
        "model_failed": "El modelo de lenguaje no pudo responder ({reason}); esta respuesta cita los documentos.",
        "model_unverified": (
            "Nada de lo que escribió el modelo de lenguaje se pudo comprobar en los documentos; esta respuesta los cita."
        ),
        "model_declined": (
            "El modelo de lenguaje no encontró la respuesta en los pasajes; esta respuesta cita los documentos."
        ),
        "and": "y",
        "according_to_one": "Según el documento citado",
        "according_to_many": "Según los documentos citados",
        "quoted_in_english_one": " (cita textual, en inglés)",
        "quoted_in_english_many": " (citas textuales, en inglés)",
        "needs_apertium": (
            "Las preguntas en español se traducen al inglés con Apertium, que no está instalado aquí (paquete de "
            "Debian apertium-eng-spa); esta respuesta se buscó con la pregunta tal como se hizo."
        ),
        "translation_failed": (
            "No se pudo traducir esta pregunta en español; esta respuesta se buscó con la pregunta tal como se hizo."
        ),
        "filter_town": "municipio: {towns}",
        "filter_statewide": " (+ todo el estado)",
        "filter_type": "tipo: {types}",
        "filter_dates": "fechas: de {start} a {end}",
    },
}


def message(key: str, language: str = "en", **values: str) -> str:
    """The text for `key` in the language (English when it has none), with its {placeholders} filled."""
    texts = MESSAGES.get(language, MESSAGES["en"])
    return texts.get(key, MESSAGES["en"][key]).format(**values)


def describe_filters(filters: Filters, language: str = "en") -> str:
    """The filters an answer was limited to, in words ("town: Quincy (+ statewide); type: policy")."""
    parts = []
    if filters.towns:
        statewide = message("filter_statewide", language) if filters.include_statewide else ""
        parts.append(message("filter_town", language, towns=", ".join(filters.towns)) + statewide)
    if filters.doc_types:
        parts.append(message("filter_type", language, types=", ".join(filters.doc_types)))
    if filters.date_from or filters.date_to:
        parts.append(message("filter_dates", language, start=filters.date_from or "…", end=filters.date_to or "…"))
    return "; ".join(parts)


def join_names(items: list[str], language: str = "en") -> str:
    """ "A", "A and B", "A, B and C" (in the language's word for "and")."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {message('and', language)} " + items[-1]
