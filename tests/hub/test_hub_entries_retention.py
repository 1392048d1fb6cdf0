"""Purge reports, log health and the hub's own retention (dedupe keys outlive the entries)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hub_entries_helpers import held_uuids, statuses
from hub_helpers import FAST

from station.entrylog.sealing import SealingKey
from sync.hub import Hub

pytest_plugins = ["hub_fixtures"]

NOW = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)


@pytest.fixture()
def hub(tmp_path):
    now = [NOW]
    with Hub(tmp_path / "hub.sqlite", FAST, clock=lambda: now[0]) as opened:
        opened.clock_now = now  # type: ignore[attr-defined]
        yield opened


def test_purge_reports_are_stored_once(hub, uploader):
    report_id = "5d1c7a9e-3b8f-4e21-9c0d-6a7b8c9d0e1f"
    first = uploader.purge_report(id=report_id, purged_unsent=2, seq_ranges=[[4, 5]])
    assert (first.status_code, first.json()) == (200, {"status": "stored"})
    again = uploader.purge_report(id=report_id, purged_unsent=2, seq_ranges=[[4, 5]])
    assert again.json() == {"status": "duplicate"}
    with hub.read() as conn:
        rows = conn.execute("SELECT station_id, at, purged_unsent, seq_ranges FROM purge_reports")
        assert rows.fetchall() == [(uploader.station_id, "2026-06-20T03:00:00Z", 2, "[[4, 5]]")]


@pytest.mark.parametrize(
    "fields",
    [
        {"extra": 1},
        {"id": "not-a-uuid"},
        {"at": "yesterday"},
        {"purged_unsent": -1},
        {"purged_uploaded": 1.5},
        {"seq_ranges": [[5, 4]]},
        {"seq_ranges": [[0, 4]]},
        {"seq_ranges": [[1, 2, 3]]},
        {"seq_ranges": "1-4"},
    ],
)
def test_purge_reports_are_checked_strictly(uploader, fields):
    answer = uploader.purge_report(**fields)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")


def test_purge_reports_must_be_signed(hub, uploader):
    report = {
        "id": "5d1c7a9e-3b8f-4e21-9c0d-6a7b8c9d0e1f",
        "at": "2026-06-20T03:00:00Z",
        "purged_unsent": 1,
        "purged_uploaded": 0,
        "purged_quarantined": 0,
        "seq_ranges": [[1, 1]],
    }
    body = json.dumps(report).encode()
    answer = uploader.post_body("/station/v1/purge-reports", body, signature="")
    assert (answer.status_code, answer.json()["code"]) == (401, "SIGNATURE_INVALID")
    stranger = ec.generate_private_key(ec.SECP256R1())
    answer = uploader.post_body("/station/v1/purge-reports", body, signer=stranger)
    assert (answer.status_code, answer.json()["code"]) == (401, "SIGNATURE_INVALID")
    with hub.read() as conn:
        assert conn.execute("SELECT count(*) FROM purge_reports").fetchone()[0] == 0


def test_log_health_shows_gaps_that_no_purge_report_explains(hub, server, uploader):
    held = [uploader.entry(seq=n) for n in (1, 2, 3, 7, 8, 10)]
    assert set(statuses(uploader.upload(held, next_seq=11))) == {"stored"}
    uploader.purge_report(purged_unsent=3, seq_ranges=[[4, 5], [9, 9]])
    [health] = hub.log_health()
    assert (health.station_id, health.entries, health.purged) == (uploader.station_id, 6, 0)
    assert (health.max_seq, health.next_seq, health.reported_unsent) == (10, 11, 3)
    assert health.missing == ((6, 6),)


def test_hub_purge_deletes_old_entries_but_keeps_their_uuids(hub, uploader, authority):
    key = SealingKey(authority.public_key())
    person = ("ZZCANARY Vo", "1999-09-09", "URN:UVCI:01:VN:OLD")
    old = [uploader.entry(sealing_key=key, person=person) for _ in range(20)]
    assert set(statuses(uploader.upload(old))) == {"stored"}
    hub.clock_now[0] = NOW + timedelta(days=15)
    recent = [uploader.entry(minute="2026-06-16T09:00Z") for _ in range(2)]
    assert set(statuses(uploader.upload(recent))) == {"stored"}
    hub.clock_now[0] = NOW + timedelta(days=25)
    purged = hub.purge_entries(21)
    assert (purged.entries, purged.sealed) == (20, 20)
    assert held_uuids(hub) == [e["uuid"] for e in recent]
    retried = uploader.upload(old[:5], key="retry-after-the-purge-01")
    assert statuses(retried) == ["duplicate"] * 5
    assert retried.json()["seq_floor"] == 22
    [health] = hub.log_health()
    assert (health.entries, health.purged, health.missing) == (2, 20, ())
    blocks = [base64.urlsafe_b64decode(e["sealed"] + "==") for e in old]
    raw = b"".join(p.read_bytes() for p in hub.path.parent.glob("hub.sqlite*"))
    assert not any(block[9:41] in raw for block in blocks)  # no ephemeral key survives


def test_a_trusted_old_minute_is_purged_even_if_received_late(hub, uploader):
    old_minute = uploader.entry(minute="2026-05-01T08:00Z")
    untrusted = uploader.entry(minute="2026-05-01T08:00Z", clock_trusted=False)
    assert set(statuses(uploader.upload([old_minute, untrusted]))) == {"stored"}
    assert hub.purge_entries(21).entries == 1
    assert held_uuids(hub) == [untrusted["uuid"]]
    with pytest.raises(ValueError):
        hub.purge_entries(0)
