"""The demo's Vietnamese national QRs (PC-Covid personal QR, chip ID card QR) and the status-list
entries that decide them: these QRs are unsigned, so the hub's signed list is the whole verdict.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from station.cache.status_list import StatusFlags
from station.issuer.demo_world_model import DemoCredential, StatusRegistration, WorldPart, people
from station.issuer.vn_qr import VnPerson, cccd_text, pccovid_text
from station.reasons import Reason, Status

#: How long the demo's adverse entries last (an isolation or quarantine period).
ISOLATION = timedelta(days=10)


def pccovid_part(now: datetime, rng: random.Random) -> WorldPart:
    """A vaccinated person, and a vaccinated person who is now a close contact of a case (the
    adverse flag outweighs the vaccination)."""
    vaccinated, contact = people(rng, 2)
    contact_flags = StatusFlags.VACCINATED | StatusFlags.CLOSE_CONTACT
    return WorldPart(
        (
            DemoCredential(
                "PC-Covid QR, vaccinated", "vn_pccovid", _pccovid(vaccinated, rng), Status.VALID
            ),
            DemoCredential(
                "PC-Covid QR, vaccinated but close contact",
                "vn_pccovid",
                _pccovid(contact, rng),
                Status.INVALID,
                Reason.STATUS_CLOSE_CONTACT,
            ),
        ),
        statuses=(
            StatusRegistration(vaccinated.id_number, int(StatusFlags.VACCINATED)),
            StatusRegistration(contact.id_number, int(contact_flags), now + ISOLATION),
        ),
    )


def _pccovid(person: VnPerson, rng: random.Random) -> str:
    qid = f"16{rng.randrange(10**16):016d}"
    return pccovid_text(person, qid=qid, phone=f"09{rng.randrange(10**8):08d}")


def cccd_part(now: datetime, rng: random.Random) -> WorldPart:
    """Chip ID cards of a vaccinated person, a person who tested positive, and a person the
    list does not know (a manual check: ask for a signed pass)."""
    vaccinated, positive, unlisted = people(rng, 3)
    return WorldPart(
        (
            DemoCredential(
                "Chip ID card QR, vaccinated", "vn_cccd", _cccd(vaccinated, rng), Status.VALID
            ),
            DemoCredential(
                "Chip ID card QR, tested positive",
                "vn_cccd",
                _cccd(positive, rng),
                Status.INVALID,
                Reason.STATUS_POSITIVE,
            ),
            DemoCredential(
                "Chip ID card QR, not on the status list",
                "vn_cccd",
                _cccd(unlisted, rng),
                Status.CHECK_MANUALLY,
                Reason.STATUS_NOT_LISTED,
            ),
        ),
        statuses=(
            StatusRegistration(vaccinated.id_number, int(StatusFlags.VACCINATED)),
            StatusRegistration(positive.id_number, int(StatusFlags.POSITIVE), now + ISOLATION),
        ),
    )


def _cccd(person: VnPerson, rng: random.Random) -> str:
    """The card's text; chip cards have been issued since 2021, to holders aged 14 or more."""
    earliest = max(date(2021, 1, 1), _birthday(person.birth_date, 14))
    issued = earliest + timedelta(days=rng.randrange(365))
    return cccd_text(person, issued)


def _birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + age, day=28)
