"""Rules and value sets in the cache: replacement diffs by hash, value-set codes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.rules_store import ListDiff, RulesCache, StoredRule, StoredValueSet


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


def rule(identifier: str, version: str = "1.0.0", country: str = "VN") -> StoredRule:
    body = json.dumps({"Identifier": identifier, "Version": version, "Country": country}).encode()
    return StoredRule(identifier, version, country, hashlib.sha256(body).hexdigest(), body)


def value_set(set_id: str, codes: list[str]) -> StoredValueSet:
    document = {"valueSetId": set_id, "valueSetValues": {c: {"display": c} for c in codes}}
    body = json.dumps(document).encode()
    return StoredValueSet(set_id, hashlib.sha256(body).hexdigest(), body)


def test_rules_are_replaced_by_hash(cache: CacheDatabase):
    rules = RulesCache(cache)
    a, b, c = rule("VR-VN-0000"), rule("TR-VN-0000"), rule("GR-DE-0001", country="DE")
    assert rules.replace_rules([a, b]) == ListDiff(added=2, removed=0, unchanged=0)
    stamp = cache.conn.execute("SELECT rowid FROM rules WHERE hash = ?", (a.hash,)).fetchone()
    a_listed_again = StoredRule(a.identifier, a.version, a.country, a.hash, b"")
    assert rules.replace_rules([a_listed_again, c]) == ListDiff(added=1, removed=1, unchanged=1)
    assert cache.conn.execute("SELECT rowid FROM rules WHERE hash = ?", (a.hash,)).fetchone() == (
        stamp
    ), "an unchanged rule is kept, not rewritten"
    assert rules.rule_bodies() == [c.body, a.body]
    assert rules.rule_index() == [
        {"identifier": c.identifier, "version": "1.0.0", "country": "DE", "hash": c.hash},
        {"identifier": a.identifier, "version": "1.0.0", "country": "VN", "hash": a.hash},
    ]


def test_a_new_rule_version_replaces_the_old_one(cache: CacheDatabase):
    rules = RulesCache(cache)
    rules.replace_rules([rule("VR-VN-0000", "1.0.0")])
    newer = rule("VR-VN-0000", "1.1.0")
    assert rules.replace_rules([newer]) == ListDiff(1, 1, 0)
    assert [r["version"] for r in rules.rule_index()] == ["1.1.0"]


def test_a_new_rule_without_a_body_is_refused_and_nothing_changes(cache: CacheDatabase):
    rules = RulesCache(cache)
    rules.replace_rules([rule("VR-VN-0000")])
    before = cache.content_digest()
    empty = StoredRule("VR-VN-0001", "1.0.0", "VN", "ab" * 32, b"")
    with pytest.raises(ValueError, match="no body"):
        rules.replace_rules([empty])
    assert cache.content_digest() == before


def test_value_set_codes_and_hashes(cache: CacheDatabase):
    rules = RulesCache(cache)
    vaccines = value_set("vaccines-covid-19-names", ["EU/1/20/1528", "EU/1/20/1507"])
    tests = value_set("covid-19-lab-test-type", ["LP6464-4", "LP217198-3"])
    assert rules.replace_value_sets([vaccines, tests]) == ListDiff(2, 0, 0)
    assert rules.value_set_codes() == {
        "covid-19-lab-test-type": ["LP217198-3", "LP6464-4"],
        "vaccines-covid-19-names": ["EU/1/20/1507", "EU/1/20/1528"],
    }
    assert rules.value_set_hashes() == {
        "covid-19-lab-test-type": tests.hash,
        "vaccines-covid-19-names": vaccines.hash,
    }


def test_value_sets_are_diffed_by_id_and_hash(cache: CacheDatabase):
    rules = RulesCache(cache)
    old = value_set("vaccines-covid-19-names", ["EU/1/20/1528"])
    other = value_set("disease-agent-targeted", ["840539006"])
    rules.replace_value_sets([old, other])
    new = value_set("vaccines-covid-19-names", ["EU/1/20/1528", "EU/1/21/1529"])
    held_again = StoredValueSet(other.id, other.hash, b"")
    assert rules.replace_value_sets([new, held_again]) == ListDiff(1, 0, 1)
    assert rules.value_set_codes()["vaccines-covid-19-names"] == ["EU/1/20/1528", "EU/1/21/1529"]
    assert rules.replace_value_sets([held_again]) == ListDiff(0, 1, 1)
    assert list(rules.value_set_codes()) == ["disease-agent-targeted"]


def test_an_empty_body_is_taken_from_a_held_value_set_with_that_hash(cache: CacheDatabase):
    rules = RulesCache(cache)
    held = value_set("old-id", ["A"])
    rules.replace_value_sets([held])
    renamed = StoredValueSet("new-id", held.hash, b"")
    assert rules.replace_value_sets([renamed]) == ListDiff(1, 1, 0)
    assert rules.value_set_codes() == {"new-id": ["A"]}


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'{"valueSetId": "x"}', b'{"valueSetValues": []}']
)
def test_a_body_that_is_not_a_value_set_is_refused(cache: CacheDatabase, body: bytes):
    with pytest.raises(ValueError):
        RulesCache(cache).replace_value_sets([StoredValueSet("x", "cd" * 32, body)])
    assert RulesCache(cache).value_set_hashes() == {}
