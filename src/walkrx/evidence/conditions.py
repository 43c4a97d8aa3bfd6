"""EVIDENCE.md §8: what the software may say about each condition."""

from __future__ import annotations

from walkrx.evidence.types import ConditionGuidance

__all__ = ["CONDITIONS"]

_ALL: tuple[ConditionGuidance, ...] = (
    ConditionGuidance(
        "spinal-stenosis",
        "Symptoms come on with walking or standing and ease when sitting or bending forward; "
        "forward-leaning support (a trolley or rollator) or cycling lets people go further; "
        "short bouts with rests; treadmill walking is used in trials.",
        "stenosis-flexed",
        "moderate",
        "stenosis-bouts",
        never_say="a shopping-cart percentage",
    ),
    ConditionGuidance(
        "disc-herniation",
        "Water-based exercise is an option; it is no better than exercise on land.",
        "disc-herniation-water",
        "moderate",
        "disc-pool",
    ),
    ConditionGuidance(
        "spondylolisthesis",
        "Walking poles are optional; there is no evidence that they reduce pain.",
        "poles-no-evidence",
        "moderate",
        "spondylolisthesis-poles",
        never_say="any percentage of load that poles take off the spine",
    ),
    ConditionGuidance(
        "microdiscectomy",
        "Early mobilisation is safe; structured exercise programmes usually start 4-6 weeks "
        "after surgery and do better than none.",
        "microdiscectomy-start",
        "high",
        "microdiscectomy-treadmill",
    ),
)

#: Guidance by condition name.
CONDITIONS: dict[str, ConditionGuidance] = {c.condition: c for c in _ALL}
