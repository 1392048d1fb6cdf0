"""What one upload pass did, in counts only (it is printed and logged: no personal data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UploadPass:
    """Counts of one pass; `failure` is the error code that ended it early, if any."""

    batches: int = 0
    sent: int = 0
    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    quarantined: int = 0
    reports: int = 0
    failure: str | None = None
    retry_after_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def summary(self) -> str:
        line = (
            f"upload: batches={self.batches} sent={self.sent} stored={self.stored} "
            f"duplicate={self.duplicate} rejected={self.rejected} "
            f"quarantined={self.quarantined} purge_reports={self.reports}"
        )
        return line + (f" failed={self.failure}" if self.failure else " ok")


@dataclass(slots=True)
class PassTally:
    """The counts as a pass goes; frozen into an `UploadPass` at the end."""

    batches: int = 0
    sent: int = 0
    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    quarantined: int = 0
    reports: int = 0
    failure: str | None = None
    retry_after_s: float | None = None

    def fail(self, code: str, retry_after_s: float | None) -> None:
        self.failure, self.retry_after_s = code, retry_after_s

    def freeze(self) -> UploadPass:
        return UploadPass(
            self.batches,
            self.sent,
            self.stored,
            self.duplicate,
            self.rejected,
            self.quarantined,
            self.reports,
            self.failure,
            self.retry_after_s,
        )
