"""Entry uploads: signature, strict allow-list (T34), idempotency, dedupe, per-record refusal."""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hub_entries_helpers import (
    ENTRIES,
    PURGE_REPORTS,
    b64url,
    declared_length_answer,
    enroll_station,
    held_uuids,
    idempotency_key,
    sign_body,
    statuses,
)
from hub_helpers import FAST

from station.entrylog.sealing import SealingKey, generate_authority_key
from sync.bundle import public_key_pem
from sync.hub import Hub

pytest_plugins = ["hub_fixtures"]


@pytest.fixture()
def sealing_key() -> SealingKey:
    return SealingKey(generate_authority_key().public_key())


def test_a_signed_batch_is_stored_and_answered_per_record(hub, uploader, sealing_key):
    person = ("ZZCANARY Nguyen", "1980-05-01", "URN:UVCI:01:VN:ABC")
    entries = [uploader.entry(sealing_key=sealing_key, person=person) for _ in range(3)]
    entries.append(uploader.entry(verdict="INVALID", reason="SIGNATURE_INVALID", sealed=None))
    answer = uploader.upload(entries)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "results": [{"uuid": e["uuid"], "status": "stored"} for e in entries],
        "seq_floor": 4,
    }
    assert held_uuids(hub) == [e["uuid"] for e in entries]
    with hub.read() as conn:
        row = conn.execute(
            "SELECT station_id, seq, minute, clock_trusted, verdict, sealed FROM entries "
            "WHERE uuid = ?",
            (entries[0]["uuid"],),
        ).fetchone()
    assert row[:5] == (uploader.station_id, 1, "2026-06-01T12:00Z", 1, "VALID")
    assert b64url(bytes(row[5])) == entries[0]["sealed"]
    raw = hub.path.read_bytes() + hub.path.with_name("hub.sqlite-wal").read_bytes()
    assert b"ZZCANARY" not in raw


def test_a_bad_record_is_rejected_and_the_rest_of_the_batch_stored(hub, uploader):
    good = [uploader.entry(), uploader.entry()]
    bad = uploader.entry(verdict="LIMITED")
    answer = uploader.upload([good[0], bad, good[1]])
    assert statuses(answer) == ["stored", "rejected", "stored"]
    assert answer.json()["results"][1] == {
        "uuid": bad["uuid"],
        "status": "rejected",
        "error": "ENTRY_INVALID",
    }
    assert held_uuids(hub) == [good[0]["uuid"], good[1]["uuid"]]


BAD_VALUES = [
    ("uuid", "9F1C2D3E-0000-4000-8000-000000000000"),
    ("uuid", "not-a-uuid"),
    ("seq", 0),
    ("seq", "5"),
    ("seq", 5.0),
    ("seq", True),
    ("seq", 2**63),
    ("checkpoint_id", ""),
    ("checkpoint_id", "x" * 65),
    ("checkpoint_id", "gate\nA"),
    ("direction", "sideways"),
    ("direction", ["in"]),
    ("minute", "2026-06-01T12:00:00Z"),
    ("minute", "2026-13-01T12:00Z"),
    ("minute", "2026-06-01 12:00Z"),
    ("clock_trusted", 1),
    ("verdict", "LIMITED"),
    ("reason", "signature_invalid"),
    ("reason", {"code": "X"}),
    ("format", "DCC"),
    ("data_version", "v" * 257),
    ("sealed", "not base64!"),
    ("sealed", ""),
    ("sealed", "A" * 2049),
    ("sealed", 12),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_every_field_is_checked(uploader, field, value):
    entry = uploader.entry(**{field: value})
    answer = uploader.upload([entry, uploader.entry()])
    assert statuses(answer) == ["rejected", "stored"]
    assert answer.json()["results"][0]["error"] == "ENTRY_INVALID"


@pytest.mark.parametrize("change", ["unknown", "missing", "nested"])
def test_only_the_allow_listed_properties_may_appear_in_a_record(uploader, change):
    entry = uploader.entry()
    if change == "unknown":
        entry["name"] = "ZZCANARY"
    elif change == "missing":
        del entry["data_version"]
    else:
        entry["format"] = {"family": "dcc"}
    answer = uploader.upload([entry])
    assert answer.json()["results"] == [
        {"uuid": entry["uuid"], "status": "rejected", "error": "ENTRY_INVALID"}
    ]


def test_a_sealed_value_must_have_the_shape_of_a_sealed_block(uploader):
    not_a_block = b64url(b"\x01" + bytes(200))
    answer = uploader.upload([uploader.entry(sealed=not_a_block)])
    assert answer.json()["results"][0]["error"] == "SEALED_INVALID"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d["log"].update(max_seq=3),
        lambda d: d.pop("log"),
        lambda d: d.update(station_id="st-someone-else"),
        lambda d: d.update(entries=[]),
        lambda d: d["log"].update(next_seq=0),
        lambda d: d.update(log=[1]),
    ],
    ids=["extra", "log-extra", "no-log", "other-station", "empty", "seq-0", "log-list"],
)
def test_anything_wrong_at_batch_level_refuses_the_whole_batch(hub, uploader, mutate):
    document = json.loads(uploader.batch_body([uploader.entry()]))
    mutate(document)
    body = json.dumps(document).encode()
    answer = uploader.post_body(ENTRIES, body, key="k" * 64)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")
    assert held_uuids(hub) == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"station_id": "a", "station_id": "b", "log": {"next_seq": 1}, "entries": [{}]}',
        b'{"station_id": "a", "log": {"next_seq": NaN}, "entries": [{}]}',
        b"[]",
        '{"station_id": "\udcff"}'.encode("utf-8", "surrogatepass"),
    ],
)
def test_bodies_that_are_not_strict_json_are_refused(uploader, body):
    answer = uploader.post_body(ENTRIES, body, key="k" * 64)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")


def test_more_than_500_records_are_refused(uploader):
    answer = uploader.upload([uploader.entry() for _ in range(501)])
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")


def test_signature_missing_wrong_or_by_another_station_is_refused(hub, server, uploader):
    other = enroll_station(server.url, hub, "gate-2")
    try:
        body = uploader.batch_body([uploader.entry()])
        key = "k" * 64
        missing = uploader.post_body(ENTRIES, body, key=key, signature="")
        stranger = ec.generate_private_key(ec.SECP256R1())
        wrong = uploader.post_body(ENTRIES, body, key=key, signer=stranger)
        borrowed = uploader.post_body(ENTRIES, body, key=key, signer=other.device_key)
        garbled = uploader.post_body(ENTRIES, body, key=key, signature="AAAA")
        tampered = uploader.post_body(
            ENTRIES,
            body.replace(b'"in"', b'"out"'),
            key=key,
            signature=sign_body(uploader.device_key, body),
        )
        for answer in (missing, wrong, borrowed, garbled, tampered):
            assert (answer.status_code, answer.json()["code"]) == (401, "SIGNATURE_INVALID")
        assert held_uuids(hub) == []
        assert uploader.post_body(ENTRIES, body, key=key).status_code == 200
    finally:
        other.close()


def test_a_station_enrolled_without_a_device_key_cannot_upload(hub, server):
    keyless = enroll_station(server.url, hub, "old-gate", device_key=False)
    try:
        signer = ec.generate_private_key(ec.SECP256R1())
        body = keyless.batch_body([keyless.entry()])
        answer = keyless.post_body(ENTRIES, body, key="k" * 64, signer=signer)
        assert (answer.status_code, answer.json()["code"]) == (403, "DEVICE_KEY_MISSING")
    finally:
        keyless.close()


@pytest.mark.parametrize(
    "device_key",
    [
        "not a key",
        "-----BEGIN PUBLIC KEY-----\n" + "A" * 1100 + "\n-----END PUBLIC KEY-----\n",
        public_key_pem(ec.generate_private_key(ec.SECP384R1()).public_key()),
        17,
    ],
    ids=["text", "too-long", "p384", "number"],
)
def test_enrollment_refuses_a_device_key_that_is_not_p256(hub, server, anonymous, device_key):
    request = {"code": hub.create_enrollment_code(), "device_key": device_key}
    answer = anonymous.post(f"{server.url}/station/v1/enroll", json=request, timeout=10)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")
    assert hub.stations() == []


def test_enrollment_stores_the_device_key(hub, uploader):
    [enrolled] = hub.stations()
    assert enrolled.device_key == public_key_pem(uploader.device_key.public_key())


def test_an_idempotent_retry_replays_the_answer_and_another_body_is_422(hub, uploader):
    entries = [uploader.entry(), uploader.entry()]
    key = idempotency_key(entries)
    body = uploader.batch_body(entries)
    first = uploader.post_body(ENTRIES, body, key=key)
    again = uploader.post_body(ENTRIES, body, key=key)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert statuses(again) == ["stored", "stored"]
    other_body = uploader.batch_body(entries, next_seq=uploader.next_seq + 5)
    reused = uploader.post_body(ENTRIES, other_body, key=key)
    assert (reused.status_code, reused.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert statuses(uploader.upload(entries, key="another-key-0123456789")) == ["duplicate"] * 2
    assert len(held_uuids(hub)) == 2


@pytest.mark.parametrize("key", [None, "short", "x" * 129, "has space in it 0123"])
def test_the_idempotency_key_is_required_and_checked(uploader, key):
    body = uploader.batch_body([uploader.entry()])
    answer = uploader.post_body(ENTRIES, body, key=key)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")


def test_uuids_are_deduplicated_within_a_batch_and_across_stations(hub, server, uploader):
    entry = uploader.entry()
    assert statuses(uploader.upload([entry, dict(entry)])) == ["stored", "duplicate"]
    other = enroll_station(server.url, hub, "gate-2")
    try:
        stolen = other.entry(uuid=entry["uuid"])
        answer = other.upload([stolen, other.entry()])
        assert answer.json()["results"][0] == {
            "uuid": entry["uuid"],
            "status": "rejected",
            "error": "UUID_CONFLICT",
        }
        assert answer.json()["results"][1]["status"] == "stored"
        assert answer.json()["seq_floor"] == 2
    finally:
        other.close()


def test_a_rolled_back_log_raises_alerts_and_loses_nothing(hub, uploader):
    first = [uploader.entry() for _ in range(10)]
    assert uploader.upload(first).json()["seq_floor"] == 10
    assert hub.log_alerts() == []
    # The station lost seqs 6..10 with its WAL and numbers new entries from 6 again.
    uploader.next_seq = 6
    again = [uploader.entry(), uploader.entry()]
    answer = uploader.upload(again)
    assert statuses(answer) == ["stored", "stored"]
    assert answer.json()["seq_floor"] == 10
    alerts = [(a.kind, a.first_seq, a.last_seq, a.message) for a in hub.log_alerts()]
    station = uploader.station_id
    assert alerts == [
        ("rollback", 8, 10, f"local log rollback at device {station}, seq 8..10"),
        ("seq_reuse", 6, 7, f"seq 6..7 reused with a new UUID at device {station}"),
    ]
    assert len(held_uuids(hub)) == 12
    later = uploader.upload([uploader.entry(seq=11)], next_seq=12)
    assert later.json()["seq_floor"] == 11 and len(hub.log_alerts()) == 2


def test_the_entries_route_reads_up_to_1_mib_and_others_stay_at_64_kib(hub, uploader):
    key = SealingKey(generate_authority_key().public_key())
    person = ("N" * 300, "1980-05-01", "C" * 300)
    entries = [uploader.entry(sealing_key=key, person=person) for _ in range(200)]
    body = uploader.batch_body(entries)
    assert 64 * 1024 < len(body) < 1024 * 1024
    assert (
        statuses(uploader.post_body(ENTRIES, body, key=idempotency_key(entries)))
        == ["stored"] * 200
    )
    token = uploader.client.token
    status, problem = declared_length_answer(hub_url(uploader), ENTRIES, token, 1024 * 1024 + 1)
    assert (status, problem["code"]) == (413, "BODY_TOO_LARGE")
    status, problem = declared_length_answer(hub_url(uploader), PURGE_REPORTS, token, 65 * 1024)
    assert (status, problem["code"]) == (413, "BODY_TOO_LARGE")


def hub_url(uploader) -> str:
    return uploader.client.url


def test_concurrent_retries_of_one_batch_store_it_once(hub, uploader):
    entries = [uploader.entry() for _ in range(50)]
    body = uploader.batch_body(entries)
    key = idempotency_key(entries)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: uploader.post_body(ENTRIES, body, key=key), range(6)))
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert len(held_uuids(hub)) == 50


def test_a_hub_file_from_before_device_keys_gains_the_column(tmp_path):
    path = tmp_path / "old-hub.sqlite"
    with Hub(path, FAST) as hub:
        code = hub.create_enrollment_code("legacy")
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE stations DROP COLUMN device_key")
    conn.close()
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    with Hub(path, FAST) as hub:
        enrolled = hub.enroll(code, device_key=public_key_pem(key))
        [station] = hub.stations()
    assert (station.id, station.device_key) == (enrolled.station_id, public_key_pem(key))
