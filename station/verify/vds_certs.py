"""X.509 for VDS-NC seals: the barcode signer certificate (BSC) a seal embeds, the country
signing CAs (CSCAs) it must chain to, and the checks between them.

ICAO Doc 9303 part 12 makes the chain two certificates long: CSCA (self-signed, a CA) → BSC.
A BSC is trusted only if the CSCA held for the seal's issuing country signed it, its issuer name
is that CSCA's subject, its Authority Key Identifier (when both carry one) is the CSCA's Subject
Key Identifier, it is not itself a CA, and, when it carries an Extended Key Usage, that usage
names the VDS-NC signer purpose (2.23.136.1.1.14.2, as in Australia's production BSCs).

Every certificate is parsed once per distinct DER (a station meets the same few signers all
day), and a chain signature, deterministic for a given (BSC, CSCA) pair of DERs, is checked
once per pair; validity at the scan instant and revocation are evaluated on every scan.
Library errors become `Reject` here.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from station.errors import Reject
from station.reasons import Reason

VDS_SIGNER_USAGE = "2.23.136.1.1.14.2"
MAX_CERTIFICATE_BYTES = 4096
_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Certificate:
    """The parts of a certificate the checks read, extracted once."""

    der: bytes
    fingerprint: str
    cert: x509.Certificate
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey
    issuer: x509.Name
    subject: x509.Name
    serial: int
    not_before: datetime
    not_after: datetime
    is_ca: bool
    authority_key_id: bytes | None
    subject_key_id: bytes | None
    usages: tuple[str, ...] | None
    may_sign: bool


def load_certificate(der: bytes) -> Certificate:
    """Parse a DER certificate or raise `Reject(VDS_SIGNER_CERT_INVALID)`."""
    if len(der) > MAX_CERTIFICATE_BYTES:
        raise Reject(Reason.VDS_SIGNER_CERT_INVALID, f"certificate of {len(der)} bytes")
    loaded = _load(bytes(der))
    if isinstance(loaded, str):
        raise Reject(Reason.VDS_SIGNER_CERT_INVALID, loaded)
    return loaded


#: What cryptography raises for a damaged certificate, besides ValueError: TypeError from its lazy
#: Name parsing (a BIT STRING attribute other than x500UniqueIdentifier), and exceptions of its
#: own that are not ValueErrors (an unknown version, an extension given twice, an unknown
#: general-name type, an unknown key type or curve).
_UNREADABLE = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


@lru_cache(maxsize=_CACHE_SIZE)
def _load(der: bytes) -> Certificate | str:
    """The parsed certificate, or why it is unusable (cached either way)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. a negative serial: refused, not tolerated
            return _read(der, x509.load_der_x509_certificate(der))
    except (*_UNREADABLE, Warning) as exc:
        return f"not a readable certificate ({type(exc).__name__})"


def _read(der: bytes, cert: x509.Certificate) -> Certificate | str:
    """Every field the checks use, read now: the library parses lazily and would otherwise
    raise on a damaged field in the middle of a later check."""
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return f"unsupported key type {type(key).__name__}"
    extensions = cert.extensions
    return Certificate(
        der=der,
        fingerprint=hashlib.sha256(der).hexdigest(),
        cert=cert,
        public_key=key,
        issuer=cert.issuer,
        subject=cert.subject,
        serial=cert.serial_number,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        is_ca=_is_ca(extensions),
        authority_key_id=_authority_key_id(extensions),
        subject_key_id=_subject_key_id(extensions),
        usages=_usages(extensions),
        may_sign=_may_sign(extensions),
    )


def _extension(extensions: x509.Extensions, kind: type[x509.ExtensionType]) -> object | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _is_ca(extensions: x509.Extensions) -> bool:
    value = _extension(extensions, x509.BasicConstraints)
    return isinstance(value, x509.BasicConstraints) and value.ca


def _authority_key_id(extensions: x509.Extensions) -> bytes | None:
    value = _extension(extensions, x509.AuthorityKeyIdentifier)
    return value.key_identifier if isinstance(value, x509.AuthorityKeyIdentifier) else None


def _subject_key_id(extensions: x509.Extensions) -> bytes | None:
    value = _extension(extensions, x509.SubjectKeyIdentifier)
    return value.digest if isinstance(value, x509.SubjectKeyIdentifier) else None


def _usages(extensions: x509.Extensions) -> tuple[str, ...] | None:
    value = _extension(extensions, x509.ExtendedKeyUsage)
    if not isinstance(value, x509.ExtendedKeyUsage):
        return None
    return tuple(oid.dotted_string for oid in value)


def _may_sign(extensions: x509.Extensions) -> bool:
    """False only when a KeyUsage extension exists and withholds digitalSignature."""
    value = _extension(extensions, x509.KeyUsage)
    return not isinstance(value, x509.KeyUsage) or value.digital_signature


def chain_problem(signer: Certificate, authority: Certificate) -> str | None:
    """Why `authority` did not issue `signer` (None when it did); details name no person."""
    if not authority.is_ca:
        return "the authority certificate is not a CA"
    if signer.der == authority.der or signer.is_ca:
        return "a CA certificate cannot sign seals itself"
    if signer.issuer != authority.subject:
        return "issuer name differs from the authority"
    if signer.authority_key_id is not None and authority.subject_key_id is not None:
        if signer.authority_key_id != authority.subject_key_id:
            return "authority key identifier differs"
    return _signature_problem(signer.der, authority.der)


@lru_cache(maxsize=_CACHE_SIZE)
def _signature_problem(signer_der: bytes, authority_der: bytes) -> str | None:
    """The authority's signature over the signer certificate, checked once per DER pair."""
    signer, authority = _load(signer_der), _load(authority_der)
    if isinstance(signer, str) or isinstance(authority, str):
        return "certificate unreadable"
    try:
        signer.cert.verify_directly_issued_by(authority.cert)
    except InvalidSignature:
        return "the authority's signature does not verify"
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return "the authority's signature cannot be checked"
    return None


def usage_problem(signer: Certificate) -> str | None:
    """Why the signer may not sign seals (None when it may)."""
    if not signer.may_sign:
        return "key usage does not allow digital signatures"
    if signer.usages is not None and VDS_SIGNER_USAGE not in signer.usages:
        return "extended key usage does not name seal signing"
    return None


def validity_problem(cert: Certificate, now: datetime) -> str | None:
    """ "before" or "after" the certificate's validity window, None inside it."""
    if now < cert.not_before:
        return "before"
    if now > cert.not_after:
        return "after"
    return None
