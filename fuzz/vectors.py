"""Seed material from the vendored conformance vectors (tests/vectors), read at run time.

Only small, hand-checked files are read; an absent folder (a trimmed checkout) gives no seeds
rather than an error, since every harness also seeds itself from the issuers' own passes.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[1] / "tests" / "vectors"
#: The dgc-testdata files used as seeds: a few per country is plenty for a fuzzer.
MAX_DGC_FILES = 60


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def dgc_cases() -> Iterator[dict[str, Any]]:
    """dgc-testdata cases (the object with PREFIX, COSE, CBOR ...), a bounded sample."""
    paths = sorted((VECTORS / "dgc-testdata").glob("*/2DCode/raw/*.json"))
    for path in paths[:MAX_DGC_FILES]:
        case = _read_json(path)
        if isinstance(case, dict):
            yield case


def dgc_texts() -> Iterator[str]:
    for case in dgc_cases():
        if isinstance(case.get("PREFIX"), str):
            yield case["PREFIX"]


def _hex(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def dgc_cose() -> Iterator[bytes]:
    """The COSE_Sign1 bytes of each case (hex in the file)."""
    for case in dgc_cases():
        cose = _hex(case.get("COSE"))
        if cose:
            yield cose


def dgc_cwt() -> Iterator[bytes]:
    """The CWT claims bytes of each case (`CBOR`, hex in the file)."""
    for case in dgc_cases():
        cwt = _hex(case.get("CBOR"))
        if cwt:
            yield cwt


def shc_numeric_texts() -> Iterator[str]:
    for path in sorted((VECTORS / "shc").glob("*-qr-code-numeric-value-*.txt")):
        yield path.read_text(encoding="ascii").strip()


def shc_jws() -> Iterator[str]:
    for path in sorted((VECTORS / "shc").glob("*-jws.txt")):
        yield path.read_text(encoding="ascii").strip()


def shc_payloads() -> Iterator[bytes]:
    """The expanded JWS payloads (card claims JSON), minified as issuers sign them."""
    for path in sorted((VECTORS / "shc").glob("*-jws-payload-expanded.json")):
        value = _read_json(path)
        if value is not None:
            yield json.dumps(value, separators=(",", ":")).encode("utf-8")


def nzcp_texts() -> Iterator[str]:
    for path in sorted((VECTORS / "nzcp").glob("*/*.txt")):
        yield path.read_text(encoding="ascii").strip()


def vds_texts() -> Iterator[str]:
    for path in sorted((VECTORS / "vds").glob("*.json")):
        yield path.read_text(encoding="utf-8")


def divoc_archives() -> Iterator[bytes]:
    for path in sorted((VECTORS / "divoc").glob("*.b64")):
        try:
            yield base64.b64decode(path.read_text(encoding="ascii").strip())
        except (binascii.Error, ValueError):
            continue


def divoc_credentials() -> Iterator[str]:
    for path in sorted((VECTORS / "divoc").glob("*.json")):
        if "key" not in path.name:
            yield path.read_text(encoding="utf-8")


def certlogic_cases() -> Iterator[tuple[Any, Any]]:
    """(expression, data) pairs of the CertLogic test suite."""
    for path in sorted((VECTORS / "certlogic" / "testSuite").glob("*.json")):
        suite = _read_json(path)
        for case in suite.get("cases", []) if isinstance(suite, dict) else []:
            for assertion in case.get("assertions", []):
                yield case.get("certLogicExpression"), assertion.get("data")


def certlogic_expressions() -> Iterator[Any]:
    """Expressions of the validator's test suite (valid and invalid ones)."""
    for path in sorted((VECTORS / "certlogic" / "validation-testSuite").glob("*.json")):
        suite = _read_json(path)
        if isinstance(suite, list):
            for case in suite:
                if isinstance(case, dict) and "certLogicExpression" in case:
                    yield case["certLogicExpression"]
        elif isinstance(suite, dict):
            for case in suite.get("cases", []):
                if isinstance(case, dict) and "certLogicExpression" in case:
                    yield case["certLogicExpression"]
