"""`station hub ...` sub-commands, through `add_parser` on a real argparse parser."""

from __future__ import annotations

import argparse
import base64
import io
import json
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from hub_helpers import FAST

from station.issuer.dcc import issue_dcc, vaccination_payload
from station.trust.certificate import compute_kid
from sync.hub import Hub
from sync.hub.cli import add_parser

pytest_plugins = ["hub_fixtures"]

RULE = b'{"Identifier": "GR-VN-0001", "Country": "VN", "Version": "1.0.0", "Logic": true}'
VALUESET = b'{"valueSetId": "country-2-codes", "valueSetValues": {}}'
SERVE = """
import argparse, sys
from sync.hub.cli import add_parser
parser = argparse.ArgumentParser()
parser.add_argument("--data-dir")
add_parser(parser.add_subparsers(dest="command", required=True))
args = parser.parse_args(sys.argv[1:])
sys.exit(args.handler(args))
"""


@pytest.fixture()
def station(tmp_path: Path, capsys):
    """Run `station --data-dir TMP hub ...`: returns (exit code, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("--data-dir")
    add_parser(parser.add_subparsers(dest="command", required=True))

    def run(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(["--data-dir", str(tmp_path), "hub", *argv])
        code = args.handler(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def hub_file(tmp_path: Path) -> Path:
    """The hub the CLI opens by default, created with the cheap test KDF."""
    path = tmp_path / "hub.sqlite"
    with Hub(path, FAST) as hub:
        hub.status_kdf()
    return path


def test_enroll_code_prints_the_command_with_the_pin(station, hub_file):
    code, out, _err = station("enroll-code", "--name", "gate-1", "--url", "https://hub.local")
    assert code == 0
    with Hub(hub_file) as hub:
        pin = hub.key_fingerprint()
        match = re.search(r"--code (\S+) --pin (\S+)", out)
        assert match and match.group(2) == pin
        assert "station enroll --hub https://hub.local" in out
        assert hub.enroll(match.group(1)).station_id.startswith("st-")


def test_stations_revoke_station_and_rotate_key(station, hub_file):
    assert "No stations" in station("stations")[1]
    with Hub(hub_file) as hub:
        enrolled = hub.enroll(hub.create_enrollment_code("door"))
        old_pin = hub.key_fingerprint()
    code, out, _err = station("stations")
    assert code == 0 and enrolled.station_id in out and "active" in out
    assert station("revoke-station", enrolled.station_id)[0] == 0
    assert "revoked" in station("stations")[1]
    assert station("revoke-station", enrolled.station_id)[0] == 1
    code, out, _err = station("rotate-key")
    assert code == 0 and old_pin in out and "next sync" in out


def test_signer_commands(station, hub_file, signers, tmp_path):
    (tmp_path / "a.pem").write_text(signers[0].pem)
    (tmp_path / "b.der").write_bytes(signers[1].der)
    code, out, _err = station("add-dsc", str(tmp_path / "a.pem"), str(tmp_path / "b.der"))
    assert code == 0 and "2 added" in out
    kid = base64.b64encode(compute_kid(signers[0].der)).decode()
    listed = station("dscs")[1]
    assert kid in listed and "current" in listed
    assert station("remove-dsc", kid)[0] == 0
    assert station("remove-dsc", kid)[0] == 1
    trust_list = [
        {"kid": "ignored", "country": s_c, "rawData": base64.b64encode(s.der).decode()}
        for s, s_c in ((signers[2], "FR"), (signers[3], "IT"))
    ]
    (tmp_path / "eu.json").write_text(json.dumps(trust_list))
    code, out, _err = station("load-trust-list", str(tmp_path / "eu.json"))
    assert code == 0 and "2 added, 0 removed" in out
    with Hub(hub_file) as hub:
        assert hub.version("trust-list") == 3
        assert len([row for row in hub.dscs() if not row.deleted]) == 3
    code, _out, err = station("add-dsc", str(tmp_path / "missing.pem"))
    assert code == 2 and "station hub:" in err


def test_revocation_commands(station, hub_file, es256_signer, monkeypatch):
    now = datetime.now(UTC)
    text = issue_dcc(
        es256_signer, vaccination_payload(), issued_at=now, expires=now + timedelta(days=9)
    )
    assert station("revoke-pass", text, "--expires", "2027-01-01")[0] == 0
    assert station("revoke-pass", text)[0] == 1  # nothing new
    monkeypatch.setattr(sys, "stdin", io.StringIO(text + "\n"))
    code, out, _err = station("unrevoke", "--pass", "-")
    assert code == 0 and "3 revocation(s) lifted" in out
    digest = "ab" * 16
    selector = ["--kid", "UNKNOWN_KID", "--type", "SIGNATURE", "--hash", digest]
    assert station("revoke-hash", *selector, "--expires", "2027-01-01T00:00:00Z")[0] == 0
    assert station("unrevoke", *selector)[0] == 0
    with Hub(hub_file) as hub:
        assert hub.version("revocations") == 4
    assert (
        station("revoke-hash", "--kid", "AAAAAAAAAAA=", "--type", "UCI", "--hash", "abcd")[0] == 2
    )
    assert station("unrevoke")[0] == 2
    assert station("revoke-pass", "HC1:garbage")[0] == 2


def test_status_commands_never_echo_the_id_number(station, hub_file):
    code, out, _err = station(
        "publish-status", "001234567890", "--flags", "3", "--valid-until", "2027-01-01"
    )
    assert code == 0 and "published" in out and "001234567890" not in out
    assert station("remove-status", "001234567890")[0] == 0
    assert station("remove-status", "001234567890")[0] == 1
    assert station("publish-status", "12", "--flags", "1")[0] == 2
    code, out, _err = station("rotate-status-salt")
    assert code == 0 and "re-publish" in out
    with Hub(hub_file) as hub:
        assert hub.version("status-list") == 3


def test_rule_and_value_set_commands(station, hub_file, tmp_path):
    (tmp_path / "rule.json").write_bytes(RULE)
    (tmp_path / "vs.json").write_bytes(VALUESET)
    code, out, _err = station("add-rule", str(tmp_path / "rule.json"))
    assert code == 0 and "GR-VN-0001" in out
    assert station("add-valueset", str(tmp_path / "vs.json"))[0] == 0
    assert station("remove-rule", "GR-VN-0001")[0] == 0
    assert station("remove-rule", "GR-VN-0001")[0] == 1
    (tmp_path / "bad.json").write_bytes(b"[]")
    code, _out, err = station("add-rule", str(tmp_path / "bad.json"))
    assert code == 2 and "not a JSON object" in err
    with Hub(hub_file) as hub:
        assert (hub.version("rules"), hub.version("valuesets")) == (2, 1)


def test_serve_runs_until_interrupted(tmp_path):
    command = [
        sys.executable,
        "-c",
        SERVE,
        "--data-dir",
        str(tmp_path),
        "hub",
        "serve",
        "--port",
        "0",
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        pin = proc.stdout.readline().split()[-1]
        with requests.Session() as session:
            session.trust_env = False
            assert session.get(url + "/healthz", timeout=10).json()["ok"] is True
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "hub stopped" in out
    with Hub(tmp_path / "hub.sqlite") as hub:
        assert hub.key_fingerprint() == pin
