"""Choose the credential family from the shape of the scanned text.

Each family registers a predicate and a verify function; the first family whose predicate
matches handles the text.  Text no family claims is "not a health credential".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from station.config import VerifierConfig
from station.model import Check, VerificationResult
from station.ports import TrustSources
from station.reasons import Reason
from station.verify import dcc, vn_qr
from station.verify import divoc as divoc_family
from station.verify import nzcp as nzcp_family
from station.verify import shc as shc_family
from station.verify import vds as vds_family
from station.verify.outcome import build_result

VerifyFunction = Callable[[str, TrustSources, datetime, VerifierConfig], VerificationResult]
_HCERT_SHAPE = re.compile(r"^HC[0-9A-Z]:")


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    claims: Callable[[str], bool]
    verify: VerifyFunction


def _looks_like_hcert(text: str) -> bool:
    return bool(_HCERT_SHAPE.match(text))


FAMILIES: tuple[Family, ...] = (
    Family(dcc.FORMAT, _looks_like_hcert, dcc.verify_dcc),
    Family(vds_family.FORMAT, vds_family.looks_like_vds, vds_family.verify_vds),
    Family(shc_family.FORMAT, shc_family.looks_like_shc, shc_family.verify_shc),
    Family(nzcp_family.FORMAT, nzcp_family.looks_like_nzcp, nzcp_family.verify_nzcp),
    Family(divoc_family.FORMAT, divoc_family.looks_like_divoc, divoc_family.verify_divoc),
    Family(vn_qr.FAMILY, vn_qr.claims, vn_qr.verify_vn_qr),
)


def route(text: str) -> Family | None:
    for family in FAMILIES:
        if family.claims(text):
            return family
    return None


def unrecognised(text: str, now: datetime, config: VerifierConfig) -> VerificationResult:
    """Result for text that no family claims (a shop barcode, a URL, a damaged pass)."""
    if not text:
        check = Check.failed("prefix", Reason.INPUT_EMPTY)
    elif len(text) > config.max_input_chars:
        check = Check.failed("prefix", Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    else:
        check = Check.failed("prefix", Reason.NOT_A_HEALTH_CREDENTIAL)
    shown = text if len(text) <= config.max_input_chars else None
    return build_result("unknown", [check], now, shown)
