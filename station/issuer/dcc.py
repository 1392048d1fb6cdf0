"""Issue EU DCC (`HC1:`) credentials, including deliberately broken ones for negative tests."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from station.codec.base45 import encode_base45
from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.pki import Signer
from station.verify.cose_signature import sig_structure


@dataclass(frozen=True)
class DccOptions:
    """Knobs for building valid and deliberately invalid passes."""

    kid_in: str = "protected"  # "protected", "unprotected", "both", "none"
    tagging: str = "cose"  # "cose" (tag 18), "cwt" (61 + 18), "none"
    alg_override: int | None = None
    alg_in_unprotected: bool = False
    compress: bool = True
    issuer_country: str = "VN"


def vaccination_payload(
    family: str = "Nguyễn",
    given: str = "Văn An",
    dob: str = "1990-05-17",
    date: str = "2021-11-02",
    dose: int = 2,
    doses: int = 2,
    country: str = "VN",
) -> dict[str, Any]:
    """A schema-valid EU DCC vaccination certificate."""
    return {
        "ver": "1.3.0",
        "nam": {"fn": family, "fnt": _icao(family), "gn": given, "gnt": _icao(given)},
        "dob": dob,
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": dose,
                "sd": doses,
                "dt": date,
                "co": country,
                "is": "Ministry of Health",
                "ci": "URN:UVCI:01:VN:TEST0000000000000001#4",
            }
        ],
    }


def test_payload(
    family: str = "Trần", given: str = "Thị Bình", dob: str = "1985-02-03"
) -> dict[str, Any]:
    """A schema-valid EU DCC negative RAT test certificate."""
    return {
        "ver": "1.3.0",
        "nam": {"fn": family, "fnt": _icao(family), "gn": given, "gnt": _icao(given)},
        "dob": dob,
        "t": [
            {
                "tg": "840539006",
                "tt": "LP217198-3",
                "ma": "1232",
                "sc": "2021-11-02T08:00:00Z",
                "tr": "260415000",
                "tc": "Test centre",
                "co": "VN",
                "is": "Ministry of Health",
                "ci": "URN:UVCI:01:VN:TEST0000000000000002#6",
            }
        ],
    }


_ICAO = str.maketrans(
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ ",
    "AAAAAAAAAAAAAAAAADEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYY<",
)


def _icao(name: str) -> str:
    return name.upper().translate(_ICAO)


def sign_cose(signer: Signer, protected: bytes, payload: bytes) -> bytes:
    """Raw COSE signature bytes (r‖s for ES256, PSS for PS256)."""
    message = sig_structure(protected, payload)
    if isinstance(signer.key, rsa.RSAPrivateKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return signer.key.sign(message, pss, hashes.SHA256())
    size = (signer.key.curve.key_size + 7) // 8
    r, s = decode_dss_signature(signer.key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def issue_dcc(
    signer: Signer,
    certificate: dict[str, Any],
    *,
    issued_at: datetime,
    expires: datetime,
    options: DccOptions | None = None,
) -> str:
    """A complete `HC1:` text signed by `signer`."""
    chosen = options or DccOptions()
    return encode_hc1(
        build_cose(signer, certificate, issued_at, expires, chosen), compress=chosen.compress
    )


def build_cwt(
    certificate: dict[str, Any], issued_at: datetime, expires: datetime, issuer_country: str
) -> bytes:
    claims = {
        1: issuer_country,
        4: int(expires.astimezone(UTC).timestamp()),
        6: int(issued_at.astimezone(UTC).timestamp()),
        -260: {1: certificate},
    }
    return encode_cbor(claims)


def build_cose(
    signer: Signer,
    certificate: dict[str, Any],
    issued_at: datetime,
    expires: datetime,
    options: DccOptions,
    payload: bytes | None = None,
) -> bytes:
    """CBOR bytes of a COSE_Sign1 over the CWT (or over `payload` when given)."""
    alg = options.alg_override if options.alg_override is not None else signer.alg
    protected_map: dict[int, Any] = {}
    unprotected: dict[int, Any] = {}
    (unprotected if options.alg_in_unprotected else protected_map)[1] = alg
    if options.kid_in in ("protected", "both"):
        protected_map[4] = signer.kid
    if options.kid_in in ("unprotected", "both"):
        unprotected[4] = signer.kid
    protected = encode_cbor(protected_map) if protected_map else b""
    body = (
        payload
        if payload is not None
        else build_cwt(certificate, issued_at, expires, options.issuer_country)
    )
    structure: Any = [protected, unprotected, body, sign_cose(signer, protected, body)]
    if options.tagging in ("cose", "cwt"):
        structure = Tagged(18, structure)
    if options.tagging == "cwt":
        structure = Tagged(61, structure)
    return encode_cbor(structure)


def encode_hc1(cose: bytes, *, compress: bool = True) -> str:
    data = zlib.compress(cose, 9) if compress else cose
    return "HC1:" + encode_base45(data)
