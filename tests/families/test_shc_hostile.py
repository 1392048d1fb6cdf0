"""Hostile SMART Health Card input (T02, T03, T06, T09): DEFLATE bombs, floods, huge and deeply
nested JSON, parser differentials in the header, malleable encodings, unknown algorithms.

Every case ends INVALID (or, for an incomplete chunked card, CHECK_MANUALLY) with a specific
reason code at the stage that refused it, and nothing but our own `Reject` ever leaves a stage.
Time per case is measured in bench/bench_shc.py, not asserted here.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shc_helpers import codes, issue_valid

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.errors import Reject
from station.issuer.shc import (
    ShcIssuer,
    ShcOptions,
    card_payload,
    deflate_raw,
    immunization,
    make_shc_issuer,
    numeric_text,
    sign_jws,
    vaccination_bundle,
)
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.trust.index import TrustIndex
from station.verify.shc_decode import CompactJws, decode_numeric, inflate_payload, parse_jws
from station.verify.verifier import Verifier

pytest_plugins = ["shc_fixtures"]

QR_MAX_CHARS = 4296
INFLATE_CAP = 64 * 1024
REASON_CODES = {str(reason) for reason in Reason}
PROPERTY = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def raw_bomb(mebibytes: int) -> bytes:
    """A raw DEFLATE stream of `mebibytes` MiB of zeros, built without inflating it: after a full
    flush the blocks for every further MiB are byte-identical and can simply be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (mebibytes - 1) + compressor.flush(zlib.Z_FINISH)


def largest_bomb_in_a_qr() -> bytes:
    """Zeros whose raw DEFLATE stream still fits one QR code as a signed card (about 1.5 MB)."""
    budget = (QR_MAX_CHARS - len("shc:/")) // 2 - 200  # JWS characters left for the payload
    size = 1 << 20
    while len(base64.urlsafe_b64encode(deflate_raw(bytes(size * 2)))) < budget:
        size *= 2
    return deflate_raw(bytes(size))


def signed(issuer: ShcIssuer, payload: bytes, **options: object) -> str:
    return numeric_text(sign_jws(issuer, payload, ShcOptions(**options)))  # type: ignore[arg-type]


def test_bomb_from_an_untrusted_key_is_never_inflated(shc_verifier, stranger):
    text = signed(stranger, largest_bomb_in_a_qr())
    assert len(text) <= QR_MAX_CHARS
    result = shc_verifier.verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.KID_UNKNOWN)
    assert codes(result)["inflate"] == Reason.NOT_REACHED


def test_bomb_signed_by_a_trusted_key_stops_at_the_cap(shc_verifier, shc_issuer):
    result = shc_verifier.verify(signed(shc_issuer, largest_bomb_in_a_qr()))
    assert codes(result)["signature"] == Reason.OK
    assert (result.status, codes(result)["inflate"]) == (Status.INVALID, Reason.TOO_LARGE)


def test_gigabyte_bomb_injected_past_the_qr_layer():
    jws = CompactJws({"zip": "DEF"}, b"", raw_bomb(1024), b"")
    assert len(jws.payload) < 1_100_000
    with pytest.raises(Reject) as refused:
        inflate_payload(jws, INFLATE_CAP)
    assert refused.value.reason == Reason.TOO_LARGE


def test_trailing_bytes_after_the_deflate_stream(shc_verifier, shc_issuer, now):
    payload = card_payload(shc_issuer.iss, vaccination_bundle(), nbf=now)
    body = deflate_raw(json.dumps(payload).encode()) + b"\x00extra"
    result = shc_verifier.verify(signed(shc_issuer, body))
    assert codes(result)["inflate"] == Reason.TRAILING_DATA


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("shc:/" + "56" * (QR_MAX_CHARS // 2), Reason.INPUT_TOO_LONG),
        ("shc:/" + "0" * 10_000_000, Reason.INPUT_TOO_LONG),
        (" ".join(["shc:/1/2/5676"] * 1000), Reason.SHC_CHUNK_INVALID),
        ("\n".join(f"shc:/{i}/9/5676" for i in range(1, 10)), Reason.SHC_CHUNK_INVALID),
        ("shc:/" + "５６" * 40, Reason.SHC_NUMERIC_INVALID),
        ("shc:/", Reason.SHC_NUMERIC_INVALID),
        ("shc:/999/999/5676", Reason.SHC_CHUNK_INVALID),
    ],
)
def test_floods_and_malformed_digits(shc_verifier, text, reason):
    result = shc_verifier.verify(text)
    assert result.status is Status.INVALID and result.reason == reason


def test_huge_json_payload_is_bounded(shc_verifier, shc_issuer, now):
    """Hundreds of immunizations in one signed card: valid, but the summary stays short."""
    doses = [immunization("208", f"2021-{1 + i % 12:02d}-01") for i in range(200)]
    fhir = vaccination_bundle()
    fhir["entry"] += [{"fullUrl": f"resource:{i + 3}", "resource": d} for i, d in enumerate(doses)]
    payload = json.dumps(card_payload(shc_issuer.iss, fhir, nbf=now)).encode()
    assert 32 * 1024 < len(payload) < INFLATE_CAP
    result = shc_verifier.verify(signed(shc_issuer, deflate_raw(payload)))
    assert result.valid
    assert len(result.details["immunizations"]) == 10 and result.details["left_out"] == 192
    too_big = json.dumps({"pad": "x" * INFLATE_CAP}).encode()
    result = shc_verifier.verify(signed(shc_issuer, deflate_raw(too_big)))
    assert codes(result)["inflate"] == Reason.TOO_LARGE


@pytest.mark.parametrize("depth", [2_000, 30_000])
def test_deeply_nested_payload(shc_verifier, shc_issuer, depth):
    nested = ("[" * depth + "]" * depth).encode()
    result = shc_verifier.verify(signed(shc_issuer, deflate_raw(nested)))
    assert (result.status, codes(result)["payload"]) == (Status.INVALID, Reason.SHC_PAYLOAD_INVALID)


def _jws_with_header(issuer: ShcIssuer, header: bytes, now: datetime) -> str:
    """A card whose header bytes are exactly `header`, signed by `issuer`'s key."""
    payload = card_payload(issuer.iss, vaccination_bundle(), nbf=now)
    body = sign_jws(issuer, payload, ShcOptions()).split(".")[1]
    head = base64.urlsafe_b64encode(header).rstrip(b"=").decode()
    return numeric_text(f"{head}.{body}.{'A' * 86}")


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b'{"alg":"none","alg":"ES256","zip":"DEF"}', Reason.SHC_JWS_MALFORMED),
        (b'["ES256"]', Reason.SHC_JWS_MALFORMED),
        (b"not json", Reason.SHC_JWS_MALFORMED),
        (b'\xef\xbb\xbf{"alg":"ES256"}', Reason.SHC_JWS_MALFORMED),  # UTF-8 BOM
        (b'{"alg":"ES256","crit":["b64"],"b64":false}', Reason.SHC_JWS_MALFORMED),
        (b'{"alg":"ES256","pad":"' + b"x" * 1000 + b'"}', Reason.SHC_JWS_MALFORMED),
        (b'{"alg":["ES256"],"zip":"DEF"}', Reason.ALG_UNSUPPORTED),
        (b'{"alg":-7,"zip":"DEF"}', Reason.ALG_UNSUPPORTED),
        (b'{"alg":"ES256 ","zip":"DEF"}', Reason.ALG_UNSUPPORTED),
        (b'{"alg":"EdDSA","zip":"DEF"}', Reason.ALG_UNSUPPORTED),
        (b'{"alg":null,"zip":"DEF"}', Reason.ALG_MISSING),
        (b'{"alg":"ES256","zip":"DEF","kid":5}', Reason.KID_INVALID),
        (b'{"alg":"ES256","zip":"DEF","kid":"' + b"k" * 200 + b'"}', Reason.KID_INVALID),
    ],
)
def test_hostile_headers(shc_verifier, shc_issuer, now, header, reason):
    result = shc_verifier.verify(_jws_with_header(shc_issuer, header, now))
    assert result.status is Status.INVALID and result.reason == reason


@pytest.mark.parametrize(
    "mangle",
    [
        lambda jws: jws + ".e30.e30",  # five parts: an encrypted JWE
        lambda jws: jws.rsplit(".", 1)[0],  # two parts
        lambda jws: jws + "=",  # base64url padding
        lambda jws: jws.replace(".", "..", 1),  # empty payload
        lambda jws: jws[:-1] + ("B" if jws[-1] == "A" else "A"),  # non-canonical last character
    ],
)
def test_malformed_compact_serialisations(shc_verifier, shc_issuer, now, mangle):
    jws = decode_numeric(issue_valid(shc_issuer, now)[len("shc:/") :])
    result = shc_verifier.verify(numeric_text(mangle(jws)))
    assert result.status is Status.INVALID
    assert result.reason in {Reason.SHC_JWS_MALFORMED, Reason.SIGNATURE_INVALID}
    assert codes(result)["inflate"] == Reason.NOT_REACHED


def test_unused_bits_of_the_signature_cannot_be_changed(shc_issuer, now):
    """64 bytes take 86 base64url characters with 4 spare bits: a lenient decoder would read
    the same signature from 16 spellings, so one card would have many texts."""
    text = issue_valid(shc_issuer, now)
    jws = decode_numeric(text[len("shc:/") :])
    last = jws[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    same_bits = alphabet[alphabet.index(last) ^ 1]  # differs only in the lowest (spare) bit
    with pytest.raises(Reject) as refused:
        parse_jws(jws[:-1] + same_bits)
    assert refused.value.reason == Reason.SHC_JWS_MALFORMED


@PROPERTY
@given(st.text(max_size=300))
def test_any_text_after_the_prefix_ends_in_a_reason(text):
    verifier = Verifier(TrustSources(TrustIndex([])), FixedClock(datetime(2026, 6, 1, tzinfo=UTC)))
    result = verifier.verify("shc:/" + text)
    assert result.status is not Status.VALID and result.reason in REASON_CODES


@PROPERTY
@given(st.binary(max_size=400))
def test_any_signed_payload_bytes_end_in_a_reason(flip_world, data):
    verifier, issuer = flip_world
    result = verifier.verify(signed(issuer, data))
    assert result.status is Status.INVALID and result.reason in REASON_CODES


@pytest.fixture(scope="module")
def flip_world(
    tmp_path_factory: pytest.TempPathFactory, now
) -> Iterator[tuple[Verifier, ShcIssuer]]:
    """A verifier trusting one issuer, shared by the property tests of this module."""
    issuer = make_shc_issuer("https://prop.example.vn")
    cache = open_cache(Path(tmp_path_factory.mktemp("shc")) / "cache.sqlite")
    IssuerKeyCache(cache).import_keys("shc", issuer.iss, issuer.jwks()["keys"])
    yield Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now)), issuer
    cache.close()


@PROPERTY
@given(st.data())
def test_no_single_character_change_is_valid(flip_world, now, data):
    """T09 for SHC: any one JWS character replaced by another base64url character."""
    verifier, issuer = flip_world
    text = issue_valid(issuer, now, nbf=now - timedelta(days=1))
    jws = decode_numeric(text[len("shc:/") :])
    position = data.draw(st.integers(0, len(jws) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    replacement = data.draw(st.sampled_from(alphabet.replace(jws[position], "")))
    result = verifier.verify(numeric_text(jws[:position] + replacement + jws[position + 1 :]))
    assert result.status is not Status.VALID
