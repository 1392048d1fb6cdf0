"""The WHO DDCC:VS core data set (proof of vaccination), checked strictly, member by member.

Source of the shape: WHO, "Digital Documentation of COVID-19 Certificates: Vaccination Status -
Technical Specifications and Implementation Guidance" (27 August 2021, web annex A: core data
dictionary) as machine-readable logical models in WorldHealthOrganization/ddcc,
input/fsh/ddcc-core-data-set.fsh (`DDCCCoreDataSet`, `DDCCCoreDataSet.VS`, RC2):

- `name` 1..1 string, `birthDate` 0..1 date, `identifier` 0..1 Identifier, `sex` 0..1 code
  (administrative-gender);
- `certificate`: `issuer` 1..1 Reference, `kid` 0..1, `hcid` 1..1 Identifier, `ddccid` 0..1,
  `version` 1..1 string, `period` 0..1 {`start`, `end`};
- `vaccination` 1..1: `vaccine` 1..1 Coding, `brand` 1..1 Coding, `manufacturer` and `maholder`
  0..1 Coding of which one SHALL be present (invariant who-ddcc-data-1), `lot` 1..1, `date` 1..1
  dateTime, `validFrom` 0..1 date, `dose` 1..1 positiveInt, `totalDoses` 0..1, `country` 1..1
  Coding, `centre` 0..1, `signature` 0..1 (paper only), `practitioner` 0..1 Identifier,
  `disease` 0..1 Coding, `nextDose` 0..1 date.

Station policy on top of the model, and why: `certificate` is required (0..1 in the model)
because a pass without its HCID can be neither revoked nor audited; members the model does not
define are refused, since the station cannot vouch for signed content it does not understand;
strings and numbers are bounded.  Problems name the member's path, never its value.

The shape is a JSON Schema (Draft 2020-12) compiled once with jsonschema-rs, the validator the
EU schema check uses: a few microseconds per pass.  What a schema cannot say is checked after
it: dates must exist in the calendar, a period must not end before it starts, and numbers must
be CBOR integers (a schema would also take 2.0 for 2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import jsonschema_rs

from station.errors import Reject
from station.reasons import Reason

MAX_TEXT = 200
MAX_DOSE = 99
_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE_TIME_PATTERN = (
    r"^\d{4}(-\d{2}(-\d{2})?)?$"
    r"|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"
)


def _object(required: list[str], properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
        **more,
    }


TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": r"\S"}
DATE = {"type": "string", "pattern": _DATE_PATTERN}
DATE_TIME = {"type": "string", "pattern": _DATE_TIME_PATTERN}
COUNT = {"type": "integer", "minimum": 1, "maximum": MAX_DOSE}
CODING = _object(["code"], {"system": TEXT, "code": TEXT, "display": TEXT, "version": TEXT})
IDENTIFIER = _object(["value"], {"system": TEXT, "value": TEXT, "use": TEXT})
REFERENCE = _object(
    [], {"reference": TEXT, "identifier": IDENTIFIER, "display": TEXT}, minProperties=1
)
PERIOD = _object([], {"start": DATE_TIME, "end": DATE_TIME})
CERTIFICATE = _object(
    ["issuer", "hcid", "version"],
    {
        "issuer": REFERENCE,
        "kid": TEXT,
        "hcid": IDENTIFIER,
        "ddccid": IDENTIFIER,
        "version": TEXT,
        "period": PERIOD,
    },
)
VACCINATION = _object(
    ["vaccine", "brand", "lot", "date", "dose", "country"],
    {
        "vaccine": CODING,
        "brand": CODING,
        "manufacturer": CODING,
        "maholder": CODING,
        "lot": TEXT,
        "date": DATE_TIME,
        "validFrom": DATE,
        "dose": COUNT,
        "totalDoses": COUNT,
        "country": CODING,
        "centre": TEXT,
        "signature": {"type": "object"},
        "practitioner": IDENTIFIER,
        "disease": CODING,
        "nextDose": DATE,
    },
    anyOf=[{"required": ["manufacturer"]}, {"required": ["maholder"]}],
)
CORE_DATA_SET = _object(
    ["name", "certificate", "vaccination"],
    {
        "name": TEXT,
        "birthDate": DATE,
        "identifier": IDENTIFIER,
        "sex": {"enum": ["male", "female", "other", "unknown"]},
        "certificate": CERTIFICATE,
        "vaccination": VACCINATION,
    },
    **{"$schema": "https://json-schema.org/draft/2020-12/schema"},
)
#: Members whose values are dates or date-times, checked against the calendar after the schema.
_DATED = (
    ("birthDate",),
    ("vaccination", "date"),
    ("vaccination", "validFrom"),
    ("vaccination", "nextDose"),
    ("certificate", "period", "start"),
    ("certificate", "period", "end"),
)


@dataclass(frozen=True, slots=True)
class Period:
    """A validity window; either end may be open."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class DdccRecord:
    """What the verdict needs from a valid core data set."""

    name: str
    birth_date: str
    hcid: str
    certificate_period: Period
    vaccination_valid_from: datetime | None
    summary: dict[str, Any]


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(CORE_DATA_SET, validate_formats=False)


def read_core_data_set(payload: Mapping[str, Any]) -> DdccRecord:
    """The checked record, or `Reject(SCHEMA_INVALID)` naming the first member at fault."""
    validator = _validator()
    if not validator.is_valid(payload):
        raise Reject(Reason.SCHEMA_INVALID, _describe(next(iter(validator.iter_errors(payload)))))
    for path in _DATED:
        value = _member(payload, path)
        if value is not None and not _exists(value):
            raise _invalid(path, "is not a date that exists")
    vaccination = payload["vaccination"]
    for name in ("dose", "totalDoses"):
        if name in vaccination and type(vaccination[name]) is not int:
            raise _invalid(("vaccination", name), "must be a whole number")
    record = _record(payload)
    period = record.certificate_period
    if period.start is not None and period.end is not None and period.end < period.start:
        raise _invalid(("certificate", "period"), "ends before it starts")
    return record


def _member(payload: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = payload
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _invalid(path: tuple[str, ...], problem: str) -> Reject:
    return Reject(Reason.SCHEMA_INVALID, f"{'.'.join(('ddcc', *path))} {problem}")


#: What each kind of schema error means, in words that quote no value from the pass.
_PROBLEMS = {
    "Type": "has the wrong type",
    "MinLength": f"must be 1 to {MAX_TEXT} characters",
    "MaxLength": f"must be 1 to {MAX_TEXT} characters",
    "Pattern": "is not in the expected form",
    "Minimum": f"must be a whole number from 1 to {MAX_DOSE}",
    "Maximum": f"must be a whole number from 1 to {MAX_DOSE}",
    "Enum": "is not one of the allowed values",
    "MinProperties": "is empty",
    "AnyOf": "names neither manufacturer nor authorisation holder",
}


def _describe(error: Any) -> str:
    """The member path and the kind of problem, never the offending value."""
    path = ".".join(["ddcc", *(str(part) for part in error.instance_path)])
    kind = error.kind
    name = type(kind).__name__
    if name == "Required":
        return f"{path}.{kind.property} is missing"
    if name == "AdditionalProperties":
        return f"{path} has members the model does not define ({', '.join(kind.unexpected[:3])})"
    return f"{path} {_PROBLEMS.get(name, 'does not fit the model')}"


def _exists(value: str) -> bool:
    """Whether a date or date-time the schema's pattern accepted names a real calendar day."""
    try:
        if "T" in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif len(value) == 10:
            date.fromisoformat(value)
        elif len(value) == 7:
            return 1 <= int(value[5:]) <= 12
    except ValueError:
        return False
    return True


def instant_bounds(value: str) -> tuple[datetime, datetime] | None:
    """Earliest and latest instant a FHIR date/dateTime denotes (a date without zone is UTC)."""
    if "T" not in value:
        return _date_bounds(value)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed, parsed


def _date_bounds(value: str) -> tuple[datetime, datetime] | None:
    match = _DATE.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        start = datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)
        if day:
            end = start + _DAY
        elif month:
            end = datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)
        else:
            end = datetime(start.year + 1, 1, 1, tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return start, end - _TICK


def _bound(value: str | None, index: int) -> datetime | None:
    """Earliest (0) or latest (1) instant of a value already checked against the calendar."""
    bounds = instant_bounds(value) if value else None
    return bounds[index] if bounds else None


def _record(payload: Mapping[str, Any]) -> DdccRecord:
    certificate, vaccination = payload["certificate"], payload["vaccination"]
    window = certificate.get("period", {})
    return DdccRecord(
        name=payload["name"],
        birth_date=payload.get("birthDate", ""),
        hcid=certificate["hcid"]["value"],
        certificate_period=Period(_bound(window.get("start"), 0), _bound(window.get("end"), 1)),
        vaccination_valid_from=_bound(vaccination.get("validFrom"), 0),
        summary=_summary(vaccination),
    )


def _summary(vaccination: Mapping[str, Any]) -> dict[str, Any]:
    """Codes and counts only: enough for an audit, nothing that identifies the holder."""
    return {
        "vaccine": vaccination["vaccine"]["code"],
        "brand": vaccination["brand"]["code"],
        "dose": vaccination["dose"],
        "total_doses": vaccination.get("totalDoses"),
        "date": vaccination["date"],
        "country": vaccination["country"]["code"],
    }
