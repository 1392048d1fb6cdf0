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
    # Business rules
    RULE_FAILED = "RULE_FAILED"
    RULE_OPEN = "RULE_OPEN"
    NO_RULES_APPLY = "NO_RULES_APPLY"


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
    Reason.RULE_FAILED: Status.INVALID,
    Reason.RULE_OPEN: Status.CHECK_MANUALLY,
    Reason.NO_RULES_APPLY: Status.CHECK_MANUALLY,
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
    Reason.RULE_FAILED: "The pass does not meet the rules that apply here.",
    Reason.RULE_OPEN: "A rule could not be checked automatically: check the pass by hand.",
    Reason.NO_RULES_APPLY: "No rules are set here for this kind of pass: check the pass by hand.",
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
