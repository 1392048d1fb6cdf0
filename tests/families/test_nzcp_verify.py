"""NZ COVID Pass verdicts end to end: passes issued with a real P-256 key, keys imported into a
real cache from the issuer's DID document, verified by `Verifier` at a fixed instant."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from nzcp_helpers import issue_claims, issue_valid, valid_claims

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.config import VerifierConfig
from station.issuer.nzcp import NzcpOptions, encode_nzcp, issue_nzcp, new_issuer, public_covid_pass
from station.model import VerificationResult
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.rules.profiles import resolve_profile
from station.trust.index import TrustIndex
from station.verify import nzcp
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

pytest_plugins = ["nzcp_fixtures"]


def failed(result: VerificationResult) -> list[tuple[str, str]]:
    return [(check.name, str(check.code)) for check in result.failed_checks]


def cose_of(text: str) -> Any:
    body = text.split("/", 2)[2]
    return decode_cbor(base64.b32decode(body + "=" * (-len(body) % 8)))


# --- valid passes ------------------------------------------------------------------------------


def test_valid_pass_passes_every_check_and_names_its_holder(nzcp_verifier, nzcp_issuer, now):
    cti = bytes(range(16))
    result = nzcp_verifier.verify(issue_valid(nzcp_issuer, now, cti=cti))
    assert result.status is Status.VALID and result.format == "nzcp"
    assert [c.name for c in result.checks] == list(nzcp.CHECK_NAMES)
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Nguyễn, Văn An", "1990-05-17")
    assert result.details["credential_id"] == "urn:uuid:00010203-0405-0607-0809-0a0b0c0d0e0f"
    assert result.details["issuer"] == nzcp_issuer.did and result.details["kid"] == "key-1"
    assert result.payload is not None and result.payload["type"][1] == "PublicCovidPass"


@pytest.mark.parametrize("kid_in", ["bytes", "text"])
def test_kid_is_accepted_as_text_or_bytes(nzcp_verifier, nzcp_issuer, now, kid_in):
    text = issue_valid(nzcp_issuer, now, options=NzcpOptions(kid_in=kid_in))
    kid = cose_of(text).value[0]
    assert isinstance(decode_cbor(kid)[4], bytes if kid_in == "bytes" else str)
    assert nzcp_verifier.verify(text).valid


def test_family_name_is_optional(nzcp_verifier, nzcp_issuer, now):
    result = nzcp_verifier.verify(issue_valid(nzcp_issuer, now, public_covid_pass(family=None)))
    assert result.valid and result.holder is not None and result.holder.name == "Văn An"


def test_production_issuer_is_trusted_without_any_opt_in(tmp_path: Path, now):
    """The pinned issuer needs only its keys; the test issuer's opt-in is not involved."""
    production = new_issuer(did=nzcp.PRODUCTION_ISSUER, kid="z12Kf7UQ")
    assert nzcp.TEST_ISSUER not in nzcp.TRUSTED_ISSUERS
    with open_cache(tmp_path / "cache.sqlite") as cache:
        keys = jwks_from_did_document(production.did_document())["keys"]
        IssuerKeyCache(cache).import_keys("nzcp", nzcp.PRODUCTION_ISSUER, keys)
        verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
        assert verifier.verify(issue_valid(production, now)).valid


# --- validity period ---------------------------------------------------------------------------


def test_expired_pass_is_invalid_from_the_second_of_expiry(nzcp_verifier, nzcp_issuer, now):
    text = issue_valid(nzcp_issuer, now)
    expiry = now + timedelta(days=100)
    assert nzcp_verifier.verify(text, at=expiry - timedelta(seconds=1)).valid
    result = nzcp_verifier.verify(text, at=expiry)
    assert result.status is Status.INVALID and failed(result) == [("validity", "EXPIRED")]


def test_not_yet_active_pass_is_invalid_beyond_the_clock_skew(nzcp_verifier, nzcp_issuer, now):
    def starting_in(seconds: int) -> str:
        start = now + timedelta(seconds=seconds)
        return issue_nzcp(nzcp_issuer, not_before=start, expires=start + timedelta(days=30))

    assert nzcp_verifier.verify(starting_in(240)).valid  # a clock a few minutes behind
    result = nzcp_verifier.verify(starting_in(3600))
    assert result.status is Status.INVALID and failed(result) == [("validity", "NOT_YET_VALID")]


@pytest.mark.parametrize(
    ("claim", "value", "reason"),
    [
        (5, None, "CWT_CLAIM_MISSING"),
        (4, None, "CWT_CLAIM_MISSING"),
        (5, 1.5e9, "CWT_CLAIM_INVALID"),
        (4, True, "CWT_CLAIM_INVALID"),
        (4, "2030-01-01", "CWT_CLAIM_INVALID"),
        (4, 2**60, "CWT_CLAIM_INVALID"),
        (5, -1, "CWT_CLAIM_INVALID"),
    ],
)
def test_dates_must_be_whole_numeric_dates(nzcp_verifier, nzcp_issuer, now, claim, value, reason):
    claims = valid_claims(nzcp_issuer, now)
    if value is None:
        del claims[claim]
    else:
        claims[claim] = value
    result = nzcp_verifier.verify(issue_claims(nzcp_issuer, claims))
    assert result.status is Status.INVALID and failed(result) == [("validity", reason)]


# --- tampering and signatures ------------------------------------------------------------------


def test_altered_name_breaks_the_signature(nzcp_verifier, nzcp_issuer, now):
    cose = cose_of(issue_valid(nzcp_issuer, now)).value
    payload = cose[2].replace("Văn An".encode(), "Văn Ba".encode())
    assert payload != cose[2]
    text = encode_nzcp(encode_cbor(Tagged(18, [cose[0], cose[1], payload, cose[3]])))
    result = nzcp_verifier.verify(text)
    assert result.status is Status.INVALID and failed(result) == [
        ("signature", "SIGNATURE_INVALID")
    ]
    assert result.holder is not None and result.holder.given_name == "Văn Ba"


def test_altered_signature_and_empty_signature_are_refused(nzcp_verifier, nzcp_issuer, now):
    cose = cose_of(issue_valid(nzcp_issuer, now)).value
    flipped = bytes([cose[3][0] ^ 1]) + cose[3][1:]
    for signature, reason in ((flipped, "SIGNATURE_INVALID"), (b"", "SIGNATURE_MALFORMED")):
        text = encode_nzcp(encode_cbor(Tagged(18, [cose[0], cose[1], cose[2], signature])))
        assert failed(nzcp_verifier.verify(text)) == [("signature", reason)]


def test_impostor_key_under_the_trusted_did_and_kid_is_refused(nzcp_verifier, nzcp_issuer, now):
    impostor = new_issuer(did=nzcp_issuer.did, kid=nzcp_issuer.kid)
    result = nzcp_verifier.verify(issue_valid(impostor, now))
    assert result.status is Status.INVALID and failed(result) == [
        ("signature", "SIGNATURE_INVALID")
    ]


def test_unknown_key_id_of_a_known_issuer_is_refused(nzcp_verifier, nzcp_issuer, now):
    stranger = new_issuer(did=nzcp_issuer.did, kid="key-9")
    result = nzcp_verifier.verify(issue_valid(stranger, now))
    assert result.status is Status.INVALID and failed(result) == [("signature", "KID_UNKNOWN")]


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (NzcpOptions(alg=-37), "ALG_UNSUPPORTED"),  # PS256
        (NzcpOptions(alg=-35), "ALG_UNSUPPORTED"),  # ES384
        (NzcpOptions(alg=0), "ALG_UNSUPPORTED"),  # reserved: the nearest COSE has to "none"
        (NzcpOptions(alg="none"), "ALG_UNSUPPORTED"),
        (NzcpOptions(alg=True), "ALG_UNSUPPORTED"),
        (NzcpOptions(alg=None), "ALG_MISSING"),
        (NzcpOptions(alg_in_unprotected=True), "ALG_MISSING"),
        (NzcpOptions(kid_in="none"), "KID_MISSING"),
        (NzcpOptions(kid_in="unprotected"), "KID_MISSING"),
    ],
)
def test_algorithm_and_key_id_come_from_the_protected_header(
    nzcp_verifier, nzcp_issuer, now, options, reason
):
    result = nzcp_verifier.verify(issue_valid(nzcp_issuer, now, options=options))
    assert result.status is Status.INVALID and failed(result) == [("signature", reason)]


@pytest.mark.parametrize(("kid", "reason"), [(b"\xff\xfe", "KID_INVALID"), (7, "KID_INVALID")])
def test_malformed_key_ids_are_refused(nzcp_verifier, nzcp_issuer, now, kid, reason):
    cose = cose_of(issue_valid(nzcp_issuer, now)).value
    protected = encode_cbor({1: -7, 4: kid})
    text = encode_nzcp(encode_cbor(Tagged(18, [protected, {}, cose[2], cose[3]])))
    assert failed(nzcp_verifier.verify(text)) == [("signature", reason)]


@pytest.mark.parametrize("wrap", ["untagged", "cwt"])
def test_only_the_tag_18_form_is_accepted(nzcp_verifier, nzcp_issuer, now, wrap):
    tagged = cose_of(issue_valid(nzcp_issuer, now))
    item = tagged.value if wrap == "untagged" else Tagged(61, tagged)
    result = nzcp_verifier.verify(encode_nzcp(encode_cbor(item)))
    assert result.status is Status.INVALID and failed(result) == [("cose", "COSE_MALFORMED")]


# --- issuers and keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "issuer", ["did:web:nzcp.example.com", "https://nzcp.identity.health.nz", None, 42]
)
def test_issuer_off_the_allow_list_is_refused_before_any_key_lookup(
    nzcp_verifier, nzcp_issuer, now, issuer
):
    claims = valid_claims(nzcp_issuer, now)
    if issuer is None:
        del claims[1]
    else:
        claims[1] = issuer
    result = nzcp_verifier.verify(issue_claims(nzcp_issuer, claims))
    assert result.status is Status.INVALID
    assert failed(result) == [("issuer", "NZCP_ISSUER_UNTRUSTED")]
    assert result.check("signature").ok is None


def test_trusted_issuer_whose_keys_the_station_lacks_needs_a_manual_check(tmp_path: Path, now):
    production = new_issuer(did=nzcp.PRODUCTION_ISSUER)
    with open_cache(tmp_path / "cache.sqlite") as cache:
        verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
        result = verifier.verify(issue_valid(production, now))
    assert result.status is Status.CHECK_MANUALLY
    assert failed(result) == [("signature", "NZCP_ISSUER_KEYS_UNAVAILABLE")]


def test_without_an_issuer_key_store_the_verdict_says_so(nzcp_issuer, now, test_issuer_allowed):
    """`station verify --trust-cert` gives only EU signers: NZ passes cannot pass silently."""
    verifier = Verifier(TrustSources(TrustIndex()), FixedClock(now))
    result = verifier.verify(issue_valid(nzcp_issuer, now))
    assert result.status is Status.CHECK_MANUALLY
    assert failed(result) == [("signature", "NZCP_ISSUER_KEYS_UNAVAILABLE")]


def test_withdrawn_and_rotated_keys(nzcp_cache: CacheDatabase, nzcp_verifier, nzcp_issuer, now):
    """NZCP has no per-pass revocation: an issuer withdraws a key from its DID document."""
    text = issue_valid(nzcp_issuer, now)
    keys = IssuerKeyCache(nzcp_cache)
    rotated = new_issuer(did=nzcp_issuer.did, kid=nzcp_issuer.kid)
    keys.import_keys(
        "nzcp", nzcp_issuer.did, jwks_from_did_document(rotated.did_document())["keys"]
    )
    assert failed(nzcp_verifier.verify(text)) == [("signature", "SIGNATURE_INVALID")]
    keys.remove_issuer("nzcp", nzcp_issuer.did)
    result = nzcp_verifier.verify(text)
    assert failed(result) == [("signature", "NZCP_ISSUER_KEYS_UNAVAILABLE")]


# --- content -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cti", "valid"),
    [(None, False), (b"\x01" * 8, False), ("urn:uuid:x", False), (b"\0" * 16, True)],
)
def test_credential_id_is_sixteen_bytes(nzcp_verifier, nzcp_issuer, now, cti, valid):
    claims = valid_claims(nzcp_issuer, now)
    if cti is None:
        del claims[7]
    else:
        claims[7] = cti
    result = nzcp_verifier.verify(issue_claims(nzcp_issuer, claims))
    expected = [] if valid else [("cti", "NZCP_CREDENTIAL_ID_INVALID")]
    assert failed(result) == expected
    if valid:
        assert result.details["credential_id"] == uuid.UUID(bytes=cti).urn


@pytest.mark.parametrize(
    ("vc", "reason"),
    [
        (public_covid_pass(pass_type="MyVaccineCertificate"), "NZCP_PASS_TYPE_UNSUPPORTED"),
        (public_covid_pass(version="2.0.0"), "SCHEMA_INVALID"),
        (public_covid_pass(given=""), "SCHEMA_INVALID"),
        (public_covid_pass(given="x" * 101), "SCHEMA_INVALID"),
        (public_covid_pass(family="y" * 101), "SCHEMA_INVALID"),
        (public_covid_pass(dob="16/04/1960"), "SCHEMA_INVALID"),
        (public_covid_pass(dob="1960-02-30"), "SCHEMA_INVALID"),
        ({**public_covid_pass(), "@context": ["https://example.com/v1"]}, "SCHEMA_INVALID"),
        (
            {**public_covid_pass(), "@context": ["https://www.w3.org/2018/credentials/v1", 5]},
            "SCHEMA_INVALID",
        ),
        (public_covid_pass(family=["Doe"]), "SCHEMA_INVALID"),
        ({**public_covid_pass(), "type": ["PublicCovidPass"]}, "SCHEMA_INVALID"),
        ({**public_covid_pass(), "credentialSubject": "Jack"}, "SCHEMA_INVALID"),
        ({**public_covid_pass(), "evidence": b"\x00"}, "CWT_MALFORMED"),
        ("PublicCovidPass", "SCHEMA_INVALID"),
        (None, "PAYLOAD_MISSING"),
    ],
)
def test_vc_claim_must_be_a_public_covid_pass_1_0_0(nzcp_verifier, nzcp_issuer, now, vc, reason):
    claims = valid_claims(nzcp_issuer, now)
    if vc is None:
        del claims["vc"]
    else:
        claims["vc"] = vc
    result = nzcp_verifier.verify(issue_claims(nzcp_issuer, claims))
    assert result.status is Status.INVALID and failed(result) == [("payload", reason)]
    assert result.payload is None


def test_every_problem_is_reported_not_only_the_first(nzcp_verifier, nzcp_issuer, now):
    claims = valid_claims(nzcp_issuer, now)
    claims[4] = int((now - timedelta(days=2)).timestamp())
    claims[7] = b"short"
    claims["vc"] = public_covid_pass(pass_type="OtherPass")
    result = nzcp_verifier.verify(issue_claims(nzcp_issuer, claims, NzcpOptions(alg=-37)))
    assert failed(result) == [
        ("signature", "ALG_UNSUPPORTED"),
        ("validity", "EXPIRED"),
        ("cti", "NZCP_CREDENTIAL_ID_INVALID"),
        ("payload", "NZCP_PASS_TYPE_UNSUPPORTED"),
    ]


# --- station policy ----------------------------------------------------------------------------


def test_a_business_rule_profile_asks_for_a_manual_check(nzcp_trust, nzcp_issuer, now, monkeypatch):
    monkeypatch.setattr(nzcp, "TRUSTED_ISSUERS", nzcp.WITH_TEST_ISSUER)
    config = VerifierConfig(rules=resolve_profile("checkpoint"))
    result = Verifier(nzcp_trust, FixedClock(now), config).verify(issue_valid(nzcp_issuer, now))
    assert result.status is Status.CHECK_MANUALLY and result.reason == Reason.NO_RULES_APPLY
    assert result.check("signature").ok is True


@dataclass(frozen=True)
class StaleData:
    stale: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"state": "STALE", "stale": self.stale}


@pytest.mark.parametrize(("policy", "status"), [("warn", "VALID"), ("refuse", "CHECK_MANUALLY")])
def test_stale_data_follows_the_station_policy(
    nzcp_trust, nzcp_issuer, now, test_issuer_allowed, policy, status
):
    trust = TrustSources(nzcp_trust.signers, issuer_keys=nzcp_trust.issuer_keys, health=StaleData)
    config = VerifierConfig(stale_data_policy=policy)
    result = Verifier(trust, FixedClock(now), config).verify(issue_valid(nzcp_issuer, now))
    assert result.status == status and result.details["data"]["stale"] is True


def test_verdicts_do_not_depend_on_the_station_clock(nzcp_verifier, nzcp_issuer, now):
    text = issue_valid(nzcp_issuer, now)
    later = datetime(2040, 1, 1, tzinfo=now.tzinfo)
    assert nzcp_verifier.verify(text, at=later).reason == Reason.EXPIRED
    assert nzcp_verifier.verify(text).valid
