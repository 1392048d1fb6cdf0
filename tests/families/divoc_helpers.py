"""Helpers of the DIVOC tests: issuing texts, and building ZIP archives byte by byte."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.issuer.divoc import (
    DivocIssuer,
    as_text,
    certificate_json,
    pack,
    sign_credential,
    vaccination_credential,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "divoc"
ISSUED = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def signed(issuer: DivocIssuer, **fields: Any) -> dict[str, Any]:
    """A signed credential; `fields` go to `vaccination_credential`."""
    fields.setdefault("issued_at", ISSUED)
    fields.setdefault("issuer", issuer.issuer)
    return sign_credential(issuer, vaccination_credential(**fields), fields["issued_at"])


def text_of(credential: dict[str, Any]) -> str:
    """The scanned text of a credential packed as DIVOC packs it."""
    return as_text(pack(certificate_json(credential)))


def text_of_json(raw: bytes) -> str:
    return as_text(pack(raw))


def stored_zip(members: list[tuple[str, bytes]]) -> bytes:
    """An archive with STORED members, so every header field sits at a known place."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2021, 11, 2, 0, 0, 0)), data)
    return buffer.getvalue()


def deflated_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(name, (2021, 11, 2, 0, 0, 0))
        archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def patch_headers(archive: bytes, **fields: int) -> bytes:
    """Overwrite fields of the first local header and central directory entry.

    Fields: flags, method, crc, compressed, size (APPNOTE 4.3.7 and 4.3.12 offsets).
    """
    local = {"flags": 6, "method": 8, "crc": 14, "compressed": 18, "size": 22}
    central = {"flags": 8, "method": 10, "crc": 16, "compressed": 20, "size": 24}
    widths = {"flags": "<H", "method": "<H", "crc": "<I", "compressed": "<I", "size": "<I"}
    data = bytearray(archive)
    central_start = data.index(b"PK\x01\x02")
    for name, value in fields.items():
        packed = struct.pack(widths[name], value)
        data[local[name] : local[name] + len(packed)] = packed
        offset = central_start + central[name]
        data[offset : offset + len(packed)] = packed
    return bytes(data)


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    return number.to_bytes(32, "big")


def vector_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return document
