"""T25: the hub commits a batch and the answer is lost (connection dropped, or a 504 after the
commit). The retry carries the same entries, the same Idempotency-Key and the very same body,
so the hub replays its stored answer; the end state is the same as without the faults."""

from __future__ import annotations

import json

import pytest
from upload_helpers import (
    DROPPED,
    QUEUE_SIZE,
    Station,
    assert_in_sync,
    drain_until_empty,
    hub_idempotency_keys,
    hub_uuids,
    in_process_uploader,
    local_states,
)

from sync.hub import Hub

pytest_plugins = ["upload_fixtures"]

BATCH = 50
LOST = 3


@pytest.mark.parametrize(
    ("kind", "seen", "failure"),
    [
        ("drop_after_commit", DROPPED, "NETWORK_UNREACHABLE"),
        ("status_after_commit", 504, "SERVER_BUSY"),
    ],
)
def test_a_lost_acknowledgement_is_retried_with_the_same_key_and_body(
    queued: Station, hub: Hub, proxy_factory, kind: str, seen: int, failure: str
) -> None:
    hub.faults.add("/station/v1/entries", kind, times=LOST)
    proxy = proxy_factory()
    with in_process_uploader(queued, batch_size=BATCH, url=proxy.url) as uploader:
        for _ in range(LOST):
            assert uploader.drain_once().failure == failure
        # The hub committed the first batch; the station, never told, still has it pending.
        assert len(hub_uuids(hub, queued.enrollment.station_id)) == BATCH
        assert set(local_states(queued).values()) == {"pending"}
        resumed = uploader.drain_once()
        drain_until_empty(uploader)
    attempts = proxy.exchanges[: LOST + 1]
    assert [a.status for a in attempts] == [seen] * LOST + [200]
    assert len({a.body for a in attempts}) == 1
    assert len({a.headers["Idempotency-Key"] for a in attempts}) == 1
    replayed = json.loads(attempts[-1].answer)["results"]
    assert {r["status"] for r in replayed} == {"stored"}  # the stored answer, not "duplicate"
    assert resumed.ok and resumed.stored == QUEUE_SIZE and resumed.duplicate == 0
    assert len(set(hub_idempotency_keys(hub, queued.enrollment.station_id))) == QUEUE_SIZE // BATCH
    assert_in_sync(hub, queued)
