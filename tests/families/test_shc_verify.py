"""SMART Health Cards end to end: the test issuer signs real cards, a real cache holds its JWKS,
and `Verifier` gives the verdict with a reason code for each check."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from shc_helpers import codes, issue_valid

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.issuer.shc import (
    ShcIssuer,
    ShcOptions,
    card_payload,
    deflate_raw,
    lab_bundle,
    make_shc_issuer,
    numeric_text,
    sign_jws,
    vaccination_bundle,
)
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.rules.profiles import resolve_profile
from station.trust.index import TrustIndex
from station.verify import shc
from station.verify.shc_decode import decode_numeric
from station.verify.verifier import Verifier

pytest_plugins = ["shc_fixtures"]


def test_valid_card_reads_holder_and_vaccinations(shc_verifier, shc_issuer, now):
    result = shc_verifier.verify(issue_valid(shc_issuer, now))
    assert result.status is Status.VALID and result.format == "shc"
    assert list(codes(result)) == list(shc.CHECK_NAMES)
    assert codes(result)["revocation"] == Reason.NOT_APPLICABLE  # no rid on this card
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Nguyễn, Văn An", "1990-05-17")
    assert result.details["issuer"] == shc_issuer.iss
    assert result.details["kid"] == shc_issuer.kid
    assert result.details["immunizations"] == [
        {"vaccine": "http://hl7.org/fhir/sid/cvx|208", "date": "2021-09-01", "status": "completed"},
        {"vaccine": "http://hl7.org/fhir/sid/cvx|208", "date": "2021-10-01", "status": "completed"},
    ]
    assert result.payload is not None and result.payload["iss"] == shc_issuer.iss


def test_lab_result_is_summarised(shc_verifier, shc_issuer, now):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, fhir_bundle=lab_bundle()))
    assert result.valid
    assert result.details["observations"] == [
        {
            "test": "http://loinc.org|94558-4",
            "date": "2026-05-30T08:00:00+07:00",
            "status": "final",
            "result": "http://snomed.info/sct|260385009",
        }
    ]
    assert result.holder is not None and result.holder.name == "Trần, Thị Bình"


def test_expired_card(shc_verifier, shc_issuer, now):
    text = issue_valid(shc_issuer, now, nbf=now - timedelta(days=400), exp=now - timedelta(days=1))
    result = shc_verifier.verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.EXPIRED)
    assert codes(result)["signature"] == Reason.OK and codes(result)["validity"] == Reason.EXPIRED


def test_card_without_exp_does_not_expire(shc_verifier, shc_issuer, now):
    text = issue_valid(shc_issuer, now, nbf=now - timedelta(days=3000), exp=None)
    assert shc_verifier.verify(text).valid


def test_not_yet_valid_card_beyond_the_clock_skew(shc_verifier, shc_issuer, now):
    early = issue_valid(shc_issuer, now, nbf=now + timedelta(hours=1))
    result = shc_verifier.verify(early)
    assert (result.status, codes(result)["validity"]) == (Status.INVALID, Reason.NOT_YET_VALID)
    within_skew = issue_valid(shc_issuer, now, nbf=now + timedelta(seconds=200))
    assert shc_verifier.verify(within_skew).valid


def _swap_jws_char(text: str, position: int) -> str:
    """The card with the JWS character at `position` replaced by another base64url letter."""
    jws = decode_numeric(text[len("shc:/") :])
    replacement = "B" if jws[position] != "B" else "C"
    return numeric_text(jws[:position] + replacement + jws[position + 1 :])


def test_tampered_payload_fails_the_signature_before_inflating(shc_verifier, shc_issuer, now):
    text = issue_valid(shc_issuer, now)
    jws = decode_numeric(text[len("shc:/") :])
    middle_of_payload = jws.index(".") + (jws.rindex(".") - jws.index(".")) // 2
    result = shc_verifier.verify(_swap_jws_char(text, middle_of_payload))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNATURE_INVALID)
    assert result.check("inflate").code == Reason.NOT_REACHED  # never inflated unverified bytes


def test_tampered_signature(shc_verifier, shc_issuer, now):
    text = issue_valid(shc_issuer, now)
    jws = decode_numeric(text[len("shc:/") :])
    result = shc_verifier.verify(_swap_jws_char(text, jws.rindex(".") + 10))
    assert result.reason == Reason.SIGNATURE_INVALID


def test_resigned_payload_with_another_name_is_refused(shc_verifier, shc_issuer, stranger, now):
    """A forger who edits the payload must re-sign it, with a key the station does not know."""
    forged = ShcIssuer(shc_issuer.iss, stranger.key)
    text = issue_valid(forged, now, options=ShcOptions(kid=shc_issuer.kid))
    assert shc_verifier.verify(text).reason == Reason.SIGNATURE_INVALID


def test_unknown_issuer(shc_verifier, stranger, now):
    result = shc_verifier.verify(issue_valid(stranger, now))
    assert (result.status, result.reason) == (Status.INVALID, Reason.KID_UNKNOWN)
    assert result.check("inflate").code == Reason.NOT_REACHED


@pytest.mark.parametrize(
    ("cutoff", "revoked"),
    [
        (None, True),  # revoked outright
        (+3600, True),  # every card of this rid issued before the cut-off
        (0, True),  # issued during the cut-off second itself
        (-3600, False),  # a card re-issued after the revocation stays good
    ],
)
def test_revoked_rid(shc_cache, shc_verifier, shc_issuer, now, cutoff, revoked):
    nbf = now - timedelta(days=1)
    text = issue_valid(shc_issuer, now, nbf=nbf, rid="vwAjHdarZuc")
    at = None if cutoff is None else int(nbf.timestamp()) + cutoff
    IssuerKeyCache(shc_cache).add_revocations(
        "shc", shc_issuer.iss, shc_issuer.kid, [("vwAjHdarZuc", at)]
    )
    result = shc_verifier.verify(text)
    assert codes(result)["revocation"] == (Reason.REVOKED if revoked else Reason.OK)
    assert result.status is (Status.INVALID if revoked else Status.VALID)


def test_revocation_of_another_rid_or_key_does_not_touch_the_card(
    shc_cache, shc_verifier, shc_issuer, now
):
    text = issue_valid(shc_issuer, now, rid="AQPCj4wwk6Mt")
    keys = IssuerKeyCache(shc_cache)
    keys.add_revocations("shc", shc_issuer.iss, shc_issuer.kid, [("lHKzqFUMjhs", None)])
    keys.add_revocations("shc", shc_issuer.iss, "another-kid", [("AQPCj4wwk6Mt", None)])
    assert codes(shc_verifier.verify(text))["revocation"] == Reason.OK


@pytest.mark.parametrize("alg", ["none", "HS256", "RS256", "ES384", "ES512", "PS256", "es256"])
def test_algorithms_other_than_es256_are_refused(shc_verifier, shc_issuer, now, alg):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, options=ShcOptions(alg=alg)))
    assert (result.status, result.reason) == (Status.INVALID, Reason.ALG_UNSUPPORTED)
    assert result.check("signature").code == Reason.ALG_UNSUPPORTED


def test_missing_alg(shc_verifier, shc_issuer, now):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, options=ShcOptions(alg="")))
    assert result.reason == Reason.ALG_MISSING


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (ShcOptions(zip=None), Reason.NOT_COMPRESSED),
        (ShcOptions(zip="GZIP"), Reason.NOT_COMPRESSED),
        (ShcOptions(compress="zlib"), Reason.DECOMPRESS_FAILED),
    ],
)
def test_payload_must_be_raw_deflate(shc_verifier, shc_issuer, now, options, reason):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, options=options))
    assert codes(result)["signature"] == Reason.OK  # signed by the trusted key...
    assert (result.status, codes(result)["inflate"]) == (Status.INVALID, reason)  # ...but not DEF


def test_uncompressed_payload_under_zip_def_is_refused(shc_verifier, shc_issuer, now):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, options=ShcOptions(compress="none")))
    assert result.status is Status.INVALID and result.check("inflate").ok is False


@pytest.mark.parametrize(
    ("kid", "reason"),
    [("", Reason.KID_MISSING), ("not a thumbprint!", Reason.KID_INVALID)],
)
def test_kid_must_be_present_and_well_formed(shc_verifier, shc_issuer, now, kid, reason):
    result = shc_verifier.verify(issue_valid(shc_issuer, now, options=ShcOptions(kid=kid)))
    assert result.reason == reason


def test_der_encoded_signature_is_an_error(shc_verifier, shc_issuer, now):
    text = issue_valid(shc_issuer, now, options=ShcOptions(der_signature=True))
    result = shc_verifier.verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNATURE_MALFORMED)


def test_card_naming_another_issuer_than_its_key(shc_verifier, shc_issuer, now):
    """The trusted key signed a card whose `iss` is some other URL: not this issuer's card."""
    claiming_other = ShcIssuer("https://impostor.example.org", shc_issuer.key)
    result = shc_verifier.verify(issue_valid(claiming_other, now))
    assert codes(result)["signature"] == Reason.OK
    assert (result.status, result.reason) == (Status.INVALID, Reason.SHC_ISSUER_MISMATCH)


def test_issuer_url_is_compared_exactly(shc_verifier, shc_issuer, now):
    trailing_slash = ShcIssuer(shc_issuer.iss + "/", shc_issuer.key)
    assert (
        shc_verifier.verify(issue_valid(trailing_slash, now)).reason == Reason.SHC_ISSUER_MISMATCH
    )


def _trust_with(tmp_path: Path, now: datetime, issuer: str, jwk: dict[str, str]) -> Verifier:
    cache = open_cache(tmp_path / "other.sqlite")
    IssuerKeyCache(cache).import_keys("shc", issuer, [jwk])
    return Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))


def test_key_filed_under_another_kid_is_never_used(tmp_path, shc_issuer, stranger, now):
    """The stranger's key stored under the genuine kid: without the thumbprint check, the
    stranger's cards would verify as the genuine issuer's."""
    misfiled = {**stranger.public_jwk(), "kid": shc_issuer.kid}
    verifier = _trust_with(tmp_path, now, shc_issuer.iss, misfiled)
    forged = issue_valid(
        ShcIssuer(shc_issuer.iss, stranger.key), now, options=ShcOptions(kid=shc_issuer.kid)
    )
    result = verifier.verify(forged)
    assert (result.status, result.reason) == (Status.INVALID, Reason.SHC_KEY_THUMBPRINT_MISMATCH)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"use": "enc"}, Reason.KEY_USAGE_MISMATCH),
        ({"alg": "ES384"}, Reason.KEY_ALG_MISMATCH),
        ({"crv": "P-384"}, Reason.KEY_ALG_MISMATCH),
        ({"kty": "RSA"}, Reason.KEY_ALG_MISMATCH),
        ({"x": "A" * 43}, Reason.KEY_ALG_MISMATCH),  # not a point on the curve
    ],
)
def test_unusable_stored_keys(tmp_path, shc_issuer, now, change, reason):
    verifier = _trust_with(tmp_path, now, shc_issuer.iss, {**shc_issuer.public_jwk(), **change})
    assert verifier.verify(issue_valid(shc_issuer, now)).reason == reason


def test_same_key_under_two_issuers(tmp_path, shc_issuer, now):
    cache = open_cache(tmp_path / "two.sqlite")
    keys = IssuerKeyCache(cache)
    keys.import_keys("shc", "https://a.example.org", shc_issuer.jwks()["keys"])
    keys.import_keys("shc", shc_issuer.iss, shc_issuer.jwks()["keys"])
    verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
    assert verifier.verify(issue_valid(shc_issuer, now)).valid


def test_no_issuer_keys_asks_for_a_manual_check(shc_issuer, now, tmp_path):
    text = issue_valid(shc_issuer, now)
    only_dcc_signers = Verifier(TrustSources(TrustIndex([])), FixedClock(now))
    result = only_dcc_signers.verify(text)
    assert (result.status, result.reason) == (
        Status.CHECK_MANUALLY,
        Reason.SHC_ISSUER_KEYS_UNAVAILABLE,
    )
    empty_cache = open_cache(tmp_path / "empty.sqlite")
    empty = Verifier(CachedTrust(empty_cache, FixedClock(now)).sources(), FixedClock(now))
    assert empty.verify(text).reason == Reason.SHC_ISSUER_KEYS_UNAVAILABLE
    forged_alg = issue_valid(shc_issuer, now, options=ShcOptions(alg="none"))
    assert only_dcc_signers.verify(forged_alg).status is Status.INVALID  # refused, not "check"


def test_a_rules_profile_asks_for_a_manual_check(shc_trust, shc_issuer, now):
    config = VerifierConfig(rules=resolve_profile("checkpoint"))
    result = Verifier(shc_trust, FixedClock(now), config).verify(issue_valid(shc_issuer, now))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.NO_RULES_APPLY)


def _signed_payload(issuer: ShcIssuer, payload: object) -> str:
    raw = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return numeric_text(sign_jws(issuer, deflate_raw(raw), ShcOptions()))


def _claims(issuer: ShcIssuer, now: datetime, **changes: object) -> dict[str, object]:
    payload = card_payload(issuer.iss, vaccination_bundle(), nbf=now - timedelta(days=1))
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not None}


@pytest.mark.parametrize(
    ("build", "check", "reason"),
    [
        (lambda i, n: _claims(i, n, nbf=None), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, nbf="2026-01-01"), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, nbf=True), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, exp=-5), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, iss=None), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, iss=42), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: _claims(i, n, vc=None), "payload", Reason.PAYLOAD_MISSING),
        (lambda i, n: _claims(i, n, vc={"type": []}), "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: [1, 2, 3], "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: b'{"iss":"a","iss":"b"}', "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: b'{"nbf":NaN}', "payload", Reason.SHC_PAYLOAD_INVALID),
        (lambda i, n: b"\xff\xfe", "payload", Reason.SHC_PAYLOAD_INVALID),
    ],
)
def test_signed_but_malformed_payloads(shc_verifier, shc_issuer, now, build, check, reason):
    result = shc_verifier.verify(_signed_payload(shc_issuer, build(shc_issuer, now)))
    assert codes(result)["signature"] == Reason.OK
    assert (result.status, codes(result)[check]) == (Status.INVALID, reason)


def test_malformed_rid_fails_the_revocation_check(shc_verifier, shc_issuer, now):
    payload = _claims(shc_issuer, now)
    payload["vc"]["rid"] = {"not": "a string"}  # type: ignore[index]
    result = shc_verifier.verify(_signed_payload(shc_issuer, payload))
    assert codes(result)["revocation"] == Reason.SHC_PAYLOAD_INVALID


def test_scan_makes_no_network_io(shc_verifier, shc_issuer, now, monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network I/O during a scan")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert shc_verifier.verify(issue_valid(shc_issuer, now)).valid


def test_failure_details_carry_no_personal_data(shc_verifier, shc_issuer, stranger, now):
    texts = [
        issue_valid(shc_issuer, now, exp=now - timedelta(seconds=1), nbf=now - timedelta(days=9)),
        issue_valid(stranger, now),
        issue_valid(ShcIssuer("https://x.example", shc_issuer.key), now),
    ]
    for text in texts:
        result = shc_verifier.verify(text)
        assert not result.valid
        for check in result.checks:
            assert "Nguyễn" not in check.message and "1990-05-17" not in check.message


def test_stale_data_under_the_refuse_policy(shc_cache, shc_issuer, now):
    class Stale:
        stale = True

        def to_json(self) -> dict[str, object]:
            return {"stale": True}

    trust = CachedTrust(shc_cache, FixedClock(now)).sources()
    trust = replace(trust, health=lambda: Stale())
    config = VerifierConfig(stale_data_policy="refuse")
    result = Verifier(trust, FixedClock(now), config).verify(issue_valid(shc_issuer, now))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.DATA_STALE)
    assert result.details["data"] == {"stale": True}


def test_a_new_key_for_the_issuer(shc_cache: CacheDatabase, shc_verifier, shc_issuer, now):
    """Issuers rotate keys yearly: a second key under the same issuer works alongside the first."""
    rotated = ShcIssuer(shc_issuer.iss, make_shc_issuer().key)
    IssuerKeyCache(shc_cache).import_keys("shc", shc_issuer.iss, rotated.jwks()["keys"])
    assert shc_verifier.verify(issue_valid(rotated, now)).valid
    assert shc_verifier.verify(issue_valid(shc_issuer, now)).valid
