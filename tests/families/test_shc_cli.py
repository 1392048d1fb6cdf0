"""SMART Health Cards through the `station` command line: import the issuer's JWKS, then
`station verify` from text, from stdin (every part of a chunked card) and from QR images read
back from their pixels, in-process and as a subprocess."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from shc_helpers import VECTORS, issue_valid

from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cli.main import main
from station.issuer.shc import (
    ShcIssuer,
    ShcOptions,
    card_payload,
    chunk_texts,
    issuer_from_private_jwk,
    qr_png,
    sign_jws,
    vaccination_bundle,
)
from station.paths import cache_db_path
from station.scan import read_codes
from station.verify import shc
from station.verify.shc_chunks import ChunkReassembler

pytest_plugins = ["shc_fixtures"]

STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture()
def station_dir(tmp_path: Path, shc_issuer: ShcIssuer) -> list[str]:
    """A station that trusts the test issuer, through `station trust import-keys`."""
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(shc_issuer.jwks()))
    data = ["--data-dir", str(tmp_path / "data")]
    assert (
        main(
            [
                *data,
                "trust",
                "import-keys",
                "--family",
                "shc",
                "--issuer",
                shc_issuer.iss,
                str(jwks),
            ]
        )
        == 0
    )
    return data


def test_verify_text_explains_in_words(station_dir, shc_issuer, now, capsys):
    capsys.readouterr()
    text = issue_valid(shc_issuer, now)
    assert main([*station_dir, "verify", "--at", now.isoformat(), text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID") and "SMART Health Card" in out
    assert "Nguyễn, Văn An  (born 1990-05-17)" in out
    late = (now + timedelta(days=400)).isoformat()
    assert main([*station_dir, "verify", "--at", late, text]) == 1
    assert "The pass has expired." in capsys.readouterr().out


def test_verify_image_json(tmp_path, station_dir, shc_issuer, now, capsys):
    text = issue_valid(shc_issuer, now)
    image = tmp_path / "card.png"
    image.write_bytes(qr_png(text))
    capsys.readouterr()
    assert (
        main([*station_dir, "verify", "--json", "--at", now.isoformat(), "--image", str(image)])
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert (body["status"], body["format"], body["decoded_text"]) == ("VALID", "shc", text)
    assert list(body["checks"]) == ["image", *shc.CHECK_NAMES]
    assert body["holder"]["date_of_birth"] == "1990-05-17"


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (
            lambda i, n: issue_valid(i, n, nbf=n - timedelta(days=800), exp=n - timedelta(days=1)),
            "EXPIRED",
        ),
        (lambda i, n: issue_valid(i, n, nbf=n + timedelta(days=2)), "NOT_YET_VALID"),
        (lambda i, n: issue_valid(i, n, options=ShcOptions(alg="none")), "ALG_UNSUPPORTED"),
        (
            lambda i, n: issue_valid(ShcIssuer("https://evil.example", i.key), n),
            "SHC_ISSUER_MISMATCH",
        ),
    ],
)
def test_invalid_cards_from_images(tmp_path, station_dir, shc_issuer, now, capsys, build, code):
    image = tmp_path / "card.png"
    image.write_bytes(qr_png(build(shc_issuer, now)))
    capsys.readouterr()
    status = main(
        [*station_dir, "verify", "--json", "--at", now.isoformat(), "--image", str(image)]
    )
    body = json.loads(capsys.readouterr().out)
    assert (status, body["status"], body["reason"]) == (1, "INVALID", code)


def test_revoked_card_from_the_command_line(tmp_path, station_dir, shc_issuer, now, capsys):
    text = issue_valid(shc_issuer, now, rid="TqB_qu_6OtM")
    with open_cache(cache_db_path(tmp_path / "data")) as cache:
        IssuerKeyCache(cache).add_revocations(
            "shc", shc_issuer.iss, shc_issuer.kid, [("TqB_qu_6OtM", None)]
        )
    capsys.readouterr()
    assert main([*station_dir, "verify", "--at", now.isoformat(), text]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "revoked by its issuer" in out


def test_unknown_issuer_and_a_station_without_keys(
    tmp_path, station_dir, stranger, shc_issuer, now, capsys
):
    assert main([*station_dir, "verify", "--at", now.isoformat(), issue_valid(stranger, now)]) == 1
    assert "KID_UNKNOWN" in capsys.readouterr().out
    bare = ["--data-dir", str(tmp_path / "bare")]
    assert main([*bare, "verify", "--at", now.isoformat(), issue_valid(shc_issuer, now)]) == 3
    assert "SHC_ISSUER_KEYS_UNAVAILABLE" in capsys.readouterr().out


def test_chunked_card_on_stdin_as_a_subprocess(station_dir, shc_issuer, now):
    payload = card_payload(shc_issuer.iss, vaccination_bundle(), nbf=now - timedelta(hours=1))
    parts = chunk_texts(sign_jws(shc_issuer, payload, ShcOptions()), 400)
    assert len(parts) >= 2
    proc = subprocess.run(
        [*STATION, *station_dir, "verify", "--json", "--at", now.isoformat(), "-"],
        input="\n".join(reversed(parts)) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert (body["status"], body["format"]) == ("VALID", "shc")
    assert "Traceback" not in proc.stderr


def test_chunk_images_read_from_pixels_reassemble(station_dir, capsys, monkeypatch):
    """The spec's three-part example rendered as three QR images: each read back from its
    pixels, the parts fed to the reassembler as a kiosk would, the card verified."""
    jwks = VECTORS / "jwks.json"
    issuer = "https://spec.smarthealth.cards/examples/issuer"
    assert (
        main(
            [*station_dir, "trust", "import-keys", "--family", "shc", "--issuer", issuer, str(jwks)]
        )
        == 0
    )
    assembler = ChunkReassembler()
    card = None
    for i in (1, 2, 0):
        text = (VECTORS / f"example-02-f-qr-code-numeric-value-{i}.txt").read_text()
        png = qr_png(text, scale=3)
        gray = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
        (read,) = read_codes(gray)
        assert read == text
        card = assembler.add(read)
    assert card is not None
    monkeypatch.setattr(sys, "stdin", io.StringIO(card))
    capsys.readouterr()
    status = main([*station_dir, "verify", "--at", "2023-06-01T00:00:00Z", "-"])
    assert status == 0, capsys.readouterr().out


def test_a_private_jwks_is_never_imported(tmp_path, shc_issuer, capsys):
    """The spec publishes its example issuer's private JWKS; importing such a file by mistake
    must not put a signing key on a kiosk."""
    numbers = shc_issuer.key.private_numbers().private_value.to_bytes(32, "big")
    private = {
        **shc_issuer.public_jwk(),
        "d": base64.urlsafe_b64encode(numbers).rstrip(b"=").decode(),
    }
    jwks = tmp_path / "private.json"
    jwks.write_text(json.dumps({"keys": [private]}))
    data = ["--data-dir", str(tmp_path / "data")]
    assert (
        main(
            [
                *data,
                "trust",
                "import-keys",
                "--family",
                "shc",
                "--issuer",
                shc_issuer.iss,
                str(jwks),
            ]
        )
        == 2
    )
    assert "private members" in capsys.readouterr().err
    assert issuer_from_private_jwk(private, shc_issuer.iss).kid == shc_issuer.kid
