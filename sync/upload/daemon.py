"""`station upload` as a process: open what a pass needs, then drain once or keep draining.

SIGTERM and SIGINT only ask the uploader to stop: the batch in flight finishes (or fails) and
the process exits between batches, so a stop never leaves the log half-updated. Even so the
design does not depend on it: a kill -9 at any instant only means some entries are sent again.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from station.adapters.clock import SystemClock
from station.adapters.sd_notify import ServiceHeartbeat
from station.entrylog.outbox import Outbox
from station.entrylog.quota import log_quota
from station.entrylog.retention_job import RetentionJob, purge_line
from station.paths import log_db_path
from sync.enrollment import load_enrollment
from sync.http import HttpLimits
from sync.upload.passes import UploadPass
from sync.upload.signing import load_device_key
from sync.upload.uploader import Uploader

Printer = Callable[[str], None]
#: systemd's watchdog is fed while passes keep coming; the longest quiet stretch is a backoff
#: at its 15-minute cap, so only a pass stuck well beyond that stops the pings (and restarts us).
STALL_AFTER_S = 20 * 60.0


def print_alert(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def open_uploader(
    base: Path,
    *,
    batch_size: int = 100,
    limits: HttpLimits | None = None,
    alert: Printer = print_alert,
) -> Iterator[Uploader]:
    """An uploader for the station in `base`; raises `SyncError` when it is not set up."""
    enrollment = load_enrollment(base)
    key = load_device_key(base)
    outbox = Outbox(log_db_path(base))
    try:
        with enrollment.client(limits) as client:
            yield Uploader(
                outbox, client, enrollment.station_id, key, batch_size=batch_size, alert=alert
            )
    finally:
        outbox.close()


def pass_line(uploader: Uploader, result: UploadPass) -> str:
    """The one line printed per pass: its counts and what is still queued."""
    counts = uploader.queue_counts()
    return f"{result.summary()} pending={counts.pending} quarantined_total={counts.quarantined}"


def run_retention(job: RetentionJob | None, out: Printer) -> None:
    """Purge what is due first, so the purge report goes up in the same pass. Only purges that
    deleted something are printed; an untrusted clock shows on the station's status instead."""
    if job is None:
        return
    result = job.run_if_due()
    if result is not None and result.purged:
        out(purge_line(result))
    if result is not None:  # as often as retention runs: hourly
        warn_if_log_near_quota(job.base, out)


def warn_if_log_near_quota(base: Path, out: Printer) -> None:
    """The T29 alert, on the daemon's output (the journal on a kiosk): numbers only."""
    quota = log_quota(base)
    if quota.alert:
        out(quota.message())


def retention_job(base: Path) -> RetentionJob:
    return RetentionJob(base, SystemClock())


def drain(
    uploader: Uploader, out: Printer = print, *, retention: RetentionJob | None = None
) -> int:
    """One pass; exit code 0 when it completed, 1 when it stopped on a failure."""
    run_retention(retention, out)
    result = uploader.drain_once()
    out(pass_line(uploader, result))
    return 0 if result.ok else 1


def run_daemon(
    uploader: Uploader,
    *,
    interval_s: float,
    out: Printer = print,
    retention: RetentionJob | None = None,
) -> int:
    """Drain every `interval_s` (backing off after failures) until SIGTERM or SIGINT; retention
    runs alongside (hourly), so a station that only uploads still deletes on schedule."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        uploader.stop()

    previous = {number: signal.signal(number, request_stop) for number in _STOP_SIGNALS}
    heartbeat = ServiceHeartbeat.start(stall_after_s=STALL_AFTER_S, status="uploading")
    try:
        out(f"upload: draining every {interval_s:g} s; SIGTERM or Ctrl-C stops")
        run_retention(retention, out)

        def after_pass(result: UploadPass) -> None:
            heartbeat.beat()
            out(pass_line(uploader, result))
            run_retention(retention, out)

        uploader.run(interval_s=interval_s, on_pass=after_pass)
        out("upload: stopped")
    finally:
        heartbeat.stop("stopped")
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
