"""Generate a country signing CA and document signer certificates (ES256 or PS256)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

from station.trust.certificate import compute_kid

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
USAGE_ARC = "1.3.6.1.4.1.1847.2021.1"
USAGE_OID = {"t": f"{USAGE_ARC}.1", "v": f"{USAGE_ARC}.2", "r": f"{USAGE_ARC}.3"}


@dataclass(frozen=True)
class Signer:
    """A document signer: its private key, certificate DER and COSE algorithm."""

    key: PrivateKey
    der: bytes
    alg: int

    @property
    def kid(self) -> bytes:
        return compute_kid(self.der)

    @property
    def pem(self) -> str:
        cert = x509.load_der_x509_certificate(self.der)
        return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def new_key(algorithm: str = "ES256", rsa_bits: int = 2048) -> PrivateKey:
    if algorithm == "PS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    curve = ec.SECP384R1() if algorithm == "ES384" else ec.SECP256R1()
    return ec.generate_private_key(curve)


def make_signer(
    *,
    algorithm: str = "ES256",
    country: str = "VN",
    common_name: str = "Demo Document Signer",
    not_before: datetime | None = None,
    valid_days: int = 730,
    usages: str | None = None,
    usage_arc: str = USAGE_ARC,
    rsa_bits: int = 2048,
    key: PrivateKey | None = None,
) -> Signer:
    """A self-issued DSC (the verifier checks DSCs, not their chain) with optional DCC usages."""
    key = key or new_key(algorithm, rsa_bits)
    start = not_before or datetime(2021, 1, 1, tzinfo=UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(country, common_name))
        .issuer_name(_name(country, f"{common_name} CSCA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
    )
    if usages:
        oids = [ObjectIdentifier(f"{usage_arc}.{'tvr'.index(u) + 1}") for u in usages]
        builder = builder.add_extension(x509.ExtendedKeyUsage(oids), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    alg = -37 if isinstance(key, rsa.RSAPrivateKey) else -7
    return Signer(key, cert.public_bytes(serialization.Encoding.DER), alg)
