"""T26: Retry-After is honoured, 429s and long runs of 500s back off exponentially with jitter up
to the cap (no hot loop: requests are counted over a virtual 10-minute outage), and one entry the
hub rejects is quarantined after 5 attempts while everything else is uploaded."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from upload_helpers import (
    Alerts,
    Station,
    assert_in_sync,
    fill_log,
    hub_uuids,
    in_process_uploader,
    local_attempts,
    local_states,
)

from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.sealing import SealingKey
from station.model import VerificationResult
from sync.hub import Hub
from sync.upload.backoff import CAP_S, UploadBackoff
from sync.upload.passes import UploadPass
from sync.upload.uploader import Uploader

pytest_plugins = ["upload_fixtures"]

ENTRIES = "/station/v1/entries"
OUTAGE_S = 600.0


@dataclass
class VirtualTime:
    """The uploader's clock and sleep: sleeping only moves the clock (and records the wait)."""

    start: datetime
    waits: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=sum(self.waits))

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    @property
    def elapsed(self) -> float:
        return sum(self.waits)


def _run_until(uploader: Uploader, time: VirtualTime, done) -> list[UploadPass]:
    """Run the uploader's loop until `done(passes)` or a virtual hour has passed."""
    passes: list[UploadPass] = []

    def on_pass(result: UploadPass) -> None:
        passes.append(result)
        if done(passes) or time.elapsed >= 3600:
            uploader.stop()

    uploader.run(interval_s=60.0, on_pass=on_pass)
    return passes


@pytest.fixture()
def filled(
    station: Station, valid_result: VerificationResult, sealing_key: SealingKey, now: datetime
) -> list[str]:
    return fill_log(station.log, 60, valid_result, sealing_key, now)


def test_retry_after_of_a_503_is_honoured(
    station: Station, hub: Hub, filled: list[str], now: datetime
) -> None:
    hub.faults.add(ENTRIES, "status", status=503, retry_after=30, times=1)
    time = VirtualTime(now)
    with in_process_uploader(station, clock=time, sleep=time.sleep) as uploader:
        passes = _run_until(uploader, time, lambda done: done[-1].ok)
    assert [p.failure for p in passes] == ["SERVER_BUSY", None]
    assert passes[0].retry_after_s == 30.0
    assert time.waits == [30.0]
    assert_in_sync(hub, station)


@pytest.mark.parametrize("retry_after", [7, None])
def test_429_backs_off(
    station: Station, hub: Hub, filled: list[str], now: datetime, retry_after: int | None
) -> None:
    hub.faults.add(ENTRIES, "status", status=429, retry_after=retry_after, times=3)
    time = VirtualTime(now)
    backoff = UploadBackoff(rng=random.Random(5))
    with in_process_uploader(station, clock=time, sleep=time.sleep, backoff=backoff) as uploader:
        passes = _run_until(uploader, time, lambda done: done[-1].ok)
    assert [p.failure for p in passes] == ["RATE_LIMITED"] * 3 + [None]
    assert len(time.waits) == 3
    for failures, wait in enumerate(time.waits, start=1):
        if retry_after is None:
            assert 1.0 <= wait <= max(backoff.ceiling(failures), 1.0)
        else:
            assert retry_after <= wait <= max(backoff.ceiling(failures), retry_after)
    assert_in_sync(hub, station)


def test_a_long_run_of_500s_backs_off_to_the_cap_without_a_hot_loop(
    station: Station, hub: Hub, filled: list[str], now: datetime, proxy_factory
) -> None:
    hub.faults.add(ENTRIES, "status", status=500)
    proxy = proxy_factory()
    time = VirtualTime(now)
    backoff = UploadBackoff(rng=random.Random(11))
    with in_process_uploader(
        station, clock=time, sleep=time.sleep, backoff=backoff, url=proxy.url
    ) as uploader:
        passes = _run_until(uploader, time, lambda done: time.elapsed >= OUTAGE_S)
        requests = len(proxy.exchanges)
        assert {p.failure for p in passes} == {"SERVER_BUSY"}
        # A pass is one request (the first batch fails), and the waits are what bound them.
        assert requests == len(passes)
        assert 5 <= requests <= 20, f"{requests} requests in a 10-minute outage"
        for failures, wait in enumerate(time.waits, start=1):
            assert 1.0 <= wait <= max(backoff.ceiling(failures), 1.0) <= CAP_S
        assert len({round(wait, 6) for wait in time.waits}) == len(time.waits)  # jittered
        assert max(time.waits[len(time.waits) // 2 :]) > 10 * max(time.waits[:3])  # growing
    hub.faults.clear()
    with in_process_uploader(station, clock=time, sleep=time.sleep, backoff=backoff) as uploader:
        recovered = uploader.drain_once()
        assert recovered.ok and recovered.stored == 60
        assert uploader.wait_after(recovered, 60.0) == 60.0  # success resets the backoff
        assert backoff.failures == 0
    assert_in_sync(hub, station)


def test_a_rejected_entry_is_quarantined_after_5_attempts_and_the_rest_flows(
    station: Station,
    hub: Hub,
    filled: list[str],
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    poison = filled[29]
    with closing(sqlite3.connect(station.log)) as conn, conn:
        conn.execute("UPDATE entries SET reason = 'not a code' WHERE uuid = ?", (poison,))
    alerts = Alerts()
    with in_process_uploader(station, batch_size=25, alerts=alerts) as uploader:
        first = uploader.drain_once()
        assert first.ok and (first.stored, first.rejected) == (59, 1)
        later = fill_log(station.log, 10, valid_result, sealing_key, now)
        second = uploader.drain_once()
        assert (second.stored, second.rejected) == (10, 1)
        assert set(later) <= set(hub_uuids(hub, station.enrollment.station_id))
        for _ in range(3):
            assert uploader.drain_once().rejected == 1
        assert uploader.drain_once().batches == 0
    state, attempts, error = local_attempts(station, poison)
    assert (state, attempts) == ("quarantined", 5)
    assert error is not None and error.isupper()
    assert alerts.lines == [f"upload: entry seq 30 quarantined after 5 attempts ({error})"]
    held = set(hub_uuids(hub, station.enrollment.station_id))
    assert held == set(filled + later) - {poison}
    states = local_states(station)
    assert {u for u, s in states.items() if s != "uploaded"} == {poison}
    # Quarantined entries still leave on schedule.
    result = purge(station.log, RetentionPolicy(), now=now + timedelta(days=30), clock_trusted=True)
    assert result.purged_quarantined == 1 and poison not in local_states(station)
