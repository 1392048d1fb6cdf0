"""Hostile national-QR-shaped input: floods, huge fields, invisible characters, encoding tricks.

Each must end INVALID with a specific reason and never raise; the time each takes is measured in
bench/bench_vn_qr.py (the bar is 50 ms), not asserted here.
"""

from __future__ import annotations

from datetime import date

import pytest
from vn_helpers import ISSUED, NOW, person

from station.adapters.clock import FixedClock
from station.errors import Reject
from station.issuer.vn_qr import bhyt_text, cccd_text, pccovid_text
from station.reasons import Reason, Status
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier
from station.verify.vn_id import citizen_id, document_number

pytest_plugins = ["vn_fixtures"]

CCCD_HEAD = "001203004567||"
PCCOVID_HEAD = "001203004567|NGUYEN VAN A|2003-01-18|0|"
BHYT_HEAD = "0123456789|4e677579e1bb856e|18/01/2003|"


def hostile_inputs() -> dict[str, tuple[str, Reason]]:
    """name → (text, the reason it must be refused with)."""
    someone = person(1)
    cccd, pccovid = cccd_text(someone, ISSUED), pccovid_text(someone)
    bhyt = bhyt_text(someone, valid_from=date(2023, 7, 1))
    fields = cccd.split("|")
    return {
        "pipe_flood_in_qr_size": (CCCD_HEAD + "|" * 4000, Reason.VN_QR_MALFORMED),
        "pipe_flood_under_the_cap": (CCCD_HEAD + "|" * 1000, Reason.VN_QR_MALFORMED),
        "one_megabyte_line": (CCCD_HEAD + "A" * 1_000_000, Reason.INPUT_TOO_LONG),
        "huge_address": (
            "|".join([*fields[:5], "Hà Nội " * 280, fields[6]]),
            Reason.VN_QR_MALFORMED,
        ),
        "ext_separator_flood": (
            PCCOVID_HEAD + "1629793885861711|" + "<" * 1900,
            Reason.VN_QR_MALFORMED,
        ),
        "ext_deep_parts": (PCCOVID_HEAD + "1629793885861711|" + "<1" * 900, Reason.VN_QR_MALFORMED),
        "combining_mark_flood": (
            cccd.replace("|Nam|", "|N" + "\u0301" * 1900 + "am|"),
            Reason.VN_QR_MALFORMED,
        ),
        "nul_bytes": (cccd.replace("Phường", "Phư\x00\x00ờng"), Reason.VN_QR_MALFORMED),
        "lone_surrogate": (cccd.replace("Phường", "Ph\ud800ường"), Reason.VN_QR_MALFORMED),
        "bidi_override_name": (
            cccd.replace(someone.name, "\u202e" + someone.name),
            Reason.VN_QR_MALFORMED,
        ),
        "zero_width_in_name": (pccovid.replace(" ", "\u200b ", 1), Reason.VN_QR_MALFORMED),
        "hex_flood_name": (
            BHYT_HEAD.replace("4e677579e1bb856e", "41" * 790) + "1|-|$",
            Reason.VN_QR_MALFORMED,
        ),
        "hex_utf8_overlong": (bhyt.replace(bhyt.split("|")[1], "c0ae" * 4), Reason.VN_QR_MALFORMED),
        "hex_bom_name": (bhyt.replace(bhyt.split("|")[1], "efbbbf4e6775"), Reason.VN_QR_MALFORMED),
        "arabic_indic_date": (cccd.replace(fields[3], "٠١٠١١٩٩٠"), Reason.VN_DATE_INVALID),
        "date_overflow": (cccd.replace(fields[3], "99999999"), Reason.VN_DATE_INVALID),
        "year_zero": (pccovid.replace(pccovid.split("|")[2], "0000-01-01"), Reason.VN_DATE_INVALID),
        "fullwidth_digits_id": (
            "００１２０３００４５６７" + cccd[12:],
            Reason.NOT_A_HEALTH_CREDENTIAL,
        ),
        "arabic_indic_digits_id": ("١٢٣٤٥٦٧٨٩٠١٢" + cccd[12:], Reason.NOT_A_HEALTH_CREDENTIAL),
        "shape_then_garbage": (CCCD_HEAD + "\xff\xfe" * 100, Reason.VN_QR_MALFORMED),
        "crlf_terminated": (cccd + "\r\n", Reason.VN_QR_MALFORMED),
    }


@pytest.mark.parametrize("name", sorted(hostile_inputs()))
def test_hostile_input_is_invalid_with_a_reason(name):
    text, reason = hostile_inputs()[name]
    result = Verifier(TrustIndex([]), FixedClock(NOW)).verify(text)
    assert result.status is Status.INVALID, result.checks
    assert result.reason == reason, result.checks
    assert all(check.ok is not True for check in result.checks[-2:])


def test_unicode_digits_never_reach_the_status_list_key():
    """`str.isdigit` accepts Arabic-Indic and fullwidth digits; the ID checks must not."""

    for number in ("００１２０３００４５６７", "١٢٣٤٥٦٧٨٩٠١٢", "٠٠١٢٠٣٠٠٤"):
        with pytest.raises(Reject):
            citizen_id(number)
        with pytest.raises(Reject):
            document_number(number)
