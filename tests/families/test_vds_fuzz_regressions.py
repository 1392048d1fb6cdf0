"""Inputs the front-door fuzzer (fuzz/front_door.py) found to raise instead of being refused.

Both were VDS-NC seals whose embedded barcode signer certificate cryptography could not read
with a ValueError: it raises TypeError from its lazy Name parsing and exceptions of its own
(`InvalidVersion`, `DuplicateExtension`) that are not ValueErrors. Each input is rebuilt here from
a real seal with the one change the fuzzer made (or, for the duplicate extension, the same kind
of change), and must end INVALID with VDS_SIGNER_CERT_INVALID.
"""

from __future__ import annotations

import pytest

from station.issuer.vds import b64url, seal_document, to_text, vaccination_message
from station.reasons import Reason, Status

pytest_plugins = ["vds_fixtures"]

DAMAGE = {
    # The issuer's countryName "VN" as a BIT STRING (0x03), not a PrintableString (0x13).
    "bit-string-name-attribute": ("0603550406" + "1302564e", "0603550406" + "0302564e"),
    # The version field [0] INTEGER 2 (v3) changed to 14.
    "version-14": ("a003020102", "a00302010e"),
    # The authorityKeyIdentifier extension renamed extendedKeyUsage, which the cert also has.
    "duplicate-extension": ("0603551d23", "0603551d25"),
}


def _seal_with_damaged_certificate(vds_signer, kind: str) -> str:
    genuine, damaged = (bytes.fromhex(part) for part in DAMAGE[kind])
    assert genuine in vds_signer.der
    document = seal_document(vds_signer, vaccination_message())
    document["sig"]["cer"] = b64url(vds_signer.der.replace(genuine, damaged, 1))
    return to_text(document)


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_unreadable_signer_certificate_is_refused(vds_signer, vds_verifier, kind):
    result = vds_verifier.verify(_seal_with_damaged_certificate(vds_signer, kind))

    assert result.status is Status.INVALID
    assert result.reason == Reason.VDS_SIGNER_CERT_INVALID
    assert [check.name for check in result.failed_checks] == ["certificate"]


def test_the_same_seal_undamaged_is_not_refused(vds_signer, vds_verifier):
    document = seal_document(vds_signer, vaccination_message())
    assert vds_verifier.verify(to_text(document)).status is not Status.INVALID
