"""Untrusted input at the front door: decompression bombs (T02), trailing data and encoding
malleability (T03), and hostile CBOR structures (T04).

Every hostile input must end in our own `Reject` (never another exception) and, through the full
`Verifier`, in an INVALID verdict carrying a specific reason code at the stage that refused it.
"""

from __future__ import annotations

import inspect
import json
import math
import subprocess
import sys
import textwrap
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station.adapters.clock import FixedClock
from station.codec.base45 import encode_base45
from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.codec.inflate import inflate_raw, inflate_zlib
from station.errors import Reject
from station.issuer.dcc import (
    DccOptions,
    build_cose,
    build_cwt,
    encode_hc1,
    issue_dcc,
    sign_cose,
    vaccination_payload,
)
from station.model import VerificationResult
from station.reasons import Reason, Status
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify import dcc_decode
from station.verify.dcc import CHECK_NAMES
from station.verify.verifier import Verifier

ROOT = Path(__file__).resolve().parents[2]
ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)
QR_MAX_CHARS = 4296
#: 4,296 characters minus `HC1:` is 4,292 Base45 characters, i.e. 2,861 bytes.
QR_MAX_BYTES = (QR_MAX_CHARS - 4) // 3 * 2 + 1
INFLATE_CAP = 64 * 1024


# --- helpers -----------------------------------------------------------------------------------


def zlib_bomb(mebibytes: int) -> bytes:
    """A valid zlib stream inflating to `mebibytes` MiB of zeros, built without inflating it.

    A full flush resets the compressor, so the deflate blocks for every further MiB of zeros are
    byte-identical and can simply be repeated; the Adler-32 of n zeros is (n mod 65521) << 16 | 1.
    """
    import zlib

    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final_block = compressor.flush(zlib.Z_FINISH)[:-4]
    total = mebibytes << 20
    adler = ((total % 65521) << 16) | 1
    return first + repeated * (mebibytes - 1) + final_block + adler.to_bytes(4, "big")


def zero_stream(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    return compressor.compress(bytes(size)) + compressor.flush()


def largest_zero_bomb_in_a_qr() -> tuple[bytes, int]:
    """The biggest run of zeros whose zlib stream still fits a QR code (about 2.9 MB)."""
    low, high = 1, 8_000_000
    while low < high:
        mid = (low + high + 1) // 2
        if len(zero_stream(mid)) <= QR_MAX_BYTES:
            low = mid
        else:
            high = mid - 1
    return zero_stream(low), low


def hc1_of(data: bytes) -> str:
    """`HC1:` + Base45 of `data` exactly as given (already compressed or deliberately not)."""
    return "HC1:" + encode_base45(data)


def cose_bytes(
    protected: bytes,
    unprotected: dict[Any, Any],
    payload: bytes,
    signature: bytes,
    *,
    tag: bool = True,
) -> bytes:
    structure: Any = [protected, unprotected, payload, signature]
    return encode_cbor(Tagged(18, structure) if tag else structure)


def signed_cose(signer: Any, protected: bytes, payload: bytes) -> bytes:
    """A COSE_Sign1 whose signature genuinely covers `protected` and `payload` as given."""
    return cose_bytes(protected, {}, payload, sign_cose(signer, protected, payload))


def standard_protected(signer: Any) -> bytes:
    return encode_cbor({1: signer.alg, 4: signer.kid})


def standard_cwt() -> bytes:
    return build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")


def claims_with(exp_item: bytes | None, iat_item: bytes | None) -> bytes:
    """A CWT claims map with `exp` / `iat` given as raw CBOR items (None leaves the claim out)."""
    entries = [encode_cbor(1) + encode_cbor("VN")]
    if exp_item is not None:
        entries.append(encode_cbor(4) + exp_item)
    if iat_item is not None:
        entries.append(encode_cbor(6) + iat_item)
    entries.append(encode_cbor(-260) + encode_cbor({1: vaccination_payload()}))
    return bytes([0xA0 + len(entries)]) + b"".join(entries)


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def assert_invalid_at(result: VerificationResult, stage: str, reason: Reason) -> None:
    """INVALID because of `reason` at `stage`; every decoding stage after it was not reached."""
    assert result.status is Status.INVALID
    assert result.reason == reason
    check = result.check(stage)
    assert check is not None and check.ok is False and check.code == reason
    if stage in CHECK_NAMES[:5]:
        for later in CHECK_NAMES[CHECK_NAMES.index(stage) + 1 :]:
            skipped = result.check(later)
            assert skipped is not None and skipped.ok is None


@pytest.fixture(scope="module")
def verifier(es256_signer, now) -> Verifier:
    return Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), FixedClock(now))


@pytest.fixture(scope="module")
def bomb_1g() -> bytes:
    return zlib_bomb(1024)


# --- T02: decompression bombs ----------------------------------------------------------------


def test_bomb_builder_really_inflates_to_what_it_claims():
    """The 1 GiB bomb is the same construction as this 16 MiB one, which is checked exactly."""
    bomb = zlib_bomb(16)
    inflater = zlib.decompressobj()
    total, data = 0, bomb
    while data:
        chunk = inflater.decompress(data, 1 << 22)
        assert chunk.count(0) == len(chunk)
        total += len(chunk)
        data = inflater.unconsumed_tail
    assert total == 16 << 20
    assert inflater.eof and not inflater.unused_data


def test_1g_bomb_is_a_1mb_stream(bomb_1g):
    assert 1_000_000 <= len(bomb_1g) <= 1_100_000
    assert bomb_1g[:2] == b"\x78\xda"
    assert bomb_1g[-4:] == ((((1 << 30) % 65521) << 16) | 1).to_bytes(4, "big")


def test_largest_qr_sized_zero_bomb_is_rejected_as_too_large(verifier):
    stream, inflated_size = largest_zero_bomb_in_a_qr()
    assert len(stream) == QR_MAX_BYTES
    assert inflated_size > 2_800_000  # about 2.9 MB of zeros
    text = hc1_of(stream)
    assert len(text) == QR_MAX_CHARS  # accepted by the length bound, so it reaches the inflater
    result = verifier.verify(text)
    assert_invalid_at(result, "decompress", Reason.TOO_LARGE)
    assert result.check("prefix").ok and result.check("base45").ok


def test_1g_bomb_fed_to_inflate_zlib_is_too_large(bomb_1g):
    with pytest.raises(Reject) as caught:
        inflate_zlib(bomb_1g)
    assert caught.value.reason is Reason.TOO_LARGE


def test_1g_bomb_fed_to_the_decompress_stage_is_too_large(bomb_1g):
    with pytest.raises(Reject) as caught:
        dcc_decode.decompress(bomb_1g, INFLATE_CAP)
    assert caught.value.reason is Reason.TOO_LARGE


def test_1g_bomb_as_raw_deflate_is_too_large(bomb_1g):
    with pytest.raises(Reject) as caught:
        inflate_raw(bomb_1g[2:-4])
    assert caught.value.reason is Reason.TOO_LARGE


@pytest.mark.parametrize("cap", [1, 1000, INFLATE_CAP])
def test_output_cap_is_exact(cap):
    """Exactly `cap` bytes inflate; one more byte is refused."""
    assert inflate_zlib(zlib.compress(bytes(cap)), cap) == bytes(cap)
    with pytest.raises(Reject) as caught:
        inflate_zlib(zlib.compress(bytes(cap + 1)), cap)
    assert caught.value.reason is Reason.TOO_LARGE


def test_1g_bomb_as_hc1_is_refused_by_length_before_decoding(verifier, bomb_1g):
    result = verifier.verify(hc1_of(bomb_1g))
    assert_invalid_at(result, "prefix", Reason.INPUT_TOO_LONG)
    assert result.decoded_text is not None  # the HC1 router kept the text, no stage ran


def test_1g_bomb_cut_to_fit_a_qr_is_too_large(verifier, bomb_1g):
    """The front of the 1 GiB bomb that fits a QR already overflows the cap (not 'truncated')."""
    text = hc1_of(bomb_1g[:QR_MAX_BYTES])
    assert len(text) == QR_MAX_CHARS
    assert_invalid_at(verifier.verify(text), "decompress", Reason.TOO_LARGE)


_MEMORY_CHILD = """
import sys, zlib
sys.path.insert(0, {root!r})
from station.codec.inflate import inflate_zlib
from station.errors import Reject

{builder}

bomb = zlib_bomb(1024)
if sys.argv[1] == "bomb":
    try:
        inflate_zlib(bomb)
    except Reject as exc:
        print(exc.reason)
    else:
        sys.exit(3)
else:
    print("baseline")
"""

_MEMORY_DRIVER = """
import json, resource, subprocess, sys
child = sys.argv[1]
runs = {}
for mode in ("baseline", "bomb"):
    done = subprocess.run([sys.executable, child, mode], capture_output=True, text=True)
    runs[mode] = {
        "rc": done.returncode,
        "out": done.stdout.strip(),
        "err": done.stderr[-2000:],
        "children_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
print(json.dumps(runs))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KiB on Linux")
def test_1g_bomb_memory_is_bounded(tmp_path):
    """Peak RSS of a process inflating the 1 GiB bomb stays within 64 MiB of a baseline process
    that builds the same bomb but does not inflate it.  A driver process runs the two so that
    RUSAGE_CHILDREN sees only these two children."""
    child = tmp_path / "bomb_child.py"
    builder = textwrap.dedent(inspect.getsource(zlib_bomb))
    child.write_text(_MEMORY_CHILD.format(root=str(ROOT), builder=builder))
    driver = tmp_path / "bomb_driver.py"
    driver.write_text(_MEMORY_DRIVER)
    done = subprocess.run(
        [sys.executable, str(driver), str(child)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert runs["baseline"]["rc"] == 0, runs["baseline"]["err"]
    assert runs["bomb"]["rc"] == 0, runs["bomb"]["err"]
    assert runs["bomb"]["out"] == Reason.TOO_LARGE
    growth_kib = runs["bomb"]["children_maxrss_kib"] - runs["baseline"]["children_maxrss_kib"]
    assert growth_kib < 64 * 1024


@pytest.mark.parametrize("length", [QR_MAX_CHARS + 1, QR_MAX_CHARS + 2, 10_000, 1_000_000])
def test_over_long_hc1_input_is_refused_before_decoding(verifier, length):
    """Well-formed Base45 after the prefix, so only the length can be the reason."""
    text = "HC1:" + "0" * (length - 4)
    assert len(text) == length
    assert_invalid_at(verifier.verify(text), "prefix", Reason.INPUT_TOO_LONG)


def test_over_long_genuine_credential_is_refused_by_length(verifier, es256_signer):
    """A genuine pass padded with a second, valid-looking Base45 body past 4,296 characters."""
    genuine = issue_dcc(es256_signer, vaccination_payload(), issued_at=ISSUED, expires=EXPIRES)
    assert verifier.verify(genuine).status is Status.VALID
    text = genuine + "000" * ((QR_MAX_CHARS - len(genuine)) // 3 + 1)
    assert len(text) > QR_MAX_CHARS
    assert_invalid_at(verifier.verify(text), "prefix", Reason.INPUT_TOO_LONG)


@pytest.mark.parametrize("length", [QR_MAX_CHARS + 1, 100_000])
def test_over_long_non_hc1_input_is_refused_by_length(verifier, length):
    result = verifier.verify("x" * length)
    assert result.status is Status.INVALID
    assert result.reason == Reason.INPUT_TOO_LONG
    assert result.decoded_text is None


# --- T03: trailing data and encoding malleability --------------------------------------------


@pytest.fixture(scope="module")
def genuine_cose(es256_signer) -> bytes:
    return build_cose(es256_signer, vaccination_payload(), ISSUED, EXPIRES, DccOptions())


def test_genuine_credential_is_valid(verifier, genuine_cose):
    assert verifier.verify(encode_hc1(genuine_cose)).status is Status.VALID


@pytest.mark.parametrize(
    "trailer",
    [b"\x00", b"\xff", b"garbage", zlib.compress(b"second stream")],
    ids=["zero", "ff", "text", "second-stream"],
)
def test_zlib_trailing_bytes_are_trailing_data(verifier, genuine_cose, trailer):
    stream = zlib.compress(genuine_cose, 9) + trailer
    with pytest.raises(Reject) as caught:
        inflate_zlib(stream)
    assert caught.value.reason is Reason.TRAILING_DATA
    assert_invalid_at(verifier.verify(hc1_of(stream)), "decompress", Reason.TRAILING_DATA)


def test_truncated_zlib_stream_is_refused(verifier, genuine_cose):
    stream = zlib.compress(genuine_cose, 9)[:-1]
    assert_invalid_at(verifier.verify(hc1_of(stream)), "decompress", Reason.DECOMPRESS_FAILED)


def test_uncompressed_cose_is_not_compressed(verifier, genuine_cose):
    assert_invalid_at(verifier.verify(hc1_of(genuine_cose)), "decompress", Reason.NOT_COMPRESSED)


@pytest.mark.parametrize("trailer", [b"\x00", b"\xf6", b"\xa0"])
def test_cbor_trailing_bytes_after_cose_are_trailing_data(verifier, genuine_cose, trailer):
    with pytest.raises(Reject) as caught:
        decode_cbor(genuine_cose + trailer)
    assert caught.value.reason is Reason.TRAILING_DATA
    assert_invalid_at(
        verifier.verify(encode_hc1(genuine_cose + trailer)), "cose", Reason.TRAILING_DATA
    )


def test_cbor_trailing_bytes_in_signed_payload_are_trailing_data(verifier, es256_signer):
    """The trailing byte is covered by a genuine signature; only strict decoding refuses it."""
    payload = standard_cwt() + b"\x00"
    cose = build_cose(es256_signer, {}, ISSUED, EXPIRES, DccOptions(), payload=payload)
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cbor", Reason.TRAILING_DATA)


def test_cbor_trailing_bytes_in_protected_header_are_trailing_data(verifier, es256_signer):
    protected = standard_protected(es256_signer) + b"\x00"
    cose = signed_cose(es256_signer, protected, standard_cwt())
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.TRAILING_DATA)


def test_lowercase_base45_is_invalid(verifier, genuine_cose):
    text = encode_hc1(genuine_cose)
    body = text[4:]
    assert body.lower() != body
    assert_invalid_at(verifier.verify("HC1:" + body.lower()), "base45", Reason.BASE45_INVALID)
    first_letter = next(i for i, c in enumerate(body) if c.isalpha())
    one_lower = body[:first_letter] + body[first_letter].lower() + body[first_letter + 1 :]
    assert_invalid_at(verifier.verify("HC1:" + one_lower), "base45", Reason.BASE45_INVALID)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", " "),
        ("", "  "),
        ("", "   "),
        ("", "\n"),
        ("", "\r\n"),
        ("", "\t"),
        ("\n", ""),
        ("\t", ""),
        ("\u00a0", ""),
        ("", "\u3000"),
    ],
    ids=["sp1", "sp2", "sp3", "lf", "crlf", "tab", "lead-lf", "lead-tab", "nbsp", "ideographic"],
)
def test_whitespace_padded_base45_is_invalid(verifier, genuine_cose, before, after):
    text = encode_hc1(genuine_cose)
    padded = "HC1:" + before + text[4:] + after
    assert_invalid_at(verifier.verify(padded), "base45", Reason.BASE45_INVALID)


def test_line_wrapped_base45_is_invalid(verifier, genuine_cose):
    text = encode_hc1(genuine_cose)
    wrapped = text[:80] + "\n" + text[80:]
    assert_invalid_at(verifier.verify(wrapped), "base45", Reason.BASE45_INVALID)


@pytest.mark.parametrize("leading", [" ", "\n", "\ufeff"])
def test_whitespace_before_prefix_is_not_a_health_credential(verifier, genuine_cose, leading):
    result = verifier.verify(leading + encode_hc1(genuine_cose))
    assert result.status is Status.INVALID
    assert result.reason == Reason.NOT_A_HEALTH_CREDENTIAL


@pytest.mark.parametrize("tagging", ["cwt", "none", "cose"])
def test_double_tagged_and_untagged_cose_are_accepted(verifier, es256_signer, tagging):
    cose = build_cose(
        es256_signer, vaccination_payload(), ISSUED, EXPIRES, DccOptions(tagging=tagging)
    )
    expected_head = {"cwt": b"\xd8\x3d\xd2", "none": b"\x84", "cose": b"\xd2\x84"}[tagging]
    assert cose.startswith(expected_head)
    result = verifier.verify(encode_hc1(cose))
    assert result.status is Status.VALID
    assert result.reason == Reason.OK


@pytest.mark.parametrize(
    ("wrapping", "accepted"),
    [
        (lambda s: Tagged(61, s), True),
        (lambda s: Tagged(18, Tagged(18, s)), False),
        (lambda s: Tagged(61, Tagged(61, Tagged(18, s))), False),
        (lambda s: Tagged(18, Tagged(61, s)), False),
        (lambda s: Tagged(98, s), False),
        (lambda s: Tagged(61, Tagged(98, s)), False),
    ],
    ids=["61-untagged", "18+18", "61+61+18", "18+61", "sign-98", "61+98"],
)
def test_other_tag_wrappings(verifier, es256_signer, wrapping, accepted):
    """Policy: an optional CWT tag 61, then an optional COSE_Sign1 tag 18; nothing else."""
    payload = standard_cwt()
    protected = standard_protected(es256_signer)
    structure = [protected, {}, payload, sign_cose(es256_signer, protected, payload)]
    result = verifier.verify(encode_hc1(encode_cbor(wrapping(structure))))
    if accepted:
        assert result.status is Status.VALID
    else:
        assert_invalid_at(result, "cose", Reason.COSE_MALFORMED)


# --- T04: CBOR structure attacks -------------------------------------------------------------

_U64_MAX = b"\xff" * 8
_TWO_32 = (1 << 32).to_bytes(8, "big")

HOSTILE_CBOR: dict[str, tuple[bytes, Reason]] = {
    "nested-arrays-1e5": (b"\x81" * 100_000 + b"\x00", Reason.CBOR_MALFORMED),
    "nested-maps-1e5": (b"\xa1\x00" * 100_000 + b"\x00", Reason.CBOR_MALFORMED),
    "nested-indef-arrays-1e5": (b"\x9f" * 100_000, Reason.CBOR_MALFORMED),
    "nested-tags-1e5": (b"\xc6" * 100_000 + b"\x00", Reason.CBOR_MALFORMED),
    "nested-cose-tags-1e5": (b"\xd2" * 100_000 + b"\x80", Reason.CBOR_MALFORMED),
    "nested-big-tags": ((b"\xdb" + _U64_MAX) * 10_000 + b"\x00", Reason.CBOR_MALFORMED),
    "array-2^32-1": (b"\x9a\xff\xff\xff\xff", Reason.CBOR_MALFORMED),
    "array-2^32": (b"\x9b" + _TWO_32, Reason.CBOR_MALFORMED),
    "array-2^64-1": (b"\x9b" + _U64_MAX, Reason.CBOR_MALFORMED),
    "map-2^32": (b"\xbb" + _TWO_32, Reason.CBOR_MALFORMED),
    "map-2^64-1": (b"\xbb" + _U64_MAX, Reason.CBOR_MALFORMED),
    "bytes-2^32": (b"\x5b" + _TWO_32 + b"\x00" * 16, Reason.CBOR_MALFORMED),
    "bytes-2^64-1": (b"\x5b" + _U64_MAX, Reason.CBOR_MALFORMED),
    "text-2^32": (b"\x7b" + _TWO_32 + b"a" * 16, Reason.CBOR_MALFORMED),
    "indef-chunk-2^64-1": (b"\x5f\x5b" + _U64_MAX, Reason.CBOR_MALFORMED),
    "array-of-30000-items": (b"\x99\x75\x30" + b"\x00" * 30_000, Reason.CBOR_MALFORMED),
    "indef-array-no-break": (b"\x9f" + b"\x01" * 1000, Reason.CBOR_MALFORMED),
    "indef-map-no-break": (
        b"\xbf" + b"".join(encode_cbor(i) + b"\x00" for i in range(500)),
        Reason.CBOR_MALFORMED,
    ),
    "indef-bytes-no-break": (b"\x5f" + b"\x41\x00" * 500, Reason.CBOR_MALFORMED),
    "indef-text-no-break": (b"\x7f" + b"\x61a" * 500, Reason.CBOR_MALFORMED),
    "indef-map-key-without-value": (b"\xbf\x01\xff", Reason.CBOR_MALFORMED),
    "indef-bytes-nested-chunk": (b"\x5f\x5f\xff\xff", Reason.CBOR_MALFORMED),
    "indef-bytes-text-chunk": (b"\x5f\x61a\xff", Reason.CBOR_MALFORMED),
    "indef-integer": (b"\x1f", Reason.CBOR_MALFORMED),
    "indef-tag": (b"\xdf\x00", Reason.CBOR_MALFORMED),
    "reserved-info-28": (b"\x1c", Reason.CBOR_MALFORMED),
    "lone-break": (b"\xff", Reason.CBOR_MALFORMED),
    "tag-without-content": (b"\xd2", Reason.CBOR_MALFORMED),
    "tag-around-break": (b"\x9f\xd2\xff", Reason.CBOR_MALFORMED),
    "empty": (b"", Reason.CBOR_MALFORMED),
    "invalid-utf8": (b"\x62\xff\xfe", Reason.CBOR_MALFORMED),
    "array-map-key": (b"\xa1\x80\x00", Reason.CBOR_MALFORMED),
    "bool-map-key": (b"\xa1\xf5\x00", Reason.CBOR_MALFORMED),
    "simple-value-24": (b"\xf8\x20", Reason.CBOR_MALFORMED),
    "undefined-simple-0": (b"\xe0", Reason.CBOR_MALFORMED),
    "half-nan": (b"\xf9\x7e\x00", Reason.CBOR_MALFORMED),
    "single-inf": (b"\xfa\x7f\x80\x00\x00", Reason.CBOR_MALFORMED),
    "double-minus-inf": (b"\xfb\xff\xf0" + b"\x00" * 6, Reason.CBOR_MALFORMED),
    "duplicate-int-key": (b"\xa2\x01\x26\x01\x26", Reason.CBOR_DUPLICATE_KEY),
    "duplicate-text-key": (b"\xa2\x61a\x00\x61a\x01", Reason.CBOR_DUPLICATE_KEY),
    "duplicate-key-indef-map": (b"\xbf\x04\x00\x04\x01\xff", Reason.CBOR_DUPLICATE_KEY),
    "duplicate-key-deep": (b"\x81\xa2\x00\x00\x00\x00", Reason.CBOR_DUPLICATE_KEY),
    "trailing-byte": (b"\x80\x00", Reason.TRAILING_DATA),
}


@pytest.mark.parametrize("name", list(HOSTILE_CBOR))
def test_decode_cbor_raises_only_reject(name):
    data, reason = HOSTILE_CBOR[name]
    with pytest.raises(Reject) as caught:
        decode_cbor(data)
    assert caught.value.reason is reason


def _top_level_expectation(data: bytes, reason: Reason) -> tuple[str, Reason]:
    if len(data) > INFLATE_CAP:
        return "decompress", Reason.TOO_LARGE
    if reason in (Reason.CBOR_DUPLICATE_KEY, Reason.TRAILING_DATA):
        return "cose", reason
    return "cose", Reason.COSE_MALFORMED


@pytest.mark.parametrize("name", list(HOSTILE_CBOR))
def test_hostile_cbor_as_the_cose_structure_is_invalid(verifier, name):
    data, reason = HOSTILE_CBOR[name]
    stage, expected = _top_level_expectation(data, reason)
    assert_invalid_at(verifier.verify(encode_hc1(data)), stage, expected)


@pytest.mark.parametrize("name", [n for n, (d, _) in HOSTILE_CBOR.items() if len(d) < 60_000])
def test_hostile_cbor_as_signed_payload_is_invalid(verifier, es256_signer, name):
    """Inside a genuinely signed envelope: the signature passes, the claims decoder refuses."""
    data, reason = HOSTILE_CBOR[name]
    cose = build_cose(es256_signer, {}, ISSUED, EXPIRES, DccOptions(), payload=data)
    expected = reason if reason is not Reason.CBOR_MALFORMED else Reason.CWT_MALFORMED
    result = verifier.verify(encode_hc1(cose))
    assert_invalid_at(result, "cbor", expected)


@pytest.mark.parametrize("name", [n for n, (d, _) in HOSTILE_CBOR.items() if len(d) < 60_000])
def test_hostile_cbor_as_protected_header_is_invalid(verifier, es256_signer, name):
    data, reason = HOSTILE_CBOR[name]
    cose = signed_cose(es256_signer, data, standard_cwt())
    if data == b"":  # an empty protected header is the empty map: alg is then missing
        assert_invalid_at(verifier.verify(encode_hc1(cose)), "signature", Reason.ALG_MISSING)
        return
    expected = reason if reason is not Reason.CBOR_MALFORMED else Reason.COSE_MALFORMED
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", expected)


@pytest.mark.parametrize("depth", [60_000])
def test_deep_nesting_that_fits_the_cap_is_malformed(verifier, depth):
    for opener in (b"\x81", b"\x9f", b"\xc6"):
        data = opener * depth + b"\x00"
        with pytest.raises(Reject):
            decode_cbor(data)
        assert_invalid_at(verifier.verify(encode_hc1(data)), "cose", Reason.COSE_MALFORMED)


# A break (0xff) only terminates indefinite-length items.  Inside a *definite* array or map it
# is malformed: it must not decode to an internal sentinel object or end a map early.
STRAY_BREAKS = {
    "array-of-one-break": b"\x81\xff",
    "array-with-break": b"\x82\x00\xff",
    "map-short-a-pair": b"\x82\xa2\x01\x02\xff\x00",
    "break-as-map-key": b"\x82\xa1\xff\x00",
    "break-as-map-value": b"\x81\xa1\x00\xff",
    "break-in-indef-map-value": b"\xbf\x00\xff",
}


@pytest.mark.parametrize("name", list(STRAY_BREAKS))
def test_stray_break_in_definite_container_is_malformed(name):
    with pytest.raises(Reject) as caught:
        decode_cbor(STRAY_BREAKS[name])
    assert caught.value.reason is Reason.CBOR_MALFORMED


def _certificate_with_stray_break() -> bytes:
    """CWT claims whose certificate holds `v: [entry, <break>]` in a definite array of two."""
    certificate = vaccination_payload()
    certificate["v"] = [*certificate["v"], "@@BREAK@@"]
    claims = {1: "VN", 4: ts(EXPIRES), 6: ts(ISSUED), -260: {1: certificate}}
    return encode_cbor(claims).replace(encode_cbor("@@BREAK@@"), b"\xff")


def test_stray_break_in_forged_certificate_does_not_crash_the_verifier(verifier):
    """No key needed: an unknown signer's pass still reaches the schema check; a decoder that
    let the break through handed jsonschema_rs a sentinel object (ValueError out of verify)."""
    from station.issuer.pki import make_signer

    forger = make_signer(not_before=datetime(2025, 1, 1, tzinfo=UTC))
    payload = _certificate_with_stray_break()
    cose = build_cose(forger, {}, ISSUED, EXPIRES, DccOptions(), payload=payload)
    result = verifier.verify(encode_hc1(cose))
    assert_invalid_at(result, "cbor", Reason.CWT_MALFORMED)


def test_stray_break_in_unprotected_header_is_malformed(verifier, es256_signer):
    """`a1 ff` (a one-pair map holding only a break) must not be read as `{}` (malleability of
    the unsigned header)."""
    protected = standard_protected(es256_signer)
    payload = standard_cwt()
    signature = sign_cose(es256_signer, protected, payload)
    cose = (
        b"\xd2\x84"
        + encode_cbor(protected)
        + b"\xa1\xff"
        + encode_cbor(payload)
        + encode_cbor(signature)
    )
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.COSE_MALFORMED)


def _dup_protected(signer: Any, which: str) -> bytes:
    kid_item = encode_cbor(signer.kid)
    if which == "alg-same":
        return b"\xa3\x01\x26\x04" + kid_item + b"\x01\x26"
    if which == "alg-different":
        return b"\xa3\x01\x26\x04" + kid_item + b"\x01\x38\x24"
    if which == "kid-same":
        return b"\xa3\x01\x26\x04" + kid_item + b"\x04" + kid_item
    return b"\xa3\x04" + encode_cbor(b"\x00" * 8) + b"\x01\x26\x04" + kid_item


@pytest.mark.parametrize("which", ["alg-same", "alg-different", "kid-same", "kid-different"])
def test_duplicate_keys_in_protected_header(verifier, es256_signer, which):
    protected = _dup_protected(es256_signer, which)
    with pytest.raises(Reject) as caught:
        decode_cbor(protected)
    assert caught.value.reason is Reason.CBOR_DUPLICATE_KEY
    cose = signed_cose(es256_signer, protected, standard_cwt())
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.CBOR_DUPLICATE_KEY)


def test_duplicate_kid_in_unprotected_header(verifier, es256_signer):
    protected = encode_cbor({1: -7})
    payload = standard_cwt()
    signature = sign_cose(es256_signer, protected, payload)
    unprotected = b"\xa2\x04" + encode_cbor(es256_signer.kid) + b"\x04" + encode_cbor(b"\x01" * 8)
    cose = (
        b"\xd2\x84"
        + encode_cbor(protected)
        + unprotected
        + encode_cbor(payload)
        + encode_cbor(signature)
    )
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.CBOR_DUPLICATE_KEY)


def test_duplicate_claim_in_signed_payload(verifier, es256_signer):
    exp = encode_cbor(ts(EXPIRES))
    payload = claims_with(exp, encode_cbor(ts(ISSUED)))
    payload = bytes([payload[0] + 1]) + payload[1:] + encode_cbor(4) + exp
    cose = build_cose(es256_signer, {}, ISSUED, EXPIRES, DccOptions(), payload=payload)
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cbor", Reason.CBOR_DUPLICATE_KEY)


@pytest.mark.parametrize(
    "header",
    [[1, -7], -7, "alg", b"\xa1\x01\x26", None, Tagged(1, {1: -7}), True],
    ids=["array", "int", "text", "bytes", "null", "tagged-map", "bool"],
)
def test_protected_header_that_is_not_a_map(verifier, es256_signer, header):
    protected = encode_cbor(header)
    cose = signed_cose(es256_signer, protected, standard_cwt())
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.COSE_MALFORMED)


def test_protected_header_nested_ten_deep(verifier, es256_signer):
    nested: Any = 0
    for _ in range(10):
        nested = {"a": nested}
    protected = encode_cbor({1: -7, 4: es256_signer.kid, -65537: nested})
    assert isinstance(decode_cbor(protected), dict)  # well-formed CBOR in general
    with pytest.raises(Reject):
        decode_cbor(protected, max_depth=4)  # but beyond the protected-header bound
    cose = signed_cose(es256_signer, protected, standard_cwt())
    assert_invalid_at(verifier.verify(encode_hc1(cose)), "cose", Reason.COSE_MALFORMED)


def test_protected_header_nested_within_bound_is_accepted(verifier, es256_signer):
    protected = encode_cbor({1: -7, 4: es256_signer.kid, -65537: {"a": {"b": 0}}})
    cose = signed_cose(es256_signer, protected, standard_cwt())
    assert verifier.verify(encode_hc1(cose)).status is Status.VALID


def _verify_claims(
    verifier: Verifier, signer: Any, payload: bytes, **kw: Any
) -> VerificationResult:
    cose = build_cose(signer, {}, ISSUED, EXPIRES, DccOptions(), payload=payload)
    return verifier.verify(encode_hc1(cose), **kw)


_BIG = encode_cbor(Tagged(2, ts(EXPIRES).to_bytes(8, "big")))


@pytest.mark.parametrize(
    ("exp_item", "iat_item"),
    [
        (_BIG, None),
        (None, encode_cbor(Tagged(2, ts(ISSUED).to_bytes(8, "big")))),
        (encode_cbor(Tagged(3, b"\x01")), None),
        (encode_cbor(Tagged(1, ts(EXPIRES))), None),
        (encode_cbor(str(ts(EXPIRES))), None),
        (encode_cbor(True), None),
        (encode_cbor(None), None),
        (encode_cbor(-1), None),
        (encode_cbor(2**53 + 1), None),
        (encode_cbor(float(2**60)), None),
        (encode_cbor(-0.5), None),
        (encode_cbor(1e300), None),
    ],
    ids=[
        "bignum-exp",
        "bignum-iat",
        "neg-bignum-exp",
        "tag1-exp",
        "text-exp",
        "bool-exp",
        "null-exp",
        "negative-exp",
        "huge-exp",
        "huge-float-exp",
        "neg-float-exp",
        "1e300-exp",
    ],
)
def test_non_integer_numeric_dates_are_claim_invalid(verifier, es256_signer, exp_item, iat_item):
    payload = claims_with(exp_item or encode_cbor(ts(EXPIRES)), iat_item or encode_cbor(ts(ISSUED)))
    decode_cbor(payload)  # well-formed CBOR: the claim check, not the decoder, refuses it
    assert_invalid_at(
        _verify_claims(verifier, es256_signer, payload), "cbor", Reason.CWT_CLAIM_INVALID
    )


@pytest.mark.parametrize("missing", ["exp", "iat"])
def test_missing_numeric_date_is_claim_missing(verifier, es256_signer, missing):
    exp = None if missing == "exp" else encode_cbor(ts(EXPIRES))
    iat = None if missing == "iat" else encode_cbor(ts(ISSUED))
    result = _verify_claims(verifier, es256_signer, claims_with(exp, iat))
    assert_invalid_at(result, "cbor", Reason.CWT_CLAIM_MISSING)


@pytest.mark.parametrize(
    "item",
    [
        b"\xf9\x7e\x00",
        b"\xf9\x7c\x00",
        b"\xf9\xfc\x00",
        b"\xfa\x7f\xc0\x00\x00",
        b"\xfa\x7f\x80\x00\x00",
        encode_cbor(math.nan),
        encode_cbor(math.inf),
        encode_cbor(-math.inf),
    ],
    ids=[
        "half-nan",
        "half-inf",
        "half-minus-inf",
        "single-nan",
        "single-inf",
        "double-nan",
        "double-inf",
        "double-minus-inf",
    ],
)
@pytest.mark.parametrize("claim", ["exp", "iat"])
def test_non_finite_numeric_dates_are_rejected(verifier, es256_signer, item, claim):
    exp = item if claim == "exp" else encode_cbor(ts(EXPIRES))
    iat = item if claim == "iat" else encode_cbor(ts(ISSUED))
    payload = claims_with(exp, iat)
    with pytest.raises(Reject) as caught:
        decode_cbor(payload)
    assert caught.value.reason is Reason.CBOR_MALFORMED
    assert_invalid_at(_verify_claims(verifier, es256_signer, payload), "cbor", Reason.CWT_MALFORMED)


def test_fractional_float_exp_is_compared_exactly(verifier, es256_signer, now):
    """exp = now + 0.5 s: valid at now + 0.25 s, expired at now + 0.75 s (no rounding)."""
    exp = ts(now) + 0.5
    payload = claims_with(encode_cbor(exp), encode_cbor(ts(ISSUED)))
    still_valid = _verify_claims(verifier, es256_signer, payload, at=now + timedelta(seconds=0.25))
    assert still_valid.status is Status.VALID
    assert still_valid.details["exp"] == exp
    result = _verify_claims(verifier, es256_signer, payload, at=now + timedelta(seconds=0.75))
    assert_invalid_at(result, "expiry", Reason.EXPIRED)


def test_float_exp_far_from_now_is_accepted(verifier, es256_signer):
    payload = claims_with(encode_cbor(ts(EXPIRES) + 0.75), encode_cbor(ts(ISSUED) + 0.0))
    result = _verify_claims(verifier, es256_signer, payload)
    assert result.status is Status.VALID
    assert result.details["exp"] == ts(EXPIRES) + 0.75
    assert result.details["iat"] == ts(ISSUED)


def test_half_and_single_precision_exp_are_accepted(verifier, es256_signer):
    """Small-width floats decode too; their value (not their width) decides."""
    import struct

    single = b"\xfa" + struct.pack(">f", float(ts(EXPIRES)))
    expected = struct.unpack(">f", single[1:])[0]
    payload = claims_with(single, encode_cbor(ts(ISSUED)))
    result = _verify_claims(verifier, es256_signer, payload)
    assert result.details["exp"] == expected
    assert result.check("cbor").ok is True


@pytest.mark.parametrize(("offset", "ok"), [(299.5, True), (300.25, False)])
def test_fractional_float_iat_is_compared_exactly(verifier, es256_signer, now, offset, ok):
    """The 300 s skew is exact: 299.5 s ahead is inside it, 300.25 s is not."""
    iat = ts(now) + offset
    payload = claims_with(encode_cbor(ts(EXPIRES)), encode_cbor(iat))
    result = _verify_claims(verifier, es256_signer, payload)
    assert result.details["iat"] == iat
    if ok:
        assert result.status is Status.VALID
    else:
        assert_invalid_at(result, "expiry", Reason.NOT_YET_VALID)


@pytest.mark.parametrize("which", ["iat-before-not-before", "exp-after-not-after"])
def test_float_dates_are_never_more_lenient_against_the_signer_window(es256_signer, now, which):
    cert = load_trusted_certificate(es256_signer.der)
    verifier = Verifier(TrustIndex([cert]), FixedClock(now))
    if which == "iat-before-not-before":
        iat, exp = ts(cert.not_before) - 0.5, float(ts(EXPIRES))
        expected = Reason.SIGNER_NOT_VALID_AT_ISSUE
    else:
        iat, exp = float(ts(ISSUED)), ts(cert.not_after) + 0.5
        expected = Reason.EXPIRES_AFTER_SIGNER
    payload = claims_with(encode_cbor(exp), encode_cbor(iat))
    result = _verify_claims(verifier, es256_signer, payload)
    assert_invalid_at(result, "expiry", expected)


def test_decode_cbor_accepts_what_the_verifier_needs():
    """The strict decoder is not simply refusing everything: canonical input round-trips."""
    value = {1: "VN", 4: 1, 6: 0, -260: {1: {"a": [1, b"x", None, True, 1.5, Tagged(0, "t")]}}}
    assert decode_cbor(encode_cbor(value)) == value


def test_every_truncation_of_a_genuine_cose_is_invalid(verifier, es256_signer):
    """Every prefix of a genuine COSE (truncation at each byte) is refused with a Reject-based
    reason, never an exception."""
    cose = build_cose(es256_signer, vaccination_payload(), ISSUED, EXPIRES, DccOptions())
    for end in range(len(cose)):
        result = verifier.verify(encode_hc1(cose[:end]))
        assert result.status is Status.INVALID
        assert result.check("cose").ok is False
