"""DIVOC verdicts end to end: real keys, real linked-data signatures, a real cache of issuer keys.

Each negative case changes one thing about a genuine pass and asserts the check that catches it
and the reason it gives; the others must still report on their own.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from divoc_helpers import ISSUED, signed, text_of, text_of_json

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase
from station.cache.issuer_keys import IssuerKeyCache
from station.issuer.divoc import DivocIssuer, new_issuer, sign_credential
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.verify import divoc
from station.verify.verifier import Verifier

pytest_plugins = ["divoc_fixtures"]


def failed(result: Any) -> dict[str, str]:
    return {check.name: check.code for check in result.checks if check.ok is False}


@pytest.mark.parametrize("issuer_fixture", ["divoc_issuer", "divoc_rsa_issuer"])
def test_a_genuine_pass_is_valid_with_every_check_passed(
    issuer_fixture: str, request: pytest.FixtureRequest, divoc_verifier: Verifier
):
    issuer: DivocIssuer = request.getfixturevalue(issuer_fixture)
    result = divoc_verifier.verify(text_of(signed(issuer)))
    assert result.status is Status.VALID, result.checks
    assert result.format == "divoc"
    assert [c.name for c in result.checks] == [*divoc.CHECK_NAMES, "revocation"]
    assert all(check.ok for check in result.checks)
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Nguyen Van An", "1990-05-17")
    assert result.details["proof_type"] == issuer.proof_type
    assert result.details["key_id"] == issuer.kid
    assert result.details["vaccinations"] == [
        {
            "vaccine": "COVISHIELD",
            "manufacturer": "Serum Institute of India",
            "dose": 2,
            "total_doses": 2,
            "date": "2021-11-02T08:00:00.000Z",
            "certificate_id": "912345678901",
        }
    ]
    assert "proof" not in (result.payload or {})


def test_a_tampered_name_breaks_the_signature(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["credentialSubject"]["name"] = "Tran Van Khac"
    result = divoc_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert failed(result) == {"signature": Reason.SIGNATURE_INVALID}


def test_a_tampered_dose_breaks_the_signature(divoc_rsa_issuer, divoc_verifier):
    credential = signed(divoc_rsa_issuer, dose=1)
    credential["evidence"][0]["dose"] = 2
    assert failed(divoc_verifier.verify(text_of(credential))) == {
        "signature": Reason.SIGNATURE_INVALID
    }


def test_a_changed_proof_date_breaks_the_signature(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["proof"]["created"] = "2026-05-02T00:00:00Z"
    assert failed(divoc_verifier.verify(text_of(credential))) == {
        "signature": Reason.SIGNATURE_INVALID
    }


def test_a_key_the_issuer_does_not_hold_is_refused(divoc_issuer, divoc_verifier):
    stranger = new_issuer("EdDSA")  # same issuer URL and key id, another private key
    result = divoc_verifier.verify(text_of(signed(stranger)))
    assert failed(result) == {"signature": Reason.SIGNATURE_INVALID}


def test_an_unknown_key_id_is_named(divoc_verifier):
    stranger = new_issuer("EdDSA", kid="did:divoc-test:other")
    assert failed(divoc_verifier.verify(text_of(signed(stranger)))) == {
        "signature": Reason.KID_UNKNOWN
    }


def test_an_unknown_issuer_is_untrusted_and_its_signature_not_tried(divoc_verifier):
    stranger = new_issuer("EdDSA", issuer="https://forger.example/")
    result = divoc_verifier.verify(text_of(signed(stranger)))
    assert result.status is Status.INVALID
    assert failed(result) == {"issuer": Reason.DIVOC_ISSUER_UNTRUSTED}
    signature = result.check("signature")
    assert signature is not None and signature.ok is None
    assert result.check("revocation") is None


def test_a_pass_naming_the_trusted_issuer_but_signed_by_a_stranger(divoc_issuer, divoc_verifier):
    forger = new_issuer("PS256", kid=divoc_issuer.kid)
    result = divoc_verifier.verify(text_of(signed(forger)))
    assert failed(result) == {"signature": Reason.KEY_ALG_MISMATCH}


def test_expired(divoc_issuer, divoc_verifier, now):
    credential = signed(divoc_issuer, expires=now - timedelta(days=1))
    result = divoc_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert failed(result) == {"validity": Reason.EXPIRED}


def test_not_yet_valid(divoc_issuer, divoc_verifier, now):
    credential = signed(divoc_issuer, issued_at=now + timedelta(hours=2))
    assert failed(divoc_verifier.verify(text_of(credential))) == {"validity": Reason.NOT_YET_VALID}


def test_issued_within_the_clock_skew_is_valid(divoc_issuer, divoc_verifier, now):
    credential = signed(divoc_issuer, issued_at=now + timedelta(seconds=60))
    assert divoc_verifier.verify(text_of(credential)).status is Status.VALID


def test_valid_until_its_expiry(divoc_issuer, divoc_verifier, now):
    credential = signed(divoc_issuer, expires=now + timedelta(seconds=1))
    assert divoc_verifier.verify(text_of(credential)).status is Status.VALID


def test_revoked_certificate_id(divoc_issuer, divoc_cache: CacheDatabase, divoc_verifier):
    IssuerKeyCache(divoc_cache).add_revocations(
        "divoc", divoc_issuer.issuer, divoc_issuer.kid, [("912345678901", None)]
    )
    result = divoc_verifier.verify(text_of(signed(divoc_issuer)))
    assert result.status is Status.INVALID
    assert failed(result) == {"revocation": Reason.REVOKED}
    other = divoc_verifier.verify(text_of(signed(divoc_issuer, certificate_id="912345678902")))
    assert other.status is Status.VALID


def test_revocation_cut_off_spares_later_certificates(divoc_issuer, divoc_cache, divoc_verifier):
    cutoff = int((ISSUED + timedelta(days=1)).timestamp())
    IssuerKeyCache(divoc_cache).add_revocations(
        "divoc", divoc_issuer.issuer, divoc_issuer.kid, [("912345678901", cutoff)]
    )
    assert divoc_verifier.verify(text_of(signed(divoc_issuer))).status is Status.INVALID
    later = signed(divoc_issuer, issued_at=ISSUED + timedelta(days=2))
    assert divoc_verifier.verify(text_of(later)).status is Status.VALID


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ({"alg": "none", "b64": False, "crit": ["b64"]}, Reason.ALG_UNSUPPORTED),
        ({"alg": "PS256", "b64": False, "crit": ["b64"]}, Reason.ALG_UNSUPPORTED),
        ({"alg": "HS256", "b64": False, "crit": ["b64"]}, Reason.ALG_UNSUPPORTED),
        ({"b64": False, "crit": ["b64"]}, Reason.ALG_MISSING),
        ({"alg": "EdDSA"}, Reason.SIGNATURE_MALFORMED),
        ({"alg": "EdDSA", "b64": True, "crit": ["b64"]}, Reason.SIGNATURE_MALFORMED),
        ({"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": "x"}, Reason.SIGNATURE_MALFORMED),
    ],
)
def test_jws_headers_other_than_the_suite_s_are_refused(
    header, reason, divoc_issuer, divoc_verifier, now
):
    credential = sign_credential(divoc_issuer, signed(divoc_issuer), ISSUED, header=header)
    assert failed(divoc_verifier.verify(text_of(credential))) == {"signature": reason}


def test_an_ed25519_key_cannot_sign_an_rsa_proof_type(divoc_issuer, divoc_verifier):
    credential = sign_credential(
        divoc_issuer, signed(divoc_issuer), ISSUED, proof_type="RsaSignature2018"
    )
    # header says EdDSA, the proof type demands PS256
    assert failed(divoc_verifier.verify(text_of(credential))) == {
        "signature": Reason.ALG_UNSUPPORTED
    }


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda p: p.pop("proof"), Reason.ALG_MISSING),
        (lambda p: p["proof"].update(type="BbsBlsSignature2020"), Reason.ALG_UNSUPPORTED),
        (lambda p: p["proof"].pop("verificationMethod"), Reason.KID_MISSING),
        (lambda p: p["proof"].update(proofPurpose="authentication"), Reason.SIGNATURE_MALFORMED),
        (lambda p: p["proof"].update(jws="abc.def.ghi"), Reason.SIGNATURE_MALFORMED),
        (lambda p: p["proof"].update(jws=p["proof"]["jws"] + "=="), Reason.SIGNATURE_MALFORMED),
        (lambda p: p["proof"].update(jws=p["proof"]["jws"][:-4]), Reason.SIGNATURE_INVALID),
        (lambda p: p["proof"].update(nonce="x"), Reason.SIGNATURE_INVALID),
        (lambda p: p["proof"].update(colour="red"), Reason.DIVOC_JSONLD_INVALID),
    ],
)
def test_malformed_proofs(change, reason, divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    change(credential)
    assert failed(divoc_verifier.verify(text_of(credential))) == {"signature": reason}


def test_without_issuer_keys_the_pass_needs_a_manual_check(divoc_issuer, now):
    result = Verifier(TrustSources(signers=_no_signers()), FixedClock(now)).verify(
        text_of(signed(divoc_issuer))
    )
    assert result.status is Status.CHECK_MANUALLY
    assert failed(result) == {"issuer": Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE}
    assert result.check("revocation") is None


def test_a_station_holding_no_divoc_issuer_needs_a_manual_check(divoc_issuer, tmp_path, now):
    from station.cache.database import open_cache
    from station.cache.trust_view import CachedTrust

    with open_cache(tmp_path / "empty.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("shc", "https://shc.example", [{"kid": "k", "kty": "EC"}])
        verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
        result = verifier.verify(text_of(signed(divoc_issuer)))
    assert result.status is Status.CHECK_MANUALLY
    assert failed(result) == {"issuer": Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE}


def _no_signers() -> Any:
    class NoSigners:
        def signers_for(self, kid: bytes) -> list[Any]:
            return []

    return NoSigners()


@pytest.mark.parametrize(
    ("change", "check", "reason"),
    [
        (
            lambda c: (c.pop("nonTransferable"), c.update(type=["VerifiableCredential"])),
            "payload",
            Reason.SCHEMA_INVALID,
        ),
        (lambda c: c["credentialSubject"].pop("name"), "payload", Reason.SCHEMA_INVALID),
        (lambda c: c["credentialSubject"].update(dob="17/05/1990"), "payload", "SCHEMA_INVALID"),
        (lambda c: c.update(evidence=[]), "payload", Reason.SCHEMA_INVALID),
        (lambda c: c["evidence"][0].update(dose="two"), "payload", Reason.SCHEMA_INVALID),
        (lambda c: c.update(issuanceDate="2026-05-01"), "validity", Reason.SCHEMA_INVALID),
        (lambda c: c.update(issuanceDate="2026-05-01T09:30:00"), "validity", "SCHEMA_INVALID"),
        (lambda c: c.update(issuanceDate="2026-02-30T09:30:00Z"), "validity", "SCHEMA_INVALID"),
    ],
)
def test_content_problems_are_reported_by_their_check(
    change, check, reason, divoc_issuer, divoc_verifier
):
    """Signed after the change, so only the content check can object."""
    credential: dict[str, Any] = signed(divoc_issuer)
    credential.pop("proof")
    change(credential)
    resigned = sign_credential(divoc_issuer, credential, ISSUED)
    result = divoc_verifier.verify(text_of(resigned))
    assert result.status is Status.INVALID
    assert failed(result).get(check) == reason


def test_an_unsigned_extra_field_is_refused(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["credentialSubject"]["nickname"] = "An"  # no context defines it: never signed
    result = divoc_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert failed(result) == {"jsonld": Reason.DIVOC_JSONLD_INVALID}
    assert result.holder is None


@pytest.mark.parametrize("subject_id", ["did:Aadhaar Card:********1234", "", "relative/id"])
def test_a_subject_id_that_is_no_iri_leaves_the_holder_unsigned(
    subject_id, divoc_issuer, divoc_verifier
):
    credential = signed(divoc_issuer, subject_id=subject_id)  # signature itself is genuine
    result = divoc_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert failed(result) == {"jsonld": Reason.DIVOC_JSONLD_INVALID}


@pytest.mark.parametrize(
    ("contexts", "reason"),
    [
        (
            ["https://www.w3.org/2018/credentials/v1", "https://divoc.example/vaccination/v9"],
            Reason.DIVOC_CONTEXT_UNKNOWN,
        ),
        (["https://cowin.gov.in/credentials/vaccination/v2"], Reason.DIVOC_CONTEXT_UNKNOWN),
        (
            ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/v2"],
            Reason.DIVOC_CONTEXT_UNKNOWN,
        ),
        ("https://www.w3.org/2018/credentials/v1", Reason.DIVOC_CONTEXT_UNKNOWN),
        (
            ["https://www.w3.org/2018/credentials/v1", {"name": "https://schema.org/name"}],
            Reason.DIVOC_CONTEXT_UNKNOWN,
        ),
    ],
)
def test_contexts_the_station_does_not_hold(contexts, reason, divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["@context"] = contexts
    result = divoc_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert failed(result) == {"context": reason}
    assert [c.ok for c in result.checks[4:]] == [None] * (len(divoc.CHECK_NAMES) - 4)


def test_a_context_inside_the_credential_is_refused(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["credentialSubject"]["@context"] = {"name": "https://example.org/alias"}
    assert failed(divoc_verifier.verify(text_of(credential))) == {
        "context": Reason.DIVOC_JSONLD_INVALID
    }


@pytest.mark.parametrize("context", ["v1", "v2"])
def test_both_cowin_contexts_verify(context, divoc_issuer, divoc_verifier):
    fields: dict[str, Any] = {}
    credential = signed(divoc_issuer, **fields)
    credential.pop("proof")
    url = f"https://cowin.gov.in/credentials/vaccination/{context}"
    credential["@context"][1] = url
    if context == "v1":
        credential["credentialSubject"].pop("dob")  # v1 has age, not dob
        credential["credentialSubject"]["age"] = "36"
    result = divoc_verifier.verify(text_of(sign_credential(divoc_issuer, credential, ISSUED)))
    assert result.status is Status.VALID, failed(result)


def test_a_country_context_url_verifies_as_the_cowin_v2_document(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential.pop("proof")
    credential["@context"][1] = "https://divoc.lgcc.gov.lk/credentials/vaccination/v1"
    result = divoc_verifier.verify(text_of(sign_credential(divoc_issuer, credential, ISSUED)))
    assert result.status is Status.VALID, failed(result)


def test_key_order_and_whitespace_do_not_matter(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    raw = json.dumps(dict(reversed(list(credential.items()))), indent=3).encode()
    assert divoc_verifier.verify(text_of_json(raw)).status is Status.VALID


def test_a_weak_rsa_key_is_refused(divoc_cache: CacheDatabase, now: datetime):
    from station.cache.trust_view import CachedTrust

    weak = new_issuer("PS256", kid="did:divoc-test:weak", rsa_bits=1024)
    IssuerKeyCache(divoc_cache).import_keys("divoc", weak.issuer, [weak.public_jwk()])
    verifier = Verifier(CachedTrust(divoc_cache, FixedClock(now)).sources(), FixedClock(now))
    assert failed(verifier.verify(text_of(signed(weak)))) == {"signature": Reason.KEY_TOO_WEAK}


def test_stale_data_under_the_refuse_policy_asks_for_a_manual_check(divoc_issuer, divoc_trust, now):
    from dataclasses import replace

    from station.config import VerifierConfig

    class Stale:
        stale = True

        def to_json(self) -> dict[str, Any]:
            return {"stale": True}

    trust = replace(divoc_trust, health=Stale)
    verifier = Verifier(trust, FixedClock(now), VerifierConfig(stale_data_policy="refuse"))
    result = verifier.verify(text_of(signed(divoc_issuer)))
    assert result.status is Status.CHECK_MANUALLY
    assert failed(result) == {"data": Reason.DATA_STALE}
    assert result.details["data"] == {"stale": True}


def test_three_doses_at_the_same_centre_verify(divoc_issuer, divoc_verifier):
    """Unnamed vaccinations sharing a facility: blank nodes URDNA2015 must tell apart."""
    credential: dict[str, Any] = signed(divoc_issuer)
    credential.pop("proof")
    first = credential["evidence"][0]
    doses = []
    for dose in (1, 2, 3):
        entry = {k: v for k, v in first.items() if k not in ("id", "certificateId")}
        doses.append({**entry, "dose": dose, "date": f"2021-0{dose}-02T08:00:00.000Z"})
    credential["evidence"] = doses
    result = divoc_verifier.verify(text_of(sign_credential(divoc_issuer, credential, ISSUED)))
    assert result.status is Status.VALID, failed(result)
    assert [v["dose"] for v in result.details["vaccinations"]] == [1, 2, 3]
    assert result.check("revocation").code == Reason.NOT_APPLICABLE  # no certificate id
