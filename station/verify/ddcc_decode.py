"""Where a WHO DDCC:VS payload sits in an HCERT (`HC1:`) CWT, and how it is told from an EU DCC.

Both certificates travel in the same container (Base45, zlib, COSE_Sign1, CWT claims 1/4/6 and
the `hcert` claim -260), so only the object inside -260 differs:

- WHO's HCERT logical model for DDCC assigns sub-claim 2 to the DDCC:VS core data set
  (WorldHealthOrganization/ddcc, input/fsh/cwt.fsh: `HCert.2 DDCCCoreDataSet_VS`, `.3` test
  results);
- WHO's later trust-network model and its GDHCN validator read it from sub-claim 3
  (WorldHealthOrganization/smart-trust, input/fsh/models/hcert.fsh;
  WorldHealthOrganization/gdhcn-validator, verify/.../hcert/CWTPayload.kt);
- issuers that reused the EU slot put the WHO logical model under sub-claim 1, the key EU DCCs
  use, which is why WHO's own validator tries the EU shape first and then the WHO one
  (WorldHealthOrganization/ddcc-validator, verify/.../hcert/CBORTranslator.kt).

A verifier therefore looks for the WHO shape in all three places.  The EU certificate always
carries `ver` and `nam`; the WHO core data set has neither, and its own top-level members
(`name`, `birthDate`, `certificate`, `vaccination`).  A certificate under sub-claim 1 is handed
to the DDCC pipeline when it has no EU marker and at least one WHO member, so a WHO payload that
lacks, say, its name is reported as a faulty WHO payload, not as a faulty EU one.  When more
than one WHO sub-claim is present the pass is ambiguous and refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.codec.cbor import decode_cbor
from station.errors import Reject
from station.reasons import Reason
from station.verify import dcc_decode
from station.verify.dcc_decode import CLAIM_HCERT, CLAIM_ISS, CwtClaims

#: The sub-claims of -260 that may hold the WHO core data set, in the order they are tried.
WHO_SUBCLAIMS = (2, 3)
EU_SUBCLAIM = dcc_decode.HCERT_EU_DCC
_EU_MARKERS = ("ver", "nam")
_WHO_MEMBERS = ("name", "vaccination", "certificate", "birthDate")


def is_ddcc_payload(certificate: Mapping[str, Any]) -> bool:
    """True for a WHO core data set under the EU sub-claim: WHO members, no EU marker."""
    return any(key in certificate for key in _WHO_MEMBERS) and not any(
        key in certificate for key in _EU_MARKERS
    )


@dataclass(frozen=True, slots=True)
class WhoCwtClaims(CwtClaims):
    """CWT claims whose certificate came from a WHO sub-claim (2 or 3), not the EU slot."""

    subclaim: int = 2


def is_ddcc(claims: CwtClaims) -> bool:
    """Whether decoded claims carry a WHO DDCC:VS: from a WHO sub-claim, or in WHO shape."""
    return isinstance(claims, WhoCwtClaims) or is_ddcc_payload(claims.certificate)


def parse_hcert_claims(payload: bytes) -> CwtClaims:
    """Stage `cbor` of the HC1 pipeline: the EU reader, then the WHO sub-claims if it finds no
    EU sub-claim.  EU passes are decoded once, exactly as before; only a payload without an EU
    sub-claim is read a second time, and if it has no WHO sub-claim either the EU refusal stands.
    """
    try:
        return dcc_decode.parse_cwt(payload)
    except Reject as refusal:
        if refusal.reason is not Reason.PAYLOAD_MISSING:
            raise
        try:
            return parse_ddcc_cwt(payload)
        except Reject as exc:
            if exc.reason is Reason.PAYLOAD_MISSING:
                raise refusal from None
            raise


def parse_ddcc_cwt(payload: bytes) -> WhoCwtClaims:
    """Stage `cbor` for a DDCC pass: the claims map, exactly one WHO sub-claim, `iat`/`exp`.

    The sub-claim is looked for first: PAYLOAD_MISSING then means "not a DDCC pass at all",
    which lets the caller keep the EU verdict for a payload that is neither.
    """
    try:
        claims = decode_cbor(payload)
    except Reject as exc:
        raise Reject(_structure_reason(exc), exc.detail) from None
    if not isinstance(claims, dict):
        raise Reject(Reason.CWT_MALFORMED, "claims are not a map")
    hcert = claims.get(CLAIM_HCERT)
    if not isinstance(hcert, dict):
        raise Reject(Reason.PAYLOAD_MISSING, "no health certificate claim")
    present = [key for key in WHO_SUBCLAIMS if key in hcert]
    if not present:
        raise Reject(Reason.PAYLOAD_MISSING, "no WHO vaccination status claim")
    if len(present) > 1:
        raise Reject(Reason.CWT_MALFORMED, "more than one WHO vaccination status claim")
    issuer = claims.get(CLAIM_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise Reject(Reason.CWT_CLAIM_INVALID, "issuer is not text")
    # The EU decoder's NumericDate rules, so both families bound iat/exp identically.
    issued_at = dcc_decode._numeric_date(claims, dcc_decode.CLAIM_IAT, "issued-at")
    expires = dcc_decode._numeric_date(claims, dcc_decode.CLAIM_EXP, "expiry")
    certificate = dcc_decode.to_json_value(hcert[present[0]])
    if not isinstance(certificate, dict):
        raise Reject(Reason.CWT_MALFORMED, "health certificate is not an object")
    return WhoCwtClaims(issuer, issued_at, expires, certificate, present[0])


def _structure_reason(exc: Reject) -> Reason:
    """Keep duplicate-key and trailing-data reasons; fold other CBOR faults into CWT_MALFORMED."""
    if exc.reason in (Reason.CBOR_DUPLICATE_KEY, Reason.TRAILING_DATA):
        return exc.reason
    return Reason.CWT_MALFORMED
