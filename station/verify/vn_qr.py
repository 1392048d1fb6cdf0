"""Vietnam's national QRs: the PC-Covid personal QR, the chip ID card (CCCD) QR and the
health-insurance card (BHYT) QR. They identify a person; the verdict comes from the status list.

None of the three is signed, so none can be VALID on its own: the QR resolves to an identity
(ID type and number, name, date of birth) and the synced national status list decides
(`station.verify.vn_status`). Layouts are told apart by shape (`claims`), specific enough that
a shop barcode, a URL or arbitrary `|`-separated text stays "not a health credential", while a
damaged QR of a known layout is INVALID with the reason.

Check names (stable): `format` (length, Unicode NFC without control or invisible characters, the
layout's exact field count), `fields` (each field's form: ID number digits and province code,
real past dates, names, sex, hex text), `identity` (the CCCD number's coded birth year and sex
agree with the date of birth and sex beside it), `status` (the national status list), and `data`
when stale trust data must refuse verdicts. The first two are decoding stages: after a failure
nothing else runs. The result's format is `vn_pccovid`, `vn_cccd` or `vn_bhyt`; its
`decoded_text` is left empty, because the text holds the full ID number and address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, VerificationResult
from station.ports import TrustSources
from station.reasons import Reason
from station.verify import vn_bhyt, vn_cccd, vn_pccovid
from station.verify.outcome import build_result, data_health_checks
from station.verify.vn_id import VnIdentity, citizen_id_mismatch
from station.verify.vn_status import check_status
from station.verify.vn_text import local_today, normalised_text, split_fields

FAMILY = "vn_qr"
DECODE_STAGES = ("format", "fields")
VALIDATION_CHECKS = ("identity", "status")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS


@dataclass(frozen=True, slots=True)
class Layout:
    """One QR layout: its name, result format, claiming shape, field counts and parser."""

    name: str
    format: str
    shape: re.Pattern[str]
    field_counts: tuple[int, ...]
    parse: Callable[[list[str], date], VnIdentity]


#: Most specific shape first: a CCCD line starts with 12 digits and a 9-digit (or empty) field.
LAYOUTS: tuple[Layout, ...] = (
    Layout(vn_cccd.LAYOUT, vn_cccd.FORMAT, vn_cccd.SHAPE, vn_cccd.FIELD_COUNTS, vn_cccd.parse),
    Layout(vn_bhyt.LAYOUT, vn_bhyt.FORMAT, vn_bhyt.SHAPE, vn_bhyt.FIELD_COUNTS, vn_bhyt.parse),
    Layout(
        vn_pccovid.LAYOUT,
        vn_pccovid.FORMAT,
        vn_pccovid.SHAPE,
        vn_pccovid.FIELD_COUNTS,
        vn_pccovid.parse,
    ),
)
FORMATS = tuple(layout.format for layout in LAYOUTS)


def layout_of(text: str) -> Layout | None:
    """The layout whose shape the text has (anchored, bounded patterns: cheap on any input)."""
    for layout in LAYOUTS:
        if layout.shape.match(text):
            return layout
    return None


def claims(text: str) -> bool:
    return layout_of(text) is not None


def verify_vn_qr(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Resolve a national QR to an identity and judge it by the national status list."""
    layout = layout_of(text)
    if layout is None:  # only reached when called directly with text the router would not send
        check = Check.failed("format", Reason.NOT_A_HEALTH_CREDENTIAL)
        return build_result("unknown", [check], now, None)
    checks: list[Check] = []
    details: dict[str, Any] = {"layout": layout.name}
    identity = _decode(text, layout, now, config, checks)
    if identity is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(layout.format, checks, now, None, details=details)
    checks.append(_identity_check(identity))
    health = trust.health() if trust.health is not None else None
    status, details["status"] = check_status(identity, trust.status_list, now, health)
    checks.append(status)
    details["document"] = dict(identity.facts)
    checks += data_health_checks(trust, config, details)
    return build_result(layout.format, checks, now, None, holder=identity.holder(), details=details)


def _decode(
    text: str, layout: Layout, now: datetime, config: VerifierConfig, checks: list[Check]
) -> VnIdentity | None:
    """The `format` and `fields` stages; None (with the failed check appended) on a refusal."""
    stage = "format"
    try:
        if len(text) > config.max_input_chars:
            raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
        fields = split_fields(normalised_text(text), layout.field_counts)
        checks.append(Check.passed(stage))
        stage = "fields"
        identity = layout.parse(fields, local_today(now))
    except Reject as exc:
        checks.append(Check.failed(stage, exc.reason, exc.detail))
        return None
    checks.append(Check.passed(stage))
    return identity


def _identity_check(identity: VnIdentity) -> Check:
    problem = citizen_id_mismatch(identity)
    if problem is not None:
        return Check.failed("identity", Reason.VN_ID_MISMATCH, problem)
    return Check.passed("identity")
