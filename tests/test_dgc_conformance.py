"""EU DCC conformance: every EXPECTED* flag of every vendored dgc-testdata file.

Each file is verified at its VALIDATIONCLOCK with exactly its TESTCTX certificate, through the
same request path as `station verify --jsonl` (text and, where the file has one, its PNG).
The flags map to checks as the shared scorer maps them.  A flag listed in
`vectors/dgc-known-issues.csv` must *still* mismatch: when it starts to match, the list is stale.
"""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from station.adapters.clock import FixedClock
from station.cli.requests import RequestRunner, answer, parse_request
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

from .conftest import NOW, VECTORS

ROOT = VECTORS / "dgc-testdata"
FLAG_TO_CHECK = {
    "EXPECTEDUNPREFIX": "prefix",
    "EXPECTEDB45DECODE": "base45",
    "EXPECTEDCOMPRESSION": "decompress",
    "EXPECTEDVERIFY": "signature",
    "EXPECTEDEXPIRATIONCHECK": "expiry",
    "EXPECTEDKEYUSAGE": "key_usage",
    "EXPECTEDSCHEMAVALIDATION": "schema",
}
CASES = sorted(p for p in ROOT.glob("**/raw/*.json"))


def _known_issues() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    with open(VECTORS / "dgc-known-issues.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            known.setdefault(row["file"], set()).add(row["flag"])
    return known


KNOWN = _known_issues()


@pytest.fixture(scope="module")
def runner() -> RequestRunner:
    return RequestRunner(Verifier(TrustIndex(), FixedClock(NOW)))


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _mismatches(case: dict[str, Any], text_answer: dict[str, Any], image_answer: Any) -> set[str]:
    wrong = set()
    checks = text_answer.get("checks") or {}
    for flag, want in case["EXPECTEDRESULTS"].items():
        if not isinstance(want, bool):
            continue
        if flag == "EXPECTEDPICTUREDECODE":
            got = image_answer is not None and image_answer["decoded_text"] == case["PREFIX"]
        elif flag in ("EXPECTEDDECODE", "EXPECTEDVALIDJSON"):
            payload = text_answer.get("payload")
            got = payload is not None and (
                "JSON" not in case or _canon(payload) == _canon(case["JSON"])
            )
            if flag == "EXPECTEDDECODE" and (checks.get("cbor") or {}).get("ok") is False:
                got = False
        elif flag in FLAG_TO_CHECK:
            got = (checks.get(FLAG_TO_CHECK[flag]) or {}).get("ok") is True
        else:
            continue
        if got != want:
            wrong.add(flag)
    return wrong


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(ROOT)))
def test_vector(path: Path, runner: RequestRunner, tmp_path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(case.get("EXPECTEDRESULTS"), dict) or not case.get("PREFIX"):
        pytest.skip("not a test case (no PREFIX or EXPECTEDRESULTS)")
    context = case.get("TESTCTX") or {}
    base: dict[str, Any] = {"trust": [context["CERTIFICATE"]]} if context.get("CERTIFICATE") else {}
    if context.get("VALIDATIONCLOCK"):
        base["at"] = context["VALIDATIONCLOCK"]
    text_answer = answer("t", runner.run(parse_request({**base, "text": case["PREFIX"]})))
    image_answer = None
    if case.get("2DCODE"):
        png = tmp_path / "code.png"
        png.write_bytes(base64.b64decode(case["2DCODE"]))
        image_answer = answer("i", runner.run(parse_request({**base, "image": str(png)})))
    relative = str(path.relative_to(ROOT))
    assert _mismatches(case, text_answer, image_answer) == KNOWN.get(relative, set())


def test_known_issues_name_existing_files() -> None:
    for relative in KNOWN:
        assert (ROOT / relative).is_file(), relative
