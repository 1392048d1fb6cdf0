"""Sync bookkeeping: successes, failures and resume tokens per source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.sync_state import SourceState, SyncStateStore

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def states(cache: CacheDatabase) -> SyncStateStore:
    return SyncStateStore(cache)


def test_an_unknown_source_has_no_state(states: SyncStateStore):
    assert states.get("revocations") is None
    assert states.all() == []


def test_a_success_is_recorded_with_all_its_fields(states: SyncStateStore):
    expires = NOW + timedelta(days=2)
    states.record_success(
        "revocations",
        version=7,
        now=NOW,
        data_expires_at=expires,
        item_count=1234,
        etag='"abc"',
        resume_token="42",
    )
    assert states.get("revocations") == SourceState(
        source="revocations",
        version=7,
        etag='"abc"',
        resume_token="42",
        last_attempt_at=NOW,
        last_success_at=NOW,
        data_expires_at=expires,
        item_count=1234,
    )


def test_failures_count_up_and_keep_the_last_success(states: SyncStateStore):
    states.record_success("rules", version=3, now=NOW, item_count=10)
    retry = NOW + timedelta(minutes=5)
    for n in (1, 2):
        states.record_failure(
            "rules",
            code="NETWORK_UNREACHABLE",
            message="offline",
            now=NOW + timedelta(n),
            next_attempt_at=retry,
        )
    state = states.get("rules")
    assert state is not None
    assert (state.version, state.item_count, state.last_success_at) == (3, 10, NOW)
    assert state.last_attempt_at == NOW + timedelta(2)
    assert (state.last_error_code, state.last_error_message) == ("NETWORK_UNREACHABLE", "offline")
    assert (state.consecutive_failures, state.next_attempt_at) == (2, retry)


def test_a_success_after_failures_clears_the_error(states: SyncStateStore):
    states.record_failure("rules", code="TIMEOUT", message="slow", now=NOW)
    states.record_success("rules", version=None, now=NOW + timedelta(hours=1))
    state = states.get("rules")
    assert state is not None
    assert state.last_error_code is None and state.last_error_message is None
    assert state.consecutive_failures == 0 and state.next_attempt_at is None
    assert state.last_success_at == NOW + timedelta(hours=1)


def test_a_first_failure_creates_the_row_without_a_success(states: SyncStateStore):
    states.record_failure("status-list", code="HTTP_ERROR", message="HTTP 500", now=NOW)
    state = states.get("status-list")
    assert state is not None
    assert state.last_success_at is None and state.version is None
    assert state.consecutive_failures == 1


def test_resume_token_is_set_and_cleared_alone(states: SyncStateStore):
    states.record_success("trust-list", version=2, now=NOW, etag="e")
    states.set_resume_token("trust-list", "17")
    assert states.get("trust-list").resume_token == "17"
    assert states.get("trust-list").version == 2
    states.set_resume_token("trust-list", None)
    assert states.get("trust-list").resume_token is None
    states.set_resume_token("new-source", "1")
    assert [s.source for s in states.all()] == ["new-source", "trust-list"]


def test_times_come_back_in_utc_and_naive_times_are_refused(states: SyncStateStore):
    hanoi = timezone(timedelta(hours=7))
    states.record_success("rules", version=1, now=NOW.astimezone(hanoi))
    state = states.get("rules")
    assert state is not None and state.last_success_at == NOW
    assert state.last_success_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError):
        states.record_success("rules", version=1, now=datetime(2026, 6, 1, 12, 0))


def test_a_success_written_in_a_failed_transaction_is_not_kept(
    states: SyncStateStore, cache: CacheDatabase
):
    states.record_success("revocations", version=1, now=NOW)
    before = cache.content_digest()
    with pytest.raises(OSError), cache.transaction():
        states.record_success("revocations", version=2, now=NOW + timedelta(hours=1))
        raise OSError("disk full")
    assert cache.content_digest() == before
    assert states.get("revocations").version == 1
