"""Freshness: per-source states at their boundaries and the station state they add up to."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from station.cache.freshness import FreshnessPolicy, assess, assess_source
from station.cache.sync_state import SourceState

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = FreshnessPolicy()


def synced(source: str, ago: timedelta, **kw) -> SourceState:
    return SourceState(source, version=5, last_success_at=NOW - ago, last_attempt_at=NOW, **kw)


@pytest.mark.parametrize(
    "ago, expected",
    [
        (timedelta(0), "FRESH"),
        (timedelta(hours=23, minutes=59), "FRESH"),
        (timedelta(hours=24), "AGING"),
        (timedelta(hours=71, minutes=59), "AGING"),
        (timedelta(hours=72), "STALE"),
        (timedelta(days=30), "STALE"),
    ],
)
def test_age_boundaries(ago: timedelta, expected: str):
    judged = assess_source("revocations", synced("revocations", ago), POLICY, NOW)
    assert judged.state == expected
    assert judged.age == ago and judged.version == 5


def test_reasons_are_plain_words():
    def reason(ago: timedelta) -> str:
        return assess_source("revocations", synced("revocations", ago), POLICY, NOW).reason

    assert reason(timedelta(days=3)) == "Revoked passes last updated 3 days ago"
    assert reason(timedelta(hours=30)) == "Revoked passes last updated 30 hours ago"
    assert reason(timedelta(minutes=1)) == "Revoked passes updated 1 minute ago"
    assert reason(timedelta(seconds=5)) == "Revoked passes updated less than a minute ago"
    unknown = assess_source("extra", synced("extra", timedelta(hours=2)), POLICY, NOW)
    assert unknown.reason == "extra updated 2 hours ago"


def test_expired_data_is_stale_however_recent():
    state = synced("trust-list", timedelta(minutes=5), data_expires_at=NOW - timedelta(hours=2))
    judged = assess_source("trust-list", state, POLICY, NOW)
    assert judged.state == "STALE"
    assert judged.reason == "Trusted pass issuers expired 2 hours ago"
    at_expiry = synced("trust-list", timedelta(minutes=5), data_expires_at=NOW)
    assert assess_source("trust-list", at_expiry, POLICY, NOW).state == "STALE"
    later = synced("trust-list", timedelta(minutes=5), data_expires_at=NOW + timedelta(seconds=1))
    assert assess_source("trust-list", later, POLICY, NOW).state == "FRESH"


def test_a_success_in_the_future_means_the_clock_is_wrong():
    judged = assess_source("rules", synced("rules", -timedelta(hours=3)), POLICY, NOW)
    assert judged.state == "STALE"
    assert "3 hours in the future" in judged.reason and "clock looks wrong" in judged.reason
    assert judged.age == -timedelta(hours=3)


def test_never_synced_and_the_last_error_are_reported():
    failed = SourceState(
        "status-list",
        last_attempt_at=NOW,
        last_error_code="NETWORK_UNREACHABLE",
        last_error_message="The backend cannot be reached",
        consecutive_failures=3,
    )
    judged = assess_source("status-list", failed, POLICY, NOW)
    assert (judged.state, judged.age, judged.last_error_code) == (
        "NEVER",
        None,
        "NETWORK_UNREACHABLE",
    )
    assert judged.reason == (
        "National health status list has never been downloaded; "
        "the last update failed: The backend cannot be reached"
    )
    assert assess_source("rules", None, POLICY, NOW).state == "NEVER"


def test_a_cleared_error_is_not_reported():
    state = synced("rules", timedelta(hours=1), last_error_code="TIMEOUT", consecutive_failures=0)
    judged = assess_source("rules", state, POLICY, NOW)
    assert judged.last_error_code is None and "failed" not in judged.reason


def test_per_source_limits():
    policy = FreshnessPolicy(per_source={"rules": (timedelta(days=7), timedelta(days=30))})
    assert assess_source("rules", synced("rules", timedelta(days=3)), policy, NOW).state == "FRESH"
    other = synced("revocations", timedelta(days=3))
    assert assess_source("revocations", other, policy, NOW).state == "STALE"


@pytest.mark.parametrize(
    "warn, degrade", [(timedelta(0), timedelta(1)), (timedelta(2), timedelta(1))]
)
def test_inconsistent_limits_are_refused(warn: timedelta, degrade: timedelta):
    with pytest.raises(ValueError):
        FreshnessPolicy(warn_after=warn, degrade_after=degrade)


def test_station_state_is_the_worst_source():
    fresh = synced("rules", timedelta(hours=1))
    aging = synced("revocations", timedelta(hours=30))
    stale = synced("trust-list", timedelta(days=4))
    ok = assess([fresh], ["rules"], POLICY, NOW)
    assert (ok.state, ok.stale) == ("OK", False)
    warn = assess([fresh, aging], ["rules", "revocations"], POLICY, NOW)
    assert (warn.state, warn.stale) == ("WARN", False)
    degraded = assess([fresh, aging, stale], ["rules"], POLICY, NOW)
    assert (degraded.state, degraded.stale) == ("DEGRADED", True)
    assert [s.source for s in degraded.sources] == ["rules", "revocations", "trust-list"]


def test_an_expected_source_never_synced_degrades_the_station():
    health = assess([synced("rules", timedelta(hours=1))], ["trust-list", "rules"], POLICY, NOW)
    assert health.state == "DEGRADED" and health.stale
    assert [(s.source, s.state) for s in health.sources] == [
        ("trust-list", "NEVER"),
        ("rules", "FRESH"),
    ]
    assert health.versions == {"trust-list": None, "rules": 5}


def test_health_serialises_to_json():
    health = assess([synced("rules", timedelta(hours=25))], ["rules"], POLICY, NOW)
    document = json.loads(json.dumps(health.to_json()))
    assert document["state"] == "WARN" and document["stale"] is False
    assert document["sources"] == [
        {
            "source": "rules",
            "state": "AGING",
            "age_seconds": 25 * 3600,
            "version": 5,
            "last_error_code": None,
            "reason": "Entry rules last updated 25 hours ago",
        }
    ]
