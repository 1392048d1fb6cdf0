"""The QR printed on the chip citizen ID card (CCCD gắn chip, issued since 2021).

Seven `|`-separated fields, UTF-8 text with diacritics:
`SoCCCD|SoCMND|HoTen|NgaySinh|GioiTinh|NoiThuongTru|NgayCap`

1. the 12-digit citizen ID number;
2. the old 9-digit identity card (CMND) number, or empty when the person never had one;
3. the full name as printed (mixed case, diacritics);
4. date of birth, `ddmmyyyy`;
5. sex, `Nam` (male) or `Nữ` (female);
6. permanent address (nơi thường trú);
7. date of issue, `ddmmyyyy`.

Sources: PC-Covid's list of the QRs it reads (docs/formats.md, [VN-4QR][VN-CCCD]) and the field
order every public CCCD reader uses (e.g. `001090123456|012345678|NGUYEN VAN A|01011990|Nam|...|
15042021`). The card's chip is signed; its QR is not, so the QR identifies a person and no more.
The ID number's coded birth year and sex are compared with fields 4 and 5 by the identity check.
"""

from __future__ import annotations

import re
from datetime import date

from station.errors import Reject
from station.reasons import Reason
from station.verify.vn_id import VnIdentity, citizen_id, old_id
from station.verify.vn_text import free_text, past_date, person_name

LAYOUT = "cccd"
#: The result's format: what the entry log records for this kind of QR.
FORMAT = "vn_cccd"
FIELD_COUNTS = (7,)
#: Shape that claims a text for this layout: 12 digits, then a short run of digits (the 9-digit
#: old ID, or nothing; a damaged one is then refused with the reason rather than not recognised).
SHAPE = re.compile(r"\A\d{12}\|\d{0,12}\|", re.ASCII)
_SEXES = {"Nam": "M", "Nữ": "F"}


def parse(fields: list[str], today: date) -> VnIdentity:
    """The identity of a CCCD QR's seven fields (already NFC and counted)."""
    number, old_number, name, born, sex, address, issued = fields
    id_number = citizen_id(number)
    if old_number:
        old_id(old_number)
    person_name(name)
    birth_date = past_date(born, "ddmmyyyy", "date of birth", today)
    if sex not in _SEXES:
        raise Reject(Reason.VN_QR_MALFORMED, "sex is neither Nam nor Nữ")
    free_text(address, "permanent address")
    issue_date = past_date(issued, "ddmmyyyy", "date of issue", today)
    if issue_date < birth_date:
        raise Reject(Reason.VN_DATE_INVALID, "the card was issued before its holder was born")
    facts = {"has_old_id": bool(old_number), "issued": issue_date.isoformat()}
    return VnIdentity(LAYOUT, "cccd", id_number, name, birth_date, _SEXES[sex], facts)
