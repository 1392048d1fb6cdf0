"""Vietnamese personal ID numbers and the identity a national QR resolves to.

The 12-digit citizen ID (CCCD, Circular 07/2016/TT-BCA art. 7) is structured: three digits of
the province where the birth was registered, one digit coding the century of birth and the sex
(0/1 for 1900-1999 male/female, 2/3 for 2000-2099, 4/5 for 2100-2199, ...), the last two digits of
the birth year, then six serial digits. An unsigned QR cannot prove who it belongs to, but a number
whose province code does not exist, or whose coded year or sex differs from the date of birth and
sex beside it, has been made up or altered. The old identity card (CMND) number is 9 digits with
no such structure.

Only CCCD and CMND numbers key the national status list (`station.cache.status_key`); a passport
number or a social-insurance number identifies a person but cannot be looked up there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from station.cache.status_key import normalise_id_number
from station.errors import Reject
from station.model import Holder
from station.reasons import Reason

#: Province codes of the 63 provinces and cities (Circular 07/2016/TT-BCA, appendix).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
#: ID types whose numbers key the national status list.
SEARCHABLE_TYPES = frozenset({"cccd", "cmnd"})
_PASSPORT = re.compile(r"[A-Z]{1,2}\d{7,8}", re.ASCII)


@dataclass(frozen=True, slots=True)
class VnIdentity:
    """Who a national QR names. `id_number` is personal data: it goes to the status lookup only,
    never into a detail string, a log line or the result's details."""

    layout: str
    id_type: str  # "cccd", "cmnd", "passport", "bhxh" (social insurance) or "none"
    id_number: str
    name: str
    birth_date: date
    sex: str | None = None  # "M" or "F" when the QR says
    facts: dict[str, Any] = field(default_factory=dict)  # non-personal, shown in details

    @property
    def searchable(self) -> bool:
        return self.id_type in SEARCHABLE_TYPES

    def holder(self) -> Holder:
        """Name as printed (family name first, as in Vietnam) and ISO date of birth."""
        family, _, given = self.name.partition(" ")
        return Holder(self.name, self.birth_date.isoformat(), family, given)


def citizen_id(value: str) -> str:
    """A 12-digit CCCD number with an existing province code."""
    try:
        digits = normalise_id_number(value)
    except ValueError:
        raise Reject(Reason.VN_ID_NUMBER_INVALID, "a citizen ID is 12 digits") from None
    if digits != value or len(digits) != 12:
        raise Reject(Reason.VN_ID_NUMBER_INVALID, "a citizen ID is 12 digits")
    if digits[:3] not in PROVINCE_CODES:
        raise Reject(Reason.VN_ID_NUMBER_INVALID, "no province has this code")
    return digits


def old_id(value: str) -> str:
    """A 9-digit CMND number, as written (no separators)."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise Reject(Reason.VN_ID_NUMBER_INVALID, "an old ID card number is 9 digits")
    return value


def document_number(value: str) -> tuple[str, str]:
    """(ID type, number) of the PC-Covid personal QR's document field: CCCD, CMND or passport."""
    if len(value) == 12:
        return "cccd", citizen_id(value)
    if len(value) == 9 and value.isdigit():
        return "cmnd", old_id(value)
    if _PASSPORT.fullmatch(value):
        return "passport", value
    raise Reject(Reason.VN_ID_NUMBER_INVALID, "neither a citizen ID, an old ID nor a passport")


def coded_birth_year(digits: str) -> int:
    """The birth year a CCCD number codes (century digit and two year digits)."""
    return 1900 + 100 * (int(digits[3]) // 2) + int(digits[4:6])


def coded_sex(digits: str) -> str:
    return "F" if int(digits[3]) % 2 else "M"


def citizen_id_mismatch(identity: VnIdentity) -> str | None:
    """Why a CCCD number contradicts the birth date or sex next to it, or None."""
    if identity.id_type != "cccd":
        return None
    if coded_birth_year(identity.id_number) != identity.birth_date.year:
        return "the birth year coded in the ID number differs from the date of birth"
    if identity.sex is not None and coded_sex(identity.id_number) != identity.sex:
        return "the sex coded in the ID number differs from the sex shown"
    return None
