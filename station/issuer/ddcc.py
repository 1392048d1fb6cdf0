"""Issue WHO DDCC:VS passes in the HCERT (`HC1:`) container, valid or deliberately broken.

Same transport and COSE signing as `station.issuer.dcc`; the CWT's `hcert` claim (-260) holds
the WHO core data set under the chosen sub-claim (1: the EU slot, 2: WHO's DDCC model, 3: WHO's
trust-network model; see `station.verify.ddcc_decode`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import DccOptions, build_cose, encode_hc1
from station.issuer.pki import Signer

ICD11 = "http://id.who.int/icd11/mms"
ISO3166 = "urn:iso:std:iso:3166"


def core_data_set(
    name: str = "Nguyễn Văn An",
    birth_date: str = "1990-05-17",
    *,
    date: str = "2021-11-02",
    dose: int = 2,
    total_doses: int = 2,
    country: str = "VNM",
    hcid: str = "VN-DDCC-0000000000000001",
    valid_from: str | None = "2021-11-02",
    valid_until: str | None = None,
    vaccination_valid_from: str | None = None,
) -> dict[str, Any]:
    """A core data set (DDCCCoreDataSet.VS) that the station accepts as it stands."""
    period: dict[str, str] = {}
    if valid_from is not None:
        period["start"] = valid_from
    if valid_until is not None:
        period["end"] = valid_until
    certificate: dict[str, Any] = {
        "issuer": {"identifier": {"value": "Ministry of Health, Viet Nam"}},
        "hcid": {"value": hcid},
        "version": "RC-2.0.0",
    }
    if period:
        certificate["period"] = period
    vaccination: dict[str, Any] = {
        "vaccine": {"system": ICD11, "code": "XM0GQ8"},
        "brand": {"system": ICD11, "code": "XM8NQ0"},
        "maholder": {"system": ICD11, "code": "XM8R58"},
        "lot": "FK1234",
        "date": date,
        "dose": dose,
        "totalDoses": total_doses,
        "country": {"system": ISO3166, "code": country},
        "centre": "Trung tâm Y tế Quận 1",
        "disease": {"system": ICD11, "code": "RA01"},
    }
    if vaccination_valid_from is not None:
        vaccination["validFrom"] = vaccination_valid_from
    return {
        "name": name,
        "birthDate": birth_date,
        "identifier": {"system": "urn:vn:cccd", "value": "079090001234"},
        "sex": "male",
        "certificate": certificate,
        "vaccination": vaccination,
    }


def ddcc_cwt(
    payload: Any,
    issued_at: datetime,
    expires: datetime,
    *,
    subclaim: int = 1,
    issuer_country: str = "VN",
) -> bytes:
    """The CWT claims with the core data set (or any value, for negative tests) at `subclaim`."""
    claims = {
        1: issuer_country,
        4: int(expires.astimezone(UTC).timestamp()),
        6: int(issued_at.astimezone(UTC).timestamp()),
        -260: {subclaim: payload},
    }
    return encode_cbor(claims)


def issue_ddcc(
    signer: Signer,
    payload: Any,
    *,
    issued_at: datetime,
    expires: datetime,
    subclaim: int = 1,
    options: DccOptions | None = None,
) -> str:
    """A complete `HC1:` text carrying a DDCC:VS, signed by `signer`."""
    chosen = options or DccOptions()
    cwt = ddcc_cwt(
        payload, issued_at, expires, subclaim=subclaim, issuer_country=chosen.issuer_country
    )
    cose = build_cose(signer, {}, issued_at, expires, chosen, payload=cwt)
    return encode_hc1(cose, compress=chosen.compress)
