"""Waits after failed passes: full jitter under a doubling ceiling, capped at 15 minutes,
never under a second, Retry-After as a bounded minimum, and back to short waits on success."""

from __future__ import annotations

import random

from sync.upload.backoff import CAP_S, UploadBackoff


def test_waits_stay_under_a_doubling_ceiling_up_to_the_cap() -> None:
    backoff = UploadBackoff(rng=random.Random(7))
    for failures in range(1, 40):
        delay = backoff.next_delay()
        assert 1.0 <= delay <= max(backoff.ceiling(failures), 1.0)
        assert delay <= CAP_S
    assert backoff.ceiling(1) == 2.0
    assert backoff.ceiling(2) == 4.0
    assert backoff.ceiling(40) == CAP_S


def test_waits_are_jittered_not_lockstep() -> None:
    stations = [UploadBackoff(rng=random.Random(seed)) for seed in range(20)]
    for _ in range(10):
        delays = [station.next_delay() for station in stations]
    assert len({round(delay, 3) for delay in delays}) == len(delays)


def test_retry_after_is_a_minimum_bounded_by_the_cap() -> None:
    backoff = UploadBackoff(rng=random.Random(1))
    assert backoff.next_delay(30.0) == 30.0
    assert backoff.next_delay(86400.0) == CAP_S


def test_success_resets_the_ceiling() -> None:
    backoff = UploadBackoff(rng=random.Random(3))
    for _ in range(12):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 2.0
