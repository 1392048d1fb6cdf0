"""Profiles: named, versioned sets of EU DCC rules that a station is configured to apply.

A road checkpoint, a hospital entrance and a restaurant door ask different things of the same
pass, so a station does not carry "the" rules but one profile, chosen by name.  A profile is a
JSON file:

    {"name": "checkpoint", "version": "1.0.0",
     "title": {"vi": "...", "en": "..."}, "description": {"vi": "...", "en": "..."},
     "country": "VN", "region": "",
     "rules": [<EU DCC rules in the gateway format>], "sources": ["<document, date, what>"]}

Rules keep the EU format, so the same runner applies a shipped profile and rules synced from an
EU-style gateway, and profiles can be tested with the EU tools.  `country` (and `region`) is what
the station selects acceptance rules by, so every acceptance rule must belong to it; `sources`
says which published policy each profile implements, because a guard's refusal must be
traceable to a document.  A file is validated as a whole and every problem is listed, so a bad
profile is refused at load time, never half-applied.  The shipped profiles live in
`station/data/profiles/` (see the README there for their definitions and sources).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.rules.eu_rule import EuRule, RuleError, RuleType, parse_rule
from station.rules.runner import ExternalParameters, RulesOutcome, load_value_sets, run_rules

PROFILE_DIR = "data/profiles"
#: Largest profile file read; the biggest EU country rule sets are a few hundred kB.
MAX_PROFILE_BYTES = 4 * 1024 * 1024
MAX_RULES = 500
_KEYS = {"name", "version", "title", "description", "country", "region", "rules", "sources"}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,47}", re.ASCII)
_VERSION = re.compile(r"\d{1,9}\.\d{1,9}\.\d{1,9}", re.ASCII)
_COUNTRY = re.compile(r"[A-Z]{2}", re.ASCII)
_REGION = re.compile(r"[A-Z0-9]{0,5}", re.ASCII)
_LANGUAGES = ("vi", "en")


class ProfileError(StationError):
    """A profile file is missing, unreadable or invalid, or no profile has the name asked for."""


@dataclass(frozen=True, slots=True)
class Profile:
    """A validated profile; `origin` is its file path, or "builtin:<name>" for a shipped one."""

    name: str
    version: str
    title: Mapping[str, str] = field(hash=False)
    country: str
    rules: tuple[EuRule, ...]
    sources: tuple[str, ...]
    description: Mapping[str, str] = field(hash=False, default_factory=dict)
    region: str = ""
    origin: str = ""
    #: Value sets the rules read (valueSetId → codes); None = the ones shipped with the station.
    value_sets: Mapping[str, list[str]] | None = field(hash=False, default=None)

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]

    def external(
        self,
        at: datetime,
        *,
        value_sets: Mapping[str, list[str]] | None = None,
        country: str | None = None,
        region: str | None = None,
        issuer_country: str = "",
    ) -> ExternalParameters:
        """External parameters for checking a pass at `at` under this profile.

        The country and region default to the profile's; invalidation rules run only when the
        issuing country is given.
        """
        if value_sets is None:
            value_sets = self.value_sets if self.value_sets is not None else load_value_sets()
        return ExternalParameters(
            validation_clock=at,
            value_sets=value_sets,
            country_code=self.country if country is None else country,
            region=self.region if region is None else region,
            issuer_country_code=issuer_country,
        )

    def check(self, payload: Mapping[str, Any], external: ExternalParameters) -> RulesOutcome:
        return run_rules(self.rules, payload, external)


def _text_map_problems(document: dict[str, Any], key: str, required: bool) -> list[str]:
    value = document.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, dict) or not all(
        isinstance(text, str) and text.strip() for text in value.values()
    ):
        return [f"{key}: must be an object of non-empty texts by language"]
    missing = [lang for lang in _LANGUAGES if lang not in value]
    return [f"{key}: has no text in {', '.join(missing)}"] if missing else []


def _pattern_problem(document: dict[str, Any], key: str, pattern: re.Pattern[str]) -> list[str]:
    value = document.get(key)
    if isinstance(value, str) and pattern.fullmatch(value):
        return []
    return [f"{key}: {str(value)[:40]!r} does not match {pattern.pattern}"]


def _header_problems(document: dict[str, Any]) -> list[str]:
    problems = [f"{key}: unknown field" for key in sorted(set(document) - _KEYS)]
    problems += _pattern_problem(document, "name", _NAME)
    problems += _pattern_problem(document, "version", _VERSION)
    problems += _pattern_problem(document, "country", _COUNTRY)
    if "region" in document:
        problems += _pattern_problem(document, "region", _REGION)
    problems += _text_map_problems(document, "title", required=True)
    problems += _text_map_problems(document, "description", required=False)
    sources = document.get("sources")
    if not isinstance(sources, list) or not sources:
        problems.append("sources: must be a non-empty list of texts")
    elif not all(isinstance(item, str) and item.strip() for item in sources):
        problems.append("sources: every source must be a non-empty text")
    return problems


def _parse_rules(documents: object, country: object) -> tuple[list[EuRule], list[str]]:
    if not isinstance(documents, list) or not 1 <= len(documents) <= MAX_RULES:
        return [], [f"rules: must be a list of 1 to {MAX_RULES} rules"]
    rules, problems = [], []
    for index, document in enumerate(documents):
        try:
            rules.append(parse_rule(document))
        except RuleError as exc:
            problems.append(f"rules[{index}]: {exc}")
    seen: set[tuple[str, str]] = set()
    for rule in rules:
        if (rule.identifier, rule.version) in seen:
            problems.append(f"rules: {rule.identifier} version {rule.version} appears twice")
        seen.add((rule.identifier, rule.version))
        if rule.type is RuleType.ACCEPTANCE and rule.country != country:
            problems.append(
                f"rules: {rule.identifier} is an acceptance rule of {rule.country}, "
                f"but the profile is for {country}"
            )
    return rules, problems


def parse_profile(document: object, origin: str = "") -> Profile:
    """The profile `document` describes; `ProfileError` listing every problem if it is invalid."""
    if not isinstance(document, dict):
        raise ProfileError(f"{origin or 'profile'}: a profile must be a JSON object")
    problems = _header_problems(document)
    rules, rule_problems = _parse_rules(document.get("rules"), document.get("country"))
    problems += rule_problems
    if problems:
        raise ProfileError(f"{origin or 'profile'}: " + "\n  ".join(["invalid profile", *problems]))
    return Profile(
        name=document["name"],
        version=document["version"],
        title=dict(document["title"]),
        country=document["country"],
        rules=tuple(rules),
        sources=tuple(document["sources"]),
        description=dict(document.get("description") or {}),
        region=document.get("region", ""),
        origin=origin,
    )


def _parse_text(text: str, origin: str) -> Profile:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ProfileError(f"{origin}: not valid JSON ({type(exc).__name__})") from None
    return parse_profile(document, origin)


def load_profile(path: str | Path) -> Profile:
    """Read and validate the profile file at `path`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{path}: larger than {MAX_PROFILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text") from None
    return _parse_text(text, str(path))


@cache
def builtin_profiles() -> tuple[Profile, ...]:
    """The profiles shipped in `station/data/profiles/`, sorted by name."""
    found = []
    for entry in resources.files("station").joinpath(PROFILE_DIR).iterdir():
        if entry.name.endswith(".json"):
            name = entry.name.removesuffix(".json")
            found.append(_parse_text(entry.read_text(encoding="utf-8"), f"builtin:{name}"))
    return tuple(sorted(found, key=lambda profile: profile.name))


def profile_by_name(name: str) -> Profile:
    """The shipped profile called `name`; `ProfileError` naming the choices if there is none."""
    for profile in builtin_profiles():
        if profile.name == name:
            return profile
    names = ", ".join(profile.name for profile in builtin_profiles())
    raise ProfileError(f"no built-in profile is called {name[:40]!r}; choose one of: {names}")


def resolve_profile(name_or_path: str) -> Profile:
    """A shipped profile by name, else the profile file at that path."""
    if _NAME.fullmatch(name_or_path) and not Path(name_or_path).exists():
        return profile_by_name(name_or_path)
    return load_profile(name_or_path)
