"""WHO DDCC:VS in the HC1 container, verified end to end with real keys and signatures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ddcc_helpers import edit_claims, pass_hashes

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.revocations import RevocationCache, RevocationEntry
from station.cache.signers import SignerCache
from station.cache.sync_state import SyncStateStore
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.issuer.dcc import DccOptions, issue_dcc, vaccination_payload
from station.issuer.ddcc import core_data_set
from station.issuer.pki import make_signer
from station.reasons import Reason, Status
from station.rules.profiles import profile_by_name
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify import ddcc
from station.verify.revocation import HashType
from station.verify.verifier import Verifier

pytest_plugins = ["ddcc_fixtures"]


@pytest.mark.parametrize("subclaim", [1, 2, 3])
def test_valid_pass_under_every_who_subclaim(ddcc_verifier, issue, subclaim):
    result = ddcc_verifier.verify(issue(subclaim=subclaim))
    assert (result.status, result.format) == (Status.VALID, "ddcc")
    assert [check.name for check in result.checks] == list(ddcc.CHECK_NAMES)
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Nguyễn Văn An", "1990-05-17")
    assert result.details["hcert_subclaim"] == subclaim
    assert result.details["vaccination"] == {
        "vaccine": "XM0GQ8",
        "brand": "XM8NQ0",
        "dose": 2,
        "total_doses": 2,
        "date": "2021-11-02",
        "country": "VNM",
    }
    assert result.payload is not None and result.payload["certificate"]["hcid"]["value"]


def test_ps256_signer_is_accepted(ddcc_verifier, issue, ps256_signer):
    assert ddcc_verifier.verify(issue(signer=ps256_signer)).status is Status.VALID


def test_eu_certificates_still_take_the_eu_path(ddcc_verifier, es256_signer, now):
    text = issue_dcc(
        es256_signer,
        vaccination_payload(),
        issued_at=now - timedelta(days=1),
        expires=now + timedelta(days=10),
    )
    result = ddcc_verifier.verify(text)
    assert (result.format, result.status) == ("dcc", Status.VALID)


def test_expired_pass(ddcc_verifier, issue, now):
    result = ddcc_verifier.verify(
        issue(issued_at=now - timedelta(days=400), expires=now - timedelta(days=1))
    )
    assert (result.status, result.reason) == (Status.INVALID, Reason.EXPIRED)
    assert result.holder is not None  # the guard still sees whose pass it was


def test_certificate_period_that_ended_expires_the_pass(ddcc_verifier, issue):
    result = ddcc_verifier.verify(issue(core_data_set(valid_until="2026-01-31")))
    check = result.check("expiry")
    assert check is not None and check.code == Reason.EXPIRED
    assert "valid until 2026-01-31" in check.message


def test_pass_issued_in_the_future_is_not_yet_valid(ddcc_verifier, issue, now):
    result = ddcc_verifier.verify(issue(issued_at=now + timedelta(days=2)))
    assert (result.status, result.reason) == (Status.INVALID, Reason.NOT_YET_VALID)


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (core_data_set(valid_from="2026-07-01"), "certificate valid from 2026-07-01"),
        (core_data_set(vaccination_valid_from="2026-06-15"), "vaccination counts from"),
    ],
)
def test_who_validity_dates_in_the_future(ddcc_verifier, issue, payload, detail):
    check = ddcc_verifier.verify(issue(payload)).check("expiry")
    assert check is not None and check.code == Reason.NOT_YET_VALID and detail in check.message


def test_validity_dates_tolerate_the_clock_skew_only(ddcc_verifier, issue, now):
    starts_soon = core_data_set(valid_from=(now + timedelta(seconds=60)).isoformat())
    assert ddcc_verifier.verify(issue(starts_soon)).status is Status.VALID


def test_tampered_payload_breaks_the_signature(ddcc_verifier, issue):
    def rename(claims):
        claims[-260][1]["name"] = "Someone Else"

    result = ddcc_verifier.verify(edit_claims(issue(), rename))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNATURE_INVALID)
    assert result.holder is not None and result.holder.name == "Someone Else"


def test_moving_the_payload_to_another_subclaim_breaks_the_signature(ddcc_verifier, issue):
    def move(claims):
        claims[-260] = {2: claims[-260][1]}

    assert ddcc_verifier.verify(edit_claims(issue(), move)).reason == Reason.SIGNATURE_INVALID


def test_unknown_issuer(issue, now):
    result = Verifier(TrustIndex(), FixedClock(now)).verify(issue())
    assert (result.status, result.reason) == (Status.INVALID, Reason.KID_UNKNOWN)
    assert result.check("key_usage").code == Reason.NOT_REACHED


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (DccOptions(alg_override=-37), Reason.KEY_ALG_MISMATCH),  # PS256 claimed, EC key
        (DccOptions(alg_override=-8), Reason.ALG_UNSUPPORTED),  # EdDSA
        (DccOptions(alg_override=0), Reason.ALG_UNSUPPORTED),  # reserved: the "none" slot
        (DccOptions(alg_in_unprotected=True), Reason.ALG_MISSING),
        (DccOptions(kid_in="none"), Reason.KID_MISSING),
    ],
)
def test_wrong_or_missing_algorithm(ddcc_verifier, issue, options, reason):
    result = ddcc_verifier.verify(issue(options=options))
    assert (result.status, result.check("signature").code) == (Status.INVALID, reason)


def test_signer_restricted_to_tests_may_not_sign_a_ddcc(issue, now):
    test_only = make_signer(not_before=datetime(2025, 1, 1, tzinfo=UTC), usages="t")
    verifier = Verifier(TrustIndex([load_trusted_certificate(test_only.der)]), FixedClock(now))
    result = verifier.verify(issue(signer=test_only))
    assert result.check("signature").ok is True
    assert result.reason == Reason.KEY_USAGE_MISMATCH


def test_pass_outliving_its_signer(issue, now):
    short = make_signer(not_before=now - timedelta(days=30), valid_days=60)
    verifier = Verifier(TrustIndex([load_trusted_certificate(short.der)]), FixedClock(now))
    result = verifier.verify(issue(signer=short, expires=now + timedelta(days=90)))
    assert result.reason == Reason.EXPIRES_AFTER_SIGNER


def _revocation_verifier(tmp_path: Path, signer, now, entries) -> Verifier:
    cache = open_cache(tmp_path / "cache.sqlite")
    SignerCache(cache).import_der([signer.der], "test")
    RevocationCache(cache).apply(entries, [], snapshot=True)
    SyncStateStore(cache).record_success("revocations", version=1, now=now)
    return Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))


@pytest.mark.parametrize("hash_type", [HashType.SIGNATURE, HashType.UCI])
def test_revoked_by_signature_or_by_hcid(tmp_path, issue, es256_signer, now, hash_type):
    text = issue()
    kid, hashes = pass_hashes(text)
    entry = RevocationEntry(kid, hash_type, hashes[hash_type])
    result = _revocation_verifier(tmp_path, es256_signer, now, [entry]).verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.REVOKED)
    assert hash_type.name in result.check("revocation").message


def test_not_revoked_when_the_list_holds_other_passes(tmp_path, issue, es256_signer, now):
    kid, hashes = pass_hashes(issue(core_data_set(hcid="another")))
    entries = [RevocationEntry(kid, HashType.UCI, hashes[HashType.UCI])]
    result = _revocation_verifier(tmp_path, es256_signer, now, entries).verify(issue())
    assert result.status is Status.VALID and result.check("revocation").ok is True


def _without(member: str, section: str | None = None):
    payload = core_data_set()
    del (payload[section] if section else payload)[member]
    return payload


def _with(value, *path: str):
    payload = core_data_set()
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return payload


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        (_without("name"), "ddcc.name is missing"),
        (_without("certificate"), "ddcc.certificate is missing"),
        (_without("hcid", "certificate"), "ddcc.certificate.hcid is missing"),
        (_without("lot", "vaccination"), "ddcc.vaccination.lot is missing"),
        (_without("maholder", "vaccination"), "neither manufacturer nor"),
        (_with("Smith", "nickname"), "members the model does not define (nickname)"),
        (_with(0, "vaccination", "dose"), "ddcc.vaccination.dose"),
        (_with("2", "vaccination", "dose"), "ddcc.vaccination.dose"),
        (_with(True, "vaccination", "totalDoses"), "ddcc.vaccination.totalDoses"),
        (_with("2021-02-30", "vaccination", "date"), "ddcc.vaccination.date is not a date that"),
        (_with("2021-13", "birthDate"), "ddcc.birthDate is not a date that exists"),
        (_with("2021-11-02T10:00", "vaccination", "date"), "ddcc.vaccination.date"),
        (_with("17/05/1990", "birthDate"), "ddcc.birthDate"),
        (_with("M", "sex"), "ddcc.sex"),
        (_with({"system": "x"}, "vaccination", "vaccine"), "ddcc.vaccination.vaccine.code"),
        (_with("", "name"), "ddcc.name must be 1 to 200 characters"),
        (_with("   ", "name"), "ddcc.name is not in the expected form"),
        (_with("x" * 201, "name"), "ddcc.name must be 1 to 200 characters"),
        (_with({}, "certificate", "issuer"), "ddcc.certificate.issuer is empty"),
        (_with(2.0, "vaccination", "dose"), "ddcc.vaccination.dose must be a whole number"),
        (
            _with({"start": "2022-01-01", "end": "2021-01-01"}, "certificate", "period"),
            "ends before it starts",
        ),
        (_with(["not", "an", "object"], "vaccination"), "ddcc.vaccination has the wrong type"),
    ],
)
def test_who_payload_shape_is_checked_strictly(ddcc_verifier, issue, payload, where):
    result = ddcc_verifier.verify(issue(payload))
    check = result.check("schema")
    assert (result.status, check.code) == (Status.INVALID, Reason.SCHEMA_INVALID)
    assert where in check.message
    assert result.check("signature").ok is True  # each check reports on its own


def test_schema_problems_never_quote_personal_data(ddcc_verifier, issue):
    payload = _with("17/05/1990", "birthDate")
    messages = " ".join(c.message for c in ddcc_verifier.verify(issue(payload)).checks)
    assert "17/05/1990" not in messages and "Nguyễn" not in messages


def test_two_who_subclaims_are_ambiguous(ddcc_verifier, issue):
    def duplicate(claims):
        claims[-260][3] = claims[-260][2]

    result = ddcc_verifier.verify(edit_claims(issue(subclaim=2), duplicate))
    assert (result.status, result.check("cbor").code) == (Status.INVALID, Reason.CWT_MALFORMED)


def test_a_subclaim_that_is_neither_eu_nor_who_keeps_the_eu_verdict(ddcc_verifier, issue):
    result = ddcc_verifier.verify(issue(subclaim=7))
    assert (result.format, result.reason) == ("dcc", Reason.PAYLOAD_MISSING)


def test_eu_slot_with_neither_shape_is_judged_as_an_eu_certificate(ddcc_verifier, issue):
    result = ddcc_verifier.verify(issue({"holder": "x", "dob": "1990-01-01"}))
    assert (result.format, result.status) == ("dcc", Status.INVALID)
    assert result.check("schema").ok is False


def test_a_who_subclaim_missing_its_dates_is_refused(ddcc_verifier, issue):
    def drop_iat(claims):
        del claims[6]

    result = ddcc_verifier.verify(edit_claims(issue(subclaim=2), drop_iat))
    assert result.reason == Reason.CWT_CLAIM_MISSING


def test_a_station_with_eu_rules_asks_for_a_manual_check(es256_signer, issue, now):
    config = VerifierConfig(rules=profile_by_name("checkpoint"))
    trust = TrustIndex([load_trusted_certificate(es256_signer.der)])
    result = Verifier(trust, FixedClock(now), config).verify(issue())
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.NO_RULES_APPLY)
