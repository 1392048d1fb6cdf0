"""Shipped profiles: each loads and validates, and each decides real cases as documented.

Every case pins the validation clock and builds the pass relative to it ("second dose 20 days
ago"), so the expectations read like the policy in station/data/profiles/README.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station.issuer.dcc import test_payload as make_test_payload
from station.issuer.dcc import vaccination_payload
from station.reasons import Status
from station.rules.certlogic_validate import validate
from station.rules.profiles import (
    MAX_PROFILE_BYTES,
    Profile,
    ProfileError,
    builtin_profiles,
    load_profile,
    parse_profile,
    profile_by_name,
    resolve_profile,
)
from station.rules.runner import NO_RULES_APPLY, RulesOutcome, load_value_sets

PROFILE_DIR = Path(__file__).resolve().parents[2] / "station" / "data" / "profiles"
#: 10:00 in Hanoi on a weekday of the period the Vietnamese profiles describe.
AT_VN = datetime(2022, 1, 14, 3, 0, tzinfo=UTC)
#: Inside the EU example's validity (from 2022-03-01).
AT_EU = datetime(2022, 4, 1, 12, 0, tzinfo=UTC)
NAAT, RAT = "LP6464-4", "LP217198-3"
JANSSEN = {"mp": "EU/1/20/1525", "ma": "ORG-100001417", "vp": "29061000087103"}
VALUE_SETS = load_value_sets()


def day(at: datetime, days_ago: int) -> str:
    return (at - timedelta(days=days_ago)).date().isoformat()


def vaccinated(at: datetime, days_ago: int, dose: int = 2, doses: int = 2, **entry: Any):
    payload = vaccination_payload(date=day(at, days_ago), dose=dose, doses=doses)
    payload["v"][0].update(entry)
    return payload


def sampled(at: datetime, hours_ago: float, test_type: str = NAAT, **entry: Any):
    payload = make_test_payload()
    sampled = (at - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload["t"][0].update({"tt": test_type, "sc": sampled, **entry})
    return payload


def recovered(at: datetime, days_ago: int) -> dict[str, Any]:
    first_positive = at - timedelta(days=days_ago)
    return {
        "ver": "1.3.0",
        "nam": {"fn": "Lê", "fnt": "LE", "gn": "Minh", "gnt": "MINH"},
        "dob": "1978-09-30",
        "r": [
            {
                "tg": "840539006",
                "fr": first_positive.date().isoformat(),
                "co": "VN",
                "is": "Ministry of Health",
                "df": (first_positive + timedelta(days=11)).date().isoformat(),
                "du": (first_positive + timedelta(days=180)).date().isoformat(),
                "ci": "URN:UVCI:01:VN:TEST0000000000000003#2",
            }
        ],
    }


def check(name: str, payload: dict[str, Any], at: datetime = AT_VN, **options: Any) -> RulesOutcome:
    profile = profile_by_name(name)
    return profile.check(payload, profile.external(at, value_sets=VALUE_SETS, **options))


def failing(outcome: RulesOutcome) -> list[str]:
    return [item.identifier for item in outcome.failed]


# --- every shipped profile -------------------------------------------------------------------


def test_the_four_documented_profiles_ship():
    names = [profile.name for profile in builtin_profiles()]
    assert names == ["checkpoint", "eu-arrival", "hospital-visitor", "venue"]


@pytest.mark.parametrize("path", sorted(PROFILE_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_every_shipped_profile_loads_and_validates(path: Path):
    profile = load_profile(path)
    assert profile.name == path.stem
    assert {"vi", "en"} <= set(profile.title) and {"vi", "en"} <= set(profile.description)
    assert profile.sources
    for rule in profile.rules:
        assert validate(rule.logic) == [], rule.identifier
        assert {"vi", "en"} <= dict(rule.descriptions).keys(), rule.identifier


def test_the_readme_documents_every_shipped_rule():
    readme = (PROFILE_DIR / "README.md").read_text(encoding="utf-8")
    for profile in builtin_profiles():
        assert f"`{profile.name}`" in readme
        for rule in profile.rules:
            assert rule.identifier in readme, rule.identifier


def test_builtin_profiles_are_found_by_name_and_unknown_names_list_the_choices():
    assert profile_by_name("venue").origin == "builtin:venue"
    with pytest.raises(ProfileError, match="checkpoint, eu-arrival, hospital-visitor, venue"):
        profile_by_name("airport")


# --- checkpoint ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (vaccinated(AT_VN, 20), []),
        (vaccinated(AT_VN, 14), []),
        (vaccinated(AT_VN, 5), ["VR-VN-0003"]),
        (vaccinated(AT_VN, 20, dose=1, doses=2), ["VR-VN-0002"]),
        (vaccinated(AT_VN, 20, dose=1, doses=1, **JANSSEN), []),
        (vaccinated(AT_VN, 20, dose=3, doses=3), []),
        (vaccinated(AT_VN, 360), []),
        (vaccinated(AT_VN, 370), ["VR-VN-0004"]),
        (vaccinated(AT_VN, 20, mp="CoronaVac"), ["VR-VN-0001"]),
        (vaccinated(AT_VN, 20, tg="123456"), ["GR-VN-0001"]),
    ],
    ids=[
        "2of2-20-days-passes",
        "2of2-14-days-passes",
        "2of2-5-days-fails",
        "1of2-fails",
        "janssen-1of1-passes",
        "booster-3of3-passes",
        "360-days-passes",
        "370-days-fails",
        "vaccine-not-licensed-in-vn-fails",
        "not-covid-fails",
    ],
)
def test_checkpoint_vaccination(payload, failed):
    outcome = check("checkpoint", payload)
    assert failing(outcome) == failed
    assert outcome.status is (Status.INVALID if failed else Status.VALID)


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (sampled(AT_VN, 48), []),
        (sampled(AT_VN, 72), []),
        (sampled(AT_VN, 80), ["TR-VN-0003"]),
        (sampled(AT_VN, 20, RAT), []),
        (sampled(AT_VN, 30, RAT), ["TR-VN-0004"]),
        (sampled(AT_VN, -2), ["TR-VN-0003"]),
        (sampled(AT_VN, 10, tr="260373001"), ["TR-VN-0001"]),
        (sampled(AT_VN, 10, "LP1234-5"), ["TR-VN-0002"]),
    ],
    ids=[
        "pcr-48h-passes",
        "pcr-72h-passes",
        "pcr-80h-fails",
        "rat-20h-passes",
        "rat-30h-fails",
        "sample-in-the-future-fails",
        "positive-fails",
        "unknown-test-type-fails",
    ],
)
def test_checkpoint_tests(payload, failed):
    assert failing(check("checkpoint", payload)) == failed


@pytest.mark.parametrize(
    ("days_ago", "failed"),
    [(100, []), (179, []), (200, ["RR-VN-0001", "RR-VN-0002"])],
)
def test_checkpoint_recovery(days_ago, failed):
    assert failing(check("checkpoint", recovered(AT_VN, days_ago))) == failed


def test_checkpoint_elsewhere_than_its_country_has_no_rules():
    outcome = check("checkpoint", vaccinated(AT_VN, 20), country="XX")
    assert (outcome.status, outcome.reason) == (Status.CHECK_MANUALLY, NO_RULES_APPLY)


def test_checkpoint_before_its_rules_took_effect_has_no_rules():
    outcome = check("checkpoint", vaccinated(AT_VN, 20), at=datetime(2021, 10, 1, tzinfo=UTC))
    assert outcome.reason == NO_RULES_APPLY


# --- hospital visitor ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (sampled(AT_VN, 40), []),
        (sampled(AT_VN, 60), ["TR-VN-0103"]),
        (sampled(AT_VN, 20, RAT), []),
        (sampled(AT_VN, 30, RAT), ["TR-VN-0104"]),
        (sampled(AT_VN, 10, tr="260373001"), ["TR-VN-0101"]),
        (vaccinated(AT_VN, 20, dose=3, doses=3), ["GR-VN-0102"]),
        (recovered(AT_VN, 30), ["GR-VN-0102"]),
    ],
    ids=[
        "pcr-40h-passes",
        "pcr-60h-fails",
        "rat-20h-passes",
        "rat-30h-fails",
        "positive-fails",
        "vaccination-alone-fails",
        "recovery-alone-fails",
    ],
)
def test_hospital_visitor(payload, failed):
    assert failing(check("hospital-visitor", payload)) == failed


# --- venue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (vaccinated(AT_VN, 20), []),
        (vaccinated(AT_VN, 5), ["VR-VN-0203"]),
        (vaccinated(AT_VN, 20, dose=1, doses=2), ["VR-VN-0202"]),
        (recovered(AT_VN, 100), []),
        (recovered(AT_VN, 200), ["RR-VN-0201", "RR-VN-0202"]),
        (sampled(AT_VN, 60), []),
        (sampled(AT_VN, 60, RAT), []),
        (sampled(AT_VN, 80, RAT), ["TR-VN-0204"]),
    ],
    ids=[
        "vaccinated-passes",
        "5-days-fails",
        "1of2-fails",
        "recovered-100-days-passes",
        "recovered-200-days-fails",
        "pcr-60h-passes",
        "rat-60h-passes",
        "rat-80h-fails",
    ],
)
def test_venue(payload, failed):
    assert failing(check("venue", payload)) == failed


# --- EU example ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (vaccinated(AT_EU, 100), []),
        (vaccinated(AT_EU, 10), ["VR-XX-0004"]),
        (vaccinated(AT_EU, 300), ["VR-XX-0005"]),
        (vaccinated(AT_EU, 300, dose=3, doses=3), []),
        (vaccinated(AT_EU, 10, dose=3, doses=3), []),
        (vaccinated(AT_EU, 300, dose=2, doses=1, **JANSSEN), []),
        (vaccinated(AT_EU, 100, mp="Sputnik-V", ma="Gamaleya-Research-Institute"), ["VR-XX-0002"]),
        (vaccinated(AT_EU, 100, ma="ORG-999"), ["VR-XX-0001"]),
        (sampled(AT_EU, 20, RAT), []),
        (sampled(AT_EU, 20, RAT, ma="0000"), ["TR-XX-0005"]),
        (sampled(AT_EU, 30, RAT), ["TR-XX-0004"]),
        (sampled(AT_EU, 70), []),
        (recovered(AT_EU, 5), ["RR-XX-0001", "RR-XX-0002"]),
        (recovered(AT_EU, 100), []),
    ],
    ids=[
        "primary-100-days-passes",
        "primary-10-days-fails",
        "primary-300-days-fails",
        "booster-300-days-passes",
        "booster-at-once-passes",
        "janssen-booster-passes",
        "not-eu-authorised-fails",
        "unknown-holder-fails",
        "rat-on-common-list-passes",
        "rat-not-on-list-fails",
        "rat-30h-fails",
        "naat-70h-passes",
        "recovery-day-5-fails",
        "recovery-100-days-passes",
    ],
)
def test_eu_arrival_example(payload, failed):
    assert failing(check("eu-arrival", payload, at=AT_EU)) == failed


def test_eu_arrival_example_invalidation_rule_applies_to_passes_it_issued():
    payload = vaccinated(AT_EU, 100, co="XX", ci="URN:UVCI:01:XX:LAB42/0001#K")
    assert failing(check("eu-arrival", payload, at=AT_EU, issuer_country="XX")) == ["IR-XX-0001"]
    assert failing(check("eu-arrival", payload, at=AT_EU, issuer_country="VN")) == []


# --- loading and validation ------------------------------------------------------------------


def document(**changes: Any) -> dict[str, Any]:
    base = json.loads((PROFILE_DIR / "checkpoint.json").read_text(encoding="utf-8"))
    base.update(changes)
    return base


def write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "profile.json"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_file_loads_and_records_its_origin(tmp_path: Path):
    path = write(tmp_path, document(name="my-checkpoint", region="HN"))
    profile = load_profile(path)
    assert (profile.name, profile.region, profile.origin) == ("my-checkpoint", "HN", str(path))
    assert resolve_profile(str(path)) == profile
    assert resolve_profile("venue") is profile_by_name("venue")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": "Check Point"}, "name:"),
        ({"version": "1"}, "version:"),
        ({"country": "Viet Nam"}, "country:"),
        ({"region": "hanoi"}, "region:"),
        ({"title": {"en": "Road checkpoint"}}, "title: has no text in vi"),
        ({"title": "Road checkpoint"}, "title: must be an object"),
        ({"description": {"vi": "", "en": "x"}}, "description: must be an object"),
        ({"sources": []}, "sources: must be a non-empty list"),
        ({"sources": ["ok", 3]}, "sources: every source"),
        ({"rules": []}, "rules: must be a list of 1 to"),
        ({"colour": "green"}, "colour: unknown field"),
        ({"country": "LA"}, "is an acceptance rule of VN, but the profile is for LA"),
    ],
)
def test_an_invalid_profile_is_refused_with_every_problem(tmp_path: Path, changes, expected):
    with pytest.raises(ProfileError, match="invalid profile") as caught:
        load_profile(write(tmp_path, document(**changes)))
    assert expected in str(caught.value)


def test_a_bad_rule_inside_a_profile_is_named_by_position(tmp_path: Path):
    broken = document()
    broken["rules"][3]["Engine"] = "JSONLOGIC"
    broken["rules"].append(broken["rules"][0])
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, broken))
    message = str(caught.value)
    assert "rules[3]: VR-VN-0003: Engine" in message
    assert "GR-VN-0001 version 1.0.0 appears twice" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [("{not json", "not valid JSON"), ("[1, 2]", "must be a JSON object"), ("[" * 100_000, "JSON")],
)
def test_unreadable_profile_files_are_refused(tmp_path: Path, content, expected):
    with pytest.raises(ProfileError, match=expected):
        load_profile(write(tmp_path, content))


def test_missing_oversize_and_binary_profile_files_are_refused(tmp_path: Path):
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path / "absent.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_PROFILE_BYTES + 1))
    with pytest.raises(ProfileError, match="larger than"):
        load_profile(big)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{}")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(binary)


def test_parse_profile_refuses_a_non_object():
    with pytest.raises(ProfileError, match="must be a JSON object"):
        parse_profile(["checkpoint"])


def test_profile_external_defaults_to_the_profile_country_and_region():
    profile: Profile = profile_by_name("checkpoint")
    external = profile.external(AT_VN)
    assert (external.country_code, external.region, external.issuer_country_code) == (
        "VN",
        "",
        "",
    )
    assert "vaccines-covid-19-names" in external.value_sets
