"""The SMART Health Card stage functions on their own: numeric digits, base64url, the compact
JWS, stored issuer keys, the payload claims and the FHIR summary."""

from __future__ import annotations

import json

import pytest

from station.errors import Reject
from station.issuer.shc import encode_numeric, lab_result, make_shc_issuer
from station.reasons import Reason
from station.verify.shc_decode import b64url_decode, decode_numeric, parse_jws, shown
from station.verify.shc_fhir import holder_from_bundle, summarize
from station.verify.shc_payload import parse_claims
from station.verify.shc_signature import jwk_thumbprint, public_key_for


def test_every_jws_character_round_trips():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    digits = encode_numeric(alphabet)
    assert len(digits) == 2 * len(alphabet) and decode_numeric(digits) == alphabet
    assert encode_numeric("-z") == "0077"


@pytest.mark.parametrize(
    "digits", ["", "5", "567", "78", "99", "5a", "56 76", "５６", "\u0665\u0666", "56\n"]
)
def test_malformed_digits(digits):
    with pytest.raises(Reject) as refused:
        decode_numeric(digits)
    assert refused.value.reason == Reason.SHC_NUMERIC_INVALID


def test_base64url_is_strict():
    assert b64url_decode("AQID", "part") == b"\x01\x02\x03"
    for text in ("AQID=", "AQ+D", "AQ/D", "A", "AQ I", "AR"):  # "AR": spare bits set
        with pytest.raises(Reject) as refused:
            b64url_decode(text, "part")
        assert refused.value.reason == Reason.SHC_JWS_MALFORMED


def test_empty_payload_part():
    with pytest.raises(Reject) as refused:
        parse_jws("eyJhbGciOiJFUzI1NiJ9..AAAA")
    assert "empty payload" in refused.value.detail


def test_shown_values_are_bounded():
    assert shown("ES256") == "'ES256'"
    assert len(shown("x" * 500)) == 24
    assert shown({"a": 1}) == "dict" and shown(None) == "None"


@pytest.fixture(scope="module")
def jwk() -> dict[str, str]:
    return make_shc_issuer().public_jwk()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"d": "secret"}, Reason.KEY_ALG_MISMATCH),
        ({"x": None}, Reason.KEY_ALG_MISMATCH),
        ({"x": "short"}, Reason.KEY_ALG_MISMATCH),
        ({"y": "!" * 43}, Reason.KEY_ALG_MISMATCH),
        ({"kid": "another"}, Reason.SHC_KEY_THUMBPRINT_MISMATCH),
    ],
)
def test_stored_key_checks(jwk, change, reason):
    with pytest.raises(Reject) as refused:
        public_key_for({**jwk, **change}, jwk["kid"])
    assert refused.value.reason == reason


def test_thumbprint_is_over_the_required_members_only(jwk):
    assert jwk["kid"] == jwk_thumbprint(jwk["x"], jwk["y"])
    assert public_key_for({**jwk, "x5c": ["ignored"]}, jwk["kid"]) is not None


def _claims(**changes: object) -> bytes:
    bundle = {"resourceType": "Bundle", "entry": []}
    vc = {
        "type": ["https://smarthealth.cards#health-card"],
        "credentialSubject": {"fhirBundle": bundle},
    }
    payload: dict[str, object] = {"iss": "https://a.example", "nbf": 1, "vc": vc, **changes}
    return json.dumps({k: v for k, v in payload.items() if v is not None}).encode()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_claims(iss="x" * 513), Reason.SHC_PAYLOAD_INVALID),
        (_claims(nbf=2.0**60), Reason.SHC_PAYLOAD_INVALID),
        (_claims(exp="tomorrow"), Reason.SHC_PAYLOAD_INVALID),
        (_claims(vc={"type": "https://smarthealth.cards#health-card"}), Reason.SHC_PAYLOAD_INVALID),
        (_claims(vc={"type": ["https://smarthealth.cards#health-card"]}), Reason.PAYLOAD_MISSING),
        (
            _claims(
                vc={"type": ["https://smarthealth.cards#health-card"], "credentialSubject": {}}
            ),
            Reason.PAYLOAD_MISSING,
        ),
        (
            _claims(
                vc={
                    "type": ["https://smarthealth.cards#health-card"],
                    "credentialSubject": {"fhirBundle": {"resourceType": "Patient"}},
                }
            ),
            Reason.SHC_PAYLOAD_INVALID,
        ),
    ],
)
def test_claims_that_are_refused(raw, reason):
    with pytest.raises(Reject) as refused:
        parse_claims(raw)
    assert refused.value.reason == reason


def test_claims_read_as_given():
    claims = parse_claims(_claims(nbf=1617976270.189, exp=1700000000))
    assert (claims.not_before, claims.expires, claims.rid) == (1617976270.189, 1700000000.0, None)


def test_fhir_summary_of_odd_bundles():
    odd = {
        "entry": [
            "not an entry",
            {"resource": "not a resource"},
            {"resource": {"resourceType": "Patient", "name": "Nguyễn"}},
            {
                "resource": {
                    **lab_result("94558-4", "2026-05-30", "260385009"),
                    "valueCodeableConcept": None,
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "code": {"coding": [{"code": "x"}]},
                    "valueString": "neg",
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "valueQuantity": {"value": 5.1, "unit": "mmol/L"},
                }
            },
        ]
    }
    holder = holder_from_bundle(odd)
    assert holder is not None and (holder.name, holder.date_of_birth) == ("", "")
    results = [o["result"] for o in summarize(odd)["observations"]]
    assert results == ["", "neg", "5.1 mmol/L"]
    assert summarize(odd)["observations"][1]["test"] == "x"
    assert holder_from_bundle({"entry": []}) is None
