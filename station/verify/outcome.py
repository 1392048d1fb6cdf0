"""From a list of checks to the overall verdict, through the single reason → status table.

A result is VALID only when every check passed (or explicitly does not apply); a check that did
not run can never make a pass VALID.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from station.config import VerifierConfig
from station.model import Check, Holder, VerificationResult
from station.ports import TrustSources
from station.reasons import STATUS_SEVERITY, Reason, Status, status_for


def overall_status(checks: Sequence[Check]) -> tuple[Status, str]:
    """The verdict and its leading reason code."""
    worst, worst_reason = Status.VALID, str(Reason.OK)
    unresolved: str | None = None
    for check in checks:
        if check.ok is True or check.code == Reason.NOT_APPLICABLE:
            continue
        status = _status_of(check.code)
        if check.ok is None and status is Status.VALID:
            unresolved = unresolved or check.code
            continue
        if STATUS_SEVERITY[status] > STATUS_SEVERITY[worst]:
            worst, worst_reason = status, check.code
    if worst is Status.VALID and unresolved is not None:
        return Status.CHECK_MANUALLY, unresolved
    if worst is Status.VALID and not checks:
        return Status.CHECK_MANUALLY, str(Reason.NOT_REACHED)
    return worst, worst_reason


def _status_of(code: str) -> Status:
    try:
        return status_for(Reason(code))
    except ValueError:
        return Status.INVALID


def build_result(
    credential_format: str,
    checks: Sequence[Check],
    checked_at: datetime,
    decoded_text: str | None,
    *,
    payload: Mapping[str, Any] | None = None,
    holder: Holder | None = None,
    details: Mapping[str, Any] | None = None,
) -> VerificationResult:
    status, reason = overall_status(checks)
    return VerificationResult(
        format=credential_format,
        status=status,
        reason=reason,
        checks=tuple(checks),
        checked_at=checked_at,
        decoded_text=decoded_text,
        payload=payload,
        holder=holder,
        details=dict(details or {}),
    )


def data_health_checks(
    trust: TrustSources, config: VerifierConfig, details: dict[str, Any]
) -> list[Check]:
    """Record the synced data's freshness in the verdict (`details["data"]`); under the
    "refuse" policy stale data adds a failed `data` check, turning the verdict into
    CHECK_MANUALLY. Every family calls this, so stale data means the same at every gate."""
    if trust.health is None:
        return []
    health = trust.health()
    details["data"] = health.to_json()
    if health.stale and config.stale_data_policy == "refuse":
        return [Check.failed("data", Reason.DATA_STALE)]
    return []
