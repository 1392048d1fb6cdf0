"""The PC-Covid personal QR ("QR cá nhân" v1.1, MIC Decision 1405/QĐ-BTTTT, 11 Sep 2021).

One QR per citizen, shared by PC-Covid, Sổ sức khỏe điện tử, VNeID and the local apps. The text is
six `|`-separated fields, `SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT`:

1. SoGiayTo: the personal document number (12-digit CCCD, 9-digit CMND or a passport number).
   Required for a self-declared QR; may be left out of a QR declared on someone's behalf. (Apps
   mask the first six characters *on screen*; the QR holds the number.)
2. HoTen: full name in capitals without diacritics, words separated by one space.
3. NgaySinh: date of birth, `YYYY-MM-DD`.
4. LoaiDinhDanh: 0 self-declared, 1 declared by someone else (proxy).
5. QID: the user id issued by the national QR platform (a character string; digits in practice).
6. EXT: optional values in a fixed order separated by `<`: the proxy's QID, sex (QCVN
   109:2017/BTTTT code), health-insurance card number, 10-digit phone number, an electronic
   signature, "and other information as needed".

Source: the decision's field table as republished with the parser at
github.com/viiftw/PCcovid-QRcode-parser (annotate.html; example
`001093029317|NGUYEN VAN A|1987-01-18|0|162979388586171100|<1<00<0123232422`). The standard has
no signature of its own (EXT *may* carry one, in an unspecified form), so the QR identifies a
person and nothing more.
"""

from __future__ import annotations

import re
from datetime import date

from station.errors import Reject
from station.reasons import Reason
from station.verify.vn_id import VnIdentity, document_number
from station.verify.vn_text import past_date, person_name

LAYOUT = "pccovid"
#: The result's format: what the entry log records for this kind of QR.
FORMAT = "vn_pccovid"
FIELD_COUNTS = (6,)
#: Shape that claims a text for this layout: document (or nothing), name, ISO date, 0/1.
SHAPE = re.compile(r"\A[^|]{0,20}\|[^|]{1,100}\|\d{4}-\d{2}-\d{2}\|[01]\|", re.ASCII)
_QID = re.compile(r"[0-9A-Za-z-]{6,64}", re.ASCII)
_EXT_PART = re.compile(
    r"[\x21-\x3b\x3d-\x7b\x7d\x7e]{0,512}", re.ASCII
)  # visible ASCII except < and |
MAX_EXT_PARTS = 16


def parse(fields: list[str], today: date) -> VnIdentity:
    """The identity of a personal QR's six fields (already NFC and counted)."""
    number, name, born, declared, qid, ext = fields
    proxy = _declaration(declared)
    if not number and not proxy:
        raise Reject(Reason.VN_ID_NUMBER_INVALID, "a self-declared QR must carry the ID number")
    id_type, id_number = document_number(number) if number else ("none", "")
    person_name(name, upper_only=True)
    birth_date = past_date(born, "yyyy-mm-dd", "date of birth", today)
    if _QID.fullmatch(qid) is None:
        raise Reject(Reason.VN_QR_MALFORMED, "the platform user id is not in the expected form")
    _check_extension(ext)
    facts = {"declared_by_proxy": proxy}
    return VnIdentity(LAYOUT, id_type, id_number, name, birth_date, None, facts)


def _declaration(value: str) -> bool:
    if value not in ("0", "1"):
        raise Reject(Reason.VN_QR_MALFORMED, "the declaration type is neither 0 nor 1")
    return value == "1"


def _check_extension(ext: str) -> None:
    """Check EXT's known parts. The sex code is one digit; its values are QCVN 109's, which the
    published table does not list, so it is not compared with the ID number's sex digit."""
    if not ext:
        return
    parts = ext.split("<")
    if len(parts) > MAX_EXT_PARTS or not all(_EXT_PART.fullmatch(part) for part in parts):
        raise Reject(Reason.VN_QR_MALFORMED, "the extension field is not in the expected form")
    proxy_qid, sex, _insurance, phone = (parts + ["", "", "", ""])[:4]
    if proxy_qid and _QID.fullmatch(proxy_qid) is None:
        raise Reject(Reason.VN_QR_MALFORMED, "the proxy's platform user id is malformed")
    if sex and not (len(sex) == 1 and sex.isdigit()):
        raise Reject(Reason.VN_QR_MALFORMED, "the sex code is not one digit")
    if phone and not (len(phone) == 10 and phone.isdigit()):
        raise Reject(Reason.VN_QR_MALFORMED, "the phone number is not 10 digits")
