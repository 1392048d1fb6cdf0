"""Who an entry is about: name, date of birth and the credential's own identifier.

This block is the only personal data an entry carries, and it is only ever stored sealed to the
health authority (see `entry.py`). The identifier lets tracing staff tell two people with the
same name apart and match a pass the issuer later revokes; each family keeps it elsewhere:

- EU DCC (`dcc`) and DDCC with an EU payload: the certificate's UVCI, `v`/`t`/`r`[0].`ci`;
- WHO DDCC:VS core data set (`ddcc`): `certificate.hcid.value`;
- SMART Health Card (`shc`): the VC's revocation id `vc.rid`, else the JWT id `jti`;
- NZ COVID Pass (`nzcp`): the `credential_id` the verifier derives from `cti`;
- DIVOC (`divoc`): the first vaccination's `certificateId`;
- ICAO VDS-NC (`vds`): `msg.uvci` (vaccination) or `msg.utci` (test);
- Vietnamese national QRs (`vn_*`): the ID number never leaves the status lookup, so the
  result does not carry it and the block has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from station.model import VerificationResult

#: Longest value kept per field; longer text is cut (a sealed block has a size cap on the wire).
MAX_FIELD_CHARS = {"name": 200, "date_of_birth": 32, "credential_id": 128}
_DCC_GROUPS = ("v", "t", "r")


def identity_block(result: VerificationResult) -> dict[str, str] | None:
    """`{"name", "date_of_birth", "credential_id"}`, or None when the result names nobody."""
    identifier = credential_id(result)
    holder = result.holder
    if holder is None and not identifier:
        return None
    block = {
        "name": holder.name if holder else "",
        "date_of_birth": holder.date_of_birth if holder else "",
        "credential_id": identifier,
    }
    return {key: value[: MAX_FIELD_CHARS[key]] for key, value in block.items()}


def credential_id(result: VerificationResult) -> str:
    """The credential's identifier as its family names it ('' when it has none)."""
    payload = result.payload or {}
    family = result.format
    if family == "dcc":
        found = _dcc_identifier(payload)
    elif family == "ddcc":
        found = _dcc_identifier(payload) or _path(payload, "certificate", "hcid", "value")
    elif family == "shc":
        found = _path(payload, "vc", "rid") or _path(payload, "jti")
    elif family == "nzcp":
        found = _path(result.details, "credential_id")
    elif family == "divoc":
        found = _divoc_identifier(payload)
    elif family == "vds":
        found = _path(payload, "msg", "uvci") or _path(payload, "msg", "utci")
    else:
        found = ""
    return found


def _dcc_identifier(certificate: Mapping[str, Any]) -> str:
    for group in _DCC_GROUPS:
        entries = certificate.get(group)
        if isinstance(entries, list) and entries and isinstance(entries[0], Mapping):
            found = _path(entries[0], "ci")
            if found:
                return found
    return ""


def _divoc_identifier(credential: Mapping[str, Any]) -> str:
    evidence = credential.get("evidence")
    for entry in evidence if isinstance(evidence, list) else []:
        found = _path(entry, "certificateId") if isinstance(entry, Mapping) else ""
        if found:
            return found
    return ""


def _path(value: Any, *keys: str) -> str:
    """The string at `keys` inside nested mappings; '' when absent or not text."""
    for key in keys:
        if not isinstance(value, Mapping):
            return ""
        value = value.get(key)
    return value.strip() if isinstance(value, str) else ""
