"""EU DCC rules: parsing (good and malformed), selection as the EU engine does, and results.

Rules here are small hand-written ones, so each test shows the one thing it is about; the
shipped profiles are tested in test_profiles.py.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import pytest

from station.issuer.dcc import test_payload as make_test_payload
from station.issuer.dcc import vaccination_payload
from station.model import Check
from station.reasons import Reason, Status
from station.rules.eu_rule import (
    MAX_RULE_CHARS,
    CertificateType,
    EuRule,
    RuleError,
    RuleType,
    parse_rule,
    parse_version,
    rule_problems,
)
from station.rules.runner import (
    NO_RULES_APPLY,
    RULE_FAILED,
    RULE_OPEN,
    ExternalParameters,
    RuleResult,
    certificate_type_of,
    load_value_sets,
    run_rules,
    select_rules,
)

AT = datetime(2022, 3, 1, 12, 0, tzinfo=UTC)
DOSES_COMPLETE = {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}


def rule_doc(identifier: str = "VR-XX-0001", **changes: Any) -> dict[str, Any]:
    """A valid acceptance rule of country XX; keyword arguments replace its fields."""
    kind = {"GR": "General", "VR": "Vaccination", "TR": "Test", "RR": "Recovery", "IR": "General"}
    document: dict[str, Any] = {
        "Identifier": identifier,
        "Type": "Invalidation" if identifier.startswith("IR") else "Acceptance",
        "Country": identifier.split("-")[1],
        "Version": "1.0.0",
        "SchemaVersion": "1.0.0",
        "Engine": "CERTLOGIC",
        "EngineVersion": "1.0.0",
        "CertificateType": kind[identifier[:2]],
        "Description": [
            {"lang": "en", "desc": "The primary series must be complete."},
            {"lang": "vi", "desc": "Phải tiêm đủ liều cơ bản của vắc xin."},
        ],
        "ValidFrom": "2022-01-01T00:00:00Z",
        "ValidTo": "2030-01-01T00:00:00Z",
        "AffectedFields": ["v.0.dn", "v.0.sd"],
        "Logic": copy.deepcopy(DOSES_COMPLETE),
    }
    document.update(changes)
    return document


def external(**changes: Any) -> ExternalParameters:
    values: dict[str, Any] = {
        "validation_clock": AT,
        "value_sets": load_value_sets(),
        "country_code": "XX",
        "issuer_country_code": "VN",
    }
    values.update(changes)
    return ExternalParameters(**values)


def rules(*documents: dict[str, Any]) -> list[EuRule]:
    return [parse_rule(document) for document in documents]


# --- parsing ---------------------------------------------------------------------------------


def test_a_valid_rule_parses_with_every_field():
    rule = parse_rule(rule_doc(Region="BW"))
    assert rule.identifier == "VR-XX-0001"
    assert rule.type is RuleType.ACCEPTANCE
    assert rule.certificate_type is CertificateType.VACCINATION
    assert rule.version_key == (1, 0, 0)
    assert rule.region == "BW"
    assert rule.valid_from == datetime(2022, 1, 1, tzinfo=UTC)
    assert rule.description("vi").startswith("Phải tiêm")
    assert rule.description("de") == "The primary series must be complete."
    assert rule.affected_fields == ("v.0.dn", "v.0.sd")
    assert parse_rule(rule.to_json()) == rule


def test_parsed_logic_is_a_copy_that_later_edits_cannot_reach():
    document = rule_doc()
    rule = parse_rule(document)
    document["Logic"][">="] = "tampered"
    assert rule.logic == DOSES_COMPLETE


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"Type": "Acceptable"}, "Type"),
        ({"Version": 1}, "Version"),
        ({"Country": "xx"}, "Country"),
        ({"Identifier": "VR-XX-1"}, "Identifier"),
        ({"CertificateType": "Vaccine"}, "CertificateType"),
        ({"Description": [{"lang": "vi", "desc": "Phải tiêm đủ liều cơ bản."}]}, "Description"),
        ({"Description": [{"lang": "en", "desc": "too short"}]}, "Description"),
        ({"ValidFrom": "2022-01-01"}, "ValidFrom"),
        ({"Logic": True}, "Logic"),
        ({"Logic": {}}, "Logic"),
        ({"Colour": "green"}, "Additional properties"),
        ({"Engine": "JSONLOGIC"}, "Engine"),
        ({"ValidFrom": "2031-01-01T00:00:00Z"}, "earlier than ValidTo"),
        ({"ValidTo": "2022-19-39T29:00:00Z"}, "not a real date"),
        ({"Type": "Invalidation"}, "starts with IR-"),
        ({"Identifier": "IR-XX-0001"}, "cannot start with IR-"),
        ({"Identifier": "VR-DE-0001"}, "names country DE"),
        ({"Logic": {"plusTime": [{"var": "payload.v.0.dt"}, 1, "week"]}}, "Logic: "),
        ({"Logic": {"unknownOp": [1]}}, "unrecognised operator"),
    ],
)
def test_a_malformed_rule_is_refused_with_the_reason(changes, expected):
    document = rule_doc(**changes)
    problems = rule_problems(document)
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(RuleError, match="VR-XX-0001|IR-XX-0001|VR-DE-0001|VR-XX-1"):
        parse_rule(document)


def test_a_missing_field_is_named():
    document = rule_doc()
    del document["AffectedFields"]
    assert rule_problems(document) == ['rule: "AffectedFields" is a required property']


@pytest.mark.parametrize("document", [None, [], "GR-XX-0001", 42])
def test_something_that_is_not_an_object_is_refused(document):
    assert rule_problems(document) == ["a rule must be a JSON object"]
    with pytest.raises(RuleError, match="^rule: "):
        parse_rule(document)


def test_an_oversize_rule_is_refused_before_anything_else():
    huge = {"in": [{"var": "payload.v.0.mp"}, ["x" * 100] * (MAX_RULE_CHARS // 100)]}
    assert rule_problems(rule_doc(Logic=huge))[0].startswith("the rule is ")


def test_data_that_is_not_json_is_refused():
    assert "not plain JSON" in rule_problems(rule_doc(Logic={"in": [1, {2, 3}]}))[0]


def test_problems_are_bounded_for_a_garbage_rule():
    garbage = {key: 12345 for key in rule_doc()}
    assert 1 <= len(rule_problems(garbage)) <= 12


def test_a_rule_for_a_newer_certlogic_major_is_kept_unvalidated():
    document = rule_doc(EngineVersion="2.0.0", Logic={"newOperator2030": [1]})
    assert rule_problems(document) == []


def test_versions_compare_numerically():
    assert parse_version("1.10.0") > parse_version("1.9.9")
    assert parse_version("2.0.0-beta") == (2, 0, 0)
    with pytest.raises(ValueError):
        parse_version("v1")


# --- selection -------------------------------------------------------------------------------


def selected(rule_set: list[EuRule], payload: dict[str, Any], **changes: Any) -> list[str]:
    chosen = select_rules(rule_set, certificate_type_of(payload), external(**changes))
    return [f"{rule.identifier}@{rule.version}" for rule in chosen]


def test_rules_are_chosen_by_country_of_arrival():
    rule_set = rules(rule_doc("VR-XX-0001"), rule_doc("VR-DE-0001"))
    assert selected(rule_set, vaccination_payload()) == ["VR-XX-0001@1.0.0"]
    assert selected(rule_set, vaccination_payload(), country_code="DE") == ["VR-DE-0001@1.0.0"]
    assert selected(rule_set, vaccination_payload(), country_code="FR") == []


def test_rules_are_chosen_by_certificate_type_and_general_rules_always_apply():
    rule_set = rules(
        rule_doc("GR-XX-0001"),
        rule_doc("VR-XX-0001"),
        rule_doc("TR-XX-0001"),
        rule_doc("RR-XX-0001"),
    )
    assert selected(rule_set, vaccination_payload()) == ["GR-XX-0001@1.0.0", "VR-XX-0001@1.0.0"]
    assert selected(rule_set, make_test_payload()) == ["GR-XX-0001@1.0.0", "TR-XX-0001@1.0.0"]
    assert selected(rule_set, {"ver": "1.3.0"}) == ["GR-XX-0001@1.0.0"]


def test_rules_are_chosen_by_validity_at_the_clock():
    rule_set = rules(
        rule_doc("VR-XX-0001", ValidFrom="2022-03-01T12:00:00Z"),
        rule_doc("VR-XX-0002", ValidTo="2022-03-01T12:00:00Z"),
        rule_doc("VR-XX-0003", ValidFrom="2022-03-01T13:00:00+01:00"),
        rule_doc("VR-XX-0004", ValidFrom="2022-03-01T13:00:01+01:00"),
    )
    assert selected(rule_set, vaccination_payload()) == ["VR-XX-0001@1.0.0", "VR-XX-0003@1.0.0"]


def test_only_the_highest_version_valid_at_the_clock_runs():
    rule_set = rules(
        rule_doc(Version="1.0.0"),
        rule_doc(Version="1.10.0"),
        rule_doc(Version="1.2.0"),
        rule_doc(Version="2.0.0", ValidFrom="2022-06-01T00:00:00Z"),
    )
    assert selected(rule_set, vaccination_payload()) == ["VR-XX-0001@1.10.0"]
    later = AT + timedelta(days=120)
    assert selected(rule_set, vaccination_payload(), validation_clock=later) == ["VR-XX-0001@2.0.0"]


def test_regions_must_match_trimmed_and_case_blind():
    rule_set = rules(rule_doc("VR-XX-0001"), rule_doc("VR-XX-0002", Region="HN"))
    assert selected(rule_set, vaccination_payload()) == ["VR-XX-0001@1.0.0"]
    assert selected(rule_set, vaccination_payload(), region=" hn ") == ["VR-XX-0002@1.0.0"]


def test_invalidation_rules_are_those_of_the_issuing_country_in_any_region():
    rule_set = rules(rule_doc("IR-VN-0001"), rule_doc("IR-XX-0001"), rule_doc("VR-XX-0001"))
    assert selected(rule_set, vaccination_payload(), region="HN") == ["IR-VN-0001@1.0.0"]
    assert selected(rule_set, vaccination_payload(), issuer_country_code="") == ["VR-XX-0001@1.0.0"]


# --- results and verdict ---------------------------------------------------------------------


def outcome_of(rule_set: list[EuRule], payload: dict[str, Any], **changes: Any):
    return run_rules(rule_set, payload, external(**changes))


def test_a_read_only_payload_mapping_is_read_like_a_dict():
    outcome = outcome_of(rules(rule_doc()), MappingProxyType(vaccination_payload()))
    assert outcome.status is Status.VALID


def test_all_rules_passing_is_valid_and_gives_the_passed_check():
    outcome = outcome_of(rules(rule_doc()), vaccination_payload())
    assert [item.result for item in outcome.results] == [RuleResult.PASSED]
    assert outcome.status is Status.VALID
    assert outcome.to_check() == Check.passed("rules")


def test_a_failing_rule_makes_the_pass_invalid_and_names_the_rule():
    outcome = outcome_of(rules(rule_doc()), vaccination_payload(dose=1, doses=2))
    assert outcome.status is Status.INVALID
    assert outcome.reason == RULE_FAILED
    check = outcome.to_check()
    assert (check.ok, check.code) == (False, RULE_FAILED)
    assert "VR-XX-0001: The primary series must be complete." in check.message
    assert "Phải tiêm" in outcome.to_check("vi").message


def open_outcome(**changes: Any):
    outcome = outcome_of(rules(rule_doc(**changes)), vaccination_payload())
    assert outcome.status is Status.CHECK_MANUALLY
    assert outcome.reason == RULE_OPEN
    assert outcome.to_check().ok is False
    (item,) = outcome.open
    return item


def test_a_newer_engine_major_is_open_never_valid():
    item = open_outcome(EngineVersion="2.0.0", Logic={"newOperator2030": [1]})
    assert "CertLogic" in item.detail


def test_a_newer_minor_engine_version_still_runs():
    outcome = outcome_of(rules(rule_doc(EngineVersion="1.9.0")), vaccination_payload())
    assert outcome.status is Status.VALID


def test_a_schema_newer_than_the_station_reads_is_open():
    assert "this station reads 1.3.x" in open_outcome(SchemaVersion="1.4.0").detail


def test_a_schema_newer_than_the_pass_is_open_as_in_the_eu_engine():
    assert "the pass uses 1.3.0" in open_outcome(SchemaVersion="1.3.1").detail
    payload = vaccination_payload() | {"ver": "2.0.0"}
    outcome = outcome_of(rules(rule_doc()), payload)
    assert outcome.status is Status.CHECK_MANUALLY


def test_a_pass_without_a_readable_version_leaves_rules_open():
    payload = vaccination_payload() | {"ver": "one"}
    assert outcome_of(rules(rule_doc()), payload).reason == RULE_OPEN


def test_an_evaluation_error_is_open_and_keeps_payload_values_out_of_the_detail():
    logic = {"+": [{"var": "payload.nam.fn"}, 1]}
    item = open_outcome(Logic=logic)
    assert item.detail == "the rule could not be evaluated"
    assert "Nguyễn" in item.error and "Nguyễn" not in item.detail


def test_a_rule_that_gives_no_boolean_is_open():
    assert "neither true nor false" in open_outcome(Logic={"var": "payload.v.0.dn"}).detail


def test_a_missing_value_set_makes_the_rule_open_not_passed():
    logic = {"in": [{"var": "payload.v.0.mp"}, {"var": "external.valueSets.no-such-set"}]}
    open_outcome(Logic=logic)


def test_a_failure_outranks_an_open_rule():
    rule_set = rules(rule_doc("VR-XX-0001"), rule_doc("VR-XX-0002", SchemaVersion="1.4.0"))
    outcome = outcome_of(rule_set, vaccination_payload(dose=1, doses=2))
    assert outcome.status is Status.INVALID
    assert [str(item.result) for item in outcome.results] == ["FAIL", "OPEN"]


def test_no_applicable_rule_means_check_by_hand():
    outcome = outcome_of(rules(rule_doc("TR-XX-0001")), vaccination_payload())
    assert (outcome.status, outcome.reason) == (Status.CHECK_MANUALLY, NO_RULES_APPLY)
    assert outcome.to_check().code == NO_RULES_APPLY


@pytest.mark.parametrize("payload", [{"ver": "1.3.0"}, vaccination_payload() | {"t": [{}]}])
def test_a_pass_without_exactly_one_entry_is_invalid(payload):
    outcome = outcome_of(rules(rule_doc("GR-XX-0001")), payload)
    assert outcome.certificate_type is None
    assert outcome.status is Status.INVALID
    check = outcome.to_check()
    assert (check.ok, check.code) == (False, Reason.CERTIFICATE_TYPE_AMBIGUOUS)


def test_the_data_context_is_the_eu_engines():
    rule_set = rules(
        rule_doc(
            "GR-XX-0001",
            Logic={
                "and": [
                    {"===": [{"var": "external.countryCode"}, "XX"]},
                    {"===": [{"var": "external.issuerCountryCode"}, "VN"]},
                    {"===": [{"var": "external.kid"}, "a2lk"]},
                    {"===": [{"var": "external.region"}, ""]},
                    {"===": [{"var": "external.validationClock"}, "2022-03-01T12:00:00Z"]},
                    {"===": [{"var": "external.exp"}, "2023-01-01T00:00:00Z"]},
                    {"!": [{"var": "external.iat"}]},
                    {"in": ["EU/1/20/1528", {"var": "external.valueSets.vaccines-covid-19-names"}]},
                    {"===": [{"var": "payload.dob"}, "1990-05-17"]},
                ]
            },
        )
    )
    exp = datetime(2023, 1, 1, tzinfo=UTC)
    outcome = outcome_of(rule_set, vaccination_payload(), kid="a2lk", exp=exp)
    assert outcome.status is Status.VALID, outcome


def test_the_validation_clock_must_carry_a_timezone():
    with pytest.raises(ValueError, match="timezone"):
        external(validation_clock=datetime(2022, 3, 1))


def test_value_sets_are_keyed_by_value_set_id_and_fresh_per_call():
    value_sets = load_value_sets()
    assert "EU/1/20/1528" in value_sets["vaccines-covid-19-names"]
    assert value_sets["covid-19-lab-result"] == ["260415000", "260373001"]
    value_sets["covid-19-lab-result"].clear()
    assert load_value_sets()["covid-19-lab-result"]


# --- invalidation ----------------------------------------------------------------------------

WITHDRAWN_BATCH = {
    "!": [{"===": [{"extractFromUVCI": [{"var": "payload.v.0.ci"}, 2]}, "TEST0000000000000001"]}]
}


def test_a_failing_invalidation_rule_of_the_issuer_invalidates_the_pass():
    rule_set = rules(rule_doc(), rule_doc("IR-VN-0001", Logic=WITHDRAWN_BATCH))
    outcome = outcome_of(rule_set, vaccination_payload())
    assert outcome.status is Status.INVALID
    assert [item.identifier for item in outcome.failed] == ["IR-VN-0001"]


def test_an_invalidation_rule_of_another_issuer_does_not_apply():
    rule_set = rules(rule_doc(), rule_doc("IR-VN-0001", Logic=WITHDRAWN_BATCH))
    outcome = outcome_of(rule_set, vaccination_payload(), issuer_country_code="DE")
    assert outcome.status is Status.VALID
    assert [item.identifier for item in outcome.results] == ["VR-XX-0001"]


def test_outcome_json_carries_descriptions_and_affected_fields():
    outcome = outcome_of(rules(rule_doc()), vaccination_payload())
    (row,) = outcome.to_json()["rules"]
    assert row["result"] == "PASSED"
    assert set(row["descriptions"]) == {"en", "vi"}
    assert row["affected_fields"] == ["v.0.dn", "v.0.sd"]
