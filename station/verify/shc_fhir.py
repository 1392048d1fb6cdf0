"""What a guard and an auditor read from a card's FHIR Bundle: the holder, and a short summary.

The holder is the Bundle's first Patient (name as "Family, Given" and `birthDate`), the only
thing a guard compares with an ID document.  The summary lists the immunizations (vaccine code,
date, status) and the lab observations (test code, date, result) for the verdict's `details`;
it is bounded (at most `MAX_ENTRIES` of each, strings cut at `MAX_TEXT`), since a card may carry
dozens of resources and every value here came from the card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from station.model import Holder

MAX_ENTRIES = 10
MAX_TEXT = 80


def resources(bundle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The Bundle's resources that are JSON objects, in order."""
    found: list[Mapping[str, Any]] = []
    for entry in bundle.get("entry") or ():
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            found.append(resource)
    return found


def holder_from_bundle(bundle: Mapping[str, Any]) -> Holder | None:
    """Name and date of birth of the Bundle's first Patient, or None without one."""
    return holder_from_resources(resources(bundle))


def holder_from_resources(found: list[Mapping[str, Any]]) -> Holder | None:
    patient = next((r for r in found if r.get("resourceType") == "Patient"), None)
    if patient is None:
        return None
    names = patient.get("name")
    name = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    family = _text(name.get("family"))
    parts = name.get("given")
    given_names = (
        [g for g in parts[:MAX_ENTRIES] if isinstance(g, str)] if isinstance(parts, list) else []
    )
    given = _text(" ".join(given_names))
    display = ", ".join(part for part in (family, given) if part)
    return Holder(display, _text(patient.get("birthDate")), family, given)


def summarize(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """Immunizations and lab results, bounded, for the verdict's details."""
    return summarize_resources(resources(bundle))


def summarize_resources(found: list[Mapping[str, Any]]) -> dict[str, Any]:
    immunizations = [_immunization(r) for r in found if r.get("resourceType") == "Immunization"]
    observations = [_observation(r) for r in found if r.get("resourceType") == "Observation"]
    summary: dict[str, Any] = {
        "immunizations": immunizations[:MAX_ENTRIES],
        "observations": observations[:MAX_ENTRIES],
    }
    left_out = max(0, len(immunizations) - MAX_ENTRIES) + max(0, len(observations) - MAX_ENTRIES)
    if left_out:
        summary["left_out"] = left_out
    return summary


def _immunization(resource: Mapping[str, Any]) -> dict[str, str]:
    return {
        "vaccine": _coding(resource.get("vaccineCode")),
        "date": _text(resource.get("occurrenceDateTime") or resource.get("occurrenceString")),
        "status": _text(resource.get("status")),
    }


def _observation(resource: Mapping[str, Any]) -> dict[str, str]:
    return {
        "test": _coding(resource.get("code")),
        "date": _text(resource.get("effectiveDateTime")),
        "status": _text(resource.get("status")),
        "result": _result(resource),
    }


def _result(resource: Mapping[str, Any]) -> str:
    """The observation's value: a coded result, a quantity with its unit, or a string."""
    if "valueCodeableConcept" in resource:
        return _coding(resource.get("valueCodeableConcept"))
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict):
        value = quantity.get("value")
        shown = str(value) if isinstance(value, int | float) and not isinstance(value, bool) else ""
        return _text(f"{shown} {_text(quantity.get('unit'))}".strip())
    return _text(resource.get("valueString"))


def _coding(concept: Any) -> str:
    """The first coding of a CodeableConcept as `system|code` (or the code alone)."""
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(codings, list) or not codings or not isinstance(codings[0], dict):
        return ""
    system, code = _text(codings[0].get("system")), _text(codings[0].get("code"))
    return _text(f"{system}|{code}") if system and code else code


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
