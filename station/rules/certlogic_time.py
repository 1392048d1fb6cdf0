"""Date-time values for CertLogic: parsing, `plusTime` offsets and `dccDateOfBirth`.

CertLogic (spec 1.3.2) has no date literals: `plusTime` and `dccDateOfBirth` are the only ways to
make a date-time, so every date-time in an evaluation comes through this module.  The rules
mirror the reference implementation, because business rules are written and tested against it:

- accepted inputs are `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and `YYYY-MM-DDThh:mm:ss[.S…][offset]`
  with the offset `Z`, `±h`, `±hh`, `±hmm`, `±hhmm`, `±h:mm` or `±hh:mm`; no offset means UTC;
- partial dates resolve to the *last* day they allow (`2004` → 2004-12-31, `2004-02` →
  2004-02-29), the "beneficial interpretation" the spec wants for dates of birth;
- sub-second digits beyond the third are cut off (rounding down to the millisecond);
- offsets apply to UTC calendar fields, like JavaScript's `setUTC…` methods: a month or year
  step that lands on a day the target month lacks rolls over (2020-02-29 + 1 year =
  2021-03-01), and daylight saving time never matters.

Anything that is not a real instant between the years 1 and 9999 is refused with `ValueError`
(including offsets so large that the arithmetic would overflow); the evaluator turns that into
its own error, so a hostile amount can never surface as an `OverflowError`.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone

TIME_UNITS = ("year", "month", "day", "hour")

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?"
    r"(?:(Z)|([+-])([0-9]{1,2}):?([0-9]{2})?)?",
    re.ASCII,
)
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)

#: Longest text worth quoting in an error message; longer input is cut.
_QUOTE_LIMIT = 40


class DateTimeValue(str):
    """A CertLogic date-time: an instant that still serialises as its ISO-8601 UTC text.

    Subclassing `str` keeps evaluation results plain JSON (a rule that returns a date-time can be
    logged or compared as text), while the evaluator tells it apart from ordinary strings: a
    date-time is neither truthy nor falsy, never `===` to anything but itself, and not accepted
    where the spec wants a string.
    """

    instant: datetime

    def __new__(cls, instant: datetime) -> DateTimeValue:
        text = (
            f"{instant.year:04d}-{instant.month:02d}-{instant.day:02d}T{instant.hour:02d}:"
            f"{instant.minute:02d}:{instant.second:02d}.{instant.microsecond // 1000:03d}Z"
        )
        value = super().__new__(cls, text)
        value.instant = instant
        return value


def _quote(text: str) -> str:
    shown = text if len(text) <= _QUOTE_LIMIT else text[:_QUOTE_LIMIT] + "…"
    return f'"{shown}"'


def _last_consistent_date(text: str) -> datetime | None:
    """UTC midnight of the last day `YYYY[-MM[-DD]]` allows, or None when `text` is not a date."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year = int(match[1])
    month = int(match[2]) if match[2] else 12
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        raise ValueError(f"not a valid date: {_quote(text)}")
    last_day = calendar.monthrange(year, month)[1]
    day = int(match[3]) if match[3] else last_day
    if not 1 <= day <= last_day:
        raise ValueError(f"not a valid date: {_quote(text)}")
    return datetime(year, month, day, tzinfo=UTC)


def parse_date_time(text: str) -> datetime:
    """The UTC instant `text` denotes, per the formats `plusTime` accepts."""
    date = _last_consistent_date(text)
    if date is not None:
        return date
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not an allowed date or date-time format: {_quote(text)}")
    (year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m) = match.groups()
    millis = int(fraction[:3].ljust(3, "0")) if fraction else 0
    offset = timedelta(0)
    if sign is not None and not zulu:
        hours, minutes = int(off_h), int(off_m or "0")
        if hours > 23 or minutes > 59:
            raise ValueError(f"not a valid timezone offset: {_quote(text)}")
        offset = timedelta(hours=hours, minutes=minutes)
        if sign == "-":
            offset = -offset
    try:
        local = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            millis * 1000,
            tzinfo=timezone(offset),
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"not a valid date-time: {_quote(text)}") from None


def date_of_birth(text: str) -> datetime:
    """`dccDateOfBirth`: the last instant consistent with a DCC `dob` (`YYYY[-MM[-DD]]`)."""
    date = _last_consistent_date(text)
    if date is None:
        raise ValueError(f"can't parse {_quote(text)} as an EU DCC date-of-birth")
    return date


def _with_month_index(instant: datetime, month_index: int) -> datetime:
    """`instant` moved to absolute month `month_index` (year * 12 + month - 1), day rolling over."""
    year, month0 = divmod(month_index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("date-time out of the supported range (years 1 to 9999)")
    first = instant.replace(year=year, month=month0 + 1, day=1)
    return first + timedelta(days=instant.day - 1)


def plus_time(instant: datetime, amount: int, unit: str) -> datetime:
    """`instant` offset by `amount` units on the UTC calendar (see the module docstring)."""
    try:
        if unit == "hour":
            return instant + timedelta(hours=amount)
        if unit == "day":
            return instant + timedelta(days=amount)
        if unit == "month":
            return _with_month_index(instant, instant.year * 12 + instant.month - 1 + amount)
        if unit == "year":
            return _with_month_index(instant, (instant.year + amount) * 12 + instant.month - 1)
    except OverflowError:
        raise ValueError("date-time out of the supported range (years 1 to 9999)") from None
    raise ValueError(f"unknown time unit {_quote(unit)}")
