"""How full the entry log is against the deployment's quota (T29: alert at 80 %).

Retention keeps the log bounded by time; the quota catches what time cannot: a station
offline for weeks at a busy gate, or purges held back by an untrusted clock. The alert comes
well before the disk is full, while there is still room to act (bring the station online,
confirm its clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.entrylog.stats import log_size_bytes
from station.paths import log_db_path
from station.settings import load_settings

ALERT_FRACTION = 0.8


@dataclass(frozen=True, slots=True)
class LogQuota:
    size_bytes: int
    quota_bytes: int

    @property
    def fraction(self) -> float:
        return self.size_bytes / self.quota_bytes

    @property
    def alert(self) -> bool:
        return self.fraction >= ALERT_FRACTION

    def message(self) -> str:
        """A line for an operator: numbers only."""
        used = f"{self.size_bytes / 2**20:.1f} of {self.quota_bytes / 2**20:.0f} MB"
        if self.alert:
            return f"ALERT: the entry log uses {used} ({self.fraction:.0%} of its quota)"
        return f"entry log uses {used} ({self.fraction:.0%} of its quota)"

    def to_json(self) -> dict[str, object]:
        return {
            "size_bytes": self.size_bytes,
            "quota_bytes": self.quota_bytes,
            "fraction": round(self.fraction, 4),
            "alert": self.alert,
        }


def log_quota(base: Path) -> LogQuota:
    """The log's size now against the `log_quota_mb` setting."""
    quota = int(load_settings(base).log_quota_mb * 2**20)
    return LogQuota(log_size_bytes(log_db_path(base)), quota)
