"""One EU DCC business rule in the gateway's JSON format, parsed and checked once.

Rules reach the station in profile files and, later, through rule sync: untrusted input either
way.  Parsing is where a malformed rule is refused, with every problem listed, so that a bad rule
is reported when it arrives instead of failing every pass it is applied to:

- the shape (field names, types, enums, identifier and date patterns, an English description) is
  checked against the gateway's own JSON schema, vendored in `data/eu-dcc-rule-schema/`, so a rule
  the EU gateway would refuse is refused here too, in the same words;
- then what that schema cannot say: the engine must be CertLogic, `ValidFrom` must come before
  `ValidTo`, only invalidation rules may (and must) carry an `IR-` identifier, the identifier names
  the rule's own country, the rule stays below `MAX_RULE_CHARS`, and its `Logic` passes the static
  CertLogic validator.

A rule written for a newer *major* CertLogic version is the one exception to the last check: it
may use operators this station does not know, so it is kept without validation and the runner
reports it as "could not be checked" (OPEN), which is what the EU reference engine does too.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

import jsonschema_rs

from station.errors import StationError
from station.rules.certlogic import JsonValue
from station.rules.certlogic_validate import validate

#: The only rule engine there is; the schema allows any string, the station does not.
ENGINE = "CERTLOGIC"
#: The CertLogic specification `station.rules.certlogic` implements.
ENGINE_VERSION = (1, 3, 2)
#: Serialised size a rule may have; the EU template rules are 1-5 kB each.
MAX_RULE_CHARS = 64 * 1024
#: Problems reported per rule before the list is cut (a garbage rule can have hundreds).
MAX_PROBLEMS = 12

RULE_SCHEMA_RESOURCE = "data/eu-dcc-rule-schema/validation-rule.schema.json"

Version: TypeAlias = tuple[int, int, int]
_VERSION = re.compile(r"(\d{1,9})\.(\d{1,9})\.(\d{1,9})", re.ASCII)
_ACCEPTANCE_PREFIXES = ("GR", "VR", "TR", "RR")


class RuleError(StationError):
    """A rule (or a set of rules) is malformed; the message lists what is wrong."""


class RuleType(StrEnum):
    ACCEPTANCE = "Acceptance"
    INVALIDATION = "Invalidation"


class CertificateType(StrEnum):
    """What a rule applies to; a General rule applies to every pass."""

    GENERAL = "General"
    VACCINATION = "Vaccination"
    TEST = "Test"
    RECOVERY = "Recovery"


def parse_version(text: str) -> Version:
    """The leading `major.minor.patch` of a version string; ValueError if there is none."""
    match = _VERSION.match(text)
    if match is None:
        raise ValueError(f"not a version: {text[:20]!r}")
    return int(match[1]), int(match[2]), int(match[3])


def format_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


@dataclass(frozen=True, slots=True)
class EuRule:
    """A parsed, validated rule.  `logic` is the CertLogic expression, exactly as published."""

    identifier: str
    type: RuleType
    country: str
    version: str
    schema_version: str
    engine: str
    engine_version: str
    certificate_type: CertificateType
    descriptions: tuple[tuple[str, str], ...]
    valid_from: datetime
    valid_to: datetime
    affected_fields: tuple[str, ...]
    logic: dict[str, JsonValue] = field(hash=False, repr=False)
    region: str = ""
    #: The three versions as numbers, parsed once: selection compares them on every scan.
    version_key: Version = field(init=False, repr=False, compare=False)
    engine_version_key: Version = field(init=False, repr=False, compare=False)
    schema_version_key: Version = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "version_key", parse_version(self.version))
        object.__setattr__(self, "engine_version_key", parse_version(self.engine_version))
        object.__setattr__(self, "schema_version_key", parse_version(self.schema_version))

    def description(self, lang: str = "en") -> str:
        """The description in `lang`, else in English (the schema guarantees one)."""
        by_lang = dict(self.descriptions)
        return by_lang.get(lang) or by_lang.get("en") or self.descriptions[0][1]

    def is_valid_at(self, instant: datetime) -> bool:
        """Whether the rule is in force at `instant`: ValidFrom <= instant < ValidTo."""
        return self.valid_from <= instant < self.valid_to

    def to_json(self) -> dict[str, Any]:
        """The rule in the gateway's JSON format (what `parse_rule` reads)."""
        document: dict[str, Any] = {
            "Identifier": self.identifier,
            "Type": str(self.type),
            "Country": self.country,
            "Version": self.version,
            "SchemaVersion": self.schema_version,
            "Engine": self.engine,
            "EngineVersion": self.engine_version,
            "CertificateType": str(self.certificate_type),
            "Description": [{"lang": lang, "desc": desc} for lang, desc in self.descriptions],
            "ValidFrom": self.valid_from.isoformat(),
            "ValidTo": self.valid_to.isoformat(),
            "AffectedFields": list(self.affected_fields),
            "Logic": self.logic,
        }
        if self.region:
            document["Region"] = self.region
        return document


@cache
def _schema_validator() -> Any:
    text = resources.files("station").joinpath(RULE_SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return jsonschema_rs.validator_for(json.loads(text), validate_formats=False)


def _size_problem(document: dict[str, Any]) -> str | None:
    try:
        size = len(json.dumps(document, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        return "the rule is not plain JSON data (or is nested far too deeply)"
    if size > MAX_RULE_CHARS:
        return f"the rule is {size} characters of JSON, more than the limit of {MAX_RULE_CHARS}"
    return None


def _schema_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    for error in _schema_validator().iter_errors(document):
        where = "/".join(str(step) for step in error.instance_path) or "rule"
        problems.append(f"{where}: {error.message}")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _identifier_problems(document: dict[str, Any]) -> list[str]:
    identifier, country = document["Identifier"], document["Country"]
    prefix, id_country = identifier.split("-")[:2]
    problems = []
    if document["Type"] == RuleType.INVALIDATION and prefix != "IR":
        problems.append(
            f"Identifier: an invalidation rule's identifier starts with IR-, not {prefix}-"
        )
    if document["Type"] == RuleType.ACCEPTANCE and prefix not in _ACCEPTANCE_PREFIXES:
        problems.append(f"Identifier: an acceptance rule's identifier cannot start with {prefix}-")
    if id_country != country:
        problems.append(
            f"Identifier: names country {id_country}, but the rule's Country is {country}"
        )
    return problems


def _instant(text: str) -> datetime | None:
    """A schema-valid timestamp as an aware datetime; None for e.g. "2021-19-39T29:00:00Z"."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _content_problems(document: dict[str, Any]) -> list[str]:
    """What the gateway schema leaves open; runs only on a document the schema accepted."""
    problems = _identifier_problems(document)
    if document["Engine"] != ENGINE:
        problems.append(f"Engine: {document['Engine'][:40]!r} is not supported, only {ENGINE}")
    valid_from, valid_to = _instant(document["ValidFrom"]), _instant(document["ValidTo"])
    if valid_from is None or valid_to is None:
        problems.append("ValidFrom/ValidTo: not a real date and time")
    elif valid_from >= valid_to:
        problems.append("ValidFrom: must be earlier than ValidTo")
    versions = _version_problems(document)
    problems += versions
    if not versions and parse_version(document["EngineVersion"])[0] <= ENGINE_VERSION[0]:
        problems += [f"Logic: {message}" for message in validate(document["Logic"])]
    return problems[:MAX_PROBLEMS]


def _version_problems(document: dict[str, Any]) -> list[str]:
    """The schema's pattern allows any number of digits; the station reads at most nine."""
    problems = []
    for key in ("Version", "SchemaVersion", "EngineVersion"):
        try:
            parse_version(document[key])
        except ValueError:
            problems.append(f"{key}: {document[key][:20]!r} is not a version of 1-9 digit parts")
    return problems


def rule_problems(document: object) -> list[str]:
    """Everything wrong with `document` as an EU DCC rule; an empty list means it is valid."""
    if not isinstance(document, dict):
        return ["a rule must be a JSON object"]
    size_problem = _size_problem(document)
    if size_problem:
        return [size_problem]
    return _schema_problems(document) or _content_problems(document)


def parse_rule(document: object) -> EuRule:
    """The rule `document` describes; `RuleError` listing every problem if it is malformed."""
    problems = rule_problems(document)
    if problems:
        name = document.get("Identifier") if isinstance(document, dict) else None
        label = name if isinstance(name, str) and len(name) <= 20 else "rule"
        raise RuleError(f"{label}: " + "; ".join(problems))
    assert isinstance(document, dict)
    return _build(document)


def _build(document: dict[str, Any]) -> EuRule:
    return EuRule(
        identifier=document["Identifier"],
        type=RuleType(document["Type"]),
        country=document["Country"],
        version=document["Version"],
        schema_version=document["SchemaVersion"],
        engine=document["Engine"],
        engine_version=document["EngineVersion"],
        certificate_type=CertificateType(document["CertificateType"]),
        descriptions=tuple((item["lang"], item["desc"]) for item in document["Description"]),
        valid_from=datetime.fromisoformat(document["ValidFrom"]),
        valid_to=datetime.fromisoformat(document["ValidTo"]),
        affected_fields=tuple(document["AffectedFields"]),
        logic=copy.deepcopy(document["Logic"]),
        region=document.get("Region", ""),
    )
