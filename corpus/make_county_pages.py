"""Write the 14 county pages in documents/: the county's sheriff, district attorney and courts, and a line per town.

Run `python -m corpus.make_county_pages` after adding or retitling a town's document, so each town's line names
what the collection holds about it. The facts per county are below, each with its source; the town list comes from
data/municipalities.csv and the documents' `towns` metadata. The pages are statewide (no `towns` metadata) on
purpose: a question about a town with no document of its own is answered from statewide documents that mention it,
and each town's line is written to be quoted on its own.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTS = Path(__file__).parent / "documents"
MUNICIPALITIES = Path(__file__).parent / "data" / "municipalities.csv"
PAGE_DATE = "2026-04-27"


@dataclass(frozen=True)
class Source:
    """A public source the page rests on."""

    label: str
    url: str


GBH_SHERIFFS = Source(
    'GBH News, "How do Mass. sheriffs interact with ICE? We asked them", 2025-02-04',
    "https://wgbh.org/news/local/2025-02-04/how-do-mass-sheriffs-interact-with-ice-we-asked-them",
)
WBUR_2026 = Source(
    'WBUR, "GOP slams Mass. for not working with ICE, but reality tells a different story", 2026-02-13',
    "https://www.nenc.news/wbur/2026-02-13/gop-slams-mass-for-not-working-with-ice-but-reality-tells-a-different-story",
)
MDAA = Source(
    "Massachusetts District Attorneys Association, about the eleven elected district attorneys",
    "http://www.mass.gov/mdaa/welcomewilliams-welcome.html",
)
COURTS_BY_COUNTY = Source(
    "LexBlog, a Massachusetts defense lawyer's primer on how the courts are organized by county, 2019-08-24",
    "https://www.lexblog.com/2019/08/24/suffolk-county-da-rachel-rollins-more-suited-to-be-chief-public-defender-not-chief-county-prosecutor/",
)
BIOMETRIC = Source(
    'Biometric Update, "Massachusetts police share fingerprint data with ICE despite limits, report says", April 2026',
    "https://www.biometricupdate.com/202604/massachusetts-police-share-fingerprint-data-with-ice-despite-limits-report-says",
)
RECORDS = Source(
    'Secretary of the Commonwealth, Division of Public Records, "A Guide to the Massachusetts Public Records Law"',
    "https://www.sec.state.ma.us/divisions/pre/",
)
GLOBE_2021 = Source(
    'The Boston Globe, "Biden administration terminates ICE contract with Bristol Sheriff Thomas Hodgson", 2021-05-20',
    "https://www.bostonglobe.com/2021/05/20/metro/biden-administration-terminates-ice-contract-bristol-sheriff-thomas-hodgson/",
)
CAPE_DA = Source(
    "Office of the State Auditor, overview of the Cape and Islands District Attorney's Office",
    "https://www.mass.gov/info-details/overview-of-the-cape-and-islands-district-attorneys-office",
)
NORTHWESTERN_DA = Source(
    "Office of the State Auditor, overview of the Northwestern District Attorney's Office",
    "https://www.mass.gov/info-details/audit-of-the-northwestern-district-attorneys-office-overview-of-audited-entity",
)


@dataclass
class County:
    """What this collection records about one county, sentence by sentence, with its sources."""

    name: str
    district_attorney: str
    sheriff_facts: list[str]
    court_facts: list[str]
    sources: list[Source] = field(default_factory=list)


COUNTIES: dict[str, County] = {
    "Barnstable": County(
        "Barnstable",
        "the Cape and Islands District Attorney",
        [
            "The Barnstable County Sheriff's Office signed a 287(g) agreement with ICE in June 2007 under Sheriff "
            "James Cummings, according to Prison Legal News (2022-11-29).",
            "Sheriff Donna Buckley ended the Barnstable County 287(g) agreement on her first day in office in "
            "January 2023 (CAI, 2023-01-03; MassLive, 2023-01-05); the Provincetown Independent described it as the "
            "last 287(g) agreement then held by a sheriff's department in New England.",
            "In 2025 Sheriff Buckley told the Provincetown Independent that her office would not enter a 287(g) "
            "agreement or any other voluntary arrangement that deputizes her staff as immigration officers.",
            "GBH News reported in February 2025 that the Nantucket sheriff sends people in its custody to "
            "Barnstable County (GBH News, 2025-02-04).",
        ],
        [
            "The Cape and Islands District Attorney prosecutes crimes in Barnstable, Dukes and Nantucket counties, "
            "with offices in Barnstable, Edgartown, Falmouth, Nantucket and Orleans (Office of the State Auditor).",
        ],
        [
            CAPE_DA,
            Source(
                'CAI, "New Barnstable County sheriff to end ICE agreement on first day in office", 2023-01-03',
                "https://www.capeandislands.org/local-news/2023-01-03/new-barnstable-county-sheriff-to-end-ice-agreement-on-first-day-in-office",
            ),
            Source(
                'MassLive, "Newly sworn-in Barnstable sheriff Donna Buckley ends agreement with ICE", 2023-01-05',
                "https://www.masslive.com/capecod/2023/01/newly-sworn-in-barnstable-sheriff-donna-buckley-ends-agreement-with-ice.html",
            ),
            Source(
                "Prison Legal News, on the end of Barnstable County's 287(g) agreement, 2022-11-29",
                "https://www.prisonlegalnews.org/news/2022/nov/29/new-cape-cod-sheriff-will-rip-agreement-assist-ice-immigration-enforcement/",
            ),
            Source(
                "Provincetown Independent, immigration enforcement coverage, 2025",
                "https://provincetownindependent.org/tag/immigration-enforcement",
            ),
        ],
    ),
    "Berkshire": County(
        "Berkshire",
        "the Berkshire District Attorney",
        [],
        [
            "The Berkshire District Attorney's office serves all 32 cities and towns of Berkshire County and "
            "prosecutes cases in the Berkshire Superior Court, three district courts and three juvenile courts "
            "(Berkshire District Attorney's Office, 2021-10-21).",
        ],
        [
            Source(
                "Berkshire District Attorney's Office, press release on town hall meetings, 2021-10-21",
                "https://www.mass.gov/news/berkshire-district-attorneys-office-holding-town-hall-meetings-across-county",
            )
        ],
    ),
    "Bristol": County(
        "Bristol",
        "the Bristol County District Attorney",
        [
            "The Department of Homeland Security ended the Bristol County Sheriff's Office's 287(g) agreement and "
            "its contract to hold immigration detainees in May 2021 (ACLU of Massachusetts, 2021-05-20; The Boston "
            "Globe, 2021-05-20).",
            "DHS Secretary Alejandro Mayorkas called the treatment of detainees at Bristol County's immigration "
            "detention center in Dartmouth unacceptable when he ended the contract, according to WBSM (2021-05).",
        ],
        [],
        [
            Source(
                "ACLU of Massachusetts, statement on the end of the Bristol County ICE agreements, 2021-05-20",
                "https://www.aclum.org/en/press-releases/aclu-statement-biden-administration-terminating-bristol-county-ice-agreements",
            ),
            GLOBE_2021,
            Source(
                "WBSM, on the end of the Bristol County sheriff's partnership with ICE, May 2021",
                "https://wbsm.com/bristol-county-sheriff-ice-partnership-terminated/",
            ),
        ],
    ),
    "Dukes": County(
        "Dukes",
        "the Cape and Islands District Attorney",
        [
            "The Dukes County sheriff's office did not answer GBH News's February 2025 survey of sheriffs about "
            "how they communicate with ICE (GBH News, 2025-02-04).",
        ],
        [
            "The Cape and Islands District Attorney prosecutes crimes in Barnstable, Dukes and Nantucket counties "
            "and has an office in Edgartown (Office of the State Auditor).",
        ],
        [CAPE_DA],
    ),
    "Essex": County(
        "Essex",
        "the Essex County District Attorney",
        [
            "The Essex County sheriff's office did not answer GBH News's February 2025 survey of sheriffs about "
            "how they communicate with ICE (GBH News, 2025-02-04).",
        ],
        [],
        [],
    ),
    "Franklin": County(
        "Franklin",
        "the Northwestern District Attorney",
        [
            "Franklin County Sheriff Christopher Donelan said in May 2021 that he had recently ended an agreement "
            "to keep immigration detainees in one of his facilities (The Boston Globe, 2021-05-20).",
            "The Franklin County sheriff's office did not answer GBH News's February 2025 survey of sheriffs "
            "about how they communicate with ICE (GBH News, 2025-02-04).",
        ],
        [
            "The Northwestern District Attorney serves the cities and towns of Hampshire and Franklin counties and "
            "the town of Athol in Worcester County, with offices in Northampton and Greenfield (Office of the State "
            "Auditor).",
        ],
        [GLOBE_2021, NORTHWESTERN_DA],
    ),
    "Hampden": County(
        "Hampden",
        "the Hampden District Attorney",
        [
            "A Hampden County sheriff's spokesman told GBH News in February 2025 that ICE agents had contacted the "
            "office more often since President Trump took office, looking for particular people with detainers "
            "(GBH News, 2025-02-04).",
        ],
        [],
        [],
    ),
    "Hampshire": County(
        "Hampshire",
        "the Northwestern District Attorney",
        [],
        [
            "The Northwestern District Attorney serves the cities and towns of Hampshire and Franklin counties and "
            "the town of Athol in Worcester County, with its main office in Northampton (Office of the State "
            "Auditor).",
        ],
        [NORTHWESTERN_DA],
    ),
    "Middlesex": County(
        "Middlesex",
        "the Middlesex District Attorney",
        [],
        [
            "The Middlesex District Attorney prosecutes cases in the Middlesex Superior Court (Woburn and Lowell) "
            "and in the district courts at Ayer, Cambridge, Concord, Framingham, Lowell, Malden, Marlborough, "
            "Natick, Newton, Somerville, Waltham and Woburn (Office of the State Auditor).",
            "Middlesex District Attorney Marian Ryan was one of the plaintiffs who challenged ICE's courthouse "
            "arrests in federal court in 2019 (see the Ryan v. ICE document in this collection).",
        ],
        [
            Source(
                "Office of the State Auditor, overview of the Middlesex County District Attorney's Office",
                "https://www.mass.gov/info-details/overview-of-the-middlesex-county-district-attorneys-office",
            )
        ],
    ),
    "Nantucket": County(
        "Nantucket",
        "the Cape and Islands District Attorney",
        [
            "GBH News reported in February 2025 that the Nantucket County sheriff's office sends people in its "
            "custody to Barnstable County (GBH News, 2025-02-04).",
        ],
        [
            "The Cape and Islands District Attorney prosecutes crimes in Barnstable, Dukes and Nantucket counties "
            "and has an office on Nantucket (Office of the State Auditor).",
        ],
        [CAPE_DA],
    ),
    "Norfolk": County(
        "Norfolk",
        "the Norfolk District Attorney",
        [],
        [
            "The Norfolk District Attorney's office says it prosecutes about 20,000 cases a year (Norfolk District "
            "Attorney's Office).",
        ],
        [Source("Norfolk District Attorney's Office, about the office", "http://mass.gov/norfolkda")],
    ),
    "Plymouth": County(
        "Plymouth",
        "the Plymouth County District Attorney",
        [
            "The Plymouth County Sheriff's Department signed a 287(g) agreement with ICE in 2017 under Sheriff "
            "Joseph McDonald (WATD, 2017-11-24).",
            "Sheriff McDonald ended the Plymouth County 287(g) agreement in September 2021, citing too few trained "
            "staff and a smaller jail population (Patriot Ledger, 2021-09-10).",
            "The Plymouth County jail kept holding immigration detainees for ICE under a separate housing contract "
            "after the 287(g) agreement ended, GBH News reported (GBH News, 2021-09-10).",
        ],
        [],
        [
            Source(
                "WATD, on the Plymouth County Sheriff's Department signing a 287(g) agreement, 2017-11-24",
                "http://959watd.com/blog/2017/11/plymouth-county-sheriffs-department-signs-agreement-to-partner-with-ice/",
            ),
            Source(
                'Patriot Ledger, "Staff shortage, fewer inmates lead Plymouth County sheriff to end ICE program", '
                "2021-09-10",
                "https://www.patriotledger.com/story/news/2021/09/10/plymouth-county-sheriff-ending-information-sharing-agreement-ice/8279106002/",
            ),
            Source(
                'GBH News, "Plymouth sheriff ends contract to share immigrant information with ICE", 2021-09-10',
                "https://www.wgbh.org/news/local/2021-09-10/plymouth-sheriff-ends-contract-to-share-immigrant-information-with-ice",
            ),
        ],
    ),
    "Suffolk": County(
        "Suffolk",
        "the Suffolk County District Attorney",
        [
            "The Suffolk County sheriff's department ended its relationship with ICE in 2019, after protests, "
            "according to The Boston Globe (2021-05-20).",
            "The Suffolk County sheriff's office did not answer GBH News's February 2025 survey of sheriffs about "
            "how they communicate with ICE (GBH News, 2025-02-04).",
        ],
        [
            "The Suffolk County District Attorney prosecutes cases in the Suffolk County division of the Superior "
            "Court, the Chelsea District Court and eight divisions of the Boston Municipal Court (Office of the "
            "State Auditor).",
            "Suffolk District Attorney Rachael Rollins was one of the plaintiffs who challenged ICE's courthouse "
            "arrests in federal court in 2019 (see the Ryan v. ICE document in this collection).",
        ],
        [
            GLOBE_2021,
            Source(
                "Office of the State Auditor, overview of the Suffolk County District Attorney's Office",
                "https://www.mass.gov/info-details/overview-of-the-suffolk-county-district-attorneys-office",
            ),
        ],
    ),
    "Worcester": County(
        "Worcester",
        "the Worcester County District Attorney",
        [],
        [
            "Athol is the one Worcester County town served by the Northwestern District Attorney rather than the "
            "Worcester County District Attorney (Office of the State Auditor).",
        ],
        [NORTHWESTERN_DA],
    ),
}

GENERAL_SHERIFF_FACTS = [
    "Massachusetts has 14 county sheriffs and more than 320 local police departments (WBUR, 2026-02-13).",
    "Sheriffs told GBH News in February 2025 that they let ICE know when people it is interested in are about to "
    "leave custody, but that they cannot legally hold anyone past the release date (GBH News, 2025-02-04).",
    "As of April 2026 the only 287(g) agreement left in Massachusetts was the state Department of Correction's, "
    "not a sheriff's (Biometric Update, April 2026).",
]


def district_attorney(county: County, town: str) -> str:
    """The district attorney who prosecutes crimes in a town (Athol is the Northwestern District's)."""
    return "the Northwestern District Attorney" if town == "Athol" else county.district_attorney


def read_towns() -> dict[str, list[str]]:
    """County name → its municipalities, alphabetically."""
    by_county: dict[str, list[str]] = {}
    with MUNICIPALITIES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_county.setdefault(row["county"], []).append(row["name"])
    return {county: sorted(towns) for county, towns in by_county.items()}


def documents_by_town() -> dict[str, list[str]]:
    """Town → titles of the shipped documents tagged with it (county pages excluded)."""
    from corpus.loaders import is_supported, load_document

    titles: dict[str, list[str]] = {}
    for path in sorted(DOCUMENTS.iterdir()):
        if not is_supported(path) or path.name.startswith("county-"):
            continue
        meta = load_document(path).meta
        for town in meta.towns:
            titles.setdefault(town, []).append(meta.title)
    return titles


def town_line(town: str, county: County, titles: list[str]) -> str:
    """One self-contained sentence about a town: what the collection holds, who serves it, whom to ask."""
    if titles:
        # Kept short: the town's own documents answer its questions; this line only points to them.
        count = f"{len(titles)} document{'s' if len(titles) > 1 else ''}"
        return (
            f"In {town} ({county.name} County), see this collection's {count} tagged {town} (listed in the corpus "
            f"card); the county's sheriff is the {county.name} County Sheriff's Office and its prosecutor "
            f"{district_attorney(county, town)}; ask the {town} Police Department for its current policy."
        )
    else:
        holds = f"this collection has no {town} police policy or other document about {town}"
    return (
        f"In {town} ({county.name} County), {holds}; {town} is served by the {county.name} County Sheriff's Office "
        f"and {district_attorney(county, town)}, and the records access officer of the {town} Police Department "
        f"(or of the town, if it has no police department of its own) can provide the current policy on ICE "
        f"under the public records law."
    )


def render_page(county: County, towns: list[str], titles: dict[str, list[str]]) -> str:
    """The Markdown page for one county."""
    sources = [WBUR_2026, GBH_SHERIFFS, BIOMETRIC, MDAA, COURTS_BY_COUNTY, RECORDS, *county.sources]
    unique = list(dict.fromkeys(sources))
    held = sum(1 for t in towns if titles.get(t))
    lines = [
        "---",
        f"title: '{county.name} County: sheriff, district attorney, courts and what this collection holds for "
        f"each of its {len(towns)} cities and towns'",
        "doc_type: report",
        "towns: []",
        f"date: {PAGE_DATE}",
        "publisher: compiled by this knowledge base from GBH News, WBUR, Biometric Update, the Office of the State "
        "Auditor and the other sources listed",
        f"source_url: {GBH_SHERIFFS.url}",
        f"summary_of: Summary of public facts about {county.name} County's sheriff, district attorney and courts "
        f"(sources dated 2007 to April 2026), with a line for each of its {len(towns)} cities and towns",
        "---",
        f"# {county.name} County: sheriff, district attorney, courts and its {len(towns)} cities and towns",
        "",
        "## About this document",
        "",
        f"A county page prepared for this knowledge base from the public sources listed at the end. It gives the "
        f"{county.name} County facts a resident needs when a town's own policy is not in this collection, and a "
        f"line for each of the county's {len(towns)} cities and towns saying what this collection holds about it "
        f"({held} of them with a document of its own) and whom to ask for its police policy. It is not a town policy. "
        f"Facts are as of their sources' dates, given in each sentence.",
        "",
        f"## The {county.name} County sheriff and ICE",
        "",
        *[f"{fact}\n" for fact in GENERAL_SHERIFF_FACTS],
        *[f"{fact}\n" for fact in county.sheriff_facts],
    ]
    if not county.sheriff_facts:
        lines.append(
            f"This collection records no 287(g) agreement, past or present, for the {county.name} County Sheriff's "
            f"Office.\n"
        )
    lines += [
        "## District attorney and courts",
        "",
        f"Crimes in {county.name} County are prosecuted by {county.district_attorney}, one of the 11 elected "
        f"district attorneys in Massachusetts (Massachusetts District Attorneys Association).\n",
        *[f"{fact}\n" for fact in county.court_facts],
        "Massachusetts organizes its district courts and Superior Court by county, so criminal cases from a town "
        "are heard in the courts of its county (LexBlog, 2019).\n",
        "## Cities and towns",
        "",
        *[f"{town_line(town, county, titles.get(town, []))}\n" for town in towns],
        "## How to ask for a town's policy",
        "",
        "Any person may ask a police department for its written policy on ICE under the Massachusetts public "
        "records law; the request goes to the department's or the town's records access officer, and an appeal "
        "goes to the Supervisor of Records (Secretary of the Commonwealth). The guide to requesting your town's "
        "police policy in this collection explains the steps.\n",
        "## Sources",
        "",
        *[f"- {source.label}. {source.url}" for source in unique],
        "",
    ]
    return "\n".join(lines)


def page_path(county: str) -> Path:
    """Where a county's page is written."""
    return DOCUMENTS / f"county-{county.lower()}.md"


def main() -> None:
    titles = documents_by_town()
    for county, towns in read_towns().items():
        page_path(county).write_text(render_page(COUNTIES[county], towns, titles), encoding="utf-8")
        print(f"wrote {page_path(county)}")


if __name__ == "__main__":
    main()
