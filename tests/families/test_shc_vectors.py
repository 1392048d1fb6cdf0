"""The SMART Health Cards spec's published examples (tests/vectors/shc, see its README), verified
with the example issuer's public key at a validation time inside each card's validity, and the
negative cases of the SMART dev-tools test set rebuilt from them."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from shc_helpers import EXAMPLE_ISSUERS, VECTORS, codes, crl_rids, example_verifier

from station.cache.issuer_keys import IssuerKeyCache
from station.issuer.shc import numeric_text
from station.reasons import Reason, Status
from station.verify.shc_chunks import ChunkReassembler
from station.verify.shc_decode import decode_numeric
from station.verify.shc_signature import jwk_thumbprint

pytest_plugins = ["shc_fixtures"]

EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
#: Inside every example's validity: after example 03's nbf (2022-11-15), before its exp (2023-11).
INSIDE = datetime(2023, 6, 1, tzinfo=UTC)


def vector(name: str) -> str:
    return (VECTORS / name).read_text(encoding="ascii")


def example_00() -> str:
    return vector("example-00-f-qr-code-numeric-value-0.txt")


def example_02_parts() -> list[str]:
    return [vector(f"example-02-f-qr-code-numeric-value-{i}.txt") for i in range(3)]


def example_03() -> str:
    return vector("example-03-f-qr-code-numeric-value-0.txt")


def test_example_key_id_is_the_rfc7638_thumbprint_of_the_key():
    (key,) = json.loads(vector("jwks.json"))["keys"]
    assert key["kid"] == EXAMPLE_KID == jwk_thumbprint(key["x"], key["y"])


def test_numeric_qr_decodes_to_the_published_jws():
    assert decode_numeric(example_00()[len("shc:/") :]) == vector("example-00-d-jws.txt")


def test_example_00_is_valid_with_the_published_content(example_cache):
    result = example_verifier(example_cache, INSIDE).verify(example_00())
    assert result.status is Status.VALID, codes(result)
    assert result.payload == json.loads(vector("example-00-b-jws-payload-expanded.json"))
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Anyperson, John B.", "1951-01-20")
    assert [i["date"] for i in result.details["immunizations"]] == ["2021-01-01", "2021-01-29"]
    assert result.details["issuer"] == EXAMPLE_ISSUERS[0]


def test_example_00_before_its_issue_time(example_cache):
    early = example_verifier(example_cache, datetime(2021, 4, 1, tzinfo=UTC)).verify(example_00())
    assert codes(early)["validity"] == Reason.NOT_YET_VALID


def test_example_00_from_an_issuer_the_station_does_not_trust(shc_verifier):
    assert shc_verifier.verify(example_00()).reason == Reason.KID_UNKNOWN


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_chunked_example_02_in_any_order(example_cache, order):
    parts = example_02_parts()
    text = "\n".join(parts[i] for i in order)
    result = example_verifier(example_cache, INSIDE).verify(text)
    assert result.status is Status.VALID, codes(result)
    assert len(result.details["observations"]) == 10 and result.details["left_out"] > 0


def test_chunked_example_02_with_a_part_missing(example_cache):
    parts = example_02_parts()
    result = example_verifier(example_cache, INSIDE).verify(f"{parts[2]} {parts[0]}")
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.SHC_CHUNK_MISSING)
    assert "part 2 of 3" in result.check("prefix").message


def test_chunked_example_02_scanned_one_part_at_a_time(example_cache):
    """As a kiosk sees it: parts in any order, one scanned twice, the card complete at the end."""
    parts = example_02_parts()
    assembler = ChunkReassembler()
    assert [assembler.add(p) for p in (parts[1], parts[1], parts[2])] == [None, None, None]
    assert assembler.missing() == (1,)
    card = assembler.add(parts[0])
    assert card is not None and assembler.missing() == ()
    assert example_verifier(example_cache, INSIDE).verify(card).valid


def test_revoked_example_03(example_cache):
    verifier = example_verifier(example_cache, INSIDE)
    assert verifier.verify(example_03()).status is Status.VALID  # before the CRL is known
    crl = json.loads(vector("example-03-crl.json"))
    assert crl["kid"] == EXAMPLE_KID and crl["method"] == "rid"
    IssuerKeyCache(example_cache).add_revocations(
        "shc", EXAMPLE_ISSUERS[1], crl["kid"], crl_rids(crl)
    )
    result = verifier.verify(example_03())
    assert (result.status, result.reason) == (Status.INVALID, Reason.REVOKED)
    assert codes(result)["signature"] == codes(result)["validity"] == Reason.OK


def test_example_03_after_its_exp(example_cache):
    late = example_verifier(example_cache, datetime(2023, 11, 16, tzinfo=UTC)).verify(example_03())
    assert (late.status, late.reason) == (Status.INVALID, Reason.EXPIRED)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _with_header(jws: str, header: dict[str, object]) -> str:
    _, payload, signature = jws.split(".")
    return f"{_b64url(json.dumps(header).encode())}.{payload}.{signature}"


def _der_signature(jws: str) -> str:
    head, payload, signature = jws.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    return f"{head}.{payload}.{_b64url(der)}"


JWS_00 = vector("example-00-d-jws.txt")


@pytest.mark.parametrize(
    ("text", "check", "reason"),
    [
        # dev-tools "number-too-big": the first pair 56 becomes 78, above the 77 maximum
        ("shc:/5678" + example_00()[9:], "numeric", Reason.SHC_NUMERIC_INVALID),
        # dev-tools "trailing_chars": one digit more leaves an odd count
        (example_00() + "0", "numeric", Reason.SHC_NUMERIC_INVALID),
        # dev-tools "der-signature": the same signature DER-encoded
        (numeric_text(_der_signature(JWS_00)), "signature", Reason.SIGNATURE_MALFORMED),
        # dev-tools "wrong_jws_header_kid" / "no_jws_header_kid" / "no_jws_header_zip"
        (
            numeric_text(_with_header(JWS_00, {"zip": "DEF", "alg": "ES256", "kid": "x" * 43})),
            "signature",
            Reason.KID_UNKNOWN,
        ),
        (
            numeric_text(_with_header(JWS_00, {"zip": "DEF", "alg": "ES256"})),
            "signature",
            Reason.KID_MISSING,
        ),
        (
            numeric_text(_with_header(JWS_00, {"alg": "ES256", "kid": EXAMPLE_KID})),
            "signature",  # the header is signed too: dropping zip breaks the signature
            Reason.SIGNATURE_INVALID,
        ),
        # dev-tools "index-out-of-range": part 4 of 3
        ("shc:/4/3/" + example_00()[5:], "prefix", Reason.SHC_CHUNK_INVALID),
        # dev-tools "wrong-multi-chunk": a one-part card numbered 1/1
        ("shc:/1/1/" + example_00()[5:], "prefix", Reason.SHC_CHUNK_INVALID),
    ],
)
def test_negative_examples(example_cache, text, check, reason):
    result = example_verifier(example_cache, INSIDE).verify(text)
    assert result.status is Status.INVALID
    assert codes(result)[check] == reason


@pytest.mark.parametrize("text", ["shc:" + example_00()[5:], "SHC:/" + example_00()[5:]])
def test_wrong_qr_header_is_not_a_card(example_cache, text):
    result = example_verifier(example_cache, INSIDE).verify(text)
    assert (result.format, result.reason) == ("unknown", Reason.NOT_A_HEALTH_CREDENTIAL)
