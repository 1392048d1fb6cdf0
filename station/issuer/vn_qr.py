"""Test texts and QR images of Vietnam's three national QR layouts, for invented people.

The station's tests, demo and benchmark need the QRs a Vietnamese guard meets: the PC-Covid
personal QR, the chip ID card (CCCD) QR and the health-insurance card (BHYT) QR. This module
builds them from a `VnPerson` with a realistic Vietnamese name (diacritics, family name first), a
CCCD number whose province, century/sex digit and birth year agree with the person, and renders
them as real QR images. Nobody here exists; the layouts are documented in
`station/verify/vn_pccovid.py`, `vn_cccd.py` and `vn_bhyt.py`.
"""

from __future__ import annotations

import io
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import segno

from station.issuer.qr_image import qr_png

FAMILY_NAMES: tuple[str, ...] = (
    *("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"),
    *("Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai"),
)
MIDDLE_NAMES = {"M": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành"), "F": ("Thị", "Ngọc", "Thu")}
GIVEN_NAMES = {
    "M": ("An", "Bình", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn"),
    "F": ("Anh", "Châu", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Trang", "Yến"),
}
#: (province code, a permanent address there) for a few provinces.
ADDRESSES = (
    ("001", "Số 12 Ngõ 34 Phố Huế, Phường Phạm Đình Hổ, Quận Hai Bà Trưng, Hà Nội"),
    ("079", "45/7 Đường Nguyễn Thị Minh Khai, Phường Đa Kao, Quận 1, TP. Hồ Chí Minh"),
    ("048", "Tổ 21, Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng"),
    ("031", "Số 8 Đường Lạch Tray, Phường Lạch Tray, Quận Ngô Quyền, Hải Phòng"),
    ("092", "Khu vực 3, Phường An Khánh, Quận Ninh Kiều, Cần Thơ"),
    ("066", "Buôn Ko Sier, Phường Tân Lợi, Thành phố Buôn Ma Thuột, Đắk Lắk"),
)
BhytLayout = Literal["2019", "2021", "2023"]


@dataclass(frozen=True, slots=True)
class VnPerson:
    """An invented person with the numbers their documents carry."""

    name: str  # NFC, diacritics, family name first
    birth_date: date
    sex: Literal["M", "F"]
    id_number: str  # 12-digit CCCD, consistent with province, century, sex and birth year
    old_id: str  # 9-digit CMND, or "" for people who never had one
    insurance_number: str  # 10-digit social-insurance number (mã số BHXH)
    address: str


def cccd_number(province: str, birth_date: date, sex: str, serial: int) -> str:
    """A CCCD number as Circular 07/2016/TT-BCA builds it."""
    century_digit = 2 * ((birth_date.year - 1900) // 100) + (1 if sex == "F" else 0)
    return f"{province}{century_digit}{birth_date.year % 100:02d}{serial % 1_000_000:06d}"


def make_person(
    rng: random.Random,
    *,
    sex: Literal["M", "F"] | None = None,
    birth_date: date | None = None,
) -> VnPerson:
    """A random person; pass `sex` or `birth_date` to pin them."""
    chosen_sex: Literal["M", "F"] = sex if sex is not None else ("M" if rng.random() < 0.5 else "F")
    born = birth_date or date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 66))
    name = " ".join(
        (
            rng.choice(FAMILY_NAMES),
            rng.choice(MIDDLE_NAMES[chosen_sex]),
            rng.choice(GIVEN_NAMES[chosen_sex]),
        )
    )
    province, address = rng.choice(ADDRESSES)
    old = f"{rng.randrange(10**9):09d}" if born.year < 2000 else ""
    return VnPerson(
        name=name,
        birth_date=born,
        sex=chosen_sex,
        id_number=cccd_number(province, born, chosen_sex, rng.randrange(10**6)),
        old_id=old,
        insurance_number=f"{province[1:]}{rng.randrange(10**8):08d}",
        address=address,
    )


def ascii_capitals(name: str) -> str:
    """The name as PC-Covid writes it: capitals without diacritics (Đ becomes D)."""
    stripped = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in stripped if unicodedata.category(c) != "Mn").upper()


def pccovid_text(
    person: VnPerson,
    *,
    qid: str = "162979388586171100",
    proxy_qid: str = "",
    phone: str = "0912345678",
) -> str:
    """`SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT` (declared by proxy when `proxy_qid`)."""
    sex_code = "1" if person.sex == "M" else "2"
    ext = "<".join((proxy_qid, sex_code, person.insurance_number, phone))
    declared = "1" if proxy_qid else "0"
    birth = person.birth_date.isoformat()
    return "|".join((person.id_number, ascii_capitals(person.name), birth, declared, qid, ext))


def cccd_text(person: VnPerson, issued: date) -> str:
    """`ID|old ID|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy`, as on the chip ID card."""
    sex = "Nam" if person.sex == "M" else "Nữ"
    return "|".join(
        (
            person.id_number,
            person.old_id,
            person.name,
            person.birth_date.strftime("%d%m%Y"),
            sex,
            person.address,
            issued.strftime("%d%m%Y"),
        )
    )


def _hex(text: str) -> str:
    return text.encode("utf-8").hex()


def bhyt_text(
    person: VnPerson,
    *,
    valid_from: date,
    valid_to: date | None = None,
    issued: date | None = None,
    layout: BhytLayout = "2023",
) -> str:
    """The health-insurance card's QR in one of its three lengths (10, 15 or 17 fields)."""
    issued = issued or valid_from
    when = "%d/%m/%Y"
    card = f"DN4{person.insurance_number[:2]}{person.insurance_number}"  # old 15-character form
    fields = [
        person.insurance_number if layout == "2023" else card,
        _hex(person.name),
        person.birth_date.strftime(when),
        "1" if person.sex == "M" else "2",
        "-" if layout == "2023" else _hex(person.address),
        "01 - C54" if layout == "2023" else "01 - 028",
        valid_from.strftime(when),
        valid_to.strftime(when) if valid_to else "-",
        issued.strftime(when),
    ]
    if layout != "2019":
        five_years = (valid_from + timedelta(days=5 * 365)).strftime(when)
        fields += [f"0105{person.insurance_number}", "-", "4", f" {five_years}", "4641c59f-1202"]
    if layout == "2023":
        fields += ["4", _hex(", ".join(person.address.split(", ")[-2:]))]  # issuing place
    return "|".join([*fields, "$"])


def vn_qr_png(text: str, scale: int = 4) -> bytes:
    """A QR image of `text` with non-ASCII text always in UTF-8, as the national apps write it.

    `qr_png` lets segno choose ISO 8859-1 for text that fits it. A Vietnamese text rarely does
    (almost every address has an ư or ơ), but one that did would be written as Latin-1 bytes,
    unlike the national apps' QRs, so such a text is encoded as UTF-8 explicitly.
    """
    if text.isascii() or not _fits_latin1(text):
        return qr_png(text, scale=scale)
    code = segno.make(text, error="q", micro=False, encoding="utf-8")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _fits_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
