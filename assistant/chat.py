"""Conversations: rewriting a follow-up ("and Everett?", "who is their chief?") into a standalone question.

Rule-based, so it works without a language model. The rewritten question is shown with the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus.chunking import is_abbreviation
from corpus.towns import TownRegistry
from index.keyword import STOPWORDS

# Openers that lean on the conversation, after any chat filler ("ok and …", "wait, so what about …", "thanks! and …")
_FOLLOWUP_OPENERS = re.compile(
    r"^\s*(?:(?:ok|okay|wait|hmm+|alright|all right|cool|got it|thanks|thank you|oh|ah|um+|uh+|yeah|right)\b[\s,.!:;—–-]*)*"
    r"(?:(?:and what about|and|also|what about|how about|same (?:(?:question|thing|for|goes for) )?(?:for|in|with|about)|"
    r"ditto for|what of|then|so|ok|okay)\b[\s,]*)+",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(
    # "there" the place, not "is there …", "there was …"
    r"\b(their|they|them|theirs|its|it|(?<!\bis )(?<!\bwas )(?<!\bare )(?<!\bwere )(?<!\bbe )(?<!n't )(?<!n’t )"
    r"(?<!\bhas )(?<!\bhave )(?<!\bhad )(?<!\bdoes )(?<!\bwhether )(?<!\bif )"
    r"there(?! (?:is|are|was|were|be|been|has|have|had|will|would|needs?|ever)\b)(?!['’]s)|that town|that city|this town|this city|that department|that office|"
    r"this office|that agency|that court|that program|that order|that act|"
    r"the department|that policy|this policy|that law|this law|that case|this case|that report|this report|"
    r"that ruling|this ruling|that bill|this bill|he|she|his|her|him)\b",
    re.IGNORECASE,
)
# "My town" in its forms: one vocabulary for telling that a question is about the asker's own place and for
# writing the chosen town into it.
_PLACE = r"(?:town|city|community|municipality|area)"
_MY_TOWN = re.compile(
    rf"\b(my|our) ({_PLACE}|neighbou?rhood|police( department)?|local police)\b|\bwhere i live\b",
    re.IGNORECASE,
)
_HERE = re.compile(rf"\b(in )?(my|our) {_PLACE}\b|\b(live )?here\b", re.IGNORECASE)
_RIGHTS = re.compile(
    r"\b(my rights|your rights|can (the )?(police|they|officers|ice|cops)|can i\b|should i\b|do i have to|am i\b|"
    r"what (should|can|do) i\b|on me\b|arrest me|detain me|deport me|what happens if i|if i('m| am| get)|"
    r"(is it )?legal for|allowed to)",
    re.IGNORECASE,
)
# A short capitalized or quoted name in a question: a case, a law, a report ("Lunn v. Commonwealth").
_TOPIC = re.compile(
    r"\"[^\"]{3,80}\"|“[^”]{3,80}”|"
    r"\b[A-Z][\w’'.()-]*(?:\s+(?:v\.|of|the|and|for|on|[A-Z0-9][\w’'.()-]*))*\s+[A-Z0-9][\w’'.()-]*|"
    r"\b[A-Z]{2,}[\w()-]*"
)
# The words a question opens with or leans on, never its topic (one vocabulary for rewriting and scoring).
QUESTION_WORDS = {
    *("what", "who", "whom", "whose", "when", "where", "why", "how", "which"),
    *("does", "do", "did", "is", "are", "can"),
    *("was", "were", "has", "have", "had", "will", "would", "should", "could", "may", "might", "must"),
}


@dataclass
class Turn:
    """One question of a conversation and what it was taken to mean."""

    question: str
    standalone: str
    towns: list[str]


_HOW_TO_REQUEST = re.compile(
    r"\bhow (do|can|would|should) (i|we|you|one)\b.*\b(request|obtain|get|ask for|find)\b|\bpublic records?\b|"
    # "if i request my town's policy, what can they bill me?": the rules of asking, the same in every town
    r"\b(if|when|after) (i|we) (request|ask for|ask (?:my|our|the|a|your) (?:town|city|police|department|pd) for "
    r"(?:a |the |their |its )?(?:cop(?:y|ies)|records?|documents?|(?:[\w-]+ ){0,3}?polic(?:y|ies))|"
    r"file (a|for)|put in a request)\b|"
    # "i asked my town pd for their ice policy, how long do they have": a request made already, and what is asked is
    # its course (how long, a fee, a refusal, an appeal); not "i asked my police for my arrest records, do they share
    # them with ice?"
    r"\b(?:i|we) (?:asked|requested|emailed|e-mailed|wrote to|sent|mailed)\b[\w'’ ]{0,40}?\b(?:for|asking for|"
    r"requesting)\b(?: a| the| their| its| a copy of)?(?: (?!my\b|our\b)[\w'’-]+){0,3}? (?:cop(?:y|ies)|records?|"
    r"documents?|polic(?:y|ies))\b(?=.*\b(?:how long|days?|deadline|respond|answer|reply|hear back|charge|fees?|"
    r"cost|deny|denied|refus\w*|ignor\w*|appeal|what (?:now|next)|what can i do)\b)|"
    r"\b(charge|bill|fee|fees|cost|pay)\b.{0,40}"
    r"\b(cop(y|ies)|request|records?)\b|\b(cop(y|ies)|request|records?)\b.{0,40}\b(charge|bill|fee|fees|cost)\b",
    re.IGNORECASE,
)


# A stop ending a sentence inside a question (a story told first, then what is asked; an abbreviation's stop,
# "dept.", "u.s.", ends none: `is_abbreviation`); and words in what is asked that point back at the asker's place or
# its police ("… our police. do they work with ice?", "do we have a sanctuary policy?", "will the police tell ice?").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_STANDS_FOR_IT = re.compile(
    r"\b(they|them|their|theirs|its|there|here|we|us|our|my)\b|"
    r"\bthe (police|cops|department|dept|pd|town|city|chief|local police|officers)\b",
    re.IGNORECASE,
)


# Question words and verbs that ask what something says or holds, naming nothing of their own ("what does theirs
# say"), for telling a follow-up that only points back from one that asks something (`rewrite_question`).
_SAYING = re.compile(r"\b(what|whats|how|say|says|said|think|thinks|do|does|did|have|has|had|got|get)\b", re.IGNORECASE)


def asks_for_my_town(question: str) -> bool:
    """Whether the question is about the asker's own town without naming it (asking how to request a town's
    records is not: the answer is the same everywhere; nor is a question whose own town is only in the story told
    before what it asks, when what it asks does not point back at it: "our town put up plate cameras. can ice get
    at that data?"). What it asks is its last sentence with a question mark ("… ? thanks" ends on a remark)."""
    if not _MY_TOWN.search(question) or _HOW_TO_REQUEST.search(question):
        return False
    sentences = typed_sentences(question, _SENTENCE_END)
    asking = [i for i, sentence in enumerate(sentences) if "?" in sentence]
    at = asking[-1] if asking else len(sentences) - 1
    story, asked = " ".join(sentences[:at]), sentences[at]
    return not story or not _MY_TOWN.search(story) or bool(_STANDS_FOR_IT.search(asked))


def asks_how_to_request(question: str) -> bool:
    """Whether the question asks how to request a town's records (the same everywhere)."""
    return bool(_HOW_TO_REQUEST.search(question))


def asks_about_rights(question: str) -> bool:
    """Whether the question asks what someone can do or what may happen to them (so a not-legal-advice note)."""
    return bool(_RIGHTS.search(question))


# Words that point back at the conversation without a pronoun: "who was the sheriff back then", "the guy".
# A county's office named bare in a follow-up ("the sheriff", "the jail"): the county the earlier question named.
_BARE_COUNTY_OFFICE = re.compile(
    r"\b(?:the|that|this) (sheriff(?:['’]s (?:office|department))?|jail|house of correction|district attorney|da)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"\b(back then|at (that|the) time|the (first|second|other|original|new|newer|old|older|earlier|later|last|latest|"
    r"same|previous) (one|version)|that one|this one|the guy|that guy|the woman|that woman|in the first place|"
    r"before that|after that)\b",
    re.IGNORECASE,
)
# "was a group from chelsea part of that too?": a bare "that" someone took part in
_PART_OF_THAT = re.compile(
    r"\b(?:part of|in on|involved in|behind|(?:a )?party to|mixed up in|in) (?:that|this)"
    r"(?=\s*(?:too|as well|also)?\s*(?:[?.!,]|$))",
    re.IGNORECASE,
)


# Words that open a correction ("no sorry", "my bad"), and weaker ones that open one only before those or before
# words saying which one was meant ("oh wait, i was asking about cambridge"; not "oh no", "wait seriously")
_CORRECTING = r"(?:no|nope|sorry|oops|whoops|actually|my bad|my mistake|correction|scratch that)"
_HESITATING = r"(?:oh|wait|hmm|ugh)"
_MEANT = (
    r"(?:i meant|i mean|meant|i meant to say|i should have said|i was asking about|i was asking for|"
    r"i was talking about|i['’]?m asking about|i['’]?m talking about|i wanted|make that)"
)
_BREAK = r"\b[\s,.!:;—–-]*"
# A question of its own, or a reply that is no place: never a correction's body
_NOT_A_BODY = (
    r"(?!to\b|what\b|who\b|when\b|where\b|why\b|how\b|which\b|is\b|are\b|do\b|does\b|did\b|can\b|"
    r"thanks?\b|thank you\b|ok\b|okay\b|never ?mind\b|nvm\b|lol\b|yes\b|yeah\b|right\b|got it\b|cool\b|i\b|"
    r"really\b|interesting\b|great\b|wow\b|nice\b|good\b|weird\b|huh\b|that\b|this\b|it\b|so\b|same\b|no\b|not\b|"
    r"way\b|god\b|damn\b|seriously\b|hold on\b|boy\b|shoot\b|since\b|wait\b|oh\b|hmm\b|ugh\b)"
)
_BODY = r"[\w'’.()-]+(?: [\w'’.()-]+){0,3}?"
# A correction of the earlier question ("no sorry i meant barnstable", "no, hampden county"): a few words, no question
# of its own ("i meant to ask what a detainer is" is one).
_CORRECTION = re.compile(
    # "no sorry i meant barnstable", "nope, worcester", "oh wait, i was asking about cambridge"
    rf"^\s*(?:(?:{_HESITATING}{_BREAK})*(?:{_CORRECTING}{_BREAK})+(?:{_MEANT}\s+)?|(?:{_HESITATING}{_BREAK})+{_MEANT}\s+)"
    rf"{_NOT_A_BODY}(?P<body>{_BODY})\s*[?.!]*\s*$|"
    # "i meant chelsea" (no other words of meaning without an opener: "i wanted more details" is no correction)
    rf"^\s*(?:i meant|i mean)\s+{_NOT_A_BODY}(?P<short>{_BODY})\s*[?.!]*\s*$|"
    # "my bad, plymouth county is the one i wanted"
    rf"^\s*(?:(?:{_HESITATING}|{_CORRECTING}){_BREAK})*{_NOT_A_BODY}(?P<named>{_BODY}) (?:is|was) the one (?:i|we) "
    r"(?:wanted|meant|was asking about|need(?:ed)?|was after)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def corrected(question: str) -> str:
    """A correction read as the ellipsis it is ("no sorry i meant barnstable" → "and barnstable?"); other questions
    unchanged."""
    match = _CORRECTION.match(question)
    return f"and {match.group('body') or match.group('short') or match.group('named')}?" if match else question


def is_followup(question: str) -> bool:
    """Short or pronoun-led questions that lean on the conversation so far."""
    words = re.findall(r"[\w’']+", question)
    if _FOLLOWUP_OPENERS.match(question):
        return True
    pronoun = _PRONOUNS.search(question)
    if pronoun and not (pronoun.group(0).lower() == "him" and _OWN_PERSON.search(question)):
        return True  # (not "ice took my dad, how do i find him": he is the asker's own)
    if _POINTS_BACK.search(question) or _PART_OF_THAT.search(question) or points_at_those(question):
        return True
    if _OBJECT_LEFT_OUT.search(question):
        return True  # "what info do i need to search": search what the conversation was about
    if _BY_WHAT_LEFT_OUT.search(question) and not _TOPIC.search(question) and not _PLACES_ASKED.search(question):
        return True  # "what kinds of places would be covered": covered by what the conversation was about
    # A short question that names nothing ("what was the vote?") continues the conversation.
    return len(words) <= 3 or (len(words) <= 5 and not _TOPIC.search(question))


# The people of someone's life ("my mom", "his brother").
_KIN = (
    r"(?:dad|father|son|brother|husband|boyfriend|partner|uncle|cousin|nephew|grandfather|grandpa|friend|neighbou?r|"
    r"coworker|boss|kid|child|relative|mom|mother|sister|wife|daughter|aunt|grandmother|grandma|niece|girlfriend)"
)
# A person the question names as the asker's own ("my dad", "my son"), whom its "him" stands for.
_OWN_PERSON = re.compile(rf"\b(?:my|our) {_KIN}\b", re.IGNORECASE)
# A thing pointed back at: "those rules", "these numbers" (not "those agreements like 287g", which it goes on to say).
_THOSE = re.compile(
    r"\b(?:those|these) (?P<noun>rules|policies|guidelines|laws|orders|agreements|deals|bills|cases|rulings|reports|"
    r"numbers|figures|changes|requirements|restrictions|limits|prints|fingerprints|records|documents|forms|detainers|"
    r"queries|checks|programs|contracts)\b(?! (?:like|such)\b)",
    re.IGNORECASE,
)
# A bare "that" the question is about ("since when has that been on the books", "when did that start")
_THAT_DONE = re.compile(
    r"\b(?:has|have|is|was|did|does|will|would|can|could) that (?=(?:been|be|become|still|ever|really|actually|apply|"
    r"applies|start|begin|end|pass|happen|come|take|go|work|change|stick|hold|last)\b)",
    re.IGNORECASE,
)


def points_at_those(question: str) -> bool:
    """Whether the question's first sentence points back at a thing ("when did those rules come out")."""
    match = _THOSE.search(question)
    if match is None or re.search(r"[?.!]\s", question[: match.start()]):
        return False
    # (not "if ice sends detainers, do they honor those detainers": the question names them itself)
    stem = match.group("noun").lower()[:-1].removesuffix("ie")
    return not re.search(rf"\b{re.escape(stem)}", question[: match.start()], re.IGNORECASE)


# "who sued ICE over …", "who took the sheriff to court": a question about a lawsuit, by whom it was brought (against
# whom it names)
_WHO_SUED = re.compile(
    r"^\s*(?:so |and |ok )?who (?:sued|sues|filed suit against|(?:brought|filed) (?:a|the) (?:lawsuit|suit|case) against) "
    r"(?P<rest>(?!(?:over|for|in|about|on|because|after|when)\b).{3,})$",
    re.IGNORECASE,
)
# A county's officer an earlier question spoke of ("the new cape cod sheriff", "the bristol DA").
_COUNTY_OFFICER = re.compile(r"\b(sheriff|district attorney)\b", re.IGNORECASE)
# Another person a "he" or "she" may be: one the conversation names ("my mom", "the woman who was detained").
_SOMEONE_ELSE = re.compile(
    rf"\b(?:my|our|your|his|her|their) {_KIN}\b|"
    r"\b(?:the|a|that|this) (?:woman|man|guy|lady|girl|boy|deputy|detainee|inmate|officer|person|teen|kid|mother|father)\b",
    re.IGNORECASE,
)
# A question about anywhere, not the town the conversation is about.
_ANYWHERE = re.compile(r"\b(?:anywhere|everywhere|nationwide|in the country|other states|any state)\b", re.IGNORECASE)
# A topic that is a town's own thing anyway ("a sanctuary policy", "its policy")
_SAME_TOWN_TOPIC = re.compile(r"^(?:a|an|its|their|some)\b", re.IGNORECASE)
# What is asked of a lawsuit, not of the law it was over ("when did it pass" after "who sued the state over the act"
# asks about the act)
_OF_A_LAWSUIT = re.compile(
    r"^(?!.*\b(?:lawsuit|suit|case)\b)(?=.*\b(?:appeal(?:ed|s)?|court|judge|win|won|lose|lost|settle[ds]?|rul(?:e|ed|ing)|"
    r"decid(?:e|ed)|decision|dismiss(?:ed)?|trial|injunction|outcome|verdict)\b)",
    re.IGNORECASE,
)
# A town's body or office named bare ("the town meeting", "the city council", "the chief"): the town the earlier
# question named.
_BARE_TOWN_OFFICE = re.compile(
    r"\bthe (?:town meeting|city council|town council|council|select ?board|selectmen|board of selectmen|mayor|"
    r"police chief|chief|town manager|city manager|town clerk|city clerk|aldermen|board of aldermen)\b"
    r"(?! (?:justice|executive|of state|on|of (?!police\b)))",
    re.IGNORECASE,
)
# A question ending on a passive verb whose doer it leaves out ("which places would be covered", "who is exempt").
_BY_WHAT_LEFT_OUT = re.compile(
    r"\b(?:be|been|being|is|are|was|were|get|gets|got) (?:covered|included|affected|exempt(?:ed)?|protected|excluded|"
    r"off[ -]limits|listed|named|left out|carved out|banned|barred)\W*$",
    re.IGNORECASE,
)
# Places a question asks about itself ("which towns in western mass are affected"), not the conversation's
_PLACES_ASKED = re.compile(
    r"\b(?:which|what|any|other|all|how many) (?:towns?|cities|city|counties|county|departments?|states?|communities)\b|"
    r"\b(?:western|eastern|central|southeastern|northeastern|north|south|west|east) (?:mass|massachusetts|ma)\b",
    re.IGNORECASE,
)
# A question ending on a verb whose object it leaves out ("what do i need to search", "where do i file").
_OBJECT_LEFT_OUT = re.compile(
    r"\b(?:to|do i|can i|should i|do you|i|we) (?:search|look up|find)\W*$",
    re.IGNORECASE,
)


# A lower-case kind of thing right after a capitalised name ("the PROTECT act", "the Trust ordinance").
_KIND_AFTER = re.compile(
    r"\s+(?:act|agreement|order|ordinance|policy|bill|law|report|case|ruling|decision|program|bylaw|guide|database|"
    r"system|contract|lawsuit|toolkit)\b",
    re.IGNORECASE,
)


# "the other one" / "the other version", and a pair an earlier question named: "a house version and a senate
# version", "the house and senate versions"
_THE_OTHER = re.compile(r"\bthe other(?: one| (?P<noun>[a-z]+))?\b", re.IGNORECASE)
_SIDE = r"(?!(?:a|an|the|and|or|of|to|in|on|for|with|what|which|is|are|was|were|do|does|did)\b)[\w'’-]+"
_PAIR = re.compile(
    rf"\b(?:an? |the )?(?P<a>{_SIDE}) (?P<noun>[a-z]+?)(?:s|(?<=i)es)? and (?:an? |the )?(?P<b>{_SIDE}) "
    r"(?P=noun)(?:s|(?<=i)es)?\b|"
    rf"\b(?:an? |the )?(?P<c>{_SIDE}) and (?:an? |the )?(?P<d>{_SIDE}) "
    r"(?!(?:both|each|have|has|had|do|does|did|is|are|was|were|can|will|would|the|an?|to|in|on|of|for|with)\b)"
    r"(?P<noun2>[a-z]+?)s?\b",
    re.IGNORECASE,
)
# what may trail "what about the other one": "tho", "then", "pls"
_TRAILING_FILLER = re.compile(r"(?:\s+(?:tho|though|then|pls|please|lol|now))+\s*[?.!]*\s*$", re.IGNORECASE)


def the_other_one(question: str, previous: str) -> tuple[str, str]:
    """ "and the other one, what does it add" after "the protect act has a house version and a senate version right?
    what does the house one do": the senate version. Only when the earlier question named a pair of one noun and
    then asked about one of them by name. With how it was read: "" (the question as it is), "replaced" (the other
    one named in it) or "whole" (the question was only "the other one": the earlier question, asked of the other)."""
    other = _THE_OTHER.search(question)
    pair = _PAIR.search(previous) if other else None
    if not other or not pair:
        return question, ""
    shared = bool(pair.group("a"))
    a, b = (pair.group("a"), pair.group("b")) if shared else (pair.group("c"), pair.group("d"))
    noun = pair.group("noun") if shared else pair.group("noun2")
    noun = f"{noun[:-2]}y" if noun.lower().endswith("ie") else noun  # "policies"
    if other.group("noun") and other.group("noun").lower().rstrip("s") != noun.lower():
        return question, ""  # "the other county" after a pair of versions
    rest = previous[pair.end() :]
    asked = [
        found
        for side in (a, b)
        for found in re.finditer(rf"\bthe ({re.escape(side)}) (?:one|{re.escape(noun)})\b", rest, re.IGNORECASE)
    ]
    if len({m.group(1).lower() for m in asked}) != 1:
        return question, ""
    left = b if asked[0].group(1).lower() == a.lower() else a
    body = _FOLLOWUP_OPENERS.sub("", _TRAILING_FILLER.sub("", question))  # (the openers are anchored at the start)
    if body.strip(" ,?").lower() == other.group(0).lower():
        # "what about the other one?": the earlier question, about the other
        at = pair.end() + asked[0].start(1)
        return put_in(previous, at, at + len(asked[0].group(1)), left), "whole"
    # (a pair without a noun of its own, "the house and senate passed it", is "the senate one")
    return put_in(question, other.start(), other.end(), f"the {left} {noun if shared else 'one'}"), "replaced"


# "did boston get the money" after a question about a grant: the grant
_THE_MONEY = re.compile(r"\b(?:the|that|this) (?:money|funds|funding|cash|dollars)\b", re.IGNORECASE)
# money of another kind, or the question's own grant: "bail money", "pay the money", "the money from the byrne grant"
_OTHER_MONEY = re.compile(
    r"\b(?:bail|fees?|fines?|pay|paid|pays|seiz\w*|spen[dt]\w*|forfeit\w*|per|back|return\w*|grants?|funding|budget|"
    r"tax\w*|cost\w*|charge\w*|from|for)\b",
    re.IGNORECASE,
)
_GRANT = re.compile(
    r"\b(?:the|an?|that|this|its|their|(?!(?:what|it|that|where|who|there|here|he|she)['’]s)[\w-]+['’]s)"
    r"(?P<words>(?: (?!(?:is|are|was|were|do|does|did|get|gets|got|can|could|will|would|should|has|have|had|an?|the)\b)"
    r"[\w$.,'’()-]+){0,3}? (?:grant|funding))\b"
    r"(?! (?:the|an?|bail|it|them|him|her|me|us|permission|asylum|relief)\b)",  # not the verb: "grant the motion"
    re.IGNORECASE,
)


def the_money(question: str, previous: Turn) -> str:
    """ "did boston actually get the money" after "how big is the grant": the grant the earlier question named; the
    question as it is otherwise, or when it speaks of money of its own (bail, fees, "the money from …")."""
    money = _THE_MONEY.search(question)
    if not money or _OTHER_MONEY.search(question):
        return question
    grant = _GRANT.search(previous.standalone)
    return put_in(question, money.start(), money.end(), f"the{grant.group('words')}") if grant else question


def previous_topic(question: str, registry: TownRegistry) -> str | None:
    """The name a previous question was about, other than a town: a case, a law, a report."""
    candidates = []
    for match in _TOPIC.finditer(question):
        text = match.group(0).strip().strip('"“”')
        if text.split()[0].lower() in QUESTION_WORDS or text in registry or text.upper() in {"ICE", "I"}:
            continue
        kind = _KIND_AFTER.match(question, match.end())
        owned = _named_thing(question[match.end() :]) if text.endswith(("'s", "’s")) else None
        if kind and re.fullmatch(r"[A-Z0-9()-]{2,}", text):
            text += kind.group(0)  # "the PROTECT act": the name with its lower-case kind
        elif owned and owned.start() <= 1:
            text += " " + owned.group(0)  # "the Attorney General's know your rights guide", not "… General's"
        if question[: match.start()].lower().endswith("the "):
            text = "the " + text
        candidates.append(text)
    if not candidates:
        thing = _named_thing(question)
        if thing:
            words = thing.group(0).split()
            owner = previous_county(question, registry) or next(iter(registry.find_in_question(question)), None)
            if owner and len(words) > 1 and words[0].lower() in _POSSESSIVES:
                words = [f"{owner}'s", *words[1:]]  # "when did barnstable county sign its agreement"
            candidates = [" ".join(words)]
    return max(candidates, key=len) if candidates else None


# What a lower-case question is about when it names no proper noun: a phrase ending in a kind of document or
# arrangement ("the safe communities act", "287g agreement"), without the question's own words before it.
_THING = re.compile(
    r"\b(?:(?:vs?\.|[\w’'()-]+)\s+){0,4}?(?:act(?! (?:like|as)\b)|agreement|order|ordinance|policy|bill|law|report|case|"
    r"ruling|decision|injunction|database|contract|guide|program|bylaw|resolution|survey|memo|directive)s?\b",
    re.IGNORECASE,
)


def _named_thing(question: str) -> re.Match[str] | None:
    """The first such phrase, from its determiner ("what happened with the executive order" → "the executive
    order") or, without one, from the modifiers just before the kind ("which 287g agreement is" → "287g agreement")."""
    bare = None  # "the ruling" alone, kept unless a later phrase names its thing ("… made in the lunn case")
    for match in _THING.finditer(question):
        words = match.group(0).split()
        determiners = [i for i, w in enumerate(words[:-1]) if w.lower() in _DETERMINERS]
        if determiners:
            words = words[determiners[-1] :]
        else:
            keep = 0
            while keep < len(words) - 1 and _MODIFIER.fullmatch(words[len(words) - 2 - keep]):
                keep += 1
            words = words[len(words) - 1 - keep :]
        if len(words) == 1 and words[0].lower() in {"policy", "law", "report", "case", "order"}:
            continue  # "the policy" alone names nothing in particular
        found = re.compile(r"\b" + re.escape(" ".join(words)) + r"\b").search(question, match.start())
        if found and len(words) == 2 and words[0].lower() == "the" and words[1].lower() in _GENERIC_KINDS:
            bare = bare or found
        elif found:
            if bare and not (words[-1].lower() == "case" and re.search(r"\bin\s*$", question[: found.start()])):
                return bare  # "the ruling … about the 287g agreement": the ruling; "… in the lunn case": the case
            return found
    return bare


# Kinds that, with "the" alone, name nothing a later phrase of the question may name ("the ruling … in the lunn case")
_GENERIC_KINDS = {"ruling", "rulings", "decision", "decisions"}
_POSSESSIVES = {"its", "their", "his", "her", "our", "my"}
_DETERMINERS = {"the", "a", "an", "this", "that", *_POSSESSIVES}
# A word that can sit before the kind of thing in its name: a number ("287g"), a name, an adjective-like word; not a
# question word or a verb of the question.
_MODIFIER = re.compile(
    r"(?!(?:is|are|was|were|be|been|do|does|did|can|could|would|will|has|have|had|still|any|end|ended|sign|signed|"
    r"start|started|stop|stopped|cancel|cancelled|canceled|pass|passed|adopt|adopted|join|joined|leave|left|"
    r"what|which|who|when|where|why|how|about|with|for|in|on|of|to|from|by|say|said|find|get|i|"
    r"you|we|they|it)\b)[\w’'()-]+",
    re.IGNORECASE,
)


def previous_county(question: str, registry: TownRegistry) -> str | None:
    """The county a previous question was about ("bristol county" → "Bristol County"), if any."""
    named = registry.counties_in(question)
    return f"{named[0].title()} County" if named else None


def place_in_town(question: str, town: str) -> str:
    """The question with the chosen town written into it ("in my town" → "in Quincy"), so retrieval sees it."""
    match = _HERE.search(question)
    if not match:
        return f"{question.rstrip(' ?')} in {town}?"
    phrase = match.group(0).lower()
    if phrase.startswith("live"):
        replacement = f"live in {town}"
    elif phrase.startswith("in ") or phrase == "here":
        replacement = f"in {town}"
    else:  # "my town" as a noun: "my town's policy", "does my town have rules"
        replacement = town
    return question[: match.start()] + replacement + question[match.end() :]


# What a county's sheriff or district attorney does: the business a county's bare name is asked about.
_COUNTY_BUSINESS = re.compile(
    r"\b(287 ?\(?g\)?|sheriffs?|jails?|house of correction|detention|detainees?|inmates?|district attorney|da)\b",
    re.IGNORECASE,
)


def rewrite_question(
    question: str,
    history: list[Turn],
    registry: TownRegistry,
    rewrite: Callable[[str, list[Turn]], str | None] | None = None,
) -> str:
    """A standalone version of the question, using the previous turn where the question leans on it (a language
    model's `rewrite` first, when one is given and gives one; these rules otherwise)."""
    question = question.strip()
    if history:
        question = the_money(corrected(question), history[-1])
        head, *after = re.split(r"(?<=\?)\s+", question, maxsplit=1)
        story = after[0] if after else ""
        if (
            len(story.split()) >= _STORY_WORDS
            and has_content(story)
            and not any(_asks(part, True) for part in typed_sentences(story))
            and registry.find_in_question(head)
            and is_followup(head)
        ):
            # "and in amherst? my daughter goes to school there …": the opening follow-up about another town rewritten
            # as it would be on its own, the story after it kept (one that asks more, or filler such as "thanks", is
            # left to the rules below)
            opening = rewrite_question(head, history, registry, rewrite)
            if opening != head:
                return f"{opening if opening.endswith(('?', '.', '!')) else opening + '?'} {story}"
    # "was the town meeting vote close" after "does amherst have a sanctuary law": Amherst's town meeting; "since when
    # has that been on the books" after a question about Chelsea's written rules: Chelsea's (not after a question
    # about a county's sheriff or jail, and not "can that happen anywhere in the country")
    followup = bool(history) and is_followup(question)
    in_town = (
        bool(history)
        and not followup
        and len(history[-1].towns) == 1
        and bool(_BARE_TOWN_OFFICE.search(question) or _THAT_DONE.search(question))
        and not registry.find_in_question(question)
        and not _COUNTY_BUSINESS.search(history[-1].standalone)
        and not _ANYWHERE.search(question)
    )
    if not (followup or in_town):
        return question
    rewritten = rewrite(question, history) if rewrite else None
    if rewritten:
        return rewritten
    previous = history[-1]
    if in_town:
        topic = previous_topic(previous.standalone, registry) if _THAT_DONE.search(question) else None
        if topic and not _SAME_TOWN_TOPIC.search(topic):
            return f"{question.rstrip(' ?')}, about {topic}?"  # "has that been passed yet" after "does boston follow the act"
        return f"{question.rstrip(' ?')} in {previous.towns[0]}?"
    question, read = the_other_one(question, previous.standalone)
    if read == "whole":
        return question
    if read == "replaced" and not _PRONOUNS.search(question):
        # "what does the senate version say about schools": about the earlier question's topic, no more
        topic = previous_topic(previous.standalone, registry)
        if topic and topic.lower() not in question.lower():
            return f"{question.rstrip(' ?')}, about {topic}?"
        return question
    towns_now = registry.find_in_question(question)
    body = _FOLLOWUP_OPENERS.sub("", question).strip(" ,?") if _FOLLOWUP_OPENERS.match(question) else question
    if towns_now and previous.towns and len(re.findall(r"[\w’']+", body)) <= len(" ".join(towns_now).split()) + 2:
        # "and Everett?" after a question about Quincy: the same question, about Everett.
        return swap_towns(previous.standalone, previous.towns, towns_now)
    opener = bool(_FOLLOWUP_OPENERS.match(question))
    place = towns_now[0] if len(towns_now) == 1 else re.sub(r"\s+county$", "", body.strip(" ,.!?").lower())
    if opener and (towns_now or len(place.split()) == 1) and len(body.split()) <= len(place.split()) + 2:
        # "same question for barnstable" (or "no i meant barnstable") after "did the plymouth sheriff …": the county
        # its sheriff is named by
        counties = registry.counties()
        county_word = re.search(r"\b([a-z]+)(?= (?:county|sheriff)\b)", previous.standalone, re.IGNORECASE)
        if not county_word and not previous.towns and _COUNTY_BUSINESS.search(previous.standalone):
            # "and plymouth?" after "when did barnstable get out of its 287g agreement", where a county's name on its
            # own was read as the county (no town found in it, and a sheriff's business asked about); not the
            # "hampshire" of New Hampshire
            words = re.finditer(r"(?<!\bnew )\b([a-z]+)\b", previous.standalone, re.IGNORECASE)
            county_word = next((word for word in words if word.group(1).lower() in counties), None)
        if county_word and county_word.group(1).lower() in counties and place.lower() in counties:
            return put_in(previous.standalone, county_word.start(), county_word.end(), place.lower())
    if towns_now and _PART_OF_THAT.search(question) and not previous.towns:
        # "was a group from chelsea part of that too?" after "who sued ICE over courthouse arrests": that lawsuit
        return f"{question.rstrip('?').rstrip()}, {_about(previous.standalone)}?"
    county_asked = bool(registry.counties_in(previous.standalone) or _COUNTY_BUSINESS.search(previous.standalone))
    if towns_now and opener and not previous.towns and len(towns_now) == 1 and not county_asked:
        # "and everett?" after "which police departments does the report call permissive": the earlier question, in
        # Everett; "and everett? what does theirs say", which asks nothing of its own: what it asks, about the earlier
        # question (not after a county's or a sheriff's question: "and everett?" then asks about Everett)
        if len(re.findall(r"[\w’']+", body)) <= len(towns_now[0].split()) + 2:
            return place_in_town(previous.standalone, towns_now[0])
        rest = re.sub(re.escape(towns_now[0]), " ", body, flags=re.IGNORECASE)
        if _PRONOUNS.search(rest) and not has_content(_SAYING.sub(" ", _PRONOUNS.sub(" ", rest))):
            return f"{question.rstrip(' ?')}, {_about(previous.standalone)}?"
    if towns_now:
        return question
    if opener and len(body.split()) <= 4:
        # "and bristol county?" after "when did plymouth county end its 287g agreement": the same question about
        # the new thing, put where the old thing of the same kind stood.
        swapped = swap_phrase(previous.standalone, body)
        if swapped:
            return swapped
    asked = question.strip(" ?").lower()
    if asked in {"why", "how", "when", "where", "who", "how come"}:
        # "why?" after "did the court vacate the injunction?": "why did the court vacate the injunction?"
        rest = re.sub(r"^\s*(what|who|when|where|why|how|which)\b\s*", "", previous.standalone, flags=re.I)
        return f"{asked} {rest[:1].lower()}{rest[1:]}"
    town = previous.towns[0] if len(previous.towns) == 1 else None
    pronoun = _PRONOUNS.search(question)
    if pronoun and _WHO_THEN.search(question[: pronoun.start()]) and pronoun.group(0).lower() in {"they", "them"}:
        # "who answers those queries, and where are they": they are whoever answers, not the earlier town's police
        pronoun = None
    word = pronoun.group(0).lower() if pronoun else ""
    lawsuit = _WHO_SUED.match(previous.standalone)
    if (
        lawsuit
        and pronoun
        and word in {"it", "its"}
        and _OF_A_LAWSUIT.search(question)
        and not _DUMMY_IT.search(question)
    ):
        # "what happened when it went up on appeal" after "who sued ICE in 2019 over courthouse arrests": the lawsuit
        phrase = f"the lawsuit against {lawsuit.group('rest').rstrip(' ?')}"
        return put_in(question, pronoun.start(), pronoun.end(), f"{phrase}'s" if word == "its" else phrase)
    if word in _PERSONAL:
        # "what did she say" after "is garcia from chelsea?": she is a person, not the town's police
        town = None
    bare = _BARE_COUNTY_OFFICE.search(question)
    county = previous_county(previous.standalone, registry)
    if bare and county and not town and not re.search(r"\bcounty\b", question, re.IGNORECASE):
        # "who was the sheriff back then" after a question about the bristol county sheriff's contract: that
        # county's sheriff (and "it", if the question has one, still what the earlier question was about)
        question = put_in(question, bare.start(), bare.end(), f"the {county} {bare.group(1)}")
        if not pronoun:
            return question
        pronoun = _PRONOUNS.search(question)
    officer = _COUNTY_OFFICER.search(previous.standalone)
    if (
        pronoun
        and word in {"he", "she", "his"}
        and county
        and officer
        and not _WHO_IS.match(previous.standalone)
        and not _WHO_DID.match(previous.standalone)
        and not _SOMEONE_ELSE.search(f"{previous.standalone} {question}")
    ):
        # "did she say whether she'd sign up again" after "what did the new cape cod sheriff do about the jail's ICE
        # agreement": she is the county's sheriff
        phrase = f"the {county} {officer.group(1).lower()}"
        return put_in(question, pronoun.start(), pronoun.end(), f"{phrase}'s" if word == "his" else phrase)
    topic = previous_topic(previous.standalone, registry)
    # "where's their office on the island" after "my son got arrested in oak bluffs, which DA handles that": the
    # DA's office, not the town's (only an office's own things: "how old were they" is about people)
    thing = _OFFICE_THING.match(question[pronoun.start() :]) if pronoun and word == "their" else None
    asked_for = _office_asked_for(previous.standalone, town, registry) if thing else None
    if pronoun and thing and asked_for:
        return put_in(question, pronoun.start(), pronoun.start() + thing.end(), f"the {thing.group(1)} of {asked_for}")
    if _POINTS_BACK.search(question) and not pronoun and not town:
        # "who signed the deal in the first place?" after "which sheriff dropped their ice deal on her first day in
        # office?": what the earlier question was about, whole
        subject = topic if topic and _SOMEONE.search(question) and _A_CASE.search(topic) else None
        # "where was the guy born" after "when was the lunn case decided": the one in the lunn case
        return f"{question.rstrip('?').rstrip()}, {_about(previous.standalone, subject)}?"
    people = _PEOPLE.search(previous.standalone)
    if people and pronoun and _ABOUT_PEOPLE.search(question):
        # "how old were they" after "what happened to those chelsea teens ice grabbed": they are the teens, not
        # the town's police
        phrase = re.sub(r"^how many\s+", "the ", people.group(0), flags=re.IGNORECASE)
        owned = f"{phrase}'" if phrase.lower().endswith("s") else f"{phrase}'s"  # "the teens'", "the children's"
        return put_in(question, pronoun.start(), pronoun.end(), owned if word == "their" else phrase)
    if town and _RUNS.search(question):
        return _PRONOUNS.sub(f"{town}'s police department", question, count=1)
    named = topic if town and word in {"it", "its"} else None
    if town and pronoun and named and not _DUMMY_IT.search(question):
        # "when was it started" after "what is the BRIC in boston": "it" is the thing asked about, not the town
        if not re.search(rf"\b{re.escape(town)}\b", named, re.IGNORECASE):
            first, _, rest = named.partition(" ")
            base = rest if rest and first.lower() in {"a", "an", "the", "some", "any"} else named
            if base[:1].islower() or base[:1].isdigit() or base.isupper():
                # "a sanctuary policy", "the BRIC", "the 287g program" asked of a town (or its county): its own
                owner = county or town
                named = f"{owner}'s {base}"
            # a proper name ("the Safe Communities Act", "Lunn v. Commonwealth") is the same wherever it is asked
        return put_in(question, pronoun.start(), pronoun.end(), f"{named}'s" if word == "its" else named)
    if (
        town
        and pronoun
        and word == "it"
        and not topic
        and _ASKED_IF_HAPPENED.match(previous.standalone)
        and not _IT_A_DOCUMENT.search(question)
    ):
        # "what did the mayor say about it" after "did everett cops hand a 13 year old over to ice?": what happened
        # (the earlier question names no thing "it" could be), not the town's policy
        return f"{question.rstrip(' ?')}, {_about(previous.standalone)}?"
    if town and pronoun:
        # "so what did they add to it" after "does worcester have a sanctuary ordinance": the city, not its police
        civic = _CIVIC.search(previous.standalone) and not _POLICE.search(previous.standalone)
        question = _replace_pronouns(question, town, civic=bool(civic))
        instead = re.search(r"\binstead\b(?! of\b)", question, re.IGNORECASE)
        if instead and topic:
            # "what do they have instead" after "does worcester have a sanctuary ordinance": instead of that
            question = put_in(question, instead.end(), instead.end(), f" of {topic}")
        return question
    if town:
        return f"{question.rstrip('?').rstrip()} in {town}?"
    acted = _same_act(question, previous.standalone)
    if acted:
        return acted
    person = _WHO_IS.match(previous.standalone)
    doer = _WHO_DID.match(previous.standalone)
    if doer and not person and pronoun and word in _PERSONAL:
        # "how old was he" after "who signed plymouth county's 287g agreement": the one who signed it
        subject = f"the person who {doer.group('act')}"
        return put_in(question, pronoun.start(), pronoun.end(), f"{subject}'s" if word in {"his", "her"} else subject)
    if person and pronoun and word in _PERSONAL:
        # "did he work with ice" after "who is the bristol county sheriff": he is the one asked about
        subject = person.group("subject").strip()
        return put_in(question, pronoun.start(), pronoun.end(), f"{subject}'s" if word in {"his", "her"} else subject)
    agency = _AGENCY.search(previous.standalone)
    if agency and pronoun and word == "it" and _RUNS.search(question):
        # "who was running it back then" after "did the plymouth county jail have …": who ran the jail
        return put_in(question, pronoun.start(), pronoun.end(), agency.group(0))
    if agency and pronoun and word in {"they", "them", "their"}:
        # "why did they stop" after "did the plymouth sheriff have a 287g agreement": they are the agency
        phrase = agency.group(0)
        return put_in(question, pronoun.start(), pronoun.end(), f"{phrase}'s" if word == "their" else phrase)
    federal = _FEDERAL.search(previous.standalone) and not _SOMEBODY.search(previous.standalone)
    if federal and not agency and pronoun and word in {"they", "them", "their"} and not re.search(r"\bit\b", question):
        # "can i film them" after "what does the AG guide say if ice shows up at my house": ICE's agents, not the guide
        phrase = "ICE agents"
        return put_in(question, pronoun.start(), pronoun.end(), f"{phrase}'" if word == "their" else phrase)
    if county and not agency and pronoun and word in {"they", "them", "their"}:
        # "are they still holding people for ice" after "did plymouth county ever end its 287g deal": a county's
        # dealings with ICE are its sheriff's
        phrase = f"the {county} sheriff's office"
        return put_in(question, pronoun.start(), pronoun.end(), f"{phrase}'s" if word == "their" else phrase)
    if county and pronoun and word == "there":
        # "what happened to the people held there" after a question about Bristol County's jail
        return question[: pronoun.start()] + f"in {county}" + question[pronoun.end() :]
    held = _held_by(topic, agency.group(0) if agency else county) if topic else ""
    if topic and pronoun and word != "there" and word not in _PERSONAL:
        if held != topic:
            return _PRONOUNS.sub(held, question, count=1)
        if word in {"they", "them"} and _ONE_THING.search(topic):
            # "and if they say no?" after a question about my town's police policy: "they" are whoever answers for
            # it, not the policy; an "it" after them is the thing ("when did they pass it": the act)
            it = re.search(r"\bit\b", question[pronoun.end() :], re.IGNORECASE)
            if it:
                return put_in(question, pronoun.end() + it.start(), pronoun.end() + it.end(), topic)
            return f"{question.rstrip('?').rstrip()}, about {topic}?"
        return _PRONOUNS.sub(topic, question, count=1)
    phrase = body.strip(" ?")
    if (
        topic
        and opener
        and phrase
        and (_TOPIC.fullmatch(phrase) or topic.split()[-1].lower() == phrase.split()[-1].lower())
    ):
        # "and the PROTECT Act?" after a question about the Safe Communities Act: the same question about it
        at = previous.standalone.index(topic)
        return put_in(previous.standalone, at, at + len(topic), phrase)
    if topic and not opener and _WHICH.match(previous.standalone) and (pronoun or _POINTS_BACK.search(question)):
        # "who was the sheriff there back then" after "which sheriff's 287g deal did dhs cancel in may 2021": the
        # one the earlier answer named, found by asking about all of that question
        return f"{question.rstrip('?').rstrip()}, about {previous.standalone.rstrip('?').strip()}?"
    if topic and not opener:
        return f"{question.rstrip('?').rstrip()} about {held}?"  # "when did that end": the sheriff's agreement
    subject = _QUESTION_OPENING.sub("", previous.standalone).rstrip("?").strip()
    subject = re.sub(r"\s+about$", "", subject)  # "what was ryan v ice about": about ryan v ice
    return f"{body.rstrip('?').rstrip() if opener else question.rstrip('?').rstrip()}, about {subject}?"


# "is it legal…", "it takes…": an "it" that stands for nothing the earlier question named.
_DUMMY_IT = re.compile(
    r"\b(?:is|was|isn['’]t|wasn['’]t) it (?:legal|illegal|true|possible|ok|okay|allowed|against|safe|normal|common|"
    r"too late|worth)\b|\bit(?:['’]s| is| was) (?:legal|illegal|true|possible|ok|okay|allowed|against|safe|normal|"
    r"common|too late|worth)\b|\bit takes\b",
    re.IGNORECASE,
)
# "why did they end it" after "when did dhs end bristol county's 287g agreement": the same act, asked again of the
# same doer and thing ("why did dhs end bristol county's 287g agreement").
_DID_THEY = re.compile(
    r"^\s*(?P<wh>(?:and |so )?(?:why|when|how|where|who)) (?P<aux>did|does|do|would|will|could|can) "
    r"(?:they|he|she) (?P<verb>[a-z]+) (?:it|that|them|this)\b(?P<rest>.*)$",
    re.IGNORECASE,
)


# A question asking who does something, then more about them ("who answers those queries and where are …")
_WHO_THEN = re.compile(r"\bwho\b[^?]{3,}\band\s+(?:where|what|how|when|why|which)\b[^?]*$", re.IGNORECASE)


# A follow-up rewritten by naming what the conversation is about after it ("who ended it and when, about did the
# barnstable county sheriff ever …?"): the follow-up's own words, then the topic.
_WITH_TOPIC = re.compile(r"^(?P<own>.+?), about (?P<topic>.+)$", re.DOTALL)


def own_words(standalone: str) -> str | None:
    """The follow-up's own question in a standalone question written as "<follow-up>, about <topic>?", else None."""
    found = _WITH_TOPIC.match(standalone)
    return found.group("own") if found else None


# The end of a sentence of a typed question: a stop, "?" or "!" and a space, or a line break (an abbreviation's stop
# ends none)
_TYPED_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
# A sentence that asks: it ends with "?" or opens with a question word
_ASKS = re.compile(rf"\?\s*$|^\W*(?:{'|'.join(sorted(QUESTION_WORDS))})\b")
# … or, the last one, asks after a comma ("i heard the sheriff tore that deal up, who was it and when"; earlier, ", when
# ice showed up" tells the story)
_ASKS_AFTER_COMMA = re.compile(r",\s*(?:who|what|when|where|why|how|which)\b")
_STORY_WORDS = 6


def typed_sentences(question: str, end: re.Pattern[str] = _TYPED_END) -> list[str]:
    """The sentences of a typed question (lower case and all: a stop, "?" or "!" and a space, or a line break; or
    where `end` says)."""
    parts: list[str] = []
    for piece in end.split(question.strip()):
        if parts and is_abbreviation(parts[-1]):
            parts[-1] = f"{parts[-1]} {piece}"  # "on main st. can they …": one sentence
        elif piece:
            parts.append(piece)
    return parts


def _asks(sentence: str, last: bool) -> bool:
    lowered = sentence.lower()
    return bool(_ASKS.search(lowered) or (last and _ASKS_AFTER_COMMA.search(lowered)))


def asked_part(question: str) -> str | None:
    """What is asked in a question typed as a story first ("immigration agents took my dad this morning and nobody
    will tell us where he is. how do we find him"): the sentences that ask, when at least `_STORY_WORDS` words that
    ask nothing come before the first of them and they have words of their own besides question words ("why?" has
    none); else None."""
    parts = typed_sentences(question)
    asking = [i for i, part in enumerate(parts) if _asks(part, i == len(parts) - 1)]
    if len(parts) < 2 or not asking or asking[0] == 0:
        return None  # one sentence, or a question first ("did they have a 287g deal? who signed it"): no story
    asked = " ".join(parts[i] for i in asking)
    own = " ".join(w for w in re.findall(r"[\w'’]+", asked.lower()) if w not in QUESTION_WORDS)
    if len(" ".join(parts[: asking[0]]).split()) < _STORY_WORDS or not has_content(own):
        return None
    return asked


# Chat filler that asks nothing by itself ("ok so, about the bristol jail, …": "ok so")
_FILLER = frozenset(
    [
        "ok",
        "okay",
        "hey",
        "hi",
        "so",
        "and",
        "but",
        "um",
        "uh",
        "yeah",
        "well",
        "hmm",
        "oh",
        "wait",
        "also",
        "then",
        "right",
        "now",
        "please",
        "pls",
        "thanks",
    ]
)


def has_content(words: str) -> bool:
    """Whether the words hold one that is neither chat filler nor a stop word."""
    return any(
        word not in _FILLER and word not in STOPWORDS and len(word) > 2
        for word in re.findall(r"[\w'’]+", words.lower())
    )


# An earlier question asking whether something happened ("did everett cops hand a 13 year old over to ice?"), and
# an "it" that is a document read or quoted ("what does it say about minors", "where can i read it"): the town's.
_ASKED_IF_HAPPENED = re.compile(r"^\W*(?:so |and |wait |ok )?(?:did|has|had|was|were)\b", re.IGNORECASE)
_IT_A_DOCUMENT = re.compile(
    r"\bit (?:say|says|said|allow|allows|require|requires|cover|covers|mention|mentions|ban|bans|break|breaks|permit|"
    r"permits|let|lets)\b|\b(?:read|see|find|get|download|view|request) it\b|\bit (?:online|posted|public)\b",
    re.IGNORECASE,
)


def _about(previous: str, subject: str | None = None) -> str:
    """ "about" what an earlier question asked: the subject given, or the question without its opening words."""
    return "about " + (subject or _QUESTION_OPENING.sub("", previous).rstrip("?").strip())


def _same_act(question: str, previous: str) -> str | None:
    asked = _DID_THEY.match(question)
    if not asked:
        return None
    verb = asked.group("verb").lower()
    done = re.search(
        rf"\b(?:did|does|do|would|will|could|can|has|have|had) (?P<doer>[\w’' ]{{1,40}}?) "
        rf"(?P<verb>{re.escape(verb[:4])}\w*) (?P<thing>[^?]+)",
        previous,
        re.IGNORECASE,
    )
    if not done:
        return None
    rest = asked.group("rest").rstrip(" ?")
    return f"{asked.group('wh')} {asked.group('aux')} {done.group('doer')} {verb} {done.group('thing').strip()}{rest}?"


# "who is the bristol county sheriff": the person a later "he" or "she" stands for.
_WHO_IS = re.compile(r"^\s*who(?:['’]s| is| was)\s+(?P<subject>(?:the )?[\w’' ]{3,60}?)\s*\??\s*$", re.IGNORECASE)
# An agency an earlier question asked about ("the plymouth sheriff", "the boston police"): what "they" stand for.
_AGENCY = re.compile(
    r"\bthe (?:[a-z]+ ){0,2}?(?:county )?(?:sheriff(?:['’]s (?:office|department))?|police(?: department)?|"
    r"district attorney|city council|select board|town meeting|jail|department of correction|trial court)\b|"
    # "plymouth county sheriff" (not "which county sheriff", "every county jail")
    r"\b(?<!the )(?!(?:which|what|every|any|each|a|one|that|this|whose|no|some)\b)[a-z]+ county "
    r"(?:sheriff(?:['’]s (?:office|department))?|jail|district attorney)\b",
    re.IGNORECASE,
)
# "who signed plymouth county's 287g agreement": the one a later "he" or "she" stands for.
_WHO_DID = re.compile(
    r"^\s*who\s+(?P<act>(?!(?:is|was|are|were|['’]s|does|did|do|should|would|could|can|will|shall|must|might|may|has|"
    r"had|have|else)\b)[a-z]+\b[^?]{3,80}?)\s*\??\s*$",
    re.I,
)
# People an earlier question asked about ("those chelsea teens", "the detainees": a determiner, at most two plain
# words, the people), and a question about them rather than about what an agency did ("how old were they", "were
# they released", "what happened to them"; not "are they allowed to", which is the agency's).
_PEOPLE = re.compile(
    r"\b(?:those|these|the|how many)\s+(?:(?!(?:of|the|a|an|and|or|to|for|with|by|in|on|at|about|police|sheriff|"
    r"rights|hold|held|treat|ask|asked|arrest|arrested)\b)[a-z’'-]+\s+){0,2}?(?:teens|teenagers|kids|juveniles|children|"
    r"minors|immigrants|detainees|students|families|residents|workers|migrants|people|persons|men|women|boys|girls)\b",
    re.IGNORECASE,
)
_ABOUT_PEOPLE = re.compile(
    r"\bhow old (?:were|are) they\b|"
    r"\b(?:were|are) they (?:ever |even |all |later |eventually |still )?(?:released|deported|detained|charged|arrested|"
    r"freed|sent|moved|taken|transferred|let go|reunited|citizens|minors|juveniles|undocumented|picked up)\b|"
    r"\bwhat (?:were|are) they (?:even |actually |originally )?(?:arrested|charged|detained|held|picked up|booked)\b|"
    r"\bwhere (?:were|are) they (?:taken|sent|moved|held|now)\b|\bwhat happened to them\b|"
    r"\btheir (?:ages?|names?|families|lawyers?|parents)\b",
    re.IGNORECASE,
)
# A thing named by kind, not by name ("a 287g agreement", "the detention contract"; not "the ACLU report").
_GENERIC = re.compile(r"(?:a|an|the)\s+(?:[a-z0-9()’'-]+\s+)*[a-z0-9()’'-]+$")


def _held_by(topic: str, holder: str | None) -> str:
    """A thing named by kind as the holder's own ("a 287g agreement" the earlier question asked the plymouth sheriff,
    or plymouth county, about: "the plymouth sheriff's 287g agreement"); any other topic as it is."""
    if holder and _GENERIC.match(topic) and holder.lower() not in topic.lower():
        return f"{holder}'s {topic.split(' ', 1)[1]}"
    return topic


# ICE as the doer in an earlier question ("if ice shows up", "when immigration agents come"): what "they" then are.
_FEDERAL = re.compile(
    r"\b(?:ice|immigration agents|federal agents|ice agents|ice officers|the feds|immigration officers)\b"
    r"(?= (?:shows?|showed|comes?|came|knocks?|knocked|arrives?|arrived|stops?|stopped|asks?|asked|is|are|was|were|"
    r"agents|officers|tries|wants|has|have)\b)",
    re.IGNORECASE,
)
# Someone other than ICE an earlier question names, whom a later "they" may stand for ("my cousin", "the kids").
_SOMEBODY = re.compile(
    r"\b(?:my|our|your|his|her|their|the|a) (?:[\w’'-]+ )?(?:kids?|children|child|cousin|family|families|landlord|"
    r"neighbou?rs?|friends?|parents?|mom|dad|mother|father|brother|sister|husband|wife|son|daughter|relatives?|"
    r"tenants?|workers?|employees?|students?|people|person|uncle|aunt)\b|\b(?:someone|somebody|anyone|everyone)\b|"
    r"\bice agents\b",
    re.IGNORECASE,
)
# A person pointed at ("the guy", "that woman"), whom a case the earlier question named is about.
_A_CASE = re.compile(r"\b(?:case|v\.?|vs\.?|lawsuit|ruling|decision|trial)(?:\s|$)", re.IGNORECASE)
_SOMEONE = re.compile(r"\b(?:the|that) (?:guy|man|woman|lady|person)\b(?! who\b)", re.IGNORECASE)
# A single written thing, which "they" never stands for.
_ONE_THING = re.compile(
    r"\b(?:act|agreement|order|ordinance|policy|bill|law|report|case|ruling|decision|guide|bylaw|memo|letter|toolkit|"
    r"database|program|contract)\W*$",
    re.IGNORECASE,
)
# Pronouns for a person: never replaced by a town's name.
_PERSONAL = {"he", "she", "his", "her", "him"}
# "Who runs it?": the department, not "its policy".
_RUNS = re.compile(
    r"\bwho (runs|leads|heads|is in charge of|oversees|manages|is the chief of|ran|led|headed|was in charge of|"
    r"oversaw|managed|was the chief of|(?:is|was) (?:running|leading|heading|managing))\b",
    re.IGNORECASE,
)
_WHICH = re.compile(r"^\s*which\b", re.IGNORECASE)
_QUESTION_OPENING = re.compile(
    r"^\s*(?:(what|who|when|where|why|how|which)( \w+)?\s+(is|are|was|were|do|does|did)\b|"
    # "tell me about lunn v. commonwealth", "can you explain the trust act"
    r"(?:(?:can|could) you |pls |please )?(?:tell me|explain)\b(?: more| a bit)?(?: about\b)?)\s*",
    re.I,
)


def swap_phrase(question: str, phrase: str) -> str | None:
    """The question with the phrase put in place of the one of the same kind (its last word: "county", "act")."""
    words = phrase.strip(" ?").split()
    if not words or len(words) < 2:
        return None
    head = words[-1]
    thing = _named_thing(question)
    if thing and thing.group(0).split()[-1].lower().rstrip("s") == head.lower().rstrip("s"):
        if thing.group(0).lower() == phrase.strip(" ?").lower():
            return None
        # "what's the protect act" + "the safe communities act": the earlier thing's words, not its question's
        return put_in(question, thing.start(), thing.end(), " ".join(words))
    # the old phrase: as many words before the kind as the new one has, fewer if a question word would be among them
    # ("did the plymouth sheriff …" + "the bristol county sheriff": "the plymouth sheriff", not "did the plymouth …")
    asking = "|".join(sorted(QUESTION_WORDS))
    match = None
    for count in range(len(words) - 1, 0, -1):
        pattern = rf"(\b(?!(?:{asking})\b)[\w’'()-]+\s+){{{count}}}{re.escape(head)}\b"
        match = re.search(pattern, question, re.IGNORECASE)
        if match:
            break
    if not match or match.group(0).lower() == phrase.strip(" ?").lower():
        return None
    return put_in(question, match.start(), match.end(), " ".join(words))


# An office an earlier question asked for: "which DA handles that", "who's the da for barnstable county", "who
# prosecutes crimes on the cape" (the office the head of what is asked: not "which sheriff offices have …", "what court
# rulings …"); and an office's own things a follow-up asks of "their" ("their offices", "their phone number").
_OFFICES = r"district attorney|da|d\.a\.|prosecutor|sheriff|judge|court"
_OFFICE_ASKED_FOR = re.compile(
    rf"\b(?:which|what) (?P<office>{_OFFICES})(?!\w)(?:['’]s office)?"
    r"(?=\s+(?:handles?|handled|prosecutes?|prosecuted|hears?|heard|runs?|covers?|is|was|will|would|do|does|did|can|"
    r"could|should|for|in|on|over|that|has|gets?|takes?|goes|go)\b|\s*[?,.!]|\s*$)(?P<rest>[^?]{0,80})|"
    rf"^\s*who(?:['’]s| is| was) (?P<named>the (?:{_OFFICES})(?!\w)[^?]{{0,60}}?)\s*\??\s*$|"
    r"^\s*who (?P<act>(?:prosecutes|handles|hears|decides|represents|runs)\b[^?]{3,80}?)\s*\??\s*$",
    re.I,
)
_OFFICE_THING = re.compile(
    r"their\s+((?:main\s+|local\s+|phone\s+|street\s+|web\s+)?"
    r"(?:offices?|courthouses?|websites?|numbers?|addresses?))\b",
    re.I,
)


def _office_asked_for(previous: str, town: str | None, registry: TownRegistry) -> str | None:
    """The office an earlier question asked for, as a follow-up's "their" stands for it: "the DA for Dukes County"
    (asked of Oak Bluffs), "the da for barnstable county", "whoever prosecutes crimes on the cape"; None when it asked
    for none."""
    match = _OFFICE_ASKED_FOR.search(previous)
    if not match:
        return None
    if match.group("named"):
        return match.group("named").strip()
    place = registry.get(town) if town else None
    act = match.group("act")
    if act and place and place.county and act.lower().startswith("prosecutes"):
        return f"the district attorney for {place.county} County"  # prosecuting is the county's DA's work
    if act:
        return f"whoever {act.strip()}"
    office = match.group("office")
    if place and place.county and office.lower() not in {"court", "judge"}:
        return f"the {office} for {place.county} County"  # a town's DA and sheriff are its county's
    if town:
        return f"the {office} for {town}"
    rest = match.group("rest").strip(" ,.")
    return f"the {office} that {rest}" if rest else f"the {office}"


def put_in(question: str, start: int, end: int, phrase: str) -> str:
    """The question with question[start:end] replaced by the phrase, whose article is dropped when a determiner
    already stands before the span ("which 287g agreement" → "which bristol county agreement", not "which the …")."""
    before = question[:start]
    words = phrase.split()
    determined = re.search(r"\b(the|a|an|its|this|that|which|what|whose)\s+$", before, re.IGNORECASE)
    own = re.match(r"(the|a|an)\s+", question[start:end], re.IGNORECASE)
    if len(words) > 1 and words[0].lower() in {"the", "a", "an"} and (determined or own):
        phrase = (own.group(0) if own else "") + " ".join(words[1:])  # the question's own article stays
    return before + phrase + question[end:]


def swap_towns(question: str, old: list[str], new: list[str]) -> str:
    """The question with its town names replaced by the new ones (possessives kept)."""
    result = question
    for index, town in enumerate(old):
        replacement = new[min(index, len(new) - 1)]
        result = re.sub(rf"\b{re.escape(town)}\b", replacement, result, flags=re.IGNORECASE)
    if len(new) > len(old):
        extra = " and ".join(new[len(old) :])
        result = re.sub(rf"\b{re.escape(new[len(old) - 1])}\b", f"{new[len(old) - 1]} and {extra}", result, count=1)
    return result


# What a town does as a town (an ordinance, a vote, its mayor), and what its police do.
_CIVIC = re.compile(
    r"\b(ordinances?|bylaws?|executive orders?|councils?|town meeting|select ?board|selectmen|trust act)\b",
    re.IGNORECASE,
)
_POLICE = re.compile(r"\b(police|cops|pd|officers?|department|chief)\b", re.IGNORECASE)


def _replace_pronouns(question: str, town: str, civic: bool = False) -> str:
    def substitute(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if word in {"their", "its", "theirs", "his", "her"}:
            return f"{town}'s"
        if word in {"there"}:
            return f"in {town}"
        if word in {"they", "them"} and civic:
            return f"{town} officials"
        if word in {"they", "them", "he", "she"}:
            return f"{town} police"
        if word == "it":
            return f"{town}'s policy"
        return town if "town" in word or "city" in word else f"{town}'s {word.split()[-1]}"

    return _PRONOUNS.sub(substitute, question, count=1)


@dataclass
class Conversation:
    """The turns so far, oldest first."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, question: str, standalone: str, towns: list[str]) -> None:
        self.turns.append(Turn(question, standalone, towns))
