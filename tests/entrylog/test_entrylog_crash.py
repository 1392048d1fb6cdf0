"""kill -9 during a write burst (T19), and crash images taken while the writer runs (T20's
unprivileged fallback): an acknowledged entry is never lost, nothing half-written appears."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from entrylog_helpers import (
    ForkServer,
    copy_image,
    integrity,
    is_prefix_of_commit_order,
    kill,
    log_seqs,
    start_burst,
)

from station.entrylog.database import open_log

pytest_plugins = ["entrylog_fixtures"]

#: A reopen must not hang on a stale lock; generous, since CI machines stall.
REOPEN_LIMIT_S = 30.0


def _reopen_seconds(path: Path) -> float:
    start = time.perf_counter()
    open_log(path).close()
    return time.perf_counter() - start


def test_kill_9_during_a_write_burst_loses_no_acknowledged_entry(
    log_path, sealing_key, crash_iterations
):
    rng = random.Random(19)
    server = ForkServer(log_path, sealing_key)
    reopen_times = []
    try:
        for _ in range(crash_iterations):
            server.start_child()
            time.sleep(rng.uniform(0.0, 0.1))
            acknowledged = server.kill_child()
            reopen_times.append(_reopen_seconds(log_path))
            assert reopen_times[-1] < REOPEN_LIMIT_S
            stored = log_seqs(log_path)
            assert set(acknowledged) <= set(stored)
            assert is_prefix_of_commit_order(stored)
            assert len(stored) - len(acknowledged) <= 1  # at most the one commit in flight
            assert integrity(log_path) == "ok"
            server.reader.seqs[:] = stored  # the next child continues the same log
    finally:
        server.close()
    assert len(log_seqs(log_path)) >= crash_iterations
    print(f"reopen after kill -9: max {max(reopen_times) * 1000:.1f} ms")


def test_crash_images_taken_mid_burst_hold_every_acknowledged_entry(
    log_path, tmp_path, sealing_key, crash_iterations
):
    rng = random.Random(20)
    proc, reader = start_burst(log_path, sealing_key)
    images = []
    try:
        assert reader.first.wait(30)
        for number in range(crash_iterations):
            time.sleep(rng.uniform(0.005, 0.06))
            os.kill(proc.pid, signal.SIGSTOP)  # the instant of the crash
            try:
                acknowledged = len(reader.seqs)
                images.append((copy_image(log_path, tmp_path / f"image-{number}"), acknowledged))
            finally:
                os.kill(proc.pid, signal.SIGCONT)
    finally:
        kill(proc)
        reader.join()
    for image, acknowledged in images:
        stored = log_seqs(image)
        assert is_prefix_of_commit_order(stored), image
        assert len(stored) >= acknowledged, image
        assert integrity(image) == "ok"
