"""The station's own settings: `<data dir>/settings.json`, changed with `station settings`.

What a deployment decides once and every command must then honour: which business-rule profile
the checkpoint applies, how old synced data may get before the guard is warned and before the
station degrades (per source if needed), and what stale data does to a verdict. A setting given
on the command line (`--profile`) wins for that command. An unreadable or invalid file is an
error with the file's name, never silently replaced by defaults: a checkpoint must not quietly
fall back to "no rules".
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from station.cache.catalogue import SYNCED_SOURCES
from station.cache.freshness import FreshnessPolicy
from station.errors import ConfigError

SETTINGS_FILE = "settings.json"
STALE_POLICIES = ("warn", "refuse")
MAX_SETTINGS_BYTES = 64 * 1024
MIN_BUDGET_MS, MAX_BUDGET_MS = 5.0, 2000.0
#: The tracing window set by law: entries never kept longer than this, uploaded or not.
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 14, 28
MAX_GRACE_HOURS = 24.0
MAX_CHECKPOINT_CHARS = 64
MIN_QUOTA_MB, MAX_QUOTA_MB = 1.0, 65536.0
MAX_EXTRA_ISSUERS, MAX_DID_CHARS = 10, 200


@dataclass(frozen=True, slots=True)
class StationSettings:
    profile: str | None = None
    stale_data_policy: str = "warn"
    warn_after_hours: float = 24.0
    degrade_after_hours: float = 72.0
    #: source → (warn_after_hours, degrade_after_hours), for sources with their own budget.
    per_source: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Time one camera frame may take to decode. 40 ms suits a laptop at 25 fps; a Raspberry Pi
    #: (3–5× slower per step) reads more with 100–150 ms, at a lower frame rate.
    scan_budget_ms: float = 40.0
    #: Which door or lane this station guards; written into every entry for tracing.
    checkpoint_id: str = "main"
    #: Hard maximum age of an entry on the station, even if it never reached the hub.
    retention_days: int = 21
    #: How long an uploaded entry stays on the station after the hub acknowledged it.
    upload_grace_hours: float = 24.0
    #: Disk space the entry log may take; an alert is raised at 80 % of it.
    log_quota_mb: float = 256.0
    #: NZ COVID Pass issuer DIDs accepted besides the pinned production issuer (a trial or
    #: demo issuer); their keys still come only from the synced issuer keys.
    nzcp_extra_issuers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._check_entry_log_settings()
        _check_dids(self.nzcp_extra_issuers)
        if not MIN_BUDGET_MS <= self.scan_budget_ms <= MAX_BUDGET_MS:
            raise ConfigError(f"scan_budget_ms must be {MIN_BUDGET_MS:g} to {MAX_BUDGET_MS:g}")
        if self.stale_data_policy not in STALE_POLICIES:
            raise ConfigError(f"stale_data_policy must be one of {', '.join(STALE_POLICIES)}")
        unknown = set(self.per_source) - set(SYNCED_SOURCES)
        if unknown:
            raise ConfigError(f"unknown source(s) in per_source: {', '.join(sorted(unknown))}")
        try:
            self.freshness_policy()
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc

    def _check_entry_log_settings(self) -> None:
        if not MIN_RETENTION_DAYS <= self.retention_days <= MAX_RETENTION_DAYS:
            raise ConfigError(
                f"retention_days must be {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} "
                "(the tracing window)"
            )
        if not MIN_QUOTA_MB <= self.log_quota_mb <= MAX_QUOTA_MB:
            raise ConfigError(f"log_quota_mb must be {MIN_QUOTA_MB:g} to {MAX_QUOTA_MB:g}")
        if not 0 <= self.upload_grace_hours <= MAX_GRACE_HOURS:
            raise ConfigError(f"upload_grace_hours must be 0 to {MAX_GRACE_HOURS:g}")
        checkpoint = self.checkpoint_id
        if not 0 < len(checkpoint) <= MAX_CHECKPOINT_CHARS or not checkpoint.isprintable():
            raise ConfigError(f"checkpoint_id must be 1 to {MAX_CHECKPOINT_CHARS} printable chars")

    def freshness_policy(self) -> FreshnessPolicy:
        hours = timedelta(hours=1)
        return FreshnessPolicy(
            warn_after=self.warn_after_hours * hours,
            degrade_after=self.degrade_after_hours * hours,
            per_source={
                name: (warn * hours, degrade * hours)
                for name, (warn, degrade) in self.per_source.items()
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "stale_data_policy": self.stale_data_policy,
            "warn_after_hours": self.warn_after_hours,
            "degrade_after_hours": self.degrade_after_hours,
            "per_source": {name: list(limits) for name, limits in self.per_source.items()},
            "scan_budget_ms": self.scan_budget_ms,
            "checkpoint_id": self.checkpoint_id,
            "retention_days": self.retention_days,
            "upload_grace_hours": self.upload_grace_hours,
            "log_quota_mb": self.log_quota_mb,
            "nzcp_extra_issuers": list(self.nzcp_extra_issuers),
        }


def settings_path(base: Path) -> Path:
    return base / SETTINGS_FILE


def load_settings(base: Path) -> StationSettings:
    """The saved settings, or the defaults when there is no file yet."""
    path = settings_path(base)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return StationSettings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(raw) > MAX_SETTINGS_BYTES:
        raise ConfigError(f"{path}: too large to be a settings file")
    try:
        return _from_json(json.loads(raw))
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"{path}: invalid settings ({exc})") from exc


def _from_json(data: Any) -> StationSettings:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    unknown = set(data) - set(StationSettings().to_json())
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    per_source = {
        str(name): (float(limits[0]), float(limits[1]))
        for name, limits in dict(data.get("per_source") or {}).items()
    }
    profile = data.get("profile")
    return StationSettings(
        profile=str(profile) if profile else None,
        stale_data_policy=str(data.get("stale_data_policy", "warn")),
        warn_after_hours=float(data.get("warn_after_hours", 24.0)),
        degrade_after_hours=float(data.get("degrade_after_hours", 72.0)),
        per_source=per_source,
        scan_budget_ms=float(data.get("scan_budget_ms", 40.0)),
        checkpoint_id=str(data.get("checkpoint_id", "main")),
        retention_days=int(data.get("retention_days", 21)),
        upload_grace_hours=float(data.get("upload_grace_hours", 24.0)),
        log_quota_mb=float(data.get("log_quota_mb", 256.0)),
        nzcp_extra_issuers=tuple(str(did) for did in data.get("nzcp_extra_issuers") or ()),
    )


def save_settings(base: Path, settings: StationSettings) -> Path:
    """Write the settings atomically (a crash never leaves half a file)."""
    base.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=base, prefix=".settings-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(settings.to_json(), stream, indent=2)
        os.replace(temporary, settings_path(base))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return settings_path(base)


def with_setting(settings: StationSettings, key: str, value: str) -> StationSettings:
    """A copy with one setting changed from its command-line text; ConfigError if invalid."""
    if key == "profile":
        return replace(settings, profile=value or None)
    if key == "stale_data_policy":
        return replace(settings, stale_data_policy=value)
    if key == "warn_after_hours":
        return replace(settings, warn_after_hours=_hours(value))
    if key == "degrade_after_hours":
        return replace(settings, degrade_after_hours=_hours(value))
    if key == "scan_budget_ms":
        try:
            return replace(settings, scan_budget_ms=float(value))
        except ValueError as exc:
            raise ConfigError(f"{value!r} is not a number of milliseconds") from exc
    if key == "checkpoint_id":
        return replace(settings, checkpoint_id=value.strip())
    if key == "retention_days":
        try:
            return replace(settings, retention_days=int(value))
        except ValueError as exc:
            raise ConfigError(f"{value!r} is not a whole number of days") from exc
    if key == "log_quota_mb":
        try:
            return replace(settings, log_quota_mb=float(value))
        except ValueError as exc:
            raise ConfigError(f"{value!r} is not a number of megabytes") from exc
    if key == "upload_grace_hours":
        try:
            return replace(settings, upload_grace_hours=float(value))
        except ValueError as exc:
            raise ConfigError(f"{value!r} is not a number of hours") from exc
    if key == "nzcp_extra_issuers":
        dids = tuple(did.strip() for did in value.split(",") if did.strip())
        return replace(settings, nzcp_extra_issuers=dids)
    if key.startswith("per_source."):
        source = key.split(".", 1)[1]
        per_source = dict(settings.per_source)
        if value in ("", "default"):
            per_source.pop(source, None)
        else:
            warn, _, degrade = value.partition(",")
            per_source[source] = (_hours(warn), _hours(degrade))
        return replace(settings, per_source=per_source)
    raise ConfigError(f"unknown setting {key!r}")


def _check_dids(dids: tuple[str, ...]) -> None:
    if len(dids) > MAX_EXTRA_ISSUERS:
        raise ConfigError(f"nzcp_extra_issuers holds at most {MAX_EXTRA_ISSUERS} DIDs")
    for did in dids:
        if not (did.startswith("did:web:") and did.isprintable() and len(did) <= MAX_DID_CHARS):
            raise ConfigError(f"nzcp_extra_issuers: {did[:40]!r} is not a did:web DID")


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise ConfigError(f"{text!r} is not a number of hours") from exc
    if not 0 < value <= 24 * 365:
        raise ConfigError("hours must be more than 0 and at most a year")
    return value
