"""The `msg` of a VDS-NC proof of vaccination (`icao.vacc`) or proof of testing (`icao.test`).

Members, from ICAO's "Visible Digital Seals for Non-Constrained Environments" technical report
(2021) as implemented by the Australian Passport Office's reader libraries and WHO's validator
(WorldHealthOrganization/ddcc-validator, verify/.../icao/IcaoModel.kt):

- icao.vacc: `uvci`; `pid` {`n` name, `dob`, `sex`, `i` travel document number, `ai`};
  `ve` [{`des` vaccine (ICD-11), `nam` product, `dis` disease, `vd` [{`dvc` date, `seq` dose,
  `ctr` country, `adm` centre, `lot`, `dvn` next dose}]}];
- icao.test: `utci`; `pid` {`n`, `dob`, `dt` document type, `dn` document number};
  `sp` {`spn` provider, `ctr`, `cd` {`p`, `e`, `a`}}; `dat` {`sc` sampled, `ri` reported};
  `tr` {`tc` type, `r` result, `m` method}; `opt`.

Required members must be present with the right type, dates must be real ISO 8601 dates (a
test's times carry a time zone), lists are bounded, and the date of birth is required when no
travel document number identifies the holder.  Members beyond these are covered by the
signature and ignored.  Problems name the member, never its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from station.errors import Reject
from station.model import Holder
from station.reasons import Reason

MAX_TEXT = 100
MAX_EVENTS = 10
MAX_DOSES = 20
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z][A-Z<]{2}$")


@dataclass(frozen=True, slots=True)
class SealContent:
    """What the verdict shows and records from a valid message."""

    holder: Holder
    summary: dict[str, Any]
    #: The latest event the seal attests (a dose given, a sample taken), for the future check.
    latest_event: datetime


def _invalid(path: str, problem: str) -> Reject:
    return Reject(Reason.SCHEMA_INVALID, f"{path} {problem}")


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(path, "must be an object")
    return value


def _text(parent: Mapping[str, Any], name: str, path: str, required: bool = True) -> str | None:
    value = parent.get(name)
    if value is None and not required and name not in parent:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _invalid(f"{path}.{name}", f"must be text of 1 to {MAX_TEXT} characters")
    return value


def _date(parent: Mapping[str, Any], name: str, path: str) -> date:
    return _parse_date(_text(parent, name, path), f"{path}.{name}")


def _optional_date(parent: Mapping[str, Any], name: str, path: str) -> date | None:
    text = _text(parent, name, path, required=False)
    return None if text is None else _parse_date(text, f"{path}.{name}")


def _parse_date(text: str | None, path: str) -> date:
    try:
        if text is None or not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise _invalid(path, "is not a date (YYYY-MM-DD)") from None


def _instant(parent: Mapping[str, Any], name: str, path: str) -> datetime:
    text = _text(parent, name, path)
    try:
        parsed = datetime.fromisoformat(str(text))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _invalid(f"{path}.{name}", "is not a date-time with time zone")
    return parsed


def _list(value: Any, path: str, limit: int) -> list[Any]:
    if not isinstance(value, list) or not 1 <= len(value) <= limit:
        raise _invalid(path, f"must list 1 to {limit} entries")
    return value


def _holder(pid: Mapping[str, Any]) -> Holder:
    """The name as printed (ICAO writes "PRIMARY  SECONDARY" with two spaces) and birth date."""
    name = str(_text(pid, "n", "msg.pid"))
    born = _optional_date(pid, "dob", "msg.pid")
    family, separator, given = name.partition("  ")
    if not separator:
        family, given = "", ""
    return Holder(name, born.isoformat() if born else "", family.strip(), given.strip())


def read_vaccination(msg: Mapping[str, Any]) -> SealContent:
    """An `icao.vacc` message, or `Reject(SCHEMA_INVALID)`."""
    _text(msg, "uvci", "msg")
    pid = _object(msg.get("pid"), "msg.pid")
    holder = _holder(pid)
    _text(pid, "i", "msg.pid", required=False)
    _text(pid, "ai", "msg.pid", required=False)
    _text(pid, "sex", "msg.pid", required=False)
    if not holder.date_of_birth and "i" not in pid:
        raise _invalid("msg.pid", "needs a date of birth when no document number is given")
    given: list[date] = []
    for index, event in enumerate(_list(msg.get("ve"), "msg.ve", MAX_EVENTS)):
        path = f"msg.ve[{index}]"
        event = _object(event, path)
        for name in ("des", "nam"):
            _text(event, name, path)
        _text(event, "dis", path, required=False)
        for number, dose in enumerate(_list(event.get("vd"), f"{path}.vd", MAX_DOSES)):
            given.append(_read_dose(_object(dose, f"{path}.vd[{number}]"), f"{path}.vd[{number}]"))
    latest = max(given)
    first = msg["ve"][0]
    summary = {
        "vaccine": first["des"],
        "product": first["nam"],
        "doses": len(given),
        "last_dose": latest.isoformat(),
    }
    midnight = datetime(latest.year, latest.month, latest.day, tzinfo=UTC)
    return SealContent(holder, summary, midnight)


def _read_dose(dose: Mapping[str, Any], path: str) -> date:
    given = _date(dose, "dvc", path)
    sequence = dose.get("seq")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence <= 99:
        raise _invalid(f"{path}.seq", "must be a dose number from 1 to 99")
    country = _text(dose, "ctr", path)
    if not _COUNTRY.match(str(country)):
        raise _invalid(f"{path}.ctr", "is not a three-letter country code")
    _text(dose, "lot", path)
    _text(dose, "adm", path, required=False)
    _optional_date(dose, "dvn", path)
    return given


def read_test(msg: Mapping[str, Any]) -> SealContent:
    """An `icao.test` message, or `Reject(SCHEMA_INVALID)`."""
    _text(msg, "utci", "msg")
    pid = _object(msg.get("pid"), "msg.pid")
    holder = _holder(pid)
    _text(pid, "dt", "msg.pid")
    _text(pid, "dn", "msg.pid")
    provider = _object(msg.get("sp"), "msg.sp")
    _text(provider, "spn", "msg.sp")
    if not _COUNTRY.match(str(_text(provider, "ctr", "msg.sp"))):
        raise _invalid("msg.sp.ctr", "is not a three-letter country code")
    contact = _object(provider.get("cd"), "msg.sp.cd")
    for name in ("p", "e", "a"):
        _text(contact, name, "msg.sp.cd", required=False)
    times = _object(msg.get("dat"), "msg.dat")
    sampled, reported = _instant(times, "sc", "msg.dat"), _instant(times, "ri", "msg.dat")
    if reported < sampled:
        raise _invalid("msg.dat", "reports a result before the sample was taken")
    result = _object(msg.get("tr"), "msg.tr")
    kind, outcome = _text(result, "tc", "msg.tr"), _text(result, "r", "msg.tr")
    _text(result, "m", "msg.tr", required=False)
    _text(msg, "opt", "msg", required=False)
    summary = {"test_type": kind, "result": outcome, "sampled_at": sampled.isoformat()}
    return SealContent(holder, summary, max(sampled, reported))


READERS = {"icao.vacc": read_vaccination, "icao.test": read_test}
