"""The operator's path end to end: `station hub` admin, then enroll, sync, status, verify."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import station
from station.cli.main import main
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from sync.hub import Hub, HubConfig, HubServer

NOW = datetime.now(UTC)


@pytest.fixture
def running_hub(tmp_path):
    db = tmp_path / "hub.sqlite"
    hub = Hub(db, HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    server = HubServer(hub).start()
    yield db, server.url
    server.stop()
    hub.close()


def test_enroll_sync_status_and_verify_from_the_command_line(running_hub, tmp_path, capsys):
    db, url = running_hub
    signer = make_signer(algorithm="ES256", not_before=NOW - timedelta(days=30))
    dsc = tmp_path / "dsc.der"
    dsc.write_bytes(signer.der)
    station_dir = str(tmp_path / "station")
    assert main(["hub", "add-dsc", "--db", str(db), str(dsc)]) == 0
    assert main(["hub", "enroll-code", "--db", str(db), "--url", url, "--name", "gate-1"]) == 0
    printed = capsys.readouterr().out
    code = re.search(r"--code (\S+)", printed).group(1)
    pin = re.search(r"--pin (\S+)", printed).group(1)

    assert main(["--data-dir", station_dir, "status"]) == 0  # not enrolled: nothing expected
    assert "not enrolled" in capsys.readouterr().out
    assert (
        main(["--data-dir", station_dir, "enroll", "--hub", url, "--code", code, "--pin", pin]) == 0
    )
    enrollment = tmp_path / "station" / "enrollment.json"
    assert stat.S_IMODE(enrollment.stat().st_mode) == 0o600
    assert (
        main(["--data-dir", station_dir, "enroll", "--hub", url, "--code", code, "--pin", pin]) == 1
    )
    assert "ENROLLMENT_REFUSED" in capsys.readouterr().err  # a code is single use

    assert main(["--data-dir", station_dir, "status", "--json"]) == 1  # enrolled, never synced
    assert json.loads(capsys.readouterr().out)["state"] == "DEGRADED"
    assert main(["--data-dir", station_dir, "sync"]) == 0
    assert "trust-list: version 1, +1" in capsys.readouterr().out
    assert main(["--data-dir", station_dir, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["state"] == "OK" and status["versions"]["trust-list"] == 1

    text = issue_dcc(
        signer,
        vaccination_payload(),
        issued_at=NOW - timedelta(days=3),
        expires=NOW + timedelta(days=30),
    )
    assert main(["--data-dir", station_dir, "verify", "--json", text]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["checks"]["revocation"]["ok"] is True
    assert verdict["details"]["data"]["state"] == "OK"

    assert main(["hub", "revoke-pass", "--db", str(db), text]) == 0
    assert main(["--data-dir", station_dir, "sync", "--source", "revocations"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", station_dir, "verify", "--json", text]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["checks"]["revocation"]["code"] == "REVOKED"


def test_sync_without_enrollment_says_what_to_do(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "sync"]) == 2
    assert "station enroll" in capsys.readouterr().err


def test_a_wrong_pin_refuses_enrollment_and_saves_nothing(running_hub, tmp_path, capsys):
    db, url = running_hub
    assert main(["hub", "enroll-code", "--db", str(db), "--url", url]) == 0
    code = re.search(r"--code (\S+)", capsys.readouterr().out).group(1)
    station_dir = tmp_path / "station"
    args = [
        "--data-dir",
        str(station_dir),
        "enroll",
        "--hub",
        url,
        "--code",
        code,
        "--pin",
        "0" * 64,
    ]
    assert main(args) == 1
    assert "SIGNATURE_REJECTED" in capsys.readouterr().err
    assert not (station_dir / "enrollment.json").exists()


def test_rules_synced_from_the_hub_act_like_the_shipped_profile(running_hub, tmp_path, capsys):
    """The checkpoint profile's rules, published at the hub, give the same rules verdict."""
    db, url = running_hub
    shipped = json.loads(
        (Path(station.__file__).parent / "data" / "profiles" / "checkpoint.json").read_text()
    )
    for number, rule in enumerate(shipped["rules"]):
        path = tmp_path / f"rule-{number}.json"
        path.write_text(json.dumps(rule, ensure_ascii=False), encoding="utf-8")
        assert main(["hub", "add-rule", "--db", str(db), str(path)]) == 0
    signer = make_signer(algorithm="ES256", not_before=NOW - timedelta(days=30))
    dsc = tmp_path / "dsc.der"
    dsc.write_bytes(signer.der)
    assert main(["hub", "add-dsc", "--db", str(db), str(dsc)]) == 0
    assert main(["hub", "enroll-code", "--db", str(db), "--url", url]) == 0
    printed = capsys.readouterr().out
    code = re.search(r"--code (\S+)", printed).group(1)
    pin = re.search(r"--pin (\S+)", printed).group(1)
    station_dir = str(tmp_path / "station")
    assert main(["--data-dir", station_dir, "verify", "--profile", "synced:VN", "HC1:x"]) == 2
    assert "station sync" in capsys.readouterr().err  # nothing synced yet
    assert (
        main(["--data-dir", station_dir, "enroll", "--hub", url, "--code", code, "--pin", pin]) == 0
    )
    assert main(["--data-dir", station_dir, "sync"]) == 0
    capsys.readouterr()
    text = issue_dcc(
        signer,
        vaccination_payload(),
        issued_at=NOW - timedelta(days=3),
        expires=NOW + timedelta(days=30),
    )
    verdicts = {}
    for profile in ("checkpoint", "synced:VN"):
        main(["--data-dir", station_dir, "verify", "--json", "--profile", profile, text])
        verdicts[profile] = json.loads(capsys.readouterr().out)
    synced, builtin = verdicts["synced:VN"], verdicts["checkpoint"]
    assert synced["checks"]["rules"] == builtin["checks"]["rules"]
    assert synced["status"] == builtin["status"]
    applied = [{r["identifier"] for r in v["details"]["rules"]["rules"]} for v in (synced, builtin)]
    assert applied[0] == applied[1] and "VR-VN-0001" in applied[0]
