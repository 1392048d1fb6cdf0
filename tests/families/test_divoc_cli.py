"""DIVOC through the `station` command line and the camera path: import the issuer's JWKS, then
`station verify` from text (in-process, from stdin, and as JSON lines in a subprocess, since a
ZIP holds NUL bytes no command-line argument can carry) and from a byte-mode QR image decoded
from its pixels."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from divoc_helpers import signed, text_of

from station.cli.main import main
from station.issuer.divoc import DivocIssuer, divoc_qr_png
from station.scan import read_codes
from station.verify import divoc

pytest_plugins = ["divoc_fixtures"]

STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture()
def station(tmp_path: Path, divoc_issuer: DivocIssuer, capsys) -> list[str]:
    """`--data-dir` arguments of a station that trusts the test issuer's key."""
    jwks = tmp_path / "divoc-jwks.json"
    jwks.write_text(json.dumps(divoc_issuer.jwks()))
    data = ["--data-dir", str(tmp_path / "data")]
    args = ["trust", "import-keys", "--family", "divoc", "--issuer", divoc_issuer.issuer]
    assert main([*data, *args, str(jwks)]) == 0
    assert "1 divoc key(s) trusted" in capsys.readouterr().out
    return data


def gray(png: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)


def archive_of(text: str) -> bytes:
    return text.encode("latin-1")


def test_the_qr_image_reads_back_byte_for_byte(divoc_issuer, divoc_rsa_issuer):
    for issuer in (divoc_issuer, divoc_rsa_issuer):
        text = text_of(signed(issuer))
        assert read_codes(gray(divoc_qr_png(archive_of(text)))) == [text]


def test_verify_text_explains_in_words(station, divoc_issuer, now, capsys):
    text = text_of(signed(divoc_issuer))
    assert main([*station, "verify", "--at", now.isoformat(), text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID") and "DIVOC vaccination certificate" in out
    assert "Nguyen Van An  (born 1990-05-17)" in out
    expired = text_of(signed(divoc_issuer, expires=now - timedelta(days=1)))
    assert main([*station, "verify", "--at", now.isoformat(), expired]) == 1
    assert "The pass has expired." in capsys.readouterr().out


def test_verify_from_stdin(station, divoc_issuer, now, capsys, monkeypatch):
    credential = signed(divoc_issuer)
    credential["credentialSubject"]["name"] = "Someone Else"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text_of(credential)))
    assert main([*station, "verify", "--at", now.isoformat(), "-"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "SIGNATURE_INVALID" in out


def test_jsonl_batch_in_a_subprocess(station, divoc_issuer, now):
    good = text_of(signed(divoc_issuer))
    lines = [
        {"id": "good", "text": good, "at": now.isoformat()},
        {"id": "late", "text": good, "at": (now + timedelta(days=4000)).isoformat()},
        {"id": "zip", "text": good[:-40], "at": now.isoformat()},
    ]
    proc = subprocess.run(
        [*STATION, *station, "verify", "--jsonl"],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    # "\n" only: the archive's Latin-1 text may hold U+0085, which splitlines() also splits on
    answers = {a["id"]: a for a in map(json.loads, proc.stdout.rstrip("\n").split("\n"))}
    assert answers["good"]["status"] == "VALID" and answers["good"]["format"] == "divoc"
    assert answers["good"]["holder"]["name"] == "Nguyen Van An"
    assert answers["late"]["status"] == "VALID"  # no expirationDate: DIVOC passes do not expire
    assert answers["zip"]["checks"]["zip"]["code"] == "DIVOC_ZIP_INVALID"
    assert "Traceback" not in proc.stderr


def verify_image(station: list[str], image: Path, now: datetime) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [*STATION, *station, "verify", "--json", "--at", now.isoformat(), "--image", str(image)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_an_image_signed_by_a_key_the_station_lacks(tmp_path: Path, station, divoc_rsa_issuer, now):
    text = text_of(signed(divoc_rsa_issuer))  # the station holds the issuer's Ed25519 key only
    image = tmp_path / "pass.png"
    image.write_bytes(divoc_qr_png(archive_of(text)))
    code, body = verify_image(station, image, now)
    assert code == 1 and body["format"] == "divoc" and body["status"] == "INVALID"
    assert body["checks"]["signature"]["code"] == "KID_UNKNOWN"
    assert list(body["checks"]) == ["image", *divoc.CHECK_NAMES, "revocation"]
    assert body["decoded_text"] == text


def test_a_valid_image_in_a_subprocess(tmp_path: Path, station, divoc_issuer, now):
    image = tmp_path / "pass.png"
    image.write_bytes(divoc_qr_png(archive_of(text_of(signed(divoc_issuer)))))
    code, body = verify_image(station, image, now)
    assert code == 0, body
    assert body["status"] == "VALID" and body["checks"]["image"]["ok"] is True
    assert body["holder"]["date_of_birth"] == "1990-05-17"
    assert body["details"]["vaccinations"][0]["total_doses"] == 2
    assert "proof" not in body["payload"]


def test_a_station_without_divoc_keys_asks_for_a_manual_check(
    tmp_path: Path, divoc_issuer, es256_signer, now, capsys
):
    cert = tmp_path / "dsc.pem"
    cert.write_text(es256_signer.pem)
    text = text_of(signed(divoc_issuer))
    assert main(["verify", "--trust-cert", str(cert), "--at", now.isoformat(), text]) == 3
    out = capsys.readouterr().out
    assert out.startswith("CHECK MANUALLY") and "no keys to check DIVOC" in out
