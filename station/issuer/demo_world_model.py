"""The pieces of the demo world: labelled credentials and what a hub publishes to judge them.

Kept apart from `station.issuer.demo_world` so that the per-family builders can share them
without importing the module that assembles the world from those builders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.issuer import shc
from station.issuer.divoc import divoc_qr_png
from station.issuer.nzcp import nzcp_qr_png
from station.issuer.qr_image import qr_png
from station.issuer.vn_qr import VnPerson, make_person, vn_qr_png

#: Every family the demo shows, in the order the demo prefers when two are equally due (the
#: second, fourth... family of the show opens with a refused credential: see `showing_order`).
FAMILIES: tuple[str, ...] = (
    "dcc",
    "vn_cccd",
    "shc",
    "vn_pccovid",
    "ddcc",
    "nzcp",
    "divoc",
    "vds",
    "other",
)


@dataclass(frozen=True)
class DemoCredential:
    """One QR the demo shows, with the verdict a correctly synced station must give it."""

    label: str
    family: str
    text: str
    expected: str
    expected_reason: str | None = None

    def png(self, scale: int = 4) -> bytes:
        """The QR image as the family's issuers print it: SMART Health Cards with a numeric
        segment, DIVOC's ZIP archive in byte mode, national QRs as UTF-8."""
        if self.family == "shc":
            return shc.qr_png(self.text, scale=scale)
        if self.family == "divoc":
            return divoc_qr_png(self.text.encode("latin-1"), scale=scale)
        if self.family == "nzcp":
            return nzcp_qr_png(self.text, scale=scale)
        if self.family in ("vn_pccovid", "vn_cccd"):
            return vn_qr_png(self.text, scale=scale)
        return qr_png(self.text, scale=scale)


@dataclass(frozen=True)
class IssuerRegistration:
    """An allow-listed issuer of a non-EU family with its public keys (and SHC CRLs)."""

    family: str
    issuer: str
    keys: tuple[dict[str, Any], ...]
    crls: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class StatusRegistration:
    """A national status-list entry; the hub stores only the key derived from `id_number`."""

    id_number: str
    flags: int
    valid_until: datetime | None = None


@dataclass(frozen=True)
class WorldPart:
    """What one family builder contributes: its credentials and the hub data they rely on."""

    credentials: tuple[DemoCredential, ...]
    dsc_ders: tuple[bytes, ...] = ()
    issuers: tuple[IssuerRegistration, ...] = ()
    statuses: tuple[StatusRegistration, ...] = ()
    revoked_texts: tuple[str, ...] = ()


def family_rng(seed: int, family: str) -> random.Random:
    """A generator per family, so adding a credential to one family renames nobody in another."""
    return random.Random(f"demo-world:{seed}:{family}")


def people(rng: random.Random, count: int) -> list[VnPerson]:
    return [make_person(rng) for _ in range(count)]


def split_name(person: VnPerson) -> tuple[str, str]:
    """(family name, given names): Vietnamese names put the family name first."""
    family, _, given = person.name.partition(" ")
    return family, given
