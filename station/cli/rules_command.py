"""`station rules check PROFILE --payload FILE --at TIME` and `station rules list`.

`check` is for the people who write and approve profiles: it runs one profile on one decoded
pass (the DCC hcert payload, `{"ver", "nam", "dob", "v"|"t"|"r"}`) at a pinned time, and shows
every rule that applied with its result and its description in English and Vietnamese, so a
policy can be checked case by case before it reaches a station.  The exit status is the verdict:
0 every rule passed, 1 a rule failed, 3 a rule could not be checked or none applied (2 is left
to the main program for errors such as an unreadable file).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.reasons import Status
from station.rules.profiles import Profile, builtin_profiles, resolve_profile
from station.rules.runner import RuleOutcome, RulesOutcome

MAX_PAYLOAD_BYTES = 1024 * 1024
EXIT_CODES = {Status.VALID: 0, Status.INVALID: 1, Status.CHECK_MANUALLY: 3}
_LABELS = {"PASSED": "PASS", "FAIL": "FAIL", "OPEN": "OPEN"}


class PayloadFileError(StationError):
    """The payload file is missing, too large or not a JSON object."""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("rules", help="business-rule profiles: list them, try them")
    commands = parser.add_subparsers(dest="rules_command", required=True)
    checker = commands.add_parser("check", help="run a profile on one DCC payload at a given time")
    checker.add_argument("profile", help="a built-in profile name or a profile JSON file")
    checker.add_argument("--payload", required=True, help="DCC hcert payload JSON file")
    checker.add_argument(
        "--at", required=True, type=parse_time, help="ISO 8601 time of the check (no offset: UTC)"
    )
    checker.add_argument("--country", help="country of arrival (default: the profile's)")
    checker.add_argument("--region", help="region within the country (default: the profile's)")
    checker.add_argument(
        "--issuer-country",
        help="country that issued the pass, for invalidation rules (default: the entry's co)",
    )
    checker.add_argument("--json", action="store_true", help="print JSON instead of text")
    checker.set_defaults(handler=run_check)
    lister = commands.add_parser("list", help="list the built-in profiles")
    lister.add_argument("--json", action="store_true", help="print JSON instead of text")
    lister.set_defaults(handler=run_list)


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or date-time; one without an offset is taken as UTC."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text[:40]!r}") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def read_payload(name: str) -> dict[str, Any]:
    try:
        with Path(name).open("rb") as handle:
            data = handle.read(MAX_PAYLOAD_BYTES + 1)
    except OSError as exc:
        raise PayloadFileError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadFileError(f"{name}: larger than {MAX_PAYLOAD_BYTES} bytes")
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadFileError(f"{name}: not a UTF-8 JSON file") from None
    if not isinstance(payload, dict):
        raise PayloadFileError(f"{name}: the payload must be a JSON object")
    return payload


def entry_country(payload: dict[str, Any]) -> str:
    """The `co` of the pass's first entry: the best guess at the issuer without the CWT."""
    for key in ("v", "t", "r"):
        entries = payload.get(key)
        if isinstance(entries, list) and entries and isinstance(entries[0], dict):
            country = entries[0].get("co")
            return country if isinstance(country, str) else ""
    return ""


def run_check(args: argparse.Namespace) -> int:
    profile = resolve_profile(args.profile)
    payload = read_payload(args.payload)
    issuer = args.issuer_country if args.issuer_country is not None else entry_country(payload)
    external = profile.external(
        args.at, country=args.country, region=args.region, issuer_country=issuer
    )
    outcome = profile.check(payload, external)
    if args.json:
        print(json.dumps(_check_json(profile, outcome, external.country_code, args.at), indent=2))
    else:
        _print_check(profile, outcome, external.country_code, args.at)
    return EXIT_CODES[outcome.status]


def _check_json(
    profile: Profile, outcome: RulesOutcome, country: str, at: datetime
) -> dict[str, Any]:
    return {
        "profile": profile.name,
        "profile_version": profile.version,
        "country": country,
        "at": at.isoformat(),
        **outcome.to_json(),
        "check": outcome.to_check().to_json(),
    }


def _print_check(profile: Profile, outcome: RulesOutcome, country: str, at: datetime) -> None:
    kind = outcome.certificate_type or "no single entry type"
    print(f"Profile {profile.name} {profile.version}: {profile.title_in('en')}")
    print(f"  {profile.title_in('vi')}")
    print(f"Pass: {kind}; country {country}; at {at.isoformat()}")
    print()
    if not outcome.results:
        print("No rule of this profile applies to this pass here.")
    for item in outcome.results:
        _print_rule(item)
    print()
    check = outcome.to_check()
    print(f"Verdict: {outcome.status} ({outcome.reason})")
    print(f"  {check.message}")


def _print_rule(item: RuleOutcome) -> None:
    label = _LABELS[str(item.result)]
    print(f"{label}  {item.identifier} v{item.rule.version}")
    print(f"      en: {item.rule.description('en')}")
    print(f"      vi: {item.rule.description('vi')}")
    if item.detail:
        print(f"      why open: {item.detail}" + (f": {item.error}" if item.error else ""))


def run_list(args: argparse.Namespace) -> int:
    profiles = builtin_profiles()
    if args.json:
        rows = [
            {
                "name": profile.name,
                "version": profile.version,
                "country": profile.country,
                "rules": len(profile.rules),
                "title": dict(profile.title),
            }
            for profile in profiles
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for profile in profiles:
        print(
            f"{profile.name:<18} {profile.version:<8} {profile.country:<3} "
            f"{len(profile.rules):>3} rules  {profile.title_in('en')}"
        )
        print(f"{'':<18} {'':<8} {'':<3} {'':>9}  {profile.title_in('vi')}")
    return 0
