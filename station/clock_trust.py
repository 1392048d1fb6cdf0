"""Is the station's clock to be believed? Purges and entry times depend on the answer.

A Raspberry Pi has no real-time clock: after a power cut it may boot with the time it had at
the last shutdown (fake-hwclock) or in 1970. Deleting entries "older than 21 days" on such a
clock could wipe a week of tracing data, or keep data past its legal limit. So the station
trusts its clock only with evidence that came from outside it:

- the operating system says it is synchronised by NTP (systemd-timesyncd's flag file), or
- a bundle signed by the hub (verified against the pinned key) was issued within a few minutes
  of the station's time, recently; the signature makes this evidence a network attacker cannot
  forge, unlike an HTTP `Date` header.

And never before the release's floor: a time earlier than this software was built is wrong.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: No correct clock reads earlier than this release was made.
TIME_FLOOR = datetime(2026, 1, 1, tzinfo=UTC)
#: How far the hub's signed time and the station's clock may differ for the clock to count.
AGREEMENT = timedelta(minutes=5)
#: How long one confirmation is good for (a quartz clock drifts seconds per day, not minutes).
EVIDENCE_LIFETIME = timedelta(days=30)
EVIDENCE_FILE = "clock.json"
NTP_FLAG = Path("/run/systemd/timesync/synchronized")


@dataclass(frozen=True, slots=True)
class ClockEvidence:
    """The last comparison of the station's clock with a trusted time source."""

    checked_at: datetime
    skew_seconds: float
    source: str

    @property
    def agreed(self) -> bool:
        return abs(self.skew_seconds) <= AGREEMENT.total_seconds()

    def to_json(self) -> dict[str, object]:
        return {
            "checked_at": self.checked_at.isoformat(),
            "skew_seconds": self.skew_seconds,
            "source": self.source,
        }


def system_ntp_synchronized() -> bool:
    """True when systemd-timesyncd has synchronised the system clock since boot."""
    return NTP_FLAG.exists()


def record_reference_time(
    base: Path, *, local_now: datetime, reference: datetime, source: str
) -> None:
    """Remember how the station's clock compared with a trusted `reference` time just now."""
    evidence = ClockEvidence(local_now, (local_now - reference).total_seconds(), source)
    base.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=base, prefix=".clock-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(evidence.to_json(), stream)
        os.replace(temporary, base / EVIDENCE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_evidence(base: Path) -> ClockEvidence | None:
    """The last recorded comparison, or None when there is none or it cannot be read."""
    try:
        data = json.loads((base / EVIDENCE_FILE).read_text(encoding="utf-8"))
        checked_at = datetime.fromisoformat(str(data["checked_at"]))
        if checked_at.tzinfo is None:
            return None
        return ClockEvidence(checked_at, float(data["skew_seconds"]), str(data["source"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clock_trusted(
    now: datetime,
    base: Path,
    *,
    ntp_synchronized: Callable[[], bool] = system_ntp_synchronized,
) -> bool:
    """Whether `now` (the station's clock) may be used for purges and trusted entry times."""
    if now < TIME_FLOOR:
        return False
    if ntp_synchronized():
        return True
    evidence = load_evidence(base)
    if evidence is None or not evidence.agreed:
        return False
    # A clock that went backwards past its own confirmation, or a confirmation from too long
    # ago, proves nothing about the present.
    return evidence.checked_at - AGREEMENT <= now <= evidence.checked_at + EVIDENCE_LIFETIME
