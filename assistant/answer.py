"""Extractive answers: score the sentences of the top passages against the question, keep the best verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.calibration import LogisticModel
from assistant.chat import QUESTION_WORDS
from assistant.types import Passage
from corpus.chunking import header_line, is_quotable_unit, lead_in_span, quotable_units, split_sentences
from corpus.towns import JOURNEY_TO, TownRegistry
from index.keyword import join_subsections

_URL = re.compile(r"https?://\S+")
# Text written to steer a language model ("ignore previous instructions and …") is never quoted as an answer.
INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.!?]{0,40}\b(previous|prior|above|earlier|all|your)\b[^.!?]{0,30}"
    r"\b(instructions?|prompts?|rules|directions)\b|\bsystem prompt\b|\byou are now\b|\bas an ai\b",
    re.IGNORECASE,
)


class AnswerConfig(BaseModel):
    """How answers are composed and when the assistant abstains."""

    model_config = ConfigDict(extra="forbid")

    passages: int = Field(10, ge=1, le=50, description="Top passages whose sentences are considered.")
    max_sentences: int = Field(4, ge=1, le=8, description="Most sentences quoted in one answer.")
    max_chars: int = Field(600, ge=100, le=3000, description="Longest answer body, in characters.")
    relative_floor: float = Field(0.8, ge=0, le=1, description="Extra sentences must score this share of the best.")
    compare_sentences: int = Field(
        2, ge=1, le=8, description="Most sentences quoted for each town a question compares."
    )
    compare_chars: int = Field(
        660, ge=100, le=4000, description="Longest comparison of towns, in characters, shared among its towns."
    )
    # A "closest passages" reply is unsure which sentence answers, so it shows more of the evidence to judge by.
    closest_sentences: int = Field(5, ge=1, le=10, description="Most sentences quoted in a 'closest passages' reply.")
    closest_chars: int = Field(
        750, ge=100, le=4000, description="Longest 'closest passages' reply body, in characters."
    )
    closest_floor: float = Field(
        0.7, ge=0, le=1, description="In a 'closest passages' reply, extra sentences must score this share of the best."
    )
    duplicate_cosine: float = Field(0.9, ge=0, le=1, description="Sentences this similar to a kept one are dropped.")
    duplicate_words: float = Field(
        0.6,
        ge=0,
        le=1,
        description="So are sentences sharing this share of their distinct words with a kept one (and no new name).",
    )
    # The reply's kind comes from a probability fitted on the dev set (`assistant eval --calibrate`, saved in
    # assistant/calibration.json with its thresholds); these override the fitted thresholds when set.
    confident_above: float | None = Field(
        None, ge=0, le=1, description="A confident answer at or above this probability (default: the fitted one)."
    )
    abstain_below: float | None = Field(
        None,
        ge=0,
        le=1,
        description="'Nothing here' below this probability, 'closest passages' between (default: the fitted one).",
    )
    calibration: Path | None = Field(None, description="A calibration file to use instead of the shipped one.")
    # Which sentences a "closest passages" reply quotes: a listwise model over each sentence's features, fitted on
    # dev-side eval sets (`assistant eval --fit-ranker`, saved in assistant/ranker.json); the reply kind and a
    # confident answer's sentences always come from the hand weights below (what the reply-kind model is fitted on).
    sentence_ranker: bool = Field(
        True,
        description="Order a 'closest passages' reply's sentences by the fitted sentence ranker when there is one.",
    )
    ranker: Path | None = Field(None, description="A sentence-ranker file to use instead of the shipped one.")
    respell: bool = Field(
        True,
        description="Read a misspelled question word as the retrieved passages' spelling of it and search again.",
    )
    semantic_weight: float = Field(0.6, ge=0, le=1, description="Weight of embedding similarity in a sentence's score.")
    keyword_weight: float = Field(0.3, ge=0, le=1, description="Weight of question-word overlap.")
    rank_weight: float = Field(0.1, ge=0, le=1, description="Weight of the passage's retrieval rank.")
    town_bonus: float = Field(0.05, ge=0, le=1, description="Bonus for sentences from the asked town's own documents.")
    original_bonus: float = Field(
        0.03, ge=0, le=1, description="Bonus for sentences from an original (no `summary_of`) over a summary's."
    )
    neighbour_floor: float = Field(
        0.75,
        ge=0,
        le=1.5,
        description="The sentence next to the best one joins it when it scores this share of the best (answers "
        "that span two sentences).",
    )
    type_bonus: float = Field(
        0.12,
        ge=0,
        le=1,
        description="Bonus for sentences holding what the question asks for (a number, a date, a name).",
    )
    event_bonus: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Bonus for a sentence telling of the beginning or end asked about (penalty for the other one).",
    )
    ranker_best: int = Field(
        3,
        ge=0,
        le=8,
        description="A confident answer also quotes those of the sentence ranker's best this many units that it does "
        "not hold yet (the hand weights choose it; 0: the hand weights alone).",
    )
    ranker_named: int = Field(
        2,
        ge=0,
        le=8,
        description="Past the ranker's best `ranker_best` units (when that is above 0), a confident answer also takes "
        "those of its next this many that name someone, something or some number its quotes do not (0: none).",
    )
    closest_named: int = Field(
        7,
        ge=0,
        le=10,
        description="A 'closest passages' reply also quotes those of the sentence ranker's best this many units that "
        "it does not hold yet and that name someone, something or some number its quotes do not, within `ranker_floor` "
        "of the ranker's best and 1.25 times `closest_chars` (0: none).",
    )
    compare_ranker_best: int = Field(
        3,
        ge=0,
        le=8,
        description="Each side of a comparison also quotes those of the sentence ranker's best this many units of "
        "that side that it does not hold yet (0: the hand weights alone).",
    )
    compare_named: int = Field(
        2,
        ge=0,
        le=8,
        description="Past the ranker's best `compare_ranker_best` units of a comparison's side (when that is above 0), "
        "the side also takes those of its next this many that name someone, something or some number its quotes do not "
        "(0: none).",
    )
    law_named_lift: bool = Field(
        True,
        description='A document whose title names a law ("… the Work and Family Mobility Act …") has its passage '
        "naming it searched for, and the one or two sentences naming it are as like the question as the title is, up "
        "to their document's best sentence.",
    )
    typed_is_relevant: bool = Field(
        True,
        description="A reply whose best sentence holds the kind of thing asked (a reason, a date, a number) quotes the "
        "closest passages rather than saying nothing here.",
    )
    followup_focus: float = Field(
        1.0,
        ge=0,
        le=10,
        description="A follow-up rewritten as '<its own words>, about <the conversation's topic>' has its units scored "
        "against the whole question's vector plus this many times its own words' (0: the whole question alone).",
    )
    law_name: bool = Field(
        True,
        description="A confident answer quoted from a document about a named law or ordinance that never names it "
        "also quotes the document's best unit that does (scoring half the best quoted unit's or more, within 1.25 × "
        "max_chars).",
    )
    story_focus: float = Field(
        1.0,
        ge=0,
        le=10,
        description="A question typed as a story first ('they took my dad this morning. how do we find him') has its "
        "units scored against the whole question's vector plus this many times the asking sentence's (0: the whole "
        "question alone).",
    )
    typed_among: int = Field(
        3,
        ge=1,
        le=10,
        description="With `typed_is_relevant`, a sentence holding the kind of thing asked among this many best (by "
        "the hand weights), scoring within `relative_floor` of the best, is enough.",
    )
    ranker_floor: float = Field(
        0.7, ge=0, le=1, description="Those units must score this share of the ranker's best unit."
    )
    holding_bonus: float = Field(
        0.25,
        ge=0,
        le=1,
        description="The bonus instead, when the question asks what a court decided and the sentence states a holding.",
    )


_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen)"
_QUOTED_TERM = r"[\"'‘“](?P<e>[\w()-]+(?: [\w()-]+){0,3})[\"'’”]"
# A term named, then asked about: "… my dad's a-number, what is that even", "my cousin got a notice to appear, what
# is that" (up to three words before the comma or stop, none of them a preposition, an article or a pronoun, and none
# after a preposition); not a follow-up's "and everett, what is it", "what is that about", "I got a call from ICE,
# what is that", nor "ice is at my door right now, what is this".
_PREPOSITION = r"in|at|on|for|from|with|by|about"
_TERM_THEN_WHAT = (
    r"^(?!\W*(?:and|what about|how about)\b)(?:"
    # a term in quotes, a few words before the comma ("someone mentioned an 'ice habe' at court, what is that?"; an
    # apostrophe, as in "lawyer's", is no quotation mark)
    r".*?(?<![\w'’])[\"'‘“](?P<g>[\w()-]+(?: [\w()-]+){0,3})[\"'’”](?![\w'’])(?: [\w'’-]+){0,3}|"
    r"(?:.*?[^\w'’-])?"
    r"(?<!\bin )(?<!\bat )(?<!\bon )(?<!\bof )(?<!\bfor )(?<!\bto )(?<!\bfrom )(?<!\bwith )(?<!\bby )(?<!\babout )"
    rf"(?!(?:an?|the|my|his|her|their|our|your|and|or|but|so|of|to|{_PREPOSITION})\s)"
    rf"(?P<f>[\w()-]+(?: (?!(?:{_PREPOSITION}|an?|the|my|his|her|him|them|their|our|your|it)\b)[\w()-]+){{0,2}})"
    r"(?<!\bnow)(?<!\btoday)(?<!\btonight)(?<!\byesterday)(?<!\blol))\s*[,;:.-]+\s*(?:so |and |but |ok |like )?"
    r"what(?:['’]?s| is) (?:that|this|it|that thing|this thing)(?: even| exactly| anyway)?\s*\?*$"
)
# "how long has the locator been around" asks since when (a date), not for a length of time
_SINCE_WHEN = (
    r"(?=(?: (?:has|have)|['’]ve)\b[^?.]{0,60}?\b(?:been around|been there|existed|been in (?:place|effect|force|use|"
    r"operation|business)|been a thing|been running|been (?:doing|working|cooperating)\b))"
)
_BILL = r"(?:bill|act|law|ordinance|bylaw|order|amendment|proposal|measure|petition)s?"
# An opinion's own voice: "We hold that …", "We therefore conclude that …" (not "We hold detainees for 48 hours").
_WE_HOLD = r"we (?:(?:therefore|thus|also|further|accordingly|now|likewise) )?(?:hold|conclude|rule|decide|find) that"
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# What kind of answer a question wants, and how to recognise a sentence that holds one.
_QUESTION_TYPES = [
    (
        # a way to reach someone asked for: "whats the phone number for the ice office", "what number do i call",
        # "where's the ice office, the street address?", "is there a website where i can report it" (not "do i have to
        # give police my phone number", "does the rmv share addresses with ice", nor why, when, how many or who)
        "contact",
        re.compile(
            r"^(?!\W*(?:and |so |ok )?(?:why|when|who|whom|whose|how (?:many|much|often|long))\b)"
            r"(?:.*\b(?:what(?:['’]?s| is| are)?|whats|need|find|get|give me|where(?:['’]?s| is| can i find| do i find)) "
            r"(?:the |their |its |his |her |a |an |that |this )?(?:[\w'’-]+ ){0,3}?"
            r"(?:(?:phone|telephone|fax|hotline|toll[- ]free) (?:number|#)|address|e-?mail(?: address)?|website|web site|"
            r"url)(?!\w)|"
            # a bare "number": one to call ("what number do i dial", "what's their number", "the number for the ice
            # office"), not a policy's or a vote's
            r".*\bwhat (?:number|#) (?:do|should|can|would|to) (?:i |we |you )?(?:call|dial|text|ring)\b|"
            r".*\b(?:what(?:['’]?s| is)|whats) (?:the|their|its) number(?: to call\b| for\b| of (?:the |that |this )?"
            r"[\w'’ .-]{0,20}?\b(?:office|da|d\.a\.|district attorney|sheriff|court|agency|department|police|clerk|"
            r"prosecutor)\b|\s*\??\s*$)|"
            r".*(?<!my )(?<!your )(?<!our )\b(?:street|mailing|postal) address\b(?!es)|"
            r".*\bis there an? (?:[\w-]+ ){0,2}(?:website|web site|hotline|phone line|number|online form)\b)",
            re.I,
        ),
    ),
    (
        # the name of a thing: "whats the law called", "what is the name of the database" (before "definition", which
        # "what is the law …" would otherwise be); not "what are my rights if the police are called"
        "name",
        re.compile(
            r"(?:^|[?.!]\s)\W*(?:and |so |ok |okay )?what(?:['’]?s|s| is| was| are| were)\s+(?:the|it|this|that|their|its|they)\b"
            r"(?:(?!\b(?:if|when|after|before|once|are|is|was|were|be)\b)[\w'’ -]){0,30}?\bcalled\W*$|"
            r"\bwhat(?:['’]?s|s| is| was) the name of\b",
            re.I,
        ),
    ),
    (
        "definition",
        re.compile(
            r"\bwhat (does|do|did) (an? |the )?[\w()-]+( [\w()-]+)? (stand for|mean)\b|"
            rf"\bwhat (does|do|did) (an? |the )?{_QUOTED_TERM}[^?.]{{0,40}}? (stand for|mean)\b|"
            r"\bwhat('s| is)( exactly)? (an?|the) (?!status of\b)[\w ()-]{2,60}\?*$|\bwhat exactly is (an?|the) |"
            rf"\bmeaning of\b|\bdefin(e|ition)\b|\bwhat means\b|{_TERM_THEN_WHAT}",
            re.I,
        ),
    ),
    (
        "reason",
        re.compile(
            r"^\W*(and )?why\b|\bwhy (did|does|do|is|was|were|are|would|should)\b|\bhow come\b|"
            r"\bwhat(['’]s| is| was| were| are) (the|their|its|his|her|[\w'’ ]{1,40}['’]s?) (reasons?|reasoning|rationale|"
            r"justification|excuse)\b|\bwhat (is|was) the reason\b|\b(reasons?|reasoning|rationale) (for|behind)\b|"
            # "what reason did the sheriff give", "which explanations were offered" (not "what justification do cops
            # need to hold someone": what is required, not why)
            r"\b(?:what|which|whats|what['’]s) (?:reasons?|reasoning|rationales?|justifications?|explanations?|"
            r"excuses?)\b(?![^?]{0,40}\b(?:need|needs|needed|required|must|have to|has to)\b)"
            r"(?=[^?]{0,60}\b(?:give|gave|given|giving|offer(?:s|ed)?|cite[sd]?|state[sd]?|provide[sd]?|use[sd]?)\b)",
            re.I,
        ),
    ),
    (
        "number",
        re.compile(
            rf"\bhow (many|much|often)\b|\bhow long\b(?!{_SINCE_WHEN})|\bwhat (number|share|percent(age)?|fraction)\b|"
            r"\bwhat was the vote\b|"
            r"\bwhat (dollar )?(amount|sum|figure)\b",
            re.I,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen (did|was|were|does|will|would|has|have|had)\b|\bwhen\W*$|\bsince when\b(?! (?:can|do|does|is|are)\b)|"
            r"^\W*(and |so |ok |okay )?when\b(?![^,?]*,)(?! (the|a|an|someone|somebody|they|you|i|he|she|we|my|your|"
            r"police|ice|officers|agents|immigration|stopped|arrested|can|could|should|may|must)\b)|"
            rf"\bhow long(?={_SINCE_WHEN})|"
            r"\bwhat (year|date|month|day)s?\b|\bhow long ago\b|\bhow (current|recent|up[ -]to[ -]date)\b|\bhow old is (it|this|that)\b|\bas of when\b|\bwhich (came|was|happened) (first|earlier|later)\b|"
            r"\bwhich\b.{0,80}\b(is|was|are|were) (older|newer|earlier|later)\b|\b(started|began|signed|passed|adopted|"
            r"ended|came|came out|published|issued) (first|earlier|later|sooner)\b",
            re.I,
        ),
    ),
    (
        "exception",
        re.compile(r"\bexceptions?\b|\bexcept (when|if|for)\b|\bever (allowed|ok|okay|permitted)\b", re.I),
    ),
    (
        # where a bill or rule stands: "so is it a law now", "did either act become law", "what's the status of the
        # protect act", "what happens to the bill next" (not "what happens now" after an arrest, nor where someone
        # stands on ICE)
        "status",
        re.compile(
            r"\b(is|was|are|were) (it|that|this|they|the [\w' -]{1,40}?) (a |the )?laws? (now|yet|already)\b|"
            r"\b(become|became|becoming|made it into) (a )?law\b|\bwhat(['’]?s| is) the status of (it|that|this|the "
            rf"[\w' -]{{0,30}}?{_BILL})\b|\bwhere (does|do|did) (it|that|this|the [\w' -]{{0,30}}?{_BILL}) stand\W*$|"
            rf"\bwhat happens (to|with) (it|that|this|them|the [\w' -]{{0,30}}?{_BILL}) (next|now)\b|\bstill (pending|alive)\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\W*(and )?who(m|se)?\b|\bwho (is|was|are|were|leads|led|ran|runs|wrote|sponsored|filed|decided|said)\b|"
            r"^\W*(and )?(so )?(the|that) (guy|man|woman|lady|person|official) who\b|\bwho['’]s (he|she|that|this|the)\W*$|"
            r"\bwhat(['’]?s| is| was) (his|her|their) name\b",
            re.I,
        ),
    ),
    (
        "holding",
        re.compile(
            r"\bwhat (did|does|was)\b.*\b(decide|rule|hold|find|order|conclude|do)\b|\b(the|its|court['’]s|sjc['’]s|their) holding\b|\b(ruling|outcome)\b",
            re.I,
        ),
    ),
    (
        # what someone said of it: "what did the sheriff say about it", "how did the chief react" (not "what did the
        # news say about the vote", nor "what did each city say about whether …": what was said, not a reaction)
        "statement",
        re.compile(
            r"^\W*(and |so )?(what (did|does|has|have) "
            r"(?![\w'’ .-]{0,50}?\b(news|media|papers?|articles?|reports?|policy|manual|handbook|law|statute|constitution|"
            r"court|sjc|judges?|justices?|case|decision|ruling|opinion|order|act|ordinance|bylaw|guide|toolkit|bill|"
            r"agreement|contract|moa|memo|letter|documents?|website|site|page|section|it|this|that) (say|think)\b)"
            r"(?![\w'’ .-]{0,50}?\bv(s|\.)?\s)"
            r"[\w'’ .-]{1,50}? (say|think)( (about|of|on) (?!(whether|if|how|what|why|when|who)\b)[\w'’ ().-]{1,60})?|how (did|does|has|have) [\w'’ .-]{1,50}? (react|respond|reply|answer)( to [\w'’ -]{1,40})?)"
            r"\W*$",
            re.I,
        ),
    ),
    (
        # what a rule's update changed: "what changed in boston's trust act in 2019", "what did the update add", "how
        # is the 2019 act different from the 2014 one" (a change over time, not two towns' differences, nor "the change"
        # someone spoke of)
        "change",
        re.compile(
            r"\bwhat (?:has |have |had )?changed\b|\bwhat did (?:[\w'’()-]+ ){1,6}?(?<!\bthe )(?<!\babout )"
            r"(?:change|add|amend)\b|"
            r"^(?=.*\bdiffer|.*\bwhat(?:['’]?s| is| was) new\b)(?=.*\b(?:original|update[ds]?|amend(?:ed|ment|ments)?)\b)|"
            # two years, when no two things are set against each other
            r"^(?!.*\b(?:vs\.?|versus|compared|than|between (?:towns|cities))\b)(?=.*\bdiffer)"
            r"(?=.*\b(?:19|20)\d\d\b.*\b(?:19|20)\d\d\b)",
            re.I,
        ),
    ),
]
_ANSWER_TYPES = {
    # a telephone number, an e-mail or web address, a street address
    # (a source's name in brackets, "(allstonia.com, 2026-05-24)", is taken out first: `holds_new_answer`)
    "contact": re.compile(
        r"(?<!\d)(?:\+?1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|"
        r"\b(?:https?://|www\.)\S+|\b(?i:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov|org|com|net|edu|us))(?:/[\w/.-]*)?\b|"
        r"\b\d{1,5} [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Way|Place|"
        r"Square|Drive|Lane)(?!\w)",
    ),
    # a count or an amount; a year is no answer to "how many" ("| Amherst | Sanctuary bylaw | 2017 |")
    "number": re.compile(rf"(?<![\d/-])(?!(?:1[89]|20)\d\d(?!\d|,\d))\d[\d,.]*|\b{_NUMBER_WORDS}(-\w+)?\b", re.I),
    "date": re.compile(rf"\b(1[89]|20)\d\d\b|\b{_MONTHS}\b"),
    "name": re.compile(
        r"\b(?!(?:The|A|An|In|On|Under|Of|For|According|After|Before|Since|When|This|That|These|Both|Each|Some)\b)"
        r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+"
    ),
    "holding": re.compile(
        r"\b(held|holds|ruled|concluded|found|decided) that\b|\b(vacated|enjoined|barred|ordered|remanded|reversed|affirmed)\b|"
        rf"{_WE_HOLD}",  # an opinion in its own voice: "We conclude that …", "We therefore hold that …"
        re.I,
    ),
    "statement": re.compile(
        r"\b(said|says|called|calls|told|tells|argued|argues|criticized|criticised|responded|replied|welcomed|"
        r"praised|condemned|described|warned|stated|rejected|denied|defended|objected|questioned|vowed|approved|"
        r"endorsed|supported|opposed|backed)\b",
        re.I,
    ),
    "status": re.compile(
        r"\b(conference committee|enacted|signed (it )?into law|became law|become law|pending|vetoed|overr(ode|idden)|"
        r"stalled|died|referred to|sent to the|took effect|takes effect|in effect|in force|awaits?|awaiting)\b",
        re.I,
    ),
    # what an update did, in its own verbs ("tightened informal information sharing", "added a ban"), not that it was
    # made ("was amended in December 2019")
    "change": re.compile(
        r"\b(tightened|loosened|added|adds|expanded|narrowed|strengthened|weakened|removed|deleted|dropped|replaced|"
        r"extended|broadened|limited|banned|barred|now (?:bars|requires|allows|lets|forbids))\b",
        re.I,
    ),
    "exception": re.compile(r"\b(unless|except|exceptions?|other than|only (if|when)|does not apply)\b", re.I),
    "reason": re.compile(
        r"\b(because|so that|in order to|reasons?|due to|on the grounds?|as a result|concluded|found that|citing|"
        rf"{_WE_HOLD}|"
        r"held that|said(?! in\b)|(?<=, )saying (?!(?:yes|no|nothing)\b)(?=[a-z])|explained|argues|argued(?! (?:on|in|before)\b)|the aim|to (protect|keep|make|ensure|avoid|prevent)|"
        # a purpose: "a tool that helps officers identify …", "meant to …"
        r"(?:that|which) helps (?!to\b)|(?:the|its|their|a) purpose\b(?! room))\b|"
        r"(?<!so-)(?<!so )\bcalled\b[^.;:]{0,100}?\b(?:unacceptable|inhumane|illegal|unlawful|"
        r"unconstitutional|political|dangerous|wrong|unsafe)\b|, so (?!far\b|many\b|much\b)|"
        rf"(?<=, )since\b(?! (?:\d|{_MONTHS}\b|then\b))",  # "…, since it …", not "Since March 2026" or "ever since"
        re.I,
    ),
}
# "who is/was the … <office>": the holder of an office asked for.
_ASKED_OFFICE = re.compile(
    r"\bwho(?:['’]s| is| was| are| were)\b[^?]{0,50}?\b(?P<office>sheriff|police chief|chief|mayor|governor|director|"
    r"commissioner|secretary|judge|justice|attorney general|district attorney|spokes(?:man|woman|person)|president|"
    r"senator|city manager|superintendent)\b",
    re.IGNORECASE,
)
# A capitalised word that can be part of a person's name (not a place's or a body's: "Plymouth County", "Justice
# Department", "Sheriff's Office").
_PERSON = r"(?!(?:County|Department|Office|Court|Council|Police|Sheriff|Commonwealth|State|City|Town)\b)[A-Z][a-z]+"
_DEFINED_TERM = re.compile(
    r"\bwhat (?:does|do|did) (?:an? |the )?(?P<a>[\w()-]+(?: [\w()-]+)?) (?:stand for|mean)\b|"
    r"\bwhat(?:'s| is| exactly is)(?: exactly)? (?:an?|the) (?!status of\b)(?P<b>[\w ()-]{2,60}?)(?: exactly)?\s*\?*$|"
    r"\bmeaning of (?:an? |the )?(?P<c>[\w -]{2,40})|"
    r"\bwhat means (?:an? |the )?(?P<d>[\w()-]+(?: [\w()-]+)?)\s*\?*$|"  # a word-for-word translation
    # a term in quotes, where it is seen: "what does the 'A-number' on immigration papers mean"
    rf"\bwhat (?:does|do|did) (?:an? |the )?{_QUOTED_TERM}[^?.]{{0,40}}? (?:stand for|mean)\b|"
    # the term named, then asked after: "the ice website wants my dad's a-number, what is that even"
    rf"{_TERM_THEN_WHAT}",
    re.I,
)


def _defined_term(question: str) -> str:
    """The term a "what does X stand for / what is an X" question asks about, or "" when it asks about none."""
    match = _DEFINED_TERM.search(question)
    term = next((g for g in match.groups() if g), "").strip() if match else ""
    # "una orden de retención (detainer)": the word in brackets is the term the asker knows it by
    bracketed = re.search(r"\(([\w -]{3,40})\)", term)
    if bracketed and not re.fullmatch(r"[\w -]+\([\w]{1,3}\)", term):  # not "287(g)"
        term = bracketed.group(1).strip()
    # "an administrative warrant under Policy 415": the term, not where it is defined
    return re.sub(r"\s+(?:under|in|according to|per|from|by|for)\s+.*$", "", term, flags=re.I)


def defines(sentence: str, question: str) -> bool:
    """Whether the sentence spells out or defines the term a "what does X stand for / what is an X" question asks
    about: "X (ABC)", "ABC stands for", "an X is a …". "287(g)" and "287g" are the same term, as in the keyword
    index."""
    term = join_subsections(_defined_term(question))
    if not term:
        return False
    sentence = join_subsections(sentence)
    name = re.escape(term)
    acronym = asked_acronym(question)
    return bool(
        (acronym is not None and spells_out(sentence, acronym))
        or re.search(rf"\(\s*{name}\s*\)", sentence, re.I)
        # glossed in brackets where it is used: 'the person's "A-number" (alien registration number) and …' (a
        # source in brackets ends its sentence, and names no term)
        or any(
            _GLOSS.fullmatch(m.group(1))
            for m in re.finditer(rf"\b{name}[\"”’']?\s*\(([^()]{{4,60}})\)(?=\s*[,;]?\s+\w)", sentence, re.I)
        )
        # a glossary entry: "3.2 Administrative warrant: A warrant signed by an ICE officer …"
        or re.match(rf"\W*(?:\d+(?:\.\d+)*\.?\s+)?[\"“]?{name}[\"”]?\s*[:—–]\s*\w", sentence, re.I)
        or re.search(
            rf"\b{name}\b[^.;]{{0,60}}\b(stands? for|means?|is short for|refers? to|is an?|are|is the)\b",
            sentence,
            re.I,
        )
        or re.search(rf"\b(called|known as|named)\b[^.;]{{0,30}}\b{name}\b", sentence, re.I)
        or re.search(
            rf"\b{name}\b,? (which|that|who) (lets?|allows?|gives?|permits?|is|are|runs?|operates?|oversees?|"
            r"manages?|enforces?|handles?|provides?|represents?|prosecutes?|serves?)\b",
            sentence,
            re.I,
        )
    )


# A gloss in brackets: words, at least one of them lower-case ("alien registration number"; not a source such as
# "(GBH News)"), not a note ("if known", "see below", "optional", "according to …", "not the receipt number").
_GLOSS = re.compile(
    r"(?!(?i:see|if|not|optional|required|above|below|according|e\.g|i\.e|for example|including|as|per|from|in|"
    r"unless|except|when)\b)(?=[^()]*\b[a-z]{3,})[A-Za-z][A-Za-z' -]{3,60}"
)


def asked_acronym(question: str) -> str | None:
    """The acronym a "what does SJC stand for" question asks to spell out (upper-cased), else None: one word of two
    to six letters, asked with "stand for" / "short for" or typed in capitals."""
    term = re.sub(r"^(?:acronym|abbreviation|initials|letters)\s+", "", _defined_term(question), flags=re.IGNORECASE)
    if not re.fullmatch(r"[A-Za-z]{2,6}", term):
        return None
    if term.isupper() or re.search(r"\b(stand|short) for\b", question, re.I):
        return term.upper()
    return None


# Words an organisation's name may hold that its acronym leaves out ("Immigration and Customs Enforcement").
_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "to", "&"})
_NAME_WORD = re.compile(r"[\w&][\w'’-]*")


def spells_out(text: str, acronym: str) -> bool:
    """Whether the text holds a run of capitalised words whose initials spell the acronym: "Supreme Judicial Court"
    for SJC, "Massachusetts Immigrant and Refugee Advocacy" for MIRA (connecting words are skipped)."""
    words = _NAME_WORD.findall(text)
    for first in range(len(words)):
        at, spelled = first, 0
        while at < len(words) and spelled < len(acronym):
            word = words[at]
            if spelled and word.lower() in _CONNECTORS:
                at += 1
                continue
            if not (word[0].isupper() and word[0] == acronym[spelled]) or word.isupper():
                break
            spelled += 1
            at += 1
        if spelled == len(acronym):
            return True
    return False


def names_acronym(text: str, acronym: str) -> bool:
    """Whether the text spells the acronym out or gives it after the name: "Supreme Judicial Court", "(SJC)"."""
    return f"({acronym})" in text or spells_out(text, acronym)


def answer_type(question: str) -> str | None:
    """ "contact" (a phone number, address or website), "definition", "reason", "number", "date", "status" (where a
    bill or rule stands), "exception" (an "unless" or "except" to a rule), "name", "holding" (what a court decided),
    "statement" (what someone said of it) or "change" (what an update changed) when the question asks for one, else
    None."""
    return next((kind for kind, pattern in _QUESTION_TYPES if pattern.search(question)), None)


def _calibrated_type(question: str) -> str | None:
    """The kind of answer the question asks for among those told apart before "contact" was ("what number do i call"
    was a number asked for)."""
    return next((kind for kind, pattern in _QUESTION_TYPES if kind != "contact" and pattern.search(question)), None)


def holds_new_answer(sentence: str, question: str, kind: str) -> bool:
    """Whether the sentence holds something of the wanted kind that the question does not already say
    (a "who" question is not answered by repeating the name it asks about)."""
    if kind == "definition":
        return defines(sentence, question)
    asked = question.lower()
    role = _ASKED_OFFICE.search(question) if kind == "name" else None
    if role:
        # "who was the bristol county sheriff": a name given as that office's holder's ("Sheriff Thomas Hodgson",
        # "Donna Buckley, elected sheriff"), not any name ("Alejandro Mayorkas called …", "Plymouth County")
        title = role.group("office").split()[-1]  # "police chief": "Chief Mark Kennedy"
        named = re.finditer(
            rf"\b(?i:{title}),?\s+(?P<a>{_PERSON}(?:\s+[A-Z]\.)?(?:\s+{_PERSON})?)|"
            rf"\b(?P<b>{_PERSON}\s+{_PERSON}),\s+(?:(?:the|who|was|is|then|elected|former|county|[A-Z][a-z]+)\s+){{0,3}}"
            rf"(?i:{title})\b",
            sentence,
        )
        return any((m.group("a") or m.group("b")).lower() not in asked for m in named)
    if kind == "contact":
        sentence = _PARENTHESES.sub("", sentence)
    if kind == "date" and _DAY_ASKED.search(question):
        # "on what date did …", "what day did …": a day, not a month or a year (nor an attribution's "(GBH, 2021-09-10)")
        return any(m.group(0).lower() not in asked for m in _DAY.finditer(_PARENTHESES.sub("", sentence)))
    return any(m.group(0).lower() not in asked for m in _ANSWER_TYPES[kind].finditer(sentence))


_DIGITS = re.compile(r"\d+")
_ASKS_WHAT = re.compile(r"\b(?:what|whats|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)


def typed_among_best(question: str, sentences: list[Sentence], count: int, floor: float) -> bool:
    """Whether one of the `count` best-scored sentences, scoring at least `floor` of the best, holds the kind of
    thing the question asks for."""
    wanted = answer_type(question)
    if wanted is None or not sentences:
        return False
    best = sorted(sentences, key=lambda s: -s.score)[:count]
    near = [s for s in best if s.score >= floor * best[0].score]
    return any(holds_new_answer(s.text, question, wanted) for s in near)


# A question asking for the day itself, and a date that gives one.
_DAY_ASKED = re.compile(r"\b(?:what|which|exact|precise)\s+(?:dates?|days?)\b|\bexact(?:ly)? when\b", re.I)
_DAY = re.compile(
    rf"\b(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{{1,2}}(?:st|nd|rd|th)?\b|"
    r"\b\d{1,2}/\d{1,2}/(?:\d\d){1,2}\b|\b(?:19|20)\d\d-\d\d-\d\d\b"
)


@dataclass
class Sentence:
    """A candidate sentence: where it lies in which passage, and how well it answers."""

    passage: int
    start: int
    end: int
    text: str
    towns: tuple[str, ...] = ()
    embedded: str = ""  # the unit as embedded: after its heading and lead-in (`quotable_units`)
    lead: tuple[int, int, str] | None = None  # the line introducing a list item: start, end, text ("… shall not:")
    semantic: float = 0.0
    keyword: float = 0.0
    score: float = 0.0
    features: dict[str, float] = field(default_factory=dict)  # what the sentence ranker scores it on
    header_adjust: float = 0.0  # a header line's bonus when its label is asked, else its penalty
    event_adjust: float = 0.0  # a beginning or an end, as asked or the other way round (`event_kind`)
    local: bool = False  # from a passage about the asked town, or whose text names it
    echo: bool = False  # holds no word or number the question lacks ("Holyoke's record points two ways.")
    original: bool = True  # from a document that is no summary of another (`summary_of` unset)

    @property
    def rules(self) -> float:
        """What the rules add on top of the weights or the ranker: a header line's and a beginning's or end's."""
        return self.header_adjust + self.event_adjust


def candidate_sentences(passages: list[Passage], registry: TownRegistry, towns: list[str]) -> list[Sentence]:
    """Sentences of the passages worth quoting: no bare links or headings, and, for a question about one town,
    none that speak only of other towns (passages from sections never quoted were left out by retrieval)."""
    sentences = []
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        spans = split_sentences(text)
        for position, (start, end, embedded) in enumerate(quotable_units(text, passage.chunk.section, spans)):
            sentence = text[start:end]
            prose = _URL.sub("", sentence)
            if len(prose) < 0.6 * len(sentence) or not is_quotable_unit(sentence):
                continue
            if INSTRUCTIONS.search(sentence):
                continue
            # (a chunk whose text names no other town, found at ingest, has no sentence that does)
            if len(towns) == 1 and set(passage.chunk.mentions) - {towns[0]}:
                named = registry.find(sentence)
                if named and towns[0] not in named:
                    continue
            span = lead_in_span(text, spans, position)
            lead = (span[0], span[1], text[span[0] : span[1]]) if span else None
            own = tuple(passage.chunk.meta.towns)
            if own and set(passage.chunk.mentions) - set(own):
                # a sentence of one town's document that speaks of another ("Everett's policy explicitly…" in an
                # article about Quincy) belongs with that town too
                own += tuple(t for t in registry.find(sentence) if t not in own)
            sentences.append(
                Sentence(
                    index,
                    start,
                    end,
                    sentence,
                    own,
                    embedded,
                    lead,
                    original=not passage.chunk.meta.summary_of,
                )
            )
    return sentences


def score_sentences(
    question: str,
    sentences: list[Sentence],
    passages: list[Passage],
    embed: Callable[[list[str]], np.ndarray],
    terms: Callable[[list[str]], list[list[str]]],
    config: AnswerConfig,
    towns: list[str],
    question_vector: np.ndarray | None = None,
    sentence_vectors: np.ndarray | None = None,
    idf: Callable[[list[str]], dict[str, float]] | None = None,
    with_features: bool = False,
) -> np.ndarray:
    """Fill in each sentence's score by the hand weights, and its features for the sentence ranker when asked
    (`rank_by` then rescores them); returns the sentence vectors (for duplicate checks). The question's vector may
    be given, so a question is embedded once however many times its evidence is scored."""
    if not sentences:
        return np.zeros((0, 1))
    # A sentence is embedded with its section heading: "What the policy requires" says what the sentence is for.
    headed = [headed_sentence(s) for s in sentences]
    if question_vector is None and sentence_vectors is None:
        vectors = embed([question, *headed])
        question_vector, sentence_vectors = vectors[0], vectors[1:]
    else:
        if question_vector is None:
            question_vector = embed([question])[0]
        if sentence_vectors is None:
            sentence_vectors = embed(headed)
    question_terms = set(terms([question])[0])
    # the header fields the question asks for in other words ("what did it replace": "Supersedes")
    label_terms = question_terms | {field for field, words in _LABEL_ASKED_AS.items() if question_terms & set(words)}
    # A sentence is about its document: "The court held that…" answers a question naming the case in the title.
    sentence_terms = terms(
        [f"{h} {passages[s.passage].chunk.meta.title}" for h, s in zip(headed, sentences, strict=True)]
    )
    best_passage = max(p.score for p in passages)
    wanted = answer_type(question)
    similarity = sentence_vectors @ question_vector
    if config.law_named_lift:
        similarity = _with_law_named_lifts(similarity, question_vector, sentences, passages, embed)
    typed_flags = []
    asked_numbers = set(_DIGITS.findall(question))
    own_terms = terms([s.text for s in sentences])
    # only a question asking what, which, who… is not answered by its own words ("do milford police honor ICE
    # detainers?" is, by "Milford police honor ICE detainers."); a "not" is no word of the index's, but "Milford
    # police do not honor ICE detainers" says something the question does not (`_NEGATION`, below, as repeats use it)
    asks_what = bool(_ASKS_WHAT.search(question))
    for sentence, own in zip(sentences, own_terms, strict=True):
        sentence.echo = (
            asks_what
            and bool(own)
            and set(own) <= question_terms
            and set(_DIGITS.findall(sentence.text)) <= asked_numbers
            and not _NEGATION.search(sentence.text)
        )
    for sentence, semantic, words in zip(sentences, similarity, sentence_terms, strict=True):
        passage = passages[sentence.passage]
        sentence.semantic = float(semantic)
        sentence.keyword = len(question_terms & set(words)) / len(question_terms) if question_terms else 0.0
        # the asked town's own documents, and any passage whose text speaks of the town (an uploaded news article)
        own_town = bool(towns) and any(t in (*passage.chunk.meta.towns, *passage.chunk.mentions) for t in towns)
        sentence.local = own_town
        header = header_line(sentence.text)
        typed = wanted is not None and holds_new_answer(header[1] if header else sentence.text, question, wanted)
        typed_flags.append(typed)
        sentence.score = (
            config.semantic_weight * sentence.semantic
            + config.keyword_weight * sentence.keyword
            + config.rank_weight * passage.score / best_passage
            + (config.town_bonus if own_town else 0.0)
            + (config.original_bonus if sentence.original else 0.0)
            + ((config.holding_bonus if wanted in ("holding", "definition") else config.type_bonus) if typed else 0.0)
        )
        # A rule, not a weight (few documents have header lines to learn it from): a header line ("Effective Date:
        # 05/01/2025") answers only a question that names its label ("what was the vote" → "Vote: 9-2"), or part of
        # it and its kind of value; never one whose value the question already gives ("Policy Number: 415" for "which
        # form number does policy 415 name").
        label = set(terms([header[0]])[0]) if header else set()
        value = set(terms([header[1]])[0]) if header else set()
        given = bool(value) and value <= question_terms
        label_asked = bool(label) and not given and (label <= label_terms or (typed and bool(label & label_terms)))
        sentence.header_adjust = config.holding_bonus if label_asked else -1.0 if header and not typed else 0.0
    asked_event = event_kind(_SUBORDINATE.sub("", question), _ASKED_EVENT)
    if with_features:
        add_features(sentences, passages, question_terms, sentence_terms, own_terms, typed_flags, wanted, towns, idf)
    for sentence in sentences:
        told = event_kind(_PARENTHESES.sub("", sentence.text), _TOLD_EVENT) if asked_event else None
        sentence.event_adjust = 0.0 if not told else config.event_bonus * (1 if told == asked_event else -1)
        sentence.score += sentence.rules
    return sentence_vectors


# At most this many sentences of a document name the law its title names for them to take the title's likeness: in
# a document that names it throughout (the PROTECT Act's page), naming it tells one sentence from another nothing.
_FEW_NAMING = 2
# A law or ordinance a document is about, named in its title ("… the Work and Family Mobility Act and RMV data
# limits"): capitalised words, joined by "and", "of", "for" or "the", ending in the instrument's kind.
_NAMED_INSTRUMENT = re.compile(
    r"\b(?!(?:The|An|A)\b)(?:[A-Z][\w'’-]*\s+)(?:(?:and|of|for|the|[A-Z][\w'’-]*)\s+)*?(?:Act|Ordinance|Bylaw|By-law)\b"
)


def law_named(title: str) -> str | None:
    """The name of the law or ordinance a document's title says it is about, if any."""
    found = _NAMED_INSTRUMENT.search(title)
    return found.group(0) if found else None


def _with_law_named_lifts(
    similarity: np.ndarray,
    question_vector: np.ndarray,
    sentences: list[Sentence],
    passages: list[Passage],
    embed: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """The sentences' likeness to the question, where the one or two sentences naming the law their document's title
    is about take the title's likeness, up to their document's best sentence's: "The Work and Family Mobility Act
    took effect on July 1, 2023" in a summary titled "Driver's licenses regardless of immigration status — the Work
    and Family Mobility Act …" is about what the title says, though its own words ("took effect") say nothing of
    licenses, and is as relevant to a question as the rest of its document."""
    titles = {p.chunk.file: p.chunk.meta.title for p in passages}
    names = {file: law_named(title) for file, title in titles.items()}  # one search of each title
    naming: dict[str, list[int]] = {}
    best: dict[str, float] = {}  # each document's best sentence
    for i, sentence in enumerate(sentences):
        file = passages[sentence.passage].chunk.file
        best[file] = max(best.get(file, -1.0), float(similarity[i]))
        name = names[file]
        if name and name.lower() in sentence.text.lower():
            naming.setdefault(file, []).append(i)
    files = [f for f, named in naming.items() if len(named) <= _FEW_NAMING]
    if not files:
        return similarity
    lifted = similarity.copy()
    for file, title_vector in zip(files, embed([titles[f] for f in files]), strict=True):
        for i in naming[file]:
            lifted[i] = max(float(similarity[i]), min(float(np.dot(question_vector, title_vector)), best[file]))
    return lifted


# The words a question asks a policy's header fields by ("what did it replace" for "Supersedes: …", "when was it
# last updated" for "Revision Date: …", "who signed it" for "Approved By: …"), by stem.
_LABEL_ASKED_AS = {
    "supersed": ("replac",),
    "revis": ("updat", "chang", "amend"),
    "approv": ("sign",),
    "issu": ("sign",),
    "attest": ("clerk",),  # "Attest: …, City Clerk" for "which clerk signed it" (not "did the mayor sign it")
}


# A question about a beginning ("when did it start", "which is older") or an end ("when did they get out of 287g");
# a sentence that tells of one ("signed … in June 2007") or of the other ("ended … in January 2023").
_ASKED_EVENT = {
    "start": re.compile(
        r"\b(start(ed|s)?|begin|began|begun|sign(ed)? (up|on)?|join(ed)?|enter(ed)? into|adopt(ed)?|enact(ed)?|"
        r"creat(e|ed)|launch(ed)?|older|oldest|earlier|earliest|set up)\b",
        re.I,
    ),
    "end": re.compile(
        r"\b(end(ed|s)?|stop(ped|s)?|quit|withdr(aw|ew|awn)|get out|got out|pull(ed)? out|terminat(e|ed)|"
        r"cancel(l?ed)?|drop(ped)?|scrap(ped)?|repeal(ed)?|rescind(ed)?|expire[ds]?|cut ties|los[et]|losing|"
        r"(leave|leaving|left)(?= (the |its |their |his |her )?(287|agreement|program|deal|contract|task force)))\b",
        re.I,
    ),
}
_TOLD_EVENT = {
    "start": re.compile(
        r"\b(signed|began|begun|started|entered into|joined|adopted|approved|enacted|created|launched|set up)\b", re.I
    ),
    "end": re.compile(
        r"\b(ended|ending|withdrew|withdrawn|terminated|cancell?ed|stopped|pulled out|dropped|expired|repealed|"
        r"rescinded)\b",
        re.I,
    ),
}


# "… when the contract ended, and how did the sheriff react?": the ending is when, not what, is asked
_SUBORDINATE = re.compile(
    r"(?<=\w)\W+(when|after|before|since|once|until)\b(?! (did|does|do|was|were|is|are|has|have|had|will)\b)[^,;?]*",
    re.I,
)


def event_kind(text: str, patterns: dict[str, re.Pattern[str]]) -> str | None:
    """ "start" or "end" when the text speaks of only one of the two, else None."""
    found = [kind for kind, pattern in patterns.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def rank_by(sentences: list[Sentence], ranker: LogisticModel) -> None:
    """Rescore sentences (their features computed by `score_sentences`) with the fitted sentence ranker, whose
    scores are on the hand weights' scale; the rules' adjustments stay."""
    for sentence, score in zip(sentences, ranker_scores(sentences, ranker), strict=True):
        sentence.score = score


def ranker_scores(sentences: list[Sentence], ranker: LogisticModel) -> list[float]:
    """The fitted sentence ranker's score of each sentence, the rules' adjustments included (sentences unchanged)."""
    return [ranker.score(sentence.features) + sentence.rules for sentence in sentences]


def add_features(
    sentences: list[Sentence],
    passages: list[Passage],
    question_terms: set[str],
    sentence_terms: list[list[str]],
    own_terms: list[list[str]],
    typed_flags: list[bool],
    wanted: str | None,
    towns: list[str],
    idf: Callable[[list[str]], dict[str, float]] | None,
) -> None:
    """What the sentence ranker scores a sentence on (semantic and keyword scores filled in already), from each
    sentence's terms with its document's title (`sentence_terms`) and without (`own_terms`)."""
    best_passage = max(p.score for p in passages)
    # the question's words weighed by how rare they are in the index ("conference" over "report")
    rarity = idf(sorted(question_terms)) if idf else dict.fromkeys(question_terms, 1.0)
    asked_weight = sum(rarity.values()) or 1.0
    share = len(question_terms) or 1
    for i, (sentence, words, own, typed) in enumerate(
        zip(sentences, sentence_terms, own_terms, typed_flags, strict=True)
    ):
        passage = passages[sentence.passage]
        near = [sentences[j].semantic for j in (i - 1, i + 1) if 0 <= j < len(sentences) and _adjacent(sentences, i, j)]
        sentence.features = {
            "semantic": sentence.semantic,
            "keyword": sentence.keyword,
            "own_keyword": len(question_terms & set(own)) / share,
            "rare_keyword": sum(rarity.get(t, 0.0) for t in question_terms & set(words)) / asked_weight,
            "rare_own": sum(rarity.get(t, 0.0) for t in question_terms & set(own)) / asked_weight,
            "passage_share": passage.score / best_passage,
            "passage_first": 1.0 / (1 + sentence.passage),
            "dense": 1.0 / passage.dense_rank if passage.dense_rank else 0.0,
            "bm25": 1.0 / passage.keyword_rank if passage.keyword_rank else 0.0,
            "own_town": 1.0 if sentence.local else 0.0,
            "original": 1.0 if sentence.original else 0.0,
            "typed": 1.0 if typed and wanted not in ("holding", "definition", "reason") else 0.0,
            "typed_reason": 1.0 if typed and wanted == "reason" else 0.0,
            "typed_holding": 1.0 if typed and wanted in ("holding", "definition") else 0.0,
            "listed": 1.0 if sentence.lead else 0.0,
            "chars": min(len(sentence.text), 600) / 600,
            # a sentence's neighbours say what it is about: the one that matches the question best
            "neighbour": max(near, default=sentence.semantic),
            "first_unit": 0.0 if i and sentences[i - 1].passage == sentence.passage else 1.0,
        }


# The signals a reply's probability is estimated from (assistant/calibration.py); one name, one number each.
SIGNALS = (
    "semantic",
    "keyword",
    "score",
    "missing",
    "similarity",
    "agreement",
    "asks_type",
    "typed",
    "margin",
    "top_passage",
    "asks_town",
    "town_match",
    "definition",
    "missing_best",
    "number_missing",
    "any_missing",
    "name_missing",
    "off_topic",
)


def signals(
    question: str,
    sentences: list[Sentence],
    passages: list[Passage],
    terms: Callable[[list[str]], list[list[str]]],
    towns: list[str],
    asking: str | None = None,
) -> dict[str, float]:
    """What the evidence says about whether its best sentence answers the question (scored sentences needed).

    After a story told first, `asking` is what its asking sentences say: the share of their words the best sentence
    holds counts when it is higher than its share of the whole question's ("ICE took my husband this morning and
    nobody will tell me where he is. how do i find him": the story's words are in no answer)."""
    if not sentences:
        return {}
    ranked = sorted(sentences, key=lambda s: -s.score)
    best = ranked[0]
    passage = passages[best.passage]
    question_terms = set(terms([question])[0])
    semantic, keyword = best.semantic, best.keyword
    asked_terms = set(terms([asking])[0]) if asking else set()
    if asked_terms:
        # (as `Sentence.keyword` counts them, function words too; but one word of its own must be held: "what can
        # i do about it" is answered by no sentence holding "can" and "do")
        held = set(terms([f"{headed_sentence(best)} {passage.chunk.meta.title}"])[0])
        if (asked_terms - _scaffold_terms(terms)) & held:
            keyword = max(keyword, len(asked_terms & held) / len(asked_terms))
    if best.header_adjust > 0:
        # A header line whose label was asked ("Effective Date: …" for "when did it take effect") says little by
        # itself; how well it answers is how well its document's header block matches the question.
        semantic = max(semantic, passage.similarity or 0.0)
        keyword = max(keyword, len(question_terms & set(terms([passage.chunk.text])[0])) / (len(question_terms) or 1))
    asked = {t for t in question_terms if len(t) > 2 and t not in _scaffold_terms(terms)}
    present = {t for words in terms([p.chunk.context_text() for p in passages]) for t in words}
    topic = asked - set(terms([" ".join(towns)])[0]) if towns else asked
    wanted = answer_type(question)
    ranks = [r for r in (passage.dense_rank, passage.keyword_rank) if r is not None]
    chunk = passage.chunk
    return {
        "semantic": semantic,
        "keyword": keyword,
        "score": best.score,
        "missing": len(asked - present) / len(asked) if asked else 0.0,
        "similarity": passages[0].similarity or 0.0,
        # both retrievers rank the best sentence's passage high
        "agreement": sum(1.0 / r for r in ranks) / 2 if ranks else 0.0,
        # (of the kinds told apart when the calibration was fitted: a phone number or address asked for counts as
        # the kind it was then, and a confident reply to one must quote one besides)
        "asks_type": 1.0 if (_calibrated_type(question) if wanted == "contact" else wanted) else 0.0,
        "typed": 1.0 if wanted and holds_new_answer(best.text, question, wanted) else 0.0,
        "margin": best.score - (ranked[1].score if len(ranked) > 1 else 0.0),
        "top_passage": 1.0 / (1 + best.passage),
        "asks_town": 1.0 if towns else 0.0,
        "town_match": 1.0 if towns and any(t in (*chunk.meta.towns, *chunk.mentions) for t in towns) else 0.0,
        "definition": 1.0 if wanted == "definition" and defines(best.text, question) else 0.0,
        # question words the best sentence's own passage lacks; a number or year asked about that it does not hold
        "missing_best": len(asked - set(terms([chunk.context_text()])[0])) / len(asked) if asked else 0.0,
        "number_missing": 1.0 if any(n not in chunk.context_text() for n in re.findall(r"\d+", question)) else 0.0,
        # a question word no retrieved passage has at all; a name or acronym asked about ("NYPD", "Texas") that the
        # best passage does not hold
        "any_missing": 1.0 if asked - present else 0.0,
        "name_missing": 1.0 if any(n.lower() not in chunk.context_text().lower() for n in _names(question)) else 0.0,
        # every word of what is asked, the town's name aside, is missing from every passage ("the weather in boston")
        "off_topic": 1.0 if topic and not topic & present else 0.0,
    }


# The other states (Washington, Georgia and Indiana left out: a street, a first name, a surname): the documents are
# about Massachusetts, so a question about another state that no retrieved passage names cannot be answered here.
_OTHER_STATE = re.compile(
    r"\b(alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|hawaii|idaho|illinois|iowa|"
    r"kansas|kentucky|louisiana|maine|maryland|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    r"new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|"
    r"rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|west virginia|wisconsin|wyoming)\b",
    re.IGNORECASE,
)


# Postal abbreviations people type after a town's name ("nashua nh", "Providence, RI"), for the nearby states and
# the largest; "CT" only in capitals or after a comma (a lower-case "app ct" is a court). And the initials of New York
# City and of its and Los Angeles's police, anywhere.
_STATE_ABBREVIATIONS = {
    "nh": "new hampshire",
    "ri": "rhode island",
    "vt": "vermont",
    "ny": "new york",
    "nyc": "new york",
    "nj": "new jersey",
    "ct": "connecticut",
    "ca": "california",
    "tx": "texas",
    "fl": "florida",
    "nypd": "new york",  # the police departments of other states' largest cities, by their initials
    "lapd": "california",
}
_CITY_INITIALS = "nypd|lapd|nyc"
_STATE_ABBREVIATION = re.compile(
    r"(?<=[a-z]) (nh|n\.h\.|ri|r\.i\.|vt|ny|nyc|nj)(?!\w)|(?<=[a-z]),\s*(nh|n\.h\.|ri|r\.i\.|vt|ny|nj|ct|ca|tx|fl)(?!\w)|"
    r"(?<!app )(?<!appeals )\b(?-i:(NH|RI|VT|NY|NYC|NJ|CT))\b|"  # in capitals only
    rf"\b({_CITY_INITIALS})(?:['’]?s)?\b",
    re.IGNORECASE,
)


_TRAVEL_TO = re.compile(JOURNEY_TO, re.IGNORECASE)


# …unless the question goes on to ask about the state ("flying to florida, do police there …")
_OF_THE_STATE = re.compile(
    r"['’]s\b|\s+(?:police|cops|laws?|sheriffs?|state police)\b|[^?.]{0,40}?\b(?:there|laws?)\b", re.IGNORECASE
)


def _asked_states(question: str) -> set[str]:
    """The other states a question names, in full or by a postal abbreviation after a place."""
    # (not a trip's end: "could i use it to get on a plane to florida")
    states = {
        m.group(0).lower()
        for m in _OTHER_STATE.finditer(question)
        if not _TRAVEL_TO.search(question[: m.start()]) or _OF_THE_STATE.match(question[m.end() :])
    }
    for match in _STATE_ABBREVIATION.finditer(question):
        typed = next(g for g in match.groups() if g)
        states.add(_STATE_ABBREVIATIONS[typed.lower().replace(".", "")])
    return states


def asked_county(question: str, registry: TownRegistry) -> str | None:
    """The one county a question names ("who was the bristol county sheriff" → "bristol"), else None."""
    named = registry.counties_in(question)
    return named[0] if len(named) == 1 else None


def names_other_counties_only(sentence: str, county: str, registry: TownRegistry) -> bool:
    """Whether the sentence names counties, none of them the one asked about."""
    named = registry.counties_in(sentence)
    return bool(named) and county not in named


def names_absent_state(question: str, passages: list[Passage]) -> bool:
    """Whether the question names another state (or its postal abbreviation) that none of the passages names."""
    asked = _asked_states(question)
    if not asked:
        return False
    named: set[str] = set()
    for passage in passages:
        text = passage.chunk.context_text()
        named |= {m.group(0).lower() for m in _OTHER_STATE.finditer(text)}
        # a passage naming the NYPD speaks of New York
        named |= {_STATE_ABBREVIATIONS[m.group(0).lower()] for m in _CITY_INITIALS_IN_TEXT.finditer(text)}
    return bool(asked - named)


_CITY_INITIALS_IN_TEXT = re.compile(rf"\b(?:{_CITY_INITIALS})\b", re.IGNORECASE)


# Words that carry no topic: a question's scaffolding ("what does X stand for", "what did she say about") and
# function words. A question word missing from the passages counts only when it is none of these.
_SCAFFOLD = (
    " ".join(sorted(QUESTION_WORDS))
    + " a an the and or but if of to in on at by for with about from into over after before than then so that this"
    " these those there their they them it its he she his her you your me my we our us be been being was were am"
    " done have has had could would should will shall may might must not no yes any some all stand mean means"
    " meaning exactly actually say said says tell told know get got just really also still ever like thing"
    " anything something happen happened"
)


@lru_cache(maxsize=4)
def _scaffold_terms(terms: Callable[[list[str]], list[list[str]]]) -> frozenset[str]:
    """The scaffolding words as `terms` stems them (once per tokenizer, not once per question)."""
    return frozenset(terms([_SCAFFOLD])[0])


def _names(question: str) -> list[str]:
    """Acronyms and capitalised words inside a question (not its first word, not "I", "ICE" or a question word)."""
    words = (
        re.findall(r"\b[A-Z][\w'’.-]*", question)[1:]
        if question[:1].isupper()
        else re.findall(r"\b[A-Z][\w'’.-]*", question)
    )
    return [
        re.sub(r"['’]s$", "", w).rstrip(".")
        for w in words
        if w not in {"I", "ICE", "US", "U.S.", "PD", "DA", "AG", "MA"} and w.lower() not in QUESTION_WORDS
    ]


def select_sentences(sentences: list[Sentence], vectors: np.ndarray, config: AnswerConfig) -> list[Sentence]:
    """The best sentence, then others close to it in score, skipping near-duplicates, within the length budget.

    Sentences from one town's documents are never mixed with another town's (statewide ones mix with either)."""
    order = sorted(range(len(sentences)), key=lambda i: -sentences[i].score)
    if not order:
        return []
    best = sentences[order[0]].score
    chosen: list[int] = []
    length = 0
    towns: set[str] = set()
    for i in order:
        sentence = sentences[i]
        if chosen and (sentence.score < config.relative_floor * best or len(chosen) >= config.max_sentences):
            break
        if sentence.towns and towns and not towns & set(sentence.towns):
            continue
        if _POINTS_ABOVE.match(sentence.text) and not (i > 0 and _adjacent(sentences, i, i - 1)):
            continue  # "The two accounts above differ …" opening its passage: what it points at is not here
        same = [k for k, j in enumerate(chosen) if _repeats(sentences, vectors, i, j, config)]
        if same:
            # the same words in an original and in a summary of it: the original is quoted
            kept = sentences[chosen[same[0]]]
            if sentence.original and not kept.original and len(same) == 1:
                length += len(sentence.text) - len(kept.text)
                chosen[same[0]] = i
            continue
        if chosen and length + len(sentence.text) + 1 > config.max_chars:
            continue
        chosen.append(i)
        towns = towns or set(sentence.towns)  # the towns of the first sentence that has any
        length += len(sentence.text) + 1
    first = order[0]
    for neighbour in (first + 1, first - 1):
        if 0 <= neighbour < len(sentences) and neighbour not in chosen and _adjacent(sentences, first, neighbour):
            joins = sentences[neighbour].score >= config.neighbour_floor * best
            if neighbour < first:
                # the sentence before joins when the best one leans on it ("It", "This", "such a warrant"), at half
                # the usual share of the best score: the best one says too little without it
                joins = bool(_LEANS_BACK.match(sentences[first].text)) and (
                    sentences[neighbour].score >= config.neighbour_floor * best / 2
                )
            if joins and length + len(sentences[neighbour].text) + 1 <= config.max_chars * 1.25:
                chosen.append(neighbour)
                length += len(sentences[neighbour].text) + 1
    # a quoted unit that only says again what the question says ("Holyoke's record points two ways.") announces what
    # follows it in its passage: the next two units come with it, room allowing
    for i in [i for i in chosen if sentences[i].echo]:
        for after in (i + 1, i + 2):
            if after >= len(sentences) or not _next_in_text(sentences, after - 1, after):
                break
            if len(chosen) >= config.max_sentences + 2:
                break
            if after not in chosen and length + len(sentences[after].text) + 1 <= config.max_chars * 1.25:
                chosen.append(after)
                length += len(sentences[after].text) + 1
    # any other quoted sentence that points back at the one before it ("It", "such a warrant") brings it along, room
    # allowing ("The court held …" in an opinion stands on its own)
    for i in list(chosen):
        before = i - 1
        if i == first or before < 0 or before in chosen or not _adjacent(sentences, i, before):
            continue
        if (
            _POINTS_BACK.match(sentences[i].text)
            and length + len(sentences[before].text) + 1 <= config.max_chars * 1.25
        ):
            chosen.append(before)
            length += len(sentences[before].text) + 1
    return _in_reading_order(_with_leads([sentences[i] for i in chosen]))


def add_ranked(
    sentences: list[Sentence],
    vectors: np.ndarray,
    chosen: list[Sentence],
    ranked: list[float],
    count: int,
    config: AnswerConfig,
    max_chars: int | None = None,
    eligible: list[bool] | None = None,
    named: int = 0,
    days: bool = False,
) -> list[Sentence]:
    """A confident answer, chosen by the hand weights, also quotes those of the sentence ranker's best `count` units
    that it does not hold yet, each scoring within `ranker_floor` of the ranker's best: no near-duplicates of its
    quotes, nothing from another town's documents, nothing pointing at text it does not quote or sending the reader
    elsewhere ("see the … page", a records request), nothing that would
    take the quotes (a list item's lead-in counted) past `max_chars` when it is given, none that `eligible` (when
    given) rules out. The two orders disagree most on answers of the right gist, where the ranker's pick holds the
    specific thing asked: the name of the database a policy uses, a date to the day. Of the ranker's next `named`
    units, those that name someone, something or some number the quotes do not join too (a town's only when the
    quotes are that town's or it speaks of the asked town). With `days` (a question asking when), one unit further
    down the ranker's order, still within its floor, joins when it gives the day of a month a quote names only by
    month and year, telling of the same thing ("on May 20, 2021" beside "in May 2021"); in the window, that counts as
    naming something new."""
    quoted = {(s.passage, s.start) for s in chosen}  # a list item's lead-in is quoted as a copy of its line
    held = [i for i, s in enumerate(sentences) if (s.passage, s.start) in quoted]
    # the towns of the best-scored quoted unit that has any, as `select_sentences` keeps to them
    towns = next(
        (set(sentences[i].towns) for i in sorted(held, key=lambda i: -sentences[i].score) if sentences[i].towns), set()
    )
    candidates = [i for i in range(len(sentences)) if eligible is None or eligible[i]]
    best = max((ranked[i] for i in candidates), default=0.0)
    floor = best - (1 - config.ranker_floor) * abs(best)  # a share of the best, whatever its sign
    added: list[Sentence] = []
    length = sum(len(s.text) + 1 for s in chosen)
    deeper_taken = False
    for rank, i in enumerate(sorted(candidates, key=lambda i: -ranked[i])[: None if days else count + named]):
        if ranked[i] < floor:
            break
        sentence = sentences[i]
        deeper = rank >= count + named  # looked at only for the day of a month the quotes name
        # (the ranker's best `count` are taken whatever they name)
        day = rank >= count and days and _gives_day(sentence.text, [sentences[j].text for j in held])
        if deeper and (deeper_taken or not day):
            continue
        if _POINTS_ELSEWHERE.search(sentence.text):
            continue
        # (a document's own words quoted are new past a confident answer's or a side's ranker picks; a closest
        # reply's additions, none taken as the ranker's best, weigh names only: there a quotation took the room of
        # the unit naming Cambridge's ordinance)
        if count <= rank and (
            (sentence.towns and not (towns & set(sentence.towns) or sentence.local))
            or not (
                day
                or _names_new(sentence.text, " ".join(sentences[j].text for j in held), strict=True, quotes=count > 0)
            )
        ):
            continue
        if i in held or (sentence.towns and towns and not towns & set(sentence.towns)):
            continue
        if any(_repeats(sentences, vectors, i, j, config) for j in held):
            continue
        leans_back = _POINTS_BACK.match(sentence.text) and not (
            i > 0 and i - 1 in held and _adjacent(sentences, i, i - 1)
        )
        if _POINTS_ABOVE.match(sentence.text) or leans_back:
            continue  # "It requires …", "The two accounts above …": what it points at is not quoted
        lead = len(sentence.lead[2]) + 1 if sentence.lead and (sentence.passage, sentence.lead[0]) not in quoted else 0
        if max_chars is not None and length + lead + len(sentence.text) + 1 > max_chars:
            continue
        deeper_taken = deeper_taken or deeper
        length += lead + len(sentence.text) + 1
        quoted.add((sentence.passage, sentence.start))
        if lead and sentence.lead:
            quoted.add((sentence.passage, sentence.lead[0]))
        held.append(i)
        added.append(sentence)
        towns = towns or set(sentence.towns)
    return _in_reading_order(_with_leads([*chosen, *added])) if added else chosen


def with_law_name(
    sentences: list[Sentence], passages: list[Passage], chosen: list[Sentence], max_chars: int
) -> list[Sentence]:
    """A confident answer quoted from a document about a named law or ordinance (its title says which) that never
    names it also quotes that document's best-scored unit that does (the shorter of two that tie: "The Work and Family
    Mobility Act took effect on July 1, 2023" before the veto's history), when it scores at least `_LAW_UNIT_FLOOR`
    of the best quoted unit and the reply stays within `max_chars`: "can undocumented people get a license" is
    answered by what the law does, in units that say only "since July 1, 2023, … can apply"; "can I board a plane
    with it" needs no history of the law."""
    if not chosen:
        return chosen
    best = max(chosen, key=lambda s: s.score)
    chunk = passages[best.passage].chunk
    name = law_named(chunk.meta.title)
    if not name or any(name.lower() in s.text.lower() for s in chosen):
        return chosen
    naming = [
        s
        for s in sentences
        if passages[s.passage].chunk.file == chunk.file
        and name.lower() in s.text.lower()
        and len(s.text) <= _LAW_UNIT_CHARS
        and s.score >= _LAW_UNIT_FLOOR * best.score
        and not (_POINTS_ELSEWHERE.search(s.text) or _POINTS_BACK.match(s.text))
    ]
    if not naming:
        return chosen
    added = _with_leads([*chosen, max(naming, key=lambda s: (s.score, -len(s.text)))])
    if sum(len(s.text) + 1 for s in added) > max_chars:
        return chosen
    return _in_reading_order(added)


_LAW_UNIT_CHARS = 300
# (on dev, the units naming the law scored 0.56 and 0.61 of the best where the question asked what the law allows,
# 0.46 where it asked a detail the law's name adds nothing to)
_LAW_UNIT_FLOOR = 0.5


def _gives_day(sentence: str, kept: list[str]) -> bool:
    """Whether the sentence gives the day of a month that one of the kept units names only by month and year, and
    tells of the same thing (two words of four letters or more in common, the dates aside): "DHS cut its ties with
    the Bristol County sheriff on May 20, 2021" beside "DHS ended the Bristol County sheriff's agreement in May 2021".
    A source's date in parentheses ("(Biometric Update, April 2026)") names no month of the answer's."""
    text = _PARENTHESES.sub("", sentence)
    for match in _DAY_OF_MONTH.finditer(text):
        month, year = match.group("month"), match.group("year")
        for unit in (_PARENTHESES.sub("", k) for k in kept):
            if not re.search(rf"\b{month} (?:of )?{year}\b", unit):
                continue
            if re.search(rf"\b{month} \d{{1,2}}(?:st|nd|rd|th)?,? {year}\b", unit):
                break  # that unit gives the day already
            if len(_content_words(text) & _content_words(unit)) >= 2:
                return True
    return False


_DAY_OF_MONTH = re.compile(rf"\b(?P<month>{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?,? (?P<year>(?:19|20)\d\d)\b")


_MONTH_WORDS = frozenset(_MONTHS[3:-1].lower().split("|"))


def _content_words(text: str) -> set[str]:
    """The words of four letters or more, months aside, lower-cased."""
    return set(re.findall(r"[a-z]{4,}", text.lower())) - _MONTH_WORDS


def _repeats(sentences: list[Sentence], vectors: np.ndarray, i: int, j: int, config: AnswerConfig) -> bool:
    """Whether sentence i says again what sentence j says (nearly the same vector and no new name or number in it,
    or the same words)."""
    a, b = _bare(sentences[i].text), _bare(sentences[j].text)
    if a == b:
        return True
    # nearly the same vector, or mostly the same words (one statement cited in two documents under two headings,
    # which the vectors carry), with no new name or number
    alike = float(np.dot(vectors[i], vectors[j])) >= config.duplicate_cosine or (
        _shared_words(a, b) >= config.duplicate_words and _says_no_more(a, b)
    )
    return alike and not _names_new(sentences[i].text, sentences[j].text)


def _shared_words(a: str, b: str) -> float:
    """The share of the two texts' distinct words that both hold."""
    one, two = set(a.split()), set(b.split())
    return len(one & two) / len(one | two) if one | two else 0.0


# Words that carry no claim of their own when two tellings of one statement differ in them.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "that",
        "which",
        "who",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "as",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "had",
        "has",
        "have",
        "did",
        "does",
        "do",
        "will",
        "would",
        "may",
        "can",
        "could",
        "should",
        "also",
        "then",
        "there",
    ]
)
# (applied to bare texts, which hold no apostrophes: a "didn't" there is "didn t", told by its "t")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|nor|neither|none|without)\b", re.IGNORECASE)


def _says_no_more(a: str, b: str) -> bool:
    """Whether one of two bare texts says nothing the other does not: the shorter one's words, function words aside,
    all in the longer one (an inflection counts: "contact" in "contacted"), and both as negative ("may ask" is no
    repeat of "may not ask", nor "signed" of "ended")."""
    if len(_NEGATION.findall(a)) != len(_NEGATION.findall(b)) or "t" in set(a.split()) ^ set(b.split()):
        return False
    short, long = sorted((a, b), key=len)
    words = set(long.split())
    stems = {w[:5] for w in words if len(w) >= 5}
    return all(w in words or (len(w) >= 5 and w[:5] in stems) for w in set(short.split()) - _FUNCTION_WORDS)


def _in_reading_order(picked: list[Sentence]) -> list[Sentence]:
    """What speaks of the asked town first, then by the passage's rank and position within it."""
    return sorted(picked, key=lambda s: (not s.local, s.passage, s.start))


def _with_leads(picked: list[Sentence]) -> list[Sentence]:
    """A list item is quoted with the line that introduces it: "(b) hold a person…" means little without "shall
    not:"."""
    picked = list(picked)
    for item in list(picked):
        if item.lead and not any(s.passage == item.passage and s.start == item.lead[0] for s in picked):
            start, end, text = item.lead
            picked.append(
                Sentence(
                    item.passage,
                    start,
                    end,
                    text,
                    item.towns,
                    text,
                    None,
                    score=item.score,
                    local=item.local,
                    original=item.original,
                )
            )
    return picked


# Names and numbers a sentence states, outside its parenthesised sources: "The Essex County sheriff's office did not
# answer…" is no repeat of "The Suffolk County sheriff's office did not answer…", however alike the two read.
_PARENTHESES = re.compile(r"\([^()]*\)")
_NAME_OR_NUMBER = re.compile(r"(?<![.!?] )(?<!^)\b[A-Z][\w'’-]+|\b\d[\d,.]*\b")


def _bare(sentence: str) -> str:
    """The sentence's words without its parenthesised sources: the same statement under two headings, or cited to
    two outlets, is one statement."""
    return " ".join(re.findall(r"\w+", _PARENTHESES.sub("", sentence).lower()))


def _names_new(sentence: str, kept: str, strict: bool = False, quotes: bool = False) -> bool:
    """Whether a sentence names someone, somewhere or some number that a like sentence already kept does not (the
    kept one's sources count: "As NEPM reported it, …" names no one new beside "… (NEPM, 2026-01-29)"). A number is
    read without its thousands commas ("5,500" is 5500). `strict`: a word that opens a line, a quotation or a list
    item, a footnote mark, and words every page of this kind holds (Massachusetts, ICE, police) name nothing.
    `quotes`: a document's own words in quotation marks, four or more, that the kept text lacks are new too ("…
    opens by stating that "Enforcing federal immigration law is not a mission of the Framingham Police"")."""
    text = _PARENTHESES.sub("", sentence)
    if quotes and any(f" {_bare(q)} " not in f" {_bare(kept)} " for q in _quotations(text)):
        return True
    if strict:
        text = _OPENING_WORD.sub(" ", _FOOTNOTE.sub(" ", text))
    own = {_unowned(_plain_number(name.lower())) for name in _NAME_OR_NUMBER.findall(text)}
    if strict:
        own -= _EVERYWHERE
    # a hyphenated word's parts too: "a 13-year-old" says 13
    words = re.findall(r"[\w'’-]+", kept.lower()) + [_plain_number(n) for n in re.findall(r"\b\d[\d,.]*\d\b", kept)]
    return bool(own - {_unowned(part) for word in words for part in (word, *word.split("-"))})


def _plain_number(word: str) -> str:
    """A number without its thousands commas or a closing stop ("5,500." is 5500); any other word as it is."""
    return word.replace(",", "").rstrip(".") if word[:1].isdigit() else word


_QUOTATION = re.compile(r"[\"“]([^\"“”]+)[\"”]")


def _quotations(text: str) -> list[str]:
    """A document's own words quoted in the text: four words or more ("officer's" one word) in quotation marks that
    pair (none when a straight mark is left over, as in a unit that starts inside a quotation), not a title (most
    words capitalised: "Policy on Enforcement of Immigration Laws")."""
    if text.count('"') % 2:
        return []
    found = []
    for quotation in _QUOTATION.findall(text):
        words = re.findall(r"[\w'’.-]+", quotation)
        if len(words) >= 4 and sum(w[:1].isupper() for w in words) * 2 <= len(words):
            found.append(quotation)
    return found


# A word that opens a line, a quotation, a list item or a clause after a colon; a footnote mark ("[1]").
_OPENING_WORD = re.compile(r"(?:^|\n|[\"“(:;]\s*|\([a-z0-9]{1,3}\)\s+)[A-Z][\w'’-]*")
_FOOTNOTE = re.compile(r"\[\d+\]")
# Words that name nothing in particular in these documents.
_EVERYWHERE = frozenset(
    ["massachusetts", "ice", "police", "department", "county", "sheriff", "city", "town", "state", "u.s", "united"]
)
# A unit pointing the reader elsewhere: another page of the collection, a records request.
_POINTS_ELSEWHERE = re.compile(
    r"\bsee the [\w'’ -]{1,60} page\b|\bcan (?:be requested|ask|request)\b.{0,120}\bpublic records law\b", re.IGNORECASE
)


def _unowned(word: str) -> str:
    """A word without its possessive ending: "Holyoke's" names Holyoke."""
    return re.sub(r"['’]s?$", "", word)


# A unit that points back at the one before it: a pronoun first, or "such a warrant".
_POINTER = r"^(It|This|That|These|Those|They|He|She|Its|Their)\b"
_SUCH_A = r"^.{0,200}?\b(?i:such) an?\b(?! (?:way|large|long|short|small|great)\b)"
_ABOVE = r"^.{0,80}?\b(?i:the(?: [\w-]+){1,3} above\b|as (?:noted |said )?above\b)"  # "The two accounts above differ …"
_POINTS_BACK = re.compile(f"{_POINTER}|{_SUCH_A}|{_ABOVE}")
_POINTS_ABOVE = re.compile(_ABOVE)
# The best unit also leans back when it opens "The court …", "The order …": it says too little on its own.
_LEANS_BACK = re.compile(f"{_POINTER}|^The (court|order|bill|policy|report)\\b|{_SUCH_A}|{_ABOVE}")


def _adjacent(sentences: list[Sentence], a: int, b: int) -> bool:
    """Whether two candidates are neighbours in one passage (nothing quotable between them)."""
    return sentences[a].passage == sentences[b].passage and abs(a - b) == 1


def _next_in_text(sentences: list[Sentence], a: int, b: int) -> bool:
    """Whether unit b follows unit a in their passage's text with nothing but a space or a line break between."""
    return _adjacent(sentences, a, b) and 0 <= sentences[b].start - sentences[a].end <= 2


def headed_sentence(sentence: Sentence) -> str:
    """The sentence as it is embedded: after its section heading and lead-in (the text the index caches)."""
    return sentence.embedded or sentence.text
