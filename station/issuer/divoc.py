"""Issue DIVOC vaccination certificates as a DIVOC certificate service does, for tests and demos.

The credential follows DIVOC's `transformW3` output (egovernments/DIVOC backend/certificate_signer)
with the CoWIN v2 vaccination context; the proof is made as jsonld-signatures makes it:
URDNA2015 canonical N-Quads of the proof options (security v2 context) and of the document,
hashed with SHA-256, signed as a detached JWS with `b64: false`.  Canonicalisation here calls
pyld's `normalize` directly with the station's vendored contexts, so a VALID verdict on these
credentials is a real round trip through two code paths.  The archive is packed like
Path-Check/divoc-sdk.js `pack` (one DEFLATE member `certificate.json`) and rendered as a
byte-mode QR code.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from pyld import jsonld  # type: ignore[import-untyped]

from station.verify.divoc_contexts import CREDENTIALS_V1, SECURITY_V2, load_vendored

TEST_ISSUER = "https://divoc.test.example/"
TEST_KID = "did:divoc-test:station"
VACCINATION_V2 = "https://cowin.gov.in/credentials/vaccination/v2"
CONTEXT = [CREDENTIALS_V1, VACCINATION_V2]
Loader = Callable[[str, Any], dict[str, Any]]
PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class DivocIssuer:
    """A certificate issuer: its private key, its `issuer` URL and the key id proofs name."""

    key: PrivateKey
    issuer: str = TEST_ISSUER
    kid: str = TEST_KID

    @property
    def proof_type(self) -> str:
        return "Ed25519Signature2018" if self.alg == "EdDSA" else "RsaSignature2018"

    @property
    def alg(self) -> str:
        return "EdDSA" if isinstance(self.key, ed25519.Ed25519PrivateKey) else "PS256"

    def public_jwk(self) -> dict[str, str]:
        """The public key as the station imports it (`station trust import-keys`)."""
        public = self.key.public_key()
        if isinstance(public, ed25519.Ed25519PublicKey):
            raw = public.public_bytes_raw()
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": self.kid}
        numbers = public.public_numbers()
        return {
            "kty": "RSA",
            "n": _b64url_int(numbers.n),
            "e": _b64url_int(numbers.e),
            "kid": self.kid,
        }

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [self.public_jwk()]}


def new_issuer(
    algorithm: str = "EdDSA",
    *,
    issuer: str = TEST_ISSUER,
    kid: str = TEST_KID,
    rsa_bits: int = 2048,
) -> DivocIssuer:
    """A fresh issuer with an Ed25519 (`EdDSA`) or RSA (`PS256`) key."""
    if algorithm == "EdDSA":
        return DivocIssuer(ed25519.Ed25519PrivateKey.generate(), issuer, kid)
    if algorithm == "PS256":
        return DivocIssuer(rsa.generate_private_key(65537, rsa_bits), issuer, kid)
    raise ValueError(f"unsupported algorithm {algorithm}")


def vaccination_credential(
    *,
    issued_at: datetime,
    name: str = "Nguyen Van An",
    dob: str = "1990-05-17",
    gender: str = "Male",
    expires: datetime | None = None,
    vaccine: str = "COVISHIELD",
    dose: int = 2,
    total_doses: int = 2,
    date: str = "2021-11-02T08:00:00.000Z",
    certificate_id: str = "912345678901",
    issuer: str = TEST_ISSUER,
    subject_id: str = "did:Passport:C1234567",
) -> dict[str, Any]:
    """An unsigned CoWIN-v2-shaped vaccination credential."""
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "type": ["VerifiableCredential", "ProofOfVaccinationCredential"],
        "credentialSubject": {
            "type": "Person",
            "id": subject_id,
            "refId": "40123456789012",
            "name": name,
            "gender": gender,
            "dob": dob,
            "nationality": "Vietnamese",
        },
        "issuer": issuer,
        "issuanceDate": iso_instant(issued_at),
        "evidence": [_vaccination(vaccine, dose, total_doses, date, certificate_id)],
        "nonTransferable": "true",
    }
    if expires is not None:
        credential["expirationDate"] = iso_instant(expires)
    return credential


def _vaccination(
    vaccine: str, dose: int, total_doses: int, date: str, certificate_id: str
) -> dict[str, Any]:
    return {
        "id": f"https://divoc.test.example/vaccine/{certificate_id}",
        "certificateId": certificate_id,
        "type": ["Vaccination"],
        "batch": "4121Z040",
        "vaccine": vaccine,
        "manufacturer": "Serum Institute of India",
        "date": date,
        "effectiveStart": date[:10],
        "effectiveUntil": date[:10],
        "dose": dose,
        "totalDoses": total_doses,
        "verifier": {"name": "Dr. Tran Thi Binh"},
        "facility": {"name": "Test Vaccination Centre", "address": {"addressCountry": "VN"}},
    }


def sign_credential(
    issuer: DivocIssuer,
    credential: dict[str, Any],
    created: datetime,
    *,
    header: dict[str, Any] | None = None,
    proof_type: str | None = None,
    loader: Loader = load_vendored,
) -> dict[str, Any]:
    """The credential with an `assertionMethod` proof by `issuer`'s key."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    proof = {
        "type": proof_type or issuer.proof_type,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": issuer.kid,
        "proofPurpose": "assertionMethod",
    }
    header = header or {"alg": issuer.alg, "b64": False, "crit": ["b64"]}
    header_part = b64url(json.dumps(header, separators=(",", ":")).encode())
    verify_data = _digest({"@context": SECURITY_V2, **proof}, loader) + _digest(document, loader)
    signature = _sign(issuer.key, header_part.encode("ascii") + b"." + verify_data)
    return {**document, "proof": {**proof, "jws": f"{header_part}..{b64url(signature)}"}}


def _digest(document: dict[str, Any], loader: Loader) -> bytes:
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": loader,
        "expandContext": {"@base": None},  # relative IRIs stay relative, as in jsonld.js
    }
    return hashlib.sha256(str(jsonld.normalize(document, options)).encode("utf-8")).digest()


def _sign(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    return key.sign(data, pss, hashes.SHA256())


def certificate_json(credential: dict[str, Any]) -> bytes:
    """`certificate.json` as JSON.stringify writes it."""
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(
    certificate: bytes, *, name: str = "certificate.json", extra: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """A ZIP archive holding `certificate` (DEFLATE, level 9) and any `extra` members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in ((name, certificate), *extra):
            info = zipfile.ZipInfo(member, (2021, 11, 2, 0, 0, 0))
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def issue_divoc(issuer: DivocIssuer, credential: dict[str, Any], created: datetime) -> str:
    """The scanned text of a signed, packed certificate (the archive bytes as Latin-1)."""
    return as_text(pack(certificate_json(sign_credential(issuer, credential, created))))


def as_text(archive: bytes) -> str:
    """What the station's QR decoding yields for a binary payload."""
    return archive.decode("latin-1")


def divoc_qr_png(archive: bytes, scale: int = 4, border: int = 4) -> bytes:
    """PNG bytes of a byte-mode QR code holding the archive."""
    code = segno.make(archive, mode="byte", error="l", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def iso_instant(instant: datetime) -> str:
    """xsd:dateTime with milliseconds and Z, as JavaScript's toISOString writes it."""
    return (
        instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{instant.microsecond // 1000:03d}Z"
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_int(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))
