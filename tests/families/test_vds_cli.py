"""`station verify` on VDS-NC seals: CSCAs imported as issuer keys, seals given as text and
as QR images read back from pixels."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from station.adapters.image_file import load_grayscale
from station.cli.main import main
from station.issuer.qr_image import qr_png
from station.issuer.vds import issue_vds, seal_document, to_text, vaccination_message
from station.scan import read_codes

pytest_plugins = ["vds_fixtures"]
STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture()
def data_dir(tmp_path: Path, vds_authority, capsys) -> list[str]:
    """A data directory trusting Viet Nam's demo CSCA, imported the way an operator does."""
    keys = tmp_path / "vnm-csca.json"
    keys.write_text(json.dumps({"keys": [vds_authority.issuer_key()]}))
    data = ["--data-dir", str(tmp_path / "data")]
    assert (
        main([*data, "trust", "import-keys", "--family", "vds", "--issuer", "VNM", str(keys)]) == 0
    )
    assert main([*data, "trust", "keys"]) == 0
    assert "vds    VNM" in capsys.readouterr().out
    return data


def _verify_image(data: list[str], image: Path, now) -> tuple[int, dict]:
    proc = subprocess.run(
        [*STATION, *data, "verify", "--image", str(image), "--json", "--at", now.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_text_verdict(data_dir, vds_signer, now, capsys):
    assert (
        main(
            [
                *data_dir,
                "verify",
                "--at",
                now.isoformat(),
                issue_vds(vds_signer, vaccination_message()),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("VALID")
    assert "ICAO Visible Digital Seal (VDS-NC)" in out
    assert "NGUYEN  VAN AN  (born 1990-05-17)" in out


def test_image_is_read_from_pixels_and_verified(tmp_path, data_dir, vds_signer, now):
    text = issue_vds(vds_signer, vaccination_message())
    image = tmp_path / "seal.png"
    image.write_bytes(qr_png(text))
    assert read_codes(load_grayscale(image)) == [text]
    code, body = _verify_image(data_dir, image, now)
    assert (code, body["status"], body["format"]) == (0, "VALID", "vds")
    assert list(body["checks"])[:3] == ["image", "parse", "structure"]
    assert body["holder"]["family_name"] == "NGUYEN"


def test_tampered_image_is_invalid(tmp_path, data_dir, vds_signer, now):
    document = seal_document(vds_signer, vaccination_message())
    document["data"]["msg"]["pid"]["n"] = "TRAN  VAN AN"
    image = tmp_path / "tampered.png"
    image.write_bytes(qr_png(to_text(document)))
    code, body = _verify_image(data_dir, image, now)
    assert (code, body["checks"]["signature"]["code"]) == (1, "SIGNATURE_INVALID")


def test_station_given_only_signer_certificates_asks_for_a_manual_check(
    tmp_path, es256_signer, vds_signer, now
):
    pem = tmp_path / "dsc.pem"
    pem.write_text(es256_signer.pem)
    text = issue_vds(vds_signer, vaccination_message())
    proc = subprocess.run(
        [*STATION, "verify", "--json", "--at", now.isoformat(), "--trust-cert", str(pem), "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    body = json.loads(proc.stdout)
    assert (body["status"], body["reason"]) == ("CHECK_MANUALLY", "VDS_TRUST_UNAVAILABLE")
