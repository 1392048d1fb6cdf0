"""Unusable VDS-NC trust entries (CSCAs imported as issuer keys of family "vds").

Neither the front-door fuzzer nor the seal tests reach these paths, since they depend on the
station's trust data rather than on the scanned seal: an entry the station cannot use is
skipped (the seal's issuer is then unknown), and a CRL copy it cannot read fails closed (the
revocation check asks for a manual check), never raising and never passing the seal.
"""

from __future__ import annotations

import base64
import hashlib

import pytest

from station.issuer.vds import issue_vds, vaccination_message
from station.reasons import Reason, Status
from station.verify.vds_trust import parse_serials

pytest_plugins = ["vds_fixtures"]

#: A DER SEQUENCE that is not a certificate.
NOT_A_CERTIFICATE = b"\x30\x03\x02\x01\x01"


def _unusable_entries(authority) -> dict[str, dict]:
    good = authority.issuer_key()
    return {
        "x5c-not-a-list": {"kid": good["kid"], "x5c": good["x5c"][0]},
        "x5c-not-base64": {"kid": good["kid"], "x5c": ["%%%"]},
        "not-a-certificate": {
            "kid": hashlib.sha256(NOT_A_CERTIFICATE).hexdigest(),
            "x5c": [base64.b64encode(NOT_A_CERTIFICATE).decode()],
        },
    }


@pytest.mark.parametrize("kind", ["x5c-not-a-list", "x5c-not-base64", "not-a-certificate"])
def test_unusable_csca_entry_is_skipped(vds_signer, vds_authority, verifier_for, kind):
    verifier = verifier_for({"VNM": [_unusable_entries(vds_authority)[kind]]})

    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))

    assert result.status is Status.INVALID
    assert result.reason == Reason.VDS_ISSUER_UNKNOWN


@pytest.mark.parametrize(
    "serials",
    ["01", [True], [1.5], ["zz"], ["ab" * 22], [None]],
    ids=["not-a-list", "boolean", "float", "not-hex", "longer-than-20-octets", "null"],
)
def test_unreadable_revocation_copy_fails_closed(vds_signer, vds_authority, verifier_for, serials):
    entry = {**vds_authority.issuer_key(), "revoked_serials": serials}
    verifier = verifier_for({"VNM": [entry]})

    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))

    assert result.status is Status.CHECK_MANUALLY
    assert [(c.name, c.code) for c in result.failed_checks] == [
        ("revocation", Reason.VDS_TRUST_UNAVAILABLE)
    ]


def test_serials_in_every_accepted_spelling():
    assert parse_serials(["18AD", "0x18ad", "18:ad", 6317, " 18ad "]) == frozenset({0x18AD})
    assert parse_serials([]) == frozenset()
    assert parse_serials(["1"] * 100_001) is None
