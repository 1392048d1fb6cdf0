"""A pass refused by a business rule shows that rule's own description, in the language the
guard has chosen: the rule's author wrote it in Vietnamese and English, not the app's files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gui.i18n import Translations, current_language, tr
from gui.presenters import Outcome, first_rule_description, present_decision
from gui.values import Decision
from station.adapters.clock import FixedClock
from station.config import VerifierConfig
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.rules.profiles import profile_by_name
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

AT = datetime(2022, 1, 14, 3, 0, tzinfo=UTC)
VI = "Phải tiêm đủ liều cơ bản"
EN = "The primary series must be complete"


@pytest.fixture(scope="module")
def one_dose_decision() -> Decision:
    """A real pass, one dose of two, judged by the shipped checkpoint profile."""
    signer = make_signer(algorithm="ES256", not_before=AT - timedelta(days=300), usages="v")
    payload = vaccination_payload(date=(AT - timedelta(days=20)).date().isoformat(), dose=1)
    text = issue_dcc(
        signer, payload, issued_at=AT - timedelta(days=19), expires=AT + timedelta(days=300)
    )
    config = VerifierConfig(rules=profile_by_name("checkpoint"))
    trust = TrustIndex([load_trusted_certificate(signer.der)])
    result = Verifier(trust, FixedClock(AT), config).verify(text)
    assert str(result.status) == "INVALID" and result.reason == "RULE_FAILED", result.reason
    return Decision(1, "camera", 0.0, 0.0, result)


def test_the_failed_rule_is_described_in_the_guards_language(qapp, one_dose_decision):
    view = present_decision(one_dose_decision)
    assert view.outcome is Outcome.INVALID
    translations = Translations(qapp)
    try:
        translations.switch("vi")
        assert current_language() == "vi"
        vietnamese = tr(view.reason)
        translations.switch("en")
        english = tr(view.reason)
    finally:
        translations.remove()
    assert VI in vietnamese and EN not in vietnamese and "Quy tắc" in vietnamese
    assert EN in english and VI not in english
    assert EN in view.reason.english()


def test_other_reasons_and_odd_details_get_no_rule_text():
    assert first_rule_description({}) is None
    assert first_rule_description({"rules": {"rules": "not a list"}}) is None
    passed = {"rules": {"rules": [{"result": "PASSED", "descriptions": {"en": "x"}}]}}
    assert first_rule_description(passed) is None
    opened = {"rules": {"rules": [{"result": "OPEN", "descriptions": {"fr": "règle"}}]}}
    described = first_rule_description(opened)
    assert described is not None and described.pick("vi") == "règle"
