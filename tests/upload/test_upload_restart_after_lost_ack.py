"""A station that restarts after the hub committed a batch but the answer was lost, and logged
more entries meanwhile, rebuilds the batch with another `log.next_seq`. That body is new, so it
must go under a new Idempotency-Key and be deduplicated by UUID; reusing the old key with a new
body would be refused (422) and the entry counted as rejected until it was quarantined."""

from __future__ import annotations

from datetime import datetime

from upload_helpers import (
    Station,
    assert_in_sync,
    drain_until_empty,
    fill_log,
    hub_uuids,
    in_process_uploader,
    local_attempts,
)

from station.model import VerificationResult
from sync.hub import Hub
from sync.upload import batch as wire

pytest_plugins = ["upload_fixtures"]


def test_a_rebuilt_batch_after_a_restart_is_acknowledged_not_rejected(
    station: Station, hub: Hub, valid_result: VerificationResult, now: datetime
) -> None:
    (first,) = fill_log(station.log, 1, valid_result, None, now)
    hub.faults.add("/station/v1/entries", "drop_after_commit", times=1)
    with in_process_uploader(station, batch_size=1) as uploader:
        assert uploader.drain_once().failure == "NETWORK_UNREACHABLE"
    assert hub_uuids(hub, station.enrollment.station_id) == [first]
    fill_log(station.log, 1, valid_result, None, now)  # the next_seq moves on
    with in_process_uploader(station, batch_size=1) as restarted:
        resumed = restarted.drain_once()
        drain_until_empty(restarted)
    assert resumed.ok and resumed.rejected == 0 and resumed.duplicate == 1
    assert local_attempts(station, first) == ("uploaded", 0, None)
    assert_in_sync(hub, station)


def test_the_key_follows_the_body(station: Station, valid_result: VerificationResult, now) -> None:
    fill_log(station.log, 1, valid_result, None, now)
    from station.entrylog.outbox import Outbox

    outbox = Outbox(station.log)
    try:
        records = outbox.pending(1)
    finally:
        outbox.close()
    key = station.device_key
    same = [wire.build_batch("st-1", 5, records, key) for _ in range(2)]
    moved = wire.build_batch("st-1", 6, records, key)
    assert same[0].key == same[1].key and same[0].body == same[1].body
    assert moved.key != same[0].key
