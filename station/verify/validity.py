"""Validity-period check: DSC.notBefore ≤ iat ≤ now ≤ exp ≤ DSC.notAfter.

`now` is passed in (from the injected clock); the skew only forgives an `iat` slightly in the
future, the usual symptom of a device clock a few minutes behind.
"""

from __future__ import annotations

from datetime import UTC, datetime

from station.errors import Reject
from station.reasons import Reason
from station.trust.certificate import TrustedCertificate


def _day(ts: float) -> str:
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return str(ts)


def check_validity_period(
    issued_at: float,
    expires: float,
    now: datetime,
    signer: TrustedCertificate | None,
    skew_seconds: int,
) -> list[Reject]:
    """Every violated bound (empty when the pass is within its validity period)."""
    problems: list[Reject] = []
    now_ts = now.timestamp()
    if issued_at > now_ts + skew_seconds:
        problems.append(Reject(Reason.NOT_YET_VALID, f"issued {_day(issued_at)}"))
    if now_ts > expires:
        problems.append(Reject(Reason.EXPIRED, f"expired {_day(expires)}"))
    if signer is not None:
        if issued_at < signer.not_before.timestamp() or issued_at > signer.not_after.timestamp():
            problems.append(Reject(Reason.SIGNER_NOT_VALID_AT_ISSUE, f"issued {_day(issued_at)}"))
        if expires > signer.not_after.timestamp():
            problems.append(
                Reject(
                    Reason.EXPIRES_AFTER_SIGNER,
                    f"signer valid until {_day(signer.not_after.timestamp())}",
                )
            )
    return problems
