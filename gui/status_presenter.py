"""The status strip, the counters panel and the admin panel's lists, as words (no Qt here).

The strip has one item per thing that can stop a checkpoint from working properly: synced data,
clock, camera, storage, upload queue. Each item has a level (ok, warn, bad) shown as a colour
*and* a symbol, and a short text, so a guard sees at a glance what is wrong and in which words
to call the supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.values import CameraStatus, DayCounts, SourceAge, StationStatus

OK, WARN, BAD = "ok", "warn", "bad"
#: Below this much free space the strip warns before the disk is actually full.
LOW_SPACE_BYTES = 200 * 1024 * 1024
#: A pending upload older than this means the hub has not been reached for a while.
QUEUE_LATE_S = 3600.0
VERDICT_ORDER = ("VALID", "INVALID", "CHECK_MANUALLY")


@dataclass(frozen=True, slots=True)
class StatusItem:
    key: str
    level: str
    label: Text


CAMERA_TEXTS: dict[str, tuple[str, Text]] = {
    "LIVE": (OK, QT_TRANSLATE_NOOP("Status", "Camera OK")),
    "STARTING": (WARN, QT_TRANSLATE_NOOP("Status", "Camera starting")),
    "NO_SIGNAL": (WARN, QT_TRANSLATE_NOOP("Status", "No picture")),
    "DISCONNECTED": (BAD, QT_TRANSLATE_NOOP("Status", "Camera disconnected")),
    "STALLED": (BAD, QT_TRANSLATE_NOOP("Status", "Camera not responding")),
    "ENDED": (WARN, QT_TRANSLATE_NOOP("Status", "Camera source ended")),
    "FAILED": (BAD, QT_TRANSLATE_NOOP("Status", "Camera cannot be opened")),
}
#: The clock policy's states (`station.time_floor`); BELOW_FLOOR and JUMPED give no VALID verdict.
CLOCK_TEXTS: dict[str, tuple[str, Text]] = {
    "TRUSTED": (OK, QT_TRANSLATE_NOOP("Status", "Clock confirmed")),
    "UNCONFIRMED": (WARN, QT_TRANSLATE_NOOP("Status", "Clock not confirmed")),
    "BELOW_FLOOR": (BAD, QT_TRANSLATE_NOOP("Status", "Clock wrong: behind the last known time")),
    "JUMPED": (BAD, QT_TRANSLATE_NOOP("Status", "Clock jumped: check time")),
}
STORAGE_FAILURES: dict[str, Text] = {
    "STORAGE_FULL": QT_TRANSLATE_NOOP("Status", "Disk full: not recording"),
    "STORAGE_READONLY": QT_TRANSLATE_NOOP("Status", "Disk read-only: not recording"),
    "STORAGE_CORRUPT": QT_TRANSLATE_NOOP("Status", "Log damaged: not recording"),
}
STORAGE_ERROR = QT_TRANSLATE_NOOP("Status", "Storage error: not recording")
LOG_UNAVAILABLE = QT_TRANSLATE_NOOP("Status", "No entry log: not recording")
VERDICT_LABELS: dict[str, Text] = {
    "VALID": QT_TRANSLATE_NOOP("Counters", "Valid"),
    "INVALID": QT_TRANSLATE_NOOP("Counters", "Invalid"),
    "CHECK_MANUALLY": QT_TRANSLATE_NOOP("Counters", "Checked by hand"),
}
FRESHNESS: dict[str, Text] = {
    "FRESH": QT_TRANSLATE_NOOP("Freshness", "up to date"),
    "AGING": QT_TRANSLATE_NOOP("Freshness", "aging"),
    "STALE": QT_TRANSLATE_NOOP("Freshness", "out of date"),
    "NEVER": QT_TRANSLATE_NOOP("Freshness", "never synced"),
}


def present_status(
    status: StationStatus | None,
    camera: CameraStatus,
    *,
    storage_state: str,
    now: datetime,
) -> tuple[StatusItem, ...]:
    """The strip's items, in a fixed order; `storage_state` is the recorder's latest."""
    if status is None:
        waiting = QT_TRANSLATE_NOOP("Status", "Checking…")
        return (
            StatusItem("data", WARN, waiting),
            StatusItem("clock", WARN, waiting),
            camera_item(camera),
            storage_item(None, storage_state),
            StatusItem("queue", WARN, waiting),
        )
    return (
        data_item(status),
        clock_item(status),
        camera_item(camera),
        storage_item(status, storage_state),
        queue_item(status, now),
    )


def data_item(status: StationStatus) -> StatusItem:
    age = age_text(status.oldest_age_s)
    if status.data_state == "UNKNOWN":
        return StatusItem("data", BAD, QT_TRANSLATE_NOOP("Status", "Data cannot be read"))
    if not status.enrolled:
        return StatusItem("data", WARN, QT_TRANSLATE_NOOP("Status", "Not enrolled"))
    if status.data_state == "OK":
        label = QT_TRANSLATE_NOOP("Status", "Synced {age} ago").with_args(age=age)
        return StatusItem("data", OK, label)
    if status.data_state == "WARN":
        label = QT_TRANSLATE_NOOP("Status", "Data aging: {age}").with_args(age=age)
        return StatusItem("data", WARN, label)
    if status.oldest_age_s is None:
        return StatusItem("data", BAD, QT_TRANSLATE_NOOP("Status", "Data never synced"))
    label = QT_TRANSLATE_NOOP("Status", "Data out of date: {age}").with_args(age=age)
    return StatusItem("data", BAD, label)


def clock_item(status: StationStatus) -> StatusItem:
    """A clock that cannot be judged is, for the guard, simply not confirmed."""
    level, label = CLOCK_TEXTS.get(status.clock_state, CLOCK_TEXTS["UNCONFIRMED"])
    return StatusItem("clock", level, label)


def camera_item(camera: CameraStatus) -> StatusItem:
    level, label = CAMERA_TEXTS.get(camera.state, CAMERA_TEXTS["STARTING"])
    return StatusItem("camera", level, label)


def storage_item(status: StationStatus | None, storage_state: str) -> StatusItem:
    if status is not None and not status.log_available:
        return StatusItem("storage", BAD, LOG_UNAVAILABLE)
    if storage_state != "OK":
        return StatusItem("storage", BAD, STORAGE_FAILURES.get(storage_state, STORAGE_ERROR))
    free = None if status is None else status.free_bytes
    if free is not None and free < LOW_SPACE_BYTES:
        label = QT_TRANSLATE_NOOP("Status", "Disk almost full: {free}")
        return StatusItem("storage", WARN, label.with_args(free=size_text(free)))
    return StatusItem("storage", OK, QT_TRANSLATE_NOOP("Status", "Storage OK"))


def queue_item(status: StationStatus, now: datetime) -> StatusItem:
    queue = status.queue
    if queue is None:
        return StatusItem("queue", WARN, QT_TRANSLATE_NOOP("Status", "Queue unknown"))
    if queue.quarantined:
        label = QT_TRANSLATE_NOOP("Status", "To send: {pending}, held: {held}")
        return StatusItem(
            "queue", WARN, label.with_args(pending=queue.pending, held=queue.quarantined)
        )
    if not queue.pending:
        return StatusItem("queue", OK, QT_TRANSLATE_NOOP("Status", "All sent"))
    label = QT_TRANSLATE_NOOP("Status", "To send: {pending}").with_args(pending=queue.pending)
    late = _minutes_since(queue.oldest_pending, now)
    level = WARN if status.enrolled and late is not None and late * 60 > QUEUE_LATE_S else OK
    return StatusItem("queue", level, label)


def _minutes_since(minute: str | None, now: datetime) -> float | None:
    if not minute:
        return None
    try:
        then = datetime.strptime(minute, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return (now - then).total_seconds() / 60


def age_text(seconds: float | None) -> Text:
    """A rounded-down age: '5 min', '3 h', '2 days' ('never' when unknown)."""
    if seconds is None:
        return QT_TRANSLATE_NOOP("Age", "never")
    whole = max(0, int(seconds))
    if whole < 3600:
        return QT_TRANSLATE_NOOP("Age", "{n} min").with_args(n=whole // 60)
    if whole < 2 * 86400:
        return QT_TRANSLATE_NOOP("Age", "{n} h").with_args(n=whole // 3600)
    return QT_TRANSLATE_NOOP("Age", "{n} days").with_args(n=whole // 86400)


def size_text(count: int) -> str:
    """Bytes in the largest sensible unit, one decimal: '180.0 MB', '12.5 GB'."""
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


@dataclass(frozen=True, slots=True)
class CountersView:
    """Today's counts: total, per verdict, and per local hour (VALID, INVALID, CHECK)."""

    total: int
    by_verdict: tuple[tuple[str, Text, int], ...]
    hours: tuple[tuple[int, int, int, int], ...]
    peak: int


def present_counters(counts: DayCounts) -> CountersView:
    totals = counts.totals()
    hours: list[tuple[int, int, int, int]] = []
    for hour in range(24):
        per = counts.hour(hour)
        valid, invalid, manual = (per.get(verdict, 0) for verdict in VERDICT_ORDER)
        hours.append((hour, valid, invalid, manual))
    peak = max((sum(row[1:]) for row in hours), default=0)
    by_verdict = tuple((v, VERDICT_LABELS[v], totals.get(v, 0)) for v in VERDICT_ORDER)
    return CountersView(sum(totals.values()), by_verdict, tuple(hours), peak)


def present_source(row: SourceAge) -> tuple[str, Text, Text, str]:
    """(title, freshness, age, version) of one synced source for the admin panel."""
    freshness = FRESHNESS.get(row.state, QT_TRANSLATE_NOOP("Freshness", "unknown"))
    version = "-" if row.version is None else str(row.version)
    return row.title, freshness, age_text(row.age_s), version
