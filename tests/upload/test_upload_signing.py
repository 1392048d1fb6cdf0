"""The device key: created private (0600, never overwritten), and its ES256 body signatures
verify only for the exact bytes and the matching key."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from sync.upload.signing import (
    DeviceKeyError,
    create_device_key,
    device_key_path,
    load_device_key,
    public_key_pem,
    sign_body,
    verify_body,
)

BODY = b'{"station_id":"st-1","log":{"next_seq":3},"entries":[]}'


def test_created_key_is_private_and_loads_back(tmp_path: Path) -> None:
    key = create_device_key(tmp_path / "data")
    path = device_key_path(tmp_path / "data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_device_key(tmp_path / "data")
    assert public_key_pem(loaded) == public_key_pem(key) == public_key_pem(key.public_key())


def test_an_existing_key_is_never_overwritten(tmp_path: Path) -> None:
    create_device_key(tmp_path)
    before = device_key_path(tmp_path).read_bytes()
    with pytest.raises(FileExistsError):
        create_device_key(tmp_path)
    assert device_key_path(tmp_path).read_bytes() == before


def test_missing_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceKeyError) as raised:
        load_device_key(tmp_path)
    assert raised.value.code == "DEVICE_KEY_MISSING"
    assert "enroll" in raised.value.message


@pytest.mark.parametrize(
    "content",
    [b"not a key", b""],
    ids=["garbage", "empty"],
)
def test_unreadable_key_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    device_key_path(tmp_path).write_bytes(content)
    with pytest.raises(DeviceKeyError):
        load_device_key(tmp_path)


def test_a_key_on_another_curve_is_refused(tmp_path: Path) -> None:
    other = ec.generate_private_key(ec.SECP384R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    device_key_path(tmp_path).write_bytes(pem)
    with pytest.raises(DeviceKeyError):
        load_device_key(tmp_path)


def test_signature_is_raw_r_s_base64url_without_padding(tmp_path: Path) -> None:
    key = create_device_key(tmp_path)
    signature = sign_body(key, BODY)
    assert "=" not in signature and "+" not in signature and "/" not in signature
    assert len(base64.urlsafe_b64decode(signature + "==")) == 64
    assert verify_body(key.public_key(), BODY, signature)


def test_signature_fails_for_other_bytes_key_or_encoding(tmp_path: Path) -> None:
    key = create_device_key(tmp_path)
    signature = sign_body(key, BODY)
    stranger = ec.generate_private_key(ec.SECP256R1())
    assert not verify_body(key.public_key(), BODY + b" ", signature)
    assert not verify_body(stranger.public_key(), BODY, signature)
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert not verify_body(key.public_key(), BODY, flipped)
    standard = base64.b64encode(base64.urlsafe_b64decode(signature + "==")).decode()
    for wrong in ("", signature[:-1], signature + "A", standard, signature + "=="):
        if wrong != signature:
            assert not verify_body(key.public_key(), BODY, wrong)
