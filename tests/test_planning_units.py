"""How a question is planned before anything is searched: follow-ups about a lower-case topic, and comparisons of
two things that are not towns."""

from __future__ import annotations

import pytest

from assistant.chat import Turn, asked_part, previous_topic, rewrite_question
from assistant.plan import compared_things, label_words
from corpus.towns import load_towns

TOWNS = load_towns()


def follow(previous: str, question: str) -> str:
    return rewrite_question(question, [Turn(previous, previous, TOWNS.find_in_question(previous))], TOWNS)


def test_a_lower_case_topic_is_what_a_follow_up_leans_on() -> None:
    assert previous_topic("what would the safe communities act do?", TOWNS) == "the safe communities act"
    assert previous_topic("which 287g agreement is still active in massachusetts", TOWNS) == "287g agreement"
    assert previous_topic("who prosecutes crimes on the cape", TOWNS) is None
    assert previous_topic("what happened with the executive order", TOWNS) == "the executive order"
    assert previous_topic("what did the judge say in the lunn case", TOWNS) == "the lunn case"
    assert follow("which 287g agreement is still active in massachusetts", "does the governor back it") == (
        "does the governor back 287g agreement"
    )
    assert follow("what would the safe communities act do?", "are there any exceptions") == (
        "are there any exceptions about the safe communities act?"
    )


def test_a_follow_up_naming_another_thing_of_the_same_kind_swaps_it_in() -> None:
    assert follow("What did the Safe Communities Act propose?", "and the PROTECT Act?") == (
        "What did the PROTECT Act propose?"
    )
    assert follow("when did plymouth county end its 287g agreement", "and bristol county?") == (
        "when did bristol county end its 287g agreement"
    )
    assert follow("Is there a 287g agreement in Plymouth County?", "and the bristol agreement?") == (
        "Is there a bristol agreement in Plymouth County?"
    )
    assert follow("which 287g agreement is still active", "and the bristol county agreement?") == (
        "which bristol county agreement is still active"
    )
    # "the house" is not a kind of vote: the earlier question is kept whole rather than garbled
    assert "senate" in follow("what was the senate vote on the protect act?", "and the house?")


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("safe communities act vs protect act - did either one become law?", ["safe communities act", "protect act"]),
        ("Which courts decided Lunn v. Commonwealth and Ryan v. ICE?", ["Lunn v. Commonwealth", "Ryan v. ICE"]),
        (
            "Which 287(g) agreement started earlier, Barnstable County's or Plymouth County's?",
            ["Barnstable County's", "Plymouth County's"],
        ),
        # the noun after the second thing goes with the first too
        (
            "plymouth vs barnstable sheriffs — when did each one drop their 287g?",
            ["plymouth sheriffs", "barnstable sheriffs"],
        ),
        (
            "what came out first, the ag's know your rights guide or the trial court's ice policy",
            ["the ag's know your rights guide", "the trial court's ice policy"],
        ),
        # "did either A or B …": each asked the question alone, a noun after B going with A too
        (
            "did either the plymouth or the barnstable sheriff keep their 287g agreement?",
            ["the plymouth sheriff", "the barnstable sheriff"],
        ),
        (
            "did either the safe communities act or the protect act actually become law?",
            ["the safe communities act", "the protect act"],
        ),
        ("lunn v commonwealth vs ryan v ice: which court decided each one?", ["lunn v commonwealth", "ryan v ice"]),
        # one thing of two owners, named once: each owner's
        (
            "which ended first, bristol county's 287g agreement or plymouth's",
            ["bristol county's 287g agreement", "plymouth's 287g agreement"],
        ),
        ("which came first, bristol's or plymouth's 287g deal", ["bristol's 287g deal", "plymouth's 287g deal"]),
        # two owners of one common noun, and a second owner asked "and B's?"
        (
            "end dates for the 287g programs of the bristol and plymouth sheriffs?",
            ["the bristol sheriffs", "the plymouth sheriffs"],
        ),
        (
            "bristol's 287g agreement ended when, and plymouth's?",
            ["bristol's 287g agreement", "plymouth's 287g agreement"],
        ),
        (
            "When did the Bristol County and Plymouth County sheriffs' 287(g) agreements end?",
            ["the Bristol County sheriffs", "the Plymouth County sheriffs"],
        ),
        # "A vs B on a topic": both asked about it
        (
            "biometric update vs gbh on courthouse ice arrests - what number did each give",
            ["biometric update", "gbh"],
        ),
        # "A and B both …, … each one …"
        (
            "the eastbrook council order and the eastbrook police policy both want a yearly report — who gets each one",
            ["the eastbrook council order", "the eastbrook police policy"],
        ),
        # "A's X and its Y": the second is A's too
        (
            "eastbrook's police policy and its council order both call for a yearly report, who gets it under each?",
            ["eastbrook's police policy", "eastbrook's council order"],
        ),
        # "…, and when did B?": the second thing asked the first one's question
        (
            "when did framingham police leave the 287g program, and when did the plymouth county sheriff?",
            ["framingham police", "the plymouth county sheriff"],
        ),
        ("when did framingham pd leave 287g, and when did plymouth?", ["framingham pd", "plymouth"]),
        # "A and B each": each asked the rest of the question alone
        ("when did bristol and plymouth each lose their 287g agreements", ["bristol", "plymouth"]),
        (
            "did the safe communities act and the protect act each pass the senate",
            ["the safe communities act", "the protect act"],
        ),
        # "how does A differ from B (in …)": each asked what they are compared on
        (
            "How does Lunn v. Commonwealth differ from Ryan v. ICE in which court decided it?",
            ["Lunn v. Commonwealth", "Ryan v. ICE"],
        ),
        (
            "how does the senate bill compare to the house bill on courthouse arrests",
            ["the senate bill", "the house bill"],
        ),
        # the second side named by its owner alone owns the first side's thing too
        (
            "how did the end of bristol's 287g deal differ from plymouth's",
            ["the end of bristol's 287g deal", "plymouth's 287g deal"],
        ),
        ("how does boston's trust act differ from cambridge's", ["boston's trust act", "cambridge's trust act"]),
        # "A and B sheriffs both …": each one's sheriffs
        (
            "plymouth and barnstable sheriffs both quit helping ICE at some point - when did each one stop?",
            ["plymouth sheriffs", "barnstable sheriffs"],
        ),
        # "A and B, when did each one …": the two named first, each asked what follows the comma
        (
            "suffolk sheriff and franklin county sheriff, when did each one stop keeping immigration detainees for ice?",
            ["suffolk sheriff", "franklin county sheriff"],
        ),
        # "who signed A and who signed the B one": one question of two things, "the B one" of A's kind
        (
            "who signed the plymouth jail's 287g deal and who signed the cape cod one",
            ["the plymouth jail's 287g deal", "the cape cod 287g deal"],
        ),
        (
            "eastbrook's council order and its police policy 415, when does each take effect?",
            ["eastbrook's council order", "eastbrook's police policy 415"],
        ),
        # one owner's thing compared to another owner's: the same kind of thing
        (
            "who ended bristol county's 287g agreement compared to plymouth's, and when did plymouth's end?",
            ["bristol county's 287g agreement", "plymouth's 287g agreement"],
        ),
        # two owners of one thing: each owner's
        (
            "how did bristol's and plymouth's 287g deals with ICE end, and when?",
            ["bristol's 287g deals", "plymouth's 287g deals"],
        ),
        (
            "what do boston's and cambridge's ordinances say about detainers",
            ["boston's ordinances", "cambridge's ordinances"],
        ),
        (
            "bristol county's and plymouth county's jail deals with ICE both ended. when did each one stop?",
            ["bristol county's jail", "plymouth county's jail"],
        ),
        # a thing with its own place or party stays the first owner's
        ("how does ice's deal with bristol differ from plymouth's", ["ice's deal with bristol", "plymouth's"]),
    ],
)
def test_two_things_compared_are_asked_about_apart(question: str, labels: list[str]) -> None:
    things = compared_things(question)
    assert things is not None
    assert [label for label, _ in things] == labels
    for label, query in things:
        assert label in query
        assert not any(other in query for other in labels if other != label)
        assert "each one" not in query and "either one" not in query  # asked of one thing: "it"


@pytest.mark.parametrize(
    "question",
    [
        "is it legal to film ICE, or record them?",
        "does the town have a policy on ICE or not",
        "what did the Safe Communities Act propose?",
        "can police ask about immigration status, yes or no?",
        "Does the policy apply to students, workers or tourists?",
        "What did the SJC hold about the Trust Act and ICE?",
        "Explain the PROTECT Act and Safe Communities Act",
        "Lunn vs Commonwealth: what did the court hold?",
        # "each other" and "each person" are no "A and B each …"
        "do police and ice talk to each other in boston",
        "does the police and ice share data on each person",
        "lunn vs ryan v ice, what courts decided them",  # "ryan v ice" is no noun shared with "lunn"
        "is ICE allowed to either arrest or detain people at court",  # two verbs, no things
        "does the policy say police either can or cannot ask about status",  # two ways of saying
        "lunn vs commonwealth on detainers: what did the court say",  # a case's name, with a topic
        "police and ice both share data with each other",
        "if ice and the police show up, what does each one do",  # a clause, not two things
        # people and events, not things compared (misfires a review found)
        "my brother and i, what can each of us do if ice stops us",
        "ice came and arrested my dad, what do i do for each of my kids",
        "which sheriff signed up and which sheriff signed the deal",
        "who took my dad and who took my brother",
        "who voted for it and who voted against it",
        "who got arrested at the courthouse and who got released",
        # a second question, not a second thing
        "why did the sheriff end the deal, and why did he keep the contract?",
        "after plymouth ended 287g what did the jail keep doing for ICE, and how did prisoner advocates react",
        "when did bristol county sign the 287g agreement, and who was the sheriff?",
        "when did the sheriff end the deal, and when did advocates react?",
        "did the suffolk county and middlesex county district attorneys issue guidance",
        "so the mayor and the council both signed off on each version?",
        # "the 2014 one" and "it" lean on something named before: no second thing
        "how is the 2019 boston trust act different from the 2014 one",
        "how is it different from the house bill",
        "how is the current policy different from before",
        "how does ours compare to boston's",
        "how does my situation differ from someone with a green card",
        "how do the rules differ from state to state",
        "how did the vote compare to 2019",
        # a contraction is no owner, "my town's" no owner to swap, and a second owner naming its own thing is left
        "what's the rule compared to boston's",
        "my town's policy compared to boston's",
        "was it bristol's and plymouth's or just bristol's",
    ],
)
def test_a_question_that_compares_nothing_is_not_split(question: str) -> None:
    assert compared_things(question) is None


def test_a_comparison_of_two_laws_quotes_each_under_its_label(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    plan = fixture_assistant.plan("Which courts decided Lunn v. Commonwealth and Ryan v. ICE?")
    assert plan.kind == "compare"
    assert [r.label for r in plan.requests] == ["Lunn v. Commonwealth", "Ryan v. ICE"]


@pytest.mark.parametrize(
    ("previous", "question", "standalone"),
    [
        # "he" is the person the earlier question asked about
        ("who is the bristol county sheriff", "did he work with ice", "did the bristol county sheriff work with ice"),
        # "they" is the agency asked about, and "it" the agency's own agreement
        ("did the plymouth sheriff have a 287g agreement", "why did they stop", "why did the plymouth sheriff stop"),
        (
            "did the plymouth sheriff have a 287g agreement",
            "when did it end",
            "when did the plymouth sheriff's 287g agreement end",
        ),
        # the same question about another county's sheriff
        (
            "did the plymouth sheriff have a 287g agreement",
            "same question for barnstable",
            "did the barnstable sheriff have a 287g agreement",
        ),
        # a county's name alone, read as the county, is swapped for another county's
        (
            "when did barnstable get out of its 287g agreement",
            "and plymouth?",
            "when did plymouth get out of its 287g agreement",
        ),
        # who ran "it" is who ran the agency asked about, not its agreement
        (
            "did the plymouth county jail have a 287g agreement with ice",
            "who was running it back then?",
            "who was running the plymouth county jail back then?",
        ),
        # the same act asked again of the same doer and thing
        (
            "when did dhs end bristol county's 287g agreement?",
            "why did they end it",
            "why did dhs end bristol county's 287g agreement?",
        ),
        # another thing of the same kind takes the earlier thing's place, not its question words'
        ("what's the protect act", "what about the safe communities act", "what's the safe communities act"),
        # no pronoun, yet it leans on the earlier question: "the guy", "the original one", "back then"
        (
            "what did that tewksbury detective do with ice?",
            "what was the guy picked up for",
            "what was the guy picked up for in Tewksbury?",
        ),
        (
            "what did cambridge change in its welcoming ordinance in 2025",
            "when was the original one passed",
            "when was the original one passed in Cambridge?",
        ),
        (
            "when was the boston trust act amended",
            "what did the first one make the police commissioner do",
            "what did the first one make the police commissioner do in Boston?",
        ),
        # a county's sheriff named without "the" is still the agency whose agreement "it" is
        (
            "why did plymouth county sheriff drop the 287g program",
            "and the guy who signed it in the first place?",
            "and the guy who signed plymouth county sheriff's 287g program in the first place?",
        ),
        # "the sheriff" bare is the sheriff of the county the earlier question named
        (
            "when did dhs cut off the bristol county sheriff's ice contract",
            "who was the sheriff back then",
            "who was the Bristol County sheriff back then",
        ),
        (
            "how did the bristol county sheriff's 287g agreement end?",
            "what did the sheriff say about it",
            "what did the Bristol County sheriff say about bristol county sheriff's 287g agreement",
        ),
        # chat filler before the opener is no part of the question
        (
            "when did plymouth county end its 287g agreement",
            "ok so and bristol county?",
            "when did bristol county end its 287g agreement",
        ),
        ("what is quincy police policy on ice", "wait, so what about everett?", "what is Everett police policy on ice"),
        # "that office" leans on the earlier question as "it" does
        (
            "who's the prosecutor for cape cod and the islands",
            "what towns is that office in?",
            "what towns is that office in, about who's the prosecutor for cape cod and the islands?",
        ),
        (
            "when did amherst town meeting pass the sanctuary bylaw",
            "isn't there an older resolution",
            "isn't there an older resolution in Amherst?",
        ),
        # "is there …" / "was there …" asks whether something exists; it is no place
        (
            "when did amherst town meeting pass the sanctuary bylaw",
            "was there anything before that",
            "was there anything before that in Amherst?",
        ),
        # no town to carry over: what the earlier question was about, whole
        (
            "which sheriff dropped their ice deal on her first day in office?",
            "who signed the deal in the first place?",
            "who signed the deal in the first place, about which sheriff dropped their ice deal on her first day in office?",
        ),
        # a bare "that" someone took part in: what the earlier question was about, even when a town is named
        (
            "who sued ICE in 2019 over people getting grabbed at courthouses?",
            "was some community group from chelsea part of that too?",
            "was some community group from chelsea part of that too, about who sued ICE in 2019 over people getting "
            "grabbed at courthouses?",
        ),
        # "the ruling" names no thing when the question goes on to name one: the lunn case
        (
            "whats the ruling the mass high court made in the lunn case",
            "who was the chief justice on that case?",
            "who was the chief justice on the lunn case?",
        ),
        # "they" the people the earlier question asked about, not the town's police; "them" too
        (
            "what happened to those chelsea teens ice grabbed in 2025",
            "how old were they",
            "how old were those chelsea teens",
        ),
        ("what happened to the detainees in bristol county", "where were they moved", "where were the detainees moved"),
        # ... but an agency that acts is still "they"
        ("did the plymouth sheriff have a 287g agreement", "why did they stop", "why did the plymouth sheriff stop"),
        ("does chelsea police fingerprint juveniles", "why do they do that", "why do Chelsea police do that"),
        # "he" after "who signed …": the one who signed it, not the thing signed
        (
            "who signed plymouth county's 287g agreement?",
            "how old was he when he signed it?",
            "how old was the person who signed plymouth county's 287g agreement when he signed it?",
        ),
        (
            "how many juveniles did ice pick up in chelsea in may 2025",
            "what were they even arrested for",
            "what were the juveniles even arrested for",
        ),
        ("what happened to the children in chelsea", "what were their names", "what were the children's names"),
        # ... not the object of what an agency did, when the question is about the agency
        (
            "does boston police share information with ice about the residents",
            "are they allowed to do that",
            "are Boston police allowed to do that",
        ),
        # "they" of a town asked about its ordinance is the town's officials, not its police; "instead" of what was
        # asked about
        (
            "does worcester have a sanctuary ordinance",
            "so what did they add to it",
            "so what did Worcester officials add to it",
        ),
        (
            "does worcester have a sanctuary ordinance",
            "so what do they have instead",
            "so what do Worcester officials have instead of a sanctuary ordinance",
        ),
        ("is newton a sanctuary city", "do they honor detainers", "do Newton police honor detainers"),
        # a named thing a county was asked about is not the county's
        (
            "what does the ACLU report say about plymouth county",
            "when was it published",
            "when was the ACLU report published",
        ),
        # "he" after "who <any verb> …", not after "who does …"
        ("who won the case", "what did she say", "what did the person who won the case say"),
        # a correction names the other county's sheriff
        (
            "when did the plymouth county sheriff drop the 287g thing",
            "no sorry i meant barnstable",
            "when did the barnstable county sheriff drop the 287g thing",
        ),
        (
            "did the plymouth sheriff have a 287g agreement?",
            "no, hampden county",
            "did the hampden sheriff have a 287g agreement?",
        ),
        (
            "did the plymouth sheriff have a 287g agreement?",
            "No, I meant the Bristol County sheriff",
            "did the Bristol County sheriff have a 287g agreement?",
        ),
        # corrections in other words: "my bad, X is the one i wanted", "oh wait, i was asking about X"
        (
            "whose signature is on barnstable county's 287(g) contract with ice",
            "my bad, plymouth county is the one i wanted",
            "whose signature is on plymouth county's 287(g) contract with ice",
        ),
        (
            "when did the plymouth county sheriff drop the 287g thing",
            "oh wait, i was asking about barnstable",
            "when did the barnstable county sheriff drop the 287g thing",
        ),
        # ... but a question of its own after "i mean" or "sorry" stays as typed
        (
            "did the plymouth sheriff have a 287g agreement?",
            "I mean, what rights do I have if ICE comes to my door?",
            "I mean, what rights do I have if ICE comes to my door?",
        ),
        (
            "did the plymouth sheriff have a 287g agreement?",
            "i meant to ask what a detainer is",
            "i meant to ask what a detainer is",
        ),
        # "the guy" of a case the earlier question named
        ("when was the lunn case decided?", "where was the guy born", "where was the guy born, about the lunn case?"),
        # what the answer to a "which …" question named: asked about all of that question
        (
            "which sheriffs 287g agreement did dhs cancel in may 2021",
            "who was the sheriff there back then",
            "who was the sheriff there back then, about which sheriffs 287g agreement did dhs cancel in may 2021?",
        ),
        # "they" after a question about a county's dealings with ICE: its sheriff's office; "that jail", its jail
        (
            "did plymouth county ever end its 287g agreement with ice?",
            "ok but are they still holding people for ice at that jail?",
            "ok but are the Plymouth County sheriff's office still holding people for ice at the Plymouth County jail?",
        ),
        # "them" after a question about what ICE does: ICE's agents
        (
            "what does the Attorney General guide say if ice shows up at my house",
            "and can i film them",
            "and can i film ICE agents",
        ),
        # ... not when someone else was named, nor when "it" is the thing they act on
        (
            "what if ICE shows up and the kids are home alone?",
            "who takes care of them",
            "who takes care of them, about what if ICE shows up and the kids are home alone?",
        ),
        ("what does the Trust Act say about ICE agents?", "when did they pass it", "when did they pass the Trust Act"),
        # a verb whose object is left out leans on the earlier question
        (
            "how do i find out if my cousin is in ice detention",
            "what information do i need to search",
            "what information do i need to search, about i find out if my cousin is in ice detention?",
        ),
        # "they" are never a written thing: the thing is the "it" after them, or what the question is about
        ("what does the protect act do", "when did they pass it", "when did they pass the protect act"),
        (
            "how do i get my town's police policy on ice",
            "can they make me use their form?",
            "can they make me use their form, about my town's police policy?",
        ),
        # a kind word after a capitalised name that is not an acronym stays out of it
        ("did Governor Baker act on the bill", "when did it pass", "when did Governor Baker pass"),
        ("do chelsea police fingerprint everyone?", "do they tell ice", "do Chelsea police tell ice"),
        # an owner's name is not the thing it owns
        (
            "what's in the Attorney General's know your rights guide?",
            "what languages is it available in",
            "what languages is the Attorney General's know your rights guide available in",
        ),
        # "that" after a question about an agency's agreement: the agency's own
        (
            "did the plymouth county sheriff have a 287g agreement with ice?",
            "when did that end?",
            "when did that end about the plymouth county sheriff's 287g agreement?",
        ),
        # "the other one" of a pair the earlier question named and then asked about one of
        (
            "the protect act has a house version and a senate version right? what does the house one do",
            "and the other one, what does it add",
            "and the senate version, what does the protect act add",
        ),
        (
            "the house and senate versions of the protect act, what does the senate one do",
            "what about the other one",
            "the house and senate versions of the protect act, what does the house one do",
        ),
        # "the other one" with more asked of it: about the earlier question's topic, no more
        (
            "the protect act has a house version and a senate version right? what does the house one do",
            "and what does the other one say about schools",
            "and what does the senate version say about schools, about the protect act?",
        ),
        # a pair with no noun of its own ("the house and senate passed …"): "the senate one"
        (
            "the house and senate passed different versions, what's in the house one",
            "what does the other one add",
            "what does the senate one add",
        ),
        # money after a question about a grant is the grant
        (
            "how big is boston's uasi grant",
            "did boston actually get the money",
            "did boston actually get the uasi grant",
        ),
        # "him", and a thing pointed back at with "those": the earlier question's
        (
            "how do i find out where ICE took my brother",
            "what info do i need to type in to look him up",
            "what info do i need to type in to look him up, about i find out where ICE took my brother?",
        ),
        (
            "what are court staff allowed to tell ICE when agents show up at a courthouse?",
            "when did those rules come out?",
            "when did those rules come out, about court staff allowed to tell ICE when agents show up at a courthouse?",
        ),
        # a town's body named bare is the town's the earlier question named
        (
            "does amherst have a sanctuary law?",
            "was the town meeting vote close?",
            "was the town meeting vote close in Amherst?",
        ),
        # "it" after "who sued …" is the lawsuit
        (
            "who sued ice in 2019 over arrests at courthouses",
            "what happened when it went up on appeal?",
            "what happened when the lawsuit against ice in 2019 over arrests at courthouses went up on appeal?",
        ),
        # "since when has that been on the books" after a question about one town: that town's
        (
            "does chelsea pd actually have something in writing about how they deal with immigration?",
            "since when has that been on the books?",
            "since when has that been on the books in Chelsea?",
        ),
        # "some law" of a town is the town's law; "act like" is no act
        (
            "does boston have some law that stops police from helping immigration?",
            "who came up with it",
            "who came up with Boston's law",
        ),
        # "she" after a question about a county's sheriff is that sheriff
        (
            "what did the new bristol county sheriff do when she took over",
            "did she say why",
            "did the Bristol County sheriff say why",
        ),
        # "what was X about": the follow-up is about X, not "X about"
        ("what was ryan v ice about", "who brought the case", "who brought the case, about ryan v ice?"),
        # a case named by its parties is the whole name: "the ryan v. ice case", not "ice case"
        ("what was the ryan v. ice case about?", "who brought it?", "who brought the ryan v. ice case?"),
        # "tell me about X": the follow-up is about X
        (
            "tell me about lunn v. commonwealth",
            "when was it decided",
            "when was it decided, about lunn v. commonwealth?",
        ),
        # a capitalised name keeps its lower-case kind: "the PROTECT act", not "the PROTECT"
        ("what's the PROTECT act?", "what was the senate vote on it", "what was the senate vote on the PROTECT act"),
        # "a 287g agreement" a county was asked about is that county's
        (
            "did plymouth county ever have a 287g agreement?",
            "who signed it",
            "who signed Plymouth County's 287g agreement",
        ),
        # "and <town>?" after a question that named no town: the same question, in that town
        (
            "which police departments does the report call permissive?",
            "and everett?",
            "which police departments does the report call permissive in Everett?",
        ),
        (
            "which police departments does the report call permissive?",
            "and everett? what does theirs say",
            "and everett? what does theirs say, about which police departments does the report call permissive?",
        ),
        # a follow-up that asks something of its own, or one after a county's question, is left as typed
        (
            "which police departments does the report call permissive?",
            "and everett? does it have a sanctuary policy",
            "and everett? does it have a sanctuary policy",
        ),
        ("when did barnstable get out of its 287g agreement", "and everett?", "and everett?"),
        # "and <town>?" and then the asker's story: the opening rewritten as on its own, the story kept after it
        (
            "what are the rules about ice at schools and hospitals in massachusetts",
            "and in amherst? my daughter goes to school there",
            "what are the rules about ice at schools and hospitals in massachusetts in Amherst? my daughter goes to "
            "school there",
        ),
        (
            "does quincy have a sanctuary policy",
            "and amherst?\nmy daughter goes to school there and is scared",
            "does Amherst have a sanctuary policy? my daughter goes to school there and is scared",
        ),
        # filler after it is dropped as before; a story that asks more is left as typed
        ("does quincy have a sanctuary policy", "and amherst? thanks", "does Amherst have a sanctuary policy"),
        (
            "does quincy have a sanctuary policy",
            "and amherst? my daughter goes to school there. what happens if ice shows up",
            "and amherst? my daughter goes to school there. what happens if ice shows up",
        ),
        # "they" and "their" after a question asking for an office are that office (a town's DA is its county's),
        # not the town's police
        (
            "my son got arrested in oak bluffs, which DA handles that",
            "where's their office on the island",
            "where's the office of the DA for Dukes County on the island",
        ),
        (
            "who's the da for barnstable county?",
            "where are their offices",
            "where are the offices of the da for barnstable county",
        ),
        (
            "who prosecutes cases in greenfield and the rest of franklin county",
            "where are their offices",
            "where are the offices of the district attorney for Franklin County",
        ),
        (
            "who prosecutes crimes on the cape",
            "where are their offices",
            "where are the offices of whoever prosecutes crimes on the cape",
        ),
        # only an office's own things: people "they" are, and an office word that is no head, are left to the rules
        # before
        ("which DA prosecuted the chelsea teens", "how old were they", "how old were the chelsea teens"),
        # "it" after a question whether something happened, which names no thing: what happened, not the policy
        (
            "did everett cops hand a 13 year old over to ice?",
            "what did the mayor say about it",
            "what did the mayor say about it, about did everett cops hand a 13 year old over to ice?",
        ),
        ("does quincy have a sanctuary policy", "who wrote it", "who wrote Quincy's sanctuary policy"),
        # (an "it" that is a document read or quoted is still the town's)
        (
            "did everett cops hand a 13 year old over to ice?",
            "what does it say about minors",
            "what does Everett's policy say about minors",
        ),
        (
            "which sheriff's deals with ice ended",
            "where are their offices",
            "where are their offices, about which sheriff's deals with ice ended?",
        ),
    ],
)
def test_a_follow_up_names_what_its_pronoun_or_ellipsis_stands_for(previous: str, question: str, standalone: str):
    assert follow(previous, question) == standalone


def test_in_my_apartment_is_no_town_and_a_records_request_follow_up_needs_none(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.chat import asks_for_my_town

    assert not asks_for_my_town("do i have to open the door if they knock in my apartment")
    # "in my" is the asker's town only before a place word: not their state, county, street, truck or hearing
    for question in (
        "is that legal in my state",
        "the cops in my county work with ice?",
        "ice was in my street yesterday",
        "what do i do if they stop me in my truck",
        "what happens in my immigration court hearing",
    ):
        assert not asks_for_my_town(question), question
    # what asking for a town's records costs is the same in every town
    assert not asks_for_my_town("if i request my town police's immigration policy, what's the max they can bill me?")
    assert not asks_for_my_town("if i ask my town for the police ice policy how long do they have to answer")
    # a request made already, its rules asked; not help asked for
    assert not asks_for_my_town("i asked my town pd for their ice policy, how long do they have to answer me")
    assert not asks_for_my_town("we emailed our city asking for a copy of the police policy. can they charge us?")
    assert asks_for_my_town("we asked our police for help with ICE. do they work with them?")
    # a request made, but what is asked is the town's practice, or the records are the asker's own
    assert asks_for_my_town("i asked my town for their policy, what does it say about detainers")
    assert asks_for_my_town("i asked my police for records of my arrest, do they share them with ice?")
    assert asks_for_my_town("i asked my local police for a copy of my police report, will they tell ice?")
    assert asks_for_my_town("if i ask my town police for help will they call ice")
    assert asks_for_my_town("if i ask the police for help in my town will they call ice")
    assert asks_for_my_town("what does my town police charge people with when ice asks")
    assert asks_for_my_town("what are the police rules in my area")
    assert asks_for_my_town("can the cops in my city hold someone for immigration")
    # the asker's town only in the story told first, and what is asked does not point back at it: asked anywhere
    assert not asks_for_my_town("our town just put up those plate cameras. can ice get at that data?")
    assert not asks_for_my_town("our chief said he has to help ice. can the feds make local cops do it?")
    # what is asked names the town, or points back at it ("they", "there"): which town?
    assert asks_for_my_town("we just moved. what is our town's police policy on ice?")
    assert asks_for_my_town("our police have been weird lately. do they work with ice?")
    assert asks_for_my_town("our town is small. can ice come to the schools there?")
    # what is asked is the last sentence with a question mark, not a remark after it, nor the rest of "dept."
    assert asks_for_my_town("what is my town's policy on ice? thanks")
    assert asks_for_my_town("does our police department work with ice? just curious.")
    assert asks_for_my_town("does our police dept. honor ice detainers?")
    # "we", "the police" point back too
    assert asks_for_my_town("our town is small. do we have a sanctuary policy?")
    assert asks_for_my_town("my town's police arrested my cousin. will the police tell ice?")
    plan = fixture_assistant.plan("can they charge me for it?", ["how do i get my town's police policy on ice"])
    assert plan.kind != "which_town"
    assert fixture_assistant.plan("what does my town's police do with ICE?", []).kind == "which_town"


@pytest.mark.slow
def test_each_thing_compared_is_searched_in_its_own_towns_documents(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    assistant = AssistantService(fixture_settings(corpus_index)).assistant
    plan = assistant.plan("which is older, bostons trust act or the cambridge welcoming ordinance?", [])
    assert plan.kind == "compare"
    assert [r.filters.towns for r in plan.requests] == [["Boston"], ["Cambridge"]]


@pytest.mark.slow
def test_compared_towns_with_no_document_are_answered_from_their_counties(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    service = AssistantService(fixture_settings(corpus_index))
    question = (
        "if my brother gets charged in springfield and my friend in northampton, which DA's office goes after each?"
    )
    plan = service.assistant.plan(question, [])
    assert plan.kind == "compare"
    assert [(r.label, r.must_say) for r in plan.requests] == [
        ("Springfield", "Hampden County"),
        ("Northampton", "Hampshire County"),
    ]
    reply = service.ask(question)
    assert reply.kind != "none"
    assert "Hampden District Attorney" in reply.answer and "Northwestern District Attorney" in reply.answer
    # "who prosecutes" asks for the DA as much as "which DA" does
    prosecutes = "my two cousins got charged, one in northampton and one in springfield. who prosecutes each case?"
    assert [r.must_say for r in service.assistant.plan(prosecutes, []).requests] == [
        "Hampshire County",
        "Hampden County",
    ]
    # being prosecuted asks for no prosecutor
    prosecuted = "could officials in northampton or springfield be prosecuted for helping immigrants?"
    assert not any(r.role == "county" or r.must_say for r in service.assistant.plan(prosecuted, []).requests)


@pytest.mark.slow
def test_a_comparison_quotes_a_sentence_for_one_side_only(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    assistant = AssistantService(fixture_settings(corpus_index)).assistant
    plan = assistant.plan("when did bristol and plymouth each lose their 287g agreements", [])
    # Bristol's side is not searched in Plymouth's documents (the town of Plymouth is the question's only town)
    assert [r.filters.towns for r in plan.requests] == [[], ["Plymouth"]], [r.filters for r in plan.requests]
    reply = assistant.ask("when did bristol and plymouth each lose their 287g agreements")
    quotes = [c.quote for c in reply.citations]
    assert len(quotes) == len(set(quotes)), reply.answer
    # each side searched apart, Bristol's not in Plymouth's documents: each has its own ending
    assert "May 2021" in reply.answer and "September 2021" in reply.answer, reply.answer


def test_a_noun_after_the_second_thing_is_shared_only_when_it_is_a_common_one() -> None:
    from assistant.plan import _with_shared_noun

    assert _with_shared_noun("plymouth", "barnstable sheriffs", str.split) == "plymouth sheriffs"
    # "biometric update" is an outlet's name: "gbh" is no "gbh update"
    assert _with_shared_noun("gbh", "biometric update", str.split) == "gbh"


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("the Bristol County sheriffs", ("bristol",)),
        ("bristol's 287g agreement", ("bristol",)),
        # an owner after "of" names the thing before what is said of it
        ("the end of bristol's 287g agreement", ("bristol", "end")),
        ("the end of bristol county's 287g agreement", ("bristol", "end")),
        ("the safe communities act", ("safe", "communities")),
        ("the Attorney General's know your rights guide", ("attorney", "general", "know", "rights", "guide")),
    ],
)
def test_a_compared_things_label_is_named_by_its_own_words(label: str, words: tuple[str, ...]) -> None:
    # what a sentence quoted under the label must name (its first word): not the noun both things share, not ICE
    assert label_words(label) == words


def test_a_side_of_a_comparison_quotes_only_sentences_naming_it(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from assistant.settings import Settings

    service = AssistantService(Settings.model_validate({"index": {"dir": corpus_index}}))
    answer = service.ask("which sheriff got out of 287g first, bristol or plymouth")
    labelled = [line for line in answer.answer.splitlines() if line.startswith("bristol:")]
    assert labelled, answer.answer
    for line in labelled:
        # a unit names the side in its words or in its document's title ("… Bristol County Sheriff's Office …")
        n = int(line.rsplit("[", 1)[1].rstrip("]"))
        citation = answer.citations[n - 1]
        assert "Bristol" in f"{citation.quote} {citation.title}" and "Framingham" not in line, answer.answer


def test_a_bare_county_name_is_swapped_only_where_it_names_the_county() -> None:
    from assistant.chat import Turn, rewrite_question
    from corpus.towns import load_towns

    registry = load_towns()

    def after(previous: str, question: str) -> str:
        return rewrite_question(question, [Turn(previous, previous, registry.find_in_question(previous))], registry)

    assert after("when did barnstable get out of its 287g agreement", "and plymouth?") == (
        "when did plymouth get out of its 287g agreement"
    )
    # the "hampshire" of New Hampshire, and a name that is no sheriff's business, are not the county
    assert "new bristol" not in after("does new hampshire have 287g agreements", "and bristol?")
    assert "suffolk pierce" not in after("did franklin pierce university host ice", "and suffolk?")


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("eastbrook's council order", ("order", "law")),
        ("eastbrook's police policy", ("policy", "policy")),
        # the thing itself, not what it is about or for
        ("worcester's police policy on what to report", ("policy", "policy")),
        ("the framingham report in order to see what changed", ("report", "report")),
        # a decision or an opinion is no court's ruling here ("plymouth's decision to end 287g")
        ("plymouth's decision to end 287g", None),
        ("the bristol sheriff's opinion on ice", None),
    ],
)
def test_a_compared_things_label_names_its_kind_of_document(label: str, kind: tuple[str, str] | None) -> None:
    from assistant.plan import document_kind

    assert document_kind(label) == kind


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        # money of another kind, or the question's own
        ("how big is boston's uasi grant", "can they waive the fees if i cant pay the money"),
        ("how big is boston's uasi grant", "did boston return any of the funds?"),
        ("how big is boston's uasi grant", "does the safe communities act cut off the funding for 287g programs"),
        # "grant" the verb, and "what's" no owner
        ("did the judge grant the motion", "did they get the money back"),
    ],
)
def test_money_is_a_grant_only_after_a_question_about_one_and_when_no_other_money_is_meant(previous, question):
    assert "grant" not in follow(previous, question).replace(previous, "")


@pytest.mark.parametrize(
    ("previous", "question", "not_in"),
    [
        # a person the question names itself, or another person of the conversation, is no county's sheriff
        (
            "is the bristol county sheriff still working with ice",
            "ice picked up my mom yesterday, how do i find her",
            "sheriff's",
        ),
        ("is the bristol county sheriff still working with ice", "so ice took my dad, how do i find him", "find the"),
        ("who ran against the bristol county sheriff in 2022", "did he win", "did the Bristol County sheriff win"),
        # a lawsuit's "it" only when a lawsuit's doings are asked about
        ("who sued boston over its sanctuary ordinance", "when did it go into effect", "lawsuit"),
        # "those detainers" the question names itself, and "that" after a county question or about anywhere
        (
            "does the bristol county sheriff hold people arrested in fall river for ice",
            "has that ever been challenged in court",
            "Fall River?",
        ),
        ("does cambridge work with ice", "can that happen to a us citizen anywhere in the country", "Cambridge"),
        ("does cambridge work with ice", "who is the chief of ice enforcement in new england", "Cambridge"),
    ],
)
def test_follow_up_rules_leave_other_people_places_and_things_alone(previous: str, question: str, not_in: str) -> None:
    assert not_in not in follow(previous, question)


def test_a_side_named_by_a_region_may_be_quoted_from_sentences_naming_its_county() -> None:
    # "the cape cod 287g deal" is Barnstable County's: the documents say "Barnstable County Sheriff's Office"
    from assistant.plan import Planner

    plan = Planner(TOWNS, set, 600).plan("who signed the plymouth jail's 287g deal and who signed the cape cod one")
    assert plan.kind == "compare"
    assert [r.must_mention for r in plan.requests] == [("plymouth",), ("cape", "barnstable")]


def test_a_passive_verb_with_its_doer_left_out_leans_on_the_conversation() -> None:
    from assistant.chat import is_followup

    # covered, off limits, exempt: by what the earlier question asked about
    assert is_followup("which places would be off limits")
    assert is_followup("what kinds of locations would be covered")
    assert follow("does the Safe Communities Act protect schools?", "what other places would be covered") == (
        "what other places would be covered about the Safe Communities Act?"
    )
    # a question naming its subject stands alone
    assert not is_followup("which places does the PROTECT Act keep off limits")


@pytest.mark.parametrize(
    "reply",
    [
        "sorry thanks",
        "oh ok",
        "oh really",
        "wait what",
        "actually nevermind",
        "hmm i think so",
        "oh no",
        "no way",
        "wait seriously",
        "oh wait i was wrong",
        "i wanted more details",  # no opener: not a correction
        "i was asking about the ordinance",
    ],
)
def test_a_reply_that_names_nothing_is_no_correction(reply: str) -> None:
    from assistant.chat import corrected

    assert corrected(reply) == reply


def test_a_town_taking_part_in_a_town_question_is_no_follow_up_about_the_earlier_town() -> None:
    # "is the boston police involved in that?" after a question about Cambridge is about Boston, not a comparison
    assert follow("does cambridge cooperate with ice", "is the boston police involved in that?") == (
        "is the boston police involved in that?"
    )


def test_a_passive_question_naming_its_own_places_stays_its_own() -> None:
    from assistant.chat import is_followup

    assert not is_followup("which towns in western mass are affected")


def test_the_ruling_gives_way_only_to_the_case_it_was_made_in() -> None:
    assert previous_topic("whats the ruling the mass high court made in the lunn case", TOWNS) == "the lunn case"
    assert previous_topic("what did the ruling say about the 287g agreement", TOWNS) == "the ruling"


def test_a_follow_up_with_its_topic_put_after_it_is_scored_on_its_own_words_too(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    earlier = ["did anybody ever take ice to court for snatching people at mass courthouses?"]
    plan = fixture_assistant.plan("who were the ones suing", earlier)
    assert plan.standalone.startswith("who were the ones suing, about ")
    assert plan.focus == "who were the ones suing"
    _, evidence = fixture_assistant.prepare("who were the ones suing", earlier)
    main = next(e for e in evidence if e.request.query == plan.standalone)
    assert main.focus is not None and main.vector is not None
    # a first question, or one typed with ", about" in it that was not rewritten, has no focus of its own
    assert fixture_assistant.plan("who sued ICE over courthouse arrests?").focus is None
    typed = "hey, about ryan v ice, who won"
    assert fixture_assistant.plan(typed, earlier).focus is None


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "immigration agents took my dad this morning and nobody will tell us where he is. how do we find him",
            "how do we find him",
        ),
        (
            "my uncle was in the barnstable jail back then. i heard the sheriff tore that deal up, who was it and when",
            "i heard the sheriff tore that deal up, who was it and when",
        ),
        (
            "my brother is finishing his sentence at the county jail. will the jail tip off ice?",
            "will the jail tip off ice?",
        ),
        # an abbreviation's stop ends no sentence: one sentence, no story
        ("our town just put up flock cameras on main st. can immigration get into that data?", None),
        # a question first, then more asked: two questions, no story
        ("did the barnstable sheriff have a 287g deal? who signed it and when did it end", None),
        ("how do we find him? they took him this morning outside the courthouse", None),
        # too short a story, or an asking sentence with no words of its own
        ("im scared. what are my rights", None),
        ("they took my cousin outside the courthouse after his hearing. and?", None),
        ("who runs quincy pd", None),
        # a bare "why?" has no words of its own; ", when ice showed up" in the story asks nothing
        ("they took my dad at his job in the city today. why?", None),
        ("i was at work this morning, when ice showed up at the house. how do i find him", "how do i find him"),
        # several questions after the story: all of them; a line break ends a sentence; "U.S." does not
        (
            "my brother got picked up by ice outside his job. where do they hold people? can we visit him",
            "where do they hold people? can we visit him",
        ),
        ("my cousin is a green card holder in the u.s. and was stopped\nwhat are his rights", "what are his rights"),
    ],
)
def test_the_sentence_that_asks_after_a_story(question: str, asked: str | None) -> None:
    assert asked_part(question) == asked


def test_a_question_typed_as_a_story_first_is_scored_on_its_asking_sentence_too(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    question = "immigration agents took my dad this morning and nobody will tell us where he is. how do we find him"
    plan = fixture_assistant.plan(question)
    assert plan.focus == "how do we find him" and plan.story
    _, evidence = fixture_assistant.prepare(question)
    main = next(e for e in evidence if e.request.query == plan.standalone)
    assert main.focus is not None and main.story == "how do we find him"
    # the asking sentence weighs `story_focus` times, not `followup_focus` times: at 0 the whole question alone
    composer = getattr(fixture_assistant.composer, "extractive", fixture_assistant.composer)
    config = composer.config
    try:
        composer.config = config.model_copy(update={"story_focus": 0.0})
        assert composer._focused(main) is main.vector
        composer.config = config.model_copy(update={"story_focus": 1.0, "followup_focus": 0.0})
        assert composer._focused(main) is not main.vector
    finally:
        composer.config = config
    # a follow-up's focus is its own words, not a story's
    earlier = ["did anybody ever take ice to court for snatching people at mass courthouses?"]
    assert not fixture_assistant.plan("who were the ones suing", earlier).story


def test_a_storys_asking_words_make_its_best_sentence_relevant_never_sure(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    question = (
        "my cousin got arrested in quincy last night and we are all really scared for him. when does the desk "
        "sergeant tell the federal office"
    )
    plan, evidence = fixture_assistant.prepare(question)
    main = next(e for e in evidence if e.request.query == plan.standalone)
    composer = getattr(fixture_assistant.composer, "extractive", fixture_assistant.composer)
    sentences, passages, _ = composer.scored(main)
    whole = composer._signals(main.request, sentences, passages)
    asked = composer._signals(main.request, sentences, passages, main.story)
    # the share of what is asked that the best sentence holds, not of the story's words too
    assert asked["keyword"] > whole["keyword"]
    assert {k: v for k, v in asked.items() if k != "keyword"} == {k: v for k, v in whole.items() if k != "keyword"}
    # a function word held is not enough: one of the asking sentence's own words must be
    nothing = composer._signals(main.request, sentences, passages, "what can i do about it")
    assert nothing["keyword"] == whole["keyword"]


def test_a_storys_asking_words_lift_nothing_here_to_closest_and_no_further(answering_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    story = "my cousin got arrested in quincy last night and we are all really scared for him. "
    asking = "when does the desk sergeant tell the federal office"
    # thresholds where the whole story is "nothing here" and the asking sentence alone a confident answer
    service = AssistantService(fixture_settings(answering_index, confident_above=0.70, abstain_below=0.65))
    assert service.ask(asking).kind == "answer"
    assert service.ask(story + asking).kind == "closest"
    composer = getattr(service.assistant.composer, "extractive", service.assistant.composer)
    composer._relevant_to_asked = lambda *args: False  # type: ignore[method-assign]
    assert service.ask(story + asking).kind == "none"


def test_a_determiner_is_no_owner_of_a_thing_compared() -> None:
    assert compared_things("what are the sheriff's and the county's rules") is None
    things = compared_things("middlesex sheriff's and suffolk sheriff's ice policies, how do they differ")
    assert things is not None
    assert [label for label, _ in things] == ["middlesex sheriff's ice", "suffolk sheriff's ice"]


@pytest.mark.slow
def test_a_confident_answer_from_a_laws_document_names_the_law(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    question = "can undocumented people get a drivers license in mass now"
    # the summary's best units say what the law does ("Since July 1, 2023, … can apply") but not its name
    without = AssistantService(fixture_settings(corpus_index, law_name=False)).ask(question)
    assert without.kind == "answer" and "Work and Family Mobility Act" not in without.answer
    service = AssistantService(fixture_settings(corpus_index))
    named = service.ask(question)
    # the shorter of the two units naming it that tie, not the veto's history
    assert named.kind == "answer" and "The Work and Family Mobility Act took effect on July 1, 2023" in named.answer
    assert "vetoed" not in named.answer
    assert without.answer.split(" [1]")[0] in named.answer  # the units it had stay
    # a detail the law's name adds nothing to: its units score under half the best, and none joins
    plane = service.ask("can I use the new license to board a plane")
    assert plane.kind == "answer" and "Work and Family Mobility Act" not in plane.answer
