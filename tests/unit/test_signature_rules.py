"""Cryptographic verification and trust decisions: algorithm/key binding (T08), kid placement
and collisions (T10), and the signer-validity window and key usage (T11)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from station.adapters.clock import FixedClock
from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import (
    DccOptions,
    build_cwt,
    encode_hc1,
    issue_dcc,
    sign_cose,
    vaccination_payload,
)
from station.issuer.dcc import test_payload as dcc_test_payload
from station.issuer.pki import Signer, make_signer
from station.model import VerificationResult
from station.reasons import Reason, Status
from station.trust.certificate import TrustedCertificate, load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.cose_signature import sig_structure
from station.verify.verifier import Verifier

START = datetime(2025, 1, 1, tzinfo=UTC)
ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)


# --- helpers -----------------------------------------------------------------------------------


def verifier_for(now: datetime, *signers: Signer) -> Verifier:
    return Verifier(TrustIndex([load_trusted_certificate(s.der) for s in signers]), FixedClock(now))


def issue(
    signer: Signer,
    certificate: dict[str, Any] | None = None,
    *,
    issued_at: datetime = ISSUED,
    expires: datetime = EXPIRES,
    options: DccOptions | None = None,
) -> str:
    return issue_dcc(
        signer,
        certificate if certificate is not None else vaccination_payload(),
        issued_at=issued_at,
        expires=expires,
        options=options,
    )


def with_signature(
    signer: Signer, signature: bytes | None = None, *, protected: dict[int, Any] | None = None
) -> str:
    """An HC1 whose COSE carries `signature` as given (None: the genuine signature)."""
    header = protected if protected is not None else {1: signer.alg, 4: signer.kid}
    protected_bytes = encode_cbor(header)
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    if signature is None:
        signature = sign_cose(signer, protected_bytes, payload)
    cose = encode_cbor(Tagged(18, [protected_bytes, {}, payload, signature]))
    return encode_hc1(cose)


def assert_invalid(result: VerificationResult, check: str, reason: Reason) -> None:
    assert result.status is Status.INVALID
    assert result.reason == reason
    found = result.check(check)
    assert found is not None and found.ok is False and found.code == reason


def assert_valid(result: VerificationResult) -> None:
    assert result.status is Status.VALID, [(c.name, c.code) for c in result.failed_checks]
    assert result.reason == Reason.OK


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


@pytest.fixture(scope="module")
def rsa1024_signer() -> Signer:
    return make_signer(algorithm="PS256", rsa_bits=1024, not_before=START)


@pytest.fixture(scope="module")
def p384_signer() -> Signer:
    return make_signer(algorithm="ES384", not_before=START)


@pytest.fixture(scope="module")
def es_verifier(es256_signer, now) -> Verifier:
    return verifier_for(now, es256_signer)


@pytest.fixture(scope="module")
def ps_verifier(ps256_signer, now) -> Verifier:
    return verifier_for(now, ps256_signer)


# --- T08: algorithm / key binding ------------------------------------------------------------


def test_genuine_es256_and_ps256_are_valid(es256_signer, ps256_signer, now):
    verifier = verifier_for(now, es256_signer, ps256_signer)
    assert_valid(verifier.verify(issue(es256_signer)))
    assert_valid(verifier.verify(issue(ps256_signer)))


def test_es256_header_with_rsa_dsc_is_key_alg_mismatch(ps_verifier, ps256_signer):
    text = issue(ps256_signer, options=DccOptions(alg_override=-7))
    assert_invalid(ps_verifier.verify(text), "signature", Reason.KEY_ALG_MISMATCH)


def test_ps256_header_with_ec_dsc_is_key_alg_mismatch(es_verifier, es256_signer):
    text = issue(es256_signer, options=DccOptions(alg_override=-37))
    assert_invalid(es_verifier.verify(text), "signature", Reason.KEY_ALG_MISMATCH)


@pytest.mark.parametrize("kid_in", ["protected", "unprotected"])
def test_alg_only_in_unprotected_header_is_alg_missing(es_verifier, es256_signer, kid_in):
    text = issue(es256_signer, options=DccOptions(alg_in_unprotected=True, kid_in=kid_in))
    result = es_verifier.verify(text)
    assert_invalid(result, "signature", Reason.ALG_MISSING)
    assert result.check("key_usage").ok is None  # no signer was accepted


def test_alg_in_both_headers_uses_the_protected_one(es_verifier, es256_signer):
    protected = encode_cbor({1: -7, 4: es256_signer.kid})
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    signature = sign_cose(es256_signer, protected, payload)
    conflicting = encode_cbor(Tagged(18, [protected, {1: -37}, payload, signature]))
    assert_valid(es_verifier.verify(encode_hc1(conflicting)))


@pytest.mark.parametrize("alg", [-8, -35, -36, -38, -257, 0, 1, "ES256", True])
def test_unsupported_alg_is_refused(es_verifier, es256_signer, alg):
    text = issue(es256_signer, options=DccOptions(alg_override=alg))
    assert_invalid(es_verifier.verify(text), "signature", Reason.ALG_UNSUPPORTED)


def test_rsa_1024_dsc_is_key_too_weak(rsa1024_signer, now):
    result = verifier_for(now, rsa1024_signer).verify(issue(rsa1024_signer))
    assert_invalid(result, "signature", Reason.KEY_TOO_WEAK)


@pytest.mark.parametrize("length", [0, 1, 32, 63, 65, 70, 71, 72, 96, 128])
def test_es256_signature_of_wrong_length_is_malformed(es_verifier, es256_signer, length):
    genuine = sign_cose(
        es256_signer,
        encode_cbor({1: -7, 4: es256_signer.kid}),
        build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN"),
    )
    signature = (genuine * 2)[:length]
    result = es_verifier.verify(with_signature(es256_signer, signature))
    assert_invalid(result, "signature", Reason.SIGNATURE_MALFORMED)


def test_der_encoded_es256_signature_is_malformed(es_verifier, es256_signer):
    protected = encode_cbor({1: -7, 4: es256_signer.kid})
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    der = es256_signer.key.sign(sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
    assert der[0] == 0x30 and len(der) != 64
    result = es_verifier.verify(with_signature(es256_signer, der))
    assert_invalid(result, "signature", Reason.SIGNATURE_MALFORMED)


@pytest.mark.parametrize("fill", [0x00, 0xFF])
def test_constant_es256_signature_is_invalid(es_verifier, es256_signer, fill):
    result = es_verifier.verify(with_signature(es256_signer, bytes([fill]) * 64))
    assert_invalid(result, "signature", Reason.SIGNATURE_INVALID)


def test_all_zero_ps256_signature_is_invalid(ps_verifier, ps256_signer):
    result = ps_verifier.verify(with_signature(ps256_signer, bytes(256)))
    assert_invalid(result, "signature", Reason.SIGNATURE_INVALID)


@pytest.mark.parametrize("length", [255, 257, 512])
def test_ps256_signature_of_wrong_length_is_malformed(ps_verifier, ps256_signer, length):
    result = ps_verifier.verify(with_signature(ps256_signer, b"\x01" * length))
    assert_invalid(result, "signature", Reason.SIGNATURE_MALFORMED)


def test_p384_key_under_es256_is_key_alg_mismatch(p384_signer, now):
    assert p384_signer.alg == -7  # the issuer writes ES256 for any EC key
    result = verifier_for(now, p384_signer).verify(issue(p384_signer))
    assert_invalid(result, "signature", Reason.KEY_ALG_MISMATCH)


def test_p384_key_with_64_byte_signature_is_still_key_alg_mismatch(p384_signer, now):
    result = verifier_for(now, p384_signer).verify(with_signature(p384_signer, bytes(64)))
    assert_invalid(result, "signature", Reason.KEY_ALG_MISMATCH)


def test_ecdsa_high_s_signature_is_accepted(es_verifier, es256_signer):
    """(r, n-s) verifies too: ECDSA is malleable, which is why blocklists hash `r` only."""
    protected = encode_cbor({1: -7, 4: es256_signer.kid})
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    raw = sign_cose(es256_signer, protected, payload)
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    r, s = raw[:32], int.from_bytes(raw[32:], "big")
    malleated = r + (n - s).to_bytes(32, "big")
    assert malleated != raw
    assert_valid(es_verifier.verify(with_signature(es256_signer, malleated)))


# --- T10: kid placement and collisions -------------------------------------------------------


@pytest.mark.parametrize("kid_in", ["unprotected", "both"])
def test_kid_in_unprotected_header_verifies(es_verifier, es256_signer, kid_in):
    assert_valid(es_verifier.verify(issue(es256_signer, options=DccOptions(kid_in=kid_in))))


def test_protected_kid_wins_over_unprotected(es_verifier, es256_signer):
    protected = encode_cbor({1: -7, 4: es256_signer.kid})
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    signature = sign_cose(es256_signer, protected, payload)
    cose = encode_cbor(Tagged(18, [protected, {4: b"\x00" * 8}, payload, signature]))
    assert_valid(es_verifier.verify(encode_hc1(cose)))


def test_no_kid_is_kid_missing(es_verifier, es256_signer):
    result = es_verifier.verify(issue(es256_signer, options=DccOptions(kid_in="none")))
    assert_invalid(result, "signature", Reason.KID_MISSING)


@pytest.mark.parametrize("length", [0, 7, 9, 32])
def test_kid_of_wrong_length_is_kid_invalid(es256_signer, now, length):
    """Even when a trusted certificate is indexed under exactly that odd-length kid."""
    kid = (es256_signer.kid * 4)[:length]
    odd = replace(load_trusted_certificate(es256_signer.der), kid=kid)
    verifier = Verifier(TrustIndex([odd]), FixedClock(now))
    text = with_signature(es256_signer, protected={1: -7, 4: kid})
    assert_invalid(verifier.verify(text), "signature", Reason.KID_INVALID)


@pytest.mark.parametrize("kid_in", ["protected", "unprotected"])
def test_kid_of_wrong_type_is_kid_invalid(es_verifier, es256_signer, kid_in):
    bad_kid = es256_signer.kid.hex()
    protected_map: dict[int, Any] = {1: -7}
    unprotected: dict[int, Any] = {}
    (protected_map if kid_in == "protected" else unprotected)[4] = bad_kid
    protected = encode_cbor(protected_map)
    payload = build_cwt(vaccination_payload(), ISSUED, EXPIRES, "VN")
    signature = sign_cose(es256_signer, protected, payload)
    cose = encode_cbor(Tagged(18, [protected, unprotected, payload, signature]))
    assert_invalid(es_verifier.verify(encode_hc1(cose)), "signature", Reason.KID_INVALID)


def test_unknown_kid_is_kid_unknown(es_verifier, ps256_signer):
    assert_invalid(es_verifier.verify(issue(ps256_signer)), "signature", Reason.KID_UNKNOWN)


class OrderedLookup:
    """A signer lookup that returns candidates in exactly the order given (no sorting)."""

    def __init__(self, certificates: Sequence[TrustedCertificate]) -> None:
        self.certificates = tuple(certificates)

    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]:
        return tuple(c for c in self.certificates if c.kid == kid)


@pytest.fixture(scope="module")
def colliding(es256_signer, ps256_signer) -> dict[str, TrustedCertificate]:
    """The genuine DSC plus decoys that claim its kid: another P-256 key, an RSA key, and the
    genuine key under a test-only certificate from another country."""
    genuine = load_trusted_certificate(es256_signer.der)
    other_ec = make_signer(country="DE", not_before=START, usages="v")
    same_key = make_signer(key=es256_signer.key, country="FR", not_before=START, usages="t")
    return {
        "genuine": genuine,
        "other_ec": replace(load_trusted_certificate(other_ec.der), kid=genuine.kid),
        "rsa": replace(load_trusted_certificate(ps256_signer.der), kid=genuine.kid),
        "same_key_test_only": replace(load_trusted_certificate(same_key.der), kid=genuine.kid),
    }


def _verdict(result: VerificationResult) -> tuple[Any, ...]:
    return (
        result.status,
        result.reason,
        tuple((c.name, c.ok, c.code, c.message) for c in result.checks),
        tuple(sorted(result.details.items())),
    )


def _orders(names: Sequence[str]) -> list[tuple[str, ...]]:
    return list(itertools.permutations(names))


@pytest.mark.parametrize(
    "decoys", [("other_ec",), ("other_ec", "rsa"), ("rsa", "same_key_test_only")]
)
def test_colliding_kid_verdict_does_not_depend_on_order(colliding, es256_signer, now, decoys):
    text = issue(es256_signer)
    names = ("genuine", *decoys)
    seen = set()
    positions = set()
    for order in _orders(names):
        certificates = [colliding[name] for name in order]
        positions.add(order.index("genuine"))
        for lookup in (OrderedLookup(certificates), TrustIndex(certificates)):
            result = Verifier(lookup, FixedClock(now)).verify(text)
            assert_valid(result)
            assert result.details["signer_country"] == "VN"
            seen.add(_verdict(result))
    assert len(seen) == 1
    assert positions == set(range(len(names)))  # genuine first, middle (when 3) and last


def test_forged_credential_signed_by_none_of_the_colliding_dscs(colliding, es256_signer, now):
    forger = make_signer(not_before=START)
    impostor = Signer(forger.key, es256_signer.der, -7)  # claims the genuine kid
    text = issue(impostor)
    names = ("genuine", "other_ec", "rsa")
    seen = set()
    for order in _orders(names):
        certificates = [colliding[name] for name in order]
        for lookup in (OrderedLookup(certificates), TrustIndex(certificates)):
            result = Verifier(lookup, FixedClock(now)).verify(text)
            assert_invalid(result, "signature", Reason.SIGNATURE_INVALID)
            assert "signer_kid" not in result.details
            seen.add(_verdict(result))
    assert len(seen) == 1


def test_shared_key_certificates_pick_the_one_whose_usage_fits(colliding, es256_signer, now):
    """Two certificates with the same key verify; the verdict uses the one that passes the most
    checks, whatever the order: a test certificate is signed under the test-only DSC (FR)."""
    test_only = colliding["same_key_test_only"]
    restricted_genuine = replace(colliding["genuine"], allowed_types=frozenset({"v"}))
    text = issue(es256_signer, dcc_test_payload())
    for order in ([restricted_genuine, test_only], [test_only, restricted_genuine]):
        result = Verifier(OrderedLookup(order), FixedClock(now)).verify(text)
        assert_valid(result)
        assert result.details["signer_country"] == "FR"
    vaccination = issue(es256_signer)
    for order in ([restricted_genuine, test_only], [test_only, restricted_genuine]):
        result = Verifier(OrderedLookup(order), FixedClock(now)).verify(vaccination)
        assert_valid(result)
        assert result.details["signer_country"] == "VN"


# --- T11: signer-validity window and key usage -----------------------------------------------


def test_dsc_expired_before_iat(now):
    signer = make_signer(not_before=datetime(2024, 1, 1, tzinfo=UTC), valid_days=100)
    result = verifier_for(now, signer).verify(issue(signer))
    assert_invalid(result, "expiry", Reason.SIGNER_NOT_VALID_AT_ISSUE)
    assert result.check("signature").ok is True


def test_exp_after_dsc_not_after(es256_signer, now):
    not_after = load_trusted_certificate(es256_signer.der).not_after
    verifier = verifier_for(now, es256_signer)
    result = verifier.verify(issue(es256_signer, expires=not_after + timedelta(seconds=1)))
    assert_invalid(result, "expiry", Reason.EXPIRES_AFTER_SIGNER)
    assert_valid(verifier.verify(issue(es256_signer, expires=not_after)))


def test_iat_before_dsc_not_before(es256_signer, now):
    not_before = load_trusted_certificate(es256_signer.der).not_before
    assert not_before == START
    verifier = verifier_for(now, es256_signer)
    result = verifier.verify(issue(es256_signer, issued_at=not_before - timedelta(seconds=1)))
    assert_invalid(result, "expiry", Reason.SIGNER_NOT_VALID_AT_ISSUE)
    assert_valid(verifier.verify(issue(es256_signer, issued_at=not_before)))


def test_dsc_not_yet_valid_at_iat(now):
    signer = make_signer(not_before=datetime(2026, 5, 15, tzinfo=UTC))
    result = verifier_for(now, signer).verify(issue(signer))
    assert_invalid(result, "expiry", Reason.SIGNER_NOT_VALID_AT_ISSUE)


@pytest.mark.parametrize(
    ("ahead", "valid"),
    [(0, True), (1, True), (299, True), (300, True), (301, False), (3600, False)],
)
def test_iat_in_the_future_beyond_skew_is_not_yet_valid(
    es_verifier, es256_signer, now, ahead, valid
):
    result = es_verifier.verify(issue(es256_signer, issued_at=now + timedelta(seconds=ahead)))
    if valid:
        assert_valid(result)
    else:
        assert_invalid(result, "expiry", Reason.NOT_YET_VALID)


@pytest.mark.parametrize(("after", "valid"), [(-86400, False), (-1, False), (0, True), (1, True)])
def test_exp_passed_is_expired(es_verifier, es256_signer, now, after, valid):
    result = es_verifier.verify(issue(es256_signer, expires=now + timedelta(seconds=after)))
    if valid:
        assert_valid(result)
    else:
        assert_invalid(result, "expiry", Reason.EXPIRED)


def test_validation_time_comes_from_the_clock(es256_signer):
    text = issue(es256_signer)
    assert_valid(verifier_for(EXPIRES, es256_signer).verify(text))
    late = verifier_for(EXPIRES + timedelta(seconds=1), es256_signer)
    assert_invalid(late.verify(text), "expiry", Reason.EXPIRED)
    early = verifier_for(ISSUED - timedelta(seconds=301), es256_signer)
    assert_invalid(early.verify(text), "expiry", Reason.NOT_YET_VALID)


@pytest.fixture(scope="module")
def t_only_signer() -> Signer:
    return make_signer(not_before=START, usages="t")


def test_test_only_dsc_signing_a_vaccination_is_key_usage_mismatch(t_only_signer, now):
    verifier = verifier_for(now, t_only_signer)
    result = verifier.verify(issue(t_only_signer, vaccination_payload()))
    assert_invalid(result, "key_usage", Reason.KEY_USAGE_MISMATCH)
    assert result.check("signature").ok is True
    assert_valid(verifier.verify(issue(t_only_signer, dcc_test_payload())))


@pytest.mark.parametrize(
    ("usages", "vaccination_ok", "test_ok"),
    [("v", True, False), ("t", False, True), ("vt", True, True), ("r", False, False)],
)
def test_usage_oids_on_the_zero_arc_are_honoured(now, usages, vaccination_ok, test_ok):
    signer = make_signer(not_before=START, usage_arc="1.3.6.1.4.1.0.1847.2021.1", usages=usages)
    assert load_trusted_certificate(signer.der).allowed_types == frozenset(usages)
    verifier = verifier_for(now, signer)
    for certificate, ok in ((vaccination_payload(), vaccination_ok), (dcc_test_payload(), test_ok)):
        result = verifier.verify(issue(signer, certificate))
        if ok:
            assert_valid(result)
        else:
            assert_invalid(result, "key_usage", Reason.KEY_USAGE_MISMATCH)


def test_no_eku_allows_any_type(ps256_signer, ps_verifier):
    assert load_trusted_certificate(ps256_signer.der).allowed_types is None
    assert_valid(ps_verifier.verify(issue(ps256_signer, vaccination_payload())))
    assert_valid(ps_verifier.verify(issue(ps256_signer, dcc_test_payload())))


def test_unrelated_eku_only_allows_any_type(now):
    """serverAuth (1.3.6.1.5.5.7.3.1) is not a DCC usage: treated like no DCC usage at all."""
    signer = make_signer(not_before=START, usage_arc="1.3.6.1.5.5.7.3", usages="t")
    assert load_trusted_certificate(signer.der).allowed_types is None
    assert_valid(verifier_for(now, signer).verify(issue(signer, vaccination_payload())))


@pytest.mark.parametrize("alg", [-7.0, -37.0, True])
def test_an_algorithm_that_only_equals_a_supported_id_is_refused(es256_signer, now, alg):
    """-7.0 == -7 in Python, but a CBOR float (or bool) is not a COSE algorithm identifier."""
    text = with_signature(es256_signer, bytes(64), protected={1: alg, 4: es256_signer.kid})
    assert_invalid(
        verifier_for(now, es256_signer).verify(text), "signature", Reason.ALG_UNSUPPORTED
    )
