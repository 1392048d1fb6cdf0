"""The upload pass against the real hub: batches are signed and keyed as the wire says, entries
are marked uploaded only once the hub has them, a poison entry that makes a proxy refuse whole
batches is split out and quarantined while the rest flows, and purge reports reach the hub."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta

from upload_helpers import (
    Alerts,
    Station,
    assert_in_sync,
    fill_log,
    hub_uuids,
    in_process_uploader,
    local_attempts,
    local_states,
)

from station.entrylog.outbox import Outbox
from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.sealing import SealingKey
from station.model import VerificationResult
from sync.hub import Hub
from sync.upload.signing import verify_body

pytest_plugins = ["upload_fixtures"]


def test_a_pass_uploads_everything_in_signed_keyed_batches(
    station: Station,
    hub: Hub,
    proxy_factory,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    uuids = fill_log(station.log, 120, valid_result, sealing_key, now)
    proxy = proxy_factory()
    with in_process_uploader(station, batch_size=50, url=proxy.url) as uploader:
        result = uploader.drain_once()
        assert result.ok and (result.batches, result.sent, result.stored) == (3, 120, 120)
        assert uploader.queue_counts().pending == 0
        again = uploader.drain_once()
        assert again.ok and again.batches == 0
    with Outbox(station.log) as outbox:
        assert outbox.next_seq() == 121
    assert_in_sync(hub, station)
    public = station.device_key.public_key()
    sent: list[str] = []
    for exchange in proxy.exchanges:
        document = json.loads(exchange.body)
        batch = [entry["uuid"] for entry in document["entries"]]
        assert len(batch) <= 50
        expected_key = hashlib.sha256(exchange.body).hexdigest()
        assert exchange.headers["Idempotency-Key"] == expected_key
        assert verify_body(public, exchange.body, exchange.headers["X-Station-Signature"])
        assert document["station_id"] == station.enrollment.station_id
        sent.extend(batch)
    assert sent == uuids  # in sequence order, each once


def test_nothing_is_marked_uploaded_without_the_hubs_answer(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    fill_log(station.log, 30, valid_result, sealing_key, now)
    hub.faults.add("/station/v1/entries", "status", status=503, times=1)
    with in_process_uploader(station, batch_size=10) as uploader:
        failed = uploader.drain_once()
        assert failed.failure == "SERVER_BUSY" and failed.batches == 0
        assert set(local_states(station).values()) == {"pending"}
        assert hub_uuids(hub, station.enrollment.station_id) == []
        assert uploader.drain_once().ok
    assert_in_sync(hub, station)


def test_a_poison_entry_is_split_out_and_quarantined_while_the_rest_flows(
    station: Station,
    hub: Hub,
    proxy_factory,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    uuids = fill_log(station.log, 40, valid_result, sealing_key, now)
    poison = uuids[17]
    proxy = proxy_factory(refuse=lambda path, body: poison.encode() in body)
    alerts = Alerts()
    with in_process_uploader(station, batch_size=16, url=proxy.url, alerts=alerts) as uploader:
        first = uploader.drain_once()
        assert first.ok and first.stored == 39 and first.rejected == 1
        held = set(hub_uuids(hub, station.enrollment.station_id))
        assert held == set(uuids) - {poison}
        assert local_attempts(station, poison) == ("pending", 1, "HTTP_400")
        for _ in range(4):
            assert uploader.drain_once().rejected == 1
    assert local_attempts(station, poison) == ("quarantined", 5, "HTTP_400")
    assert len(alerts.lines) == 1
    assert "quarantined after 5 attempts" in alerts.lines[0]
    states = local_states(station)
    assert [uuid for uuid, state in states.items() if state != "uploaded"] == [poison]


def test_the_seq_floor_from_the_hub_is_kept(
    station: Station,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    fill_log(station.log, 5, valid_result, sealing_key, now)
    with in_process_uploader(station) as uploader:
        assert uploader.drain_once().ok
    with closing(sqlite3.connect(station.log)) as conn:
        floor = conn.execute("SELECT value FROM log_meta WHERE key = 'seq_floor'").fetchone()
    assert floor == ("5",)


def test_purge_reports_are_sent_once_and_marked_sent(
    station: Station,
    hub: Hub,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> None:
    fill_log(station.log, 6, valid_result, sealing_key, now - timedelta(days=30))
    fill_log(station.log, 4, valid_result, sealing_key, now)
    report = purge(station.log, RetentionPolicy(), now=now, clock_trusted=True)
    assert report.purged_unsent == 6 and report.report_id is not None
    with in_process_uploader(station) as uploader:
        result = uploader.drain_once()
        assert result.ok and result.reports == 1 and result.stored == 4
        assert uploader.drain_once().reports == 0
    with Outbox(station.log) as outbox:
        assert outbox.unsent_purge_reports() == []
    with closing(sqlite3.connect(f"file:{hub.path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT id, purged_unsent, seq_ranges FROM purge_reports").fetchall()
    assert [(id_, unsent, json.loads(ranges)) for id_, unsent, ranges in rows] == [
        (report.report_id, 6, [[1, 6]])
    ]
