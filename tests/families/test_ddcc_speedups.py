"""The HC1 `cbor` stage decodes the claims once and picks the EU or the WHO reader up front.

It must give what "the EU reader, then the WHO reader if the EU one finds no EU sub-claim"
gives, each reader decoding the payload itself: the same claims, or the same refusal (reason
and detail).  Checked over every combination of where the certificate sits in -260 and what is
wrong with the claims around it, including the orders in which two faults could be reported.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.errors import Reject
from station.issuer.dcc import vaccination_payload
from station.issuer.ddcc import core_data_set
from station.reasons import Reason
from station.verify import dcc_decode, ddcc_decode

ISSUED_AT = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())
EXPIRES = int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())
WHO, EU = core_data_set(), vaccination_payload()
MISSING = object()

#: What the hcert claim (-260) holds.
HCERT: dict[str, Any] = {
    "EU certificate": {1: EU},
    "WHO data set in the EU slot": {1: WHO},
    "WHO sub-claim 2": {2: WHO},
    "WHO sub-claim 3": {3: WHO},
    "WHO sub-claims 2 and 3": {2: WHO, 3: WHO},
    "EU slot and WHO sub-claim 2": {1: EU, 2: WHO},
    "unknown sub-claim": {7: WHO},
    "empty": {},
    "not a map": [WHO],
    "absent": MISSING,
    "WHO sub-claim with binary data": {2: {**WHO, "name": b"\x00"}},
    "WHO sub-claim with a tagged date": {2: {**WHO, "birthDate": Tagged(1004, "1990-05-17")}},
    "WHO sub-claim that is text": {2: "name"},
}
#: What is wrong with the claims around it.
CLAIMS: dict[str, dict[int, Any]] = {
    "sound": {},
    "issuer not text": {1: 704},
    "no issued-at": {6: MISSING},
    "expiry as text": {4: "2026-07-01"},
    "negative issued-at": {6: -1},
}


def _payload(hcert: Any, faults: dict[int, Any]) -> bytes:
    claims: dict[int, Any] = {1: "VN", 4: EXPIRES, 6: ISSUED_AT, -260: hcert}
    claims.update(faults)
    return encode_cbor({key: value for key, value in claims.items() if value is not MISSING})


def _eu_then_who(payload: bytes) -> dcc_decode.CwtClaims:
    """The reading the stage must match: each reader on its own, EU first."""
    try:
        return dcc_decode.parse_cwt(payload)
    except Reject as refusal:
        if refusal.reason is not Reason.PAYLOAD_MISSING:
            raise
        try:
            return ddcc_decode.parse_ddcc_cwt(payload)
        except Reject as exc:
            if exc.reason is Reason.PAYLOAD_MISSING:
                raise refusal from None
            raise


def _outcome(read: Any, payload: bytes) -> tuple[Any, ...]:
    try:
        claims = read(payload)
    except Reject as exc:
        return ("refused", exc.reason, exc.detail)
    return ("read", type(claims).__name__, repr(claims))


@pytest.mark.parametrize(("hcert", "faults"), list(itertools.product(HCERT, CLAIMS)))
def test_one_decode_reads_like_the_eu_reader_then_the_who_reader(hcert, faults):
    payload = _payload(HCERT[hcert], CLAIMS[faults])
    expected = _outcome(_eu_then_who, payload)
    assert _outcome(ddcc_decode.parse_hcert_claims, payload) == expected
    if faults != "sound":  # a claim fault is reported before anything inside -260
        assert expected[1] in {Reason.CWT_CLAIM_INVALID, Reason.CWT_CLAIM_MISSING}


@pytest.mark.parametrize("subclaim", [1, 2, 3])
def test_the_who_data_set_is_read_from_every_subclaim(subclaim):
    claims = ddcc_decode.parse_hcert_claims(_payload({subclaim: WHO}, {}))
    assert ddcc_decode.is_ddcc(claims)
    assert claims.certificate == WHO
    assert (claims.issuer, claims.issued_at, claims.expires) == ("VN", ISSUED_AT, EXPIRES)


def test_two_who_subclaims_with_a_sound_frame_are_ambiguous():
    with pytest.raises(Reject) as caught:
        ddcc_decode.parse_hcert_claims(_payload({2: WHO, 3: WHO}, {}))
    assert caught.value.reason is Reason.CWT_MALFORMED
