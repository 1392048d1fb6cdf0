"""Helpers of the tracing tests: a verdict to log when only the log is under test."""

from __future__ import annotations

from datetime import datetime

from station.adapters.clock import FixedClock
from station.model import VerificationResult
from station.ports import TrustSources
from station.trust.certificate import TrustedCertificate
from station.verify.verifier import Verifier


class NoSigners:
    """A station that trusts no signer yet: every pass is refused, which is all a log needs."""

    def signers_for(self, kid: bytes) -> list[TrustedCertificate]:
        return []


def refused_result(now: datetime) -> VerificationResult:
    """A real INVALID verdict (of an unreadable pass) as the verifier gives it at `now`."""
    return Verifier(TrustSources(signers=NoSigners()), FixedClock(now)).verify("HC1:garbage")
