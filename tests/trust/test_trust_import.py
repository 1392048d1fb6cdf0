"""Trust import: every accepted file shape, kids recomputed from DER, odd certificates tolerated."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from station.errors import TrustImportError
from station.issuer.pki import make_signer
from station.store.trust import SqliteTrustStore
from station.trust.certificate import compute_kid, load_trusted_certificate
from station.trust.der import parse_certificate_fields
from station.trust.sources import certificates_from_bytes


@pytest.fixture(scope="module")
def signers():
    return [
        make_signer(algorithm="ES256", country="VN"),
        make_signer(algorithm="PS256", country="DE"),
    ]


def _b64(der: bytes) -> str:
    return base64.b64encode(der).decode()


def test_pem_bundle_yields_every_certificate(signers):
    pem = "".join(s.pem for s in signers).encode()
    assert certificates_from_bytes(pem) == [s.der for s in signers]


def test_raw_der_and_base64_lines(signers):
    assert certificates_from_bytes(signers[0].der) == [signers[0].der]
    lines = "\n".join(_b64(s.der) for s in signers).encode()
    assert certificates_from_bytes(lines) == [s.der for s in signers]


@pytest.mark.parametrize(
    "shape",
    [
        lambda ders: [{"kid": "AAAAAAAAAAA=", "rawData": _b64(d), "country": "XX"} for d in ders],
        lambda ders: {
            "certificates": [{"certificateType": "DSC", "rawData": _b64(d)} for d in ders]
        },
        lambda ders: {"VN": [{"kid": "bogus", "rawData": _b64(d)} for d in ders]},
        lambda ders: [_b64(d) for d in ders],
    ],
    ids=["eu-gateway", "dsc-list", "dgca-lookup", "plain-list"],
)
def test_json_list_shapes(signers, shape):
    ders = [s.der for s in signers]
    assert certificates_from_bytes(json.dumps(shape(ders)).encode()) == ders


def test_claimed_kid_is_ignored(tmp_path: Path, signers):
    store = SqliteTrustStore(tmp_path / "trust.sqlite")
    document = [{"kid": _b64(b"\x00" * 8), "rawData": _b64(signers[0].der)}]
    report = store.import_der(certificates_from_bytes(json.dumps(document).encode()), "test")
    assert report.added == 1
    (row,) = store.rows()
    assert row["kid"] == _b64(compute_kid(signers[0].der)) != _b64(b"\x00" * 8)
    assert store.index().signers_for(compute_kid(signers[0].der))


def test_reimport_is_idempotent_and_junk_is_reported(tmp_path: Path, signers):
    store = SqliteTrustStore(tmp_path / "trust.sqlite")
    assert store.import_der([signers[0].der], "a").added == 1
    again = store.import_der([signers[0].der, b"\x30\x03\x02\x01\x01"], "b")
    assert (again.added, again.already_present, len(again.rejected)) == (0, 1, 1)


@pytest.mark.parametrize(
    "junk", [b"", b"   ", b"hello world", b"{not json", b"[]", b"-----BEGIN X"]
)
def test_unreadable_files_raise_trust_import_error(junk):
    with pytest.raises(TrustImportError):
        certificates_from_bytes(junk)


def test_negative_serial_is_read_leniently(signers):
    der = signers[0].der
    cert = x509.load_der_x509_certificate(der)
    serial = cert.serial_number.to_bytes((cert.serial_number.bit_length() + 8) // 8, "big")
    start = der.index(b"\x02" + bytes([len(serial)]) + serial)
    negative = bytearray(der)
    negative[start + 2] |= 0x80  # flip the sign bit of the serial number
    loaded = load_trusted_certificate(bytes(negative))
    assert loaded.public_key.public_numbers() == signers[0].key.public_key().public_numbers()
    assert loaded.kid == compute_kid(bytes(negative))


def test_der_reader_agrees_with_cryptography():
    signer = make_signer(algorithm="ES256", country="VN", usages="vt")
    cert = x509.load_der_x509_certificate(signer.der)
    fields = parse_certificate_fields(signer.der)
    assert fields.not_before == cert.not_valid_before_utc
    assert fields.not_after == cert.not_valid_after_utc
    assert fields.subject_country == "VN"
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert fields.extended_key_usage == tuple(o.dotted_string for o in eku)
    assert load_trusted_certificate(signer.der).allowed_types == frozenset({"v", "t"})
    assert cert.signature_hash_algorithm is not None
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
