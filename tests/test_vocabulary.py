"""Everyday words in questions are searched in the documents' words; acronyms are spelled out; aliases name their
town."""

from __future__ import annotations

import pytest

from assistant.answer import _defined_term, asked_acronym, defines, spells_out
from assistant.vocabulary import plain_words
from corpus.towns import load_towns


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("can mass cops hold someone just for ICE", "can Massachusetts police hold someone solely for ICE"),
        ("can they tip off ICE when somebody gets out", "can they notify ICE when somebody is released"),
        ("why did the sheriff dump the 287g deal", "why did the sheriff end the 287g agreement"),
        ("why did the appeals court throw out the injunction", "why did the appeals court vacate the injunction"),
        ("did the AG do anything about it", "did the Attorney General do anything about it"),
        ("what did the ag do right before that", "what did the Attorney General do right before that"),
        ("can ppl with no papers get a license", "can people without legal immigration status get a license"),
        ("who pulled the plug on the 287g deal", "who ended the 287g agreement"),
        ("lowell pd and ice", "lowell police department and ice"),
        ("is the sheriff gonna sign another one", "is the sheriff going to sign another one"),
        ("how many police depts share info", "how many police departments share information"),
        ("can undocumented people call the cops", "can people without legal immigration status call the police"),
        ("can an undocumented person call 911", "can a person without legal immigration status call 911"),
        ("what are undocumented people's rights", "what are undocumented people's rights"),
        ("when did framingham get out of 287g", "when did framingham withdraw from 287g"),
        ("is boston getting out of the deal", "is boston withdrawing from the agreement"),
        ("my cousin got out of jail last week", "my cousin was released from jail last week"),
        ("when the feds pulled out of bristol county", "when the federal authorities pulled out of bristol county"),
        ("why did the sjc say cops cant hold ppl", "why did the Supreme Judicial Court say police cant hold people"),
        ("who put out the ICE Out report", "who published the ICE Out report"),
        # a request refused is denied, in the records law's word; the asker's own "no" is left alone
        ("and if they say no?", "and if they deny it?"),
        ("what if the town turned my request down", "what if the town denied my request"),
        ("can i say no to a search", "can i say no to a search"),
        ("what if they turned down my request", "what if they denied my request"),
        ("what if the dept says no", "what if the department denies it"),
        # a court of appeals as opinions cite it, its name kept for the news that spells it out
        ("which 3rd circuit case does it cite", "which Third Circuit (3d Cir.) case does it cite"),
        ("what did the first circuit decide", "what did the First Circuit (1st Cir.) decide"),
        ("what was the third circuit's ruling", "what was the Third Circuit's (3d Cir.) ruling"),
        # a follow-up's copy of the earlier circuit's citation gives way to the new circuit's
        ("did the first circuit (3d Cir.) rule on it", "did the First Circuit (1st Cir.) rule on it"),
        ("does my PD fingerprint kids?", "does my police department fingerprint juveniles?"),
        (
            "can undocumented ppl get a license w/o papers",
            "can people without legal immigration status get a license without papers",
        ),
        ("can u film ice", "can you record ice"),
        ("my brother got picked up by immigration", "my brother got detained by ICE"),
        ("ICE picked up my cousin", "ICE detained my cousin"),
        ("what happened to the people ice had locked up there", "what happened to the immigration detainees there"),
        ("where did the immigrants locked up there go", "where did the immigration detainees there go"),
        ("how many people held in plymouth jail", "how many people held in plymouth jail"),
        ("who picked up the report", "who picked up the report"),
        ("who puts out those numbers", "who publishes those numbers"),
        ("who put out the fire at the station", "who put out the fire at the station"),
        ("i just want to know if it is only for boston", "i just want to know if it is only for boston"),
        ("they took him to court on monday", "they took him to court on monday"),
        ("were there over 100 detainees", "were there over 100 detainees"),
        ("ICE took the man to court", "ICE took the man to court"),
        ("can they hold someone just for a day", "can they hold someone just for a day"),
        # "get rid of" ends an agreement, a program or a rule, not records or a person
        ("did the police get rid of the records", "did the police get rid of the records"),
        ("did the voters get rid of hodgson", "did the voters get rid of hodgson"),
        # the agency called by its business: "share with immigration", "immigration detained him"
        ("do sheriffs share with immigration who they hold", "do sheriffs share with ICE who they hold"),
        ("immigration detained my husband", "ICE detained my husband"),
        ("what if immigration asks about my son", "what if ICE asks about my son"),
        ("when immigration shows up at the door", "when ICE shows up at the door"),
        ("does it have any carve-outs", "does it have any exceptions"),
        ("how many holds did bpd get", "how many holds did Boston police department get"),
        ("what if ice asks about a minor", "what if ice asks about a juvenile"),
        ("what happened at the higher court", "what happened at the appeals court"),
        ("what's the most they can bill me for a copy", "what's the most they can charge me for a copy"),
        ("how do i figure out where they took him", "how do i find out where they took him"),
        ("when does the trust ordinance kick in", "when does the trust ordinance take effect"),
        ("when did it kick in, and who signed it", "when did it take effect, and who signed it"),
        (
            "did the cape cod sheriff stop working with ice",
            "did the cape cod (Barnstable County) sheriff stop working with ice",
        ),
        ("who runs the vineyard jail", "who runs the vineyard (Dukes County) jail"),
        ("did the sheriff get rid of the ice agreement", "did the sheriff end the ice agreement"),
        ("who put that report out?", "who published that report?"),
        ("can the cops hold someone just for ICE", "can the police hold someone solely for ICE"),
        ("who took the sheriff to court over it", "who sued the sheriff over it"),
        ("which sheriffs' 287g agreements are over now?", "which sheriffs' 287g agreements are ended now?"),
        ("is the 287g program over?", "is the 287g program ended?"),
        # 287(g) described rather than named
        (
            "did the governor block any more agreements where county jails act as immigration agents",
            "did the governor block new 287(g) agreements",
        ),
        (
            "is anyone still in the program where sheriffs work as immigration officers",
            "is anyone still in the 287(g) program",
        ),
        ("can i take ice to court", "can i sue ice"),
        ("can they keep him only because ice sent a detainer", "can they keep him solely because ice sent a detainer"),
        ("who put the ice out report out", "who published the ice out report"),
        ("when did plymouth get rid of its 287g program", "when did plymouth end its 287g program"),
        ("the sheriff got rid of the 287g deal", "the sheriff ended the 287g agreement"),
        ("is it illegal to film ICE", "is it illegal to record ICE"),
        ("i was filming the arrest", "i was recording the arrest"),
        (
            "did the state's top court say police can hold someone",
            "did the Supreme Judicial Court say police can hold someone",
        ),
        ("what did the highest court in mass decide", "what did the Supreme Judicial Court decide"),
        ("who brought the case", "who sued"),
        ("who filed the lawsuit against ice", "who sued ice"),
        ("can they still make me pay for copies?", "can they still charge me a fee for copies?"),
        ("did anybody ever take ice to court", "did anybody ever sue ice"),
        ("who is taking the sheriff to court", "who is suing the sheriff"),
        ("ice was snatching people at courthouses", "ice was arresting people at courthouses"),
        ("can they call ice first on their own", "can they start contact with ice on their own"),
        # abbreviations, a court's head, a rule starting to apply, what a department's job is
        ("the bristol cty and plymouth cty sheriffs", "the bristol county and plymouth county sheriffs"),
        ("who was the top justice on that court then", "who was the chief justice on that court then"),
        ("who was the top judge on the sjc", "who was the chief justice on the Supreme Judicial Court"),
        ("what date does the order start applying?", "what date does the order take effect?"),
        (
            "is enforcing immigration law part of the department's job?",
            "is enforcing immigration law part of the department's mission?",
        ),
        ("is it one of framingham pd's jobs", "is it part of framingham police department's mission"),
        ("which clerk put their name on it", "which clerk signed it"),
        ("the welcoming law took the place of what?", "the welcoming law replaced what?"),
        ("when did each sheriff wrap up their 287(g) deal", "when did each sheriff end their 287(g) agreement"),
        ("why was she pulling out of the ice deal", "why was she ending the ice agreement"),
        ("how did the head of quincy pd justify it", "how did the quincy police chief defend it"),
        ("who talked to the press on the report's behalf", "who spoke for the report"),
        ("what was the tally when eastbrook passed it", "what was the vote when eastbrook passed it"),
        ("by what margin did the order get through", "by what vote did the order get through"),
        ("the final yes and nay count on the order", "the vote on the order"),
        (
            "why did the sheriff on the cape end it",
            "why did the sheriff of Cape Cod (Barnstable County) end it",
        ),
        ("what did the cape's sheriff do", "what did Cape Cod's (Barnstable County) sheriff do"),
        ("have the cops ever reported a person to immigration?", "have the police ever called ICE about a person?"),
        ("will they report me to ice", "will they call ICE about me"),
        ("they reported people to ice agents", "they called ICE about people"),
        ("my cousin pulled out of the plea deal", "my cousin pulled out of the plea agreement"),  # no ending
        ("who talks to reporters on their behalf", "who speaks for them"),
        ("what was the councilors' tally", "what was the councilors' vote"),
        # who proposed a law or rule
        ("when did that pass and who came up with it", "when did that pass and who introduced it"),
        ("who came up with boston's trust act?", "who introduced boston's trust act?"),
        ("how many were ok with passing stuff along to ICE", "how many were ok with sharing information with ICE"),
        # a case named by its parties: who sued in it
        ("who brought the ryan v. ice case?", "who sued in the ryan v. ice case?"),
        # taken by immigration agents: detained by ICE
        ("my cousin got taken by immigration agents", "my cousin got detained by ICE"),
        ("my dad was grabbed by ice yesterday", "my dad was detained by ICE yesterday"),
        ("who files the lawsuit if they arrest someone at court", "who sues if they arrest someone at court"),
        ("can police film me", "can police record me"),
        (
            "when did bristol county sheriff lose its deal with ice",
            "when did bristol county sheriff lose its agreement with ice",
        ),
        ("does healey back it", "does healey support it"),
        ("would the sheriff ever back the agreement", "would the sheriff ever support the agreement"),
    ],
)
def test_everyday_words_become_the_documents_words(typed: str, plain: str) -> None:
    assert plain_words(typed) == plain


@pytest.mark.parametrize(
    "question",
    [
        "is there a film about ICE",  # the noun, not filming
        "did the top court rule on it",  # maybe the U.S. Supreme Court
        "did they come back the next day",  # moving back, not backing
        "did they push back the date",
        "did he bring the case to court",  # a hearing, not a suit
        "ice filed a case against my husband",  # a removal case, not a suit
        "can ice bring a case against me",
        "did they send him back the next day",  # sent back, not supported
        "did healey walk back that statement",
        "highest court in the state of new york",  # another state's
        "going to film school",
        # a stance, a "no" that starts a phrase, a legislature's vote: no refusal of a request
        "did the city say no to ice",
        "they say no one has to talk to ice, is that true",
        "he said no comment to reporters",
        "did the legislature turn it down",
        "what does my doc say",
        "reading the policy",
        "can I get a copy of the policy",  # "cop" inside "copy"
        "how do migrants file a complaint",  # "migra" inside "migrants"
        "is ice holding my dad",
        "how long can ICE hold someone",
        "is it a big deal",
        "how do police deal with ice",
        "how to get out of an ICE detainer",
        "check mass.gov",
        "what does DA stand for",  # the abbreviation itself is asked about
        # "immigration" as a subject, not the agency
        "what is my immigration status",
        "can they ask about immigration status",
        "my cousin was detained by immigration agents",
        "he was taken by ambulance",
        "make ice pay for it",
        "snatched her phone",
        "should i call ice first or a lawyer",
        "pass the form to the clerk",
        # things taken by ICE, and "immigration" describing the next word, are no person detained
        "what steps were taken by immigration officials",
        "the photos taken by ice agents",
        "he was taken by immigration court",
        # an appeal in a case, or a prosecution, is no suit
        "who filed the appeal in ryan v. ice case",
        "who brought the commonwealth v. lunn case",
        "who brought the lunn v commonwealth case to court",  # bringing a case to a court is no suit
        "is it a minor offense",
        "can immigration status be asked about",
        "does immigration law allow it",
        "did the bill pass",  # a bill before the legislature
        "what does the bill you mentioned say",
        "can immigration consequences follow a guilty plea",
        "ice agents kicked in the door",  # not taking effect
        "who comes up with the numbers",  # no law or rule proposed
        "is it part of a job application",  # a job, not a department's mission
        "what is the arrest tally",  # a count, not a council's vote
        "they pulled out of the parking lot",  # no agreement ended
        "the head of the police union",  # not the police chief
        # misfires a review found
        "did the cty council vote on the trust act",  # a city's council
        "was the arrest justified",
        "give me a quick wrap up of the lunn case",
        "is that part of their job description",
        "is it part of my job as a teacher to report students",
        "who is head of the police department's immigration unit",
        "head of the police review board",
        "what was the tally of detainers before it passed",
        "by what margin did ice arrests go up",
        "did the mayor put her signature on the letter",
        "did ice put his name on a watch list",
        "who was the lead judge on the lunn case",
        "sheriffs for the cape verdean community",
        "does the new law say yes or no to detainers",  # no count of votes
        "the sheriff on the cape ann side",  # Cape Ann is on the North Shore
        "ice agents kicked in someone's door in lawrence",
        "did the state kick in money for the program",
        "do cape cod police call ice",  # a town's police, not the county's sheriff
    ],
)
def test_words_with_another_everyday_sense_are_left_alone(question: str) -> None:
    assert plain_words(question) == question


def test_an_acronym_asked_about_is_spelled_out_by_the_initials_of_a_name() -> None:
    assert asked_acronym("what does sjc stand for") == "SJC"
    assert asked_acronym("what does MIRA stand for?") == "MIRA"
    assert asked_acronym("what is an immigration detainer") is None
    assert spells_out("the Supreme Judicial Court decided", "SJC")
    assert spells_out("Immigration and Customs Enforcement", "ICE")
    assert not spells_out("the SJC Judges ruled", "SJC")
    assert not spells_out("the Superior Court", "SJC")
    assert defines("The Supreme Judicial Court ruled in July 2017.", "what does SJC stand for")
    assert not defines("The court ruled in July 2017.", "what does SJC stand for")


def test_a_name_with_what_it_does_set_off_by_commas_defines_it() -> None:
    question = "what is the Department of Correction"
    assert defines("The Department of Correction, which runs the state prisons, has a 287(g) agreement.", question)
    assert not defines("The Department of Correction has a 287(g) agreement.", question)


def test_a_term_in_brackets_is_the_one_asked_about_and_exactly_does_not_hide_the_question() -> None:
    from assistant.answer import answer_type

    # "qué es exactamente una orden de retención (detainer) de ice", as translated word by word
    question = "What is exactly an order of retention (detainer) of ice"
    assert answer_type(question) == "definition"
    assert defines("An immigration detainer is a civil request from ICE to keep holding a person.", question)
    assert answer_type("what exactly is a detainer") == "definition"
    assert defines("A 287(g) agreement is a contract with ICE.", "what is a 287(g) agreement")  # (g) is no term


def test_a_term_named_then_asked_about_is_the_term_defined() -> None:
    gloss = 'Search with the person\'s "A-number" (alien registration number) and country of birth.'
    assert defines(gloss, "the ice website wants my dad's a-number, what is that even")
    assert defines(gloss, "searching for someone and it asks for an A-number, what is that")
    # the term in quotes, not the words before the comma ("at court")
    habe = 'A person held by ICE is brought to court by a special writ, often called an "ICE habe".'
    assert defines(habe, "someone mentioned an 'ice habe' at court, what is that?")
    assert not defines("The locator lists the facility.", "the ice website wants my dad's a-number, what is that even")
    # up to three words, none an article or pronoun; an apostrophe is no quotation mark
    assert _defined_term("my cousin got a notice to appear, what is that") == "notice to appear"
    assert _defined_term("they gave him an I-247A, what's that?") == "I-247A"
    assert _defined_term("my lawyer's office said he's got an NTA, what's that") == "NTA"
    assert _defined_term("the officer said 'sign here' and gave him an I-247A, what is that") == "I-247A"


def test_a_term_glossed_in_brackets_where_it_is_used_is_defined() -> None:
    question = "what does the 'A-number' on immigration papers mean?"
    assert defines('Search with the person\'s "A-number" (alien registration number) and country of birth.', question)
    assert not defines("Search with the A-number (MIRA Coalition).", question)  # a source ends its sentence
    assert not defines("Search with the A-number (see below) and country of birth.", question)
    # a note or a source in brackets glosses nothing
    assert not defines("Search with the A-number (if known) and country of birth.", question)
    assert not defines("Search with the A-number (GBH News) and country of birth.", question)
    assert not defines("Search with the A-number (according to the sheriff) and country of birth.", question)


def test_a_glossary_entry_defines_its_term_wherever_the_question_says_it_is_defined() -> None:
    question = "What is an administrative warrant under Policy 415?"
    assert defines("3.2 Administrative warrant: A warrant signed by an ICE officer rather than a judge.", question)
    assert defines('"Administrative warrant" means a warrant signed by an officer of ICE; and', question)
    assert not defines("3.3 Judicial warrant: A warrant signed by a judge.", question)


def test_an_alias_names_its_town_for_the_search() -> None:
    towns = load_towns()
    assert towns.spell_towns("can BPD tip off ICE") == "can BPD (Boston) tip off ICE"
    assert towns.spell_towns("does Boston PD talk to ICE") == "does Boston PD talk to ICE"
    assert towns.spell_towns("evrett police and ice") == "Everett police and ice"


def test_an_acronym_question_finds_the_name_it_stands_for(corpus_index) -> None:  # type: ignore[no-untyped-def]
    """The words an acronym stands for rarely sit near "what does … stand for": a keyword search for the acronym
    brings in a passage that spells it out, and that reply is never "nothing here"."""
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    answer = AssistantService(fixture_settings(corpus_index)).assistant.ask("what does sjc stand for")
    assert answer.kind in ("answer", "closest"), answer.answer
    assert "Supreme Judicial Court" in answer.answer


@pytest.mark.slow
def test_a_question_about_what_a_law_does_also_quotes_the_sentence_naming_it(corpus_index) -> None:  # type: ignore[no-untyped-def]
    """The licence summary says "the law" in its sections on who can apply; only its history names the Work and
    Family Mobility Act. That sentence is searched for and scored as its document's title is; without the rule the
    reply never names the law."""
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    question = "i don't have legal status, am i able to get a massachusetts drivers license these days?"
    named = AssistantService(fixture_settings(corpus_index)).ask(question)
    assert "Work and Family Mobility Act" in named.answer, named.answer
    plain = AssistantService(fixture_settings(corpus_index, law_named_lift=False)).ask(question)
    assert "Work and Family Mobility Act" not in plain.answer
    assert "license" in plain.answer  # the same question, answered from the same document
