"""Issue ICAO VDS-NC seals with a real PKI: a country signing CA (CSCA) and barcode signers.

The seal is signed as the technical report prescribes (ECDSA, raw r‖s, over the RFC 8785 form
of `data`) with the station's own canonicaliser, so a seal that verifies here was signed over
exactly the bytes the verifier rebuilds.  Knobs produce the broken seals the tests need.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID, ObjectIdentifier

from station.issuer.pki import PrivateKey, new_key
from station.verify.vds_certs import VDS_SIGNER_USAGE
from station.verify.vds_json import canonical_json
from station.verify.vds_signature import ALGORITHMS

_HASHES = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "ES512": hashes.SHA512()}
_CURVES = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}


@dataclass(frozen=True)
class CountryAuthority:
    """A CSCA: self-signed CA with a Subject Key Identifier."""

    key: PrivateKey
    der: bytes
    country: str

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.der)

    def issuer_key(self, revoked_serials: list[Any] | None = None) -> dict[str, Any]:
        """The issuer-key entry a station imports for this CSCA (family "vds")."""
        entry: dict[str, Any] = {
            "kid": hashlib.sha256(self.der).hexdigest(),
            "x5c": [base64.b64encode(self.der).decode("ascii")],
        }
        if revoked_serials is not None:
            entry["revoked_serials"] = revoked_serials
        return entry


@dataclass(frozen=True)
class BarcodeSigner:
    """A barcode signer certificate (BSC) and its private key."""

    key: PrivateKey
    der: bytes
    alg: str

    @property
    def serial(self) -> int:
        return x509.load_der_x509_certificate(self.der).serial_number


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_country_authority(
    country: str = "VN",
    *,
    algorithm: str = "ES256",
    not_before: datetime | None = None,
    valid_days: int = 3650,
    common_name: str = "Demo Country Signing CA",
    ca: bool = True,
) -> CountryAuthority:
    key = new_key(algorithm)
    start = not_before or datetime(2021, 1, 1, tzinfo=UTC)
    name = _name(country, common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CountryAuthority(key, cert.public_bytes(serialization.Encoding.DER), country)


@dataclass(frozen=True)
class SignerOptions:
    """Knobs for valid and deliberately wrong barcode signer certificates."""

    algorithm: str = "ES256"
    not_before: datetime | None = None
    valid_days: int = 1825
    usages: tuple[str, ...] | None = (VDS_SIGNER_USAGE,)
    authority_key_id: bool = True
    wrong_authority_key_id: bool = False
    ca: bool = False
    #: Sign the certificate with this key instead of the CSCA's (a forged chain).
    forge_with: PrivateKey | None = None
    key: PrivateKey | None = field(default=None)


def make_barcode_signer(
    authority: CountryAuthority, options: SignerOptions | None = None
) -> BarcodeSigner:
    chosen = options or SignerOptions()
    curve = _CURVES.get(chosen.algorithm)
    key = chosen.key or (ec.generate_private_key(curve) if curve else new_key(chosen.algorithm))
    start = chosen.not_before or datetime(2025, 1, 1, tzinfo=UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(authority.country, "Demo Barcode Signer"))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=chosen.valid_days))
    )
    if chosen.ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    if chosen.usages is not None:
        usages = [ObjectIdentifier(oid) for oid in chosen.usages]
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=True)
    if chosen.authority_key_id:
        ski = x509.SubjectKeyIdentifier.from_public_key(authority.key.public_key()).digest
        if chosen.wrong_authority_key_id:
            ski = bytes(20)
        aki = x509.AuthorityKeyIdentifier(ski, None, None)
        builder = builder.add_extension(aki, critical=False)
    cert = builder.sign(chosen.forge_with or authority.key, hashes.SHA256())
    return BarcodeSigner(key, cert.public_bytes(serialization.Encoding.DER), chosen.algorithm)


def vaccination_message(
    name: str = "NGUYEN  VAN AN",
    dob: str = "1990-05-17",
    doses: tuple[str, ...] = ("2021-09-01", "2021-10-01"),
) -> dict[str, Any]:
    """An `icao.vacc` message the station accepts."""
    return {
        "uvci": "VNM000000001",
        "pid": {"n": name, "dob": dob, "sex": "M", "i": "C1234567"},
        "ve": [
            {
                "des": "XM68M6",
                "nam": "Comirnaty",
                "dis": "RA01.0",
                "vd": [
                    {"dvc": day, "seq": index + 1, "ctr": "VNM", "adm": "TTYT Q1", "lot": "FK1234"}
                    for index, day in enumerate(doses)
                ],
            }
        ],
    }


def lab_test_message(
    name: str = "TRAN  THI BINH", sampled: str = "2026-05-31T08:00:00+07:00"
) -> dict[str, Any]:
    """An `icao.test` message (proof of testing) the station accepts."""
    return {
        "utci": "VNMT00000001",
        "pid": {"n": name, "dob": "1985-02-03", "dt": "P", "dn": "C7654321"},
        "sp": {"spn": "Cho Ray Hospital", "ctr": "VNM", "cd": {"p": "+842838554137"}},
        "dat": {"sc": sampled, "ri": sampled},
        "tr": {"tc": "molecular(PCR)", "r": "negative", "m": "nasopharyngeal"},
    }


@dataclass(frozen=True)
class SealOptions:
    """Knobs for valid and deliberately broken seals."""

    alg: Any = None  # None: the signer's algorithm; "omit": no alg member
    issuer: str = "VNM"
    seal_type: str = "icao.vacc"
    version: Any = 1


def sign_data(signer: BarcodeSigner, data: dict[str, Any]) -> str:
    """base64url (no padding) of the raw r‖s ECDSA signature over canonical `data`."""
    key = signer.key
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("barcode signers use ECDSA keys")
    algorithm = signer.alg if signer.alg in ALGORITHMS else "ES256"
    size = ALGORITHMS[algorithm][2]
    der = key.sign(canonical_json(data), ec.ECDSA(_HASHES[algorithm]))
    r, s = decode_dss_signature(der)
    return b64url(r.to_bytes(size, "big") + s.to_bytes(size, "big"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def seal_document(
    signer: BarcodeSigner, message: dict[str, Any], options: SealOptions | None = None
) -> dict[str, Any]:
    """The seal as a JSON object (for tests that edit it before serialising)."""
    chosen = options or SealOptions()
    data = {
        "hdr": {"t": chosen.seal_type, "v": chosen.version, "is": chosen.issuer},
        "msg": message,
    }
    sig: dict[str, Any] = {"cer": b64url(signer.der), "sigvl": sign_data(signer, data)}
    if chosen.alg != "omit":
        sig["alg"] = signer.alg if chosen.alg is None else chosen.alg
    return {"data": data, "sig": sig}


def issue_vds(
    signer: BarcodeSigner, message: dict[str, Any], options: SealOptions | None = None
) -> str:
    """The seal text as it is put into a QR code (compact JSON, UTF-8)."""
    return to_text(seal_document(signer, message, options))


def to_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
