"""ICAO VDS-NC seals (proof of vaccination `icao.vacc`, proof of testing `icao.test`).

A seal is plain JSON, `{"data": {"hdr": {"t", "v", "is"}, "msg": {...}}, "sig": {"alg", "cer",
"sigvl"}}`: `sigvl` is a base64url ECDSA signature (raw r‖s) over the RFC 8785 canonical form
of `data`, made with the key of the barcode signer certificate (BSC) carried in `cer`, which the
issuing country's CSCA must have signed (ICAO VDS-NC technical report, 2021; ICAO Doc 9303-12).

Check names: parse, structure, certificate (decoding: stop at the first failure), then
signature, chain, expiry, key_usage, content, each on its own; `revocation` when the station
holds the CSCA's revoked serials; `rules` when the station has a rule profile (EU rules cannot
read a seal, so it asks for a manual check); `data` when stale trust data must refuse verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, VerificationResult
from station.ports import TrustSources
from station.reasons import Reason
from station.verify import vds_certs, vds_trust
from station.verify.outcome import build_result, data_health_checks
from station.verify.stages import FAILED, run_stages
from station.verify.vds_json import canonical_json, parse_strict
from station.verify.vds_message import READERS, SealContent
from station.verify.vds_signature import decode_base64url, verify_seal_signature
from station.verify.vds_trust import Authority

FORMAT = "vds"
DECODE_STAGES = ("parse", "structure", "certificate")
VALIDATION_CHECKS = ("signature", "chain", "expiry", "key_usage", "content")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS
SEAL_VERSION = 1
_ISSUER = re.compile(r"^[A-Z][A-Z<]{2}$")


def looks_like_vds(text: str) -> bool:
    """A JSON object with a seal header: cheap enough to run on every scan."""
    return text.lstrip()[:1] == "{" and '"hdr"' in text


@dataclass(frozen=True, slots=True)
class Seal:
    """A structurally sound seal and the exact bytes its signature covers."""

    seal_type: str
    issuer: str
    data: Mapping[str, Any]
    alg: Any
    signature: str
    certificate_text: str
    signed_bytes: bytes


def verify_vds(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Verify a VDS-NC seal at the instant `now` against the station's CSCAs."""
    checks: list[Check] = []
    decoded = _decode(text, config, checks)
    if decoded is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(FORMAT, checks, now, _shown(text, config))
    seal, signer = decoded
    checks.append(_signature_check(seal, signer))
    authority, chain_check = _chain_check(seal, signer, trust)
    content, content_check = _read_content(seal)
    checks += [
        chain_check,
        _expiry_check(signer, authority, content, now),
        _key_usage_check(signer),
        content_check,
    ]
    if authority is not None and authority.revoked_serials is not None:
        checks.append(_revocation_check(signer, authority))
    if config.rules is not None:
        checks.append(Check.skipped("rules", Reason.NO_RULES_APPLY, "rule profiles read EU passes"))
    details = _details(seal, signer, authority, content)
    checks += data_health_checks(trust, config, details)
    holder = content.holder if content is not None else None
    return build_result(
        FORMAT, checks, now, text, payload=seal.data, holder=holder, details=details
    )


def _shown(text: str, config: VerifierConfig) -> str | None:
    return text if len(text) <= config.max_input_chars else None


def _decode(
    text: str, config: VerifierConfig, checks: list[Check]
) -> tuple[Seal, vds_certs.Certificate] | None:
    stages: list[tuple[str, Callable[[Any], Any]]] = [
        ("parse", lambda t: _parse(t, config.max_input_chars)),
        ("structure", _structure),
        ("certificate", lambda seal: (seal, _signer_certificate(seal))),
    ]
    value = run_stages(text, stages, checks)
    if value is FAILED:
        return None
    seal, signer = value
    return seal, signer


def _parse(text: str, max_chars: int) -> Any:
    if not text.strip():
        raise Reject(Reason.INPUT_EMPTY)
    if len(text) > max_chars:
        raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    return parse_strict(text)


def _members(value: Any, path: str, required: set[str], optional: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise Reject(Reason.VDS_STRUCTURE_INVALID, f"{path} is not an object")
    missing, unknown = required - set(value), set(value) - required - optional
    if missing:
        raise Reject(Reason.VDS_STRUCTURE_INVALID, f"{path} lacks {', '.join(sorted(missing))}")
    if unknown:
        raise Reject(Reason.VDS_STRUCTURE_INVALID, f"{path} has unknown members")
    return value


def _structure(document: Any) -> Seal:
    """Stage `structure`: the envelope, a supported header, and the canonical bytes of `data`."""
    top = _members(document, "seal", {"data", "sig"}, set())
    data = _members(top["data"], "data", {"hdr", "msg"}, set())
    header = _members(data["hdr"], "data.hdr", {"t", "v", "is"}, set())
    sig = _members(top["sig"], "sig", {"cer", "sigvl"}, {"alg"})
    seal_type, version, issuer = header["t"], header["v"], header["is"]
    if seal_type not in READERS:
        raise Reject(Reason.VDS_TYPE_UNSUPPORTED, "not a vaccination or test seal")
    if isinstance(version, bool) or version != SEAL_VERSION or not isinstance(version, int):
        raise Reject(Reason.VDS_TYPE_UNSUPPORTED, f"seal version is not {SEAL_VERSION}")
    if not isinstance(issuer, str) or not _ISSUER.match(issuer):
        raise Reject(Reason.VDS_STRUCTURE_INVALID, "issuing country is not a 3-letter code")
    if not isinstance(data["msg"], dict):
        raise Reject(Reason.VDS_STRUCTURE_INVALID, "data.msg is not an object")
    if not isinstance(sig["cer"], str) or not isinstance(sig["sigvl"], str):
        raise Reject(Reason.VDS_STRUCTURE_INVALID, "certificate or signature is not text")
    return Seal(
        seal_type, issuer, data, sig.get("alg"), sig["sigvl"], sig["cer"], canonical_json(data)
    )


def _signer_certificate(seal: Seal) -> vds_certs.Certificate:
    """Stage `certificate`: the BSC embedded in `sig.cer`."""
    limit = vds_certs.MAX_CERTIFICATE_BYTES * 4 // 3 + 4
    if len(seal.certificate_text) > limit:
        raise Reject(Reason.VDS_SIGNER_CERT_INVALID, "certificate text is too long")
    der = decode_base64url(
        seal.certificate_text, Reason.VDS_SIGNER_CERT_INVALID, "signer certificate"
    )
    return vds_certs.load_certificate(der)


def _signature_check(seal: Seal, signer: vds_certs.Certificate) -> Check:
    try:
        verify_seal_signature(seal.alg, signer.public_key, seal.signature, seal.signed_bytes)
    except Reject as exc:
        return Check.failed("signature", exc.reason, exc.detail)
    return Check.passed("signature")


def _chain_check(
    seal: Seal, signer: vds_certs.Certificate, trust: TrustSources
) -> tuple[Authority | None, Check]:
    """The first CSCA held for the seal's country (by fingerprint) that issued the BSC."""
    if trust.issuer_keys is None:
        return None, Check.failed("chain", Reason.VDS_TRUST_UNAVAILABLE, "no issuer key store")
    try:
        held = vds_trust.authorities(trust.issuer_keys, seal.issuer)
    except Reject as exc:
        return None, Check.failed("chain", exc.reason, exc.detail)
    if not held:
        return None, Check.failed("chain", Reason.VDS_ISSUER_UNKNOWN, "no authority held")
    problems: list[str] = []
    for authority in held:
        problem = vds_certs.chain_problem(signer, authority.certificate)
        if problem is None:
            return authority, Check.passed("chain")
        problems.append(problem)
    return None, Check.failed("chain", Reason.VDS_CHAIN_INVALID, problems[0])


def _expiry_check(
    signer: vds_certs.Certificate,
    authority: Authority | None,
    content: SealContent | None,
    now: datetime,
) -> Check:
    """The BSC and its CSCA valid now, and no attested event dated after today."""
    when = vds_certs.validity_problem(signer, now)
    if when == "before":
        return Check.failed("expiry", Reason.VDS_SIGNER_NOT_YET_VALID)
    if when == "after":
        return Check.failed("expiry", Reason.VDS_SIGNER_EXPIRED)
    if authority is not None and vds_certs.validity_problem(authority.certificate, now):
        return Check.failed("expiry", Reason.VDS_AUTHORITY_NOT_VALID)
    if content is not None and content.latest_event.date() > now.date():
        return Check.failed("expiry", Reason.NOT_YET_VALID, "the seal attests a future event")
    return Check.passed("expiry")


def _key_usage_check(signer: vds_certs.Certificate) -> Check:
    problem = vds_certs.usage_problem(signer)
    if problem is not None:
        return Check.failed("key_usage", Reason.KEY_USAGE_MISMATCH, problem)
    return Check.passed("key_usage")


def _read_content(seal: Seal) -> tuple[SealContent | None, Check]:
    try:
        content = READERS[seal.seal_type](seal.data["msg"])
    except Reject as exc:
        return None, Check.failed("content", exc.reason, exc.detail)
    return content, Check.passed("content")


def _revocation_check(signer: vds_certs.Certificate, authority: Authority) -> Check:
    if authority.revocations_unreadable:
        return Check.failed(
            "revocation", Reason.VDS_TRUST_UNAVAILABLE, "the held revocation list is unreadable"
        )
    if signer.serial in (authority.revoked_serials or frozenset()):
        return Check.failed("revocation", Reason.SIGNER_REVOKED, "signer certificate revoked")
    return Check.passed("revocation")


def _details(
    seal: Seal,
    signer: vds_certs.Certificate,
    authority: Authority | None,
    content: SealContent | None,
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "seal_type": seal.seal_type,
        "issuer_country": seal.issuer,
        "signer_serial": format(signer.serial, "x"),
        "signer_fingerprint": signer.fingerprint,
    }
    if authority is not None:
        details["authority_kid"] = authority.kid
    if content is not None:
        details["summary"] = content.summary
    return details
