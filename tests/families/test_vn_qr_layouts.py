"""The three national QR layouts read strictly: what each resolves to, and every way a damaged,
altered or made-up line is refused (INVALID, with the check and reason that refused it).

For an unsigned identity QR "not yet valid" is a date in the future and "tampered" is a field
changed so that the ID number no longer agrees with it; both are here.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from vn_helpers import ISSUED, NOW, person

from station.adapters.clock import FixedClock
from station.issuer.vn_qr import ascii_capitals, bhyt_text, cccd_text, pccovid_text
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier
from station.verify.vn_qr import CHECK_NAMES

pytest_plugins = ["vn_fixtures"]


def verify(text: str, now: datetime = NOW):
    """Verify on a station without a status list: a well-formed QR ends in STATUS_LIST_MISSING."""
    return Verifier(TrustSources(TrustIndex([])), FixedClock(now)).verify(text)


def refused(text: str, check: str, reason: Reason, now: datetime = NOW) -> None:
    result = verify(text, now)
    assert result.status is Status.INVALID, result.checks
    assert (result.reason, result.check(check).code) == (reason, reason), result.checks
    assert [c.name for c in result.checks] == list(CHECK_NAMES)
    assert result.decoded_text is None


def fields_of(text: str) -> list[str]:
    return text.split("|")


def with_field(text: str, index: int, value: str) -> str:
    fields = fields_of(text)
    fields[index] = value
    return "|".join(fields)


# --- what each layout resolves to -----------------------------------------------------------


def test_a_chip_id_card_qr_resolves_to_its_holder(someone):
    result = verify(cccd_text(someone, ISSUED))
    assert (result.format, result.reason) == ("vn_cccd", Reason.STATUS_LIST_MISSING)
    assert [c.ok for c in result.checks] == [True, True, True, False]
    assert result.holder is not None
    assert result.holder.name == someone.name
    assert result.holder.family_name == someone.name.split()[0]
    assert result.holder.date_of_birth == someone.birth_date.isoformat()
    assert result.details["document"] == {"has_old_id": True, "issued": ISSUED.isoformat()}
    assert result.details["status"]["id_type"] == "cccd"


def test_a_young_holder_without_an_old_id_number(someone):
    young = person(4, birth_date=date(2006, 2, 28))
    assert young.old_id == ""
    result = verify(cccd_text(young, ISSUED))
    assert result.check("fields").ok and result.details["document"]["has_old_id"] is False


def test_a_decomposed_name_is_read_as_the_composed_one(someone):
    text = cccd_text(someone, ISSUED)
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    result = verify(decomposed)
    assert result.holder is not None and result.holder.name == someone.name
    assert unicodedata.is_normalized("NFC", result.holder.name)


def test_a_personal_qr_resolves_to_its_holder(someone):
    result = verify(pccovid_text(someone))
    assert result.format == "vn_pccovid" and result.check("fields").ok
    assert result.holder is not None and result.holder.name == ascii_capitals(someone.name)
    assert result.details["document"] == {"declared_by_proxy": False}


def test_a_personal_qr_declared_by_proxy_may_leave_out_the_number(someone):
    text = with_field(pccovid_text(someone, proxy_qid="162979388586171199"), 0, "")
    result = verify(text)
    assert result.check("fields").ok and result.details["document"]["declared_by_proxy"]
    assert result.reason == Reason.STATUS_NOT_SEARCHABLE


def test_the_published_personal_qr_example_is_read():
    example = "001093029317|NGUYEN VAN A|1993-01-18|0|162979388586171100|<1<00<0123232422"
    result = verify(example)
    assert result.check("fields").ok and result.check("identity").ok
    assert result.holder is not None and result.holder.date_of_birth == "1993-01-18"


@pytest.mark.parametrize("layout", ["2019", "2021", "2023"])
def test_a_health_insurance_card_resolves_to_its_holder(someone, layout):
    text = bhyt_text(someone, valid_from=date(2023, 7, 1), layout=layout)
    assert len(fields_of(text)) == {"2019": 10, "2021": 15, "2023": 17}[layout]
    result = verify(text)
    assert result.format == "vn_bhyt" and result.check("fields").ok, result.checks
    assert result.holder is not None and result.holder.name == someone.name
    assert result.details["document"]["card_valid_from"] == "2023-07-01"


def test_a_health_insurance_card_in_capital_hex_with_an_end_date(someone):
    text = bhyt_text(someone, valid_from=date(2021, 1, 1), valid_to=date(2021, 12, 31))
    upper = with_field(text, 1, fields_of(text)[1].upper())
    result = verify(upper)
    assert result.check("fields").ok and result.details["document"]["card_expired"] is True


# --- format: length, characters, field counts ------------------------------------------------


@pytest.mark.parametrize("extra", ["|", "|x|y", ""])
def test_a_chip_id_card_qr_needs_exactly_seven_fields(someone, extra):
    text = cccd_text(someone, ISSUED)
    broken = text + extra if extra else text.rsplit("|", 1)[0]
    refused(broken, "format", Reason.VN_QR_MALFORMED)


def test_a_personal_qr_needs_exactly_six_fields(someone):
    refused(pccovid_text(someone) + "|", "format", Reason.VN_QR_MALFORMED)


@pytest.mark.parametrize("count", [9, 11, 16, 18])
def test_a_health_insurance_card_has_one_of_three_lengths(someone, count):
    fields = fields_of(bhyt_text(someone, valid_from=ISSUED))
    fields = (fields + ["-"] * 20)[: count - 1] + ["$"]
    refused("|".join(fields), "format", Reason.VN_QR_MALFORMED)


def test_a_health_insurance_card_ends_with_a_dollar(someone):
    text = bhyt_text(someone, valid_from=ISSUED, layout="2019")
    refused(text[:-1] + "#", "fields", Reason.VN_QR_MALFORMED)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u200d", "\ufeff", "\u2028", "\x85"])
def test_control_and_invisible_characters_are_refused(someone, char):
    text = cccd_text(someone, ISSUED)
    refused(text.replace("Phường", f"Phư{char}ờng", 1), "format", Reason.VN_QR_MALFORMED)


def test_a_line_longer_than_any_national_qr_is_refused(someone):
    text = with_field(cccd_text(someone, ISSUED), 5, "Phường " * 400)
    refused(text, "format", Reason.VN_QR_MALFORMED)


# --- fields: ID numbers, names, dates, sex, hex --------------------------------------------------


@pytest.mark.parametrize("number", ["999203004567", "000203004567", "100203004567"])
def test_a_citizen_id_with_no_such_province_is_refused(someone, number):
    refused(
        with_field(cccd_text(someone, ISSUED), 0, number), "fields", Reason.VN_ID_NUMBER_INVALID
    )


@pytest.mark.parametrize("old", ["12345678", "1234567890"])
def test_an_old_id_number_is_nine_digits(someone, old):
    refused(with_field(cccd_text(someone, ISSUED), 1, old), "fields", Reason.VN_ID_NUMBER_INVALID)


@pytest.mark.parametrize("number", ["12345", "0012030045", "79203000123", "ABC", "C123"])
def test_a_personal_qr_document_number_must_be_a_known_kind(someone, number):
    refused(with_field(pccovid_text(someone), 0, number), "fields", Reason.VN_ID_NUMBER_INVALID)


def test_a_self_declared_personal_qr_must_carry_the_number(someone):
    refused(with_field(pccovid_text(someone), 0, ""), "fields", Reason.VN_ID_NUMBER_INVALID)


@pytest.mark.parametrize("name", ["Nguyen Van A", "NGUYEN  VAN A", "NGUYEN VAN A1", "NGUYEN_VAN"])
def test_a_personal_qr_name_is_capitals_and_single_spaces(someone, name):
    refused(with_field(pccovid_text(someone), 1, name), "fields", Reason.VN_QR_MALFORMED)


@pytest.mark.parametrize("name", ["", " Lê Văn An", "Lê Văn An ", "Lê 3 An", "<script>", "A" * 101])
def test_a_card_name_is_words_of_letters(someone, name):
    refused(with_field(cccd_text(someone, ISSUED), 2, name), "fields", Reason.VN_QR_MALFORMED)


def test_a_minority_name_with_an_apostrophe_is_a_name(someone):
    result = verify(with_field(cccd_text(someone, ISSUED), 2, "H'Hen Niê"))
    assert result.check("fields").ok and result.holder is not None
    assert result.holder.name == "H'Hen Niê"


@pytest.mark.parametrize("sex", ["Male", "nam", "NỮ", "1", ""])
def test_a_card_sex_is_nam_or_nu(someone, sex):
    refused(with_field(cccd_text(someone, ISSUED), 4, sex), "fields", Reason.VN_QR_MALFORMED)


@pytest.mark.parametrize("born", ["30022000", "31041990", "00011990", "01131990", "01011850"])
def test_a_card_date_of_birth_must_be_a_real_date(someone, born):
    refused(with_field(cccd_text(someone, ISSUED), 3, born), "fields", Reason.VN_DATE_INVALID)


@pytest.mark.parametrize("born", ["1991-02-29", "1991-13-01", "1991-00-10", "1850-01-01"])
def test_a_personal_qr_date_of_birth_must_be_a_real_date(someone, born):
    refused(with_field(pccovid_text(someone), 2, born), "fields", Reason.VN_DATE_INVALID)


def test_a_line_without_a_date_where_the_personal_qr_has_one_is_not_claimed(someone):
    text = with_field(pccovid_text(someone), 2, "19910124")
    assert verify(text).reason == Reason.NOT_A_HEALTH_CREDENTIAL


def test_a_card_issued_in_the_future_is_not_yet_valid(someone):
    tomorrow = (NOW + timedelta(days=1)).strftime("%d%m%Y")
    refused(with_field(cccd_text(someone, ISSUED), 6, tomorrow), "fields", Reason.VN_DATE_INVALID)


def test_a_birth_date_in_the_future_is_refused(someone):
    future = (NOW + timedelta(days=2)).date().isoformat()
    refused(with_field(pccovid_text(someone), 2, future), "fields", Reason.VN_DATE_INVALID)


def test_today_is_judged_by_the_calendar_in_vietnam(someone):
    text = with_field(cccd_text(someone, ISSUED), 6, "02062026")
    evening_utc = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)  # already 2 June in Hanoi
    assert verify(text, evening_utc).check("fields").ok
    refused(text, "fields", Reason.VN_DATE_INVALID, datetime(2026, 6, 1, 16, 59, tzinfo=UTC))


def test_a_card_issued_before_its_holder_was_born_is_refused(someone):
    before = (someone.birth_date - timedelta(days=1)).strftime("%d%m%Y")
    refused(with_field(cccd_text(someone, ISSUED), 6, before), "fields", Reason.VN_DATE_INVALID)


@pytest.mark.parametrize(
    ("index", "value", "reason"),
    [
        (1, "4e677", Reason.VN_QR_MALFORMED),  # odd number of hex digits
        (1, "ff", Reason.VN_QR_MALFORMED),  # not UTF-8
        (1, "00", Reason.VN_QR_MALFORMED),  # a control character
        (1, "313233", Reason.VN_QR_MALFORMED),  # "123" is not a name
        (2, "31/04/1990", Reason.VN_DATE_INVALID),
        (3, "3", Reason.VN_QR_MALFORMED),
        (4, "zz", Reason.VN_QR_MALFORMED),
        (5, "01-XXXXXXX", Reason.VN_QR_MALFORMED),
        (7, "30/06/2023", Reason.VN_DATE_INVALID),  # ends before it starts
        (8, "01/01/2099", Reason.VN_DATE_INVALID),
        (9, "abc", Reason.VN_QR_MALFORMED),
        (11, "x", Reason.VN_QR_MALFORMED),
        (12, "31/09/2027", Reason.VN_DATE_INVALID),
        (13, "!!", Reason.VN_QR_MALFORMED),
        (15, "c3", Reason.VN_QR_MALFORMED),  # a lone UTF-8 lead byte
    ],
)
def test_health_insurance_card_fields_are_checked(someone, index, value, reason):
    text = with_field(bhyt_text(someone, valid_from=date(2023, 7, 1)), index, value)
    refused(text, "fields", reason)


@pytest.mark.parametrize(
    "ext",
    ["<" * 20, "<1<00<012345678", "abc<1", "<1<00<0123456789<" + "x" * 600, "<é"],
)
def test_a_personal_qr_extension_is_checked(someone, ext):
    refused(with_field(pccovid_text(someone), 5, ext), "fields", Reason.VN_QR_MALFORMED)


@pytest.mark.parametrize("qid", ["", "abc", "1629 7938", "x" * 65])
def test_a_personal_qr_platform_id_is_checked(someone, qid):
    refused(with_field(pccovid_text(someone), 4, qid), "fields", Reason.VN_QR_MALFORMED)


# --- identity: the ID number agrees with the date of birth and sex ------------------------------


def test_a_changed_birth_year_no_longer_matches_the_id_number(someone):
    born = someone.birth_date.replace(year=someone.birth_date.year - 10)
    text = with_field(cccd_text(someone, ISSUED), 3, born.strftime("%d%m%Y"))
    result = verify(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.VN_ID_MISMATCH)
    assert result.check("status").code == Reason.STATUS_LIST_MISSING  # the other checks still ran
    assert "birth year" in result.check("identity").message


def test_a_changed_sex_no_longer_matches_the_id_number(someone):
    other = "Nữ" if someone.sex == "M" else "Nam"
    result = verify(with_field(cccd_text(someone, ISSUED), 4, other))
    assert (result.status, result.reason) == (Status.INVALID, Reason.VN_ID_MISMATCH)
    assert "sex" in result.check("identity").message


def test_a_personal_qr_with_a_changed_birth_year_is_refused(someone):
    born = someone.birth_date.replace(year=someone.birth_date.year + 1).isoformat()
    result = verify(with_field(pccovid_text(someone), 2, born))
    assert (result.status, result.reason) == (Status.INVALID, Reason.VN_ID_MISMATCH)


def test_the_twenty_first_century_is_coded_too():
    child = person(6, sex="F", birth_date=date(2011, 9, 2))
    assert child.id_number[3] == "3"
    result = verify(cccd_text(child, ISSUED))
    assert result.check("identity").ok, result.checks


def test_a_signature_in_the_extension_does_not_make_a_personal_qr_valid(someone):
    signed_looking = pccovid_text(someone) + "<MEUCIQDE5j+yB4HK0ERAtSyKe2Svj+2NQsxBfD1/xTzcjECFsQ=="
    result = verify(signed_looking)
    assert result.check("fields").ok
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.STATUS_LIST_MISSING)
