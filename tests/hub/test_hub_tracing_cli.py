"""The authority's sealing key (bundle and commands) and the tracing commands of `station hub`."""

from __future__ import annotations

import argparse
import base64
import stat
from pathlib import Path

import pytest
from hub_entries_helpers import b64url, enroll_station, statuses
from hub_helpers import FAST

from station.entrylog import sealing
from station.entrylog.sealing import SealingKey, generate_authority_key, save_private_key
from sync.hub import Hub
from sync.hub.cli import add_parser

pytest_plugins = ["hub_fixtures"]


@pytest.fixture()
def hub_file(tmp_path: Path) -> Path:
    path = tmp_path / "hub.sqlite"
    with Hub(path, FAST):
        pass
    return path


@pytest.fixture()
def run(tmp_path: Path, capsys):
    """`station --data-dir TMP hub ...`: (exit code, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("--data-dir")
    add_parser(parser.add_subparsers(dest="command", required=True))

    def invoke(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(["--data-dir", str(tmp_path), "hub", *argv])
        code = args.handler(args)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_the_sealing_key_bundle_is_signed_by_the_pinned_hub_key(hub, client):
    missing = client.get("/station/v1/bundles/sealing-key")
    assert (missing.status_code, missing.json()["code"]) == (404, "NO_SEALING_KEY")
    first = SealingKey(generate_authority_key().public_key())
    hub.set_sealing_key(first)
    bundle = client.bundle("sealing-key")
    assert bundle.version == 1
    assert bundle.payload["key"] == b64url(first.raw())
    assert bundle.payload["key_id"] == first.id.hex()
    assert hub.set_sealing_key(first).version == 1  # the same key publishes nothing new
    second = SealingKey(generate_authority_key().public_key())
    assert hub.set_sealing_key(second).version == 2
    assert client.bundle("sealing-key").payload["key_id"] == second.id.hex()


def test_authority_init_writes_a_private_key_once_and_publishes_it(run, hub_file, tmp_path):
    out_file = tmp_path / "authority" / "private.pem"
    code, out, _ = run("authority-init", "--out", str(out_file))
    assert code == 0
    private_key = sealing.load_private_key(out_file)
    key_id = sealing.key_id(private_key.public_key()).hex()
    assert key_id in out and "version 1" in out
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    with Hub(hub_file, FAST) as hub:
        assert hub.sealing_key_bundle().payload["key_id"] == key_id
    before = out_file.read_bytes()
    code, _, err = run("authority-init", "--out", str(out_file))
    assert code == 2 and "refusing to overwrite" in err
    assert out_file.read_bytes() == before


def test_authority_set_key_takes_a_raw_public_key(run, hub_file):
    public = SealingKey(generate_authority_key().public_key())
    code, out, _ = run("authority-set-key", f"--public-key-raw={b64url(public.raw())}")
    assert code == 0 and public.id.hex() in out
    for bad in ("not base64 at all!", b64url(b"short"), base64.b64encode(bytes(33)).decode()):
        code, _, err = run("authority-set-key", f"--public-key-raw={bad}")
        assert code == 2 and err.startswith("station hub:")


def test_a_raw_key_that_begins_with_a_dash_is_taken(run, hub_file):
    """One base64url key in 64 begins with '-': the documented `=` form passes it whole."""
    public = next(
        key
        for key in (SealingKey(generate_authority_key().public_key()) for _ in range(5000))
        if b64url(key.raw()).startswith("-")
    )
    code, out, _ = run("authority-set-key", f"--public-key-raw={b64url(public.raw())}")
    assert code == 0 and public.id.hex() in out


def test_trace_audit_alerts_log_health_and_purge_commands(run, tmp_path, hub, server, uploader):
    authority_file = tmp_path / "authority.pem"
    private_key = generate_authority_key()
    save_private_key(private_key, authority_file)
    hub.set_sealing_key(SealingKey(private_key.public_key()))
    key = SealingKey(private_key.public_key())
    case = uploader.entry(sealing_key=key, person=("ZZCASE An", "2000-01-01", "ID-1"))
    contact = uploader.entry(sealing_key=key, person=("ZZCONTACT Binh", "2001-02-02", "ID-2"))
    assert statuses(uploader.upload([case, contact])) == ["stored", "stored"]
    uploader.next_seq = 2
    assert statuses(uploader.upload([uploader.entry()])) == ["stored"]  # reuses seq 2
    db = ["--db", str(hub.path)]
    trace = ["--key", str(authority_file), "--case", "C-7", "--operator", "tracer-2"]
    code, out, _ = run("trace", *db, *trace, "--entry", case["uuid"])
    assert code == 0 and "ZZCONTACT Binh | 2001-02-02 | ID-2" in out
    assert "ZZCASE" not in out and "1 identities opened" in out
    code, out, _ = run("trace", *db, *trace, "--name", "zzcase an", "--dob", "2000-01-01")
    assert code == 0 and "ZZCASE An" in out
    wrong_key = tmp_path / "other.pem"
    save_private_key(generate_authority_key(), wrong_key)
    stranger = ["--key", str(wrong_key), "--case", "C-7", "--operator", "x"]
    code, _, err = run("trace", *db, *stranger, "--entry", case["uuid"])
    assert code == 2 and "another authority key" in err and "ZZ" not in err
    code, out, _ = run("audit", *db, "--case", "C-7")
    assert code == 0 and out.count("tracer-2") == 4  # 1 contact, then 2 search + 1 contact
    assert "ZZ" not in out
    code, out, _ = run("alerts", *db)
    assert code == 0 and "seq_reuse" in out and "seq 2 reused" in out
    code, out, _ = run("log-health", *db)
    assert code == 0 and uploader.station_id in out
    code, out, _ = run("purge-entries", *db, "--days", "1")
    assert code == 0 and "3 entries" in out and "2 with a sealed identity" in out


def test_trace_says_when_the_key_file_is_not_an_authority_key(run, hub_file, tmp_path):
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("hello")
    code, _, err = run(
        "trace", "--key", str(not_a_key), "--case", "C", "--operator", "o", "--entry", "x"
    )
    assert code == 2 and "not a readable private key" in err


def test_two_stations_show_up_in_log_health(hub, server, uploader):
    other = enroll_station(server.url, hub, "gate-2")
    try:
        assert statuses(other.upload([other.entry(seq=3)], next_seq=4)) == ["stored"]
        health = {row.station_id: row for row in hub.log_health()}
        assert health[other.station_id].missing == ((1, 2),)
        assert health[uploader.station_id].max_seq == 0
    finally:
        other.close()
