"""Helpers of the SMART Health Card tests (the fixtures are in shc_fixtures.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase
from station.cache.trust_view import CachedTrust
from station.issuer.shc import ShcIssuer, ShcOptions, issue_shc, vaccination_bundle
from station.model import VerificationResult
from station.verify.verifier import Verifier

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "shc"
#: The spec's example issuer key signs examples under two issuer URLs (the site moved).
EXAMPLE_ISSUERS = (
    "https://smarthealth.cards/examples/issuer",
    "https://spec.smarthealth.cards/examples/issuer",
)


def example_verifier(cache: CacheDatabase, at: datetime) -> Verifier:
    return Verifier(CachedTrust(cache, FixedClock(at)).sources(), FixedClock(at))


def crl_rids(crl: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """A Card Revocation List's `rids` as (rid, cut-off second or None)."""
    entries = []
    for item in crl["rids"]:
        rid, _, cutoff = str(item).partition(".")
        entries.append((rid, int(cutoff) if cutoff else None))
    return entries


def issue_valid(issuer: ShcIssuer, now: datetime, **kwargs: Any) -> str:
    """A vaccination card issued a day before `now`, valid for a year unless told otherwise."""
    kwargs.setdefault("nbf", now - timedelta(days=1))
    kwargs.setdefault("exp", now + timedelta(days=365))
    options = kwargs.pop("options", ShcOptions())
    fhir = kwargs.pop("fhir_bundle", vaccination_bundle())
    return issue_shc(issuer, fhir, options=options, **kwargs)


def codes(result: VerificationResult) -> dict[str, str]:
    """Check name → reason code, for compact assertions."""
    return {check.name: str(check.code) for check in result.checks}
