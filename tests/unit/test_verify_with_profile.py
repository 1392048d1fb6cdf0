"""The station's business-rule profile inside the verdict: a `rules` check after the signature,
validity and schema checks, failing with the rule's description, and never VALID when a rule
cannot be evaluated."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from station.adapters.clock import FixedClock
from station.config import VerifierConfig
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.reasons import Reason, Status
from station.rules.profiles import parse_profile, profile_by_name
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier


def verifier_for(signer, now, profile):  # type: ignore[no-untyped-def]
    index = TrustIndex([load_trusted_certificate(signer.der)])
    return Verifier(index, FixedClock(now), VerifierConfig(rules=profile))


def pass_with_dose_days_ago(signer, now, days: int) -> str:  # type: ignore[no-untyped-def]
    payload = vaccination_payload(date=(now - timedelta(days=days)).date().isoformat())
    return issue_dcc(
        signer, payload, issued_at=now - timedelta(days=days), expires=now + timedelta(days=20)
    )


def test_without_a_profile_there_is_no_rules_check(es256_signer, now) -> None:  # type: ignore[no-untyped-def]
    result = verifier_for(es256_signer, now, None).verify(
        pass_with_dose_days_ago(es256_signer, now, 30)
    )
    assert result.status is Status.VALID and result.check("rules") is None


def test_checkpoint_profile_admits_a_recent_full_series(es256_signer, now) -> None:  # type: ignore[no-untyped-def]
    verifier = verifier_for(es256_signer, now, profile_by_name("checkpoint"))
    result = verifier.verify(pass_with_dose_days_ago(es256_signer, now, 30))
    assert result.status is Status.VALID
    assert result.check("rules") is not None and result.check("rules").ok is True  # type: ignore[union-attr]


def test_checkpoint_profile_refuses_a_dose_older_than_a_year(es256_signer, now) -> None:  # type: ignore[no-untyped-def]
    verifier = verifier_for(es256_signer, now, profile_by_name("checkpoint"))
    result = verifier.verify(pass_with_dose_days_ago(es256_signer, now, 400))
    assert result.status is Status.INVALID
    rules = result.check("rules")
    assert rules is not None and rules.code == Reason.RULE_FAILED
    assert "12 months" in rules.message
    failed = [r for r in result.details["rules"]["rules"] if r["result"] == "FAIL"]
    assert failed and failed[0]["descriptions"]["vi"]
    assert result.check("signature").ok is True  # type: ignore[union-attr]


def test_a_rule_from_a_newer_engine_means_check_manually(es256_signer, now) -> None:  # type: ignore[no-untyped-def]
    checkpoint = profile_by_name("checkpoint")
    document = json.loads(
        json.dumps(
            {
                "name": "future",
                "version": "1.0.0",
                "country": checkpoint.country,
                "title": {"en": "Future", "vi": "Tương lai"},
                "sources": ["test"],
                "rules": [
                    {**rule.to_json(), "EngineVersion": "2.0.0"} for rule in checkpoint.rules
                ],
            }
        )
    )
    future = parse_profile(document)
    verifier = verifier_for(es256_signer, now, replace(future))
    result = verifier.verify(pass_with_dose_days_ago(es256_signer, now, 30))
    assert result.status is Status.CHECK_MANUALLY
    assert result.check("rules").code == Reason.RULE_OPEN  # type: ignore[union-attr]
