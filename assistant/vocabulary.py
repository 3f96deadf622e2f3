"""Everyday words in questions → the words official documents use for the same thing.

People ask "can the cops tip off ICE when my cousin gets out?"; policies say "police", "notify" and "release". The
embedding model links some of these pairs and the keyword index none, so a question is searched and its sentences
scored in the documents' words ("what the question was taken to mean", shown as the standalone question). The list
is general vocabulary of police, courts and immigration enforcement, not phrases of any eval set; a word is only
replaced where its everyday sense is the only likely one in a question about this subject.
"""

from __future__ import annotations

import re

# The fourteen counties' names.
_COUNTIES = (
    "barnstable|berkshire|bristol|dukes|essex|franklin|hampden|hampshire|middlesex|nantucket|norfolk|plymouth|"
    "suffolk|worcester"
)
# What "get out of" must be followed by to mean leaving an agreement, not custody or a place.
_OF_AGREEMENT = (
    r" (?:the |its |their |his |her |that |a |an )?(?:287 ?\(?g\)?|agreements?|contracts?|programs?|partnerships?|"
    r"task force|memorandum|deals?)"
)
# What "put out" must be followed by to mean publishing.
_WRITING = (
    r" (?:the |a |an |its |their |this |that |his |her )?(?:[\w\"'“”-]+ ){0,3}?(?:reports?|study|studies|statements?|"
    r"guides?|guidance|memos?|letters?|policy|policies|orders?|findings|data|numbers|figures|toolkit|survey)\b"
)
# What "get rid of" must be followed by to mean ending it: an agreement, a program, a rule.
_RULE = (
    r" (?:the |its |their |his |her |that |this |a |an )?(?:[\w()-]+ ){0,2}?(?:287 ?\(?g\)?|agreements?|contracts?|"
    r"programs?|partnerships?|task force|memorandum|deals?|polic(?:y|ies)|ordinances?|bylaws?|orders?|rules?)\b"
)
# Who is "taken to court" when that means sued: not a person ("him", "my brother"), who may be brought to a hearing.
_SUED = (
    r"(?:the |a |an |its |their )?(?:[\w'’()-]+ ){0,3}?(?:ice|dhs|sheriffs?|sheriff['’]s office|police|department|city|"
    r"town|state|commonwealth|county|government|agency|office|governor|mayor|feds|attorney general|administration)"
)
_OF_CUSTODY = r" (?:the |county |state )?(?:jail|prison|custody|detention|lockup|holding)"
# What a region's name must be followed by to mean its county's offices ("cape cod sheriff", "the vineyard's jail").
_COUNTY_OFFICE = r"(?:sheriffs?|jails?|houses? of correction)\b"
# What may follow "kick in" meaning "take effect": the end of the question, or when.
_THEN = r"\s*(?:[?.!,;]|$|(?:yet|already|now|when|on|in (?:\d|january|february|march|april|may|june|july|august|"
_THEN += r"september|october|november|december)|after|before|until|by|this|next|last)\b)"
# Who may refuse a request ("if they say no"): not the asker ("can i say no to a search" is the asker's own right).
_REFUSER = r"they|he|she|it|police|department|town|city|officers?|office|sheriff|clerk"
# A "no" that ends its clause: before a stop, the end, or a joining word ("if they say no, what then").
_CLAUSE_ENDS = r"(?=\s*(?:[?.!,;]|$|(?:and|but|so|then|what|can|do|does|is|will)\b))"
# Who films, or may: "can i film", "allowed to film" (the verb, not "a film about ICE").
_FILMERS = "to can could may might should i we you they he she people someone anyone police officers neighbors"
_WHO_FILMS = "|".join(rf"(?<=\b{w} )" for w in _FILMERS.split())
# "back" as in moving back, not supporting: "did they come back the next day", "push back the date".
_MOVED = "come came go went get got bring send give take call push roll pay turn look hold set fight put pull move step"
_MOVED += " scale cut be write run walk hand claw win kick ship fly deport let me him her it them us"
_NOT_MOVED = "".join(rf"(?<!\b{w} )" for w in _MOVED.split())
# Saying no and denying, in the same person and tense.
_REFUSALS = (("say", "deny"), ("says", "denies"), ("said", "denied"))
# What a refusal turns down: the asker or their request.
_REQUEST = r"me|us|you|(?:the|my|our|your|a) (?:records |public records )?request"
# What "who came up with" must be followed by to ask who proposed it: "it", or a law, rule or proposal.
_PROPOSAL = (
    r"\s+(?:it|that|this|them)\b|\s+(?:[\w'’()-]+\s+){0,4}?(?:acts?|laws?|bills?|ordinances?|bylaws?|polic(?:y|ies)|"
    r"rules?|orders?|ideas?|proposals?|amendments?|resolutions?|programs?|agreements?)\b"
)
# (everyday words as a regular expression, the documents' words); matched whole-word, in any case.
PLAIN_WORDS: tuple[tuple[str, str], ...] = (
    # chat shorthand first, so the rules below see the whole words
    (r"ppl", "people"),
    # "bristol cty": the county (not "cty council", which is a city's)
    (rf"({_COUNTIES}) cty", r"\1 county"),
    (r"w/o", "without"),
    (r"abt", "about"),
    (r"thru", "through"),
    (r"(?:(?<=can )|(?<=do )|(?<=are )|(?<=will )|(?<=if )|(?<=would )|(?<=could )|(?<=did )|(?<=should ))u", "you"),
    (r"ur", "your"),
    (r"cops?|po-?po", "police"),
    (r"(?<=\w )pd|(?<=\w )p\.d\.", "police department"),
    (r"feds", "federal authorities"),  # agents who arrest, or the government that ends a contract
    (r"la migra|migra", "ICE"),
    (r"tipp(?:ing|ed) off|ratt(?:ing|ed) out|snitch(?:ing|ed)(?: to)?", "notifying"),
    (r"tips? off|rats? out|snitch(?:es)?(?: to)?", "notify"),
    (r"heads[- ]up", "advance notice"),
    # leaving an agreement: "when did framingham get out of 287g" → "withdraw from 287g"
    (r"pulled the plug on", "ended"),
    (r"pull(?:s|ing)? the plug on", "end"),
    (rf"(?:got|pulled) out of(?={_OF_AGREEMENT})", "withdrew from"),
    (rf"(?:getting|pulling) out of(?={_OF_AGREEMENT})", "withdrawing from"),
    (rf"(?:gets?|pulls?) out of(?={_OF_AGREEMENT})", "withdraw from"),
    (rf"getting out of(?={_OF_CUSTODY})", "being released from"),
    (rf"gets out of(?={_OF_CUSTODY})", "is released from"),
    (rf"got out of(?={_OF_CUSTODY})", "was released from"),
    (r"(?:getting out|being let out)(?! of)", "being released"),
    (r"(?:gets out|is let out)(?! of)", "is released"),
    (r"got out(?! of)", "was released"),
    (r"(?:(?<=would )|(?<=will )|(?<=can )|(?<=could )|(?<=normally ))get out(?! of)", "be released"),
    # "the people ice had locked up there" → "the immigration detainees there"
    (
        r"(?:people|persons|immigrants|folks|detainees)(?: that| who)? (?:ice|immigration|the federal agents) "
        r"(?:had |has |have |was |were |is |are )?(?:held|holding|detained|locked up)",
        "immigration detainees",
    ),
    # "the immigrants held there": not "people held in the jail", who may be held on any charge
    (r"immigrants (?:being )?(?:held|locked up|detained)(?= there\b| in\b| at\b)", "immigration detainees"),
    # "my brother got picked up by immigration" → "detained by ICE"
    (r"picked up(?= by (?:ice|immigration|federal agents|the federal agents|agents|la migra)\b)", "detained"),
    # "my cousin got taken by immigration agents" → "detained by ICE": a person taken (not "steps were taken by ice",
    # "photos taken by ice agents"), by the agency or its agents (not "taken by immigration court")
    (
        r"(?!(?:steps|actions?|measures|decisions?|positions?|photos|pictures|fingerprints|samples|records|notes|"
        r"it|this|that|which|what)\b)([\w'’-]+ (?:got|get|gets|getting|was|were|been|being|is|are) )"
        r"(?:taken|grabbed|nabbed|snatched)(?: away)? by (?:the )?(?:ice|la migra|immigration(?= agents?\b| officers?\b|"
        r"\s*[,.?!]|$))(?: agents?| officers?)?",
        r"\1detained by ICE",
    ),
    (r"(?:(?<=ice )|(?<=immigration ))(?:picked|scooped) up", "detained"),
    (r"locked up", "held"),
    (r"minors", "juveniles"),
    (
        r"(?:(?<=a )|(?<=the ))minor(?! (?:offen[cs]es?|crimes?|charges?|traffic|violations?|infractions?|changes?|"
        r"role|part|issues?|details?|problems?|amount|league))",
        "juvenile",
    ),
    (r"kids", "juveniles"),
    (r"kid", "juvenile"),
    (r"(?<!big )(?<!good )(?<!raw )deals?(?! with)", "agreement"),
    # "its deal with ice" is an agreement; "how do police deal with ice" is no noun
    (
        r"(?:(?<=\bits )|(?<=\btheir )|(?<=\bthe )|(?<=\ba )|(?<=\bthat )|(?<=\bthis )|(?<=\bany )|(?<=['’]s ))"
        r"deals?(?= with)",
        "agreement",
    ),
    (r"(?:dump|ditch|scrapp|ax)ed|ditched|axed|scrapped", "ended"),
    (r"dump|ditch|scrap|axe", "end"),
    # "did the sheriff get rid of the ice agreement" → "end" (an agreement, a program, a rule; not "get rid of the
    # records" or of a sheriff)
    (rf"(?:got|gotten) rid of(?={_RULE})", "ended"),
    (rf"getting rid of(?={_RULE})", "ending"),
    (rf"gets rid of(?={_RULE})", "ends"),
    (rf"get rid of(?={_RULE})", "end"),
    (r"thr(?:ew|own) out|tossed out|struck down|shot down", "vacated"),
    (r"throw out|toss out|strike down|shoot down", "vacate"),
    # "undocumented people" → "people without legal immigration status"; left alone before a possessive
    (
        r"an(?= undocumented (?:person|resident|worker|parent|kid|child|student|neighbou?r|friend|relative)\b)",
        "a",
    ),
    (
        r"undocumented (people|persons?|immigrants?|residents?|workers?|parents?|kids?|children|child|students?|folks|"
        r"families|family|mom|mother|dad|father|neighbou?rs?|friends?|relatives?|husband|wife|son|daughter|brother|"
        r"sister|cousin)(?!['’\w])",
        r"\1 without legal immigration status",
    ),
    (r"undocumented(?! [\w-]+['’])", "without legal immigration status"),
    (
        r"(people|persons?|folks|immigrants?|someone|somebody|anyone|residents?|workers?) (?:without|with no) "
        r"(?:legal )?papers",
        r"\1 without legal immigration status",
    ),
    # "hold someone just for ICE" / "just because ice asked": the documents say "solely"
    (
        r"(?:(?<=\bhold )|(?<=\bheld )|(?<=\bholding )|(?<=\bkeep )|(?<=\bkept )|(?<=\bdetain )|(?<=\bdetained )|"
        r"(?<=\barrest )|(?<=\barrested )|(?<=\bsomeone )|(?<=\bsomebody )|(?<=\banyone )|(?<=\bpeople )|(?<=\bthem )|"
        r"(?<=\bhim )|(?<=\bher ))(?:just|only)(?= (?:for|because|on|so|based on|over)\b)"
        # how long is no reason: "just for a day"
        r"(?! for (?:a|an|one|two|three|\d+|a few|several|the) ?(?:day|days|hour|hours|week|weeks|night|nights|"
        r"minute|minutes|while)\b)",
        "solely",
    ),
    # "who took the sheriff to court" → "who sued the sheriff" (an agency or an official; not a person brought to a
    # hearing: "they took him to court")
    (rf"took ({_SUED}) to court\b", r"sued \1"),
    *((rf"{take} ({_SUED}) to court\b", rf"{sue} \1") for take, sue in (("takes", "sues"), ("taking", "suing"))),
    # "ice snatching people at courthouses" is arresting them; "call ice first" is starting contact with it
    *(
        (rf"{snatch}(?= (?:people|someone|somebody|immigrants|him|them)\b(?!['’]s))", arrest)
        for snatch, arrest in (("snatching", "arresting"), ("snatched", "arrested"), ("snatch", "arrest"))
    ),
    # "who came up with it" asks who proposed a law or rule: who introduced it
    (rf"(?<=\bwho )(?:came|comes|come) up with(?={_PROPOSAL})", "introduced"),
    (rf"(?<=\bwho )(?:thought|dreamed|dreamt) up(?={_PROPOSAL})", "introduced"),
    (
        r"(?:call|contact|reach out to|get in touch with) (ice|immigration)(?: agents)? first(?! or\b)",
        r"start contact with \1",
    ),
    (
        r"(?:(?<=\bto )|(?<=\bcan )|(?<=\bcould )|(?<=\bwill )|(?<=\bwould )|(?<=\bdid )|(?<=\bdo )|(?<=\bdoes )|"
        rf"(?<=\bi )|(?<=\bwe )|(?<=\bever ))take ({_SUED}) to court\b",
        r"sue \1",
    ),
    # 287(g) described rather than named: "agreements where county jails act as immigration agents", "deals that let
    # local cops do ICE's job"
    (
        r"(agreements?|deals?|programs?|contracts?|partnerships?) (?:where|that let|that lets|which let|which lets|"
        r"letting|allowing|that allow|that allows|to let|so) (?:the )?(?:local |county |town |city |state )?(?:jails?|police|"
        r"cops|sheriffs?|sheriff['’]s (?:offices?|departments?)|deputies|officers|jail staff|guards|prisons?) "
        r"(?:to )?(?:act|work|serve) as (?:immigration|ice|federal immigration) (?:agents|officers)",
        r"287(g) \1",
    ),
    (
        r"(?:(?<=\bblock )|(?<=\bban )|(?<=\bbar )|(?<=\bstop )|(?<=\ballow )|(?<=\bsign ))any more(?= (?:287 ?\(?g\)?|agreements?|"
        r"deals?|contracts?)\b)",
        "new",
    ),
    # "which agreements are over now" → "ended" (not "over the years", "over 100")
    (r"(?:(?<=\bis )|(?<=\bare )|(?<=\bwas )|(?<=\bwere ))over(?=\s*(?:now|yet|already|for good|[?.!]|$))", "ended"),
    (
        r"((?:is|are|was|were) (?:the |that |this |their |its )[\w'’()-]+(?: [\w'’()-]+){0,3}) over(?=\s*(?:now|yet|already|[?.!]|$))",
        r"\1 ended",
    ),
    (r"gonna", "going to"),
    (r"wanna", "want to"),
    (r"gotta", "have to"),
    (r"judge['’]?s warrant|warrant from a judge", "judicial warrant"),
    (r"carve[- ]?outs?|loopholes?", "exceptions"),
    (r"bpd", "Boston police department"),
    (r"(?:higher|appeals?|appellate) court", "appeals court"),
    # "immigration" for the agency: "share with immigration", "immigration detained my husband"; not "immigration
    # status", "immigration agents", "immigration law" …
    (
        r"(?:(?<=\bto )|(?<=\bwith )|(?<=\bby )|(?<=\bfrom )|(?<=\btell )|(?<=\bcall )|(?<=\bask )|(?<=\bnotify )|"
        r"(?<=\bcontact )|(?<=\binform )|(?<=\balert )|(?<=\bif )|(?<=\bwhen )|(?<=\bonce )|(?<=\bcan )|(?<=\bcould )|"
        r"(?<=\bdoes )|(?<=\bdid )|(?<=\bwill )|(?<=^))immigration(?! (?:status|laws?|enforcement|detainers?|"
        r"courts?|judges?|agents?|officers?|officials?|authorities|polic(?:y|ies)|holds?|checks?|query|cases?|matters|"
        r"lawyers?|attorneys?|papers|documents|system|records|history|violations?|detention|custody|services|"
        r"questions?|issues?|raids?|arrests?|hearings?|reform|bill|act|advocates?|groups?|consequences?|proceedings?|"
        r"relief|benefits?|bonds?|detainees?|applications?|forms?|fees?|appointments?))",
        "ICE",
    ),
    (r"ice holds?(?= on\b| request| form|\s*[?.!]|\s*$)", "immigration detainer"),
    (r"info", "information"),
    (r"depts", "departments"),
    (r"dept", "department"),
    # a request refused: "and if they say no?" → "deny it", the word of the records law and its guides; only a "no"
    # that ends its clause ("they say no one has to talk to ice" is no refusal), and not "say no to …" ("did the city
    # say no to ice" is a stance) nor the asker's own "no" ("can i say no to a search")
    *((rf"({_REFUSER}) {say} no{_CLAUSE_ENDS}", rf"\1 {deny} it") for say, deny in _REFUSALS),
    # "turned my request down", "turned down my request" (not "turn it down": a legislature's vote is no denial)
    *(
        (rf"{turn} ({_REQUEST}) down\b|{turn} down ({_REQUEST})\b", rf"{deny} \1\2")
        for turn, deny in (("turn", "deny"), ("turns", "denies"), ("turned", "denied"))
    ),
    (r"(?:gets|get|is) turned down", "is denied"),
    (r"(?:got|was) turned down", "was denied"),
    (r"govt", "government"),
    # "passing stuff along to ICE" is sharing information with it
    *(
        (
            rf"{verb} (?:stuff|info|information|things|data|details|names)(?: along| on)? to"
            r"(?= (?:the )?(?:ice|dhs|immigration|feds|federal|homeland)\b)",
            share,
        )
        for verb, share in (
            ("passing", "sharing information with"),
            ("passes", "shares information with"),
            ("passed", "shared information with"),
            ("pass", "share information with"),
        )
    ),
    # a fee asked of a requester: "can they make me pay for copies" → "charge me a fee for copies"
    (
        r"make (me|us|you|people|someone|requesters) pay for(?= (?:the |a |any |their |its )?(?:cop(?:y|ies)|records?|"
        r"requests?|reports?|documents?|polic(?:y|ies)|it|them)\b)",
        r"charge \1 a fee for",
    ),
    (r"make (me|us|you|people|someone|requesters) pay(?=\s*(?:[?.!,]|$|to get\b))", r"charge \1 a fee"),
    # filming an arrest is recording it, the guides' word
    (r"filming|videotaping", "recording"),
    (r"filmed|videotaped", "recorded"),
    (rf"(?:{_WHO_FILMS})(?:film|videotape)(?! (?:school|crew|class|festival|studies)\b)", "record"),
    # who "brought the case" sued: "who brought the lawsuit against ice" → "who sued ice" (not a prosecution or a
    # removal case "against my husband", nor bringing a case to court)
    *(
        (
            rf"{verb} (?:the|a|this|that) (?:case|suit|lawsuit|challenge)(?: against(?= {_SUED}\b)|(?! (?:to|before|up|against)\b))",
            sued,
        )
        for verb, sued in (("(?:brought|filed)", "sued"), ("(?:brings|files)", "sues"), ("(?:bring|file)", "sue"))
    ),
    # and "who brought the ryan v. ice case" sued in it (a case named by its parties)
    (
        r"(?:brought|filed) (the (?!(?:commonwealth|state|people|u\.?s\.?|united states) vs?\b)"
        r"(?:(?!(?:in|of|on|for)\b)[\w'’.-]+ ){1,3}?vs?\.? (?:[\w'’.&-]+ ){1,4}?(?:case|suit|lawsuit))"
        r"(?!['’]s)(?! (?:to|before|up|against)\b)",
        r"sued in \1",
    ),
    # "does healey back it" → "support it" (not "come back", "push back the date": only after who asks)
    (
        rf"(?:(?<=does )|(?<=do )|(?<=did )|(?<=would )|(?<=will ))((?:[\w'’-]+ ){{1,3}}){_NOT_MOVED}back"
        r"(?= (?:it|this|that|the|them|these|those|its|their)\b)",
        r"\1support",
    ),
    (r"sign(?:s|ed)? off on", "issued"),
    # "is enforcing immigration law part of the department's job": part of its mission (not the asker's own job, a
    # job description or a job fair)
    (
        r"(?:part|one) of ((?:the |their |its |his |her |our |[\w.-]+['’]s |(?!(?:a|an|my|your)\b)[\w.-]+ ){1,3}?)"
        r"jobs?\b(?! (?:applications?|interviews?|offers?|openings?|listings?|fairs?|training|descriptions?|titles?))",
        r"part of \1mission",
    ),
    # "did the cops report someone to immigration": call ICE about them
    (
        r"report(ed|s|ing)? (someone|somebody|anyone|anybody|a person|people|me|us|him|her|them|a man|a woman|my \w+) "
        r"to (?:ice agents|immigration agents|federal authorities|ice|immigration)",
        r"call\1 ICE about \2",
    ),
    # paraphrases of the documents' verbs: "took the place of" replaced, "wrapped up" an agreement ended, "how did
    # the chief justify it" defend it
    *(
        (rf"{took} the place of", replaced)
        for took, replaced in (
            ("took", "replaced"),
            ("take", "replace"),
            ("takes", "replaces"),
            ("taking", "replacing"),
        )
    ),
    # "pulling out of the ice deal", "wrapping up their 287(g) arrangements": ending them (not a plea deal)
    *(
        (
            rf"{verb}(?= (?!(?:(?:the|its|their|his|her|that|a|an|my) )?plea\b)(?:the |its |their |his |her |that |a |an )?"
            r"(?:[\w()-]+ ){0,2}?"
            r"(?:287 ?\(?g\)?|agreements?|contracts?|programs?|partnerships?|deals?|arrangements?)\b)",
            end,
        )
        for verbs, end in (
            (("pull out of", "wrap up"), "end"),
            (("pulls out of", "wraps up"), "ends"),
            (("pulled out of", "wrapped up"), "ended"),
            (("pulling out of", "wrapping up"), "ending"),
        )
        for verb in verbs
    ),
    (r"(?<=\bhow )(did|do|does|can|could|would) ((?:[\w'’.-]+ ){1,7}?)justify", r"\1 \2defend"),
    # "who talked to the press on its behalf": who spoke for it
    *(
        (rf"({talk}) (?:to|with) (?:the press|reporters|the media|journalists) on {whose} behalf", rf"{spoke} {whom}")
        for talk, spoke in (("talked|spoke", "spoke for"), ("talks|speaks", "speaks for"))
        for whose, whom in (("its", "it"), ("their", "them"), ("his", "him"), ("her", "her"))
    ),
    *(
        (
            rf"(?:{talk}) (?:to|with) (?:the press|reporters|the media|journalists) on "
            r"((?!(?:its|their|his|her|my|our|your)\b)[\w'’. -]{1,40}?)(?:['’]s)? behalf",
            rf"{spoke} \1",
        )
        for talk, spoke in (("talked|spoke", "spoke for"), ("talks|speaks", "speaks for"))
    ),
    # "the head of quincy pd": the Quincy police chief (not the head of a police union, board or unit)
    (
        r"(?:the )?head of (?:the )?((?:[\w-]+ ){0,2}?)(?:pd|police department|police)(?!['’])"
        r"(?!\s*(?:department['’]s|dept['’]s|union|association|academy|station|officers?|commission|board|budget|"
        r"force|reform|unit|dogs?|review|accountability|oversight|[\w-]+ board)\b)",
        r"the \1police chief",
    ),
    # a vote by its count: "the yes and no count", "by what margin did it pass", "the tally when they passed it"
    (r"(?:final )?(?:yes|yea|aye)s?(?: and |/| or |-)(?:no|nay)s? (?:count|tally|numbers?|split)", "vote"),
    (
        r"(?<=by )what margin(?=.*\b(?:pass|passed|approv\w*|adopt\w*|vot\w+|win|won|reject\w*|get through|"
        r"got through)\b)",
        "what vote",
    ),
    (r"tally(?! of\b)(?=.*\b(?:pass|passed|adopt|adopted|approved|got through|get through|voted)\b)", "vote"),
    # "the councilors' tally": their vote
    (
        r"(?:(?<=council )|(?<=councilors['’] )|(?<=councillors['’] )|(?<=council['’]s )|(?<=meeting['’]s )|"
        r"(?<=members['’] ))tally",
        "vote",
    ),
    # "which clerk put their name on it": who signed it (not "did the mayor put her name on", whose tense the rule
    # cannot keep, nor a name put on a list)
    (
        r"(who|which [\w-]+) put (?:their|his|her|its) (?:own )?(?:names?|signatures?) on"
        r"(?! (?:a |an |the |their |his |her |any )?(?:watch ?lists?|lists?|databases?|registry|registries|forms?|"
        r"ballots?)\b)",
        r"\1 signed",
    ),
    # the court's head: "the top justice back then", "the top judge on the sjc"
    (r"(?:top|head) justice", "chief justice"),
    (
        r"(?:top|head) judge(?= (?:on|of|at) (?:the )?(?:sjc|supreme judicial court|high court|supreme court|"
        r"state['’]s (?:top|highest) court)\b)",
        "chief justice",
    ),
    (rf"(?:start|begin) (?:to apply|applying)(?={_THEN})", "take effect"),
    (rf"(?:starts|begins) (?:to apply|applying)(?={_THEN})", "takes effect"),
    (rf"(?:started|began) (?:to apply|applying)(?={_THEN})", "took effect"),
    # "when does the ordinance kick in" → "take effect": only at the question's end or before a time word, not
    # "kick in money" or "kicked in the door"
    (rf"kick in(?={_THEN})", "take effect"),
    (rf"kicks in(?={_THEN})", "takes effect"),
    (rf"(?:(?<=has )|(?<=have )|(?<=had ))kicked in(?={_THEN})", "taken effect"),
    (rf"kicked in(?={_THEN})", "took effect"),
    # regions people name a county's sheriff or jail by, the county's name added: Cape Cod is Barnstable County,
    # Martha's Vineyard Dukes County ("the new Cape Cod sheriff" is also how the documents' sources put it)
    (rf"cape cod(?=(?:['’]s)? {_COUNTY_OFFICE})", r"\g<0> (Barnstable County)"),
    # "the sheriff on the cape", "the cape's jail": Cape Cod's (not Cape Ann, on the North Shore)
    (
        rf"({_COUNTY_OFFICE}) (?:on|of|for|down on|out on) the cape(?! (?:ann|verde\w*)\b)",
        r"\1 of Cape Cod (Barnstable County)",
    ),
    (rf"the cape['’]s(?= {_COUNTY_OFFICE})", "Cape Cod's (Barnstable County)"),
    (rf"(?:martha['’]?s )?vineyard(?=(?:['’]s)? {_COUNTY_OFFICE})", r"\g<0> (Dukes County)"),
    (r"figure out", "find out"),
    (r"figures out", "finds out"),
    (r"figured out", "found out"),
    (r"figuring out", "finding out"),
    # "what can they bill me for a copy" → "charge me"; not a bill before the legislature
    (r"(?<!the )(?<!a )(?<!this )(?<!that )bill(?=(?:ed)? (?:me|us|you|them|people|residents|requesters)\b)", "charge"),
    (r"billed(?= (?:me|us|you|them|people|residents|requesters)\b)", "charged"),
    # "who put out the report" → "who published the report"; not "put out a fire"
    (rf"(?:(?<=did )|(?<=does )|(?<=do )|(?<=to )|(?<=will )|(?<=would )|(?<=can ))put out(?={_WRITING})", "publish"),
    (rf"puts out(?={_WRITING})", "publishes"),
    (rf"put out(?={_WRITING})|came out with(?={_WRITING})", "published"),
    (rf"putting out(?={_WRITING})", "publishing"),
    # "who put that report out": the same, with its object between
    (
        rf"(?:(?<=did )|(?<=does )|(?<=do )|(?<=to )|(?<=will )|(?<=would )|(?<=can ))put({_WRITING}) out\b",
        r"publish\1",
    ),
    (rf"put({_WRITING}) out\b", r"published\1"),
    (r"(?-i:AG)|(?-i:[Aa]\.[Gg]\.)|(?<=the )ag(?=['’]s\b|\b)(?! \w+ (?:school|department)\b)", "Attorney General"),
    (r"(?-i:DAs)", "district attorneys"),
    (r"(?-i:DA)|(?-i:[Dd]\.[Aa]\.)", "district attorney"),
    (r"(?-i:DOC)", "Department of Correction"),
    # the state's top court is the SJC (not "the top court" alone, which may be the U.S. Supreme Court)
    (
        r"(?<!sjc )(?<!sjc the )(?:the )?(?:state['’]?s|massachusetts['’]?|mass(?:achusetts)?) (?:top|highest) court"
        r"(?! (?:of|in)\b)|(?:the )?(?:top|highest) court (?:in|of) (?:the state|mass(?:achusetts)?)(?![.\w]| of\b)",
        "the Supreme Judicial Court",
    ),
    (r"sjc(?!['’]s)", "Supreme Judicial Court"),
    (r"sjc['’]s", "Supreme Judicial Court's"),
    (r"(?<!\.)(?:gov|guv)(?![.\w])", "governor"),
    (r"in mass(?![.\w])", "in Massachusetts"),
    (r"(?<!\.)mass(?= (?:police|law|state|sheriffs?|courts?|sjc|supreme|legislature)\b)", "Massachusetts"),
    # a federal court of appeals as opinions cite it ("3d Cir."), its name kept for prose ("the First Circuit")
    *(
        # (a citation already there, a follow-up's copy of another circuit's, is replaced; a possessive kept)
        (
            rf"(?:{word}|{ordinal}) circuit(['’]s)?(?: \(\w+ Cir\.\))?",
            rf"{word.title()} Circuit\1 ({cited} Cir.)",
        )
        for word, ordinal, cited in (
            ("first", "1st", "1st"),
            ("second", "2nd", "2d"),
            ("third", "3rd", "3d"),
            ("fourth", "4th", "4th"),
            ("fifth", "5th", "5th"),
            ("sixth", "6th", "6th"),
            ("seventh", "7th", "7th"),
            ("eighth", "8th", "8th"),
            ("ninth", "9th", "9th"),
            ("tenth", "10th", "10th"),
            ("eleventh", "11th", "11th"),
        )
    ),
)

_PATTERNS = [(re.compile(rf"\b(?:{words})(?!\w)", re.I), plain) for words, plain in PLAIN_WORDS]
# "what does DA stand for" asks about the abbreviation itself: left as typed.
_ASKS_MEANING = re.compile(r"\b(?:stands?|short) for\b|\bmean(?:s|ing)?\b", re.I)


def plain_words(question: str) -> str:
    """The question in the documents' words (see PLAIN_WORDS); unchanged when it has none of the everyday ones or
    asks what a word means."""
    if _ASKS_MEANING.search(question):
        return question
    for pattern, plain in _PATTERNS:
        question = pattern.sub(plain, question)
    return question
