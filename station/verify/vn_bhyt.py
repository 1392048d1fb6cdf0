"""The QR on the health-insurance card (thẻ BHYT) of Vietnam Social Security, paper or VssID.

The text is `|`-separated and ends with a lone `$` field. Name, address, parent's name and
issuing place are written as the hex digits of their UTF-8 bytes (so generic QR apps show
gibberish, which is why only hospital readers "understand" the card). Three lengths are in use,
10, 15 and 17 fields ("in" below):

| #    | field (Vietnamese name)           | form                               | in  |
|------|-----------------------------------|------------------------------------|-----|
| 0    | card number (mã thẻ)              | 2 letters + 13 digits; since 2021  | all |
|      |                                   | the 10-digit social-insurance no.  |     |
| 1    | full name (họ tên)                | hex UTF-8                          | all |
| 2    | date of birth                     | dd/mm/yyyy                         | all |
| 3    | sex                               | 1 male, 2 female                   | all |
| 4    | address                           | hex UTF-8, or `-`                  | all |
| 5    | registered primary-care facility  | `PP - CCC` (province, facility)    | all |
| 6    | valid from                        | dd/mm/yyyy                         | all |
| 7    | valid to                          | dd/mm/yyyy, or `-` (open-ended)    | all |
| 8    | date of issue                     | dd/mm/yyyy                         | all |
| 9    | management code (mã quản lý)      | digits, or `-`                     | 15+ |
| 10   | parent's name (tên cha mẹ)        | hex UTF-8, or `-`                  | 15+ |
| 11   | one digit (hospital software reads the high-cost-service benefit code) | 15+ |
| 12   | date of five continuous years     | dd/mm/yyyy (leading space seen)    | 15+ |
| 13   | check string (chuỗi kiểm tra)     | letters/digits `-` digits          | 15+ |
| 14   | one digit                         |                                    | 17  |
| 15   | issuing place                     | hex UTF-8, or `-`                  | 17  |
| last | `$`                               |                                    | all |

Sources, and how thin they are: Vietnam Social Security has not published this layout that we
could find. It is reconstructed from public open-source hospital software: a Java card-number
widget that splits the QR into 15 fields and names them (MaThe, HoTen, NgaySinh, GioiTinh,
DiaChi, MaDKKCBBD, TuNgay, DenNgay, NgayCap, MaQuanLy, TenChaMe, MaHuongChiPhiDichVuCao,
ThoiDiemHuongChiPhiDichVuCao, ChuoiKiemTra) and hex-decodes fields 1, 4 and 10; and a Python
parser's tests holding a decoded 2023 card (17 fields, 10-digit number, address `-`, issuing place
in field 15) and an older 15-character card (10 fields). Fields 11, 13 and 14 are checked for form
only: their meaning is not documented and the check string's algorithm is unknown, so it cannot
be verified. A card showing only a birth year is not covered by any sample and is refused.

The card carries no citizen ID number, so the national status list cannot be searched with it:
it identifies a person for a guard to compare, nothing more.
"""

from __future__ import annotations

import re
from datetime import date

from station.errors import Reject
from station.reasons import Reason
from station.verify.vn_id import VnIdentity
from station.verify.vn_text import (
    MAX_ADDRESS_CHARS,
    MAX_NAME_CHARS,
    hex_text,
    parse_date,
    past_date,
    person_name,
)

LAYOUT = "bhyt"
#: The result's format: what the entry log records for this kind of QR.
FORMAT = "vn_bhyt"
FIELD_COUNTS = (10, 15, 17)
#: Shape that claims a text for this layout: card number, hex name, dd/mm/yyyy.
SHAPE = re.compile(
    r"\A(?:[A-Z]{2}\d{13}|\d{10})\|[0-9A-Fa-f]{1,1600}\|\d{2}/\d{2}/\d{4}\|", re.ASCII
)
_CARD = re.compile(r"[A-Z]{2}\d{13}|\d{10}", re.ASCII)
_FACILITY = re.compile(r"\d{2} ?- ?[0-9A-Z]{3,5}", re.ASCII)
_MANAGEMENT = re.compile(r"\d{1,20}", re.ASCII)
_CHECK_STRING = re.compile(r"[0-9A-Za-z]{1,40}(?:-[0-9A-Za-z]{1,20})?", re.ASCII)
_DIGIT = re.compile(r"\d", re.ASCII)
_SEXES = {"1": "M", "2": "F"}


def parse(fields: list[str], today: date) -> VnIdentity:
    """The identity of a health-insurance card QR (fields already NFC and counted)."""
    if fields[-1] != "$":
        raise Reject(Reason.VN_QR_MALFORMED, "the card text does not end with $")
    card, name_hex, born, sex, address, facility, start, end, issued = fields[:9]
    if _CARD.fullmatch(card) is None:
        raise Reject(Reason.VN_QR_MALFORMED, "the card number is not in the expected form")
    name = person_name(hex_text(name_hex, "name", MAX_NAME_CHARS))
    birth_date = past_date(born, "dd/mm/yyyy", "date of birth", today)
    if sex not in _SEXES:
        raise Reject(Reason.VN_QR_MALFORMED, "sex is neither 1 nor 2")
    _optional_hex(address, "address", MAX_ADDRESS_CHARS)
    _require(_FACILITY, facility, "the registered facility code")
    valid_from, valid_to = _validity(start, end)
    issue_date = past_date(issued, "dd/mm/yyyy", "date of issue", today)
    if issue_date < birth_date:
        raise Reject(Reason.VN_DATE_INVALID, "the card was issued before its holder was born")
    if len(fields) > 10:
        _check_later_fields(fields[9:-1])
    facts = {
        "card_valid_from": valid_from.isoformat(),
        "card_valid_to": valid_to.isoformat() if valid_to else None,
        "card_expired": valid_to is not None and valid_to < today,
    }
    return VnIdentity(LAYOUT, "bhxh", card[-10:], name, birth_date, _SEXES[sex], facts)


def _validity(start: str, end: str) -> tuple[date, date | None]:
    valid_from = parse_date(start, "dd/mm/yyyy", "start of validity")
    if end == "-":
        return valid_from, None
    valid_to = parse_date(end, "dd/mm/yyyy", "end of validity")
    if valid_to < valid_from:
        raise Reject(Reason.VN_DATE_INVALID, "the card ends before it starts")
    return valid_from, valid_to


def _check_later_fields(extra: list[str]) -> None:
    """Fields 9-13 (and 14-15 on current cards): checked for form only."""
    management, parent, benefit, five_years, check = extra[:5]
    if management != "-":
        _require(_MANAGEMENT, management, "the management code")
    if parent != "-":
        person_name(hex_text(parent, "parent's name", MAX_NAME_CHARS), "parent's name")
    _require(_DIGIT, benefit, "the benefit code")
    if five_years.strip() != "-":
        parse_date(five_years.strip(), "dd/mm/yyyy", "date of five continuous years")
    _require(_CHECK_STRING, check, "the check string")
    if len(extra) == 7:
        _require(_DIGIT, extra[5], "the second benefit code")
        _optional_hex(extra[6], "issuing place", MAX_ADDRESS_CHARS)


def _optional_hex(value: str, label: str, max_chars: int) -> None:
    if value != "-":
        hex_text(value, label, max_chars)


def _require(pattern: re.Pattern[str], value: str, label: str) -> None:
    if pattern.fullmatch(value) is None:
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} is not in the expected form")
