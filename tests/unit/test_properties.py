"""Property tests (hypothesis, derandomized): the front door never raises, the codecs refuse
only with `Reject` and round-trip, CBOR agrees with cbor2, and no single-bit flip of a signed
COSE_Sign1 is ever VALID (T09)."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.adapters.clock import FixedClock
from station.codec.base45 import ALPHABET, decode_base45, encode_base45
from station.codec.cbor import decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.errors import Reject
from station.issuer.dcc import DccOptions, build_cose, encode_hc1, vaccination_payload
from station.reasons import Reason, Status
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)
REASON_CODES = {str(reason) for reason in Reason}

PROPERTY = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FLIPS = settings(PROPERTY, max_examples=200)


@pytest.fixture(scope="module")
def verifier(es256_signer, ps256_signer, now) -> Verifier:
    trust = TrustIndex([load_trusted_certificate(s.der) for s in (es256_signer, ps256_signer)])
    return Verifier(trust, FixedClock(now))


@pytest.fixture(scope="module")
def genuine_text(es256_signer) -> str:
    cose = build_cose(es256_signer, vaccination_payload(), ISSUED, EXPIRES, DccOptions())
    return encode_hc1(cose)


# --- (1) the front door never raises -----------------------------------------------------------

base45_text = st.text(alphabet=ALPHABET, max_size=600)
hc1_like = st.one_of(
    st.text(max_size=300),
    st.text(max_size=300).map(lambda t: "HC1:" + t),
    base45_text.map(lambda t: "HC1:" + t),
    st.binary(max_size=400).map(lambda b: "HC1:" + encode_base45(b)),
    st.binary(max_size=400).map(lambda b: "HC1:" + encode_base45(zlib.compress(b))),
    st.text(alphabet="HC0123456789:", max_size=8),
)


@PROPERTY
@given(text=hc1_like)
def test_verify_never_raises_on_arbitrary_text(verifier, text):
    result = verifier.verify(text)
    assert result.status in set(Status)
    assert str(result.reason) in REASON_CODES
    assert result.status is not Status.VALID
    assert result.failed_checks  # an INVALID verdict always names a failed check
    result.to_json()


@PROPERTY
@given(data=st.data())
def test_verify_never_raises_on_mutated_genuine_pass(verifier, genuine_text, data):
    """Overwrite, insert or delete a few characters of a genuine pass."""
    text = genuine_text
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        position = data.draw(st.integers(0, len(text)), label="position")
        kind = data.draw(st.sampled_from(["replace", "insert", "delete"]), label="kind")
        char = data.draw(st.sampled_from(ALPHABET + "a\n\x00é"), label="char")
        if kind == "insert":
            text = text[:position] + char + text[position:]
        elif kind == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + char + text[position + 1 :]
    result = verifier.verify(text)
    assert result.status in set(Status)
    assert str(result.reason) in REASON_CODES
    if result.status is Status.VALID:
        # Only bits the decoders legitimately ignore (deflate padding) can leave it valid.
        assert result.payload == verifier.verify(genuine_text).payload


# --- (2) decode_cbor refuses only with Reject ----------------------------------------------------

cbor_heads = st.sampled_from(
    [
        b"\x9f", b"\xbf", b"\x5f", b"\x7f", b"\xff", b"\x81", b"\xa1", b"\xd2", b"\xd8\x3d",
        b"\x9b" + b"\xff" * 8, b"\x5a\x00\x01\x00\x00", b"\xf9\x7e\x00", b"\xfb", b"\x1c",
        b"\x43abc", b"\x62\xc3\xa9", b"\x00", b"\x20", b"\x38\xff",
    ]
)  # fmt: skip
cbor_like = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(cbor_heads, st.binary(max_size=4)), max_size=40).map(b"".join),
)


@PROPERTY
@given(data=cbor_like)
def test_decode_cbor_raises_only_reject(data):
    try:
        first = decode_cbor(data)
    except Reject as exc:
        assert exc.reason in set(Reason)
        return
    assert decode_cbor(data) == first  # decoding is a pure function of the bytes


@PROPERTY
@given(data=cbor_like)
def test_protected_header_bound_raises_only_reject(data):
    try:
        decode_cbor(data, max_depth=4, max_items=64)
    except Reject as exc:
        assert exc.reason in set(Reason)


# --- (3) Base45 ----------------------------------------------------------------------------------


@PROPERTY
@given(data=st.binary(max_size=500))
def test_base45_round_trip(data):
    encoded = encode_base45(data)
    assert set(encoded) <= set(ALPHABET)
    assert len(encoded) == len(data) // 2 * 3 + len(data) % 2 * 2
    assert decode_base45(encoded) == data


@PROPERTY
@given(text=st.one_of(st.text(max_size=300), base45_text))
def test_base45_decode_raises_only_reject(text):
    try:
        decoded = decode_base45(text)
    except Reject as exc:
        assert exc.reason is Reason.BASE45_INVALID
        return
    # Strict decoding accepts exactly one spelling of each byte string.
    assert encode_base45(decoded) == text


# --- (4) CBOR round trip and agreement with cbor2 -----------------------------------------------

cbor_ints = st.integers(min_value=-(2**64), max_value=2**64 - 1)
cbor_scalars = st.one_of(cbor_ints, st.text(max_size=20), st.binary(max_size=20))
cbor_values = st.recursive(
    cbor_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.text(max_size=8), children, max_size=6),
    ),
    max_leaves=40,
)


@PROPERTY
@given(value=cbor_values)
def test_cbor_round_trip_and_agreement_with_cbor2(value: Any):
    encoded = encode_cbor(value)
    assert decode_cbor(encoded) == value
    assert cbor2.loads(encoded) == value
    reference = cbor2.dumps(value)
    assert decode_cbor(reference) == value
    assert reference == encoded  # both write shortest heads and maps in insertion order


# --- (5) T09: no single-bit flip of a signed COSE_Sign1 is VALID ---------------------------------


def _cose_for_flips(signer) -> bytes:
    """kid in the protected header and an empty unprotected map: every byte is significant."""
    cose = build_cose(
        signer, vaccination_payload(), ISSUED, EXPIRES, DccOptions(kid_in="protected")
    )
    assert b"\xa0" in cose
    return cose


@pytest.fixture(scope="module")
def es256_cose(es256_signer) -> bytes:
    return _cose_for_flips(es256_signer)


@pytest.fixture(scope="module")
def ps256_cose(ps256_signer) -> bytes:
    return _cose_for_flips(ps256_signer)


def _flip(data: bytes, bit: int) -> bytes:
    flipped = bytearray(data)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def test_unflipped_credentials_are_valid(verifier, es256_cose, ps256_cose):
    for cose in (es256_cose, ps256_cose):
        assert verifier.verify(encode_hc1(cose)).status is Status.VALID


@FLIPS
@given(data=st.data())
def test_single_bit_flip_of_es256_cose_is_never_valid(verifier, es256_cose, data):
    bit = data.draw(st.integers(0, len(es256_cose) * 8 - 1), label="bit")
    result = verifier.verify(encode_hc1(_flip(es256_cose, bit)))
    assert result.status is not Status.VALID, f"bit {bit} flipped and still VALID"


@FLIPS
@given(data=st.data())
def test_single_bit_flip_of_ps256_cose_is_never_valid(verifier, ps256_cose, data):
    bit = data.draw(st.integers(0, len(ps256_cose) * 8 - 1), label="bit")
    result = verifier.verify(encode_hc1(_flip(ps256_cose, bit)))
    assert result.status is not Status.VALID, f"bit {bit} flipped and still VALID"


def test_every_single_bit_flip_of_es256_cose_is_invalid(verifier, es256_cose):
    """The exhaustive version of the property above (a few thousand verifications)."""
    still_valid = [
        bit
        for bit in range(len(es256_cose) * 8)
        if verifier.verify(encode_hc1(_flip(es256_cose, bit))).status is Status.VALID
    ]
    assert still_valid == []
