"""The uploader's side of the log: order, acknowledgement, rejection and quarantine, the seq
floor, and the exact wire form of an entry."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from entrylog_helpers import log_seqs

from station.entrylog.outbox import Outbox, QueueCounts
from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.sealing import open_sealed
from station.entrylog.writer import EntryLog

pytest_plugins = ["entrylog_fixtures"]

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
WIRE_KEYS = {
    "uuid", "seq", "checkpoint_id", "direction", "minute", "clock_trusted", "verdict", "reason",
    "format", "data_version", "sealed",
}  # fmt: skip


@pytest.fixture()
def queued(log_path, dcc_result, sealing_key):  # type: ignore[no-untyped-def]
    """Ten entries a minute apart, and the outbox over them."""
    with EntryLog(log_path, sealing_key=sealing_key) as log:
        uuids = [
            log.record(
                dcc_result(),
                direction="in",
                checkpoint_id="gate-1",
                clock_trusted=True,
                now=AT + timedelta(minutes=n),
            ).uuid
            for n in range(10)
        ]
    with Outbox(log_path) as outbox:
        yield outbox, uuids


def test_pending_entries_come_in_sequence_order_in_pages(queued):
    outbox, uuids = queued
    first = outbox.pending(4)
    assert [r.seq for r in first] == [1, 2, 3, 4] and [r.uuid for r in first] == uuids[:4]
    assert [r.seq for r in outbox.pending(4, after_seq=first[-1].seq)] == [5, 6, 7, 8]
    assert outbox.pending(4, after_seq=10) == []


def test_the_wire_form_is_exactly_the_allow_list(queued, authority_key):
    outbox, _ = queued
    record = outbox.pending(1)[0]
    wire = record.to_wire()
    assert set(wire) == WIRE_KEYS
    assert wire["minute"] == "2026-06-01T12:00Z" and wire["clock_trusted"] is True
    assert wire["verdict"] == "VALID" and wire["format"] == "dcc" and wire["direction"] == "in"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", wire["sealed"]) and len(wire["sealed"]) <= 2048
    block = base64.urlsafe_b64decode(wire["sealed"] + "=" * (-len(wire["sealed"]) % 4))
    assert block == record.sealed
    assert b"1990-05-17" in open_sealed(authority_key, block, wire["uuid"].encode())


def test_only_pending_entries_are_marked_uploaded(queued):
    outbox, uuids = queued
    assert outbox.mark_uploaded(uuids[:3], AT) == 3
    assert outbox.mark_uploaded(uuids[:4], AT) == 1  # the first three were already uploaded
    assert outbox.mark_uploaded(["not-a-uuid"], AT) == 0
    assert [r.seq for r in outbox.pending(100)] == [5, 6, 7, 8, 9, 10]
    assert outbox.counts() == QueueCounts(6, 4, 0, "2026-06-01T12:04Z")


def test_a_rejected_entry_is_quarantined_after_five_attempts_without_blocking_the_rest(queued):
    outbox, uuids = queued
    results = [outbox.record_rejection(uuids[1], "ENTRY_INVALID") for _ in range(5)]
    assert results == [False, False, False, False, True]
    assert outbox.record_rejection(uuids[1], "ENTRY_INVALID") is False  # no longer pending
    assert [r.seq for r in outbox.pending(3)] == [1, 3, 4]
    assert outbox.mark_uploaded([uuids[1]], AT) == 0  # a quarantined entry stays quarantined
    assert outbox.counts().quarantined == 1
    outbox.record_rejection(uuids[2], "Nguyễn Văn An is not allowed")  # never stored as given
    row = outbox.conn.execute(
        "SELECT last_error, attempts FROM entries WHERE uuid = ?", (uuids[2],)
    ).fetchone()
    assert row == ("REJECTED", 1)


def test_quarantined_entries_still_obey_retention(queued, log_path):
    outbox, uuids = queued
    for _ in range(5):
        outbox.record_rejection(uuids[0], "ENTRY_INVALID")
    result = purge(log_path, RetentionPolicy(14), now=AT + timedelta(days=15), clock_trusted=True)
    assert result.purged_quarantined == 1 and result.purged_unsent == 9
    assert log_seqs(log_path) == []


def test_the_seq_floor_only_rises_and_numbering_stays_above_it(queued, log_path, dcc_result):
    outbox, _ = queued
    assert outbox.next_seq() == 11
    outbox.raise_seq_floor(500)
    outbox.raise_seq_floor(20)  # never lowered
    assert outbox.next_seq() == 501
    with EntryLog(log_path, sealing_key=None) as log:
        seq = log.record(
            dcc_result(), direction="in", checkpoint_id="g", clock_trusted=True, now=AT
        )
    assert seq.seq == 501 and outbox.next_seq() == 502


def test_numbers_are_never_reused_after_everything_is_purged(queued, log_path, dcc_result):
    outbox, uuids = queued
    outbox.mark_uploaded(uuids, AT)
    purge(log_path, RetentionPolicy(14), now=AT + timedelta(days=20), clock_trusted=True)
    assert log_seqs(log_path) == [] and outbox.next_seq() == 11
    with EntryLog(log_path, sealing_key=None) as log:
        seq = log.record(
            dcc_result(), direction="in", checkpoint_id="g", clock_trusted=True, now=AT
        )
    assert seq.seq == 11
