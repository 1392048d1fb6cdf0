"""Tracing on the hub: co-located entries across stations, every decryption audited first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from hub_entries_helpers import enroll_station, statuses
from hub_helpers import FAST

from station.entrylog.sealing import SealingKey, generate_authority_key
from sync.hub import Hub
from sync.hub.tracing import TraceRequest, TracingError

pytest_plugins = ["hub_fixtures"]

NOW = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
CASE = ("Trần Thị ZZCANARY", "1990-02-03", "URN:UVCI:01:VN:CASE")
FRIEND = ("ZZFRIEND Le", "1985-07-08", "URN:UVCI:01:VN:FRIEND")
STRANGER = ("ZZSTRANGER Pham", "1970-01-01", "shc-rid-77")


@pytest.fixture()
def hub(tmp_path):
    """The hub of these tests, on a clock the tests set (`hub.clock_now[0]`)."""
    now = [NOW]
    with Hub(tmp_path / "hub.sqlite", FAST, clock=lambda: now[0]) as opened:
        opened.clock_now = now  # type: ignore[attr-defined]
        yield opened


@pytest.fixture()
def two_stations(hub, server, uploader, authority):
    """Station A and B with a case at A (12:00, gate-A) and at B (13:00, hall-1)."""
    other = enroll_station(server.url, hub, "gate-2")
    key = SealingKey(authority.public_key())

    def at(station, minute, checkpoint, person):
        return station.entry(
            sealing_key=key, person=person, minute=f"2026-06-01T{minute}Z", checkpoint_id=checkpoint
        )

    a = {
        "case": at(uploader, "12:00", "gate-A", CASE),
        "near": at(uploader, "12:10", "gate-A", FRIEND),
        "late": at(uploader, "12:31", "gate-A", STRANGER),
        "elsewhere": at(uploader, "12:00", "gate-B", STRANGER),
        "unsealed": uploader.entry(minute="2026-06-01T11:45Z", checkpoint_id="gate-A"),
    }
    b = {
        "case": at(other, "13:00", "hall-1", CASE),
        "near": at(other, "13:30", "hall-1", STRANGER),
        "same-name-other-station": at(other, "12:05", "gate-A", FRIEND),
    }
    assert set(statuses(uploader.upload(list(a.values())))) == {"stored"}
    assert set(statuses(other.upload(list(b.values())))) == {"stored"}
    yield a, b
    other.close()


def _request(**fields):
    return TraceRequest(case_id="CASE-2026-001", operator="tracer-1", **fields)


def test_tracing_finds_the_co_located_entries_at_both_stations(hub, authority, two_stations):
    a, b = two_stations
    result = hub.trace(authority, _request(entries=(a["case"]["uuid"], b["case"]["uuid"])))
    found = {entry.uuid: entry for entry in result.contacts}
    assert set(found) == {a["near"]["uuid"], a["unsealed"]["uuid"], b["near"]["uuid"]}
    near = found[a["near"]["uuid"]]
    assert (near.checkpoint_id, near.minute, near.direction, near.verdict) == (
        "gate-A",
        "2026-06-01T12:10Z",
        "in",
        "VALID",
    )
    assert (near.identity.name, near.identity.date_of_birth, near.identity.credential_id) == FRIEND
    assert found[b["near"]["uuid"]].identity.name == STRANGER[0]
    assert found[a["unsealed"]["uuid"]].identity is None
    assert found[a["unsealed"]["uuid"]].note == "no sealed identity"
    assert [entry.identity for entry in result.case_entries] == [None, None]  # not opened
    audit = hub.audit_trail()
    assert result.decrypted == len(audit) == 2
    assert {(r.case_id, r.operator, r.purpose) for r in audit} == {
        ("CASE-2026-001", "tracer-1", "contact")
    }
    assert {r.entry_uuid for r in audit} == {a["near"]["uuid"], b["near"]["uuid"]}


def test_a_narrower_window_finds_fewer_contacts(hub, authority, two_stations):
    a, _ = two_stations
    result = hub.trace(authority, _request(entries=(a["case"]["uuid"],), window_minutes=10))
    assert [entry.uuid for entry in result.contacts] == [a["near"]["uuid"]]


def test_a_search_by_name_opens_every_block_under_audit(hub, authority, two_stations):
    a, b = two_stations
    result = hub.trace(authority, _request(name="zzcanary TRAN thi", date_of_birth="1990-02-03"))
    assert {e.uuid for e in result.case_entries} == {a["case"]["uuid"], b["case"]["uuid"]}
    assert all(e.identity.credential_id == CASE[2] for e in result.case_entries)
    assert {e.uuid for e in result.contacts} == {
        a["near"]["uuid"],
        a["unsealed"]["uuid"],
        b["near"]["uuid"],
    }
    purposes = [record.purpose for record in hub.audit_trail("CASE-2026-001")]
    assert purposes.count("search") == 7  # every sealed block of the last 21 days
    assert purposes.count("contact") == 2
    assert result.decrypted == 9
    nobody = hub.trace(authority, _request(name="Trần Thị ZZCANARY", date_of_birth="1990-02-04"))
    assert nobody.case_entries == () and nobody.contacts == ()


def test_a_search_only_looks_back_the_given_days(hub, authority, two_stations):
    hub.clock_now[0] = datetime(2026, 6, 30, tzinfo=UTC)
    result = hub.trace(authority, _request(name=CASE[0], date_of_birth=CASE[1], days=21))
    assert result.case_entries == () and hub.audit_trail() == []


def test_nothing_is_opened_when_the_audit_cannot_be_written(hub, authority, two_stations):
    a, _ = two_stations
    with sqlite3.connect(hub.path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON decryption_audit "
            "BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END"
        )
    conn.close()
    with pytest.raises(sqlite3.DatabaseError, match="audit storage unavailable"):
        hub.trace(authority, _request(entries=(a["case"]["uuid"],)))


def test_the_audit_trail_refuses_update_and_delete(hub, authority, two_stations):
    a, _ = two_stations
    hub.trace(authority, _request(entries=(a["case"]["uuid"],)))
    with sqlite3.connect(hub.path) as conn:
        for statement in (
            "UPDATE decryption_audit SET operator = 'someone else'",
            "DELETE FROM decryption_audit",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
    conn.close()
    assert [r.operator for r in hub.audit_trail()] == ["tracer-1"]


def test_another_authority_key_opens_nothing_and_says_so(hub, two_stations):
    a, _ = two_stations
    stranger = generate_authority_key()
    with pytest.raises(TracingError, match="sealed to another authority key"):
        hub.trace(stranger, _request(entries=(a["case"]["uuid"],)))
    with pytest.raises(TracingError, match="sealed to another authority key"):
        hub.trace(stranger, _request(name=CASE[0], date_of_birth=CASE[1]))
    assert hub.audit_trail() == []


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"entries": ("x",), "name": "A", "date_of_birth": "1990"},
        {"name": "only a name"},
        {"entries": ("x",), "days": 0},
        {"entries": ("x",), "window_minutes": -1},
    ],
)
def test_a_trace_request_must_say_how_to_find_the_case(fields):
    with pytest.raises(TracingError):
        _request(**fields)
    with pytest.raises(TracingError):
        TraceRequest(case_id="", operator="x", entries=("x",))


def test_an_unknown_case_entry_is_a_clear_error(hub, authority, two_stations):
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(TracingError, match=missing):
        hub.trace(authority, _request(entries=(missing,)))
