"""Untrusted input at the NZ COVID Pass front door: prefix and Base32 strictness, hostile CBOR and
COSE structures, floods and unknown algorithms.

Every hostile input must end in our own `Reject` inside a stage (never another exception) and,
through the full `Verifier`, in an INVALID verdict with a specific reason at the stage that
refused it.  How long each takes is measured by bench/bench_nzcp.py, not asserted here.
"""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nzcp_helpers import issue_claims, issue_valid, valid_claims

from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.config import VerifierConfig
from station.errors import Reject
from station.issuer.nzcp import NzcpOptions, encode_nzcp, sign_nzcp
from station.reasons import Status
from station.verify import nzcp_decode
from station.verify.verifier import Verifier

pytest_plugins = ["nzcp_fixtures"]

QR_MAX_CHARS = VerifierConfig().max_input_chars
#: 4,296 characters minus `NZCP:/1/` is 4,288 Base32 characters, i.e. 2,680 bytes.
QR_MAX_BYTES = (QR_MAX_CHARS - 8) * 5 // 8


def b32(data: bytes) -> str:
    return "NZCP:/1/" + base64.b32encode(data).decode("ascii").rstrip("=")


def refused(verifier: Verifier, text: str) -> tuple[str, str]:
    """(stage, reason) of the one failed check; the verdict must be INVALID."""
    result = verifier.verify(text)
    assert result.status is Status.INVALID, result.to_json()["checks"]
    assert len(result.failed_checks) == 1, result.failed_checks
    check = result.failed_checks[0]
    return check.name, str(check.code)


# --- prefix and Base32 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stage", "reason"),
    [
        ("NZCP:/2/" + "A" * 16, "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/01/" + "A" * 16, "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/one/" + "A" * 16, "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/" + "9" * 20 + "/AAAA", "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/1", "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/", "prefix", "PREFIX_UNSUPPORTED"),
        ("NZCP:/1/", "base32", "BASE32_INVALID"),
        ("NZCP:/1/MFRGG===", "base32", "BASE32_INVALID"),  # padded
        ("NZCP:/1/mfrgg", "base32", "BASE32_INVALID"),  # lower case
        ("NZCP:/1/MFRG0", "base32", "BASE32_INVALID"),  # 0 is not in the alphabet
        ("NZCP:/1/MFRG1", "base32", "BASE32_INVALID"),
        ("NZCP:/1/MFR GG", "base32", "BASE32_INVALID"),
        ("NZCP:/1/MFRGＧ", "base32", "BASE32_INVALID"),  # full-width look-alike
        ("NZCP:/1/MFRGGZ", "base32", "BASE32_INVALID"),  # 6 characters: no encoder writes that
        ("NZCP:/1/A", "base32", "BASE32_INVALID"),
        ("NZCP:/1/MFRGH", "base32", "BASE32_INVALID"),  # trailing bits not zero ("abc" is MFRGG)
        ("NZCP:/1/AB/CD", "base32", "BASE32_INVALID"),
        ("NZCP:/1/" + "A" * (QR_MAX_CHARS - 7), "prefix", "INPUT_TOO_LONG"),
    ],
)
def test_prefix_and_base32_are_strict(nzcp_verifier, text, stage, reason):
    assert refused(nzcp_verifier, text) == (stage, reason)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(data=st.binary(min_size=1, max_size=QR_MAX_BYTES))
def test_base32_decodes_what_rfc4648_encodes(data: bytes):
    text = base64.b32encode(data).decode("ascii").rstrip("=")
    assert nzcp_decode.decode_base32(text) == data


def test_router_sends_only_the_nzcp_scheme_here(nzcp_verifier):
    assert nzcp_verifier.verify("nzcp:/1/AAAA").format == "unknown"
    assert nzcp_verifier.verify("NZCP:/1/AAAA").format == "nzcp"
    # shaped like a national personal QR behind the NZCP scheme: still an (invalid) NZ pass
    disguised = "NZCP:/1/001234567890|NGUYEN VAN A|1990-01-01|1|QID|"
    assert refused(nzcp_verifier, disguised) == ("base32", "BASE32_INVALID")


# --- COSE and CBOR structure -------------------------------------------------------------------


def cose_parts(nzcp_issuer, now) -> list:
    """[protected, unprotected, payload, signature] of a valid pass, to be rebuilt by a test."""
    claims = encode_cbor(valid_claims(nzcp_issuer, now))
    return list(decode_cbor(sign_nzcp(nzcp_issuer, claims)).value)


def deep_array(depth: int) -> bytes:
    return b"\x81" * depth + b"\x00"


@pytest.mark.parametrize(
    ("build", "stage", "reason"),
    [
        (lambda parts: b"", "base32", "BASE32_INVALID"),
        (lambda parts: b"\xd2", "cose", "COSE_MALFORMED"),
        (lambda parts: encode_cbor(Tagged(18, parts)) + b"\x00", "cose", "TRAILING_DATA"),
        (lambda parts: encode_cbor(Tagged(18, parts[:3])), "cose", "COSE_MALFORMED"),
        (lambda parts: b"\xd2\x84\x5a\xff\xff\xff\xff", "cose", "COSE_MALFORMED"),  # 4 GiB bstr
        (lambda parts: b"\xd2\x9b" + b"\xff" * 8, "cose", "COSE_MALFORMED"),  # 2^64 items
        (lambda parts: b"\xd2" * 2600 + b"\x00", "cose", "COSE_MALFORMED"),  # tag bomb
        (lambda parts: b"\xd2" + deep_array(2600), "cose", "COSE_MALFORMED"),
        (lambda parts: b"\xd2\x9f" + b"\x00" * 2600 + b"\xff", "cose", "COSE_MALFORMED"),
        (
            lambda parts: encode_cbor(Tagged(18, [deep_array(500), {}, parts[2], parts[3]])),
            "cose",
            "COSE_MALFORMED",
        ),
        (
            lambda parts: encode_cbor(Tagged(18, [parts[0], {}, deep_array(2000), parts[3]])),
            "cbor",
            "CWT_MALFORMED",
        ),
        (
            lambda parts: encode_cbor(Tagged(18, [parts[0], {}, b"\xa2\x01\x00\x01\x00", b""])),
            "cbor",
            "CBOR_DUPLICATE_KEY",
        ),
        (
            lambda parts: encode_cbor(Tagged(18, [parts[0], {}, parts[2] + b"\x00", parts[3]])),
            "cbor",
            "TRAILING_DATA",
        ),
        (
            lambda parts: encode_cbor(Tagged(18, [parts[0], {}, encode_cbor([0] * 2000), b""])),
            "cbor",
            "CWT_MALFORMED",
        ),
        (
            lambda parts: encode_cbor(Tagged(18, [parts[0], {}, None, parts[3]])),
            "cose",
            "PAYLOAD_MISSING",
        ),
    ],
)
def test_hostile_structures_are_refused_at_their_stage(
    nzcp_verifier, nzcp_issuer, now, build, stage, reason
):
    text = b32(build(cose_parts(nzcp_issuer, now)))
    assert len(text) <= QR_MAX_CHARS
    assert refused(nzcp_verifier, text) == (stage, reason)


def test_a_qr_full_of_map_entries_is_refused_by_content(nzcp_verifier, nzcp_issuer, now):
    """A claims map flooded with 500 extra keys decodes, verifies, and fails on content only."""
    claims = valid_claims(nzcp_issuer, now)
    claims.update({-i: 0 for i in range(1, 501)})
    del claims[7]
    text = issue_claims(nzcp_issuer, claims)
    assert len(text) <= QR_MAX_CHARS
    assert refused(nzcp_verifier, text) == ("cti", "NZCP_CREDENTIAL_ID_INVALID")


def test_deeply_nested_vc_is_refused(nzcp_verifier, nzcp_issuer, now):
    nested: object = "x"
    for _ in range(20):  # under the decoder's depth bound, over the credential's
        nested = {"n": nested}
    claims = valid_claims(nzcp_issuer, now)
    claims["vc"] = {**claims["vc"], "evidence": nested}
    assert refused(nzcp_verifier, issue_claims(nzcp_issuer, claims)) == ("payload", "CWT_MALFORMED")


@pytest.mark.parametrize("alg", [-65535, 2**64 - 1, -(2**64), Tagged(2, b"\x01" * 40), [-7], -7.0])
def test_unknown_algorithms_are_refused(nzcp_verifier, nzcp_issuer, now, alg):
    text = issue_valid(nzcp_issuer, now, options=NzcpOptions(alg=alg))
    assert refused(nzcp_verifier, text) == ("signature", "ALG_UNSUPPORTED")


def test_a_stage_raises_nothing_but_reject():
    for data in (b"", b"\xd2", b"\xd2\x84", b"\xd2\x84\x40\xa0\xf6\x40", b"\xff" * 50):
        with pytest.raises(Reject):
            nzcp_decode.parse_claims(nzcp_decode.parse_cose(data))


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    position=st.integers(min_value=8),
    replacement=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=0a/"),
)
def test_any_one_character_change_invalidates_a_pass(
    nzcp_verifier, nzcp_issuer, now, position, replacement
):
    """One spelling per pass: a changed character is refused, never accepted or crashing."""
    text = issue_valid(nzcp_issuer, now, cti=b"\x07" * 16)
    position = 8 + position % (len(text) - 8)
    changed = text[:position] + replacement + text[position + 1 :]
    result = nzcp_verifier.verify(changed)
    assert result.valid is (changed == text)
    assert result.format == "nzcp"


def test_round_trip_of_random_claims_never_raises(nzcp_verifier, nzcp_issuer, now):
    """Claims of every CBOR type in every slot end in a verdict, never an exception."""
    odd_values = [None, True, -1, 2**63, 1.5, "", b"", [], {}, Tagged(1, 0), "x" * 300]
    for slot in (1, 4, 5, 7, "vc"):
        for value in odd_values:
            claims = valid_claims(nzcp_issuer, now)
            claims[slot] = value
            result = nzcp_verifier.verify(encode_nzcp(sign_nzcp(nzcp_issuer, encode_cbor(claims))))
            assert result.status is Status.INVALID, (slot, value)
