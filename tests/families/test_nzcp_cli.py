"""NZ COVID Pass through the `station` command line: the two-step key import from a DID document,
then `station verify` from text and from a rendered QR image, in-process and as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from nzcp_helpers import VECTORS, issue_valid

from station.cli.main import main
from station.issuer.nzcp import NzcpIssuer, new_issuer, nzcp_qr_png
from station.issuer.qr_image import qr_gray
from station.scan import read_codes
from station.verify import nzcp

pytest_plugins = ["nzcp_fixtures"]

STATION = [sys.executable, "-m", "station.cli.main"]
#: The converter call documented in station/verify/nzcp_keys.py, as an operator runs it.
CONVERT = (
    "import json, sys; from station.verify.nzcp_keys import jwks_from_did_document; "
    "print(json.dumps(jwks_from_did_document(json.load(open(sys.argv[1])))))"
)


@pytest.fixture(scope="module")
def production() -> NzcpIssuer:
    """A key under the production DID, so no opt-in is involved (a test key, never a real one)."""
    return new_issuer(did=nzcp.PRODUCTION_ISSUER, kid="z12Kf7UQ")


def import_did_document(tmp_path: Path, document: dict[str, object], did: str) -> list[str]:
    """Step 1: DID document → JWKS file; step 2: `station trust import-keys`.  Returns the
    `--data-dir` arguments of the station that now trusts the keys."""
    did_file, jwks_file = tmp_path / "did.json", tmp_path / "nzcp-jwks.json"
    did_file.write_text(json.dumps(document))
    converted = subprocess.run(
        [sys.executable, "-c", CONVERT, str(did_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    jwks_file.write_text(converted.stdout)
    data = ["--data-dir", str(tmp_path / "data")]
    args = ["trust", "import-keys", "--family", "nzcp", "--issuer", did, str(jwks_file)]
    assert main([*data, *args]) == 0
    return data


def test_two_step_import_then_verify_text_explains_in_words(
    tmp_path: Path, production, now, capsys
):
    data = import_did_document(tmp_path, production.did_document(), production.did)
    assert f"{production.did}: 1 nzcp key(s) trusted" in capsys.readouterr().out
    assert main([*data, "trust", "keys"]) == 0
    assert "z12Kf7UQ" in capsys.readouterr().out
    text = issue_valid(production, now)
    assert main([*data, "verify", "--at", now.isoformat(), text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID") and "NZ COVID Pass (NZCP)" in out and "Nguyễn, Văn An" in out
    late = (now + timedelta(days=200)).isoformat()
    assert main([*data, "verify", "--at", late, text]) == 1
    assert "The pass has expired." in capsys.readouterr().out
    impostor = issue_valid(new_issuer(did=production.did, kid=production.kid), now)
    assert main([*data, "verify", "--at", now.isoformat(), impostor]) == 1
    assert "SIGNATURE_INVALID" in capsys.readouterr().out


def test_verify_image_json_in_a_subprocess(tmp_path: Path, production, now):
    data = import_did_document(tmp_path, production.did_document(), production.did)
    text = issue_valid(production, now)
    image = tmp_path / "pass.png"
    image.write_bytes(nzcp_qr_png(text))
    proc = subprocess.run(
        [*STATION, *data, "verify", "--json", "--at", now.isoformat(), "--image", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert body["status"] == "VALID" and body["format"] == "nzcp"
    assert body["decoded_text"] == text
    assert list(body["checks"]) == ["image", *nzcp.CHECK_NAMES]
    assert body["holder"]["date_of_birth"] == "1990-05-17"
    assert body["details"]["credential_id"].startswith("urn:uuid:")


def test_not_yet_active_pass_from_an_image_is_invalid(tmp_path: Path, production, now, capsys):
    data = import_did_document(tmp_path, production.did_document(), production.did)
    image = tmp_path / "pass.png"
    image.write_bytes(nzcp_qr_png(issue_valid(production, now + timedelta(days=30))))
    capsys.readouterr()
    assert main([*data, "verify", "--json", "--at", now.isoformat(), "--image", str(image)]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["reason"] == "NOT_YET_VALID" and body["checks"]["validity"]["ok"] is False


def test_a_station_with_only_eu_certificates_asks_for_a_manual_check(
    tmp_path: Path, production, es256_signer, now, capsys
):
    cert = tmp_path / "dsc.pem"
    cert.write_text(es256_signer.pem)
    text = issue_valid(production, now)
    assert main(["verify", "--trust-cert", str(cert), "--at", now.isoformat(), text]) == 3
    out = capsys.readouterr().out
    assert out.startswith("CHECK MANUALLY") and "holds no keys to check NZ COVID Passes" in out


def test_spec_example_image_verifies_once_the_test_issuer_is_allowed(
    tmp_path: Path, monkeypatch, capsys
):
    document = json.loads((VECTORS / "valid" / "did.json").read_text())
    data = import_did_document(tmp_path, document, nzcp.TEST_ISSUER)
    image = tmp_path / "nzcp.png"
    image.write_bytes(nzcp_qr_png((VECTORS / "valid" / "nzcp.txt").read_text()))
    at = ["--at", "2021-11-16T00:00:00Z"]
    capsys.readouterr()
    assert main([*data, "verify", *at, "--image", str(image)]) == 1
    assert "not issued by the NZ Ministry of Health" in capsys.readouterr().out
    monkeypatch.setattr(nzcp, "TRUSTED_ISSUERS", nzcp.WITH_TEST_ISSUER)
    assert main([*data, "verify", *at, "--image", str(image)]) == 0
    assert "Sparrow, Jack" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["valid/nzcp.txt", "invalid/nzcp-modified-sig.txt"])
def test_pass_texts_survive_the_trip_through_qr_pixels(name):
    text = (VECTORS / name).read_text()
    gray = qr_gray(text)
    assert gray.dtype == np.uint8 and gray.ndim == 2
    assert read_codes(gray) == [text]


def test_the_test_issuer_renders_alphanumeric_codes(nzcp_issuer, now):
    """NZCP texts use only the QR alphanumeric set, so the code stays small (spec §2D Barcode)."""
    import segno

    text = issue_valid(nzcp_issuer, now)
    assert segno.make(text, error="q", micro=False).mode == "alphanumeric"
    assert read_codes(qr_gray(text)) == [text]
