"""Issue NZ COVID Passes (`NZCP:/1/`), including deliberately broken ones for negative tests.

An issuer is a P-256 key published as a did:web DID document, as the Ministry of Health publishes
its own; the station imports that document's keys through
`station.verify.nzcp_keys.jwks_from_did_document`.  Passes are COSE_Sign1 (tag 18, ES256) over the
CWT claims of the spec, Base32 without padding behind `NZCP:/1/`.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.qr_image import qr_png
from station.verify.cose_signature import sig_structure

TEST_ISSUER = "did:web:nzcp.covid19.health.nz"
VC_CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://nzcp.covid19.health.nz/contexts/v1",
]
ALG_ES256 = -7


@dataclass(frozen=True)
class NzcpIssuer:
    """A pass issuer: its private key, DID and the key id passes name."""

    key: ec.EllipticCurvePrivateKey
    did: str = TEST_ISSUER
    kid: str = "key-1"

    def public_jwk(self) -> dict[str, str]:
        numbers = self.key.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _b64url(numbers.x), "y": _b64url(numbers.y)}

    def did_document(self) -> dict[str, Any]:
        """The document served at `https://<host>/.well-known/did.json` for this issuer."""
        method_id = f"{self.did}#{self.kid}"
        return {
            "@context": "https://w3.org/ns/did/v1",
            "id": self.did,
            "verificationMethod": [
                {
                    "id": method_id,
                    "controller": self.did,
                    "type": "JsonWebKey2020",
                    "publicKeyJwk": self.public_jwk(),
                }
            ],
            "assertionMethod": [method_id],
        }


def new_issuer(did: str = TEST_ISSUER, kid: str = "key-1") -> NzcpIssuer:
    return NzcpIssuer(ec.generate_private_key(ec.SECP256R1()), did, kid)


def _b64url(value: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes(32, "big")).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class NzcpOptions:
    """Knobs for building valid and deliberately invalid passes."""

    kid_in: str = "bytes"  # "bytes" (as the spec's examples), "text" (as its prose), "none",
    #                        "unprotected"
    alg: Any = ALG_ES256  # None leaves it out; anything else is written as given
    alg_in_unprotected: bool = False
    tagged: bool = True


def public_covid_pass(
    given: str = "Văn An",
    family: str | None = "Nguyễn",
    dob: str = "1990-05-17",
    pass_type: str = "PublicCovidPass",
    version: str = "1.0.0",
) -> dict[str, Any]:
    """The `vc` claim of a pass (familyName is optional in the spec)."""
    subject: dict[str, Any] = {"givenName": given, "dob": dob}
    if family is not None:
        subject["familyName"] = family
    return {
        "@context": list(VC_CONTEXT),
        "version": version,
        "type": ["VerifiableCredential", pass_type],
        "credentialSubject": subject,
    }


def build_claims(
    issuer: str,
    vc: Any,
    not_before: datetime,
    expires: datetime,
    cti: bytes | None = None,
) -> dict[Any, Any]:
    """CWT claims with the spec's keys: iss 1, nbf 5, exp 4, cti 7, and the text key "vc"."""
    return {
        1: issuer,
        5: int(not_before.astimezone(UTC).timestamp()),
        4: int(expires.astimezone(UTC).timestamp()),
        "vc": vc,
        7: cti if cti is not None else uuid.uuid4().bytes,
    }


def sign_nzcp(issuer: NzcpIssuer, payload: bytes, options: NzcpOptions | None = None) -> bytes:
    """CBOR bytes of a COSE_Sign1 over `payload`, signed ES256 by the issuer's key."""
    chosen = options or NzcpOptions()
    protected_map: dict[int, Any] = {}
    unprotected: dict[int, Any] = {}
    if chosen.kid_in == "bytes":
        protected_map[4] = issuer.kid.encode("utf-8")
    elif chosen.kid_in == "text":
        protected_map[4] = issuer.kid
    elif chosen.kid_in == "unprotected":
        unprotected[4] = issuer.kid.encode("utf-8")
    if chosen.alg is not None:
        (unprotected if chosen.alg_in_unprotected else protected_map)[1] = chosen.alg
    protected = encode_cbor(protected_map)
    digest_input = sig_structure(protected, payload)
    r, s = decode_dss_signature(issuer.key.sign(digest_input, ec.ECDSA(hashes.SHA256())))
    structure: Any = [
        protected,
        unprotected,
        payload,
        r.to_bytes(32, "big") + s.to_bytes(32, "big"),
    ]
    return encode_cbor(Tagged(18, structure) if chosen.tagged else structure)


def encode_nzcp(cose: bytes, version: str = "1") -> str:
    """`NZCP:/<version>/` and unpadded Base32."""
    return f"NZCP:/{version}/" + base64.b32encode(cose).decode("ascii").rstrip("=")


def issue_nzcp(
    issuer: NzcpIssuer,
    vc: dict[str, Any] | None = None,
    *,
    not_before: datetime,
    expires: datetime,
    cti: bytes | None = None,
    options: NzcpOptions | None = None,
) -> str:
    """A complete `NZCP:/1/` text signed by `issuer`."""
    claims = build_claims(issuer.did, vc or public_covid_pass(), not_before, expires, cti)
    return encode_nzcp(sign_nzcp(issuer, encode_cbor(claims), options))


def nzcp_qr_png(text: str, scale: int = 4) -> bytes:
    """The pass as a QR code image (alphanumeric mode: NZCP texts use only A-Z, 2-7, : and /)."""
    return qr_png(text, scale=scale)
