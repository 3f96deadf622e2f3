"""Planning: a question and its conversation → what to retrieve (labelled evidence requests), or a reply at once.

Follow-ups, towns and comparisons decide *what* to look for here, and nothing more: composing the reply from what
is found is the composer's job, the same for every kind of plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.chat import (
    Conversation,
    Turn,
    asked_part,
    asks_about_rights,
    asks_for_my_town,
    asks_how_to_request,
    has_content,
    own_words,
    place_in_town,
    rewrite_question,
)
from assistant.messages import message
from assistant.types import Filters
from assistant.vocabulary import plain_words
from corpus.towns import TownRegistry

PlanKind = Literal["answer", "compare", "missing_town", "which_town"]
Role = Literal["answer", "mentions", "county", "guide"]
# What a town's county answers for: its sheriff, the sheriff's jail, the district attorney ("DA" in capitals: "da"
# is Spanish) and who prosecutes. A question about the town's police is about the police, jail or not ("can boston
# police put me in jail"), and is answered from the town's own documents.
_COUNTY_MATTERS = re.compile(
    # (a prosecutor asked for: "who prosecutes each case", not "can the mayor be prosecuted")
    r"\b(?i:sheriff['’]?s?|house of correction|county jail|the jail|district attorneys?|d\.a\.|prosecutors?|"
    r"who (?:\w+ )?prosecut\w*)\b|\bDA\b"
)
_POLICE = re.compile(r"\b(police|cops?|pd|officers?)\b", re.IGNORECASE)
RECORDS_QUERY = "request a copy of the police department policy under the public records law Records Access Officer"


@dataclass
class EvidenceRequest:
    """One search and what its passages are for.

    `query` is what the passages' sentences are scored against; `search_query` what is searched with (the same
    unless said otherwise). `towns` are the towns whose sentences may be quoted and whose own documents get a
    bonus; `must_name` keeps only passages and sentences that name that town, `must_say` only those that hold that
    phrase ("Suffolk County"), `must_mention` (a thing compared) only sentences that name one of these words, in
    themselves or their document's title, when any does. `gated` requests are held to the
    abstention threshold; the others are quoted whenever they have a sentence. `asked` (set by
    `assistant.crosslingual` when `query` is a translation) is the question as asked: also searched with, and what
    sentences of documents in its language are scored against."""

    role: Role
    query: str
    filters: Filters
    towns: list[str] = field(default_factory=list)
    label: str | None = None
    search_query: str | None = None
    limit: int | None = None
    must_name: str | None = None
    must_say: str | None = None
    must_mention: tuple[str, ...] = ()
    gated: bool = True
    max_sentences: int | None = None
    max_chars: int | None = None
    searched: bool = True
    asked: str | None = None
    parts: list[str] = field(default_factory=list)  # a two-part question's parts, each given its own best sentence
    # a compared document by its kind, when both sides are one owner's ("eastbrook's police policy and its council
    # order"): (the kind's word, its document type); only documents of that kind are quoted for it, when any is
    document_kind: tuple[str, str] | None = None

    @property
    def searched_with(self) -> str:
        return self.search_query or self.query


@dataclass
class Plan:
    """What the question was taken to mean and what to gather to answer it."""

    kind: PlanKind
    question: str
    standalone: str
    towns: list[str]
    filters: Filters
    requests: list[EvidenceRequest] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str = "en"
    literal: bool = False  # the question as asked, only reworded (documents' words, towns' names), not rewritten
    # a follow-up rewritten as "<its own words>, about <the conversation's topic>": its own words
    focus: str | None = None
    story: bool = False  # the focus is the sentence that asks in a question typed as a story first

    @property
    def town(self) -> str | None:
        return self.towns[0] if self.towns else None


class Planner:
    """Turns questions into plans; knows the towns and which of them have documents of their own."""

    def __init__(
        self,
        registry: TownRegistry,
        towns_with_documents: Callable[[], set[str]],
        max_chars: int,
        compare_sentences: int = 2,
        compare_chars: int = 660,
    ):
        self.registry = registry
        self.towns_with_documents = towns_with_documents
        self.max_chars = max_chars
        # a comparison of towns: each town's most sentences, and the room all the towns share
        self.compare_sentences = compare_sentences
        self.compare_chars = compare_chars
        # A language model's follow-up rewrite (assistant/rewrite.py), tried before the rules when one is set.
        self.rewrite: Callable[[str, list[Turn]], str | None] | None = None

    def conversation(self, history: Iterable[str]) -> Conversation:
        """Replay earlier questions (oldest first) so the next one can lean on them."""
        conversation = Conversation()
        for question in history:
            standalone = plain_words(
                self.registry.spell_towns(rewrite_question(question, conversation.turns, self.registry))
            )
            conversation.add(question, standalone, self.registry.find_in_question(standalone))
        return conversation

    def plan(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None, language: str = "en"
    ) -> Plan:
        filters = filters or Filters()
        history = list(history)
        rewritten = rewrite_question(question, self.conversation(history).turns, self.registry, self.rewrite)
        standalone = plain_words(self.registry.spell_towns(rewritten))
        literal = rewritten == question.strip()
        chosen = [self.registry.canonical(t) for t in filters.towns]
        if len(chosen) == 1 and chosen[0] not in self.registry.find_in_question(standalone):
            standalone = place_in_town(standalone, chosen[0])
            literal = False
        towns = chosen or self.registry.find_in_question(standalone)
        notes = [message("legal_note", language)] if asks_about_rights(standalone) else []
        # (only a question the rewriter put its topic after, not one typed with ", about" in it)
        asked_itself = own_words(rewritten) if history and rewritten != question else None
        asked_itself = asked_itself if asked_itself and has_content(asked_itself) else None
        # a first question typed as a story first leans on the sentence that asks, as a follow-up on its own words
        story = None if history else asked_part(question)
        leaned_on = asked_itself or story
        focus = plain_words(self.registry.spell_towns(leaned_on)) if leaned_on else None
        plan = Plan(
            "answer",
            question,
            standalone,
            towns,
            filters,
            notes=notes,
            language=language,
            literal=literal,
            focus=focus,
            story=bool(story),
        )
        # a follow-up to "how do i get my town's policy" ("can they charge me for it?") is answered the same anywhere
        follows_request = bool(history) and asks_how_to_request(history[-1])
        if not towns and asks_for_my_town(standalone) and (asks_for_my_town(question) or not follows_request):
            plan.kind = "which_town"
            return plan
        having = self.towns_with_documents()
        if len(towns) == 1 and towns[0] not in having:
            return self._missing_town(plan, towns[0])
        scoped = filters.model_copy(update={"towns": towns})
        plan.filters = scoped
        if len(towns) > 1:
            plan.kind = "compare"
            for town in towns:
                asked = question_about(standalone, town, [t for t in towns if t != town])
                county = (
                    None
                    if town in having or _TOWN_ACTS.search(standalone)
                    else self.county_request(asked, town, scoped, self.compare_sentences)
                )
                if county:
                    # "which DA's office handles a case in springfield and one in northampton": a town with no
                    # document of its own is answered by what the documents say of its county
                    plan.requests.append(
                        replace(
                            county, role="answer", label=town, gated=True, max_chars=self.compare_chars // len(towns)
                        )
                    )
                    continue
                plan.requests.append(
                    EvidenceRequest(
                        role="answer",
                        query=asked,
                        filters=scoped.model_copy(update={"towns": [town], "include_statewide": False}),
                        towns=[town],
                        label=town,
                        max_sentences=self.compare_sentences,
                        max_chars=self.compare_chars // len(towns),
                        searched=town in having,
                    )
                )
            return plan
        things = compared_things(standalone) if len(towns) <= 1 else None
        if things:
            # "safe communities act vs protect act: did either become law?": each side searched and quoted apart,
            # as towns are, so one side's passages cannot crowd out the other's
            plan.kind = "compare"
            # a side's towns: those the question names that its label holds ("plymouth" alone is a town only with
            # a cue in the whole question)
            named = [
                [t for t in towns if re.search(rf"\b{re.escape(t)}\b", label, re.IGNORECASE)]
                or self.registry.find_in_question(label)
                for label, _ in things
            ]
            kinds = [document_kind(label) for label, _ in things]
            one_owner = len({label_words(label)[:1] for label, _ in things}) == 1
            if not one_owner or None in kinds or len({k[1] for k in kinds if k}) < len(kinds):
                kinds = [None] * len(things)
            for (label, query), of_side, kind in zip(things, named, kinds, strict=True):
                # each side in its own town's documents: "bostons trust act or the cambridge welcoming ordinance";
                # a side naming no town when the other names one is not that town's ("bristol and plymouth each")
                own = chosen or of_side or ([] if any(named) else towns)
                plan.requests.append(
                    EvidenceRequest(
                        role="answer",
                        query=query,
                        filters=scoped.model_copy(update={"towns": own}),
                        towns=own,
                        label=label,
                        must_mention=_with_county(label_words(label)),
                        document_kind=kind,
                        max_sentences=2,
                        max_chars=self.max_chars // 2,
                    )
                )
            return plan
        plan.requests.append(
            EvidenceRequest(role="answer", query=standalone, filters=scoped, towns=towns, parts=asked_parts(standalone))
        )
        county = self.county_request(standalone, towns[0], scoped, 1) if len(towns) == 1 else None
        if county:
            plan.requests.append(county)
        return plan

    def _missing_town(self, plan: Plan, town: str) -> Plan:
        """No document is about this town: statewide documents that mention it, and how to request its policy."""
        statewide = plan.filters.model_copy(update={"towns": [], "include_statewide": True})
        plan.kind = "missing_town"
        plan.filters = plan.filters.model_copy(update={"towns": [town]})
        plan.requests += [
            EvidenceRequest(
                role="mentions",
                query=plan.standalone,
                search_query=f"{plan.standalone} {town}",
                filters=statewide,
                towns=[town],
                must_name=town,
                gated=False,
                max_sentences=1,
            ),
            EvidenceRequest(
                role="guide", query=RECORDS_QUERY, filters=statewide, limit=3, gated=False, max_sentences=1
            ),
        ]
        county = self.county_request(plan.standalone, town, statewide, 2)
        if county:
            plan.requests.insert(0, county)
        return plan

    def county_request(self, question: str, town: str, filters: Filters, most: int) -> EvidenceRequest | None:
        """For a question about a town's sheriff, jail, district attorney or prosecutor ("did the sheriff for revere
        stop working with ice", "who prosecutes cases in northampton"), what the documents say of its county, naming
        the county: a town's own documents are its police's, and the county's sheriff and courts are written of under
        the county's name."""
        found = self.registry.get(town)
        if not (found and found.county and _COUNTY_MATTERS.search(question)) or _POLICE.search(question):
            return None
        if self.registry.counties_in(question):
            return None  # a county named already is searched for as it is
        name = f"{found.county} County"
        return EvidenceRequest(
            role="county",
            query=in_county(question, town, name),
            filters=filters.model_copy(update={"towns": [], "include_statewide": True}),
            label=name,
            must_say=name,
            gated=False,
            max_sentences=most,
        )


_COMPARING = re.compile(
    r"\b(compare[sd]?|comparing|comparison|differ(s|ent|ence|ences)?|between|versus|vs\.?|both)\b", re.I
)


# "what happened to the detainees, and how did the sheriff react?": a second question joined by "and" or after a "?"
_SECOND_QUESTION = re.compile(
    r"(?:,?\s+and|\?)\s+(?=(?:what|whats|how|hows|who|whos|whom|when|where|wheres|why|which|did|does|do|is|are|was|"
    r"were|has|have|can|could|"
    r"would|will)\b)",
    re.IGNORECASE,
)


def asked_parts(question: str) -> list[str]:
    """The two questions a two-part question asks ("…, and what did the selectmen say?"), or none; a part of fewer
    than three words ("and why?") is no question of its own."""
    pieces = [p.strip(" ,;?") for p in _SECOND_QUESTION.split(question, maxsplit=1)]
    if len(pieces) != 2 or any(len(p.split()) < 3 for p in pieces):
        return []
    return [p + "?" for p in pieces]


_OWNED_ONCE = re.compile(
    r"\b(?P<a>[\w-]+['’]s)\s+(?P<thing>(?:[\w()-]+\s+){0,3}?[\w()-]+)\s+(?P<j>with|and|or|vs\.?|versus)\s+"
    r"(?P<b>[\w-]+['’]s)(?!\s+(?!(?:and|or|vs|versus|with)\b)\w)",
    re.IGNORECASE,
)


def question_about(question: str, town: str, others: list[str]) -> str:
    """A comparison narrowed to one town: the other towns and the comparing words taken out."""
    # "boston's ice executive order with worcester's": Worcester's ice executive order
    question = _OWNED_ONCE.sub(r"\g<a> \g<thing> \g<j> \g<b> \g<thing>", question)
    narrowed = question
    joiner = r"(,|\band\b|\bor\b|\bvs\.?|\bversus\b)"
    # "boston's trust act or amherst's sanctuary bylaw": each town's own thing goes out with the other town's name
    owns = re.search(rf"\b{re.escape(town)}('s|’s)\s+(?!(and|or|vs|versus)\b)\w", question, re.I)
    for other in others:
        if owns:
            thing = (
                rf"\b{re.escape(other)}('s|’s)(\s+[\w-]+){{1,4}}?(?=\s*([,;:?–—-]|\band\b|\bor\b|\bvs\b|\bwith\b|$))"
            )
            # the joining word between the two goes with the other's thing: "A's act or B's bylaw, which …" keeps
            # its comma, "which is older, A's act or B's bylaw" too
            ahead, behind = rf"{thing}\s*({joiner}|\bwith\b)", rf"\s*({joiner}|\bwith\b)\s*{thing}"
            theirs = re.search(rf"\b{re.escape(other)}('s|’s)", narrowed, re.I)
            first = theirs is not None and theirs.start() < owns.start()
            for pattern in (ahead, behind, ahead) if first else (behind, ahead):
                narrowed = re.sub(pattern, " ", narrowed, flags=re.I)
        name = rf"\b{re.escape(other)}('s|’s)?\b"
        narrowed = re.sub(rf"\s*{joiner}\s*{name}|{name}\s*{joiner}?\s*", " ", narrowed, flags=re.I)
    narrowed = _COMPARING.sub("", narrowed)
    narrowed = _one_of_them(narrowed)  # "when was each one signed"
    # a joining word left hanging by the other town's going: "boston's order with - when was it signed"
    narrowed = re.sub(r"\s+(?:with|and|or|vs\.?|versus|to)\s*(?=[-–—:,;?]|$)", " ", narrowed, flags=re.I)
    narrowed = re.sub(r"\s+[-–—]\s+", ": ", narrowed)
    narrowed = re.sub(r"\s+([,:;?])", r"\1", narrowed)
    narrowed = re.sub(r"\s{2,}", " ", narrowed).strip(" ,?")
    # "Compare Quincy and Everett" names no topic: this assistant's topic is their police policy on ICE.
    if len(re.findall(r"\w+", narrowed)) <= len(town.split()) + 1:
        return f"What is {town}'s police policy on ICE?"
    return narrowed + "?"


# "A vs B: question", "question, A or B?", "question about A v. B and C v. D?": two things compared.
_VERSUS = re.compile(
    r"^(?P<a>[^:?,]{3,60}?)\s+(?:vs\.?|versus|compared (?:to|with))\s+(?P<b>[^:?,]{3,60}?)\s*[:,?\-–—]+\s*(?P<q>.{6,})$",
    re.IGNORECASE,
)
# "A and B both …, who/what/when … each (one) …": two things, each asked the question
_BOTH_EACH = re.compile(
    r"^(?!(?:so|and|ok|which|what|who|when|where|why|how|do|does|did|is|are|was|were|can|could|will|would|if|once|"
    r"after|before|because|since|while|until|unless)\b)"
    r"(?P<a>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,4}?) (?:and|&) (?P<b>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,4}?)"
    r"(?: both |,\s*(?=(?:so |then |now )?(?:when|what|who|where|why|how|which|did|do|does|is|are|was|were|have|has)\b))"
    r"(?P<rest>.*\beach\b(?! other\b).*)$",
    re.IGNORECASE,
)
# "how does lunn v. commonwealth differ from ryan v. ice in which court decided it": two things and what they are
# compared on
_DIFFER = re.compile(
    r"^(?:so |and |ok |okay )?how (?:does|do|did|is|are|was|were) (?P<a>[^?,]{3,60}?) (?:differ(?:ent)?|compare) "
    r"(?:from|to|with) (?P<b>[^?,]{3,60}?)(?: (?:on|about|regarding|over|when it comes to|in terms of|"
    r"in(?= (?:what|which|who|when|where|why|how)\b)) (?P<topic>[^?]{3,}?))?"
    r"\s*\?*\s*$",
    re.IGNORECASE,
)
# What is no thing of its own to compare: a pronoun, a thing named before ("the 2014 one"), the asker's own
# situation, a time ("before", "2019"), "what ice wants", "state to state"
_NOT_A_THING = re.compile(
    r"^(?:they|them|it|this|that|these|those|ours|theirs|mine|yours|we|us|you|before|now|then|today|(?:19|20)\d\d)$|"
    r"^(?:my|our|your|what|someone|somebody|anyone|other|others|another|last|before|now|how|who|where|when)\b|"
    r"\b(?:one|it|them|that|this|before)$|\b(\w+) to \1\b",
    re.IGNORECASE,
)
# "biometric update vs gbh on courthouse arrests": what both are compared on, after the second one's name
_TOPIC = re.compile(r" (?:on|about|regarding|over) ", re.IGNORECASE)


def _topic_after(side: str) -> tuple[str, str]:
    """The second side of "A vs B on a topic" and the topic (" on …"), or the side and ""."""
    found = _TOPIC.search(side)
    if not found or len(side[: found.start()].split()) > 2:  # "the joint committee on public safety" is a name
        return side, ""
    return side[: found.start()], side[found.start() :]


_EITHER = re.compile(r"^(?P<q>.{6,}?),\s*(?P<a>[^,]{3,50}?)\s+or\s+(?P<b>[^,?]{3,50}?)\s*\?*\s*$", re.IGNORECASE)
_NAME = r"[A-Z][\w’'.()-]*(?:\s+(?:v\.|of|the|and|for|on|[A-Z0-9][\w’'.()-]*))*"
_KIND = r"(?:\s+v\.\s+" + _NAME + r"|\s+(?:Act|Order|Ordinance))"
_BOTH = re.compile(
    rf"\s(?P<a>(?:the\s+)?[A-Z][\w’'.()-]*(?:\s+[A-Z0-9][\w’'.()-]*)*{_KIND})\s+and\s+"
    rf"(?P<b>(?:the\s+)?[A-Z][\w’'.()-]*(?:\s+[A-Z0-9][\w’'.()-]*)*{_KIND})(?P<end>\s*\?*\s*)$"
)
# Not two things: "yes or no", "or not", and one-word sides ("Lunn vs Commonwealth" is a case's name).
_NOT_SIDES = {"yes", "no", "not", "never", "something else", "what"}
# "either can or cannot": two ways of saying, not two things
_NOT_SIDES |= {
    "can",
    "cannot",
    "can't",
    "could",
    "couldn't",
    "will",
    "won't",
    "would",
    "should",
    "may",
    "must",
    "do",
    "does",
    "did",
    "don't",
    "doesn't",
    "didn't",
    "is",
    "isn't",
    "are",
    "aren't",
    "was",
    "wasn't",
}


def _one_of_them(question: str) -> str:
    """A comparison's "each one" / "either of them", asked of one side: "it"."""
    return re.sub(r"\b(?:each|either) (?:one|of them)\b", "it", question, flags=re.I)


def compared_things(question: str) -> list[tuple[str, str]] | None:
    """(label, question about it) for each of two things the question compares, or None when it compares none."""
    things = _compared_things(question)
    return [(label, _one_of_them(query)) for label, query in things] if things else None


def _compared_things(question: str) -> list[tuple[str, str]] | None:
    text = question.strip()
    match = _VERSUS.match(text)
    if match:
        b, topic = _topic_after(match.group("b").strip())
        a = _with_shared_noun(match.group("a").strip(), b, str.split)  # "plymouth vs barnstable sheriffs"
        # one-word sides are a case's name ("Lunn vs Commonwealth"), unless the other side is longer and a topic follows
        if (len(a.split()) > 1 and len(b.split()) > 1) or (topic and max(len(a.split()), len(b.split())) > 1):
            q = match.group("q").strip()
            return [(side, f"{side}{topic}: {q}") for side in (a, b)]
    match = _DIFFER.match(text)
    if match and not any(_NOT_A_THING.search(side) for side in match.group("a", "b")):
        # each side asked what they are compared on ("ryan v. ice: which court decided it"), or about itself
        topic = match.group("topic")
        asked = (
            f": {topic}?"
            if topic and re.match(r"(?:what|which|who|when|where|why|how)\b", topic, re.I)
            else f" on {topic}"
            if topic
            else ""
        )
        # "how did bristol's 287g deal differ from plymouth's": Plymouth's 287g deal
        sides = _share_possessed(match.group("a").strip(), match.group("b").strip())
        return [(side, f"{side}{asked}") for side in sides]
    match = _EITHER.match(text)
    if match and _either_sides(match.group("q"), match.group("a"), match.group("b")):
        q = match.group("q").strip()
        sides = _share_possessed(match.group("a").strip(), match.group("b").strip())
        return [(side, f"{q}, {side}?") for side in sides]
    match = _EITHER_INLINE.match(text)
    if match:
        b = match.group("b").strip()
        a = _with_shared_noun(match.group("a").strip(), b, _content_words)  # "either the plymouth or the … sheriff"
        if a.lower() not in _NOT_SIDES and b.lower() not in _NOT_SIDES:
            pre, post = match.group("pre"), match.group("post")
            return [(side, f"{pre}{side}{post}") for side in (a, b)]
    match = _EACH.match(text)
    if match and match.group("a").lower() not in _NOT_SIDES and match.group("b").lower() not in _NOT_SIDES:
        # "when did bristol and plymouth each lose their 287g agreements": each asked alone
        pre, post = match.group("pre"), match.group("post")
        return [(match.group(s).strip(), f"{pre}{match.group(s).strip()}{post}") for s in ("a", "b")]
    match = _BOTH_EACH.match(text)
    comma = match is not None and "both" not in text[match.end("b") : match.start("rest")].lower()
    if (
        match
        and not {match.group("a").lower(), match.group("b").lower()} & (_NOT_SIDES | _DETERMINERS)
        # "my brother and i, what can each of us do", "ice came and arrested my dad, what do i do for each…": people
        # and events, not two things compared
        and not (comma and _NOT_THINGS_COMPARED.search(f"{match.group('a')} | {match.group('b')}"))
        and not (comma and re.search(r"\beach of (?:us|my|our|you|them|your)\b", match.group("rest"), re.IGNORECASE))
    ):
        # "the council order and the police policy both want a yearly report — who does each one go to"
        rest = match.group("rest").strip()
        b = match.group("b").strip()
        # "plymouth and barnstable sheriffs both …": the Plymouth sheriffs
        a = match.group("a").strip()
        shared = a if a.lower() in _NOT_A_PLACE else _with_shared_noun(a, b, str.split)
        sides = _share_possessed(shared, b)
        return [(side, f"{side}: {rest}") for side in sides]
    match = _AND_WHEN_DID.match(text)
    if (
        match
        and not {match.group("a").lower(), match.group("b").lower()} & (_NOT_SIDES | _DETERMINERS)
        # a thing, not a second question ("…, and why did he keep the contract?")
        and not re.search(rf"\b{_THING_VERB}", match.group("b"), re.IGNORECASE)
        and match.group("b").split()[0].lower() not in _PRONOUN_WORDS
        # "…, and when did plymouth?" names a thing; "…, and when did advocates react?" may end in any verb
        and (len(match.group("b").split()) == 1 or _SHARED_NOUN.fullmatch(match.group("b").split()[-1].lower()))
    ):
        pre, post = match.group("pre"), match.group("post")
        return [(match.group(s).strip(), f"{pre}{match.group(s).strip()}{post}?") for s in ("a", "b")]
    match = _AND_WH_VERB.match(text)
    if (
        match
        and not {match.group("a").lower(), match.group("b").lower()} & (_NOT_SIDES | _DETERMINERS)
        and match.group("verb").lower() not in {"do", "does", "did", "has", "have", "had", "get", "got", "gets"}
        # (not "what did A say and …", "who got arrested and who got released"; nor "who signed up and who signed the
        # deal", "who took my dad and who took my brother")
        and not any(
            match.group(side).split()[0].lower() in _PARTICLES | _POSSESSIVE_WORDS | _PRONOUN_WORDS
            for side in ("a", "b")
        )
    ):
        a, b = match.group("a").strip(), match.group("b").strip()
        one = re.match(r"(?P<head>.+?) ones?$", b, re.IGNORECASE)
        kind_of_a = re.search(r"['’]s (?P<kind>.+)$", a)
        if one and kind_of_a:
            b = f"{one.group('head')} {kind_of_a.group('kind')}"  # "the cape cod one": the cape cod 287g deal
        if not re.search(r"\bones?$", b, re.IGNORECASE):  # ("the other one": no kind to give it)
            pre = match.group("pre")
            return [(side, f"{pre}{side}?") for side in (a, b)]
    match = _AND_THEIRS.match(text)
    if match:
        pre, rest = match.group("pre"), match.group("rest")
        # labelled by the owner and the thing's first words ("bristol's 287g agreement")
        return [
            (" ".join(f"{match.group(s)} {rest}".split()[:3]), f"{pre}{match.group(s)} {rest}?") for s in ("a", "b")
        ]
    match = _THEIRS_COMPARED.search(text)
    if match and match.group("b").lower() not in _PRONOUN_WORDS:
        # "who ended bristol county's 287g agreement compared to plymouth's": Plymouth's 287g agreement, asked the same
        thing = match.group("thing")
        owned = [f"{match.group('a')}'s {thing}", f"{match.group('b')}'s {thing}"]
        return [(side, f"{text[: match.start()]}{side}{text[match.end() :]}") for side in owned]
    match = _OWNERS_AND.search(text)
    if match and not {match.group("a").lower(), match.group("b").lower()} & (_NOT_SIDES | _PRONOUN_WORDS):
        # "how did bristol's and plymouth's 287g deals end": each owner's, labelled by the owner and the thing's first
        # words
        rest = [word.strip(",;:") for word in match.group("rest").split()]
        owned = rest[:2] if any(c.isdigit() for c in rest[0]) else rest[:1]  # "287g deals", "ordinances"
        return [
            (
                " ".join([f"{match.group(s)}'s", *owned]),
                f"{text[: match.start()]}{match.group(s)}'s {text[match.start('rest') :]}",
            )
            for s in ("a", "b")
        ]
    match = _TWO_OWNERS.search(text)
    if match and match.group("a").lower().endswith(" county") != match.group("b").lower().endswith(" county"):
        match = None  # "suffolk county and middlesex county district attorneys": not "middlesex" with "county"
    if match and not any(
        side.lower() in _NOT_SIDES | _DETERMINERS | _PARTICLES
        or _SHARED_NOUN.fullmatch(side.lower())
        # (not "which sheriff signed up and which sheriff …": a particle and a question word)
        or side.lower() in {"which", "what", "whose", "each", "every", "any", "no"}
        for side in match.group("a", "b")
    ):
        the, noun = match.group("the") or "", match.group("noun")
        owned = [f"{the}{match.group(s)} {noun}" for s in ("a", "b")]
        return [(side, f"{text[: match.start()]}{side}{text[match.end() :]}") for side in owned]
    match = _BOTH.search(text)
    if match and re.search(
        r"\b(?:what|which|who|when|where|how|did|does|do|is|are|was|were)\b", text[: match.start()], re.I
    ):
        before = text[: match.start() + 1]
        return [(match.group(s).strip(), f"{before}{match.group(s).strip()}{match.group('end')}") for s in ("a", "b")]
    return None


# "did either the plymouth or the barnstable sheriff keep their 287g agreement?": the second thing ends where the
# question's verb begins
# The verbs a compared thing does in a question ("… keep their 287g agreement", "… leave the 287g program"): where
# the thing's words end.
_THING_VERB = (
    r"(?:actually |really |ever |still |already |first )?(?:keep|kept|become|became|get|got|have|had|has|end|ended|"
    r"sign|signed|pass|passed|say|said|do|does|did|allow|allows|allowed|let|lets|hold|holds|held|require|requires|"
    r"required|ban|bans|banned|use|uses|used|make|makes|made|stop|stopped|share|shares|shared|answer|answered|respond|"
    r"responded|win|won|lose|lost|sue|sued|vote|voted|work|worked|ask|asked|check|checks|checked|notify|notifies|"
    r"notified|mention|mentions|mentioned|cite|cites|cited|name|names|named|leave|left|join|joined|withdraw|withdrew|"
    r"start|started|begin|began|enter|entered|adopt|adopted|drop|dropped|quit|change|changed|take|took)\b"
)
_EITHER_INLINE = re.compile(
    r"^(?P<pre>.*?\b)either (?P<a>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,4}?) or "
    rf"(?P<b>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){{0,4}}?)(?P<post> {_THING_VERB}.*)$",
    re.IGNORECASE,
)
# "when did framingham pd leave the 287g program, and when did the plymouth county sheriff?": the second thing asked
# the first one's question
_AND_WHEN_DID = re.compile(
    r"^(?P<pre>(?:.*?\b)?(?P<wh>when|why|how|where|what|which|who)\b(?: \w+)? (?P<aux>did|does|do|has|have|had|will|would|can|could) )"
    rf"(?P<a>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){{0,4}}?)(?P<post> {_THING_VERB}[^,;]*?)"
    r",? and (?P=wh)\b(?: \w+)? (?P=aux) (?P<b>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,4}?)\s*\?*\s*$",
    re.IGNORECASE,
)


# Nouns two things compared can share ("plymouth vs barnstable sheriffs"); not a name's last word ("gbh vs biometric
# update" is two outlets).
_SHARED_NOUN = re.compile(
    r"sheriffs?|police|pd|departments?|count(?:y|ies)|city|cities|towns?|jails?|courts?|das|polic(?:y|ies)|"
    r"ordinances?|bylaws?|orders?|acts?|laws?|bills?|agreements?|deals?|programs?|contracts?|reports?|chiefs?|"
    r"mayors?|rules?|versions?|offices?"
)
# A word of a thing compared: not a preposition or a verb of the question ("do police and ice talk to each other")
_SIDE_WORD = (
    r"(?!(?:to|with|on|of|for|in|at|by|from|about|talk|share|sharing|work|give|send|tell|call|help|data|info)\b)"
    r"[\w'’.()-]+"
)
# "did A and B each …", "when did A and B each …": two things, each asked the rest of the question
_EACH = re.compile(
    r"^(?P<pre>(?:.*?\b(?:did|do|does|have|has|had|were|was|are|is|will|would|can|could)\s)?)"
    rf"(?P<a>(?:the )?{_SIDE_WORD}(?: {_SIDE_WORD}){{0,4}}?) (?:and|&) (?P<b>(?:the )?{_SIDE_WORD}(?: {_SIDE_WORD}){{0,4}}?)"
    r" each\b(?! other\b)(?P<post> [a-z]+.*)$",
    re.IGNORECASE,
)
# "the bristol and plymouth sheriffs": two owners of one common noun, each asked about with it
_TWO_OWNERS = re.compile(
    rf"\b(?P<the>the )?(?P<a>{_SIDE_WORD}(?: county)?) (?:and|&) (?P<b>{_SIDE_WORD}(?: county)?) "
    rf"(?P<noun>{_SHARED_NOUN.pattern})\b",
    re.IGNORECASE,
)
# A question about what the towns' own bodies do or say ("did the mayors of springfield and lowell say…"), not their
# county's offices
_TOWN_ACTS = re.compile(
    r"\b(?:mayors?|town meetings?|councils?|select ?boards?|selectmen|town managers?|city managers?)\b", re.IGNORECASE
)
# Agencies and bodies that share no noun with a place beside them ("ice and boston police both …")
_NOT_A_PLACE = {"ice", "dhs", "fbi", "cbp", "feds", "courts", "court", "police", "sheriffs", "cities"}
# "bristol county's 287g agreement compared to plymouth's": the second owner's is the same kind of thing
_OWNER = r"(?!(?:what|that|it|how|where|who|there|here|let|he|she)['’]s)[\w-]+(?: county| police(?: department)?| pd| sheriff)?"
_THEIRS_COMPARED = re.compile(
    # (not "my town's policy compared to boston's", and the second owner's thing left unsaid: "cambridge's ordinance"
    # names its own)
    rf"(?<!\bmy )(?<!\bour )(?<!\byour )(?<!\btheir )\b(?P<a>{_OWNER})['’]s (?P<thing>[\w()-]+(?: [\w()-]+){{0,2}}?) "
    rf"(?:compared (?:to|with)|vs\.?|versus|as opposed to) (?P<b>{_OWNER})['’]s"
    r"(?=\s*(?:[?.,!;:]|$)|\s(?:in|on|about|and|when|for|or|regarding|over)\b)",
    re.IGNORECASE,
)
# "bristol's and plymouth's 287g deals": two owners of one thing
_OWNERS_AND = re.compile(
    r"\b(?!(?:the|a|an|this|that|each|every)\b)(?P<a>[\w-]+(?: county| sheriff| police| pd)?)['’]s (?:and|&) "
    r"(?!(?:the|a|an|this|that|each|every)\b)(?P<b>[\w-]+(?: county| sheriff| police| pd)?)['’]s "
    r"(?P<rest>(?!(?:or|and|is|was|are|were)\b)\w.*)$",
    re.IGNORECASE,
)
# "who signed the plymouth jail's 287g deal and who signed the cape cod one": one question asked of two things, the
# second "one" the first's kind of thing
_AND_WH_VERB = re.compile(
    rf"^(?P<pre>(?:.*?\b)?(?P<wh>who|what|when|where|which \w+) (?P<verb>{_THING_VERB}) )"
    r"(?P<a>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,5}?),? and (?P=wh) (?P=verb) "
    r"(?P<b>(?:the )?[\w'’.()-]+(?: [\w'’.()-]+){0,4}?)\s*\?*\s*$",
    re.IGNORECASE,
)
# Words a compared side never starts with: a verb's particle or a preposition ("who voted for it and who voted
# against it"), a person's possessive ("my dad")
_PARTICLES = {
    *("up", "for", "against", "in", "out", "on", "off", "with", "to"),
    *("at", "by", "about", "from", "over", "into", "down", "away", "back"),
}
_POSSESSIVE_WORDS = {"my", "our", "your", "his", "her", "their"}
# Sides that are people or events: a pronoun, a person's possessive, a verb in the past tense
_NOT_THINGS_COMPARED = re.compile(
    rf"(?:^|\| )(?:i|me|we|us|you|they|them|{'|'.join(sorted(_POSSESSIVE_WORDS))})\b|"
    r"\b(?:\w+ed|came|took|went|got|was|were|did|said|left|saw|told|ran|broke|caught|held)\b",
    re.IGNORECASE,
)
_PRONOUN_WORDS = {"he", "she", "it", "they", "we", "you", "i", "anyone", "anybody", "someone", "somebody", "everyone"}
_DETERMINERS = {*_POSSESSIVE_WORDS, "its", "the", "a", "an", "this", "that", "each", "both"}
# "bristol's 287g agreement ended when, and plymouth's?": the second owner asked the same
_AND_THEIRS = re.compile(
    r"^(?P<pre>.*?)\b(?P<a>[\w-]+['’]s) (?P<rest>.+?),? and (?P<b>[\w-]+['’]s)\s*\?*\s*$", re.IGNORECASE
)


# Words of a compared thing's label that do not tell it from the other thing ("the plymouth sheriff": "plymouth")
_LABEL_FILLER = {
    *("the", "a", "an", "of", "on", "in", "for", "and", "to", "at", "by", "about", "what", "which", "who"),
    *("ice", "287g", "immigration", "my", "our", "your", "their", "its"),
}


# Regions people name a county by: a sentence naming the county names the region's thing ("the cape cod 287g deal"
# is Barnstable County's).
_REGION_COUNTY = {"cape": "barnstable", "vineyard": "dukes"}


def _with_county(words: tuple[str, ...]) -> tuple[str, ...]:
    """A label's first word, and the county of the region it names (not Cape Ann, which is in Essex County)."""
    first = words[:1]
    if not first or first[0] not in _REGION_COUNTY or "ann" in words:
        return first
    return (first[0], _REGION_COUNTY[first[0]])


def label_words(label: str) -> tuple[str, ...]:
    """The words of a compared thing's label that name it (no articles, no noun both things share, not ICE or
    287(g): "the bristol sheriffs" → ("bristol",)); a sentence quoted for the thing should name the first."""
    text = label.lower().replace("(g)", "g")
    # "the end of bristol's 287g agreement" is named by its owner, Bristol, not by "end" (an owner of up to three
    # words: "bristol county's", "bristol sheriff's")
    owner = re.search(r"\bof (?:the )?((?:[\w-]+ ){0,2}?[\w-]+)['’]s\b", text)
    text = f"{owner.group(1)} {text}" if owner else text
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’]+", text)]
    named = (w for w in words if len(w) > 1 and w not in _LABEL_FILLER and not _SHARED_NOUN.fullmatch(w))
    return tuple(dict.fromkeys(named))


# The words a compared thing's label names a kind of document by, and the document type of that kind.
_KIND_OF_DOCUMENT = {
    "policy": "policy",
    "policies": "policy",
    "manual": "policy",
    "procedure": "policy",
    "ordinance": "law",
    "bylaw": "law",
    "order": "law",
    "act": "law",
    "law": "law",
    "statute": "law",
    "ruling": "ruling",
    "report": "report",
    "study": "report",
    "toolkit": "report",
    "article": "news",
    "story": "news",
    "coverage": "news",
}
# Where a label's thing ends and what it is about or for begins ("police policy on what to report").
_KIND_CUT = "on|in|to|about|for|of|with|from|at|by|under|over|what|which|who|when|where|why|how|that"


def document_kind(label: str) -> tuple[str, str] | None:
    """The kind of document a compared thing's label names, by its last such word ("eastbrook's council order" →
    ("order", "law")), with that kind's document type; None when it names none."""
    thing = re.split(rf"\b(?:{_KIND_CUT})\b", label.lower(), maxsplit=1)[0]
    words = [w for w in re.findall(r"[a-z]+", thing) if w in _KIND_OF_DOCUMENT]
    return (words[-1], _KIND_OF_DOCUMENT[words[-1]]) if words else None


def _content_words(phrase: str) -> list[str]:
    return [w for w in phrase.split() if w.lower() not in {"the", "a", "an"}]


def _with_shared_noun(a: str, b: str, words: Callable[[str], list[str]]) -> str:
    """The first of two things compared, with the noun the second ends in when the first is one word and the second
    that word's like plus a noun ("plymouth" beside "barnstable sheriffs": "plymouth sheriffs")."""
    first, second = words(a), words(b)
    if len(first) == 1 and len(second) == 2 and _SHARED_NOUN.fullmatch(second[-1]):
        return f"{a} {second[-1]}"
    return a


_POSSESSIVE = re.compile(r"^(?P<owner>.+?['’]s)(?: (?P<thing>.+))?$")
_THING_TAIL = re.compile(r"\b(?:with|in|from|of|on|at|for|about|by|under|against|to|between|since)\b|['’]s\b", re.I)


def _share_possessed(a: str, b: str) -> tuple[str, str]:
    """Two owners of one thing, named once: "bristol county's 287g agreement or plymouth's" is Plymouth's 287g
    agreement too, and "bristol's or plymouth's 287g agreement" Bristol's."""
    first, second = _POSSESSIVE.match(a), _POSSESSIVE.match(b)
    # what the first owns, when it is one thing ("287g agreement"), not one with its own place or party ("deal with
    # bristol", "ruling in lunn", "ordinance from 2017"), which the second owner's may not share
    thing = first.group("thing") if first else None
    its = re.match(r"(?:its|their|his|her)\s+(?P<thing>\S.*)$", b, re.IGNORECASE)
    if first and its:
        return a, f"{first.group('owner')} {its.group('thing')}"  # "eastbrook's police policy and its council order"
    if thing and not _THING_TAIL.search(thing) and second and not second.group("thing"):
        return a, f"{b} {thing}"
    if first and second and second.group("thing") and not first.group("thing"):
        return f"{a} {second.group('thing')}", b
    return a, b


def _either_sides(question: str, a: str, b: str) -> bool:
    """Whether "…, a or b?" offers a choice between two things: a "which/who…" question, each side a few words,
    neither "yes"/"no"/"not" ("does it apply to students, workers or tourists?" is a list, not a choice)."""
    sides = [a.strip().lower(), b.strip().lower()]
    if any(s in _NOT_SIDES or len(s.split()) > 8 for s in sides):
        return False
    return re.match(r"\s*(?:which|who|whose|what|where|when)\b", question, re.IGNORECASE) is not None


def in_county(question: str, town: str, county: str) -> str:
    """The question asked of the town's county ("the sheriff for Revere" → "the sheriff for Suffolk County")."""
    asked, count = re.subn(rf"\b{re.escape(town)}\b", county, question, flags=re.IGNORECASE)
    return asked if count else f"{question.rstrip(' ?')} in {county}?"
