"""Every text the assistant says in its own voice (not quoted from a document), in English and Spanish.

Quotes from the documents stay in the documents' language; only these framing texts change with `language`.
"""

from __future__ import annotations

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
        "statewide_mentions": "Statewide documents mention {town}: {quotes}",
        "records_request": (
            "{town}'s police policy can be requested from the {town} Police Department under the Massachusetts "
            "public records law (G.L. c. 66, § 10)"
        ),
        "legal_note": "This is information from documents, not legal advice.",
        "and": "and",
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
        "statewide_mentions": "Documentos de alcance estatal mencionan {town}: {quotes}",
        "records_request": (
            "La política de la policía de {town} se puede pedir al Departamento de Policía de {town} según la ley de "
            "registros públicos de Massachusetts (G.L. c. 66, § 10)"
        ),
        "legal_note": "Esto es información de documentos, no asesoría legal.",
        "and": "y",
    },
}


def message(key: str, language: str = "en", **values: str) -> str:
    """The text for `key` in the language (English when it has none), with its {placeholders} filled."""
    texts = MESSAGES.get(language, MESSAGES["en"])
    return texts.get(key, MESSAGES["en"][key]).format(**values)


def join_names(items: list[str], language: str = "en") -> str:
    """ "A", "A and B", "A, B and C" (in the language's word for "and")."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {message('and', language)} " + items[-1]
