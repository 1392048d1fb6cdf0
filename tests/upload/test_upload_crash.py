"""T24: kill -9 of the uploader process at random moments, mid-batch or not. After a final drain
the hub holds exactly the local entry set: none lost, none twice, every row marked uploaded, and
no row was ever marked uploaded before the hub held it."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

from upload_helpers import (
    QUEUE_SIZE,
    Station,
    assert_in_sync,
    drain_until_empty,
    hub_uuids,
    in_process_uploader,
    local_states,
)

from sync.hub import Hub

pytest_plugins = ["upload_fixtures"]

BATCH = 50


def _start(station: Station) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sync.upload.cli", "--data-dir", str(station.base)]
    return subprocess.Popen(
        [*command, "--batch-size", str(BATCH)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_at_random_point(
    process: subprocess.Popen[bytes], hub: Hub, station: Station, rng: random.Random, step: int
) -> None:
    """SIGKILL once the hub holds a random number more entries (or at a random early instant),
    plus a random few milliseconds, so kills land before, during and after hub commits."""
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.6))
    else:
        target = len(hub_uuids(hub, station.enrollment.station_id)) + rng.randint(1, step)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            if len(hub_uuids(hub, station.enrollment.station_id)) >= target:
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.03))
    process.send_signal(signal.SIGKILL)
    _, errors = process.communicate(timeout=30)
    assert b"Traceback" not in errors, errors.decode(errors="replace")


def _assert_no_false_acknowledgement(hub: Hub, station: Station) -> None:
    held = set(hub_uuids(hub, station.enrollment.station_id))
    marked = {uuid for uuid, state in local_states(station).items() if state == "uploaded"}
    assert marked <= held, f"{len(marked - held)} rows marked uploaded that the hub lacks"


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    queued: Station, hub: Hub, crash_iterations: int
) -> None:
    rng = random.Random(2407)
    step = max(2 * QUEUE_SIZE // crash_iterations, 2)
    for _ in range(crash_iterations):
        process = _start(queued)
        _kill_at_random_point(process, hub, queued, rng, step)
        _assert_no_false_acknowledgement(hub, queued)
    with in_process_uploader(queued, batch_size=BATCH) as uploader:
        drain_until_empty(uploader)
    assert len(local_states(queued)) == QUEUE_SIZE
    assert_in_sync(hub, queued)
