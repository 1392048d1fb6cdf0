"""What a DIVOC credential says: its shape, its dates, the holder and the vaccination.

The shape is the W3C Verifiable Credential a DIVOC certificate service signs
(egovernments/DIVOC backend/certificate_signer `transformW3`; WHO ddcc-validator DivocVerifier's
W3CVC model): `type` [VerifiableCredential, ProofOfVaccinationCredential], an `issuer` URL, an
`issuanceDate`, a `credentialSubject` Person with `name` and (context v2) `dob`, and one or more
`evidence` entries of type Vaccination with `vaccine`, `dose`, `totalDoses` and `date`.
Values are shown only after the JSON-LD stage proved that every one of them is signed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from station.errors import Reject
from station.model import Holder
from station.reasons import Reason

CREDENTIAL_TYPES = ("VerifiableCredential", "ProofOfVaccinationCredential")
MAX_EVIDENCE = 8
#: xsd:dateTime as DIVOC writes it (JavaScript toISOString): an explicit offset is required.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_shape(credential: Mapping[str, Any]) -> None:
    """`Reject(SCHEMA_INVALID)` naming the first member that is missing or of the wrong kind."""
    types = credential.get("type")
    if not isinstance(types, list) or not all(t in types for t in CREDENTIAL_TYPES):
        raise Reject(Reason.SCHEMA_INVALID, "not a ProofOfVaccinationCredential")
    issuer_of(credential)
    dates_of(credential)
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not _text(subject.get("name")):
        raise Reject(Reason.SCHEMA_INVALID, "credentialSubject has no name")
    dob = subject.get("dob")
    if dob is not None and not (isinstance(dob, str) and _DATE.match(dob)):
        raise Reject(Reason.SCHEMA_INVALID, "credentialSubject.dob is not a date")
    evidence = credential.get("evidence")
    if not isinstance(evidence, list) or not 1 <= len(evidence) <= MAX_EVIDENCE:
        raise Reject(Reason.SCHEMA_INVALID, "evidence is not a list of 1 to 8 entries")
    for entry in evidence:
        _check_vaccination(entry)


def _check_vaccination(entry: Any) -> None:
    if not isinstance(entry, dict) or "Vaccination" not in (entry.get("type") or []):
        raise Reject(Reason.SCHEMA_INVALID, "an evidence entry is not a Vaccination")
    if not _text(entry.get("vaccine")) or not _text(entry.get("date")):
        raise Reject(Reason.SCHEMA_INVALID, "a vaccination lacks its vaccine or date")
    for member in ("dose", "totalDoses"):
        if entry.get(member) not in (None, "") and _dose(entry[member]) is None:
            raise Reject(Reason.SCHEMA_INVALID, f"vaccination {member} is not a number")


def issuer_of(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if not _text(issuer):
        raise Reject(Reason.SCHEMA_INVALID, "the credential names no issuer")
    return str(issuer)


def dates_of(credential: Mapping[str, Any]) -> tuple[datetime, datetime | None]:
    """issuanceDate and the optional expirationDate."""
    issued = parse_date_time(credential.get("issuanceDate"), "issuanceDate")
    expires = credential.get("expirationDate")
    return issued, None if expires is None else parse_date_time(expires, "expirationDate")


def parse_date_time(value: Any, member: str) -> datetime:
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise Reject(Reason.SCHEMA_INVALID, f"{member} is not a date-time with a time zone")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Reject(Reason.SCHEMA_INVALID, f"{member} is not a real date") from None


def holder_of(credential: Mapping[str, Any]) -> Holder | None:
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not _text(subject.get("name")):
        return None
    dob = subject.get("dob")
    return Holder(str(subject["name"]), dob if isinstance(dob, str) else "")


def vaccination_summary(credential: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per vaccination: vaccine, manufacturer, dose n of m, date, and the certificate id."""
    summary = []
    for entry in credential.get("evidence") or []:
        if not isinstance(entry, dict):
            continue
        summary.append(
            {
                "vaccine": entry.get("vaccine"),
                "manufacturer": entry.get("manufacturer"),
                "dose": _dose(entry.get("dose")),
                "total_doses": _dose(entry.get("totalDoses")),
                "date": entry.get("date"),
                "certificate_id": entry.get("certificateId"),
            }
        )
    return summary


def certificate_id(credential: Mapping[str, Any]) -> str | None:
    """The id DIVOC revocation lists name: the first vaccination's `certificateId`."""
    for entry in credential.get("evidence") or []:
        if isinstance(entry, dict) and _text(entry.get("certificateId")):
            return str(entry["certificateId"])
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _dose(value: Any) -> int | None:
    """DIVOC writes doses as numbers, older issuers as digit strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 100 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 2:
        return int(value)
    return None
