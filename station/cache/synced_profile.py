"""A business-rule profile made of the rules and value sets the station synced from its hub.

`--profile synced:VN` applies the acceptance rules the hub publishes for VN (and every
invalidation rule it publishes) instead of a profile shipped with the station, with the synced
value sets when there are any. Rules arrived signed and hash-checked; one that this station's
engine cannot read is left out and counted, rather than refusing the whole set, so one new rule
format never stops a checkpoint. With no synced rules at all there is no profile: `ProfileError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from station.cache.database import CacheDatabase
from station.cache.rules_store import RulesCache
from station.rules.eu_rule import EuRule, RuleError, RuleType, parse_rule
from station.rules.profiles import Profile, ProfileError

PREFIX = "synced:"


@dataclass(frozen=True, slots=True)
class SyncedRules:
    profile: Profile
    unreadable: int


def synced_profile(cache: CacheDatabase, country: str, region: str = "") -> SyncedRules:
    """The profile of the synced rules that apply in `country` (and `region`)."""
    store = RulesCache(cache)
    rules: list[EuRule] = []
    unreadable = 0
    for body in store.rule_bodies():
        try:
            rule = parse_rule(json.loads(body))
        except (RuleError, ValueError, RecursionError):
            unreadable += 1
            continue
        if rule.type is RuleType.INVALIDATION or rule.country == country:
            rules.append(rule)
    if not rules:
        raise ProfileError(f"no synced rules for {country}: run `station sync` first")
    codes = store.value_set_codes()
    profile = Profile(
        name=f"synced-{country.lower()}",
        version="0.0.0",
        title={
            "en": f"Rules synced from the hub ({country})",
            "vi": f"Quy tắc từ máy chủ ({country})",
        },
        country=country,
        rules=tuple(rules),
        sources=("rules and value sets synced from the station's hub",),
        region=region,
        origin=f"{PREFIX}{country}",
        value_sets=codes or None,
    )
    return SyncedRules(profile, unreadable)
