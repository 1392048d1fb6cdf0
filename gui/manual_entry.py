"""Manual entry for people without a phone: an ID number and a date of birth typed on the
keypad become the personal QR they stand for (no Qt here).

The national personal QR (`SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT`, see
`station.verify.vn_pccovid`) is what a person would otherwise show, so a typed ID number is
verified through the same path and decided by the same national status list, and the log
records it with its own format, `TYPED_ID_FORMAT`, so contact tracing can tell a number typed
at the door from a QR the person showed. The name field holds a fixed marker (the guard has
the ID card in hand and the verdict screen says the number was typed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from station.model import VerificationResult
from station.verify.vn_pccovid import FORMAT as PERSONAL_QR_FORMAT

ID_LENGTHS = (9, 12)
MANUAL_NAME = "NHAP TAY"
MANUAL_QID = "MANUAL-ENTRY"
#: The entry log's format for a typed ID number (the national personal QR's is
#: `PERSONAL_QR_FORMAT`).
TYPED_ID_FORMAT = "vn_typed_id"


def id_number_ok(digits: str) -> bool:
    return len(digits) in ID_LENGTHS and digits.isascii() and digits.isdigit()


def birth_date(digits: str, today: date) -> date | None:
    """The date typed as ddmmyyyy, or None when it is not a real past date."""
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        born = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= today else None


def shown_birth_date(digits: str) -> str:
    """Digits typed so far, shown as dd/mm/yyyy with placeholders for the rest."""
    padded = (digits + "________")[:8]
    return f"{padded[:2]}/{padded[2:4]}/{padded[4:]}"


def manual_entry_text(id_number: str, born: date) -> str:
    """The personal-QR text for a typed ID number and date of birth."""
    if not id_number_ok(id_number):
        raise ValueError("an ID number is 9 or 12 digits")
    return "|".join((id_number, MANUAL_NAME, born.isoformat(), "0", MANUAL_QID, ""))


def as_typed(result: VerificationResult) -> VerificationResult:
    """The verdict on a typed ID number, marked so: the entry logged for it names the typing,
    not a personal QR. Anything else (the entry could not be parsed) is left as it is."""
    if result.format != PERSONAL_QR_FORMAT:
        return result
    return replace(result, format=TYPED_ID_FORMAT)
