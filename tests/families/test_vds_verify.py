"""ICAO VDS-NC seals verified end to end: real CSCA, real barcode signers, real signatures."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from station.adapters.clock import FixedClock
from station.config import VerifierConfig
from station.issuer.pki import new_key
from station.issuer.vds import (
    SealOptions,
    SignerOptions,
    b64url,
    issue_vds,
    lab_test_message,
    make_barcode_signer,
    make_country_authority,
    seal_document,
    sign_data,
    to_text,
    vaccination_message,
)
from station.ports import TrustSources
from station.reasons import Reason, Status
from station.rules.profiles import profile_by_name
from station.trust.index import TrustIndex
from station.verify import vds
from station.verify.verifier import Verifier

pytest_plugins = ["vds_fixtures"]


def test_valid_vaccination_seal(vds_verifier, vds_signer, vds_authority):
    result = vds_verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert (result.status, result.format) == (Status.VALID, "vds")
    assert [check.name for check in result.checks] == list(vds.CHECK_NAMES)
    holder = result.holder
    assert holder is not None
    assert (holder.name, holder.date_of_birth) == ("NGUYEN  VAN AN", "1990-05-17")
    assert (holder.family_name, holder.given_name) == ("NGUYEN", "VAN AN")
    assert result.details["summary"] == {
        "vaccine": "XM68M6",
        "product": "Comirnaty",
        "doses": 2,
        "last_dose": "2021-10-01",
    }
    assert result.details["authority_kid"] == vds_authority.issuer_key()["kid"]
    assert result.details["signer_serial"] == format(vds_signer.serial, "x")


def test_valid_test_seal(vds_verifier, vds_signer):
    seal = issue_vds(vds_signer, lab_test_message(), SealOptions(seal_type="icao.test"))
    result = vds_verifier.verify(seal)
    assert result.status is Status.VALID
    assert result.details["summary"]["result"] == "negative"


def test_layout_and_member_order_do_not_matter(vds_verifier, vds_signer):
    document = seal_document(vds_signer, vaccination_message())
    header = dict(reversed(list(document["data"]["hdr"].items())))
    reordered = {"sig": document["sig"], "data": {"msg": document["data"]["msg"], "hdr": header}}
    text = json.dumps(reordered, indent=4, ensure_ascii=True)
    assert vds_verifier.verify(text).status is Status.VALID


@pytest.mark.parametrize("algorithm", ["ES384", "ES512"])
def test_larger_curves(verifier_for, vds_authority, algorithm):
    signer = make_barcode_signer(vds_authority, SignerOptions(algorithm=algorithm))
    verifier = verifier_for({"VNM": [vds_authority.issuer_key()]})
    assert verifier.verify(issue_vds(signer, vaccination_message())).status is Status.VALID


def test_tampered_message(vds_verifier, vds_signer):
    document = seal_document(vds_signer, vaccination_message())
    document["data"]["msg"]["pid"]["dob"] = "1999-05-17"
    result = vds_verifier.verify(to_text(document))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNATURE_INVALID)
    assert result.holder is not None and result.holder.date_of_birth == "1999-05-17"


def test_swapped_certificate_breaks_the_signature(vds_verifier, vds_signer, vds_authority):
    other = make_barcode_signer(vds_authority)
    document = seal_document(vds_signer, vaccination_message())
    document["sig"]["cer"] = b64url(other.der)
    result = vds_verifier.verify(to_text(document))
    assert result.reason == Reason.SIGNATURE_INVALID
    assert result.check("chain").ok is True  # the other signer is genuine, just not this one


def test_expired_signer(verifier_for, vds_authority, now):
    old = make_barcode_signer(
        vds_authority, SignerOptions(not_before=datetime(2021, 1, 1, tzinfo=UTC), valid_days=365)
    )
    result = verifier_for({"VNM": [vds_authority.issuer_key()]}).verify(
        issue_vds(old, vaccination_message())
    )
    assert (result.status, result.reason) == (Status.INVALID, Reason.VDS_SIGNER_EXPIRED)


def test_signer_not_yet_valid(verifier_for, vds_authority, now):
    later = make_barcode_signer(vds_authority, SignerOptions(not_before=now + timedelta(days=3)))
    result = verifier_for({"VNM": [vds_authority.issuer_key()]}).verify(
        issue_vds(later, vaccination_message())
    )
    assert (result.status, result.reason) == (Status.INVALID, Reason.VDS_SIGNER_NOT_YET_VALID)


def test_expired_country_authority(verifier_for, now):
    authority = make_country_authority(
        "VN", not_before=datetime(2016, 1, 1, tzinfo=UTC), valid_days=3650
    )
    signer = make_barcode_signer(authority)
    result = verifier_for({"VNM": [authority.issuer_key()]}).verify(
        issue_vds(signer, vaccination_message())
    )
    assert (result.status, result.reason) == (Status.INVALID, Reason.VDS_AUTHORITY_NOT_VALID)


def test_seal_attesting_a_future_dose(vds_verifier, vds_signer, now):
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    result = vds_verifier.verify(issue_vds(vds_signer, vaccination_message(doses=(tomorrow,))))
    assert (result.status, result.reason) == (Status.INVALID, Reason.NOT_YET_VALID)


def test_unknown_issuing_country(vds_verifier, vds_signer):
    result = vds_verifier.verify(
        issue_vds(vds_signer, vaccination_message(), SealOptions(issuer="THA"))
    )
    assert (result.status, result.reason) == (Status.INVALID, Reason.VDS_ISSUER_UNKNOWN)


def test_signer_from_an_untrusted_authority(vds_verifier):
    stranger = make_barcode_signer(make_country_authority("VN"))
    result = vds_verifier.verify(issue_vds(stranger, vaccination_message()))
    assert (result.status, result.reason) == (Status.INVALID, Reason.VDS_CHAIN_INVALID)
    assert result.check("signature").ok is True


@pytest.mark.parametrize(
    ("options", "detail"),
    [
        (SignerOptions(forge_with=new_key()), "signature does not verify"),
        (SignerOptions(wrong_authority_key_id=True), "authority key identifier differs"),
        (SignerOptions(ca=True), "a CA certificate cannot sign seals itself"),
    ],
)
def test_forged_or_misbuilt_chains(vds_verifier, vds_authority, options, detail):
    signer = make_barcode_signer(vds_authority, options)
    check = vds_verifier.verify(issue_vds(signer, vaccination_message())).check("chain")
    assert check is not None and check.code == Reason.VDS_CHAIN_INVALID
    assert detail in check.message


def test_the_authority_itself_cannot_sign_seals(vds_verifier, vds_authority):
    from station.issuer.vds import BarcodeSigner

    as_signer = BarcodeSigner(vds_authority.key, vds_authority.der, "ES256")
    result = vds_verifier.verify(issue_vds(as_signer, vaccination_message()))
    assert result.reason == Reason.VDS_CHAIN_INVALID


def test_signer_without_authority_key_identifier_still_chains(vds_verifier, vds_authority):
    signer = make_barcode_signer(vds_authority, SignerOptions(authority_key_id=False))
    assert vds_verifier.verify(issue_vds(signer, vaccination_message())).status is Status.VALID


def test_a_second_authority_of_the_same_country(verifier_for, vds_authority, vds_signer):
    rollover = make_country_authority("VN")
    keys = [rollover.issuer_key(), vds_authority.issuer_key()]
    assert verifier_for({"VNM": keys}).verify(issue_vds(vds_signer, vaccination_message())).valid


def test_an_entry_whose_kid_is_not_its_certificate_is_not_believed(
    verifier_for, vds_authority, vds_signer
):
    entry = {**vds_authority.issuer_key(), "kid": "0" * 64}
    result = verifier_for({"VNM": [entry]}).verify(issue_vds(vds_signer, vaccination_message()))
    assert result.reason == Reason.VDS_ISSUER_UNKNOWN


@pytest.mark.parametrize("form", ["hex", "colons", "int"])
def test_revoked_signer(verifier_for, vds_authority, vds_signer, form):
    serial = vds_signer.serial
    listed = {
        "hex": format(serial, "X"),
        "colons": ":".join(f"{b:02x}" for b in serial.to_bytes(20, "big")),
        "int": serial,
    }[form]
    verifier = verifier_for({"VNM": [vds_authority.issuer_key([listed])]})
    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert (result.status, result.reason) == (Status.INVALID, Reason.SIGNER_REVOKED)


def test_revocation_list_naming_other_signers(verifier_for, vds_authority, vds_signer):
    verifier = verifier_for({"VNM": [vds_authority.issuer_key(["01", 2])]})
    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert result.status is Status.VALID and result.check("revocation").ok is True


def test_no_revocation_check_without_a_held_list(vds_verifier, vds_signer):
    result = vds_verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert result.check("revocation") is None


def test_unreadable_revocation_list_fails_closed(verifier_for, vds_authority, vds_signer):
    verifier = verifier_for({"VNM": [vds_authority.issuer_key(["not-hex"])]})
    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert (result.status, result.reason) == (
        Status.CHECK_MANUALLY,
        Reason.VDS_TRUST_UNAVAILABLE,
    )


@pytest.mark.parametrize(
    ("alg", "reason"),
    [
        ("ES384", Reason.KEY_ALG_MISMATCH),
        ("none", Reason.ALG_UNSUPPORTED),
        ("HS256", Reason.ALG_UNSUPPORTED),
        ("RS256", Reason.ALG_UNSUPPORTED),
        ("es256", Reason.ALG_UNSUPPORTED),
        (-7, Reason.ALG_UNSUPPORTED),
        (None, Reason.ALG_MISSING),
        ("omit", Reason.ALG_MISSING),
    ],
)
def test_wrong_or_missing_algorithm(vds_verifier, vds_signer, alg, reason):
    document = seal_document(vds_signer, vaccination_message(), SealOptions(alg=alg))
    if alg is None:
        document["sig"]["alg"] = None
    result = vds_verifier.verify(to_text(document))
    assert (result.status, result.check("signature").code) == (Status.INVALID, reason)


def test_rsa_signer_is_refused(verifier_for, vds_authority):
    rsa_signer = make_barcode_signer(vds_authority, SignerOptions(algorithm="PS256"))
    document = seal_document(
        make_barcode_signer(vds_authority), vaccination_message(), SealOptions(alg="ES256")
    )
    document["sig"]["cer"] = b64url(rsa_signer.der)
    result = verifier_for({"VNM": [vds_authority.issuer_key()]}).verify(to_text(document))
    assert result.check("signature").code == Reason.KEY_ALG_MISMATCH


@pytest.mark.parametrize(
    "mangle",
    [
        lambda sig: base64.b64encode(base64.urlsafe_b64decode(sig + "==")).decode() + "+/",
        lambda sig: sig[:-4],
        lambda sig: sig + "AAAA",
        lambda sig: "",
    ],
)
def test_malformed_signature_value(vds_verifier, vds_signer, mangle):
    document = seal_document(vds_signer, vaccination_message())
    document["sig"]["sigvl"] = mangle(document["sig"]["sigvl"])
    result = vds_verifier.verify(to_text(document))
    assert result.check("signature").code == Reason.SIGNATURE_MALFORMED


def test_der_encoded_signature_is_refused(vds_verifier, vds_signer):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    from station.verify.vds_json import canonical_json

    document = seal_document(vds_signer, vaccination_message())
    der = vds_signer.key.sign(canonical_json(document["data"]), ec.ECDSA(hashes.SHA256()))
    document["sig"]["sigvl"] = b64url(der)
    assert vds_verifier.verify(to_text(document)).check("signature").code in {
        Reason.SIGNATURE_MALFORMED
    }


@pytest.mark.parametrize(
    ("usages", "ok"),
    [(None, True), (("2.23.136.1.1.14.2",), True), (("1.3.6.1.5.5.7.3.4",), False)],
)
def test_signer_key_usage(verifier_for, vds_authority, usages, ok):
    signer = make_barcode_signer(vds_authority, SignerOptions(usages=usages))
    result = verifier_for({"VNM": [vds_authority.issuer_key()]}).verify(
        issue_vds(signer, vaccination_message())
    )
    assert result.valid is ok
    if not ok:
        assert result.reason == Reason.KEY_USAGE_MISMATCH


def test_station_without_issuer_keys_asks_for_a_manual_check(vds_signer, now):
    verifier = Verifier(TrustSources(TrustIndex()), FixedClock(now))
    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert (result.status, result.reason) == (
        Status.CHECK_MANUALLY,
        Reason.VDS_TRUST_UNAVAILABLE,
    )
    assert result.check("signature").ok is True and result.holder is not None


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (SealOptions(seal_type="icao.visa"), Reason.VDS_TYPE_UNSUPPORTED),
        (SealOptions(version=2), Reason.VDS_TYPE_UNSUPPORTED),
        (SealOptions(version=True), Reason.VDS_TYPE_UNSUPPORTED),
        (SealOptions(version="1"), Reason.VDS_TYPE_UNSUPPORTED),
        (SealOptions(issuer="vn"), Reason.VDS_STRUCTURE_INVALID),
        (SealOptions(issuer="VIETNAM"), Reason.VDS_STRUCTURE_INVALID),
    ],
)
def test_header(vds_verifier, vds_signer, options, reason):
    result = vds_verifier.verify(issue_vds(vds_signer, vaccination_message(), options))
    assert (result.status, result.check("structure").code) == (Status.INVALID, reason)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["sig"].update(kid="x"),
        lambda d: d.update(extra=1),
        lambda d: d["data"].update(opt="x"),
        lambda d: d["data"]["hdr"].pop("is"),
        lambda d: d.pop("sig"),
        lambda d: d["sig"].update(cer=7),
        lambda d: d["data"].update(msg=[]),
    ],
)
def test_envelope_is_strict(vds_verifier, vds_signer, edit):
    document = seal_document(vds_signer, vaccination_message())
    edit(document)
    result = vds_verifier.verify(to_text(document))
    assert result.check("structure").code == Reason.VDS_STRUCTURE_INVALID


def _vacc_without(*path: str):
    message = vaccination_message()
    target = message
    for key in path[:-1]:
        target = target[key] if isinstance(target, dict) else target[int(key)]
    del target[path[-1]]
    return message


@pytest.mark.parametrize(
    ("message", "where"),
    [
        (_vacc_without("uvci"), "msg.uvci"),
        (_vacc_without("pid", "n"), "msg.pid.n"),
        (_vacc_without("ve"), "msg.ve"),
        (_vacc_without("ve", "0", "vd", "0", "lot"), "msg.ve[0].vd[0].lot"),
        (vaccination_message(dob="1990-13-01"), "msg.pid.dob"),
        (vaccination_message(doses=("2021-9-1",)), "msg.ve[0].vd[0].dvc"),
        (vaccination_message(doses=("2021-01-01",) * 21), "msg.ve[0].vd"),
    ],
)
def test_vaccination_message_is_checked(vds_verifier, vds_signer, message, where):
    result = vds_verifier.verify(issue_vds(vds_signer, message))
    check = result.check("content")
    assert (result.status, check.code) == (Status.INVALID, Reason.SCHEMA_INVALID)
    assert where in check.message
    assert result.check("signature").ok is True


def test_date_of_birth_is_needed_without_a_document_number(vds_verifier, vds_signer):
    message = vaccination_message()
    del message["pid"]["dob"], message["pid"]["i"]
    assert vds_verifier.verify(issue_vds(vds_signer, message)).reason == Reason.SCHEMA_INVALID


def test_test_message_is_checked(vds_verifier, vds_signer):
    message = lab_test_message()
    message["dat"]["sc"] = "2026-05-31T08:00:00"  # no time zone
    result = vds_verifier.verify(issue_vds(vds_signer, message, SealOptions(seal_type="icao.test")))
    assert result.check("content").code == Reason.SCHEMA_INVALID


def test_a_station_with_eu_rules_asks_for_a_manual_check(verifier_for, vds_authority, vds_signer):
    config = VerifierConfig(rules=profile_by_name("checkpoint"))
    verifier = verifier_for({"VNM": [vds_authority.issuer_key()]}, config)
    result = verifier.verify(issue_vds(vds_signer, vaccination_message()))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.NO_RULES_APPLY)


@pytest.mark.parametrize(
    "text",
    ['{"data": {}, "sig": {}}', "[1, 2]", '{"hdr"', ' \n{"hdr": 1}'],
)
def test_routing(vds_verifier, text):
    result = vds_verifier.verify(text)
    expected = "vds" if '"hdr"' in text and text.lstrip().startswith("{") else "unknown"
    assert (result.format, result.status) == (expected, Status.INVALID)


def test_signature_is_made_over_the_canonical_data(vds_signer):
    document = seal_document(vds_signer, vaccination_message())
    assert sign_data(vds_signer, document["data"]) != document["sig"]["sigvl"]  # ECDSA is random


def test_trust_changes_are_seen_on_the_next_scan(tmp_path, vds_authority, vds_signer, now):
    from station.cache.database import open_cache
    from station.cache.issuer_keys import IssuerKeyCache
    from station.cache.trust_view import CachedTrust

    cache = open_cache(tmp_path / "live.sqlite")
    keys = IssuerKeyCache(cache)
    keys.import_keys("vds", "VNM", [vds_authority.issuer_key()])
    verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
    seal = issue_vds(vds_signer, vaccination_message())
    assert verifier.verify(seal).status is Status.VALID
    keys.import_keys("vds", "VNM", [vds_authority.issuer_key([vds_signer.serial])])
    assert verifier.verify(seal).reason == Reason.SIGNER_REVOKED
    with open_cache(tmp_path / "live.sqlite") as other_process:  # as `station sync` would
        IssuerKeyCache(other_process).remove_issuer("vds", "VNM")
    assert verifier.verify(seal).reason == Reason.VDS_ISSUER_UNKNOWN
