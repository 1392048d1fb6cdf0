"""T27: a hub that trickles its answer, goes silent, sends an endless body or resets the
connection. Each request ends within its deadline (short limits here), no thread is left
behind, and the upload resumes once the fault clears, with nothing lost or doubled."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from upload_helpers import Station, assert_in_sync, fill_log, in_process_uploader

from station.entrylog.sealing import SealingKey
from station.model import VerificationResult
from sync.http import HttpLimits
from sync.hub import Hub

pytest_plugins = ["upload_fixtures"]

ENTRIES = "/station/v1/entries"
LIMITS = HttpLimits(connect_timeout_s=1.0, read_timeout_s=0.5, total_deadline_s=1.5)
#: Far above the limits, far below what each fault would take without them.
BOUND_S = 10.0


def _threads_settle(baseline: int) -> int:
    """The thread count once the hub has finished with the abandoned connections."""
    deadline = time.monotonic() + 15
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.05)
    return threading.active_count()


@pytest.mark.parametrize(
    ("kind", "params", "failure"),
    [
        ("slow", {"interval": 0.2}, "TIMEOUT"),
        ("silence", {"seconds": 2.0}, "TIMEOUT"),
        ("oversize", {}, "RESPONSE_TOO_LARGE"),
        ("reset", {}, "NETWORK_UNREACHABLE"),
    ],
)
def test_each_request_ends_in_time_and_the_upload_resumes(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
    kind: str,
    params: dict[str, float],
    failure: str,
) -> None:
    fill_log(station.log, 40, valid_result, sealing_key, now)
    baseline = threading.active_count()
    hub.faults.add(ENTRIES, kind, times=2, **params)
    with in_process_uploader(station, batch_size=20, limits=LIMITS) as uploader:
        for _ in range(2):
            started = time.monotonic()
            result = uploader.drain_once()
            assert time.monotonic() - started < BOUND_S
            assert result.failure == failure
        resumed = uploader.drain_once()
        assert resumed.ok and resumed.stored + resumed.duplicate == 40
    assert _threads_settle(baseline) <= baseline
    assert_in_sync(hub, station)
