"""Hostile WHO DDCC:VS payloads: each ends INVALID with a specific reason, never an exception.

Both hand-off paths are covered (the WHO payload in the EU slot, and in WHO sub-claim 2, which
the EU decoder refuses first).  Time per input is measured by bench/bench_ddcc.py, not here.
"""

from __future__ import annotations

import math
import zlib
from typing import Any

import pytest
from ddcc_helpers import with_payload

from station.codec.base45 import encode_base45
from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import DccOptions
from station.issuer.ddcc import core_data_set, ddcc_cwt
from station.reasons import Reason, Status

pytest_plugins = ["ddcc_fixtures"]


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _patched(**members: Any) -> dict[str, Any]:
    payload = core_data_set()
    payload.update(members)
    return payload


def _dose(value: Any) -> dict[str, Any]:
    return _patched(vaccination={**core_data_set()["vaccination"], "dose": value})


HOSTILE_PAYLOADS: list[tuple[str, Any, set[Reason]]] = [
    ("member flood", _patched(**{f"m{i}": i for i in range(300)}), {Reason.SCHEMA_INVALID}),
    ("deep nesting", _patched(name=_nested(20)), {Reason.CWT_MALFORMED}),
    ("nesting past CBOR's limit", _patched(name=_nested(40)), {Reason.CWT_MALFORMED}),
    ("binary data", _patched(name=b"\x00" * 16), {Reason.CWT_MALFORMED}),
    ("embedded CBOR tag", _patched(name=Tagged(24, b"\xa0")), {Reason.CWT_MALFORMED}),
    ("integer map keys", {1: "a", 2: "b"}, {Reason.CWT_MALFORMED, Reason.PAYLOAD_MISSING}),
    ("not a map", ["name", "x"], {Reason.CWT_MALFORMED}),
    ("NaN dose", _dose(math.nan), {Reason.CWT_MALFORMED, Reason.SCHEMA_INVALID}),
    ("huge dose", _dose(2**63), {Reason.SCHEMA_INVALID}),
    ("negative dose", _dose(-(2**63)), {Reason.SCHEMA_INVALID}),
]


@pytest.mark.parametrize("subclaim", [1, 2])
@pytest.mark.parametrize(
    ("label", "payload", "reasons"), HOSTILE_PAYLOADS, ids=[h[0] for h in HOSTILE_PAYLOADS]
)
def test_hostile_payloads_are_invalid_with_a_reason(
    ddcc_verifier, issue, label, payload, reasons, subclaim
):
    result = ddcc_verifier.verify(issue(payload, subclaim=subclaim))
    assert result.status is Status.INVALID, label
    failed = {check.code for check in result.failed_checks}
    assert failed & reasons, (label, failed)


def test_duplicate_member_in_the_who_payload(ddcc_verifier, issue, es256_signer, now):
    # {"name": "A", "name": "B"} written by hand: the encoder cannot produce duplicates.
    duplicated = b"\xa2" + encode_cbor("name") + encode_cbor("A") + encode_cbor("name")
    duplicated += encode_cbor("B")
    claims = encode_cbor({1: "VN", 4: 2_000_000_000, 6: 1_700_000_000})
    raw = claims[:1].replace(b"\xa3", b"\xa4") + claims[1:] + encode_cbor(-260)
    raw += b"\xa1\x02" + duplicated
    result = ddcc_verifier.verify(with_payload(issue(subclaim=2), raw))
    assert (result.status, result.reason) == (Status.INVALID, Reason.CBOR_DUPLICATE_KEY)


def test_trailing_bytes_after_the_claims(ddcc_verifier, issue, now):
    text = issue(subclaim=2)
    cwt = ddcc_cwt(core_data_set(), now, now, subclaim=2)
    assert ddcc_verifier.verify(with_payload(text, cwt + b"\x00")).reason == Reason.TRAILING_DATA


def test_decompression_bomb_that_fits_a_qr_code(ddcc_verifier):
    bomb = zlib.compress(bytes(2_500_000), 9)
    text = "HC1:" + encode_base45(bomb)
    assert len(text) <= 4296
    result = ddcc_verifier.verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.TOO_LARGE)


@pytest.mark.parametrize("alg", [-65535, -259, "ES256", "none", 3.5, True, [-7]])
def test_unknown_algorithms(ddcc_verifier, issue, alg):
    result = ddcc_verifier.verify(issue(subclaim=2, options=DccOptions(alg_override=alg)))
    assert (result.status, result.check("signature").code) == (
        Status.INVALID,
        Reason.ALG_UNSUPPORTED,
    )
