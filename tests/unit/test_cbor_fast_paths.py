"""The short-input CBOR decoder against the counting decoder: same values, same refusals.

`decode_cbor` reads an input shorter than the item cap with a decoder that reads map members
inline and skips the item count (such an input cannot reach the cap: every item takes a byte).
Both decoders must agree on every input, value for value (compared by `repr`, so 1, 1.0 and
True stay apart and map order counts) and refusal for refusal (reason and detail).  The corpus
is the EU conformance files' CWT payloads and COSE structures, WHO DDCC payloads in every
sub-claim, hand-made hostile inputs, and every truncation and many one-byte edits of some of
them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from station.codec import cbor
from station.codec.cbor import MAX_DEPTH, MAX_ITEMS, Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.errors import Reject
from station.issuer.dcc import vaccination_payload
from station.issuer.ddcc import core_data_set
from station.reasons import Reason

DGC_TESTDATA = Path(__file__).resolve().parents[1] / "vectors" / "dgc-testdata"
ISSUED_AT = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())
EXPIRES = int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())
#: Bytes written over each position of the mutated inputs: heads of every major type at the
#: boundaries of the inline paths (23/24 members or bytes), breaks, floats and reserved values.
EDITS = bytes.fromhex("00 17 18 20 3f 40 57 58 5f 60 77 78 79 7f 80 9f a0 b7 b8 bf c1 f5 f9 fc ff")
#: Text strings whose bytes are not UTF-8, one per inline path (keys, short and 1-byte values).
BAD_TEXT = b"\x62\xc3\x28"


def _outcome(decoder: type[Any], data: bytes, max_depth: int = MAX_DEPTH) -> tuple[Any, ...]:
    try:
        return ("value", repr(cbor._decode_with(decoder, data, max_depth, MAX_ITEMS)))
    except Reject as exc:
        return ("refused", exc.reason, exc.detail)


def _assert_same(data: bytes, max_depth: int = MAX_DEPTH) -> tuple[Any, ...]:
    general = _outcome(cbor._Decoder, data, max_depth)
    short = _outcome(cbor._ShortInputDecoder, data, max_depth)
    assert short == general, data.hex()
    return general


def _claims(certificate: Any, subclaim: int) -> bytes:
    return encode_cbor({1: "VN", 4: EXPIRES, 6: ISSUED_AT, -260: {subclaim: certificate}})


def _conformance_items() -> list[bytes]:
    """The CWT payload and the COSE structure of every conformance file that has them."""
    items = []
    for path in sorted(DGC_TESTDATA.glob("**/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        for field in ("CBOR", "COSE"):
            value = case.get(field) if isinstance(case, dict) else None
            if isinstance(value, str) and value:
                try:
                    items.append(bytes.fromhex(value))
                except ValueError:
                    continue  # a file that tests a damaged field
    return items


CONFORMANCE = _conformance_items()
DDCC_PAYLOADS = [_claims(core_data_set(), subclaim) for subclaim in (1, 2, 3)]
EU_PAYLOAD = _claims(vaccination_payload(), 1)


def test_the_conformance_corpus_is_there():
    assert len(CONFORMANCE) > 200


@pytest.mark.parametrize("max_depth", [MAX_DEPTH, 4, 3, 2, 1, 0])
def test_both_decoders_agree_on_the_corpus(max_depth):
    outcomes = [_assert_same(data, max_depth) for data in [*CONFORMANCE, *DDCC_PAYLOADS]]
    kinds = {outcome[0] if outcome[0] == "value" else outcome[2] for outcome in outcomes}
    # Shallow caps must refuse through the inline paths too, not only pass everything through.
    assert ("nested too deeply" in kinds) is (max_depth < MAX_DEPTH)
    assert ("value" in kinds) is (max_depth > 0)


def test_the_short_input_decoder_reads_a_ddcc_payload_as_the_encoder_wrote_it():
    assert decode_cbor(DDCC_PAYLOADS[1]) == {
        1: "VN",
        4: EXPIRES,
        6: ISSUED_AT,
        -260: {2: core_data_set()},
    }


MUTATED = {
    "ddcc-subclaim-2": DDCC_PAYLOADS[1],
    "eu-vaccination": EU_PAYLOAD,
    **{f"conformance-{index}": CONFORMANCE[index] for index in (0, 60, 120)},
}


@pytest.mark.parametrize("name", sorted(MUTATED))
def test_both_decoders_agree_on_every_truncation_and_one_byte_edit(name):
    data = MUTATED[name]
    reasons = set()
    for end in range(len(data)):
        reasons.add(_assert_same(data[:end])[1])
    for position in range(len(data)):
        for byte in EDITS:
            edited = data[:position] + bytes((byte,)) + data[position + 1 :]
            reasons.add(_assert_same(edited)[1])
    assert {Reason.CBOR_MALFORMED, Reason.TRAILING_DATA} <= reasons


HOSTILE = {
    "duplicate text key, inline": (b"\xa2\x61a\x00\x61a\x01", Reason.CBOR_DUPLICATE_KEY),
    "duplicate key, nested map": (b"\xa1\x61m\xa2\x61k\x61v\x61k\x61w", Reason.CBOR_DUPLICATE_KEY),
    "duplicate key after a long value": (
        b"\xa2\x61k\x78\x20" + b"v" * 32 + b"\x61k\x00",
        Reason.CBOR_DUPLICATE_KEY,
    ),
    "key text past the end": (b"\xa1\x65abc", Reason.CBOR_MALFORMED),
    "value text past the end": (b"\xa1\x61k\x65abc", Reason.CBOR_MALFORMED),
    "long value length byte missing": (b"\xa1\x61k\x78", Reason.CBOR_MALFORMED),
    "long value past the end": (b"\xa1\x61k\x78\x30abc", Reason.CBOR_MALFORMED),
    "value missing": (b"\xa2\x61k\x00\x61j", Reason.CBOR_MALFORMED),
    "invalid UTF-8 key": (b"\xa1" + BAD_TEXT + b"\x00", Reason.CBOR_MALFORMED),
    "invalid UTF-8 value": (b"\xa1\x61k" + BAD_TEXT, Reason.CBOR_MALFORMED),
    "invalid UTF-8 long value": (b"\xa1\x61k\x78\x18" + b"\xff" * 24, Reason.CBOR_MALFORMED),
    "break as a map value": (b"\xa1\x61k\xff", Reason.CBOR_MALFORMED),
    "break as a map key": (b"\xa1\xff\x00", Reason.CBOR_MALFORMED),
    "boolean key": (b"\xa1\xf5\x00", Reason.CBOR_MALFORMED),
    "array key": (b"\xa1\x80\x00", Reason.CBOR_MALFORMED),
    "map count beyond the data": (b"\xb7\x61k\x00", Reason.CBOR_MALFORMED),
    "maps nested past the cap": (b"\xa1\x61k" * 40 + b"\x00", Reason.CBOR_MALFORMED),
    "empty map at the cap": (b"\xa1\x61k" * MAX_DEPTH + b"\xa0", None),
    "text and value inside a tag": (Tagged(1004, {"d": "2021-06-01"}), None),
    "one item short of the data": (b"\xa2\x61a\x00\x61b", Reason.CBOR_MALFORMED),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_both_decoders_refuse_hostile_maps_alike(name):
    data, reason = HOSTILE[name]
    raw = data if isinstance(data, bytes) else encode_cbor(data)
    outcome = _assert_same(raw)
    assert outcome[0] == ("value" if reason is None else "refused")
    if reason is not None:
        assert outcome[1] is reason


def test_the_item_cap_still_holds_for_long_inputs():
    flat = encode_cbor(list(range(MAX_ITEMS)))  # longer than the cap: the counting decoder
    with pytest.raises(Reject) as caught:
        decode_cbor(flat)
    assert (caught.value.reason, caught.value.detail) == (Reason.CBOR_MALFORMED, "too many items")


def test_a_lower_item_cap_picks_the_counting_decoder():
    data = encode_cbor({"a": "b", "c": "d"})  # five items in nine bytes
    assert decode_cbor(data, max_items=len(data) + 1) == {"a": "b", "c": "d"}
    with pytest.raises(Reject) as caught:
        decode_cbor(data, max_items=4)
    assert caught.value.detail == "too many items"
