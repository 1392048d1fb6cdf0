"""Vietnam's national QRs judged by a real synced status list, from text and from QR images.

The QRs are unsigned, so the family's "valid / revoked / expired / unknown issuer" cases map to
the status list: a credential on record is VALID, a flagged person (the list's revocation) is
INVALID, an entry past `valid_until` is expired, and a person the list does not know (the
"unknown issuer" of an identity QR) is CHECK_MANUALLY. Dates in the future ("not yet valid") and
altered fields ("tampered") are in test_vn_qr_layouts.py; there is no algorithm to get wrong.
"""

from __future__ import annotations

import json
from datetime import timedelta

import cv2
import numpy as np
import pytest
from vn_helpers import ISSUED, LIST_VERSION, NOW, fill_status_list, person, verifier_over

from station.adapters.clock import FixedClock
from station.cache.status_list import StatusFlags
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.issuer.vn_qr import ascii_capitals, bhyt_text, cccd_text, pccovid_text, vn_qr_png
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.scan import read_codes
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

pytest_plugins = ["vn_fixtures"]

FLAGGED = [
    (StatusFlags.POSITIVE, Reason.STATUS_POSITIVE),
    (StatusFlags.ISOLATING, Reason.STATUS_ISOLATING),
    (StatusFlags.CLOSE_CONTACT, Reason.STATUS_CLOSE_CONTACT),
    (StatusFlags.VACCINATED | StatusFlags.CLOSE_CONTACT, Reason.STATUS_CLOSE_CONTACT),
    (StatusFlags.ISOLATING | StatusFlags.POSITIVE, Reason.STATUS_POSITIVE),
]
ON_RECORD = [StatusFlags.VACCINATED, StatusFlags.RECOVERED, StatusFlags.TESTED_NEGATIVE]


def texts_of(someone):
    """The two QRs that carry a citizen ID number, for the same person."""
    return {"cccd": cccd_text(someone, ISSUED), "pccovid": pccovid_text(someone)}


def from_image(text: str) -> str:
    """The text read back from the pixels of a rendered QR image."""
    gray = cv2.imdecode(np.frombuffer(vn_qr_png(text), np.uint8), cv2.IMREAD_GRAYSCALE)
    (read,) = read_codes(gray)
    return read


@pytest.mark.parametrize("layout", ["cccd", "pccovid"])
@pytest.mark.parametrize(("flags", "reason"), FLAGGED)
def test_a_flagged_person_is_invalid_and_says_why(cache, someone, layout, flags, reason):
    fill_status_list(cache, [(someone.id_number, flags, NOW + timedelta(days=10))])
    result = verifier_over(cache).verify(texts_of(someone)[layout])
    assert result.status is Status.INVALID
    assert result.reason == reason
    assert result.check("status").message.startswith("The national status list")
    assert result.details["status"]["decided_by"] == "flags"
    assert set(result.details["status"]["flags"]) == {f.name for f in StatusFlags if f in flags}


@pytest.mark.parametrize("layout", ["cccd", "pccovid"])
@pytest.mark.parametrize("flags", ON_RECORD)
def test_a_credential_on_record_is_valid(cache, someone, layout, flags):
    fill_status_list(cache, [(someone.id_number, flags, NOW + timedelta(days=30))])
    result = verifier_over(cache).verify(texts_of(someone)[layout])
    assert result.status is Status.VALID, result.checks
    assert [c.name for c in result.checks] == ["format", "fields", "identity", "status"]
    assert result.details["status"]["flags"] == [flags.name]
    assert result.details["status"]["list_version"] == LIST_VERSION
    assert result.holder is not None
    assert result.holder.date_of_birth == someone.birth_date.isoformat()


def test_an_open_ended_credential_is_valid(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.VACCINATED, None)])
    assert verifier_over(cache).verify(cccd_text(someone, ISSUED)).status is Status.VALID


def test_someone_not_on_the_list_is_checked_by_hand(cache, someone):
    fill_status_list(cache, [(person(2).id_number, StatusFlags.VACCINATED, None)])
    result = verifier_over(cache).verify(cccd_text(someone, ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_NOT_LISTED)
    assert "ask for a signed pass" in result.check("status").message


def test_an_entry_without_a_credential_is_checked_by_hand(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags(0), None)])
    result = verifier_over(cache).verify(cccd_text(someone, ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_NOT_LISTED)


def test_without_a_synced_list_the_guard_asks_for_a_signed_pass(cache, someone):
    result = verifier_over(cache).verify(cccd_text(someone, ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_LIST_MISSING)
    assert "signed vaccination, test or recovery pass" in result.check("status").message


def test_a_station_given_no_list_at_all_says_so(someone):
    verifier = Verifier(TrustSources(TrustIndex([])), FixedClock(NOW))
    result = verifier.verify(pccovid_text(someone))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_LIST_MISSING)
    assert "none given" in result.check("status").message


@pytest.mark.parametrize(
    "flags", [StatusFlags.VACCINATED, StatusFlags.POSITIVE | StatusFlags.ISOLATING]
)
def test_an_expired_entry_decides_nothing(cache, someone, flags):
    fill_status_list(cache, [(someone.id_number, flags, NOW - timedelta(seconds=1))])
    result = verifier_over(cache).verify(cccd_text(someone, ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_ENTRY_EXPIRED)


def test_an_entry_ends_exactly_at_valid_until(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.RECOVERED, NOW)])
    assert verifier_over(cache, NOW - timedelta(seconds=1)).verify(cccd_text(someone, ISSUED)).valid
    expired = verifier_over(cache, NOW).verify(cccd_text(someone, ISSUED))
    assert expired.reason == Reason.STATUS_ENTRY_EXPIRED


def test_a_passport_number_cannot_be_looked_up(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.VACCINATED, None)])
    text = "C1234567" + pccovid_text(someone)[12:]
    result = verifier_over(cache).verify(text)
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_NOT_SEARCHABLE)
    assert result.details["status"]["id_type"] == "passport"


def test_a_health_insurance_card_identifies_but_cannot_be_looked_up(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.POSITIVE, None)])
    result = verifier_over(cache).verify(bhyt_text(someone, valid_from=ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_NOT_SEARCHABLE)
    assert result.holder is not None and result.holder.name == someone.name
    assert "social-insurance number" in result.check("status").message


def test_a_stale_list_under_the_refuse_policy_is_checked_by_hand(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.VACCINATED, None)])
    later = NOW + timedelta(days=5)
    clock = FixedClock(later)
    trust = CachedTrust(cache, clock).sources()
    verifier = Verifier(trust, clock, VerifierConfig(stale_data_policy="refuse"))
    result = verifier.verify(cccd_text(someone, ISSUED))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.DATA_STALE)
    assert result.check("status").ok is True and result.details["data"]["stale"] is True


def test_no_id_number_reaches_the_result(cache, someone):
    fill_status_list(cache, [(someone.id_number, StatusFlags.POSITIVE, None)])
    for text in (cccd_text(someone, ISSUED), pccovid_text(someone)):
        result = verifier_over(cache).verify(text)
        dumped = json.dumps(result.to_json(), ensure_ascii=False)
        assert someone.id_number not in dumped and someone.old_id not in dumped
        assert result.decoded_text is None
        assert all(someone.name not in check.message for check in result.checks)


# --- from QR images -------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["cccd", "pccovid"])
def test_from_an_image_a_flagged_person_is_invalid(cache, someone, layout):
    fill_status_list(cache, [(someone.id_number, StatusFlags.POSITIVE, None)])
    text = from_image(texts_of(someone)[layout])
    result = verifier_over(cache).verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.STATUS_POSITIVE)


@pytest.mark.parametrize("layout", ["cccd", "pccovid"])
def test_from_an_image_a_credential_on_record_is_valid(cache, someone, layout):
    fill_status_list(cache, [(someone.id_number, StatusFlags.VACCINATED, None)])
    result = verifier_over(cache).verify(from_image(texts_of(someone)[layout]))
    assert result.status is Status.VALID
    expected = someone.name if layout == "cccd" else ascii_capitals(someone.name)
    assert result.holder is not None and result.holder.name == expected


def test_from_an_image_the_diacritics_survive(cache):
    woman = person(5, sex="F")
    text = cccd_text(woman, ISSUED)
    assert from_image(text) == text
    fill_status_list(cache, [(woman.id_number, StatusFlags.TESTED_NEGATIVE, None)])
    result = verifier_over(cache).verify(from_image(text))
    assert result.valid and result.holder is not None and result.holder.name == woman.name


def test_from_an_image_unknown_expired_and_missing_list(cache, someone):
    text = from_image(cccd_text(someone, ISSUED))
    assert verifier_over(cache).verify(text).reason == Reason.STATUS_LIST_MISSING
    fill_status_list(cache, [(person(3).id_number, StatusFlags.VACCINATED, None)])
    assert verifier_over(cache).verify(text).reason == Reason.STATUS_NOT_LISTED
    fill_status_list(cache, [(someone.id_number, StatusFlags.VACCINATED, NOW)])
    assert verifier_over(cache).verify(text).reason == Reason.STATUS_ENTRY_EXPIRED


def test_from_an_image_a_health_insurance_card_reads_back_exactly(someone):
    for layout in ("2019", "2021", "2023"):
        text = bhyt_text(someone, valid_from=ISSUED, layout=layout)  # type: ignore[arg-type]
        assert from_image(text) == text


def test_the_status_source_name_is_the_one_the_cache_syncs():
    from station.cache.trust_view import STATUS_SOURCE
    from station.verify.vn_status import STATUS_SOURCE as USED

    assert USED == STATUS_SOURCE
