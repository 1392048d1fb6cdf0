"""Harness 5b: business rules as a station receives them, and the CertLogic engine.

The first byte picks the target (mod 4):

0. one rule document (JSON), as `synced_profile` reads a synced rule: `parse_rule` (schema,
   identifiers, the CertLogic validator), then the rule run on an EU DCC payload;
1. a JSON array `[expression, data]`: the validator, then `evaluate` on the data;
2. the rules list and rule bodies from the hub (`sync_rules`, X-SIGNATURE and hashes checked),
   then the synced profile built from what arrived;
3. the value-set list and value sets from the hub (`sync_value_sets`).

Refusals allowed: `RuleError`, `CertLogicError`, `SyncError`, `ProfileError`. The evaluator's
catch-all ("could not be evaluated") is reported as a finding: every failure of a JSON input
is meant to be caught by a specific check before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from fuzz import vectors
from fuzz.replay import ANSWER_BREAK, ReplayHub, answers, sync_bench
from fuzz.station_setup import BrokenPromise, fuzz_station
from station.cache.synced_profile import synced_profile
from station.issuer.dcc import vaccination_payload
from station.rules.certlogic import CertLogicError, evaluate
from station.rules.certlogic_validate import validate
from station.rules.eu_rule import RuleError, parse_rule
from station.rules.profiles import ProfileError, resolve_profile
from station.rules.runner import run_rules
from sync.errors import SyncError
from sync.rules import sync_rules, sync_value_sets

RULE, LOGIC, RULES_SYNC, VALUE_SETS_SYNC = range(4)
BACKSTOP = "could not be evaluated"


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    if not data:
        return
    target, body = data[0] % 4, data[1:]
    if target in (RULES_SYNC, VALUE_SETS_SYNC):
        _sync(target, body)
        return
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return  # the sync refuses a body that is not JSON before it is stored
    if target == RULE:
        _rule(document)
    else:
        _logic(document)


def _rule(document: Any) -> None:
    try:
        rule = parse_rule(document)
    except RuleError:
        return
    station = fuzz_station()
    profile = resolve_profile("checkpoint")
    external = profile.external(station.now, country=rule.country, issuer_country="VN")
    run_rules((rule,), vaccination_payload(), external)


def _logic(document: Any) -> None:
    if not isinstance(document, list) or len(document) != 2:
        return
    expression, data = document
    validate(expression)
    try:
        evaluate(expression, data)
    except CertLogicError as exc:
        if BACKSTOP in str(exc):
            raise BrokenPromise(f"CertLogic backstop reached: {exc}") from exc


def _sync(target: int, body: bytes) -> None:
    bench = sync_bench()
    hub = ReplayHub(bench.key, answers(body), as_bundles=False)
    try:
        with bench.rolled_back():
            if target == RULES_SYNC:
                sync_rules(bench.context(hub))
                synced_profile(bench.cache, "VN")
            else:
                sync_value_sets(bench.context(hub))
    except (SyncError, ProfileError):
        pass


def seeds() -> Iterator[bytes]:
    profile_rules = _profile_rules()
    for rule in profile_rules:
        yield bytes([RULE]) + json.dumps(rule).encode()
    for expression, data in vectors.certlogic_cases():
        yield bytes([LOGIC]) + json.dumps([expression, data]).encode()
    for expression in vectors.certlogic_expressions():
        yield bytes([LOGIC]) + json.dumps([expression, {}]).encode()
    yield bytes([RULES_SYNC]) + _rules_answers(profile_rules[:2])
    value_set = json.dumps({"valueSetId": "disease-agent-targeted", "valueSetValues": {}}).encode()
    listing = [{"id": "disease-agent-targeted", "hash": _sha256(value_set)}]
    yield bytes([VALUE_SETS_SYNC]) + ANSWER_BREAK.join([json.dumps(listing).encode(), value_set])


def _profile_rules() -> list[Any]:
    path = vectors.VECTORS.parents[1] / "station" / "data" / "profiles" / "checkpoint.json"
    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    return list(rules)


def _rules_answers(rules: list[Any]) -> bytes:
    bodies = [json.dumps(rule).encode() for rule in rules]
    listing = [
        {
            "identifier": rule["Identifier"],
            "version": rule["Version"],
            "country": rule["Country"],
            "hash": _sha256(body),
        }
        for rule, body in zip(rules, bodies, strict=True)
    ]
    return ANSWER_BREAK.join([json.dumps(listing).encode(), *bodies])


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
