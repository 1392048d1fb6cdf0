"""The README's promises, checked against the code."""

from __future__ import annotations

from pathlib import Path

from station.reasons import REASON_STATUS, Reason

ROOT = Path(__file__).resolve().parent.parent


def test_readme_reason_table_matches_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for reason in Reason:
        assert f"| `{reason}` | {REASON_STATUS[reason]} |" in readme, reason


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make demo" in readme
    assert "\nmake test\n" in ci
