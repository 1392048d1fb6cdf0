"""Helpers of the NZ COVID Pass tests (plain functions; the fixtures are in nzcp_fixtures)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from station.codec.cbor_encode import encode_cbor
from station.issuer.nzcp import (
    NzcpIssuer,
    NzcpOptions,
    build_claims,
    encode_nzcp,
    issue_nzcp,
    public_covid_pass,
    sign_nzcp,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "nzcp"


def issue_valid(
    issuer: NzcpIssuer,
    now: datetime,
    vc: dict[str, Any] | None = None,
    *,
    cti: bytes | None = None,
    options: NzcpOptions | None = None,
) -> str:
    """A pass active since yesterday and for 100 more days."""
    return issue_nzcp(
        issuer,
        vc,
        not_before=now - timedelta(days=1),
        expires=now + timedelta(days=100),
        cti=cti,
        options=options,
    )


def issue_claims(
    issuer: NzcpIssuer, claims: dict[Any, Any], options: NzcpOptions | None = None
) -> str:
    """A pass signed over exactly these claims (for claims no valid pass would carry)."""
    return encode_nzcp(sign_nzcp(issuer, encode_cbor(claims), options))


def valid_claims(issuer: NzcpIssuer, now: datetime) -> dict[Any, Any]:
    """The claims `issue_valid` would sign, to be altered by a test."""
    return build_claims(
        issuer.did, public_covid_pass(), now - timedelta(days=1), now + timedelta(days=100)
    )
