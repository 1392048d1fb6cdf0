"""Reason codes, verdict statuses and the one table that maps a reason to a verdict.

Reason codes are stable UPPER_SNAKE strings: they are logged, uploaded and translated by the GUI,
so a code never changes meaning once released.  The English messages here are written for a
guard at a checkpoint, not for a developer.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The verdict a guard acts on."""

    VALID = "VALID"
    INVALID = "INVALID"
    CHECK_MANUALLY = "CHECK_MANUALLY"


class Reason(StrEnum):
    """Why a check passed, failed or did not run."""

    OK = "OK"
    NOT_REACHED = "NOT_REACHED"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    # Input and routing
    INPUT_EMPTY = "INPUT_EMPTY"
    INPUT_TOO_LONG = "INPUT_TOO_LONG"
    NOT_A_HEALTH_CREDENTIAL = "NOT_A_HEALTH_CREDENTIAL"
    PREFIX_UNSUPPORTED = "PREFIX_UNSUPPORTED"
    REQUEST_MALFORMED = "REQUEST_MALFORMED"
    IMAGE_UNREADABLE = "IMAGE_UNREADABLE"
    NO_CODE_FOUND = "NO_CODE_FOUND"
    SEVERAL_CODES = "SEVERAL_CODES"
    NOT_A_QR_CODE = "NOT_A_QR_CODE"
    # Transport decoding
    BASE45_INVALID = "BASE45_INVALID"
    NOT_COMPRESSED = "NOT_COMPRESSED"
    DECOMPRESS_FAILED = "DECOMPRESS_FAILED"
    TOO_LARGE = "TOO_LARGE"
    TRAILING_DATA = "TRAILING_DATA"
    # COSE / CBOR structure
    CBOR_MALFORMED = "CBOR_MALFORMED"
    CBOR_DUPLICATE_KEY = "CBOR_DUPLICATE_KEY"
    COSE_MALFORMED = "COSE_MALFORMED"
    CWT_MALFORMED = "CWT_MALFORMED"
    CWT_CLAIM_MISSING = "CWT_CLAIM_MISSING"
    CWT_CLAIM_INVALID = "CWT_CLAIM_INVALID"
    PAYLOAD_MISSING = "PAYLOAD_MISSING"
    # Signature and trust
    ALG_MISSING = "ALG_MISSING"
    ALG_UNSUPPORTED = "ALG_UNSUPPORTED"
    KID_MISSING = "KID_MISSING"
    KID_INVALID = "KID_INVALID"
    KID_UNKNOWN = "KID_UNKNOWN"
    KEY_ALG_MISMATCH = "KEY_ALG_MISMATCH"
    KEY_TOO_WEAK = "KEY_TOO_WEAK"
    SIGNATURE_MALFORMED = "SIGNATURE_MALFORMED"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    # Validity period
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    SIGNER_NOT_VALID_AT_ISSUE = "SIGNER_NOT_VALID_AT_ISSUE"
    EXPIRES_AFTER_SIGNER = "EXPIRES_AFTER_SIGNER"
    # Key usage and content
    KEY_USAGE_MISMATCH = "KEY_USAGE_MISMATCH"
    SCHEMA_INVALID = "SCHEMA_INVALID"
    VALUE_NOT_IN_VALUE_SET = "VALUE_NOT_IN_VALUE_SET"
    CERTIFICATE_TYPE_AMBIGUOUS = "CERTIFICATE_TYPE_AMBIGUOUS"
    # Revocation and data freshness
    REVOKED = "REVOKED"
    SIGNER_REVOKED = "SIGNER_REVOKED"
    DATA_STALE = "DATA_STALE"
    CLOCK_UNTRUSTED = "CLOCK_UNTRUSTED"
    # Business rules
    RULE_FAILED = "RULE_FAILED"
    RULE_OPEN = "RULE_OPEN"
    NO_RULES_APPLY = "NO_RULES_APPLY"
    # DIVOC vaccination certificates (CoWIN India, Sri Lanka, Philippines, Indonesia: ZIP QR)
    DIVOC_ZIP_INVALID = "DIVOC_ZIP_INVALID"
    DIVOC_ZIP_UNSAFE = "DIVOC_ZIP_UNSAFE"
    DIVOC_JSON_INVALID = "DIVOC_JSON_INVALID"
    DIVOC_CONTEXT_UNKNOWN = "DIVOC_CONTEXT_UNKNOWN"
    DIVOC_JSONLD_INVALID = "DIVOC_JSONLD_INVALID"
    DIVOC_ISSUER_UNTRUSTED = "DIVOC_ISSUER_UNTRUSTED"
    DIVOC_ISSUER_KEYS_UNAVAILABLE = "DIVOC_ISSUER_KEYS_UNAVAILABLE"
    # SMART Health Cards (shc:/)
    SHC_NUMERIC_INVALID = "SHC_NUMERIC_INVALID"
    SHC_CHUNK_INVALID = "SHC_CHUNK_INVALID"
    SHC_CHUNK_MISSING = "SHC_CHUNK_MISSING"
    SHC_JWS_MALFORMED = "SHC_JWS_MALFORMED"
    SHC_ISSUER_KEYS_UNAVAILABLE = "SHC_ISSUER_KEYS_UNAVAILABLE"
    SHC_KEY_THUMBPRINT_MISMATCH = "SHC_KEY_THUMBPRINT_MISMATCH"
    SHC_PAYLOAD_INVALID = "SHC_PAYLOAD_INVALID"
    SHC_ISSUER_MISMATCH = "SHC_ISSUER_MISMATCH"
    # Vietnam national QRs (PC-Covid personal QR, CCCD chip ID card, health-insurance card)
    VN_QR_MALFORMED = "VN_QR_MALFORMED"
    VN_DATE_INVALID = "VN_DATE_INVALID"
    VN_ID_NUMBER_INVALID = "VN_ID_NUMBER_INVALID"
    VN_ID_MISMATCH = "VN_ID_MISMATCH"
    STATUS_POSITIVE = "STATUS_POSITIVE"
    STATUS_ISOLATING = "STATUS_ISOLATING"
    STATUS_CLOSE_CONTACT = "STATUS_CLOSE_CONTACT"
    STATUS_NOT_LISTED = "STATUS_NOT_LISTED"
    STATUS_ENTRY_EXPIRED = "STATUS_ENTRY_EXPIRED"
    STATUS_LIST_MISSING = "STATUS_LIST_MISSING"
    STATUS_NOT_SEARCHABLE = "STATUS_NOT_SEARCHABLE"
    # NZ COVID Pass (NZCP:/1/)
    BASE32_INVALID = "BASE32_INVALID"
    NZCP_ISSUER_UNTRUSTED = "NZCP_ISSUER_UNTRUSTED"
    NZCP_ISSUER_KEYS_UNAVAILABLE = "NZCP_ISSUER_KEYS_UNAVAILABLE"
    NZCP_CREDENTIAL_ID_INVALID = "NZCP_CREDENTIAL_ID_INVALID"
    NZCP_PASS_TYPE_UNSUPPORTED = "NZCP_PASS_TYPE_UNSUPPORTED"
    # ICAO VDS-NC seals (JSON with a detached signature over canonical `data`)
    VDS_JSON_INVALID = "VDS_JSON_INVALID"
    VDS_DUPLICATE_KEY = "VDS_DUPLICATE_KEY"
    VDS_TOO_DEEP = "VDS_TOO_DEEP"
    VDS_STRUCTURE_INVALID = "VDS_STRUCTURE_INVALID"
    VDS_TYPE_UNSUPPORTED = "VDS_TYPE_UNSUPPORTED"
    VDS_SIGNER_CERT_INVALID = "VDS_SIGNER_CERT_INVALID"
    VDS_TRUST_UNAVAILABLE = "VDS_TRUST_UNAVAILABLE"
    VDS_ISSUER_UNKNOWN = "VDS_ISSUER_UNKNOWN"
    VDS_CHAIN_INVALID = "VDS_CHAIN_INVALID"
    VDS_SIGNER_EXPIRED = "VDS_SIGNER_EXPIRED"
    VDS_SIGNER_NOT_YET_VALID = "VDS_SIGNER_NOT_YET_VALID"
    VDS_AUTHORITY_NOT_VALID = "VDS_AUTHORITY_NOT_VALID"


#: One table from reason to the verdict it forces.  A reason mapped to VALID never fails a pass.
REASON_STATUS: dict[Reason, Status] = {
    Reason.OK: Status.VALID,
    Reason.NOT_REACHED: Status.VALID,
    Reason.NOT_APPLICABLE: Status.VALID,
    Reason.INPUT_EMPTY: Status.INVALID,
    Reason.INPUT_TOO_LONG: (Status.INVALID),
    Reason.NOT_A_HEALTH_CREDENTIAL: Status.INVALID,
    Reason.PREFIX_UNSUPPORTED: Status.INVALID,
    Reason.REQUEST_MALFORMED: Status.INVALID,
    Reason.IMAGE_UNREADABLE: Status.INVALID,
    Reason.NO_CODE_FOUND: Status.INVALID,
    Reason.SEVERAL_CODES: Status.CHECK_MANUALLY,
    Reason.NOT_A_QR_CODE: Status.INVALID,
    Reason.BASE45_INVALID: Status.INVALID,
    Reason.NOT_COMPRESSED: Status.INVALID,
    Reason.DECOMPRESS_FAILED: Status.INVALID,
    Reason.TOO_LARGE: Status.INVALID,
    Reason.TRAILING_DATA: Status.INVALID,
    Reason.CBOR_MALFORMED: Status.INVALID,
    Reason.CBOR_DUPLICATE_KEY: (Status.INVALID),
    Reason.COSE_MALFORMED: Status.INVALID,
    Reason.CWT_MALFORMED: Status.INVALID,
    Reason.CWT_CLAIM_MISSING: Status.INVALID,
    Reason.CWT_CLAIM_INVALID: Status.INVALID,
    Reason.PAYLOAD_MISSING: Status.INVALID,
    Reason.ALG_MISSING: Status.INVALID,
    Reason.ALG_UNSUPPORTED: Status.INVALID,
    Reason.KID_MISSING: Status.INVALID,
    Reason.KID_INVALID: Status.INVALID,
    Reason.KID_UNKNOWN: Status.INVALID,
    Reason.KEY_ALG_MISMATCH: Status.INVALID,
    Reason.KEY_TOO_WEAK: Status.INVALID,
    Reason.SIGNATURE_MALFORMED: Status.INVALID,
    Reason.SIGNATURE_INVALID: Status.INVALID,
    Reason.NOT_YET_VALID: Status.INVALID,
    Reason.EXPIRED: Status.INVALID,
    Reason.SIGNER_NOT_VALID_AT_ISSUE: (Status.INVALID),
    Reason.EXPIRES_AFTER_SIGNER: Status.INVALID,
    Reason.KEY_USAGE_MISMATCH: Status.INVALID,
    Reason.SCHEMA_INVALID: Status.INVALID,
    Reason.VALUE_NOT_IN_VALUE_SET: Status.INVALID,
    Reason.CERTIFICATE_TYPE_AMBIGUOUS: Status.INVALID,
    Reason.REVOKED: Status.INVALID,
    Reason.SIGNER_REVOKED: Status.INVALID,
    Reason.DATA_STALE: Status.CHECK_MANUALLY,
    Reason.CLOCK_UNTRUSTED: Status.CHECK_MANUALLY,
    Reason.RULE_FAILED: Status.INVALID,
    Reason.RULE_OPEN: Status.CHECK_MANUALLY,
    Reason.NO_RULES_APPLY: Status.CHECK_MANUALLY,
    # DIVOC vaccination certificates
    Reason.DIVOC_ZIP_INVALID: Status.INVALID,
    Reason.DIVOC_ZIP_UNSAFE: Status.INVALID,
    Reason.DIVOC_JSON_INVALID: Status.INVALID,
    Reason.DIVOC_CONTEXT_UNKNOWN: Status.INVALID,
    Reason.DIVOC_JSONLD_INVALID: Status.INVALID,
    Reason.DIVOC_ISSUER_UNTRUSTED: Status.INVALID,
    Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE: Status.CHECK_MANUALLY,
    # SMART Health Cards
    Reason.SHC_NUMERIC_INVALID: Status.INVALID,
    Reason.SHC_CHUNK_INVALID: Status.INVALID,
    Reason.SHC_CHUNK_MISSING: Status.CHECK_MANUALLY,
    Reason.SHC_JWS_MALFORMED: Status.INVALID,
    Reason.SHC_ISSUER_KEYS_UNAVAILABLE: Status.CHECK_MANUALLY,
    Reason.SHC_KEY_THUMBPRINT_MISMATCH: Status.INVALID,
    Reason.SHC_PAYLOAD_INVALID: Status.INVALID,
    Reason.SHC_ISSUER_MISMATCH: Status.INVALID,
    # Vietnam national QRs
    Reason.VN_QR_MALFORMED: Status.INVALID,
    Reason.VN_DATE_INVALID: Status.INVALID,
    Reason.VN_ID_NUMBER_INVALID: Status.INVALID,
    Reason.VN_ID_MISMATCH: Status.INVALID,
    Reason.STATUS_POSITIVE: Status.INVALID,
    Reason.STATUS_ISOLATING: Status.INVALID,
    Reason.STATUS_CLOSE_CONTACT: Status.INVALID,
    Reason.STATUS_NOT_LISTED: Status.CHECK_MANUALLY,
    Reason.STATUS_ENTRY_EXPIRED: Status.CHECK_MANUALLY,
    Reason.STATUS_LIST_MISSING: Status.CHECK_MANUALLY,
    Reason.STATUS_NOT_SEARCHABLE: Status.CHECK_MANUALLY,
    # NZ COVID Pass
    Reason.BASE32_INVALID: Status.INVALID,
    Reason.NZCP_ISSUER_UNTRUSTED: Status.INVALID,
    Reason.NZCP_ISSUER_KEYS_UNAVAILABLE: Status.CHECK_MANUALLY,
    Reason.NZCP_CREDENTIAL_ID_INVALID: Status.INVALID,
    Reason.NZCP_PASS_TYPE_UNSUPPORTED: Status.INVALID,
    # ICAO VDS-NC seals
    Reason.VDS_JSON_INVALID: Status.INVALID,
    Reason.VDS_DUPLICATE_KEY: Status.INVALID,
    Reason.VDS_TOO_DEEP: Status.INVALID,
    Reason.VDS_STRUCTURE_INVALID: Status.INVALID,
    Reason.VDS_TYPE_UNSUPPORTED: Status.INVALID,
    Reason.VDS_SIGNER_CERT_INVALID: Status.INVALID,
    Reason.VDS_TRUST_UNAVAILABLE: Status.CHECK_MANUALLY,
    Reason.VDS_ISSUER_UNKNOWN: Status.INVALID,
    Reason.VDS_CHAIN_INVALID: Status.INVALID,
    Reason.VDS_SIGNER_EXPIRED: Status.INVALID,
    Reason.VDS_SIGNER_NOT_YET_VALID: Status.INVALID,
    Reason.VDS_AUTHORITY_NOT_VALID: Status.INVALID,
}

#: Plain-language messages for a guard (English; the GUI translates codes itself).
REASON_MESSAGES: dict[Reason, str] = {
    Reason.OK: "Passed.",
    Reason.NOT_REACHED: "Not checked: an earlier step failed.",
    Reason.NOT_APPLICABLE: "Does not apply to this pass.",
    Reason.INPUT_EMPTY: "Nothing was scanned.",
    Reason.INPUT_TOO_LONG: "The code holds more data than a QR code can: it is not a real pass.",
    Reason.NOT_A_HEALTH_CREDENTIAL: "This code is not a health pass or ID QR this station knows.",
    Reason.PREFIX_UNSUPPORTED: "This pass uses a version this station does not support.",
    Reason.REQUEST_MALFORMED: "The request could not be read.",
    Reason.IMAGE_UNREADABLE: "The picture could not be opened.",
    Reason.NO_CODE_FOUND: "No QR code could be read in the picture.",
    Reason.SEVERAL_CODES: "Several QR codes were seen at once: show one code at a time.",
    Reason.NOT_A_QR_CODE: "This is another kind of barcode (a product or ticket code), not a pass.",
    Reason.BASE45_INVALID: "The pass text is damaged (it contains characters a pass cannot have).",
    Reason.NOT_COMPRESSED: "The pass is not packed the way genuine passes are.",
    Reason.DECOMPRESS_FAILED: "The pass data is damaged and cannot be unpacked.",
    Reason.TOO_LARGE: "The pass unpacks to far more data than a real pass holds.",
    Reason.TRAILING_DATA: "The pass has extra data attached to it: it has been tampered with.",
    Reason.CBOR_MALFORMED: "The pass content is damaged or not in the expected form.",
    Reason.CBOR_DUPLICATE_KEY: "The pass content has a field twice: it has been tampered with.",
    Reason.COSE_MALFORMED: "The signed envelope of the pass is damaged.",
    Reason.CWT_MALFORMED: "The pass content is not in the expected form.",
    Reason.CWT_CLAIM_MISSING: "The pass lacks its issue or expiry date.",
    Reason.CWT_CLAIM_INVALID: "The pass has an issue or expiry date in the wrong form.",
    Reason.PAYLOAD_MISSING: "The pass holds no health certificate.",
    Reason.ALG_MISSING: "The pass does not say how it was signed.",
    Reason.ALG_UNSUPPORTED: "The pass is signed with a method that is not allowed.",
    Reason.KID_MISSING: "The pass does not say which issuer key signed it.",
    Reason.KID_INVALID: "The pass names its issuer key in a wrong form.",
    Reason.KID_UNKNOWN: "The pass was signed by an issuer this station does not trust or know.",
    Reason.KEY_ALG_MISMATCH: "The issuer key does not match the signing method the pass claims.",
    Reason.KEY_TOO_WEAK: "The issuer key is too weak to be trusted.",
    Reason.SIGNATURE_MALFORMED: "The signature of the pass is damaged.",
    Reason.SIGNATURE_INVALID: "The signature does not match: the pass was altered or forged.",
    Reason.NOT_YET_VALID: "The pass is dated in the future: it is not valid yet.",
    Reason.EXPIRED: "The pass has expired.",
    Reason.SIGNER_NOT_VALID_AT_ISSUE: "The issuer key was not valid on the day of issue.",
    Reason.EXPIRES_AFTER_SIGNER: "The pass claims to last longer than its issuer key.",
    Reason.KEY_USAGE_MISMATCH: "The issuer key may not sign this kind of certificate.",
    Reason.SCHEMA_INVALID: "The certificate content is incomplete or in the wrong form.",
    Reason.VALUE_NOT_IN_VALUE_SET: (
        "The certificate names a vaccine, test, result or country this station does not recognise."
    ),
    Reason.CERTIFICATE_TYPE_AMBIGUOUS: (
        "The pass must hold exactly one vaccination, test or recovery record."
    ),
    Reason.REVOKED: "This pass has been revoked by its issuer: do not accept it.",
    Reason.SIGNER_REVOKED: "The issuer key that signed this pass has been withdrawn.",
    Reason.DATA_STALE: "The station's trust data is out of date: check the pass by hand.",
    Reason.CLOCK_UNTRUSTED: "The station's clock is not trusted: check the pass's dates by hand.",
    Reason.RULE_FAILED: "The pass does not meet the rules that apply here.",
    Reason.RULE_OPEN: "A rule could not be checked automatically: check the pass by hand.",
    Reason.NO_RULES_APPLY: "No rules are set here for this kind of pass: check the pass by hand.",
    # DIVOC vaccination certificates
    Reason.DIVOC_ZIP_INVALID: (
        "The pass is not packed the way genuine passes are: it cannot be read."
    ),
    Reason.DIVOC_ZIP_UNSAFE: "The pass holds extra or disguised files: it has been tampered with.",
    Reason.DIVOC_JSON_INVALID: "The certificate inside the pass is damaged or in the wrong form.",
    Reason.DIVOC_CONTEXT_UNKNOWN: (
        "The pass uses definitions this station does not hold, so its signature cannot be checked."
    ),
    Reason.DIVOC_JSONLD_INVALID: (
        "The pass holds details its signature does not cover: do not accept it."
    ),
    Reason.DIVOC_ISSUER_UNTRUSTED: (
        "This vaccination certificate was not issued by an issuer this station trusts."
    ),
    Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE: (
        "This station holds no keys to check DIVOC vaccination certificates: check by hand."
    ),
    # SMART Health Cards
    Reason.SHC_NUMERIC_INVALID: (
        "The pass text is damaged (its digits are not those of a SMART Health Card)."
    ),
    Reason.SHC_CHUNK_INVALID: "The parts of this multi-part pass do not belong together.",
    Reason.SHC_CHUNK_MISSING: "This pass is split over several QR codes: scan every part.",
    Reason.SHC_JWS_MALFORMED: "The signed envelope of the SMART Health Card is damaged.",
    Reason.SHC_ISSUER_KEYS_UNAVAILABLE: (
        "This station holds no keys to check SMART Health Cards: check the pass by hand."
    ),
    Reason.SHC_KEY_THUMBPRINT_MISMATCH: (
        "The station's copy of the issuer key does not match its key identifier."
    ),
    Reason.SHC_PAYLOAD_INVALID: (
        "The SMART Health Card content is damaged or not in the expected form."
    ),
    Reason.SHC_ISSUER_MISMATCH: "The card names another issuer than the one whose key signed it.",
    # Vietnam national QRs
    Reason.VN_QR_MALFORMED: "This ID QR is damaged or not in the expected form.",
    Reason.VN_DATE_INVALID: "The ID QR holds a date that does not exist or lies in the future.",
    Reason.VN_ID_NUMBER_INVALID: "The ID number in the QR is not a valid Vietnamese ID number.",
    Reason.VN_ID_MISMATCH: (
        "The ID number does not match the birth date or sex in the QR: it has been altered."
    ),
    Reason.STATUS_POSITIVE: (
        "The national status list records this person as testing positive: do not let them in."
    ),
    Reason.STATUS_ISOLATING: (
        "The national status list says this person must stay in isolation: do not let them in."
    ),
    Reason.STATUS_CLOSE_CONTACT: (
        "The national status list records this person as a close contact of a case:"
        " do not let them in."
    ),
    Reason.STATUS_NOT_LISTED: (
        "No vaccination, test or recovery is on record for this person: ask for a signed pass."
    ),
    Reason.STATUS_ENTRY_EXPIRED: (
        "This person's record on the national status list has run out: ask for a signed pass."
    ),
    Reason.STATUS_LIST_MISSING: (
        "This station has no national status list: ask for a signed vaccination, test or"
        " recovery pass."
    ),
    Reason.STATUS_NOT_SEARCHABLE: (
        "This QR has no citizen ID number to look up on the national status list:"
        " ask for a signed pass."
    ),
    # NZ COVID Pass
    Reason.BASE32_INVALID: "The pass text is damaged (it is not in the form an NZ COVID Pass has).",
    Reason.NZCP_ISSUER_UNTRUSTED: "This NZ COVID Pass was not issued by the NZ Ministry of Health.",
    Reason.NZCP_ISSUER_KEYS_UNAVAILABLE: (
        "This station holds no keys to check NZ COVID Passes: check the pass by hand."
    ),
    Reason.NZCP_CREDENTIAL_ID_INVALID: "The pass lacks a valid pass number.",
    Reason.NZCP_PASS_TYPE_UNSUPPORTED: "This kind of NZ COVID Pass is not accepted here.",
    # ICAO VDS-NC seals
    Reason.VDS_JSON_INVALID: "The seal text is damaged or not written the way genuine seals are.",
    Reason.VDS_DUPLICATE_KEY: "The seal content has a field twice: it has been tampered with.",
    Reason.VDS_TOO_DEEP: "The seal content is nested far deeper than a genuine seal.",
    Reason.VDS_STRUCTURE_INVALID: "The seal lacks its header, message or signature part.",
    Reason.VDS_TYPE_UNSUPPORTED: (
        "This kind of ICAO seal is not read here (only vaccination and test seals are)."
    ),
    Reason.VDS_SIGNER_CERT_INVALID: "The signing certificate inside the seal is damaged.",
    Reason.VDS_TRUST_UNAVAILABLE: (
        "This station holds no country authorities to check ICAO seals: check the pass by hand."
    ),
    Reason.VDS_ISSUER_UNKNOWN: "The seal comes from a country this station does not trust.",
    Reason.VDS_CHAIN_INVALID: (
        "The seal was not signed under the issuing country's authority: it may be forged."
    ),
    Reason.VDS_SIGNER_EXPIRED: "The certificate that signed the seal has expired.",
    Reason.VDS_SIGNER_NOT_YET_VALID: "The certificate that signed the seal is not valid yet.",
    Reason.VDS_AUTHORITY_NOT_VALID: "The country authority behind the seal is not valid now.",
}

#: Severity order used to pick the overall verdict from several failed checks.
STATUS_SEVERITY: dict[Status, int] = {
    Status.VALID: 0,
    Status.CHECK_MANUALLY: 1,
    Status.INVALID: 2,
}


def status_for(reason: Reason) -> Status:
    """The verdict a single reason forces."""
    return REASON_STATUS[reason]


def message_for(reason: Reason) -> str:
    """The guard-facing English message of a reason."""
    return REASON_MESSAGES[reason]
