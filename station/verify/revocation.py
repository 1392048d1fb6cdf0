"""What an EU DCC revocation list matches a pass by: three truncated SHA-256 hashes.

The EU lists exchange only the first 16 bytes of each digest, over:
- UCI: the certificate identifier `ci` as written in the pass;
- COUNTRYCODEUCI: the entry's country `co` followed by `ci`;
- SIGNATURE: the COSE signature, of which only the `r` half counts for ECDSA. Hashing `r` alone
  is what makes a blocked pass stay blocked when someone re-encodes its signature as (r, n−s),
  which verifies just as well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from station.config import VerifierConfig
from station.verify import dcc_decode

HASH_BYTES = 16
#: COSE algorithm ids whose signature is a raw r‖s pair (ES256, ES384, ES512).
_ECDSA_ALGS = {-7, -35, -36}


class HashType(IntEnum):
    """The EU gateway's hash types, numbered for compact storage; `.name` is the wire name."""

    UCI = 1
    COUNTRYCODEUCI = 2
    SIGNATURE = 3

    @classmethod
    def from_wire(cls, name: str) -> HashType:
        """ValueError for a name the EU lists do not define."""
        try:
            return cls[name]
        except KeyError as exc:
            raise ValueError(f"unknown revocation hash type {name!r}") from exc


def truncated_sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:HASH_BYTES]


def signature_hash_input(signature: bytes, alg: Any) -> bytes:
    """The bytes the SIGNATURE hash covers: `r` for ECDSA, the whole signature otherwise."""
    if alg in _ECDSA_ALGS and len(signature) % 2 == 0:
        return signature[: len(signature) // 2]
    return signature


def revocation_hashes(
    certificate: Mapping[str, Any], signature: bytes, alg: Any
) -> dict[HashType, bytes]:
    """Every hash a revocation list could hold for this pass (UCI ones only if `ci` exists)."""
    hashes = {HashType.SIGNATURE: truncated_sha256(signature_hash_input(signature, alg))}
    entry = _single_entry(certificate)
    uci = entry.get("ci") if entry else None
    if isinstance(uci, str) and uci:
        hashes[HashType.UCI] = truncated_sha256(uci.encode("utf-8"))
        country = entry.get("co") if entry else None
        if isinstance(country, str):
            hashes[HashType.COUNTRYCODEUCI] = truncated_sha256((country + uci).encode("utf-8"))
    return hashes


def revocation_hashes_for_text(
    text: str, config: VerifierConfig | None = None
) -> tuple[bytes | None, dict[HashType, bytes]]:
    """Decode an `HC1:` text and return its kid and revocation hashes (for publishing a block).

    Raises `station.errors.Reject` when the text cannot be decoded far enough to hash.
    """
    limits = config or VerifierConfig()
    raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(raw, limits.max_inflated_bytes))
    claims = dcc_decode.parse_cwt(cose.payload)
    kid = cose.kid if isinstance(cose.kid, bytes) else None
    return kid, revocation_hashes(claims.certificate, cose.signature, cose.alg)


def _single_entry(certificate: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for group in ("v", "t", "r"):
        entries = certificate.get(group)
        if isinstance(entries, list) and entries and isinstance(entries[0], dict):
            return entries[0]
    return None
