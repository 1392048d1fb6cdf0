"""The `external` half of a rule's data: the clock, value sets and facts about the pass.

Field names and JSON shape are those of the EU reference engine's `ExternalParameter`, which the
published rules read (`external.validationClock`, `external.valueSets.<id>`, ...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

VALUESET_DIR = "data/eu-dcc-valuesets"


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class ExternalParameters:
    """What a rule may know besides the payload: the EU engine's `external` object."""

    validation_clock: datetime
    value_sets: Mapping[str, list[str]] = field(hash=False)
    country_code: str
    issuer_country_code: str = ""
    region: str = ""
    exp: datetime | None = None
    iat: datetime | None = None
    kid: str = ""

    def __post_init__(self) -> None:
        if self.validation_clock.tzinfo is None:
            raise ValueError("the validation clock must be timezone-aware")

    def to_json(self) -> dict[str, Any]:
        return {
            "validationClock": _iso(self.validation_clock),
            "valueSets": self.value_sets,
            "countryCode": self.country_code,
            "exp": _iso(self.exp) if self.exp else None,
            "iat": _iso(self.iat) if self.iat else None,
            "issuerCountryCode": self.issuer_country_code,
            "kid": self.kid,
            "region": self.region,
        }


@cache
def _bundled_value_sets() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for entry in resources.files("station").joinpath(VALUESET_DIR).iterdir():
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text(encoding="utf-8"))
            found[document["valueSetId"]] = tuple(document.get("valueSetValues", {}))
    return found


def load_value_sets() -> dict[str, list[str]]:
    """valueSetId -> codes from the vendored EU value sets, the shape rules read them in.

    The files are read once; each call returns a fresh copy, so a caller may add or replace
    value sets without changing anyone else's.
    """
    return {name: list(codes) for name, codes in _bundled_value_sets().items()}
