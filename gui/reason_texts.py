"""Reason codes in the guard's words, marked for translation (context "Reason").

The station core keeps English messages beside each code (`station.reasons`); the GUI shows
translated ones, so every code is listed here as a literal `lupdate` can find. A test checks
that this table covers every Reason and agrees with the core's English.
"""

from __future__ import annotations

from gui.texts import QT_TRANSLATE_NOOP, Text
from station.reasons import Reason

REASON_TEXTS: dict[str, Text] = {
    Reason.OK: QT_TRANSLATE_NOOP("Reason", "Passed."),
    Reason.NOT_REACHED: QT_TRANSLATE_NOOP("Reason", "Not checked: an earlier step failed."),
    Reason.NOT_APPLICABLE: QT_TRANSLATE_NOOP("Reason", "Does not apply to this pass."),
    Reason.INPUT_EMPTY: QT_TRANSLATE_NOOP("Reason", "Nothing was scanned."),
    Reason.INPUT_TOO_LONG: QT_TRANSLATE_NOOP(
        "Reason",
        "The code holds more data than a QR code can: it is not a real pass.",
    ),
    Reason.NOT_A_HEALTH_CREDENTIAL: QT_TRANSLATE_NOOP(
        "Reason",
        "This code is not a health pass or ID QR this station knows.",
    ),
    Reason.PREFIX_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Reason",
        "This pass uses a version this station does not support.",
    ),
    Reason.REQUEST_MALFORMED: QT_TRANSLATE_NOOP("Reason", "The request could not be read."),
    Reason.IMAGE_UNREADABLE: QT_TRANSLATE_NOOP("Reason", "The picture could not be opened."),
    Reason.NO_CODE_FOUND: QT_TRANSLATE_NOOP("Reason", "No QR code could be read in the picture."),
    Reason.SEVERAL_CODES: QT_TRANSLATE_NOOP(
        "Reason",
        "Several QR codes were seen at once: show one code at a time.",
    ),
    Reason.NOT_A_QR_CODE: QT_TRANSLATE_NOOP(
        "Reason",
        "This is another kind of barcode (a product or ticket code), not a pass.",
    ),
    Reason.BASE45_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass text is damaged (it contains characters a pass cannot have).",
    ),
    Reason.NOT_COMPRESSED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass is not packed the way genuine passes are.",
    ),
    Reason.DECOMPRESS_FAILED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass data is damaged and cannot be unpacked.",
    ),
    Reason.TOO_LARGE: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass unpacks to far more data than a real pass holds.",
    ),
    Reason.TRAILING_DATA: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass has extra data attached to it: it has been tampered with.",
    ),
    Reason.CBOR_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass content is damaged or not in the expected form.",
    ),
    Reason.CBOR_DUPLICATE_KEY: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass content has a field twice: it has been tampered with.",
    ),
    Reason.COSE_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "The signed envelope of the pass is damaged.",
    ),
    Reason.CWT_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass content is not in the expected form.",
    ),
    Reason.CWT_CLAIM_MISSING: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass lacks its issue or expiry date.",
    ),
    Reason.CWT_CLAIM_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass has an issue or expiry date in the wrong form.",
    ),
    Reason.PAYLOAD_MISSING: QT_TRANSLATE_NOOP("Reason", "The pass holds no health certificate."),
    Reason.ALG_MISSING: QT_TRANSLATE_NOOP("Reason", "The pass does not say how it was signed."),
    Reason.ALG_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass is signed with a method that is not allowed.",
    ),
    Reason.KID_MISSING: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass does not say which issuer key signed it.",
    ),
    Reason.KID_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass names its issuer key in a wrong form.",
    ),
    Reason.KID_UNKNOWN: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass was signed by an issuer this station does not trust or know.",
    ),
    Reason.KEY_ALG_MISMATCH: QT_TRANSLATE_NOOP(
        "Reason",
        "The issuer key does not match the signing method the pass claims.",
    ),
    Reason.KEY_TOO_WEAK: QT_TRANSLATE_NOOP("Reason", "The issuer key is too weak to be trusted."),
    Reason.SIGNATURE_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "The signature of the pass is damaged.",
    ),
    Reason.SIGNATURE_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The signature does not match: the pass was altered or forged.",
    ),
    Reason.NOT_YET_VALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass is dated in the future: it is not valid yet.",
    ),
    Reason.EXPIRED: QT_TRANSLATE_NOOP("Reason", "The pass has expired."),
    Reason.SIGNER_NOT_VALID_AT_ISSUE: QT_TRANSLATE_NOOP(
        "Reason",
        "The issuer key was not valid on the day of issue.",
    ),
    Reason.EXPIRES_AFTER_SIGNER: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass claims to last longer than its issuer key.",
    ),
    Reason.KEY_USAGE_MISMATCH: QT_TRANSLATE_NOOP(
        "Reason",
        "The issuer key may not sign this kind of certificate.",
    ),
    Reason.SCHEMA_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The certificate content is incomplete or in the wrong form.",
    ),
    Reason.VALUE_NOT_IN_VALUE_SET: QT_TRANSLATE_NOOP(
        "Reason",
        "The certificate names a vaccine, test, result or country this station does not recognise.",
    ),
    Reason.CERTIFICATE_TYPE_AMBIGUOUS: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass must hold exactly one vaccination, test or recovery record.",
    ),
    Reason.REVOKED: QT_TRANSLATE_NOOP(
        "Reason",
        "This pass has been revoked by its issuer: do not accept it.",
    ),
    Reason.SIGNER_REVOKED: QT_TRANSLATE_NOOP(
        "Reason",
        "The issuer key that signed this pass has been withdrawn.",
    ),
    Reason.DATA_STALE: QT_TRANSLATE_NOOP(
        "Reason",
        "The station's trust data is out of date: check the pass by hand.",
    ),
    Reason.CLOCK_UNTRUSTED: QT_TRANSLATE_NOOP(
        "Reason", "The station's clock is not trusted: check the pass's dates by hand."
    ),
    Reason.RULE_FAILED: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass does not meet the rules that apply here.",
    ),
    Reason.RULE_OPEN: QT_TRANSLATE_NOOP(
        "Reason",
        "A rule could not be checked automatically: check the pass by hand.",
    ),
    Reason.NO_RULES_APPLY: QT_TRANSLATE_NOOP(
        "Reason",
        "No rules are set here for this kind of pass: check the pass by hand.",
    ),
    Reason.DIVOC_ZIP_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass is not packed the way genuine passes are: it cannot be read.",
    ),
    Reason.DIVOC_ZIP_UNSAFE: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass holds extra or disguised files: it has been tampered with.",
    ),
    Reason.DIVOC_JSON_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The certificate inside the pass is damaged or in the wrong form.",
    ),
    Reason.DIVOC_CONTEXT_UNKNOWN: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass uses definitions this station does not hold, so its signature cannot be checked.",
    ),
    Reason.DIVOC_JSONLD_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass holds details its signature does not cover: do not accept it.",
    ),
    Reason.DIVOC_ISSUER_UNTRUSTED: QT_TRANSLATE_NOOP(
        "Reason",
        "This vaccination certificate was not issued by an issuer this station trusts.",
    ),
    Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Reason",
        "This station holds no keys to check DIVOC vaccination certificates: check by hand.",
    ),
    Reason.SHC_NUMERIC_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass text is damaged (its digits are not those of a SMART Health Card).",
    ),
    Reason.SHC_CHUNK_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The parts of this multi-part pass do not belong together.",
    ),
    Reason.SHC_CHUNK_MISSING: QT_TRANSLATE_NOOP(
        "Reason",
        "This pass is split over several QR codes: scan every part.",
    ),
    Reason.SHC_JWS_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "The signed envelope of the SMART Health Card is damaged.",
    ),
    Reason.SHC_ISSUER_KEYS_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Reason",
        "This station holds no keys to check SMART Health Cards: check the pass by hand.",
    ),
    Reason.SHC_KEY_THUMBPRINT_MISMATCH: QT_TRANSLATE_NOOP(
        "Reason",
        "The station's copy of the issuer key does not match its key identifier.",
    ),
    Reason.SHC_PAYLOAD_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The SMART Health Card content is damaged or not in the expected form.",
    ),
    Reason.SHC_ISSUER_MISMATCH: QT_TRANSLATE_NOOP(
        "Reason",
        "The card names another issuer than the one whose key signed it.",
    ),
    Reason.VN_QR_MALFORMED: QT_TRANSLATE_NOOP(
        "Reason",
        "This ID QR is damaged or not in the expected form.",
    ),
    Reason.VN_DATE_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The ID QR holds a date that does not exist or lies in the future.",
    ),
    Reason.VN_ID_NUMBER_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The ID number in the QR is not a valid Vietnamese ID number.",
    ),
    Reason.VN_ID_MISMATCH: QT_TRANSLATE_NOOP(
        "Reason",
        "The ID number does not match the birth date or sex in the QR: it has been altered.",
    ),
    Reason.STATUS_POSITIVE: QT_TRANSLATE_NOOP(
        "Reason",
        "The national status list records this person as testing positive: do not let them in.",
    ),
    Reason.STATUS_ISOLATING: QT_TRANSLATE_NOOP(
        "Reason",
        "The national status list says this person must stay in isolation: do not let them in.",
    ),
    Reason.STATUS_CLOSE_CONTACT: QT_TRANSLATE_NOOP(
        "Reason",
        "The national status list records this person as a close contact of a case: do "
        "not let them in.",
    ),
    Reason.STATUS_NOT_LISTED: QT_TRANSLATE_NOOP(
        "Reason",
        "No vaccination, test or recovery is on record for this person: ask for a signed pass.",
    ),
    Reason.STATUS_ENTRY_EXPIRED: QT_TRANSLATE_NOOP(
        "Reason",
        "This person's record on the national status list has run out: ask for a signed pass.",
    ),
    Reason.STATUS_LIST_MISSING: QT_TRANSLATE_NOOP(
        "Reason",
        "This station has no national status list: ask for a signed vaccination, test or "
        "recovery pass.",
    ),
    Reason.STATUS_NOT_SEARCHABLE: QT_TRANSLATE_NOOP(
        "Reason",
        "This QR has no citizen ID number to look up on the national status list: ask for"
        " a signed pass.",
    ),
    Reason.BASE32_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass text is damaged (it is not in the form an NZ COVID Pass has).",
    ),
    Reason.NZCP_ISSUER_UNTRUSTED: QT_TRANSLATE_NOOP(
        "Reason",
        "This NZ COVID Pass was not issued by the NZ Ministry of Health.",
    ),
    Reason.NZCP_ISSUER_KEYS_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Reason",
        "This station holds no keys to check NZ COVID Passes: check the pass by hand.",
    ),
    Reason.NZCP_CREDENTIAL_ID_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The pass lacks a valid pass number.",
    ),
    Reason.NZCP_PASS_TYPE_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Reason",
        "This kind of NZ COVID Pass is not accepted here.",
    ),
    Reason.VDS_JSON_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal text is damaged or not written the way genuine seals are.",
    ),
    Reason.VDS_DUPLICATE_KEY: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal content has a field twice: it has been tampered with.",
    ),
    Reason.VDS_TOO_DEEP: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal content is nested far deeper than a genuine seal.",
    ),
    Reason.VDS_STRUCTURE_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal lacks its header, message or signature part.",
    ),
    Reason.VDS_TYPE_UNSUPPORTED: QT_TRANSLATE_NOOP(
        "Reason",
        "This kind of ICAO seal is not read here (only vaccination and test seals are).",
    ),
    Reason.VDS_SIGNER_CERT_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The signing certificate inside the seal is damaged.",
    ),
    Reason.VDS_TRUST_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Reason",
        "This station holds no country authorities to check ICAO seals: check the pass by hand.",
    ),
    Reason.VDS_ISSUER_UNKNOWN: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal comes from a country this station does not trust.",
    ),
    Reason.VDS_CHAIN_INVALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The seal was not signed under the issuing country's authority: it may be forged.",
    ),
    Reason.VDS_SIGNER_EXPIRED: QT_TRANSLATE_NOOP(
        "Reason",
        "The certificate that signed the seal has expired.",
    ),
    Reason.VDS_SIGNER_NOT_YET_VALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The certificate that signed the seal is not valid yet.",
    ),
    Reason.VDS_AUTHORITY_NOT_VALID: QT_TRANSLATE_NOOP(
        "Reason",
        "The country authority behind the seal is not valid now.",
    ),
}


def reason_text(code: str) -> Text:
    """The guard-facing text of a reason code (an unknown code is shown as itself)."""
    found = REASON_TEXTS.get(code)
    return found if found is not None else Text("Reason", code)
