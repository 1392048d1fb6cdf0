"""Privacy of the entry log: a canary name never reaches the disk in clear (T32/T33 for the log),
a purge leaves no byte of a purged entry behind (T33), and the station holds no key that opens a
sealed block (T34's key test), while the authority's key does, for that entry only."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from entrylog_helpers import raw_bytes

from station.entrylog.database import open_log
from station.entrylog.export import export_sealed
from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.sealing import HEADER_BYTES, SealError, generate_authority_key, open_sealed
from station.entrylog.sealing_key_file import save_sealing_key
from station.entrylog.writer import EntryLog

pytest_plugins = ["entrylog_fixtures"]

RECORDED = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
ENTRIES, PASSES = 1000, 10
ODD_BIRTH_DATE = "1904-02-29"


def encodings(text: str) -> list[bytes]:
    """`text` as a grep of raw bytes would find it: UTF-8, UTF-16 both ways, base64 at each of
    the three alignments it can take inside a longer encoded string."""
    found = [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + text.encode())
        found.append(encoded[(shift * 4 + 2) // 3 + 1 : -4])  # only whole, own characters
    return found


@pytest.fixture(scope="module")
def canary() -> str:
    return "ZZCANARY" + secrets.token_hex(6).upper()


@pytest.fixture(scope="module")
def canary_log(tmp_path_factory, dcc_result, sealing_key, canary) -> Path:  # type: ignore[no-untyped-def]
    """1000 entries for passes whose holder's name is the canary, recorded a month ago."""
    path = tmp_path_factory.mktemp("canary") / "log.sqlite"
    results = [
        dcc_result(family=canary, given=f"Given{i}", dob=ODD_BIRTH_DATE) for i in range(PASSES)
    ]
    assert canary in (results[0].decoded_text or "") or results[0].payload is not None
    with EntryLog(path, sealing_key=sealing_key) as log:
        for number in range(ENTRIES):
            log.record(
                results[number % PASSES],
                direction="in" if number % 3 else "out",
                checkpoint_id="gate-1",
                clock_trusted=True,
                now=RECORDED + timedelta(seconds=number),
            )
    return path


def _no_canary(data: bytes, canary: str) -> None:
    for needle in encodings(canary) + encodings(ODD_BIRTH_DATE):
        assert needle not in data, needle


def test_the_canary_never_reaches_the_disk_in_clear(canary_log, canary):
    _no_canary(raw_bytes(canary_log), canary)
    conn = open_log(canary_log)
    try:
        sealed = conn.execute("SELECT count(*) FROM entries WHERE sealed IS NOT NULL").fetchone()
    finally:
        conn.close()
    assert sealed[0] == ENTRIES


def test_nor_does_it_reach_an_export(canary_log, canary):
    out = io.StringIO()
    assert export_sealed(canary_log, out) == ENTRIES
    _no_canary(out.getvalue().encode(), canary)


def test_without_an_authority_key_not_even_a_sealed_block_is_written(tmp_path, dcc_result, canary):
    path = tmp_path / "log.sqlite"
    with EntryLog(path, sealing_key=None) as log:
        for _ in range(20):
            log.record(
                dcc_result(family=canary, dob=ODD_BIRTH_DATE),
                direction="in",
                checkpoint_id="gate-1",
                clock_trusted=True,
                now=RECORDED,
            )
    _no_canary(raw_bytes(path), canary)


def test_a_purge_leaves_no_byte_of_a_purged_entry(canary_log, canary, sealing_key):
    conn = open_log(canary_log)
    rows = conn.execute("SELECT uuid, sealed FROM entries").fetchall()
    conn.close()
    assert len(rows) == ENTRIES
    kiosk = EntryLog(canary_log, sealing_key=sealing_key)  # the kiosk keeps its log open
    try:
        result = purge(
            canary_log, RetentionPolicy(21), now=RECORDED + timedelta(days=30), clock_trusted=True
        )
    finally:
        kiosk.close()
    assert result.purged_unsent == ENTRIES and result.wal_truncated
    data = raw_bytes(canary_log)
    for uuid, block in rows:
        assert uuid.encode() not in data
        assert block not in data
        assert block[1 + 8 : HEADER_BYTES] not in data  # the ephemeral key alone
        assert block[HEADER_BYTES : HEADER_BYTES + 24] not in data  # nor a piece of ciphertext
    _no_canary(data, canary)


def test_only_the_authority_opens_a_block_and_only_for_its_own_entry(
    tmp_path, dcc_result, sealing_key, authority_key
):
    base = tmp_path / "station"
    with EntryLog(base / "log.sqlite", sealing_key=sealing_key) as log:
        first, second = (
            log.record(
                dcc_result(), direction="in", checkpoint_id="g", clock_trusted=True, now=RECORDED
            )
            for _ in range(2)
        )
    conn = open_log(base / "log.sqlite")
    block = conn.execute("SELECT sealed FROM entries WHERE uuid = ?", (first.uuid,)).fetchone()[0]
    conn.close()
    assert b"1990-05-17" in open_sealed(authority_key, block, first.uuid.encode())
    with pytest.raises(SealError):
        open_sealed(authority_key, block, second.uuid.encode())  # moved to another entry
    for key in _station_key_material(base, sealing_key):
        with pytest.raises(SealError):
            open_sealed(key, block, first.uuid.encode())


def _station_key_material(base: Path, sealing_key) -> list[X25519PrivateKey]:  # type: ignore[no-untyped-def]
    """Every X25519 key a station could make from what it holds: its device key (P-256), the
    authority's public key file, and a fresh key."""
    device = ec.generate_private_key(ec.SECP256R1())
    pem = device.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (base / "device-key.pem").write_bytes(pem)
    key_file = save_sealing_key(base, sealing_key, 1)
    for path in base.iterdir():  # no file the station keeps is an X25519 private key
        try:
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError:
            continue
        assert not isinstance(loaded, X25519PrivateKey), path
    scalar = device.private_numbers().private_value.to_bytes(32, "big")
    return [
        generate_authority_key(),
        X25519PrivateKey.from_private_bytes(scalar),
        X25519PrivateKey.from_private_bytes(hashlib.sha256(pem).digest()),
        X25519PrivateKey.from_private_bytes(sealing_key.raw()),
        X25519PrivateKey.from_private_bytes(hashlib.sha256(key_file.read_bytes()).digest()),
    ]
