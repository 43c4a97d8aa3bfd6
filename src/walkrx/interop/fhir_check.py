"""Validate FHIR resources against the R4 (4.0.1) definitions.

Uses the SMART on FHIR ``fhirclient`` models, which are generated from the official
FHIR 4.0.1 StructureDefinitions: every element's type and cardinality, required
elements, choice types (``value[x]``), primitive formats of dates and times, and
no unknown elements. A failure names the resource and the element path.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FhirInvalid", "validate_bundle", "validate_resource"]


class FhirInvalid(ValueError):
    """A resource that does not conform to FHIR R4."""


def validate_resource(resource: dict[str, Any]) -> None:
    """Raise :class:`FhirInvalid` unless ``resource`` is a valid R4 resource."""
    from fhirclient.models.fhirabstractbase import FHIRValidationError
    from fhirclient.models.fhirelementfactory import FHIRElementFactory

    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        raise FhirInvalid("resource has no resourceType")
    try:
        model = FHIRElementFactory.instantiate(kind, resource)
    except (FHIRValidationError, TypeError, ValueError) as exc:
        raise FhirInvalid(f"{kind}/{resource.get('id', '?')}: {exc}") from None
    if type(model).__name__ != kind:
        raise FhirInvalid(f"{kind!r} is not an R4 resource type")
    # Serialising checks the types again, and that nothing was silently dropped.
    try:
        back = model.as_json()
    except FHIRValidationError as exc:
        raise FhirInvalid(f"{kind}/{resource.get('id', '?')}: {exc}") from None
    if _normal(back) != _normal(resource):
        raise FhirInvalid(f"{kind}/{resource.get('id', '?')}: did not round-trip unchanged")


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def validate_bundle(bundle: dict[str, Any]) -> int:
    """Validate the bundle and every resource in it; return the number of entries."""
    validate_resource(bundle)
    entries = bundle.get("entry", [])
    for entry in entries:
        validate_resource(entry["resource"])
    return len(entries)
