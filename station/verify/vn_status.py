"""The `status` check: what the synced national status list says about the person a QR names.

A national QR is unsigned and says nothing about health, so its verdict comes from the list the
hub signs and the station syncs (`station.cache.status_list`):

- a current entry flagged POSITIVE, ISOLATING or CLOSE_CONTACT → INVALID, saying which (the most
  serious first: a positive test, then isolation, then close contact);
- a current entry showing a signed credential on record (VACCINATED, RECOVERED or
  TESTED_NEGATIVE) and no such flag → VALID;
- anything else → CHECK_MANUALLY, asking for a signed pass: not on the list, an entry past its
  `valid_until`, no list on this station (never synced, or a station given no list at all), or a
  QR without a number the list is keyed by (passport, social-insurance number).

The ID number goes to the lookup and nowhere else; details name the ID type, the flags and the
list version that decided.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from station.cache.status_list import StatusFlags
from station.model import Check
from station.ports import DataHealth, StatusLookup, StatusRecord
from station.reasons import Reason
from station.verify.vn_id import VnIdentity

NAME = "status"
#: The sync source the list comes from (as `station.cache.trust_view.STATUS_SOURCE`).
STATUS_SOURCE = "status-list"
ADVERSE_FLAGS: tuple[tuple[StatusFlags, Reason], ...] = (
    (StatusFlags.POSITIVE, Reason.STATUS_POSITIVE),
    (StatusFlags.ISOLATING, Reason.STATUS_ISOLATING),
    (StatusFlags.CLOSE_CONTACT, Reason.STATUS_CLOSE_CONTACT),
)
CREDENTIAL_FLAGS = StatusFlags.VACCINATED | StatusFlags.RECOVERED | StatusFlags.TESTED_NEGATIVE
_UNSEARCHABLE = {"passport": "a passport number", "bhxh": "a social-insurance number"}


def check_status(
    identity: VnIdentity,
    status_list: StatusLookup | None,
    now: datetime,
    health: DataHealth | None = None,
) -> tuple[Check, dict[str, Any]]:
    """The status check and what decided it (for the result's details)."""
    details: dict[str, Any] = {"id_type": identity.id_type, "list_version": _version(health)}
    if not identity.searchable:
        details["decided_by"] = "id_type"
        detail = f"the QR carries {_UNSEARCHABLE.get(identity.id_type, 'no ID number')}"
        return Check.failed(NAME, Reason.STATUS_NOT_SEARCHABLE, detail), details
    if status_list is None or not status_list.available:
        details["decided_by"] = "no_list"
        detail = "none given" if status_list is None else "never synced"
        return Check.failed(NAME, Reason.STATUS_LIST_MISSING, detail), details
    try:
        record = status_list.status_of(identity.id_number)
    except ValueError:
        details["decided_by"] = "id_number"
        return Check.failed(NAME, Reason.VN_ID_NUMBER_INVALID), details
    return _judge(record, now, details), details


def _judge(record: StatusRecord | None, now: datetime, details: dict[str, Any]) -> Check:
    if record is None:
        details["decided_by"] = "not_listed"
        return Check.failed(NAME, Reason.STATUS_NOT_LISTED, "not on the list")
    flags = StatusFlags(record.flags)
    details["flags"] = [flag.name for flag in StatusFlags if flag in flags]
    details["valid_until"] = record.valid_until.isoformat() if record.valid_until else None
    if record.valid_until is not None and now >= record.valid_until:
        details["decided_by"] = "entry_expired"
        return Check.failed(NAME, Reason.STATUS_ENTRY_EXPIRED)
    details["decided_by"] = "flags"
    for flag, reason in ADVERSE_FLAGS:
        if flag in flags:
            return Check.failed(NAME, reason)
    if flags & CREDENTIAL_FLAGS:
        return Check.passed(NAME)
    return Check.failed(NAME, Reason.STATUS_NOT_LISTED, "no credential on record")


def _version(health: DataHealth | None) -> Any:
    """The status list's version as the freshness summary records it (None if unknown)."""
    if health is None:
        return None
    versions = health.to_json().get("versions")
    return versions.get(STATUS_SOURCE) if isinstance(versions, dict) else None
