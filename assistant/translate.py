"""Spanish questions into English for retrieval, with Debian's Apertium (`apertium spa-eng`, rule-based, offline).

Apertium runs as a subprocess (about 0.1 to 0.3 s a call). Before translating, town names and acronyms are put out
of its reach (it would make "Lee" "Reads" and "MIRA" "LOOK", and it lower-cases nothing back to "Boston"), common
accents left out by casual typing are put back ("policia" → "policía") so the words are known, and its marks for
unknown words (`*`), unfinished generation (`#`) and failed transfer (`@`) are cleaned from the result.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import TranslationUnavailableError
from assistant.language import plain
from corpus.towns import TownRegistry

DEBIAN_PACKAGE = "apertium-eng-spa"


class TranslationConfig(BaseModel):
    """How Spanish questions are translated to English for retrieval."""

    model_config = ConfigDict(extra="forbid")

    command: str = Field(
        "apertium", description=f"The Apertium program (Debian: apertium and {DEBIAN_PACKAGE}); a path or a name."
    )
    pair: str = Field("spa-eng", description="The Apertium language pair, Spanish to English.")
    timeout_s: float = Field(10.0, gt=0, description="Longest wait for one translation before giving up.")
    enabled: bool = Field(True, description="Translate Spanish questions; off = search with the Spanish as asked.")
    asked_weight: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Weight of the search with the question as asked, fused with the search with its translation.",
    )


# Placeholders Apertium passes through untouched (it marks them unknown): "Zxqa", "Zxqb", …
_PLACEHOLDER = re.compile(r"[*#@]?Zxq([a-z]{1,2})\b", re.IGNORECASE)
_MARK = re.compile(r"(?<![\w*#@])[*#@]+(?=\w)")
_UNKNOWN = re.compile(r"\*([^\W\d_]+)")
# Names in capitals and legal references kept as typed: ICE, MIRA, PROTECT, I-247D, 287(g), c. 66.
_KEPT = re.compile(
    # a statute's subsection, an acronym, a form number, and a letter's term ("A-number", "U-visa": Apertium would
    # read the "A" as the preposition, "To-number")
    r"\b\d+\([a-z]\)|\b[A-Z][A-Z0-9]*[A-Z0-9](?:-[A-Z0-9]+)*\b|\bI-\d+[A-Z]?\b|\b[A-Z]-[A-Za-z]+\b"
)
# Question words lose their accents in casual typing; at the start of a question they are the question word.
_INTERROGATIVES = {
    "que": "qué",
    "quien": "quién",
    "quienes": "quiénes",
    "cual": "cuál",
    "cuales": "cuáles",
    "cuando": "cuándo",
    "cuanto": "cuánto",
    "cuanta": "cuánta",
    "cuantos": "cuántos",
    "cuantas": "cuántas",
    "como": "cómo",
    "donde": "dónde",
}
_QUESTION_START = re.compile(
    r"(^|¿|[.;:!?]\s+|,\s*|\b(?:y|e|o|pero|entonces|sabe|saber|dime|digame|dígame|por)\s+)"
    r"(que|quienes|quien|cuales|cual|cuando|cuantos|cuantas|cuanto|cuanta|como|donde)\b",
    re.IGNORECASE,
)
# Terms of this subject that Apertium renders word by word ("jefe de policía" → "boss of police", "registros
# públicos" → "public registers"), in the English the documents use; the shipped Spanish explainers name several
# of them beside the English ("solicitudes de detención (detainers)"). Matched without accents, in lower case.
GLOSSARY = {
    "jefe de la policia": "police chief",
    "jefa de la policia": "police chief",
    "jefe de policia": "police chief",
    "jefa de policia": "police chief",
    "como se llama": "what is the name of",
    "solicitud de detencion": "detainer",
    "solicitudes de detencion": "detainers",
    "solicitud civil de detencion": "civil detainer",
    "orden de detencion": "detainer",
    "ordenes de detencion": "detainers",
    "orden judicial": "judicial warrant",
    "ordenes judiciales": "judicial warrants",
    "orden administrativa": "administrative warrant",
    "ordenes administrativas": "administrative warrants",
    "orden penal": "criminal warrant",
    "orden de arresto penal": "criminal warrant",
    "encargado de registros": "records access officer",
    "encargada de registros": "records access officer",
    "encargado de acceso a registros": "records access officer",
    "registros publicos": "public records",
    "solicitud de registros": "records request",
    "solicitudes de registros": "records requests",
    "concejo municipal": "city council",
    "alguacil": "sheriff",
    "alguaciles": "sheriffs",
    "carcel": "jail",
    "indocumentado": "undocumented",
    "indocumentada": "undocumented",
    "indocumentados": "undocumented",
    "indocumentadas": "undocumented",
    "huellas digitales": "fingerprints",
    "huellas dactilares": "fingerprints",
    "antecedentes penales": "criminal record",
    "la migra": "ICE",
    "retener": "hold",
    "retenga": "hold",
    "retengan": "hold",
    "retiene": "holds",
    "retienen": "hold",
    "la corte": "the court",
    "tribunal supremo judicial": "Supreme Judicial Court",
    "ley de confianza": "Trust Act",
    "ley trust": "Trust Act",
    "juez de inmigracion": "immigration judge",
    "agentes de inmigracion": "immigration agents",
    "estatus migratorio": "immigration status",
    "situacion migratoria": "immigration status",
    "ciudad santuario": "sanctuary city",
    "politica": "policy",
    "politicas": "policies",
    "jefe": "chief",
    "jefa": "chief",
    "pueblo": "town",
    "mi pueblo": "my town",
    "su pueblo": "their town",
    "se diferencian": "differ",
    "niños": "children",
    "niñas": "children",
    "ninos": "children",
    "se llevo": "took",
    "se llevaron": "took",
    "defensores": "advocates",
    "revision migratoria": "immigration check",
    "verificacion migratoria": "immigration check",
    "como pido": "how do I request",
    "como puedo pedir": "how can I request",
    "como solicito": "how do I request",
    "como puedo solicitar": "how can I request",
    # everyday phrases Apertium renders word by word ("licence to handle", "touching my door", "spent it to him")
    "licencia de manejar": "driver's license",
    "licencia de conducir": "driver's license",
    "sacar": "get",
    "sin papeles": "undocumented",
    "no tengo papeles": "I am undocumented",
    "no tiene papeles": "is undocumented",
    "no tienen papeles": "are undocumented",
    "tocando mi puerta": "knocking on my door",
    "tocando la puerta": "knocking on the door",
    "toca la puerta": "knocks on the door",
    "tocan la puerta": "knock on the door",
    "tocar la puerta": "knock on the door",
    "dejarlos entrar": "let them in",
    "dejarlas entrar": "let them in",
    "dejar entrar": "let in",
    "se lo llevo": "took him",
    "se la llevo": "took her",
    "se los llevo": "took them",
    "se lo llevaron": "took him",
    "se la llevaron": "took her",
    "se los llevaron": "took them",
    "lo llevaron": "took him",
    "la llevaron": "took her",
    "los llevaron": "took them",
    # a relative taken by ICE: "a mi primo se lo llevaron los de inmigración, ¿cómo averiguo dónde lo tienen?"
    # (Apertium: "To my prime took him the ones of immigration, how averiguo where have it?")
    "primo": "cousin",
    "prima": "cousin",
    "primos": "cousins",
    "mi familiar": "my relative",
    "un familiar": "a relative",
    "familiar detenido": "detained relative",
    "los de inmigracion": "ICE",
    "averiguo": "find out",
    "averiguar": "find out",
    "como encuentro": "how do I find",
    "como busco": "how do I look for",
    "donde lo tienen": "where they are holding him",
    "donde los tienen": "where they are holding them",
    "encerrado": "locked up",
    "encerrada": "locked up",
    "encerrados": "locked up",
    "celular": "phone",
    # "entrar en mi casa" comes out "go in my house", which reads as "in my (town)"; a home is what is meant.
    "en mi casa": "into my home",
    "en su casa": "into their home",
    "mi casa": "my home",
}
_GLOSSARY_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True)) + r")(?![\w-])"
)
_VOWEL_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}


@dataclass
class Translation:
    """A question in Spanish and its English translation, with the words Apertium did not know."""

    source: str
    text: str
    unknown: list[str]


class Translator:
    """Translates with Apertium in a subprocess; remembers recent questions (a conversation is replayed each turn)."""

    def __init__(self, config: TranslationConfig | None = None, registry: TownRegistry | None = None):
        self.config = config or TranslationConfig()
        self.registry = registry
        self._cache: dict[str, Translation] = {}

    def run(self, lines: list[str]) -> list[str]:
        """Apertium over the lines in one call, one output line per input line (marks left in)."""
        text = "\n".join(" ".join(line.split()) for line in lines) + "\n"
        command = [self.config.command, self.config.pair]
        try:
            done = subprocess.run(
                command, input=text, capture_output=True, text=True, encoding="utf-8", timeout=self.config.timeout_s
            )
        except FileNotFoundError as exc:
            raise TranslationUnavailableError(missing_message()) from exc
        except subprocess.TimeoutExpired as exc:
            raise TranslationUnavailableError(
                f"Apertium ({self.config.command}) took longer than {self.config.timeout_s:g} s to translate.",
                missing=False,
            ) from exc
        except OSError as exc:
            raise TranslationUnavailableError(f"{missing_message()} ({exc.strerror or exc})") from exc
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
            raise TranslationUnavailableError(f"{missing_message()} (Apertium said: {reason})")
        out = done.stdout.split("\n")
        if len(out) < len(lines):
            raise TranslationUnavailableError(f"Apertium returned {len(out)} lines for {len(lines)}.", missing=False)
        return out[: len(lines)]

    def translate(self, question: str) -> Translation:
        """The question in English: towns and acronyms kept, missing accents restored, Apertium's marks cleaned."""
        if question in self._cache:
            return self._cache[question]
        source = restore_question_words(" ".join(unicodedata.normalize("NFC", question).split()))
        protected, kept = protect_names(source, self.registry)
        candidates = accent_candidates(protected)
        variants = [v for options in candidates.values() for v in options]
        first, *checked = self.run([protected, *variants])
        known = {v for v, out in zip(variants, checked, strict=True) if "*" not in out and "#" not in out}
        repairs = {}
        for word in _unknown_words(first):
            typed = next((w for w in candidates if w.lower() == word.lower()), None)
            fixed = next((v for v in candidates.get(typed or "", []) if v in known), None)
            if typed and fixed:
                repairs[typed] = fixed
        if repairs:
            protected = re.sub(
                r"\b(" + "|".join(map(re.escape, repairs)) + r")\b", lambda m: repairs[m.group(0)], protected
            )
            first = self.run([protected])[0]
        translation = Translation(question, clean_marks(restore_names(first, kept)), _unknown_words(first))
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[question] = translation
        return translation


def missing_message() -> str:
    """What to install for Spanish questions (one line)."""
    return (
        f"Spanish questions are translated with Apertium, which is not installed here: install Debian's "
        f"{DEBIAN_PACKAGE} package (sudo apt-get install {DEBIAN_PACKAGE}). Searched with the question as asked."
    )


def restore_question_words(text: str) -> str:
    """Accents back on question words that open a question ("que es" → "qué es", "por que" → "por qué")."""

    def accent(match: re.Match[str]) -> str:
        word = match.group(2)
        fixed = _INTERROGATIVES[word.lower()]
        return match.group(1) + (fixed.capitalize() if word[0].isupper() else fixed)

    return _QUESTION_START.sub(accent, text)


def protect_names(text: str, registry: TownRegistry | None) -> tuple[str, dict[str, str]]:
    """The text with town names, acronyms and glossary terms replaced by placeholders Apertium leaves alone;
    placeholder → what comes back (towns in their official spelling, so "boston" comes back "Boston"; terms in
    English)."""
    text = unicodedata.normalize("NFC", text)
    # plain() keeps an NFC text's length, so its matches are the text's spans.
    spans = [(m.start(), m.end(), GLOSSARY[m.group(0)]) for m in _GLOSSARY_PATTERN.finditer(plain(text))]
    if registry is not None:
        # Casual questions write towns in lower case among capitals ("la policia de everett y ICE"): look for them
        # as in an all lower-case text, where everyday-word names still need a cue.
        for town in registry.find(text.lower()):
            names = [town, *(registry.get(town).aliases if registry.get(town) else ())]  # type: ignore[union-attr]
            pattern = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in sorted(names, key=len, reverse=True))
            for match in re.finditer(rf"(?<![\w-])({pattern})(?![\w-])", text, re.IGNORECASE):
                alias = match.group(0)
                spans.append((match.start(), match.end(), alias if alias.lower() != town.lower() else town))
    shouting = sum(c.isupper() for c in text) > 0.5 * sum(c.isalpha() for c in text)
    if not shouting:
        spans += [(m.start(), m.end(), m.group(0)) for m in _KEPT.finditer(text)]
    kept: dict[str, str] = {}
    result, last = [], 0
    for start, end, name in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < last:
            continue
        key = _placeholder_key(len(kept))
        kept[key] = name
        result += [text[last:start], f"Zxq{key}"]
        last = end
    result.append(text[last:])
    return "".join(result), kept


def _placeholder_key(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < 26 else letters[n // 26 - 1] + letters[n % 26]


def restore_names(text: str, kept: dict[str, str]) -> str:
    """Placeholders back to the names they stand for."""
    return _PLACEHOLDER.sub(lambda m: kept.get(m.group(1).lower(), m.group(0)), text)


def clean_marks(text: str) -> str:
    """Apertium's marks taken off words: `*unknown`, `#unfinished`, `@untransferred`; spacing and capitals tidied
    (Apertium capitalizes the first word it translates, even after a kept term: "how do I request The policy")."""
    text = re.sub(r"\s{2,}", " ", _MARK.sub("", text)).strip()
    text = re.sub(r"(?<=[a-z] )(The|A|An)\b", lambda m: m.group(0).lower(), text)
    return text[:1].upper() + text[1:]


def accent_candidates(text: str) -> dict[str, list[str]]:
    """For each lower-case word typed without accents, the spellings with one accent (or ñ) it may have meant."""
    candidates: dict[str, list[str]] = {}
    for word in re.findall(r"(?<![\w*])[A-Za-zñ][a-zñ]{2,}\b", text):
        if word in candidates or plain(word) != word.lower() or word.lower().startswith("zxq"):
            continue
        options = [word[:i] + _VOWEL_ACCENTS[c] + word[i + 1 :] for i, c in enumerate(word) if c in _VOWEL_ACCENTS]
        options += [word[:i] + "ñ" + word[i + 1 :] for i, c in enumerate(word) if c == "n"]
        # The stress falls near the end: the last vowels are the likeliest to carry the accent.
        candidates[word] = list(reversed(options))
    return candidates


def _unknown_words(translated: str) -> list[str]:
    return [w for w in _UNKNOWN.findall(translated) if not w.lower().startswith("zxq")]
