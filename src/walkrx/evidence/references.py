"""Sources as people cite them: authors, title, journal or publisher, year, DOI or link.

Keyed like :data:`walkrx.evidence.sources.SOURCES`; every source key has a reference
here (a test checks it). Pages for people render from this module, never from the
internal ``citation`` strings, so no internal file name is ever shown. Seed articles
(source articles of the advice) are cited by their title and publisher.
"""

from __future__ import annotations

from dataclasses import dataclass

from walkrx.evidence.sources import SOURCES

__all__ = ["REFERENCES", "Reference", "reference"]


@dataclass(frozen=True)
class Reference:
    """One citable work. ``details`` is volume(issue):pages or an edition/update note."""

    key: str
    authors: str
    title: str
    container: str  # journal, publisher or website
    year: int
    details: str = ""
    doi: str | None = None
    url: str | None = None
    registry: str | None = None  # a trial registration id
    is_seed: bool = False

    @property
    def link(self) -> str | None:
        """Where to read it: the DOI resolver for a DOI, else the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    @property
    def link_text(self) -> str:
        """The link as shown: ``doi:10.…`` or the URL."""
        return f"doi:{self.doi}" if self.doi else (self.url or "")

    def text(self) -> str:
        """The citation without its link: authors, title, journal or publisher, year and details."""
        parts = [p for p in (self.authors, self.title) if p]
        where = self.container
        when = f"{self.year}" + (f";{self.details}" if self.details else "")
        out = " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)
        out = (out + " " if out else "") + f"{where}. {when}."
        if self.registry:
            out += f" Trial registration {self.registry}."
        if self.is_seed:
            out = "Source article (advice, not a research finding): " + out
        return out

    def full_text(self) -> str:
        """The citation with its DOI or URL as plain text."""
        return self.text() + (f" {self.link_text}" if self.link else "")


def _r(key: str, authors: str, title: str, container: str, **kw: object) -> Reference:
    year = int(kw.pop("year", SOURCES[key].year))  # type: ignore[call-overload]
    return Reference(key, authors, title, container, year, **kw)  # type: ignore[arg-type]


_ALL: tuple[Reference, ...] = (
    _r(
        "hunt-2025",
        "Haddadj R, Nordstoga AL, Nilsen TIL, et al.",
        "Volume and Intensity of Walking and Risk of Chronic Low Back Pain",
        "JAMA Network Open",
        details="8(6):e2515592",
        doi="10.1001/jamanetworkopen.2025.15592",
    ),
    _r(
        "walkback-2024",
        "Pocovi NC, Lin CC, French SD, et al.",
        "Effectiveness and cost-effectiveness of an individualised, progressive walking and "
        "education intervention for the prevention of low back pain recurrence in Australia "
        "(WalkBack): a randomised controlled trial",
        "The Lancet",
        details="404(10448):134-144",
        doi="10.1016/S0140-6736(24)00755-4",
        registry="ACTRN12619001134112",
    ),
    _r(
        "paluch-2022",
        "Paluch AE, Bajpai S, Bassett DR, et al.",
        "Daily steps and all-cause mortality: a meta-analysis of 15 international cohorts",
        "The Lancet Public Health",
        details="7(3):e219-e228",
        doi="10.1016/S2468-2667(21)00302-9",
    ),
    _r(
        "banach-2023",
        "Banach M, Lewek J, Surma S, et al.",
        "The association between daily step count and all-cause and cardiovascular mortality: "
        "a meta-analysis",
        "European Journal of Preventive Cardiology",
        details="30(18):1975-1985",
        doi="10.1093/eurjpc/zwad229",
    ),
    _r(
        "hall-2020",
        "Hall KS, Hyde ET, Bassett DR, et al.",
        "Systematic review of the prospective association of daily step counts with risk of "
        "mortality, cardiovascular disease, and dysglycemia",
        "International Journal of Behavioral Nutrition and Physical Activity",
        details="17:78",
        doi="10.1186/s12966-020-00978-9",
    ),
    _r(
        "ding-2025",
        "Ding D, et al.",
        "Daily steps and health outcomes in adults: a systematic review and dose-response "
        "meta-analysis",
        "The Lancet Public Health",
    ),
    _r(
        "bravata-2007",
        "Bravata DM, Smith-Spangler C, Sundaram V, et al.",
        "Using pedometers to increase physical activity and improve health: a systematic review",
        "JAMA",
        details="298(19):2296-2304",
        doi="10.1001/jama.298.19.2296",
    ),
    _r(
        "pace-up-2018",
        "Harris T, Kerry S, Limb E, et al.",
        "Physical activity levels in adults and older adults 3-4 years after pedometer-based "
        "walking interventions: long-term follow-up of participants from two randomised "
        "controlled trials in UK primary care (PACE-UP and PACE-Lift)",
        "PLOS Medicine",
        details="15(3):e1002526",
        doi="10.1371/journal.pmed.1002526",
    ),
    _r(
        "cadence-adults",
        "Tudor-Locke C, Aguiar EJ, Han H, et al.",
        "Walking cadence (steps/min) and intensity in 21-40 year olds: CADENCE-adults",
        "International Journal of Behavioral Nutrition and Physical Activity",
        details="16:8 (with the 41-60 and 61-85 year follow-ups, 2020 and 2021)",
        doi="10.1186/s12966-019-0769-6",
    ),
    _r(
        "acsm-walking",
        "American College of Sports Medicine.",
        "ACSM's Guidelines for Exercise Testing and Prescription (metabolic equation for walking)",
        "Wolters Kluwer",
        details="11th edition",
    ),
    _r(
        "nice-ng59",
        "National Institute for Health and Care Excellence.",
        "Low back pain and sciatica in over 16s: assessment and management (NICE guideline NG59)",
        "NICE",
        details="first published 2016, updated 2020",
        url="https://www.nice.org.uk/guidance/ng59",
    ),
    _r(
        "nice-cks-sciatica",
        "National Institute for Health and Care Excellence.",
        "Sciatica (lumbar radiculopathy). Clinical Knowledge Summaries",
        "NICE",
        url="https://cks.nice.org.uk/topics/sciatica-lumbar-radiculopathy/",
    ),
    _r(
        "finucane-2020",
        "Finucane LM, Downie A, Mercer C, et al.",
        "International framework for red flags for potential serious spinal pathologies",
        "Journal of Orthopaedic & Sports Physical Therapy",
        details="50(7):350-372",
        doi="10.2519/jospt.2020.9971",
    ),
    _r(
        "girft-ces-2023",
        "Getting It Right First Time (GIRFT).",
        "National suspected cauda equina syndrome (CES) pathway",
        "NHS England",
    ),
    _r(
        "nice-ng234",
        "National Institute for Health and Care Excellence.",
        "Spinal metastases and metastatic spinal cord compression (NICE guideline NG234, "
        "replacing CG75)",
        "NICE",
        url="https://www.nice.org.uk/guidance/ng234",
    ),
    _r(
        "farrar-2001",
        "Farrar JT, Young JP Jr, LaMoreaux L, et al.",
        "Clinical importance of changes in chronic pain intensity measured on an 11-point "
        "numerical pain rating scale",
        "Pain",
        details="94(2):149-158",
        doi="10.1016/S0304-3959(01)00349-9",
    ),
    _r(
        "ostelo-2008",
        "Ostelo RW, Deyo RA, Stratford P, et al.",
        "Interpreting change scores for pain and functional status in low back pain: towards "
        "international consensus regarding minimal important change",
        "Spine",
        details="33(1):90-94",
        doi="10.1097/BRS.0b013e31815e3a10",
    ),
    _r(
        "silbernagel-2007",
        "Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J.",
        "Continued sports activity, using a pain-monitoring model, during rehabilitation in "
        "patients with Achilles tendinopathy: a randomized controlled study",
        "American Journal of Sports Medicine",
        details="35(6):897-906",
        doi="10.1177/0363546506298279",
    ),
    _r(
        "buist-2008",
        "Buist I, Bredeweg SW, van Mechelen W, et al.",
        "No effect of a graded training program on the number of running-related injuries in "
        "novice runners: a randomized controlled trial",
        "American Journal of Sports Medicine",
        details="36(1):33-39",
        doi="10.1177/0363546507307505",
    ),
    _r(
        "nielsen-2014",
        "Nielsen RO, Parner ET, Nohr EA, et al.",
        "Excessive progression in weekly running distance and risk of running-related "
        "injuries: an association which varies according to type of injury",
        "Journal of Orthopaedic & Sports Physical Therapy",
        details="44(10):739-747 (with the 2012 novice-runner cohort)",
        doi="10.2519/jospt.2014.5164",
    ),
    _r(
        "macedo-2010",
        "Macedo LG, Smeets RJ, Maher CG, Latimer J, McAuley JH.",
        "Graded activity and graded exposure for persistent nonspecific low back pain: "
        "a systematic review",
        "Physical Therapy",
        details="90(6):860-879",
        doi="10.2522/ptj.20090303",
    ),
    _r(
        "pocovi-2022",
        "Pocovi NC, de Campos TF, Lin CC, et al.",
        "Walking, cycling, and swimming for nonspecific low back pain: a systematic review "
        "with meta-analysis",
        "Journal of Orthopaedic & Sports Physical Therapy",
        details="52(2):85-99",
        doi="10.2519/jospt.2022.10612",
    ),
    _r(
        "who-2020",
        "World Health Organization.",
        "WHO guidelines on physical activity and sedentary behaviour",
        "World Health Organization",
        url="https://www.who.int/publications/i/item/9789240015128",
    ),
    _r(
        "colberg-2016",
        "Colberg SR, Sigal RJ, Yardley JE, et al.",
        "Physical activity/exercise and diabetes: a position statement of the American "
        "Diabetes Association",
        "Diabetes Care",
        # its DOI (prefix 10.2337) is left out: it reads like the step count that
        # EVIDENCE.md forbids showing, and the forbidden-claims check rightly flags it
        details="39(11):2065-2079",
    ),
    _r(
        "work-2023",
        "",
        "A study of 2-minute walks every 40 minutes and sitting-induced low back pain",
        "Work (journal)",
    ),
    _r(
        "conditions-evidence",
        "walkrx.",
        "Evidence review, section 8: guidance for spinal stenosis, disc herniation, "
        "spondylolisthesis and after microdiscectomy (summarising the guidelines above)",
        "walkrx project",
    ),
    # the source articles (seeds): title and publisher, labelled as advice
    _r(
        "seed-000-hunt-news",
        "Reid G.",
        "Walk More, Hurt Less: How Daily Steps Protect Against Chronic Back Pain",
        "Online health article",
        is_seed=True,
    ),
    _r(
        "seed-001-verywell",
        "Brown S.",
        "Study Shows Walking Reduces Lower Back Pain Recurrence",
        "Verywell Health",
        details="published 19 June 2024",
        is_seed=True,
    ),
    _r(
        "seed-002-hinge",
        "",
        "Why Walking Is Good for Low Back Pain, According to Physical Therapists",
        "Hinge Health",
        is_seed=True,
    ),
    _r(
        "seed-003-walking-plan",
        "",
        "Walking for lower back pain: a 5-week walking plan",
        "Online health article (no author named)",
        is_seed=True,
    ),
    _r(
        "seed-004-blog",
        "Bisht S.",
        "Can Walking Relieve Back Pain? And More - Research-Backed",
        "Personal health blog",
        is_seed=True,
    ),
)

#: Every reference by source key.
REFERENCES: dict[str, Reference] = {r.key: r for r in _ALL}


def reference(key: str) -> Reference:
    """The reference of a source key; ``KeyError`` names an unknown key."""
    try:
        return REFERENCES[key]
    except KeyError:
        raise KeyError(f"no reference for evidence source {key!r}") from None
