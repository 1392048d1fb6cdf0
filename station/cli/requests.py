"""One verification request (text or image, optional time and trust) and its JSON answer.

Shared by `station verify` (single) and `station verify --jsonl` (batch) so both give the same
answer for the same input.  A malformed request becomes an error result, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from station.adapters.clock import parse_instant
from station.adapters.image_file import load_grayscale
from station.adapters.qr_zxing import other_barcode_formats
from station.errors import Reject, TrustImportError
from station.model import Check, VerificationResult
from station.ports import SignerLookup
from station.reasons import Reason
from station.scan import read_codes
from station.scan.preprocess import bounded
from station.scan.strategy import STILL_BUDGET_S
from station.trust.index import CertificateCache, TrustIndex
from station.trust.sources import certificate_from_text
from station.verify.outcome import build_result
from station.verify.verifier import Verifier


@dataclass(frozen=True)
class Request:
    id: Any
    text: str | None = None
    image: str | None = None
    at: datetime | None = None
    trust: tuple[str, ...] | None = None


def parse_request(raw: Any) -> Request:
    """Validate a decoded JSON request; raise Reject(REQUEST_MALFORMED) with what is wrong."""
    if not isinstance(raw, dict):
        raise Reject(Reason.REQUEST_MALFORMED, "a request must be a JSON object")
    text, image, at, trust = raw.get("text"), raw.get("image"), raw.get("at"), raw.get("trust")
    if (text is None) == (image is None):
        raise Reject(Reason.REQUEST_MALFORMED, "give exactly one of 'text' or 'image'")
    if text is not None and not isinstance(text, str):
        raise Reject(Reason.REQUEST_MALFORMED, "'text' must be a string")
    if image is not None and not isinstance(image, str):
        raise Reject(Reason.REQUEST_MALFORMED, "'image' must be a file path")
    if trust is not None and not (
        isinstance(trust, list) and all(isinstance(t, str) for t in trust)
    ):
        raise Reject(Reason.REQUEST_MALFORMED, "'trust' must be a list of certificates")
    return Request(
        raw.get("id"), text, image, _instant(at), tuple(trust) if trust is not None else None
    )


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Reject(Reason.REQUEST_MALFORMED, "'at' must be an ISO 8601 string")
    try:
        return parse_instant(value)
    except ValueError:
        raise Reject(Reason.REQUEST_MALFORMED, "'at' is not an ISO 8601 time") from None


class RequestRunner:
    """Runs requests against one verifier, caching parsed per-request certificates."""

    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier
        self.certificates = CertificateCache()

    def run(self, request: Request) -> VerificationResult:
        signers = self._signers(request.trust)
        if request.image is not None:
            return self._run_image(Path(request.image), request.at, signers)
        assert request.text is not None
        return self.verifier.verify(request.text, at=request.at, signers=signers)

    def _signers(self, trust: tuple[str, ...] | None) -> SignerLookup | None:
        if trust is None:
            return None
        loaded = []
        for item in trust:
            try:
                loaded.append(self.certificates.load(certificate_from_text(item)))
            except TrustImportError:
                continue  # an unusable certificate simply trusts nothing
        return TrustIndex(loaded)

    def _run_image(
        self, path: Path, at: datetime | None, signers: SignerLookup | None
    ) -> VerificationResult:
        now = at or self.verifier.clock.now()
        try:
            gray = load_grayscale(path)
        except Reject as exc:
            return build_result(
                "unknown", [Check.failed("image", exc.reason, exc.detail)], now, None
            )
        texts = read_codes(gray, budget_s=STILL_BUDGET_S)
        if not texts:
            return build_result("unknown", [_no_code_check(gray)], now, None)
        if len(texts) > 1:
            check = Check.failed("image", Reason.SEVERAL_CODES, f"{len(texts)} codes")
            return build_result("unknown", [check], now, None)
        result = self.verifier.verify(texts[0], at=at, signers=signers)
        return _with_image_check(result)


def _no_code_check(gray: NDArray[np.uint8]) -> Check:
    others = other_barcode_formats(bounded(gray))
    if others:
        return Check.failed("image", Reason.NOT_A_QR_CODE, ", ".join(others))
    return Check.failed("image", Reason.NO_CODE_FOUND)


def _with_image_check(result: VerificationResult) -> VerificationResult:
    checks = (Check.passed("image"), *result.checks)
    return build_result(
        result.format,
        checks,
        result.checked_at,
        result.decoded_text,
        payload=result.payload,
        holder=result.holder,
        details=result.details,
    )


def error_answer(request_id: Any, reject: Reject, now: datetime) -> dict[str, Any]:
    result = build_result(
        "unknown", [Check.failed("request", reject.reason, reject.detail)], now, None
    )
    return answer(request_id, result)


def answer(request_id: Any, result: VerificationResult) -> dict[str, Any]:
    body = result.to_json()
    return {"id": request_id, **body}
