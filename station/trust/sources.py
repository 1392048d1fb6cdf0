"""Read signer certificates out of the file shapes trust lists come in.

Accepted: PEM (one or many), raw DER, base64 DER (one per line or one blob), and the JSON list
shapes of the EU gateway and DGCA services:
- a list of base64 strings or of objects with `rawData` (EU gateway `/trustList/DSC`),
- `{"certificates": [{"rawData": ...}, ...]}` (German/Austrian DSC lists),
- `{"<country>": [{"kid": ..., "rawData": ...}]}` (DGCA `POST /signercertificateUpdate`),
- `{"dscs"|"trustList"|"keys": [...]}` wrappers of the above.
Kids given in files are ignored: the index recomputes them from the DER.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from station.errors import TrustImportError

_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL)
_B64_CHARS = re.compile(rb"^[A-Za-z0-9+/=_\-\s]+$")
_WRAPPER_KEYS = ("certificates", "dscs", "trustList", "keys", "signerCertificates")
MAX_TRUST_FILE_BYTES = 64 * 1024 * 1024


def certificates_from_bytes(data: bytes) -> list[bytes]:
    """Every certificate DER found in the file content, in file order."""
    if not data.strip():
        raise TrustImportError("the file is empty")
    if len(data) > MAX_TRUST_FILE_BYTES:
        raise TrustImportError("the file is too large for a trust list")
    if b"-----BEGIN CERTIFICATE-----" in data:
        return [_b64(block) for block in _PEM_RE.findall(data)]
    if data[:1] == b"\x30":
        return [data]
    stripped = data.strip()
    if stripped[:1] in (b"[", b"{"):
        try:
            document = json.loads(stripped)
        except ValueError as exc:
            raise TrustImportError(f"invalid JSON: {exc}") from None
        found = list(_from_json(document))
        if not found:
            raise TrustImportError("no certificates in the JSON document")
        return found
    if _B64_CHARS.match(stripped):
        lines = [line for line in stripped.split() if line]
        if all(line[:2] in (b"MI", b"MH") for line in lines):
            return [_b64(line) for line in lines]
        return [_b64(stripped)]
    raise TrustImportError("unrecognised trust file format")


def certificates_from_file(path: str) -> list[bytes]:
    """Every certificate in a trust file; an unreadable file is a `TrustImportError`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TRUST_FILE_BYTES + 1)
    except OSError as exc:
        raise TrustImportError(f"cannot read {path}: {exc.strerror}") from None
    return certificates_from_bytes(data)


def certificate_from_text(text: str) -> bytes:
    """One certificate given inline as PEM or base64 DER (as in a batch request's `trust`)."""
    found = certificates_from_bytes(text.encode("utf-8"))
    if len(found) != 1:
        raise TrustImportError("expected exactly one certificate")
    return found[0]


def _from_json(node: Any) -> Any:
    if isinstance(node, str):
        yield _b64(node.encode("ascii", errors="replace"))
    elif isinstance(node, list):
        for item in node:
            yield from _from_json(item)
    elif isinstance(node, dict):
        raw = node.get("rawData") or node.get("raw_data") or node.get("certificate")
        if isinstance(raw, str):
            yield _b64(raw.encode("ascii", errors="replace"))
            return
        for key in _WRAPPER_KEYS:
            if key in node:
                yield from _from_json(node[key])
                return
        for value in node.values():
            if isinstance(value, list):
                yield from _from_json(value)


def _b64(text: bytes) -> bytes:
    compact = b"".join(text.split())
    compact = compact.replace(b"-", b"+").replace(b"_", b"/")
    compact += b"=" * (-len(compact) % 4)
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise TrustImportError("invalid base64 certificate data") from None
    if der[:1] != b"\x30":
        raise TrustImportError("base64 data is not a DER certificate")
    return der
