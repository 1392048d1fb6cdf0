"""`station verify` on WHO DDCC:VS passes, from text and from QR images read back from pixels."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from ddcc_helpers import edit_claims

from station.adapters.image_file import load_grayscale
from station.cli.main import main
from station.issuer.qr_image import qr_png
from station.scan import read_codes

pytest_plugins = ["ddcc_fixtures"]
STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture()
def data_dir(tmp_path: Path, es256_signer) -> list[str]:
    """A station data directory trusting the session's DSC, as an operator would set it up."""
    pem = tmp_path / "dsc.pem"
    pem.write_text(es256_signer.pem)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "trust", "import", str(pem)]) == 0
    return data


def test_text_verdict_names_the_format_and_the_holder(data_dir, issue, now, capsys):
    capsys.readouterr()
    assert main([*data_dir, "verify", "--at", now.isoformat(), issue(subclaim=2)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID")
    assert "WHO DDCC:VS vaccination certificate (HC1)" in out
    assert "Nguyễn Văn An  (born 1990-05-17)" in out


def test_expired_and_tampered_texts_are_invalid_with_reasons(data_dir, issue, now, capsys):
    late = (now + timedelta(days=200)).isoformat()
    assert main([*data_dir, "verify", "--at", late, issue()]) == 1
    assert "The pass has expired." in capsys.readouterr().out

    def rename(claims):
        claims[-260][1]["name"] = "Someone Else"

    assert main([*data_dir, "verify", "--at", now.isoformat(), edit_claims(issue(), rename)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "SIGNATURE_INVALID" in out


def test_image_is_read_from_pixels_and_verified(tmp_path, data_dir, issue, now):
    text = issue()
    image = tmp_path / "ddcc.png"
    image.write_bytes(qr_png(text))
    assert read_codes(load_grayscale(image)) == [text]
    proc = subprocess.run(
        [*STATION, *data_dir, "verify", "--image", str(image), "--json", "--at", now.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert (body["status"], body["format"]) == ("VALID", "ddcc")
    assert list(body["checks"])[:2] == ["image", "prefix"]
    assert body["holder"]["date_of_birth"] == "1990-05-17"


def test_image_of_an_unknown_issuers_pass(tmp_path, issue, now, ps256_signer):
    image = tmp_path / "ddcc.png"
    image.write_bytes(qr_png(issue()))
    pem = tmp_path / "other.pem"
    pem.write_text(ps256_signer.pem)
    proc = subprocess.run(
        [*STATION, "verify", "--image", str(image), "--json", "--trust-cert", str(pem)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    body = json.loads(proc.stdout)
    assert (body["format"], body["checks"]["signature"]["code"]) == ("ddcc", "KID_UNKNOWN")
