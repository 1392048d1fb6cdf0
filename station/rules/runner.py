"""Run EU DCC business rules on one pass, the way the EU reference engine does.

Selection and evaluation follow the EU verifier apps (dgca-verifier-app-android and its
CertLogic engine), so a rule set behaves here as it does in the apps its authors tested it with:

- acceptance rules are those of the country of arrival (`countryCode`) and of the station's region
  (compared trimmed and case-blind; no region selects the rules without one); invalidation rules
  are those of the country that issued the pass (`issuerCountryCode`), whatever the region;
- a rule applies when its CertificateType is General or matches the pass (v, t or r), and when
  the validation clock is in ValidFrom <= clock < ValidTo;
- of the versions of one Identifier still in the running, only the highest is run;
- the data a rule sees is `{"payload": <hcert payload>, "external": {...}}` with the EU engine's
  external parameters (`ExternalParameters.to_json`).

Each rule ends PASSED, FAIL or OPEN.  OPEN means "could not be checked": the rule needs a newer
CertLogic major version than ours, or a DCC schema newer than the 1.3.x this station reads, or
newer than the pass states (the EU engine's compatibility test), or its evaluation raised
`CertLogicError` or gave something other than true or false.  An OPEN rule never counts as
passed: the verdict is INVALID if any rule failed, else CHECK_MANUALLY if any rule is open or none
applied at all, and VALID only when every selected rule passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from station.model import Check
from station.reasons import Reason, Status, message_for
from station.rules.certlogic import CertLogicError, JsonValue, evaluate
from station.rules.eu_rule import (
    ENGINE,
    ENGINE_VERSION,
    CertificateType,
    EuRule,
    RuleType,
    Version,
    format_version,
    parse_version,
)
from station.rules.external import ExternalParameters, load_value_sets

__all__ = [
    "ExternalParameters",
    "RuleOutcome",
    "RuleResult",
    "RulesOutcome",
    "certificate_type_of",
    "incompatibility",
    "load_value_sets",
    "run_rule",
    "run_rules",
    "select_rules",
]

#: Reason codes of the "rules" check.
RULE_FAILED = Reason.RULE_FAILED
RULE_OPEN = Reason.RULE_OPEN
NO_RULES_APPLY = Reason.NO_RULES_APPLY
CHECK_NAME = "rules"

#: Major and minor version of the DCC schema the station reads (vendored 1.3.x).
SUPPORTED_SCHEMA = (1, 3)
_ENTRY_TYPES = {
    "v": CertificateType.VACCINATION,
    "t": CertificateType.TEST,
    "r": CertificateType.RECOVERY,
}


class RuleResult(StrEnum):
    PASSED = "PASSED"
    FAIL = "FAIL"
    OPEN = "OPEN"


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One selected rule and what it gave.

    `detail` says why a rule is OPEN in words that hold no personal data (it may reach logs and
    the guard's screen); `error` keeps the evaluator's own message, which can quote payload
    values, for offline diagnosis (`station rules check`) only.
    """

    rule: EuRule
    result: RuleResult
    detail: str = ""
    error: str = ""

    @property
    def identifier(self) -> str:
        return self.rule.identifier

    @property
    def descriptions(self) -> dict[str, str]:
        return dict(self.rule.descriptions)

    @property
    def affected_fields(self) -> tuple[str, ...]:
        return self.rule.affected_fields

    def to_json(self) -> dict[str, Any]:
        return {
            "identifier": self.rule.identifier,
            "version": self.rule.version,
            "type": str(self.rule.type),
            "certificate_type": str(self.rule.certificate_type),
            "result": str(self.result),
            "detail": self.detail,
            "descriptions": self.descriptions,
            "affected_fields": list(self.affected_fields),
        }


@dataclass(frozen=True, slots=True)
class RulesOutcome:
    """Every selected rule's result and the verdict they force."""

    results: tuple[RuleOutcome, ...]
    certificate_type: CertificateType | None
    status: Status
    reason: str

    def with_result(self, result: RuleResult) -> tuple[RuleOutcome, ...]:
        return tuple(item for item in self.results if item.result is result)

    @property
    def failed(self) -> tuple[RuleOutcome, ...]:
        return self.with_result(RuleResult.FAIL)

    @property
    def open(self) -> tuple[RuleOutcome, ...]:
        return self.with_result(RuleResult.OPEN)

    def to_check(self, lang: str = "en") -> Check:
        """The "rules" check: the first failing (else first open) rule names the problem.

        The message is the reason's English text followed by that rule's description in
        `lang`; the code is what front ends translate.
        """
        if self.status is Status.VALID:
            return Check.passed(CHECK_NAME)
        if self.reason == Reason.CERTIFICATE_TYPE_AMBIGUOUS:
            return Check.failed(CHECK_NAME, Reason.CERTIFICATE_TYPE_AMBIGUOUS)
        message = message_for(Reason(self.reason))
        first = (self.failed or self.open or (None,))[0]
        if first is not None:
            message = f"{message} ({first.identifier}: {first.rule.description(lang)})"
        return Check(CHECK_NAME, False, self.reason, message)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "reason": self.reason,
            "certificate_type": str(self.certificate_type) if self.certificate_type else None,
            "rules": [item.to_json() for item in self.results],
        }


def certificate_type_of(payload: Mapping[str, Any]) -> CertificateType | None:
    """The type of the pass's single entry; None when it has none or several (not a valid DCC)."""
    found = [kind for key, kind in _ENTRY_TYPES.items() if payload.get(key)]
    return found[0] if len(found) == 1 else None


def _applies_to(rule: EuRule, certificate_type: CertificateType | None) -> bool:
    return rule.certificate_type in (CertificateType.GENERAL, certificate_type)


def _highest_versions(rules: Iterable[EuRule]) -> list[EuRule]:
    best: dict[str, tuple[Version, EuRule]] = {}
    for rule in rules:
        key = rule.version_key
        if rule.identifier not in best or key > best[rule.identifier][0]:
            best[rule.identifier] = (key, rule)
    return [best[identifier][1] for identifier in sorted(best)]


def _same_region(rule: EuRule, region: str) -> bool:
    return rule.region.strip().casefold() == region.strip().casefold()


def select_rules(
    rules: Iterable[EuRule],
    certificate_type: CertificateType | None,
    external: ExternalParameters,
) -> list[EuRule]:
    """The rules the EU engine would run on a pass of `certificate_type`: acceptance, then
    invalidation, each sorted by identifier."""
    clock = external.validation_clock
    candidates = [
        rule for rule in rules if _applies_to(rule, certificate_type) and rule.is_valid_at(clock)
    ]
    acceptance = [
        rule
        for rule in candidates
        if rule.type is RuleType.ACCEPTANCE
        and rule.country == external.country_code
        and _same_region(rule, external.region)
    ]
    invalidation = [
        rule
        for rule in candidates
        if rule.type is RuleType.INVALIDATION
        and external.issuer_country_code
        and rule.country == external.issuer_country_code
    ]
    return _highest_versions(acceptance) + _highest_versions(invalidation)


def _payload_version(payload: Mapping[str, Any]) -> Version | None:
    version = payload.get("ver")
    if not isinstance(version, str):
        return None
    try:
        return parse_version(version)
    except ValueError:
        return None


def incompatibility(rule: EuRule, payload_version: Version | None) -> str:
    """Why this station cannot run `rule` on a pass of `payload_version`; "" when it can."""
    engine, schema = rule.engine_version_key, rule.schema_version_key
    if rule.engine != ENGINE or engine[0] > ENGINE_VERSION[0]:
        return (
            f"written for {rule.engine} {rule.engine_version}; this station runs "
            f"CertLogic {format_version(ENGINE_VERSION)}"
        )
    if schema[:2] > SUPPORTED_SCHEMA:
        return (
            f"written for DCC schema {rule.schema_version}; this station reads "
            f"{'.'.join(map(str, SUPPORTED_SCHEMA))}.x"
        )
    if payload_version is None:
        return "the pass does not state a readable schema version"
    if payload_version[0] != schema[0] or payload_version < schema:
        return (
            f"written for DCC schema {rule.schema_version}; the pass uses "
            f"{format_version(payload_version)}"
        )
    return ""


def run_rule(rule: EuRule, data: JsonValue, payload_version: Version | None) -> RuleOutcome:
    """One rule on the prepared data; never raises for anything the rule or payload holds."""
    reason = incompatibility(rule, payload_version)
    if reason:
        return RuleOutcome(rule, RuleResult.OPEN, reason)
    try:
        value = evaluate(rule.logic, data)
    except CertLogicError as exc:
        return RuleOutcome(rule, RuleResult.OPEN, "the rule could not be evaluated", str(exc))
    if value is True:
        return RuleOutcome(rule, RuleResult.PASSED)
    if value is False:
        return RuleOutcome(rule, RuleResult.FAIL)
    return RuleOutcome(rule, RuleResult.OPEN, "the rule gave neither true nor false")


def _verdict(
    results: tuple[RuleOutcome, ...], certificate_type: CertificateType | None
) -> tuple[Status, str]:
    outcomes = {item.result for item in results}
    if RuleResult.FAIL in outcomes:
        return Status.INVALID, RULE_FAILED
    if certificate_type is None:
        reason = Reason.CERTIFICATE_TYPE_AMBIGUOUS
        return Status.INVALID, str(reason)
    if RuleResult.OPEN in outcomes:
        return Status.CHECK_MANUALLY, RULE_OPEN
    if not results:
        return Status.CHECK_MANUALLY, NO_RULES_APPLY
    return Status.VALID, str(Reason.OK)


def run_rules(
    rules: Iterable[EuRule], payload: Mapping[str, Any], external: ExternalParameters
) -> RulesOutcome:
    """Select the rules that apply to `payload` (a DCC hcert payload) and run each of them.

    A pass without exactly one vaccination, test or recovery entry is INVALID
    (CERTIFICATE_TYPE_AMBIGUOUS) whatever the General rules say, as no type-specific rule
    could be chosen for it.
    """
    certificate_type = certificate_type_of(payload)
    # CertLogic's `var` drills into dicts only, so a read-only mapping is copied (top level).
    plain = payload if isinstance(payload, dict) else dict(payload)
    data = cast(JsonValue, {"payload": plain, "external": external.to_json()})
    payload_version = _payload_version(payload)
    results = tuple(
        run_rule(rule, data, payload_version)
        for rule in select_rules(rules, certificate_type, external)
    )
    status, reason = _verdict(results, certificate_type)
    return RulesOutcome(results, certificate_type, status, reason)
