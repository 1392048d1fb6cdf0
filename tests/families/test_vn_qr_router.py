"""Routing: the national QR family claims its three layouts and nothing else a guard may scan.

The layouts have no prefix, so the family recognises them by shape. The shape must be specific
enough that a shop barcode, a URL, a signed pass of another family or arbitrary `|`-separated
text keeps its own verdict, and loose enough that a damaged national QR is still recognised and
refused with the reason.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from vn_helpers import ISSUED, NOW, person

from station.adapters.clock import FixedClock
from station.config import VerifierConfig
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.vn_qr import bhyt_text, cccd_text, pccovid_text
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify import vn_qr
from station.verify.router import route
from station.verify.verifier import Verifier

pytest_plugins = ["vn_fixtures"]

NOT_NATIONAL_QRS = {
    "url": "https://qr.tokhaiyte.vn/venue/79/12345?ref=checkin",
    "ean13": "8934563138164",
    "ean8": "96385074",
    "pipes": "a|b|c|d|e|f|g",
    "pipes_with_numbers": "12|34|56|78|90|12|34",
    "csv_like": "name|dob|sex\nNguyen Van A|1990-01-01|M",
    "hk_vaccine_pass": "HKSARG|VAC|3|1|TC21221-188-4|****456(8)|CHUK, K** K***|24-01-2021|x",
    "eleven_digit_id": "79203000123|123456789|Lê Văn An|01012003|Nam|Hà Nội|01012022",
    "short_card_number": "DN40101234567|4e6775|01/01/1990|1|-|01 - 028|01/01/2020|-|01/01/2020|$",
    "iso_date_first": "1990-01-01|NGUYEN VAN A|0|162979388586171100|",
    "vietqr_payment": "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA",
    "empty_fields": "||||||",
}


def national_qrs() -> dict[str, str]:
    someone, woman = person(1), person(8, sex="F")
    return {
        "pccovid": pccovid_text(someone),
        "pccovid_proxy": pccovid_text(woman, proxy_qid="162979388586171199"),
        "cccd": cccd_text(woman, ISSUED),
        "cccd_young": cccd_text(person(4, birth_date=date(2006, 2, 28)), ISSUED),
        "bhyt_2019": bhyt_text(someone, valid_from=date(2019, 1, 24), layout="2019"),
        "bhyt_2021": bhyt_text(someone, valid_from=date(2021, 1, 1), layout="2021"),
        "bhyt_2023": bhyt_text(woman, valid_from=date(2023, 7, 1), layout="2023"),
    }


@pytest.fixture(scope="module")
def hc1_pass(es256_signer):
    return issue_dcc(
        es256_signer,
        vaccination_payload(),
        issued_at=NOW - timedelta(days=1),
        expires=NOW + timedelta(days=90),
    )


@pytest.mark.parametrize("name", sorted(national_qrs()))
def test_every_national_layout_is_claimed_by_the_family(name):
    text = national_qrs()[name]
    family = route(text)
    assert family is not None and family.name == vn_qr.FAMILY
    layout = vn_qr.layout_of(text)
    assert layout is not None and layout.name == name.split("_")[0]


@pytest.mark.parametrize("name", sorted(NOT_NATIONAL_QRS))
def test_other_codes_are_not_claimed(name):
    text = NOT_NATIONAL_QRS[name]
    assert not vn_qr.claims(text)
    result = Verifier(TrustIndex([]), FixedClock(NOW)).verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.NOT_A_HEALTH_CREDENTIAL)


def test_a_mixed_corpus_gets_one_verdict_each(hc1_pass, es256_signer):
    verifier = Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), FixedClock(NOW))
    corpus = {**national_qrs(), **NOT_NATIONAL_QRS, "hc1": hc1_pass}
    formats = {name: verifier.verify(text).format for name, text in corpus.items()}
    assert formats["hc1"] == "dcc" and verifier.verify(hc1_pass).valid
    for name in NOT_NATIONAL_QRS:
        assert formats[name] == "unknown", name
    for name in national_qrs():
        assert formats[name] == "vn_" + name.split("_")[0], name
    assert not vn_qr.claims(hc1_pass)


def test_no_national_qr_is_valid_on_its_own():
    """Without a status list every national QR, however well formed, asks for a signed pass."""
    verifier = Verifier(TrustIndex([]), FixedClock(NOW))
    for name, text in national_qrs().items():
        result = verifier.verify(text)
        assert result.status is Status.CHECK_MANUALLY, name
        assert result.reason in (Reason.STATUS_LIST_MISSING, Reason.STATUS_NOT_SEARCHABLE), name


def test_a_damaged_national_qr_is_still_recognised():
    fields = national_qrs()["cccd"].split("|")
    fields[1] = "12345678"  # an old ID number one digit short
    result = Verifier(TrustIndex([]), FixedClock(NOW)).verify("|".join(fields))
    assert (result.format, result.reason) == ("vn_cccd", Reason.VN_ID_NUMBER_INVALID)


def test_verifying_text_the_router_would_not_send_is_still_answered():
    result = vn_qr.verify_vn_qr("hello", TrustSources(TrustIndex([])), NOW, VerifierConfig())
    assert (result.format, result.reason) == ("unknown", Reason.NOT_A_HEALTH_CREDENTIAL)
