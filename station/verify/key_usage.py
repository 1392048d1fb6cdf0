"""DSC key usage: a signer restricted by DCC usage OIDs may only sign those certificate types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from station.errors import Reject
from station.reasons import Reason
from station.trust.certificate import TrustedCertificate

TYPE_NAMES = {"v": "vaccination", "t": "test", "r": "recovery"}


def certificate_types(certificate: Mapping[str, Any]) -> frozenset[str]:
    """The DCC entry types present (`v`, `t`, `r`)."""
    return frozenset(t for t in TYPE_NAMES if certificate.get(t))


def check_key_usage(signer: TrustedCertificate, certificate: Mapping[str, Any]) -> Reject | None:
    """None when the signer may sign every entry type the certificate holds."""
    if signer.allowed_types is None:
        return None
    present = certificate_types(certificate)
    refused = sorted(present - signer.allowed_types)
    if refused:
        names = ", ".join(TYPE_NAMES[t] for t in refused)
        return Reject(Reason.KEY_USAGE_MISMATCH, f"signer may not sign {names} certificates")
    return None
