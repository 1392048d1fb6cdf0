"""The demo world: a credential of every family a station reads, valid and invalid, and everything
a hub publishes so that a station enrolled there and synced judges each one as labelled.

`build_demo_world()` issues the credentials with fresh keys; `sync.hub.demo_population.
populate_hub()` publishes the world's trust data at a (throw-away) hub. Nothing here is installed
on the station directly: every verdict comes from data the station synced, as at a real gate.

How each family is trusted:

- EU DCC and WHO DDCC: their document signers go into the hub's trust list; one EU pass is on
  the hub's revocation list.
- SMART Health Card, DIVOC: the issuer and its keys are allow-listed at the hub (the SHC issuer
  with a CRL naming one card's `rid`).
- ICAO VDS-NC: the country's CSCA is allow-listed for "VNM", with one barcode signer's serial
  listed as revoked.
- NZ COVID Pass: a station accepts passes only from the production issuer DID pinned in code,
  plus the DIDs in its `nzcp_extra_issuers` setting. The demo issuer has a DID of its own, which
  the demo station adds to that setting (`DemoWorld.station_settings`); its key is allow-listed
  at the hub like any issuer's. A demo hub must never serve real stations: it trusts demo
  signers of every family.
- PC-Covid and chip ID card QRs: unsigned; the hub's status list decides.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from station.issuer.demo_set import demo_now
from station.issuer.demo_world_hcert import eu_dcc_part, who_ddcc_part
from station.issuer.demo_world_issuers import (
    NZCP_ISSUER,
    divoc_part,
    icao_vds_part,
    nz_covid_pass_part,
    smart_health_card_part,
)
from station.issuer.demo_world_model import (
    FAMILIES,
    DemoCredential,
    IssuerRegistration,
    StatusRegistration,
    WorldPart,
    family_rng,
)
from station.issuer.demo_world_national import cccd_part, pccovid_part
from station.reasons import Status

DEFAULT_SEED = 1405

Builder = Callable[[datetime, random.Random], WorldPart]
#: One builder per family (the EU builder also gives the one "other" code, the shop barcode).
_BUILDERS: tuple[tuple[str, Builder], ...] = (
    ("dcc", eu_dcc_part),
    ("ddcc", who_ddcc_part),
    ("shc", smart_health_card_part),
    ("nzcp", nz_covid_pass_part),
    ("vds", icao_vds_part),
    ("divoc", divoc_part),
    ("vn_pccovid", pccovid_part),
    ("vn_cccd", cccd_part),
)


@dataclass(frozen=True)
class DemoWorld:
    """The credentials in showing order, and the hub data their expected verdicts rely on."""

    now: datetime
    dsc_ders: tuple[bytes, ...]
    issuers: tuple[IssuerRegistration, ...]
    statuses: tuple[StatusRegistration, ...]
    revoked_texts: tuple[str, ...]
    credentials: tuple[DemoCredential, ...]
    #: `station settings set KEY VALUE` the demo station needs (the demo NZCP issuer's DID).
    station_settings: tuple[tuple[str, str], ...] = ()


def build_demo_world(now: datetime | None = None, seed: int = DEFAULT_SEED) -> DemoWorld:
    """The world at `now` (default: this second). People, labels and expected verdicts depend
    only on `seed`; keys, and so the signed texts, are fresh on every call."""
    instant = now or demo_now()
    if instant.tzinfo is None:
        raise ValueError("the demo's time needs a time zone")
    parts = [build(instant, family_rng(seed, family)) for family, build in _BUILDERS]
    return DemoWorld(
        now=instant,
        dsc_ders=tuple(der for part in parts for der in part.dsc_ders),
        issuers=tuple(issuer for part in parts for issuer in part.issuers),
        statuses=tuple(status for part in parts for status in part.statuses),
        revoked_texts=tuple(text for part in parts for text in part.revoked_texts),
        credentials=showing_order([c for part in parts for c in part.credentials]),
        station_settings=(("nzcp_extra_issuers", NZCP_ISSUER),),
    )


def showing_order(credentials: Sequence[DemoCredential]) -> tuple[DemoCredential, ...]:
    """Families spread evenly through the show, never two of one family in a row where that
    can be helped, and verdicts mixed within each family; the show opens with a valid EU pass.

    At each step the family whose next credential is most overdue goes next: its k-th of n
    credentials is due at (k + 0.5) / n of the way through.
    """
    queues: dict[str, list[DemoCredential]] = {}
    for credential in credentials:
        queues.setdefault(credential.family, []).append(credential)
    for index, family in enumerate(sorted(queues, key=_rank)):
        queues[family] = _mixed(queues[family], valid_first=index % 2 == 0)
    totals = {family: len(queue) for family, queue in queues.items()}
    shown: list[DemoCredential] = []
    previous = ""
    while len(shown) < len(credentials):
        waiting = [family for family, queue in queues.items() if queue]
        choices = [family for family in waiting if family != previous] or waiting
        family = min(
            choices,
            key=lambda f: ((totals[f] - len(queues[f]) + 0.5) / totals[f], _rank(f)),
        )
        shown.append(queues[family].pop(0))
        previous = family
    return tuple(shown)


def _rank(family: str) -> int:
    return FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)


def _mixed(queue: list[DemoCredential], *, valid_first: bool) -> list[DemoCredential]:
    """The family's credentials with accepted and refused ones taking turns, so the show
    alternates verdicts as well as families (each kind keeps its own order)."""
    valid = [c for c in queue if c.expected == Status.VALID]
    other = [c for c in queue if c.expected != Status.VALID]
    first, second = (valid, other) if valid_first else (other, valid)
    mixed: list[DemoCredential] = []
    for index in range(max(len(first), len(second))):
        mixed += first[index : index + 1] + second[index : index + 1]
    return mixed


__all__ = [
    "DEFAULT_SEED",
    "DemoCredential",
    "DemoWorld",
    "IssuerRegistration",
    "StatusRegistration",
    "build_demo_world",
    "showing_order",
]
