"""The conformance part of `station doctor`: known answers, run on the device itself.

A station on new hardware or a new OS image must give the same verdicts as the one the
project tested. Two sets are run through the same request path as `station verify --jsonl`:

- the built-in known answers: the demo authority's passes (valid ES256 and PS256, a test
  certificate, expired, wrong key usage, unknown issuer, tampered, a shop barcode), each drawn
  as a QR image and read back from the pixels, so the decoders, OpenSSL's ECDSA and RSA-PSS
  and zlib on this machine are all exercised;
- when present (a checkout has them in tests/vectors, or `--vectors DIR`), the EU dgc-testdata
  files, each at its own validation clock with its own certificate, compared flag by flag
  except for the files listed in dgc-known-issues.csv beside them.
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import station
from station.adapters.clock import FixedClock
from station.cli.doctor_command import CheckOutcome, DoctorContext
from station.cli.requests import Request, RequestRunner, answer, parse_request
from station.errors import Reject
from station.issuer.demo_set import demo_passes, make_authority
from station.issuer.qr_image import qr_png
from station.trust.index import CertificateCache, TrustIndex
from station.verify.verifier import Verifier

#: The known answers are issued and checked at this instant, whatever the device clock says.
KNOWN_ANSWER_TIME = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHECK_OF_FLAG = {
    "EXPECTEDUNPREFIX": "prefix",
    "EXPECTEDB45DECODE": "base45",
    "EXPECTEDCOMPRESSION": "decompress",
    "EXPECTEDVERIFY": "signature",
    "EXPECTEDEXPIRATIONCHECK": "expiry",
    "EXPECTEDKEYUSAGE": "key_usage",
    "EXPECTEDSCHEMAVALIDATION": "schema",
}


def conformance(ctx: DoctorContext) -> CheckOutcome:
    count, wrong = known_answers()
    folder = ctx.vectors or default_vectors()
    files = checked = 0
    if folder is not None and folder.is_dir():
        files, checked, mismatched = dgc_vectors(folder)
        wrong += mismatched
    figures = {"known_answers": count, "errors": wrong, "dgc_files": files, "dgc_flags": checked}
    found = f"{count} known answers" + (
        f", {checked} flags of {files} dgc-testdata files" if files else ""
    )
    if wrong:
        return CheckOutcome(
            "conformance", "FAIL", f"{found}: wrong: {', '.join(wrong[:4])}", figures
        )
    return CheckOutcome("conformance", "PASS", f"{found}: all as expected", figures)


def known_answers() -> tuple[int, list[str]]:
    """How many built-in passes were read, and those whose verdict differs from the expected."""
    authority = make_authority(KNOWN_ANSWER_TIME)
    cache = CertificateCache()
    signers = TrustIndex(cache.load(signer.der) for signer in authority.trusted)
    runner = RequestRunner(Verifier(signers, FixedClock(KNOWN_ANSWER_TIME)))
    wrong = []
    passes = demo_passes(authority, KNOWN_ANSWER_TIME)
    with tempfile.TemporaryDirectory(prefix="station-doctor-") as folder:
        for number, demo in enumerate(passes, start=1):
            image = Path(folder) / f"pass-{number}.png"
            image.write_bytes(qr_png(demo.text))
            result = runner.run(Request(number, image=str(image)))
            if result.status != demo.expected:
                wrong.append(f"{demo.label} gave {result.status}")
    return len(passes), wrong


def default_vectors() -> Path | None:
    """tests/vectors/dgc-testdata of the checkout this station runs from, if there is one."""
    folder = Path(station.__file__).resolve().parent.parent / "tests" / "vectors" / "dgc-testdata"
    return folder if folder.is_dir() else None


def dgc_vectors(folder: Path) -> tuple[int, int, list[str]]:
    """(files run, flags compared, 'file FLAG' for every unexpected result)."""
    known = _known_issues(folder.parent / "dgc-known-issues.csv")
    runner = RequestRunner(Verifier(TrustIndex(), FixedClock(KNOWN_ANSWER_TIME)))
    files = checked = 0
    wrong: list[str] = []
    for path in sorted(folder.glob("**/raw/*.json")):
        case = _case(path)
        if case is None:
            continue
        relative = str(path.relative_to(folder))
        flags = _flags(runner, case)
        files += 1
        checked += len(flags)
        wrong += [
            f"{relative} {f}" for f, ok in flags.items() if ok == (f in known.get(relative, ()))
        ]
    return files, checked, wrong


def _case(path: Path) -> dict[str, Any] | None:
    try:
        case = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    if not isinstance(case, dict) or not isinstance(case.get("EXPECTEDRESULTS"), dict):
        return None
    return case if case.get("PREFIX") else None


def _flags(runner: RequestRunner, case: dict[str, Any]) -> dict[str, bool]:
    """Flag → whether the station's answer matches it."""
    context = case.get("TESTCTX") or {}
    request: dict[str, Any] = {"text": case["PREFIX"]}
    if context.get("CERTIFICATE"):
        request["trust"] = [context["CERTIFICATE"]]
    if context.get("VALIDATIONCLOCK"):
        request["at"] = context["VALIDATIONCLOCK"]
    try:
        checks = answer("t", runner.run(parse_request(request))).get("checks") or {}
    except Reject:
        checks = {}
    matches = {}
    for flag, want in case["EXPECTEDRESULTS"].items():
        if flag in CHECK_OF_FLAG and isinstance(want, bool):
            got = (checks.get(CHECK_OF_FLAG[flag]) or {}).get("ok") is True
            matches[flag] = got == want
    return matches


def _known_issues(path: Path) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                known.setdefault(row["file"], set()).add(row["flag"])
    except (OSError, KeyError):
        return {}
    return known
