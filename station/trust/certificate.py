"""A trusted Document Signer Certificate (DSC) as the verifier uses it.

The kid is always recomputed from the DER (first 8 bytes of its SHA-256): a kid claimed by a
trust file is never believed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from station.errors import TrustImportError
from station.trust.der import DerError, parse_certificate_fields

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey

#: DCC key-usage OIDs on both arcs in use (the ".0." arc is a widespread typo honoured by all).
DCC_USAGE_OIDS: dict[str, str] = {}
for _arc in ("1.3.6.1.4.1.1847.2021.1", "1.3.6.1.4.1.0.1847.2021.1"):
    DCC_USAGE_OIDS.update({f"{_arc}.1": "t", f"{_arc}.2": "v", f"{_arc}.3": "r"})


def compute_kid(der: bytes) -> bytes:
    """The EU DCC key identifier: first 8 bytes of SHA-256 over the certificate DER."""
    return hashlib.sha256(der).digest()[:8]


@dataclass(frozen=True, slots=True)
class TrustedCertificate:
    """A signer certificate, parsed once and shared by every verification."""

    der: bytes
    kid: bytes
    fingerprint: str
    public_key: PublicKey
    not_before: datetime
    not_after: datetime
    country: str | None
    allowed_types: frozenset[str] | None

    @property
    def key_description(self) -> str:
        if isinstance(self.public_key, rsa.RSAPublicKey):
            return f"RSA-{self.public_key.key_size}"
        return f"EC-{self.public_key.curve.name}"


def load_trusted_certificate(der: bytes) -> TrustedCertificate:
    """Parse a DER certificate into a `TrustedCertificate` or raise `TrustImportError`."""
    try:
        fields = parse_certificate_fields(der)
        key = load_der_public_key(fields.spki_der)
    except (DerError, ValueError, UnicodeDecodeError, UnsupportedAlgorithm) as exc:
        # UnsupportedAlgorithm: a key type or curve cryptography does not know (not a ValueError)
        raise TrustImportError(f"not a usable certificate: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise TrustImportError(f"unsupported key type {type(key).__name__}")
    return TrustedCertificate(
        der=der,
        kid=compute_kid(der),
        fingerprint=hashlib.sha256(der).hexdigest(),
        public_key=key,
        not_before=fields.not_before,
        not_after=fields.not_after,
        country=fields.subject_country or fields.issuer_country,
        allowed_types=_allowed_types(fields.extended_key_usage),
    )


def _allowed_types(usages: tuple[str, ...] | None) -> frozenset[str] | None:
    """Certificate types a DSC may sign; None when it carries no DCC usage OID (any type)."""
    if not usages:
        return None
    types = frozenset(DCC_USAGE_OIDS[oid] for oid in usages if oid in DCC_USAGE_OIDS)
    return types or None
