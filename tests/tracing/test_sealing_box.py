"""Sealed identity blocks: only the authority's private key opens them, for the right entry."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from station.entrylog.sealing import (
    HEADER_BYTES,
    PAD_TO,
    TAG_BYTES,
    SealError,
    SealingKey,
    generate_authority_key,
    load_private_key,
    open_sealed,
    save_private_key,
    seal,
    sealed_key_id,
)

NAME = "Nguyễn Thị ZZCANARY Hương".encode()


@pytest.fixture(scope="module")
def authority():
    return generate_authority_key()


def test_the_authority_opens_what_the_station_sealed(authority) -> None:
    block = seal(SealingKey(authority.public_key()), NAME, b"entry-1")
    assert NAME not in block
    assert open_sealed(authority, block, b"entry-1") == NAME
    assert sealed_key_id(block) == SealingKey(authority.public_key()).id


def test_each_block_is_different_even_for_the_same_person(authority) -> None:
    key = SealingKey(authority.public_key())
    assert seal(key, NAME, b"e") != seal(key, NAME, b"e")


def test_a_block_moved_to_another_entry_does_not_open(authority) -> None:
    block = seal(SealingKey(authority.public_key()), NAME, b"entry-1")
    with pytest.raises(SealError, match="another entry"):
        open_sealed(authority, block, b"entry-2")


@pytest.mark.parametrize("offset", [0, 1, 9, HEADER_BYTES, -1])
def test_an_altered_block_does_not_open(authority, offset: int) -> None:
    block = bytearray(seal(SealingKey(authority.public_key()), NAME, b"e"))
    block[offset] ^= 0x01
    with pytest.raises(SealError):
        open_sealed(authority, bytes(block), b"e")


def test_another_key_cannot_open_a_block(authority) -> None:
    block = seal(SealingKey(authority.public_key()), NAME, b"e")
    with pytest.raises(SealError, match="another key"):
        open_sealed(generate_authority_key(), block, b"e")


def test_block_size_does_not_reveal_the_length_of_a_name(authority) -> None:
    key = SealingKey(authority.public_key())
    sizes = {len(seal(key, b"x" * n, b"e")) for n in (1, 20, 60, PAD_TO - 2)}
    assert sizes == {HEADER_BYTES + PAD_TO + TAG_BYTES}


@pytest.mark.parametrize("size", [0, 1, HEADER_BYTES, HEADER_BYTES + TAG_BYTES - 1])
def test_truncated_blocks_are_refused(authority, size: int) -> None:
    block = seal(SealingKey(authority.public_key()), NAME, b"e")
    with pytest.raises(SealError):
        open_sealed(authority, block[:size], b"e")


def test_a_low_order_ephemeral_key_is_refused(authority) -> None:
    block = bytearray(seal(SealingKey(authority.public_key()), NAME, b"e"))
    block[1 + 8 : HEADER_BYTES] = bytes(32)  # the all-zero point gives no shared secret
    with pytest.raises(SealError):
        open_sealed(authority, bytes(block), b"e")


def test_private_key_file_is_owner_only_and_never_overwritten(tmp_path, authority) -> None:
    path = tmp_path / "authority.pem"
    save_private_key(authority, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_private_key(path).public_key() == authority.public_key()
    with pytest.raises(FileExistsError):
        save_private_key(generate_authority_key(), path)


def test_a_file_with_another_kind_of_key_is_refused(tmp_path) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "ec.pem").write_bytes(pem)
    (tmp_path / "junk.pem").write_bytes(os.urandom(64))
    for name in ("ec.pem", "junk.pem", "missing.pem"):
        with pytest.raises(SealError):
            load_private_key(tmp_path / name)


def test_raw_public_keys_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(SealError):
        SealingKey.from_raw(bytes(31))


def test_the_text_form_round_trips_and_refuses_what_is_not_a_key(authority) -> None:
    key = SealingKey(authority.public_key())
    assert SealingKey.from_text(key.to_text()) == key and "=" not in key.to_text()
    for text in ("not base64!", "AAAA", "é"):
        with pytest.raises(SealError):
            SealingKey.from_text(text)
