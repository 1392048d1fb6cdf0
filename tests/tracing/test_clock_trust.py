"""The clock is trusted only on outside evidence: NTP, or the hub's signed time, recently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from station.clock_trust import (
    EVIDENCE_FILE,
    EVIDENCE_LIFETIME,
    TIME_FLOOR,
    clock_trusted,
    load_evidence,
    record_reference_time,
)

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def no_ntp() -> bool:
    return False


def test_without_evidence_the_clock_is_not_trusted(tmp_path) -> None:
    assert not clock_trusted(NOW, tmp_path, ntp_synchronized=no_ntp)


def test_ntp_synchronisation_is_enough_above_the_floor(tmp_path) -> None:
    assert clock_trusted(NOW, tmp_path, ntp_synchronized=lambda: True)
    assert not clock_trusted(
        datetime(1970, 1, 1, tzinfo=UTC), tmp_path, ntp_synchronized=lambda: True
    )
    assert not clock_trusted(
        TIME_FLOOR - timedelta(seconds=1), tmp_path, ntp_synchronized=lambda: True
    )


def test_agreement_with_the_hub_makes_the_clock_trusted_for_a_while(tmp_path) -> None:
    record_reference_time(
        tmp_path, local_now=NOW, reference=NOW - timedelta(seconds=40), source="t"
    )
    assert clock_trusted(NOW + timedelta(days=3), tmp_path, ntp_synchronized=no_ntp)
    assert not clock_trusted(
        NOW + EVIDENCE_LIFETIME + timedelta(minutes=1), tmp_path, ntp_synchronized=no_ntp
    )


def test_a_clock_that_went_back_past_its_confirmation_is_not_trusted(tmp_path) -> None:
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="t")
    assert not clock_trusted(NOW - timedelta(hours=2), tmp_path, ntp_synchronized=no_ntp)


def test_disagreement_with_the_hub_withdraws_trust(tmp_path) -> None:
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="t")
    later = NOW + timedelta(hours=1)
    record_reference_time(
        tmp_path, local_now=later, reference=later - timedelta(days=2), source="t"
    )
    evidence = load_evidence(tmp_path)
    assert evidence is not None and not evidence.agreed
    assert not clock_trusted(later, tmp_path, ntp_synchronized=no_ntp)


def test_an_unreadable_evidence_file_counts_as_none(tmp_path) -> None:
    (tmp_path / EVIDENCE_FILE).write_text("{not json")
    assert load_evidence(tmp_path) is None
    (tmp_path / EVIDENCE_FILE).write_text(
        '{"checked_at": "2026-11-26T09:30:00", "skew_seconds": 0, "source": "t"}'
    )
    assert load_evidence(tmp_path) is None  # a time without zone proves nothing
    assert not clock_trusted(NOW, tmp_path, ntp_synchronized=no_ntp)
