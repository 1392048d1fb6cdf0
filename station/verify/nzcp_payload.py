"""The content of an NZ COVID Pass: its credential id (`cti`) and the `vc` claim.

Only the pass type `PublicCovidPass`, version 1.0.0, exists; its subject carries a given name
(required), a family name (optional) and a date of birth, which is all a guard compares with an
ID document.  Anything else in the `vc` claim is ignored, as the W3C VC model allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from station.errors import Reject
from station.model import Holder
from station.reasons import Reason
from station.verify.dcc_decode import to_json_value

CLAIM_CTI = 7
CLAIM_VC = "vc"
CTI_LENGTH = 16
VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_TYPE = "VerifiableCredential"
PASS_TYPE = "PublicCovidPass"
VC_VERSION = "1.0.0"
MAX_NAME_CHARS = 100


def credential_id(claims: Mapping[Any, Any]) -> str:
    """The `cti` claim (16 bytes) as the `urn:uuid:` URI the spec maps it to."""
    if CLAIM_CTI not in claims:
        raise Reject(Reason.NZCP_CREDENTIAL_ID_INVALID, "no cti claim")
    cti = claims[CLAIM_CTI]
    if not isinstance(cti, bytes):
        raise Reject(Reason.NZCP_CREDENTIAL_ID_INVALID, "cti is not a byte string")
    if len(cti) != CTI_LENGTH:
        raise Reject(Reason.NZCP_CREDENTIAL_ID_INVALID, f"cti has {len(cti)} bytes, not 16")
    digits = cti.hex()  # the RFC 4122 8-4-4-4-12 form, as uuid.UUID(bytes=cti).urn writes it
    return f"urn:uuid:{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def credential(claims: Mapping[Any, Any]) -> dict[str, Any]:
    """The `vc` claim as JSON values, with its context, type, version and subject checked."""
    if CLAIM_VC not in claims:
        raise Reject(Reason.PAYLOAD_MISSING, "no vc claim")
    vc = to_json_value(claims[CLAIM_VC])
    if not isinstance(vc, dict):
        raise Reject(Reason.SCHEMA_INVALID, "vc is not an object")
    context = vc.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        raise Reject(Reason.SCHEMA_INVALID, "@context does not start with the W3C VC context")
    if not all(isinstance(item, str) for item in context):
        raise Reject(Reason.SCHEMA_INVALID, "@context holds something other than text")
    kinds = vc.get("type")
    if not isinstance(kinds, list) or len(kinds) != 2 or kinds[0] != VC_TYPE:
        raise Reject(Reason.SCHEMA_INVALID, "type is not [VerifiableCredential, <pass type>]")
    if kinds[1] != PASS_TYPE:
        raise Reject(Reason.NZCP_PASS_TYPE_UNSUPPORTED, "the pass type is not PublicCovidPass")
    if vc.get("version") != VC_VERSION:
        raise Reject(Reason.SCHEMA_INVALID, "version is not 1.0.0")
    _check_subject(vc.get("credentialSubject"))
    return vc


def _check_subject(subject: Any) -> None:
    if not isinstance(subject, dict):
        raise Reject(Reason.SCHEMA_INVALID, "credentialSubject is not an object")
    given = subject.get("givenName")
    if not isinstance(given, str) or not given.strip() or len(given) > MAX_NAME_CHARS:
        raise Reject(Reason.SCHEMA_INVALID, "givenName is missing, empty or too long")
    family = subject.get("familyName")
    if family is not None and (not isinstance(family, str) or len(family) > MAX_NAME_CHARS):
        raise Reject(Reason.SCHEMA_INVALID, "familyName is not text of at most 100 characters")
    if not _is_iso_date(subject.get("dob")):
        raise Reject(Reason.SCHEMA_INVALID, "dob is not a YYYY-MM-DD date")


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def holder(claims: Mapping[Any, Any]) -> Holder | None:
    """Name and date of birth as the pass prints them, whatever else is wrong with it."""
    vc = claims.get(CLAIM_VC)
    subject = vc.get("credentialSubject") if isinstance(vc, dict) else None
    if not isinstance(subject, dict):
        return None
    given = _text(subject.get("givenName"))
    family = _text(subject.get("familyName"))
    display = ", ".join(part for part in (family, given) if part)
    if not display:
        return None
    return Holder(display, _text(subject.get("dob")), family, given)


def _text(value: Any) -> str:
    return value[:MAX_NAME_CHARS] if isinstance(value, str) else ""
