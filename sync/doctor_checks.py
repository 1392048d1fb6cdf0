"""The hub check of `station doctor` (it speaks HTTP, so it lives in `sync/`).

Registered through the `checkpoint_station.doctor_checks` entry point `hub`. It asks the
enrolled hub for its health page (reachability, TLS to the pinned CA) and then for its key
announcement signed by a pinned key: that proves the token is accepted and the signature key is
the pinned one, and its signed issue time is an authenticated clock reading, which is kept as
clock evidence exactly as a sync would keep it.
"""

from __future__ import annotations

import time
from datetime import timedelta

from station.adapters.clock import SystemClock
from station.cli.doctor_command import CheckOutcome, DoctorContext
from station.clock_trust import AGREEMENT, record_reference_time
from sync.bundle import verify_bundle
from sync.context import KEYS_PATH
from sync.enrollment import load_enrollment
from sync.errors import NotEnrolled, SyncError
from sync.http import HttpLimits

#: A technician waits for the table: a hub that takes longer than this is reported as such.
DOCTOR_LIMITS = HttpLimits(
    connect_timeout_s=3.0, read_timeout_s=5.0, total_deadline_s=10.0, max_body_bytes=1024 * 1024
)


def hub_check(ctx: DoctorContext) -> CheckOutcome:
    try:
        enrollment = load_enrollment(ctx.base)
    except NotEnrolled:
        return CheckOutcome("hub", "SKIP", "not enrolled with a hub")
    pinned = enrollment.pinned_keys()
    clock = SystemClock()
    try:
        with enrollment.client(DOCTOR_LIMITS) as client:
            started = time.perf_counter()
            client.get("healthz")
            latency_ms = (time.perf_counter() - started) * 1e3
            signed_by = next(iter(pinned))
            token = client.get(KEYS_PATH, params={"signed_by": signed_by}).body
            bundle = verify_bundle(token, pinned, "hub-keys")
    except SyncError as exc:
        return CheckOutcome("hub", "FAIL", f"{enrollment.hub_url}: {exc.code}: {exc.message}")
    now = clock.now()
    record_reference_time(ctx.base, local_now=now, reference=bundle.issued_at, source="hub-signed")
    skew = now - bundle.issued_at
    figures = {"latency_ms": round(latency_ms, 1), "skew_s": skew.total_seconds()}
    found = (
        f"{enrollment.hub_url} answered in {latency_ms:.0f} ms; token and pinned key accepted; "
        f"clock {_signed(skew)} from the hub's signed time"
    )
    if abs(skew) > AGREEMENT:
        return CheckOutcome("hub", "WARN", f"{found}: set the clock (NTP)", figures)
    return CheckOutcome("hub", "PASS", found, figures)


def _signed(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    return f"{seconds:+.1f} s"
