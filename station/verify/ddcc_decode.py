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
    """Stage `cbor` of the HC1 pipeline: the claims are decoded once and read by the WHO reader
    when -260 holds a WHO sub-claim but no EU one, by the EU reader otherwise.

    Both readers check `iss`, `iat` and `exp` before anything inside -260 but the presence of
    their sub-claim, so this gives the verdict of "the EU reader, then the WHO reader if the EU
    one finds no EU sub-claim" without reading twice; a payload with neither sub-claim keeps
    the EU refusal.
    """
    claims = dcc_decode.decode_claims(payload)
    hcert = claims.get(CLAIM_HCERT)
    if isinstance(hcert, dict) and EU_SUBCLAIM not in hcert:
        if any(key in hcert for key in WHO_SUBCLAIMS):
            return read_ddcc_claims(claims)
    return dcc_decode.read_cwt(claims)


def parse_ddcc_cwt(payload: bytes) -> WhoCwtClaims:
    """Stage `cbor` for a DDCC pass: the claims map, exactly one WHO sub-claim, `iat`/`exp`."""
    return read_ddcc_claims(dcc_decode.decode_claims(payload))


def read_ddcc_claims(claims: Mapping[Any, Any]) -> WhoCwtClaims:
    """The WHO reading of a decoded claims map: `iss`, `iat`, `exp` and one WHO sub-claim.

    The sub-claim is looked for first: PAYLOAD_MISSING then means "not a DDCC pass at all".
    The claims are checked next, as the EU reader checks them, and only then whether the pass
    is ambiguous, so every fault the EU reader would report first is reported first here too.
    """
    hcert = claims.get(CLAIM_HCERT)
    if not isinstance(hcert, dict):
        raise Reject(Reason.PAYLOAD_MISSING, "no health certificate claim")
    present = [key for key in WHO_SUBCLAIMS if key in hcert]
    if not present:
        raise Reject(Reason.PAYLOAD_MISSING, "no WHO vaccination status claim")
    issuer = claims.get(CLAIM_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise Reject(Reason.CWT_CLAIM_INVALID, "issuer is not text")
    # The EU decoder's NumericDate rules, so both families bound iat/exp identically.
    issued_at = dcc_decode._numeric_date(claims, dcc_decode.CLAIM_IAT, "issued-at")
    expires = dcc_decode._numeric_date(claims, dcc_decode.CLAIM_EXP, "expiry")
    if len(present) > 1:
        raise Reject(Reason.CWT_MALFORMED, "more than one WHO vaccination status claim")
    certificate = dcc_decode.to_json_value(hcert[present[0]])
    if not isinstance(certificate, dict):
        raise Reject(Reason.CWT_MALFORMED, "health certificate is not an object")
    return WhoCwtClaims(issuer, issued_at, expires, certificate, present[0])
