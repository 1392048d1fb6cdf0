"""Rules the rules fuzzer (fuzz/rules_engine.py) found to raise instead of being refused.

The gateway schema's version pattern (`^\\d+\\.\\d+\\.\\d+`) allows version parts of any length
the station reads parts of one to nine digits. A rule whose EngineVersion (or Version,
SchemaVersion) fell in between used to raise ValueError out of `parse_rule`, which promises
`RuleError`.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from station.rules.eu_rule import RuleError, parse_rule


def _rule() -> dict:
    text = resources.files("station").joinpath("data/profiles/checkpoint.json").read_text("utf-8")
    return dict(json.loads(text)["rules"][0])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("EngineVersion", "4" * 62 + "1.3.2"),  # the fuzzer's input
        ("EngineVersion", "1234567890.0.0"),
        ("Version", "1.9999999999.0"),
        ("SchemaVersion", "10000000000.0.0"),
    ],
    ids=["fuzzer-input", "ten-digit-major", "long-minor", "long-schema-version"],
)
def test_version_the_station_cannot_read_is_a_rule_error(key, value):
    document = _rule() | {key: value}
    with pytest.raises(RuleError, match=f"{key}: .* is not a version"):
        parse_rule(document)


def test_non_ascii_digits_are_refused_by_the_schema():
    with pytest.raises(RuleError, match="does not match"):
        parse_rule(_rule() | {"EngineVersion": "\u0661.\u0663.\u0662"})  # Arabic-Indic digits


def test_the_unchanged_rule_parses():
    assert parse_rule(_rule()).engine_version_key == (1, 3, 2)
