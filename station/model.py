"""Frozen values passed between the core and its callers.

A `VerificationResult` is what every front end (CLI, GUI, logger, uploader) receives; it carries
one `Check` per pipeline step so a guard and an auditor see everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from station.reasons import Reason, Status, message_for


@dataclass(frozen=True, slots=True)
class Check:
    """Outcome of one named step: ok is None when the step was not reached."""

    name: str
    ok: bool | None
    code: str
    message: str

    @classmethod
    def passed(cls, name: str) -> Check:
        """The passed check of `name` (frozen, so one shared instance per name)."""
        cached = _PASSED.get(name)
        if cached is None:
            cached = _PASSED[name] = cls(name, True, Reason.OK, message_for(Reason.OK))
        return cached

    @classmethod
    def failed(cls, name: str, reason: Reason, detail: str = "") -> Check:
        message = message_for(reason)
        if detail:
            message = f"{message} ({detail})"
        return cls(name, False, reason, message)

    @classmethod
    def skipped(cls, name: str, reason: Reason = Reason.NOT_REACHED, detail: str = "") -> Check:
        message = message_for(reason)
        if detail:
            message = f"{message} ({detail})"
        return cls(name, None, reason, message)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "code": str(self.code), "message": self.message}


_PASSED: dict[str, Check] = {}


@dataclass(frozen=True, slots=True)
class Holder:
    """Who the credential names: only what a guard compares with an ID document."""

    name: str
    date_of_birth: str
    family_name: str = ""
    given_name: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "date_of_birth": self.date_of_birth,
            "family_name": self.family_name,
            "given_name": self.given_name,
        }


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """The verdict on one scanned text, with every check and the decoded content."""

    format: str
    status: Status
    reason: str
    checks: tuple[Check, ...]
    checked_at: datetime
    decoded_text: str | None = None
    payload: Mapping[str, Any] | None = None
    holder: Holder | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    def check(self, name: str) -> Check | None:
        for item in self.checks:
            if item.name == name:
                return item
        return None

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.ok is False)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "decoded_text": self.decoded_text,
            "status": str(self.status),
            "valid": self.valid,
            "reason": str(self.reason),
            "checked_at": self.checked_at.isoformat(),
            "checks": {c.name: c.to_json() for c in self.checks},
            "payload": self.payload,
            "holder": self.holder.to_json() if self.holder else None,
            "details": dict(self.details),
        }
