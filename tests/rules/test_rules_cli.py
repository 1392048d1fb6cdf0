"""`station rules check` and `station rules list`, through a parser built as the main one is."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station.cli import rules_command
from station.issuer.dcc import vaccination_payload
from station.rules.profiles import ProfileError

AT = datetime(2022, 1, 14, 3, 0, tzinfo=UTC)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("--data-dir")
    subparsers = parser.add_subparsers(dest="command", required=True)
    rules_command.add_parser(subparsers)
    args = parser.parse_args(list(argv))
    code: int = args.handler(args)
    return code


def payload_file(tmp_path: Path, payload: Any) -> str:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return str(path)


def vaccinated(days_ago: int, dose: int = 2, **entry: Any) -> dict[str, Any]:
    payload = vaccination_payload(
        date=(AT - timedelta(days=days_ago)).date().isoformat(), dose=dose
    )
    payload["v"][0].update(entry)
    return payload


def check(tmp_path: Path, payload: Any, *extra: str, profile: str = "checkpoint") -> int:
    return run("rules", "check", profile, "--payload", payload_file(tmp_path, payload), *extra)


def test_a_passing_pass_exits_0_and_shows_every_rule_in_both_languages(tmp_path, capsys):
    assert check(tmp_path, vaccinated(20), "--at", AT.isoformat()) == 0
    out = capsys.readouterr().out
    assert out.count("PASS  ") == 5
    assert "VR-VN-0003" in out and "at least 14 days" in out and "ít nhất 14 ngày" in out
    assert "Verdict: VALID" in out
    assert "Nguyễn" not in out


def test_a_failing_pass_exits_1_and_names_the_rule(tmp_path, capsys):
    assert check(tmp_path, vaccinated(5), "--at", "2022-01-14T10:00:00+07:00") == 1
    out = capsys.readouterr().out
    assert "FAIL  VR-VN-0003 v1.0.0" in out
    assert "Verdict: INVALID (RULE_FAILED)" in out


def test_a_rule_that_cannot_be_checked_exits_3_with_the_reason(tmp_path, capsys):
    payload = vaccinated(20) | {"ver": "0.9.0"}
    assert check(tmp_path, payload, "--at", AT.isoformat()) == 3
    out = capsys.readouterr().out
    assert "OPEN  GR-VN-0001" in out and "why open: written for DCC schema 1.0.0" in out
    assert "Verdict: CHECK_MANUALLY (RULE_OPEN)" in out


def test_an_evaluation_error_is_shown_in_full_to_the_profile_author(tmp_path, capsys):
    payload = vaccinated(20, dn="two")
    assert check(tmp_path, payload, "--at", AT.isoformat()) == 3
    assert "the rule could not be evaluated: " in capsys.readouterr().out


def test_no_rule_for_the_country_exits_3(tmp_path, capsys):
    assert check(tmp_path, vaccinated(20), "--at", AT.isoformat(), "--country", "LA") == 3
    out = capsys.readouterr().out
    assert "No rule of this profile applies" in out and "NO_RULES_APPLY" in out


def test_json_output_lists_results_descriptions_and_the_check(tmp_path, capsys):
    assert check(tmp_path, vaccinated(5), "--at", "2022-01-14", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["profile"], report["status"], report["country"]) == (
        "checkpoint",
        "INVALID",
        "VN",
    )
    assert report["at"] == "2022-01-14T00:00:00+00:00"
    results = {row["identifier"]: row["result"] for row in report["rules"]}
    assert results["VR-VN-0003"] == "FAIL" and results["VR-VN-0002"] == "PASSED"
    assert report["rules"][0]["descriptions"]["vi"]
    assert report["check"]["ok"] is False and report["check"]["code"] == "RULE_FAILED"


def test_invalidation_rules_follow_the_issuer_country(tmp_path, capsys):
    payload = vaccination_payload(date="2022-01-01", country="XX")
    payload["v"][0]["ci"] = "URN:UVCI:01:XX:LAB42/0001#K"
    base = ["--at", "2022-04-01T12:00:00Z", "--json"]
    assert check(tmp_path, payload, *base, profile="eu-arrival") == 1
    assert json.loads(capsys.readouterr().out)["rules"][-1]["identifier"] == "IR-XX-0001"
    assert check(tmp_path, payload, *base, "--issuer-country", "", profile="eu-arrival") == 0


def test_a_profile_file_path_is_accepted(tmp_path, capsys):
    source = Path(rules_command.__file__).parents[1] / "data" / "profiles" / "venue.json"
    profile = tmp_path / "my-venue.json"
    profile.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert check(tmp_path, vaccinated(20), "--at", AT.isoformat(), profile=str(profile)) == 0


def test_an_unknown_profile_is_a_station_error(tmp_path):
    with pytest.raises(ProfileError, match="choose one of"):
        check(tmp_path, vaccinated(20), "--at", AT.isoformat(), profile="airport")


@pytest.mark.parametrize(
    ("content", "expected"),
    [("[1]", "must be a JSON object"), ("{oops", "not a UTF-8 JSON file")],
)
def test_a_bad_payload_file_is_a_station_error(tmp_path, content, expected):
    path = tmp_path / "payload.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(rules_command.PayloadFileError, match=expected):
        run("rules", "check", "venue", "--payload", str(path), "--at", AT.isoformat())
    with pytest.raises(rules_command.PayloadFileError, match="cannot be read"):
        run("rules", "check", "venue", "--payload", str(tmp_path / "no.json"), "--at", "2022-01-01")


def test_a_bad_time_is_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        check(tmp_path, vaccinated(20), "--at", "yesterday")
    assert caught.value.code == 2
    assert "not an ISO 8601 time" in capsys.readouterr().err


def test_list_shows_every_builtin_profile(capsys):
    assert run("rules", "list") == 0
    out = capsys.readouterr().out
    for name in ("checkpoint", "hospital-visitor", "venue", "eu-arrival"):
        assert name in out
    assert "Người vào thăm bệnh viện" in out
    assert run("rules", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["name"]: row["country"] for row in rows}["eu-arrival"] == "XX"
