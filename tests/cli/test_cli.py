"""The `station` command line, run as a real subprocess and in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from station.cli.main import main
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.qr_image import qr_png
from station.reasons import REASON_MESSAGES, REASON_STATUS, Reason

STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture()
def valid_pass(es256_signer, now):
    return issue_dcc(
        es256_signer,
        vaccination_payload(),
        issued_at=now - timedelta(days=1),
        expires=now + timedelta(days=100),
    )


def test_every_reason_has_a_status_and_a_message():
    assert set(REASON_STATUS) == set(Reason) == set(REASON_MESSAGES)


def test_jsonl_batch_answers_every_line_in_order(tmp_path: Path, es256_signer, now, valid_pass):
    image = tmp_path / "pass.png"
    image.write_bytes(qr_png(valid_pass))
    trust = [es256_signer.pem]
    lines = [
        {"id": "a", "text": valid_pass, "at": now.isoformat(), "trust": trust},
        "this is not json",
        {"id": "c", "image": str(image), "at": now.isoformat(), "trust": trust},
        {"id": "d", "text": valid_pass, "at": now.isoformat(), "trust": []},
        {"id": "e", "text": 42},
        {"id": "f", "image": str(tmp_path / "missing.png")},
    ]
    stdin = "".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines)
    proc = subprocess.run(
        [*STATION, "verify", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", None, "c", "d", "e", "f"]
    assert answers[0]["valid"] is True and answers[0]["payload"]["nam"]["fn"] == "Nguyễn"
    assert answers[0]["holder"]["date_of_birth"] == "1990-05-17"
    assert answers[1]["checks"]["request"]["code"] == "REQUEST_MALFORMED"
    assert answers[2]["valid"] is True and answers[2]["decoded_text"] == valid_pass
    assert answers[3]["checks"]["signature"]["code"] == "KID_UNKNOWN"
    assert answers[4]["status"] == "INVALID" and answers[4]["checks"]["request"]["ok"] is False
    assert answers[5]["checks"]["image"]["code"] == "IMAGE_UNREADABLE"
    assert "Traceback" not in proc.stderr


def test_trust_import_then_verify_explains_in_words(
    tmp_path: Path, es256_signer, now, valid_pass, capsys
):
    pem = tmp_path / "dsc.pem"
    pem.write_text(es256_signer.pem)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "trust", "import", str(pem)]) == 0
    assert main([*data, "trust", "list"]) == 0
    listing = capsys.readouterr().out
    assert "VN" in listing and "EC-secp256r1" in listing
    assert main([*data, "verify", "--at", now.isoformat(), valid_pass]) == 0
    assert capsys.readouterr().out.startswith("VALID")
    tampered = valid_pass[:-8] + ("AAAAAAAA" if not valid_pass.endswith("AAAAAAAA") else "BBBBBBBB")
    late = (now + timedelta(days=400)).isoformat()
    assert main([*data, "verify", "--at", late, valid_pass]) == 1
    assert "The pass has expired." in capsys.readouterr().out
    assert main([*data, "verify", tampered]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_single_verify_json_and_stdin(tmp_path: Path, es256_signer, now, valid_pass):
    cert = tmp_path / "dsc.pem"
    cert.write_text(es256_signer.pem)
    proc = subprocess.run(
        [*STATION, "verify", "--json", "--at", now.isoformat(), "--trust-cert", str(cert), "-"],
        input=valid_pass + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert body["status"] == "VALID" and body["format"] == "dcc"
    assert list(body["checks"]) == [
        "prefix",
        "base45",
        "decompress",
        "cose",
        "cbor",
        "signature",
        "expiry",
        "key_usage",
        "schema",
    ]


def test_not_a_health_credential_and_usage_errors(tmp_path: Path, es256_signer, capsys):
    cert = tmp_path / "dsc.pem"
    cert.write_text(es256_signer.pem)
    assert main(["verify", "--trust-cert", str(cert), "https://example.com/menu"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "NOT_A_HEALTH_CREDENTIAL" in out
    assert main(["verify", "--trust-cert", "/nonexistent.pem", "x"]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["verify", "--trust-cert", __file__, "x"]) == 2
    assert "unrecognised trust file" in capsys.readouterr().err
