"""Certificates the sync fuzzer (fuzz/sync_lists.py) found to raise instead of being refused.

cryptography raises `UnsupportedAlgorithm`, which is not a ValueError, for a public key of a
type or on a curve it does not know; such a certificate used to escape `load_trusted_certificate`
(and with it a trust import or a trust-list sync). Each input is a real signer certificate with
one object identifier in its public key changed, as in the fuzzer's input.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from station.cache.database import open_cache
from station.cache.signers import SignerCache
from station.errors import TrustImportError
from station.trust.certificate import load_trusted_certificate
from station.trust.sources import certificates_from_bytes

EC_PUBLIC_KEY = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1
UNKNOWN_KEY_TYPE = bytes.fromhex("06072a8648cf7c0201")  # 1.2.840.10236.2.1
P256 = bytes.fromhex("06082a8648ce3d030107")  # 1.2.840.10045.3.1.7
UNKNOWN_CURVE = bytes.fromhex("06082a8648ce3d030108")  # 1.2.840.10045.3.1.8

DAMAGE = {
    "unknown key type": (EC_PUBLIC_KEY, UNKNOWN_KEY_TYPE),
    "unknown curve": (P256, UNKNOWN_CURVE),
}


def _damaged(der: bytes, kind: str) -> bytes:
    genuine, replacement = DAMAGE[kind]
    assert der.count(genuine) == 1
    return der.replace(genuine, replacement)


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_unsupported_public_key_is_a_trust_import_error(es256_signer, kind):
    with pytest.raises(TrustImportError, match="not a usable certificate"):
        load_trusted_certificate(_damaged(es256_signer.der, kind))


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_trust_file_with_such_a_certificate_is_refused(es256_signer, kind):
    pem = (
        b"-----BEGIN CERTIFICATE-----\n"
        + base64.encodebytes(_damaged(es256_signer.der, kind))
        + b"-----END CERTIFICATE-----\n"
    )
    (der,) = certificates_from_bytes(pem)
    with pytest.raises(TrustImportError):
        load_trusted_certificate(der)


def test_import_into_the_cache_lists_it_as_rejected(tmp_path: Path, es256_signer):
    damaged = [_damaged(es256_signer.der, kind) for kind in sorted(DAMAGE)]
    with open_cache(tmp_path / "cache.sqlite") as cache:
        report = SignerCache(cache).import_der([*damaged, es256_signer.der], "test")
        assert report.added == 1
        assert len(report.rejected) == 2
        assert [cert.der for cert in SignerCache(cache).certificates()] == [es256_signer.der]
