"""Realistic sample payloads of every family the station reads, identical on every call.

Signatures are deterministic (RFC 6979) with a fixed key, so the sample texts, and with them
every synthetic frame, never change between runs or machines.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import build_cwt, encode_hc1, vaccination_payload
from station.verify.cose_signature import sig_structure

PC_COVID_SAMPLE = (
    "079195012345|Nguyễn Thị Hồng Nhung|12/03/1995|CCCD|2f8a61c4-d9b7-4e03-a5c1-7b9e4d2f6a18|"
)
CCCD_SAMPLE = (
    "079099012345|025123456|Trần Văn Bình|15041990|Nam|"
    "123 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|20062021"
)


def sample_texts() -> list[str]:
    """Realistic payloads of every family the station reads, identical on every call.

    An ES256-signed EU DCC (`HC1:`), a SMART Health Card (`shc:/` digits), an NZ COVID Pass
    (`NZCP:/1/` base32), a PC-Covid personal QR and a Vietnamese chip ID card (CCCD) QR, both
    with UTF-8 Vietnamese names. The signatures are deterministic (RFC 6979) with a fixed key.
    """
    return [_sample_hc1(), _sample_shc(), _sample_nzcp(), PC_COVID_SAMPLE, CCCD_SAMPLE]


_SAMPLE_ISSUED = datetime(2021, 11, 3, 9, 30, tzinfo=UTC)
_SAMPLE_EXPIRES = datetime(2022, 11, 3, 9, 30, tzinfo=UTC)


@lru_cache(maxsize=1)
def _sample_key() -> ec.EllipticCurvePrivateKey:
    secret = hashlib.sha256(b"checkpoint-station camera-scene sample signer").digest()
    return ec.derive_private_key(int.from_bytes(secret, "big") % (2**255) + 1, ec.SECP256R1())


def _es256(message: bytes) -> bytes:
    """Raw r‖s ES256 signature, deterministic (RFC 6979) so sample texts never change."""
    algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    r, s = decode_dss_signature(_sample_key().sign(message, algorithm))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _cose_sign1(protected: dict[int, object], payload: bytes) -> bytes:
    header = encode_cbor(protected)
    signature = _es256(sig_structure(header, payload))
    return encode_cbor(Tagged(18, [header, {}, payload, signature]))


@lru_cache(maxsize=1)
def _sample_hc1() -> str:
    """An ES256 EU DCC vaccination certificate as national issuers fill it (~600 chars)."""
    certificate = vaccination_payload(family="Nguyễn", given="Văn An")
    entry = certificate["v"][0]
    entry["is"] = "Ministry of Health of Viet Nam"
    entry["ci"] = "URN:UVCI:01:VN:BYT/3F7A9C1E5B2D4086A1C7E93B#K"
    body = build_cwt(certificate, _SAMPLE_ISSUED, _SAMPLE_EXPIRES, "VN")
    kid = hashlib.sha256(b"camera-scene sample DSC").digest()[:8]
    return encode_hc1(_cose_sign1({1: -7, 4: kid}, body))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_SHC_PAYLOAD = {
    "iss": "https://spec.smarthealth.cards/examples/issuer",
    "nbf": 1635931800,
    "vc": {
        "type": ["https://smarthealth.cards#health-card"],
        "credentialSubject": {
            "fhirVersion": "4.0.1",
            "fhirBundle": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {
                        "fullUrl": "resource:0",
                        "resource": {
                            "resourceType": "Patient",
                            "name": [{"family": "Anyperson", "given": ["John", "B."]}],
                            "birthDate": "1951-01-20",
                        },
                    },
                    {
                        "fullUrl": "resource:1",
                        "resource": {
                            "resourceType": "Immunization",
                            "status": "completed",
                            "vaccineCode": {
                                "coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]
                            },
                            "patient": {"reference": "resource:0"},
                            "occurrenceDateTime": "2021-01-01",
                            "performer": [{"actor": {"display": "ABC General Hospital"}}],
                            "lotNumber": "0000001",
                        },
                    },
                ],
            },
        },
    },
}


@lru_cache(maxsize=1)
def _sample_shc() -> str:
    """A SMART Health Card: compact JWS (deflated FHIR bundle), each character as two digits."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = json.dumps(_SHC_PAYLOAD, separators=(",", ":")).encode()
    compressed = deflate.compress(body) + deflate.flush()
    kid = _b64url(hashlib.sha256(b"camera-scene sample SHC key").digest())
    header = json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid}, separators=(",", ":"))
    signing_input = _b64url(header.encode()) + "." + _b64url(compressed)
    jws = signing_input + "." + _b64url(_es256(signing_input.encode("ascii")))
    return "shc:/" + "".join(f"{ord(char) - 45:02d}" for char in jws)


@lru_cache(maxsize=1)
def _sample_nzcp() -> str:
    """An NZ COVID Pass: COSE_Sign1 over the CWT of the specification, base32 without padding."""
    claims = {
        1: "did:web:nzcp.covid19.health.nz",
        5: 1635883530,
        4: 1951416330,
        7: bytes.fromhex("60a4f54d4e304332be33ad78b1eafa4b"),
        "vc": {
            "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "https://nzcp.covid19.health.nz/contexts/v1",
            ],
            "version": "1.0.0",
            "type": ["VerifiableCredential", "PublicCovidPass"],
            "credentialSubject": {
                "givenName": "Jack",
                "familyName": "Sparrow",
                "dob": "1960-04-16",
            },
        },
    }
    cose = _cose_sign1({4: b"key-1", 1: -7}, encode_cbor(claims))
    return "NZCP:/1/" + base64.b32encode(cose).decode("ascii").rstrip("=")
