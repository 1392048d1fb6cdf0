"""Trusted time with an injected clock and boot clock (reliability plan T16-T18): the persisted
floor, jumps within a boot, leaps across a reboot, recovery, the verdict policy, and purges
that never run on a jumped clock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.adapters.time_evidence import BootTime
from station.adapters.time_floor_file import FLOOR_FILE, FloorRecord, load_record
from station.cache.database import open_cache
from station.cache.timestamps import to_iso
from station.clock_trust import TIME_FLOOR, clock_trusted, record_reference_time
from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.writer import EntryLog
from station.model import Check, VerificationResult
from station.paths import cache_db_path, log_db_path
from station.reasons import Reason, Status
from station.time_floor import (
    CLOCK_UNTRUSTED,
    LEAP_LIMIT,
    ClockAssessment,
    TimeGuard,
    apply_clock_policy,
)
from station.verify.outcome import build_result

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
TWO_YEARS = timedelta(days=730)


@dataclass
class Device:
    """The wall clock, the boot clock and the NTP flag of one simulated station."""

    wall: datetime = T0
    boot_id: str = "boot-1"
    since_boot: float = 60.0
    ntp: bool = False
    guards: list[TimeGuard] = field(default_factory=list)

    def now(self) -> datetime:
        return self.wall

    def advance(self, delta: timedelta) -> None:
        """Real time passes: both clocks move."""
        self.wall += delta
        self.since_boot += delta.total_seconds()

    def set_clock(self, value: datetime) -> None:
        """Someone (or a bad NTP answer) sets the wall clock; the boot clock does not move."""
        self.wall = value

    def reboot(self, off_for: timedelta, clock_after: datetime | None = None) -> None:
        self.boot_id = f"boot-{len(self.boot_id) + int(self.since_boot)}"
        self.since_boot = 20.0
        self.wall = clock_after if clock_after is not None else self.wall + off_for

    def guard(self, base: Path) -> TimeGuard:
        return TimeGuard(
            base,
            clock=self,
            ntp_synchronized=lambda: self.ntp,
            boot=lambda: BootTime(self.boot_id, self.since_boot),
        )


def assess(device: Device, base: Path) -> ClockAssessment:
    return device.guard(base).assess()


def hub_confirms(base: Path, device: Device, skew: timedelta = timedelta(seconds=2)) -> None:
    """A sync verified a hub-signed bundle issued `skew` before the station's clock."""
    record_reference_time(base, local_now=device.wall, reference=device.wall - skew, source="t")


def result(*checks: Check, at: datetime = T0) -> VerificationResult:
    return build_result("DCC", list(checks), at, None)


def log_entries(base: Path, device: Device, count: int, *, trusted: bool) -> None:
    valid = result(Check.passed("signature"), at=device.wall)
    with EntryLog(log_db_path(base), sealing_key=None) as log:
        for _ in range(count):
            log.record(
                valid,
                direction="in",
                checkpoint_id="gate-1",
                clock_trusted=trusted,
                now=device.wall,
            )


def test_a_fresh_station_without_ntp_is_unconfirmed_and_with_ntp_trusted(tmp_path: Path) -> None:
    device = Device()
    first = assess(device, tmp_path)
    assert first.state == "UNCONFIRMED" and first.floor == TIME_FLOOR
    assert first.valid_verdicts_allowed and not first.purge_allowed
    device.ntp = True
    trusted = assess(device, tmp_path)
    assert trusted.state == "TRUSTED" and trusted.confirmed_by == "ntp" and trusted.purge_allowed


def test_t16_clock_set_back_two_years_is_below_the_floor(tmp_path: Path) -> None:
    device = Device(ntp=True)
    hub_confirms(tmp_path, device)
    assert assess(device, tmp_path).floor_source == "hub-time"
    device.reboot(timedelta(hours=1), clock_after=T0 - TWO_YEARS)  # faketime -730d
    verdict = assess(device, tmp_path)
    assert verdict.state == "BELOW_FLOOR"
    assert not verdict.valid_verdicts_allowed and not verdict.purge_allowed
    assert "CLOCK UNTRUSTED" in verdict.message and "hub-time" in verdict.message


def test_the_floor_survives_its_sources_and_only_rises(tmp_path: Path) -> None:
    device = Device(ntp=True)
    hub_confirms(tmp_path, device)
    assess(device, tmp_path)
    (tmp_path / "clock.json").unlink()  # the evidence file is gone, the floor is not
    device.reboot(timedelta(hours=1), clock_after=T0 - timedelta(days=1))
    assert assess(device, tmp_path).state == "BELOW_FLOOR"
    assert load_record(tmp_path).parts["hub-time"] >= T0 - timedelta(seconds=5)


def test_newest_signed_trust_data_lifts_the_floor(tmp_path: Path) -> None:
    cache = open_cache(cache_db_path(tmp_path))
    listed = T0 + timedelta(days=10)
    with cache.transaction():  # as a DRL sync stores a signed list's lastUpdated
        cache.conn.execute(
            "INSERT INTO drl_lists (kid, mode, hash_types, expires, last_updated)"
            " VALUES (?, 'POINT', 2, NULL, ?)",
            (b"", to_iso(listed)),
        )
    cache.close()
    device = Device(wall=T0 + timedelta(days=9))
    verdict = assess(device, tmp_path)
    assert verdict.state == "BELOW_FLOOR" and verdict.floor == listed
    assert verdict.floor_source == "trust-data"


def test_t17_jump_forward_within_a_boot_is_caught_and_recovers(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assert assess(device, tmp_path).state == "TRUSTED"
    device.advance(timedelta(hours=3))
    assert assess(device, tmp_path).state == "TRUSTED"
    device.set_clock(device.wall + TWO_YEARS)  # faketime +730d mid-run; NTP flag still set
    jumped = assess(device, tmp_path)
    assert jumped.state == "JUMPED" and jumped.jump is not None
    assert jumped.jump > TWO_YEARS - timedelta(minutes=1)
    assert not jumped.purge_allowed and not jumped.valid_verdicts_allowed
    assert "ahead" in jumped.message
    assert clock_trusted(device.wall, tmp_path, ntp_synchronized=lambda: True)  # the old view
    device.set_clock(device.wall - TWO_YEARS)  # restored
    device.advance(timedelta(minutes=10))
    assert assess(device, tmp_path).state == "TRUSTED"


def test_small_ntp_corrections_are_not_jumps(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.advance(timedelta(days=2))
    device.set_clock(device.wall + timedelta(seconds=90))  # drift corrected by timesyncd
    assert assess(device, tmp_path).state == "TRUSTED"


def test_clock_set_back_within_a_boot_but_above_the_floor_is_a_jump(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.advance(timedelta(days=5))
    device.set_clock(device.wall - timedelta(days=3))
    verdict = assess(device, tmp_path)
    assert verdict.state == "JUMPED" and "back" in verdict.message


def test_a_hub_confirmation_reanchors_the_clock(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.set_clock(device.wall + timedelta(hours=2))  # an operator corrected a wrong clock
    assert assess(device, tmp_path).state == "JUMPED"
    hub_confirms(tmp_path, device)
    confirmed = assess(device, tmp_path)
    assert confirmed.state == "TRUSTED" and confirmed.confirmed_by == "hub"


def test_t18_boot_offline_with_a_stale_clock_above_the_floor(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    log_entries(tmp_path, device, 3, trusted=True)
    device.advance(timedelta(minutes=1))
    assess(device, tmp_path)
    # fake-hwclock restores the time saved at shutdown; the power stayed off for 30 days
    device.reboot(timedelta(days=30), clock_after=device.wall + timedelta(minutes=2))
    device.ntp = False
    verdict = assess(device, tmp_path)
    assert verdict.state == "UNCONFIRMED" and "not confirmed" in verdict.message
    assert verdict.floor_source == "log" and verdict.valid_verdicts_allowed
    assert not verdict.purge_allowed


def test_entries_logged_on_a_doubtful_clock_never_lift_the_floor(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.set_clock(device.wall + TWO_YEARS)
    assert assess(device, tmp_path).state == "JUMPED"
    # a writer that trusts the NTP flag alone still marks these entries as trusted
    log_entries(tmp_path, device, 5, trusted=True)
    assert assess(device, tmp_path).state == "JUMPED"
    device.set_clock(device.wall - TWO_YEARS)
    restored = assess(device, tmp_path)
    assert restored.state == "TRUSTED" and restored.floor < T0 + timedelta(hours=1)
    assert load_record(tmp_path).log_seq == 5


def test_leap_across_a_reboot_keeps_verdicts_but_holds_purges(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.reboot(timedelta(hours=1), clock_after=device.wall + TWO_YEARS)  # NTP says +2 years
    leaped = assess(device, tmp_path)
    assert leaped.state == "TRUSTED" and leaped.leap is not None and leaped.leap > LEAP_LIMIT
    assert leaped.valid_verdicts_allowed and not leaped.purge_allowed
    assert "purges wait" in leaped.message
    device.advance(timedelta(hours=2))
    assert assess(device, tmp_path).leap is not None  # still held: only the hub can clear it
    hub_confirms(tmp_path, device)
    assert assess(device, tmp_path).purge_allowed


def test_a_technician_confirmation_lowers_a_floor_from_a_wrong_clock(tmp_path: Path) -> None:
    (tmp_path / FLOOR_FILE).write_text(
        json.dumps(FloorRecord(parts={"log": T0 + TWO_YEARS}).to_json())
    )
    device = Device()
    assert assess(device, tmp_path).state == "BELOW_FLOOR"
    assert device.guard(tmp_path).confirm().state == "TRUSTED"
    hub_confirms(tmp_path, device, skew=timedelta(hours=-1))  # the hub signed a later time
    assert assess(device, tmp_path).state == "BELOW_FLOOR"  # which no technician overrides


def test_a_technician_can_confirm_the_clock(tmp_path: Path) -> None:
    device = Device(ntp=True)
    assess(device, tmp_path)
    device.reboot(timedelta(days=8))
    assert not assess(device, tmp_path).purge_allowed
    confirmed = device.guard(tmp_path).confirm()
    assert confirmed.purge_allowed and confirmed.confirmed_by == "technician"


def test_a_hub_time_lowers_floor_parts_written_by_a_wrong_clock(tmp_path: Path) -> None:
    wrong = FloorRecord(parts={"log": T0 + TWO_YEARS})
    (tmp_path / FLOOR_FILE).write_text(json.dumps(wrong.to_json()))
    device = Device()
    assert assess(device, tmp_path).state == "BELOW_FLOOR"
    hub_confirms(tmp_path, device)
    fixed = assess(device, tmp_path)
    assert fixed.state == "TRUSTED" and fixed.floor <= T0


def test_a_damaged_floor_file_starts_again_from_the_evidence(tmp_path: Path) -> None:
    device = Device()
    hub_confirms(tmp_path, device)
    (tmp_path / FLOOR_FILE).write_text("{broken")
    device.reboot(timedelta(hours=1), clock_after=T0 - timedelta(days=3))
    assert assess(device, tmp_path).state == "BELOW_FLOOR"  # clock.json still holds the hub time


def test_a_clock_jump_never_purges_unsent_entries(tmp_path: Path) -> None:
    device = Device(ntp=True, wall=T0 - timedelta(days=2))
    assess(device, tmp_path)
    log_entries(tmp_path, device, 4, trusted=True)
    policy = RetentionPolicy(max_age_days=21)

    device.set_clock(device.wall + TWO_YEARS)  # within the boot
    jumped = assess(device, tmp_path)
    outcome = purge(
        log_db_path(tmp_path), policy, now=device.wall, clock_trusted=jumped.purge_allowed
    )
    assert outcome.skipped and outcome.purged == 0

    device.reboot(timedelta(minutes=5), clock_after=T0 + TWO_YEARS)  # across a reboot, NTP "ok"
    leaped = assess(device, tmp_path)
    outcome = purge(
        log_db_path(tmp_path), policy, now=device.wall, clock_trusted=leaped.purge_allowed
    )
    assert outcome.skipped and outcome.purged == 0

    device.reboot(timedelta(minutes=5), clock_after=T0 + timedelta(days=30))  # the real time
    hub_confirms(tmp_path, device)
    real = assess(device, tmp_path)
    outcome = purge(
        log_db_path(tmp_path), policy, now=device.wall, clock_trusted=real.purge_allowed
    )
    assert not outcome.skipped and outcome.purged_unsent == 4  # past the limit on trusted time


def test_policy_keeps_verdicts_on_a_trusted_or_unconfirmed_clock() -> None:
    valid = result(Check.passed("signature"), Check.passed("expiry"))
    for state in ("TRUSTED", "UNCONFIRMED"):
        clock = ClockAssessment(state, T0, TIME_FLOOR, "release date")  # type: ignore[arg-type]
        kept = apply_clock_policy(valid, clock)
        assert kept.status is Status.VALID and kept.details["clock"]["state"] == state


@pytest.mark.parametrize("state", ["BELOW_FLOOR", "JUMPED"])
def test_policy_on_an_untrusted_clock(state: str) -> None:
    clock = ClockAssessment(state, T0, T0 + timedelta(days=1), "hub-time")  # type: ignore[arg-type]
    valid = apply_clock_policy(result(Check.passed("signature")), clock)
    assert valid.status is Status.CHECK_MANUALLY and valid.reason == CLOCK_UNTRUSTED
    assert valid.check("clock") is not None and valid.check("clock").code == CLOCK_UNTRUSTED  # type: ignore[union-attr]
    expired = result(Check.passed("signature"), Check.failed("expiry", Reason.EXPIRED))
    judged = apply_clock_policy(expired, clock)
    assert judged.status is Status.CHECK_MANUALLY and judged.reason == CLOCK_UNTRUSTED
    forged = result(Check.failed("signature", Reason.SIGNATURE_INVALID))
    assert apply_clock_policy(forged, clock).status is Status.INVALID
    assert apply_clock_policy(forged, clock).reason == Reason.SIGNATURE_INVALID
    both = result(Check.failed("expiry", Reason.EXPIRED), Check.failed("key", Reason.REVOKED))
    assert both.reason == Reason.EXPIRED
    kept = apply_clock_policy(both, clock)
    assert kept.status is Status.INVALID and kept.reason == Reason.REVOKED
