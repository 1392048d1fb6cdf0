"""Australia's production VDS-NC seals (Australian Passport Office reader tests, Apache-2.0):
the station must accept the genuine seal under the real AUS CSCA and refuse the altered one."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from station.reasons import Reason, Status

pytest_plugins = ["vds_fixtures"]
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "vds"
#: The SHA-256 the upstream tests pin for the CSCA DER.
AUS_CSCA_SHA256 = "35623a89f6b40cb4888e05147f7d16d27f7bf754aad563c37fef6e1a0e7ff5cf"


@pytest.fixture()
def aus_csca_entry() -> dict[str, object]:
    pem = (VECTORS / "aus-csca.pem").read_text(encoding="ascii")
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    der = base64.b64decode(body)
    assert hashlib.sha256(der).hexdigest() == AUS_CSCA_SHA256
    return {"kid": AUS_CSCA_SHA256, "x5c": [body]}


@pytest.fixture()
def aus_verifier(verifier_for, aus_csca_entry):
    return verifier_for({"AUS": [aus_csca_entry]})


def test_genuine_australian_seal_is_valid(aus_verifier):
    result = aus_verifier.verify((VECTORS / "aus-vacc-valid.json").read_text(encoding="utf-8"))
    assert (result.status, result.format) == (Status.VALID, "vds")
    assert result.holder is not None
    assert (result.holder.family_name, result.holder.given_name) == ("CITIZEN", "JANE CATHERINE")
    assert result.holder.date_of_birth == "1977-05-16"
    assert result.details["summary"]["doses"] == 2
    assert result.details["signer_serial"] == "18ad"


def test_altered_australian_seal_is_refused(aus_verifier):
    result = aus_verifier.verify((VECTORS / "aus-vacc-tampered.json").read_text(encoding="utf-8"))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNATURE_INVALID)
    assert result.check("chain").ok is True  # genuine signer, altered content


def test_australian_seal_with_its_signer_revoked(verifier_for, aus_csca_entry):
    verifier = verifier_for({"AUS": [{**aus_csca_entry, "revoked_serials": ["18AD"]}]})
    result = verifier.verify((VECTORS / "aus-vacc-valid.json").read_text(encoding="utf-8"))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNER_REVOKED)


def test_australian_seal_is_not_trusted_under_another_country(verifier_for, aus_csca_entry):
    verifier = verifier_for({"NZL": [aus_csca_entry]})
    result = verifier.verify((VECTORS / "aus-vacc-valid.json").read_text(encoding="utf-8"))
    assert result.reason == Reason.VDS_ISSUER_UNKNOWN
