"""Strict reading of the `|`-separated text of Vietnam's national QRs: Unicode, fields, dates.

These QRs are plain, unsigned text, so the only defence against a forged or damaged one is to
accept exactly the documented shape and nothing near it: a fixed number of fields, real calendar
dates that are not in the future, names made of letters, no control or invisible characters. The
text is brought to Unicode NFC first, so a name typed on a phone (often decomposed, NFD) and the
same name from a chip card compare equal. Every refusal is a `Reject` with a detail that names the
field, never its content: the text holds an ID number, a name and an address.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

from station.errors import Reject
from station.reasons import Reason

#: The longest text of any of the three layouts; real ones are 60 to 400 characters.
MAX_TEXT_CHARS = 2048
#: Vietnamese full names are well under this; a longer one is not a name.
MAX_NAME_CHARS = 100
#: Permanent addresses and issuing places as printed on the cards.
MAX_ADDRESS_CHARS = 300
#: Dates on these documents are Vietnamese calendar dates (UTC+7, no daylight saving).
VIETNAM_TIME = timezone(timedelta(hours=7))
#: No living person, and no valid document, has an earlier date.
EARLIEST_YEAR = 1890
#: Unicode categories never found in a genuine QR: controls, format characters (bidi overrides,
#: zero-width joiners), surrogates, private use, unassigned, line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DATE_PATTERNS = {
    "ddmmyyyy": re.compile(r"(\d{2})(\d{2})(\d{4})", re.ASCII),
    "dd/mm/yyyy": re.compile(r"(\d{2})/(\d{2})/(\d{4})", re.ASCII),
    "yyyy-mm-dd": re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII),
}
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})+", re.ASCII)


def normalised_text(text: str) -> str:
    """The scanned text in NFC, refused if it is too long or holds an invisible character."""
    if len(text) > MAX_TEXT_CHARS:
        raise Reject(Reason.VN_QR_MALFORMED, f"{len(text)} characters, more than such a QR holds")
    text = unicodedata.normalize("NFC", text)
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in text):
        raise Reject(Reason.VN_QR_MALFORMED, "control or invisible characters")
    return text


def split_fields(text: str, counts: tuple[int, ...], separator: str = "|") -> list[str]:
    """The fields of `text`, refused unless there are exactly one of the documented counts."""
    fields = text.split(separator)
    if len(fields) not in counts:
        expected = " or ".join(str(n) for n in counts)
        raise Reject(Reason.VN_QR_MALFORMED, f"{len(fields)} fields, expected {expected}")
    return fields


def local_today(now: datetime) -> date:
    """Today's date in Vietnam at the instant `now` (a naive `now` is taken as UTC)."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM_TIME).date()


def parse_date(value: str, layout: str, label: str) -> date:
    """A real calendar date written as `layout` ("ddmmyyyy", "dd/mm/yyyy" or "yyyy-mm-dd")."""
    match = _DATE_PATTERNS[layout].fullmatch(value)
    if match is None:
        raise Reject(Reason.VN_DATE_INVALID, f"{label} is not written as {layout}")
    first, second, third = (int(part) for part in match.groups())
    year, month, day = (first, second, third) if layout == "yyyy-mm-dd" else (third, second, first)
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise Reject(Reason.VN_DATE_INVALID, f"{label} is not a real date") from None
    if parsed.year < EARLIEST_YEAR:
        raise Reject(Reason.VN_DATE_INVALID, f"{label} is before {EARLIEST_YEAR}")
    return parsed


def past_date(value: str, layout: str, label: str, today: date) -> date:
    """A real date that is not later than `today` (a birth or issue date)."""
    parsed = parse_date(value, layout, label)
    if parsed > today:
        raise Reject(Reason.VN_DATE_INVALID, f"{label} lies in the future")
    return parsed


def person_name(value: str, label: str = "name", *, upper_only: bool = False) -> str:
    """A full name: words of letters (apostrophes and hyphens inside words, as in Ê Đê and
    Jrai names such as H'Hen) separated by single spaces."""
    if not value or len(value) > MAX_NAME_CHARS:
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} is empty or too long")
    for word in value.split(" "):
        if not word or not word[0].isalpha() or not word[-1].isalpha():
            raise Reject(Reason.VN_QR_MALFORMED, f"{label} is not a name")
        if not all(char.isalpha() or char in "'’-" for char in word):
            raise Reject(Reason.VN_QR_MALFORMED, f"{label} holds characters a name cannot have")
    if upper_only and value != value.upper():
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} must be in capitals")
    return value


def free_text(value: str, label: str, max_chars: int = MAX_ADDRESS_CHARS) -> str:
    """An address or place as printed: any visible text of a bounded length."""
    if not value.strip() or len(value) > max_chars:
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} is empty or too long")
    return value


def hex_text(value: str, label: str, max_chars: int) -> str:
    """A field written as the hex digits of its UTF-8 bytes (the health-insurance card's name and
    address), decoded strictly and brought to NFC like the rest of the text."""
    if len(value) > 2 * 4 * max_chars or _HEX.fullmatch(value) is None:
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} is not hex-encoded text")
    try:
        decoded = binascii.unhexlify(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Reject(Reason.VN_QR_MALFORMED, f"{label} is not hex-encoded UTF-8") from None
    return normalised_text(decoded)
