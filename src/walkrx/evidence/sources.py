"""Every source cited by walkrx, keyed by a stable handle (EVIDENCE.md, seeds/)."""

from __future__ import annotations

from walkrx.evidence.types import Source

__all__ = ["SOURCES", "source"]

_ALL: tuple[Source, ...] = (
    # §1 HUNT
    Source(
        "hunt-2025",
        "Haddadj R, Nordstoga AL, Nilsen TIL, et al. Volume and Intensity of Walking and Risk of "
        "Chronic Low Back Pain. JAMA Netw Open. 2025;8(6):e2515592.",
        2025,
        "10.1001/jamanetworkopen.2025.15592",
    ),
    # §2 WalkBack
    Source(
        "walkback-2024",
        "Pocovi NC, Lin CC, French SD, et al. Lancet. 2024;404(10448):134-144. "
        "Protocol: BMJ Open 2020;10(10):e037149.",
        2024,
        "10.1016/S0140-6736(24)00755-4; ACTRN12619001134112",
    ),
    # §3 steps
    Source(
        "paluch-2022",
        "Paluch AE et al. Daily steps and all-cause mortality: a meta-analysis of 15 international "
        "cohorts. Lancet Public Health 2022;7(3):e219-e228.",
        2022,
        "10.1016/S2468-2667(21)00302-9",
    ),
    Source(
        "banach-2023",
        "Banach M et al. The association between daily step count and all-cause and cardiovascular "
        "mortality: a meta-analysis. Eur J Prev Cardiol 2023;30(18):1975-1985.",
        2023,
        "10.1093/eurjpc/zwad229",
    ),
    Source(
        "hall-2020",
        "Hall KS et al. Int J Behav Nutr Phys Act 2020;17:78.",
        2020,
        "10.1186/s12966-020-00978-9",
    ),
    Source("ding-2025", "Ding D et al. Lancet Public Health 2025.", 2025),
    Source("bravata-2007", "Bravata DM et al. JAMA 2007;298:2296.", 2007),
    Source(
        "pace-up-2018",
        "Harris T et al. PLoS Med 2018;15:e1002526; PLoS Med 2019;16:e1002836 (PACE-UP).",
        2018,
    ),
    # §4 cadence and intensity
    Source(
        "cadence-adults",
        "Tudor-Locke C et al. CADENCE-Adults. Int J Behav Nutr Phys Act 2019;16:8 (21-40 y); "
        "2020 (41-60 y); 2021 (61-85 y).",
        2019,
    ),
    Source(
        "acsm-walking",
        "American College of Sports Medicine metabolic equation for walking "
        "(ACSM's Guidelines for Exercise Testing and Prescription).",
        2021,
    ),
    # §5 red flags
    Source(
        "nice-ng59",
        "National Institute for Health and Care Excellence. Low back pain and sciatica in over "
        "16s: assessment and management (NICE guideline NG59), 2016, updated 2020.",
        2020,
        "https://www.nice.org.uk/guidance/ng59",
    ),
    Source("nice-cks-sciatica", "NICE Clinical Knowledge Summaries: Sciatica.", 2023),
    Source(
        "finucane-2020",
        "Finucane LM, Downie A, Mercer C, et al. International framework for red flags for "
        "potential serious spinal pathologies. J Orthop Sports Phys Ther 2020;50(7):350-372.",
        2020,
        "10.2519/jospt.2020.9971",
    ),
    Source(
        "girft-ces-2023",
        "GIRFT National Suspected Cauda Equina Syndrome Pathway (NHS England 2023).",
        2023,
    ),
    Source(
        "nice-ng234",
        "NICE CG75/NG234: Spinal cord compression in adults with cancer.",
        2023,
    ),
    # §6 pain and progression
    Source(
        "farrar-2001",
        "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes "
        "in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain "
        "2001;94(2):149-158.",
        2001,
        "10.1016/S0304-3959(01)00349-9",
    ),
    Source(
        "ostelo-2008",
        "Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and "
        "functional status in low back pain: towards international consensus regarding minimal "
        "important change. Spine 2008;33(1):90-94.",
        2008,
    ),
    Source("silbernagel-2007", "Silbernagel KG et al. Am J Sports Med 2007;35:897.", 2007),
    Source("buist-2008", "Buist I et al. Am J Sports Med 2008;36:33.", 2008),
    Source("nielsen-2014", "Nielsen RO et al. (novice runners; 2012/2014).", 2014),
    Source("macedo-2010", "Macedo LG et al. Phys Ther 2010;90:860.", 2010),
    Source("pocovi-2022", "Pocovi NC et al. J Orthop Sports Phys Ther 2022;52:85.", 2022),
    # §7 sitting
    Source("who-2020", "WHO 2020 guidelines on physical activity and sedentary behaviour.", 2020),
    Source("colberg-2016", "Colberg SR et al. Diabetes Care 2016;39:2065.", 2016),
    Source(
        "work-2023", "Work 2023 (2-min walks every 40 min; sitting-induced low back pain).", 2023
    ),
    # §8 conditions
    Source(
        "conditions-evidence",
        "walkrx's summary of published guidance on walking with lumbar spinal stenosis, a "
        "recent disc herniation, spondylolisthesis and after microdiscectomy (the primary "
        "studies are not listed individually).",
        2025,
    ),
    # seeds (source articles; advice, not findings)
    Source(
        "seed-000-hunt-news",
        "Reid G. Walk More, Hurt Less: How Daily Steps Protect Against Chronic Back Pain. "
        "Web article (fact checked by T. DiGiovanni), 2025.",
        2025,
        is_seed=True,
    ),
    Source(
        "seed-001-verywell",
        "Brown S. Study Shows Walking Reduces Lower Back Pain Recurrence. Verywell Health, "
        "2024 (advice quoted from T. Boswell, PT, DPT, and N. S. Singh, MD).",
        2024,
        is_seed=True,
    ),
    Source(
        "seed-002-hinge",
        "Broach H, et al. Why Walking Is Good for Low Back Pain, According to Physical "
        "Therapists. Hinge Health, 2023.",
        2023,
        is_seed=True,
    ),
    Source(
        "seed-003-walking-plan",
        "Walking for Lower Back Pain: Your 5-Week Back Pain Walking Plan. Web article "
        "(author not named), 2025.",
        2025,
        is_seed=True,
    ),
    Source(
        "seed-004-blog",
        "Can Walking Relieve Back Pain? And More - Research-Backed. Blog article (author not "
        "named), 2023.",
        2023,
        is_seed=True,
    ),
)

#: All sources by key.
SOURCES: dict[str, Source] = {s.key: s for s in _ALL}


def source(key: str) -> Source:
    """Return the source with ``key``; ``KeyError`` names the unknown key."""
    try:
        return SOURCES[key]
    except KeyError:
        raise KeyError(f"unknown evidence source {key!r}") from None
